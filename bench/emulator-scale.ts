/**
 * Emulator scale benchmark (not a test). Starts `sluice emulator --simulate-kubelet` as its own
 * process, creates N Deployments (default 4,000) with the objects an app brings along (Service,
 * ServiceAccount, ConfigMaps, Secrets, Role, RoleBinding, PodDisruptionBudget) through the HTTP
 * API from several concurrent clients, and prints one line per figure:
 *  - objects created, write throughput, and objects stored (counted by the API);
 *  - seconds until every Deployment is Available, from the last write;
 *  - `kubectl get deploy -A` wall time (the real kubectl, chunks of 500), first run and warm;
 *  - a JSON list of all Deployments in one request and in pages of 500;
 *  - idle CPU of the emulator (% of one core over 30 s with nothing happening, from /proc), in the
 *    window right after the load and in the one after it;
 *  - peak RSS of the emulator process (VmHWM);
 *  - watch fan-out: time to deliver one event to its watch alone, and with 200 open watches on
 *    another resource or on the same resource in other namespaces.
 *   node dist/bench/emulator-scale.js [--deployments 4000] [--per-namespace 10] [--clients 8] [--idle-seconds 30] [--watches 200] [--no-kubelet]
 * SLUICE_BENCH_EMULATOR_NODE_ARGS (e.g. `--cpu-prof`) passes arguments to the emulator's node.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { Agent, request, type IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { kubectlPath } from '../test/support/tools.js';

const exec = promisify(execFile);

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const millis = (ms: number) => `${ms.toFixed(2)} ms`;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** Starts `sluice emulator` as a child process; resolves with it and its URL once it listens. */
function startEmulatorProcess(kubeconfig: string, kubelet: boolean): Promise<{ child: ChildProcess; url: string }> {
  const main = join(dirname(fileURLToPath(import.meta.url)), '..', 'src', 'cli', 'main.js');
  // e.g. SLUICE_BENCH_EMULATOR_NODE_ARGS=--cpu-prof to profile the emulator under this load.
  const nodeArgs = (process.env.SLUICE_BENCH_EMULATOR_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...nodeArgs, main, 'emulator', '--port', '0', '--kubeconfig-out', kubeconfig, ...(kubelet ? ['--simulate-kubelet'] : [])], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    child.stdout?.once('data', (d: Buffer) => {
      const m = /listening on (\S+)/.exec(d.toString());
      if (m) resolve({ child, url: m[1] });
      else reject(new Error(`unexpected emulator output: ${d.toString()}`));
    });
    child.once('exit', (code) => reject(new Error(`emulator exited with ${code}`)));
  });
}

/** utime + stime of a process in seconds, from /proc/<pid>/stat. */
function cpuSeconds(pid: number, ticksPerSecond: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / ticksPerSecond;
}

function statusKiB(pid: number, field: string): number {
  const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) : NaN;
}

/** The objects of one app: a Deployment and what comes with it (10 objects). */
function appObjects(ns: string, app: string): [string, unknown][] {
  const labels = { app };
  const core = `/api/v1/namespaces/${ns}`;
  return [
    [`${core}/serviceaccounts`, { metadata: { name: app, labels } }],
    [`${core}/configmaps`, { metadata: { name: `${app}-config`, labels }, data: { 'app.properties': `name=${app}\nport=8080\n`, LOG_LEVEL: 'info' } }],
    [`${core}/configmaps`, { metadata: { name: `${app}-env`, labels }, data: { ENV: 'bench', APP: app } }],
    [`${core}/secrets`, { metadata: { name: `${app}-creds`, labels }, type: 'Opaque', data: { password: Buffer.from(`pw-${app}`).toString('base64') } }],
    [`${core}/secrets`, { metadata: { name: `${app}-tls`, labels }, type: 'Opaque', stringData: { token: `t-${app}` } }],
    [`${core}/services`, { metadata: { name: app, labels }, spec: { selector: labels, ports: [{ name: 'http', port: 80, targetPort: 8080 }] } }],
    [`/apis/rbac.authorization.k8s.io/v1/namespaces/${ns}/roles`, { metadata: { name: app, labels }, rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'list', 'watch'] }] }],
    [`/apis/rbac.authorization.k8s.io/v1/namespaces/${ns}/rolebindings`, { metadata: { name: app, labels }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: app }, subjects: [{ kind: 'ServiceAccount', name: app, namespace: ns }] }] ,
    [`/apis/policy/v1/namespaces/${ns}/poddisruptionbudgets`, { metadata: { name: app, labels }, spec: { minAvailable: 1, selector: { matchLabels: labels } } }],
    [`/apis/apps/v1/namespaces/${ns}/deployments`, {
      metadata: { name: app, labels },
      spec: {
        replicas: 1,
        selector: { matchLabels: labels },
        template: { metadata: { labels }, spec: { serviceAccountName: app, containers: [{ name: 'web', image: 'registry.example/web:1.0.0', ports: [{ containerPort: 8080 }], envFrom: [{ configMapRef: { name: `${app}-env` } }], resources: { requests: { cpu: '10m', memory: '16Mi' } } }] } },
      },
    }],
  ];
}

// Plain node:http with kept-alive connections: a light client, so the figures are the emulator's.
const agent = new Agent({ keepAlive: true, maxSockets: 64 });

function post(url: string, path: string, body: unknown): Promise<void> {
  const data = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(`${url}${path}`, { method: 'POST', agent, headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(data) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => (res.statusCode === 201 ? resolve() : reject(new Error(`POST ${path}: ${res.statusCode} ${Buffer.concat(chunks).toString().slice(0, 300)}`))));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(data);
  });
}

/** Runs the writes from `clients` concurrent clients. */
async function writeAll(url: string, writes: [string, unknown][], clients: number): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: clients }, async () => {
    while (next < writes.length) {
      const [path, body] = writes[next++];
      await post(url, path, body);
    }
  }));
}

interface DeploymentList { items: { status?: { conditions?: { type: string; status: string }[] } }[]; metadata: { continue?: string; remainingItemCount?: number } }

async function getJson<T>(url: string): Promise<{ body: T; bytes: number }> {
  const res = await fetch(url);
  const text = await res.text();
  if (res.status !== 200) throw new Error(`GET ${url}: ${res.status} ${text.slice(0, 200)}`);
  return { body: JSON.parse(text) as T, bytes: Buffer.byteLength(text) };
}

/** Time to the first and to the last byte of a GET (the body read, not parsed: the server's share), and its size. */
function timedGet(url: string): Promise<{ first: number; last: number; bytes: number; text: string }> {
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    request(url, { agent }, (res) => {
      let first = 0;
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => {
        if (!first) first = performance.now() - t0;
        chunks.push(c);
      });
      res.on('end', () => {
        const body = Buffer.concat(chunks);
        if (res.statusCode !== 200) reject(new Error(`GET ${url}: ${res.statusCode}`));
        else resolve({ first, last: performance.now() - t0, bytes: body.length, text: body.toString('utf8') });
      });
      res.on('error', reject);
    })
      .on('error', reject)
      .end();
  });
}

const available = (d: DeploymentList['items'][number]) => d.status?.conditions?.some((c) => c.type === 'Available' && c.status === 'True') === true;

/** How many objects a resource holds: one item and `remainingItemCount` of a paged list. */
async function countOf(url: string, path: string): Promise<number> {
  const { body } = await getJson<DeploymentList>(`${url}${path}?limit=1`);
  return body.items.length + (body.metadata.remainingItemCount ?? 0);
}

const COUNTED = ['/api/v1/namespaces', '/api/v1/nodes', '/api/v1/pods', '/api/v1/services', '/api/v1/serviceaccounts', '/api/v1/configmaps', '/api/v1/secrets', '/api/v1/events', '/api/v1/endpoints', '/apis/apps/v1/deployments', '/apis/apps/v1/replicasets', '/apis/apps/v1/controllerrevisions', '/apis/rbac.authorization.k8s.io/v1/roles', '/apis/rbac.authorization.k8s.io/v1/rolebindings', '/apis/policy/v1/poddisruptionbudgets', '/apis/discovery.k8s.io/v1/endpointslices', '/apis/coordination.k8s.io/v1/leases'];

/** An open watch that resolves `waitFor(name)` when an event about that object arrives. */
interface OpenWatch { waitFor(name: string): Promise<void>; close(): void }

function openWatch(url: string, path: string): Promise<OpenWatch> {
  return new Promise((resolve, reject) => {
    const waiting = new Map<string, () => void>();
    let buffer = '';
    const req = request(`${url}${path}?watch=true&resourceVersion=0`, (res: IncomingMessage) => {
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffer += chunk;
        let nl: number;
        while ((nl = buffer.indexOf('\n')) >= 0) {
          const line = buffer.slice(0, nl);
          buffer = buffer.slice(nl + 1);
          const name = (JSON.parse(line) as { object?: { metadata?: { name?: string } } }).object?.metadata?.name;
          const w = name === undefined ? undefined : waiting.get(name);
          if (w) {
            waiting.delete(name as string);
            w();
          }
        }
      });
      res.on('error', () => undefined);
      resolve({
        waitFor: (name) => new Promise<void>((done) => waiting.set(name, done)),
        close: () => req.destroy(),
      });
    });
    req.on('error', (err) => (req.destroyed ? undefined : reject(err)));
    req.end();
  });
}

/** Median time from a write to its event on a watch of that resource, with `others` watches open. */
async function fanOut(url: string, ns: string, others: string[], rounds: number): Promise<number> {
  const extra = await Promise.all(others.map((p) => openWatch(url, p)));
  const mine = await openWatch(url, `/apis/coordination.k8s.io/v1/namespaces/${ns}/leases`);
  const times: number[] = [];
  // The first rounds warm up (connections, code paths) and are not counted.
  for (let i = -5; i < rounds; i++) {
    const name = `lease-${others.length}-${Date.now()}-${i}`;
    const seen = mine.waitFor(name);
    const t0 = performance.now();
    await Promise.all([post(url, `/apis/coordination.k8s.io/v1/namespaces/${ns}/leases`, { metadata: { name }, spec: { holderIdentity: 'bench' } }), seen]);
    if (i >= 0) times.push(performance.now() - t0);
  }
  mine.close();
  for (const w of extra) w.close();
  return median(times);
}

async function main(): Promise<void> {
  const nDeployments = arg('deployments', 4000);
  const perNamespace = arg('per-namespace', 10);
  const clients = arg('clients', 8);
  const idleSeconds = arg('idle-seconds', 30);
  const nWatches = arg('watches', 200);
  const dir = await mkdtemp(join(tmpdir(), 'sluice-emulator-bench-'));
  const kubeconfig = join(dir, 'kubeconfig');
  // --no-kubelet: the API alone (store, lists, watches), nothing advances status.
  const kubelet = !process.argv.includes('--no-kubelet');
  const { child, url } = await startEmulatorProcess(kubeconfig, kubelet);
  console.log(`emulator: kubelet simulation ${kubelet ? 'on' : 'off'}`);
  const pid = child.pid as number;
  const ticks = Number((await exec('getconf', ['CLK_TCK'])).stdout.trim()) || 100;
  try {
    // 1. write everything
    const nNamespaces = Math.ceil(nDeployments / perNamespace);
    const namespaces = Array.from({ length: nNamespaces }, (_, i) => `bench-${String(i).padStart(4, '0')}`);
    await writeAll(url, namespaces.map((name) => ['/api/v1/namespaces', { metadata: { name } }]), clients);
    const writes: [string, unknown][] = [];
    for (let i = 0; i < nDeployments; i++) writes.push(...appObjects(namespaces[Math.floor(i / perNamespace)], `app-${String(i).padStart(4, '0')}`));
    const t0 = performance.now();
    await writeAll(url, writes, clients);
    const lastWrite = performance.now();
    console.log(`writes: ${writes.length + namespaces.length} objects (${nDeployments} Deployments in ${nNamespaces} namespaces) by ${clients} clients in ${seconds(lastWrite - t0 )} (${Math.round(writes.length / ((lastWrite - t0) / 1000))} writes/s)`);

    // 2. all Deployments Available
    let ready = 0;
    const deadline = lastWrite + (kubelet ? 600_000 : 0);
    while (kubelet && performance.now() < deadline) {
      const { body } = await getJson<DeploymentList>(`${url}/apis/apps/v1/deployments`);
      ready = body.items.filter(available).length;
      if (ready === nDeployments) break;
      await sleep(500);
    }
    const converged = performance.now() - lastWrite;
    if (kubelet) console.log(ready === nDeployments ? `all ${nDeployments} Deployments Available: ${seconds(converged)} after the last write` : `Deployments Available: only ${ready} of ${nDeployments} after ${seconds(converged)}`);
    let total = 0;
    const counts: string[] = [];
    for (const path of COUNTED) {
      const n = await countOf(url, path);
      total += n;
      if (n) counts.push(`${path.split('/').pop()} ${n}`);
    }
    console.log(`objects stored: ${total} (${counts.join(', ')})`);

    // 3. kubectl get deploy -A and JSON lists
    const env = { ...process.env, HOME: dir, KUBECONFIG: kubeconfig };
    const kubectlRun = async () => {
      const t = performance.now();
      const { stdout } = await exec(kubectlPath(), ['get', 'deploy', '-A'], { env, maxBuffer: 64 * 2 ** 20 });
      return { ms: performance.now() - t, rows: stdout.trim().split('\n').length - 1 };
    };
    const cold = await kubectlRun();
    const warm = [await kubectlRun(), await kubectlRun(), await kubectlRun()];
    console.log(`kubectl get deploy -A: ${cold.rows} rows, ${seconds(cold.ms)} first run (discovery included), ${seconds(median(warm.map((w) => w.ms)))} warm (median of 3)`);
    const one: { first: number; last: number; bytes: number }[] = [];
    for (let i = 0; i < 4; i++) one.push(await timedGet(`${url}/apis/apps/v1/deployments`));
    const warmOne = one.slice(1);
    console.log(`JSON list of all Deployments, one request: ${millis(median(warmOne.map((r) => r.last)))} to the last byte, ${millis(median(warmOne.map((r) => r.first)))} to the first (median of 3 after a first read of ${millis(one[0].last)}; ${(one[0].bytes / 2 ** 20).toFixed(1)} MiB)`);
    const paged: number[] = [];
    let pages = 0;
    for (let i = 0; i < 3; i++) {
      const t = performance.now();
      let token: string | undefined = '';
      pages = 0;
      while (token !== undefined) {
        const page = await timedGet(`${url}/apis/apps/v1/deployments?limit=500${token ? `&continue=${encodeURIComponent(token)}` : ''}`);
        token = (JSON.parse(page.text) as DeploymentList).metadata.continue;
        pages++;
      }
      paged.push(performance.now() - t);
    }
    console.log(`JSON list of all Deployments, ${pages} pages of 500: ${millis(median(paged))} in all, client parse included (median of 3)`);

    // 4. idle CPU: two windows in a row. The first still holds V8 collecting the garbage of the
    // load just before (its memory reducer runs a few collections once allocation stops); the
    // second is what an idle cluster costs.
    await sleep(2000);
    for (const label of ['right after the load', 'steady']) {
      const c0 = cpuSeconds(pid, ticks);
      const w0 = performance.now();
      await sleep(idleSeconds * 1000);
      const idle = (cpuSeconds(pid, ticks) - c0) / ((performance.now() - w0) / 1000);
      console.log(`idle CPU of the emulator, ${label}: ${(idle * 100).toFixed(1)} % of a core over ${idleSeconds} s`);
    }

    // 5. watch fan-out
    const ns = namespaces[0];
    const rounds = 30;
    const alone = await fanOut(url, ns, [], rounds);
    const otherResource = await fanOut(url, ns, namespaces.slice(0, nWatches).map((n) => `/api/v1/namespaces/${n}/configmaps`), rounds);
    const otherNamespaces = await fanOut(url, ns, namespaces.slice(1, nWatches + 1).map((n) => `/apis/coordination.k8s.io/v1/namespaces/${n}/leases`), rounds);
    console.log(`watch event delivery, its watch alone: ${millis(alone)} (median of ${rounds})`);
    console.log(`watch event delivery, ${nWatches} other watches on configmaps: ${millis(otherResource)} (median of ${rounds})`);
    console.log(`watch event delivery, ${nWatches} other watches on leases in other namespaces: ${millis(otherNamespaces)} (median of ${rounds})`);

    console.log(`peak RSS of the emulator: ${(statusKiB(pid, 'VmHWM') / 1024).toFixed(0)} MiB (now ${(statusKiB(pid, 'VmRSS') / 1024).toFixed(0)} MiB)`);
  } finally {
    agent.destroy();
    child.kill('SIGTERM');
    await rm(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
