/**
 * The expression half of the parser: pipelines, commands, operands and terms, with the variable
 * scope check, ported from Go's text/template/parse/parse.go. Each grammar rule is above its function.
 */
import { type Item, ItemType } from './lexer.js';
import { isFloatConstant, parseNumber } from './literals.js';
import {
  type ArgNode, BoolNode, ChainNode, CommandNode, DotNode, FieldNode, IdentifierNode, NilNode, NumberNode,
  PipeNode, StringNode, VariableNode,
} from './node.js';
import { ParseFailure } from './errors.js';
import { quote } from './fmt-verbs.js';
import { TokenReader } from './parse-tokens.js';
import { errorText } from '../../common/error-text.js';

/**
 * Nesting limit for parenthesized pipelines. Go's maxStackDepth is 10000 (parse.go); a JavaScript
 * stack cannot hold that many nested parser frames, so the limit is lower, with Go's message.
 */
export const MAX_PARSE_DEPTH = 1000;

export class ExpressionParser extends TokenReader {
  private stackDepth = 0;

  /** Variables in scope (Go's Tree.vars); control structures truncate it at their end. */
  protected vars: string[] = ['$'];

  // pipeline: declarations? command ('|' command)*
  protected pipeline(context: string, end: ItemType): PipeNode {
    const first = this.peekNonSpace();
    const decl: VariableNode[] = [];
    let isAssign = false;
    for (;;) {
      const v = this.peekNonSpace();
      if (v.type !== ItemType.Variable) break;
      this.nextNonSpace();
      const varIdx = this.src.idx - 1;
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
      this.src.idx = varIdx;
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
    // Like Go, the merged node takes the position of the first added field.
    if (node instanceof FieldNode) return new FieldNode(start.pos, start.line, [...node.ident, ...fields]);
    if (node instanceof VariableNode) return new VariableNode(start.pos, start.line, [...node.ident, ...fields]);
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
      case ItemType.LeftParen: return this.parenthesized();
      case ItemType.String:
      case ItemType.RawString: return new StringNode(it.pos, it.line, it.val, this.unquoteItem(it));
    }
    this.backup();
    return null;
  }

  private parenthesized(): PipeNode {
    if (this.stackDepth >= MAX_PARSE_DEPTH) this.errorf('max expression depth exceeded');
    this.stackDepth++;
    try {
      return this.pipeline('parenthesized pipeline', ItemType.RightParen);
    } finally {
      this.stackDepth--;
    }
  }

  private number(it: Item): NumberNode {
    try {
      const n = parseNumber(it.val, it.type === ItemType.CharConstant);
      const float = isFloatConstant(it.val);
      if (!float && n.int === null) this.errorf(`${it.val} overflows int`);
      return new NumberNode(it.pos, it.line, it.val, float ? null : n.int, float ? n.float : null);
    } catch (e) {
      if (e instanceof ParseFailure) throw e;
      return this.errorf(errorText(e));
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
