// bool (≈ Objects/boolobject.c).
//
// bool is a final subclass of int. Its two instances are static PyLongObjects (layout in
// longobject.ts): False has ob_size 0 and digit 0, True ob_size 1 and digit 1, so every int
// operation works on them unchanged (True + True == 2, hash(True) == 1, getsizeof 28). Their
// refcounts start at 1 and are counted normally (reference §4.1).
//
// The type object and the two objects are created in longobject.ts, because the type needs
// PyLong_Type while it is built; this file holds bool's own behaviour: repr 'True'/'False',
// & | ^ that return a bool when both operands are bools, and bool(x). These are function
// declarations, so longobject.ts can install them whatever order the modules load in.

import {
  type Ptr, NULL as NULL__i, I32 as I32__i,
} from '../mem/heap.js';
const NULL = NULL__i;
const I32 = I32__i;
import { OB_TYPE } from '../object.js';
import { PyErr_SetString } from '../errors.js';
import { PyExc_TypeError } from './exceptions.js';
import { PyUnicode_FromString } from './unicodeobject.js';
import { Py_True, Py_False, PyBool_Type, long_and, long_or, long_xor } from './longobject.js';
import { PyObject_IsTrue } from '../abstract.js';

export { Py_True, Py_False, PyBool_Type };

/** ≈ PyBool_Check */
export function PyBool_Check(o: Ptr): boolean {
  return I32[(o + OB_TYPE) >> 2] === PyBool_Type;
}

/** ≈ PyBool_FromLong: a new reference to True when `b` is non-zero (truthy), else False. */
export function PyBool_FromLong(b: number | boolean): Ptr {
  const o = b ? Py_True : Py_False;
  I32[o >> 2]++;
  return o;
}

/** ≈ bool_repr (also str(), which falls back to repr): a new str 'True' / 'False'. */
export function bool_repr(o: Ptr): Ptr {
  return PyUnicode_FromString(o === Py_True ? 'True' : 'False');
}

/** True and False are never freed (as None). */
export function bool_dealloc(_o: Ptr): void {
  throw new Error('pymem bug: deallocating True or False');
}

function bothBools(a: Ptr, b: Ptr): boolean {
  return I32[(a + OB_TYPE) >> 2] === PyBool_Type && I32[(b + OB_TYPE) >> 2] === PyBool_Type;
}

/** ≈ bool_and: bool & bool is a bool; anything else is int's &. New reference. */
export function bool_and(a: Ptr, b: Ptr): Ptr {
  if (!bothBools(a, b)) return long_and(a, b);
  return PyBool_FromLong(a === Py_True && b === Py_True);
}
/** ≈ bool_or */
export function bool_or(a: Ptr, b: Ptr): Ptr {
  if (!bothBools(a, b)) return long_or(a, b);
  return PyBool_FromLong(a === Py_True || b === Py_True);
}
/** ≈ bool_xor */
export function bool_xor(a: Ptr, b: Ptr): Ptr {
  if (!bothBools(a, b)) return long_xor(a, b);
  return PyBool_FromLong((a === Py_True) !== (b === Py_True));
}

/** ≈ bool_vectorcall: bool() → False, bool(x) → truth of x. New reference or NULL. */
export function bool_vectorcall(_type: Ptr, args: number, nargs: number, kwnames: Ptr): Ptr {
  if (kwnames !== NULL && I32[(kwnames + 16) >> 2] !== 0) {
    PyErr_SetString(PyExc_TypeError, 'bool() takes no keyword arguments');
    return NULL;
  }
  if (nargs > 1) {
    PyErr_SetString(PyExc_TypeError, `bool expected at most 1 argument, got ${nargs}`);
    return NULL;
  }
  if (nargs === 0) return PyBool_FromLong(0);
  const r = PyObject_IsTrue(I32[args >> 2]);
  if (r < 0) return NULL;
  return PyBool_FromLong(r);
}

/** ≈ bool_new (tp_new): args is a tuple (ob_size at 16, items from 24), kwds a dict or NULL. */
export function bool_new(_type: Ptr, args: Ptr, kwds: Ptr): Ptr {
  if (kwds !== NULL && I32[(kwds + 16) >> 2] !== 0) {
    PyErr_SetString(PyExc_TypeError, 'bool() takes no keyword arguments');
    return NULL;
  }
  const nargs = args === NULL ? 0 : I32[(args + 16) >> 2];
  if (nargs > 1) {
    PyErr_SetString(PyExc_TypeError, `bool expected at most 1 argument, got ${nargs}`);
    return NULL;
  }
  if (nargs === 0) return PyBool_FromLong(0);
  const r = PyObject_IsTrue(I32[(args + 24) >> 2]);
  if (r < 0) return NULL;
  return PyBool_FromLong(r);
}
