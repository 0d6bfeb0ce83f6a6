// Unicode character properties and case mappings (≈ Objects/unicodectype.c), over the tables
// that tools/gen_unicodetype_db.py extracts from CPython 3.11's unicodedata (Unicode 14.0.0).
//
// Flags: one 16-bit value per code point. The BMP gets a flat Uint16Array (128 KiB, built once
// at load from the run-length table); astral code points are looked up by binary search over
// the runs. Case mappings ("full" mappings: one character may map to up to 3): BMP characters
// use per-mapping Int32Array delta tables built on first use; characters whose mapping has
// several characters, and astral characters, are found in small Maps.
//
// These are JS tables of Unicode data, not Python objects: Rule 1 does not apply.

import {
  FLAG_RUN_STARTS, FLAG_RUN_VALUES, LOWER_RUNS, LOWER_MULTI, UPPER_RUNS, UPPER_MULTI, TITLE_RUNS, TITLE_MULTI,
  CASEFOLD_RUNS, CASEFOLD_MULTI,
} from './unicodetype_db.js';

export const ALPHA_MASK = 1;
export const DECIMAL_MASK = 2;
export const DIGIT_MASK = 4;
export const NUMERIC_MASK = 8;
export const LOWER_MASK = 16;
export const UPPER_MASK = 32;
export const TITLE_MASK = 64;
export const SPACE_MASK = 128;
export const PRINTABLE_MASK = 256;
export const XID_START_MASK = 512;
export const XID_CONTINUE_MASK = 1024;
export const CASED_MASK = 2048;
export const CASE_IGNORABLE_MASK = 4096;

const runStarts = new Int32Array(FLAG_RUN_STARTS.length);
{
  let p = 0;
  for (let i = 0; i < FLAG_RUN_STARTS.length; i++) {
    p += FLAG_RUN_STARTS[i];
    runStarts[i] = p;
  }
}
const runValues = Uint16Array.from(FLAG_RUN_VALUES);
const bmpFlags = new Uint16Array(0x10000);
for (let i = 0; i < runStarts.length && runStarts[i] < 0x10000; i++) {
  const end = i + 1 < runStarts.length ? Math.min(runStarts[i + 1], 0x10000) : 0x10000;
  bmpFlags.fill(runValues[i], runStarts[i], end);
}

/** The property flags of code point ch. */
export function unicodeFlags(ch: number): number {
  if (ch < 0x10000) return bmpFlags[ch];
  if (ch > 0x10ffff) return 0;
  let lo = 0;
  let hi = runStarts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (runStarts[mid] <= ch) lo = mid;
    else hi = mid - 1;
  }
  return runValues[lo];
}

// ≈ the Py_UNICODE_IS* macros
export function Py_UNICODE_ISSPACE(ch: number): boolean {
  if (ch < 128) return ch === 32 || (ch >= 9 && ch <= 13) || (ch >= 28 && ch <= 31);
  return (unicodeFlags(ch) & SPACE_MASK) !== 0;
}
export function Py_UNICODE_ISALPHA(ch: number): boolean {
  return (unicodeFlags(ch) & ALPHA_MASK) !== 0;
}
export function Py_UNICODE_ISDECIMAL(ch: number): boolean {
  return (unicodeFlags(ch) & DECIMAL_MASK) !== 0;
}
export function Py_UNICODE_ISDIGIT(ch: number): boolean {
  return (unicodeFlags(ch) & DIGIT_MASK) !== 0;
}
export function Py_UNICODE_ISNUMERIC(ch: number): boolean {
  return (unicodeFlags(ch) & NUMERIC_MASK) !== 0;
}
export function Py_UNICODE_ISALNUM(ch: number): boolean {
  return (unicodeFlags(ch) & (ALPHA_MASK | DECIMAL_MASK | DIGIT_MASK | NUMERIC_MASK)) !== 0;
}
export function Py_UNICODE_ISLOWER(ch: number): boolean {
  return (unicodeFlags(ch) & LOWER_MASK) !== 0;
}
export function Py_UNICODE_ISUPPER(ch: number): boolean {
  return (unicodeFlags(ch) & UPPER_MASK) !== 0;
}
export function Py_UNICODE_ISTITLE(ch: number): boolean {
  return (unicodeFlags(ch) & TITLE_MASK) !== 0;
}
export function Py_UNICODE_ISPRINTABLE(ch: number): boolean {
  return (unicodeFlags(ch) & PRINTABLE_MASK) !== 0;
}
export function _PyUnicode_IsCased(ch: number): boolean {
  return (unicodeFlags(ch) & CASED_MASK) !== 0;
}
export function _PyUnicode_IsCaseIgnorable(ch: number): boolean {
  return (unicodeFlags(ch) & CASE_IGNORABLE_MASK) !== 0;
}
export function _PyUnicode_IsXidStart(ch: number): boolean {
  return (unicodeFlags(ch) & XID_START_MASK) !== 0;
}
export function _PyUnicode_IsXidContinue(ch: number): boolean {
  return (unicodeFlags(ch) & XID_CONTINUE_MASK) !== 0;
}
/** ≈ Py_UNICODE_ISLINEBREAK: \n \v \f \r \x1c \x1d \x1e \x85 \u2028 \u2029 */
export function Py_UNICODE_ISLINEBREAK(ch: number): boolean {
  return (ch >= 10 && ch <= 13) || (ch >= 0x1c && ch <= 0x1e) || ch === 0x85 || ch === 0x2028 || ch === 0x2029;
}

/** ≈ _PyUnicode_ToDecimalDigit: the value 0..9 of a decimal character, or -1. Every maximal run
 *  of consecutive decimal characters is made of whole blocks of ten starting at a zero (checked by
 *  the generator's data), so the value is the distance from the run's start, mod 10. */
export function _PyUnicode_ToDecimalDigit(ch: number): number {
  if (ch >= 48 && ch <= 57) return ch - 48;
  if ((unicodeFlags(ch) & DECIMAL_MASK) === 0) return -1;
  let z = ch;
  while ((unicodeFlags(z - 1) & DECIMAL_MASK) !== 0) z--;
  return (ch - z) % 10;
}

// ---- case mappings ----
const enum CaseMap { Lower = 0, Upper = 1, Title = 2, Fold = 3 }
const tables: [readonly number[], readonly number[]][] = [
  [LOWER_RUNS, LOWER_MULTI], [UPPER_RUNS, UPPER_MULTI], [TITLE_RUNS, TITLE_MULTI], [CASEFOLD_RUNS, CASEFOLD_MULTI],
];
/** per mapping: BMP delta table (built on first use) */
const bmpDelta: (Int32Array | null)[] = [null, null, null, null];
const astralDelta: Map<number, number>[] = [new Map(), new Map(), new Map(), new Map()];
const multiMap: Map<number, number[]>[] = [new Map(), new Map(), new Map(), new Map()];
/** marker in bmpDelta: the mapping has several characters (look in multiMap) */
const MULTI = 0x40000000;

function build(m: CaseMap): Int32Array {
  const t = new Int32Array(0x10000);
  const [runs, multi] = tables[m];
  for (let i = 0; i < runs.length; i += 4) {
    const start = runs[i], count = runs[i + 1], stride = runs[i + 2], delta = runs[i + 3];
    for (let k = 0; k < count; k++) {
      const c = start + k * stride;
      if (c < 0x10000) t[c] = delta;
      else astralDelta[m].set(c, delta);
    }
  }
  for (let i = 0; i < multi.length; ) {
    const c = multi[i], n = multi[i + 1];
    multiMap[m].set(c, multi.slice(i + 2, i + 2 + n) as number[]);
    if (c < 0x10000) t[c] = MULTI;
    i += 2 + n;
  }
  bmpDelta[m] = t;
  return t;
}

/** Full case mapping of ch under mapping m: writes 1..3 code points to out, returns the count. */
function mapFull(m: CaseMap, ch: number, out: Int32Array): number {
  const t = bmpDelta[m] ?? build(m);
  if (ch < 0x10000) {
    const d = t[ch];
    if (d !== MULTI) {
      out[0] = ch + d;
      return 1;
    }
  } else {
    const d = astralDelta[m].get(ch);
    if (d === undefined && !multiMap[m].has(ch)) {
      out[0] = ch;
      return 1;
    }
    if (d !== undefined) {
      out[0] = ch + d;
      return 1;
    }
  }
  const r = multiMap[m].get(ch)!;
  for (let i = 0; i < r.length; i++) out[i] = r[i];
  return r.length;
}

/** ≈ _PyUnicode_ToLowerFull (no final-sigma context: see unicodeobject.ts lower). */
export function _PyUnicode_ToLowerFull(ch: number, out: Int32Array): number {
  if (ch < 128) {
    out[0] = ch >= 65 && ch <= 90 ? ch + 32 : ch;
    return 1;
  }
  return mapFull(CaseMap.Lower, ch, out);
}
/** ≈ _PyUnicode_ToUpperFull */
export function _PyUnicode_ToUpperFull(ch: number, out: Int32Array): number {
  if (ch < 128) {
    out[0] = ch >= 97 && ch <= 122 ? ch - 32 : ch;
    return 1;
  }
  return mapFull(CaseMap.Upper, ch, out);
}
/** ≈ _PyUnicode_ToTitleFull */
export function _PyUnicode_ToTitleFull(ch: number, out: Int32Array): number {
  if (ch < 128) {
    out[0] = ch >= 97 && ch <= 122 ? ch - 32 : ch;
    return 1;
  }
  return mapFull(CaseMap.Title, ch, out);
}
/** ≈ _PyUnicode_ToFoldedFull */
export function _PyUnicode_ToFoldedFull(ch: number, out: Int32Array): number {
  if (ch < 128) {
    out[0] = ch >= 65 && ch <= 90 ? ch + 32 : ch;
    return 1;
  }
  return mapFull(CaseMap.Fold, ch, out);
}
