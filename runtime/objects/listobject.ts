// list, its iterators, and list.sort (≈ Objects/listobject.c, CPython 3.11).
//
// Layout (PyListObject, a GC object: getsizeof = 16 GC + 40 + 8·allocated):
//
//        -16  [ _gc_next  ]   PyGC_Head
//         -8  [ _gc_prev  ]
//   l ->   0  [ ob_refcnt ]
//          8  [ ob_type   ]
//         16  [ ob_size   ]   number of items
//         24  [ ob_item   ]   -> item array in the MEM domain (PyMem_Realloc), 8 bytes per slot
//         32  [ allocated ]   slots in the item array (-1 while list.sort runs)
//
// The algorithm, as 3.11:
//  - list_resize(newsize): nothing moves while allocated/2 <= newsize <= allocated; otherwise
//    the array is realloc'd to (newsize + newsize/8 + 6) & ~3 slots, or to (newsize + 3) & ~3
//    when the growth is larger than that over-allocation; 0 for an empty list. Appends give
//    capacities 0, 4, 8, 16, 24, 32, 40, 52, 64, 76, ...
//  - Exact pre-sizing, rounded up to an even count (list_preallocate_exact), for list(x) when x
//    has a len, and for extend() from a list/tuple into a list that has no item array yet.
//    Slices, copies, concatenation and repetition allocate exactly len slots.
//  - Free list: up to 80 PyListObject shells (item arrays freed), a LIFO stack; PyList_New takes
//    from it without touching the gen0 count. list(...) called on the type goes through
//    PyType_GenericAlloc instead (always a fresh block, counted in gen0), as 3.11's list_vectorcall.
//  - Items are DECREF'd last to first (dealloc, clear, slice deletion), after the list is back in
//    a consistent shape (a DECREF may run arbitrary code that looks at the list).
//  - Temporary arrays that CPython keeps on the C stack (the 8-slot `recycle` buffer of slice
//    assignment, the 256-slot merge buffer of the sort) live in a small stack area of the static
//    region (cstack), so that larger requests still go to PyMem_Malloc exactly where CPython's do.
//  - list.sort is timsort as in 3.11: count_run, binary insertion up to minrun, powersort merge
//    ordering (found_new_run/powerloop), merge_lo/merge_hi with galloping (MIN_GALLOP 7).
//    Only "<" is used. During the sort the list looks empty (allocated = -1); if it was modified,
//    ValueError("list modified during sort").
//
// Iterators (GC; getsizeof 48): [16 it_index][24 it_seq]; the reversed iterator counts down.

import { type Ptr, NULL, I32 as heapI32, staticAlloc } from '../mem/heap.js';
import { PyMem_Malloc, PyMem_Realloc, PyMem_Free } from '../mem/pymem.js';
import { OB_TYPE, OB_SIZE, Py_DECREF, Py_XDECREF, _Py_Dealloc, trashcanBegin, trashcanEnd, Py_ReprEnter, Py_ReprLeave } from '../object.js';
import {
  newStaticType, typeName, slotsOfObj, Py_TPFLAGS_BASETYPE, Py_TPFLAGS_HAVE_GC, Py_TPFLAGS_LIST_SUBCLASS, Py_TPFLAGS_SEQUENCE,
  Py_EQ, Py_NE, Py_LT, TP_FLAGS, METH_NOARGS, METH_O, METH_FASTCALL, METH_KEYWORDS, type visitproc, TP_BASICSIZE,
} from '../typeobject.js';
import { PyObject_GC_New, PyObject_GC_Del, PyObject_GC_Track, PyObject_GC_UnTrack, PyType_GenericAlloc } from '../gc.js';
import { PyErr_SetString, PyErr_NoMemory, PyErr_Occurred, PyErr_ExceptionMatches, PyErr_Clear } from '../errors.js';
import { PyExc_IndexError, PyExc_TypeError, PyExc_ValueError, PyExc_SystemError, PyExc_StopIteration, PyExc_OverflowError } from './exceptions.js';
import {
  PyObject_RichCompare, PyObject_RichCompareBool, PyObject_Repr, PyObject_GetIter, PyObject_LengthHint,
  PyNumber_AsSsize_t, PyObject_Size, PyObject_HashNotImplemented,
} from '../abstract.js';
import { PyObject_CallOneArg } from '../call.js';
import { PyLong_FromSsize_t } from './longobject.js';
import { Py_True, Py_False } from './boolobject.js';
import { Py_None, Py_NotImplemented } from './noneobject.js';
import { PyUnicode_FromString, unicodeToJs, unicodeEqualsJs } from './unicodeobject.js';
import {
  PyTuple_Type, _PyTuple_FromArray, richcompareInts, PyObject_SelfIter, _PyDebugAllocatorStats, TUPLE_ITEMS, copyItems,
} from './tupleobject.js';
import { PySlice_Type, PySlice_Unpack, PySlice_AdjustIndices, SLICE_RESULT } from './sliceobject.js';


// The heap views as file-local constants: V8 reads an imported binding through its module
// cell on every use (measured ~2x slower in hot loops than a local const).
const I32 = heapI32;

// ---- layout ----
export const LIST_ITEMS = 24; // ob_item pointer
export const LIST_ALLOCATED = 32;
export const LIST_BASICSIZE = 40;
export const LISTITER_INDEX = 16;
export const LISTITER_SEQ = 24;
export const LISTITER_BASICSIZE = 32;

export const PyList_MAXFREELIST = 80;
const freeList = new Int32Array(PyList_MAXFREELIST);
let numFree = 0;

const PY_SSIZE_T_MAX = 9223372036854775807;
const MAX_ITEMS = 0x0fffffff; // item arrays above 2 GiB are refused (MemoryError)

// ---- a small "C stack" in the static region for CPython's on-stack temporaries ----
const CSTACK_SIZE = 256 * 1024;
const cstackBase = staticAlloc(CSTACK_SIZE, 16);
let cstackTop = cstackBase;
/** Reserve `bytes` (LIFO); 0 when the area is full (callers then use PyMem_Malloc). */
function cstackPush(bytes: number): Ptr {
  const p = cstackTop;
  if (p + bytes > cstackBase + CSTACK_SIZE) return NULL;
  cstackTop = p + ((bytes + 15) & ~15);
  return p;
}
function cstackPop(p: Ptr): void {
  cstackTop = p;
}

// ---- field accessors ----

/** ≈ PyList_Check */
export function PyList_Check(o: Ptr): boolean {
  return (I32[(I32[(o + OB_TYPE) >> 2] + TP_FLAGS) >> 2] & Py_TPFLAGS_LIST_SUBCLASS) !== 0;
}
/** ≈ PyList_CheckExact */
export function PyList_CheckExact(o: Ptr): boolean {
  return I32[(o + OB_TYPE) >> 2] === PyList_Type;
}
/** ≈ PyList_GET_SIZE */
export function PyList_GET_SIZE(l: Ptr): number {
  return I32[(l + OB_SIZE) >> 2];
}
/** Address of the item array (≈ ob_item); item i is at ob_item + 8i. */
export function PyList_ITEMS(l: Ptr): Ptr {
  return I32[(l + LIST_ITEMS) >> 2];
}
/** ≈ PyList_GET_ITEM: borrowed reference, no check. */
export function PyList_GET_ITEM(l: Ptr, i: number): Ptr {
  return I32[(I32[(l + LIST_ITEMS) >> 2] + 8 * i) >> 2];
}
/** ≈ PyList_SET_ITEM: STEALS `v`; the old item is not DECREF'd. */
export function PyList_SET_ITEM(l: Ptr, i: number, v: Ptr): void {
  const a = (I32[(l + LIST_ITEMS) >> 2] + 8 * i) >> 2;
  I32[a] = v;
  I32[a + 1] = 0;
}
function setSize(l: Ptr, n: number): void {
  I32[(l + OB_SIZE) >> 2] = n;
}
function setItems(l: Ptr, p: Ptr): void {
  I32[(l + LIST_ITEMS) >> 2] = p;
}
function allocatedOf(l: Ptr): number {
  return I32[(l + LIST_ALLOCATED) >> 2];
}
function setAllocated(l: Ptr, n: number): void {
  I32[(l + LIST_ALLOCATED) >> 2] = n;
  I32[(l + LIST_ALLOCATED + 4) >> 2] = n < 0 ? -1 : 0;
}

function PyErr_BadInternalCall(): void {
  PyErr_SetString(PyExc_SystemError, 'bad argument to internal function');
}

// ---- allocation and resizing ----

/** ≈ list_resize: make room for `newsize` items and set ob_size (3.11 over-allocation).
 *  Returns 0, or -1 with MemoryError. Items beyond the old size are undefined. */
export function list_resize(self: Ptr, newsize: number): number {
  const allocated = allocatedOf(self);
  if (allocated >= newsize && newsize >= allocated >> 1) {
    setSize(self, newsize);
    return 0;
  }
  let newAllocated = (newsize + (newsize >> 3) + 6) & ~3;
  if (newsize - I32[(self + OB_SIZE) >> 2] > newAllocated - newsize) newAllocated = (newsize + 3) & ~3;
  if (newsize === 0) newAllocated = 0;
  if (newAllocated > MAX_ITEMS) {
    PyErr_NoMemory();
    return -1;
  }
  const items = PyMem_Realloc(I32[(self + LIST_ITEMS) >> 2], newAllocated * 8);
  if (items === NULL) {
    PyErr_NoMemory();
    return -1;
  }
  setItems(self, items);
  setSize(self, newsize);
  setAllocated(self, newAllocated);
  return 0;
}

/** ≈ list_preallocate_exact: give an item-less list room for `size` items, rounded up to even. */
function list_preallocate_exact(self: Ptr, size: number): number {
  size = (size + 1) & ~1;
  if (size > MAX_ITEMS) {
    PyErr_NoMemory();
    return -1;
  }
  const items = PyMem_Malloc(size * 8);
  if (items === NULL) {
    PyErr_NoMemory();
    return -1;
  }
  setItems(self, items);
  setAllocated(self, size);
  return 0;
}

/** ≈ PyList_New: a new tracked list of `size` NULL items (fill with PyList_SET_ITEM). New
 *  reference, NULL + MemoryError on failure. The shell comes from the free list when possible. */
export function PyList_New(size: number): Ptr {
  if (size < 0) {
    PyErr_BadInternalCall();
    return NULL;
  }
  let op: Ptr;
  if (numFree > 0) {
    op = freeList[--numFree];
    I32[op >> 2] = 1; // _Py_NewReference
  } else {
    op = PyObject_GC_New(PyList_Type);
    if (op === NULL) return PyErr_NoMemory();
  }
  I32[(op + OB_SIZE + 4) >> 2] = 0;
  I32[(op + LIST_ITEMS + 4) >> 2] = 0;
  if (size <= 0) {
    setItems(op, NULL);
  } else {
    if (size > MAX_ITEMS) {
      setItems(op, NULL);
      setSize(op, 0);
      setAllocated(op, 0);
      Py_DECREF(op);
      return PyErr_NoMemory();
    }
    const items = PyMem_Malloc(size * 8);
    if (items === NULL) {
      setItems(op, NULL);
      setSize(op, 0);
      setAllocated(op, 0);
      Py_DECREF(op);
      return PyErr_NoMemory();
    }
    if (size <= 16) for (let i = 0; i < 2 * size; i++) I32[(items >> 2) + i] = 0;
    else I32.fill(0, items >> 2, (items >> 2) + 2 * size);
    setItems(op, items);
  }
  setSize(op, size);
  setAllocated(op, size);
  PyObject_GC_Track(op);
  return op;
}

/** ≈ list_new_prealloc: an empty list (ob_size 0) with exactly `size` > 0 slots. New reference. */
function list_new_prealloc(size: number): Ptr {
  const op = PyList_New(0);
  if (op === NULL) return NULL;
  if (size > MAX_ITEMS) {
    Py_DECREF(op);
    return PyErr_NoMemory();
  }
  const items = PyMem_Malloc(size * 8);
  if (items === NULL) {
    Py_DECREF(op);
    return PyErr_NoMemory();
  }
  setItems(op, items);
  setAllocated(op, size);
  return op;
}

/** ≈ _PyList_FromArraySteal: a new list of the n references at heap address `src` (stolen). */
export function _PyList_FromArraySteal(src: number, n: number): Ptr {
  if (n === 0) return PyList_New(0);
  const op = list_new_prealloc(n);
  if (op === NULL) {
    for (let i = 0; i < n; i++) Py_DECREF(I32[(src + 8 * i) >> 2]);
    return NULL;
  }
  copyItems(I32[(op + LIST_ITEMS) >> 2] >> 2, src >> 2, n);
  setSize(op, n);
  return op;
}

// ---- dealloc, free list, GC ----

function list_dealloc(op: Ptr): void {
  PyObject_GC_UnTrack(op);
  if (trashcanBegin(op)) return;
  const items = I32[(op + LIST_ITEMS) >> 2];
  if (items !== NULL) {
    for (let a = (items + 8 * (I32[(op + OB_SIZE) >> 2] - 1)) >> 2, end = items >> 2; a >= end; a -= 2) {
      const it = I32[a];
      if (it !== NULL && --I32[it >> 2] === 0) _Py_Dealloc(it);
    }
    PyMem_Free(items);
  }
  if (numFree < PyList_MAXFREELIST && I32[(op + OB_TYPE) >> 2] === PyList_Type) {
    freeList[numFree++] = op;
  } else {
    const f = slotsOfObj(op).tp_free;
    if (f !== undefined) f(op);
    else PyObject_GC_Del(op);
  }
  trashcanEnd();
}

/** ≈ _PyList_ClearFreeList (a full gc.collect does this). */
export function PyList_ClearFreeList(): void {
  while (numFree > 0) PyObject_GC_Del(freeList[--numFree]);
}
export const clearFreeLists = PyList_ClearFreeList;
export function listFreeListCount(): number {
  return numFree;
}
/** ≈ _PyList_DebugMallocStats: the "free PyListObjects" line of sys._debugmallocstats(). */
export function listFreeListStats(): string[] {
  return [_PyDebugAllocatorStats('PyListObject', numFree, LIST_BASICSIZE)];
}

function list_traverse(o: Ptr, visit: visitproc, arg: number): number {
  const items = I32[(o + LIST_ITEMS) >> 2];
  for (let i = I32[(o + OB_SIZE) >> 2] - 1; i >= 0; i--) {
    const it = I32[(items + 8 * i) >> 2];
    if (it !== NULL) {
      const r = visit(it, arg);
      if (r !== 0) return r;
    }
  }
  return 0;
}

/** ≈ _list_clear (tp_clear, list.clear): empty the list first, then DECREF last to first. */
function _list_clear(a: Ptr): number {
  const items = I32[(a + LIST_ITEMS) >> 2];
  if (items !== NULL) {
    let i = I32[(a + OB_SIZE) >> 2];
    setSize(a, 0);
    setItems(a, NULL);
    setAllocated(a, 0);
    while (--i >= 0) Py_XDECREF(I32[(items + 8 * i) >> 2]);
    PyMem_Free(items);
  }
  return 0;
}

// ---- C-API style functions ----

/** ≈ PyList_Size: -1 + SystemError when not a list. */
export function PyList_Size(o: Ptr): number {
  if (!PyList_Check(o)) {
    PyErr_BadInternalCall();
    return -1;
  }
  return I32[(o + OB_SIZE) >> 2];
}

/** ≈ PyList_GetItem: borrowed reference; IndexError "list index out of range". */
export function PyList_GetItem(op: Ptr, i: number): Ptr {
  if (!PyList_Check(op)) {
    PyErr_BadInternalCall();
    return NULL;
  }
  if (i < 0 || i >= I32[(op + OB_SIZE) >> 2]) {
    PyErr_SetString(PyExc_IndexError, 'list index out of range');
    return NULL;
  }
  return PyList_GET_ITEM(op, i);
}

/** ≈ PyList_SetItem: STEALS `v` (also on failure); DECREFs the old item. 0 / -1. */
export function PyList_SetItem(op: Ptr, i: number, v: Ptr): number {
  if (!PyList_Check(op)) {
    Py_XDECREF(v);
    PyErr_BadInternalCall();
    return -1;
  }
  if (i < 0 || i >= I32[(op + OB_SIZE) >> 2]) {
    Py_XDECREF(v);
    PyErr_SetString(PyExc_IndexError, 'list assignment index out of range');
    return -1;
  }
  const a = (I32[(op + LIST_ITEMS) >> 2] + 8 * i) >> 2;
  const old = I32[a];
  I32[a] = v;
  I32[a + 1] = 0;
  Py_XDECREF(old);
  return 0;
}

/** ≈ ins1 / PyList_Insert: insert `v` (borrowed; INCREF'd) before index `where`. 0 / -1. */
function ins1(self: Ptr, where: number, v: Ptr): number {
  const n = I32[(self + OB_SIZE) >> 2];
  if (list_resize(self, n + 1) < 0) return -1;
  if (where < 0) {
    where += n;
    if (where < 0) where = 0;
  }
  if (where > n) where = n;
  const items = I32[(self + LIST_ITEMS) >> 2] >> 2;
  I32.copyWithin(items + 2 * (where + 1), items + 2 * where, items + 2 * n);
  I32[v >> 2]++;
  I32[items + 2 * where] = v;
  I32[items + 2 * where + 1] = 0;
  return 0;
}
export function PyList_Insert(op: Ptr, where: number, v: Ptr): number {
  if (!PyList_Check(op)) {
    PyErr_BadInternalCall();
    return -1;
  }
  return ins1(op, where, v);
}

/** ≈ _PyList_AppendTakeRef: append, STEALING `v` (DECREF'd on failure). 0 / -1. */
export function _PyList_AppendTakeRef(self: Ptr, v: Ptr): number {
  const len = I32[(self + OB_SIZE) >> 2];
  const allocated = I32[(self + LIST_ALLOCATED) >> 2];
  if (allocated > len) {
    const a = (I32[(self + LIST_ITEMS) >> 2] + 8 * len) >> 2;
    I32[a] = v;
    I32[a + 1] = 0;
    I32[(self + OB_SIZE) >> 2] = len + 1;
    return 0;
  }
  if (list_resize(self, len + 1) < 0) {
    Py_DECREF(v);
    return -1;
  }
  PyList_SET_ITEM(self, len, v);
  return 0;
}

/** ≈ PyList_Append: append `v` (borrowed; INCREF'd). 0 / -1. */
export function PyList_Append(op: Ptr, v: Ptr): number {
  I32[v >> 2]++;
  return _PyList_AppendTakeRef(op, v);
}

/** ≈ list_slice: a new list of a[ilow:ihigh] (indices already clamped). */
function list_slice(a: Ptr, ilow: number, ihigh: number): Ptr {
  const len = ihigh - ilow;
  if (len <= 0) return PyList_New(0);
  const np = list_new_prealloc(len);
  if (np === NULL) return NULL;
  const s = (I32[(a + LIST_ITEMS) >> 2] >> 2) + 2 * ilow;
  const d = I32[(np + LIST_ITEMS) >> 2] >> 2;
  copyItems(d, s, len);
  for (let i = 0; i < len; i++) I32[I32[d + 2 * i] >> 2]++;
  setSize(np, len);
  return np;
}

/** ≈ PyList_GetSlice: new reference. */
export function PyList_GetSlice(a: Ptr, ilow: number, ihigh: number): Ptr {
  if (!PyList_Check(a)) {
    PyErr_BadInternalCall();
    return NULL;
  }
  const n = I32[(a + OB_SIZE) >> 2];
  if (ilow < 0) ilow = 0;
  else if (ilow > n) ilow = n;
  if (ihigh < ilow) ihigh = ilow;
  else if (ihigh > n) ihigh = n;
  return list_slice(a, ilow, ihigh);
}

/** ≈ PyList_AsTuple: new reference. */
export function PyList_AsTuple(v: Ptr): Ptr {
  if (!PyList_Check(v)) {
    PyErr_BadInternalCall();
    return NULL;
  }
  return _PyTuple_FromArray(I32[(v + LIST_ITEMS) >> 2], I32[(v + OB_SIZE) >> 2]);
}

// ---- PySequence_Fast / PySequence_List (Objects/abstract.c; here because they are list-shaped) ----

/** ≈ PySequence_Fast: `v` itself (INCREF'd) when it is an exact list or tuple, else a new list of
 *  its items; TypeError(`m`) when it is not iterable. Use fastSize/fastItems on the result. */
export function PySequence_Fast(v: Ptr, m: string): Ptr {
  const tp = I32[(v + OB_TYPE) >> 2];
  if (tp === PyList_Type || tp === PyTuple_Type) {
    I32[v >> 2]++;
    return v;
  }
  const it = PyObject_GetIter(v);
  if (it === NULL) {
    if (PyErr_ExceptionMatches(PyExc_TypeError)) PyErr_SetString(PyExc_TypeError, m);
    return NULL;
  }
  const r = PySequence_List(it);
  Py_DECREF(it);
  return r;
}
/** Size of a PySequence_Fast result. */
export function fastSize(o: Ptr): number {
  return I32[(o + OB_SIZE) >> 2];
}
/** Address of the item slots of a PySequence_Fast result. */
export function fastItems(o: Ptr): number {
  return I32[(o + OB_TYPE) >> 2] === PyTuple_Type ? o + TUPLE_ITEMS : I32[(o + LIST_ITEMS) >> 2];
}

/** ≈ PySequence_List: a new list of the items of `v` (PyList_New(0) + extend). */
export function PySequence_List(v: Ptr): Ptr {
  const result = PyList_New(0);
  if (result === NULL) return NULL;
  const rv = list_extend(result, v);
  if (rv === NULL) {
    Py_DECREF(result);
    return NULL;
  }
  Py_DECREF(rv);
  return result;
}

// ---- extend ----

/** ≈ list_extend (list.extend): returns None (new reference) or NULL. */
function list_extend(self: Ptr, iterable: Ptr): Ptr {
  const itp = I32[(iterable + OB_TYPE) >> 2];
  if (itp === PyList_Type || itp === PyTuple_Type || iterable === self) {
    const seq = PySequence_Fast(iterable, 'argument must be iterable');
    if (seq === NULL) return NULL;
    const n = fastSize(seq);
    if (n === 0) {
      Py_DECREF(seq);
      I32[Py_None >> 2]++;
      return Py_None;
    }
    const m = I32[(self + OB_SIZE) >> 2];
    if (I32[(self + LIST_ITEMS) >> 2] === NULL) {
      if (list_preallocate_exact(self, n) < 0) {
        Py_DECREF(seq);
        return NULL;
      }
      setSize(self, n);
    } else if (list_resize(self, m + n) < 0) {
      Py_DECREF(seq);
      return NULL;
    }
    // resize first: for a.extend(a) the source items are read after the move
    const s = fastItems(seq) >> 2;
    const d = (I32[(self + LIST_ITEMS) >> 2] >> 2) + 2 * m;
    copyItems(d, s, n);
    for (let i = 0; i < n; i++) I32[I32[d + 2 * i] >> 2]++;
    Py_DECREF(seq);
    I32[Py_None >> 2]++;
    return Py_None;
  }
  const it = PyObject_GetIter(iterable);
  if (it === NULL) return NULL;
  const iternext = slotsOfObj(it).tp_iternext!;
  const n = PyObject_LengthHint(iterable, 8);
  if (n < 0) {
    Py_DECREF(it);
    return NULL;
  }
  const m = I32[(self + OB_SIZE) >> 2];
  if (m > PY_SSIZE_T_MAX - n) {
    // ignore an absurd hint
  } else if (I32[(self + LIST_ITEMS) >> 2] === NULL) {
    if (n !== 0 && list_preallocate_exact(self, n) < 0) {
      Py_DECREF(it);
      return NULL;
    }
  } else {
    if (list_resize(self, m + n) < 0) {
      Py_DECREF(it);
      return NULL;
    }
    setSize(self, m);
  }
  for (;;) {
    const item = iternext(it);
    if (item === NULL) {
      if (PyErr_Occurred() !== NULL) {
        if (PyErr_ExceptionMatches(PyExc_StopIteration)) PyErr_Clear();
        else {
          Py_DECREF(it);
          return NULL;
        }
      }
      break;
    }
    const size = I32[(self + OB_SIZE) >> 2];
    if (size < I32[(self + LIST_ALLOCATED) >> 2]) {
      PyList_SET_ITEM(self, size, item);
      setSize(self, size + 1);
    } else if (_PyList_AppendTakeRef(self, item) < 0) {
      Py_DECREF(it);
      return NULL;
    }
  }
  if (I32[(self + OB_SIZE) >> 2] < I32[(self + LIST_ALLOCATED) >> 2]) {
    if (list_resize(self, I32[(self + OB_SIZE) >> 2]) < 0) {
      Py_DECREF(it);
      return NULL;
    }
  }
  Py_DECREF(it);
  I32[Py_None >> 2]++;
  return Py_None;
}

/** ≈ _PyList_Extend / PyList_Extend: 0 / -1. */
export function PyList_Extend(self: Ptr, iterable: Ptr): number {
  const r = list_extend(self, iterable);
  if (r === NULL) return -1;
  Py_DECREF(r);
  return 0;
}
export const _PyList_Extend = list_extend;

// ---- slice assignment ----

/** ≈ list_ass_slice: a[ilow:ihigh] = v (v NULL deletes). Removed items are DECREF'd last to
 *  first once the list is consistent again. 0 / -1. */
function list_ass_slice(a: Ptr, ilow: number, ihigh: number, v: Ptr): number {
  let n = 0;
  let vitem = 0;
  let vAsSF = NULL;
  if (v !== NULL) {
    if (a === v) {
      const copy = list_slice(v, 0, I32[(v + OB_SIZE) >> 2]);
      if (copy === NULL) return -1;
      const r = list_ass_slice(a, ilow, ihigh, copy);
      Py_DECREF(copy);
      return r;
    }
    vAsSF = PySequence_Fast(v, 'can only assign an iterable');
    if (vAsSF === NULL) return -1;
    n = fastSize(vAsSF);
    vitem = fastItems(vAsSF);
  }
  const size = I32[(a + OB_SIZE) >> 2];
  if (ilow < 0) ilow = 0;
  else if (ilow > size) ilow = size;
  if (ihigh < ilow) ihigh = ilow;
  else if (ihigh > size) ihigh = size;
  const norig = ihigh - ilow;
  const d = n - norig;
  if (size + d === 0) {
    Py_XDECREF(vAsSF);
    return _list_clear(a);
  }
  // recycle the items about to be removed (on the "stack" up to 8, else a PyMem block)
  let recycle = NULL;
  let onStack = false;
  if (norig > 0) {
    if (norig <= 8) {
      recycle = cstackPush(64);
      onStack = recycle !== NULL;
    }
    if (!onStack) {
      recycle = PyMem_Malloc(norig * 8);
      if (recycle === NULL) {
        Py_XDECREF(vAsSF);
        PyErr_NoMemory();
        return -1;
      }
    }
    const it0 = I32[(a + LIST_ITEMS) >> 2] >> 2;
    I32.copyWithin(recycle >> 2, it0 + 2 * ilow, it0 + 2 * ihigh);
  }
  let result = -1;
  let ok = true;
  if (d < 0) {
    const it0 = I32[(a + LIST_ITEMS) >> 2] >> 2;
    I32.copyWithin(it0 + 2 * (ihigh + d), it0 + 2 * ihigh, it0 + 2 * size);
    if (list_resize(a, size + d) < 0) {
      I32.copyWithin(it0 + 2 * ihigh, it0 + 2 * (ihigh + d), it0 + 2 * (size + d));
      I32.copyWithin(it0 + 2 * ilow, recycle >> 2, (recycle >> 2) + 2 * norig);
      ok = false;
    }
  } else if (d > 0) {
    if (list_resize(a, size + d) < 0) ok = false;
    else {
      const it0 = I32[(a + LIST_ITEMS) >> 2] >> 2;
      I32.copyWithin(it0 + 2 * (ihigh + d), it0 + 2 * ihigh, it0 + 2 * size);
    }
  }
  if (ok) {
    const it0 = I32[(a + LIST_ITEMS) >> 2] >> 2;
    for (let k = 0; k < n; k++, ilow++) {
      const w = I32[(vitem + 8 * k) >> 2];
      if (w !== NULL) I32[w >> 2]++;
      I32[it0 + 2 * ilow] = w;
      I32[it0 + 2 * ilow + 1] = 0;
    }
    for (let k = norig - 1; k >= 0; --k) Py_XDECREF(I32[(recycle + 8 * k) >> 2]);
    result = 0;
  }
  if (recycle !== NULL) {
    if (onStack) cstackPop(recycle);
    else PyMem_Free(recycle);
  }
  Py_XDECREF(vAsSF);
  return result;
}

/** ≈ PyList_SetSlice: a[ilow:ihigh] = v (borrowed; NULL deletes). 0 / -1. */
export function PyList_SetSlice(a: Ptr, ilow: number, ihigh: number, v: Ptr): number {
  if (!PyList_Check(a)) {
    PyErr_BadInternalCall();
    return -1;
  }
  return list_ass_slice(a, ilow, ihigh, v);
}

// ---- sequence / mapping slots ----

function list_length(a: Ptr): number {
  return I32[(a + OB_SIZE) >> 2];
}

/** ≈ list_contains: -1 / 0 / 1 (the item is held while it is compared). */
function list_contains(a: Ptr, el: Ptr): number {
  let cmp = 0;
  for (let i = 0; cmp === 0 && i < I32[(a + OB_SIZE) >> 2]; i++) {
    const item = PyList_GET_ITEM(a, i);
    I32[item >> 2]++;
    cmp = PyObject_RichCompareBool(item, el, Py_EQ);
    Py_DECREF(item);
  }
  return cmp;
}

/** ≈ list_item (sq_item): new reference. */
function list_item(a: Ptr, i: number): Ptr {
  if (i < 0 || i >= I32[(a + OB_SIZE) >> 2]) {
    PyErr_SetString(PyExc_IndexError, 'list index out of range');
    return NULL;
  }
  const it = PyList_GET_ITEM(a, i);
  I32[it >> 2]++;
  return it;
}

/** ≈ list_concat (sq_concat): new reference. */
export function list_concat(a: Ptr, bb: Ptr): Ptr {
  if (!PyList_Check(bb)) {
    PyErr_SetString(PyExc_TypeError, `can only concatenate list (not "${typeName(I32[(bb + OB_TYPE) >> 2])}") to list`);
    return NULL;
  }
  const na = I32[(a + OB_SIZE) >> 2], nb = I32[(bb + OB_SIZE) >> 2];
  const size = na + nb;
  if (size === 0) return PyList_New(0);
  const np = list_new_prealloc(size);
  if (np === NULL) return NULL;
  const d = I32[(np + LIST_ITEMS) >> 2] >> 2;
  if (na > 0) copyItems(d, I32[(a + LIST_ITEMS) >> 2] >> 2, na);
  if (nb > 0) copyItems(d + 2 * na, I32[(bb + LIST_ITEMS) >> 2] >> 2, nb);
  for (let i = 0; i < size; i++) I32[I32[d + 2 * i] >> 2]++;
  setSize(np, size);
  return np;
}

/** ≈ list_repeat (sq_repeat): new reference. */
function list_repeat(a: Ptr, n: number): Ptr {
  if (n < 0) n = 0;
  const len = I32[(a + OB_SIZE) >> 2];
  if (n > 0 && len > PY_SSIZE_T_MAX / n) return PyErr_NoMemory();
  const size = len * n;
  if (size === 0) return PyList_New(0);
  if (size > MAX_ITEMS) return PyErr_NoMemory();
  const np = list_new_prealloc(size);
  if (np === NULL) return NULL;
  const d = I32[(np + LIST_ITEMS) >> 2] >> 2;
  const s = I32[(a + LIST_ITEMS) >> 2] >> 2;
  for (let i = 0; i < len; i++) I32[I32[s + 2 * i] >> 2] += n;
  I32.copyWithin(d, s, s + 2 * len);
  let done = len;
  while (done < size) {
    const chunk = Math.min(done, size - done);
    I32.copyWithin(d + 2 * done, d, d + 2 * chunk);
    done += chunk;
  }
  setSize(np, size);
  return np;
}

/** ≈ list_inplace_concat (sq_inplace_concat): `self += other`; returns self (new reference). */
function list_inplace_concat(self: Ptr, other: Ptr): Ptr {
  const r = list_extend(self, other);
  if (r === NULL) return NULL;
  Py_DECREF(r);
  I32[self >> 2]++;
  return self;
}

/** ≈ list_inplace_repeat (sq_inplace_repeat): `self *= n`; returns self (new reference). */
function list_inplace_repeat(self: Ptr, n: number): Ptr {
  const size = I32[(self + OB_SIZE) >> 2];
  if (size === 0 || n === 1) {
    I32[self >> 2]++;
    return self;
  }
  if (n < 1) {
    _list_clear(self);
    I32[self >> 2]++;
    return self;
  }
  if (size > PY_SSIZE_T_MAX / n || size * n > MAX_ITEMS) return PyErr_NoMemory();
  if (list_resize(self, size * n) < 0) return NULL;
  const items = I32[(self + LIST_ITEMS) >> 2] >> 2;
  for (let j = 0; j < size; j++) I32[I32[items + 2 * j] >> 2] += n - 1;
  let done = size;
  const total = size * n;
  while (done < total) {
    const chunk = Math.min(done, total - done);
    I32.copyWithin(items + 2 * done, items, items + 2 * chunk);
    done += chunk;
  }
  I32[self >> 2]++;
  return self;
}

/** ≈ list_ass_item (sq_ass_item): a[i] = v, or del a[i] when v is NULL. 0 / -1. */
function list_ass_item(a: Ptr, i: number, v: Ptr): number {
  if (i < 0 || i >= I32[(a + OB_SIZE) >> 2]) {
    PyErr_SetString(PyExc_IndexError, 'list assignment index out of range');
    return -1;
  }
  if (v === NULL) return list_ass_slice(a, i, i + 1, NULL);
  I32[v >> 2]++;
  const addr = (I32[(a + LIST_ITEMS) >> 2] + 8 * i) >> 2;
  const old = I32[addr];
  I32[addr] = v;
  Py_DECREF(old);
  return 0;
}

/** ≈ list_subscript (mp_subscript): a[i] / a[slice]; new reference. */
function list_subscript(self: Ptr, item: Ptr): Ptr {
  if (slotsOfObj(item).nb_index !== undefined) {
    let i = PyNumber_AsSsize_t(item, PyExc_IndexError);
    if (i === -1 && PyErr_Occurred() !== NULL) return NULL;
    if (i < 0) i += I32[(self + OB_SIZE) >> 2];
    return list_item(self, i);
  }
  if (I32[(item + OB_TYPE) >> 2] === PySlice_Type) {
    if (PySlice_Unpack(item) < 0) return NULL;
    const slicelength = PySlice_AdjustIndices(I32[(self + OB_SIZE) >> 2]);
    const start = SLICE_RESULT[0], step = SLICE_RESULT[2];
    if (slicelength <= 0) return PyList_New(0);
    if (step === 1) return list_slice(self, start, SLICE_RESULT[1]);
    const result = list_new_prealloc(slicelength);
    if (result === NULL) return NULL;
    const s = I32[(self + LIST_ITEMS) >> 2] >> 2;
    const d = I32[(result + LIST_ITEMS) >> 2] >> 2;
    for (let cur = start, i = 0; i < slicelength; cur += step, i++) {
      const it = I32[s + 2 * cur];
      I32[it >> 2]++;
      I32[d + 2 * i] = it;
      I32[d + 2 * i + 1] = 0;
    }
    setSize(result, slicelength);
    return result;
  }
  PyErr_SetString(PyExc_TypeError, `list indices must be integers or slices, not ${typeName(I32[(item + OB_TYPE) >> 2])}`);
  return NULL;
}

/** ≈ list_ass_subscript (mp_ass_subscript): a[i] = v, a[slice] = v, del (v NULL). 0 / -1. */
function list_ass_subscript(self: Ptr, item: Ptr, value: Ptr): number {
  if (slotsOfObj(item).nb_index !== undefined) {
    let i = PyNumber_AsSsize_t(item, PyExc_IndexError);
    if (i === -1 && PyErr_Occurred() !== NULL) return -1;
    if (i < 0) i += I32[(self + OB_SIZE) >> 2];
    return list_ass_item(self, i, value);
  }
  if (I32[(item + OB_TYPE) >> 2] !== PySlice_Type) {
    PyErr_SetString(PyExc_TypeError, `list indices must be integers or slices, not ${typeName(I32[(item + OB_TYPE) >> 2])}`);
    return -1;
  }
  if (PySlice_Unpack(item) < 0) return -1;
  const slicelength = PySlice_AdjustIndices(I32[(self + OB_SIZE) >> 2]);
  let start = SLICE_RESULT[0], stop = SLICE_RESULT[1], step = SLICE_RESULT[2];
  if (step === 1) return list_ass_slice(self, start, stop, value);
  // make sure s[5:2] = [..] inserts at the right place: before 5, not before 2
  if ((step < 0 && start < stop) || (step > 0 && start > stop)) stop = start;
  if (value === NULL) {
    if (slicelength <= 0) return 0;
    if (step < 0) {
      stop = start + 1;
      start = stop + step * (slicelength - 1) - 1;
      step = -step;
    }
    const garbage = PyMem_Malloc(slicelength * 8);
    if (garbage === NULL) {
      PyErr_NoMemory();
      return -1;
    }
    const items = I32[(self + LIST_ITEMS) >> 2] >> 2;
    const size = I32[(self + OB_SIZE) >> 2];
    let cur = start, i = 0;
    for (; cur < stop; cur += step, i++) {
      let lim = step - 1;
      I32[(garbage >> 2) + 2 * i] = I32[items + 2 * cur];
      I32[(garbage >> 2) + 2 * i + 1] = 0;
      if (cur + step >= size) lim = size - cur - 1;
      I32.copyWithin(items + 2 * (cur - i), items + 2 * (cur + 1), items + 2 * (cur + 1 + lim));
    }
    cur = start + slicelength * step;
    if (cur < size) I32.copyWithin(items + 2 * (cur - slicelength), items + 2 * cur, items + 2 * size);
    setSize(self, size - slicelength);
    const res = list_resize(self, size - slicelength);
    for (i = 0; i < slicelength; i++) Py_DECREF(I32[(garbage >> 2) + 2 * i]);
    PyMem_Free(garbage);
    return res;
  }
  // assign to an extended slice
  let seq: Ptr;
  if (self === value) seq = list_slice(value, 0, I32[(value + OB_SIZE) >> 2]);
  else seq = PySequence_Fast(value, 'must assign iterable to extended slice');
  if (seq === NULL) return -1;
  if (fastSize(seq) !== slicelength) {
    PyErr_SetString(PyExc_ValueError, `attempt to assign sequence of size ${fastSize(seq)} to extended slice of size ${slicelength}`);
    Py_DECREF(seq);
    return -1;
  }
  if (slicelength === 0) {
    Py_DECREF(seq);
    return 0;
  }
  const garbage = PyMem_Malloc(slicelength * 8);
  if (garbage === NULL) {
    Py_DECREF(seq);
    PyErr_NoMemory();
    return -1;
  }
  const selfitems = I32[(self + LIST_ITEMS) >> 2] >> 2;
  const seqitems = fastItems(seq) >> 2;
  for (let cur = start, i = 0; i < slicelength; cur += step, i++) {
    I32[(garbage >> 2) + 2 * i] = I32[selfitems + 2 * cur];
    const ins = I32[seqitems + 2 * i];
    I32[ins >> 2]++;
    I32[selfitems + 2 * cur] = ins;
  }
  for (let i = 0; i < slicelength; i++) Py_DECREF(I32[(garbage >> 2) + 2 * i]);
  PyMem_Free(garbage);
  Py_DECREF(seq);
  return 0;
}

// ---- comparison, repr, hash ----

function boolResult(b: boolean): Ptr {
  const r = b ? Py_True : Py_False;
  I32[r >> 2]++;
  return r;
}

/** ≈ list_richcompare: new reference. */
function list_richcompare(v: Ptr, w: Ptr, op: number): Ptr {
  if (!PyList_Check(v) || !PyList_Check(w)) {
    I32[Py_NotImplemented >> 2]++;
    return Py_NotImplemented;
  }
  if (I32[(v + OB_SIZE) >> 2] !== I32[(w + OB_SIZE) >> 2] && (op === Py_EQ || op === Py_NE)) return boolResult(op === Py_NE);
  let i = 0;
  for (; i < I32[(v + OB_SIZE) >> 2] && i < I32[(w + OB_SIZE) >> 2]; i++) {
    const vitem = PyList_GET_ITEM(v, i);
    const witem = PyList_GET_ITEM(w, i);
    if (vitem === witem) continue;
    I32[vitem >> 2]++;
    I32[witem >> 2]++;
    const k = PyObject_RichCompareBool(vitem, witem, Py_EQ);
    Py_DECREF(vitem);
    Py_DECREF(witem);
    if (k < 0) return NULL;
    if (k === 0) break;
  }
  const vl = I32[(v + OB_SIZE) >> 2], wl = I32[(w + OB_SIZE) >> 2];
  if (i >= vl || i >= wl) return richcompareInts(vl, wl, op);
  if (op === Py_EQ) return boolResult(false);
  if (op === Py_NE) return boolResult(true);
  return PyObject_RichCompare(PyList_GET_ITEM(v, i), PyList_GET_ITEM(w, i), op);
}

/** ≈ list_repr: new reference; "[...]" for a list already being repr'd. The size is re-read on
 *  every step (an item's repr may change the list). */
function list_repr(v: Ptr): Ptr {
  if (I32[(v + OB_SIZE) >> 2] === 0) return PyUnicode_FromString('[]');
  const r = Py_ReprEnter(v);
  if (r !== 0) return r > 0 ? PyUnicode_FromString('[...]') : NULL;
  let s = '[';
  for (let i = 0; i < I32[(v + OB_SIZE) >> 2]; i++) {
    if (i > 0) s += ', ';
    const ir = PyObject_Repr(PyList_GET_ITEM(v, i));
    if (ir === NULL) {
      Py_ReprLeave(v);
      return NULL;
    }
    s += unicodeToJs(ir);
    Py_DECREF(ir);
  }
  Py_ReprLeave(v);
  return PyUnicode_FromString(s + ']');
}

// ---- methods ----

/** Read an index-like argument as Py_ssize_t (≈ clinic's Py_ssize_t converter). NaN on error. */
function ssizeArg(o: Ptr): number {
  if (slotsOfObj(o).nb_index === undefined) {
    PyErr_SetString(PyExc_TypeError, `'${typeName(I32[(o + OB_TYPE) >> 2])}' object cannot be interpreted as an integer`);
    return NaN;
  }
  const v = PyNumber_AsSsize_t(o, PyExc_OverflowError);
  if (v === -1 && PyErr_Occurred() !== NULL) return NaN;
  return v;
}

/** ≈ _PyEval_SliceIndexNotNone */
function sliceIndexNotNone(o: Ptr): number {
  if (slotsOfObj(o).nb_index === undefined) {
    PyErr_SetString(PyExc_TypeError, 'slice indices must be integers or have an __index__ method');
    return NaN;
  }
  const v = PyNumber_AsSsize_t(o, NULL);
  if (v === -1 && PyErr_Occurred() !== NULL) return NaN;
  return v;
}

function argCountError(name: string, nargs: number, min: number, max: number): boolean {
  if (nargs < min) {
    PyErr_SetString(PyExc_TypeError, min === max ? `${name} expected ${min} argument${min === 1 ? '' : 's'}, got ${nargs}` : `${name} expected at least ${min} argument${min === 1 ? '' : 's'}, got ${nargs}`);
    return true;
  }
  if (nargs > max) {
    PyErr_SetString(PyExc_TypeError, min === max ? `${name} expected ${max} argument${max === 1 ? '' : 's'}, got ${nargs}` : `${name} expected at most ${max} argument${max === 1 ? '' : 's'}, got ${nargs}`);
    return true;
  }
  return false;
}

/** list.append(object) — METH_O */
function list_append(self: Ptr, object: Ptr): Ptr {
  if (PyList_Append(self, object) < 0) return NULL;
  I32[Py_None >> 2]++;
  return Py_None;
}

/** list.insert(index, object) — METH_FASTCALL */
function list_insert(self: Ptr, args: number, nargs: number): Ptr {
  if (argCountError('insert', nargs, 2, 2)) return NULL;
  const index = ssizeArg(I32[args >> 2]);
  if (index !== index) return NULL;
  if (ins1(self, index, I32[(args + 8) >> 2]) < 0) return NULL;
  I32[Py_None >> 2]++;
  return Py_None;
}

/** list.extend(iterable) — METH_O */
function list_extend_method(self: Ptr, iterable: Ptr): Ptr {
  return list_extend(self, iterable);
}

/** list.pop(index=-1) — METH_FASTCALL */
function list_pop(self: Ptr, args: number, nargs: number): Ptr {
  if (argCountError('pop', nargs, 0, 1)) return NULL;
  let index = -1;
  if (nargs === 1) {
    index = ssizeArg(I32[args >> 2]);
    if (index !== index) return NULL;
  }
  const size = I32[(self + OB_SIZE) >> 2];
  if (size === 0) {
    PyErr_SetString(PyExc_IndexError, 'pop from empty list');
    return NULL;
  }
  if (index < 0) index += size;
  if (index < 0 || index >= size) {
    PyErr_SetString(PyExc_IndexError, 'pop index out of range');
    return NULL;
  }
  const v = PyList_GET_ITEM(self, index);
  if (index === size - 1) {
    if (list_resize(self, size - 1) < 0) return NULL;
    return v; // the list's reference moves to the caller
  }
  I32[v >> 2]++;
  if (list_ass_slice(self, index, index + 1, NULL) < 0) {
    Py_DECREF(v);
    return NULL;
  }
  return v;
}

/** list.remove(value) — METH_O */
function list_remove(self: Ptr, value: Ptr): Ptr {
  for (let i = 0; i < I32[(self + OB_SIZE) >> 2]; i++) {
    const obj = PyList_GET_ITEM(self, i);
    I32[obj >> 2]++;
    const cmp = PyObject_RichCompareBool(obj, value, Py_EQ);
    Py_DECREF(obj);
    if (cmp > 0) {
      if (list_ass_slice(self, i, i + 1, NULL) === 0) {
        I32[Py_None >> 2]++;
        return Py_None;
      }
      return NULL;
    }
    if (cmp < 0) return NULL;
  }
  PyErr_SetString(PyExc_ValueError, 'list.remove(x): x not in list');
  return NULL;
}

/** list.index(value, start=0, stop=sys.maxsize) — METH_FASTCALL */
function list_index(self: Ptr, args: number, nargs: number): Ptr {
  if (argCountError('index', nargs, 1, 3)) return NULL;
  const value = I32[args >> 2];
  let start = 0, stop = PY_SSIZE_T_MAX;
  if (nargs >= 2) {
    start = sliceIndexNotNone(I32[(args + 8) >> 2]);
    if (start !== start) return NULL;
  }
  if (nargs >= 3) {
    stop = sliceIndexNotNone(I32[(args + 16) >> 2]);
    if (stop !== stop) return NULL;
  }
  const size = I32[(self + OB_SIZE) >> 2];
  if (start < 0) {
    start += size;
    if (start < 0) start = 0;
  }
  if (stop < 0) {
    stop += size;
    if (stop < 0) stop = 0;
  }
  for (let i = start; i < stop && i < I32[(self + OB_SIZE) >> 2]; i++) {
    const obj = PyList_GET_ITEM(self, i);
    I32[obj >> 2]++;
    const cmp = PyObject_RichCompareBool(obj, value, Py_EQ);
    Py_DECREF(obj);
    if (cmp > 0) return PyLong_FromSsize_t(i);
    if (cmp < 0) return NULL;
  }
  const r = PyObject_Repr(value);
  if (r === NULL) return NULL;
  const msg = `${unicodeToJs(r)} is not in list`;
  Py_DECREF(r);
  PyErr_SetString(PyExc_ValueError, msg);
  return NULL;
}

/** list.count(value) — METH_O */
function list_count(self: Ptr, value: Ptr): Ptr {
  let count = 0;
  for (let i = 0; i < I32[(self + OB_SIZE) >> 2]; i++) {
    const obj = PyList_GET_ITEM(self, i);
    if (obj === value) {
      count++;
      continue;
    }
    I32[obj >> 2]++;
    const cmp = PyObject_RichCompareBool(obj, value, Py_EQ);
    Py_DECREF(obj);
    if (cmp > 0) count++;
    else if (cmp < 0) return NULL;
  }
  return PyLong_FromSsize_t(count);
}

/** list.clear() — METH_NOARGS */
function list_clear_method(self: Ptr): Ptr {
  _list_clear(self);
  I32[Py_None >> 2]++;
  return Py_None;
}

/** list.copy() — METH_NOARGS */
function list_copy(self: Ptr): Ptr {
  return list_slice(self, 0, I32[(self + OB_SIZE) >> 2]);
}

/** reverse the 8-byte slots [lo, hi) given as word indices into I32 */
function reverse_words(lo: number, hi: number): void {
  hi -= 2;
  while (lo < hi) {
    const t = I32[lo];
    I32[lo] = I32[hi];
    I32[hi] = t;
    lo += 2;
    hi -= 2;
  }
}

/** list.reverse() — METH_NOARGS */
function list_reverse(self: Ptr): Ptr {
  const n = I32[(self + OB_SIZE) >> 2];
  if (n > 1) {
    const w = I32[(self + LIST_ITEMS) >> 2] >> 2;
    reverse_words(w, w + 2 * n);
  }
  I32[Py_None >> 2]++;
  return Py_None;
}
/** ≈ PyList_Reverse: 0 / -1 */
export function PyList_Reverse(v: Ptr): number {
  if (!PyList_Check(v)) {
    PyErr_BadInternalCall();
    return -1;
  }
  Py_DECREF(list_reverse(v));
  return 0;
}

function list_sizeof(self: Ptr): number {
  // the type's basic size: a list subclass instance is larger (≈ _PyObject_SIZE(Py_TYPE(self)))
  return I32[(I32[(self + OB_TYPE) >> 2] + TP_BASICSIZE) >> 2] + 8 * I32[(self + LIST_ALLOCATED) >> 2];
}

// ---- sort (timsort, 3.11) ----
// Keys and values are arrays of 8-byte slots addressed by BYTE address; `values` is 0 when the
// keys are the values (no key function). Run bookkeeping is kept in small typed arrays used as a
// stack (re-entrant sorts push further frames).

const MIN_GALLOP = 7;
const MERGESTATE_TEMP_SIZE = 256;
const MAX_MERGE_PENDING = 64;

// MergeState, one frame per active sort (sorts can nest through key functions and __lt__).
interface MergeState {
  minGallop: number;
  listlen: number;
  basekeys: number;
  aKeys: number; // temp storage ("a") keys
  aValues: number; // temp storage values (0 when no key function)
  alloced: number;
  temparray: number; // the on-"stack" temp array (MERGESTATE_TEMP_SIZE slots), or 0
  tempIsHeap: boolean; // aKeys is a PyMem block
  n: number;
  pendKeys: Float64Array;
  pendValues: Float64Array;
  pendLen: Float64Array;
  pendPower: Int32Array;
}
const msPool: MergeState[] = [];
let msDepth = 0;
function newMergeState(): MergeState {
  return {
    minGallop: MIN_GALLOP, listlen: 0, basekeys: 0, aKeys: 0, aValues: 0, alloced: 0, temparray: 0, tempIsHeap: false, n: 0,
    pendKeys: new Float64Array(MAX_MERGE_PENDING), pendValues: new Float64Array(MAX_MERGE_PENDING),
    pendLen: new Float64Array(MAX_MERGE_PENDING), pendPower: new Int32Array(MAX_MERGE_PENDING),
  };
}

/** ISLT: -1 error, 1 if x < y, else 0. */
function ISLT(x: Ptr, y: Ptr): number {
  return PyObject_RichCompareBool(x, y, Py_LT);
}

function key(p: number): Ptr {
  return I32[p >> 2];
}
function copySlots(dst: number, src: number, n: number): void {
  if (n > 0) I32.copyWithin(dst >> 2, src >> 2, (src >> 2) + 2 * n);
}

function binarysort(loK: number, loV: number, hi: number, start: number): number {
  if (loK === start) start += 8;
  for (; start < hi; start += 8) {
    let l = loK, r = start;
    const pivot = key(r);
    do {
      const p = l + (((r - l) >> 4) << 3);
      const k = ISLT(pivot, key(p));
      if (k < 0) return -1;
      if (k) r = p;
      else l = p + 8;
    } while (l < r);
    copySlots(l + 8, l, (start - l) >> 3);
    I32[l >> 2] = pivot;
    if (loV !== 0) {
      const off = loV - loK;
      const pv = I32[(start + off) >> 2];
      copySlots(l + off + 8, l + off, (start - l) >> 3);
      I32[(l + off) >> 2] = pv;
    }
  }
  return 0;
}

/** ≈ count_run: the length n of the run at lo, or -(n + 1) when it is strictly descending;
 *  -1 on error. */
function count_run(lo: number, hi: number): number {
  lo += 8;
  if (lo === hi) return 1;
  let n = 2;
  let k = ISLT(key(lo), key(lo - 8));
  if (k < 0) return -1;
  if (k) {
    for (lo += 8; lo < hi; lo += 8, n++) {
      k = ISLT(key(lo), key(lo - 8));
      if (k < 0) return -1;
      if (!k) break;
    }
    return -(n + 1);
  } else {
    for (lo += 8; lo < hi; lo += 8, n++) {
      k = ISLT(key(lo), key(lo - 8));
      if (k < 0) return -1;
      if (k) break;
    }
  }
  return n;
}

function gallop_left(keyv: Ptr, a: number, n: number, hint: number): number {
  let ofs = 1, lastofs = 0, k: number;
  a += 8 * hint;
  k = ISLT(key(a), keyv);
  if (k < 0) return -1;
  if (k) {
    const maxofs = n - hint;
    while (ofs < maxofs) {
      k = ISLT(key(a + 8 * ofs), keyv);
      if (k < 0) return -1;
      if (k) {
        lastofs = ofs;
        ofs = (ofs << 1) + 1;
      } else break;
    }
    if (ofs > maxofs) ofs = maxofs;
    lastofs += hint;
    ofs += hint;
  } else {
    const maxofs = hint + 1;
    while (ofs < maxofs) {
      k = ISLT(key(a - 8 * ofs), keyv);
      if (k < 0) return -1;
      if (k) break;
      lastofs = ofs;
      ofs = (ofs << 1) + 1;
    }
    if (ofs > maxofs) ofs = maxofs;
    const t = lastofs;
    lastofs = hint - ofs;
    ofs = hint - t;
  }
  a -= 8 * hint;
  ++lastofs;
  while (lastofs < ofs) {
    const m = lastofs + ((ofs - lastofs) >> 1);
    k = ISLT(key(a + 8 * m), keyv);
    if (k < 0) return -1;
    if (k) lastofs = m + 1;
    else ofs = m;
  }
  return ofs;
}

function gallop_right(keyv: Ptr, a: number, n: number, hint: number): number {
  let ofs = 1, lastofs = 0, k: number;
  a += 8 * hint;
  k = ISLT(keyv, key(a));
  if (k < 0) return -1;
  if (k) {
    const maxofs = hint + 1;
    while (ofs < maxofs) {
      k = ISLT(keyv, key(a - 8 * ofs));
      if (k < 0) return -1;
      if (k) {
        lastofs = ofs;
        ofs = (ofs << 1) + 1;
      } else break;
    }
    if (ofs > maxofs) ofs = maxofs;
    const t = lastofs;
    lastofs = hint - ofs;
    ofs = hint - t;
  } else {
    const maxofs = n - hint;
    while (ofs < maxofs) {
      k = ISLT(keyv, key(a + 8 * ofs));
      if (k < 0) return -1;
      if (k) break;
      lastofs = ofs;
      ofs = (ofs << 1) + 1;
    }
    if (ofs > maxofs) ofs = maxofs;
    lastofs += hint;
    ofs += hint;
  }
  a -= 8 * hint;
  ++lastofs;
  while (lastofs < ofs) {
    const m = lastofs + ((ofs - lastofs) >> 1);
    k = ISLT(keyv, key(a + 8 * m));
    if (k < 0) return -1;
    if (k) ofs = m;
    else lastofs = m + 1;
  }
  return ofs;
}

function merge_init(ms: MergeState, listSize: number, hasKeyfunc: boolean, loKeys: number): number {
  if (ms.temparray === 0) {
    ms.temparray = cstackPush(MERGESTATE_TEMP_SIZE * 8);
    if (ms.temparray === NULL) {
      ms.temparray = PyMem_Malloc(MERGESTATE_TEMP_SIZE * 8);
      if (ms.temparray === NULL) {
        PyErr_NoMemory();
        return -1;
      }
      ms.tempIsHeap = true;
    } else ms.tempIsHeap = false;
  }
  if (hasKeyfunc) {
    ms.alloced = (listSize + 1) >> 1;
    if (MERGESTATE_TEMP_SIZE / 2 < ms.alloced) ms.alloced = MERGESTATE_TEMP_SIZE / 2;
    ms.aValues = ms.temparray + 8 * ms.alloced;
  } else {
    ms.alloced = MERGESTATE_TEMP_SIZE;
    ms.aValues = 0;
  }
  ms.aKeys = ms.temparray;
  ms.n = 0;
  ms.minGallop = MIN_GALLOP;
  ms.listlen = listSize;
  ms.basekeys = loKeys;
  return 0;
}

function merge_freemem(ms: MergeState): void {
  if (ms.aKeys !== ms.temparray) {
    PyMem_Free(ms.aKeys);
    ms.aKeys = 0;
  }
}

function merge_getmem(ms: MergeState, need: number): number {
  if (need <= ms.alloced) return 0;
  const multiplier = ms.aValues !== 0 ? 2 : 1;
  merge_freemem(ms);
  if (need > MAX_ITEMS) {
    PyErr_NoMemory();
    return -1;
  }
  ms.aKeys = PyMem_Malloc(multiplier * need * 8);
  if (ms.aKeys !== NULL) {
    ms.alloced = need;
    if (ms.aValues !== 0) ms.aValues = ms.aKeys + 8 * need;
    return 0;
  }
  PyErr_NoMemory();
  return -1;
}

function merge_lo(ms: MergeState, ssaK: number, ssaV: number, na: number, ssbK: number, ssbV: number, nb: number): number {
  let k: number;
  if (merge_getmem(ms, na) < 0) return -1;
  copySlots(ms.aKeys, ssaK, na);
  if (ssaV !== 0) copySlots(ms.aValues, ssaV, na);
  let destK = ssaK, destV = ssaV;
  ssaK = ms.aKeys;
  ssaV = ms.aValues;
  // copy_incr(dest, ssb)
  I32[destK >> 2] = key(ssbK); destK += 8; ssbK += 8;
  if (destV !== 0) { I32[destV >> 2] = I32[ssbV >> 2]; destV += 8; ssbV += 8; }
  --nb;
  let result = -1;
  let minGallop = ms.minGallop;
  outer: {
    if (nb === 0) { result = 0; break outer; }
    if (na === 1) {
      // CopyB
      copySlots(destK, ssbK, nb);
      I32[(destK + 8 * nb) >> 2] = key(ssaK);
      if (destV !== 0) {
        copySlots(destV, ssbV, nb);
        I32[(destV + 8 * nb) >> 2] = I32[ssaV >> 2];
      }
      return 0;
    }
    for (;;) {
      let acount = 0, bcount = 0;
      for (;;) {
        k = ISLT(key(ssbK), key(ssaK));
        if (k) {
          if (k < 0) break outer;
          I32[destK >> 2] = key(ssbK); destK += 8; ssbK += 8;
          if (destV !== 0) { I32[destV >> 2] = I32[ssbV >> 2]; destV += 8; ssbV += 8; }
          ++bcount;
          acount = 0;
          --nb;
          if (nb === 0) { result = 0; break outer; }
          if (bcount >= minGallop) break;
        } else {
          I32[destK >> 2] = key(ssaK); destK += 8; ssaK += 8;
          if (destV !== 0) { I32[destV >> 2] = I32[ssaV >> 2]; destV += 8; ssaV += 8; }
          ++acount;
          bcount = 0;
          --na;
          if (na === 1) {
            copySlots(destK, ssbK, nb);
            I32[(destK + 8 * nb) >> 2] = key(ssaK);
            if (destV !== 0) {
              copySlots(destV, ssbV, nb);
              I32[(destV + 8 * nb) >> 2] = I32[ssaV >> 2];
            }
            return 0;
          }
          if (acount >= minGallop) break;
        }
      }
      ++minGallop;
      do {
        minGallop -= minGallop > 1 ? 1 : 0;
        ms.minGallop = minGallop;
        k = gallop_right(key(ssbK), ssaK, na, 0);
        acount = k;
        if (k) {
          if (k < 0) break outer;
          copySlots(destK, ssaK, k);
          if (destV !== 0) copySlots(destV, ssaV, k);
          destK += 8 * k; ssaK += 8 * k;
          if (destV !== 0) { destV += 8 * k; ssaV += 8 * k; }
          na -= k;
          if (na === 1) {
            copySlots(destK, ssbK, nb);
            I32[(destK + 8 * nb) >> 2] = key(ssaK);
            if (destV !== 0) {
              copySlots(destV, ssbV, nb);
              I32[(destV + 8 * nb) >> 2] = I32[ssaV >> 2];
            }
            return 0;
          }
          if (na === 0) { result = 0; break outer; }
        }
        I32[destK >> 2] = key(ssbK); destK += 8; ssbK += 8;
        if (destV !== 0) { I32[destV >> 2] = I32[ssbV >> 2]; destV += 8; ssbV += 8; }
        --nb;
        if (nb === 0) { result = 0; break outer; }
        k = gallop_left(key(ssaK), ssbK, nb, 0);
        bcount = k;
        if (k) {
          if (k < 0) break outer;
          copySlots(destK, ssbK, k);
          if (destV !== 0) copySlots(destV, ssbV, k);
          destK += 8 * k; ssbK += 8 * k;
          if (destV !== 0) { destV += 8 * k; ssbV += 8 * k; }
          nb -= k;
          if (nb === 0) { result = 0; break outer; }
        }
        I32[destK >> 2] = key(ssaK); destK += 8; ssaK += 8;
        if (destV !== 0) { I32[destV >> 2] = I32[ssaV >> 2]; destV += 8; ssaV += 8; }
        --na;
        if (na === 1) {
          copySlots(destK, ssbK, nb);
          I32[(destK + 8 * nb) >> 2] = key(ssaK);
          if (destV !== 0) {
            copySlots(destV, ssbV, nb);
            I32[(destV + 8 * nb) >> 2] = I32[ssaV >> 2];
          }
          return 0;
        }
      } while (acount >= MIN_GALLOP || bcount >= MIN_GALLOP);
      ++minGallop;
      ms.minGallop = minGallop;
    }
  }
  // Succeed / Fail: put back what remains of a
  if (na) {
    copySlots(destK, ssaK, na);
    if (destV !== 0) copySlots(destV, ssaV, na);
  }
  return result;
}

function merge_hi(ms: MergeState, ssaK: number, ssaV: number, na: number, ssbK: number, ssbV: number, nb: number): number {
  let k: number;
  if (merge_getmem(ms, nb) < 0) return -1;
  let destK = ssbK + 8 * (nb - 1), destV = ssbV !== 0 ? ssbV + 8 * (nb - 1) : 0;
  copySlots(ms.aKeys, ssbK, nb);
  if (ssbV !== 0) copySlots(ms.aValues, ssbV, nb);
  const baseaK = ssaK;
  const basebK = ms.aKeys;
  ssbK = ms.aKeys + 8 * (nb - 1);
  if (ssbV !== 0) ssbV = ms.aValues + 8 * (nb - 1);
  const basebV = ms.aValues;
  ssaK += 8 * (na - 1);
  if (ssaV !== 0) ssaV += 8 * (na - 1);
  // copy_decr(dest, ssa)
  I32[destK >> 2] = key(ssaK); destK -= 8; ssaK -= 8;
  if (destV !== 0) { I32[destV >> 2] = I32[ssaV >> 2]; destV -= 8; ssaV -= 8; }
  --na;
  let result = -1;
  let minGallop = ms.minGallop;
  const copyA = (): number => {
    // nb == 1: the first element of b belongs at the front of the merge
    copySlots(destK + 8 * (1 - na), ssaK + 8 * (1 - na), na);
    destK -= 8 * na; ssaK -= 8 * na;
    I32[destK >> 2] = key(ssbK);
    if (destV !== 0) {
      copySlots(destV + 8 * (1 - na), ssaV + 8 * (1 - na), na);
      destV -= 8 * na; ssaV -= 8 * na;
      I32[destV >> 2] = I32[ssbV >> 2];
    }
    return 0;
  };
  outer: {
    if (na === 0) { result = 0; break outer; }
    if (nb === 1) return copyA();
    for (;;) {
      let acount = 0, bcount = 0;
      for (;;) {
        k = ISLT(key(ssbK), key(ssaK));
        if (k) {
          if (k < 0) break outer;
          I32[destK >> 2] = key(ssaK); destK -= 8; ssaK -= 8;
          if (destV !== 0) { I32[destV >> 2] = I32[ssaV >> 2]; destV -= 8; ssaV -= 8; }
          ++acount;
          bcount = 0;
          --na;
          if (na === 0) { result = 0; break outer; }
          if (acount >= minGallop) break;
        } else {
          I32[destK >> 2] = key(ssbK); destK -= 8; ssbK -= 8;
          if (destV !== 0) { I32[destV >> 2] = I32[ssbV >> 2]; destV -= 8; ssbV -= 8; }
          ++bcount;
          acount = 0;
          --nb;
          if (nb === 1) return copyA();
          if (bcount >= minGallop) break;
        }
      }
      ++minGallop;
      do {
        minGallop -= minGallop > 1 ? 1 : 0;
        ms.minGallop = minGallop;
        k = gallop_right(key(ssbK), baseaK, na, na - 1);
        if (k < 0) break outer;
        k = na - k;
        acount = k;
        if (k) {
          destK -= 8 * k; ssaK -= 8 * k;
          copySlots(destK + 8, ssaK + 8, k);
          if (destV !== 0) {
            destV -= 8 * k; ssaV -= 8 * k;
            copySlots(destV + 8, ssaV + 8, k);
          }
          na -= k;
          if (na === 0) { result = 0; break outer; }
        }
        I32[destK >> 2] = key(ssbK); destK -= 8; ssbK -= 8;
        if (destV !== 0) { I32[destV >> 2] = I32[ssbV >> 2]; destV -= 8; ssbV -= 8; }
        --nb;
        if (nb === 1) return copyA();
        k = gallop_left(key(ssaK), basebK, nb, nb - 1);
        if (k < 0) break outer;
        k = nb - k;
        bcount = k;
        if (k) {
          destK -= 8 * k; ssbK -= 8 * k;
          copySlots(destK + 8, ssbK + 8, k);
          if (destV !== 0) {
            destV -= 8 * k; ssbV -= 8 * k;
            copySlots(destV + 8, ssbV + 8, k);
          }
          nb -= k;
          if (nb === 1) return copyA();
          if (nb === 0) { result = 0; break outer; }
        }
        I32[destK >> 2] = key(ssaK); destK -= 8; ssaK -= 8;
        if (destV !== 0) { I32[destV >> 2] = I32[ssaV >> 2]; destV -= 8; ssaV -= 8; }
        --na;
        if (na === 0) { result = 0; break outer; }
      } while (acount >= MIN_GALLOP || bcount >= MIN_GALLOP);
      ++minGallop;
      ms.minGallop = minGallop;
    }
  }
  if (nb) {
    copySlots(destK - 8 * (nb - 1), basebK, nb);
    if (destV !== 0) copySlots(destV - 8 * (nb - 1), basebV, nb);
  }
  return result;
}

function merge_at(ms: MergeState, i: number): number {
  let ssaK = ms.pendKeys[i], ssaV = ms.pendValues[i];
  let na = ms.pendLen[i];
  const ssbK = ms.pendKeys[i + 1], ssbV = ms.pendValues[i + 1];
  let nb = ms.pendLen[i + 1];
  ms.pendLen[i] = na + nb;
  if (i === ms.n - 3) {
    ms.pendKeys[i + 1] = ms.pendKeys[i + 2];
    ms.pendValues[i + 1] = ms.pendValues[i + 2];
    ms.pendLen[i + 1] = ms.pendLen[i + 2];
    ms.pendPower[i + 1] = ms.pendPower[i + 2];
  }
  --ms.n;
  const k = gallop_right(key(ssbK), ssaK, na, 0);
  if (k < 0) return -1;
  ssaK += 8 * k;
  if (ssaV !== 0) ssaV += 8 * k;
  na -= k;
  if (na === 0) return 0;
  nb = gallop_left(key(ssaK + 8 * (na - 1)), ssbK, nb, nb - 1);
  if (nb <= 0) return nb;
  if (na <= nb) return merge_lo(ms, ssaK, ssaV, na, ssbK, ssbV, nb);
  return merge_hi(ms, ssaK, ssaV, na, ssbK, ssbV, nb);
}

function powerloop(s1: number, n1: number, n2: number, n: number): number {
  let result = 0;
  let a = 2 * s1 + n1;
  let b = a + n1 + n2;
  for (;;) {
    ++result;
    if (a >= n) {
      a -= n;
      b -= n;
    } else if (b >= n) {
      break;
    }
    a *= 2;
    b *= 2;
  }
  return result;
}

function found_new_run(ms: MergeState, n2: number): number {
  if (ms.n) {
    const s1 = (ms.pendKeys[ms.n - 1] - ms.basekeys) / 8;
    const n1 = ms.pendLen[ms.n - 1];
    const power = powerloop(s1, n1, n2, ms.listlen);
    while (ms.n > 1 && ms.pendPower[ms.n - 2] > power) {
      if (merge_at(ms, ms.n - 2) < 0) return -1;
    }
    ms.pendPower[ms.n - 1] = power;
  }
  return 0;
}

function merge_force_collapse(ms: MergeState): number {
  while (ms.n > 1) {
    let n = ms.n - 2;
    if (n > 0 && ms.pendLen[n - 1] < ms.pendLen[n + 1]) --n;
    if (merge_at(ms, n) < 0) return -1;
  }
  return 0;
}

function merge_compute_minrun(n: number): number {
  let r = 0;
  while (n >= 64) {
    r |= n & 1;
    n >>= 1;
  }
  return n + r;
}

/** ≈ list_sort_impl: sort in place (keyfunc NULL/None = no key). Returns None or NULL. */
export function list_sort_impl(self: Ptr, keyfunc: Ptr, reverse: boolean): Ptr {
  if (keyfunc === Py_None) keyfunc = NULL;
  const savedObSize = I32[(self + OB_SIZE) >> 2];
  const savedObItem = I32[(self + LIST_ITEMS) >> 2];
  const savedAllocated = I32[(self + LIST_ALLOCATED) >> 2];
  setSize(self, 0);
  setItems(self, NULL);
  setAllocated(self, -1);

  const ms = msPool[msDepth] ?? (msPool[msDepth] = newMergeState());
  msDepth++;
  ms.temparray = 0;
  ms.aKeys = 0;
  let result: Ptr = NULL;
  let keys: number = NULL;
  let keysOnStack = false;
  let loK: number, loV: number;
  let keyfuncFailed = false;
  sort: {
    if (keyfunc === NULL) {
      loK = savedObItem;
      loV = 0;
    } else {
      if (savedObSize < MERGESTATE_TEMP_SIZE / 2) {
        keys = cstackPush(8 * (savedObSize + 1));
        keysOnStack = keys !== NULL;
      }
      if (!keysOnStack) {
        keys = PyMem_Malloc(8 * Math.max(savedObSize, 1));
        if (keys === NULL) {
          PyErr_NoMemory();
          keyfuncFailed = true;
          break sort;
        }
      }
      for (let i = 0; i < savedObSize; i++) {
        const kv = PyObject_CallOneArg(keyfunc, I32[(savedObItem + 8 * i) >> 2]);
        if (kv === NULL) {
          for (let j = i - 1; j >= 0; j--) Py_DECREF(I32[(keys + 8 * j) >> 2]);
          if (keysOnStack) cstackPop(keys);
          else PyMem_Free(keys);
          keys = NULL;
          keyfuncFailed = true;
          break sort;
        }
        I32[(keys + 8 * i) >> 2] = kv;
        I32[(keys + 8 * i + 4) >> 2] = 0;
      }
      loK = keys;
      loV = savedObItem;
    }
    if (merge_init(ms, savedObSize, keys !== NULL, loK) < 0) break sort;
    let nremaining = savedObSize;
    if (nremaining >= 2) {
      if (reverse) {
        if (keys !== NULL) reverse_words(keys >> 2, (keys >> 2) + 2 * savedObSize);
        reverse_words(savedObItem >> 2, (savedObItem >> 2) + 2 * savedObSize);
      }
      const minrun = merge_compute_minrun(nremaining);
      let failed = false;
      do {
        let n = count_run(loK, loK + 8 * nremaining);
        if (n === -1) { failed = true; break; }
        if (n < 0) {
          n = -n - 1;
          reverse_words(loK >> 2, (loK >> 2) + 2 * n);
          if (loV !== 0) reverse_words(loV >> 2, (loV >> 2) + 2 * n);
        }
        if (n < minrun) {
          const force = nremaining <= minrun ? nremaining : minrun;
          if (binarysort(loK, loV, loK + 8 * force, loK + 8 * n) < 0) { failed = true; break; }
          n = force;
        }
        if (found_new_run(ms, n) < 0) { failed = true; break; }
        ms.pendKeys[ms.n] = loK;
        ms.pendValues[ms.n] = loV;
        ms.pendLen[ms.n] = n;
        ++ms.n;
        loK += 8 * n;
        if (loV !== 0) loV += 8 * n;
        nremaining -= n;
      } while (nremaining);
      if (!failed && merge_force_collapse(ms) < 0) failed = true;
      if (!failed) result = Py_None;
    } else {
      result = Py_None;
    }
  }
  if (!keyfuncFailed) {
    if (keys !== NULL) {
      for (let i = 0; i < savedObSize; i++) Py_DECREF(I32[(keys + 8 * i) >> 2]);
    }
    if (I32[(self + LIST_ALLOCATED) >> 2] !== -1 && result !== NULL) {
      PyErr_SetString(PyExc_ValueError, 'list modified during sort');
      result = NULL;
    }
    if (reverse && savedObSize > 1) reverse_words(savedObItem >> 2, (savedObItem >> 2) + 2 * savedObSize);
    if (ms.aKeys !== 0) merge_freemem(ms);
  }
  // release the temporaries in reverse order of their reservation (LIFO on the cstack)
  if (ms.temparray !== 0) {
    if (ms.tempIsHeap) PyMem_Free(ms.temparray);
    else cstackPop(ms.temparray);
    ms.temparray = 0;
  }
  if (keys !== NULL) {
    if (keysOnStack) cstackPop(keys);
    else PyMem_Free(keys);
  }
  msDepth--;
  // keyfunc_fail: restore the list; drop whatever was put in it during the sort
  const finalObItem = I32[(self + LIST_ITEMS) >> 2];
  let i = I32[(self + OB_SIZE) >> 2];
  setSize(self, savedObSize);
  setItems(self, savedObItem);
  setAllocated(self, savedAllocated);
  if (finalObItem !== NULL) {
    while (--i >= 0) Py_XDECREF(I32[(finalObItem + 8 * i) >> 2]);
    PyMem_Free(finalObItem);
  }
  if (result !== NULL) I32[result >> 2]++;
  return result;
}

/** list.sort(*, key=None, reverse=False) — METH_FASTCALL | METH_KEYWORDS */
function list_sort(self: Ptr, args: number, nargs: number, kwnames: Ptr): Ptr {
  if (nargs > 0) {
    PyErr_SetString(PyExc_TypeError, 'sort() takes no positional arguments');
    return NULL;
  }
  let keyfunc: Ptr = NULL;
  let reverse = false;
  const nkw = kwnames === NULL ? 0 : I32[(kwnames + OB_SIZE) >> 2];
  for (let i = 0; i < nkw; i++) {
    const name = I32[(kwnames + TUPLE_ITEMS + 8 * i) >> 2];
    const val = I32[(args + 8 * (nargs + i)) >> 2];
    if (unicodeEqualsJs(name, 'key')) keyfunc = val;
    else if (unicodeEqualsJs(name, 'reverse')) {
      const r = ssizeArg(val); // ≈ _PyLong_AsInt
      if (r !== r) return NULL;
      reverse = r !== 0;
    } else {
      PyErr_SetString(PyExc_TypeError, `'${unicodeToJs(name)}' is an invalid keyword argument for sort()`);
      return NULL;
    }
  }
  return list_sort_impl(self, keyfunc, reverse);
}

/** ≈ PyList_Sort: 0 / -1 */
export function PyList_Sort(v: Ptr): number {
  if (!PyList_Check(v)) {
    PyErr_BadInternalCall();
    return -1;
  }
  const r = list_sort_impl(v, NULL, false);
  if (r === NULL) return -1;
  Py_DECREF(r);
  return 0;
}

// ---- construction ----

/** ≈ list___init___impl: clear, pre-size exactly from len(iterable) when it has one, extend. */
function list___init___impl(self: Ptr, iterable: Ptr): number {
  if (I32[(self + LIST_ITEMS) >> 2] !== NULL) _list_clear(self);
  if (iterable !== NULL) {
    const s = slotsOfObj(iterable);
    if (s.sq_length !== undefined || s.mp_length !== undefined) {
      const iterLen = PyObject_Size(iterable);
      if (iterLen === -1) {
        if (!PyErr_ExceptionMatches(PyExc_TypeError)) return -1;
        PyErr_Clear();
      }
      if (iterLen > 0 && I32[(self + LIST_ITEMS) >> 2] === NULL && list_preallocate_exact(self, iterLen) < 0) return -1;
    }
    const rv = list_extend(self, iterable);
    if (rv === NULL) return -1;
    Py_DECREF(rv);
  }
  return 0;
}

/** ≈ list_vectorcall: list() / list(iterable) called on the type. */
function list_vectorcall(type: Ptr, args: number, nargs: number, kwnames: Ptr): Ptr {
  if (kwnames !== NULL && I32[(kwnames + OB_SIZE) >> 2] !== 0) {
    PyErr_SetString(PyExc_TypeError, 'list() takes no keyword arguments');
    return NULL;
  }
  if (nargs > 1) {
    PyErr_SetString(PyExc_TypeError, `list expected at most 1 argument, got ${nargs}`);
    return NULL;
  }
  const list = PyType_GenericAlloc(type, 0);
  if (list === NULL) return PyErr_NoMemory();
  if (nargs === 1 && list___init___impl(list, I32[args >> 2]) < 0) {
    Py_DECREF(list);
    return NULL;
  }
  return list;
}

/** tp_new (≈ PyType_GenericNew) */
function list_new(type: Ptr, _args: Ptr, _kwds: Ptr): Ptr {
  const o = PyType_GenericAlloc(type, 0);
  return o === NULL ? PyErr_NoMemory() : o;
}

/** tp_init (≈ list___init__): args tuple, kwds dict or NULL. */
function list_init(self: Ptr, args: Ptr, kwds: Ptr): number {
  if (I32[(self + OB_TYPE) >> 2] === PyList_Type && kwds !== NULL && I32[(kwds + 16) >> 2] !== 0) {
    PyErr_SetString(PyExc_TypeError, 'list() takes no keyword arguments');
    return -1;
  }
  const nargs = I32[(args + OB_SIZE) >> 2];
  if (nargs > 1) {
    PyErr_SetString(PyExc_TypeError, `list expected at most 1 argument, got ${nargs}`);
    return -1;
  }
  return list___init___impl(self, nargs === 1 ? I32[(args + TUPLE_ITEMS) >> 2] : NULL);
}

// ---- iterators ----

function listiter_new(type: Ptr, seq: Ptr, index: number): Ptr {
  const it = PyObject_GC_New(type);
  if (it === NULL) return PyErr_NoMemory();
  I32[(it + LISTITER_INDEX) >> 2] = index;
  I32[(it + LISTITER_INDEX + 4) >> 2] = index < 0 ? -1 : 0;
  I32[seq >> 2]++;
  I32[(it + LISTITER_SEQ) >> 2] = seq;
  I32[(it + LISTITER_SEQ + 4) >> 2] = 0;
  PyObject_GC_Track(it);
  return it;
}

/** ≈ list_iter (tp_iter): new list iterator. */
function list_iter(seq: Ptr): Ptr {
  return listiter_new(PyListIter_Type, seq, 0);
}

function listiter_dealloc(it: Ptr): void {
  PyObject_GC_UnTrack(it);
  Py_XDECREF(I32[(it + LISTITER_SEQ) >> 2]);
  PyObject_GC_Del(it);
}
function listiter_traverse(it: Ptr, visit: visitproc, arg: number): number {
  const seq = I32[(it + LISTITER_SEQ) >> 2];
  return seq !== NULL ? visit(seq, arg) : 0;
}

/** ≈ listiter_next: new reference or NULL (exhausted, no exception). */
function listiter_next(it: Ptr): Ptr {
  const seq = I32[(it + LISTITER_SEQ) >> 2];
  if (seq === NULL) return NULL;
  const i = I32[(it + LISTITER_INDEX) >> 2];
  if (i < I32[(seq + OB_SIZE) >> 2]) {
    const item = I32[(I32[(seq + LIST_ITEMS) >> 2] + 8 * i) >> 2];
    I32[(it + LISTITER_INDEX) >> 2] = i + 1;
    I32[item >> 2]++;
    return item;
  }
  I32[(it + LISTITER_SEQ) >> 2] = 0;
  Py_DECREF(seq);
  return NULL;
}

function listiter_len(it: Ptr): Ptr {
  const seq = I32[(it + LISTITER_SEQ) >> 2];
  if (seq !== NULL) {
    const len = I32[(seq + OB_SIZE) >> 2] - I32[(it + LISTITER_INDEX) >> 2];
    if (len >= 0) return PyLong_FromSsize_t(len);
  }
  return PyLong_FromSsize_t(0);
}

/** list.__reversed__() — a new reversed iterator. */
function list___reversed__(self: Ptr): Ptr {
  return listiter_new(PyListRevIter_Type, self, I32[(self + OB_SIZE) >> 2] - 1);
}

/** ≈ listreviter_next */
function listreviter_next(it: Ptr): Ptr {
  const index = I32[(it + LISTITER_INDEX) >> 2];
  const seq = I32[(it + LISTITER_SEQ) >> 2];
  if (index >= 0 && index < I32[(seq + OB_SIZE) >> 2]) {
    const item = I32[(I32[(seq + LIST_ITEMS) >> 2] + 8 * index) >> 2];
    I32[(it + LISTITER_INDEX) >> 2] = index - 1;
    I32[(it + LISTITER_INDEX + 4) >> 2] = index - 1 < 0 ? -1 : 0;
    I32[item >> 2]++;
    return item;
  }
  I32[(it + LISTITER_INDEX) >> 2] = -1;
  I32[(it + LISTITER_INDEX + 4) >> 2] = -1;
  I32[(it + LISTITER_SEQ) >> 2] = 0;
  Py_XDECREF(seq);
  return NULL;
}

function listreviter_len(it: Ptr): Ptr {
  let len = I32[(it + LISTITER_INDEX) >> 2] + 1;
  const seq = I32[(it + LISTITER_SEQ) >> 2];
  if (seq === NULL || I32[(seq + OB_SIZE) >> 2] < len) len = 0;
  return PyLong_FromSsize_t(len);
}

// ---- the types ----

export const PyList_Type: Ptr = newStaticType({
  name: 'list',
  basicsize: LIST_BASICSIZE,
  flags: Py_TPFLAGS_HAVE_GC | Py_TPFLAGS_BASETYPE | Py_TPFLAGS_LIST_SUBCLASS | Py_TPFLAGS_SEQUENCE,
  slots: {
    tp_dealloc: list_dealloc,
    tp_repr: list_repr,
    tp_hash: PyObject_HashNotImplemented,
    tp_richcompare: list_richcompare,
    tp_iter: list_iter,
    tp_traverse: list_traverse,
    tp_clear: _list_clear,
    tp_new: list_new,
    tp_init: list_init,
    tp_vectorcall: list_vectorcall,
    tp_free: PyObject_GC_Del,
    sq_length: list_length,
    sq_concat: list_concat,
    sq_repeat: list_repeat,
    sq_item: list_item,
    sq_ass_item: list_ass_item,
    sq_contains: list_contains,
    sq_inplace_concat: list_inplace_concat,
    sq_inplace_repeat: list_inplace_repeat,
    mp_length: list_length,
    mp_subscript: list_subscript,
    mp_ass_subscript: list_ass_subscript,
    tp_sizeof: list_sizeof,
    methods: [
      { name: '__reversed__', flags: METH_NOARGS, fn: list___reversed__, doc: 'Return a reverse iterator over the list.' },
      { name: 'clear', flags: METH_NOARGS, fn: list_clear_method, doc: 'Remove all items from list.' },
      { name: 'copy', flags: METH_NOARGS, fn: list_copy, doc: 'Return a shallow copy of the list.' },
      { name: 'append', flags: METH_O, fn: list_append, doc: 'Append object to the end of the list.' },
      { name: 'insert', flags: METH_FASTCALL, fn: list_insert, doc: 'Insert object before index.' },
      { name: 'extend', flags: METH_O, fn: list_extend_method, doc: 'Extend list by appending elements from the iterable.' },
      { name: 'pop', flags: METH_FASTCALL, fn: list_pop, doc: 'Remove and return item at index (default last).\n\nRaises IndexError if list is empty or index is out of range.' },
      { name: 'remove', flags: METH_O, fn: list_remove, doc: 'Remove first occurrence of value.\n\nRaises ValueError if the value is not present.' },
      { name: 'index', flags: METH_FASTCALL, fn: list_index, doc: 'Return first index of value.\n\nRaises ValueError if the value is not present.' },
      { name: 'count', flags: METH_O, fn: list_count, doc: 'Return number of occurrences of value.' },
      { name: 'reverse', flags: METH_NOARGS, fn: list_reverse, doc: 'Reverse *IN PLACE*.' },
      { name: 'sort', flags: METH_FASTCALL | METH_KEYWORDS, fn: list_sort, doc: 'Sort the list in ascending order and return None.' },
    ],
    doc: 'Built-in mutable sequence.\n\nIf no argument is given, the constructor creates a new empty list.\nThe argument must be an iterable if specified.',
  },
});

export const PyListIter_Type: Ptr = newStaticType({
  name: 'list_iterator',
  basicsize: LISTITER_BASICSIZE,
  flags: Py_TPFLAGS_HAVE_GC,
  slots: {
    tp_dealloc: listiter_dealloc,
    tp_traverse: listiter_traverse,
    tp_iter: PyObject_SelfIter,
    tp_iternext: listiter_next,
    tp_free: PyObject_GC_Del,
    methods: [{ name: '__length_hint__', flags: METH_NOARGS, fn: listiter_len, doc: 'Private method returning an estimate of len(list(it)).' }],
  },
});

export const PyListRevIter_Type: Ptr = newStaticType({
  name: 'list_reverseiterator',
  basicsize: LISTITER_BASICSIZE,
  flags: Py_TPFLAGS_HAVE_GC,
  slots: {
    tp_dealloc: listiter_dealloc,
    tp_traverse: listiter_traverse,
    tp_iter: PyObject_SelfIter,
    tp_iternext: listreviter_next,
    tp_free: PyObject_GC_Del,
    methods: [{ name: '__length_hint__', flags: METH_NOARGS, fn: listreviter_len, doc: 'Private method returning an estimate of len(list(it)).' }],
  },
});

