// Classes: heap type objects, their instances, and super() (≈ Objects/typeobject.c type_new,
// PyHeapTypeObject, mro_implementation, fixup_slot_dispatchers / update_one_slot, the slot_*
// functions, subtype_dealloc/traverse/clear, super; Objects/dictobject.c shared keys and
// PyDictValues; Python/bltinmodule.c builtin___build_class__).
//
// A class is a heap type object allocated with the GC allocator the way CPython 3.11 allocates
// it (sizeof(PyHeapTypeObject) = 904, plus one 40-byte PyMemberDef per __slots__ name and a
// sentinel), so pymalloc sees the same requests. The type fields this runtime reads are at the
// offsets of typeobject.ts (TP_*, HT_*); the rest of the 904 bytes holds:
//
//   160 tp_doc copy (PyObject_Malloc'd UTF-8 of a str __doc__, as CPython keeps it)
//   904 members[ob_size]: one PyMemberDef per __slots__ name (sorted, mangled):
//        +0 name (str*, borrowed from ht_slots)  +8 type (T_OBJECT_EX = 16)  +16 offset  +24 flags
//
// getsizeof(class) = 904 + size of its shared-keys object (768) + 16 (GC) = 1688, as type.__sizeof__.
//
// The class's slot record (typeobject.ts Slots) is a cache derived from the heap: every slot
// that a dunder name maps to is resolved along the MRO (≈ update_one_slot): a slot wrapper of a
// built-in type gives that type's own slot function ("specific"), anything else (a Python
// function, a descriptor...) gives the generic slot_* function below, which looks the dunder up
// on the instance's type at call time; nothing found leaves the slot empty. Assigning a dunder
// on the class later recomputes that slot for the class and its subclasses (type_setattro).
//
// Instances (3.11 layout, reference §2.6). A class without __slots__ gets Py_TPFLAGS_MANAGED_DICT:
//
//   -32 values*  -24 dict*  -16 gc_next  -8 gc_prev  | 0 refcnt  8 type  16 __weakref__  (24 bytes)
//
// and a SHARED KEYS object (ht_cached_keys): a PyDictKeysObject of kind SPLIT with 64 one-byte
// indices and room for 30 str keys (dk_usable starts at 30 and drops by one per new instance,
// as _PyDict_NewKeysForClass / init_inline_values do). Each instance keeps its attribute values
// in a VALUES block (PyDictValues, MEM domain): [prefix: insertion-order bytes, count, prefix
// size][values: one pointer per key index]. values[i] owns a reference to the attribute whose
// name is shared-key i. No dict object exists until __dict__ / vars() asks for one; then the
// values move into a real dict (in insertion order) and the instance keeps that dict. A name
// that is not an exact str, or a key when the shared keys are full, also moves to a dict.
// Teardown decrefs values in key-index order (_PyObject_FreeInstanceAttributes).
//
// subtype_dealloc order on the refcount path (reference §7): untrack → __del__ (once; FINALIZED
// bit; resurrection stops it) → weakrefs → __slots__ → values/dict → base dealloc → DECREF(type).

import { type Ptr, NULL, I32 as heapI32, I8 as heapI8, U8 as heapU8 } from '../mem/heap.js';
import { PyObject_Malloc, PyObject_Free, PyMem_Malloc, PyMem_Free } from '../mem/pymem.js';
import {
  Py_INCREF, Py_DECREF, Py_XDECREF, Py_XINCREF, Py_TYPE, Py_REFCNT, Py_SET_REFCNT, Py_SIZE, HASH_HI, OB_TYPE,
  MANAGED_DICT_OFFSET, MANAGED_VALUES_OFFSET, trashcanBegin, trashcanEnd, hashFromBigInt,
} from '../object.js';
import {
  Slots, type SlotName, registerTypeSlots, unregisterTypeSlots, inheritSlots, slotsOf, typeName, PyType_IsSubtype,
  PyType_Check, PyBaseObject_Type, PyType_Type, TP_NAME, TP_BASICSIZE, TP_ITEMSIZE, TP_FLAGS, TP_BASE, TP_DICT, TP_MRO,
  TP_BASES, TP_WEAKLISTOFFSET, TP_DICTOFFSET, TP_SUBCLASSES, HT_CACHED_KEYS, HT_NAME, HT_QUALNAME, HT_SLOTS, HT_MODULE,
  Py_TPFLAGS_HEAPTYPE, Py_TPFLAGS_BASETYPE, Py_TPFLAGS_HAVE_GC, Py_TPFLAGS_MANAGED_DICT, Py_TPFLAGS_READY,
  Py_TPFLAGS_IMMUTABLETYPE, Py_TPFLAGS_METHOD_DESCRIPTOR, Py_TPFLAGS_HAVE_VECTORCALL, Py_TPFLAGS_TYPE_SUBCLASS,
  Py_LT, Py_LE, Py_EQ, Py_NE, Py_GT, Py_GE, METH_FASTCALL, METH_KEYWORDS, METH_NOARGS, METH_O, METH_CLASS,
  type MethodDef, type GetSetDef, type visitproc, type binaryfunc, type ternaryfunc, type unaryfunc,
} from '../typeobject.js';
import {
  PyObject_GC_Del, PyObject_GC_Track, PyObject_GC_UnTrack, PyType_GenericAlloc, _PyGC_FINALIZED, _PyGC_SET_FINALIZED,
  PyType_IS_GC, PyObject_GC_NewVar, setPlainInstanceTraverse,
} from '../gc.js';
import {
  PyErr_SetString, PyErr_NoMemory, PyErr_Occurred, PyErr_Clear, PyErr_ExceptionMatches, PyErr_Fetch, PyErr_Restore,
  PyErr_SetObject,
} from '../errors.js';
import {
  PyExc_TypeError, PyExc_AttributeError, PyExc_RuntimeError, PyExc_ValueError, PyExc_SystemError, PyExc_OverflowError,
} from './exceptions.js';
import {
  _PyType_Lookup, PyType_Modified, registerSubclass, unregisterSubclass, subclassesList, PyObject_GenericGetAttr,
  PyObject_GenericSetAttr, PyObject_GetAttr, instanceValuesHooks, heapTypeAlloc, typeQualnameHook, typeModuleHook,
  attributeErrorContext, type_getattro, typeQualifiedName, typeCallVector,
} from '../typeready.js';
import {
  PyUnicode_FromString, PyUnicode_InternFromString, PyUnicode_Check, PyUnicode_CheckExact, unicodeToJs, unicode_eq,
  unicode_hash, UNICODE_HASH, PyUnicode_CHECK_INTERNED, PyUnicode_InternInPlace, _PyUnicode_InternStatic,
} from './unicodeobject.js';
import {
  PyTuple_New, PyTuple_SET_ITEM, PyTuple_GET_ITEM, PyTuple_GET_SIZE, PyTuple_Check, PyTuple_Pack, _PyTuple_FromArray,
  PySequence_Tuple, TUPLE_ITEMS,
} from './tupleobject.js';
import { PyList_New, PyList_Append, PyList_Sort, PyList_GET_SIZE, PyList_GET_ITEM, PyList_AsTuple } from './listobject.js';
import {
  PyDict_New, PyDict_SetItem, PyDict_GetItem, PyDict_DelItem, PyDict_Copy, PyDict_Check, PyDict_Next, DICT_NEXT,
  PyDict_GET_SIZE, PyDict_Clear, DK_REFCNT, DK_LOG2_SIZE, DK_LOG2_INDEX_BYTES, DK_KIND, DK_VERSION, DK_USABLE,
  DK_NENTRIES, DK_INDICES, DICT_KEYS_SPLIT, PyDict_Type,
} from './dictobject.js';
import { Py_None, Py_NotImplemented } from './noneobject.js';
import { PyLong_FromNumber, PyLong_Check, PyLong_AsBigInt, PyLong_Type } from './longobject.js';
import { PyFloat_Type } from './floatobject.js';
import { PyBool_Check, Py_True } from './boolobject.js';
import {
  PyFunction_Type, PyStaticMethod_New, PyClassMethod_Type, PyCell_Type, PyMethod_New, CELL_REF, weakrefClearHook,
} from './funcobject.js';
import { PyWrapperDescr_Type, PyDescr_NewGetSet, PyDescr_NewMember, slotdefs, D_BASE } from './descrobject.js';
import { D_TYPE } from './methodobject.js';
import { PyObject_Vectorcall, PyObject_Call, PyObject_CallOneArg } from '../call.js';
import { dataStackPush, dataStackPop, ts } from '../pystate.js';
import {
  PyObject_IsTrue, PyObject_HashNotImplemented, PyNumber_Index, PyNumber_AsSsize_t, PyObject_Repr,
  _Py_SwappedOp, PyObject_RichCompare,
} from '../abstract.js';
import { F_CODE, F_GLOBALS, F_LOCALSPLUS } from '../vm/frame.js';
import {
  CO_ARGCOUNT, CO_NLOCALSPLUS, CO_LOCALSPLUSNAMES, CO_LOCALSPLUSKINDS, CO_FAST_CELL, CO_FAST_FREE,
} from './codeobject.js';
import { PyBytes_AS_STRING } from './bytesobject.js';

// The heap views as file-local constants (an imported binding is read through its module cell
// on every use; the attribute paths below are hot).
const I32 = heapI32;
const I8 = heapI8;
const U8 = heapU8;

// ---- sizes (CPython 3.11, 64-bit) ----
/** sizeof(PyHeapTypeObject): type.__basicsize__ */
export const HEAPTYPE_BASICSIZE = 904;
/** sizeof(PyMemberDef): type.__itemsize__ */
export const HEAPTYPE_ITEMSIZE = 40;
/** sizeof(PyTypeObject): type.__sizeof__ of a static type */
export const STATIC_TYPE_SIZEOF = 408;
export const TPX_DOC = 160;
export const HT_MEMBERS = HEAPTYPE_BASICSIZE;
const T_OBJECT_EX = 16;

// ---- shared keys (≈ _PyDict_NewKeysForClass): 64 one-byte indices, 42 unicode entries ----
export const SHARED_KEYS_MAX_SIZE = 30;
const SK_LOG2 = 6;
const SK_MASK = 63;
const SK_ENTRIES = DK_INDICES + 64;
const SK_NENTRY_SLOTS = 42;
/** _PyDict_KeysSize of a class's shared keys: 32 + 64 + 42·16 */
export const SHARED_KEYS_SIZE = SK_ENTRIES + SK_NENTRY_SLOTS * 16;

function setField(addr: number, v: Ptr): void {
  I32[addr >> 2] = v;
  I32[(addr >> 2) + 1] = 0;
}
function field(addr: number): Ptr {
  return I32[addr >> 2];
}
function flagsOf(t: Ptr): number {
  return I32[(t + TP_FLAGS) >> 2];
}
function isHeapType(t: Ptr): boolean {
  return (I32[(t + TP_FLAGS) >> 2] & Py_TPFLAGS_HEAPTYPE) !== 0;
}
function tpName(o: Ptr): string {
  return typeName(Py_TYPE(o));
}

// ---- interned names (made on first use; dropped names would be a bug: the heap is never reset
// under a live class) ----
let namesReady = false;
let s__dict__: Ptr = NULL, s__weakref__: Ptr = NULL, s__module__: Ptr = NULL, s__qualname__: Ptr = NULL;
let s__doc__: Ptr = NULL, s__slots__: Ptr = NULL, s__classcell__: Ptr = NULL, s__new__: Ptr = NULL;
let s__init_subclass__: Ptr = NULL, s__class_getitem__: Ptr = NULL, s__hash__: Ptr = NULL, s__eq__: Ptr = NULL;
let s__name__: Ptr = NULL, s__getattr__: Ptr = NULL, s__getattribute__: Ptr = NULL, s__init__: Ptr = NULL;
let s__call__: Ptr = NULL, s__del__: Ptr = NULL, s__set_name__: Ptr = NULL, s__prepare__: Ptr = NULL;
let s__class__: Ptr = NULL, s__len__: Ptr = NULL, s__bool__: Ptr = NULL, s__contains__: Ptr = NULL;
let s__iter__: Ptr = NULL, s__next__: Ptr = NULL, s__get__: Ptr = NULL, s__set__: Ptr = NULL, s__delete__: Ptr = NULL;
let s__getitem__: Ptr = NULL, s__setitem__: Ptr = NULL, s__delitem__: Ptr = NULL, s__setattr__: Ptr = NULL;
let s__delattr__: Ptr = NULL, s__repr__: Ptr = NULL, s__str__: Ptr = NULL, s__pow__: Ptr = NULL, s__rpow__: Ptr = NULL;
let s_metaclass: Ptr = NULL, s__orig_bases__: Ptr = NULL, s__mro_entries__: Ptr = NULL;
/** interned dunder name of every slotdef (same index) */
let slotdefNames: Int32Array = new Int32Array(0);
/** interned names of the rich comparison ops, by op */
const richNames = new Int32Array(6);

/** A static interned str (≈ _Py_ID): made while this module loads, before any program could
 *  have interned an equal heap str. Borrowed; never freed. */
function intern(s: string): Ptr {
  return _PyUnicode_InternStatic(s);
}
function initNames(): void {
  if (namesReady) return;
  namesReady = true;
  s__dict__ = intern('__dict__'); s__weakref__ = intern('__weakref__'); s__module__ = intern('__module__');
  s__qualname__ = intern('__qualname__'); s__doc__ = intern('__doc__'); s__slots__ = intern('__slots__');
  s__classcell__ = intern('__classcell__'); s__new__ = intern('__new__'); s__init_subclass__ = intern('__init_subclass__');
  s__class_getitem__ = intern('__class_getitem__'); s__hash__ = intern('__hash__'); s__eq__ = intern('__eq__');
  s__name__ = intern('__name__'); s__getattr__ = intern('__getattr__'); s__getattribute__ = intern('__getattribute__');
  s__init__ = intern('__init__'); s__call__ = intern('__call__'); s__del__ = intern('__del__');
  s__set_name__ = intern('__set_name__'); s__prepare__ = intern('__prepare__'); s__class__ = intern('__class__');
  s__len__ = intern('__len__'); s__bool__ = intern('__bool__'); s__contains__ = intern('__contains__');
  s__iter__ = intern('__iter__'); s__next__ = intern('__next__'); s__get__ = intern('__get__');
  s__set__ = intern('__set__'); s__delete__ = intern('__delete__'); s__getitem__ = intern('__getitem__');
  s__setitem__ = intern('__setitem__'); s__delitem__ = intern('__delitem__'); s__setattr__ = intern('__setattr__');
  s__delattr__ = intern('__delattr__'); s__repr__ = intern('__repr__'); s__str__ = intern('__str__');
  s__pow__ = intern('__pow__'); s__rpow__ = intern('__rpow__'); s_metaclass = intern('metaclass');
  s__orig_bases__ = intern('__orig_bases__'); s__mro_entries__ = intern('__mro_entries__');
  slotdefNames = new Int32Array(slotdefs.length);
  for (let i = 0; i < slotdefs.length; i++) slotdefNames[i] = intern(slotdefs[i].name);
  const ops = ['__lt__', '__le__', '__eq__', '__ne__', '__gt__', '__ge__'];
  for (let i = 0; i < 6; i++) richNames[i] = intern(ops[i]);
}
initNames();

// =====================================================================================
// shared keys and values (≈ dictobject.c: new_keys_object for classes, insert_into_dictkeys,
// new_values, init_inline_values, _PyObject_StoreInstanceAttribute, ...)
// =====================================================================================

/** ≈ _PyDict_NewKeysForClass: a new SPLIT keys object (refcount 1), or NULL (no error: the
 *  class then keeps its instances' attributes in dicts). */
function newKeysForClass(): Ptr {
  const k = PyObject_Malloc(SHARED_KEYS_SIZE);
  if (k === NULL) return NULL;
  U8.fill(0, k, k + SK_ENTRIES);
  U8.fill(0, k + SK_ENTRIES, k + SHARED_KEYS_SIZE);
  I32[(k + DK_REFCNT) >> 2] = 1;
  U8[k + DK_LOG2_SIZE] = SK_LOG2;
  U8[k + DK_LOG2_INDEX_BYTES] = SK_LOG2;
  U8[k + DK_KIND] = DICT_KEYS_SPLIT;
  I32[(k + DK_USABLE) >> 2] = SHARED_KEYS_MAX_SIZE;
  I32[(k + DK_NENTRIES) >> 2] = 0;
  U8.fill(0xff, k + DK_INDICES, k + DK_INDICES + 64);
  return k;
}
function keysDecref(k: Ptr): void {
  if (--I32[(k + DK_REFCNT) >> 2] !== 0) return;
  const n = I32[(k + DK_NENTRIES) >> 2];
  for (let i = 0; i < n; i++) Py_XDECREF(I32[(k + SK_ENTRIES + 16 * i) >> 2]);
  PyObject_Free(k);
}
/** The shared-key index of `name` (an exact str), or -1. */
export function sharedKeysLookup(k: Ptr, name: Ptr): number {
  let lo = I32[(name + UNICODE_HASH) >> 2];
  let hi = I32[(name + UNICODE_HASH + 4) >> 2];
  if (lo === -1 && hi === -1) {
    lo = unicode_hash(name);
    hi = HASH_HI[0];
  }
  let i = lo & SK_MASK;
  let pLo = lo >>> 0;
  let pHi = hi >>> 0;
  for (;;) {
    const ix = I8[k + DK_INDICES + i];
    if (ix < 0) return -1;
    const ek = I32[(k + SK_ENTRIES + 16 * ix) >> 2];
    if (ek === name) return ix;
    if (I32[(ek + UNICODE_HASH) >> 2] === lo && I32[(ek + UNICODE_HASH + 4) >> 2] === hi && unicode_eq(ek, name)) return ix;
    pLo = ((pLo >>> 5) | (pHi << 27)) >>> 0;
    pHi >>>= 5;
    i = (i * 5 + pLo + 1) & SK_MASK;
  }
}
/** ≈ insert_into_dictkeys: the index of `name`, adding it when there is room; -1 when full. */
function insertIntoDictKeys(k: Ptr, name: Ptr): number {
  const found = sharedKeysLookup(k, name);
  if (found >= 0) return found;
  if (I32[(k + DK_USABLE) >> 2] <= 0) return -1;
  Py_INCREF(name);
  I32[(k + DK_VERSION) >> 2] = 0;
  const lo = I32[(name + UNICODE_HASH) >> 2];
  let i = lo & SK_MASK;
  let pLo = lo >>> 0;
  let pHi = I32[(name + UNICODE_HASH + 4) >> 2] >>> 0;
  while (I8[k + DK_INDICES + i] >= 0) {
    pLo = ((pLo >>> 5) | (pHi << 27)) >>> 0;
    pHi >>>= 5;
    i = (i * 5 + pLo + 1) & SK_MASK;
  }
  const ix = I32[(k + DK_NENTRIES) >> 2];
  I8[k + DK_INDICES + i] = ix;
  setField(k + SK_ENTRIES + 16 * ix, name);
  I32[(k + DK_USABLE) >> 2]--;
  I32[(k + DK_NENTRIES) >> 2]++;
  return ix;
}
export function sharedKeyAt(k: Ptr, ix: number): Ptr {
  return I32[(k + SK_ENTRIES + 16 * ix) >> 2];
}

/** ≈ new_values: a values block for `size` keys; returns the address of values[0] or NULL. */
function newValues(size: number): Ptr {
  const prefix = (size + 2 + 7) & ~7;
  const mem = PyMem_Malloc(prefix + 8 * size);
  if (mem === NULL) return NULL;
  U8[mem + prefix - 1] = prefix;
  U8[mem + prefix - 2] = 0;
  const v = mem + prefix;
  // (word stores: a typed-array fill is a runtime call costing more than a few stores)
  for (let w = v >> 2, e = (v + 8 * size) >> 2; w < e; w++) I32[w] = 0;
  return v;
}
function freeValues(v: Ptr): void {
  PyMem_Free(v - U8[v - 1]);
}
function addToInsertionOrder(v: Ptr, ix: number): void {
  const size = ++U8[v - 2];
  U8[v - 2 - size] = ix;
}
function deleteIndexFromValues(v: Ptr, ix: number): void {
  const size = U8[v - 2];
  let i = 1;
  while (U8[v - 2 - i] !== ix) i++;
  for (; i < size; i++) U8[v - 2 - i] = U8[v - 3 - i];
  U8[v - 2] = size - 1;
}

/** ≈ init_inline_values: give a new instance of a MANAGED_DICT class its values block. 0 / -1. */
function initInlineValues(obj: Ptr, tp: Ptr): number {
  const k = field(tp + HT_CACHED_KEYS);
  if (k === NULL) return 0; // no shared keys: attributes go to a dict
  if (I32[(k + DK_USABLE) >> 2] > 1) I32[(k + DK_USABLE) >> 2]--;
  const size = I32[(k + DK_NENTRIES) >> 2] + I32[(k + DK_USABLE) >> 2];
  const v = newValues(size);
  if (v === NULL) {
    PyErr_NoMemory();
    return -1;
  }
  setField(obj + MANAGED_VALUES_OFFSET, v);
  return 0;
}

/** ≈ make_dict_from_instance_attributes + the switch to the dict: the instance's values move into
 *  a new dict (insertion order), the values block is freed. Returns the dict (borrowed: the
 *  instance owns it) or NULL on error. */
function materializeDict(obj: Ptr): Ptr {
  const v = field(obj + MANAGED_VALUES_OFFSET);
  const dict = PyDict_New();
  if (dict === NULL) return NULL;
  if (v !== NULL) {
    const k = field(Py_TYPE(obj) + HT_CACHED_KEYS);
    const n = U8[v - 2];
    for (let j = 1; j <= n; j++) {
      const ix = U8[v - 2 - j];
      if (PyDict_SetItem(dict, sharedKeyAt(k, ix), I32[(v + 8 * ix) >> 2]) < 0) {
        Py_DECREF(dict);
        return NULL;
      }
    }
    setField(obj + MANAGED_VALUES_OFFSET, NULL);
    const nent = I32[(k + DK_NENTRIES) >> 2];
    for (let i = 0; i < nent; i++) Py_XDECREF(I32[(v + 8 * i) >> 2]);
    freeValues(v);
  }
  setField(obj + MANAGED_DICT_OFFSET, dict);
  return dict;
}

/** ≈ _PyObject_FreeInstanceAttributes: release the values (key-index order) and the block. */
function freeInstanceAttributes(obj: Ptr): void {
  const v = field(obj + MANAGED_VALUES_OFFSET);
  if (v === NULL) return;
  setField(obj + MANAGED_VALUES_OFFSET, NULL);
  const k = field(Py_TYPE(obj) + HT_CACHED_KEYS);
  const n = k === NULL ? 0 : I32[(k + DK_NENTRIES) >> 2];
  for (let i = 0; i < n; i++) Py_XDECREF(I32[(v + 8 * i) >> 2]);
  freeValues(v);
}
/** ≈ _PyObject_ClearInstanceAttributes (tp_clear): drop the values, keep the block. */
function clearInstanceAttributes(obj: Ptr): void {
  const v = field(obj + MANAGED_VALUES_OFFSET);
  if (v === NULL) return;
  const k = field(Py_TYPE(obj) + HT_CACHED_KEYS);
  const n = k === NULL ? 0 : I32[(k + DK_NENTRIES) >> 2];
  for (let i = 0; i < n; i++) {
    const x = I32[(v + 8 * i) >> 2];
    if (x !== NULL) {
      I32[(v + 8 * i) >> 2] = 0;
      Py_DECREF(x);
    }
  }
  U8[v - 2] = 0;
}
function visitInstanceAttributes(obj: Ptr, visit: visitproc, arg: number): number {
  const v = field(obj + MANAGED_VALUES_OFFSET);
  if (v === NULL) return 0;
  const k = field(Py_TYPE(obj) + HT_CACHED_KEYS);
  const n = k === NULL ? 0 : I32[(k + DK_NENTRIES) >> 2];
  for (let i = 0; i < n; i++) {
    const x = I32[(v + 8 * i) >> 2];
    if (x !== NULL) {
      const r = visit(x, arg);
      if (r) return r;
    }
  }
  return 0;
}

/** instanceValuesHooks.get: the attribute from the values block (borrowed) or NULL (no error). */
function instanceValuesGet(obj: Ptr, name: Ptr): Ptr {
  const v = field(obj + MANAGED_VALUES_OFFSET);
  if (v === NULL) return NULL;
  if (!PyUnicode_CheckExact(name)) {
    const d = materializeDict(obj);
    if (d === NULL) {
      PyErr_Clear();
      return NULL;
    }
    return PyDict_GetItem(d, name);
  }
  const k = field(Py_TYPE(obj) + HT_CACHED_KEYS);
  if (k === NULL) return NULL;
  const ix = sharedKeysLookup(k, name);
  return ix < 0 ? NULL : I32[(v + 8 * ix) >> 2];
}
/** instanceValuesHooks.set (≈ _PyObject_StoreInstanceAttribute): 0, -1 with an error, or 1 when
 *  the instance has no values block (the generic code then uses the dict). v NULL = delete. */
function instanceValuesSet(obj: Ptr, name: Ptr, value: Ptr): number {
  const v = field(obj + MANAGED_VALUES_OFFSET);
  if (v === NULL) return 1;
  const k = field(Py_TYPE(obj) + HT_CACHED_KEYS);
  const ix = k !== NULL && PyUnicode_CheckExact(name) ? insertIntoDictKeys(k, name) : -1;
  if (ix < 0) {
    const d = materializeDict(obj);
    if (d === NULL) return -1;
    if (value === NULL) {
      if (PyDict_DelItem(d, name) < 0) {
        if (PyErr_ExceptionMatches(PyExc_KeyErrorRef())) {
          PyErr_Clear();
          noAttribute(obj, name);
        }
        return -1;
      }
      return 0;
    }
    return PyDict_SetItem(d, name, value);
  }
  const old = I32[(v + 8 * ix) >> 2];
  if (value !== NULL) Py_INCREF(value);
  I32[(v + 8 * ix) >> 2] = value;
  if (old === NULL) {
    if (value === NULL) {
      noAttribute(obj, name);
      return -1;
    }
    addToInsertionOrder(v, ix);
  } else {
    if (value === NULL) deleteIndexFromValues(v, ix);
    Py_DECREF(old);
  }
  return 0;
}
import { PyExc_KeyError } from './exceptions.js';
function PyExc_KeyErrorRef(): Ptr {
  return PyExc_KeyError;
}
function noAttribute(obj: Ptr, name: Ptr): void {
  PyErr_SetString(PyExc_AttributeError, `'${tpName(obj)}' object has no attribute '${unicodeToJs(name)}'`);
  attributeErrorContext.set?.(obj, name);
}

/** Does the instance's own __dict__ (values block or dict) hold `name`? (LOAD_METHOD's check that
 *  an instance attribute does not shadow a method.) */
export function instanceHasAttr(obj: Ptr, name: Ptr): boolean {
  const tp = Py_TYPE(obj);
  const fl = flagsOf(tp);
  if ((fl & Py_TPFLAGS_MANAGED_DICT) !== 0) {
    const d = field(obj + MANAGED_DICT_OFFSET);
    if (d !== NULL) return PyDict_GetItem(d, name) !== NULL;
    const v = field(obj + MANAGED_VALUES_OFFSET);
    if (v === NULL) return false;
    if (!PyUnicode_CheckExact(name)) return true; // let the generic path decide
    const k = field(tp + HT_CACHED_KEYS);
    if (k === NULL) return false;
    const ix = sharedKeysLookup(k, name);
    return ix >= 0 && I32[(v + 8 * ix) >> 2] !== NULL;
  }
  const off = I32[(tp + TP_DICTOFFSET) >> 2];
  if (off === 0) return false;
  const dp = dictPointer(obj, tp);
  if (dp === 0) return false;
  const d = field(dp);
  return d !== NULL && PyDict_GetItem(d, name) !== NULL;
}
/** True when instances of `type` use the generic attribute lookup (no __getattr__ /
 *  __getattribute__ override): LOAD_METHOD may then skip the bound method. */
export function isGenericGetattrType(type: Ptr): boolean {
  return slotsOf(type).tp_getattro === PyObject_GenericGetAttr;
}

/** ≈ _PyObject_DictPointer: address of the instance's __dict__ pointer, or 0. Handles the
 *  managed dict, positive offsets and the negative offsets of variable-size bases. */
function dictPointer(obj: Ptr, tp: Ptr): number {
  if ((flagsOf(tp) & Py_TPFLAGS_MANAGED_DICT) !== 0) return obj + MANAGED_DICT_OFFSET;
  let off = I32[(tp + TP_DICTOFFSET) >> 2];
  if (off === 0) return 0;
  if (off < 0) {
    let n = Py_SIZE(obj);
    if (n < 0) n = -n;
    const size = (I32[(tp + TP_BASICSIZE) >> 2] + n * I32[(tp + TP_ITEMSIZE) >> 2] + 7) & ~7;
    off += size;
  }
  return obj + off;
}

/** ≈ PyObject_GenericGetDict: the instance's __dict__, made on demand. New reference or NULL. */
export function PyObject_GenericGetDict(obj: Ptr): Ptr {
  const tp = Py_TYPE(obj);
  const dp = dictPointer(obj, tp);
  if (dp === 0) {
    PyErr_SetString(PyExc_AttributeError, 'This object has no __dict__');
    return NULL;
  }
  let d = field(dp);
  if (d === NULL) {
    if ((flagsOf(tp) & Py_TPFLAGS_MANAGED_DICT) !== 0) {
      d = materializeDict(obj);
    } else {
      d = PyDict_New();
      if (d !== NULL) setField(dp, d);
    }
    if (d === NULL) return NULL;
  }
  Py_INCREF(d);
  return d;
}
function subtype_dict_set(obj: Ptr, value: Ptr): number {
  const tp = Py_TYPE(obj);
  const dp = dictPointer(obj, tp);
  if (dp === 0) {
    PyErr_SetString(PyExc_AttributeError, 'This object has no __dict__');
    return -1;
  }
  if (value !== NULL && !PyDict_Check(value)) {
    PyErr_SetString(PyExc_TypeError, `__dict__ must be set to a dictionary, not a '${tpName(value)}'`);
    return -1;
  }
  if ((flagsOf(tp) & Py_TPFLAGS_MANAGED_DICT) !== 0) freeInstanceAttributes(obj);
  const old = field(dp);
  Py_XINCREF(value);
  setField(dp, value);
  Py_XDECREF(old);
  return 0;
}
function subtype_weakref_get(obj: Ptr): Ptr {
  const off = I32[(Py_TYPE(obj) + TP_WEAKLISTOFFSET) >> 2];
  const w = off > 0 ? field(obj + off) : NULL;
  const r = w === NULL ? Py_None : w;
  Py_INCREF(r);
  return r;
}
const subtypeDictGetSet: GetSetDef = {
  name: '__dict__', get: PyObject_GenericGetDict, set: subtype_dict_set,
};
const subtypeWeakrefGetSet: GetSetDef = {
  name: '__weakref__', get: subtype_weakref_get,
};

// =====================================================================================
// calling dunder methods (≈ lookup_maybe_method, lookup_method, vectorcall_method,
// call_unbound_noarg, _PyObject_Call_Prepend)
// =====================================================================================

/** Set by lookupMaybeMethod: 1 when the result is an unbound method descriptor (a function)
 *  that must be called with self first. */
let unbound = 0;

/** ≈ lookup_maybe_method: `name` on type(self); new reference or NULL (no error when missing). */
function lookupMaybeMethod(self: Ptr, name: Ptr): Ptr {
  const tp = Py_TYPE(self);
  const res = _PyType_Lookup(tp, name);
  if (res === NULL) return NULL;
  const rt = Py_TYPE(res);
  if ((I32[(rt + TP_FLAGS) >> 2] & Py_TPFLAGS_METHOD_DESCRIPTOR) !== 0) {
    unbound = 1;
    Py_INCREF(res);
    return res;
  }
  const f = slotsOf(rt).tp_descr_get;
  if (f === undefined) {
    unbound = 0;
    Py_INCREF(res);
    return res;
  }
  const bound = f(res, self, tp);
  unbound = 0; // (after the call: a Python __get__ may have looked up methods itself)
  return bound;
}
/** ≈ lookup_method: as lookupMaybeMethod, but a missing name raises AttributeError(name). */
function lookupMethod(self: Ptr, name: Ptr): Ptr {
  const r = lookupMaybeMethod(self, name);
  if (r === NULL && PyErr_Occurred() === NULL) PyErr_SetObject(PyExc_AttributeError, name);
  return r;
}

/** Call `func` with (self?, a, b) — self only when `ub` — borrowed arguments. New ref or NULL. */
function callUnbound(func: Ptr, ub: number, self: Ptr, n: number, a: Ptr, b: Ptr): Ptr {
  const scratch = dataStackPush(24);
  if (scratch === NULL) return PyErr_NoMemory();
  let p = scratch;
  if (ub) {
    setField(p, self);
    p += 8;
  }
  if (n > 0) {
    setField(p, a);
    p += 8;
  }
  if (n > 1) {
    setField(p, b);
    p += 8;
  }
  const r = PyObject_Vectorcall(func, scratch, (p - scratch) >> 3, NULL);
  dataStackPop(scratch);
  return r;
}
/** ≈ vectorcall_method: type(self).name(self, a, b). New ref or NULL (AttributeError if missing). */
function callMethod(name: Ptr, self: Ptr, n: number, a: Ptr, b: Ptr): Ptr {
  const func = lookupMethod(self, name);
  if (func === NULL) return NULL;
  const r = callUnbound(func, unbound, self, n, a, b);
  Py_DECREF(func);
  return r;
}
/** ≈ vectorcall_maybe: like callMethod but a missing method gives NotImplemented. */
function callMaybe(name: Ptr, self: Ptr, n: number, a: Ptr, b: Ptr): Ptr {
  const func = lookupMaybeMethod(self, name);
  if (func === NULL) {
    if (PyErr_Occurred() !== NULL) return NULL;
    Py_INCREF(Py_NotImplemented);
    return Py_NotImplemented;
  }
  const r = callUnbound(func, unbound, self, n, a, b);
  Py_DECREF(func);
  return r;
}

/** ≈ _PyObject_Call_Prepend: func(first, *args, **kwds) with borrowed arguments. New ref or NULL. */
function callPrepend(func: Ptr, first: Ptr, args: Ptr, kwds: Ptr): Ptr {
  const n = args === NULL ? 0 : PyTuple_GET_SIZE(args);
  const nkw = kwds === NULL ? 0 : PyDict_GET_SIZE(kwds);
  const scratch = dataStackPush(8 * (1 + n + nkw));
  if (scratch === NULL) return PyErr_NoMemory();
  setField(scratch, first);
  // (word copies: a typed-array copyWithin is a runtime call costing ~70 ns whatever the size)
  for (let i = 0, d = (scratch + 8) >> 2, s = (args + TUPLE_ITEMS) >> 2; i < 2 * n; i++) I32[d + i] = I32[s + i];
  let kwnames: Ptr = NULL;
  if (nkw > 0) {
    kwnames = PyTuple_New(nkw);
    if (kwnames === NULL) {
      dataStackPop(scratch);
      return NULL;
    }
    let pos = 0;
    let j = 0;
    while ((pos = PyDict_Next(kwds, pos)) >= 0 && j < nkw) {
      Py_INCREF(DICT_NEXT.key);
      PyTuple_SET_ITEM(kwnames, j, DICT_NEXT.key);
      setField(scratch + 8 * (1 + n + j), DICT_NEXT.value);
      j++;
    }
  }
  const r = PyObject_Vectorcall(func, scratch, 1 + n, kwnames);
  dataStackPop(scratch);
  Py_XDECREF(kwnames);
  return r;
}

// =====================================================================================
// the generic slot functions (≈ typeobject.c slot_*)
// =====================================================================================

function slot_tp_repr(self: Ptr): Ptr {
  const func = lookupMaybeMethod(self, s__repr__);
  if (func !== NULL) {
    const r = callUnbound(func, unbound, self, 0, NULL, NULL);
    Py_DECREF(func);
    return r;
  }
  if (PyErr_Occurred() !== NULL) return NULL;
  return PyUnicode_FromString(`<${typeQualifiedName(Py_TYPE(self))} object at 0x${self.toString(16)}>`);
}
function slot_tp_str(self: Ptr): Ptr {
  return callMethod(s__str__, self, 0, NULL, NULL);
}

/** ≈ slot_tp_hash: __hash__ (None = unhashable); an int result is used as is when it fits in 64
 *  bits, else hashed again as an int. */
function slot_tp_hash(self: Ptr): number {
  let func = lookupMaybeMethod(self, s__hash__);
  if (func === Py_None) {
    Py_DECREF(func);
    func = NULL;
  }
  if (func === NULL) {
    if (PyErr_Occurred() !== NULL) {
      HASH_HI[0] = -1;
      return -1;
    }
    return PyObject_HashNotImplemented(self);
  }
  const res = callUnbound(func, unbound, self, 0, NULL, NULL);
  Py_DECREF(func);
  if (res === NULL) {
    HASH_HI[0] = -1;
    return -1;
  }
  if (!PyLong_Check(res)) {
    Py_DECREF(res);
    PyErr_SetString(PyExc_TypeError, '__hash__ method should return an integer');
    HASH_HI[0] = -1;
    return -1;
  }
  let h = PyLong_AsBigInt(res);
  if (h < -(1n << 63n) || h >= 1n << 63n) {
    const lo = slotsOf(PyLong_Type).tp_hash!(res);
    h = (BigInt(HASH_HI[0]) << 32n) | BigInt(lo >>> 0);
  }
  Py_DECREF(res);
  if (h === -1n) h = -2n;
  return hashFromBigInt(h);
}

function slot_tp_richcompare(self: Ptr, other: Ptr, op: number): Ptr {
  const func = lookupMaybeMethod(self, richNames[op]);
  if (func === NULL) {
    PyErr_Clear();
    Py_INCREF(Py_NotImplemented);
    return Py_NotImplemented;
  }
  const r = callUnbound(func, unbound, self, 1, other, NULL);
  Py_DECREF(func);
  return r;
}

function slot_tp_call(self: Ptr, args: Ptr, kwds: Ptr): Ptr {
  const meth = lookupMethod(self, s__call__);
  if (meth === NULL) return NULL;
  const r = unbound ? callPrepend(meth, self, args, kwds) : PyObject_Call(meth, args, kwds);
  Py_DECREF(meth);
  return r;
}
/** Instances with __call__ are called through vectorcall: __call__(self, *args). */
function slot_vectorcall_call(self: Ptr, args: number, nargs: number, kwnames: Ptr): Ptr {
  const meth = lookupMethod(self, s__call__);
  if (meth === NULL) return NULL;
  let r: Ptr;
  if (unbound) {
    const total = nargs + (kwnames === NULL ? 0 : PyTuple_GET_SIZE(kwnames));
    const scratch = dataStackPush(8 * (total + 1));
    if (scratch === NULL) {
      Py_DECREF(meth);
      return PyErr_NoMemory();
    }
    setField(scratch, self);
    for (let i = 0, d = (scratch + 8) >> 2, s = args >> 2; i < 2 * total; i++) I32[d + i] = I32[s + i];
    r = PyObject_Vectorcall(meth, scratch, nargs + 1, kwnames);
    dataStackPop(scratch);
  } else {
    r = PyObject_Vectorcall(meth, args, nargs, kwnames);
  }
  Py_DECREF(meth);
  return r;
}

function slot_tp_iter(self: Ptr): Ptr {
  const func = lookupMaybeMethod(self, s__iter__);
  if (func === Py_None) {
    Py_DECREF(func);
    PyErr_SetString(PyExc_TypeError, `'${tpName(self)}' object is not iterable`);
    return NULL;
  }
  if (func !== NULL) {
    const r = callUnbound(func, unbound, self, 0, NULL, NULL);
    Py_DECREF(func);
    return r;
  }
  if (PyErr_Occurred() !== NULL) return NULL;
  PyErr_SetString(PyExc_TypeError, `'${tpName(self)}' object is not iterable`);
  return NULL;
}
function slot_tp_iternext(self: Ptr): Ptr {
  return callMethod(s__next__, self, 0, NULL, NULL);
}

function slot_tp_descr_get(self: Ptr, obj: Ptr, type: Ptr): Ptr {
  const tp = Py_TYPE(self);
  const get = _PyType_Lookup(tp, s__get__);
  if (get === NULL) {
    // avoid further slowdowns
    if (slotsOf(tp).tp_descr_get === slot_tp_descr_get) slotsOf(tp).tp_descr_get = undefined;
    Py_INCREF(self);
    return self;
  }
  Py_INCREF(get);
  const scratch = dataStackPush(24);
  if (scratch === NULL) {
    Py_DECREF(get);
    return PyErr_NoMemory();
  }
  setField(scratch, self);
  setField(scratch + 8, obj === NULL ? Py_None : obj);
  setField(scratch + 16, type === NULL ? Py_None : type);
  const r = PyObject_Vectorcall(get, scratch, 3, NULL);
  dataStackPop(scratch);
  Py_DECREF(get);
  return r;
}
function slot_tp_descr_set(self: Ptr, target: Ptr, value: Ptr): number {
  const r = value === NULL ? callMethod(s__delete__, self, 1, target, NULL) : callMethod(s__set__, self, 2, target, value);
  if (r === NULL) return -1;
  Py_DECREF(r);
  return 0;
}

function slot_tp_init(self: Ptr, args: Ptr, kwds: Ptr): number {
  const meth = lookupMethod(self, s__init__);
  if (meth === NULL) return -1;
  const res = unbound ? callPrepend(meth, self, args, kwds) : PyObject_Call(meth, args, kwds);
  Py_DECREF(meth);
  return initResult(res);
}
/** __init__'s result (a new reference or NULL) as slot_tp_init's status: None or an error. */
function initResult(res: Ptr): number {
  if (res === NULL) return -1;
  if (res !== Py_None) {
    PyErr_SetString(PyExc_TypeError, `__init__() should return None, not '${tpName(res)}'`);
    Py_DECREF(res);
    return -1;
  }
  Py_DECREF(res);
  return 0;
}
/** object.__new__ and object.__init__ (typeready.ts keeps them private; read from `object`'s slots
 *  when the class machinery is installed). */
let objectNew: ((type: Ptr, args: Ptr, kwds: Ptr) => Ptr) | undefined;
let objectInit: ((self: Ptr, args: Ptr, kwds: Ptr) => number) | undefined;

/** tp_vectorcall of every class (type_vectorcall calls it): what type_vectorcall's generic path
 *  does (the argument tuple of _PyObject_MakeTpCall, then type_call: tp_new, tp_init), written
 *  out for the common class whose __new__ is object's and whose __init__ is object's or a Python
 *  method. The tuple is still built, as CPython 3.11 builds it: its allocation is observable (free
 *  lists, gc counts). What is left out is the dispatch: object_new's argument checks (no error
 *  is possible here) and slot_tp_init's copy of the arguments out of the tuple (they are taken
 *  from the caller's slots, the same objects). */
function heap_type_vectorcall(type: Ptr, args: number, nargs: number, kwnames: Ptr): Ptr {
  const s = slotsOf(type);
  if (
    kwnames === NULL &&
    s.tp_new === objectNew &&
    s.tp_new !== undefined &&
    (s.tp_init === slot_tp_init || (s.tp_init === objectInit && nargs === 0)) &&
    heapTypeAlloc.alloc === heapTypeAllocInstance &&
    (flagsOf(type) & Py_TPFLAGS_HEAPTYPE) !== 0
  ) {
    // (object_new cannot fail its argument checks: either __init__ is overridden or there are no
    // arguments)
    const tuple = _PyTuple_FromArray(args, nargs);
    if (tuple === NULL) return NULL;
    let obj = heapTypeAllocInstance(type);
    if (obj !== NULL) {
      // (read again: a collection during the allocation may have run code that changed it)
      const init = slotsOf(type).tp_init;
      if (init === slot_tp_init ? initFromVector(obj, tuple, args, nargs) < 0 : init !== undefined && init(obj, tuple, NULL) < 0) {
        Py_DECREF(obj);
        obj = NULL;
      }
    }
    Py_DECREF(tuple);
    return obj;
  }
  return typeCallVector(type, args, nargs, kwnames);
}
/** slot_tp_init(self, tuple, NULL) whose tuple holds the `nargs` objects at `args`: the method is
 *  called with the objects from `args` (the same ones callPrepend would copy from the tuple). */
function initFromVector(self: Ptr, tuple: Ptr, args: number, nargs: number): number {
  const meth = lookupMethod(self, s__init__);
  if (meth === NULL) return -1;
  let res: Ptr;
  if (unbound) {
    const scratch = dataStackPush(8 * (1 + nargs));
    if (scratch === NULL) res = PyErr_NoMemory();
    else {
      setField(scratch, self);
      for (let i = 0, d = (scratch + 8) >> 2, s = args >> 2; i < 2 * nargs; i++) I32[d + i] = I32[s + i];
      res = PyObject_Vectorcall(meth, scratch, 1 + nargs, NULL);
      dataStackPop(scratch);
    }
  } else res = PyObject_Call(meth, tuple, NULL);
  Py_DECREF(meth);
  return initResult(res);
}

function slot_tp_new(type: Ptr, args: Ptr, kwds: Ptr): Ptr {
  const func = PyObject_GetAttr(type, s__new__);
  if (func === NULL) return NULL;
  const r = callPrepend(func, type, args, kwds);
  Py_DECREF(func);
  return r;
}

/** Writes "Exception ignored in: ..." for errors escaping __del__ (≈ PyErr_WriteUnraisable);
 *  the traceback module installs the real printer. */
export const unraisableHook = {
  write: null as ((obj: Ptr) => void) | null,
};
function writeUnraisable(obj: Ptr): void {
  if (unraisableHook.write !== null) {
    unraisableHook.write(obj);
    return;
  }
  PyErr_Clear();
}

/** ≈ slot_tp_finalize: call __del__, saving and restoring a pending exception. */
function slot_tp_finalize(self: Ptr): void {
  const saved = PyErr_Occurred() !== NULL ? PyErr_Fetch() : NULL;
  const del = lookupMaybeMethod(self, s__del__);
  if (del !== NULL) {
    const res = callUnbound(del, unbound, self, 0, NULL, NULL);
    if (res === NULL) writeUnraisable(del);
    else Py_DECREF(res);
    Py_DECREF(del);
  } else if (PyErr_Occurred() !== NULL) {
    PyErr_Clear();
  }
  if (saved !== NULL) PyErr_Restore(saved);
}

function slot_tp_getattro(self: Ptr, name: Ptr): Ptr {
  return callMethod(s__getattribute__, self, 1, name, NULL);
}
/** ≈ call_attribute: bind `attr` (a descriptor on type(self)) and call it with name. */
function callAttribute(self: Ptr, attr: Ptr, name: Ptr): Ptr {
  const f = slotsOf(Py_TYPE(attr)).tp_descr_get;
  let bound = attr;
  if (f !== undefined) {
    bound = f(attr, self, Py_TYPE(self));
    if (bound === NULL) return NULL;
  } else {
    Py_INCREF(bound);
  }
  const r = PyObject_CallOneArg(bound, name);
  Py_DECREF(bound);
  return r;
}
/** ≈ slot_tp_getattr_hook: __getattribute__ (generic or user), then __getattr__ on AttributeError. */
function slot_tp_getattr_hook(self: Ptr, name: Ptr): Ptr {
  const tp = Py_TYPE(self);
  const getattr = _PyType_Lookup(tp, s__getattr__);
  if (getattr === NULL) {
    slotsOf(tp).tp_getattro = slot_tp_getattro;
    return slot_tp_getattro(self, name);
  }
  Py_INCREF(getattr);
  const getattribute = _PyType_Lookup(tp, s__getattribute__);
  let res: Ptr;
  if (getattribute === NULL || wrapperFunction(getattribute) === PyObject_GenericGetAttr) {
    res = PyObject_GenericGetAttr(self, name);
  } else {
    Py_INCREF(getattribute);
    res = callAttribute(self, getattribute, name);
    Py_DECREF(getattribute);
  }
  if (res === NULL && PyErr_ExceptionMatches(PyExc_AttributeError)) {
    PyErr_Clear();
    res = callAttribute(self, getattr, name);
  }
  Py_DECREF(getattr);
  return res;
}
function slot_tp_setattro(self: Ptr, name: Ptr, value: Ptr): number {
  const r = value === NULL ? callMethod(s__delattr__, self, 1, name, NULL) : callMethod(s__setattr__, self, 2, name, value);
  if (r === NULL) return -1;
  Py_DECREF(r);
  return 0;
}

// ---- sequence / mapping ----
/** ≈ slot_sq_length (also mp_length): __len__ as a non-negative index. */
function slot_sq_length(self: Ptr): number {
  const res = callMethod(s__len__, self, 0, NULL, NULL);
  if (res === NULL) return -1;
  const idx = PyNumber_Index(res);
  Py_DECREF(res);
  if (idx === NULL) return -1;
  const big = PyLong_AsBigInt(idx);
  if (big < 0n) {
    Py_DECREF(idx);
    PyErr_SetString(PyExc_ValueError, '__len__() should return >= 0');
    return -1;
  }
  const len = PyNumber_AsSsize_t(idx, PyExc_OverflowError);
  Py_DECREF(idx);
  if (len === -1 && PyErr_Occurred() !== NULL) return -1;
  return len;
}
function slot_sq_item(self: Ptr, i: number): Ptr {
  const ival = PyLong_FromNumber(i);
  if (ival === NULL) return NULL;
  const r = callMethod(s__getitem__, self, 1, ival, NULL);
  Py_DECREF(ival);
  return r;
}
function slot_sq_ass_item(self: Ptr, i: number, value: Ptr): number {
  const ival = PyLong_FromNumber(i);
  if (ival === NULL) return -1;
  const r = value === NULL ? callMethod(s__delitem__, self, 1, ival, NULL) : callMethod(s__setitem__, self, 2, ival, value);
  Py_DECREF(ival);
  if (r === NULL) return -1;
  Py_DECREF(r);
  return 0;
}
/** ≈ slot_sq_contains: __contains__, None = not a container, missing = iterate. */
function slot_sq_contains(self: Ptr, value: Ptr): number {
  const func = lookupMaybeMethod(self, s__contains__);
  if (func === Py_None) {
    Py_DECREF(func);
    PyErr_SetString(PyExc_TypeError, `'${tpName(self)}' object is not a container`);
    return -1;
  }
  if (func !== NULL) {
    const res = callUnbound(func, unbound, self, 1, value, NULL);
    Py_DECREF(func);
    if (res === NULL) return -1;
    const r = PyObject_IsTrue(res);
    Py_DECREF(res);
    return r;
  }
  if (PyErr_Occurred() !== NULL) return -1;
  return iterSearchContains(self, value);
}
import { PyObject_GetIter, PyIter_Next, PyObject_RichCompareBool } from '../abstract.js';
function iterSearchContains(seq: Ptr, obj: Ptr): number {
  const it = PyObject_GetIter(seq);
  if (it === NULL) return -1;
  for (;;) {
    const item = PyIter_Next(it);
    if (item === NULL) {
      Py_DECREF(it);
      return PyErr_Occurred() !== NULL ? -1 : 0;
    }
    const c = PyObject_RichCompareBool(item, obj, Py_EQ);
    Py_DECREF(item);
    if (c !== 0) {
      Py_DECREF(it);
      return c;
    }
  }
}
function slot_mp_subscript(self: Ptr, key: Ptr): Ptr {
  return callMethod(s__getitem__, self, 1, key, NULL);
}
function slot_mp_ass_subscript(self: Ptr, key: Ptr, value: Ptr): number {
  const r = value === NULL ? callMethod(s__delitem__, self, 1, key, NULL) : callMethod(s__setitem__, self, 2, key, value);
  if (r === NULL) return -1;
  Py_DECREF(r);
  return 0;
}

// ---- numbers ----
/** ≈ slot_nb_bool: __bool__ must return a bool; without it __len__ decides; else true. */
function slot_nb_bool(self: Ptr): number {
  let usingLen = false;
  let func = lookupMaybeMethod(self, s__bool__);
  if (func === NULL) {
    if (PyErr_Occurred() !== NULL) return -1;
    func = lookupMaybeMethod(self, s__len__);
    if (func === NULL) return PyErr_Occurred() !== NULL ? -1 : 1;
    usingLen = true;
  }
  const res = callUnbound(func, unbound, self, 0, NULL, NULL);
  Py_DECREF(func);
  if (res === NULL) return -1;
  let result: number;
  if (usingLen) {
    result = PyObject_IsTrue(res);
  } else if (PyBool_Check(res)) {
    result = res === Py_True ? 1 : 0;
  } else {
    PyErr_SetString(PyExc_TypeError, `__bool__ should return bool, returned ${tpName(res)}`);
    result = -1;
  }
  Py_DECREF(res);
  return result;
}

/** ≈ method_is_overloaded: does type(right) define `name` differently from type(left)? */
function methodIsOverloaded(left: Ptr, right: Ptr, name: Ptr): boolean {
  const b = _PyType_Lookup(Py_TYPE(right), name);
  if (b === NULL) return false;
  const a = _PyType_Lookup(Py_TYPE(left), name);
  return a !== b;
}

/** Generic binary number slots, one per slot (≈ SLOT1BINFULL): the slot function is its own
 *  identity test, as CPython's TESTFUNC. */
const binarySlotFns = new Map<SlotName, binaryfunc>();
function makeBinarySlot(slot: SlotName, opName: string, ropName: string, testFn?: unknown): binaryfunc {
  const opStr = intern(opName);
  const ropStr = intern(ropName);
  const fn: binaryfunc = (self: Ptr, other: Ptr): Ptr => {
    const test = testFn ?? fn;
    const ts0 = Py_TYPE(self);
    const to = Py_TYPE(other);
    let doOther = ts0 !== to && (slotsOf(to) as unknown as Record<string, unknown>)[slot] === test;
    if ((slotsOf(ts0) as unknown as Record<string, unknown>)[slot] === test) {
      if (doOther && PyType_IsSubtype(to, ts0)) {
        if (methodIsOverloaded(self, other, ropStr)) {
          const r = callMaybe(ropStr, other, 1, self, NULL);
          if (r !== Py_NotImplemented) return r;
          Py_DECREF(r);
          doOther = false;
        }
      }
      const r = callMaybe(opStr, self, 1, other, NULL);
      if (r !== Py_NotImplemented || to === ts0) return r;
      Py_DECREF(r);
    }
    if (doOther) return callMaybe(ropStr, other, 1, self, NULL);
    Py_INCREF(Py_NotImplemented);
    return Py_NotImplemented;
  };
  binarySlotFns.set(slot, fn);
  return fn;
}
const slot_nb_add = makeBinarySlot('nb_add', '__add__', '__radd__');
const slot_nb_subtract = makeBinarySlot('nb_subtract', '__sub__', '__rsub__');
const slot_nb_multiply = makeBinarySlot('nb_multiply', '__mul__', '__rmul__');
const slot_nb_remainder = makeBinarySlot('nb_remainder', '__mod__', '__rmod__');
const slot_nb_divmod = makeBinarySlot('nb_divmod', '__divmod__', '__rdivmod__');
const slot_nb_lshift = makeBinarySlot('nb_lshift', '__lshift__', '__rlshift__');
const slot_nb_rshift = makeBinarySlot('nb_rshift', '__rshift__', '__rrshift__');
const slot_nb_and = makeBinarySlot('nb_and', '__and__', '__rand__');
const slot_nb_xor = makeBinarySlot('nb_xor', '__xor__', '__rxor__');
const slot_nb_or = makeBinarySlot('nb_or', '__or__', '__ror__');
const slot_nb_floor_divide = makeBinarySlot('nb_floor_divide', '__floordiv__', '__rfloordiv__');
const slot_nb_true_divide = makeBinarySlot('nb_true_divide', '__truediv__', '__rtruediv__');
const slot_nb_matrix_multiply = makeBinarySlot('nb_matrix_multiply', '__matmul__', '__rmatmul__');
const slot_nb_power_binary = makeBinarySlot('nb_power', '__pow__', '__rpow__', slot_nb_power);

/** ≈ slot_nb_power: two-argument pow through SLOT1BINFULL; three-argument only via __pow__. */
function slot_nb_power(self: Ptr, other: Ptr, modulus: Ptr): Ptr {
  if (modulus === Py_None) return slot_nb_power_binary(self, other);
  if (slotsOf(Py_TYPE(self)).nb_power === (slot_nb_power as ternaryfunc)) return callMethod(s__pow__, self, 2, other, modulus);
  Py_INCREF(Py_NotImplemented);
  return Py_NotImplemented;
}
/** in-place and unary slots (≈ SLOT1 / SLOT0): call the dunder, which must exist */
function makeInplaceSlot(opName: string): binaryfunc {
  const s = intern(opName);
  return (self: Ptr, other: Ptr): Ptr => callMethod(s, self, 1, other, NULL);
}
function makeUnarySlot(opName: string): unaryfunc {
  const s = intern(opName);
  return (self: Ptr): Ptr => callMethod(s, self, 0, NULL, NULL);
}
const s__ipow__ = intern('__ipow__');
function slot_nb_inplace_power(self: Ptr, other: Ptr, _mod: Ptr): Ptr {
  return callMethod(s__ipow__, self, 1, other, NULL);
}

/** The generic function of each slot (≈ the `function` column of slotdefs); slots missing here
 *  (sq_concat, sq_repeat, sq_inplace_*) have none: classes only get them from built-in bases. */
const GENERIC: Partial<Record<SlotName, unknown>> = {
  tp_getattro: slot_tp_getattr_hook,
  tp_setattro: slot_tp_setattro,
  tp_repr: slot_tp_repr,
  tp_hash: slot_tp_hash,
  tp_call: slot_tp_call,
  tp_str: slot_tp_str,
  tp_richcompare: slot_tp_richcompare,
  tp_iter: slot_tp_iter,
  tp_iternext: slot_tp_iternext,
  tp_descr_get: slot_tp_descr_get,
  tp_descr_set: slot_tp_descr_set,
  tp_init: slot_tp_init,
  tp_finalize: slot_tp_finalize,
  nb_add: slot_nb_add,
  nb_subtract: slot_nb_subtract,
  nb_multiply: slot_nb_multiply,
  nb_remainder: slot_nb_remainder,
  nb_divmod: slot_nb_divmod,
  nb_power: slot_nb_power,
  nb_negative: makeUnarySlot('__neg__'),
  nb_positive: makeUnarySlot('__pos__'),
  nb_absolute: makeUnarySlot('__abs__'),
  nb_bool: slot_nb_bool,
  nb_invert: makeUnarySlot('__invert__'),
  nb_lshift: slot_nb_lshift,
  nb_rshift: slot_nb_rshift,
  nb_and: slot_nb_and,
  nb_xor: slot_nb_xor,
  nb_or: slot_nb_or,
  nb_int: makeUnarySlot('__int__'),
  nb_float: makeUnarySlot('__float__'),
  nb_index: makeUnarySlot('__index__'),
  nb_inplace_add: makeInplaceSlot('__iadd__'),
  nb_inplace_subtract: makeInplaceSlot('__isub__'),
  nb_inplace_multiply: makeInplaceSlot('__imul__'),
  nb_inplace_remainder: makeInplaceSlot('__imod__'),
  nb_inplace_power: slot_nb_inplace_power,
  nb_inplace_lshift: makeInplaceSlot('__ilshift__'),
  nb_inplace_rshift: makeInplaceSlot('__irshift__'),
  nb_inplace_and: makeInplaceSlot('__iand__'),
  nb_inplace_xor: makeInplaceSlot('__ixor__'),
  nb_inplace_or: makeInplaceSlot('__ior__'),
  nb_floor_divide: slot_nb_floor_divide,
  nb_true_divide: slot_nb_true_divide,
  nb_inplace_floor_divide: makeInplaceSlot('__ifloordiv__'),
  nb_inplace_true_divide: makeInplaceSlot('__itruediv__'),
  nb_matrix_multiply: slot_nb_matrix_multiply,
  nb_inplace_matrix_multiply: makeInplaceSlot('__imatmul__'),
  mp_length: slot_sq_length,
  mp_subscript: slot_mp_subscript,
  mp_ass_subscript: slot_mp_ass_subscript,
  sq_length: slot_sq_length,
  sq_item: slot_sq_item,
  sq_ass_item: slot_sq_ass_item,
  sq_contains: slot_sq_contains,
};

// =====================================================================================
// slot resolution (≈ update_one_slot, fixup_slot_dispatchers, update_slot)
// =====================================================================================

/** The slotdef indices of each slot (the slots a dunder name can fill). */
const slotGroups = new Map<SlotName, number[]>();
for (let i = 0; i < slotdefs.length; i++) {
  const g = slotGroups.get(slotdefs[i].slot);
  if (g === undefined) slotGroups.set(slotdefs[i].slot, [i]);
  else g.push(i);
}

/** The slot function behind a slot wrapper descriptor (`object.__getattribute__`...), else undefined. */
function wrapperFunction(descr: Ptr): unknown {
  if (Py_TYPE(descr) !== PyWrapperDescr_Type) return undefined;
  const sd = slotdefs[I32[(descr + D_BASE) >> 2]];
  return (slotsOf(I32[(descr + D_TYPE) >> 2]) as unknown as Record<string, unknown>)[sd.slot];
}

/** ≈ find_name_in_mro, also reporting the type whose dict held the name (in mroOwner). */
let mroOwner: Ptr = NULL;
function findNameInMro(type: Ptr, name: Ptr): Ptr {
  const mro = field(type + TP_MRO);
  if (mro === NULL) return NULL;
  const n = PyTuple_GET_SIZE(mro);
  for (let i = 0; i < n; i++) {
    const base = PyTuple_GET_ITEM(mro, i);
    const dict = field(base + TP_DICT);
    if (dict === NULL) continue;
    const v = PyDict_GetItem(dict, name);
    if (v !== NULL) {
      mroOwner = base;
      return v;
    }
  }
  return NULL;
}

/** ≈ update_one_slot: the function `slot` of `type` gets from the names along its MRO. */
function resolveSlot(type: Ptr, slot: SlotName): unknown {
  if (slot === 'tp_getattro') {
    if (findNameInMro(type, s__getattr__) !== NULL) return slot_tp_getattr_hook;
    const d = findNameInMro(type, s__getattribute__);
    if (d === NULL) return undefined;
    if (Py_TYPE(d) === PyWrapperDescr_Type && slotdefs[I32[(d + D_BASE) >> 2]].slot === 'tp_getattro' && PyType_IsSubtype(type, I32[(d + D_TYPE) >> 2])) {
      return wrapperFunction(d);
    }
    return slot_tp_getattro;
  }
  if (slot === 'tp_new') {
    const d = findNameInMro(type, s__new__);
    if (d === NULL) return undefined;
    if (!isHeapType(mroOwner)) return slotsOf(mroOwner).tp_new;
    return slot_tp_new;
  }
  const group = slotGroups.get(slot);
  if (group === undefined) return undefined;
  let specific: unknown = undefined;
  let generic: unknown = undefined;
  let useGeneric = false;
  for (const i of group) {
    const descr = findNameInMro(type, slotdefNames[i]);
    if (descr === NULL) continue;
    if (Py_TYPE(descr) === PyWrapperDescr_Type && slotdefs[I32[(descr + D_BASE) >> 2]].name === slotdefs[i].name) {
      const dsd = slotdefs[I32[(descr + D_BASE) >> 2]];
      const dtype = I32[(descr + D_TYPE) >> 2];
      const fn = (slotsOf(dtype) as unknown as Record<string, unknown>)[dsd.slot];
      if (dsd.slot === slot && dsd.kind === slotdefs[i].kind && (specific === undefined || specific === fn) && PyType_IsSubtype(type, dtype)) {
        specific = fn;
      } else {
        useGeneric = true;
        generic = GENERIC[slot];
      }
    } else if (descr === Py_None && slot === 'tp_hash') {
      specific = PyObject_HashNotImplemented;
    } else {
      useGeneric = true;
      generic = GENERIC[slot];
    }
  }
  return specific !== undefined && !useGeneric ? specific : generic;
}

const ALL_SLOTS: SlotName[] = ([...slotGroups.keys(), "tp_getattro", "tp_new"] as SlotName[]).filter((v, i, a) => a.indexOf(v) === i);

/** Recompute one slot of a class (and the vectorcall entry that follows tp_call). */
function updateOneSlot(type: Ptr, slot: SlotName): void {
  const s = slotsOf(type) as unknown as Record<string, unknown>;
  s[slot] = resolveSlot(type, slot);
  if (slot === 'tp_call') {
    const call = s.tp_call;
    if (call === undefined) {
      s.ob_vectorcall = undefined;
    } else if (call === slot_tp_call) {
      s.ob_vectorcall = slot_vectorcall_call;
    } else {
      // the built-in type the call slot comes from tells how its instances are vectorcalled
      let vc: unknown = undefined;
      for (let b = field(type + TP_BASE); b !== NULL; b = field(b + TP_BASE)) {
        const bs = slotsOf(b);
        if (bs.tp_call === call) {
          vc = bs.ob_vectorcall;
          break;
        }
      }
      s.ob_vectorcall = vc;
    }
  }
}
/** ≈ fixup_slot_dispatchers */
function fixupSlotDispatchers(type: Ptr): void {
  for (const slot of ALL_SLOTS) updateOneSlot(type, slot);
}

/** ≈ update_slot: `name` (a dunder) changed in type's dict: recompute its slots in the type and
 *  in every subclass that does not define the name itself. */
function updateSlot(type: Ptr, name: Ptr): void {
  const slots: SlotName[] = [];
  if (unicode_eq(name, s__getattr__) || unicode_eq(name, s__getattribute__)) slots.push('tp_getattro');
  if (unicode_eq(name, s__new__)) slots.push('tp_new');
  for (let i = 0; i < slotdefs.length; i++) {
    if (unicode_eq(slotdefNames[i], name) && !slots.includes(slotdefs[i].slot)) slots.push(slotdefs[i].slot);
  }
  if (slots.length === 0) return;
  const visit = (t: Ptr, top: boolean): void => {
    if (!top) {
      const d = field(t + TP_DICT);
      if (d !== NULL && PyDict_GetItem(d, name) !== NULL) return;
    }
    if (isHeapType(t)) for (const s of slots) updateOneSlot(t, s);
    for (const sub of subclassesList(t)) visit(sub, false);
  };
  visit(type, true);
}

// =====================================================================================
// MRO (≈ mro_implementation, pmerge, set_mro_error, check_duplicates)
// =====================================================================================

function className(t: Ptr): string {
  return PyType_Check(t) ? unicodeToJs(field(t + TP_NAME)) : tpName(t);
}

/** ≈ mro_implementation: C3 linearization of type + its bases. New tuple reference or NULL. */
function mroImplementation(type: Ptr): Ptr {
  const bases = field(type + TP_BASES);
  const n = PyTuple_GET_SIZE(bases);
  for (let i = 0; i < n; i++) {
    const b = PyTuple_GET_ITEM(bases, i);
    if (field(b + TP_MRO) === NULL) {
      PyErr_SetString(PyExc_TypeError, `Cannot extend an incomplete type '${className(b)}'`);
      return NULL;
    }
  }
  if (n === 1) {
    const bmro = field(PyTuple_GET_ITEM(bases, 0) + TP_MRO);
    const k = PyTuple_GET_SIZE(bmro);
    const res = PyTuple_New(k + 1);
    if (res === NULL) return NULL;
    Py_INCREF(type);
    PyTuple_SET_ITEM(res, 0, type);
    for (let i = 0; i < k; i++) {
      const c = PyTuple_GET_ITEM(bmro, i);
      Py_INCREF(c);
      PyTuple_SET_ITEM(res, i + 1, c);
    }
    return res;
  }
  // check_duplicates
  for (let i = 0; i < n; i++) {
    const o = PyTuple_GET_ITEM(bases, i);
    for (let j = i + 1; j < n; j++) {
      if (PyTuple_GET_ITEM(bases, j) === o) {
        PyErr_SetString(PyExc_TypeError, `duplicate base class ${className(o)}`);
        return NULL;
      }
    }
  }
  const toMerge: Ptr[] = [];
  for (let i = 0; i < n; i++) toMerge.push(field(PyTuple_GET_ITEM(bases, i) + TP_MRO));
  toMerge.push(bases);
  const remain = new Array<number>(toMerge.length).fill(0);
  const acc: Ptr[] = [type];
  // ≈ pmerge
  const tailContains = (lst: Ptr, whence: number, o: Ptr): boolean => {
    const sz = PyTuple_GET_SIZE(lst);
    for (let j = whence + 1; j < sz; j++) if (PyTuple_GET_ITEM(lst, j) === o) return true;
    return false;
  };
  for (;;) {
    let emptyCnt = 0;
    let progressed = false;
    for (let i = 0; i < toMerge.length; i++) {
      const cur = toMerge[i];
      if (remain[i] >= PyTuple_GET_SIZE(cur)) {
        emptyCnt++;
        continue;
      }
      const candidate = PyTuple_GET_ITEM(cur, remain[i]);
      let skip = false;
      for (let j = 0; j < toMerge.length; j++) {
        if (tailContains(toMerge[j], remain[j], candidate)) {
          skip = true;
          break;
        }
      }
      if (skip) continue;
      acc.push(candidate);
      for (let j = 0; j < toMerge.length; j++) {
        const lst = toMerge[j];
        if (remain[j] < PyTuple_GET_SIZE(lst) && PyTuple_GET_ITEM(lst, remain[j]) === candidate) remain[j]++;
      }
      progressed = true;
      break;
    }
    if (progressed) continue;
    if (emptyCnt !== toMerge.length) {
      // ≈ set_mro_error: the blocked heads, in order, without duplicates
      const heads: Ptr[] = [];
      for (let i = 0; i < toMerge.length; i++) {
        if (remain[i] < PyTuple_GET_SIZE(toMerge[i])) {
          const c = PyTuple_GET_ITEM(toMerge[i], remain[i]);
          if (!heads.includes(c)) heads.push(c);
        }
      }
      PyErr_SetString(PyExc_TypeError, `Cannot create a consistent method resolution\norder (MRO) for bases ${heads.map(className).join(', ')}`);
      return NULL;
    }
    break;
  }
  const res = PyTuple_New(acc.length);
  if (res === NULL) return NULL;
  for (let i = 0; i < acc.length; i++) {
    Py_INCREF(acc[i]);
    PyTuple_SET_ITEM(res, i, acc[i]);
  }
  return res;
}

// =====================================================================================
// type_new (≈ type_new, type_new_impl, type_new_get_bases, best_base, type_new_slots,
// type_new_descriptors, type_new_set_attrs, type_ready for heap types)
// =====================================================================================

/** The built-in `type` keeps tp_dict at offset 264 and a weakref list at 368 in CPython; classes
 *  deriving from it must not add either. */
function baseDictOffset(t: Ptr): number {
  if ((flagsOf(t) & Py_TPFLAGS_TYPE_SUBCLASS) !== 0 && !isHeapType(t)) return 264;
  const off = I32[(t + TP_DICTOFFSET) >> 2];
  if (off !== 0) return off;
  return (flagsOf(t) & Py_TPFLAGS_MANAGED_DICT) !== 0 ? -1 : 0;
}
function baseWeaklistOffset(t: Ptr): number {
  if ((flagsOf(t) & Py_TPFLAGS_TYPE_SUBCLASS) !== 0 && !isHeapType(t)) return 368;
  return I32[(t + TP_WEAKLISTOFFSET) >> 2];
}
function baseItemSize(t: Ptr): number {
  if ((flagsOf(t) & Py_TPFLAGS_TYPE_SUBCLASS) !== 0) return HEAPTYPE_ITEMSIZE;
  return I32[(t + TP_ITEMSIZE) >> 2];
}
function baseBasicSize(t: Ptr): number {
  if ((flagsOf(t) & Py_TPFLAGS_TYPE_SUBCLASS) !== 0 && !isHeapType(t)) return HEAPTYPE_BASICSIZE;
  return I32[(t + TP_BASICSIZE) >> 2];
}

/** ≈ extra_ivars */
function extraIvars(type: Ptr, base: Ptr): boolean {
  let tSize = baseBasicSize(type);
  const bSize = baseBasicSize(base);
  if (baseItemSize(type) || baseItemSize(base)) return tSize !== bSize || baseItemSize(type) !== baseItemSize(base);
  const wl = baseWeaklistOffset(type);
  if (wl && baseWeaklistOffset(base) === 0 && wl + 8 === tSize && isHeapType(type)) tSize -= 8;
  const dOff = I32[(type + TP_DICTOFFSET) >> 2];
  if (dOff > 0 && baseDictOffset(base) === 0 && dOff + 8 === tSize && isHeapType(type)) tSize -= 8;
  return tSize !== bSize;
}
/** ≈ solid_base */
function solidBase(type: Ptr): Ptr {
  const tb = field(type + TP_BASE);
  const base = tb !== NULL ? solidBase(tb) : PyBaseObject_Type;
  return extraIvars(type, base) ? type : base;
}
/** ≈ best_base: the base whose layout the new class extends. Borrowed, or NULL with TypeError. */
function bestBase(bases: Ptr): Ptr {
  const n = PyTuple_GET_SIZE(bases);
  let base: Ptr = NULL;
  let winner: Ptr = NULL;
  for (let i = 0; i < n; i++) {
    const b = PyTuple_GET_ITEM(bases, i);
    if (!PyType_Check(b)) {
      PyErr_SetString(PyExc_TypeError, 'bases must be types');
      return NULL;
    }
    if ((flagsOf(b) & Py_TPFLAGS_BASETYPE) === 0) {
      PyErr_SetString(PyExc_TypeError, `type '${typeName(b)}' is not an acceptable base type`);
      return NULL;
    }
    const candidate = solidBase(b);
    if (winner === NULL) {
      winner = candidate;
      base = b;
    } else if (PyType_IsSubtype(winner, candidate)) {
      // keep
    } else if (PyType_IsSubtype(candidate, winner)) {
      winner = candidate;
      base = b;
    } else {
      PyErr_SetString(PyExc_TypeError, 'multiple bases have instance lay-out conflict');
      return NULL;
    }
  }
  return base;
}

/** ≈ _PyType_CalculateMetaclass. Borrowed, or NULL with TypeError. */
export function _PyType_CalculateMetaclass(metatype: Ptr, bases: Ptr): Ptr {
  let winner = metatype;
  const n = PyTuple_GET_SIZE(bases);
  for (let i = 0; i < n; i++) {
    const tmp = Py_TYPE(PyTuple_GET_ITEM(bases, i));
    if (PyType_IsSubtype(winner, tmp)) continue;
    if (PyType_IsSubtype(tmp, winner)) {
      winner = tmp;
      continue;
    }
    PyErr_SetString(PyExc_TypeError, 'metaclass conflict: the metaclass of a derived class must be a (non-strict) subclass of the metaclasses of all its bases');
    return NULL;
  }
  return winner;
}

const IDENT_RE = /^[\p{L}\p{Nl}_\u1885\u1886\u2118\u212e\u309b\u309c][\p{L}\p{Nl}\p{Mn}\p{Mc}\p{Nd}\p{Pc}_\u00b7\u0387\u1369-\u1371\u19da]*$/u;

/** ≈ _Py_Mangle for a __slots__ name: `__x` inside class `_A` becomes `_A__x`. New reference. */
function mangle(className0: string, name: Ptr): Ptr {
  const s = unicodeToJs(name);
  if (!s.startsWith('__') || s.endsWith('__') || s.includes('.')) {
    Py_INCREF(name);
    return name;
  }
  const stripped = className0.replace(/^_+/, '');
  if (stripped === '') {
    Py_INCREF(name);
    return name;
  }
  return PyUnicode_FromString(`_${stripped}${s}`);
}

/** Allocate a class object the way CPython's PyType_GenericAlloc(metatype, nslots) does:
 *  904 + 40·(nslots + 1) bytes plus the GC head, zeroed and tracked. New reference or NULL. */
function allocHeapType(metatype: Ptr, nslots: number): Ptr {
  const size = HEAPTYPE_BASICSIZE + HEAPTYPE_ITEMSIZE * (nslots + 1);
  const mem = PyObject_Malloc(16 + size);
  if (mem === NULL) return PyErr_NoMemory();
  U8.fill(0, mem, mem + 16 + size);
  const t = mem + 16;
  _PyObject_GC_Link();
  PyObject_Init(t, metatype, isHeapType(metatype));
  I32[(t + 16) >> 2] = nslots; // ob_size: the number of __slots__ members
  PyObject_GC_Track(t);
  return t;
}
import { PyObject_Init } from '../object.js';
import { _PyObject_GC_Link } from '../gc.js';

/** The class's JS-side record: slots derived from its dict; registered under its TP_ID. */
function newHeapSlots(type: Ptr, base: Ptr, name: string): Slots {
  const s = new Slots();
  s.name = name;
  inheritSlots(s, slotsOf(base));
  s.tp_dealloc = subtype_dealloc;
  s.tp_traverse = subtype_traverse;
  s.tp_clear = subtype_clear;
  s.tp_free = PyObject_GC_Del;
  s.tp_vectorcall = heap_type_vectorcall;
  registerTypeSlots(type, s);
  return s;
}

function dictGetStr(dict: Ptr, name: Ptr): Ptr {
  return PyDict_GetItem(dict, name);
}

/** ≈ type_new: type(name, bases, dict, **kwds) and class statements. New reference or NULL. */
export function type_new(metatype: Ptr, args: Ptr, kwds: Ptr): Ptr {
  initNames();
  const nargs = PyTuple_GET_SIZE(args);
  if (metatype === PyType_Type && nargs === 1 && (kwds === NULL || PyDict_GET_SIZE(kwds) === 0)) {
    const t = Py_TYPE(PyTuple_GET_ITEM(args, 0));
    Py_INCREF(t);
    return t;
  }
  if (metatype === PyType_Type && nargs !== 3) {
    PyErr_SetString(PyExc_TypeError, 'type() takes 1 or 3 arguments');
    return NULL;
  }
  if (nargs !== 3) {
    PyErr_SetString(PyExc_TypeError, `type.__new__() takes exactly 3 arguments (${nargs} given)`);
    return NULL;
  }
  const name = PyTuple_GET_ITEM(args, 0);
  let bases = PyTuple_GET_ITEM(args, 1);
  const origDict = PyTuple_GET_ITEM(args, 2);
  if (!PyUnicode_Check(name)) {
    PyErr_SetString(PyExc_TypeError, `type.__new__() argument 1 must be str, not ${tpName(name)}`);
    return NULL;
  }
  if (!PyTuple_Check(bases)) {
    PyErr_SetString(PyExc_TypeError, `type.__new__() argument 2 must be tuple, not ${tpName(bases)}`);
    return NULL;
  }
  if (!PyDict_Check(origDict)) {
    PyErr_SetString(PyExc_TypeError, `type.__new__() argument 3 must be dict, not ${tpName(origDict)}`);
    return NULL;
  }
  // metaclass
  const winner = _PyType_CalculateMetaclass(metatype, bases);
  if (winner === NULL) return NULL;
  if (winner !== metatype) {
    const tn = slotsOf(winner).tp_new;
    if (tn !== undefined && tn !== type_new) return tn(winner, args, kwds);
    metatype = winner;
  }
  // bases
  if (PyTuple_GET_SIZE(bases) === 0) {
    bases = PyTuple_Pack(1, PyBaseObject_Type);
    if (bases === NULL) return NULL;
  } else {
    Py_INCREF(bases);
  }
  const base = bestBase(bases);
  if (base === NULL) {
    Py_DECREF(bases);
    return NULL;
  }
  const r = typeNewImpl(metatype, name, bases, base, origDict, kwds);
  Py_DECREF(bases);
  return r;
}

function typeNewImpl(metatype: Ptr, name: Ptr, bases: Ptr, base: Ptr, origDict: Ptr, kwds: Ptr): Ptr {
  const nameJs = unicodeToJs(name);
  if (nameJs.includes('\0')) {
    PyErr_SetString(PyExc_ValueError, 'type name must not contain null characters');
    return NULL;
  }
  const dict = PyDict_Copy(origDict);
  if (dict === NULL) return NULL;
  const isTypeBase = (flagsOf(base) & Py_TPFLAGS_TYPE_SUBCLASS) !== 0;
  const baseItem = isTypeBase ? HEAPTYPE_ITEMSIZE : I32[(base + TP_ITEMSIZE) >> 2];
  const mayAddDict = baseDictOffset(base) === 0;
  const mayAddWeak = baseWeaklistOffset(base) === 0 && baseItem === 0;
  let addDict = 0;
  let addWeak = 0;
  // ---- __slots__ (≈ type_new_slots_impl / type_new_visit_slots / type_new_copy_slots) ----
  let htSlots: Ptr = NULL;
  const slotsObj = dictGetStr(dict, s__slots__);
  if (slotsObj === NULL) {
    if (mayAddDict) addDict++;
    if (mayAddWeak) addWeak++;
  } else {
    let slots: Ptr;
    if (PyUnicode_Check(slotsObj)) {
      slots = PyTuple_Pack(1, slotsObj);
    } else {
      slots = PySequence_Tuple(slotsObj);
    }
    if (slots === NULL) {
      Py_DECREF(dict);
      return NULL;
    }
    const nslot = PyTuple_GET_SIZE(slots);
    if (nslot > 0 && baseItem !== 0) {
      Py_DECREF(slots);
      Py_DECREF(dict);
      PyErr_SetString(PyExc_TypeError, `nonempty __slots__ not supported for subtype of '${typeName(base)}'`);
      return NULL;
    }
    for (let i = 0; i < nslot; i++) {
      const nm = PyTuple_GET_ITEM(slots, i);
      if (!PyUnicode_Check(nm)) {
        PyErr_SetString(PyExc_TypeError, `__slots__ items must be strings, not '${tpName(nm)}'`);
        Py_DECREF(slots);
        Py_DECREF(dict);
        return NULL;
      }
      if (!IDENT_RE.test(unicodeToJs(nm))) {
        PyErr_SetString(PyExc_TypeError, '__slots__ must be identifiers');
        Py_DECREF(slots);
        Py_DECREF(dict);
        return NULL;
      }
      if (unicode_eq(nm, s__dict__)) {
        if (!mayAddDict || addDict !== 0) {
          PyErr_SetString(PyExc_TypeError, '__dict__ slot disallowed: we already got one');
          Py_DECREF(slots);
          Py_DECREF(dict);
          return NULL;
        }
        addDict++;
      }
      if (unicode_eq(nm, s__weakref__)) {
        if (!mayAddWeak || addWeak !== 0) {
          PyErr_SetString(PyExc_TypeError, '__weakref__ slot disallowed: either we already got one, or __itemsize__ != 0');
          Py_DECREF(slots);
          Py_DECREF(dict);
          return NULL;
        }
        addWeak++;
      }
    }
    // copy the names other than __dict__/__weakref__, mangled, checked against class variables, sorted
    const newslots = PyList_New(0);
    if (newslots === NULL) {
      Py_DECREF(slots);
      Py_DECREF(dict);
      return NULL;
    }
    for (let i = 0; i < nslot; i++) {
      const nm = PyTuple_GET_ITEM(slots, i);
      if (unicode_eq(nm, s__dict__) || unicode_eq(nm, s__weakref__)) continue;
      const m = mangle(nameJs, nm);
      if (m === NULL || PyList_Append(newslots, m) < 0) {
        Py_XDECREF(m);
        Py_DECREF(newslots);
        Py_DECREF(slots);
        Py_DECREF(dict);
        return NULL;
      }
      Py_DECREF(m);
    }
    for (let i = 0; i < PyList_GET_SIZE(newslots); i++) {
      const m = PyList_GET_ITEM(newslots, i);
      if (PyDict_GetItem(dict, m) !== NULL) {
        // CPython allows a class variable named like a slot only for __qualname__/__classcell__
        if (!unicode_eq(m, s__qualname__) && !unicode_eq(m, s__classcell__)) {
          const rr = PyObject_Repr(m);
          PyErr_SetString(PyExc_ValueError, `${rr === NULL ? '?' : unicodeToJs(rr)} in __slots__ conflicts with class variable`);
          Py_XDECREF(rr);
          Py_DECREF(newslots);
          Py_DECREF(slots);
          Py_DECREF(dict);
          return NULL;
        }
      }
    }
    if (PyList_Sort(newslots) < 0) {
      Py_DECREF(newslots);
      Py_DECREF(slots);
      Py_DECREF(dict);
      return NULL;
    }
    Py_DECREF(slots);
    htSlots = PyList_AsTuple(newslots);
    Py_DECREF(newslots);
    if (htSlots === NULL) {
      Py_DECREF(dict);
      return NULL;
    }
    // secondary bases may provide weakrefs or a dict
    const nbases = PyTuple_GET_SIZE(bases);
    if (nbases > 1 && ((mayAddDict && addDict === 0) || (mayAddWeak && addWeak === 0))) {
      for (let i = 0; i < nbases; i++) {
        const b = PyTuple_GET_ITEM(bases, i);
        if (b === base) continue;
        if (mayAddDict && addDict === 0 && baseDictOffset(b) !== 0) addDict++;
        if (mayAddWeak && addWeak === 0 && baseWeaklistOffset(b) !== 0) addWeak++;
        if ((!mayAddDict || addDict) && (!mayAddWeak || addWeak)) break;
      }
    }
  }
  const nslots = htSlots === NULL ? 0 : PyTuple_GET_SIZE(htSlots);

  // ---- allocate and fill (≈ type_new_alloc / type_new_init) ----
  const type = allocHeapType(metatype, nslots);
  if (type === NULL) {
    Py_XDECREF(htSlots);
    Py_DECREF(dict);
    return NULL;
  }
  const slotsRec = newHeapSlots(type, base, nameJs);
  let fl = Py_TPFLAGS_HEAPTYPE | Py_TPFLAGS_BASETYPE | Py_TPFLAGS_HAVE_GC;
  fl |= flagsOf(base) & (0xff << 24); // LONG_SUBCLASS... TYPE_SUBCLASS (≈ inherit_special)
  I32[(type + TP_FLAGS) >> 2] = fl;
  Py_INCREF(name);
  setField(type + TP_NAME, name);
  Py_INCREF(name);
  setField(type + HT_NAME, name);
  Py_INCREF(base);
  setField(type + TP_BASE, base);
  Py_INCREF(bases);
  setField(type + TP_BASES, bases);
  setField(type + TP_DICT, dict);
  setField(type + HT_SLOTS, htSlots);

  if (typeNewSetAttrs(type, base, nameJs, dict, htSlots, addDict, addWeak) < 0 || typeReadyHeap(type, slotsRec) < 0) {
    Py_DECREF(type);
    return NULL;
  }
  fixupSlotDispatchers(type);
  if ((flagsOf(type) & Py_TPFLAGS_MANAGED_DICT) !== 0) setField(type + HT_CACHED_KEYS, newKeysForClass());
  if (typeNewSetNames(type) < 0 || typeNewInitSubclass(type, kwds) < 0) {
    Py_DECREF(type);
    return NULL;
  }
  return type;
}

/** ≈ type_new_set_attrs + type_new_descriptors + type_new_set_classcell. 0 / -1. */
function typeNewSetAttrs(type: Ptr, base: Ptr, nameJs: string, dict: Ptr, htSlots: Ptr, addDict: number, addWeak: number): number {
  // __module__ from the calling frame's globals
  if (PyDict_GetItem(dict, s__module__) === NULL && ts.frame !== NULL) {
    const globals = field(ts.frame + F_GLOBALS);
    if (globals !== NULL) {
      const mod = PyDict_GetItem(globals, s__name__);
      if (mod !== NULL && PyDict_SetItem(dict, s__module__, mod) < 0) return -1;
    }
  }
  // __qualname__
  const qn = PyDict_GetItem(dict, s__qualname__);
  if (qn !== NULL) {
    if (!PyUnicode_Check(qn)) {
      PyErr_SetString(PyExc_TypeError, `type __qualname__ must be a str, not ${tpName(qn)}`);
      return -1;
    }
    Py_INCREF(qn);
    setField(type + HT_QUALNAME, qn);
    if (PyDict_DelItem(dict, s__qualname__) < 0) return -1;
  } else {
    const n = field(type + HT_NAME);
    Py_INCREF(n);
    setField(type + HT_QUALNAME, n);
  }
  // tp_doc: a copy of a str __doc__ (PyObject_Malloc'd, as CPython keeps it)
  const doc = PyDict_GetItem(dict, s__doc__);
  if (doc !== NULL && PyUnicode_Check(doc)) {
    const bytes = Buffer.from(unicodeToJs(doc), 'utf8');
    const p = PyObject_Malloc(bytes.length + 1);
    if (p === NULL) {
      PyErr_NoMemory();
      return -1;
    }
    U8.set(bytes, p);
    U8[p + bytes.length] = 0;
    setField(type + TPX_DOC, p);
  }
  // __new__ → staticmethod; __init_subclass__ / __class_getitem__ → classmethod
  const nw = PyDict_GetItem(dict, s__new__);
  if (nw !== NULL && Py_TYPE(nw) === PyFunction_Type) {
    const sm = PyStaticMethod_New(nw);
    if (sm === NULL || PyDict_SetItem(dict, s__new__, sm) < 0) return -1;
    Py_DECREF(sm);
  }
  for (const nm of [s__init_subclass__, s__class_getitem__]) {
    const f = PyDict_GetItem(dict, nm);
    if (f !== NULL && Py_TYPE(f) === PyFunction_Type) {
      const cm = PyType_GenericAlloc(PyClassMethod_Type, 0);
      if (cm === NULL) return -1;
      Py_INCREF(f);
      setField(cm + 16, f);
      const r = PyDict_SetItem(dict, nm, cm);
      Py_DECREF(cm);
      if (r < 0) return -1;
    }
  }
  // ≈ type_new_descriptors: slot members, then the dict and weakref slots
  const isTypeBase = (flagsOf(base) & Py_TPFLAGS_TYPE_SUBCLASS) !== 0;
  let slotoffset = baseBasicSize(base);
  const baseItem = isTypeBase ? HEAPTYPE_ITEMSIZE : I32[(base + TP_ITEMSIZE) >> 2];
  const nslots = htSlots === NULL ? 0 : PyTuple_GET_SIZE(htSlots);
  for (let i = 0; i < nslots; i++) {
    const mp = type + HT_MEMBERS + HEAPTYPE_ITEMSIZE * i;
    setField(mp, PyTuple_GET_ITEM(htSlots, i));
    I32[(mp + 8) >> 2] = T_OBJECT_EX;
    I32[(mp + 16) >> 2] = slotoffset;
    slotoffset += 8;
  }
  let dictoffset = 0;
  let weaklistoffset = 0;
  let fl = flagsOf(type);
  if (addDict && baseItem) {
    dictoffset = -8;
    slotoffset += 8;
  }
  if (addWeak) {
    weaklistoffset = slotoffset;
    slotoffset += 8;
  }
  if (addDict && baseItem === 0) {
    fl |= Py_TPFLAGS_MANAGED_DICT;
    dictoffset = -slotoffset - 24;
  }
  // inherited layout (≈ inherit_special): what this class did not add comes from the base
  if (!addDict) {
    dictoffset = isTypeBase ? 0 : I32[(base + TP_DICTOFFSET) >> 2];
    fl |= flagsOf(base) & Py_TPFLAGS_MANAGED_DICT;
  }
  if (!addWeak) weaklistoffset = isTypeBase ? 0 : I32[(base + TP_WEAKLISTOFFSET) >> 2];
  I32[(type + TP_FLAGS) >> 2] = fl;
  I32[(type + TP_DICTOFFSET) >> 2] = dictoffset;
  I32[(type + TP_WEAKLISTOFFSET) >> 2] = weaklistoffset;
  I32[(type + TP_BASICSIZE) >> 2] = isTypeBase ? I32[(base + TP_BASICSIZE) >> 2] : slotoffset;
  I32[(type + TP_ITEMSIZE) >> 2] = isTypeBase ? I32[(base + TP_ITEMSIZE) >> 2] : baseItem;
  // __classcell__
  const cell = PyDict_GetItem(dict, s__classcell__);
  if (cell !== NULL) {
    if (Py_TYPE(cell) !== PyCell_Type) {
      PyErr_SetString(PyExc_TypeError, `__classcell__ must be a nonlocal cell, not ${reprOfType(Py_TYPE(cell))}`);
      return -1;
    }
    Py_INCREF(type);
    const old = field(cell + CELL_REF);
    setField(cell + CELL_REF, type);
    Py_XDECREF(old);
    if (PyDict_DelItem(dict, s__classcell__) < 0) return -1;
  }
  // descriptors of the members and of the added __dict__ / __weakref__ (≈ type_ready_fill_dict)
  for (let i = 0; i < nslots; i++) {
    const mp = type + HT_MEMBERS + HEAPTYPE_ITEMSIZE * i;
    const mname = field(mp);
    const d = PyDescr_NewMember(type, { name: unicodeToJs(mname), kind: 'object_ex', offset: I32[(mp + 16) >> 2], readonly: false });
    if (d === NULL) return -1;
    const r = PyDict_SetItem(dict, mname, d);
    Py_DECREF(d);
    if (r < 0) return -1;
  }
  if (addDict && PyDict_GetItem(dict, s__dict__) === NULL) {
    const d = PyDescr_NewGetSet(type, subtypeDictGetSet);
    if (d === NULL) return -1;
    const r = PyDict_SetItem(dict, s__dict__, d);
    Py_DECREF(d);
    if (r < 0) return -1;
  }
  if (addWeak && PyDict_GetItem(dict, s__weakref__) === NULL) {
    const d = PyDescr_NewGetSet(type, subtypeWeakrefGetSet);
    if (d === NULL) return -1;
    const r = PyDict_SetItem(dict, s__weakref__, d);
    Py_DECREF(d);
    if (r < 0) return -1;
  }
  return 0;
}
function reprOfType(t: Ptr): string {
  return `<class '${typeQualifiedName(t)}'>`;
}

/** ≈ type_ready for a class: MRO, __doc__, __hash__ = None next to __eq__, subclass links. */
function typeReadyHeap(type: Ptr, slotsRec: Slots): number {
  const mro = mroImplementation(type);
  if (mro === NULL) return -1;
  setField(type + TP_MRO, mro);
  // inherit slots along the MRO (≈ type_ready_inherit: inherit_slots for each base)
  const n = PyTuple_GET_SIZE(mro);
  for (let i = 1; i < n; i++) inheritSlots(slotsRec, slotsOf(PyTuple_GET_ITEM(mro, i)));
  slotsRec.tp_vectorcall = heap_type_vectorcall;
  const dict = field(type + TP_DICT);
  if (PyDict_GetItem(dict, s__doc__) === NULL && PyDict_SetItem(dict, s__doc__, Py_None) < 0) return -1;
  if (PyDict_GetItem(dict, s__eq__) !== NULL && PyDict_GetItem(dict, s__hash__) === NULL) {
    if (PyDict_SetItem(dict, s__hash__, Py_None) < 0) return -1;
  }
  I32[(type + TP_FLAGS) >> 2] |= Py_TPFLAGS_READY;
  const bases = field(type + TP_BASES);
  for (let i = 0; i < PyTuple_GET_SIZE(bases); i++) registerSubclass(PyTuple_GET_ITEM(bases, i), type);
  return 0;
}

/** ≈ type_new_set_names: call __set_name__(type, name) on the class's attributes. */
function typeNewSetNames(type: Ptr): number {
  const dict = field(type + TP_DICT);
  const copy = PyDict_Copy(dict);
  if (copy === NULL) return -1;
  let pos = 0;
  while ((pos = PyDict_Next(copy, pos)) >= 0) {
    const key = DICT_NEXT.key;
    const value = DICT_NEXT.value;
    const setName = _PyType_Lookup(Py_TYPE(value), s__set_name__);
    if (setName === NULL) continue;
    Py_INCREF(setName);
    const scratch = dataStackPush(24);
    if (scratch === NULL) {
      Py_DECREF(setName);
      Py_DECREF(copy);
      PyErr_NoMemory();
      return -1;
    }
    setField(scratch, value);
    setField(scratch + 8, type);
    setField(scratch + 16, key);
    const r = PyObject_Vectorcall(setName, scratch, 3, NULL);
    dataStackPop(scratch);
    Py_DECREF(setName);
    if (r === NULL) {
      Py_DECREF(copy);
      return -1;
    }
    Py_DECREF(r);
  }
  Py_DECREF(copy);
  return 0;
}

/** ≈ type_new_init_subclass: super(type, type).__init_subclass__(**kwds). */
function typeNewInitSubclass(type: Ptr, kwds: Ptr): number {
  const mro = field(type + TP_MRO);
  const n = PyTuple_GET_SIZE(mro);
  let descr: Ptr = NULL;
  let owner: Ptr = NULL;
  for (let i = 1; i < n && descr === NULL; i++) {
    owner = PyTuple_GET_ITEM(mro, i);
    const d = field(owner + TP_DICT);
    if (d !== NULL) descr = PyDict_GetItem(d, s__init_subclass__);
  }
  if (descr === NULL) return 0;
  const nkw = kwds === NULL ? 0 : PyDict_GET_SIZE(kwds);
  if (owner === PyBaseObject_Type && nkw > 0) {
    PyErr_SetString(PyExc_TypeError, `${typeName(type)}.__init_subclass__() takes no keyword arguments`);
    return -1;
  }
  // object.__init_subclass__ without keywords does nothing: skip the call
  if (nkw === 0 && Py_TYPE(descr) !== PyClassMethod_Type && Py_TYPE(descr) !== PyFunction_Type) return 0;
  const get = slotsOf(Py_TYPE(descr)).tp_descr_get;
  let func = descr;
  if (get !== undefined) {
    func = get(descr, NULL, type);
    if (func === NULL) return -1;
  } else {
    Py_INCREF(func);
  }
  const empty = PyTuple_New(0);
  const r = empty === NULL ? NULL : PyObject_Call(func, empty, kwds);
  Py_XDECREF(empty);
  Py_DECREF(func);
  if (r === NULL) return -1;
  Py_DECREF(r);
  return 0;
}

// =====================================================================================
// the class object itself: dealloc, GC, setattr, sizeof, methods of `type`
// =====================================================================================

/** ≈ type_dealloc (classes only; static types are never freed). */
function type_dealloc(type: Ptr): void {
  if (!isHeapType(type)) throw new Error(`pymem bug: dealloc of static type ${typeName(type)}`);
  PyObject_GC_UnTrack(type);
  const bases = field(type + TP_BASES);
  if (bases !== NULL) {
    for (let i = 0; i < PyTuple_GET_SIZE(bases); i++) unregisterSubclass(PyTuple_GET_ITEM(bases, i), type);
  }
  weakrefClearHook.clear?.(type);
  for (const off of [TP_BASE, TP_DICT, TP_BASES, TP_MRO, TP_SUBCLASSES]) {
    const v = field(type + off);
    setField(type + off, NULL);
    Py_XDECREF(v);
  }
  const doc = field(type + TPX_DOC);
  if (doc !== NULL) {
    setField(type + TPX_DOC, NULL);
    PyObject_Free(doc);
  }
  for (const off of [HT_NAME, HT_QUALNAME, HT_SLOTS]) {
    const v = field(type + off);
    setField(type + off, NULL);
    Py_XDECREF(v);
  }
  const keys = field(type + HT_CACHED_KEYS);
  if (keys !== NULL) {
    setField(type + HT_CACHED_KEYS, NULL);
    keysDecref(keys);
  }
  const mod = field(type + HT_MODULE);
  setField(type + HT_MODULE, NULL);
  Py_XDECREF(mod);
  const name = field(type + TP_NAME);
  setField(type + TP_NAME, NULL);
  Py_XDECREF(name);
  unregisterTypeSlots(type);
  PyObject_GC_Del(type);
}
/** ≈ type_traverse: only the fields that can be part of cycles. */
function type_traverse(type: Ptr, visit: visitproc, arg: number): number {
  if (!isHeapType(type)) return 0;
  for (const off of [TP_DICT, TP_MRO, TP_BASES, TP_BASE, HT_MODULE]) {
    const v = field(type + off);
    if (v !== NULL) {
      const r = visit(v, arg);
      if (r) return r;
    }
  }
  return 0;
}
/** ≈ type_clear: invalidate the method cache, clear the dict, drop the MRO. (The shared keys stay
 *  until type_dealloc: instances, which keep the class alive, read their values through them.) */
function type_clear(type: Ptr): number {
  if (!isHeapType(type)) return 0;
  PyType_Modified(type);
  const dict = field(type + TP_DICT);
  if (dict !== NULL) PyDict_Clear(dict);
  for (const off of [HT_MODULE, TP_MRO]) {
    const v = field(type + off);
    if (v !== NULL) {
      setField(type + off, NULL);
      Py_DECREF(v);
    }
  }
  return 0;
}
/** ≈ type___sizeof__: 408 for a static type; 904 + the shared keys for a class. */
function type_sizeof(type: Ptr): number {
  if (!isHeapType(type)) return STATIC_TYPE_SIZEOF;
  return HEAPTYPE_BASICSIZE + (field(type + HT_CACHED_KEYS) !== NULL ? SHARED_KEYS_SIZE : 0);
}

function isDunder(name: Ptr): boolean {
  const s = unicodeToJs(name);
  return s.length > 4 && s.startsWith('__') && s.endsWith('__');
}

/** ≈ type_setattro: immutable types refuse; the name is interned; the metatype's data descriptors
 *  win; otherwise the class dict changes, the method cache is invalidated and dunder slots are
 *  recomputed for the class and its subclasses. v NULL = delete. */
export function type_setattro(type: Ptr, name: Ptr, value: Ptr): number {
  initNames();
  if (!PyUnicode_Check(name)) {
    PyErr_SetString(PyExc_TypeError, `attribute name must be string, not '${tpName(name)}'`);
    return -1;
  }
  if ((flagsOf(type) & Py_TPFLAGS_IMMUTABLETYPE) !== 0) {
    const rr = PyObject_Repr(name);
    PyErr_SetString(PyExc_TypeError, `cannot set ${rr === NULL ? '?' : unicodeToJs(rr)} attribute of immutable type '${typeName(type)}'`);
    Py_XDECREF(rr);
    return -1;
  }
  Py_INCREF(name);
  const nameAddr = dataStackPush(8);
  if (nameAddr === NULL) {
    Py_DECREF(name);
    PyErr_NoMemory();
    return -1;
  }
  setField(nameAddr, name);
  if (PyUnicode_CheckExact(name) && PyUnicode_CHECK_INTERNED(name) === 0) PyUnicode_InternInPlace(nameAddr);
  const iname = field(nameAddr);
  dataStackPop(nameAddr);
  const res = typeSetattrImpl(type, iname, value);
  if (res === 0) {
    PyType_Modified(type);
    if (isDunder(iname)) updateSlot(type, iname);
  }
  Py_DECREF(iname);
  return res;
}
function typeSetattrImpl(type: Ptr, name: Ptr, value: Ptr): number {
  const meta = Py_TYPE(type);
  const descr = _PyType_Lookup(meta, name);
  if (descr !== NULL) {
    const set = slotsOf(Py_TYPE(descr)).tp_descr_set;
    if (set !== undefined) {
      Py_INCREF(descr);
      const r = set(descr, type, value);
      Py_DECREF(descr);
      return r;
    }
  }
  const dict = field(type + TP_DICT);
  if (value === NULL) {
    if (PyDict_DelItem(dict, name) < 0) {
      if (PyErr_ExceptionMatches(PyExc_KeyError)) {
        PyErr_Clear();
        PyErr_SetString(PyExc_AttributeError, `type object '${typeName(type)}' has no attribute '${unicodeToJs(name)}'`);
        attributeErrorContext.set?.(type, name);
      }
      return -1;
    }
    return 0;
  }
  return PyDict_SetItem(dict, name, value);
}

/** ≈ type_init: type.__init__ only checks the argument count. */
function type_init(_cls: Ptr, args: Ptr, kwds: Ptr): number {
  const n = PyTuple_GET_SIZE(args);
  if (kwds !== NULL && n === 1 && PyDict_GET_SIZE(kwds) !== 0) {
    PyErr_SetString(PyExc_TypeError, 'type.__init__() takes no keyword arguments');
    return -1;
  }
  if (n !== 1 && n !== 3) {
    PyErr_SetString(PyExc_TypeError, 'type.__init__() takes 1 or 3 arguments');
    return -1;
  }
  return 0;
}

const typeMethods: MethodDef[] = [
  {
    name: 'mro',
    flags: METH_NOARGS,
    fn: (self: Ptr): Ptr => {
      const t = field(self + TP_MRO);
      if (t !== NULL && !isHeapType(self)) {
        // a list copy of the MRO
        const n = PyTuple_GET_SIZE(t);
        const l = PyList_New(0);
        if (l === NULL) return NULL;
        for (let i = 0; i < n; i++) if (PyList_Append(l, PyTuple_GET_ITEM(t, i)) < 0) { Py_DECREF(l); return NULL; }
        return l;
      }
      const mro = mroImplementation(self);
      if (mro === NULL) return NULL;
      const l = PyList_New(0);
      if (l === NULL) { Py_DECREF(mro); return NULL; }
      for (let i = 0; i < PyTuple_GET_SIZE(mro); i++) if (PyList_Append(l, PyTuple_GET_ITEM(mro, i)) < 0) { Py_DECREF(l); Py_DECREF(mro); return NULL; }
      Py_DECREF(mro);
      return l;
    },
  },
  {
    name: '__sizeof__',
    flags: METH_NOARGS,
    fn: (self: Ptr): Ptr => PyLong_FromNumber(type_sizeof(self)),
  },
  {
    name: '__subclasses__',
    flags: METH_NOARGS,
    fn: (self: Ptr): Ptr => {
      const l = PyList_New(0);
      if (l === NULL) return NULL;
      for (const s of subclassesList(self)) if (PyList_Append(l, s) < 0) { Py_DECREF(l); return NULL; }
      return l;
    },
  },
  {
    name: '__prepare__',
    flags: METH_FASTCALL | METH_KEYWORDS | METH_CLASS,
    fn: (): Ptr => PyDict_New(),
  },
];

// =====================================================================================
// instances: allocation, dealloc, GC (≈ object_new's tp_alloc + _PyObject_InitializeDict,
// subtype_dealloc, subtype_traverse, subtype_clear)
// =====================================================================================

/** heapTypeAlloc.alloc: a new instance of a class (zeroed, tracked), with its values block. */
function heapTypeAllocInstance(type: Ptr): Ptr {
  const obj = PyType_GenericAlloc(type, 0);
  if (obj === NULL) return PyErr_NoMemory();
  if ((flagsOf(type) & Py_TPFLAGS_MANAGED_DICT) !== 0 && initInlineValues(obj, type) < 0) {
    Py_DECREF(obj);
    return NULL;
  }
  return obj;
}

/** ≈ clear_slots: release the __slots__ members of one class of the MRO. */
function clearSlots(type: Ptr, self: Ptr): void {
  const n = Py_SIZE(type);
  for (let i = 0; i < n; i++) {
    const off = I32[(type + HT_MEMBERS + HEAPTYPE_ITEMSIZE * i + 16) >> 2];
    const v = field(self + off);
    if (v !== NULL) {
      setField(self + off, NULL);
      Py_DECREF(v);
    }
  }
}
function traverseSlots(type: Ptr, self: Ptr, visit: visitproc, arg: number): number {
  const n = Py_SIZE(type);
  for (let i = 0; i < n; i++) {
    const v = field(self + I32[(type + HT_MEMBERS + HEAPTYPE_ITEMSIZE * i + 16) >> 2]);
    if (v !== NULL) {
      const r = visit(v, arg);
      if (r) return r;
    }
  }
  return 0;
}

/** ≈ PyObject_CallFinalizerFromDealloc: run __del__ with the object temporarily alive.
 *  0 = go on destroying, -1 = resurrected. */
function callFinalizerFromDealloc(self: Ptr): number {
  Py_SET_REFCNT(self, 1);
  if (!_PyGC_FINALIZED(self)) {
    slotsOf(Py_TYPE(self)).tp_finalize!(self);
    _PyGC_SET_FINALIZED(self);
  }
  const n = Py_REFCNT(self) - 1;
  Py_SET_REFCNT(self, n);
  return n === 0 ? 0 : -1;
}

/** A managed-dict instance's attributes at dealloc: its dict, or else its values block. */
function releaseManagedDict(self: Ptr): void {
  const d = field(self + MANAGED_DICT_OFFSET);
  if (d !== NULL) {
    setField(self + MANAGED_DICT_OFFSET, NULL);
    Py_DECREF(d);
  } else {
    freeInstanceAttributes(self);
  }
}
/** ≈ subtype_dealloc (GC classes). */
function subtype_dealloc(self: Ptr): void {
  let type = Py_TYPE(self);
  PyObject_GC_UnTrack(self);
  if (trashcanBegin(self)) return;
  if (
    field(type + TP_BASE) === PyBaseObject_Type &&
    (flagsOf(type) & Py_TPFLAGS_MANAGED_DICT) !== 0 &&
    Py_SIZE(type) === 0 &&
    slotsOf(type).tp_finalize === undefined &&
    slotsOf(PyBaseObject_Type).tp_dealloc !== subtype_dealloc
  ) {
    // the common class: a direct subclass of object without __slots__ or __del__ (the steps
    // below, written out for base = object)
    if (I32[(type + TP_WEAKLISTOFFSET) >> 2] !== 0 && I32[(PyBaseObject_Type + TP_WEAKLISTOFFSET) >> 2] === 0) weakrefClearHook.clear?.(self);
    releaseManagedDict(self);
    type = Py_TYPE(self);
    slotsOf(PyBaseObject_Type).tp_dealloc!(self);
    if (isHeapType(type)) Py_DECREF(type);
    trashcanEnd();
    return;
  }
  let base = type;
  while (slotsOf(base).tp_dealloc === subtype_dealloc) base = field(base + TP_BASE);
  const ts0 = slotsOf(type);
  const hasFinalizer = ts0.tp_finalize !== undefined;
  if (hasFinalizer) {
    PyObject_GC_Track(self);
    if (callFinalizerFromDealloc(self) < 0) {
      trashcanEnd();
      return; // resurrected
    }
    PyObject_GC_UnTrack(self);
  }
  if (I32[(type + TP_WEAKLISTOFFSET) >> 2] !== 0 && I32[(base + TP_WEAKLISTOFFSET) >> 2] === 0) weakrefClearHook.clear?.(self);
  // __slots__ of every class up to the nearest base with another dealloc
  for (let b = type; slotsOf(b).tp_dealloc === subtype_dealloc; b = field(b + TP_BASE)) {
    if (Py_SIZE(b) !== 0) clearSlots(b, self);
  }
  if ((flagsOf(type) & Py_TPFLAGS_MANAGED_DICT) !== 0) {
    releaseManagedDict(self);
  } else if (I32[(type + TP_DICTOFFSET) >> 2] !== 0 && I32[(base + TP_DICTOFFSET) >> 2] === 0) {
    const dp = dictPointer(self, type);
    const d = dp === 0 ? NULL : field(dp);
    if (d !== NULL) {
      setField(dp, NULL);
      Py_DECREF(d);
    }
  }
  type = Py_TYPE(self);
  const needsDecref = isHeapType(type) && !isHeapType(base);
  const bd = slotsOf(base).tp_dealloc;
  if (bd === slotsOf(PyLong_Type).tp_dealloc || bd === slotsOf(PyFloat_Type).tp_dealloc) {
    // int and float own nothing but their memory, and their deallocs free blocks as for exact
    // instances (a non-GC block; float's also drops the type), so the GC block of a subclass
    // instance is released here (≈ the Py_TYPE(self)->tp_free call of CPython's deallocs)
    PyObject_GC_Del(self);
  } else {
    slotsOf(base).tp_dealloc!(self);
  }
  if (needsDecref) Py_DECREF(type);
  trashcanEnd();
}

/** ≈ subtype_traverse */
function subtype_traverse(self: Ptr, visit: visitproc, arg: number): number {
  const type = Py_TYPE(self);
  let base = type;
  let bt = slotsOf(base).tp_traverse;
  while (bt === subtype_traverse) {
    if (Py_SIZE(base) !== 0) {
      const r = traverseSlots(base, self, visit, arg);
      if (r) return r;
    }
    base = field(base + TP_BASE);
    bt = slotsOf(base).tp_traverse;
  }
  if ((flagsOf(type) & Py_TPFLAGS_MANAGED_DICT) !== 0) {
    const r = visitInstanceAttributes(self, visit, arg);
    if (r) return r;
  }
  if (I32[(type + TP_DICTOFFSET) >> 2] !== I32[(base + TP_DICTOFFSET) >> 2] || (flagsOf(type) & Py_TPFLAGS_MANAGED_DICT) !== 0) {
    const dp = dictPointer(self, type);
    const d = dp === 0 ? NULL : field(dp);
    if (d !== NULL) {
      const r = visit(d, arg);
      if (r) return r;
    }
  }
  if (isHeapType(type) && (bt === undefined || !isHeapType(base))) {
    const r = visit(type, arg);
    if (r) return r;
  }
  return bt !== undefined ? bt(self, visit, arg) : 0;
}

/** ≈ subtype_clear */
function subtype_clear(self: Ptr): number {
  const type = Py_TYPE(self);
  let base = type;
  let bc = slotsOf(base).tp_clear;
  while (bc === subtype_clear) {
    if (Py_SIZE(base) !== 0) clearSlots(base, self);
    base = field(base + TP_BASE);
    bc = slotsOf(base).tp_clear;
  }
  if ((flagsOf(type) & Py_TPFLAGS_MANAGED_DICT) !== 0) clearInstanceAttributes(self);
  if (I32[(type + TP_DICTOFFSET) >> 2] !== I32[(base + TP_DICTOFFSET) >> 2] || (flagsOf(type) & Py_TPFLAGS_MANAGED_DICT) !== 0) {
    const dp = dictPointer(self, type);
    const d = dp === 0 ? NULL : field(dp);
    if (d !== NULL) {
      setField(dp, NULL);
      Py_DECREF(d);
    }
  }
  return bc !== undefined ? bc(self) : 0;
}

// =====================================================================================
// super (≈ typeobject.c superobject)
//   [16 type (the class super() was called in)][24 obj][32 obj_type]   40 + GC 16 = getsizeof 56
// =====================================================================================

export const SU_TYPE = 16;
export const SU_OBJ = 24;
export const SU_OBJ_TYPE = 32;

function super_dealloc(self: Ptr): void {
  PyObject_GC_UnTrack(self);
  Py_XDECREF(field(self + SU_OBJ));
  Py_XDECREF(field(self + SU_TYPE));
  Py_XDECREF(field(self + SU_OBJ_TYPE));
  PyObject_GC_Del(self);
}
function super_traverse(self: Ptr, visit: visitproc, arg: number): number {
  for (const off of [SU_OBJ, SU_TYPE, SU_OBJ_TYPE]) {
    const v = field(self + off);
    if (v !== NULL) {
      const r = visit(v, arg);
      if (r) return r;
    }
  }
  return 0;
}
function super_repr(self: Ptr): Ptr {
  const t = field(self + SU_TYPE);
  const ot = field(self + SU_OBJ_TYPE);
  const tn = t !== NULL ? typeName(t) : 'NULL';
  if (ot !== NULL) return PyUnicode_FromString(`<super: <class '${tn}'>, <${typeName(ot)} object>>`);
  return PyUnicode_FromString(`<super: <class '${tn}'>, NULL>`);
}
/** ≈ super_getattro: look `name` up in the MRO of obj's type after `type`. New ref or NULL. */
function super_getattro(self: Ptr, name: Ptr): Ptr {
  const starttype = field(self + SU_OBJ_TYPE);
  if (starttype !== NULL && !(PyUnicode_Check(name) && unicode_eq(name, s__class__))) {
    const mro = field(starttype + TP_MRO);
    if (mro !== NULL) {
      const n = PyTuple_GET_SIZE(mro);
      const su = field(self + SU_TYPE);
      let i = 0;
      for (; i + 1 < n; i++) if (PyTuple_GET_ITEM(mro, i) === su) break;
      i++;
      if (i < n) {
        Py_INCREF(mro);
        for (; i < n; i++) {
          const dict = field(PyTuple_GET_ITEM(mro, i) + TP_DICT);
          const res = dict === NULL ? NULL : PyDict_GetItem(dict, name);
          if (res !== NULL) {
            Py_INCREF(res);
            const f = slotsOf(Py_TYPE(res)).tp_descr_get;
            let out = res;
            if (f !== undefined) {
              const obj = field(self + SU_OBJ);
              out = f(res, obj === starttype ? NULL : obj, starttype);
              Py_DECREF(res);
            }
            Py_DECREF(mro);
            return out;
          }
        }
        Py_DECREF(mro);
      }
    }
  }
  return PyObject_GenericGetAttr(self, name);
}
/** ≈ supercheck: the type to search (new reference) or NULL with TypeError. */
function supercheck(type: Ptr, obj: Ptr): Ptr {
  if (PyType_Check(obj) && PyType_IsSubtype(obj, type)) {
    Py_INCREF(obj);
    return obj;
  }
  if (PyType_IsSubtype(Py_TYPE(obj), type)) {
    Py_INCREF(Py_TYPE(obj));
    return Py_TYPE(obj);
  }
  PyErr_SetString(PyExc_TypeError, 'super(type, obj): obj must be an instance or subtype of type');
  return NULL;
}
/** ≈ super_init_without_args: __class__ cell and first argument of the calling frame.
 *  Writes the results to superArgs; 0 / -1. */
const superArgs = new Int32Array(2);
function superInitWithoutArgs(): number {
  const frame = ts.frame;
  if (frame === NULL) {
    PyErr_SetString(PyExc_RuntimeError, 'super(): no current frame');
    return -1;
  }
  const co = field(frame + F_CODE);
  if (I32[(co + CO_ARGCOUNT) >> 2] === 0) {
    PyErr_SetString(PyExc_RuntimeError, 'super(): no arguments');
    return -1;
  }
  let firstarg = field(frame + F_LOCALSPLUS);
  if (firstarg !== NULL && (localKindOf(co, 0) & CO_FAST_CELL) !== 0 && Py_TYPE(firstarg) === PyCell_Type) {
    firstarg = field(firstarg + CELL_REF);
  }
  if (firstarg === NULL) {
    PyErr_SetString(PyExc_RuntimeError, 'super(): arg[0] deleted');
    return -1;
  }
  const n = I32[(co + CO_NLOCALSPLUS) >> 2];
  const names = field(co + CO_LOCALSPLUSNAMES);
  let type: Ptr = NULL;
  for (let i = 0; i < n; i++) {
    if ((localKindOf(co, i) & CO_FAST_FREE) === 0) continue;
    if (!unicode_eq(PyTuple_GET_ITEM(names, i), s__class__)) continue;
    const cell = field(frame + F_LOCALSPLUS + 8 * i);
    if (cell === NULL || Py_TYPE(cell) !== PyCell_Type) {
      PyErr_SetString(PyExc_RuntimeError, 'super(): bad __class__ cell');
      return -1;
    }
    type = field(cell + CELL_REF);
    if (type === NULL) {
      PyErr_SetString(PyExc_RuntimeError, 'super(): empty __class__ cell');
      return -1;
    }
    if (!PyType_Check(type)) {
      PyErr_SetString(PyExc_RuntimeError, `super(): __class__ is not a type (${tpName(type)})`);
      return -1;
    }
    break;
  }
  if (type === NULL) {
    PyErr_SetString(PyExc_RuntimeError, 'super(): __class__ cell not found');
    return -1;
  }
  superArgs[0] = type;
  superArgs[1] = firstarg;
  return 0;
}
function localKindOf(co: Ptr, i: number): number {
  return U8[PyBytes_AS_STRING(field(co + CO_LOCALSPLUSKINDS)) + i];
}
/** ≈ super_init_impl: type NULL = the zero-argument form. 0 / -1. */
function superInitImpl(self: Ptr, type: Ptr, obj: Ptr): number {
  initNames();
  if (type === NULL) {
    if (superInitWithoutArgs() < 0) return -1;
    type = superArgs[0];
    obj = superArgs[1];
  }
  if (obj === Py_None) obj = NULL;
  let objType: Ptr = NULL;
  if (obj !== NULL) {
    objType = supercheck(type, obj);
    if (objType === NULL) return -1;
    Py_INCREF(obj);
  }
  Py_INCREF(type);
  const oldT = field(self + SU_TYPE);
  const oldO = field(self + SU_OBJ);
  const oldOT = field(self + SU_OBJ_TYPE);
  setField(self + SU_TYPE, type);
  setField(self + SU_OBJ, obj);
  setField(self + SU_OBJ_TYPE, objType);
  Py_XDECREF(oldT);
  Py_XDECREF(oldO);
  Py_XDECREF(oldOT);
  return 0;
}
function super_init(self: Ptr, args: Ptr, kwds: Ptr): number {
  if (kwds !== NULL && PyDict_GET_SIZE(kwds) !== 0) {
    PyErr_SetString(PyExc_TypeError, 'super() takes no keyword arguments');
    return -1;
  }
  const n = PyTuple_GET_SIZE(args);
  if (n > 2) {
    PyErr_SetString(PyExc_TypeError, `super() takes at most 2 arguments (${n} given)`);
    return -1;
  }
  let type: Ptr = NULL;
  if (n >= 1) {
    type = PyTuple_GET_ITEM(args, 0);
    if (!PyType_Check(type)) {
      PyErr_SetString(PyExc_TypeError, `super() argument 1 must be type, not ${tpName(type)}`);
      return -1;
    }
  }
  return superInitImpl(self, type, n === 2 ? PyTuple_GET_ITEM(args, 1) : NULL);
}
/** ≈ super_vectorcall: super(), super(T), super(T, obj). */
function super_vectorcall(selfType: Ptr, args: number, nargs: number, kwnames: Ptr): Ptr {
  if (kwnames !== NULL && PyTuple_GET_SIZE(kwnames) !== 0) {
    PyErr_SetString(PyExc_TypeError, 'super() takes no keyword arguments');
    return NULL;
  }
  if (nargs > 2) {
    PyErr_SetString(PyExc_TypeError, `super() expected at most 2 arguments, got ${nargs}`);
    return NULL;
  }
  const su = PyType_GenericAlloc(selfType, 0);
  if (su === NULL) return PyErr_NoMemory();
  let type: Ptr = NULL;
  if (nargs !== 0) {
    type = field(args);
    if (!PyType_Check(type)) {
      PyErr_SetString(PyExc_TypeError, `super() argument 1 must be a type, not ${tpName(type)}`);
      Py_DECREF(su);
      return NULL;
    }
  }
  if (superInitImpl(su, type, nargs === 2 ? field(args + 8) : NULL) < 0) {
    Py_DECREF(su);
    return NULL;
  }
  return su;
}
function super_descr_get(self: Ptr, obj: Ptr, _type: Ptr): Ptr {
  if (obj === NULL || obj === Py_None || field(self + SU_OBJ) !== NULL) {
    Py_INCREF(self);
    return self;
  }
  const su = PyType_GenericAlloc(Py_TYPE(self), 0);
  if (su === NULL) return PyErr_NoMemory();
  if (superInitImpl(su, field(self + SU_TYPE), obj) < 0) {
    Py_DECREF(su);
    return NULL;
  }
  return su;
}
function memberGet(off: number): (self: Ptr) => Ptr {
  return (self: Ptr): Ptr => {
    const v = field(self + off);
    const r = v === NULL ? Py_None : v;
    Py_INCREF(r);
    return r;
  };
}
import { newStaticType } from '../typeobject.js';
export const PySuper_Type: Ptr = newStaticType({
  name: 'super',
  basicsize: 40,
  flags: Py_TPFLAGS_HAVE_GC | Py_TPFLAGS_BASETYPE,
  slots: {
    tp_dealloc: super_dealloc,
    tp_traverse: super_traverse,
    tp_repr: super_repr,
    tp_getattro: super_getattro,
    tp_descr_get: super_descr_get,
    tp_init: super_init,
    tp_new: (type: Ptr): Ptr => {
      const o = PyType_GenericAlloc(type, 0);
      return o === NULL ? PyErr_NoMemory() : o;
    },
    tp_vectorcall: super_vectorcall,
    getsets: [
      { name: '__thisclass__', get: memberGet(SU_TYPE), doc: 'the class invoking super()' },
      { name: '__self__', get: memberGet(SU_OBJ), doc: 'the instance invoking super(); may be None' },
      { name: '__self_class__', get: memberGet(SU_OBJ_TYPE), doc: 'the type of the instance invoking super(); may be None' },
    ],
    doc: 'super() -> same as super(__class__, <first argument>)\nsuper(type) -> unbound super object\nsuper(type, obj) -> bound super object; requires isinstance(obj, type)\nsuper(type, type2) -> bound super object; requires issubclass(type2, type)\nTypical use to call a cooperative superclass method:\nclass C(B):\n    def meth(self, arg):\n        super().meth(arg)\nThis works for class methods too:\nclass C(B):\n    @classmethod\n    def cmeth(cls, arg):\n        super().cmeth(arg)\n',
  },
});

// =====================================================================================
// __build_class__ (≈ Python/bltinmodule.c builtin___build_class__)
// =====================================================================================

/** Runs a class body: the function's code with `locals` as its namespace (≈ _PyEval_Vector(func,
 *  locals)). Installed by the VM. Returns the body's result (the __class__ cell or None), new ref. */
export const classBodyHook = {
  eval: null as ((func: Ptr, locals: Ptr) => Ptr) | null,
};

/** ≈ update_bases: replace non-class bases that define __mro_entries__. New tuple ref or NULL. */
function updateBases(origBases: Ptr): Ptr {
  const n = PyTuple_GET_SIZE(origBases);
  let changed = false;
  for (let i = 0; i < n; i++) if (!PyType_Check(PyTuple_GET_ITEM(origBases, i))) changed = true;
  if (!changed) {
    Py_INCREF(origBases);
    return origBases;
  }
  const out = PyList_New(0);
  if (out === NULL) return NULL;
  for (let i = 0; i < n; i++) {
    const b = PyTuple_GET_ITEM(origBases, i);
    if (PyType_Check(b)) {
      if (PyList_Append(out, b) < 0) { Py_DECREF(out); return NULL; }
      continue;
    }
    const meth = lookupMaybeMethod(b, s__mro_entries__);
    if (meth === NULL) {
      if (PyErr_Occurred() !== NULL) { Py_DECREF(out); return NULL; }
      if (PyList_Append(out, b) < 0) { Py_DECREF(out); return NULL; }
      continue;
    }
    const r = callUnbound(meth, unbound, b, 1, origBases, NULL);
    Py_DECREF(meth);
    if (r === NULL) { Py_DECREF(out); return NULL; }
    if (!PyTuple_Check(r)) {
      Py_DECREF(r);
      Py_DECREF(out);
      PyErr_SetString(PyExc_TypeError, '__mro_entries__ must return a tuple');
      return NULL;
    }
    for (let j = 0; j < PyTuple_GET_SIZE(r); j++) if (PyList_Append(out, PyTuple_GET_ITEM(r, j)) < 0) { Py_DECREF(r); Py_DECREF(out); return NULL; }
    Py_DECREF(r);
  }
  const t = PyList_AsTuple(out);
  Py_DECREF(out);
  return t;
}

/** ≈ builtin___build_class__(func, name, *bases, metaclass=..., **kwds): vectorcall arguments
 *  (borrowed). New reference to the class, or NULL. */
export function buildClass(args: number, nargs: number, kwnames: Ptr): Ptr {
  initNames();
  if (nargs < 2) {
    PyErr_SetString(PyExc_TypeError, '__build_class__: not enough arguments');
    return NULL;
  }
  const func = field(args);
  if (Py_TYPE(func) !== PyFunction_Type) {
    PyErr_SetString(PyExc_TypeError, '__build_class__: func must be a function');
    return NULL;
  }
  const name = field(args + 8);
  if (!PyUnicode_Check(name)) {
    PyErr_SetString(PyExc_TypeError, '__build_class__: name is not a string');
    return NULL;
  }
  const origBases = _PyTuple_FromArray(args + 16, nargs - 2);
  if (origBases === NULL) return NULL;
  const bases = updateBases(origBases);
  if (bases === NULL) {
    Py_DECREF(origBases);
    return NULL;
  }
  let meta: Ptr = NULL;
  let mkw: Ptr = NULL;
  let isclass = true;
  let ns: Ptr = NULL;
  let cell: Ptr = NULL;
  let cls: Ptr = NULL;
  const fail = (): Ptr => {
    Py_XDECREF(cell);
    Py_XDECREF(ns);
    Py_XDECREF(meta);
    Py_XDECREF(mkw);
    Py_DECREF(bases);
    Py_DECREF(origBases);
    return NULL;
  };
  if (kwnames !== NULL && PyTuple_GET_SIZE(kwnames) > 0) {
    mkw = PyDict_New();
    if (mkw === NULL) return fail();
    const nkw = PyTuple_GET_SIZE(kwnames);
    for (let i = 0; i < nkw; i++) {
      if (PyDict_SetItem(mkw, PyTuple_GET_ITEM(kwnames, i), field(args + 8 * (nargs + i))) < 0) return fail();
    }
    meta = PyDict_GetItem(mkw, s_metaclass);
    if (meta !== NULL) {
      Py_INCREF(meta);
      if (PyDict_DelItem(mkw, s_metaclass) < 0) return fail();
      isclass = PyType_Check(meta);
    }
    if (PyDict_GET_SIZE(mkw) === 0) {
      Py_DECREF(mkw);
      mkw = NULL;
    }
  }
  if (meta === NULL) {
    meta = PyTuple_GET_SIZE(bases) === 0 ? PyType_Type : Py_TYPE(PyTuple_GET_ITEM(bases, 0));
    Py_INCREF(meta);
  }
  if (isclass) {
    const winner = _PyType_CalculateMetaclass(meta, bases);
    if (winner === NULL) return fail();
    if (winner !== meta) {
      Py_DECREF(meta);
      meta = winner;
      Py_INCREF(meta);
    }
  }
  // __prepare__: type's own returns a new dict
  if (isclass && findNameInMro(meta, s__prepare__) !== NULL && mroOwner === PyType_Type) {
    ns = PyDict_New();
  } else {
    const prep = PyObject_GetAttr(meta, s__prepare__);
    if (prep === NULL) {
      if (!PyErr_ExceptionMatches(PyExc_AttributeError)) return fail();
      PyErr_Clear();
      ns = PyDict_New();
    } else {
      const pargs = PyTuple_Pack(2, name, bases);
      ns = pargs === NULL ? NULL : PyObject_Call(prep, pargs, mkw);
      Py_XDECREF(pargs);
      Py_DECREF(prep);
    }
  }
  if (ns === NULL) return fail();
  if (slotsOf(Py_TYPE(ns)).mp_subscript === undefined) {
    PyErr_SetString(PyExc_TypeError, `${isclass ? typeName(meta) : '<metaclass>'}.__prepare__() must return a mapping, not ${tpName(ns)}`);
    return fail();
  }
  if (classBodyHook.eval === null) {
    PyErr_SetString(PyExc_SystemError, '__build_class__: no class body evaluator');
    return fail();
  }
  cell = classBodyHook.eval(func, ns);
  if (cell === NULL) return fail();
  if (bases !== origBases && PyDict_Check(ns) && PyDict_SetItem(ns, s__orig_bases__, origBases) < 0) return fail();
  const margs = PyTuple_Pack(3, name, bases, ns);
  if (margs === NULL) return fail();
  cls = PyObject_Call(meta, margs, mkw);
  Py_DECREF(margs);
  if (cls !== NULL && PyType_Check(cls) && Py_TYPE(cell) === PyCell_Type) {
    const cellCls = field(cell + CELL_REF);
    if (cellCls !== cls) {
      const nr = PyObject_Repr(name);
      const nm = nr === NULL ? '?' : unicodeToJs(nr);
      Py_XDECREF(nr);
      if (cellCls === NULL) {
        PyErr_SetString(PyExc_RuntimeError, `__class__ not set defining ${nm} as ${reprOfType(cls)}. Was __classcell__ propagated to type.__new__?`);
      } else {
        PyErr_SetString(PyExc_TypeError, `__class__ set to ${reprOfType(cellCls)} defining ${nm} as ${reprOfType(cls)}`);
      }
      Py_DECREF(cls);
      cls = NULL;
    }
  }
  Py_DECREF(cell);
  Py_DECREF(ns);
  Py_DECREF(meta);
  Py_XDECREF(mkw);
  Py_DECREF(bases);
  Py_DECREF(origBases);
  return cls;
}

/** `__build_class__` as a builtin (for a builtins module that registers MethodDefs). */
export const builtin___build_class__: MethodDef = {
  name: '__build_class__',
  flags: METH_FASTCALL | METH_KEYWORDS,
  fn: (_self: Ptr, args: number, nargs: number, kwnames: Ptr): Ptr => buildClass(args, nargs, kwnames),
  doc: '__build_class__(func, name, /, *bases, [metaclass], **kwds) -> class\n\nInternal helper function used by the class statement.',
};

// =====================================================================================
// wiring: `type`'s slots and the typeready hooks
// =====================================================================================

{
  const ts1 = slotsOf(PyType_Type);
  ts1.tp_new = type_new;
  ts1.tp_init = type_init;
  ts1.tp_dealloc = type_dealloc;
  ts1.tp_traverse = type_traverse;
  ts1.tp_clear = type_clear;
  ts1.tp_setattro = type_setattro;
  ts1.tp_sizeof = type_sizeof;
  ts1.methods.push(...typeMethods);
  for (const s of ['tp_setattro', 'tp_init', 'tp_new'] as SlotName[]) if (!ts1.own.includes(s)) ts1.own.push(s);
  heapTypeAlloc.alloc = heapTypeAllocInstance;
  objectNew = slotsOf(PyBaseObject_Type).tp_new;
  objectInit = slotsOf(PyBaseObject_Type).tp_init;
  // the collector traverses instances of plain classes inline, as subtype_traverse would
  if (slotsOf(PyBaseObject_Type).tp_traverse === undefined) setPlainInstanceTraverse(subtype_traverse, PyBaseObject_Type);
  instanceValuesHooks.get = instanceValuesGet;
  instanceValuesHooks.set = instanceValuesSet;
  typeQualnameHook.get = (t: Ptr): string => {
    const q = field(t + HT_QUALNAME);
    return q !== NULL ? unicodeToJs(q) : typeName(t);
  };
  typeModuleHook.get = (t: Ptr): string | null => {
    initNames();
    const d = field(t + TP_DICT);
    const m = d === NULL ? NULL : PyDict_GetItem(d, s__module__);
    return m !== NULL && PyUnicode_Check(m) ? unicodeToJs(m) : null;
  };
}

/** Test helper and teardown aid: break a class's reference cycles (≈ what the collector's
 *  tp_clear does) so that dropping the last outside reference frees it. */
export function classClear(type: Ptr): void {
  type_clear(type);
}

const s__format__ = intern('__format__');
/** format(obj, spec) for objects other than exact int/float/str (≈ PyObject_Format's
 *  _PyObject_LookupSpecial(obj, __format__) call). New reference or NULL. */
export function callFormatMethod(obj: Ptr, spec: Ptr): Ptr {
  const meth = lookupMaybeMethod(obj, s__format__);
  if (meth === NULL) {
    if (PyErr_Occurred() === NULL) PyErr_SetString(PyExc_TypeError, `Type ${tpName(obj)} doesn't define __format__`);
    return NULL;
  }
  const r = callUnbound(meth, unbound, obj, 1, spec, NULL);
  Py_DECREF(meth);
  return r;
}

/** Interpreter teardown without a cycle collector pass: break the reference cycles every class
 *  is part of (its __mro__, the descriptors in its dict, __class__ cells, class attributes) by
 *  clearing each live class as the collector's tp_clear would, so that classes and what they
 *  hold are freed. Called by Py_Finalize after the modules are torn down. */
export function finalizeHeapTypes(): void {
  const live: Ptr[] = [];
  for (let id = 0; id < typeById.length; id++) {
    const t = typeById[id];
    if (t !== NULL && isHeapType(t)) live.push(t);
  }
  for (const t of live) Py_INCREF(t);
  for (const t of live) type_clear(t);
  for (const t of live) Py_DECREF(t);
}
import { typeById } from '../typeobject.js';

// ---- writable __name__ / __qualname__ / __module__ of classes (≈ type_set_name, ...) ----
function checkSetSpecialTypeAttr(type: Ptr, value: Ptr, name: string): boolean {
  if ((flagsOf(type) & Py_TPFLAGS_IMMUTABLETYPE) !== 0) {
    PyErr_SetString(PyExc_TypeError, `cannot set '${name}' attribute of immutable type '${typeName(type)}'`);
    return false;
  }
  if (value === NULL) {
    PyErr_SetString(PyExc_TypeError, `cannot delete '${name}' attribute of immutable type '${typeName(type)}'`);
    return false;
  }
  return true;
}
function type_set_name(type: Ptr, value: Ptr): number {
  if (!checkSetSpecialTypeAttr(type, value, '__name__')) return -1;
  if (!PyUnicode_Check(value)) {
    PyErr_SetString(PyExc_TypeError, `can only assign string to ${typeName(type)}.__name__, not '${tpName(value)}'`);
    return -1;
  }
  const js = unicodeToJs(value);
  if (js.includes('\0')) {
    PyErr_SetString(PyExc_ValueError, 'type name must not contain null characters');
    return -1;
  }
  Py_INCREF(value);
  Py_INCREF(value);
  const oldN = field(type + HT_NAME);
  const oldT = field(type + TP_NAME);
  setField(type + HT_NAME, value);
  setField(type + TP_NAME, value);
  slotsOf(type).name = js;
  Py_XDECREF(oldN);
  Py_XDECREF(oldT);
  return 0;
}
function type_set_qualname(type: Ptr, value: Ptr): number {
  if (!checkSetSpecialTypeAttr(type, value, '__qualname__')) return -1;
  if (!PyUnicode_Check(value)) {
    PyErr_SetString(PyExc_TypeError, `can only assign string to ${typeName(type)}.__qualname__, not '${tpName(value)}'`);
    return -1;
  }
  Py_INCREF(value);
  const old = field(type + HT_QUALNAME);
  setField(type + HT_QUALNAME, value);
  Py_XDECREF(old);
  return 0;
}
function type_set_module(type: Ptr, value: Ptr): number {
  if (!checkSetSpecialTypeAttr(type, value, '__module__')) return -1;
  PyType_Modified(type);
  return PyDict_SetItem(field(type + TP_DICT), s__module__, value);
}
/** `__module__` of a class: the value in its dict (any object), as type_module. */
function type_get_module(type: Ptr): Ptr {
  if (isHeapType(type)) {
    const m = PyDict_GetItem(field(type + TP_DICT), s__module__);
    if (m === NULL) {
      PyErr_SetObject(PyExc_AttributeError, s__module__);
      return NULL;
    }
    Py_INCREF(m);
    return m;
  }
  const n = typeName(type);
  const dot = n.lastIndexOf('.');
  return PyUnicode_FromString(dot >= 0 ? n.slice(0, dot) : 'builtins');
}
function type_get_qualname(type: Ptr): Ptr {
  if (isHeapType(type)) {
    const q = field(type + HT_QUALNAME);
    Py_INCREF(q);
    return q;
  }
  const n = typeName(type);
  return PyUnicode_FromString(n.slice(n.lastIndexOf('.') + 1));
}
for (const gs of slotsOf(PyType_Type).getsets) {
  if (gs.name === '__name__') gs.set = type_set_name;
  else if (gs.name === '__qualname__') {
    gs.get = type_get_qualname;
    gs.set = type_set_qualname;
  } else if (gs.name === '__module__') {
    gs.get = type_get_module;
    gs.set = type_set_module;
  }
}

// ---- obj.__class__ = C (≈ object_set_class, compatible_for_assignment) ----
function compatibleWithTpBase(child: Ptr): boolean {
  const parent = field(child + TP_BASE);
  return parent !== NULL &&
    I32[(child + TP_BASICSIZE) >> 2] === I32[(parent + TP_BASICSIZE) >> 2] &&
    I32[(child + TP_ITEMSIZE) >> 2] === I32[(parent + TP_ITEMSIZE) >> 2] &&
    I32[(child + TP_DICTOFFSET) >> 2] === I32[(parent + TP_DICTOFFSET) >> 2] &&
    I32[(child + TP_WEAKLISTOFFSET) >> 2] === I32[(parent + TP_WEAKLISTOFFSET) >> 2] &&
    (flagsOf(child) & Py_TPFLAGS_HAVE_GC) === (flagsOf(parent) & Py_TPFLAGS_HAVE_GC) &&
    (slotsOf(child).tp_dealloc === subtype_dealloc || slotsOf(child).tp_dealloc === slotsOf(parent).tp_dealloc);
}
function sameSlotsAdded(a: Ptr, b: Ptr): boolean {
  const base = field(a + TP_BASE);
  let size = I32[(base + TP_BASICSIZE) >> 2];
  if (I32[(a + TP_DICTOFFSET) >> 2] === size && I32[(b + TP_DICTOFFSET) >> 2] === size) size += 8;
  if (I32[(a + TP_WEAKLISTOFFSET) >> 2] === size && I32[(b + TP_WEAKLISTOFFSET) >> 2] === size) size += 8;
  if (!isHeapType(a) || !isHeapType(b)) return false;
  const sa = field(a + HT_SLOTS);
  const sb = field(b + HT_SLOTS);
  if (sa !== NULL && sb !== NULL) {
    if (PyObject_RichCompareBool(sa, sb, Py_EQ) !== 1) return false;
    size += 8 * PyTuple_GET_SIZE(sa);
  }
  return size === I32[(a + TP_BASICSIZE) >> 2] && size === I32[(b + TP_BASICSIZE) >> 2];
}
function compatibleForAssignment(oldto: Ptr, newto: Ptr): boolean {
  if (slotsOf(newto).tp_free !== slotsOf(oldto).tp_free) {
    PyErr_SetString(PyExc_TypeError, `__class__ assignment: '${typeName(newto)}' deallocator differs from '${typeName(oldto)}'`);
    return false;
  }
  let newbase = newto;
  let oldbase = oldto;
  while (compatibleWithTpBase(newbase)) newbase = field(newbase + TP_BASE);
  while (compatibleWithTpBase(oldbase)) oldbase = field(oldbase + TP_BASE);
  if (!(newbase !== oldbase && (field(newbase + TP_BASE) !== field(oldbase + TP_BASE) || !sameSlotsAdded(newbase, oldbase))) &&
      (flagsOf(oldto) & Py_TPFLAGS_MANAGED_DICT) === (flagsOf(newto) & Py_TPFLAGS_MANAGED_DICT)) {
    return true;
  }
  PyErr_SetString(PyExc_TypeError, `__class__ assignment: '${typeName(newto)}' object layout differs from '${typeName(oldto)}'`);
  return false;
}
function object_set_class(self: Ptr, value: Ptr): number {
  if (value === NULL) {
    PyErr_SetString(PyExc_TypeError, "can't delete __class__ attribute");
    return -1;
  }
  if (!PyType_Check(value)) {
    PyErr_SetString(PyExc_TypeError, `__class__ must be set to a class, not '${tpName(value)}' object`);
    return -1;
  }
  const newto = value;
  const oldto = Py_TYPE(self);
  if (!isHeapType(newto) || !isHeapType(oldto) || (flagsOf(newto) & Py_TPFLAGS_IMMUTABLETYPE) !== 0 || (flagsOf(oldto) & Py_TPFLAGS_IMMUTABLETYPE) !== 0) {
    PyErr_SetString(PyExc_TypeError, '__class__ assignment only supported for mutable types or ModuleType subclasses');
    return -1;
  }
  if (!compatibleForAssignment(oldto, newto)) return -1;
  // the values are indexed by the old class's shared keys: move them to a dict first
  if ((flagsOf(oldto) & Py_TPFLAGS_MANAGED_DICT) !== 0 && field(self + MANAGED_VALUES_OFFSET) !== NULL) {
    if (materializeDict(self) === NULL) return -1;
  }
  Py_INCREF(newto);
  setField(self + OB_TYPE, newto);
  Py_DECREF(oldto);
  return 0;
}
for (const gs of slotsOf(PyBaseObject_Type).getsets) if (gs.name === '__class__') gs.set = object_set_class;
