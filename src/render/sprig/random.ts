/**
 * Sprig's random functions: randAlphaNum/randAlpha/randNumeric/randAscii (goutils'
 * CryptoRandom* alphabets), randInt, randBytes (base64 of n random bytes), shuffle (xstrings
 * rune shuffle), uuidv4. Values are random, so only shape is reproducible.
 */
import { randomBytes, randomInt, randomUUID } from 'node:crypto';
import { type FuncMap, defineFunc } from '../gotemplate/value.js';
import { argInt, argString } from './args.js';

const ALPHA = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
const DIGITS = '0123456789';

/** Printable ASCII 32..126 as goutils.CryptoRandomAscii uses. */
const ASCII = Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i)).join('');

function randFrom(alphabet: string, n: number): string {
  // goutils returns an error for a negative count ("Requested random string length -1 is less than 0.").
  if (n < 0) throw new Error(`Requested random string length ${n} is less than 0.`);
  let out = '';
  for (let i = 0; i < n; i++) out += alphabet[randomInt(alphabet.length)];
  return out;
}

function shuffle(s: string): string {
  const r = [...s];
  for (let i = r.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [r[i], r[j]] = [r[j], r[i]];
  }
  return r.join('');
}

export function register(m: FuncMap): void {
  defineFunc(m, 'randAlphaNum', 1, (n) => randFrom(ALPHA + DIGITS, argInt(n)));
  defineFunc(m, 'randAlpha', 1, (n) => randFrom(ALPHA, argInt(n)));
  defineFunc(m, 'randNumeric', 1, (n) => randFrom(DIGITS, argInt(n)));
  defineFunc(m, 'randAscii', 1, (n) => randFrom(ASCII, argInt(n)));
  defineFunc(m, 'randInt', 2, (a, b) => {
    const [min, max] = [argInt(a), argInt(b)];
    if (max - min <= 0) throw new Error('invalid argument to Intn');
    return BigInt(min + randomInt(max - min));
  });
  defineFunc(m, 'randBytes', 1, (n) => randomBytes(Math.max(argInt(n), 0)).toString('base64'));
  defineFunc(m, 'shuffle', 1, (s) => shuffle(argString(s)));
  defineFunc(m, 'uuidv4', 0, () => randomUUID());
}
