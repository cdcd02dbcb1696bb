/**
 * Parser fixture table: each input parses (or fails with Go's message) and its tree prints back
 * as Go's parse.Tree String() does; the printed result parses again to the same text.
 */
import { strict as assert } from 'node:assert';
import { parse } from '../../../src/render/gotemplate/parser.js';
import { TemplateError, TemplateSet } from '../../../src/render/gotemplate/template.js';
import { type ParseCase, loadCases } from './fixture-cases.js';

const FUNCS = new Set(['print', 'printf', 'len', 'index', 'and', 'or', 'not', 'eq']);
const cases = loadCases<ParseCase>('parse.yaml');

describe('parser', () => {
  for (const c of cases) {
    it(c.name, () => {
      if (c.ok) {
        const trees = parse('p', c.input, (f) => FUNCS.has(f));
        const printed = String(trees.get('p')!.root);
        assert.equal(printed, c.result);
        const again = parse('p', printed, (f) => FUNCS.has(f));
        assert.equal(String(again.get('p')!.root), printed, 'round trip');
        assert.equal(String(trees.get('p')!.root.copy()), printed, 'copy prints the same');
      } else {
        const set = new TemplateSet();
        assert.throws(() => set.parse('p', c.input), (e: unknown) => {
          assert.ok(e instanceof TemplateError);
          assert.equal(e.code, 'EPARSE');
          assert.equal(e.message, c.error);
          return true;
        });
      }
    });
  }

  it('records line and offset on nodes', () => {
    const root = parse('p', 'a\n  {{ .X }}', () => true).get('p')!.root;
    const action = root.nodes[1];
    assert.equal(action.line, 2);
    assert.equal(action.pos, 7);
  });
});
