/**
 * The parser's view of the lexer items: Go's next/backup/peek helpers and error reporting
 * (errorf, unexpected, item.String) from text/template/parse/parse.go and lex.go.
 */
import { ParseFailure } from './errors.js';
import { type Item, ItemType } from './lexer.js';
import { unquote } from './literals.js';
import { type Tree } from './node.js';
import { quote } from './fmt-verbs.js';
import { errorText } from '../../common/error-text.js';

/** Shared by the parsers of one text: items, cursor and the trees defined so far. */
export interface Source {
  readonly parseName: string;
  readonly text: string;
  readonly items: Item[];
  idx: number;
  furthest: number;
  readonly hasFunc: (name: string) => boolean;
  readonly trees: Map<string, Tree>;
}

export class TokenReader {
  protected actionLine = 0;

  constructor(protected readonly src: Source) {}

  protected next(): Item {
    const it = this.src.items[Math.min(this.src.idx, this.src.items.length - 1)];
    this.src.idx++;
    this.src.furthest = Math.max(this.src.furthest, this.src.idx - 1);
    return it;
  }
  protected backup(n = 1): void {
    this.src.idx -= n;
  }
  protected peek(): Item {
    const it = this.next();
    this.backup();
    return it;
  }
  protected nextNonSpace(): Item {
    let it = this.next();
    while (it.type === ItemType.Space) it = this.next();
    return it;
  }
  /** Like Go's peekNonSpace, this consumes the spaces before the item. */
  protected peekNonSpace(): Item {
    const it = this.nextNonSpace();
    this.backup();
    return it;
  }

  protected errorf(msg: string): never {
    const line = this.src.items[Math.min(this.src.furthest, this.src.items.length - 1)].line;
    throw new ParseFailure(`template: ${this.src.parseName}:${line}: ${msg}`, this.src.parseName, line);
  }

  protected unexpected(it: Item, context: string): never {
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

  protected expect(type: ItemType, context: string): Item {
    const it = this.nextNonSpace();
    if (it.type !== type) this.unexpected(it, context);
    return it;
  }


  protected unquoteItem(it: Item): string {
    try {
      return unquote(it.val);
    } catch (e) {
      return this.errorf(errorText(e));
    }
  }
}

/** Go's item.String(): EOF, keywords in <>, long values truncated with %.10q. */
function itemString(it: Item): string {
  if (it.type === ItemType.EOF) return 'EOF';
  if (it.type === ItemType.Error) return it.val;
  if (it.type >= ItemType.Block) return `<${it.val}>`;
  if ([...it.val].length > 10) return quote([...it.val].slice(0, 10).join('')) + '...';
  return quote(it.val);
}
