// The `math` module (≈ Modules/mathmodule.c), the functions SUBSET.md programs use.
//
// Error rules are CPython's math_1: a NaN result from a non-NaN argument is ValueError
// "math domain error"; an infinite result from a finite argument is OverflowError "math range
// error" for the functions that can overflow (exp, cosh, sinh, expm1, exp2) and ValueError
// otherwise. The elementary functions come from libm.ts (correctly rounded, as glibc's are in
// practice), hypot uses CPython 3.11's own vector_norm (scaling, Veltkamp splitting,
// compensated summation, differential correction of the square root), fsum is Shewchuk's
// exact summation with CPython's final half-even correction, log of a huge int goes through
// frexp of the int, and the integer functions (gcd, lcm, isqrt, factorial, comb, perm) are
// exact with BigInt.

import {
  type Ptr, NULL as NULL__i, I32 as I32__i, F64 as F64__i,
} from '../mem/heap.js';
const NULL = NULL__i;
const I32 = I32__i;
const F64 = F64__i;
import { Py_DECREF, Py_INCREF, Py_TYPE } from '../object.js';
import { slotsOfObj, PyType_IsSubtype, METH_FASTCALL, METH_KEYWORDS, type MethodDef } from '../typeobject.js';
import { PyErr_SetString, PyErr_Occurred, PyErr_ExceptionMatches, PyErr_Clear } from '../errors.js';
import { PyExc_TypeError, PyExc_ValueError, PyExc_OverflowError, PyExc_StopIteration } from '../objects/exceptions.js';
import { PyNumber_Index, PyNumber_TrueDivide, PyNumber_Multiply, PyObject_GetIter } from '../abstract.js';
import { PyObject_CallNoArgs } from '../call.js';
import { Py_True, Py_False, PyLong_FromNumber, PyLong_FromBigInt, PyLong_AsBigInt, PyLong_Check, PyLong_CheckExact, PyLong_AsDouble, PyLong_FromDouble, smallValue } from '../objects/longobject.js';
import { PyFloat_FromDouble, PyFloat_Type, PyFloat_CheckExact, FLOAT_FVAL } from '../objects/floatobject.js';
import { PyTuple_GET_SIZE, PyTuple_GET_ITEM, PyTuple_Pack2, PyTuple_Check, PySequence_Tuple } from '../objects/tupleobject.js';
import { PyModule_New, PyModule_AddFunctions, PyModule_AddObject } from '../objects/moduleobject.js';
import { Py_None } from '../objects/noneobject.js';
import { arg, checkPositional, parseArgs, ARGV, tpName, type ArgSpec } from './modsupport.js';
import { registerBuiltinModule, libDynload } from './import.js';
import { lookupSpecial } from './bltinmodule.js';
import * as m from './libm.js';

function typeError(msg: string): Ptr {
  PyErr_SetString(PyExc_TypeError, msg);
  return NULL;
}
function domainError(): Ptr {
  PyErr_SetString(PyExc_ValueError, 'math domain error');
  return NULL;
}
function rangeError(): Ptr {
  PyErr_SetString(PyExc_OverflowError, 'math range error');
  return NULL;
}
function boolResult(b: boolean): Ptr {
  const r = b ? Py_True : Py_False;
  Py_INCREF(r);
  return r;
}

/** ≈ PyFloat_AsDouble: float, int (exact conversion or OverflowError), __float__, __index__;
 *  otherwise TypeError "must be real number, not str". Check convFailed() after a -1. */
let convError = false;
export function asDouble(o: Ptr): number {
  convError = false;
  const t = Py_TYPE(o);
  if (t === PyFloat_Type) return F64[(o + FLOAT_FVAL) >> 3];
  if (PyLong_Check(o)) {
    const v = smallValue(o);
    if (v === v) return v;
    const d = PyLong_AsDouble(o);
    if (d === -1 && PyErr_Occurred() !== NULL) convError = true;
    return d;
  }
  if (PyType_IsSubtype(t, PyFloat_Type)) return F64[(o + FLOAT_FVAL) >> 3];
  const s = slotsOfObj(o);
  if (s.nb_float !== undefined) {
    const f = s.nb_float(o);
    if (f === NULL) {
      convError = true;
      return -1;
    }
    if (!PyType_IsSubtype(Py_TYPE(f), PyFloat_Type)) {
      PyErr_SetString(PyExc_TypeError, `${tpName(o)}.__float__ returned non-float (type ${tpName(f)})`);
      Py_DECREF(f);
      convError = true;
      return -1;
    }
    const v = F64[(f + FLOAT_FVAL) >> 3];
    Py_DECREF(f);
    return v;
  }
  if (s.nb_index !== undefined) {
    const i = PyNumber_Index(o);
    if (i === NULL) {
      convError = true;
      return -1;
    }
    const d = PyLong_AsDouble(i);
    Py_DECREF(i);
    if (d === -1 && PyErr_Occurred() !== NULL) convError = true;
    return d;
  }
  PyErr_SetString(PyExc_TypeError, `must be real number, not ${tpName(o)}`);
  convError = true;
  return -1;
}

/** "math.X() takes exactly one argument (N given)" for the one-argument functions. */
function oneArg(name: string, nargs: number, kwnames: Ptr): boolean {
  if (kwnames !== NULL && PyTuple_GET_SIZE(kwnames) > 0) {
    PyErr_SetString(PyExc_TypeError, `math.${name}() takes no keyword arguments`);
    return false;
  }
  if (nargs !== 1) {
    PyErr_SetString(PyExc_TypeError, `math.${name}() takes exactly one argument (${nargs} given)`);
    return false;
  }
  return true;
}

/** ≈ math_1 */
function math_1(name: string, f: (x: number) => number, canOverflow: boolean) {
  return (_m: Ptr, args: number, nargs: number, kwnames: Ptr): Ptr => {
    if (!oneArg(name, nargs, kwnames)) return NULL;
    const x = asDouble(arg(args, 0));
    if (convError) return NULL;
    const r = f(x);
    if (r !== r && x === x) return domainError();
    if ((r === Infinity || r === -Infinity) && isFinite(x)) return canOverflow ? rangeError() : domainError();
    return PyFloat_FromDouble(r);
  };
}

/** A one-argument function with its own body. */
function fn1(name: string, body: (o: Ptr) => Ptr) {
  return (_m: Ptr, args: number, nargs: number, kwnames: Ptr): Ptr => (oneArg(name, nargs, kwnames) ? body(arg(args, 0)) : NULL);
}
/** A two-argument function checked with _PyArg_CheckPositional. */
function fn2(name: string, body: (a: Ptr, b: Ptr) => Ptr) {
  return (_m: Ptr, args: number, nargs: number, kwnames: Ptr): Ptr => {
    if (kwnames !== NULL && PyTuple_GET_SIZE(kwnames) > 0) return typeError(`${name}() takes no keyword arguments`);
    if (!checkPositional(name, nargs, 2, 2)) return NULL;
    return body(arg(args, 0), arg(args, 1));
  };
}

// ---- floor / ceil / trunc ----
function roundingFn(name: string, dunder: string, f: (x: number) => number) {
  return fn1(name, (o: Ptr): Ptr => {
    if (PyFloat_CheckExact(o)) return PyLong_FromDouble(f(F64[(o + FLOAT_FVAL) >> 3]));
    if (PyLong_CheckExact(o)) {
      Py_INCREF(o);
      return o;
    }
    const meth = lookupSpecial(o, dunder);
    if (meth !== NULL) {
      const r = PyObject_CallNoArgs(meth);
      Py_DECREF(meth);
      return r;
    }
    if (PyErr_Occurred() !== NULL) return NULL;
    const x = asDouble(o);
    if (convError) return NULL;
    return PyLong_FromDouble(f(x));
  });
}
const math_trunc = fn1('trunc', (o: Ptr): Ptr => {
  if (PyFloat_CheckExact(o)) return PyLong_FromDouble(Math.trunc(F64[(o + FLOAT_FVAL) >> 3]));
  const meth = lookupSpecial(o, '__trunc__');
  if (meth === NULL) {
    if (PyErr_Occurred() === NULL) return typeError(`type ${tpName(o)} doesn't define __trunc__ method`);
    return NULL;
  }
  const r = PyObject_CallNoArgs(meth);
  Py_DECREF(meth);
  return r;
});

// ---- logarithms ----
/** ≈ _PyLong_Frexp: an int = FREXP_M·2^return with FREXP_M in [0.5, 1) rounded half-even. */
let FREXP_M = 0;
function longFrexp(b: bigint): number {
  const bits = b.toString(2).length;
  const s = bits - 64;
  let v = b >> BigInt(s);
  if ((v << BigInt(s)) !== b) v |= 1n; // sticky bit for correct rounding
  let mant = Number(v) / 2 ** 64;
  let e = s + 64;
  if (mant >= 1) {
    mant /= 2;
    e += 1;
  }
  FREXP_M = mant;
  return e;
}

/** ≈ loghelper: log of an int (any size) or of a float through math_1's rules. */
function loghelper(o: Ptr, f: (x: number) => number, log2of2: number): Ptr {
  if (PyLong_Check(o)) {
    if (I32[(o + 16) >> 2] <= 0) return domainError();
    const x = PyLong_AsDouble(o);
    if (x === -1 && PyErr_Occurred() !== NULL) {
      if (!PyErr_ExceptionMatches(PyExc_OverflowError)) return NULL;
      PyErr_Clear();
      const e = longFrexp(PyLong_AsBigInt(o));
      return PyFloat_FromDouble(f(FREXP_M) + log2of2 * e);
    }
    return PyFloat_FromDouble(f(x));
  }
  const x = asDouble(o);
  if (convError) return NULL;
  const r = f(x);
  if (r !== r && x === x) return domainError();
  if ((r === Infinity || r === -Infinity) && isFinite(x)) return domainError();
  return PyFloat_FromDouble(r);
}

function math_log(_m: Ptr, args: number, nargs: number, kwnames: Ptr): Ptr {
  if ((kwnames !== NULL && PyTuple_GET_SIZE(kwnames) > 0) || nargs < 1 || nargs > 2) return typeError('math.log requires 1 to 2 arguments');
  const num = loghelper(arg(args, 0), m.log, m.log(2));
  if (num === NULL || nargs === 1) return num;
  const den = loghelper(arg(args, 1), m.log, m.log(2));
  if (den === NULL) {
    Py_DECREF(num);
    return NULL;
  }
  const r = PyNumber_TrueDivide(num, den);
  Py_DECREF(num);
  Py_DECREF(den);
  return r;
}

// ---- two-argument float functions ----
function two(name: string, body: (x: number, y: number) => Ptr) {
  return fn2(name, (a: Ptr, b: Ptr): Ptr => {
    const x = asDouble(a);
    if (convError) return NULL;
    const y = asDouble(b);
    if (convError) return NULL;
    return body(x, y);
  });
}

/** ≈ m_atan2 */
function atan2Special(y: number, x: number): number {
  if (x !== x || y !== y) return NaN;
  if (y === Infinity || y === -Infinity) {
    if (x === Infinity || x === -Infinity) return Math.sign(1 / x) > 0 || x > 0 ? copysign(0.25 * Math.PI, y) : copysign(0.75 * Math.PI, y);
    return copysign(0.5 * Math.PI, y);
  }
  if (x === Infinity || x === -Infinity || y === 0) {
    if (x > 0 || Object.is(x, 0)) return copysign(0, y);
    return copysign(Math.PI, y);
  }
  return m.atan2(y, x);
}

export function copysign(x: number, y: number): number {
  const neg = y < 0 || Object.is(y, -0) || (y !== y && signBitOfNaN(y));
  const ax = Math.abs(x);
  return neg ? -ax : ax;
}
const SB = new Float64Array(1);
const SBU = new Uint32Array(SB.buffer);
function signBitOfNaN(y: number): boolean {
  SB[0] = y;
  return (SBU[1] & 0x80000000) !== 0;
}

/** ≈ math_pow's special cases, then libm pow */
function mathPow(x: number, y: number): Ptr {
  let r: number;
  let odd = false;
  if (!isFinite(x) || !isFinite(y)) {
    if (x !== x) r = y === 0 ? 1 : x;
    else if (y !== y) r = x === 1 ? 1 : y;
    else if (x === Infinity || x === -Infinity) {
      odd = isFinite(y) && Math.abs(y) % 2 === 1;
      if (x > 0) r = y > 0 ? x : 0;
      else r = y > 0 ? (odd ? x : Math.abs(x)) : odd ? copysign(0, x) : 0;
    } else {
      if (Math.abs(x) === 1) r = 1;
      else if (y > 0 && Math.abs(x) > 1) r = y;
      else if (y < 0 && Math.abs(x) < 1) r = -y;
      else r = 0;
    }
    return PyFloat_FromDouble(r);
  }
  r = m.pow(x, y);
  if (!isFinite(r)) {
    if (r !== r) return domainError();
    if (x === 0) return domainError();
    return rangeError();
  }
  return PyFloat_FromDouble(r);
}

function mathFmod(x: number, y: number): Ptr {
  if ((y === Infinity || y === -Infinity) && isFinite(x)) return PyFloat_FromDouble(x);
  const r = x % y;
  if (r !== r && x === x && y === y) return domainError();
  return PyFloat_FromDouble(r);
}

/** ≈ m_remainder (IEEE 754 remainder) */
function mathRemainder(x: number, y: number): Ptr {
  if (isFinite(x) && isFinite(y)) {
    if (y === 0) return domainError();
    const absx = Math.abs(x);
    const absy = Math.abs(y);
    const mod = absx % absy;
    const c = absy - mod;
    let r: number;
    if (mod < c) r = mod;
    else if (mod > c) r = -c;
    else r = mod - 2.0 * ((0.5 * (absx - mod)) % absy);
    return PyFloat_FromDouble(copysign(1, x) * r);
  }
  if (x !== x) return PyFloat_FromDouble(x);
  if (y !== y) return PyFloat_FromDouble(y);
  if (!isFinite(x)) return domainError();
  return PyFloat_FromDouble(x);
}

// ---- frexp / ldexp / modf ----
function frexpJs(x: number): [number, number] {
  if (x === 0 || !isFinite(x) || x !== x) return [x, 0];
  let e = 0;
  let a = Math.abs(x);
  if (a < 2.2250738585072014e-308) {
    a *= 2 ** 64;
    e -= 64;
  }
  SB[0] = a;
  const be = (SBU[1] >>> 20) & 0x7ff;
  e += be - 1022;
  SBU[1] = (SBU[1] & 0x800fffff) | (1022 << 20);
  return [x < 0 ? -SB[0] : SB[0], e];
}

const math_frexp = fn1('frexp', (o: Ptr): Ptr => {
  const x = asDouble(o);
  if (convError) return NULL;
  const [mant, e] = frexpJs(x);
  const a = PyFloat_FromDouble(mant);
  const b = PyLong_FromNumber(e);
  if (a === NULL || b === NULL) return NULL;
  const t = PyTuple_Pack2(a, b);
  Py_DECREF(a);
  Py_DECREF(b);
  return t;
});

const math_ldexp = fn2('ldexp', (xo: Ptr, io: Ptr): Ptr => {
  const x = asDouble(xo);
  if (convError) return NULL;
  if (!PyLong_Check(io)) return typeError('Expected an int as second argument to ldexp.');
  let e = smallValue(io);
  if (e !== e) e = PyLong_AsBigInt(io) > 0n ? Infinity : -Infinity;
  let r: number;
  if (x === 0 || !isFinite(x)) r = x;
  else if (e > 100000) return rangeError();
  else if (e < -100000) r = copysign(0, x);
  else r = m.ldexpJs(x, e);
  if (!isFinite(r)) return rangeError();
  return PyFloat_FromDouble(r);
});

const math_modf = fn1('modf', (o: Ptr): Ptr => {
  const x = asDouble(o);
  if (convError) return NULL;
  let frac: number;
  let ip: number;
  if (x === Infinity || x === -Infinity) {
    frac = copysign(0, x);
    ip = x;
  } else if (x !== x) {
    frac = x;
    ip = x;
  } else {
    ip = Math.trunc(x);
    frac = x - ip;
    if (frac === 0) frac = copysign(0, x);
    if (ip === 0) ip = copysign(0, x);
  }
  const a = PyFloat_FromDouble(frac);
  const b = PyFloat_FromDouble(ip);
  if (a === NULL || b === NULL) return NULL;
  const t = PyTuple_Pack2(a, b);
  Py_DECREF(a);
  Py_DECREF(b);
  return t;
});

// ---- hypot / dist (≈ vector_norm of CPython 3.11) ----
const T27 = 134217729.0;
export function vectorNorm(vec: Float64Array, n: number, max: number, foundNan: boolean): number {
  if (max === Infinity) return max;
  if (foundNan) return NaN;
  if (max === 0 || n <= 1) return max;
  const maxE = frexpJs(max)[1];
  let csum = 1.0;
  let frac1 = 0.0;
  let frac2 = 0.0;
  let frac3 = 0.0;
  let x: number;
  let oldcsum: number;
  if (maxE >= -1023) {
    const scale = m.ldexpJs(1.0, -maxE);
    for (let i = 0; i < n; i++) {
      x = vec[i] * scale;
      const t = x * T27;
      const hi = t - (t - x);
      const lo = x - hi;
      x = hi * hi;
      oldcsum = csum;
      csum += x;
      frac1 += oldcsum - csum + x;
      x = 2.0 * hi * lo;
      oldcsum = csum;
      csum += x;
      frac2 += oldcsum - csum + x;
      frac3 += lo * lo;
    }
    const h = Math.sqrt(csum - 1.0 + (frac1 + frac2 + frac3));
    x = h;
    const t = x * T27;
    const hi = t - (t - x);
    const lo = x - hi;
    x = -hi * hi;
    oldcsum = csum;
    csum += x;
    frac1 += oldcsum - csum + x;
    x = -2.0 * hi * lo;
    oldcsum = csum;
    csum += x;
    frac2 += oldcsum - csum + x;
    x = -lo * lo;
    oldcsum = csum;
    csum += x;
    frac3 += oldcsum - csum + x;
    x = csum - 1.0 + (frac1 + frac2 + frac3);
    return (h + x / (2.0 * h)) / scale;
  }
  // tiny values: divide by max instead of scaling
  for (let i = 0; i < n; i++) {
    x = vec[i] / max;
    x = x * x;
    oldcsum = csum;
    csum += x;
    frac1 += oldcsum - csum + x;
  }
  return max * Math.sqrt(csum - 1.0 + frac1);
}

let normBuf = new Float64Array(16);
function ensureNormBuf(n: number): Float64Array {
  if (normBuf.length < n) normBuf = new Float64Array(Math.max(n, normBuf.length * 2));
  return normBuf;
}
/** ASSIGN_DOUBLE: float, int, or PyFloat_AsDouble. */
function assignDouble(o: Ptr): number {
  if (PyFloat_CheckExact(o)) {
    convError = false;
    return F64[(o + FLOAT_FVAL) >> 3];
  }
  return asDouble(o);
}

function math_hypot(_m: Ptr, args: number, nargs: number, kwnames: Ptr): Ptr {
  if (kwnames !== NULL && PyTuple_GET_SIZE(kwnames) > 0) return typeError('hypot() takes no keyword arguments');
  const vec = ensureNormBuf(nargs);
  let max = 0;
  let foundNan = false;
  for (let i = 0; i < nargs; i++) {
    const x = Math.abs(assignDouble(arg(args, i)));
    if (convError) return NULL;
    vec[i] = x;
    if (x !== x) foundNan = true;
    if (x > max) max = x;
  }
  return PyFloat_FromDouble(vectorNorm(vec, nargs, max, foundNan));
}

const math_dist = fn2('dist', (p: Ptr, q: Ptr): Ptr => {
  const pt = PyTuple_Check(p) ? (Py_INCREF(p), p) : PySequence_Tuple(p);
  if (pt === NULL) return NULL;
  const qt = PyTuple_Check(q) ? (Py_INCREF(q), q) : PySequence_Tuple(q);
  if (qt === NULL) {
    Py_DECREF(pt);
    return NULL;
  }
  const n = PyTuple_GET_SIZE(pt);
  let res: Ptr = NULL;
  if (n !== PyTuple_GET_SIZE(qt)) {
    PyErr_SetString(PyExc_ValueError, 'both points must have the same number of dimensions');
  } else {
    const vec = ensureNormBuf(n);
    let max = 0;
    let foundNan = false;
    let ok = true;
    for (let i = 0; i < n && ok; i++) {
      const px = assignDouble(PyTuple_GET_ITEM(pt, i));
      if (convError) ok = false;
      const qx = ok ? assignDouble(PyTuple_GET_ITEM(qt, i)) : 0;
      if (convError) ok = false;
      const x = Math.abs(px - qx);
      vec[i] = x;
      if (x !== x) foundNan = true;
      if (x > max) max = x;
    }
    if (ok) res = PyFloat_FromDouble(vectorNorm(vec, n, max, foundNan));
  }
  Py_DECREF(pt);
  Py_DECREF(qt);
  return res;
});

// ---- fsum (≈ math_fsum: Shewchuk's partials, then CPython's rounding correction) ----
let partials = new Float64Array(32);
const math_fsum = fn1('fsum', (seq: Ptr): Ptr => {
  const it = PyObject_GetIter(seq);
  if (it === NULL) return NULL;
  const next = slotsOfObj(it).tp_iternext!;
  let n = 0;
  let specialSum = 0.0;
  let infSum = 0.0;
  let p = partials;
  for (;;) {
    const item = next(it);
    if (item === NULL) {
      if (PyErr_Occurred() !== NULL) {
        if (!PyErr_ExceptionMatches(PyExc_StopIteration)) {
          Py_DECREF(it);
          return NULL;
        }
        PyErr_Clear();
      }
      break;
    }
    let x = assignDouble(item);
    Py_DECREF(item);
    if (convError) {
      Py_DECREF(it);
      return NULL;
    }
    const xsave = x;
    let i = 0;
    for (let j = 0; j < n; j++) {
      let y = p[j];
      if (Math.abs(x) < Math.abs(y)) {
        const t = x;
        x = y;
        y = t;
      }
      const hi = x + y;
      const yr = hi - x;
      const lo = y - yr;
      if (lo !== 0.0) p[i++] = lo;
      x = hi;
    }
    n = i;
    if (x !== 0.0) {
      if (!isFinite(x)) {
        if (isFinite(xsave)) {
          Py_DECREF(it);
          PyErr_SetString(PyExc_OverflowError, 'intermediate overflow in fsum');
          return NULL;
        }
        if (xsave === Infinity || xsave === -Infinity) infSum += xsave;
        specialSum += xsave;
        n = 0;
      } else {
        if (n >= p.length) {
          const np = new Float64Array(p.length * 2);
          np.set(p);
          partials = p = np;
        }
        p[n++] = x;
      }
    }
  }
  Py_DECREF(it);
  if (specialSum !== 0.0) {
    if (infSum !== infSum) {
      PyErr_SetString(PyExc_ValueError, '-inf + inf in fsum');
      return NULL;
    }
    return PyFloat_FromDouble(specialSum);
  }
  let hi = 0.0;
  if (n > 0) {
    hi = p[--n];
    let lo = 0;
    while (n > 0) {
      const x = hi;
      const y = p[--n];
      hi = x + y;
      const yr = hi - x;
      lo = y - yr;
      if (lo !== 0.0) break;
    }
    if (n > 0 && ((lo < 0.0 && p[n - 1] < 0.0) || (lo > 0.0 && p[n - 1] > 0.0))) {
      const y = lo * 2.0;
      const x = hi + y;
      const yr = x - hi;
      if (y === yr) hi = x;
    }
  }
  return PyFloat_FromDouble(hi);
});

// ---- isclose / isfinite / isinf / isnan / copysign / degrees / radians ----
const iscloseSpec: ArgSpec = { fname: 'isclose', names: ['a', 'b', 'rel_tol', 'abs_tol'], posonly: 0, required: 2, kwonlyFrom: 2 };
function math_isclose(_m: Ptr, args: number, nargs: number, kwnames: Ptr): Ptr {
  if (!parseArgs(iscloseSpec, args, nargs, kwnames)) return NULL;
  const vals = [ARGV[0], ARGV[1], ARGV[2], ARGV[3]];
  const a = asDouble(vals[0]);
  if (convError) return NULL;
  const b = asDouble(vals[1]);
  if (convError) return NULL;
  let relTol = 1e-9;
  let absTol = 0.0;
  if (vals[2] !== NULL) {
    relTol = asDouble(vals[2]);
    if (convError) return NULL;
  }
  if (vals[3] !== NULL) {
    absTol = asDouble(vals[3]);
    if (convError) return NULL;
  }
  if (relTol < 0.0 || absTol < 0.0) {
    PyErr_SetString(PyExc_ValueError, 'tolerances must be non-negative');
    return NULL;
  }
  if (a === b) return boolResult(true);
  if (a === Infinity || a === -Infinity || b === Infinity || b === -Infinity) return boolResult(false);
  const diff = Math.abs(b - a);
  return boolResult(diff <= Math.abs(relTol * b) || diff <= Math.abs(relTol * a) || diff <= absTol);
}

function floatPred(name: string, pred: (x: number) => boolean) {
  return fn1(name, (o: Ptr): Ptr => {
    const x = asDouble(o);
    if (convError) return NULL;
    return boolResult(pred(x));
  });
}

const DEG_TO_RAD = Math.PI / 180.0;
const RAD_TO_DEG = 180.0 / Math.PI;

// ---- integer functions (exact, BigInt) ----
function indexBig(o: Ptr): bigint | null {
  const i = PyNumber_Index(o);
  if (i === NULL) return null;
  const v = PyLong_AsBigInt(i);
  Py_DECREF(i);
  return v;
}
function intResult(v: bigint): Ptr {
  return v >= -9007199254740991n && v <= 9007199254740991n ? PyLong_FromNumber(Number(v)) : PyLong_FromBigInt(v);
}
function bigAbs(v: bigint): bigint {
  return v < 0n ? -v : v;
}
function bigGcd(a: bigint, b: bigint): bigint {
  a = bigAbs(a);
  b = bigAbs(b);
  while (b !== 0n) [a, b] = [b, a % b];
  return a;
}
function math_gcd(_m: Ptr, args: number, nargs: number, kwnames: Ptr): Ptr {
  if (kwnames !== NULL && PyTuple_GET_SIZE(kwnames) > 0) return typeError('gcd() takes no keyword arguments');
  let g = 0n;
  for (let i = 0; i < nargs; i++) {
    const v = indexBig(arg(args, i));
    if (v === null) return NULL;
    g = bigGcd(g, v);
  }
  return intResult(g);
}
function math_lcm(_m: Ptr, args: number, nargs: number, kwnames: Ptr): Ptr {
  if (kwnames !== NULL && PyTuple_GET_SIZE(kwnames) > 0) return typeError('lcm() takes no keyword arguments');
  let l = 1n;
  for (let i = 0; i < nargs; i++) {
    const v = indexBig(arg(args, i));
    if (v === null) return NULL;
    if (l === 0n || v === 0n) {
      l = 0n;
      continue;
    }
    l = bigAbs((l / bigGcd(l, v)) * v);
  }
  return intResult(l);
}
export function bigIsqrt(n: bigint): bigint {
  if (n < 2n) return n;
  let x = BigInt(Math.floor(Math.sqrt(Number(n))));
  // Newton from an estimate (exact correction loop)
  for (;;) {
    const y = (x + n / x) >> 1n;
    if (y >= x) break;
    x = y;
  }
  while (x * x > n) x--;
  while ((x + 1n) * (x + 1n) <= n) x++;
  return x;
}
const math_isqrt = fn1('isqrt', (o: Ptr): Ptr => {
  const v = indexBig(o);
  if (v === null) return NULL;
  if (v < 0n) {
    PyErr_SetString(PyExc_ValueError, 'isqrt() argument must be nonnegative');
    return NULL;
  }
  return intResult(bigIsqrt(v));
});
function rangeProduct(lo: bigint, hi: bigint): bigint {
  // product of lo..hi (inclusive), split in halves so the multiplications stay balanced
  if (hi < lo) return 1n;
  if (hi - lo < 16n) {
    let p = 1n;
    for (let i = lo; i <= hi; i++) p *= i;
    return p;
  }
  const mid = (lo + hi) >> 1n;
  return rangeProduct(lo, mid) * rangeProduct(mid + 1n, hi);
}
const math_factorial = fn1('factorial', (o: Ptr): Ptr => {
  const v = indexBig(o);
  if (v === null) return NULL;
  if (v < 0n) {
    PyErr_SetString(PyExc_ValueError, 'factorial() not defined for negative values');
    return NULL;
  }
  if (v > 9223372036854775807n) {
    PyErr_SetString(PyExc_OverflowError, 'factorial() argument should not exceed 9223372036854775807');
    return NULL;
  }
  return intResult(rangeProduct(2n, v));
});
function combPermArgs(n: Ptr, k: Ptr): [bigint, bigint] | null {
  const nv = indexBig(n);
  if (nv === null) return null;
  const kv = indexBig(k);
  if (kv === null) return null;
  if (nv < 0n) {
    PyErr_SetString(PyExc_ValueError, 'n must be a non-negative integer');
    return null;
  }
  if (kv < 0n) {
    PyErr_SetString(PyExc_ValueError, 'k must be a non-negative integer');
    return null;
  }
  return [nv, kv];
}
const math_comb = fn2('comb', (n: Ptr, k: Ptr): Ptr => {
  const a = combPermArgs(n, k);
  if (a === null) return NULL;
  let [nv, kv] = a;
  if (kv > nv) return PyLong_FromNumber(0);
  if (kv > nv - kv) kv = nv - kv;
  return intResult(rangeProduct(nv - kv + 1n, nv) / rangeProduct(2n, kv));
});
function math_perm(_m: Ptr, args: number, nargs: number, kwnames: Ptr): Ptr {
  if (kwnames !== NULL && PyTuple_GET_SIZE(kwnames) > 0) return typeError('perm() takes no keyword arguments');
  if (!checkPositional('perm', nargs, 1, 2)) return NULL;
  const k = nargs > 1 ? arg(args, 1) : NULL;
  if (k === NULL || k === Py_None) {
    const v = indexBig(arg(args, 0));
    if (v === null) return NULL;
    if (v < 0n) {
      PyErr_SetString(PyExc_ValueError, 'n must be a non-negative integer');
      return NULL;
    }
    return intResult(rangeProduct(2n, v));
  }
  const a = combPermArgs(arg(args, 0), k);
  if (a === null) return NULL;
  const [nv, kv] = a;
  if (kv > nv) return PyLong_FromNumber(0);
  return intResult(rangeProduct(nv - kv + 1n, nv));
}

// ---- prod ----
const prodSpec: ArgSpec = { fname: 'prod', names: ['iterable', 'start'], posonly: 1, required: 1, kwonlyFrom: 1 };
function math_prod(_m: Ptr, args: number, nargs: number, kwnames: Ptr): Ptr {
  if (nargs > 1) return typeError(`prod() takes exactly 1 positional argument (${nargs} given)`);
  if (!parseArgs(prodSpec, args, nargs, kwnames)) return NULL;
  const it = PyObject_GetIter(ARGV[0]);
  if (it === NULL) return NULL;
  let result = ARGV[1] === NULL ? PyLong_FromNumber(1) : (Py_INCREF(ARGV[1]), ARGV[1]);
  const next = slotsOfObj(it).tp_iternext!;
  for (;;) {
    const item = next(it);
    if (item === NULL) {
      if (PyErr_Occurred() !== NULL) {
        if (!PyErr_ExceptionMatches(PyExc_StopIteration)) {
          Py_DECREF(result);
          result = NULL;
        } else PyErr_Clear();
      }
      break;
    }
    const t = PyNumber_Multiply(result, item);
    Py_DECREF(result);
    Py_DECREF(item);
    result = t;
    if (result === NULL) break;
  }
  Py_DECREF(it);
  return result;
}

// ---- ulp / nextafter ----
function nextUp(x: number): number {
  if (x !== x || x === Infinity) return x;
  if (x === 0) return 5e-324;
  SB[0] = x;
  if (x > 0) {
    if (SBU[0] === 0xffffffff) {
      SBU[0] = 0;
      SBU[1]++;
    } else SBU[0]++;
  } else if (SBU[0] === 0) {
    SBU[0] = 0xffffffff;
    SBU[1]--;
  } else SBU[0]--;
  return SB[0];
}
function nextAfter(x: number, y: number): number {
  if (x !== x || y !== y) return x + y;
  if (x === y) return y;
  return y > x ? nextUp(x) : -nextUp(-x);
}

// =====================================================================================
// the module
// =====================================================================================

const FCK = METH_FASTCALL | METH_KEYWORDS;
export const mathMethods: MethodDef[] = [
  { name: 'acos', flags: FCK, fn: math_1('acos', m.acos, false) },
  { name: 'acosh', flags: FCK, fn: math_1('acosh', m.acosh, false) },
  { name: 'asin', flags: FCK, fn: math_1('asin', m.asin, false) },
  { name: 'asinh', flags: FCK, fn: math_1('asinh', m.asinh, false) },
  { name: 'atan', flags: FCK, fn: math_1('atan', m.atan, false) },
  { name: 'atan2', flags: FCK, fn: two('atan2', (y, x) => PyFloat_FromDouble(atan2Special(y, x))) },
  { name: 'atanh', flags: FCK, fn: math_1('atanh', m.atanh, false) },
  { name: 'cbrt', flags: FCK, fn: math_1('cbrt', m.cbrt, false) },
  { name: 'ceil', flags: FCK, fn: roundingFn('ceil', '__ceil__', Math.ceil) },
  { name: 'comb', flags: FCK, fn: math_comb },
  { name: 'copysign', flags: FCK, fn: two('copysign', (x, y) => PyFloat_FromDouble(copysign(x, y))) },
  { name: 'cos', flags: FCK, fn: math_1('cos', m.cos, false) },
  { name: 'cosh', flags: FCK, fn: math_1('cosh', m.cosh, true) },
  { name: 'degrees', flags: FCK, fn: math_1('degrees', (x) => x * RAD_TO_DEG, false) },
  { name: 'dist', flags: FCK, fn: math_dist },
  { name: 'exp', flags: FCK, fn: math_1('exp', m.exp, true) },
  { name: 'exp2', flags: FCK, fn: math_1('exp2', (x) => m.pow(2, x), true) },
  { name: 'expm1', flags: FCK, fn: math_1('expm1', m.expm1, true) },
  { name: 'fabs', flags: FCK, fn: math_1('fabs', Math.abs, false) },
  { name: 'factorial', flags: FCK, fn: math_factorial },
  { name: 'floor', flags: FCK, fn: roundingFn('floor', '__floor__', Math.floor) },
  { name: 'fmod', flags: FCK, fn: two('fmod', mathFmod) },
  { name: 'frexp', flags: FCK, fn: math_frexp },
  { name: 'fsum', flags: FCK, fn: math_fsum },
  { name: 'gcd', flags: FCK, fn: math_gcd },
  { name: 'hypot', flags: FCK, fn: math_hypot },
  { name: 'isclose', flags: FCK, fn: math_isclose },
  { name: 'isfinite', flags: FCK, fn: floatPred('isfinite', (x) => isFinite(x)) },
  { name: 'isinf', flags: FCK, fn: floatPred('isinf', (x) => x === Infinity || x === -Infinity) },
  { name: 'isnan', flags: FCK, fn: floatPred('isnan', (x) => x !== x) },
  { name: 'isqrt', flags: FCK, fn: math_isqrt },
  { name: 'lcm', flags: FCK, fn: math_lcm },
  { name: 'ldexp', flags: FCK, fn: math_ldexp },
  { name: 'log', flags: FCK, fn: math_log },
  { name: 'log10', flags: FCK, fn: fn1('log10', (o) => loghelper(o, m.log10, m.log10(2))) },
  { name: 'log1p', flags: FCK, fn: math_1('log1p', m.log1p, false) },
  { name: 'log2', flags: FCK, fn: fn1('log2', (o) => loghelper(o, m.log2, 1)) },
  { name: 'modf', flags: FCK, fn: math_modf },
  { name: 'nextafter', flags: FCK, fn: two('nextafter', (x, y) => PyFloat_FromDouble(nextAfter(x, y))) },
  { name: 'perm', flags: FCK, fn: math_perm },
  { name: 'pow', flags: FCK, fn: two('pow', mathPow) },
  { name: 'prod', flags: FCK, fn: math_prod },
  { name: 'radians', flags: FCK, fn: math_1('radians', (x) => x * DEG_TO_RAD, false) },
  { name: 'remainder', flags: FCK, fn: two('remainder', mathRemainder) },
  { name: 'sin', flags: FCK, fn: math_1('sin', m.sin, false) },
  { name: 'sinh', flags: FCK, fn: math_1('sinh', m.sinh, true) },
  { name: 'sqrt', flags: FCK, fn: math_1('sqrt', Math.sqrt, false) },
  { name: 'tan', flags: FCK, fn: math_1('tan', m.tan, false) },
  { name: 'tanh', flags: FCK, fn: math_1('tanh', m.tanh, false) },
  { name: 'trunc', flags: FCK, fn: math_trunc },
  {
    name: 'ulp',
    flags: FCK,
    fn: fn1('ulp', (o: Ptr): Ptr => {
      let x = asDouble(o);
      if (convError) return NULL;
      if (x !== x) return PyFloat_FromDouble(x);
      x = Math.abs(x);
      if (x === Infinity) return PyFloat_FromDouble(x);
      const x2 = nextUp(x);
      if (x2 === Infinity) return PyFloat_FromDouble(x - -nextUp(-x));
      return PyFloat_FromDouble(x2 - x);
    }),
  },
];

/** ≈ PyInit_math: a new module. New reference or NULL. */
export function initMath(): Ptr {
  const mod = PyModule_New('math');
  if (mod === NULL) return NULL;
  if (PyModule_AddFunctions(mod, mathMethods) < 0) {
    Py_DECREF(mod);
    return NULL;
  }
  const consts: [string, number][] = [['pi', Math.PI], ['e', Math.E], ['tau', 2 * Math.PI], ['inf', Infinity], ['nan', NaN]];
  for (const [name, v] of consts) {
    if (PyModule_AddObject(mod, name, PyFloat_FromDouble(v)) < 0) {
      Py_DECREF(mod);
      return NULL;
    }
  }
  return mod;
}

registerBuiltinModule('math', initMath, libDynload('math'));

