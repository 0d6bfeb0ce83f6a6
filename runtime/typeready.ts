// Type readiness, attribute lookup and the slots of `object` and `type`
// (≈ Objects/typeobject.c PyType_Ready, add_operators, _PyType_Lookup and its method cache,
// object_* and type_* slots; Objects/object.c PyObject_GenericGetAttr / GenericSetAttr).
//
// PyType_Ready fills what newStaticType could not make before str, tuple and dict existed:
// tp_name as a str, tp_bases and tp_mro tuples, and tp_dict with a descriptor for every
// MethodDef / GetSetDef / MemberDef, a slot wrapper for every slot the type defines itself
// (`int.__add__`), `__new__` and `__doc__`, and `__hash__ = None` for unhashable types.
//
// _PyType_Lookup finds a name along the MRO. Its cache is CPython's: 4096 entries keyed by
// (tp_version_tag, name address), in typed arrays; a type's version tag is assigned on first
// lookup and dropped (with its subclasses') by PyType_Modified whenever its dict changes. The
// cache holds a strong reference to each name (so an address cannot be reused by another str
// while cached) and borrows the value (any change to the dict invalidates the version).

import { type Ptr, NULL, I32 as heapI32, U8 as heapU8 } from './mem/heap.js';
import { PyObject_Free } from './mem/pymem.js';
import { Py_DECREF, Py_INCREF, Py_TYPE, Py_XDECREF, Py_XINCREF, hashPointer, OB_TYPE, MANAGED_DICT_OFFSET } from './object.js';
import {
  type Slots, type SlotName, typeSlots, typeById, slotsOf, typeName, TP_NAME, TP_BASE, TP_BASES, TP_MRO, TP_DICT, TP_FLAGS,
  TP_VERSION_TAG, TP_DICTOFFSET, Py_TPFLAGS_READY, Py_TPFLAGS_VALID_VERSION_TAG, Py_TPFLAGS_HEAPTYPE, Py_TPFLAGS_MANAGED_DICT,
  PyBaseObject_Type, PyType_Type, PyType_IsSubtype, PyType_Check, METH_CLASS, METH_STATIC, METH_O, METH_NOARGS,
  METH_FASTCALL, METH_KEYWORDS, Py_EQ, Py_NE, type MethodDef, type GetSetDef,
} from './typeobject.js';
import { PyErr_SetString, PyErr_ExceptionMatches, PyErr_Clear } from './errors.js';
import { PyExc_AttributeError, PyExc_TypeError } from './objects/exceptions.js';
import { PyUnicode_FromString, PyUnicode_InternFromString, PyUnicode_Check, unicodeToJs, PyUnicode_CHECK_INTERNED, PyUnicode_Intern, UNICODE_STATE } from './objects/unicodeobject.js';
import { PyTuple_New, PyTuple_SET_ITEM, PyTuple_GET_SIZE, PyTuple_GET_ITEM, tuple_get_empty } from './objects/tupleobject.js';
import { PyDict_New, PyDict_SetItem, PyDict_GetItem, PyDict_DelItem, PyDict_Size } from './objects/dictobject.js';
import { Py_None, Py_NotImplemented } from './objects/noneobject.js';
import { Py_True, Py_False } from './objects/longobject.js';
import { PyDescr_NewMethod, PyCFunction_New, vectorToTupleDict, TUPLE_DICT } from './objects/methodobject.js';
import { PyObject_HashNotImplemented, PyObject_IsTrue } from './abstract.js';
import { PyDescr_NewGetSet, PyDescr_NewMember, PyDescr_NewWrapper, slotdefs } from './objects/descrobject.js';


// The heap views as file-local constants: V8 reads an imported binding through its module
// cell on every use (measured ~2x slower in hot loops than a local const).
const I32 = heapI32;
const U8 = heapU8;
// ---- the method cache ----
const MCACHE_SIZE_EXP = 12;
const MCACHE_SIZE = 1 << MCACHE_SIZE_EXP;
const mcVersion = new Int32Array(MCACHE_SIZE);
const mcName = new Int32Array(MCACHE_SIZE);
const mcValue = new Int32Array(MCACHE_SIZE);
let nextVersionTag = 1;
/** whether any name is cached (clearMethodCache has nothing to do at start-up) */
let mcUsed = false;

function mcacheIndex(version: number, name: Ptr): number {
  return (Math.imul(version ^ (name >>> 3), 0x9e3779b1) >>> (32 - MCACHE_SIZE_EXP));
}

/** Subclass lists for PyType_Modified: a cache of the heap's tp_bases (rebuildable). */
const subclassesOf = new Map<Ptr, Set<Ptr>>();
export function registerSubclass(base: Ptr, sub: Ptr): void {
  let s = subclassesOf.get(base);
  if (s === undefined) subclassesOf.set(base, (s = new Set()));
  s.add(sub);
}
export function unregisterSubclass(base: Ptr, sub: Ptr): void {
  subclassesOf.get(base)?.delete(sub);
}
export function subclassesList(t: Ptr): Ptr[] {
  return [...(subclassesOf.get(t) ?? [])];
}

/** ≈ PyType_Modified: the type's dict changed; forget its version tag and its subclasses'. */
export function PyType_Modified(t: Ptr): void {
  if ((I32[(t + TP_FLAGS) >> 2] & Py_TPFLAGS_VALID_VERSION_TAG) === 0) return;
  I32[(t + TP_FLAGS) >> 2] &= ~Py_TPFLAGS_VALID_VERSION_TAG;
  I32[(t + TP_VERSION_TAG) >> 2] = 0;
  const subs = subclassesOf.get(t);
  if (subs !== undefined) for (const s of subs) PyType_Modified(s);
}

/** Drop every cached name (interpreter teardown, so the names can be freed). */
export function clearMethodCache(): void {
  if (!mcUsed) return;
  mcUsed = false;
  for (let i = 0; i < MCACHE_SIZE; i++) {
    const n = mcName[i];
    mcVersion[i] = 0;
    mcName[i] = 0;
    mcValue[i] = 0;
    Py_XDECREF(n);
  }
}

/** ≈ _PyType_Lookup: the attribute `name` (a str) along type's MRO, or NULL. Borrowed reference;
 *  never sets an exception. */
export function _PyType_Lookup(type: Ptr, name: Ptr): Ptr {
  let version = I32[(type + TP_VERSION_TAG) >> 2];
  if ((I32[(type + TP_FLAGS) >> 2] & Py_TPFLAGS_VALID_VERSION_TAG) !== 0) {
    const h = mcacheIndex(version, name);
    if (mcVersion[h] === version && mcName[h] === name) return mcValue[h];
  }
  const res = findNameInMro(type, name);
  if (PyUnicode_CHECK_INTERNED(name) !== 0) {
    if ((I32[(type + TP_FLAGS) >> 2] & Py_TPFLAGS_VALID_VERSION_TAG) === 0) {
      version = nextVersionTag++;
      I32[(type + TP_VERSION_TAG) >> 2] = version;
      I32[(type + TP_FLAGS) >> 2] |= Py_TPFLAGS_VALID_VERSION_TAG;
    }
    const h = mcacheIndex(version, name);
    mcVersion[h] = version;
    Py_INCREF(name);
    mcUsed = true;
    const old = mcName[h];
    mcName[h] = name;
    mcValue[h] = res;
    Py_XDECREF(old);
  }
  return res;
}

function findNameInMro(type: Ptr, name: Ptr): Ptr {
  const mro = I32[(type + TP_MRO) >> 2];
  if (mro === NULL) return NULL;
  const n = PyTuple_GET_SIZE(mro);
  for (let i = 0; i < n; i++) {
    const base = PyTuple_GET_ITEM(mro, i);
    const dict = I32[(base + TP_DICT) >> 2];
    if (dict === NULL) continue;
    const v = PyDict_GetItem(dict, name);
    if (v !== NULL) return v;
  }
  return NULL;
}

/** The version tag of a type (assigning one if needed), for inline caches. 0 = cannot cache. */
export function typeVersionTag(type: Ptr): number {
  if ((I32[(type + TP_FLAGS) >> 2] & Py_TPFLAGS_VALID_VERSION_TAG) === 0) {
    I32[(type + TP_VERSION_TAG) >> 2] = nextVersionTag++;
    I32[(type + TP_FLAGS) >> 2] |= Py_TPFLAGS_VALID_VERSION_TAG;
  }
  return I32[(type + TP_VERSION_TAG) >> 2];
}

// ---- instance dicts ----
/** The address of an object's __dict__ pointer field, or 0 if it has none
 *  (≈ _PyObject_GetDictPtr: managed dict pre-header, or tp_dictoffset). */
export function _PyObject_GetDictPtr(obj: Ptr): number {
  const t = I32[(obj + OB_TYPE) >> 2];
  if ((I32[(t + TP_FLAGS) >> 2] & Py_TPFLAGS_MANAGED_DICT) !== 0) return obj + MANAGED_DICT_OFFSET;
  const off = I32[(t + TP_DICTOFFSET) >> 2];
  return off > 0 ? obj + off : 0;
}

/** Hooks for classes (issue 6): instances with inline values answer from their values array. */
export const instanceValuesHooks = {
  get: null as ((obj: Ptr, name: Ptr) => Ptr) | null, // borrowed or NULL (no error)
  set: null as ((obj: Ptr, name: Ptr, v: Ptr) => number) | null, // 0 ok, -1 error, 1 = not handled
};

function attributeError(obj: Ptr, name: Ptr): void {
  PyErr_SetString(PyExc_AttributeError, `'${typeName(Py_TYPE(obj))}' object has no attribute '${unicodeToJs(name)}'`);
  attributeErrorContext.set?.(obj, name);
}
/** Set by exceptions.ts so AttributeError gets its .name and .obj (3.11 suggestions use them). */
export const attributeErrorContext = { set: null as ((obj: Ptr, name: Ptr) => void) | null };

/** ≈ PyObject_GenericGetAttr. New reference, or NULL with AttributeError set. */
export function PyObject_GenericGetAttr(obj: Ptr, name: Ptr): Ptr {
  const tp = Py_TYPE(obj);
  const descr = _PyType_Lookup(tp, name);
  let f: Slots['tp_descr_get'] = undefined;
  if (descr !== NULL) {
    Py_INCREF(descr);
    const ds = slotsOf(Py_TYPE(descr));
    f = ds.tp_descr_get;
    if (f !== undefined && ds.tp_descr_set !== undefined) {
      const r = f(descr, obj, tp);
      Py_DECREF(descr);
      return r;
    }
  }
  if ((I32[(tp + TP_FLAGS) >> 2] & Py_TPFLAGS_MANAGED_DICT) !== 0 && I32[(obj + MANAGED_DICT_OFFSET) >> 2] === NULL && instanceValuesHooks.get !== null) {
    const v = instanceValuesHooks.get(obj, name);
    if (v !== NULL) {
      Py_INCREF(v);
      Py_XDECREF(descr);
      return v;
    }
  } else {
    const dictptr = _PyObject_GetDictPtr(obj);
    if (dictptr !== 0) {
      const dict = I32[dictptr >> 2];
      if (dict !== NULL) {
        const v = PyDict_GetItem(dict, name);
        if (v !== NULL) {
          Py_INCREF(v);
          Py_XDECREF(descr);
          return v;
        }
      }
    }
  }
  if (f !== undefined) {
    const r = f(descr, obj, tp);
    Py_DECREF(descr);
    return r;
  }
  if (descr !== NULL) return descr;
  attributeError(obj, name);
  return NULL;
}

/** ≈ PyObject_GenericSetAttr (v NULL = delete). 0 or -1. */
export function PyObject_GenericSetAttr(obj: Ptr, name: Ptr, v: Ptr): number {
  const tp = Py_TYPE(obj);
  const descr = _PyType_Lookup(tp, name);
  if (descr !== NULL) {
    const set = slotsOf(Py_TYPE(descr)).tp_descr_set;
    if (set !== undefined) {
      Py_INCREF(descr);
      const r = set(descr, obj, v);
      Py_DECREF(descr);
      return r;
    }
  }
  if ((I32[(tp + TP_FLAGS) >> 2] & Py_TPFLAGS_MANAGED_DICT) !== 0 && I32[(obj + MANAGED_DICT_OFFSET) >> 2] === NULL && instanceValuesHooks.set !== null) {
    const r = instanceValuesHooks.set(obj, name, v);
    if (r !== 1) return r;
  }
  const dictptr = _PyObject_GetDictPtr(obj);
  if (dictptr === 0) {
    if (descr === NULL) {
      PyErr_SetString(PyExc_AttributeError, `'${typeName(tp)}' object has no attribute '${unicodeToJs(name)}'`);
    } else {
      PyErr_SetString(PyExc_AttributeError, `'${typeName(tp)}' object attribute '${unicodeToJs(name)}' is read-only`);
    }
    return -1;
  }
  let dict = I32[dictptr >> 2];
  if (v === NULL) {
    if (dict === NULL || PyDict_DelItem(dict, name) < 0) {
      if (dict === NULL || PyErr_ExceptionMatches(keyErrorType())) {
        PyErr_Clear();
        attributeError(obj, name);
      }
      return -1;
    }
    return 0;
  }
  if (dict === NULL) {
    dict = PyDict_New();
    if (dict === NULL) return -1;
    I32[dictptr >> 2] = dict;
    I32[(dictptr >> 2) + 1] = 0;
  }
  return PyDict_SetItem(dict, name, v);
}
let keyErrorTypeRef: Ptr = NULL;
function keyErrorType(): Ptr {
  return keyErrorTypeRef;
}
export function setKeyErrorType(t: Ptr): void {
  keyErrorTypeRef = t;
}

/** ≈ PyObject_GetAttr: through tp_getattro. `name` must be a str. New reference or NULL. */
export function PyObject_GetAttr(obj: Ptr, name: Ptr): Ptr {
  if (!PyUnicode_Check(name)) {
    PyErr_SetString(PyExc_TypeError, `attribute name must be string, not '${typeName(Py_TYPE(name))}'`);
    return NULL;
  }
  const f = slotsOf(Py_TYPE(obj)).tp_getattro;
  if (f === undefined) {
    attributeError(obj, name);
    return NULL;
  }
  return f(obj, name);
}
/** PyObject_GetAttr with a JS name (interned). New reference or NULL. */
export function PyObject_GetAttrString(obj: Ptr, name: string): Ptr {
  const n = PyUnicode_InternFromString(name);
  if (n === NULL) return NULL;
  const r = PyObject_GetAttr(obj, n);
  Py_DECREF(n);
  return r;
}
/** ≈ _PyObject_LookupAttr: 1 found (*result set, new ref), 0 not found (no error), -1 error. */
export function _PyObject_LookupAttr(obj: Ptr, name: Ptr, result: Int32Array): number {
  const r = PyObject_GetAttr(obj, name);
  result[0] = r;
  if (r !== NULL) return 1;
  if (PyErr_ExceptionMatches(PyExc_AttributeError)) {
    PyErr_Clear();
    return 0;
  }
  return -1;
}
/** ≈ PyObject_SetAttr (v NULL = delete). 0 or -1. */
export function PyObject_SetAttr(obj: Ptr, name: Ptr, v: Ptr): number {
  if (!PyUnicode_Check(name)) {
    PyErr_SetString(PyExc_TypeError, `attribute name must be string, not '${typeName(Py_TYPE(name))}'`);
    return -1;
  }
  const f = slotsOf(Py_TYPE(obj)).tp_setattro;
  if (f === undefined) {
    const t = Py_TYPE(obj);
    const has = slotsOf(t).tp_getattro !== undefined;
    PyErr_SetString(PyExc_AttributeError, `'${typeName(t)}' object has no attribute${has ? 's' : ''} ${v === NULL ? '(del .' : '(assign to .'}${unicodeToJs(name)})`);
    return -1;
  }
  // attribute names are interned when set (≈ PyUnicode_InternInPlace in PyObject_SetAttr)
  if ((U8[name + UNICODE_STATE] & 3) === 0) {
    Py_INCREF(name);
    const iname = PyUnicode_Intern(name);
    const r = f(obj, iname, v);
    Py_DECREF(iname);
    return r;
  }
  return f(obj, name, v);
}

// ---- type readiness ----
function setPtrField(addr: number, v: Ptr): void {
  I32[addr >> 2] = v;
  I32[(addr >> 2) + 1] = 0;
}

function dictSetString(dict: Ptr, name: string, v: Ptr): boolean {
  const k = PyUnicode_InternFromString(name);
  if (k === NULL) return false;
  const r = PyDict_SetItem(dict, k, v);
  Py_DECREF(k);
  return r === 0;
}

/** `__new__` of a built-in type: a builtin function bound to the type (≈ tp_new_wrapper). */
const tpNewWrapperDef: MethodDef = {
  name: '__new__',
  flags: METH_FASTCALL | METH_KEYWORDS,
  fn: (self: Ptr, args: number, nargs: number, kwnames: Ptr): Ptr => tp_new_wrapper(self, args, nargs, kwnames),
};
function tp_new_wrapper(type: Ptr, args: number, nargs: number, kwnames: Ptr): Ptr {
  if (nargs < 1) {
    PyErr_SetString(PyExc_TypeError, `${typeName(type)}.__new__(): not enough arguments`);
    return NULL;
  }
  const sub = I32[args >> 2];
  if (!PyType_Check(sub)) {
    PyErr_SetString(PyExc_TypeError, `${typeName(type)}.__new__(X): X is not a type object (${typeName(Py_TYPE(sub))})`);
    return NULL;
  }
  if (!PyType_IsSubtype(sub, type)) {
    PyErr_SetString(PyExc_TypeError, `${typeName(type)}.__new__(${typeName(sub)}): ${typeName(sub)} is not a subtype of ${typeName(type)}`);
    return NULL;
  }
  if (!vectorToTupleDict(args + 8, nargs - 1, kwnames)) return NULL;
  const tuple = TUPLE_DICT[0];
  const kw = TUPLE_DICT[1];
  const r = slotsOf(type).tp_new!(sub, tuple, kw);
  Py_DECREF(tuple);
  Py_XDECREF(kw);
  return r;
}

/** ≈ PyType_Ready for a static type. Returns 0 or -1. */
export function PyType_Ready(t: Ptr): number {
  if ((I32[(t + TP_FLAGS) >> 2] & Py_TPFLAGS_READY) !== 0) return 0;
  const slots = slotsOf(t);
  const base = I32[(t + TP_BASE) >> 2];
  if (base !== NULL && PyType_Ready(base) < 0) return -1;
  if (I32[(t + TP_NAME) >> 2] === NULL) {
    const dot = slots.name.lastIndexOf('.');
    const n = PyUnicode_InternFromString(dot >= 0 ? slots.name.slice(dot + 1) : slots.name);
    if (n === NULL) return -1;
    setPtrField(t + TP_NAME, n);
  }
  if (I32[(t + TP_BASES) >> 2] === NULL) {
    let bases: Ptr;
    if (base === NULL) {
      bases = tuple_get_empty();
    } else {
      bases = PyTuple_New(1);
      if (bases === NULL) return -1;
      Py_INCREF(base);
      PyTuple_SET_ITEM(bases, 0, base);
    }
    setPtrField(t + TP_BASES, bases);
  }
  if (I32[(t + TP_MRO) >> 2] === NULL) {
    const chain: Ptr[] = [];
    for (let c = t; c !== NULL; c = I32[(c + TP_BASE) >> 2]) chain.push(c);
    const mro = PyTuple_New(chain.length);
    if (mro === NULL) return -1;
    chain.forEach((c, i) => {
      Py_INCREF(c);
      PyTuple_SET_ITEM(mro, i, c);
    });
    setPtrField(t + TP_MRO, mro);
  }
  if (base !== NULL) registerSubclass(base, t);
  let dict = I32[(t + TP_DICT) >> 2];
  if (dict === NULL) {
    dict = PyDict_New();
    if (dict === NULL) return -1;
    setPtrField(t + TP_DICT, dict);
  }
  // slot wrappers for the slots this type defines itself (first definition of a name wins)
  const own = new Set(slots.own);
  const seen = new Set<string>();
  for (let i = 0; i < slotdefs.length; i++) {
    const sd = slotdefs[i];
    if (seen.has(sd.name)) continue;
    if (!own.has(sd.slot)) continue;
    seen.add(sd.name);
    if (sd.slot === 'tp_hash' && slots.tp_hash === PyObject_HashNotImplemented) {
      if (!dictSetString(dict, '__hash__', Py_None)) return -1;
      continue;
    }
    const k = PyUnicode_InternFromString(sd.name);
    if (k === NULL) return -1;
    if (PyDict_GetItem(dict, k) === NULL) {
      const d = PyDescr_NewWrapper(t, i);
      if (d === NULL) { Py_DECREF(k); return -1; }
      const r = PyDict_SetItem(dict, k, d);
      Py_DECREF(d);
      if (r < 0) { Py_DECREF(k); return -1; }
    }
    Py_DECREF(k);
  }
  if (own.has('tp_new') && slots.tp_new !== undefined) {
    const f = PyCFunction_New(tpNewWrapperDef, t, NULL);
    if (f === NULL || !dictSetString(dict, '__new__', f)) return -1;
    Py_DECREF(f);
  }
  for (const ml of slots.methods) {
    let d: Ptr;
    if ((ml.flags & METH_STATIC) !== 0) {
      const f = PyCFunction_New(ml, NULL, NULL);
      if (f === NULL) return -1;
      d = staticMethodWrap(f);
      Py_DECREF(f);
    } else {
      d = PyDescr_NewMethod(t, ml);
    }
    if (d === NULL || !dictSetString(dict, ml.name, d)) return -1;
    Py_DECREF(d);
  }
  for (const gs of slots.getsets) {
    const d = PyDescr_NewGetSet(t, gs);
    if (d === NULL || !dictSetString(dict, gs.name, d)) return -1;
    Py_DECREF(d);
  }
  for (const m of slots.members) {
    const d = PyDescr_NewMember(t, m);
    if (d === NULL || !dictSetString(dict, m.name, d)) return -1;
    Py_DECREF(d);
  }
  const docKey = PyUnicode_InternFromString('__doc__');
  if (docKey === NULL) return -1;
  if (PyDict_GetItem(dict, docKey) === NULL) {
    const doc = slots.doc === null ? (Py_INCREF(Py_None), Py_None) : PyUnicode_FromString(slots.doc);
    if (doc === NULL) { Py_DECREF(docKey); return -1; }
    PyDict_SetItem(dict, docKey, doc);
    Py_DECREF(doc);
  }
  Py_DECREF(docKey);
  I32[(t + TP_FLAGS) >> 2] |= Py_TPFLAGS_READY;
  return 0;
}

/** staticmethod wrapping for METH_STATIC builtins; provided by funcobject (staticmethod type). */
let staticMethodWrap: (f: Ptr) => Ptr = (f) => {
  Py_INCREF(f);
  return f;
};
export function setStaticMethodWrap(f: (f: Ptr) => Ptr): void {
  staticMethodWrap = f;
}

/** Ready every static type registered so far (interpreter start-up). */
export function readyAllStaticTypes(): void {
  for (let id = 0; id < typeById.length; id++) {
    const t = typeById[id];
    if (t === NULL || (I32[(t + TP_FLAGS) >> 2] & Py_TPFLAGS_HEAPTYPE) !== 0) continue;
    if (PyType_Ready(t) < 0) throw new Error(`pymem bug: PyType_Ready(${typeSlots[id].name}) failed`);
  }
}

// ---- object ----

/** The module-qualified name used by reprs: 'int' for builtins, '__main__.A' for classes. */
export function typeQualifiedName(t: Ptr): string {
  if ((I32[(t + TP_FLAGS) >> 2] & Py_TPFLAGS_HEAPTYPE) !== 0) {
    const mod = typeModuleName(t);
    const q = typeQualnameHook.get?.(t) ?? typeName(t);
    return mod !== null && mod !== 'builtins' ? `${mod}.${q}` : q;
  }
  return typeName(t);
}
/** Heap types answer their __module__ and __qualname__ through these hooks (issue 6). */
export const typeQualnameHook = { get: null as ((t: Ptr) => string) | null };
export const typeModuleHook = { get: null as ((t: Ptr) => string | null) | null };
function typeModuleName(t: Ptr): string | null {
  if ((I32[(t + TP_FLAGS) >> 2] & Py_TPFLAGS_HEAPTYPE) !== 0) return typeModuleHook.get?.(t) ?? null;
  const n = typeName(t);
  const dot = n.lastIndexOf('.');
  return dot >= 0 ? n.slice(0, dot) : 'builtins';
}

function object_repr(o: Ptr): Ptr {
  return PyUnicode_FromString(`<${typeQualifiedName(Py_TYPE(o))} object at 0x${o.toString(16)}>`);
}
function object_str(o: Ptr): Ptr {
  const f = slotsOf(Py_TYPE(o)).tp_repr;
  return f !== undefined ? f(o) : object_repr(o);
}
function object_richcompare(a: Ptr, b: Ptr, op: number): Ptr {
  let r: Ptr;
  if (op === Py_EQ) {
    r = a === b ? Py_True : Py_NotImplemented;
  } else if (op === Py_NE) {
    const eq = slotsOf(Py_TYPE(a)).tp_richcompare;
    if (eq === undefined) {
      r = Py_NotImplemented;
    } else {
      const res = eq(a, b, Py_EQ);
      if (res === NULL || res === Py_NotImplemented) return res;
      const t = PyObject_IsTrue(res);
      Py_DECREF(res);
      if (t < 0) return NULL;
      r = t ? Py_False : Py_True;
    }
  } else {
    r = Py_NotImplemented;
  }
  Py_INCREF(r);
  return r;
}

function excessArgs(args: Ptr, kwds: Ptr): boolean {
  return (args !== NULL && PyTuple_GET_SIZE(args) !== 0) || (kwds !== NULL && PyDict_Size(kwds) !== 0);
}

function object_init(self: Ptr, args: Ptr, kwds: Ptr): number {
  const t = Py_TYPE(self);
  if (excessArgs(args, kwds)) {
    const s = slotsOf(t);
    if (s.tp_init !== object_init) {
      PyErr_SetString(PyExc_TypeError, 'object.__init__() takes exactly one argument (the instance to initialize)');
      return -1;
    }
    if (s.tp_new === object_new) {
      PyErr_SetString(PyExc_TypeError, `${typeName(t)}.__init__() takes exactly one argument (the instance to initialize)`);
      return -1;
    }
  }
  return 0;
}

/** Allocation of instances of classes: set by the class machinery (issue 6). */
export const heapTypeAlloc = { alloc: null as ((type: Ptr) => Ptr) | null };

function object_new(type: Ptr, args: Ptr, kwds: Ptr): Ptr {
  if (excessArgs(args, kwds)) {
    const s = slotsOf(type);
    if (s.tp_new !== object_new) {
      PyErr_SetString(PyExc_TypeError, 'object.__new__() takes exactly one argument (the type to instantiate)');
      return NULL;
    }
    if (s.tp_init === object_init) {
      PyErr_SetString(PyExc_TypeError, `${typeName(type)}() takes no arguments`);
      return NULL;
    }
  }
  if ((I32[(type + TP_FLAGS) >> 2] & Py_TPFLAGS_HEAPTYPE) !== 0 && heapTypeAlloc.alloc !== null) return heapTypeAlloc.alloc(type);
  if (type !== PyBaseObject_Type) {
    PyErr_SetString(PyExc_TypeError, `cannot create '${typeName(type)}' instances`);
    return NULL;
  }
  const o = allocPlainObject();
  return o;
}
let allocPlainObject: () => Ptr = () => NULL;
export function setPlainObjectAlloc(f: () => Ptr): void {
  allocPlainObject = f;
}

function object_dealloc(o: Ptr): void {
  const t = Py_TYPE(o);
  const free = slotsOf(t).tp_free;
  if (free !== undefined) free(o);
  else PyObject_Free(o);
}

const objectGetSets: GetSetDef[] = [
  {
    name: '__class__',
    get: (self: Ptr) => {
      const t = Py_TYPE(self);
      Py_INCREF(t);
      return t;
    },
  },
];

const objectMethods: MethodDef[] = [
  {
    name: '__format__',
    flags: METH_O,
    fn: (self: Ptr, spec: number): Ptr => formatHook(self, spec),
  },
  {
    name: '__sizeof__',
    flags: METH_NOARGS,
    fn: (self: Ptr): Ptr => sizeofHook(self),
  },
  {
    name: '__dir__',
    flags: METH_NOARGS,
    fn: (self: Ptr): Ptr => dirHook(self),
  },
  {
    name: '__init_subclass__',
    flags: METH_CLASS | METH_NOARGS,
    fn: (): Ptr => {
      Py_INCREF(Py_None);
      return Py_None;
    },
  },
];
/** object.__format__ / __sizeof__ / __dir__ are implemented above this floor and plugged in. */
let formatHook: (self: Ptr, spec: Ptr) => Ptr = () => NULL;
let sizeofHook: (self: Ptr) => Ptr = () => NULL;
let dirHook: (self: Ptr) => Ptr = () => NULL;
export function setObjectMethodHooks(h: { format: typeof formatHook; sizeof: typeof sizeofHook; dir: typeof dirHook }): void {
  formatHook = h.format;
  sizeofHook = h.sizeof;
  dirHook = h.dir;
}

const objSlots = slotsOf(PyBaseObject_Type);
Object.assign(objSlots, {
  tp_dealloc: object_dealloc,
  tp_repr: object_repr,
  tp_str: object_str,
  tp_hash: hashPointer,
  tp_richcompare: object_richcompare,
  tp_getattro: PyObject_GenericGetAttr,
  tp_setattro: PyObject_GenericSetAttr,
  tp_init: object_init,
  tp_new: object_new,
  getsets: objectGetSets,
  methods: objectMethods,
  doc: 'The base class of the class hierarchy.\n\nWhen called, it accepts no arguments and returns a new featureless\ninstance that has no instance attributes and cannot be given any.\n',
} satisfies Partial<Slots>);
objSlots.own = ['tp_repr', 'tp_str', 'tp_hash', 'tp_richcompare', 'tp_getattro', 'tp_setattro', 'tp_init', 'tp_new'];
// types created before these assignments inherited undefined slots from `object`: patch them
for (let id = 0; id < typeSlots.length; id++) {
  const s = typeSlots[id];
  if (s === objSlots) continue;
  // (tp_new is not inherited from `object` by static types: they cannot be instantiated
  // unless they define one, as CPython's type_ready_set_new)
  for (const k of ['tp_dealloc', 'tp_repr', 'tp_str', 'tp_hash', 'tp_richcompare', 'tp_getattro', 'tp_setattro', 'tp_init'] as SlotName[]) {
    const rec = s as unknown as Record<string, unknown>;
    if (rec[k] === undefined) rec[k] = (objSlots as unknown as Record<string, unknown>)[k];
  }
}

// ---- type ----
/** ≈ type_getattro: metatype data descriptors, then the type's own MRO, then metatype attributes. */
export function type_getattro(type: Ptr, name: Ptr): Ptr {
  const meta = Py_TYPE(type);
  const metaAttr = _PyType_Lookup(meta, name);
  let metaGet: Slots['tp_descr_get'] = undefined;
  if (metaAttr !== NULL) {
    Py_INCREF(metaAttr);
    const ds = slotsOf(Py_TYPE(metaAttr));
    metaGet = ds.tp_descr_get;
    if (metaGet !== undefined && ds.tp_descr_set !== undefined) {
      const r = metaGet(metaAttr, type, meta);
      Py_DECREF(metaAttr);
      return r;
    }
  }
  const attr = _PyType_Lookup(type, name);
  if (attr !== NULL) {
    Py_INCREF(attr);
    const local = slotsOf(Py_TYPE(attr)).tp_descr_get;
    Py_XDECREF(metaAttr);
    if (local !== undefined) {
      const r = local(attr, NULL, type);
      Py_DECREF(attr);
      return r;
    }
    return attr;
  }
  if (metaGet !== undefined) {
    const r = metaGet(metaAttr, type, meta);
    Py_DECREF(metaAttr);
    return r;
  }
  if (metaAttr !== NULL) return metaAttr;
  PyErr_SetString(PyExc_AttributeError, `type object '${typeName(type)}' has no attribute '${unicodeToJs(name)}'`);
  attributeErrorContext.set?.(type, name);
  return NULL;
}

function type_repr(t: Ptr): Ptr {
  return PyUnicode_FromString(`<class '${typeQualifiedName(t)}'>`);
}

/** ≈ type_call: tp_new then, if the result is an instance of the type, tp_init. */
export function type_call(type: Ptr, args: Ptr, kwds: Ptr): Ptr {
  const s = slotsOf(type);
  if (type === PyType_Type && args !== NULL && PyTuple_GET_SIZE(args) === 1 && (kwds === NULL || PyDict_Size(kwds) === 0)) {
    const r = Py_TYPE(PyTuple_GET_ITEM(args, 0));
    Py_INCREF(r);
    return r;
  }
  if (s.tp_new === undefined) {
    PyErr_SetString(PyExc_TypeError, `cannot create '${typeName(type)}' instances`);
    return NULL;
  }
  const obj = s.tp_new(type, args, kwds);
  if (obj === NULL) return NULL;
  if (!PyType_IsSubtype(Py_TYPE(obj), type)) return obj;
  const init = slotsOf(Py_TYPE(obj)).tp_init;
  if (init !== undefined && init(obj, args, kwds) < 0) {
    Py_DECREF(obj);
    return NULL;
  }
  return obj;
}

/** Calling a type with the vectorcall convention: its own tp_vectorcall (int(), list()...) or
 *  type_call through a tuple and dict. */
function type_vectorcall(type: Ptr, args: number, nargs: number, kwnames: Ptr): Ptr {
  const s = slotsOf(type);
  if (s.tp_vectorcall !== undefined) return s.tp_vectorcall(type, args, nargs, kwnames);
  return typeCallVector(type, args, nargs, kwnames);
}
/** type_call with vectorcall arguments: through an argument tuple and a keyword dict. */
export function typeCallVector(type: Ptr, args: number, nargs: number, kwnames: Ptr): Ptr {
  if (!vectorToTupleDict(args, nargs, kwnames)) return NULL;
  const tuple = TUPLE_DICT[0];
  const kw = TUPLE_DICT[1];
  const r = type_call(type, tuple, kw);
  Py_DECREF(tuple);
  Py_XDECREF(kw);
  return r;
}

function typeField(off: number) {
  return (t: Ptr): Ptr => {
    const v = I32[(t + off) >> 2];
    const r = v === NULL ? Py_None : v;
    Py_INCREF(r);
    return r;
  };
}
const typeGetSets: GetSetDef[] = [
  { name: '__name__', get: (t: Ptr) => { const n = I32[(t + TP_NAME) >> 2]; Py_XINCREF(n); return n; } },
  { name: '__qualname__', get: (t: Ptr) => PyUnicode_FromString(typeQualnameHook.get?.(t) ?? unicodeToJs(I32[(t + TP_NAME) >> 2])) },
  { name: '__module__', get: (t: Ptr) => PyUnicode_FromString(typeModuleName(t) ?? 'builtins') },
  { name: '__mro__', get: typeField(TP_MRO) },
  { name: '__bases__', get: typeField(TP_BASES) },
  { name: '__base__', get: typeField(TP_BASE) },
  { name: '__dict__', get: (t: Ptr) => typeDictHook(t) },
];
/** `type.__dict__` (a mappingproxy in CPython) is produced above this floor. */
let typeDictHook: (t: Ptr) => Ptr = (t) => {
  const d = I32[(t + TP_DICT) >> 2];
  Py_INCREF(d);
  return d;
};
export function setTypeDictHook(f: (t: Ptr) => Ptr): void {
  typeDictHook = f;
}

const typeSlotsRec = slotsOf(PyType_Type);
Object.assign(typeSlotsRec, {
  tp_repr: type_repr,
  tp_call: type_call,
  ob_vectorcall: type_vectorcall,
  tp_getattro: type_getattro,
  getsets: typeGetSets,
} satisfies Partial<Slots>);
typeSlotsRec.own = ['tp_repr', 'tp_call', 'tp_getattro'];
for (const k of ['tp_dealloc', 'tp_str', 'tp_hash', 'tp_richcompare', 'tp_setattro', 'tp_init'] as SlotName[]) {
  const rec = typeSlotsRec as unknown as Record<string, unknown>;
  if (rec[k] === undefined) rec[k] = (objSlots as unknown as Record<string, unknown>)[k];
}

