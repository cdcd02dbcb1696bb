/**
 * App page benchmark (not a test): one app × env rendering `--configmaps` ConfigMaps (default
 * 1,100) and `--deployments` Deployments (default 100) of `--replicas` pods each (default 2) — with
 * their ReplicaSets and Pods, 1,500 objects in the tree — reconciled by a real sluice against the
 * emulator and a real git smart-HTTP server. Prints:
 *  1. the size of `GET /api/v1/apps/big/dev/tree` (bytes, and gzipped) and the time to answer it;
 *  2. in headless Chromium, per run (`--runs`, default 5, a fresh page each): first contentful
 *     paint, the first tree rows (the page's `sluice:app-tree-rendered` mark: the objects the
 *     status lists), time to interactive (the later of that mark and the end of the last long
 *     task), the whole tree (`sluice:app-tree-complete`), all from navigation start, and how much
 *     of the latter was the tree's answer (resource timing) vs. the page's own work; the DOM rows the tree holds; the time for End (jump to the last of 1,500 rows) to be
 *     painted, and for a filter to narrow the tree.
 *   node dist/bench/ui-app.js [--configmaps 1100] [--deployments 100] [--replicas 2] [--runs 5]
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { startEmulator } from '../src/emulator/index.js';
import { defaultControllerOptions } from '../src/engine/controller.js';
import { silentLogger } from '../src/log/logger.js';
import { startSluice } from '../src/runtime/sluice.js';
import { ADMIN_TOKEN, testTokens } from '../test/support/api-tokens.js';
import { startGitServer } from '../test/support/git-server.js';
import { launchBrowser } from '../test/support/browser.js';
import { logIn } from '../test/support/ui-session.js';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (xs: number[]) => `median ${median(xs).toFixed(0)} ms (min ${Math.min(...xs).toFixed(0)}, max ${Math.max(...xs).toFixed(0)})`;

/** A chart of many small objects: ConfigMaps and Deployments, counts from values. */
export function bigChart(configMaps: number, deployments: number, replicas: number): Record<string, string> {
  return {
    'sluice.yaml': 'apiVersion: sluice.dev/v1alpha1\nkind: Config\nenvironments:\n  - {name: dev, namespace: big-dev, createNamespace: true, syncPolicy: {auto: true, prune: true}}\napps:\n  - {name: big, chart: charts/big}\n',
    'charts/big/Chart.yaml': 'apiVersion: v2\nname: big\nversion: 0.1.0\n',
    'charts/big/values.yaml': `configMaps: ${configMaps}\ndeployments: ${deployments}\nreplicas: ${replicas}\nimage: registry.example/big:1.0.0\n`,
    'charts/big/templates/configmaps.yaml': '{{- range $i := until (int .Values.configMaps) }}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings-{{ $i }}\ndata:\n  index: "{{ $i }}"\n{{- end }}\n',
    'charts/big/templates/deployments.yaml':
      '{{- range $i := until (int .Values.deployments) }}\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: worker-{{ $i }}\nspec:\n  replicas: {{ $.Values.replicas }}\n  selector:\n    matchLabels: {app: worker-{{ $i }}}\n  template:\n    metadata:\n      labels: {app: worker-{{ $i }}}\n    spec:\n      containers:\n        - name: worker\n          image: {{ $.Values.image }}\n{{- end }}\n',
    'environments/dev/big/values.yaml': '{}\n',
  };
}

// What runs in the page (strings: this file is compiled without the DOM's types).
const LONG_TASKS = `window.longTaskEnd = 0; new PerformanceObserver((list) => { for (const e of list.getEntries()) window.longTaskEnd = Math.max(window.longTaskEnd, e.startTime + e.duration); }).observe({ type: 'longtask', buffered: true });`;
const TREE_RENDERED = `performance.getEntriesByName('sluice:app-tree-complete').length > 0`;
const MEASURE = `({ fcp: performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? NaN, rendered: performance.getEntriesByName('sluice:app-tree-rendered')[0].startTime, complete: performance.getEntriesByName('sluice:app-tree-complete')[0]?.startTime ?? NaN, longTaskEnd: window.longTaskEnd, rows: document.querySelectorAll('.tree-row').length, treeFetched: performance.getEntriesByType('resource').find((e) => e.name.endsWith('/tree'))?.responseEnd ?? NaN })`;
const twoFrames = `new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))`;
const PRESS_END = `(async () => { const t = performance.now(); document.querySelector('.tree-viewport').dispatchEvent(new KeyboardEvent('keydown', { key: 'End', bubbles: true })); await ${twoFrames}; if (!document.querySelector('.tree-row[aria-posinset="' + document.querySelector('.tree-row').getAttribute('aria-setsize') + '"]')) throw new Error('the last row is not in the DOM'); return performance.now() - t; })()`;
const FILTER = `(async () => { const input = document.querySelector('.tree-filter'); const t = performance.now(); input.value = 'worker-42'; input.dispatchEvent(new Event('input', { bubbles: true })); await ${twoFrames}; return performance.now() - t; })()`;

async function main(): Promise<void> {
  const configMaps = arg('configmaps', 1100);
  const deployments = arg('deployments', 100);
  const replicas = arg('replicas', 2);
  const runs = arg('runs', 5);
  const dir = await mkdtemp(join(tmpdir(), 'sluice-bench-ui-app-'));
  const emulator = await startEmulator({ port: 0, simulateKubelet: true, kubeletTickMs: 100 });
  const kubeconfig = join(dir, 'kubeconfig');
  await emulator.writeKubeconfig(kubeconfig);
  const git = await startGitServer({ root: join(dir, 'git') });
  await git.createRepo('big.git', bigChart(configMaps, deployments, replicas));
  const sluice = await startSluice({ kubeconfig, port: 0, host: '127.0.0.1', cacheDir: join(dir, 'cache'), logLevel: 'warn', tokens: testTokens(), controller: { ...defaultControllerOptions(git.repoUrl('big.git')), pollIntervalMs: 1000, progressRequeueMs: 500, stateNamespace: 'big-sluice' } }, silentLogger);
  const browser = await launchBrowser();
  try {
    const t0 = Date.now();
    const expected = configMaps + deployments * (2 + replicas);
    let tree: { nodes: { kind: string; info?: Record<string, string> }[] } = { nodes: [] };
    let body = '';
    for (;;) {
      const st = sluice.status.get('big', 'dev');
      if (st?.syncStatus === 'Synced' && st.health === 'Healthy') {
        const res = await fetch(`${sluice.url}/api/v1/apps/big/dev/tree`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
        body = await res.text();
        if (!res.ok) throw new Error(`the tree answered ${res.status}: ${body.slice(0, 300)}`);
        tree = JSON.parse(body) as typeof tree;
        if (tree.nodes.length >= expected && tree.nodes.filter((n) => n.kind === 'Pod').every((n) => n.info?.phase === 'Running')) break;
      }
      if (Date.now() - t0 > 600_000) throw new Error(`not Synced and Healthy with ${expected} objects after 10 minutes (${tree.nodes.length} in the tree)`);
      await new Promise((r) => setTimeout(r, 1000));
    }
    console.log(`app big/dev: ${tree.nodes.length} objects in the tree (${configMaps} ConfigMaps, ${deployments} Deployments × (1 ReplicaSet + ${replicas} Pods)); Synced and Healthy after ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    const answer: number[] = [];
    for (let i = 0; i < 5; i++) {
      const t = performance.now();
      await (await fetch(`${sluice.url}/api/v1/apps/big/dev/tree`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } })).text();
      answer.push(performance.now() - t);
    }
    console.log(`tree payload: ${(Buffer.byteLength(body) / 1024).toFixed(0)} KiB JSON, ${(gzipSync(body).length / 1024).toFixed(0)} KiB gzipped; answered in ${fmt(answer)}`);

    const fcp: number[] = [];
    const rendered: number[] = [];
    const tti: number[] = [];
    const end: number[] = [];
    const filter: number[] = [];
    const fetched: number[] = [];
    const complete: number[] = [];
    const client: number[] = [];
    let domRows = 0;
    for (let run = 0; run < runs; run++) {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      await logIn(page, sluice.url, ADMIN_TOKEN);
      await page.addInitScript(LONG_TASKS);
      await page.goto(`${sluice.url}/#/apps/big/dev`);
      // Polled with evaluate: waitForFunction compiles its string with eval, which the UI's CSP refuses.
      const deadline = Date.now() + 300_000;
      while (!(await page.evaluate(TREE_RENDERED))) {
        if (Date.now() > deadline) throw new Error('the tree did not render within 5 minutes');
        await new Promise((r) => setTimeout(r, 50));
      }
      // Two quiet seconds, so a late long task is seen.
      await page.waitForTimeout(2000);
      const m = (await page.evaluate(MEASURE)) as { fcp: number; rendered: number; complete: number; longTaskEnd: number; rows: number; treeFetched: number };
      fetched.push(m.treeFetched);
      client.push(m.complete - m.treeFetched);
      fcp.push(m.fcp);
      rendered.push(m.rendered);
      complete.push(m.complete);
      // Interactive: the first rows are in and no long task runs after them (the full tree's arrival is not waited for).
      tti.push(Math.max(m.rendered, m.longTaskEnd));
      domRows = m.rows;
      await page.focus('.tree-viewport');
      end.push((await page.evaluate(PRESS_END)) as number);
      filter.push((await page.evaluate(FILTER)) as number);
      await page.context().close();
    }
    console.log(`Chromium, ${runs} loads of the app page: first contentful paint ${fmt(fcp)}; first tree rows (the status's ${configMaps + deployments} objects) ${fmt(rendered)}; time to interactive ${fmt(tti)}; the whole tree (${'with ReplicaSets and Pods'}) ${fmt(complete)}`);
    console.log(`of which: the tree's answer arrived at ${fmt(fetched)}; from its arrival to its rows in the DOM (parse, forest, window) ${fmt(client)}`);
    console.log(`tree rows in the DOM: ${domRows} of ${tree.nodes.length}; End (to the last row) painted in ${fmt(end)}; a filter applied and painted in ${fmt(filter)}`);
  } finally {
    await browser.close();
    await sluice.close();
    await git.close();
    await emulator.close();
    await rm(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
