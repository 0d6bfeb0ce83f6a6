// str.format / str.format_map (≈ Objects/stringlib/unicode_format.h) and printf-style `str % args`
// and `bytes % args` (≈ PyUnicode_Format in Objects/unicodeobject.c, _PyBytes_FormatEx in
// Objects/bytesobject.c), CPython 3.11 semantics and error messages.
//
// str.format: the template is scanned for literal text ('{{' and '}}' are escapes) and
// replacement fields `{field_name!conversion:format_spec}`. field_name = arg_name followed by
// `.attr` / `[key]` accessors; arg_name is empty (automatic numbering), an integer (positional)
// or a keyword name. The format spec may itself contain replacement fields (nested up to two
// levels). Each value is converted (!r repr, !s str, !a ascii) and then formatted with
// PyObject_Format (format.ts implements the spec mini-language for int/float/str).
//
// `%`: directives `%[(key)][flags][width][.precision]type` with flags - + space # 0, `*` for
// width/precision from the arguments, types s r a d i u o x X e E f F g G c % (and b for bytes).
// A tuple supplies positional arguments; any other mapping (not a tuple or str, nor bytes for
// bytes formatting) enables %(key) lookups; a single non-tuple value is the only argument.
//
// Results are assembled as JS strings (transient, Rule 1 allows it) and turned into one str.

import { type Ptr, NULL, I32 as heapI32, U8 as heapU8 } from '../mem/heap.js';
import { OB_TYPE, Py_DECREF, Py_SIZE } from '../object.js';
import { typeName, slotsOfObj } from '../typeobject.js';
import { PyErr_SetString, PyErr_SetObject, PyErr_Occurred, PyErr_Clear, PyErr_ExceptionMatches } from '../errors.js';
import {
  PyExc_TypeError, PyExc_ValueError, PyExc_IndexError, PyExc_KeyError, PyExc_OverflowError, PyExc_AttributeError,
} from './exceptions.js';
import {
  PyObject_Format, PyObject_Repr, PyObject_Str, PyObject_ASCII, PyObject_GetItem, PyNumber_Index, PyNumber_Long,
  PyNumber_Check,
} from '../abstract.js';
import { PyBytes_Check, PyBytes_GET_SIZE, PyBytes_AS_STRING, PyBytes_FromJsBytes, formatObjBytes } from './bytesobject.js';
import { PyLong_FromSsize_t, PyLong_Check, PyLong_AsBigInt, PyLong_AsSsize_t } from './longobject.js';
import { PyFloat_AsDouble, PyFloat_Check } from './floatobject.js';
import { formatFloatJs } from './format.js';
import { PyTuple_Check } from './tupleobject.js';
import { _PyUnicode_ToDecimalDigit } from './unicodectype.js';
import {
  PyUnicode_Check, PyUnicode_GET_LENGTH, PyUnicode_KIND, PyUnicode_DATA, PyUnicode_READ, PyUnicode_FromString,
  unicodeToJs,
} from './unicodeobject.js';

// The heap views as file-local constants (an imported binding is read through its module
// cell on every use; reference/performance.md §4d rule 1).
const I32 = heapI32;
const U8 = heapU8;

function tpNameOf(o: Ptr): string {
  return typeName(I32[(o + OB_TYPE) >> 2]);
}
function fail(type: Ptr, msg: string): null {
  PyErr_SetString(type, msg);
  return null;
}
/** A str object's text, releasing the reference (null if o is NULL). */
function takeJs(o: Ptr): string | null {
  if (o === NULL) return null;
  const s = unicodeToJs(o);
  Py_DECREF(o);
  return s;
}

// =====================================================================================
// str.format
// =====================================================================================

/** Where the arguments come from: FASTCALL positional slots + kwnames, or a mapping. */
interface FormatArgs {
  args: number;
  nargs: number;
  kwnames: Ptr;
  mapping: Ptr;
  /** automatic numbering state: -1 unknown, 0 manual, 1 auto; next auto index */
  auto: number;
  next: number;
}

/** Code points of a str (transient JS copy of the template). */
function codePoints(o: Ptr): number[] {
  const n = PyUnicode_GET_LENGTH(o);
  const kind = PyUnicode_KIND(o);
  const data = PyUnicode_DATA(o);
  const cps = new Array<number>(n);
  for (let i = 0; i < n; i++) cps[i] = PyUnicode_READ(kind, data, i);
  return cps;
}
function cpsToJs(cps: number[], start: number, end: number): string {
  let s = '';
  for (let i = start; i < end; i++) s += String.fromCodePoint(cps[i]);
  return s;
}

/** ≈ get_integer: the value of a field-name part made only of decimal digits (any script),
 *  -1 if it is not a number, -2 with ValueError set when it overflows. */
function getInteger(cps: number[], start: number, end: number): number {
  if (start >= end) return -1;
  let acc = 0;
  for (let i = start; i < end; i++) {
    const d = _PyUnicode_ToDecimalDigit(cps[i]);
    if (d < 0) return -1;
    if (acc > (9223372036854775807 - d) / 10) {
      PyErr_SetString(PyExc_ValueError, 'Too many decimal digits in format string');
      return -2;
    }
    acc = acc * 10 + d;
  }
  return acc;
}

/** ≈ PyObject_GetAttr through the type's tp_getattro slot. New reference or NULL. */
function getAttr(obj: Ptr, name: Ptr): Ptr {
  const f = slotsOfObj(obj).tp_getattro;
  if (f === undefined) {
    PyErr_SetString(PyExc_AttributeError, `'${tpNameOf(obj)}' object has no attribute '${unicodeToJs(name)}'`);
    return NULL;
  }
  return f(obj, name);
}
function nullErr(type: Ptr, msg: string): Ptr {
  PyErr_SetString(type, msg);
  return NULL;
}
function strOf(cps: number[], start: number, end: number): Ptr {
  return PyUnicode_FromString(cpsToJs(cps, start, end));
}

/** ≈ get_field_object: the object named by field cps[start:end] (`name.attr[key]...`). New
 *  reference or NULL. */
function getFieldObject(fa: FormatArgs, cps: number[], start: number, end: number): Ptr {
  let i = start;
  while (i < end && cps[i] !== 0x2e && cps[i] !== 0x5b) i++;
  let index = getInteger(cps, start, i);
  if (index === -2) return NULL;
  const empty = start >= i;
  const numeric = empty || index !== -1;
  if (fa.auto === -1 && numeric) fa.auto = empty ? 1 : 0;
  if (numeric) {
    if (fa.auto === 0 && empty) return nullErr(PyExc_ValueError, 'cannot switch from manual field specification to automatic field numbering');
    if (fa.auto === 1 && !empty) return nullErr(PyExc_ValueError, 'cannot switch from automatic field numbering to manual field specification');
  }
  if (empty) index = fa.next++;
  let obj: Ptr;
  if (index === -1) {
    const key = strOf(cps, start, i);
    if (key === NULL) return NULL;
    if (fa.mapping !== NULL) {
      obj = PyObject_GetItem(fa.mapping, key);
    } else {
      obj = NULL;
      const name = cpsToJs(cps, start, i);
      const nkw = fa.kwnames === NULL ? 0 : Py_SIZE(fa.kwnames);
      for (let k = 0; k < nkw; k++) {
        if (unicodeToJs(I32[(fa.kwnames + 24 + 8 * k) >> 2]) === name) {
          obj = I32[(fa.args + 8 * (fa.nargs + k)) >> 2];
          I32[obj >> 2]++;
          break;
        }
      }
      if (obj === NULL) PyErr_SetObject(PyExc_KeyError, key);
    }
    Py_DECREF(key);
    if (obj === NULL) return NULL;
  } else {
    if (fa.mapping !== NULL) return nullErr(PyExc_ValueError, 'Format string contains positional fields');
    if (index >= fa.nargs) return nullErr(PyExc_IndexError, `Replacement index ${index} out of range for positional args tuple`);
    obj = I32[(fa.args + 8 * index) >> 2];
    I32[obj >> 2]++;
  }
  // the rest: .attr and [key] accessors
  while (i < end) {
    const c = cps[i++];
    let nameStart = i;
    let nameEnd: number;
    let isAttr: boolean;
    if (c === 0x2e) {
      isAttr = true;
      while (i < end && cps[i] !== 0x2e && cps[i] !== 0x5b) i++;
      nameEnd = i;
    } else if (c === 0x5b) {
      isAttr = false;
      while (i < end && cps[i] !== 0x5d) i++;
      if (i >= end) {
        Py_DECREF(obj);
        return nullErr(PyExc_ValueError, "Missing ']' in format string");
      }
      nameEnd = i++;
    } else {
      Py_DECREF(obj);
      return nullErr(PyExc_ValueError, "Only '.' or '[' may follow ']' in format field specifier");
    }
    if (nameStart === nameEnd) {
      Py_DECREF(obj);
      return nullErr(PyExc_ValueError, 'Empty attribute in format string');
    }
    let tmp: Ptr;
    if (isAttr) {
      const name = strOf(cps, nameStart, nameEnd);
      tmp = name === NULL ? NULL : getAttr(obj, name);
      if (name !== NULL) Py_DECREF(name);
    } else {
      const idx = getInteger(cps, nameStart, nameEnd);
      if (idx === -2) {
        Py_DECREF(obj);
        return NULL;
      }
      const key = idx === -1 ? strOf(cps, nameStart, nameEnd) : PyLong_FromSsize_t(idx);
      tmp = key === NULL ? NULL : PyObject_GetItem(obj, key);
      if (key !== NULL) Py_DECREF(key);
    }
    Py_DECREF(obj);
    if (tmp === NULL) return NULL;
    obj = tmp;
    nameStart = i;
  }
  return obj;
}

/** ≈ build_string / do_markup (MarkupIterator + parse_field + output_markup): expand the
 *  template cps[start:end]. Returns the JS text, or null with an exception set. */
function buildString(fa: FormatArgs, cps: number[], start: number, end: number, depth: number): string | null {
  if (depth <= 0) return fail(PyExc_ValueError, 'Max string recursion exceeded');
  let out = '';
  let pos = start;
  while (pos < end) {
    // literal text up to a brace
    const litStart = pos;
    let c = 0;
    let markup = false;
    while (pos < end) {
      c = cps[pos++];
      if (c === 0x7b || c === 0x7d) {
        markup = true;
        break;
      }
    }
    const atEnd = pos >= end;
    let len = pos - litStart;
    if (markup && c === 0x7d && (atEnd || cps[pos] !== 0x7d)) return fail(PyExc_ValueError, "Single '}' encountered in format string");
    if (markup && atEnd && c === 0x7b) return fail(PyExc_ValueError, "Single '{' encountered in format string");
    if (markup && !atEnd) {
      if (cps[pos] === c) {
        pos++; // escaped brace: kept in the literal
        markup = false;
      } else len--;
    }
    out += cpsToJs(cps, litStart, litStart + len);
    if (!markup) continue;
    // ≈ parse_field
    const fieldStart = pos;
    c = 0;
    while (pos < end) {
      c = cps[pos++];
      if (c === 0x7b) return fail(PyExc_ValueError, "unexpected '{' in field name");
      if (c === 0x5b) {
        while (pos < end && cps[pos] !== 0x5d) pos++;
        continue;
      }
      if (c === 0x7d || c === 0x3a || c === 0x21) break;
    }
    const fieldEnd = pos - 1;
    let conversion = 0;
    let specStart = -1;
    let specEnd = -1;
    let expand = false;
    if (c === 0x21 || c === 0x3a) {
      let done = false;
      if (c === 0x21) {
        if (pos >= end) return fail(PyExc_ValueError, 'end of string while looking for conversion specifier');
        conversion = cps[pos++];
        if (pos < end) {
          const c2 = cps[pos++];
          if (c2 === 0x7d) done = true;
          else if (c2 !== 0x3a) return fail(PyExc_ValueError, "expected ':' after conversion specifier");
        }
      }
      if (!done) {
        specStart = pos;
        let count = 1;
        while (pos < end) {
          const d = cps[pos++];
          if (d === 0x7b) {
            expand = true;
            count++;
          } else if (d === 0x7d) {
            if (--count === 0) {
              specEnd = pos - 1;
              break;
            }
          }
        }
        if (specEnd < 0) return fail(PyExc_ValueError, "unmatched '{' in format spec");
      }
    } else if (c !== 0x7d) {
      return fail(PyExc_ValueError, "expected '}' before end of string");
    }
    // ≈ output_markup
    let obj = getFieldObject(fa, cps, fieldStart, fieldEnd);
    if (obj === NULL) return null;
    if (conversion !== 0) {
      let conv: Ptr;
      switch (conversion) {
        case 0x72: conv = PyObject_Repr(obj); break;
        case 0x73: conv = PyObject_Str(obj); break;
        case 0x61: conv = PyObject_ASCII(obj); break;
        default:
          Py_DECREF(obj);
          return fail(PyExc_ValueError, conversion > 32 && conversion < 127
            ? `Unknown conversion specifier ${String.fromCharCode(conversion)}`
            : `Unknown conversion specifier \\x${conversion.toString(16)}`);
      }
      Py_DECREF(obj);
      if (conv === NULL) return null;
      obj = conv;
    }
    let spec = '';
    if (specStart >= 0) {
      const sp = expand ? buildString(fa, cps, specStart, specEnd, depth - 1) : cpsToJs(cps, specStart, specEnd);
      if (sp === null) {
        Py_DECREF(obj);
        return null;
      }
      spec = sp;
    }
    const specObj = PyUnicode_FromString(spec);
    if (specObj === NULL) {
      Py_DECREF(obj);
      return null;
    }
    const r = PyObject_Format(obj, specObj);
    Py_DECREF(specObj);
    Py_DECREF(obj);
    const t = takeJs(r);
    if (t === null) return null;
    out += t;
  }
  return out;
}

/** str.format(*args, **kwargs) — METH_FASTCALL | METH_KEYWORDS. New reference. */
export function str_format(self: Ptr, args: number, nargs: number, kwnames: Ptr): Ptr {
  const fa: FormatArgs = { args, nargs, kwnames, mapping: NULL, auto: -1, next: 0 };
  const cps = codePoints(self);
  const s = buildString(fa, cps, 0, cps.length, 2);
  if (s === null) return NULL;
  return PyUnicode_FromString(s);
}

/** str.format_map(mapping) — METH_O. New reference. */
export function str_format_map(self: Ptr, mapping: Ptr): Ptr {
  const fa: FormatArgs = { args: 0, nargs: 0, kwnames: NULL, mapping, auto: -1, next: 0 };
  const cps = codePoints(self);
  const s = buildString(fa, cps, 0, cps.length, 2);
  if (s === null) return NULL;
  return PyUnicode_FromString(s);
}

// =====================================================================================
// printf-style formatting: str % args and bytes % args
// =====================================================================================
//
// One loop serves both (≈ PyUnicode_Format with unicode_format_arg_parse/_format/_output, and
// _PyBytes_FormatEx: the two C functions follow the same steps). The format is a JS array of
// code points (for bytes: the byte values) and the result a JS string of code points (for
// bytes: latin-1 code units, one per byte). Differences in bytes mode: %(key) looks up a bytes
// key; %s and %b take bytes or an object with __bytes__ (formatObjBytes, bytesobject.ts); %r
// and %a are ascii(); %c takes an int in range(256) or one byte; a float that cannot be
// converted gives "float argument required"; the leftover-argument error says "bytes
// formatting"; a bytes or str argument is never a mapping.

const F_LJUST = 1;
const F_SIGN = 2;
const F_BLANK = 4;
const F_ALT = 8;
const F_ZERO = 16;

/** Where the arguments come from: a tuple (arglen >= 0), else one value (arglen -1, argidx -2
 *  so that one getnextarg succeeds); `dict` enables %(key). */
interface PctState {
  args: Ptr;
  arglen: number;
  argidx: number;
  dict: Ptr;
}

/** ≈ getnextarg: the next argument (borrowed) or NULL with TypeError. */
function nextArg(st: PctState): Ptr {
  if (st.argidx < st.arglen) {
    const i = st.argidx++;
    return st.arglen < 0 ? st.args : I32[(st.args + 24 + 8 * i) >> 2];
  }
  PyErr_SetString(PyExc_TypeError, 'not enough arguments for format string');
  return NULL;
}

/** Number of code points of a JS string (surrogate pairs count once). */
function cpLength(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c < 0xdc00) n--;
  }
  return n;
}
/** The first n code points of s. */
function cpSlice(s: string, n: number): string {
  let i = 0;
  for (let k = 0; k < n && i < s.length; k++) {
    const c = s.charCodeAt(i);
    i += c >= 0xd800 && c < 0xdc00 ? 2 : 1;
  }
  return s.slice(0, i);
}

/** ≈ _PyUnicode_FormatLong for %d %i %u %o %x %X: sign, the 0o/0x/0X prefix with F_ALT, then the
 *  digits zero-extended to `prec`. */
function formatLongJs(v: Ptr, type: number, alt: boolean, prec: number): string {
  const b = PyLong_AsBigInt(v);
  const neg = b < 0n;
  const a = neg ? -b : b;
  let digits: string;
  let prefix = '';
  switch (type) {
    case 0x6f: digits = a.toString(8); if (alt) prefix = '0o'; break;
    case 0x78: digits = a.toString(16); if (alt) prefix = '0x'; break;
    case 0x58: digits = a.toString(16).toUpperCase(); if (alt) prefix = '0X'; break;
    default: digits = a.toString(10);
  }
  if (prec > digits.length) digits = '0'.repeat(prec - digits.length) + digits;
  return (neg ? '-' : '') + prefix + digits;
}

/** ≈ mainformatlong / formatlong: the text of an integer directive, or null with an error. */
function formatIntArg(v: Ptr, type: number, flags: number, prec: number): string | null {
  const indexOnly = type === 0x6f || type === 0x78 || type === 0x58;
  let iv: Ptr = NULL;
  if (PyLong_Check(v)) {
    I32[v >> 2]++;
    iv = v;
  } else if (PyNumber_Check(v)) {
    iv = indexOnly ? PyNumber_Index(v) : PyNumber_Long(v);
    if (iv === NULL && !PyErr_ExceptionMatches(PyExc_TypeError)) return null;
  }
  if (iv === NULL) {
    return fail(PyExc_TypeError, `%${String.fromCharCode(type)} format: ${indexOnly ? 'an integer' : 'a real number'} is required, not ${tpNameOf(v)}`);
  }
  const s = formatLongJs(iv, type === 0x69 || type === 0x75 ? 0x64 : type, (flags & F_ALT) !== 0, prec);
  Py_DECREF(iv);
  return s;
}

/** ≈ formatfloat: PyOS_double_to_string(x, type, prec, alt) of the argument, or null. */
function formatFloatArg(v: Ptr, type: number, flags: number, prec: number, bytes: boolean): string | null {
  let x: number;
  if (!PyFloat_Check(v) && slotsOfObj(v).nb_float === undefined && slotsOfObj(v).nb_index === undefined) {
    return fail(PyExc_TypeError, bytes ? `float argument required, not ${tpNameOf(v)}` : `must be real number, not ${tpNameOf(v)}`);
  }
  x = PyFloat_AsDouble(v);
  if (x === -1 && PyErr_Occurred() !== NULL) {
    if (!bytes) return null;
    return fail(PyExc_TypeError, `float argument required, not ${tpNameOf(v)}`);
  }
  const spec = (flags & F_ALT ? '#' : '') + '.' + String(prec < 0 ? 6 : prec) + String.fromCharCode(type);
  return formatFloatJs(x, spec);
}

/** ≈ formatchar (str %c): the character, or null. */
function formatCharStr(v: Ptr): string | null {
  if (PyUnicode_Check(v)) {
    if (PyUnicode_GET_LENGTH(v) !== 1) return fail(PyExc_TypeError, '%c requires int or char');
    return String.fromCodePoint(PyUnicode_READ(PyUnicode_KIND(v), PyUnicode_DATA(v), 0));
  }
  let iv = v;
  if (!PyLong_Check(v)) {
    iv = PyNumber_Index(v);
    if (iv === NULL) {
      PyErr_Clear();
      return fail(PyExc_TypeError, '%c requires int or char');
    }
  } else I32[v >> 2]++;
  const x = PyLong_AsBigInt(iv);
  Py_DECREF(iv);
  if (x < 0n || x > 0x10ffffn) return fail(PyExc_OverflowError, '%c arg not in range(0x110000)');
  return String.fromCodePoint(Number(x));
}

/** ≈ byte_converter (bytes %c): the byte as a one-unit string, or null. */
function formatCharBytes(v: Ptr): string | null {
  if (PyBytes_Check(v)) {
    if (PyBytes_GET_SIZE(v) !== 1) return fail(PyExc_TypeError, '%c requires an integer in range(256) or a single byte');
    return String.fromCharCode(U8[PyBytes_AS_STRING(v)]);
  }
  if (slotsOfObj(v).nb_index !== undefined) {
    const iv = PyNumber_Index(v);
    if (iv === NULL) return null;
    const x = PyLong_AsBigInt(iv);
    Py_DECREF(iv);
    if (x < 0n || x > 255n) return fail(PyExc_OverflowError, '%c arg not in range(256)');
    return String.fromCharCode(Number(x));
  }
  return fail(PyExc_TypeError, '%c requires an integer in range(256) or a single byte');
}

/** ≈ unicode_format_arg_output / the tail of _PyBytes_FormatEx's directive: lay `pbuf` out in
 *  `width` — sign first (taken from pbuf or made from F_SIGN/F_BLANK when `sign`), then the
 *  0x/0X/0o prefix of an F_ALT %x/%X/%o, then the fill ('0' only for numbers with F_ZERO),
 *  left-justified with trailing spaces under F_LJUST. */
function layout(pbuf: string, len: number, type: number, flags: number, width: number, sign: boolean): string {
  let fill = 0x20;
  let signch = '';
  if (sign) {
    if (flags & F_ZERO) fill = 0x30;
    const c0 = pbuf.charCodeAt(0);
    if (c0 === 0x2d || c0 === 0x2b) {
      signch = pbuf[0];
      pbuf = pbuf.slice(1);
      len--;
    } else if (flags & F_SIGN) signch = '+';
    else if (flags & F_BLANK) signch = ' ';
  }
  if (width < len) width = len;
  let out = '';
  if (signch !== '') {
    if (fill !== 0x20) out += signch;
    if (width > len) width--;
  }
  const altPrefix = (flags & F_ALT) !== 0 && (type === 0x78 || type === 0x58 || type === 0x6f);
  if (altPrefix) {
    if (fill !== 0x20) {
      out += pbuf.slice(0, 2);
      pbuf = pbuf.slice(2);
    }
    width -= 2;
    if (width < 0) width = 0;
    len -= 2;
  }
  if (width > len && !(flags & F_LJUST)) {
    out += (fill === 0x30 ? '0' : ' ').repeat(width - len);
    width = len;
  }
  if (fill === 0x20) {
    out += signch;
    if (altPrefix) {
      out += pbuf.slice(0, 2);
      pbuf = pbuf.slice(2);
    }
  }
  out += pbuf;
  if (width > len) out += ' '.repeat(width - len);
  return out;
}

/** Index just after the directive parsed by formatDirective. */
let pctEnd = 0;

/** ≈ PyUnicode_Format (bytes = false) / _PyBytes_FormatEx (bytes = true) over the format's code
 *  points: the result text, or null with an exception set. */
export function percentFormat(fmt: number[], args: Ptr, bytes: boolean): string | null {
  const st: PctState = { args, arglen: -1, argidx: -2, dict: NULL };
  if (PyTuple_Check(args)) {
    st.arglen = Py_SIZE(args);
    st.argidx = 0;
  }
  if (slotsOfObj(args).mp_subscript !== undefined && !PyTuple_Check(args) && !PyUnicode_Check(args) &&
      !(bytes && PyBytes_Check(args))) {
    st.dict = args;
  }
  const n = fmt.length;
  let out = '';
  let owned: Ptr = NULL; // the value of the last %(key), owned while it is the argument
  let i = 0;
  let ok = true;
  while (i < n) {
    const lit = i;
    while (i < n && fmt[i] !== 0x25) i++;
    if (i > lit) out += bytes ? latin1Of(fmt, lit, i) : cpsToJs(fmt, lit, i);
    if (i >= n) break;
    i++; // past '%'
    if (i < n && fmt[i] === 0x25) {
      out += '%';
      i++;
      continue;
    }
    if (i < n && fmt[i] === 0x28) {
      if (st.dict === NULL) {
        ok = false;
        PyErr_SetString(PyExc_TypeError, 'format requires a mapping');
        break;
      }
      let depth = 1;
      const ks = ++i;
      while (i < n && depth > 0) {
        if (fmt[i] === 0x29) depth--;
        else if (fmt[i] === 0x28) depth++;
        i++;
      }
      if (depth > 0) {
        ok = false;
        PyErr_SetString(PyExc_ValueError, 'incomplete format key');
        break;
      }
      const key = bytes ? PyBytes_FromJsBytes(fmt.slice(ks, i - 1)) : PyUnicode_FromString(cpsToJs(fmt, ks, i - 1));
      if (key === NULL) {
        ok = false;
        break;
      }
      if (owned !== NULL) Py_DECREF(owned);
      owned = PyObject_GetItem(st.dict, key);
      Py_DECREF(key);
      if (owned === NULL) {
        ok = false;
        break;
      }
      st.args = owned;
      st.arglen = -1;
      st.argidx = -2;
    }
    const r = formatDirective(st, fmt, i, bytes);
    if (r === null) {
      ok = false;
      break;
    }
    out += r;
    i = pctEnd;
  }
  if (owned !== NULL) Py_DECREF(owned);
  if (!ok) return null;
  if (st.argidx < st.arglen && st.dict === NULL) {
    return fail(PyExc_TypeError, bytes ? 'not all arguments converted during bytes formatting' : 'not all arguments converted during string formatting');
  }
  return out;
}

function latin1Of(b: number[], start: number, end: number): string {
  let s = '';
  for (let i = start; i < end; i++) s += String.fromCharCode(b[i]);
  return s;
}

/** One directive from just after '%' (and its key): flags, width, precision, an ignored h/l/L,
 *  the type; sets pctEnd. The formatted text, or null with an exception set. */
function formatDirective(st: PctState, fmt: number[], i: number, bytes: boolean): string | null {
  const n = fmt.length;
  let flags = 0;
  for (; i < n; i++) {
    const c = fmt[i];
    if (c === 0x2d) flags |= F_LJUST;
    else if (c === 0x2b) flags |= F_SIGN;
    else if (c === 0x20) flags |= F_BLANK;
    else if (c === 0x23) flags |= F_ALT;
    else if (c === 0x30) flags |= F_ZERO;
    else break;
  }
  let width = -1;
  if (i < n && fmt[i] === 0x2a) {
    const w = nextArg(st);
    if (w === NULL) return null;
    if (!PyLong_Check(w)) return fail(PyExc_TypeError, '* wants int');
    width = PyLong_AsSsize_t(w);
    if (width === -1 && PyErr_Occurred() !== NULL) return null;
    if (width < 0) {
      flags |= F_LJUST;
      width = -width;
    }
    i++;
  } else {
    while (i < n && fmt[i] >= 0x30 && fmt[i] <= 0x39) {
      width = (width < 0 ? 0 : width) * 10 + (fmt[i] - 0x30);
      i++;
    }
  }
  let prec = -1;
  if (i < n && fmt[i] === 0x2e) {
    i++;
    prec = 0;
    if (i < n && fmt[i] === 0x2a) {
      const p = nextArg(st);
      if (p === NULL) return null;
      if (!PyLong_Check(p)) return fail(PyExc_TypeError, '* wants int');
      prec = PyLong_AsSsize_t(p);
      if (prec === -1 && PyErr_Occurred() !== NULL) return null;
      if (prec < 0) prec = 0;
      i++;
    } else {
      while (i < n && fmt[i] >= 0x30 && fmt[i] <= 0x39) {
        prec = prec * 10 + (fmt[i] - 0x30);
        i++;
      }
    }
  }
  // one length modifier (h, l or L) is accepted and ignored
  if (i < n && (fmt[i] === 0x68 || fmt[i] === 0x6c || fmt[i] === 0x4c)) i++;
  if (i >= n) return fail(PyExc_ValueError, 'incomplete format');
  const type = fmt[i];
  const typeIndex = i;
  pctEnd = i + 1;
  const v = nextArg(st);
  if (v === NULL) return null;
  let pbuf: string | null;
  let len: number;
  switch (type) {
    case 0x62: // b (bytes only)
      if (!bytes) return unsupported(type, typeIndex, bytes);
    // falls through
    case 0x73: case 0x72: case 0x61: { // s r a
      if (bytes && type !== 0x72 && type !== 0x61) {
        const o = formatObjBytes(v);
        if (o === NULL) return null;
        let m = PyBytes_GET_SIZE(o);
        if (prec >= 0 && m > prec) m = prec;
        pbuf = '';
        const d = PyBytes_AS_STRING(o);
        for (let k = 0; k < m; k += 4096) {
          pbuf += String.fromCharCode.apply(null, U8.subarray(d + k, d + Math.min(m, k + 4096)) as unknown as number[]);
        }
        Py_DECREF(o);
        len = m;
      } else {
        const o = type === 0x73 ? PyObject_Str(v) : type === 0x72 && !bytes ? PyObject_Repr(v) : PyObject_ASCII(v);
        pbuf = takeJs(o);
        if (pbuf === null) return null;
        len = cpLength(pbuf);
        if (prec >= 0 && len > prec) {
          pbuf = cpSlice(pbuf, prec);
          len = prec;
        }
      }
      if (width <= len) return pbuf;
      return layout(pbuf, len, type, flags, width, false);
    }
    case 0x64: case 0x69: case 0x75: case 0x6f: case 0x78: case 0x58: // d i u o x X
      // bytes formatting names %i as %d in its errors
      pbuf = formatIntArg(v, bytes && type === 0x69 ? 0x64 : type, flags, prec);
      if (pbuf === null) return null;
      return layout(pbuf, pbuf.length, type, flags, width, true);
    case 0x65: case 0x45: case 0x66: case 0x46: case 0x67: case 0x47: // e E f F g G
      pbuf = formatFloatArg(v, type, flags, prec, bytes);
      if (pbuf === null) return null;
      return layout(pbuf, pbuf.length, type, flags, width, true);
    case 0x63: // c
      pbuf = bytes ? formatCharBytes(v) : formatCharStr(v);
      if (pbuf === null) return null;
      return layout(pbuf, 1, type, flags, width, false);
    default:
      return unsupported(type, typeIndex, bytes);
  }
}

/** The "unsupported format character" ValueError (str shows '?' outside 31..126; bytes shows
 *  the byte itself, and a byte >= 0x80, a negative C char, fails inside the message). */
function unsupported(ch: number, index: number, bytes: boolean): null {
  if (bytes && ch >= 0x80) return fail(PyExc_OverflowError, 'character argument not in range(0x110000)');
  const shown = bytes || (ch >= 31 && ch <= 126) ? String.fromCodePoint(ch) : '?';
  return fail(PyExc_ValueError, `unsupported format character '${shown}' (0x${ch.toString(16)}) at index ${index}`);
}

/** ≈ PyUnicode_Format: `format % args`. New reference or NULL. */
export function PyUnicode_Format(format: Ptr, args: Ptr): Ptr {
  const s = percentFormat(codePoints(format), args, false);
  return s === null ? NULL : PyUnicode_FromString(s);
}
