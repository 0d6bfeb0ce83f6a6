// str (≈ Objects/unicodeobject.c, Include/cpython/unicodeobject.h, CPython 3.11 PEP 393 layouts).
//
// A str is one block: a fixed header followed by the characters, all of one width (its "kind":
// 1, 2 or 4 bytes per character), chosen as the narrowest that holds the largest character, and
// a NUL terminator of that width. Two compact layouts, as CPython 3.11 (64-bit):
//
//   PyASCIIObject (all chars < 128)            PyCompactUnicodeObject (latin-1, UCS-2, UCS-4)
//    0 ob_refcnt                                 0..47  the PyASCIIObject header
//    8 ob_type                                  48 utf8_length   (cached UTF-8; never made here)
//   16 length        (code points)              56 utf8          (char*, NULL)
//   24 hash          (-1 = not computed yet)    64 wstr_length
//   32 state (u32) + 4 bytes padding            72 data: (length + 1) · kind bytes
//   40 wstr          (wchar_t*, always NULL)
//   48 data: length + 1 bytes
//
//   state bits: 0-1 interned (0 no, 1 mortal, 2 immortal), 2-4 kind (1/2/4), 5 compact,
//               6 ascii, 7 ready
//
// sys.getsizeof: ASCII 48 + len + 1; otherwise 72 + (len + 1) · kind. Instances of str
// SUBCLASSES use the legacy layout PyUnicodeObject (80 bytes: the compact header plus a data
// pointer at 72 to a separate PyObject_Malloc'd buffer), as CPython's unicode_subtype_new does;
// the accessors below handle both (the data pointer is the only difference).
//
// Statics (reference §4): the empty str and the 256 one-character latin-1 strs live in the
// static region with refcount STATIC_REFCNT; every constructor returns them for lengths 0 and 1
// (≈ unicode_new_empty, get_latin1_char).
//
// Hash: SipHash-1-3 over the character data as it is stored (latin-1 bytes, UTF-16-LE or
// UTF-32-LE: the canonical bytes), cached in the hash field (pyhash.ts).
//
// Interning (≈ PyUnicode_InternInPlace, 3.11 "mortal" interning): the interned table does not
// own references, so interning does not change a refcount; unicode_dealloc removes a dying
// interned string from it. The table is a JS Map from the text to the address (Rule 1: a cache
// of the heap — every interned str carries the INTERNED state bit and the map can be rebuilt
// from them; entries die with their str). Strings containing surrogate code points are never
// interned (their JS text would not identify them uniquely).

import { type Ptr, NULL, I32 as heapI32, U8 as heapU8, U16 as heapU16, U32 as heapU32, staticAlloc, isStatic, onHeapReset } from '../mem/heap.js';
import { PyObject_Malloc, PyObject_Free, PyObject_Realloc } from '../mem/pymem.js';
import {
  OB_TYPE, STATIC_REFCNT, HASH_HI, Py_DECREF, Py_XDECREF, Py_SETREF, Py_CLEAR, Py_SIZE, Py_SET_SIZE,
} from '../object.js';
import {
  newStaticType, slotsOf, slotsOfObj, typeName, Py_TPFLAGS_BASETYPE, Py_TPFLAGS_UNICODE_SUBCLASS, Py_TPFLAGS_HAVE_GC,
  TP_FLAGS, Py_EQ, Py_NE, Py_LT, Py_LE, Py_GT, Py_GE, METH_NOARGS, METH_O, METH_FASTCALL, METH_KEYWORDS, METH_STATIC,
  type MethodDef, type visitproc,
} from '../typeobject.js';
import { PyObject_GC_New, PyObject_GC_Del, PyObject_GC_Track, PyObject_GC_UnTrack, PyType_GenericAlloc } from '../gc.js';
import { PyErr_SetString, PyErr_SetObject, PyErr_NoMemory, PyErr_Occurred, PyErr_ExceptionMatches, PyErr_Clear } from '../errors.js';
import {
  PyExc_TypeError, PyExc_ValueError, PyExc_OverflowError, PyExc_IndexError, PyExc_LookupError,
  PyExc_UnicodeEncodeError, PyExc_UnicodeDecodeError,
} from './exceptions.js';
import { _Py_HashBytes } from '../pyhash.js';
import {
  Py_UNICODE_ISSPACE, Py_UNICODE_ISALPHA, Py_UNICODE_ISALNUM, Py_UNICODE_ISDECIMAL, Py_UNICODE_ISDIGIT,
  Py_UNICODE_ISNUMERIC, Py_UNICODE_ISPRINTABLE, Py_UNICODE_ISLOWER, Py_UNICODE_ISUPPER, Py_UNICODE_ISTITLE,
  Py_UNICODE_ISLINEBREAK, _PyUnicode_IsCased, _PyUnicode_IsCaseIgnorable, _PyUnicode_IsXidStart, _PyUnicode_IsXidContinue,
  _PyUnicode_ToLowerFull, _PyUnicode_ToUpperFull, _PyUnicode_ToTitleFull, _PyUnicode_ToFoldedFull,
} from './unicodectype.js';
import {
  PyObject_GetIter, PyIter_Next, PyObject_Str, PyNumber_Index, PyNumber_AsSsize_t, PyObject_GetItem,
} from '../abstract.js';
import { PyLong_FromSsize_t, PyLong_AsSsize_t, PyLong_Check, PyLong_Type } from './longobject.js';
import { PyBool_FromLong } from './boolobject.js';
import { Py_None, Py_NotImplemented } from './noneobject.js';
import { PyTuple_Check, PyTuple_Pack } from './tupleobject.js';
import { PyList_New, PyList_Append, PyList_SET_ITEM, PyList_Check } from './listobject.js';
import { PySlice_Type, PySlice_Unpack, PySlice_AdjustIndices, SLICE_RESULT, _PyEval_SliceIndex } from './sliceobject.js';
import { PyDict_New, PyDict_SetItem, PyDict_Check, PyDict_Next, DICT_NEXT } from './dictobject.js';
import { PyBytes_Check, PyBytes_AS_STRING, PyBytes_GET_SIZE, _PyBytes_FromSize, BYTES_SVAL } from './bytesobject.js';
import { formatStr } from './format.js';
import { PyUnicode_Format, str_format, str_format_map } from './unicode_format.js';

// The heap views as file-local constants (an imported binding is read through its module
// cell on every use; reference/performance.md §4d rule 1).
const I32 = heapI32;
const U8 = heapU8;
const U16 = heapU16;
const U32 = heapU32;

// ---- layout ----
export const UNICODE_LENGTH = 16;
export const UNICODE_HASH = 24;
export const UNICODE_STATE = 32;
export const UNICODE_WSTR = 40;
export const ASCII_DATA = 48; // == sizeof(PyASCIIObject)
export const UNICODE_UTF8_LENGTH = 48;
export const UNICODE_UTF8 = 56;
export const UNICODE_WSTR_LENGTH = 64;
export const COMPACT_DATA = 72; // == sizeof(PyCompactUnicodeObject)
export const UNICODE_DATA_ANY = 72; // legacy PyUnicodeObject: pointer to the data buffer
export const PyASCIIObject_SIZE = 48;
export const PyCompactUnicodeObject_SIZE = 72;
export const PyUnicodeObject_SIZE = 80;

// state bits
export const SSTATE_NOT_INTERNED = 0;
export const SSTATE_INTERNED_MORTAL = 1;
export const SSTATE_INTERNED_IMMORTAL = 2;
const STATE_INTERNED_MASK = 3;
const STATE_KIND_SHIFT = 2;
const STATE_COMPACT = 1 << 5;
const STATE_ASCII = 1 << 6;
const STATE_READY = 1 << 7;

export const PyUnicode_1BYTE_KIND = 1;
export const PyUnicode_2BYTE_KIND = 2;
export const PyUnicode_4BYTE_KIND = 4;

export const MAX_UNICODE = 0x10ffff;

// ---- the type ----
/** `str` (≈ PyUnicode_Type). The slot functions are declared further down (hoisted). */
export const PyUnicode_Type: Ptr = newStaticType({
  name: 'str',
  basicsize: PyUnicodeObject_SIZE,
  itemsize: 0,
  flags: Py_TPFLAGS_BASETYPE | Py_TPFLAGS_UNICODE_SUBCLASS,
  slots: {
    tp_dealloc: unicode_dealloc,
    tp_free: PyObject_Free,
    tp_repr: unicode_repr,
    tp_str: unicode_str,
    tp_hash: unicode_hash,
    tp_richcompare: unicode_richcompare,
    tp_iter: unicode_iter,
    tp_vectorcall: unicode_vectorcall,
    tp_new: unicode_tp_new,
    tp_sizeof: unicode_sizeof,
    nb_remainder: unicode_mod,
    sq_length: unicode_length,
    sq_concat: unicode_concat,
    sq_repeat: unicode_sq_repeat,
    sq_item: unicode_getitem,
    sq_contains: unicode_contains,
    mp_length: unicode_length,
    mp_subscript: unicode_subscript,
    methods: unicodeMethodTable(),
    doc: "str(object='') -> str\nstr(bytes_or_buffer[, encoding[, errors]]) -> str\n\nCreate a new string object from the given object. If encoding or\nerrors is specified, then the object must expose a data buffer\nthat will be decoded using the given encoding and error handler.\nOtherwise, returns the result of object.__str__() (if defined)\nor repr(object).\nencoding defaults to sys.getdefaultencoding().\nerrors defaults to 'strict'.",
  },
});

// ---- checks and accessors (≈ the PyUnicode_* macros) ----
/** ≈ PyUnicode_Check: str or a subclass. */
export function PyUnicode_Check(o: Ptr): boolean {
  return (I32[(I32[(o + OB_TYPE) >> 2] + TP_FLAGS) >> 2] & Py_TPFLAGS_UNICODE_SUBCLASS) !== 0;
}
/** ≈ PyUnicode_CheckExact */
export function PyUnicode_CheckExact(o: Ptr): boolean {
  return I32[(o + OB_TYPE) >> 2] === PyUnicode_Type;
}
/** Number of code points. */
export function PyUnicode_GET_LENGTH(o: Ptr): number {
  return I32[(o + UNICODE_LENGTH) >> 2];
}
/** 1, 2 or 4: bytes per character. */
export function PyUnicode_KIND(o: Ptr): number {
  return (U8[o + UNICODE_STATE] >> STATE_KIND_SHIFT) & 7;
}
export function PyUnicode_IS_ASCII(o: Ptr): boolean {
  return (U8[o + UNICODE_STATE] & STATE_ASCII) !== 0;
}
export function PyUnicode_IS_COMPACT(o: Ptr): boolean {
  return (U8[o + UNICODE_STATE] & STATE_COMPACT) !== 0;
}
export function PyUnicode_IS_COMPACT_ASCII(o: Ptr): boolean {
  return (U8[o + UNICODE_STATE] & (STATE_ASCII | STATE_COMPACT)) === (STATE_ASCII | STATE_COMPACT);
}
/** ≈ PyUnicode_CHECK_INTERNED: 0, SSTATE_INTERNED_MORTAL or SSTATE_INTERNED_IMMORTAL. */
export function PyUnicode_CHECK_INTERNED(o: Ptr): number {
  return U8[o + UNICODE_STATE] & STATE_INTERNED_MASK;
}
/** Heap address of the first character (≈ PyUnicode_DATA). */
export function PyUnicode_DATA(o: Ptr): number {
  const st = U8[o + UNICODE_STATE];
  if ((st & STATE_COMPACT) === 0) return I32[(o + UNICODE_DATA_ANY) >> 2];
  return (st & STATE_ASCII) !== 0 ? o + ASCII_DATA : o + COMPACT_DATA;
}
/** ≈ PyUnicode_READ: the code point at index i of data of the given kind. */
export function PyUnicode_READ(kind: number, data: number, i: number): number {
  if (kind === 1) return U8[data + i];
  if (kind === 2) return U16[(data >> 1) + i];
  return U32[(data >> 2) + i];
}
/** ≈ PyUnicode_WRITE */
export function PyUnicode_WRITE(kind: number, data: number, i: number, ch: number): void {
  if (kind === 1) U8[data + i] = ch;
  else if (kind === 2) U16[(data >> 1) + i] = ch;
  else U32[(data >> 2) + i] = ch;
}
/** ≈ PyUnicode_READ_CHAR */
export function PyUnicode_READ_CHAR(o: Ptr, i: number): number {
  return PyUnicode_READ(PyUnicode_KIND(o), PyUnicode_DATA(o), i);
}
/** ≈ PyUnicode_MAX_CHAR_VALUE: the largest character the str's kind/ascii flag allows. */
export function PyUnicode_MAX_CHAR_VALUE(o: Ptr): number {
  if (PyUnicode_IS_ASCII(o)) return 0x7f;
  const k = PyUnicode_KIND(o);
  return k === 1 ? 0xff : k === 2 ? 0xffff : MAX_UNICODE;
}

// ---- allocation ----
/** Write a fresh compact str header at `o` (refcount 1, type str, hash -1). */
function initCompact(o: Ptr, type: Ptr, size: number, kind: number, ascii: boolean, refcnt: number): void {
  const w = o >> 2;
  I32[w] = refcnt;
  I32[w + 1] = 0;
  I32[w + 2] = type;
  I32[w + 3] = 0;
  I32[w + 4] = size;
  I32[w + 5] = 0;
  I32[w + 6] = -1; // hash
  I32[w + 7] = -1;
  I32[w + 8] = (kind << STATE_KIND_SHIFT) | STATE_COMPACT | (ascii ? STATE_ASCII : 0) | STATE_READY;
  I32[w + 9] = 0;
  I32[w + 10] = 0; // wstr
  I32[w + 11] = 0;
  if (!ascii) {
    I32[w + 12] = 0; // utf8_length
    I32[w + 13] = 0;
    I32[w + 14] = 0; // utf8
    I32[w + 15] = 0;
    I32[w + 16] = 0; // wstr_length
    I32[w + 17] = 0;
  }
}

/** Largest length a str may have before the size computation overflows (≈ PY_SSIZE_T_MAX
 *  checks; here the heap is the limit, so anything over 2^31 fails as MemoryError). */
const MAX_STR_BYTES = 0x7fff0000;

/** ≈ PyUnicode_New: a new compact str of `size` characters able to hold `maxchar`, data not
 *  initialized except the NUL terminator. New reference; size 0 gives the empty-str singleton
 *  (new reference). NULL + MemoryError when memory is exhausted. */
export function PyUnicode_New(size: number, maxchar: number): Ptr {
  if (size === 0) {
    I32[unicode_empty >> 2]++;
    return unicode_empty;
  }
  let kind: number;
  let header: number;
  let ascii = false;
  if (maxchar < 128) {
    kind = 1;
    header = PyASCIIObject_SIZE;
    ascii = true;
  } else if (maxchar < 256) {
    kind = 1;
    header = PyCompactUnicodeObject_SIZE;
  } else if (maxchar < 65536) {
    kind = 2;
    header = PyCompactUnicodeObject_SIZE;
  } else {
    kind = 4;
    header = PyCompactUnicodeObject_SIZE;
  }
  if (size < 0 || size * kind > MAX_STR_BYTES) return PyErr_NoMemory();
  const o = PyObject_Malloc(header + (size + 1) * kind);
  if (o === NULL) return PyErr_NoMemory();
  initCompact(o, PyUnicode_Type, size, kind, ascii, 1);
  const data = o + header;
  if (kind === 1) U8[data + size] = 0;
  else if (kind === 2) U16[(data >> 1) + size] = 0;
  else U32[(data >> 2) + size] = 0;
  return o;
}

// ---- statics: the empty str and the 256 latin-1 characters ----
function newStaticStr(size: number, maxchar: number): Ptr {
  const ascii = maxchar < 128;
  const kind = maxchar < 256 ? 1 : maxchar < 65536 ? 2 : 4;
  const header = ascii ? PyASCIIObject_SIZE : PyCompactUnicodeObject_SIZE;
  const o = staticAlloc(header + (size + 1) * kind, 16);
  initCompact(o, PyUnicode_Type, size, kind, ascii, STATIC_REFCNT);
  return o;
}

/** The empty str singleton (≈ unicode_empty / &_Py_STR(empty)). Borrowed: INCREF to hand it out. */
export const unicode_empty: Ptr = newStaticStr(0, 0);
I32[(unicode_empty + UNICODE_HASH) >> 2] = 0; // hash('') == 0, cached
I32[(unicode_empty + UNICODE_HASH + 4) >> 2] = 0;

/** Addresses of the 256 one-character latin-1 singletons. */
const latin1 = new Int32Array(256);
for (let c = 0; c < 256; c++) {
  const o = newStaticStr(1, c);
  U8[PyUnicode_DATA(o)] = c;
  latin1[c] = o;
}

/** ≈ get_latin1_char: the static one-character str for ch < 256. New reference. */
export function get_latin1_char(ch: number): Ptr {
  const o = latin1[ch];
  I32[o >> 2]++;
  return o;
}
/** ≈ unicode_new_empty: the empty str. New reference. */
export function unicode_new_empty(): Ptr {
  I32[unicode_empty >> 2]++;
  return unicode_empty;
}
/** Is `o` one of the static str singletons (never deallocated)? */
export function unicode_is_singleton(o: Ptr): boolean {
  return o === unicode_empty || (PyUnicode_GET_LENGTH(o) === 1 && latin1[U8[PyUnicode_DATA(o)]] === o);
}

/** ≈ unicode_char: the str of one code point (latin-1 singleton when ch < 256). New reference. */
export function unicode_char(ch: number): Ptr {
  if (ch < 256) return get_latin1_char(ch);
  const o = PyUnicode_New(1, ch);
  if (o === NULL) return NULL;
  PyUnicode_WRITE(PyUnicode_KIND(o), PyUnicode_DATA(o), 0, ch);
  return o;
}

// ---- from and to JS strings ----
/** A new str from a JS string (UTF-16: a valid surrogate pair becomes one astral character, a
 *  lone surrogate stays a surrogate code point). The narrowest kind is chosen; '' and one-char
 *  latin-1 strings are the static singletons. New reference, NULL + MemoryError on exhaustion. */
export function PyUnicode_FromString(s: string): Ptr {
  const n = s.length;
  if (n === 0) return unicode_new_empty();
  // max char and code-point count
  let max = 0;
  let astral = 0;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c > max) max = c;
    if (c >= 0xd800 && c < 0xdc00 && i + 1 < n) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d < 0xe000) {
        astral++;
        i++;
      }
    }
  }
  const size = n - astral;
  if (astral > 0) max = 0x10000;
  if (size === 1 && max < 256) return get_latin1_char(s.charCodeAt(0));
  const o = PyUnicode_New(size, max);
  if (o === NULL) return NULL;
  const data = PyUnicode_DATA(o);
  if (max < 256) {
    for (let i = 0; i < n; i++) U8[data + i] = s.charCodeAt(i);
  } else if (astral === 0) {
    const d = data >> 1;
    for (let i = 0; i < n; i++) U16[d + i] = s.charCodeAt(i);
  } else {
    const d = data >> 2;
    let j = 0;
    for (let i = 0; i < n; i++) {
      let c = s.charCodeAt(i);
      if (c >= 0xd800 && c < 0xdc00 && i + 1 < n) {
        const e = s.charCodeAt(i + 1);
        if (e >= 0xdc00 && e < 0xe000) {
          c = 0x10000 + ((c - 0xd800) << 10) + (e - 0xdc00);
          i++;
        }
      }
      U32[d + j++] = c;
    }
  }
  return o;
}

/** A new str from code points (any iterable-by-index of numbers in 0..0x10FFFF): unlike
 *  PyUnicode_FromString this keeps adjacent surrogate code points as two characters. New ref. */
export function PyUnicode_FromCodePoints(cps: ArrayLike<number>): Ptr {
  const n = cps.length;
  if (n === 0) return unicode_new_empty();
  let max = 0;
  for (let i = 0; i < n; i++) if (cps[i] > max) max = cps[i];
  if (n === 1 && max < 256) return get_latin1_char(cps[0]);
  const o = PyUnicode_New(n, max);
  if (o === NULL) return NULL;
  const kind = PyUnicode_KIND(o);
  const data = PyUnicode_DATA(o);
  for (let i = 0; i < n; i++) PyUnicode_WRITE(kind, data, i, cps[i]);
  return o;
}

/** ≈ _PyUnicode_FromUCS1 etc.: a new str from `n` characters of `kind` at heap address `src`,
 *  narrowed to the smallest kind that holds them. New reference. */
export function PyUnicode_FromKindAndData(kind: number, src: number, n: number): Ptr {
  if (n === 0) return unicode_new_empty();
  const max = maxCharOf(kind, src, n);
  if (n === 1) return unicode_char(max);
  const o = PyUnicode_New(n, max);
  if (o === NULL) return NULL;
  copyCharacters(o, 0, kind, src, n);
  return o;
}

/** Largest code point among n characters of `kind` at `src`. */
export function maxCharOf(kind: number, src: number, n: number): number {
  let max = 0;
  if (kind === 1) {
    for (let i = 0; i < n; i++) if (U8[src + i] > max) max = U8[src + i];
  } else if (kind === 2) {
    const d = src >> 1;
    for (let i = 0; i < n; i++) if (U16[d + i] > max) max = U16[d + i];
  } else {
    const d = src >> 2;
    for (let i = 0; i < n; i++) if (U32[d + i] > max) max = U32[d + i];
  }
  return max;
}

/** Copy n bytes between non-overlapping heap ranges. A typed-array copyWithin costs ~70 ns
 *  whatever the size: short strings copy by hand. */
function copyBytes(dst: number, src: number, n: number): void {
  if (n <= 32) {
    for (let i = 0; i < n; i++) U8[dst + i] = U8[src + i];
  } else U8.copyWithin(dst, src, src + n);
}

/** ≈ _PyUnicode_FastCopyCharacters: write n characters of `fromKind` at heap address `src` into
 *  str `to` at index `at` (to's kind must be wide enough). Bulk copies when the kinds match. */
export function copyCharacters(to: Ptr, at: number, fromKind: number, src: number, n: number): void {
  const toKind = PyUnicode_KIND(to);
  const dst = PyUnicode_DATA(to);
  if (toKind === fromKind) {
    copyBytes(dst + at * toKind, src, n * toKind);
    return;
  }
  if (fromKind === 1) {
    if (toKind === 2) U16.set(U8.subarray(src, src + n), (dst >> 1) + at);
    else U32.set(U8.subarray(src, src + n), (dst >> 2) + at);
  } else if (fromKind === 2) {
    if (toKind === 4) U32.set(U16.subarray(src >> 1, (src >> 1) + n), (dst >> 2) + at);
    else for (let i = 0; i < n; i++) U8[dst + at + i] = U16[(src >> 1) + i];
  } else {
    if (toKind === 2) for (let i = 0; i < n; i++) U16[(dst >> 1) + at + i] = U32[(src >> 2) + i];
    else for (let i = 0; i < n; i++) U8[dst + at + i] = U32[(src >> 2) + i];
  }
}

const CHUNK = 4096;
/** The str's text as a JS string (messages, printing, JS-side caches). Astral characters
 *  become surrogate pairs. */
export function unicodeToJs(o: Ptr): string {
  const n = PyUnicode_GET_LENGTH(o);
  if (n === 0) return '';
  const kind = PyUnicode_KIND(o);
  const data = PyUnicode_DATA(o);
  if (kind === 1) {
    if (n <= 16) {
      let s = '';
      for (let i = 0; i < n; i++) s += String.fromCharCode(U8[data + i]);
      return s;
    }
    let s = '';
    for (let i = 0; i < n; i += CHUNK) {
      s += String.fromCharCode.apply(null, U8.subarray(data + i, data + Math.min(n, i + CHUNK)) as unknown as number[]);
    }
    return s;
  }
  if (kind === 2) {
    const d = data >> 1;
    let s = '';
    for (let i = 0; i < n; i += CHUNK) {
      s += String.fromCharCode.apply(null, U16.subarray(d + i, d + Math.min(n, i + CHUNK)) as unknown as number[]);
    }
    return s;
  }
  const d = data >> 2;
  let s = '';
  for (let i = 0; i < n; i += CHUNK) {
    s += String.fromCodePoint.apply(null, U32.subarray(d + i, d + Math.min(n, i + CHUNK)) as unknown as number[]);
  }
  return s;
}

// ---- hash and equality ----
/** ≈ unicode_hash (tp_hash): SipHash-1-3 of the character data, cached in the object. Returns the
 *  low 32 bits and leaves the high half in HASH_HI[0]. Never fails. */
export function unicode_hash(o: Ptr): number {
  const w = (o + UNICODE_HASH) >> 2;
  let lo = I32[w];
  let hi = I32[w + 1];
  if (lo !== -1 || hi !== -1) {
    HASH_HI[0] = hi;
    return lo;
  }
  lo = _Py_HashBytes(PyUnicode_DATA(o), I32[(o + UNICODE_LENGTH) >> 2] * ((U8[o + UNICODE_STATE] >> STATE_KIND_SHIFT) & 7));
  hi = HASH_HI[0];
  I32[w] = lo;
  I32[w + 1] = hi;
  return lo;
}

/** ≈ unicode_eq (Objects/stringlib/eq.h), used by dict lookups: same length, same kind, same
 *  bytes. Both arguments must be str. */
export function unicode_eq(a: Ptr, b: Ptr): boolean {
  if (a === b) return true;
  const len = I32[(a + UNICODE_LENGTH) >> 2];
  if (len !== I32[(b + UNICODE_LENGTH) >> 2]) return false;
  const sa = U8[a + UNICODE_STATE];
  const sb = U8[b + UNICODE_STATE];
  if (((sa ^ sb) & (7 << STATE_KIND_SHIFT)) !== 0) return false;
  const nbytes = len * ((sa >> STATE_KIND_SHIFT) & 7);
  const da = PyUnicode_DATA(a);
  const db = PyUnicode_DATA(b);
  return memeq(da, db, nbytes);
}

/** Compare n bytes at two heap addresses (word-wise when both are 4-aligned). */
export function memeq(da: number, db: number, n: number): boolean {
  let i = 0;
  if (((da | db) & 3) === 0) {
    const wa = da >> 2;
    const wb = db >> 2;
    const nw = n >> 2;
    for (; i < nw; i++) if (I32[wa + i] !== I32[wb + i]) return false;
    i = nw << 2;
  }
  for (; i < n; i++) if (U8[da + i] !== U8[db + i]) return false;
  return true;
}

/** ≈ _PyUnicode_EqualToASCIIString / _PyUnicode_EqualToASCIIId: does str `o` equal the JS string
 *  `s` (compared code unit by code unit; meant for ASCII/latin-1/BMP identifiers)? */
export function unicodeEqualsJs(o: Ptr, s: string): boolean {
  const n = PyUnicode_GET_LENGTH(o);
  if (n !== s.length) return false;
  const kind = PyUnicode_KIND(o);
  const data = PyUnicode_DATA(o);
  for (let i = 0; i < n; i++) if (PyUnicode_READ(kind, data, i) !== s.charCodeAt(i)) return false;
  return true;
}

// ---- interning ----
/** text -> address of the interned str (a cache of the heap: see the header comment). */
const interned = new Map<string, Ptr>();
onHeapReset(() => interned.clear());

function hasSurrogates(o: Ptr): boolean {
  const kind = PyUnicode_KIND(o);
  if (kind === 1) return false;
  const n = PyUnicode_GET_LENGTH(o);
  const data = PyUnicode_DATA(o);
  for (let i = 0; i < n; i++) {
    const c = PyUnicode_READ(kind, data, i);
    if (c >= 0xd800 && c < 0xe000) return true;
  }
  return false;
}

/** ≈ PyUnicode_InternInPlace: `addr` is the heap address of a pointer field holding a str (an
 *  owned reference). If an equal str is already interned, the field is switched to it (INCREF
 *  the interned one, DECREF the old one); otherwise the str itself becomes interned (mortal: the
 *  table holds no reference). Only exact str objects are interned. */
export function PyUnicode_InternInPlace(addr: number): void {
  const s = I32[addr >> 2];
  if (!PyUnicode_CheckExact(s)) return;
  if ((U8[s + UNICODE_STATE] & STATE_INTERNED_MASK) !== 0) return;
  if (hasSurrogates(s)) return;
  const key = unicodeToJs(s);
  const t = interned.get(key);
  if (t !== undefined) {
    I32[t >> 2]++;
    Py_SETREF(addr, t);
    return;
  }
  interned.set(key, s);
  U8[s + UNICODE_STATE] |= SSTATE_INTERNED_MORTAL;
}

/** In-place interning for a JS-held reference: returns the interned str (stealing `s`, returning
 *  a new reference — ≈ the common `PyUnicode_InternInPlace(&s); return s;` idiom). */
export function PyUnicode_Intern(s: Ptr): Ptr {
  if (!PyUnicode_CheckExact(s) || (U8[s + UNICODE_STATE] & STATE_INTERNED_MASK) !== 0) return s;
  if (hasSurrogates(s)) return s;
  const key = unicodeToJs(s);
  const t = interned.get(key);
  if (t !== undefined) {
    I32[t >> 2]++;
    Py_DECREF(s);
    return t;
  }
  interned.set(key, s);
  U8[s + UNICODE_STATE] |= SSTATE_INTERNED_MORTAL;
  return s;
}

/** ≈ PyUnicode_InternFromString: the interned str with text `s`. New reference; NULL on
 *  MemoryError. */
export function PyUnicode_InternFromString(s: string): Ptr {
  const t = interned.get(s);
  if (t !== undefined) {
    I32[t >> 2]++;
    return t;
  }
  const o = PyUnicode_FromString(s);
  if (o === NULL) return NULL;
  return PyUnicode_Intern(o);
}

/** A str allocated in the static region (refcount STATIC_REFCNT, never freed) and interned:
 *  for the runtime's identifier strings (≈ _Py_ID / _Py_STR statics). If an equal str is already
 *  interned, that one is returned instead. Borrowed reference (statics are never freed). */
export function _PyUnicode_InternStatic(s: string): Ptr {
  const t = interned.get(s);
  if (t !== undefined) return t;
  const tmp = PyUnicode_FromString(s);
  if (tmp === NULL) throw new Error('pymem bug: out of memory while creating static strings');
  if (PyUnicode_GET_LENGTH(tmp) <= 1 || hasSurrogates(tmp)) {
    // the singletons are static already
    const k = PyUnicode_Intern(tmp);
    return k;
  }
  const n = PyUnicode_GET_LENGTH(tmp);
  const kind = PyUnicode_KIND(tmp);
  const o = newStaticStr(n, maxCharOf(kind, PyUnicode_DATA(tmp), n));
  U8.copyWithin(PyUnicode_DATA(o), PyUnicode_DATA(tmp), PyUnicode_DATA(tmp) + (n + 1) * kind);
  Py_DECREF(tmp);
  interned.set(s, o);
  U8[o + UNICODE_STATE] |= SSTATE_INTERNED_MORTAL;
  return o;
}

/** Number of interned strs (tests). */
export function internedCount(): number {
  return interned.size;
}

// ---- deallocation and size ----
/** ≈ unicode_dealloc: drop the str from the interned table if needed, free the legacy data
 *  buffer of a subclass instance, then the object. */
export function unicode_dealloc(o: Ptr): void {
  if ((U8[o + UNICODE_STATE] & STATE_INTERNED_MASK) !== 0) {
    interned.delete(unicodeToJs(o));
  }
  if ((U8[o + UNICODE_STATE] & STATE_COMPACT) === 0) {
    const data = I32[(o + UNICODE_DATA_ANY) >> 2];
    if (data !== NULL) PyObject_Free(data);
  }
  if (I32[(o + OB_TYPE) >> 2] === PyUnicode_Type) {
    if (isStatic(o)) throw new Error('pymem bug: a static str was deallocated');
    PyObject_Free(o);
  } else {
    const free = slotsOf(I32[(o + OB_TYPE) >> 2]).tp_free;
    if (free !== undefined) free(o);
    else PyObject_Free(o);
  }
}

/** ≈ unicode___sizeof__: the bytes sys.getsizeof reports (str is not a GC type). */
export function unicode_sizeof(o: Ptr): number {
  const n = PyUnicode_GET_LENGTH(o);
  const kind = PyUnicode_KIND(o);
  const st = U8[o + UNICODE_STATE];
  let size: number;
  if ((st & STATE_COMPACT) !== 0) {
    size = (st & STATE_ASCII) !== 0 ? PyASCIIObject_SIZE + n + 1 : PyCompactUnicodeObject_SIZE + (n + 1) * kind;
  } else {
    size = PyUnicodeObject_SIZE + (n + 1) * kind;
  }
  // a cached UTF-8 copy (never made by this runtime for non-ASCII strs) would add utf8_length + 1
  if ((st & STATE_ASCII) === 0 && I32[(o + UNICODE_UTF8) >> 2] !== NULL) size += I32[(o + UNICODE_UTF8_LENGTH) >> 2] + 1;
  return size;
}


// =====================================================================================
// Operations on str data. Everything below reads and writes the heap directly; the helpers
// return new references (NULL + exception on failure) unless they say otherwise.
// =====================================================================================

/** Character-width class of a str as CPython's PyUnicode_MAX_CHAR_VALUE sees it, used to pick
 *  the result kind of concatenation-like operations (not the true max char). */
function maxCharClass(o: Ptr): number {
  return PyUnicode_MAX_CHAR_VALUE(o);
}

/** ≈ _PyUnicode_Copy: a new exact str with the same characters (for subclass instances). */
export function _PyUnicode_Copy(o: Ptr): Ptr {
  const n = PyUnicode_GET_LENGTH(o);
  const r = PyUnicode_New(n, maxCharClass(o));
  if (r === NULL || n === 0) return r;
  copyCharacters(r, 0, PyUnicode_KIND(o), PyUnicode_DATA(o), n);
  return r;
}

/** ≈ unicode_result_unchanged: `o` itself (new reference) when it is an exact str, else an
 *  exact copy. */
export function unicode_result_unchanged(o: Ptr): Ptr {
  if (I32[(o + OB_TYPE) >> 2] === PyUnicode_Type) {
    I32[o >> 2]++;
    return o;
  }
  return _PyUnicode_Copy(o);
}

/** ≈ _PyUnicode_FromASCII: a str from n ASCII bytes at src (1 char → singleton). New ref. */
export function _PyUnicode_FromASCII(src: number, n: number): Ptr {
  if (n === 1) return get_latin1_char(U8[src]);
  const r = PyUnicode_New(n, 127);
  if (r === NULL || n === 0) return r;
  copyBytes(r + ASCII_DATA, src, n);
  return r;
}

/** ≈ PyUnicode_Substring: characters [start, end) of o (clamped). New reference; the whole
 *  string gives o itself (exact str), an empty range the empty singleton, one character a
 *  latin-1 singleton; the result kind is narrowed. */
export function PyUnicode_Substring(o: Ptr, start: number, end: number): Ptr {
  const len = PyUnicode_GET_LENGTH(o);
  if (end > len) end = len;
  if (start === 0 && end === len) return unicode_result_unchanged(o);
  if (start >= len || end < start) return unicode_new_empty();
  const n = end - start;
  const data = PyUnicode_DATA(o);
  if (PyUnicode_IS_ASCII(o)) return _PyUnicode_FromASCII(data + start, n);
  const kind = PyUnicode_KIND(o);
  return PyUnicode_FromKindAndData(kind, data + start * kind, n);
}

/** The same as PyUnicode_Substring without the whole-string shortcut (≈ STRINGLIB_NEW over a
 *  range: used by split/partition, whose results are always new unless the caller reuses self). */
function newRange(o: Ptr, start: number, end: number): Ptr {
  const n = end - start;
  if (n <= 0) return unicode_new_empty();
  const data = PyUnicode_DATA(o);
  if (PyUnicode_IS_ASCII(o)) return _PyUnicode_FromASCII(data + start, n);
  const kind = PyUnicode_KIND(o);
  return PyUnicode_FromKindAndData(kind, data + start * kind, n);
}

// ---- comparison ----
/** ≈ unicode_compare: -1, 0 or 1 in code-point order. */
export function unicode_compare(a: Ptr, b: Ptr): number {
  const la = PyUnicode_GET_LENGTH(a);
  const lb = PyUnicode_GET_LENGTH(b);
  const n = la < lb ? la : lb;
  const ka = PyUnicode_KIND(a);
  const kb = PyUnicode_KIND(b);
  const da = PyUnicode_DATA(a);
  const db = PyUnicode_DATA(b);
  if (ka === 1 && kb === 1) {
    for (let i = 0; i < n; i++) {
      const x = U8[da + i];
      const y = U8[db + i];
      if (x !== y) return x < y ? -1 : 1;
    }
  } else {
    for (let i = 0; i < n; i++) {
      const x = PyUnicode_READ(ka, da, i);
      const y = PyUnicode_READ(kb, db, i);
      if (x !== y) return x < y ? -1 : 1;
    }
  }
  return la < lb ? -1 : la > lb ? 1 : 0;
}

/** Compare a str with a JS string in code-point order (-1, 0, 1). */
export function PyUnicode_CompareWithJs(o: Ptr, s: string): number {
  const t = PyUnicode_FromString(s);
  if (t === NULL) return -1;
  const r = unicode_compare(o, t);
  Py_DECREF(t);
  return r;
}

// ---- concatenation and repetition ----
/** ≈ PyUnicode_Concat: left + right. `left` must be a str; `right` that is not a str raises
 *  TypeError as CPython. New reference. */
export function PyUnicode_Concat(left: Ptr, right: Ptr): Ptr {
  if (!PyUnicode_Check(right)) {
    PyErr_SetString(PyExc_TypeError, `can only concatenate str (not "${typeName(I32[(right + OB_TYPE) >> 2])}") to str`);
    return NULL;
  }
  if (left === unicode_empty) return unicode_result_unchanged(right);
  if (right === unicode_empty) return unicode_result_unchanged(left);
  const ll = PyUnicode_GET_LENGTH(left);
  const rl = PyUnicode_GET_LENGTH(right);
  const mc = Math.max(maxCharClass(left), maxCharClass(right));
  const r = PyUnicode_New(ll + rl, mc);
  if (r === NULL) return NULL;
  copyCharacters(r, 0, PyUnicode_KIND(left), PyUnicode_DATA(left), ll);
  copyCharacters(r, ll, PyUnicode_KIND(right), PyUnicode_DATA(right), rl);
  return r;
}

/** ≈ unicode_modifiable: may the str be resized in place (sole reference, not hashed, not
 *  interned, exact type, not static)? */
function unicode_modifiable(o: Ptr): boolean {
  return I32[o >> 2] === 1 && I32[(o + UNICODE_HASH) >> 2] === -1 && I32[(o + UNICODE_HASH + 4) >> 2] === -1 &&
    (U8[o + UNICODE_STATE] & STATE_INTERNED_MASK) === 0 && I32[(o + OB_TYPE) >> 2] === PyUnicode_Type && !isStatic(o);
}

/** ≈ PyUnicode_Append: `*pleft += right` where `pleft` is the heap address of a pointer field
 *  holding an owned str. Resizes the left str in place (PyObject_Realloc) when it is modifiable
 *  and wide enough — the VM's `s += t` fast path — else replaces the field by a new str. On
 *  error the field is cleared (set to NULL, the old value released) and an exception is set. */
export function PyUnicode_Append(pleft: number, right: Ptr): void {
  const left = I32[pleft >> 2];
  if (left === NULL) return;
  if (!PyUnicode_Check(right)) {
    PyErr_SetString(PyExc_TypeError, `can only concatenate str (not "${typeName(I32[(right + OB_TYPE) >> 2])}") to str`);
    Py_CLEAR(pleft);
    return;
  }
  if (left === unicode_empty) {
    const r = unicode_result_unchanged(right);
    Py_SETREF(pleft, r);
    if (r === NULL) I32[pleft >> 2] = 0;
    return;
  }
  if (right === unicode_empty) return;
  const ll = PyUnicode_GET_LENGTH(left);
  const rl = PyUnicode_GET_LENGTH(right);
  const lk = PyUnicode_KIND(left);
  if (unicode_modifiable(left) && PyUnicode_CheckExact(right) && PyUnicode_KIND(right) <= lk &&
      !(PyUnicode_IS_ASCII(left) && !PyUnicode_IS_ASCII(right))) {
    // ≈ resize_compact: grow the block, then copy right after the old characters
    const header = PyUnicode_IS_ASCII(left) ? PyASCIIObject_SIZE : PyCompactUnicodeObject_SIZE;
    const n = ll + rl;
    if (n * lk > MAX_STR_BYTES) {
      PyErr_NoMemory();
      Py_CLEAR(pleft);
      return;
    }
    const o = PyObject_Realloc(left, header + (n + 1) * lk);
    if (o === NULL) {
      PyErr_NoMemory();
      Py_CLEAR(pleft);
      return;
    }
    I32[(o + UNICODE_LENGTH) >> 2] = n;
    copyCharacters(o, ll, PyUnicode_KIND(right), PyUnicode_DATA(right), rl);
    PyUnicode_WRITE(lk, o + header, n, 0);
    I32[pleft >> 2] = o;
    I32[(pleft >> 2) + 1] = 0;
    return;
  }
  const r = PyUnicode_Concat(left, right);
  Py_SETREF(pleft, r);
  if (r === NULL) I32[pleft >> 2] = 0;
}

/** ≈ unicode_repeat (sq_repeat): o * n. New reference. */
export function unicode_repeat(o: Ptr, n: number): Ptr {
  if (n < 1) return unicode_new_empty();
  if (n === 1) return unicode_result_unchanged(o);
  const len = PyUnicode_GET_LENGTH(o);
  if (len === 0) return unicode_new_empty();
  if (len > 9223372036854775807 / n) {
    PyErr_SetString(PyExc_OverflowError, 'repeated string is too long');
    return NULL;
  }
  const total = len * n;
  const r = PyUnicode_New(total, maxCharClass(o));
  if (r === NULL) return NULL;
  const kind = PyUnicode_KIND(o);
  const src = PyUnicode_DATA(o);
  const dst = PyUnicode_DATA(r);
  if (len === 1) {
    const ch = PyUnicode_READ(kind, src, 0);
    if (kind === 1) U8.fill(ch, dst, dst + total);
    else if (kind === 2) U16.fill(ch, dst >> 1, (dst >> 1) + total);
    else U32.fill(ch, dst >> 2, (dst >> 2) + total);
  } else {
    const chunk = len * kind;
    const all = total * kind;
    U8.copyWithin(dst, src, src + chunk);
    let done = chunk;
    while (done < all) {
      const c = done <= all - done ? done : all - done;
      U8.copyWithin(dst + done, dst, dst + c);
      done += c;
    }
  }
  return r;
}

// ---- searching ----
// Indices are code-point indices; `start`/`end` are already adjusted (0 <= start, end <= len).

/** Index of the first (dir > 0) or last (dir < 0) occurrence of code point ch in o[start:end],
 *  or -1. Bulk typed-array search over a subarray of the heap. */
export function findChar(o: Ptr, ch: number, start: number, end: number, dir: number): number {
  if (end <= start) return -1;
  const kind = PyUnicode_KIND(o);
  const data = PyUnicode_DATA(o);
  let r: number;
  if (kind === 1) {
    if (ch > 255) return -1;
    if (end - start < 16) {
      if (dir > 0) { for (let i = start; i < end; i++) if (U8[data + i] === ch) return i; }
      else { for (let i = end - 1; i >= start; i--) if (U8[data + i] === ch) return i; }
      return -1;
    }
    const v = U8.subarray(data + start, data + end);
    r = dir > 0 ? v.indexOf(ch) : v.lastIndexOf(ch);
  } else if (kind === 2) {
    if (ch > 0xffff) return -1;
    const v = U16.subarray((data >> 1) + start, (data >> 1) + end);
    r = dir > 0 ? v.indexOf(ch) : v.lastIndexOf(ch);
  } else {
    const v = U32.subarray((data >> 2) + start, (data >> 2) + end);
    r = dir > 0 ? v.indexOf(ch) : v.lastIndexOf(ch);
  }
  return r < 0 ? -1 : start + r;
}

/** Does o have the characters of sub at index i? (sub fits at i) */
function matchAt(kind: number, data: number, i: number, sk: number, sd: number, m: number): boolean {
  if (kind === sk) return memeq(data + i * kind, sd, m * kind);
  for (let j = 0; j < m; j++) if (PyUnicode_READ(kind, data, i + j) !== PyUnicode_READ(sk, sd, j)) return false;
  return true;
}

/** ≈ any_find_slice core: index of sub in o[start:end] (first when dir > 0, last when dir < 0),
 *  or -1. start/end must be adjusted already. */
export function findSub(o: Ptr, sub: Ptr, start: number, end: number, dir: number): number {
  const m = PyUnicode_GET_LENGTH(sub);
  if (end - start < m) return -1;
  if (m === 0) return dir > 0 ? start : end;
  const sk = PyUnicode_KIND(sub);
  const kind = PyUnicode_KIND(o);
  if (sk > kind) return -1;
  const sd = PyUnicode_DATA(sub);
  const first = PyUnicode_READ(sk, sd, 0);
  if (m === 1) return findChar(o, first, start, end, dir);
  const data = PyUnicode_DATA(o);
  const last = end - m; // last possible start index
  if (kind === 1 && first > 255) return -1;
  if (kind === 2 && first > 0xffff) return -1;
  if (kind === 1 && sk === 1 && end - start <= 256) {
    // a short 1-byte haystack: scan by hand (a subarray view and indexOf calls cost more)
    const s1 = U8[sd + 1];
    if (dir > 0) {
      for (let i = start; i <= last; i++) {
        if (U8[data + i] === first && U8[data + i + 1] === s1 && (m === 2 || memeq(data + i, sd, m))) return i;
      }
    } else {
      for (let i = last; i >= start; i--) {
        if (U8[data + i] === first && U8[data + i + 1] === s1 && (m === 2 || memeq(data + i, sd, m))) return i;
      }
    }
    return -1;
  }
  // one view over the haystack; the first character is located with indexOf / lastIndexOf
  const view = kind === 1 ? U8.subarray(data, data + end) : kind === 2 ? U16.subarray(data >> 1, (data >> 1) + end) : U32.subarray(data >> 2, (data >> 2) + end);
  if (dir > 0) {
    let i = start;
    while (i <= last) {
      i = view.indexOf(first, i);
      if (i < 0 || i > last) return -1;
      if (matchAt(kind, data, i, sk, sd, m)) return i;
      i++;
    }
  } else {
    let i = last;
    while (i >= start) {
      i = view.lastIndexOf(first, i);
      if (i < start) return -1;
      if (matchAt(kind, data, i, sk, sd, m)) return i;
      i--;
    }
  }
  return -1;
}

/** ≈ ADJUST_INDICES: clamp [start, end) to a sequence of `len`; result in ADJ[0], ADJ[1]. */
const ADJ = new Float64Array(2);
function adjustIndices(start: number, end: number, len: number): void {
  if (end > len) end = len;
  else if (end < 0) {
    end += len;
    if (end < 0) end = 0;
  }
  if (start < 0) {
    start += len;
    if (start < 0) start = 0;
  }
  ADJ[0] = start;
  ADJ[1] = end;
}

/** ≈ PyUnicode_Find: index of sub in o[start:end] (Python slice semantics for start/end), or
 *  -1 when absent. dir > 0 finds the first, dir < 0 the last occurrence. */
export function PyUnicode_Find(o: Ptr, sub: Ptr, start: number, end: number, dir: number): number {
  adjustIndices(start, end, PyUnicode_GET_LENGTH(o));
  return findSub(o, sub, ADJ[0], ADJ[1], dir);
}

/** ≈ PyUnicode_Count: non-overlapping occurrences of sub in o[start:end]. */
export function PyUnicode_Count(o: Ptr, sub: Ptr, start: number, end: number): number {
  adjustIndices(start, end, PyUnicode_GET_LENGTH(o));
  return countSub(o, sub, ADJ[0], ADJ[1], 9223372036854775807);
}

function countSub(o: Ptr, sub: Ptr, start: number, end: number, maxcount: number): number {
  const m = PyUnicode_GET_LENGTH(sub);
  if (end - start < m) return 0;
  if (m === 0) return end - start < maxcount ? end - start + 1 : maxcount;
  if (PyUnicode_KIND(sub) > PyUnicode_KIND(o)) return 0;
  let n = 0;
  let i = start;
  while (n < maxcount) {
    i = findSub(o, sub, i, end, 1);
    if (i < 0) break;
    n++;
    i += m;
  }
  return n;
}

/** ≈ PyUnicode_Tailmatch: does o[start:end] start (dir < 0) or end (dir > 0) with sub? */
export function PyUnicode_Tailmatch(o: Ptr, sub: Ptr, start: number, end: number, dir: number): boolean {
  adjustIndices(start, end, PyUnicode_GET_LENGTH(o));
  start = ADJ[0];
  const m = PyUnicode_GET_LENGTH(sub);
  end = ADJ[1] - m;
  if (end < start) return false;
  if (m === 0) return true;
  const sk = PyUnicode_KIND(sub);
  const kind = PyUnicode_KIND(o);
  if (sk > kind) return false;
  return matchAt(kind, PyUnicode_DATA(o), dir > 0 ? end : start, sk, PyUnicode_DATA(sub), m);
}

/** ≈ PyUnicode_Contains: is `sub` (must be a str: else TypeError) in o? 1, 0, or -1 on error. */
export function PyUnicode_Contains(o: Ptr, sub: Ptr): number {
  if (!PyUnicode_Check(sub)) {
    PyErr_SetString(PyExc_TypeError, `'in <string>' requires string as left operand, not ${typeName(I32[(sub + OB_TYPE) >> 2])}`);
    return -1;
  }
  return findSub(o, sub, 0, PyUnicode_GET_LENGTH(o), 1) >= 0 ? 1 : 0;
}

// ---- replace ----
/** ≈ replace(): o with the first `maxcount` (all when < 0) occurrences of s1 replaced by s2.
 *  New reference (o itself when nothing changes and o is an exact str). */
export function PyUnicode_Replace(o: Ptr, s1: Ptr, s2: Ptr, maxcount: number): Ptr {
  const slen = PyUnicode_GET_LENGTH(o);
  const len1 = PyUnicode_GET_LENGTH(s1);
  if (slen < len1) return unicode_result_unchanged(o);
  if (maxcount < 0) maxcount = 9223372036854775807;
  else if (maxcount === 0) return unicode_result_unchanged(o);
  if (s1 === s2) return unicode_result_unchanged(o);
  const len2 = PyUnicode_GET_LENGTH(s2);
  const mc = maxCharClass(o);
  const mc1 = maxCharClass(s1);
  if (mc < mc1) return unicode_result_unchanged(o);
  const mc2 = maxCharClass(s2);
  const mayshrink = mc2 < mc1 && mc === mc1;
  const rmc = Math.max(mc, mc2);
  const n = countSub(o, s1, 0, slen, maxcount);
  if (n === 0) return unicode_result_unchanged(o);
  if (len1 === len2 && len1 === 0) return unicode_result_unchanged(o);
  const newLen = slen + n * (len2 - len1);
  if (newLen === 0) return unicode_new_empty();
  const r = PyUnicode_New(newLen, rmc);
  if (r === NULL) return NULL;
  const kind = PyUnicode_KIND(o);
  const data = PyUnicode_DATA(o);
  const k2 = PyUnicode_KIND(s2);
  const d2 = PyUnicode_DATA(s2);
  let w = 0; // write index in r
  if (len1 === 0) {
    // insert s2 before each of the first n characters (and at the end when n == slen + 1)
    for (let i = 0; i < n; i++) {
      copyCharacters(r, w, k2, d2, len2);
      w += len2;
      if (i < slen) {
        PyUnicode_WRITE(PyUnicode_KIND(r), PyUnicode_DATA(r), w++, PyUnicode_READ(kind, data, i));
      }
    }
    if (n < slen) copyCharacters(r, w, kind, data + n * kind, slen - n);
  } else {
    let i = 0;
    for (let c = 0; c < n; c++) {
      const j = findSub(o, s1, i, slen, 1);
      copyCharacters(r, w, kind, data + i * kind, j - i);
      w += j - i;
      copyCharacters(r, w, k2, d2, len2);
      w += len2;
      i = j + len1;
    }
    copyCharacters(r, w, kind, data + i * kind, slen - i);
  }
  if (mayshrink) return unicode_adjust_maxchar(r);
  return r;
}

/** ≈ unicode_adjust_maxchar: re-create `o` (stolen) with the narrowest kind for its contents if
 *  it is wider than needed. New reference. */
export function unicode_adjust_maxchar(o: Ptr): Ptr {
  const n = PyUnicode_GET_LENGTH(o);
  const kind = PyUnicode_KIND(o);
  const data = PyUnicode_DATA(o);
  const max = maxCharOf(kind, data, n);
  const cls = max < 128 ? 127 : max < 256 ? 255 : max < 65536 ? 65535 : MAX_UNICODE;
  if (cls === maxCharClass(o)) return o;
  const r = PyUnicode_New(n, max);
  if (r === NULL) {
    Py_DECREF(o);
    return NULL;
  }
  copyCharacters(r, 0, kind, data, n);
  Py_DECREF(o);
  return r;
}

// ---- strip ----
export const LEFTSTRIP = 0;
export const RIGHTSTRIP = 1;
export const BOTHSTRIP = 2;

/** ≈ do_strip / _PyUnicode_XStrip: strip whitespace (chars NULL) or the characters of `chars`
 *  from the left, right or both ends. New reference (o itself when nothing is stripped). */
export function unicode_strip(o: Ptr, type: number, chars: Ptr): Ptr {
  const len = PyUnicode_GET_LENGTH(o);
  const kind = PyUnicode_KIND(o);
  const data = PyUnicode_DATA(o);
  let i = 0;
  let j = len;
  if (chars === NULL) {
    if (type !== RIGHTSTRIP) while (i < len && Py_UNICODE_ISSPACE(PyUnicode_READ(kind, data, i))) i++;
    if (type !== LEFTSTRIP) while (j > i && Py_UNICODE_ISSPACE(PyUnicode_READ(kind, data, j - 1))) j--;
  } else {
    const cl = PyUnicode_GET_LENGTH(chars);
    if (type !== RIGHTSTRIP) while (i < len && findChar(chars, PyUnicode_READ(kind, data, i), 0, cl, 1) >= 0) i++;
    if (type !== LEFTSTRIP) while (j > i && findChar(chars, PyUnicode_READ(kind, data, j - 1), 0, cl, 1) >= 0) j--;
  }
  return PyUnicode_Substring(o, i, j);
}

// ---- case mapping (≈ case_operation and the do_* helpers) ----
const MAPPED = new Int32Array(3);
/** Scratch code-point buffer for case operations (grown on demand, never shrunk). */
let caseBuf = new Int32Array(256);

/** ≈ handle_capital_sigma: the lower-case form of U+03A3 at index i (final or not). */
function lowerSigma(kind: number, data: number, len: number, i: number): number {
  let j = i - 1;
  let c = 0;
  while (j >= 0) {
    c = PyUnicode_READ(kind, data, j);
    if (!_PyUnicode_IsCaseIgnorable(c)) break;
    j--;
  }
  let final = j >= 0 && _PyUnicode_IsCased(c);
  if (final) {
    j = i + 1;
    while (j < len) {
      c = PyUnicode_READ(kind, data, j);
      if (!_PyUnicode_IsCaseIgnorable(c)) break;
      j++;
    }
    final = j === len || !_PyUnicode_IsCased(c);
  }
  return final ? 0x3c2 : 0x3c3;
}
function lowerAt(kind: number, data: number, len: number, i: number, c: number, out: Int32Array): number {
  if (c === 0x3a3) {
    out[0] = lowerSigma(kind, data, len, i);
    return 1;
  }
  return _PyUnicode_ToLowerFull(c, out);
}

export const CASE_LOWER = 0;
export const CASE_UPPER = 1;
export const CASE_TITLE = 2;
export const CASE_CAPITALIZE = 3;
export const CASE_SWAPCASE = 4;
export const CASE_FOLD = 5;

/** ≈ case_operation: apply one of the CASE_* conversions. The result is always a new str
 *  (PyUnicode_New: one-character results are not the latin-1 singletons, as in CPython) of the
 *  narrowest kind. New reference. */
export function unicode_case(o: Ptr, op: number): Ptr {
  const len = PyUnicode_GET_LENGTH(o);
  const kind = PyUnicode_KIND(o);
  const data = PyUnicode_DATA(o);
  if (PyUnicode_IS_ASCII(o) && (op === CASE_LOWER || op === CASE_UPPER || op === CASE_FOLD)) {
    // ≈ ascii_upper_or_lower
    const r = PyUnicode_New(len, 127);
    if (r === NULL || len === 0) return r;
    const d = r + ASCII_DATA;
    if (op === CASE_UPPER) {
      for (let i = 0; i < len; i++) {
        const c = U8[data + i];
        U8[d + i] = c >= 97 && c <= 122 ? c - 32 : c;
      }
    } else {
      for (let i = 0; i < len; i++) {
        const c = U8[data + i];
        U8[d + i] = c >= 65 && c <= 90 ? c + 32 : c;
      }
    }
    return r;
  }
  if (PyUnicode_IS_ASCII(o) && (op === CASE_CAPITALIZE || op === CASE_TITLE) && len > 0) {
    // ASCII: the cased characters are the letters, and every mapping is one letter
    const r = PyUnicode_New(len, 127);
    if (r === NULL) return r;
    const d = r + ASCII_DATA;
    let prev = op === CASE_CAPITALIZE; // "previous was cased": lower everything after the first
    for (let i = 0; i < len; i++) {
      const c = U8[data + i];
      const lower = c >= 97 && c <= 122;
      const upper = c >= 65 && c <= 90;
      if (i > 0 && prev) U8[d + i] = upper ? c + 32 : c;
      else U8[d + i] = lower ? c - 32 : c;
      if (op === CASE_TITLE) prev = lower || upper;
    }
    return r;
  }
  if (caseBuf.length < 3 * len) caseBuf = new Int32Array(3 * len + 16);
  const buf = caseBuf;
  let n = 0;
  let max = 0;
  let prevCased = false;
  for (let i = 0; i < len; i++) {
    const c = PyUnicode_READ(kind, data, i);
    let k: number;
    switch (op) {
      case CASE_LOWER: k = lowerAt(kind, data, len, i, c, MAPPED); break;
      case CASE_UPPER: k = _PyUnicode_ToUpperFull(c, MAPPED); break;
      case CASE_FOLD: k = _PyUnicode_ToFoldedFull(c, MAPPED); break;
      case CASE_CAPITALIZE:
        k = i === 0 ? _PyUnicode_ToTitleFull(c, MAPPED) : lowerAt(kind, data, len, i, c, MAPPED);
        break;
      case CASE_TITLE:
        k = prevCased ? lowerAt(kind, data, len, i, c, MAPPED) : _PyUnicode_ToTitleFull(c, MAPPED);
        prevCased = _PyUnicode_IsCased(c);
        break;
      default: // CASE_SWAPCASE
        if (Py_UNICODE_ISUPPER(c)) k = lowerAt(kind, data, len, i, c, MAPPED);
        else if (Py_UNICODE_ISLOWER(c)) k = _PyUnicode_ToUpperFull(c, MAPPED);
        else { MAPPED[0] = c; k = 1; }
    }
    for (let j = 0; j < k; j++) {
      const m = MAPPED[j];
      if (m > max) max = m;
      buf[n++] = m;
    }
  }
  const r = PyUnicode_New(n, max);
  if (r === NULL || n === 0) return r;
  const rk = PyUnicode_KIND(r);
  const rd = PyUnicode_DATA(r);
  if (rk === 1) for (let i = 0; i < n; i++) U8[rd + i] = buf[i];
  else if (rk === 2) U16.set(buf.subarray(0, n), rd >> 1);
  else U32.set(buf.subarray(0, n), rd >> 2);
  return r;
}

// ---- predicates (str.isX) ----
export const IS_SPACE = 0;
export const IS_ALPHA = 1;
export const IS_ALNUM = 2;
export const IS_DECIMAL = 3;
export const IS_DIGIT = 4;
export const IS_NUMERIC = 5;
export const IS_PRINTABLE = 6;
export const IS_ASCII = 7;

/** ≈ unicode_isspace etc.: all characters have the property (and the string is not empty,
 *  except for isprintable and isascii which are true for ''). */
export function unicode_is(o: Ptr, pred: number): boolean {
  const len = PyUnicode_GET_LENGTH(o);
  if (pred === IS_ASCII) return PyUnicode_IS_ASCII(o);
  if (len === 0) return pred === IS_PRINTABLE;
  const kind = PyUnicode_KIND(o);
  const data = PyUnicode_DATA(o);
  for (let i = 0; i < len; i++) {
    const c = PyUnicode_READ(kind, data, i);
    let ok: boolean;
    switch (pred) {
      case IS_SPACE: ok = Py_UNICODE_ISSPACE(c); break;
      case IS_ALPHA: ok = Py_UNICODE_ISALPHA(c); break;
      case IS_ALNUM: ok = Py_UNICODE_ISALNUM(c); break;
      case IS_DECIMAL: ok = Py_UNICODE_ISDECIMAL(c); break;
      case IS_DIGIT: ok = Py_UNICODE_ISDIGIT(c); break;
      case IS_NUMERIC: ok = Py_UNICODE_ISNUMERIC(c); break;
      default: ok = Py_UNICODE_ISPRINTABLE(c);
    }
    if (!ok) return false;
  }
  return true;
}

/** ≈ unicode_islower / unicode_isupper: every cased character is lower (upper) case, and there
 *  is at least one. */
export function unicode_islower(o: Ptr, upper: boolean): boolean {
  const len = PyUnicode_GET_LENGTH(o);
  const kind = PyUnicode_KIND(o);
  const data = PyUnicode_DATA(o);
  let cased = false;
  for (let i = 0; i < len; i++) {
    const c = PyUnicode_READ(kind, data, i);
    if (upper) {
      if (Py_UNICODE_ISLOWER(c) || Py_UNICODE_ISTITLE(c)) return false;
      if (!cased && Py_UNICODE_ISUPPER(c)) cased = true;
    } else {
      if (Py_UNICODE_ISUPPER(c) || Py_UNICODE_ISTITLE(c)) return false;
      if (!cased && Py_UNICODE_ISLOWER(c)) cased = true;
    }
  }
  return cased;
}

/** ≈ unicode_istitle */
export function unicode_istitle(o: Ptr): boolean {
  const len = PyUnicode_GET_LENGTH(o);
  const kind = PyUnicode_KIND(o);
  const data = PyUnicode_DATA(o);
  if (len === 1) {
    const c = PyUnicode_READ(kind, data, 0);
    return Py_UNICODE_ISTITLE(c) || Py_UNICODE_ISUPPER(c);
  }
  let cased = false;
  let prevCased = false;
  for (let i = 0; i < len; i++) {
    const c = PyUnicode_READ(kind, data, i);
    if (Py_UNICODE_ISUPPER(c) || Py_UNICODE_ISTITLE(c)) {
      if (prevCased) return false;
      prevCased = true;
      cased = true;
    } else if (Py_UNICODE_ISLOWER(c)) {
      if (!prevCased) return false;
      prevCased = true;
      cased = true;
    } else {
      prevCased = false;
    }
  }
  return cased;
}

/** ≈ PyUnicode_IsIdentifier */
export function PyUnicode_IsIdentifier(o: Ptr): boolean {
  const len = PyUnicode_GET_LENGTH(o);
  if (len === 0) return false;
  const kind = PyUnicode_KIND(o);
  const data = PyUnicode_DATA(o);
  const c0 = PyUnicode_READ(kind, data, 0);
  if (!_PyUnicode_IsXidStart(c0) && c0 !== 0x5f) return false;
  for (let i = 1; i < len; i++) if (!_PyUnicode_IsXidContinue(PyUnicode_READ(kind, data, i))) return false;
  return true;
}

// ---- repr and ascii ----
const HEX = '0123456789abcdef';
function hexDigit(v: number): number {
  return HEX.charCodeAt(v & 15);
}

/** ≈ unicode_repr: the str's repr with CPython's quote choice and escapes (\\, the quote, \t \n
 *  \r, \xHH for other control characters and non-printable latin-1, \uHHHH / \UHHHHHHHH for
 *  other non-printable characters; printable non-ASCII characters are kept). New reference. */
export function unicode_repr(o: Ptr): Ptr {
  const len = PyUnicode_GET_LENGTH(o);
  const kind = PyUnicode_KIND(o);
  const data = PyUnicode_DATA(o);
  // pass 1: output length, max char, quotes
  let squote = 0;
  let dquote = 0;
  let osize = 0;
  let max = 127;
  for (let i = 0; i < len; i++) {
    const c = PyUnicode_READ(kind, data, i);
    let incr = 1;
    switch (c) {
      case 0x27: squote++; break;
      case 0x22: dquote++; break;
      case 0x5c: case 0x09: case 0x0a: case 0x0d: incr = 2; break;
      default:
        if (c < 0x20 || c === 0x7f) incr = 4;
        else if (c < 0x7f) incr = 1;
        else if (Py_UNICODE_ISPRINTABLE(c)) {
          if (c > max) max = c;
        } else if (c < 0x100) incr = 4;
        else if (c < 0x10000) incr = 6;
        else incr = 10;
    }
    osize += incr;
  }
  let quote = 0x27;
  let unchanged = osize === len;
  if (squote) {
    unchanged = false;
    if (dquote) osize += squote; // both quotes: use ' and escape them
    else quote = 0x22;
  }
  osize += 2;
  const r = PyUnicode_New(osize, max);
  if (r === NULL) return NULL;
  const rk = PyUnicode_KIND(r);
  const rd = PyUnicode_DATA(r);
  PyUnicode_WRITE(rk, rd, 0, quote);
  PyUnicode_WRITE(rk, rd, osize - 1, quote);
  if (unchanged) {
    copyCharacters(r, 1, kind, data, len);
    return r;
  }
  let w = 1;
  for (let i = 0; i < len; i++) {
    const c = PyUnicode_READ(kind, data, i);
    if (c === quote || c === 0x5c) {
      PyUnicode_WRITE(rk, rd, w++, 0x5c);
      PyUnicode_WRITE(rk, rd, w++, c);
    } else if (c === 0x09) {
      PyUnicode_WRITE(rk, rd, w++, 0x5c);
      PyUnicode_WRITE(rk, rd, w++, 0x74);
    } else if (c === 0x0a) {
      PyUnicode_WRITE(rk, rd, w++, 0x5c);
      PyUnicode_WRITE(rk, rd, w++, 0x6e);
    } else if (c === 0x0d) {
      PyUnicode_WRITE(rk, rd, w++, 0x5c);
      PyUnicode_WRITE(rk, rd, w++, 0x72);
    } else if (c < 0x20 || c === 0x7f) {
      w = writeHexEscape(rk, rd, w, c, 0x78, 2);
    } else if (c < 0x7f) {
      PyUnicode_WRITE(rk, rd, w++, c);
    } else if (Py_UNICODE_ISPRINTABLE(c)) {
      PyUnicode_WRITE(rk, rd, w++, c);
    } else if (c < 0x100) {
      w = writeHexEscape(rk, rd, w, c, 0x78, 2);
    } else if (c < 0x10000) {
      w = writeHexEscape(rk, rd, w, c, 0x75, 4);
    } else {
      w = writeHexEscape(rk, rd, w, c, 0x55, 8);
    }
  }
  return r;
}

function writeHexEscape(rk: number, rd: number, w: number, c: number, letter: number, digits: number): number {
  PyUnicode_WRITE(rk, rd, w++, 0x5c);
  PyUnicode_WRITE(rk, rd, w++, letter);
  for (let s = (digits - 1) * 4; s >= 0; s -= 4) PyUnicode_WRITE(rk, rd, w++, hexDigit(c >>> s));
  return w;
}

/** ≈ the backslashreplace step of PyObject_ASCII: `s` (stolen) with every non-ASCII character
 *  written as \xHH, \uHHHH or \UHHHHHHHH. New reference. */
export function unicode_ascii_escape(s: Ptr): Ptr {
  if (PyUnicode_IS_ASCII(s)) return s;
  const len = PyUnicode_GET_LENGTH(s);
  const kind = PyUnicode_KIND(s);
  const data = PyUnicode_DATA(s);
  let osize = 0;
  for (let i = 0; i < len; i++) {
    const c = PyUnicode_READ(kind, data, i);
    osize += c < 0x80 ? 1 : c < 0x100 ? 4 : c < 0x10000 ? 6 : 10;
  }
  const r = PyUnicode_New(osize, 127);
  if (r === NULL) {
    Py_DECREF(s);
    return NULL;
  }
  let w = 0;
  for (let i = 0; i < len; i++) {
    const c = PyUnicode_READ(kind, data, i);
    if (c < 0x80) U8[r + ASCII_DATA + w++] = c;
    else if (c < 0x100) w = writeHexEscape(1, r + ASCII_DATA, w, c, 0x78, 2);
    else if (c < 0x10000) w = writeHexEscape(1, r + ASCII_DATA, w, c, 0x75, 4);
    else w = writeHexEscape(1, r + ASCII_DATA, w, c, 0x55, 8);
  }
  Py_DECREF(s);
  return r;
}

// ---- padding, zfill, expandtabs ----
/** ≈ pad: `left` and `right` copies of fill around o. New reference. */
export function unicode_pad(o: Ptr, left: number, right: number, fill: number): Ptr {
  if (left < 0) left = 0;
  if (right < 0) right = 0;
  if (left === 0 && right === 0) return unicode_result_unchanged(o);
  const len = PyUnicode_GET_LENGTH(o);
  const mc = Math.max(maxCharClass(o), fill);
  const r = PyUnicode_New(left + len + right, mc);
  if (r === NULL) return NULL;
  const rk = PyUnicode_KIND(r);
  const rd = PyUnicode_DATA(r);
  fillChars(rk, rd, 0, left, fill);
  copyCharacters(r, left, PyUnicode_KIND(o), PyUnicode_DATA(o), len);
  fillChars(rk, rd, left + len, right, fill);
  return r;
}
function fillChars(kind: number, data: number, at: number, n: number, ch: number): void {
  if (n <= 0) return;
  if (kind === 1) U8.fill(ch, data + at, data + at + n);
  else if (kind === 2) U16.fill(ch, (data >> 1) + at, (data >> 1) + at + n);
  else U32.fill(ch, (data >> 2) + at, (data >> 2) + at + n);
}

/** ≈ unicode_center_impl */
export function unicode_center(o: Ptr, width: number, fill: number): Ptr {
  const len = PyUnicode_GET_LENGTH(o);
  if (len >= width) return unicode_result_unchanged(o);
  const marg = width - len;
  const left = Math.floor(marg / 2) + (marg & width & 1);
  return unicode_pad(o, left, marg - left, fill);
}

/** ≈ unicode_zfill_impl */
export function unicode_zfill(o: Ptr, width: number): Ptr {
  const len = PyUnicode_GET_LENGTH(o);
  if (len >= width) return unicode_result_unchanged(o);
  const fill = width - len;
  const r = unicode_pad(o, fill, 0, 0x30);
  if (r === NULL) return NULL;
  const rk = PyUnicode_KIND(r);
  const rd = PyUnicode_DATA(r);
  const c = PyUnicode_READ(rk, rd, fill);
  if (c === 0x2b || c === 0x2d) {
    PyUnicode_WRITE(rk, rd, 0, c);
    PyUnicode_WRITE(rk, rd, fill, 0x30);
  }
  return r;
}

/** ≈ unicode_expandtabs_impl */
export function unicode_expandtabs(o: Ptr, tabsize: number): Ptr {
  const len = PyUnicode_GET_LENGTH(o);
  const kind = PyUnicode_KIND(o);
  const data = PyUnicode_DATA(o);
  let j = 0;
  let line = 0;
  let found = false;
  for (let i = 0; i < len; i++) {
    const c = PyUnicode_READ(kind, data, i);
    if (c === 9) {
      found = true;
      if (tabsize > 0) {
        const incr = tabsize - (line % tabsize);
        j += incr;
        line += incr;
      }
    } else {
      j++;
      line++;
      if (c === 10 || c === 13) line = 0;
    }
    if (j > 9223372036854775807) {
      PyErr_SetString(PyExc_OverflowError, 'new string is too long');
      return NULL;
    }
  }
  if (!found) return unicode_result_unchanged(o);
  const r = PyUnicode_New(j, maxCharClass(o));
  if (r === NULL) return NULL;
  const rk = PyUnicode_KIND(r);
  const rd = PyUnicode_DATA(r);
  let w = 0;
  line = 0;
  for (let i = 0; i < len; i++) {
    const c = PyUnicode_READ(kind, data, i);
    if (c === 9) {
      if (tabsize > 0) {
        const incr = tabsize - (line % tabsize);
        line += incr;
        fillChars(rk, rd, w, incr, 0x20);
        w += incr;
      }
    } else {
      line++;
      PyUnicode_WRITE(rk, rd, w++, c);
      if (c === 10 || c === 13) line = 0;
    }
  }
  return r;
}

// ---- split, rsplit, splitlines, partition, join (≈ Objects/stringlib/split.h, partition.h) ----
// The result list is pre-allocated as CPython's: PyList_New(PREALLOC_SIZE(maxcount)) with up to
// MAX_PREALLOC = 12 items set directly, PyList_Append beyond that, then ob_size fixed to the
// count (so `'a b'.split()` has capacity 12: getsizeof 152). When nothing splits, the exact str
// itself is the only item.
const MAX_PREALLOC = 12;
const LIST_OB_ITEM = 24;

function preallocSize(maxcount: number): number {
  return maxcount >= MAX_PREALLOC ? MAX_PREALLOC : maxcount + 1;
}

/** SPLIT_ADD: store `sub` (stolen) as item `count` of `list`. Returns false on error. */
function splitAdd(list: Ptr, count: number, sub: Ptr): boolean {
  if (sub === NULL) return false;
  if (count < MAX_PREALLOC) {
    PyList_SET_ITEM(list, count, sub);
    return true;
  }
  const r = PyList_Append(list, sub);
  Py_DECREF(sub);
  return r === 0;
}

/** FIX_PREALLOC_SIZE, or release the list after an error (its unset items are NULL). */
function splitFinish(list: Ptr, count: number, ok: boolean): Ptr {
  if (!ok) {
    if (count < MAX_PREALLOC) Py_SET_SIZE(list, count);
    Py_DECREF(list);
    return NULL;
  }
  if (count < MAX_PREALLOC) Py_SET_SIZE(list, count);
  return list;
}

function reverseListItems(list: Ptr): void {
  const items = I32[(list + LIST_OB_ITEM) >> 2] >> 2;
  const n = Py_SIZE(list);
  for (let i = 0, j = n - 1; i < j; i++, j--) {
    const a = I32[items + 2 * i];
    I32[items + 2 * i] = I32[items + 2 * j];
    I32[items + 2 * j] = a;
  }
}

/** ≈ PyUnicode_Split: o.split(sep, maxsplit) with sep NULL for whitespace splitting and
 *  maxsplit < 0 for no limit. `sep` must be a str (checked by the caller). New list or NULL. */
export function PyUnicode_Split(o: Ptr, sep: Ptr, maxsplit: number): Ptr {
  return splitImpl(o, sep, maxsplit, false);
}
/** ≈ PyUnicode_RSplit */
export function PyUnicode_RSplit(o: Ptr, sep: Ptr, maxsplit: number): Ptr {
  return splitImpl(o, sep, maxsplit, true);
}

function splitImpl(o: Ptr, sep: Ptr, maxcount: number, right: boolean): Ptr {
  if (maxcount < 0) maxcount = 9223372036854775807;
  const len = PyUnicode_GET_LENGTH(o);
  const kind = PyUnicode_KIND(o);
  const data = PyUnicode_DATA(o);
  const exact = PyUnicode_CheckExact(o);
  if (sep !== NULL) {
    const m = PyUnicode_GET_LENGTH(sep);
    if (m === 0) {
      PyErr_SetString(PyExc_ValueError, 'empty separator');
      return NULL;
    }
    if (PyUnicode_KIND(sep) > kind || len < m) {
      const out = PyList_New(1);
      if (out === NULL) return NULL;
      I32[o >> 2]++;
      PyList_SET_ITEM(out, 0, o);
      return out;
    }
  }
  const list = PyList_New(preallocSize(maxcount));
  if (list === NULL) return NULL;
  let count = 0;
  let ok = true;
  if (sep === NULL && !right) {
    let i = 0;
    while (maxcount-- > 0) {
      while (i < len && Py_UNICODE_ISSPACE(PyUnicode_READ(kind, data, i))) i++;
      if (i === len) break;
      const j = i;
      i++;
      while (i < len && !Py_UNICODE_ISSPACE(PyUnicode_READ(kind, data, i))) i++;
      if (j === 0 && i === len && exact) {
        I32[o >> 2]++;
        PyList_SET_ITEM(list, 0, o);
        count++;
        break;
      }
      if (!(ok = splitAdd(list, count, newRange(o, j, i)))) break;
      count++;
    }
    if (ok && i < len) {
      while (i < len && Py_UNICODE_ISSPACE(PyUnicode_READ(kind, data, i))) i++;
      if (i !== len) {
        ok = splitAdd(list, count, newRange(o, i, len));
        if (ok) count++;
      }
    }
    return splitFinish(list, count, ok);
  }
  if (sep === NULL) {
    let i = len - 1;
    while (maxcount-- > 0) {
      while (i >= 0 && Py_UNICODE_ISSPACE(PyUnicode_READ(kind, data, i))) i--;
      if (i < 0) break;
      const j = i;
      i--;
      while (i >= 0 && !Py_UNICODE_ISSPACE(PyUnicode_READ(kind, data, i))) i--;
      if (j === len - 1 && i < 0 && exact) {
        I32[o >> 2]++;
        PyList_SET_ITEM(list, 0, o);
        count++;
        break;
      }
      if (!(ok = splitAdd(list, count, newRange(o, i + 1, j + 1)))) break;
      count++;
    }
    if (ok && i >= 0) {
      while (i >= 0 && Py_UNICODE_ISSPACE(PyUnicode_READ(kind, data, i))) i--;
      if (i >= 0) {
        ok = splitAdd(list, count, newRange(o, 0, i + 1));
        if (ok) count++;
      }
    }
    const r = splitFinish(list, count, ok);
    if (r !== NULL) reverseListItems(r);
    return r;
  }
  const m = PyUnicode_GET_LENGTH(sep);
  if (!right) {
    let i = 0;
    while (maxcount-- > 0) {
      const pos = findSub(o, sep, i, len, 1);
      if (pos < 0) break;
      if (!(ok = splitAdd(list, count, newRange(o, i, pos)))) break;
      count++;
      i = pos + m;
    }
    if (ok) {
      if (count === 0 && exact) {
        I32[o >> 2]++;
        PyList_SET_ITEM(list, 0, o);
        count++;
      } else {
        ok = splitAdd(list, count, newRange(o, i, len));
        if (ok) count++;
      }
    }
    return splitFinish(list, count, ok);
  }
  let j = len;
  while (maxcount-- > 0) {
    const pos = findSub(o, sep, 0, j, -1);
    if (pos < 0) break;
    if (!(ok = splitAdd(list, count, newRange(o, pos + m, j)))) break;
    count++;
    j = pos;
  }
  if (ok) {
    if (count === 0 && exact) {
      I32[o >> 2]++;
      PyList_SET_ITEM(list, 0, o);
      count++;
    } else {
      ok = splitAdd(list, count, newRange(o, 0, j));
      if (ok) count++;
    }
  }
  const r = splitFinish(list, count, ok);
  if (r !== NULL) reverseListItems(r);
  return r;
}

/** ≈ PyUnicode_Splitlines: lines split at \n \r \r\n \v \f \x1c \x1d \x1e \x85 \u2028 \u2029
 *  (kept at the line ends when keepends). New list (grown by appends) or NULL. */
export function PyUnicode_Splitlines(o: Ptr, keepends: boolean): Ptr {
  const len = PyUnicode_GET_LENGTH(o);
  const kind = PyUnicode_KIND(o);
  const data = PyUnicode_DATA(o);
  const list = PyList_New(0);
  if (list === NULL) return NULL;
  let i = 0;
  let j = 0;
  while (i < len) {
    while (i < len && !Py_UNICODE_ISLINEBREAK(PyUnicode_READ(kind, data, i))) i++;
    let eol = i;
    if (i < len) {
      if (PyUnicode_READ(kind, data, i) === 13 && i + 1 < len && PyUnicode_READ(kind, data, i + 1) === 10) i += 2;
      else i++;
      if (keepends) eol = i;
    }
    if (j === 0 && eol === len && PyUnicode_CheckExact(o)) {
      if (PyList_Append(list, o) < 0) {
        Py_DECREF(list);
        return NULL;
      }
      break;
    }
    const sub = newRange(o, j, eol);
    if (sub === NULL || PyList_Append(list, sub) < 0) {
      Py_XDECREF(sub);
      Py_DECREF(list);
      return NULL;
    }
    Py_DECREF(sub);
    j = i;
  }
  return list;
}

/** ≈ PyUnicode_Partition (dir > 0) / PyUnicode_RPartition (dir < 0): a 3-tuple (head, sep,
 *  tail); `sep` must be a str. The middle item is `sep` itself when found. New ref or NULL. */
export function PyUnicode_Partition(o: Ptr, sep: Ptr, dir: number): Ptr {
  const len = PyUnicode_GET_LENGTH(o);
  const m = PyUnicode_GET_LENGTH(sep);
  if (m === 0) {
    PyErr_SetString(PyExc_ValueError, 'empty separator');
    return NULL;
  }
  const pos = PyUnicode_KIND(sep) > PyUnicode_KIND(o) || len < m ? -1 : findSub(o, sep, 0, len, dir);
  if (pos < 0) {
    const self = unicode_result_unchanged(o);
    if (self === NULL) return NULL;
    const e1 = unicode_new_empty();
    const e2 = unicode_new_empty();
    const t = dir > 0 ? PyTuple_Pack(3, self, e1, e2) : PyTuple_Pack(3, e1, e2, self);
    Py_DECREF(self); Py_DECREF(e1); Py_DECREF(e2);
    return t;
  }
  const head = newRange(o, 0, pos);
  if (head === NULL) return NULL;
  const tail = newRange(o, pos + m, len);
  if (tail === NULL) {
    Py_DECREF(head);
    return NULL;
  }
  const t = PyTuple_Pack(3, head, sep, tail);
  Py_DECREF(head);
  Py_DECREF(tail);
  return t;
}

/** ≈ PyUnicode_Join: sep.join(iterable). List and tuple arguments are used in place; any other
 *  iterable is first collected into a list (≈ PySequence_Fast). New reference or NULL. */
export function PyUnicode_Join(sep: Ptr, seq: Ptr): Ptr {
  let fseq: Ptr;
  if (PyList_Check(seq) || PyTuple_Check(seq)) {
    I32[seq >> 2]++;
    fseq = seq;
  } else {
    const it = PyObject_GetIter(seq);
    if (it === NULL) {
      if (PyErr_ExceptionMatches(PyExc_TypeError)) PyErr_SetString(PyExc_TypeError, 'can only join an iterable');
      return NULL;
    }
    fseq = PyList_New(0);
    if (fseq === NULL) {
      Py_DECREF(it);
      return NULL;
    }
    for (;;) {
      const item = PyIter_Next(it);
      if (item === NULL) break;
      const r = PyList_Append(fseq, item);
      Py_DECREF(item);
      if (r < 0) break;
    }
    Py_DECREF(it);
    if (PyErr_Occurred() !== NULL) {
      Py_DECREF(fseq);
      return NULL;
    }
  }
  const n = Py_SIZE(fseq);
  const items = PyList_Check(fseq) ? I32[(fseq + LIST_OB_ITEM) >> 2] : fseq + 24;
  const r = _PyUnicode_JoinArray(sep, items, n);
  Py_DECREF(fseq);
  return r;
}

/** ≈ _PyUnicode_JoinArray: join the n str objects whose pointers are in the 8-byte slots at
 *  heap address `items` (borrowed), with `sep` (a str, or NULL for ' '). New reference. */
export function _PyUnicode_JoinArray(sep: Ptr, items: number, n: number): Ptr {
  if (n === 0) return unicode_new_empty();
  let seplen = 0;
  let max = 0;
  if (n === 1) {
    const it = I32[items >> 2];
    if (I32[(it + OB_TYPE) >> 2] === PyUnicode_Type) {
      I32[it >> 2]++;
      return it;
    }
  } else {
    if (sep === NULL) sep = latin1[0x20];
    else if (!PyUnicode_Check(sep)) {
      PyErr_SetString(PyExc_TypeError, `separator: expected str instance, ${typeName(I32[(sep + OB_TYPE) >> 2])} found`);
      return NULL;
    }
    seplen = PyUnicode_GET_LENGTH(sep);
    max = maxCharClass(sep);
  }
  let sz = 0;
  for (let i = 0; i < n; i++) {
    const it = I32[(items + 8 * i) >> 2];
    if (!PyUnicode_Check(it)) {
      PyErr_SetString(PyExc_TypeError, `sequence item ${i}: expected str instance, ${typeName(I32[(it + OB_TYPE) >> 2])} found`);
      return NULL;
    }
    sz += PyUnicode_GET_LENGTH(it);
    if (i !== 0) sz += seplen;
    const mc = maxCharClass(it);
    if (mc > max) max = mc;
  }
  if (sz > 9223372036854775807) {
    PyErr_SetString(PyExc_OverflowError, 'join() result is too long for a Python string');
    return NULL;
  }
  const r = PyUnicode_New(sz, max);
  if (r === NULL) return NULL;
  let w = 0;
  const sk = n > 1 ? PyUnicode_KIND(sep) : 1;
  const sd = n > 1 ? PyUnicode_DATA(sep) : 0;
  for (let i = 0; i < n; i++) {
    if (i !== 0 && seplen !== 0) {
      copyCharacters(r, w, sk, sd, seplen);
      w += seplen;
    }
    const it = I32[(items + 8 * i) >> 2];
    const l = PyUnicode_GET_LENGTH(it);
    copyCharacters(r, w, PyUnicode_KIND(it), PyUnicode_DATA(it), l);
    w += l;
  }
  return r;
}

// =====================================================================================
// Slots and methods (argument handling as CPython 3.11's Argument Clinic / PyArg_ParseTuple,
// with the same error messages). FASTCALL: `args` is the heap address of the argument slots.
// =====================================================================================

function arg(args: number, i: number): Ptr {
  return I32[(args + 8 * i) >> 2];
}
function tpNameOf(o: Ptr): string {
  return typeName(I32[(o + OB_TYPE) >> 2]);
}
function typeError(msg: string): Ptr {
  PyErr_SetString(PyExc_TypeError, msg);
  return NULL;
}

/** Parsed arguments of the last parseKw call (borrowed references; 0 = not given). */
const KW = new Int32Array(4);
/** ≈ _PyArg_UnpackKeywords for positional-or-keyword parameters `names` (all optional). */
function parseKw(fname: string, args: number, nargs: number, kwnames: Ptr, names: readonly string[]): boolean {
  const max = names.length;
  const nkw = kwnames === NULL ? 0 : Py_SIZE(kwnames);
  if (nargs + nkw > max) {
    PyErr_SetString(PyExc_TypeError, `${fname}() takes at most ${max} argument${max === 1 ? '' : 's'} (${nargs + nkw} given)`);
    return false;
  }
  for (let i = 0; i < max; i++) KW[i] = i < nargs ? arg(args, i) : 0;
  for (let k = 0; k < nkw; k++) {
    const name = unicodeToJs(I32[(kwnames + 24 + 8 * k) >> 2]);
    const idx = names.indexOf(name);
    if (idx < 0) {
      PyErr_SetString(PyExc_TypeError, `'${name}' is an invalid keyword argument for ${fname}()`);
      return false;
    }
    if (idx < nargs) {
      PyErr_SetString(PyExc_TypeError, `argument for ${fname}() given by name ('${name}') and position (${idx + 1})`);
      return false;
    }
    KW[idx] = arg(args, nargs + k);
  }
  return true;
}

/** ≈ _PyArg_CheckPositional */
function checkPositional(name: string, nargs: number, min: number, max: number): boolean {
  if (nargs < min) {
    PyErr_SetString(PyExc_TypeError, `${name} expected ${min === max ? '' : 'at least '}${min} argument${min === 1 ? '' : 's'}, got ${nargs}`);
    return false;
  }
  if (nargs > max) {
    PyErr_SetString(PyExc_TypeError, `${name} expected ${min === max ? '' : 'at most '}${max} argument${max === 1 ? '' : 's'}, got ${nargs}`);
    return false;
  }
  return true;
}

/** Py_ssize_t argument (≈ clinic's `Py_ssize_t` converter: __index__, OverflowError when too
 *  large). Returns NaN with an exception set on failure. */
function ssizeArg(o: Ptr): number {
  const idx = PyNumber_Index(o);
  if (idx === NULL) return NaN;
  const v = PyLong_AsSsize_t(idx);
  Py_DECREF(idx);
  if (v === -1 && PyErr_Occurred() !== NULL) return NaN;
  return v;
}

const PY_SSIZE_T_MAX_N = 9223372036854775807;

/** Parse (sub, start=None, end=None) of find/count/index... into FIND_ARGS. */
let findStart = 0;
let findEnd = 0;
function parseFindArgs(fname: string, args: number, nargs: number): Ptr {
  if (nargs < 1) {
    typeError(`${fname}() takes at least 1 argument (${nargs} given)`);
    return NULL;
  }
  if (nargs > 3) {
    typeError(`${fname}() takes at most 3 arguments (${nargs} given)`);
    return NULL;
  }
  const sub = arg(args, 0);
  findStart = 0;
  findEnd = PY_SSIZE_T_MAX_N;
  if (nargs > 1) {
    findStart = _PyEval_SliceIndex(arg(args, 1), 0);
    if (findStart !== findStart) return NULL;
  }
  if (nargs > 2) {
    findEnd = _PyEval_SliceIndex(arg(args, 2), PY_SSIZE_T_MAX_N);
    if (findEnd !== findEnd) return NULL;
  }
  if (!PyUnicode_Check(sub)) {
    typeError(`must be str, not ${tpNameOf(sub)}`);
    return NULL;
  }
  return sub;
}

function str_find(self: Ptr, args: number, nargs: number): Ptr {
  const sub = parseFindArgs('find', args, nargs);
  if (sub === NULL) return NULL;
  return PyLong_FromSsize_t(PyUnicode_Find(self, sub, findStart, findEnd, 1));
}
function str_rfind(self: Ptr, args: number, nargs: number): Ptr {
  const sub = parseFindArgs('rfind', args, nargs);
  if (sub === NULL) return NULL;
  return PyLong_FromSsize_t(PyUnicode_Find(self, sub, findStart, findEnd, -1));
}
function str_index(self: Ptr, args: number, nargs: number): Ptr {
  const sub = parseFindArgs('index', args, nargs);
  if (sub === NULL) return NULL;
  const r = PyUnicode_Find(self, sub, findStart, findEnd, 1);
  if (r < 0) {
    PyErr_SetString(PyExc_ValueError, 'substring not found');
    return NULL;
  }
  return PyLong_FromSsize_t(r);
}
function str_rindex(self: Ptr, args: number, nargs: number): Ptr {
  const sub = parseFindArgs('rindex', args, nargs);
  if (sub === NULL) return NULL;
  const r = PyUnicode_Find(self, sub, findStart, findEnd, -1);
  if (r < 0) {
    PyErr_SetString(PyExc_ValueError, 'substring not found');
    return NULL;
  }
  return PyLong_FromSsize_t(r);
}
function str_count(self: Ptr, args: number, nargs: number): Ptr {
  const sub = parseFindArgs('count', args, nargs);
  if (sub === NULL) return NULL;
  return PyLong_FromSsize_t(PyUnicode_Count(self, sub, findStart, findEnd));
}

function tailmatchMethod(fname: string, self: Ptr, args: number, nargs: number, dir: number): Ptr {
  if (nargs < 1) return typeError(`${fname}() takes at least 1 argument (${nargs} given)`);
  if (nargs > 3) return typeError(`${fname}() takes at most 3 arguments (${nargs} given)`);
  let start = 0;
  let end = PY_SSIZE_T_MAX_N;
  if (nargs > 1) {
    start = _PyEval_SliceIndex(arg(args, 1), 0);
    if (start !== start) return NULL;
  }
  if (nargs > 2) {
    end = _PyEval_SliceIndex(arg(args, 2), PY_SSIZE_T_MAX_N);
    if (end !== end) return NULL;
  }
  const sub = arg(args, 0);
  if (PyTuple_Check(sub)) {
    const n = Py_SIZE(sub);
    for (let i = 0; i < n; i++) {
      const s = I32[(sub + 24 + 8 * i) >> 2];
      if (!PyUnicode_Check(s)) return typeError(`tuple for ${fname} must only contain str, not ${tpNameOf(s)}`);
      if (PyUnicode_Tailmatch(self, s, start, end, dir)) return PyBool_FromLong(1);
    }
    return PyBool_FromLong(0);
  }
  if (!PyUnicode_Check(sub)) return typeError(`${fname} first arg must be str or a tuple of str, not ${tpNameOf(sub)}`);
  return PyBool_FromLong(PyUnicode_Tailmatch(self, sub, start, end, dir) ? 1 : 0);
}
function str_startswith(self: Ptr, args: number, nargs: number): Ptr {
  return tailmatchMethod('startswith', self, args, nargs, -1);
}
function str_endswith(self: Ptr, args: number, nargs: number): Ptr {
  return tailmatchMethod('endswith', self, args, nargs, 1);
}

function str_replace(self: Ptr, args: number, nargs: number): Ptr {
  if (!checkPositional('replace', nargs, 2, 3)) return NULL;
  const a = arg(args, 0);
  if (!PyUnicode_Check(a)) return typeError(`replace() argument 1 must be str, not ${tpNameOf(a)}`);
  const b = arg(args, 1);
  if (!PyUnicode_Check(b)) return typeError(`replace() argument 2 must be str, not ${tpNameOf(b)}`);
  let count = -1;
  if (nargs > 2) {
    count = ssizeArg(arg(args, 2));
    if (count !== count) return NULL;
  }
  return PyUnicode_Replace(self, a, b, count);
}

function stripMethod(name: string, self: Ptr, args: number, nargs: number, type: number): Ptr {
  if (!checkPositional(name, nargs, 0, 1)) return NULL;
  let chars = nargs > 0 ? arg(args, 0) : NULL;
  if (chars === Py_None) chars = NULL;
  if (chars !== NULL && !PyUnicode_Check(chars)) return typeError(`${name} arg must be None or str`);
  return unicode_strip(self, type, chars);
}
function str_strip(self: Ptr, args: number, nargs: number): Ptr {
  return stripMethod('strip', self, args, nargs, BOTHSTRIP);
}
function str_lstrip(self: Ptr, args: number, nargs: number): Ptr {
  return stripMethod('lstrip', self, args, nargs, LEFTSTRIP);
}
function str_rstrip(self: Ptr, args: number, nargs: number): Ptr {
  return stripMethod('rstrip', self, args, nargs, RIGHTSTRIP);
}

/** Fill character argument (≈ convert_uc): the code point, or -1 with TypeError set. */
function fillCharArg(o: Ptr): number {
  if (!PyUnicode_Check(o)) {
    PyErr_SetString(PyExc_TypeError, `The fill character must be a unicode character, not ${tpNameOf(o)}`);
    return -1;
  }
  if (PyUnicode_GET_LENGTH(o) !== 1) {
    PyErr_SetString(PyExc_TypeError, 'The fill character must be exactly one character long');
    return -1;
  }
  return PyUnicode_READ_CHAR(o, 0);
}
function justifyMethod(name: string, self: Ptr, args: number, nargs: number, how: number): Ptr {
  if (!checkPositional(name, nargs, 1, 2)) return NULL;
  const width = ssizeArg(arg(args, 0));
  if (width !== width) return NULL;
  let fill = 0x20;
  if (nargs > 1) {
    fill = fillCharArg(arg(args, 1));
    if (fill < 0) return NULL;
  }
  const len = PyUnicode_GET_LENGTH(self);
  if (how === 0) return unicode_center(self, width, fill);
  if (len >= width) return unicode_result_unchanged(self);
  return how < 0 ? unicode_pad(self, 0, width - len, fill) : unicode_pad(self, width - len, 0, fill);
}
function str_center(self: Ptr, args: number, nargs: number): Ptr {
  return justifyMethod('center', self, args, nargs, 0);
}
function str_ljust(self: Ptr, args: number, nargs: number): Ptr {
  return justifyMethod('ljust', self, args, nargs, -1);
}
function str_rjust(self: Ptr, args: number, nargs: number): Ptr {
  return justifyMethod('rjust', self, args, nargs, 1);
}
function str_zfill(self: Ptr, w: Ptr): Ptr {
  const width = ssizeArg(w);
  if (width !== width) return NULL;
  return unicode_zfill(self, width);
}

const EXPANDTABS_KW = ['tabsize'] as const;
function str_expandtabs(self: Ptr, args: number, nargs: number, kwnames: Ptr): Ptr {
  if (!parseKw('expandtabs', args, nargs, kwnames, EXPANDTABS_KW)) return NULL;
  let tabsize = 8;
  if (KW[0] !== 0) {
    const t = KW[0];
    if (slotsOfObj(t).nb_index === undefined) return typeError(`'${tpNameOf(t)}' object cannot be interpreted as an integer`);
    tabsize = ssizeArg(t);
    if (tabsize !== tabsize) return NULL;
  }
  return unicode_expandtabs(self, tabsize);
}

const SPLIT_KW = ['sep', 'maxsplit'] as const;
function splitMethod(name: string, self: Ptr, args: number, nargs: number, kwnames: Ptr, right: boolean): Ptr {
  if (!parseKw(name, args, nargs, kwnames, SPLIT_KW)) return NULL;
  let sep = KW[0];
  const ms = KW[1];
  if (sep === Py_None) sep = NULL;
  if (sep !== NULL && !PyUnicode_Check(sep)) return typeError(`must be str or None, not ${tpNameOf(sep)}`);
  let maxsplit = -1;
  if (ms !== 0) {
    maxsplit = ssizeArg(ms);
    if (maxsplit !== maxsplit) return NULL;
  }
  return right ? PyUnicode_RSplit(self, sep, maxsplit) : PyUnicode_Split(self, sep, maxsplit);
}
function str_split(self: Ptr, args: number, nargs: number, kwnames: Ptr): Ptr {
  return splitMethod('split', self, args, nargs, kwnames, false);
}
function str_rsplit(self: Ptr, args: number, nargs: number, kwnames: Ptr): Ptr {
  return splitMethod('rsplit', self, args, nargs, kwnames, true);
}
const SPLITLINES_KW = ['keepends'] as const;
function str_splitlines(self: Ptr, args: number, nargs: number, kwnames: Ptr): Ptr {
  if (!parseKw('splitlines', args, nargs, kwnames, SPLITLINES_KW)) return NULL;
  let keepends = false;
  if (KW[0] !== 0) {
    const k = KW[0];
    if (slotsOfObj(k).nb_index === undefined) return typeError(`'${tpNameOf(k)}' object cannot be interpreted as an integer`);
    const v = ssizeArg(k);
    if (v !== v) return NULL;
    keepends = v !== 0;
  }
  return PyUnicode_Splitlines(self, keepends);
}
function str_partition(self: Ptr, sep: Ptr): Ptr {
  if (!PyUnicode_Check(sep)) return typeError(`must be str, not ${tpNameOf(sep)}`);
  return PyUnicode_Partition(self, sep, 1);
}
function str_rpartition(self: Ptr, sep: Ptr): Ptr {
  if (!PyUnicode_Check(sep)) return typeError(`must be str, not ${tpNameOf(sep)}`);
  return PyUnicode_Partition(self, sep, -1);
}
function str_join(self: Ptr, seq: Ptr): Ptr {
  return PyUnicode_Join(self, seq);
}
function str_removeprefix(self: Ptr, p: Ptr): Ptr {
  if (!PyUnicode_Check(p)) return typeError(`removeprefix() argument must be str, not ${tpNameOf(p)}`);
  if (PyUnicode_Tailmatch(self, p, 0, PY_SSIZE_T_MAX_N, -1)) {
    return PyUnicode_Substring(self, PyUnicode_GET_LENGTH(p), PyUnicode_GET_LENGTH(self));
  }
  return unicode_result_unchanged(self);
}
function str_removesuffix(self: Ptr, p: Ptr): Ptr {
  if (!PyUnicode_Check(p)) return typeError(`removesuffix() argument must be str, not ${tpNameOf(p)}`);
  const n = PyUnicode_GET_LENGTH(p);
  if (n > 0 && PyUnicode_Tailmatch(self, p, 0, PY_SSIZE_T_MAX_N, 1)) {
    return PyUnicode_Substring(self, 0, PyUnicode_GET_LENGTH(self) - n);
  }
  return unicode_result_unchanged(self);
}

function str_lower(self: Ptr): Ptr { return unicode_case(self, CASE_LOWER); }
function str_upper(self: Ptr): Ptr { return unicode_case(self, CASE_UPPER); }
function str_title(self: Ptr): Ptr { return unicode_case(self, CASE_TITLE); }
function str_swapcase(self: Ptr): Ptr { return unicode_case(self, CASE_SWAPCASE); }
function str_casefold(self: Ptr): Ptr { return unicode_case(self, CASE_FOLD); }
function str_capitalize(self: Ptr): Ptr {
  if (PyUnicode_GET_LENGTH(self) === 0) return unicode_result_unchanged(self);
  return unicode_case(self, CASE_CAPITALIZE);
}
function boolRes(b: boolean): Ptr {
  return PyBool_FromLong(b ? 1 : 0);
}
function str_isspace(self: Ptr): Ptr { return boolRes(unicode_is(self, IS_SPACE)); }
function str_isalpha(self: Ptr): Ptr { return boolRes(unicode_is(self, IS_ALPHA)); }
function str_isalnum(self: Ptr): Ptr { return boolRes(unicode_is(self, IS_ALNUM)); }
function str_isdecimal(self: Ptr): Ptr { return boolRes(unicode_is(self, IS_DECIMAL)); }
function str_isdigit(self: Ptr): Ptr { return boolRes(unicode_is(self, IS_DIGIT)); }
function str_isnumeric(self: Ptr): Ptr { return boolRes(unicode_is(self, IS_NUMERIC)); }
function str_isprintable(self: Ptr): Ptr { return boolRes(unicode_is(self, IS_PRINTABLE)); }
function str_isascii(self: Ptr): Ptr { return boolRes(PyUnicode_IS_ASCII(self)); }
function str_islower(self: Ptr): Ptr { return boolRes(unicode_islower(self, false)); }
function str_isupper(self: Ptr): Ptr { return boolRes(unicode_islower(self, true)); }
function str_istitle(self: Ptr): Ptr { return boolRes(unicode_istitle(self)); }
function str_isidentifier(self: Ptr): Ptr { return boolRes(PyUnicode_IsIdentifier(self)); }

function str_sizeof(self: Ptr): Ptr {
  return PyLong_FromSsize_t(unicode_sizeof(self));
}
function str_getnewargs(self: Ptr): Ptr {
  const c = _PyUnicode_Copy(self);
  if (c === NULL) return NULL;
  const t = PyTuple_Pack(1, c);
  Py_DECREF(c);
  return t;
}
function str_format_method(self: Ptr, spec: Ptr): Ptr {
  if (!PyUnicode_Check(spec)) return typeError(`__format__() argument must be str, not ${tpNameOf(spec)}`);
  if (PyUnicode_GET_LENGTH(spec) === 0) return unicode_result_unchanged(self);
  return formatStr(self, unicodeToJs(spec));
}

// ---- translate / maketrans ----
/** ≈ unicode_translate: map each character through `table[ord(c)]` (an int, a str or None;
 *  LookupError means "unchanged"). New reference. */
function str_translate(self: Ptr, table: Ptr): Ptr {
  const len = PyUnicode_GET_LENGTH(self);
  const kind = PyUnicode_KIND(self);
  const data = PyUnicode_DATA(self);
  const out: number[] = [];
  for (let i = 0; i < len; i++) {
    const c = PyUnicode_READ(kind, data, i);
    const key = PyLong_FromSsize_t(c);
    if (key === NULL) return NULL;
    const v = PyObject_GetItem(table, key);
    Py_DECREF(key);
    if (v === NULL) {
      if (PyErr_ExceptionMatches(PyExc_LookupError)) {
        PyErr_Clear();
        out.push(c);
        continue;
      }
      return NULL;
    }
    if (v === Py_None) {
      Py_DECREF(v);
    } else if (PyLong_Check(v)) {
      const x = PyLong_AsSsize_t(v);
      Py_DECREF(v);
      if (x === -1 && PyErr_Occurred() !== NULL) return NULL;
      if (x < 0 || x > MAX_UNICODE) {
        PyErr_SetString(PyExc_ValueError, 'character mapping must be in range(0x110000)');
        return NULL;
      }
      out.push(x);
    } else if (PyUnicode_Check(v)) {
      const n = PyUnicode_GET_LENGTH(v);
      for (let j = 0; j < n; j++) out.push(PyUnicode_READ_CHAR(v, j));
      Py_DECREF(v);
    } else {
      Py_DECREF(v);
      return typeError('character mapping must return integer, None or str');
    }
  }
  return PyUnicode_FromCodePoints(out);
}

/** str.maketrans(x[, y[, z]]) — a static method (≈ unicode_maketrans_impl). New dict. */
function str_maketrans(_self: Ptr, args: number, nargs: number): Ptr {
  if (!checkPositional('maketrans', nargs, 1, 3)) return NULL;
  const x = arg(args, 0);
  const d = PyDict_New();
  if (d === NULL) return NULL;
  const set = (k: number, v: Ptr): boolean => {
    const key = PyLong_FromSsize_t(k);
    if (key === NULL) return false;
    const r = PyDict_SetItem(d, key, v);
    Py_DECREF(key);
    return r === 0;
  };
  const fail = (): Ptr => {
    Py_DECREF(d);
    return NULL;
  };
  if (nargs === 1) {
    if (!PyDict_Check(x)) {
      Py_DECREF(d);
      return typeError('if you give only one argument to maketrans it must be a dict');
    }
    for (let pos = PyDict_Next(x, 0); pos >= 0; pos = PyDict_Next(x, pos)) {
      const k = DICT_NEXT.key;
      const v = DICT_NEXT.value;
      if (PyUnicode_Check(k)) {
        if (PyUnicode_GET_LENGTH(k) !== 1) {
          PyErr_SetString(PyExc_ValueError, 'string keys in translate table must be of length 1');
          return fail();
        }
        if (!set(PyUnicode_READ_CHAR(k, 0), v)) return fail();
      } else if (PyLong_Check(k)) {
        if (PyDict_SetItem(d, k, v) < 0) return fail();
      } else {
        Py_DECREF(d);
        return typeError('keys in translate table must be strings or integers');
      }
    }
    return d;
  }
  if (!PyUnicode_Check(x)) {
    Py_DECREF(d);
    return typeError('first maketrans argument must be a string if there is a second argument');
  }
  const y = arg(args, 1);
  if (!PyUnicode_Check(y)) {
    Py_DECREF(d);
    return typeError(`maketrans() argument 2 must be str, not ${tpNameOf(y)}`);
  }
  const z = nargs > 2 ? arg(args, 2) : NULL;
  if (z !== NULL && !PyUnicode_Check(z)) {
    Py_DECREF(d);
    return typeError(`maketrans() argument 3 must be str, not ${tpNameOf(z)}`);
  }
  const n = PyUnicode_GET_LENGTH(x);
  if (n !== PyUnicode_GET_LENGTH(y)) {
    Py_DECREF(d);
    PyErr_SetString(PyExc_ValueError, 'the first two maketrans arguments must have equal length');
    return NULL;
  }
  for (let i = 0; i < n; i++) {
    const v = PyLong_FromSsize_t(PyUnicode_READ_CHAR(y, i));
    if (v === NULL) return fail();
    const ok = set(PyUnicode_READ_CHAR(x, i), v);
    Py_DECREF(v);
    if (!ok) return fail();
  }
  if (z !== NULL) {
    const zn = PyUnicode_GET_LENGTH(z);
    for (let i = 0; i < zn; i++) if (!set(PyUnicode_READ_CHAR(z, i), Py_None)) return fail();
  }
  return d;
}

// ---- iteration ----
//   unicodeiterobject (GC; getsizeof 48):  0 refcnt  8 type  16 it_index  24 it_seq (NULL when exhausted)
export const STRITER_INDEX = 16;
export const STRITER_SEQ = 24;

function unicode_iter(seq: Ptr): Ptr {
  const it = PyObject_GC_New(PyUnicodeIter_Type);
  if (it === NULL) return PyErr_NoMemory();
  I32[(it + STRITER_INDEX) >> 2] = 0;
  I32[(it + STRITER_INDEX + 4) >> 2] = 0;
  I32[seq >> 2]++;
  I32[(it + STRITER_SEQ) >> 2] = seq;
  I32[(it + STRITER_SEQ + 4) >> 2] = 0;
  PyObject_GC_Track(it);
  return it;
}
function unicodeiter_dealloc(it: Ptr): void {
  PyObject_GC_UnTrack(it);
  Py_XDECREF(I32[(it + STRITER_SEQ) >> 2]);
  PyObject_GC_Del(it);
}
function unicodeiter_traverse(it: Ptr, visit: visitproc, a: number): number {
  const seq = I32[(it + STRITER_SEQ) >> 2];
  return seq !== NULL ? visit(seq, a) : 0;
}
/** ≈ unicodeiter_next: the next character (a latin-1 singleton when < 256). */
function unicodeiter_next(it: Ptr): Ptr {
  const seq = I32[(it + STRITER_SEQ) >> 2];
  if (seq === NULL) return NULL;
  const i = I32[(it + STRITER_INDEX) >> 2];
  if (i < I32[(seq + UNICODE_LENGTH) >> 2]) {
    I32[(it + STRITER_INDEX) >> 2] = i + 1;
    return unicode_char(PyUnicode_READ(PyUnicode_KIND(seq), PyUnicode_DATA(seq), i));
  }
  I32[(it + STRITER_SEQ) >> 2] = 0;
  Py_DECREF(seq);
  return NULL;
}
function unicodeiter_len(it: Ptr): Ptr {
  const seq = I32[(it + STRITER_SEQ) >> 2];
  return PyLong_FromSsize_t(seq === NULL ? 0 : PyUnicode_GET_LENGTH(seq) - I32[(it + STRITER_INDEX) >> 2]);
}
function unicodeiter_self(it: Ptr): Ptr {
  I32[it >> 2]++;
  return it;
}

/** The str iterator type (≈ PyUnicodeIter_Type; 3.11 also has an ASCII variant with the same
 *  layout and behaviour, named str_ascii_iterator). */
export const PyUnicodeIter_Type: Ptr = newStaticType({
  name: 'str_ascii_iterator',
  basicsize: 32,
  flags: Py_TPFLAGS_HAVE_GC,
  slots: {
    tp_dealloc: unicodeiter_dealloc,
    tp_traverse: unicodeiter_traverse,
    tp_iter: unicodeiter_self,
    tp_iternext: unicodeiter_next,
    methods: [{ name: '__length_hint__', flags: METH_NOARGS, fn: unicodeiter_len, doc: 'Private method returning an estimate of len(list(it)).' }],
  },
});

// ---- number / sequence / mapping slots ----
function unicode_length(o: Ptr): number {
  return PyUnicode_GET_LENGTH(o);
}
/** ≈ unicode_getitem (sq_item): the character at index i (no negative wrap here). */
export function unicode_getitem(o: Ptr, i: number): Ptr {
  if (i < 0 || i >= PyUnicode_GET_LENGTH(o)) {
    PyErr_SetString(PyExc_IndexError, 'string index out of range');
    return NULL;
  }
  return unicode_char(PyUnicode_READ_CHAR(o, i));
}
/** ≈ unicode_subscript (mp_subscript): o[int] or o[slice]. New reference. */
export function unicode_subscript(o: Ptr, item: Ptr): Ptr {
  if (I32[(item + OB_TYPE) >> 2] === PyLong_Type) {
    // s[i] with a compact exact int: no index conversion, the latin-1 singleton directly
    const sz = I32[(item + 16) >> 2];
    if (sz >= -1 && sz <= 1) {
      let i = sz * U32[(item + 24) >> 2];
      const len = I32[(o + UNICODE_LENGTH) >> 2];
      if (i < 0) i += len;
      if (i >= 0 && i < len) {
        if ((U8[o + UNICODE_STATE] & (STATE_ASCII | STATE_COMPACT)) === (STATE_ASCII | STATE_COMPACT)) {
          const r = latin1[U8[o + ASCII_DATA + i]];
          I32[r >> 2]++;
          return r;
        }
        return unicode_char(PyUnicode_READ_CHAR(o, i));
      }
    }
  }
  if (slotsOfObj(item).nb_index !== undefined) {
    let i = PyNumber_AsSsize_t(item, PyExc_IndexError);
    if (i === -1 && PyErr_Occurred() !== NULL) return NULL;
    if (i < 0) i += PyUnicode_GET_LENGTH(o);
    return unicode_getitem(o, i);
  }
  if (I32[(item + OB_TYPE) >> 2] === PySlice_Type) {
    if (PySlice_Unpack(item) < 0) return NULL;
    const len = PyUnicode_GET_LENGTH(o);
    const n = PySlice_AdjustIndices(len);
    const start = SLICE_RESULT[0];
    const step = SLICE_RESULT[2];
    if (n <= 0) return unicode_new_empty();
    if (start === 0 && step === 1 && n === len) return unicode_result_unchanged(o);
    if (step === 1) return PyUnicode_Substring(o, start, start + n);
    const kind = PyUnicode_KIND(o);
    const data = PyUnicode_DATA(o);
    let max = 0;
    if (PyUnicode_IS_ASCII(o)) max = 127;
    else for (let i = 0, c = start; i < n; i++, c += step) {
      const ch = PyUnicode_READ(kind, data, c);
      if (ch > max) max = ch;
    }
    const r = PyUnicode_New(n, max);
    if (r === NULL) return NULL;
    const rk = PyUnicode_KIND(r);
    const rd = PyUnicode_DATA(r);
    for (let i = 0, c = start; i < n; i++, c += step) PyUnicode_WRITE(rk, rd, i, PyUnicode_READ(kind, data, c));
    return r;
  }
  return typeError(`string indices must be integers, not '${tpNameOf(item)}'`);
}
function unicode_sq_repeat(o: Ptr, n: number): Ptr {
  return unicode_repeat(o, n);
}
function unicode_contains(o: Ptr, sub: Ptr): number {
  return PyUnicode_Contains(o, sub);
}
/** ≈ unicode_richcompare: code-point order between two str; NotImplemented otherwise. */
export function unicode_richcompare(a: Ptr, b: Ptr, op: number): Ptr {
  if (!PyUnicode_Check(a) || !PyUnicode_Check(b)) {
    I32[Py_NotImplemented >> 2]++;
    return Py_NotImplemented;
  }
  let r: boolean;
  if (a === b) {
    r = op === Py_EQ || op === Py_LE || op === Py_GE;
  } else if (op === Py_EQ || op === Py_NE) {
    r = unicode_eq(a, b) === (op === Py_EQ);
  } else {
    const c = unicode_compare(a, b);
    switch (op) {
      case Py_LT: r = c < 0; break;
      case Py_LE: r = c <= 0; break;
      case Py_GT: r = c > 0; break;
      default: r = c >= 0;
    }
  }
  return PyBool_FromLong(r ? 1 : 0);
}
/** tp_str: an exact str is returned as is; a subclass instance gives an exact copy. */
function unicode_str(o: Ptr): Ptr {
  return unicode_result_unchanged(o);
}
/** nb_remainder: `str % args` (printf-style formatting); NotImplemented when the left operand
 *  is not a str. */
function unicode_mod(a: Ptr, b: Ptr): Ptr {
  if (!PyUnicode_Check(a)) {
    I32[Py_NotImplemented >> 2]++;
    return Py_NotImplemented;
  }
  return PyUnicode_Format(a, b);
}
/** sq_concat */
function unicode_concat(a: Ptr, b: Ptr): Ptr {
  return PyUnicode_Concat(a, b);
}

// ---- construction: str(object=''), str(bytes, encoding, errors) ----
const STR_KW = ['object', 'encoding', 'errors'] as const;
/** ≈ unicode_new_impl for the exact type (and the value for subclasses). New reference. */
function unicode_new_value(x: Ptr, encoding: Ptr, errors: Ptr): Ptr {
  if (encoding !== NULL && !PyUnicode_Check(encoding)) return typeError(`str() argument 'encoding' must be str, not ${tpNameOf(encoding)}`);
  if (errors !== NULL && !PyUnicode_Check(errors)) return typeError(`str() argument 'errors' must be str, not ${tpNameOf(errors)}`);
  if (x === NULL) return unicode_new_empty();
  if (encoding === NULL && errors === NULL) return PyObject_Str(x);
  if (PyUnicode_Check(x)) return typeError('decoding str is not supported');
  if (!PyBytes_Check(x)) return typeError(`decoding to str: need a bytes-like object, ${tpNameOf(x)} found`);
  return PyUnicode_Decode(PyBytes_AS_STRING(x), PyBytes_GET_SIZE(x), encoding === NULL ? 'utf-8' : unicodeToJs(encoding),
    errors === NULL ? 'strict' : unicodeToJs(errors));
}
function unicode_vectorcall(type: Ptr, args: number, nargs: number, kwnames: Ptr): Ptr {
  if (!parseKw('str', args, nargs, kwnames, STR_KW)) return NULL;
  const v = unicode_new_value(KW[0], KW[1], KW[2]);
  if (v === NULL || type === PyUnicode_Type) return v;
  const r = unicode_subtype_new(type, v);
  Py_DECREF(v);
  return r;
}
/** ≈ unicode_new (tp_new): args tuple + kwargs dict (NULL or a dict of str keys). */
function unicode_tp_new(type: Ptr, argsTuple: Ptr, kwds: Ptr): Ptr {
  const nargs = Py_SIZE(argsTuple);
  if (nargs > 3) return typeError(`str() takes at most 3 arguments (${nargs} given)`);
  const got = [0, 0, 0];
  for (let i = 0; i < nargs; i++) got[i] = I32[(argsTuple + 24 + 8 * i) >> 2];
  if (kwds !== NULL) {
    for (let pos = PyDict_Next(kwds, 0); pos >= 0; pos = PyDict_Next(kwds, pos)) {
      const name = unicodeToJs(DICT_NEXT.key);
      const idx = STR_KW.indexOf(name as (typeof STR_KW)[number]);
      if (idx < 0) return typeError(`'${name}' is an invalid keyword argument for str()`);
      if (idx < nargs) return typeError(`argument for str() given by name ('${name}') and position (${idx + 1})`);
      got[idx] = DICT_NEXT.value;
    }
  }
  const v = unicode_new_value(got[0], got[1], got[2]);
  if (v === NULL || type === PyUnicode_Type) return v;
  const r = unicode_subtype_new(type, v);
  Py_DECREF(v);
  return r;
}

/** ≈ unicode_subtype_new: an instance of str subclass `type` holding a copy of str `u` in the
 *  legacy (non-compact) layout: the characters live in a separate PyObject_Malloc'd buffer
 *  pointed to by the data field at offset 72. New reference. */
export function unicode_subtype_new(type: Ptr, u: Ptr): Ptr {
  const self = PyType_GenericAlloc(type, 0);
  if (self === NULL) return NULL;
  const n = PyUnicode_GET_LENGTH(u);
  const kind = PyUnicode_KIND(u);
  const ascii = PyUnicode_IS_ASCII(u);
  const buf = PyObject_Malloc((n + 1) * kind);
  if (buf === NULL) {
    Py_DECREF(self);
    return PyErr_NoMemory();
  }
  const w = self >> 2;
  I32[w + 4] = n;
  I32[w + 5] = 0;
  I32[w + 6] = I32[(u + UNICODE_HASH) >> 2];
  I32[w + 7] = I32[(u + UNICODE_HASH + 4) >> 2];
  I32[w + 8] = (kind << STATE_KIND_SHIFT) | (ascii ? STATE_ASCII : 0) | STATE_READY;
  I32[w + 9] = 0;
  for (let k = 10; k < 18; k++) I32[w + k] = 0;
  U8.copyWithin(buf, PyUnicode_DATA(u), PyUnicode_DATA(u) + (n + 1) * kind);
  I32[w + 18] = buf;
  I32[w + 19] = 0;
  if (ascii) {
    // utf8 shares the data (as CPython), so it is not counted twice by __sizeof__
    I32[w + 12] = n;
    I32[w + 14] = 0;
  }
  return self;
}

/** The method table (≈ unicode_methods). Built by a function so the type object can be created
 *  before the statics that need it. */
function unicodeMethodTable(): MethodDef[] {
  const F = METH_FASTCALL;
  const FK = METH_FASTCALL | METH_KEYWORDS;
  const N = METH_NOARGS;
  const O = METH_O;
  return [
    { name: 'encode', flags: FK, fn: str_encode as MethodDef['fn'] },
    { name: 'replace', flags: F, fn: str_replace as MethodDef['fn'] },
    { name: 'split', flags: FK, fn: str_split as MethodDef['fn'] },
    { name: 'rsplit', flags: FK, fn: str_rsplit as MethodDef['fn'] },
    { name: 'join', flags: O, fn: str_join as MethodDef['fn'] },
    { name: 'capitalize', flags: N, fn: str_capitalize as MethodDef['fn'] },
    { name: 'casefold', flags: N, fn: str_casefold as MethodDef['fn'] },
    { name: 'title', flags: N, fn: str_title as MethodDef['fn'] },
    { name: 'center', flags: F, fn: str_center as MethodDef['fn'] },
    { name: 'count', flags: F, fn: str_count as MethodDef['fn'] },
    { name: 'expandtabs', flags: FK, fn: str_expandtabs as MethodDef['fn'] },
    { name: 'find', flags: F, fn: str_find as MethodDef['fn'] },
    { name: 'partition', flags: O, fn: str_partition as MethodDef['fn'] },
    { name: 'index', flags: F, fn: str_index as MethodDef['fn'] },
    { name: 'ljust', flags: F, fn: str_ljust as MethodDef['fn'] },
    { name: 'lower', flags: N, fn: str_lower as MethodDef['fn'] },
    { name: 'lstrip', flags: F, fn: str_lstrip as MethodDef['fn'] },
    { name: 'rfind', flags: F, fn: str_rfind as MethodDef['fn'] },
    { name: 'rindex', flags: F, fn: str_rindex as MethodDef['fn'] },
    { name: 'rjust', flags: F, fn: str_rjust as MethodDef['fn'] },
    { name: 'rstrip', flags: F, fn: str_rstrip as MethodDef['fn'] },
    { name: 'rpartition', flags: O, fn: str_rpartition as MethodDef['fn'] },
    { name: 'splitlines', flags: FK, fn: str_splitlines as MethodDef['fn'] },
    { name: 'strip', flags: F, fn: str_strip as MethodDef['fn'] },
    { name: 'swapcase', flags: N, fn: str_swapcase as MethodDef['fn'] },
    { name: 'translate', flags: O, fn: str_translate as MethodDef['fn'] },
    { name: 'upper', flags: N, fn: str_upper as MethodDef['fn'] },
    { name: 'startswith', flags: F, fn: str_startswith as MethodDef['fn'] },
    { name: 'endswith', flags: F, fn: str_endswith as MethodDef['fn'] },
    { name: 'removeprefix', flags: O, fn: str_removeprefix as MethodDef['fn'] },
    { name: 'removesuffix', flags: O, fn: str_removesuffix as MethodDef['fn'] },
    { name: 'isascii', flags: N, fn: str_isascii as MethodDef['fn'] },
    { name: 'islower', flags: N, fn: str_islower as MethodDef['fn'] },
    { name: 'isupper', flags: N, fn: str_isupper as MethodDef['fn'] },
    { name: 'istitle', flags: N, fn: str_istitle as MethodDef['fn'] },
    { name: 'isspace', flags: N, fn: str_isspace as MethodDef['fn'] },
    { name: 'isdecimal', flags: N, fn: str_isdecimal as MethodDef['fn'] },
    { name: 'isdigit', flags: N, fn: str_isdigit as MethodDef['fn'] },
    { name: 'isnumeric', flags: N, fn: str_isnumeric as MethodDef['fn'] },
    { name: 'isalpha', flags: N, fn: str_isalpha as MethodDef['fn'] },
    { name: 'isalnum', flags: N, fn: str_isalnum as MethodDef['fn'] },
    { name: 'isidentifier', flags: N, fn: str_isidentifier as MethodDef['fn'] },
    { name: 'isprintable', flags: N, fn: str_isprintable as MethodDef['fn'] },
    { name: 'zfill', flags: O, fn: str_zfill as MethodDef['fn'] },
    { name: 'format', flags: FK, fn: str_format as MethodDef['fn'] },
    { name: 'format_map', flags: O, fn: str_format_map as MethodDef['fn'] },
    { name: '__format__', flags: O, fn: str_format_method as MethodDef['fn'] },
    { name: 'maketrans', flags: F | METH_STATIC, fn: str_maketrans as MethodDef['fn'] },
    { name: '__sizeof__', flags: N, fn: str_sizeof as MethodDef['fn'] },
    { name: '__getnewargs__', flags: N, fn: str_getnewargs as MethodDef['fn'] },
  ];
}

// =====================================================================================
// Codecs: UTF-8, ASCII and latin-1 (≈ PyUnicode_AsEncodedString / PyUnicode_Decode fast paths)
// with the error handlers strict, ignore, replace, backslashreplace, xmlcharrefreplace,
// surrogateescape and surrogatepass. Other encodings raise LookupError.
// =====================================================================================

export const ENC_UTF8 = 0;
export const ENC_LATIN1 = 1;
export const ENC_ASCII = 2;

/** ≈ _Py_normalize_encoding + the fast-path names: ENC_* or -1 for an unknown encoding. */
export function lookupEncoding(name: string): number {
  const n = name.toLowerCase().replace(/[^a-z0-9.]+/g, '_');
  switch (n) {
    case 'utf_8': case 'utf8': case 'u8': case 'utf': case 'cp65001':
      return ENC_UTF8;
    case 'latin_1': case 'latin1': case 'latin': case 'l1': case 'iso_8859_1': case 'iso8859_1': case '8859':
    case 'cp819': case 'iso_ir_100': case 'csisolatin1':
      return ENC_LATIN1;
    case 'ascii': case 'us_ascii': case '646': case 'us': case 'ansi_x3.4_1968': case 'iso646_us':
      return ENC_ASCII;
  }
  return -1;
}
const ENC_NAMES = ['utf-8', 'latin-1', 'ascii'];

const KNOWN_ERRORS = ['strict', 'ignore', 'replace', 'backslashreplace', 'xmlcharrefreplace', 'surrogateescape', 'surrogatepass', 'namereplace'];

function charEscapeForMessage(c: number): string {
  if (c < 0x100) return '\\x' + c.toString(16).padStart(2, '0');
  if (c < 0x10000) return '\\u' + c.toString(16).padStart(4, '0');
  return '\\U' + c.toString(16).padStart(8, '0');
}
/** Raise UnicodeEncodeError(encoding, object, start, end, reason) (≈ make_encode_exception +
 *  PyCodec_StrictErrors): the instance carries the attributes, its str() gives CPython's text. */
function encodeError(enc: string, o: Ptr, start: number, end: number, reason: string): void {
  raiseUnicodeError(PyExc_UnicodeEncodeError, enc, o, start, end, reason);
}
/** Raise UnicodeDecodeError(encoding, bytes, start, end, reason) for the n bytes at src. */
function decodeError(enc: string, src: number, n: number, start: number, end: number, reason: string): void {
  const b = _PyBytes_FromSize(n);
  if (b === NULL) return;
  U8.copyWithin(b + BYTES_SVAL, src, src + n);
  raiseUnicodeError(PyExc_UnicodeDecodeError, enc, b, start, end, reason);
  Py_DECREF(b);
}
function raiseUnicodeError(type: Ptr, enc: string, obj: Ptr, start: number, end: number, reason: string): void {
  const e = PyUnicode_FromString(enc);
  const st = PyLong_FromSsize_t(start);
  const en = PyLong_FromSsize_t(end);
  const r = PyUnicode_FromString(reason);
  const t = e !== NULL && st !== NULL && en !== NULL && r !== NULL ? PyTuple_Pack(5, e, obj, st, en, r) : NULL;
  Py_XDECREF(e);
  Py_XDECREF(st);
  Py_XDECREF(en);
  Py_XDECREF(r);
  if (t === NULL) return;
  PyErr_SetObject(type, t);
  Py_DECREF(t);
}
function unknownErrorHandler(errors: string): void {
  PyErr_SetString(PyExc_LookupError, `unknown error handler name '${errors}'`);
}

/** Scratch output for encoders (grown on demand). */
let encBuf = new Uint8Array(1024);
function encReserve(n: number): void {
  if (encBuf.length < n) {
    const b = new Uint8Array(Math.max(n, encBuf.length * 2));
    b.set(encBuf);
    encBuf = b;
  }
}

/** ≈ PyUnicode_AsEncodedString for the supported codecs: a new bytes object, or NULL with
 *  LookupError / UnicodeEncodeError set. */
export function PyUnicode_AsEncodedString(o: Ptr, encoding: string, errors: string): Ptr {
  const enc = lookupEncoding(encoding);
  if (enc < 0) {
    PyErr_SetString(PyExc_LookupError, `unknown encoding: ${encoding}`);
    return NULL;
  }
  const len = PyUnicode_GET_LENGTH(o);
  const kind = PyUnicode_KIND(o);
  const data = PyUnicode_DATA(o);
  if (PyUnicode_IS_ASCII(o) || (enc === ENC_LATIN1 && kind === 1)) {
    const b = _PyBytes_FromSize(len);
    if (b === NULL || len === 0) return b;
    U8.copyWithin(b + BYTES_SVAL, data, data + len);
    return b;
  }
  const limit = enc === ENC_ASCII ? 0x80 : enc === ENC_LATIN1 ? 0x100 : 0x110000;
  const encName = ENC_NAMES[enc];
  encReserve(len * 4 + 16);
  let w = 0;
  let i = 0;
  while (i < len) {
    const c = PyUnicode_READ(kind, data, i);
    const bad = enc === ENC_UTF8 ? c >= 0xd800 && c < 0xe000 : c >= limit;
    if (!bad) {
      if (enc !== ENC_UTF8 || c < 0x80) encBuf[w++] = c;
      else if (c < 0x800) {
        encBuf[w++] = 0xc0 | (c >> 6);
        encBuf[w++] = 0x80 | (c & 0x3f);
      } else if (c < 0x10000) {
        encBuf[w++] = 0xe0 | (c >> 12);
        encBuf[w++] = 0x80 | ((c >> 6) & 0x3f);
        encBuf[w++] = 0x80 | (c & 0x3f);
      } else {
        encBuf[w++] = 0xf0 | (c >> 18);
        encBuf[w++] = 0x80 | ((c >> 12) & 0x3f);
        encBuf[w++] = 0x80 | ((c >> 6) & 0x3f);
        encBuf[w++] = 0x80 | (c & 0x3f);
      }
      i++;
      continue;
    }
    // a run of unencodable characters [i, end)
    let end = i + 1;
    while (end < len) {
      const d = PyUnicode_READ(kind, data, end);
      if (enc === ENC_UTF8 ? !(d >= 0xd800 && d < 0xe000) : d < limit) break;
      end++;
    }
    const reason = enc === ENC_UTF8 ? 'surrogates not allowed' : `ordinal not in range(${limit})`;
    switch (errors) {
      case 'strict':
        encodeError(encName, o, i, end, reason);
        return NULL;
      case 'ignore':
        break;
      case 'replace':
        for (let k = i; k < end; k++) encBuf[w++] = 0x3f;
        break;
      case 'backslashreplace':
      case 'xmlcharrefreplace':
        for (let k = i; k < end; k++) {
          const d = PyUnicode_READ(kind, data, k);
          const s = errors === 'xmlcharrefreplace' ? `&#${d};` : charEscapeForMessage(d);
          encReserve(w + s.length + (len - k) * 4 + 16);
          for (let q = 0; q < s.length; q++) encBuf[w++] = s.charCodeAt(q);
        }
        break;
      case 'surrogatepass':
        if (enc !== ENC_UTF8) {
          encodeError(encName, o, i, end, reason);
          return NULL;
        }
        for (let k = i; k < end; k++) {
          const d = PyUnicode_READ(kind, data, k);
          encBuf[w++] = 0xe0 | (d >> 12);
          encBuf[w++] = 0x80 | ((d >> 6) & 0x3f);
          encBuf[w++] = 0x80 | (d & 0x3f);
        }
        break;
      case 'surrogateescape': {
        for (let k = i; k < end; k++) {
          const d = PyUnicode_READ(kind, data, k);
          if (d < 0xdc80 || d > 0xdcff) {
            encodeError(encName, o, k, k + 1, reason);
            return NULL;
          }
          encBuf[w++] = d - 0xdc00;
        }
        break;
      }
      default:
        if (KNOWN_ERRORS.includes(errors)) {
          encodeError(encName, o, i, end, reason);
        } else unknownErrorHandler(errors);
        return NULL;
    }
    i = end;
  }
  const b = _PyBytes_FromSize(w);
  if (b === NULL || w === 0) return b;
  U8.set(encBuf.subarray(0, w), b + BYTES_SVAL);
  return b;
}

/** ≈ PyUnicode_AsUTF8String: new bytes (strict). */
export function PyUnicode_AsUTF8String(o: Ptr): Ptr {
  return PyUnicode_AsEncodedString(o, 'utf-8', 'strict');
}

let decBuf = new Int32Array(1024);

/** ≈ PyUnicode_Decode for the supported codecs: decode n bytes at heap address src. New str
 *  reference, or NULL with LookupError / UnicodeDecodeError set. */
export function PyUnicode_Decode(src: number, n: number, encoding: string, errors: string): Ptr {
  const enc = lookupEncoding(encoding);
  if (enc < 0) {
    PyErr_SetString(PyExc_LookupError, `unknown encoding: ${encoding}`);
    return NULL;
  }
  if (n === 0) return unicode_new_empty();
  // all-ASCII input: one bulk copy for every codec
  let ascii = true;
  for (let i = 0; i < n; i++) if (U8[src + i] >= 0x80) { ascii = false; break; }
  if (ascii) return _PyUnicode_FromASCII(src, n);
  if (enc === ENC_LATIN1) return PyUnicode_FromKindAndData(1, src, n);
  if (decBuf.length < n + 16) decBuf = new Int32Array(n + 16);
  let w = 0;
  let i = 0;
  const encName = ENC_NAMES[enc];
  while (i < n) {
    const b = U8[src + i];
    if (b < 0x80) {
      decBuf[w++] = b;
      i++;
      continue;
    }
    let errEnd = i + 1;
    let reason = 'invalid start byte';
    if (enc === ENC_ASCII) {
      reason = 'ordinal not in range(128)';
    } else if (b >= 0xc2 && b <= 0xf4) {
      const need = b < 0xe0 ? 1 : b < 0xf0 ? 2 : 3;
      let lo = 0x80;
      let hi = 0xbf;
      if (b === 0xe0) lo = 0xa0;
      else if (b === 0xed) hi = 0x9f;
      else if (b === 0xf0) lo = 0x90;
      else if (b === 0xf4) hi = 0x8f;
      let k = 1;
      let ok = true;
      for (; k <= need; k++) {
        if (i + k >= n) break;
        const c = U8[src + i + k];
        if (c < (k === 1 ? lo : 0x80) || c > (k === 1 ? hi : 0xbf)) {
          ok = false;
          break;
        }
      }
      if (ok && k > need) {
        let cp: number;
        if (need === 1) cp = ((b & 0x1f) << 6) | (U8[src + i + 1] & 0x3f);
        else if (need === 2) cp = ((b & 0x0f) << 12) | ((U8[src + i + 1] & 0x3f) << 6) | (U8[src + i + 2] & 0x3f);
        else cp = ((b & 0x07) << 18) | ((U8[src + i + 1] & 0x3f) << 12) | ((U8[src + i + 2] & 0x3f) << 6) | (U8[src + i + 3] & 0x3f);
        decBuf[w++] = cp;
        i += need + 1;
        continue;
      }
      if (ok) {
        reason = 'unexpected end of data';
        errEnd = n;
      } else {
        reason = 'invalid continuation byte';
        errEnd = i + k;
      }
      // surrogatepass: ED A0..BF xx encodes a surrogate
      if (errors === 'surrogatepass' && b === 0xed && i + 2 < n && U8[src + i + 1] >= 0xa0 && U8[src + i + 1] <= 0xbf &&
          U8[src + i + 2] >= 0x80 && U8[src + i + 2] <= 0xbf) {
        decBuf[w++] = 0xd000 | ((U8[src + i + 1] & 0x3f) << 6) | (U8[src + i + 2] & 0x3f);
        i += 3;
        continue;
      }
    }
    switch (errors) {
      case 'strict':
        decodeError(encName, src, n, i, errEnd, reason);
        return NULL;
      case 'ignore':
        break;
      case 'replace':
        decBuf[w++] = 0xfffd;
        break;
      case 'surrogateescape':
        for (let k = i; k < errEnd; k++) {
          const c = U8[src + k];
          if (c < 128) {
            decodeError(encName, src, n, k, k + 1, reason);
            return NULL;
          }
          decBuf[w++] = 0xdc00 + c;
        }
        break;
      case 'backslashreplace': {
        let need = w + (errEnd - i) * 4 + (n - errEnd) + 16;
        if (decBuf.length < need) {
          need = Math.max(need, decBuf.length * 2);
          const nb = new Int32Array(need);
          nb.set(decBuf.subarray(0, w));
          decBuf = nb;
        }
        for (let k = i; k < errEnd; k++) {
          const c = U8[src + k];
          decBuf[w++] = 0x5c;
          decBuf[w++] = 0x78;
          decBuf[w++] = hexDigit(c >> 4);
          decBuf[w++] = hexDigit(c);
        }
        break;
      }
      default:
        if (KNOWN_ERRORS.includes(errors)) decodeError(encName, src, n, i, errEnd, reason);
        else unknownErrorHandler(errors);
        return NULL;
    }
    i = errEnd;
  }
  return PyUnicode_FromCodePoints(decBuf.subarray(0, w));
}

const ENCODE_KW = ['encoding', 'errors'] as const;
/** str.encode(encoding='utf-8', errors='strict') */
function str_encode(self: Ptr, args: number, nargs: number, kwnames: Ptr): Ptr {
  if (!parseKw('encode', args, nargs, kwnames, ENCODE_KW)) return NULL;
  let encoding = 'utf-8';
  let errors = 'strict';
  if (KW[0] !== 0) {
    if (!PyUnicode_Check(KW[0])) return typeError(`encode() argument 'encoding' must be str, not ${tpNameOf(KW[0])}`);
    encoding = unicodeToJs(KW[0]);
  }
  if (KW[1] !== 0) {
    if (!PyUnicode_Check(KW[1])) return typeError(`encode() argument 'errors' must be str, not ${tpNameOf(KW[1])}`);
    errors = unicodeToJs(KW[1]);
  }
  return PyUnicode_AsEncodedString(self, encoding, errors);
}
