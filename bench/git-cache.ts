/**
 * Git cache benchmark (not a test): a config repo of N apps × 4 envs behind a real git smart-HTTP
 * server (git-host.ts, its own process) gets C commits, each changing one image tag and fetched
 * at once, as the controller does on each push, by two GitSources: one rolling its packs up (the
 * default, past 32) and one never. For each it prints the packs and bytes the cache ends with,
 * fetch time p50/p99/max, the CPU and time the roll-ups took (they run beside fetches and reads),
 * and a cold read of the whole tree at the head (a restarted controller's first read): what
 * hundreds of small packs cost.
 *   node dist/bench/git-cache.js [--apps 1000] [--commits 300]
 */
import { readdirSync, statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GitSource } from '../src/git/index.js';
import { cacheKey } from '../src/git/location.js';
import { MAX_PACKS, packsOf, type RollupResult } from '../src/git/packs.js';
import { cloneWorkdir } from '../test/support/git-workdir.js';
import { arg, median, percentile, startGitHostProcess, stopProcess } from './common.js';

const ENVS = ['dev', 'test', 'stage', 'prod'];

function dirMiB(dir: string): number {
  let bytes = 0;
  for (const f of readdirSync(dir, { withFileTypes: true, recursive: true })) if (f.isFile()) bytes += statSync(join(f.parentPath, f.name)).size;
  return bytes / 2 ** 20;
}

async function coldReadMs(url: string, cacheDir: string, sha: string): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t = performance.now();
    const files = await new GitSource(url, { cacheDir, credentials: null }).readFiles(sha);
    times.push(performance.now() - t);
    if (files.size === 0) throw new Error('read no files');
  }
  return median(times);
}

async function main(): Promise<void> {
  const apps = arg('apps', 1000);
  const commits = arg('commits', 300);
  const dir = await mkdtemp(join(tmpdir(), 'sluice-bench-git-'));
  const host = await startGitHostProcess(join(dir, 'srv'));
  try {
    const files: Record<string, string> = { 'sluice.yaml': 'apiVersion: sluice.dev/v1alpha1\nkind: Config\n' };
    for (const e of ENVS) for (let a = 0; a < apps; a++) files[`environments/${e}/app${a}/image.yaml`] = 'image:\n  tag: "1.0.0"\n';
    await host.createRepo('config.git', files);
    const url = host.repoUrl('config.git');
    const work = await cloneWorkdir(url, join(dir, 'work'));
    const caches = [
      { name: `rolled up past ${MAX_PACKS} packs`, dir: join(dir, 'rolled'), maxPacks: MAX_PACKS },
      { name: 'never rolled up', dir: join(dir, 'unrolled'), maxPacks: Number.POSITIVE_INFINITY },
    ].map((c) => {
      const rollups: RollupResult[] = [];
      const onRollup = (_repo: string, o: RollupResult | Error): void => {
        if (o instanceof Error) throw o;
        rollups.push(o);
      };
      return { ...c, times: [] as number[], rollups, rollupMs: 0, source: new GitSource(url, { cacheDir: c.dir, credentials: null, maxPacks: c.maxPacks, onRollup }) };
    });
    for (const c of caches) await c.source.fetch('main');
    const start = Date.now();
    let head = '';
    for (let i = 1; i <= commits; i++) {
      await work.write(`environments/${ENVS[i % 4]}/app${i % apps}/image.yaml`, `image:\n  tag: "1.0.${i}"\n`);
      head = await work.commitAndPush(`build: app${i % apps} 1.0.${i}`, new Date(start + i * 1000));
      for (const c of caches) {
        const t = performance.now();
        const { sha } = await c.source.fetch('main');
        c.times.push(performance.now() - t);
        if (sha !== head) throw new Error(`${c.name}: fetched ${sha}, pushed ${head}`);
        // Timed apart from the fetch (the controller does not wait for it); the next fetch of this
        // bench waits, so the two figures do not mix.
        const r = performance.now();
        await c.source.rolledUp();
        c.rollupMs += performance.now() - r;
      }
    }
    console.log(`git cache, ${apps.toLocaleString('en-US')} apps × 4 envs, ${commits} commits of one image tag, each fetched at once:`);
    for (const c of caches) {
      const gitdir = join(c.dir, cacheKey(url));
      const packs = (await packsOf(gitdir)).length;
      const f = (ms: number) => `${ms.toFixed(0)} ms`;
      const rolled = c.rollups.length ? `; ${c.rollups.length} roll-ups rewrote ${c.rollups.reduce((n, r) => n + r.objects, 0)} objects in ${(c.rollupMs / 1000).toFixed(1)} s` : '';
      console.log(`  ${c.name.padEnd(26)} ${String(packs).padStart(4)} packs, ${dirMiB(gitdir).toFixed(1)} MiB; fetch p50 ${f(median(c.times))}, p99 ${f(percentile(c.times, 99))}, max ${f(Math.max(...c.times))}${rolled}; cold read of the tree at the head ${f(await coldReadMs(url, c.dir, head))}`);
    }
  } finally {
    await stopProcess(host.child);
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
