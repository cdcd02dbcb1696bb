/**
 * The emulator's fault injection through real HTTP: each fault class as a client sees it (status,
 * Status body, headers), the admin endpoints that switch it (never faulted themselves), seeded
 * determinism, the state wipe, and the real kubectl retrying a 429 and a 503 it was sent.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startEmulator, type Emulator, type RequestLogEntry } from '../../src/emulator/index.js';
import { FaultInjector, parseFaultPlan } from '../../src/emulator/faults.js';
import { faultPlanFromArgs } from '../../src/cli/commands/emulator.js';
import { parseArgs, UsageError } from '../../src/cli/args.js';
import { kubectlPath } from '../support/tools.js';

const exec = promisify(execFile);

interface Answer {
  status: number;
  headers: Headers;
  body: Record<string, unknown>;
}

describe('emulator/faults', function () {
  this.timeout(60_000);
  let emu: Emulator;

  before(async () => {
    emu = await startEmulator();
  });
  after(() => emu.close());
  afterEach(async () => {
    await call('DELETE', '/emulator/v1/faults');
  });

  async function call(method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<Answer> {
    const res = await fetch(`${emu.url}${path}`, { method, headers: body === undefined ? {} : { 'content-type': contentType }, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await res.text();
    return { status: res.status, headers: res.headers, body: text ? (JSON.parse(text.split('\n')[0]) as Record<string, unknown>) : {} };
  }
  const setFaults = async (plan: Record<string, unknown>) => {
    const r = await call('PUT', '/emulator/v1/faults', plan);
    assert.equal(r.status, 200, JSON.stringify(r.body));
  };
  const cm = (name: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: { a: '1' } });

  it('injects nothing by default, and the admin endpoint reports the plan and counts', async () => {
    const r = await call('GET', '/emulator/v1/faults');
    assert.equal(r.status, 200);
    assert.deepEqual(r.body.plan, parseFaultPlan({}));
    for (let i = 0; i < 20; i++) assert.equal((await call('GET', '/api/v1/namespaces')).status, 200);
  });

  it('answers a share of requests 500 or 503 with a Status body; the admin paths and probes are never faulted', async () => {
    await setFaults({ errorRate: 1, seed: 7 });
    const codes = new Set<number>();
    for (let i = 0; i < 12; i++) {
      const r = await call('GET', '/api/v1/namespaces/default/configmaps');
      codes.add(r.status);
      assert.equal(r.body.kind, 'Status');
      assert.equal(r.body.code, r.status);
      assert.match(String(r.body.reason), r.status === 500 ? /^InternalError$/ : /^ServiceUnavailable$/);
      if (r.status === 503) assert.equal(r.headers.get('retry-after'), '1');
    }
    assert.deepEqual([...codes].sort(), [500, 503]);
    assert.equal((await fetch(`${emu.url}/healthz`)).status, 200);
    assert.equal((await fetch(`${emu.url}/api/v1/namespaces`, { headers: { 'X-Emulator-Faults': 'off' } })).status, 200, 'a harness can opt out');
    const state = await call('GET', '/emulator/v1/faults');
    assert.equal(state.status, 200);
    assert.equal((state.body.counts as Record<string, number>).error, 12);
    assert.equal((await call('DELETE', '/emulator/v1/faults')).status, 200);
    assert.equal((await call('GET', '/api/v1/namespaces/default/configmaps')).status, 200);
  });

  it('marks in the request log the requests that created an object (a create, or an apply of a new one)', async () => {
    const seen: RequestLogEntry[] = [];
    const stop = emu.onRequest((e) => seen.push({ ...e }));
    try {
      await call('POST', '/api/v1/namespaces/default/configmaps', cm('made-by-post'));
      await call('PATCH', '/api/v1/namespaces/default/configmaps/made-by-apply?fieldManager=t', cm('made-by-apply'), 'application/apply-patch+yaml');
      await call('PATCH', '/api/v1/namespaces/default/configmaps/made-by-apply?fieldManager=t', cm('made-by-apply'), 'application/apply-patch+yaml');
      await call('PATCH', '/api/v1/namespaces/default/configmaps/dry?fieldManager=t&dryRun=All', cm('dry'), 'application/apply-patch+yaml');
    } finally {
      stop();
    }
    assert.deepEqual(seen.map((e) => `${e.verb} ${e.name ?? ''} ${e.created === true}`), ['create  true', 'patch made-by-apply true', 'patch made-by-apply false', 'patch dry false']);
  });

  it('answers 409 Conflict on updates, patches and applies only', async () => {
    await call('POST', '/api/v1/namespaces/default/configmaps', cm('conflicted'));
    await setFaults({ conflictRate: 1 });
    const patch = await call('PATCH', '/api/v1/namespaces/default/configmaps/conflicted', { data: { a: '2' } }, 'application/merge-patch+json');
    assert.equal(patch.status, 409);
    assert.equal(patch.body.reason, 'Conflict');
    const apply = await call('PATCH', '/api/v1/namespaces/default/configmaps/conflicted?fieldManager=t', cm('conflicted'), 'application/apply-patch+yaml');
    assert.equal(apply.status, 409);
    assert.equal((await call('PUT', '/api/v1/namespaces/default/configmaps/conflicted', cm('conflicted'))).status, 409);
    assert.equal((await call('GET', '/api/v1/namespaces/default/configmaps/conflicted')).status, 200);
    assert.equal((await call('POST', '/api/v1/namespaces/default/configmaps', cm('created-anyway'))).status, 201);
  });

  it('answers 429 TooManyRequests with Retry-After: 1', async () => {
    await setFaults({ throttleRate: 1 });
    const r = await call('GET', '/api/v1/namespaces');
    assert.equal(r.status, 429);
    assert.equal(r.headers.get('retry-after'), '1');
    assert.equal(r.body.reason, 'TooManyRequests');
    assert.deepEqual(r.body.details, { retryAfterSeconds: 1 });
  });

  it('answers 410 Gone to a list or watch from a resourceVersion, not to one without', async () => {
    await setFaults({ goneRate: 1 });
    assert.equal((await call('GET', '/api/v1/namespaces/default/configmaps')).status, 200);
    const list = await call('GET', '/api/v1/namespaces/default/configmaps?resourceVersion=5&resourceVersionMatch=Exact');
    assert.equal(list.status, 410);
    assert.equal(list.body.reason, 'Expired');
    assert.match(String(list.body.message), /too old resource version: 5/);
    const watch = await call('GET', '/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=5');
    assert.equal(watch.status, 200, 'a watch is told in the stream');
    assert.equal(watch.body.type, 'ERROR');
    assert.equal((watch.body.object as Record<string, unknown>).code, 410);
  });

  it('adds latency to each request', async () => {
    await setFaults({ latencyMs: 150, latencyJitterMs: 50 });
    const t0 = performance.now();
    assert.equal((await call('GET', '/api/v1/namespaces')).status, 200);
    assert.ok(performance.now() - t0 >= 150, `answered after ${performance.now() - t0} ms`);
  });

  it('cuts a watch stream mid-way, without the end of the chunked body', async () => {
    await setFaults({ watchCutRate: 1, watchCutAfterMs: 100 });
    const outcome = await new Promise<string>((resolve) => {
      const req = request(`${emu.url}/api/v1/namespaces/default/configmaps?watch=true`, (res) => {
        res.on('data', () => undefined);
        res.on('end', () => resolve('clean end'));
        res.on('error', (err) => resolve(`error: ${(err as NodeJS.ErrnoException).code ?? err.message}`));
        res.on('aborted', () => resolve('aborted'));
      });
      req.on('error', (err) => resolve(`error: ${err.message}`));
      req.end();
    });
    assert.notEqual(outcome, 'clean end');
    assert.equal(((await call('GET', '/emulator/v1/faults')).body.counts as Record<string, number>).watchCut, 1);
  });

  it('draws the same faults from the same seed', async () => {
    const draw = async () => {
      await setFaults({ errorRate: 0.3, throttleRate: 0.2, seed: 42 });
      const codes: number[] = [];
      for (let i = 0; i < 30; i++) codes.push((await call('GET', '/api/v1/namespaces')).status);
      return codes;
    };
    const first = await draw();
    assert.deepEqual(await draw(), first);
    assert.ok(first.includes(200) && first.some((c) => c >= 429), first.join(','));
    const plain = new FaultInjector(parseFaultPlan({ errorRate: 0.3, throttleRate: 0.2, seed: 42 }));
    assert.deepEqual(first, Array.from({ length: 30 }, () => plain.decide({ verb: 'list' })?.status ?? 200));
  });

  it('refuses a bad plan with 400 and keeps the one in force', async () => {
    await setFaults({ errorRate: 0.5 });
    for (const bad of [{ errorRate: 2 }, { latencyMs: -1 }, { nonsense: 1 }, { seed: 1.5 }, { goneRate: 'all' }]) {
      const r = await call('PUT', '/emulator/v1/faults', bad);
      assert.equal(r.status, 400, JSON.stringify(bad));
      assert.match(String(r.body.error), /fault field/);
    }
    assert.equal(((await call('GET', '/emulator/v1/faults')).body.plan as Record<string, number>).errorRate, 0.5);
    assert.equal((await call('GET', '/emulator/v1/nothing')).status, 404);
  });

  it('wipes all state as a restart on an empty etcd: seed objects back, resourceVersions still increasing, old watches 410', async () => {
    const created = await call('POST', '/api/v1/namespaces/default/configmaps', cm('before-wipe'));
    const rvBefore = Number((created.body.metadata as Record<string, string>).resourceVersion);
    assert.equal((await call('POST', '/emulator/v1/wipe')).status, 200);
    assert.equal((await call('GET', '/api/v1/namespaces/default/configmaps/before-wipe')).status, 404);
    assert.equal((await call('GET', '/api/v1/namespaces/kube-system')).status, 200, 'a fresh cluster has its namespaces');
    const after = await call('POST', '/api/v1/namespaces/default/configmaps', cm('after-wipe'));
    assert.ok(Number((after.body.metadata as Record<string, string>).resourceVersion) > rvBefore);
    const watch = await call('GET', `/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=${rvBefore}`);
    assert.equal((watch.body.object as Record<string, unknown>).code, 410);
  });

  it('takes its plan from the --fault-* flags of `sluice emulator`', async () => {
    const spec = Object.fromEntries(['fault-error-rate', 'fault-throttle-rate', 'fault-latency', 'fault-watch-cut-after', 'fault-seed'].map((k) => [k, {}]));
    const plan = await faultPlanFromArgs(parseArgs(['--fault-error-rate', '0.1', '--fault-throttle-rate=0.05', '--fault-latency', '20ms', '--fault-watch-cut-after', '2s', '--fault-seed', '42'], spec));
    assert.deepEqual(plan, parseFaultPlan({ errorRate: 0.1, throttleRate: 0.05, latencyMs: 20, watchCutAfterMs: 2000, seed: 42 }));
    await assert.rejects(faultPlanFromArgs(parseArgs(['--fault-error-rate', '1.5'], spec)), (e: unknown) => e instanceof UsageError && /errorRate" must be between 0 and 1/.test(e.message));
    await assert.rejects(faultPlanFromArgs(parseArgs(['--fault-seed', 'x'], spec)), UsageError);
  });

  describe('the real kubectl', () => {
    let kubeconfig: string;
    before(async () => {
      kubeconfig = join(mkdtempSync(join(tmpdir(), 'sluice-faults-')), 'kubeconfig');
      await emu.writeKubeconfig(kubeconfig);
    });

    /** Runs kubectl with a fault plan that is switched off after its first injected fault. */
    async function kubectlThroughOneFault(plan: Record<string, unknown>): Promise<RequestLogEntry[]> {
      const seen: RequestLogEntry[] = [];
      const stop = emu.onRequest((e) => {
        seen.push({ ...e });
        if (e.fault) emu.faults.reset();
      });
      try {
        await setFaults(plan);
        const { stdout } = await exec(kubectlPath(), ['--kubeconfig', kubeconfig, 'get', 'namespace', 'kube-system', '-o', 'name']);
        assert.equal(stdout.trim(), 'namespace/kube-system');
      } finally {
        stop();
      }
      return seen;
    }

    for (const [name, plan, code] of [['429 with Retry-After', { throttleRate: 1 }, 429], ['503 with Retry-After', { errorRate: 1, seed: 9 }, 503]] as const) {
      it(`retries a ${name} and succeeds`, async () => {
        const seen = await kubectlThroughOneFault(plan);
        const faulted = seen.findIndex((e) => e.code === code);
        assert.ok(faulted >= 0, `kubectl was sent a ${code}: ${seen.map((e) => `${e.path} ${e.code}`).join(', ')}`);
        assert.ok(seen.slice(faulted + 1).some((e) => e.path === seen[faulted].path && e.code === 200), 'the same request was sent again and answered');
      });
    }
  });
});
