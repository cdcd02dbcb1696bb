/**
 * Helm's template functions (pkg/engine/funcs.go and engine.go) layered over Sprig: toYaml,
 * fromYaml, toJson, fromJson, toToml, required, fail (Sprig's), include and tpl (bound to the
 * template set being executed, with Helm's recursion guard), and lookup (a pluggable hook that
 * returns an empty map when rendering offline, as `helm template` does).
 */
import { defineFunc, type FuncMap, type GoMap, type GoValue, isNil } from '../gotemplate/value.js';
import { type ExecGuard, LimitExceeded, type TemplateSet } from '../gotemplate/template.js';
import { marshalJson } from '../sprig/json.js';
import { sprigFuncs } from '../sprig/index.js';
import { toYaml } from './to-yaml.js';
import { decodeYaml } from './yaml-decode.js';
import { jsonToGo } from './strvals.js';
import { smolToml } from '../packages.js';
import { errorText } from '../../common/error-text.js';

/** Answers `lookup apiVersion kind namespace name`; name "" lists (returns a List-shaped map). */
export type LookupFn = (apiVersion: string, kind: string, namespace: string, name: string) => GoMap;

export class HelmFuncError extends Error {}

const SPRIG = sprigFuncs();

/** Helm's function map without include/tpl (which need the template set). */
export function helmFuncs(lookup?: LookupFn): FuncMap {
  const m: FuncMap = new Map(SPRIG);
  m.delete('env');
  m.delete('expandenv');
  defineFunc(m, 'toYaml', 1, (v) => {
    try {
      return toYaml(v).replace(/\n$/, '');
    } catch {
      return ''; // Helm swallows marshal errors in toYaml
    }
  });
  defineFunc(m, 'mustToYaml', 1, (v) => toYaml(v).replace(/\n$/, ''));
  defineFunc(m, 'toYamlPretty', 1, (v) => toYaml(v).replace(/\n$/, ''));
  defineFunc(m, 'fromYaml', 1, (s) => fromYaml(String(s ?? '')));
  defineFunc(m, 'fromYamlArray', 1, (s) => fromYamlArray(String(s ?? '')));
  defineFunc(m, 'toJson', 1, (v) => {
    try {
      return marshalJson(v, { escapeHTML: true });
    } catch {
      return '';
    }
  });
  defineFunc(m, 'mustToJson', 1, (v) => marshalJson(v, { escapeHTML: true }));
  defineFunc(m, 'fromJson', 1, (s) => fromJson(String(s ?? ''), false));
  defineFunc(m, 'fromJsonArray', 1, (s) => fromJson(String(s ?? ''), true));
  defineFunc(m, 'toToml', 1, (v) => {
    try {
      return smolToml().stringify(toPlain(v) as Record<string, unknown>);
    } catch (e) {
      return errorText(e);
    }
  });
  defineFunc(m, 'required', 2, (warn, val) => {
    if (isNil(val) || val === '') throw new HelmFuncError(String(warn));
    return val;
  });
  defineFunc(m, 'fail', 1, (msg) => {
    throw new HelmFuncError(String(msg));
  });
  defineFunc(m, 'lookup', 4, (a, k, ns, n) => (lookup ? lookup(String(a), String(k), String(ns), String(n)) : {}));
  return m;
}

function fromYaml(s: string): GoMap {
  try {
    const v = decodeYaml(s);
    if (v === null) return {};
    if (typeof v !== 'object' || Array.isArray(v)) return { Error: `error unmarshaling JSON: while decoding JSON: json: cannot unmarshal ${Array.isArray(v) ? 'array' : typeof v === 'string' ? 'string' : typeof v} into Go value of type map[string]interface {}` };
    return v as GoMap;
  } catch (e) {
    return { Error: errorText(e) };
  }
}

function fromYamlArray(s: string): GoValue[] {
  try {
    const v = decodeYaml(s);
    if (v === null) return [];
    if (!Array.isArray(v)) return [`error unmarshaling JSON: while decoding JSON: json: cannot unmarshal object into Go value of type []interface {}`];
    return v;
  } catch (e) {
    return [errorText(e)];
  }
}

function fromJson(s: string, array: boolean): GoValue {
  try {
    const v = jsonToGo(JSON.parse(s));
    if (array) return Array.isArray(v) ? v : [`json: cannot unmarshal object into Go value of type []interface {}`];
    if (v === null) return {};
    if (typeof v !== 'object' || Array.isArray(v)) return { Error: `json: cannot unmarshal ${Array.isArray(v) ? 'array' : typeof v} into Go value of type map[string]interface {}` };
    return v;
  } catch (e) {
    return array ? [errorText(e)] : { Error: errorText(e) };
  }
}

function toPlain(v: GoValue): unknown {
  return JSON.parse(marshalJson(v, { escapeHTML: false }));
}

/** What include and tpl need from the render running them; the bound functions read it at call time. */
export interface RenderRun {
  /** The running execution's bounds: nested executions count against its depth, deadline and output. */
  guard: ExecGuard;
}

/**
 * Binds include and tpl to `set` (Helm's includeFun/tplFun). Both nest an execution in the
 * running one, counted by `run.guard` against the render's maxNestingDepth.
 *
 * Helm v3 (pkg/engine/engine.go, initFunMap) counts per template name in `includedNames` and
 * refuses past `recursionMaxNums = 1000` with "rendering template has a nested reference name:
 * NAME: unable to execute template"; Go's goroutine stacks grow to 1 GB, so 1000 always fits
 * there. Here every level of nesting costs JavaScript stack, which is fixed, so the counter is
 * the total nesting (any names, tpl included) and its default is lower (see limits.ts). The
 * message stays Helm's, so the error reads the same.
 */
export function bindTemplateFuncs(set: TemplateSet, run: RenderRun): void {
  const m: FuncMap = new Map();
  defineFunc(m, 'include', 2, (name, data) => {
    const n = String(name);
    if (run.guard.full()) throw new LimitExceeded(`rendering template has a nested reference name: ${n}: unable to execute template`);
    return set.execute(n, data ?? null, run.guard);
  });
  defineFunc(m, 'tpl', 2, (text, vals) => {
    const src = String(text ?? '');
    if (run.guard.full()) throw new LimitExceeded(`rendering template has a nested reference name: gotpl: unable to execute template`);
    // A define inside tpl must not leak into the chart's set: parse into a clone then (as Helm
    // always does). Without defines, parsing into the set under Helm's name "gotpl" is equivalent.
    const target = /\{\{-?\s*(define|block)\b/.test(src) ? set.clone() : set;
    if (target !== set) bindTemplateFuncs(target, run);
    target.parse('gotpl', src);
    return target.execute('gotpl', vals ?? null, run.guard).replaceAll('<no value>', '');
  });
  set.addFuncs(m);
}
