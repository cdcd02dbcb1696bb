/**
 * Kubernetes resource quantities (`500m`, `0.5`, `1Gi`, `1024Mi`, `1e3`) parsed to exact rationals
 * so the diff compares them by value, as the API server canonicalises them
 * (k8s.io/apimachinery/pkg/api/resource/quantity.go).
 */

/** value = num / den, both positive-or-zero bigints with sign in num. */
export interface Rational {
  readonly num: bigint;
  readonly den: bigint;
}

const BINARY: Readonly<Record<string, bigint>> = {
  Ki: 1n << 10n,
  Mi: 1n << 20n,
  Gi: 1n << 30n,
  Ti: 1n << 40n,
  Pi: 1n << 50n,
  Ei: 1n << 60n,
};
const DECIMAL: Readonly<Record<string, number>> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };

// <sign><digits>[.<digits>]<suffix>, suffix binary, decimal or an e/E exponent, as quantity.go's grammar.
const QUANTITY = /^([+-]?)(\d*)(?:\.(\d*))?(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE]|[eE][+-]?\d+)?$/;

function pow10(e: number): bigint {
  return 10n ** BigInt(e);
}

/** Parses a quantity string or number; undefined when it isn't one. */
export function parseQuantity(value: unknown): Rational | undefined {
  let text: string;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return undefined;
    text = String(value);
  } else if (typeof value === 'bigint') {
    return { num: value, den: 1n };
  } else if (typeof value === 'string') {
    text = value.trim();
  } else {
    return undefined;
  }
  const m = QUANTITY.exec(text);
  if (!m || (m[2] === '' && (m[3] ?? '') === '')) return undefined;
  const [, sign, whole, frac = '', suffix = ''] = m;
  let num = BigInt((whole || '0') + frac) * (sign === '-' ? -1n : 1n);
  let den = pow10(frac.length);
  if (suffix in BINARY) {
    num *= BINARY[suffix];
  } else {
    const exp = suffix in DECIMAL ? DECIMAL[suffix] : Number(suffix.slice(1));
    if (exp >= 0) num *= pow10(exp);
    else den *= pow10(-exp);
  }
  return { num, den };
}

/** Both are quantities with the same value. */
export function quantitiesEqual(a: unknown, b: unknown): boolean {
  const x = parseQuantity(a);
  const y = parseQuantity(b);
  return x !== undefined && y !== undefined && x.num * y.den === y.num * x.den;
}
