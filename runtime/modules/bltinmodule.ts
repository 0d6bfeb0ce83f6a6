// The `builtins` module (≈ Python/bltinmodule.c, plus exit/quit from Lib/_sitebuiltins.py).
//
// initBuiltins() builds the module once: the built-in functions below (builtin function objects
// whose m_self is the module, so their repr is `<built-in function len>`), the built-in types,
// every exception type of runtime/objects/exceptions.ts under its name, None / Ellipsis /
// NotImplemented / True / False / __debug__, and the exit/quit objects. The eval loop finds
// builtins through the frame's f_builtins (this module's dict).
//
// Functions follow CPython 3.11's algorithms where results depend on them:
//  * sum(): CPython's fast paths — ints are added exactly while they fit, floats are added in
//    one double left to right (ints met on the float path are converted with (double)v), and
//    anything else falls back to PyNumber_Add; so float sums are bit-identical.
//  * min()/max(): only `<` (min) or `>` (max) of the (key of the) new item against the best so
//    far, first best kept on ties, as CPython's min_max.
//  * print(): the file is the `file` argument or sys.stdout looked up at each call (None: print
//    nothing). For the interpreter's own stdout/stderr objects the text goes straight into the
//    stream's byte buffer (runtime/modules/io.ts); for any other file, file.write(str(arg)) is
//    called per piece as CPython's PyFile_WriteObject does.
//  * sorted(): a new list from the iterable, then its `sort` method called with the keywords,
//    so the errors are list.sort's.
//  * globals()/locals()/vars()/dir() read the current interpreter frame (ts.frame, layout in
//    runtime/vm/frame.ts). locals() in a function builds/updates the frame's f_locals dict from
//    the fast locals (≈ PyFrame_FastToLocalsWithError).
//
// Types that other files define and that this file cannot import without a cycle or before
// they exist (dict, set, frozenset, range, enumerate, zip, map, filter, reversed, property,
// super, bytearray...) are found by their tp_name among the registered static types when the
// module is built. The callable iterator (iter(f, sentinel)) and __build_class__ come from
// their owners through `bltinHooks`.

import {
  type Ptr, NULL as NULL__i, I32 as I32__i, U8 as U8__i,
} from '../mem/heap.js';
const NULL = NULL__i;
const I32 = I32__i;
const U8 = U8__i;
import { Py_DECREF, Py_INCREF, Py_TYPE, Py_XDECREF, HASH_HI } from '../object.js';
import {
  typeSlots, typeById, slotsOfObj, typeName, PyType_Check, PyType_IsSubtype, PyObject_TypeCheck, PyType_Type,
  PyBaseObject_Type, TP_FLAGS, TP_DICT, TP_BASES, Py_TPFLAGS_HEAPTYPE, Py_TPFLAGS_TUPLE_SUBCLASS, Py_LT, Py_GT,
  METH_FASTCALL, METH_KEYWORDS, METH_O, METH_NOARGS, type MethodDef, newStaticType, Py_TPFLAGS_HAVE_GC,
} from '../typeobject.js';
import { PyObject_GC_New, PyObject_GC_Del, PyObject_GC_Track, PyObject_GC_UnTrack } from '../gc.js';
import { PyErr_SetString, PyErr_SetObject, PyErr_SetNone, PyErr_Occurred, PyErr_ExceptionMatches, PyErr_Clear } from '../errors.js';
import {
  builtinExceptionTypes, PyExc_TypeError, PyExc_ValueError, PyExc_AttributeError, PyExc_StopIteration, PyExc_EOFError,
  PyExc_SystemExit, PyExc_RuntimeError, PyExc_KeyError, PyExc_SystemError,
} from '../objects/exceptions.js';
import {
  PyObject_Hash, PyObject_Repr, PyObject_Str, PyObject_ASCII, PyObject_Format, PyObject_GetIter, PyIter_Next, PyObject_Size,
  PyObject_IsTrue, PyObject_RichCompareBool, PyNumber_Absolute, PyNumber_Add, PyNumber_Divmod, PyNumber_Power,
  PyNumber_ToBase, PyIter_Check, object_format,
} from '../abstract.js';
import { PyObject_Vectorcall, PyObject_CallNoArgs, PyObject_CallOneArg, PyCallable_Check, PyObject_CallMethod } from '../call.js';
import { PyObject_GetAttr, PyObject_SetAttr, _PyType_Lookup, setObjectMethodHooks, PyObject_GetAttrString } from '../typeready.js';
import { Py_None, Py_NotImplemented, Py_Ellipsis } from '../objects/noneobject.js';
import {
  PyLong_Type, Py_True, Py_False, PyLong_FromNumber, PyLong_FromBigInt, PyLong_CheckExact, PyLong_Check, smallValue,
  PyLong_AsDouble,
} from '../objects/longobject.js';
import { PyBool_Type } from '../objects/boolobject.js';
import { PyFloat_Type, PyFloat_CheckExact, PyFloat_AS_DOUBLE, PyFloat_FromDouble } from '../objects/floatobject.js';
import {
  PyUnicode_Type, PyUnicode_Check, PyUnicode_GET_LENGTH, PyUnicode_READ_CHAR, PyUnicode_FromString,
  PyUnicode_InternFromString, unicode_char, unicodeToJs, unicode_new_empty,
} from '../objects/unicodeobject.js';
import { PyBytes_Type, PyBytes_Check, PyBytes_GET_SIZE, PyBytes_AS_STRING } from '../objects/bytesobject.js';
import { PyTuple_Type, PyTuple_GET_SIZE, PyTuple_GET_ITEM } from '../objects/tupleobject.js';
import { PyList_Type, PySequence_List, list_sort_impl } from '../objects/listobject.js';
import { PyDict_New, PyDict_SetItem, PyDict_GetItem, PyDict_DelItem } from '../objects/dictobject.js';
import { PySlice_Type } from '../objects/sliceobject.js';
import { PyModule_New, PyModule_AddObjectRef, PyModule_AddFunctions, PyModule_GetDict, PyModule_Type } from '../objects/moduleobject.js';
import { PyStaticMethod_Type, PyClassMethod_Type, PyCell_Type } from '../objects/funcobject.js';
import { CO_NLOCALSPLUS, CO_FLAGS, CO_OPTIMIZED, CO_FAST_CELL, CO_FAST_FREE, localName, localKind } from '../objects/codeobject.js';
import { ts, noteLongRun } from '../pystate.js';
import { F_GLOBALS, F_LOCALS, F_CODE, F_LOCALSPLUS, F_PREV_INSTR } from '../vm/frame.js';
import { ARGV, arg, checkPositional, noKwnames, parseArgs, asCInt, argFailed, tpName, type ArgSpec } from './modsupport.js';
import { isTextIO, textioWriteStr, textioFlush, stdinReadLine, flushFd } from './io.js';
import { PyImport_ImportModuleLevelObject, registerBuiltinModule } from './import.js';
import { PySys_GetObject } from './sysmodule.js';
// range, enumerate, reversed, zip, map, filter: imported so that they are registered static
// types when builtinType() looks them up by name
import '../objects/rangeobject.js';
import '../objects/enumobject.js';
import '../objects/bltiniterobject.js';
import { PyCallIter_New } from '../objects/iterobject.js';

/** Things owned by other files that builtins calls (installed by their owners). */
export const bltinHooks = {
  /** ≈ builtin___build_class__ (the lead's class machinery): (args, nargs, kwnames) -> class */
  buildClass: null as ((args: number, nargs: number, kwnames: Ptr) => Ptr) | null,
  /** ≈ PyCallIter_New(callable, sentinel) (iterobject.ts): new reference */
  callIterNew: PyCallIter_New as ((callable: Ptr, sentinel: Ptr) => Ptr) | null,
};

function typeError(msg: string): Ptr {
  PyErr_SetString(PyExc_TypeError, msg);
  return NULL;
}
function newRef(o: Ptr): Ptr {
  I32[o >> 2]++;
  return o;
}
function none(): Ptr {
  I32[Py_None >> 2]++;
  return Py_None;
}
function bool(b: boolean): Ptr {
  const r = b ? Py_True : Py_False;
  I32[r >> 2]++;
  return r;
}

// ---- interned names used here (made on first use; released by finalizeBuiltins) ----
const names = new Map<string, Ptr>();
function nameStr(s: string): Ptr {
  let n = names.get(s);
  if (n === undefined) {
    n = PyUnicode_InternFromString(s);
    if (n === NULL) return NULL;
    names.set(s, n);
  }
  return n;
}

/** ≈ _PyObject_LookupSpecial: type(o).name bound to o (new reference), or NULL with no error
 *  when the type has no such attribute (NULL with an error if binding failed). */
export function lookupSpecial(o: Ptr, name: string): Ptr {
  const n = nameStr(name);
  if (n === NULL) return NULL;
  const t = Py_TYPE(o);
  const d = _PyType_Lookup(t, n);
  if (d === NULL) return NULL;
  const get = slotsOfObj(d).tp_descr_get;
  if (get === undefined) return newRef(d);
  Py_INCREF(d);
  const r = get(d, o, t);
  Py_DECREF(d);
  return r;
}

// =====================================================================================
// the functions
// =====================================================================================

function builtin_abs(_m: Ptr, x: number): Ptr {
  return PyNumber_Absolute(x);
}

function builtin_all_any(iterable: Ptr, any: boolean): Ptr {
  const it = PyObject_GetIter(iterable);
  if (it === NULL) return NULL;
  const next = slotsOfObj(it).tp_iternext!;
  for (;;) {
    const item = next(it);
    if (item === NULL) break;
    const t = PyObject_IsTrue(item);
    Py_DECREF(item);
    if (t < 0) {
      Py_DECREF(it);
      return NULL;
    }
    if ((t === 1) === any) {
      Py_DECREF(it);
      return bool(any);
    }
  }
  Py_DECREF(it);
  if (PyErr_Occurred() !== NULL) {
    if (!PyErr_ExceptionMatches(PyExc_StopIteration)) return NULL;
    PyErr_Clear();
  }
  return bool(!any);
}

function builtin_chr(_m: Ptr, o: number): Ptr {
  const v = asCInt(o);
  if (argFailed(v)) return NULL;
  if (v < 0 || v > 0x10ffff) {
    PyErr_SetString(PyExc_ValueError, 'chr() arg not in range(0x110000)');
    return NULL;
  }
  return unicode_char(v);
}

function builtin_ord(_m: Ptr, c: number): Ptr {
  let size: number;
  if (PyBytes_Check(c)) {
    size = PyBytes_GET_SIZE(c);
    if (size === 1) return PyLong_FromNumber(U8[PyBytes_AS_STRING(c)]);
  } else if (PyUnicode_Check(c)) {
    size = PyUnicode_GET_LENGTH(c);
    if (size === 1) return PyLong_FromNumber(PyUnicode_READ_CHAR(c, 0));
  } else {
    return typeError(`ord() expected string of length 1, but ${tpName(c)} found`);
  }
  return typeError(`ord() expected a character, but string of length ${size} found`);
}

function builtin_callable(_m: Ptr, o: number): Ptr {
  return bool(PyCallable_Check(o));
}

function builtin_divmod(_m: Ptr, args: number, nargs: number): Ptr {
  if (!checkPositional('divmod', nargs, 2, 2)) return NULL;
  return PyNumber_Divmod(arg(args, 0), arg(args, 1));
}

/** The 64-bit hash (lo, HASH_HI[0]) as an int. New reference. */
function hashResult(lo: number): Ptr {
  const hi = HASH_HI[0];
  if ((hi === 0 && lo >= 0) || (hi === -1 && lo < 0)) return PyLong_FromNumber(lo);
  const v = hi * 4294967296 + (lo >>> 0);
  if (Number.isSafeInteger(v)) return PyLong_FromNumber(v);
  return PyLong_FromBigInt((BigInt(hi) << 32n) | BigInt(lo >>> 0));
}

function builtin_hash(_m: Ptr, o: number): Ptr {
  const lo = PyObject_Hash(o);
  if (lo === -1 && HASH_HI[0] === -1) return NULL;
  return hashResult(lo);
}

function builtin_id(_m: Ptr, o: number): Ptr {
  return PyLong_FromNumber(o);
}

function builtin_len(_m: Ptr, o: number): Ptr {
  const n = PyObject_Size(o);
  if (n < 0) return NULL;
  return PyLong_FromNumber(n);
}

function builtin_repr(_m: Ptr, o: number): Ptr {
  return PyObject_Repr(o);
}
function builtin_ascii(_m: Ptr, o: number): Ptr {
  return PyObject_ASCII(o);
}

function builtin_format(_m: Ptr, args: number, nargs: number, kwnames: Ptr): Ptr {
  if (!noKwnames('format', kwnames) || !checkPositional('format', nargs, 1, 2)) return NULL;
  const spec = nargs > 1 ? arg(args, 1) : NULL;
  if (spec !== NULL && !PyUnicode_Check(spec)) return typeError(`format() argument 2 must be str, not ${tpName(spec)}`);
  return PyObject_Format(arg(args, 0), spec);
}

function builtin_getattr(_m: Ptr, args: number, nargs: number): Ptr {
  if (!checkPositional('getattr', nargs, 2, 3)) return NULL;
  const v = arg(args, 0);
  const name = arg(args, 1);
  if (nargs > 2) {
    if (!PyUnicode_Check(name)) return typeError(`attribute name must be string, not '${tpName(name)}'`);
    const r = PyObject_GetAttr(v, name);
    if (r === NULL && PyErr_ExceptionMatches(PyExc_AttributeError)) {
      PyErr_Clear();
      return newRef(arg(args, 2));
    }
    return r;
  }
  return PyObject_GetAttr(v, name);
}

function builtin_hasattr(_m: Ptr, args: number, nargs: number): Ptr {
  if (!checkPositional('hasattr', nargs, 2, 2)) return NULL;
  const name = arg(args, 1);
  if (!PyUnicode_Check(name)) return typeError(`attribute name must be string, not '${tpName(name)}'`);
  const r = PyObject_GetAttr(arg(args, 0), name);
  if (r === NULL) {
    if (PyErr_ExceptionMatches(PyExc_AttributeError)) {
      PyErr_Clear();
      return bool(false);
    }
    return NULL;
  }
  Py_DECREF(r);
  return bool(true);
}

function builtin_setattr(_m: Ptr, args: number, nargs: number): Ptr {
  if (!checkPositional('setattr', nargs, 3, 3)) return NULL;
  if (PyObject_SetAttr(arg(args, 0), arg(args, 1), arg(args, 2)) < 0) return NULL;
  return none();
}

function builtin_delattr(_m: Ptr, args: number, nargs: number): Ptr {
  if (!checkPositional('delattr', nargs, 2, 2)) return NULL;
  if (PyObject_SetAttr(arg(args, 0), arg(args, 1), NULL) < 0) return NULL;
  return none();
}

// ---- isinstance / issubclass (≈ Objects/abstract.c object_recursive_isinstance) ----

/** ≈ PyObject_IsInstance: 1, 0, or -1 with an exception. */
export function PyObject_IsInstance(inst: Ptr, cls: Ptr): number {
  const t = Py_TYPE(inst);
  if (t === cls) return 1;
  if (Py_TYPE(cls) === PyType_Type) return PyType_IsSubtype(t, cls) ? 1 : 0;
  if ((I32[(Py_TYPE(cls) + TP_FLAGS) >> 2] & Py_TPFLAGS_TUPLE_SUBCLASS) !== 0) {
    const n = PyTuple_GET_SIZE(cls);
    for (let i = 0; i < n; i++) {
      const r = PyObject_IsInstance(inst, PyTuple_GET_ITEM(cls, i));
      if (r !== 0) return r;
    }
    return 0;
  }
  const checker = lookupSpecial(cls, '__instancecheck__');
  if (checker !== NULL) {
    const res = PyObject_CallOneArg(checker, inst);
    Py_DECREF(checker);
    if (res === NULL) return -1;
    const ok = PyObject_IsTrue(res);
    Py_DECREF(res);
    return ok;
  }
  if (PyErr_Occurred() !== NULL) return -1;
  if (PyType_Check(cls)) return PyObject_TypeCheck(inst, cls) ? 1 : 0;
  PyErr_SetString(PyExc_TypeError, 'isinstance() arg 2 must be a type, a tuple of types, or a union');
  return -1;
}

/** ≈ PyObject_IsSubclass: 1, 0, or -1 with an exception. */
export function PyObject_IsSubclass(derived: Ptr, cls: Ptr): number {
  if (PyType_Check(cls) && Py_TYPE(cls) === PyType_Type) {
    if (derived === cls) return 1;
    if (!PyType_Check(derived)) {
      PyErr_SetString(PyExc_TypeError, 'issubclass() arg 1 must be a class');
      return -1;
    }
    return PyType_IsSubtype(derived, cls) ? 1 : 0;
  }
  if ((I32[(Py_TYPE(cls) + TP_FLAGS) >> 2] & Py_TPFLAGS_TUPLE_SUBCLASS) !== 0) {
    const n = PyTuple_GET_SIZE(cls);
    for (let i = 0; i < n; i++) {
      const r = PyObject_IsSubclass(derived, PyTuple_GET_ITEM(cls, i));
      if (r !== 0) return r;
    }
    return 0;
  }
  const checker = lookupSpecial(cls, '__subclasscheck__');
  if (checker !== NULL) {
    const res = PyObject_CallOneArg(checker, derived);
    Py_DECREF(checker);
    if (res === NULL) return -1;
    const ok = PyObject_IsTrue(res);
    Py_DECREF(res);
    return ok;
  }
  if (PyErr_Occurred() !== NULL) return -1;
  if (!PyType_Check(derived)) {
    PyErr_SetString(PyExc_TypeError, 'issubclass() arg 1 must be a class');
    return -1;
  }
  if (!PyType_Check(cls)) {
    PyErr_SetString(PyExc_TypeError, 'issubclass() arg 2 must be a class, a tuple of classes, or a union');
    return -1;
  }
  return PyType_IsSubtype(derived, cls) ? 1 : 0;
}

function builtin_isinstance(_m: Ptr, args: number, nargs: number): Ptr {
  if (!checkPositional('isinstance', nargs, 2, 2)) return NULL;
  const r = PyObject_IsInstance(arg(args, 0), arg(args, 1));
  return r < 0 ? NULL : bool(r === 1);
}
function builtin_issubclass(_m: Ptr, args: number, nargs: number): Ptr {
  if (!checkPositional('issubclass', nargs, 2, 2)) return NULL;
  const r = PyObject_IsSubclass(arg(args, 0), arg(args, 1));
  return r < 0 ? NULL : bool(r === 1);
}

// ---- iteration ----

function builtin_iter(_m: Ptr, args: number, nargs: number): Ptr {
  if (!checkPositional('iter', nargs, 1, 2)) return NULL;
  const v = arg(args, 0);
  if (nargs === 1) return PyObject_GetIter(v);
  if (!PyCallable_Check(v)) return typeError('iter(v, w): v must be callable');
  if (bltinHooks.callIterNew === null) {
    PyErr_SetString(PyExc_SystemError, 'callable iterators are not available');
    return NULL;
  }
  return bltinHooks.callIterNew(v, arg(args, 1));
}

function builtin_next(_m: Ptr, args: number, nargs: number): Ptr {
  if (!checkPositional('next', nargs, 1, 2)) return NULL;
  const it = arg(args, 0);
  if (!PyIter_Check(it)) return typeError(`'${tpName(it)}' object is not an iterator`);
  const res = slotsOfObj(it).tp_iternext!(it);
  if (res !== NULL) return res;
  if (nargs > 1) {
    if (PyErr_Occurred() !== NULL) {
      if (!PyErr_ExceptionMatches(PyExc_StopIteration)) return NULL;
      PyErr_Clear();
    }
    return newRef(arg(args, 1));
  }
  if (PyErr_Occurred() === NULL) PyErr_SetNone(PyExc_StopIteration);
  return NULL;
}

// ---- min / max (≈ min_max) ----

function min_max(args: number, nargs: number, kwnames: Ptr, op: number): Ptr {
  const name = op === Py_LT ? 'min' : 'max';
  if (nargs === 0) return typeError(`${name} expected at least 1 argument, got 0`);
  let keyfunc: Ptr = NULL;
  let dflt: Ptr = NULL;
  const nkw = kwnames === NULL ? 0 : PyTuple_GET_SIZE(kwnames);
  for (let k = 0; k < nkw; k++) {
    const kn = PyTuple_GET_ITEM(kwnames, k);
    const v = arg(args, nargs + k);
    const ks = unicodeToJs(kn);
    if (ks === 'key') keyfunc = v;
    else if (ks === 'default') dflt = v;
    else return typeError(`'${ks}' is an invalid keyword argument for ${name}()`);
  }
  if (keyfunc === Py_None) keyfunc = NULL;
  const positional = nargs > 1;
  if (positional && dflt !== NULL) {
    return typeError(`Cannot specify a default for ${name}() with multiple positional arguments`);
  }
  let it = NULL;
  if (!positional) {
    it = PyObject_GetIter(arg(args, 0));
    if (it === NULL) return NULL;
  }
  let maxitem: Ptr = NULL; // the best item so far (owned)
  let maxval: Ptr = NULL; // its key (owned)
  let i = 0;
  for (;;) {
    let item: Ptr;
    if (positional) {
      if (i >= nargs) break;
      item = arg(args, i++);
      Py_INCREF(item);
    } else {
      item = PyIter_Next(it);
      if (item === NULL) {
        if (PyErr_Occurred() !== NULL) break;
        break;
      }
    }
    let val: Ptr;
    if (keyfunc !== NULL) {
      val = PyObject_CallOneArg(keyfunc, item);
      if (val === NULL) {
        Py_DECREF(item);
        break;
      }
    } else {
      val = item;
      Py_INCREF(val);
    }
    if (maxval === NULL) {
      maxitem = item;
      maxval = val;
      continue;
    }
    const cmp = PyObject_RichCompareBool(val, maxval, op);
    if (cmp < 0) {
      Py_DECREF(val);
      Py_DECREF(item);
      break;
    }
    if (cmp > 0) {
      Py_DECREF(maxval);
      Py_DECREF(maxitem);
      maxval = val;
      maxitem = item;
    } else {
      Py_DECREF(item);
      Py_DECREF(val);
    }
  }
  Py_XDECREF(it);
  if (PyErr_Occurred() !== NULL) {
    Py_XDECREF(maxval);
    Py_XDECREF(maxitem);
    return NULL;
  }
  if (maxval === NULL) {
    if (dflt !== NULL) return newRef(dflt);
    PyErr_SetString(PyExc_ValueError, `${name}() arg is an empty sequence`);
    return NULL;
  }
  Py_DECREF(maxval);
  return maxitem;
}

function builtin_min(_m: Ptr, args: number, nargs: number, kwnames: Ptr): Ptr {
  return min_max(args, nargs, kwnames, Py_LT);
}
function builtin_max(_m: Ptr, args: number, nargs: number, kwnames: Ptr): Ptr {
  return min_max(args, nargs, kwnames, Py_GT);
}

// ---- sum (≈ builtin_sum_impl) ----

const sumSpec: ArgSpec = { fname: 'sum', names: ['iterable', 'start'], posonly: 1, required: 1, kwonlyFrom: 2 };
const TWO63 = 9223372036854775808;

function builtin_sum(_m: Ptr, args: number, nargs: number, kwnames: Ptr): Ptr {
  if (!parseArgs(sumSpec, args, nargs, kwnames)) return NULL;
  const iterable = ARGV[0];
  let result = ARGV[1];
  const it = PyObject_GetIter(iterable);
  if (it === NULL) return NULL;
  if (result === NULL) {
    result = PyLong_FromNumber(0);
  } else {
    if (PyUnicode_Check(result)) {
      Py_DECREF(it);
      return typeError("sum() can't sum strings [use ''.join(seq) instead]");
    }
    if (PyBytes_Check(result)) {
      Py_DECREF(it);
      return typeError("sum() can't sum bytes [use b''.join(seq) instead]");
    }
    if (tpName(result) === 'bytearray') {
      Py_DECREF(it);
      return typeError("sum() can't sum bytearray [use b''.join(seq) instead]");
    }
    Py_INCREF(result);
  }
  const next = slotsOfObj(it).tp_iternext!;
  // int fast path: an exact running sum while it stays a safe integer (C long range in CPython;
  // leaving it early only moves the same exact arithmetic to PyNumber_Add)
  if (PyLong_CheckExact(result)) {
    let acc = smallValue(result);
    if (acc === acc) {
      Py_DECREF(result);
      result = NULL;
      while (result === NULL) {
        const item = next(it);
        if (item === NULL) {
          Py_DECREF(it);
          if (PyErr_Occurred() !== NULL) {
            if (!PyErr_ExceptionMatches(PyExc_StopIteration)) return NULL;
            PyErr_Clear();
          }
          return PyLong_FromNumber(acc);
        }
        if (PyLong_CheckExact(item) || Py_TYPE(item) === PyBool_Type) {
          const b = smallValue(item);
          if (b === b) {
            const x = acc + b;
            if (Number.isSafeInteger(x)) {
              acc = x;
              Py_DECREF(item);
              continue;
            }
          }
        }
        const r = PyLong_FromNumber(acc);
        if (r === NULL) {
          Py_DECREF(item);
          Py_DECREF(it);
          return NULL;
        }
        result = PyNumber_Add(r, item);
        Py_DECREF(r);
        Py_DECREF(item);
        if (result === NULL) {
          Py_DECREF(it);
          return NULL;
        }
      }
    }
  }
  // float fast path: one double, added left to right
  if (PyFloat_CheckExact(result)) {
    let f = PyFloat_AS_DOUBLE(result);
    Py_DECREF(result);
    result = NULL;
    while (result === NULL) {
      const item = next(it);
      if (item === NULL) {
        Py_DECREF(it);
        if (PyErr_Occurred() !== NULL) {
          if (!PyErr_ExceptionMatches(PyExc_StopIteration)) return NULL;
          PyErr_Clear();
        }
        return PyFloat_FromDouble(f);
      }
      if (PyFloat_CheckExact(item)) {
        f += PyFloat_AS_DOUBLE(item);
        Py_DECREF(item);
        continue;
      }
      if (PyLong_Check(item)) {
        const v = smallValue(item);
        if (v === v) {
          f += v;
          Py_DECREF(item);
          continue;
        }
        // outside C long: CPython falls back to PyNumber_Add (same IEEE addition)
        const d = PyLong_AsDouble(item);
        if (!(d === -1 && PyErr_Occurred() !== NULL) && Math.abs(d) < TWO63) {
          f += d;
          Py_DECREF(item);
          continue;
        }
        PyErr_Clear();
      }
      const r = PyFloat_FromDouble(f);
      if (r === NULL) {
        Py_DECREF(item);
        Py_DECREF(it);
        return NULL;
      }
      result = PyNumber_Add(r, item);
      Py_DECREF(r);
      Py_DECREF(item);
      if (result === NULL) {
        Py_DECREF(it);
        return NULL;
      }
    }
  }
  for (;;) {
    const item = next(it);
    if (item === NULL) {
      if (PyErr_Occurred() !== NULL) {
        if (!PyErr_ExceptionMatches(PyExc_StopIteration)) {
          Py_DECREF(result);
          result = NULL;
        } else PyErr_Clear();
      }
      break;
    }
    const temp = PyNumber_Add(result, item);
    Py_DECREF(result);
    Py_DECREF(item);
    result = temp;
    if (result === NULL) break;
  }
  Py_DECREF(it);
  return result;
}

// ---- pow / round / hex / oct / bin ----

const powSpec: ArgSpec = { fname: 'pow', names: ['base', 'exp', 'mod'], posonly: 0, required: 2, kwonlyFrom: 3 };
function builtin_pow(_m: Ptr, args: number, nargs: number, kwnames: Ptr): Ptr {
  if (!parseArgs(powSpec, args, nargs, kwnames)) return NULL;
  return PyNumber_Power(ARGV[0], ARGV[1], ARGV[2] === NULL ? Py_None : ARGV[2]);
}

const roundSpec: ArgSpec = { fname: 'round', names: ['number', 'ndigits'], posonly: 0, required: 1, kwonlyFrom: 2 };
function builtin_round(_m: Ptr, args: number, nargs: number, kwnames: Ptr): Ptr {
  if (!parseArgs(roundSpec, args, nargs, kwnames)) return NULL;
  const number = ARGV[0];
  const ndigits = ARGV[1];
  const round = lookupSpecial(number, '__round__');
  if (round === NULL) {
    if (PyErr_Occurred() === NULL) return typeError(`type ${tpName(number)} doesn't define __round__ method`);
    return NULL;
  }
  const r = ndigits === NULL || ndigits === Py_None ? PyObject_CallNoArgs(round) : PyObject_CallOneArg(round, ndigits);
  Py_DECREF(round);
  return r;
}

function builtin_bin(_m: Ptr, x: number): Ptr {
  return PyNumber_ToBase(x, 2);
}
function builtin_oct(_m: Ptr, x: number): Ptr {
  return PyNumber_ToBase(x, 8);
}
function builtin_hex(_m: Ptr, x: number): Ptr {
  return PyNumber_ToBase(x, 16);
}

// ---- sorted ----

function builtin_sorted(_m: Ptr, args: number, nargs: number, kwnames: Ptr): Ptr {
  if (nargs !== 1) return typeError(`sorted expected 1 argument, got ${nargs}`);
  const newlist = PySequence_List(arg(args, 0));
  if (newlist === NULL) return NULL;
  const nkw = kwnames === NULL ? 0 : PyTuple_GET_SIZE(kwnames);
  if (nkw === 0) {
    const r = list_sort_impl(newlist, NULL, false);
    if (r === NULL) {
      Py_DECREF(newlist);
      return NULL;
    }
    Py_DECREF(r);
    return newlist;
  }
  const sort = PyObject_GetAttrString(newlist, 'sort');
  if (sort === NULL) {
    Py_DECREF(newlist);
    return NULL;
  }
  const r = PyObject_Vectorcall(sort, args + 8, 0, kwnames);
  Py_DECREF(sort);
  if (r === NULL) {
    Py_DECREF(newlist);
    return NULL;
  }
  Py_DECREF(r);
  return newlist;
}

// ---- print / input ----

let printSpace: Ptr = NULL;
let printNewline: Ptr = NULL;

/** file.write(s) for any file object; 0 or -1. */
function fileWrite(file: Ptr, s: Ptr): number {
  if (isTextIO(file)) return textioWriteStr(file, s);
  const r = PyObject_CallMethod(file, 'write', s);
  if (r === NULL) return -1;
  Py_DECREF(r);
  return 0;
}

function builtin_print(_m: Ptr, args: number, nargs: number, kwnames: Ptr): Ptr {
  let sep: Ptr = NULL;
  let end: Ptr = NULL;
  let file: Ptr = NULL;
  let flush: Ptr = NULL;
  const nkw = kwnames === NULL ? 0 : PyTuple_GET_SIZE(kwnames);
  for (let k = 0; k < nkw; k++) {
    const ks = unicodeToJs(PyTuple_GET_ITEM(kwnames, k));
    const v = arg(args, nargs + k);
    if (ks === 'sep') sep = v;
    else if (ks === 'end') end = v;
    else if (ks === 'file') file = v;
    else if (ks === 'flush') flush = v;
    else return typeError(`'${ks}' is an invalid keyword argument for print()`);
  }
  if (file === NULL || file === Py_None) {
    file = PySys_GetObject('stdout');
    if (file === NULL) {
      PyErr_SetString(PyExc_RuntimeError, 'lost sys.stdout');
      return NULL;
    }
    if (file === Py_None) return none();
  }
  if (sep === Py_None) sep = NULL;
  else if (sep !== NULL && !PyUnicode_Check(sep)) return typeError(`sep must be None or a string, not ${tpName(sep)}`);
  if (end === Py_None) end = NULL;
  else if (end !== NULL && !PyUnicode_Check(end)) return typeError(`end must be None or a string, not ${tpName(end)}`);
  Py_INCREF(file); // the file must stay alive while its write methods run
  const direct = isTextIO(file);
  for (let i = 0; i < nargs; i++) {
    if (i > 0) {
      const s = sep === NULL ? printSpace : sep;
      if ((direct ? textioWriteStr(file, s) : fileWrite(file, s)) < 0) return fail(file);
    }
    const o = arg(args, i);
    if (Py_TYPE(o) === PyUnicode_Type) {
      if ((direct ? textioWriteStr(file, o) : fileWrite(file, o)) < 0) return fail(file);
    } else {
      const s = PyObject_Str(o);
      if (s === NULL) return fail(file);
      const r = direct ? textioWriteStr(file, s) : fileWrite(file, s);
      Py_DECREF(s);
      if (r < 0) return fail(file);
    }
  }
  const e = end === NULL ? printNewline : end;
  if ((direct ? textioWriteStr(file, e) : fileWrite(file, e)) < 0) return fail(file);
  if (flush !== NULL) {
    const t = PyObject_IsTrue(flush);
    if (t < 0) return fail(file);
    if (t === 1) {
      if (direct) {
        if (textioFlush(file) < 0) return fail(file);
      } else {
        const r = PyObject_CallMethod(file, 'flush');
        if (r === NULL) return fail(file);
        Py_DECREF(r);
      }
    }
  }
  Py_DECREF(file);
  return none();
}
function fail(file: Ptr): Ptr {
  Py_DECREF(file);
  return NULL;
}

function builtin_input(_m: Ptr, args: number, nargs: number, kwnames: Ptr): Ptr {
  if (!noKwnames('input', kwnames) || !checkPositional('input', nargs, 0, 1)) return NULL;
  noteLongRun();
  const fin = PySys_GetObject('stdin');
  const fout = PySys_GetObject('stdout');
  const ferr = PySys_GetObject('stderr');
  if (fin === NULL || fin === Py_None) {
    PyErr_SetString(PyExc_RuntimeError, 'input(): lost sys.stdin');
    return NULL;
  }
  if (fout === NULL || fout === Py_None) {
    PyErr_SetString(PyExc_RuntimeError, 'input(): lost sys.stdout');
    return NULL;
  }
  if (ferr !== NULL && ferr !== Py_None) {
    if (isTextIO(ferr)) flushFd(2);
    else {
      const r = PyObject_CallMethod(ferr, 'flush');
      if (r === NULL) PyErr_Clear();
      else Py_DECREF(r);
    }
  }
  if (nargs === 1 && arg(args, 0) !== Py_None) {
    const p = PyObject_Str(arg(args, 0));
    if (p === NULL) return NULL;
    const r = fileWrite(fout, p);
    Py_DECREF(p);
    if (r < 0) return NULL;
  }
  if (isTextIO(fout)) flushFd(1);
  else {
    const r = PyObject_CallMethod(fout, 'flush');
    if (r === NULL) PyErr_Clear();
    else Py_DECREF(r);
  }
  let line: Ptr;
  if (isTextIO(fin)) {
    const js = stdinReadLine();
    line = js === null ? unicode_new_empty() : PyUnicode_FromString(js);
  } else {
    line = PyObject_CallMethod(fin, 'readline');
    if (line !== NULL && !PyUnicode_Check(line)) {
      Py_DECREF(line);
      return typeError('object.readline() returned non-string');
    }
  }
  if (line === NULL) return NULL;
  const n = PyUnicode_GET_LENGTH(line);
  if (n === 0) {
    Py_DECREF(line);
    PyErr_SetString(PyExc_EOFError, 'EOF when reading a line');
    return NULL;
  }
  if (PyUnicode_READ_CHAR(line, n - 1) === 10) {
    const s = PyUnicode_FromString(unicodeToJs(line).slice(0, -1));
    Py_DECREF(line);
    return s;
  }
  return line;
}

// ---- globals / locals / vars / dir ----

/** ≈ PyEval_GetGlobals: the current frame's globals (borrowed), or NULL when no frame runs. */
export function PyEval_GetGlobals(): Ptr {
  const f = ts.frame;
  return f === NULL ? NULL : I32[(f + F_GLOBALS) >> 2];
}

/** ≈ _PyFrame_FastToLocalsWithError + PyEval_GetLocals: the current frame's locals dict
 *  (borrowed; a function frame's dict is made/updated from its fast locals and kept in
 *  f_locals, as CPython). NULL with SystemError when no frame runs. */
export function PyEval_GetLocals(): Ptr {
  const f = ts.frame;
  if (f === NULL) {
    PyErr_SetString(PyExc_SystemError, 'frame does not exist');
    return NULL;
  }
  return frameFastToLocals(f);
}

/** Fill frame f's f_locals from its fast locals (function frames). Borrowed dict or NULL. */
export function frameFastToLocals(f: Ptr): Ptr {
  const co = I32[(f + F_CODE) >> 2];
  let locals = I32[(f + F_LOCALS) >> 2];
  if (locals === NULL) {
    locals = PyDict_New();
    if (locals === NULL) return NULL;
    I32[(f + F_LOCALS) >> 2] = locals;
    I32[(f + F_LOCALS + 4) >> 2] = 0;
  }
  if ((I32[(co + CO_FLAGS) >> 2] & CO_OPTIMIZED) === 0) return locals;
  const n = I32[(co + CO_NLOCALSPLUS) >> 2];
  const started = I32[(f + F_PREV_INSTR) >> 2] >= 0;
  for (let i = 0; i < n; i++) {
    const name = localName(co, i);
    const kind = localKind(co, i);
    let value = I32[(f + F_LOCALSPLUS + 8 * i) >> 2];
    if (value !== NULL && ((kind & CO_FAST_FREE) !== 0 || ((kind & CO_FAST_CELL) !== 0 && started))) {
      if (Py_TYPE(value) === PyCell_Type) value = I32[(value + 16) >> 2];
    }
    if (value === NULL) {
      if (PyDict_GetItem(locals, name) !== NULL && PyDict_DelItem(locals, name) < 0) {
        if (!PyErr_ExceptionMatches(PyExc_KeyError)) return NULL;
        PyErr_Clear();
      }
    } else if (PyDict_SetItem(locals, name, value) < 0) return NULL;
  }
  return locals;
}

function builtin_globals(_m: Ptr): Ptr {
  const g = PyEval_GetGlobals();
  return newRef(g === NULL ? Py_None : g);
}
function builtin_locals(_m: Ptr): Ptr {
  const l = PyEval_GetLocals();
  return l === NULL ? NULL : newRef(l);
}

function builtin_vars(_m: Ptr, args: number, nargs: number, kwnames: Ptr): Ptr {
  if (!noKwnames('vars', kwnames) || !checkPositional('vars', nargs, 0, 1)) return NULL;
  if (nargs === 0) return builtin_locals(NULL);
  const n = nameStr('__dict__');
  if (n === NULL) return NULL;
  const d = PyObject_GetAttr(arg(args, 0), n);
  if (d === NULL && PyErr_ExceptionMatches(PyExc_AttributeError)) {
    PyErr_Clear();
    return typeError('vars() argument must have __dict__ attribute');
  }
  return d;
}

/** Add the keys of dict `d` to the JS-side set `out` (names are kept as str addresses). */
function mergeDictKeys(out: Ptr, d: Ptr): number {
  const it = PyObject_GetIter(d);
  if (it === NULL) return -1;
  for (;;) {
    const k = PyIter_Next(it);
    if (k === NULL) break;
    const r = PyDict_SetItem(out, k, Py_None);
    Py_DECREF(k);
    if (r < 0) {
      Py_DECREF(it);
      return -1;
    }
  }
  Py_DECREF(it);
  return PyErr_Occurred() !== NULL ? -1 : 0;
}

/** ≈ merge_class_dict: the names of a class and, recursively, its bases. */
function mergeClassDict(out: Ptr, cls: Ptr): number {
  const d = I32[(cls + TP_DICT) >> 2];
  if (d !== NULL && mergeDictKeys(out, d) < 0) return -1;
  const bases = I32[(cls + TP_BASES) >> 2];
  if (bases === NULL) return 0;
  const n = PyTuple_GET_SIZE(bases);
  for (let i = 0; i < n; i++) if (mergeClassDict(out, PyTuple_GET_ITEM(bases, i)) < 0) return -1;
  return 0;
}

function dictKeysList(d: Ptr): Ptr {
  return PySequence_List(d);
}

/** object.__dir__ (≈ object___dir___impl, with type.__dir__ and module.__dir__'s behaviour for
 *  types and modules): a new list of names. */
export function object_dir(self: Ptr): Ptr {
  if (Py_TYPE(self) === PyModule_Type) {
    return dictKeysList(PyModule_GetDict(self));
  }
  const out = PyDict_New();
  if (out === NULL) return NULL;
  if (PyType_Check(self)) {
    if (mergeClassDict(out, self) < 0) {
      Py_DECREF(out);
      return NULL;
    }
  } else {
    const dn = nameStr('__dict__');
    const d = dn === NULL ? NULL : PyObject_GetAttr(self, dn);
    if (d === NULL) {
      if (!PyErr_ExceptionMatches(PyExc_AttributeError)) {
        Py_DECREF(out);
        return NULL;
      }
      PyErr_Clear();
    } else {
      const isDict = typeName(Py_TYPE(d)) === 'dict' || typeName(Py_TYPE(d)) === 'mappingproxy';
      const r = isDict ? mergeDictKeys(out, d) : 0;
      Py_DECREF(d);
      if (r < 0) {
        Py_DECREF(out);
        return NULL;
      }
    }
    if (mergeClassDict(out, Py_TYPE(self)) < 0) {
      Py_DECREF(out);
      return NULL;
    }
  }
  const l = dictKeysList(out);
  Py_DECREF(out);
  return l;
}

function builtin_dir(_m: Ptr, args: number, nargs: number, kwnames: Ptr): Ptr {
  if (!noKwnames('dir', kwnames) || !checkPositional('dir', nargs, 0, 1)) return NULL;
  let result: Ptr;
  if (nargs === 0) {
    const locals = PyEval_GetLocals();
    if (locals === NULL) return NULL;
    result = PySequence_List(locals);
    if (result === NULL) return NULL;
  } else {
    const o = arg(args, 0);
    const dirfunc = lookupSpecial(o, '__dir__');
    if (dirfunc === NULL) {
      if (PyErr_Occurred() === NULL) return typeError('object does not provide __dir__');
      return NULL;
    }
    const r = PyObject_CallNoArgs(dirfunc);
    Py_DECREF(dirfunc);
    if (r === NULL) return NULL;
    result = PySequence_List(r);
    Py_DECREF(r);
    if (result === NULL) return NULL;
  }
  const s = list_sort_impl(result, NULL, false);
  if (s === NULL) {
    Py_DECREF(result);
    return NULL;
  }
  Py_DECREF(s);
  return result;
}

// ---- __import__ / __build_class__ ----

const importSpec: ArgSpec = { fname: '__import__', names: ['name', 'globals', 'locals', 'fromlist', 'level'], posonly: 0, required: 1, kwonlyFrom: 5 };
function builtin___import__(_m: Ptr, args: number, nargs: number, kwnames: Ptr): Ptr {
  if (!parseArgs(importSpec, args, nargs, kwnames)) return NULL;
  const name = ARGV[0];
  const globals = ARGV[1];
  const locals = ARGV[2];
  const fromlist = ARGV[3];
  let level = 0;
  if (ARGV[4] !== NULL) {
    level = asCInt(ARGV[4]);
    if (argFailed(level)) return NULL;
  }
  return PyImport_ImportModuleLevelObject(name, globals === Py_None ? NULL : globals, locals, fromlist === Py_None ? NULL : fromlist, level);
}

function builtin___build_class__(_m: Ptr, args: number, nargs: number, kwnames: Ptr): Ptr {
  if (bltinHooks.buildClass === null) {
    PyErr_SetString(PyExc_SystemError, '__build_class__ not available');
    return NULL;
  }
  return bltinHooks.buildClass(args, nargs, kwnames);
}

// =====================================================================================
// exit / quit (≈ Lib/_sitebuiltins.py Quitter)
// =====================================================================================
//   _sitebuiltins.Quitter instance: 16 name (str*)  24 eof (str*), + __dict__ in CPython; here
//   a plain GC object of basicsize 32 (getsizeof 48 in CPython, which has a managed dict: 56).

const QUITTER_NAME = 16;
const QUITTER_EOF = 24;

function quitter_dealloc(o: Ptr): void {
  PyObject_GC_UnTrack(o);
  Py_XDECREF(I32[(o + QUITTER_NAME) >> 2]);
  Py_XDECREF(I32[(o + QUITTER_EOF) >> 2]);
  PyObject_GC_Del(o);
}
function quitter_repr(o: Ptr): Ptr {
  return PyUnicode_FromString(`Use ${unicodeToJs(I32[(o + QUITTER_NAME) >> 2])}() or ${unicodeToJs(I32[(o + QUITTER_EOF) >> 2])} to exit`);
}
function quitter_vectorcall(_o: Ptr, args: number, nargs: number, kwnames: Ptr): Ptr {
  const nkw = kwnames === NULL ? 0 : PyTuple_GET_SIZE(kwnames);
  let code: Ptr = nargs > 0 ? arg(args, 0) : NULL;
  for (let k = 0; k < nkw; k++) {
    const ks = unicodeToJs(PyTuple_GET_ITEM(kwnames, k));
    if (ks !== 'code') return typeError(`Quitter.__call__() got an unexpected keyword argument '${ks}'`);
    if (nargs > 0) return typeError("Quitter.__call__() got multiple values for argument 'code'");
    code = arg(args, nargs + k);
  }
  if (nargs > 1) return typeError(`Quitter.__call__() takes from 1 to 2 positional arguments but ${nargs + 1} were given`);
  // sys.stdin.close() is attempted first in CPython (errors ignored); stdin stays usable here.
  const exc = PyObject_CallOneArg(PyExc_SystemExit, code === NULL ? Py_None : code);
  if (exc === NULL) return NULL;
  PyErr_SetObject(PyExc_SystemExit, exc);
  Py_DECREF(exc);
  return NULL;
}
export const Quitter_Type: Ptr = newStaticType({
  name: '_sitebuiltins.Quitter',
  basicsize: 32,
  flags: Py_TPFLAGS_HAVE_GC,
  slots: {
    tp_dealloc: quitter_dealloc,
    tp_traverse: () => 0,
    tp_repr: quitter_repr,
    ob_vectorcall: quitter_vectorcall,
  },
});

function newQuitter(name: string): Ptr {
  const o = PyObject_GC_New(Quitter_Type);
  if (o === NULL) return NULL;
  I32.fill(0, (o + 16) >> 2, (o + 32) >> 2);
  I32[(o + QUITTER_NAME) >> 2] = PyUnicode_FromString(name);
  I32[(o + QUITTER_EOF) >> 2] = PyUnicode_FromString('Ctrl-D (i.e. EOF)');
  if (I32[(o + QUITTER_NAME) >> 2] === NULL || I32[(o + QUITTER_EOF) >> 2] === NULL) {
    Py_DECREF(o);
    return NULL;
  }
  PyObject_GC_Track(o);
  return o;
}

// =====================================================================================
// the module
// =====================================================================================

const FC = METH_FASTCALL;
const FCK = METH_FASTCALL | METH_KEYWORDS;
/** The builtin functions, in CPython's builtin_methods order. */
export const builtinMethods: MethodDef[] = [
  { name: '__build_class__', flags: FCK, fn: builtin___build_class__ },
  { name: '__import__', flags: FCK, fn: builtin___import__ },
  { name: 'abs', flags: METH_O, fn: builtin_abs },
  { name: 'all', flags: METH_O, fn: (_m: Ptr, o: number) => builtin_all_any(o, false) },
  { name: 'any', flags: METH_O, fn: (_m: Ptr, o: number) => builtin_all_any(o, true) },
  { name: 'ascii', flags: METH_O, fn: builtin_ascii },
  { name: 'bin', flags: METH_O, fn: builtin_bin },
  { name: 'callable', flags: METH_O, fn: builtin_callable },
  { name: 'chr', flags: METH_O, fn: builtin_chr },
  { name: 'delattr', flags: FC, fn: builtin_delattr },
  { name: 'dir', flags: FCK, fn: builtin_dir },
  { name: 'divmod', flags: FC, fn: builtin_divmod },
  { name: 'format', flags: FCK, fn: builtin_format },
  { name: 'getattr', flags: FC, fn: builtin_getattr },
  { name: 'globals', flags: METH_NOARGS, fn: builtin_globals },
  { name: 'hasattr', flags: FC, fn: builtin_hasattr },
  { name: 'hash', flags: METH_O, fn: builtin_hash },
  { name: 'hex', flags: METH_O, fn: builtin_hex },
  { name: 'id', flags: METH_O, fn: builtin_id },
  { name: 'input', flags: FCK, fn: builtin_input },
  { name: 'isinstance', flags: FC, fn: builtin_isinstance },
  { name: 'issubclass', flags: FC, fn: builtin_issubclass },
  { name: 'iter', flags: FC, fn: builtin_iter },
  { name: 'len', flags: METH_O, fn: builtin_len },
  { name: 'locals', flags: METH_NOARGS, fn: builtin_locals },
  { name: 'max', flags: FCK, fn: builtin_max },
  { name: 'min', flags: FCK, fn: builtin_min },
  { name: 'next', flags: FC, fn: builtin_next },
  { name: 'oct', flags: METH_O, fn: builtin_oct },
  { name: 'ord', flags: METH_O, fn: builtin_ord },
  { name: 'pow', flags: FCK, fn: builtin_pow },
  { name: 'print', flags: FCK, fn: builtin_print },
  { name: 'repr', flags: METH_O, fn: builtin_repr },
  { name: 'round', flags: FCK, fn: builtin_round },
  { name: 'setattr', flags: FC, fn: builtin_setattr },
  { name: 'sorted', flags: FCK, fn: builtin_sorted },
  { name: 'sum', flags: FCK, fn: builtin_sum },
  { name: 'vars', flags: FCK, fn: builtin_vars },
];

/** A registered static type by tp_name (types defined in files this one does not import). */
export function staticTypeByName(name: string): Ptr {
  for (let id = 0; id < typeById.length; id++) {
    const t = typeById[id];
    if (t !== NULL && (I32[(t + TP_FLAGS) >> 2] & Py_TPFLAGS_HEAPTYPE) === 0 && typeSlots[id].name === name) return t;
  }
  return NULL;
}

/** Types by name; those not imported above are looked up among the registered static types. */
const BUILTIN_TYPE_NAMES = [
  'bool', 'memoryview', 'bytearray', 'bytes', 'classmethod', 'complex', 'dict', 'enumerate', 'filter', 'float',
  'frozenset', 'property', 'int', 'list', 'map', 'object', 'range', 'reversed', 'set', 'slice', 'staticmethod',
  'str', 'super', 'tuple', 'type', 'zip',
];
function builtinType(name: string): Ptr {
  switch (name) {
    case 'bool': return PyBool_Type;
    case 'bytes': return PyBytes_Type;
    case 'classmethod': return PyClassMethod_Type;
    case 'float': return PyFloat_Type;
    case 'int': return PyLong_Type;
    case 'list': return PyList_Type;
    case 'object': return PyBaseObject_Type;
    case 'slice': return PySlice_Type;
    case 'staticmethod': return PyStaticMethod_Type;
    case 'str': return PyUnicode_Type;
    case 'tuple': return PyTuple_Type;
    case 'type': return PyType_Type;
  }
  return staticTypeByName(name);
}

let builtinsModule: Ptr = NULL;

/** The builtins module (borrowed), NULL before initBuiltins. */
export function getBuiltinsModule(): Ptr {
  return builtinsModule;
}
/** The builtins dict (borrowed): what frames use as f_builtins. */
export function getBuiltinsDict(): Ptr {
  return builtinsModule === NULL ? NULL : PyModule_GetDict(builtinsModule);
}

/** ≈ _PyBuiltin_Init: build the builtins module (once). Returns it (borrowed: the interpreter
 *  keeps the reference until finalizeBuiltins) or NULL with an exception. */
export function initBuiltins(): Ptr {
  if (builtinsModule !== NULL) return builtinsModule;
  printSpace = unicode_char(32);
  printNewline = unicode_char(10);
  const m = PyModule_New('builtins');
  if (m === NULL) return NULL;
  const ok = (r: number): boolean => r === 0;
  const doc = PyUnicode_FromString("Built-in functions, exceptions, and other objects.\n\nNoteworthy: None is the `nil' object; Ellipsis represents `...' in slices.");
  const pkg = unicode_new_empty();
  if (doc === NULL || pkg === NULL || !ok(PyModule_AddObjectRef(m, '__doc__', doc)) || !ok(PyModule_AddObjectRef(m, '__package__', pkg))) {
    Py_XDECREF(doc);
    Py_XDECREF(pkg);
    Py_DECREF(m);
    return NULL;
  }
  Py_DECREF(doc);
  Py_DECREF(pkg);
  if (PyModule_AddFunctions(m, builtinMethods) < 0) {
    Py_DECREF(m);
    return NULL;
  }
  const add = (name: string, v: Ptr): boolean => v === NULL || PyModule_AddObjectRef(m, name, v) === 0;
  let good = add('None', Py_None) && add('Ellipsis', Py_Ellipsis) && add('NotImplemented', Py_NotImplemented) && add('False', Py_False) && add('True', Py_True);
  for (const n of BUILTIN_TYPE_NAMES) good = good && add(n, builtinType(n));
  good = good && add('__debug__', Py_True);
  for (const t of builtinExceptionTypes) good = good && add(typeName(t), t);
  // EnvironmentError and IOError are aliases of OSError
  const oserr = builtinExceptionTypes.find((t) => typeName(t) === 'OSError');
  if (oserr !== undefined) good = good && add('EnvironmentError', oserr) && add('IOError', oserr);
  if (!good) {
    Py_DECREF(m);
    return NULL;
  }
  for (const q of ['quit', 'exit']) {
    const o = newQuitter(q);
    if (o === NULL || PyModule_AddObjectRef(m, q, o) < 0) {
      Py_XDECREF(o);
      Py_DECREF(m);
      return NULL;
    }
    Py_DECREF(o);
  }
  builtinsModule = m;
  installObjectHooks();
  return m;
}

/** Drop the builtins module (interpreter teardown). */
export function finalizeBuiltins(): void {
  const m = builtinsModule;
  builtinsModule = NULL;
  Py_XDECREF(m);
  for (const n of names.values()) Py_DECREF(n);
  names.clear();
}

registerBuiltinModule('builtins', () => {
  const m = initBuiltins();
  if (m !== NULL) Py_INCREF(m);
  return m;
});

// ---- object.__format__ / __sizeof__ / __dir__ ----

/** ≈ object.__sizeof__ (object___sizeof___impl, and the built-in types' own __sizeof__ through
 *  Slots.tp_sizeof): new int. Static type objects report sizeof(PyTypeObject) = 408. */
export function object_sizeof(self: Ptr): Ptr {
  const s = slotsOfObj(self);
  if (s.tp_sizeof !== undefined) return PyLong_FromNumber(s.tp_sizeof(self));
  const t = Py_TYPE(self);
  if (PyType_Check(self) && (I32[(self + TP_FLAGS) >> 2] & Py_TPFLAGS_HEAPTYPE) === 0) return PyLong_FromNumber(408);
  const itemsize = I32[(t + 40) >> 2];
  let size = I32[(t + 32) >> 2];
  if (itemsize > 0) size += Math.abs(I32[(self + 16) >> 2]) * itemsize;
  return PyLong_FromNumber(size);
}

function installObjectHooks(): void {
  setObjectMethodHooks({
    format: (self: Ptr, spec: Ptr): Ptr => {
      if (!PyUnicode_Check(spec)) return typeError(`__format__() argument must be str, not ${tpName(spec)}`);
      return object_format(self, unicodeToJs(spec));
    },
    sizeof: object_sizeof,
    dir: object_dir,
  });
}
