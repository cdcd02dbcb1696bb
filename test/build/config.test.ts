/** buildConfig / tagOf: the runner's reading of a config revision. */
import assert from 'node:assert/strict';
import { buildConfig, tagOf } from '../../src/build/config.js';
import { parseConfig } from '../../src/config/index.js';

const enc = (s: string) => new TextEncoder().encode(s);

describe('build/config', () => {
  const tags: [string, string | undefined, string | undefined][] = [
    ['quoted tag', 'image:\n  tag: "3f2a9c1.20261123-0412"\n', '3f2a9c1.20261123-0412'],
    ['comments and other keys kept out', '# bumped by sluice\nimage:\n  repository: x\n  tag: 1.2.3 # pinned\n', '1.2.3'],
    ['numeric tag', 'image:\n  tag: 2\n', '2'],
    ['no tag', 'image:\n  repository: x\n', undefined],
    ['empty file', '', undefined],
    ['broken YAML', 'image: [\n', undefined],
    ['missing file', undefined, undefined],
  ];
  for (const [name, text, want] of tags) {
    it(`tagOf: ${name}`, () => assert.equal(tagOf(text === undefined ? undefined : enc(text)), want));
  }

  it('takes the apps that declare a build and reads their env tags from the revision', () => {
    const config = parseConfig(
      `apiVersion: sluice.dev/v1alpha1
kind: Config
environments:
  - {name: dev, namespace: shop-dev}
  - {name: prod, namespace: shop-prod}
apps:
  - name: web
    chart: charts/web
    build: {repo: "https://git.example.com/web.git", image: registry.example.com/web, registrySecret: regcred}
  - name: api
    chart: charts/api
builds: {concurrency: 3}
`,
      'sluice.yaml',
    );
    const bc = buildConfig(config, new Map([['environments/dev/web/image.yaml', enc('image:\n  tag: "abc1234.20261123-0000"\n')]]));
    assert.deepEqual(bc.specs.map((s) => [s.app, s.env]), [['web', 'dev']]);
    assert.equal(bc.settings.concurrency, 3);
    assert.equal(bc.currentTag('web', 'dev'), 'abc1234.20261123-0000');
    assert.equal(bc.currentTag('web', 'prod'), undefined);
  });
});
