// Float ↔ decimal text (≈ Python/dtoa.c _Py_dg_dtoa and Python/pystrtod.c format_float_short,
// PyOS_double_to_string, _Py_string_to_number_with_underscores).
//
// Digit generation (dtoa) in the three modes CPython uses:
//   mode 0  shortest digits that round-trip (repr): JS's Number.prototype.toExponential()
//           without an argument produces exactly that set of digits (shortest, then closest).
//   mode 2  `ndigits` significant digits, correctly rounded (round-half-even on the exact
//           binary value) — 'e', 'g' and friends.
//   mode 3  `ndigits` digits after the decimal point (ndigits may be negative) — 'f', round().
// Modes 2 and 3 compute with BigInt on the exact value m·2^e (a double is exactly that), so
// they agree with CPython's digits for every precision (JS toFixed/toPrecision round ties
// away from zero, and stop at 100 digits). Like _Py_dg_dtoa, the digit strings have no
// trailing zeros and come with `decpt`, the position of the decimal point (value =
// 0.DIGITS × 10^decpt); a value that rounds to nothing in mode 3 gives "" with decpt = −ndigits.
//
// format_float_short then lays the digits out as CPython does (exponent or not, padding zeros,
// '#' alternate form, the ".0" of repr). No JS value outlives a call.

// ---- dtoa ----
const scratch = new Float64Array(1);
const scratchU32 = new Uint32Array(scratch.buffer);

/** Result fields of the last dtoa() call (module-level, so no object is allocated per call). */
export let dtoaDecpt = 0;
export let dtoaNeg = false;

/** Split a finite non-zero |x| into integer mantissa and exponent: |x| = m · 2^e. */
let splitExp = 0;
function splitMantissa(x: number): bigint {
  scratch[0] = x;
  const hi = scratchU32[1];
  const lo = scratchU32[0];
  const bexp = (hi >>> 20) & 0x7ff;
  const mhi = hi & 0xfffff;
  let m = BigInt(mhi) * 4294967296n + BigInt(lo);
  if (bexp === 0) {
    splitExp = -1074;
  } else {
    m += 1n << 52n;
    splitExp = bexp - 1075;
  }
  return m;
}

const POW10: bigint[] = [];
function pow10(n: number): bigint {
  if (n < 64) {
    let p = POW10[n];
    if (p === undefined) p = POW10[n] = 10n ** BigInt(n);
    return p;
  }
  return 10n ** BigInt(n);
}

/** round-half-even(m · 2^e · 10^p) for a BigInt mantissa. */
function roundScaled(m: bigint, e: number, p: number): bigint {
  let num = m;
  let den = 1n;
  if (e >= 0) num <<= BigInt(e);
  else den <<= BigInt(-e);
  if (p >= 0) num *= pow10(p);
  else den *= pow10(-p);
  const q = num / den;
  const r2 = (num - q * den) << 1n;
  if (r2 > den || (r2 === den && (q & 1n) === 1n)) return q + 1n;
  return q;
}

function stripZeros(s: string): string {
  let n = s.length;
  while (n > 1 && s.charCodeAt(n - 1) === 48) n--;
  return n === s.length ? s : s.slice(0, n);
}

/** ≈ _Py_dg_dtoa(x, mode, ndigits): the digit string (no trailing zeros); sets dtoaDecpt and
 *  dtoaNeg. Infinity gives "Infinity" and NaN "NaN" with decpt 9999, as dtoa does. */
export function dtoa(x: number, mode: number, ndigits: number): string {
  dtoaNeg = x < 0 || (x === 0 && 1 / x < 0);
  if (x !== x) {
    dtoaDecpt = 9999;
    dtoaNeg = false;
    return 'NaN';
  }
  if (x === Infinity || x === -Infinity) {
    dtoaDecpt = 9999;
    return 'Infinity';
  }
  if (x === 0) {
    dtoaDecpt = 1;
    return '0';
  }
  const a = x < 0 ? -x : x;
  if (mode === 0) {
    const s = a.toExponential();
    const ei = s.indexOf('e');
    const exp = +s.slice(ei + 1);
    dtoaDecpt = exp + 1;
    return ei === 1 ? s[0] : s[0] + s.slice(2, ei);
  }
  const m = splitMantissa(a);
  const e = splitExp;
  if (mode === 3) {
    const N = roundScaled(m, e, ndigits);
    if (N === 0n) {
      dtoaDecpt = -ndigits;
      return '';
    }
    const s = N.toString();
    dtoaDecpt = s.length - ndigits;
    return stripZeros(s);
  }
  // mode 2: ndigits significant digits. First the exact decimal exponent k (10^k ≤ |x| < 10^(k+1)).
  if (ndigits < 1) ndigits = 1;
  let k = Math.floor(Math.log10(a));
  while (cmpPow10(m, e, k) < 0) k--;
  while (cmpPow10(m, e, k + 1) >= 0) k++;
  const N = roundScaled(m, e, ndigits - 1 - k);
  const s = N.toString();
  if (s.length > ndigits) {
    // rounded up to 10^ndigits
    dtoaDecpt = k + 2;
    return '1';
  }
  dtoaDecpt = k + 1;
  return stripZeros(s);
}

/** sign(m·2^e − 10^k), exactly */
function cmpPow10(m: bigint, e: number, k: number): number {
  let L = m;
  let R = 1n;
  if (e >= 0) L <<= BigInt(e);
  else R <<= BigInt(-e);
  if (k >= 0) R *= pow10(k);
  else L *= pow10(-k);
  return L < R ? -1 : L > R ? 1 : 0;
}

// ---- format_float_short / PyOS_double_to_string ----
export const Py_DTSF_SIGN = 0x01;
export const Py_DTSF_ADD_DOT_0 = 0x02;
export const Py_DTSF_ALT = 0x04;
export const Py_DTSF_NO_NEG_0 = 0x08;

/** What kind of value the last PyOS_double_to_string call formatted (≈ Py_DTST_*). */
export const Py_DTST_FINITE = 0;
export const Py_DTST_INFINITE = 1;
export const Py_DTST_NAN = 2;
export let lastDtoaType = Py_DTST_FINITE;

function zeros(n: number): string {
  return n > 0 ? '0'.repeat(n) : '';
}

/** ≈ format_float_short */
function format_float_short(
  d: number, code: string, mode: number, precision: number, alwaysSign: boolean, addDot0: boolean,
  alt: boolean, noNegZero: boolean, upper: boolean,
): string {
  const digits = dtoa(d, mode, precision);
  let decpt = dtoaDecpt;
  let neg = dtoaNeg;
  const dlen = digits.length;
  if (decpt === 9999) {
    if (digits[0] === 'I') {
      lastDtoaType = Py_DTST_INFINITE;
      return (neg ? '-' : alwaysSign ? '+' : '') + (upper ? 'INF' : 'inf');
    }
    lastDtoaType = Py_DTST_NAN;
    return (alwaysSign ? '+' : '') + (upper ? 'NAN' : 'nan');
  }
  lastDtoaType = Py_DTST_FINITE;
  if (noNegZero && neg && (dlen === 0 || (dlen === 1 && digits === '0'))) neg = false;
  let useExp = false;
  let vEnd = dlen;
  let exp = 0;
  switch (code) {
    case 'e':
      useExp = true;
      vEnd = precision;
      break;
    case 'f':
      vEnd = decpt + precision;
      break;
    case 'g':
      if (decpt <= -4 || decpt > (addDot0 ? precision - 1 : precision)) useExp = true;
      if (alt) vEnd = precision;
      break;
    case 'r':
      if (decpt <= -4 || decpt > 16) useExp = true;
      break;
  }
  if (useExp) {
    exp = decpt - 1;
    decpt = 1;
  }
  const vStart = decpt <= 0 ? decpt - 1 : 0;
  if (!useExp && addDot0) vEnd = vEnd > decpt ? vEnd : decpt + 1;
  else vEnd = vEnd > decpt ? vEnd : decpt;

  let out = neg ? '-' : alwaysSign ? '+' : '';
  if (decpt <= 0) out += zeros(decpt - vStart) + '.' + zeros(-decpt);
  else out += zeros(-vStart);
  if (decpt > 0 && decpt <= dlen) out += digits.slice(0, decpt) + '.' + digits.slice(decpt);
  else out += digits;
  if (dlen < decpt) out += zeros(decpt - dlen) + '.' + zeros(vEnd - decpt);
  else out += zeros(vEnd - dlen);
  if (out.charCodeAt(out.length - 1) === 46 && !alt) out = out.slice(0, -1);
  if (useExp) {
    const ae = exp < 0 ? -exp : exp;
    out += (upper ? 'E' : 'e') + (exp < 0 ? '-' : '+') + (ae < 10 ? '0' + ae : String(ae));
  }
  return out;
}

/** ≈ PyOS_double_to_string(val, format_code, precision, flags): format_code one of
 *  e E f F g G r (precision ignored for 'r'). Sets lastDtoaType. */
export function PyOS_double_to_string(val: number, formatCode: string, precision: number, flags: number): string {
  let mode = 0;
  let code = formatCode;
  const upper = code === 'E' || code === 'F' || code === 'G';
  switch (code) {
    case 'E':
    case 'e':
      code = 'e';
      mode = 2;
      precision++;
      break;
    case 'F':
    case 'f':
      code = 'f';
      mode = 3;
      break;
    case 'G':
    case 'g':
      code = 'g';
      mode = 2;
      if (precision === 0) precision = 1;
      break;
    case 'r':
      mode = 0;
      precision = 0;
      break;
    default:
      throw new Error(`pymem bug: PyOS_double_to_string format code ${formatCode}`);
  }
  return format_float_short(
    val, code, mode, precision, (flags & Py_DTSF_SIGN) !== 0, (flags & Py_DTSF_ADD_DOT_0) !== 0,
    (flags & Py_DTSF_ALT) !== 0, (flags & Py_DTSF_NO_NEG_0) !== 0, upper,
  );
}

/** repr(float) / str(float) (≈ float_repr): shortest round-trip digits, '.0' for integral
 *  values, exponent form when the decimal exponent is < -4 or >= 16. */
export function floatReprJs(x: number): string {
  // fast path for "ordinary" values: JS's shortest digits in the same layout
  if (x === Math.trunc(x)) {
    if (x > -1e16 && x < 1e16) {
      if (x === 0) return 1 / x < 0 ? '-0.0' : '0.0';
      return String(x) + '.0';
    }
  } else if ((x > 1e-4 && x < 1e16) || (x < -1e-4 && x > -1e16)) {
    return String(x); // JS uses fixed notation in this range, with the same digits
  }
  return PyOS_double_to_string(x, 'r', 0, Py_DTSF_ADD_DOT_0);
}

// ---- text → double ----
/** ≈ Py_ISSPACE (ASCII whitespace used by float() after the unicode transform) */
function isSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13);
}

const FLOAT_RE = /^[+-]?(?:(?:\d(?:_?\d)*)(?:\.(?:\d(?:_?\d)*)?)?|\.\d(?:_?\d)*)(?:[eE][+-]?\d(?:_?\d)*)?$/;
const SPECIAL_RE = /^([+-]?)(inf|infinity|nan)$/i;

/** ≈ _Py_string_to_number_with_underscores + PyOS_string_to_double over ASCII text (already
 *  transformed from Unicode digits/spaces): the value, or NaN with `parseFailed` set. */
export let parseFailed = false;
export function parseFloatText(s: string): number {
  let i = 0;
  let n = s.length;
  while (i < n && isSpace(s.charCodeAt(i))) i++;
  while (n > i && isSpace(s.charCodeAt(n - 1))) n--;
  const t = i === 0 && n === s.length ? s : s.slice(i, n);
  parseFailed = false;
  if (FLOAT_RE.test(t)) {
    return parseFloat(t.indexOf('_') >= 0 ? t.replace(/_/g, '') : t);
  }
  const m = SPECIAL_RE.exec(t);
  if (m !== null) {
    const neg = m[1] === '-';
    if (m[2].length === 3 && m[2].toLowerCase() === 'nan') return NaN;
    return neg ? -Infinity : Infinity;
  }
  parseFailed = true;
  return NaN;
}
