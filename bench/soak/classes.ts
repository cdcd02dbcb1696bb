/**
 * The soak's fault classes: what each switches on in the emulator or the git server, or what it
 * does at a random point of a run (a state wipe, a SIGKILL of the controller, a force-push).
 */
import type { FaultPlan } from '../../src/emulator/index.js';
import type { GitFaultPlan } from '../../test/support/git-faults.js';
import type { FaultClass, RunContext } from './run.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function emulatorFaults(name: string, plan: Partial<FaultPlan>): FaultClass {
  return {
    name,
    on: (ctx: RunContext) => void ctx.env.emulator.faults.set({ ...plan, seed: ctx.run + 1 }),
    off: (ctx: RunContext) => void ctx.env.emulator.faults.reset(),
  };
}

function gitFaults(name: string, plan: Partial<GitFaultPlan>, convergeTimeoutMs?: number): FaultClass {
  return {
    name,
    convergeTimeoutMs,
    on: (ctx: RunContext) => ctx.env.git.faults.set({ ...plan, seed: ctx.run + 1 }),
    off: (ctx: RunContext) => ctx.env.git.faults.reset(),
  };
}

export const CLASSES: readonly FaultClass[] = [
  emulatorFaults('emulator-5xx', { errorRate: 0.1 }),
  emulatorFaults('emulator-409', { conflictRate: 0.2 }),
  emulatorFaults('emulator-429', { throttleRate: 0.1 }),
  emulatorFaults('emulator-latency', { latencyMs: 30, latencyJitterMs: 120 }),
  emulatorFaults('emulator-watch-cut', { watchCutRate: 0.8, watchCutAfterMs: 800 }),
  emulatorFaults('emulator-410', { goneRate: 0.3, watchCutRate: 0.3, watchCutAfterMs: 1_500 }),
  {
    name: 'emulator-wipe',
    wipesState: true,
    async afterStep(ctx, step) {
      if (step === ctx.strikeStep) ctx.env.emulator.wipe();
    },
  },
  gitFaults('git-5xx', { errorRate: 0.3 }),
  // A fetch left hanging ends at the git client's idle timeout (30 s): convergence may take that long.
  gitFaults('git-timeout', { timeoutRate: 0.2 }, 75_000),
  gitFaults('git-truncated-pack', { truncateRate: 0.3 }),
  { name: 'git-force-push', forcePush: true },
  {
    name: 'controller-sigkill',
    async afterStep(ctx, step) {
      if (step !== ctx.strikeStep) return;
      // Somewhere in the sync the step started (hooks, waves, health wait or the record write).
      await sleep(Math.floor(ctx.rng() * 1_200));
      await ctx.cls.ctl.kill();
      await ctx.cls.ctl.start();
    },
  },
];

export const KILL_CLASS = 'controller-sigkill';
