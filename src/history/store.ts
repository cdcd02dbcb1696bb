/**
 * HistoryStore: the release history of each app × env, kept in the cluster so it survives restarts
 * and a new replica sees it, and so a rollback needs no git. Laid out like Helm 3's release
 * storage driver (pkg/storage/driver/secrets.go): one Secret per release, named
 * `sluice-release.<app>.<env>.v<id>`, labelled for selection, the manifests gzipped in
 * `data.release`. Unlike Helm, the record itself sits uncompressed in an annotation, so listing the
 * history never decompresses manifests. Secrets rather than ConfigMaps because manifests may
 * contain Secrets.
 */
import type { ClusterClient } from '../kube/client.js';
import type { KubeObject } from '../kube/types.js';
import { FIELD_MANAGER } from '../sync/inventory.js';
import { LABEL_APP, LABEL_ENV, stateLabels, type Owner } from '../sync/ownership.js';
import { ReleaseNotFoundError, ReleaseTooLargeError } from './errors.js';
import { decodeRelease, encodeRelease, type ReleaseRecord, type StoredRelease } from './release.js';
import { parseRecord } from './record-codec.js';

export const RELEASE_SECRET_TYPE = 'sluice.dev/release.v1';
export const LABEL_RELEASE_ID = 'sluice.dev/release-id';
export const ANNOTATION_RECORD = 'sluice.dev/release';
/**
 * Largest compressed manifests one release may store. A Secret is capped at 1 MiB (etcd's request
 * limit); the rest is left for the record annotation and metadata.
 */
export const MAX_COMPRESSED_BYTES = 900 * 1024;

export type RecordPatch = Partial<Omit<ReleaseRecord, 'id' | 'app' | 'env'>>;

export function releaseSecretName(owner: Owner, id: number): string {
  return `sluice-release.${owner.app}.${owner.env}.v${id}`;
}

export class HistoryStore {
  constructor(
    private readonly client: ClusterClient,
    /** Namespace holding sluice's own state (inventories, release history). */
    readonly namespace: string,
  ) {}

  /** The history of `owner`, newest first, without manifests. */
  async list(owner: Owner): Promise<ReleaseRecord[]> {
    const secrets = await this.client.list('v1', 'Secret', { namespace: this.namespace, labelSelector: `${LABEL_APP}=${owner.app},${LABEL_ENV}=${owner.env}` });
    // Filtered here as well: the selector is a request, and only our type is a release.
    const mine = secrets.filter((s) => isReleaseOf(s, owner));
    return mine.map((s) => parseRecord(s.metadata.annotations?.[ANNOTATION_RECORD], this.subject(s))).sort((a, b) => b.id - a.id);
  }

  /** One release with its manifests, or undefined when the history does not hold it. */
  async get(owner: Owner, id: number): Promise<StoredRelease | undefined> {
    const secret = await this.secret(owner, id);
    if (!secret) return undefined;
    const subject = this.subject(secret);
    const record = parseRecord(secret.metadata.annotations?.[ANNOTATION_RECORD], subject);
    const data = (secret.data ?? {}) as Record<string, string>;
    return { record, manifests: decodeRelease(Buffer.from(data.release ?? '', 'base64'), subject) };
  }

  /**
   * Stores a new release with id = highest + 1 and deletes the oldest beyond `limit` (0 keeps
   * everything, as Helm's `--history-max 0`).
   */
  async append(owner: Owner, record: Omit<ReleaseRecord, 'id'>, manifests: readonly KubeObject[], limit: number): Promise<ReleaseRecord> {
    const bytes = encodeRelease(manifests);
    if (bytes.length > MAX_COMPRESSED_BYTES) throw new ReleaseTooLargeError(owner.app, owner.env, bytes.length, MAX_COMPRESSED_BYTES);
    const existing = await this.list(owner);
    const id = (existing[0]?.id ?? 0) + 1;
    const full: ReleaseRecord = { ...record, id, app: owner.app, env: owner.env };
    await this.client.ensureNamespace(this.namespace);
    // The oldest go first: a trim that fails must not leave behind a new record that nobody runs.
    if (limit > 0) {
      for (const old of existing.slice(Math.max(0, limit - 1))) {
        await this.client.delete({ apiVersion: 'v1', kind: 'Secret', namespace: this.namespace, name: releaseSecretName(owner, old.id) });
      }
    }
    await this.write(owner, full, bytes.toString('base64'));
    return full;
  }

  /**
   * Changes fields of a stored record (a field set to undefined is removed); the manifests are kept.
   * A record that is no longer there (deleted by hand, or the cluster lost sluice's state) is
   * written again from `restore` — the record and manifests the caller holds — under the same id,
   * or under a new one when that name now holds something else: a sync that ran must not end
   * without its release. Without `restore` that is a ReleaseNotFoundError.
   */
  async update(owner: Owner, id: number, patch: RecordPatch, restore?: StoredRelease): Promise<ReleaseRecord> {
    const found = await this.client.get(this.ref(owner, id));
    const secret = found && isReleaseOf(found, owner) ? found : undefined;
    const current = secret && parseRecord(secret.metadata.annotations?.[ANNOTATION_RECORD], this.subject(secret));
    if (secret && current && (!restore || sameRelease(current, restore.record))) {
      const next = applyPatch(current, patch);
      await this.write(owner, next, ((secret.data ?? {}) as Record<string, string>).release ?? '');
      return next;
    }
    if (!restore) throw new ReleaseNotFoundError(owner.app, owner.env, id);
    const next = applyPatch(restore.record, patch);
    if (found) {
      const { id: _taken, ...record } = next;
      return this.append(owner, record, restore.manifests, 0);
    }
    await this.client.ensureNamespace(this.namespace);
    await this.write(owner, next, encodeRelease(restore.manifests).toString('base64'));
    return next;
  }

  private ref(owner: Owner, id: number) {
    return { apiVersion: 'v1', kind: 'Secret', namespace: this.namespace, name: releaseSecretName(owner, id) };
  }

  private async secret(owner: Owner, id: number): Promise<KubeObject | undefined> {
    const secret = await this.client.get(this.ref(owner, id));
    return secret && isReleaseOf(secret, owner) ? secret : undefined;
  }

  private async write(owner: Owner, record: ReleaseRecord, releaseBase64: string): Promise<void> {
    const secret: KubeObject = {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: {
        name: releaseSecretName(owner, record.id),
        namespace: this.namespace,
        labels: { ...stateLabels(owner), [LABEL_RELEASE_ID]: String(record.id) },
        annotations: { [ANNOTATION_RECORD]: JSON.stringify(record) },
      },
      type: RELEASE_SECRET_TYPE,
      data: { release: releaseBase64 },
    };
    await this.client.apply(secret, { fieldManager: FIELD_MANAGER, force: true });
  }

  private subject(secret: KubeObject): string {
    return `Secret/${this.namespace}/${secret.metadata.name ?? ''}`;
  }
}

function isReleaseOf(secret: KubeObject, owner: Owner): boolean {
  const labels = secret.metadata.labels ?? {};
  return secret.type === RELEASE_SECRET_TYPE && labels[LABEL_APP] === owner.app && labels[LABEL_ENV] === owner.env;
}

/** The same release: a slot re-used by another release after the history was lost has another start. */
function sameRelease(a: ReleaseRecord, b: ReleaseRecord): boolean {
  return a.startedAt === b.startedAt && a.digest === b.digest;
}

function applyPatch(record: ReleaseRecord, patch: RecordPatch): ReleaseRecord {
  const out: Record<string, unknown> = { ...record };
  for (const [k, v] of Object.entries(patch)) {
    if (v === undefined) delete out[k];
    else out[k] = v;
  }
  // Identity is not patchable, whatever the caller passed at runtime.
  return { ...(out as unknown as ReleaseRecord), id: record.id, app: record.app, env: record.env };
}
