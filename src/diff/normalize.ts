/**
 * Prepares desired and live objects for comparison (gitops-engine pkg/diff normalization, fluxcd
 * ssa normalize.go): drops what the server owns (status, uid, resourceVersion, managedFields…),
 * folds a Secret's `stringData` into `data` as the API server does, and removes the fields an
 * `ignoreDifferences` rule names. Inputs are never mutated.
 */
import { groupOf, type KubeObject } from '../kube/types.js';
import { removeAt } from './pointer.js';
import type { IgnoreDifference } from './types.js';

type Doc = Record<string, unknown>;

/** Server-owned metadata: never in a manifest's intent, always in live. */
const SERVER_METADATA = ['uid', 'resourceVersion', 'generation', 'creationTimestamp', 'managedFields', 'selfLink', 'deletionTimestamp', 'deletionGracePeriodSeconds'];

/** Annotations written by tools and controllers, not by git. */
export const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';
const SERVER_ANNOTATIONS = [LAST_APPLIED, 'deployment.kubernetes.io/revision'];

export function isMap(v: unknown): v is Doc {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Uint8Array);
}

export function isSecret(obj: { apiVersion?: unknown; kind?: unknown }): boolean {
  return obj.kind === 'Secret' && typeof obj.apiVersion === 'string' && groupOf(obj.apiVersion) === '';
}

function stripServerFields(doc: Doc): Doc {
  delete doc.status;
  const meta = doc.metadata;
  if (!isMap(meta)) return doc;
  for (const f of SERVER_METADATA) delete meta[f];
  if (isMap(meta.annotations)) {
    for (const a of SERVER_ANNOTATIONS) delete meta.annotations[a];
    if (Object.keys(meta.annotations).length === 0) delete meta.annotations;
  }
  return doc;
}

/** The API server merges `stringData` into `data` (base64) and never returns stringData. */
function foldStringData(doc: Doc): void {
  if (!isMap(doc.stringData)) return;
  const data: Doc = isMap(doc.data) ? { ...doc.data } : {};
  for (const [k, v] of Object.entries(doc.stringData)) data[k] = Buffer.from(String(v ?? ''), 'utf8').toString('base64');
  doc.data = data;
  delete doc.stringData;
}

/** Removes null map values (mutating): in a manifest they set nothing (`creationTimestamp: null`). */
function dropNulls(v: unknown): void {
  if (Array.isArray(v)) {
    v.forEach(dropNulls);
  } else if (isMap(v)) {
    for (const [k, x] of Object.entries(v)) {
      if (x === null || x === undefined) delete v[k];
      else dropNulls(x);
    }
  }
}

export function normalizeDesired(desired: KubeObject): Doc {
  const doc = stripServerFields(structuredClone(desired) as Doc);
  dropNulls(doc);
  if (isSecret(desired)) foldStringData(doc);
  return doc;
}

export function normalizeLive(live: KubeObject): Doc {
  return stripServerFields(structuredClone(live) as Doc);
}

/** The rules of `rules` that apply to `obj` (Argo matches group, kind, and optionally name/namespace). */
export function rulesFor(obj: KubeObject, rules: readonly IgnoreDifference[]): IgnoreDifference[] {
  const group = groupOf(obj.apiVersion);
  return rules.filter(
    (r) =>
      (r.group === undefined || r.group === group) &&
      (r.kind === undefined || r.kind === obj.kind) &&
      (r.name === undefined || r.name === obj.metadata.name) &&
      (r.namespace === undefined || r.namespace === (obj.metadata.namespace ?? '')),
  );
}

/** Removes every `jsonPointers` field of `rules` from `doc` (mutating it). */
export function removeIgnoredPointers(doc: Doc, rules: readonly IgnoreDifference[]): void {
  for (const r of rules) for (const p of r.jsonPointers ?? []) removeAt(doc, p);
}

/**
 * A Secret value `""` in git equals a missing or null live value (the API server stores empty
 * bytes, which read back as null or not at all; Argo CD normalises the same way, argo-cd#943 and
 * #5584). Drops such pairs from both documents (mutating them), before they are masked.
 */
export function dropEmptySecretValues(desired: Doc, live: Doc): void {
  if (!isSecret(desired) || !isMap(desired.data)) return;
  const liveData = isMap(live.data) ? live.data : {};
  for (const [k, v] of Object.entries(desired.data)) {
    if (v !== '') continue;
    const l = liveData[k];
    if (l !== undefined && l !== null && l !== '') continue;
    delete desired.data[k];
    delete liveData[k];
  }
}
