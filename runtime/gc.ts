// The cycle collector: its state, the GC allocation/tracking primitives and the collection
// algorithm of CPython 3.11 (≈ Modules/gcmodule.c, Include/internal/pycore_gc.h,
// pycore_object.h _PyObject_GC_TRACK).
//
// ---- Layout ----
// GC objects carry a 16-byte PyGC_Head just before the object (object.ts draws the layout):
//
//   o-16  _gc_next  low word: address of the next PyGC_Head (0 = untracked)
//   o-12            high word: 1 while the object sits in a collection's `unreachable` list
//                   (≈ NEXT_MASK_UNREACHABLE, which CPython keeps in bit 0 of _gc_next)
//   o-8   _gc_prev  low word: address of the previous PyGC_Head, flag bits 0 (FINALIZED) and
//                   1 (COLLECTING: in the generation being collected)
//   o-4             high word: gc_refs during a collection (CPython keeps it in the upper bits of
//                   _gc_prev and rebuilds the prev pointers afterwards; with the spare high word
//                   the lists stay doubly linked throughout, which changes no observable order)
//
// Generations are circular doubly linked lists through those heads, with list heads in the
// static region: gen0, gen1, gen2 and the permanent generation (gc.freeze). The collector's
// temporary lists (unreachable, finalizers, ...) have static heads too.
//
// ---- Counting and triggering (3.11) ----
// +1 to count0 for every object allocated through the GC allocator (whether or not it is ever
// tracked), -1 (if > 0) when PyObject_GC_Del frees one. Free-list reuse touches neither. A
// collection runs synchronously inside the allocation that takes count0 over threshold0, unless
// disabled, threshold0 is 0, already collecting, or an exception is set. gc_collect_generations
// picks the oldest generation whose count exceeds its threshold (generation 2 only when
// long_lived_pending >= long_lived_total / 4).
//
// ---- Collecting generation g (gc_collect_main) ----
//  1. count[g+1] += 1, count[0..g] = 0; the younger lists are appended to list g: young.
//  2. update_refs: gc_refs = ob_refcnt, COLLECTING set.  subtract_refs: tp_traverse of every
//     object in young decrements gc_refs of the COLLECTING referents.
//  3. move_unreachable: walk young in order; gc_refs > 0 → reachable: traverse it (referents
//     with gc_refs 0 get 1; referents already moved to `unreachable` come back to the tail of
//     young), clear COLLECTING. gc_refs == 0 → tentatively move to the tail of `unreachable`.
//  4. untrack_tuples(young); survivors merge into the next generation (g == 1 adds to
//     long_lived_pending); a full collection untracks dicts and resets long_lived_*.
//  5. legacy finalizers (tp_del) and everything they reach go to `finalizers` (uncollectable).
//  6. handle_weakrefs (weakrefobject.ts): clear weakrefs to the garbage, call the callbacks of
//     weakrefs that are not garbage themselves; weakrefs freed after their callback count.
//  7. finalize_garbage: tp_finalize (PEP 442 __del__) once per object (FINALIZED bit), in order.
//  8. handle_resurrected_objects: steps 2-3 again over `unreachable`; what is now reachable
//     (resurrected) joins the old generation.
//  9. m += len(final_unreachable); delete_garbage: tp_clear each (or append to gc.garbage under
//     DEBUG_SAVEALL); survivors join the old generation.
// 10. n = len(finalizers) (appended to gc.garbage), free lists cleared on full collections,
//     stats updated; the result is m + n.
//
// What this floor cannot reach directly (tuple/dict untracking, weakrefs, free lists, gc.garbage,
// gc.callbacks, sys.stderr) comes in through `gcHooks`, filled by runtime/objects/weakrefobject.ts
// and runtime/modules/gcmodule.ts.

import { type Ptr, NULL, I32 as heapI32, staticAlloc, U8 as heapU8, STATIC_END } from './mem/heap.js';
import { PyObject_Malloc, PyObject_Free } from './mem/pymem.js';
import { OB_TYPE, GC_NEXT, GC_PREV, PyGC_HEAD_SIZE, MANAGED_DICT_PREHEADER, MANAGED_DICT_OFFSET, MANAGED_VALUES_OFFSET, PREV_MASK_FINALIZED, PREV_MASK_COLLECTING, PyObject_Init } from './object.js';
import { TP_BASICSIZE, TP_ITEMSIZE, TP_FLAGS, TP_ID, TP_BASE, HT_CACHED_KEYS, Py_TPFLAGS_HAVE_GC, Py_TPFLAGS_MANAGED_DICT, Py_TPFLAGS_HEAPTYPE, typeSlots, type visitproc, type traverseproc } from './typeobject.js';


// The heap views as file-local constants: V8 reads an imported binding through its module
// cell on every use (measured ~2x slower in hot loops than a local const).
const I32 = heapI32;
const U8 = heapU8;
export const NUM_GENERATIONS = 3;

function newListHead(): Ptr {
  const h = staticAlloc(16, 16);
  I32[h >> 2] = h; // _gc_next -> itself
  I32[(h + 8) >> 2] = h; // _gc_prev -> itself
  return h;
}
/** List heads (PyGC_Head addresses): gen0, gen1, gen2, permanent. */
export const GEN_HEAD = new Int32Array(4);
for (let g = 0; g < 4; g++) GEN_HEAD[g] = newListHead();
export const PERMANENT_GENERATION = 3;
// the collector's temporary lists (a collection never nests: gcFlags.collecting)
const UNREACHABLE = newListHead();
const FINALIZERS = newListHead();
const FINAL_UNREACHABLE = newListHead();
const SEEN = newListHead();

export const gcCount = new Int32Array(3);
export const gcThreshold = new Int32Array([700, 10, 10]);
export const gcFlags = { enabled: true, collecting: false };

export const DEBUG_STATS = 1 << 0;
export const DEBUG_COLLECTABLE = 1 << 1;
export const DEBUG_UNCOLLECTABLE = 1 << 2;
export const DEBUG_SAVEALL = 1 << 5;
export const DEBUG_LEAK = DEBUG_COLLECTABLE | DEBUG_UNCOLLECTABLE | DEBUG_SAVEALL;

/** Collector state that is not a count: debug flags, the long-lived counters, and per-generation
 *  statistics (gc.get_stats). */
export const gcState = { debug: 0, longLivedTotal: 0, longLivedPending: 0 };
export const gcStatCollections = new Float64Array(3);
export const gcStatCollected = new Float64Array(3);
export const gcStatUncollectable = new Float64Array(3);

/** What the collector needs from higher floors (installed by weakrefobject.ts and gcmodule.ts). */
export const gcHooks = {
  /** exact tuple / dict types, and their untracking helpers (≈ _PyTuple_MaybeUntrack, _PyDict_MaybeUntrack) */
  tupleType: NULL as Ptr,
  dictType: NULL as Ptr,
  /** the exact list type (its items are traversed inline by the collector) */
  listType: NULL as Ptr,
  tupleMaybeUntrack: null as ((o: Ptr) => void) | null,
  dictMaybeUntrack: null as ((o: Ptr) => void) | null,
  /** ≈ handle_weakrefs(unreachable, old): returns the number of weakrefs freed after their callback */
  handleWeakrefs: null as ((unreachable: Ptr, old: Ptr) => number) | null,
  /** ≈ clear_freelists: every type's free-list clearing function (full collections) */
  clearFreeLists: [] as (() => void)[],
  /** append to gc.garbage (errors are cleared by the caller) : 0 or -1 */
  appendGarbage: null as ((o: Ptr) => number) | null,
  /** ≈ invoke_gc_callback */
  invokeCallbacks: null as ((phase: string, generation: number, collected: number, uncollectable: number) => void) | null,
  /** ≈ PySys_WriteStderr */
  writeStderr: null as ((s: string) => void) | null,
  /** ≈ PyErr_WriteUnraisable(obj) / _PyErr_WriteUnraisableMsg(msg, obj): report and clear the pending error */
  writeUnraisable: null as ((obj: Ptr, msg: string | null) => void) | null,
  /** ≈ PyErr_Clear */
  clearException: null as (() => void) | null,
  /** tp_name of a type, as the DEBUG_COLLECTABLE lines print it */
  typeName: null as ((type: Ptr) => string) | null,
};

/** Returns true when an exception is set (no automatic collection then); set by errors.ts. */
let exceptionSetHook: () => boolean = () => false;
export function setExceptionSetHook(f: () => boolean): void {
  exceptionSetHook = f;
}
/** ≈ PyErr_Clear (installed with the other hooks; errors.ts sits above this floor). */
function exceptionClearHook(): void {
  if (gcHooks.clearException !== null) gcHooks.clearException();
}
/** Kept for compatibility: the collector is built in, a hook replaces the automatic trigger. */
let collectHook: (() => void) | null = collectAutomatic;
export function setCollectHook(f: (() => void) | null): void {
  collectHook = f;
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

/** Zero `n` bytes at `p` (word stores for small blocks: a typed-array fill is a runtime call that
 *  costs more than the stores themselves at object sizes). Only the bytes asked for are written
 *  (the debug allocator checks the bytes after a block). */
function zeroBytes(p: Ptr, n: number): void {
  if (n > 256 || (p & 3) !== 0) {
    U8.fill(0, p, p + n);
    return;
  }
  const wEnd = (p + n) >> 2;
  for (let w = p >> 2; w < wEnd; w++) I32[w] = 0;
  for (let b = p + (n & ~3); b < p + n; b++) U8[b] = 0;
}

/** ≈ _PyObject_GC_New / _PyObject_GC_NewVar: allocate an UNTRACKED GC object of `type` with
 *  `nitems` items (the object's fields are not zeroed; the GC head and pre-header are). Returns a
 *  new reference, or NULL when memory is exhausted (the caller raises MemoryError). */
export function PyObject_GC_NewVar(type: Ptr, nitems: number): Ptr {
  const flags = I32[(type + TP_FLAGS) >> 2];
  const size = I32[(type + TP_BASICSIZE) >> 2] + nitems * I32[(type + TP_ITEMSIZE) >> 2];
  const pre = (flags & Py_TPFLAGS_MANAGED_DICT) !== 0 ? PyGC_HEAD_SIZE + MANAGED_DICT_PREHEADER : PyGC_HEAD_SIZE;
  const mem = PyObject_Malloc(pre + size);
  if (mem === NULL) return NULL;
  const o = mem + pre;
  // the GC head (and pre-header): 4 or 8 words
  for (let w = mem >> 2; w < o >> 2; w++) I32[w] = 0;
  gcLink();
  return PyObject_Init(o, type, (flags & Py_TPFLAGS_HEAPTYPE) !== 0);
}
export function PyObject_GC_New(type: Ptr): Ptr {
  return PyObject_GC_NewVar(type, 0);
}

/** ≈ PyObject_GC_Del: free a GC object's memory (unlinking it if it is still tracked). */
export function PyObject_GC_Del(o: Ptr): void {
  const pre = gcPresize(I32[(o + OB_TYPE) >> 2]);
  if (I32[(o + GC_NEXT) >> 2] !== 0) PyObject_GC_UnTrack(o);
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
  I32[(gc + 4) >> 2] = 0;
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

/** Does any type have a tp_is_gc slot? Set by each collection before its passes (no type of the
 *  runtime has one today; TS code would have to install it, never Python code). */
let anyTpIsGc = true;
function refreshAnyTpIsGc(): void {
  let any = false;
  for (let i = 0; i < typeSlots.length; i++) {
    if (typeSlots[i].tp_is_gc !== undefined) {
      any = true;
      break;
    }
  }
  anyTpIsGc = any;
}
/** _PyObject_IS_GC for an object above the static region, inside a collection: the slot record
 *  is read only when some type has a tp_is_gc. */
function isGC(o: Ptr): boolean {
  const t = I32[(o + OB_TYPE) >> 2];
  if ((I32[(t + TP_FLAGS) >> 2] & Py_TPFLAGS_HAVE_GC) === 0) return false;
  if (!anyTpIsGc) return true;
  const isgc = typeSlots[I32[(t + TP_ID) >> 2]].tp_is_gc;
  return isgc === undefined || isgc(o) !== 0;
}

/** ≈ _PyObject_IS_GC: a GC type's object that really has a GC head. Objects in the static
 *  region (static types, the empty tuple) are never tracked, so they never count as GC objects
 *  here (CPython's type_is_gc says the same of static types). */
export function _PyObject_IS_GC(o: Ptr): boolean {
  if (o < STATIC_END) return false;
  const t = I32[(o + OB_TYPE) >> 2];
  if ((I32[(t + TP_FLAGS) >> 2] & Py_TPFLAGS_HAVE_GC) === 0) return false;
  const isgc = typeSlots[I32[(t + TP_ID) >> 2]].tp_is_gc;
  return isgc === undefined || isgc(o) !== 0;
}

/** ≈ PyType_GenericAlloc: a zeroed instance of `type` with `nitems` items (ob_size set for
 *  variable-size types); GC objects are counted and tracked. New reference or NULL. */
export function PyType_GenericAlloc(type: Ptr, nitems: number): Ptr {
  const flags = I32[(type + TP_FLAGS) >> 2];
  const itemsize = I32[(type + TP_ITEMSIZE) >> 2];
  const size = I32[(type + TP_BASICSIZE) >> 2] + (itemsize !== 0 ? (nitems + 1) * itemsize : 0);
  const isGC = (flags & Py_TPFLAGS_HAVE_GC) !== 0;
  const pre = !isGC ? 0 : (flags & Py_TPFLAGS_MANAGED_DICT) !== 0 ? PyGC_HEAD_SIZE + MANAGED_DICT_PREHEADER : PyGC_HEAD_SIZE;
  const mem = PyObject_Malloc(pre + size);
  if (mem === NULL) return NULL;
  zeroBytes(mem, pre + size);
  const o = mem + pre;
  // ≈ PyObject_Init (refcount 1 and the type; the other words are zero already)
  I32[o >> 2] = 1;
  I32[(o + OB_TYPE) >> 2] = type;
  if ((flags & Py_TPFLAGS_HEAPTYPE) !== 0) I32[type >> 2]++;
  if (itemsize !== 0) I32[(o + 16) >> 2] = nitems;
  if (isGC) {
    gcLink();
    PyObject_GC_Track(o);
  }
  return o;
}

// =====================================================================================
// GC lists (≈ gc_list_* in gcmodule.c). `g` is a PyGC_Head address (object - 16); list heads
// carry no flags.
// =====================================================================================

export function gc_list_init(list: Ptr): void {
  I32[list >> 2] = list;
  I32[(list + 8) >> 2] = list;
}
export function gc_list_is_empty(list: Ptr): boolean {
  return I32[list >> 2] === list;
}
/** Next head in the list. */
export function GC_NEXT_OF(g: Ptr): Ptr {
  return I32[g >> 2];
}
/** Unlink `g` from its list and append it at the tail of `list`. */
export function gc_list_move(g: Ptr, list: Ptr): void {
  const prev = I32[(g + 8) >> 2] & ~3;
  const next = I32[g >> 2];
  I32[prev >> 2] = next;
  I32[(next + 8) >> 2] = prev | (I32[(next + 8) >> 2] & 3);
  const last = I32[(list + 8) >> 2] & ~3;
  I32[(g + 8) >> 2] = last | (I32[(g + 8) >> 2] & 3);
  I32[last >> 2] = g;
  I32[(list + 8) >> 2] = g;
  I32[g >> 2] = list;
}
/** Append list `from` at the tail of `to`; `from` becomes empty. */
export function gc_list_merge(from: Ptr, to: Ptr): void {
  if (!gc_list_is_empty(from)) {
    const toTail = I32[(to + 8) >> 2] & ~3;
    const fromHead = I32[from >> 2];
    const fromTail = I32[(from + 8) >> 2] & ~3;
    I32[toTail >> 2] = fromHead;
    I32[(fromHead + 8) >> 2] = toTail | (I32[(fromHead + 8) >> 2] & 3);
    I32[fromTail >> 2] = to;
    I32[(to + 8) >> 2] = fromTail;
  }
  gc_list_init(from);
}
export function gc_list_size(list: Ptr): number {
  let n = 0;
  for (let g = I32[list >> 2]; g !== list; g = I32[g >> 2]) n++;
  return n;
}
/** Is the object (not the head) in the generation being collected? */
export function gc_is_collecting(o: Ptr): boolean {
  return (I32[(o + GC_PREV) >> 2] & PREV_MASK_COLLECTING) !== 0;
}
function gc_clear_collecting(g: Ptr): void {
  I32[(g + 8) >> 2] &= ~PREV_MASK_COLLECTING;
}
function gc_list_clear_collecting(list: Ptr): void {
  for (let g = I32[list >> 2]; g !== list; g = I32[g >> 2]) I32[(g + 8) >> 2] &= ~PREV_MASK_COLLECTING;
}

// =====================================================================================
// The algorithm
// =====================================================================================

/** The type's tp_traverse; a tracked object whose type has none is treated as referencing
 *  nothing (CPython would crash; such an object can only be kept alive, never collected). */
function traverseOf(o: Ptr): (o: Ptr, visit: visitproc, arg: number) => number {
  return typeSlots[I32[(I32[(o + OB_TYPE) >> 2] + TP_ID) >> 2]].tp_traverse ?? noTraverse;
}
function noTraverse(_o: Ptr, _visit: visitproc, _arg: number): number {
  return 0;
}

/** ≈ update_refs: gc_refs = ob_refcnt, COLLECTING set (FINALIZED kept). */
function update_refs(containers: Ptr): void {
  for (let g = I32[containers >> 2]; g !== containers; g = I32[g >> 2]) {
    const rc = I32[(g + 16) >> 2];
    if (rc <= 0) throw new Error(`pymem bug: the collector found a tracked object with refcount ${rc} (a dealloc left it tracked?)`);
    I32[(g + 12) >> 2] = rc;
    I32[(g + 8) >> 2] = (I32[(g + 8) >> 2] & ~3) | (I32[(g + 8) >> 2] & PREV_MASK_FINALIZED) | PREV_MASK_COLLECTING;
  }
}

/** ≈ visit_decref */
function visit_decref(o: Ptr, _arg: number): number {
  decRef(o);
  return 0;
}
/** visit_decref's body, called directly by the inline traversals below (TurboFan inlines it). */
function decRef(o: Ptr): void {
  if (o >= STATIC_END && (I32[(o - 8) >> 2] & PREV_MASK_COLLECTING) !== 0 && isGC(o)) {
    if (--I32[(o - 4) >> 2] < 0) gcRefsBelowZero(o);
  }
}

function gcRefsBelowZero(o: Ptr): never {
  throw new Error(`pymem bug: gc_refs below zero (refcount too small) for a ${typeSlots[I32[(I32[(o + OB_TYPE) >> 2] + TP_ID) >> 2]].name} object`);
}

// Exact tuples and lists, the commonest containers, and instances of plain classes are traversed
// by inline loops below instead of tp_traverse + a visit callback: the same referents in the same
// order (last item first, as tupletraverse and list_traverse visit them; for an instance, its
// attribute values, its dict, its class, as subtype_traverse does), so objects move exactly as
// they would otherwise.
const TUPLE_ITEMS_OFF = 24; // PyTupleObject.ob_item
const LIST_ITEMS_OFF = 24; // PyListObject.ob_item (pointer)
const DK_NENTRIES_OFF = 24; // PyDictKeysObject.dk_nentries (dictobject.ts DK_NENTRIES)

/** subtype_traverse and `object`, installed by typeobject_heap.ts (setPlainInstanceTraverse). */
let instanceTraverse: traverseproc | null = null;
let objectType: Ptr = NULL;
/** Registers subtype_traverse: instances of classes whose tp_traverse it is, whose base is
 *  `object` (which has no tp_traverse) and which have no __slots__, are traversed inline. */
export function setPlainInstanceTraverse(f: traverseproc, objType: Ptr): void {
  instanceTraverse = f;
  objectType = objType;
}
/** Is `t` a class whose instances subtype_traverse visits as (values..., dict, class)? */
function isPlainInstanceType(t: Ptr): boolean {
  return (
    (I32[(t + TP_FLAGS) >> 2] & (Py_TPFLAGS_MANAGED_DICT | Py_TPFLAGS_HEAPTYPE)) === (Py_TPFLAGS_MANAGED_DICT | Py_TPFLAGS_HEAPTYPE) &&
    I32[(t + TP_BASE) >> 2] === objectType &&
    I32[(t + 16) >> 2] === 0 && // Py_SIZE(type): no __slots__ members
    typeSlots[I32[(t + TP_ID) >> 2]].tp_traverse === instanceTraverse &&
    instanceTraverse !== null
  );
}

/** ≈ subtract_refs */
function subtract_refs(containers: Ptr): void {
  const tt = gcHooks.tupleType;
  const lt = gcHooks.listType;
  for (let g = I32[containers >> 2]; g !== containers; g = I32[g >> 2]) {
    const o = g + 16;
    const t = I32[(o + OB_TYPE) >> 2];
    if (t === tt || (t === lt && lt !== NULL)) {
      const items = t === tt ? o + TUPLE_ITEMS_OFF : I32[(o + LIST_ITEMS_OFF) >> 2];
      for (let i = I32[(o + 16) >> 2] - 1; i >= 0; i--) decRef(I32[(items + 8 * i) >> 2]); // (NULL is below STATIC_END)
      continue;
    }
    if (isPlainInstanceType(t)) {
      const v = I32[(o + MANAGED_VALUES_OFFSET) >> 2];
      if (v !== NULL) {
        const k = I32[(t + HT_CACHED_KEYS) >> 2];
        const n = k === NULL ? 0 : I32[(k + DK_NENTRIES_OFF) >> 2];
        for (let i = 0; i < n; i++) decRef(I32[(v + 8 * i) >> 2]);
      }
      decRef(I32[(o + MANAGED_DICT_OFFSET) >> 2]);
      decRef(t);
      continue;
    }
    traverseOf(o)(o, visit_decref, o);
  }
}

/** ≈ visit_reachable (arg = the young list head) */
function visit_reachable(o: Ptr, young: number): number {
  markReachable(o, young);
  return 0;
}
/** visit_reachable's body, called directly by the inline traversals. */
function markReachable(o: Ptr, young: Ptr): void {
  if (o < STATIC_END || (I32[(o - 8) >> 2] & PREV_MASK_COLLECTING) === 0 || !isGC(o)) return;
  const g = o - 16;
  if (I32[(g + 4) >> 2] !== 0) {
    // tentatively unreachable, but reachable after all: back to the tail of young
    I32[(g + 4) >> 2] = 0;
    gc_list_move(g, young);
    I32[(g + 12) >> 2] = 1;
  } else if (I32[(g + 12) >> 2] === 0) {
    I32[(g + 12) >> 2] = 1;
  }
}

/** ≈ move_unreachable */
function move_unreachable(young: Ptr, unreachable: Ptr): void {
  const tt = gcHooks.tupleType;
  const lt = gcHooks.listType;
  let g = I32[young >> 2];
  while (g !== young) {
    if (I32[(g + 12) >> 2] !== 0) {
      const o = g + 16;
      const t = I32[(o + OB_TYPE) >> 2];
      if (t === tt || (t === lt && lt !== NULL)) {
        const items = t === tt ? o + TUPLE_ITEMS_OFF : I32[(o + LIST_ITEMS_OFF) >> 2];
        for (let i = I32[(o + 16) >> 2] - 1; i >= 0; i--) markReachable(I32[(items + 8 * i) >> 2], young);
      } else if (isPlainInstanceType(t)) {
        const v = I32[(o + MANAGED_VALUES_OFFSET) >> 2];
        if (v !== NULL) {
          const k = I32[(t + HT_CACHED_KEYS) >> 2];
          const n = k === NULL ? 0 : I32[(k + DK_NENTRIES_OFF) >> 2];
          for (let i = 0; i < n; i++) markReachable(I32[(v + 8 * i) >> 2], young);
        }
        markReachable(I32[(o + MANAGED_DICT_OFFSET) >> 2], young);
        markReachable(t, young);
      } else traverseOf(o)(o, visit_reachable, young);
      I32[(g + 8) >> 2] &= ~PREV_MASK_COLLECTING;
      g = I32[g >> 2];
    } else {
      const next = I32[g >> 2];
      gc_list_move(g, unreachable);
      I32[(g + 4) >> 2] = 1;
      g = next;
    }
  }
}

/** ≈ deduce_unreachable */
function deduce_unreachable(base: Ptr, unreachable: Ptr): void {
  update_refs(base);
  subtract_refs(base);
  gc_list_init(unreachable);
  move_unreachable(base, unreachable);
}

/** ≈ clear_unreachable_mask */
function clear_unreachable_mask(unreachable: Ptr): void {
  for (let g = I32[unreachable >> 2]; g !== unreachable; g = I32[g >> 2]) I32[(g + 4) >> 2] = 0;
}

/** ≈ untrack_tuples: _PyTuple_MaybeUntrack (tupleobject.ts) of every exact tuple, written out
 *  here: a tuple whose items are all non-NULL and can never be in a cycle (not GC objects, or
 *  untracked tuples) is untracked. Returns the length of the list afterwards (the collection
 *  needs it for generation 1: one walk less). */
function untrack_tuples(head: Ptr): number {
  if (gcHooks.tupleMaybeUntrack === null) return gc_list_size(head);
  const tt = gcHooks.tupleType;
  let n = 0;
  let g = I32[head >> 2];
  while (g !== head) {
    const next = I32[g >> 2];
    const o = g + 16;
    n++;
    if (I32[(o + OB_TYPE) >> 2] === tt) {
      let i = I32[(o + 16) >> 2] - 1;
      for (; i >= 0; i--) {
        const it = I32[(o + TUPLE_ITEMS_OFF + 8 * i) >> 2];
        if (it === NULL) break;
        const itt = I32[(it + OB_TYPE) >> 2];
        if ((I32[(itt + TP_FLAGS) >> 2] & Py_TPFLAGS_HAVE_GC) === 0) continue;
        if (itt === tt) {
          if (I32[(it + GC_NEXT) >> 2] !== 0) break;
          continue;
        }
        const isgc = typeSlots[I32[(itt + TP_ID) >> 2]].tp_is_gc;
        if (isgc === undefined || isgc(it) !== 0) break;
      }
      if (i < 0) {
        PyObject_GC_UnTrack(o);
        n--;
      }
    }
    g = next;
  }
  return n;
}

/** ≈ untrack_dicts; returns the length of the list afterwards (for long_lived_total). */
function untrack_dicts(head: Ptr): number {
  const f = gcHooks.dictMaybeUntrack;
  if (f === null) return gc_list_size(head);
  const dt = gcHooks.dictType;
  let n = 0;
  let g = I32[head >> 2];
  while (g !== head) {
    const next = I32[g >> 2];
    if (I32[(g + 16 + OB_TYPE) >> 2] === dt) f(g + 16);
    // (f untracks g or leaves it: only g can leave the list)
    if (I32[g >> 2] !== 0) n++;
    g = next;
  }
  return n;
}

function has_legacy_finalizer(o: Ptr): boolean {
  return typeSlots[I32[(I32[(o + OB_TYPE) >> 2] + TP_ID) >> 2]].tp_del !== undefined;
}

/** ≈ move_legacy_finalizers (also clears the unreachable marks) */
function move_legacy_finalizers(unreachable: Ptr, finalizers: Ptr): void {
  let g = I32[unreachable >> 2];
  while (g !== unreachable) {
    I32[(g + 4) >> 2] = 0;
    const next = I32[g >> 2];
    if (has_legacy_finalizer(g + 16)) {
      gc_clear_collecting(g);
      gc_list_move(g, finalizers);
    }
    g = next;
  }
}

/** ≈ visit_move (arg = the finalizers list head) */
function visit_move(o: Ptr, tolist: number): number {
  if (o >= STATIC_END && (I32[(o - 8) >> 2] & PREV_MASK_COLLECTING) !== 0 && _PyObject_IS_GC(o)) {
    gc_list_move(o - 16, tolist);
    gc_clear_collecting(o - 16);
  }
  return 0;
}

/** ≈ move_legacy_finalizer_reachable */
function move_legacy_finalizer_reachable(finalizers: Ptr): void {
  for (let g = I32[finalizers >> 2]; g !== finalizers; g = I32[g >> 2]) {
    const o = g + 16;
    traverseOf(o)(o, visit_move, finalizers);
  }
}

function writeStderr(s: string): void {
  if (gcHooks.writeStderr !== null) gcHooks.writeStderr(s);
}
function tpName(o: Ptr): string {
  const t = I32[(o + OB_TYPE) >> 2];
  return gcHooks.typeName !== null ? gcHooks.typeName(t) : typeSlots[I32[(t + TP_ID) >> 2]].name;
}
/** ≈ debug_cycle: "gc: collectable <list 0x...>" */
function debug_cycle(msg: string, o: Ptr): void {
  writeStderr(`gc: ${msg} <${tpName(o)} 0x${o.toString(16)}>\n`);
}

function writeUnraisable(obj: Ptr, msg: string | null): void {
  if (gcHooks.writeUnraisable !== null) gcHooks.writeUnraisable(obj, msg);
  else exceptionClearHook();
}

/** ≈ handle_legacy_finalizers */
function handle_legacy_finalizers(finalizers: Ptr, old: Ptr): void {
  const saveAll = (gcState.debug & DEBUG_SAVEALL) !== 0;
  for (let g = I32[finalizers >> 2]; g !== finalizers; g = I32[g >> 2]) {
    const o = g + 16;
    if (saveAll || has_legacy_finalizer(o)) {
      if (gcHooks.appendGarbage === null || gcHooks.appendGarbage(o) < 0) {
        exceptionClearHook();
        break;
      }
    }
  }
  gc_list_merge(finalizers, old);
}

/** ≈ finalize_garbage: tp_finalize once per object, in list order. Objects freed by refcount
 *  meanwhile drop out of the lists (their dealloc untracks them). */
function finalize_garbage(collectable: Ptr): void {
  const seen = SEEN;
  gc_list_init(seen);
  while (!gc_list_is_empty(collectable)) {
    const g = I32[collectable >> 2];
    const o = g + 16;
    gc_list_move(g, seen);
    if ((I32[(g + 8) >> 2] & PREV_MASK_FINALIZED) === 0) {
      const fin = typeSlots[I32[(I32[(o + OB_TYPE) >> 2] + TP_ID) >> 2]].tp_finalize;
      if (fin !== undefined) {
        I32[(g + 8) >> 2] |= PREV_MASK_FINALIZED;
        I32[o >> 2]++;
        fin(o);
        if (--I32[o >> 2] === 0) deallocHook(o);
      }
    }
  }
  gc_list_merge(seen, collectable);
}

/** _Py_Dealloc without importing object.ts's (same function; kept local to avoid the cycle
 *  object.ts -> typeobject.ts at load). */
function deallocHook(o: Ptr): void {
  typeSlots[I32[(I32[(o + OB_TYPE) >> 2] + TP_ID) >> 2]].tp_dealloc!(o);
}

/** ≈ handle_resurrected_objects */
function handle_resurrected_objects(unreachable: Ptr, stillUnreachable: Ptr, old: Ptr): void {
  gc_list_clear_collecting(unreachable);
  deduce_unreachable(unreachable, stillUnreachable);
  clear_unreachable_mask(stillUnreachable);
  gc_list_merge(unreachable, old);
}

/** ≈ delete_garbage: tp_clear each object (DEBUG_SAVEALL: keep it in gc.garbage instead);
 *  objects still alive afterwards move to `old`. */
function delete_garbage(collectable: Ptr, old: Ptr): void {
  while (!gc_list_is_empty(collectable)) {
    const g = I32[collectable >> 2];
    const o = g + 16;
    if ((gcState.debug & DEBUG_SAVEALL) !== 0) {
      if (gcHooks.appendGarbage === null || gcHooks.appendGarbage(o) < 0) exceptionClearHook();
    } else {
      const clear = typeSlots[I32[(I32[(o + OB_TYPE) >> 2] + TP_ID) >> 2]].tp_clear;
      if (clear !== undefined) {
        I32[o >> 2]++;
        clear(o);
        if (exceptionSetHook()) writeUnraisable(I32[(o + OB_TYPE) >> 2], 'in tp_clear of');
        if (--I32[o >> 2] === 0) deallocHook(o);
      }
    }
    if (I32[collectable >> 2] === g) {
      // still alive: it may die later
      gc_clear_collecting(g);
      gc_list_move(g, old);
    }
  }
}

/** ≈ clear_freelists (full collections only) */
function clear_freelists(): void {
  for (const f of gcHooks.clearFreeLists) f();
}

function show_stats_each_generations(): void {
  writeStderr(
    `gc: objects in each generation: ${gc_list_size(GEN_HEAD[0])} ${gc_list_size(GEN_HEAD[1])} ${gc_list_size(GEN_HEAD[2])}\n` +
      `gc: objects in permanent generation: ${gc_list_size(GEN_HEAD[PERMANENT_GENERATION])}\n`,
  );
}

/** Results of the last gc_collect_main (≈ its n_collected / n_uncollectable out-parameters). */
export const lastCollection = { collected: 0, uncollectable: 0 };

/** ≈ gc_collect_main: collect `generation` (0..2) and return m + n. The caller sets
 *  gcFlags.collecting. `nofail`: clear (instead of report) an error left at the end. */
export function gc_collect_main(generation: number, nofail: boolean): number {
  let m = 0; // objects collected
  let n = 0; // unreachable objects that could not be collected
  let t1 = 0;
  if ((gcState.debug & DEBUG_STATS) !== 0) {
    writeStderr(`gc: collecting generation ${generation}...\n`);
    show_stats_each_generations();
    t1 = performance.now();
  }

  // update collection and allocation counters
  if (generation + 1 < NUM_GENERATIONS) gcCount[generation + 1] += 1;
  for (let i = 0; i <= generation; i++) gcCount[i] = 0;

  // merge younger generations with the one being collected
  for (let i = 0; i < generation; i++) gc_list_merge(GEN_HEAD[i], GEN_HEAD[generation]);

  refreshAnyTpIsGc();
  const young = GEN_HEAD[generation];
  const old = generation < NUM_GENERATIONS - 1 ? GEN_HEAD[generation + 1] : young;

  const unreachable = UNREACHABLE;
  deduce_unreachable(young, unreachable);

  const survivors = untrack_tuples(young);
  // move reachable objects to the next generation
  if (young !== old) {
    if (generation === NUM_GENERATIONS - 2) gcState.longLivedPending += survivors;
    gc_list_merge(young, old);
  } else {
    // dicts are untracked only in full collections, to avoid quadratic dict build-up
    const n = untrack_dicts(young);
    gcState.longLivedPending = 0;
    gcState.longLivedTotal = n;
  }

  // objects reachable from legacy finalizers (tp_del) can't safely be deleted
  const finalizers = FINALIZERS;
  gc_list_init(finalizers);
  move_legacy_finalizers(unreachable, finalizers);
  move_legacy_finalizer_reachable(finalizers);

  if ((gcState.debug & DEBUG_COLLECTABLE) !== 0) {
    for (let g = I32[unreachable >> 2]; g !== unreachable; g = I32[g >> 2]) debug_cycle('collectable', g + 16);
  }

  // clear weakrefs and invoke callbacks as necessary
  if (gcHooks.handleWeakrefs !== null) m += gcHooks.handleWeakrefs(unreachable, old);

  // call tp_finalize on objects which have one
  finalize_garbage(unreachable);

  // resurrected objects go to the old generation; the rest is final_unreachable
  const finalUnreachable = FINAL_UNREACHABLE;
  handle_resurrected_objects(unreachable, finalUnreachable, old);

  // tp_clear breaks the cycles; this may also free objects in `finalizers`
  m += gc_list_size(finalUnreachable);
  delete_garbage(finalUnreachable, old);

  for (let g = I32[finalizers >> 2]; g !== finalizers; g = I32[g >> 2]) {
    n++;
    if ((gcState.debug & DEBUG_UNCOLLECTABLE) !== 0) debug_cycle('uncollectable', g + 16);
  }
  if ((gcState.debug & DEBUG_STATS) !== 0) {
    const d = (performance.now() - t1) / 1000;
    writeStderr(`gc: done, ${n + m} unreachable, ${n} uncollectable, ${d.toFixed(4)}s elapsed\n`);
  }

  // uncollectable objects go to gc.garbage
  handle_legacy_finalizers(finalizers, old);

  // free lists are cleared only by collections of the oldest generation
  if (generation === NUM_GENERATIONS - 1) clear_freelists();

  if (exceptionSetHook()) {
    if (nofail) exceptionClearHook();
    else writeUnraisable(NULL, 'in garbage collection');
  }

  lastCollection.collected = m;
  lastCollection.uncollectable = n;
  gcStatCollections[generation]++;
  gcStatCollected[generation] += m;
  gcStatUncollectable[generation] += n;
  return n + m;
}

/** ≈ gc_collect_with_callback: the "start"/"stop" gc.callbacks around gc_collect_main. */
export function gc_collect_with_callback(generation: number): number {
  const cb = gcHooks.invokeCallbacks;
  if (cb !== null) cb('start', generation, 0, 0);
  const result = gc_collect_main(generation, false);
  if (cb !== null) cb('stop', generation, lastCollection.collected, lastCollection.uncollectable);
  return result;
}

/** ≈ gc_collect_generations: the automatic collection's choice of generation. */
export function gc_collect_generations(): number {
  let n = 0;
  for (let i = NUM_GENERATIONS - 1; i >= 0; i--) {
    if (gcCount[i] > gcThreshold[i]) {
      // a full collection only when enough objects are pending (issue #4074)
      if (i === NUM_GENERATIONS - 1 && gcState.longLivedPending < Math.trunc(gcState.longLivedTotal / 4)) continue;
      n = gc_collect_with_callback(i);
      break;
    }
  }
  return n;
}

/** The automatic collection run by gcLink (≈ the body of _PyObject_GC_Link's trigger). */
function collectAutomatic(): void {
  gcFlags.collecting = true;
  try {
    gc_collect_generations();
  } finally {
    gcFlags.collecting = false;
  }
}

/** ≈ gc.collect(generation): 0 when a collection is already running (works while disabled).
 *  The caller checks the generation (ValueError "invalid generation"). */
export function gc_collect_impl(generation: number): number {
  if (gcFlags.collecting) return 0;
  gcFlags.collecting = true;
  try {
    return gc_collect_with_callback(generation);
  } finally {
    gcFlags.collecting = false;
  }
}

/** ≈ PyGC_Collect: a full collection with callbacks, unless disabled or already collecting; a
 *  pending exception is saved and restored around it (`save`/`restore` from errors.ts). */
export function PyGC_Collect(save: () => Ptr, restore: (e: Ptr) => void): number {
  if (!gcFlags.enabled) return 0;
  if (gcFlags.collecting) return 0;
  gcFlags.collecting = true;
  const exc = save();
  try {
    return gc_collect_with_callback(NUM_GENERATIONS - 1);
  } finally {
    restore(exc);
    gcFlags.collecting = false;
  }
}

/** ≈ _PyGC_CollectNoFail: a full collection without callbacks (interpreter shutdown). */
export function _PyGC_CollectNoFail(): number {
  if (gcFlags.collecting) return 0;
  gcFlags.collecting = true;
  try {
    return gc_collect_main(NUM_GENERATIONS - 1, true);
  } finally {
    gcFlags.collecting = false;
  }
}

/** ≈ gc.freeze: every tracked object moves to the permanent generation; counts reset. */
export function gc_freeze(): void {
  for (let i = 0; i < NUM_GENERATIONS; i++) {
    gc_list_merge(GEN_HEAD[i], GEN_HEAD[PERMANENT_GENERATION]);
    gcCount[i] = 0;
  }
}
/** ≈ gc.unfreeze: the permanent generation goes to the tail of generation 2. */
export function gc_unfreeze(): void {
  gc_list_merge(GEN_HEAD[PERMANENT_GENERATION], GEN_HEAD[NUM_GENERATIONS - 1]);
}

/** Visit the tracked objects of a generation list in order (gc.get_objects, get_referrers). The
 *  callback must not untrack or free objects. */
export function forEachInGeneration(gen: number, f: (o: Ptr) => void): void {
  const head = GEN_HEAD[gen];
  for (let g = I32[head >> 2]; g !== head; g = I32[g >> 2]) f(g + 16);
}

/** Back to the state right after start-up (test harnesses only): counts 0, thresholds and flags
 *  default, statistics cleared. The generation lists are left alone. */
export function resetGCState(): void {
  gcCount.fill(0);
  gcThreshold.set([700, 10, 10]);
  gcFlags.enabled = true;
  gcFlags.collecting = false;
  gcState.debug = 0;
  gcState.longLivedPending = 0;
  gcState.longLivedTotal = 0;
  gcStatCollections.fill(0);
  gcStatCollected.fill(0);
  gcStatUncollectable.fill(0);
}
