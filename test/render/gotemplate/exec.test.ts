/**
 * Executor fixture tables (test/fixtures/render/gotemplate/exec-*.yaml): every case's expected
 * output or error is Go's, taken from the real text/template in helm (see update-fixtures.ts).
 * Cases marked `divergence` check our documented output instead.
 */
import { strict as assert } from 'node:assert';
import { type ExecCase, execFixtureFiles, loadCases, runExec } from './fixture-cases.js';

describe('exec', () => {
  for (const file of execFixtureFiles()) {
    describe(file, () => {
      for (const c of loadCases<ExecCase>(file)) {
        it(c.name, () => {
          const got = runExec(c);
          if (c.divergence) {
            assert.equal(got.ok ? got.output : got.error, c.ours);
            return;
          }
          if (c.ok) {
            assert.ok(got.ok, `expected output, got error: ${got.ok ? '' : got.error}`);
            assert.equal(got.output, c.output);
          } else {
            assert.ok(!got.ok, `expected error ${c.error}, got output ${got.ok ? JSON.stringify(got.output) : ''}`);
            assert.equal(got.error, c.error);
            // Go's exec errors are located with a column and name the executing template.
            assert.equal(got.code, /^template: \S+:\d+:\d+: executing "/.test(c.error!) ? 'EEXEC' : 'EPARSE');
          }
        });
      }
    });
  }
});
