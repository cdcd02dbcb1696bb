/**
 * `sluice demo`: everything on one machine with nothing but git installed — the Kubernetes API
 * emulator (with its kubelet simulator), the shipped example as a config repo behind a local git
 * smart-HTTP remote (so `git push`, `sluice bump` and `sluice promote` work as with a forge) with
 * a working clone, and the controller reconciling it. Runs until Ctrl-C; a port in use ends it
 * at once (exit 1). A temp dir it made is removed when it ends.
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { flag, parseArgs, UsageError } from '../args.js';
import type { Command } from '../command.js';
import { untilSignal } from '../signals.js';
import { errorText } from '../../common/error-text.js';

const USAGE = `Usage: sluice demo [--port 8080] [--dir DIR]

Starts a Kubernetes API emulator, serves a config repo made from the shipped example (apps
guestbook and quotes in dev, test, stage and prod) from a local git remote with a working clone
to push from, and runs the controller on it; the web UI and the API are on --port.

API tokens are taken as the controller takes them: SLUICE_API_TOKEN (admin) and the files admin
and readonly of SLUICE_API_TOKENS_DIR (one token per line); with neither, an admin token is made
up and printed. A read-only token shows the UI without its write buttons.

Flags:
  --port N     HTTP port of the UI, API and metrics (default 8080)
  --dir DIR    where to put the repos and kubeconfig (default: a new temp dir, removed at the end)

Exit status: 0 after Ctrl-C, 1 when the port is in use or something failed to start, 2 on a
usage error or a bad token.

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

/** True when nothing listens on `port` of 127.0.0.1 (port 0 always is). */
export function portFree(port: number, host = '127.0.0.1'): Promise<boolean> {
  if (port === 0) return Promise.resolve(true);
  return new Promise((done, fail) => {
    const probe = createServer();
    probe.once('error', (err: NodeJS.ErrnoException) => (err.code === 'EADDRINUSE' ? done(false) : fail(err)));
    probe.listen(port, host, () => probe.close(() => done(true)));
  });
}

const inUse = (port: number): string => `port ${port} is already in use (another sluice demo or controller?): stop it, or pick another port with --port N`;

/** Closers of what the demo started, run last-first when it ends however it ends. */
class Cleanup {
  private readonly steps: (() => Promise<unknown>)[] = [];
  add(step: () => Promise<unknown>): void {
    this.steps.push(step);
  }
  async run(): Promise<void> {
    for (const step of this.steps.reverse()) await step().catch((err: unknown) => process.stderr.write(`sluice demo: while stopping: ${errorText(err)}\n`));
  }
}

export const command: Command = {
  usage: USAGE,
  async run(argv) {
    const args = parseArgs(argv, { port: {}, dir: {} });
    const port = Number(flag(args, 'port') ?? '8080');
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError('--port must be a port number');
    // Before anything starts: a port in use is said at once, with nothing to clean up.
    if (!(await portFree(port))) {
      process.stderr.write(`sluice demo: ${inUse(port)}\n`);
      return 1;
    }
    const given = flag(args, 'dir');
    const dir = resolve(given ?? (await mkdtemp(join(tmpdir(), 'sluice-demo-'))));
    const cleanup = new Cleanup();
    if (given === undefined) cleanup.add(() => rm(dir, { recursive: true, force: true }));
    try {
      return await runDemo(port, dir, given === undefined, cleanup);
    } catch (err) {
      // The port taken between the check and the listen, git missing, a bad token file: say it plainly.
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'API_TOKEN_INVALID') {
        process.stderr.write(`sluice demo: ${errorText(err)}\n`);
        return 2;
      }
      process.stderr.write(`sluice demo: ${code === 'EADDRINUSE' ? inUse(port) : errorText(err)}\n`);
      return 1;
    } finally {
      await cleanup.run();
    }
  },
};

async function runDemo(port: number, dir: string, temporary: boolean, cleanup: Cleanup): Promise<number> {
  await mkdir(dir, { recursive: true });
  // Loaded on start, not at import: `sluice --help` must not pay for the emulator and controller.
  const [{ startEmulator }, { defaultControllerOptions }, { startSluice }, { loadTokens }, { seedRepo, startGitRemote }] = await Promise.all([
    import('../../emulator/index.js'),
    import('../../engine/controller.js'),
    import('../../runtime/sluice.js'),
    import('../../server/auth.js'),
    import('../../runtime/git-remote.js'),
  ]);
  // As the controller takes them; with none configured, a made-up admin token.
  const tokens = loadTokens();
  const fromEnv = process.env.SLUICE_API_TOKEN?.trim() ? 'SLUICE_API_TOKEN' : undefined;
  const fromDir = tokens.size > (fromEnv ? 1 : 0) ? process.env.SLUICE_API_TOKENS_DIR : undefined;
  const made = tokens.size === 0 ? randomBytes(24).toString('base64url') : undefined;
  if (made) tokens.add('admin', made, 'generated');

  const emulator = await startEmulator({ port: 0, simulateKubelet: true });
  cleanup.add(() => emulator.close());
  const kubeconfig = join(dir, 'kubeconfig');
  await emulator.writeKubeconfig(kubeconfig);

  const gitRoot = join(dir, 'git');
  await mkdir(gitRoot, { recursive: true });
  const remote = await startGitRemote(gitRoot);
  cleanup.add(() => remote.close());
  const repoUrl = remote.repoUrl('config.git');
  const workDir = join(dir, 'config');
  await seedRepo(gitRoot, 'config.git', exampleRepoDir(), workDir, repoUrl, 'Initial config from the sluice demo example');

  const sluice = await startSluice({
    tokens,
    kubeconfig,
    port,
    host: '127.0.0.1',
    cacheDir: join(dir, 'cache'),
    logLevel: (process.env.SLUICE_LOG_LEVEL as 'info' | undefined) ?? 'warn',
    controller: { ...defaultControllerOptions(repoUrl), pollIntervalMs: 3_000 },
  });
  cleanup.add(() => sluice.close());
  const tokenLine = made
    ? `  login token   ${made}  (admin; for the UI, the API and the CLI)`
    : `  login token   ${[fromEnv && 'the admin token of $SLUICE_API_TOKEN', fromDir && 'a token of $SLUICE_API_TOKENS_DIR/admin (admin) or /readonly (read-only)'].filter(Boolean).join(', or ')}`;
  process.stdout.write(
    [
      'sluice demo is running.',
      '',
      `  UI            ${sluice.url}/`,
      tokenLine,
      `  API           ${sluice.url}/api/v1/apps  (Authorization: Bearer <token>)`,
      `  metrics       ${sluice.url}/metrics`,
      `  health        ${sluice.url}/healthz  ${sluice.url}/readyz`,
      `  cluster       ${emulator.url}  (kubeconfig: ${kubeconfig})`,
      `  config repo   ${repoUrl}  (git remote, branch main, polled every 3s)`,
      `  work tree     ${workDir}  (a clone of it: commit and push there)`,
      ...(temporary ? [`  (everything lives in ${dir}, removed when the demo stops)`] : []),
      '',
      'For the CLI:',
      made ? `  export SLUICE_API_TOKEN=${made} SLUICE_SERVER=${sluice.url}` : `  export SLUICE_SERVER=${sluice.url}`,
      '',
      'Change something, push, and watch it sync:',
      `  cd ${workDir}`,
      `  sed -i 's/Hello from dev/Hi from dev/' environments/dev/guestbook/values.yaml`,
      `  git commit -am "dev: new greeting" && git push`,
      `  sluice wait guestbook dev && sluice status guestbook dev     # or: node ${process.argv[1]} …`,
      `  kubectl --kubeconfig ${kubeconfig} get configmap guestbook -n shop-dev -o yaml`,
      '',
      'Ship a new tag to dev, then promote it to test (a promote/… branch on the remote: no forge',
      'is configured, so merge it yourself, then git pull):',
      '  sluice bump guestbook dev 1.2.0 && sluice wait guestbook dev',
      '  sluice promote guestbook --to test --dry-run',
      '  sluice promote guestbook --to test',
      '  sluice apps',
      '',
      'See its pods, their logs, and what the controllers did:',
      `  kubectl --kubeconfig ${kubeconfig} get pods,replicasets -n shop-dev`,
      '  sluice logs guestbook dev --follow',
      `  kubectl --kubeconfig ${kubeconfig} get events -n shop-dev`,
      '',
      'Ship a release that never becomes ready (its image is on a registry that cannot be reached,',
      'as on any cluster) and watch sluice roll it back:',
      `  printf 'image:\\n  repository: registry.invalid/shop/guestbook\\n  tag: "1.1.0"\\n' > environments/dev/guestbook/image.yaml`,
      `  printf 'progressDeadlineSeconds: 5\\n' >> environments/dev/guestbook/values.yaml`,
      `  git commit -am "dev: guestbook 1.1.0 from an unreachable registry" && git push`,
      `  sluice wait guestbook dev     # exit 1: Degraded, then rolled back`,
      `  kubectl --kubeconfig ${kubeconfig} get pods -n shop-dev     # ImagePullBackOff`,
      '  sluice history guestbook dev',
      '',
      'Ship a release of quotes whose migration fails (the PreSync hook stops the sync):',
      `  printf 'image:\\n  tag: "2.2.0"\\n' > environments/dev/quotes/image.yaml`,
      `  printf 'migrations:\\n  command: [sh, -c, "exit 1"]\\n' > environments/dev/quotes/values.yaml`,
      `  git add -A && git commit -m "dev: quotes 2.2.0, its migration fails" && git push`,
      '',
      'Ctrl-C stops everything.',
      '',
    ].join('\n'),
  );
  await untilSignal();
  return 0;
}
