/**
 * What every controller shares: the API (to create and delete as a client would), the store (to
 * read and to write status), the clock, the event recorder, and the indexes kept from store events
 * (owner uid → dependents, uid → object) so a controller finds its pods without walking.
 */
import type { Api, Target } from '../api.js';
import type { ResourceType } from '../registry.js';
import type { Obj, Store, StoreEvent } from '../store.js';
import { timestamp, type Clock } from './clock.js';
import type { EventRecorder } from './events.js';

export type J = Record<string, unknown>;

export interface OwnerRef {
  apiVersion?: string;
  kind?: string;
  name?: string;
  uid?: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}

/** Where an object lives: its resource key (`group/plural`), namespace and name. */
export interface Ref {
  readonly resource: string;
  readonly namespace?: string;
  readonly name: string;
}

export function refKey(r: Ref): string {
  return `${r.resource}|${r.namespace ?? ''}|${r.name}`;
}

export function parseRefKey(k: string): Ref {
  const [resource, namespace, name] = k.split('|');
  return { resource, namespace: namespace || undefined, name };
}

/** `ns/name`, the key controllers queue. */
export function objKey(o: Obj): string {
  return `${o.metadata.namespace ?? ''}/${o.metadata.name}`;
}

export function splitKey(k: string): [string | undefined, string] {
  const i = k.indexOf('/');
  return [k.slice(0, i) || undefined, k.slice(i + 1)];
}

export function rec(v: unknown): J {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as J) : {};
}

export function owners(o: Obj): OwnerRef[] {
  return (o.metadata.ownerReferences as OwnerRef[] | undefined) ?? [];
}

export function controllerOf(o: Obj): OwnerRef | undefined {
  return owners(o).find((r) => r.controller === true);
}

/**
 * Dependents by owner uid and objects by uid, kept up to date from every store event: the
 * garbage collector's graph (k8s.io/kubernetes pkg/controller/garbagecollector graph_builder.go).
 */
export class Graph {
  private readonly dependents = new Map<string, Set<string>>();
  private readonly byUid = new Map<string, string>();
  private readonly ownersOf = new Map<string, string[]>();

  observe(e: StoreEvent): void {
    const uid = String(e.object.metadata.uid ?? '');
    if (!uid) return;
    const key = refKey({ resource: e.resource, namespace: e.object.metadata.namespace, name: e.object.metadata.name ?? '' });
    for (const o of this.ownersOf.get(uid) ?? []) this.dependents.get(o)?.delete(key);
    if (e.type === 'DELETED') {
      this.byUid.delete(uid);
      this.ownersOf.delete(uid);
      return;
    }
    this.byUid.set(uid, key);
    const ows = owners(e.object).map((r) => String(r.uid));
    if (ows.length) this.ownersOf.set(uid, ows);
    else this.ownersOf.delete(uid);
    for (const o of ows) {
      let s = this.dependents.get(o);
      if (!s) this.dependents.set(o, (s = new Set()));
      s.add(key);
    }
  }

  clear(): void {
    this.dependents.clear();
    this.byUid.clear();
    this.ownersOf.clear();
  }

  exists(uid: string): boolean {
    return this.byUid.has(uid);
  }

  where(uid: string): Ref | undefined {
    const k = this.byUid.get(uid);
    return k === undefined ? undefined : parseRefKey(k);
  }

  /** Refs of the objects naming `uid` as an owner. */
  dependentsOf(uid: string): Ref[] {
    return [...(this.dependents.get(uid) ?? [])].map(parseRefKey);
  }
}

export interface Ctx {
  readonly api: Api;
  readonly store: Store;
  readonly clock: Clock;
  readonly graph: Graph;
  readonly events: EventRecorder;
  /** The simulated delay of one step of a pod's life (image pull, container start, run). */
  readonly stepMs: number;
  now(): string;
  /** The objects of `resource` whose owner (any reference) has `uid`, read fresh from the store. */
  owned(uid: string, resource: string): Obj[];
  target(apiVersion: string, kind: string, namespace?: string): Target;
}

export function makeCtx(api: Api, clock: Clock, graph: Graph, events: EventRecorder, stepMs: number): Ctx {
  return {
    api,
    store: api.store,
    clock,
    graph,
    events,
    stepMs,
    now: () => timestamp(clock.now()),
    owned(uid, resource) {
      const out: Obj[] = [];
      for (const r of graph.dependentsOf(uid)) {
        if (r.resource !== resource) continue;
        const o = api.store.get(r.resource, r.namespace, r.name);
        if (o) out.push(o);
      }
      return out;
    },
    target(apiVersion, kind, namespace) {
      return { type: api.registry.byKind(apiVersion, kind) as ResourceType, namespace };
    },
  };
}

/** A reference making `owner` the controller of a new object, as the workload controllers set it. */
export function controllerRef(owner: Obj, apiVersion: string, kind: string): OwnerRef {
  return { apiVersion, kind, name: owner.metadata.name, uid: String(owner.metadata.uid), controller: true, blockOwnerDeletion: true };
}

/** Writes `status` to the stored object when it differs; true when written. */
export function writeStatus(ctx: Ctx, resource: string, o: Obj, status: J): boolean {
  if (JSON.stringify(status) === JSON.stringify(o.status)) return false;
  ctx.store.put(resource, { ...o, status }, 'MODIFIED');
  return true;
}

/** Stable JSON (sorted keys), so equal templates compare and hash equal whatever their key order. */
export function stableJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stableJson).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    const m = v as J;
    return `{${Object.keys(m).sort().filter((k) => m[k] !== undefined).map((k) => `${JSON.stringify(k)}:${stableJson(m[k])}`).join(',')}}`;
  }
  return JSON.stringify(v);
}

/** The API machinery's name-suffix alphabet (k8s.io/apimachinery util/rand: no vowels, no confusable digits). */
const ALPHANUMS = 'bcdfghjklmnpqrstvwxz2456789';

/** util/rand.SafeEncodeString: each byte mapped onto the alphabet. */
export function safeEncode(s: string): string {
  let out = '';
  for (const ch of Buffer.from(s)) out += ALPHANUMS[ch % ALPHANUMS.length];
  return out;
}

/** FNV-1a, 32 bits, as hash/fnv New32a. */
export function fnv32a(s: string): number {
  let h = 0x811c9dc5;
  for (const b of Buffer.from(s)) {
    h ^= b;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** A 5-character name suffix like generateName's, derived from `seed` so runs are repeatable. */
export function nameSuffix(seed: string): string {
  let h = fnv32a(seed);
  let out = '';
  for (let i = 0; i < 5; i++) {
    out += ALPHANUMS[h % ALPHANUMS.length];
    h = Math.floor(h / ALPHANUMS.length) ^ fnv32a(`${seed}:${i}`);
    h >>>= 0;
  }
  return out;
}

/** A condition list where a condition keeps its lastTransitionTime while its status is unchanged. */
export interface Condition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  lastProbeTime?: string | null;
  lastUpdateTime?: string;
  lastTransitionTime?: string;
}

export function conditionsWith(prev: unknown, next: Condition[], now: string): Condition[] {
  const old = Array.isArray(prev) ? (prev as Condition[]) : [];
  return next.map((c) => {
    const o = old.find((x) => x.type === c.type);
    const lastTransitionTime = o && o.status === c.status && o.lastTransitionTime ? o.lastTransitionTime : now;
    return { ...c, lastTransitionTime };
  });
}

export function findCondition(o: Obj, type: string): Condition | undefined {
  const conds = rec(o.status).conditions;
  return Array.isArray(conds) ? (conds as Condition[]).find((c) => c.type === type) : undefined;
}

/** Pod template of a workload. */
export function template(o: Obj): J {
  return rec(rec(o.spec).template);
}

export function podPhase(p: Obj): string {
  return String(rec(p.status).phase ?? 'Pending');
}

export function isActivePod(p: Obj): boolean {
  const phase = podPhase(p);
  return !p.metadata.deletionTimestamp && phase !== 'Succeeded' && phase !== 'Failed';
}

export function isPodReady(p: Obj): boolean {
  return findCondition(p, 'Ready')?.status === 'True';
}

/** Ready for at least `minReadySeconds` at `now` (ms): what the controllers count as available. */
export function isPodAvailable(p: Obj, minReadySeconds: number, now: number): boolean {
  const c = findCondition(p, 'Ready');
  if (c?.status !== 'True') return false;
  if (!minReadySeconds) return true;
  return Date.parse(c.lastTransitionTime ?? '') + minReadySeconds * 1000 <= now;
}
