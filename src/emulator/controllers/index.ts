/**
 * The emulator's controller manager: the workload controllers, the scheduler, the kubelet and the
 * garbage collector, driven by store events through work queues (after client-go informers and
 * workqueue). A store event is mapped to the keys of the objects it concerns; each key is synced
 * once however often it was queued, in small batches after the current request; delayed
 * transitions (a container starting, a progress deadline) wait on a timer queue. So the work done
 * is proportional to what changed: with nothing changing, nothing runs.
 */
import type { Api } from '../api.js';
import { resourceKey, type Obj, type StoreEvent } from '../store.js';
import { ManualClock, SystemClock, type Clock } from './clock.js';
import { Graph, makeCtx, type Ctx } from './context.js';
import { daemonSetController } from './daemonset.js';
import { deploymentController } from './deployment.js';
import { EventRecorder } from './events.js';
import { deleteWithPolicy, garbageCollector } from './gc.js';
import { jobController } from './job.js';
import { kubelet } from './pods.js';
import { replicaSetController } from './replicaset.js';
import { scheduler } from './scheduler.js';
import { serviceController } from './services.js';
import { statefulSetController } from './statefulset.js';
import type { Controller, Queue } from './controller.js';
import { WorkQueue } from './queue.js';

export { ManualClock, SystemClock, type Clock } from './clock.js';
export type { PropagationPolicy } from './gc.js';

export type { Controller, Queue } from './controller.js';

export interface ControllerOptions {
  readonly clock?: Clock;
  /** Simulated duration of one step of a pod's life (pull, start, run); default 200 ms. */
  readonly stepMs?: number;
  /** Run the workload controllers, scheduler and kubelet; the garbage collector always runs. */
  readonly workloads?: boolean;
  /** Keys synced per batch before yielding to the server; default 256. */
  readonly batch?: number;
}

export class ControllerManager {
  readonly clock: Clock;
  readonly ctx: Ctx;
  /** Syncs run so far: a test's measure of work. */
  processed = 0;
  private readonly controllers: { c: Controller; q: WorkQueue }[] = [];
  private readonly byResource = new Map<string, { c: Controller; q: WorkQueue }[]>();
  private flushing = false;
  /** The controller whose sync is running: its own writes do not queue it again (it already knows them). */
  private current: Controller | undefined;
  private stopWatch: (() => void) | undefined;
  private readonly batch: number;
  private readonly gcQueue: WorkQueue;

  constructor(readonly api: Api, options: ControllerOptions = {}) {
    this.clock = options.clock ?? new SystemClock();
    this.batch = options.batch ?? 256;
    const graph = new Graph();
    this.ctx = makeCtx(api, this.clock, graph, new EventRecorder(api.store, this.clock), options.stepMs ?? 200);
    const factories: ((ctx: Ctx, q: Queue) => Controller)[] = [garbageCollector];
    if (options.workloads) factories.push(deploymentController, replicaSetController, statefulSetController, daemonSetController, jobController, scheduler, kubelet, serviceController);
    for (const f of factories) {
      const q = new WorkQueue(this.clock, () => this.schedule());
      const c = f(this.ctx, q);
      this.controllers.push({ c, q });
      for (const r of Object.keys(c.watches)) {
        let l = this.byResource.get(r);
        if (!l) this.byResource.set(r, (l = []));
        l.push({ c, q });
      }
    }
    this.gcQueue = this.controllers[0].q;
  }

  start(): this {
    this.seed();
    this.stopWatch = this.api.store.watch((e) => this.observe(e));
    // Deletion by propagation policy goes through the collector.
    this.api.deleter = (resource, o, policy) => deleteWithPolicy(this.ctx, resource, o, policy ?? 'Background', this.gcQueue);
    return this;
  }

  stop(): void {
    this.stopWatch?.();
    this.api.deleter = undefined;
    for (const { q } of this.controllers) q.clear();
  }

  /** Rebuilds the indexes from the store and forgets in-memory state, after a wipe. */
  resync(): void {
    this.ctx.graph.clear();
    this.ctx.events.clear();
    for (const { c, q } of this.controllers) {
      q.clear();
      c.reset?.();
    }
    this.seed();
  }

  /** Runs queued work until none is left (a manual clock's pending work). */
  settle(): void {
    if (this.clock instanceof ManualClock) this.clock.runSoon();
    else while (this.pending()) this.flush(Infinity);
  }

  /** Moves a manual clock forward by `ms`, running what falls due, then settles. */
  step(ms: number): void {
    if (!(this.clock instanceof ManualClock)) throw new Error('step needs a ManualClock');
    this.clock.advance(ms);
  }

  pending(): number {
    return this.controllers.reduce((n, { q }) => n + q.length, 0);
  }

  /** Every object in the store, once, as if just added: the indexes, and the work that is due. */
  private seed(): void {
    const seen = new Set<string>();
    for (const t of this.api.registry.all()) {
      const key = resourceKey(t);
      if (seen.has(key)) continue;
      seen.add(key);
      for (const o of this.api.store.list(key)) this.observe({ type: 'ADDED', rv: Number(o.metadata.resourceVersion), resource: key, object: o as Obj });
    }
  }

  private observe(e: StoreEvent): void {
    this.ctx.graph.observe(e);
    this.controllers[0].c.any?.(e);
    for (const { c, q } of this.byResource.get(e.resource) ?? []) {
      const keys = c.watches[e.resource](e);
      if (c !== this.current) for (const k of keys) q.add(k);
    }
  }

  private schedule(): void {
    if (this.flushing) return;
    this.flushing = true;
    this.clock.soon(() => {
      this.flushing = false;
      this.flush(this.batch);
      if (this.pending()) this.schedule();
    });
  }

  /** Syncs up to `limit` queued keys, taking from each controller in turn. */
  private flush(limit: number): void {
    let left = limit;
    while (left > 0) {
      let took = 0;
      for (const { c, q } of this.controllers) {
        for (const k of q.take(Math.min(left, 64))) {
          this.processed++;
          took++;
          left--;
          try {
            this.current = c;
            c.sync(k);
          } catch (err) {
            // A controller's bug must not stop the others; it is reported, and the key retried later.
            console.error(`emulator ${c.name}: sync ${k}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
            q.addAfter(k, 1000);
          } finally {
            this.current = undefined;
          }
        }
      }
      if (!took) break;
    }
  }
}

export function startControllers(api: Api, options: ControllerOptions = {}): ControllerManager {
  return new ControllerManager(api, options).start();
}
