/**
 * Go's time.Duration text forms: Duration.String() ("1h2m3.5s", "150ms", "0s") and
 * time.ParseDuration, on bigint nanoseconds.
 */
const UNITS: Record<string, bigint> = {
  ns: 1n, us: 1000n, 'µs': 1000n, 'μs': 1000n, ms: 1000000n, s: 1000000000n, m: 60000000000n, h: 3600000000000n,
};

function fracString(v: bigint, digits: number): string {
  const s = v.toString().padStart(digits, '0').replace(/0+$/, '');
  return s ? '.' + s : '';
}

/** Go's Duration.String. */
export function formatDuration(d: bigint): string {
  const neg = d < 0n;
  const u = neg ? -d : d;
  const sign = neg ? '-' : '';
  if (u === 0n) return '0s';
  if (u < 1000000000n) {
    if (u < 1000n) return `${sign}${u}ns`;
    if (u < 1000000n) return `${sign}${u / 1000n}${fracString(u % 1000n, 3)}µs`;
    return `${sign}${u / 1000000n}${fracString(u % 1000000n, 6)}ms`;
  }
  const secs = u / 1000000000n;
  const frac = fracString(u % 1000000000n, 9);
  const h = secs / 3600n;
  const m = (secs / 60n) % 60n;
  const s = secs % 60n;
  let out = `${s}${frac}s`;
  if (h > 0n || m > 0n) out = `${m}m` + out;
  if (h > 0n) out = `${h}h` + out;
  return sign + out;
}

/** Go's time.ParseDuration; throws `time: invalid duration "…"` like Go. */
export function parseDuration(s: string): bigint {
  const bad = (): Error => new Error(`time: invalid duration "${s}"`);
  let rest = s;
  let neg = false;
  if (rest[0] === '-' || rest[0] === '+') {
    neg = rest[0] === '-';
    rest = rest.slice(1);
  }
  if (rest === '0') return 0n;
  if (rest === '') throw bad();
  let total = 0n;
  while (rest !== '') {
    const m = /^(\d*)(?:\.(\d*))?([a-zµμ]+)?/.exec(rest);
    if (!m || (m[1] === '' && (m[2] ?? '') === '') || m[0] === '') throw bad();
    if (!m[3]) throw new Error(`time: missing unit in duration "${s}"`);
    const unit = UNITS[m[3]];
    if (unit === undefined) throw new Error(`time: unknown unit "${m[3]}" in duration "${s}"`);
    const frac = m[2] ?? '';
    total += BigInt(m[1] || '0') * unit + (frac ? (BigInt(frac) * unit) / 10n ** BigInt(frac.length) : 0n);
    rest = rest.slice(m[0].length);
  }
  if (total > 2n ** 63n - 1n) throw bad();
  return neg ? -total : total;
}

/** Go's Duration.Round(m) for m > 0: halves away from zero. */
export function roundDuration(d: bigint, m: bigint): bigint {
  let r = d % m;
  if (d < 0n) {
    r = -r;
    return r + r < m ? d + r : d - m + r;
  }
  return r + r < m ? d - r : d + m - r;
}
