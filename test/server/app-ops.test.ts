/** The diff, sync and bump routes of createApp against fakes (test/fixtures/server/ops-routes.yaml). */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import path from 'node:path';
import { parse } from 'yaml';
import type { AppDiff } from '../../src/engine/diff-report.js';
import type { AppOpsApi, BumpApi, SyncAnswer, SyncOptions } from '../../src/engine/ops-api.js';
import { StatusStore } from '../../src/engine/status.js';
import { RefusedError } from '../../src/engine/errors.js';
import { Metrics } from '../../src/metrics/registry.js';
import { createApp } from '../../src/server/app.js';
import { ADMIN, testTokens } from '../support/api-tokens.js';
import { listening } from '../support/cli.js';

interface Case { name: string; method: 'GET' | 'POST'; path: string; body?: string; status: number; response?: Record<string, unknown>; calls?: string[] }

const calls: string[] = [];
const diffOf = (app: string, env: string): AppDiff => ({ app, env, revision: 'a'.repeat(40), inSync: false, objects: [{ object: 'ConfigMap/ns/web', change: 'update', diff: '-a\n+b\n' }], prune: [] });

function refuse(env: string): void {
  if (env === 'nope') throw new RefusedError('not-found', `app web has no environment ${env}`);
  if (env === 'busy') throw new RefusedError('busy', 'a sync of release 3 is in progress');
  if (env === 'broken') throw new RefusedError('unprocessable', 'web/broken does not render');
}

const ops: AppOpsApi = {
  async diff(app, env) {
    refuse(env);
    return diffOf(app, env);
  },
  async sync(app, env, o: SyncOptions): Promise<SyncAnswer> {
    refuse(env);
    calls.push(`sync ${app}/${env} prune=${o.prune === true} dryRun=${o.dryRun === true} by=${o.by}`);
    if (o.dryRun) return { started: false, message: 'dry run', diff: diffOf(app, env) };
    return { started: true, release: { id: 4, app, env, revision: 'a'.repeat(40), digest: '', images: [], trigger: 'manual-sync', startedAt: '', result: 'Running' } };
  },
};
const bumps: BumpApi = {
  async bump(app, env, tag, by) {
    calls.push(`bump ${app}/${env} ${tag} by=${by}`);
    return { commit: 'abc1234', changed: tag !== 'same' };
  },
};

describe('server/app diff, sync and bump routes', () => {
  let server: Server;
  let base: string;
  before(async () => {
    server = createApp({ tokens: testTokens(), status: new StatusStore(), metrics: new Metrics({ defaultMetrics: false }), ready: () => true, ops, bumps }).listen(0, '127.0.0.1');
    base = await listening(server);
  });
  after(() => new Promise<void>((r) => server.close(() => r())));
  beforeEach(() => calls.splice(0));

  for (const c of parse(readFileSync(path.resolve('test/fixtures/server/ops-routes.yaml'), 'utf8')) as Case[]) {
    it(c.name, async () => {
      const res = await fetch(base + c.path, { method: c.method, headers: { ...ADMIN, 'content-type': 'application/json' }, ...(c.body !== undefined ? { body: c.body } : c.method === 'POST' ? { body: '' } : {}) });
      const body = (await res.json()) as Record<string, unknown>;
      assert.equal(res.status, c.status, JSON.stringify(body));
      if (c.status >= 400) assert.equal(typeof body.error, 'string');
      for (const [k, v] of Object.entries(c.response ?? {})) assert.deepEqual(body[k], v, k);
      if (c.calls) assert.deepEqual(calls, c.calls);
    });
  }
});
