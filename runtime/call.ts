// Calling objects (≈ Objects/call.c).
//
// The fast convention is vectorcall (typeobject.ts `vectorcallfunc`): the arguments are 8-byte
// slots in the heap — usually the caller's own value-stack slots, borrowed — followed by the
// values of the keyword arguments named by a `kwnames` tuple. Types that can be called this way
// put their entry point in Slots.ob_vectorcall (functions, builtins, method descriptors, bound
// methods, types); others are called through tp_call with an argument tuple and a kwargs dict.
// When TS code must call Python with arguments it holds in variables, it writes them into
// scratch slots on the data stack (pystate.ts) and calls the vectorcall.

import { type Ptr, NULL, I32 as heapI32 } from './mem/heap.js';
import { Py_DECREF, Py_TYPE, Py_XDECREF } from './object.js';
import { slotsOf, typeName } from './typeobject.js';
import { PyErr_SetString, PyErr_NoMemory } from './errors.js';
import { PyExc_TypeError } from './objects/exceptions.js';
import { PyTuple_GET_SIZE, _PyTuple_FromArray, TUPLE_ITEMS } from './objects/tupleobject.js';
import { vectorToTupleDict, TUPLE_DICT } from './objects/methodobject.js';
import { dataStackPush, dataStackPop } from './pystate.js';
import { PyObject_GetAttr, PyObject_GetAttrString } from './typeready.js';


// The heap views as file-local constants: V8 reads an imported binding through its module
// cell on every use (measured ~2x slower in hot loops than a local const).
const I32 = heapI32;
/** ≈ PyObject_Vectorcall. New reference, or NULL with an exception set. */
export function PyObject_Vectorcall(callable: Ptr, args: number, nargs: number, kwnames: Ptr): Ptr {
  const s = slotsOf(Py_TYPE(callable));
  const vc = s.ob_vectorcall;
  if (vc !== undefined) return vc(callable, args, nargs, kwnames);
  return _PyObject_MakeTpCall(callable, args, nargs, kwnames);
}

/** ≈ _PyObject_MakeTpCall: call through tp_call with a tuple and a dict. */
export function _PyObject_MakeTpCall(callable: Ptr, args: number, nargs: number, kwnames: Ptr): Ptr {
  const call = slotsOf(Py_TYPE(callable)).tp_call;
  if (call === undefined) {
    PyErr_SetString(PyExc_TypeError, `'${typeName(Py_TYPE(callable))}' object is not callable`);
    return NULL;
  }
  if (!vectorToTupleDict(args, nargs, kwnames)) return NULL;
  const tuple = TUPLE_DICT[0];
  const kw = TUPLE_DICT[1];
  const r = call(callable, tuple, kw);
  Py_DECREF(tuple);
  Py_XDECREF(kw);
  return r;
}

/** Keyword dict -> (kwnames tuple, values in scratch slots after the positionals) provider,
 *  set by dictobject users (the VM) to avoid an import of dictobject on this floor. */
export const dictItemsHook = {
  /** fill `names` (a new tuple of the dict's keys) and write the values (borrowed) at `values` */
  unpack: null as ((kwargs: Ptr, values: number) => Ptr) | null,
  size: null as ((kwargs: Ptr) => number) | null,
};

/** ≈ PyObject_Call(callable, args tuple, kwargs dict or NULL). New reference or NULL. */
export function PyObject_Call(callable: Ptr, args: Ptr, kwargs: Ptr): Ptr {
  const s = slotsOf(Py_TYPE(callable));
  if (s.ob_vectorcall === undefined) {
    const call = s.tp_call;
    if (call === undefined) {
      PyErr_SetString(PyExc_TypeError, `'${typeName(Py_TYPE(callable))}' object is not callable`);
      return NULL;
    }
    return call(callable, args, kwargs);
  }
  const nargs = PyTuple_GET_SIZE(args);
  const nkw = kwargs === NULL ? 0 : dictItemsHook.size!(kwargs);
  if (nkw === 0) return s.ob_vectorcall(callable, args + TUPLE_ITEMS, nargs, NULL);
  // ≈ _PyStack_UnpackDict: a new argument array holding its own references to the positional
  // arguments and the keyword values (visible in sys.getrefcount, as in CPython)
  const scratch = dataStackPush(8 * (nargs + nkw));
  if (scratch === NULL) return PyErr_NoMemory();
  for (let i = 0, d = scratch >> 2, s = (args + TUPLE_ITEMS) >> 2; i < 2 * nargs; i++) I32[d + i] = I32[s + i];
  const kwnames = dictItemsHook.unpack!(kwargs, scratch + 8 * nargs);
  if (kwnames === NULL) {
    dataStackPop(scratch);
    return NULL;
  }
  const total = nargs + nkw;
  for (let i = 0; i < total; i++) I32[I32[(scratch + 8 * i) >> 2] >> 2]++;
  const r = s.ob_vectorcall(callable, scratch, nargs, kwnames);
  for (let i = 0; i < total; i++) Py_DECREF(I32[(scratch + 8 * i) >> 2]);
  dataStackPop(scratch);
  Py_DECREF(kwnames);
  return r;
}

/** Call with arguments held in JS variables (borrowed). New reference or NULL. */
export function PyObject_CallArgs(callable: Ptr, ...args: Ptr[]): Ptr {
  const n = args.length;
  const scratch = dataStackPush(8 * (n === 0 ? 1 : n));
  if (scratch === NULL) return PyErr_NoMemory();
  for (let i = 0; i < n; i++) {
    I32[(scratch + 8 * i) >> 2] = args[i];
    I32[(scratch + 8 * i + 4) >> 2] = 0;
  }
  const r = PyObject_Vectorcall(callable, scratch, n, NULL);
  dataStackPop(scratch);
  return r;
}

/** ≈ PyObject_CallNoArgs */
export function PyObject_CallNoArgs(callable: Ptr): Ptr {
  return PyObject_Vectorcall(callable, 0, 0, NULL);
}

/** ≈ PyObject_CallOneArg (arg borrowed) */
export function PyObject_CallOneArg(callable: Ptr, arg: Ptr): Ptr {
  const scratch = dataStackPush(8);
  if (scratch === NULL) return PyErr_NoMemory();
  I32[scratch >> 2] = arg;
  I32[(scratch + 4) >> 2] = 0;
  const r = PyObject_Vectorcall(callable, scratch, 1, NULL);
  dataStackPop(scratch);
  return r;
}

/** ≈ PyObject_CallMethodObjArgs with a JS method name: obj.name(*args). New reference or NULL. */
export function PyObject_CallMethod(obj: Ptr, name: string, ...args: Ptr[]): Ptr {
  const m = PyObject_GetAttrString(obj, name);
  if (m === NULL) return NULL;
  const r = PyObject_CallArgs(m, ...args);
  Py_DECREF(m);
  return r;
}

/** obj.name(*args) where name is a str object. New reference or NULL. */
export function PyObject_CallMethodObj(obj: Ptr, name: Ptr, ...args: Ptr[]): Ptr {
  const m = PyObject_GetAttr(obj, name);
  if (m === NULL) return NULL;
  const r = PyObject_CallArgs(m, ...args);
  Py_DECREF(m);
  return r;
}

/** ≈ PyCallable_Check */
export function PyCallable_Check(o: Ptr): boolean {
  const s = slotsOf(Py_TYPE(o));
  return s.ob_vectorcall !== undefined || s.tp_call !== undefined;
}

/** A new tuple from vectorcall argument slots (INCREFs each). */
export function argsToTuple(args: number, nargs: number): Ptr {
  return _PyTuple_FromArray(args, nargs);
}

