/**
 * Number formatting as Go's strconv does it: FormatFloat with 'e', 'f', 'g' (shortest or with a
 * precision) and integer formatting in a base. Used by fmt.ts; ported from Go's strconv/ftoa.go.
 */

/** Decimal digits and decimal-point position of |f|, shortest round-trip (prec < 0) or rounded to `sig` significant digits. */
function decimalDigits(f: number, sig: number): { digits: string; dp: number } {
  const a = Math.abs(f);
  if (a === 0) return { digits: '0', dp: 1 };
  const s = sig < 0 ? a.toExponential() : a.toExponential(Math.min(Math.max(sig - 1, 0), 100));
  const [mant, exp] = s.split('e');
  const digits = mant.replace('.', '');
  return { digits, dp: Number(exp) + 1 };
}

function expSuffix(exp: number, upper: boolean): string {
  const sign = exp < 0 ? '-' : '+';
  const e = Math.abs(exp);
  return (upper ? 'E' : 'e') + sign + (e < 10 ? '0' + e : String(e));
}

function formatE(digits: string, dp: number, prec: number, upper: boolean): string {
  let d = digits;
  if (prec >= 0) d = d.padEnd(prec + 1, '0').slice(0, prec + 1);
  const mant = d.length > 1 ? d[0] + '.' + d.slice(1) : d;
  return mant + expSuffix(digits === '0' ? 0 : dp - 1, upper);
}

function formatF(digits: string, dp: number, prec: number): string {
  let intPart: string;
  let frac: string;
  if (dp <= 0) {
    intPart = '0';
    frac = '0'.repeat(-dp) + digits;
  } else if (dp >= digits.length) {
    intPart = digits + '0'.repeat(dp - digits.length);
    frac = '';
  } else {
    intPart = digits.slice(0, dp);
    frac = digits.slice(dp);
  }
  if (prec >= 0) frac = frac.padEnd(prec, '0').slice(0, prec);
  return frac.length > 0 ? intPart + '.' + frac : intPart;
}

/** Go's strconv.FormatFloat(f, fmt, prec, 64) for fmt in e, E, f, g, G. */
export function formatFloat(f: number, fmt: 'e' | 'E' | 'f' | 'g' | 'G', prec: number): string {
  if (Number.isNaN(f)) return 'NaN';
  if (!Number.isFinite(f)) return f > 0 ? '+Inf' : '-Inf';
  const neg = f < 0 || Object.is(f, -0);
  let body: string;
  if (fmt === 'f') {
    body = prec < 0 ? fShortest(f) : Math.abs(f).toFixed(Math.min(prec, 100));
  } else if (fmt === 'e' || fmt === 'E') {
    const { digits, dp } = decimalDigits(f, prec < 0 ? -1 : prec + 1);
    body = formatE(digits, dp, prec, fmt === 'E');
  } else {
    body = formatG(f, prec, fmt === 'G');
  }
  return neg ? '-' + body : body;
}

function fShortest(f: number): string {
  const { digits, dp } = decimalDigits(f, -1);
  return formatF(digits, dp, -1);
}

/** strconv's %g: %e when the exponent is < -4 or >= the precision (6 when shortest). */
function formatG(f: number, prec: number, upper: boolean): string {
  const shortest = prec < 0;
  let p = prec === 0 ? 1 : prec;
  const { digits, dp } = decimalDigits(f, shortest ? -1 : p);
  let eprec = p;
  if (!shortest && eprec > digits.length && digits.length >= dp) eprec = digits.length;
  if (shortest) eprec = 6;
  const exp = dp - 1;
  const trimmed = digits === '0' ? '0' : digits.replace(/0+$/, '') || '0';
  if (exp < -4 || exp >= eprec) {
    p = shortest ? -1 : Math.min(p, trimmed.length) - 1;
    return formatE(trimmed, dp, p, upper);
  }
  return formatF(trimmed, dp, shortest ? -1 : Math.max(trimmed.length - dp, 0));
}

/** Go's strconv.FormatInt for a bigint in base 2, 8, 10 or 16. */
export function formatInt(n: bigint, base: number, upper = false): string {
  const s = n.toString(base);
  return upper ? s.toUpperCase() : s;
}
