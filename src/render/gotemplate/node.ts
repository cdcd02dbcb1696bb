/**
 * The parse tree: one class per node kind of Go's text/template/parse/node.go. Every node carries
 * its position (offset and line), prints itself back as template text (toString) and deep-copies.
 */

import { quote } from './fmt-verbs.js';

export abstract class Node {
  constructor(readonly pos: number, readonly line: number) {}
  abstract toString(): string;
  abstract copy(): Node;
}

/** Nodes that can appear as a command argument or be evaluated to a value. */
export type ArgNode =
  | IdentifierNode | VariableNode | DotNode | NilNode | FieldNode | ChainNode | BoolNode
  | NumberNode | StringNode | PipeNode;

export class ListNode extends Node {
  constructor(pos: number, line: number, readonly nodes: Node[] = []) {
    super(pos, line);
  }
  override toString(): string {
    return this.nodes.map(String).join('');
  }
  override copy(): ListNode {
    return new ListNode(this.pos, this.line, this.nodes.map((n) => n.copy()));
  }
}

export class TextNode extends Node {
  constructor(pos: number, line: number, readonly text: string) {
    super(pos, line);
  }
  override toString(): string {
    return this.text;
  }
  override copy(): TextNode {
    return new TextNode(this.pos, this.line, this.text);
  }
}

export class VariableNode extends Node {
  /** ident[0] is the variable name with its `$`; the rest are field names. */
  constructor(pos: number, line: number, readonly ident: string[]) {
    super(pos, line);
  }
  override toString(): string {
    return this.ident.join('.');
  }
  override copy(): VariableNode {
    return new VariableNode(this.pos, this.line, [...this.ident]);
  }
}

export class PipeNode extends Node {
  constructor(
    pos: number,
    line: number,
    readonly decl: VariableNode[],
    readonly isAssign: boolean,
    readonly cmds: CommandNode[] = [],
  ) {
    super(pos, line);
  }
  override toString(): string {
    let s = '';
    if (this.decl.length > 0) s = this.decl.map(String).join(', ') + (this.isAssign ? ' = ' : ' := ');
    return s + this.cmds.map(String).join(' | ');
  }
  override copy(): PipeNode {
    return new PipeNode(this.pos, this.line, this.decl.map((d) => d.copy()), this.isAssign, this.cmds.map((c) => c.copy()));
  }
}

export class ActionNode extends Node {
  constructor(pos: number, line: number, readonly pipe: PipeNode) {
    super(pos, line);
  }
  override toString(): string {
    return `{{${this.pipe}}}`;
  }
  override copy(): ActionNode {
    return new ActionNode(this.pos, this.line, this.pipe.copy());
  }
}

export class CommandNode extends Node {
  constructor(pos: number, line: number, readonly args: ArgNode[] = []) {
    super(pos, line);
  }
  override toString(): string {
    return this.args.map((a) => (a instanceof PipeNode ? `(${a})` : String(a))).join(' ');
  }
  override copy(): CommandNode {
    return new CommandNode(this.pos, this.line, this.args.map((a) => a.copy() as ArgNode));
  }
}

export class IdentifierNode extends Node {
  constructor(pos: number, line: number, readonly ident: string) {
    super(pos, line);
  }
  override toString(): string {
    return this.ident;
  }
  override copy(): IdentifierNode {
    return new IdentifierNode(this.pos, this.line, this.ident);
  }
}

export class DotNode extends Node {
  override toString(): string {
    return '.';
  }
  override copy(): DotNode {
    return new DotNode(this.pos, this.line);
  }
}

export class NilNode extends Node {
  override toString(): string {
    return 'nil';
  }
  override copy(): NilNode {
    return new NilNode(this.pos, this.line);
  }
}

export class FieldNode extends Node {
  constructor(pos: number, line: number, readonly ident: string[]) {
    super(pos, line);
  }
  override toString(): string {
    return this.ident.map((i) => '.' + i).join('');
  }
  override copy(): FieldNode {
    return new FieldNode(this.pos, this.line, [...this.ident]);
  }
}

/** A term followed by field accesses, e.g. `(index .a 0).b`. */
export class ChainNode extends Node {
  constructor(pos: number, line: number, readonly node: ArgNode, readonly field: string[] = []) {
    super(pos, line);
  }
  override toString(): string {
    const base = this.node instanceof PipeNode ? `(${this.node})` : String(this.node);
    return base + this.field.map((f) => '.' + f).join('');
  }
  override copy(): ChainNode {
    return new ChainNode(this.pos, this.line, this.node.copy() as ArgNode, [...this.field]);
  }
}

export class BoolNode extends Node {
  constructor(pos: number, line: number, readonly value: boolean) {
    super(pos, line);
  }
  override toString(): string {
    return String(this.value);
  }
  override copy(): BoolNode {
    return new BoolNode(this.pos, this.line, this.value);
  }
}

/** A numeric constant: `int` when it is an integer, else `float`; `text` is the original spelling. */
export class NumberNode extends Node {
  constructor(
    pos: number,
    line: number,
    readonly text: string,
    readonly int: bigint | null,
    readonly float: number | null,
  ) {
    super(pos, line);
  }
  override toString(): string {
    return this.text;
  }
  override copy(): NumberNode {
    return new NumberNode(this.pos, this.line, this.text, this.int, this.float);
  }
}

export class StringNode extends Node {
  constructor(pos: number, line: number, readonly quoted: string, readonly text: string) {
    super(pos, line);
  }
  override toString(): string {
    return this.quoted;
  }
  override copy(): StringNode {
    return new StringNode(this.pos, this.line, this.quoted, this.text);
  }
}

export type BranchKind = 'if' | 'range' | 'with';

/** if, range and with: a pipeline, a list, and an optional else list. */
export class BranchNode extends Node {
  constructor(
    pos: number,
    line: number,
    readonly kind: BranchKind,
    readonly pipe: PipeNode,
    readonly list: ListNode,
    readonly elseList: ListNode | null,
  ) {
    super(pos, line);
  }
  override toString(): string {
    const elsePart = this.elseList ? `{{else}}${this.elseList}` : '';
    return `{{${this.kind} ${this.pipe}}}${this.list}${elsePart}{{end}}`;
  }
  override copy(): BranchNode {
    return new BranchNode(this.pos, this.line, this.kind, this.pipe.copy(), this.list.copy(), this.elseList?.copy() ?? null);
  }
}

export class TemplateNode extends Node {
  constructor(pos: number, line: number, readonly name: string, readonly pipe: PipeNode | null) {
    super(pos, line);
  }
  override toString(): string {
    const name = quote(this.name);
    return this.pipe ? `{{template ${name} ${this.pipe}}}` : `{{template ${name}}}`;
  }
  override copy(): TemplateNode {
    return new TemplateNode(this.pos, this.line, this.name, this.pipe?.copy() ?? null);
  }
}

export class BreakNode extends Node {
  override toString(): string {
    return '{{break}}';
  }
  override copy(): BreakNode {
    return new BreakNode(this.pos, this.line);
  }
}

export class ContinueNode extends Node {
  override toString(): string {
    return '{{continue}}';
  }
  override copy(): ContinueNode {
    return new ContinueNode(this.pos, this.line);
  }
}

/** One parsed template: its name, the name of the text it came from, its root and that text. */
export class Tree {
  constructor(
    readonly name: string,
    readonly parseName: string,
    readonly root: ListNode,
    readonly text: string,
  ) {}
  copy(): Tree {
    return new Tree(this.name, this.parseName, this.root.copy(), this.text);
  }
}
