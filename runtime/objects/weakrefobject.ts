// Weak references and proxies (≈ Objects/weakrefobject.c, CPython 3.11), and the collector's
// weakref phase (≈ Modules/gcmodule.c handle_weakrefs).
//
// PyWeakReference (GC; 64 bytes + 16 GC head = getsizeof 80), used by ref, proxy and callable
// proxy objects alike:
//    0 ob_refcnt · 8 ob_type · 16 wr_object (borrowed; None when dead) · 24 wr_callback
//   32 hash (8 bytes, -1 = not computed) · 40 wr_prev · 48 wr_next · 56 vectorcall (unused)
//
// Every object whose type has tp_weaklistoffset > 0 keeps, at that offset, the head of a
// doubly linked list of the weakrefs to it (through wr_prev/wr_next). The list order is
// CPython's: the shared callback-less ref first, then the shared callback-less proxy, then the
// refs and proxies with callbacks, newest first (each one goes right after the basic ones). So
// walking the list from the head calls the callbacks newest first.
//
// Death of the referent:
//  - refcount path (PyObject_ClearWeakRefs, called from the referent's tp_dealloc): the basic
//    ref/proxy are cleared, then every other weakref is cleared and, when it is still alive, its
//    callback is called with it (for several, CPython collects (ref, callback) pairs in a tuple
//    first — the same tuple is allocated here, as it moves the gen0 count and the free lists).
//  - collector (handle_weakrefs): weakrefs to garbage are cleared before any finalizer runs; only
//    the callbacks of weakrefs that are not garbage themselves are called.
// A cleared weakref points at None; `ref()` then returns None and a proxy raises ReferenceError.

import {
  type Ptr, NULL as NULL__i, I32 as I32__i, staticAlloc,
} from '../mem/heap.js';
const NULL = NULL__i;
const I32 = I32__i;
import { OB_TYPE, HASH_HI, Py_INCREF, Py_DECREF, Py_XDECREF, Py_TYPE, Py_REFCNT } from '../object.js';
import {
  newStaticType, typeName, slotsOf, PyType_IsSubtype, PyType_Type, TP_WEAKLISTOFFSET, Py_TPFLAGS_HAVE_GC, Py_TPFLAGS_BASETYPE,
  Py_EQ, Py_NE, type visitproc, type Slots, type binaryfunc, type unaryfunc,
} from '../typeobject.js';
import {
  PyObject_GC_New, PyObject_GC_Del, PyObject_GC_Track, PyObject_GC_UnTrack, PyType_GenericAlloc, gcHooks,
  gc_list_init, gc_list_is_empty, gc_list_move, GC_NEXT_OF, gc_is_collecting,
} from '../gc.js';
import { PyErr_SetString, PyErr_NoMemory, PyErr_Occurred, PyErr_Fetch, PyErr_Restore, PyErr_Clear } from '../errors.js';
import { PyExc_TypeError, PyExc_ReferenceError, PyExc_AttributeError } from './exceptions.js';
import {
  PyObject_Hash, PyObject_RichCompare, PyObject_Repr, PyObject_Str, PyObject_IsTrue, PyObject_GetIter, PyIter_Next,
  PyObject_Size, PyObject_GetItem, PyObject_SetItem, PyObject_DelItem, PySequence_Contains,
  PyNumber_Add, PyNumber_Subtract, PyNumber_Multiply, PyNumber_TrueDivide, PyNumber_FloorDivide, PyNumber_Remainder,
  PyNumber_Negative, PyNumber_Positive, PyNumber_Absolute, PyNumber_Invert, PyNumber_Index, PyNumber_Long, PyNumber_Float,
  PyNumber_And, PyNumber_Or, PyNumber_Xor, PyNumber_Lshift, PyNumber_Rshift,
} from '../abstract.js';
import { PyObject_CallOneArg, PyObject_Vectorcall, PyCallable_Check } from '../call.js';
import { PyObject_GetAttr, PyObject_SetAttr, type_call } from '../typeready.js';
import { Py_None, Py_NotImplemented } from './noneobject.js';
import { Py_True, Py_False } from './boolobject.js';
import { PyUnicode_FromString, PyUnicode_Check, unicodeToJs, PyUnicode_InternFromString } from './unicodeobject.js';
import { PyTuple_New, PyTuple_SET_ITEM, PyTuple_GET_ITEM, PyTuple_GET_SIZE, _PyTuple_FromArray } from './tupleobject.js';
import { PyDict_Size } from './dictobject.js';

// ---- layout ----
export const WR_OBJECT = 16;
export const WR_CALLBACK = 24;
export const WR_HASH = 32;
export const WR_PREV = 40;
export const WR_NEXT = 48;
export const WR_VECTORCALL = 56;
export const WEAKREF_BASICSIZE = 64;

function getF(o: Ptr, off: number): Ptr {
  return I32[(o + off) >> 2];
}
function setF(o: Ptr, off: number, v: Ptr): void {
  I32[(o + off) >> 2] = v;
  I32[(o + off + 4) >> 2] = 0;
}

// =====================================================================================
// list helpers
// =====================================================================================

/** ≈ _PyType_SUPPORTS_WEAKREFS */
export function PyType_SUPPORTS_WEAKREFS(type: Ptr): boolean {
  return I32[(type + TP_WEAKLISTOFFSET) >> 2] > 0;
}
/** Address of the weakref list head of `o` (≈ _PyObject_GET_WEAKREFS_LISTPTR). */
export function weakrefListPtr(o: Ptr): number {
  return o + I32[(I32[(o + OB_TYPE) >> 2] + TP_WEAKLISTOFFSET) >> 2];
}

export function PyWeakref_CheckRef(o: Ptr): boolean {
  const t = I32[(o + OB_TYPE) >> 2];
  return t === _PyWeakref_RefType || PyType_IsSubtype(t, _PyWeakref_RefType);
}
export function PyWeakref_CheckRefExact(o: Ptr): boolean {
  return I32[(o + OB_TYPE) >> 2] === _PyWeakref_RefType;
}
export function PyWeakref_CheckProxy(o: Ptr): boolean {
  const t = I32[(o + OB_TYPE) >> 2];
  return t === _PyWeakref_ProxyType || t === _PyWeakref_CallableProxyType;
}
/** ≈ PyWeakref_Check: a ref (or subclass) or a proxy. */
export function PyWeakref_Check(o: Ptr): boolean {
  return PyWeakref_CheckRef(o) || PyWeakref_CheckProxy(o);
}

/** ≈ PyWeakref_GET_OBJECT: the referent (borrowed), None when dead. */
export function PyWeakref_GET_OBJECT(wr: Ptr): Ptr {
  return getF(wr, WR_OBJECT);
}

/** ≈ clear_weakref: unlink from the referent's list, point at None, drop the callback. */
function clear_weakref(self: Ptr): void {
  const callback = getF(self, WR_CALLBACK);
  const obj = getF(self, WR_OBJECT);
  if (obj !== Py_None) {
    const list = weakrefListPtr(obj);
    const prev = getF(self, WR_PREV);
    const next = getF(self, WR_NEXT);
    if (I32[list >> 2] === self) setF(list, 0, next);
    setF(self, WR_OBJECT, Py_None);
    if (prev !== NULL) setF(prev, WR_NEXT, next);
    if (next !== NULL) setF(next, WR_PREV, prev);
    setF(self, WR_PREV, NULL);
    setF(self, WR_NEXT, NULL);
  }
  if (callback !== NULL) {
    setF(self, WR_CALLBACK, NULL);
    Py_DECREF(callback);
  }
}

/** ≈ _PyWeakref_ClearRef: clear the weakref but keep its callback (the collector's use). */
export function _PyWeakref_ClearRef(self: Ptr): void {
  const callback = getF(self, WR_CALLBACK);
  setF(self, WR_CALLBACK, NULL);
  clear_weakref(self);
  setF(self, WR_CALLBACK, callback);
}

/** ≈ _PyWeakref_GetWeakrefCount: length of a weakref list starting at `head`. */
export function _PyWeakref_GetWeakrefCount(head: Ptr): number {
  let n = 0;
  for (let r = head; r !== NULL; r = getF(r, WR_NEXT)) n++;
  return n;
}

// out-parameters of get_basic_refs
let basicRef: Ptr = NULL;
let basicProxy: Ptr = NULL;
/** ≈ get_basic_refs: the shared callback-less ref and proxy at the head of a list. */
function get_basic_refs(head: Ptr): void {
  basicRef = NULL;
  basicProxy = NULL;
  if (head !== NULL && getF(head, WR_CALLBACK) === NULL) {
    if (PyWeakref_CheckRefExact(head)) {
      basicRef = head;
      head = getF(head, WR_NEXT);
    }
    if (head !== NULL && getF(head, WR_CALLBACK) === NULL && PyWeakref_CheckProxy(head)) basicProxy = head;
  }
}
/** ≈ insert_after */
function insert_after(newref: Ptr, prev: Ptr): void {
  const next = getF(prev, WR_NEXT);
  setF(newref, WR_PREV, prev);
  setF(newref, WR_NEXT, next);
  if (next !== NULL) setF(next, WR_PREV, newref);
  setF(prev, WR_NEXT, newref);
}
/** ≈ insert_head */
function insert_head(newref: Ptr, list: number): void {
  const next = I32[list >> 2];
  setF(newref, WR_PREV, NULL);
  setF(newref, WR_NEXT, next);
  if (next !== NULL) setF(next, WR_PREV, newref);
  setF(list, 0, newref);
}

/** ≈ init_weakref (callback borrowed, may be NULL) */
function init_weakref(self: Ptr, ob: Ptr, callback: Ptr): void {
  I32[(self + WR_HASH) >> 2] = -1;
  I32[(self + WR_HASH + 4) >> 2] = -1;
  setF(self, WR_OBJECT, ob);
  setF(self, WR_PREV, NULL);
  setF(self, WR_NEXT, NULL);
  if (callback !== NULL) Py_INCREF(callback);
  setF(self, WR_CALLBACK, callback);
  setF(self, WR_VECTORCALL, NULL);
}

function cannotWeakref(ob: Ptr): Ptr {
  PyErr_SetString(PyExc_TypeError, `cannot create weak reference to '${typeName(Py_TYPE(ob))}' object`);
  return NULL;
}

/** ≈ new_weakref: a tracked ref object (GC allocator). */
function new_weakref(ob: Ptr, callback: Ptr): Ptr {
  const r = PyObject_GC_New(_PyWeakref_RefType);
  if (r === NULL) return PyErr_NoMemory();
  init_weakref(r, ob, callback);
  PyObject_GC_Track(r);
  return r;
}

/** ≈ weakref___new__ for `type` (ref or a subclass). `callback` borrowed, NULL or None for none.
 *  New reference or NULL. */
export function weakref_new_impl(type: Ptr, ob: Ptr, callback: Ptr): Ptr {
  if (!PyType_SUPPORTS_WEAKREFS(Py_TYPE(ob))) return cannotWeakref(ob);
  if (callback === Py_None) callback = NULL;
  const list = weakrefListPtr(ob);
  get_basic_refs(I32[list >> 2]);
  if (callback === NULL && type === _PyWeakref_RefType && basicRef !== NULL) {
    // reuse the shared reference
    Py_INCREF(basicRef);
    return basicRef;
  }
  // the allocation can run the collector, which may change the list: look again afterwards
  const self = PyType_GenericAlloc(type, 0);
  if (self === NULL) return PyErr_NoMemory();
  init_weakref(self, ob, callback);
  if (callback === NULL && type === _PyWeakref_RefType) {
    insert_head(self, list);
  } else {
    get_basic_refs(I32[list >> 2]);
    const prev = basicProxy === NULL ? basicRef : basicProxy;
    if (prev === NULL) insert_head(self, list);
    else insert_after(self, prev);
  }
  return self;
}

/** ≈ PyWeakref_NewRef(ob, callback): new reference or NULL. */
export function PyWeakref_NewRef(ob: Ptr, callback: Ptr): Ptr {
  if (!PyType_SUPPORTS_WEAKREFS(Py_TYPE(ob))) return cannotWeakref(ob);
  const list = weakrefListPtr(ob);
  get_basic_refs(I32[list >> 2]);
  if (callback === Py_None) callback = NULL;
  if (callback === NULL && basicRef !== NULL) {
    Py_INCREF(basicRef);
    return basicRef;
  }
  const result = new_weakref(ob, callback);
  if (result === NULL) return NULL;
  get_basic_refs(I32[list >> 2]);
  if (callback === NULL) {
    if (basicRef !== NULL) {
      // someone added one meanwhile (a collection during the allocation)
      Py_DECREF(result);
      Py_INCREF(basicRef);
      return basicRef;
    }
    insert_head(result, list);
  } else {
    const prev = basicProxy === NULL ? basicRef : basicProxy;
    if (prev === NULL) insert_head(result, list);
    else insert_after(result, prev);
  }
  return result;
}

/** ≈ PyWeakref_NewProxy(ob, callback): new reference or NULL. */
export function PyWeakref_NewProxy(ob: Ptr, callback: Ptr): Ptr {
  if (!PyType_SUPPORTS_WEAKREFS(Py_TYPE(ob))) return cannotWeakref(ob);
  const list = weakrefListPtr(ob);
  get_basic_refs(I32[list >> 2]);
  if (callback === Py_None) callback = NULL;
  if (callback === NULL && basicProxy !== NULL) {
    Py_INCREF(basicProxy);
    return basicProxy;
  }
  const result = new_weakref(ob, callback);
  if (result === NULL) return NULL;
  I32[(result + OB_TYPE) >> 2] = PyCallable_Check(ob) ? _PyWeakref_CallableProxyType : _PyWeakref_ProxyType;
  get_basic_refs(I32[list >> 2]);
  let prev: Ptr;
  if (callback === NULL) {
    if (basicProxy !== NULL) {
      Py_DECREF(result);
      Py_INCREF(basicProxy);
      return basicProxy;
    }
    prev = basicRef;
  } else {
    prev = basicProxy === NULL ? basicRef : basicProxy;
  }
  if (prev === NULL) insert_head(result, list);
  else insert_after(result, prev);
  return result;
}

// =====================================================================================
// Clearing at the referent's death
// =====================================================================================

/** The unraisable-error printer (≈ PyErr_WriteUnraisable), shared with the collector. */
function writeUnraisable(obj: Ptr): void {
  if (gcHooks.writeUnraisable !== null) gcHooks.writeUnraisable(obj, null);
  else PyErr_Clear();
}

/** ≈ handle_callback */
function handle_callback(ref: Ptr, callback: Ptr): void {
  const r = PyObject_CallOneArg(callback, ref);
  if (r === NULL) writeUnraisable(callback);
  else Py_DECREF(r);
}

/** ≈ PyObject_ClearWeakRefs: called by the tp_dealloc of an object whose type supports weakrefs
 *  (refcount 0): clear every weakref to it and call the callbacks of those still alive, in list
 *  order (newest first). A pending exception is saved and restored around the callbacks. */
export function PyObject_ClearWeakRefs(object: Ptr): void {
  const list = weakrefListPtr(object);
  let head = I32[list >> 2];
  if (head === NULL) return;
  // the callback-less basic ref and proxy
  if (getF(head, WR_CALLBACK) === NULL) {
    clear_weakref(head);
    head = I32[list >> 2];
    if (head !== NULL && getF(head, WR_CALLBACK) === NULL) clear_weakref(head);
  }
  let current = I32[list >> 2];
  if (current === NULL) return;
  const count = _PyWeakref_GetWeakrefCount(current);
  const saved = PyErr_Occurred() !== NULL ? PyErr_Fetch() : NULL;
  if (count === 1) {
    const callback = getF(current, WR_CALLBACK);
    setF(current, WR_CALLBACK, NULL);
    clear_weakref(current);
    if (callback !== NULL) {
      if (Py_REFCNT(current) > 0) handle_callback(current, callback);
      Py_DECREF(callback);
    }
  } else {
    const tuple = PyTuple_New(count * 2);
    if (tuple === NULL) {
      if (saved !== NULL) PyErr_Restore(saved);
      return;
    }
    for (let i = 0; i < count; i++) {
      const next = getF(current, WR_NEXT);
      if (Py_REFCNT(current) > 0) {
        Py_INCREF(current);
        PyTuple_SET_ITEM(tuple, i * 2, current);
        PyTuple_SET_ITEM(tuple, i * 2 + 1, getF(current, WR_CALLBACK));
      } else {
        Py_XDECREF(getF(current, WR_CALLBACK));
      }
      setF(current, WR_CALLBACK, NULL);
      clear_weakref(current);
      current = next;
    }
    for (let i = 0; i < count; i++) {
      const callback = PyTuple_GET_ITEM(tuple, i * 2 + 1);
      if (callback !== NULL) handle_callback(PyTuple_GET_ITEM(tuple, i * 2), callback);
    }
    Py_DECREF(tuple);
  }
  if (saved !== NULL) PyErr_Restore(saved);
}

/** The hook that deallocs call (funcobject, genobject, classes): only when there are weakrefs. */
export function clearWeakRefsIfAny(o: Ptr): void {
  if (PyType_SUPPORTS_WEAKREFS(Py_TYPE(o)) && I32[weakrefListPtr(o) >> 2] !== NULL) PyObject_ClearWeakRefs(o);
}

// =====================================================================================
// The collector's weakref phase (≈ gcmodule.c handle_weakrefs)
// =====================================================================================

/** Clear all weakrefs to the objects in `unreachable` (and the weakrefs that are themselves in
 *  it); call the callbacks of the cleared weakrefs that are not garbage. Returns how many of
 *  those weakrefs died right after their callback (they count as collected); the survivors move
 *  to `old`. Callbacks run only after every weakref to the garbage is cleared. */
export function handle_weakrefs(unreachable: Ptr, old: Ptr): number {
  const wrcbToCall = WRCB_TO_CALL;
  gc_list_init(wrcbToCall);
  let numFreed = 0;
  for (let g = GC_NEXT_OF(unreachable); g !== unreachable; ) {
    const op = g + 16;
    const next = GC_NEXT_OF(g);
    // a weakref inside the garbage is cleared, its callback never called
    if (PyWeakref_Check(op)) _PyWeakref_ClearRef(op);
    if (PyType_SUPPORTS_WEAKREFS(Py_TYPE(op))) {
      const list = weakrefListPtr(op);
      for (let wr = I32[list >> 2]; wr !== NULL; wr = I32[list >> 2]) {
        _PyWeakref_ClearRef(wr);
        if (getF(wr, WR_CALLBACK) === NULL) continue;
        // a weakref that is garbage too: its callback is not called
        if (gc_is_collecting(wr)) continue;
        Py_INCREF(wr);
        gc_list_move(wr - 16, wrcbToCall);
      }
    }
    g = next;
  }
  while (!gc_list_is_empty(wrcbToCall)) {
    const g = GC_NEXT_OF(wrcbToCall);
    const op = g + 16;
    const callback = getF(op, WR_CALLBACK);
    const r = PyObject_CallOneArg(callback, op);
    if (r === NULL) writeUnraisable(callback);
    else Py_DECREF(r);
    Py_DECREF(op);
    if (GC_NEXT_OF(wrcbToCall) === g) gc_list_move(g, old); // still alive
    else numFreed++;
  }
  return numFreed;
}
const WRCB_TO_CALL: Ptr = (() => {
  const h = staticAlloc(16, 16);
  I32[h >> 2] = h;
  I32[(h + 8) >> 2] = h;
  return h;
})();

// =====================================================================================
// The ref type
// =====================================================================================

function weakref_dealloc(self: Ptr): void {
  PyObject_GC_UnTrack(self);
  clear_weakref(self);
  const f = slotsOf(Py_TYPE(self)).tp_free;
  if (f !== undefined) f(self);
  else PyObject_GC_Del(self);
}
function gc_traverse(self: Ptr, visit: visitproc, arg: number): number {
  const cb = getF(self, WR_CALLBACK);
  return cb !== NULL ? visit(cb, arg) : 0;
}
function gc_clear(self: Ptr): number {
  clear_weakref(self);
  return 0;
}

/** ≈ weakref_vectorcall: `r()` */
function weakref_vectorcall(self: Ptr, _args: number, nargs: number, kwnames: Ptr): Ptr {
  if (kwnames !== NULL && PyTuple_GET_SIZE(kwnames) > 0) {
    PyErr_SetString(PyExc_TypeError, 'weakref() takes no keyword arguments');
    return NULL;
  }
  if (nargs !== 0) {
    PyErr_SetString(PyExc_TypeError, `weakref expected 0 arguments, got ${nargs}`);
    return NULL;
  }
  const o = getF(self, WR_OBJECT);
  Py_INCREF(o);
  return o;
}
function weakref_call(self: Ptr, args: Ptr, kw: Ptr): Ptr {
  if (kw !== NULL && PyDict_Size(kw) > 0) {
    PyErr_SetString(PyExc_TypeError, 'weakref() takes no keyword arguments');
    return NULL;
  }
  const n = PyTuple_GET_SIZE(args);
  if (n !== 0) {
    PyErr_SetString(PyExc_TypeError, `weakref expected 0 arguments, got ${n}`);
    return NULL;
  }
  const o = getF(self, WR_OBJECT);
  Py_INCREF(o);
  return o;
}

/** ≈ weakref_hash: the referent's hash, cached; TypeError once the referent is gone. */
function weakref_hash(self: Ptr): number {
  const lo = I32[(self + WR_HASH) >> 2];
  const hi = I32[(self + WR_HASH + 4) >> 2];
  if (lo !== -1 || hi !== -1) {
    HASH_HI[0] = hi;
    return lo;
  }
  const obj = getF(self, WR_OBJECT);
  if (obj === Py_None) {
    PyErr_SetString(PyExc_TypeError, 'weak object has gone away');
    HASH_HI[0] = -1;
    return -1;
  }
  Py_INCREF(obj);
  const h = PyObject_Hash(obj);
  const hh = HASH_HI[0];
  Py_DECREF(obj);
  I32[(self + WR_HASH) >> 2] = h;
  I32[(self + WR_HASH + 4) >> 2] = hh;
  HASH_HI[0] = hh;
  return h;
}

function hexAddr(p: Ptr): string {
  return '0x' + p.toString(16);
}

/** ≈ weakref_repr: `<weakref at 0x..; to 'A' at 0x..>` (plus ` (name)` when the referent has
 *  a str __name__), `<weakref at 0x..; dead>` */
function weakref_repr(self: Ptr): Ptr {
  const obj = getF(self, WR_OBJECT);
  if (obj === Py_None) return PyUnicode_FromString(`<weakref at ${hexAddr(self)}; dead>`);
  Py_INCREF(obj);
  const name = lookupName(obj);
  if (name === -1) {
    Py_DECREF(obj);
    return NULL;
  }
  let r: Ptr;
  if (name === NULL || !PyUnicode_Check(name)) {
    r = PyUnicode_FromString(`<weakref at ${hexAddr(self)}; to '${typeName(Py_TYPE(obj))}' at ${hexAddr(obj)}>`);
  } else {
    r = PyUnicode_FromString(`<weakref at ${hexAddr(self)}; to '${typeName(Py_TYPE(obj))}' at ${hexAddr(obj)} (${unicodeToJs(name)})>`);
  }
  Py_XDECREF(name);
  Py_DECREF(obj);
  return r;
}
let s__name__: Ptr = NULL;
/** ≈ _PyObject_LookupAttr(obj, "__name__"): new reference, NULL when absent (AttributeError
 *  cleared), -1 on another error. */
function lookupName(obj: Ptr): Ptr {
  if (s__name__ === NULL) s__name__ = PyUnicode_InternFromString('__name__');
  const v = PyObject_GetAttr(obj, s__name__);
  if (v !== NULL) return v;
  const e = PyErr_Fetch();
  if (e !== NULL && !PyType_IsSubtype(Py_TYPE(e), attributeErrorType())) {
    PyErr_Restore(e);
    return -1;
  }
  Py_XDECREF(e);
  return NULL;
}
function attributeErrorType(): Ptr {
  return PyExc_AttributeError;
}

/** ≈ weakref_richcompare: == / != only; dead refs compare by identity. */
function weakref_richcompare(self: Ptr, other: Ptr, op: number): Ptr {
  if ((op !== Py_EQ && op !== Py_NE) || !PyWeakref_CheckRef(self) || !PyWeakref_CheckRef(other)) {
    Py_INCREF(Py_NotImplemented);
    return Py_NotImplemented;
  }
  const a = getF(self, WR_OBJECT);
  const b = getF(other, WR_OBJECT);
  if (a === Py_None || b === Py_None) {
    let res = self === other;
    if (op === Py_NE) res = !res;
    const r = res ? Py_True : Py_False;
    Py_INCREF(r);
    return r;
  }
  Py_INCREF(a);
  Py_INCREF(b);
  const r = PyObject_RichCompare(a, b, op);
  Py_DECREF(a);
  Py_DECREF(b);
  return r;
}

function parseNewArgs(fname: string, args: Ptr, kw: Ptr): boolean {
  const n = PyTuple_GET_SIZE(args);
  if (n < 1 || n > 2) {
    PyErr_SetString(PyExc_TypeError, n < 1 ? `${fname} expected at least 1 argument, got ${n}` : `${fname} expected at most 2 arguments, got ${n}`);
    return false;
  }
  if (kw !== NULL && PyDict_Size(kw) > 0) {
    PyErr_SetString(PyExc_TypeError, 'ref() takes no keyword arguments');
    return false;
  }
  return true;
}
/** ≈ weakref___new__ */
function weakref___new__(type: Ptr, args: Ptr, kw: Ptr): Ptr {
  if (!parseNewArgs('__new__', args, kw)) return NULL;
  const ob = PyTuple_GET_ITEM(args, 0);
  const cb = PyTuple_GET_SIZE(args) > 1 ? PyTuple_GET_ITEM(args, 1) : NULL;
  return weakref_new_impl(type, ob, cb);
}
/** ≈ weakref___init__: checks the arguments again */
function weakref___init__(_self: Ptr, args: Ptr, kw: Ptr): number {
  return parseNewArgs('__init__', args, kw) ? 0 : -1;
}
/** `weakref.ref(o[, callback])` through the vectorcall of the type (exact ref type only;
 *  subclasses go through type_call, hence their own __new__/__init__). */
function weakref_type_vectorcall(type: Ptr, args: number, nargs: number, kwnames: Ptr): Ptr {
  if (type !== _PyWeakref_RefType) {
    const t = _PyTuple_FromArray(args, nargs);
    if (t === NULL) return NULL;
    const r = type_call(type, t, NULL);
    Py_DECREF(t);
    return r;
  }
  if (kwnames !== NULL && PyTuple_GET_SIZE(kwnames) > 0) {
    PyErr_SetString(PyExc_TypeError, 'ref() takes no keyword arguments');
    return NULL;
  }
  if (nargs < 1 || nargs > 2) {
    PyErr_SetString(PyExc_TypeError, nargs < 1 ? `__new__ expected at least 1 argument, got ${nargs}` : `__new__ expected at most 2 arguments, got ${nargs}`);
    return NULL;
  }
  return weakref_new_impl(type, I32[args >> 2], nargs > 1 ? I32[(args + 8) >> 2] : NULL);
}

function weakref_callback_get(self: Ptr): Ptr {
  const cb = getF(self, WR_CALLBACK);
  const r = cb === NULL ? Py_None : cb;
  Py_INCREF(r);
  return r;
}

export const _PyWeakref_RefType: Ptr = newStaticType({
  name: 'weakref.ReferenceType',
  basicsize: WEAKREF_BASICSIZE,
  flags: Py_TPFLAGS_HAVE_GC | Py_TPFLAGS_BASETYPE,
  slots: {
    tp_dealloc: weakref_dealloc,
    tp_traverse: gc_traverse,
    tp_clear: gc_clear,
    tp_hash: weakref_hash,
    tp_repr: weakref_repr,
    tp_richcompare: weakref_richcompare,
    tp_call: weakref_call,
    ob_vectorcall: weakref_vectorcall,
    tp_new: weakref___new__,
    tp_init: weakref___init__,
    tp_vectorcall: weakref_type_vectorcall,
    getsets: [{ name: '__callback__', get: weakref_callback_get }],
  },
});

// =====================================================================================
// Proxies
// =====================================================================================

/** ≈ proxy_checkref: false (ReferenceError set) when the referent is gone. */
function proxy_checkref(proxy: Ptr): boolean {
  if (getF(proxy, WR_OBJECT) === Py_None) {
    PyErr_SetString(PyExc_ReferenceError, 'weakly-referenced object no longer exists');
    return false;
  }
  return true;
}
/** ≈ UNWRAP: the referent of a proxy (borrowed), `o` itself otherwise; NULL with ReferenceError. */
function unwrap(o: Ptr): Ptr {
  if (PyWeakref_CheckProxy(o)) {
    if (!proxy_checkref(o)) return NULL;
    return getF(o, WR_OBJECT);
  }
  return o;
}

function proxyUnary(f: unaryfunc): unaryfunc {
  return (p: Ptr): Ptr => {
    const o = unwrap(p);
    if (o === NULL) return NULL;
    Py_INCREF(o);
    const r = f(o);
    Py_DECREF(o);
    return r;
  };
}
function proxyBinary(f: binaryfunc): binaryfunc {
  return (x: Ptr, y: Ptr): Ptr => {
    const a = unwrap(x);
    if (a === NULL) return NULL;
    const b = unwrap(y);
    if (b === NULL) return NULL;
    Py_INCREF(a);
    Py_INCREF(b);
    const r = f(a, b);
    Py_DECREF(a);
    Py_DECREF(b);
    return r;
  };
}

function proxy_getattro(p: Ptr, name: Ptr): Ptr {
  const o = unwrap(p);
  if (o === NULL) return NULL;
  Py_INCREF(o);
  const r = PyObject_GetAttr(o, name);
  Py_DECREF(o);
  return r;
}
function proxy_setattro(p: Ptr, name: Ptr, v: Ptr): number {
  const o = unwrap(p);
  if (o === NULL) return -1;
  Py_INCREF(o);
  const r = PyObject_SetAttr(o, name, v);
  Py_DECREF(o);
  return r;
}
function proxy_richcompare(x: Ptr, y: Ptr, op: number): Ptr {
  const a = unwrap(x);
  if (a === NULL) return NULL;
  const b = unwrap(y);
  if (b === NULL) return NULL;
  return PyObject_RichCompare(a, b, op);
}
/** ≈ proxy_repr: `<weakproxy at 0x.. to A at 0x..>` (no ReferenceError for a dead one) */
function proxy_repr(p: Ptr): Ptr {
  const o = getF(p, WR_OBJECT);
  return PyUnicode_FromString(`<weakproxy at ${hexAddr(p)} to ${typeName(Py_TYPE(o))} at ${hexAddr(o)}>`);
}
function proxy_bool(p: Ptr): number {
  const o = unwrap(p);
  if (o === NULL) return -1;
  Py_INCREF(o);
  const r = PyObject_IsTrue(o);
  Py_DECREF(o);
  return r;
}
function proxy_length(p: Ptr): number {
  const o = unwrap(p);
  if (o === NULL) return -1;
  Py_INCREF(o);
  const r = PyObject_Size(o);
  Py_DECREF(o);
  return r;
}
function proxy_contains(p: Ptr, v: Ptr): number {
  const o = unwrap(p);
  if (o === NULL) return -1;
  Py_INCREF(o);
  const r = PySequence_Contains(o, v);
  Py_DECREF(o);
  return r;
}
function proxy_setitem(p: Ptr, k: Ptr, v: Ptr): number {
  const o = unwrap(p);
  if (o === NULL) return -1;
  Py_INCREF(o);
  const r = v === NULL ? PyObject_DelItem(o, k) : PyObject_SetItem(o, k, v);
  Py_DECREF(o);
  return r;
}
function proxy_iternext(p: Ptr): Ptr {
  const o = unwrap(p);
  if (o === NULL) return NULL;
  Py_INCREF(o);
  const r = PyIter_Next(o);
  Py_DECREF(o);
  return r;
}
function proxy_hash(p: Ptr): number {
  PyErr_SetString(PyExc_TypeError, `unhashable type: '${typeName(Py_TYPE(p))}'`);
  HASH_HI[0] = -1;
  return -1;
}
function proxy_vectorcall(p: Ptr, args: number, nargs: number, kwnames: Ptr): Ptr {
  const o = unwrap(p);
  if (o === NULL) return NULL;
  Py_INCREF(o);
  const r = PyObject_Vectorcall(o, args, nargs, kwnames);
  Py_DECREF(o);
  return r;
}

const proxySlots: Partial<Slots> = {
  tp_dealloc: weakref_dealloc,
  tp_traverse: gc_traverse,
  tp_clear: gc_clear,
  tp_hash: proxy_hash,
  tp_repr: proxy_repr,
  tp_str: proxyUnary(PyObject_Str),
  tp_getattro: proxy_getattro,
  tp_setattro: proxy_setattro,
  tp_richcompare: proxy_richcompare,
  tp_iter: proxyUnary(PyObject_GetIter),
  tp_iternext: proxy_iternext,
  nb_bool: proxy_bool,
  nb_add: proxyBinary(PyNumber_Add),
  nb_subtract: proxyBinary(PyNumber_Subtract),
  nb_multiply: proxyBinary(PyNumber_Multiply),
  nb_true_divide: proxyBinary(PyNumber_TrueDivide),
  nb_floor_divide: proxyBinary(PyNumber_FloorDivide),
  nb_remainder: proxyBinary(PyNumber_Remainder),
  nb_and: proxyBinary(PyNumber_And),
  nb_or: proxyBinary(PyNumber_Or),
  nb_xor: proxyBinary(PyNumber_Xor),
  nb_lshift: proxyBinary(PyNumber_Lshift),
  nb_rshift: proxyBinary(PyNumber_Rshift),
  nb_negative: proxyUnary(PyNumber_Negative),
  nb_positive: proxyUnary(PyNumber_Positive),
  nb_absolute: proxyUnary(PyNumber_Absolute),
  nb_invert: proxyUnary(PyNumber_Invert),
  nb_index: proxyUnary(PyNumber_Index),
  nb_int: proxyUnary(PyNumber_Long),
  nb_float: proxyUnary(PyNumber_Float),
  mp_length: proxy_length,
  mp_subscript: proxyBinary(PyObject_GetItem),
  mp_ass_subscript: proxy_setitem,
  sq_contains: proxy_contains,
};

export const _PyWeakref_ProxyType: Ptr = newStaticType({
  name: 'weakref.ProxyType',
  basicsize: WEAKREF_BASICSIZE,
  flags: Py_TPFLAGS_HAVE_GC,
  slots: { ...proxySlots },
});
export const _PyWeakref_CallableProxyType: Ptr = newStaticType({
  name: 'weakref.CallableProxyType',
  basicsize: WEAKREF_BASICSIZE,
  flags: Py_TPFLAGS_HAVE_GC,
  slots: { ...proxySlots, ob_vectorcall: proxy_vectorcall },
});
// proxies inherit nothing they don't define (≈ their own static type objects): no tp_new
slotsOf(_PyWeakref_ProxyType).tp_new = undefined;
slotsOf(_PyWeakref_CallableProxyType).tp_new = undefined;

// type objects keep their weakref list at 368, as CPython's PyTypeObject.tp_weaklist
export const TYPE_WEAKLIST = 368;
I32[(PyType_Type + TP_WEAKLISTOFFSET) >> 2] = TYPE_WEAKLIST;

