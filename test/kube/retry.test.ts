/**
 * Retrying what the API server asks to be retried (client-go's checkWait): which answers are
 * retried and after how long, and K8sClusterClient against the emulator answering 429 and 503
 * with Retry-After — retried with the server's wait (an injected sleep, no real one), given up
 * after the attempts run out, and not retried at all for a 500 without Retry-After or a 409.
 */
import assert from 'node:assert/strict';
import { KubeConfig } from '@kubernetes/client-node';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { KubeApiError } from '../../src/kube/errors.js';
import { K8sClusterClient } from '../../src/kube/k8s-client.js';
import { retryDelayMs } from '../../src/kube/retry.js';

describe('kube/retry', () => {
  const cases: { name: string; err: unknown; want: number | undefined }[] = [
    { name: '429 with Retry-After', err: { code: 429, headers: { 'retry-after': '1' } }, want: 1000 },
    { name: '503 with Retry-After (any case)', err: { code: 503, headers: { 'Retry-After': '2' } }, want: 2000 },
    { name: 'a long Retry-After is capped', err: { code: 429, headers: { 'retry-after': '600' } }, want: 10_000 },
    { name: '429 without Retry-After', err: { code: 429, headers: {} }, want: undefined },
    { name: '500 without Retry-After', err: { code: 500, headers: {} }, want: undefined },
    { name: '409 Conflict', err: { code: 409, headers: { 'retry-after': '1' } }, want: undefined },
    { name: 'an HTTP-date Retry-After is not read', err: { code: 503, headers: { 'retry-after': 'Wed, 21 Oct 2015 07:28:00 GMT' } }, want: undefined },
    { name: 'no answer at all', err: new Error('ECONNREFUSED'), want: undefined },
  ];
  for (const c of cases) it(`retryDelayMs: ${c.name}`, () => assert.equal(retryDelayMs(c.err, 10_000), c.want));

  describe('K8sClusterClient', () => {
    let emu: Emulator;
    before(async () => (emu = await startEmulator()));
    after(() => emu.close());
    afterEach(() => emu.faults.reset());

    /** A client whose sleeps are recorded; `onSleep` runs at each (e.g. to end the faults). */
    function client(onSleep: (n: number) => void = () => undefined): { c: K8sClusterClient; waits: number[]; codes: string[] } {
      const kc = new KubeConfig();
      kc.loadFromString(emu.kubeconfig());
      const waits: number[] = [];
      const codes: string[] = [];
      const c = new K8sClusterClient(kc, undefined, (verb, code) => codes.push(`${verb} ${code}`), {
        maxAttempts: 4,
        maxWaitMs: 10_000,
        sleep: async (ms) => {
          waits.push(ms);
          onSleep(waits.length);
        },
      });
      return { c, waits, codes };
    }
    const ref = { apiVersion: 'v1', kind: 'Namespace', name: 'kube-system' };
    const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'retried', namespace: 'default' }, data: { a: '1' } };

    for (const [name, plan, code] of [['429', { throttleRate: 1 }, '429'], ['503', { errorRate: 1, seed: 9 }, '503']] as const) {
      it(`retries a ${name} with Retry-After after the wait the server named, and succeeds`, async () => {
        emu.faults.set(plan);
        const { c, waits, codes } = client((n) => n === 2 && emu.faults.reset());
        assert.equal((await c.get(ref))?.metadata.name, 'kube-system');
        assert.deepEqual(waits, [1000, 1000]);
        // The get needs discovery first: that request is the one answered `code`; the get went out once.
        assert.deepEqual(codes, [`discovery ${code}`, `discovery ${code}`, 'discovery 200', 'get 200']);
        emu.faults.set(plan);
        const applied = client((n) => n === 1 && emu.faults.reset());
        assert.equal((await applied.c.apply(cm, { fieldManager: 'sluice', force: true })).metadata.name, 'retried');
      });
    }

    it('gives up after the attempts run out, with the last answer as the error', async () => {
      emu.faults.set({ throttleRate: 1 });
      const { c, waits } = client();
      await assert.rejects(c.get(ref), (e: unknown) => e instanceof KubeApiError && e.status === 429 && /TooManyRequests/.test(e.message));
      assert.equal(waits.length, 3, '4 attempts, 3 waits');
    });

    it('does not retry a 500 without Retry-After, nor a 409', async () => {
      emu.faults.set({ errorRate: 1, seed: 3 });
      const { c, waits } = client();
      await assert.rejects(c.get(ref), (e: unknown) => e instanceof KubeApiError && e.status === 500);
      emu.faults.reset();
      emu.faults.set({ conflictRate: 1 });
      await assert.rejects(c.apply(cm, { fieldManager: 'sluice', force: true }), (e: unknown) => e instanceof KubeApiError && e.status === 409);
      assert.deepEqual(waits, []);
    });
  });
});
