// Functions, cells and bound methods (≈ Objects/funcobject.c, cellobject.c, classobject.c).
//
//   function (PyFunctionObject, 136 + GC 16 = getsizeof 152)
//     16 func_globals  24 func_builtins  32 func_name  40 func_qualname  48 func_code
//     56 func_defaults  64 func_kwdefaults  72 func_closure  80 func_doc  88 func_dict
//     96 func_weakreflist  104 func_module  112 func_annotations  120 vectorcall
//    128 func_version (u32)
//   cell (24 + GC = 40):             16 ob_ref
//   method (PyMethodObject, 48 + GC = 64): 16 im_func  24 im_self  32 im_weakreflist  40 vectorcall
//
// Calling a function is the eval loop's business: ceval.ts installs the function type's
// ob_vectorcall (≈ _PyFunction_Vectorcall), so this file never imports the VM.

import {
  type Ptr, NULL as NULL__i, I32 as I32__i,
} from '../mem/heap.js';
const NULL = NULL__i;
const I32 = I32__i;
import { Py_DECREF, Py_INCREF, Py_XDECREF, Py_TYPE, HASH_HI, hashPointer } from '../object.js';
import { PyObject_RichCompareBool, PyObject_Hash } from '../abstract.js';
import { Py_NotImplemented } from './noneobject.js';
import { Py_True, Py_False } from './boolobject.js';
import { newStaticType, Py_TPFLAGS_HAVE_GC, Py_TPFLAGS_METHOD_DESCRIPTOR, Py_TPFLAGS_BASETYPE, type visitproc, type GetSetDef, typeName, slotsOf, TP_DICTOFFSET } from '../typeobject.js';
import { PyObject_GC_New, PyObject_GC_Del, PyObject_GC_Track, PyObject_GC_UnTrack, PyType_GenericAlloc } from '../gc.js';
import { PyErr_NoMemory, PyErr_SetString } from '../errors.js';
import { PyExc_TypeError, PyExc_RuntimeError, PyExc_ValueError } from './exceptions.js';
import { PyUnicode_FromString, unicodeToJs } from './unicodeobject.js';
import { Py_None } from './noneobject.js';
import { CO_NAME, CO_QUALNAME, CO_CONSTS } from './codeobject.js';
import { PyTuple_GET_SIZE, PyTuple_GET_ITEM } from './tupleobject.js';
import { dataStackPush, dataStackPop } from '../pystate.js';

export const FUNC_GLOBALS = 16;
export const FUNC_BUILTINS = 24;
export const FUNC_NAME = 32;
export const FUNC_QUALNAME = 40;
export const FUNC_CODE = 48;
export const FUNC_DEFAULTS = 56;
export const FUNC_KWDEFAULTS = 64;
export const FUNC_CLOSURE = 72;
export const FUNC_DOC = 80;
export const FUNC_DICT = 88;
export const FUNC_WEAKREFLIST = 96;
export const FUNC_MODULE = 104;
export const FUNC_ANNOTATIONS = 112;
export const FUNC_VERSION = 128;
export const FUNC_BASICSIZE = 136;
const FUNC_OBJ_FIELDS = [FUNC_GLOBALS, FUNC_BUILTINS, FUNC_NAME, FUNC_QUALNAME, FUNC_CODE, FUNC_DEFAULTS, FUNC_KWDEFAULTS, FUNC_CLOSURE, FUNC_DOC, FUNC_DICT, FUNC_MODULE, FUNC_ANNOTATIONS];

export const CELL_REF = 16;
export const IM_FUNC = 16;
export const IM_SELF = 24;

function setField(o: Ptr, off: number, v: Ptr): void {
  I32[(o + off) >> 2] = v;
  I32[(o + off + 4) >> 2] = 0;
}
function getField(o: Ptr, off: number): Ptr {
  return I32[(o + off) >> 2];
}

// ---- function ----
let funcVersion = 1;

function func_dealloc(f: Ptr): void {
  PyObject_GC_UnTrack(f);
  weakrefClearHook.clear?.(f);
  // ≈ func_clear order: the fields in declaration order
  for (const off of FUNC_OBJ_FIELDS) {
    const v = getField(f, off);
    if (v !== NULL) {
      setField(f, off, NULL);
      Py_DECREF(v);
    }
  }
  PyObject_GC_Del(f);
}
function func_traverse(f: Ptr, visit: visitproc, arg: number): number {
  for (const off of FUNC_OBJ_FIELDS) {
    const v = getField(f, off);
    if (v !== NULL) {
      const r = visit(v, arg);
      if (r) return r;
    }
  }
  return 0;
}
function func_clear(f: Ptr): number {
  for (const off of [FUNC_GLOBALS, FUNC_BUILTINS, FUNC_MODULE, FUNC_DEFAULTS, FUNC_KWDEFAULTS, FUNC_DOC, FUNC_DICT, FUNC_CLOSURE, FUNC_ANNOTATIONS]) {
    const v = getField(f, off);
    if (v !== NULL) {
      setField(f, off, NULL);
      Py_DECREF(v);
    }
  }
  return 0;
}
function func_repr(f: Ptr): Ptr {
  return PyUnicode_FromString(`<function ${unicodeToJs(getField(f, FUNC_QUALNAME))} at 0x${f.toString(16)}>`);
}
/** functions bind to instances (a bound method) */
function func_descr_get(f: Ptr, obj: Ptr, _type: Ptr): Ptr {
  if (obj === NULL) {
    Py_INCREF(f);
    return f;
  }
  return PyMethod_New(f, obj);
}

/** Weakref clearing on dealloc, installed by the weakref module (issue 7). */
export const weakrefClearHook = { clear: null as ((o: Ptr) => void) | null };

function fieldGetSet(name: string, off: number, settable: boolean, noneIfNull = true): GetSetDef {
  return {
    name,
    get: (f: Ptr) => {
      let v = getField(f, off);
      if (v === NULL) {
        if (!noneIfNull) return NULL;
        v = Py_None;
      }
      Py_INCREF(v);
      return v;
    },
    set: settable
      ? (f: Ptr, v: Ptr) => {
          const old = getField(f, off);
          if (v !== NULL) Py_INCREF(v);
          setField(f, off, v === Py_None && (off === FUNC_DEFAULTS || off === FUNC_KWDEFAULTS) ? (Py_XDECREF(v), NULL) : v);
          Py_XDECREF(old);
          return 0;
        }
      : undefined,
  };
}

export const PyFunction_Type: Ptr = newStaticType({
  name: 'function',
  basicsize: FUNC_BASICSIZE,
  flags: Py_TPFLAGS_HAVE_GC | Py_TPFLAGS_METHOD_DESCRIPTOR,
  slots: {
    tp_dealloc: func_dealloc,
    tp_traverse: func_traverse,
    tp_clear: func_clear,
    tp_repr: func_repr,
    tp_descr_get: func_descr_get,
    getsets: [
      fieldGetSet('__code__', FUNC_CODE, false),
      fieldGetSet('__defaults__', FUNC_DEFAULTS, true),
      fieldGetSet('__kwdefaults__', FUNC_KWDEFAULTS, true),
      fieldGetSet('__closure__', FUNC_CLOSURE, false),
      fieldGetSet('__globals__', FUNC_GLOBALS, false),
      fieldGetSet('__name__', FUNC_NAME, true),
      fieldGetSet('__qualname__', FUNC_QUALNAME, true),
      fieldGetSet('__doc__', FUNC_DOC, true),
      fieldGetSet('__module__', FUNC_MODULE, true),
      {
        // ≈ func_get_annotations: MAKE_FUNCTION stores a flat (name, value, ...) tuple; the
        // first access turns it into the dict (or makes an empty one) and keeps it
        name: '__annotations__',
        get: (f: Ptr) => {
          let a = getField(f, FUNC_ANNOTATIONS);
          if (a === NULL || I32[(a + 8) >> 2] !== dictTypeRef.t) {
            const d = a === NULL ? funcDictNew.f() : annotationsFromTuple.f(a);
            if (d === NULL) return NULL;
            setField(f, FUNC_ANNOTATIONS, d);
            Py_XDECREF(a);
            a = d;
          }
          Py_INCREF(a);
          return a;
        },
        set: (f: Ptr, v: Ptr) => {
          const old = getField(f, FUNC_ANNOTATIONS);
          if (v !== NULL) Py_INCREF(v);
          setField(f, FUNC_ANNOTATIONS, v === Py_None ? (Py_XDECREF(v), NULL) : v);
          Py_XDECREF(old);
          return 0;
        },
      },
      fieldGetSet('__builtins__', FUNC_BUILTINS, false),
      {
        name: '__dict__',
        get: (f: Ptr) => {
          let d = getField(f, FUNC_DICT);
          if (d === NULL) {
            d = funcDictNew.f();
            if (d === NULL) return NULL;
            setField(f, FUNC_DICT, d);
          }
          Py_INCREF(d);
          return d;
        },
      },
    ],
  },
});
// function attributes live in func_dict (≈ tp_dictoffset = offsetof(PyFunctionObject, func_dict))
I32[(PyFunction_Type + TP_DICTOFFSET) >> 2] = FUNC_DICT;
/** dict type and the flat-tuple -> dict conversion of annotations (installed by pylifecycle) */
export const dictTypeRef = { t: NULL as Ptr };
export const annotationsFromTuple = { f: (_t: Ptr): Ptr => NULL };
/** dict creation for __dict__ (dictobject is above this file's imports) */
export const funcDictNew = { f: (): Ptr => NULL };

/** ≈ PyFunction_New(code, globals) + qualname: builtins, name and qualname from the code, the
 *  docstring from co_consts[0] when it is a str, __module__ from globals['__name__'] (looked up by
 *  the caller and passed in). Borrowed arguments. New reference or NULL. */
export function PyFunction_New(code: Ptr, globals: Ptr, builtins: Ptr, module: Ptr, doc: Ptr): Ptr {
  const f = PyObject_GC_New(PyFunction_Type);
  if (f === NULL) return PyErr_NoMemory();
  for (let w = (f + 16) >> 2, e = (f + FUNC_BASICSIZE) >> 2; w < e; w++) I32[w] = 0;
  Py_INCREF(globals);
  setField(f, FUNC_GLOBALS, globals);
  Py_INCREF(builtins);
  setField(f, FUNC_BUILTINS, builtins);
  const name = getField(code, CO_NAME);
  Py_INCREF(name);
  setField(f, FUNC_NAME, name);
  const qualname = getField(code, CO_QUALNAME);
  Py_INCREF(qualname);
  setField(f, FUNC_QUALNAME, qualname);
  Py_INCREF(code);
  setField(f, FUNC_CODE, code);
  const d = doc === NULL ? Py_None : doc;
  Py_INCREF(d);
  setField(f, FUNC_DOC, d);
  if (module !== NULL) {
    Py_INCREF(module);
    setField(f, FUNC_MODULE, module);
  }
  I32[(f + FUNC_VERSION) >> 2] = funcVersion++;
  PyObject_GC_Track(f);
  return f;
}
/** The docstring candidate of a code object: co_consts[0] if it is a str (borrowed) — the
 *  compiler puts the docstring first; callers check the type. */
export function codeDocCandidate(code: Ptr): Ptr {
  const consts = getField(code, CO_CONSTS);
  return PyTuple_GET_SIZE(consts) > 0 ? PyTuple_GET_ITEM(consts, 0) : NULL;
}
export function PyFunction_Check(o: Ptr): boolean {
  return I32[(o + 8) >> 2] === PyFunction_Type;
}
export function funcField(f: Ptr, off: number): Ptr {
  return getField(f, off);
}
/** Store into a function field, stealing `v` and releasing the old value. */
export function funcSetField(f: Ptr, off: number, v: Ptr): void {
  const old = getField(f, off);
  setField(f, off, v);
  Py_XDECREF(old);
}

// ---- cell ----
function cell_dealloc(c: Ptr): void {
  PyObject_GC_UnTrack(c);
  Py_XDECREF(getField(c, CELL_REF));
  PyObject_GC_Del(c);
}
function cell_traverse(c: Ptr, visit: visitproc, arg: number): number {
  const v = getField(c, CELL_REF);
  return v !== NULL ? visit(v, arg) : 0;
}
function cell_clear(c: Ptr): number {
  const v = getField(c, CELL_REF);
  if (v !== NULL) {
    setField(c, CELL_REF, NULL);
    Py_DECREF(v);
  }
  return 0;
}
function cell_repr(c: Ptr): Ptr {
  const v = getField(c, CELL_REF);
  if (v === NULL) return PyUnicode_FromString(`<cell at 0x${c.toString(16)}: empty>`);
  return PyUnicode_FromString(`<cell at 0x${c.toString(16)}: ${typeName(Py_TYPE(v))} object at 0x${v.toString(16)}>`);
}
export const PyCell_Type: Ptr = newStaticType({
  name: 'cell',
  basicsize: 24,
  flags: Py_TPFLAGS_HAVE_GC,
  slots: {
    tp_dealloc: cell_dealloc,
    tp_traverse: cell_traverse,
    tp_clear: cell_clear,
    tp_repr: cell_repr,
    getsets: [
      {
        name: 'cell_contents',
        get: (c: Ptr) => {
          const v = getField(c, CELL_REF);
          if (v === NULL) {
            PyErr_SetString(PyExc_ValueError, 'Cell is empty');
            return NULL;
          }
          Py_INCREF(v);
          return v;
        },
        set: (c: Ptr, v: Ptr) => {
          if (v !== NULL) Py_INCREF(v);
          const old = getField(c, CELL_REF);
          setField(c, CELL_REF, v);
          Py_XDECREF(old);
          return 0;
        },
      },
    ],
  },
});

/** ≈ PyCell_New(v): v borrowed (INCREFed), may be NULL. New reference or NULL. */
export function PyCell_New(v: Ptr): Ptr {
  const c = PyObject_GC_New(PyCell_Type);
  if (c === NULL) return PyErr_NoMemory();
  if (v !== NULL) Py_INCREF(v);
  setField(c, CELL_REF, v);
  PyObject_GC_Track(c);
  return c;
}
export function PyCell_GET(c: Ptr): Ptr {
  return getField(c, CELL_REF);
}
/** Store into a cell, stealing `v` and releasing the old value. */
export function PyCell_SET(c: Ptr, v: Ptr): void {
  const old = getField(c, CELL_REF);
  setField(c, CELL_REF, v);
  Py_XDECREF(old);
}

// ---- bound method ----
function method_dealloc(m: Ptr): void {
  PyObject_GC_UnTrack(m);
  weakrefClearHook.clear?.(m);
  Py_DECREF(getField(m, IM_FUNC));
  Py_XDECREF(getField(m, IM_SELF));
  PyObject_GC_Del(m);
}
function method_traverse(m: Ptr, visit: visitproc, arg: number): number {
  let r = visit(getField(m, IM_FUNC), arg);
  if (r) return r;
  const s = getField(m, IM_SELF);
  if (s !== NULL) r = visit(s, arg);
  return r;
}
/** Calling a bound method: self and the function's arguments are copied into fresh slots
 *  (+1 each, as reference §5.1 notes) and the function is called. */
function method_vectorcall(m: Ptr, args: number, nargs: number, kwnames: Ptr): Ptr {
  const func = getField(m, IM_FUNC);
  const self = getField(m, IM_SELF);
  const nkw = kwnames === NULL ? 0 : PyTuple_GET_SIZE(kwnames);
  const total = nargs + nkw;
  const scratch = dataStackPush(8 * (total + 1));
  if (scratch === NULL) return PyErr_NoMemory();
  I32[scratch >> 2] = self;
  I32[(scratch + 4) >> 2] = 0;
  // (word copies: a typed-array copyWithin is a runtime call costing ~70 ns whatever the size)
  for (let i = 0, d = (scratch + 8) >> 2, s = args >> 2; i < 2 * total; i++) I32[d + i] = I32[s + i];
  // the copies are new references held for the duration of the call
  for (let i = 0; i <= total; i++) Py_INCREF(I32[(scratch + 8 * i) >> 2]);
  const vc = slotsOf(Py_TYPE(func)).ob_vectorcall;
  let r: Ptr;
  if (vc !== undefined) {
    r = vc(func, scratch, nargs + 1, kwnames);
  } else {
    r = callHook.call!(func, scratch, nargs + 1, kwnames);
  }
  for (let i = 0; i <= total; i++) Py_DECREF(I32[(scratch + 8 * i) >> 2]);
  dataStackPop(scratch);
  return r;
}
/** generic vectorcall (call.ts) for callables without ob_vectorcall */
export const callHook = { call: null as ((c: Ptr, args: number, nargs: number, kwnames: Ptr) => Ptr) | null };

function method_repr(m: Ptr): Ptr {
  const func = getField(m, IM_FUNC);
  const self = getField(m, IM_SELF);
  const q = I32[(func + 8) >> 2] === PyFunction_Type ? unicodeToJs(getField(func, FUNC_QUALNAME)) : '?';
  const selfRepr = reprHook.repr?.(self) ?? `<${typeName(Py_TYPE(self))} object at 0x${self.toString(16)}>`;
  return PyUnicode_FromString(`<bound method ${q} of ${selfRepr}>`);
}
export const reprHook = { repr: null as ((o: Ptr) => string | null) | null };

/** ≈ method_richcompare: bound methods are equal when their functions are equal and they are
 *  bound to the same object (identity, as 3.11). */
function method_richcompare(a: Ptr, b: Ptr, op: number): Ptr {
  if ((op !== 2 && op !== 3) || Py_TYPE(a) !== PyMethod_Type || Py_TYPE(b) !== PyMethod_Type) {
    Py_INCREF(Py_NotImplemented);
    return Py_NotImplemented;
  }
  let eq = PyObject_RichCompareBool(getField(a, IM_FUNC), getField(b, IM_FUNC), 2);
  if (eq < 0) return NULL;
  if (eq === 1) eq = getField(a, IM_SELF) === getField(b, IM_SELF) ? 1 : 0;
  const r = (op === 2) === (eq === 1) ? Py_True : Py_False;
  Py_INCREF(r);
  return r;
}
/** ≈ method_hash: hash(im_self's address) ^ hash(im_func). */
function method_hash(m: Ptr): number {
  const xlo = hashPointer(getField(m, IM_SELF));
  const xhi = HASH_HI[0];
  const ylo = PyObject_Hash(getField(m, IM_FUNC));
  const yhi = HASH_HI[0];
  if (ylo === -1 && yhi === -1) return -1;
  let lo = xlo ^ ylo;
  let hi = xhi ^ yhi;
  if (lo === -1 && hi === -1) {
    lo = -2;
    hi = -1;
  }
  HASH_HI[0] = hi;
  return lo;
}

export const PyMethod_Type: Ptr = newStaticType({
  name: 'method',
  basicsize: 48,
  flags: Py_TPFLAGS_HAVE_GC,
  slots: {
    tp_dealloc: method_dealloc,
    tp_traverse: method_traverse,
    ob_vectorcall: method_vectorcall,
    tp_repr: method_repr,
    tp_richcompare: method_richcompare,
    tp_hash: method_hash,
    getsets: [
      { name: '__func__', get: (m: Ptr) => { const v = getField(m, IM_FUNC); Py_INCREF(v); return v; } },
      { name: '__self__', get: (m: Ptr) => { const v = getField(m, IM_SELF); Py_INCREF(v); return v; } },
    ],
  },
});

/** ≈ PyMethod_New(func, self): both borrowed (INCREFed). New reference or NULL. */
export function PyMethod_New(func: Ptr, self: Ptr): Ptr {
  const m = PyObject_GC_New(PyMethod_Type);
  if (m === NULL) return PyErr_NoMemory();
  Py_INCREF(func);
  Py_INCREF(self);
  setField(m, IM_FUNC, func);
  setField(m, IM_SELF, self);
  setField(m, 32, NULL);
  setField(m, 40, NULL);
  PyObject_GC_Track(m);
  return m;
}

// ---- staticmethod / classmethod (≈ funcobject.c sm_* / cm_*): 16 callable, 24 dict ----
function wrapper_dealloc(o: Ptr): void {
  PyObject_GC_UnTrack(o);
  Py_XDECREF(getField(o, 16));
  Py_XDECREF(getField(o, 24));
  PyObject_GC_Del(o);
}
function wrapper_traverse(o: Ptr, visit: visitproc, arg: number): number {
  for (const off of [16, 24]) {
    const v = getField(o, off);
    if (v !== NULL) {
      const r = visit(v, arg);
      if (r) return r;
    }
  }
  return 0;
}
function wrapper_clear(o: Ptr): number {
  for (const off of [16, 24]) {
    const v = getField(o, off);
    if (v !== NULL) {
      setField(o, off, NULL);
      Py_DECREF(v);
    }
  }
  return 0;
}
function wrapper_init(self: Ptr, args: Ptr, kwds: Ptr): number {
  if (args === NULL || PyTuple_GET_SIZE(args) !== 1 || (kwds !== NULL && dictSizeRef.f(kwds) !== 0)) {
    PyErr_SetString(PyExc_TypeError, `${typeName(Py_TYPE(self))} expected 1 argument, got ${args === NULL ? 0 : PyTuple_GET_SIZE(args)}`);
    return -1;
  }
  const c = PyTuple_GET_ITEM(args, 0);
  Py_INCREF(c);
  const old = getField(self, 16);
  setField(self, 16, c);
  Py_XDECREF(old);
  return 0;
}
export const dictSizeRef = { f: (_d: Ptr): number => 0 };
function sm_get(sm: Ptr, _obj: Ptr, _type: Ptr): Ptr {
  const c = getField(sm, 16);
  if (c === NULL) {
    PyErr_SetString(PyExc_RuntimeError, 'uninitialized staticmethod object');
    return NULL;
  }
  Py_INCREF(c);
  return c;
}
function cm_get(cm: Ptr, obj: Ptr, type: Ptr): Ptr {
  const c = getField(cm, 16);
  if (c === NULL) {
    PyErr_SetString(PyExc_RuntimeError, 'uninitialized classmethod object');
    return NULL;
  }
  const t = type === NULL ? Py_TYPE(obj) : type;
  return PyMethod_New(c, t);
}
const funcWrapperGetSets: GetSetDef[] = [
  { name: '__func__', get: (o: Ptr) => { const v = getField(o, 16); Py_INCREF(v); return v; } },
  { name: '__wrapped__', get: (o: Ptr) => { const v = getField(o, 16); Py_INCREF(v); return v; } },
];
export const PyStaticMethod_Type: Ptr = newStaticType({
  name: 'staticmethod',
  basicsize: 32,
  flags: Py_TPFLAGS_HAVE_GC | Py_TPFLAGS_BASETYPE,
  slots: {
    tp_dealloc: wrapper_dealloc, tp_traverse: wrapper_traverse, tp_clear: wrapper_clear,
    tp_descr_get: sm_get, tp_init: wrapper_init,
    tp_new: (type: Ptr) => PyType_GenericAlloc(type, 0),
    getsets: funcWrapperGetSets,
  },
});
export const PyClassMethod_Type: Ptr = newStaticType({
  name: 'classmethod',
  basicsize: 32,
  flags: Py_TPFLAGS_HAVE_GC | Py_TPFLAGS_BASETYPE,
  slots: {
    tp_dealloc: wrapper_dealloc, tp_traverse: wrapper_traverse, tp_clear: wrapper_clear,
    tp_descr_get: cm_get, tp_init: wrapper_init,
    tp_new: (type: Ptr) => PyType_GenericAlloc(type, 0),
    getsets: funcWrapperGetSets,
  },
});
/** ≈ PyStaticMethod_New(callable): borrowed argument. New reference or NULL. */
export function PyStaticMethod_New(callable: Ptr): Ptr {
  const sm = PyType_GenericAlloc(PyStaticMethod_Type, 0);
  if (sm === NULL) return PyErr_NoMemory();
  Py_INCREF(callable);
  setField(sm, 16, callable);
  return sm;
}
