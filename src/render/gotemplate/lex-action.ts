/**
 * Lexer states inside an action (between the delimiters): operators, strings, numbers, fields,
 * variables and identifiers, ported from Go's text/template/parse/lex.go.
 */
import {
  ItemType, KEYWORDS, type Lexer, RIGHT, type StateFn, TRIM, atRightDelim, hasRightTrimMarker, isAlphaNumeric,
  isSpace, skipLeadingSpace,
} from './lex-state.js';

/** lexInsideAction scans the elements inside action delimiters. */
export const lexInsideAction: StateFn = (l) => {
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
      l.parenDepth--;
      if (l.parenDepth < 0) return l.errorf('unexpected right paren');
      l.emit(ItemType.RightParen);
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
  if (hasRightTrimMarker(l.input, l.pos - 1) && l.input.startsWith(RIGHT, l.pos - 1 + TRIM.length)) {
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
  return l.text; // lexText
};
