/**
 * Recursive-descent parser from lexer items to Trees, ported from Go's text/template/parse/parse.go.
 * Each grammar rule is written above its function. Errors are thrown as ParseFailure with Go's text.
 */
import { ParseFailure } from './errors.js';
import { type Item, ItemType, lex } from './lexer.js';
import { isFloatConstant, parseNumber, unquote } from './literals.js';
import {
  ActionNode, type ArgNode, BoolNode, BranchNode, type BranchKind, BreakNode, ChainNode, CommandNode,
  ContinueNode, DotNode, FieldNode, IdentifierNode, ListNode, type Node, NilNode, NumberNode, PipeNode,
  StringNode, TemplateNode, TextNode, Tree, VariableNode,
} from './node.js';
import { quote } from './fmt-verbs.js';

/** Markers returned by itemList for {{end}} and {{else}}; never part of a tree. */
class EndMarker {
  constructor(readonly pos: number, readonly line: number) {}
  toString(): string {
    return '{{end}}';
  }
}
class ElseMarker extends EndMarker {
  override toString(): string {
    return '{{else}}';
  }
}
type Parsed = Node | EndMarker;

/** Shared by the parsers of one text: items, cursor and the trees defined so far. */
interface Source {
  readonly parseName: string;
  readonly text: string;
  readonly items: Item[];
  idx: number;
  furthest: number;
  readonly hasFunc: (name: string) => boolean;
  readonly trees: Map<string, Tree>;
}

/** Parses `text` as template `name`; returns the top tree and every {{define}}/{{block}} in it. */
export function parse(name: string, text: string, hasFunc: (name: string) => boolean): Map<string, Tree> {
  const src: Source = { parseName: name, text, items: lex(name, text), idx: 0, furthest: 0, hasFunc, trees: new Map() };
  new TreeParser(src, name).parseTop();
  return src.trees;
}

/** True when a list holds only whitespace text (Go's IsEmptyTree). */
export function isEmptyTree(n: ListNode): boolean {
  return n.nodes.every((c) => c instanceof TextNode && c.text.trim() === '');
}

class TreeParser {
  private vars: string[] = ['$'];
  private rangeDepth = 0;
  private actionLine = 0;

  constructor(private readonly src: Source, private name: string) {}

  // --- token helpers (Go's next/backup/peek) ---
  private next(): Item {
    const it = this.src.items[Math.min(this.src.idx, this.src.items.length - 1)];
    this.src.idx++;
    this.src.furthest = Math.max(this.src.furthest, this.src.idx - 1);
    return it;
  }
  private backup(n = 1): void {
    this.src.idx -= n;
  }
  private peek(): Item {
    const it = this.next();
    this.backup();
    return it;
  }
  private nextNonSpace(): Item {
    let it = this.next();
    while (it.type === ItemType.Space) it = this.next();
    return it;
  }
  private peekNonSpace(): Item {
    const start = this.src.idx;
    const it = this.nextNonSpace();
    this.src.idx = start;
    return it;
  }

  private errorf(msg: string): never {
    const line = this.src.items[Math.min(this.src.furthest, this.src.items.length - 1)].line;
    throw new ParseFailure(`template: ${this.src.parseName}:${line}: ${msg}`, this.src.parseName, line);
  }

  private unexpected(it: Item, context: string): never {
    if (it.type === ItemType.Error) {
      let extra = '';
      if (this.actionLine !== 0 && this.actionLine !== it.line) {
        extra = ` in action started at ${this.src.parseName}:${this.actionLine}`;
        if (it.val.endsWith(' action')) extra = extra.slice(' in action'.length);
      }
      this.errorf(it.val + extra);
    }
    this.errorf(`unexpected ${itemString(it)} in ${context}`);
  }

  private expect(type: ItemType, context: string): Item {
    const it = this.nextNonSpace();
    if (it.type !== type) this.unexpected(it, context);
    return it;
  }

  /** Adds the finished tree; a non-empty redefinition within one text is an error, as in Go. */
  private add(root: ListNode): void {
    const prev = this.src.trees.get(this.name);
    if (prev && !isEmptyTree(prev.root) && !isEmptyTree(root)) {
      this.errorf(`template: multiple definition of template ${JSON.stringify(this.name)}`);
    }
    if (!prev || isEmptyTree(prev.root)) this.src.trees.set(this.name, new Tree(this.name, this.src.parseName, root, this.src.text));
  }

  // parse: (text | action | define)* EOF
  parseTop(): void {
    const first = this.peek();
    const root = new ListNode(first.pos, first.line);
    while (this.peek().type !== ItemType.EOF) {
      if (this.peek().type === ItemType.LeftDelim) {
        this.next();
        if (this.nextNonSpace().type === ItemType.Define) {
          new TreeParser(this.src, 'definition').parseDefinition();
          continue;
        }
        this.src.idx = this.src.idx - 1;
        while (this.src.items[this.src.idx].type !== ItemType.LeftDelim) this.src.idx--;
      }
      const n = this.textOrAction();
      if (n instanceof EndMarker) this.errorf(`unexpected ${n}`);
      root.nodes.push(n);
    }
    this.add(root);
  }

  // define: "{{define" string "}}" itemList "{{end}}"  (the "{{define" is consumed)
  parseDefinition(): void {
    const context = 'define clause';
    const it = this.nextNonSpace();
    if (it.type !== ItemType.String && it.type !== ItemType.RawString) this.unexpected(it, context);
    this.name = this.unquoteItem(it);
    this.expect(ItemType.RightDelim, context);
    const [list, end] = this.itemList();
    if (end instanceof ElseMarker) this.errorf(`unexpected ${end} in ${context}`);
    this.add(list);
  }

  private unquoteItem(it: Item): string {
    try {
      return unquote(it.val);
    } catch (e) {
      return this.errorf((e as Error).message);
    }
  }

  // itemList: textOrAction* ; returns at {{end}} or {{else}}
  private itemList(): [ListNode, EndMarker] {
    const first = this.peekNonSpace();
    const list = new ListNode(first.pos, first.line);
    while (this.peekNonSpace().type !== ItemType.EOF) {
      const n = this.textOrAction();
      if (n instanceof EndMarker) return [list, n];
      list.nodes.push(n);
    }
    return this.errorf('unexpected EOF');
  }

  // textOrAction: text | comment | action
  private textOrAction(): Parsed {
    const it = this.nextNonSpace();
    if (it.type === ItemType.Text) return new TextNode(it.pos, it.line, it.val);
    if (it.type === ItemType.LeftDelim) {
      this.actionLine = it.line;
      try {
        return this.action();
      } finally {
        this.actionLine = 0;
      }
    }
    return this.unexpected(it, 'input');
  }

  // action: control | command ("|" command)*   — the left delimiter is consumed
  private action(): Parsed {
    const it = this.nextNonSpace();
    switch (it.type) {
      case ItemType.Block: return this.blockControl();
      case ItemType.Break: return this.loopControl(it, 'break');
      case ItemType.Continue: return this.loopControl(it, 'continue');
      case ItemType.Else: return this.elseControl();
      case ItemType.End: return new EndMarker(this.expect(ItemType.RightDelim, 'end').pos, it.line);
      case ItemType.If: return this.branchControl('if');
      case ItemType.Range: return this.branchControl('range');
      case ItemType.Template: return this.templateControl();
      case ItemType.With: return this.branchControl('with');
    }
    this.backup();
    const tok = this.peek();
    return new ActionNode(tok.pos, tok.line, this.pipeline('command', ItemType.RightDelim));
  }

  // break: "{{break}}"  continue: "{{continue}}"  — only inside range
  private loopControl(it: Item, kind: 'break' | 'continue'): Node {
    const tok = this.nextNonSpace();
    if (tok.type !== ItemType.RightDelim) this.unexpected(tok, `{{${kind}}}`);
    if (this.rangeDepth === 0) this.errorf(`{{${kind}}} outside {{range}}`);
    return kind === 'break' ? new BreakNode(it.pos, it.line) : new ContinueNode(it.pos, it.line);
  }

  // else: "{{else}}" | "{{else if" … | "{{else with" …
  private elseControl(): EndMarker {
    const peek = this.peekNonSpace();
    if (peek.type === ItemType.If || peek.type === ItemType.With) return new ElseMarker(peek.pos, peek.line);
    const tok = this.expect(ItemType.RightDelim, 'else');
    return new ElseMarker(tok.pos, tok.line);
  }

  // if/range/with: "{{kind" pipeline "}}" itemList ("{{else}}" itemList | "{{else if|with" …)? "{{end}}"
  private branchControl(kind: BranchKind): BranchNode {
    const saved = this.vars.length;
    try {
      const pipe = this.pipeline(kind, ItemType.RightDelim);
      if (kind === 'range') this.rangeDepth++;
      const [list, next] = this.itemList();
      if (kind === 'range') this.rangeDepth--;
      let elseList: ListNode | null = null;
      if (next instanceof ElseMarker) {
        const p = this.peek().type;
        if ((kind === 'if' && p === ItemType.If) || (kind === 'with' && p === ItemType.With)) {
          this.next();
          elseList = new ListNode(next.pos, next.line, [this.branchControl(kind)]);
        } else {
          let end: EndMarker;
          [elseList, end] = this.itemList();
          if (end instanceof ElseMarker) this.errorf(`expected end; found ${end}`);
        }
      }
      return new BranchNode(pipe.pos, pipe.line, kind, pipe, list, elseList);
    } finally {
      this.vars.length = saved;
    }
  }

  // template: "{{template" stringValue pipeline? "}}"
  private templateControl(): TemplateNode {
    const context = 'template clause';
    const it = this.nextNonSpace();
    const name = this.templateName(it, context);
    let pipe: PipeNode | null = null;
    if (this.nextNonSpace().type !== ItemType.RightDelim) {
      this.backup();
      pipe = this.pipeline(context, ItemType.RightDelim);
    }
    return new TemplateNode(it.pos, it.line, name, pipe);
  }

  // block: "{{block" stringValue pipeline "}}" itemList "{{end}}" — a define plus a template call
  private blockControl(): TemplateNode {
    const context = 'block clause';
    const it = this.nextNonSpace();
    const name = this.templateName(it, context);
    const pipe = this.pipeline(context, ItemType.RightDelim);
    const block = new TreeParser(this.src, name);
    const [list, end] = block.itemList();
    if (end instanceof ElseMarker) this.errorf(`unexpected ${end} in ${context}`);
    block.add(list);
    return new TemplateNode(it.pos, it.line, name, pipe);
  }

  private templateName(it: Item, context: string): string {
    if (it.type === ItemType.String || it.type === ItemType.RawString) return this.unquoteItem(it);
    return this.unexpected(it, context);
  }

  // pipeline: declarations? command ('|' command)*
  private pipeline(context: string, end: ItemType): PipeNode {
    const first = this.peekNonSpace();
    const decl: VariableNode[] = [];
    let isAssign = false;
    for (;;) {
      const v = this.peekNonSpace();
      if (v.type !== ItemType.Variable) break;
      this.nextNonSpace();
      const afterVar = this.peek();
      const next = this.peekNonSpace();
      if (next.type === ItemType.Assign || next.type === ItemType.Declare) {
        isAssign = next.type === ItemType.Assign;
        this.nextNonSpace();
        decl.push(new VariableNode(v.pos, v.line, v.val.split('.')));
        this.vars.push(v.val);
        break;
      }
      if (next.type === ItemType.Char && next.val === ',') {
        this.nextNonSpace();
        decl.push(new VariableNode(v.pos, v.line, v.val.split('.')));
        this.vars.push(v.val);
        if (context === 'range' && decl.length < 2) {
          const p = this.peekNonSpace().type;
          if (p === ItemType.Variable || p === ItemType.RightDelim || p === ItemType.RightParen) continue;
          this.errorf('range can only initialize variables');
        }
        this.errorf(`too many declarations in ${context}`);
      }
      // Not a declaration: put the variable (and the space after it) back.
      this.backup(afterVar.type === ItemType.Space ? 1 : 1);
      while (this.src.items[this.src.idx].type !== ItemType.Variable) this.src.idx--;
      break;
    }
    const pipe = new PipeNode(first.pos, first.line, decl, isAssign);
    return this.pipelineCommands(pipe, context, end);
  }

  private pipelineCommands(pipe: PipeNode, context: string, end: ItemType): PipeNode {
    for (;;) {
      const it = this.nextNonSpace();
      if (it.type === end) {
        this.checkPipeline(pipe, context);
        return pipe;
      }
      if (OPERAND_START.has(it.type)) {
        this.backup();
        pipe.cmds.push(this.command());
      } else {
        this.unexpected(it, context);
      }
    }
  }

  private checkPipeline(pipe: PipeNode, context: string): void {
    if (pipe.cmds.length === 0) this.errorf(`missing value for ${context}`);
    pipe.cmds.slice(1).forEach((c, i) => {
      const a = c.args[0];
      if (a instanceof BoolNode || a instanceof DotNode || a instanceof NilNode || a instanceof NumberNode || a instanceof StringNode) {
        this.errorf(`non executable command in pipeline stage ${i + 2}`);
      }
    });
  }

  // command: operand (space operand)*
  private command(): CommandNode {
    const first = this.peekNonSpace();
    const cmd = new CommandNode(first.pos, first.line);
    for (;;) {
      this.peekNonSpace();
      const operand = this.operand();
      if (operand) cmd.args.push(operand);
      const it = this.next();
      if (it.type === ItemType.Space) continue;
      if (it.type === ItemType.RightDelim || it.type === ItemType.RightParen) this.backup();
      else if (it.type !== ItemType.Pipe) this.unexpected(it, 'operand');
      break;
    }
    if (cmd.args.length === 0) this.errorf('empty command');
    return cmd;
  }

  // operand: term .Field*
  private operand(): ArgNode | null {
    const node = this.term();
    if (!node || this.peek().type !== ItemType.Field) return node;
    const start = this.peek();
    const fields: string[] = [];
    while (this.peek().type === ItemType.Field) fields.push(...this.next().val.slice(1).split('.'));
    if (node instanceof FieldNode) return new FieldNode(node.pos, node.line, [...node.ident, ...fields]);
    if (node instanceof VariableNode) return new VariableNode(node.pos, node.line, [...node.ident, ...fields]);
    if (node instanceof BoolNode || node instanceof StringNode || node instanceof NumberNode || node instanceof NilNode || node instanceof DotNode) {
      this.errorf(`unexpected . after term ${quote(String(node))}`);
    }
    return new ChainNode(start.pos, start.line, node, fields);
  }

  // term: literal | function | "$"var | ".Field" | "." | "(" pipeline ")"
  private term(): ArgNode | null {
    const it = this.nextNonSpace();
    switch (it.type) {
      case ItemType.Identifier:
        if (!this.src.hasFunc(it.val)) this.errorf(`function ${JSON.stringify(it.val)} not defined`);
        return new IdentifierNode(it.pos, it.line, it.val);
      case ItemType.Dot: return new DotNode(it.pos, it.line);
      case ItemType.Nil: return new NilNode(it.pos, it.line);
      case ItemType.Variable: return this.useVar(it);
      case ItemType.Field: return new FieldNode(it.pos, it.line, it.val.slice(1).split('.'));
      case ItemType.Bool: return new BoolNode(it.pos, it.line, it.val === 'true');
      case ItemType.CharConstant:
      case ItemType.Number: return this.number(it);
      case ItemType.LeftParen: return this.pipeline('parenthesized pipeline', ItemType.RightParen);
      case ItemType.String:
      case ItemType.RawString: return new StringNode(it.pos, it.line, it.val, this.unquoteItem(it));
    }
    this.backup();
    return null;
  }

  private number(it: Item): NumberNode {
    try {
      const n = parseNumber(it.val, it.type === ItemType.CharConstant);
      const float = isFloatConstant(it.val);
      if (!float && n.int === null) this.errorf(`${it.val} overflows int`);
      return new NumberNode(it.pos, it.line, it.val, float ? null : n.int, float ? n.float : null);
    } catch (e) {
      if (e instanceof ParseFailure) throw e;
      return this.errorf((e as Error).message);
    }
  }

  private useVar(it: Item): VariableNode {
    const v = new VariableNode(it.pos, it.line, it.val.split('.'));
    if (!this.vars.includes(v.ident[0])) this.errorf(`undefined variable ${JSON.stringify(v.ident[0])}`);
    return v;
  }
}

const OPERAND_START = new Set([
  ItemType.Bool, ItemType.CharConstant, ItemType.Dot, ItemType.Field, ItemType.Identifier, ItemType.Number,
  ItemType.Nil, ItemType.RawString, ItemType.String, ItemType.Variable, ItemType.LeftParen,
]);

/** Go's item.String(): EOF, keywords in <>, long values truncated with %.10q. */
function itemString(it: Item): string {
  if (it.type === ItemType.EOF) return 'EOF';
  if (it.type === ItemType.Error) return it.val;
  if (it.type >= ItemType.Block) return `<${it.val}>`;
  if ([...it.val].length > 10) return quote([...it.val].slice(0, 10).join('')) + '...';
  return quote(it.val);
}
