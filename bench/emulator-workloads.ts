/**
 * Emulator workload benchmark (not a test): prints, for N Deployments (default 4,000) of one
 * replica each, created over HTTP with 16 requests in flight against an emulator in this process
 * with its controllers on (step 100 ms, as the e2e and soak setups use):
 *  1. the time from the first create until every Deployment is Available (polled every 500 ms with
 *     a list), and the objects stored then (Deployments, ReplicaSets, Pods, Events);
 *  2. the process's CPU time over 10 s of idleness afterwards (process.cpuUsage), as a share of a core;
 *  3. the RSS.
 *   node dist/bench/emulator-workloads.js [--deployments 4000]
 */
import { startEmulator } from '../src/emulator/index.js';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function main(): Promise<void> {
  const n = arg('deployments', 4000);
  const emu = await startEmulator({ simulateKubelet: true, kubeletTickMs: 100 });
  const post = (path: string, body: unknown) => fetch(`${emu.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  await post('/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'bench' } });
  const t0 = Date.now();
  let next = 0;
  await Promise.all(Array.from({ length: 16 }, async () => {
    while (next < n) {
      const i = next++;
      const name = `app-${i}`;
      const r = await post('/apis/apps/v1/namespaces/bench/deployments', { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name }, spec: { replicas: 1, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'app', image: 'registry.example.com/bench/app:1.0.0' }] } } } });
      if (r.status !== 201) throw new Error(`create ${name}: ${r.status} ${await r.text()}`);
    }
  }));
  const created = Date.now() - t0;
  let available = 0;
  while (available < n) {
    await sleep(500);
    const list = (await (await fetch(`${emu.url}/apis/apps/v1/namespaces/bench/deployments`)).json()) as { items: { status?: { conditions?: { type: string; status: string }[] } }[] };
    available = list.items.filter((d) => d.status?.conditions?.some((c) => c.type === 'Available' && c.status === 'True')).length;
    if (Date.now() - t0 > 600_000) throw new Error(`only ${available}/${n} Available after 600 s`);
  }
  const converged = Date.now() - t0;
  const count = async (path: string) => ((await (await fetch(`${emu.url}${path}`)).json()) as { items: unknown[] }).items.length;
  const [rs, pods, events] = [await count('/apis/apps/v1/namespaces/bench/replicasets'), await count('/api/v1/namespaces/bench/pods'), await count('/api/v1/events')];
  const tList = Date.now();
  await count('/apis/apps/v1/deployments');
  const listMs = Date.now() - tList;
  await sleep(1000);
  const cpu0 = process.cpuUsage();
  const w0 = Date.now();
  await sleep(10_000);
  const cpu = process.cpuUsage(cpu0);
  const idle = (cpu.user + cpu.system) / 1000 / (Date.now() - w0);
  console.log(`deployments            ${n}`);
  console.log(`created over HTTP in   ${(created / 1000).toFixed(1)} s`);
  console.log(`all Available after    ${(converged / 1000).toFixed(1)} s (from the first create)`);
  console.log(`objects                ${rs} ReplicaSets, ${pods} Pods, ${events} Events`);
  console.log(`list of all Deployments ${listMs} ms`);
  console.log(`idle CPU over 10 s     ${(idle * 100).toFixed(2)} % of a core`);
  console.log(`RSS                    ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MiB`);
  await emu.close();
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
