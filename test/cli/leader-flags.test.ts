import assert from 'node:assert/strict';
import { controllerOptionsFromArgs } from '../../src/cli/commands/controller.js';

describe('cli/controller leader election flags', () => {
  const base = ['--repo', 'https://git.example.com/config.git'];
  const ok: { name: string; args: string[]; want: unknown }[] = [
    { name: 'off by default', args: [], want: undefined },
    { name: "client-go's defaults", args: ['--leader-elect'], want: { leaseDurationMs: 15_000, renewDeadlineMs: 10_000, retryPeriodMs: 2_000 } },
    { name: 'changed timings', args: ['--leader-elect', '--leader-elect-lease-duration=4s', '--leader-elect-renew-deadline=3s', '--leader-elect-retry-period=500ms'], want: { leaseDurationMs: 4_000, renewDeadlineMs: 3_000, retryPeriodMs: 500 } },
  ];
  for (const c of ok) {
    it(c.name, async () => {
      assert.deepEqual((await controllerOptionsFromArgs([...base, ...c.args])).leaderElection, c.want);
    });
  }
  const bad: { name: string; args: string[]; error: RegExp }[] = [
    { name: 'a timing without --leader-elect', args: ['--leader-elect-retry-period=1s'], error: /--leader-elect-retry-period needs --leader-elect/ },
    { name: 'renew deadline not below the lease', args: ['--leader-elect', '--leader-elect-renew-deadline=15s'], error: /lease duration must be greater than the renew deadline/ },
    { name: 'retry not below the renew deadline', args: ['--leader-elect', '--leader-elect-retry-period=10s'], error: /renew deadline must be greater than the retry period/ },
  ];
  for (const c of bad) {
    it(`refuses ${c.name}`, async () => {
      await assert.rejects(controllerOptionsFromArgs([...base, ...c.args]), c.error);
    });
  }
});
