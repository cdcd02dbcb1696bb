/**
 * The Sprig function library as Helm exposes it: sprig/v3 TxtFuncMap without `env` and
 * `expandenv` (renders must not read the controller's environment). One module per family;
 * this module only assembles them. Helm's own functions (toYaml, fromJson's Helm variant,
 * include, tpl, lookup, required…) are layered on top by the Helm renderer.
 */
import type { FuncMap } from '../gotemplate/value.js';
import { register as caseFuncs } from './case.js';
import { register as conversion } from './conversion.js';
import { register as crypto } from './crypto.js';
import { register as dates } from './dates.js';
import { register as defaults } from './defaults.js';
import { register as dicts } from './dicts.js';
import { register as encoding } from './encoding.js';
import { register as json } from './json.js';
import { register as lists } from './lists.js';
import { register as math } from './math.js';
import { register as network } from './network.js';
import { register as paths } from './paths.js';
import { register as random } from './random.js';
import { register as reflect } from './reflect.js';
import { register as regex } from './regex.js';
import { register as semver } from './semver.js';
import { register as strings } from './strings.js';
import { register as urls } from './urls.js';

const FAMILIES: ((m: FuncMap) => void)[] = [
  strings, caseFuncs, random, conversion, lists, dicts, defaults, json, math, regex,
  semver, dates, encoding, crypto, network, reflect, paths, urls,
];

/** A fresh map of every Sprig function (callers may add or override entries). */
export function sprigFuncs(): FuncMap {
  const m: FuncMap = new Map();
  for (const register of FAMILIES) register(m);
  // Sprig's "hello" is a demo function, but it is in TxtFuncMap, so Helm charts can call it.
  m.set('hello', { fn: () => 'Hello!', params: 0 });
  return m;
}
