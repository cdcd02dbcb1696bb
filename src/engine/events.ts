/**
 * Kubernetes Events for what sluice did to an app × env (sync, prune, rollback, promotion), so
 * `kubectl get events -n <state namespace> -l sluice.dev/app=web` and `kubectl describe configmap
 * sluice-inventory.web.dev` tell the story without sluice's API. Argo CD records its events on the
 * Application; sluice has no custom resource, so they hang off the app × env's inventory ConfigMap.
 *
 * Events are created with server-side apply (a fresh name each, as the Kubernetes event recorder
 * names them `<object>.<hex>`), which needs only `create`/`patch` on events. Recording never
 * fails a sync: errors are logged.
 */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { ClusterClient } from '../kube/client.js';
import type { KubeObject } from '../kube/types.js';
import type { Logger } from '../log/logger.js';
import { summarize } from '../sync/changeset.js';
import { FIELD_MANAGER, inventoryName } from '../sync/inventory.js';
import type { Finished } from './operations.js';
import { LABEL_APP, LABEL_ENV } from '../sync/ownership.js';
import { errorText } from '../common/error-text.js';

export type EventReason = 'Synced' | 'SyncFailed' | 'Pruned' | 'RolledBack' | 'RollbackFailed' | 'Promoted' | 'HistoryRewritten';

export interface AppEvent {
  readonly app: string;
  readonly env: string;
  readonly reason: EventReason;
  readonly type: 'Normal' | 'Warning';
  readonly message: string;
  /** What sluice did: `Sync`, `Prune`, `Rollback`, `Promote`, `Fetch`. */
  readonly action: string;
}

/** Kubernetes caps an Event message at 1 KiB in practice (kubectl and the API truncate longer ones). */
const MAX_MESSAGE = 1024;

/** The Event object (pure); `involvedUid` makes `kubectl describe` find it. */
export function eventObject(e: AppEvent, namespace: string, involvedUid: string | undefined, at: Date, suffix: string): KubeObject {
  const involved = inventoryName(e);
  const time = at.toISOString().replace(/\.\d{3}Z$/, 'Z');
  return {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name: `${involved}.${suffix}`, namespace, labels: { [LABEL_APP]: e.app, [LABEL_ENV]: e.env } },
    involvedObject: { apiVersion: 'v1', kind: 'ConfigMap', name: involved, namespace, ...(involvedUid ? { uid: involvedUid } : {}) },
    reason: e.reason,
    message: e.message.length > MAX_MESSAGE ? `${e.message.slice(0, MAX_MESSAGE - 1)}…` : e.message,
    type: e.type,
    action: e.action,
    count: 1,
    firstTimestamp: time,
    lastTimestamp: time,
    source: { component: 'sluice' },
    reportingComponent: 'sluice.dev/controller',
    reportingInstance: hostname(),
  };
}

export class EventRecorder {
  constructor(
    private readonly client: (app: string, env: string) => ClusterClient,
    private readonly namespace: string,
    private readonly log: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  async record(e: AppEvent): Promise<void> {
    try {
      const client = this.client(e.app, e.env);
      const inventory = await client.get({ apiVersion: 'v1', kind: 'ConfigMap', namespace: this.namespace, name: inventoryName(e) });
      const obj = eventObject(e, this.namespace, inventory?.metadata.uid, new Date(this.now()), randomBytes(8).toString('hex'));
      await client.apply(obj, { fieldManager: FIELD_MANAGER, force: true });
    } catch (err) {
      this.log.log('warn', 'event not recorded', { app: e.app, env: e.env, reason: e.reason, error: errorText(err) });
    }
  }
}

const short = (sha: string): string => sha.slice(0, 7);

/** The events a finished sync or rollback operation tells (pure). */
export function operationEvents(f: Finished): AppEvent[] {
  const { release, op, rollback } = f.active;
  const who = { app: release.app, env: release.env };
  if (rollback) {
    return op.phase === 'Failed'
      ? [{ ...who, reason: 'RollbackFailed', type: 'Warning', action: 'Rollback', message: `rollback to release ${rollback.to.id} failed: ${op.message}` }]
      : [{ ...who, reason: 'RolledBack', type: 'Warning', action: 'Rollback', message: `rolled back (${rollback.by}) to release ${rollback.to.id} (${short(rollback.to.revision)}): ${rollback.reason}` }];
  }
  const head = `release ${release.id} (${short(release.revision)}, ${release.trigger})`;
  if (op.phase === 'Failed') return [{ ...who, reason: 'SyncFailed', type: 'Warning', action: 'Sync', message: `${head} failed: ${op.message}` }];
  const n = summarize(op.changes);
  const events: AppEvent[] = [{ ...who, reason: 'Synced', type: 'Normal', action: 'Sync', message: `${head} synced: ${n.created} created, ${n.configured} configured, ${n.deleted} pruned` }];
  const pruned = op.changes.filter((c) => c.action === 'deleted').map((c) => c.subject);
  if (pruned.length > 0) {
    const listed = pruned.slice(0, 10).join(', ') + (pruned.length > 10 ? ` and ${pruned.length - 10} more` : '');
    events.push({ ...who, reason: 'Pruned', type: 'Normal', action: 'Prune', message: `${head} pruned ${listed}` });
  }
  return events;
}
