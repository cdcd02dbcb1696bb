import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { withUpstream, type Upstream } from '../../src/engine/conditions.js';
import type { AppCondition, AppEnvStatus } from '../../src/engine/status.js';

interface Case { name: string; upstream: Upstream; previous?: AppCondition[]; syncStatus: string; health: string; message: string; conditions: Omit<AppCondition, 'message'>[] }

const NOW = '2026-02-02T02:02:02.000Z';
const base: AppEnvStatus = { app: 'web', env: 'dev', namespace: 'shop-dev', revision: 'abc1234'.padEnd(40, '0'), syncStatus: 'Synced', health: 'Healthy', lastSyncedAt: null, message: 'in sync with abc1234', resources: [] };

describe('engine/conditions', () => {
  for (const c of parse(readFileSync(path.resolve('test/fixtures/engine/upstream-conditions.yaml'), 'utf8')) as Case[]) {
    it(c.name, () => {
      const previous = c.previous ? { ...base, conditions: c.previous } : undefined;
      const out = withUpstream(base, c.upstream, previous, NOW);
      assert.equal(out.syncStatus, c.syncStatus);
      assert.equal(out.health, c.health);
      assert.equal(out.message, c.message);
      assert.deepEqual(out.conditions?.map(({ type, reason, lastTransitionTime }) => ({ type, reason, lastTransitionTime })), c.conditions.map((x) => ({ ...x, lastTransitionTime: x.lastTransitionTime === 'NOW' ? NOW : x.lastTransitionTime })));
    });
  }
});
