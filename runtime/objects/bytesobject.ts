// bytes (≈ Objects/bytesobject.c, CPython 3.11).
//
// One block, not a GC object:
//
//    0 ob_refcnt
//    8 ob_type
//   16 ob_size     number of bytes
//   24 ob_shash    cached hash (-1 = not computed yet)
//   32 ob_sval     the bytes, then a NUL
//
// tp_basicsize is PyBytesObject_SIZE = 33 (offsetof(ob_sval) + 1 for the NUL), itemsize 1, so
// sys.getsizeof(b) = 33 + len(b) and the allocation is PyObject_Malloc(33 + n).
//
// Statics (reference §4.1): b'' and the 256 one-byte bytes objects live in the static region
// with refcount STATIC_REFCNT; constructors return them for lengths 0 and 1 (≈ bytes_empty,
// bytes_characters), so `b'ab'[0:1] is b'a'`.
//
// Hash: SipHash-1-3 of the bytes (pyhash.ts), the same function as str's latin-1 data, so
// hash(b'abc') == hash('abc').
//
// `bytes % args` (_PyBytes_FormatEx) runs the printf-style loop of unicode_format.ts in bytes
// mode; this file supplies what differs: %s/%b take bytes or __bytes__ (formatObjBytes).
// Methods return the receiver itself where CPython does (an exact bytes left unchanged) and an
// exact copy for a subclass instance (≈ return_self / bytes_result_unchanged).

import {
  type Ptr, NULL as NULL__i, I32 as I32__i, U8 as U8__i, staticAlloc, isStatic, onHeapReset,
} from '../mem/heap.js';
const NULL = NULL__i;
const I32 = I32__i;
const U8 = U8__i;
import { PyObject_Malloc, PyObject_Free } from '../mem/pymem.js';
import { OB_TYPE, STATIC_REFCNT, HASH_HI, Py_DECREF, Py_XDECREF, Py_SIZE, Py_SET_SIZE } from '../object.js';
import {
  newStaticType, slotsOf, slotsOfObj, typeName, Py_TPFLAGS_BASETYPE, Py_TPFLAGS_BYTES_SUBCLASS, Py_TPFLAGS_HAVE_GC, TP_FLAGS,
  Py_EQ, Py_NE, Py_LT, Py_LE, Py_GT, METH_NOARGS, METH_O, METH_FASTCALL, METH_KEYWORDS, METH_CLASS, METH_STATIC,
  type MethodDef, type visitproc,
} from '../typeobject.js';
import { PyObject_GC_New, PyObject_GC_Del, PyObject_GC_Track, PyObject_GC_UnTrack, PyType_GenericAlloc } from '../gc.js';
import { PyErr_NoMemory, PyErr_SetString, PyErr_Occurred, PyErr_ExceptionMatches } from '../errors.js';
import { PyExc_TypeError, PyExc_ValueError, PyExc_IndexError, PyExc_OverflowError } from './exceptions.js';
import { _Py_HashBytes } from '../pyhash.js';
import { PyObject_GetIter, PyIter_Next, PyNumber_Index, PyNumber_AsSsize_t } from '../abstract.js';
import { PyLong_FromSsize_t, PyLong_AsSsize_t } from './longobject.js';
import { PyBool_FromLong } from './boolobject.js';
import { Py_None, Py_NotImplemented } from './noneobject.js';
import { PyTuple_Check, PyTuple_Pack, PyTuple_New, PyTuple_SET_ITEM } from './tupleobject.js';
import { PyList_New, PyList_Append, PyList_SET_ITEM, PyList_Check } from './listobject.js';
import { PySlice_Type, PySlice_Unpack, PySlice_AdjustIndices, SLICE_RESULT, _PyEval_SliceIndex } from './sliceobject.js';
import {
  PyUnicode_FromString, PyUnicode_Check, unicodeToJs, memeq, PyUnicode_Decode, PyUnicode_AsEncodedString, _PyUnicode_InternStatic,
} from './unicodeobject.js';
import { percentFormat } from './unicode_format.js';
import { _PyType_Lookup } from '../typeready.js';
import { PyObject_CallNoArgs } from '../call.js';

// ---- layout ----
export const BYTES_SIZE = 16;
export const BYTES_SHASH = 24;
export const BYTES_SVAL = 32;
export const PyBytesObject_SIZE = 33;

/** `bytes` (≈ PyBytes_Type). The slot functions are declared further down (hoisted). */
export const PyBytes_Type: Ptr = newStaticType({
  name: 'bytes',
  basicsize: PyBytesObject_SIZE,
  itemsize: 1,
  flags: Py_TPFLAGS_BASETYPE | Py_TPFLAGS_BYTES_SUBCLASS,
  slots: {
    tp_dealloc: bytes_dealloc,
    tp_free: PyObject_Free,
    tp_repr: bytes_repr,
    tp_hash: bytes_hash,
    tp_richcompare: bytes_richcompare,
    tp_iter: bytes_iter,
    tp_vectorcall: bytes_vectorcall,
    tp_new: bytes_tp_new,
    tp_sizeof: bytes_sizeof,
    nb_remainder: bytes_mod,
    sq_length: bytes_length,
    sq_concat: bytes_concat,
    sq_repeat: bytes_repeat,
    sq_item: bytes_item,
    sq_contains: bytes_contains,
    mp_length: bytes_length,
    mp_subscript: bytes_subscript,
    methods: bytesMethodTable(),
  },
});

/** ≈ PyBytes_Check: bytes or a subclass. */
export function PyBytes_Check(o: Ptr): boolean {
  return (I32[(I32[(o + OB_TYPE) >> 2] + TP_FLAGS) >> 2] & Py_TPFLAGS_BYTES_SUBCLASS) !== 0;
}
export function PyBytes_CheckExact(o: Ptr): boolean {
  return I32[(o + OB_TYPE) >> 2] === PyBytes_Type;
}
/** Number of bytes (≈ PyBytes_GET_SIZE). */
export function PyBytes_GET_SIZE(o: Ptr): number {
  return I32[(o + BYTES_SIZE) >> 2];
}
/** Heap address of the first byte (≈ PyBytes_AS_STRING). */
export function PyBytes_AS_STRING(o: Ptr): number {
  return o + BYTES_SVAL;
}
/** A Uint8Array view of the bytes (a transient view of the heap: do not keep it). */
export function bytesAsU8(o: Ptr): Uint8Array {
  return U8.subarray(o + BYTES_SVAL, o + BYTES_SVAL + I32[(o + BYTES_SIZE) >> 2]);
}

function initBytes(o: Ptr, n: number, refcnt: number): void {
  const w = o >> 2;
  I32[w] = refcnt;
  I32[w + 1] = 0;
  I32[w + 2] = PyBytes_Type;
  I32[w + 3] = 0;
  I32[w + 4] = n;
  I32[w + 5] = 0;
  I32[w + 6] = -1;
  I32[w + 7] = -1;
  U8[o + BYTES_SVAL + n] = 0;
}

// ---- statics ----
function newStaticBytes(n: number): Ptr {
  const o = staticAlloc(PyBytesObject_SIZE + n, 16);
  initBytes(o, n, STATIC_REFCNT);
  return o;
}
/** b'' (≈ bytes_empty). Borrowed: INCREF to hand it out. */
export const bytes_empty: Ptr = newStaticBytes(0);
I32[(bytes_empty + BYTES_SHASH) >> 2] = 0;
I32[(bytes_empty + BYTES_SHASH + 4) >> 2] = 0;
const characters = new Int32Array(256);
for (let c = 0; c < 256; c++) {
  const o = newStaticBytes(1);
  U8[o + BYTES_SVAL] = c;
  characters[c] = o;
}
/** The static one-byte bytes object for c (new reference). */
export function bytes_char(c: number): Ptr {
  const o = characters[c];
  I32[o >> 2]++;
  return o;
}
/** b'' (new reference). */
export function bytes_get_empty(): Ptr {
  I32[bytes_empty >> 2]++;
  return bytes_empty;
}

/** Largest bytes object we try to allocate (anything larger is MemoryError). */
const MAX_BYTES = 0x7fff0000;

/** ≈ _PyBytes_FromSize: a new bytes object of n uninitialized bytes (n == 0 → b''). New
 *  reference or NULL + MemoryError. */
export function _PyBytes_FromSize(n: number): Ptr {
  if (n === 0) return bytes_get_empty();
  if (n < 0 || n > MAX_BYTES) return PyErr_NoMemory();
  const o = PyObject_Malloc(PyBytesObject_SIZE + n);
  if (o === NULL) return PyErr_NoMemory();
  initBytes(o, n, 1);
  return o;
}

/** ≈ PyBytes_FromStringAndSize: a bytes object holding the n bytes at heap address `src` (src 0 =
 *  uninitialized). Lengths 0 and 1 (with src) give the static singletons. New reference. */
export function PyBytes_FromStringAndSize(src: number, n: number): Ptr {
  if (n === 1 && src !== NULL) return bytes_char(U8[src]);
  const o = _PyBytes_FromSize(n);
  if (o === NULL || n === 0 || src === NULL) return o;
  U8.copyWithin(o + BYTES_SVAL, src, src + n);
  return o;
}

/** A bytes object from JS bytes (a Uint8Array or an array of 0..255). New reference. */
export function PyBytes_FromJsBytes(b: ArrayLike<number>): Ptr {
  const n = b.length;
  if (n === 1) return bytes_char(b[0] & 0xff);
  const o = _PyBytes_FromSize(n);
  if (o === NULL || n === 0) return o;
  U8.set(b, o + BYTES_SVAL);
  return o;
}

/** A bytes object from a JS string whose code units are all < 256 (latin-1). New reference. */
export function PyBytes_FromLatin1(s: string): Ptr {
  const n = s.length;
  if (n === 1) return bytes_char(s.charCodeAt(0) & 0xff);
  const o = _PyBytes_FromSize(n);
  if (o === NULL || n === 0) return o;
  const d = o + BYTES_SVAL;
  for (let i = 0; i < n; i++) U8[d + i] = s.charCodeAt(i);
  return o;
}

/** The bytes as a JS string of latin-1 code units (messages, tests). */
export function bytesToLatin1(o: Ptr): string {
  const n = PyBytes_GET_SIZE(o);
  const d = o + BYTES_SVAL;
  let s = '';
  for (let i = 0; i < n; i += 4096) {
    s += String.fromCharCode.apply(null, U8.subarray(d + i, d + Math.min(n, i + 4096)) as unknown as number[]);
  }
  return s;
}

/** ≈ bytes_hash: SipHash-1-3 of the bytes, cached in ob_shash. Returns the low 32 bits, high
 *  half in HASH_HI[0]. */
export function bytes_hash(o: Ptr): number {
  const w = (o + BYTES_SHASH) >> 2;
  let lo = I32[w];
  let hi = I32[w + 1];
  if (lo !== -1 || hi !== -1) {
    HASH_HI[0] = hi;
    return lo;
  }
  lo = _Py_HashBytes(o + BYTES_SVAL, I32[(o + BYTES_SIZE) >> 2]);
  hi = HASH_HI[0];
  I32[w] = lo;
  I32[w + 1] = hi;
  return lo;
}

/** ≈ bytes_dealloc (Py_TYPE(op)->tp_free). */
export function bytes_dealloc(o: Ptr): void {
  if (isStatic(o)) throw new Error('pymem bug: a static bytes object was deallocated');
  const t = I32[(o + OB_TYPE) >> 2];
  if (t === PyBytes_Type) {
    PyObject_Free(o);
    return;
  }
  const free = slotsOf(t).tp_free;
  if (free !== undefined) free(o);
  else PyObject_Free(o);
}

/** ≈ bytes___sizeof__ (33 + len). */
export function bytes_sizeof(o: Ptr): number {
  return PyBytesObject_SIZE + PyBytes_GET_SIZE(o);
}


// =====================================================================================
// Operations and methods (≈ Objects/bytesobject.c, Objects/bytes_methods.c, stringlib).
// Byte classification is ASCII-only (≈ Py_ISSPACE / Py_ISALPHA ... of pyctype.h).
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
function isSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13);
}
function isLower(c: number): boolean {
  return c >= 97 && c <= 122;
}
function isUpper(c: number): boolean {
  return c >= 65 && c <= 90;
}
function isAlpha(c: number): boolean {
  return isLower(c) || isUpper(c);
}
function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** ≈ bytes_result_unchanged: o itself (exact bytes) or an exact copy. New reference. */
function resultUnchanged(o: Ptr): Ptr {
  if (I32[(o + OB_TYPE) >> 2] === PyBytes_Type) {
    I32[o >> 2]++;
    return o;
  }
  return PyBytes_FromStringAndSize(o + BYTES_SVAL, PyBytes_GET_SIZE(o));
}
/** bytes of o[start:end] (singletons for 0 and 1 bytes). New reference. */
function range(o: Ptr, start: number, end: number): Ptr {
  if (end <= start) return bytes_get_empty();
  return PyBytes_FromStringAndSize(o + BYTES_SVAL + start, end - start);
}

// ---- repr ----
/** ≈ PyBytes_Repr(o, smartquotes=1): b'...' (or b"..." when only ' occurs). New str reference. */
export function bytes_repr(o: Ptr): Ptr {
  const n = PyBytes_GET_SIZE(o);
  const d = o + BYTES_SVAL;
  let squote = false;
  let dquote = false;
  for (let i = 0; i < n; i++) {
    if (U8[d + i] === 0x27) squote = true;
    else if (U8[d + i] === 0x22) dquote = true;
  }
  const quote = squote && !dquote ? 0x22 : 0x27;
  let s = 'b' + String.fromCharCode(quote);
  for (let i = 0; i < n; i++) {
    const c = U8[d + i];
    if (c === quote || c === 0x5c) s += '\\' + String.fromCharCode(c);
    else if (c === 9) s += '\\t';
    else if (c === 10) s += '\\n';
    else if (c === 13) s += '\\r';
    else if (c < 0x20 || c >= 0x7f) s += '\\x' + HEXL[c >> 4] + HEXL[c & 15];
    else s += String.fromCharCode(c);
  }
  return PyUnicode_FromString(s + String.fromCharCode(quote));
}
const HEXL = '0123456789abcdef';

// ---- comparison, concatenation, repetition, item access ----
/** ≈ bytes_richcompare: bytes with bytes (memcmp order); NotImplemented otherwise. */
export function bytes_richcompare(a: Ptr, b: Ptr, op: number): Ptr {
  if (!PyBytes_Check(a) || !PyBytes_Check(b)) {
    I32[Py_NotImplemented >> 2]++;
    return Py_NotImplemented;
  }
  const la = PyBytes_GET_SIZE(a);
  const lb = PyBytes_GET_SIZE(b);
  let r: boolean;
  if (op === Py_EQ || op === Py_NE) {
    const eq = a === b || (la === lb && memeq(a + BYTES_SVAL, b + BYTES_SVAL, la));
    r = eq === (op === Py_EQ);
  } else {
    let c = 0;
    const n = la < lb ? la : lb;
    for (let i = 0; i < n; i++) {
      const x = U8[a + BYTES_SVAL + i];
      const y = U8[b + BYTES_SVAL + i];
      if (x !== y) {
        c = x < y ? -1 : 1;
        break;
      }
    }
    if (c === 0) c = la < lb ? -1 : la > lb ? 1 : 0;
    r = op === Py_LT ? c < 0 : op === Py_LE ? c <= 0 : op === Py_GT ? c > 0 : c >= 0;
  }
  return PyBool_FromLong(r ? 1 : 0);
}

/** ≈ bytes_concat (sq_concat): a + b for bytes. New reference. */
export function bytes_concat(a: Ptr, b: Ptr): Ptr {
  if (!PyBytes_Check(a) || !PyBytes_Check(b)) {
    const other = PyBytes_Check(a) ? b : a;
    return typeError(`can't concat ${tpNameOf(other)} to ${tpNameOf(a)}`);
  }
  const la = PyBytes_GET_SIZE(a);
  const lb = PyBytes_GET_SIZE(b);
  if (lb === 0 && PyBytes_CheckExact(a)) return resultUnchanged(a);
  if (la === 0 && PyBytes_CheckExact(b)) return resultUnchanged(b);
  const r = _PyBytes_FromSize(la + lb);
  if (r === NULL) return NULL;
  U8.copyWithin(r + BYTES_SVAL, a + BYTES_SVAL, a + BYTES_SVAL + la);
  U8.copyWithin(r + BYTES_SVAL + la, b + BYTES_SVAL, b + BYTES_SVAL + lb);
  return r;
}

/** ≈ bytes_repeat (sq_repeat). New reference. */
export function bytes_repeat(o: Ptr, n: number): Ptr {
  const len = PyBytes_GET_SIZE(o);
  if (n < 0) n = 0;
  if (n === 1 && PyBytes_CheckExact(o)) return resultUnchanged(o);
  if (len > 0 && n > 9223372036854775807 / len) {
    PyErr_SetString(PyExc_OverflowError, 'repeated bytes are too long');
    return NULL;
  }
  const total = len * n;
  if (total === 0) return bytes_get_empty();
  if (total === 1) return bytes_char(U8[o + BYTES_SVAL]);
  const r = _PyBytes_FromSize(total);
  if (r === NULL) return NULL;
  const dst = r + BYTES_SVAL;
  if (len === 1) U8.fill(U8[o + BYTES_SVAL], dst, dst + total);
  else {
    U8.copyWithin(dst, o + BYTES_SVAL, o + BYTES_SVAL + len);
    let done = len;
    while (done < total) {
      const c = done <= total - done ? done : total - done;
      U8.copyWithin(dst + done, dst, dst + c);
      done += c;
    }
  }
  return r;
}

/** ≈ bytes_item (sq_item): the int at index i. */
export function bytes_item(o: Ptr, i: number): Ptr {
  if (i < 0 || i >= PyBytes_GET_SIZE(o)) {
    PyErr_SetString(PyExc_IndexError, 'index out of range');
    return NULL;
  }
  return PyLong_FromSsize_t(U8[o + BYTES_SVAL + i]);
}

/** ≈ bytes_subscript (mp_subscript): b[int] → int, b[slice] → bytes. */
export function bytes_subscript(o: Ptr, item: Ptr): Ptr {
  if (slotsOfObj(item).nb_index !== undefined) {
    let i = PyNumber_AsSsize_t(item, PyExc_IndexError);
    if (i === -1 && PyErr_Occurred() !== NULL) return NULL;
    if (i < 0) i += PyBytes_GET_SIZE(o);
    return bytes_item(o, i);
  }
  if (I32[(item + OB_TYPE) >> 2] === PySlice_Type) {
    if (PySlice_Unpack(item) < 0) return NULL;
    const len = PyBytes_GET_SIZE(o);
    const n = PySlice_AdjustIndices(len);
    const start = SLICE_RESULT[0];
    const step = SLICE_RESULT[2];
    if (n <= 0) return bytes_get_empty();
    if (start === 0 && step === 1 && n === len && PyBytes_CheckExact(o)) return resultUnchanged(o);
    if (step === 1) return PyBytes_FromStringAndSize(o + BYTES_SVAL + start, n);
    const r = _PyBytes_FromSize(n);
    if (r === NULL) return NULL;
    for (let i = 0, c = start; i < n; i++, c += step) U8[r + BYTES_SVAL + i] = U8[o + BYTES_SVAL + c];
    return r;
  }
  return typeError(`byte indices must be integers or slices, not ${tpNameOf(item)}`);
}

function bytes_length(o: Ptr): number {
  return PyBytes_GET_SIZE(o);
}

/** Argument that is either an int 0..255 or a bytes object (find/count/index/contains).
 *  Sets ARG_BYTE (>= 0) or ARG_BYTES; returns false with an exception set. */
let argByte = -1;
let argBytes: Ptr = NULL;
function byteOrBytes(a: Ptr, strict: boolean): boolean {
  argByte = -1;
  argBytes = NULL;
  if (PyBytes_Check(a)) {
    argBytes = a;
    return true;
  }
  if (slotsOfObj(a).nb_index !== undefined) {
    const v = PyNumber_AsSsize_t(a, NULL);
    if (v === -1 && PyErr_Occurred() !== NULL) return false;
    if (v < 0 || v > 255) {
      PyErr_SetString(PyExc_ValueError, 'byte must be in range(0, 256)');
      return false;
    }
    argByte = v;
    return true;
  }
  PyErr_SetString(PyExc_TypeError, strict
    ? `a bytes-like object is required, not '${tpNameOf(a)}'`
    : `argument should be integer or bytes-like object, not '${tpNameOf(a)}'`);
  return false;
}

/** Index of bytes sub (m bytes at ss) in o[start:end], first (dir > 0) or last; -1 if absent. */
function findBytes(o: Ptr, ss: number, m: number, start: number, end: number, dir: number): number {
  if (end - start < m) return -1;
  if (m === 0) return dir > 0 ? start : end;
  const d = o + BYTES_SVAL;
  const v = U8.subarray(d + start, d + end);
  const first = U8[ss];
  if (dir > 0) {
    let i = 0;
    const last = end - start - m;
    while (i <= last) {
      i = v.indexOf(first, i);
      if (i < 0 || i > last) return -1;
      if (memeq(d + start + i, ss, m)) return start + i;
      i++;
    }
  } else {
    let i = end - start - m;
    while (i >= 0) {
      i = v.lastIndexOf(first, i);
      if (i < 0) return -1;
      if (memeq(d + start + i, ss, m)) return start + i;
      i--;
    }
  }
  return -1;
}

function bytes_contains(o: Ptr, a: Ptr): number {
  if (!byteOrBytes(a, true)) return -1;
  const len = PyBytes_GET_SIZE(o);
  if (argByte >= 0) return U8.subarray(o + BYTES_SVAL, o + BYTES_SVAL + len).indexOf(argByte) >= 0 ? 1 : 0;
  return findBytes(o, argBytes + BYTES_SVAL, PyBytes_GET_SIZE(argBytes), 0, len, 1) >= 0 ? 1 : 0;
}

// find / rfind / index / rindex / count
const ADJ = new Float64Array(2);
function adjust(start: number, end: number, len: number): void {
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
/** Parse (sub, start, end): leaves ADJ adjusted and the sub in argByte/argBytes. */
function parseFind(name: string, o: Ptr, args: number, nargs: number): boolean {
  if (nargs < 1) {
    typeError(`${name}() takes at least 1 argument (${nargs} given)`);
    return false;
  }
  if (nargs > 3) {
    typeError(`${name}() takes at most 3 arguments (${nargs} given)`);
    return false;
  }
  let start = 0;
  let end = 9223372036854775807;
  if (nargs > 1) {
    start = _PyEval_SliceIndex(arg(args, 1), 0);
    if (start !== start) return false;
  }
  if (nargs > 2) {
    end = _PyEval_SliceIndex(arg(args, 2), 9223372036854775807);
    if (end !== end) return false;
  }
  if (!byteOrBytes(arg(args, 0), false)) return false;
  adjust(start, end, PyBytes_GET_SIZE(o));
  return true;
}
function doFind(o: Ptr, dir: number): number {
  const start = ADJ[0];
  const end = ADJ[1];
  if (argByte >= 0) {
    if (end <= start) return -1;
    const v = U8.subarray(o + BYTES_SVAL + start, o + BYTES_SVAL + end);
    const r = dir > 0 ? v.indexOf(argByte) : v.lastIndexOf(argByte);
    return r < 0 ? -1 : start + r;
  }
  return findBytes(o, argBytes + BYTES_SVAL, PyBytes_GET_SIZE(argBytes), start, end, dir);
}
function bytes_find(o: Ptr, args: number, nargs: number): Ptr {
  if (!parseFind('find', o, args, nargs)) return NULL;
  return PyLong_FromSsize_t(doFind(o, 1));
}
function bytes_rfind(o: Ptr, args: number, nargs: number): Ptr {
  if (!parseFind('rfind', o, args, nargs)) return NULL;
  return PyLong_FromSsize_t(doFind(o, -1));
}
function bytes_index(o: Ptr, args: number, nargs: number): Ptr {
  if (!parseFind('index', o, args, nargs)) return NULL;
  const r = doFind(o, 1);
  if (r < 0) {
    PyErr_SetString(PyExc_ValueError, 'subsection not found');
    return NULL;
  }
  return PyLong_FromSsize_t(r);
}
function bytes_rindex(o: Ptr, args: number, nargs: number): Ptr {
  if (!parseFind('rindex', o, args, nargs)) return NULL;
  const r = doFind(o, -1);
  if (r < 0) {
    PyErr_SetString(PyExc_ValueError, 'subsection not found');
    return NULL;
  }
  return PyLong_FromSsize_t(r);
}
function bytes_count(o: Ptr, args: number, nargs: number): Ptr {
  if (!parseFind('count', o, args, nargs)) return NULL;
  const start = ADJ[0];
  const end = ADJ[1];
  let n = 0;
  if (argByte >= 0) {
    for (let i = start; i < end; i++) if (U8[o + BYTES_SVAL + i] === argByte) n++;
    return PyLong_FromSsize_t(n);
  }
  const m = PyBytes_GET_SIZE(argBytes);
  if (end - start < m) return PyLong_FromSsize_t(0);
  if (m === 0) return PyLong_FromSsize_t(end - start + 1);
  let i = start;
  for (;;) {
    i = findBytes(o, argBytes + BYTES_SVAL, m, i, end, 1);
    if (i < 0) break;
    n++;
    i += m;
  }
  return PyLong_FromSsize_t(n);
}

function tailmatch(name: string, o: Ptr, args: number, nargs: number, dir: number): Ptr {
  if (nargs < 1) return typeError(`${name}() takes at least 1 argument (${nargs} given)`);
  if (nargs > 3) return typeError(`${name}() takes at most 3 arguments (${nargs} given)`);
  let start = 0;
  let end = 9223372036854775807;
  if (nargs > 1) {
    start = _PyEval_SliceIndex(arg(args, 1), 0);
    if (start !== start) return NULL;
  }
  if (nargs > 2) {
    end = _PyEval_SliceIndex(arg(args, 2), 9223372036854775807);
    if (end !== end) return NULL;
  }
  const sub = arg(args, 0);
  const one = (s: Ptr): boolean => {
    adjust(start, end, PyBytes_GET_SIZE(o));
    const m = PyBytes_GET_SIZE(s);
    const st = ADJ[0];
    const e = ADJ[1] - m;
    if (e < st) return false;
    if (m === 0) return true;
    return memeq(o + BYTES_SVAL + (dir > 0 ? e : st), s + BYTES_SVAL, m);
  };
  if (PyTuple_Check(sub)) {
    const n = Py_SIZE(sub);
    for (let i = 0; i < n; i++) {
      const s = I32[(sub + 24 + 8 * i) >> 2];
      if (!PyBytes_Check(s)) return typeError(`a bytes-like object is required, not '${tpNameOf(s)}'`);
      if (one(s)) return PyBool_FromLong(1);
    }
    return PyBool_FromLong(0);
  }
  if (!PyBytes_Check(sub)) return typeError(`${name} first arg must be bytes or a tuple of bytes, not ${tpNameOf(sub)}`);
  return PyBool_FromLong(one(sub) ? 1 : 0);
}
function bytes_startswith(o: Ptr, args: number, nargs: number): Ptr {
  return tailmatch('startswith', o, args, nargs, -1);
}
function bytes_endswith(o: Ptr, args: number, nargs: number): Ptr {
  return tailmatch('endswith', o, args, nargs, 1);
}

function needBytes(a: Ptr): boolean {
  if (PyBytes_Check(a)) return true;
  PyErr_SetString(PyExc_TypeError, `a bytes-like object is required, not '${tpNameOf(a)}'`);
  return false;
}

/** bytes.replace(old, new, count=-1) */
function bytes_replace(o: Ptr, args: number, nargs: number): Ptr {
  if (nargs < 2 || nargs > 3) {
    return typeError(nargs < 2 ? `replace expected at least 2 arguments, got ${nargs}` : `replace expected at most 3 arguments, got ${nargs}`);
  }
  const a = arg(args, 0);
  const b = arg(args, 1);
  if (!needBytes(a) || !needBytes(b)) return NULL;
  let count = -1;
  if (nargs > 2) {
    const c = PyNumber_Index(arg(args, 2));
    if (c === NULL) return NULL;
    count = PyLong_AsSsize_t(c);
    Py_DECREF(c);
    if (count === -1 && PyErr_Occurred() !== NULL) return NULL;
  }
  const len = PyBytes_GET_SIZE(o);
  const la = PyBytes_GET_SIZE(a);
  const lb = PyBytes_GET_SIZE(b);
  if (count < 0) count = 9223372036854775807;
  if (count === 0 || len < la || (la === 0 && lb === 0)) return resultUnchanged(o);
  // collect match positions
  const pos: number[] = [];
  if (la === 0) {
    for (let i = 0; i <= len && pos.length < count; i++) pos.push(i);
  } else {
    let i = 0;
    while (pos.length < count) {
      i = findBytes(o, a + BYTES_SVAL, la, i, len, 1);
      if (i < 0) break;
      pos.push(i);
      i += la;
    }
  }
  if (pos.length === 0) return resultUnchanged(o);
  const n = len + pos.length * (lb - la);
  const r = _PyBytes_FromSize(n);
  if (r === NULL || n === 0) return r;
  let w = r + BYTES_SVAL;
  let src = 0;
  const d = o + BYTES_SVAL;
  for (const p of pos) {
    U8.copyWithin(w, d + src, d + p);
    w += p - src;
    U8.copyWithin(w, b + BYTES_SVAL, b + BYTES_SVAL + lb);
    w += lb;
    src = p + la;
    if (la === 0 && p < len) {
      U8[w++] = U8[d + p];
      src = p + 1;
    }
  }
  U8.copyWithin(w, d + src, d + len);
  return r;
}

function stripImpl(name: string, o: Ptr, args: number, nargs: number, left: boolean, right: boolean): Ptr {
  if (nargs > 1) return typeError(`${name} expected at most 1 argument, got ${nargs}`);
  let chars = nargs > 0 ? arg(args, 0) : NULL;
  if (chars === Py_None) chars = NULL;
  if (chars !== NULL && !needBytes(chars)) return NULL;
  const len = PyBytes_GET_SIZE(o);
  const d = o + BYTES_SVAL;
  let i = 0;
  let j = len;
  const cl = chars === NULL ? 0 : PyBytes_GET_SIZE(chars);
  const inSet = (c: number): boolean => {
    if (chars === NULL) return isSpace(c);
    for (let k = 0; k < cl; k++) if (U8[chars + BYTES_SVAL + k] === c) return true;
    return false;
  };
  if (left) while (i < len && inSet(U8[d + i])) i++;
  if (right) while (j > i && inSet(U8[d + j - 1])) j--;
  if (i === 0 && j === len) return resultUnchanged(o);
  return range(o, i, j);
}
function bytes_strip(o: Ptr, args: number, nargs: number): Ptr {
  return stripImpl('strip', o, args, nargs, true, true);
}
function bytes_lstrip(o: Ptr, args: number, nargs: number): Ptr {
  return stripImpl('lstrip', o, args, nargs, true, false);
}
function bytes_rstrip(o: Ptr, args: number, nargs: number): Ptr {
  return stripImpl('rstrip', o, args, nargs, false, true);
}

// ---- split ----
const MAX_PREALLOC = 12;
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
function splitDone(list: Ptr, count: number, ok: boolean): Ptr {
  if (count < MAX_PREALLOC) Py_SET_SIZE(list, count);
  if (!ok) {
    Py_DECREF(list);
    return NULL;
  }
  return list;
}

const SPLIT_KW = ['sep', 'maxsplit'];
function parseSplit(name: string, args: number, nargs: number, kwnames: Ptr): boolean {
  const nkw = kwnames === NULL ? 0 : Py_SIZE(kwnames);
  if (nargs + nkw > 2) {
    typeError(`${name}() takes at most 2 arguments (${nargs + nkw} given)`);
    return false;
  }
  KW[0] = nargs > 0 ? arg(args, 0) : 0;
  KW[1] = nargs > 1 ? arg(args, 1) : 0;
  for (let k = 0; k < nkw; k++) {
    const kn = unicodeToJs(I32[(kwnames + 24 + 8 * k) >> 2]);
    const idx = SPLIT_KW.indexOf(kn);
    if (idx < 0) {
      typeError(`'${kn}' is an invalid keyword argument for ${name}()`);
      return false;
    }
    if (idx < nargs) {
      typeError(`argument for ${name}() given by name ('${kn}') and position (${idx + 1})`);
      return false;
    }
    KW[idx] = arg(args, nargs + k);
  }
  return true;
}
const KW = new Int32Array(2);

function splitMethod(name: string, o: Ptr, args: number, nargs: number, kwnames: Ptr, right: boolean): Ptr {
  if (!parseSplit(name, args, nargs, kwnames)) return NULL;
  let sep = KW[0];
  if (sep === Py_None) sep = NULL;
  if (sep !== NULL && !needBytes(sep)) return NULL;
  let maxcount = -1;
  if (KW[1] !== 0) {
    const c = PyNumber_Index(KW[1]);
    if (c === NULL) return NULL;
    maxcount = PyLong_AsSsize_t(c);
    Py_DECREF(c);
    if (maxcount === -1 && PyErr_Occurred() !== NULL) return NULL;
  }
  if (maxcount < 0) maxcount = 9223372036854775807;
  const len = PyBytes_GET_SIZE(o);
  const d = o + BYTES_SVAL;
  const exact = PyBytes_CheckExact(o);
  if (sep !== NULL) {
    const m = PyBytes_GET_SIZE(sep);
    if (m === 0) {
      PyErr_SetString(PyExc_ValueError, 'empty separator');
      return NULL;
    }
  }
  const list = PyList_New(maxcount >= MAX_PREALLOC ? MAX_PREALLOC : maxcount + 1);
  if (list === NULL) return NULL;
  let count = 0;
  let ok = true;
  if (sep === NULL) {
    if (!right) {
      let i = 0;
      while (maxcount-- > 0) {
        while (i < len && isSpace(U8[d + i])) i++;
        if (i === len) break;
        const j = i;
        i++;
        while (i < len && !isSpace(U8[d + i])) i++;
        if (j === 0 && i === len && exact) {
          I32[o >> 2]++;
          PyList_SET_ITEM(list, 0, o);
          count++;
          break;
        }
        if (!(ok = splitAdd(list, count, range(o, j, i)))) break;
        count++;
      }
      if (ok && i < len) {
        while (i < len && isSpace(U8[d + i])) i++;
        if (i !== len) {
          ok = splitAdd(list, count, range(o, i, len));
          if (ok) count++;
        }
      }
    } else {
      let i = len - 1;
      while (maxcount-- > 0) {
        while (i >= 0 && isSpace(U8[d + i])) i--;
        if (i < 0) break;
        const j = i;
        i--;
        while (i >= 0 && !isSpace(U8[d + i])) i--;
        if (j === len - 1 && i < 0 && exact) {
          I32[o >> 2]++;
          PyList_SET_ITEM(list, 0, o);
          count++;
          break;
        }
        if (!(ok = splitAdd(list, count, range(o, i + 1, j + 1)))) break;
        count++;
      }
      if (ok && i >= 0) {
        while (i >= 0 && isSpace(U8[d + i])) i--;
        if (i >= 0) {
          ok = splitAdd(list, count, range(o, 0, i + 1));
          if (ok) count++;
        }
      }
    }
  } else {
    const m = PyBytes_GET_SIZE(sep);
    const sd = sep + BYTES_SVAL;
    if (!right) {
      let i = 0;
      while (maxcount-- > 0) {
        const p = findBytes(o, sd, m, i, len, 1);
        if (p < 0) break;
        if (!(ok = splitAdd(list, count, range(o, i, p)))) break;
        count++;
        i = p + m;
      }
      if (ok) {
        if (count === 0 && exact) {
          I32[o >> 2]++;
          PyList_SET_ITEM(list, 0, o);
          count++;
        } else {
          ok = splitAdd(list, count, range(o, i, len));
          if (ok) count++;
        }
      }
    } else {
      let j = len;
      while (maxcount-- > 0) {
        const p = findBytes(o, sd, m, 0, j, -1);
        if (p < 0) break;
        if (!(ok = splitAdd(list, count, range(o, p + m, j)))) break;
        count++;
        j = p;
      }
      if (ok) {
        if (count === 0 && exact) {
          I32[o >> 2]++;
          PyList_SET_ITEM(list, 0, o);
          count++;
        } else {
          ok = splitAdd(list, count, range(o, 0, j));
          if (ok) count++;
        }
      }
    }
  }
  const r = splitDone(list, count, ok);
  if (r !== NULL && right) {
    const items = I32[(r + 24) >> 2] >> 2;
    const n = Py_SIZE(r);
    for (let i = 0, j = n - 1; i < j; i++, j--) {
      const t = I32[items + 2 * i];
      I32[items + 2 * i] = I32[items + 2 * j];
      I32[items + 2 * j] = t;
    }
  }
  return r;
}
function bytes_split(o: Ptr, args: number, nargs: number, kwnames: Ptr): Ptr {
  return splitMethod('split', o, args, nargs, kwnames, false);
}
function bytes_rsplit(o: Ptr, args: number, nargs: number, kwnames: Ptr): Ptr {
  return splitMethod('rsplit', o, args, nargs, kwnames, true);
}

/** bytes.join(iterable_of_bytes) */
function bytes_join(sep: Ptr, iterable: Ptr): Ptr {
  let seq: Ptr;
  if (PyList_Check(iterable) || PyTuple_Check(iterable)) {
    I32[iterable >> 2]++;
    seq = iterable;
  } else {
    const it = PyObject_GetIter(iterable);
    if (it === NULL) {
      if (PyErr_ExceptionMatches(PyExc_TypeError)) PyErr_SetString(PyExc_TypeError, 'can only join an iterable');
      return NULL;
    }
    seq = PyList_New(0);
    if (seq === NULL) {
      Py_DECREF(it);
      return NULL;
    }
    for (let x = PyIter_Next(it); x !== NULL; x = PyIter_Next(it)) {
      const r = PyList_Append(seq, x);
      Py_DECREF(x);
      if (r < 0) break;
    }
    Py_DECREF(it);
    if (PyErr_Occurred() !== NULL) {
      Py_DECREF(seq);
      return NULL;
    }
  }
  const n = Py_SIZE(seq);
  const items = PyList_Check(seq) ? I32[(seq + 24) >> 2] : seq + 24;
  if (n === 1) {
    const it0 = I32[items >> 2];
    if (PyBytes_CheckExact(it0)) {
      I32[it0 >> 2]++;
      Py_DECREF(seq);
      return it0;
    }
  }
  const seplen = PyBytes_GET_SIZE(sep);
  let sz = 0;
  for (let i = 0; i < n; i++) {
    const x = I32[(items + 8 * i) >> 2];
    if (!PyBytes_Check(x)) {
      Py_DECREF(seq);
      return typeError(`sequence item ${i}: expected a bytes-like object, ${tpNameOf(x)} found`);
    }
    sz += PyBytes_GET_SIZE(x) + (i > 0 ? seplen : 0);
  }
  const r = _PyBytes_FromSize(sz);
  if (r !== NULL && sz > 0) {
    let w = r + BYTES_SVAL;
    for (let i = 0; i < n; i++) {
      if (i > 0 && seplen > 0) {
        U8.copyWithin(w, sep + BYTES_SVAL, sep + BYTES_SVAL + seplen);
        w += seplen;
      }
      const x = I32[(items + 8 * i) >> 2];
      const l = PyBytes_GET_SIZE(x);
      U8.copyWithin(w, x + BYTES_SVAL, x + BYTES_SVAL + l);
      w += l;
    }
  }
  Py_DECREF(seq);
  return r;
}

// ---- case, predicates ----
function mapBytes(o: Ptr, f: (c: number, i: number, prev: number) => number): Ptr {
  const n = PyBytes_GET_SIZE(o);
  const r = _PyBytes_FromSize(n);
  if (r === NULL || n === 0) return r;
  let prev = 0;
  for (let i = 0; i < n; i++) {
    const c = U8[o + BYTES_SVAL + i];
    U8[r + BYTES_SVAL + i] = f(c, i, prev);
    prev = c;
  }
  return r;
}
const toUpper = (c: number): number => (isLower(c) ? c - 32 : c);
const toLower = (c: number): number => (isUpper(c) ? c + 32 : c);
function bytes_upper(o: Ptr): Ptr { return mapBytes(o, toUpper); }
function bytes_lower(o: Ptr): Ptr { return mapBytes(o, toLower); }
function bytes_swapcase(o: Ptr): Ptr { return mapBytes(o, (c) => (isLower(c) ? c - 32 : isUpper(c) ? c + 32 : c)); }
function bytes_capitalize(o: Ptr): Ptr { return mapBytes(o, (c, i) => (i === 0 ? toUpper(c) : toLower(c))); }
function bytes_title(o: Ptr): Ptr {
  let prevCased = false;
  return mapBytes(o, (c) => {
    const r = prevCased ? toLower(c) : toUpper(c);
    prevCased = isAlpha(c);
    return r;
  });
}
function boolRes(b: boolean): Ptr {
  return PyBool_FromLong(b ? 1 : 0);
}
function allBytes(o: Ptr, f: (c: number) => boolean): boolean {
  const n = PyBytes_GET_SIZE(o);
  if (n === 0) return false;
  for (let i = 0; i < n; i++) if (!f(U8[o + BYTES_SVAL + i])) return false;
  return true;
}
function bytes_isspace(o: Ptr): Ptr { return boolRes(allBytes(o, isSpace)); }
function bytes_isalpha(o: Ptr): Ptr { return boolRes(allBytes(o, isAlpha)); }
function bytes_isdigit(o: Ptr): Ptr { return boolRes(allBytes(o, isDigit)); }
function bytes_isalnum(o: Ptr): Ptr { return boolRes(allBytes(o, (c) => isAlpha(c) || isDigit(c))); }
function bytes_isascii(o: Ptr): Ptr {
  const n = PyBytes_GET_SIZE(o);
  for (let i = 0; i < n; i++) if (U8[o + BYTES_SVAL + i] >= 128) return boolRes(false);
  return boolRes(true);
}
function casedCheck(o: Ptr, upper: boolean): boolean {
  const n = PyBytes_GET_SIZE(o);
  let cased = false;
  for (let i = 0; i < n; i++) {
    const c = U8[o + BYTES_SVAL + i];
    if (upper ? isLower(c) : isUpper(c)) return false;
    if (upper ? isUpper(c) : isLower(c)) cased = true;
  }
  return cased;
}
function bytes_islower(o: Ptr): Ptr { return boolRes(casedCheck(o, false)); }
function bytes_isupper(o: Ptr): Ptr { return boolRes(casedCheck(o, true)); }

function bytes_istitle(o: Ptr): Ptr {
  // ≈ _Py_bytes_istitle: uppercase only after uncased bytes, lowercase only after cased ones
  const n = PyBytes_GET_SIZE(o);
  const d = o + BYTES_SVAL;
  if (n === 1) return boolRes(isUpper(U8[d]));
  let cased = false;
  let prevCased = false;
  for (let i = 0; i < n; i++) {
    const c = U8[d + i];
    if (isUpper(c)) {
      if (prevCased) return boolRes(false);
      prevCased = cased = true;
    } else if (isLower(c)) {
      if (!prevCased) return boolRes(false);
      prevCased = cased = true;
    } else prevCased = false;
  }
  return boolRes(cased);
}

// ---- argument helpers (Argument Clinic's messages) ----
/** ≈ _PyArg_CheckPositional: `name expected at least/most ...`. */
function checkPositional(name: string, nargs: number, min: number, max: number): boolean {
  if (nargs < min) {
    typeError(min === max ? `${name} expected ${min} argument${min === 1 ? '' : 's'}, got ${nargs}`
      : `${name} expected at least ${min} argument${min === 1 ? '' : 's'}, got ${nargs}`);
    return false;
  }
  if (nargs > max) {
    typeError(min === max ? `${name} expected ${max} argument${max === 1 ? '' : 's'}, got ${nargs}`
      : `${name} expected at most ${max} argument${max === 1 ? '' : 's'}, got ${nargs}`);
    return false;
  }
  return true;
}
/** A Py_ssize_t argument through __index__ (NaN with an exception set). */
function ssizeArg(o: Ptr): number {
  const i = PyNumber_Index(o);
  if (i === NULL) return NaN;
  const v = PyLong_AsSsize_t(i);
  Py_DECREF(i);
  return v === -1 && PyErr_Occurred() !== NULL ? NaN : v;
}
/** A C int argument (Argument Clinic `int`): __index__, then the C int range check (NaN with an
 *  exception set). */
function intArg(o: Ptr): number {
  const v = ssizeArg(o);
  if (v !== v) {
    if (PyErr_ExceptionMatches(PyExc_OverflowError)) PyErr_SetString(PyExc_OverflowError, 'Python int too large to convert to C int');
    return NaN;
  }
  if (v > 2147483647 || v < -2147483648) {
    PyErr_SetString(PyExc_OverflowError, 'Python int too large to convert to C int');
    return NaN;
  }
  return v;
}
/** Keyword-capable parsing of up to two parameters `names` (positional or keyword; the first
 *  `posOnly` of them positional-only): values in KW (0 = not given). */
function parseKwArgs(name: string, names: readonly string[], posOnly: number, args: number, nargs: number, kwnames: Ptr): boolean {
  const nkw = kwnames === NULL ? 0 : Py_SIZE(kwnames);
  const max = names.length;
  if (nargs + nkw > max) {
    typeError(`${name}() takes at most ${max} argument${max === 1 ? '' : 's'} (${nargs + nkw} given)`);
    return false;
  }
  if (nargs < posOnly) {
    typeError(`${name}() takes at least ${posOnly} positional argument${posOnly === 1 ? '' : 's'} (${nargs} given)`);
    return false;
  }
  KW[0] = nargs > 0 ? arg(args, 0) : 0;
  KW[1] = nargs > 1 ? arg(args, 1) : 0;
  for (let k = 0; k < nkw; k++) {
    const kn = unicodeToJs(I32[(kwnames + 24 + 8 * k) >> 2]);
    const idx = names.indexOf(kn);
    if (idx < posOnly) {
      typeError(`'${kn}' is an invalid keyword argument for ${name}()`);
      return false;
    }
    if (idx < nargs) {
      typeError(`argument for ${name}() given by name ('${kn}') and position (${idx + 1})`);
      return false;
    }
    KW[idx] = arg(args, nargs + k);
  }
  return true;
}

// ---- padding: center, ljust, rjust, zfill (≈ stringlib/transmogrify.h) ----
/** ≈ pad: `left` and `right` fill bytes around o (o itself, or an exact copy, when both are 0).
 *  New reference. */
function pad(o: Ptr, left: number, right: number, fill: number): Ptr {
  if (left < 0) left = 0;
  if (right < 0) right = 0;
  if (left === 0 && right === 0) return resultUnchanged(o);
  const len = PyBytes_GET_SIZE(o);
  const r = _PyBytes_FromSize(left + len + right);
  if (r === NULL) return NULL;
  const d = r + BYTES_SVAL;
  if (left > 0) U8.fill(fill, d, d + left);
  U8.copyWithin(d + left, o + BYTES_SVAL, o + BYTES_SVAL + len);
  if (right > 0) U8.fill(fill, d + left + len, d + left + len + right);
  return r;
}
/** center/ljust/rjust(width, fillchar=b' ', /): how 0 = center, -1 = ljust, 1 = rjust. */
function justify(name: string, o: Ptr, args: number, nargs: number, how: number): Ptr {
  if (!checkPositional(name, nargs, 1, 2)) return NULL;
  const width = ssizeArg(arg(args, 0));
  if (width !== width) return NULL;
  let fill = 0x20;
  if (nargs > 1) {
    const f = arg(args, 1);
    if (!PyBytes_Check(f) || PyBytes_GET_SIZE(f) !== 1) {
      return typeError(`${name}() argument 2 must be a byte string of length 1, not ${tpNameOf(f)}`);
    }
    fill = U8[f + BYTES_SVAL];
  }
  const len = PyBytes_GET_SIZE(o);
  if (len >= width) return resultUnchanged(o);
  if (how < 0) return pad(o, 0, width - len, fill);
  if (how > 0) return pad(o, width - len, 0, fill);
  const marg = width - len;
  const left = Math.floor(marg / 2) + (marg & width & 1);
  return pad(o, left, marg - left, fill);
}
function bytes_center(o: Ptr, args: number, nargs: number): Ptr {
  return justify('center', o, args, nargs, 0);
}
function bytes_ljust(o: Ptr, args: number, nargs: number): Ptr {
  return justify('ljust', o, args, nargs, -1);
}
function bytes_rjust(o: Ptr, args: number, nargs: number): Ptr {
  return justify('rjust', o, args, nargs, 1);
}
/** bytes.zfill(width, /): zeros on the left, after a leading sign. */
function bytes_zfill(o: Ptr, w: Ptr): Ptr {
  const width = ssizeArg(w);
  if (width !== width) return NULL;
  const len = PyBytes_GET_SIZE(o);
  if (len >= width) return resultUnchanged(o);
  const fill = width - len;
  const r = pad(o, fill, 0, 0x30);
  if (r === NULL) return NULL;
  const d = r + BYTES_SVAL;
  const c = U8[d + fill];
  if (c === 0x2b || c === 0x2d) {
    U8[d] = c;
    U8[d + fill] = 0x30;
  }
  return r;
}

/** bytes.expandtabs(tabsize=8): tabs to spaces up to the next multiple of tabsize; columns
 *  restart after \n and \r. Always a new object (≈ stringlib_expandtabs). */
const EXPANDTABS_KW = ['tabsize'] as const;
function bytes_expandtabs(o: Ptr, args: number, nargs: number, kwnames: Ptr): Ptr {
  if (!parseKwArgs('expandtabs', EXPANDTABS_KW, 0, args, nargs, kwnames)) return NULL;
  let tabsize = 8;
  if (KW[0] !== 0) {
    tabsize = intArg(KW[0]);
    if (tabsize !== tabsize) return NULL;
  }
  const len = PyBytes_GET_SIZE(o);
  const d = o + BYTES_SVAL;
  let total = 0;
  let col = 0;
  for (let i = 0; i < len; i++) {
    const c = U8[d + i];
    if (c === 9) {
      if (tabsize > 0) col += tabsize - (col % tabsize);
    } else {
      col++;
      if (c === 10 || c === 13) {
        total += col;
        col = 0;
      }
    }
  }
  total += col;
  const r = _PyBytes_FromSize(total);
  if (r === NULL || total === 0) return r;
  let w = r + BYTES_SVAL;
  col = 0;
  for (let i = 0; i < len; i++) {
    const c = U8[d + i];
    if (c === 9) {
      if (tabsize > 0) {
        const incr = tabsize - (col % tabsize);
        col += incr;
        U8.fill(0x20, w, w + incr);
        w += incr;
      }
    } else {
      col++;
      U8[w++] = c;
      if (c === 10 || c === 13) col = 0;
    }
  }
  return r;
}

// ---- partition, rpartition, splitlines (≈ stringlib/partition.h, split.h) ----
/** bytes.partition(sep, /) (dir 1) and rpartition (dir -1): (head, sep, tail); the separator
 *  object itself is the middle item; not found gives (self, b'', b'') / (b'', b'', self). */
function partitionImpl(o: Ptr, sep: Ptr, dir: number): Ptr {
  if (!needBytes(sep)) return NULL;
  const m = PyBytes_GET_SIZE(sep);
  if (m === 0) {
    PyErr_SetString(PyExc_ValueError, 'empty separator');
    return NULL;
  }
  const out = PyTuple_New(3);
  if (out === NULL) return NULL;
  const len = PyBytes_GET_SIZE(o);
  const pos = findBytes(o, sep + BYTES_SVAL, m, 0, len, dir);
  if (pos < 0) {
    I32[o >> 2]++;
    PyTuple_SET_ITEM(out, dir > 0 ? 0 : 2, o);
    PyTuple_SET_ITEM(out, 1, bytes_get_empty());
    PyTuple_SET_ITEM(out, dir > 0 ? 2 : 0, bytes_get_empty());
    return out;
  }
  const head = PyBytes_FromStringAndSize(o + BYTES_SVAL, pos);
  if (head === NULL) {
    Py_DECREF(out);
    return NULL;
  }
  PyTuple_SET_ITEM(out, 0, head);
  I32[sep >> 2]++;
  PyTuple_SET_ITEM(out, 1, sep);
  const tail = PyBytes_FromStringAndSize(o + BYTES_SVAL + pos + m, len - pos - m);
  if (tail === NULL) {
    Py_DECREF(out);
    return NULL;
  }
  PyTuple_SET_ITEM(out, 2, tail);
  return out;
}
function bytes_partition(o: Ptr, sep: Ptr): Ptr {
  return partitionImpl(o, sep, 1);
}
function bytes_rpartition(o: Ptr, sep: Ptr): Ptr {
  return partitionImpl(o, sep, -1);
}

/** bytes.splitlines(keepends=False): split at \n, \r and \r\n; the list grows by appends; an
 *  exact bytes without a line break is its own only item. */
const SPLITLINES_KW = ['keepends'] as const;
function bytes_splitlines(o: Ptr, args: number, nargs: number, kwnames: Ptr): Ptr {
  if (!parseKwArgs('splitlines', SPLITLINES_KW, 0, args, nargs, kwnames)) return NULL;
  let keepends = false;
  if (KW[0] !== 0) {
    const k = intArg(KW[0]);
    if (k !== k) return NULL;
    keepends = k !== 0;
  }
  const list = PyList_New(0);
  if (list === NULL) return NULL;
  const len = PyBytes_GET_SIZE(o);
  const d = o + BYTES_SVAL;
  let i = 0;
  let j = 0;
  while (i < len) {
    while (i < len && U8[d + i] !== 10 && U8[d + i] !== 13) i++;
    let eol = i;
    if (i < len) {
      i += U8[d + i] === 13 && i + 1 < len && U8[d + i + 1] === 10 ? 2 : 1;
      if (keepends) eol = i;
    }
    if (j === 0 && eol === len && PyBytes_CheckExact(o)) {
      if (PyList_Append(list, o) < 0) {
        Py_DECREF(list);
        return NULL;
      }
      break;
    }
    const sub = PyBytes_FromStringAndSize(d + j, eol - j);
    const rc = sub === NULL ? -1 : PyList_Append(list, sub);
    if (sub !== NULL) Py_DECREF(sub);
    if (rc < 0) {
      Py_DECREF(list);
      return NULL;
    }
    j = i;
  }
  return list;
}

// ---- removeprefix, removesuffix ----
function bytes_removeprefix(o: Ptr, p: Ptr): Ptr {
  if (!needBytes(p)) return NULL;
  const len = PyBytes_GET_SIZE(o);
  const m = PyBytes_GET_SIZE(p);
  if (len >= m && m > 0 && memeq(o + BYTES_SVAL, p + BYTES_SVAL, m)) {
    return PyBytes_FromStringAndSize(o + BYTES_SVAL + m, len - m);
  }
  return resultUnchanged(o);
}
function bytes_removesuffix(o: Ptr, p: Ptr): Ptr {
  if (!needBytes(p)) return NULL;
  const len = PyBytes_GET_SIZE(o);
  const m = PyBytes_GET_SIZE(p);
  if (len >= m && m > 0 && memeq(o + BYTES_SVAL + len - m, p + BYTES_SVAL, m)) {
    return PyBytes_FromStringAndSize(o + BYTES_SVAL, len - m);
  }
  return resultUnchanged(o);
}

// ---- translate, maketrans ----
/** bytes.translate(table, /, delete=b''): each byte through the 256-byte table (None = identity),
 *  the bytes of `delete` dropped; o itself (exact bytes) when nothing changed. */
const TRANSLATE_KW = ['table', 'delete'] as const;
const transTable = new Int16Array(256);
function bytes_translate(o: Ptr, args: number, nargs: number, kwnames: Ptr): Ptr {
  if (!parseKwArgs('translate', TRANSLATE_KW, 1, args, nargs, kwnames)) return NULL;
  const table = KW[0];
  const del = KW[1];
  if (table !== Py_None && !needBytes(table)) return NULL;
  if (table !== Py_None && PyBytes_GET_SIZE(table) !== 256) {
    PyErr_SetString(PyExc_ValueError, 'translation table must be 256 characters long');
    return NULL;
  }
  if (del !== 0 && !needBytes(del)) return NULL;
  const dellen = del === 0 ? 0 : PyBytes_GET_SIZE(del);
  const len = PyBytes_GET_SIZE(o);
  const d = o + BYTES_SVAL;
  for (let c = 0; c < 256; c++) transTable[c] = table === Py_None ? c : U8[table + BYTES_SVAL + c];
  for (let k = 0; k < dellen; k++) transTable[U8[del + BYTES_SVAL + k]] = -1;
  let outLen = 0;
  let changed = false;
  for (let i = 0; i < len; i++) {
    const c = U8[d + i];
    const t = transTable[c];
    if (t >= 0) outLen++;
    if (t !== c) changed = true;
  }
  if (!changed && PyBytes_CheckExact(o)) {
    I32[o >> 2]++;
    return o;
  }
  const r = _PyBytes_FromSize(outLen);
  if (r === NULL || outLen === 0) return r;
  let w = r + BYTES_SVAL;
  for (let i = 0; i < len; i++) {
    const t = transTable[U8[d + i]];
    if (t >= 0) U8[w++] = t;
  }
  return r;
}
/** bytes.maketrans(frm, to, /) — a static method: the identity table with frm[i] → to[i]. */
function bytes_maketrans(_self: Ptr, args: number, nargs: number): Ptr {
  if (!checkPositional('maketrans', nargs, 2, 2)) return NULL;
  const frm = arg(args, 0);
  const to = arg(args, 1);
  if (!needBytes(frm) || !needBytes(to)) return NULL;
  const n = PyBytes_GET_SIZE(frm);
  if (n !== PyBytes_GET_SIZE(to)) {
    PyErr_SetString(PyExc_ValueError, 'maketrans arguments must have same length');
    return NULL;
  }
  const r = _PyBytes_FromSize(256);
  if (r === NULL) return NULL;
  const d = r + BYTES_SVAL;
  for (let c = 0; c < 256; c++) U8[d + c] = c;
  for (let i = 0; i < n; i++) U8[d + U8[frm + BYTES_SVAL + i]] = U8[to + BYTES_SVAL + i];
  return r;
}

// ---- %-formatting, __bytes__ ----
let bytesName: Ptr = NULL;
onHeapReset(() => {
  bytesName = NULL;
});
/** ≈ _PyObject_LookupSpecial(o, '__bytes__'): the bound method (new reference), or NULL with no
 *  exception when the type has none (NULL with one if binding failed). */
function lookupBytesMethod(o: Ptr): Ptr {
  if (bytesName === NULL) bytesName = _PyUnicode_InternStatic('__bytes__');
  const t = I32[(o + OB_TYPE) >> 2];
  const d = _PyType_Lookup(t, bytesName);
  if (d === NULL) return NULL;
  const get = slotsOfObj(d).tp_descr_get;
  I32[d >> 2]++;
  if (get === undefined) return d;
  const r = get(d, o, t);
  Py_DECREF(d);
  return r;
}
/** o.__bytes__() checked to be bytes (≈ the __bytes__ step of bytes_new_impl and format_obj);
 *  `meth` is the bound method, consumed. New reference or NULL. */
function callBytesMethod(meth: Ptr): Ptr {
  const r = PyObject_CallNoArgs(meth);
  Py_DECREF(meth);
  if (r === NULL) return NULL;
  if (!PyBytes_Check(r)) {
    PyErr_SetString(PyExc_TypeError, `__bytes__ returned non-bytes (type ${tpNameOf(r)})`);
    Py_DECREF(r);
    return NULL;
  }
  return r;
}
/** ≈ format_obj: the bytes that %s / %b print for v — v itself when it is bytes, else
 *  v.__bytes__(). New reference, or NULL with TypeError. */
export function formatObjBytes(v: Ptr): Ptr {
  if (PyBytes_Check(v)) {
    I32[v >> 2]++;
    return v;
  }
  const meth = lookupBytesMethod(v);
  if (meth !== NULL) return callBytesMethod(meth);
  if (PyErr_Occurred() !== NULL) return NULL;
  return typeError(`%b requires a bytes-like object, or an object that implements __bytes__, not '${tpNameOf(v)}'`);
}
/** ≈ _PyBytes_FormatEx: `format % args` for a bytes format. New reference or NULL. */
export function _PyBytes_FormatEx(format: Ptr, args: Ptr): Ptr {
  const n = PyBytes_GET_SIZE(format);
  const fmt = Array.from(U8.subarray(format + BYTES_SVAL, format + BYTES_SVAL + n));
  const s = percentFormat(fmt, args, true);
  return s === null ? NULL : PyBytes_FromLatin1(s);
}
/** ≈ bytes_mod (nb_remainder): NotImplemented unless the left operand is bytes. */
function bytes_mod(a: Ptr, b: Ptr): Ptr {
  if (!PyBytes_Check(a)) {
    I32[Py_NotImplemented >> 2]++;
    return Py_NotImplemented;
  }
  return _PyBytes_FormatEx(a, b);
}
/** bytes.__bytes__(): o itself (exact bytes) or an exact copy. */
function bytes___bytes__(o: Ptr): Ptr {
  return resultUnchanged(o);
}

// ---- decode, hex, fromhex ----
const DECODE_KW = ['encoding', 'errors'];
function bytes_decode(o: Ptr, args: number, nargs: number, kwnames: Ptr): Ptr {
  const nkw = kwnames === NULL ? 0 : Py_SIZE(kwnames);
  if (nargs + nkw > 2) return typeError(`decode() takes at most 2 arguments (${nargs + nkw} given)`);
  KW[0] = nargs > 0 ? arg(args, 0) : 0;
  KW[1] = nargs > 1 ? arg(args, 1) : 0;
  for (let k = 0; k < nkw; k++) {
    const kn = unicodeToJs(I32[(kwnames + 24 + 8 * k) >> 2]);
    const idx = DECODE_KW.indexOf(kn);
    if (idx < 0) return typeError(`'${kn}' is an invalid keyword argument for decode()`);
    if (idx < nargs) return typeError(`argument for decode() given by name ('${kn}') and position (${idx + 1})`);
    KW[idx] = arg(args, nargs + k);
  }
  if (KW[0] !== 0 && !PyUnicode_Check(KW[0])) return typeError(`decode() argument 'encoding' must be str, not ${tpNameOf(KW[0])}`);
  if (KW[1] !== 0 && !PyUnicode_Check(KW[1])) return typeError(`decode() argument 'errors' must be str, not ${tpNameOf(KW[1])}`);
  return PyUnicode_Decode(o + BYTES_SVAL, PyBytes_GET_SIZE(o), KW[0] !== 0 ? unicodeToJs(KW[0]) : 'utf-8',
    KW[1] !== 0 ? unicodeToJs(KW[1]) : 'strict');
}

/** bytes.hex([sep[, bytes_per_sep]]) */
function bytes_hex(o: Ptr, args: number, nargs: number): Ptr {
  if (nargs > 2) return typeError(`hex() takes at most 2 arguments (${nargs} given)`);
  const n = PyBytes_GET_SIZE(o);
  let sep = '';
  let per = 1;
  if (nargs > 0) {
    const s = arg(args, 0);
    if (PyUnicode_Check(s)) sep = unicodeToJs(s);
    else if (PyBytes_Check(s)) sep = bytesToLatin1(s);
    else return typeError(`sep must be str or bytes.`);
    if (sep.length !== 1) {
      PyErr_SetString(PyExc_ValueError, 'sep must be length 1.');
      return NULL;
    }
    if (nargs > 1) {
      const p = PyNumber_Index(arg(args, 1));
      if (p === NULL) return NULL;
      per = PyLong_AsSsize_t(p);
      Py_DECREF(p);
      if (per === -1 && PyErr_Occurred() !== NULL) return NULL;
    }
  }
  let s = '';
  const abs = per < 0 ? -per : per;
  for (let i = 0; i < n; i++) {
    if (sep !== '' && abs > 0 && i > 0) {
      // groups are counted from the right for a positive bytes_per_sep, from the left otherwise
      const boundary = per > 0 ? (n - i) % abs === 0 : i % abs === 0;
      if (boundary) s += sep;
    }
    const c = U8[o + BYTES_SVAL + i];
    s += HEXL[c >> 4] + HEXL[c & 15];
  }
  return PyUnicode_FromString(s);
}

/** bytes.fromhex(string) — a class method. */
function bytes_fromhex(_type: Ptr, s: Ptr): Ptr {
  if (!PyUnicode_Check(s)) return typeError(`fromhex() argument must be str, not ${tpNameOf(s)}`);
  const t = unicodeToJs(s);
  const out: number[] = [];
  let i = 0;
  const hexVal = (c: number): number =>
    c >= 48 && c <= 57 ? c - 48 : c >= 97 && c <= 102 ? c - 87 : c >= 65 && c <= 70 ? c - 55 : -1;
  while (i < t.length) {
    const c = t.charCodeAt(i);
    if (c === 32 || (c >= 9 && c <= 13)) {
      i++;
      continue;
    }
    const hi = hexVal(c);
    if (hi < 0) {
      PyErr_SetString(PyExc_ValueError, `non-hexadecimal number found in fromhex() arg at position ${i}`);
      return NULL;
    }
    const lo = i + 1 < t.length ? hexVal(t.charCodeAt(i + 1)) : -1;
    if (lo < 0) {
      PyErr_SetString(PyExc_ValueError, `non-hexadecimal number found in fromhex() arg at position ${i + 1}`);
      return NULL;
    }
    out.push(hi * 16 + lo);
    i += 2;
  }
  return PyBytes_FromJsBytes(out);
}

function bytes_getnewargs(o: Ptr): Ptr {
  const c = PyBytes_FromStringAndSize(o + BYTES_SVAL, PyBytes_GET_SIZE(o));
  if (c === NULL) return NULL;
  const t = PyTuple_Pack(1, c);
  Py_DECREF(c);
  return t;
}
function bytes_sizeof_method(o: Ptr): Ptr {
  return PyLong_FromSsize_t(bytes_sizeof(o));
}

// ---- iteration ----
//   bytesiterobject (GC; getsizeof 48): 16 it_index, 24 it_seq (NULL when exhausted)
const BITER_INDEX = 16;
const BITER_SEQ = 24;
function bytes_iter(seq: Ptr): Ptr {
  const it = PyObject_GC_New(PyBytesIter_Type);
  if (it === NULL) return PyErr_NoMemory();
  I32[(it + BITER_INDEX) >> 2] = 0;
  I32[(it + BITER_INDEX + 4) >> 2] = 0;
  I32[seq >> 2]++;
  I32[(it + BITER_SEQ) >> 2] = seq;
  I32[(it + BITER_SEQ + 4) >> 2] = 0;
  PyObject_GC_Track(it);
  return it;
}
function bytesiter_dealloc(it: Ptr): void {
  PyObject_GC_UnTrack(it);
  Py_XDECREF(I32[(it + BITER_SEQ) >> 2]);
  PyObject_GC_Del(it);
}
function bytesiter_traverse(it: Ptr, visit: visitproc, a: number): number {
  const seq = I32[(it + BITER_SEQ) >> 2];
  return seq !== NULL ? visit(seq, a) : 0;
}
function bytesiter_next(it: Ptr): Ptr {
  const seq = I32[(it + BITER_SEQ) >> 2];
  if (seq === NULL) return NULL;
  const i = I32[(it + BITER_INDEX) >> 2];
  if (i < PyBytes_GET_SIZE(seq)) {
    I32[(it + BITER_INDEX) >> 2] = i + 1;
    return PyLong_FromSsize_t(U8[seq + BYTES_SVAL + i]);
  }
  I32[(it + BITER_SEQ) >> 2] = 0;
  Py_DECREF(seq);
  return NULL;
}
function bytesiter_len(it: Ptr): Ptr {
  const seq = I32[(it + BITER_SEQ) >> 2];
  return PyLong_FromSsize_t(seq === NULL ? 0 : PyBytes_GET_SIZE(seq) - I32[(it + BITER_INDEX) >> 2]);
}
function bytesiter_self(it: Ptr): Ptr {
  I32[it >> 2]++;
  return it;
}
export const PyBytesIter_Type: Ptr = newStaticType({
  name: 'bytes_iterator',
  basicsize: 32,
  flags: Py_TPFLAGS_HAVE_GC,
  slots: {
    tp_dealloc: bytesiter_dealloc,
    tp_traverse: bytesiter_traverse,
    tp_iter: bytesiter_self,
    tp_iternext: bytesiter_next,
    methods: [{ name: '__length_hint__', flags: METH_NOARGS, fn: bytesiter_len as MethodDef['fn'], doc: 'Private method returning an estimate of len(list(it)).' }],
  },
});

// ---- construction: bytes(), bytes(int), bytes(iterable), bytes(str, encoding[, errors]) ----
const BYTES_NEW_KW = ['source', 'encoding', 'errors'];
/** ≈ bytes_new_impl for the exact type. New reference. */
export function bytes_new_value(x: Ptr, encoding: Ptr, errors: Ptr): Ptr {
  if (x === NULL) {
    if (encoding !== NULL) return typeError('encoding without a string argument');
    if (errors !== NULL) return typeError('errors without a string argument');
    return bytes_get_empty();
  }
  if (encoding !== NULL && !PyUnicode_Check(encoding)) return typeError(`bytes() argument 'encoding' must be str, not ${tpNameOf(encoding)}`);
  if (errors !== NULL && !PyUnicode_Check(errors)) return typeError(`bytes() argument 'errors' must be str, not ${tpNameOf(errors)}`);
  if (PyUnicode_Check(x)) {
    if (encoding === NULL) return typeError('string argument without an encoding');
    return PyUnicode_AsEncodedString(x, unicodeToJs(encoding), errors === NULL ? 'strict' : unicodeToJs(errors));
  }
  if (encoding !== NULL) return typeError('encoding without a string argument');
  if (errors !== NULL) return typeError('errors without a string argument');
  if (PyBytes_CheckExact(x)) {
    I32[x >> 2]++;
    return x;
  }
  // x.__bytes__() first (bytes.__bytes__ copies a subclass instance)
  const meth = lookupBytesMethod(x);
  if (meth !== NULL) return callBytesMethod(meth);
  if (PyErr_Occurred() !== NULL) return NULL;
  if (slotsOfObj(x).nb_index !== undefined) {
    const n = PyNumber_AsSsize_t(x, PyExc_OverflowError);
    if (n === -1 && PyErr_Occurred() !== NULL) return NULL;
    if (n < 0) {
      PyErr_SetString(PyExc_ValueError, 'negative count');
      return NULL;
    }
    const r = _PyBytes_FromSize(n);
    if (r !== NULL && n > 0) U8.fill(0, r + BYTES_SVAL, r + BYTES_SVAL + n);
    return r;
  }
  const it = PyObject_GetIter(x);
  if (it === NULL) {
    if (PyErr_ExceptionMatches(PyExc_TypeError)) {
      PyErr_SetString(PyExc_TypeError, `cannot convert '${tpNameOf(x)}' object to bytes`);
    }
    return NULL;
  }
  const out: number[] = [];
  for (let v = PyIter_Next(it); v !== NULL; v = PyIter_Next(it)) {
    const idx = PyNumber_Index(v);
    Py_DECREF(v);
    if (idx === NULL) {
      Py_DECREF(it);
      return NULL;
    }
    const b = PyLong_AsSsize_t(idx);
    Py_DECREF(idx);
    if (b === -1 && PyErr_Occurred() !== NULL) {
      Py_DECREF(it);
      return NULL;
    }
    if (b < 0 || b > 255) {
      Py_DECREF(it);
      PyErr_SetString(PyExc_ValueError, 'bytes must be in range(0, 256)');
      return NULL;
    }
    out.push(b);
  }
  Py_DECREF(it);
  if (PyErr_Occurred() !== NULL) return NULL;
  return PyBytes_FromJsBytes(out);
}
function bytes_vectorcall(type: Ptr, args: number, nargs: number, kwnames: Ptr): Ptr {
  const nkw = kwnames === NULL ? 0 : Py_SIZE(kwnames);
  if (nargs + nkw > 3) return typeError(`bytes() takes at most 3 arguments (${nargs + nkw} given)`);
  const got = [nargs > 0 ? arg(args, 0) : 0, nargs > 1 ? arg(args, 1) : 0, nargs > 2 ? arg(args, 2) : 0];
  for (let k = 0; k < nkw; k++) {
    const kn = unicodeToJs(I32[(kwnames + 24 + 8 * k) >> 2]);
    const idx = BYTES_NEW_KW.indexOf(kn);
    if (idx < 0) return typeError(`'${kn}' is an invalid keyword argument for bytes()`);
    if (idx < nargs) return typeError(`argument for bytes() given by name ('${kn}') and position (${idx + 1})`);
    got[idx] = arg(args, nargs + k);
  }
  const v = bytes_new_value(got[0], got[1], got[2]);
  if (v === NULL || type === PyBytes_Type) return v;
  // a subclass instance: same layout, allocated for the subtype
  const n = PyBytes_GET_SIZE(v);
  const r = PyType_GenericAlloc(type, n);
  if (r !== NULL) {
    I32[(r + BYTES_SHASH) >> 2] = -1;
    I32[(r + BYTES_SHASH + 4) >> 2] = -1;
    U8.copyWithin(r + BYTES_SVAL, v + BYTES_SVAL, v + BYTES_SVAL + n + 1);
  }
  Py_DECREF(v);
  return r;
}
function bytes_tp_new(type: Ptr, argsTuple: Ptr, _kwds: Ptr): Ptr {
  return bytes_vectorcall(type, argsTuple + 24, Py_SIZE(argsTuple), NULL);
}

function bytesMethodTable(): MethodDef[] {
  const F = METH_FASTCALL;
  const FK = METH_FASTCALL | METH_KEYWORDS;
  const N = METH_NOARGS;
  const O = METH_O;
  const m = (name: string, flags: number, fn: unknown): MethodDef => ({ name, flags, fn: fn as MethodDef['fn'] });
  return [
    m('__getnewargs__', N, bytes_getnewargs), m('__bytes__', N, bytes___bytes__), m('capitalize', N, bytes_capitalize),
    m('center', F, bytes_center), m('count', F, bytes_count),
    m('decode', FK, bytes_decode), m('endswith', F, bytes_endswith), m('expandtabs', FK, bytes_expandtabs), m('find', F, bytes_find),
    m('fromhex', O | METH_CLASS, bytes_fromhex), m('hex', F, bytes_hex), m('index', F, bytes_index),
    m('isalnum', N, bytes_isalnum), m('isalpha', N, bytes_isalpha), m('isascii', N, bytes_isascii),
    m('isdigit', N, bytes_isdigit), m('islower', N, bytes_islower), m('isspace', N, bytes_isspace), m('istitle', N, bytes_istitle),
    m('isupper', N, bytes_isupper), m('join', O, bytes_join), m('ljust', F, bytes_ljust), m('lower', N, bytes_lower),
    m('lstrip', F, bytes_lstrip), m('maketrans', F | METH_STATIC, bytes_maketrans), m('partition', O, bytes_partition),
    m('removeprefix', O, bytes_removeprefix), m('removesuffix', O, bytes_removesuffix),
    m('replace', F, bytes_replace), m('rfind', F, bytes_rfind), m('rindex', F, bytes_rindex), m('rjust', F, bytes_rjust),
    m('rpartition', O, bytes_rpartition), m('rsplit', FK, bytes_rsplit),
    m('rstrip', F, bytes_rstrip), m('split', FK, bytes_split), m('splitlines', FK, bytes_splitlines),
    m('startswith', F, bytes_startswith), m('strip', F, bytes_strip),
    m('swapcase', N, bytes_swapcase), m('title', N, bytes_title), m('translate', FK, bytes_translate), m('upper', N, bytes_upper),
    m('zfill', O, bytes_zfill), m('__sizeof__', N, bytes_sizeof_method),
  ];
}
