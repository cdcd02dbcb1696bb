/**
 * AppEnvironment objects end to end: sluice writes one per app × env in its state namespace, the
 * real kubectl lists them with their printer columns and waits on their Ready condition, a pass
 * that changes nothing writes none of them (counted from the emulator's request log), and an
 * app × env removed from sluice.yaml loses its object.
 */
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import type { RequestLogEntry } from '../../src/emulator/server.js';
import { kubectlSession } from '../support/kubectl-session.js';
import { e2eEnvironment, eventually, startScenario, type Scenario } from './harness.js';

interface AppEnvList {
  items: { metadata: { name: string; labels: Record<string, string> }; spec: { app: string; env: string; namespace: string }; status?: { sync: string; health: string; revision: string; images: string[]; conditions: { type: string; status: string; observedGeneration: number }[] } }[];
}

describe('AppEnvironment objects end to end', function () {
  this.timeout(180_000);
  const env = e2eEnvironment();
  let s: Scenario;

  afterEach(async () => {
    await s?.close();
  });

  it('one per app × env, listed by kubectl get appenv -A, Ready for kubectl wait, no write while nothing changes, deleted with its app × env', async function () {
    const emulator = env.cluster.emulator;
    // Skipped only against a real cluster (SLUICE_E2E_KUBECONFIG): which requests were writes, and
    // when, is read from the emulator's request log, which a real API server does not expose.
    if (!emulator) this.skip();
    s = await startScenario(env.cluster, env.git);
    const stateNs = `${s.prefix}-sluice`;
    const kubectl = kubectlSession(env.cluster.kubeconfig);
    await eventually('every app × env Synced and Healthy', () => {
      const list = s.sluice.status.list();
      return list.length === 8 && list.every((x) => x.syncStatus === 'Synced' && x.health === 'Healthy');
    }, 60_000);

    // kubectl wait on the Ready condition, for every object sluice wrote.
    const list = await eventually('8 AppEnvironments', async () => {
      const l = await kubectl.json<AppEnvList>('get', 'appenvironments', '-n', stateNs);
      return l.items.length === 8 && l.items.every((o) => o.status?.conditions?.length) ? l : undefined;
    });
    assert.deepEqual(list.items.map((o) => o.metadata.name).sort(), ['guestbook-dev', 'guestbook-prod', 'guestbook-stage', 'guestbook-test', 'quotes-dev', 'quotes-prod', 'quotes-stage', 'quotes-test']);
    for (const o of list.items) {
      assert.equal(o.metadata.labels['sluice.dev/app'], o.spec.app);
      assert.equal(o.metadata.labels['sluice.dev/env'], o.spec.env);
      assert.equal(o.spec.namespace, s.ns(o.spec.env));
      assert.ok(o.status && o.status.images.length > 0, `${o.metadata.name} lists its images`);
    }
    await kubectl.ok('wait', '--for=condition=Ready', '--timeout=30s', '-n', stateNs, ...list.items.map((o) => `appenvironment/${o.metadata.name}`));

    // kubectl get appenv -A: the printer columns, a row per app × env.
    const table = await kubectl.ok('get', 'appenv', '-A');
    const [header, ...rows] = table.trim().split('\n');
    assert.match(header, /^NAMESPACE\s+NAME\s+APP\s+ENV\s+SYNC\s+HEALTH\s+REVISION\s+IMAGES\s+AGE$/);
    const ours = rows.filter((r) => r.startsWith(`${stateNs} `));
    assert.equal(ours.length, 8);
    for (const r of ours) assert.match(r, /\s(guestbook|quotes)\s+(dev|test|stage|prod)\s+Synced\s+Healthy\s+[0-9a-f]{40}\s+(guestbook:1\.0\.0|quotes:2\.1\.0)\s/);
    const wide = await kubectl.ok('get', 'appenv', '-n', stateNs, '-o', 'wide');
    assert.match(wide.split('\n')[0], /\sOPERATION\s+MESSAGE$/);
    assert.match(await kubectl.ok('get', 'sluice', '-n', stateNs), /guestbook-dev/, 'the sluice category');

    // Passes that change nothing write no AppEnvironment (git polls every 300 ms).
    const writes = (e: RequestLogEntry) => e.resource === 'appenvironments' && e.method !== 'GET' && e.namespace === stateNs;
    const before = emulator.requestLog.filter(writes).length;
    await sleep(3_000);
    assert.equal(emulator.requestLog.filter(writes).length, before, 'writes in 3 s of no-change passes');

    // An app × env taken out of sluice.yaml: its AppEnvironment goes, the others stay.
    const yaml = await s.work.read('sluice.yaml');
    const withoutProd = yaml.replace('environments: [dev, test, stage, prod]', 'environments: [dev, test, stage]');
    assert.notEqual(withoutProd, yaml);
    await s.work.write('sluice.yaml', withoutProd);
    await s.work.commitAndPush('quotes: not in prod');
    await eventually('quotes-prod deleted', async () => {
      const l = await kubectl.json<AppEnvList>('get', 'appenvironments', '-n', stateNs);
      return l.items.length === 7 && !l.items.some((o) => o.metadata.name === 'quotes-prod');
    });
  });
});
