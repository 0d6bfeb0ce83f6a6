// float (≈ Objects/floatobject.c, CPython 3.11).
//
// Layout (PyFloatObject), 24 bytes, not a GC type (sys.getsizeof 24):
//
//    0 ob_refcnt
//    8 ob_type
//   16 ob_fval   IEEE-754 double
//
// Free list (≈ struct _Py_float_state, reference §3): up to PyFloat_MAXFREELIST = 100 dead exact
// floats are kept, linked through their ob_type word (as CPython does), and reused LIFO by
// PyFloat_FromDouble before asking the allocator — so `id()` of a new float is usually the
// address of the last float freed. A full gc.collect() empties it (clearFreeLists). The list
// lives in the heap: JS holds only its head address and count.
//
// Arithmetic follows float_add ... float_pow: operands are converted with CONVERT_TO_DOUBLE
// (an int is converted exactly-rounded, OverflowError when too large), % and // take the sign
// of the divisor, ** has C99's special cases plus Python's errors. Comparisons with ints are
// exact (≈ float_richcompare), hashes are CPython's (≈ _Py_HashDouble, reference §10), and
// repr/str give the shortest round-trip digits (pystrtod.ts).

import { type Ptr, NULL, I32 as heapI32, U8 as heapU8, F64 as heapF64 } from '../mem/heap.js';
import { PyObject_Malloc, PyObject_Free, registerDebugStatsHook } from '../mem/pymem.js';
import { OB_TYPE, HASH_HI, Py_DECREF, hashPointer, hashFromBigInt } from '../object.js';
import {
  newStaticType, slotsOf, typeName, PyType_IsSubtype, TP_FLAGS, Py_TPFLAGS_BASETYPE, Py_TPFLAGS_LONG_SUBCLASS,
  Py_TPFLAGS_UNICODE_SUBCLASS, Py_TPFLAGS_BYTES_SUBCLASS, Py_TPFLAGS_HEAPTYPE,
  Py_EQ, Py_NE, Py_LT, Py_LE, Py_GT, METH_NOARGS, METH_O, METH_FASTCALL, METH_CLASS,
  type MethodDef, type GetSetDef,
} from '../typeobject.js';
import { PyType_GenericAlloc } from '../gc.js';
import { PyErr_SetString, PyErr_NoMemory, PyErr_Occurred } from '../errors.js';
import { PyExc_ValueError, PyExc_TypeError, PyExc_OverflowError, PyExc_ZeroDivisionError } from './exceptions.js';
import { Py_None, Py_NotImplemented } from './noneobject.js';
import {
  PyLong_AsDouble, PyLong_FromDouble, PyLong_FromNumber, PyLong_FromBigInt, PyLong_AsBigInt, smallValue,
  Py_True, Py_False, PyHASH_MODULUS, bigTrueDivide, exactScaled,
} from './longobject.js';
import { PyUnicode_FromString, PyUnicode_Check, unicodeToJs } from './unicodeobject.js';
import { PyTuple_Pack2 } from './tupleobject.js';
import { PyNumber_Float, PyNumber_Index, PyObject_Repr } from '../abstract.js';
import { floatReprJs, parseFloatText, parseFailed, dtoa, dtoaDecpt } from '../pystrtod.js';
import { formatFloat } from './format.js';


// The heap views as file-local constants: V8 reads an imported binding through its module
// cell on every use (measured ~2x slower in hot loops than a local const).
const I32 = heapI32;
const U8 = heapU8;
const F64 = heapF64;
// ---- layout ----
export const FLOAT_FVAL = 16;
export const FLOAT_SIZE = 24;
export const PyFloat_MAXFREELIST = 100;

// ---- the type ----
/** `float` (≈ PyFloat_Type) */
export const PyFloat_Type: Ptr = newStaticType({
  name: 'float',
  basicsize: FLOAT_SIZE,
  flags: Py_TPFLAGS_BASETYPE,
  slots: {
    tp_dealloc: float_dealloc,
    tp_repr: float_repr,
    tp_hash: float_hash,
    tp_richcompare: float_richcompare,
    tp_vectorcall: float_vectorcall,
    tp_new: float_new,
    nb_add: float_add,
    nb_subtract: float_sub,
    nb_multiply: float_mul,
    nb_remainder: float_rem,
    nb_divmod: float_divmod,
    nb_power: float_pow,
    nb_negative: float_neg,
    nb_positive: float_float,
    nb_absolute: float_abs,
    nb_bool: float_bool,
    nb_int: float_trunc,
    nb_float: float_float,
    nb_floor_divide: float_floor_div,
    nb_true_divide: float_div,
  },
});

/** ≈ PyFloat_Check: float or a subclass */
export function PyFloat_Check(o: Ptr): boolean {
  const t = I32[(o + OB_TYPE) >> 2];
  return t === PyFloat_Type || PyType_IsSubtype(t, PyFloat_Type);
}
/** ≈ PyFloat_CheckExact */
export function PyFloat_CheckExact(o: Ptr): boolean {
  return I32[(o + OB_TYPE) >> 2] === PyFloat_Type;
}
/** ≈ PyFloat_AS_DOUBLE (no check) */
export function PyFloat_AS_DOUBLE(o: Ptr): number {
  return F64[(o + FLOAT_FVAL) >> 3];
}

// ---- free list and allocation ----
let freeList: Ptr = NULL; // linked through ob_type
let numFree = 0;

/** ≈ PyFloat_FromDouble: new reference (from the free list when possible), NULL + MemoryError. */
export function PyFloat_FromDouble(v: number): Ptr {
  let o = freeList;
  if (o !== NULL) {
    freeList = I32[(o + OB_TYPE) >> 2];
    numFree--;
  } else {
    o = PyObject_Malloc(FLOAT_SIZE);
    if (o === NULL) return PyErr_NoMemory();
  }
  I32[o >> 2] = 1;
  I32[(o >> 2) + 1] = 0;
  I32[(o + OB_TYPE) >> 2] = PyFloat_Type;
  I32[(o + OB_TYPE + 4) >> 2] = 0;
  F64[(o + FLOAT_FVAL) >> 3] = v;
  return o;
}

/** ≈ float_dealloc: exact floats go to the free list while it has room. */
export function float_dealloc(o: Ptr): void {
  if (I32[(o + OB_TYPE) >> 2] === PyFloat_Type) {
    if (numFree < PyFloat_MAXFREELIST) {
      numFree++;
      I32[(o + OB_TYPE) >> 2] = freeList;
      freeList = o;
      return;
    }
    PyObject_Free(o);
    return;
  }
  // a subclass instance: release as its type allocated it (PyType_GenericAlloc, non-GC)
  const t = I32[(o + OB_TYPE) >> 2];
  PyObject_Free(o);
  if (I32[(t + TP_FLAGS) >> 2] & Py_TPFLAGS_HEAPTYPE) Py_DECREF(t);
}

/** ≈ _PyFloat_ClearFreeList (a full gc.collect()): free every float on the free list. */
export function clearFreeLists(): void {
  while (freeList !== NULL) {
    const o = freeList;
    freeList = I32[(o + OB_TYPE) >> 2];
    PyObject_Free(o);
  }
  numFree = 0;
}
export const PyFloat_ClearFreeList = clearFreeLists;

/** Number of floats on the free list (tests, stats). */
export function floatFreeListCount(): number {
  return numFree;
}

/** ≈ _PyFloat_DebugMallocStats: the free-list line of sys._debugmallocstats(). */
export function floatFreeListStats(): string[] {
  const msg = `${numFree} free PyFloatObjects * ${FLOAT_SIZE} bytes each`.padStart(48) + ' ';
  const total = (numFree * FLOAT_SIZE).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return [msg.padEnd(35) + '=' + total.padStart(21)];
}
registerDebugStatsHook('float', floatFreeListStats);

// ---- conversions ----
/** ≈ PyFloat_AsDouble: the value of a float, or of anything with __float__/__index__; -1 with
 *  an exception on failure. */
export function PyFloat_AsDouble(o: Ptr): number {
  if (I32[(o + OB_TYPE) >> 2] === PyFloat_Type) return F64[(o + FLOAT_FVAL) >> 3];
  if (PyFloat_Check(o)) return F64[(o + FLOAT_FVAL) >> 3];
  const f = PyNumber_Float(o);
  if (f === NULL) return -1;
  const v = F64[(f + FLOAT_FVAL) >> 3];
  Py_DECREF(f);
  return v;
}

/** CONVERT_TO_DOUBLE: the double of a float or int operand; NaN-free sentinel handling via
 *  convState: 0 ok, 1 NotImplemented (neither float nor int), 2 error set. */
let convState = 0;
function toDouble(o: Ptr): number {
  const t = I32[(o + OB_TYPE) >> 2];
  if (t === PyFloat_Type) {
    convState = 0;
    return F64[(o + FLOAT_FVAL) >> 3];
  }
  if (I32[(t + TP_FLAGS) >> 2] & Py_TPFLAGS_LONG_SUBCLASS) {
    const v = smallValue(o);
    if (v === v) {
      convState = 0;
      return v;
    }
    const d = PyLong_AsDouble(o);
    convState = d === -1 && PyErr_Occurred() !== NULL ? 2 : 0;
    return d;
  }
  if (PyType_IsSubtype(t, PyFloat_Type)) {
    convState = 0;
    return F64[(o + FLOAT_FVAL) >> 3];
  }
  convState = 1;
  return 0;
}
function notImplemented(): Ptr {
  I32[Py_NotImplemented >> 2]++;
  return Py_NotImplemented;
}

// ---- repr ----
/** ≈ float_repr (also str): a new str */
export function float_repr(o: Ptr): Ptr {
  return PyUnicode_FromString(floatReprJs(F64[(o + FLOAT_FVAL) >> 3]));
}

// ---- arithmetic (nb_* slots: new references, NotImplemented for non-numbers) ----
export function float_add(a: Ptr, b: Ptr): Ptr {
  const x = toDouble(a);
  if (convState !== 0) return convState === 1 ? notImplemented() : NULL;
  const y = toDouble(b);
  if (convState !== 0) return convState === 1 ? notImplemented() : NULL;
  return PyFloat_FromDouble(x + y);
}
export function float_sub(a: Ptr, b: Ptr): Ptr {
  const x = toDouble(a);
  if (convState !== 0) return convState === 1 ? notImplemented() : NULL;
  const y = toDouble(b);
  if (convState !== 0) return convState === 1 ? notImplemented() : NULL;
  return PyFloat_FromDouble(x - y);
}
export function float_mul(a: Ptr, b: Ptr): Ptr {
  const x = toDouble(a);
  if (convState !== 0) return convState === 1 ? notImplemented() : NULL;
  const y = toDouble(b);
  if (convState !== 0) return convState === 1 ? notImplemented() : NULL;
  return PyFloat_FromDouble(x * y);
}
export function float_div(a: Ptr, b: Ptr): Ptr {
  const x = toDouble(a);
  if (convState !== 0) return convState === 1 ? notImplemented() : NULL;
  const y = toDouble(b);
  if (convState !== 0) return convState === 1 ? notImplemented() : NULL;
  if (y === 0) {
    PyErr_SetString(PyExc_ZeroDivisionError, 'float division by zero');
    return NULL;
  }
  return PyFloat_FromDouble(x / y);
}

/** Python's float modulo (sign of the divisor): ≈ float_rem's core. */
export function floatMod(vx: number, wx: number): number {
  let mod = vx % wx; // C fmod (NaN counts as non-zero, as in C)
  if (mod !== 0) {
    if (wx < 0 !== mod < 0) mod += wx;
  } else {
    mod = wx < 0 ? -0 : 0; // copysign(0, wx)
  }
  return mod;
}
/** Python's float floor division: ≈ _float_div_mod's quotient */
export function floatFloorDiv(vx: number, wx: number): number {
  let mod = vx % wx;
  let div = (vx - mod) / wx;
  if (mod !== 0) {
    if (wx < 0 !== mod < 0) {
      mod += wx;
      div -= 1;
    }
  }
  let floordiv: number;
  if (div !== 0) {
    floordiv = Math.floor(div);
    if (div - floordiv > 0.5) floordiv += 1;
  } else {
    floordiv = vx / wx < 0 || (vx / wx === 0 && 1 / (vx / wx) < 0) ? -0 : 0; // copysign(0, vx/wx)
  }
  return floordiv;
}

export function float_rem(a: Ptr, b: Ptr): Ptr {
  const x = toDouble(a);
  if (convState !== 0) return convState === 1 ? notImplemented() : NULL;
  const y = toDouble(b);
  if (convState !== 0) return convState === 1 ? notImplemented() : NULL;
  if (y === 0) {
    PyErr_SetString(PyExc_ZeroDivisionError, 'float modulo');
    return NULL;
  }
  return PyFloat_FromDouble(floatMod(x, y));
}
export function float_floor_div(a: Ptr, b: Ptr): Ptr {
  const x = toDouble(a);
  if (convState !== 0) return convState === 1 ? notImplemented() : NULL;
  const y = toDouble(b);
  if (convState !== 0) return convState === 1 ? notImplemented() : NULL;
  if (y === 0) {
    PyErr_SetString(PyExc_ZeroDivisionError, 'float floor division by zero');
    return NULL;
  }
  return PyFloat_FromDouble(floatFloorDiv(x, y));
}
export function float_divmod(a: Ptr, b: Ptr): Ptr {
  const x = toDouble(a);
  if (convState !== 0) return convState === 1 ? notImplemented() : NULL;
  const y = toDouble(b);
  if (convState !== 0) return convState === 1 ? notImplemented() : NULL;
  if (y === 0) {
    PyErr_SetString(PyExc_ZeroDivisionError, 'float divmod()');
    return NULL;
  }
  const q = PyFloat_FromDouble(floatFloorDiv(x, y));
  if (q === NULL) return NULL;
  const r = PyFloat_FromDouble(floatMod(x, y));
  if (r === NULL) {
    Py_DECREF(q);
    return NULL;
  }
  const t = PyTuple_Pack2(q, r);
  Py_DECREF(q);
  Py_DECREF(r);
  return t;
}

function isOddInteger(y: number): boolean {
  return Math.abs(y) < 9007199254740992 * 2 && y % 2 !== 0 && Math.floor(y) === y;
}

/** ≈ float_pow's core for two doubles: new float, or NULL with ZeroDivisionError /
 *  OverflowError / ValueError. */
export function float_pow_impl(iv: number, iw: number): Ptr {
  // special cases, in float_pow's order
  if (iw === 0) return PyFloat_FromDouble(1.0); // x**0 is 1, even 0**0 and nan**0
  if (iv !== iv) return PyFloat_FromDouble(iv); // nan**w = nan, unless w == 0
  if (iw !== iw) return PyFloat_FromDouble(iv === 1.0 ? 1.0 : iw); // v**nan = nan, unless v == 1
  if (iw === Infinity || iw === -Infinity) {
    const a = Math.abs(iv);
    if (a === 1.0) return PyFloat_FromDouble(1.0);
    if ((iw > 0) === (a > 1.0)) return PyFloat_FromDouble(Infinity);
    return PyFloat_FromDouble(0.0);
  }
  if (iv === Infinity || iv === -Infinity) {
    const oddY = isOddInteger(iw);
    if (iw > 0) return PyFloat_FromDouble(oddY ? iv : Math.abs(iv));
    return PyFloat_FromDouble(oddY ? (iv > 0 ? 0 : -0) : 0.0);
  }
  if (iv === 0) {
    const oddY = isOddInteger(iw);
    if (iw < 0) {
      PyErr_SetString(PyExc_ZeroDivisionError, '0.0 cannot be raised to a negative power');
      return NULL;
    }
    return PyFloat_FromDouble(oddY ? iv : 0.0);
  }
  let negateResult = false;
  if (iv < 0) {
    if (iw !== Math.floor(iw)) {
      // CPython returns a complex here (complex is not in pymem's subset)
      PyErr_SetString(PyExc_ValueError, 'math domain error');
      return NULL;
    }
    iv = -iv;
    negateResult = isOddInteger(iw);
  }
  if (iv === 1.0) return PyFloat_FromDouble(negateResult ? -1.0 : 1.0);
  let ix: number;
  if (iw === 2) ix = iv * iv; // one rounding: correctly rounded
  else if (iw === -1) ix = 1 / iv;
  else if (iw === 0.5) ix = Math.sqrt(iv);
  else if (iw === 1) ix = iv;
  else if (iw === Math.trunc(iw) && iw >= -POW_EXACT_MAX && iw <= POW_EXACT_MAX) ix = powExactInt(iv, iw);
  else ix = Math.pow(iv, iw);
  if (ix === Infinity) {
    PyErr_SetString(PyExc_OverflowError, "(34, 'Numerical result out of range')");
    return NULL;
  }
  if (negateResult) ix = -ix;
  return PyFloat_FromDouble(ix);
}

/** Integral exponents up to this size are computed exactly (BigInt) and rounded once, as a
 *  correctly rounded libm pow does; JS's Math.pow can be 1 ulp off. */
const POW_EXACT_MAX = 256;
/** x^n correctly rounded for finite x > 0 and an integer n (|n| ≤ POW_EXACT_MAX). */
function powExactInt(x: number, n: number): number {
  scratch[0] = x;
  const hiw = scratchU32[1];
  const bexp = (hiw >>> 20) & 0x7ff;
  let m = BigInt(hiw & 0xfffff) * 4294967296n + BigInt(scratchU32[0]);
  let e: number;
  if (bexp === 0) e = -1074;
  else {
    m += 1n << 52n;
    e = bexp - 1075;
  }
  while ((m & 1n) === 0n) {
    m >>= 1n;
    e++;
  }
  const k = n < 0 ? -n : n;
  const M = m ** BigInt(k);
  const E = e * k;
  if (n > 0) return exactScaled(M, E);
  // 2^(-E) / M
  return E <= 0 ? bigTrueDivide(1n << BigInt(-E), M) : bigTrueDivide(1n, M << BigInt(E));
}

/** ≈ float_pow (nb_power) */
export function float_pow(a: Ptr, b: Ptr, c: Ptr): Ptr {
  if (c !== Py_None && c !== NULL) {
    PyErr_SetString(PyExc_TypeError, 'pow() 3rd argument not allowed unless all arguments are integers');
    return NULL;
  }
  const x = toDouble(a);
  if (convState !== 0) return convState === 1 ? notImplemented() : NULL;
  const y = toDouble(b);
  if (convState !== 0) return convState === 1 ? notImplemented() : NULL;
  return float_pow_impl(x, y);
}

export function float_neg(a: Ptr): Ptr {
  return PyFloat_FromDouble(-F64[(a + FLOAT_FVAL) >> 3]);
}
export function float_abs(a: Ptr): Ptr {
  return PyFloat_FromDouble(Math.abs(F64[(a + FLOAT_FVAL) >> 3]));
}
/** ≈ float_float (nb_positive, nb_float): exact float → itself, subclass → a new exact float */
export function float_float(a: Ptr): Ptr {
  if (I32[(a + OB_TYPE) >> 2] === PyFloat_Type) {
    I32[a >> 2]++;
    return a;
  }
  return PyFloat_FromDouble(F64[(a + FLOAT_FVAL) >> 3]);
}
export function float_bool(a: Ptr): number {
  return F64[(a + FLOAT_FVAL) >> 3] !== 0 ? 1 : 0;
}
/** ≈ float___trunc___impl (nb_int): int(x) */
export function float_trunc(a: Ptr): Ptr {
  return PyLong_FromDouble(F64[(a + FLOAT_FVAL) >> 3]);
}

// ---- comparison (exact against ints, ≈ float_richcompare) ----
function cmpResult(c: number, op: number): Ptr {
  // c: -1, 0, 1 (ordered)
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
function cmpDoubles(i: number, j: number, op: number): Ptr {
  let r: boolean;
  switch (op) {
    case Py_LT: r = i < j; break;
    case Py_LE: r = i <= j; break;
    case Py_EQ: r = i === j; break;
    case Py_NE: r = i !== j; break;
    case Py_GT: r = i > j; break;
    default: r = i >= j; break;
  }
  const o = r ? Py_True : Py_False;
  I32[o >> 2]++;
  return o;
}

/** Compare a finite double with an int exactly: -1, 0, 1. */
export function compareDoubleWithLong(d: number, w: Ptr): number {
  const v = smallValue(w);
  if (v === v) return d < v ? -1 : d > v ? 1 : 0; // both exact doubles
  const big = PyLong_AsBigInt(w);
  const t = Math.trunc(d);
  const bt = BigInt(t);
  if (bt !== big) return bt < big ? -1 : 1;
  const frac = d - t;
  return frac < 0 ? -1 : frac > 0 ? 1 : 0;
}

/** ≈ float_richcompare */
export function float_richcompare(v: Ptr, w: Ptr, op: number): Ptr {
  const tv = I32[(v + OB_TYPE) >> 2];
  let i: number;
  if (tv === PyFloat_Type || PyType_IsSubtype(tv, PyFloat_Type)) i = F64[(v + FLOAT_FVAL) >> 3];
  else return notImplemented();
  const tw = I32[(w + OB_TYPE) >> 2];
  if (tw === PyFloat_Type || PyType_IsSubtype(tw, PyFloat_Type)) return cmpDoubles(i, F64[(w + FLOAT_FVAL) >> 3], op);
  if ((I32[(tw + TP_FLAGS) >> 2] & Py_TPFLAGS_LONG_SUBCLASS) === 0) return notImplemented();
  if (i !== i) return cmpDoubles(i, 0, op); // NaN: only != is true
  if (i === Infinity || i === -Infinity) return cmpDoubles(i, 0, op);
  return cmpResult(compareDoubleWithLong(i, w), op);
}

// ---- hash (≈ _Py_HashDouble) ----
const MOD = (1n << 61n) - 1n; // PyHASH_MODULUS (a local copy: longobject.ts may still be loading)
const scratch = new Float64Array(1);
const scratchU32 = new Uint32Array(scratch.buffer);

/** Hash of a double as CPython's _Py_HashDouble; `o` is used for NaN (identity hash).
 *  Returns the low 32 bits, HASH_HI[0] = high. */
export function _Py_HashDouble(o: Ptr, v: number): number {
  if (v === Math.trunc(v) && v > -9007199254740992 && v < 9007199254740992) {
    // integral and exact: the int hash (|v| < 2^61 − 1)
    let h = v === -1 ? -2 : v;
    if (h === 0) h = 0;
    const hi = Math.floor(h / 4294967296);
    HASH_HI[0] = hi;
    return (h - hi * 4294967296) | 0;
  }
  if (v !== v) return hashPointer(o);
  if (v === Infinity) {
    HASH_HI[0] = 0;
    return 314159;
  }
  if (v === -Infinity) {
    HASH_HI[0] = -1;
    return -314159;
  }
  // |v| = m · 2^e with m integer (53 bits): hash = (m mod P) · 2^e mod P, i.e. a rotation of a
  // 61-bit value, as the C loop's 28-bit steps compute.
  scratch[0] = v;
  const hiw = scratchU32[1];
  const bexp = (hiw >>> 20) & 0x7ff;
  let m = BigInt(hiw & 0xfffff) * 4294967296n + BigInt(scratchU32[0]);
  let e: number;
  if (bexp === 0) e = -1074;
  else {
    m += 1n << 52n;
    e = bexp - 1075;
  }
  let x = m % MOD;
  // multiply by 2^e mod P: 2^61 ≡ 1, so rotate left by e mod 61
  let r = e % 61;
  if (r < 0) r += 61;
  x = ((x << BigInt(r)) & MOD) | (x >> BigInt(61 - r));
  if (x >= MOD) x -= MOD;
  let h = v < 0 ? -x : x;
  if (h === -1n) h = -2n;
  return hashFromBigInt(h);
}

export function float_hash(o: Ptr): number {
  return _Py_HashDouble(o, F64[(o + FLOAT_FVAL) >> 3]);
}

// ---- float(...) ----
function isSpaceNonAscii(c: number): boolean {
  return (
    c === 0x85 || c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 ||
    c === 0x202f || c === 0x205f || c === 0x3000
  );
}
const ND_RE = /\p{Nd}/u;
function toAsciiNumberText(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s.codePointAt(i)!;
    if (c > 0xffff) i++;
    if (c < 128) out += String.fromCharCode(c);
    else if (isSpaceNonAscii(c)) out += ' ';
    else if (ND_RE.test(String.fromCodePoint(c))) {
      let start = c;
      while (ND_RE.test(String.fromCodePoint(start - 1))) start--;
      out += String.fromCharCode(48 + ((c - start) % 10));
    } else return out + '?';
  }
  return out;
}

/** ≈ PyFloat_FromString(v): float(str) / float(bytes). New reference or NULL with
 *  ValueError "could not convert string to float: 'x'" / TypeError. */
export function PyFloat_FromString(v: Ptr): Ptr {
  const flags = I32[(I32[(v + OB_TYPE) >> 2] + TP_FLAGS) >> 2];
  let text: string;
  if (flags & Py_TPFLAGS_UNICODE_SUBCLASS) {
    text = toAsciiNumberText(unicodeToJs(v));
  } else if (flags & Py_TPFLAGS_BYTES_SUBCLASS) {
    // PyBytesObject: ob_size at 16, ob_sval at 32
    const n = I32[(v + 16) >> 2];
    text = '';
    for (let i = 0; i < n; i++) {
      const c = U8[v + 32 + i];
      text += c < 128 ? String.fromCharCode(c) : '?';
    }
  } else {
    PyErr_SetString(
      PyExc_TypeError,
      `float() argument must be a string or a real number, not '${typeName(I32[(v + OB_TYPE) >> 2])}'`,
    );
    return NULL;
  }
  const x = parseFloatText(text);
  if (parseFailed) {
    const r = PyObject_Repr(v);
    if (r === NULL) return NULL;
    let rs = unicodeToJs(r);
    Py_DECREF(r);
    if (rs.length > 200) rs = rs.slice(0, 200);
    PyErr_SetString(PyExc_ValueError, `could not convert string to float: ${rs}`);
    return NULL;
  }
  return PyFloat_FromDouble(x);
}

/** float(x) for the exact type: new reference or NULL. */
function float_new_impl(x: Ptr): Ptr {
  if (x === NULL) return PyFloat_FromDouble(0.0);
  const flags = I32[(I32[(x + OB_TYPE) >> 2] + TP_FLAGS) >> 2];
  if (flags & Py_TPFLAGS_UNICODE_SUBCLASS) return PyFloat_FromString(x);
  return PyNumber_Float(x);
}

/** ≈ float_vectorcall: calling `float` itself. */
export function float_vectorcall(_type: Ptr, args: number, nargs: number, kwnames: Ptr): Ptr {
  if (kwnames !== NULL && I32[(kwnames + 16) >> 2] !== 0) {
    PyErr_SetString(PyExc_TypeError, 'float() takes no keyword arguments');
    return NULL;
  }
  if (nargs > 1) {
    PyErr_SetString(PyExc_TypeError, `float expected at most 1 argument, got ${nargs}`);
    return NULL;
  }
  return float_new_impl(nargs > 0 ? I32[args >> 2] : NULL);
}

/** ≈ float_new (tp_new) for float and its subclasses: args a tuple (items at +24), kwds NULL. */
export function float_new(type: Ptr, args: Ptr, kwds: Ptr): Ptr {
  if (kwds !== NULL && I32[(kwds + 16) >> 2] !== 0) {
    PyErr_SetString(PyExc_TypeError, 'float() takes no keyword arguments');
    return NULL;
  }
  const nargs = args === NULL ? 0 : I32[(args + 16) >> 2];
  if (nargs > 1) {
    PyErr_SetString(PyExc_TypeError, `float expected at most 1 argument, got ${nargs}`);
    return NULL;
  }
  const v = float_new_impl(nargs > 0 ? I32[(args + 24) >> 2] : NULL);
  if (v === NULL || type === PyFloat_Type) return v;
  const o = PyType_GenericAlloc(type, 0);
  if (o === NULL) {
    Py_DECREF(v);
    return PyErr_NoMemory();
  }
  F64[(o + FLOAT_FVAL) >> 3] = F64[(v + FLOAT_FVAL) >> 3];
  Py_DECREF(v);
  return o;
}

// ---- methods ----
function float_is_integer(self: Ptr): Ptr {
  const x = F64[(self + FLOAT_FVAL) >> 3];
  const r = x === Math.trunc(x) && x !== Infinity && x !== -Infinity;
  const o = r ? Py_True : Py_False;
  I32[o >> 2]++;
  return o;
}
function float_conjugate(self: Ptr): Ptr {
  return float_float(self);
}

/** ≈ float_as_integer_ratio */
function float_as_integer_ratio(self: Ptr): Ptr {
  const x = F64[(self + FLOAT_FVAL) >> 3];
  if (x === Infinity || x === -Infinity) {
    PyErr_SetString(PyExc_OverflowError, 'cannot convert Infinity to integer ratio');
    return NULL;
  }
  if (x !== x) {
    PyErr_SetString(PyExc_ValueError, 'cannot convert NaN to integer ratio');
    return NULL;
  }
  let num: bigint;
  let den = 1n;
  if (x === 0) num = 0n;
  else {
    scratch[0] = x;
    const hiw = scratchU32[1];
    const bexp = (hiw >>> 20) & 0x7ff;
    let m = BigInt(hiw & 0xfffff) * 4294967296n + BigInt(scratchU32[0]);
    let e: number;
    if (bexp === 0) e = -1074;
    else {
      m += 1n << 52n;
      e = bexp - 1075;
    }
    while (e < 0 && (m & 1n) === 0n) {
      m >>= 1n;
      e++;
    }
    if (e >= 0) num = m << BigInt(e);
    else {
      num = m;
      den = 1n << BigInt(-e);
    }
    if (x < 0) num = -num;
  }
  const n = PyLong_FromBigInt(num);
  if (n === NULL) return NULL;
  const d = PyLong_FromBigInt(den);
  if (d === NULL) {
    Py_DECREF(n);
    return NULL;
  }
  const t = PyTuple_Pack2(n, d);
  Py_DECREF(n);
  Py_DECREF(d);
  return t;
}

/** ≈ float.__floor__ / __ceil__ */
function float_floor(self: Ptr): Ptr {
  return PyLong_FromDouble(Math.floor(F64[(self + FLOAT_FVAL) >> 3]));
}
function float_ceil(self: Ptr): Ptr {
  return PyLong_FromDouble(Math.ceil(F64[(self + FLOAT_FVAL) >> 3]));
}

/** round-half-even of a double to an integral double (≈ C round() then the half-even fix) */
export function roundHalfEven(x: number): number {
  const r = Math.round(x); // half up
  if (r - x === 0.5 && r % 2 !== 0) return r - 1; // tie rounded up to an odd: go down
  return r;
}

/** ≈ double_round: round(x, ndigits) correctly rounded through the exact decimal value. */
export function doubleRound(x: number, ndigits: number): Ptr {
  // NDIGITS_MAX / NDIGITS_MIN as in floatobject.c
  if (x !== x || x === Infinity || x === -Infinity || x === 0) return PyFloat_FromDouble(x);
  if (ndigits > 323) return PyFloat_FromDouble(x);
  if (ndigits < -308) return PyFloat_FromDouble(0.0 * x);
  const digits = dtoa(x, 3, ndigits);
  let text: string;
  if (digits === '') text = '0';
  else text = `${digits}e${dtoaDecpt - digits.length}`;
  let r = parseFloat(text);
  if (x < 0) r = -r;
  if (r === 0) r = x < 0 ? -0 : 0;
  if (r === Infinity || r === -Infinity) {
    PyErr_SetString(PyExc_OverflowError, 'rounded value too large to represent');
    return NULL;
  }
  return PyFloat_FromDouble(r);
}

/** float.__round__(ndigits=None) */
function float_round(self: Ptr, args: number, nargs: number): Ptr {
  if (nargs > 1) {
    PyErr_SetString(PyExc_TypeError, `__round__ expected at most 1 argument, got ${nargs}`);
    return NULL;
  }
  const x = F64[(self + FLOAT_FVAL) >> 3];
  if (nargs === 0 || I32[args >> 2] === Py_None) {
    const r = roundHalfEven(x);
    return PyLong_FromDouble(r);
  }
  const nd = PyNumber_Index(I32[args >> 2]);
  if (nd === NULL) return NULL;
  let n = smallValue(nd);
  if (n !== n) n = PyLong_AsBigInt(nd) > 0n ? 1e9 : -1e9;
  Py_DECREF(nd);
  return doubleRound(x, n);
}

/** ≈ float_hex */
function float_hex(self: Ptr): Ptr {
  return PyUnicode_FromString(floatHexJs(F64[(self + FLOAT_FVAL) >> 3]));
}
export function floatHexJs(x: number): string {
  if (x !== x) return 'nan';
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  const neg = x < 0 || (x === 0 && 1 / x < 0);
  if (x === 0) return neg ? '-0x0.0p+0' : '0x0.0p+0';
  scratch[0] = x;
  const hiw = scratchU32[1];
  const bexp = (hiw >>> 20) & 0x7ff;
  const mant = (hiw & 0xfffff).toString(16).padStart(5, '0') + scratchU32[0].toString(16).padStart(8, '0');
  let e: number;
  let lead: string;
  if (bexp === 0) {
    lead = '0';
    e = -1022;
  } else {
    lead = '1';
    e = bexp - 1023;
  }
  return `${neg ? '-' : ''}0x${lead}.${mant}p${e >= 0 ? '+' : ''}${e}`;
}

/** ≈ float_fromhex (classmethod): float.fromhex(s) */
function float_fromhex(type: Ptr, s: Ptr): Ptr {
  if (!PyUnicode_Check(s)) {
    PyErr_SetString(PyExc_TypeError, `bad argument type for built-in operation`);
    return NULL;
  }
  const t = unicodeToJs(s).trim();
  const m = /^([+-]?)(?:0x)?([0-9a-f]*)(?:\.([0-9a-f]*))?(?:p([+-]?\d+))?$/i.exec(t);
  let v: number;
  if (m === null || (m[2] === '' && (m[3] === undefined || m[3] === ''))) {
    const sp = /^([+-]?)(inf|infinity|nan)$/i.exec(t);
    if (sp === null) {
      PyErr_SetString(PyExc_ValueError, 'invalid hexadecimal floating-point string');
      return NULL;
    }
    v = sp[2].toLowerCase() === 'nan' ? NaN : sp[1] === '-' ? -Infinity : Infinity;
  } else {
    const intPart = m[2] || '0';
    const frac = m[3] ?? '';
    const exp = m[4] !== undefined ? parseInt(m[4], 10) : 0;
    const mant = BigInt('0x' + intPart + frac) ;
    // value = mant · 2^(exp − 4·len(frac)), correctly rounded
    const e2 = exp - 4 * frac.length;
    if (mant === 0n) v = 0;
    else {
      // reuse the exact true-division rounding: mant·2^e2
      v = exactScaled(mant, e2);
      if (v === Infinity) {
        PyErr_SetString(PyExc_OverflowError, 'hexadecimal value too large to represent as a float');
        return NULL;
      }
    }
    if (m[1] === '-') v = -v;
  }
  const r = PyFloat_FromDouble(v);
  if (r === NULL || type === PyFloat_Type) return r;
  const o = PyType_GenericAlloc(type, 0);
  if (o === NULL) {
    Py_DECREF(r);
    return PyErr_NoMemory();
  }
  F64[(o + FLOAT_FVAL) >> 3] = v;
  Py_DECREF(r);
  return o;
}
function float_format_method(self: Ptr, spec: Ptr): Ptr {
  if (!PyUnicode_Check(spec)) {
    PyErr_SetString(PyExc_TypeError, `__format__() argument must be str, not ${typeName(I32[(spec + OB_TYPE) >> 2])}`);
    return NULL;
  }
  return formatFloat(self, unicodeToJs(spec));
}
function float_getnewargs_unused(): void {}
void float_getnewargs_unused;

export const floatMethods: MethodDef[] = [
  { name: 'conjugate', flags: METH_NOARGS, fn: float_conjugate },
  { name: '__trunc__', flags: METH_NOARGS, fn: float_trunc },
  { name: '__floor__', flags: METH_NOARGS, fn: float_floor },
  { name: '__ceil__', flags: METH_NOARGS, fn: float_ceil },
  { name: '__round__', flags: METH_FASTCALL, fn: float_round },
  { name: 'as_integer_ratio', flags: METH_NOARGS, fn: float_as_integer_ratio },
  { name: 'fromhex', flags: METH_O | METH_CLASS, fn: float_fromhex },
  { name: 'hex', flags: METH_NOARGS, fn: float_hex },
  { name: 'is_integer', flags: METH_NOARGS, fn: float_is_integer },
  { name: '__format__', flags: METH_O, fn: float_format_method },
];
function float_get_real(self: Ptr): Ptr {
  return float_float(self);
}
function float_get_imag(_self: Ptr): Ptr {
  return PyFloat_FromDouble(0.0);
}
export const floatGetsets: GetSetDef[] = [
  { name: 'real', get: float_get_real },
  { name: 'imag', get: float_get_imag },
];
{
  const s = slotsOf(PyFloat_Type);
  s.methods = floatMethods;
  s.getsets = floatGetsets;
  s.doc = 'Convert a string or number to a floating point number, if possible.';
}

void PyLong_FromNumber;
void Py_GT;
