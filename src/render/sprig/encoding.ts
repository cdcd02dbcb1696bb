/**
 * Sprig's encodings and checksums: b64enc/b64dec, b32enc/b32dec (Go's StdEncoding, decode errors
 * returned as the result string as Sprig does), sha1sum, sha256sum, sha512sum (hex) and
 * adler32sum (decimal).
 */
import { createHash } from 'node:crypto';
import { type FuncMap, defineFunc } from '../gotemplate/value.js';
import { argString } from './args.js';

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const B32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const enc = new TextEncoder();
const dec = new TextDecoder();

/** Go's base64.StdEncoding.DecodeString validation (decodeQuantum); returns the bad offset. */
export function b64Check(src: Uint8Array): number | null {
  const isNl = (b: number): boolean => b === 10 || b === 13;
  let si = 0;
  for (;;) {
    for (let j = 0; j < 4; j++) {
      if (si === src.length) {
        if (j === 0) return null;
        return si - j;
      }
      const ch = src[si++];
      if (B64.includes(String.fromCharCode(ch))) continue;
      if (isNl(ch)) {
        j--;
        continue;
      }
      if (ch !== 61 || j < 2) return si - 1;
      if (j === 2) {
        while (si < src.length && isNl(src[si])) si++;
        if (si === src.length) return src.length;
        if (src[si] !== 61) return si - 1;
        si++;
      }
      while (si < src.length && isNl(src[si])) si++;
      return si < src.length ? si : null;
    }
  }
}

function b64dec(s: string): string {
  const bad = b64Check(enc.encode(s));
  if (bad !== null) return `illegal base64 data at input byte ${bad}`;
  return dec.decode(Buffer.from(s.replace(/[\r\n]/g, ''), 'base64'));
}

function b32enc(b: Uint8Array): string {
  let out = '';
  let bits = 0;
  let acc = 0;
  for (const x of b) {
    acc = (acc << 8) | x;
    bits += 8;
    while (bits >= 5) {
      out += B32[(acc >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += B32[(acc << (5 - bits)) & 31];
  return out + '='.repeat((8 - (out.length % 8)) % 8);
}

/** Go's base32.StdEncoding decode, newlines stripped first; returns bytes or the bad offset. */
function b32dec(s: string): Uint8Array | number {
  const src = s.replace(/[\r\n]/g, '');
  const out: number[] = [];
  for (let q = 0; q < src.length; q += 8) {
    const chunk = src.slice(q, q + 8);
    let j = 0;
    for (; j < 8; j++) {
      if (j >= chunk.length) return q; // missing padding: Go reports the quantum's start
      const ch = chunk[j];
      if (ch === '=' && j >= 2 && src.length - (q + j + 1) < 8) {
        const rest = src.slice(q + j + 1);
        if (rest.length + j < 7) return src.length;
        for (let k = 0; k < 7 - j; k++) if (k < rest.length && rest[k] !== '=') return q + j + 1 + k;
        if (j === 1 || j === 3 || j === 6) return q + j;
        break;
      }
      if (!B32.includes(ch)) return q + j;
    }
    let acc = 0n;
    for (let k = 0; k < 8; k++) acc = (acc << 5n) | BigInt(k < j ? B32.indexOf(chunk[k]) : 0);
    const nbytes = [0, 0, 1, 1, 2, 3, 3, 4, 5][j];
    for (let k = 0; k < nbytes; k++) out.push(Number((acc >> BigInt(32 - 8 * k)) & 255n));
    if (j < 8) break;
  }
  return new Uint8Array(out);
}

/** hash/adler32 of the UTF-8 bytes. */
function adler32(b: Uint8Array): number {
  let a = 1;
  let c = 0;
  for (const x of b) {
    a = (a + x) % 65521;
    c = (c + a) % 65521;
  }
  return (c << 16) + a;
}

export function register(m: FuncMap): void {
  defineFunc(m, 'b64enc', 1, (s) => Buffer.from(argString(s), 'utf8').toString('base64'));
  defineFunc(m, 'b64dec', 1, (s) => b64dec(argString(s)));
  defineFunc(m, 'b32enc', 1, (s) => b32enc(enc.encode(argString(s))));
  defineFunc(m, 'b32dec', 1, (s) => {
    const r = b32dec(argString(s));
    return typeof r === 'number' ? `illegal base32 data at input byte ${r}` : dec.decode(r);
  });
  for (const [name, algo] of [['sha1sum', 'sha1'], ['sha256sum', 'sha256'], ['sha512sum', 'sha512']] as const) {
    defineFunc(m, name, 1, (s) => createHash(algo).update(argString(s), 'utf8').digest('hex'));
  }
  defineFunc(m, 'adler32sum', 1, (s) => String(adler32(enc.encode(argString(s)))));
}
