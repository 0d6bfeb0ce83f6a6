// tuple and its iterator (≈ Objects/tupleobject.c, CPython 3.11).
//
// Layout (PyTupleObject, a GC var-object: getsizeof = 16 GC + 24 + 8·n = 40 + 8n):
//
//        -16  [ _gc_next  ]   PyGC_Head
//         -8  [ _gc_prev  ]
//   t ->   0  [ ob_refcnt ]
//          8  [ ob_type   ]
//         16  [ ob_size   ]   number of items n
//         24  [ ob_item[0]]   n 8-byte item pointers (owned references)
//         ..  [ ...       ]
//
// The algorithm, as 3.11:
//  - `()` is a static singleton (STATIC_REFCNT, never tracked, never freed). PyTuple_New(0) and
//    every operation whose result is empty return it.
//  - tuple_alloc(n) takes a tuple of exactly length n from free list n-1 (n = 1..20, LIFO, at
//    most 2000 each), else allocates a GC var-object. Free-list hits do not touch the gen0 count.
//    The free lists are singly linked through ob_item[0]; ob_type and ob_size stay set.
//  - A tuple is tracked as soon as it is built (PyTuple_New tracks with NULL items).
//  - Dealloc: untrack, trashcan, DECREF items LAST TO FIRST, then push on the free list of its
//    length (exact tuples of length 1..20 while the list has room) or free it.
//  - hash: xxHash-64-like lanes (§10), computed in 32-bit halves (no BigInt).
//  - compare: first index where items differ by ==, then compare those items (or the lengths).
//
// Tuple iterator (_PyTupleIterObject, GC: getsizeof 16 + 32 = 48):
//   0 ob_refcnt · 8 ob_type · 16 it_index · 24 it_seq (NULL once exhausted)

import { type Ptr, NULL, I32 as heapI32, staticAlloc } from '../mem/heap.js';
import { PyObject_Realloc } from '../mem/pymem.js';
import {
  OB_TYPE, OB_SIZE, PyGC_HEAD_SIZE, STATIC_REFCNT, HASH_HI, Py_DECREF, Py_XDECREF,
  trashcanBegin, trashcanEnd, Py_ReprEnter, Py_ReprLeave, _Py_Dealloc,
} from '../object.js';
import {
  newStaticType, typeName, slotsOfObj, PyType_IsSubtype, Py_TPFLAGS_BASETYPE, Py_TPFLAGS_HAVE_GC,
  Py_TPFLAGS_TUPLE_SUBCLASS, Py_TPFLAGS_SEQUENCE, Py_TPFLAGS_LIST_SUBCLASS, Py_EQ, Py_NE, Py_LT, Py_LE, Py_GT, Py_GE,
  METH_NOARGS, METH_O, METH_FASTCALL, type visitproc, TP_FLAGS, TP_BASICSIZE,
} from '../typeobject.js';
import {
  PyObject_GC_NewVar, PyObject_GC_New, PyObject_GC_Del, PyObject_GC_Track, PyObject_GC_UnTrack,
  _PyObject_GC_IS_TRACKED, PyType_GenericAlloc,
} from '../gc.js';
import { PyErr_SetString, PyErr_NoMemory, PyErr_Occurred } from '../errors.js';
import { PyExc_IndexError, PyExc_TypeError, PyExc_ValueError, PyExc_SystemError } from './exceptions.js';
import {
  PyObject_Hash, PyObject_RichCompare, PyObject_RichCompareBool, PyObject_Repr, PyObject_GetIter,
  PyIter_Next, PyNumber_AsSsize_t, PyObject_LengthHint,
} from '../abstract.js';
import { PyLong_FromSsize_t } from './longobject.js';
import { Py_True, Py_False } from './boolobject.js';
import { Py_NotImplemented } from './noneobject.js';
import { PyUnicode_FromString, unicodeToJs } from './unicodeobject.js';
import { PySlice_Type, PySlice_Unpack, PySlice_AdjustIndices, SLICE_RESULT } from './sliceobject.js';
import { PyList_AsTuple } from './listobject.js';


// The heap views as file-local constants: V8 reads an imported binding through its module
// cell on every use (measured ~2x slower in hot loops than a local const).
const I32 = heapI32;
// ---- layout ----
export const TUPLE_ITEMS = 24;
export const TUPLE_BASICSIZE = 24;
export const TUPLE_ITEMSIZE = 8;
export const TUPLEITER_INDEX = 16;
export const TUPLEITER_SEQ = 24;
export const TUPLEITER_BASICSIZE = 32;

/** Free lists: lengths 1..PyTuple_MAXSAVESIZE, at most PyTuple_MAXFREELIST tuples each. */
export const PyTuple_MAXSAVESIZE = 20;
export const PyTuple_MAXFREELIST = 2000;
const freeList = new Int32Array(PyTuple_MAXSAVESIZE); // head of list i (tuples of length i+1)
const numFree = new Int32Array(PyTuple_MAXSAVESIZE);

/** PY_SSIZE_T_MAX as a JS number (sizes are checked against it as CPython does). */
const PY_SSIZE_T_MAX = 9223372036854775807;
/** Largest item count we even try to allocate (the heap is < 4 GiB). */
const MAX_ITEMS = 0x1fffffff;

// ---- checks and accessors ----

/** ≈ PyTuple_Check (tuple or subclass) */
export function PyTuple_Check(o: Ptr): boolean {
  return (I32[(I32[(o + OB_TYPE) >> 2] + TP_FLAGS) >> 2] & Py_TPFLAGS_TUPLE_SUBCLASS) !== 0;
}
/** ≈ PyTuple_CheckExact */
export function PyTuple_CheckExact(o: Ptr): boolean {
  return I32[(o + OB_TYPE) >> 2] === PyTuple_Type;
}
/** ≈ PyTuple_GET_SIZE (no check) */
export function PyTuple_GET_SIZE(t: Ptr): number {
  return I32[(t + OB_SIZE) >> 2];
}
/** ≈ PyTuple_GET_ITEM: borrowed reference, no check. */
export function PyTuple_GET_ITEM(t: Ptr, i: number): Ptr {
  return I32[(t + TUPLE_ITEMS + 8 * i) >> 2];
}
/** ≈ PyTuple_SET_ITEM: STEALS `v`; the old item is not DECREF'd (only for filling new tuples). */
export function PyTuple_SET_ITEM(t: Ptr, i: number, v: Ptr): void {
  const a = (t + TUPLE_ITEMS + 8 * i) >> 2;
  I32[a] = v;
  I32[a + 1] = 0;
}
/** Heap address of item 0 (items are 8-byte slots; read item i as I32[(addr + 8i) >> 2]). */
export function PyTuple_ITEMS(t: Ptr): number {
  return t + TUPLE_ITEMS;
}

/** ≈ PyTuple_Size: -1 with SystemError when `o` is not a tuple. */
export function PyTuple_Size(o: Ptr): number {
  if (!PyTuple_Check(o)) {
    PyErr_BadInternalCall();
    return -1;
  }
  return I32[(o + OB_SIZE) >> 2];
}

/** ≈ PyTuple_GetItem: borrowed reference; NULL + IndexError when out of range. */
export function PyTuple_GetItem(o: Ptr, i: number): Ptr {
  if (!PyTuple_Check(o)) {
    PyErr_BadInternalCall();
    return NULL;
  }
  if (i < 0 || i >= I32[(o + OB_SIZE) >> 2]) {
    PyErr_SetString(PyExc_IndexError, 'tuple index out of range');
    return NULL;
  }
  return I32[(o + TUPLE_ITEMS + 8 * i) >> 2];
}

/** ≈ PyTuple_SetItem: STEALS `v` (even on failure); replaces and DECREFs the old item. Only
 *  for tuples with refcount 1. Returns 0 / -1. */
export function PyTuple_SetItem(o: Ptr, i: number, v: Ptr): number {
  if (!PyTuple_Check(o) || I32[o >> 2] !== 1) {
    Py_XDECREF(v);
    PyErr_BadInternalCall();
    return -1;
  }
  if (i < 0 || i >= I32[(o + OB_SIZE) >> 2]) {
    Py_XDECREF(v);
    PyErr_SetString(PyExc_IndexError, 'tuple assignment index out of range');
    return -1;
  }
  const a = (o + TUPLE_ITEMS + 8 * i) >> 2;
  const old = I32[a];
  I32[a] = v;
  I32[a + 1] = 0;
  Py_XDECREF(old);
  return 0;
}

function PyErr_BadInternalCall(): void {
  PyErr_SetString(PyExc_SystemError, 'bad argument to internal function');
}

// ---- allocation ----

/** Copy n item pointers (2n words) between non-overlapping heap ranges given as word indices.
 *  A typed-array copyWithin costs ~70 ns whatever the size: short runs copy by hand (tuples and
 *  lists). */
export function copyItems(d: number, s: number, n: number): void {
  if (n <= 16) {
    for (let i = 0; i < 2 * n; i += 2) {
      I32[d + i] = I32[s + i];
      I32[d + i + 1] = I32[s + i + 1];
    }
  } else I32.copyWithin(d, s, s + 2 * n);
}

/** ≈ tuple_alloc: an UNTRACKED tuple of length n ≥ 1 with refcount 1 and undefined items, from
 *  the free list when possible. NULL + MemoryError on failure. */
function tuple_alloc(n: number): Ptr {
  if (n <= PyTuple_MAXSAVESIZE) {
    const op = freeList[n - 1];
    if (op !== NULL) {
      freeList[n - 1] = I32[(op + TUPLE_ITEMS) >> 2];
      numFree[n - 1]--;
      I32[op >> 2] = 1; // _Py_NewReference (type and size kept while on the list)
      return op;
    }
  } else if (n > MAX_ITEMS) {
    return PyErr_NoMemory();
  }
  const op = PyObject_GC_NewVar(PyTuple_Type, n);
  if (op === NULL) return PyErr_NoMemory();
  I32[(op + OB_SIZE) >> 2] = n;
  I32[(op + OB_SIZE + 4) >> 2] = 0;
  return op;
}

/** ≈ PyTuple_New: a new tracked tuple of length n whose items are NULL (fill them with
 *  PyTuple_SET_ITEM). New reference; `()` for n = 0; NULL + MemoryError on failure. */
export function PyTuple_New(n: number): Ptr {
  if (n === 0) {
    I32[PyTuple_Empty >> 2]++;
    return PyTuple_Empty;
  }
  if (n < 0) {
    PyErr_BadInternalCall();
    return NULL;
  }
  const op = tuple_alloc(n);
  if (op === NULL) return NULL;
  const d = (op + TUPLE_ITEMS) >> 2;
  if (n <= 16) for (let i = 0; i < 2 * n; i++) I32[d + i] = 0;
  else I32.fill(0, d, d + 2 * n);
  PyObject_GC_Track(op);
  return op;
}

/** `()` as a new reference. */
export function tuple_get_empty(): Ptr {
  I32[PyTuple_Empty >> 2]++;
  return PyTuple_Empty;
}

/** ≈ _PyTuple_FromArray: a new tuple of the n objects in the 8-byte slots at heap address `src`
 *  (borrowed; each is INCREF'd). New reference. */
export function _PyTuple_FromArray(src: number, n: number): Ptr {
  if (n === 0) return tuple_get_empty();
  const op = tuple_alloc(n);
  if (op === NULL) return NULL;
  const d = (op + TUPLE_ITEMS) >> 2;
  copyItems(d, src >> 2, n);
  for (let i = 0; i < n; i++) I32[I32[d + 2 * i] >> 2]++;
  PyObject_GC_Track(op);
  return op;
}

/** ≈ _PyTuple_FromArraySteal: like _PyTuple_FromArray but STEALS the n references (they are
 *  DECREF'd on failure). */
export function _PyTuple_FromArraySteal(src: number, n: number): Ptr {
  if (n === 0) return tuple_get_empty();
  const op = tuple_alloc(n);
  if (op === NULL) {
    for (let i = 0; i < n; i++) Py_DECREF(I32[(src + 8 * i) >> 2]);
    return NULL;
  }
  copyItems((op + TUPLE_ITEMS) >> 2, src >> 2, n);
  PyObject_GC_Track(op);
  return op;
}

/** ≈ PyTuple_Pack(n, ...): a new tuple of the given objects (borrowed; INCREF'd). New reference.
 *  Prefer PyTuple_Pack1/2/3 on hot paths (no rest-array allocation). */
export function PyTuple_Pack(n: number, ...items: Ptr[]): Ptr {
  if (n === 0) return tuple_get_empty();
  const op = tuple_alloc(n);
  if (op === NULL) return NULL;
  for (let i = 0; i < n; i++) {
    const v = items[i];
    I32[v >> 2]++;
    PyTuple_SET_ITEM(op, i, v);
  }
  PyObject_GC_Track(op);
  return op;
}
/** PyTuple_Pack(1, a): new reference. */
export function PyTuple_Pack1(a: Ptr): Ptr {
  const op = tuple_alloc(1);
  if (op === NULL) return NULL;
  I32[a >> 2]++;
  PyTuple_SET_ITEM(op, 0, a);
  PyObject_GC_Track(op);
  return op;
}
/** PyTuple_Pack(2, a, b): new reference. */
export function PyTuple_Pack2(a: Ptr, b: Ptr): Ptr {
  const op = tuple_alloc(2);
  if (op === NULL) return NULL;
  I32[a >> 2]++;
  I32[b >> 2]++;
  PyTuple_SET_ITEM(op, 0, a);
  PyTuple_SET_ITEM(op, 1, b);
  PyObject_GC_Track(op);
  return op;
}
/** PyTuple_Pack(3, a, b, c): new reference. */
export function PyTuple_Pack3(a: Ptr, b: Ptr, c: Ptr): Ptr {
  const op = tuple_alloc(3);
  if (op === NULL) return NULL;
  I32[a >> 2]++;
  I32[b >> 2]++;
  I32[c >> 2]++;
  PyTuple_SET_ITEM(op, 0, a);
  PyTuple_SET_ITEM(op, 1, b);
  PyTuple_SET_ITEM(op, 2, c);
  PyObject_GC_Track(op);
  return op;
}

/** ≈ _PyTuple_Resize: resize a tuple that nobody else knows about (refcount 1). STEALS `v` and
 *  returns the (possibly moved) tuple as a new reference, or NULL on failure (v is gone then).
 *  Items past the new size are DECREF'd; new slots are NULL. The tuple is re-tracked (moves to
 *  the tail of generation 0, as CPython's untrack + realloc + track). */
export function _PyTuple_Resize(v: Ptr, newsize: number): Ptr {
  if (v === NULL || I32[(v + OB_TYPE) >> 2] !== PyTuple_Type || (I32[(v + OB_SIZE) >> 2] !== 0 && I32[v >> 2] !== 1)) {
    Py_XDECREF(v);
    PyErr_BadInternalCall();
    return NULL;
  }
  const oldsize = I32[(v + OB_SIZE) >> 2];
  if (oldsize === newsize) return v;
  if (newsize === 0) {
    Py_DECREF(v);
    return tuple_get_empty();
  }
  if (oldsize === 0) {
    Py_DECREF(v);
    return PyTuple_New(newsize);
  }
  if (newsize > MAX_ITEMS) {
    // ≈ PyObject_GC_Resize failing: the tuple is deleted
    PyObject_GC_UnTrack(v);
    for (let i = oldsize - 1; i >= 0; i--) Py_XDECREF(I32[(v + TUPLE_ITEMS + 8 * i) >> 2]);
    PyObject_GC_Del(v);
    return PyErr_NoMemory();
  }
  PyObject_GC_UnTrack(v);
  for (let i = newsize; i < oldsize; i++) {
    const a = (v + TUPLE_ITEMS + 8 * i) >> 2;
    const it = I32[a];
    if (it !== NULL) {
      I32[a] = 0;
      Py_DECREF(it);
    }
  }
  const mem = PyObject_Realloc(v - PyGC_HEAD_SIZE, PyGC_HEAD_SIZE + TUPLE_BASICSIZE + TUPLE_ITEMSIZE * newsize);
  if (mem === NULL) {
    for (let i = Math.min(oldsize, newsize) - 1; i >= 0; i--) Py_XDECREF(I32[(v + TUPLE_ITEMS + 8 * i) >> 2]);
    PyObject_GC_Del(v);
    return PyErr_NoMemory();
  }
  const sv = mem + PyGC_HEAD_SIZE;
  I32[(sv + OB_SIZE) >> 2] = newsize;
  if (newsize > oldsize) I32.fill(0, (sv + TUPLE_ITEMS + 8 * oldsize) >> 2, (sv + TUPLE_ITEMS + 8 * newsize) >> 2);
  PyObject_GC_Track(sv);
  return sv;
}

// ---- dealloc, free lists, GC ----

function tupledealloc(op: Ptr): void {
  const n = I32[(op + OB_SIZE) >> 2];
  if (op === PyTuple_Empty) {
    // The static empty tuple can only get here through a refcount bug; keep it alive.
    I32[op >> 2] = STATIC_REFCNT;
    return;
  }
  PyObject_GC_UnTrack(op);
  if (trashcanBegin(op)) return;
  for (let a = (op + TUPLE_ITEMS + 8 * (n - 1)) >> 2, end = (op + TUPLE_ITEMS) >> 2; a >= end; a -= 2) {
    const it = I32[a];
    if (it !== NULL && --I32[it >> 2] === 0) _Py_Dealloc(it);
  }
  if (!maybe_freelist_push(op, n)) {
    if (I32[(op + OB_TYPE) >> 2] === PyTuple_Type) PyObject_GC_Del(op);
    else freeSubtypeInstance(op);
  }
  trashcanEnd();
}

/** Subclass instances are freed through the type's tp_free (the lead's subtype machinery). */
function freeSubtypeInstance(op: Ptr): void {
  const f = slotsOfObj(op).tp_free;
  if (f !== undefined) f(op);
  else PyObject_GC_Del(op);
}

function maybe_freelist_push(op: Ptr, n: number): boolean {
  if (n === 0 || n > PyTuple_MAXSAVESIZE) return false;
  const i = n - 1;
  if (numFree[i] < PyTuple_MAXFREELIST && I32[(op + OB_TYPE) >> 2] === PyTuple_Type) {
    I32[(op + TUPLE_ITEMS) >> 2] = freeList[i];
    I32[(op + TUPLE_ITEMS + 4) >> 2] = 0;
    freeList[i] = op;
    numFree[i]++;
    return true;
  }
  return false;
}

/** ≈ _PyTuple_ClearFreeList: free every tuple on the free lists (a full gc.collect does this). */
export function PyTuple_ClearFreeList(): void {
  for (let i = 0; i < PyTuple_MAXSAVESIZE; i++) {
    let p = freeList[i];
    freeList[i] = NULL;
    numFree[i] = 0;
    while (p !== NULL) {
      const q = p;
      p = I32[(p + TUPLE_ITEMS) >> 2];
      PyObject_GC_Del(q);
    }
  }
}
export const clearFreeLists = PyTuple_ClearFreeList;

/** Number of tuples of length n on the free list (tests, stats). */
export function tupleFreeListCount(n: number): number {
  return n >= 1 && n <= PyTuple_MAXSAVESIZE ? numFree[n - 1] : 0;
}

/** ≈ _PyDebugAllocatorStats: one free-list line of sys._debugmallocstats() (no newline):
 *  "%d free %ss * %zd bytes each" right-justified in 48 columns, a space, then a value line
 *  (message padded to 35 columns, '=', the total with thousands commas right-justified in 21). */
export function _PyDebugAllocatorStats(blockName: string, numBlocks: number, sizeofBlock: number): string {
  const msg = `${numBlocks} free ${blockName}s * ${sizeofBlock} bytes each`.padStart(48) + ' ';
  const total = (numBlocks * sizeofBlock).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return msg.padEnd(35) + '=' + total.padStart(21);
}

/** ≈ _PyTuple_DebugMallocStats: the 20 free-list lines of sys._debugmallocstats(). */
export function tupleFreeListStats(): string[] {
  const out: string[] = [];
  for (let i = 0; i < PyTuple_MAXSAVESIZE; i++) {
    const len = i + 1;
    out.push(_PyDebugAllocatorStats(`${len}-sized PyTupleObject`, numFree[i], TUPLE_BASICSIZE + TUPLE_ITEMSIZE * len));
  }
  return out;
}

function tupletraverse(o: Ptr, visit: visitproc, arg: number): number {
  for (let i = I32[(o + OB_SIZE) >> 2] - 1; i >= 0; i--) {
    const it = I32[(o + TUPLE_ITEMS + 8 * i) >> 2];
    if (it !== NULL) {
      const r = visit(it, arg);
      if (r !== 0) return r;
    }
  }
  return 0;
}

/** ≈ _PyObject_GC_MAY_BE_TRACKED: could `o` ever be part of a cycle? (GC type, and not a tuple
 *  that is currently untracked) */
export function _PyObject_GC_MAY_BE_TRACKED(o: Ptr): boolean {
  const tp = I32[(o + OB_TYPE) >> 2];
  if ((I32[(tp + TP_FLAGS) >> 2] & Py_TPFLAGS_HAVE_GC) === 0) return false;
  if (tp === PyTuple_Type) return _PyObject_GC_IS_TRACKED(o);
  const isgc = slotsOfObj(o).tp_is_gc;
  return isgc === undefined || isgc(o) !== 0;
}

/** ≈ _PyTuple_MaybeUntrack: untrack an exact tuple all of whose items are untrackable (the GC's
 *  untrack_tuples pass). */
export function _PyTuple_MaybeUntrack(op: Ptr): void {
  if (I32[(op + OB_TYPE) >> 2] !== PyTuple_Type || !_PyObject_GC_IS_TRACKED(op)) return;
  const n = I32[(op + OB_SIZE) >> 2];
  for (let i = 0; i < n; i++) {
    const it = I32[(op + TUPLE_ITEMS + 8 * i) >> 2];
    if (it === NULL || _PyObject_GC_MAY_BE_TRACKED(it)) return;
  }
  PyObject_GC_UnTrack(op);
}

// ---- hash: xxHash-64 lanes in 32-bit halves ----
// P1 = 11400714785074694791, P2 = 14029467366897019727, P5 = 2870177450012600261
const P1_LO = 0x85ebca87, P1_HI = 0x9e3779b1;
const P2_LO = 0x27d4eb4f, P2_HI = 0xc2b2ae3d;
const P5_LO = 0x165667c5, P5_HI = 0x27d4eb2f;
// P5 ^ 3527539
const LENMIX_LO = (P5_LO ^ 3527539) >>> 0, LENMIX_HI = P5_HI;

let mulHi = 0;
/** Low 64 bits of (aLo,aHi)·(bLo,bHi); returns the low word (uint32), leaves the high in mulHi. */
function mul64(aLo: number, aHi: number, bLo: number, bHi: number): number {
  const a0 = aLo & 0xffff, a1 = aLo >>> 16, b0 = bLo & 0xffff, b1 = bLo >>> 16;
  const p00 = a0 * b0, p01 = a0 * b1, p10 = a1 * b0;
  const mid = (p00 >>> 16) + (p01 & 0xffff) + (p10 & 0xffff);
  const hi = a1 * b1 + (p01 >>> 16) + (p10 >>> 16) + (mid >>> 16);
  mulHi = (hi + Math.imul(aLo, bHi) + Math.imul(aHi, bLo)) >>> 0;
  return (((mid & 0xffff) << 16) | (p00 & 0xffff)) >>> 0;
}

/** ≈ tuplehash: returns the low 32 bits, high in HASH_HI[0]; (-1, -1) with an error set. */
function tuplehash(v: Ptr): number {
  const len = I32[(v + OB_SIZE) >> 2];
  let accLo = P5_LO, accHi = P5_HI;
  for (let i = 0; i < len; i++) {
    const lo = PyObject_Hash(I32[(v + TUPLE_ITEMS + 8 * i) >> 2]);
    const hi = HASH_HI[0];
    if (lo === -1 && hi === -1) return -1;
    const mLo = mul64(lo >>> 0, hi >>> 0, P2_LO, P2_HI);
    const sLo = (accLo + mLo) >>> 0;
    const sHi = (accHi + mulHi + (sLo < accLo ? 1 : 0)) >>> 0;
    // rotate left 31
    const rLo = ((sLo << 31) | (sHi >>> 1)) >>> 0;
    const rHi = ((sHi << 31) | (sLo >>> 1)) >>> 0;
    accLo = mul64(rLo, rHi, P1_LO, P1_HI);
    accHi = mulHi;
  }
  const xLo = (len ^ LENMIX_LO) >>> 0;
  const sLo = (accLo + xLo) >>> 0;
  const sHi = (accHi + LENMIX_HI + (sLo < accLo ? 1 : 0)) >>> 0;
  if (sLo === 0xffffffff && sHi === 0xffffffff) {
    HASH_HI[0] = 0;
    return 1546275796;
  }
  HASH_HI[0] = sHi | 0;
  return sLo | 0;
}

// ---- sequence protocol ----

function tuplelength(o: Ptr): number {
  return I32[(o + OB_SIZE) >> 2];
}

/** ≈ tuplecontains: -1 error, 0, 1 */
function tuplecontains(a: Ptr, el: Ptr): number {
  let cmp = 0;
  for (let i = 0; cmp === 0 && i < I32[(a + OB_SIZE) >> 2]; i++) {
    cmp = PyObject_RichCompareBool(I32[(a + TUPLE_ITEMS + 8 * i) >> 2], el, Py_EQ);
  }
  return cmp;
}

/** ≈ tupleitem (sq_item): new reference; IndexError out of range (no negative-index fixup). */
function tupleitem(a: Ptr, i: number): Ptr {
  if (i < 0 || i >= I32[(a + OB_SIZE) >> 2]) {
    PyErr_SetString(PyExc_IndexError, 'tuple index out of range');
    return NULL;
  }
  const it = I32[(a + TUPLE_ITEMS + 8 * i) >> 2];
  I32[it >> 2]++;
  return it;
}

/** ≈ tupleslice / PyTuple_GetSlice(op, i, j): new reference (clamped bounds). */
export function PyTuple_GetSlice(a: Ptr, ilow: number, ihigh: number): Ptr {
  const n = I32[(a + OB_SIZE) >> 2];
  if (ilow < 0) ilow = 0;
  if (ihigh > n) ihigh = n;
  if (ihigh < ilow) ihigh = ilow;
  if (ilow === 0 && ihigh === n && I32[(a + OB_TYPE) >> 2] === PyTuple_Type) {
    I32[a >> 2]++;
    return a;
  }
  return _PyTuple_FromArray(a + TUPLE_ITEMS + 8 * ilow, ihigh - ilow);
}

/** ≈ tupleconcat (sq_concat): new reference; TypeError if `bb` is not a tuple. */
export function tupleconcat(a: Ptr, bb: Ptr): Ptr {
  const na = I32[(a + OB_SIZE) >> 2];
  if (na === 0 && I32[(bb + OB_TYPE) >> 2] === PyTuple_Type) {
    I32[bb >> 2]++;
    return bb;
  }
  if (!PyTuple_Check(bb)) {
    PyErr_SetString(PyExc_TypeError, `can only concatenate tuple (not "${typeName(I32[(bb + OB_TYPE) >> 2])}") to tuple`);
    return NULL;
  }
  const nb = I32[(bb + OB_SIZE) >> 2];
  if (nb === 0 && I32[(a + OB_TYPE) >> 2] === PyTuple_Type) {
    I32[a >> 2]++;
    return a;
  }
  const size = na + nb;
  if (size === 0) return tuple_get_empty();
  const np = tuple_alloc(size);
  if (np === NULL) return NULL;
  const d = (np + TUPLE_ITEMS) >> 2;
  copyItems(d, (a + TUPLE_ITEMS) >> 2, na);
  copyItems(d + 2 * na, (bb + TUPLE_ITEMS) >> 2, nb);
  for (let i = 0; i < size; i++) I32[I32[d + 2 * i] >> 2]++;
  PyObject_GC_Track(np);
  return np;
}

/** ≈ tuplerepeat (sq_repeat): new reference. */
function tuplerepeat(a: Ptr, n: number): Ptr {
  const size = I32[(a + OB_SIZE) >> 2];
  if (size === 0 || n === 1) {
    if (I32[(a + OB_TYPE) >> 2] === PyTuple_Type) {
      I32[a >> 2]++;
      return a;
    }
  }
  if (size === 0 || n <= 0) return tuple_get_empty();
  if (n > PY_SSIZE_T_MAX / size || size * n > MAX_ITEMS) return PyErr_NoMemory();
  const total = size * n;
  const np = tuple_alloc(total);
  if (np === NULL) return NULL;
  const d = (np + TUPLE_ITEMS) >> 2;
  const s = (a + TUPLE_ITEMS) >> 2;
  for (let i = 0; i < size; i++) I32[I32[s + 2 * i] >> 2] += n;
  I32.copyWithin(d, s, s + 2 * size);
  // double the filled prefix (≈ _Py_memory_repeat)
  let done = size;
  while (done < total) {
    const chunk = Math.min(done, total - done);
    I32.copyWithin(d + 2 * done, d, d + 2 * chunk);
    done += chunk;
  }
  PyObject_GC_Track(np);
  return np;
}

/** ≈ tuplesubscript (mp_subscript): t[i] or t[slice]; new reference. */
function tuplesubscript(self: Ptr, item: Ptr): Ptr {
  const itp = I32[(item + OB_TYPE) >> 2];
  if (slotsOfObj(item).nb_index !== undefined) {
    let i = PyNumber_AsSsize_t(item, PyExc_IndexError);
    if (i === -1 && PyErr_Occurred() !== NULL) return NULL;
    if (i < 0) i += I32[(self + OB_SIZE) >> 2];
    return tupleitem(self, i);
  }
  if (itp === PySlice_Type) {
    if (PySlice_Unpack(item) < 0) return NULL;
    const n = I32[(self + OB_SIZE) >> 2];
    const slicelength = PySlice_AdjustIndices(n);
    const start = SLICE_RESULT[0], step = SLICE_RESULT[2];
    if (slicelength <= 0) return tuple_get_empty();
    if (start === 0 && step === 1 && slicelength === n && I32[(self + OB_TYPE) >> 2] === PyTuple_Type) {
      I32[self >> 2]++;
      return self;
    }
    if (step === 1) return _PyTuple_FromArray(self + TUPLE_ITEMS + 8 * start, slicelength);
    const result = tuple_alloc(slicelength);
    if (result === NULL) return NULL;
    for (let cur = start, i = 0; i < slicelength; cur += step, i++) {
      const it = I32[(self + TUPLE_ITEMS + 8 * cur) >> 2];
      I32[it >> 2]++;
      PyTuple_SET_ITEM(result, i, it);
    }
    PyObject_GC_Track(result);
    return result;
  }
  PyErr_SetString(PyExc_TypeError, `tuple indices must be integers or slices, not ${typeName(itp)}`);
  return NULL;
}

// ---- comparison ----

function boolResult(b: boolean): Ptr {
  const r = b ? Py_True : Py_False;
  I32[r >> 2]++;
  return r;
}

/** ≈ Py_RETURN_RICHCOMPARE on two integers: new reference to True/False. */
export function richcompareInts(a: number, b: number, op: number): Ptr {
  switch (op) {
    case Py_EQ: return boolResult(a === b);
    case Py_NE: return boolResult(a !== b);
    case Py_LT: return boolResult(a < b);
    case Py_LE: return boolResult(a <= b);
    case Py_GT: return boolResult(a > b);
    default: return boolResult(a >= b); // Py_GE
  }
}

/** ≈ tuplerichcompare: new reference (NotImplemented unless both are tuples). */
function tuplerichcompare(v: Ptr, w: Ptr, op: number): Ptr {
  if (!PyTuple_Check(v) || !PyTuple_Check(w)) {
    I32[Py_NotImplemented >> 2]++;
    return Py_NotImplemented;
  }
  const vlen = I32[(v + OB_SIZE) >> 2], wlen = I32[(w + OB_SIZE) >> 2];
  let i = 0;
  for (; i < vlen && i < wlen; i++) {
    const k = PyObject_RichCompareBool(I32[(v + TUPLE_ITEMS + 8 * i) >> 2], I32[(w + TUPLE_ITEMS + 8 * i) >> 2], Py_EQ);
    if (k < 0) return NULL;
    if (k === 0) break;
  }
  if (i >= vlen || i >= wlen) return richcompareInts(vlen, wlen, op);
  if (op === Py_EQ) return boolResult(false);
  if (op === Py_NE) return boolResult(true);
  return PyObject_RichCompare(I32[(v + TUPLE_ITEMS + 8 * i) >> 2], I32[(w + TUPLE_ITEMS + 8 * i) >> 2], op);
}

// ---- repr ----

/** ≈ tuplerepr: new reference; "(...)" when the tuple is already being repr'd. */
function tuplerepr(v: Ptr): Ptr {
  const n = I32[(v + OB_SIZE) >> 2];
  if (n === 0) return PyUnicode_FromString('()');
  const r = Py_ReprEnter(v);
  if (r !== 0) return r > 0 ? PyUnicode_FromString('(...)') : NULL;
  let s = '(';
  for (let i = 0; i < n; i++) {
    if (i > 0) s += ', ';
    const ir = PyObject_Repr(I32[(v + TUPLE_ITEMS + 8 * i) >> 2]);
    if (ir === NULL) {
      Py_ReprLeave(v);
      return NULL;
    }
    s += unicodeToJs(ir);
    Py_DECREF(ir);
  }
  s += n === 1 ? ',)' : ')';
  Py_ReprLeave(v);
  return PyUnicode_FromString(s);
}

// ---- methods ----

/** Read a slice index argument (≈ _PyEval_SliceIndexNotNone): sets SLICE_INDEX_OUT; false on error. */
let sliceIndexOut = 0;
function sliceIndexNotNone(v: Ptr): boolean {
  if (slotsOfObj(v).nb_index === undefined) {
    PyErr_SetString(PyExc_TypeError, 'slice indices must be integers or have an __index__ method');
    return false;
  }
  const x = PyNumber_AsSsize_t(v, NULL);
  if (x === -1 && PyErr_Occurred() !== NULL) return false;
  sliceIndexOut = x;
  return true;
}

/** tuple.index(value, start=0, stop=sys.maxsize) — METH_FASTCALL */
function tuple_index(self: Ptr, args: number, nargs: number): Ptr {
  if (nargs < 1 || nargs > 3) {
    PyErr_SetString(PyExc_TypeError, nargs < 1 ? `index expected at least 1 argument, got ${nargs}` : `index expected at most 3 arguments, got ${nargs}`);
    return NULL;
  }
  const value = I32[args >> 2];
  const size = I32[(self + OB_SIZE) >> 2];
  let start = 0, stop = PY_SSIZE_T_MAX;
  if (nargs >= 2) {
    if (!sliceIndexNotNone(I32[(args + 8) >> 2])) return NULL;
    start = sliceIndexOut;
  }
  if (nargs >= 3) {
    if (!sliceIndexNotNone(I32[(args + 16) >> 2])) return NULL;
    stop = sliceIndexOut;
  }
  if (start < 0) {
    start += size;
    if (start < 0) start = 0;
  }
  if (stop < 0) stop += size;
  else if (stop > size) stop = size;
  for (let i = start; i < stop; i++) {
    const cmp = PyObject_RichCompareBool(I32[(self + TUPLE_ITEMS + 8 * i) >> 2], value, Py_EQ);
    if (cmp > 0) return PyLong_FromSsize_t(i);
    if (cmp < 0) return NULL;
  }
  PyErr_SetString(PyExc_ValueError, 'tuple.index(x): x not in tuple');
  return NULL;
}

/** tuple.count(value) — METH_O */
function tuple_count(self: Ptr, value: Ptr): Ptr {
  let count = 0;
  const n = I32[(self + OB_SIZE) >> 2];
  for (let i = 0; i < n; i++) {
    const cmp = PyObject_RichCompareBool(I32[(self + TUPLE_ITEMS + 8 * i) >> 2], value, Py_EQ);
    if (cmp > 0) count++;
    else if (cmp < 0) return NULL;
  }
  return PyLong_FromSsize_t(count);
}

/** tuple.__getnewargs__() — METH_NOARGS */
function tuple_getnewargs(self: Ptr): Ptr {
  const t = PyTuple_GetSlice(self, 0, I32[(self + OB_SIZE) >> 2]);
  if (t === NULL) return NULL;
  const r = PyTuple_Pack1(t);
  Py_DECREF(t);
  return r;
}

/** ≈ tuple.__sizeof__ (getsizeof adds the 16-byte GC head). */
function tuple_sizeof(self: Ptr): number {
  return I32[(I32[(self + OB_TYPE) >> 2] + TP_BASICSIZE) >> 2] + TUPLE_ITEMSIZE * I32[(self + OB_SIZE) >> 2];
}

// ---- construction: tuple(iterable) ----

/** ≈ PySequence_Tuple (Objects/abstract.c): a new tuple of the items of `v`; an exact tuple is
 *  returned itself (INCREF'd), a list is copied, anything else is iterated, starting from a
 *  tuple of its length hint (default 10) and growing by n + 10 + (n + 10) / 4, then shrunk. */
export function PySequence_Tuple(v: Ptr): Ptr {
  const tp = I32[(v + OB_TYPE) >> 2];
  if (tp === PyTuple_Type) {
    I32[v >> 2]++;
    return v;
  }
  if ((I32[(tp + TP_FLAGS) >> 2] & Py_TPFLAGS_LIST_SUBCLASS) !== 0) return PyList_AsTuple(v);
  const it = PyObject_GetIter(v);
  if (it === NULL) return NULL;
  let n = PyObject_LengthHint(v, 10);
  if (n === -1) {
    Py_DECREF(it);
    return NULL;
  }
  let result = PyTuple_New(n);
  if (result === NULL) {
    Py_DECREF(it);
    return NULL;
  }
  let j = 0;
  for (;; j++) {
    const item = PyIter_Next(it);
    if (item === NULL) {
      if (PyErr_Occurred() !== NULL) {
        Py_DECREF(result);
        Py_DECREF(it);
        return NULL;
      }
      break;
    }
    if (j >= n) {
      let newn = n + 10;
      newn += newn >>> 2;
      if (newn > MAX_ITEMS) {
        Py_DECREF(item);
        Py_DECREF(result);
        Py_DECREF(it);
        return PyErr_NoMemory();
      }
      n = newn;
      result = _PyTuple_Resize(result, n);
      if (result === NULL) {
        Py_DECREF(item);
        Py_DECREF(it);
        return NULL;
      }
    }
    PyTuple_SET_ITEM(result, j, item);
  }
  if (j < n) result = _PyTuple_Resize(result, j);
  Py_DECREF(it);
  return result;
}

/** ≈ tuple_new_impl: tuple(iterable) for `type` (tuple or a subclass); new reference. */
function tuple_new_impl(type: Ptr, iterable: Ptr): Ptr {
  if (type !== PyTuple_Type) return tuple_subtype_new(type, iterable);
  if (iterable === NULL) return tuple_get_empty();
  return PySequence_Tuple(iterable);
}

/** ≈ tuple_subtype_new: an instance of a tuple subclass holding the items of `iterable`. */
function tuple_subtype_new(type: Ptr, iterable: Ptr): Ptr {
  const tmp = tuple_new_impl(PyTuple_Type, iterable);
  if (tmp === NULL) return NULL;
  const n = I32[(tmp + OB_SIZE) >> 2];
  const newobj = PyType_GenericAlloc(type, n);
  if (newobj === NULL) {
    Py_DECREF(tmp);
    return NULL;
  }
  for (let i = 0; i < n; i++) {
    const it = I32[(tmp + TUPLE_ITEMS + 8 * i) >> 2];
    I32[it >> 2]++;
    PyTuple_SET_ITEM(newobj, i, it);
  }
  Py_DECREF(tmp);
  return newobj;
}

/** ≈ tuple_vectorcall: tuple() / tuple(iterable) called on the type. */
function tuple_vectorcall(type: Ptr, args: number, nargs: number, kwnames: Ptr): Ptr {
  if (kwnames !== NULL && I32[(kwnames + OB_SIZE) >> 2] !== 0) {
    PyErr_SetString(PyExc_TypeError, 'tuple() takes no keyword arguments');
    return NULL;
  }
  if (nargs > 1) {
    PyErr_SetString(PyExc_TypeError, `tuple expected at most 1 argument, got ${nargs}`);
    return NULL;
  }
  if (nargs === 1) return tuple_new_impl(type, I32[args >> 2]);
  return tuple_new_impl(type, NULL);
}

/** ≈ tuple_new (tp_new): args tuple + kwargs dict (NULL or a dict; checked by its size field). */
function tuple_new(type: Ptr, args: Ptr, kwds: Ptr): Ptr {
  if (type === PyTuple_Type && kwds !== NULL && I32[(kwds + 16) >> 2] !== 0) {
    PyErr_SetString(PyExc_TypeError, 'tuple() takes no keyword arguments');
    return NULL;
  }
  const nargs = I32[(args + OB_SIZE) >> 2];
  if (nargs > 1) {
    PyErr_SetString(PyExc_TypeError, `tuple expected at most 1 argument, got ${nargs}`);
    return NULL;
  }
  return tuple_new_impl(type, nargs === 1 ? I32[(args + TUPLE_ITEMS) >> 2] : NULL);
}

// ---- iterator ----

/** ≈ tuple_iter (tp_iter): a new tuple iterator (tracked). */
function tuple_iter(seq: Ptr): Ptr {
  const it = PyObject_GC_New(PyTupleIter_Type);
  if (it === NULL) return PyErr_NoMemory();
  I32[(it + TUPLEITER_INDEX) >> 2] = 0;
  I32[(it + TUPLEITER_INDEX + 4) >> 2] = 0;
  I32[seq >> 2]++;
  I32[(it + TUPLEITER_SEQ) >> 2] = seq;
  I32[(it + TUPLEITER_SEQ + 4) >> 2] = 0;
  PyObject_GC_Track(it);
  return it;
}

function tupleiter_dealloc(it: Ptr): void {
  PyObject_GC_UnTrack(it);
  Py_XDECREF(I32[(it + TUPLEITER_SEQ) >> 2]);
  PyObject_GC_Del(it);
}

function tupleiter_traverse(it: Ptr, visit: visitproc, arg: number): number {
  const seq = I32[(it + TUPLEITER_SEQ) >> 2];
  return seq !== NULL ? visit(seq, arg) : 0;
}

/** ≈ tupleiter_next: new reference, or NULL (no exception) when exhausted. */
function tupleiter_next(it: Ptr): Ptr {
  const seq = I32[(it + TUPLEITER_SEQ) >> 2];
  if (seq === NULL) return NULL;
  const i = I32[(it + TUPLEITER_INDEX) >> 2];
  if (i < I32[(seq + OB_SIZE) >> 2]) {
    const item = I32[(seq + TUPLE_ITEMS + 8 * i) >> 2];
    I32[(it + TUPLEITER_INDEX) >> 2] = i + 1;
    I32[item >> 2]++;
    return item;
  }
  I32[(it + TUPLEITER_SEQ) >> 2] = 0;
  Py_DECREF(seq);
  return NULL;
}

function tupleiter_len(it: Ptr): Ptr {
  const seq = I32[(it + TUPLEITER_SEQ) >> 2];
  let len = 0;
  if (seq !== NULL) len = I32[(seq + OB_SIZE) >> 2] - I32[(it + TUPLEITER_INDEX) >> 2];
  return PyLong_FromSsize_t(len);
}

/** ≈ PyObject_SelfIter: new reference to `o`. */
export function PyObject_SelfIter(o: Ptr): Ptr {
  I32[o >> 2]++;
  return o;
}

// ---- the types (created last: their slot tables name the functions above) ----

export const PyTuple_Type: Ptr = newStaticType({
  name: 'tuple',
  basicsize: TUPLE_BASICSIZE,
  itemsize: TUPLE_ITEMSIZE,
  flags: Py_TPFLAGS_HAVE_GC | Py_TPFLAGS_BASETYPE | Py_TPFLAGS_TUPLE_SUBCLASS | Py_TPFLAGS_SEQUENCE,
  slots: {
    tp_dealloc: tupledealloc,
    tp_repr: tuplerepr,
    tp_hash: tuplehash,
    tp_richcompare: tuplerichcompare,
    tp_iter: tuple_iter,
    tp_traverse: tupletraverse,
    tp_new: tuple_new,
    tp_vectorcall: tuple_vectorcall,
    tp_free: PyObject_GC_Del,
    sq_length: tuplelength,
    sq_concat: tupleconcat,
    sq_repeat: tuplerepeat,
    sq_item: tupleitem,
    sq_contains: tuplecontains,
    mp_length: tuplelength,
    mp_subscript: tuplesubscript,
    tp_sizeof: tuple_sizeof,
    methods: [
      { name: '__getnewargs__', flags: METH_NOARGS, fn: tuple_getnewargs },
      { name: 'index', flags: METH_FASTCALL, fn: tuple_index, doc: 'Return first index of value.\n\nRaises ValueError if the value is not present.' },
      { name: 'count', flags: METH_O, fn: tuple_count, doc: 'Return number of occurrences of value.' },
    ],
    doc: "Built-in immutable sequence.\n\nIf no argument is given, the constructor returns an empty tuple.\nIf iterable is specified the tuple is initialized from iterable's items.\n\nIf the argument is a tuple, the return value is the same object.",
  },
});

export const PyTupleIter_Type: Ptr = newStaticType({
  name: 'tuple_iterator',
  basicsize: TUPLEITER_BASICSIZE,
  flags: Py_TPFLAGS_HAVE_GC,
  slots: {
    tp_dealloc: tupleiter_dealloc,
    tp_traverse: tupleiter_traverse,
    tp_iter: PyObject_SelfIter,
    tp_iternext: tupleiter_next,
    tp_free: PyObject_GC_Del,
    methods: [{ name: '__length_hint__', flags: METH_NOARGS, fn: tupleiter_len, doc: 'Private method returning an estimate of len(list(it)).' }],
  },
});

// ---- the empty tuple singleton: [GC head 16][header 24], in the static region, never tracked ----
const emptyMem = staticAlloc(PyGC_HEAD_SIZE + TUPLE_BASICSIZE, 16);
/** `()` (≈ _Py_SINGLETON(tuple_empty)); borrowed: INCREF before handing it out. */
export const PyTuple_Empty: Ptr = emptyMem + PyGC_HEAD_SIZE;
I32[PyTuple_Empty >> 2] = STATIC_REFCNT;
I32[(PyTuple_Empty + OB_TYPE) >> 2] = PyTuple_Type;
