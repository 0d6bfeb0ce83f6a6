// set and frozenset (≈ Objects/setobject.c, CPython 3.11).
//
// PySetObject (GC; 200 bytes + 16 GC head = getsizeof 216 while the table is the small one):
//    0 ob_refcnt · 8 ob_type · 16 fill · 24 used · 32 mask · 40 table (pointer)
//   48 hash (frozenset cache, -1 = not computed) · 56 finger (pop position)
//   64 smalltable[8] of 16-byte entries {key 8, hash 8} · 192 weakreflist
// Tables larger than 8 slots are separate MEM-domain blocks (getsizeof adds 16·slots).
// An entry is empty (key NULL), active, or a dummy (key = the static dummy object, hash -1).
//
// Algorithm (3.11, §10 of the fact sheet):
//  - probe at i = hash & mask, then the 9 following slots when i + 9 <= mask (linear probing),
//    then perturb >>= 5, i = (5i + 1 + perturb) & mask. Insert reuses the LAST dummy seen on the
//    way to an empty slot. Equality: identity, str fast compare, then ==.
//  - after filling a fresh slot, if fill·5 >= mask·3 resize to the smallest power of two >
//    used·4 (used·2 above 50000 items), minimum 8; the rebuild inserts old entries in table
//    order, dropping dummies.
//  - set_merge (update from another set): one resize up front when (fill + other.used)·5 >=
//    mask·3, then a slot-for-slot copy (empty target, same mask, no dummies in the source), a
//    clean insertion (empty target) or normal adds.
//  - pop() scans from finger for the next active slot, leaves a dummy, finger = slot + 1.
//  - sets and frozensets are always tracked; dealloc decrefs in table order.
// Set iterator (GC, getsizeof 64): 16 si_set · 24 si_used · 32 si_pos · 40 len.

import {
  type Ptr, NULL as NULL__i, I32 as I32__i, U8 as U8__i, staticAlloc,
} from '../mem/heap.js';
const NULL = NULL__i;
const I32 = I32__i;
const U8 = U8__i;
import { PyMem_Malloc, PyMem_Free } from '../mem/pymem.js';
import { OB_TYPE, HASH_HI, STATIC_REFCNT, Py_DECREF, Py_XDECREF, trashcanBegin, trashcanEnd, Py_ReprEnter, Py_ReprLeave } from '../object.js';
import {
  newStaticType, typeName, slotsOfObj, PyType_IsSubtype, Py_TPFLAGS_BASETYPE, Py_TPFLAGS_HAVE_GC,
  Py_EQ, Py_NE, Py_LT, Py_LE, Py_GT, Py_GE, METH_NOARGS, METH_O, METH_VARARGS, METH_COEXIST, type visitproc,
} from '../typeobject.js';
import { PyObject_GC_New, PyObject_GC_Del, PyObject_GC_Track, PyObject_GC_UnTrack, PyType_GenericAlloc } from '../gc.js';
import { PyErr_SetString, PyErr_SetObject, PyErr_NoMemory, PyErr_Occurred, PyErr_ExceptionMatches, PyErr_Clear } from '../errors.js';
import { PyExc_KeyError, PyExc_TypeError, PyExc_RuntimeError, PyExc_SystemError } from './exceptions.js';
import { PyObject_Hash, PyObject_RichCompareBool, PyObject_Repr, PyObject_GetIter, PyIter_Next, PyObject_HashNotImplemented } from '../abstract.js';
import { Py_True, Py_False } from './boolobject.js';
import { Py_None, Py_NotImplemented } from './noneobject.js';
import { PyLong_FromSsize_t } from './longobject.js';
import { PyUnicode_Type, PyUnicode_FromString, unicodeToJs, unicode_eq } from './unicodeobject.js';
import { PyObject_SelfIter, TUPLE_ITEMS } from './tupleobject.js';
import { PySequence_List } from './listobject.js';
import { PyDict_Type, PyDict_Next, DICT_NEXT, MA_USED, setHooks, _PyDict_GetItem_KnownHash } from './dictobject.js';

// ---- layout ----
export const SET_FILL = 16;
export const SET_USED = 24;
export const SET_MASK = 32;
export const SET_TABLE = 40;
export const SET_HASH = 48;
export const SET_FINGER = 56;
export const SET_SMALLTABLE = 64;
export const SET_WEAKREFLIST = 192;
export const SET_BASICSIZE = 200;
export const PySet_MINSIZE = 8;
const LINEAR_PROBES = 9;
const PERTURB_SHIFT = 5;
export const SETITER_SET = 16;
export const SETITER_USED = 24;
export const SETITER_POS = 32;
export const SETITER_LEN = 40;
export const SETITER_BASICSIZE = 48;

// the dummy key (≈ _dummy_struct): a static object of its own type
const PyDummy_Type: Ptr = newStaticType({ name: '<dummy key> type', basicsize: 16 });
export const dummy: Ptr = staticAlloc(16, 16);
I32[dummy >> 2] = STATIC_REFCNT;
I32[(dummy + OB_TYPE) >> 2] = PyDummy_Type;

// ---- accessors ----
function fillOf(so: Ptr): number {
  return I32[(so + SET_FILL) >> 2];
}
function usedOf(so: Ptr): number {
  return I32[(so + SET_USED) >> 2];
}
function maskOf(so: Ptr): number {
  return I32[(so + SET_MASK) >> 2];
}
function tableOf(so: Ptr): Ptr {
  return I32[(so + SET_TABLE) >> 2];
}
function setFill(so: Ptr, n: number): void {
  I32[(so + SET_FILL) >> 2] = n;
}
function setUsed(so: Ptr, n: number): void {
  I32[(so + SET_USED) >> 2] = n;
}
function setMask(so: Ptr, n: number): void {
  I32[(so + SET_MASK) >> 2] = n;
}
function setTable(so: Ptr, t: Ptr): void {
  I32[(so + SET_TABLE) >> 2] = t;
}
function setHashField(so: Ptr, lo: number, hi: number): void {
  I32[(so + SET_HASH) >> 2] = lo;
  I32[(so + SET_HASH + 4) >> 2] = hi;
}

export function PyAnySet_Check(o: Ptr): boolean {
  const t = I32[(o + OB_TYPE) >> 2];
  return t === PySet_Type || t === PyFrozenSet_Type || PyType_IsSubtype(t, PySet_Type) || PyType_IsSubtype(t, PyFrozenSet_Type);
}
export function PyAnySet_CheckExact(o: Ptr): boolean {
  const t = I32[(o + OB_TYPE) >> 2];
  return t === PySet_Type || t === PyFrozenSet_Type;
}
export function PySet_Check(o: Ptr): boolean {
  const t = I32[(o + OB_TYPE) >> 2];
  return t === PySet_Type || PyType_IsSubtype(t, PySet_Type);
}
export function PyFrozenSet_Check(o: Ptr): boolean {
  const t = I32[(o + OB_TYPE) >> 2];
  return t === PyFrozenSet_Type || PyType_IsSubtype(t, PyFrozenSet_Type);
}
export function PySet_GET_SIZE(so: Ptr): number {
  return I32[(so + SET_USED) >> 2];
}

/** The hash of `key` (PyObject_Hash: cached for exact str, the value for one-digit exact ints);
 *  lo returned, hi in HASH_HI[0]; (-1,-1) on error. */
function keyHash(key: Ptr): number {
  return PyObject_Hash(key);
}

// ---- probing ----
// The probe loops walk the table by 32-bit word index (entry = 4 words: key, 0, hash lo, hash hi).
// A slot whose key is NULL is unused (its hash is then always 0: tables are zero-filled and
// deletion leaves the dummy), so one load tells an unused slot; then the hash low word.

/** The equality test of a probe whose stored hash equals the key's, after the identity test:
 *  1 equal, 0 not, -1 error, -2 the compare mutated the table (the caller starts over). */
function probeCompare(so: Ptr, startkey: Ptr, key: Ptr, entry: Ptr): number {
  if (I32[(startkey + OB_TYPE) >> 2] === PyUnicode_Type && I32[(key + OB_TYPE) >> 2] === PyUnicode_Type) {
    return unicode_eq(startkey, key) ? 1 : 0; // exact str == exact str has no side effects
  }
  const table = tableOf(so);
  I32[startkey >> 2]++;
  const cmp = PyObject_RichCompareBool(startkey, key, Py_EQ);
  Py_DECREF(startkey);
  if (cmp < 0) return -1;
  if (table !== tableOf(so) || I32[entry >> 2] !== startkey) return -2;
  return cmp;
}

/** ≈ set_add_entry: add `key` (borrowed; INCREF'd when stored) with hash (lo, hi). 0 / -1. */
function set_add_entry(so: Ptr, key: Ptr, lo: number, hi: number): number {
  restart: for (;;) {
    const mask = I32[(so + SET_MASK) >> 2];
    const tw = I32[(so + SET_TABLE) >> 2] >> 2;
    let i = lo & mask;
    let freeslot = -1; // word index of the last dummy seen
    let pLo = lo >>> 0, pHi = hi >>> 0;
    for (;;) {
      let w = (tw + 4 * i) | 0;
      const end = (i + LINEAR_PROBES <= mask ? w + 4 * (LINEAR_PROBES + 1) : w + 4) | 0;
      for (; w < end; w = (w + 4) | 0) {
        const ek = I32[w];
        if (ek === NULL) {
          I32[key >> 2]++;
          I32[(so + SET_USED) >> 2]++;
          if (freeslot >= 0) {
            I32[freeslot] = key;
            I32[freeslot + 2] = lo;
            I32[freeslot + 3] = hi;
            return 0;
          }
          const fill = I32[(so + SET_FILL) >> 2] + 1;
          I32[(so + SET_FILL) >> 2] = fill;
          I32[w] = key;
          I32[w + 2] = lo;
          I32[w + 3] = hi;
          if (fill * 5 < mask * 3) return 0;
          const used = usedOf(so);
          return set_table_resize(so, used > 50000 ? used * 2 : used * 4);
        }
        if (I32[w + 2] === lo && I32[w + 3] === hi) {
          if (ek === key) return 0;
          const r = probeCompare(so, ek, key, w << 2);
          if (r > 0) return 0;
          if (r === -1) return -1;
          if (r === -2) continue restart;
        } else if (ek === dummy) {
          freeslot = w; // (a dummy's hash is -1, which no key has)
        }
      }
      pLo = ((pLo >>> PERTURB_SHIFT) | (pHi << 27)) >>> 0;
      pHi = pHi >>> PERTURB_SHIFT;
      i = (i * 5 + 1 + pLo) & mask;
    }
  }
}

/** ≈ set_insert_clean: put a key into a table known to have no dummies and no equal key. */
function set_insert_clean(table: Ptr, mask: number, key: Ptr, lo: number, hi: number): void {
  let pLo = lo >>> 0, pHi = hi >>> 0;
  let i = lo & mask;
  for (;;) {
    let entry = table + 16 * i;
    if (I32[entry >> 2] === NULL) {
      I32[entry >> 2] = key;
      I32[(entry + 8) >> 2] = lo;
      I32[(entry + 12) >> 2] = hi;
      return;
    }
    if (i + LINEAR_PROBES <= mask) {
      for (let j = 0; j < LINEAR_PROBES; j++) {
        entry += 16;
        if (I32[entry >> 2] === NULL) {
          I32[entry >> 2] = key;
          I32[(entry + 8) >> 2] = lo;
          I32[(entry + 12) >> 2] = hi;
          return;
        }
      }
    }
    pLo = ((pLo >>> PERTURB_SHIFT) | (pHi << 27)) >>> 0;
    pHi = pHi >>> PERTURB_SHIFT;
    i = (i * 5 + 1 + pLo) & mask;
  }
}

/** ≈ set_lookkey: the entry address for `key` (its key is NULL when absent), or -1 on error. */
function set_lookkey(so: Ptr, key: Ptr, lo: number, hi: number): number {
  const mask = I32[(so + SET_MASK) >> 2];
  const tw = I32[(so + SET_TABLE) >> 2] >> 2;
  let i = lo & mask;
  let pLo = lo >>> 0, pHi = hi >>> 0;
  for (;;) {
    let w = (tw + 4 * i) | 0;
    const end = (i + LINEAR_PROBES <= mask ? w + 4 * (LINEAR_PROBES + 1) : w + 4) | 0;
    for (; w < end; w = (w + 4) | 0) {
      const ek = I32[w];
      if (ek === NULL) return w << 2;
      if (I32[w + 2] === lo && I32[w + 3] === hi) {
        if (ek === key) return w << 2;
        const r = probeCompare(so, ek, key, w << 2);
        if (r > 0) return w << 2;
        if (r === -1) return -1;
        if (r === -2) return set_lookkey(so, key, lo, hi);
      }
    }
    pLo = ((pLo >>> PERTURB_SHIFT) | (pHi << 27)) >>> 0;
    pHi = pHi >>> PERTURB_SHIFT;
    i = (i * 5 + 1 + pLo) & mask;
  }
}

/** ≈ set_table_resize: rebuild into the smallest power-of-two table > minused (min 8). */
function set_table_resize(so: Ptr, minused: number): number {
  let newsize = PySet_MINSIZE;
  while (newsize <= minused) newsize *= 2;
  let oldtable = tableOf(so);
  const oldmask = maskOf(so);
  const small = so + SET_SMALLTABLE;
  const oldMalloced = oldtable !== small;
  let newtable: Ptr;
  let smallCopy = NULL;
  if (newsize === PySet_MINSIZE) {
    newtable = small;
    if (newtable === oldtable) {
      if (fillOf(so) === usedOf(so)) return 0;
      smallCopy = PyMem_Malloc(16 * PySet_MINSIZE); // ≈ the on-stack small_copy
      if (smallCopy === NULL) {
        PyErr_NoMemory();
        return -1;
      }
      U8.copyWithin(smallCopy, small, small + 16 * PySet_MINSIZE);
      oldtable = smallCopy;
    }
  } else {
    if (newsize > 0x4000000) {
      PyErr_NoMemory();
      return -1;
    }
    newtable = PyMem_Malloc(16 * newsize);
    if (newtable === NULL) {
      PyErr_NoMemory();
      return -1;
    }
  }
  U8.fill(0, newtable, newtable + 16 * newsize);
  setMask(so, newsize - 1);
  setTable(so, newtable);
  const newmask = newsize - 1;
  const noDummies = fillOf(so) === usedOf(so);
  if (!noDummies) setFill(so, usedOf(so));
  for (let e = oldtable, end = oldtable + 16 * oldmask; e <= end; e += 16) {
    const k = I32[e >> 2];
    if (k !== NULL && k !== dummy) set_insert_clean(newtable, newmask, k, I32[(e + 8) >> 2], I32[(e + 12) >> 2]);
  }
  if (oldMalloced) PyMem_Free(oldtable);
  if (smallCopy !== NULL) PyMem_Free(smallCopy);
  return 0;
}

/** ≈ set_add_key: 0 / -1 (key borrowed). */
function set_add_key(so: Ptr, key: Ptr): number {
  const lo = keyHash(key);
  const hi = HASH_HI[0];
  if (lo === -1 && hi === -1) return -1;
  return set_add_entry(so, key, lo, hi);
}

/** ≈ set_contains_entry: -1 / 0 / 1 */
function set_contains_entry(so: Ptr, key: Ptr, lo: number, hi: number): number {
  const e = set_lookkey(so, key, lo, hi);
  if (e === -1) return -1;
  return I32[e >> 2] !== NULL ? 1 : 0;
}
function set_contains_key(so: Ptr, key: Ptr): number {
  const lo = keyHash(key);
  const hi = HASH_HI[0];
  if (lo === -1 && hi === -1) return -1;
  return set_contains_entry(so, key, lo, hi);
}

const DISCARD_NOTFOUND = 0;
const DISCARD_FOUND = 1;
/** ≈ set_discard_entry: -1 error, 0 not found, 1 found (the key is DECREF'd, a dummy left). */
function set_discard_entry(so: Ptr, key: Ptr, lo: number, hi: number): number {
  const e = set_lookkey(so, key, lo, hi);
  if (e === -1) return -1;
  const old = I32[e >> 2];
  if (old === NULL) return DISCARD_NOTFOUND;
  I32[e >> 2] = dummy;
  I32[(e + 8) >> 2] = -1;
  I32[(e + 12) >> 2] = -1;
  setUsed(so, usedOf(so) - 1);
  Py_DECREF(old);
  return DISCARD_FOUND;
}
function set_discard_key(so: Ptr, key: Ptr): number {
  const lo = keyHash(key);
  const hi = HASH_HI[0];
  if (lo === -1 && hi === -1) return -1;
  return set_discard_entry(so, key, lo, hi);
}

/** Walk the table: next active entry at or after `pos`; returns the entry address and leaves
 *  the position after it in setNextPos, or 0 at the end. */
let setNextPos = 0;
function set_next(so: Ptr, pos: number): Ptr {
  const mask = maskOf(so);
  const table = tableOf(so);
  while (pos <= mask) {
    const e = table + 16 * pos;
    const k = I32[e >> 2];
    pos++;
    if (k !== NULL && k !== dummy) {
      setNextPos = pos;
      return e;
    }
  }
  setNextPos = pos;
  return NULL;
}

// ---- creation, dealloc, clear ----

function set_empty_to_minsize(so: Ptr): void {
  U8.fill(0, so + SET_SMALLTABLE, so + SET_SMALLTABLE + 16 * PySet_MINSIZE);
  setFill(so, 0);
  setUsed(so, 0);
  setMask(so, PySet_MINSIZE - 1);
  setTable(so, so + SET_SMALLTABLE);
  setHashField(so, -1, -1);
}

/** ≈ make_new_set: a new (tracked) set or frozenset of `type` filled from `iterable` (may be NULL). */
function make_new_set(type: Ptr, iterable: Ptr): Ptr {
  const so = PyType_GenericAlloc(type, 0);
  if (so === NULL) return PyErr_NoMemory();
  setMask(so, PySet_MINSIZE - 1);
  setTable(so, so + SET_SMALLTABLE);
  setHashField(so, -1, -1);
  if (iterable !== NULL && set_update_internal(so, iterable) < 0) {
    Py_DECREF(so);
    return NULL;
  }
  return so;
}
function make_new_set_basetype(type: Ptr, iterable: Ptr): Ptr {
  if (type !== PySet_Type && type !== PyFrozenSet_Type) type = PyType_IsSubtype(type, PySet_Type) ? PySet_Type : PyFrozenSet_Type;
  return make_new_set(type, iterable);
}

/** ≈ PySet_New: a new set of the items of `iterable` (NULL for an empty set). */
export function PySet_New(iterable: Ptr): Ptr {
  return make_new_set(PySet_Type, iterable);
}
/** ≈ PyFrozenSet_New: a new frozenset (not a singleton, even when empty). */
export function PyFrozenSet_New(iterable: Ptr): Ptr {
  return make_new_set(PyFrozenSet_Type, iterable);
}

function set_dealloc(so: Ptr): void {
  let used = usedOf(so);
  PyObject_GC_UnTrack(so);
  if (trashcanBegin(so)) return;
  for (let e = tableOf(so); used > 0; e += 16) {
    const k = I32[e >> 2];
    if (k !== NULL && k !== dummy) {
      used--;
      Py_DECREF(k);
    }
  }
  if (tableOf(so) !== so + SET_SMALLTABLE) PyMem_Free(tableOf(so));
  const f = slotsOfObj(so).tp_free;
  if (f !== undefined) f(so);
  else PyObject_GC_Del(so);
  trashcanEnd();
}

function set_traverse(so: Ptr, visit: visitproc, arg: number): number {
  let pos = 0;
  for (;;) {
    const e = set_next(so, pos);
    if (e === NULL) return 0;
    pos = setNextPos;
    const r = visit(I32[e >> 2], arg);
    if (r !== 0) return r;
  }
}

/** ≈ set_clear_internal: empty the set first, then DECREF the old keys in table order. */
function set_clear_internal(so: Ptr): number {
  let table = tableOf(so);
  const fill = fillOf(so);
  let used = usedOf(so);
  const malloced = table !== so + SET_SMALLTABLE;
  let copy = NULL;
  if (malloced) set_empty_to_minsize(so);
  else if (fill > 0) {
    copy = PyMem_Malloc(16 * PySet_MINSIZE); // ≈ the on-stack small_copy
    if (copy === NULL) {
      PyErr_NoMemory();
      return -1;
    }
    U8.copyWithin(copy, table, table + 16 * PySet_MINSIZE);
    table = copy;
    set_empty_to_minsize(so);
  }
  for (let e = table; used > 0; e += 16) {
    const k = I32[e >> 2];
    if (k !== NULL && k !== dummy) {
      used--;
      Py_DECREF(k);
    }
  }
  if (malloced) PyMem_Free(table);
  if (copy !== NULL) PyMem_Free(copy);
  return 0;
}

// ---- update / merge ----

/** ≈ set_merge: add every key of the set `other`. */
function set_merge(so: Ptr, other: Ptr): number {
  const ou = usedOf(other);
  if (other === so || ou === 0) return 0;
  if ((fillOf(so) + ou) * 5 >= maskOf(so) * 3) {
    if (set_table_resize(so, (usedOf(so) + ou) * 2) !== 0) return -1;
  }
  const omask = maskOf(other);
  const otable = tableOf(other);
  if (fillOf(so) === 0 && maskOf(so) === omask && fillOf(other) === ou) {
    const t = tableOf(so);
    for (let i = 0; i <= omask; i++) {
      const k = I32[(otable + 16 * i) >> 2];
      if (k !== NULL) {
        I32[k >> 2]++;
        I32[(t + 16 * i) >> 2] = k;
        I32[(t + 16 * i + 8) >> 2] = I32[(otable + 16 * i + 8) >> 2];
        I32[(t + 16 * i + 12) >> 2] = I32[(otable + 16 * i + 12) >> 2];
      }
    }
    setFill(so, fillOf(other));
    setUsed(so, ou);
    return 0;
  }
  if (fillOf(so) === 0) {
    const t = tableOf(so), m = maskOf(so);
    setFill(so, ou);
    setUsed(so, ou);
    for (let i = 0; i <= omask; i++) {
      const k = I32[(otable + 16 * i) >> 2];
      if (k !== NULL && k !== dummy) {
        I32[k >> 2]++;
        set_insert_clean(t, m, k, I32[(otable + 16 * i + 8) >> 2], I32[(otable + 16 * i + 12) >> 2]);
      }
    }
    return 0;
  }
  for (let i = 0; i <= maskOf(other); i++) {
    const e = tableOf(other) + 16 * i;
    const k = I32[e >> 2];
    if (k !== NULL && k !== dummy) {
      if (set_add_entry(so, k, I32[(e + 8) >> 2], I32[(e + 12) >> 2]) < 0) return -1;
    }
  }
  return 0;
}

/** ≈ set_update_internal: sets merge, exact dicts add their keys (one resize first), anything
 *  else is iterated. 0 / -1. */
function set_update_internal(so: Ptr, other: Ptr): number {
  if (PyAnySet_Check(other)) return set_merge(so, other);
  if (I32[(other + OB_TYPE) >> 2] === PyDict_Type) {
    const dictsize = I32[(other + MA_USED) >> 2];
    if ((fillOf(so) + dictsize) * 5 >= maskOf(so) * 3) {
      if (set_table_resize(so, (usedOf(so) + dictsize) * 2) !== 0) return -1;
    }
    let pos = 0;
    while ((pos = PyDict_Next(other, pos)) >= 0) {
      if (set_add_entry(so, DICT_NEXT.key, DICT_NEXT.hashLo, DICT_NEXT.hashHi) < 0) return -1;
    }
    return 0;
  }
  const it = PyObject_GetIter(other);
  if (it === NULL) return -1;
  for (;;) {
    const key = PyIter_Next(it);
    if (key === NULL) break;
    if (set_add_key(so, key) < 0) {
      Py_DECREF(it);
      Py_DECREF(key);
      return -1;
    }
    Py_DECREF(key);
  }
  Py_DECREF(it);
  return PyErr_Occurred() !== NULL ? -1 : 0;
}

// ---- C-API ----

/** ≈ PySet_Add (also allowed on a fresh frozenset while it is being built). 0 / -1. */
export function PySet_Add(anyset: Ptr, key: Ptr): number {
  return set_add_key(anyset, key);
}
/** ≈ _PySet_Update: 0 / -1 */
export function _PySet_Update(set: Ptr, iterable: Ptr): number {
  return set_update_internal(set, iterable);
}
/** ≈ PySet_Contains: -1 / 0 / 1 */
export function PySet_Contains(anyset: Ptr, key: Ptr): number {
  return set_contains_key(anyset, key);
}
/** ≈ PySet_Discard: -1 / 0 / 1 */
export function PySet_Discard(set: Ptr, key: Ptr): number {
  return set_discard_key(set, key);
}
/** ≈ PySet_Size */
export function PySet_Size(anyset: Ptr): number {
  if (!PyAnySet_Check(anyset)) {
    PyErr_SetString(PyExc_SystemError, 'bad argument to internal function');
    return -1;
  }
  return usedOf(anyset);
}
/** ≈ PySet_Clear: 0 / -1 */
export function PySet_Clear(set: Ptr): number {
  return set_clear_internal(set);
}
/** Results of _PySet_NextEntry */
export const SET_NEXT = { key: NULL as Ptr, hashLo: 0, hashHi: 0 };
/** ≈ _PySet_NextEntry: from table position pos → the position after the next active entry (its
 *  borrowed key and hash in SET_NEXT), or -1 at the end. */
export function _PySet_NextEntry(so: Ptr, pos: number): number {
  const e = set_next(so, pos);
  if (e === NULL) return -1;
  SET_NEXT.key = I32[e >> 2];
  SET_NEXT.hashLo = I32[(e + 8) >> 2];
  SET_NEXT.hashHi = I32[(e + 12) >> 2];
  return setNextPos;
}

// ---- set algebra ----

function set_copy(so: Ptr): Ptr {
  return make_new_set_basetype(I32[(so + OB_TYPE) >> 2], so);
}

/** ≈ set_intersection: new set of the keys in both. */
function set_intersection(so: Ptr, other: Ptr): Ptr {
  if (so === other) return set_copy(so);
  const result = make_new_set_basetype(I32[(so + OB_TYPE) >> 2], NULL);
  if (result === NULL) return NULL;
  if (PyAnySet_Check(other)) {
    if (usedOf(other) > usedOf(so)) {
      const t = so;
      so = other;
      other = t;
    }
    let pos = 0;
    for (;;) {
      const e = set_next(other, pos);
      if (e === NULL) break;
      pos = setNextPos;
      const key = I32[e >> 2], lo = I32[(e + 8) >> 2], hi = I32[(e + 12) >> 2];
      I32[key >> 2]++;
      const rv = set_contains_entry(so, key, lo, hi);
      if (rv < 0 || (rv > 0 && set_add_entry(result, key, lo, hi) < 0)) {
        Py_DECREF(result);
        Py_DECREF(key);
        return NULL;
      }
      Py_DECREF(key);
    }
    return result;
  }
  const it = PyObject_GetIter(other);
  if (it === NULL) {
    Py_DECREF(result);
    return NULL;
  }
  for (;;) {
    const key = PyIter_Next(it);
    if (key === NULL) break;
    const lo = keyHash(key);
    const hi = HASH_HI[0];
    let bad = lo === -1 && hi === -1;
    if (!bad) {
      const rv = set_contains_entry(so, key, lo, hi);
      bad = rv < 0 || (rv > 0 && set_add_entry(result, key, lo, hi) < 0);
    }
    Py_DECREF(key);
    if (bad) {
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

/** ≈ set_swap_bodies (used by the in-place intersection) */
function set_swap_bodies(a: Ptr, b: Ptr): void {
  const swap = (off: number) => {
    const t0 = I32[(a + off) >> 2], t1 = I32[(a + off + 4) >> 2];
    I32[(a + off) >> 2] = I32[(b + off) >> 2];
    I32[(a + off + 4) >> 2] = I32[(b + off + 4) >> 2];
    I32[(b + off) >> 2] = t0;
    I32[(b + off + 4) >> 2] = t1;
  };
  swap(SET_FILL);
  swap(SET_USED);
  swap(SET_MASK);
  const aSmall = tableOf(a) === a + SET_SMALLTABLE;
  const bSmall = tableOf(b) === b + SET_SMALLTABLE;
  const u = aSmall ? b + SET_SMALLTABLE : tableOf(a);
  setTable(a, bSmall ? a + SET_SMALLTABLE : tableOf(b));
  setTable(b, u);
  if (aSmall || bSmall) {
    const tmp = PyMem_Malloc(128);
    U8.copyWithin(tmp, a + SET_SMALLTABLE, a + SET_SMALLTABLE + 128);
    U8.copyWithin(a + SET_SMALLTABLE, b + SET_SMALLTABLE, b + SET_SMALLTABLE + 128);
    U8.copyWithin(b + SET_SMALLTABLE, tmp, tmp + 128);
    PyMem_Free(tmp);
  }
  if (PyFrozenSet_Check(a) && PyFrozenSet_Check(b)) swap(SET_HASH);
  else {
    setHashField(a, -1, -1);
    setHashField(b, -1, -1);
  }
}

function set_intersection_update(so: Ptr, other: Ptr): number {
  const tmp = set_intersection(so, other);
  if (tmp === NULL) return -1;
  set_swap_bodies(so, tmp);
  Py_DECREF(tmp);
  return 0;
}

/** ≈ set_difference_update_internal */
function set_difference_update_internal(so: Ptr, other: Ptr): number {
  if (so === other) return set_clear_internal(so);
  if (PyAnySet_Check(other)) {
    let o = other;
    if ((usedOf(other) >> 3) > usedOf(so)) {
      o = set_intersection(so, other);
      if (o === NULL) return -1;
    } else I32[o >> 2]++;
    let pos = 0;
    for (;;) {
      const e = set_next(o, pos);
      if (e === NULL) break;
      pos = setNextPos;
      const key = I32[e >> 2];
      I32[key >> 2]++;
      const r = set_discard_entry(so, key, I32[(e + 8) >> 2], I32[(e + 12) >> 2]);
      Py_DECREF(key);
      if (r < 0) {
        Py_DECREF(o);
        return -1;
      }
    }
    Py_DECREF(o);
  } else {
    const it = PyObject_GetIter(other);
    if (it === NULL) return -1;
    for (;;) {
      const key = PyIter_Next(it);
      if (key === NULL) break;
      const r = set_discard_key(so, key);
      Py_DECREF(key);
      if (r < 0) {
        Py_DECREF(it);
        return -1;
      }
    }
    Py_DECREF(it);
    if (PyErr_Occurred() !== NULL) return -1;
  }
  if (fillOf(so) - usedOf(so) <= maskOf(so) / 4) return 0;
  const used = usedOf(so);
  return set_table_resize(so, used > 50000 ? used * 2 : used * 4);
}

/** ≈ set_difference: new set of the keys of so not in other. */
function set_difference(so: Ptr, other: Ptr): Ptr {
  let otherSize: number;
  if (PyAnySet_Check(other)) otherSize = usedOf(other);
  else if (I32[(other + OB_TYPE) >> 2] === PyDict_Type) otherSize = I32[(other + MA_USED) >> 2];
  else otherSize = -1;
  if (otherSize < 0 || (usedOf(so) >> 2) > otherSize) {
    const result = set_copy(so);
    if (result === NULL) return NULL;
    if (set_difference_update_internal(result, other) === 0) return result;
    Py_DECREF(result);
    return NULL;
  }
  const result = make_new_set_basetype(I32[(so + OB_TYPE) >> 2], NULL);
  if (result === NULL) return NULL;
  const otherIsDict = I32[(other + OB_TYPE) >> 2] === PyDict_Type;
  let pos = 0;
  for (;;) {
    const e = set_next(so, pos);
    if (e === NULL) break;
    pos = setNextPos;
    const key = I32[e >> 2], lo = I32[(e + 8) >> 2], hi = I32[(e + 12) >> 2];
    I32[key >> 2]++;
    let rv: number;
    if (otherIsDict) {
      rv = dictContainsKnownHash(other, key, lo, hi);
    } else rv = set_contains_entry(other, key, lo, hi);
    if (rv < 0 || (rv === 0 && set_add_entry(result, key, lo, hi) < 0)) {
      Py_DECREF(key);
      Py_DECREF(result);
      return NULL;
    }
    Py_DECREF(key);
  }
  return result;
}
function dictContainsKnownHash(d: Ptr, key: Ptr, lo: number, hi: number): number {
  const v = _PyDict_GetItem_KnownHash(d, key, lo, hi);
  if (v !== NULL) return 1;
  return PyErr_Occurred() !== NULL ? -1 : 0;
}

/** ≈ set_symmetric_difference_update */
function set_symmetric_difference_update(so: Ptr, other: Ptr): number {
  if (so === other) return set_clear_internal(so);
  if (I32[(other + OB_TYPE) >> 2] === PyDict_Type) {
    // an exact dict: its keys in dict order, with their stored hashes
    let dpos = 0;
    while ((dpos = PyDict_Next(other, dpos)) >= 0) {
      const key = DICT_NEXT.key, lo = DICT_NEXT.hashLo, hi = DICT_NEXT.hashHi;
      I32[key >> 2]++;
      let rv = set_discard_entry(so, key, lo, hi);
      if (rv === DISCARD_NOTFOUND) rv = set_add_entry(so, key, lo, hi) < 0 ? -1 : 0;
      Py_DECREF(key);
      if (rv < 0) return -1;
    }
    return 0;
  }
  let otherset: Ptr;
  if (PyAnySet_Check(other)) {
    otherset = other;
    I32[other >> 2]++;
  } else {
    otherset = make_new_set_basetype(I32[(so + OB_TYPE) >> 2], other);
    if (otherset === NULL) return -1;
  }
  let pos = 0;
  for (;;) {
    const e = set_next(otherset, pos);
    if (e === NULL) break;
    pos = setNextPos;
    const key = I32[e >> 2], lo = I32[(e + 8) >> 2], hi = I32[(e + 12) >> 2];
    I32[key >> 2]++;
    let rv = set_discard_entry(so, key, lo, hi);
    if (rv === DISCARD_NOTFOUND) rv = set_add_entry(so, key, lo, hi) < 0 ? -1 : 0;
    Py_DECREF(key);
    if (rv < 0) {
      Py_DECREF(otherset);
      return -1;
    }
  }
  Py_DECREF(otherset);
  return 0;
}
function set_symmetric_difference(so: Ptr, other: Ptr): Ptr {
  const otherset = make_new_set_basetype(I32[(so + OB_TYPE) >> 2], other);
  if (otherset === NULL) return NULL;
  if (set_symmetric_difference_update(otherset, so) < 0) {
    Py_DECREF(otherset);
    return NULL;
  }
  return otherset;
}

function boolResult(b: boolean): Ptr {
  const r = b ? Py_True : Py_False;
  I32[r >> 2]++;
  return r;
}

/** ≈ set_issubset: -1 / 0 / 1 */
function issubset(so: Ptr, other: Ptr): number {
  if (!PyAnySet_Check(other)) {
    const tmp = make_new_set(PySet_Type, other);
    if (tmp === NULL) return -1;
    const r = issubset(so, tmp);
    Py_DECREF(tmp);
    return r;
  }
  if (usedOf(so) > usedOf(other)) return 0;
  let pos = 0;
  for (;;) {
    const e = set_next(so, pos);
    if (e === NULL) return 1;
    pos = setNextPos;
    const key = I32[e >> 2];
    I32[key >> 2]++;
    const rv = set_contains_entry(other, key, I32[(e + 8) >> 2], I32[(e + 12) >> 2]);
    Py_DECREF(key);
    if (rv <= 0) return rv;
  }
}
function issuperset(so: Ptr, other: Ptr): number {
  if (PyAnySet_Check(other)) return issubset(other, so);
  const it = PyObject_GetIter(other);
  if (it === NULL) return -1;
  for (;;) {
    const key = PyIter_Next(it);
    if (key === NULL) break;
    const rv = set_contains_key(so, key);
    Py_DECREF(key);
    if (rv <= 0) {
      Py_DECREF(it);
      return rv;
    }
  }
  Py_DECREF(it);
  return PyErr_Occurred() !== NULL ? -1 : 1;
}
function isdisjoint(so: Ptr, other: Ptr): number {
  if (so === other) return usedOf(so) === 0 ? 1 : 0;
  if (PyAnySet_Check(other)) {
    if (usedOf(other) > usedOf(so)) {
      const t = so;
      so = other;
      other = t;
    }
    let pos = 0;
    for (;;) {
      const e = set_next(other, pos);
      if (e === NULL) return 1;
      pos = setNextPos;
      const key = I32[e >> 2];
      I32[key >> 2]++;
      const rv = set_contains_entry(so, key, I32[(e + 8) >> 2], I32[(e + 12) >> 2]);
      Py_DECREF(key);
      if (rv < 0) return -1;
      if (rv) return 0;
    }
  }
  const it = PyObject_GetIter(other);
  if (it === NULL) return -1;
  for (;;) {
    const key = PyIter_Next(it);
    if (key === NULL) break;
    const rv = set_contains_key(so, key);
    Py_DECREF(key);
    if (rv !== 0) {
      Py_DECREF(it);
      return rv < 0 ? -1 : 0;
    }
  }
  Py_DECREF(it);
  return PyErr_Occurred() !== NULL ? -1 : 1;
}
function boolOrNull(r: number): Ptr {
  return r < 0 ? NULL : boolResult(r === 1);
}

// ---- slots ----

function set_len(so: Ptr): number {
  return usedOf(so);
}

/** ≈ set_contains (sq_contains): an unhashable set key is looked up as a frozenset. Exported for
 *  PySequence_Contains's direct call on exact sets. */
export function set_contains(so: Ptr, key: Ptr): number {
  const rv = set_contains_key(so, key);
  if (rv < 0) {
    if (!PySet_Check(key) || !PyErr_ExceptionMatches(PyExc_TypeError)) return -1;
    PyErr_Clear();
    const tmp = make_new_set(PyFrozenSet_Type, key);
    if (tmp === NULL) return -1;
    const r = set_contains_key(so, tmp);
    Py_DECREF(tmp);
    return r;
  }
  return rv;
}

function set_richcompare(v: Ptr, w: Ptr, op: number): Ptr {
  if (!PyAnySet_Check(w)) {
    I32[Py_NotImplemented >> 2]++;
    return Py_NotImplemented;
  }
  switch (op) {
    case Py_EQ: {
      if (usedOf(v) !== usedOf(w)) return boolResult(false);
      const vl = I32[(v + SET_HASH) >> 2], vh = I32[(v + SET_HASH + 4) >> 2];
      const wl = I32[(w + SET_HASH) >> 2], wh = I32[(w + SET_HASH + 4) >> 2];
      if (!(vl === -1 && vh === -1) && !(wl === -1 && wh === -1) && (vl !== wl || vh !== wh)) return boolResult(false);
      return boolOrNull(issubset(v, w));
    }
    case Py_NE: {
      const r = set_richcompare(v, w, Py_EQ);
      if (r === NULL) return NULL;
      const res = boolResult(r === Py_False);
      Py_DECREF(r);
      return res;
    }
    case Py_LE:
      return boolOrNull(issubset(v, w));
    case Py_GE:
      return boolOrNull(issuperset(v, w));
    case Py_LT:
      if (usedOf(v) >= usedOf(w)) return boolResult(false);
      return boolOrNull(issubset(v, w));
    case Py_GT:
      if (usedOf(v) <= usedOf(w)) return boolResult(false);
      return boolOrNull(issuperset(v, w));
  }
  I32[Py_NotImplemented >> 2]++;
  return Py_NotImplemented;
}

/** ≈ set_repr: set(), {1, 2}, frozenset({1}), Cls({...}), Cls(...) when recursive. */
function set_repr(so: Ptr): Ptr {
  const name = typeName(I32[(so + OB_TYPE) >> 2]);
  const st = Py_ReprEnter(so);
  if (st !== 0) return st < 0 ? NULL : PyUnicode_FromString(`${name}(...)`);
  if (usedOf(so) === 0) {
    Py_ReprLeave(so);
    return PyUnicode_FromString(`${name}()`);
  }
  const keys = PySequence_List(so);
  if (keys === NULL) {
    Py_ReprLeave(so);
    return NULL;
  }
  const lr = PyObject_Repr(keys);
  Py_DECREF(keys);
  Py_ReprLeave(so);
  if (lr === NULL) return NULL;
  const inner = unicodeToJs(lr).slice(1, -1);
  Py_DECREF(lr);
  return PyUnicode_FromString(I32[(so + OB_TYPE) >> 2] === PySet_Type ? `{${inner}}` : `${name}({${inner}})`);
}

const M64 = (1n << 64n) - 1n;
function shuffleBits(h: bigint): bigint {
  return (((h ^ 89869747n) ^ (h << 16n)) * 3644798167n) & M64;
}
/** ≈ frozenset_hash (cached in the object). */
function frozenset_hash(so: Ptr): number {
  const clo = I32[(so + SET_HASH) >> 2], chi = I32[(so + SET_HASH + 4) >> 2];
  if (clo !== -1 || chi !== -1) {
    HASH_HI[0] = chi;
    return clo;
  }
  let hash = 0n;
  const mask = maskOf(so);
  const table = tableOf(so);
  for (let i = 0; i <= mask; i++) {
    const e = table + 16 * i;
    const h = (BigInt(I32[(e + 12) >> 2]) << 32n) | BigInt(I32[(e + 8) >> 2] >>> 0);
    hash ^= shuffleBits(h & M64);
  }
  if ((mask + 1 - fillOf(so)) & 1) hash ^= shuffleBits(0n);
  if ((fillOf(so) - usedOf(so)) & 1) hash ^= shuffleBits(M64);
  hash ^= ((BigInt(usedOf(so)) + 1n) * 1927868237n) & M64;
  hash ^= (hash >> 11n) ^ (hash >> 25n);
  hash = (hash * 69069n + 907133923n) & M64;
  if (hash === M64) hash = 590923713n;
  const lo = Number(BigInt.asIntN(32, hash & 0xffffffffn));
  const hi = Number(BigInt.asIntN(32, hash >> 32n));
  setHashField(so, lo, hi);
  HASH_HI[0] = hi;
  return lo;
}

function set_sizeof(so: Ptr): number {
  let res = SET_BASICSIZE;
  if (tableOf(so) !== so + SET_SMALLTABLE) res += 16 * (maskOf(so) + 1);
  return res;
}

// operators
function notImpl(): Ptr {
  I32[Py_NotImplemented >> 2]++;
  return Py_NotImplemented;
}
function set_or(so: Ptr, other: Ptr): Ptr {
  if (!PyAnySet_Check(so) || !PyAnySet_Check(other)) return notImpl();
  const result = set_copy(so);
  if (result === NULL) return NULL;
  if (so === other) return result;
  if (set_update_internal(result, other) < 0) {
    Py_DECREF(result);
    return NULL;
  }
  return result;
}
function set_and(so: Ptr, other: Ptr): Ptr {
  if (!PyAnySet_Check(so) || !PyAnySet_Check(other)) return notImpl();
  return set_intersection(so, other);
}
function set_sub(so: Ptr, other: Ptr): Ptr {
  if (!PyAnySet_Check(so) || !PyAnySet_Check(other)) return notImpl();
  return set_difference(so, other);
}
function set_xor(so: Ptr, other: Ptr): Ptr {
  if (!PyAnySet_Check(so) || !PyAnySet_Check(other)) return notImpl();
  return set_symmetric_difference(so, other);
}
function inplace(so: Ptr, other: Ptr, f: (a: Ptr, b: Ptr) => number): Ptr {
  if (!PyAnySet_Check(other)) return notImpl();
  if (f(so, other) < 0) return NULL;
  I32[so >> 2]++;
  return so;
}
function set_ior(so: Ptr, other: Ptr): Ptr {
  return inplace(so, other, set_update_internal);
}
function set_iand(so: Ptr, other: Ptr): Ptr {
  return inplace(so, other, set_intersection_update);
}
function set_isub(so: Ptr, other: Ptr): Ptr {
  return inplace(so, other, set_difference_update_internal);
}
function set_ixor(so: Ptr, other: Ptr): Ptr {
  return inplace(so, other, set_symmetric_difference_update);
}

// methods

function none(): Ptr {
  I32[Py_None >> 2]++;
  return Py_None;
}
function set_add_method(so: Ptr, key: Ptr): Ptr {
  return set_add_key(so, key) < 0 ? NULL : none();
}
/** discard/remove with the set-as-frozenset retry of 3.11 */
function discardWithRetry(so: Ptr, key: Ptr): number {
  const rv = set_discard_key(so, key);
  if (rv < 0) {
    if (!PySet_Check(key) || !PyErr_ExceptionMatches(PyExc_TypeError)) return -1;
    PyErr_Clear();
    const tmp = make_new_set(PyFrozenSet_Type, key);
    if (tmp === NULL) return -1;
    const r = set_discard_key(so, tmp);
    Py_DECREF(tmp);
    return r;
  }
  return rv;
}
function set_discard_method(so: Ptr, key: Ptr): Ptr {
  return discardWithRetry(so, key) < 0 ? NULL : none();
}
function set_remove(so: Ptr, key: Ptr): Ptr {
  const rv = discardWithRetry(so, key);
  if (rv < 0) return NULL;
  if (rv === DISCARD_NOTFOUND) {
    PyErr_SetObject(PyExc_KeyError, key);
    return NULL;
  }
  return none();
}
/** ≈ set_pop */
function set_pop(so: Ptr): Ptr {
  if (usedOf(so) === 0) {
    PyErr_SetString(PyExc_KeyError, 'pop from an empty set');
    return NULL;
  }
  const table = tableOf(so);
  const mask = maskOf(so);
  let i = I32[(so + SET_FINGER) >> 2] & mask;
  for (;;) {
    const k = I32[(table + 16 * i) >> 2];
    if (k !== NULL && k !== dummy) break;
    i++;
    if (i > mask) i = 0;
  }
  const e = table + 16 * i;
  const key = I32[e >> 2];
  I32[e >> 2] = dummy;
  I32[(e + 8) >> 2] = -1;
  I32[(e + 12) >> 2] = -1;
  setUsed(so, usedOf(so) - 1);
  I32[(so + SET_FINGER) >> 2] = i + 1;
  return key;
}
function set_clear_method(so: Ptr): Ptr {
  return set_clear_internal(so) < 0 ? NULL : none();
}
function set_copy_method(so: Ptr): Ptr {
  return set_copy(so);
}
function frozenset_copy(so: Ptr): Ptr {
  if (I32[(so + OB_TYPE) >> 2] === PyFrozenSet_Type) {
    I32[so >> 2]++;
    return so;
  }
  return set_copy(so);
}
/** METH_VARARGS methods receive the args tuple */
function argsOf(args: Ptr, i: number): Ptr {
  return I32[(args + TUPLE_ITEMS + 8 * i) >> 2];
}
function nargsOf(args: Ptr): number {
  return I32[(args + 16) >> 2];
}
function set_update(so: Ptr, args: Ptr): Ptr {
  for (let i = 0; i < nargsOf(args); i++) if (set_update_internal(so, argsOf(args, i)) < 0) return NULL;
  return none();
}
function set_union(so: Ptr, args: Ptr): Ptr {
  const result = set_copy(so);
  if (result === NULL) return NULL;
  for (let i = 0; i < nargsOf(args); i++) {
    const other = argsOf(args, i);
    if (other === so) continue;
    if (set_update_internal(result, other) < 0) {
      Py_DECREF(result);
      return NULL;
    }
  }
  return result;
}
function set_intersection_multi(so: Ptr, args: Ptr): Ptr {
  if (nargsOf(args) === 0) return set_copy(so);
  I32[so >> 2]++;
  let result = so;
  for (let i = 0; i < nargsOf(args); i++) {
    const n = set_intersection(result, argsOf(args, i));
    Py_DECREF(result);
    if (n === NULL) return NULL;
    result = n;
  }
  return result;
}
function set_intersection_update_multi(so: Ptr, args: Ptr): Ptr {
  const tmp = set_intersection_multi(so, args);
  if (tmp === NULL) return NULL;
  set_swap_bodies(so, tmp);
  Py_DECREF(tmp);
  return none();
}
function set_difference_multi(so: Ptr, args: Ptr): Ptr {
  if (nargsOf(args) === 0) return set_copy(so);
  const result = set_difference(so, argsOf(args, 0));
  if (result === NULL) return NULL;
  for (let i = 1; i < nargsOf(args); i++) {
    if (set_difference_update_internal(result, argsOf(args, i)) < 0) {
      Py_DECREF(result);
      return NULL;
    }
  }
  return result;
}
function set_difference_update(so: Ptr, args: Ptr): Ptr {
  for (let i = 0; i < nargsOf(args); i++) if (set_difference_update_internal(so, argsOf(args, i)) < 0) return NULL;
  return none();
}
function set_symmetric_difference_method(so: Ptr, other: Ptr): Ptr {
  return set_symmetric_difference(so, other);
}
function set_symmetric_difference_update_method(so: Ptr, other: Ptr): Ptr {
  return set_symmetric_difference_update(so, other) < 0 ? NULL : none();
}
function set_issubset_method(so: Ptr, other: Ptr): Ptr {
  return boolOrNull(issubset(so, other));
}
function set_issuperset_method(so: Ptr, other: Ptr): Ptr {
  return boolOrNull(issuperset(so, other));
}
function set_isdisjoint_method(so: Ptr, other: Ptr): Ptr {
  return boolOrNull(isdisjoint(so, other));
}
function set___contains__(so: Ptr, key: Ptr): Ptr {
  const r = set_contains(so, key);
  return r < 0 ? NULL : boolResult(r === 1);
}

// construction

function set_vectorcall(type: Ptr, args: number, nargs: number, kwnames: Ptr): Ptr {
  const name = type === PyFrozenSet_Type || PyType_IsSubtype(type, PyFrozenSet_Type) ? 'frozenset' : 'set';
  if (kwnames !== NULL && I32[(kwnames + 16) >> 2] !== 0) {
    PyErr_SetString(PyExc_TypeError, `${name}() takes no keyword arguments`);
    return NULL;
  }
  if (nargs > 1) {
    PyErr_SetString(PyExc_TypeError, `${name} expected at most 1 argument, got ${nargs}`);
    return NULL;
  }
  const iterable = nargs === 1 ? I32[args >> 2] : NULL;
  if (name === 'frozenset' && type === PyFrozenSet_Type && iterable !== NULL && I32[(iterable + OB_TYPE) >> 2] === PyFrozenSet_Type) {
    I32[iterable >> 2]++;
    return iterable;
  }
  return make_new_set(type, iterable);
}

function set_new(type: Ptr, _args: Ptr, _kwds: Ptr): Ptr {
  return make_new_set(type, NULL);
}
function set_init(self: Ptr, args: Ptr, kwds: Ptr): number {
  if (kwds !== NULL && I32[(kwds + MA_USED) >> 2] !== 0) {
    PyErr_SetString(PyExc_TypeError, 'set() takes no keyword arguments');
    return -1;
  }
  const n = nargsOf(args);
  if (n > 1) {
    PyErr_SetString(PyExc_TypeError, `set expected at most 1 argument, got ${n}`);
    return -1;
  }
  if (fillOf(self) !== 0 && set_clear_internal(self) < 0) return -1;
  return n === 1 ? set_update_internal(self, argsOf(args, 0)) : 0;
}
function frozenset_new(type: Ptr, args: Ptr, kwds: Ptr): Ptr {
  if (type === PyFrozenSet_Type && kwds !== NULL && I32[(kwds + MA_USED) >> 2] !== 0) {
    PyErr_SetString(PyExc_TypeError, 'frozenset() takes no keyword arguments');
    return NULL;
  }
  return set_vectorcall(type, args + TUPLE_ITEMS, nargsOf(args), NULL);
}

// iterator

function set_iter(so: Ptr): Ptr {
  const si = PyObject_GC_New(PySetIter_Type);
  if (si === NULL) return PyErr_NoMemory();
  I32[so >> 2]++;
  const w = si >> 2;
  I32[w + 4] = so; I32[w + 5] = 0;
  I32[w + 6] = usedOf(so); I32[w + 7] = 0;
  I32[w + 8] = 0; I32[w + 9] = 0;
  I32[w + 10] = usedOf(so); I32[w + 11] = 0;
  PyObject_GC_Track(si);
  return si;
}
function setiter_dealloc(si: Ptr): void {
  PyObject_GC_UnTrack(si);
  Py_XDECREF(I32[(si + SETITER_SET) >> 2]);
  PyObject_GC_Del(si);
}
function setiter_traverse(si: Ptr, visit: visitproc, arg: number): number {
  const so = I32[(si + SETITER_SET) >> 2];
  return so !== NULL ? visit(so, arg) : 0;
}
function setiter_iternext(si: Ptr): Ptr {
  const so = I32[(si + SETITER_SET) >> 2];
  if (so === NULL) return NULL;
  if (I32[(si + SETITER_USED) >> 2] !== usedOf(so)) {
    PyErr_SetString(PyExc_RuntimeError, 'Set changed size during iteration');
    I32[(si + SETITER_USED) >> 2] = -1;
    return NULL;
  }
  let i = I32[(si + SETITER_POS) >> 2];
  const table = tableOf(so), mask = maskOf(so);
  while (i <= mask) {
    const k = I32[(table + 16 * i) >> 2];
    if (k !== NULL && k !== dummy) break;
    i++;
  }
  I32[(si + SETITER_POS) >> 2] = i + 1;
  if (i > mask) {
    I32[(si + SETITER_SET) >> 2] = 0;
    Py_DECREF(so);
    return NULL;
  }
  I32[(si + SETITER_LEN) >> 2]--;
  const key = I32[(table + 16 * i) >> 2];
  I32[key >> 2]++;
  return key;
}
function setiter_len(si: Ptr): Ptr {
  const so = I32[(si + SETITER_SET) >> 2];
  let len = 0;
  if (so !== NULL && I32[(si + SETITER_USED) >> 2] === usedOf(so)) len = I32[(si + SETITER_LEN) >> 2];
  return PyLong_FromSsize_t(len);
}

// ---- the types ----

const commonMethods = [
  { name: '__contains__', flags: METH_O | METH_COEXIST, fn: set___contains__ },
  { name: 'difference', flags: METH_VARARGS, fn: set_difference_multi, doc: 'Return the difference of two or more sets as a new set.' },
  { name: 'intersection', flags: METH_VARARGS, fn: set_intersection_multi, doc: 'Return the intersection of two sets as a new set.' },
  { name: 'isdisjoint', flags: METH_O, fn: set_isdisjoint_method, doc: 'Return True if two sets have a null intersection.' },
  { name: 'issubset', flags: METH_O, fn: set_issubset_method, doc: 'Report whether another set contains this set.' },
  { name: 'issuperset', flags: METH_O, fn: set_issuperset_method, doc: 'Report whether this set contains another set.' },
  { name: 'symmetric_difference', flags: METH_O, fn: set_symmetric_difference_method, doc: 'Return the symmetric difference of two sets as a new set.' },
  { name: 'union', flags: METH_VARARGS, fn: set_union, doc: 'Return the union of sets as a new set.' },
];

const setSlots = {
  tp_dealloc: set_dealloc,
  tp_repr: set_repr,
  tp_richcompare: set_richcompare,
  tp_iter: set_iter,
  tp_traverse: set_traverse,
  tp_clear: set_clear_internal,
  tp_free: PyObject_GC_Del,
  sq_length: set_len,
  sq_contains: set_contains,
  nb_or: set_or,
  nb_and: set_and,
  nb_subtract: set_sub,
  nb_xor: set_xor,
  tp_sizeof: set_sizeof,
};

export const PySet_Type: Ptr = newStaticType({
  name: 'set',
  basicsize: SET_BASICSIZE,
  flags: Py_TPFLAGS_HAVE_GC | Py_TPFLAGS_BASETYPE,
  slots: {
    ...setSlots,
    tp_hash: PyObject_HashNotImplemented,
    tp_new: set_new,
    tp_init: set_init,
    tp_vectorcall: set_vectorcall,
    nb_inplace_or: set_ior,
    nb_inplace_and: set_iand,
    nb_inplace_subtract: set_isub,
    nb_inplace_xor: set_ixor,
    methods: [
      { name: 'add', flags: METH_O, fn: set_add_method, doc: 'Add an element to a set.\n\nThis has no effect if the element is already present.' },
      { name: 'clear', flags: METH_NOARGS, fn: set_clear_method, doc: 'Remove all elements from this set.' },
      { name: 'copy', flags: METH_NOARGS, fn: set_copy_method, doc: 'Return a shallow copy of a set.' },
      { name: 'discard', flags: METH_O, fn: set_discard_method, doc: 'Remove an element from a set if it is a member.\n\nUnlike set.remove(), the discard() method does not raise\nan exception when an element is missing from the set.' },
      { name: 'difference_update', flags: METH_VARARGS, fn: set_difference_update, doc: 'Remove all elements of another set from this set.' },
      { name: 'intersection_update', flags: METH_VARARGS, fn: set_intersection_update_multi, doc: 'Update a set with the intersection of itself and another.' },
      { name: 'pop', flags: METH_NOARGS, fn: set_pop, doc: 'Remove and return an arbitrary set element.\nRaises KeyError if the set is empty.' },
      { name: 'remove', flags: METH_O, fn: set_remove, doc: 'Remove an element from a set; it must be a member.\n\nIf the element is not a member, raise a KeyError.' },
      { name: 'symmetric_difference_update', flags: METH_O, fn: set_symmetric_difference_update_method, doc: 'Update a set with the symmetric difference of itself and another.' },
      { name: 'update', flags: METH_VARARGS, fn: set_update, doc: 'Update a set with the union of itself and others.' },
      ...commonMethods,
    ],
    doc: 'set() -> new empty set object\nset(iterable) -> new set object\n\nBuild an unordered collection of unique elements.',
  },
});

export const PyFrozenSet_Type: Ptr = newStaticType({
  name: 'frozenset',
  basicsize: SET_BASICSIZE,
  flags: Py_TPFLAGS_HAVE_GC | Py_TPFLAGS_BASETYPE,
  slots: {
    ...setSlots,
    tp_hash: frozenset_hash,
    tp_new: frozenset_new,
    tp_vectorcall: set_vectorcall,
    methods: [{ name: 'copy', flags: METH_NOARGS, fn: frozenset_copy, doc: 'Return a shallow copy of a set.' }, ...commonMethods],
    doc: 'frozenset() -> empty frozenset object\nfrozenset(iterable) -> frozenset object\n\nBuild an immutable unordered collection of unique elements.',
  },
});

export const PySetIter_Type: Ptr = newStaticType({
  name: 'set_iterator',
  basicsize: SETITER_BASICSIZE,
  flags: Py_TPFLAGS_HAVE_GC,
  slots: {
    tp_dealloc: setiter_dealloc,
    tp_traverse: setiter_traverse,
    tp_iter: PyObject_SelfIter,
    tp_iternext: setiter_iternext,
    tp_free: PyObject_GC_Del,
    methods: [{ name: '__length_hint__', flags: METH_NOARGS, fn: setiter_len, doc: 'Private method returning an estimate of len(list(it)).' }],
  },
});

// dict.fromkeys(set) and the dict views' set operations need the set internals
setHooks.isAnySet = PyAnySet_Check;
setHooks.isSetExact = (o: Ptr): boolean => I32[(o + OB_TYPE) >> 2] === PySet_Type;
setHooks.setNew = PySet_New;
setHooks.add = set_add_key;
setHooks.update = set_update_internal;
setHooks.intersection = set_intersection;
setHooks.differenceUpdate = set_difference_update_internal;
setHooks.symmetricDifferenceUpdate = set_symmetric_difference_update;
setHooks.isExactSet = PyAnySet_CheckExact;
setHooks.size = PySet_GET_SIZE;
setHooks.next = (o: Ptr, pos: number): number => {
  const r = _PySet_NextEntry(o, pos);
  setHooks.out.key = SET_NEXT.key;
  setHooks.out.hashLo = SET_NEXT.hashLo;
  setHooks.out.hashHi = SET_NEXT.hashHi;
  return r;
};
