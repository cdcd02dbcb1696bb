/** appEnvironments: the valid fixture configs resolve to the app × env lists in their `.expected.yaml`. */
import assert from 'node:assert/strict';
import { appEnvironments, parseConfig, type SluiceConfig } from '../../src/config/index.js';
import { configCases } from './parse.test.js';

describe('config/appenv', () => {
  for (const c of configCases().filter((x) => x.expected.targets)) {
    it(`${c.name}: resolves every app × env`, () => {
      assert.deepEqual(appEnvironments(parseConfig(c.text)), c.expected.targets);
    });
  }

  it('orders by app, then env in promotion order, whatever order the app lists envs in', () => {
    const config = parseConfig(`apiVersion: sluice.dev/v1alpha1
kind: Config
environments: [{name: dev}, {name: test}, {name: prod}]
apps:
  - {name: b, chart: b, environments: [prod, dev]}
  - {name: a, chart: a}
`);
    assert.deepEqual(
      appEnvironments(config).map((t) => `${t.app}/${t.env}/${t.envIndex}`),
      ['b/dev/0', 'b/prod/2', 'a/dev/0', 'a/test/1', 'a/prod/2'],
    );
  });

  it('skips an env a hand-built config does not define', () => {
    const config: SluiceConfig = {
      apiVersion: 'sluice.dev/v1alpha1',
      kind: 'Config',
      environments: [{ name: 'dev', namespace: 'd', cluster: '', createNamespace: false, syncPolicy: { auto: true, prune: false, selfHeal: false } }],
      apps: [{ name: 'web', chart: { path: 'c' }, releaseName: 'web', environments: ['dev', 'gone'], ignoreDifferences: [] }],
    };
    assert.deepEqual(appEnvironments(config).map((t) => t.env), ['dev']);
  });
});
