// The cycle collector's state and the GC allocation/tracking primitives
// (≈ Modules/gcmodule.c, Include/internal/pycore_gc.h, pycore_object.h _PyObject_GC_TRACK).
//
// GC objects carry a 16-byte PyGC_Head just before the object (object.ts draws the layout).
// Generations are circular doubly linked lists through those heads, with list heads in the
// static region: gen0, gen1, gen2 and the permanent generation (gc.freeze). A head's
// _gc_next holds the address of the next PyGC_Head (0 = untracked); _gc_prev holds the previous
// head's address with flag bits 0 (FINALIZED) and 1 (COLLECTING) in its low bits.
//
// The gen0 count follows 3.11: +1 for every object allocated through the GC allocator (whether
// or not it is ever tracked), -1 (if > 0) when PyObject_GC_Del frees one. Free-list reuse touches
// neither. A collection runs synchronously inside the allocation that takes count0 over the
// threshold, unless disabled, already collecting, or an exception is set. The collection
// algorithm itself (update_refs / subtract_refs / move_unreachable / finalizers / weakrefs) is
// issue 7: it plugs in through setCollectHook().

import { type Ptr, NULL, I32, staticAlloc, U8 } from './mem/heap.js';
import { PyObject_Malloc, PyObject_Free } from './mem/pymem.js';
import { OB_TYPE, GC_NEXT, GC_PREV, PyGC_HEAD_SIZE, MANAGED_DICT_PREHEADER, PREV_MASK_FINALIZED, PyObject_Init } from './object.js';
import { TP_BASICSIZE, TP_ITEMSIZE, TP_FLAGS, Py_TPFLAGS_HAVE_GC, Py_TPFLAGS_MANAGED_DICT, Py_TPFLAGS_HEAPTYPE } from './typeobject.js';

export const NUM_GENERATIONS = 3;
/** List heads (PyGC_Head addresses): gen0, gen1, gen2, permanent. */
export const GEN_HEAD = new Int32Array(4);
for (let g = 0; g < 4; g++) {
  const h = staticAlloc(16, 16);
  I32[h >> 2] = h; // _gc_next -> itself
  I32[(h + 8) >> 2] = h; // _gc_prev -> itself
  GEN_HEAD[g] = h;
}
export const gcCount = new Int32Array(3);
export const gcThreshold = new Int32Array([700, 10, 10]);
export const gcFlags = { enabled: true, collecting: false };

/** Set by the collector (issue 7): runs an automatic collection when count0 passes the threshold. */
let collectHook: (() => void) | null = null;
/** Returns true when an exception is set (no automatic collection then); set by errors.ts. */
let exceptionSetHook: () => boolean = () => false;
export function setCollectHook(f: (() => void) | null): void {
  collectHook = f;
}
export function setExceptionSetHook(f: () => boolean): void {
  exceptionSetHook = f;
}

/** ≈ _PyObject_GC_Link: count a new GC allocation and maybe collect. */
function gcLink(): void {
  const c = ++gcCount[0];
  if (c > gcThreshold[0] && gcThreshold[0] !== 0 && gcFlags.enabled && !gcFlags.collecting && collectHook !== null && !exceptionSetHook()) {
    collectHook();
  }
}

/** Bytes in front of a GC object of this type: the PyGC_Head, plus the managed-dict pre-header. */
export function gcPresize(type: Ptr): number {
  return (I32[(type + TP_FLAGS) >> 2] & Py_TPFLAGS_MANAGED_DICT) !== 0 ? PyGC_HEAD_SIZE + MANAGED_DICT_PREHEADER : PyGC_HEAD_SIZE;
}

/** ≈ _PyObject_GC_New / _PyObject_GC_NewVar: allocate an UNTRACKED GC object of `type` with
 *  `nitems` items (the object's fields are not zeroed; the GC head and pre-header are). Returns a
 *  new reference, or NULL when memory is exhausted (the caller raises MemoryError). */
export function PyObject_GC_NewVar(type: Ptr, nitems: number): Ptr {
  const size = I32[(type + TP_BASICSIZE) >> 2] + nitems * I32[(type + TP_ITEMSIZE) >> 2];
  const pre = gcPresize(type);
  const mem = PyObject_Malloc(pre + size);
  if (mem === NULL) return NULL;
  U8.fill(0, mem, mem + pre);
  const o = mem + pre;
  gcLink();
  return PyObject_Init(o, type, (I32[(type + TP_FLAGS) >> 2] & Py_TPFLAGS_HEAPTYPE) !== 0);
}
export function PyObject_GC_New(type: Ptr): Ptr {
  return PyObject_GC_NewVar(type, 0);
}

/** ≈ PyObject_GC_Del: free a GC object's memory (the object must be untracked). */
export function PyObject_GC_Del(o: Ptr): void {
  const pre = gcPresize(I32[(o + OB_TYPE) >> 2]);
  if (gcCount[0] > 0) gcCount[0]--;
  PyObject_Free(o - pre);
}

/** Count a GC object that bypassed PyObject_GC_New (≈ what _PyObject_GC_Link does for
 *  PyType_GenericAlloc). Exposed for allocators with their own paths. */
export function _PyObject_GC_Link(): void {
  gcLink();
}

export function _PyObject_GC_IS_TRACKED(o: Ptr): boolean {
  return I32[(o + GC_NEXT) >> 2] !== 0;
}

/** ≈ _PyObject_GC_TRACK: append to the tail of generation 0 (keeps the FINALIZED bit). */
export function PyObject_GC_Track(o: Ptr): void {
  const gc = o - PyGC_HEAD_SIZE;
  const head = GEN_HEAD[0];
  const last = I32[(head + 8) >> 2] & ~3;
  I32[last >> 2] = gc;
  I32[(gc + 8) >> 2] = last | (I32[(gc + 8) >> 2] & 3);
  I32[gc >> 2] = head;
  I32[(head + 8) >> 2] = gc;
}

/** ≈ _PyObject_GC_UNTRACK (no-op when already untracked, like PyObject_GC_UnTrack). */
export function PyObject_GC_UnTrack(o: Ptr): void {
  const gc = o - PyGC_HEAD_SIZE;
  const next = I32[gc >> 2];
  if (next === 0) return;
  const prev = I32[(gc + 8) >> 2] & ~3;
  I32[prev >> 2] = next;
  I32[(next + 8) >> 2] = prev | (I32[(next + 8) >> 2] & 3);
  I32[gc >> 2] = 0;
  I32[(gc + 8) >> 2] &= PREV_MASK_FINALIZED;
}

export function _PyGC_FINALIZED(o: Ptr): boolean {
  return (I32[(o + GC_PREV) >> 2] & PREV_MASK_FINALIZED) !== 0;
}
export function _PyGC_SET_FINALIZED(o: Ptr): void {
  I32[(o + GC_PREV) >> 2] |= PREV_MASK_FINALIZED;
}

export function PyType_IS_GC(type: Ptr): boolean {
  return (I32[(type + TP_FLAGS) >> 2] & Py_TPFLAGS_HAVE_GC) !== 0;
}

/** ≈ PyType_GenericAlloc: a zeroed instance of `type` with `nitems` items (ob_size set for
 *  variable-size types); GC objects are counted and tracked. New reference or NULL. */
export function PyType_GenericAlloc(type: Ptr, nitems: number): Ptr {
  const size = I32[(type + TP_BASICSIZE) >> 2] + (nitems + (I32[(type + TP_ITEMSIZE) >> 2] !== 0 ? 1 : 0)) * I32[(type + TP_ITEMSIZE) >> 2];
  const isGC = (I32[(type + TP_FLAGS) >> 2] & Py_TPFLAGS_HAVE_GC) !== 0;
  const pre = isGC ? gcPresize(type) : 0;
  const mem = PyObject_Malloc(pre + size);
  if (mem === NULL) return NULL;
  U8.fill(0, mem, mem + pre + size);
  const o = mem + pre;
  PyObject_Init(o, type, (I32[(type + TP_FLAGS) >> 2] & Py_TPFLAGS_HEAPTYPE) !== 0);
  if (I32[(type + TP_ITEMSIZE) >> 2] !== 0) I32[(o + 16) >> 2] = nitems;
  if (isGC) {
    gcLink();
    PyObject_GC_Track(o);
  }
  return o;
}
