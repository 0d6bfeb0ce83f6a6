// The eval loop's inline caches (≈ Python/specialize.c of CPython 3.11, simplified).
//
// CPython 3.11 keeps per-instruction caches in the CACHE code units that follow LOAD_GLOBAL,
// LOAD_ATTR, STORE_ATTR and LOAD_METHOD in co_code_adaptive; so does pymem. co_code shows them
// zeroed (codeobject.ts), as _PyCode_GetCode does. Unlike CPython, the opcode itself is not
// rewritten: the first cache unit says which specialised form the cache holds (its "kind"), and
// the generic case in ceval.ts checks the kind's guards before its generic path.
//
// Cache units (16 bits each, U16 index `c` = the first unit after the instruction):
//   LOAD_GLOBAL (5): [kind 1 module / 2 builtin] [index] [globals keys version lo, hi]
//                    [builtins keys version (16 bits)]
//   LOAD_ATTR   (4): [kind 1 instance value / 2 module] [type version or keys version lo, hi] [index]
//   STORE_ATTR  (4): [kind 1 instance value] [type version lo, hi] [index]
//   LOAD_METHOD (10): [kind 1 no dict / 2 instance with values / 3 module] [type version lo, hi]
//                    [shared keys version lo, hi] [descr lo, hi | module entry index]
// A guard that fails runs the generic path and waits MISS_BACKOFF executions before specialising
// again; a site that could not be specialised waits BACKOFF executions (kind ≥ 0x100 counts down).
//
// What makes a cache valid: a type's version tag changes whenever its dict or bases change
// (PyType_Modified), and a dict keys object's dk_version is reset to 0 whenever a key is added
// or removed (dictobject.ts); both versions come from global counters, so an address reused by
// a new type or keys object never matches an old cache. Values are read at run time from the
// dict entry or the instance's values array (a NULL there is a miss), never cached.

import {
  type Ptr, NULL as NULL__i, I32 as heapI32, U16 as heapU16,
} from '../mem/heap.js';
const NULL = NULL__i;
import {
  OB_TYPE as OB_TYPE__i, MANAGED_DICT_OFFSET as MANAGED_DICT_OFFSET__i, MANAGED_VALUES_OFFSET as MANAGED_VALUES_OFFSET__i,
} from '../object.js';
const OB_TYPE = OB_TYPE__i;
const MANAGED_DICT_OFFSET = MANAGED_DICT_OFFSET__i;
const MANAGED_VALUES_OFFSET = MANAGED_VALUES_OFFSET__i;
import {
  slotsOf, TP_FLAGS as TP_FLAGS__i, TP_DICTOFFSET as TP_DICTOFFSET__i, HT_CACHED_KEYS as HT_CACHED_KEYS__i, Py_TPFLAGS_MANAGED_DICT as Py_TPFLAGS_MANAGED_DICT__i,
} from '../typeobject.js';
const TP_FLAGS = TP_FLAGS__i;
const TP_DICTOFFSET = TP_DICTOFFSET__i;
const HT_CACHED_KEYS = HT_CACHED_KEYS__i;
const Py_TPFLAGS_MANAGED_DICT = Py_TPFLAGS_MANAGED_DICT__i;
import { _PyType_Lookup, typeVersionTag, PyObject_GenericGetAttr, PyObject_GenericSetAttr } from '../typeready.js';
import {
  MA_KEYS as MA_KEYS__i, MA_VALUES as MA_VALUES__i, DK_NENTRIES as DK_NENTRIES__i, _PyDictKeys_GetVersionForCurrentState, _PyDictKeys_StringLookup,
} from '../objects/dictobject.js';
const MA_KEYS = MA_KEYS__i;
const MA_VALUES = MA_VALUES__i;
const DK_NENTRIES = DK_NENTRIES__i;
import {
  PyModule_Type as PyModule_Type__i, MD_DICT as MD_DICT__i,
} from '../objects/moduleobject.js';
import { sharedKeysLookup, sharedKeyAt } from '../objects/typeobject_heap.js';
const PyModule_Type = PyModule_Type__i;
const MD_DICT = MD_DICT__i;
import {
  PyUnicode_Type as PyUnicode_Type__i,
} from '../objects/unicodeobject.js';
const PyUnicode_Type = PyUnicode_Type__i;

const I32 = heapI32;
const U16 = heapU16;

export const BACKOFF = 0x100 + 52;
/** after a guard failed: run the generic path this many times before specialising again (a site
 *  that sees several types does not pay for a new specialisation on every execution) */
export const MISS_BACKOFF = 0x100 + 8;
/** Py_TPFLAGS_METHOD_DESCRIPTOR */
const METHOD_DESCRIPTOR = 1 << 17;

function put32(c: number, v: number): void {
  U16[c] = v & 0xffff;
  U16[c + 1] = v >>> 16;
}

/** Count down a backing-off site; true when it may try to specialise now. */
export function mayRetry(c: number): boolean {
  const k = U16[c];
  if (k < 0x100) return true;
  U16[c] = k === 0x101 ? 0 : k - 1;
  return false;
}

/** Keys version of the module dict whose entry moduleEntry last found. */
let moduleKeysVersion = 0;
/** The entry index of `name` in module `m`'s dict (its keys version in moduleKeysVersion), or -1
 *  when the attribute cannot be cached. */
function moduleEntry(m: Ptr, name: Ptr): number {
  const d = I32[(m + MD_DICT) >> 2];
  if (d === NULL || I32[(d + MA_VALUES) >> 2] !== NULL) return -1;
  const dk = I32[(d + MA_KEYS) >> 2];
  const i = _PyDictKeys_StringLookup(dk, name);
  if (i < 0) return -1;
  moduleKeysVersion = _PyDictKeys_GetVersionForCurrentState(dk);
  return moduleKeysVersion === 0 ? -1 : i;
}

/** LOAD_GLOBAL: cache where `name` was found (globals or builtins). */
export function specializeLoadGlobal(globals: Ptr, builtins: Ptr, name: Ptr, c: number): void {
  if (!mayRetry(c)) return;
  U16[c] = BACKOFF;
  if (I32[(globals + OB_TYPE) >> 2] !== I32[(builtins + OB_TYPE) >> 2]) return;
  if (I32[(globals + MA_VALUES) >> 2] !== NULL || I32[(builtins + MA_VALUES) >> 2] !== NULL) return;
  const gk = I32[(globals + MA_KEYS) >> 2];
  const gi = _PyDictKeys_StringLookup(gk, name);
  if (gi > 0xffff) return;
  if (gi >= 0) {
    const v = _PyDictKeys_GetVersionForCurrentState(gk);
    if (v === 0) return;
    U16[c + 1] = gi;
    put32(c + 2, v);
    U16[c] = 1;
    return;
  }
  const bk = I32[(builtins + MA_KEYS) >> 2];
  const bi = _PyDictKeys_StringLookup(bk, name);
  if (bi < 0 || bi > 0xffff) return;
  const gv = _PyDictKeys_GetVersionForCurrentState(gk);
  const bv = _PyDictKeys_GetVersionForCurrentState(bk);
  if (gv === 0 || bv === 0 || bv > 0xffff) return;
  U16[c + 1] = bi;
  put32(c + 2, gv);
  U16[c + 4] = bv;
  U16[c] = 2;
}

/** The instance-values index of `name` for `obj` when its type lets LOAD_ATTR/STORE_ATTR read the
 *  values array directly, else -1. */
function instanceValueIndex(obj: Ptr, tp: Ptr, name: Ptr): number {
  if ((I32[(tp + TP_FLAGS) >> 2] & Py_TPFLAGS_MANAGED_DICT) === 0) return -1;
  if (I32[(obj + MANAGED_VALUES_OFFSET) >> 2] === NULL || I32[(obj + MANAGED_DICT_OFFSET) >> 2] !== NULL) return -1;
  if (I32[(name + OB_TYPE) >> 2] !== PyUnicode_Type) return -1;
  if (_PyType_Lookup(tp, name) !== NULL) return -1; // a class attribute or descriptor: not cached
  const k = I32[(tp + HT_CACHED_KEYS) >> 2];
  return k === NULL ? -1 : sharedKeysLookup(k, name);
}

/** LOAD_ATTR after a generic load of `name` from `owner` succeeded. */
export function specializeLoadAttr(owner: Ptr, name: Ptr, c: number): void {
  if (!mayRetry(c)) return;
  U16[c] = BACKOFF;
  const tp = I32[(owner + OB_TYPE) >> 2];
  if (tp === PyModule_Type) {
    const i = moduleEntry(owner, name);
    if (i < 0 || i > 0xffff) return;
    put32(c + 1, moduleKeysVersion);
    U16[c + 3] = i;
    U16[c] = 2;
    return;
  }
  if (slotsOf(tp).tp_getattro !== PyObject_GenericGetAttr) return;
  cacheInstanceValue(owner, tp, name, c);
}

/** STORE_ATTR after a generic store succeeded. */
export function specializeStoreAttr(owner: Ptr, name: Ptr, c: number): void {
  if (!mayRetry(c)) return;
  U16[c] = BACKOFF;
  const tp = I32[(owner + OB_TYPE) >> 2];
  if (slotsOf(tp).tp_setattro !== PyObject_GenericSetAttr) return;
  cacheInstanceValue(owner, tp, name, c);
}

/** The instance-value form (kind 1) of a LOAD_ATTR / STORE_ATTR cache: type version + index. */
function cacheInstanceValue(owner: Ptr, tp: Ptr, name: Ptr, c: number): void {
  const i = instanceValueIndex(owner, tp, name);
  if (i < 0) return;
  const ver = typeVersionTag(tp);
  if (ver === 0) return;
  put32(c + 1, ver);
  U16[c + 3] = i;
  U16[c] = 1;
}

// ---- LOAD_METHOD sites that see several classes ----
// A site whose inline cache keeps missing (a loop calling `task.step()` over tasks of several
// classes) also remembers each class it meets in POLY, a small direct-mapped table keyed by the
// site and the class's version tag: [site, type version, shared-keys version (0: a class without
// instance dict), method]. The same guards as the inline cache's kinds 1 and 2 apply on a hit; a
// code object that is freed takes its sites' entries with it (codeobject's dealloc hook).
const POLY_BITS = 10;
export const POLY = new Int32Array(4 << POLY_BITS);
export function polyIndex(c: number, ver: number): number {
  return (Math.imul(c ^ Math.imul(ver, 0x85ebca6b), 0x9e3779b1) >>> (32 - POLY_BITS)) << 2;
}
/** Forget the entries of the sites in [lo, hi) (U16 indices): their code object is freed. */
export function polyForget(lo: number, hi: number): void {
  for (let i = 0; i < POLY.length; i += 4) if (POLY[i] >= lo && POLY[i] < hi) POLY[i] = POLY[i + 1] = POLY[i + 2] = POLY[i + 3] = 0;
}

/** LOAD_METHOD after the generic path. `meth` is the unbound method it found on the type (NULL
 *  when it fell back to getattr). */
export function specializeLoadMethod(owner: Ptr, name: Ptr, meth: Ptr, c: number): void {
  if (!mayRetry(c)) {
    // backing off after a miss: remember this class for the site in POLY
    if (meth !== NULL) polyRemember(owner, name, meth, c);
    return;
  }
  U16[c] = BACKOFF;
  const tp = I32[(owner + OB_TYPE) >> 2];
  if (meth === NULL) {
    if (tp !== PyModule_Type) return;
    const i = moduleEntry(owner, name);
    if (i < 0) return;
    put32(c + 3, moduleKeysVersion);
    put32(c + 5, i);
    U16[c] = 3;
    return;
  }
  if ((I32[(I32[(meth + OB_TYPE) >> 2] + TP_FLAGS) >> 2] & METHOD_DESCRIPTOR) === 0) return;
  if (_PyType_Lookup(tp, name) !== meth) return;
  const ver = typeVersionTag(tp);
  if (ver === 0) return;
  const fl = I32[(tp + TP_FLAGS) >> 2];
  if ((fl & Py_TPFLAGS_MANAGED_DICT) !== 0) {
    // the instance keeps its attributes in a values array: the method stays valid while the
    // class's shared keys do not gain `name`
    if (I32[(owner + MANAGED_VALUES_OFFSET) >> 2] === NULL || I32[(owner + MANAGED_DICT_OFFSET) >> 2] !== NULL) return;
    const k = I32[(tp + HT_CACHED_KEYS) >> 2];
    if (k === NULL) return;
    if (sharedKeysLookup(k, name) >= 0) return;
    const kv = _PyDictKeys_GetVersionForCurrentState(k);
    if (kv === 0) return;
    put32(c + 1, ver);
    put32(c + 3, kv);
    put32(c + 5, meth);
    U16[c] = 2;
    return;
  }
  if (I32[(tp + TP_DICTOFFSET) >> 2] !== 0) return;
  put32(c + 1, ver);
  put32(c + 5, meth);
  U16[c] = 1;
}

/** POLY entry for `meth` found on `owner`'s class at site `c`, under the inline cache's guards. */
function polyRemember(owner: Ptr, name: Ptr, meth: Ptr, c: number): void {
  if ((I32[(I32[(meth + OB_TYPE) >> 2] + TP_FLAGS) >> 2] & METHOD_DESCRIPTOR) === 0) return;
  const tp = I32[(owner + OB_TYPE) >> 2];
  if (_PyType_Lookup(tp, name) !== meth) return;
  const ver = typeVersionTag(tp);
  if (ver === 0) return;
  let kv = 0;
  if ((I32[(tp + TP_FLAGS) >> 2] & Py_TPFLAGS_MANAGED_DICT) !== 0) {
    if (I32[(owner + MANAGED_VALUES_OFFSET) >> 2] === NULL || I32[(owner + MANAGED_DICT_OFFSET) >> 2] !== NULL) return;
    const k = I32[(tp + HT_CACHED_KEYS) >> 2];
    if (k === NULL || sharedKeysLookup(k, name) >= 0) return;
    kv = _PyDictKeys_GetVersionForCurrentState(k);
    if (kv === 0) return;
  } else if (I32[(tp + TP_DICTOFFSET) >> 2] !== 0) return;
  const h = polyIndex(c, ver);
  POLY[h] = c;
  POLY[h + 1] = ver;
  POLY[h + 2] = kv;
  POLY[h + 3] = meth;
}

/** The polymorphic check of an instance-value cache (LOAD_ATTR / STORE_ATTR kind 1) whose type
 *  version did not match: true when `obj`'s class also keeps `name` at values index `i` (classes
 *  sharing a base usually set the base's attributes first, in the same order), its attribute
 *  access is the generic one and no class attribute named `name` exists. Then values[i] is the
 *  attribute, exactly as the generic path would find it. */
export function sameInstanceSlot(obj: Ptr, name: Ptr, i: number, store: boolean): boolean {
  const tp = I32[(obj + OB_TYPE) >> 2];
  if ((I32[(tp + TP_FLAGS) >> 2] & Py_TPFLAGS_MANAGED_DICT) === 0) return false;
  const k = I32[(tp + HT_CACHED_KEYS) >> 2];
  if (k === NULL || i >= I32[(k + DK_NENTRIES) >> 2] || sharedKeyAt(k, i) !== name) return false;
  const s = slotsOf(tp);
  if (store ? s.tp_setattro !== PyObject_GenericSetAttr : s.tp_getattro !== PyObject_GenericGetAttr) return false;
  return _PyType_Lookup(tp, name) === NULL;
}
