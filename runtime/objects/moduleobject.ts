// Module objects (≈ Objects/moduleobject.c).
//
//   module (PyModuleObject, 56 + GC 16 = getsizeof 72)
//     16 md_dict  24 md_def (unused)  32 md_state (unused)  40 md_weaklist  48 md_name
//
// Attribute access goes through the module's dict (tp_dictoffset = 16), with CPython's
// message "module 'm' has no attribute 'x'". Built-in modules (sys, math, gc...) are modules
// whose dict holds builtin functions with m_self = the module.

import {
  type Ptr, NULL as NULL__i, I32 as I32__i,
} from '../mem/heap.js';
const NULL = NULL__i;
const I32 = I32__i;
import { Py_DECREF, Py_INCREF, Py_XDECREF } from '../object.js';
import { newStaticType, Py_TPFLAGS_HAVE_GC, Py_TPFLAGS_BASETYPE, TP_DICTOFFSET, type visitproc, type MethodDef } from '../typeobject.js';
import { PyObject_GC_New, PyObject_GC_Del, PyObject_GC_Track, PyObject_GC_UnTrack } from '../gc.js';
import { PyErr_NoMemory, PyErr_SetString, PyErr_ExceptionMatches, PyErr_Clear } from '../errors.js';
import { PyExc_AttributeError } from './exceptions.js';
import { PyUnicode_FromString, PyUnicode_InternFromString, unicodeToJs, PyUnicode_Check } from './unicodeobject.js';
import { PyDict_New, PyDict_GetItem, PyDict_SetItem } from './dictobject.js';
import { Py_None } from './noneobject.js';
import { PyObject_GenericGetAttr } from '../typeready.js';
import { PyCFunction_New, moduleTypeRef, moduleNameRef } from './methodobject.js';

export const MD_DICT = 16;
export const MD_NAME = 48;

function module_dealloc(m: Ptr): void {
  PyObject_GC_UnTrack(m);
  Py_XDECREF(I32[(m + MD_NAME) >> 2]);
  Py_XDECREF(I32[(m + MD_DICT) >> 2]);
  PyObject_GC_Del(m);
}
function module_traverse(m: Ptr, visit: visitproc, arg: number): number {
  const d = I32[(m + MD_DICT) >> 2];
  return d !== NULL ? visit(d, arg) : 0;
}
function module_clear(m: Ptr): number {
  const d = I32[(m + MD_DICT) >> 2];
  if (d !== NULL) {
    I32[(m + MD_DICT) >> 2] = 0;
    Py_DECREF(d);
  }
  return 0;
}
/** Where a module came from, for its repr: a file path, or null for a built-in module. */
export const moduleOrigins = new Map<Ptr, string | null>();

function module_repr(m: Ptr): Ptr {
  const name = moduleName(m);
  const origin = moduleOrigins.get(m);
  if (origin === undefined || origin === null) return PyUnicode_FromString(`<module '${name}' (built-in)>`);
  return PyUnicode_FromString(`<module '${name}' from '${origin}'>`);
}
function module_getattro(m: Ptr, name: Ptr): Ptr {
  const r = PyObject_GenericGetAttr(m, name);
  if (r !== NULL || !PyErr_ExceptionMatches(PyExc_AttributeError)) return r;
  PyErr_Clear();
  PyErr_SetString(PyExc_AttributeError, `module '${moduleName(m)}' has no attribute '${unicodeToJs(name)}'`);
  return NULL;
}

export const PyModule_Type: Ptr = newStaticType({
  name: 'module',
  basicsize: 56,
  flags: Py_TPFLAGS_HAVE_GC | Py_TPFLAGS_BASETYPE,
  slots: {
    tp_dealloc: module_dealloc,
    tp_traverse: module_traverse,
    tp_clear: module_clear,
    tp_repr: module_repr,
    tp_getattro: module_getattro,
    getsets: [
      {
        name: '__dict__',
        get: (m: Ptr) => {
          const d = I32[(m + MD_DICT) >> 2];
          Py_INCREF(d);
          return d;
        },
      },
    ],
  },
});
I32[(PyModule_Type + TP_DICTOFFSET) >> 2] = MD_DICT;
moduleTypeRef.t = PyModule_Type;
moduleNameRef.get = moduleName;

/** ≈ PyModule_New(name): a module with a fresh dict holding __name__, __doc__ None,
 *  __package__ None, __loader__ None, __spec__ None. New reference or NULL. */
export function PyModule_New(name: string): Ptr {
  const m = PyObject_GC_New(PyModule_Type);
  if (m === NULL) return PyErr_NoMemory();
  I32.fill(0, (m + 16) >> 2, (m + 56) >> 2);
  const d = PyDict_New();
  if (d === NULL) {
    Py_DECREF(m);
    return NULL;
  }
  I32[(m + MD_DICT) >> 2] = d;
  const n = PyUnicode_InternFromString(name);
  if (n === NULL) {
    Py_DECREF(m);
    return NULL;
  }
  I32[(m + MD_NAME) >> 2] = n;
  PyObject_GC_Track(m);
  if (PyModule_AddObjectRef(m, '__name__', n) < 0) return (Py_DECREF(m), NULL);
  for (const k of ['__doc__', '__package__', '__loader__', '__spec__']) {
    if (PyModule_AddObjectRef(m, k, Py_None) < 0) return (Py_DECREF(m), NULL);
  }
  return m;
}

export function PyModule_GetDict(m: Ptr): Ptr {
  return I32[(m + MD_DICT) >> 2];
}
export function moduleName(m: Ptr): string {
  const n = I32[(m + MD_NAME) >> 2];
  return n !== NULL && PyUnicode_Check(n) ? unicodeToJs(n) : '?';
}

/** ≈ PyModule_AddObjectRef: module.name = v (borrowed). 0 or -1. */
export function PyModule_AddObjectRef(m: Ptr, name: string, v: Ptr): number {
  const k = PyUnicode_InternFromString(name);
  if (k === NULL) return -1;
  const r = PyDict_SetItem(I32[(m + MD_DICT) >> 2], k, v);
  Py_DECREF(k);
  return r;
}
/** module.name = v, stealing v. 0 or -1. */
export function PyModule_AddObject(m: Ptr, name: string, v: Ptr): number {
  if (v === NULL) return -1;
  const r = PyModule_AddObjectRef(m, name, v);
  Py_DECREF(v);
  return r;
}
/** Add builtin functions (m_self = the module). 0 or -1. */
export function PyModule_AddFunctions(m: Ptr, defs: MethodDef[]): number {
  for (const ml of defs) {
    const f = PyCFunction_New(ml, m, NULL);
    if (f === NULL || PyModule_AddObject(m, ml.name, f) < 0) return -1;
  }
  return 0;
}
/** module.name, borrowed, or NULL (no error). */
export function PyModule_GetItem(m: Ptr, name: Ptr): Ptr {
  return PyDict_GetItem(I32[(m + MD_DICT) >> 2], name);
}
