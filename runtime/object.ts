// The object header, reference counting, deallocation and the trashcan
// (≈ Include/object.h, Objects/object.c, Include/internal/pycore_gc.h).
//
// Every object starts with CPython 3.11's 64-bit header:
//
//        -32  [ values*  ]   managed-dict pre-header: only instances of classes with a managed
//        -24  [ dict*    ]   dict (Py_TPFLAGS_MANAGED_DICT), in the same block as the object
//        -16  [ _gc_next ]   PyGC_Head: only GC types (Py_TPFLAGS_HAVE_GC)
//         -8  [ _gc_prev ]     bit 0 FINALIZED, bit 1 COLLECTING, pointer/gc_refs from bit 2 up
//   o ->   0  [ ob_refcnt]   8 bytes; the low int32 word holds the count
//          8  [ ob_type  ]   8 bytes; the low word holds the type object's address
//         16  [ ob_size  ]   PyVarObject only (negative for negative ints)
//
// A reference is the object's address (`Ptr`). Ownership follows CPython's C API (Rule 3):
// every function documents whether it returns a new or a borrowed reference and whether it
// steals an argument. INCREF/DECREF are one typed-array access each; the eval loop writes them
// out inline, everything else calls Py_INCREF / Py_DECREF below.
//
// Deallocation goes through the type's tp_dealloc. Containers wrap their dealloc in
// trashcanBegin/trashcanEnd so that freeing a 1,000,000-deep structure neither overflows the
// JS stack nor takes quadratic time: past TRASHCAN_LIMIT nested deallocs an object is parked
// on a list threaded through its (unused, since it is untracked) _gc_prev word, and the parked
// objects are destroyed once the outermost dealloc unwinds.

import { type Ptr, NULL, I32 as heapI32 } from './mem/heap.js';
import { PyObject_Malloc } from './mem/pymem.js';
import { typeSlots, TP_ID, TP_BASICSIZE, TP_ITEMSIZE, TP_FLAGS, Py_TPFLAGS_HEAPTYPE } from './typeobject.js';


// The heap views as file-local constants: V8 reads an imported binding through its module
// cell on every use (measured ~2x slower in hot loops than a local const).
const I32 = heapI32;
export { type Ptr, NULL };

// ---- header layout ----
export const OB_REFCNT = 0;
export const OB_TYPE = 8;
export const OB_SIZE = 16;
export const PyObject_HEAD_SIZE = 16;
export const PyObject_VAR_HEAD_SIZE = 24;
export const PyGC_HEAD_SIZE = 16;
export const GC_NEXT = -16; // offsets from the object address
export const GC_PREV = -8;
export const MANAGED_DICT_PREHEADER = 16;
export const MANAGED_DICT_OFFSET = -24; // ≈ _PyObject_ManagedDictPointer: ((PyObject **)obj)-3
export const MANAGED_VALUES_OFFSET = -32; // ≈ _PyObject_ValuesPointer: ((PyDictValues **)obj)-4

// _gc_prev flag bits (pycore_gc.h)
export const PREV_MASK_FINALIZED = 1;
export const PREV_MASK_COLLECTING = 2;
export const PREV_SHIFT = 2;

/** Refcount of statically allocated runtime objects in 3.11 (reference §4.1). */
export const STATIC_REFCNT = 999_999_999;

// ---- header accessors ----
export function Py_REFCNT(o: Ptr): number {
  return I32[o >> 2];
}
export function Py_SET_REFCNT(o: Ptr, n: number): void {
  I32[o >> 2] = n;
}
export function Py_TYPE(o: Ptr): Ptr {
  return I32[(o + OB_TYPE) >> 2];
}
export function Py_SET_TYPE(o: Ptr, t: Ptr): void {
  I32[(o + OB_TYPE) >> 2] = t;
  I32[(o + OB_TYPE + 4) >> 2] = 0;
}
export function Py_SIZE(o: Ptr): number {
  return I32[(o + OB_SIZE) >> 2];
}
export function Py_SET_SIZE(o: Ptr, n: number): void {
  I32[(o + OB_SIZE) >> 2] = n;
  I32[(o + OB_SIZE + 4) >> 2] = n < 0 ? -1 : 0;
}

// ---- reference counting ----
export function Py_INCREF(o: Ptr): void {
  I32[o >> 2]++;
}
export function Py_XINCREF(o: Ptr): void {
  if (o !== NULL) I32[o >> 2]++;
}
export function Py_DECREF(o: Ptr): void {
  if (--I32[o >> 2] === 0) _Py_Dealloc(o);
}
export function Py_XDECREF(o: Ptr): void {
  if (o !== NULL && --I32[o >> 2] === 0) _Py_Dealloc(o);
}
/** Py_NewRef: INCREF and return (for expressions that hand out a new reference). */
export function Py_NewRef(o: Ptr): Ptr {
  I32[o >> 2]++;
  return o;
}
/** Py_SETREF: store `v` (stolen) into the pointer field at `addr` and DECREF the old value
 *  afterwards (the field is updated before the old object's destructor can run). */
export function Py_SETREF(addr: number, v: Ptr): void {
  const old = I32[addr >> 2];
  I32[addr >> 2] = v;
  I32[(addr >> 2) + 1] = 0;
  if (old !== NULL && --I32[old >> 2] === 0) _Py_Dealloc(old);
}
/** Py_CLEAR: set the pointer field at `addr` to NULL, then DECREF what it held. */
export function Py_CLEAR(addr: number): void {
  const old = I32[addr >> 2];
  if (old !== NULL) {
    I32[addr >> 2] = 0;
    if (--I32[old >> 2] === 0) _Py_Dealloc(old);
  }
}

/** Called when a refcount reaches 0: run the type's tp_dealloc. */
export function _Py_Dealloc(o: Ptr): void {
  const t = I32[(o + OB_TYPE) >> 2];
  // int and float, the objects that die most often, call their deallocator directly: the generic
  // call below is megamorphic (one site for every type), so V8 can never inline it
  if (t === deallocType1) deallocFn1(o);
  else if (t === deallocType2) deallocFn2(o);
  else typeSlots[I32[(t + TP_ID) >> 2]].tp_dealloc!(o);
}
let deallocType1: Ptr = -1;
let deallocFn1: (o: Ptr) => void = _Py_Dealloc;
let deallocType2: Ptr = -1;
let deallocFn2: (o: Ptr) => void = _Py_Dealloc;
/** Name the two types (with their tp_dealloc) that _Py_Dealloc calls directly (set once, by the
 *  eval loop's module, which imports int and float). */
export function setDirectDeallocs(t1: Ptr, d1: (o: Ptr) => void, t2: Ptr, d2: (o: Ptr) => void): void {
  deallocType1 = t1;
  deallocFn1 = d1;
  deallocType2 = t2;
  deallocFn2 = d2;
}

/** ≈ _Py_NewReference / PyObject_Init: set refcount 1 and the type (INCREFed when it is a heap
 *  type, as CPython's PyObject_Init does). */
export function PyObject_Init(o: Ptr, type: Ptr, heapType: boolean): Ptr {
  I32[o >> 2] = 1;
  I32[(o >> 2) + 1] = 0;
  I32[(o + OB_TYPE) >> 2] = type;
  I32[(o + OB_TYPE + 4) >> 2] = 0;
  if (heapType) I32[type >> 2]++;
  return o;
}

// ---- trashcan (≈ Py_TRASHCAN_BEGIN / Py_TRASHCAN_END, _PyTrash_thread_deposit_object) ----
// Usage inside a container's tp_dealloc, after untracking it:
//   if (trashcanBegin(o)) return;   // parked: will be destroyed later
//   ... decref the items, free the memory ...
//   trashcanEnd();
export const TRASHCAN_LIMIT = 50;
let trashDepth = 0;
let trashList: Ptr = NULL; // singly linked through _gc_prev (the object is untracked by now)
let trashDestroying = false;

export function trashcanBegin(o: Ptr): boolean {
  if (trashDepth >= TRASHCAN_LIMIT) {
    // keep the FINALIZED bit (a parked object whose __del__ already ran must not run it again)
    I32[(o + GC_PREV) >> 2] = trashList | (I32[(o + GC_PREV) >> 2] & PREV_MASK_FINALIZED);
    trashList = o;
    return true;
  }
  trashDepth++;
  return false;
}

export function trashcanEnd(): void {
  trashDepth--;
  if (trashDepth === 0 && trashList !== NULL && !trashDestroying) {
    // Destroy parked objects iteratively; their deallocs may park more, which this loop picks up.
    trashDestroying = true;
    while (trashList !== NULL) {
      const o = trashList;
      trashList = I32[(o + GC_PREV) >> 2] & ~3;
      I32[(o + GC_PREV) >> 2] &= PREV_MASK_FINALIZED;
      _Py_Dealloc(o);
    }
    trashDestroying = false;
  }
}

// ---- 64-bit hashes ----
// Python hashes are signed 64-bit. They travel as two int32 halves: hash functions return the
// LOW half and leave the HIGH half in HASH_HI[0]. An error is lo = -1 with HASH_HI[0] = -1 and
// an exception set (-1 is never a valid hash: CPython maps it to -2), as in CPython.
export const HASH_HI = new Int32Array(1);

/** Unsigned view of the high word, for code that needs the whole 64-bit value as a JS number pair. */
export function hashHiU32(): number {
  return HASH_HI[0] >>> 0;
}

/** Read a 64-bit hash stored in an 8-byte field at `addr`: returns lo, sets HASH_HI[0]. */
export function loadHash(addr: number): number {
  HASH_HI[0] = I32[(addr >> 2) + 1];
  return I32[addr >> 2];
}
/** Store a 64-bit hash (lo, hi) into the 8-byte field at `addr`. */
export function storeHash(addr: number, lo: number, hi: number): void {
  I32[addr >> 2] = lo;
  I32[(addr >> 2) + 1] = hi;
}
/** The hash as a BigInt (for `hash()`'s result and tests only; never on a hot path). */
export function hashToBigInt(lo: number, hi: number): bigint {
  return (BigInt(hi) << 32n) | BigInt(lo >>> 0);
}
/** Split a signed 64-bit BigInt hash: returns lo, sets HASH_HI[0]. */
export function hashFromBigInt(h: bigint): number {
  const u = BigInt.asUintN(64, h);
  HASH_HI[0] = Number(BigInt.asIntN(32, u >> 32n));
  return Number(BigInt.asIntN(32, u & 0xffffffffn));
}

/** ≈ _Py_HashPointer: the default hash of an object, its address rotated right by 4 bits. */
export function hashPointer(p: Ptr): number {
  // 64-bit address (high word 0) rotated right by 4: lo = p >>> 4 | (hi << 28), hi = (p & 15) << 28
  // (never -1: addresses are below 4 GiB, so the high word is at most 0xF0000000)
  HASH_HI[0] = (p & 15) << 28;
  return p >>> 4;
}

// ---- allocation of non-GC objects (≈ PyObject_New / PyObject_NewVar) ----
/** A new non-GC object of `type` (fields not zeroed): refcount 1, ob_type set. NULL when memory
 *  is exhausted (the caller raises MemoryError). */
export function PyObject_New(type: Ptr): Ptr {
  const o = PyObject_Malloc(I32[(type + TP_BASICSIZE) >> 2]);
  if (o === NULL) return NULL;
  return PyObject_Init(o, type, (I32[(type + TP_FLAGS) >> 2] & Py_TPFLAGS_HEAPTYPE) !== 0);
}
/** A new non-GC variable-size object with `n` items; ob_size = n. */
export function PyObject_NewVar(type: Ptr, n: number): Ptr {
  const o = PyObject_Malloc(I32[(type + TP_BASICSIZE) >> 2] + n * I32[(type + TP_ITEMSIZE) >> 2]);
  if (o === NULL) return NULL;
  PyObject_Init(o, type, (I32[(type + TP_FLAGS) >> 2] & Py_TPFLAGS_HEAPTYPE) !== 0);
  Py_SET_SIZE(o, n);
  return o;
}

// ---- repr recursion guard (≈ Py_ReprEnter / Py_ReprLeave in Objects/object.c) ----
// CPython keeps the objects whose repr is in progress in a list in the thread state's dict; here
// it is a JS stack of addresses that only holds entries while those reprs run (Rule 1: transient).
const reprInProgress: Ptr[] = [];

/** ≈ Py_ReprEnter: 1 if `o`'s repr is already in progress (the caller prints `[...]`-style),
 *  else records it and returns 0. (Never fails here; CPython can return -1 on MemoryError.) */
export function Py_ReprEnter(o: Ptr): number {
  for (let i = reprInProgress.length - 1; i >= 0; i--) if (reprInProgress[i] === o) return 1;
  reprInProgress.push(o);
  return 0;
}

/** ≈ Py_ReprLeave: forget the most recent entry for `o`. */
export function Py_ReprLeave(o: Ptr): void {
  for (let i = reprInProgress.length - 1; i >= 0; i--) {
    if (reprInProgress[i] === o) {
      reprInProgress.splice(i, 1);
      return;
    }
  }
}
