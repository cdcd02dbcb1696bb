/**
 * The executor: walks a Tree with data, ported from Go's text/template/exec.go. Control flow
 * (if/with/range/template/break/continue) and variables live here; evaluating pipelines,
 * commands, fields and calls lives in exec-eval.ts. Failures are thrown as ExecFailure.
 */
import { ExecFailure, LoopControl } from './errors.js';
import { ExecGuard } from './guard.js';
import { formatValue } from './fmt.js';
import {
  ActionNode, BranchNode, BreakNode, ContinueNode, ListNode, type Node, TemplateNode, TextNode, type Tree,
} from './node.js';
import { type GoValue, isGoMap, isNil, mapView, sortedKeys, truth } from './value.js';
import { evalPipeline } from './exec-eval.js';
import type { EvalState, ExecEnv } from './exec-env.js';
import { quote } from './fmt-verbs.js';

export { MAX_EXEC_DEPTH } from './guard.js';
export type { ExecEnv, MissingKey } from './exec-env.js';

interface Variable {
  name: string;
  value: GoValue;
}

/** Go's state: the template being run, the output, the variable stack and the current node. */
export class ExecState implements EvalState {
  // Declared, not class fields: see the note on Node in node.ts (V8 in Node 20 defines class fields slowly).
  declare node: Node | null;
  declare vars: Variable[];
  declare readonly env: ExecEnv;
  declare readonly tree: Tree;
  declare readonly out: string[];
  /** Depth, deadline and output bounds, shared with every execution nested in this one. */
  declare readonly guard: ExecGuard;

  constructor(env: ExecEnv, tree: Tree, out: string[], dot: GoValue, guard: ExecGuard) {
    this.node = null;
    this.env = env;
    this.tree = tree;
    this.out = out;
    this.guard = guard;
    this.vars = [{ name: '$', value: dot }];
  }

  at(node: Node): void {
    this.node = node;
  }

  /** Throws Go's located message: `template: LOC: executing "NAME" at <CTX>: MSG`; `limit` marks a reached bound (ELIMIT). */
  errorf(msg: string, cause?: unknown, limit = false): never {
    const name = this.tree.name;
    const file = this.tree.parseName;
    if (!this.node) throw new ExecFailure(`template: ${name}: ${msg}`, { template: name, file }, { cause }, limit);
    const { line, column } = location(this.tree.text, this.node.pos);
    const context = String(this.node);
    const loc = `${file}:${line}:${column}`;
    throw new ExecFailure(`template: ${loc}: executing ${quote(name)} at <${context}>: ${msg}`, { template: name, file, line, column, context }, { cause }, limit);
  }

  /** Writes text, counted against the output bound. */
  write(text: string): void {
    const over = this.guard.wrote(text.length);
    if (over) this.errorf(over, undefined, true);
    this.out.push(text);
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
    const late = this.guard.step();
    if (late) this.errorf(late, undefined, true);
    if (node instanceof ActionNode) {
      const val = evalPipeline(this, dot, node.pipe);
      if (node.pipe.decl.length === 0) this.printValue(node, val);
    } else if (node instanceof ListNode) {
      for (const n of node.nodes) this.walk(dot, n);
    } else if (node instanceof TextNode) {
      this.write(node.text);
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
    this.write(isNil(v) ? '<no value>' : formatValue(v));
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
    if (this.guard.full()) this.errorf(`exceeded maximum template depth (${this.guard.limits.maxDepth})`, undefined, true);
    const newDot = node.pipe ? evalPipeline(this, dot, node.pipe) : null;
    // No dynamic scoping: template invocations inherit no variables.
    this.guard.active++;
    try {
      new ExecState(this.env, tree, this.out, newDot, this.guard).walk(newDot, tree.root);
    } finally {
      this.guard.active--;
    }
  }
}

/** Go's ErrorContext location: 1-based line and 0-based byte column of `pos` in `text`. */
export function location(text: string, pos: number): { line: number; column: number } {
  const before = text.slice(0, pos);
  const nl = before.lastIndexOf('\n');
  // Counted without a regular expression: this runs for errors raised with the stack nearly used up.
  let line = 1;
  for (let i = before.indexOf('\n'); i >= 0; i = before.indexOf('\n', i + 1)) line++;
  const column = Buffer.byteLength(nl < 0 ? before : before.slice(nl + 1));
  return { line, column };
}
