/**
 * The emulator's HTTP front: routes Kubernetes REST paths to the API operations, serves discovery,
 * streams watches, answers errors as Status objects, and logs every request.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Api, selectableFields, type PatchType, type Target, type WriteOptions } from './api.js';
import { servePodLog } from './log-endpoint.js';
import { aggregated, AGGREGATED_V2, coreVersions, group, groupList, resourceList, versionInfo, wantsAggregated } from './discovery.js';
import { ADMIN_PREFIX, handleAdmin } from './admin.js';
import { ApiError } from './errors.js';
import { FaultInjector, type FaultAnswer } from './faults.js';
import { readObject, writeObject } from './media.js';
import { prefersProtobuf } from './protobuf/index.js';
import { openapiGroupVersion, openapiRoot } from './openapi.js';
import { parseFieldValidation } from './validation/validate.js';
import type { Json } from './patch/merge.js';
import { matches, parseSelector, SelectorError } from './selectors.js';
import { resourceKey, type Obj, type StoreEvent } from './store.js';
import { asTable, tableVersion, type TableRequest } from './tables/serve.js';
import { errorText } from '../common/error-text.js';
import { listJson, ObjectList, watchEventJson } from './encode.js';

export interface RequestLogEntry {
  /** Arrival order, from 1: the log is trimmed as it grows, listeners hear requests as they are answered. */
  readonly seq: number;
  readonly time: string;
  readonly verb: string;
  readonly method: string;
  readonly path: string;
  readonly group?: string;
  readonly version?: string;
  readonly resource?: string;
  readonly namespace?: string;
  readonly name?: string;
  readonly contentType?: string;
  readonly fieldManager?: string;
  /** The client's User-Agent (which replica sent it). */
  readonly userAgent?: string;
  code: number;
  /** The injected fault that answered this request, if one did. */
  fault?: FaultAnswer['kind'];
  /** A create, or a patch (apply) that created the object. */
  created?: boolean;
  /** The name of the object a POST created (its path names only the collection). */
  createdName?: string;
}

const PATCH_TYPES: Record<string, PatchType> = {
  'application/merge-patch+json': 'merge',
  'application/json-patch+json': 'json',
  'application/strategic-merge-patch+json': 'strategic',
  'application/apply-patch+yaml': 'apply',
  'application/apply-patch+cbor': 'apply',
};

interface Route {
  group: string;
  version: string;
  namespace?: string;
  plural: string;
  name?: string;
  sub?: string;
}

/** `/api/v1[/namespaces/NS]/PLURAL[/NAME[/SUB]]` and `/apis/G/V/...`. */
function route(parts: string[]): Route | undefined {
  let group = '';
  let rest: string[];
  if (parts[0] === 'api') rest = parts.slice(1);
  else if (parts[0] === 'apis') {
    group = parts[1];
    rest = parts.slice(2);
  } else return undefined;
  const [version, ...tail] = rest;
  if (!version || !tail.length) return undefined;
  if (tail[0] === 'namespaces' && tail.length >= 3) return { group, version, namespace: tail[1], plural: tail[2], name: tail[3], sub: tail[4] };
  return { group, version, plural: tail[0], name: tail[1], sub: tail[2] };
}

function send(res: ServerResponse, code: number, body: unknown, accept?: string): void {
  if (body instanceof ObjectList && !prefersProtobuf(accept)) {
    res.writeHead(code, { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache, private' });
    res.end(listJson(body.head, body.items).text);
    return;
  }
  writeObject(res, code, body instanceof ObjectList ? body.toObject() : body, accept);
}

export interface EmulatorServerOptions {
  /** How often a watch that allows bookmarks gets a BOOKMARK with the current resourceVersion. */
  readonly bookmarkIntervalMs: number;
  /** Drops all state (the admin endpoint `POST /emulator/v1/wipe`); absent, wiping is refused. */
  readonly wipe?: () => void;
}

/** A request with `X-Emulator-Faults: off` is never faulted: a harness checking the cluster's state. */
export const NO_FAULTS_HEADER = 'x-emulator-faults';

/** Paths that answer whatever the fault plan says: load balancers probe these. */
const PROBES = new Set(['/healthz', '/readyz', '/livez']);

export class EmulatorServer {
  readonly requestLog: RequestLogEntry[] = [];
  private requestSeq = 0;
  readonly faults = new FaultInjector();
  /** Told of every request once it is answered (a watch: once its stream opened). */
  readonly listeners = new Set<(e: RequestLogEntry) => void>();
  private readonly watches = new Set<ServerResponse>();

  constructor(
    readonly api: Api,
    // The API server's watch cache sends bookmarks about once a minute (k8s.io/apiserver cacher).
    private readonly options: EmulatorServerOptions = { bookmarkIntervalMs: 60_000 },
  ) {}

  closeWatches(): void {
    for (const w of this.watches) w.end();
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://emulator');
    if (url.pathname.startsWith(ADMIN_PREFIX)) return handleAdmin(req, res, url.pathname, { faults: this.faults, wipe: () => this.wipe() });
    const parts = url.pathname.split('/').filter(Boolean);
    const r = route(parts);
    const q = url.searchParams;
    const watch = q.get('watch') === 'true' || q.get('watch') === '1';
    const verb = this.verbOf(req.method ?? 'GET', r, watch);
    const entry: RequestLogEntry = { seq: ++this.requestSeq, time: new Date().toISOString(), verb, method: req.method ?? 'GET', path: url.pathname, group: r?.group, version: r?.version, resource: r?.plural, namespace: r?.namespace, name: r?.name, contentType: req.headers['content-type'], fieldManager: q.get('fieldManager') ?? undefined, userAgent: req.headers['user-agent'], code: 200 };
    this.requestLog.push(entry);
    if (this.requestLog.length > 50_000) this.requestLog.splice(0, 10_000);
    try {
      if (!PROBES.has(url.pathname) && req.headers[NO_FAULTS_HEADER] !== 'off' && (await this.injected(entry, q, res))) return;
      if (!r) return this.discovery(parts, res, entry, req.headers.accept);
      const type = this.api.registry.byPlural(r.group, r.version, r.plural);
      if (!type) throw new ApiError(404, 'NotFound', `the server could not find the requested resource`);
      const target: Target = { type, namespace: r.namespace };
      // A Table when the client asks for one (kubectl get), for get, list and watch alike.
      const tv = req.method === 'GET' && !r.sub ? tableVersion(req.headers.accept) : undefined;
      const table: TableRequest | undefined = tv && { version: tv, query: q, now: Date.now() };
      if (watch) return this.watch(target, q, res, table);
      if (r.sub === 'log' && type.kind === 'Pod' && r.name && req.method === 'GET') return servePodLog(this.api, target, r.name, q, res, { clock: Date.now, pollMs: 250 });
      const existed = req.method === 'PATCH' && r.name !== undefined && this.api.store.get(resourceKey(type), type.namespaced ? r.namespace : undefined, r.name) !== undefined;
      const warnings: string[] = [];
      const result = await this.dispatch(req, target, r, q, warnings);
      // Warnings as the API server sends them (RFC 7234 warn-code 299); kubectl prints each.
      if (warnings.length) res.setHeader('Warning', warnings.map((w) => `299 - ${JSON.stringify(w)}`));
      entry.code = req.method === 'POST' ? 201 : 200;
      if (q.get('dryRun') !== 'All' && (req.method === 'POST' || (req.method === 'PATCH' && !existed && !r.sub))) entry.created = true;
      if (req.method === 'POST' && !r.name) entry.createdName = (result as Obj).metadata?.name;
      // A Table is JSON whatever else the client accepts, as the API server answers it.
      send(res, entry.code, table ? asTable(this.api.store, type, result instanceof ObjectList ? result.toObject() : (result as Obj), table) : result, table ? undefined : req.headers.accept);
    } catch (err) {
      const e = toApiError(err);
      entry.code = e.status;
      send(res, e.status, e.toStatus(), req.headers.accept);
    } finally {
      for (const l of this.listeners) l(entry);
    }
  }

  private wipe(): void {
    if (!this.options.wipe) throw new Error('this emulator cannot be wiped');
    this.options.wipe();
  }

  /** Applies the fault plan: holds the request for the added latency, then answers a fault if one is drawn. */
  private async injected(entry: RequestLogEntry, q: URLSearchParams, res: ServerResponse): Promise<boolean> {
    const delay = this.faults.latency();
    if (delay > 0) await new Promise((r) => setTimeout(r, delay));
    const fault = this.faults.decide({ verb: entry.verb, resourceVersion: q.get('resourceVersion') ?? undefined });
    if (!fault) return false;
    entry.code = fault.status;
    entry.fault = fault.kind;
    const status = new ApiError(fault.status, fault.reason, fault.message, fault.headers?.['Retry-After'] ? { retryAfterSeconds: Number(fault.headers['Retry-After']) } : {}).toStatus();
    if (fault.kind === 'gone' && entry.verb === 'watch') {
      // A watch is told in-stream, as the API server's watch cache does (an ERROR event, then the end).
      entry.code = 200;
      res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache, private' });
      res.end(JSON.stringify({ type: 'ERROR', object: status }) + '\n');
      return true;
    }
    res.writeHead(fault.status, { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache, private', ...fault.headers } satisfies Record<string, string>);
    res.end(JSON.stringify(status));
    return true;
  }

  private verbOf(method: string, r: Route | undefined, watch: boolean): string {
    if (watch) return 'watch';
    const verbs: Record<string, string> = { GET: r?.name ? 'get' : 'list', POST: 'create', PUT: 'update', PATCH: 'patch', DELETE: 'delete' };
    return verbs[method] ?? method.toLowerCase();
  }

  private discovery(parts: string[], res: ServerResponse, entry: RequestLogEntry, accept: string | undefined): void {
    const reg = this.api.registry;
    const path = parts.join('/');
    if ((path === 'api' || path === 'apis') && wantsAggregated(accept)) {
      res.writeHead(200, { 'Content-Type': AGGREGATED_V2, 'Cache-Control': 'no-cache, private' });
      res.end(JSON.stringify(aggregated(reg, path === 'api')));
      return;
    }
    let body: unknown;
    if (path === 'version') body = versionInfo();
    else if (path === 'api') body = coreVersions();
    else if (path === 'apis') body = groupList(reg);
    else if (parts[0] === 'api' && parts.length === 2) body = resourceList(reg, '', parts[1]);
    else if (parts[0] === 'apis' && parts.length === 2) body = group(reg, parts[1]);
    else if (parts[0] === 'apis' && parts.length === 3) body = resourceList(reg, parts[1], parts[2]);
    else if (path === 'openapi/v3') body = openapiRoot(reg);
    else if (parts[0] === 'openapi' && parts[1] === 'v3' && parts[2] === 'api' && parts.length === 4) body = openapiGroupVersion(reg, '', parts[3], (t) => this.api.crdSchemaOf(t));
    else if (parts[0] === 'openapi' && parts[1] === 'v3' && parts[2] === 'apis' && parts.length === 5) body = openapiGroupVersion(reg, parts[3], parts[4], (t) => this.api.crdSchemaOf(t));
    else if (path === 'healthz' || path === 'readyz' || path === 'livez') {
      res.writeHead(200, { 'Content-Type': 'text/plain' });
      res.end('ok');
      return;
    }
    if (body === undefined) {
      entry.code = 404;
      send(res, 404, new ApiError(404, 'NotFound', 'the server could not find the requested resource').toStatus());
      return;
    }
    send(res, 200, body);
  }

  private async dispatch(req: IncomingMessage, t: Target, r: Route, q: URLSearchParams, warnings: string[] = []): Promise<unknown> {
    const opts = { fieldManager: q.get('fieldManager') ?? undefined, dryRun: q.get('dryRun') === 'All', force: q.get('force') === 'true', subresource: r.sub, fieldValidation: parseFieldValidation(q.get('fieldValidation')), warnings, duplicates: [] as string[] };
    const method = req.method ?? 'GET';
    if (r.sub === 'scale') return this.scale(req, t, r.name as string, method, opts);
    if (method === 'GET' && r.name) return this.api.get(t, r.name);
    if (method === 'GET') {
      const limit = q.get('limit');
      const list = this.api.list(t, q.get('labelSelector'), q.get('fieldSelector'), { limit: limit === null ? undefined : Number(limit), continue: q.get('continue') ?? undefined, resourceVersion: q.get('resourceVersion') ?? undefined, resourceVersionMatch: q.get('resourceVersionMatch') ?? undefined });
      const metadata = { resourceVersion: list.resourceVersion, continue: list.continue, remainingItemCount: list.remainingItemCount };
      return new ObjectList({ kind: `${t.type.kind}List`, apiVersion: t.type.group ? `${t.type.group}/${t.type.version}` : t.type.version, metadata }, list.items);
    }
    if (method === 'DELETE' && r.name) {
      const options = (await readObject(req, { apiVersion: 'meta.k8s.io/v1', kind: 'DeleteOptions' })).value as DeleteBody;
      return this.api.delete(t, r.name, { ...opts, propagationPolicy: propagationPolicy(q, options) });
    }
    const parsed = await readObject(req, { apiVersion: t.type.group ? `${t.type.group}/${t.type.version}` : t.type.version, kind: t.type.kind });
    const body = parsed.value as Json;
    opts.duplicates.push(...parsed.duplicates);
    if (method === 'POST') return this.api.create(t, body as unknown as Obj, { ...opts, fieldManager: opts.fieldManager ?? userAgentManager(req) });
    if (method === 'PUT' && r.name) return this.api.update(t, r.name, body as unknown as Obj, { ...opts, fieldManager: opts.fieldManager ?? userAgentManager(req) });
    if (method === 'PATCH' && r.name) {
      const type = PATCH_TYPES[(req.headers['content-type'] ?? '').split(';')[0].trim()];
      if (!type) throw new ApiError(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: ${Object.keys(PATCH_TYPES).join(', ')}`);
      return this.api.patch(t, r.name, type, body, { ...opts, fieldManager: opts.fieldManager ?? (type === 'apply' ? undefined : userAgentManager(req)) });
    }
    throw new ApiError(405, 'MethodNotAllowed', `the server does not allow this method on the requested resource`);
  }

  /** The scale subresource as autoscaling/v1 Scale. */
  private async scale(req: IncomingMessage, t: Target, name: string, method: string, opts: { fieldManager?: string }): Promise<unknown> {
    if (method !== 'GET') {
      const body = (await readObject(req, { apiVersion: 'autoscaling/v1', kind: 'Scale' })).value as { spec?: { replicas?: number } };
      const replicas = body.spec?.replicas;
      if (typeof replicas === 'number') this.api.patch(t, name, 'merge', { spec: { replicas } }, { fieldManager: opts.fieldManager ?? userAgentManager(req) });
    }
    const o = this.api.get(t, name) as Obj & { spec?: { replicas?: number }; status?: { replicas?: number } };
    return { kind: 'Scale', apiVersion: 'autoscaling/v1', metadata: { name, namespace: o.metadata.namespace, resourceVersion: o.metadata.resourceVersion }, spec: { replicas: o.spec?.replicas ?? 0 }, status: { replicas: o.status?.replicas ?? 0 } };
  }

  /** A BOOKMARK's object: only kind, apiVersion and the resourceVersion every event up to has been sent. */
  private bookmark(t: Target): { kind: string; apiVersion: string; metadata: { resourceVersion: string; annotations?: Record<string, string> } } {
    return { kind: t.type.kind, apiVersion: t.type.group ? `${t.type.group}/${t.type.version}` : t.type.version, metadata: { resourceVersion: String(this.api.store.revision) } };
  }

  /** A watch stream: an initial ADDED per existing object (or history since resourceVersion), then live events. */
  private watch(t: Target, q: URLSearchParams, res: ServerResponse, table?: TableRequest): void {
    const labels = parseSelector(q.get('labelSelector'));
    const fields = parseSelector(q.get('fieldSelector'));
    const key = resourceKey(t.type);
    const ns = t.type.namespaced ? t.namespace : undefined;
    const wanted = (e: StoreEvent) => e.resource === key && (!ns || e.object.metadata.namespace === ns) && matches(labels, e.object.metadata.labels ?? {}) && (!fields.length || matches(fields, selectableFields(e.object)));
    res.writeHead(200, { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked', 'Cache-Control': 'no-cache, private' });
    // Clients wait for the headers before reading events; send them now, not with the first event.
    res.flushHeaders();
    // Between end() and 'finish' a store event or bookmark may still come: writing then would error.
    const send = (line: unknown) => !res.writableEnded && res.write(JSON.stringify(line) + '\n');
    const present = (o: Obj) => this.api.present(t.type, o);
    // A Table watch gets each object as a Table of one row, as the API server sends it; other
    // watches reuse each object's JSON text.
    const write = (e: StoreEvent) => (table ? send({ type: e.type, object: asTable(this.api.store, t.type, present(e.object), { ...table, now: Date.now() }) }) : !res.writableEnded && res.write(watchEventJson(e.type, present(e.object))));
    const rv = q.get('resourceVersion');
    // Watch-list (client-go WatchListClient): current state as ADDED, then a BOOKMARK marking the end.
    const initial = q.get('sendInitialEvents') === 'true';
    if (rv && rv !== '0' && !initial) {
      const history = this.api.store.since(Number(rv));
      if (!history) {
        res.end(JSON.stringify({ type: 'ERROR', object: new ApiError(410, 'Expired', `too old resource version: ${rv} (${this.api.store.oldest})`).toStatus() }) + '\n');
        return;
      }
      for (const e of history) if (wanted(e)) write(e);
    } else {
      for (const o of this.api.store.list(key, ns)) {
        const e: StoreEvent = { type: 'ADDED', rv: Number(o.metadata.resourceVersion), resource: key, object: o };
        if (wanted(e)) write(e);
      }
    }
    if (initial) {
      const bookmark = this.bookmark(t);
      bookmark.metadata.annotations = { 'k8s.io/initial-events-end': 'true' };
      res.write(JSON.stringify({ type: 'BOOKMARK', object: bookmark }) + '\n');
    }
    // Indexed by resource and namespace: an event costs nothing for the watches of other ones.
    const stop = this.api.store.watch((e) => wanted(e) && write(e), { resource: key, namespace: ns });
    this.watches.add(res);
    const timeout = Number(q.get('timeoutSeconds') ?? '0');
    const timer = timeout > 0 ? setTimeout(() => res.end(), timeout * 1000) : undefined;
    const bookmarks = q.get('allowWatchBookmarks') === 'true' ? setInterval(() => send({ type: 'BOOKMARK', object: this.bookmark(t) }), this.options.bookmarkIntervalMs) : undefined;
    // An injected cut drops the connection without the chunked stream's end, as a dying proxy does.
    const cutAfter = this.faults.watchCut();
    const cut = cutAfter === undefined ? undefined : setTimeout(() => res.destroy(), cutAfter);
    const cleanup = () => {
      if (cut) clearTimeout(cut);
      stop();
      this.watches.delete(res);
      if (timer) clearTimeout(timer);
      if (bookmarks) clearInterval(bookmarks);
    };
    res.on('close', cleanup);
    res.on('finish', cleanup);
  }
}

/** A malformed selector is the client's mistake (400), as the API server answers; anything else unexpected is 500. */
function toApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  if (err instanceof SelectorError) return new ApiError(400, 'BadRequest', err.message);
  return new ApiError(500, 'InternalError', errorText(err));
}

/** The parts of a DeleteOptions body the emulator acts on. */
interface DeleteBody {
  readonly propagationPolicy?: string;
  readonly orphanDependents?: boolean;
}

/** The delete's propagation policy: the query's, else the DeleteOptions body's (orphanDependents is its old spelling). */
function propagationPolicy(q: URLSearchParams, body: DeleteBody | null): WriteOptions['propagationPolicy'] {
  const p = q.get('propagationPolicy') ?? body?.propagationPolicy ?? (body?.orphanDependents === true ? 'Orphan' : undefined);
  if (p === undefined) return undefined;
  if (p !== 'Background' && p !== 'Foreground' && p !== 'Orphan') throw new ApiError(400, 'BadRequest', `propagationPolicy: Unsupported value: "${p}": supported values: "Orphan", "Background", "Foreground"`);
  return p;
}

/** The default field manager, derived from the user agent as the API server does (`kubectl` → `kubectl`). */
function userAgentManager(req: IncomingMessage): string {
  const ua = req.headers['user-agent'] ?? 'unknown';
  return ua.split('/')[0] || 'unknown';
}
