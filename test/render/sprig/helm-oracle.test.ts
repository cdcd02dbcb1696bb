/**
 * Re-checks every Sprig fixture (test/fixtures/render/sprig/<family>.yaml, whose results claim to
 * be helm v3.17.3's) against the real helm v3 binary, so the committed expectations cannot drift
 * from Sprig's behaviour. All cases of a family render in one chart, errors one chart each.
 * The fixture tests themselves never need helm.
 */
import { strict as assert } from 'node:assert';
import { sprigOracle, type SprigOutcome } from '../../support/sprig-oracle.js';
import { type HelmCase, loadCases } from './helm-cases.js';

/** Families and the time zone their fixture was rendered in (Go's Local, read by date, toDate, …). */
const FAMILIES: readonly [family: string, tz: string][] = [
  ['conversion', 'UTC'], ['dates', 'UTC'], ['dates-local', 'America/New_York'], ['defaults', 'UTC'], ['dicts', 'UTC'],
  ['encoding', 'UTC'], ['lists', 'UTC'], ['math', 'UTC'], ['paths', 'UTC'], ['regex', 'UTC'], ['semver', 'UTC'], ['strings', 'UTC'],
];

/**
 * Functions whose result may change from run to run. Their cases are rendered twice and left out
 * when helm's answers differ (a fixed expectation cannot hold); the random paths are checked by
 * our own tests (random.test.ts, crypto.test.ts, dates-now.test.ts). Error paths of these
 * functions (a bad key type, an invalid user name) are deterministic and stay checked.
 */
export const NONDETERMINISTIC: readonly [pattern: RegExp, reason: string][] = [
  [/\b(randAlphaNum|randAlpha|randNumeric|randAscii|randBytes|randInt|shuffle)\b/, 'random output'],
  [/\buuidv4\b/, 'a random UUID'],
  [/\b(now|ago)\b/, 'reads the clock'],
  [/\b(genPrivateKey|genCA|genCAWithKey|genSelfSignedCert|genSelfSignedCertWithKey|genSignedCert|genSignedCertWithKey)\b/, 'generates a fresh key'],
  [/\b(encryptAES|bcrypt|htpasswd)\b/, 'a random salt or IV'],
];

export function skipReason(expr: string): string | undefined {
  return NONDETERMINISTIC.find(([p]) => p.test(expr))?.[1];
}

/** Where helm and a fixture case disagree, in words; undefined when they agree. */
export function disagreement(c: HelmCase, r: SprigOutcome): string | undefined {
  if (c.error !== undefined) {
    if (r.ok) return `fixture says error ${JSON.stringify(c.error)}, helm gives ${r.kind}|${r.json}`;
    // Go: `template: FILE:L:C: executing "FILE" at <CTX>: MSG`; the fixture keeps MSG.
    const exec = /^template: \S+:\d+:\d+: executing "[^"]+" at <[\s\S]*>: ([\s\S]*)$/.exec(r.error);
    // Trailing spaces are compared away, as the fixture tests do (YAML drops them).
    return exec && exec[1].trimEnd() === c.error.trimEnd() && r.error.endsWith(`>: ${exec[1]}`) ? undefined : `fixture says error ${JSON.stringify(c.error)}, helm says ${JSON.stringify(r.error)}`;
  }
  if (!r.ok) return `fixture says ${c.kind}|${c.json}, helm fails: ${r.error}`;
  if (r.kind !== c.kind || r.json !== c.json) return `fixture says ${c.kind}|${c.json}, helm gives ${r.kind}|${r.json}`;
  return undefined;
}

describe('sprig fixtures against helm v3', function () {
  this.timeout(120000);

  it('recognises a disagreement (the check can fail)', () => {
    assert.ok(disagreement({ expr: 'upper "a"', kind: 'string', json: '"a"' }, { ok: true, kind: 'string', json: '"A"' }));
    assert.ok(disagreement({ expr: 'x', error: 'boom' }, { ok: false, error: 'template: c:1:2: executing "c" at <x>: bang' }));
    assert.equal(disagreement({ expr: 'x', error: 'boom' }, { ok: false, error: 'template: t/c.yaml:1:2: executing "t/c.yaml" at <x>: boom' }), undefined);
    assert.equal(skipReason('randAlpha 5'), 'random output');
    assert.equal(skipReason('uuidv4 | upper'), 'a random UUID');
    assert.equal(skipReason('upper "rand"'), undefined);
  });

  for (const [family, tz] of FAMILIES) {
    it(`${family}.yaml matches helm`, async function () {
      const cases = loadCases(family);
      const input = cases.map((c) => ({ expr: c.expr, expectError: c.error !== undefined }));
      const results = await sprigOracle(input, tz);
      // A case calling a function that may be random is rendered again: if helm's two answers
      // differ, nothing fixed can be expected of it and it is left out (named in the title).
      const suspects = cases.flatMap((c, i) => (skipReason(c.expr) ? [i] : []));
      const again = await sprigOracle(suspects.map((i) => input[i]), tz);
      const random = new Set(suspects.filter((i, k) => JSON.stringify(again[k]) !== JSON.stringify(results[i])));
      if (random.size) this.test!.title += `; not checked: ${[...random].map((i) => `${cases[i].expr} (${skipReason(cases[i].expr)})`).join(', ')}`;
      const wrong = cases.flatMap((c, i) => {
        const d = random.has(i) ? undefined : disagreement(c, results[i]);
        return d ? [`${c.expr}: ${d}`] : [];
      });
      assert.deepEqual(wrong, []);
    });
  }
});
