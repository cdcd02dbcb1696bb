/**
 * The emulator's API operations — create, get, list, update, patch, delete — with the semantics
 * a client can observe: uid, resourceVersion, generation (spec changes only), creationTimestamp,
 * defaults, managedFields, optimistic concurrency, namespaces that must exist and that take their
 * objects with them, CRDs that register kinds, and dry runs.
 */
import { randomUUID } from 'node:crypto';
import fastJsonPatch, { type Operation } from 'fast-json-patch';
import { applyDefaults } from './defaults.js';
import { ApiError, notFound } from './errors.js';
import { recordUpdate, serverSideApply, ApplyConflictError } from './patch/managed.js';
import { clone, isMap, mergePatch, strategicMerge, type Json } from './patch/merge.js';
import { groupVersion, type Registry, type ResourceType } from './registry.js';
import { matches, parseSelector } from './selectors.js';
import { resourceKey, type Obj, type Store } from './store.js';
import { errorText } from '../common/error-text.js';
import { crdVersionSchema } from './validation/crd.js';
import type { SchemaNode } from './validation/schema.js';
import { decode, defaultCustom, validate, type ValidationRequest } from './validation/validate.js';
import { encodeContinue, planList, type ListQuery } from './paging.js';

export type PatchType = 'merge' | 'json' | 'strategic' | 'apply';

export interface WriteOptions extends ValidationRequest {
  readonly fieldManager?: string;
  readonly dryRun?: boolean;
  readonly force?: boolean;
  /** 'status' or 'scale' when writing a subresource. */
  readonly subresource?: string;
  /** DeleteOptions.propagationPolicy (body or query). */
  readonly propagationPolicy?: 'Background' | 'Foreground' | 'Orphan';
}

export interface Target {
  readonly type: ResourceType;
  readonly namespace?: string;
}

const now = () => new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');

/**
 * Fields a field selector may name: metadata.name/namespace everywhere, plus what the API server
 * adds per kind (events: involvedObject.*, reason, type; pods: spec.nodeName, status.phase).
 */
export function selectableFields(o: Obj): Record<string, string | undefined> {
  const fields: Record<string, string | undefined> = { 'metadata.name': o.metadata.name, 'metadata.namespace': o.metadata.namespace };
  if (o.kind === 'Event') {
    const inv = (o.involvedObject ?? {}) as Record<string, unknown>;
    for (const k of ['kind', 'namespace', 'name', 'uid', 'apiVersion', 'resourceVersion', 'fieldPath']) fields[`involvedObject.${k}`] = inv[k] === undefined ? '' : String(inv[k]);
    for (const k of ['reason', 'type', 'reportingComponent']) fields[k] = o[k] === undefined ? '' : String(o[k]);
    fields.source = String(((o.source ?? {}) as Record<string, unknown>).component ?? '');
  }
  if (o.kind === 'Pod') {
    fields['spec.nodeName'] = String(((o.spec ?? {}) as Record<string, unknown>).nodeName ?? '');
    fields['status.phase'] = String(((o.status ?? {}) as Record<string, unknown>).phase ?? '');
  }
  return fields;
}

/** The selector and pod labels the API server gives a new Job (batch/v1 Job strategy, no manualSelector). */
function labelJob(job: Obj): void {
  const uid = String(job.metadata.uid);
  const name = String(job.metadata.name);
  const spec = ((job.spec ??= {}) as Record<string, unknown>);
  if (spec.manualSelector === true) return;
  spec.selector = { matchLabels: { 'batch.kubernetes.io/controller-uid': uid } };
  const template = ((spec.template ??= {}) as Record<string, unknown>);
  const meta = ((template.metadata ??= {}) as Record<string, unknown>);
  meta.labels = { ...((meta.labels as Record<string, string> | undefined) ?? {}), 'batch.kubernetes.io/controller-uid': uid, 'batch.kubernetes.io/job-name': name, 'controller-uid': uid, 'job-name': name };
}

const CRD_KEY = resourceKey({ group: 'apiextensions.k8s.io', plural: 'customresourcedefinitions' });

function specOf(o: Obj): string {
  const { metadata: _m, status: _s, ...rest } = o;
  return JSON.stringify(rest);
}

export interface ListResult {
  readonly items: Obj[];
  readonly resourceVersion: string;
  /** Set when more items follow this page. */
  readonly continue?: string;
  readonly remainingItemCount?: number;
}

export class Api {
  /** Deletes by propagation policy (the garbage collector, controllers/gc.ts) when one runs. */
  deleter?: (resource: string, o: Obj, policy?: WriteOptions['propagationPolicy']) => Obj;

  constructor(
    readonly store: Store,
    readonly registry: Registry,
  ) {}

  private key(t: ResourceType): string {
    return resourceKey(t);
  }

  /** The CRD schema of a custom resource's version (undefined for built-in kinds). */
  crdSchemaOf(t: ResourceType): SchemaNode | undefined {
    if (!t.group.includes('.')) return undefined;
    const crd = this.store.get(CRD_KEY, undefined, `${t.plural}.${t.group}`);
    return crd ? crdVersionSchema(crd, t.version) : undefined;
  }

  private checkNamespace(t: Target, name?: string): void {
    if (!t.type.namespaced) return;
    if (!t.namespace) throw new ApiError(400, 'BadRequest', `the namespace of the object must be set`);
    const ns = this.store.get('/namespaces', undefined, t.namespace);
    if (!ns) throw new ApiError(404, 'NotFound', `namespaces "${t.namespace}" not found`, { name: t.namespace, kind: 'namespaces' });
    if (ns.metadata.deletionTimestamp && name !== undefined) throw new ApiError(403, 'Forbidden', `unable to create new content in namespace ${t.namespace} because it is being terminated`);
  }

  get(t: Target, name: string): Obj {
    const o = this.store.get(this.key(t.type), t.type.namespaced ? t.namespace : undefined, name);
    if (!o) throw notFound(t.type.plural, name, t.type.group);
    return this.present(t.type, o);
  }

  /** A list, or one page of it (`query.limit` / `query.continue`), filtered by label and field selectors. */
  list(t: Target, labelSelector?: string | null, fieldSelector?: string | null, query: ListQuery = {}): ListResult {
    const labels = parseSelector(labelSelector);
    const fields = parseSelector(fieldSelector);
    const plan = planList(query, this.store.revision, this.store.compactedRevision);
    const filter = labels.length || fields.length ? (o: Obj) => matches(labels, o.metadata.labels ?? {}) && (!fields.length || matches(fields, selectableFields(o))) : undefined;
    const page = this.store.page(this.key(t.type), { namespace: t.type.namespaced ? t.namespace : undefined, after: plan.after, limit: plan.limit, filter });
    const items = page.items.map((o) => this.present(t.type, o));
    const resourceVersion = String(plan.rv);
    if (page.next === undefined) return { items, resourceVersion };
    return { items, resourceVersion, continue: encodeContinue({ rv: plan.rv, after: page.next }), remainingItemCount: page.remaining };
  }

  /** The object as served at the requested version (the stored one itself when that is its version: stored objects are never changed in place). */
  present(t: ResourceType, o: Obj): Obj {
    const apiVersion = groupVersion(t);
    if (o.apiVersion === apiVersion && o.kind === t.kind) return o;
    return { ...o, apiVersion, kind: t.kind };
  }

  private validate(t: Target, body: Obj, name?: string): void {
    if (!isMap(body as unknown as Json) || !isMap(body.metadata as unknown as Json)) throw new ApiError(400, 'BadRequest', 'the body of the request was in an unknown format');
    if (body.kind && body.kind !== t.type.kind) throw new ApiError(400, 'BadRequest', `the kind of the object (${String(body.kind)}) does not match the resource (${t.type.kind})`);
    const n = body.metadata.name ?? name;
    if (!n) throw new ApiError(422, 'Invalid', `${t.type.kind} "" is invalid: metadata.name: Required value: name or generateName is required`, { kind: t.type.kind });
    if (name && body.metadata.name && body.metadata.name !== name) throw new ApiError(400, 'BadRequest', `the name of the object (${body.metadata.name}) does not match the name on the URL (${name})`);
    if (!/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(n) || n.length > 253) {
      throw new ApiError(422, 'Invalid', `${t.type.kind} "${n}" is invalid: metadata.name: Invalid value: "${n}": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.'`, { name: n, kind: t.type.kind });
    }
    if (body.metadata.namespace && t.namespace && body.metadata.namespace !== t.namespace) {
      throw new ApiError(400, 'BadRequest', `the namespace of the provided object does not match the namespace sent on the request`);
    }
  }

  /** Stores a new or changed object: identity, generation, defaults, ownership records, events. */
  private commit(t: Target, before: Obj | undefined, next: Obj, opts: WriteOptions): Obj {
    const meta = next.metadata;
    meta.name ??= before?.metadata.name;
    if (t.type.namespaced) meta.namespace = t.namespace;
    else delete meta.namespace;
    meta.uid = before?.metadata.uid ?? randomUUID();
    meta.creationTimestamp = before?.metadata.creationTimestamp ?? now();
    if (before?.metadata.deletionTimestamp) meta.deletionTimestamp = before.metadata.deletionTimestamp;
    next.apiVersion = groupVersion(t.type);
    next.kind = t.type.kind;
    applyDefaults(next as unknown as { [k: string]: Json }, before as unknown as { [k: string]: Json } | undefined);
    if (t.type.status && opts.subresource !== 'status' && before) next.status = before.status;
    if (t.type.status && opts.subresource === 'status') {
      const { status } = next;
      Object.assign(next, clone(before ?? {}), { status, metadata: { ...before?.metadata, resourceVersion: before?.metadata.resourceVersion } });
    }
    if (!before && t.type.group === 'batch' && t.type.kind === 'Job') labelJob(next);
    const gen = Number(before?.metadata.generation ?? 0);
    meta.generation = !before ? 1 : specOf(next) !== specOf(before) ? gen + 1 : gen;
    // A custom resource's status write is checked and pruned against its schema too, as the API server does.
    if (!opts.subresource || (opts.subresource === 'status' && this.crdSchemaOf(t.type))) {
      const crd = this.crdSchemaOf(t.type);
      defaultCustom(next, crd);
      validate(t.type, next, crd, before);
    }
    if (opts.dryRun) return this.present(t.type, { ...next, metadata: { ...next.metadata, resourceVersion: before?.metadata.resourceVersion ?? '' } });
    const stored = this.store.put(this.key(t.type), next, before ? 'MODIFIED' : 'ADDED');
    if (t.type.kind === 'CustomResourceDefinition') this.registry.registerCrd(stored);
    return this.present(t.type, stored);
  }

  create(t: Target, body: Obj, opts: WriteOptions = {}): Obj {
    this.validate(t, body);
    this.checkNamespace(t, body.metadata.name);
    const name = body.metadata.name as string;
    if (this.store.get(this.key(t.type), t.type.namespaced ? t.namespace : undefined, name)) {
      throw new ApiError(409, 'AlreadyExists', `${t.type.plural}${t.type.group ? '.' + t.type.group : ''} "${name}" already exists`, { name, group: t.type.group, kind: t.type.plural });
    }
    const next = clone(body) as Obj;
    decode(t.type, next, 'create', opts, this.crdSchemaOf(t.type));
    delete next.metadata.resourceVersion;
    if (!t.type.status) delete next.status;
    const withFields = recordUpdate(undefined, next as { [k: string]: Json }, opts.fieldManager ?? 'unknown', now()) as Obj;
    return this.commit(t, undefined, withFields, opts);
  }

  update(t: Target, name: string, body: Obj, opts: WriteOptions = {}): Obj {
    this.validate(t, body, name);
    const before = this.store.get(this.key(t.type), t.type.namespaced ? t.namespace : undefined, name);
    if (!before) throw notFound(t.type.plural, name, t.type.group);
    const rv = body.metadata.resourceVersion;
    if (rv && rv !== before.metadata.resourceVersion) {
      throw new ApiError(409, 'Conflict', `Operation cannot be fulfilled on ${t.type.plural}${t.type.group ? '.' + t.type.group : ''} "${name}": the object has been modified; please apply your changes to the latest version and try again`, { name, kind: t.type.plural });
    }
    const decoded = clone(body) as Obj;
    if (!opts.subresource) decode(t.type, decoded, 'update', opts, this.crdSchemaOf(t.type));
    const next = recordUpdate(before as { [k: string]: Json }, decoded as { [k: string]: Json }, opts.fieldManager ?? 'unknown', now(), opts.subresource) as Obj;
    return this.commit(t, before, next, opts);
  }

  patch(t: Target, name: string, type: PatchType, patch: Json, opts: WriteOptions = {}): Obj {
    const before = this.store.get(this.key(t.type), t.type.namespaced ? t.namespace : undefined, name);
    if (type === 'apply') return this.apply(t, name, before, patch, opts);
    if (!before) throw notFound(t.type.plural, name, t.type.group);
    const base = clone(before) as { [k: string]: Json };
    let next: Json;
    try {
      if (type === 'json') next = fastJsonPatch.applyPatch(base, patch as unknown as Operation[], true, false).newDocument as Json;
      else if (type === 'merge') next = mergePatch(base, patch);
      else next = strategicMerge(base, patch as { [k: string]: Json });
    } catch (err) {
      throw new ApiError(422, 'Invalid', `the patch could not be applied: ${errorText(err)}`);
    }
    const body = next as Obj;
    this.validate(t, body, name);
    if (!opts.subresource) decode(t.type, body, 'patch', opts, this.crdSchemaOf(t.type));
    const recorded = recordUpdate(before as { [k: string]: Json }, body as { [k: string]: Json }, opts.fieldManager ?? 'unknown', now(), opts.subresource) as Obj;
    return this.commit(t, before, recorded, opts);
  }

  private apply(t: Target, name: string, before: Obj | undefined, patch: Json, opts: WriteOptions): Obj {
    if (!opts.fieldManager) throw new ApiError(400, 'BadRequest', 'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch');
    const config = patch as Obj;
    this.validate(t, config, name);
    if (!opts.subresource || (opts.subresource === 'status' && this.crdSchemaOf(t.type))) decode(t.type, config, 'apply', opts, this.crdSchemaOf(t.type), t.type.namespaced ? `${t.namespace}/${name}` : name);
    if (!before) this.checkNamespace(t, name);
    try {
      const next = serverSideApply(before as { [k: string]: Json } | undefined, config as { [k: string]: Json }, opts.fieldManager, opts.force === true, now()) as Obj;
      if (!t.type.status || opts.subresource !== 'status') delete next.status;
      // A write of the main resource keeps the status; a write of the status subresource takes the applied one.
      if (before && t.type.status && opts.subresource !== 'status') next.status = before.status;
      return this.commit(t, before, next, opts);
    } catch (err) {
      if (err instanceof ApplyConflictError) throw new ApiError(409, 'Conflict', err.message, { causes: err.conflicts.map((c) => ({ reason: 'FieldManagerConflict', message: `conflict with "${c.manager}"`, field: c.path })) });
      throw err;
    }
  }

  delete(t: Target, name: string, opts: WriteOptions = {}): Obj {
    const ns = t.type.namespaced ? t.namespace : undefined;
    const before = this.store.get(this.key(t.type), ns, name);
    if (!before) throw notFound(t.type.plural, name, t.type.group);
    if (opts.dryRun) return this.present(t.type, before);
    if (t.type.kind === 'Namespace') return this.deleteNamespace(before);
    if (t.type.kind === 'CustomResourceDefinition') for (const r of this.registry.unregisterCrd(before)) this.store.drop(resourceKey(r));
    if (this.deleter) return this.present(t.type, this.deleter(this.key(t.type), before, opts.propagationPolicy));
    const gone = this.store.remove(this.key(t.type), ns, name) ?? before;
    this.collectDependents(String(before.metadata.uid), ns);
    return this.present(t.type, gone);
  }

  /**
   * Background cascading deletion, as the garbage collector does it: objects whose owner
   * references name a deleted uid go too, and theirs after them.
   */
  private collectDependents(uid: string, namespace: string | undefined): void {
    if (!namespace) return;
    for (const key of new Set(this.registry.all().filter((r) => r.namespaced).map((r) => resourceKey(r)))) {
      for (const o of this.store.list(key, namespace)) {
        const owners = (o.metadata.ownerReferences as { uid?: string }[] | undefined) ?? [];
        if (!owners.some((r) => r.uid === uid)) continue;
        this.store.remove(key, namespace, o.metadata.name as string);
        this.collectDependents(String(o.metadata.uid), namespace);
      }
    }
  }

  /** Terminating, then every namespaced object in it removed, then the namespace itself. */
  private deleteNamespace(ns: Obj): Obj {
    const name = ns.metadata.name as string;
    const terminating = this.store.put('/namespaces', { ...ns, metadata: { ...ns.metadata, deletionTimestamp: now() }, status: { phase: 'Terminating' } }, 'MODIFIED');
    const seen = new Set<string>();
    for (const t of this.registry.all()) {
      const key = resourceKey(t);
      if (!t.namespaced || seen.has(key)) continue;
      seen.add(key);
      for (const o of this.store.list(key, name)) this.store.remove(key, name, o.metadata.name as string);
    }
    setTimeout(() => this.store.remove('/namespaces', undefined, name), 50).unref();
    return this.present(this.registry.byKind('v1', 'Namespace') as ResourceType, terminating);
  }
}
