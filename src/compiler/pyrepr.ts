// Python's repr() for the constant types, as pure helpers (no heap): float (shortest
// round-trip digits, 'r' format: exponent when exp < -4 or exp >= 16), str (quote choice,
// escapes, printable test), bytes, int, tuple, frozenset. dis uses them; the runtime can reuse
// floatRepr / strRepr / bytesRepr.

import { PRINTABLE_RANGES } from './printable_ranges.js';

/** repr(float): shortest digits that round-trip (JS's toExponential() gives the same digit
 *  string as CPython's dtoa mode 0), laid out the way float_repr_style 'r' does. */
export function floatRepr(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const neg = x < 0;
  const e = Math.abs(x).toExponential(); // d.ddddde+N
  const m = /^(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(e)!;
  const digits = m[1]! + (m[2] ?? '');
  const exp = parseInt(m[3]!, 10); // decimal point after the first digit
  let s: string;
  if (exp < -4 || exp >= 16) {
    const rest = digits.slice(1);
    const es = Math.abs(exp).toString().padStart(2, '0');
    s = digits[0]! + (rest ? '.' + rest : '') + 'e' + (exp < 0 ? '-' : '+') + es;
  } else if (exp < 0) {
    s = '0.' + '0'.repeat(-exp - 1) + digits;
  } else {
    const intLen = exp + 1;
    if (digits.length <= intLen) s = digits + '0'.repeat(intLen - digits.length) + '.0';
    else s = digits.slice(0, intLen) + '.' + digits.slice(intLen);
  }
  return neg ? '-' + s : s;
}

/** Python 3.11's str.isprintable() for one code point (Unicode 14.0 data, binary search). */
export function isPrintable(cp: number): boolean {
  let lo = 0, hi = PRINTABLE_RANGES.length / 2 - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (cp < PRINTABLE_RANGES[2 * mid]!) hi = mid - 1;
    else if (cp > PRINTABLE_RANGES[2 * mid + 1]!) lo = mid + 1;
    else return true;
  }
  return false;
}

function hex(n: number, width: number): string {
  return n.toString(16).padStart(width, '0');
}

/** repr(str) (≈ unicode_repr). `s` is UTF-16; lone surrogates are escaped as CPython does. */
export function strRepr(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = quote;
  for (let i = 0; i < s.length; ) {
    const cp = s.codePointAt(i)!;
    i += cp > 0xffff ? 2 : 1;
    const ch = String.fromCodePoint(cp);
    if (ch === quote || ch === '\\') out += '\\' + ch;
    else if (ch === '\t') out += '\\t';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (cp < 0x20 || cp === 0x7f) out += '\\x' + hex(cp, 2);
    else if (cp < 0x7f) out += ch;
    else if (!isPrintable(cp)) {
      if (cp <= 0xff) out += '\\x' + hex(cp, 2);
      else if (cp <= 0xffff) out += '\\u' + hex(cp, 4);
      else out += '\\U' + hex(cp, 8);
    } else out += ch;
  }
  return out + quote;
}

/** repr(bytes). */
export function bytesRepr(b: Uint8Array): string {
  let hasSq = false, hasDq = false;
  for (const x of b) { if (x === 0x27) hasSq = true; else if (x === 0x22) hasDq = true; }
  const quote = hasSq && !hasDq ? '"' : "'";
  let out = 'b' + quote;
  for (const x of b) {
    if (x === quote.charCodeAt(0) || x === 0x5c) out += '\\' + String.fromCharCode(x);
    else if (x === 0x09) out += '\\t';
    else if (x === 0x0a) out += '\\n';
    else if (x === 0x0d) out += '\\r';
    else if (x < 0x20 || x >= 0x7f) out += '\\x' + hex(x, 2);
    else out += String.fromCharCode(x);
  }
  return out + quote;
}

/** repr(complex) (≈ complex_repr: 'r' format for each part, no real part when it is +0). */
export function complexRepr(re: number, im: number): string {
  const part = (x: number) => {
    const r = floatRepr(x);
    return r.endsWith('.0') ? r.slice(0, -2) : r;
  };
  if (re === 0 && !Object.is(re, -0)) return part(im) + 'j';
  const imS = part(im);
  const sign = im < 0 || Object.is(im, -0) || (Number.isNaN(im) && false) ? '' : '+';
  return '(' + part(re) + sign + imS + 'j)';
}
