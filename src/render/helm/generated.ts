/**
 * Generated values kept stable between renders. Sprig's random and key-making functions
 * (randAlphaNum, uuidv4, genCA, htpasswd…) give a new value on every call, so a GitOps controller
 * that re-renders a chart sees every generated password, key and certificate change: the app is
 * OutOfSync forever, and a sync rotates its passwords. Given the values an earlier render of the
 * same app × env generated, a render hands each call the value it had before.
 *
 * A call is identified by the template that made it (the file being rendered, whatever it
 * includes), the function, how many calls of that function the template made before it, and its
 * arguments. Changing the arguments (`randAlphaNum 16` for `10`, a new CA) generates anew; a
 * change that adds a call of the same function earlier in the same template shifts the later ones. A certificate is
 * generated anew once two thirds of its validity have passed, so a kept one never expires.
 * Values no call asked for are dropped from the result.
 */
import { createHash, X509Certificate } from 'node:crypto';
import type { GoValue, TemplateFunc } from '../gotemplate/value.js';
import { Certificate } from '../sprig/certs.js';

/** Generated values by call: what a render returns and the next render of the same app × env takes. */
export type GeneratedValues = Readonly<Record<string, string>>;

/** The functions whose results are kept: strings as they are, randInt as a decimal, certificates as JSON. */
const STRING_FUNCS = [
  'randAlphaNum', 'randAlpha', 'randNumeric', 'randAscii', 'randBytes', 'shuffle', 'uuidv4',
  'genPrivateKey', 'bcrypt', 'htpasswd', 'encryptAES',
];
const CERT_FUNCS = ['genCA', 'genCAWithKey', 'genSelfSignedCert', 'genSelfSignedCertWithKey', 'genSignedCert', 'genSignedCertWithKey'];
export const GENERATING_FUNCS: readonly string[] = [...STRING_FUNCS, 'randInt', ...CERT_FUNCS];

interface Codec {
  encode(v: GoValue): string;
  decode(s: string): GoValue;
  /** False when a kept value must be generated anew. */
  usable?(s: string, now: number): boolean;
}

const STRING: Codec = { encode: (v) => String(v), decode: (s) => s };
const INT: Codec = { encode: (v) => String(v), decode: (s) => BigInt(s) };
const CERT: Codec = {
  encode: (v) => {
    const c = v as Certificate;
    return JSON.stringify({ cert: c.Cert, key: c.Key });
  },
  decode: (s) => {
    const { cert, key } = JSON.parse(s) as { cert: string; key: string };
    return new Certificate(cert, key);
  },
  usable: (s, now) => {
    const x = new X509Certificate((JSON.parse(s) as { cert: string }).cert);
    const from = Date.parse(x.validFrom);
    const to = Date.parse(x.validTo);
    return now < from + ((to - from) * 2) / 3;
  },
};

function codecOf(name: string): Codec {
  return CERT_FUNCS.includes(name) ? CERT : name === 'randInt' ? INT : STRING;
}

/** Argument identity: JSON with Go ints marked, digested so a CA passed along stays short. */
function argsDigest(args: GoValue[]): string {
  const json = JSON.stringify(args, (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v instanceof Uint8Array ? Buffer.from(v).toString('base64') : v));
  return createHash('sha256').update(json).digest('hex').slice(0, 16);
}

/** One render's view of generated values: hands out kept ones, records every one handed out. */
export class GeneratedLedger {
  private readonly used: Record<string, string> = {};
  private readonly seen = new Map<string, number>();
  /** The top-level template being rendered (set by the engine before each one). */
  template = '';

  constructor(
    private readonly previous: GeneratedValues,
    private readonly now: number = Date.now(),
  ) {}

  /** Calls the generating function `name` (implemented by `fn`) or hands out what it gave before. */
  call(name: string, fn: TemplateFunc, args: GoValue[]): GoValue {
    const codec = codecOf(name);
    // Counted per function, not per arguments, so new arguments for one call do not shift the next.
    const site = `${this.template}|${name}`;
    const n = this.seen.get(site) ?? 0;
    this.seen.set(site, n + 1);
    const key = `${site}#${n}|${argsDigest(args)}`;
    const kept = Object.hasOwn(this.previous, key) ? reuse(codec, this.previous[key], this.now) : undefined;
    if (kept) {
      this.used[key] = this.previous[key];
      return kept.value;
    }
    const v = fn(...args);
    // A function reporting an error as its result (genPrivateKey's "Unknown type") is not kept.
    if (typeof v !== 'string' || !v.startsWith('Unknown type')) this.used[key] = codec.encode(v);
    return v;
  }

  /** The values this render generated or reused. */
  result(): Record<string, string> {
    return { ...this.used };
  }
}

/** The kept value decoded, or undefined when it must be generated anew. */
function reuse(codec: Codec, kept: string, now: number): { value: GoValue } | undefined {
  try {
    if (codec.usable && !codec.usable(kept, now)) return undefined;
    return { value: codec.decode(kept) };
  } catch {
    // Not readable as what this function returns (edited by hand, another format): a new value
    // is what the template would get without a ledger, so nothing is lost.
    return undefined;
  }
}
