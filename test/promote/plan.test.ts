/** planPromotion (table in test/fixtures/promote/plan.yaml), copyValues, and promotionChanges. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { parseConfig } from '../../src/config/index.js';
import { copyValues, planPromotion, promotionChanges, PromotionError } from '../../src/promote/plan.js';

interface Fixture {
  config: string;
  files: Record<string, string>;
  cases: { name: string; request: { app: string; to: string; from?: string }; want?: Record<string, unknown>; error?: string }[];
}

describe('promote/plan', () => {
  const fx = parse(readFileSync(path.resolve('test/fixtures/promote/plan.yaml'), 'utf8')) as Fixture;
  const config = parseConfig(fx.config, 'sluice.yaml');
  const files = new Map(Object.entries(fx.files).map(([k, v]) => [k, new TextEncoder().encode(v)]));
  for (const c of fx.cases) {
    it(c.name, () => {
      if (c.error) {
        assert.throws(() => planPromotion(config, files, c.request), (e: unknown) => e instanceof PromotionError && e.code === c.error);
        return;
      }
      const plan = planPromotion(config, files, c.request) as unknown as Record<string, unknown>;
      for (const [k, v] of Object.entries(c.want ?? {})) assert.deepEqual(plan[k], v, k);
      assert.match(String(plan.message), new RegExp(`^Promoted-From: ${String(plan.from)}$`, 'm'));
    });
  }

  it('copies the listed values keys, keeping the rest of the target and removing keys the source lacks', () => {
    const source = 'replicaCount: 4\nresources:\n  limits: {cpu: "2"}\n';
    const target = '# prod overlay\ngreeting: "Hello from prod"\nreplicaCount: 2\nautoscaling: {enabled: true}\n';
    assert.equal(copyValues('v.yaml', source, target, ['replicaCount', 'resources.limits', 'autoscaling']), '# prod overlay\ngreeting: "Hello from prod"\nreplicaCount: 4\nresources:\n  limits: { cpu: "2" }\n');
    assert.equal(copyValues('v.yaml', source, target, []), target);
  });

  it('writes the target image.yaml (and values) from what the branch holds', async () => {
    const plan = planPromotion(config, files, { app: 'api', to: 'prod' });
    const held = new Map([['environments/prod/api/image.yaml', 'image:\n  tag: "1.9.0" # pinned\n'], ['environments/dev/api/values.yaml', 'replicaCount: 3\n']]);
    const changes = await promotionChanges(plan, async (p) => (held.has(p) ? new TextEncoder().encode(held.get(p)) : undefined));
    assert.deepEqual(changes, [
      { path: 'environments/prod/api/image.yaml', content: 'image:\n  tag: "2.0.0" # pinned\n' },
      { path: 'environments/prod/api/values.yaml', content: 'replicaCount: 3\n' },
    ]);
  });
});
