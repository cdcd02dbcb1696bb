/**
 * RecordStore: sluice's own small records (promotions, auto-promotion memory, builds) kept in the
 * cluster so a restart or a failover loses none of them — one labelled ConfigMap per record in the
 * state namespace, `sluice-<kind>.<name>`, the record as JSON in `data.record`.
 *
 * ConfigMaps, not Secrets: these records hold no secret (their owners leave tokens and webhook URLs
 * out and redact credentials from texts), and a ConfigMap stays readable with `kubectl get -o yaml`
 * without granting Secret access. Not a CRD: no schema to version or install before start-up, and
 * the state-namespace Role already grants ConfigMaps.
 *
 * The caller's memory stays the truth: `save` takes every record the caller keeps (oldest first),
 * keeps the newest `perApp` of each app, writes only records whose JSON changed since the last
 * write it knows of and deletes the ones dropped. A failed write throws and is left pending, so the
 * next `save` tries it again; nothing in memory is lost.
 */
import type { ClusterClient } from './client.js';
import type { KubeObject } from './types.js';

export type RecordKind = 'promotion' | 'auto-promotion' | 'build';

export const LABEL_RECORD = 'sluice.dev/record';
const LABEL_APP = 'sluice.dev/app';
const MANAGED_BY = 'app.kubernetes.io/managed-by';
const FIELD_MANAGER = 'sluice';
/** A ConfigMap holds at most 1 MiB; a record is a few hundred bytes, so a bigger one is a bug. */
export const MAX_RECORD_BYTES = 512 * 1024;

export interface StateRecord {
  /** Unique within the kind; a DNS subdomain fragment (the object is `sluice-<kind>.<name>`). */
  readonly name: string;
  readonly app: string;
  /** The encoded record. */
  readonly data: string;
}

export type RecordCluster = Pick<ClusterClient, 'list' | 'apply' | 'delete' | 'ensureNamespace'>;

export class RecordStore {
  /** Object name → data as last written or read: what the cluster holds of ours. */
  private readonly written = new Map<string, string>();
  private namespaceReady = false;

  constructor(
    private readonly client: RecordCluster,
    readonly namespace: string,
    readonly kind: RecordKind,
    /** Records kept per app (the newest); 0 keeps all. */
    readonly perApp: number,
  ) {}

  /**
   * The stored records, in no particular order. `accept` says whether the caller could decode one;
   * a record it could not is left alone (never trimmed, never overwritten unless saved again).
   */
  async load(accept: (r: StateRecord) => boolean): Promise<StateRecord[]> {
    const items = await this.client.list('v1', 'ConfigMap', { namespace: this.namespace, labelSelector: `${MANAGED_BY}=sluice,${LABEL_RECORD}=${this.kind}` });
    const prefix = `sluice-${this.kind}.`;
    const out: StateRecord[] = [];
    for (const cm of items) {
      const object = cm.metadata.name ?? '';
      if (!object.startsWith(prefix) || cm.metadata.labels?.[LABEL_RECORD] !== this.kind) continue;
      const data = ((cm.data ?? {}) as Record<string, unknown>).record;
      const r: StateRecord = { name: object.slice(prefix.length), app: cm.metadata.labels?.[LABEL_APP] ?? '', data: typeof data === 'string' ? data : '' };
      if (!accept(r)) continue;
      this.written.set(object, r.data);
      out.push(r);
    }
    return out;
  }

  /** Makes the cluster hold `records` (oldest first), trimmed per app; returns the objects written or deleted. */
  async save(records: readonly StateRecord[]): Promise<number> {
    const desired = new Map(newestPerApp(records, this.perApp).map((r) => [this.objectName(r.name), r]));
    let writes = 0;
    const tooLarge: string[] = [];
    for (const [object, r] of desired) {
      if (this.written.get(object) === r.data) continue;
      // One oversized record must not hold back the others: it is reported after them.
      if (Buffer.byteLength(r.data) > MAX_RECORD_BYTES) {
        tooLarge.push(`ConfigMap/${this.namespace}/${object}: record of ${Buffer.byteLength(r.data)} bytes exceeds ${MAX_RECORD_BYTES}`);
        continue;
      }
      if (!this.namespaceReady) {
        await this.client.ensureNamespace(this.namespace);
        this.namespaceReady = true;
      }
      await this.client.apply(this.object(object, r), { fieldManager: FIELD_MANAGER, force: true });
      this.written.set(object, r.data);
      writes++;
    }
    for (const object of [...this.written.keys()]) {
      if (desired.has(object)) continue;
      await this.client.delete({ apiVersion: 'v1', kind: 'ConfigMap', namespace: this.namespace, name: object });
      this.written.delete(object);
      writes++;
    }
    if (tooLarge.length > 0) throw new Error(tooLarge.join('; '));
    return writes;
  }

  private objectName(name: string): string {
    return `sluice-${this.kind}.${name}`;
  }

  private object(name: string, r: StateRecord): KubeObject {
    return {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name, namespace: this.namespace, labels: { [MANAGED_BY]: 'sluice', [LABEL_RECORD]: this.kind, [LABEL_APP]: r.app } },
      data: { record: r.data },
    };
  }
}

/** The newest `limit` records of each app (input oldest first, order kept); 0 keeps all. */
export function newestPerApp(records: readonly StateRecord[], limit: number): StateRecord[] {
  if (limit <= 0) return [...records];
  const seen = new Map<string, number>();
  const kept: StateRecord[] = [];
  for (let i = records.length - 1; i >= 0; i--) {
    const n = seen.get(records[i].app) ?? 0;
    if (n >= limit) continue;
    seen.set(records[i].app, n + 1);
    kept.push(records[i]);
  }
  return kept.reverse();
}
