/**
 * Web UI benchmark (not a test): the environment matrix in headless Chromium with 4,000 app × envs.
 *
 * The server is sluice's own HTTP app (createApp: the same routes, sessions, matrix query and UI
 * files as a controller) over a StatusStore filled with SYNTHETIC statuses — 1,000 apps × 4 envs,
 * a mix of sync statuses, healths, image tags and a few rolled-back cells — not a reconciled
 * cluster: the figures are those of the API, the event stream and the browser, not of reconciling.
 * For each of --runs page loads (fresh browser context, logged in through the session API) it
 * takes, from the navigation's start:
 *  - first paint and first contentful paint (the browser's paint timings);
 *  - first rows: the matrix's first page in the DOM (performance mark `sluice:matrix-first-rows`);
 *  - interactive: the later of first rows and the end of the last long task (> 50 ms) seen until
 *    every page is loaded — from then on input is answered within 50 ms;
 *  - all rows loaded (`sluice:matrix-loaded`);
 * then the time to draw the rows after a jump to the middle of the list, and how long a live
 * change takes from StatusStore.set to the cell on screen. It prints the median of each, the
 * payload of the first page (`GET /api/v1/apps?limit=50`) against the plain list, and the DOM
 * size (rows in the DOM while 1,000 exist).
 *
 *   node dist/bench/ui.js [--apps 1000] [--runs 5]
 *   node dist/bench/ui.js --demo-screenshot docs/images/matrix.png   # the demo's matrix, light mode
 */
import { mkdtemp, rm } from 'node:fs/promises';
import * as fs from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { StatusStore, type AppEnvStatus } from '../src/engine/status.js';
import { Metrics } from '../src/metrics/registry.js';
import { createApp, statusAppList } from '../src/server/app.js';
import { queryMatrix } from '../src/server/app-query.js';
import { TokenSet } from '../src/server/auth.js';
import { commitLink } from '../src/forge/commit-link.js';
import { launchBrowser, type BrowserSession } from '../test/support/browser.js';

const TOKEN = 'bench-admin-token-0123456789';
const ENVS = ['dev', 'test', 'stage', 'prod'];

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const sha = (n: number): string => (n.toString(16).padStart(8, '0').repeat(5)).slice(0, 40);

/** Deterministic synthetic statuses: app i in every env, a few per cent drifting, degraded or rolled back. */
function synthetic(apps: number): AppEnvStatus[] {
  const out: AppEnvStatus[] = [];
  for (let i = 0; i < apps; i++) {
    const app = `svc-${String(i).padStart(4, '0')}`;
    ENVS.forEach((env, e) => {
      const minor = (i + e) % 7 === 0 ? e : 0;
      const rolled = i % 97 === 5 && env === 'stage';
      out.push({
        app,
        env,
        namespace: `${app}-${env}`,
        revision: sha(i * 4 + e + 1),
        syncStatus: rolled ? 'RolledBack' : i % 23 === e ? 'OutOfSync' : 'Synced',
        health: i % 41 === e ? 'Degraded' : i % 17 === e ? 'Progressing' : 'Healthy',
        lastSyncedAt: new Date(Date.now() - ((i * 37 + e * 11) % 7200) * 1000).toISOString(),
        message: 'in sync',
        resources: [],
        images: [`registry.example.com/team-${i % 12}/${app}:1.${minor}.${(i + e) % 5}`],
        lastSync: { revision: sha(i * 4 + e + 1), at: new Date().toISOString(), changes: [] },
        ...(rolled ? { rolledBack: { release: 4, revision: sha(9), to: 3, reason: 'Degraded', at: new Date().toISOString(), by: 'auto' as const } } : {}),
      });
    });
  }
  return out;
}

async function listen(server: Server): Promise<string> {
  await new Promise((r) => server.once('listening', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function loggedInPage(b: BrowserSession, base: string, colorScheme: 'light' | 'dark' = 'light'): Promise<Page> {
  const page = await b.newPage({ colorScheme, viewport: { width: 1440, height: 900 } });
  const res = await page.request.post(`${base}/api/v1/session`, { data: { token: TOKEN }, headers: { 'content-type': 'application/json' } });
  if (res.status() !== 201) throw new Error(`login failed: ${res.status()}`);
  return page;
}

interface LoadFigures { firstPaint: number; fcp: number; firstRows: number; interactive: number; loaded: number; domRows: number }

const LONG_TASKS = `window.__longTasks = []; new PerformanceObserver((l) => { for (const e of l.getEntries()) window.__longTasks.push([e.startTime, e.startTime + e.duration]); }).observe({ type: 'longtask', buffered: true });`;

async function measureLoad(page: Page, base: string): Promise<LoadFigures> {
  await page.addInitScript(LONG_TASKS);
  await page.goto(`${base}/`);
  await page.waitForSelector('sluice-matrix[data-state="ready"]', { timeout: 120_000 });
  const f = (await page.evaluate(`(() => {
    const paint = Object.fromEntries(performance.getEntriesByType('paint').map((e) => [e.name, e.startTime]));
    const mark = (n) => performance.getEntriesByName(n)[0]?.startTime ?? NaN;
    const loaded = mark('sluice:matrix-loaded');
    const lastLong = Math.max(0, ...window.__longTasks.filter(([s]) => s <= loaded).map(([, e]) => e));
    return { firstPaint: paint['first-paint'], fcp: paint['first-contentful-paint'], firstRows: mark('sluice:matrix-first-rows'), interactive: Math.max(mark('sluice:matrix-first-rows'), lastLong), loaded, domRows: document.querySelectorAll('.mscroll .mrow').length };
  })()`)) as LoadFigures;
  return f;
}

async function bench(): Promise<void> {
  const apps = Number(arg('apps', '1000'));
  const runs = Number(arg('runs', '5'));
  const store = new StatusStore();
  for (const s of synthetic(apps)) store.set(s);
  const appList = { ...statusAppList(store, () => ENVS), commitUrl: (s: string) => commitLink('https://github.com/acme/config.git', s) };
  const server = createApp({ tokens: new TokenSet().add('admin', TOKEN, 'bench'), status: store, metrics: new Metrics({ defaultMetrics: false }), ready: () => true, appList }).listen(0, '127.0.0.1');
  const base = await listen(server);
  const auth = { authorization: `Bearer ${TOKEN}` };
  const bytes = async (path: string) => (await (await fetch(base + path, { headers: auth })).arrayBuffer()).byteLength;
  const firstPage = await bytes('/api/v1/apps?limit=50&q=');
  const plain = await bytes('/api/v1/apps');
  const times: number[] = [];
  for (let i = 0; i < 20; i++) {
    const t0 = performance.now();
    await bytes('/api/v1/apps?limit=50&q=');
    times.push(performance.now() - t0);
  }
  const firstPageMs = median(times);
  const inProcess: number[] = [];
  for (let i = 0; i < 20; i++) {
    const t0 = performance.now();
    queryMatrix(store.list(), ENVS, { limit: 50 }, appList);
    inProcess.push(performance.now() - t0);
  }
  const { loadavg } = await import('node:os');
  console.log(`load average ${loadavg().map((l) => l.toFixed(1)).join(' ')} on ${(await import('node:os')).cpus().length} cores (figures are noisy on a shared machine)`);
  console.log(`synthetic StatusStore: ${apps} apps × ${ENVS.length} envs = ${apps * ENVS.length} app × envs (not a reconciled cluster)`);
  console.log(`API first page (GET /api/v1/apps?limit=50, as the UI asks): ${(firstPage / 1024).toFixed(1)} KiB, ${firstPageMs.toFixed(1)} ms per request (median of 20, from node on the same machine; the query itself ${median(inProcess).toFixed(1)} ms in process); the plain list of all ${apps * ENVS.length}: ${(plain / 1024).toFixed(1)} KiB`);

  const b = await launchBrowser();
  try {
    const figures: LoadFigures[] = [];
    for (let i = 0; i < runs; i++) {
      const page = await loggedInPage(b, base);
      figures.push(await measureLoad(page, base));
      await page.context().close();
    }
    const m = (k: keyof LoadFigures) => median(figures.map((f) => f[k])).toFixed(0);
    console.log(`matrix load, median of ${runs} (ms from navigation start): first paint ${m('firstPaint')}, first contentful paint ${m('fcp')}, first rows ${m('firstRows')}, interactive ${m('interactive')}, all ${apps} rows loaded ${m('loaded')}`);
    console.log(`rows in the DOM: ${m('domRows')} of ${apps}`);

    const page = await loggedInPage(b, base);
    await page.goto(`${base}/`);
    await page.waitForSelector('sluice-matrix[data-state="ready"]');
    const scrolls: number[] = [];
    for (let i = 0; i < 10; i++) {
      // Resolves when the row at the new position is in the DOM (scroll event, animation frame, draw).
      const ms = (await page.evaluate(`new Promise((resolve) => {
        const s = document.querySelector('.mscroll');
        const row = ${i % 2 === 0 ? `${137 * (i + 1)} % ${apps - 20}` : '0'};
        const t = performance.now();
        const done = () => { if (s.querySelector('[aria-rowindex="' + (row + 2) + '"]')) { o.disconnect(); resolve(performance.now() - t); } };
        const o = new MutationObserver(done);
        o.observe(s, { childList: true });
        s.scrollTop = row * 64;
        done();
      })`)) as number;
      scrolls.push(ms);
    }
    console.log(`jump anywhere in the list until its rows are drawn: median ${median(scrolls).toFixed(1)} ms, worst ${Math.max(...scrolls).toFixed(1)} ms`);

    const lat: number[] = [];
    for (let i = 0; i < 10; i++) {
      const before = store.get('svc-0001', 'prod');
      if (!before) break;
      const want = i % 2 === 0 ? 'OutOfSync' : 'Synced';
      const t = Date.now();
      store.set({ ...before, syncStatus: want });
      for (;;) {
        const shown = await page.evaluate(`document.querySelector('.mcell[data-app="svc-0001"][data-env="prod"]')?.dataset.sync`);
        if (shown === want) break;
        await new Promise((r) => setTimeout(r, 5));
      }
      lat.push(Date.now() - t);
    }
    console.log(`live change, StatusStore.set → cell on screen: median ${median(lat)} ms (the stream batches changes for 250 ms)`);
    if (b.errors.length > 0) console.log(`browser errors: ${b.errors.join('; ')}`);
  } finally {
    await b.close();
    await new Promise<void>((r) => server.close(() => r()));
  }
}

/** The demo (emulator + example repo + controller), a new guestbook image in dev, and a screenshot of its matrix. */
async function demoScreenshot(path: string): Promise<void> {
  const [{ startEmulator }, { defaultControllerOptions }, { startSluice }, { createDemoRepo }, { silentLogger }] = await Promise.all([
    import('../src/emulator/index.js'),
    import('../src/engine/controller.js'),
    import('../src/runtime/sluice.js'),
    import('../src/cli/commands/demo.js'),
    import('../src/log/logger.js'),
  ]);
  const dir = await mkdtemp(join(tmpdir(), 'sluice-ui-shot-'));
  const emulator = await startEmulator({ port: 0, simulateKubelet: true });
  const kubeconfig = join(dir, 'kubeconfig');
  await emulator.writeKubeconfig(kubeconfig);
  const repoDir = await createDemoRepo(dir);
  const sluice = await startSluice({ tokens: new TokenSet().add('admin', TOKEN, 'bench'), kubeconfig, port: 0, host: '127.0.0.1', cacheDir: join(dir, 'cache'), logLevel: 'warn', controller: { ...defaultControllerOptions(repoDir), pollIntervalMs: 500 } }, silentLogger);
  const settled = async (what: string, ok: (s: AppEnvStatus[]) => boolean) => {
    const deadline = Date.now() + 120_000;
    while (!ok(sluice.status.list())) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  };
  try {
    await settled('the demo Synced and Healthy', (l) => l.length === 8 && l.every((s) => s.syncStatus === 'Synced' && s.health === 'Healthy'));
    // A release in dev: its next env shows the promotable marker.
    const { default: git } = await import('isomorphic-git');
    fs.writeFileSync(join(repoDir, 'environments/dev/guestbook/image.yaml'), 'image:\n  tag: "1.1.0"\n');
    await git.add({ fs, dir: repoDir, filepath: 'environments/dev/guestbook/image.yaml' });
    await git.commit({ fs, dir: repoDir, message: 'dev: guestbook 1.1.0', author: { name: 'sluice demo', email: 'demo@sluice.dev' } });
    await settled('guestbook 1.1.0 running in dev', (l) => l.some((s) => s.app === 'guestbook' && s.env === 'dev' && (s.images ?? []).some((i) => i.endsWith(':1.1.0')) && s.syncStatus === 'Synced' && s.health === 'Healthy'));
    const b = await launchBrowser();
    try {
      const page = await loggedInPage(b, sluice.url);
      await page.setViewportSize({ width: 1280, height: 330 });
      await page.goto(`${sluice.url}/`);
      await page.waitForSelector('sluice-matrix[data-state="ready"] .marker.promotable');
      await b.screenshot(page, 'matrix', path);
      console.log(`saved ${path}`);
      if (b.errors.length > 0) throw new Error(`browser errors: ${b.errors.join('; ')}`);
    } finally {
      await b.close();
    }
  } finally {
    await sluice.close();
    await emulator.close();
    await rm(dir, { recursive: true, force: true });
  }
}

const shot = process.argv.indexOf('--demo-screenshot');
await (shot >= 0 ? demoScreenshot(process.argv[shot + 1] ?? 'docs/images/matrix.png') : bench());
