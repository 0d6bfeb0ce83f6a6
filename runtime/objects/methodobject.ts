// Built-in functions and methods (≈ Objects/methodobject.c, Objects/descrobject.c).
//
// A MethodDef (typeobject.ts) is a TS function plus its calling convention. The heap keeps an
// index into `methodDefs` wherever CPython keeps a PyMethodDef pointer.
//
//   builtin_function_or_method (PyCFunctionObject, 56 + GC 16 = getsizeof 72)
//     0 ob_refcnt  8 ob_type  16 m_ml (index into methodDefs)  24 m_self  32 m_module
//    40 m_weakreflist  48 vectorcall (unused: the type's ob_vectorcall dispatches on m_ml flags)
//
//   method_descriptor / classmethod_descriptor (PyMethodDescrObject, 56 + GC = 72)
//     16 d_type  24 d_name  32 d_qualname  40 d_method (index)  48 vectorcall
//
// Calling a MethodDef (≈ cfunction_vectorcall_*): the function gets `self` (m_self, or the first
// argument for a descriptor) and the arguments in the flag's convention. Argument-count errors
// use CPython's messages ("len() takes exactly one argument (2 given)").

import {
  type Ptr, NULL as NULL__i, I32 as I32__i,
} from '../mem/heap.js';
const NULL = NULL__i;
const I32 = I32__i;
import { Py_DECREF, Py_INCREF, Py_TYPE, Py_XDECREF } from '../object.js';
import {
  newStaticType, type MethodDef, METH_NOARGS, METH_O, METH_FASTCALL, METH_KEYWORDS, METH_VARARGS,
  METH_CLASS, METH_STATIC, Py_TPFLAGS_HAVE_GC, Py_TPFLAGS_METHOD_DESCRIPTOR, PyObject_TypeCheck, typeName,
  type visitproc,
} from '../typeobject.js';
import { PyObject_GC_New, PyObject_GC_Del, PyObject_GC_Track, PyObject_GC_UnTrack } from '../gc.js';
import { PyErr_SetString, PyErr_NoMemory } from '../errors.js';
import { PyExc_TypeError } from './exceptions.js';
import { PyUnicode_FromString, PyUnicode_InternFromString, unicodeToJs } from './unicodeobject.js';
import { PyTuple_GET_SIZE, _PyTuple_FromArray } from './tupleobject.js';

export const M_ML = 16;
export const M_SELF = 24;
export const M_MODULE = 32;
export const M_WEAKREFLIST = 40;
export const D_TYPE = 16;
export const D_NAME = 24;
export const D_QUALNAME = 32;
export const D_METHOD = 40;

/** Every MethodDef known to the runtime; the heap stores indices into this table. */
export const methodDefs: MethodDef[] = [];
const methodDefIndex = new Map<MethodDef, number>();
export function methodDefId(ml: MethodDef): number {
  let i = methodDefIndex.get(ml);
  if (i === undefined) {
    i = methodDefs.length;
    methodDefs.push(ml);
    methodDefIndex.set(ml, i);
  }
  return i;
}

function traverseSelfModule(o: Ptr, visit: visitproc, arg: number): number {
  const s = I32[(o + M_SELF) >> 2];
  if (s !== NULL) { const r = visit(s, arg); if (r) return r; }
  const m = I32[(o + M_MODULE) >> 2];
  if (m !== NULL) { const r = visit(m, arg); if (r) return r; }
  return 0;
}

function cfunction_dealloc(o: Ptr): void {
  PyObject_GC_UnTrack(o);
  Py_XDECREF(I32[(o + M_SELF) >> 2]);
  Py_XDECREF(I32[(o + M_MODULE) >> 2]);
  PyObject_GC_Del(o);
}

/** The function's display name for messages: `len()` or `append()`. */
/** The function's name in argument errors, as _PyObject_FunctionStr gives it: `len()` for a
 *  builtin, `sys.getrefcount()` for a module function, `list.append()` for a method. */
export function methodName(ml: MethodDef, self: Ptr = NULL): string {
  if (self === NULL) return `${ml.name}()`;
  const t = Py_TYPE(self);
  if (t === moduleTypeRef.t) {
    const mod = moduleNameRef.get?.(self) ?? null;
    return mod === null || mod === 'builtins' ? `${ml.name}()` : `${mod}.${ml.name}()`;
  }
  const owner = (I32[(t + 48) >> 2] & (1 << 31)) !== 0 ? self : t; // a type (classmethods) or the instance's type
  return `${typeName(owner)}.${ml.name}()`;
}
/** module name lookup, installed by moduleobject.ts */
export const moduleNameRef = { get: null as ((m: Ptr) => string) | null };

/** Call a MethodDef with `self` and vectorcall arguments (≈ cfunction_vectorcall_*). New reference or NULL. */
export function callMethodDef(ml: MethodDef, self: Ptr, args: number, nargs: number, kwnames: Ptr): Ptr {
  const flags = ml.flags & ~(METH_CLASS | METH_STATIC | 0x0040);
  const nkw = kwnames === NULL ? 0 : PyTuple_GET_SIZE(kwnames);
  switch (flags) {
    case METH_FASTCALL | METH_KEYWORDS:
      return ml.fn(self, args, nargs, kwnames);
    case METH_FASTCALL:
      if (nkw !== 0) return noKeywords(ml, self);
      return ml.fn(self, args, nargs, NULL);
    case METH_NOARGS:
      if (nkw !== 0) return noKeywords(ml, self);
      if (nargs !== 0) {
        PyErr_SetString(PyExc_TypeError, `${methodName(ml, self)} takes no arguments (${nargs} given)`);
        return NULL;
      }
      return ml.fn(self, NULL, 0, NULL);
    case METH_O:
      if (nkw !== 0) return noKeywords(ml, self);
      if (nargs !== 1) {
        PyErr_SetString(PyExc_TypeError, `${methodName(ml, self)} takes exactly one argument (${nargs} given)`);
        return NULL;
      }
      return ml.fn(self, I32[args >> 2], 0, NULL);
    case METH_VARARGS:
    case METH_VARARGS | METH_KEYWORDS: {
      if (flags === METH_VARARGS && nkw !== 0) return noKeywords(ml, self);
      if (!vectorToTupleDict(args, nargs, kwnames)) return NULL;
      const tuple = TUPLE_DICT[0];
      const kwargs = TUPLE_DICT[1];
      const r = ml.fn(self, tuple, kwargs, NULL);
      Py_DECREF(tuple);
      Py_XDECREF(kwargs);
      return r;
    }
    default:
      throw new Error(`pymem bug: bad MethodDef flags ${ml.flags} for ${ml.name}`);
  }
}

function noKeywords(ml: MethodDef, self: Ptr): Ptr {
  PyErr_SetString(PyExc_TypeError, `${methodName(ml, self)} takes no keyword arguments`);
  return NULL;
}

// dict creation is reached through a hook so this floor does not import dictobject
let kwnamesToDictImpl: ((values: number, kwnames: Ptr) => Ptr) | null = null;
export function setKwnamesToDict(f: (values: number, kwnames: Ptr) => Ptr): void {
  kwnamesToDictImpl = f;
}
/** Vectorcall arguments as CPython's tuple/dict calling convention needs them: a new args tuple
 *  in TUPLE_DICT[0] and a new kwargs dict (NULL when there are no keywords) in TUPLE_DICT[1].
 *  Read both at once: the next call overwrites them. false with an exception set. */
export const TUPLE_DICT = new Int32Array(2);
export function vectorToTupleDict(args: number, nargs: number, kwnames: Ptr): boolean {
  const tuple = _PyTuple_FromArray(args, nargs);
  if (tuple === NULL) return false;
  let kw: Ptr = NULL;
  if (kwnames !== NULL && PyTuple_GET_SIZE(kwnames) > 0) {
    kw = kwnamesToDict(args + 8 * nargs, kwnames);
    if (kw === NULL) {
      Py_DECREF(tuple);
      return false;
    }
  }
  TUPLE_DICT[0] = tuple;
  TUPLE_DICT[1] = kw;
  return true;
}

/** A new dict {kwnames[i]: values[i]}. New reference or NULL. */
export function kwnamesToDict(values: number, kwnames: Ptr): Ptr {
  if (kwnamesToDictImpl === null) throw new Error('pymem bug: kwnamesToDict before dictobject is loaded');
  return kwnamesToDictImpl(values, kwnames);
}

function cfunction_vectorcall(f: Ptr, args: number, nargs: number, kwnames: Ptr): Ptr {
  return callMethodDef(methodDefs[I32[(f + M_ML) >> 2]], I32[(f + M_SELF) >> 2], args, nargs, kwnames);
}

function cfunction_repr(o: Ptr): Ptr {
  const ml = methodDefs[I32[(o + M_ML) >> 2]];
  const self = I32[(o + M_SELF) >> 2];
  if (self === NULL || Py_TYPE(self) === moduleTypeRef.t) return PyUnicode_FromString(`<built-in function ${ml.name}>`);
  return PyUnicode_FromString(`<built-in method ${ml.name} of ${typeName(Py_TYPE(self))} object at 0x${self.toString(16)}>`);
}
/** the module type, registered by moduleobject.ts (for reprs) */
export const moduleTypeRef = { t: NULL as Ptr };

export const PyCFunction_Type: Ptr = newStaticType({
  name: 'builtin_function_or_method',
  basicsize: 56,
  flags: Py_TPFLAGS_HAVE_GC,
  slots: {
    tp_dealloc: cfunction_dealloc,
    tp_traverse: traverseSelfModule,
    ob_vectorcall: cfunction_vectorcall,
    tp_repr: cfunction_repr,
  },
});

/** ≈ PyCFunction_NewEx: a builtin function (self NULL for module-level functions, or a bound
 *  builtin method). `self` and `module` are borrowed (INCREFed). New reference or NULL. */
export function PyCFunction_New(ml: MethodDef, self: Ptr, module: Ptr): Ptr {
  const o = PyObject_GC_New(PyCFunction_Type);
  if (o === NULL) return PyErr_NoMemory();
  I32[(o + M_ML) >> 2] = methodDefId(ml);
  I32[(o + M_ML + 4) >> 2] = 0;
  if (self !== NULL) Py_INCREF(self);
  if (module !== NULL) Py_INCREF(module);
  I32[(o + M_SELF) >> 2] = self;
  I32[(o + M_SELF + 4) >> 2] = 0;
  I32[(o + M_MODULE) >> 2] = module;
  I32[(o + M_MODULE + 4) >> 2] = 0;
  I32[(o + M_WEAKREFLIST) >> 2] = 0;
  I32[(o + 48) >> 2] = 0;
  PyObject_GC_Track(o);
  return o;
}

// ---- method descriptors ----

function descr_dealloc(o: Ptr): void {
  PyObject_GC_UnTrack(o);
  Py_XDECREF(I32[(o + D_TYPE) >> 2]);
  Py_XDECREF(I32[(o + D_NAME) >> 2]);
  Py_XDECREF(I32[(o + D_QUALNAME) >> 2]);
  PyObject_GC_Del(o);
}
function descr_traverse(o: Ptr, visit: visitproc, arg: number): number {
  const t = I32[(o + D_TYPE) >> 2];
  return t !== NULL ? visit(t, arg) : 0;
}

export function descrName(o: Ptr): string {
  return unicodeToJs(I32[(o + D_NAME) >> 2]);
}

/** ≈ descr_check: `obj` must be an instance of the descriptor's type. */
function descr_check_self(d: Ptr, self: Ptr, nameForMsg: string): boolean {
  const t = I32[(d + D_TYPE) >> 2];
  if (!PyObject_TypeCheck(self, t)) {
    PyErr_SetString(PyExc_TypeError, `descriptor '${nameForMsg}' for '${typeName(t)}' objects doesn't apply to a '${typeName(Py_TYPE(self))}' object`);
    return false;
  }
  return true;
}

function method_vectorcall(d: Ptr, args: number, nargs: number, kwnames: Ptr): Ptr {
  const ml = methodDefs[I32[(d + D_METHOD) >> 2]];
  if (nargs < 1) {
    PyErr_SetString(PyExc_TypeError, `unbound method ${typeName(I32[(d + D_TYPE) >> 2])}.${ml.name}() needs an argument`);
    return NULL;
  }
  const self = I32[args >> 2];
  if (!descr_check_self(d, self, ml.name)) return NULL;
  return callMethodDef(ml, self, args + 8, nargs - 1, kwnames);
}

/** method_descriptor.__get__: bind to an instance (a builtin method object). */
function method_get(d: Ptr, obj: Ptr, _type: Ptr): Ptr {
  if (obj === NULL) {
    Py_INCREF(d);
    return d;
  }
  const ml = methodDefs[I32[(d + D_METHOD) >> 2]];
  if (!descr_check_self(d, obj, ml.name)) return NULL;
  return PyCFunction_New(ml, obj, NULL);
}

function method_repr(d: Ptr): Ptr {
  return PyUnicode_FromString(`<method '${descrName(d)}' of '${typeName(I32[(d + D_TYPE) >> 2])}' objects>`);
}

export const PyMethodDescr_Type: Ptr = newStaticType({
  name: 'method_descriptor',
  basicsize: 56,
  flags: Py_TPFLAGS_HAVE_GC | Py_TPFLAGS_METHOD_DESCRIPTOR,
  slots: { tp_dealloc: descr_dealloc, tp_traverse: descr_traverse, ob_vectorcall: method_vectorcall, tp_descr_get: method_get, tp_repr: method_repr },
});

/** classmethod_descriptor: binds to the class (dict.fromkeys). */
function classmethod_get(d: Ptr, obj: Ptr, type: Ptr): Ptr {
  const t = type !== NULL ? type : Py_TYPE(obj);
  return PyCFunction_New(methodDefs[I32[(d + D_METHOD) >> 2]], t, NULL);
}
function classmethod_vectorcall(d: Ptr, args: number, nargs: number, kwnames: Ptr): Ptr {
  if (nargs < 1) {
    PyErr_SetString(PyExc_TypeError, `descriptor '${descrName(d)}' of '${typeName(I32[(d + D_TYPE) >> 2])}' object needs an argument`);
    return NULL;
  }
  return callMethodDef(methodDefs[I32[(d + D_METHOD) >> 2]], I32[args >> 2], args + 8, nargs - 1, kwnames);
}
export const PyClassMethodDescr_Type: Ptr = newStaticType({
  name: 'classmethod_descriptor',
  basicsize: 56,
  flags: Py_TPFLAGS_HAVE_GC,
  slots: { tp_dealloc: descr_dealloc, tp_traverse: descr_traverse, ob_vectorcall: classmethod_vectorcall, tp_descr_get: classmethod_get, tp_repr: method_repr },
});

/** Fill the common descriptor fields: d_type (INCREF), d_name (interned), d_qualname NULL. */
export function descrInit(d: Ptr, type: Ptr, name: string): boolean {
  Py_INCREF(type);
  I32[(d + D_TYPE) >> 2] = type;
  I32[(d + D_TYPE + 4) >> 2] = 0;
  const n = PyUnicode_InternFromString(name);
  if (n === NULL) return false;
  I32[(d + D_NAME) >> 2] = n;
  I32[(d + D_NAME + 4) >> 2] = 0;
  I32[(d + D_QUALNAME) >> 2] = 0;
  I32[(d + D_QUALNAME + 4) >> 2] = 0;
  return true;
}

/** ≈ PyDescr_NewMethod / PyDescr_NewClassMethod. New reference or NULL. */
export function PyDescr_NewMethod(type: Ptr, ml: MethodDef): Ptr {
  const d = PyObject_GC_New((ml.flags & METH_CLASS) !== 0 ? PyClassMethodDescr_Type : PyMethodDescr_Type);
  if (d === NULL) return PyErr_NoMemory();
  I32.fill(0, (d + 16) >> 2, (d + 56) >> 2);
  if (!descrInit(d, type, ml.name)) { Py_DECREF(d); return NULL; }
  I32[(d + D_METHOD) >> 2] = methodDefId(ml);
  I32[(d + D_METHOD + 4) >> 2] = 0;
  I32[(d + 48) >> 2] = 0;
  PyObject_GC_Track(d);
  return d;
}

