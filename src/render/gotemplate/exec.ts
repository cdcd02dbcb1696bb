/**
 * The executor: walks a Tree with data, ported from Go's text/template/exec.go. Control flow
 * (if/with/range/template/break/continue) and variables live here; evaluating pipelines,
 * commands, fields and calls lives in exec-eval.ts. Failures are thrown as ExecFailure.
 */
import { ExecFailure, LoopControl } from './errors.js';
import { formatValue } from './fmt.js';
import {
  ActionNode, BranchNode, BreakNode, ContinueNode, ListNode, type Node, TemplateNode, TextNode, type Tree,
} from './node.js';
import { type FuncSpec, type GoValue, isGoMap, isNil, mapView, sortedKeys, truth } from './value.js';
import { evalPipeline } from './exec-eval.js';
import { quote } from './fmt-verbs.js';

/**
 * Nested {{template}} calls allowed. Go's maxExecDepth is 100000 (exec.go); a JavaScript stack
 * overflows long before that, so we stop far earlier with Go's message and our figure.
 */
export const MAX_EXEC_DEPTH = 1000;

export type MissingKey = 'default' | 'zero' | 'error';

/** What the executor needs from the template set. */
export interface ExecEnv {
  lookup(name: string): Tree | undefined;
  findFunc(name: string): { spec: FuncSpec; builtin: boolean } | undefined;
  readonly missingKey: MissingKey;
}

interface Variable {
  name: string;
  value: GoValue;
}

/** Go's state: the template being run, the output, the variable stack and the current node. */
export class ExecState {
  // Declared, not class fields: see the note on Node in node.ts (V8 in Node 20 defines class fields slowly).
  declare node: Node | null;
  declare vars: Variable[];
  declare readonly env: ExecEnv;
  declare readonly tree: Tree;
  declare readonly out: string[];
  declare readonly depth: number;

  constructor(env: ExecEnv, tree: Tree, out: string[], dot: GoValue, depth = 0) {
    this.node = null;
    this.env = env;
    this.tree = tree;
    this.out = out;
    this.depth = depth;
    this.vars = [{ name: '$', value: dot }];
  }

  at(node: Node): void {
    this.node = node;
  }

  /** Throws Go's located message: `template: LOC: executing "NAME" at <CTX>: MSG`. */
  errorf(msg: string, cause?: unknown): never {
    const name = this.tree.name;
    if (!this.node) throw new ExecFailure(`template: ${name}: ${msg}`, { template: name }, { cause });
    const { line, column } = location(this.tree.text, this.node.pos);
    const context = String(this.node);
    const loc = `${this.tree.parseName}:${line}:${column}`;
    throw new ExecFailure(`template: ${loc}: executing ${quote(name)} at <${context}>: ${msg}`, { template: name, line, column, context }, { cause });
  }

  push(name: string, value: GoValue): void {
    this.vars.push({ name, value });
  }

  /** Go's setVar: assigns to the innermost variable of that name. */
  setVar(name: string, value: GoValue): void {
    for (let i = this.vars.length - 1; i >= 0; i--) {
      if (this.vars[i].name === name) {
        this.vars[i].value = value;
        return;
      }
    }
    this.errorf(`undefined variable: ${name}`);
  }

  varValue(name: string): GoValue {
    for (let i = this.vars.length - 1; i >= 0; i--) if (this.vars[i].name === name) return this.vars[i].value;
    return this.errorf(`undefined variable: ${name}`);
  }

  walk(dot: GoValue, node: Node): void {
    this.at(node);
    if (node instanceof ActionNode) {
      const val = evalPipeline(this, dot, node.pipe);
      if (node.pipe.decl.length === 0) this.printValue(node, val);
    } else if (node instanceof ListNode) {
      for (const n of node.nodes) this.walk(dot, n);
    } else if (node instanceof TextNode) {
      this.out.push(node.text);
    } else if (node instanceof BranchNode) {
      if (node.kind === 'range') this.walkRange(dot, node);
      else this.walkIfOrWith(dot, node);
    } else if (node instanceof TemplateNode) {
      this.walkTemplate(dot, node);
    } else if (node instanceof BreakNode) {
      throw new LoopControl('break');
    } else if (node instanceof ContinueNode) {
      throw new LoopControl('continue');
    } else {
      this.errorf(`unknown node: ${node}`);
    }
  }

  /** Go prints an invalid (nil) value as `<no value>` (printableValue). */
  private printValue(node: Node, v: GoValue): void {
    this.at(node);
    this.out.push(isNil(v) ? '<no value>' : formatValue(v));
  }

  private walkIfOrWith(dot: GoValue, node: BranchNode): void {
    const mark = this.vars.length;
    try {
      const val = evalPipeline(this, dot, node.pipe);
      if (truth(val)) this.walk(node.kind === 'with' ? val : dot, node.list);
      else if (node.elseList) this.walk(dot, node.elseList);
    } finally {
      this.vars.length = mark;
    }
  }

  private walkRange(dot: GoValue, node: BranchNode): void {
    this.at(node);
    const outer = this.vars.length;
    try {
      const val = evalPipeline(this, dot, node.pipe);
      const mark = this.vars.length;
      const ran = this.rangeOver(val, node, (index, elem) => this.oneIteration(node, mark, index, elem));
      if (!ran && node.elseList) this.walk(dot, node.elseList);
    } catch (e) {
      if (!(e instanceof LoopControl && e.kind === 'break')) throw e;
    } finally {
      this.vars.length = outer;
    }
  }

  /** Calls `each` per element in Go's order; returns false when there was nothing to iterate. */
  private rangeOver(val: GoValue, node: BranchNode, each: (i: GoValue, e: GoValue) => void): boolean {
    if (isNil(val)) return false; // an invalid value, likely a nil map: not an error
    val = mapView(val) ?? val;
    if (Array.isArray(val) || val instanceof Uint8Array) {
      val.forEach((e: GoValue | number, i: number) => each(BigInt(i), typeof e === 'number' && val instanceof Uint8Array ? BigInt(e) : (e as GoValue)));
      return val.length > 0;
    }
    if (isGoMap(val)) {
      const keys = sortedKeys(val);
      for (const k of keys) each(k, val[k] ?? null);
      return keys.length > 0;
    }
    if (typeof val === 'bigint') {
      if (node.pipe.decl.length > 1) this.errorf(`can't use ${formatValue(val)} to iterate over more than one variable`);
      for (let i = 0n; i < val; i++) each(i, i);
      return val > 0n;
    }
    return this.errorf(`range can't iterate over ${formatValue(val)}`);
  }

  private oneIteration(node: BranchNode, mark: number, index: GoValue, elem: GoValue): void {
    const decl = node.pipe.decl;
    if (decl.length > 0) {
      if (node.pipe.isAssign) this.setVar(decl[0].ident[0], decl.length > 1 ? index : elem);
      else this.vars[mark - 1].value = elem;
    }
    if (decl.length > 1) {
      if (node.pipe.isAssign) this.setVar(decl[1].ident[0], elem);
      else this.vars[mark - 2].value = index;
    }
    try {
      this.walk(elem, node.list);
    } catch (e) {
      if (!(e instanceof LoopControl && e.kind === 'continue')) throw e;
    } finally {
      this.vars.length = mark;
    }
  }

  private walkTemplate(dot: GoValue, node: TemplateNode): void {
    this.at(node);
    const tree = this.env.lookup(node.name);
    if (!tree) this.errorf(`template ${quote(node.name)} not defined`);
    if (this.depth >= MAX_EXEC_DEPTH) this.errorf(`exceeded maximum template depth (${MAX_EXEC_DEPTH})`);
    const newDot = node.pipe ? evalPipeline(this, dot, node.pipe) : null;
    // No dynamic scoping: template invocations inherit no variables.
    new ExecState(this.env, tree, this.out, newDot, this.depth + 1).walk(newDot, tree.root);
  }
}

/** Go's ErrorContext location: 1-based line and 0-based byte column of `pos` in `text`. */
export function location(text: string, pos: number): { line: number; column: number } {
  const before = text.slice(0, pos);
  const nl = before.lastIndexOf('\n');
  const line = 1 + (before.match(/\n/g)?.length ?? 0);
  const column = Buffer.byteLength(nl < 0 ? before : before.slice(nl + 1));
  return { line, column };
}
