// The sequence iterator and the callable iterator (≈ Objects/iterobject.c, CPython 3.11).
//
// Sequence iterator — what iter(x) returns when x's type has no __iter__ but has __getitem__
// (PyObject_GetIter falls back to it through abstractHooks.seqIterNew, installed below):
//
//   seqiterobject (GC; getsizeof 16 + 32 = 48, type name 'iterator'):
//        -16  [ PyGC_Head ]
//   it ->  0  [ ob_refcnt ]  8 [ ob_type ]
//         16  [ it_index  ]   Py_ssize_t: the next index to ask for
//         24  [ it_seq    ]   owned; NULL once exhausted
//
//   next() calls seq[it_index] (PySequence_GetItem); IndexError or StopIteration ends the
//   iteration (and drops the sequence), any other error propagates and the iterator stays
//   usable. __length_hint__ is len(seq) - it_index when the sequence has a length, else
//   NotImplemented.
//
// Callable iterator — iter(callable, sentinel):
//
//   calliterobject (GC; getsizeof 48, type name 'callable_iterator'):
//         16  [ it_callable ]  owned; NULL once exhausted
//         24  [ it_sentinel ]  owned; NULL once exhausted
//
//   next() calls callable(); a result equal to the sentinel (sentinel == result, sentinel on the
//   left) or a StopIteration ends the iteration and drops both references.
//
// Both are created tracked (PyObject_GC_New + track), as CPython's PySeqIter_New/PyCallIter_New.

import { type Ptr, NULL, I32 as heapI32 } from '../mem/heap.js';
import { OB_TYPE, Py_DECREF, Py_XDECREF } from '../object.js';
import { newStaticType, slotsOfObj, Py_TPFLAGS_HAVE_GC, Py_EQ, METH_NOARGS, METH_O, type visitproc } from '../typeobject.js';
import { PyObject_GC_New, PyObject_GC_Del, PyObject_GC_Track, PyObject_GC_UnTrack } from '../gc.js';
import { PyErr_SetString, PyErr_Occurred, PyErr_ExceptionMatches, PyErr_Clear, PyErr_NoMemory } from '../errors.js';
import { PyExc_IndexError, PyExc_StopIteration, PyExc_OverflowError, PyExc_SystemError } from './exceptions.js';
import {
  abstractHooks, PySequence_Check, PySequence_GetItem, PySequence_Size, PyObject_RichCompareBool, PyNumber_AsSsize_t,
} from '../abstract.js';
import { PyObject_CallNoArgs } from '../call.js';
import { PyLong_FromNumber } from './longobject.js';
import { Py_None, Py_NotImplemented } from './noneobject.js';
// the heap views as local consts (imported bindings cost ~2x per access: heap.ts)
const I32 = heapI32;

// ---- layout ----
export const SEQITER_INDEX = 16;
export const SEQITER_SEQ = 24;
export const SEQITER_BASICSIZE = 32;
export const CALLITER_CALLABLE = 16;
export const CALLITER_SENTINEL = 24;
export const CALLITER_BASICSIZE = 32;

/** PY_SSIZE_T_MAX as a double (the index limit of the sequence iterator). */
const PY_SSIZE_T_MAX = 9223372036854775807;
const TWO32 = 4294967296;

function newRef(o: Ptr): Ptr {
  I32[o >> 2]++;
  return o;
}
function setField(o: Ptr, off: number, v: Ptr): void {
  I32[(o + off) >> 2] = v;
  I32[(o + off + 4) >> 2] = 0;
}
function getIndex(it: Ptr): number {
  return I32[(it + SEQITER_INDEX + 4) >> 2] * TWO32 + (I32[(it + SEQITER_INDEX) >> 2] >>> 0);
}
function setIndex(it: Ptr, v: number): void {
  I32[(it + SEQITER_INDEX) >> 2] = v >>> 0;
  I32[(it + SEQITER_INDEX + 4) >> 2] = Math.floor(v / TWO32);
}

// =====================================================================================
// sequence iterator
// =====================================================================================

/** ≈ PySeqIter_New: a new (tracked) iterator over `seq` (borrowed; must support the sequence
 *  protocol). New reference or NULL. */
export function PySeqIter_New(seq: Ptr): Ptr {
  if (!PySequence_Check(seq)) {
    PyErr_SetString(PyExc_SystemError, 'bad argument to internal function');
    return NULL;
  }
  const it = PyObject_GC_New(PySeqIter_Type);
  if (it === NULL) return PyErr_NoMemory();
  setIndex(it, 0);
  setField(it, SEQITER_SEQ, newRef(seq));
  PyObject_GC_Track(it);
  return it;
}

/** ≈ iter_dealloc */
function iter_dealloc(it: Ptr): void {
  PyObject_GC_UnTrack(it);
  Py_XDECREF(I32[(it + SEQITER_SEQ) >> 2]);
  PyObject_GC_Del(it);
}

/** ≈ iter_traverse */
function iter_traverse(it: Ptr, visit: visitproc, arg: number): number {
  const seq = I32[(it + SEQITER_SEQ) >> 2];
  return seq !== NULL ? visit(seq, arg) : 0;
}

/** ≈ iter_iternext: seq[index] as a new reference; NULL (no exception) when the sequence raised
 *  IndexError or StopIteration, NULL with the exception for other errors. */
function iter_iternext(it: Ptr): Ptr {
  const seq = I32[(it + SEQITER_SEQ) >> 2];
  if (seq === NULL) return NULL;
  const index = getIndex(it);
  if (index >= PY_SSIZE_T_MAX) {
    PyErr_SetString(PyExc_OverflowError, 'iter index too large');
    return NULL;
  }
  const result = PySequence_GetItem(seq, index);
  if (result !== NULL) {
    setIndex(it, index + 1);
    return result;
  }
  if (PyErr_ExceptionMatches(PyExc_IndexError) || PyErr_ExceptionMatches(PyExc_StopIteration)) {
    PyErr_Clear();
    setField(it, SEQITER_SEQ, NULL);
    Py_DECREF(seq);
  }
  return NULL;
}

/** ≈ iter_len (__length_hint__): len(seq) - index, 0 when exhausted, NotImplemented when the
 *  sequence has no length. */
function iter_len(it: Ptr): Ptr {
  const seq = I32[(it + SEQITER_SEQ) >> 2];
  if (seq !== NULL) {
    const s = slotsOfObj(seq);
    if (s.sq_length === undefined && s.mp_length === undefined) return newRef(Py_NotImplemented);
    const seqsize = PySequence_Size(seq);
    if (seqsize === -1) return NULL;
    const len = seqsize - getIndex(it);
    if (len >= 0) return PyLong_FromNumber(len);
  }
  return PyLong_FromNumber(0);
}

/** ≈ iter_setstate (__setstate__): set the next index (negative values become 0). */
function iter_setstate(it: Ptr, state: Ptr): Ptr {
  let index = PyNumber_AsSsize_t(state, NULL);
  if (index === -1 && PyErr_Occurred() !== NULL) return NULL;
  if (I32[(it + SEQITER_SEQ) >> 2] !== NULL) {
    if (index < 0) index = 0;
    setIndex(it, index);
  }
  return newRef(Py_None);
}

// =====================================================================================
// callable iterator
// =====================================================================================

/** ≈ PyCallIter_New: iter(callable, sentinel); both borrowed. New (tracked) reference or NULL. */
export function PyCallIter_New(callable: Ptr, sentinel: Ptr): Ptr {
  const it = PyObject_GC_New(PyCallIter_Type);
  if (it === NULL) return PyErr_NoMemory();
  setField(it, CALLITER_CALLABLE, newRef(callable));
  setField(it, CALLITER_SENTINEL, newRef(sentinel));
  PyObject_GC_Track(it);
  return it;
}

/** ≈ calliter_dealloc */
function calliter_dealloc(it: Ptr): void {
  PyObject_GC_UnTrack(it);
  Py_XDECREF(I32[(it + CALLITER_CALLABLE) >> 2]);
  Py_XDECREF(I32[(it + CALLITER_SENTINEL) >> 2]);
  PyObject_GC_Del(it);
}

/** ≈ calliter_traverse */
function calliter_traverse(it: Ptr, visit: visitproc, arg: number): number {
  const c = I32[(it + CALLITER_CALLABLE) >> 2];
  if (c !== NULL) {
    const r = visit(c, arg);
    if (r !== 0) return r;
  }
  const s = I32[(it + CALLITER_SENTINEL) >> 2];
  return s !== NULL ? visit(s, arg) : 0;
}

/** Drop the callable and the sentinel (≈ the two Py_CLEARs of calliter_iternext). */
function calliter_exhaust(it: Ptr): void {
  const c = I32[(it + CALLITER_CALLABLE) >> 2];
  setField(it, CALLITER_CALLABLE, NULL);
  Py_XDECREF(c);
  const s = I32[(it + CALLITER_SENTINEL) >> 2];
  setField(it, CALLITER_SENTINEL, NULL);
  Py_XDECREF(s);
}

/** ≈ calliter_iternext: callable() unless it equals the sentinel. New reference or NULL. */
function calliter_iternext(it: Ptr): Ptr {
  const callable = I32[(it + CALLITER_CALLABLE) >> 2];
  if (callable === NULL) return NULL;
  const result = PyObject_CallNoArgs(callable);
  if (result !== NULL) {
    const ok = PyObject_RichCompareBool(I32[(it + CALLITER_SENTINEL) >> 2], result, Py_EQ);
    if (ok === 0) return result;
    Py_DECREF(result);
    if (ok > 0) calliter_exhaust(it);
  } else if (PyErr_ExceptionMatches(PyExc_StopIteration)) {
    PyErr_Clear();
    calliter_exhaust(it);
  }
  return NULL;
}

function selfIter(o: Ptr): Ptr {
  I32[o >> 2]++;
  return o;
}

// ---- the types ----

export const PySeqIter_Type: Ptr = newStaticType({
  name: 'iterator',
  basicsize: SEQITER_BASICSIZE,
  flags: Py_TPFLAGS_HAVE_GC,
  slots: {
    tp_dealloc: iter_dealloc,
    tp_traverse: iter_traverse,
    tp_iter: selfIter,
    tp_iternext: iter_iternext,
    tp_free: PyObject_GC_Del,
    methods: [
      { name: '__length_hint__', flags: METH_NOARGS, fn: iter_len, doc: 'Private method returning an estimate of len(list(it)).' },
      { name: '__setstate__', flags: METH_O, fn: iter_setstate, doc: 'Set state information for unpickling.' },
    ],
  },
});

export const PyCallIter_Type: Ptr = newStaticType({
  name: 'callable_iterator',
  basicsize: CALLITER_BASICSIZE,
  flags: Py_TPFLAGS_HAVE_GC,
  slots: {
    tp_dealloc: calliter_dealloc,
    tp_traverse: calliter_traverse,
    tp_iter: selfIter,
    tp_iternext: calliter_iternext,
    tp_free: PyObject_GC_Del,
  },
});

/** ≈ PySeqIter_Check / PyCallIter_Check */
export function PySeqIter_Check(o: Ptr): boolean {
  return I32[(o + OB_TYPE) >> 2] === PySeqIter_Type;
}
export function PyCallIter_Check(o: Ptr): boolean {
  return I32[(o + OB_TYPE) >> 2] === PyCallIter_Type;
}

// PyObject_GetIter's fallback for objects with __getitem__ but no __iter__.
abstractHooks.seqIterNew = PySeqIter_New;
