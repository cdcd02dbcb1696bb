/** Shared setup of the git tests: a temp folder, a real git server, a seeded repo and a work clone. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startGitServer, type GitServer, type GitServerOptions } from '../support/git-server.js';
import { cloneWorkdir, type Workdir } from '../support/git-workdir.js';

export const SEED: Record<string, string> = {
  'sluice.yaml': 'apiVersion: sluice.dev/v1alpha1\nkind: Config\n',
  'charts/web/Chart.yaml': 'apiVersion: v2\nname: web\nversion: 0.1.0\n',
  'charts/web/templates/cm.yaml': 'kind: ConfigMap\n',
  'environments/dev/web/values.yaml': 'greeting: hello\n',
};

export interface GitFixture {
  readonly dir: string;
  readonly server: GitServer;
  /** A fresh repo seeded with SEED; returns its URL, initial sha and a work clone. */
  repo(name: string): Promise<{ url: string; initial: string; work: Workdir }>;
  close(): Promise<void>;
}

export async function gitFixture(options: Omit<GitServerOptions, 'root'> = {}): Promise<GitFixture> {
  const dir = await mkdtemp(join(tmpdir(), 'sluice-gittest-'));
  const server = await startGitServer({ ...options, root: join(dir, 'srv') });
  return {
    dir,
    server,
    async repo(name) {
      const initial = await server.createRepo(`${name}.git`, SEED);
      const auth = options.basicAuth ? `${encodeURIComponent(options.basicAuth.user)}:${encodeURIComponent(options.basicAuth.password)}@` : '';
      const work = await cloneWorkdir(server.repoUrl(`${name}.git`).replace('http://', `http://${auth}`), join(dir, 'work', name));
      return { url: server.repoUrl(`${name}.git`), initial, work };
    },
    async close() {
      await server.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Polls `probe` every 20 ms until truthy; fails after `timeoutMs` with the description. */
export async function eventually(what: string, probe: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export function text(data: Uint8Array | undefined): string | undefined {
  return data === undefined ? undefined : new TextDecoder().decode(data);
}

/** Count of object fetches (upload-pack POSTs) the server has served. */
export function uploadPacks(server: GitServer): number {
  return server.requests.filter((r) => r.startsWith('POST ') && r.includes('git-upload-pack')).length;
}
