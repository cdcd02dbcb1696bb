/**
 * The template lexer: turns template text into items, written as state functions like Go's
 * text/template/parse/lex.go (each state scans some input and returns the next state).
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

const KEYWORDS: ReadonlyMap<string, ItemType> = new Map([
  ['.', ItemType.Dot], ['block', ItemType.Block], ['break', ItemType.Break], ['continue', ItemType.Continue],
  ['define', ItemType.Define], ['else', ItemType.Else], ['end', ItemType.End], ['if', ItemType.If],
  ['range', ItemType.Range], ['nil', ItemType.Nil], ['template', ItemType.Template], ['with', ItemType.With],
]);

const LEFT = '{{';
const RIGHT = '}}';
const LEFT_COMMENT = '/*';
const RIGHT_COMMENT = '*/';
const TRIM = ' -'; // a trim marker is a space and a dash, as in Go's trimMarkerLen

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

const isSpace = (ch: string): boolean => ch === ' ' || ch === '\t' || ch === '\r' || ch === '\n';
const isAlphaNumeric = (ch: string): boolean => ch === '_' || /^[\p{L}\p{Nd}]$/u.test(ch);

function hasLeftTrimMarker(s: string): boolean {
  return s.length >= 2 && s[0] === '-' && isSpace(s[1]);
}

function hasRightTrimMarker(s: string): boolean {
  return s.length >= 2 && isSpace(s[0]) && s[1] === '-';
}

/** lexText scans until an opening action delimiter, "{{". */
const lexText: StateFn = (l) => {
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
  if (hasLeftTrimMarker(l.input.slice(delimEnd))) {
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
  const trimSpace = hasLeftTrimMarker(l.input.slice(l.pos));
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
function atRightDelim(l: Lexer): [boolean, boolean] {
  const rest = l.input.slice(l.pos);
  if (hasRightTrimMarker(rest) && rest.startsWith(RIGHT, TRIM.length)) return [true, true];
  if (rest.startsWith(RIGHT)) return [true, false];
  return [false, false];
}

/** lexRightDelim scans the right delimiter, which is known to be present, possibly with a trim marker. */
const lexRightDelim: StateFn = (l) => {
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

/** lexInsideAction scans the elements inside action delimiters. */
const lexInsideAction: StateFn = (l) => {
  const [delim] = atRightDelim(l);
  if (delim) {
    if (l.parenDepth === 0) return lexRightDelim;
    return l.errorf('unclosed left paren');
  }
  const ch = l.next();
  if (ch === '') return l.errorf('unclosed action');
  if (isSpace(ch)) {
    l.backup();
    return lexSpace;
  }
  return lexActionChar(l, ch);
};

function lexActionChar(l: Lexer, ch: string): StateFn | null {
  switch (ch) {
    case '=':
      l.emit(ItemType.Assign);
      return lexInsideAction;
    case ':':
      if (l.next() !== '=') return l.errorf('expected :=');
      l.emit(ItemType.Declare);
      return lexInsideAction;
    case '|':
      l.emit(ItemType.Pipe);
      return lexInsideAction;
    case '"':
      return lexQuote;
    case '`':
      return lexRawQuote;
    case '$':
      return lexVariable;
    case "'":
      return lexChar;
    case '.':
      if (l.pos < l.input.length && l.input[l.pos] >= '0' && l.input[l.pos] <= '9') {
        l.backup();
        return lexNumber;
      }
      return lexField;
    case '(':
      l.emit(ItemType.LeftParen);
      l.parenDepth++;
      return lexInsideAction;
    case ')':
      l.emit(ItemType.RightParen);
      l.parenDepth--;
      if (l.parenDepth < 0) return l.errorf('unexpected right paren');
      return lexInsideAction;
  }
  if (ch === '+' || ch === '-' || (ch >= '0' && ch <= '9')) {
    l.backup();
    return lexNumber;
  }
  if (isAlphaNumeric(ch)) {
    l.backup();
    return lexIdentifier;
  }
  if (ch.charCodeAt(0) <= 0x7f && /[\x21-\x7e]/.test(ch)) {
    l.emit(ItemType.Char);
    return lexInsideAction;
  }
  return l.errorf(`unrecognized character in action: ${quoteRune(ch)}`);
}

function quoteRune(ch: string): string {
  return JSON.stringify(ch).replace(/^"|"$/g, "'");
}

/** lexSpace scans a run of space characters, stopping before a trim marker. */
const lexSpace: StateFn = (l) => {
  let numSpaces = 0;
  while (isSpace(l.peek())) {
    l.next();
    numSpaces++;
  }
  // A trim-marked closing delimiter has a minus after a space: stop before that space.
  if (hasRightTrimMarker(l.input.slice(l.pos - 1)) && l.input.startsWith(RIGHT, l.pos - 1 + TRIM.length)) {
    l.backup();
    if (numSpaces === 1) return lexRightDelim;
  }
  l.emit(ItemType.Space);
  return lexInsideAction;
};

/** lexIdentifier scans an alphanumeric word: a keyword, a boolean or a function name. */
const lexIdentifier: StateFn = (l) => {
  while (isAlphaNumeric(l.peek())) l.next();
  if (!atTerminator(l)) return l.errorf(`bad character ${quoteRune(l.peek())}`);
  const word = l.input.slice(l.start, l.pos);
  const kw = KEYWORDS.get(word);
  if (kw !== undefined && kw !== ItemType.Dot) l.emit(kw);
  else if (word[0] === '.') l.emit(ItemType.Field);
  else if (word === 'true' || word === 'false') l.emit(ItemType.Bool);
  else l.emit(ItemType.Identifier);
  return lexInsideAction;
};

/** lexField scans a field: .Alphanumeric. The . has been scanned. */
const lexField: StateFn = (l) => lexFieldOrVariable(l, ItemType.Field);

/** lexVariable scans a variable: $Alphanumeric. The $ has been scanned. */
const lexVariable: StateFn = (l) => {
  if (atTerminator(l)) {
    l.emit(ItemType.Variable); // "$" alone
    return lexInsideAction;
  }
  return lexFieldOrVariable(l, ItemType.Variable);
};

function lexFieldOrVariable(l: Lexer, type: ItemType): StateFn | null {
  if (atTerminator(l)) {
    l.emit(type === ItemType.Variable ? ItemType.Variable : ItemType.Dot);
    return lexInsideAction;
  }
  while (isAlphaNumeric(l.peek())) l.next();
  if (!atTerminator(l)) return l.errorf(`bad character ${quoteRune(l.peek())}`);
  l.emit(type);
  return lexInsideAction;
}

/** Whether the next character can follow an identifier: space, a delimiter or punctuation. */
function atTerminator(l: Lexer): boolean {
  const ch = l.peek();
  if (ch === '' || isSpace(ch)) return true;
  if ('.,|:)('.includes(ch)) return true;
  return l.input.startsWith(RIGHT, l.pos);
}

/** lexChar scans a character constant; the initial quote is already scanned. */
const lexChar: StateFn = (l) => {
  for (;;) {
    let ch = l.next();
    if (ch === '\\') {
      ch = l.next();
      if (ch !== '' && ch !== '\n') continue;
    }
    if (ch === '' || ch === '\n') return l.errorf('unterminated character constant');
    if (ch === "'") break;
  }
  l.emit(ItemType.CharConstant);
  return lexInsideAction;
};

/** lexNumber scans a number: decimal, octal, hex, binary, float; validity is checked by the parser. */
const lexNumber: StateFn = (l) => {
  l.accept('+-');
  let digits = '0123456789_';
  if (l.accept('0')) {
    if (l.accept('xX')) digits = '0123456789abcdefABCDEF_';
    else if (l.accept('oO')) digits = '01234567_';
    else if (l.accept('bB')) digits = '01_';
  }
  l.acceptRun(digits);
  if (l.accept('.')) l.acceptRun(digits);
  if (digits.length === 11 && l.accept('eE')) {
    l.accept('+-');
    l.acceptRun('0123456789_');
  }
  if (digits.length === 23 && l.accept('pP')) {
    l.accept('+-');
    l.acceptRun('0123456789_');
  }
  l.accept('i');
  if (isAlphaNumeric(l.peek())) {
    l.next();
    return l.errorf(`bad number syntax: "${l.input.slice(l.start, l.pos)}"`);
  }
  l.emit(ItemType.Number);
  return lexInsideAction;
};

/** lexQuote scans a quoted string. */
const lexQuote: StateFn = (l) => {
  for (;;) {
    let ch = l.next();
    if (ch === '\\') {
      ch = l.next();
      if (ch !== '' && ch !== '\n') continue;
    }
    if (ch === '' || ch === '\n') return l.errorf('unterminated quoted string');
    if (ch === '"') break;
  }
  l.emit(ItemType.String);
  return lexInsideAction;
};

/** lexRawQuote scans a raw quoted string. */
const lexRawQuote: StateFn = (l) => {
  const x = l.input.indexOf('`', l.pos);
  if (x < 0) return l.errorf('unterminated raw quoted string');
  l.skip(x + 1 - l.pos);
  l.emit(ItemType.RawString);
  return lexInsideAction;
};
