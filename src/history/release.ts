/**
 * The release record: one sync (or rollback) of an app × env, as kept in the release history, plus
 * the pure helpers that derive a record's fields from the applied manifests (digest, images) and
 * the stored encoding of those manifests (gzip + JSON, as Helm keeps a release in `data.release`).
 */
import { createHash } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import type { HealthStatus } from '../health/types.js';
import { groupOf, isKubeObject, objectKey, refOf, type KubeObject } from '../kube/types.js';
import { ReleaseDecodeError } from './errors.js';
import { errorText } from '../common/error-text.js';

export type ReleaseTrigger = 'auto-sync' | 'manual-sync' | 'self-heal' | 'auto-rollback' | 'manual-rollback';
export type ReleaseResult = 'Running' | 'Succeeded' | 'Failed';

export interface ReleaseRecord {
  /** 1, 2, 3 … per app × env, never reused. */
  readonly id: number;
  readonly app: string;
  readonly env: string;
  /** Config repo commit. */
  readonly revision: string;
  /** sha256 hex of the applied manifests (see manifestDigest). */
  readonly digest: string;
  /** Container images in the manifests (sorted, unique). */
  readonly images: readonly string[];
  readonly trigger: ReleaseTrigger;
  /** E.g. the API caller, or "sluice". */
  readonly triggeredBy?: string;
  /** ISO time. */
  readonly startedAt: string;
  readonly finishedAt?: string;
  readonly result: ReleaseResult;
  /** Health outcome once known. */
  readonly health?: HealthStatus;
  readonly message?: string;
  /** Id of the release a rollback re-applied. */
  readonly rollbackOf?: number;
  /** Set on a release that was rolled back: its manifests must not be re-applied while git still renders them. */
  readonly rolledBack?: { readonly at: string; readonly reason: string; readonly by: 'auto' | 'manual' };
  /**
   * While Running: how far the operation got — the attempt and the hooks it completed (ids
   * `PreSync batch/Job/shop/migrate`) — so a restarted controller resumes without re-running them.
   * Removed when the release ends.
   */
  readonly progress?: ReleaseProgress;
}

export interface ReleaseProgress {
  /** 1 for the first try, then one more per retry. */
  readonly attempt: number;
  readonly hooksDone: readonly string[];
}

export interface StoredRelease {
  readonly record: ReleaseRecord;
  readonly manifests: readonly KubeObject[];
}

/** JSON with object keys sorted at every level, so equal objects serialize equally whatever their key order. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return v;
    const src = v as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(src).sort()) out[k] = src[k];
    return out;
  });
}

/**
 * sha256 (hex) of the canonical JSON of `objects` ordered by objectKey: the identity of "what was
 * applied", stable across key order and the order the renderer emitted the objects in.
 */
export function manifestDigest(objects: readonly KubeObject[]): string {
  const keyed = objects.map((o) => [objectKey(refOf(o)), canonicalJson(o)] as const);
  // Ties on the key (the same object twice) are broken by content so the digest stays order-free.
  keyed.sort((a, b) => (a[0] === b[0] ? cmp(a[1], b[1]) : cmp(a[0], b[0])));
  return createHash('sha256').update(`[${keyed.map(([, json]) => json).join(',')}]`).digest('hex');
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Where the pod template sits in each workload kind, keyed by `group/Kind`. */
const POD_SPEC_PATHS: ReadonlyMap<string, readonly string[]> = new Map([
  ['/Pod', ['spec']],
  ['apps/Deployment', ['spec', 'template', 'spec']],
  ['apps/StatefulSet', ['spec', 'template', 'spec']],
  ['apps/DaemonSet', ['spec', 'template', 'spec']],
  ['apps/ReplicaSet', ['spec', 'template', 'spec']],
  ['batch/Job', ['spec', 'template', 'spec']],
  ['batch/CronJob', ['spec', 'jobTemplate', 'spec', 'template', 'spec']],
]);

const CONTAINER_LISTS = ['containers', 'initContainers', 'ephemeralContainers'] as const;

function dig(obj: unknown, path: readonly string[]): unknown {
  let cur = obj;
  for (const p of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[p];
  }
  return cur;
}

/** Container images (containers, initContainers, ephemeralContainers) of the pod templates in `objects`, sorted and unique. */
export function imagesOf(objects: readonly KubeObject[]): string[] {
  const images = new Set<string>();
  for (const obj of objects) {
    const path = POD_SPEC_PATHS.get(`${groupOf(obj.apiVersion)}/${obj.kind}`);
    if (!path) continue;
    const spec = dig(obj, path);
    for (const list of CONTAINER_LISTS) {
      const containers = dig(spec, [list]);
      if (!Array.isArray(containers)) continue;
      for (const c of containers) {
        const image = dig(c, ['image']);
        if (typeof image === 'string' && image !== '') images.add(image);
      }
    }
  }
  return [...images].sort();
}

/** The stored form of a release's manifests: gzip of their JSON. */
export function encodeRelease(manifests: readonly KubeObject[]): Buffer {
  return gzipSync(Buffer.from(JSON.stringify(manifests), 'utf8'));
}

/** Inverse of encodeRelease; `subject` names the release in the error when the bytes are not a manifest list. */
export function decodeRelease(bytes: Uint8Array, subject: string): KubeObject[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(gunzipSync(bytes).toString('utf8'));
  } catch (err) {
    throw new ReleaseDecodeError(subject, `manifests are not gzipped JSON: ${errorText(err)}`);
  }
  if (!Array.isArray(parsed) || !parsed.every(isKubeObject)) throw new ReleaseDecodeError(subject, 'manifests are not a list of Kubernetes objects');
  return parsed;
}
