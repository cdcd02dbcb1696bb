/**
 * The user-supplied values of one render, merged like Helm's pkg/cli/values Options.MergeValues:
 * `-f` files left to right, then --set-json, --set, --set-string and --set-file, each parsed
 * with pkg/strvals into the same map.
 */
import type { GoMap } from '../gotemplate/value.js';
import { mergeMaps } from './coalesce.js';
import { RenderError } from './errors.js';
import { checkValuesFile, checkValuesTotal, defaultRenderLimits, type RenderLimits } from './limits.js';
import { parseSet, parseSetFile, parseSetJson, parseSetString, StrvalsError } from './strvals.js';
import { decodeValuesFile } from './yaml-decode.js';

export interface ValuesInput {
  valuesFiles?: { name: string; content: string }[];
  set?: string[];
  setString?: string[];
  setJson?: string[];
  setFile?: { key: string; content: string }[];
}

/** The merged values; every file is checked against the size limits before any is parsed. */
export function userValues(input: ValuesInput, limits: RenderLimits = defaultRenderLimits()): GoMap {
  const sizes = (input.valuesFiles ?? []).map((f) => ({ name: f.name, bytes: Buffer.byteLength(f.content) }));
  for (const f of sizes) checkValuesFile(f.name, f.bytes, limits);
  checkValuesTotal(sizes, limits);
  let base: GoMap = {};
  for (const f of input.valuesFiles ?? []) base = mergeMaps(base, decodeValuesFile(f.name, f.content));
  apply(input.setJson, 'set-json', (s) => parseSetJson(s, base));
  apply(input.set, 'set', (s) => parseSet(s, base));
  apply(input.setString, 'set-string', (s) => parseSetString(s, base));
  for (const f of input.setFile ?? []) {
    const key = f.key.replace(/[\\=,]/g, (c) => '\\' + c);
    guard('set-file', f.key, () => parseSetFile(`${key}=-`, base, () => f.content));
  }
  return base;
}

function apply(list: string[] | undefined, flag: string, fn: (s: string) => void): void {
  for (const s of list ?? []) guard(flag, s, () => fn(s));
}

function guard(flag: string, s: string, fn: () => void): void {
  try {
    fn();
  } catch (e) {
    if (e instanceof StrvalsError) throw new RenderError('EVALUES', `failed parsing --${flag} data: ${e.message}`, {}, { cause: e });
    throw e;
  }
}
