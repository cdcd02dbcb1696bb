import assert from 'node:assert/strict';
import type { Clock } from '../../src/git/poller.js';
import { changedTargets, Revisions, type RevisionsDeps } from '../../src/engine/revisions.js';
import type { ConfigRevision } from '../../src/engine/types.js';
import { silentLogger } from '../../src/log/logger.js';
import { Metrics } from '../../src/metrics/registry.js';
import { CHART, ScriptedRepo, sluiceYaml } from '../support/config-repo.js';

const A = 'a'.repeat(40);
const B = 'b'.repeat(40);
const C = 'c'.repeat(40);
const D = 'd'.repeat(40);
const CONFIG_URL = 'https://git.example.com/org/config.git';
const CHARTS_URL = 'https://git.example.com/org/charts.git';

const GOOD = { 'sluice.yaml': sluiceYaml(), ...CHART };
const TWO_ENVS = { 'sluice.yaml': sluiceYaml({ envs: ['dev', 'prod'] }), ...CHART };
const INVALID = { 'sluice.yaml': 'apiVersion: sluice.dev/v1alpha1\nkind: Config\nenvironments: 3\napps: []\n' };
const NO_CONFIG = { 'README.md': 'not a config repo\n' };
const EXTERNAL_CHART = {
  'sluice.yaml': 'apiVersion: sluice.dev/v1alpha1\nkind: Config\nenvironments: [{name: dev}]\napps: [{name: web, namespace: shop, source: {repo: https://git.example.com/org/charts, path: web, ref: main}}]\n',
};
const TREES = new Map<string, Record<string, string>>([
  [A, GOOD],
  [B, INVALID],
  [C, TWO_ENVS],
  [D, NO_CONFIG],
]);

/** Timers are never fired: each poll in these tests is one the test asked for. */
const stillClock: Clock = { now: () => 0, setTimeout: () => 0, clearTimeout: () => {} };

/** Lets every promise already settled run its callbacks (all I/O here is in memory). */
const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

class Recorder {
  readonly queued: string[] = [];
  /** The keys queued at high priority, in order. */
  readonly urgent: string[] = [];
  loaded = 0;
  problems = 0;
  readonly revisions: ConfigRevision[] = [];
  /** Resync deferrals taken and released, and queued keys, in order. */
  readonly steps: string[] = [];
  deps(sourceFor: (url: string) => ScriptedRepo): RevisionsDeps {
    return {
      sourceFor, metrics: new Metrics({ defaultMetrics: false }), log: silentLogger, clock: stillClock,
      queue: (key, priority) => {
        this.queued.push(key);
        this.steps.push(`queue ${key}`);
        if (priority === 'high') this.urgent.push(key);
      }, loaded: () => this.loaded++, problem: () => this.problems++, event: () => {},
      deferResync: () => {
        this.steps.push('defer');
        return () => this.steps.push('release');
      },
    };
  }
}

const options = { repo: CONFIG_URL, branch: 'main', pollIntervalMs: 30_000, maxBackoffMs: 300_000 };

/** Revisions over a config repo whose head is each of `heads` in turn: start() for the first, refresh() for the others. */
async function run(heads: readonly (string | Error)[], trees: ReadonlyMap<string, Record<string, string>> = TREES) {
  const repo = new ScriptedRepo(CONFIG_URL, heads[0], trees);
  const rec = new Recorder();
  const revisions = new Revisions(options, rec.deps(() => repo));
  for (const [i, head] of heads.entries()) {
    repo.head = head;
    await (i === 0 ? revisions.start() : revisions.refresh());
    await settle();
  }
  await revisions.stop();
  return { revisions, rec, repo };
}

describe('engine/revisions', () => {
  it('places a commit against the current one from the history here: newer, not newer, or cannot tell', async () => {
    const repo = new ScriptedRepo(CONFIG_URL, C, TREES);
    // A ← C ← B: C is current, B came after it, A before; D was never fetched.
    repo.parents.set(C, A);
    repo.parents.set(B, C);
    const revisions = new Revisions(options, new Recorder().deps(() => repo));
    assert.equal(await revisions.newerThanCurrent(B), undefined, 'no snapshot yet');
    await revisions.start();
    await revisions.stop();
    assert.equal(revisions.current?.sha, C);
    assert.equal(await revisions.newerThanCurrent(B), true);
    assert.equal(await revisions.newerThanCurrent(C), false);
    assert.equal(await revisions.newerThanCurrent(A), false);
    assert.equal(await revisions.newerThanCurrent(D), undefined);
  });

  const cases: {
    name: string;
    heads: (string | Error)[];
    sha?: string;
    configError?: RegExp;
    gitError?: RegExp;
    /** App × envs queued (each once here). */
    queued: string[];
    /** New snapshots taken. */
    loaded: number;
    /** The statuses were told of a repo-level problem. */
    problem: boolean;
  }[] = [
    { name: 'a valid config is taken and each of its app × envs queued', heads: [C], sha: C, queued: ['web/dev', 'web/prod'], loaded: 1, problem: false },
    { name: 'a repo without sluice.yaml is rejected, with nothing to keep', heads: [D], configError: /^config at ddddddd rejected, keeping nothing: sluice\.yaml: not found at the repo root$/, queued: [], loaded: 0, problem: true },
    { name: 'an invalid config keeps the last good revision, whose app × envs are still queued', heads: [A, B], sha: A, configError: /^config at bbbbbbb rejected, keeping aaaaaaa: sluice\.yaml:3/, queued: ['web/dev'], loaded: 1, problem: true },
    { name: 'a good revision after a rejected one clears the error', heads: [A, B, C], sha: C, queued: ['web/dev', 'web/prod'], loaded: 2, problem: true },
    { name: 'git unreachable before any revision', heads: [new Error('connection refused')], gitError: /^git unreachable since \d{4}-.*Z: connection refused; no revision fetched yet$/, queued: [], loaded: 0, problem: true },
    { name: 'an outage keeps the last good revision', heads: [A, new Error('timed out')], sha: A, gitError: /: timed out; keeping the last good revision aaaaaaa$/, queued: ['web/dev'], loaded: 1, problem: true },
    { name: 'the next good poll ends the outage; the same head is not read again', heads: [A, new Error('timed out'), A], sha: A, queued: ['web/dev'], loaded: 1, problem: true },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const { revisions, rec } = await run(c.heads);
      const up = revisions.upstream('web/dev');
      assert.equal(revisions.current?.sha, c.sha);
      assert.equal(up.held, undefined);
      if (c.configError) assert.match(up.configError ?? '', c.configError);
      else assert.equal(up.configError, undefined);
      if (c.gitError) assert.match(up.gitError ?? '', c.gitError);
      else assert.equal(up.gitError, undefined);
      assert.deepEqual({ queued: [...new Set(rec.queued)], loaded: rec.loaded, problem: rec.problems > 0 }, { queued: c.queued, loaded: c.loaded, problem: c.problem });
    });
  }

  it('defers the resync while a config fetch and the reading of its head are under way, also when the fetch fails', async () => {
    const { rec, repo } = await run([A, new Error('timed out'), C]);
    // start() polls once; C changes web/prod, which goes first.
    const steps = ['defer', 'queue web/dev', 'release', 'defer', 'release', 'defer', 'queue web/prod', 'queue web/dev', 'release'];
    assert.deepEqual(rec.steps, steps);
    assert.equal(repo.fetches.length, 3, 'one fetch per poll, start() included');
  });

  it('hands each accepted revision to listeners, the current one at once; a failing listener does not stop the others', async () => {
    const repo = new ScriptedRepo(CONFIG_URL, A, TREES);
    const rec = new Recorder();
    const revisions = new Revisions(options, rec.deps(() => repo));
    const seen: string[] = [];
    revisions.onConfig(() => {
      throw new Error('listener bug');
    });
    revisions.onConfig((r) => seen.push(`first ${r.sha[0]}`));
    await revisions.start();
    await settle();
    const stop = revisions.onConfig((r) => seen.push(`late ${r.sha[0]}`));
    for (const head of [B, C]) {
      repo.head = head;
      await revisions.refresh();
      await settle();
    }
    stop();
    assert.deepEqual(seen, ['first a', 'late a', 'first c', 'late c']);
    await revisions.stop();
  });

  it('gives the snapshot an app × env uses, and the chart files of its revision', async () => {
    const { revisions } = await run([A]);
    assert.equal(revisions.snapshotFor('web/prod'), undefined);
    const snap = revisions.snapshotFor('web/dev');
    assert.equal(snap?.sha, A);
    assert.ok(snap);
    const target = snap.targets.get('web/dev');
    assert.ok(target);
    assert.deepEqual([...(await revisions.chartFiles(snap, target)).keys()].sort(), ['Chart.yaml', 'templates/cm.yaml', 'values.yaml']);
  });

  describe('refreshRepo', () => {
    const cases: { url: string; branch: string; answer: boolean; polled: string[] }[] = [
      { url: CONFIG_URL, branch: 'main', answer: true, polled: ['config main'] },
      { url: 'https://git.example.com/org/config', branch: 'main', answer: true, polled: ['config main'] },
      { url: CONFIG_URL, branch: 'feature', answer: false, polled: [] },
      { url: CHARTS_URL, branch: 'anything', answer: true, polled: ['charts main'] },
      { url: 'https://git.example.com/org/other.git', branch: 'main', answer: false, polled: [] },
    ];
    for (const c of cases) {
      it(`${c.url} ${c.branch}: ${c.answer ? 'polls' : 'not read here'}`, async () => {
        const config = new ScriptedRepo(CONFIG_URL, A, new Map([[A, EXTERNAL_CHART]]));
        const charts = new ScriptedRepo('https://git.example.com/org/charts', C, new Map([[C, { 'web/Chart.yaml': 'apiVersion: v2\nname: web\nversion: 0.1.0\n' }]]));
        const rec = new Recorder();
        const revisions = new Revisions(options, rec.deps((url) => (url === CONFIG_URL ? config : charts)));
        await revisions.start();
        await settle();
        const before = { config: config.fetches.length, charts: charts.fetches.length };
        assert.equal(revisions.refreshRepo(c.url, c.branch), c.answer);
        await settle();
        const polled = [
          ...config.fetches.slice(before.config).map((ref) => `config ${ref}`),
          ...charts.fetches.slice(before.charts).map((ref) => `charts ${ref}`),
        ];
        assert.deepEqual(polled, c.polled);
        await revisions.stop();
      });
    }
  });
  describe('changed app × envs first', () => {
    const two = 'apiVersion: sluice.dev/v1alpha1\nkind: Config\nenvironments: [{name: dev}, {name: prod}]\napps: [{name: web, chart: charts/web, namespace: shop}, {name: api, chart: charts/api, namespace: shop}]\n';
    const api = Object.fromEntries(Object.entries(CHART).map(([p, c]) => [p.replace('charts/web/', 'charts/api/'), c]));
    const base = { 'sluice.yaml': two, ...CHART, ...api };
    const [E, F, G, H, I] = ['e', 'f', '1', '2', '3'].map((c) => c.repeat(40));
    const trees = new Map<string, Record<string, string>>([
      [E, base],
      [F, { ...base, 'environments/prod/api/values.yaml': 'greeting: hi\n' }],
      [G, { ...base, 'charts/web/values.yaml': 'greeting: hey\n' }],
      [H, { ...base, 'environments/dev/values.yaml': 'greeting: env\n', 'README.md': 'unrelated\n' }],
      [I, { ...base, 'sluice.yaml': two.replace('{name: api, chart: charts/api, namespace: shop}', '{name: api, chart: charts/api, namespace: shop2}') }],
    ]);
    const snapshotAt = async (sha: string) => (await run([sha], trees)).revisions.current!;
    const cases: { name: string; head: string; changed: string[] }[] = [
      { name: 'an app × env values file', head: F, changed: ['api/prod'] },
      { name: 'a chart kept in the config repo: every app × env that renders it', head: G, changed: ['web/dev', 'web/prod'] },
      { name: "an env's values file: every app in that env; other files: nothing", head: H, changed: ['api/dev', 'web/dev'] },
      { name: 'an app × env declared differently in sluice.yaml', head: I, changed: ['api/dev', 'api/prod'] },
      { name: 'nothing', head: E, changed: [] },
    ];
    for (const c of cases) {
      it(`changedTargets: ${c.name}`, async () => {
        assert.deepEqual([...changedTargets(await snapshotAt(E), await snapshotAt(c.head))].sort(), c.changed);
      });
    }

    it('a new head queues the app × envs it changes ahead of the others (high priority), every one once', async () => {
      const { rec } = await run([E, F], trees);
      // The first head is new in every app × env; the second changes api/prod only.
      assert.deepEqual(rec.urgent.slice(0, 4).sort(), ['api/dev', 'api/prod', 'web/dev', 'web/prod']);
      assert.deepEqual(rec.urgent.slice(4), ['api/prod']);
      assert.deepEqual(rec.queued.slice(-4).sort(), ['api/dev', 'api/prod', 'web/dev', 'web/prod']);
      assert.equal(rec.queued.at(-4), 'api/prod', 'queued before the unchanged ones, so a free worker starts it first');
    });

    it('a head that leaves sluice.yaml as it was keeps its parsed config and targets', async () => {
      const repo = new ScriptedRepo(CONFIG_URL, E, trees);
      const revisions = new Revisions(options, new Recorder().deps(() => repo));
      await revisions.start();
      const first = revisions.current!;
      const heads: [string, boolean][] = [[F, true], [G, true], [I, false]];
      for (const [head, same] of heads) {
        repo.head = head;
        await revisions.refresh();
        await settle();
        assert.equal(revisions.current!.sha, head);
        assert.equal(revisions.current!.config === first.config && revisions.current!.targets === first.targets, same, head);
      }
      await revisions.stop();
    });
  });
});
