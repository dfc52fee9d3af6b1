// Exact decimals as the server reads them (src/domain/workflow/decimal.rs):
// an i128 scaled by 10^18, plain notation for typed text, exponents allowed
// only for JSON numbers.

export const SCALE_DIGITS = 18;
const SCALE = 10n ** 18n;
const I128_MAX = (1n << 127n) - 1n;

export type DecimalError = 'syntax' | 'out_of_range' | 'too_precise';
export type DecimalResult = { ok: true; value: bigint } | { ok: false; error: DecimalError };

export function parseDecimal(text: string, allowExponent = false): DecimalResult {
  let rest = text;
  let negative = false;
  if (rest.startsWith('-')) {
    negative = true;
    rest = rest.slice(1);
  } else if (rest.startsWith('+')) {
    rest = rest.slice(1);
  }
  let mantissa = rest;
  let exponent = 0;
  const e = rest.search(/[eE]/);
  if (e >= 0) {
    if (!allowExponent) return { ok: false, error: 'syntax' };
    const expText = rest.slice(e + 1);
    if (!/^[+-]?\d+$/.test(expText)) return { ok: false, error: 'syntax' };
    exponent = Number.parseInt(expText, 10);
    mantissa = rest.slice(0, e);
  }
  const dot = mantissa.indexOf('.');
  const int = dot >= 0 ? mantissa.slice(0, dot) : mantissa;
  const frac = dot >= 0 ? mantissa.slice(dot + 1) : '';
  const digitsOk = (s: string) => /^\d*$/.test(s);
  if (!int || !digitsOk(int) || !digitsOk(frac) || (dot >= 0 && !frac)) return { ok: false, error: 'syntax' };
  const all = (int + frac).replace(/^0+/, '');
  const trimmed = all.replace(/0+$/, '');
  const places = frac.length - exponent - (all.length - trimmed.length);
  if (!trimmed) return { ok: true, value: 0n };
  if (places > SCALE_DIGITS) return { ok: false, error: 'too_precise' };
  if (trimmed.length > 38) return { ok: false, error: 'out_of_range' };
  const raw = BigInt(trimmed);
  const shift = SCALE_DIGITS - places;
  if (shift > 38) return { ok: false, error: 'out_of_range' };
  const scaled = raw * 10n ** BigInt(shift);
  if (scaled > I128_MAX) return { ok: false, error: 'out_of_range' };
  return { ok: true, value: negative ? -scaled : scaled };
}

/** Decimal places actually used (12.50 → 1). */
export function decimalPlaces(value: bigint): number {
  let frac = value % SCALE;
  if (frac < 0n) frac = -frac;
  if (frac === 0n) return 0;
  let places = SCALE_DIGITS;
  while (frac % 10n === 0n) {
    frac /= 10n;
    places -= 1;
  }
  return places;
}

/** Formats with exactly `places` decimals (truncating). */
export function toFixed(value: bigint, places: number): string {
  const sign = value < 0n ? '-' : '';
  const abs = value < 0n ? -value : value;
  const whole = abs / SCALE;
  if (places === 0) return `${sign}${whole}`;
  const frac = (abs % SCALE) / 10n ** BigInt(SCALE_DIGITS - places);
  return `${sign}${whole}.${frac.toString().padStart(places, '0')}`;
}

/** A schema bound (f64) as a decimal, through its shortest spelling. */
export function fromNumber(n: number): DecimalResult {
  if (!Number.isFinite(n)) return { ok: false, error: 'syntax' };
  return parseDecimal(String(n), true);
}
