// range and its two iterators (≈ Objects/rangeobject.c, CPython 3.11).
//
// Layout (rangeobject, NOT a GC type: getsizeof = 48):
//
//   r ->   0  [ ob_refcnt ]
//          8  [ ob_type   ]
//         16  [ start     ]   exact int objects, owned
//         24  [ stop      ]
//         32  [ step      ]   never 0
//         40  [ length    ]   exact int object: the number of items (may exceed 2^63)
//
// range_iterator (rangeiterobject, non-GC, getsizeof 48): four C longs
//   16 index · 24 start · 32 step · 40 len      the next value is start + index·step
// longrange_iterator (longrangeiterobject, non-GC, getsizeof 48): four int objects, owned
//   16 index · 24 start · 32 step · 40 len
//
// The algorithm, as 3.11:
//  - range(a, b, c) converts each argument with __index__ (to an EXACT int: True becomes 1),
//    rejects step 0, and computes the length with int objects exactly as compute_range_length
//    does: ((hi - lo) - 1) // step + 1, or 0 when lo >= hi (lo/hi swapped and the step negated
//    for negative steps). The temporaries are allocated and freed in CPython's order, because
//    that order decides which freed blocks later objects (and their id()) reuse.
//  - len() converts the length to Py_ssize_t (OverflowError past 2^63 - 1); bool() is the
//    length's truth; indexing computes start + i·step with int objects (negative i has the
//    length added first); slicing follows _PySlice_GetLongIndices and builds a new range.
//  - `x in r` for exact ints and bools is O(1): the bounds, then (x - start) % step == 0; other
//    objects are compared with == against every item (as _PySequence_IterSearch).
//  - == compares the described sequences: same length, and (when non-empty) same start, and
//    (when longer than 1) same step; hash is hash((len, start or None, step or None)) likewise.
//  - iter(r) makes a range_iterator when start, stop, step and the length fit in a C long and
//    start + len·step cannot overflow; otherwise a longrange_iterator over int objects.
//    reversed(r) (range.__reverse__) expresses the reversal as range(start + (n-1)·step,
//    start - step, -step) with the same C long conditions.
//
// The range_iterator is the object behind every `for i in range(n)`: the eval loop's FOR_ITER
// calls its tp_iternext directly. rangeiter_next's common case (index and length below 2^31,
// start and step 32-bit: tested on the high words) is int32 reads, one multiply, and either the
// small-int cache inline (-5..256, no allocation) or PyLong_FromNumber (one int allocation) — no
// BigInt, no JS allocation. Other 64-bit values are computed with doubles while they are exact
// (below 2^53) and with BigInts past that.

import { type Ptr, NULL, I32 as heapI32, U32 as heapU32 } from '../mem/heap.js';
import { PyObject_Free } from '../mem/pymem.js';
import { OB_TYPE, HASH_HI, Py_DECREF, Py_XDECREF, PyObject_New } from '../object.js';
import {
  newStaticType, typeName, slotsOfObj, Py_TPFLAGS_SEQUENCE, Py_EQ, Py_NE, Py_LT, Py_LE, Py_GT, Py_GE, METH_NOARGS, METH_O,
} from '../typeobject.js';
import { PyErr_SetString, PyErr_Occurred, PyErr_NoMemory } from '../errors.js';
import { PyExc_TypeError, PyExc_ValueError, PyExc_IndexError, PyExc_OverflowError, PyExc_SystemError } from './exceptions.js';
import {
  PyNumber_Index, PyNumber_AsSsize_t, PyObject_RichCompareBool, PyObject_IsTrue, PyObject_Not, PyObject_Hash,
  PyObject_Repr, PyObject_GetIter, PyIter_Next, PySequence_Index,
} from '../abstract.js';
import {
  PyLong_Type, PyBool_Type, PyLong_FromNumber, PyLong_FromBigInt, PyLong_AsBigInt, PyLong_AsSsize_t, smallValue,
  _PyLong_Copy, _PyLong_Sign, long_add, long_sub, long_mul, long_div, long_mod, long_neg, long_compare, smallInt,
  SMALL_INTS_BASE, SMALL_INT_STRIDE, NSMALLNEGINTS, NSMALLPOSINTS,
  Py_True, Py_False,
} from './longobject.js';
import { Py_None, Py_NotImplemented } from './noneobject.js';
import { PyUnicode_FromString, unicodeToJs } from './unicodeobject.js';
import { PyTuple_New, PyTuple_SET_ITEM, PyTuple_Pack3, PyTuple_Pack2 } from './tupleobject.js';
import { PySlice_Type, SLICE_START, SLICE_STOP, SLICE_STEP } from './sliceobject.js';
// the heap views as local consts (imported bindings cost ~2x per access: heap.ts)
const I32 = heapI32;
const U32 = heapU32;

// ---- layout ----
export const RANGE_START = 16;
export const RANGE_STOP = 24;
export const RANGE_STEP = 32;
export const RANGE_LENGTH = 40;
export const RANGE_BASICSIZE = 48;

export const RANGEITER_INDEX = 16;
export const RANGEITER_START = 24;
export const RANGEITER_STEP = 32;
export const RANGEITER_LEN = 40;
export const RANGEITER_BASICSIZE = 48;

const MAX_SAFE = 9007199254740991; // 2^53 - 1
const TWO32 = 4294967296;
const TWO52 = 4503599627370496;
const TWO50 = 1125899906842624;
const LONG_MAX = (1n << 63n) - 1n;
const LONG_MIN = -(1n << 63n);

function newRef(o: Ptr): Ptr {
  I32[o >> 2]++;
  return o;
}
function setField(o: Ptr, off: number, v: Ptr): void {
  I32[(o + off) >> 2] = v;
  I32[(o + off + 4) >> 2] = 0;
}
function field(o: Ptr, off: number): Ptr {
  return I32[(o + off) >> 2];
}
/** The cached int 0 / 1 (borrowed; ≈ _PyLong_GetZero / _PyLong_GetOne). */
const ZERO = smallInt(0);
const ONE = smallInt(1);

/** ≈ PyRange_Check */
export function PyRange_Check(o: Ptr): boolean {
  return I32[(o + OB_TYPE) >> 2] === PyRange_Type;
}

/** PyNumber_Index as 3.11 has it: the result is an EXACT int (an int subclass such as bool is
 *  copied: `range(True).stop` is the int 1). New reference or NULL. */
function indexExact(o: Ptr): Ptr {
  const r = PyNumber_Index(o);
  if (r === NULL || I32[(r + OB_TYPE) >> 2] === PyLong_Type) return r;
  const c = _PyLong_Copy(r);
  Py_DECREF(r);
  return c;
}

// =====================================================================================
// construction
// =====================================================================================

/** ≈ validate_step: the step as an exact int (new reference), NULL on error; 1 when `step` is NULL. */
function validate_step(step: Ptr): Ptr {
  if (step === NULL) return newRef(ONE);
  const s = indexExact(step);
  if (s !== NULL && I32[(s + 16) >> 2] === 0) {
    Py_DECREF(s);
    PyErr_SetString(PyExc_ValueError, 'range() arg 3 must not be zero');
    return NULL;
  }
  return s;
}

/** ≈ compute_range_length: the number of items of range(start, stop, step) as a new int, with
 *  CPython's temporaries (hi - lo, then - 1, then // step, then + 1). NULL on error. */
function compute_range_length(start: Ptr, stop: Ptr, step: Ptr): Ptr {
  let lo: Ptr, hi: Ptr;
  if (_PyLong_Sign(step) > 0) {
    lo = start;
    hi = stop;
    I32[step >> 2]++;
  } else {
    lo = stop;
    hi = start;
    step = long_neg(step);
    if (step === NULL) return NULL;
  }
  if (long_compare(lo, hi) >= 0) {
    Py_DECREF(step);
    return PyLong_FromNumber(0);
  }
  const tmp1 = long_sub(hi, lo);
  if (tmp1 === NULL) {
    Py_DECREF(step);
    return NULL;
  }
  const diff = long_sub(tmp1, ONE);
  if (diff === NULL) {
    Py_DECREF(step);
    Py_DECREF(tmp1);
    return NULL;
  }
  const tmp2 = long_div(diff, step);
  if (tmp2 === NULL) {
    Py_DECREF(step);
    Py_DECREF(diff);
    Py_DECREF(tmp1);
    return NULL;
  }
  const result = long_add(tmp2, ONE);
  Py_DECREF(tmp2);
  Py_DECREF(diff);
  Py_DECREF(step);
  Py_DECREF(tmp1);
  return result;
}

/** ≈ make_range_object: STEALS start, stop and step on success only (the caller releases them
 *  on failure, as CPython's callers do). New reference or NULL. */
function make_range_object(type: Ptr, start: Ptr, stop: Ptr, step: Ptr): Ptr {
  const length = compute_range_length(start, stop, step);
  if (length === NULL) return NULL;
  const obj = PyObject_New(type);
  if (obj === NULL) {
    Py_DECREF(length);
    return PyErr_NoMemory();
  }
  setField(obj, RANGE_START, start);
  setField(obj, RANGE_STOP, stop);
  setField(obj, RANGE_STEP, step);
  setField(obj, RANGE_LENGTH, length);
  return obj;
}

/** ≈ range_from_array: range(*args) with args in 8-byte slots at `args` (borrowed). New ref. */
function range_from_array(type: Ptr, args: number, nargs: number): Ptr {
  let start: Ptr, stop: Ptr, step: Ptr;
  switch (nargs) {
    case 0:
      PyErr_SetString(PyExc_TypeError, 'range expected at least 1 argument, got 0');
      return NULL;
    case 1:
      stop = indexExact(I32[args >> 2]);
      if (stop === NULL) return NULL;
      start = newRef(ZERO);
      step = newRef(ONE);
      break;
    case 2:
    case 3:
      start = indexExact(I32[args >> 2]);
      if (start === NULL) return NULL;
      stop = indexExact(I32[(args + 8) >> 2]);
      if (stop === NULL) {
        Py_DECREF(start);
        return NULL;
      }
      step = validate_step(nargs === 3 ? I32[(args + 16) >> 2] : NULL);
      if (step === NULL) {
        Py_DECREF(start);
        Py_DECREF(stop);
        return NULL;
      }
      break;
    default:
      PyErr_SetString(PyExc_TypeError, `range expected at most 3 arguments, got ${nargs}`);
      return NULL;
  }
  const obj = make_range_object(type, start, stop, step);
  if (obj !== NULL) return obj;
  Py_DECREF(start);
  Py_DECREF(stop);
  Py_DECREF(step);
  return NULL;
}

/** ≈ range_vectorcall: `range(...)` called on the type. New reference or NULL. */
function range_vectorcall(type: Ptr, args: number, nargs: number, kwnames: Ptr): Ptr {
  if (kwnames !== NULL && I32[(kwnames + 16) >> 2] !== 0) {
    PyErr_SetString(PyExc_TypeError, 'range() takes no keyword arguments');
    return NULL;
  }
  return range_from_array(type, args, nargs);
}

/** ≈ range_new (tp_new): args tuple + kwargs dict (NULL or a dict, checked by its size). */
function range_new(type: Ptr, args: Ptr, kwds: Ptr): Ptr {
  if (kwds !== NULL && I32[(kwds + 16) >> 2] !== 0) {
    PyErr_SetString(PyExc_TypeError, 'range() takes no keyword arguments');
    return NULL;
  }
  return range_from_array(type, args + 24, I32[(args + 16) >> 2]);
}

/** range(start, stop, step) from JS numbers (|v| < 2^53, step ≠ 0): for the VM and builtins.
 *  New reference or NULL. */
export function PyRange_FromNumbers(start: number, stop: number, step: number): Ptr {
  const a = PyLong_FromNumber(start);
  if (a === NULL) return NULL;
  const b = PyLong_FromNumber(stop);
  if (b === NULL) {
    Py_DECREF(a);
    return NULL;
  }
  const c = PyLong_FromNumber(step);
  if (c === NULL) {
    Py_DECREF(a);
    Py_DECREF(b);
    return NULL;
  }
  const r = make_range_object(PyRange_Type, a, b, c);
  if (r === NULL) {
    Py_DECREF(a);
    Py_DECREF(b);
    Py_DECREF(c);
  }
  return r;
}

/** ≈ range_dealloc */
function range_dealloc(r: Ptr): void {
  Py_DECREF(field(r, RANGE_START));
  Py_DECREF(field(r, RANGE_STOP));
  Py_DECREF(field(r, RANGE_STEP));
  Py_DECREF(field(r, RANGE_LENGTH));
  PyObject_Free(r);
}

// =====================================================================================
// length, items, slices
// =====================================================================================

/** ≈ range_length (sq_length / mp_length): -1 with OverflowError past Py_ssize_t. */
function range_length(r: Ptr): number {
  const len = field(r, RANGE_LENGTH);
  const v = smallValue(len);
  if (v === v) return v;
  return PyLong_AsSsize_t(len);
}

/** ≈ range_bool */
function range_bool(r: Ptr): number {
  return PyObject_IsTrue(field(r, RANGE_LENGTH));
}

/** ≈ compute_item: start + i·step (i borrowed). New reference or NULL. */
function compute_item(r: Ptr, i: Ptr): Ptr {
  const incr = long_mul(i, field(r, RANGE_STEP));
  if (incr === NULL) return NULL;
  const result = long_add(field(r, RANGE_START), incr);
  Py_DECREF(incr);
  return result;
}

/** ≈ compute_range_item: r[arg] for an exact int `arg` (borrowed). New reference or NULL. */
function compute_range_item(r: Ptr, arg: Ptr): Ptr {
  const length = field(r, RANGE_LENGTH);
  let i: Ptr;
  if (_PyLong_Sign(arg) < 0) {
    i = long_add(length, arg);
    if (i === NULL) return NULL;
  } else {
    i = newRef(arg);
  }
  if (_PyLong_Sign(i) < 0 || long_compare(i, length) >= 0) {
    Py_DECREF(i);
    PyErr_SetString(PyExc_IndexError, 'range object index out of range');
    return NULL;
  }
  const result = compute_item(r, i);
  Py_DECREF(i);
  return result;
}

/** ≈ range_item (sq_item). New reference or NULL. */
function range_item(r: Ptr, i: number): Ptr {
  const arg = PyLong_FromNumber(i);
  if (arg === NULL) return NULL;
  const res = compute_range_item(r, arg);
  Py_DECREF(arg);
  return res;
}

/** ≈ evaluate_slice_index: an exact int from a slice bound. New reference or NULL. */
function evaluate_slice_index(v: Ptr): Ptr {
  if (slotsNbIndex(v)) return indexExact(v);
  PyErr_SetString(PyExc_TypeError, 'slice indices must be integers or None or have an __index__ method');
  return NULL;
}

/** Output of _PySlice_GetLongIndices: [start, stop, step], new references. */
const LONG_INDICES = new Int32Array(3);

/** ≈ _PySlice_GetLongIndices (Objects/sliceobject.c): the slice's start/stop/step clamped for a
 *  sequence of `length` items (an int object), as new int references in LONG_INDICES. 0, or -1
 *  with an exception (nothing left in LONG_INDICES). */
function _PySlice_GetLongIndices(slice: Ptr, length: Ptr): number {
  let start: Ptr = NULL, stop: Ptr = NULL, step: Ptr = NULL, upper: Ptr = NULL, lower: Ptr = NULL;
  let stepIsNegative: boolean;
  fail: {
    const stepObj = field(slice, SLICE_STEP);
    if (stepObj === Py_None) {
      step = newRef(ONE);
      stepIsNegative = false;
    } else {
      step = evaluate_slice_index(stepObj);
      if (step === NULL) break fail;
      const sign = _PyLong_Sign(step);
      if (sign === 0) {
        PyErr_SetString(PyExc_ValueError, 'slice step cannot be zero');
        break fail;
      }
      stepIsNegative = sign < 0;
    }
    if (stepIsNegative) {
      lower = PyLong_FromNumber(-1);
      if (lower === NULL) break fail;
      upper = long_add(length, lower);
      if (upper === NULL) break fail;
    } else {
      lower = newRef(ZERO);
      upper = newRef(length);
    }
    // start
    const startObj = field(slice, SLICE_START);
    if (startObj === Py_None) {
      start = newRef(stepIsNegative ? upper : lower);
    } else {
      start = evaluate_slice_index(startObj);
      if (start === NULL) break fail;
      start = clampIndex(start, length, lower, upper);
      if (start === NULL) break fail;
    }
    // stop
    const stopObj = field(slice, SLICE_STOP);
    if (stopObj === Py_None) {
      stop = newRef(stepIsNegative ? lower : upper);
    } else {
      stop = evaluate_slice_index(stopObj);
      if (stop === NULL) break fail;
      stop = clampIndex(stop, length, lower, upper);
      if (stop === NULL) break fail;
    }
    LONG_INDICES[0] = start;
    LONG_INDICES[1] = stop;
    LONG_INDICES[2] = step;
    Py_DECREF(upper);
    Py_DECREF(lower);
    return 0;
  }
  Py_XDECREF(start);
  Py_XDECREF(stop);
  Py_XDECREF(step);
  Py_XDECREF(upper);
  Py_XDECREF(lower);
  return -1;
}

/** One bound of _PySlice_GetLongIndices: STEALS `v`; negative values get `length` added and are
 *  clamped below at `lower`, others are clamped above at `upper`. New reference or NULL. */
function clampIndex(v: Ptr, length: Ptr, lower: Ptr, upper: Ptr): Ptr {
  if (_PyLong_Sign(v) < 0) {
    const tmp = long_add(v, length);
    Py_DECREF(v);
    if (tmp === NULL) return NULL;
    if (long_compare(tmp, lower) < 0) {
      Py_DECREF(tmp);
      return newRef(lower);
    }
    return tmp;
  }
  if (long_compare(v, upper) > 0) {
    Py_DECREF(v);
    return newRef(upper);
  }
  return v;
}

/** ≈ compute_slice: r[slice] as a new range. New reference or NULL. */
function compute_slice(r: Ptr, slice: Ptr): Ptr {
  if (_PySlice_GetLongIndices(slice, field(r, RANGE_LENGTH)) < 0) return NULL;
  let start = LONG_INDICES[0], stop = LONG_INDICES[1], step = LONG_INDICES[2];
  let substart: Ptr = NULL, substop: Ptr = NULL;
  const substep = long_mul(field(r, RANGE_STEP), step);
  fail: {
    if (substep === NULL) break fail;
    Py_DECREF(step);
    step = NULL;
    substart = compute_item(r, start);
    if (substart === NULL) break fail;
    Py_DECREF(start);
    start = NULL;
    substop = compute_item(r, stop);
    if (substop === NULL) break fail;
    Py_DECREF(stop);
    stop = NULL;
    const result = make_range_object(I32[(r + OB_TYPE) >> 2], substart, substop, substep);
    if (result !== NULL) return result;
  }
  Py_XDECREF(start);
  Py_XDECREF(stop);
  Py_XDECREF(step);
  Py_XDECREF(substart);
  Py_XDECREF(substop);
  Py_XDECREF(substep);
  return NULL;
}

function slotsNbIndex(o: Ptr): boolean {
  return slotsOfObj(o).nb_index !== undefined;
}

/** ≈ range_subscript (mp_subscript): r[i] or r[slice]. New reference or NULL. */
function range_subscript(r: Ptr, item: Ptr): Ptr {
  if (I32[(item + OB_TYPE) >> 2] === PyLong_Type) return compute_range_item(r, item);
  if (slotsNbIndex(item)) {
    const i = indexExact(item);
    if (i === NULL) return NULL;
    const result = compute_range_item(r, i);
    Py_DECREF(i);
    return result;
  }
  if (I32[(item + OB_TYPE) >> 2] === PySlice_Type) return compute_slice(r, item);
  PyErr_SetString(PyExc_TypeError, `range indices must be integers or slices, not ${typeName(I32[(item + OB_TYPE) >> 2])}`);
  return NULL;
}

// =====================================================================================
// containment, index, count
// =====================================================================================

/** ≈ range_contains_long: `ob in r` for an exact int or a bool (borrowed). 1, 0 or -1. */
function range_contains_long(r: Ptr, ob: Ptr): number {
  const start = field(r, RANGE_START);
  const stop = field(r, RANGE_STOP);
  const step = field(r, RANGE_STEP);
  // the bounds: start <= ob < stop for positive steps, stop < ob <= start for negative ones
  if (_PyLong_Sign(step) > 0) {
    if (!(long_compare(start, ob) <= 0 && long_compare(ob, stop) < 0)) return 0;
  } else if (!(long_compare(ob, start) <= 0 && long_compare(stop, ob) < 0)) {
    return 0;
  }
  // the stride: (ob - start) % step == 0
  const tmp1 = long_sub(ob, start);
  if (tmp1 === NULL) return -1;
  const tmp2 = long_mod(tmp1, step);
  if (tmp2 === NULL) {
    Py_DECREF(tmp1);
    return -1;
  }
  const result = I32[(tmp2 + 16) >> 2] === 0 ? 1 : 0;
  Py_DECREF(tmp1);
  Py_DECREF(tmp2);
  return result;
}

function isIntOrBool(o: Ptr): boolean {
  const t = I32[(o + OB_TYPE) >> 2];
  return t === PyLong_Type || t === PyBool_Type;
}

/** ≈ _PySequence_IterSearch(seq, obj, PY_ITERSEARCH_CONTAINS): compare every item. */
function iterSearchContains(r: Ptr, ob: Ptr): number {
  const it = PyObject_GetIter(r);
  if (it === NULL) return -1;
  for (;;) {
    const item = PyIter_Next(it);
    if (item === NULL) {
      Py_DECREF(it);
      return PyErr_Occurred() !== NULL ? -1 : 0;
    }
    const c = PyObject_RichCompareBool(item, ob, Py_EQ);
    Py_DECREF(item);
    if (c !== 0) {
      Py_DECREF(it);
      return c;
    }
  }
}

/** ≈ range_contains (sq_contains): 1, 0 or -1. */
function range_contains(r: Ptr, ob: Ptr): number {
  if (isIntOrBool(ob)) return range_contains_long(r, ob);
  return iterSearchContains(r, ob);
}

/** ≈ range.count(value): new int or NULL. */
function range_count(r: Ptr, ob: Ptr): Ptr {
  if (isIntOrBool(ob)) {
    const result = range_contains_long(r, ob);
    if (result === -1) return NULL;
    return PyLong_FromNumber(result);
  }
  // ≈ _PySequence_IterSearch(..., PY_ITERSEARCH_COUNT)
  const it = PyObject_GetIter(r);
  if (it === NULL) return NULL;
  let n = 0;
  for (;;) {
    const item = PyIter_Next(it);
    if (item === NULL) break;
    const c = PyObject_RichCompareBool(item, ob, Py_EQ);
    Py_DECREF(item);
    if (c < 0) {
      Py_DECREF(it);
      return NULL;
    }
    if (c > 0) n++;
  }
  Py_DECREF(it);
  if (PyErr_Occurred() !== NULL) return NULL;
  return PyLong_FromNumber(n);
}

/** ≈ range.index(value): new int or NULL (ValueError "5 is not in range"). */
function range_index(r: Ptr, ob: Ptr): Ptr {
  if (!isIntOrBool(ob)) {
    const index = PySequence_Index(r, ob);
    if (index === -1) return NULL;
    return PyLong_FromNumber(index);
  }
  const contains = range_contains_long(r, ob);
  if (contains === -1) return NULL;
  if (contains) {
    const tmp = long_sub(ob, field(r, RANGE_START));
    if (tmp === NULL) return NULL;
    const idx = long_div(tmp, field(r, RANGE_STEP));
    Py_DECREF(tmp);
    return idx;
  }
  const rep = PyObject_Repr(ob);
  if (rep === NULL) return NULL;
  PyErr_SetString(PyExc_ValueError, `${unicodeToJs(rep)} is not in range`);
  Py_DECREF(rep);
  return NULL;
}

// =====================================================================================
// comparison, hash, repr, pickling
// =====================================================================================

/** ≈ range_equals: 1 when both describe the same sequence, 0, or -1. */
function range_equals(r0: Ptr, r1: Ptr): number {
  if (r0 === r1) return 1;
  const len0 = field(r0, RANGE_LENGTH);
  let c = PyObject_RichCompareBool(len0, field(r1, RANGE_LENGTH), Py_EQ);
  if (c !== 1) return c;
  c = PyObject_Not(len0);
  if (c !== 0) return c;
  c = PyObject_RichCompareBool(field(r0, RANGE_START), field(r1, RANGE_START), Py_EQ);
  if (c !== 1) return c;
  c = PyObject_RichCompareBool(len0, ONE, Py_EQ);
  if (c !== 0) return c;
  return PyObject_RichCompareBool(field(r0, RANGE_STEP), field(r1, RANGE_STEP), Py_EQ);
}

/** ≈ range_richcompare: == and != between ranges; NotImplemented otherwise. */
function range_richcompare(self: Ptr, other: Ptr, op: number): Ptr {
  if (I32[(other + OB_TYPE) >> 2] !== PyRange_Type) return newRef(Py_NotImplemented);
  switch (op) {
    case Py_EQ:
    case Py_NE: {
      let result = range_equals(self, other);
      if (result === -1) return NULL;
      if (op === Py_NE) result = result ? 0 : 1;
      return newRef(result ? Py_True : Py_False);
    }
    case Py_LE:
    case Py_GE:
    case Py_LT:
    case Py_GT:
      return newRef(Py_NotImplemented);
  }
  PyErr_SetString(PyExc_SystemError, 'bad argument to internal function');
  return NULL;
}

/** ≈ range_hash: hash((len, start, step)) with None for the parts that do not matter. Returns
 *  the low 32 bits (HASH_HI[0] holds the high half); (-1, -1) on error. */
function range_hash(r: Ptr): number {
  const t = PyTuple_New(3);
  if (t === NULL) {
    HASH_HI[0] = -1;
    return -1;
  }
  const length = field(r, RANGE_LENGTH);
  PyTuple_SET_ITEM(t, 0, newRef(length));
  let result = -1;
  done: {
    let c = PyObject_Not(length);
    if (c === -1) break done;
    if (c === 1) {
      PyTuple_SET_ITEM(t, 1, newRef(Py_None));
      PyTuple_SET_ITEM(t, 2, newRef(Py_None));
    } else {
      PyTuple_SET_ITEM(t, 1, newRef(field(r, RANGE_START)));
      c = PyObject_RichCompareBool(length, ONE, Py_EQ);
      if (c === -1) break done;
      PyTuple_SET_ITEM(t, 2, newRef(c === 1 ? Py_None : field(r, RANGE_STEP)));
    }
    result = PyObject_Hash(t);
    const hi = HASH_HI[0];
    Py_DECREF(t);
    HASH_HI[0] = hi;
    return result;
  }
  Py_DECREF(t);
  HASH_HI[0] = -1;
  return result;
}

/** ≈ range_repr: `range(0, 10)` when the step is 1, else `range(0, 10, 2)`. New str or NULL. */
function range_repr(r: Ptr): Ptr {
  const istep = PyNumber_AsSsize_t(field(r, RANGE_STEP), NULL);
  if (istep === -1 && PyErr_Occurred() !== NULL) return NULL;
  const a = PyObject_Repr(field(r, RANGE_START));
  if (a === NULL) return NULL;
  const b = PyObject_Repr(field(r, RANGE_STOP));
  if (b === NULL) {
    Py_DECREF(a);
    return NULL;
  }
  let text: string;
  if (istep === 1) {
    text = `range(${unicodeToJs(a)}, ${unicodeToJs(b)})`;
  } else {
    const c = PyObject_Repr(field(r, RANGE_STEP));
    if (c === NULL) {
      Py_DECREF(a);
      Py_DECREF(b);
      return NULL;
    }
    text = `range(${unicodeToJs(a)}, ${unicodeToJs(b)}, ${unicodeToJs(c)})`;
    Py_DECREF(c);
  }
  Py_DECREF(a);
  Py_DECREF(b);
  return PyUnicode_FromString(text);
}

/** ≈ range_reduce: (range, (start, stop, step)). New reference or NULL. */
function range_reduce(r: Ptr): Ptr {
  const args = PyTuple_Pack3(field(r, RANGE_START), field(r, RANGE_STOP), field(r, RANGE_STEP));
  if (args === NULL) return NULL;
  const res = PyTuple_Pack2(I32[(r + OB_TYPE) >> 2], args);
  Py_DECREF(args);
  return res;
}

// =====================================================================================
// iterators
// =====================================================================================

// ---- 64-bit fields of range_iterator ----
/** An int64 field as a JS number (exact below 2^53). */
function getLong(o: Ptr, off: number): number {
  return I32[(o + off + 4) >> 2] * TWO32 + U32[(o + off) >> 2];
}
/** An int64 field as a BigInt (exact). */
function getLongBig(o: Ptr, off: number): bigint {
  return (BigInt(I32[(o + off + 4) >> 2]) << 32n) | BigInt(U32[(o + off) >> 2]);
}
/** Store a safe-integer JS number in an int64 field. */
function setLong(o: Ptr, off: number, v: number): void {
  U32[(o + off) >> 2] = v >>> 0;
  I32[(o + off + 4) >> 2] = Math.floor(v / TWO32);
}
/** Store a BigInt in the int64 range in an int64 field. */
function setLongBig(o: Ptr, off: number, v: bigint): void {
  U32[(o + off) >> 2] = Number(v & 0xffffffffn);
  I32[(o + off + 4) >> 2] = Number(BigInt.asIntN(32, v >> 32n));
}

/** ≈ get_len_of_range for |lo|, |hi| ≤ 2^52 (so hi - lo is exact): the item count. */
function lenOfRangeSmall(lo: number, hi: number, step: number): number {
  let n: number, d: number;
  if (step > 0 && lo < hi) {
    n = hi - 1 - lo;
    d = step;
  } else if (step < 0 && lo > hi) {
    n = lo - 1 - hi;
    d = -step;
  } else {
    return 0;
  }
  // floor(n / d) with a correction for the rounding of the double quotient
  let q = Math.floor(n / d);
  if (q * d > n) q--;
  else if ((q + 1) * d <= n) q++;
  return q + 1;
}
/** ≈ get_len_of_range on C longs (BigInts here); the result fits in an unsigned long. */
function lenOfRangeBig(lo: bigint, hi: bigint, step: bigint): bigint {
  if (step > 0n && lo < hi) return 1n + (hi - 1n - lo) / step;
  if (step < 0n && lo > hi) return 1n + (lo - 1n - hi) / -step;
  return 0n;
}

/** ≈ fast_range_iter: a range_iterator over (start, len, step) as JS numbers. New ref or NULL. */
function fast_range_iter(start: number, step: number, len: number): Ptr {
  const it = PyObject_New(PyRangeIter_Type);
  if (it === NULL) return PyErr_NoMemory();
  I32[(it + RANGEITER_INDEX) >> 2] = 0;
  I32[(it + RANGEITER_INDEX + 4) >> 2] = 0;
  setLong(it, RANGEITER_START, start);
  setLong(it, RANGEITER_STEP, step);
  setLong(it, RANGEITER_LEN, len);
  return it;
}
/** fast_range_iter with BigInt fields (values in the C long range). */
function fast_range_iter_big(start: bigint, step: bigint, len: bigint): Ptr {
  const it = PyObject_New(PyRangeIter_Type);
  if (it === NULL) return PyErr_NoMemory();
  I32[(it + RANGEITER_INDEX) >> 2] = 0;
  I32[(it + RANGEITER_INDEX + 4) >> 2] = 0;
  setLongBig(it, RANGEITER_START, start);
  setLongBig(it, RANGEITER_STEP, step);
  setLongBig(it, RANGEITER_LEN, len);
  return it;
}

/** The value of an int as a C long (BigInt), or null when it does not fit (≈ PyLong_AsLong
 *  failing with OverflowError, which range_iter clears). */
function asCLong(o: Ptr): bigint | null {
  const v = PyLong_AsBigInt(o);
  return v >= LONG_MIN && v <= LONG_MAX ? v : null;
}

/** ≈ range_iter (tp_iter): a range_iterator when everything fits in a C long, else a
 *  longrange_iterator. New reference or NULL. */
function range_iter(r: Ptr): Ptr {
  const start = field(r, RANGE_START);
  const stop = field(r, RANGE_STOP);
  const step = field(r, RANGE_STEP);
  const a = smallValue(start), b = smallValue(stop), c = smallValue(step);
  // fast path: |start|, |stop| ≤ 2^52 (then the length and every value are exact doubles and
  // no C long can overflow)
  if (a >= -TWO52 && a <= TWO52 && b >= -TWO52 && b <= TWO52 && c === c) {
    return fast_range_iter(a, c, lenOfRangeSmall(a, b, c));
  }
  const lstart = asCLong(start), lstop = asCLong(stop), lstep = asCLong(step);
  if (lstart !== null && lstop !== null && lstep !== null) {
    const ulen = lenOfRangeBig(lstart, lstop, lstep);
    // the length must fit, and start + len·step must not overflow a C long
    if (ulen <= LONG_MAX && !(ulen !== 0n && (lstep > 0n ? lstop > LONG_MAX - (lstep - 1n) : lstop < LONG_MIN + (-1n - lstep)))) {
      return fast_range_iter_big(lstart, lstep, ulen);
    }
  }
  return longrangeiter_new(newRef(start), newRef(step), newRef(field(r, RANGE_LENGTH)));
}

/** A new longrange_iterator at index 0; STEALS start, step and len. New reference or NULL. */
function longrangeiter_new(start: Ptr, step: Ptr, len: Ptr): Ptr {
  const it = PyObject_New(PyLongRangeIter_Type);
  if (it === NULL) {
    Py_DECREF(start);
    Py_DECREF(step);
    Py_DECREF(len);
    return PyErr_NoMemory();
  }
  setField(it, RANGEITER_INDEX, newRef(ZERO));
  setField(it, RANGEITER_START, start);
  setField(it, RANGEITER_STEP, step);
  setField(it, RANGEITER_LEN, len);
  return it;
}

/** ≈ range_reverse (range.__reversed__): an iterator over range(start + (n-1)·step,
 *  start - step, -step). New reference or NULL. */
function range_reverse(r: Ptr): Ptr {
  const start = field(r, RANGE_START);
  const stop = field(r, RANGE_STOP);
  const step = field(r, RANGE_STEP);
  const a = smallValue(start), b = smallValue(stop), c = smallValue(step);
  if (a >= -TWO50 && a <= TWO50 && b >= -TWO50 && b <= TWO50 && c >= -TWO50 && c <= TWO50) {
    const n = lenOfRangeSmall(a, b, c);
    const newStop = a - c;
    return fast_range_iter(newStop + n * c, -c, n);
  }
  const lstart = asCLong(start), lstop = asCLong(stop), lstep = asCLong(step);
  if (lstart !== null && lstop !== null && lstep !== null && lstep !== LONG_MIN) {
    const newStop = lstart - lstep;
    // start - step must not overflow, and the length must fit
    if (newStop >= LONG_MIN && newStop <= LONG_MAX) {
      const ulen = lenOfRangeBig(lstart, lstop, lstep);
      if (ulen <= LONG_MAX) return fast_range_iter_big(newStop + ulen * lstep, -lstep, ulen);
    }
  }
  // long_range: start + (len - 1)·step, -step, with CPython's temporaries
  const len = field(r, RANGE_LENGTH);
  const diff = long_sub(len, ONE);
  if (diff === NULL) return NULL;
  const product = long_mul(diff, step);
  Py_DECREF(diff);
  if (product === NULL) return NULL;
  const sum = long_add(start, product);
  Py_DECREF(product);
  if (sum === NULL) return NULL;
  const negStep = long_neg(step);
  if (negStep === NULL) {
    Py_DECREF(sum);
    return NULL;
  }
  return longrangeiter_new(sum, negStep, newRef(len));
}

/** ≈ rangeiter_next (tp_iternext; FOR_ITER calls it directly): the next value as a new int, or
 *  NULL without an exception when exhausted. */
function rangeiter_next(it: Ptr): Ptr {
  const p = it >> 2;
  const idx = I32[p + 4];
  const len = I32[p + 10];
  // common case: index and len below 2^31, start and step 32-bit: int32 reads, one multiply
  if ((I32[p + 5] | I32[p + 11]) === 0 && idx >= 0 && len >= 0) {
    if (idx >= len) return NULL;
    I32[p + 4] = idx + 1;
    const start = I32[p + 6], step = I32[p + 8];
    if (I32[p + 7] === start >> 31 && I32[p + 9] === step >> 31) {
      const v = start + idx * step;
      if (v >= -NSMALLNEGINTS && v < NSMALLPOSINTS) {
        // the small-int cache, inline (≈ get_small_int)
        const o = SMALL_INTS_BASE + (v + NSMALLNEGINTS) * SMALL_INT_STRIDE;
        I32[o >> 2]++;
        return o;
      }
      if (v <= MAX_SAFE && v >= -MAX_SAFE) return PyLong_FromNumber(v);
    }
    return rangeiter_next_big(it);
  }
  return rangeiter_next_general(it);
}

/** rangeiter_next for 64-bit indices and values: doubles while exact, else BigInts. */
function rangeiter_next_general(it: Ptr): Ptr {
  const p = it >> 2;
  const ilo = U32[p + 4], ihi = I32[p + 5];
  const lhi = I32[p + 11];
  if (ihi < lhi || (ihi === lhi && ilo < U32[p + 10])) {
    // index++ (carry into the high word)
    if (ilo !== 0xffffffff) U32[p + 4] = ilo + 1;
    else {
      U32[p + 4] = 0;
      I32[p + 5] = ihi + 1;
    }
    const start = I32[p + 7] * TWO32 + U32[p + 6];
    const prod = (ihi * TWO32 + ilo) * (I32[p + 9] * TWO32 + U32[p + 8]);
    if (prod <= MAX_SAFE && prod >= -MAX_SAFE && start <= MAX_SAFE && start >= -MAX_SAFE) {
      const v = start + prod;
      if (v <= MAX_SAFE && v >= -MAX_SAFE) return PyLong_FromNumber(v);
    }
    return rangeiter_next_big(it);
  }
  return NULL;
}

/** The exact path of rangeiter_next (the index was already advanced): values past 2^53. */
function rangeiter_next_big(it: Ptr): Ptr {
  const index = getLongBig(it, RANGEITER_INDEX) - 1n;
  const v = BigInt.asIntN(64, getLongBig(it, RANGEITER_START) + index * getLongBig(it, RANGEITER_STEP));
  return PyLong_FromBigInt(v);
}

/** ≈ rangeiter_len (__length_hint__): len - index. */
function rangeiter_len(it: Ptr): Ptr {
  const len = getLong(it, RANGEITER_LEN);
  if (len <= MAX_SAFE) return PyLong_FromNumber(len - getLong(it, RANGEITER_INDEX));
  return PyLong_FromBigInt(getLongBig(it, RANGEITER_LEN) - getLongBig(it, RANGEITER_INDEX));
}

/** ≈ rangeiter_setstate (__setstate__): set the index, clipped to [0, len]. */
function rangeiter_setstate(it: Ptr, state: Ptr): Ptr {
  const st = indexExact(state);
  if (st === NULL) return NULL;
  let index = PyLong_AsBigInt(st);
  Py_DECREF(st);
  if (index > LONG_MAX || index < LONG_MIN) {
    PyErr_SetString(PyExc_OverflowError, 'Python int too large to convert to C long');
    return NULL;
  }
  const len = getLongBig(it, RANGEITER_LEN);
  if (index < 0n) index = 0n;
  else if (index > len) index = len;
  setLongBig(it, RANGEITER_INDEX, index);
  return newRef(Py_None);
}

function rangeiter_dealloc(it: Ptr): void {
  PyObject_Free(it);
}

/** ≈ longrangeiter_next: start + index·step with int objects. New reference, or NULL. */
function longrangeiter_next(it: Ptr): Ptr {
  const index = field(it, RANGEITER_INDEX);
  if (long_compare(index, field(it, RANGEITER_LEN)) >= 0) return NULL;
  const newIndex = long_add(index, ONE);
  if (newIndex === NULL) return NULL;
  const product = long_mul(index, field(it, RANGEITER_STEP));
  if (product === NULL) {
    Py_DECREF(newIndex);
    return NULL;
  }
  const result = long_add(field(it, RANGEITER_START), product);
  Py_DECREF(product);
  if (result !== NULL) {
    setField(it, RANGEITER_INDEX, newIndex);
    Py_DECREF(index);
  } else {
    Py_DECREF(newIndex);
  }
  return result;
}

/** ≈ longrangeiter_len (__length_hint__): len - index. */
function longrangeiter_len(it: Ptr): Ptr {
  return long_sub(field(it, RANGEITER_LEN), field(it, RANGEITER_INDEX));
}

/** ≈ longrangeiter_setstate: the index clipped to [0, len]. */
function longrangeiter_setstate(it: Ptr, state: Ptr): Ptr {
  let cmp = PyObject_RichCompareBool(state, ZERO, Py_LT);
  if (cmp < 0) return NULL;
  if (cmp > 0) state = ZERO;
  else {
    cmp = PyObject_RichCompareBool(field(it, RANGEITER_LEN), state, Py_LT);
    if (cmp < 0) return NULL;
    if (cmp > 0) state = field(it, RANGEITER_LEN);
  }
  const old = field(it, RANGEITER_INDEX);
  setField(it, RANGEITER_INDEX, newRef(state));
  Py_DECREF(old);
  return newRef(Py_None);
}

/** ≈ longrangeiter_dealloc */
function longrangeiter_dealloc(it: Ptr): void {
  Py_XDECREF(field(it, RANGEITER_INDEX));
  Py_XDECREF(field(it, RANGEITER_START));
  Py_XDECREF(field(it, RANGEITER_STEP));
  Py_XDECREF(field(it, RANGEITER_LEN));
  PyObject_Free(it);
}

function selfIter(o: Ptr): Ptr {
  I32[o >> 2]++;
  return o;
}

// ---- the types (created last: their slot tables name the functions above) ----

const LENGTH_HINT_DOC = 'Private method returning an estimate of len(list(it)).';
const SETSTATE_DOC = 'Set state information for unpickling.';

export const PyRange_Type: Ptr = newStaticType({
  name: 'range',
  basicsize: RANGE_BASICSIZE,
  flags: Py_TPFLAGS_SEQUENCE,
  slots: {
    tp_dealloc: range_dealloc,
    tp_repr: range_repr,
    tp_hash: range_hash,
    tp_richcompare: range_richcompare,
    tp_iter: range_iter,
    tp_new: range_new,
    tp_vectorcall: range_vectorcall,
    tp_free: PyObject_Free,
    nb_bool: range_bool,
    sq_length: range_length,
    sq_item: range_item,
    sq_contains: range_contains,
    mp_length: range_length,
    mp_subscript: range_subscript,
    methods: [
      { name: '__reversed__', flags: METH_NOARGS, fn: range_reverse, doc: 'Return a reverse iterator.' },
      { name: '__reduce__', flags: METH_NOARGS, fn: range_reduce },
      { name: 'count', flags: METH_O, fn: range_count, doc: 'rangeobject.count(value) -> integer -- return number of occurrences of value' },
      {
        name: 'index', flags: METH_O, fn: range_index,
        doc: 'rangeobject.index(value) -> integer -- return index of value.\nRaise ValueError if the value is not present.',
      },
    ],
    members: [
      { name: 'start', kind: 'object_ex', offset: RANGE_START, readonly: true },
      { name: 'stop', kind: 'object_ex', offset: RANGE_STOP, readonly: true },
      { name: 'step', kind: 'object_ex', offset: RANGE_STEP, readonly: true },
    ],
    doc:
      'range(stop) -> range object\nrange(start, stop[, step]) -> range object\n\n' +
      'Return an object that produces a sequence of integers from start (inclusive)\n' +
      'to stop (exclusive) by step.  range(i, j) produces i, i+1, i+2, ..., j-1.\n' +
      'start defaults to 0, and stop is omitted!  range(4) produces 0, 1, 2, 3.\n' +
      'These are exactly the valid indices for a list of 4 elements.\n' +
      'When step is given, it specifies the increment (or decrement).',
  },
});

export const PyRangeIter_Type: Ptr = newStaticType({
  name: 'range_iterator',
  basicsize: RANGEITER_BASICSIZE,
  slots: {
    tp_dealloc: rangeiter_dealloc,
    tp_iter: selfIter,
    tp_iternext: rangeiter_next,
    tp_free: PyObject_Free,
    methods: [
      { name: '__length_hint__', flags: METH_NOARGS, fn: rangeiter_len, doc: LENGTH_HINT_DOC },
      { name: '__setstate__', flags: METH_O, fn: rangeiter_setstate, doc: SETSTATE_DOC },
    ],
  },
});

export const PyLongRangeIter_Type: Ptr = newStaticType({
  name: 'longrange_iterator',
  basicsize: RANGEITER_BASICSIZE,
  slots: {
    tp_dealloc: longrangeiter_dealloc,
    tp_iter: selfIter,
    tp_iternext: longrangeiter_next,
    tp_free: PyObject_Free,
    methods: [
      { name: '__length_hint__', flags: METH_NOARGS, fn: longrangeiter_len, doc: LENGTH_HINT_DOC },
      { name: '__setstate__', flags: METH_O, fn: longrangeiter_setstate, doc: SETSTATE_DOC },
    ],
  },
});
