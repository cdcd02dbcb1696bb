/**
 * The template pass, ported from Helm v3 pkg/engine/engine.go: every template of the chart and
 * its enabled subcharts is parsed into one set (deepest paths first, so top-level defines win),
 * then each non-partial template is executed with its chart's scope (`.Values` of the subchart,
 * `.Chart`, `.Files`, `.Template`), and `<no value>` is stripped from the output.
 */
import { type FuncSpec, type GoMap, type GoValue } from '../gotemplate/value.js';
import { isStackOverflow } from '../gotemplate/errors.js';
import { ExecGuard, LimitExceeded, TemplateError, TemplateSet } from '../gotemplate/template.js';
import { type Chart, chartFullPath, text } from './chart.js';
import { table } from './coalesce.js';
import { DigestCache, digestOf } from './digest-cache.js';
import { RenderError } from './errors.js';
import { GENERATING_FUNCS, type GeneratedLedger } from './generated.js';
import { bindTemplateFuncs, HelmFuncError, helmFuncs, type LookupFn, type RenderRun } from './funcs.js';
import { defaultRenderLimits, type RenderLimits } from './limits.js';
import { ChartObject, Files } from './objects.js';
import { errorText } from '../../common/error-text.js';

interface Renderable {
  tpl: string;
  vals: GoMap;
  basePath: string;
}

/** recAllTpls: collects templates with the values scope each one renders with. */
function collect(c: Chart, out: Map<string, Renderable>, parentVals: GoMap, isRoot: boolean): GoMap {
  const subcharts: GoMap = {};
  const next: GoMap = {
    Chart: new ChartObject(c, isRoot),
    Files: new Files(c.files),
    Release: parentVals.Release,
    Capabilities: parentVals.Capabilities,
    Values: {},
    Subcharts: subcharts,
  };
  if (isRoot) next.Values = parentVals.Values;
  else {
    const vs = table(parentVals as GoMap, `Values.${c.metadata.name}`);
    if (vs) next.Values = vs;
  }
  for (const child of c.dependencies) subcharts[child.metadata.name] = collect(child, out, next, false);
  const id = chartFullPath(c);
  const library = c.metadata.type === 'library';
  for (const t of c.templates) {
    if (library && !basename(t.name).startsWith('_')) continue;
    out.set(`${id}/${t.name}`, { tpl: text(t.data), vals: next, basePath: `${id}/templates` });
  }
  return next;
}

function basename(p: string): string {
  return p.slice(p.lastIndexOf('/') + 1);
}

/** sortTemplates: more path elements first, then reverse lexical order. */
function sortTemplates(names: string[]): string[] {
  const depth = new Map(names.map((n) => [n, n.split('/').length]));
  return [...names].sort((a, b) => {
    const d = (depth.get(b) as number) - (depth.get(a) as number);
    if (d !== 0) return d;
    return a < b ? 1 : a > b ? -1 : 0;
  });
}

/** What one render plugs into a cached set: the lookup answer and the generated-values ledger. */
interface RenderHooks {
  lookup?: LookupFn;
  generated?: GeneratedLedger;
}

/**
 * Parsed template sets keyed by the digest of their names and sources. Re-rendering a chart
 * (another environment, new values, the next reconcile) then skips lexing and parsing. A set is
 * only changed by `tpl` (it parses into "gotpl"; templates with defines go to a clone), and
 * renders are synchronous, so one cached set serves every render of the same sources. The
 * capacity holds a few hundred charts, more than a controller's applications or the corpus bench.
 */
interface CachedSet {
  set: TemplateSet;
  hooks: RenderHooks;
  /** The render running on the set now (renders are synchronous: one at a time). */
  run: RenderRun;
}
export const TEMPLATE_SET_CACHE = new DigestCache<CachedSet>(512);

/** Functions slow enough (key generation, password hashing) that a loop of them must not wait CHECK_EVERY steps for the deadline. */
const SLOW_FUNCS = ['genPrivateKey', 'genCA', 'genCAWithKey', 'genSelfSignedCert', 'genSelfSignedCertWithKey', 'genSignedCert', 'genSignedCertWithKey', 'bcrypt', 'htpasswd', 'derivePassword'];

function parseSet(keys: string[], tpls: Map<string, Renderable>): CachedSet {
  const hooks: RenderHooks = {};
  const funcs = helmFuncs((...a) => (hooks.lookup ? hooks.lookup(...a) : {}));
  for (const name of GENERATING_FUNCS) {
    const spec = funcs.get(name) as FuncSpec;
    funcs.set(name, { ...spec, fn: (...args) => (hooks.generated ? hooks.generated.call(name, spec.fn, args) : spec.fn(...args)) });
  }
  const run: RenderRun = { guard: new ExecGuard() };
  // A call of these takes milliseconds to seconds: the clock is read after each, not CHECK_EVERY steps on.
  for (const name of SLOW_FUNCS) {
    const spec = funcs.get(name);
    if (!spec) continue;
    funcs.set(name, {
      ...spec,
      fn: (...args) => {
        const out = spec.fn(...args);
        const late = run.guard.late();
        if (late) throw new LimitExceeded(late);
        return out;
      },
    });
  }
  const set = new TemplateSet({ funcs, missingKey: 'zero' });
  bindTemplateFuncs(set, run);
  for (const name of keys) {
    try {
      set.parse(name, (tpls.get(name) as Renderable).tpl);
    } catch (e) {
      throw wrap(e, name, 'parse error');
    }
  }
  return { set, hooks, run };
}

function templateSet(keys: string[], tpls: Map<string, Renderable>, hooks: RenderHooks, guard: ExecGuard): TemplateSet {
  const digest = digestOf(keys.flatMap((k) => [k, (tpls.get(k) as Renderable).tpl]));
  const entry = TEMPLATE_SET_CACHE.get(digest, () => parseSet(keys, tpls));
  entry.hooks.lookup = hooks.lookup;
  entry.hooks.generated = hooks.generated;
  entry.run.guard = guard;
  return entry.set;
}

/**
 * Renders every template; returns file name → output (partials omitted). One guard bounds the
 * whole pass: nesting depth, output written (include/tpl text included) and a deadline read on
 * `clock` inside the executor, so an endless loop stops in the template that loops.
 */
export function renderTemplates(chart: Chart, top: GoMap, hooks: RenderHooks, limits: RenderLimits = defaultRenderLimits(), clock: () => number = Date.now): Map<string, string> {
  const tpls = new Map<string, Renderable>();
  collect(chart, tpls, top, true);
  const keys = sortTemplates([...tpls.keys()]);
  const guard = new ExecGuard({ maxDepth: limits.maxNestingDepth, maxOutputBytes: limits.maxOutputBytes, deadline: clock() + limits.maxRenderMs, now: clock });
  const set = templateSet(keys, tpls, hooks, guard);
  const rendered = new Map<string, string>();
  for (const name of keys) {
    if (basename(name).startsWith('_')) continue;
    const r = tpls.get(name) as Renderable;
    r.vals.Template = { Name: name, BasePath: r.basePath };
    if (hooks.generated) hooks.generated.template = name;
    let out: string;
    try {
      out = set.execute(name, r.vals as GoValue, guard);
    } catch (e) {
      throw wrap(e, name, 'execution error');
    }
    rendered.set(name, out.replaceAll('<no value>', ''));
  }
  return rendered;
}

function wrap(e: unknown, name: string, what: string): RenderError {
  if (e instanceof TemplateError) {
    // Control structures nested past the stack fail to parse (EPARSE, caused by the overflow): a limit too.
    const code = e.code === 'ELIMIT' || isStackOverflow(e.cause) ? 'ELIMIT' : 'ETEMPLATE';
    // Where it happened: the innermost located failure of a chain of include/tpl calls.
    const at = innermost(e);
    return new RenderError(code, e.message, { file: at.file ?? at.template ?? name, line: at.line, column: at.column }, { cause: e });
  }
  if (e instanceof HelmFuncError || e instanceof RangeError) return new RenderError('ETEMPLATE', `${name}: ${what}: ${e.message}`, { file: name }, { cause: e });
  if (e instanceof RenderError) return e;
  throw e;
}

/** The deepest TemplateError in `e`'s cause chain that knows its line (the include that failed, not its caller). */
function innermost(e: TemplateError): TemplateError['data'] {
  let best = e.data;
  for (let c: unknown = e.cause; c instanceof Error; c = c.cause) {
    const data = (c as { data?: TemplateError['data'] }).data;
    if (data && typeof data === 'object' && data.line !== undefined) best = data;
  }
  return best;
}
