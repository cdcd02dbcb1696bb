/** `sluice controller` flags for the kept records: per-app limits, defaults, and refused values. */
import assert from 'node:assert/strict';
import { controllerOptionsFromArgs } from '../../src/cli/commands/controller.js';

describe('cli/commands/controller', () => {
  const cases: [string[], { buildsPerApp: number; promotionsPerApp: number } | RegExp][] = [
    [[], { buildsPerApp: 50, promotionsPerApp: 100 }],
    [['--keep-builds', '20', '--keep-promotions', '0'], { buildsPerApp: 20, promotionsPerApp: 0 }],
    [['--keep-builds', '-1'], /--keep-builds must be a non-negative integer, got "-1"/],
    [['--keep-promotions', 'many'], /--keep-promotions must be a non-negative integer/],
  ];
  for (const [flags, want] of cases) {
    it(`${flags.join(' ') || '(no flags)'}`, async () => {
      const run = controllerOptionsFromArgs(['--repo', 'https://git.example.com/c.git', ...flags]);
      if (want instanceof RegExp) await assert.rejects(run, want);
      else assert.deepEqual((await run).records, want);
    });
  }
});
