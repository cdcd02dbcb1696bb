/**
 * The slice of shopspring/decimal that Sprig's float functions (addf, subf, mulf, divf, add1f)
 * go through: floats become exact decimals of their shortest representation
 * (decimal.NewFromFloat), are combined exactly (division rounds half away from zero to
 * decimal.DivisionPrecision = 16 places, as Decimal.Div does), and convert back with Float64().
 */
export interface Decimal {
  readonly coef: bigint;
  readonly exp: number; // value = coef * 10^exp
}

export function fromFloat(f: number): Decimal {
  if (!Number.isFinite(f)) throw new Error(`Cannot create a Decimal from ${Number.isNaN(f) ? 'NaN' : f > 0 ? '+Inf' : '-Inf'}`);
  const m = /^(-?)(\d+)(?:\.(\d+))?(?:e([+-]\d+))?$/.exec(String(f))!;
  const frac = m[3] ?? '';
  const coef = BigInt(m[1] + m[2] + frac);
  return { coef, exp: Number(m[4] ?? 0) - frac.length };
}

function align(a: Decimal, b: Decimal): [bigint, bigint, number] {
  const exp = Math.min(a.exp, b.exp);
  return [a.coef * 10n ** BigInt(a.exp - exp), b.coef * 10n ** BigInt(b.exp - exp), exp];
}

export function add(a: Decimal, b: Decimal): Decimal {
  const [x, y, exp] = align(a, b);
  return { coef: x + y, exp };
}

export function sub(a: Decimal, b: Decimal): Decimal {
  const [x, y, exp] = align(a, b);
  return { coef: x - y, exp };
}

export function mul(a: Decimal, b: Decimal): Decimal {
  return { coef: a.coef * b.coef, exp: a.exp + b.exp };
}

const DIVISION_PRECISION = 16;

export function div(a: Decimal, b: Decimal): Decimal {
  if (b.coef === 0n) throw new Error('decimal division by 0');
  // q = a/b scaled to 10^-17, then rounded half away from zero to 10^-16.
  const shift = a.exp - b.exp + DIVISION_PRECISION + 1;
  const num = shift >= 0 ? a.coef * 10n ** BigInt(shift) : a.coef;
  const den = shift >= 0 ? b.coef : b.coef * 10n ** BigInt(-shift);
  const q = num / den;
  const neg = q < 0n;
  const abs = neg ? -q : q;
  const rounded = (abs + 5n) / 10n;
  return { coef: neg ? -rounded : rounded, exp: -DIVISION_PRECISION };
}

export function toFloat(d: Decimal): number {
  return Number(`${d.coef}e${d.exp}`);
}
