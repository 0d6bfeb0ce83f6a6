// dict, its views and iterators (≈ Objects/dictobject.c, CPython 3.11 compact dict).
//
// PyDictObject (GC; 48 bytes + 16 GC head):
//   0 ob_refcnt · 8 ob_type · 16 ma_used · 24 ma_version_tag · 32 ma_keys · 40 ma_values
//   ma_values is NULL for combined tables (split tables of instance dicts come with classes;
//   every path below checks it, so they can be added there).
//
// PyDictKeysObject (OBJ domain, one block):
//    0 dk_refcnt (8)        8 dk_log2_size (1)   9 dk_log2_index_bytes (1)   10 dk_kind (1)
//   12 dk_version (4)      16 dk_usable (8)     24 dk_nentries (8)
//   32 dk_indices: 2^log2_size signed indices of 1 byte (size ≤ 128), 2 (≤ 2^15), 4, or 8 bytes
//      (-1 empty, -2 dummy, else an entry number)
//   32 + 2^log2_index_bytes: USABLE(2^log2_size) = ⌊2·size/3⌋ entries, in insertion order:
//      GENERAL kind: {me_hash 8, me_key 8, me_value 8} (24 bytes)
//      UNICODE kind (every key an exact str; the hash is the str's cached one): {me_key, me_value}
//
// getsizeof = 16 + 48 + (keys block size when the dict owns its keys: 32 + index bytes + entries).
//
// Algorithm (3.11):
//  - probe: i = hash & mask, perturb = hash (unsigned 64-bit); repeat perturb >>= 5,
//    i = (5i + perturb + 1) & mask. Lookups compare identity first, then hash, then ==.
//  - insert appends an entry and points the first empty OR dummy index slot at it; usable -= 1.
//    When usable is 0, resize to log2 = bitlen(((3·used | 8) - 1) | 7) (so 1..7 items → 16
//    slots); a non-str key into a UNICODE table first converts it to GENERAL through the same
//    resize. Deleting makes the index a dummy and clears the entry; usable is not given back.
//    Resizing compacts the live entries in order.
//  - `{}` shares the static empty keys object; free lists of 80 dicts and 80 keys objects (8-slot
//    UNICODE ones); a dict is created untracked and is tracked when a key or value that may be
//    tracked is stored (MAINTAIN_TRACKING).
//  - dealloc/clear: DECREF entries in order, key then value.
//  - ma_version_tag gets a new global version on every change; dk_version is reset to 0 when the
//    keys change (for the VM's inline caches).
//
// Views (keys/values/items, GC, getsizeof 40): [16 dv_dict]. Keys and items views are set-like:
//   & | - ^ build a new set (the view or the other operand turned into a set, then updated the
//   way set's methods do), comparisons are subset tests by `in`, and they are unhashable.
// Iterators (GC, getsizeof 72):
//   16 di_dict · 24 di_used · 32 di_pos · 40 di_result (the reused 2-tuple of items iterators) · 48 len

import { type Ptr, NULL, I32 as heapI32, I8 as heapI8, I16 as heapI16, U8 as heapU8, staticAlloc } from '../mem/heap.js';
import { PyObject_Malloc, PyObject_Free } from '../mem/pymem.js';
import { OB_TYPE, OB_SIZE, HASH_HI, Py_DECREF, Py_XDECREF, trashcanBegin, trashcanEnd, Py_ReprEnter, Py_ReprLeave } from '../object.js';
import {
  newStaticType, typeName, slotsOfObj, PyType_IsSubtype, Py_TPFLAGS_BASETYPE, Py_TPFLAGS_HAVE_GC,
  Py_TPFLAGS_DICT_SUBCLASS, Py_TPFLAGS_MAPPING, Py_EQ, TP_FLAGS, METH_NOARGS, METH_O, METH_FASTCALL, METH_CLASS,
  METH_COEXIST, METH_KEYWORDS, Py_NE, Py_LT, Py_LE, Py_GT, Py_GE,
  type MethodDef,
  type visitproc, TP_BASICSIZE,
} from '../typeobject.js';
import { PyObject_GC_New, PyObject_GC_Del, PyObject_GC_Track, PyObject_GC_UnTrack, _PyObject_GC_IS_TRACKED, PyType_GenericAlloc } from '../gc.js';
import { PyErr_SetString, PyErr_SetObject, PyErr_NoMemory, PyErr_Occurred, PyErr_Clear, PyErr_ExceptionMatches } from '../errors.js';
import { PyExc_KeyError, PyExc_TypeError, PyExc_ValueError, PyExc_RuntimeError, PyExc_SystemError } from './exceptions.js';
import {
  PyObject_Hash, PyObject_RichCompareBool, PyObject_Repr, PyObject_GetIter, PyIter_Next, PyObject_HashNotImplemented, PyObject_Size,
  PySequence_Contains,
} from '../abstract.js';
import { PyObject_CallNoArgs } from '../call.js';
import { Py_True, Py_False } from './boolobject.js';
import { PyLong_FromSsize_t } from './longobject.js';
import { Py_None, Py_NotImplemented } from './noneobject.js';
import { PyUnicode_Type, PyUnicode_FromString, unicodeToJs, unicode_eq, UNICODE_HASH } from './unicodeobject.js';
import {
  PyTuple_New, PyTuple_Pack2, PyTuple_SET_ITEM, PyTuple_GET_ITEM, PyTuple_Type, TUPLE_ITEMS, _PyObject_GC_MAY_BE_TRACKED,
  _PyDebugAllocatorStats, PyObject_SelfIter,
} from './tupleobject.js';
import { PyList_New, PyList_SET_ITEM, PySequence_Fast, PySequence_List, fastSize, fastItems } from './listobject.js';


// The heap views as file-local constants: V8 reads an imported binding through its module
// cell on every use (measured ~2x slower in hot loops than a local const).
const I32 = heapI32;
const I8 = heapI8;
const I16 = heapI16;
const U8 = heapU8;
// ---- layout ----
export const MA_USED = 16;
export const MA_VERSION_TAG = 24;
export const MA_KEYS = 32;
export const MA_VALUES = 40;
export const DICT_BASICSIZE = 48;

export const DK_REFCNT = 0;
export const DK_LOG2_SIZE = 8;
export const DK_LOG2_INDEX_BYTES = 9;
export const DK_KIND = 10;
export const DK_VERSION = 12;
export const DK_USABLE = 16;
export const DK_NENTRIES = 24;
export const DK_INDICES = 32;
export const DICT_KEYS_GENERAL = 0;
export const DICT_KEYS_UNICODE = 1;
export const DICT_KEYS_SPLIT = 2;
export const DKIX_EMPTY = -1;
export const DKIX_DUMMY = -2;
export const DKIX_ERROR = -3;
const DKIX_KEY_CHANGED = -4;

export const PyDict_LOG_MINSIZE = 3;
export const PyDict_MINSIZE = 8;
export const PyDict_MAXFREELIST = 80;

export const DV_DICT = 16;
export const DICTVIEW_BASICSIZE = 24;
export const DI_DICT = 16;
export const DI_USED = 24;
export const DI_POS = 32;
export const DI_RESULT = 40;
export const DI_LEN = 48;
export const DICTITER_BASICSIZE = 56;

const PERTURB_SHIFT = 5;

function USABLE_FRACTION(n: number): number {
  return Math.floor((n << 1) / 3);
}

// ---- free lists ----
const freeList = new Int32Array(PyDict_MAXFREELIST);
let numFree = 0;
const keysFreeList = new Int32Array(PyDict_MAXFREELIST);
let keysNumFree = 0;

// ---- versions ----
let dictVersion = 0;
function setNextVersion(mp: Ptr): void {
  dictVersion++;
  I32[(mp + MA_VERSION_TAG) >> 2] = dictVersion % 4294967296 | 0;
  I32[(mp + MA_VERSION_TAG + 4) >> 2] = Math.floor(dictVersion / 4294967296);
}
let keysVersion = 1;
/** ≈ _PyDictKeys_GetVersionForCurrentState: a non-zero version for the keys' current layout
 *  (0 when versions are exhausted). dk_version is reset to 0 whenever the keys change. */
export function _PyDictKeys_GetVersionForCurrentState(dk: Ptr): number {
  let v = I32[(dk + DK_VERSION) >> 2] >>> 0;
  if (v !== 0) return v;
  if (keysVersion >= 0xffffffff) return 0;
  v = keysVersion++;
  I32[(dk + DK_VERSION) >> 2] = v | 0;
  return v;
}

// ---- keys objects ----

/** The static empty keys object shared by every empty dict (never freed; refcount not counted). */
const emptyKeysMem = staticAlloc(DK_INDICES + 8, 16);
export const Py_EMPTY_KEYS: Ptr = emptyKeysMem;
I32[Py_EMPTY_KEYS >> 2] = 1;
U8[Py_EMPTY_KEYS + DK_LOG2_SIZE] = PyDict_LOG_MINSIZE;
U8[Py_EMPTY_KEYS + DK_LOG2_INDEX_BYTES] = PyDict_LOG_MINSIZE;
U8[Py_EMPTY_KEYS + DK_KIND] = DICT_KEYS_UNICODE;
I32[(Py_EMPTY_KEYS + DK_VERSION) >> 2] = 1;
U8.fill(0xff, Py_EMPTY_KEYS + DK_INDICES, Py_EMPTY_KEYS + DK_INDICES + 8);

function dkLog2Size(dk: Ptr): number {
  return U8[dk + DK_LOG2_SIZE];
}
function dkIsUnicode(dk: Ptr): boolean {
  return U8[dk + DK_KIND] !== DICT_KEYS_GENERAL;
}
function dkEntries(dk: Ptr): number {
  return dk + DK_INDICES + (1 << U8[dk + DK_LOG2_INDEX_BYTES]);
}
function dkUsable(dk: Ptr): number {
  return I32[(dk + DK_USABLE) >> 2];
}
function setUsable(dk: Ptr, n: number): void {
  I32[(dk + DK_USABLE) >> 2] = n;
}
function dkNentries(dk: Ptr): number {
  return I32[(dk + DK_NENTRIES) >> 2];
}
function setNentries(dk: Ptr, n: number): void {
  I32[(dk + DK_NENTRIES) >> 2] = n;
}

/** ≈ dictkeys_get_index */
function getIndex(dk: Ptr, i: number): number {
  const log2 = U8[dk + DK_LOG2_SIZE];
  if (log2 < 8) return I8[dk + DK_INDICES + i];
  if (log2 < 16) return I16[(dk + DK_INDICES + 2 * i) >> 1];
  if (log2 < 32) return I32[(dk + DK_INDICES + 4 * i) >> 2];
  return I32[(dk + DK_INDICES + 8 * i) >> 2];
}
/** getIndex with the table's log2 size and index base (dk + DK_INDICES) read once by the caller. */
function indexAt(ind: number, log2: number, i: number): number {
  if (log2 < 8) return I8[ind + i];
  if (log2 < 16) return I16[(ind >> 1) + i];
  if (log2 < 32) return I32[(ind >> 2) + i];
  return I32[(ind >> 2) + 2 * i];
}
/** ≈ dictkeys_set_index */
function setIndex(dk: Ptr, i: number, ix: number): void {
  const log2 = U8[dk + DK_LOG2_SIZE];
  if (log2 < 8) I8[dk + DK_INDICES + i] = ix;
  else if (log2 < 16) I16[(dk + DK_INDICES + 2 * i) >> 1] = ix;
  else if (log2 < 32) I32[(dk + DK_INDICES + 4 * i) >> 2] = ix;
  else {
    I32[(dk + DK_INDICES + 8 * i) >> 2] = ix;
    I32[(dk + DK_INDICES + 8 * i + 4) >> 2] = ix < 0 ? -1 : 0;
  }
}

/** Bytes of a keys object (≈ _PyDict_KeysSize). */
export function _PyDict_KeysSize(dk: Ptr): number {
  const size = 1 << U8[dk + DK_LOG2_SIZE];
  const esize = dkIsUnicode(dk) ? 16 : 24;
  return DK_INDICES + (1 << U8[dk + DK_LOG2_INDEX_BYTES]) + USABLE_FRACTION(size) * esize;
}

/** ≈ new_keys_object: refcount 1, all indices empty, entries zeroed. NULL + MemoryError. */
function new_keys_object(log2Size: number, unicode: boolean): Ptr {
  const usable = USABLE_FRACTION(1 << log2Size);
  let log2Bytes: number;
  if (log2Size < 8) log2Bytes = log2Size;
  else if (log2Size < 16) log2Bytes = log2Size + 1;
  else if (log2Size >= 32) log2Bytes = log2Size + 3;
  else log2Bytes = log2Size + 2;
  const esize = unicode ? 16 : 24;
  let dk: Ptr;
  if (log2Size === PyDict_LOG_MINSIZE && unicode && keysNumFree > 0) {
    dk = keysFreeList[--keysNumFree];
  } else {
    if (log2Size > 27) {
      PyErr_NoMemory();
      return NULL;
    }
    dk = PyObject_Malloc(DK_INDICES + (1 << log2Bytes) + esize * usable);
    if (dk === NULL) {
      PyErr_NoMemory();
      return NULL;
    }
  }
  I32[dk >> 2] = 1;
  I32[(dk >> 2) + 1] = 0;
  U8[dk + DK_LOG2_SIZE] = log2Size;
  U8[dk + DK_LOG2_INDEX_BYTES] = log2Bytes;
  U8[dk + DK_KIND] = unicode ? DICT_KEYS_UNICODE : DICT_KEYS_GENERAL;
  U8[dk + 11] = 0;
  I32[(dk + DK_VERSION) >> 2] = 0;
  I32[(dk + DK_USABLE) >> 2] = usable;
  I32[(dk + DK_USABLE + 4) >> 2] = 0;
  I32[(dk + DK_NENTRIES) >> 2] = 0;
  I32[(dk + DK_NENTRIES + 4) >> 2] = 0;
  const ind = dk + DK_INDICES;
  U8.fill(0xff, ind, ind + (1 << log2Bytes));
  U8.fill(0, ind + (1 << log2Bytes), ind + (1 << log2Bytes) + esize * usable);
  return dk;
}

/** ≈ free_keys_object: DECREF key then value of every entry in order, then free / park. */
function free_keys_object(dk: Ptr): void {
  const n = dkNentries(dk);
  const ep = dkEntries(dk);
  if (dkIsUnicode(dk)) {
    for (let i = 0; i < n; i++) {
      Py_XDECREF(I32[(ep + 16 * i) >> 2]);
      Py_XDECREF(I32[(ep + 16 * i + 8) >> 2]);
    }
  } else {
    for (let i = 0; i < n; i++) {
      Py_XDECREF(I32[(ep + 24 * i + 8) >> 2]);
      Py_XDECREF(I32[(ep + 24 * i + 16) >> 2]);
    }
  }
  if (dkLog2Size(dk) === PyDict_LOG_MINSIZE && keysNumFree < PyDict_MAXFREELIST && dkIsUnicode(dk)) {
    keysFreeList[keysNumFree++] = dk;
    return;
  }
  PyObject_Free(dk);
}

function dictkeys_incref(dk: Ptr): void {
  if (dk !== Py_EMPTY_KEYS) I32[dk >> 2]++;
}
function dictkeys_decref(dk: Ptr): void {
  if (dk !== Py_EMPTY_KEYS && --I32[dk >> 2] === 0) free_keys_object(dk);
}

/** ≈ calculate_log2_keysize */
function calculate_log2_keysize(minsize: number): number {
  const m = ((minsize | PyDict_MINSIZE) - 1) | (PyDict_MINSIZE - 1);
  return 32 - Math.clz32(m);
}
/** ≈ estimate_log2_keysize: a table that holds n items without resizing. */
function estimate_log2_keysize(n: number): number {
  return calculate_log2_keysize(Math.floor((n * 3 + 1) / 2));
}

// ---- dict objects ----

export function PyDict_Check(o: Ptr): boolean {
  return (I32[(I32[(o + OB_TYPE) >> 2] + TP_FLAGS) >> 2] & Py_TPFLAGS_DICT_SUBCLASS) !== 0;
}
export function PyDict_CheckExact(o: Ptr): boolean {
  return I32[(o + OB_TYPE) >> 2] === PyDict_Type;
}
export function PyDict_GET_SIZE(mp: Ptr): number {
  return I32[(mp + MA_USED) >> 2];
}
function setUsed(mp: Ptr, n: number): void {
  I32[(mp + MA_USED) >> 2] = n;
}
function keysOf(mp: Ptr): Ptr {
  return I32[(mp + MA_KEYS) >> 2];
}
function setKeys(mp: Ptr, dk: Ptr): void {
  I32[(mp + MA_KEYS) >> 2] = dk;
  I32[(mp + MA_KEYS + 4) >> 2] = 0;
}

/** ≈ new_dict: a dict (from the free list when possible) owning `keys` (stolen). Untracked. */
function new_dict(keys: Ptr, used: number): Ptr {
  let mp: Ptr;
  if (numFree > 0) {
    mp = freeList[--numFree];
    I32[mp >> 2] = 1;
  } else {
    mp = PyObject_GC_New(PyDict_Type);
    if (mp === NULL) {
      dictkeys_decref(keys);
      return PyErr_NoMemory();
    }
  }
  setKeys(mp, keys);
  I32[(mp + MA_VALUES) >> 2] = 0;
  I32[(mp + MA_VALUES + 4) >> 2] = 0;
  setUsed(mp, used);
  I32[(mp + MA_USED + 4) >> 2] = 0;
  setNextVersion(mp);
  return mp;
}

/** ≈ PyDict_New: a new empty (untracked) dict. New reference. */
export function PyDict_New(): Ptr {
  return new_dict(Py_EMPTY_KEYS, 0);
}

/** ≈ dict_new_presized: an empty dict with room for `minused` items. */
function dict_new_presized(minused: number, unicode: boolean): Ptr {
  const maxPresize = 128 * 1024;
  if (minused <= USABLE_FRACTION(PyDict_MINSIZE)) return PyDict_New();
  let log2: number;
  if (minused > USABLE_FRACTION(maxPresize)) log2 = 17;
  else log2 = estimate_log2_keysize(minused);
  const keys = new_keys_object(log2, unicode);
  if (keys === NULL) return NULL;
  return new_dict(keys, 0);
}
/** ≈ _PyDict_NewPresized (general-kind keys). New reference. */
export function _PyDict_NewPresized(minused: number): Ptr {
  return dict_new_presized(minused, false);
}

/** ≈ _PyDict_FromItems: a dict from `n` keys and values in 8-byte slots at heap addresses
 *  keys + i·keysStride·8 and values + i·valuesStride·8 (borrowed). BUILD_MAP /
 *  BUILD_CONST_KEY_MAP / kwargs dicts. New reference. */
export function _PyDict_FromItems(keys: number, keysStride: number, values: number, valuesStride: number, n: number): Ptr {
  let unicode = true;
  for (let i = 0; i < n; i++) {
    if (I32[(I32[(keys + 8 * keysStride * i) >> 2] + OB_TYPE) >> 2] !== PyUnicode_Type) {
      unicode = false;
      break;
    }
  }
  const d = dict_new_presized(n, unicode);
  if (d === NULL) return NULL;
  for (let i = 0; i < n; i++) {
    if (PyDict_SetItem(d, I32[(keys + 8 * keysStride * i) >> 2], I32[(values + 8 * valuesStride * i) >> 2]) < 0) {
      Py_DECREF(d);
      return NULL;
    }
  }
  return d;
}

function dict_dealloc(mp: Ptr): void {
  const keys = keysOf(mp);
  PyObject_GC_UnTrack(mp);
  if (trashcanBegin(mp)) return;
  if (keys !== NULL) dictkeys_decref(keys);
  if (numFree < PyDict_MAXFREELIST && I32[(mp + OB_TYPE) >> 2] === PyDict_Type) {
    freeList[numFree++] = mp;
  } else {
    const f = slotsOfObj(mp).tp_free;
    if (f !== undefined) f(mp);
    else PyObject_GC_Del(mp);
  }
  trashcanEnd();
}

/** ≈ _PyDict_ClearFreeList (a full gc.collect does this). */
export function PyDict_ClearFreeList(): void {
  while (numFree > 0) PyObject_GC_Del(freeList[--numFree]);
  while (keysNumFree > 0) PyObject_Free(keysFreeList[--keysNumFree]);
}
export const clearFreeLists = PyDict_ClearFreeList;
export function dictFreeListCount(): number {
  return numFree;
}
export function dictKeysFreeListCount(): number {
  return keysNumFree;
}
/** ≈ _PyDict_DebugMallocStats: the "free PyDictObjects" line (the keys free list is not printed). */
export function dictFreeListStats(): string[] {
  return [_PyDebugAllocatorStats('PyDictObject', numFree, DICT_BASICSIZE)];
}

function dict_traverse(mp: Ptr, visit: visitproc, arg: number): number {
  const dk = keysOf(mp);
  const n = dkNentries(dk);
  const ep = dkEntries(dk);
  if (dkIsUnicode(dk)) {
    for (let i = 0; i < n; i++) {
      const v = I32[(ep + 16 * i + 8) >> 2];
      if (v !== NULL) {
        const r = visit(v, arg);
        if (r !== 0) return r;
      }
    }
  } else {
    for (let i = 0; i < n; i++) {
      const v = I32[(ep + 24 * i + 16) >> 2];
      if (v !== NULL) {
        let r = visit(v, arg);
        if (r !== 0) return r;
        r = visit(I32[(ep + 24 * i + 8) >> 2], arg);
        if (r !== 0) return r;
      }
    }
  }
  return 0;
}

/** ≈ MAINTAIN_TRACKING */
function maintainTracking(mp: Ptr, key: Ptr, value: Ptr): void {
  if (I32[(mp - 16) >> 2] === 0 && (_PyObject_GC_MAY_BE_TRACKED(key) || _PyObject_GC_MAY_BE_TRACKED(value))) {
    PyObject_GC_Track(mp);
  }
}

// ---- hashing keys ----

/** The hash of `key`: the cached hash for exact str, else PyObject_Hash. Returns lo, HASH_HI[0]
 *  holds hi; (-1, -1) with an error set. */
function keyHash(key: Ptr): number {
  if (I32[(key + OB_TYPE) >> 2] === PyUnicode_Type) {
    const lo = I32[(key + UNICODE_HASH) >> 2], hi = I32[(key + UNICODE_HASH + 4) >> 2];
    if (lo !== -1 || hi !== -1) {
      HASH_HI[0] = hi;
      return lo;
    }
  }
  return PyObject_Hash(key);
}

// ---- lookup ----

/** Output of lookups: the value (borrowed) found, or NULL. */
let lookupValue: Ptr = NULL;

/** ≈ unicodekeys_lookup_unicode: `key` is an exact str in a UNICODE table. */
function unicodekeys_lookup_unicode(dk: Ptr, key: Ptr, lo: number, hi: number): number {
  const ep0 = dkEntries(dk);
  const log2 = U8[dk + DK_LOG2_SIZE];
  const ind = dk + DK_INDICES;
  const mask = (1 << log2) - 1;
  let pLo = lo >>> 0, pHi = hi >>> 0;
  let i = lo & mask;
  for (;;) {
    const ix = indexAt(ind, log2, i);
    if (ix >= 0) {
      const k = I32[(ep0 + 16 * ix) >> 2];
      if (k === key || (I32[(k + UNICODE_HASH) >> 2] === lo && I32[(k + UNICODE_HASH + 4) >> 2] === hi && unicode_eq(k, key))) return ix;
    } else if (ix === DKIX_EMPTY) {
      return DKIX_EMPTY;
    }
    pLo = ((pLo >>> PERTURB_SHIFT) | (pHi << 27)) >>> 0;
    pHi = pHi >>> PERTURB_SHIFT;
    i = (i * 5 + pLo + 1) & mask;
  }
}

/** ≈ _PyDictKeys_StringLookup (the eval loop's inline caches): the entry index of the exact str
 *  `key` in a UNICODE-kind keys object, or DKIX_EMPTY (absent, or not an all-str table). */
export function _PyDictKeys_StringLookup(dk: Ptr, key: Ptr): number {
  if (U8[dk + DK_KIND] !== DICT_KEYS_UNICODE || I32[(key + OB_TYPE) >> 2] !== PyUnicode_Type) return DKIX_EMPTY;
  const lo = keyHash(key); // a str's hash cannot fail
  return unicodekeys_lookup_unicode(dk, key, lo, HASH_HI[0]);
}

/** ≈ unicodekeys_lookup_generic / dictkeys_generic_lookup: any key; == through the slots.
 *  DKIX_KEY_CHANGED when a comparison mutated the dict. */
function generic_lookup(mp: Ptr, dk: Ptr, key: Ptr, lo: number, hi: number): number {
  const unicode = dkIsUnicode(dk);
  const ep0 = dkEntries(dk);
  const esize = unicode ? 16 : 24;
  const koff = unicode ? 0 : 8;
  const log2 = U8[dk + DK_LOG2_SIZE];
  const ind = dk + DK_INDICES;
  const mask = (1 << log2) - 1;
  let pLo = lo >>> 0, pHi = hi >>> 0;
  let i = lo & mask;
  for (;;) {
    const ix = indexAt(ind, log2, i);
    if (ix >= 0) {
      const ep = ep0 + esize * ix;
      const startkey = I32[(ep + koff) >> 2];
      if (startkey === key) return ix;
      let hlo: number, hhi: number;
      if (unicode) {
        hlo = I32[(startkey + UNICODE_HASH) >> 2];
        hhi = I32[(startkey + UNICODE_HASH + 4) >> 2];
      } else {
        hlo = I32[ep >> 2];
        hhi = I32[(ep + 4) >> 2];
      }
      if (hlo === lo && hhi === hi) {
        I32[startkey >> 2]++;
        const cmp = PyObject_RichCompareBool(startkey, key, Py_EQ);
        Py_DECREF(startkey);
        if (cmp < 0) return DKIX_ERROR;
        if (dk === keysOf(mp) && I32[(ep + koff) >> 2] === startkey) {
          if (cmp > 0) return ix;
        } else {
          return DKIX_KEY_CHANGED;
        }
      }
    } else if (ix === DKIX_EMPTY) {
      return DKIX_EMPTY;
    }
    pLo = ((pLo >>> PERTURB_SHIFT) | (pHi << 27)) >>> 0;
    pHi = pHi >>> PERTURB_SHIFT;
    i = (i * 5 + pLo + 1) & mask;
  }
}

/** ≈ _Py_dict_lookup: the entry index of `key` (hash lo/hi), DKIX_EMPTY, or DKIX_ERROR; the
 *  value (borrowed) is left in `lookupValue`. */
export function _Py_dict_lookup(mp: Ptr, key: Ptr, lo: number, hi: number): number {
  for (;;) {
    const dk = keysOf(mp);
    let ix: number;
    if (dkIsUnicode(dk) && I32[(key + OB_TYPE) >> 2] === PyUnicode_Type) {
      ix = unicodekeys_lookup_unicode(dk, key, lo, hi);
    } else {
      dictkeys_incref(dk);
      ix = generic_lookup(mp, dk, key, lo, hi);
      dictkeys_decref(dk);
      if (ix === DKIX_ERROR) {
        lookupValue = NULL;
        return DKIX_ERROR;
      }
      if (ix === DKIX_KEY_CHANGED) continue;
    }
    if (ix >= 0) lookupValue = I32[(dkEntries(dk) + (dkIsUnicode(dk) ? 16 * ix + 8 : 24 * ix + 16)) >> 2];
    else lookupValue = NULL;
    return ix;
  }
}

/** ≈ find_empty_slot: the first index slot on the probe path that is empty or a dummy. */
function find_empty_slot(dk: Ptr, lo: number, hi: number): number {
  const mask = (1 << U8[dk + DK_LOG2_SIZE]) - 1;
  let i = lo & mask;
  let pLo = lo >>> 0, pHi = hi >>> 0;
  while (getIndex(dk, i) >= 0) {
    pLo = ((pLo >>> PERTURB_SHIFT) | (pHi << 27)) >>> 0;
    pHi = pHi >>> PERTURB_SHIFT;
    i = (i * 5 + pLo + 1) & mask;
  }
  return i;
}

/** ≈ lookdict_index: the index slot that holds entry number `index`. */
function lookdict_index(dk: Ptr, lo: number, hi: number, index: number): number {
  const mask = (1 << U8[dk + DK_LOG2_SIZE]) - 1;
  let i = lo & mask;
  let pLo = lo >>> 0, pHi = hi >>> 0;
  for (;;) {
    const ix = getIndex(dk, i);
    if (ix === index) return i;
    if (ix === DKIX_EMPTY) return DKIX_EMPTY;
    pLo = ((pLo >>> PERTURB_SHIFT) | (pHi << 27)) >>> 0;
    pHi = pHi >>> PERTURB_SHIFT;
    i = (i * 5 + pLo + 1) & mask;
  }
}

/** ≈ build_indices_*: index `n` fresh entries into an empty index table. */
function build_indices(dk: Ptr, n: number): void {
  const mask = (1 << U8[dk + DK_LOG2_SIZE]) - 1;
  const ep = dkEntries(dk);
  const unicode = dkIsUnicode(dk);
  for (let ix = 0; ix < n; ix++) {
    let lo: number, hi: number;
    if (unicode) {
      const k = I32[(ep + 16 * ix) >> 2];
      lo = I32[(k + UNICODE_HASH) >> 2];
      hi = I32[(k + UNICODE_HASH + 4) >> 2];
    } else {
      lo = I32[(ep + 24 * ix) >> 2];
      hi = I32[(ep + 24 * ix + 4) >> 2];
    }
    let i = lo & mask;
    let pLo = lo >>> 0, pHi = hi >>> 0;
    while (getIndex(dk, i) !== DKIX_EMPTY) {
      pLo = ((pLo >>> PERTURB_SHIFT) | (pHi << 27)) >>> 0;
      pHi = pHi >>> PERTURB_SHIFT;
      i = (i * 5 + pLo + 1) & mask;
    }
    setIndex(dk, i, ix);
  }
}

// ---- resize ----

/** ≈ dictresize: move the live entries, compacted and in order, into a new table of 2^log2 slots
 *  (UNICODE kind only if `unicode` and the old table is UNICODE). 0 / -1. */
function dictresize(mp: Ptr, log2: number, unicode: boolean): number {
  if (log2 >= 64) {
    PyErr_NoMemory();
    return -1;
  }
  const oldkeys = keysOf(mp);
  if (!dkIsUnicode(oldkeys)) unicode = false;
  const newkeys = new_keys_object(log2, unicode);
  if (newkeys === NULL) return -1;
  setKeys(mp, newkeys);
  const numentries = I32[(mp + MA_USED) >> 2];
  const oldEp = dkEntries(oldkeys);
  const newEp = dkEntries(newkeys);
  const oldN = dkNentries(oldkeys);
  if (!dkIsUnicode(oldkeys)) {
    if (oldN === numentries) {
      I32.copyWithin(newEp >> 2, oldEp >> 2, (oldEp >> 2) + 6 * numentries);
    } else {
      let src = oldEp;
      for (let i = 0; i < numentries; i++) {
        while (I32[(src + 16) >> 2] === NULL) src += 24;
        I32.copyWithin((newEp + 24 * i) >> 2, src >> 2, (src >> 2) + 6);
        src += 24;
      }
    }
  } else if (unicode) {
    if (oldN === numentries) {
      I32.copyWithin(newEp >> 2, oldEp >> 2, (oldEp >> 2) + 4 * numentries);
    } else {
      let src = oldEp;
      for (let i = 0; i < numentries; i++) {
        while (I32[(src + 8) >> 2] === NULL) src += 16;
        I32.copyWithin((newEp + 16 * i) >> 2, src >> 2, (src >> 2) + 4);
        src += 16;
      }
    }
  } else {
    // UNICODE -> GENERAL
    let src = oldEp;
    for (let i = 0; i < numentries; i++) {
      while (I32[(src + 8) >> 2] === NULL) src += 16;
      const k = I32[src >> 2];
      const d = (newEp + 24 * i) >> 2;
      I32[d] = I32[(k + UNICODE_HASH) >> 2];
      I32[d + 1] = I32[(k + UNICODE_HASH + 4) >> 2];
      I32[d + 2] = k;
      I32[d + 3] = 0;
      I32[d + 4] = I32[(src + 8) >> 2];
      I32[d + 5] = 0;
      src += 16;
    }
  }
  build_indices(newkeys, numentries);
  if (oldkeys !== Py_EMPTY_KEYS) {
    if (dkLog2Size(oldkeys) === PyDict_LOG_MINSIZE && dkIsUnicode(oldkeys) && keysNumFree < PyDict_MAXFREELIST) {
      keysFreeList[keysNumFree++] = oldkeys;
    } else {
      PyObject_Free(oldkeys);
    }
  }
  setUsable(newkeys, dkUsable(newkeys) - numentries);
  setNentries(newkeys, numentries);
  return 0;
}

/** ≈ insertion_resize: grow for GROWTH_RATE = used·3. */
function insertion_resize(mp: Ptr, unicode: boolean): number {
  return dictresize(mp, calculate_log2_keysize(I32[(mp + MA_USED) >> 2] * 3), unicode);
}

// ---- insertion ----

/** ≈ insert_to_emptydict: first insertion; STEALS key and value. */
function insert_to_emptydict(mp: Ptr, key: Ptr, lo: number, hi: number, value: Ptr): number {
  const unicode = I32[(key + OB_TYPE) >> 2] === PyUnicode_Type;
  const newkeys = new_keys_object(PyDict_LOG_MINSIZE, unicode);
  if (newkeys === NULL) {
    Py_DECREF(key);
    Py_DECREF(value);
    return -1;
  }
  setKeys(mp, newkeys);
  I32[(mp + MA_VALUES) >> 2] = 0;
  maintainTracking(mp, key, value);
  setIndex(newkeys, lo & (PyDict_MINSIZE - 1), 0);
  const ep = dkEntries(newkeys);
  if (unicode) {
    I32[ep >> 2] = key;
    I32[(ep + 8) >> 2] = value;
  } else {
    I32[ep >> 2] = lo;
    I32[(ep + 4) >> 2] = hi;
    I32[(ep + 8) >> 2] = key;
    I32[(ep + 16) >> 2] = value;
  }
  setUsed(mp, I32[(mp + MA_USED) >> 2] + 1);
  setNextVersion(mp);
  setUsable(newkeys, dkUsable(newkeys) - 1);
  setNentries(newkeys, 1);
  return 0;
}

/** ≈ insertdict: STEALS key and value. 0 / -1. */
function insertdict(mp: Ptr, key: Ptr, lo: number, hi: number, value: Ptr): number {
  const isStr = I32[(key + OB_TYPE) >> 2] === PyUnicode_Type;
  if (dkIsUnicode(keysOf(mp)) && !isStr) {
    if (insertion_resize(mp, false) < 0) {
      Py_DECREF(value);
      Py_DECREF(key);
      return -1;
    }
  }
  const ix = _Py_dict_lookup(mp, key, lo, hi);
  const oldValue = lookupValue;
  if (ix === DKIX_ERROR) {
    Py_DECREF(value);
    Py_DECREF(key);
    return -1;
  }
  maintainTracking(mp, key, value);
  if (ix === DKIX_EMPTY) {
    I32[(keysOf(mp) + DK_VERSION) >> 2] = 0;
    if (dkUsable(keysOf(mp)) <= 0) {
      if (insertion_resize(mp, true) < 0) {
        Py_DECREF(value);
        Py_DECREF(key);
        return -1;
      }
    }
    const dk = keysOf(mp);
    const hashpos = find_empty_slot(dk, lo, hi);
    const n = dkNentries(dk);
    setIndex(dk, hashpos, n);
    const ep0 = dkEntries(dk);
    if (dkIsUnicode(dk)) {
      const ep = ep0 + 16 * n;
      I32[ep >> 2] = key;
      I32[(ep + 4) >> 2] = 0;
      I32[(ep + 8) >> 2] = value;
      I32[(ep + 12) >> 2] = 0;
    } else {
      const ep = ep0 + 24 * n;
      I32[ep >> 2] = lo;
      I32[(ep + 4) >> 2] = hi;
      I32[(ep + 8) >> 2] = key;
      I32[(ep + 12) >> 2] = 0;
      I32[(ep + 16) >> 2] = value;
      I32[(ep + 20) >> 2] = 0;
    }
    setUsed(mp, I32[(mp + MA_USED) >> 2] + 1);
    setNextVersion(mp);
    setUsable(dk, dkUsable(dk) - 1);
    setNentries(dk, n + 1);
    return 0;
  }
  if (oldValue !== value) {
    const dk = keysOf(mp);
    const addr = dkEntries(dk) + (dkIsUnicode(dk) ? 16 * ix + 8 : 24 * ix + 16);
    I32[addr >> 2] = value;
    setNextVersion(mp);
  }
  Py_XDECREF(oldValue);
  Py_DECREF(key);
  return 0;
}

/** ≈ _PyDict_SetItem_KnownHash: key and value borrowed (INCREF'd). 0 / -1. */
export function _PyDict_SetItem_KnownHash(mp: Ptr, key: Ptr, value: Ptr, lo: number, hi: number): number {
  I32[key >> 2]++;
  I32[value >> 2]++;
  if (keysOf(mp) === Py_EMPTY_KEYS) return insert_to_emptydict(mp, key, lo, hi, value);
  return insertdict(mp, key, lo, hi, value);
}

/** ≈ PyDict_SetItem: d[key] = value; does NOT steal (both are INCREF'd). 0 / -1. */
export function PyDict_SetItem(mp: Ptr, key: Ptr, value: Ptr): number {
  const lo = keyHash(key);
  const hi = HASH_HI[0];
  if (lo === -1 && hi === -1) return -1;
  return _PyDict_SetItem_KnownHash(mp, key, value, lo, hi);
}

/** ≈ _PyDict_SetItem_Take2: STEALS key and value. 0 / -1. */
export function _PyDict_SetItem_Take2(mp: Ptr, key: Ptr, value: Ptr): number {
  const lo = keyHash(key);
  const hi = HASH_HI[0];
  if (lo === -1 && hi === -1) {
    Py_DECREF(key);
    Py_DECREF(value);
    return -1;
  }
  if (keysOf(mp) === Py_EMPTY_KEYS) return insert_to_emptydict(mp, key, lo, hi, value);
  return insertdict(mp, key, lo, hi, value);
}

// ---- deletion ----

function setKeyError(key: Ptr): void {
  PyErr_SetObject(PyExc_KeyError, key);
}

/** ≈ delitem_common: remove entry `ix` (value `oldValue`, still referenced by the entry). */
function delitem_common(mp: Ptr, lo: number, hi: number, ix: number, oldValue: Ptr): void {
  const dk = keysOf(mp);
  const hashpos = lookdict_index(dk, lo, hi, ix);
  setUsed(mp, I32[(mp + MA_USED) >> 2] - 1);
  setNextVersion(mp);
  I32[(dk + DK_VERSION) >> 2] = 0;
  setIndex(dk, hashpos, DKIX_DUMMY);
  const ep0 = dkEntries(dk);
  let oldKey: Ptr;
  if (dkIsUnicode(dk)) {
    const ep = ep0 + 16 * ix;
    oldKey = I32[ep >> 2];
    I32[ep >> 2] = 0;
    I32[(ep + 8) >> 2] = 0;
  } else {
    const ep = ep0 + 24 * ix;
    oldKey = I32[(ep + 8) >> 2];
    I32[(ep + 8) >> 2] = 0;
    I32[(ep + 16) >> 2] = 0;
    I32[ep >> 2] = 0;
    I32[(ep + 4) >> 2] = 0;
  }
  Py_DECREF(oldKey);
  Py_DECREF(oldValue);
}

/** ≈ _PyDict_DelItem_KnownHash: 0, or -1 with KeyError / another error. */
export function _PyDict_DelItem_KnownHash(mp: Ptr, key: Ptr, lo: number, hi: number): number {
  const ix = _Py_dict_lookup(mp, key, lo, hi);
  if (ix === DKIX_ERROR) return -1;
  if (ix === DKIX_EMPTY || lookupValue === NULL) {
    setKeyError(key);
    return -1;
  }
  delitem_common(mp, lo, hi, ix, lookupValue);
  return 0;
}

/** ≈ PyDict_DelItem: del d[key]. 0 / -1 (KeyError when missing). */
export function PyDict_DelItem(mp: Ptr, key: Ptr): number {
  const lo = keyHash(key);
  const hi = HASH_HI[0];
  if (lo === -1 && hi === -1) return -1;
  return _PyDict_DelItem_KnownHash(mp, key, lo, hi);
}

// ---- reading ----

/** ≈ _PyDict_GetItem_KnownHash: borrowed reference or NULL (missing, or an error is set). */
export function _PyDict_GetItem_KnownHash(mp: Ptr, key: Ptr, lo: number, hi: number): Ptr {
  const ix = _Py_dict_lookup(mp, key, lo, hi);
  if (ix < 0) return NULL;
  return lookupValue;
}

/** ≈ PyDict_GetItemWithError: borrowed reference; NULL with no error = missing. */
export function PyDict_GetItemWithError(mp: Ptr, key: Ptr): Ptr {
  const lo = keyHash(key);
  const hi = HASH_HI[0];
  if (lo === -1 && hi === -1) return NULL;
  return _PyDict_GetItem_KnownHash(mp, key, lo, hi);
}

/** ≈ PyDict_GetItem: borrowed reference or NULL; errors are swallowed (as CPython's). */
export function PyDict_GetItem(mp: Ptr, key: Ptr): Ptr {
  const hadError = PyErr_Occurred() !== NULL;
  const r = PyDict_GetItemWithError(mp, key);
  if (r === NULL && !hadError && PyErr_Occurred() !== NULL) PyErr_Clear();
  return r;
}

/** Fast path for the VM (globals, builtins, attributes): `key` must be an exact str whose hash is
 *  already cached (interned names always are). Identity first, then unicode_eq. Borrowed
 *  reference or NULL (missing; no error can occur unless the table is GENERAL and a key's __eq__
 *  fails, in which case NULL with the error set). */
export function PyDict_GetItemStr(mp: Ptr, key: Ptr): Ptr {
  const dk = keysOf(mp);
  let lo = I32[(key + UNICODE_HASH) >> 2];
  let hi = I32[(key + UNICODE_HASH + 4) >> 2];
  if (lo === -1 && hi === -1) {
    lo = PyObject_Hash(key);
    hi = HASH_HI[0];
  }
  if (U8[dk + DK_KIND] !== DICT_KEYS_GENERAL) {
    const ix = unicodekeys_lookup_unicode(dk, key, lo, hi);
    return ix >= 0 ? I32[(dkEntries(dk) + 16 * ix + 8) >> 2] : NULL;
  }
  return _PyDict_GetItem_KnownHash(mp, key, lo, hi);
}

/** ≈ PyDict_Contains: -1 / 0 / 1 */
export function PyDict_Contains(mp: Ptr, key: Ptr): number {
  const lo = keyHash(key);
  const hi = HASH_HI[0];
  if (lo === -1 && hi === -1) return -1;
  const ix = _Py_dict_lookup(mp, key, lo, hi);
  if (ix === DKIX_ERROR) return -1;
  return ix !== DKIX_EMPTY && lookupValue !== NULL ? 1 : 0;
}

/** ≈ PyDict_Size */
export function PyDict_Size(mp: Ptr): number {
  if (!PyDict_Check(mp)) {
    PyErr_SetString(PyExc_SystemError, 'bad argument to internal function');
    return -1;
  }
  return I32[(mp + MA_USED) >> 2];
}

/** Results of PyDict_Next: key and value (borrowed) and the key's hash. */
export const DICT_NEXT = { key: NULL as Ptr, value: NULL as Ptr, hashLo: 0, hashHi: 0 };
/** ≈ _PyDict_Next: from entry position `pos`, find the next live entry; returns the position
 *  after it (to pass back in), or -1 at the end. Results in DICT_NEXT. */
export function PyDict_Next(mp: Ptr, pos: number): number {
  const dk = keysOf(mp);
  const n = dkNentries(dk);
  const ep0 = dkEntries(dk);
  if (dkIsUnicode(dk)) {
    while (pos < n && I32[(ep0 + 16 * pos + 8) >> 2] === NULL) pos++;
    if (pos >= n) return -1;
    const k = I32[(ep0 + 16 * pos) >> 2];
    DICT_NEXT.key = k;
    DICT_NEXT.value = I32[(ep0 + 16 * pos + 8) >> 2];
    DICT_NEXT.hashLo = I32[(k + UNICODE_HASH) >> 2];
    DICT_NEXT.hashHi = I32[(k + UNICODE_HASH + 4) >> 2];
  } else {
    while (pos < n && I32[(ep0 + 24 * pos + 16) >> 2] === NULL) pos++;
    if (pos >= n) return -1;
    DICT_NEXT.key = I32[(ep0 + 24 * pos + 8) >> 2];
    DICT_NEXT.value = I32[(ep0 + 24 * pos + 16) >> 2];
    DICT_NEXT.hashLo = I32[(ep0 + 24 * pos) >> 2];
    DICT_NEXT.hashHi = I32[(ep0 + 24 * pos + 4) >> 2];
  }
  return pos + 1;
}

/** ≈ dict_keys/values/items as lists (PyDict_Keys, PyDict_Values, PyDict_Items). New reference. */
function dictToList(mp: Ptr, what: number): Ptr {
  const n = I32[(mp + MA_USED) >> 2];
  const v = PyList_New(n);
  if (v === NULL) return NULL;
  if (n !== I32[(mp + MA_USED) >> 2]) {
    // allocating the list ran code that changed the dict: start over
    Py_DECREF(v);
    return dictToList(mp, what);
  }
  let pos = 0, j = 0;
  while ((pos = PyDict_Next(mp, pos)) >= 0) {
    let item: Ptr;
    if (what === 0) {
      item = DICT_NEXT.key;
      I32[item >> 2]++;
    } else if (what === 1) {
      item = DICT_NEXT.value;
      I32[item >> 2]++;
    } else {
      item = PyTuple_Pack2(DICT_NEXT.key, DICT_NEXT.value);
      if (item === NULL) {
        Py_DECREF(v);
        return NULL;
      }
    }
    PyList_SET_ITEM(v, j++, item);
  }
  return v;
}
/** ≈ PyDict_Keys: a new list of the keys. */
export function PyDict_Keys(mp: Ptr): Ptr {
  return dictToList(mp, 0);
}
/** ≈ PyDict_Values: a new list of the values. */
export function PyDict_Values(mp: Ptr): Ptr {
  return dictToList(mp, 1);
}
/** ≈ PyDict_Items: a new list of (key, value) tuples. */
export function PyDict_Items(mp: Ptr): Ptr {
  return dictToList(mp, 2);
}

// ---- clear, copy, merge ----

/** ≈ PyDict_Clear: back to the shared empty keys; old entries DECREF'd in order afterwards. */
export function PyDict_Clear(mp: Ptr): void {
  if (!PyDict_Check(mp)) return;
  const oldkeys = keysOf(mp);
  if (oldkeys === Py_EMPTY_KEYS) return;
  setKeys(mp, Py_EMPTY_KEYS);
  I32[(mp + MA_VALUES) >> 2] = 0;
  setUsed(mp, 0);
  setNextVersion(mp);
  dictkeys_decref(oldkeys);
}
function dict_tp_clear(mp: Ptr): number {
  PyDict_Clear(mp);
  return 0;
}

/** ≈ clone_combined_dict_keys: a copy of the keys block with every key and value INCREF'd. */
function clone_combined_dict_keys(orig: Ptr): Ptr {
  const dk = keysOf(orig);
  const size = _PyDict_KeysSize(dk);
  const keys = PyObject_Malloc(size);
  if (keys === NULL) return PyErr_NoMemory();
  U8.copyWithin(keys, dk, dk + size);
  const n = dkNentries(keys);
  const ep = dkEntries(keys);
  if (dkIsUnicode(keys)) {
    for (let i = 0; i < n; i++) {
      const v = I32[(ep + 16 * i + 8) >> 2];
      if (v !== NULL) {
        I32[v >> 2]++;
        I32[I32[(ep + 16 * i) >> 2] >> 2]++;
      }
    }
  } else {
    for (let i = 0; i < n; i++) {
      const v = I32[(ep + 24 * i + 16) >> 2];
      if (v !== NULL) {
        I32[v >> 2]++;
        I32[I32[(ep + 24 * i + 8) >> 2] >> 2]++;
      }
    }
  }
  I32[keys >> 2] = 1;
  return keys;
}

/** ≈ PyDict_Copy: new reference. */
export function PyDict_Copy(o: Ptr): Ptr {
  if (I32[(o + MA_USED) >> 2] === 0) return PyDict_New();
  const dk = keysOf(o);
  if (slotsOfObj(o).tp_iter === dict_iter && I32[(o + MA_VALUES) >> 2] === NULL && I32[(o + MA_USED) >> 2] >= Math.floor((dkNentries(dk) * 2) / 3)) {
    const keys = clone_combined_dict_keys(o);
    if (keys === NULL) return NULL;
    const nd = new_dict(keys, I32[(o + MA_USED) >> 2]);
    if (nd === NULL) return NULL;
    if (_PyObject_GC_IS_TRACKED(o)) PyObject_GC_Track(nd);
    return nd;
  }
  const copy = PyDict_New();
  if (copy === NULL) return NULL;
  if (dict_merge(copy, o, 1) === 0) return copy;
  Py_DECREF(copy);
  return NULL;
}

/** ≈ dict_merge for a dict `b` (override: 1 replace, 0 keep, 2 raise KeyError on duplicates). */
function dict_merge(mp: Ptr, b: Ptr, override: number): number {
  if (!PyDict_Check(b) || slotsOfObj(b).tp_iter !== dict_iter) return PyDict_MergeFromSeq2Keys(mp, b, override);
  if (b === mp || I32[(b + MA_USED) >> 2] === 0) return 0;
  if (I32[(mp + MA_USED) >> 2] === 0) {
    override = 1;
    const okeys = keysOf(b);
    if (I32[(b + MA_VALUES) >> 2] === NULL && I32[(b + MA_USED) >> 2] === dkNentries(okeys) &&
        (dkLog2Size(okeys) === PyDict_LOG_MINSIZE || USABLE_FRACTION((1 << dkLog2Size(okeys)) / 2) < I32[(b + MA_USED) >> 2])) {
      const keys = clone_combined_dict_keys(b);
      if (keys === NULL) return -1;
      dictkeys_decref(keysOf(mp));
      setKeys(mp, keys);
      setUsed(mp, I32[(b + MA_USED) >> 2]);
      setNextVersion(mp);
      if (_PyObject_GC_IS_TRACKED(b) && !_PyObject_GC_IS_TRACKED(mp)) PyObject_GC_Track(mp);
      return 0;
    }
  }
  // one big resize up front when the other dict's items would not fit in what is left
  if (dkUsable(keysOf(mp)) * 3 < I32[(b + MA_USED) >> 2] * 2) {
    if (dictresize(mp, estimate_log2_keysize(I32[(mp + MA_USED) >> 2] + I32[(b + MA_USED) >> 2]), dkIsUnicode(keysOf(b))) < 0) return -1;
  }
  const origSize = dkNentries(keysOf(b));
  let pos = 0;
  while ((pos = PyDict_Next(b, pos)) >= 0) {
    const key = DICT_NEXT.key, value = DICT_NEXT.value, lo = DICT_NEXT.hashLo, hi = DICT_NEXT.hashHi;
    I32[key >> 2]++;
    I32[value >> 2]++;
    let err = 0;
    if (override === 1) {
      err = keysOf(mp) === Py_EMPTY_KEYS ? insert_to_emptydict(mp, key, lo, hi, value) : insertdict(mp, key, lo, hi, value);
    } else {
      const ix = _Py_dict_lookup(mp, key, lo, hi);
      if (ix === DKIX_ERROR) err = -1;
      else if (ix === DKIX_EMPTY || lookupValue === NULL) {
        err = keysOf(mp) === Py_EMPTY_KEYS ? insert_to_emptydict(mp, key, lo, hi, value) : insertdict(mp, key, lo, hi, value);
        I32[key >> 2]++;
        I32[value >> 2]++;
      } else if (override !== 0) {
        setKeyError(key);
        err = -1;
      }
      Py_DECREF(value);
      Py_DECREF(key);
    }
    if (err !== 0) return -1;
    if (origSize !== dkNentries(keysOf(b))) {
      PyErr_SetString(PyExc_RuntimeError, 'dict mutated during update');
      return -1;
    }
  }
  return 0;
}

/** Hook for the lead: merge from a non-dict mapping with keys() (NULL = not installed). Returns
 *  0 / -1, or -2 when `b` has no keys attribute. */
export const dictHooks = {
  mergeMapping: null as ((a: Ptr, b: Ptr, override: number) => number) | null,
  /** d[key] miss on a dict subclass: call __missing__ (new reference / NULL), or -2 when the
   *  class has none */
  missing: null as ((mp: Ptr, key: Ptr) => Ptr) | null,
};

function PyDict_MergeFromSeq2Keys(a: Ptr, b: Ptr, override: number): number {
  if (dictHooks.mergeMapping !== null) {
    const r = dictHooks.mergeMapping(a, b, override);
    if (r !== -2) return r;
  }
  PyErr_SetString(PyExc_SystemError, 'bad argument to internal function');
  return -1;
}

/** ≈ PyDict_Merge(a, b, override): b a dict (or a mapping through dictHooks). 0 / -1. */
export function PyDict_Merge(a: Ptr, b: Ptr, override: number): number {
  return dict_merge(a, b, override ? 1 : 0);
}
/** ≈ _PyDict_MergeEx: override 0 keep, 1 replace, 2 raise KeyError(key) on a duplicate (DICT_MERGE). */
export function _PyDict_MergeEx(a: Ptr, b: Ptr, override: number): number {
  return dict_merge(a, b, override);
}
/** ≈ PyDict_Update */
export function PyDict_Update(a: Ptr, b: Ptr): number {
  return dict_merge(a, b, 1);
}

/** ≈ PyDict_MergeFromSeq2: update from an iterable of 2-item sequences. 0 / -1. */
export function PyDict_MergeFromSeq2(d: Ptr, seq2: Ptr, override: number): number {
  const it = PyObject_GetIter(seq2);
  if (it === NULL) return -1;
  for (let i = 0; ; i++) {
    const item = PyIter_Next(it);
    if (item === NULL) {
      Py_DECREF(it);
      return PyErr_Occurred() !== NULL ? -1 : 0;
    }
    const fast = PySequence_Fast(item, '');
    if (fast === NULL) {
      if (PyErr_ExceptionMatches(PyExc_TypeError)) {
        PyErr_SetString(PyExc_TypeError, `cannot convert dictionary update sequence element #${i} to a sequence`);
      }
      Py_DECREF(item);
      Py_DECREF(it);
      return -1;
    }
    const n = fastSize(fast);
    if (n !== 2) {
      PyErr_SetString(PyExc_ValueError, `dictionary update sequence element #${i} has length ${n}; 2 is required`);
      Py_DECREF(fast);
      Py_DECREF(item);
      Py_DECREF(it);
      return -1;
    }
    const key = I32[fastItems(fast) >> 2];
    const value = I32[(fastItems(fast) + 8) >> 2];
    I32[key >> 2]++;
    I32[value >> 2]++;
    let status = 0;
    if (override) status = PyDict_SetItem(d, key, value);
    else {
      const c = PyDict_Contains(d, key);
      if (c < 0) status = -1;
      else if (c === 0) status = PyDict_SetItem(d, key, value);
    }
    Py_DECREF(key);
    Py_DECREF(value);
    Py_DECREF(fast);
    Py_DECREF(item);
    if (status < 0) {
      Py_DECREF(it);
      return -1;
    }
  }
}

/** ≈ dict_update_arg: a dict merges, anything else is a sequence of pairs (mappings with keys()
 *  go through dictHooks.mergeMapping when the lead installs it). */
function dict_update_arg(self: Ptr, arg: Ptr): number {
  if (PyDict_Check(arg) && slotsOfObj(arg).tp_iter === dict_iter) return dict_merge(self, arg, 1);
  if (dictHooks.mergeMapping !== null) {
    const r = dictHooks.mergeMapping(self, arg, 1);
    if (r !== -2) return r;
  }
  return PyDict_MergeFromSeq2(self, arg, 1);
}

// ---- Python-level behaviour ----

function dict_length(mp: Ptr): number {
  return I32[(mp + MA_USED) >> 2];
}

/** ≈ dict_subscript (mp_subscript): new reference; KeyError when missing. */
function dict_subscript(mp: Ptr, key: Ptr): Ptr {
  const lo = keyHash(key);
  const hi = HASH_HI[0];
  if (lo === -1 && hi === -1) return NULL;
  const ix = _Py_dict_lookup(mp, key, lo, hi);
  if (ix === DKIX_ERROR) return NULL;
  if (ix === DKIX_EMPTY || lookupValue === NULL) {
    if (I32[(mp + OB_TYPE) >> 2] !== PyDict_Type && dictHooks.missing !== null) {
      const r = dictHooks.missing(mp, key);
      if (r !== -2) return r;
    }
    setKeyError(key);
    return NULL;
  }
  const v = lookupValue;
  I32[v >> 2]++;
  return v;
}

/** ≈ dict_ass_sub (mp_ass_subscript) */
function dict_ass_sub(mp: Ptr, key: Ptr, value: Ptr): number {
  if (value === NULL) return PyDict_DelItem(mp, key);
  return PyDict_SetItem(mp, key, value);
}

/** sq_contains */
function dict_contains(mp: Ptr, key: Ptr): number {
  return PyDict_Contains(mp, key);
}

function boolResult(b: boolean): Ptr {
  const r = b ? Py_True : Py_False;
  I32[r >> 2]++;
  return r;
}

/** ≈ dict_equal: -1 / 0 / 1 */
function dict_equal(a: Ptr, b: Ptr): number {
  if (I32[(a + MA_USED) >> 2] !== I32[(b + MA_USED) >> 2]) return 0;
  for (let i = 0; i < dkNentries(keysOf(a)); i++) {
    const dk = keysOf(a);
    const ep0 = dkEntries(dk);
    let key: Ptr, aval: Ptr, lo: number, hi: number;
    if (dkIsUnicode(dk)) {
      key = I32[(ep0 + 16 * i) >> 2];
      if (key === NULL) continue;
      lo = I32[(key + UNICODE_HASH) >> 2];
      hi = I32[(key + UNICODE_HASH + 4) >> 2];
      aval = I32[(ep0 + 16 * i + 8) >> 2];
    } else {
      key = I32[(ep0 + 24 * i + 8) >> 2];
      if (key === NULL) continue;
      lo = I32[(ep0 + 24 * i) >> 2];
      hi = I32[(ep0 + 24 * i + 4) >> 2];
      aval = I32[(ep0 + 24 * i + 16) >> 2];
    }
    if (aval !== NULL) {
      I32[aval >> 2]++;
      I32[key >> 2]++;
      _Py_dict_lookup(b, key, lo, hi);
      const bval = lookupValue;
      if (bval === NULL) {
        Py_DECREF(key);
        Py_DECREF(aval);
        return PyErr_Occurred() !== NULL ? -1 : 0;
      }
      I32[bval >> 2]++;
      const cmp = PyObject_RichCompareBool(aval, bval, Py_EQ);
      Py_DECREF(key);
      Py_DECREF(aval);
      Py_DECREF(bval);
      if (cmp <= 0) return cmp;
    }
  }
  return 1;
}

function dict_richcompare(v: Ptr, w: Ptr, op: number): Ptr {
  if (!PyDict_Check(v) || !PyDict_Check(w) || (op !== Py_EQ && op !== Py_NE)) {
    I32[Py_NotImplemented >> 2]++;
    return Py_NotImplemented;
  }
  const cmp = dict_equal(v, w);
  if (cmp < 0) return NULL;
  return boolResult((cmp === 1) === (op === Py_EQ));
}

/** ≈ dict_repr: "{k: v, ...}", "{...}" when recursive. */
function dict_repr(mp: Ptr): Ptr {
  const r = Py_ReprEnter(mp);
  if (r !== 0) return r > 0 ? PyUnicode_FromString('{...}') : NULL;
  if (I32[(mp + MA_USED) >> 2] === 0) {
    Py_ReprLeave(mp);
    return PyUnicode_FromString('{}');
  }
  let s = '{';
  let first = true;
  let pos = 0;
  while ((pos = PyDict_Next(mp, pos)) >= 0) {
    const key = DICT_NEXT.key, value = DICT_NEXT.value;
    I32[key >> 2]++;
    I32[value >> 2]++;
    if (!first) s += ', ';
    first = false;
    const kr = PyObject_Repr(key);
    const vr = kr === NULL ? NULL : PyObject_Repr(value);
    Py_DECREF(key);
    Py_DECREF(value);
    if (kr === NULL || vr === NULL) {
      if (kr !== NULL) Py_DECREF(kr);
      Py_ReprLeave(mp);
      return NULL;
    }
    s += unicodeToJs(kr) + ': ' + unicodeToJs(vr);
    Py_DECREF(kr);
    Py_DECREF(vr);
  }
  Py_ReprLeave(mp);
  return PyUnicode_FromString(s + '}');
}

/** ≈ _PyDict_SizeOf (getsizeof adds the GC head). */
function dict_sizeof(mp: Ptr): number {
  let size = I32[(I32[(mp + OB_TYPE) >> 2] + TP_BASICSIZE) >> 2]; // ≈ _PyObject_SIZE(Py_TYPE(mp))
  const dk = keysOf(mp);
  if (I32[(mp + MA_VALUES) >> 2] !== NULL) size += dkNentries(dk) * 8;
  if (dk !== Py_EMPTY_KEYS && I32[dk >> 2] === 1) size += _PyDict_KeysSize(dk);
  return size;
}

// methods

function argCount(name: string, nargs: number, min: number, max: number): boolean {
  if (nargs < min) {
    PyErr_SetString(PyExc_TypeError, `${name} expected at least ${min} argument${min === 1 ? '' : 's'}, got ${nargs}`);
    return false;
  }
  if (nargs > max) {
    PyErr_SetString(PyExc_TypeError, `${name} expected at most ${max} argument${max === 1 ? '' : 's'}, got ${nargs}`);
    return false;
  }
  return true;
}

/** dict.get(key, default=None) */
function dict_get(self: Ptr, args: number, nargs: number): Ptr {
  if (!argCount('get', nargs, 1, 2)) return NULL;
  const key = I32[args >> 2];
  const dflt = nargs === 2 ? I32[(args + 8) >> 2] : Py_None;
  const lo = keyHash(key);
  const hi = HASH_HI[0];
  if (lo === -1 && hi === -1) return NULL;
  const ix = _Py_dict_lookup(self, key, lo, hi);
  if (ix === DKIX_ERROR) return NULL;
  const v = ix === DKIX_EMPTY || lookupValue === NULL ? dflt : lookupValue;
  I32[v >> 2]++;
  return v;
}

/** ≈ PyDict_SetDefault: borrowed reference to the value now stored under `key`. */
export function PyDict_SetDefault(mp: Ptr, key: Ptr, dflt: Ptr): Ptr {
  const lo = keyHash(key);
  const hi = HASH_HI[0];
  if (lo === -1 && hi === -1) return NULL;
  if (keysOf(mp) !== Py_EMPTY_KEYS) {
    if (I32[(key + OB_TYPE) >> 2] !== PyUnicode_Type && dkIsUnicode(keysOf(mp))) {
      if (insertion_resize(mp, false) < 0) return NULL;
    }
    const ix = _Py_dict_lookup(mp, key, lo, hi);
    if (ix === DKIX_ERROR) return NULL;
    if (ix >= 0 && lookupValue !== NULL) return lookupValue;
  }
  if (_PyDict_SetItem_KnownHash(mp, key, dflt, lo, hi) < 0) return NULL;
  return dflt;
}

/** dict.setdefault(key, default=None) */
function dict_setdefault(self: Ptr, args: number, nargs: number): Ptr {
  if (!argCount('setdefault', nargs, 1, 2)) return NULL;
  const v = PyDict_SetDefault(self, I32[args >> 2], nargs === 2 ? I32[(args + 8) >> 2] : Py_None);
  if (v === NULL) return NULL;
  I32[v >> 2]++;
  return v;
}

/** ≈ _PyDict_Pop: remove `key` and return its value (new reference), or `dflt` (NULL = raise
 *  KeyError). */
export function _PyDict_Pop(mp: Ptr, key: Ptr, dflt: Ptr): Ptr {
  if (I32[(mp + MA_USED) >> 2] === 0) {
    if (dflt !== NULL) {
      I32[dflt >> 2]++;
      return dflt;
    }
    setKeyError(key);
    return NULL;
  }
  const lo = keyHash(key);
  const hi = HASH_HI[0];
  if (lo === -1 && hi === -1) return NULL;
  const ix = _Py_dict_lookup(mp, key, lo, hi);
  if (ix === DKIX_ERROR) return NULL;
  if (ix === DKIX_EMPTY || lookupValue === NULL) {
    if (dflt !== NULL) {
      I32[dflt >> 2]++;
      return dflt;
    }
    setKeyError(key);
    return NULL;
  }
  const old = lookupValue;
  I32[old >> 2]++;
  delitem_common(mp, lo, hi, ix, old);
  return old;
}

/** dict.pop(key[, default]) */
function dict_pop(self: Ptr, args: number, nargs: number): Ptr {
  if (!argCount('pop', nargs, 1, 2)) return NULL;
  return _PyDict_Pop(self, I32[args >> 2], nargs === 2 ? I32[(args + 8) >> 2] : NULL);
}

/** dict.popitem(): the last entry as a (key, value) tuple. */
function dict_popitem(self: Ptr): Ptr {
  const res = PyTuple_New(2);
  if (res === NULL) return NULL;
  if (I32[(self + MA_USED) >> 2] === 0) {
    Py_DECREF(res);
    PyErr_SetString(PyExc_KeyError, 'popitem(): dictionary is empty');
    return NULL;
  }
  const dk = keysOf(self);
  I32[(dk + DK_VERSION) >> 2] = 0;
  const ep0 = dkEntries(dk);
  let i = dkNentries(dk) - 1;
  let key: Ptr, value: Ptr, lo: number, hi: number;
  if (dkIsUnicode(dk)) {
    while (i >= 0 && I32[(ep0 + 16 * i + 8) >> 2] === NULL) i--;
    key = I32[(ep0 + 16 * i) >> 2];
    lo = I32[(key + UNICODE_HASH) >> 2];
    hi = I32[(key + UNICODE_HASH + 4) >> 2];
    value = I32[(ep0 + 16 * i + 8) >> 2];
    I32[(ep0 + 16 * i) >> 2] = 0;
    I32[(ep0 + 16 * i + 8) >> 2] = 0;
  } else {
    while (i >= 0 && I32[(ep0 + 24 * i + 16) >> 2] === NULL) i--;
    key = I32[(ep0 + 24 * i + 8) >> 2];
    lo = I32[(ep0 + 24 * i) >> 2];
    hi = I32[(ep0 + 24 * i + 4) >> 2];
    value = I32[(ep0 + 24 * i + 16) >> 2];
    I32[(ep0 + 24 * i + 8) >> 2] = 0;
    I32[(ep0 + 24 * i + 16) >> 2] = 0;
  }
  const j = lookdict_index(dk, lo, hi, i);
  setIndex(dk, j, DKIX_DUMMY);
  PyTuple_SET_ITEM(res, 0, key);
  PyTuple_SET_ITEM(res, 1, value);
  setNentries(dk, i);
  setUsed(self, I32[(self + MA_USED) >> 2] - 1);
  setNextVersion(self);
  return res;
}

/** dict.update([other], **kwargs) — METH_FASTCALL | METH_KEYWORDS */
function dict_update(self: Ptr, args: number, nargs: number, kwnames: Ptr): Ptr {
  if (nargs > 1) {
    PyErr_SetString(PyExc_TypeError, `update expected at most 1 argument, got ${nargs}`);
    return NULL;
  }
  if (nargs === 1 && dict_update_arg(self, I32[args >> 2]) < 0) return NULL;
  const nkw = kwnames === NULL ? 0 : I32[(kwnames + OB_SIZE) >> 2];
  for (let i = 0; i < nkw; i++) {
    if (PyDict_SetItem(self, I32[(kwnames + TUPLE_ITEMS + 8 * i) >> 2], I32[(args + 8 * (nargs + i)) >> 2]) < 0) return NULL;
  }
  I32[Py_None >> 2]++;
  return Py_None;
}

function dict_copy(self: Ptr): Ptr {
  return PyDict_Copy(self);
}
function dict_clear(self: Ptr): Ptr {
  PyDict_Clear(self);
  I32[Py_None >> 2]++;
  return Py_None;
}
function dict___contains__(self: Ptr, key: Ptr): Ptr {
  const r = PyDict_Contains(self, key);
  if (r < 0) return NULL;
  return boolResult(r === 1);
}

/** Set iteration for fromkeys (setobject.ts installs it to avoid an import cycle). */
export const setHooks = {
  /** PyAnySet_CheckExact */
  isExactSet: null as ((o: Ptr) => boolean) | null,
  /** PySet_GET_SIZE */
  size: null as ((o: Ptr) => number) | null,
  /** _PySet_NextEntry: from table position pos → next pos or -1; results in SET_NEXT */
  next: null as ((o: Ptr, pos: number) => number) | null,
  out: { key: NULL as Ptr, hashLo: 0, hashHi: 0 },
  // for the views' set operations (dictviews_and/or/sub/xor, richcompare, isdisjoint)
  /** PyAnySet_Check */
  isAnySet: null as ((o: Ptr) => boolean) | null,
  /** PySet_CheckExact */
  isSetExact: null as ((o: Ptr) => boolean) | null,
  /** PySet_New(iterable or NULL): new reference */
  setNew: null as ((iterable: Ptr) => Ptr) | null,
  /** PySet_Add: 0 / -1 */
  add: null as ((so: Ptr, key: Ptr) => number) | null,
  /** set_update_internal / _PySet_Update: 0 / -1 */
  update: null as ((so: Ptr, other: Ptr) => number) | null,
  /** set_intersection (what so.intersection(other) computes): new reference */
  intersection: null as ((so: Ptr, other: Ptr) => Ptr) | null,
  /** set_difference_update_internal (so.difference_update(other)): 0 / -1 */
  differenceUpdate: null as ((so: Ptr, other: Ptr) => number) | null,
  /** set_symmetric_difference_update (so.symmetric_difference_update(other)): 0 / -1 */
  symmetricDifferenceUpdate: null as ((so: Ptr, other: Ptr) => number) | null,
};

/** ≈ _PyDict_FromKeys: dict.fromkeys(iterable, value=None) for class `cls`. New reference. */
export function _PyDict_FromKeys(cls: Ptr, iterable: Ptr, value: Ptr): Ptr {
  const d = cls === PyDict_Type ? PyDict_New() : PyObject_CallNoArgs(cls);
  if (d === NULL) return NULL;
  if (I32[(d + OB_TYPE) >> 2] === PyDict_Type) {
    if (I32[(iterable + OB_TYPE) >> 2] === PyDict_Type) {
      if (dictresize(d, estimate_log2_keysize(I32[(iterable + MA_USED) >> 2]), dkIsUnicode(keysOf(iterable))) < 0) {
        Py_DECREF(d);
        return NULL;
      }
      let pos = 0;
      while ((pos = PyDict_Next(iterable, pos)) >= 0) {
        const key = DICT_NEXT.key;
        I32[key >> 2]++;
        I32[value >> 2]++;
        if (insertdict(d, key, DICT_NEXT.hashLo, DICT_NEXT.hashHi, value) < 0) {
          Py_DECREF(d);
          return NULL;
        }
      }
      return d;
    }
    if (setHooks.isExactSet !== null && setHooks.isExactSet(iterable)) {
      if (dictresize(d, estimate_log2_keysize(setHooks.size!(iterable)), false) < 0) {
        Py_DECREF(d);
        return NULL;
      }
      let pos = 0;
      while ((pos = setHooks.next!(iterable, pos)) >= 0) {
        const key = setHooks.out.key;
        I32[key >> 2]++;
        I32[value >> 2]++;
        if (insertdict(d, key, setHooks.out.hashLo, setHooks.out.hashHi, value) < 0) {
          Py_DECREF(d);
          return NULL;
        }
      }
      return d;
    }
  }
  const it = PyObject_GetIter(iterable);
  if (it === NULL) {
    Py_DECREF(d);
    return NULL;
  }
  for (;;) {
    const key = PyIter_Next(it);
    if (key === NULL) break;
    const status = slotsOfObj(d).mp_ass_subscript!(d, key, value);
    Py_DECREF(key);
    if (status < 0) {
      Py_DECREF(it);
      Py_DECREF(d);
      return NULL;
    }
  }
  Py_DECREF(it);
  if (PyErr_Occurred() !== NULL) {
    Py_DECREF(d);
    return NULL;
  }
  return d;
}

/** dict.fromkeys(iterable, value=None) — METH_FASTCALL | METH_CLASS (self = the class) */
function dict_fromkeys(cls: Ptr, args: number, nargs: number): Ptr {
  if (!argCount('fromkeys', nargs, 1, 2)) return NULL;
  return _PyDict_FromKeys(cls, I32[args >> 2], nargs === 2 ? I32[(args + 8) >> 2] : Py_None);
}

/** d | other (nb_or) */
function dict_or(self: Ptr, other: Ptr): Ptr {
  if (!PyDict_Check(self) || !PyDict_Check(other)) {
    I32[Py_NotImplemented >> 2]++;
    return Py_NotImplemented;
  }
  const n = PyDict_Copy(self);
  if (n === NULL) return NULL;
  if (dict_update_arg(n, other) < 0) {
    Py_DECREF(n);
    return NULL;
  }
  return n;
}
/** d |= other (nb_inplace_or) */
function dict_ior(self: Ptr, other: Ptr): Ptr {
  if (dict_update_arg(self, other) < 0) return NULL;
  I32[self >> 2]++;
  return self;
}

// ---- construction ----

/** ≈ dict_new (tp_new): PyType_GenericAlloc (counted in gen0), untracked for exact dicts. */
function dict_new(type: Ptr, _args: Ptr, _kwds: Ptr): Ptr {
  const self = PyType_GenericAlloc(type, 0);
  if (self === NULL) return PyErr_NoMemory();
  if (type === PyDict_Type) PyObject_GC_UnTrack(self);
  setUsed(self, 0);
  setNextVersion(self);
  setKeys(self, Py_EMPTY_KEYS);
  I32[(self + MA_VALUES) >> 2] = 0;
  return self;
}

/** ≈ dict_vectorcall: dict(), dict(mapping_or_pairs), dict(**kw) */
function dict_vectorcall(type: Ptr, args: number, nargs: number, kwnames: Ptr): Ptr {
  if (nargs > 1) {
    PyErr_SetString(PyExc_TypeError, `dict expected at most 1 argument, got ${nargs}`);
    return NULL;
  }
  const self = dict_new(type, NULL, NULL);
  if (self === NULL) return NULL;
  if (nargs === 1) {
    if (dict_update_arg(self, I32[args >> 2]) < 0) {
      Py_DECREF(self);
      return NULL;
    }
    args += 8;
  }
  const nkw = kwnames === NULL ? 0 : I32[(kwnames + OB_SIZE) >> 2];
  for (let i = 0; i < nkw; i++) {
    if (PyDict_SetItem(self, I32[(kwnames + TUPLE_ITEMS + 8 * i) >> 2], I32[(args + 8 * i) >> 2]) < 0) {
      Py_DECREF(self);
      return NULL;
    }
  }
  return self;
}

/** ≈ dict_init (tp_init): dict.__init__(self, [arg], **kwds) */
function dict_init(self: Ptr, args: Ptr, kwds: Ptr): number {
  const nargs = I32[(args + OB_SIZE) >> 2];
  if (nargs > 1) {
    PyErr_SetString(PyExc_TypeError, `dict expected at most 1 argument, got ${nargs}`);
    return -1;
  }
  if (nargs === 1 && dict_update_arg(self, I32[(args + TUPLE_ITEMS) >> 2]) < 0) return -1;
  if (kwds !== NULL && I32[(kwds + MA_USED) >> 2] !== 0) return dict_merge(self, kwds, 1);
  return 0;
}

// ---- iterators ----

function dictiter_new(dict: Ptr, itertype: Ptr): Ptr {
  const di = PyObject_GC_New(itertype);
  if (di === NULL) return PyErr_NoMemory();
  I32[dict >> 2]++;
  const w = di >> 2;
  I32[w + 4] = dict; I32[w + 5] = 0;
  I32[w + 6] = I32[(dict + MA_USED) >> 2]; I32[w + 7] = 0;
  const reversed = itertype === PyDictRevIterKey_Type || itertype === PyDictRevIterValue_Type || itertype === PyDictRevIterItem_Type;
  const pos = reversed ? dkNentries(keysOf(dict)) - 1 : 0;
  I32[w + 8] = pos; I32[w + 9] = pos < 0 ? -1 : 0;
  I32[w + 12] = I32[(dict + MA_USED) >> 2]; I32[w + 13] = 0;
  if (itertype === PyDictIterItem_Type || itertype === PyDictRevIterItem_Type) {
    const r = PyTuple_Pack2(Py_None, Py_None);
    if (r === NULL) {
      I32[w + 10] = 0;
      Py_DECREF(di);
      return NULL;
    }
    I32[w + 10] = r;
  } else {
    I32[w + 10] = 0;
  }
  I32[w + 11] = 0;
  PyObject_GC_Track(di);
  return di;
}

function dictiter_dealloc(di: Ptr): void {
  PyObject_GC_UnTrack(di);
  Py_XDECREF(I32[(di + DI_DICT) >> 2]);
  Py_XDECREF(I32[(di + DI_RESULT) >> 2]);
  PyObject_GC_Del(di);
}
function dictiter_traverse(di: Ptr, visit: visitproc, arg: number): number {
  const d = I32[(di + DI_DICT) >> 2];
  if (d !== NULL) {
    const r = visit(d, arg);
    if (r !== 0) return r;
  }
  const res = I32[(di + DI_RESULT) >> 2];
  return res !== NULL ? visit(res, arg) : 0;
}

/** Shared body of the forward iterators: the next entry's key/value (borrowed) in
 *  iterKey/iterValue, or false at the end / on error (the dict is released). */
let iterKey: Ptr = NULL, iterValue: Ptr = NULL;
function dictiter_advance(di: Ptr, reversed: boolean): boolean {
  const d = I32[(di + DI_DICT) >> 2];
  if (d === NULL) return false;
  if (I32[(di + DI_USED) >> 2] !== I32[(d + MA_USED) >> 2]) {
    PyErr_SetString(PyExc_RuntimeError, 'dictionary changed size during iteration');
    I32[(di + DI_USED) >> 2] = -1;
    I32[(di + DI_USED + 4) >> 2] = -1;
    return false;
  }
  let i = I32[(di + DI_POS) >> 2];
  const dk = keysOf(d);
  const n = dkNentries(dk);
  const ep0 = dkEntries(dk);
  const esize = dkIsUnicode(dk) ? 16 : 24;
  const koff = dkIsUnicode(dk) ? 0 : 8;
  if (!reversed) {
    while (i < n && I32[(ep0 + esize * i + koff + 8) >> 2] === NULL) i++;
    if (i >= n) return dictiter_fail(di, d);
  } else {
    while (i >= 0 && I32[(ep0 + esize * i + koff + 8) >> 2] === NULL) i--;
    if (i < 0) return dictiter_fail(di, d);
  }
  if (I32[(di + DI_LEN) >> 2] === 0) {
    PyErr_SetString(PyExc_RuntimeError, 'dictionary keys changed during iteration');
    return dictiter_fail(di, d);
  }
  iterKey = I32[(ep0 + esize * i + koff) >> 2];
  iterValue = I32[(ep0 + esize * i + koff + 8) >> 2];
  const np = reversed ? i - 1 : i + 1;
  I32[(di + DI_POS) >> 2] = np;
  I32[(di + DI_POS + 4) >> 2] = np < 0 ? -1 : 0;
  I32[(di + DI_LEN) >> 2]--;
  return true;
}
function dictiter_fail(di: Ptr, d: Ptr): boolean {
  I32[(di + DI_DICT) >> 2] = 0;
  Py_DECREF(d);
  return false;
}

function iternext_items(di: Ptr, reversed: boolean): Ptr {
  if (!dictiter_advance(di, reversed)) return NULL;
  const key = iterKey, value = iterValue;
  I32[key >> 2]++;
  I32[value >> 2]++;
  let result = I32[(di + DI_RESULT) >> 2];
  if (I32[result >> 2] === 1) {
    const oldkey = PyTuple_GET_ITEM(result, 0);
    const oldvalue = PyTuple_GET_ITEM(result, 1);
    PyTuple_SET_ITEM(result, 0, key);
    PyTuple_SET_ITEM(result, 1, value);
    I32[result >> 2]++;
    Py_DECREF(oldkey);
    Py_DECREF(oldvalue);
    if (!_PyObject_GC_IS_TRACKED(result)) PyObject_GC_Track(result);
  } else {
    result = PyTuple_New(2);
    if (result === NULL) {
      Py_DECREF(key);
      Py_DECREF(value);
      return NULL;
    }
    PyTuple_SET_ITEM(result, 0, key);
    PyTuple_SET_ITEM(result, 1, value);
  }
  return result;
}

function dictiter_iternextkey(di: Ptr): Ptr {
  if (!dictiter_advance(di, false)) return NULL;
  I32[iterKey >> 2]++;
  return iterKey;
}
function dictiter_iternextvalue(di: Ptr): Ptr {
  if (!dictiter_advance(di, false)) return NULL;
  I32[iterValue >> 2]++;
  return iterValue;
}
function dictiter_iternextitem(di: Ptr): Ptr {
  return iternext_items(di, false);
}
function dictreviter_iternextkey(di: Ptr): Ptr {
  if (!dictiter_advance(di, true)) return NULL;
  I32[iterKey >> 2]++;
  return iterKey;
}
function dictreviter_iternextvalue(di: Ptr): Ptr {
  if (!dictiter_advance(di, true)) return NULL;
  I32[iterValue >> 2]++;
  return iterValue;
}
function dictreviter_iternextitem(di: Ptr): Ptr {
  return iternext_items(di, true);
}

function dictiter_len(di: Ptr): Ptr {
  const d = I32[(di + DI_DICT) >> 2];
  let len = 0;
  if (d !== NULL && I32[(di + DI_USED) >> 2] === I32[(d + MA_USED) >> 2]) len = I32[(di + DI_LEN) >> 2];
  return PyLong_FromSsize_t(len);
}

/** ≈ dict_iter (tp_iter): iterate over the keys. */
function dict_iter(d: Ptr): Ptr {
  return dictiter_new(d, PyDictIterKey_Type);
}
/** dict.__reversed__() */
function dict___reversed__(d: Ptr): Ptr {
  return dictiter_new(d, PyDictRevIterKey_Type);
}

// ---- views ----

function dictview_new(dict: Ptr, type: Ptr): Ptr {
  const dv = PyObject_GC_New(type);
  if (dv === NULL) return PyErr_NoMemory();
  I32[dict >> 2]++;
  I32[(dv + DV_DICT) >> 2] = dict;
  I32[(dv + DV_DICT + 4) >> 2] = 0;
  PyObject_GC_Track(dv);
  return dv;
}
function dict_keys(d: Ptr): Ptr {
  return dictview_new(d, PyDictKeys_Type);
}
function dict_values(d: Ptr): Ptr {
  return dictview_new(d, PyDictValues_Type);
}
function dict_items(d: Ptr): Ptr {
  return dictview_new(d, PyDictItems_Type);
}
function dictview_dealloc(dv: Ptr): void {
  PyObject_GC_UnTrack(dv);
  Py_XDECREF(I32[(dv + DV_DICT) >> 2]);
  PyObject_GC_Del(dv);
}
function dictview_traverse(dv: Ptr, visit: visitproc, arg: number): number {
  const d = I32[(dv + DV_DICT) >> 2];
  return d !== NULL ? visit(d, arg) : 0;
}
function dictview_len(dv: Ptr): number {
  const d = I32[(dv + DV_DICT) >> 2];
  return d === NULL ? 0 : I32[(d + MA_USED) >> 2];
}
function dictkeys_iter(dv: Ptr): Ptr {
  const d = I32[(dv + DV_DICT) >> 2];
  if (d === NULL) return PyObject_GetIter(emptyTupleForIter());
  return dictiter_new(d, PyDictIterKey_Type);
}
function dictvalues_iter(dv: Ptr): Ptr {
  return dictiter_new(I32[(dv + DV_DICT) >> 2], PyDictIterValue_Type);
}
function dictitems_iter(dv: Ptr): Ptr {
  return dictiter_new(I32[(dv + DV_DICT) >> 2], PyDictIterItem_Type);
}
function emptyTupleForIter(): Ptr {
  return PyTuple_New(0);
}
function dictkeys_reversed(dv: Ptr): Ptr {
  return dictiter_new(I32[(dv + DV_DICT) >> 2], PyDictRevIterKey_Type);
}
function dictvalues_reversed(dv: Ptr): Ptr {
  return dictiter_new(I32[(dv + DV_DICT) >> 2], PyDictRevIterValue_Type);
}
function dictitems_reversed(dv: Ptr): Ptr {
  return dictiter_new(I32[(dv + DV_DICT) >> 2], PyDictRevIterItem_Type);
}
function dictkeys_contains(dv: Ptr, key: Ptr): number {
  const d = I32[(dv + DV_DICT) >> 2];
  return d === NULL ? 0 : PyDict_Contains(d, key);
}
/** ≈ dictitems_contains: (k, v) in d.items() */
function dictitems_contains(dv: Ptr, obj: Ptr): number {
  const d = I32[(dv + DV_DICT) >> 2];
  if (d === NULL) return 0;
  if (I32[(obj + OB_TYPE) >> 2] !== PyTuple_Type && !PyType_IsSubtype(I32[(obj + OB_TYPE) >> 2], PyTuple_Type)) return 0;
  if (I32[(obj + OB_SIZE) >> 2] !== 2) return 0;
  const key = PyTuple_GET_ITEM(obj, 0);
  const value = PyTuple_GET_ITEM(obj, 1);
  const found = PyDict_GetItemWithError(d, key);
  if (found === NULL) return PyErr_Occurred() !== NULL ? -1 : 0;
  I32[found >> 2]++;
  const r = PyObject_RichCompareBool(found, value, Py_EQ);
  Py_DECREF(found);
  return r;
}
/** ≈ dictview_repr: "dict_keys([...])" */
function dictview_repr(dv: Ptr): Ptr {
  const r = Py_ReprEnter(dv);
  if (r !== 0) return r > 0 ? PyUnicode_FromString('...') : NULL;
  const seq = PySequence_List(dv);
  if (seq === NULL) {
    Py_ReprLeave(dv);
    return NULL;
  }
  const sr = PyObject_Repr(seq);
  Py_DECREF(seq);
  Py_ReprLeave(dv);
  if (sr === NULL) return NULL;
  const s = `${typeName(I32[(dv + OB_TYPE) >> 2])}(${unicodeToJs(sr)})`;
  Py_DECREF(sr);
  return PyUnicode_FromString(s);
}
function dictview_mapping(dv: Ptr): Ptr {
  // mappingproxy is not in the subset: return the dict itself
  const d = I32[(dv + DV_DICT) >> 2];
  I32[d >> 2]++;
  return d;
}

// ---- set operations of the keys and items views (≈ dictviews_* in Objects/dictobject.c) ----
// Every result is a new exact set. The number slots are also called reflected (`{1} & d.keys()`,
// `[1] - d.keys()`): `self` is then the other operand, any iterable. The set internals come
// through setHooks (setobject.ts installs them; it imports this module).

/** ≈ PyDictViewSet_Check: a keys or items view. */
function PyDictViewSet_Check(o: Ptr): boolean {
  const t = I32[(o + OB_TYPE) >> 2];
  return t === PyDictKeys_Type || t === PyDictItems_Type;
}
function notImplemented(): Ptr {
  I32[Py_NotImplemented >> 2]++;
  return Py_NotImplemented;
}

/** ≈ dictviews_to_set: set(self); a keys view of an exact dict is built from the dict itself
 *  (PySet_New's dict fast path: one presize, the stored hashes). New reference. */
function dictviews_to_set(self: Ptr): Ptr {
  let left = self;
  if (I32[(self + OB_TYPE) >> 2] === PyDictKeys_Type) {
    const d = I32[(self + DV_DICT) >> 2];
    if (d !== NULL && I32[(d + OB_TYPE) >> 2] === PyDict_Type) left = d;
  }
  return setHooks.setNew!(left);
}

/** ≈ dictviews_sub (nb_subtract): set(self) with other's elements removed (difference_update). */
function dictviews_sub(self: Ptr, other: Ptr): Ptr {
  const result = dictviews_to_set(self);
  if (result === NULL) return NULL;
  if (setHooks.differenceUpdate!(result, other) < 0) {
    Py_DECREF(result);
    return NULL;
  }
  return result;
}

/** ≈ _PyDictView_Intersect (nb_and). New reference. */
export function _PyDictView_Intersect(self: Ptr, other: Ptr): Ptr {
  // the interpreter passes the operands in source order: put the view first
  if (!PyDictViewSet_Check(self)) {
    const t = other;
    other = self;
    self = t;
  }
  const lenSelf = dictview_len(self);
  // an exact set at least as large: other.intersection(self)
  if (setHooks.isSetExact!(other) && lenSelf <= PyObject_Size(other)) return setHooks.intersection!(other, self);
  // two views: iterate over the smaller one
  if (PyDictViewSet_Check(other) && dictview_len(other) > lenSelf) {
    const t = other;
    other = self;
    self = t;
  }
  const result = setHooks.setNew!(NULL);
  if (result === NULL) return NULL;
  const it = PyObject_GetIter(other);
  if (it === NULL) {
    Py_DECREF(result);
    return NULL;
  }
  const keys = I32[(self + OB_TYPE) >> 2] === PyDictKeys_Type;
  for (;;) {
    const key = PyIter_Next(it);
    if (key === NULL) break;
    let rv = keys ? dictkeys_contains(self, key) : dictitems_contains(self, key);
    if (rv > 0) rv = setHooks.add!(result, key) < 0 ? -1 : 1;
    Py_DECREF(key);
    if (rv < 0) {
      Py_DECREF(it);
      Py_DECREF(result);
      return NULL;
    }
  }
  Py_DECREF(it);
  if (PyErr_Occurred() !== NULL) {
    Py_DECREF(result);
    return NULL;
  }
  return result;
}

/** ≈ dictviews_or (nb_or): set(self) updated with other. */
function dictviews_or(self: Ptr, other: Ptr): Ptr {
  const result = dictviews_to_set(self);
  if (result === NULL) return NULL;
  if (setHooks.update!(result, other) < 0) {
    Py_DECREF(result);
    return NULL;
  }
  return result;
}

/** ≈ dictitems_xor: items view ^ items view without hashing the values. A copy of the left dict
 *  loses every pair the right one shares; the right's other pairs, then what is left of the
 *  copy, go into the result. New reference. */
function dictitems_xor(self: Ptr, other: Ptr): Ptr {
  const d1 = I32[(self + DV_DICT) >> 2];
  const d2 = I32[(other + DV_DICT) >> 2];
  const temp = PyDict_Copy(d1);
  if (temp === NULL) return NULL;
  const result = setHooks.setNew!(NULL);
  if (result === NULL) {
    Py_DECREF(temp);
    return NULL;
  }
  let pos = 0;
  let ok = true;
  while (ok && (pos = PyDict_Next(d2, pos)) >= 0) {
    const key = DICT_NEXT.key, val2 = DICT_NEXT.value, lo = DICT_NEXT.hashLo, hi = DICT_NEXT.hashHi;
    I32[key >> 2]++;
    I32[val2 >> 2]++;
    const val1 = _PyDict_GetItem_KnownHash(temp, key, lo, hi);
    let toDelete = 0;
    if (val1 === NULL) {
      if (PyErr_Occurred() !== NULL) toDelete = -1;
    } else {
      I32[val1 >> 2]++;
      toDelete = PyObject_RichCompareBool(val1, val2, Py_EQ);
      Py_DECREF(val1);
    }
    if (toDelete < 0) ok = false;
    else if (toDelete > 0) ok = _PyDict_DelItem_KnownHash(temp, key, lo, hi) >= 0;
    else {
      const pair = PyTuple_Pack2(key, val2);
      ok = pair !== NULL && setHooks.add!(result, pair) >= 0;
      if (pair !== NULL) Py_DECREF(pair);
    }
    Py_DECREF(key);
    Py_DECREF(val2);
  }
  if (ok) {
    const remaining = dict_items(temp);
    ok = remaining !== NULL && setHooks.update!(result, remaining) >= 0;
    if (remaining !== NULL) Py_DECREF(remaining);
  }
  Py_DECREF(temp);
  if (!ok) {
    Py_DECREF(result);
    return NULL;
  }
  return result;
}

/** ≈ dictviews_xor (nb_xor) */
function dictviews_xor(self: Ptr, other: Ptr): Ptr {
  if (I32[(self + OB_TYPE) >> 2] === PyDictItems_Type && I32[(other + OB_TYPE) >> 2] === PyDictItems_Type) {
    return dictitems_xor(self, other);
  }
  const result = dictviews_to_set(self);
  if (result === NULL) return NULL;
  if (setHooks.symmetricDifferenceUpdate!(result, other) < 0) {
    Py_DECREF(result);
    return NULL;
  }
  return result;
}

/** ≈ all_contained_in: every element of self is `in` other. 1 / 0 / -1 */
function all_contained_in(self: Ptr, other: Ptr): number {
  const it = PyObject_GetIter(self);
  if (it === NULL) return -1;
  let ok = 1;
  for (;;) {
    const next = PyIter_Next(it);
    if (next === NULL) {
      if (PyErr_Occurred() !== NULL) ok = -1;
      break;
    }
    ok = PySequence_Contains(other, next);
    Py_DECREF(next);
    if (ok <= 0) break;
  }
  Py_DECREF(it);
  return ok;
}

/** ≈ dictview_richcompare: set comparisons with sets, frozensets and keys/items views
 *  (NotImplemented for anything else). */
function dictview_richcompare(self: Ptr, other: Ptr, op: number): Ptr {
  if (!setHooks.isAnySet!(other) && !PyDictViewSet_Check(other)) return notImplemented();
  const lenSelf = PyObject_Size(self);
  if (lenSelf < 0) return NULL;
  const lenOther = PyObject_Size(other);
  if (lenOther < 0) return NULL;
  let ok = 0;
  switch (op) {
    case Py_NE:
    case Py_EQ:
      if (lenSelf === lenOther) ok = all_contained_in(self, other);
      if (op === Py_NE && ok >= 0) ok = ok ? 0 : 1;
      break;
    case Py_LT:
      if (lenSelf < lenOther) ok = all_contained_in(self, other);
      break;
    case Py_LE:
      if (lenSelf <= lenOther) ok = all_contained_in(self, other);
      break;
    case Py_GT:
      if (lenSelf > lenOther) ok = all_contained_in(other, self);
      break;
    case Py_GE:
      if (lenSelf >= lenOther) ok = all_contained_in(other, self);
      break;
  }
  if (ok < 0) return NULL;
  return boolResult(ok !== 0);
}

/** ≈ dictviews_isdisjoint (METH_O) */
function dictviews_isdisjoint(self: Ptr, other: Ptr): Ptr {
  if (self === other) return boolResult(dictview_len(self) === 0);
  // iterate over the shorter one (only when other is a set or a view: `in` may be slow otherwise)
  if (setHooks.isAnySet!(other) || PyDictViewSet_Check(other)) {
    const lenSelf = dictview_len(self);
    const lenOther = PyObject_Size(other);
    if (lenOther === -1) return NULL;
    if (lenOther > lenSelf) {
      const t = other;
      other = self;
      self = t;
    }
  }
  const it = PyObject_GetIter(other);
  if (it === NULL) return NULL;
  for (;;) {
    const item = PyIter_Next(it);
    if (item === NULL) break;
    const contains = PySequence_Contains(self, item);
    Py_DECREF(item);
    if (contains !== 0) {
      Py_DECREF(it);
      return contains < 0 ? NULL : boolResult(false);
    }
  }
  Py_DECREF(it);
  if (PyErr_Occurred() !== NULL) return NULL;
  return boolResult(true);
}

// ---- the types ----

export const PyDict_Type: Ptr = newStaticType({
  name: 'dict',
  basicsize: DICT_BASICSIZE,
  flags: Py_TPFLAGS_HAVE_GC | Py_TPFLAGS_BASETYPE | Py_TPFLAGS_DICT_SUBCLASS | Py_TPFLAGS_MAPPING,
  slots: {
    tp_dealloc: dict_dealloc,
    tp_repr: dict_repr,
    tp_hash: PyObject_HashNotImplemented,
    tp_richcompare: dict_richcompare,
    tp_iter: dict_iter,
    tp_traverse: dict_traverse,
    tp_clear: dict_tp_clear,
    tp_new: dict_new,
    tp_init: dict_init,
    tp_vectorcall: dict_vectorcall,
    tp_free: PyObject_GC_Del,
    sq_contains: dict_contains,
    mp_length: dict_length,
    mp_subscript: dict_subscript,
    mp_ass_subscript: dict_ass_sub,
    nb_or: dict_or,
    nb_inplace_or: dict_ior,
    tp_sizeof: dict_sizeof,
    methods: [
      { name: '__contains__', flags: METH_O | METH_COEXIST, fn: dict___contains__, doc: 'True if the dictionary has the specified key, else False.' },
      { name: '__reversed__', flags: METH_NOARGS, fn: dict___reversed__, doc: 'Return a reverse iterator over the dict keys.' },
      { name: 'get', flags: METH_FASTCALL, fn: dict_get, doc: 'Return the value for key if key is in the dictionary, else default.' },
      { name: 'setdefault', flags: METH_FASTCALL, fn: dict_setdefault, doc: 'Insert key with a value of default if key is not in the dictionary.\n\nReturn the value for key if key is in the dictionary, else default.' },
      { name: 'pop', flags: METH_FASTCALL, fn: dict_pop, doc: 'D.pop(k[,d]) -> v, remove specified key and return the corresponding value.\n\nIf the key is not found, return the default if given; otherwise,\nraise a KeyError.' },
      { name: 'popitem', flags: METH_NOARGS, fn: dict_popitem, doc: 'Remove and return a (key, value) pair as a 2-tuple.\n\nPairs are returned in LIFO (last-in, first-out) order.\nRaises KeyError if the dict is empty.' },
      { name: 'keys', flags: METH_NOARGS, fn: dict_keys, doc: 'D.keys() -> a set-like object providing a view on D\'s keys' },
      { name: 'items', flags: METH_NOARGS, fn: dict_items, doc: 'D.items() -> a set-like object providing a view on D\'s items' },
      { name: 'values', flags: METH_NOARGS, fn: dict_values, doc: 'D.values() -> an object providing a view on D\'s values' },
      { name: 'update', flags: METH_FASTCALL | METH_KEYWORDS, fn: dict_update, doc: 'D.update([E, ]**F) -> None.  Update D from dict/iterable E and F.' },
      { name: 'fromkeys', flags: METH_FASTCALL | METH_CLASS, fn: dict_fromkeys, doc: 'Create a new dictionary with keys from iterable and values set to value.' },
      { name: 'clear', flags: METH_NOARGS, fn: dict_clear, doc: 'D.clear() -> None.  Remove all items from D.' },
      { name: 'copy', flags: METH_NOARGS, fn: dict_copy, doc: 'D.copy() -> a shallow copy of D' },
    ],
    doc: "dict() -> new empty dictionary\ndict(mapping) -> new dictionary initialized from a mapping object's\n    (key, value) pairs\ndict(iterable) -> new dictionary initialized as if via:\n    d = {}\n    for k, v in iterable:\n        d[k] = v\ndict(**kwargs) -> new dictionary initialized with the name=value pairs\n    in the keyword argument list.  For example:  dict(one=1, two=2)",
  },
});

function iterType(name: string, next: (o: Ptr) => Ptr): Ptr {
  return newStaticType({
    name,
    basicsize: DICTITER_BASICSIZE,
    flags: Py_TPFLAGS_HAVE_GC,
    slots: {
      tp_dealloc: dictiter_dealloc,
      tp_traverse: dictiter_traverse,
      tp_iter: PyObject_SelfIter,
      tp_iternext: next,
      tp_free: PyObject_GC_Del,
      methods: [{ name: '__length_hint__', flags: METH_NOARGS, fn: dictiter_len, doc: 'Private method returning an estimate of len(list(it)).' }],
    },
  });
}
export const PyDictIterKey_Type: Ptr = iterType('dict_keyiterator', dictiter_iternextkey);
export const PyDictIterValue_Type: Ptr = iterType('dict_valueiterator', dictiter_iternextvalue);
export const PyDictIterItem_Type: Ptr = iterType('dict_itemiterator', dictiter_iternextitem);
export const PyDictRevIterKey_Type: Ptr = iterType('dict_reversekeyiterator', dictreviter_iternextkey);
export const PyDictRevIterValue_Type: Ptr = iterType('dict_reversevalueiterator', dictreviter_iternextvalue);
export const PyDictRevIterItem_Type: Ptr = iterType('dict_reverseitemiterator', dictreviter_iternextitem);

/** A view type; keys and items views (`setLike`) add the set operations, set comparisons and
 *  isdisjoint, and are unhashable (their richcompare replaces object's). */
function viewType(name: string, iter: (o: Ptr) => Ptr, rev: (o: Ptr) => Ptr, contains: ((o: Ptr, k: Ptr) => number) | undefined,
  setLike: boolean): Ptr {
  const methods: MethodDef[] = [];
  if (setLike) {
    methods.push({ name: 'isdisjoint', flags: METH_O, fn: dictviews_isdisjoint, doc: 'Return True if the view and the given iterable have a null intersection.' });
  }
  methods.push({ name: '__reversed__', flags: METH_NOARGS, fn: rev, doc: 'Return a reverse iterator over the dict ' + name.slice(5) + '.' });
  return newStaticType({
    name,
    basicsize: DICTVIEW_BASICSIZE,
    flags: Py_TPFLAGS_HAVE_GC,
    slots: {
      tp_dealloc: dictview_dealloc,
      tp_traverse: dictview_traverse,
      tp_repr: dictview_repr,
      tp_iter: iter,
      sq_length: dictview_len,
      sq_contains: contains,
      tp_free: PyObject_GC_Del,
      ...(setLike ? {
        tp_richcompare: dictview_richcompare,
        tp_hash: PyObject_HashNotImplemented,
        nb_subtract: dictviews_sub,
        nb_and: _PyDictView_Intersect,
        nb_or: dictviews_or,
        nb_xor: dictviews_xor,
      } : {}),
      methods,
      getsets: [{ name: 'mapping', get: dictview_mapping, doc: 'dictionary that this view refers to' }],
    },
  });
}
export const PyDictKeys_Type: Ptr = viewType('dict_keys', dictkeys_iter, dictkeys_reversed, dictkeys_contains, true);
export const PyDictItems_Type: Ptr = viewType('dict_items', dictitems_iter, dictitems_reversed, dictitems_contains, true);
export const PyDictValues_Type: Ptr = viewType('dict_values', dictvalues_iter, dictvalues_reversed, undefined, false);
