// zip, map and filter: the iterator types that CPython 3.11 defines in Python/bltinmodule.c.
// (They live here, on the objects floor, so that the builtins module only registers them.)
//
// zipobject (GC, subclassable; getsizeof 16 + 48 = 64):
//        -16  [ PyGC_Head ]
//   lz ->  0  [ ob_refcnt ]  8 [ ob_type ]
//         16  [ tuplesize ]   Py_ssize_t: number of iterables
//         24  [ ittuple   ]   owned tuple of their iterators
//         32  [ result    ]   owned tuple handed out again while nobody else holds it
//         40  [ strict    ]   int (4 bytes + padding)
//
//   zip has no vectorcall in 3.11: zip(...) goes through type_call and zip_new with an argument
//   tuple. next() refills `result` in place when its refcount is 1 (re-tracking it if a
//   collection untracked it), otherwise builds a new tuple. With strict=True, the first
//   iterator to stop is checked against the others: "zip() argument 2 is shorter than
//   argument 1" / "... is longer than arguments 1-2".
//
// mapobject (GC, subclassable; getsizeof 48):   16 iters (owned tuple) · 24 func (owned)
//   next() takes one item from every iterator into a small argument array (the data stack for
//   up to 5 iterators, PyMem_Malloc beyond, as CPython's small_stack) and vectorcalls func.
//
// filterobject (GC, subclassable; getsizeof 48):  16 func (owned) · 24 it (owned)
//   next() skips the items whose func(item) (or, for None and bool, the item itself) is false.
//   Its dealloc uses the trashcan (3.11.3+), so deeply nested filters free without recursion.
//
// All three are allocated with PyType_GenericAlloc (tracked at creation).

import { type Ptr, NULL, I32 as heapI32 } from '../mem/heap.js';
import { PyMem_Malloc, PyMem_Free } from '../mem/pymem.js';
import { OB_TYPE, Py_DECREF, Py_XDECREF, trashcanBegin, trashcanEnd } from '../object.js';
import {
  newStaticType, slotsOf, slotsOfObj, Py_TPFLAGS_HAVE_GC, Py_TPFLAGS_BASETYPE, METH_NOARGS, METH_O, type visitproc,
} from '../typeobject.js';
import { PyType_GenericAlloc, PyObject_GC_Track, PyObject_GC_UnTrack, PyObject_GC_Del, _PyObject_GC_IS_TRACKED } from '../gc.js';
import { PyErr_SetString, PyErr_Occurred, PyErr_ExceptionMatches, PyErr_Clear, PyErr_NoMemory } from '../errors.js';
import { PyExc_TypeError, PyExc_ValueError, PyExc_StopIteration } from './exceptions.js';
import { PyObject_GetIter, PyObject_IsTrue } from '../abstract.js';
import { PyObject_Vectorcall, PyObject_CallOneArg } from '../call.js';
import { dataStackPush, dataStackPop } from '../pystate.js';
import { PyBool_Type, Py_True } from './longobject.js';
import { Py_None } from './noneobject.js';
import { unicodeToJs, unicodeEqualsJs } from './unicodeobject.js';
import { PyTuple_New, PyTuple_SET_ITEM, PyTuple_Pack2, PyTuple_Pack3 } from './tupleobject.js';
import { PyDict_Next, DICT_NEXT } from './dictobject.js';
// the heap views as local consts (imported bindings cost ~2x per access: heap.ts)
const I32 = heapI32;

// ---- layout ----
export const ZIP_TUPLESIZE = 16;
export const ZIP_ITTUPLE = 24;
export const ZIP_RESULT = 32;
export const ZIP_STRICT = 40;
export const ZIP_BASICSIZE = 48;
export const MAP_ITERS = 16;
export const MAP_FUNC = 24;
export const MAP_BASICSIZE = 32;
export const FILTER_FUNC = 16;
export const FILTER_IT = 24;
export const FILTER_BASICSIZE = 32;

/** ≈ _PY_FASTCALL_SMALL_STACK: map passes up to this many arguments without PyMem_Malloc. */
const SMALL_STACK = 5;

function newRef(o: Ptr): Ptr {
  I32[o >> 2]++;
  return o;
}
function setField(o: Ptr, off: number, v: Ptr): void {
  I32[(o + off) >> 2] = v;
  I32[(o + off + 4) >> 2] = 0;
}
function typeError(msg: string): Ptr {
  PyErr_SetString(PyExc_TypeError, msg);
  return NULL;
}
function dictSize(d: Ptr): number {
  return d === NULL ? 0 : I32[(d + 16) >> 2];
}
function item(t: Ptr, i: number): Ptr {
  return I32[(t + 24 + 8 * i) >> 2];
}
/** "the type itself, or a subclass that does not override __init__" (≈ the
 *  `type->tp_init == PyX_Type.tp_init` tests of CPython's *_new functions). */
function keepsInit(type: Ptr, base: Ptr): boolean {
  return type === base || slotsOf(type).tp_init === slotsOf(base).tp_init;
}

// =====================================================================================
// zip
// =====================================================================================

/** ≈ zip_new (tp_new): zip(*iterables, strict=False). New (tracked) reference or NULL. */
function zip_new(type: Ptr, args: Ptr, kwds: Ptr): Ptr {
  let strict = 0;
  const nkw = dictSize(kwds);
  if (nkw > 0) {
    // ≈ PyArg_ParseTupleAndKeywords(empty, kwds, "|$p:zip", ["strict"])
    if (nkw > 1) return typeError(`zip() takes at most 1 keyword argument (${nkw} given)`);
    const pos = PyDict_Next(kwds, 0);
    if (pos >= 0) {
      if (!unicodeEqualsJs(DICT_NEXT.key, 'strict')) return typeError(`'${unicodeToJs(DICT_NEXT.key)}' is an invalid keyword argument for zip()`);
      const t = PyObject_IsTrue(DICT_NEXT.value);
      if (t < 0) return NULL;
      strict = t;
    }
  }
  const tuplesize = I32[(args + 16) >> 2];
  const ittuple = PyTuple_New(tuplesize);
  if (ittuple === NULL) return NULL;
  for (let i = 0; i < tuplesize; i++) {
    const it = PyObject_GetIter(item(args, i));
    if (it === NULL) {
      Py_DECREF(ittuple);
      return NULL;
    }
    PyTuple_SET_ITEM(ittuple, i, it);
  }
  const result = PyTuple_New(tuplesize);
  if (result === NULL) {
    Py_DECREF(ittuple);
    return NULL;
  }
  for (let i = 0; i < tuplesize; i++) PyTuple_SET_ITEM(result, i, newRef(Py_None));
  const lz = PyType_GenericAlloc(type, 0);
  if (lz === NULL) {
    Py_DECREF(ittuple);
    Py_DECREF(result);
    return NULL;
  }
  setField(lz, ZIP_ITTUPLE, ittuple);
  I32[(lz + ZIP_TUPLESIZE) >> 2] = tuplesize;
  setField(lz, ZIP_RESULT, result);
  I32[(lz + ZIP_STRICT) >> 2] = strict;
  return lz;
}

/** ≈ zip_dealloc */
function zip_dealloc(lz: Ptr): void {
  PyObject_GC_UnTrack(lz);
  Py_XDECREF(I32[(lz + ZIP_ITTUPLE) >> 2]);
  Py_XDECREF(I32[(lz + ZIP_RESULT) >> 2]);
  slotsOfObj(lz).tp_free!(lz);
}

/** ≈ zip_traverse */
function zip_traverse(lz: Ptr, visit: visitproc, arg: number): number {
  const t = I32[(lz + ZIP_ITTUPLE) >> 2];
  let r: number;
  if (t !== NULL && (r = visit(t, arg)) !== 0) return r;
  const res = I32[(lz + ZIP_RESULT) >> 2];
  if (res !== NULL && (r = visit(res, arg)) !== 0) return r;
  return 0;
}

/** ≈ zip_next (tp_iternext): a tuple of the next items, or NULL at the end / on error. */
function zip_next(lz: Ptr): Ptr {
  const tuplesize = I32[(lz + ZIP_TUPLESIZE) >> 2];
  if (tuplesize === 0) return NULL;
  const ittuple = I32[(lz + ZIP_ITTUPLE) >> 2];
  let result = I32[(lz + ZIP_RESULT) >> 2];
  let i: number;
  if (I32[result >> 2] === 1) {
    I32[result >> 2]++;
    for (i = 0; i < tuplesize; i++) {
      const it = item(ittuple, i);
      const v = slotsOfObj(it).tp_iternext!(it);
      if (v === NULL) {
        Py_DECREF(result);
        if (I32[(lz + ZIP_STRICT) >> 2] !== 0) return zip_check(lz, i);
        return NULL;
      }
      const old = item(result, i);
      PyTuple_SET_ITEM(result, i, v);
      Py_DECREF(old);
    }
    // a collection may have untracked the cached tuple: it holds new items now
    if (!_PyObject_GC_IS_TRACKED(result)) PyObject_GC_Track(result);
  } else {
    result = PyTuple_New(tuplesize);
    if (result === NULL) return NULL;
    for (i = 0; i < tuplesize; i++) {
      const it = item(ittuple, i);
      const v = slotsOfObj(it).tp_iternext!(it);
      if (v === NULL) {
        Py_DECREF(result);
        if (I32[(lz + ZIP_STRICT) >> 2] !== 0) return zip_check(lz, i);
        return NULL;
      }
      PyTuple_SET_ITEM(result, i, v);
    }
  }
  return result;
}

/** The strict=True check after iterator `i` stopped: NULL, with ValueError when the lengths
 *  differ (or the iterator's own error). */
function zip_check(lz: Ptr, i: number): Ptr {
  if (PyErr_Occurred() !== NULL) {
    if (!PyErr_ExceptionMatches(PyExc_StopIteration)) return NULL;
    PyErr_Clear();
  }
  if (i !== 0) {
    PyErr_SetString(PyExc_ValueError, `zip() argument ${i + 1} is shorter than argument${i === 1 ? ' ' : 's 1-'}${i}`);
    return NULL;
  }
  const ittuple = I32[(lz + ZIP_ITTUPLE) >> 2];
  const tuplesize = I32[(lz + ZIP_TUPLESIZE) >> 2];
  for (i = 1; i < tuplesize; i++) {
    const it = item(ittuple, i);
    const v = slotsOfObj(it).tp_iternext!(it);
    if (v !== NULL) {
      Py_DECREF(v);
      PyErr_SetString(PyExc_ValueError, `zip() argument ${i + 1} is longer than argument${i === 1 ? ' ' : 's 1-'}${i}`);
      return NULL;
    }
    if (PyErr_Occurred() !== NULL) {
      if (!PyErr_ExceptionMatches(PyExc_StopIteration)) return NULL;
      PyErr_Clear();
    }
  }
  return NULL;
}

/** ≈ zip_reduce: (type, ittuple) or (type, ittuple, True) when strict. */
function zip_reduce(lz: Ptr): Ptr {
  const t = I32[(lz + OB_TYPE) >> 2];
  const ittuple = I32[(lz + ZIP_ITTUPLE) >> 2];
  if (I32[(lz + ZIP_STRICT) >> 2] !== 0) return PyTuple_Pack3(t, ittuple, Py_True);
  return PyTuple_Pack2(t, ittuple);
}

/** ≈ zip_setstate: strict = bool(state). */
function zip_setstate(lz: Ptr, state: Ptr): Ptr {
  const strict = PyObject_IsTrue(state);
  if (strict < 0) return NULL;
  I32[(lz + ZIP_STRICT) >> 2] = strict;
  return newRef(Py_None);
}

// =====================================================================================
// map
// =====================================================================================

/** A new (tracked) map object over the iterators of `n` iterables in 8-byte slots at `src`. */
function map_make(type: Ptr, func: Ptr, src: number, n: number): Ptr {
  const iters = PyTuple_New(n);
  if (iters === NULL) return NULL;
  for (let i = 0; i < n; i++) {
    const it = PyObject_GetIter(I32[(src + 8 * i) >> 2]);
    if (it === NULL) {
      Py_DECREF(iters);
      return NULL;
    }
    PyTuple_SET_ITEM(iters, i, it);
  }
  const lz = PyType_GenericAlloc(type, 0);
  if (lz === NULL) {
    Py_DECREF(iters);
    return NULL;
  }
  setField(lz, MAP_ITERS, iters);
  setField(lz, MAP_FUNC, newRef(func));
  return lz;
}

/** ≈ map_vectorcall: map(func, *iterables). */
function map_vectorcall(type: Ptr, args: number, nargs: number, kwnames: Ptr): Ptr {
  if (type === PyMap_Type && kwnames !== NULL && I32[(kwnames + 16) >> 2] !== 0) return typeError('map() takes no keyword arguments');
  if (nargs < 2) return typeError('map() must have at least two arguments.');
  return map_make(type, I32[args >> 2], args + 8, nargs - 1);
}

/** ≈ map_new (tp_new) */
function map_new(type: Ptr, args: Ptr, kwds: Ptr): Ptr {
  if (keepsInit(type, PyMap_Type) && dictSize(kwds) !== 0) return typeError('map() takes no keyword arguments');
  const numargs = I32[(args + 16) >> 2];
  if (numargs < 2) return typeError('map() must have at least two arguments.');
  return map_make(type, item(args, 0), args + 32, numargs - 1);
}

/** ≈ map_dealloc */
function map_dealloc(lz: Ptr): void {
  PyObject_GC_UnTrack(lz);
  Py_XDECREF(I32[(lz + MAP_ITERS) >> 2]);
  Py_XDECREF(I32[(lz + MAP_FUNC) >> 2]);
  slotsOfObj(lz).tp_free!(lz);
}

/** ≈ map_traverse */
function map_traverse(lz: Ptr, visit: visitproc, arg: number): number {
  let r: number;
  const iters = I32[(lz + MAP_ITERS) >> 2];
  if (iters !== NULL && (r = visit(iters, arg)) !== 0) return r;
  const func = I32[(lz + MAP_FUNC) >> 2];
  if (func !== NULL && (r = visit(func, arg)) !== 0) return r;
  return 0;
}

/** ≈ map_next: func(*next items). New reference, or NULL at the end / on error. */
function map_next(lz: Ptr): Ptr {
  const iters = I32[(lz + MAP_ITERS) >> 2];
  const niters = I32[(iters + 16) >> 2];
  const small = niters <= SMALL_STACK;
  const stack = small ? dataStackPush(8 * SMALL_STACK) : PyMem_Malloc(8 * niters);
  if (stack === NULL) return PyErr_NoMemory();
  let nargs = 0;
  let result: Ptr = NULL;
  for (let i = 0; i < niters; i++) {
    const it = item(iters, i);
    const v = slotsOfObj(it).tp_iternext!(it);
    if (v === NULL) break;
    I32[(stack + 8 * i) >> 2] = v;
    I32[(stack + 8 * i + 4) >> 2] = 0;
    nargs++;
  }
  if (nargs === niters) result = PyObject_Vectorcall(I32[(lz + MAP_FUNC) >> 2], stack, nargs, NULL);
  for (let i = 0; i < nargs; i++) Py_DECREF(I32[(stack + 8 * i) >> 2]);
  if (small) dataStackPop(stack);
  else PyMem_Free(stack);
  return result;
}

/** ≈ map_reduce: (type, (func, *iterators)). */
function map_reduce(lz: Ptr): Ptr {
  const iters = I32[(lz + MAP_ITERS) >> 2];
  const n = I32[(iters + 16) >> 2];
  const args = PyTuple_New(n + 1);
  if (args === NULL) return NULL;
  PyTuple_SET_ITEM(args, 0, newRef(I32[(lz + MAP_FUNC) >> 2]));
  for (let i = 0; i < n; i++) PyTuple_SET_ITEM(args, i + 1, newRef(item(iters, i)));
  const r = PyTuple_Pack2(I32[(lz + OB_TYPE) >> 2], args);
  Py_DECREF(args);
  return r;
}

// =====================================================================================
// filter
// =====================================================================================

/** A new (tracked) filter object. */
function filter_make(type: Ptr, func: Ptr, seq: Ptr): Ptr {
  const it = PyObject_GetIter(seq);
  if (it === NULL) return NULL;
  const lz = PyType_GenericAlloc(type, 0);
  if (lz === NULL) {
    Py_DECREF(it);
    return NULL;
  }
  setField(lz, FILTER_FUNC, newRef(func));
  setField(lz, FILTER_IT, it);
  return lz;
}

/** ≈ filter_vectorcall: filter(function or None, iterable). */
function filter_vectorcall(type: Ptr, args: number, nargs: number, kwnames: Ptr): Ptr {
  if (type === PyFilter_Type && kwnames !== NULL && I32[(kwnames + 16) >> 2] !== 0) return typeError('filter() takes no keyword arguments');
  if (nargs !== 2) return typeError(`filter expected 2 arguments, got ${nargs}`);
  return filter_make(type, I32[args >> 2], I32[(args + 8) >> 2]);
}

/** ≈ filter_new (tp_new) */
function filter_new(type: Ptr, args: Ptr, kwds: Ptr): Ptr {
  if (keepsInit(type, PyFilter_Type) && dictSize(kwds) !== 0) return typeError('filter() takes no keyword arguments');
  const nargs = I32[(args + 16) >> 2];
  if (nargs !== 2) return typeError(`filter expected 2 arguments, got ${nargs}`);
  return filter_make(type, item(args, 0), item(args, 1));
}

/** ≈ filter_dealloc (with the trashcan, as 3.11.3+) */
function filter_dealloc(lz: Ptr): void {
  PyObject_GC_UnTrack(lz);
  if (trashcanBegin(lz)) return;
  Py_XDECREF(I32[(lz + FILTER_FUNC) >> 2]);
  Py_XDECREF(I32[(lz + FILTER_IT) >> 2]);
  slotsOfObj(lz).tp_free!(lz);
  trashcanEnd();
}

/** ≈ filter_traverse (it, then func) */
function filter_traverse(lz: Ptr, visit: visitproc, arg: number): number {
  let r: number;
  const it = I32[(lz + FILTER_IT) >> 2];
  if (it !== NULL && (r = visit(it, arg)) !== 0) return r;
  const func = I32[(lz + FILTER_FUNC) >> 2];
  if (func !== NULL && (r = visit(func, arg)) !== 0) return r;
  return 0;
}

/** ≈ filter_next: the next item for which the predicate holds. New reference or NULL. */
function filter_next(lz: Ptr): Ptr {
  const it = I32[(lz + FILTER_IT) >> 2];
  const func = I32[(lz + FILTER_FUNC) >> 2];
  const checktrue = func === Py_None || func === PyBool_Type;
  const iternext = slotsOfObj(it).tp_iternext!;
  for (;;) {
    const v = iternext(it);
    if (v === NULL) return NULL;
    let ok: number;
    if (checktrue) {
      ok = PyObject_IsTrue(v);
    } else {
      const good = PyObject_CallOneArg(func, v);
      if (good === NULL) {
        Py_DECREF(v);
        return NULL;
      }
      ok = PyObject_IsTrue(good);
      Py_DECREF(good);
    }
    if (ok > 0) return v;
    Py_DECREF(v);
    if (ok < 0) return NULL;
  }
}

/** ≈ filter_reduce: (type, (func, it)). */
function filter_reduce(lz: Ptr): Ptr {
  const args = PyTuple_Pack2(I32[(lz + FILTER_FUNC) >> 2], I32[(lz + FILTER_IT) >> 2]);
  if (args === NULL) return NULL;
  const r = PyTuple_Pack2(I32[(lz + OB_TYPE) >> 2], args);
  Py_DECREF(args);
  return r;
}

function selfIter(o: Ptr): Ptr {
  I32[o >> 2]++;
  return o;
}

// ---- the types ----

const REDUCE_DOC = 'Return state information for pickling.';

export const PyZip_Type: Ptr = newStaticType({
  name: 'zip',
  basicsize: ZIP_BASICSIZE,
  flags: Py_TPFLAGS_HAVE_GC | Py_TPFLAGS_BASETYPE,
  slots: {
    tp_dealloc: zip_dealloc,
    tp_traverse: zip_traverse,
    tp_iter: selfIter,
    tp_iternext: zip_next,
    tp_new: zip_new,
    tp_free: PyObject_GC_Del,
    methods: [
      { name: '__reduce__', flags: METH_NOARGS, fn: zip_reduce, doc: REDUCE_DOC },
      { name: '__setstate__', flags: METH_O, fn: zip_setstate, doc: 'Set state information for unpickling.' },
    ],
    doc:
      'zip(*iterables, strict=False) --> Yield tuples until an input is exhausted.\n\n' +
      "   >>> list(zip('abcdefg', range(3), range(4)))\n   [('a', 0, 0), ('b', 1, 1), ('c', 2, 2)]\n\n" +
      'The zip object yields n-length tuples, where n is the number of iterables\n' +
      'passed as positional arguments to zip().  The i-th element in every tuple\n' +
      'comes from the i-th iterable argument to zip().  This continues until the\n' +
      'shortest argument is exhausted.\n\n' +
      'If strict is true and one of the arguments is exhausted before the others,\n' +
      'raise a ValueError.',
  },
});

export const PyMap_Type: Ptr = newStaticType({
  name: 'map',
  basicsize: MAP_BASICSIZE,
  flags: Py_TPFLAGS_HAVE_GC | Py_TPFLAGS_BASETYPE,
  slots: {
    tp_dealloc: map_dealloc,
    tp_traverse: map_traverse,
    tp_iter: selfIter,
    tp_iternext: map_next,
    tp_new: map_new,
    tp_vectorcall: map_vectorcall,
    tp_free: PyObject_GC_Del,
    methods: [{ name: '__reduce__', flags: METH_NOARGS, fn: map_reduce, doc: REDUCE_DOC }],
    doc:
      'map(func, *iterables) --> map object\n\n' +
      'Make an iterator that computes the function using arguments from\n' +
      'each of the iterables.  Stops when the shortest iterable is exhausted.',
  },
});

export const PyFilter_Type: Ptr = newStaticType({
  name: 'filter',
  basicsize: FILTER_BASICSIZE,
  flags: Py_TPFLAGS_HAVE_GC | Py_TPFLAGS_BASETYPE,
  slots: {
    tp_dealloc: filter_dealloc,
    tp_traverse: filter_traverse,
    tp_iter: selfIter,
    tp_iternext: filter_next,
    tp_new: filter_new,
    tp_vectorcall: filter_vectorcall,
    tp_free: PyObject_GC_Del,
    methods: [{ name: '__reduce__', flags: METH_NOARGS, fn: filter_reduce, doc: REDUCE_DOC }],
    doc:
      'filter(function or None, iterable) --> filter object\n\n' +
      'Return an iterator yielding those items of iterable for which function(item)\n' +
      'is true. If function is None, return the items that are true.',
  },
});


