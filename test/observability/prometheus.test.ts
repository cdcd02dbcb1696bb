/**
 * The queries are the contract: a real Prometheus scrapes a running sluice (emulator + real git
 * server) while the scenario deploys, breaks and rolls back a release, leaves one env Degraded,
 * heals a manual edit, fails a render, builds (one build succeeds and is deployed, one fails) and
 * takes a registry webhook. Then every panel query of every shipped dashboard must be valid PromQL
 * returning data, every alert expression must be valid, the alerts the scenario provokes must fire,
 * and promtool must accept the rule file.
 *
 * Prometheus loads a copy of the rules with every `for:` cut to 0s: the scenario lasts a minute, not
 * the ten an alert waits; the expressions are the ones shipped.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'yaml';
import { panelQueries } from '../../src/observability/dashboards.js';
import { ALERTS } from '../../src/observability/rules.js';
import { cloneWorkdir } from '../support/git-workdir.js';
import { WEBHOOK_SECRET } from '../support/api-tokens.js';
import { kubectlPath } from '../support/tools.js';
import { prometheusInstalled, promtoolCheckRules, startPrometheus, type Prometheus } from '../support/prometheus.js';
import { e2eEnvironment, eventually, startScenario, withBuild, type Scenario } from '../e2e/harness.js';

const exec = promisify(execFile);

/** Grafana's variables as a person looking at guestbook in every env would set them. */
function substitute(expr: string): string {
  return expr
    .replaceAll('app="$app"', 'app="guestbook"')
    .replaceAll('$app', '.*')
    .replaceAll('$env', '.*')
    .replaceAll('$__rate_interval', '15s')
    .replaceAll('$__range_s', '600')
    .replaceAll('$__range', '10m');
}

describe('observability against a real Prometheus', function () {
  this.timeout(240_000);
  const env = e2eEnvironment();
  let s: Scenario;
  let prom: Prometheus;
  const firing = new Map<string, Record<string, string>[]>();

  /** Scrapes of sluice that Prometheus holds from the last ten minutes. */
  async function scrapes(): Promise<number> {
    return Number((await prom.query('count_over_time(up{job="sluice"}[10m])')).data?.result[0]?.value[1] ?? 0);
  }

  /**
   * Waits until Prometheus has scraped sluice `n` more times. Prometheus keeps real time, so no fake
   * clock can stand in; waiting for the scrapes themselves instead of sleeping a fixed 3 s holds on
   * a loaded machine and costs no more than the scrapes on a fast one.
   */
  async function moreScrapes(n: number): Promise<void> {
    const from = await scrapes();
    await eventually(`${n} more scrapes of sluice`, async () => (await scrapes()) >= from + n, 30_000);
  }

  before(async function () {
    assert.ok(prometheusInstalled(), 'the Debian package prometheus (with promtool) is needed: .ci/run installs it');
    const rules = join(env.dir, 'rules-for-test.yaml');
    writeFileSync(rules, readFileSync('manifests/monitoring/rules.yaml', 'utf8').replace(/^(\s+for: ).*$/gm, '$10s'));
    prom = await startPrometheus(join(env.dir, 'prometheus'), [rules]);
    const src = `src-${Date.now()}`;
    await env.git.createRepo(`${src}-guestbook.git`, { Dockerfile: 'FROM scratch\n', app: 'v1\n' });
    await env.git.createRepo(`${src}-quotes.git`, { Dockerfile: 'FROM scratch\n', app: 'v1\n' });
    s = await startScenario(env.cluster, env.git, {
      files: (files, prefix) => {
        // test holds a Degraded release (no automatic rollback), so the Degraded alert has something to see.
        const yaml = files['sluice.yaml'].replace(/(name: test\n(?:.*\n){2}\s+syncPolicy: \{[^}]*)rollback: auto/, '$1rollback: manual');
        // guestbook's builds deploy to stage, so they do not race the dev and test scenario below.
        const guestbook = { repo: env.git.repoUrl(`${src}-guestbook.git`), image: 'registry.example.com/shop/guestbook', registrySecret: 'regcred', env: 'stage' };
        // quotes pushes to a registry under .invalid: its builds fail, as on any cluster.
        const quotes = { repo: env.git.repoUrl(`${src}-quotes.git`), image: 'registry.invalid/shop/quotes', registrySecret: 'regcred' };
        files['sluice.yaml'] = withBuild(withBuild(yaml, 'guestbook', guestbook), 'quotes', quotes) + `builds: {namespace: ${prefix}-builds}\n`;
      },
    });
    assert.match(await s.work.read('sluice.yaml'), /rollback: manual/);
    // The first builds (guestbook bumped into stage, quotes failing) settle before the scenario.
    await eventually('first builds done', () => s.sluice.builds.list().some((b) => b.app === 'guestbook' && b.bump?.state === 'committed') && s.sluice.builds.list().some((b) => b.app === 'quotes' && b.state === 'Failed'), 60_000);
    await eventually('first pass done', () => s.sluice.status.list().length === 8 && s.sluice.status.list().every((x) => x.syncStatus === 'Synced' && x.health === 'Healthy'), 60_000);
    await s.work.pull();
    await prom.setTargets([new URL(s.sluice.url).host]);
    await eventually('Prometheus scrapes sluice', async () => (await prom.query('up{job="sluice"} == 1')).data?.result.length === 1, 30_000);
    await moreScrapes(3);

    // A deployment, then a release that goes Degraded and is rolled back.
    await s.work.write('environments/dev/guestbook/values.yaml', 'greeting: "Hello again"\n');
    const greeting = await s.work.commitAndPush('dev: greeting');
    await eventually('greeting deployed', () => s.status('guestbook', 'dev')?.revision === greeting && s.status('guestbook', 'dev')?.syncStatus === 'Synced');
    await s.work.write('environments/dev/guestbook/image.yaml', 'image:\n  repository: registry.invalid/shop/guestbook\n  tag: "1.1.0"\n');
    await s.work.write('environments/dev/guestbook/values.yaml', 'greeting: "Hello again"\nprogressDeadlineSeconds: 1\n');
    await s.work.write('environments/test/guestbook/image.yaml', 'image:\n  repository: registry.invalid/shop/guestbook\n  tag: "1.1.0"\n');
    await s.work.write('environments/test/guestbook/values.yaml', 'progressDeadlineSeconds: 1\n');
    // A values file that does not parse: a render error for quotes in dev, nothing touched.
    await s.work.write('environments/dev/quotes/values.yaml', 'quotes: [unclosed\n');
    await s.work.commitAndPush('dev+test: guestbook 1.1.0 from an unreachable registry; quotes values broken');
    await eventually('dev rolled back and Healthy', () => s.status('guestbook', 'dev')?.syncStatus === 'RolledBack' && s.status('guestbook', 'dev')?.health === 'Healthy', 60_000);
    await eventually('test Degraded', () => s.status('guestbook', 'test')?.health === 'Degraded', 30_000);
    await eventually('quotes dev render error', () => s.status('quotes', 'dev')?.syncStatus === 'Error');

    // Drift healed by watches.
    await exec(kubectlPath(), ['--kubeconfig', env.cluster.kubeconfig, 'patch', 'configmap', 'guestbook', '-n', s.ns('dev'), '--type=merge', '-p', '{"data":{"edited":"by hand"}}']);

    // Builds: a new guestbook commit is built and deployed to dev (lead time); quotes' build fails.
    const gb = await cloneWorkdir(env.git.repoUrl(`${src}-guestbook.git`), join(env.dir, `${src}-gb`));
    await gb.write('app', 'v2\n');
    const sha = await gb.commitAndPush('v2');
    const qt = await cloneWorkdir(env.git.repoUrl(`${src}-quotes.git`), join(env.dir, `${src}-qt`));
    await qt.write('README', 'x\n');
    await qt.commitAndPush('touch');
    await eventually('the guestbook build deployed', () => s.sluice.builds.list().some((b) => b.commit === sha && b.bump?.state === 'committed'), 60_000);
    await eventually('a quotes build failed', () => s.sluice.builds.list().filter((b) => b.app === 'quotes' && b.state === 'Failed').length >= 2, 60_000);
    await fetch(`${s.sluice.url}/api/v1/webhooks/registry`, { method: 'POST', headers: { authorization: `Bearer ${WEBHOOK_SECRET}` }, body: JSON.stringify({ image: 'registry.example.com/shop/other', tag: '1.0.0' }) });

    // Let Prometheus scrape the end state and evaluate the rules a few times.
    await eventually('the provoked alerts fire', async () => {
      const alerts = (await prom.alerts()).filter((a) => a.state === 'firing');
      firing.clear();
      for (const a of alerts) firing.set(a.labels.alertname, [...(firing.get(a.labels.alertname) ?? []), a.labels]);
      return ['SluiceRollback', 'SluiceAppDegraded', 'SluiceSyncFailing', 'SluiceBuildFailures', 'SluiceRenderErrors'].every((n) => firing.has(n));
    }, 60_000);
    // A few more scrapes after the last event, so every rate window holds two samples of it.
    await moreScrapes(3);
  });

  after(async () => {
    await prom?.stop();
    await s?.close();
  });

  for (const file of readdirSync(resolve('manifests/grafana')).filter((f) => f.endsWith('.json'))) {
    it(`every panel of ${file} returns data`, async () => {
      const model = JSON.parse(readFileSync(resolve('manifests/grafana', file), 'utf8')) as Record<string, unknown>;
      const empty: string[] = [];
      for (const { panel, expr } of panelQueries(model)) {
        const r = await prom.query(substitute(expr));
        assert.equal(r.status, 'success', `${file} "${panel}": ${expr}: ${r.error}`);
        if ((r.data?.result.length ?? 0) === 0) empty.push(`"${panel}": ${expr}`);
      }
      assert.deepEqual(empty, [], `${file}: panels without data`);
    });
  }

  it('DORA figures are real numbers for guestbook (lead time in stage, where its builds deploy)', async () => {
    const value = async (expr: string, env = 'dev') => Number((await prom.query(substitute(expr))).data?.result.find((x) => x.metric.app === 'guestbook' && x.metric.env === env)?.value[1]);
    const dora = JSON.parse(readFileSync('manifests/grafana/dora.json', 'utf8')) as Record<string, unknown>;
    const q = Object.fromEntries(panelQueries(dora).map((p) => [p.panel, p.expr]));
    assert.ok((await value(q['Deployment frequency (per day)'])) > 0, 'deployment frequency');
    assert.ok((await value(q['Change failure rate'])) > 0, 'change failure rate');
    const lead = await value(q['Lead time for changes (median)'], 'stage');
    assert.ok(Number.isFinite(lead) && lead > 0, `lead time ${lead}`);
    const restore = await value(q['Time to restore (median)']);
    assert.ok(Number.isFinite(restore) && restore > 0, `time to restore ${restore}`);
  });

  it('every alert expression is valid PromQL, and the provoked alerts fire for the right app × env', async () => {
    for (const a of ALERTS) {
      const r = await prom.query(a.expr);
      assert.equal(r.status, 'success', `${a.alert}: ${r.error}`);
    }
    const has = (name: string, labels: Record<string, string>) => (firing.get(name) ?? []).some((l) => Object.entries(labels).every(([k, v]) => l[k] === v));
    assert.ok(has('SluiceRollback', { app: 'guestbook', env: 'dev', reason: 'auto' }));
    assert.ok(has('SluiceAppDegraded', { app: 'guestbook', env: 'test' }));
    assert.ok(has('SluiceSyncFailing', { app: 'guestbook' }));
    assert.ok(has('SluiceBuildFailures', { app: 'quotes' }));
    assert.ok(has('SluiceRenderErrors', { app: 'quotes', env: 'dev' }));
    assert.ok(!firing.has('SluiceControllerNotReconciling'), 'the controller is reconciling');
  });

  it('promtool accepts the shipped rule file, and the PrometheusRule carries the same groups', async () => {
    const check = await promtoolCheckRules('manifests/monitoring/rules.yaml');
    assert.equal(check.code, 0, check.output);
    assert.match(check.output, new RegExp(`SUCCESS: ${ALERTS.length} rules found`));
    const plain = parse(readFileSync('manifests/monitoring/rules.yaml', 'utf8')) as { groups: unknown };
    const crd = parse(readFileSync('manifests/monitoring/prometheusrule.yaml', 'utf8')) as { spec: { groups: unknown } };
    assert.deepEqual(crd.spec.groups, plain.groups);
  });
});
