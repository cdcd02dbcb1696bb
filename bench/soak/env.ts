/**
 * What a soak runs against: the emulator (in this process, so it can wipe and log DELETEs), the
 * test git server, and the controller as a child process that can be SIGKILLed and started again
 * on the same state. The soak reads the cluster with `X-Emulator-Faults: off`, so its own checks
 * are never faulted.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { startGitServer, type GitServer } from '../../test/support/git-server.js';
import type { ControllerProcessOptions } from './controller-process.js';
import type { LiveAppEnv, RecordView } from './checks.js';

export interface SoakEnv {
  readonly emulator: Emulator;
  readonly git: GitServer;
  readonly dir: string;
  readonly kubeconfig: string;
  /** `namespace/resource/name` of every DELETE the emulator answered 200, in order (never trimmed). */
  readonly deletes: string[];
  /** `namespace/name` of every Job the emulator created, in order (hook runs). */
  readonly jobsCreated: string[];
  close(): Promise<void>;
}

export async function startSoakEnv(): Promise<SoakEnv> {
  const dir = await mkdtemp(join(tmpdir(), 'sluice-soak-'));
  const emulator = await startEmulator({ simulateKubelet: true, kubeletTickMs: 100 });
  const kubeconfig = join(dir, 'kubeconfig');
  await emulator.writeKubeconfig(kubeconfig);
  const git = await startGitServer({ root: join(dir, 'git') });
  const deletes: string[] = [];
  const jobsCreated: string[] = [];
  const stop = emulator.onRequest((e) => {
    if (e.verb === 'delete' && e.code === 200) deletes.push(`${e.namespace ?? ''}/${e.resource ?? ''}/${e.name ?? ''}`);
    if (e.created && e.resource === 'jobs') jobsCreated.push(`${e.namespace ?? ''}/${e.name ?? ''}`);
  });
  return {
    emulator,
    git,
    dir,
    kubeconfig,
    deletes,
    jobsCreated,
    async close() {
      stop();
      await git.close();
      await emulator.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** A request to the emulator that is never faulted. */
export async function kube(env: SoakEnv, method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<{ status: number; body: Record<string, unknown> }> {
  const headers: Record<string, string> = { 'X-Emulator-Faults': 'off' };
  if (body !== undefined) headers['content-type'] = contentType;
  const res = await fetch(`${env.emulator.url}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

/** Creates a namespace and a ConfigMap in it unless they exist (the soak's foreign object). */
export async function ensureConfigMap(env: SoakEnv, namespace: string, name: string): Promise<void> {
  if ((await kube(env, 'GET', `/api/v1/namespaces/${namespace}`)).status === 404) await kube(env, 'POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } });
  if ((await kube(env, 'GET', `/api/v1/namespaces/${namespace}/configmaps/${name}`)).status !== 404) return;
  await kube(env, 'POST', `/api/v1/namespaces/${namespace}/configmaps`, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: { owner: 'someone else' } });
}

/** The live fields the soak compares with the model. */
export async function readLive(env: SoakEnv, namespace: string, app: string): Promise<LiveAppEnv> {
  const [cm, deploy, extra] = await Promise.all([
    kube(env, 'GET', `/api/v1/namespaces/${namespace}/configmaps/${app}`),
    kube(env, 'GET', `/apis/apps/v1/namespaces/${namespace}/deployments/${app}`),
    kube(env, 'GET', `/api/v1/namespaces/${namespace}/configmaps/${app}-extra`),
  ]);
  const greeting = cm.status === 200 ? (cm.body.data as Record<string, string> | undefined)?.greeting : undefined;
  const containers = deploy.status === 200 ? ((deploy.body.spec as { template?: { spec?: { containers?: { image?: string }[] } } }).template?.spec?.containers ?? []) : [];
  return { greeting, image: containers[0]?.image, extra: extra.status === 200 };
}

/** The controller of a soak class, as a process. */
export class ControllerProcess {
  private child: ChildProcess | undefined;
  url = '';
  readonly token = randomBytes(16).toString('hex');
  private readonly options: ControllerProcessOptions;

  constructor(env: SoakEnv, repo: string, stateNamespace: string, pollIntervalMs: number) {
    this.options = { repo, kubeconfig: env.kubeconfig, cacheDir: join(env.dir, `cache-${stateNamespace}`), stateNamespace, token: this.token, pollIntervalMs };
  }

  async start(): Promise<void> {
    const main = join(dirname(fileURLToPath(import.meta.url)), 'controller-process.js');
    const child = spawn(process.execPath, [main, JSON.stringify(this.options)], { stdio: ['ignore', 'pipe', 'inherit'] });
    this.child = child;
    this.url = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout?.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /listening (\S+)\n/.exec(out);
        if (m) resolve(m[1]);
      });
      child.once('exit', (code, signal) => reject(new Error(`controller exited (${code ?? signal}) before listening`)));
    });
  }

  /** SIGKILL: no cleanup of any kind, as a node losing power. */
  async kill(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await exited;
  }

  async stop(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  }

  private async api<T>(path: string): Promise<T | undefined> {
    try {
      const res = await fetch(`${this.url}${path}`, { headers: { authorization: `Bearer ${this.token}` }, signal: AbortSignal.timeout(5_000) });
      return res.ok ? ((await res.json()) as T) : undefined;
    } catch {
      return undefined;
    }
  }

  status(app: string, env: string): Promise<AppEnvView | undefined> {
    return this.api<AppEnvView>(`/api/v1/apps/${app}/${env}`);
  }

  async history(app: string, env: string): Promise<RecordView[] | undefined> {
    const records = await this.api<RecordView[]>(`/api/v1/apps/${app}/${env}/history`);
    return records?.sort((a, b) => a.id - b.id);
  }
}

/** The fields of the API's app × env status the soak reads. */
export interface AppEnvView {
  readonly revision: string;
  readonly syncStatus: string;
  readonly health: string;
  readonly message: string;
  readonly operation?: { readonly phase: string; readonly release: number };
}
