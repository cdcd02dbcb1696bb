/**
 * End-to-end harness: a real git smart-HTTP server, a cluster (the emulator, or a real one when
 * SLUICE_E2E_KUBECONFIG is set), and an in-process sluice controller polling the repo every few
 * hundred milliseconds. Each test gets its own repo and namespace prefix, so tests don't interfere
 * and a real cluster is left clean.
 */
import { execFile, type SpawnOptions } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { exampleRepoDir } from '../../src/cli/commands/demo.js';
import { defaultControllerOptions } from '../../src/engine/controller.js';
import type { AppEnvStatus } from '../../src/engine/status.js';
import { K8sClusterClient, loadKubeConfig } from '../../src/kube/k8s-client.js';
import type { KubeObject } from '../../src/kube/types.js';
import { silentLogger, type Logger } from '../../src/log/logger.js';
import { startSluice, type RunningSluice } from '../../src/runtime/sluice.js';
import { startGitServer, type GitServer } from '../support/git-server.js';
import { cloneWorkdir, type Workdir } from '../support/git-workdir.js';
import { kubectlPath } from '../support/tools.js';
import { type Child, spawnChild, stopChild } from '../support/child-processes.js';
import { testTokens, WEBHOOK_SECRET } from '../support/api-tokens.js';

const run = promisify(execFile);

export interface Cluster {
  readonly kubeconfig: string;
  readonly emulator?: Emulator;
  close(): Promise<void>;
}

/** The emulator, unless SLUICE_E2E_KUBECONFIG points at a real cluster. */
export async function startCluster(dir: string): Promise<Cluster> {
  const real = process.env.SLUICE_E2E_KUBECONFIG;
  if (real) return { kubeconfig: real, close: async () => undefined };
  const emulator = await startEmulator({ port: 0, simulateKubelet: true, kubeletTickMs: 100 });
  const kubeconfig = join(dir, 'kubeconfig');
  await emulator.writeKubeconfig(kubeconfig);
  return { kubeconfig, emulator, close: () => emulator.close() };
}

async function readTree(dir: string, root = dir): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) Object.assign(out, await readTree(p, root));
    else out[relative(root, p)] = await readFile(p, 'utf8');
  }
  return out;
}

/** The demo example with namespaces made unique to this test. */
export async function exampleFiles(prefix: string): Promise<Record<string, string>> {
  const files = await readTree(exampleRepoDir());
  files['sluice.yaml'] = files['sluice.yaml'].replace(/namespace: shop-/g, `namespace: ${prefix}-`);
  if (process.env.SLUICE_E2E_IMAGE) {
    // On a real cluster the example images must be pullable: point both charts at a real image.
    for (const chart of ['guestbook', 'quotes']) {
      const p = `charts/${chart}/values.yaml`;
      files[p] = files[p].replace(/repository: .*/, `repository: ${process.env.SLUICE_E2E_IMAGE}`);
    }
  }
  return files;
}

export interface Scenario {
  readonly prefix: string;
  readonly git: GitServer;
  readonly work: Workdir;
  readonly sluice: RunningSluice;
  readonly kube: K8sClusterClient;
  ns(env: string): string;
  status(app: string, env: string): AppEnvStatus | undefined;
  get(apiVersion: string, kind: string, namespace: string, name: string): Promise<KubeObject | undefined>;
  kubectl(...args: string[]): Promise<string>;
  /** Stops the controller and starts a new one on the same repo and state (nothing kept in memory). */
  restart(): Promise<void>;
  close(): Promise<void>;
}

export interface ScenarioOptions {
  /** Git poll interval; a long one shows that watches, not polls, bring drift in. Default 300 ms. */
  readonly pollIntervalMs?: number;
  /** Changes to the example's files before the config repo is created (e.g. `build:` blocks). */
  readonly files?: (files: Record<string, string>, prefix: string) => void;
  /** Where sluice logs (default: nowhere). */
  readonly log?: Logger;
}

export async function startScenario(cluster: Cluster, git: GitServer, options: ScenarioOptions = {}): Promise<Scenario> {
  const prefix = `e2e${randomBytes(3).toString('hex')}`;
  const dir = await mkdtemp(join(tmpdir(), `sluice-${prefix}-`));
  const repoName = `${prefix}.git`;
  const files = await exampleFiles(prefix);
  options.files?.(files, prefix);
  await git.createRepo(repoName, files);
  const work = await cloneWorkdir(git.repoUrl(repoName), join(dir, 'work'));
  const sluiceOptions = {
    kubeconfig: cluster.kubeconfig,
    port: 0,
    host: '127.0.0.1',
    cacheDir: join(dir, 'cache'),
    logLevel: 'warn' as const,
    tokens: testTokens(),
    webhookSecrets: { shared: WEBHOOK_SECRET },
    builds: { pollIntervalMs: options.pollIntervalMs ?? 300, checkIntervalMs: 200 },
    autoPromoteCheckMs: 200,
    controller: { ...defaultControllerOptions(git.repoUrl(repoName)), pollIntervalMs: options.pollIntervalMs ?? 300, progressRequeueMs: 200, maxBackoffMs: 1_000, stateNamespace: `${prefix}-sluice` },
  };
  const log = options.log ?? silentLogger;
  let sluice = await startSluice(sluiceOptions, log);
  const kube = new K8sClusterClient(loadKubeConfig({ kubeconfig: cluster.kubeconfig }));
  const scenario: Scenario = {
    prefix,
    git,
    work,
    get sluice() {
      return sluice;
    },
    kube,
    ns: (env) => `${prefix}-${env}`,
    status: (app, env) => sluice.status.get(app, env),
    get: (apiVersion, kind, namespace, name) => kube.get({ apiVersion, kind, namespace, name }),
    async kubectl(...args) {
      const { stdout } = await run(kubectlPath(), ['--kubeconfig', cluster.kubeconfig, ...args]);
      return stdout;
    },
    async restart() {
      await sluice.close();
      sluice = await startSluice(sluiceOptions, log);
    },
    async close() {
      await sluice.close();
      if (process.env.SLUICE_E2E_KUBECONFIG) {
        for (const env of ['dev', 'test', 'stage', 'prod', 'sluice', 'builds']) await kube.delete({ apiVersion: 'v1', kind: 'Namespace', name: `${prefix}-${env}` });
      }
      await rm(dir, { recursive: true, force: true, maxRetries: 5 });
    },
  };
  return scenario;
}

/** Polls `probe` until it returns a truthy value; fails with the last observation after `timeoutMs`. */
export async function eventually<T>(what: string, probe: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v) return v;
      last = v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last: ${last instanceof Error ? last.message : JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export interface Environment {
  readonly cluster: Cluster;
  readonly git: GitServer;
  /** Scratch directory, removed after the describe. */
  readonly dir: string;
  /** Starts a process that is stopped (SIGTERM, then SIGKILL) before the cluster and git server. */
  spawn(command: string, args: readonly string[], options?: SpawnOptions): Child;
}

/** Registers mocha hooks that start a cluster and a git server for the enclosing describe. */
export function e2eEnvironment(): Environment {
  const children: Child[] = [];
  const env = {
    spawn(command: string, args: readonly string[], options?: SpawnOptions): Child {
      const child = spawnChild(command, args, options);
      children.push(child);
      return child;
    },
  } as Environment & { cluster: Cluster; git: GitServer; dir: string };
  before(async () => {
    env.dir = await mkdtemp(join(tmpdir(), 'sluice-e2e-'));
    env.cluster = await startCluster(env.dir);
    env.git = await startGitServer({ root: join(env.dir, 'git') });
  });
  after(async () => {
    // Processes first: one still writing into the scratch directory would make its removal fail.
    // Every step runs even when one before it failed, so nothing is left running.
    const steps = [
      () => Promise.all(children.map((c) => stopChild(c))),
      () => env.git?.close(),
      () => env.cluster?.close(),
      () => (env.dir ? rm(env.dir, { recursive: true, force: true, maxRetries: 5 }) : undefined),
    ];
    const failures: unknown[] = [];
    for (const step of steps) {
      try {
        await step();
      } catch (err) {
        failures.push(err);
      }
    }
    if (failures.length === 1) throw failures[0];
    if (failures.length > 1) throw new AggregateError(failures, 'e2e environment cleanup failed');
  });
  return env;
}

export { startGitServer };

type Container = { image: string };

/** The image of a workload's first container. */
export function imageOf(workload: KubeObject | undefined): string | undefined {
  return (workload?.spec as { template: { spec: { containers: Container[] } } } | undefined)?.template.spec.containers[0].image;
}

/** `sluice.yaml` with a `build:` block (flow map of `fields`) added under app `app`. */
export function withBuild(sluiceYaml: string, app: string, fields: Record<string, string>): string {
  const block = Object.entries(fields).map(([k, v]) => `${k}: ${JSON.stringify(v)}`).join(', ');
  return sluiceYaml.replace(`    chart: charts/${app}\n`, `    chart: charts/${app}\n    build: {${block}}\n`);
}
