// The weakref module (≈ Modules/_weakref.c + the parts of Lib/weakref.py the subset uses):
// ref, proxy, getweakrefcount, getweakrefs, ReferenceType/ProxyType/CallableProxyType/ProxyTypes,
// finalize, WeakValueDictionary, WeakKeyDictionary, KeyedRef.
//
// CPython writes finalize and the weak dictionaries in Python; here they are static types with
// the same observable behaviour:
//
// finalize (GC, no fields: CPython's class has `__slots__ = ()`): the state lives in a registry
//   dict {finalize: info} owned by this module; `info` is an internal GC object
//   [16 weakref][24 func][32 args tuple][40 kwargs dict or NULL][48 atexit][56 index].
//   info.weakref = ref(obj, finalize) — the finalize object is its own weakref callback, so when
//   obj dies (refcount or collector) the callback pops the registry entry and calls func(*args,
//   **kwargs). At exit (finalizeExitfunc, ≈ finalize._exitfunc registered with atexit) the
//   entries with atexit=True run newest first, with the collector disabled meanwhile.
// WeakValueDictionary (GC): [16 data dict {key: KeyedRef(value, remove, key)}][24 remove: a
//   builtin function whose self is a weakref to the dictionary][32 weakreflist]. When a value
//   dies its KeyedRef's callback deletes data[key] if that entry still holds the dead ref
//   (≈ _weakref._remove_dead_weakref).
// WeakKeyDictionary (GC): [16 data dict {ref(key, remove): value}][24 remove][32 weakreflist];
//   lookups go through ref(key) (weakrefs hash and compare like their referents).
// KeyedRef: a ref subclass with a `key` slot at 64 (getsizeof 88).
// keys()/values()/items() return lists of the live entries (CPython returns generators; the
// subset only iterates them).

import { type Ptr, NULL, I32 } from '../mem/heap.js';
import { Py_INCREF, Py_DECREF, Py_XDECREF, Py_TYPE, trashcanBegin, trashcanEnd } from '../object.js';
import {
  newStaticType, slotsOf, typeName, TP_WEAKLISTOFFSET, Py_TPFLAGS_HAVE_GC, Py_TPFLAGS_BASETYPE, METH_NOARGS, METH_O,
  METH_FASTCALL, METH_KEYWORDS, type MethodDef, type visitproc,
} from '../typeobject.js';
import { PyObject_GC_New, PyObject_GC_Del, PyObject_GC_Track, PyObject_GC_UnTrack, gcFlags } from '../gc.js';
import { PyErr_SetString, PyErr_SetObject, PyErr_NoMemory, PyErr_Occurred, PyErr_Clear, PyErr_ExceptionMatches } from '../errors.js';
import { PyExc_TypeError, PyExc_KeyError } from '../objects/exceptions.js';
import { PyObject_GetIter, PyIter_Next, PyObject_IsTrue } from '../abstract.js';
import { PyObject_GetAttrString } from '../typeready.js';
import { PyObject_Call, PyObject_Vectorcall } from '../call.js';
import { Py_None } from '../objects/noneobject.js';
import { PyBool_FromLong } from '../objects/boolobject.js';
import { PyLong_FromNumber } from '../objects/longobject.js';
import { PyUnicode_FromString } from '../objects/unicodeobject.js';
import { PyTuple_GET_SIZE, _PyTuple_FromArray, PyTuple_Pack } from '../objects/tupleobject.js';
import { PyList_New, PyList_Append } from '../objects/listobject.js';
import {
  PyDict_New, PyDict_SetItem, PyDict_GetItemWithError, PyDict_DelItem, PyDict_Size, PyDict_Next, DICT_NEXT, _PyDict_Pop, PyDict_Clear,
} from '../objects/dictobject.js';
import { kwnamesToDict, PyCFunction_New } from '../objects/methodobject.js';
import { PyModule_New, PyModule_AddFunctions, PyModule_AddObjectRef, PyModule_AddObject } from '../objects/moduleobject.js';
import {
  _PyWeakref_RefType, _PyWeakref_ProxyType, _PyWeakref_CallableProxyType, PyWeakref_NewRef, PyWeakref_NewProxy, weakref_new_impl,
  PyType_SUPPORTS_WEAKREFS, weakrefListPtr, _PyWeakref_GetWeakrefCount, PyWeakref_GET_OBJECT, WR_NEXT, WEAKREF_BASICSIZE, WR_CALLBACK,
  clearWeakRefsIfAny, PyWeakref_CheckRef,
} from '../objects/weakrefobject.js';
import { registerBuiltinModule } from './import.js';
import { parseArgs, ARGV } from './modsupport.js';
import { PyErr_WriteUnraisable } from '../vm/traceback.js';

function getF(o: Ptr, off: number): Ptr {
  return I32[(o + off) >> 2];
}
function setF(o: Ptr, off: number, v: Ptr): void {
  I32[(o + off) >> 2] = v;
  I32[(o + off + 4) >> 2] = 0;
}
function none(): Ptr {
  Py_INCREF(Py_None);
  return Py_None;
}
function hexAddr(p: Ptr): string {
  return '0x' + p.toString(16);
}
function typeErr(msg: string): Ptr {
  PyErr_SetString(PyExc_TypeError, msg);
  return NULL;
}
function noKw(name: string, kwnames: Ptr): boolean {
  if (kwnames !== NULL && PyTuple_GET_SIZE(kwnames) > 0) {
    PyErr_SetString(PyExc_TypeError, `${name}() takes no keyword arguments`);
    return false;
  }
  return true;
}
function arity(name: string, nargs: number, min: number, max: number): boolean {
  if (nargs < min) {
    PyErr_SetString(PyExc_TypeError, `${name} expected ${min === max ? '' : 'at least '}${min} argument${min === 1 ? '' : 's'}, got ${nargs}`);
    return false;
  }
  if (nargs > max) {
    PyErr_SetString(PyExc_TypeError, `${name} expected ${min === max ? '' : 'at most '}${max} argument${max === 1 ? '' : 's'}, got ${nargs}`);
    return false;
  }
  return true;
}

// =====================================================================================
// module-level functions (≈ _weakref.c)
// =====================================================================================

/** getweakrefcount(obj) */
function weakref_getweakrefcount(_m: Ptr, o: number): Ptr {
  if (!PyType_SUPPORTS_WEAKREFS(Py_TYPE(o))) return PyLong_FromNumber(0);
  return PyLong_FromNumber(_PyWeakref_GetWeakrefCount(I32[weakrefListPtr(o) >> 2]));
}
/** getweakrefs(obj): the weakrefs in list order */
function weakref_getweakrefs(_m: Ptr, o: number): Ptr {
  if (!PyType_SUPPORTS_WEAKREFS(Py_TYPE(o))) return PyList_New(0);
  const result = PyList_New(0);
  if (result === NULL) return NULL;
  for (let r = I32[weakrefListPtr(o) >> 2]; r !== NULL; r = getF(r, WR_NEXT)) {
    if (PyList_Append(result, r) < 0) {
      Py_DECREF(result);
      return NULL;
    }
  }
  return result;
}
/** proxy(object[, callback]) */
function weakref_proxy(_m: Ptr, args: number, nargs: number): Ptr {
  if (!arity('proxy', nargs, 1, 2)) return NULL;
  return PyWeakref_NewProxy(I32[args >> 2], nargs > 1 ? I32[(args + 8) >> 2] : NULL);
}
/** _remove_dead_weakref(dict, key): delete dict[key] if it is a dead weakref */
function remove_dead_weakref(dct: Ptr, key: Ptr): number {
  const v = PyDict_GetItemWithError(dct, key);
  if (v === NULL) {
    if (PyErr_Occurred() !== NULL) return -1;
    return 0; // already removed
  }
  if (PyWeakref_CheckRef(v) && PyWeakref_GET_OBJECT(v) === Py_None) {
    if (PyDict_DelItem(dct, key) < 0) {
      if (PyErr_ExceptionMatches(PyExc_KeyError)) PyErr_Clear();
      else return -1;
    }
  }
  return 0;
}

// =====================================================================================
// KeyedRef
// =====================================================================================
const KR_KEY = WEAKREF_BASICSIZE;
function keyedref_dealloc(self: Ptr): void {
  const k = getF(self, KR_KEY);
  setF(self, KR_KEY, NULL);
  Py_XDECREF(k);
  slotsOf(_PyWeakref_RefType).tp_dealloc!(self);
}
function keyedref_traverse(self: Ptr, visit: visitproc, arg: number): number {
  const cb = getF(self, WR_CALLBACK);
  if (cb !== NULL) {
    const r = visit(cb, arg);
    if (r) return r;
  }
  const k = getF(self, KR_KEY);
  return k !== NULL ? visit(k, arg) : 0;
}
export const KeyedRef_Type: Ptr = newStaticType({
  name: 'weakref.KeyedRef',
  basicsize: WEAKREF_BASICSIZE + 8,
  base: _PyWeakref_RefType,
  flags: Py_TPFLAGS_HAVE_GC | Py_TPFLAGS_BASETYPE,
  slots: {
    tp_dealloc: keyedref_dealloc,
    tp_traverse: keyedref_traverse,
    members: [{ name: 'key', kind: 'object', offset: KR_KEY, readonly: true }],
  },
});
/** KeyedRef(ob, callback, key): new reference or NULL */
function keyedRefNew(ob: Ptr, callback: Ptr, key: Ptr): Ptr {
  const r = weakref_new_impl(KeyedRef_Type, ob, callback);
  if (r === NULL) return NULL;
  Py_INCREF(key);
  setF(r, KR_KEY, key);
  return r;
}

// =====================================================================================
// Weak dictionaries
// =====================================================================================
const WD_DATA = 16;
const WD_REMOVE = 24;
const WD_WEAKLIST = 32;
const WD_BASICSIZE = 40;

function wd_dealloc(self: Ptr): void {
  PyObject_GC_UnTrack(self);
  if (trashcanBegin(self)) return;
  clearWeakRefsIfAny(self);
  const d = getF(self, WD_DATA);
  const r = getF(self, WD_REMOVE);
  setF(self, WD_DATA, NULL);
  setF(self, WD_REMOVE, NULL);
  Py_XDECREF(d);
  Py_XDECREF(r);
  PyObject_GC_Del(self);
  trashcanEnd();
}
function wd_traverse(self: Ptr, visit: visitproc, arg: number): number {
  for (const off of [WD_DATA, WD_REMOVE]) {
    const v = getF(self, off);
    if (v !== NULL) {
      const r = visit(v, arg);
      if (r) return r;
    }
  }
  return 0;
}
function wd_clear(self: Ptr): number {
  for (const off of [WD_DATA, WD_REMOVE]) {
    const v = getF(self, off);
    if (v !== NULL) {
      setF(self, off, NULL);
      Py_DECREF(v);
    }
  }
  return 0;
}

/** The remove callbacks: self = a weakref to the weak dictionary. */
const wvdRemoveDef: MethodDef = {
  name: 'remove',
  flags: METH_O,
  fn: (selfref: Ptr, wr: number): Ptr => {
    const self = PyWeakref_GET_OBJECT(selfref);
    if (self !== Py_None && getF(self, WD_DATA) !== NULL) {
      if (remove_dead_weakref(getF(self, WD_DATA), getF(wr, KR_KEY)) < 0) return NULL;
    }
    return none();
  },
};
const wkdRemoveDef: MethodDef = {
  name: 'remove',
  flags: METH_O,
  fn: (selfref: Ptr, k: number): Ptr => {
    const self = PyWeakref_GET_OBJECT(selfref);
    if (self !== Py_None && getF(self, WD_DATA) !== NULL) {
      if (PyDict_DelItem(getF(self, WD_DATA), k) < 0) {
        if (PyErr_ExceptionMatches(PyExc_KeyError)) PyErr_Clear();
        else return NULL;
      }
    }
    return none();
  },
};

/** A new empty weak dictionary of `type` (the remove function holds a weakref to it). */
function wdNew(type: Ptr, removeDef: MethodDef): Ptr {
  const self = PyObject_GC_New(type);
  if (self === NULL) return PyErr_NoMemory();
  setF(self, WD_DATA, NULL);
  setF(self, WD_REMOVE, NULL);
  setF(self, WD_WEAKLIST, NULL);
  PyObject_GC_Track(self);
  const data = PyDict_New();
  if (data === NULL) return (Py_DECREF(self), NULL);
  setF(self, WD_DATA, data);
  const selfref = PyWeakref_NewRef(self, NULL);
  if (selfref === NULL) return (Py_DECREF(self), NULL);
  const remove = PyCFunction_New(removeDef, selfref, NULL);
  Py_DECREF(selfref);
  if (remove === NULL) return (Py_DECREF(self), NULL);
  setF(self, WD_REMOVE, remove);
  return self;
}

function mappingUpdate(self: Ptr, other: Ptr, setitem: (self: Ptr, k: Ptr, v: Ptr) => number): number {
  // dict or any object with items(): iterate its items
  const items = callMethod0(other, 'items');
  if (items === NULL) return -1;
  const it = PyObject_GetIter(items);
  Py_DECREF(items);
  if (it === NULL) return -1;
  for (;;) {
    const pair = iterNext(it);
    if (pair === NULL) break;
    const k = I32[(pair + 24) >> 2];
    const v = I32[(pair + 32) >> 2];
    const r = setitem(self, k, v);
    Py_DECREF(pair);
    if (r < 0) {
      Py_DECREF(it);
      return -1;
    }
  }
  Py_DECREF(it);
  return PyErr_Occurred() !== NULL ? -1 : 0;
}
function iterNext(it: Ptr): Ptr {
  return PyIter_Next(it);
}
function callMethod0(o: Ptr, name: string): Ptr {
  const m = PyObject_GetAttrString(o, name);
  if (m === NULL) return NULL;
  const r = PyObject_Vectorcall(m, 0, 0, NULL);
  Py_DECREF(m);
  return r;
}

// ---- WeakValueDictionary ----
function wvd_setitem(self: Ptr, key: Ptr, value: Ptr): number {
  const r = keyedRefNew(value, getF(self, WD_REMOVE), key);
  if (r === NULL) return -1;
  const res = PyDict_SetItem(getF(self, WD_DATA), key, r);
  Py_DECREF(r);
  return res;
}
/** the live value for key (new reference), NULL with KeyError (or another error) */
function wvd_getitem(self: Ptr, key: Ptr): Ptr {
  const wr = PyDict_GetItemWithError(getF(self, WD_DATA), key);
  if (wr === NULL) {
    if (PyErr_Occurred() === NULL) PyErr_SetObject(PyExc_KeyError, key);
    return NULL;
  }
  const o = PyWeakref_GET_OBJECT(wr);
  if (o === Py_None) {
    PyErr_SetObject(PyExc_KeyError, key);
    return NULL;
  }
  Py_INCREF(o);
  return o;
}
function wvd_ass_subscript(self: Ptr, key: Ptr, value: Ptr): number {
  if (value === NULL) return PyDict_DelItem(getF(self, WD_DATA), key);
  return wvd_setitem(self, key, value);
}
function wvd_contains(self: Ptr, key: Ptr): number {
  const wr = PyDict_GetItemWithError(getF(self, WD_DATA), key);
  if (wr === NULL) return PyErr_Occurred() !== NULL ? -1 : 0;
  return PyWeakref_GET_OBJECT(wr) !== Py_None ? 1 : 0;
}
function wd_length(self: Ptr): number {
  return PyDict_Size(getF(self, WD_DATA));
}
/** keys/values/items of the live entries as a list (which: 0 keys, 1 values, 2 items) */
function wvd_list(self: Ptr, which: number): Ptr {
  const result = PyList_New(0);
  if (result === NULL) return NULL;
  const data = getF(self, WD_DATA);
  let pos = 0;
  const pairs: Ptr[] = [];
  while ((pos = PyDict_Next(data, pos)) > 0) {
    const o = PyWeakref_GET_OBJECT(DICT_NEXT.value);
    if (o === Py_None) continue;
    pairs.push(DICT_NEXT.key, o);
  }
  for (let i = 0; i < pairs.length; i += 2) {
    let item: Ptr;
    if (which === 0) item = (Py_INCREF(pairs[i]), pairs[i]);
    else if (which === 1) item = (Py_INCREF(pairs[i + 1]), pairs[i + 1]);
    else item = PyTuple_Pack(2, pairs[i], pairs[i + 1]);
    if (item === NULL || PyList_Append(result, item) < 0) {
      Py_XDECREF(item);
      Py_DECREF(result);
      return NULL;
    }
    Py_DECREF(item);
  }
  return result;
}
function listIter(l: Ptr): Ptr {
  if (l === NULL) return NULL;
  const it = PyObject_GetIter(l);
  Py_DECREF(l);
  return it;
}
const getSpec = { fname: 'get', names: ['key', 'default'], posonly: 2, required: 1, kwonlyFrom: 2 };
function wvd_get(self: Ptr, args: number, nargs: number, kwnames: Ptr): Ptr {
  if (!parseArgs(getSpec, args, nargs, kwnames)) return NULL;
  const key = ARGV[0];
  const dflt = ARGV[1] === NULL ? Py_None : ARGV[1];
  const wr = PyDict_GetItemWithError(getF(self, WD_DATA), key);
  if (wr === NULL) {
    if (PyErr_Occurred() !== NULL) return NULL;
    Py_INCREF(dflt);
    return dflt;
  }
  const o = PyWeakref_GET_OBJECT(wr);
  const r = o === Py_None ? dflt : o;
  Py_INCREF(r);
  return r;
}
const popSpec = { fname: 'pop', names: ['key', 'default'], posonly: 2, required: 1, kwonlyFrom: 2 };
function wvd_pop(self: Ptr, args: number, nargs: number, kwnames: Ptr): Ptr {
  if (!parseArgs(popSpec, args, nargs, kwnames)) return NULL;
  const key = ARGV[0];
  const dflt = ARGV[1];
  const wr = _PyDict_Pop(getF(self, WD_DATA), key, Py_None);
  if (wr === NULL) return NULL;
  let o = wr === Py_None ? Py_None : PyWeakref_GET_OBJECT(wr);
  Py_INCREF(o);
  Py_DECREF(wr);
  if (o === Py_None) {
    Py_DECREF(o);
    if (dflt !== NULL) {
      Py_INCREF(dflt);
      return dflt;
    }
    PyErr_SetObject(PyExc_KeyError, key);
    return NULL;
  }
  return o;
}
function wvd_setdefault(self: Ptr, args: number, nargs: number, kwnames: Ptr): Ptr {
  if (!parseArgs({ fname: 'setdefault', names: ['key', 'default'], posonly: 2, required: 1, kwonlyFrom: 2 }, args, nargs, kwnames)) return NULL;
  const key = ARGV[0];
  const dflt = ARGV[1] === NULL ? Py_None : ARGV[1];
  const wr = PyDict_GetItemWithError(getF(self, WD_DATA), key);
  if (wr !== NULL && PyWeakref_GET_OBJECT(wr) !== Py_None) {
    const o = PyWeakref_GET_OBJECT(wr);
    Py_INCREF(o);
    return o;
  }
  if (PyErr_Occurred() !== NULL) return NULL;
  if (wvd_setitem(self, key, dflt) < 0) return NULL;
  Py_INCREF(dflt);
  return dflt;
}
function wd_update_generic(self: Ptr, args: number, nargs: number, kwnames: Ptr, setitem: (s: Ptr, k: Ptr, v: Ptr) => number): Ptr {
  if (nargs > 1) return typeErr(`update expected at most 1 argument, got ${nargs}`);
  if (nargs === 1 && I32[args >> 2] !== Py_None && mappingUpdate(self, I32[args >> 2], setitem) < 0) return NULL;
  if (kwnames !== NULL) {
    const n = PyTuple_GET_SIZE(kwnames);
    for (let i = 0; i < n; i++) {
      if (setitem(self, I32[(kwnames + 24 + 8 * i) >> 2], I32[(args + 8 * (nargs + i)) >> 2]) < 0) return NULL;
    }
  }
  return none();
}
function wd_clear_method(self: Ptr): Ptr {
  PyDict_Clear(getF(self, WD_DATA));
  return none();
}
function wd_repr(self: Ptr): Ptr {
  return PyUnicode_FromString(`<${typeName(Py_TYPE(self)).replace(/^weakref\./, '')} at ${hexAddr(self)}>`);
}
/** WeakValueDictionary([other], **kw) */
function wvd_type_vectorcall(type: Ptr, args: number, nargs: number, kwnames: Ptr): Ptr {
  if (nargs > 1) return typeErr(`__init__() takes from 1 to 2 positional arguments but ${nargs + 1} were given`);
  const self = wdNew(type, wvdRemoveDef);
  if (self === NULL) return NULL;
  const r = wd_update_generic(self, args, nargs, kwnames, wvd_setitem);
  if (r === NULL) return (Py_DECREF(self), NULL);
  Py_DECREF(r);
  return self;
}

const m0 = (f: (self: Ptr) => Ptr) => (self: Ptr): Ptr => f(self);
export const WeakValueDictionary_Type: Ptr = newStaticType({
  name: 'weakref.WeakValueDictionary',
  basicsize: WD_BASICSIZE,
  flags: Py_TPFLAGS_HAVE_GC | Py_TPFLAGS_BASETYPE,
  slots: {
    tp_dealloc: wd_dealloc,
    tp_traverse: wd_traverse,
    tp_clear: wd_clear,
    tp_repr: wd_repr,
    tp_vectorcall: wvd_type_vectorcall,
    tp_iter: (self: Ptr) => listIter(wvd_list(self, 0)),
    mp_length: wd_length,
    sq_length: wd_length,
    mp_subscript: wvd_getitem,
    mp_ass_subscript: wvd_ass_subscript,
    sq_contains: wvd_contains,
    methods: [
      { name: 'get', flags: METH_FASTCALL | METH_KEYWORDS, fn: wvd_get },
      { name: 'pop', flags: METH_FASTCALL | METH_KEYWORDS, fn: wvd_pop },
      { name: 'setdefault', flags: METH_FASTCALL | METH_KEYWORDS, fn: wvd_setdefault },
      { name: 'keys', flags: METH_NOARGS, fn: m0((s) => wvd_list(s, 0)) },
      { name: 'values', flags: METH_NOARGS, fn: m0((s) => wvd_list(s, 1)) },
      { name: 'items', flags: METH_NOARGS, fn: m0((s) => wvd_list(s, 2)) },
      { name: 'clear', flags: METH_NOARGS, fn: m0(wd_clear_method) },
      { name: 'update', flags: METH_FASTCALL | METH_KEYWORDS, fn: (s: Ptr, a: number, n: number, k: Ptr) => wd_update_generic(s, a, n, k, wvd_setitem) },
      { name: '__len__', flags: METH_NOARGS, fn: m0((s) => PyLong_FromNumber(wd_length(s))) },
    ],
  },
});
I32[(WeakValueDictionary_Type + TP_WEAKLISTOFFSET) >> 2] = WD_WEAKLIST;

// ---- WeakKeyDictionary ----
function wkd_setitem(self: Ptr, key: Ptr, value: Ptr): number {
  const r = PyWeakref_NewRef(key, getF(self, WD_REMOVE));
  if (r === NULL) return -1;
  const res = PyDict_SetItem(getF(self, WD_DATA), r, value);
  Py_DECREF(r);
  return res;
}
/** the basic ref(key) for lookups: new reference or NULL (TypeError when not weakrefable) */
function lookupRef(key: Ptr): Ptr {
  return PyWeakref_NewRef(key, NULL);
}
function wkd_getitem(self: Ptr, key: Ptr): Ptr {
  const r = lookupRef(key);
  if (r === NULL) return NULL;
  const v = PyDict_GetItemWithError(getF(self, WD_DATA), r);
  if (v === NULL) {
    if (PyErr_Occurred() === NULL) PyErr_SetObject(PyExc_KeyError, r);
    Py_DECREF(r);
    return NULL;
  }
  Py_DECREF(r);
  Py_INCREF(v);
  return v;
}
function wkd_ass_subscript(self: Ptr, key: Ptr, value: Ptr): number {
  if (value !== NULL) return wkd_setitem(self, key, value);
  const r = lookupRef(key);
  if (r === NULL) return -1;
  const res = PyDict_DelItem(getF(self, WD_DATA), r);
  Py_DECREF(r);
  return res;
}
function wkd_contains(self: Ptr, key: Ptr): number {
  const r = lookupRef(key);
  if (r === NULL) {
    if (PyErr_ExceptionMatches(PyExc_TypeError)) {
      PyErr_Clear();
      return 0;
    }
    return -1;
  }
  const v = PyDict_GetItemWithError(getF(self, WD_DATA), r);
  Py_DECREF(r);
  if (v === NULL) return PyErr_Occurred() !== NULL ? -1 : 0;
  return 1;
}
function wkd_list(self: Ptr, which: number): Ptr {
  const result = PyList_New(0);
  if (result === NULL) return NULL;
  const data = getF(self, WD_DATA);
  let pos = 0;
  const pairs: Ptr[] = [];
  while ((pos = PyDict_Next(data, pos)) > 0) {
    const k = PyWeakref_GET_OBJECT(DICT_NEXT.key);
    if (k === Py_None) continue;
    pairs.push(k, DICT_NEXT.value);
  }
  for (let i = 0; i < pairs.length; i += 2) {
    let item: Ptr;
    if (which === 0) item = (Py_INCREF(pairs[i]), pairs[i]);
    else if (which === 1) item = (Py_INCREF(pairs[i + 1]), pairs[i + 1]);
    else item = PyTuple_Pack(2, pairs[i], pairs[i + 1]);
    if (item === NULL || PyList_Append(result, item) < 0) {
      Py_XDECREF(item);
      Py_DECREF(result);
      return NULL;
    }
    Py_DECREF(item);
  }
  return result;
}
function wkd_get(self: Ptr, args: number, nargs: number, kwnames: Ptr): Ptr {
  if (!parseArgs(getSpec, args, nargs, kwnames)) return NULL;
  const key = ARGV[0];
  const dflt = ARGV[1] === NULL ? Py_None : ARGV[1];
  const r = lookupRef(key);
  if (r === NULL) return NULL;
  const v = PyDict_GetItemWithError(getF(self, WD_DATA), r);
  Py_DECREF(r);
  if (v === NULL && PyErr_Occurred() !== NULL) return NULL;
  const res = v === NULL ? dflt : v;
  Py_INCREF(res);
  return res;
}
function wkd_pop(self: Ptr, args: number, nargs: number, kwnames: Ptr): Ptr {
  if (!parseArgs(popSpec, args, nargs, kwnames)) return NULL;
  const r = lookupRef(ARGV[0]);
  if (r === NULL) return NULL;
  const v = _PyDict_Pop(getF(self, WD_DATA), r, ARGV[1]);
  Py_DECREF(r);
  return v;
}
function wkd_type_vectorcall(type: Ptr, args: number, nargs: number, kwnames: Ptr): Ptr {
  if (nargs > 1) return typeErr(`__init__() takes from 1 to 2 positional arguments but ${nargs + 1} were given`);
  const self = wdNew(type, wkdRemoveDef);
  if (self === NULL) return NULL;
  const r = wd_update_generic(self, args, nargs, kwnames, wkd_setitem);
  if (r === NULL) return (Py_DECREF(self), NULL);
  Py_DECREF(r);
  return self;
}
export const WeakKeyDictionary_Type: Ptr = newStaticType({
  name: 'weakref.WeakKeyDictionary',
  basicsize: WD_BASICSIZE,
  flags: Py_TPFLAGS_HAVE_GC | Py_TPFLAGS_BASETYPE,
  slots: {
    tp_dealloc: wd_dealloc,
    tp_traverse: wd_traverse,
    tp_clear: wd_clear,
    tp_repr: wd_repr,
    tp_vectorcall: wkd_type_vectorcall,
    tp_iter: (self: Ptr) => listIter(wkd_list(self, 0)),
    mp_length: wd_length,
    sq_length: wd_length,
    mp_subscript: wkd_getitem,
    mp_ass_subscript: wkd_ass_subscript,
    sq_contains: wkd_contains,
    methods: [
      { name: 'get', flags: METH_FASTCALL | METH_KEYWORDS, fn: wkd_get },
      { name: 'pop', flags: METH_FASTCALL | METH_KEYWORDS, fn: wkd_pop },
      { name: 'keys', flags: METH_NOARGS, fn: m0((s) => wkd_list(s, 0)) },
      { name: 'values', flags: METH_NOARGS, fn: m0((s) => wkd_list(s, 1)) },
      { name: 'items', flags: METH_NOARGS, fn: m0((s) => wkd_list(s, 2)) },
      { name: 'clear', flags: METH_NOARGS, fn: m0(wd_clear_method) },
      { name: 'update', flags: METH_FASTCALL | METH_KEYWORDS, fn: (s: Ptr, a: number, n: number, k: Ptr) => wd_update_generic(s, a, n, k, wkd_setitem) },
    ],
  },
});
I32[(WeakKeyDictionary_Type + TP_WEAKLISTOFFSET) >> 2] = WD_WEAKLIST;

// =====================================================================================
// finalize
// =====================================================================================
const INFO_WEAKREF = 16;
const INFO_FUNC = 24;
const INFO_ARGS = 32;
const INFO_KWARGS = 40;
const INFO_ATEXIT = 48;
const INFO_INDEX = 56;
const INFO_BASICSIZE = 64;
const INFO_OBJ_FIELDS = [INFO_WEAKREF, INFO_FUNC, INFO_ARGS, INFO_KWARGS];

function info_dealloc(o: Ptr): void {
  PyObject_GC_UnTrack(o);
  for (const off of INFO_OBJ_FIELDS) {
    const v = getF(o, off);
    setF(o, off, NULL);
    Py_XDECREF(v);
  }
  PyObject_GC_Del(o);
}
function info_traverse(o: Ptr, visit: visitproc, arg: number): number {
  for (const off of INFO_OBJ_FIELDS) {
    const v = getF(o, off);
    if (v !== NULL) {
      const r = visit(v, arg);
      if (r) return r;
    }
  }
  return 0;
}
function info_clear(o: Ptr): number {
  for (const off of INFO_OBJ_FIELDS) {
    const v = getF(o, off);
    if (v !== NULL) {
      setF(o, off, NULL);
      Py_DECREF(v);
    }
  }
  return 0;
}
const Info_Type: Ptr = newStaticType({
  name: 'weakref._Info',
  basicsize: INFO_BASICSIZE,
  flags: Py_TPFLAGS_HAVE_GC,
  slots: { tp_dealloc: info_dealloc, tp_traverse: info_traverse, tp_clear: info_clear },
});

/** finalize._registry (a dict in the heap, created with the first finalizer) */
let registry: Ptr = NULL;
let nextIndex = 0;
/** finalize._shutdown: set once the exit function has run */
let shutdown = false;

/** registry.get(self) (borrowed) or NULL */
function registryGet(self: Ptr): Ptr {
  if (registry === NULL) return NULL;
  const v = PyDict_GetItemWithError(registry, self);
  if (v === NULL) PyErr_Clear();
  return v;
}
/** registry.pop(self, None): new reference to the info, or NULL when absent */
function registryPop(self: Ptr): Ptr {
  if (registry === NULL) return NULL;
  const v = _PyDict_Pop(registry, self, Py_None);
  if (v === NULL) {
    PyErr_Clear();
    return NULL;
  }
  if (v === Py_None) {
    Py_DECREF(v);
    return NULL;
  }
  return v;
}

function finalize_dealloc(self: Ptr): void {
  PyObject_GC_UnTrack(self);
  PyObject_GC_Del(self);
}
function finalize_traverse(): number {
  return 0;
}

/** finalize(obj, func, /, *args, **kwargs) */
function finalize_type_vectorcall(type: Ptr, args: number, nargs: number, kwnames: Ptr): Ptr {
  if (nargs < 2) {
    return typeErr(nargs === 0
      ? "finalize.__init__() missing 2 required positional arguments: 'obj' and 'func'"
      : "finalize.__init__() missing 1 required positional argument: 'func'");
  }
  const obj = I32[args >> 2];
  const func = I32[(args + 8) >> 2];
  const self = PyObject_GC_New(type);
  if (self === NULL) return PyErr_NoMemory();
  PyObject_GC_Track(self);
  if (registry === NULL) {
    registry = PyDict_New();
    if (registry === NULL) return (Py_DECREF(self), NULL);
  }
  const info = PyObject_GC_New(Info_Type);
  if (info === NULL) return (Py_DECREF(self), PyErr_NoMemory());
  I32.fill(0, (info + 16) >> 2, (info + INFO_BASICSIZE) >> 2);
  PyObject_GC_Track(info);
  const wr = PyWeakref_NewRef(obj, self);
  if (wr === NULL) {
    Py_DECREF(info);
    Py_DECREF(self);
    return NULL;
  }
  setF(info, INFO_WEAKREF, wr);
  Py_INCREF(func);
  setF(info, INFO_FUNC, func);
  const a = _PyTuple_FromArray(args + 16, nargs - 2);
  if (a === NULL) return (Py_DECREF(info), Py_DECREF(self), NULL);
  setF(info, INFO_ARGS, a);
  if (kwnames !== NULL && PyTuple_GET_SIZE(kwnames) > 0) {
    const kw = kwnamesToDict(args + 8 * nargs, kwnames);
    if (kw === NULL) return (Py_DECREF(info), Py_DECREF(self), NULL);
    setF(info, INFO_KWARGS, kw);
  }
  I32[(info + INFO_ATEXIT) >> 2] = 1;
  I32[(info + INFO_INDEX) >> 2] = nextIndex++;
  const r = PyDict_SetItem(registry, self, info);
  Py_DECREF(info);
  if (r < 0) return (Py_DECREF(self), NULL);
  return self;
}

/** the call func(*args, **kwargs) of an info (new reference or NULL) */
function callInfo(info: Ptr): Ptr {
  return PyObject_Call(getF(info, INFO_FUNC), getF(info, INFO_ARGS), getF(info, INFO_KWARGS));
}
/** __call__(self, _=None): if alive, mark dead and return func(*args, **kwargs); else None */
function finalize_vectorcall(self: Ptr, _args: number, nargs: number, kwnames: Ptr): Ptr {
  if (nargs > 1 || (kwnames !== NULL && PyTuple_GET_SIZE(kwnames) > 0)) {
    return typeErr(`finalize.__call__() takes from 1 to 2 positional arguments but ${nargs + 1} were given`);
  }
  const info = registryPop(self);
  if (info === NULL) return none();
  let r: Ptr;
  if (!shutdown) r = callInfo(info);
  else r = none();
  Py_DECREF(info);
  return r;
}
/** (obj, func, args, kwargs or {}) as a new tuple, or NULL */
function pieces(obj: Ptr, info: Ptr): Ptr {
  let kw = getF(info, INFO_KWARGS);
  if (kw === NULL) {
    kw = PyDict_New();
    if (kw === NULL) return NULL;
  } else Py_INCREF(kw);
  const t = PyTuple_Pack(4, obj, getF(info, INFO_FUNC), getF(info, INFO_ARGS), kw);
  Py_DECREF(kw);
  return t;
}
function finalize_detach(self: Ptr): Ptr {
  const info = registryGet(self);
  if (info === NULL) return none();
  const obj = PyWeakref_GET_OBJECT(getF(info, INFO_WEAKREF));
  if (obj === Py_None) return none();
  Py_INCREF(obj);
  Py_INCREF(info);
  const popped = registryPop(self);
  if (popped === NULL) {
    Py_DECREF(info);
    Py_DECREF(obj);
    return none();
  }
  Py_DECREF(popped);
  const t = pieces(obj, info);
  Py_DECREF(info);
  Py_DECREF(obj);
  return t;
}
function finalize_peek(self: Ptr): Ptr {
  const info = registryGet(self);
  if (info === NULL) return none();
  const obj = PyWeakref_GET_OBJECT(getF(info, INFO_WEAKREF));
  if (obj === Py_None) return none();
  return pieces(obj, info);
}
function finalize_alive(self: Ptr): Ptr {
  return PyBool_FromLong(registryGet(self) !== NULL);
}
function finalize_atexit_get(self: Ptr): Ptr {
  const info = registryGet(self);
  return PyBool_FromLong(info !== NULL && I32[(info + INFO_ATEXIT) >> 2] !== 0);
}
function finalize_atexit_set(self: Ptr, v: Ptr): number {
  const info = registryGet(self);
  if (info !== NULL) {
    const b = PyObject_IsTrue(v);
    if (b < 0) return -1;
    I32[(info + INFO_ATEXIT) >> 2] = b;
  }
  return 0;
}
function finalize_repr(self: Ptr): Ptr {
  const info = registryGet(self);
  const obj = info === NULL ? Py_None : PyWeakref_GET_OBJECT(getF(info, INFO_WEAKREF));
  if (obj === Py_None) return PyUnicode_FromString(`<finalize object at ${hexAddr(self)}; dead>`);
  return PyUnicode_FromString(`<finalize object at ${hexAddr(self)}; for '${typeName(Py_TYPE(obj)).replace(/^.*\./, '')}' at ${hexAddr(obj)}>`);
}

export const finalize_Type: Ptr = newStaticType({
  name: 'weakref.finalize',
  basicsize: 16,
  flags: Py_TPFLAGS_HAVE_GC | Py_TPFLAGS_BASETYPE,
  slots: {
    tp_dealloc: finalize_dealloc,
    tp_traverse: finalize_traverse,
    tp_repr: finalize_repr,
    tp_vectorcall: finalize_type_vectorcall,
    ob_vectorcall: finalize_vectorcall,
    methods: [
      { name: 'detach', flags: METH_NOARGS, fn: (s: Ptr) => finalize_detach(s) },
      { name: 'peek', flags: METH_NOARGS, fn: (s: Ptr) => finalize_peek(s) },
    ],
    getsets: [
      { name: 'alive', get: finalize_alive },
      { name: 'atexit', get: finalize_atexit_get, set: finalize_atexit_set },
    ],
  },
});

/** ≈ finalize._exitfunc (registered with atexit by the first finalizer): run the finalizers
 *  whose atexit flag is set, newest first, with the collector disabled; then no finalizer runs
 *  any more (finalize._shutdown). Errors are printed like sys.excepthook and do not stop it. */
export function finalizeExitfunc(): void {
  let reenable = false;
  try {
    if (registry !== NULL && PyDict_Size(registry) > 0) {
      if (gcFlags.enabled) {
        reenable = true;
        gcFlags.enabled = false;
      }
      for (;;) {
        // ≈ _select_for_exit: the atexit entries by index; pop() takes the newest
        let best: Ptr = NULL;
        let bestIndex = -1;
        let pos = 0;
        while ((pos = PyDict_Next(registry, pos)) > 0) {
          const info = DICT_NEXT.value;
          if (I32[(info + INFO_ATEXIT) >> 2] !== 0 && I32[(info + INFO_INDEX) >> 2] > bestIndex) {
            bestIndex = I32[(info + INFO_INDEX) >> 2];
            best = DICT_NEXT.key;
          }
        }
        if (best === NULL) break;
        Py_INCREF(best);
        const r = finalize_vectorcall(best, 0, 0, NULL);
        Py_DECREF(best);
        if (r === NULL) PyErr_WriteUnraisable(NULL, null);
        else Py_DECREF(r);
      }
    }
  } finally {
    shutdown = true;
    if (reenable) gcFlags.enabled = true;
  }
}
/** Drop the finalize registry (interpreter teardown, after the modules are cleared). */
export function finalizeRegistryFini(): void {
  const r = registry;
  registry = NULL;
  Py_XDECREF(r);
  shutdown = false;
  nextIndex = 0;
}

// =====================================================================================
// the module
// =====================================================================================
const weakrefMethods: MethodDef[] = [
  { name: 'getweakrefcount', flags: METH_O, fn: (m: Ptr, o: number) => weakref_getweakrefcount(m, o) },
  { name: 'getweakrefs', flags: METH_O, fn: (m: Ptr, o: number) => weakref_getweakrefs(m, o) },
  { name: 'proxy', flags: METH_FASTCALL, fn: (m: Ptr, a: number, n: number) => weakref_proxy(m, a, n) },
  {
    name: '_remove_dead_weakref',
    flags: METH_FASTCALL,
    fn: (_m: Ptr, a: number, n: number): Ptr => {
      if (!arity('_remove_dead_weakref', n, 2, 2)) return NULL;
      return remove_dead_weakref(I32[a >> 2], I32[(a + 8) >> 2]) < 0 ? NULL : none();
    },
  },
];

/** ≈ import weakref: a new module. New reference or NULL. */
export function PyInit_weakref(): Ptr {
  const m = PyModule_New('weakref');
  if (m === NULL) return NULL;
  if (PyModule_AddFunctions(m, weakrefMethods) < 0) return (Py_DECREF(m), NULL);
  const types: [string, Ptr][] = [
    ['ref', _PyWeakref_RefType], ['ReferenceType', _PyWeakref_RefType], ['ProxyType', _PyWeakref_ProxyType],
    ['CallableProxyType', _PyWeakref_CallableProxyType], ['KeyedRef', KeyedRef_Type], ['finalize', finalize_Type],
    ['WeakValueDictionary', WeakValueDictionary_Type], ['WeakKeyDictionary', WeakKeyDictionary_Type],
  ];
  for (const [k, t] of types) if (PyModule_AddObjectRef(m, k, t) < 0) return (Py_DECREF(m), NULL);
  if (PyModule_AddObject(m, 'ProxyTypes', PyTuple_Pack(2, _PyWeakref_ProxyType, _PyWeakref_CallableProxyType)) < 0) return (Py_DECREF(m), NULL);
  return m;
}
registerBuiltinModule('weakref', PyInit_weakref);
registerBuiltinModule('_weakref', PyInit_weakref);

