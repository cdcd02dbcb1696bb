/** The wait of `sluice wait` / `sync --wait`: its verdict on a status, the progress it prints, and its loop on a stepped clock. */
import assert from 'node:assert/strict';
import type { AppEnvStatus, OperationStatus, ResourceStatus } from '../../src/engine/status.js';
import { ApiError } from '../../src/server/client.js';
import { progressLines, verdict, waitFor, type WaitTarget } from '../../src/cli/wait.js';

const res = (kind: string, status: ResourceStatus['status'], health: ResourceStatus['health'], message?: string): ResourceStatus => ({ kind, namespace: 'shop-dev', name: 'web', status, health, ...(message ? { message } : {}) });
const op = (release: number, phase: OperationStatus['phase'], message = ''): OperationStatus => ({ id: `op${release}`, phase, trigger: 'manual-sync', release, revision: 'b'.repeat(40), startedAt: '2026-12-03T10:00:00Z', attempt: 1, message, hooks: [] });

function status(over: Partial<AppEnvStatus> = {}): AppEnvStatus {
  return { app: 'web', env: 'dev', namespace: 'shop-dev', revision: 'a'.repeat(40), syncStatus: 'Synced', health: 'Healthy', lastSyncedAt: null, message: '', resources: [res('Deployment', 'Synced', 'Healthy')], ...over };
}

const VERDICTS: [string, AppEnvStatus, WaitTarget, string][] = [
  ['Synced and Healthy', status(), {}, 'succeeded'],
  ['Synced and Healthy, our sync done', status({ operation: op(4, 'Succeeded') }), { release: 4 }, 'succeeded'],
  ['our sync not seen yet (an older operation)', status({ operation: op(3, 'Succeeded') }), { release: 4 }, 'waiting'],
  ['our sync not seen yet (no operation)', status(), { release: 4 }, 'waiting'],
  ['our sync running', status({ operation: op(4, 'Running') }), { release: 4 }, 'waiting'],
  ['our sync retrying', status({ syncStatus: 'OutOfSync', operation: op(4, 'Retrying', 'apply failed') }), { release: 4 }, 'waiting'],
  ['our sync failed', status({ syncStatus: 'OutOfSync', operation: op(4, 'Failed', 'PreSync hook failed') }), { release: 4 }, 'failed: sync (release 4) failed: PreSync hook failed'],
  ['a later sync runs after ours', status({ operation: op(5, 'Running') }), { release: 4 }, 'waiting'],
  ['a sync running, Healthy so far', status({ operation: op(4, 'Running') }), {}, 'waiting'],
  ['Progressing', status({ health: 'Progressing' }), {}, 'waiting'],
  ['OutOfSync, nothing running', status({ syncStatus: 'OutOfSync' }), {}, 'waiting'],
  ['Degraded', status({ health: 'Degraded', resources: [res('Deployment', 'Synced', 'Degraded', 'progress deadline exceeded')] }), {}, 'failed: Degraded: Deployment/web progress deadline exceeded'],
  ['rolled back', status({ syncStatus: 'RolledBack', rolledBack: { release: 5, revision: 'c'.repeat(40), to: 4, reason: 'went Degraded', at: '', by: 'auto' } }), {}, 'failed: rolled back to release 4: went Degraded'],
  ['Error', status({ syncStatus: 'Error', message: 'cluster unreachable' }), {}, 'failed: sync status Error: cluster unreachable'],
  ['a render failure', status({ conditions: [{ type: 'ComparisonError', reason: 'RenderFailed', message: 'templates/x.yaml: bad', lastTransitionTime: '' }] }), {}, 'failed: RenderFailed: templates/x.yaml: bad'],
  ['the last sync failed, OutOfSync', status({ syncStatus: 'OutOfSync', operation: op(3, 'Failed', 'boom') }), {}, 'failed: the last sync (release 3) failed: boom'],
  ['Synced and Healthy at the revision waited for', status(), { revision: 'AAAAAAA' }, 'succeeded'],
  ['Synced and Healthy, the revision not there yet', status(), { revision: 'b'.repeat(40) }, 'waiting'],
  ['Degraded before the revision arrives', status({ health: 'Degraded' }), { revision: 'bbbbbbb' }, 'waiting'],
  ['a render failure of the revision before, which the push may fix', status({ conditions: [{ type: 'ComparisonError', reason: 'RenderFailed', message: 'bad', lastTransitionTime: '' }] }), { revision: 'bbbbbbb' }, 'waiting'],
  ['a render failure at the revision waited for', status({ conditions: [{ type: 'ComparisonError', reason: 'RenderFailed', message: 'bad', lastTransitionTime: '' }] }), { revision: 'aaaaaaa' }, 'failed: RenderFailed: bad'],
  ['the revision waited for was rejected', status({ conditions: [{ type: 'InvalidSpecError', reason: 'ConfigRejected', message: 'config at bbbbbbb rejected, keeping aaaaaaa: sluice.yaml:3: bad', lastTransitionTime: '' }] }), { revision: 'b'.repeat(40) }, 'failed: ConfigRejected: config at bbbbbbb rejected, keeping aaaaaaa: sluice.yaml:3: bad'],
];

describe('cli/wait', () => {
  for (const [name, s, target, want] of VERDICTS) {
    it(`verdict: ${name} → ${want}`, () => {
      const v = verdict(s, target);
      assert.equal(v.done ? (v.outcome === 'failed' ? `failed: ${v.reason}` : v.outcome) : 'waiting', want);
    });
  }

  it('prints the first state whole, then only what changed', () => {
    const first = status({ syncStatus: 'OutOfSync', health: 'Progressing', operation: op(4, 'Running'), resources: [res('ConfigMap', 'Synced', 'Healthy'), res('Deployment', 'OutOfSync', 'Progressing', 'Waiting for rollout')] });
    assert.deepEqual(progressLines(undefined, first), ['web/dev: OutOfSync, Progressing', 'sync release 4 (bbbbbbb): Running', '  ConfigMap/web: Synced, Healthy', '  Deployment/web: OutOfSync, Progressing - Waiting for rollout']);
    const next = { ...first, syncStatus: 'Synced' as const, health: 'Healthy' as const, operation: op(4, 'Succeeded', 'synced'), resources: [res('ConfigMap', 'Synced', 'Healthy'), res('Deployment', 'Synced', 'Healthy')] };
    assert.deepEqual(progressLines(first, next), ['web/dev: Synced, Healthy', 'sync release 4 (bbbbbbb): Succeeded - synced', '  Deployment/web: Synced, Healthy']);
    assert.deepEqual(progressLines(next, next), []);
  });

  /** Runs waitFor over `statuses` (one per poll, the last repeated), on a clock that moves only when it sleeps. */
  async function run(statuses: (AppEnvStatus | Error)[], target: WaitTarget, timeoutMs = 10_000) {
    let t = 0;
    let i = 0;
    const lines: string[] = [];
    const end = await waitFor({
      status: async () => {
        const s = statuses[Math.min(i++, statuses.length - 1)];
        if (s instanceof Error) throw s;
        return s;
      },
      now: () => t,
      sleep: async (ms) => void (t += ms),
      write: (l) => lines.push(l),
    }, target, { timeoutMs, intervalMs: 1_000 });
    return { ...end, lines, polls: i, elapsed: t };
  }

  it('waits through the sync to Synced and Healthy', async () => {
    const end = await run([status({ operation: op(3, 'Succeeded') }), status({ health: 'Progressing', operation: op(4, 'Running') }), status({ operation: op(4, 'Succeeded') })], { release: 4 });
    assert.equal(end.outcome, 'succeeded');
    assert.equal(end.polls, 3);
    assert.equal(end.elapsed, 2_000);
  });

  it('times out where nothing moves, saying where it stood', async () => {
    const end = await run([status({ health: 'Progressing', operation: op(4, 'Running') })], {}, 3_500);
    assert.equal(end.outcome, 'timeout');
    assert.equal(end.elapsed, 3_500);
    assert.equal(end.reason, 'timed out after 3500ms (Synced, Progressing, sync release 4 still Running)');
  });

  it('tries again while the server cannot be reached or is a standby, and stops at a refusal', async () => {
    const down = new ApiError('unreachable', 'u', 'cannot reach sluice');
    const standby = new ApiError('refused', 'u', 'this replica is a standby', 503);
    const end = await run([down, down, standby, status()], {});
    assert.equal(end.outcome, 'succeeded');
    assert.deepEqual(end.lines.slice(0, 2), ['cannot reach sluice (trying again)', 'this replica is a standby (trying again)']);
    await assert.rejects(run([new ApiError('refused', 'u', 'app web has no environment prod', 404)], {}), /no environment prod/);
  });
});
