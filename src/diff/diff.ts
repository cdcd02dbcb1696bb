/**
 * `diffObject` compares one rendered manifest with its live object; `diffSets` matches two sets
 * of objects by group/kind/namespace/name and diffs each pair. Pure: data in, records out.
 * Rules (see compare.ts, removed.ts): only what desired sets is compared; fields sluice applied
 * before (managedFields, manager `options.manager`, operation Apply) that git dropped are drift,
 * and for an adopted object without that entry, fields of its last-applied configuration
 * (lastapplied.ts); a namespace on a cluster-scoped object and a Secret value "" against a
 * missing or null one are not drift;
 * ignoreDifferences rules remove fields by JSON pointer or by owning manager; Secrets are masked
 * before anything is compared, so no entry or view can hold cleartext.
 */
import { groupOf, objectKey, refOf, subject, type KubeObject } from '../kube/types.js';
import { compareValue, type CompareContext } from './compare.js';
import { appliedFields, managedFieldsOf, ownersOf, type Step } from './fieldsv1.js';
import { maskSecret, maskSecretPair } from './mask.js';
import { lastAppliedFields } from './lastapplied.js';
import { dropEmptySecretValues, isMap, normalizeDesired, normalizeLive, removeIgnoredPointers, rulesFor } from './normalize.js';
import { findRemoved } from './removed.js';
import { defaultDiffOptions, type DiffEntry, type DiffOptions, type ObjectDiff, type ObjectDiffStatus } from './types.js';

type Doc = Record<string, unknown>;

function identity(obj: KubeObject, status: ObjectDiffStatus, entries: readonly DiffEntry[]) {
  const ref = refOf(obj);
  return {
    group: groupOf(ref.apiVersion),
    kind: ref.kind,
    ...(ref.namespace !== undefined ? { namespace: ref.namespace } : {}),
    name: ref.name,
    subject: subject(ref),
    status,
    inSync: status === 'Synced',
    entries,
  };
}

function missing(desired: KubeObject): ObjectDiff {
  const d = maskSecret(normalizeDesired(desired));
  return { ...identity(desired, 'Missing', [{ path: '', op: 'add', desired: d, reason: 'missing-in-cluster' }]), desired: d };
}

/** A live object nothing renders any more: the caller decides whether to prune it. */
export function extraObject(live: KubeObject): ObjectDiff {
  const l = maskSecret(normalizeLive(live));
  return { ...identity(live, 'Extra', [{ path: '', op: 'remove', live: l, reason: 'removed-from-git' }]), live: l };
}

/**
 * Compares `desired` (a rendered manifest) with `live` (as the API server returns it; undefined
 * when it does not exist). Options default to `defaultDiffOptions()`.
 */
export function diffObject(desired: KubeObject, live: KubeObject | null | undefined, options: Partial<DiffOptions> = {}): ObjectDiff {
  if (!live) return missing(desired);
  const opts: DiffOptions = { ...defaultDiffOptions(), ...options };
  const rules = rulesFor(desired, opts.ignoreDifferences);
  const nd = normalizeDesired(desired);
  const nl = normalizeLive(live);
  // A namespace written on a cluster-scoped object (live has none) is ignored by the API server: not drift.
  const clusterScoped = !live.metadata.namespace && isMap(nd.metadata) && nd.metadata.namespace !== undefined;
  if (clusterScoped && isMap(nd.metadata)) delete nd.metadata.namespace;
  removeIgnoredPointers(nd, rules);
  removeIgnoredPointers(nl, rules);
  dropEmptySecretValues(nd, nl);
  const { desired: d, live: l } = maskSecretPair(nd, nl);
  const managed = managedFieldsOf(live);
  const ignoredManagers = rules.flatMap((r) => r.managedFieldsManagers ?? []);
  const ignored = ignoredManagers.length
    ? (steps: readonly Step[]) => ownersOf(managed, steps).some((m) => ignoredManagers.includes(m))
    : () => false;
  const ctx: CompareContext = { records: [], managed, manager: opts.manager, views: new Map(), ignored };
  const view = compareValue(d, l, [], ctx);
  // Identity fields are not compared (the pair was matched on them) but both sides show them.
  const liveView: Doc = { apiVersion: l.apiVersion, kind: l.kind, ...(isMap(view) ? view : {}) };
  // Fields git dropped: those sluice applied before, or, for an object sluice adopts from kubectl
  // or Argo CD (no Apply entry of sluice yet), those of the previous applier's last-applied configuration.
  const owned = appliedFields(managed, opts.manager);
  const previous = owned ? undefined : lastAppliedFields(live);
  if (owned) findRemoved(owned, d, l, [], () => liveView, ctx);
  else if (previous) findRemoved(previous, d, l, [], () => liveView, { ...ctx, fromLastApplied: true });
  const entries = ctx.records.map((r) => r.entry);
  const subjectOf = clusterScoped ? { ...desired, metadata: { ...desired.metadata, namespace: undefined } } : desired;
  return { ...identity(subjectOf, entries.length ? 'OutOfSync' : 'Synced', entries), desired: d, live: liveView };
}

export interface DiffSetsResult {
  /** One per desired object (in order), then one per live object nothing renders. */
  readonly objects: readonly ObjectDiff[];
  readonly inSync: boolean;
}

/**
 * The key of the live object `d` pairs with: the same group/kind/namespace/name, or — when the
 * manifest leaves its namespace to the environment (Helm charts usually do) — the only live
 * object with that group/kind/name.
 */
function pairKey(d: KubeObject, byKey: ReadonlyMap<string, KubeObject>): string {
  const ref = refOf(d);
  const key = objectKey(ref);
  if (byKey.has(key)) return key;
  if (ref.namespace !== undefined) {
    // A cluster-scoped object whose manifest names a namespace anyway: live has it without one.
    const clusterKey = objectKey({ ...ref, namespace: undefined });
    return byKey.has(clusterKey) ? clusterKey : key;
  }
  const prefix = `${groupOf(ref.apiVersion)}/${ref.kind}/`;
  const same = [...byKey.entries()].filter(([, l]) => l.metadata.name === ref.name && objectKey(refOf(l)).startsWith(prefix));
  return same.length === 1 ? same[0][0] : key;
}

/** Diffs every desired object against the live object with the same group/kind/namespace/name. */
export function diffSets(desired: readonly KubeObject[], live: readonly KubeObject[], options: Partial<DiffOptions> = {}): DiffSetsResult {
  const byKey = new Map(live.map((o) => [objectKey(refOf(o)), o]));
  const objects: ObjectDiff[] = desired.map((d) => {
    const key = pairKey(d, byKey);
    const l = byKey.get(key);
    byKey.delete(key);
    return diffObject(d, l, options);
  });
  for (const l of byKey.values()) objects.push(extraObject(l));
  return { objects, inSync: objects.every((o) => o.inSync) };
}
