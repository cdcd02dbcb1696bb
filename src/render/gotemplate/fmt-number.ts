/**
 * Number formatting as Go's strconv does it: FormatFloat with 'e', 'f', 'g' (shortest or with a
 * precision) and integer formatting in a base. Used by fmt.ts; ported from Go's strconv/ftoa.go.
 */

/** The exact decimal expansion of finite |f| as digits and decimal-point position (f = 0.digits × 10^dp). */
function exactDecimal(f: number): { digits: string; dp: number } {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, Math.abs(f));
  const bits = view.getBigUint64(0);
  const biased = Number((bits >> 52n) & 0x7ffn);
  let mant = bits & ((1n << 52n) - 1n);
  if (biased !== 0) mant |= 1n << 52n;
  const exp = (biased === 0 ? 1 : biased) - 1075; // |f| = mant × 2^exp
  if (mant === 0n) return { digits: '0', dp: 1 };
  if (exp >= 0) {
    const d = (mant << BigInt(exp)).toString();
    return { digits: d, dp: d.length };
  }
  const d = (mant * 5n ** BigInt(-exp)).toString(); // = |f| × 10^-exp
  return { digits: d, dp: d.length + exp };
}

/** Rounds exact digits to `n` digits, half to even like Go's strconv (decimal.Round). */
function roundDigits(digits: string, dp: number, n: number): { digits: string; dp: number } {
  if (n < 0) return { digits: '0', dp: dp };
  if (n >= digits.length) return { digits, dp };
  const next = digits.charCodeAt(n) - 48;
  const rest = digits.slice(n + 1).replace(/0+$/, '');
  const prevOdd = n > 0 && (digits.charCodeAt(n - 1) - 48) % 2 === 1;
  const up = next > 5 || (next === 5 && (rest.length > 0 || prevOdd));
  let kept = digits.slice(0, n);
  if (!up) return { digits: kept || '0', dp };
  const bumped = (BigInt(kept || '0') + 1n).toString();
  if (kept.length === 0) return { digits: '1', dp: dp + 1 };
  if (bumped.length > kept.length) return { digits: bumped.slice(0, kept.length), dp: dp + 1 };
  kept = bumped.padStart(kept.length, '0');
  return { digits: kept, dp };
}

/** Decimal digits and decimal-point position of |f|, shortest round-trip (sig < 0) or rounded to `sig` significant digits. */
function decimalDigits(f: number, sig: number): { digits: string; dp: number } {
  const a = Math.abs(f);
  if (a === 0) return { digits: '0', dp: 1 };
  if (sig < 0) {
    const [mant, exp] = a.toExponential().split('e');
    return { digits: mant.replace('.', ''), dp: Number(exp) + 1 };
  }
  const ex = exactDecimal(a);
  const r = roundDigits(ex.digits, ex.dp, sig);
  return { digits: r.digits.padEnd(sig, '0'), dp: r.dp };
}

/** |f| with `prec` digits after the point, rounded half to even on the exact value. */
function fixed(a: number, prec: number): string {
  if (a === 0) return formatF('0', 1, prec);
  const ex = exactDecimal(a);
  const r = roundDigits(ex.digits, ex.dp, ex.dp + prec);
  if (r.digits === '0' || ex.dp + prec < 0) return formatF('0', 1, prec);
  return formatF(r.digits, r.dp, prec);
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
    body = prec < 0 ? fShortest(f) : fixed(Math.abs(f), prec);
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

/** Go's strconv.FormatFloat(f, 'x', -1, 64): `0x1.8p+00`. */
export function formatHexFloat(f: number, upper: boolean): string {
  if (!Number.isFinite(f) || Number.isNaN(f)) return formatFloat(f, 'g', -1);
  const sign = f < 0 || Object.is(f, -0) ? '-' : '';
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, Math.abs(f));
  const bits = view.getBigUint64(0);
  let exp = Number((bits >> 52n) & 0x7ffn);
  let mant = bits & ((1n << 52n) - 1n);
  if (exp === 0 && mant === 0n) exp = 1023; // zero prints as 0x0p+00
  else if (exp === 0) {
    // Subnormal: shift until the implicit bit appears, as Go normalises.
    exp = 1;
    while ((mant & (1n << 52n)) === 0n) {
      mant <<= 1n;
      exp--;
    }
    mant &= (1n << 52n) - 1n;
  }
  const lead = f === 0 ? '0' : '1';
  const frac = mant.toString(16).padStart(13, '0').replace(/0+$/, '');
  const e = exp - 1023;
  const es = (e < 0 ? '-' : '+') + String(Math.abs(e)).padStart(2, '0');
  const s = `${sign}0x${lead}${frac ? '.' + frac : ''}p${es}`;
  return upper ? s.toUpperCase() : s;
}

/** Go's strconv.FormatInt for a bigint in base 2, 8, 10 or 16. */
export function formatInt(n: bigint, base: number, upper = false): string {
  const s = n.toString(base);
  return upper ? s.toUpperCase() : s;
}
