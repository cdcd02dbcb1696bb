/**
 * A fake ReleaseApi for the HTTP route and CLI tests: knows web/dev with releases 2 and 1, and
 * refuses rollback targets by id — 9 not-found, 8 no-target, 7 busy, 6 a plain Error (an outage).
 */
import type { ReleaseApi, RollbackRequest } from '../../src/engine/release-api.js';
import { RefusedError } from '../../src/engine/errors.js';
import type { ReleaseRecord } from '../../src/history/release.js';

export function release(id: number, over: Partial<ReleaseRecord> = {}): ReleaseRecord {
  return { id, app: 'web', env: 'dev', revision: `${id}`.repeat(40), digest: 'd', images: [], trigger: 'auto-sync', startedAt: '2026-01-01T00:00:00Z', result: 'Succeeded', ...over };
}

export class FakeReleaseApi implements ReleaseApi {
  readonly calls: RollbackRequest[] = [];
  readonly records = [release(2, { images: ['web:1.1.0'], health: 'Healthy', message: 'synced 2 objects' }), release(1, { images: ['web:1.0.0'], health: 'Healthy' })];

  private check(app: string, env: string): void {
    if (app !== 'web' || env !== 'dev') throw new RefusedError('not-found', `app ${app} has no environment ${env}`);
  }

  async history(app: string, env: string): Promise<ReleaseRecord[]> {
    this.check(app, env);
    return this.records;
  }

  async rollback(app: string, env: string, request: RollbackRequest): Promise<ReleaseRecord> {
    this.check(app, env);
    this.calls.push(request);
    switch (request.to) {
      case 9: throw new RefusedError('not-found', 'release 9 is not in the history (kept: 1, 2)');
      case 8: throw new RefusedError('no-target', 'release 8 did not succeed (Failed); it cannot be rolled back to');
      case 7: throw new RefusedError('busy', 'web/dev is syncing release 3');
      case 6: throw new Error('connect ECONNREFUSED 10.0.0.1:443');
    }
    return release(3, { trigger: 'manual-rollback', rollbackOf: request.to ?? 1, ...(request.by ? { triggeredBy: request.by } : {}) });
  }
}
