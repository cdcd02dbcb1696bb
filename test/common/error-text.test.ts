import { strict as assert } from 'node:assert';
import { describe, it } from 'mocha';
import { asError, errorText } from '../../src/common/error-text.js';

class CodedError extends Error {
  constructor(message: string, readonly code: string) {
    super(message);
  }
}

describe('common/error-text', () => {
  const table: [name: string, thrown: unknown, text: string][] = [
    ['an Error gives its message', new Error('boom'), 'boom'],
    ['a subclass gives its message, not its name', new CodedError('denied', 'E1'), 'denied'],
    ['a TypeError', new TypeError('x is not a function'), 'x is not a function'],
    ['a thrown string', 'plain', 'plain'],
    ['a thrown number', 42, '42'],
    ['undefined', undefined, 'undefined'],
    ['null', null, 'null'],
    ['an object with a message is not an Error', { message: 'm' }, '[object Object]'],
  ];
  for (const [name, thrown, text] of table) it(`errorText: ${name}`, () => assert.equal(errorText(thrown), text));

  it('asError keeps an Error as it is and wraps anything else', () => {
    const e = new CodedError('x', 'E');
    assert.equal(asError(e), e);
    const wrapped = asError('down');
    assert.ok(wrapped instanceof Error);
    assert.equal(wrapped.message, 'down');
  });
});
