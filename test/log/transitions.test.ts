import assert from 'node:assert/strict';
import type { LogFields } from '../../src/log/logger.js';
import { ErrorTransitions } from '../../src/log/transitions.js';

/** A sequence of tries of one key: an error message, or null for a success; and the lines expected. */
const CASES: { name: string; tries: (string | null)[]; lines: string[] }[] = [
  { name: 'the same error many times is one line', tries: ['boom', 'boom', 'boom'], lines: ['failed boom'] },
  { name: 'a changed error is logged again, with the one before', tries: ['boom', 'boom', 'bang'], lines: ['failed boom', 'failed bang (was boom)'] },
  { name: 'a success after failures is one recovered line', tries: ['boom', null, null], lines: ['failed boom', 'recovered (was boom)'] },
  { name: 'successes alone log nothing', tries: [null, null], lines: [] },
  { name: 'the same error after a recovery is logged again', tries: ['boom', null, 'boom'], lines: ['failed boom', 'recovered (was boom)', 'failed boom'] },
];

describe('log/transitions', () => {
  for (const c of CASES) {
    it(c.name, () => {
      const lines: string[] = [];
      const log = { log: (_l: string, msg: string, f: LogFields = {}) => void lines.push(`${msg === 'render failed' ? 'failed' : 'recovered'}${f.error ? ` ${f.error}` : ''}${msg === 'render failed' && f.previousError ? ` (was ${f.previousError})` : ''}${msg !== 'render failed' ? ` (was ${f.previousError})` : ''}`), with: () => log };
      const t = new ErrorTransitions(log, { failed: 'render failed', recovered: 'render recovered', level: 'error' });
      for (const x of c.tries) {
        if (x === null) t.succeeded('web/dev', { app: 'web' });
        else t.failed('web/dev', x, { app: 'web' });
      }
      assert.deepEqual(lines.map((l) => l.replace(' (was undefined)', '')), c.lines);
    });
  }

  it('keys are independent, and retain forgets removed ones', () => {
    const msgs: string[] = [];
    const log = { log: (_l: string, msg: string, f: LogFields = {}) => void msgs.push(`${msg} ${f.app}`), with: () => log };
    const t = new ErrorTransitions(log, { failed: 'git fetch failed', recovered: 'git recovered', level: 'warn' });
    t.failed('a', 'x', { app: 'a' });
    t.failed('b', 'x', { app: 'b' });
    t.retain(new Set(['a']));
    t.succeeded('b', { app: 'b' });
    t.succeeded('a', { app: 'a' });
    assert.deepEqual(msgs, ['git fetch failed a', 'git fetch failed b', 'git recovered a']);
  });
});
