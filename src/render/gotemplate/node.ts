/**
 * The parse tree: one class per node kind of Go's text/template/parse/node.go. Every node carries
 * its position (offset and line), prints itself back as template text (toString) and deep-copies.
 */

import { quote } from './fmt-verbs.js';

/*
 * Fields are `declare`d and assigned in constructors rather than written as class fields or
 * parameter properties: with target ES2022 those compile to [[Define]] class fields, which
 * Node 20's V8 initialises about ten times slower than plain assignments, and parsing a chart
 * creates tens of thousands of nodes.
 */
export abstract class Node {
  declare readonly pos: number;
  declare readonly line: number;
  constructor(pos: number, line: number) {
    this.pos = pos;
    this.line = line;
  }
  abstract toString(): string;
  abstract copy(): Node;
}

/** Nodes that can appear as a command argument or be evaluated to a value. */
export type ArgNode =
  | IdentifierNode | VariableNode | DotNode | NilNode | FieldNode | ChainNode | BoolNode
  | NumberNode | StringNode | PipeNode;

export class ListNode extends Node {
  declare readonly nodes: Node[];
  constructor(pos: number, line: number, nodes: Node[] = []) {
    super(pos, line);
    this.nodes = nodes;
  }
  override toString(): string {
    return this.nodes.map(String).join('');
  }
  override copy(): ListNode {
    return new ListNode(this.pos, this.line, this.nodes.map((n) => n.copy()));
  }
}

export class TextNode extends Node {
  declare readonly text: string;
  constructor(pos: number, line: number, text: string) {
    super(pos, line);
    this.text = text;
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
  declare readonly ident: string[];
  constructor(pos: number, line: number, ident: string[]) {
    super(pos, line);
    this.ident = ident;
  }
  override toString(): string {
    return this.ident.join('.');
  }
  override copy(): VariableNode {
    return new VariableNode(this.pos, this.line, [...this.ident]);
  }
}

export class PipeNode extends Node {
  declare readonly decl: VariableNode[];
  declare readonly isAssign: boolean;
  declare readonly cmds: CommandNode[];
  constructor(
    pos: number,
    line: number,
    decl: VariableNode[],
    isAssign: boolean,
    cmds: CommandNode[] = [],
  ) {
    super(pos, line);
    this.decl = decl;
    this.isAssign = isAssign;
    this.cmds = cmds;
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
  declare readonly pipe: PipeNode;
  constructor(pos: number, line: number, pipe: PipeNode) {
    super(pos, line);
    this.pipe = pipe;
  }
  override toString(): string {
    return `{{${this.pipe}}}`;
  }
  override copy(): ActionNode {
    return new ActionNode(this.pos, this.line, this.pipe.copy());
  }
}

export class CommandNode extends Node {
  declare readonly args: ArgNode[];
  constructor(pos: number, line: number, args: ArgNode[] = []) {
    super(pos, line);
    this.args = args;
  }
  override toString(): string {
    return this.args.map((a) => (a instanceof PipeNode ? `(${a})` : String(a))).join(' ');
  }
  override copy(): CommandNode {
    return new CommandNode(this.pos, this.line, this.args.map((a) => a.copy() as ArgNode));
  }
}

export class IdentifierNode extends Node {
  declare readonly ident: string;
  constructor(pos: number, line: number, ident: string) {
    super(pos, line);
    this.ident = ident;
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
  declare readonly ident: string[];
  constructor(pos: number, line: number, ident: string[]) {
    super(pos, line);
    this.ident = ident;
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
  declare readonly node: ArgNode;
  declare readonly field: string[];
  constructor(pos: number, line: number, node: ArgNode, field: string[] = []) {
    super(pos, line);
    this.node = node;
    this.field = field;
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
  declare readonly value: boolean;
  constructor(pos: number, line: number, value: boolean) {
    super(pos, line);
    this.value = value;
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
  declare readonly text: string;
  declare readonly int: bigint | null;
  declare readonly float: number | null;
  constructor(
    pos: number,
    line: number,
    text: string,
    int: bigint | null,
    float: number | null,
  ) {
    super(pos, line);
    this.text = text;
    this.int = int;
    this.float = float;
  }
  override toString(): string {
    return this.text;
  }
  override copy(): NumberNode {
    return new NumberNode(this.pos, this.line, this.text, this.int, this.float);
  }
}

export class StringNode extends Node {
  declare readonly quoted: string;
  declare readonly text: string;
  constructor(pos: number, line: number, quoted: string, text: string) {
    super(pos, line);
    this.quoted = quoted;
    this.text = text;
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
  declare readonly kind: BranchKind;
  declare readonly pipe: PipeNode;
  declare readonly list: ListNode;
  declare readonly elseList: ListNode | null;
  constructor(
    pos: number,
    line: number,
    kind: BranchKind,
    pipe: PipeNode,
    list: ListNode,
    elseList: ListNode | null,
  ) {
    super(pos, line);
    this.kind = kind;
    this.pipe = pipe;
    this.list = list;
    this.elseList = elseList;
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
  declare readonly name: string;
  declare readonly pipe: PipeNode | null;
  constructor(pos: number, line: number, name: string, pipe: PipeNode | null) {
    super(pos, line);
    this.name = name;
    this.pipe = pipe;
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
  declare readonly name: string;
  declare readonly parseName: string;
  declare readonly root: ListNode;
  declare readonly text: string;
  constructor(
    name: string,
    parseName: string,
    root: ListNode,
    text: string,
  ) {
    this.name = name;
    this.parseName = parseName;
    this.root = root;
    this.text = text;
  }
  copy(): Tree {
    return new Tree(this.name, this.parseName, this.root.copy(), this.text);
  }
}
