/** capRenderMessage: render errors as status text, at most ~2 KiB, innermost cause first. */
import assert from 'node:assert/strict';
import { capRenderMessage, MAX_STATUS_MESSAGE_BYTES, truncate } from '../../src/engine/render-message.js';

const level = (file: string, name: string, line: number, call: string): string => `template: ${file}:${line}:3: executing "${name}" at <${call}>: error calling ${call.split(' ')[0]}: `;
const loop = (n: number): string =>
  level('loop/templates/cm.yaml', 'loop/templates/cm.yaml', 1, 'include "loop" .') +
  level('loop/templates/_h.tpl', 'loop', 1, 'include "loop" .').repeat(n) +
  'rendering template has a nested reference name: loop: unable to execute template';

interface Case {
  name: string;
  input: string;
  /** Exact output, or the pieces it must hold, in order. */
  want?: string;
  has?: string[];
}

const cases: Case[] = [
  { name: 'a short message is kept as it is', input: 'values file big.yaml is 30.0 MiB, more than the limit of 8.0 MiB', want: 'values file big.yaml is 30.0 MiB, more than the limit of 8.0 MiB' },
  {
    name: 'one include: the inner error, then the chain',
    input: level('c/templates/cm.yaml', 'c/templates/cm.yaml', 4, 'include "x" .') + 'template: c/templates/_h.tpl:2:5: executing "x" at <required "need a" .Values.a>: error calling required: need a',
    want: 'template: c/templates/_h.tpl:2:5: executing "x" at <required "need a" .Values.a>: error calling required: need a (via 1 nested include call: c/templates/cm.yaml)',
  },
  {
    name: 'endless include: innermost error located at the last call, runs collapsed',
    input: loop(999),
    want: 'template: loop/templates/_h.tpl:1:3: executing "loop" at <include "loop" .>: rendering template has a nested reference name: loop: unable to execute template (via 1000 nested include calls: loop/templates/cm.yaml → loop ×999)',
  },
  {
    name: 'include and tpl mixed, long chains cut in the middle',
    input: ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'].map((n, i) => level(`c/templates/${n}.tpl`, n, i + 1, i % 2 ? 'tpl .t .' : `include "${n}" .`)).join('') + 'boom',
    has: ['template: c/templates/h.tpl:8:3: executing "h" at <tpl .t .>: boom', '(via 8 nested include/tpl calls: a → b → c → … → g → h)'],
  },
  { name: 'a huge message that is no chain is cut', input: 'x'.repeat(100_000), has: ['xxxx', ' … (100000 bytes in all)'] },
  { name: 'a huge innermost error is cut, the summary kept', input: level('c/t.yaml', 'c/t.yaml', 1, 'include "a" .') + 'e'.repeat(50_000), has: ['eeee', '… (', '(via 1 nested include call: c/t.yaml)'] },
];

describe('render-message', () => {
  for (const c of cases) {
    it(c.name, () => {
      const out = capRenderMessage(c.input);
      assert.ok(Buffer.byteLength(out) <= MAX_STATUS_MESSAGE_BYTES, `${Buffer.byteLength(out)} bytes`);
      if (c.want !== undefined) assert.equal(out, c.want);
      let at = 0;
      for (const piece of c.has ?? []) {
        const i = out.indexOf(piece, at);
        assert.ok(i >= 0, `${JSON.stringify(out.slice(0, 200))}… lacks ${JSON.stringify(piece)} after ${at}`);
        at = i + piece.length;
      }
    });
  }

  it('truncate cuts on a character boundary', () => {
    const out = truncate('é'.repeat(1000), 100);
    assert.ok(Buffer.byteLength(out) <= 100);
    assert.ok(!out.includes('\uFFFD'));
  });
});
