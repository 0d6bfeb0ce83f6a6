// The `random` and `_random` modules (≈ Modules/_randommodule.c + Lib/random.py of 3.11.7),
// producing CPython's sequences exactly: same seed → same numbers.
//
// Generator: MT19937 (Matsumoto–Nishimura). 624 words of state; when they are used up the whole
// array is regenerated (each word: the top bit of mt[k] joined with the low 31 bits of mt[k+1],
// shifted right once, xored with mt[k+397] and, when odd, with 0x9908b0df); every output word
// is tempered (>>11, <<7 & 0x9d2c5680, <<15 & 0xefc60000, >>18). init_genrand(s) fills the
// state from one word with the 1812433253 recurrence; init_by_array(key) mixes a key of any
// length in (two passes with 1664525 and 1566083941) and sets mt[0] = 0x80000000.
//
// Seeding (random.seed / Random(x), version 2): an int seeds with the 32-bit words of |x|, least
// significant first ([0] for 0); str/bytes become int.from_bytes(b + sha512(b).digest()) (a str
// is UTF-8 encoded first), then seed as that int; float and other hashables seed with hash(x)
// read as an unsigned 64-bit number; None seeds from the OS (crypto.randomFillSync). Version 1
// hashes str/bytes with CPython 2's string hash.
//
// Draws: random() = (a>>5 · 2^26 + b>>6) / 2^53 from two words. getrandbits(k): one word >> (32−k)
// for k ≤ 32, else ⌈k/32⌉ words least significant first, the last shifted right to keep k bits.
// _randbelow(n) draws getrandbits(n.bit_length()) until the value is < n. randrange, randint,
// choice, shuffle (from the end), sample (pool or set method, 3.11's set-size rule), choices
// (floor(random()·n) or bisect on cumulative weights), uniform and the distributions follow
// Lib/random.py step by step, so they consume the generator exactly as CPython does.
//
// Objects, as in CPython:
//   _random.Random (RandomObject, 2520 bytes, not GC), the generator state in the object:
//      0 ob_refcnt   8 ob_type   16 index (int32)   20 state[624] (uint32)   2516 pad
//   random.Random: a class (heap type) deriving from _random.Random, made with type_new, so its
//      instances are 3.11 instances (GC head, managed dict holding gauss_next, __weakref__ slot:
//      basicsize 2528, getsizeof 2560). Its methods (randint, choice, ...) are method descriptors
//      whose code is here; module functions are bound to the hidden instance `_inst`.
//
// Fast paths: when `self` is an exact random.Random whose class was never modified (checked by
// its type version tag), the methods work on the state in the heap directly with JS numbers (no
// BigInt below 2^53, no per-call JS allocation). Otherwise (a subclass, a modified class) they
// call self.random / self.getrandbits / self._randbelow / self.randrange as Lib/random.py does,
// so overriding subclasses get CPython's results. Where CPython's Python code allocates a GC
// object that lives only during the call (the bound method `self.getrandbits` in _randbelow,
// `self._randbelow` in shuffle, super() in seed...), the fast paths count it in gen0 and uncount
// it (gcTransient*), so automatic collections happen at the same allocation as in CPython.
//
// SystemRandom is a subclass whose random/getrandbits/randbytes read the OS (crypto).
//
// Not reproduced: DeprecationWarning text for non-integer randrange() arguments (pymem has no
// warnings module), pickling (__reduce__), __init_subclass__ (the choice between
// _randbelow_with/without_getrandbits is made along the MRO at call time instead), bytearray
// seeds (no bytearray type yet), _randbelow(n ≤ 0) (CPython loops forever; 0 here), the gen0
// accounting of sample() and choices() (approximate: CPython's ABC check and comprehensions
// allocate more), and the intermediate int objects CPython allocates and frees in randint /
// randrange (only the result is allocated here, so id() reuse after them can differ).

import { createHash, randomFillSync } from 'node:crypto';
import { type Ptr, NULL, I32 as heapI32, U32 as heapU32, U8 as heapU8, F64 as heapF64 } from '../mem/heap.js';
import { PyMem_Malloc, PyMem_Free, PyObject_Free } from '../mem/pymem.js';
import { Py_DECREF, Py_INCREF, Py_XDECREF, Py_TYPE, OB_TYPE, OB_SIZE, HASH_HI } from '../object.js';
import {
  newStaticType, typeName, PyType_Type, PyType_IsSubtype, TP_FLAGS, TP_MRO, TP_DICT, TP_VERSION_TAG,
  Py_TPFLAGS_BASETYPE, Py_TPFLAGS_HEAPTYPE, Py_TPFLAGS_VALID_VERSION_TAG, Py_EQ, Py_NE, Py_LT, Py_LE, Py_GT, Py_GE,
  METH_NOARGS, METH_O, METH_FASTCALL, METH_KEYWORDS, type MethodDef, slotsOf,
} from '../typeobject.js';
import { PyType_GenericAlloc, _PyObject_GC_Link, gcCount as gcCountView } from '../gc.js';
import { PyErr_SetString, PyErr_Occurred, PyErr_ExceptionMatches, PyErr_Clear, PyErr_NoMemory, PyErr_SetObject } from '../errors.js';
import { PyExc_TypeError, PyExc_ValueError, PyExc_IndexError, PyExc_OverflowError, PyExc_ZeroDivisionError, PyExc_NotImplementedError } from '../objects/exceptions.js';
import {
  PyObject_Hash, PyObject_RichCompareBool, PyObject_Size, PyObject_GetItem, PyObject_SetItem,
  PyNumber_Index, PyNumber_Long, PyNumber_Add, PyNumber_Subtract, PyNumber_Multiply, PyNumber_FloorDivide,
  PyNumber_Remainder, PyObject_GetIter, PyIter_Next, PyObject_Str,
} from '../abstract.js';
import { PyObject_CallOneArg, PyObject_CallNoArgs, PyObject_CallArgs } from '../call.js';
import { typeVersionTag, heapTypeAlloc, PyObject_GetAttrString, PyObject_SetAttr } from '../typeready.js';
import {
  PyLong_Type, PyLong_Check, PyLong_FromNumber, PyLong_FromBigInt, PyLong_AsBigInt, smallValue, smallInt,
  _PyLong_New, _PyLong_NumBits, longSize, LONG_DIGITS, PyLong_MASK, longToDecimalJs,
} from '../objects/longobject.js';
import { PyFloat_FromDouble, PyFloat_CheckExact, PyFloat_Check, FLOAT_FVAL } from '../objects/floatobject.js';
import { Py_None } from '../objects/noneobject.js';
import { PyUnicode_Check, PyUnicode_Type, PyUnicode_FromString, PyUnicode_InternFromString, PyUnicode_AsUTF8String, unicodeToJs } from '../objects/unicodeobject.js';
import { PyBytes_Check, PyBytes_Type, PyBytes_GET_SIZE, PyBytes_AS_STRING, _PyBytes_FromSize, bytesToLatin1 } from '../objects/bytesobject.js';
import { PyTuple_Check, PyTuple_New, PyTuple_SET_ITEM, PyTuple_GET_SIZE, PyTuple_GET_ITEM, PyTuple_Type } from '../objects/tupleobject.js';
import { PyList_New, PyList_CheckExact, PyList_GET_SIZE, PyList_GET_ITEM, PyList_ITEMS, PyList_Type, PySequence_List, PyList_Append } from '../objects/listobject.js';
import { PySet_New, PySet_Add, PySet_Contains } from '../objects/setobject.js';
import { PyRange_Type } from '../objects/rangeobject.js';
import { PyDict_New, PyDict_SetItem, PyDict_GetItem } from '../objects/dictobject.js';
import { PyDescr_NewMethod } from '../objects/methodobject.js';
import { PyModule_New, PyModule_AddObjectRef, PyModule_GetDict } from '../objects/moduleobject.js';
import { type_new } from '../objects/typeobject_heap.js';
import { asDouble } from './mathmodule.js';
import { registerBuiltinModule, libDynload, PyImport_ImportModule } from './import.js';
import * as m from './libm.js';

// File-local constants for the heap views: an imported binding is a module-cell load at every
// use, which kept TurboFan from treating the arrays as constants (genrand_uint32 measured
// ~1 µs per call through the imports, ~20 ns through these).
const I32 = heapI32;
const U32 = heapU32;
const U8 = heapU8;
const F64 = heapF64;
const gcCount = gcCountView;

// ---------------------------------------------------------------------------------------------
// layout
// ---------------------------------------------------------------------------------------------
/** offsetof(RandomObject, index): int, the next state word to use (624 = regenerate first) */
export const RANDOM_INDEX = 16;
/** offsetof(RandomObject, state): uint32_t[624] */
export const RANDOM_STATE = 20;
/** sizeof(RandomObject) */
export const RANDOM_BASICSIZE = 2520;
const N = 624;
const M = 397;
const MATRIX_A = 0x9908b0df;
const UPPER_MASK = 0x80000000;
const LOWER_MASK = 0x7fffffff;
const TWO32 = 4294967296;
const TWO53 = 9007199254740992;

// ---------------------------------------------------------------------------------------------
// MT19937 on the state inside the object
// ---------------------------------------------------------------------------------------------

/** Regenerate the 624 words starting at U32 index `mt`. */
function mtRegenerate(mt: number): void {
  let kk = 0;
  let y = 0;
  for (; kk < N - M; kk++) {
    y = (U32[mt + kk] & UPPER_MASK) | (U32[mt + kk + 1] & LOWER_MASK);
    U32[mt + kk] = U32[mt + kk + M] ^ (y >>> 1) ^ (-(y & 1) & MATRIX_A);
  }
  for (; kk < N - 1; kk++) {
    y = (U32[mt + kk] & UPPER_MASK) | (U32[mt + kk + 1] & LOWER_MASK);
    U32[mt + kk] = U32[mt + kk + (M - N)] ^ (y >>> 1) ^ (-(y & 1) & MATRIX_A);
  }
  y = (U32[mt + N - 1] & UPPER_MASK) | (U32[mt] & LOWER_MASK);
  U32[mt + N - 1] = U32[mt + M - 1] ^ (y >>> 1) ^ (-(y & 1) & MATRIX_A);
}

/** ≈ genrand_uint32: the next tempered 32-bit output of generator `o` (as a non-negative number). */
export function genrand_uint32(o: Ptr): number {
  const ix = (o + RANDOM_INDEX) >> 2;
  let i = I32[ix];
  const mt = (o + RANDOM_STATE) >> 2;
  if (i >= N) {
    mtRegenerate(mt);
    i = 0;
  }
  let y = U32[mt + i];
  I32[ix] = i + 1;
  y ^= y >>> 11;
  y ^= (y << 7) & 0x9d2c5680;
  y ^= (y << 15) & 0xefc60000;
  y ^= y >>> 18;
  return y >>> 0;
}

/** ≈ _random_Random_random_impl: a double in [0, 1) from two words. */
export function randomDouble(o: Ptr): number {
  const a = genrand_uint32(o) >>> 5;
  const b = genrand_uint32(o) >>> 6;
  return (a * 67108864.0 + b) * (1.0 / 9007199254740992.0);
}

/** ≈ init_genrand */
function init_genrand(o: Ptr, s: number): void {
  const mt = (o + RANDOM_STATE) >> 2;
  U32[mt] = s;
  for (let i = 1; i < N; i++) {
    const p = U32[mt + i - 1];
    U32[mt + i] = Math.imul(1812433253, p ^ (p >>> 30)) + i;
  }
  I32[(o + RANDOM_INDEX) >> 2] = N;
}

/** ≈ init_by_array: seed from key[0..len). */
function init_by_array(o: Ptr, key: Uint32Array, len: number): void {
  init_genrand(o, 19650218);
  const mt = (o + RANDOM_STATE) >> 2;
  let i = 1;
  let j = 0;
  for (let k = N > len ? N : len; k > 0; k--) {
    const p = U32[mt + i - 1];
    U32[mt + i] = (U32[mt + i] ^ Math.imul(p ^ (p >>> 30), 1664525)) + key[j] + j;
    i++;
    j++;
    if (i >= N) {
      U32[mt] = U32[mt + N - 1];
      i = 1;
    }
    if (j >= len) j = 0;
  }
  for (let k = N - 1; k > 0; k--) {
    const p = U32[mt + i - 1];
    U32[mt + i] = (U32[mt + i] ^ Math.imul(p ^ (p >>> 30), 1566083941)) - i;
    i++;
    if (i >= N) {
      U32[mt] = U32[mt + N - 1];
      i = 1;
    }
  }
  U32[mt] = 0x80000000;
}

/** Scratch for seed keys and multi-word draws (grown on demand; holds no Python value). */
let KEY = new Uint32Array(N);
function keyRoom(n: number): Uint32Array {
  if (KEY.length < n) KEY = new Uint32Array(Math.max(n, KEY.length * 2));
  return KEY;
}

/** The 32-bit words of |o| (an int), least significant first, into KEY; returns the count
 *  (≈ _PyLong_AsByteArray of n into ⌈bits/32⌉ words; 1 word for 0). */
function keyFromLong(o: Ptr): number {
  const s = longSize(o);
  const nd = s < 0 ? -s : s;
  const bits = _PyLong_NumBits(o);
  const nw = bits === 0 ? 1 : ((bits - 1) >>> 5) + 1;
  const key = keyRoom(nw);
  const d = (o + LONG_DIGITS) >> 2;
  for (let w = 0; w < nw; w++) {
    const bit = 32 * w;
    const i = (bit / 30) | 0;
    const off = bit - 30 * i;
    let v = i < nd ? U32[d + i] >>> off : 0;
    if (i + 1 < nd) v |= U32[d + i + 1] << (30 - off);
    if (off > 28 && i + 2 < nd) v |= U32[d + i + 2] << (60 - off);
    key[w] = v >>> 0;
  }
  return nw;
}

/** ≈ random_seed_urandom (init_by_array with 624 words from the OS). */
function seedFromOs(o: Ptr): void {
  const key = keyRoom(N);
  randomFillSync(key.subarray(0, N));
  init_by_array(o, key, N);
}

/** ≈ random_seed (the C seed): None → OS entropy; int → |n|; anything else → hash as unsigned
 *  64-bit. `arg` borrowed (NULL = None). 0, or -1 with an exception. */
function random_seed(o: Ptr, arg: Ptr): number {
  if (arg === NULL || arg === Py_None) {
    seedFromOs(o);
    return 0;
  }
  let nw: number;
  if (PyLong_Check(arg)) {
    // |n|: abs() of an exact int or int.__abs__ of a subclass; the words ignore the sign.
    // CPython's PyMem_Malloc'd key buffer is mirrored so pymalloc sees the same requests.
    nw = keyFromLong(arg);
  } else {
    const lo = PyObject_Hash(arg);
    const hi = HASH_HI[0];
    if (lo === -1 && hi === -1 && PyErr_Occurred() !== NULL) return -1;
    const key = keyRoom(2);
    key[0] = lo >>> 0;
    key[1] = hi >>> 0;
    nw = key[1] !== 0 ? 2 : 1;
  }
  const buf = PyMem_Malloc(4 * nw);
  if (buf === NULL) {
    PyErr_NoMemory();
    return -1;
  }
  init_by_array(o, KEY, nw);
  PyMem_Free(buf);
  return 0;
}

/** Seed from the big-endian bytes b[0..n) (the value int.from_bytes(b) would have). */
function seedFromBigEndianBytes(o: Ptr, b: Uint8Array): void {
  const n = b.length;
  let nw = (n + 3) >>> 2;
  const key = keyRoom(nw === 0 ? 1 : nw);
  for (let w = 0; w < nw; w++) {
    let v = 0;
    for (let q = 3; q >= 0; q--) {
      const at = n - 4 * w - 1 - q;
      v = (v << 8) | (at >= 0 ? b[at] : 0);
    }
    key[w] = v >>> 0;
  }
  while (nw > 1 && key[nw - 1] === 0) nw--;
  if (nw === 0) {
    key[0] = 0;
    nw = 1;
  }
  const buf = PyMem_Malloc(4 * nw);
  if (buf !== NULL) PyMem_Free(buf);
  init_by_array(o, key, nw);
}

// ---------------------------------------------------------------------------------------------
// ints from words, getrandbits, _randbelow
// ---------------------------------------------------------------------------------------------

/** ≈ _PyLong_FromByteArray(words, 4·nw, little endian, unsigned): an int from KEY-like words
 *  (least significant first). The block is sized from the significant bytes as CPython does;
 *  results in −5..256 are the cached objects. New reference or NULL. */
function longFromWords(w: Uint32Array, nw: number): Ptr {
  let top = nw;
  while (top > 0 && w[top - 1] === 0) top--;
  if (top === 0) return PyLong_FromNumber(0);
  if (top === 1) return PyLong_FromNumber(w[0]);
  if (top === 2 && w[1] < 0x200000) return PyLong_FromNumber(w[1] * TWO32 + w[0]);
  const tw = w[top - 1];
  const nsb = 4 * (top - 1) + (tw >= 0x1000000 ? 4 : tw >= 0x10000 ? 3 : tw >= 0x100 ? 2 : 1);
  const ndAlloc = ((nsb * 8 + 29) / 30) | 0;
  const r = _PyLong_New(ndAlloc);
  if (r === NULL) return NULL;
  const d = (r + LONG_DIGITS) >> 2;
  const bits = 32 * top;
  // the block has ndAlloc digits: the digits past it would be zero (writing them overran it)
  const nd = Math.min(Math.ceil(bits / 30), ndAlloc);
  for (let i = 0; i < nd; i++) {
    const bit = 30 * i;
    const wi = bit >>> 5;
    const off = bit & 31;
    let v = wi < top ? w[wi] >>> off : 0;
    if (off > 2 && wi + 1 < top) v |= w[wi + 1] << (32 - off);
    U32[d + i] = v & PyLong_MASK;
  }
  let size = nd < ndAlloc ? nd : ndAlloc;
  while (size > 0 && U32[d + size - 1] === 0) size--;
  I32[(r + OB_SIZE) >> 2] = size;
  I32[(r + OB_SIZE + 4) >> 2] = 0;
  return r;
}

/** Fill KEY with getrandbits(k) words (k ≥ 1); returns the word count. */
function drawWords(o: Ptr, k: number): number {
  const words = ((k - 1) >>> 5) + 1;
  const w = keyRoom(words);
  for (let i = 0; i < words; i++, k -= 32) {
    let r = genrand_uint32(o);
    if (k < 32) r >>>= 32 - k;
    w[i] = r;
  }
  return words;
}

/** ≈ _random_Random_getrandbits_impl for k ≥ 0. New reference or NULL. */
function getrandbitsObj(o: Ptr, k: number): Ptr {
  if (k === 0) return PyLong_FromNumber(0);
  if (k <= 32) return PyLong_FromNumber(genrand_uint32(o) >>> (32 - k));
  const buf = PyMem_Malloc(4 * (((k - 1) >>> 5) + 1));
  if (buf === NULL) return PyErr_NoMemory();
  const nw = drawWords(o, k);
  const r = longFromWords(KEY, nw);
  PyMem_Free(buf);
  return r;
}

/** bit_length of 1 ≤ n < 2^53 */
function bitLength(n: number): number {
  if (n < TWO32) return 32 - Math.clz32(n);
  return 64 - Math.clz32(Math.floor(n / TWO32));
}

/** _randbelow_with_getrandbits(n) for 1 ≤ n < 2^53 on the generator itself: a number. */
export function randbelowNum(o: Ptr, n: number): number {
  const k = bitLength(n);
  if (k <= 32) {
    const sh = 32 - k;
    let r = genrand_uint32(o) >>> sh;
    while (r >= n) r = genrand_uint32(o) >>> sh;
    return r;
  }
  const sh = 64 - k;
  let r = genrand_uint32(o) + (genrand_uint32(o) >>> sh) * TWO32;
  while (r >= n) r = genrand_uint32(o) + (genrand_uint32(o) >>> sh) * TWO32;
  return r;
}

/** _randbelow_with_getrandbits(n) for an int n ≥ 2^53 (BigInt comparisons; the result int is
 *  built like getrandbits builds it). New reference or NULL. */
function randbelowBig(o: Ptr, nObj: Ptr): Ptr {
  const n = PyLong_AsBigInt(nObj);
  const k = _PyLong_NumBits(nObj);
  for (;;) {
    const nw = drawWords(o, k);
    let r = 0n;
    for (let i = nw - 1; i >= 0; i--) r = (r << 32n) | BigInt(KEY[i]);
    if (r < n) return longFromWords(KEY, nw);
  }
}

// ---- the gen0 count of CPython's short-lived GC objects (see the header) ----
function gcTransientLink(): void {
  _PyObject_GC_Link();
}
function gcTransientUnlink(): void {
  if (gcCount[0] > 0) gcCount[0]--;
}
/** a GC object allocated and freed at once (e.g. the bound `self.getrandbits` in _randbelow) */
function gcTransient(): void {
  _PyObject_GC_Link();
  if (gcCount[0] > 0) gcCount[0]--;
}

/** The fast paths' _randbelow(n) for 1 ≤ n < 2^53 (with its transient bound method). */
function fastRandbelow(o: Ptr, n: number): number {
  gcTransient();
  return randbelowNum(o, n);
}

// ---------------------------------------------------------------------------------------------
// which objects take the fast paths
// ---------------------------------------------------------------------------------------------
/** random.Random of the live `random` module, and its version tag when it was made (a type
 *  modified later gets another tag; tags are never reused, so a freed type cannot match). */
let pristineType: Ptr = NULL;
let pristineTag = 0;

/** True when `self` is an exact random.Random whose class is as this module made it. */
function pristine(self: Ptr): boolean {
  const t = I32[(self + OB_TYPE) >> 2];
  return t === pristineType && I32[(t + TP_VERSION_TAG) >> 2] === pristineTag && (I32[(t + TP_FLAGS) >> 2] & Py_TPFLAGS_VALID_VERSION_TAG) !== 0;
}

/** Whether calls on `self` take the fast paths (tests). */
export function randomFastPath(self: Ptr): boolean {
  return pristine(self);
}

// ---------------------------------------------------------------------------------------------
// small helpers
// ---------------------------------------------------------------------------------------------
function setErr(type: Ptr, msg: string): Ptr {
  PyErr_SetString(type, msg);
  return NULL;
}
function newNone(): Ptr {
  Py_INCREF(Py_None);
  return Py_None;
}
/** An exact int's value when |v| ≤ 2^52 (so sums and differences of two stay exact), else NaN. */
function exactIntValue(o: Ptr): number {
  if (I32[(o + OB_TYPE) >> 2] !== PyLong_Type) return NaN;
  const v = smallValue(o);
  return v <= 4503599627370496 && v >= -4503599627370496 ? v : NaN;
}
/** ⌊a / b⌋ for integers (exact while |a|, |b|, |q·b| < 2^53). */
function floorDiv(a: number, b: number): number {
  let q = Math.floor(a / b);
  const r = a - q * b;
  if (b > 0 ? r < 0 : r > 0) q--;
  else if (b > 0 ? r >= b : r <= b) q++;
  return q;
}
/** An int's decimal text (for "%d" in messages). */
function intText(o: Ptr): string {
  return longToDecimalJs(o) ?? '?';
}

let callFailed = false;
/** float(x()) of the result of a call that should return a number: the double, or NaN with
 *  callFailed set on error. `r` is a new reference (consumed). */
function takeDouble(r: Ptr): number {
  callFailed = false;
  if (r === NULL) {
    callFailed = true;
    return NaN;
  }
  const v = PyFloat_CheckExact(r) ? readFloat(r) : asDouble(r);
  Py_DECREF(r);
  if (PyErr_Occurred() !== NULL) {
    callFailed = true;
    return NaN;
  }
  return v;
}
function readFloat(o: Ptr): number {
  return F64[(o + FLOAT_FVAL) >> 3];
}

/** self.random() as a double (NaN + callFailed on error). Pristine: the generator itself. */
function selfRandom(self: Ptr, bound: Ptr): number {
  if (bound === NULL) {
    callFailed = false;
    return randomDouble(self);
  }
  return takeDouble(PyObject_CallNoArgs(bound));
}
/** `self.random` bound once, as Lib/random.py does in loops: NULL for the fast path (counted in
 *  gen0 instead), else a new reference to the bound method; -1 on error. */
function bindRandom(self: Ptr): Ptr {
  if (pristine(self)) {
    gcTransientLink();
    return NULL;
  }
  const b = PyObject_GetAttrString(self, 'random');
  return b === NULL ? -1 : b;
}
function unbind(b: Ptr): void {
  if (b === NULL) gcTransientUnlink();
  else if (b !== -1) Py_DECREF(b);
}

// ---------------------------------------------------------------------------------------------
// Python-style argument binding (the messages of a Python function called with bad arguments)
// ---------------------------------------------------------------------------------------------
interface PySig {
  /** qualified name used in messages: 'Random.randint' */
  qual: string;
  /** parameter names after self: positional-or-keyword first, then keyword-only */
  names: readonly string[];
  /** how many of `names` are positional-or-keyword */
  npos: number;
  /** how many leading parameters are required */
  nreq: number;
}
/** Bound arguments (borrowed; NULL = not given). */
const PA = new Int32Array(8);

function listNames(ns: string[]): string {
  const q = ns.map((n) => `'${n}'`);
  if (q.length === 1) return q[0];
  if (q.length === 2) return `${q[0]} and ${q[1]}`;
  return `${q.slice(0, -1).join(', ')}, and ${q[q.length - 1]}`;
}

/** ≈ the argument binding of a Python function (ceval initialize_locals) for a method called
 *  with `self` already bound: fills PA; false with TypeError as CPython words it. */
function bindPy(sig: PySig, args: number, nargs: number, kwnames: Ptr): boolean {
  const n = sig.names.length;
  for (let i = 0; i < n; i++) PA[i] = NULL;
  const npos = nargs < sig.npos ? nargs : sig.npos;
  for (let i = 0; i < npos; i++) PA[i] = I32[(args + 8 * i) >> 2];
  const nkw = kwnames === NULL ? 0 : PyTuple_GET_SIZE(kwnames);
  for (let k = 0; k < nkw; k++) {
    const key = PyTuple_GET_ITEM(kwnames, k);
    const name = unicodeToJs(key);
    const idx = sig.names.indexOf(name);
    if (idx < 0) {
      setErr(PyExc_TypeError, `${sig.qual}() got an unexpected keyword argument '${name}'`);
      return false;
    }
    if (PA[idx] !== NULL) {
      setErr(PyExc_TypeError, `${sig.qual}() got multiple values for argument '${name}'`);
      return false;
    }
    PA[idx] = I32[(args + 8 * (nargs + k)) >> 2];
  }
  if (nargs > sig.npos) {
    const given = nargs + 1;
    const took = sig.nreq === sig.npos ? `${sig.npos + 1} positional argument${sig.npos === 0 ? '' : 's'}` : `from ${sig.nreq + 1} to ${sig.npos + 1} positional arguments`;
    setErr(PyExc_TypeError, `${sig.qual}() takes ${took} but ${given} ${given === 1 ? 'was' : 'were'} given`);
    return false;
  }
  const missing: string[] = [];
  for (let i = 0; i < sig.nreq; i++) if (PA[i] === NULL) missing.push(sig.names[i]);
  if (missing.length > 0) {
    setErr(PyExc_TypeError, `${sig.qual}() missing ${missing.length} required positional argument${missing.length === 1 ? '' : 's'}: ${listNames(missing)}`);
    return false;
  }
  return true;
}
function sig(qual: string, names: string[], npos: number, nreq: number): PySig {
  return { qual, names, npos, nreq };
}

// ---------------------------------------------------------------------------------------------
// _random.Random (the C type)
// ---------------------------------------------------------------------------------------------

/** _random.Random instances own nothing but their block, released through the object's type's
 *  tp_free (≈ `Py_TYPE(self)->tp_free(self)`): a subclass instance's block starts before the
 *  object (GC head, managed-dict pre-header) and is freed by PyObject_GC_Del. */
function random_dealloc(o: Ptr): void {
  const free = slotsOf(Py_TYPE(o)).tp_free;
  if (free !== undefined) free(o);
  else PyObject_Free(o);
}

/** ≈ PyType_GenericNew: a zeroed instance (index 0, state zeros until seeded). New ref or NULL. */
function random_new(type: Ptr, _args: Ptr, _kwds: Ptr): Ptr {
  if ((I32[(type + TP_FLAGS) >> 2] & Py_TPFLAGS_HEAPTYPE) !== 0 && heapTypeAlloc.alloc !== null) return heapTypeAlloc.alloc(type);
  const o = PyType_GenericAlloc(type, 0);
  return o === NULL ? PyErr_NoMemory() : o;
}

/** ≈ random_init: Random([seed]), no keywords for _random.Random itself. 0 / -1. */
function random_init(self: Ptr, args: Ptr, kwds: Ptr): number {
  if (Py_TYPE(self) === RandomType && kwds !== NULL && dictSize(kwds) > 0) {
    PyErr_SetString(PyExc_TypeError, 'Random() takes no keyword arguments');
    return -1;
  }
  const n = args === NULL ? 0 : PyTuple_GET_SIZE(args);
  if (n > 1) {
    PyErr_SetString(PyExc_TypeError, 'Random() requires 0 or 1 argument');
    return -1;
  }
  return random_seed(self, n === 1 ? PyTuple_GET_ITEM(args, 0) : NULL);
}
function dictSize(d: Ptr): number {
  return I32[(d + 16) >> 2]; // ma_used
}

/** "Random.x() takes no keyword arguments" (the C methods' qualified name). */
function noKw(name: string, kwnames: Ptr): boolean {
  if (kwnames !== NULL && PyTuple_GET_SIZE(kwnames) !== 0) {
    PyErr_SetString(PyExc_TypeError, `Random.${name}() takes no keyword arguments`);
    return false;
  }
  return true;
}

/** random() -> x in the interval [0, 1). New reference. (METH_NOARGS in CPython; FASTCALL here
 *  so the argument errors name `Random.random()` as CPython's do.) */
function m_random(self: Ptr, _args: number, nargs: number, kwnames: Ptr): Ptr {
  if (nargs !== 0 || kwnames !== NULL) {
    if (!noKw('random', kwnames)) return NULL;
    if (nargs !== 0) return setErr(PyExc_TypeError, `Random.random() takes no arguments (${nargs} given)`);
  }
  const a = genrand_uint32(self) >>> 5;
  const b = genrand_uint32(self) >>> 6;
  return PyFloat_FromDouble((a * 67108864.0 + b) * (1.0 / 9007199254740992.0));
}

/** seed([n]) -> None (the C seed). New reference or NULL. */
function m_c_seed(self: Ptr, args: number, nargs: number): Ptr {
  if (nargs > 1) return setErr(PyExc_TypeError, `seed expected at most 1 argument, got ${nargs}`);
  if (random_seed(self, nargs === 1 ? I32[args >> 2] : NULL) < 0) return NULL;
  return newNone();
}

/** getstate() -> tuple of the 624 words and the index (the C getstate). New reference or NULL. */
function c_getstate(self: Ptr): Ptr {
  const t = PyTuple_New(N + 1);
  if (t === NULL) return NULL;
  const mt = (self + RANDOM_STATE) >> 2;
  for (let i = 0; i < N; i++) {
    const e = PyLong_FromNumber(U32[mt + i]);
    if (e === NULL) {
      Py_DECREF(t);
      return NULL;
    }
    PyTuple_SET_ITEM(t, i, e);
  }
  const e = PyLong_FromNumber(I32[(self + RANDOM_INDEX) >> 2]);
  if (e === NULL) {
    Py_DECREF(t);
    return NULL;
  }
  PyTuple_SET_ITEM(t, N, e);
  return t;
}

/** PyLong_AsUnsignedLong for setstate: the value mod 2^32, or -1 with an exception. */
function stateWord(o: Ptr): number {
  if (!PyLong_Check(o)) {
    PyErr_SetString(PyExc_TypeError, 'an integer is required');
    return -1;
  }
  const v = smallValue(o);
  if (v === v) {
    if (v < 0) {
      PyErr_SetString(PyExc_OverflowError, "can't convert negative value to unsigned int");
      return -1;
    }
    return v % TWO32;
  }
  const b = PyLong_AsBigInt(o);
  if (b < 0n) {
    PyErr_SetString(PyExc_OverflowError, "can't convert negative value to unsigned int");
    return -1;
  }
  if (b >= 1n << 64n) {
    PyErr_SetString(PyExc_OverflowError, 'Python int too large to convert to C unsigned long');
    return -1;
  }
  return Number(b & 0xffffffffn);
}

/** setstate's new state, read before the index (whose __index__ may run Python code). */
const STATE_TMP = new Uint32Array(N);

/** setstate(state) -> None (the C setstate). New reference or NULL. */
function c_setstate(self: Ptr, state: Ptr): Ptr {
  if (!PyTuple_Check(state)) return setErr(PyExc_TypeError, 'state vector must be a tuple');
  if (PyTuple_GET_SIZE(state) !== N + 1) return setErr(PyExc_ValueError, 'state vector is the wrong size');
  const tmp = STATE_TMP;
  for (let i = 0; i < N; i++) {
    const w = stateWord(PyTuple_GET_ITEM(state, i));
    if (w === -1 && PyErr_Occurred() !== NULL) return NULL;
    tmp[i] = w;
  }
  const io = PyTuple_GET_ITEM(state, N);
  const idx = PyNumber_Index(io);
  if (idx === NULL) return NULL;
  let index = smallValue(idx);
  Py_DECREF(idx);
  if (index !== index) {
    const b = PyLong_AsBigInt(io);
    if (b > 9223372036854775807n || b < -9223372036854775808n) return setErr(PyExc_OverflowError, 'Python int too large to convert to C long');
    index = -1;
  }
  if (index < 0 || index > N) return setErr(PyExc_ValueError, 'invalid state');
  I32[(self + RANDOM_INDEX) >> 2] = index;
  U32.set(tmp, (self + RANDOM_STATE) >> 2);
  return newNone();
}

/** ≈ the 'i' converter: a C int from an index-able object, or -1 + exception (check PyErr). */
function asCInt(o: Ptr): number {
  const idx = PyNumber_Index(o);
  if (idx === NULL) return -1;
  const v = smallValue(idx);
  Py_DECREF(idx);
  if (v !== v || v > 2147483647 || v < -2147483648) {
    PyErr_SetString(PyExc_OverflowError, 'Python int too large to convert to C int');
    return -1;
  }
  return v;
}

/** getrandbits(k) -> x (the C method, METH_O in CPython). New reference or NULL. */
function m_getrandbits(self: Ptr, args: number, nargs: number, kwnames: Ptr): Ptr {
  if (!noKw('getrandbits', kwnames)) return NULL;
  if (nargs !== 1) return setErr(PyExc_TypeError, `Random.getrandbits() takes exactly one argument (${nargs} given)`);
  const k = asCInt(I32[args >> 2]);
  if (k === -1 && PyErr_Occurred() !== NULL) return NULL;
  if (k < 0) return setErr(PyExc_ValueError, 'number of bits must be non-negative');
  return getrandbitsObj(self, k);
}

const cRandomMethods: MethodDef[] = [
  { name: 'random', flags: METH_FASTCALL | METH_KEYWORDS, fn: m_random, doc: 'random() -> x in the interval [0, 1).' },
  { name: 'seed', flags: METH_FASTCALL, fn: m_c_seed, doc: 'seed([n]) -> None.\n\nDefaults to use urandom and falls back to a combination\nof the current time and the process identifier.' },
  { name: 'getstate', flags: METH_NOARGS, fn: c_getstate, doc: 'getstate() -> tuple containing the current state.' },
  { name: 'setstate', flags: METH_O, fn: c_setstate, doc: 'setstate(state) -> None.  Restores generator state.' },
  { name: 'getrandbits', flags: METH_FASTCALL | METH_KEYWORDS, fn: m_getrandbits, doc: 'getrandbits(k) -> x.  Generates an int with k random bits.' },
];

/** _random.Random (≈ Random_Type_spec; a static type here). */
export const RandomType: Ptr = newStaticType({
  name: '_random.Random',
  basicsize: RANDOM_BASICSIZE,
  flags: Py_TPFLAGS_BASETYPE,
  slots: {
    tp_new: random_new,
    tp_init: random_init,
    tp_dealloc: random_dealloc,
    methods: cRandomMethods,
    doc: 'Random() -> create a random number generator with its own internal state.',
  },
});

/** ≈ PyInit__random. New reference or NULL. */
export function initRandomC(): Ptr {
  const mod = PyModule_New('_random');
  if (mod === NULL) return NULL;
  const doc = PyUnicode_FromString('Module implements the Mersenne Twister random number generator.');
  if (doc === NULL || PyModule_AddObjectRef(mod, '__doc__', doc) < 0 || PyModule_AddObjectRef(mod, 'Random', RandomType) < 0) {
    Py_XDECREF(doc);
    Py_DECREF(mod);
    return NULL;
  }
  Py_DECREF(doc);
  return mod;
}

// ---------------------------------------------------------------------------------------------
// random.Random (Lib/random.py): seeding and state
// ---------------------------------------------------------------------------------------------

function setGaussNext(self: Ptr, v: Ptr): number {
  const name = PyUnicode_InternFromString('gauss_next');
  if (name === NULL) return -1;
  const r = PyObject_SetAttr(self, name, v);
  Py_DECREF(name);
  return r;
}

/** The words of a non-negative BigInt into KEY; returns the count (1 for 0). */
function keyFromBigInt(v: bigint): number {
  let nw = 0;
  const key = keyRoom(Math.max(1, Math.ceil(v.toString(16).length / 8)));
  do {
    key[nw++] = Number(v & 0xffffffffn);
    v >>= 32n;
  } while (v > 0n);
  return nw;
}

/** `super().seed(...)` in Random.seed: measured in CPython 3.11.7 (gc.callbacks with a small
 *  threshold), three GC objects are alive at once around the C seed (the super object, the bound
 *  method, one more), four on the int/float/None path (the isinstance tuple as well): they are
 *  counted in gen0 as CPython counts them (`held` = objects already counted by the caller). */
function superSeed<T>(held: number, f: () => T): T {
  gcTransientLink();
  gcTransientLink();
  gcTransientLink();
  const r = f();
  for (let i = 0; i < 3 + held; i++) gcTransientUnlink();
  return r;
}

const SEED_TYPES_MSG = 'The only supported seed types are: None,\nint, float, str, bytes, and bytearray.';

/** ≈ Random.seed(a=None, version=2) of Lib/random.py. `a`, `version` borrowed (NULL = default).
 *  New reference (None) or NULL. */
function seedImpl(self: Ptr, a: Ptr, version: Ptr): Ptr {
  if (a === NULL) a = Py_None;
  const isStr = PyUnicode_Check(a);
  const isBytes = PyBytes_Check(a);
  let v1 = false;
  let v2 = version === NULL;
  if (version !== NULL) {
    const e1 = PyObject_RichCompareBool(version, smallInt(1), Py_EQ);
    if (e1 < 0) return NULL;
    v1 = e1 === 1 && (isStr || isBytes);
    if (!v1) {
      const e2 = PyObject_RichCompareBool(version, smallInt(2), Py_EQ);
      if (e2 < 0) return NULL;
      v2 = e2 === 1;
    }
  }
  let rc: number;
  if (v1) {
    // CPython 2's str hash of the text (bytes are decoded as latin-1)
    const text = isBytes ? bytesToLatin1(a) : unicodeToJs(a);
    const cps: number[] = [];
    for (const ch of text) cps.push(ch.codePointAt(0)!);
    const MASK = 0xffffffffffffffffn;
    let x = cps.length > 0 ? BigInt(cps[0]) << 7n : 0n;
    for (const c of cps) x = ((1000003n * x) ^ BigInt(c)) & MASK;
    x ^= BigInt(cps.length);
    const nw = keyFromBigInt(x);
    rc = superSeed(0, () => {
      const buf = PyMem_Malloc(4 * nw);
      if (buf !== NULL) PyMem_Free(buf);
      init_by_array(self, KEY, nw);
      return 0;
    });
  } else if (v2 && (isStr || isBytes)) {
    let b = a;
    if (isStr) {
      b = PyUnicode_AsUTF8String(a);
      if (b === NULL) return NULL;
    }
    const n = PyBytes_GET_SIZE(b);
    const data = new Uint8Array(n + 64);
    const at = PyBytes_AS_STRING(b);
    data.set(U8.subarray(at, at + n), 0);
    if (isStr) Py_DECREF(b);
    data.set(createHash('sha512').update(data.subarray(0, n)).digest(), n);
    rc = superSeed(0, () => {
      seedFromBigEndianBytes(self, data);
      return 0;
    });
  } else {
    const t = Py_TYPE(a);
    if (a !== Py_None && !PyLong_Check(a) && !PyFloat_Check(a) && !isStr && !isBytes && !isBytearray(t)) {
      return setErr(PyExc_TypeError, SEED_TYPES_MSG);
    }
    gcTransientLink(); // the tuple of `not isinstance(a, (type(None), int, ...))`
    rc = superSeed(1, () => random_seed(self, a));
  }
  if (rc < 0) return NULL;
  if (setGaussNext(self, Py_None) < 0) return NULL;
  return newNone();
}
function isBytearray(t: Ptr): boolean {
  return typeName(t) === 'bytearray';
}

const SIG_SEED = sig('Random.seed', ['a', 'version'], 2, 0);
function py_seed(self: Ptr, args: number, nargs: number, kwnames: Ptr): Ptr {
  if (!bindPy(SIG_SEED, args, nargs, kwnames)) return NULL;
  return seedImpl(self, PA[0], PA[1]);
}

/** self.seed(x) as __init__ calls it. New reference or NULL. */
function callSeed(self: Ptr, x: Ptr): Ptr {
  if (pristine(self)) return seedImpl(self, x, NULL);
  return PyObject_CallMethodArgs(self, 'seed', x);
}
function PyObject_CallMethodArgs(self: Ptr, name: string, ...args: Ptr[]): Ptr {
  const meth = PyObject_GetAttrString(self, name);
  if (meth === NULL) return NULL;
  const r = PyObject_CallArgs(meth, ...args);
  Py_DECREF(meth);
  return r;
}

const SIG_INIT = sig('Random.__init__', ['x'], 1, 0);
/** Random.__init__(self, x=None): self.seed(x); self.gauss_next = None. */
function py_init(self: Ptr, args: number, nargs: number, kwnames: Ptr): Ptr {
  if (!bindPy(SIG_INIT, args, nargs, kwnames)) return NULL;
  const x = PA[0] === NULL ? Py_None : PA[0];
  const r = callSeed(self, x);
  if (r === NULL) return NULL;
  Py_DECREF(r);
  if (setGaussNext(self, Py_None) < 0) return NULL;
  return newNone();
}

const SIG_GETSTATE = sig('Random.getstate', [], 0, 0);
/** Random.getstate(): (self.VERSION, super().getstate(), self.gauss_next). */
function py_getstate(self: Ptr, args: number, nargs: number, kwnames: Ptr): Ptr {
  if (!bindPy(SIG_GETSTATE, args, nargs, kwnames)) return NULL;
  const version = PyObject_GetAttrString(self, 'VERSION');
  if (version === NULL) return NULL;
  gcTransientLink();
  gcTransientLink();
  gcTransientUnlink();
  const st = c_getstate(self);
  gcTransientUnlink();
  if (st === NULL) {
    Py_DECREF(version);
    return NULL;
  }
  const gn = PyObject_GetAttrString(self, 'gauss_next');
  if (gn === NULL) {
    Py_DECREF(version);
    Py_DECREF(st);
    return NULL;
  }
  const t = PyTuple_New(3);
  if (t === NULL) {
    Py_DECREF(version);
    Py_DECREF(st);
    Py_DECREF(gn);
    return NULL;
  }
  PyTuple_SET_ITEM(t, 0, version);
  PyTuple_SET_ITEM(t, 1, st);
  PyTuple_SET_ITEM(t, 2, gn);
  return t;
}

/** UNPACK_SEQUENCE 3 of `seq`: three new references, or null with an exception. */
function unpack3(seq: Ptr): Ptr[] | null {
  const it = PyObject_GetIter(seq);
  if (it === NULL) {
    if (PyErr_ExceptionMatches(PyExc_TypeError)) {
      PyErr_Clear();
      PyErr_SetString(PyExc_TypeError, `cannot unpack non-iterable ${typeName(Py_TYPE(seq))} object`);
    }
    return null;
  }
  const got: Ptr[] = [];
  while (got.length < 3) {
    const v = PyIter_Next(it);
    if (v === NULL) {
      got.forEach(Py_DECREF);
      Py_DECREF(it);
      if (PyErr_Occurred() === NULL) PyErr_SetString(PyExc_ValueError, `not enough values to unpack (expected 3, got ${got.length})`);
      return null;
    }
    got.push(v);
  }
  const extra = PyIter_Next(it);
  Py_DECREF(it);
  if (extra !== NULL || PyErr_Occurred() !== NULL) {
    Py_XDECREF(extra);
    got.forEach(Py_DECREF);
    if (extra !== NULL) PyErr_SetString(PyExc_ValueError, 'too many values to unpack (expected 3)');
    return null;
  }
  return got;
}

const SIG_SETSTATE = sig('Random.setstate', ['state'], 1, 1);
/** Random.setstate(state) (versions 3 and 2). */
function py_setstate(self: Ptr, args: number, nargs: number, kwnames: Ptr): Ptr {
  if (!bindPy(SIG_SETSTATE, args, nargs, kwnames)) return NULL;
  const state = PA[0];
  const zero = smallInt(0);
  const version = PyObject_GetItem(state, zero);
  if (version === NULL) return NULL;
  const is3 = PyObject_RichCompareBool(version, smallInt(3), Py_EQ);
  const is2 = is3 === 0 ? PyObject_RichCompareBool(version, smallInt(2), Py_EQ) : 0;
  if (is3 < 0 || is2 < 0) {
    Py_DECREF(version);
    return NULL;
  }
  if (is3 === 0 && is2 === 0) {
    const mine = PyObject_GetAttrString(self, 'VERSION');
    const vs = PyObject_Str(version);
    const ms = mine === NULL ? NULL : PyObject_Str(mine);
    Py_DECREF(version);
    Py_XDECREF(mine);
    if (vs !== NULL && ms !== NULL) {
      PyErr_SetString(PyExc_ValueError, `state with version ${unicodeToJs(vs)} passed to Random.setstate() of version ${unicodeToJs(ms)}`);
    }
    Py_XDECREF(vs);
    Py_XDECREF(ms);
    return NULL;
  }
  Py_DECREF(version);
  const parts = unpack3(state);
  if (parts === null) return NULL;
  Py_DECREF(parts[0]);
  let internal = parts[1];
  const gn = parts[2];
  const sr = setGaussNext(self, gn);
  Py_DECREF(gn);
  if (sr < 0) {
    Py_DECREF(internal);
    return NULL;
  }
  if (is2 === 1) {
    // tuple(x % (2 ** 32) for x in internalstate); a ValueError becomes a TypeError
    const conv = version2State(internal);
    Py_DECREF(internal);
    if (conv === NULL) {
      if (PyErr_ExceptionMatches(PyExc_ValueError)) {
        PyErr_Clear();
        PyErr_SetObject(PyExc_TypeError, NULL);
      }
      return NULL;
    }
    internal = conv;
  }
  gcTransientLink();
  gcTransientLink();
  gcTransientUnlink();
  const r = c_setstate(self, internal);
  gcTransientUnlink();
  Py_DECREF(internal);
  return r;
}
function version2State(internal: Ptr): Ptr {
  const it = PyObject_GetIter(internal);
  if (it === NULL) return NULL;
  const l = PyList_New(0);
  if (l === NULL) {
    Py_DECREF(it);
    return NULL;
  }
  const mod = PyLong_FromBigInt(1n << 32n);
  for (;;) {
    const x = PyIter_Next(it);
    if (x === NULL) break;
    const v = mod === NULL ? NULL : PyNumber_Remainder(x, mod);
    Py_DECREF(x);
    if (v === NULL || PyList_Append(l, v) < 0) {
      Py_XDECREF(v);
      Py_DECREF(it);
      Py_DECREF(l);
      Py_XDECREF(mod);
      return NULL;
    }
    Py_DECREF(v);
  }
  Py_DECREF(it);
  Py_XDECREF(mod);
  if (PyErr_Occurred() !== NULL) {
    Py_DECREF(l);
    return NULL;
  }
  const n = PyList_GET_SIZE(l);
  const t = PyTuple_New(n);
  if (t !== NULL) {
    for (let i = 0; i < n; i++) {
      const v = PyList_GET_ITEM(l, i);
      Py_INCREF(v);
      PyTuple_SET_ITEM(t, i, v);
    }
  }
  Py_DECREF(l);
  return t;
}

// ---------------------------------------------------------------------------------------------
// integers: _randbelow, randrange, randint, getrandbits-based helpers
// ---------------------------------------------------------------------------------------------

/** The generator's own _randbelow_with_getrandbits(n) for an int n (the fast paths; counts the
 *  transient bound method). n ≤ 0 would loop forever in CPython; here it gives 0. New ref. */
function nativeRandbelow(self: Ptr, n: Ptr): Ptr {
  gcTransient();
  const v = smallValue(n);
  if (v === v) return PyLong_FromNumber(v >= 1 && v < TWO53 ? randbelowNum(self, v) : 0);
  if (longSize(n) < 0) return PyLong_FromNumber(0);
  return randbelowBig(self, n);
}

/** self._randbelow(n) for an int object n. New reference or NULL. */
function callRandbelow(self: Ptr, n: Ptr): Ptr {
  if (pristine(self) && PyLong_Check(n)) return nativeRandbelow(self, n);
  return PyObject_CallMethodArgs(self, '_randbelow', n);
}

/** Which _randbelow a class gets (≈ Random.__init_subclass__, decided along the MRO at call time):
 *  true = with getrandbits. */
function usesGetrandbits(self: Ptr): boolean {
  const mro = I32[(Py_TYPE(self) + TP_MRO) >> 2];
  if (mro === NULL) return true;
  const n = PyTuple_GET_SIZE(mro);
  for (let i = 0; i < n; i++) {
    const c = PyTuple_GET_ITEM(mro, i);
    if (c === pristineType || c === RandomType) return true;
    const d = I32[(c + TP_DICT) >> 2];
    if (d === NULL) continue;
    if (dictHas(d, '_randbelow')) return true;
    if (dictHas(d, 'getrandbits')) return true;
    if (dictHas(d, 'random')) return false;
  }
  return true;
}
function dictHas(d: Ptr, name: string): boolean {
  const k = PyUnicode_InternFromString(name);
  if (k === NULL) {
    PyErr_Clear();
    return false;
  }
  const r = PyDict_GetItem(d, k) !== NULL;
  Py_DECREF(k);
  return r;
}

/** Random._randbelow_with_getrandbits(n), generic: getrandbits = self.getrandbits;
 *  k = n.bit_length(); draw until r < n. New reference or NULL. */
function randbelowWith(self: Ptr, n: Ptr): Ptr {
  if (pristine(self) && PyLong_Check(n)) return nativeRandbelow(self, n);
  const grb = PyObject_GetAttrString(self, 'getrandbits');
  if (grb === NULL) return NULL;
  let k: Ptr;
  if (PyLong_Check(n)) k = PyLong_FromNumber(_PyLong_NumBits(n));
  else k = PyObject_CallMethodArgs(n, 'bit_length');
  if (k === NULL) {
    Py_DECREF(grb);
    return NULL;
  }
  if (PyLong_Check(n) && longSize(n) <= 0) {
    // CPython loops forever here; pymem answers 0
    Py_DECREF(grb);
    Py_DECREF(k);
    return PyLong_FromNumber(0);
  }
  for (;;) {
    const r = PyObject_CallOneArg(grb, k);
    if (r === NULL) break;
    const ge = PyObject_RichCompareBool(r, n, Py_GE);
    if (ge === 0) {
      Py_DECREF(grb);
      Py_DECREF(k);
      return r;
    }
    Py_DECREF(r);
    if (ge < 0) break;
  }
  Py_DECREF(grb);
  Py_DECREF(k);
  return NULL;
}

/** Random._randbelow_without_getrandbits(n, maxsize=1<<53): only self.random(). New ref or NULL. */
function randbelowWithout(self: Ptr, n: Ptr): Ptr {
  const b = PyObject_GetAttrString(self, 'random');
  if (b === NULL) return NULL;
  let res: Ptr = NULL;
  if (!PyLong_Check(n)) {
    Py_DECREF(b);
    return setErr(PyExc_TypeError, `unsupported operand type(s) for %: 'int' and '${typeName(Py_TYPE(n))}'`);
  }
  const nv = smallValue(n);
  if (nv !== nv || nv >= TWO53) {
    // (CPython warns that random() lacks the bits) floor(random() * n)
    const r = takeDouble(PyObject_CallNoArgs(b));
    if (!callFailed) res = PyLong_FromBigInt(BigInt(Math.floor(r * Number(PyLong_AsBigInt(n)))));
  } else {
    const rem = TWO53 % nv;
    const limit = (TWO53 - rem) / TWO53;
    let r = takeDouble(PyObject_CallNoArgs(b));
    while (!callFailed && r >= limit) r = takeDouble(PyObject_CallNoArgs(b));
    if (!callFailed) res = PyLong_FromNumber(Math.floor(r * TWO53) % nv);
  }
  Py_DECREF(b);
  return res;
}

const SIG_RB = sig('Random._randbelow_with_getrandbits', ['n'], 1, 1);
function py_randbelow(self: Ptr, args: number, nargs: number, kwnames: Ptr): Ptr {
  if (!bindPy(SIG_RB, args, nargs, kwnames)) return NULL;
  const n = PA[0];
  if (pristine(self) && PyLong_Check(n)) return nativeRandbelow(self, n);
  return usesGetrandbits(self) ? randbelowWith(self, n) : randbelowWithout(self, n);
}
function py_randbelow_with(self: Ptr, args: number, nargs: number, kwnames: Ptr): Ptr {
  if (!bindPy(SIG_RB, args, nargs, kwnames)) return NULL;
  return randbelowWith(self, PA[0]);
}
const SIG_RBW = sig('Random._randbelow_without_getrandbits', ['n', 'maxsize'], 2, 1);
function py_randbelow_without(self: Ptr, args: number, nargs: number, kwnames: Ptr): Ptr {
  if (!bindPy(SIG_RBW, args, nargs, kwnames)) return NULL;
  return randbelowWithout(self, PA[0]);
}

/** randrange's argument conversion: operator.index(x), or int(x) when that is a TypeError
 *  (ValueError `msg` if int(x) != x; CPython also warns). New reference or NULL. */
function rangeArg(x: Ptr, msg: string): Ptr {
  const i = PyNumber_Index(x);
  if (i !== NULL || !PyErr_ExceptionMatches(PyExc_TypeError)) return i;
  PyErr_Clear();
  const v = PyNumber_Long(x);
  if (v === NULL) return NULL;
  const ne = PyObject_RichCompareBool(v, x, Py_NE);
  if (ne !== 0) {
    Py_DECREF(v);
    if (ne > 0) PyErr_SetString(PyExc_ValueError, msg);
    return NULL;
  }
  return v;
}

/** ≈ Random.randrange(start, stop=None, step=1). Arguments borrowed; stop/step NULL when not
 *  given. New reference or NULL. */
function randrangeImpl(self: Ptr, start: Ptr, stop: Ptr, step: Ptr): Ptr {
  const one = smallInt(1);
  if (stop === Py_None) stop = NULL;
  if (pristine(self)) {
    // fast path: exact ints of at most 52 bits
    const a = exactIntValue(start);
    if (a === a) {
      if (stop === NULL) {
        if ((step === NULL || step === one) && a > 0) return PyLong_FromNumber(fastRandbelow(self, a));
      } else {
        const b = exactIntValue(stop);
        const s = step === NULL ? 1 : exactIntValue(step);
        if (b === b && s === s) {
          const width = b - a;
          if (s === 1) {
            if (width > 0) return PyLong_FromNumber(a + fastRandbelow(self, width));
          } else if (s !== 0) {
            const n = s > 0 ? floorDiv(width + s - 1, s) : floorDiv(width + s + 1, s);
            if (n > 0) return PyLong_FromNumber(a + s * fastRandbelow(self, n));
          }
        }
      }
    }
  }
  // the general path, operation by operation as Lib/random.py
  const istart = rangeArg(start, 'non-integer arg 1 for randrange()');
  if (istart === NULL) return NULL;
  if (stop === NULL) {
    if (step !== NULL && step !== one) {
      Py_DECREF(istart);
      return setErr(PyExc_TypeError, 'Missing a non-None stop argument');
    }
    const pos = PyObject_RichCompareBool(istart, smallInt(0), Py_GT);
    if (pos !== 1) {
      Py_DECREF(istart);
      return pos < 0 ? NULL : setErr(PyExc_ValueError, 'empty range for randrange()');
    }
    const r = callRandbelow(self, istart);
    Py_DECREF(istart);
    return r;
  }
  const istop = rangeArg(stop, 'non-integer stop for randrange()');
  if (istop === NULL) {
    Py_DECREF(istart);
    return NULL;
  }
  let result: Ptr = NULL;
  const width = PyNumber_Subtract(istop, istart);
  const istep = width === NULL ? NULL : rangeArg(step === NULL ? one : step, 'non-integer step for randrange()');
  if (istep !== NULL) result = randrangeTail(self, istart, istop, width, istep);
  Py_XDECREF(istep);
  Py_XDECREF(width);
  Py_DECREF(istop);
  Py_DECREF(istart);
  return result;
}
function randrangeTail(self: Ptr, istart: Ptr, istop: Ptr, width: Ptr, istep: Ptr): Ptr {
  const zero = smallInt(0);
  const one = smallInt(1);
  const unit = PyObject_RichCompareBool(istep, one, Py_EQ);
  if (unit < 0) return NULL;
  if (unit === 1) {
    const pos = PyObject_RichCompareBool(width, zero, Py_GT);
    if (pos < 0) return NULL;
    if (pos === 0) return setErr(PyExc_ValueError, `empty range for randrange() (${intText(istart)}, ${intText(istop)}, ${intText(width)})`);
    const r = callRandbelow(self, width);
    if (r === NULL) return NULL;
    const s = PyNumber_Add(istart, r);
    Py_DECREF(r);
    return s;
  }
  const gt = PyObject_RichCompareBool(istep, zero, Py_GT);
  if (gt < 0) return NULL;
  const lt = gt === 1 ? 0 : PyObject_RichCompareBool(istep, zero, Py_LT);
  if (lt < 0) return NULL;
  if (gt === 0 && lt === 0) return setErr(PyExc_ValueError, 'zero step for randrange()');
  const t1 = PyNumber_Add(width, istep);
  if (t1 === NULL) return NULL;
  const t2 = gt === 1 ? PyNumber_Subtract(t1, one) : PyNumber_Add(t1, one);
  Py_DECREF(t1);
  if (t2 === NULL) return NULL;
  const n = PyNumber_FloorDivide(t2, istep);
  Py_DECREF(t2);
  if (n === NULL) return NULL;
  const le = PyObject_RichCompareBool(n, zero, Py_LE);
  if (le !== 0) {
    Py_DECREF(n);
    return le < 0 ? NULL : setErr(PyExc_ValueError, 'empty range for randrange()');
  }
  const r = callRandbelow(self, n);
  Py_DECREF(n);
  if (r === NULL) return NULL;
  const p = PyNumber_Multiply(istep, r);
  Py_DECREF(r);
  if (p === NULL) return NULL;
  const s = PyNumber_Add(istart, p);
  Py_DECREF(p);
  return s;
}

const SIG_RANDRANGE = sig('Random.randrange', ['start', 'stop', 'step'], 3, 1);
function py_randrange(self: Ptr, args: number, nargs: number, kwnames: Ptr): Ptr {
  if (!bindPy(SIG_RANDRANGE, args, nargs, kwnames)) return NULL;
  return randrangeImpl(self, PA[0], PA[1], PA[2]);
}

const SIG_RANDINT = sig('Random.randint', ['a', 'b'], 2, 2);
/** Random.randint(a, b) = self.randrange(a, b+1). */
function py_randint(self: Ptr, args: number, nargs: number, kwnames: Ptr): Ptr {
  if (kwnames === NULL && nargs === 2 && pristine(self)) {
    const a = exactIntValue(I32[args >> 2]);
    const b = exactIntValue(I32[(args + 8) >> 2]);
    if (a === a && b === b && b >= a) return PyLong_FromNumber(a + fastRandbelow(self, b + 1 - a));
  }
  if (!bindPy(SIG_RANDINT, args, nargs, kwnames)) return NULL;
  const a = PA[0];
  const b1 = PyNumber_Add(PA[1], smallInt(1));
  if (b1 === NULL) return NULL;
  const r = pristine(self) ? randrangeImpl(self, a, b1, NULL) : PyObject_CallMethodArgs(self, 'randrange', a, b1);
  Py_DECREF(b1);
  return r;
}

const SIG_RANDBYTES = sig('Random.randbytes', ['n'], 1, 1);
/** Random.randbytes(n) = self.getrandbits(n * 8).to_bytes(n, 'little'). */
function py_randbytes(self: Ptr, args: number, nargs: number, kwnames: Ptr): Ptr {
  if (!bindPy(SIG_RANDBYTES, args, nargs, kwnames)) return NULL;
  const n = PA[0];
  const k = PyNumber_Multiply(n, smallInt(8));
  if (k === NULL) return NULL;
  if (pristine(self)) {
    const kb = asCInt(k);
    Py_DECREF(k);
    if (kb === -1 && PyErr_Occurred() !== NULL) return NULL;
    if (kb < 0) return setErr(PyExc_ValueError, 'number of bits must be non-negative');
    const nb = kb >>> 3;
    const out = _PyBytes_FromSize(nb);
    if (out === NULL || nb === 0) return out;
    const nw = drawWords(self, kb);
    const at = PyBytes_AS_STRING(out);
    for (let i = 0; i < nb; i++) U8[at + i] = (KEY[i >>> 2] >>> (8 * (i & 3))) & 0xff;
    void nw;
    return out;
  }
  const r = PyObject_CallMethodArgs(self, 'getrandbits', k);
  Py_DECREF(k);
  if (r === NULL) return NULL;
  const little = PyUnicode_InternFromString('little');
  const out = little === NULL ? NULL : PyObject_CallMethodArgs(r, 'to_bytes', n, little);
  Py_XDECREF(little);
  Py_DECREF(r);
  return out;
}

// ---------------------------------------------------------------------------------------------
// sequences: choice, shuffle, sample, choices
// ---------------------------------------------------------------------------------------------

/** seq[i] for a JS index (exact list/tuple read directly). New reference or NULL. */
function itemAt(seq: Ptr, i: number): Ptr {
  const t = I32[(seq + OB_TYPE) >> 2];
  if (t === PyList_Type && i < PyList_GET_SIZE(seq)) {
    const v = PyList_GET_ITEM(seq, i);
    Py_INCREF(v);
    return v;
  }
  if (t === PyTuple_Type && i < PyTuple_GET_SIZE(seq)) {
    const v = PyTuple_GET_ITEM(seq, i);
    Py_INCREF(v);
    return v;
  }
  const k = PyLong_FromNumber(i);
  if (k === NULL) return NULL;
  const v = PyObject_GetItem(seq, k);
  Py_DECREF(k);
  return v;
}

const SIG_CHOICE = sig('Random.choice', ['seq'], 1, 1);
/** Random.choice(seq): IndexError on an empty sequence, else seq[self._randbelow(len(seq))]. */
function py_choice(self: Ptr, args: number, nargs: number, kwnames: Ptr): Ptr {
  let seq: Ptr;
  if (kwnames === NULL && nargs === 1) seq = I32[args >> 2];
  else {
    if (!bindPy(SIG_CHOICE, args, nargs, kwnames)) return NULL;
    seq = PA[0];
  }
  const n = PyObject_Size(seq);
  if (n < 0) return NULL;
  if (n === 0) return setErr(PyExc_IndexError, 'Cannot choose from an empty sequence');
  if (pristine(self) && n < TWO53) return itemAt(seq, fastRandbelow(self, n));
  const nObj = PyLong_FromNumber(n);
  if (nObj === NULL) return NULL;
  const i = callRandbelow(self, nObj);
  Py_DECREF(nObj);
  if (i === NULL) return NULL;
  const v = PyObject_GetItem(seq, i);
  Py_DECREF(i);
  return v;
}

/** x[i], x[j] = x[j], x[i] through the mapping protocol. 0 / -1. */
function swapGeneric(x: Ptr, iObj: Ptr, jObj: Ptr): number {
  const a = PyObject_GetItem(x, jObj);
  if (a === NULL) return -1;
  const b = PyObject_GetItem(x, iObj);
  if (b === NULL) {
    Py_DECREF(a);
    return -1;
  }
  let r = PyObject_SetItem(x, iObj, a);
  if (r === 0) r = PyObject_SetItem(x, jObj, b);
  Py_DECREF(a);
  Py_DECREF(b);
  return r;
}

const SIG_SHUFFLE = sig('Random.shuffle', ['x'], 1, 1);
/** Random.shuffle(x): for i from len(x)-1 down to 1, j = randbelow(i+1), swap x[i] and x[j]. */
function py_shuffle(self: Ptr, args: number, nargs: number, kwnames: Ptr): Ptr {
  if (!bindPy(SIG_SHUFFLE, args, nargs, kwnames)) return NULL;
  const x = PA[0];
  const fast = pristine(self);
  let rb: Ptr = NULL;
  if (fast) gcTransientLink(); // randbelow = self._randbelow
  else {
    rb = PyObject_GetAttrString(self, '_randbelow');
    if (rb === NULL) return NULL;
  }
  const n = PyObject_Size(x);
  let ok = n >= 0;
  if (ok) gcTransient(); // reversed(range(...)) binds range.__reversed__
  for (let i = n - 1; ok && i >= 1; i--) {
    if (fast) {
      const j = fastRandbelow(self, i + 1);
      if (I32[(x + OB_TYPE) >> 2] === PyList_Type && i < PyList_GET_SIZE(x)) {
        const items = PyList_ITEMS(x) >> 2;
        const t = I32[items + 2 * i];
        I32[items + 2 * i] = I32[items + 2 * j];
        I32[items + 2 * j] = t;
        continue;
      }
      const iObj = PyLong_FromNumber(i);
      const jObj = PyLong_FromNumber(j);
      ok = iObj !== NULL && jObj !== NULL && swapGeneric(x, iObj, jObj) === 0;
      Py_XDECREF(iObj);
      Py_XDECREF(jObj);
    } else {
      const iObj = PyLong_FromNumber(i);
      const i1 = PyLong_FromNumber(i + 1);
      const jObj = iObj === NULL || i1 === NULL ? NULL : PyObject_CallOneArg(rb, i1);
      ok = jObj !== NULL && swapGeneric(x, iObj, jObj) === 0;
      Py_XDECREF(iObj);
      Py_XDECREF(i1);
      Py_XDECREF(jObj);
    }
  }
  if (fast) gcTransientUnlink();
  else Py_DECREF(rb);
  return ok ? newNone() : NULL;
}

/** isinstance(o, collections.abc.Sequence) for the types pymem has (list, tuple, str, range,
 *  bytes, bytearray and their subclasses). */
function isSequence(o: Ptr): boolean {
  const t = Py_TYPE(o);
  return (
    PyType_IsSubtype(t, PyList_Type) || PyType_IsSubtype(t, PyTuple_Type) || PyType_IsSubtype(t, PyUnicode_Type) ||
    PyType_IsSubtype(t, PyRange_Type) || PyType_IsSubtype(t, PyBytes_Type) || isBytearray(t)
  );
}

/** itertools.accumulate(xs) as a new list (a + b with the number protocol). New ref or NULL. */
function accumulateList(xs: Ptr): Ptr {
  const it = PyObject_GetIter(xs);
  if (it === NULL) return NULL;
  const out = PyList_New(0);
  if (out === NULL) {
    Py_DECREF(it);
    return NULL;
  }
  let total: Ptr = NULL;
  for (;;) {
    const v = PyIter_Next(it);
    if (v === NULL) break;
    if (total === NULL) total = v;
    else {
      const s = PyNumber_Add(total, v);
      Py_DECREF(v);
      Py_DECREF(total);
      total = s;
      if (s === NULL) break;
    }
    if (PyList_Append(out, total) < 0) break;
  }
  Py_DECREF(it);
  Py_XDECREF(total);
  if (PyErr_Occurred() !== NULL) {
    Py_DECREF(out);
    return NULL;
  }
  return out;
}

/** bisect.bisect_right(a, x, lo, hi) on a list. -1 on error. */
function bisectRight(a: Ptr, x: Ptr, lo: number, hi: number): number {
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const lt = PyObject_RichCompareBool(x, PyList_GET_ITEM(a, mid), Py_LT);
    if (lt < 0) return -1;
    if (lt === 1) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

const SIG_SAMPLE = sig('Random.sample', ['population', 'k', 'counts'], 2, 2);
/** Random.sample(population, k, *, counts=None). */
function py_sample(self: Ptr, args: number, nargs: number, kwnames: Ptr): Ptr {
  if (!bindPy(SIG_SAMPLE, args, nargs, kwnames)) return NULL;
  return sampleImpl(self, PA[0], PA[1], PA[2]);
}

function sampleImpl(self: Ptr, population: Ptr, k: Ptr, counts: Ptr): Ptr {
  if (!isSequence(population)) return setErr(PyExc_TypeError, 'Population must be a sequence.  For dicts or sets, use sorted(d).');
  const n = PyObject_Size(population);
  if (n < 0) return NULL;
  if (counts !== NULL && counts !== Py_None) return sampleCounts(self, population, n, k, counts);
  const fast = pristine(self);
  let rb: Ptr = NULL;
  if (fast) gcTransientLink(); // randbelow = self._randbelow
  else {
    rb = PyObject_GetAttrString(self, '_randbelow');
    if (rb === NULL) return NULL;
  }
  const result = sampleBody(self, population, n, k, fast, rb);
  if (fast) gcTransientUnlink();
  else Py_DECREF(rb);
  return result;
}

/** randbelow(m) with the bound method (or the generator): a number, -1 on error. */
function drawBelow(self: Ptr, fast: boolean, rb: Ptr, m: number): number {
  if (fast) return fastRandbelow(self, m);
  const mObj = PyLong_FromNumber(m);
  if (mObj === NULL) return -1;
  const r = PyObject_CallOneArg(rb, mObj);
  Py_DECREF(mObj);
  if (r === NULL) return -1;
  const idx = PyNumber_Index(r);
  Py_DECREF(r);
  if (idx === NULL) return -1;
  const v = smallValue(idx);
  Py_DECREF(idx);
  return v;
}

function sampleBody(self: Ptr, population: Ptr, n: number, k: Ptr, fast: boolean, rb: Ptr): Ptr {
  // if not 0 <= k <= n
  const nObj = PyLong_FromNumber(n);
  if (nObj === NULL) return NULL;
  let c = PyObject_RichCompareBool(smallInt(0), k, Py_LE);
  if (c === 1) c = PyObject_RichCompareBool(k, nObj, Py_LE);
  Py_DECREF(nObj);
  if (c < 0) return NULL;
  if (c === 0) return setErr(PyExc_ValueError, 'Sample larger than population or is negative');
  // result = [None] * k
  const one = PyList_New(1);
  if (one === NULL) return NULL;
  Py_INCREF(Py_None);
  I32[PyList_ITEMS(one) >> 2] = Py_None;
  const result = PyNumber_Multiply(one, k);
  Py_DECREF(one);
  if (result === NULL) return NULL;
  const kk = PyList_GET_SIZE(result);
  let setsize = 21;
  if (kk > 5) setsize += 4 ** Math.ceil(m.log(kk * 3) / m.log(4));
  if (n <= setsize) {
    const pool = PySequence_List(population);
    if (pool === NULL) {
      Py_DECREF(result);
      return NULL;
    }
    for (let i = 0; i < kk; i++) {
      const j = drawBelow(self, fast, rb, n - i);
      if (j === -1 && PyErr_Occurred() !== NULL) {
        Py_DECREF(pool);
        Py_DECREF(result);
        return NULL;
      }
      const p = PyList_ITEMS(pool) >> 2;
      const v = I32[p + 2 * j];
      Py_INCREF(v);
      const old = I32[(PyList_ITEMS(result) >> 2) + 2 * i];
      I32[(PyList_ITEMS(result) >> 2) + 2 * i] = v;
      Py_DECREF(old);
      const last = I32[p + 2 * (n - i - 1)];
      Py_INCREF(last);
      I32[p + 2 * j] = last;
      Py_DECREF(v);
    }
    Py_DECREF(pool);
    return result;
  }
  const selected = PySet_New(NULL);
  if (selected === NULL) {
    Py_DECREF(result);
    return NULL;
  }
  gcTransientLink(); // selected_add = selected.add
  let ok = true;
  for (let i = 0; ok && i < kk; i++) {
    let jObj: Ptr = NULL;
    for (;;) {
      const j = drawBelow(self, fast, rb, n);
      if (j === -1 && PyErr_Occurred() !== NULL) break;
      jObj = PyLong_FromNumber(j);
      if (jObj === NULL) break;
      const has = PySet_Contains(selected, jObj);
      if (has === 0) break;
      Py_DECREF(jObj);
      jObj = NULL;
      if (has < 0) break;
    }
    ok = jObj !== NULL && PySet_Add(selected, jObj) === 0;
    if (ok) {
      const v = PyObject_GetItem(population, jObj!);
      ok = v !== NULL;
      if (ok) {
        const old = I32[(PyList_ITEMS(result) >> 2) + 2 * i];
        I32[(PyList_ITEMS(result) >> 2) + 2 * i] = v;
        Py_DECREF(old);
      }
    }
    Py_XDECREF(jObj);
  }
  gcTransientUnlink();
  Py_DECREF(selected);
  if (!ok) {
    Py_DECREF(result);
    return NULL;
  }
  return result;
}

/** sample(..., counts=...): sample(range(total), k) mapped through bisect of the cumulative
 *  counts. New reference or NULL. */
function sampleCounts(self: Ptr, population: Ptr, n: number, k: Ptr, counts: Ptr): Ptr {
  const cum = accumulateList(counts);
  if (cum === NULL) return NULL;
  const fail = (): Ptr => {
    Py_DECREF(cum);
    return NULL;
  };
  if (PyList_GET_SIZE(cum) !== n) {
    PyErr_SetString(PyExc_ValueError, 'The number of counts does not match the population');
    return fail();
  }
  if (n === 0) {
    PyErr_SetString(PyExc_IndexError, 'pop from empty list');
    return fail();
  }
  const total = PyList_GET_ITEM(cum, n - 1);
  Py_INCREF(total);
  Py_DECREF(I32[(PyList_ITEMS(cum) + 8 * (n - 1)) >> 2]);
  I32[(cum + OB_SIZE) >> 2] = n - 1; // cum_counts.pop()
  if (!PyLong_Check(total)) {
    Py_DECREF(total);
    PyErr_SetString(PyExc_TypeError, 'Counts must be integers');
    return fail();
  }
  const le = PyObject_RichCompareBool(total, smallInt(0), Py_LE);
  if (le !== 0) {
    Py_DECREF(total);
    if (le > 0) PyErr_SetString(PyExc_ValueError, 'Total of counts must be greater than zero');
    return fail();
  }
  const rng = PyObject_CallOneArg(PyRange_Type, total);
  Py_DECREF(total);
  if (rng === NULL) return fail();
  const sel = pristine(self) ? sampleImpl(self, rng, k, NULL) : PyObject_CallMethodArgs(self, 'sample', rng, k);
  Py_DECREF(rng);
  if (sel === NULL) return fail();
  const out = PyList_New(0);
  const it = out === NULL ? NULL : PyObject_GetIter(sel);
  Py_DECREF(sel);
  if (it === NULL) {
    Py_XDECREF(out);
    return fail();
  }
  const hi = PyList_GET_SIZE(cum);
  for (;;) {
    const s = PyIter_Next(it);
    if (s === NULL) break;
    const pos = bisectRight(cum, s, 0, hi);
    Py_DECREF(s);
    if (pos < 0) break;
    const v = itemAt(population, pos);
    if (v === NULL) break;
    const r = PyList_Append(out, v);
    Py_DECREF(v);
    if (r < 0) break;
  }
  Py_DECREF(it);
  Py_DECREF(cum);
  if (PyErr_Occurred() !== NULL) {
    Py_DECREF(out!);
    return NULL;
  }
  return out;
}

const SIG_CHOICES = sig('Random.choices', ['population', 'weights', 'cum_weights', 'k'], 2, 1);
/** Random.choices(population, weights=None, *, cum_weights=None, k=1). */
function py_choices(self: Ptr, args: number, nargs: number, kwnames: Ptr): Ptr {
  if (!bindPy(SIG_CHOICES, args, nargs, kwnames)) return NULL;
  const population = PA[0];
  const weights = PA[1] === NULL ? Py_None : PA[1];
  let cum = PA[2] === NULL ? Py_None : PA[2];
  const k = PA[3] === NULL ? smallInt(1) : PA[3];
  const bound = bindRandom(self); // random = self.random
  if (bound === -1) return NULL;
  const r = choicesBody(self, bound, population, weights, cum, k);
  unbind(bound);
  return r;
}

/** the repeat count of itertools.repeat(None, k): -1 with an exception on error */
function repeatCount(k: Ptr): number {
  const idx = PyNumber_Index(k);
  if (idx === NULL) return -1;
  const v = smallValue(idx);
  Py_DECREF(idx);
  if (v !== v) {
    if (PyLong_AsBigInt(k) < 0n) return 0;
    PyErr_SetString(PyExc_OverflowError, 'Python int too large to convert to C ssize_t');
    return -1;
  }
  return v < 0 ? 0 : v;
}

function choicesBody(self: Ptr, bound: Ptr, population: Ptr, weights: Ptr, cum: Ptr, k: Ptr): Ptr {
  const n = PyObject_Size(population);
  if (n < 0) return NULL;
  let ownCum = false;
  if (cum === Py_None) {
    if (weights === Py_None) {
      // [population[floor(random() * n)] for i in _repeat(None, k)]
      gcTransientLink(); // the comprehension's function object
      const times = repeatCount(k);
      if (times < 0) {
        gcTransientUnlink();
        return NULL;
      }
      gcTransientLink(); // the repeat object
      const out = PyList_New(0);
      let ok = out !== NULL;
      for (let i = 0; ok && i < times; i++) {
        const r = selfRandom(self, bound);
        if (callFailed) {
          ok = false;
          break;
        }
        const v = itemAt(population, Math.floor(r * n));
        ok = v !== NULL && PyList_Append(out, v) === 0;
        Py_XDECREF(v);
      }
      gcTransientUnlink();
      gcTransientUnlink();
      if (!ok) {
        Py_XDECREF(out);
        return NULL;
      }
      return out;
    }
    cum = accumulateList(weights);
    if (cum === NULL) {
      if (PyErr_ExceptionMatches(PyExc_TypeError) && PyLong_Check(weights)) {
        PyErr_Clear();
        return setErr(PyExc_TypeError, `The number of choices must be a keyword argument: k=${intText(weights)}`);
      }
      return NULL;
    }
    ownCum = true;
  } else if (weights !== Py_None) {
    return setErr(PyExc_TypeError, 'Cannot specify both weights and cumulative weights');
  }
  const r = choicesWeighted(self, bound, population, n, cum, k);
  if (ownCum) Py_DECREF(cum);
  return r;
}

function choicesWeighted(self: Ptr, bound: Ptr, population: Ptr, n: number, cum: Ptr, k: Ptr): Ptr {
  const len = PyObject_Size(cum);
  if (len < 0) return NULL;
  if (len !== n) return setErr(PyExc_ValueError, 'The number of weights does not match the population');
  const last = PyObject_GetItem(cum, smallInt(-1));
  if (last === NULL) return NULL;
  const zf = PyFloat_FromDouble(0.0);
  const totalObj = zf === NULL ? NULL : PyNumber_Add(last, zf);
  Py_XDECREF(zf);
  Py_DECREF(last);
  if (totalObj === NULL) return NULL;
  const total = asDouble(totalObj);
  Py_DECREF(totalObj);
  if (PyErr_Occurred() !== NULL) return NULL;
  if (total <= 0.0) return setErr(PyExc_ValueError, 'Total of weights must be greater than zero');
  if (!Number.isFinite(total)) return setErr(PyExc_ValueError, 'Total of weights must be finite');
  const cumList = PyList_CheckExact(cum) ? cum : PySequence_List(cum);
  if (cumList === NULL) return NULL;
  const hi = n - 1;
  gcTransientLink(); // the comprehension's function object
  const times = repeatCount(k);
  let out: Ptr = NULL;
  if (times >= 0) {
    gcTransientLink(); // the repeat object
    out = PyList_New(0);
    for (let i = 0; out !== NULL && i < times; i++) {
      const r = selfRandom(self, bound);
      let ok = !callFailed;
      if (ok) {
        const x = PyFloat_FromDouble(r * total);
        const pos = x === NULL ? -1 : bisectRight(cumList, x, 0, hi);
        Py_XDECREF(x);
        const v = pos < 0 ? NULL : itemAt(population, pos);
        ok = v !== NULL && PyList_Append(out, v) === 0;
        Py_XDECREF(v);
      }
      if (!ok) {
        Py_DECREF(out);
        out = NULL;
      }
    }
    gcTransientUnlink();
  }
  gcTransientUnlink();
  if (cumList !== cum) Py_DECREF(cumList);
  return out;
}

// ---------------------------------------------------------------------------------------------
// real-valued distributions (doubles; the parameters are read as floats like the float
// arithmetic of Lib/random.py does with int or float arguments)
// ---------------------------------------------------------------------------------------------
const PI = Math.PI;
const E = Math.E;
const TWOPI = 2 * Math.PI;
export const NV_MAGICCONST = (4 * m.exp(-0.5)) / Math.sqrt(2.0);
export const LOG4 = m.log(4.0);
export const SG_MAGICCONST = 1.0 + m.log(4.5);
const RECIP_BPF = 2 ** -53;

/** A parameter as a double (NULL = the default); NaN with an exception on error (check PyErr). */
function num(o: Ptr, dflt: number): number {
  if (o === NULL) return dflt;
  if (PyFloat_CheckExact(o)) return readFloat(o);
  return asDouble(o);
}
/** An exact float, or an exact int of at most 53 bits, as a double; else NaN. */
function plainNumber(o: Ptr): number {
  const t = I32[(o + OB_TYPE) >> 2];
  if (t === PyLong_Type) return smallValue(o);
  if (PyFloat_CheckExact(o)) return readFloat(o);
  return NaN;
}
function failed(): boolean {
  return PyErr_Occurred() !== NULL;
}
/** a / b with Python's ZeroDivisionError; NaN + exception when b is 0. */
function fdiv(a: number, b: number): number {
  if (b === 0) {
    PyErr_SetString(PyExc_ZeroDivisionError, 'float division by zero');
    return NaN;
  }
  return a / b;
}
/** x % y for floats (the sign of y), as float_rem. */
function fmodPy(x: number, y: number): number {
  let mod = x % y;
  if (mod !== 0) {
    if (y < 0 !== mod < 0) mod += y;
  } else mod = y < 0 ? -0.0 : 0.0;
  return mod;
}
function floatResult(v: number): Ptr {
  return failed() ? NULL : PyFloat_FromDouble(v);
}
/** self.random() once (no binding kept). NaN + exception on error. */
function randomOnce(self: Ptr): number {
  if (pristine(self)) return randomDouble(self);
  const r = takeDouble(PyObject_CallMethodArgs(self, 'random'));
  return r;
}
/** self.random() as an object (uniform's generic path). New reference or NULL. */
function randomObj(self: Ptr): Ptr {
  if (pristine(self)) return PyFloat_FromDouble(randomDouble(self));
  return PyObject_CallMethodArgs(self, 'random');
}

const SIG_UNIFORM = sig('Random.uniform', ['a', 'b'], 2, 2);
/** Random.uniform(a, b) = a + (b - a) * self.random(). */
function py_uniform(self: Ptr, args: number, nargs: number, kwnames: Ptr): Ptr {
  if (!bindPy(SIG_UNIFORM, args, nargs, kwnames)) return NULL;
  const a = PA[0];
  const b = PA[1];
  const av = plainNumber(a);
  const bv = plainNumber(b);
  if (av === av && bv === bv && pristine(self)) return PyFloat_FromDouble(av + (bv - av) * randomDouble(self));
  const d = PyNumber_Subtract(b, a);
  if (d === NULL) return NULL;
  const r = randomObj(self);
  const p = r === NULL ? NULL : PyNumber_Multiply(d, r);
  Py_XDECREF(r);
  Py_DECREF(d);
  if (p === NULL) return NULL;
  const s = PyNumber_Add(a, p);
  Py_DECREF(p);
  return s;
}

const SIG_TRIANGULAR = sig('Random.triangular', ['low', 'high', 'mode'], 3, 0);
/** Random.triangular(low=0.0, high=1.0, mode=None). */
function py_triangular(self: Ptr, args: number, nargs: number, kwnames: Ptr): Ptr {
  if (!bindPy(SIG_TRIANGULAR, args, nargs, kwnames)) return NULL;
  const lowObj = PA[0];
  const highObj = PA[1];
  const modeObj = PA[2] === NULL ? Py_None : PA[2];
  let low = num(lowObj, 0.0);
  let high = num(highObj, 1.0);
  const mode = modeObj === Py_None ? 0 : num(modeObj, 0);
  if (failed()) return NULL;
  let u = randomOnce(self);
  if (failed()) return NULL;
  let c = 0.5;
  if (modeObj !== Py_None) {
    if (high - low === 0) {
      // ZeroDivisionError: return low itself
      const r = lowObj === NULL ? PyFloat_FromDouble(0.0) : lowObj;
      if (lowObj !== NULL) Py_INCREF(r);
      return r;
    }
    c = (mode - low) / (high - low);
  }
  if (u > c) {
    u = 1.0 - u;
    c = 1.0 - c;
    const t = low;
    low = high;
    high = t;
  }
  const uc = u * c;
  if (uc < 0) return setErr(PyExc_ValueError, 'math domain error');
  return PyFloat_FromDouble(low + (high - low) * Math.sqrt(uc));
}

/** normalvariate's loop on the generator or a bound random(). NaN + exception on error. */
function normalZ(self: Ptr, bound: Ptr): number {
  for (;;) {
    const u1 = selfRandom(self, bound);
    if (callFailed) return NaN;
    const u2 = 1.0 - selfRandom(self, bound);
    if (callFailed) return NaN;
    const z = (NV_MAGICCONST * (u1 - 0.5)) / u2;
    const zz = (z * z) / 4.0;
    if (zz <= -m.log(u2)) return z;
  }
}
const SIG_NORMAL = sig('Random.normalvariate', ['mu', 'sigma'], 2, 0);
/** Random.normalvariate(mu=0.0, sigma=1.0) (Kinderman and Monahan). */
function py_normalvariate(self: Ptr, args: number, nargs: number, kwnames: Ptr): Ptr {
  if (!bindPy(SIG_NORMAL, args, nargs, kwnames)) return NULL;
  const muO = PA[0];
  const sigmaO = PA[1];
  const bound = bindRandom(self);
  if (bound === -1) return NULL;
  const z = normalZ(self, bound);
  unbind(bound);
  if (failed()) return NULL;
  const mu = num(muO, 0.0);
  const sigma = num(sigmaO, 1.0);
  return floatResult(mu + z * sigma);
}

const SIG_GAUSS = sig('Random.gauss', ['mu', 'sigma'], 2, 0);
/** Random.gauss(mu=0.0, sigma=1.0): Box–Muller with the second value kept in gauss_next. */
function py_gauss(self: Ptr, args: number, nargs: number, kwnames: Ptr): Ptr {
  if (!bindPy(SIG_GAUSS, args, nargs, kwnames)) return NULL;
  const muO = PA[0];
  const sigmaO = PA[1];
  const bound = bindRandom(self);
  if (bound === -1) return NULL;
  const r = gaussBody(self, bound, muO, sigmaO);
  unbind(bound);
  return r;
}
function gaussBody(self: Ptr, bound: Ptr, muO: Ptr, sigmaO: Ptr): Ptr {
  const zObj = PyObject_GetAttrString(self, 'gauss_next');
  if (zObj === NULL) return NULL;
  if (setGaussNext(self, Py_None) < 0) {
    Py_DECREF(zObj);
    return NULL;
  }
  let z: number;
  if (zObj === Py_None) {
    Py_DECREF(zObj);
    const x2pi = selfRandom(self, bound) * TWOPI;
    if (callFailed) return NULL;
    const r2 = selfRandom(self, bound);
    if (callFailed) return NULL;
    const g2rad = Math.sqrt(-2.0 * m.log(1.0 - r2));
    z = m.cos(x2pi) * g2rad;
    const next = PyFloat_FromDouble(m.sin(x2pi) * g2rad);
    if (next === NULL) return NULL;
    const sr = setGaussNext(self, next);
    Py_DECREF(next);
    if (sr < 0) return NULL;
  } else {
    z = num(zObj, 0);
    Py_DECREF(zObj);
    if (failed()) return NULL;
  }
  const mu = num(muO, 0.0);
  const sigma = num(sigmaO, 1.0);
  return floatResult(mu + z * sigma);
}

const SIG_LOGNORM = sig('Random.lognormvariate', ['mu', 'sigma'], 2, 2);
/** Random.lognormvariate(mu, sigma) = exp(self.normalvariate(mu, sigma)). */
function py_lognormvariate(self: Ptr, args: number, nargs: number, kwnames: Ptr): Ptr {
  if (!bindPy(SIG_LOGNORM, args, nargs, kwnames)) return NULL;
  const muO = PA[0];
  const sigmaO = PA[1];
  let v: number;
  if (pristine(self)) {
    gcTransientLink();
    const z = normalZ(self, NULL);
    gcTransientUnlink();
    const mu = num(muO, 0);
    const sigma = num(sigmaO, 0);
    if (failed()) return NULL;
    v = mu + z * sigma;
  } else {
    v = takeDouble(PyObject_CallMethodArgs(self, 'normalvariate', muO, sigmaO));
    if (callFailed) return NULL;
  }
  const r = m.exp(v);
  if (r === Infinity && v === v && v !== Infinity) return setErr(PyExc_OverflowError, 'math range error');
  return PyFloat_FromDouble(r);
}

const SIG_EXPO = sig('Random.expovariate', ['lambd'], 1, 1);
/** Random.expovariate(lambd) = -log(1.0 - self.random()) / lambd. */
function py_expovariate(self: Ptr, args: number, nargs: number, kwnames: Ptr): Ptr {
  if (!bindPy(SIG_EXPO, args, nargs, kwnames)) return NULL;
  const lambdO = PA[0];
  const u = randomOnce(self);
  if (failed()) return NULL;
  const lambd = num(lambdO, 0);
  if (failed()) return NULL;
  return floatResult(fdiv(-m.log(1.0 - u), lambd));
}

const SIG_VONMISES = sig('Random.vonmisesvariate', ['mu', 'kappa'], 2, 2);
/** Random.vonmisesvariate(mu, kappa) (Fisher's algorithm, as 3.11). */
function py_vonmisesvariate(self: Ptr, args: number, nargs: number, kwnames: Ptr): Ptr {
  if (!bindPy(SIG_VONMISES, args, nargs, kwnames)) return NULL;
  const muO = PA[0];
  const kappaO = PA[1];
  const mu = num(muO, 0);
  const kappa = num(kappaO, 0);
  if (failed()) return NULL;
  const bound = bindRandom(self);
  if (bound === -1) return NULL;
  const v = vonmises(self, bound, mu, kappa);
  unbind(bound);
  return floatResult(v);
}
function vonmises(self: Ptr, bound: Ptr, mu: number, kappa: number): number {
  if (kappa <= 1e-6) return TWOPI * selfRandom(self, bound);
  const s = 0.5 / kappa;
  const r = s + Math.sqrt(1.0 + s * s);
  let z: number;
  for (;;) {
    const u1 = selfRandom(self, bound);
    if (callFailed) return NaN;
    z = m.cos(PI * u1);
    const d = z / (r + z);
    const u2 = selfRandom(self, bound);
    if (callFailed) return NaN;
    if (u2 < 1.0 - d * d || u2 <= (1.0 - d) * m.exp(d)) break;
  }
  const q = 1.0 / r;
  const f = (q + z) / (1.0 + q * z);
  const u3 = selfRandom(self, bound);
  if (callFailed) return NaN;
  return u3 > 0.5 ? fmodPy(mu + m.acos(f), TWOPI) : fmodPy(mu - m.acos(f), TWOPI);
}

/** Random.gammavariate's body on doubles (alpha, beta > 0 checked by the caller). */
function gamma(self: Ptr, bound: Ptr, alpha: number, beta: number): number {
  if (alpha > 1.0) {
    const ainv = Math.sqrt(2.0 * alpha - 1.0);
    const bbb = alpha - LOG4;
    const ccc = alpha + ainv;
    for (;;) {
      const u1 = selfRandom(self, bound);
      if (callFailed) return NaN;
      if (!(1e-7 < u1 && u1 < 0.9999999)) continue;
      const u2 = 1.0 - selfRandom(self, bound);
      if (callFailed) return NaN;
      const v = m.log(u1 / (1.0 - u1)) / ainv;
      const x = alpha * m.exp(v);
      const z = u1 * u1 * u2;
      const r = bbb + ccc * v - x;
      if (r + SG_MAGICCONST - 4.5 * z >= 0.0 || r >= m.log(z)) return x * beta;
    }
  }
  if (alpha === 1.0) {
    const u = selfRandom(self, bound);
    if (callFailed) return NaN;
    return -m.log(1.0 - u) * beta;
  }
  let x: number;
  for (;;) {
    const u = selfRandom(self, bound);
    if (callFailed) return NaN;
    const b = (E + alpha) / E;
    const p = b * u;
    if (p <= 1.0) x = m.pow(p, 1.0 / alpha);
    else x = -m.log((b - p) / alpha);
    const u1 = selfRandom(self, bound);
    if (callFailed) return NaN;
    if (p > 1.0) {
      if (u1 <= m.pow(x, alpha - 1.0)) break;
    } else if (u1 <= m.exp(-x)) break;
  }
  return x * beta;
}
function gammaChecked(self: Ptr, alpha: number, beta: number): number {
  if (alpha <= 0.0 || beta <= 0.0) {
    PyErr_SetString(PyExc_ValueError, 'gammavariate: alpha and beta must be > 0.0');
    return NaN;
  }
  const bound = bindRandom(self);
  if (bound === -1) return NaN;
  const v = gamma(self, bound, alpha, beta);
  unbind(bound);
  return v;
}
const SIG_GAMMA = sig('Random.gammavariate', ['alpha', 'beta'], 2, 2);
/** Random.gammavariate(alpha, beta). */
function py_gammavariate(self: Ptr, args: number, nargs: number, kwnames: Ptr): Ptr {
  if (!bindPy(SIG_GAMMA, args, nargs, kwnames)) return NULL;
  const alphaO = PA[0];
  const betaO = PA[1];
  const alpha = num(alphaO, 0);
  const beta = num(betaO, 0);
  if (failed()) return NULL;
  return floatResult(gammaChecked(self, alpha, beta));
}

/** self.gammavariate(alpha, 1.0) for betavariate: a double, NaN + exception on error. */
function callGamma(self: Ptr, alphaO: Ptr): number {
  if (pristine(self)) {
    const alpha = num(alphaO, 0);
    if (failed()) return NaN;
    return gammaChecked(self, alpha, 1.0);
  }
  const one = PyFloat_FromDouble(1.0);
  if (one === NULL) return NaN;
  const v = takeDouble(PyObject_CallMethodArgs(self, 'gammavariate', alphaO, one));
  Py_DECREF(one);
  return v;
}
const SIG_BETA = sig('Random.betavariate', ['alpha', 'beta'], 2, 2);
/** Random.betavariate(alpha, beta) from two gamma variates. */
function py_betavariate(self: Ptr, args: number, nargs: number, kwnames: Ptr): Ptr {
  if (!bindPy(SIG_BETA, args, nargs, kwnames)) return NULL;
  const alphaO = PA[0];
  const betaO = PA[1];
  const y = callGamma(self, alphaO);
  if (failed()) return NULL;
  if (y === 0) return PyFloat_FromDouble(0.0);
  const y2 = callGamma(self, betaO);
  if (failed()) return NULL;
  return floatResult(fdiv(y, y + y2));
}

const SIG_PARETO = sig('Random.paretovariate', ['alpha'], 1, 1);
/** Random.paretovariate(alpha) = (1.0 - self.random()) ** (-1.0 / alpha). */
function py_paretovariate(self: Ptr, args: number, nargs: number, kwnames: Ptr): Ptr {
  if (!bindPy(SIG_PARETO, args, nargs, kwnames)) return NULL;
  const alphaO = PA[0];
  const u = 1.0 - randomOnce(self);
  if (failed()) return NULL;
  const alpha = num(alphaO, 0);
  if (failed()) return NULL;
  const e = fdiv(-1.0, alpha);
  return floatResult(m.pow(u, e));
}

const SIG_WEIBULL = sig('Random.weibullvariate', ['alpha', 'beta'], 2, 2);
/** Random.weibullvariate(alpha, beta) = alpha * (-log(1.0 - self.random())) ** (1.0 / beta). */
function py_weibullvariate(self: Ptr, args: number, nargs: number, kwnames: Ptr): Ptr {
  if (!bindPy(SIG_WEIBULL, args, nargs, kwnames)) return NULL;
  const alphaO = PA[0];
  const betaO = PA[1];
  const u = 1.0 - randomOnce(self);
  if (failed()) return NULL;
  const alpha = num(alphaO, 0);
  const beta = num(betaO, 0);
  if (failed()) return NULL;
  const e = fdiv(1.0, beta);
  return floatResult(alpha * m.pow(-m.log(u), e));
}

// ---------------------------------------------------------------------------------------------
// the class random.Random and the module
// ---------------------------------------------------------------------------------------------
const FCK = METH_FASTCALL | METH_KEYWORDS;
const pyRandomMethods: MethodDef[] = [
  { name: '__init__', flags: FCK, fn: py_init, doc: 'Initialize an instance.' },
  { name: 'seed', flags: FCK, fn: py_seed, doc: 'Initialize internal state from a seed.' },
  { name: 'getstate', flags: FCK, fn: py_getstate, doc: 'Return internal state; can be passed to setstate() later.' },
  { name: 'setstate', flags: FCK, fn: py_setstate, doc: 'Restore internal state from object returned by getstate().' },
  { name: '_randbelow_with_getrandbits', flags: FCK, fn: py_randbelow_with, doc: 'Return a random int in the range [0,n).  Defined for n > 0.' },
  { name: '_randbelow_without_getrandbits', flags: FCK, fn: py_randbelow_without, doc: 'Return a random int in the range [0,n).  Defined for n > 0.' },
  { name: '_randbelow', flags: FCK, fn: py_randbelow, doc: 'Return a random int in the range [0,n).  Defined for n > 0.' },
  { name: 'randbytes', flags: FCK, fn: py_randbytes, doc: 'Generate n random bytes.' },
  { name: 'randrange', flags: FCK, fn: py_randrange, doc: 'Choose a random item from range(stop) or range(start, stop[, step]).' },
  { name: 'randint', flags: FCK, fn: py_randint, doc: 'Return random integer in range [a, b], including both end points.' },
  { name: 'choice', flags: FCK, fn: py_choice, doc: 'Choose a random element from a non-empty sequence.' },
  { name: 'shuffle', flags: FCK, fn: py_shuffle, doc: 'Shuffle list x in place, and return None.' },
  { name: 'sample', flags: FCK, fn: py_sample, doc: 'Chooses k unique random elements from a population sequence.' },
  { name: 'choices', flags: FCK, fn: py_choices, doc: 'Return a k sized list of population elements chosen with replacement.' },
  { name: 'uniform', flags: FCK, fn: py_uniform, doc: 'Get a random number in the range [a, b) or [a, b] depending on rounding.' },
  { name: 'triangular', flags: FCK, fn: py_triangular, doc: 'Triangular distribution.' },
  { name: 'normalvariate', flags: FCK, fn: py_normalvariate, doc: 'Normal distribution.' },
  { name: 'gauss', flags: FCK, fn: py_gauss, doc: 'Gaussian distribution.' },
  { name: 'lognormvariate', flags: FCK, fn: py_lognormvariate, doc: 'Log normal distribution.' },
  { name: 'expovariate', flags: FCK, fn: py_expovariate, doc: 'Exponential distribution.' },
  { name: 'vonmisesvariate', flags: FCK, fn: py_vonmisesvariate, doc: 'Circular data distribution.' },
  { name: 'gammavariate', flags: FCK, fn: py_gammavariate, doc: 'Gamma distribution.  Not the gamma function!' },
  { name: 'betavariate', flags: FCK, fn: py_betavariate, doc: 'Beta distribution.' },
  { name: 'paretovariate', flags: FCK, fn: py_paretovariate, doc: 'Pareto distribution.  alpha is the shape parameter.' },
  { name: 'weibullvariate', flags: FCK, fn: py_weibullvariate, doc: 'Weibull distribution.' },
];

// ---- SystemRandom: os.urandom instead of the twister (Lib/random.py) ----
const URANDOM = new Uint8Array(8);

/** SystemRandom.random(): 53 bits of 7 OS bytes (big endian >> 3) times 2**-53. */
function sys_random(self: Ptr, _args: number, nargs: number, kwnames: Ptr): Ptr {
  if (!bindPy(SIG_SYS_RANDOM, 0, nargs, kwnames)) return NULL;
  randomFillSync(URANDOM.subarray(0, 7));
  let hi = 0;
  for (let i = 0; i < 3; i++) hi = hi * 256 + URANDOM[i];
  let lo = 0;
  for (let i = 3; i < 7; i++) lo = lo * 256 + URANDOM[i];
  return PyFloat_FromDouble(Math.floor((hi * TWO32 + lo) / 8) * RECIP_BPF_VALUE);
}
const SIG_SYS_RANDOM = sig('SystemRandom.random', [], 0, 0);
const RECIP_BPF_VALUE = 2 ** -53;

const SIG_SYS_BITS = sig('SystemRandom.getrandbits', ['k'], 1, 1);
/** SystemRandom.getrandbits(k): int.from_bytes(urandom((k + 7) // 8)) >> (8 * nbytes - k). */
function sys_getrandbits(self: Ptr, args: number, nargs: number, kwnames: Ptr): Ptr {
  if (!bindPy(SIG_SYS_BITS, args, nargs, kwnames)) return NULL;
  const kObj = PA[0];
  const neg = PyObject_RichCompareBool(kObj, smallInt(0), Py_LT);
  if (neg < 0) return NULL;
  if (neg === 1) return setErr(PyExc_ValueError, 'number of bits must be non-negative');
  const k = asCInt(kObj);
  if (k === -1 && PyErr_Occurred() !== NULL) return NULL;
  const nbytes = (k + 7) >>> 3;
  const b = new Uint8Array(nbytes);
  randomFillSync(b);
  let v = 0n;
  for (let i = 0; i < nbytes; i++) v = (v << 8n) | BigInt(b[i]);
  return PyLong_FromBigInt(v >> BigInt(nbytes * 8 - k));
}

const SIG_SYS_BYTES = sig('SystemRandom.randbytes', ['n'], 1, 1);
/** SystemRandom.randbytes(n) = os.urandom(n). */
function sys_randbytes(self: Ptr, args: number, nargs: number, kwnames: Ptr): Ptr {
  if (!bindPy(SIG_SYS_BYTES, args, nargs, kwnames)) return NULL;
  const n = asCInt(PA[0]);
  if (n === -1 && PyErr_Occurred() !== NULL) return NULL;
  if (n < 0) return setErr(PyExc_ValueError, 'negative argument not allowed');
  const out = _PyBytes_FromSize(n);
  if (out === NULL || n === 0) return out;
  const at = PyBytes_AS_STRING(out);
  randomFillSync(U8.subarray(at, at + n));
  return out;
}

/** SystemRandom.seed(*args, **kwds): does nothing. */
function sys_seed(): Ptr {
  return newNone();
}
/** SystemRandom.getstate / setstate (_notimplemented). */
function sys_notimplemented(): Ptr {
  return setErr(PyExc_NotImplementedError, 'System entropy source does not have state.');
}

const sysRandomMethods: MethodDef[] = [
  { name: 'random', flags: FCK, fn: sys_random, doc: 'Get the next random number in the range 0.0 <= X < 1.0.' },
  { name: 'getrandbits', flags: FCK, fn: sys_getrandbits, doc: 'getrandbits(k) -> x.  Generates an int with k random bits.' },
  { name: 'randbytes', flags: FCK, fn: sys_randbytes, doc: 'Generate n random bytes.' },
  { name: 'seed', flags: FCK, fn: sys_seed, doc: 'Stub method.  Not used for a system random number generator.' },
  { name: '_notimplemented', flags: FCK, fn: sys_notimplemented, doc: 'Method should not be called for a system random number generator.' },
  { name: 'getstate', flags: FCK, fn: sys_notimplemented, doc: 'Method should not be called for a system random number generator.' },
  { name: 'setstate', flags: FCK, fn: sys_notimplemented, doc: 'Method should not be called for a system random number generator.' },
];

/** The module-level functions: bound methods of `_inst` (Lib/random.py's list). */
const EXPORTED = [
  'seed', 'random', 'uniform', 'triangular', 'randint', 'choice', 'randrange', 'sample', 'shuffle', 'choices',
  'normalvariate', 'lognormvariate', 'expovariate', 'vonmisesvariate', 'gammavariate', 'gauss', 'betavariate',
  'paretovariate', 'weibullvariate', 'getstate', 'setstate', 'getrandbits', 'randbytes',
];
const ALL = [
  'Random', 'SystemRandom', 'betavariate', 'choice', 'choices', 'expovariate', 'gammavariate', 'gauss', 'getrandbits',
  'getstate', 'lognormvariate', 'normalvariate', 'paretovariate', 'randbytes', 'randint', 'random', 'randrange',
  'sample', 'seed', 'setstate', 'shuffle', 'triangular', 'uniform', 'vonmisesvariate', 'weibullvariate',
];

/** dict[name] = v (v is a NEW reference, consumed). 0 / -1. */
function setStolen(d: Ptr, name: string, v: Ptr): number {
  if (v === NULL) return -1;
  const k = PyUnicode_InternFromString(name);
  if (k === NULL) {
    Py_DECREF(v);
    return -1;
  }
  const r = PyDict_SetItem(d, k, v);
  Py_DECREF(k);
  Py_DECREF(v);
  return r;
}

/** A class of the module made like a class statement would: `name(base)` with __module__,
 *  __qualname__, __doc__, `extra` attributes (new references, consumed) and method descriptors
 *  for `defs` (their code is here). New reference or NULL. */
function makeClass(name: string, base: Ptr, doc: string, extra: [string, Ptr][], defs: MethodDef[]): Ptr {
  const d = PyDict_New();
  if (d === NULL) {
    extra.forEach(([, v]) => Py_XDECREF(v));
    return NULL;
  }
  let ok =
    setStolen(d, '__module__', PyUnicode_FromString('random')) === 0 &&
    setStolen(d, '__qualname__', PyUnicode_FromString(name)) === 0 &&
    setStolen(d, '__doc__', PyUnicode_FromString(doc)) === 0;
  for (const [k, v] of extra) {
    if (ok) ok = setStolen(d, k, v) === 0;
    else Py_XDECREF(v);
  }
  for (const def of defs) if (ok) ok = setStolen(d, def.name, PyDescr_NewMethod(RandomType, def)) === 0;
  const nameObj = ok ? PyUnicode_FromString(name) : NULL;
  const bases = nameObj === NULL ? NULL : PyTuple_New(1);
  const args = bases === NULL ? NULL : PyTuple_New(3);
  if (args === NULL) {
    Py_XDECREF(nameObj);
    Py_XDECREF(bases);
    Py_DECREF(d);
    return NULL;
  }
  Py_INCREF(base);
  PyTuple_SET_ITEM(bases!, 0, base);
  PyTuple_SET_ITEM(args, 0, nameObj!);
  PyTuple_SET_ITEM(args, 1, bases!);
  PyTuple_SET_ITEM(args, 2, d);
  const cls = type_new(PyType_Type, args, NULL);
  Py_DECREF(args);
  return cls;
}

/** The class random.Random (a new heap type deriving from _random.Random). New ref or NULL. */
function makeRandomClass(): Ptr {
  return makeClass('Random', RandomType, 'Random number generator base class used by bound module functions.', [['VERSION', PyLong_FromNumber(3)]], pyRandomMethods);
}

const LIB = libDynload('x').replace(/lib-dynload\/.*$/, '');

/** The module `random` (≈ executing Lib/random.py): the class, the hidden instance `_inst`
 *  seeded from the OS, the module functions bound to it, the constants. New reference or NULL. */
export function initRandom(): Ptr {
  const c = importRandomC();
  if (c === NULL) return NULL;
  Py_DECREF(c);
  const cls = makeRandomClass();
  if (cls === NULL) return NULL;
  pristineType = cls;
  pristineTag = typeVersionTag(cls);
  const inst = PyObject_CallNoArgs(cls);
  if (inst === NULL) {
    Py_DECREF(cls);
    return NULL;
  }
  const mod = PyModule_New('random');
  if (mod === NULL) {
    Py_DECREF(cls);
    Py_DECREF(inst);
    return NULL;
  }
  const d = PyModule_GetDict(mod);
  let ok = setStolen(d, '__doc__', PyUnicode_FromString('Random variable generators.')) === 0;
  if (ok) {
    const all = PyList_New(0);
    ok = all !== NULL;
    for (const n of ALL) {
      if (!ok) break;
      const s = PyUnicode_InternFromString(n);
      ok = s !== NULL && PyList_Append(all, s) === 0;
      Py_XDECREF(s);
    }
    ok = ok && setStolen(d, '__all__', all) === 0;
  }
  const consts: [string, number][] = [['NV_MAGICCONST', NV_MAGICCONST], ['LOG4', LOG4], ['SG_MAGICCONST', SG_MAGICCONST], ['TWOPI', TWOPI], ['RECIP_BPF', RECIP_BPF]];
  for (const [n, v] of consts) if (ok) ok = setStolen(d, n, PyFloat_FromDouble(v)) === 0;
  if (ok) ok = setStolen(d, 'BPF', PyLong_FromNumber(53)) === 0;
  if (ok) {
    Py_INCREF(cls);
    ok = setStolen(d, 'Random', cls) === 0;
  }
  if (ok) {
    Py_INCREF(inst);
    ok = setStolen(d, '_inst', inst) === 0;
  }
  if (ok) ok = setStolen(d, 'SystemRandom', makeClass('SystemRandom', cls, 'Alternate random number generator using sources provided by the operating system.', [], sysRandomMethods)) === 0;
  for (const n of EXPORTED) if (ok) ok = setStolen(d, n, PyObject_GetAttrString(inst, n)) === 0;
  Py_DECREF(inst);
  Py_DECREF(cls);
  if (!ok) {
    Py_DECREF(mod);
    return NULL;
  }
  return mod;
}
function importRandomC(): Ptr {
  return PyImport_ImportModule('_random');
}

registerBuiltinModule('_random', initRandomC, libDynload('_random'));
registerBuiltinModule('random', initRandom, `${LIB}random.py`);
