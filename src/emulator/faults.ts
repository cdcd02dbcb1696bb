/**
 * Fault injection for the emulator: a plan of per-request faults — server errors (500/503),
 * optimistic-concurrency conflicts (409) on writes, throttling (429 with Retry-After), added
 * latency, watch streams cut mid-way, and 410 Gone on a resourceVersion that is "too old" — drawn
 * from a seeded generator so a run is reproducible. The plan is the data; the HTTP front
 * (server.ts) asks `decide()` per request and acts on the answer. Nothing here knows what the
 * client is: the emulator stays independent of the code it is used to check.
 */

export interface FaultPlan {
  /** Share (0–1) of requests answered 500 InternalError or 503 ServiceUnavailable (half each). */
  readonly errorRate: number;
  /** Share of updates, patches and applies answered 409 Conflict. */
  readonly conflictRate: number;
  /** Share of requests answered 429 TooManyRequests with `Retry-After: 1`. */
  readonly throttleRate: number;
  /** Latency added to every request, in milliseconds. */
  readonly latencyMs: number;
  /** Up to this much more latency, drawn uniformly per request. */
  readonly latencyJitterMs: number;
  /** Share of watch streams that are cut (the connection dropped) mid-way. */
  readonly watchCutRate: number;
  /** A cut watch is dropped after 0.5–1.5 × this many milliseconds. */
  readonly watchCutAfterMs: number;
  /** Share of lists and watches given a resourceVersion that are answered 410 Gone (Expired). */
  readonly goneRate: number;
  /** Seed of the generator that draws the faults; the same seed and requests give the same faults. */
  readonly seed: number;
}

export function defaultFaultPlan(): FaultPlan {
  return { errorRate: 0, conflictRate: 0, throttleRate: 0, latencyMs: 0, latencyJitterMs: 0, watchCutRate: 0, watchCutAfterMs: 1_000, goneRate: 0, seed: 1 };
}

const RATES = ['errorRate', 'conflictRate', 'throttleRate', 'watchCutRate', 'goneRate'] as const;
const DURATIONS = ['latencyMs', 'latencyJitterMs', 'watchCutAfterMs'] as const;

export class FaultPlanError extends Error {
  readonly code = 'EFAULTPLAN';
}

/** Checks and completes a partial plan over `base`; throws FaultPlanError naming the bad field. */
export function parseFaultPlan(input: unknown, base: FaultPlan = defaultFaultPlan()): FaultPlan {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) throw new FaultPlanError('a fault plan must be a JSON object');
  const known = new Set<string>([...RATES, ...DURATIONS, 'seed']);
  const out: Record<string, number> = { ...base };
  for (const [k, v] of Object.entries(input)) {
    if (!known.has(k)) throw new FaultPlanError(`unknown fault field "${k}" (known: ${[...known].join(', ')})`);
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new FaultPlanError(`fault field "${k}" must be a number, got ${JSON.stringify(v)}`);
    if ((RATES as readonly string[]).includes(k) && (v < 0 || v > 1)) throw new FaultPlanError(`fault field "${k}" must be between 0 and 1, got ${v}`);
    if ((DURATIONS as readonly string[]).includes(k) && v < 0) throw new FaultPlanError(`fault field "${k}" must be a non-negative number of milliseconds, got ${v}`);
    if (k === 'seed' && !Number.isInteger(v)) throw new FaultPlanError(`fault field "seed" must be an integer, got ${v}`);
    out[k] = v;
  }
  return out as unknown as FaultPlan;
}

/** mulberry32: a small, fast, seedable generator of numbers in [0, 1). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** What a request is, as far as faults care. */
export interface FaultRequest {
  /** get, list, watch, create, update, patch, delete, … */
  readonly verb: string;
  /** The request names a resourceVersion other than "" and "0" (a list or watch resuming from it). */
  readonly resourceVersion?: string;
}

/** A fault answer in place of the real one. */
export interface FaultAnswer {
  readonly kind: 'error' | 'throttle' | 'conflict' | 'gone';
  readonly status: number;
  readonly reason: string;
  readonly message: string;
  readonly headers?: Record<string, string>;
}

export type FaultCounts = Record<FaultAnswer['kind'] | 'watchCut' | 'delayed', number>;

export class FaultInjector {
  private current: FaultPlan;
  private random: () => number;
  readonly counts: FaultCounts = { error: 0, throttle: 0, conflict: 0, gone: 0, watchCut: 0, delayed: 0 };

  constructor(plan: FaultPlan = defaultFaultPlan()) {
    this.current = plan;
    this.random = seededRandom(plan.seed);
  }

  get plan(): FaultPlan {
    return this.current;
  }

  /** Replaces the plan (fields not given keep their value) and reseeds the generator. */
  set(partial: unknown): FaultPlan {
    this.current = parseFaultPlan(partial, this.current);
    this.random = seededRandom(this.current.seed);
    return this.current;
  }

  /** Back to no faults at all. */
  reset(): FaultPlan {
    return this.set(defaultFaultPlan());
  }

  /** Milliseconds to hold this request before answering it. */
  latency(): number {
    const p = this.current;
    if (p.latencyMs <= 0 && p.latencyJitterMs <= 0) return 0;
    this.counts.delayed++;
    return Math.round(p.latencyMs + p.latencyJitterMs * this.random());
  }

  /** The fault to answer with, or undefined to serve the request. One draw per applicable fault. */
  decide(req: FaultRequest): FaultAnswer | undefined {
    const p = this.current;
    const hit = (rate: number) => rate > 0 && this.random() < rate;
    if (hit(p.errorRate)) {
      this.counts.error++;
      return this.random() < 0.5
        ? { kind: 'error', status: 500, reason: 'InternalError', message: 'Internal error occurred: injected fault' }
        : // A 503 carries Retry-After as the API server's own (apiserver filters) do, so clients may retry it.
          { kind: 'error', status: 503, reason: 'ServiceUnavailable', message: 'the server is currently unable to handle the request (injected fault)', headers: { 'Retry-After': '1' } };
    }
    if (hit(p.throttleRate)) {
      this.counts.throttle++;
      // The API server's priority-and-fairness rejection (apiserver/pkg/server/filters).
      return { kind: 'throttle', status: 429, reason: 'TooManyRequests', message: 'Too many requests, please try again later.', headers: { 'Retry-After': '1' } };
    }
    if ((req.verb === 'update' || req.verb === 'patch') && hit(p.conflictRate)) {
      this.counts.conflict++;
      return { kind: 'conflict', status: 409, reason: 'Conflict', message: 'Operation cannot be fulfilled: the object has been modified; please apply your changes to the latest version and try again' };
    }
    const rv = req.resourceVersion;
    if ((req.verb === 'list' || req.verb === 'watch') && rv && rv !== '0' && hit(p.goneRate)) {
      this.counts.gone++;
      return { kind: 'gone', status: 410, reason: 'Expired', message: `too old resource version: ${rv}` };
    }
    return undefined;
  }

  /** Milliseconds after which to cut a new watch stream, or undefined to leave it alone. */
  watchCut(): number | undefined {
    const p = this.current;
    if (!(p.watchCutRate > 0 && this.random() < p.watchCutRate)) return undefined;
    this.counts.watchCut++;
    return Math.round(p.watchCutAfterMs * (0.5 + this.random()));
  }
}
