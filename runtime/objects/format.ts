// The format-spec mini-language (≈ Python/formatter_unicode.c, Objects/stringlib/localeutil.h):
//
//   [[fill]align][sign][z][#][0][width][grouping][.precision][type]
//
// parseFormatSpec() reads a spec into a FormatSpec record (with CPython's checks and messages);
// formatLongJs / formatFloatJs / formatStrJs apply it to an int, a double or a JS string and
// return the text (null with ValueError/OverflowError set on error); formatLong / formatFloat /
// formatStr wrap them into new str objects for int.__format__, float.__format__, str.__format__
// and format(). str.format, f-strings and %-formatting (unicodeobject.ts) call the same entry
// points.
//
// A formatted number is laid out as CPython's fill_number does:
//   [left padding][sign][prefix 0x/0o/0b][zero padding or grouped digits][.fraction/exponent/%][right padding]
// With '=' alignment and a '0' fill, the padding zeros become part of the digits and are grouped
// too ('012,' of 12345 → '0,000,012,345'), as _PyUnicode_InsertThousandsGrouping's min_width.
// Float digits come from PyOS_double_to_string (pystrtod.ts), exact for every precision.
// The locale is always "C" (pymem never calls setlocale): 'n' formats like 'd' / 'g' without
// grouping.

import { type Ptr, NULL, I32 as heapI32, F64 as heapF64 } from '../mem/heap.js';
import { OB_TYPE } from '../object.js';
import { typeName } from '../typeobject.js';
import { PyErr_SetString, PyErr_Occurred } from '../errors.js';
import { PyExc_ValueError, PyExc_OverflowError } from './exceptions.js';
import { PyUnicode_FromString, unicodeToJs } from './unicodeobject.js';
import { PyLong_AsBigInt, PyLong_AsDouble, smallValue, longToDecimalJs } from './longobject.js';
import { PyObject_Str } from '../abstract.js';
import { PyOS_double_to_string, Py_DTSF_ADD_DOT_0, Py_DTSF_ALT, Py_DTSF_NO_NEG_0 } from '../pystrtod.js';

// The heap views as file-local constants (an imported binding is read through its module
// cell on every use; reference/performance.md §4d rule 1).
const I32 = heapI32;
const F64 = heapF64;

// ---- the parsed spec ----
export const LT_NO_LOCALE = 0;
export const LT_DEFAULT_LOCALE = 1; // ','
export const LT_UNDERSCORE_LOCALE = 2; // '_' every 3
export const LT_UNDER_FOUR_LOCALE = 3; // '_' every 4 (b, o, x, X)
export const LT_CURRENT_LOCALE = 4; // 'n'

/** ≈ InternalFormatSpec. `type` and `fill` are single characters ('' for type = none). */
export interface FormatSpec {
  fill: string;
  align: string; // '<' '>' '=' '^'
  sign: string; // '' '+' '-' ' '
  noNeg0: boolean;
  alternate: boolean;
  width: number; // -1 = not given
  thousands: number; // LT_*
  precision: number; // -1 = not given
  type: string; // '' = none
}

function isAlign(c: string): boolean {
  return c === '<' || c === '>' || c === '=' || c === '^';
}
function valueError(msg: string): null {
  PyErr_SetString(PyExc_ValueError, msg);
  return null;
}
function showChar(c: string): string {
  const cp = c.codePointAt(0)!;
  return cp > 32 && cp < 128 ? c : '\\x' + cp.toString(16);
}

/** Code points of a JS string (UTF-16 with surrogate pairs). */
function cpLength(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c < 0xdc00 && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d < 0xe000) {
        n--;
        i++;
      }
    }
  }
  return n;
}
function cpSlice(s: string, n: number): string {
  if (s.length <= n) return s;
  let i = 0;
  let k = 0;
  while (k < n && i < s.length) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c < 0xdc00 && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d < 0xe000) i++;
    }
    i++;
    k++;
  }
  return s.slice(0, i);
}

/** Digits consumed by readInteger (module state; no allocation). */
let intEnd = 0;
/** ≈ get_integer: the decimal integer at pos (-1 when no digits; -2 on overflow with an error). */
function readInteger(s: string, pos: number, end: number): number {
  let acc = 0;
  let n = 0;
  while (pos < end) {
    const c = s.charCodeAt(pos);
    if (c < 48 || c > 57) break;
    if (acc > (9223372036854775807 - (c - 48)) / 10) {
      valueError('Too many decimal digits in format string');
      return -2;
    }
    acc = acc * 10 + (c - 48);
    pos++;
    n++;
  }
  intEnd = pos;
  return n === 0 ? -1 : acc;
}

// Parsed specs, per default type (the result of a successful parse depends only on the spec
// text and the defaults; the records are never modified after parsing). Bounded: cleared when
// full. f-strings and format() in loops parse the same few specs over and over.
const SPEC_CACHE_MAX = 256;
const specCacheInt = new Map<string, FormatSpec>(); // 'd', '>'
const specCacheFloat = new Map<string, FormatSpec>(); // '', '>'
const specCacheStr = new Map<string, FormatSpec>(); // 's', '<'

/** ≈ parse_internal_render_format_spec: parse `spec` (a JS string) for an object of type
 *  `typeNameOf` (for messages). Returns null with ValueError set on error. The record may be
 *  shared: callers must not modify it. */
export function parseFormatSpec(spec: string, defaultType: string, defaultAlign: string, typeNameOf: string): FormatSpec | null {
  const cache = defaultAlign === '>' ? (defaultType === 'd' ? specCacheInt : defaultType === '' ? specCacheFloat : null) : defaultType === 's' && defaultAlign === '<' ? specCacheStr : null;
  if (cache !== null) {
    const hit = cache.get(spec);
    if (hit !== undefined) return hit;
  }
  const f = parseFormatSpecText(spec, defaultType, defaultAlign, typeNameOf);
  if (f !== null && cache !== null) {
    if (cache.size >= SPEC_CACHE_MAX) cache.clear();
    cache.set(spec, f);
  }
  return f;
}

function parseFormatSpecText(spec: string, defaultType: string, defaultAlign: string, typeNameOf: string): FormatSpec | null {
  const f: FormatSpec = {
    fill: ' ', align: defaultAlign, sign: '', noNeg0: false, alternate: false, width: -1,
    thousands: LT_NO_LOCALE, precision: -1, type: defaultType,
  };
  // work in code points so that an astral fill character is one character
  const cps = Array.from(spec);
  const s = cps.length === spec.length ? spec : null;
  const at = (i: number): string => (s !== null ? s[i] : cps[i]);
  const end = cps.length;
  let pos = 0;
  let fillSpecified = false;
  let alignSpecified = false;
  if (end - pos >= 2 && isAlign(at(pos + 1))) {
    f.fill = at(pos);
    f.align = at(pos + 1);
    fillSpecified = true;
    alignSpecified = true;
    pos += 2;
  } else if (end - pos >= 1 && isAlign(at(pos))) {
    f.align = at(pos);
    alignSpecified = true;
    pos++;
  }
  if (end - pos >= 1 && (at(pos) === '+' || at(pos) === '-' || at(pos) === ' ')) {
    f.sign = at(pos);
    pos++;
  }
  if (end - pos >= 1 && at(pos) === 'z') {
    f.noNeg0 = true;
    pos++;
  }
  if (end - pos >= 1 && at(pos) === '#') {
    f.alternate = true;
    pos++;
  }
  if (!fillSpecified && end - pos >= 1 && at(pos) === '0') {
    f.fill = '0';
    if (!alignSpecified && defaultAlign === '>') f.align = '=';
    pos++;
  }
  // the rest is ASCII for any valid spec: read digits from the code-point array
  const rest = cps.slice(pos).join('');
  let p = 0;
  const rend = rest.length;
  const w = readInteger(rest, p, rend);
  if (w === -2) return null;
  if (w >= 0) f.width = w;
  p = intEnd;
  if (p < rend && rest[p] === ',') {
    f.thousands = LT_DEFAULT_LOCALE;
    p++;
  }
  if (p < rend && rest[p] === '_') {
    if (f.thousands !== LT_NO_LOCALE) return valueError("Cannot specify both ',' and '_'.");
    f.thousands = LT_UNDERSCORE_LOCALE;
    p++;
  }
  if (p < rend && rest[p] === ',') {
    if (f.thousands === LT_UNDERSCORE_LOCALE) return valueError("Cannot specify both ',' and '_'.");
    return valueError("Cannot specify ',' with ','.");
  }
  if (p < rend && rest[p] === '_' && f.thousands === LT_UNDERSCORE_LOCALE) return valueError("Cannot specify '_' with '_'.");
  if (p < rend && rest[p] === '.') {
    p++;
    const prec = readInteger(rest, p, rend);
    if (prec === -2) return null;
    if (prec === -1) return valueError('Format specifier missing precision');
    f.precision = prec;
    p = intEnd;
  }
  const remaining = Array.from(rest.slice(p));
  if (remaining.length > 1) {
    return valueError(`Invalid format specifier '${spec}' for object of type '${typeNameOf}'`);
  }
  if (remaining.length === 1) f.type = remaining[0];
  if (f.thousands !== LT_NO_LOCALE) {
    switch (f.type) {
      case 'd': case 'e': case 'f': case 'g': case 'E': case 'G': case '%': case 'F': case '':
        break;
      case 'b': case 'o': case 'x': case 'X':
        if (f.thousands === LT_UNDERSCORE_LOCALE) {
          f.thousands = LT_UNDER_FOUR_LOCALE;
          break;
        }
      // fall through
      default:
        return valueError(`Cannot specify '${f.thousands === LT_DEFAULT_LOCALE ? ',' : '_'}' with '${showChar(f.type)}'.`);
    }
  }
  return f;
}

function unknownType(type: string, typeNameOf: string): null {
  return valueError(`Unknown format code '${showChar(type)}' for object of type '${typeNameOf}'`);
}

// ---- layout (≈ calc_number_widths + fill_number) ----
/** Insert separators every `group` digits into `digits`, padding with zeros on the left until
 *  the result is at least `minWidth` characters (≈ _PyUnicode_InsertThousandsGrouping). */
function groupDigits(digits: string, sep: string, group: number, minWidth: number): string {
  if (digits === '') return ''; // inf/nan: padding is applied by fillNumber
  if (sep === '') {
    return digits.length < minWidth ? '0'.repeat(minWidth - digits.length) + digits : digits;
  }
  let out = '';
  let remaining = digits.length;
  let mw = minWidth;
  for (;;) {
    let l = remaining > mw ? remaining : mw;
    if (l < 1) l = 1;
    if (l > group) l = group;
    const nChars = remaining < l ? remaining : l;
    const nZeros = l - nChars;
    out = '0'.repeat(nZeros > 0 ? nZeros : 0) + digits.slice(remaining - nChars, remaining) + out;
    remaining -= nChars;
    mw -= l;
    if (remaining <= 0 && mw <= 0) break;
    out = sep + out;
    mw -= sep.length;
  }
  return out;
}

/** Assemble a number: `neg` sign, `prefix`, integer digits (grouped), `rest` (decimal point,
 *  fraction, exponent, '%'), padded per the spec. */
function fillNumber(f: FormatSpec, neg: boolean, prefix: string, digits: string, rest: string): string {
  const signStr = neg ? '-' : f.sign === '+' ? '+' : f.sign === ' ' ? ' ' : '';
  let sep = '';
  let group = 3;
  if (f.thousands === LT_DEFAULT_LOCALE) sep = ',';
  else if (f.thousands === LT_UNDERSCORE_LOCALE) sep = '_';
  else if (f.thousands === LT_UNDER_FOUR_LOCALE) {
    sep = '_';
    group = 4;
  }
  const nonDigits = signStr.length + prefix.length + cpLength(rest);
  const minWidth = f.fill === '0' && f.align === '=' && f.width > nonDigits ? f.width - nonDigits : 0;
  const body = groupDigits(digits, sep, group, minWidth);
  const total = nonDigits + body.length;
  const pad = f.width > total ? f.width - total : 0;
  if (pad === 0) return signStr + prefix + body + rest;
  const fill = f.fill;
  switch (f.align) {
    case '<':
      return signStr + prefix + body + rest + fill.repeat(pad);
    case '^': {
      const left = pad >> 1;
      return fill.repeat(left) + signStr + prefix + body + rest + fill.repeat(pad - left);
    }
    case '=':
      return signStr + prefix + fill.repeat(pad) + body + rest;
    default:
      return fill.repeat(pad) + signStr + prefix + body + rest;
  }
}

/** Pad a string (≈ format_string_internal's fill). */
function fillString(f: FormatSpec, s: string, len: number): string {
  const pad = f.width > len ? f.width - len : 0;
  if (pad === 0) return s;
  switch (f.align) {
    case '>':
      return f.fill.repeat(pad) + s;
    case '^': {
      const left = pad >> 1;
      return f.fill.repeat(left) + s + f.fill.repeat(pad - left);
    }
    default:
      return s + f.fill.repeat(pad);
  }
}

// ---- str ----
/** ≈ format_string_internal: format a JS string. null with ValueError on error. */
export function formatStrJs(s: string, spec: string, typeNameOf = 'str'): string | null {
  if (spec === '') return s;
  const f = parseFormatSpec(spec, 's', '<', typeNameOf);
  if (f === null) return null;
  if (f.type !== 's') return unknownType(f.type, typeNameOf);
  if (f.sign !== '') {
    return valueError(f.sign === ' ' ? 'Space not allowed in string format specifier' : 'Sign not allowed in string format specifier');
  }
  if (f.noNeg0) return valueError('Negative zero coercion (z) not allowed in string format specifier');
  if (f.alternate) return valueError('Alternate form (#) not allowed in string format specifier');
  if (f.align === '=') return valueError("'=' alignment not allowed in string format specifier");
  let len = cpLength(s);
  if (f.precision >= 0 && len > f.precision) {
    s = cpSlice(s, f.precision);
    len = f.precision;
  }
  return fillString(f, s, len);
}

/** str.__format__(spec) / format(str, spec): new str or NULL. */
export function formatStr(o: Ptr, spec: string): Ptr {
  if (spec === '') return PyObject_Str(o);
  const r = formatStrJs(unicodeToJs(o), spec, typeName(I32[(o + OB_TYPE) >> 2]));
  return r === null ? NULL : PyUnicode_FromString(r);
}

// ---- float ----
/** ≈ format_float_internal for a double and a parsed spec. */
function formatDoubleWithSpec(val: number, f: FormatSpec, typeNameOf: string): string | null {
  let type = f.type;
  let flags = 0;
  let defaultPrecision = 6;
  let addPct = false;
  if (f.alternate) flags |= Py_DTSF_ALT;
  if (f.noNeg0) flags |= Py_DTSF_NO_NEG_0;
  if (type === '') {
    flags |= Py_DTSF_ADD_DOT_0;
    type = 'r';
    defaultPrecision = 0;
  }
  if (type === 'n') type = 'g';
  if (type === '%') {
    type = 'f';
    val *= 100;
    addPct = true;
  }
  let precision = f.precision;
  if (precision < 0) precision = defaultPrecision;
  else if (type === 'r') type = 'g';
  const text = PyOS_double_to_string(val, type, precision, flags);
  let neg = false;
  let body = text;
  if (body.charCodeAt(0) === 45) {
    neg = true;
    body = body.slice(1);
  }
  // split the integer digits (grouped) from the rest
  let i = 0;
  while (i < body.length && body.charCodeAt(i) >= 48 && body.charCodeAt(i) <= 57) i++;
  let digits = body.slice(0, i);
  let rest = body.slice(i);
  if (addPct) rest += '%';
  if (f.thousands === LT_CURRENT_LOCALE) {
    // C locale: no grouping, '.' decimal point
  }
  void typeNameOf;
  return fillNumber(f, neg, '', digits, rest);
}

const FLOAT_TYPES = 'eEfFgGn%';

/** Format a double with a spec string (float.__format__ semantics; '' gives repr). */
export function formatFloatJs(val: number, spec: string, typeNameOf = 'float'): string | null {
  const f = parseFormatSpec(spec, '', '>', typeNameOf);
  if (f === null) return null;
  if (f.type !== '' && (f.type.length !== 1 || FLOAT_TYPES.indexOf(f.type) < 0)) return unknownType(f.type, typeNameOf);
  return formatDoubleWithSpec(val, f, typeNameOf);
}

/** float.__format__(spec) / format(float, spec): new str or NULL. */
export function formatFloat(o: Ptr, spec: string): Ptr {
  if (spec === '') return PyObject_Str(o);
  const r = formatFloatJs(F64[(o + 16) >> 3], spec, typeName(I32[(o + OB_TYPE) >> 2]));
  return r === null ? NULL : PyUnicode_FromString(r);
}

// ---- int ----
/** ≈ format_long_internal + the float types for ints: format the int `o` with `spec`. */
export function formatLongJs(o: Ptr, spec: string): string | null {
  // the type's name is needed only for error messages: not computed on a cache hit
  const hit = specCacheInt.get(spec);
  const f = hit !== undefined ? hit : parseFormatSpec(spec, 'd', '>', typeName(I32[(o + OB_TYPE) >> 2]));
  if (f === null) return null;
  switch (f.type) {
    case 'b': case 'c': case 'd': case 'o': case 'x': case 'X': case 'n':
      break;
    case 'e': case 'E': case 'f': case 'F': case 'g': case 'G': case '%': {
      const v = PyLong_AsDouble(o);
      if (v === -1 && PyErr_Occurred() !== NULL) return null;
      return formatDoubleWithSpec(v, f, '');
    }
    default:
      return unknownType(f.type, typeName(I32[(o + OB_TYPE) >> 2]));
  }
  if (f.precision !== -1) return valueError('Precision not allowed in integer format specifier');
  if (f.noNeg0) return valueError('Negative zero coercion (z) not allowed in integer format specifier');
  let neg = false;
  let prefix = '';
  let digits: string;
  const sv = smallValue(o);
  if (f.type === 'c') {
    if (f.sign !== '') return valueError("Sign not allowed with integer format specifier 'c'");
    if (f.alternate) return valueError("Alternate form (#) not allowed with integer format specifier 'c'");
    if (sv !== sv) {
      const b = PyLong_AsBigInt(o);
      if (b < -(1n << 63n) || b >= 1n << 63n) {
        PyErr_SetString(PyExc_OverflowError, 'Python int too large to convert to C long');
        return null;
      }
    }
    if (!(sv >= 0 && sv <= 0x10ffff)) {
      PyErr_SetString(PyExc_OverflowError, '%c arg not in range(0x110000)');
      return null;
    }
    // 'c' is formatted like a string (no grouping: thousands rejected earlier for 'c')
    const ch = String.fromCodePoint(sv);
    return fillNumber(f, false, '', '', ch);
  }
  let base = 10;
  switch (f.type) {
    case 'b': base = 2; if (f.alternate) prefix = '0b'; break;
    case 'o': base = 8; if (f.alternate) prefix = '0o'; break;
    case 'x': base = 16; if (f.alternate) prefix = '0x'; break;
    case 'X': base = 16; if (f.alternate) prefix = '0X'; break;
  }
  if (sv === sv) {
    neg = sv < 0;
    digits = (neg ? -sv : sv).toString(base);
  } else if (base === 10) {
    const t = longToDecimalJs(o);
    if (t === null) return null;
    neg = t.charCodeAt(0) === 45;
    digits = neg ? t.slice(1) : t;
  } else {
    const b = PyLong_AsBigInt(o);
    neg = b < 0n;
    digits = (neg ? -b : b).toString(base);
  }
  if (f.type === 'X') digits = digits.toUpperCase();
  return fillNumber(f, neg, prefix, digits, '');
}

/** int.__format__(spec) / format(int, spec): new str or NULL. */
export function formatLong(o: Ptr, spec: string): Ptr {
  if (spec === '') return PyObject_Str(o);
  const r = formatLongJs(o, spec);
  return r === null ? NULL : PyUnicode_FromString(r);
}

