/**
 * One reconcile pass of one app × env: render → place → compare with live → (auto) sync and prune →
 * health → status. Failures become status values; a failed render never applies or prunes anything.
 */
import type { AppEnv } from '../config/types.js';
import { diffObject } from '../diff/diff.js';
import { unifiedDiff } from '../diff/unified.js';
import { aggregateHealth, assessHealth } from '../health/index.js';
import type { HealthStatus } from '../health/types.js';
import type { ClusterClient } from '../kube/client.js';
import { objectKey, refOf, type KubeObject, type ObjectRef } from '../kube/types.js';
import type { Logger } from '../log/logger.js';
import { applyObjects, pruneObjects } from '../sync/apply.js';
import type { ChangeSetEntry } from '../sync/changeset.js';
import { FIELD_MANAGER, type InventoryStore } from '../sync/inventory.js';
import { placeInNamespaces } from '../sync/namespaces.js';
import { applyOrder, pruneOrder } from '../sync/order.js';
import { stamp } from '../sync/ownership.js';
import { pruneCandidates, staleRefs } from '../sync/prune.js';
import type { RenderOutcome } from './render.js';
import type { AppEnvStatus, ResourceStatus } from './status.js';

export interface ReconcileDeps {
  readonly client: ClusterClient;
  readonly inventory: InventoryStore;
  readonly log: Logger;
}

export interface ReconcileInput {
  readonly appEnv: AppEnv;
  readonly revision: string;
  readonly render: RenderOutcome;
  readonly previous?: AppEnvStatus;
  /** Sync even when the env's policy isn't automatic (a manual `sync` request). */
  readonly forceSync?: boolean;
}

export interface ReconcileResult {
  readonly status: AppEnvStatus;
  /** The pass applied or pruned something. */
  readonly synced: boolean;
  readonly changes: readonly ChangeSetEntry[];
}

interface Comparison {
  readonly desired: KubeObject[];
  readonly live: Map<string, KubeObject | undefined>;
  readonly drifted: Set<string>;
  readonly missing: Set<string>;
  /** Unified diffs of drifted objects, by key. */
  readonly diffs: Map<string, string>;
  readonly prune: { ref: ObjectRef; live: KubeObject }[];
}

async function getAll(client: ClusterClient, refs: readonly ObjectRef[]): Promise<(KubeObject | undefined)[]> {
  return Promise.all(refs.map((r) => client.get(r)));
}

async function compare(deps: ReconcileDeps, appEnv: AppEnv, rendered: KubeObject[]): Promise<Comparison> {
  const owner = { app: appEnv.app, env: appEnv.env };
  const placed = await placeInNamespaces(deps.client, rendered, appEnv.namespace);
  const desired = applyOrder(placed.map((o) => stamp(o, owner)));
  const lives = await getAll(deps.client, desired.map(refOf));
  const live = new Map<string, KubeObject | undefined>();
  const drifted = new Set<string>();
  const missing = new Set<string>();
  const diffs = new Map<string, string>();
  desired.forEach((obj, i) => {
    const key = objectKey(refOf(obj));
    live.set(key, lives[i]);
    if (!lives[i]) {
      missing.add(key);
      drifted.add(key);
      return;
    }
    const d = diffObject(obj, lives[i] as KubeObject, { manager: FIELD_MANAGER, ignoreDifferences: appEnv.ignoreDifferences });
    if (!d.inSync) {
      drifted.add(key);
      diffs.set(key, unifiedDiff(d));
    }
  });
  const previous = (await deps.inventory.load(owner))?.objects ?? [];
  const stale = staleRefs(previous, desired);
  const staleLive = await getAll(deps.client, stale);
  const prune = pruneCandidates(stale.map((ref, i) => ({ ref, live: staleLive[i] })), owner);
  return { desired, live, drifted, missing, diffs, prune };
}

function resourceStatuses(c: Comparison): ResourceStatus[] {
  const out: ResourceStatus[] = c.desired.map((obj) => {
    const ref = refOf(obj);
    const key = objectKey(ref);
    const live = c.live.get(key);
    const health = live ? assessHealth(live) : { status: 'Missing' as HealthStatus, message: 'not found in the cluster' };
    const status = c.missing.has(key) ? 'Missing' : c.drifted.has(key) ? 'OutOfSync' : 'Synced';
    return { kind: ref.kind, namespace: ref.namespace, name: ref.name, status, health: health.status, message: health.message || undefined, diff: c.diffs.get(key) };
  });
  for (const p of c.prune) {
    out.push({ kind: p.ref.kind, namespace: p.ref.namespace, name: p.ref.name, status: 'OutOfSync', health: assessHealth(p.live).status, message: 'no longer rendered: requires pruning' });
  }
  return out;
}

async function sync(deps: ReconcileDeps, appEnv: AppEnv, revision: string, c: Comparison): Promise<ChangeSetEntry[]> {
  if (appEnv.createNamespace) await deps.client.ensureNamespace(appEnv.namespace);
  const changes = await applyObjects(deps.client, { ordered: c.desired, drifted: c.drifted, missing: c.missing });
  const failed = changes.some((e) => e.action === 'failed');
  const pruneAllowed = appEnv.syncPolicy.prune && !failed && c.desired.length > 0;
  if (pruneAllowed && c.prune.length) {
    const byKey = new Map(c.prune.map((p) => [objectKey(p.ref), p.live]));
    const ordered = pruneOrder([...byKey.values()]).map(refOf);
    changes.push(...(await pruneObjects(deps.client, ordered)));
  }
  if (!failed) {
    // Objects kept because prune is off stay in the inventory, so a later prune still finds them.
    const kept = pruneAllowed ? [] : c.prune.map((p) => p.ref);
    await deps.inventory.save({ app: appEnv.app, env: appEnv.env }, { revision, objects: [...c.desired.map(refOf), ...kept] });
  }
  return changes;
}

function summary(changes: readonly ChangeSetEntry[]): string {
  const counts = new Map<string, number>();
  for (const e of changes) if (e.action !== 'unchanged') counts.set(e.action, (counts.get(e.action) ?? 0) + 1);
  return [...counts].map(([a, n]) => `${n} ${a}`).join(', ') || 'no changes';
}

/**
 * Argo CD's automated-sync rule: a new revision is synced automatically; drift on an already
 * synced revision is only corrected when selfHeal is on. A sync of this revision that failed is
 * retried (the controller spaces retries out).
 */
export function shouldAutoSync(appEnv: AppEnv, revision: string, previous: AppEnvStatus | undefined): boolean {
  if (!appEnv.syncPolicy.auto) return false;
  const last = previous?.lastSync;
  if (!last || last.revision !== revision) return true;
  return appEnv.syncPolicy.selfHeal || last.changes.some((c) => c.action === 'failed');
}

export async function reconcile(deps: ReconcileDeps, input: ReconcileInput): Promise<ReconcileResult> {
  const { appEnv, revision, previous } = input;
  const base = { app: appEnv.app, env: appEnv.env, namespace: appEnv.namespace, lastSyncedAt: previous?.lastSyncedAt ?? null };
  if (!input.render.ok) {
    const e = input.render.error;
    const where = e.file ? `${e.file}${e.line ? `:${e.line}` : ''}: ` : '';
    const message = `render failed at ${revision.slice(0, 7)}: ${e.message.startsWith(where) || !where ? '' : where}${e.message}`;
    const status: AppEnvStatus = { ...base, revision, syncStatus: 'Error', health: previous?.health ?? 'Unknown', message, resources: previous?.resources ?? [], lastSync: previous?.lastSync };
    return { status, synced: false, changes: [] };
  }
  let c = await compare(deps, appEnv, input.render.objects);
  const outOfSync = c.drifted.size > 0 || c.prune.length > 0;
  let changes: ChangeSetEntry[] = [];
  let lastSync = previous?.lastSync;
  let lastSyncedAt = base.lastSyncedAt;
  if (outOfSync && (input.forceSync || shouldAutoSync(appEnv, revision, previous))) {
    changes = await sync(deps, appEnv, revision, c);
    const at = new Date().toISOString();
    lastSync = { revision, at, changes };
    if (!changes.some((e) => e.action === 'failed')) lastSyncedAt = at;
    deps.log.log('info', 'synced', { app: appEnv.app, env: appEnv.env, revision, result: summary(changes) });
    c = await compare(deps, appEnv, input.render.objects); // status reflects the cluster after the sync
  }
  const resources = resourceStatuses(c);
  const failed = changes.find((e) => e.action === 'failed');
  const nowOutOfSync = c.drifted.size > 0 || c.prune.length > 0;
  const health = aggregateHealth(resources.filter((r) => r.message !== 'no longer rendered: requires pruning').map((r) => ({ status: r.health, message: r.message ?? '' }))).status;
  const message = failed
    ? `sync failed: ${failed.error}`
    : nowOutOfSync
      ? `${c.drifted.size} object(s) differ from git${c.prune.length ? `, ${c.prune.length} to prune` : ''}`
      : changes.length
        ? `synced ${revision.slice(0, 7)}: ${summary(changes)}`
        : `in sync with ${revision.slice(0, 7)}`;
  const status: AppEnvStatus = { ...base, revision, syncStatus: nowOutOfSync ? 'OutOfSync' : 'Synced', health, lastSyncedAt, message, resources, lastSync };
  return { status, synced: changes.some((e) => e.action !== 'unchanged'), changes };
}

