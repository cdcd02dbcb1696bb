/**
 * What every lexer state shares: the item types, the Lexer (scanning state) and the character
 * tests, with no state function of its own, so lexer.ts (outside actions) and lex-action.ts
 * (inside them) both build on it without importing each other.
 */
export enum ItemType {
  Error, Bool, Char, CharConstant, Comment, Assign, Declare, EOF, Field, Identifier, LeftDelim,
  LeftParen, Number, Pipe, RawString, RightDelim, RightParen, Space, String, Text, Variable,
  // Keywords (Go's itemKeyword and after).
  Block, Break, Continue, Dot, Define, Else, End, If, Nil, Range, Template, With,
}

export interface Item {
  readonly type: ItemType;
  readonly pos: number; // offset in the input
  readonly val: string;
  readonly line: number; // 1-based line of the item's start
}

export const KEYWORDS: ReadonlyMap<string, ItemType> = new Map([
  ['.', ItemType.Dot], ['block', ItemType.Block], ['break', ItemType.Break], ['continue', ItemType.Continue],
  ['define', ItemType.Define], ['else', ItemType.Else], ['end', ItemType.End], ['if', ItemType.If],
  ['range', ItemType.Range], ['nil', ItemType.Nil], ['template', ItemType.Template], ['with', ItemType.With],
]);

export const RIGHT = '}}';
export const TRIM = ' -'; // a trim marker is a space and a dash, as in Go's trimMarkerLen

export type StateFn = (l: Lexer) => StateFn | null;

/** Holds the scanning state; `items` collects the output. */
export class Lexer {
  readonly items: Item[] = [];
  pos = 0;
  start = 0;
  line = 1;
  startLine = 1;
  parenDepth = 0;
  insideAction = false;

  /**
   * @param text the state after an action ends (lexer.ts's lexText), handed in so the states inside
   *   an action (lex-action.ts) need not import the states outside it.
   */
  constructor(readonly name: string, readonly input: string, readonly text: StateFn) {}

  next(): string {
    if (this.pos >= this.input.length) return '';
    const ch = this.input[this.pos++];
    if (ch === '\n') this.line++;
    return ch;
  }

  peek(): string {
    return this.pos < this.input.length ? this.input[this.pos] : '';
  }

  backup(): void {
    this.pos--;
    if (this.input[this.pos] === '\n') this.line--;
  }

  emit(type: ItemType): void {
    this.items.push({ type, pos: this.start, val: this.input.slice(this.start, this.pos), line: this.startLine });
    this.ignore();
  }

  ignore(): void {
    this.start = this.pos;
    this.startLine = this.line;
  }

  accept(valid: string): boolean {
    const ch = this.next();
    if (ch !== '' && valid.includes(ch)) return true;
    if (ch !== '') this.backup();
    return false;
  }

  acceptRun(valid: string): void {
    while (this.accept(valid));
  }

  errorf(msg: string): null {
    this.items.push({ type: ItemType.Error, pos: this.start, val: msg, line: this.startLine });
    return null;
  }

  /** Moves pos forward by n characters, counting newlines. */
  skip(n: number): void {
    this.line += countNewlines(this.input.slice(this.pos, this.pos + n));
    this.pos += n;
  }
}

export function countNewlines(s: string): number {
  let n = 0;
  for (let i = s.indexOf('\n'); i >= 0; i = s.indexOf('\n', i + 1)) n++;
  return n;
}

export const isSpace = (ch: string): boolean => ch === ' ' || ch === '\t' || ch === '\r' || ch === '\n';
export const isAlphaNumeric = (ch: string): boolean => ch === '_' || /^[\p{L}\p{Nd}]$/u.test(ch);


/** A right trim marker (" -") at offset i of s. */
export function hasRightTrimMarker(s: string, i: number): boolean {
  return i + 1 < s.length && isSpace(s[i]) && s[i + 1] === '-';
}

/** Reports whether the input is at a right delimiter, possibly preceded by a trim marker. */
export function atRightDelim(l: Lexer): [boolean, boolean] {
  if (hasRightTrimMarker(l.input, l.pos) && l.input.startsWith(RIGHT, l.pos + TRIM.length)) return [true, true];
  if (l.input.startsWith(RIGHT, l.pos)) return [true, false];
  return [false, false];
}

/** Skips the spaces after a right trim marker. */
export function skipLeadingSpace(l: Lexer): void {
  let n = 0;
  while (l.pos + n < l.input.length && isSpace(l.input[l.pos + n])) n++;
  l.skip(n);
}
