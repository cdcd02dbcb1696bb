/**
 * Re-verifies every template fixture against the real helm binary (one helm process per case,
 * ~15 s), so the committed expectations can never drift from Go's behaviour. The fixture tests
 * themselves never need helm.
 */
import { strict as assert } from 'node:assert';
import { helmParseError, oracleAll, ORACLE_TEMPLATE } from '../../support/helm-oracle.js';
import { type ExecCase, type ParseCase, execFixtureFiles, loadCases } from './fixture-cases.js';

describe('helm oracle', function () {
  this.timeout(300000);

  for (const file of execFixtureFiles()) {
    it(`${file} matches helm`, async () => {
      const cases = loadCases<ExecCase>(file);
      const results = await oracleAll(cases.map((c) => ({ input: c.input, data: c.data })));
      cases.forEach((c, i) => {
        const r = results[i];
        assert.equal(r.ok, c.ok, c.name);
        if (r.ok) assert.equal(r.output, c.output!.replaceAll('<no value>', ''), c.name);
        else assert.ok(r.error === c.error || r.error === helmParseError(c.error!), `${c.name}: ${r.error}`);
      });
    });
  }

  it('parse.yaml agrees with helm on success and parse errors', async () => {
    const cases = loadCases<ParseCase>('parse.yaml');
    const results = await oracleAll(cases.map((c) => ({ input: c.input })));
    cases.forEach((c, i) => {
      const r = results[i];
      if (c.ok) {
        assert.ok(r.ok || !r.error.startsWith('parse error'), `${c.name}: ${r.ok ? '' : r.error}`);
      } else {
        assert.ok(!r.ok, c.name);
        assert.equal(r.error, helmParseError(c.error!.replaceAll('template: p:', `template: ${ORACLE_TEMPLATE}:`).replaceAll(' at p:', ` at ${ORACLE_TEMPLATE}:`)), c.name);
      }
    });
  });
});
