/**
 * The fault-injection soak in short (bench/soak.ts runs it in full): one config repo and one
 * controller process, then one run each with the emulator answering a mix of 5xx, 409 and 429,
 * with watches cut and resumes answered 410 Gone, and with the git server failing fetches. Each
 * run must converge with no lost update, no wrong prune and no missing release record.
 */
import assert from 'node:assert/strict';
import type { FaultClass } from '../../bench/soak/run.js';
import { prepareClass, runOnce, type ClassState } from '../../bench/soak/run.js';
import { startSoakEnv, type SoakEnv } from '../../bench/soak/env.js';

const CLASSES: FaultClass[] = [
  {
    name: 'emulator 5xx + 409 + 429',
    on: (ctx) => void ctx.env.emulator.faults.set({ errorRate: 0.05, conflictRate: 0.1, throttleRate: 0.1, seed: 5 }),
    off: (ctx) => void ctx.env.emulator.faults.reset(),
  },
  {
    name: 'emulator watch cuts + 410 Gone',
    on: (ctx) => void ctx.env.emulator.faults.set({ watchCutRate: 0.8, watchCutAfterMs: 600, goneRate: 0.5, seed: 6 }),
    off: (ctx) => void ctx.env.emulator.faults.reset(),
  },
  {
    name: 'git 5xx',
    on: (ctx) => ctx.env.git.faults.set({ errorRate: 0.3, seed: 7 }),
    off: (ctx) => ctx.env.git.faults.reset(),
  },
];

describe('faults end to end', function () {
  this.timeout(120_000);
  let env: SoakEnv;
  let st: ClassState;

  before(async () => {
    env = await startSoakEnv();
    st = await prepareClass(env, 'e2e');
  });
  after(async () => {
    await st?.ctl.stop();
    await env?.close();
  });

  for (const [i, cls] of CLASSES.entries()) {
    it(`${cls.name}: converges with nothing lost, no wrong prune and every release recorded`, async () => {
      const r = await runOnce(env, cls, st, i + 1, 4242 + i);
      const details = r.verdict.details.join('\n');
      assert.ok(r.converged, details);
      assert.equal(r.verdict.lost, 0, details);
      assert.equal(r.verdict.wrongPrunes, 0, details);
      assert.equal(r.verdict.missingReleases, 0, details);
    });
  }
});
