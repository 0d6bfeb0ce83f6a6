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

import { type Ptr, NULL, I32, U8, U16, U32, staticAlloc, isStatic, onHeapReset } from '../mem/heap.js';
import { PyObject_Malloc, PyObject_Free } from '../mem/pymem.js';
import { OB_TYPE, STATIC_REFCNT, HASH_HI, Py_DECREF, Py_SETREF } from '../object.js';
import {
  newStaticType, slotsOf, Py_TPFLAGS_BASETYPE, Py_TPFLAGS_UNICODE_SUBCLASS, TP_FLAGS,
} from '../typeobject.js';
import { PyErr_NoMemory } from '../errors.js';
import { _Py_HashBytes } from '../pyhash.js';

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
/** `str` (≈ PyUnicode_Type). More slots and the method table are attached further down. */
export const PyUnicode_Type: Ptr = newStaticType({
  name: 'str',
  basicsize: PyUnicodeObject_SIZE,
  itemsize: 0,
  flags: Py_TPFLAGS_BASETYPE | Py_TPFLAGS_UNICODE_SUBCLASS,
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

/** ≈ _PyUnicode_FastCopyCharacters: write n characters of `fromKind` at heap address `src` into
 *  str `to` at index `at` (to's kind must be wide enough). Bulk copies when the kinds match. */
export function copyCharacters(to: Ptr, at: number, fromKind: number, src: number, n: number): void {
  const toKind = PyUnicode_KIND(to);
  const dst = PyUnicode_DATA(to);
  if (toKind === fromKind) {
    U8.copyWithin(dst + at * toKind, src, src + n * toKind);
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

{
  const s = slotsOf(PyUnicode_Type);
  s.tp_dealloc = unicode_dealloc;
  s.tp_hash = unicode_hash;
  s.tp_sizeof = unicode_sizeof;
  s.tp_free = PyObject_Free;
}
