/**
 * Image-push webhooks from registries, for images built elsewhere (pure parsing and matching):
 *
 * - Harbor 2.x (`type: PUSH_ARTIFACT`; `event_data.resources[]` with `tag`, `digest` and
 *   `resource_url` = `<host>/<project>/<repo>:<tag>`),
 * - Docker Hub (`push_data.tag`, `repository.repo_name` → `docker.io/<repo_name>`),
 * - a generic form `{"image": "registry.example.com/shop/web", "tag": "1.2.3", "digest": "sha256:…"}`.
 *
 * The provider is told by the body's shape (Harbor: `type` + `event_data`; Docker Hub: `push_data`
 * + `repository`; generic: `image` + `tag`), since neither Harbor nor Docker Hub sends a header that
 * names it. Image names are compared the way Docker resolves them: no registry host means
 * `docker.io`, and a one-part Docker Hub name is under `library/`.
 */

export type RegistryProvider = 'harbor' | 'dockerhub' | 'generic';

export interface ImagePush {
  /** Registry host + path, no tag or digest, normalized. */
  readonly repository: string;
  readonly tag: string;
  readonly digest?: string;
}

export type RegistryEvent =
  | { readonly kind: 'push'; readonly provider: RegistryProvider; readonly pushes: readonly ImagePush[] }
  | { readonly kind: 'ignored'; readonly provider?: RegistryProvider; readonly reason: string }
  | { readonly kind: 'invalid'; readonly provider?: RegistryProvider; readonly reason: string };

/** Docker tag grammar (distribution/reference). */
const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const DIGEST = /^sha256:[0-9a-f]{64}$/;

function rec(v: unknown): Record<string, unknown> | undefined {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** `web` → `docker.io/library/web`, `Index.Docker.io/a/b` → `docker.io/a/b`, `host:5000/x` kept. */
export function normalizeImage(name: string): string {
  const parts = name.trim().replace(/\/+$/, '').split('/');
  const first = parts[0].toLowerCase();
  const hasHost = parts.length > 1 && (first.includes('.') || first.includes(':') || first === 'localhost');
  const host = hasHost ? first : 'docker.io';
  const path = (hasHost ? parts.slice(1) : parts).join('/').toLowerCase();
  const canonicalHost = host === 'index.docker.io' || host === 'registry-1.docker.io' ? 'docker.io' : host;
  return canonicalHost === 'docker.io' && !path.includes('/') ? `docker.io/library/${path}` : `${canonicalHost}/${path}`;
}

/** `host/p/r:tag` or `host/p/r@sha256:…` → `host/p/r`. */
function withoutReference(url: string): string {
  const at = url.indexOf('@');
  const noDigest = at >= 0 ? url.slice(0, at) : url;
  const colon = noDigest.lastIndexOf(':');
  return colon > noDigest.lastIndexOf('/') ? noDigest.slice(0, colon) : noDigest;
}

function push(repository: string, tag: unknown, digest: unknown): ImagePush | undefined {
  const t = str(tag);
  if (t === undefined || !TAG.test(t)) return undefined;
  const d = str(digest);
  return { repository: normalizeImage(repository), tag: t, ...(d !== undefined && DIGEST.test(d) ? { digest: d } : {}) };
}

function harbor(body: Record<string, unknown>): RegistryEvent {
  if (body.type !== 'PUSH_ARTIFACT') return { kind: 'ignored', provider: 'harbor', reason: `event ${String(body.type)} is not a push` };
  const data = rec(body.event_data);
  const resources = Array.isArray(data?.resources) ? data.resources : [];
  const pushes: ImagePush[] = [];
  for (const r of resources.map(rec)) {
    const url = str(r?.resource_url);
    if (!url) continue;
    // Pushed by digest only: Harbor puts the digest in `tag`; there is no tag to deploy.
    const p = push(withoutReference(url), r?.tag, r?.digest);
    if (p) pushes.push(p);
  }
  if (pushes.length === 0) return { kind: 'ignored', provider: 'harbor', reason: 'no tagged artifact in the event' };
  return { kind: 'push', provider: 'harbor', pushes };
}

function dockerHub(body: Record<string, unknown>): RegistryEvent {
  const repo = str(rec(body.repository)?.repo_name);
  const p = repo ? push(`docker.io/${repo}`, rec(body.push_data)?.tag, undefined) : undefined;
  if (!p) return { kind: 'invalid', provider: 'dockerhub', reason: 'repository.repo_name and a valid push_data.tag are required' };
  return { kind: 'push', provider: 'dockerhub', pushes: [p] };
}

function generic(body: Record<string, unknown>): RegistryEvent {
  const image = str(body.image);
  if (!image || /[@]|:[^/]*$/.test(image)) return { kind: 'invalid', provider: 'generic', reason: '"image" must be a repository without tag or digest' };
  const p = push(image, body.tag, body.digest);
  if (!p) return { kind: 'invalid', provider: 'generic', reason: '"tag" must be a valid image tag' };
  if (body.digest !== undefined && p.digest === undefined) return { kind: 'invalid', provider: 'generic', reason: '"digest" must be sha256:<64 hex>' };
  return { kind: 'push', provider: 'generic', pushes: [p] };
}

export function parseRegistryEvent(body: unknown): RegistryEvent {
  const b = rec(body);
  if (!b) return { kind: 'invalid', reason: 'body must be a JSON object' };
  if (b.type !== undefined && b.event_data !== undefined) return harbor(b);
  if (b.push_data !== undefined && b.repository !== undefined) return dockerHub(b);
  if (b.image !== undefined) return generic(b);
  return { kind: 'ignored', reason: 'not a Harbor, Docker Hub or generic image push' };
}

/** The apps whose `build.image` is `repository` (both normalized). */
export function appsForImage(repository: string, builds: readonly { readonly app: string; readonly image: string }[]): string[] {
  const want = normalizeImage(repository);
  return builds.filter((b) => normalizeImage(b.image) === want).map((b) => b.app);
}
