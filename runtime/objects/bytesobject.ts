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

import { type Ptr, NULL, I32, U8, staticAlloc, isStatic } from '../mem/heap.js';
import { PyObject_Malloc, PyObject_Free } from '../mem/pymem.js';
import { OB_TYPE, STATIC_REFCNT, HASH_HI } from '../object.js';
import { newStaticType, slotsOf, Py_TPFLAGS_BASETYPE, Py_TPFLAGS_BYTES_SUBCLASS, TP_FLAGS } from '../typeobject.js';
import { PyErr_NoMemory } from '../errors.js';
import { _Py_HashBytes } from '../pyhash.js';

// ---- layout ----
export const BYTES_SIZE = 16;
export const BYTES_SHASH = 24;
export const BYTES_SVAL = 32;
export const PyBytesObject_SIZE = 33;

/** `bytes` (≈ PyBytes_Type). More slots and the methods are attached further down. */
export const PyBytes_Type: Ptr = newStaticType({
  name: 'bytes',
  basicsize: PyBytesObject_SIZE,
  itemsize: 1,
  flags: Py_TPFLAGS_BASETYPE | Py_TPFLAGS_BYTES_SUBCLASS,
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

{
  const s = slotsOf(PyBytes_Type);
  s.tp_dealloc = bytes_dealloc;
  s.tp_hash = bytes_hash;
  s.tp_sizeof = bytes_sizeof;
  s.tp_free = PyObject_Free;
}
