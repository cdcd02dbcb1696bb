/**
 * A local git smart-HTTP remote for `sluice demo`: `git http-backend` (the CGI program shipped with
 * git) behind a node:http server on 127.0.0.1, one CGI process per request, pushes allowed. The
 * demo's config repo lives here as a bare repo, so the controller reads it, and `sluice bump`,
 * `sluice promote` and the person at the keyboard push to it, as with a real forge.
 *
 * CGI variables follow RFC 3875 and git-http-backend(1); git sends gzip-compressed request bodies,
 * which the backend inflates itself when HTTP_CONTENT_ENCODING is set.
 */
import { execFile, spawn } from 'node:child_process';
import { cp, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface GitRemote {
  /** Base URL, e.g. `http://127.0.0.1:41234`. */
  readonly url: string;
  /** Clone URL of a repo under the root. */
  repoUrl(name: string): string;
  close(): Promise<void>;
}

/** Who commits in the demo's repos (the example's first commit, and the working clone's). */
export const DEMO_AUTHOR = { name: 'sluice demo', email: 'demo@sluice.dev' };

function gitEnv(): NodeJS.ProcessEnv {
  return { ...process.env, GIT_TERMINAL_PROMPT: '0', GIT_AUTHOR_NAME: DEMO_AUTHOR.name, GIT_AUTHOR_EMAIL: DEMO_AUTHOR.email, GIT_COMMITTER_NAME: DEMO_AUTHOR.name, GIT_COMMITTER_EMAIL: DEMO_AUTHOR.email };
}

/** Runs the git CLI in `cwd`; its trimmed stdout. Fails with git's stderr. */
export async function git(cwd: string, ...args: string[]): Promise<string> {
  const { stdout } = await run('git', ['-c', 'init.defaultBranch=main', '-c', 'commit.gpgsign=false', ...args], { cwd, env: gitEnv(), maxBuffer: 64 << 20 });
  return stdout.trim();
}

/** The CGI environment of one request to `git http-backend` serving the repos under `root`. */
export function cgiEnv(req: IncomingMessage, root: string, user?: string): NodeJS.ProcessEnv {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    GIT_PROJECT_ROOT: root,
    GIT_HTTP_EXPORT_ALL: '1',
    // The backend refuses anonymous pushes unless told; this remote listens on 127.0.0.1 only.
    GIT_CONFIG_COUNT: '1',
    GIT_CONFIG_KEY_0: 'http.receivepack',
    GIT_CONFIG_VALUE_0: 'true',
    GATEWAY_INTERFACE: 'CGI/1.1',
    SERVER_PROTOCOL: 'HTTP/1.1',
    REQUEST_METHOD: req.method ?? 'GET',
    PATH_INFO: decodeURIComponent(url.pathname),
    QUERY_STRING: url.search.replace(/^\?/, ''),
    CONTENT_TYPE: req.headers['content-type'] ?? '',
    REMOTE_ADDR: req.socket.remoteAddress ?? '127.0.0.1',
  };
  if (req.headers['content-length']) env.CONTENT_LENGTH = req.headers['content-length'];
  if (req.headers['content-encoding']) env.HTTP_CONTENT_ENCODING = req.headers['content-encoding'];
  if (req.headers['git-protocol']) env.GIT_PROTOCOL = String(req.headers['git-protocol']);
  if (user) env.REMOTE_USER = user;
  return env;
}

/** Splits CGI output at the first blank line into the header block and the start of the body. */
function splitHeaders(buf: Buffer): { head: string; rest: Buffer } | undefined {
  const crlf = buf.indexOf('\r\n\r\n');
  const lf = buf.indexOf('\n\n');
  if (crlf < 0 && lf < 0) return undefined;
  const useCrlf = crlf >= 0 && (lf < 0 || crlf < lf);
  const at = useCrlf ? crlf : lf;
  return { head: buf.subarray(0, at).toString('latin1'), rest: buf.subarray(at + (useCrlf ? 4 : 2)) };
}

function writeHead(res: ServerResponse, head: string): void {
  let status = 200;
  for (const line of head.split(/\r?\n/)) {
    const i = line.indexOf(':');
    if (i < 0) continue;
    const name = line.slice(0, i).trim();
    const value = line.slice(i + 1).trim();
    if (name.toLowerCase() === 'status') status = parseInt(value, 10);
    else res.appendHeader(name, value);
  }
  res.writeHead(status);
}

export interface BackendOptions {
  /** The authenticated user (REMOTE_USER). */
  readonly user?: string;
  /** Sends only the first half of the answer's body, then ends cleanly (a pack cut mid-way: tests' fault). */
  readonly truncate?: boolean;
  /** The request's body when it was already read (tests' faults look into it). */
  readonly body?: Buffer;
}

/** Answers one request by running `backend` (git-http-backend) as a CGI program over the repos under `root`. */
export function serveBackend(req: IncomingMessage, res: ServerResponse, backend: string, root: string, options: BackendOptions = {}): void {
  const cgi = spawn(backend, [], { env: cgiEnv(req, root, options.user), stdio: ['pipe', 'pipe', 'pipe'] });
  if (options.body) cgi.stdin.end(options.body);
  else req.pipe(cgi.stdin);
  cgi.stdin.on('error', () => cgi.kill());
  let pending: Buffer | undefined = Buffer.alloc(0);
  let stderr = '';
  const body: Buffer[] = [];
  const out = (chunk: Buffer) => (options.truncate ? body.push(chunk) : res.write(chunk));
  cgi.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  cgi.stdout.on('data', (chunk: Buffer) => {
    if (pending === undefined) return void out(chunk);
    pending = Buffer.concat([pending, chunk]);
    const split = splitHeaders(pending);
    if (!split) return;
    pending = undefined;
    writeHead(res, split.head);
    if (split.rest.length) out(split.rest);
  });
  cgi.on('error', (err) => {
    if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain' }).end(`git http-backend failed: ${err.message}\n`);
  });
  cgi.on('close', (code) => {
    if (pending !== undefined && !res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain' }).end(`git http-backend exited ${code}: ${stderr}`);
    else if (options.truncate) {
      const all = Buffer.concat(body);
      res.end(all.subarray(0, Math.floor(all.length / 2)));
    } else res.end();
  });
}

/** Serves the bare repos under `root` on 127.0.0.1 (a free port). Needs git on the PATH. */
export async function startGitRemote(root: string): Promise<GitRemote> {
  const backend = join(await git(root, '--exec-path'), 'git-http-backend');
  const sockets = new Set<Socket>();
  const server: Server = createServer((req, res) => serveBackend(req, res, backend, root));
  server.on('connection', (sock) => {
    sockets.add(sock);
    sock.on('close', () => sockets.delete(sock));
  });
  const port = await new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    repoUrl: (name) => `${url}/${name}`,
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const s of sockets) s.destroy();
      await closed;
    },
  };
}

/**
 * The bare repo `root/name` with one commit of the files of `sourceDir` on `main`, and a working
 * clone of it at `cloneDir` whose `origin` is `remoteUrl` (where `git push` goes).
 */
export async function seedRepo(root: string, name: string, sourceDir: string, cloneDir: string, remoteUrl: string, message: string): Promise<void> {
  const bare = join(root, name);
  await mkdir(bare, { recursive: true });
  await git(bare, 'init', '--bare', '-q', '-b', 'main');
  const scratch = await mkdtemp(join(tmpdir(), 'sluice-seed-'));
  try {
    await git(scratch, 'init', '-q', '-b', 'main');
    await cp(sourceDir, scratch, { recursive: true });
    await git(scratch, 'add', '-A');
    await git(scratch, 'commit', '-q', '-m', message);
    await git(scratch, 'push', '-q', bare, 'main');
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
  await git(root, 'clone', '-q', remoteUrl, cloneDir);
  // Without an identity of the person's own, `git commit` in the clone would refuse: give it the demo's.
  const own = await git(cloneDir, 'config', 'user.email').catch(() => '');
  if (!own) {
    await git(cloneDir, 'config', 'user.name', DEMO_AUTHOR.name);
    await git(cloneDir, 'config', 'user.email', DEMO_AUTHOR.email);
  }
}
