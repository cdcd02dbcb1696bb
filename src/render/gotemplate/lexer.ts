/**
 * The template lexer: turns template text into items, written as state functions like Go's
 * text/template/parse/lex.go (each state scans some input and returns the next state). This file
 * has the states outside actions; lex-action.ts has those inside, lex-state.ts what both share.
 */
import { lexInsideAction } from './lex-action.js';
import { type Item, ItemType, Lexer, RIGHT, type StateFn, TRIM, atRightDelim, countNewlines, isSpace, skipLeadingSpace } from './lex-state.js';

export { ItemType, KEYWORDS, type Item, type StateFn, Lexer, isAlphaNumeric, isSpace } from './lex-state.js';

const LEFT = '{{';
const LEFT_COMMENT = '/*';
const RIGHT_COMMENT = '*/';

/** Lexes the whole input; the last item is EOF or Error. */
export function lex(name: string, input: string): Item[] {
  const l = new Lexer(name, input, lexText);
  for (let state: StateFn | null = lexText; state !== null; ) state = state(l);
  return l.items;
}

/** A left trim marker ("- ") at offset i of s; offsets avoid copying the rest of the input. */
function hasLeftTrimMarker(s: string, i: number): boolean {
  return i + 1 < s.length && s[i] === '-' && isSpace(s[i + 1]);
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

