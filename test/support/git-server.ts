/**
 * A real git smart-HTTP server for tests: `git http-backend` (the CGI program shipped with git)
 * behind a small node:http server on 127.0.0.1, one CGI process per request. Optional basic auth,
 * stop()/start() on the same port for "server down, then back" tests, fetch faults switchable at
 * run time (git-faults.ts) and a force-push that rewrites a branch.
 *
 * CGI variables follow RFC 3875 and git-http-backend(1); git sends gzip-compressed request bodies
 * (`Content-Encoding: gzip`), which the backend inflates itself when HTTP_CONTENT_ENCODING is set.
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { GitFaults } from './git-faults.js';
import { serveBackend } from '../../src/runtime/git-remote.js';

const run = promisify(execFile);

export interface GitServerOptions {
  /** Directory holding the bare repos; a temporary one (removed by close()) when absent. */
  readonly root?: string;
  /** Port to listen on; 0 (default) picks a free one, kept across stop()/start(). */
  readonly port?: number;
  /** When set, every request must carry these basic-auth credentials. */
  readonly basicAuth?: { readonly user: string; readonly password: string };
}

export interface GitServer {
  /** Base URL, e.g. `http://127.0.0.1:41234`. */
  readonly url: string;
  readonly root: string;
  /** Every request served so far (`POST /r.git/git-upload-pack (gzip)`), for asserting traffic. */
  readonly requests: string[];
  /** Clone URL of a repo under the root. */
  repoUrl(name: string): string;
  /** Creates a bare repo with an initial commit of `files` on `main`; returns that commit's sha. */
  createRepo(name: string, files?: Record<string, string>): Promise<string>;
  /** Faults of fetch requests (5xx, timeouts, truncated packs); none until `faults.set(...)`. */
  readonly faults: GitFaults;
  /**
   * Rewrites `main` of repo `name` to a new commit on `base` (default: the parent of the head, or
   * no parent on a one-commit branch) with `files` changed (null deletes), so the new head does not
   * descend from the old one, and force-pushes it. Returns the new head's sha.
   */
  forcePush(name: string, files: Record<string, string | null>, options?: { base?: string; message?: string }): Promise<string>;
  /** Stops listening and drops open connections; the repos stay. */
  stop(): Promise<void>;
  /** Listens again on the same port (no-op while running). */
  start(): Promise<void>;
  /** Stops and removes the root when the server created it. */
  close(): Promise<void>;
}

/** Author and committer of every commit the test helpers make, so tests are reproducible. */
export const TEST_AUTHOR = { name: 'Sluice Test', email: 'test@sluice.dev' };

/** Environment for running the git CLI as a test user, independent of the machine's config. */
export function gitEnv(): NodeJS.ProcessEnv {
  return {
    ...process.env,
    GIT_AUTHOR_NAME: TEST_AUTHOR.name,
    GIT_AUTHOR_EMAIL: TEST_AUTHOR.email,
    GIT_COMMITTER_NAME: TEST_AUTHOR.name,
    GIT_COMMITTER_EMAIL: TEST_AUTHOR.email,
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_TERMINAL_PROMPT: '0',
  };
}

/** Runs the git CLI and returns its trimmed stdout. */
export function git(cwd: string, ...args: string[]): Promise<string> {
  return gitWith(cwd, {}, ...args);
}

/** git() with more environment (e.g. GIT_COMMITTER_DATE). */
export async function gitWith(cwd: string, env: NodeJS.ProcessEnv, ...args: string[]): Promise<string> {
  const { stdout } = await run('git', ['-c', 'init.defaultBranch=main', '-c', 'commit.gpgsign=false', ...args], { cwd, env: { ...gitEnv(), ...env }, maxBuffer: 64 << 20 });
  return stdout.trim();
}

async function backendPath(): Promise<string> {
  return join(await git(process.cwd(), '--exec-path'), 'git-http-backend');
}

function authorized(req: IncomingMessage, auth: GitServerOptions['basicAuth']): string | undefined | false {
  if (!auth) return undefined;
  const header = req.headers.authorization ?? '';
  const m = /^Basic\s+(.+)$/i.exec(header);
  if (!m) return false;
  const decoded = Buffer.from(m[1], 'base64').toString('utf8');
  return decoded === `${auth.user}:${auth.password}` ? auth.user : false;
}

function handle(req: IncomingMessage, res: ServerResponse, backend: string, root: string, auth: GitServerOptions['basicAuth'], faults: GitFaults): void {
  const user = authorized(req, auth);
  if (user === false) {
    res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="git"', 'Content-Type': 'text/plain' }).end('authentication required\n');
    return;
  }
  const answer = (body?: Buffer): void => {
    const fault = faults.decide(req, body);
    if (fault === 'error500' || fault === 'error503') {
      req.resume();
      res.writeHead(fault === 'error500' ? 500 : 503, { 'Content-Type': 'text/plain' }).end('injected fault\n');
      return;
    }
    // Never answered: the client's own timeout must end it (stop() and close() drop the socket).
    if (fault === 'timeout') return void req.resume();
    serveBackend(req, res, backend, root, { ...(user ? { user } : {}), truncate: fault === 'truncate', ...(body ? { body } : {}) });
  };
  if (!faults.needsBody(req)) return answer();
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => answer(Buffer.concat(chunks)));
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

/** Starts a git smart-HTTP server on 127.0.0.1. */
export async function startGitServer(options: GitServerOptions = {}): Promise<GitServer> {
  const ownsRoot = !options.root;
  const root = options.root ?? (await mkdtemp(join(tmpdir(), 'sluice-git-')));
  await mkdir(root, { recursive: true });
  const backend = await backendPath();
  const sockets = new Set<Socket>();
  const requests: string[] = [];
  const faults = new GitFaults();
  let server: Server | undefined;
  let port = options.port ?? 0;

  const up = async (): Promise<void> => {
    if (server) return;
    const s = createServer((req, res) => {
      const gzip = req.headers['content-encoding'] === 'gzip' ? ' (gzip)' : '';
      requests.push(`${req.method ?? 'GET'} ${req.url ?? '/'}${gzip}`);
      handle(req, res, backend, root, options.basicAuth, faults);
    });
    s.on('connection', (sock) => {
      sockets.add(sock);
      sock.on('close', () => sockets.delete(sock));
    });
    port = await listen(s, port);
    server = s;
  };
  const down = async (): Promise<void> => {
    const s = server;
    server = undefined;
    if (!s) return;
    const closed = new Promise<void>((resolve) => s.close(() => resolve()));
    for (const sock of sockets) sock.destroy();
    await closed;
  };

  await up();
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    root,
    requests,
    repoUrl: (name) => `${url}/${name}`,
    createRepo: (name, files = {}) => createBareRepo(join(root, name), files),
    faults,
    forcePush: (name, files, opts) => forcePushBare(join(root, name), files, opts),
    stop: down,
    start: up,
    async close() {
      await down();
      if (ownsRoot) await rm(root, { recursive: true, force: true });
    },
  };
}

/** `git init --bare` at `bareDir` plus one commit of `files` on main, made in a scratch clone. */
export async function createBareRepo(bareDir: string, files: Record<string, string>): Promise<string> {
  await mkdir(bareDir, { recursive: true });
  await git(bareDir, 'init', '--bare', '-q', '-b', 'main');
  const scratch = await mkdtemp(join(tmpdir(), 'sluice-seed-'));
  try {
    await git(scratch, 'init', '-q', '-b', 'main');
    for (const [path, content] of Object.entries(files)) {
      await mkdir(dirname(join(scratch, path)), { recursive: true });
      await writeFile(join(scratch, path), content);
    }
    await git(scratch, 'add', '-A');
    await git(scratch, 'commit', '-q', '--allow-empty', '-m', 'initial commit');
    await git(scratch, 'push', '-q', bareDir, 'main:main');
    return await git(scratch, 'rev-parse', 'HEAD');
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

/** See GitServer.forcePush. */
async function forcePushBare(bareDir: string, files: Record<string, string | null>, options: { base?: string; message?: string } = {}): Promise<string> {
  const scratch = await mkdtemp(join(tmpdir(), 'sluice-rewrite-'));
  try {
    await git(scratch, 'clone', '-q', '-b', 'main', bareDir, 'w');
    const w = join(scratch, 'w');
    const hasParent = (await git(w, 'rev-list', '--count', 'HEAD')) !== '1';
    if (options.base ?? hasParent) await git(w, 'checkout', '-q', '--detach', options.base ?? 'HEAD~1');
    else await git(w, 'checkout', '-q', '--orphan', 'rewritten');
    for (const [path, content] of Object.entries(files)) {
      if (content === null) await rm(join(w, path), { force: true });
      else {
        await mkdir(dirname(join(w, path)), { recursive: true });
        await writeFile(join(w, path), content);
      }
    }
    await git(w, 'add', '-A');
    await git(w, 'commit', '-q', '--allow-empty', '-m', options.message ?? 'rewritten history');
    await git(w, 'push', '-q', '--force', 'origin', 'HEAD:main');
    return await git(w, 'rev-parse', 'HEAD');
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}
