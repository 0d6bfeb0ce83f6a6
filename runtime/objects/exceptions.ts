// The built-in exception types and their instances (≈ Objects/exceptions.c, 3.11).
//
// Every built-in exception is a static type object; instances are GC objects with CPython
// 3.11's layouts (sys.getsizeof = basicsize + 16):
//
//   PyBaseExceptionObject (72 bytes + 16 GC head = getsizeof 88)
//     0 ob_refcnt  8 ob_type  16 dict  24 args  32 notes  40 traceback  48 context  56 cause
//    64 suppress_context (char)
//   StopIteration / SystemExit: + 72 value / code                        (80 → 96)
//   NameError: + 72 name  · AttributeError: + 72 obj, 80 name            (80 → 96 / 88 → 104)
//   ImportError: + 72 msg, 80 name, 88 path                              (96 → 112)
//   OSError: + 72 myerrno, 80 strerror, 88 filename, 96 filename2, 104 written (ssize_t) (112 → 128)
//   SyntaxError: + 72 msg, 80 filename, 88 lineno, 96 offset, 104 text, 112 end_lineno,
//                120 end_offset, 128 print_file_and_line                 (136 → 152)
//   UnicodeEncode/Decode/TranslateError: + 72 encoding, 80 object, 88 start, 96 end, 104 reason
//                                                                        (112 → 128)
//
// Behaviour, as CPython 3.11:
// - tp_new (BaseException_new) allocates through PyType_GenericAlloc (zeroed, tracked) and
//   stores the argument tuple; tp_init stores it again and rejects keywords. Subclasses parse
//   their own arguments in tp_init (StopIteration.value, SystemExit.code, NameError(name=),
//   AttributeError(name=, obj=), ImportError(msg, name=, path=), SyntaxError(msg, (filename,
//   lineno, offset, text[, end_lineno, end_offset]))). OSError does its work in tp_new:
//   OSError(errno, strerror[, filename[, winerror[, filename2]]]) picks the subclass from the
//   errno (ENOENT → FileNotFoundError ...) and drops filename/filename2 from args.
// - `__notes__` is an ordinary instance attribute (a list in the instance __dict__), created by
//   add_note(); the `notes` field is part of the 3.11 layout but unused, as in CPython 3.11.
// - Setting __cause__ sets __suppress_context__ (PyException_SetCause).
// - dealloc: untrack, trashcan, clear the fields (subclass fields first), free. MemoryError
//   keeps CPython's free list of up to 16 instances, preallocated by _PyExc_Init so that raising
//   MemoryError needs no memory.
// - PyErr_SetString / PyErr_SetObject store the type and the message or argument; errors.ts
//   normalizes through the factory registered below (≈ _PyErr_CreateException: call the type
//   with no argument, the tuple, or the single argument).
//
// Cross-module registrations that touch modules above this one (typeready's AttributeError
// context, the KeyError type used by GenericSetAttr, the MemoryError free list) happen in
// _PyExc_Init(), called once at interpreter start-up: an ESM import cycle can evaluate this
// module before typeready.ts, so it cannot touch typeready's bindings while loading.

import {
  type Ptr, NULL as NULL__i, I32 as I32__i, U8 as U8__i,
} from '../mem/heap.js';
const NULL = NULL__i;
const I32 = I32__i;
const U8 = U8__i;
import { Py_DECREF, Py_INCREF, Py_XDECREF, Py_TYPE, Py_SETREF, Py_CLEAR, trashcanBegin, trashcanEnd, OB_TYPE } from '../object.js';
import {
  newStaticType, slotsOf, slotsOfObj, typeName, PyType_IsSubtype, PyType_Check, TP_DICTOFFSET, TP_FLAGS,
  Py_TPFLAGS_BASETYPE, Py_TPFLAGS_HAVE_GC, Py_TPFLAGS_BASE_EXC_SUBCLASS, Py_TPFLAGS_HEAPTYPE, Py_TPFLAGS_DICT_SUBCLASS,
  Py_TPFLAGS_LONG_SUBCLASS, Py_TPFLAGS_UNICODE_SUBCLASS, Py_TPFLAGS_TUPLE_SUBCLASS, Py_TPFLAGS_BYTES_SUBCLASS,
  METH_O, METH_NOARGS, type MethodDef, type GetSetDef, type MemberDef, type visitproc, type Slots,
} from '../typeobject.js';
import { PyType_GenericAlloc, PyObject_GC_Del, PyObject_GC_UnTrack, PyObject_GC_Track } from '../gc.js';
import {
  setMemoryErrorType, setExceptionFactory, setExceptionInstanceCheck, PyErr_SetString, PyErr_Fetch, PyErr_Restore,
  PyErr_Occurred, PyErr_Clear, PyErr_ExceptionMatches,
} from '../errors.js';
import { PyUnicode_FromString, PyUnicode_InternFromString, PyUnicode_CheckExact, unicodeToJs, PyUnicode_GET_LENGTH, PyUnicode_READ_CHAR } from './unicodeobject.js';
import { PyTuple_New, PyTuple_GET_SIZE, PyTuple_GET_ITEM, PyTuple_GetSlice, PySequence_Tuple, PyTuple_Pack } from './tupleobject.js';
import { PyDict_New, PyDict_Next, PyDict_Size, DICT_NEXT } from './dictobject.js';
import { PyList_New, PyList_Append, PyList_Check } from './listobject.js';
import { PyLong_AsNumber, PyLong_FromNumber, PyLong_CheckExact } from './longobject.js';
import { PyBytes_GET_SIZE, PyBytes_AS_STRING } from './bytesobject.js';
import { Py_None } from './noneobject.js';
import { Py_True, Py_False } from './boolobject.js';
import { PyObject_Str, PyObject_Repr, PyNumber_Check, PyNumber_AsSsize_t } from '../abstract.js';
import { PyObject_Call, PyObject_CallNoArgs, PyObject_CallOneArg } from '../call.js';
import { PyObject_GetAttr, PyObject_SetAttr, attributeErrorContext, setKeyErrorType } from '../typeready.js';

// ---- layout ----
export const EXC_DICT = 16;
export const EXC_ARGS = 24;
export const EXC_NOTES = 32;
export const EXC_TRACEBACK = 40;
export const EXC_CONTEXT = 48;
export const EXC_CAUSE = 56;
export const EXC_SUPPRESS_CONTEXT = 64;
export const BASE_EXCEPTION_SIZE = 72;
export const EXC_VALUE = 72; // StopIteration.value, SystemExit.code
export const NAMEERROR_NAME = 72;
export const ATTRIBUTEERROR_OBJ = 72;
export const ATTRIBUTEERROR_NAME = 80;
export const IMPORTERROR_MSG = 72;
export const IMPORTERROR_NAME = 80;
export const IMPORTERROR_PATH = 88;
export const OSERROR_ERRNO = 72;
export const OSERROR_STRERROR = 80;
export const OSERROR_FILENAME = 88;
export const OSERROR_FILENAME2 = 96;
export const OSERROR_WRITTEN = 104;
export const SYNTAXERROR_MSG = 72;
export const SYNTAXERROR_FILENAME = 80;
export const SYNTAXERROR_LINENO = 88;
export const SYNTAXERROR_OFFSET = 96;
export const SYNTAXERROR_TEXT = 104;
export const SYNTAXERROR_END_LINENO = 112;
export const SYNTAXERROR_END_OFFSET = 120;
export const SYNTAXERROR_PRINT_FILE_AND_LINE = 128;
export const UNICODEERROR_ENCODING = 72;
export const UNICODEERROR_OBJECT = 80;
export const UNICODEERROR_START = 88;
export const UNICODEERROR_END = 96;
export const UNICODEERROR_REASON = 104;

/** Pointer-field read (borrowed; NULL when unset). */
function fld(o: Ptr, off: number): Ptr {
  return I32[(o + off) >> 2];
}
/** Store `v` (a reference the field takes over, or NULL) into a field that is NULL. */
function initFld(o: Ptr, off: number, v: Ptr): void {
  I32[(o + off) >> 2] = v;
  I32[(o + off + 4) >> 2] = 0;
}
/** Py_XSETREF on a field: store `v` (stolen, may be NULL), then release the old value. */
function setFld(o: Ptr, off: number, v: Ptr): void {
  Py_SETREF(o + off, v);
}
function newRefOrNone(v: Ptr): Ptr {
  const r = v === NULL ? Py_None : v;
  Py_INCREF(r);
  return r;
}
function isExcInstance(o: Ptr): boolean {
  return (I32[(I32[(o + OB_TYPE) >> 2] + TP_FLAGS) >> 2] & Py_TPFLAGS_BASE_EXC_SUBCLASS) !== 0;
}
function typeFlagSet(o: Ptr, flag: number): boolean {
  return (I32[(I32[(o + OB_TYPE) >> 2] + TP_FLAGS) >> 2] & flag) !== 0;
}
function isStr(o: Ptr): boolean {
  return typeFlagSet(o, Py_TPFLAGS_UNICODE_SUBCLASS);
}
function isInt(o: Ptr): boolean {
  return typeFlagSet(o, Py_TPFLAGS_LONG_SUBCLASS);
}
/** The short type name CPython's messages use (tp_name after its last dot). */
function shortName(t: Ptr): string {
  const n = typeName(t);
  const dot = n.lastIndexOf('.');
  return dot >= 0 ? n.slice(dot + 1) : n;
}
function traceback_check(o: Ptr): boolean {
  // PyTraceBack_Check without importing runtime/vm (objects never import the VM): the traceback
  // type is the static type named 'traceback' (runtime/vm/frame.ts).
  const t = Py_TYPE(o);
  return (I32[(t + TP_FLAGS) >> 2] & Py_TPFLAGS_HEAPTYPE) === 0 && typeName(t) === 'traceback';
}

// ---- keyword-argument helpers (≈ _PyArg_NoKeywords, PyArg_ParseTupleAndKeywords "|$O...") ----
function dictSize(kwds: Ptr): number {
  return kwds === NULL ? 0 : PyDict_Size(kwds);
}
/** 0, or -1 with TypeError "X() takes no keyword arguments". */
function noKeywords(name: string, kwds: Ptr): number {
  if (kwds !== NULL && dictSize(kwds) !== 0) {
    PyErr_SetString(PyExc_TypeError, `${name}() takes no keyword arguments`);
    return -1;
  }
  return 0;
}
/** Keyword-only arguments `names` from `kwds` into `out` (borrowed; NULL when absent).
 *  0, or -1 with CPython's TypeError. */
function parseKeywordOnly(kwds: Ptr, fname: string, names: string[], out: Ptr[]): number {
  for (let i = 0; i < names.length; i++) out[i] = NULL;
  const n = dictSize(kwds);
  if (n === 0) return 0;
  if (n > names.length) {
    PyErr_SetString(PyExc_TypeError, `${fname}() takes at most ${names.length} keyword argument${names.length === 1 ? '' : 's'} (${n} given)`);
    return -1;
  }
  for (let pos = PyDict_Next(kwds, 0); pos >= 0; pos = PyDict_Next(kwds, pos)) {
    const k = DICT_NEXT.key;
    if (!isStr(k)) {
      PyErr_SetString(PyExc_TypeError, 'keywords must be strings');
      return -1;
    }
    const i = names.indexOf(unicodeToJs(k));
    if (i < 0) {
      PyErr_SetString(PyExc_TypeError, `'${unicodeToJs(k)}' is an invalid keyword argument for ${fname}()`);
      return -1;
    }
    out[i] = DICT_NEXT.value;
  }
  return 0;
}

// ---- BaseException ----

/** ≈ BaseException_new: a new instance holding `args` (borrowed; NULL → ()). New reference. */
function BaseException_new(type: Ptr, args: Ptr, _kwds: Ptr): Ptr {
  const self = PyType_GenericAlloc(type, 0);
  if (self === NULL) return NULL;
  // (the fields are zeroed: dict, notes, traceback, cause, context NULL; suppress_context 0)
  if (args !== NULL) {
    Py_INCREF(args);
    initFld(self, EXC_ARGS, args);
    return self;
  }
  const t = PyTuple_New(0);
  if (t === NULL) {
    Py_DECREF(self);
    return NULL;
  }
  initFld(self, EXC_ARGS, t);
  return self;
}

/** ≈ BaseException_init: args replaces self.args; keywords are refused. */
function BaseException_init(self: Ptr, args: Ptr, kwds: Ptr): number {
  if (noKeywords(typeName(Py_TYPE(self)), kwds) < 0) return -1;
  Py_INCREF(args);
  setFld(self, EXC_ARGS, args);
  return 0;
}
/** BaseException_init without the keyword check (subclasses that parse keywords themselves). */
function setArgs(self: Ptr, args: Ptr): void {
  Py_INCREF(args);
  setFld(self, EXC_ARGS, args);
}

function BaseException_clear(self: Ptr): number {
  Py_CLEAR(self + EXC_DICT);
  Py_CLEAR(self + EXC_ARGS);
  Py_CLEAR(self + EXC_NOTES);
  Py_CLEAR(self + EXC_TRACEBACK);
  Py_CLEAR(self + EXC_CAUSE);
  Py_CLEAR(self + EXC_CONTEXT);
  return 0;
}

function visitFields(self: Ptr, offs: readonly number[], visit: visitproc, arg: number): number {
  for (let i = 0; i < offs.length; i++) {
    const v = I32[(self + offs[i]) >> 2];
    if (v !== NULL) {
      const r = visit(v, arg);
      if (r !== 0) return r;
    }
  }
  return 0;
}
const BASE_FIELDS = [EXC_DICT, EXC_ARGS, EXC_NOTES, EXC_TRACEBACK, EXC_CAUSE, EXC_CONTEXT] as const;
function BaseException_traverse(self: Ptr, visit: visitproc, arg: number): number {
  return visitFields(self, BASE_FIELDS, visit, arg);
}

function freeInstance(self: Ptr): void {
  const free = slotsOfObj(self).tp_free;
  if (free !== undefined) free(self);
  else PyObject_GC_Del(self);
}

/** ≈ BaseException_dealloc (with the trashcan: long __context__/__traceback__ chains). */
function BaseException_dealloc(self: Ptr): void {
  PyObject_GC_UnTrack(self);
  if (trashcanBegin(self)) return;
  BaseException_clear(self);
  freeInstance(self);
  trashcanEnd();
}

/** Slots for an exception subclass with extra object fields at `offs` (cleared before the base
 *  fields, as CPython's XXX_clear functions do). */
function complexSlots(offs: readonly number[]): Pick<Slots, 'tp_dealloc' | 'tp_traverse' | 'tp_clear'> {
  const clear = (self: Ptr): number => {
    for (let i = 0; i < offs.length; i++) Py_CLEAR(self + offs[i]);
    return BaseException_clear(self);
  };
  return {
    tp_clear: clear,
    tp_traverse: (self: Ptr, visit: visitproc, arg: number): number => {
      const r = visitFields(self, offs, visit, arg);
      return r !== 0 ? r : visitFields(self, BASE_FIELDS, visit, arg);
    },
    tp_dealloc: (self: Ptr): void => {
      PyObject_GC_UnTrack(self);
      if (trashcanBegin(self)) return;
      clear(self);
      freeInstance(self);
      trashcanEnd();
    },
  };
}

/** ≈ BaseException_str: '' / str(args[0]) / str(args). New reference. */
function BaseException_str(self: Ptr): Ptr {
  const args = fld(self, EXC_ARGS);
  const n = args === NULL ? 0 : PyTuple_GET_SIZE(args);
  if (n === 0) return PyUnicode_FromString('');
  if (n === 1) return PyObject_Str(PyTuple_GET_ITEM(args, 0));
  return PyObject_Str(args);
}

/** ≈ BaseException_repr: `Name(repr(arg))` for one argument, `Name(args...)` otherwise. */
function BaseException_repr(self: Ptr): Ptr {
  const name = shortName(Py_TYPE(self));
  const args = fld(self, EXC_ARGS);
  const one = args !== NULL && PyTuple_GET_SIZE(args) === 1;
  const r = PyObject_Repr(one ? PyTuple_GET_ITEM(args, 0) : args === NULL ? Py_None : args);
  if (r === NULL) return NULL;
  const s = one ? `${name}(${unicodeToJs(r)})` : `${name}${unicodeToJs(r)}`;
  Py_DECREF(r);
  return PyUnicode_FromString(s);
}

// -- getsets --
function getDict(self: Ptr): Ptr {
  let d = fld(self, EXC_DICT);
  if (d === NULL) {
    d = PyDict_New();
    if (d === NULL) return NULL;
    initFld(self, EXC_DICT, d);
  }
  Py_INCREF(d);
  return d;
}
function setDict(self: Ptr, v: Ptr): number {
  if (v === NULL) {
    PyErr_SetString(PyExc_TypeError, 'cannot delete __dict__');
    return -1;
  }
  if (!typeFlagSet(v, Py_TPFLAGS_DICT_SUBCLASS)) {
    PyErr_SetString(PyExc_TypeError, `__dict__ must be set to a dictionary, not a '${typeName(Py_TYPE(v))}'`);
    return -1;
  }
  Py_INCREF(v);
  setFld(self, EXC_DICT, v);
  return 0;
}
function getArgs(self: Ptr): Ptr {
  return newRefOrNone(fld(self, EXC_ARGS));
}
function setArgsAttr(self: Ptr, v: Ptr): number {
  if (v === NULL) {
    PyErr_SetString(PyExc_TypeError, 'args may not be deleted');
    return -1;
  }
  const seq = PySequence_Tuple(v);
  if (seq === NULL) return -1;
  setFld(self, EXC_ARGS, seq);
  return 0;
}
function getTraceback(self: Ptr): Ptr {
  return newRefOrNone(fld(self, EXC_TRACEBACK));
}
function setTracebackAttr(self: Ptr, v: Ptr): number {
  if (v === NULL) {
    PyErr_SetString(PyExc_TypeError, '__traceback__ may not be deleted');
    return -1;
  }
  return PyException_SetTraceback(self, v);
}
function getContext(self: Ptr): Ptr {
  return newRefOrNone(fld(self, EXC_CONTEXT));
}
function setContextAttr(self: Ptr, v: Ptr): number {
  if (v === NULL) {
    PyErr_SetString(PyExc_TypeError, '__context__ may not be deleted');
    return -1;
  }
  if (v === Py_None) {
    setFld(self, EXC_CONTEXT, NULL);
    return 0;
  }
  if (!isExcInstance(v)) {
    PyErr_SetString(PyExc_TypeError, 'exception context must be None or derive from BaseException');
    return -1;
  }
  Py_INCREF(v);
  setFld(self, EXC_CONTEXT, v);
  return 0;
}
function getCause(self: Ptr): Ptr {
  return newRefOrNone(fld(self, EXC_CAUSE));
}
function setCauseAttr(self: Ptr, v: Ptr): number {
  if (v === NULL) {
    PyErr_SetString(PyExc_TypeError, '__cause__ may not be deleted');
    return -1;
  }
  if (v === Py_None) {
    PyException_SetCause(self, NULL);
    return 0;
  }
  if (!isExcInstance(v)) {
    PyErr_SetString(PyExc_TypeError, 'exception cause must be None or derive from BaseException');
    return -1;
  }
  Py_INCREF(v);
  PyException_SetCause(self, v);
  return 0;
}
function getSuppressContext(self: Ptr): Ptr {
  return newRefOrNone(U8[self + EXC_SUPPRESS_CONTEXT] !== 0 ? Py_True : Py_False);
}
function setSuppressContext(self: Ptr, v: Ptr): number {
  // ≈ a T_BOOL member
  if (v === NULL) {
    PyErr_SetString(PyExc_TypeError, "can't delete numeric/char attribute");
    return -1;
  }
  if (v !== Py_True && v !== Py_False) {
    PyErr_SetString(PyExc_TypeError, 'attribute value type must be bool');
    return -1;
  }
  U8[self + EXC_SUPPRESS_CONTEXT] = v === Py_True ? 1 : 0;
  return 0;
}

const baseExceptionGetSets: GetSetDef[] = [
  { name: '__dict__', get: getDict, set: setDict },
  { name: 'args', get: getArgs, set: setArgsAttr },
  { name: '__traceback__', get: getTraceback, set: setTracebackAttr },
  { name: '__context__', get: getContext, set: setContextAttr, doc: 'exception context' },
  { name: '__cause__', get: getCause, set: setCauseAttr, doc: 'exception cause' },
  { name: '__suppress_context__', get: getSuppressContext, set: setSuppressContext },
];

// -- methods --
/** ≈ BaseException.with_traceback(tb): set __traceback__ and return self. */
function BaseException_with_traceback(self: Ptr, tb: Ptr): Ptr {
  if (PyException_SetTraceback(self, tb) < 0) return NULL;
  Py_INCREF(self);
  return self;
}
/** ≈ BaseException.add_note(note): append to the __notes__ list (created on first use). */
function BaseException_add_note(self: Ptr, note: Ptr): Ptr {
  if (!isStr(note)) {
    PyErr_SetString(PyExc_TypeError, `note must be a str, not '${typeName(Py_TYPE(note))}'`);
    return NULL;
  }
  const name = PyUnicode_InternFromString('__notes__');
  if (name === NULL) return NULL;
  let notes = PyObject_GetAttr(self, name);
  if (notes === NULL) {
    if (!PyErr_ExceptionMatches(PyExc_AttributeError)) {
      Py_DECREF(name);
      return NULL;
    }
    PyErr_Clear();
    notes = PyList_New(0);
    if (notes === NULL || PyObject_SetAttr(self, name, notes) < 0) {
      Py_XDECREF(notes);
      Py_DECREF(name);
      return NULL;
    }
  }
  Py_DECREF(name);
  if (!PyList_Check(notes)) {
    Py_DECREF(notes);
    PyErr_SetString(PyExc_TypeError, 'Cannot add note: __notes__ is not a list');
    return NULL;
  }
  const r = PyList_Append(notes, note);
  Py_DECREF(notes);
  if (r < 0) return NULL;
  Py_INCREF(Py_None);
  return Py_None;
}
/** ≈ BaseException.__reduce__: (type, args) or (type, args, __dict__). */
function BaseException_reduce(self: Ptr): Ptr {
  const args = fld(self, EXC_ARGS);
  const dict = fld(self, EXC_DICT);
  if (args !== NULL && dict !== NULL) return PyTuple_Pack(3, Py_TYPE(self), args, dict);
  return PyTuple_Pack(2, Py_TYPE(self), args === NULL ? Py_None : args);
}
/** ≈ BaseException.__setstate__(state): set each item of the dict as an attribute. */
function BaseException_setstate(self: Ptr, state: Ptr): Ptr {
  if (state !== Py_None) {
    if (!typeFlagSet(state, Py_TPFLAGS_DICT_SUBCLASS)) {
      PyErr_SetString(PyExc_TypeError, 'state is not a dictionary');
      return NULL;
    }
    for (let pos = PyDict_Next(state, 0); pos >= 0; pos = PyDict_Next(state, pos)) {
      const k = DICT_NEXT.key;
      const v = DICT_NEXT.value;
      Py_INCREF(k);
      Py_INCREF(v);
      const r = PyObject_SetAttr(self, k, v);
      Py_DECREF(v);
      Py_DECREF(k);
      if (r < 0) return NULL;
    }
  }
  Py_INCREF(Py_None);
  return Py_None;
}

const baseExceptionMethods: MethodDef[] = [
  { name: '__reduce__', flags: METH_NOARGS, fn: (self: Ptr): Ptr => BaseException_reduce(self) },
  { name: '__setstate__', flags: METH_O, fn: (self: Ptr, a: number): Ptr => BaseException_setstate(self, a) },
  {
    name: 'with_traceback', flags: METH_O, fn: (self: Ptr, a: number): Ptr => BaseException_with_traceback(self, a),
    doc: 'Exception.with_traceback(tb) --\n    set self.__traceback__ to tb and return self.',
  },
  {
    name: 'add_note', flags: METH_O, fn: (self: Ptr, a: number): Ptr => BaseException_add_note(self, a),
    doc: 'Exception.add_note(note) --\n    add a note to the exception',
  },
];

// ---- the C API on instances ----

/** ≈ PyException_GetTraceback: new reference or NULL. */
export function PyException_GetTraceback(self: Ptr): Ptr {
  const v = fld(self, EXC_TRACEBACK);
  if (v !== NULL) Py_INCREF(v);
  return v;
}
/** ≈ PyException_SetTraceback(self, tb) with tb a traceback or None (borrowed). 0 / -1. */
export function PyException_SetTraceback(self: Ptr, tb: Ptr): number {
  if (tb === Py_None) {
    setFld(self, EXC_TRACEBACK, NULL);
    return 0;
  }
  if (!traceback_check(tb)) {
    PyErr_SetString(PyExc_TypeError, '__traceback__ must be a traceback or None');
    return -1;
  }
  Py_INCREF(tb);
  setFld(self, EXC_TRACEBACK, tb);
  return 0;
}
/** ≈ PyException_GetCause: new reference or NULL. */
export function PyException_GetCause(self: Ptr): Ptr {
  const v = fld(self, EXC_CAUSE);
  if (v !== NULL) Py_INCREF(v);
  return v;
}
/** ≈ PyException_SetCause: steals `cause` (may be NULL); sets __suppress_context__. */
export function PyException_SetCause(self: Ptr, cause: Ptr): void {
  U8[self + EXC_SUPPRESS_CONTEXT] = 1;
  setFld(self, EXC_CAUSE, cause);
}
/** ≈ PyException_GetContext: new reference or NULL. */
export function PyException_GetContext(self: Ptr): Ptr {
  const v = fld(self, EXC_CONTEXT);
  if (v !== NULL) Py_INCREF(v);
  return v;
}
/** ≈ PyException_SetContext: steals `context` (may be NULL). */
export function PyException_SetContext(self: Ptr, context: Ptr): void {
  setFld(self, EXC_CONTEXT, context);
}
/** ≈ PyException_GetArgs: new reference. */
export function PyException_GetArgs(self: Ptr): Ptr {
  return newRefOrNone(fld(self, EXC_ARGS));
}
/** ≈ PyExceptionInstance_Check */
export function PyExceptionInstance_Check(o: Ptr): boolean {
  return isExcInstance(o);
}
/** ≈ PyExceptionClass_Check */
export function PyExceptionClass_Check(o: Ptr): boolean {
  return PyType_Check(o) && (I32[(o + TP_FLAGS) >> 2] & Py_TPFLAGS_BASE_EXC_SUBCLASS) !== 0;
}
/** The __suppress_context__ flag. */
export function exceptionSuppressContext(self: Ptr): boolean {
  return U8[self + EXC_SUPPRESS_CONTEXT] !== 0;
}

// ---- StopIteration, SystemExit ----
function StopIteration_init(self: Ptr, args: Ptr, kwds: Ptr): number {
  if (BaseException_init(self, args, kwds) < 0) return -1;
  const v = PyTuple_GET_SIZE(args) > 0 ? PyTuple_GET_ITEM(args, 0) : Py_None;
  Py_INCREF(v);
  setFld(self, EXC_VALUE, v);
  return 0;
}
function SystemExit_init(self: Ptr, args: Ptr, kwds: Ptr): number {
  if (BaseException_init(self, args, kwds) < 0) return -1;
  const n = PyTuple_GET_SIZE(args);
  if (n === 0) return 0;
  const code = n === 1 ? PyTuple_GET_ITEM(args, 0) : args;
  Py_INCREF(code);
  setFld(self, EXC_VALUE, code);
  return 0;
}

// ---- ImportError ----
const kwTmp: Ptr[] = [NULL, NULL];
function ImportError_init(self: Ptr, args: Ptr, kwds: Ptr): number {
  setArgs(self, args);
  if (parseKeywordOnly(kwds, 'ImportError', ['name', 'path'], kwTmp) < 0) return -1;
  const name = kwTmp[0];
  const path = kwTmp[1];
  if (name !== NULL) Py_INCREF(name);
  setFld(self, IMPORTERROR_NAME, name);
  if (path !== NULL) Py_INCREF(path);
  setFld(self, IMPORTERROR_PATH, path);
  let msg: Ptr = NULL;
  if (PyTuple_GET_SIZE(args) === 1) {
    msg = PyTuple_GET_ITEM(args, 0);
    Py_INCREF(msg);
  }
  setFld(self, IMPORTERROR_MSG, msg);
  return 0;
}
function ImportError_str(self: Ptr): Ptr {
  const msg = fld(self, IMPORTERROR_MSG);
  if (msg !== NULL && PyUnicode_CheckExact(msg)) {
    Py_INCREF(msg);
    return msg;
  }
  return BaseException_str(self);
}

// ---- NameError, AttributeError ----
function NameError_init(self: Ptr, args: Ptr, kwds: Ptr): number {
  setArgs(self, args);
  if (parseKeywordOnly(kwds, 'NameError', ['name'], kwTmp) < 0) return -1;
  const name = kwTmp[0];
  if (name !== NULL) Py_INCREF(name);
  setFld(self, NAMEERROR_NAME, name);
  return 0;
}
function AttributeError_init(self: Ptr, args: Ptr, kwds: Ptr): number {
  setArgs(self, args);
  if (parseKeywordOnly(kwds, 'AttributeError', ['name', 'obj'], kwTmp) < 0) return -1;
  const name = kwTmp[0];
  const obj = kwTmp[1];
  if (name !== NULL) Py_INCREF(name);
  setFld(self, ATTRIBUTEERROR_NAME, name);
  if (obj !== NULL) Py_INCREF(obj);
  setFld(self, ATTRIBUTEERROR_OBJ, obj);
  return 0;
}

// ---- KeyError ----
/** ≈ KeyError_str: repr of a single argument (so KeyError('') shows ''). */
function KeyError_str(self: Ptr): Ptr {
  const args = fld(self, EXC_ARGS);
  if (args !== NULL && PyTuple_GET_SIZE(args) === 1) return PyObject_Repr(PyTuple_GET_ITEM(args, 0));
  return BaseException_str(self);
}

// ---- MemoryError (free list of preallocated instances) ----
export const MEMERRORS_SAVE = 16;
let memerrorsFreelist: Ptr = NULL; // linked through the dict field
let memerrorsNumfree = 0;

function MemoryError_new(type: Ptr, args: Ptr, kwds: Ptr): Ptr {
  if (type !== PyExc_MemoryError || memerrorsFreelist === NULL) return BaseException_new(type, args, kwds);
  const self = memerrorsFreelist;
  const t = PyTuple_New(0);
  if (t === NULL) return NULL;
  memerrorsFreelist = fld(self, EXC_DICT);
  memerrorsNumfree--;
  initFld(self, EXC_DICT, NULL);
  initFld(self, EXC_ARGS, t);
  I32[self >> 2] = 1; // _Py_NewReference
  I32[(self >> 2) + 1] = 0;
  PyObject_GC_Track(self);
  return self;
}
function MemoryError_dealloc(self: Ptr): void {
  PyObject_GC_UnTrack(self);
  BaseException_clear(self);
  if (Py_TYPE(self) !== PyExc_MemoryError || memerrorsNumfree >= MEMERRORS_SAVE) {
    freeInstance(self);
    return;
  }
  initFld(self, EXC_DICT, memerrorsFreelist);
  memerrorsFreelist = self;
  memerrorsNumfree++;
}
/** ≈ preallocate_memerrors: fill the MemoryError free list (16 instances). 0 / -1. */
function preallocateMemerrors(): number {
  const errors: Ptr[] = [];
  for (let i = 0; i < MEMERRORS_SAVE; i++) {
    const e = MemoryError_new(PyExc_MemoryError, NULL, NULL);
    if (e === NULL) return -1;
    errors.push(e);
  }
  for (const e of errors) Py_DECREF(e);
  return 0;
}
/** ≈ free_preallocated_memerrors: empty the MemoryError free list (interpreter teardown). */
export function clearMemoryErrorFreeList(): void {
  while (memerrorsFreelist !== NULL) {
    const self = memerrorsFreelist;
    memerrorsFreelist = fld(self, EXC_DICT);
    initFld(self, EXC_DICT, NULL);
    PyObject_GC_Del(self);
  }
  memerrorsNumfree = 0;
}
export function memoryErrorFreeListCount(): number {
  return memerrorsNumfree;
}

// ---- OSError ----
// errno → subclass (Linux values; ≈ the errnomap built in _PyExc_InitState)
const ERRNO_MAP = new Map<number, () => Ptr>([
  [11, () => PyExc_BlockingIOError], // EAGAIN / EWOULDBLOCK
  [114, () => PyExc_BlockingIOError], // EALREADY
  [115, () => PyExc_BlockingIOError], // EINPROGRESS
  [32, () => PyExc_BrokenPipeError], // EPIPE
  [108, () => PyExc_BrokenPipeError], // ESHUTDOWN
  [10, () => PyExc_ChildProcessError], // ECHILD
  [103, () => PyExc_ConnectionAbortedError], // ECONNABORTED
  [111, () => PyExc_ConnectionRefusedError], // ECONNREFUSED
  [104, () => PyExc_ConnectionResetError], // ECONNRESET
  [17, () => PyExc_FileExistsError], // EEXIST
  [2, () => PyExc_FileNotFoundError], // ENOENT
  [21, () => PyExc_IsADirectoryError], // EISDIR
  [20, () => PyExc_NotADirectoryError], // ENOTDIR
  [4, () => PyExc_InterruptedError], // EINTR
  [13, () => PyExc_PermissionError], // EACCES
  [1, () => PyExc_PermissionError], // EPERM
  [3, () => PyExc_ProcessLookupError], // ESRCH
  [110, () => PyExc_TimeoutError], // ETIMEDOUT
]);

/** ≈ oserror_use_init: a subclass with its own __init__ (and OSError's __new__) is set up there. */
function oserrorUseInit(type: Ptr): boolean {
  const s = slotsOf(type);
  return s.tp_init !== OSError_init && s.tp_new === OSError_new;
}

/** ≈ OSError_new (+ oserror_parse_args, oserror_init). */
function OSError_new(type: Ptr, args: Ptr, kwds: Ptr): Ptr {
  let myerrno: Ptr = NULL, strerror: Ptr = NULL, filename: Ptr = NULL, filename2: Ptr = NULL;
  const useInit = oserrorUseInit(type);
  const nargs = PyTuple_GET_SIZE(args);
  if (!useInit) {
    if (noKeywords(typeName(type), kwds) < 0) return NULL;
    if (nargs >= 2 && nargs <= 5) {
      myerrno = PyTuple_GET_ITEM(args, 0);
      strerror = PyTuple_GET_ITEM(args, 1);
      if (nargs >= 3) filename = PyTuple_GET_ITEM(args, 2);
      if (nargs >= 5) filename2 = PyTuple_GET_ITEM(args, 4);
    }
    if (myerrno !== NULL && isInt(myerrno) && type === PyExc_OSError) {
      const sub = ERRNO_MAP.get(PyLong_AsNumber(myerrno));
      if (sub !== undefined) type = sub();
    }
  }
  const self = PyType_GenericAlloc(type, 0);
  if (self === NULL) return NULL;
  I32[(self + OSERROR_WRITTEN) >> 2] = -1;
  I32[(self + OSERROR_WRITTEN + 4) >> 2] = -1;
  if (useInit) {
    const t = PyTuple_New(0);
    if (t === NULL) {
      Py_DECREF(self);
      return NULL;
    }
    initFld(self, EXC_ARGS, t);
    return self;
  }
  if (oserror_init(self, args, nargs, myerrno, strerror, filename, filename2) < 0) {
    Py_DECREF(self);
    return NULL;
  }
  return self;
}

/** ≈ oserror_init: store args and the parsed fields (all borrowed here). 0 / -1. */
function oserror_init(self: Ptr, args: Ptr, nargs: number, myerrno: Ptr, strerror: Ptr, filename: Ptr, filename2: Ptr): number {
  Py_INCREF(args);
  setFld(self, EXC_ARGS, args);
  if (filename !== NULL && filename !== Py_None) {
    if (Py_TYPE(self) === PyExc_BlockingIOError && PyNumber_Check(filename)) {
      const w = PyNumber_AsSsize_t(filename, PyExc_ValueError);
      if (w === -1 && PyErr_Occurred() !== NULL) return -1;
      I32[(self + OSERROR_WRITTEN) >> 2] = w;
      I32[(self + OSERROR_WRITTEN + 4) >> 2] = w < 0 ? -1 : 0;
    } else {
      Py_INCREF(filename);
      setFld(self, OSERROR_FILENAME, filename);
      if (filename2 !== NULL && filename2 !== Py_None) {
        Py_INCREF(filename2);
        setFld(self, OSERROR_FILENAME2, filename2);
      }
      if (nargs >= 2 && nargs <= 5) {
        // filename, winerror and filename2 are dropped from args (CPython's compatibility rule)
        const sub = PyTuple_GetSlice(args, 0, 2);
        if (sub === NULL) return -1;
        setFld(self, EXC_ARGS, sub);
      }
    }
  }
  if (myerrno !== NULL) Py_INCREF(myerrno);
  setFld(self, OSERROR_ERRNO, myerrno);
  if (strerror !== NULL) Py_INCREF(strerror);
  setFld(self, OSERROR_STRERROR, strerror);
  return 0;
}

/** ≈ OSError_init: only does something for subclasses whose own __init__ chains up here. */
function OSError_init(self: Ptr, args: Ptr, kwds: Ptr): number {
  if (!oserrorUseInit(Py_TYPE(self))) return 0;
  if (noKeywords(typeName(Py_TYPE(self)), kwds) < 0) return -1;
  const nargs = PyTuple_GET_SIZE(args);
  let myerrno: Ptr = NULL, strerror: Ptr = NULL, filename: Ptr = NULL, filename2: Ptr = NULL;
  if (nargs >= 2 && nargs <= 5) {
    myerrno = PyTuple_GET_ITEM(args, 0);
    strerror = PyTuple_GET_ITEM(args, 1);
    if (nargs >= 3) filename = PyTuple_GET_ITEM(args, 2);
    if (nargs >= 5) filename2 = PyTuple_GET_ITEM(args, 4);
  }
  return oserror_init(self, args, nargs, myerrno, strerror, filename, filename2);
}

function strOf(o: Ptr): string | null {
  const s = PyObject_Str(o === NULL ? Py_None : o);
  if (s === NULL) return null;
  const r = unicodeToJs(s);
  Py_DECREF(s);
  return r;
}
function reprOf(o: Ptr): string | null {
  const s = PyObject_Repr(o);
  if (s === NULL) return null;
  const r = unicodeToJs(s);
  Py_DECREF(s);
  return r;
}

/** ≈ OSError_str: `[Errno e] strerror[: 'filename'[ -> 'filename2']]`. */
function OSError_str(self: Ptr): Ptr {
  const filename = fld(self, OSERROR_FILENAME);
  const myerrno = fld(self, OSERROR_ERRNO);
  const strerror = fld(self, OSERROR_STRERROR);
  if (filename !== NULL) {
    const e = strOf(myerrno), s = strOf(strerror), f = reprOf(filename);
    if (e === null || s === null || f === null) return NULL;
    const filename2 = fld(self, OSERROR_FILENAME2);
    if (filename2 !== NULL) {
      const f2 = reprOf(filename2);
      if (f2 === null) return NULL;
      return PyUnicode_FromString(`[Errno ${e}] ${s}: ${f} -> ${f2}`);
    }
    return PyUnicode_FromString(`[Errno ${e}] ${s}: ${f}`);
  }
  if (myerrno !== NULL && strerror !== NULL) {
    const e = strOf(myerrno), s = strOf(strerror);
    if (e === null || s === null) return NULL;
    return PyUnicode_FromString(`[Errno ${e}] ${s}`);
  }
  return BaseException_str(self);
}

const osErrorGetSets: GetSetDef[] = [
  {
    name: 'characters_written',
    get: (self: Ptr): Ptr => {
      const w = I32[(self + OSERROR_WRITTEN) >> 2];
      if (w === -1) {
        PyErr_SetString(PyExc_AttributeError, 'characters_written');
        return NULL;
      }
      return PyLong_FromNumber(w);
    },
    set: (self: Ptr, v: Ptr): number => {
      if (v === NULL) {
        if (I32[(self + OSERROR_WRITTEN) >> 2] === -1) {
          PyErr_SetString(PyExc_AttributeError, 'characters_written');
          return -1;
        }
        I32[(self + OSERROR_WRITTEN) >> 2] = -1;
        I32[(self + OSERROR_WRITTEN + 4) >> 2] = -1;
        return 0;
      }
      const w = PyNumber_AsSsize_t(v, PyExc_ValueError);
      if (w === -1 && PyErr_Occurred() !== NULL) return -1;
      I32[(self + OSERROR_WRITTEN) >> 2] = w;
      I32[(self + OSERROR_WRITTEN + 4) >> 2] = w < 0 ? -1 : 0;
      return 0;
    },
  },
];

// ---- SyntaxError ----
function SyntaxError_init(self: Ptr, args: Ptr, kwds: Ptr): number {
  if (BaseException_init(self, args, kwds) < 0) return -1;
  const n = PyTuple_GET_SIZE(args);
  if (n >= 1) {
    const msg = PyTuple_GET_ITEM(args, 0);
    Py_INCREF(msg);
    setFld(self, SYNTAXERROR_MSG, msg);
  }
  if (n === 2) {
    const info = PySequence_Tuple(PyTuple_GET_ITEM(args, 1));
    if (info === NULL) return -1;
    const m = PyTuple_GET_SIZE(info);
    if (m < 4 || m > 6) {
      PyErr_SetString(PyExc_TypeError, m < 4 ? `function takes at least 4 arguments (${m} given)` : `function takes at most 6 arguments (${m} given)`);
      Py_DECREF(info);
      return -1;
    }
    const offs = [SYNTAXERROR_FILENAME, SYNTAXERROR_LINENO, SYNTAXERROR_OFFSET, SYNTAXERROR_TEXT, SYNTAXERROR_END_LINENO, SYNTAXERROR_END_OFFSET];
    for (let i = 0; i < 6; i++) {
      const v = i < m ? PyTuple_GET_ITEM(info, i) : NULL;
      if (v !== NULL) Py_INCREF(v);
      setFld(self, offs[i], v);
    }
    Py_DECREF(info);
    if (m === 5) {
      PyErr_SetString(PyExc_TypeError, 'end_offset must be provided when end_lineno is provided');
      return -1;
    }
  }
  return 0;
}

/** ≈ SyntaxError_str: `msg (file.py, line 3)` with the file's basename. */
function SyntaxError_str(self: Ptr): Ptr {
  const fn = fld(self, SYNTAXERROR_FILENAME);
  let filename: string | null = null;
  if (fn !== NULL && isStr(fn)) {
    const f = unicodeToJs(fn);
    filename = f.slice(f.lastIndexOf('/') + 1);
  }
  const lineno = fld(self, SYNTAXERROR_LINENO);
  const haveLineno = lineno !== NULL && PyLong_CheckExact(lineno);
  const msgObj = fld(self, SYNTAXERROR_MSG);
  if (filename === null && !haveLineno) return PyObject_Str(msgObj === NULL ? Py_None : msgObj);
  const msg = strOf(msgObj);
  if (msg === null) return NULL;
  const ln = haveLineno ? clampLong(lineno) : 0;
  if (filename !== null && haveLineno) return PyUnicode_FromString(`${msg} (${filename}, line ${ln})`);
  if (filename !== null) return PyUnicode_FromString(`${msg} (${filename})`);
  return PyUnicode_FromString(`${msg} (line ${ln})`);
}
/** ≈ PyLong_AsLongAndOverflow as used by SyntaxError_str: -1 when out of range. */
function clampLong(o: Ptr): string {
  const v = PyLong_AsNumber(o);
  return Number.isSafeInteger(v) || Math.abs(v) < 2 ** 63 ? String(v) : '-1';
}

// ---- UnicodeError subclasses ----
// Arguments are checked as CPython's PyArg_ParseTuple formats ("UOnnU" for encode, "UOnnU" with
// a bytes-like object for decode, "UnnU" for translate). An instance created by PyErr_SetString
// (the runtime's codecs raise with a message) has no object: its str() is its message.
function ssize(o: Ptr, off: number): number {
  return I32[(o + off) >> 2];
}
function setSsize(o: Ptr, off: number, v: number): void {
  I32[(o + off) >> 2] = v;
  I32[(o + off + 4) >> 2] = v < 0 ? -1 : 0;
}
function argTypeError(fname: string, i: number, want: string, got: Ptr): number {
  PyErr_SetString(PyExc_TypeError, `${fname ? fname + '() ' : ''}argument ${i} must be ${want}, not ${typeName(Py_TYPE(got))}`);
  return -1;
}
function unicodeErrorInit(self: Ptr, args: Ptr, kwds: Ptr, kind: 'encode' | 'decode' | 'translate'): number {
  if (BaseException_init(self, args, kwds) < 0) return -1;
  const n = PyTuple_GET_SIZE(args);
  const want = kind === 'translate' ? 4 : 5;
  if (n !== want) {
    PyErr_SetString(PyExc_TypeError, `function takes exactly ${want} arguments (${n} given)`);
    return -1;
  }
  let i = 0;
  let encoding: Ptr = NULL;
  if (kind !== 'translate') {
    encoding = PyTuple_GET_ITEM(args, i++);
    if (!isStr(encoding)) return argTypeError('', 1, 'str', encoding);
  }
  const object = PyTuple_GET_ITEM(args, i++);
  if (kind === 'decode') {
    if (!typeFlagSet(object, Py_TPFLAGS_BYTES_SUBCLASS)) return argTypeError('', 2, 'bytes-like object', object);
  } else if (!isStr(object)) {
    return argTypeError('', i, 'str', object);
  }
  const startObj = PyTuple_GET_ITEM(args, i++);
  const endObj = PyTuple_GET_ITEM(args, i++);
  const reason = PyTuple_GET_ITEM(args, i++);
  const start = PyNumber_AsSsize_t(startObj, PyExc_OverflowError);
  if (start === -1 && PyErr_Occurred() !== NULL) return -1;
  const end = PyNumber_AsSsize_t(endObj, PyExc_OverflowError);
  if (end === -1 && PyErr_Occurred() !== NULL) return -1;
  if (!isStr(reason)) return argTypeError('', i, 'str', reason);
  if (encoding !== NULL) Py_INCREF(encoding);
  setFld(self, UNICODEERROR_ENCODING, encoding);
  Py_INCREF(object);
  setFld(self, UNICODEERROR_OBJECT, object);
  setSsize(self, UNICODEERROR_START, start);
  setSsize(self, UNICODEERROR_END, end);
  Py_INCREF(reason);
  setFld(self, UNICODEERROR_REASON, reason);
  return 0;
}
function hex(v: number, width: number): string {
  return v.toString(16).padStart(width, '0');
}
function UnicodeEncodeError_str(self: Ptr): Ptr {
  const object = fld(self, UNICODEERROR_OBJECT);
  if (object === NULL) return BaseException_str(self);
  const reason = strOf(fld(self, UNICODEERROR_REASON));
  const encoding = strOf(fld(self, UNICODEERROR_ENCODING));
  if (reason === null || encoding === null) return NULL;
  const start = ssize(self, UNICODEERROR_START);
  const end = ssize(self, UNICODEERROR_END);
  if (start < PyUnicode_GET_LENGTH(object) && end === start + 1) {
    const c = PyUnicode_READ_CHAR(object, start);
    const esc = c <= 0xff ? `\\x${hex(c, 2)}` : c <= 0xffff ? `\\u${hex(c, 4)}` : `\\U${hex(c, 8)}`;
    return PyUnicode_FromString(`'${encoding}' codec can't encode character '${esc}' in position ${start}: ${reason}`);
  }
  return PyUnicode_FromString(`'${encoding}' codec can't encode characters in position ${start}-${end - 1}: ${reason}`);
}
function UnicodeDecodeError_str(self: Ptr): Ptr {
  const object = fld(self, UNICODEERROR_OBJECT);
  if (object === NULL) return BaseException_str(self);
  const reason = strOf(fld(self, UNICODEERROR_REASON));
  const encoding = strOf(fld(self, UNICODEERROR_ENCODING));
  if (reason === null || encoding === null) return NULL;
  const start = ssize(self, UNICODEERROR_START);
  const end = ssize(self, UNICODEERROR_END);
  if (start < PyBytes_GET_SIZE(object) && end === start + 1) {
    const b = U8[PyBytes_AS_STRING(object) + start];
    return PyUnicode_FromString(`'${encoding}' codec can't decode byte 0x${hex(b, 2)} in position ${start}: ${reason}`);
  }
  return PyUnicode_FromString(`'${encoding}' codec can't decode bytes in position ${start}-${end - 1}: ${reason}`);
}
function UnicodeTranslateError_str(self: Ptr): Ptr {
  const object = fld(self, UNICODEERROR_OBJECT);
  if (object === NULL) return BaseException_str(self);
  const reason = strOf(fld(self, UNICODEERROR_REASON));
  if (reason === null) return NULL;
  const start = ssize(self, UNICODEERROR_START);
  const end = ssize(self, UNICODEERROR_END);
  if (start < PyUnicode_GET_LENGTH(object) && end === start + 1) {
    const c = PyUnicode_READ_CHAR(object, start);
    const esc = c <= 0xff ? `\\x${hex(c, 2)}` : c <= 0xffff ? `\\u${hex(c, 4)}` : `\\U${hex(c, 8)}`;
    return PyUnicode_FromString(`can't translate character '${esc}' in position ${start}: ${reason}`);
  }
  return PyUnicode_FromString(`can't translate characters in position ${start}-${end - 1}: ${reason}`);
}

// ---- member tables ----
function objMember(name: string, offset: number, doc?: string): MemberDef {
  return { name, kind: 'object', offset, readonly: false, doc };
}
const stopIterationMembers = [objMember('value', EXC_VALUE, 'generator return value')];
const systemExitMembers = [objMember('code', EXC_VALUE, 'exception code')];
const nameErrorMembers = [objMember('name', NAMEERROR_NAME, 'name')];
const attributeErrorMembers = [objMember('name', ATTRIBUTEERROR_NAME, 'attribute name'), objMember('obj', ATTRIBUTEERROR_OBJ, 'object')];
const importErrorMembers = [
  objMember('msg', IMPORTERROR_MSG, 'exception message'),
  objMember('name', IMPORTERROR_NAME, 'module name'),
  objMember('path', IMPORTERROR_PATH, 'module path'),
];
const osErrorMembers = [
  objMember('errno', OSERROR_ERRNO, 'POSIX exception code'),
  objMember('strerror', OSERROR_STRERROR, 'exception strerror'),
  objMember('filename', OSERROR_FILENAME, 'exception filename'),
  objMember('filename2', OSERROR_FILENAME2, 'second exception filename'),
];
const syntaxErrorMembers = [
  objMember('msg', SYNTAXERROR_MSG, 'exception msg'),
  objMember('filename', SYNTAXERROR_FILENAME, 'exception filename'),
  objMember('lineno', SYNTAXERROR_LINENO, 'exception lineno'),
  objMember('offset', SYNTAXERROR_OFFSET, 'exception offset'),
  objMember('text', SYNTAXERROR_TEXT, 'exception text'),
  objMember('end_lineno', SYNTAXERROR_END_LINENO, 'exception end lineno'),
  objMember('end_offset', SYNTAXERROR_END_OFFSET, 'exception end offset'),
  objMember('print_file_and_line', SYNTAXERROR_PRINT_FILE_AND_LINE, 'exception print_file_and_line'),
];
const unicodeErrorMembers: MemberDef[] = [
  objMember('encoding', UNICODEERROR_ENCODING, 'exception encoding'),
  objMember('object', UNICODEERROR_OBJECT, 'exception object'),
  { name: 'start', kind: 'int', offset: UNICODEERROR_START, readonly: true, doc: 'exception start' },
  { name: 'end', kind: 'int', offset: UNICODEERROR_END, readonly: true, doc: 'exception end' },
  objMember('reason', UNICODEERROR_REASON, 'exception reason'),
];

// ---- the types ----

/** Every built-in exception type, in definition order (bases before subclasses). */
export const builtinExceptionTypes: Ptr[] = [];

function excType(name: string, base: Ptr, basicsize: number, slots?: Partial<Slots>, doc?: string): Ptr {
  const t = newStaticType({
    name,
    basicsize,
    base: base === NULL ? undefined : base,
    flags: Py_TPFLAGS_BASETYPE | Py_TPFLAGS_HAVE_GC | Py_TPFLAGS_BASE_EXC_SUBCLASS,
    slots,
  });
  I32[(t + TP_DICTOFFSET) >> 2] = EXC_DICT;
  if (doc !== undefined) slotsOf(t).doc = doc;
  builtinExceptionTypes.push(t);
  return t;
}

const COMPLEX_VALUE = complexSlots([EXC_VALUE]);

export const PyExc_BaseException = excType('BaseException', NULL, BASE_EXCEPTION_SIZE, {
  tp_new: BaseException_new,
  tp_init: BaseException_init,
  tp_dealloc: BaseException_dealloc,
  tp_traverse: BaseException_traverse,
  tp_clear: BaseException_clear,
  tp_repr: BaseException_repr,
  tp_str: BaseException_str,
  methods: baseExceptionMethods,
  getsets: baseExceptionGetSets,
}, 'Common base class for all exceptions');
export const PyExc_Exception = excType('Exception', PyExc_BaseException, 72, undefined, 'Common base class for all non-exit exceptions.');
export const PyExc_GeneratorExit = excType('GeneratorExit', PyExc_BaseException, 72, undefined, 'Request that a generator exit.');
export const PyExc_KeyboardInterrupt = excType('KeyboardInterrupt', PyExc_BaseException, 72, undefined, 'Program interrupted by user.');
export const PyExc_SystemExit = excType('SystemExit', PyExc_BaseException, 80, { tp_init: SystemExit_init, members: systemExitMembers, ...COMPLEX_VALUE }, 'Request to exit from the interpreter.');
export const PyExc_ArithmeticError = excType('ArithmeticError', PyExc_Exception, 72, undefined, 'Base class for arithmetic errors.');
export const PyExc_AssertionError = excType('AssertionError', PyExc_Exception, 72, undefined, 'Assertion failed.');
export const PyExc_AttributeError = excType('AttributeError', PyExc_Exception, 88, {
  tp_init: AttributeError_init, members: attributeErrorMembers, ...complexSlots([ATTRIBUTEERROR_OBJ, ATTRIBUTEERROR_NAME]),
}, 'Attribute not found.');
export const PyExc_BufferError = excType('BufferError', PyExc_Exception, 72, undefined, 'Buffer error.');
export const PyExc_EOFError = excType('EOFError', PyExc_Exception, 72, undefined, 'Read beyond end of file.');
export const PyExc_ImportError = excType('ImportError', PyExc_Exception, 96, {
  tp_init: ImportError_init, tp_str: ImportError_str, members: importErrorMembers,
  ...complexSlots([IMPORTERROR_MSG, IMPORTERROR_NAME, IMPORTERROR_PATH]),
}, "Import can't find module, or can't find name in module.");
export const PyExc_LookupError = excType('LookupError', PyExc_Exception, 72, undefined, 'Base class for lookup errors.');
export const PyExc_MemoryError = excType('MemoryError', PyExc_Exception, 72, { tp_new: MemoryError_new, tp_dealloc: MemoryError_dealloc }, 'Out of memory.');
export const PyExc_NameError = excType('NameError', PyExc_Exception, 80, {
  tp_init: NameError_init, members: nameErrorMembers, ...complexSlots([NAMEERROR_NAME]),
}, 'Name not found globally.');
export const PyExc_OSError = excType('OSError', PyExc_Exception, 112, {
  tp_new: OSError_new, tp_init: OSError_init, tp_str: OSError_str, members: osErrorMembers, getsets: osErrorGetSets,
  ...complexSlots([OSERROR_ERRNO, OSERROR_STRERROR, OSERROR_FILENAME, OSERROR_FILENAME2]),
}, 'Base class for I/O related errors.');
export const PyExc_ReferenceError = excType('ReferenceError', PyExc_Exception, 72, undefined, 'Weak ref proxy used after referent went away.');
export const PyExc_RuntimeError = excType('RuntimeError', PyExc_Exception, 72, undefined, 'Unspecified run-time error.');
export const PyExc_StopAsyncIteration = excType('StopAsyncIteration', PyExc_Exception, 72, undefined, 'Signal the end from iterator.__anext__().');
export const PyExc_StopIteration = excType('StopIteration', PyExc_Exception, 80, { tp_init: StopIteration_init, members: stopIterationMembers, ...COMPLEX_VALUE }, 'Signal the end from iterator.__next__().');
export const PyExc_SyntaxError = excType('SyntaxError', PyExc_Exception, 136, {
  tp_init: SyntaxError_init, tp_str: SyntaxError_str, members: syntaxErrorMembers,
  ...complexSlots([SYNTAXERROR_MSG, SYNTAXERROR_FILENAME, SYNTAXERROR_LINENO, SYNTAXERROR_OFFSET, SYNTAXERROR_TEXT,
    SYNTAXERROR_END_LINENO, SYNTAXERROR_END_OFFSET, SYNTAXERROR_PRINT_FILE_AND_LINE]),
}, 'Invalid syntax.');
export const PyExc_SystemError = excType('SystemError', PyExc_Exception, 72, undefined,
  'Internal error in the Python interpreter.\n\nPlease report this to the Python maintainer, along with the traceback,\nthe Python version, and the hardware/OS platform and version.');
export const PyExc_TypeError = excType('TypeError', PyExc_Exception, 72, undefined, 'Inappropriate argument type.');
export const PyExc_ValueError = excType('ValueError', PyExc_Exception, 72, undefined, 'Inappropriate argument value (of correct type).');
export const PyExc_Warning = excType('Warning', PyExc_Exception, 72, undefined, 'Base class for warning categories.');
export const PyExc_FloatingPointError = excType('FloatingPointError', PyExc_ArithmeticError, 72, undefined, 'Floating point operation failed.');
export const PyExc_OverflowError = excType('OverflowError', PyExc_ArithmeticError, 72, undefined, 'Result too large to be represented.');
export const PyExc_ZeroDivisionError = excType('ZeroDivisionError', PyExc_ArithmeticError, 72, undefined, 'Second argument to a division or modulo operation was zero.');
export const PyExc_BytesWarning = excType('BytesWarning', PyExc_Warning, 72);
export const PyExc_DeprecationWarning = excType('DeprecationWarning', PyExc_Warning, 72);
export const PyExc_EncodingWarning = excType('EncodingWarning', PyExc_Warning, 72);
export const PyExc_FutureWarning = excType('FutureWarning', PyExc_Warning, 72);
export const PyExc_ImportWarning = excType('ImportWarning', PyExc_Warning, 72);
export const PyExc_PendingDeprecationWarning = excType('PendingDeprecationWarning', PyExc_Warning, 72);
export const PyExc_ResourceWarning = excType('ResourceWarning', PyExc_Warning, 72);
export const PyExc_RuntimeWarning = excType('RuntimeWarning', PyExc_Warning, 72);
export const PyExc_SyntaxWarning = excType('SyntaxWarning', PyExc_Warning, 72);
export const PyExc_UnicodeWarning = excType('UnicodeWarning', PyExc_Warning, 72);
export const PyExc_UserWarning = excType('UserWarning', PyExc_Warning, 72);
export const PyExc_BlockingIOError = excType('BlockingIOError', PyExc_OSError, 112, undefined, 'I/O operation would block.');
export const PyExc_ChildProcessError = excType('ChildProcessError', PyExc_OSError, 112, undefined, 'Child process error.');
export const PyExc_ConnectionError = excType('ConnectionError', PyExc_OSError, 112, undefined, 'Connection error.');
export const PyExc_FileExistsError = excType('FileExistsError', PyExc_OSError, 112, undefined, 'File already exists.');
export const PyExc_FileNotFoundError = excType('FileNotFoundError', PyExc_OSError, 112, undefined, 'File not found.');
export const PyExc_InterruptedError = excType('InterruptedError', PyExc_OSError, 112, undefined, 'Interrupted by signal.');
export const PyExc_IsADirectoryError = excType('IsADirectoryError', PyExc_OSError, 112, undefined, "Operation doesn't work on directories.");
export const PyExc_NotADirectoryError = excType('NotADirectoryError', PyExc_OSError, 112, undefined, 'Operation only works on directories.');
export const PyExc_PermissionError = excType('PermissionError', PyExc_OSError, 112, undefined, 'Not enough permissions.');
export const PyExc_ProcessLookupError = excType('ProcessLookupError', PyExc_OSError, 112, undefined, 'Process not found.');
export const PyExc_TimeoutError = excType('TimeoutError', PyExc_OSError, 112, undefined, 'Timeout expired.');
export const PyExc_IndentationError = excType('IndentationError', PyExc_SyntaxError, 136, undefined, 'Improper indentation.');
export const PyExc_IndexError = excType('IndexError', PyExc_LookupError, 72, undefined, 'Sequence index out of range.');
export const PyExc_KeyError = excType('KeyError', PyExc_LookupError, 72, { tp_str: KeyError_str }, 'Mapping key not found.');
export const PyExc_ModuleNotFoundError = excType('ModuleNotFoundError', PyExc_ImportError, 96, undefined, 'Module not found.');
export const PyExc_NotImplementedError = excType('NotImplementedError', PyExc_RuntimeError, 72, undefined, "Method or function hasn't been implemented yet.");
export const PyExc_RecursionError = excType('RecursionError', PyExc_RuntimeError, 72, undefined, 'Recursion limit exceeded.');
export const PyExc_UnboundLocalError = excType('UnboundLocalError', PyExc_NameError, 80, undefined, 'Local name referenced but not bound to a value.');
export const PyExc_UnicodeError = excType('UnicodeError', PyExc_ValueError, 72, undefined, 'Unicode related error.');
export const PyExc_BrokenPipeError = excType('BrokenPipeError', PyExc_ConnectionError, 112, undefined, 'Broken pipe.');
export const PyExc_ConnectionAbortedError = excType('ConnectionAbortedError', PyExc_ConnectionError, 112, undefined, 'Connection aborted.');
export const PyExc_ConnectionRefusedError = excType('ConnectionRefusedError', PyExc_ConnectionError, 112, undefined, 'Connection refused.');
export const PyExc_ConnectionResetError = excType('ConnectionResetError', PyExc_ConnectionError, 112, undefined, 'Connection reset.');
export const PyExc_TabError = excType('TabError', PyExc_IndentationError, 136, undefined, 'Improper mixture of spaces and tabs.');
const UNICODE_FIELDS = complexSlots([UNICODEERROR_ENCODING, UNICODEERROR_OBJECT, UNICODEERROR_REASON]);
export const PyExc_UnicodeDecodeError = excType('UnicodeDecodeError', PyExc_UnicodeError, 112, {
  tp_init: (s: Ptr, a: Ptr, k: Ptr) => unicodeErrorInit(s, a, k, 'decode'), tp_str: UnicodeDecodeError_str, members: unicodeErrorMembers, ...UNICODE_FIELDS,
}, 'Unicode decoding error.');
export const PyExc_UnicodeEncodeError = excType('UnicodeEncodeError', PyExc_UnicodeError, 112, {
  tp_init: (s: Ptr, a: Ptr, k: Ptr) => unicodeErrorInit(s, a, k, 'encode'), tp_str: UnicodeEncodeError_str, members: unicodeErrorMembers, ...UNICODE_FIELDS,
}, 'Unicode encoding error.');
export const PyExc_UnicodeTranslateError = excType('UnicodeTranslateError', PyExc_UnicodeError, 112, {
  tp_init: (s: Ptr, a: Ptr, k: Ptr) => unicodeErrorInit(s, a, k, 'translate'), tp_str: UnicodeTranslateError_str, members: unicodeErrorMembers, ...UNICODE_FIELDS,
}, 'Unicode translation error.');

// ---- normalization (the factory errors.ts calls) ----

function isExcClass(t: Ptr): boolean {
  return (I32[(t + TP_FLAGS) >> 2] & Py_TPFLAGS_BASE_EXC_SUBCLASS) !== 0;
}
function isUnicodeErrorWithArgs(type: Ptr): boolean {
  return PyType_IsSubtype(type, PyExc_UnicodeEncodeError) || PyType_IsSubtype(type, PyExc_UnicodeDecodeError) ||
    PyType_IsSubtype(type, PyExc_UnicodeTranslateError);
}

/** ≈ _PyErr_CreateException: an instance of `type` from `value` (borrowed: NULL/None → no
 *  arguments, a tuple → the arguments, else the single argument) or from the message `msg`.
 *  New reference, or NULL with the error of the failed construction set. */
export function _PyErr_CreateException(type: Ptr, value: Ptr, msg: string | null): Ptr {
  let arg = value;
  if (msg !== null) {
    arg = PyUnicode_FromString(msg);
    if (arg === NULL) return NULL;
  }
  let exc: Ptr;
  const s = slotsOf(type);
  if ((I32[(type + TP_FLAGS) >> 2] & Py_TPFLAGS_HEAPTYPE) === 0 && s.tp_new !== undefined && isExcClass(type)) {
    // a built-in exception type: what type_call does, without the vectorcall scratch slots
    let args: Ptr;
    if (arg === NULL || arg === Py_None) args = PyTuple_New(0);
    else if (typeFlagSet(arg, Py_TPFLAGS_TUPLE_SUBCLASS)) {
      Py_INCREF(arg);
      args = arg;
    } else args = PyTuple_Pack(1, arg);
    if (args === NULL) {
      exc = NULL;
    } else if (msg !== null && isUnicodeErrorWithArgs(type) && s.tp_new === BaseException_new) {
      // the runtime's codecs raise these with a message (CPython builds them from 5 arguments)
      exc = BaseException_new(type, args, NULL);
    } else {
      exc = s.tp_new(type, args, NULL);
      if (exc !== NULL && PyType_IsSubtype(Py_TYPE(exc), type)) {
        const init = slotsOf(Py_TYPE(exc)).tp_init;
        if (init !== undefined && init(exc, args, NULL) < 0) {
          Py_DECREF(exc);
          exc = NULL;
        }
      }
    }
    Py_XDECREF(args);
  } else if (msg !== null && isUnicodeErrorWithArgs(type) && s.tp_new === BaseException_new) {
    // the runtime's codecs raise these with a message (CPython builds them from 5 arguments)
    const t = PyTuple_Pack(1, arg);
    exc = t === NULL ? NULL : BaseException_new(type, t, NULL);
    Py_XDECREF(t);
  } else if (arg === NULL || arg === Py_None) {
    exc = PyObject_CallNoArgs(type);
  } else if (typeFlagSet(arg, Py_TPFLAGS_TUPLE_SUBCLASS)) {
    exc = PyObject_Call(type, arg, NULL);
  } else {
    exc = PyObject_CallOneArg(type, arg);
  }
  if (msg !== null) Py_DECREF(arg);
  if (exc !== NULL && !isExcInstance(exc)) {
    const r = reprOf(type) ?? typeName(type);
    PyErr_SetString(PyExc_TypeError, `calling ${r} should have returned an instance of BaseException, not ${typeName(Py_TYPE(exc))}`);
    Py_DECREF(exc);
    return NULL;
  }
  return exc;
}

setExceptionFactory(_PyErr_CreateException);
setExceptionInstanceCheck(isExcInstance);
setMemoryErrorType(PyExc_MemoryError);

// ---- context for AttributeError and NameError (suggestions use name/obj) ----

/** ≈ set_attribute_error_context (Objects/object.c): if the pending exception is an
 *  AttributeError without name/obj, normalize it and record `name` and `obj` (borrowed). */
export function setAttributeErrorContext(obj: Ptr, name: Ptr): void {
  if (!PyErr_ExceptionMatches(PyExc_AttributeError)) return;
  const exc = PyErr_Fetch();
  if (exc === NULL) return;
  if (PyType_IsSubtype(Py_TYPE(exc), PyExc_AttributeError) && fld(exc, ATTRIBUTEERROR_NAME) === NULL && fld(exc, ATTRIBUTEERROR_OBJ) === NULL) {
    Py_INCREF(name);
    setFld(exc, ATTRIBUTEERROR_NAME, name);
    Py_INCREF(obj);
    setFld(exc, ATTRIBUTEERROR_OBJ, obj);
  }
  PyErr_Restore(exc);
}

/** ≈ the tail of ceval's format_exc_check_arg: the pending exception is an exact NameError
 *  raised for `name` (borrowed): normalize it and set its .name. */
export function setNameErrorName(name: Ptr): void {
  if (PyErr_Occurred() !== PyExc_NameError) return;
  const exc = PyErr_Fetch();
  if (exc === NULL) return;
  if (PyType_IsSubtype(Py_TYPE(exc), PyExc_NameError)) {
    Py_INCREF(name);
    setFld(exc, NAMEERROR_NAME, name);
  }
  PyErr_Restore(exc);
}

let initialized = false;
/** ≈ _PyExc_InitState + the parts of _PyExc_InitTypes that need other modules: wire the
 *  AttributeError context into attribute lookup, tell GenericSetAttr about KeyError and
 *  preallocate the MemoryError free list. Call once at interpreter start-up (after the types
 *  are ready). Returns 0, or -1 on MemoryError. */
export function _PyExc_Init(): number {
  if (initialized) return 0;
  initialized = true;
  attributeErrorContext.set = setAttributeErrorContext; // (runtime/vm/traceback.ts also does this)
  setKeyErrorType(PyExc_KeyError);
  return preallocateMemerrors();
}
/** ≈ _PyExc_Fini: release what _PyExc_Init allocated (interpreter teardown). */
export function _PyExc_Fini(): void {
  clearMemoryErrorFreeList();
  initialized = false;
}
