/**
 * Recursive-descent parser from lexer items to Trees, ported from Go's text/template/parse/parse.go.
 * This file holds the control structures (define, if/range/with, template, block); expressions are in
 * parse-pipeline.ts, token handling in parse-tokens.ts. Each grammar rule is written above its function. Errors are thrown as ParseFailure with Go's text.
 */
import { type Item, ItemType, lex } from './lexer.js';
import {
  ActionNode, BranchNode, type BranchKind, BreakNode, ContinueNode, ListNode, type Node, PipeNode,
  TemplateNode, TextNode, Tree,
} from './node.js';
import { ExpressionParser } from './parse-pipeline.js';
import { type Source } from './parse-tokens.js';

/** Markers returned by itemList for {{end}} and {{else}}; never part of a tree. */
class EndMarker {
  // Declared, not class fields: see the note on Node in node.ts.
  declare readonly pos: number;
  declare readonly line: number;
  constructor(pos: number, line: number) {
    this.pos = pos;
    this.line = line;
  }
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

class TreeParser extends ExpressionParser {
  private rangeDepth = 0;

  constructor(src: Source, private name: string) {
    super(src);
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

}
