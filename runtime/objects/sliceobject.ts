// slice objects (≈ Objects/sliceobject.c, CPython 3.11).
//
// Layout (PySliceObject, a GC object: getsizeof = 16 GC + 40 = 56):
//
//        -16  [ _gc_next ]   PyGC_Head
//         -8  [ _gc_prev ]
//   s ->   0  [ ob_refcnt]
//          8  [ ob_type  ]
//         16  [ start    ]   owned references, None when omitted
//         24  [ stop     ]
//         32  [ step     ]
//
// 3.11 keeps ONE freed slice in a cache (interp->slice_cache): dealloc parks the object there
// when the cache is empty, and the next PySlice_New takes it back without touching the gen0
// count (so `x[a:b]` in a loop leaves gc.get_count() unchanged). The cache is not emptied by
// gc.collect() in 3.11.
//
// Index computations follow PySlice_Unpack / PySlice_AdjustIndices. Results go to the
// module-level SLICE_RESULT array ([start, stop, step], JS numbers) instead of out-pointers;
// Py_ssize_t bounds are represented by ±PY_SSIZE_T_MAX (2^63 as a double).

import { type Ptr, NULL, I32 as heapI32 } from '../mem/heap.js';
import { OB_TYPE, Py_DECREF } from '../object.js';
import {
  newStaticType, slotsOfObj, typeName, Py_TPFLAGS_HAVE_GC, Py_EQ, Py_LE, Py_GE, METH_O, METH_NOARGS,
  type visitproc,
} from '../typeobject.js';
import { PyObject_GC_New, PyObject_GC_Del, PyObject_GC_Track, PyObject_GC_UnTrack } from '../gc.js';
import { PyErr_SetString, PyErr_Occurred, PyErr_NoMemory } from '../errors.js';
import { PyExc_TypeError, PyExc_ValueError, PyExc_OverflowError } from './exceptions.js';
import { PyNumber_AsSsize_t, PyObject_Repr, PyObject_RichCompare, PyObject_HashNotImplemented } from '../abstract.js';
import { PyLong_FromSsize_t } from './longobject.js';
import { Py_True, Py_False } from './boolobject.js';
import { Py_None, Py_NotImplemented } from './noneobject.js';
import { PyUnicode_FromString, unicodeToJs } from './unicodeobject.js';
import { PyTuple_Pack3, PyTuple_Pack2 } from './tupleobject.js';

// The heap views as file-local constants (an imported binding is read through its module
// cell on every use; reference/performance.md §4d rule 1).
const I32 = heapI32;

// ---- layout ----
export const SLICE_START = 16;
export const SLICE_STOP = 24;
export const SLICE_STEP = 32;
export const SLICE_BASICSIZE = 40;

export const PY_SSIZE_T_MAX = 9223372036854775807;
export const PY_SSIZE_T_MIN = -9223372036854775808;

/** Output of PySlice_Unpack / PySlice_AdjustIndices: [start, stop, step]. */
export const SLICE_RESULT = new Float64Array(3);

/** The one-slot cache (≈ interp->slice_cache): a freed, untracked slice or NULL. */
let sliceCache: Ptr = NULL;

export function PySlice_Check(o: Ptr): boolean {
  return I32[(o + OB_TYPE) >> 2] === PySlice_Type;
}

function setField(s: Ptr, off: number, v: Ptr): void {
  I32[(s + off) >> 2] = v;
  I32[(s + off + 4) >> 2] = 0;
}

/** ≈ _PyBuildSlice_Consume2: STEALS start and stop, borrows step. New reference. */
function buildSliceConsume2(start: Ptr, stop: Ptr, step: Ptr): Ptr {
  let obj = sliceCache;
  if (obj !== NULL) {
    sliceCache = NULL;
    I32[obj >> 2] = 1;
  } else {
    obj = PyObject_GC_New(PySlice_Type);
    if (obj === NULL) {
      Py_DECREF(start);
      Py_DECREF(stop);
      return PyErr_NoMemory();
    }
  }
  I32[step >> 2]++;
  setField(obj, SLICE_START, start);
  setField(obj, SLICE_STOP, stop);
  setField(obj, SLICE_STEP, step);
  PyObject_GC_Track(obj);
  return obj;
}

/** ≈ PySlice_New: start/stop/step are borrowed (NULL means None). New reference. */
export function PySlice_New(start: Ptr, stop: Ptr, step: Ptr): Ptr {
  if (step === NULL) step = Py_None;
  if (start === NULL) start = Py_None;
  if (stop === NULL) stop = Py_None;
  I32[start >> 2]++;
  I32[stop >> 2]++;
  return buildSliceConsume2(start, stop, step);
}

/** ≈ _PyBuildSlice_ConsumeRefs: STEALS start and stop; step None. New reference. */
export function _PyBuildSlice_ConsumeRefs(start: Ptr, stop: Ptr): Ptr {
  return buildSliceConsume2(start, stop, Py_None);
}

function slice_dealloc(r: Ptr): void {
  PyObject_GC_UnTrack(r);
  Py_DECREF(I32[(r + SLICE_STEP) >> 2]);
  Py_DECREF(I32[(r + SLICE_START) >> 2]);
  Py_DECREF(I32[(r + SLICE_STOP) >> 2]);
  if (sliceCache === NULL) sliceCache = r;
  else PyObject_GC_Del(r);
}

/** ≈ _PySlice_ClearCache (interpreter teardown; not called by gc.collect in 3.11). */
export function PySlice_ClearCache(): void {
  const c = sliceCache;
  if (c !== NULL) {
    sliceCache = NULL;
    PyObject_GC_Del(c);
  }
}
/** The cached slice (tests). */
export function sliceCacheObject(): Ptr {
  return sliceCache;
}

function slice_traverse(v: Ptr, visit: visitproc, arg: number): number {
  let r = visit(I32[(v + SLICE_START) >> 2], arg);
  if (r !== 0) return r;
  r = visit(I32[(v + SLICE_STOP) >> 2], arg);
  if (r !== 0) return r;
  return visit(I32[(v + SLICE_STEP) >> 2], arg);
}

// ---- index computations ----

/** ≈ _PyEval_SliceIndex: None leaves `dflt`; an index is clamped to Py_ssize_t. Returns the value,
 *  or NaN with TypeError set. */
export function _PyEval_SliceIndex(v: Ptr, dflt: number): number {
  if (v === Py_None) return dflt;
  if (slotsOfObj(v).nb_index === undefined) {
    PyErr_SetString(PyExc_TypeError, 'slice indices must be integers or None or have an __index__ method');
    return NaN;
  }
  const x = PyNumber_AsSsize_t(v, NULL);
  if (x === -1 && PyErr_Occurred() !== NULL) return NaN;
  return x;
}

/** ≈ PySlice_Unpack: read the slice's start/stop/step into SLICE_RESULT (defaults filled in,
 *  step ≠ 0). Returns 0, or -1 with an exception set. */
export function PySlice_Unpack(r: Ptr): number {
  const stepObj = I32[(r + SLICE_STEP) >> 2];
  let step = 1;
  if (stepObj !== Py_None) {
    step = _PyEval_SliceIndex(stepObj, 1);
    if (step !== step) return -1;
    if (step === 0) {
      PyErr_SetString(PyExc_ValueError, 'slice step cannot be zero');
      return -1;
    }
    if (step < -PY_SSIZE_T_MAX) step = -PY_SSIZE_T_MAX;
  }
  const start = _PyEval_SliceIndex(I32[(r + SLICE_START) >> 2], step < 0 ? PY_SSIZE_T_MAX : 0);
  if (start !== start) return -1;
  const stop = _PyEval_SliceIndex(I32[(r + SLICE_STOP) >> 2], step < 0 ? PY_SSIZE_T_MIN : PY_SSIZE_T_MAX);
  if (stop !== stop) return -1;
  SLICE_RESULT[0] = start;
  SLICE_RESULT[1] = stop;
  SLICE_RESULT[2] = step;
  return 0;
}

/** ≈ PySlice_AdjustIndices: clamp SLICE_RESULT's start/stop to a sequence of `length` items;
 *  returns the slice length. */
export function PySlice_AdjustIndices(length: number): number {
  let start = SLICE_RESULT[0], stop = SLICE_RESULT[1];
  const step = SLICE_RESULT[2];
  if (start < 0) {
    start += length;
    if (start < 0) start = step < 0 ? -1 : 0;
  } else if (start >= length) {
    start = step < 0 ? length - 1 : length;
  }
  if (stop < 0) {
    stop += length;
    if (stop < 0) stop = step < 0 ? -1 : 0;
  } else if (stop >= length) {
    stop = step < 0 ? length - 1 : length;
  }
  SLICE_RESULT[0] = start;
  SLICE_RESULT[1] = stop;
  if (step < 0) {
    if (stop < start) return Math.floor((start - stop - 1) / -step) + 1;
  } else if (start < stop) {
    return Math.floor((stop - start - 1) / step) + 1;
  }
  return 0;
}

/** ≈ PySlice_GetIndicesEx: Unpack + AdjustIndices. Returns the slice length, or -1 on error;
 *  start/stop/step are left in SLICE_RESULT. */
export function PySlice_GetIndicesEx(r: Ptr, length: number): number {
  if (PySlice_Unpack(r) < 0) return -1;
  return PySlice_AdjustIndices(length);
}

// ---- Python-level behaviour ----

function slice_repr(r: Ptr): Ptr {
  let s = 'slice(';
  for (let k = 0; k < 3; k++) {
    const p = PyObject_Repr(I32[(r + SLICE_START + 8 * k) >> 2]);
    if (p === NULL) return NULL;
    s += (k > 0 ? ', ' : '') + unicodeToJs(p);
    Py_DECREF(p);
  }
  return PyUnicode_FromString(s + ')');
}

function slice_richcompare(v: Ptr, w: Ptr, op: number): Ptr {
  if (!PySlice_Check(v) || !PySlice_Check(w)) {
    I32[Py_NotImplemented >> 2]++;
    return Py_NotImplemented;
  }
  if (v === w) {
    const r = op === Py_EQ || op === Py_LE || op === Py_GE ? Py_True : Py_False;
    I32[r >> 2]++;
    return r;
  }
  const t1 = PyTuple_Pack3(I32[(v + SLICE_START) >> 2], I32[(v + SLICE_STOP) >> 2], I32[(v + SLICE_STEP) >> 2]);
  if (t1 === NULL) return NULL;
  const t2 = PyTuple_Pack3(I32[(w + SLICE_START) >> 2], I32[(w + SLICE_STOP) >> 2], I32[(w + SLICE_STEP) >> 2]);
  if (t2 === NULL) {
    Py_DECREF(t1);
    return NULL;
  }
  const res = PyObject_RichCompare(t1, t2, op);
  Py_DECREF(t1);
  Py_DECREF(t2);
  return res;
}

/** slice.indices(len) — METH_O. (CPython computes with arbitrary-size ints; lengths here must
 *  fit in Py_ssize_t.) */
function slice_indices(self: Ptr, len: Ptr): Ptr {
  if (slotsOfObj(len).nb_index === undefined) {
    PyErr_SetString(PyExc_TypeError, `'${typeName(I32[(len + OB_TYPE) >> 2])}' object cannot be interpreted as an integer`);
    return NULL;
  }
  const length = PyNumber_AsSsize_t(len, PyExc_OverflowError);
  if (length === -1 && PyErr_Occurred() !== NULL) return NULL;
  if (length < 0) {
    PyErr_SetString(PyExc_ValueError, 'length should not be negative');
    return NULL;
  }
  if (PySlice_Unpack(self) < 0) return NULL;
  PySlice_AdjustIndices(length);
  const a = PyLong_FromSsize_t(SLICE_RESULT[0]);
  const b = PyLong_FromSsize_t(SLICE_RESULT[1]);
  const c = PyLong_FromSsize_t(SLICE_RESULT[2]);
  let res = NULL;
  if (a !== NULL && b !== NULL && c !== NULL) res = PyTuple_Pack3(a, b, c);
  if (a !== NULL) Py_DECREF(a);
  if (b !== NULL) Py_DECREF(b);
  if (c !== NULL) Py_DECREF(c);
  return res;
}

/** slice.__reduce__() → (slice, (start, stop, step)) */
function slice_reduce(self: Ptr): Ptr {
  const args = PyTuple_Pack3(I32[(self + SLICE_START) >> 2], I32[(self + SLICE_STOP) >> 2], I32[(self + SLICE_STEP) >> 2]);
  if (args === NULL) return NULL;
  const r = PyTuple_Pack2(PySlice_Type, args);
  Py_DECREF(args);
  return r;
}

function slice_vectorcall(_type: Ptr, args: number, nargs: number, kwnames: Ptr): Ptr {
  if (kwnames !== NULL && I32[(kwnames + 16) >> 2] !== 0) {
    PyErr_SetString(PyExc_TypeError, 'slice() takes no keyword arguments');
    return NULL;
  }
  if (nargs < 1) {
    PyErr_SetString(PyExc_TypeError, `slice expected at least 1 argument, got ${nargs}`);
    return NULL;
  }
  if (nargs > 3) {
    PyErr_SetString(PyExc_TypeError, `slice expected at most 3 arguments, got ${nargs}`);
    return NULL;
  }
  const a0 = I32[args >> 2];
  if (nargs === 1) return PySlice_New(NULL, a0, NULL);
  return PySlice_New(a0, I32[(args + 8) >> 2], nargs === 3 ? I32[(args + 16) >> 2] : NULL);
}

function slice_new(type: Ptr, args: Ptr, kwds: Ptr): Ptr {
  if (kwds !== NULL && I32[(kwds + 16) >> 2] !== 0) {
    PyErr_SetString(PyExc_TypeError, 'slice() takes no keyword arguments');
    return NULL;
  }
  return slice_vectorcall(type, args + 24, I32[(args + 16) >> 2], NULL);
}

export const PySlice_Type: Ptr = newStaticType({
  name: 'slice',
  basicsize: SLICE_BASICSIZE,
  flags: Py_TPFLAGS_HAVE_GC,
  slots: {
    tp_dealloc: slice_dealloc,
    tp_repr: slice_repr,
    tp_hash: PyObject_HashNotImplemented,
    tp_richcompare: slice_richcompare,
    tp_traverse: slice_traverse,
    tp_new: slice_new,
    tp_vectorcall: slice_vectorcall,
    tp_free: PyObject_GC_Del,
    members: [
      { name: 'start', kind: 'object', offset: SLICE_START, readonly: true },
      { name: 'stop', kind: 'object', offset: SLICE_STOP, readonly: true },
      { name: 'step', kind: 'object', offset: SLICE_STEP, readonly: true },
    ],
    methods: [
      { name: 'indices', flags: METH_O, fn: slice_indices, doc: 'S.indices(len) -> (start, stop, stride)' },
      { name: '__reduce__', flags: METH_NOARGS, fn: slice_reduce, doc: 'Return state information for pickling.' },
    ],
    doc: 'slice(stop)\nslice(start, stop[, step])\n\nCreate a slice object.  This is used for extended slicing (e.g. a[0:10:2]).',
  },
});
