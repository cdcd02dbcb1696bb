/**
 * TemplateSet API: options, function maps, Go structs and methods, re-entrancy, clone and the
 * depth limit — behaviour the helm-verified fixture tables cannot reach (they only see `.Values`).
 * Expected texts follow Go's exec.go/funcs.go messages, as verified for the fixture cases.
 */
import { strict as assert } from 'node:assert';
import { CHECK_EVERY, defaultExecLimits, ExecGuard, MAX_EXEC_DEPTH, MAX_PARSE_DEPTH, TemplateError, TemplateSet } from '../../../src/render/gotemplate/template.js';
import { type FuncMap, type GoValue, GoStruct, defineFunc } from '../../../src/render/gotemplate/value.js';

class Release extends GoStruct {
  readonly goType = '*chartutil.Release';
  readonly Name = 'web';
  readonly Revision = 3n;
  Greet(who: GoValue): GoValue {
    return `hello ${String(who)} from ${this.Name}`;
  }
}

function run(text: string, data: GoValue, options: ConstructorParameters<typeof TemplateSet>[0] = {}): string {
  const set = new TemplateSet(options);
  set.parse('t', text);
  return set.execute('t', data);
}

function runError(text: string, data: GoValue, options: ConstructorParameters<typeof TemplateSet>[0] = {}): TemplateError {
  try {
    run(text, data, options);
  } catch (e) {
    assert.ok(e instanceof TemplateError);
    return e;
  }
  return assert.fail('expected a TemplateError');
}

const funcs: FuncMap = new Map();
defineFunc(funcs, 'boom', 0, () => {
  throw new Error('it broke');
});
defineFunc(funcs, 'double', 1, (x) => (typeof x === 'bigint' ? x * 2n : null));
defineFunc(funcs, 'len', 1, () => 'overridden');

const outputs: { name: string; text: string; data: GoValue; want: string; missingKey?: 'default' | 'zero' | 'error' }[] = [
  { name: 'struct field', text: '{{ .R.Name }}-{{ .R.Revision }}', data: { R: new Release() }, want: 'web-3' },
  { name: 'struct method with args', text: '{{ .R.Greet "bob" }}', data: { R: new Release() }, want: 'hello bob from web' },
  { name: 'method with piped arg', text: '{{ "amy" | .R.Greet }}', data: { R: new Release() }, want: 'hello amy from web' },
  { name: 'custom function', text: '{{ double 21 }}', data: {}, want: '42' },
  { name: 'custom function overrides builtin', text: '{{ len "abc" }}', data: {}, want: 'overridden' },
  { name: 'missingkey default: nil chain is silent', text: '{{ .a.b }}', data: {}, want: '<no value>', missingKey: 'default' },
  { name: 'bytes print as numbers', text: '{{ .b }} {{ printf "%s" .b }}', data: { b: new Uint8Array([104, 105]) }, want: '[104 105] hi' },
  { name: 'range over bytes', text: '{{ range .b }}{{ . }},{{ end }}', data: { b: new Uint8Array([1, 2]) }, want: '1,2,' },
  { name: 'call a function value', text: '{{ call .f 2 3 }}', data: { f: (a: GoValue, b: GoValue) => (a as bigint) * (b as bigint) }, want: '6' },
  { name: 'int64 values print as integers', text: '{{ .n }} {{ add1 }}', data: { n: 1000000n }, want: '1000000 1' },
];
defineFunc(funcs, 'add1', 0, () => 1n);
defineFunc(funcs, 'toInt', 1, (x) => BigInt(x as number));

const errors: { name: string; text: string; data: GoValue; want: string; missingKey?: 'default' | 'zero' | 'error' }[] = [
  { name: 'function error is wrapped', text: '{{ boom }}', data: {}, want: 'template: t:1:3: executing "t" at <boom>: error calling boom: it broke' },
  { name: 'wrong arg count', text: '{{ double 1 2 }}', data: {}, want: 'template: t:1:3: executing "t" at <double>: wrong number of args for double: want 1 got 2' },
  // The struct sits in a map, so Go reports the static type of the map element (exec.go evalField).
  { name: 'missing struct field', text: '{{ .R.Nope }}', data: { R: new Release() }, want: 'template: t:1:5: executing "t" at <.R.Nope>: can\'t evaluate field Nope in type interface {}' },
  { name: 'missing field of struct dot', text: '{{ .Nope }}', data: new Release(), want: 'template: t:1:3: executing "t" at <.Nope>: can\'t evaluate field Nope in type *chartutil.Release' },
  { name: 'field with args', text: '{{ .R.Name 1 }}', data: { R: new Release() }, want: 'template: t:1:5: executing "t" at <.R.Name>: Name has arguments but cannot be invoked as function' },
  { name: 'a RangeError from a function is an ordinary call error', text: '{{ toInt 1.5 }}', data: {}, want: 'template: t:1:3: executing "t" at <toInt 1.5>: error calling toInt: The number 1.5 cannot be converted to a BigInt because it is not an integer' },
  { name: 'call of nil', text: '{{ call .nope }}', data: {}, want: 'template: t:1:3: executing "t" at <call .nope>: error calling call: call of nil' },
  { name: 'missingkey error', text: '{{ .a }}', data: {}, want: 'template: t:1:3: executing "t" at <.a>: map has no entry for key "a"', missingKey: 'error' },
  { name: 'missingkey error on nil data', text: '{{ .a }}', data: null, want: 'template: t:1:3: executing "t" at <.a>: nil data; no entry for key "a"', missingKey: 'error' },
  { name: 'missingkey zero: nil interface', text: '{{ .a.b }}', data: {}, want: 'template: t:1:5: executing "t" at <.a.b>: nil pointer evaluating interface {}.b', missingKey: 'zero' },
];

describe('TemplateSet', () => {
  for (const c of outputs) {
    it(c.name, () => assert.equal(run(c.text, c.data, { funcs, missingKey: c.missingKey }), c.want));
  }
  for (const c of errors) {
    it(`error: ${c.name}`, () => {
      const e = runError(c.text, c.data, { funcs, missingKey: c.missingKey });
      assert.equal(e.code, 'EEXEC');
      assert.equal(e.message, c.want);
      assert.equal(e.data.template, 't');
      assert.equal(e.data.line, 1);
    });
  }

  it('parse errors carry code, template and line', () => {
    const set = new TemplateSet();
    assert.throws(() => set.parse('x', 'a\n{{ if }}'), (e: unknown) => e instanceof TemplateError && e.code === 'EPARSE' && e.data.line === 2 && e.data.template === 'x');
  });

  it('collects defines; later parses replace them; has() and names()', () => {
    const set = new TemplateSet();
    set.parse('a', '{{ define "d" }}one{{ end }}A{{ template "d" }}');
    assert.equal(set.execute('a', null), 'Aone');
    set.parse('b', '{{ define "d" }}two{{ end }}');
    assert.equal(set.execute('a', null), 'Atwo');
    assert.ok(set.has('d') && set.has('b') && !set.has('zz'));
    assert.deepEqual(set.names().sort(), ['a', 'b', 'd']);
  });

  it('executing an unknown template fails with EEXEC', () => {
    assert.throws(() => new TemplateSet().execute('nope', null), (e: unknown) => e instanceof TemplateError && e.code === 'EEXEC' && /no template "nope"/.test(e.message));
  });

  it('is re-entrant: a function may execute another template of the same set', () => {
    const set = new TemplateSet();
    const f: FuncMap = new Map();
    defineFunc(f, 'include', 2, (name, data) => set.execute(String(name), data));
    set.addFuncs(f);
    set.parse('helpers', '{{ define "name" }}<{{ .n }}>{{ end }}');
    set.parse('main', '{{ include "name" . | printf "%s!" }} {{ .n }}');
    assert.equal(set.execute('main', { n: 'x' }), '<x>! x');
  });

  it('wraps an error from a nested execute like Go wraps an include error', () => {
    const set = new TemplateSet();
    const f: FuncMap = new Map();
    defineFunc(f, 'include', 2, (name, data) => set.execute(String(name), data));
    set.addFuncs(f);
    set.parse('inner', '{{ index . 3 }}');
    set.parse('outer', '{{ include "inner" .l }}');
    const e = (() => {
      try {
        set.execute('outer', { l: [] });
      } catch (err) {
        return err as TemplateError;
      }
      return assert.fail('expected error');
    })();
    assert.equal(e.message, 'template: outer:1:3: executing "outer" at <include "inner" .l>: error calling include: template: inner:1:3: executing "inner" at <index . 3>: error calling index: index out of range: 3');
  });

  it('clone shares no mutable state', () => {
    const set = new TemplateSet();
    set.parse('a', '{{ define "d" }}orig{{ end }}{{ template "d" }}');
    const c = set.clone();
    c.parse('x', '{{ define "d" }}changed{{ end }}');
    assert.equal(set.execute('a', null), 'orig');
    assert.equal(c.execute('a', null), 'changed');
    assert.ok(!set.has('x'));
  });

  it(`stops infinite template recursion at MAX_EXEC_DEPTH (${MAX_EXEC_DEPTH}) with a clean error`, () => {
    const e = runError('{{ define "r" }}{{ template "r" . }}{{ end }}{{ template "r" . }}', null);
    assert.equal(e.code, 'ELIMIT');
    assert.match(e.message, /executing "r" at <{{template "r" .}}>: exceeded maximum template depth \(1000\)$/);
  });

  it(`limits parenthesis nesting to MAX_PARSE_DEPTH (${MAX_PARSE_DEPTH}) with Go's message`, () => {
    const ok = '{{ ' + '('.repeat(MAX_PARSE_DEPTH) + '1' + ')'.repeat(MAX_PARSE_DEPTH) + ' }}';
    assert.equal(run(ok, null), '1');
    const deep = '{{ ' + '('.repeat(MAX_PARSE_DEPTH + 1) + '1' + ')'.repeat(MAX_PARSE_DEPTH + 1) + ' }}';
    assert.throws(() => new TemplateSet().parse('t', deep), (e: unknown) => e instanceof TemplateError && e.code === 'EPARSE' && e.message === 'template: t:1: max expression depth exceeded');
  });

  it('reports control structures nested past the JavaScript stack as EPARSE, not a crash', () => {
    const n = 20000;
    const text = '{{ if true }}'.repeat(n) + 'x' + '{{ end }}'.repeat(n);
    assert.throws(() => new TemplateSet().parse('t', text), (e: unknown) => e instanceof TemplateError && e.code === 'EPARSE');
  });

  it('shares one parse of a text between sets and files, each named as its own file in errors', () => {
    const text = '{{ define "helper" }}[{{ .x }}]{{ end }}{{ include "helper" . }}{{ template "nope" }}';
    const sets = ['a/templates/x.yaml', 'b/templates/x.yaml'].map((name) => {
      const include: FuncMap = new Map();
      const set: TemplateSet = new TemplateSet({ funcs: include });
      defineFunc(include, 'include', 2, (n, d) => set.execute(String(n), d));
      set.addFuncs(include);
      set.parse(name, text);
      return { name, set };
    });
    for (const { name, set } of sets) {
      assert.throws(() => set.execute(name, { x: 1n }), (e: unknown) => e instanceof TemplateError && e.message.startsWith(`template: ${name}:1:`), name);
      assert.equal(set.execute('helper', { x: 2n }), '[2]');
    }
  });

  it('still refuses a define named like its own file once the text was parsed under another name', () => {
    const text = 'top{{ define "x.yaml" }}inner{{ end }}';
    new TemplateSet().parse('other.yaml', text);
    // helm template says the same: multiple definition of template "…/x.yaml".
    assert.throws(() => new TemplateSet().parse('x.yaml', text), (e: unknown) => e instanceof TemplateError && e.message === 'template: x.yaml:1: template: multiple definition of template "x.yaml"');
  });

  it('parses a text again where a name it uses is a function in one set and not in another', () => {
    const text = '{{ double 2 }}';
    assert.throws(() => new TemplateSet().parse('t', text), (e: unknown) => e instanceof TemplateError && /function "double" not defined/.test(e.message));
    assert.equal(run(text, null, { funcs }), '4');
    assert.throws(() => new TemplateSet().parse('t', text), (e: unknown) => e instanceof TemplateError && /function "double" not defined/.test(e.message));
  });

  describe('ExecGuard: the bounds of an execution and the ones nested in it', () => {
    const guarded = (guard: ExecGuard): TemplateSet => {
      const set = new TemplateSet();
      const f: FuncMap = new Map();
      defineFunc(f, 'include', 2, (name, data) => set.execute(String(name), data, guard));
      set.addFuncs(f);
      return set;
    };
    const cases: { name: string; text: string; limits: Partial<ReturnType<typeof defaultExecLimits>>; message: RegExp }[] = [
      { name: 'depth counts nested executions (include)', text: '{{ define "r" }}{{ include "r" . }}{{ end }}{{ include "r" . }}', limits: { maxDepth: 3 }, message: /template: r: exceeded maximum template depth \(3\)$/ },
      { name: 'depth counts {{template}} with include', text: '{{ define "t" }}{{ include "r" . }}{{ end }}{{ define "r" }}{{ template "t" . }}{{ end }}{{ include "r" . }}', limits: { maxDepth: 4 }, message: /exceeded maximum template depth \(4\)$/ },
      { name: 'output written inside include counts', text: '{{ define "r" }}{{ range 1000 }}xxxx{{ end }}{{ end }}{{ include "r" . }}', limits: { maxOutputBytes: 100 }, message: /executing "r" at <xxxx>: rendered output exceeds 100 bytes$/ },
      { name: 'the deadline is read every CHECK_EVERY steps (clock 0, 1, 2 within it; 3 past it)', text: '{{ range 100000000000 }}{{ end }}', limits: { deadline: 2, now: ((t) => () => t++)(0) }, message: new RegExp(`passed its deadline \\(after ${4 * CHECK_EVERY} steps\\)$`) },
    ];
    for (const c of cases) {
      it(c.name, () => {
        const guard = new ExecGuard({ ...defaultExecLimits(), ...c.limits });
        const set = guarded(guard);
        set.parse('main', c.text);
        assert.throws(() => set.execute('main', null, guard), (e: unknown) => e instanceof TemplateError && e.code === 'ELIMIT' && c.message.test(e.message));
        assert.equal(guard.active, 0, 'every execution left the guard');
      });
    }
  });
});
