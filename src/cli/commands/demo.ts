/**
 * `sluice demo`: everything on one machine with nothing installed — the Kubernetes API emulator
 * (with its kubelet simulator), a local config repo made from the shipped example, and the
 * controller reconciling it. Runs until Ctrl-C.
 */
import { cp, mkdir, mkdtemp, readdir } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { flag, parseArgs, UsageError } from '../args.js';
import type { Command } from '../command.js';
import { untilSignal } from '../signals.js';

const USAGE = `Usage: sluice demo [--port 8080] [--dir DIR]

Starts a Kubernetes API emulator, creates a local config repo from the shipped example (apps
guestbook and quotes in dev, test, stage and prod) and runs the controller on it.

Flags:
  --port N     HTTP port of the sluice API and metrics (default 8080)
  --dir DIR    where to create the config repo and kubeconfig (default: a new temp dir)

Example:
  SLUICE_API_TOKEN=my-demo-token-0123456789 sluice demo --port 8080`;

/** The example config repo shipped with sluice (examples/demo at the package root). */
export function exampleRepoDir(): string {
  // Walk up from the compiled module to the package root (dist/src/cli/commands → root).
  for (let dir = dirname(fileURLToPath(import.meta.url)); dir !== dirname(dir); dir = dirname(dir)) {
    const candidate = join(dir, 'examples', 'demo');
    if (fs.existsSync(join(candidate, 'sluice.yaml'))) return candidate;
  }
  throw new Error('examples/demo not found next to the sluice installation');
}

async function listFiles(dir: string, root = dir): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) {
      if (e.name !== '.git') out.push(...(await listFiles(p, root)));
    } else out.push(relative(root, p));
  }
  return out;
}

/** Copies the example into `dir/config` and commits it on `main` with isomorphic-git. */
export async function createDemoRepo(dir: string): Promise<string> {
  const repoDir = join(dir, 'config');
  await mkdir(repoDir, { recursive: true });
  await cp(exampleRepoDir(), repoDir, { recursive: true });
  const { default: git } = await import('isomorphic-git');
  await git.init({ fs, dir: repoDir, defaultBranch: 'main' });
  for (const filepath of await listFiles(repoDir)) await git.add({ fs, dir: repoDir, filepath });
  await git.commit({ fs, dir: repoDir, message: 'Initial config from the sluice demo example', author: { name: 'sluice demo', email: 'demo@sluice.dev' } });
  return repoDir;
}

export const command: Command = {
  usage: USAGE,
  async run(argv) {
    const args = parseArgs(argv, { port: {}, dir: {} });
    const port = Number(flag(args, 'port') ?? '8080');
    if (!Number.isInteger(port) || port < 0) throw new UsageError('--port must be a port number');
    const dir = resolve(flag(args, 'dir') ?? (await mkdtemp(join(tmpdir(), 'sluice-demo-'))));
    await mkdir(dir, { recursive: true });
    // Loaded on start, not at import: `sluice --help` must not pay for the emulator and controller.
    const [{ startEmulator }, { defaultControllerOptions }, { startSluice }, { TokenSet }] = await Promise.all([
      import('../../emulator/index.js'),
      import('../../engine/controller.js'),
      import('../../runtime/sluice.js'),
      import('../../server/auth.js'),
    ]);
    const emulator = await startEmulator({ port: 0, simulateKubelet: true });
    const kubeconfig = join(dir, 'kubeconfig');
    await emulator.writeKubeconfig(kubeconfig);
    const repoDir = await createDemoRepo(dir);
    const given = process.env.SLUICE_API_TOKEN?.trim();
    const token = given || randomBytes(24).toString('base64url');
    const sluice = await startSluice({
      tokens: new TokenSet().add('admin', token, given ? 'SLUICE_API_TOKEN' : 'generated'),
      kubeconfig,
      port,
      host: '127.0.0.1',
      cacheDir: join(dir, 'cache'),
      logLevel: (process.env.SLUICE_LOG_LEVEL as 'info' | undefined) ?? 'warn',
      controller: { ...defaultControllerOptions(repoDir), pollIntervalMs: 3_000 },
    });
    process.stdout.write(
      [
        'sluice demo is running.',
        '',
        `  web UI     ${sluice.url}/  (log in with the admin token ${given ? 'from $SLUICE_API_TOKEN' : `${token}`})`,
        `  API        ${sluice.url}/api/v1/apps  (bearer token ${given ? 'from $SLUICE_API_TOKEN' : 'below'})`,
        `  metrics    ${sluice.url}/metrics`,
        `  health     ${sluice.url}/healthz  ${sluice.url}/readyz`,
        `  cluster    ${emulator.url}  (kubeconfig: ${kubeconfig})`,
        `  config     ${repoDir}  (git repo, branch main, polled every 3s)`,
        '',
        given ? 'For the CLI:' : 'The API and the CLI need its admin token:',
        given ? `  export SLUICE_SERVER=${sluice.url}` : `  export SLUICE_API_TOKEN=${token} SLUICE_SERVER=${sluice.url}`,
        '',
        'Change something and watch it sync:',
        `  cd ${repoDir}`,
        `  sed -i 's/Hello from dev/Hi from dev/' environments/dev/guestbook/values.yaml`,
        `  git commit -am "dev: new greeting"`,
        `  curl -s -H "Authorization: Bearer $SLUICE_API_TOKEN" ${sluice.url}/api/v1/apps`,
        `  kubectl --kubeconfig ${kubeconfig} get configmap guestbook -n shop-dev -o yaml`,
        '',
        'See its pods, and what the controllers did:',
        `  kubectl --kubeconfig ${kubeconfig} get pods,replicasets -n shop-dev`,
        `  kubectl --kubeconfig ${kubeconfig} get events -n shop-dev`,
        '',
        'Ship a release that never becomes ready (its image is on a registry that cannot be reached,',
        'as on any cluster) and watch sluice roll it back:',
        `  printf 'image:\\n  repository: registry.invalid/shop/guestbook\\n  tag: "1.1.0"\\n' > environments/dev/guestbook/image.yaml`,
        `  printf 'progressDeadlineSeconds: 5\\n' >> environments/dev/guestbook/values.yaml`,
        `  git commit -am "dev: guestbook 1.1.0 from an unreachable registry"`,
        `  kubectl --kubeconfig ${kubeconfig} get pods -n shop-dev     # ImagePullBackOff`,
        `  sluice history guestbook dev     # or: node ${process.argv[1]} history …`,
        '',
        'Ship a release of quotes whose migration fails (the PreSync hook stops the sync):',
        `  printf 'image:\\n  tag: "2.2.0"\\n' > environments/dev/quotes/image.yaml`,
        `  printf 'migrations:\\n  command: [sh, -c, "exit 1"]\\n' > environments/dev/quotes/values.yaml`,
        `  git add -A && git commit -m "dev: quotes 2.2.0, its migration fails"`,
        '',
        'Ctrl-C stops everything.',
        '',
      ].join('\n'),
    );
    await untilSignal();
    await sluice.close();
    await emulator.close();
    return 0;
  },
};
