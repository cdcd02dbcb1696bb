/**
 * The event recorder the controllers and the kubelet write through (after client-go
 * tools/record): core/v1 Events naming the involved object, a repeat of the same reason and
 * message on the same object bumps `count` and `lastTimestamp` instead of adding an Event (the
 * recorder's correlator), and Events expire after an hour as the API server's event TTL makes
 * them — or sooner, oldest first, when more than `max` are kept.
 */
import { randomUUID } from 'node:crypto';
import type { Obj, Store } from '../store.js';
import { timestamp, type Clock } from './clock.js';

export type EventType = 'Normal' | 'Warning';

export interface EventSource {
  readonly component: string;
  /** The node, for the kubelet. */
  readonly host?: string;
}

interface Kept {
  readonly namespace: string;
  readonly name: string;
  last: number;
}

export interface EventRecorderOptions {
  readonly ttlMs: number;
  readonly max: number;
}

export class EventRecorder {
  private readonly kept = new Map<string, Kept>();
  private seq = 0;
  private sweepArmed = false;
  /** Events written (new or repeated): a test's measure of work. */
  written = 0;

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly options: EventRecorderOptions = { ttlMs: 3_600_000, max: 20_000 },
  ) {}

  record(involved: Obj, type: EventType, reason: string, message: string, source: EventSource, fieldPath?: string): void {
    const ns = String(involved.metadata.namespace ?? 'default');
    const uid = String(involved.metadata.uid ?? '');
    const key = `${uid}\u0000${reason}\u0000${message}\u0000${source.component}\u0000${fieldPath ?? ''}`;
    const now = this.clock.now();
    const ts = timestamp(now);
    this.written++;
    const k = this.kept.get(key);
    const live = k && this.store.get('/events', k.namespace, k.name);
    if (k && live) {
      k.last = now;
      // Re-inserted so the map stays ordered by last use: the oldest is first to go.
      this.kept.delete(key);
      this.kept.set(key, k);
      this.store.put('/events', { ...live, count: Number(live.count ?? 1) + 1, lastTimestamp: ts }, 'MODIFIED');
      return;
    }
    const name = `${String(involved.metadata.name)}.${(now * 1000 + (this.seq++ % 1000)).toString(16)}`;
    const event = {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name, namespace: ns, uid: randomUUID(), creationTimestamp: ts },
      involvedObject: { apiVersion: involved.apiVersion, kind: involved.kind, name: involved.metadata.name, namespace: involved.metadata.namespace, uid, resourceVersion: involved.metadata.resourceVersion, ...(fieldPath ? { fieldPath } : {}) },
      reason,
      message,
      source: { component: source.component, ...(source.host ? { host: source.host } : {}) },
      firstTimestamp: ts,
      lastTimestamp: ts,
      count: 1,
      type,
      eventTime: null,
      reportingComponent: source.component,
      reportingInstance: source.host ?? '',
    } as unknown as Obj;
    this.store.put('/events', event, 'ADDED');
    this.kept.set(key, { namespace: ns, name, last: now });
    while (this.kept.size > this.options.max) this.drop(this.kept.keys().next().value as string);
    this.armSweep();
  }

  /** Forgets what it recorded (the store was wiped). */
  clear(): void {
    this.kept.clear();
  }

  private drop(key: string): void {
    const k = this.kept.get(key);
    this.kept.delete(key);
    if (k) this.store.remove('/events', k.namespace, k.name);
  }

  private armSweep(): void {
    if (this.sweepArmed || !this.kept.size) return;
    this.sweepArmed = true;
    const oldest = (this.kept.values().next().value as Kept).last;
    this.clock.after(oldest + this.options.ttlMs - this.clock.now(), () => {
      this.sweepArmed = false;
      const cutoff = this.clock.now() - this.options.ttlMs;
      for (const [key, k] of this.kept) {
        if (k.last > cutoff) break;
        this.drop(key);
      }
      this.armSweep();
    });
  }
}
