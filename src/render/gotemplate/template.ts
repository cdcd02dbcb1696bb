/**
 * The public API of the Go text/template port: a TemplateSet holds named trees and functions,
 * like Go's *template.Template with its associated templates (text/template/template.go).
 * Internal failures are caught here, once, and rethrown as TemplateError.
 */
import { builtinFuncs } from './builtins.js';
import { ExecFailure, ParseFailure, TemplateError, isStackOverflow } from './errors.js';
import { type ExecEnv, ExecState, type MissingKey } from './exec.js';
import { ExecGuard } from './guard.js';
import { Tree } from './node.js';
import { isEmptyTree, parse } from './parser.js';
import { type FuncMap, type FuncSpec, type GoValue } from './value.js';
import { errorText } from '../../common/error-text.js';

export { TemplateError } from './errors.js';
export { CHECK_EVERY, defaultExecLimits, ExecGuard, type ExecLimits, MAX_EXEC_DEPTH } from './guard.js';
export { LimitExceeded } from './errors.js';
export { MAX_PARSE_DEPTH } from './parse-pipeline.js';

export interface TemplateOptions {
  /** Functions added to the builtins; a name here overrides a builtin, as in Go's Funcs. */
  funcs?: FuncMap;
  /** Go's missingkey option: what a missing map key yields. Helm uses 'zero'. */
  missingKey?: 'default' | 'zero' | 'error';
}

const BUILTINS = builtinFuncs();

/** Texts whose parse a set remembers (Helm's `tpl` parses the same few strings over and over). */
const PARSED_TEXTS_MAX = 4096;

/**
 * Parse trees shared by every set, by the functions known at parse time and the text, with the
 * top tree under a placeholder name: charts carry the same files (Bitnami's `common` library in
 * each of its charts), and a set re-labels the shared roots with its own file name. Parse trees
 * are never changed once built, so sharing them is safe. Least recently used beyond the count.
 */
const SHARED_PARSES = new Map<string, Map<string, Tree>>();
const SHARED_PARSES_MAX = 8192;
const TOP = '\0top';
/** Forgets the shared parse trees (benchmarks measuring a cold start; tests). */
export function clearSharedParses(): void {
  SHARED_PARSES.clear();
}
/** Short ids for the sets of function names seen (Helm's is one set). */
const FUNC_NAME_SETS = new Map<string, string>();

export class TemplateSet {
  private readonly trees = new Map<string, Tree>();
  private readonly funcs: FuncMap = new Map();
  private readonly missingKey: MissingKey;
  /**
   * Successful parses by name and text. Trees are never changed once parsed, and functions are
   * only ever added to a set, so a text that parsed once parses again to the same trees.
   */
  private parsedTexts = new Map<string, Map<string, Tree>>();
  /** Id of this set's function names, for SHARED_PARSES keys; reset when functions are added. */
  private funcNamesKey?: string;

  constructor(options: TemplateOptions = {}) {
    this.missingKey = options.missingKey ?? 'default';
    if (options.funcs) this.addFuncs(options.funcs);
  }

  /** Parses `text` as template `name`, adding it and every {{define}} in it to the set. Later definitions replace earlier ones (like Go AddParseTree). Throws TemplateError. */
  parse(name: string, text: string): void {
    const key = `${name}\0${text}`;
    let parsed = this.parsedTexts.get(key);
    if (!parsed) {
      parsed = this.parseText(name, text);
      if (this.parsedTexts.size >= PARSED_TEXTS_MAX) this.parsedTexts.delete(this.parsedTexts.keys().next().value as string);
      this.parsedTexts.set(key, parsed);
    }
    for (const [n, tree] of parsed) {
      // Go's associate: an empty redefinition does not replace a non-empty template.
      const prev = this.trees.get(n);
      if (prev && n !== name && isEmptyTree(tree.root) && !isEmptyTree(prev.root)) continue;
      this.trees.set(n, tree);
    }
  }

  private parseText(name: string, text: string): Map<string, Tree> {
    const key = `${this.funcNames()}\0${text}`;
    let shared = SHARED_PARSES.get(key);
    if (shared) {
      SHARED_PARSES.delete(key); // re-insert as most recently used
    } else {
      // Parsed under the placeholder; a failure is parsed again below under its own name for the message.
      shared = this.parseNamed(TOP, text, true);
      if (SHARED_PARSES.size >= SHARED_PARSES_MAX) SHARED_PARSES.delete(SHARED_PARSES.keys().next().value as string);
    }
    if (!shared) return this.parseNamed(name, text, false) as Map<string, Tree>;
    SHARED_PARSES.set(key, shared);
    // A {{define}} named like the file itself clashes with the top tree (Go's "multiple definition"):
    // the placeholder hid that, so such a text is parsed under its own name.
    if (shared.has(name)) return this.parseNamed(name, text, false) as Map<string, Tree>;
    const out = new Map<string, Tree>();
    for (const [n, t] of shared) out.set(n === TOP ? name : n, new Tree(n === TOP ? name : n, name, t.root, text));
    return out;
  }

  /** Parses; with `quiet`, a text that does not parse gives undefined instead of an error. */
  private parseNamed(name: string, text: string, quiet: boolean): Map<string, Tree> | undefined {
    try {
      return parse(name, text, (f) => this.funcs.has(f) || BUILTINS.has(f));
    } catch (e) {
      if (quiet && (e instanceof ParseFailure || isStackOverflow(e))) return undefined;
      if (e instanceof ParseFailure) throw new TemplateError('EPARSE', e.message, { template: e.template, line: e.line }, { cause: e });
      // Control structures nested thousands deep exhaust the JavaScript stack (Go has no limit there).
      if (isStackOverflow(e)) throw new TemplateError('EPARSE', `template: ${name}: ${errorText(e)} (nesting too deep)`, { template: name }, { cause: e });
      throw e;
    }
  }

  has(name: string): boolean {
    return this.trees.has(name);
  }

  names(): string[] {
    return [...this.trees.keys()];
  }

  /**
   * Executes template `name` with `data` as dot and `$`. Re-entrant: functions such as Helm's
   * include call execute() on the same set while it runs, passing the running execution's
   * `guard` so the nested one counts against the same depth, deadline and output bounds.
   * Throws TemplateError (code ELIMIT when a bound was reached).
   */
  execute(name: string, data: GoValue, guard?: ExecGuard): string {
    const tree = this.trees.get(name);
    if (!tree) {
      throw new TemplateError('EEXEC', `template: no template ${JSON.stringify(name)} associated with template ${JSON.stringify(name)}`, { template: name });
    }
    const g = guard ?? new ExecGuard();
    if (g.active > 0 && g.full()) throw new TemplateError('ELIMIT', `template: ${name}: exceeded maximum template depth (${g.limits.maxDepth})`, { template: name });
    const out: string[] = [];
    g.active++;
    try {
      new ExecState(this.env(), tree, out, data ?? null, g).walk(data ?? null, tree.root);
    } catch (e) {
      if (e instanceof ExecFailure) throw new TemplateError(e.limit ? 'ELIMIT' : 'EEXEC', e.message, e.data, { cause: e.cause ?? e });
      // The depth bound is meant to stop first; a stack smaller than it assumes still ends in ELIMIT, not a crash.
      if (isStackOverflow(e)) {
        throw new TemplateError('ELIMIT', `template: ${name}: ${errorText(e)} (template nesting too deep for the JavaScript stack)`, { template: name }, { cause: e });
      }
      throw e;
    } finally {
      g.active--;
    }
    return out.join('');
  }

  /**
   * A copy for Helm's `tpl`, which parses into a clone. As Go's Clone, the parse trees are shared
   * (nothing changes a tree after parsing); the name → tree table is the clone's own.
   */
  clone(): TemplateSet {
    const c = new TemplateSet({ funcs: this.funcs, missingKey: this.missingKey });
    for (const [n, t] of this.trees) c.trees.set(n, t);
    c.parsedTexts = this.parsedTexts;
    return c;
  }

  addFuncs(funcs: FuncMap): void {
    for (const [n, spec] of funcs) this.funcs.set(n, spec);
    this.funcNamesKey = undefined;
  }

  /** Whether a name is a function decides how a text parses: the shared parses are kept per name set. */
  private funcNames(): string {
    if (this.funcNamesKey === undefined) {
      const names = [...this.funcs.keys()].sort().join(',');
      let id = FUNC_NAME_SETS.get(names);
      if (id === undefined) FUNC_NAME_SETS.set(names, (id = String(FUNC_NAME_SETS.size)));
      this.funcNamesKey = id;
    }
    return this.funcNamesKey;
  }

  private env(): ExecEnv {
    return {
      lookup: (n) => this.trees.get(n),
      findFunc: (n): { spec: FuncSpec; builtin: boolean } | undefined => {
        const user = this.funcs.get(n);
        if (user) return { spec: user, builtin: false };
        const b = BUILTINS.get(n);
        return b ? { spec: b, builtin: true } : undefined;
      },
      missingKey: this.missingKey,
    };
  }
}
