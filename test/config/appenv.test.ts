/** appEnvironments: the valid fixture configs resolve to the app × env lists in their `.expected.yaml`. */
import assert from 'node:assert/strict';
import { appEnvironments, DEFAULT_BUILD_SETTINGS, DEFAULT_SYNC_POLICY, parseConfig, type SluiceConfig } from '../../src/config/index.js';
import { DEFAULT_PROMOTION } from '../../src/config/promotion.js';
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

  it('gives every target the config\'s own healthChecks array', () => {
    const config = parseConfig(`apiVersion: sluice.dev/v1alpha1
kind: Config
environments: [{name: dev}, {name: prod}]
apps: [{name: a, chart: a}, {name: b, chart: b}]
healthChecks: [{kind: ConfigMap, rules: [{status: Healthy, when: [{path: /data, exists: true}]}]}]
`);
    const targets = appEnvironments(config);
    assert.equal(targets.length, 4);
    for (const t of targets) assert.equal(t.healthChecks, config.healthChecks);
  });

  it('skips an env a hand-built config does not define', () => {
    const config: SluiceConfig = {
      apiVersion: 'sluice.dev/v1alpha1',
      kind: 'Config',
      environments: [{ name: 'dev', namespace: 'd', cluster: '', createNamespace: false, syncPolicy: DEFAULT_SYNC_POLICY, promotion: DEFAULT_PROMOTION }],
      apps: [{ name: 'web', chart: { path: 'c' }, releaseName: 'web', environments: ['dev', 'gone'], ignoreDifferences: [] }],
      healthChecks: [],
      builds: DEFAULT_BUILD_SETTINGS,
    };
    assert.deepEqual(appEnvironments(config).map((t) => t.env), ['dev']);
  });
});
