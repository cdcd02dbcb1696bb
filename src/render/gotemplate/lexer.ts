/**
 * The template lexer: turns template text into items, written as state functions like Go's
 * text/template/parse/lex.go (each state scans some input and returns the next state). This file
 * has the item types, the Lexer and the states outside actions; lex-action.ts has those inside.
 */
import { lexInsideAction } from './lex-action.js';

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

const LEFT = '{{';
export const RIGHT = '}}';
const LEFT_COMMENT = '/*';
const RIGHT_COMMENT = '*/';
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

  constructor(readonly name: string, readonly input: string) {}

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

function countNewlines(s: string): number {
  let n = 0;
  for (let i = s.indexOf('\n'); i >= 0; i = s.indexOf('\n', i + 1)) n++;
  return n;
}

/** Lexes the whole input; the last item is EOF or Error. */
export function lex(name: string, input: string): Item[] {
  const l = new Lexer(name, input);
  for (let state: StateFn | null = lexText; state !== null; ) state = state(l);
  return l.items;
}

export const isSpace = (ch: string): boolean => ch === ' ' || ch === '\t' || ch === '\r' || ch === '\n';
export const isAlphaNumeric = (ch: string): boolean => ch === '_' || /^[\p{L}\p{Nd}]$/u.test(ch);

/** A left trim marker ("- ") at offset i of s; offsets avoid copying the rest of the input. */
function hasLeftTrimMarker(s: string, i: number): boolean {
  return i + 1 < s.length && s[i] === '-' && isSpace(s[i + 1]);
}

/** A right trim marker (" -") at offset i of s. */
export function hasRightTrimMarker(s: string, i: number): boolean {
  return i + 1 < s.length && isSpace(s[i]) && s[i + 1] === '-';
}

/** lexText scans until an opening action delimiter, "{{". */
export const lexText: StateFn = (l) => {
  const x = l.input.indexOf(LEFT, l.pos);
  if (x < 0) {
    l.skip(l.input.length - l.pos);
    if (l.pos > l.start) l.emit(ItemType.Text);
    l.emit(ItemType.EOF);
    return null;
  }
  l.skip(x - l.pos);
  let trimLength = 0;
  const delimEnd = l.pos + LEFT.length;
  if (hasLeftTrimMarker(l.input, delimEnd)) {
    let end = l.pos;
    while (end > l.start && isSpace(l.input[end - 1])) end--;
    trimLength = l.pos - end;
  }
  if (l.pos - trimLength > l.start) {
    const save = l.pos;
    const saveLine = l.line;
    l.pos -= trimLength;
    l.line -= countNewlines(l.input.slice(l.pos, save));
    l.emit(ItemType.Text);
    l.pos = save;
    l.line = saveLine;
  }
  l.ignore();
  return lexLeftDelim;
};

/** lexLeftDelim scans the left delimiter, which is known to be present, possibly with a trim marker. */
const lexLeftDelim: StateFn = (l) => {
  l.skip(LEFT.length);
  const trimSpace = hasLeftTrimMarker(l.input, l.pos);
  const afterMarker = trimSpace ? TRIM.length : 0;
  if (l.input.startsWith(LEFT_COMMENT, l.pos + afterMarker)) {
    l.skip(afterMarker);
    l.ignore();
    return lexComment;
  }
  l.emit(ItemType.LeftDelim);
  l.skip(afterMarker);
  l.ignore();
  l.insideAction = true;
  l.parenDepth = 0;
  return lexInsideAction;
};

/** lexComment scans a comment; the left comment marker is known to be present. */
const lexComment: StateFn = (l) => {
  l.skip(LEFT_COMMENT.length);
  const x = l.input.indexOf(RIGHT_COMMENT, l.pos);
  if (x < 0) return l.errorf('unclosed comment');
  l.skip(x + RIGHT_COMMENT.length - l.pos);
  const [delim, trimSpace] = atRightDelim(l);
  if (!delim) return l.errorf('comment ends before closing delimiter');
  l.ignore(); // comments are dropped unless Go's ParseComments mode is on, which Helm never sets
  if (trimSpace) l.skip(TRIM.length);
  l.skip(RIGHT.length);
  if (trimSpace) skipLeadingSpace(l);
  l.ignore();
  return lexText;
};

function skipLeadingSpace(l: Lexer): void {
  let n = 0;
  while (l.pos + n < l.input.length && isSpace(l.input[l.pos + n])) n++;
  l.skip(n);
}

/** Reports whether the input is at a right delimiter, possibly preceded by a trim marker. */
export function atRightDelim(l: Lexer): [boolean, boolean] {
  if (hasRightTrimMarker(l.input, l.pos) && l.input.startsWith(RIGHT, l.pos + TRIM.length)) return [true, true];
  if (l.input.startsWith(RIGHT, l.pos)) return [true, false];
  return [false, false];
}

/** lexRightDelim scans the right delimiter, which is known to be present, possibly with a trim marker. */
export const lexRightDelim: StateFn = (l) => {
  const [, trimSpace] = atRightDelim(l);
  if (trimSpace) {
    l.skip(TRIM.length);
    l.ignore();
  }
  l.skip(RIGHT.length);
  l.emit(ItemType.RightDelim);
  if (trimSpace) {
    skipLeadingSpace(l);
    l.ignore();
  }
  l.insideAction = false;
  return lexText;
};

