// int (≈ Objects/longobject.c, Include/cpython/longintrepr.h, CPython 3.11) — and the bool type
// object, whose instances are ints (the bool behaviour itself lives in boolobject.ts).
//
// Layout (PyLongObject), 64-bit:
//
//    0 ob_refcnt
//    8 ob_type
//   16 ob_size    signed 8 bytes: ±(number of digits); 0 for zero; the sign of the value
//   24 ob_digit[] uint32 each, 30 bits used (PyLong_SHIFT), least significant first
//
// The block is 24 + 4·max(1, |ob_size|) bytes (zero keeps one digit, which is 0), so
// sys.getsizeof(0) == 28, 2**30 → 32, 2**60 → 36 (reference §2.3). The value is
// sign(ob_size) · Σ digit[i]·2^(30·i), normalized: the top digit is never 0.
//
// Small ints −5..256 are static objects (refcount STATIC_REFCNT) laid out 32 bytes apart in the
// static region; every operation whose result falls in that range returns the cached object
// (≈ get_small_int / maybe_small_long).
//
// Arithmetic: the "compact" ints (|ob_size| ≤ 1, |v| < 2^30) and the two-digit ints below 2^53
// are computed with JS doubles, exactly (results are checked to stay below 2^53). Anything
// larger is converted to a JS BigInt for the operation and back (Rule 1: the BigInt is a
// transient value of one operation, never kept). Conversions go through hexadecimal text, two
// 30-bit digits being exactly 15 hex digits, so they are linear in the size.
//
// Semantics mirror CPython's: floor division and modulo round toward −∞, shifts of negatives
// are arithmetic, bitwise operations use infinite two's complement, `**` with a negative
// exponent goes to float, int/int true division is correctly rounded (≈ long_true_divide),
// hash is sign·(|v| mod 2^61−1) with −1 → −2, int↔str obeys the 4300-digit limit.

import { type Ptr, NULL, I32 as heapI32, U32 as heapU32, U8 as heapU8, staticAlloc, isStatic } from '../mem/heap.js';
import { PyObject_Malloc, PyObject_Free } from '../mem/pymem.js';
import { OB_TYPE, OB_SIZE, STATIC_REFCNT, HASH_HI, Py_DECREF, hashFromBigInt } from '../object.js';
import {
  newStaticType, TP_FLAGS, Py_TPFLAGS_BASETYPE, Py_TPFLAGS_LONG_SUBCLASS,
  Py_EQ, Py_NE, Py_LT, Py_LE, Py_GT, METH_NOARGS, METH_O, METH_FASTCALL, METH_KEYWORDS, METH_CLASS,
  typeName, slotsOf, type MethodDef, type GetSetDef,
} from '../typeobject.js';
import { PyType_GenericAlloc } from '../gc.js';
import { PyErr_SetString, PyErr_NoMemory, PyErr_Occurred } from '../errors.js';
import { PyExc_ValueError, PyExc_TypeError, PyExc_OverflowError, PyExc_ZeroDivisionError } from './exceptions.js';
import { Py_None, Py_NotImplemented } from './noneobject.js';
import { bool_repr, bool_and, bool_or, bool_xor, bool_vectorcall, bool_dealloc, bool_new } from './boolobject.js';
import { PyUnicode_FromString, unicodeToJs, PyUnicode_Check, PyUnicode_New, get_latin1_char, ASCII_DATA } from './unicodeobject.js';
import { PyFloat_FromDouble, float_pow_impl } from './floatobject.js';
import { PyNumber_Index, PyNumber_Long, PyObject_Repr, PyNumber_AsSsize_t } from '../abstract.js';
import { formatLong } from './format.js';
import { PyTuple_Pack2 } from './tupleobject.js';
import { PyBytes_Check, PyBytes_FromJsBytes, bytesAsU8 } from './bytesobject.js';


// The heap views as file-local constants: V8 reads an imported binding through its module
// cell on every use (measured ~2x slower in hot loops than a local const).
const I32 = heapI32;
const U32 = heapU32;
const U8 = heapU8;
// ---- layout ----
export const LONG_SIZE = OB_SIZE; // signed digit count
export const LONG_DIGITS = 24; // ob_digit[0]
export const PyLong_SHIFT = 30;
export const PyLong_BASE = 1 << 30;
export const PyLong_MASK = PyLong_BASE - 1;
/** offsetof(PyLongObject, ob_digit) */
export const LONG_HEADER = 24;
export const NSMALLNEGINTS = 5;
export const NSMALLPOSINTS = 257;
/** distance between two small ints in the static region */
export const SMALL_INT_STRIDE = 32;
const MAX_SAFE = Number.MAX_SAFE_INTEGER; // 2^53 − 1
const TWO30 = 1073741824;
const TWO32 = 4294967296;
/** 2^61 − 1, the modulus of numeric hashes */
export const PyHASH_MODULUS = (1n << 61n) - 1n;

// ---- the types ----
/** `int` (≈ PyLong_Type): basicsize 24 (offsetof ob_digit), itemsize 4. Slots are attached
 *  below (before `bool` is derived from it). */
export const PyLong_Type: Ptr = newStaticType({
  name: 'int',
  basicsize: LONG_HEADER,
  itemsize: 4,
  flags: Py_TPFLAGS_BASETYPE | Py_TPFLAGS_LONG_SUBCLASS,
  slots: {
    tp_dealloc: long_dealloc,
    tp_repr: long_to_decimal_string,
    tp_hash: long_hash,
    tp_richcompare: long_richcompare,
    tp_vectorcall: long_vectorcall,
    tp_new: long_new,
    tp_sizeof: long_sizeof,
    nb_add: long_add,
    nb_subtract: long_sub,
    nb_multiply: long_mul,
    nb_remainder: long_mod,
    nb_divmod: long_divmod,
    nb_power: long_pow,
    nb_negative: long_neg,
    nb_positive: long_long,
    nb_absolute: long_abs,
    nb_bool: long_bool,
    nb_invert: long_invert,
    nb_lshift: long_lshift,
    nb_rshift: long_rshift,
    nb_and: long_and,
    nb_xor: long_xor,
    nb_or: long_or,
    nb_int: long_long,
    nb_float: long_float,
    nb_floor_divide: long_div,
    nb_true_divide: long_true_divide,
    nb_index: long_long,
  },
});

/** `bool` (≈ PyBool_Type): a final subclass of int; True and False are its only instances.
 *  Created here because it needs PyLong_Type at load time; its slot functions are the hoisted
 *  function declarations of boolobject.ts. */
export const PyBool_Type: Ptr = newStaticType({
  name: 'bool',
  basicsize: 32, // sizeof(struct _longobject), padded
  itemsize: 0,
  base: PyLong_Type,
  slots: {
    tp_dealloc: bool_dealloc,
    tp_repr: bool_repr,
    nb_and: bool_and,
    nb_or: bool_or,
    nb_xor: bool_xor,
    tp_vectorcall: bool_vectorcall,
    tp_new: bool_new,
  },
});

// ---- static objects: small ints, False, True ----
function newStaticLong(type: Ptr, v: number): Ptr {
  const o = staticAlloc(SMALL_INT_STRIDE, 16);
  I32[o >> 2] = STATIC_REFCNT;
  I32[(o + OB_TYPE) >> 2] = type;
  const a = v < 0 ? -v : v;
  const s = v < 0 ? -1 : v > 0 ? 1 : 0;
  I32[(o + LONG_SIZE) >> 2] = s;
  I32[(o + LONG_SIZE + 4) >> 2] = s < 0 ? -1 : 0;
  U32[(o + LONG_DIGITS) >> 2] = a;
  return o;
}
/** Address of the small int −5 (the others follow every SMALL_INT_STRIDE bytes). */
export const SMALL_INTS_BASE: Ptr = newStaticLong(PyLong_Type, -NSMALLNEGINTS);
for (let v = -NSMALLNEGINTS + 1; v < NSMALLPOSINTS; v++) newStaticLong(PyLong_Type, v);
/** the small int object for −5 ≤ v ≤ 256 (borrowed) */
export function smallInt(v: number): Ptr {
  return SMALL_INTS_BASE + (v + NSMALLNEGINTS) * SMALL_INT_STRIDE;
}

function newBoolObject(v: number): Ptr {
  const o = newStaticLong(PyBool_Type, v);
  I32[o >> 2] = 1; // counted normally (reference §4.1)
  return o;
}
/** False (≈ Py_False): borrowed; INCREF when handing it out. */
export const Py_False: Ptr = newBoolObject(0);
/** True (≈ Py_True): borrowed; INCREF when handing it out. */
export const Py_True: Ptr = newBoolObject(1);

// ---- checks and field access ----
/** ≈ PyLong_Check: int or a subclass (bool included). */
export function PyLong_Check(o: Ptr): boolean {
  return (I32[(I32[(o + OB_TYPE) >> 2] + TP_FLAGS) >> 2] & Py_TPFLAGS_LONG_SUBCLASS) !== 0;
}
/** ≈ PyLong_CheckExact */
export function PyLong_CheckExact(o: Ptr): boolean {
  return I32[(o + OB_TYPE) >> 2] === PyLong_Type;
}
/** ob_size: ±number of digits. */
export function longSize(o: Ptr): number {
  return I32[(o + LONG_SIZE) >> 2];
}
/** digit i (0 = least significant) */
export function longDigit(o: Ptr, i: number): number {
  return U32[((o + LONG_DIGITS) >> 2) + i];
}
/** A compact int has at most one digit: |v| < 2^30 (the VM's inline fast paths test this). */
export function isCompact(o: Ptr): boolean {
  const s = I32[(o + LONG_SIZE) >> 2];
  return s >= -1 && s <= 1;
}
/** The value of a compact int (valid only when isCompact(o)). */
export function compactValue(o: Ptr): number {
  return I32[(o + LONG_SIZE) >> 2] * U32[(o + LONG_DIGITS) >> 2];
}
/** The exact value when |v| ≤ 2^53 − 1 (at most two digits), else NaN. */
export function smallValue(o: Ptr): number {
  const s = I32[(o + LONG_SIZE) >> 2];
  const d = (o + LONG_DIGITS) >> 2;
  switch (s) {
    case 0:
      return 0;
    case 1:
      return U32[d];
    case -1:
      return -U32[d];
    case 2: {
      const v = U32[d + 1] * TWO30 + U32[d];
      return v <= MAX_SAFE ? v : NaN;
    }
    case -2: {
      const v = U32[d + 1] * TWO30 + U32[d];
      return v <= MAX_SAFE ? -v : NaN;
    }
  }
  return NaN;
}

// ---- allocation ----
/** Largest digit count we allow (≈ MAX_LONG_DIGITS; the heap runs out long before). */
const MAX_LONG_DIGITS = 0x3fffffff >> 2;

/** ≈ _PyLong_New: an exact int with room for `ndigits` digits (ob_size = ndigits, digits not
 *  set). New reference, or NULL with OverflowError/MemoryError set. */
export function _PyLong_New(ndigits: number): Ptr {
  if (ndigits > MAX_LONG_DIGITS) {
    PyErr_SetString(PyExc_OverflowError, 'too many digits in integer');
    return NULL;
  }
  const o = PyObject_Malloc(LONG_HEADER + 4 * (ndigits > 1 ? ndigits : 1));
  if (o === NULL) return PyErr_NoMemory();
  I32[o >> 2] = 1;
  I32[(o >> 2) + 1] = 0;
  I32[(o + OB_TYPE) >> 2] = PyLong_Type;
  I32[(o + OB_TYPE + 4) >> 2] = 0;
  I32[(o + LONG_SIZE) >> 2] = ndigits;
  I32[(o + LONG_SIZE + 4) >> 2] = 0;
  return o;
}

function setSize(o: Ptr, s: number): void {
  I32[(o + LONG_SIZE) >> 2] = s;
  I32[(o + LONG_SIZE + 4) >> 2] = s < 0 ? -1 : 0;
}

/** ≈ long_dealloc (exact ints; subclasses are freed by the subtype dealloc). Static ints are
 *  never freed: a refcount bug reaching one restores its count instead of corrupting memory. */
export function long_dealloc(o: Ptr): void {
  if (isStatic(o)) {
    I32[o >> 2] = STATIC_REFCNT;
    return;
  }
  PyObject_Free(o);
}

/** ≈ int.__sizeof__: 24 + 4·max(1, |ob_size|) */
export function long_sizeof(o: Ptr): number {
  const s = I32[(o + LONG_SIZE) >> 2];
  const n = s < 0 ? -s : s;
  return LONG_HEADER + 4 * (n > 1 ? n : 1);
}

// ---- construction from JS numbers and BigInts ----
/** ≈ PyLong_FromLong / PyLong_FromSsize_t for an integral JS number with |v| ≤ 2^53 (larger
 *  doubles are converted exactly too, as PyLong_FromDouble would). New reference (the cached
 *  object for −5..256), NULL + MemoryError on exhaustion. */
export function PyLong_FromNumber(v: number): Ptr {
  if (v >= -NSMALLNEGINTS && v < NSMALLPOSINTS) {
    const o = SMALL_INTS_BASE + (v + NSMALLNEGINTS) * SMALL_INT_STRIDE;
    I32[o >> 2]++;
    return o;
  }
  let a = v < 0 ? -v : v;
  if (a < TWO30) {
    const o = _PyLong_New(1);
    if (o === NULL) return NULL;
    U32[(o + LONG_DIGITS) >> 2] = a;
    if (v < 0) setSize(o, -1);
    return o;
  }
  if (a <= MAX_SAFE) {
    const hi = Math.floor(a / TWO30);
    if (hi < TWO30) {
      const o = _PyLong_New(2);
      if (o === NULL) return NULL;
      U32[(o + LONG_DIGITS) >> 2] = a - hi * TWO30;
      U32[(o + LONG_DIGITS + 4) >> 2] = hi;
      if (v < 0) setSize(o, -2);
      return o;
    }
  }
  return PyLong_FromBigInt(BigInt(v));
}
export const PyLong_FromLong = PyLong_FromNumber;
export const PyLong_FromSsize_t = PyLong_FromNumber;
export const PyLong_FromSize_t = PyLong_FromNumber;

/** New reference to the small int v (−5 ≤ v ≤ 256). */
function newSmall(v: number): Ptr {
  const o = SMALL_INTS_BASE + (v + NSMALLNEGINTS) * SMALL_INT_STRIDE;
  I32[o >> 2]++;
  return o;
}

const MAX_SAFE_BIG = BigInt(MAX_SAFE);
const HEX_PAD = '000000000000000';

/** A new int with the value of a BigInt (small-int cache applies). New reference or NULL. */
export function PyLong_FromBigInt(v: bigint): Ptr {
  if (v >= -MAX_SAFE_BIG && v <= MAX_SAFE_BIG) return PyLong_FromNumber(Number(v));
  const neg = v < 0n;
  const hex = (neg ? -v : v).toString(16);
  // 15 hex digits = 60 bits = two 30-bit digits
  const nchunks = Math.ceil(hex.length / 15);
  const padded = HEX_PAD.slice(0, nchunks * 15 - hex.length) + hex;
  let nd = nchunks * 2;
  const top = parseInt(padded.slice(0, 7), 16);
  const topB = parseInt(padded.slice(7, 15), 16);
  if (((top << 2) | Math.floor(topB / TWO30)) === 0) nd--; // the top digit of the top pair is 0
  const o = _PyLong_New(nd);
  if (o === NULL) return NULL;
  const d = (o + LONG_DIGITS) >> 2;
  for (let c = 0; c < nchunks; c++) {
    const at = (nchunks - 1 - c) * 15;
    const A = parseInt(padded.slice(at, at + 7), 16); // bits 32..59
    const B = parseInt(padded.slice(at + 7, at + 15), 16); // bits 0..31
    U32[d + 2 * c] = B & PyLong_MASK;
    if (2 * c + 1 < nd) U32[d + 2 * c + 1] = (A << 2) | Math.floor(B / TWO30);
  }
  if (neg) setSize(o, -nd);
  return o;
}

/** The value as a BigInt (any int, bool included). */
export function PyLong_AsBigInt(o: Ptr): bigint {
  const s = I32[(o + LONG_SIZE) >> 2];
  const n = s < 0 ? -s : s;
  const d = (o + LONG_DIGITS) >> 2;
  if (n <= 1) return BigInt(s * U32[d]);
  if (n === 2) {
    const v = U32[d + 1] * TWO30 + U32[d];
    if (v <= MAX_SAFE) return BigInt(s < 0 ? -v : v);
  }
  // pairs of digits → 15 hex digits each, most significant first
  const parts: string[] = [];
  for (let i = (n - 1) & ~1; i >= 0; i -= 2) {
    const lo = U32[d + i];
    const hi = i + 1 < n ? U32[d + i + 1] : 0;
    const A = hi >>> 2; // bits 32..59
    const B = ((hi & 3) * TWO30 + lo); // bits 0..31 (< 2^32)
    const as = A.toString(16);
    const bs = B.toString(16);
    parts.push(HEX_PAD.slice(0, 7 - as.length) + as + HEX_PAD.slice(0, 8 - bs.length) + bs);
  }
  const v = BigInt('0x' + parts.join(''));
  return s < 0 ? -v : v;
}

/** The value as a JS number: exact when |v| < 2^53, otherwise the nearest double (Infinity past
 *  the double range; no error is set — use PyLong_AsDouble for Python's OverflowError). */
export function PyLong_AsNumber(o: Ptr): number {
  const s = I32[(o + LONG_SIZE) >> 2];
  const d = (o + LONG_DIGITS) >> 2;
  switch (s) {
    case 0:
      return 0;
    case 1:
      return U32[d];
    case -1:
      return -U32[d];
    case 2:
      return U32[d + 1] * TWO30 + U32[d];
    case -2:
      return -(U32[d + 1] * TWO30 + U32[d]);
  }
  return Number(PyLong_AsBigInt(o));
}

/** ≈ PyLong_AsDouble: the correctly rounded double; −1 with OverflowError when out of range. */
export function PyLong_AsDouble(o: Ptr): number {
  const v = PyLong_AsNumber(o);
  if (v === Infinity || v === -Infinity) {
    PyErr_SetString(PyExc_OverflowError, 'int too large to convert to float');
    return -1;
  }
  return v;
}

/** ≈ PyLong_AsSsize_t: the value when it fits in a signed 64-bit integer (as a JS number:
 *  exact below 2^53); −1 with OverflowError otherwise. */
export function PyLong_AsSsize_t(o: Ptr): number {
  const v = smallValue(o);
  if (v === v) return v;
  const b = PyLong_AsBigInt(o);
  if (b >= -(1n << 63n) && b < 1n << 63n) return Number(b);
  PyErr_SetString(PyExc_OverflowError, 'Python int too large to convert to C ssize_t');
  return -1;
}
/** ≈ PyLong_AsLong (C long is 64-bit here) */
export function PyLong_AsLong(o: Ptr): number {
  const v = smallValue(o);
  if (v === v) return v;
  const b = PyLong_AsBigInt(o);
  if (b >= -(1n << 63n) && b < 1n << 63n) return Number(b);
  PyErr_SetString(PyExc_OverflowError, 'Python int too large to convert to C long');
  return -1;
}

/** ≈ _PyLong_Sign: −1, 0 or 1 */
export function _PyLong_Sign(o: Ptr): number {
  const s = I32[(o + LONG_SIZE) >> 2];
  return s < 0 ? -1 : s > 0 ? 1 : 0;
}

/** ≈ _PyLong_NumBits: bit length of |v| */
export function _PyLong_NumBits(o: Ptr): number {
  const s = I32[(o + LONG_SIZE) >> 2];
  const n = s < 0 ? -s : s;
  if (n === 0) return 0;
  return (n - 1) * PyLong_SHIFT + (32 - Math.clz32(U32[((o + LONG_DIGITS) >> 2) + n - 1]));
}

/** ≈ _PyLong_Copy: an exact int with the value of `o` (an int subclass instance). New ref. */
export function _PyLong_Copy(o: Ptr): Ptr {
  const s = I32[(o + LONG_SIZE) >> 2];
  const n = s < 0 ? -s : s;
  if (n <= 1) {
    const v = s * U32[(o + LONG_DIGITS) >> 2];
    if (v >= -NSMALLNEGINTS && v < NSMALLPOSINTS) return newSmall(v);
  }
  const r = _PyLong_New(n);
  if (r === NULL) return NULL;
  U32.copyWithin((r + LONG_DIGITS) >> 2, (o + LONG_DIGITS) >> 2, ((o + LONG_DIGITS) >> 2) + (n > 0 ? n : 1));
  setSize(r, s);
  return r;
}

/** ≈ PyLong_FromDouble: int(x) for a finite double (truncates toward zero). New reference, or
 *  NULL with ValueError (NaN) / OverflowError (infinity). */
export function PyLong_FromDouble(x: number): Ptr {
  if (x !== x) {
    PyErr_SetString(PyExc_ValueError, 'cannot convert float NaN to integer');
    return NULL;
  }
  if (x === Infinity || x === -Infinity) {
    PyErr_SetString(PyExc_OverflowError, 'cannot convert float infinity to integer');
    return NULL;
  }
  const t = Math.trunc(x);
  if (t >= -MAX_SAFE && t <= MAX_SAFE) return PyLong_FromNumber(t === 0 ? 0 : t);
  return PyLong_FromBigInt(BigInt(t));
}

// ---- NotImplemented / bool results ----
function notImplemented(): Ptr {
  I32[Py_NotImplemented >> 2]++;
  return Py_NotImplemented;
}
function newBool(b: boolean): Ptr {
  const o = b ? Py_True : Py_False;
  I32[o >> 2]++;
  return o;
}
function bothLongs(a: Ptr, b: Ptr): boolean {
  return (
    (I32[(I32[(a + OB_TYPE) >> 2] + TP_FLAGS) >> 2] & I32[(I32[(b + OB_TYPE) >> 2] + TP_FLAGS) >> 2] & Py_TPFLAGS_LONG_SUBCLASS) !== 0
  );
}

// ---- digit arithmetic on the heap (≈ x_add, x_sub, x_mul, long_bitwise, the shifts and
// divrem1 of longobject.c): results that leave the exact-double range are computed digit by
// digit, without a BigInt round trip. Products of two 30-bit digits are split into 15-bit
// halves so every intermediate stays an exact double (< 2^53). ----

/** Digits above this count go through BigInt for multiplication (≈ KARATSUBA_CUTOFF). */
const MUL_DIGIT_CUTOFF = 70;
const TWO15 = 32768;

/** ≈ long_normalize + maybe_small_long: strip leading zero digits of the n digits of the fresh
 *  int `z`, give it the sign, and return the cached small int instead (freeing z) when the
 *  value is in −5..256. Steals z; new reference. */
function longNormalize(z: Ptr, n: number, neg: boolean): Ptr {
  const d = (z + LONG_DIGITS) >> 2;
  while (n > 0 && U32[d + n - 1] === 0) n--;
  if (n <= 1) {
    const v = n === 0 ? 0 : neg ? -U32[d] : U32[d];
    if (v >= -NSMALLNEGINTS && v < NSMALLPOSINTS) {
      PyObject_Free(z);
      return newSmall(v);
    }
  }
  I32[(z + LONG_SIZE) >> 2] = neg ? -n : n;
  I32[(z + LONG_SIZE + 4) >> 2] = neg ? -1 : 0;
  return z;
}

/** ≈ x_add: |a| + |b|, negated when `neg`. New reference or NULL. */
function x_add(a: Ptr, na: number, b: Ptr, nb: number, neg: boolean): Ptr {
  if (na < nb) {
    const t = a; a = b; b = t;
    const tn = na; na = nb; nb = tn;
  }
  const z = _PyLong_New(na + 1);
  if (z === NULL) return NULL;
  const da = (a + LONG_DIGITS) >> 2;
  const db = (b + LONG_DIGITS) >> 2;
  const dz = (z + LONG_DIGITS) >> 2;
  let carry = 0;
  let i = 0;
  for (; i < nb; i++) {
    carry += U32[da + i] + U32[db + i];
    U32[dz + i] = carry & PyLong_MASK;
    carry >>>= PyLong_SHIFT;
  }
  for (; i < na; i++) {
    carry += U32[da + i];
    U32[dz + i] = carry & PyLong_MASK;
    carry >>>= PyLong_SHIFT;
  }
  U32[dz + i] = carry;
  return longNormalize(z, na + 1, neg);
}

/** ≈ x_sub: |a| − |b|, negated when `neg`. New reference or NULL. */
function x_sub(a: Ptr, na: number, b: Ptr, nb: number, neg: boolean): Ptr {
  let da = (a + LONG_DIGITS) >> 2;
  let db = (b + LONG_DIGITS) >> 2;
  if (na < nb) {
    neg = !neg;
    const t = da; da = db; db = t;
    const tn = na; na = nb; nb = tn;
  } else if (na === nb) {
    // the digits above the first difference cancel
    let i = na;
    while (--i >= 0 && U32[da + i] === U32[db + i]);
    if (i < 0) return newSmall(0);
    if (U32[da + i] < U32[db + i]) {
      neg = !neg;
      const t = da; da = db; db = t;
    }
    na = nb = i + 1;
  }
  const z = _PyLong_New(na);
  if (z === NULL) return NULL;
  const dz = (z + LONG_DIGITS) >> 2;
  let borrow = 0;
  let i = 0;
  for (; i < nb; i++) {
    const t = U32[da + i] - U32[db + i] - borrow;
    borrow = t < 0 ? 1 : 0;
    U32[dz + i] = t & PyLong_MASK;
  }
  for (; i < na; i++) {
    const t = U32[da + i] - borrow;
    borrow = t < 0 ? 1 : 0;
    U32[dz + i] = t & PyLong_MASK;
  }
  return longNormalize(z, na, neg);
}

/** a + b for two ints that are not both exact doubles. */
function longAddDigits(a: Ptr, b: Ptr): Ptr {
  const sa = I32[(a + LONG_SIZE) >> 2];
  const sb = I32[(b + LONG_SIZE) >> 2];
  const na = sa < 0 ? -sa : sa;
  const nb = sb < 0 ? -sb : sb;
  if (sa < 0) return sb < 0 ? x_add(a, na, b, nb, true) : x_sub(b, nb, a, na, false);
  return sb < 0 ? x_sub(a, na, b, nb, false) : x_add(a, na, b, nb, false);
}

/** a − b for two ints that are not both exact doubles. */
function longSubDigits(a: Ptr, b: Ptr): Ptr {
  const sa = I32[(a + LONG_SIZE) >> 2];
  const sb = I32[(b + LONG_SIZE) >> 2];
  const na = sa < 0 ? -sa : sa;
  const nb = sb < 0 ? -sb : sb;
  if (sa < 0) return sb < 0 ? x_sub(b, nb, a, na, false) : x_add(a, na, b, nb, true);
  return sb < 0 ? x_add(a, na, b, nb, false) : x_sub(a, na, b, nb, false);
}

/** The non-negative int hi·2^30 + lo from two digits (hi may be 0). New reference. */
function longFromTwoDigits(lo: number, hi: number): Ptr {
  if (hi === 0) {
    if (lo < NSMALLPOSINTS) return newSmall(lo);
    const o = _PyLong_New(1);
    if (o === NULL) return NULL;
    U32[(o + LONG_DIGITS) >> 2] = lo;
    return o;
  }
  const o = _PyLong_New(2);
  if (o === NULL) return NULL;
  U32[(o + LONG_DIGITS) >> 2] = lo;
  U32[(o + LONG_DIGITS + 4) >> 2] = hi;
  return o;
}

/** ≈ x_mul (schoolbook) for operands of at most MUL_DIGIT_CUTOFF digits. New reference. */
function longMulDigits(a: Ptr, b: Ptr): Ptr {
  const sa = I32[(a + LONG_SIZE) >> 2];
  const sb = I32[(b + LONG_SIZE) >> 2];
  const na = sa < 0 ? -sa : sa;
  const nb = sb < 0 ? -sb : sb;
  if (na === 0 || nb === 0) return newSmall(0);
  const nz = na + nb;
  const z = _PyLong_New(nz);
  if (z === NULL) return NULL;
  const da = (a + LONG_DIGITS) >> 2;
  const db = (b + LONG_DIGITS) >> 2;
  const dz = (z + LONG_DIGITS) >> 2;
  for (let i = 0; i < nz; i++) U32[dz + i] = 0;
  for (let i = 0; i < na; i++) {
    const x = U32[da + i];
    if (x === 0) continue;
    let carry = 0;
    let k = dz + i;
    for (let j = 0; j < nb; j++, k++) {
      const y = U32[db + j];
      const lo = x * (y & 0x7fff); // < 2^45
      const hi = x * (y >>> 15); // < 2^45
      const hiHigh = Math.floor(hi / TWO15);
      const t = U32[k] + carry + lo + (hi - hiHigh * TWO15) * TWO15; // < 2^47
      const q = Math.floor(t / TWO30);
      U32[k] = t - q * TWO30;
      carry = q + hiHigh;
    }
    // the digit above this row is still untouched by it: carry < 2^31 fits after propagation
    while (carry !== 0) {
      const t = U32[k] + carry;
      U32[k] = t & PyLong_MASK;
      carry = Math.floor(t / TWO30);
      k++;
    }
  }
  return longNormalize(z, nz, (sa < 0) !== (sb < 0));
}

const OP_AND = 0;
const OP_OR = 1;
const OP_XOR = 2;

/** ≈ long_bitwise: &, |, ^ in infinite two's complement, for ints that are not both compact.
 *  Negative operands are complemented digit by digit as they are read (CPython copies them
 *  into temporaries first); the result's size follows CPython's choice. New reference. */
function longBitwise(a: Ptr, op: number, b: Ptr): Ptr {
  let sa = I32[(a + LONG_SIZE) >> 2];
  let sb = I32[(b + LONG_SIZE) >> 2];
  if (sa >= 0 && sb >= 0) {
    // two non-negative ints whose result has at most two digits: digit by digit
    const nr = op === OP_AND ? (sa < sb ? sa : sb) : sa > sb ? sa : sb;
    if (nr <= 2) {
      const da = (a + LONG_DIGITS) >> 2;
      const db = (b + LONG_DIGITS) >> 2;
      const a0 = sa > 0 ? U32[da] : 0, a1 = sa > 1 ? U32[da + 1] : 0;
      const b0 = sb > 0 ? U32[db] : 0, b1 = sb > 1 ? U32[db + 1] : 0;
      if (op === OP_AND) return longFromTwoDigits(a0 & b0, a1 & b1);
      if (op === OP_OR) return longFromTwoDigits(a0 | b0, a1 | b1);
      return longFromTwoDigits(a0 ^ b0, a1 ^ b1);
    }
  }
  let na = sa < 0 ? -sa : sa;
  let nb = sb < 0 ? -sb : sb;
  if (na < nb) {
    const t = a; a = b; b = t;
    const tn = na; na = nb; nb = tn;
    const ts = sa; sa = sb; sb = ts;
  }
  const nega = sa < 0;
  const negb = sb < 0;
  let negz: boolean;
  let nz: number;
  if (op === OP_XOR) {
    negz = nega !== negb;
    nz = na;
  } else if (op === OP_AND) {
    negz = nega && negb;
    nz = negb ? na : nb;
  } else {
    negz = nega || negb;
    nz = negb ? nb : na;
  }
  const z = _PyLong_New(nz + (negz ? 1 : 0));
  if (z === NULL) return NULL;
  const da = (a + LONG_DIGITS) >> 2;
  const db = (b + LONG_DIGITS) >> 2;
  const dz = (z + LONG_DIGITS) >> 2;
  let ca = 1; // the +1 carries of the two's complements
  let cb = 1;
  for (let i = 0; i < nz; i++) {
    let x = U32[da + i];
    if (nega) {
      x = (x ^ PyLong_MASK) + ca;
      ca = x >>> PyLong_SHIFT;
      x &= PyLong_MASK;
    }
    let y: number;
    if (i < nb) {
      y = U32[db + i];
      if (negb) {
        y = (y ^ PyLong_MASK) + cb;
        cb = y >>> PyLong_SHIFT;
        y &= PyLong_MASK;
      }
    } else y = negb ? PyLong_MASK : 0;
    U32[dz + i] = op === OP_AND ? x & y : op === OP_OR ? x | y : x ^ y;
  }
  if (negz) {
    // back to sign-magnitude: the complement of the nz+1 digits (the top one all ones)
    U32[dz + nz] = PyLong_MASK;
    let c = 1;
    for (let i = 0; i <= nz; i++) {
      const t = (U32[dz + i] ^ PyLong_MASK) + c;
      c = t >>> PyLong_SHIFT;
      U32[dz + i] = t & PyLong_MASK;
    }
    return longNormalize(z, nz + 1, true);
  }
  return longNormalize(z, nz, false);
}

/** a << n for a nonzero int and 0 ≤ n (digit shift + bit shift). New reference. */
function longLshiftDigits(a: Ptr, n: number): Ptr {
  const sa = I32[(a + LONG_SIZE) >> 2];
  const na = sa < 0 ? -sa : sa;
  const wordshift = Math.floor(n / PyLong_SHIFT);
  const remshift = n - wordshift * PyLong_SHIFT;
  const nz = na + wordshift + (remshift !== 0 ? 1 : 0);
  const z = _PyLong_New(nz);
  if (z === NULL) return NULL;
  const da = (a + LONG_DIGITS) >> 2;
  const dz = (z + LONG_DIGITS) >> 2;
  if (wordshift > 0) U32.fill(0, dz, dz + wordshift);
  if (remshift === 0) {
    U32.copyWithin(dz + wordshift, da, da + na);
  } else {
    const keep = (1 << (PyLong_SHIFT - remshift)) - 1;
    const down = PyLong_SHIFT - remshift;
    let carry = 0;
    for (let j = 0; j < na; j++) {
      const x = U32[da + j];
      U32[dz + wordshift + j] = ((x & keep) << remshift) | carry;
      carry = x >>> down;
    }
    U32[dz + nz - 1] = carry;
  }
  return longNormalize(z, nz, sa < 0);
}

/** a >> n (rounding toward −∞) for 0 ≤ n < |a|'s digits · 30. New reference. */
function longRshiftDigits(a: Ptr, n: number): Ptr {
  const sa = I32[(a + LONG_SIZE) >> 2];
  const na = sa < 0 ? -sa : sa;
  const wordshift = Math.floor(n / PyLong_SHIFT);
  const remshift = n - wordshift * PyLong_SHIFT;
  const nm = na - wordshift; // digits of |a| >> n (before normalization), ≥ 1
  const neg = sa < 0;
  const z = _PyLong_New(nm + (neg ? 1 : 0));
  if (z === NULL) return NULL;
  const da = (a + LONG_DIGITS) >> 2;
  const dz = (z + LONG_DIGITS) >> 2;
  // were any nonzero bits shifted out? (a negative result then rounds away from zero)
  let lost = false;
  if (neg) {
    for (let i = 0; i < wordshift; i++) {
      if (U32[da + i] !== 0) {
        lost = true;
        break;
      }
    }
    if (!lost && remshift !== 0 && (U32[da + wordshift] & ((1 << remshift) - 1)) !== 0) lost = true;
  }
  if (remshift === 0) {
    U32.copyWithin(dz, da + wordshift, da + na);
  } else {
    const up = PyLong_SHIFT - remshift;
    const mask = (1 << up) - 1;
    for (let i = 0; i < nm; i++) {
      const lo = U32[da + wordshift + i] >>> remshift;
      const hi = i + 1 < nm ? (U32[da + wordshift + i + 1] & ((1 << remshift) - 1)) << up : 0;
      U32[dz + i] = (lo & mask) | hi;
    }
  }
  if (neg) {
    U32[dz + nm] = 0;
    if (lost) {
      let i = 0;
      while (U32[dz + i] === PyLong_MASK) U32[dz + i++] = 0;
      U32[dz + i]++;
    }
    return longNormalize(z, nm + 1, true);
  }
  return longNormalize(z, nm, false);
}

/** |a| mod n for a single-digit divisor 0 < n < 2^30 (≈ inplace_rem1): 15 bits at a time, so
 *  every step is an exact double. */
function remDigits(a: Ptr, na: number, n: number): number {
  const da = (a + LONG_DIGITS) >> 2;
  let r = 0;
  for (let i = na - 1; i >= 0; i--) {
    const d = U32[da + i];
    const t1 = r * TWO15 + (d >>> 15);
    r = t1 % n;
    const t2 = r * TWO15 + (d & 0x7fff);
    r = t2 % n;
  }
  return r;
}

/** |a| // n into the fresh int z's first na digits for 0 < n < 2^30 (≈ inplace_divrem1);
 *  returns the remainder. */
function divremDigits(a: Ptr, na: number, n: number, z: Ptr): number {
  const da = (a + LONG_DIGITS) >> 2;
  const dz = (z + LONG_DIGITS) >> 2;
  let r = 0;
  for (let i = na - 1; i >= 0; i--) {
    const d = U32[da + i];
    const t1 = r * TWO15 + (d >>> 15);
    const q1 = Math.floor(t1 / n);
    r = t1 - q1 * n;
    const t2 = r * TWO15 + (d & 0x7fff);
    const q2 = Math.floor(t2 / n);
    r = t2 - q2 * n;
    U32[dz + i] = q1 * TWO15 + q2;
  }
  return r;
}

/** a % b (floor semantics) for a multi-digit a and a one-digit nonzero b. New reference. */
function longModDigit(a: Ptr, b: Ptr): Ptr {
  const sa = I32[(a + LONG_SIZE) >> 2];
  const sb = I32[(b + LONG_SIZE) >> 2];
  const n = U32[(b + LONG_DIGITS) >> 2];
  let r = remDigits(a, sa < 0 ? -sa : sa, n);
  if (r !== 0 && (sa < 0) !== (sb < 0)) r = n - r;
  return PyLong_FromNumber(sb < 0 ? -r : r);
}

/** a // b (floor semantics) for a multi-digit a and a one-digit nonzero b. New reference. */
function longDivDigit(a: Ptr, b: Ptr): Ptr {
  const sa = I32[(a + LONG_SIZE) >> 2];
  const sb = I32[(b + LONG_SIZE) >> 2];
  const na = sa < 0 ? -sa : sa;
  const z = _PyLong_New(na);
  if (z === NULL) return NULL;
  const r = divremDigits(a, na, U32[(b + LONG_DIGITS) >> 2], z);
  const neg = (sa < 0) !== (sb < 0);
  if (neg && r !== 0) {
    // round toward −∞: one more in magnitude (|a| // n < |a|, so no new digit is needed)
    const dz = (z + LONG_DIGITS) >> 2;
    let i = 0;
    while (U32[dz + i] === PyLong_MASK) U32[dz + i++] = 0;
    U32[dz + i]++;
  }
  return longNormalize(z, na, neg);
}

// ---- arithmetic (nb_* slots: (a, b) in the original operand order; NotImplemented unless
// both are ints; new references) ----

/** ≈ long_add */
export function long_add(a: Ptr, b: Ptr): Ptr {
  if (!bothLongs(a, b)) return notImplemented();
  const x = smallValue(a);
  const y = smallValue(b);
  if (x === x && y === y) {
    const r = x + y;
    if (r >= -MAX_SAFE && r <= MAX_SAFE) return PyLong_FromNumber(r);
  }
  return longAddDigits(a, b);
}

/** ≈ long_sub */
export function long_sub(a: Ptr, b: Ptr): Ptr {
  if (!bothLongs(a, b)) return notImplemented();
  const x = smallValue(a);
  const y = smallValue(b);
  if (x === x && y === y) {
    const r = x - y;
    if (r >= -MAX_SAFE && r <= MAX_SAFE) return PyLong_FromNumber(r);
  }
  return longSubDigits(a, b);
}

/** ≈ long_mul */
export function long_mul(a: Ptr, b: Ptr): Ptr {
  if (!bothLongs(a, b)) return notImplemented();
  const x = smallValue(a);
  const y = smallValue(b);
  if (x === x && y === y) {
    const r = x * y;
    // an exact product below 2^53 is computed exactly; a larger one rounds to ≥ 2^53
    if (r > -9007199254740992 && r < 9007199254740992) return PyLong_FromNumber(r === 0 ? 0 : r);
  }
  const sa = I32[(a + LONG_SIZE) >> 2];
  const sb = I32[(b + LONG_SIZE) >> 2];
  if (sa >= -MUL_DIGIT_CUTOFF && sa <= MUL_DIGIT_CUTOFF && sb >= -MUL_DIGIT_CUTOFF && sb <= MUL_DIGIT_CUTOFF) return longMulDigits(a, b);
  return PyLong_FromBigInt(PyLong_AsBigInt(a) * PyLong_AsBigInt(b));
}

function zeroDivision(msg: string): Ptr {
  PyErr_SetString(PyExc_ZeroDivisionError, msg);
  return NULL;
}

/** Floor division and modulo of BigInts (≈ l_divmod). */
function bigFloorDiv(x: bigint, y: bigint): bigint {
  const q = x / y;
  const r = x % y;
  return r !== 0n && (r < 0n) !== (y < 0n) ? q - 1n : q;
}
function bigFloorMod(x: bigint, y: bigint): bigint {
  const r = x % y;
  return r !== 0n && (r < 0n) !== (y < 0n) ? r + y : r;
}

/** ≈ long_div (//) */
export function long_div(a: Ptr, b: Ptr): Ptr {
  if (!bothLongs(a, b)) return notImplemented();
  if (I32[(b + LONG_SIZE) >> 2] === 0) return zeroDivision('integer division or modulo by zero');
  const x = smallValue(a);
  const y = smallValue(b);
  if (x === x && y === y) {
    let r = x % y;
    let q = (x - r) / y;
    if (r !== 0 && (r < 0) !== (y < 0)) q -= 1;
    return PyLong_FromNumber(q === 0 ? 0 : q);
  }
  const sb = I32[(b + LONG_SIZE) >> 2];
  if (sb === 1 || sb === -1) return longDivDigit(a, b);
  return PyLong_FromBigInt(bigFloorDiv(PyLong_AsBigInt(a), PyLong_AsBigInt(b)));
}

/** ≈ long_mod (%) */
export function long_mod(a: Ptr, b: Ptr): Ptr {
  if (!bothLongs(a, b)) return notImplemented();
  if (I32[(b + LONG_SIZE) >> 2] === 0) return zeroDivision('integer modulo by zero');
  const x = smallValue(a);
  const y = smallValue(b);
  if (x === x && y === y) {
    let r = x % y;
    if (r !== 0 && (r < 0) !== (y < 0)) r += y;
    return PyLong_FromNumber(r === 0 ? 0 : r);
  }
  const sb = I32[(b + LONG_SIZE) >> 2];
  if (sb === 1 || sb === -1) return longModDigit(a, b);
  return PyLong_FromBigInt(bigFloorMod(PyLong_AsBigInt(a), PyLong_AsBigInt(b)));
}

/** ≈ long_divmod: a new (q, r) tuple */
export function long_divmod(a: Ptr, b: Ptr): Ptr {
  if (!bothLongs(a, b)) return notImplemented();
  if (I32[(b + LONG_SIZE) >> 2] === 0) return zeroDivision('integer division or modulo by zero');
  let q: Ptr;
  let r: Ptr;
  const x = smallValue(a);
  const y = smallValue(b);
  if (x === x && y === y) {
    let rr = x % y;
    let qq = (x - rr) / y;
    if (rr !== 0 && (rr < 0) !== (y < 0)) {
      qq -= 1;
      rr += y;
    }
    q = PyLong_FromNumber(qq === 0 ? 0 : qq);
    if (q === NULL) return NULL;
    r = PyLong_FromNumber(rr === 0 ? 0 : rr);
  } else {
    const X = PyLong_AsBigInt(a);
    const Y = PyLong_AsBigInt(b);
    q = PyLong_FromBigInt(bigFloorDiv(X, Y));
    if (q === NULL) return NULL;
    r = PyLong_FromBigInt(bigFloorMod(X, Y));
  }
  if (r === NULL) {
    Py_DECREF(q);
    return NULL;
  }
  const t = PyTuple_Pack2(q, r);
  Py_DECREF(q);
  Py_DECREF(r);
  return t;
}

/** Multiply by 2^e exactly (no intermediate underflow): ≈ ldexp for results that are
 *  representable or overflow to ±inf. */
export function ldexp(x: number, e: number): number {
  if (e > 1023) {
    x *= 2 ** 1023;
    e -= 1023;
    if (e > 1023) {
      x *= 2 ** 1023;
      e -= 1023;
      if (e > 1023) e = 1023;
    }
  } else if (e < -1022) {
    // scale in steps that keep the intermediate normal until the last one
    x *= 2 ** -1022;
    e += 1022;
    if (e < -1022) {
      x *= 2 ** -1022;
      e += 1022;
      if (e < -1022) e = -1022;
    }
  }
  return x * 2 ** e;
}

function bitLength(v: bigint): number {
  if (v === 0n) return 0;
  // hex length gives it within 4 bits
  const h = v.toString(16);
  return (h.length - 1) * 4 + (32 - Math.clz32(parseInt(h[0], 16)));
}

/** Correctly rounded a/b for BigInts (b ≠ 0) (≈ long_true_divide): round-half-even, including
 *  subnormal results; ±Infinity when the result overflows (the caller raises). */
export function bigTrueDivide(a: bigint, b: bigint): number {
  let neg = false;
  if (a < 0n) {
    a = -a;
    neg = true;
  }
  if (b < 0n) {
    b = -b;
    neg = !neg;
  }
  if (a === 0n) return neg ? -0 : 0;
  const la = bitLength(a);
  const lb = bitLength(b);
  // a/b lies in [2^(la-lb-1), 2^(la-lb+1)); its exponent (value in [2^e, 2^(e+1))) is la-lb-1 or la-lb
  let e = la - lb;
  if (e >= 0 ? a < b << BigInt(e) : a << BigInt(-e) < b) e -= 1;
  // keep 53 significant bits (fewer for subnormals): the last kept bit has weight 2^(e-52), at least 2^-1074
  let lsb = e - 52;
  if (lsb < -1074) lsb = -1074;
  // q = floor(a / b / 2^lsb), rem tells the rounding
  let num = a;
  let den = b;
  if (lsb < 0) num <<= BigInt(-lsb);
  else den <<= BigInt(lsb);
  let q = num / den;
  const r = num - q * den;
  const twice = r << 1n;
  if (twice > den || (twice === den && (q & 1n) === 1n)) q += 1n;
  const res = ldexp(Number(q), lsb); // q ≤ 2^53: exact; scaling exact unless it overflows
  return neg ? -res : res;
}

/** Correctly rounded m·2^e for a positive BigInt m (round-half-even, subnormals included;
 *  ±Infinity past the double range). */
export function exactScaled(m: bigint, e: number): number {
  const bits = bitLength(m);
  const topExp = bits - 1 + e; // exponent of the leading bit
  let lsb = topExp - 52;
  if (lsb < -1074) lsb = -1074;
  const shift = lsb - e; // low bits of m to drop
  let q: bigint;
  if (shift <= 0) q = m << BigInt(-shift);
  else {
    q = m >> BigInt(shift);
    const rem = m - (q << BigInt(shift));
    const half = 1n << BigInt(shift - 1);
    if (rem > half || (rem === half && (q & 1n) === 1n)) q += 1n;
  }
  return ldexp(Number(q), lsb);
}

/** ≈ long_true_divide (/) */
export function long_true_divide(a: Ptr, b: Ptr): Ptr {
  if (!bothLongs(a, b)) return notImplemented();
  if (I32[(b + LONG_SIZE) >> 2] === 0) return zeroDivision('division by zero');
  const x = smallValue(a);
  const y = smallValue(b);
  if (x === x && y === y) return PyFloat_FromDouble(x / y); // both exact: one correct rounding
  const r = bigTrueDivide(PyLong_AsBigInt(a), PyLong_AsBigInt(b));
  if (r === Infinity || r === -Infinity) {
    PyErr_SetString(PyExc_OverflowError, 'integer division result too large for a float');
    return NULL;
  }
  return PyFloat_FromDouble(r);
}

/** Modular exponentiation of BigInts (m > 0, e ≥ 0). */
function bigPowMod(base: bigint, e: bigint, m: bigint): bigint {
  if (m === 1n) return 0n;
  let r = 1n;
  base %= m;
  if (base < 0n) base += m;
  while (e > 0n) {
    if (e & 1n) r = (r * base) % m;
    e >>= 1n;
    if (e > 0n) base = (base * base) % m;
  }
  return r;
}
/** Modular inverse of a mod m (m > 0), or -1n when not invertible. */
function bigModInverse(a: bigint, m: bigint): bigint {
  a %= m;
  if (a < 0n) a += m;
  let [r0, r1] = [m, a];
  let [t0, t1] = [0n, 1n];
  while (r1 !== 0n) {
    const q = r0 / r1;
    [r0, r1] = [r1, r0 - q * r1];
    [t0, t1] = [t1, t0 - q * t1];
  }
  if (r0 !== 1n) return -1n;
  return t0 < 0n ? t0 + m : t0;
}

/** ≈ long_pow (** and pow(a, b[, c])) */
export function long_pow(a: Ptr, b: Ptr, c: Ptr): Ptr {
  if (!bothLongs(a, b)) return notImplemented();
  const haveMod = c !== Py_None && c !== NULL;
  if (haveMod && !PyLong_Check(c)) return notImplemented();
  const bs = I32[(b + LONG_SIZE) >> 2];
  if (bs < 0 && !haveMod) {
    // a negative exponent makes a float (≈ "return PyFloat_Type.tp_as_number->nb_power(v, w, x)")
    const fa = PyLong_AsDouble(a);
    if (fa === -1 && PyErr_Occurred() !== NULL) return NULL;
    const fb = PyLong_AsDouble(b);
    if (fb === -1 && PyErr_Occurred() !== NULL) return NULL;
    return float_pow_impl(fa, fb);
  }
  if (haveMod) {
    if (I32[(c + LONG_SIZE) >> 2] === 0) {
      PyErr_SetString(PyExc_ValueError, 'pow() 3rd argument cannot be 0');
      return NULL;
    }
    let m = PyLong_AsBigInt(c);
    const negMod = m < 0n;
    if (negMod) m = -m;
    let base = PyLong_AsBigInt(a);
    let e = PyLong_AsBigInt(b);
    if (e < 0n) {
      const inv = bigModInverse(base, m);
      if (inv < 0n) {
        PyErr_SetString(PyExc_ValueError, 'base is not invertible for the given modulus');
        return NULL;
      }
      base = inv;
      e = -e;
    }
    let r = bigPowMod(base, e, m);
    if (negMod && r !== 0n) r -= m;
    return PyLong_FromBigInt(r);
  }
  const x = smallValue(a);
  const y = smallValue(b);
  if (x === x && y === y) {
    // square-and-multiply in doubles while everything stays exact
    let r = 1;
    let base = x;
    let e = y;
    let ok = true;
    while (e > 0) {
      if (e % 2 === 1) {
        r *= base;
        if (r >= 9007199254740992 || r <= -9007199254740992) {
          ok = false;
          break;
        }
      }
      e = Math.floor(e / 2);
      if (e > 0) {
        base *= base;
        if (base >= 9007199254740992) {
          ok = false;
          break;
        }
      }
    }
    if (ok) return PyLong_FromNumber(r === 0 ? 0 : r);
    if (x === 0 || x === 1) return PyLong_FromNumber(x);
    if (x === -1) return PyLong_FromNumber(y % 2 === 0 ? 1 : -1);
    // a result of more than ~2^32 digits cannot be allocated anyway
    if (y * Math.log2(Math.abs(x)) > 2 ** 36) return PyErr_NoMemory();
  }
  const B = PyLong_AsBigInt(a);
  const E = PyLong_AsBigInt(b);
  if (B === 0n || B === 1n) return PyLong_FromBigInt(B);
  if (B === -1n) return PyLong_FromNumber(E % 2n === 0n ? 1 : -1);
  if (E > 1n << 36n) return PyErr_NoMemory();
  return PyLong_FromBigInt(B ** E);
}

/** ≈ long_neg */
export function long_neg(a: Ptr): Ptr {
  const s = I32[(a + LONG_SIZE) >> 2];
  if (s >= -1 && s <= 1) return PyLong_FromNumber(-s * U32[(a + LONG_DIGITS) >> 2] || 0);
  const r = _PyLong_Copy(a);
  if (r !== NULL) setSize(r, -s);
  return r;
}
/** ≈ long_abs */
export function long_abs(a: Ptr): Ptr {
  return I32[(a + LONG_SIZE) >> 2] < 0 ? long_neg(a) : long_long(a);
}
/** ≈ long_long (nb_positive, nb_int, nb_index): the value as an exact int. New reference. */
export function long_long(a: Ptr): Ptr {
  if (I32[(a + OB_TYPE) >> 2] === PyLong_Type) {
    I32[a >> 2]++;
    return a;
  }
  return _PyLong_Copy(a);
}
/** ≈ long_bool */
export function long_bool(a: Ptr): number {
  return I32[(a + LONG_SIZE) >> 2] !== 0 ? 1 : 0;
}
/** ≈ long_invert: ~x == -(x+1) */
export function long_invert(a: Ptr): Ptr {
  const x = smallValue(a);
  if (x === x) return PyLong_FromNumber(-(x + 1));
  return PyLong_FromBigInt(-(PyLong_AsBigInt(a) + 1n));
}
/** ≈ long_float (nb_float) */
export function long_float(a: Ptr): Ptr {
  const v = PyLong_AsDouble(a);
  if (v === -1 && PyErr_Occurred() !== NULL) return NULL;
  return PyFloat_FromDouble(v);
}

/** Shift count of a shift operation: a JS number ≥ 0, or -1 with ValueError (negative), or
 *  Infinity for counts that do not fit in 53 bits. */
function shiftCount(b: Ptr): number {
  const s = I32[(b + LONG_SIZE) >> 2];
  if (s < 0) {
    PyErr_SetString(PyExc_ValueError, 'negative shift count');
    return -1;
  }
  const v = smallValue(b);
  return v === v ? v : Infinity;
}

/** ≈ long_lshift */
export function long_lshift(a: Ptr, b: Ptr): Ptr {
  if (!bothLongs(a, b)) return notImplemented();
  const n = shiftCount(b);
  if (n < 0) return NULL;
  if (I32[(a + LONG_SIZE) >> 2] === 0) return newSmall(0);
  const x = smallValue(a);
  if (x === x && n < 53) {
    const r = x * 2 ** n;
    if (r > -9007199254740992 && r < 9007199254740992) return PyLong_FromNumber(r);
  }
  if (n / PyLong_SHIFT + Math.abs(I32[(a + LONG_SIZE) >> 2]) > MAX_LONG_DIGITS) return PyErr_NoMemory();
  return longLshiftDigits(a, n);
}

/** ≈ long_rshift (arithmetic: rounds toward −∞) */
export function long_rshift(a: Ptr, b: Ptr): Ptr {
  if (!bothLongs(a, b)) return notImplemented();
  const n = shiftCount(b);
  if (n < 0) return NULL;
  const s = I32[(a + LONG_SIZE) >> 2];
  if (s === 0) return newSmall(0);
  if (n < 31) {
    const d = (a + LONG_DIGITS) >> 2;
    if (s === 1 || s === -1) return PyLong_FromNumber((s * U32[d]) >> n);
    if (s === 2) {
      // 0 ≤ a < 2^53: ⌊a / 2^n⌋ = hi·2^(30−n) + ⌊lo / 2^n⌋, exact in doubles
      const hi = U32[d + 1];
      if (hi < 0x800000) return PyLong_FromNumber(hi * (1 << (30 - n)) + (U32[d] >>> n));
    }
  }
  const x = smallValue(a);
  if (x === x) {
    if (n >= 54) return newSmall(x < 0 ? -1 : 0);
    return PyLong_FromNumber(Math.floor(x / 2 ** n));
  }
  if (n >= (s < 0 ? -s : s) * PyLong_SHIFT) return newSmall(s < 0 ? -1 : 0);
  return longRshiftDigits(a, n);
}

/** ≈ long_and / long_or / long_xor (two's complement semantics) */
export function long_and(a: Ptr, b: Ptr): Ptr {
  if (!bothLongs(a, b)) return notImplemented();
  const sa = I32[(a + LONG_SIZE) >> 2];
  const sb = I32[(b + LONG_SIZE) >> 2];
  if (sa >= -1 && sa <= 1 && sb >= -1 && sb <= 1) {
    return PyLong_FromNumber((sa * U32[(a + LONG_DIGITS) >> 2]) & (sb * U32[(b + LONG_DIGITS) >> 2]));
  }
  return longBitwise(a, OP_AND, b);
}
export function long_or(a: Ptr, b: Ptr): Ptr {
  if (!bothLongs(a, b)) return notImplemented();
  const sa = I32[(a + LONG_SIZE) >> 2];
  const sb = I32[(b + LONG_SIZE) >> 2];
  if (sa >= -1 && sa <= 1 && sb >= -1 && sb <= 1) {
    return PyLong_FromNumber((sa * U32[(a + LONG_DIGITS) >> 2]) | (sb * U32[(b + LONG_DIGITS) >> 2]));
  }
  return longBitwise(a, OP_OR, b);
}
export function long_xor(a: Ptr, b: Ptr): Ptr {
  if (!bothLongs(a, b)) return notImplemented();
  const sa = I32[(a + LONG_SIZE) >> 2];
  const sb = I32[(b + LONG_SIZE) >> 2];
  if (sa >= -1 && sa <= 1 && sb >= -1 && sb <= 1) {
    return PyLong_FromNumber((sa * U32[(a + LONG_DIGITS) >> 2]) ^ (sb * U32[(b + LONG_DIGITS) >> 2]));
  }
  return longBitwise(a, OP_XOR, b);
}

// ---- comparison ----
/** ≈ long_compare: −1, 0, 1 */
export function long_compare(a: Ptr, b: Ptr): number {
  const sa = I32[(a + LONG_SIZE) >> 2];
  const sb = I32[(b + LONG_SIZE) >> 2];
  if (sa !== sb) return sa < sb ? -1 : 1;
  let i = sa < 0 ? -sa : sa;
  const da = (a + LONG_DIGITS) >> 2;
  const db = (b + LONG_DIGITS) >> 2;
  while (--i >= 0) {
    const x = U32[da + i];
    const y = U32[db + i];
    if (x !== y) return (x < y) !== sa < 0 ? -1 : 1;
  }
  return 0;
}

/** ≈ long_richcompare */
export function long_richcompare(a: Ptr, b: Ptr, op: number): Ptr {
  if (!bothLongs(a, b)) return notImplemented();
  const c = a === b ? 0 : long_compare(a, b);
  let r: boolean;
  switch (op) {
    case Py_LT: r = c < 0; break;
    case Py_LE: r = c <= 0; break;
    case Py_EQ: r = c === 0; break;
    case Py_NE: r = c !== 0; break;
    case Py_GT: r = c > 0; break;
    default: r = c >= 0; break;
  }
  const o = r ? Py_True : Py_False;
  I32[o >> 2]++;
  return o;
}

// ---- hash ----
/** ≈ long_hash: sign·(|v| mod 2^61−1), −1 → −2. Returns the low 32 bits; HASH_HI[0] = high. */
export function long_hash(a: Ptr): number {
  const s = I32[(a + LONG_SIZE) >> 2];
  const d = (a + LONG_DIGITS) >> 2;
  if (s >= -1 && s <= 1) {
    let v = s * U32[d];
    if (v === -1) v = -2;
    HASH_HI[0] = v < 0 ? -1 : 0;
    return v | 0;
  }
  if (s === 2 || s === -2) {
    // |v| < 2^60 < 2^61−1: the hash is the value itself
    const lo = U32[d];
    const hi = U32[d + 1];
    let wlo = (lo | (hi << 30)) >>> 0; // bits 0..31
    let whi = hi >>> 2; // bits 32..59
    if (s < 0) {
      // 64-bit two's complement negation
      wlo = (~wlo + 1) >>> 0;
      whi = (~whi + (wlo === 0 ? 1 : 0)) | 0;
    }
    HASH_HI[0] = whi | 0;
    return wlo | 0;
  }
  let h = PyLong_AsBigInt(a) % PyHASH_MODULUS;
  if (h === -1n) h = -2n;
  return hashFromBigInt(h);
}

// ---- int → str ----
/** The int↔str conversion limit (sys.set_int_max_str_digits; 0 = no limit). */
export let maxStrDigits = 4300;
export function setMaxStrDigits(n: number): void {
  maxStrDigits = n;
}
const STR_LIMIT_MSG = 'Exceeds the limit (4300 digits) for integer string conversion; use sys.set_int_max_str_digits() to increase the limit';
function strLimitMsg(): string {
  return STR_LIMIT_MSG.replace('4300', String(maxStrDigits));
}

/** Decimal text of an int (≈ long_to_decimal_string_internal); null with ValueError when it
 *  exceeds the digit limit. */
export function longToDecimalJs(a: Ptr): string | null {
  const x = smallValue(a);
  if (x === x) return String(x);
  const s = I32[(a + LONG_SIZE) >> 2];
  const n = s < 0 ? -s : s;
  if (maxStrDigits > 0 && n >= Math.floor((10 * maxStrDigits) / (3 * PyLong_SHIFT)) + 2) {
    PyErr_SetString(PyExc_ValueError, strLimitMsg());
    return null;
  }
  const t = PyLong_AsBigInt(a).toString();
  if (maxStrDigits > 0 && t.length - (s < 0 ? 1 : 0) > maxStrDigits) {
    PyErr_SetString(PyExc_ValueError, strLimitMsg());
    return null;
  }
  return t;
}

/** ≈ long_to_decimal_string (tp_repr): a new str. Ints of at most two digits are written
 *  straight into a new ASCII str (no JS string in between). */
export function long_to_decimal_string(a: Ptr): Ptr {
  const x = smallValue(a);
  if (x === x) {
    let v = x < 0 ? -x : x;
    let n = x < 0 ? 2 : 1;
    for (let t = v; t >= 10; t = Math.floor(t / 10)) n++;
    if (n === 1) return get_latin1_char(48 + v);
    const o = PyUnicode_New(n, 127);
    if (o === NULL) return NULL;
    const d = o + ASCII_DATA;
    let i = n;
    while (v >= 10) {
      const q = Math.floor(v / 10);
      U8[d + --i] = 48 + (v - q * 10);
      v = q;
    }
    U8[d + --i] = 48 + v;
    if (x < 0) U8[d] = 45;
    return o;
  }
  const t = longToDecimalJs(a);
  return t === null ? NULL : PyUnicode_FromString(t);
}

/** ≈ _PyLong_Format for bases 2, 8, 16 with the 0b/0o/0x prefix (bin(), oct(), hex()); also 10. */
export function longToBaseJs(a: Ptr, base: number): string | null {
  if (base === 10) return longToDecimalJs(a);
  const v = PyLong_AsBigInt(a);
  const prefix = base === 16 ? '0x' : base === 8 ? '0o' : '0b';
  return v < 0n ? '-' + prefix + (-v).toString(base) : prefix + v.toString(base);
}
/** ≈ _PyLong_Format: new str */
export function _PyLong_Format(a: Ptr, base: number): Ptr {
  const t = longToBaseJs(a, base);
  return t === null ? NULL : PyUnicode_FromString(t);
}

// ---- str → int ----
// ≈ Py_UNICODE_ISSPACE for non-ASCII characters (the ASCII ones are handled by the C isspace set)
function isUnicodeSpace(c: number): boolean {
  return (
    c === 0x85 || c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 ||
    c === 0x202f || c === 0x205f || c === 0x3000
  );
}
const ND_RE = /\p{Nd}/u;
/** Decimal value of a Unicode decimal digit (category Nd), or -1. Nd characters come in runs of
 *  ten consecutive code points starting at a digit zero. */
function unicodeDecimal(c: number): number {
  if (!ND_RE.test(String.fromCodePoint(c))) return -1;
  let start = c;
  while (start > 0 && ND_RE.test(String.fromCodePoint(start - 1))) start--;
  return (c - start) % 10;
}

/** ≈ _PyUnicode_TransformDecimalAndSpaceToASCII: non-ASCII spaces → ' ', non-ASCII decimal
 *  digits → '0'..'9'; anything else non-ASCII ends the text with '?' (a certain parse error). */
function toAsciiDigits(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s.codePointAt(i)!;
    if (c > 0xffff) i++;
    if (c < 127) out += String.fromCharCode(c);
    else if (isUnicodeSpace(c)) out += ' ';
    else {
      const d = unicodeDecimal(c);
      if (d < 0) return out + '?';
      out += String.fromCharCode(48 + d);
    }
  }
  return out;
}

function isCSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13);
}
function digitValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 122) return c - 87;
  if (c >= 65 && c <= 90) return c - 55;
  return 99;
}

/** Failure reasons of parseIntText (in parseStatus). */
const PARSE_OK = 0;
const PARSE_INVALID = 1;
const PARSE_LIMIT = 2;
let parseStatus = PARSE_OK;
let parsedDigits = 0;
function parseFail(why: number): number {
  parseStatus = why;
  return 0;
}

/** ≈ PyLong_FromString's parser over ASCII text (after toAsciiDigits): returns the value, with
 *  parseStatus PARSE_OK; or PARSE_INVALID / PARSE_LIMIT (then parsedDigits holds the count). */
function parseIntText(s: string, base: number): number | bigint {
  parseStatus = PARSE_OK;
  let i = 0;
  let n = s.length;
  while (i < n && isCSpace(s.charCodeAt(i))) i++;
  while (n > i && isCSpace(s.charCodeAt(n - 1))) n--;
  let neg = false;
  if (i < n && (s[i] === '+' || s[i] === '-')) {
    neg = s[i] === '-';
    i++;
  }
  let underscoreOk = false; // an underscore may follow a base prefix
  if (base === 0 || base === 16 || base === 8 || base === 2) {
    if (i + 1 < n && s[i] === '0') {
      const p = s[i + 1].toLowerCase();
      if ((p === 'x' && (base === 0 || base === 16)) || (p === 'o' && (base === 0 || base === 8)) || (p === 'b' && (base === 0 || base === 2))) {
        base = p === 'x' ? 16 : p === 'o' ? 8 : 2;
        i += 2;
        underscoreOk = true;
      }
    }
    if (base === 0) {
      // decimal: leading zeros only if the whole number is zero
      base = 10;
      if (i < n && s[i] === '0') {
        let j = i;
        while (j < n && (s[j] === '0' || s[j] === '_')) {
          if (s[j] === '_' && (j + 1 >= n || s[j + 1] === '_')) return parseFail(PARSE_INVALID);
          j++;
        }
        if (j !== n) return parseFail(PARSE_INVALID);
        return 0;
      }
    }
  }
  // digits with single underscores between them
  let digits = '';
  let prevUnderscore = !underscoreOk; // disallow a leading underscore unless after a prefix
  let count = 0;
  const start = i;
  for (; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c === 95) {
      if (prevUnderscore && !(underscoreOk && i === start)) return parseFail(PARSE_INVALID);
      if (i === start && !underscoreOk) return parseFail(PARSE_INVALID);
      prevUnderscore = true;
      continue;
    }
    if (digitValue(c) >= base) return parseFail(PARSE_INVALID);
    prevUnderscore = false;
    count++;
  }
  if (count === 0 || prevUnderscore) return parseFail(PARSE_INVALID);
  digits = s.slice(start, n).replace(/_/g, '');
  if (maxStrDigits > 0 && (base & (base - 1)) !== 0 && count > maxStrDigits) {
    parsedDigits = count;
    return parseFail(PARSE_LIMIT);
  }
  if (count <= 10 && base <= 10) {
    const v = parseInt(digits, base);
    return neg ? -v || 0 : v;
  }
  let v: bigint;
  if (base === 10) v = BigInt(digits);
  else if (base === 16) v = BigInt('0x' + digits);
  else if (base === 8) v = BigInt('0o' + digits);
  else if (base === 2) v = BigInt('0b' + digits);
  else {
    // general base: chunks of digits whose value fits in a double exactly
    const per = Math.floor(53 / Math.log2(base));
    const B = BigInt(base);
    v = 0n;
    for (let k = 0; k < digits.length; k += per) {
      const chunk = digits.slice(k, k + per);
      v = v * B ** BigInt(chunk.length) + BigInt(parseInt(chunk, base));
    }
  }
  return neg ? -v : v;
}

/** int(text, base) for a JS string; `reprOf` gives the repr used in the error message. New
 *  reference or NULL with ValueError. */
export function PyLong_FromJsString(s: string, base: number, reprOf: () => string | null, ascii = false): Ptr {
  const t = ascii ? s : toAsciiDigits(s);
  const v = parseIntText(t, base);
  if (parseStatus !== PARSE_OK) {
    if (parseStatus === PARSE_LIMIT) {
      PyErr_SetString(
        PyExc_ValueError,
        `Exceeds the limit (${maxStrDigits} digits) for integer string conversion: value has ${parsedDigits} digits; use sys.set_int_max_str_digits() to increase the limit`,
      );
      return NULL;
    }
    let r = reprOf();
    if (r === null) return NULL;
    if (r.length > 200) r = r.slice(0, 200);
    PyErr_SetString(PyExc_ValueError, `invalid literal for int() with base ${base}: ${r}`);
    return NULL;
  }
  return typeof v === 'number' ? PyLong_FromNumber(v) : PyLong_FromBigInt(v);
}

/** ≈ PyLong_FromUnicodeObject(u, base): new reference or NULL. */
export function PyLong_FromUnicodeObject(u: Ptr, base: number): Ptr {
  return PyLong_FromJsString(unicodeToJs(u), base, () => {
    const r = PyObject_Repr(u);
    if (r === NULL) return null;
    const t = unicodeToJs(r);
    Py_DECREF(r);
    return t;
  });
}

/** int(bytes, base): new reference or NULL. */
export function PyLong_FromBytesObject(b: Ptr, base: number): Ptr {
  const u8 = bytesAsU8(b);
  let s = '';
  for (let i = 0; i < u8.length; i++) s += String.fromCharCode(u8[i]);
  // bytes are parsed as ASCII: any byte ≥ 128 is invalid
  // eslint-disable-next-line no-control-regex
  const ascii = /^[\x00-\x7f]*$/.test(s) ? s : s.replace(/[^\x00-\x7f][\s\S]*$/, '?');
  return PyLong_FromJsString(ascii, base, () => {
    const r = PyObject_Repr(b);
    if (r === NULL) return null;
    const t = unicodeToJs(r);
    Py_DECREF(r);
    return t;
  }, true);
}

// ---- int(...) ----
function checkBase(baseObj: Ptr): number {
  const base = PyNumber_AsSsize_t(baseObj, NULL);
  if (base === -1 && PyErr_Occurred() !== NULL) return -100;
  if ((base !== 0 && base < 2) || base > 36) {
    PyErr_SetString(PyExc_ValueError, 'int() base must be >= 2 and <= 36, or 0');
    return -100;
  }
  return base;
}

/** ≈ long_new_impl for the exact type: int(), int(x), int(x, base). New reference or NULL. */
export function long_new_impl(x: Ptr, baseObj: Ptr): Ptr {
  if (x === NULL) {
    if (baseObj !== NULL) {
      PyErr_SetString(PyExc_TypeError, 'int() missing string argument');
      return NULL;
    }
    return newSmall(0);
  }
  if (baseObj === NULL) return PyNumber_Long(x);
  const base = checkBase(baseObj);
  if (base === -100) return NULL;
  if (PyUnicode_Check(x)) return PyLong_FromUnicodeObject(x, base);
  if (PyBytes_Check(x)) return PyLong_FromBytesObject(x, base);
  PyErr_SetString(PyExc_TypeError, "int() can't convert non-string with explicit base");
  return NULL;
}

/** Reads the str items of a kwnames tuple (tuple layout: ob_size at 16, items from 24). */
function kwname(kwnames: Ptr, i: number): string {
  return unicodeToJs(I32[(kwnames + 24 + 8 * i) >> 2]);
}
function kwcount(kwnames: Ptr): number {
  return kwnames === NULL ? 0 : I32[(kwnames + 16) >> 2];
}

/** ≈ long_vectorcall: calling `int` itself. */
export function long_vectorcall(_type: Ptr, args: number, nargs: number, kwnames: Ptr): Ptr {
  const nkw = kwcount(kwnames);
  if (nargs + nkw > 2) {
    PyErr_SetString(PyExc_TypeError, `int() takes at most 2 arguments (${nargs + nkw} given)`);
    return NULL;
  }
  let x = nargs > 0 ? I32[args >> 2] : NULL;
  let base = nargs > 1 ? I32[(args + 8) >> 2] : NULL;
  for (let k = 0; k < nkw; k++) {
    const name = kwname(kwnames, k);
    const v = I32[(args + 8 * (nargs + k)) >> 2];
    if (name === 'base' && base === NULL) base = v;
    else if (name === 'base') {
      PyErr_SetString(PyExc_TypeError, "argument for int() given by name ('base') and position (2)");
      return NULL;
    } else {
      PyErr_SetString(PyExc_TypeError, `'${name}' is an invalid keyword argument for int()`);
      return NULL;
    }
  }
  return long_new_impl(x, base);
}

/** ≈ long_new (tp_new) for `int` and its subclasses: args is a tuple (items at +24), kwds a dict
 *  or NULL (only supported empty here: keyword `base` goes through tp_vectorcall). */
export function long_new(type: Ptr, args: Ptr, _kwds: Ptr): Ptr {
  const nargs = args === NULL ? 0 : I32[(args + 16) >> 2];
  if (nargs > 2) {
    PyErr_SetString(PyExc_TypeError, `int() takes at most 2 arguments (${nargs} given)`);
    return NULL;
  }
  const v = long_new_impl(nargs > 0 ? I32[(args + 24) >> 2] : NULL, nargs > 1 ? I32[(args + 32) >> 2] : NULL);
  if (v === NULL || type === PyLong_Type) return v;
  const r = long_subtype_new(type, v);
  Py_DECREF(v);
  return r;
}

/** ≈ long_subtype_new: an instance of the int subclass `type` with the value of the exact int
 *  `v` (borrowed). New reference or NULL. */
export function long_subtype_new(type: Ptr, v: Ptr): Ptr {
  const s = I32[(v + LONG_SIZE) >> 2];
  const n = s < 0 ? -s : s;
  const o = PyType_GenericAlloc(type, n > 0 ? n : 1);
  if (o === NULL) return PyErr_NoMemory();
  setSize(o, s);
  U32.copyWithin((o + LONG_DIGITS) >> 2, (v + LONG_DIGITS) >> 2, ((v + LONG_DIGITS) >> 2) + (n > 0 ? n : 1));
  return o;
}

// ---- methods ----
function long_bit_length(self: Ptr): Ptr {
  return PyLong_FromNumber(_PyLong_NumBits(self));
}
function long_bit_count(self: Ptr): Ptr {
  const s = I32[(self + LONG_SIZE) >> 2];
  const n = s < 0 ? -s : s;
  const d = (self + LONG_DIGITS) >> 2;
  let c = 0;
  for (let i = 0; i < n; i++) {
    let x = U32[d + i];
    x = x - ((x >>> 1) & 0x55555555);
    x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
    c += (((x + (x >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
  }
  return PyLong_FromNumber(c);
}
function long_conjugate(self: Ptr): Ptr {
  return long_long(self);
}
function long_as_integer_ratio(self: Ptr): Ptr {
  const n = long_long(self);
  if (n === NULL) return NULL;
  const t = PyTuple_Pack2(n, smallInt(1));
  Py_DECREF(n);
  return t;
}
function long_round(self: Ptr, args: number, nargs: number): Ptr {
  if (nargs > 1) {
    PyErr_SetString(PyExc_TypeError, `__round__ expected at most 1 argument, got ${nargs}`);
    return NULL;
  }
  if (nargs === 0 || I32[args >> 2] === Py_None) return long_long(self);
  const nd = PyNumber_Index(I32[args >> 2]);
  if (nd === NULL) return NULL;
  const ndv = PyLong_AsBigInt(nd);
  Py_DECREF(nd);
  if (ndv >= 0n) return long_long(self);
  // round half to even to a multiple of 10^-ndigits
  const v = PyLong_AsBigInt(self);
  const m = 10n ** -ndv;
  const q = bigFloorDiv(v, m);
  const r = v - q * m;
  let rq = q;
  if (2n * r > m || (2n * r === m && (q & 1n) === 1n)) rq = q + 1n;
  return PyLong_FromBigInt(rq * m);
}

function parseByteorder(o: Ptr): number {
  if (!PyUnicode_Check(o)) {
    PyErr_SetString(PyExc_TypeError, `to_bytes() argument 'byteorder' must be str, not ${typeName(I32[(o + OB_TYPE) >> 2])}`);
    return -1;
  }
  const s = unicodeToJs(o);
  if (s === 'big') return 1;
  if (s === 'little') return 0;
  PyErr_SetString(PyExc_ValueError, "byteorder must be either 'little' or 'big'");
  return -1;
}

/** int.to_bytes(length=1, byteorder='big', *, signed=False) */
function long_to_bytes(self: Ptr, args: number, nargs: number, kwnames: Ptr): Ptr {
  let lengthObj = nargs > 0 ? I32[args >> 2] : NULL;
  let orderObj = nargs > 1 ? I32[(args + 8) >> 2] : NULL;
  let signedObj = NULL;
  if (nargs > 2) {
    PyErr_SetString(PyExc_TypeError, `to_bytes() takes at most 2 positional arguments (${nargs} given)`);
    return NULL;
  }
  const nkw = kwcount(kwnames);
  for (let k = 0; k < nkw; k++) {
    const name = kwname(kwnames, k);
    const v = I32[(args + 8 * (nargs + k)) >> 2];
    if (name === 'length' && lengthObj === NULL) lengthObj = v;
    else if (name === 'byteorder' && orderObj === NULL) orderObj = v;
    else if (name === 'signed') signedObj = v;
    else {
      PyErr_SetString(PyExc_TypeError, `to_bytes() got an unexpected keyword argument '${name}'`);
      return NULL;
    }
  }
  let length = 1;
  if (lengthObj !== NULL) {
    length = PyNumber_AsSsize_t(lengthObj, NULL);
    if (length === -1 && PyErr_Occurred() !== NULL) return NULL;
    if (length < 0) {
      PyErr_SetString(PyExc_ValueError, 'length argument must be non-negative');
      return NULL;
    }
  }
  let big = 1;
  if (orderObj !== NULL) {
    big = parseByteorder(orderObj);
    if (big < 0) return NULL;
  }
  const signed = signedObj !== NULL && signedObj !== Py_False && (signedObj === Py_True || long_bool(signedObj) === 1);
  let v = PyLong_AsBigInt(self);
  if (v < 0n && !signed) {
    PyErr_SetString(PyExc_OverflowError, "can't convert negative int to unsigned");
    return NULL;
  }
  const bits = BigInt(length * 8);
  if (signed ? v >= 1n << (bits - 1n) || v < -(1n << (bits - 1n)) : v >= 1n << bits) {
    if (length === 0 && v === 0n) {
      // ok
    } else {
      PyErr_SetString(PyExc_OverflowError, 'int too big to convert');
      return NULL;
    }
  }
  if (v < 0n) v += 1n << bits;
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) {
    out[big ? length - 1 - i : i] = Number(v & 0xffn);
    v >>= 8n;
  }
  return PyBytes_FromJsBytes(out);
}

/** int.from_bytes(bytes, byteorder='big', *, signed=False) (classmethod: self is the type) */
function long_from_bytes(type: Ptr, args: number, nargs: number, kwnames: Ptr): Ptr {
  let bytesObj = nargs > 0 ? I32[args >> 2] : NULL;
  let orderObj = nargs > 1 ? I32[(args + 8) >> 2] : NULL;
  let signedObj = NULL;
  const nkw = kwcount(kwnames);
  for (let k = 0; k < nkw; k++) {
    const name = kwname(kwnames, k);
    const v = I32[(args + 8 * (nargs + k)) >> 2];
    if (name === 'bytes' && bytesObj === NULL) bytesObj = v;
    else if (name === 'byteorder' && orderObj === NULL) orderObj = v;
    else if (name === 'signed') signedObj = v;
    else {
      PyErr_SetString(PyExc_TypeError, `from_bytes() got an unexpected keyword argument '${name}'`);
      return NULL;
    }
  }
  if (bytesObj === NULL) {
    PyErr_SetString(PyExc_TypeError, "from_bytes() missing required argument 'bytes' (pos 1)");
    return NULL;
  }
  let big = 1;
  if (orderObj !== NULL) {
    big = parseByteorder(orderObj);
    if (big < 0) return NULL;
  }
  if (!PyBytes_Check(bytesObj)) {
    PyErr_SetString(PyExc_TypeError, `cannot convert '${typeName(I32[(bytesObj + OB_TYPE) >> 2])}' object to bytes`);
    return NULL;
  }
  const u8 = bytesAsU8(bytesObj);
  let v = 0n;
  const n = u8.length;
  for (let i = 0; i < n; i++) v = (v << 8n) | BigInt(u8[big ? i : n - 1 - i]);
  const signed = signedObj !== NULL && signedObj !== Py_False && (signedObj === Py_True || long_bool(signedObj) === 1);
  if (signed && n > 0 && v >= 1n << BigInt(8 * n - 1)) v -= 1n << BigInt(8 * n);
  const r = PyLong_FromBigInt(v);
  if (r === NULL || type === PyLong_Type) return r;
  const sub = long_subtype_new(type, r);
  Py_DECREF(r);
  return sub;
}

function long_format_method(self: Ptr, spec: Ptr): Ptr {
  if (!PyUnicode_Check(spec)) {
    PyErr_SetString(PyExc_TypeError, `__format__() argument must be str, not ${typeName(I32[(spec + OB_TYPE) >> 2])}`);
    return NULL;
  }
  return formatLong(self, unicodeToJs(spec));
}
function long_sizeof_method(self: Ptr): Ptr {
  return PyLong_FromNumber(long_sizeof(self));
}

export const longMethods: MethodDef[] = [
  { name: 'conjugate', flags: METH_NOARGS, fn: long_conjugate },
  { name: 'bit_length', flags: METH_NOARGS, fn: long_bit_length },
  { name: 'bit_count', flags: METH_NOARGS, fn: long_bit_count },
  { name: 'to_bytes', flags: METH_FASTCALL | METH_KEYWORDS, fn: long_to_bytes },
  { name: 'from_bytes', flags: METH_FASTCALL | METH_KEYWORDS | METH_CLASS, fn: long_from_bytes },
  { name: 'as_integer_ratio', flags: METH_NOARGS, fn: long_as_integer_ratio },
  { name: '__trunc__', flags: METH_NOARGS, fn: long_long },
  { name: '__floor__', flags: METH_NOARGS, fn: long_long },
  { name: '__ceil__', flags: METH_NOARGS, fn: long_long },
  { name: '__round__', flags: METH_FASTCALL, fn: long_round },
  { name: '__format__', flags: METH_O, fn: long_format_method },
  { name: '__sizeof__', flags: METH_NOARGS, fn: long_sizeof_method },
];

function long_get_real(self: Ptr): Ptr {
  return long_long(self);
}
function long_get_imag(_self: Ptr): Ptr {
  return newSmall(0);
}
function long_get_denominator(_self: Ptr): Ptr {
  return newSmall(1);
}
export const longGetsets: GetSetDef[] = [
  { name: 'real', get: long_get_real },
  { name: 'imag', get: long_get_imag },
  { name: 'numerator', get: long_get_real },
  { name: 'denominator', get: long_get_denominator },
];

{
  const s = slotsOf(PyLong_Type);
  s.methods = longMethods;
  s.getsets = longGetsets;
  s.doc = "int([x]) -> integer\nint(x, base=10) -> integer";
  // bool shares int's method tables through inheritance in tp_dict (PyType_Ready)
}

