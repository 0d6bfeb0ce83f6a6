// The generic object, number, sequence and mapping protocols (≈ Objects/abstract.c and the
// generic half of Objects/object.c): every operation dispatches through the operands' type
// slots (typeobject.ts `Slots`), exactly in CPython 3.11's order, with CPython's messages.
//
// Binary number operations (≈ binary_op1): with slotv = type(v).nb_X and slotw = type(w).nb_X
// (slotw dropped when the types are equal or share the slot), try
//   1. slotw(v, w) first when type(w) is a proper subclass of type(v) (the subclass may override),
//   2. slotv(v, w),
//   3. slotw(v, w),
// each time moving on when the result is NotImplemented. Slots always receive the operands in
// their original order and check both types themselves. `+` and `*` then fall back to the
// sequence protocol (concat / repeat with an index conversion). In-place forms (≈ binary_iop1)
// first try type(v).nb_inplace_X. `**` (≈ ternary_op) works the same with a third operand.
//
// Rich comparison (≈ do_richcompare): the reflected operation of a subclass right operand
// first, then v's, then w's reflected; when all say NotImplemented, == and != fall back to
// identity and the others raise TypeError "'<' not supported between instances of 'A' and 'B'".
//
// Conventions: functions returning Ptr give a NEW reference or NULL with an exception set;
// functions returning a number give -1 with an exception set on failure (check PyErr_Occurred
// when -1 is a valid value). Arguments are borrowed unless stated.
//
// Operations that need attribute lookup or calls (__format__ of classes, __length_hint__,
// __class_getitem__) and the generic sequence iterator reach higher floors / other files
// through the `abstractHooks` below, installed by their owners.

import { type Ptr, NULL, I32 as heapI32, F64 as heapF64 } from './mem/heap.js';
import { ts } from './pystate.js';
import { OB_TYPE, Py_DECREF, hashPointer, HASH_HI } from './object.js';
import {
  slotsOfObj, typeName, PyType_IsSubtype, TP_FLAGS, Py_TPFLAGS_LONG_SUBCLASS, Py_TPFLAGS_UNICODE_SUBCLASS,
  Py_TPFLAGS_BYTES_SUBCLASS, Py_TPFLAGS_TYPE_SUBCLASS, Py_LT, Py_LE, Py_EQ, Py_NE, Py_GT, Py_GE,
  type binaryfunc, type ternaryfunc,
} from './typeobject.js';
import { PyErr_SetString, PyErr_Occurred, PyErr_ExceptionMatches, PyErr_Clear } from './errors.js';
import {
  PyExc_TypeError, PyExc_OverflowError, PyExc_IndexError, PyExc_StopIteration, PyExc_SystemError,
  PyExc_RecursionError, PyExc_ValueError,
} from './objects/exceptions.js';
import { Py_None, Py_NotImplemented } from './objects/noneobject.js';
import {
  PyLong_Type, Py_True, Py_False, long_add, long_sub, long_mul, long_richcompare, PyLong_AsBigInt, smallValue,
  _PyLong_Copy, PyLong_FromUnicodeObject, PyLong_FromBytesObject, PyLong_AsDouble, _PyLong_Format,
  long_compare, LONG_SIZE, LONG_DIGITS,
} from './objects/longobject.js';
import { PyFloat_Type, PyFloat_FromDouble, PyFloat_FromString, FLOAT_FVAL, float_add, float_sub, float_mul } from './objects/floatobject.js';
import { PyUnicode_FromString, PyUnicode_Type, unicodeToJs, unicode_eq, unicode_compare, unicode_richcompare, UNICODE_HASH, PyUnicode_Concat } from './objects/unicodeobject.js';
import { formatLong, formatFloat, formatStr } from './objects/format.js';
import { PySet_Type, PyFrozenSet_Type, set_contains } from './objects/setobject.js';
import { PyTuple_Type, tupleconcat } from './objects/tupleobject.js';
import { PyList_Type, list_concat } from './objects/listobject.js';


// The heap views as file-local constants: V8 reads an imported binding through its module
// cell on every use (measured ~2x slower in hot loops than a local const).
const I32 = heapI32;
const F64 = heapF64;
const TWO63 = 9223372036854775808;

/** Late-bound operations owned by other files (see the header). */
export const abstractHooks = {
  /** ≈ PySeqIter_New (iterobject.ts): iterator over an object with __getitem__ */
  seqIterNew: null as ((seq: Ptr) => Ptr) | null,
  /** format(obj, spec) for types other than exact int/float/str: look up and call __format__
   *  (the lead's attribute machinery). NULL return = error. */
  format: null as ((obj: Ptr, spec: Ptr) => Ptr) | null,
  /** __length_hint__ lookup-and-call: returns the hint, -1 with an error, or -2 when there is no
   *  __length_hint__ method */
  lengthHint: null as ((o: Ptr) => number) | null,
  /** type[...] (__class_getitem__); NULL with an error when not subscriptable */
  classGetItem: null as ((type: Ptr, key: Ptr) => Ptr) | null,
  /** int(x) through __trunc__ for objects without __int__/__index__; -2 sentinel = no __trunc__ */
  trunc: null as ((o: Ptr) => Ptr) | null,
};

function tpName(o: Ptr): string {
  return typeName(I32[(o + OB_TYPE) >> 2]);
}
function typeError(msg: string): Ptr {
  PyErr_SetString(PyExc_TypeError, msg);
  return NULL;
}
function newRef(o: Ptr): Ptr {
  I32[o >> 2]++;
  return o;
}
function isType(o: Ptr): boolean {
  return (I32[(I32[(o + OB_TYPE) >> 2] + TP_FLAGS) >> 2] & Py_TPFLAGS_TYPE_SUBCLASS) !== 0;
}

// =====================================================================================
// hash, comparison, truth
// =====================================================================================

/** ≈ PyObject_HashNotImplemented: tp_hash of unhashable types (list, dict, set...): raises
 *  TypeError "unhashable type: 'list'" and returns -1 (HASH_HI[0] = -1). */
export function PyObject_HashNotImplemented(o: Ptr): number {
  PyErr_SetString(PyExc_TypeError, `unhashable type: '${tpName(o)}'`);
  HASH_HI[0] = -1;
  return -1;
}

/** ≈ PyObject_Hash: returns the low 32 bits of the 64-bit hash and leaves the high half in
 *  HASH_HI[0]; (-1, -1) with an exception set on error. A type without tp_hash is unhashable. */
export function PyObject_Hash(o: Ptr): number {
  const t = I32[(o + OB_TYPE) >> 2];
  if (t === PyUnicode_Type) {
    // exact str: the cached hash (≈ unicode_hash's first test)
    const lo = I32[(o + UNICODE_HASH) >> 2], hi = I32[(o + UNICODE_HASH + 4) >> 2];
    if (lo !== -1 || hi !== -1) {
      HASH_HI[0] = hi;
      return lo;
    }
  } else if (t === PyLong_Type) {
    // exact compact int (≈ long_hash): the value itself (a digit < 2^30); −1 hashes as −2
    const size = I32[(o + LONG_SIZE) >> 2];
    if (size === 1 || size === 0) {
      HASH_HI[0] = 0;
      return size === 0 ? 0 : I32[(o + LONG_DIGITS) >> 2];
    }
    if (size === -1) {
      const v = -I32[(o + LONG_DIGITS) >> 2];
      HASH_HI[0] = -1;
      return v === -1 ? -2 : v;
    }
  }
  return hashSlow(o);
}
function hashSlow(o: Ptr): number {
  const f = slotsOfObj(o).tp_hash;
  if (f === undefined) return PyObject_HashNotImplemented(o);
  return f(o);
}

/** The default hash of objects (≈ _Py_HashPointer), for types that want identity hashing. */
export function PyObject_GenericHash(o: Ptr): number {
  return hashPointer(o);
}

/** ≈ _Py_SwappedOp */
export const _Py_SwappedOp = [Py_GT, Py_GE, Py_EQ, Py_NE, Py_LT, Py_LE];
const opStrings = ['<', '<=', '==', '!=', '>', '>='];

/** ≈ do_richcompare */
function do_richcompare(v: Ptr, w: Ptr, op: number): Ptr {
  const tv = I32[(v + OB_TYPE) >> 2];
  const tw = I32[(w + OB_TYPE) >> 2];
  let checkedReverse = false;
  const fw = slotsOfObj(w).tp_richcompare;
  if (tv !== tw && fw !== undefined && PyType_IsSubtype(tw, tv)) {
    checkedReverse = true;
    const res = fw(w, v, _Py_SwappedOp[op]);
    if (res !== Py_NotImplemented) return res;
    I32[res >> 2]--;
  }
  const fv = slotsOfObj(v).tp_richcompare;
  if (fv !== undefined) {
    const res = fv(v, w, op);
    if (res !== Py_NotImplemented) return res;
    I32[res >> 2]--;
  }
  if (!checkedReverse && fw !== undefined) {
    const res = fw(w, v, _Py_SwappedOp[op]);
    if (res !== Py_NotImplemented) return res;
    I32[res >> 2]--;
  }
  // neither side knows: identity for == and !=, TypeError otherwise
  if (op === Py_EQ) return newRef(v === w ? Py_True : Py_False);
  if (op === Py_NE) return newRef(v !== w ? Py_True : Py_False);
  return typeError(`'${opStrings[op]}' not supported between instances of '${typeName(tv)}' and '${typeName(tw)}'`);
}

/** ≈ PyObject_RichCompare: new reference (any object; usually a bool) or NULL. */
export function PyObject_RichCompare(v: Ptr, w: Ptr, op: number): Ptr {
  const tv = I32[(v + OB_TYPE) >> 2];
  if (tv === PyLong_Type && I32[(w + OB_TYPE) >> 2] === PyLong_Type) return long_richcompare(v, w, op);
  if (tv === PyUnicode_Type && I32[(w + OB_TYPE) >> 2] === PyUnicode_Type) return unicode_richcompare(v, w, op);
  if (recursionEnter(' in comparison')) return NULL;
  const r = do_richcompare(v, w, op);
  ts.recursionDepth--;
  return r;
}

/** ≈ PyObject_RichCompareBool: 1, 0, or -1 with an exception. Identity implies equality for
 *  == and != (the shortcut containers rely on: `nan in [nan]` is True). */
export function PyObject_RichCompareBool(v: Ptr, w: Ptr, op: number): number {
  if (v === w) {
    if (op === Py_EQ) return 1;
    if (op === Py_NE) return 0;
  }
  const tv = I32[(v + OB_TYPE) >> 2];
  if (tv === PyLong_Type && I32[(w + OB_TYPE) >> 2] === PyLong_Type) {
    const c = long_compare(v, w);
    switch (op) {
      case Py_LT: return c < 0 ? 1 : 0;
      case Py_LE: return c <= 0 ? 1 : 0;
      case Py_EQ: return c === 0 ? 1 : 0;
      case Py_NE: return c !== 0 ? 1 : 0;
      case Py_GT: return c > 0 ? 1 : 0;
      default: return c >= 0 ? 1 : 0;
    }
  }
  if (tv === PyUnicode_Type && I32[(w + OB_TYPE) >> 2] === PyUnicode_Type) {
    // exact str with exact str: what unicode_richcompare computes, without the bool object
    if (op === Py_EQ) return unicode_eq(v, w) ? 1 : 0;
    if (op === Py_NE) return unicode_eq(v, w) ? 0 : 1;
    const c = unicode_compare(v, w);
    switch (op) {
      case Py_LT: return c < 0 ? 1 : 0;
      case Py_LE: return c <= 0 ? 1 : 0;
      case Py_GT: return c > 0 ? 1 : 0;
      default: return c >= 0 ? 1 : 0;
    }
  }
  const res = PyObject_RichCompare(v, w, op);
  if (res === NULL) return -1;
  let ok: number;
  if (res === Py_True) ok = 1;
  else if (res === Py_False) ok = 0;
  else ok = PyObject_IsTrue(res);
  Py_DECREF(res);
  return ok;
}

/** ≈ PyObject_IsTrue: 1, 0, or -1 with an exception. */
export function PyObject_IsTrue(v: Ptr): number {
  if (v === Py_True) return 1;
  if (v === Py_False || v === Py_None) return 0;
  const s = slotsOfObj(v);
  let res: number;
  if (s.nb_bool !== undefined) res = s.nb_bool(v);
  else if (s.mp_length !== undefined) res = s.mp_length(v);
  else if (s.sq_length !== undefined) res = s.sq_length(v);
  else return 1;
  return res > 0 ? 1 : res;
}

/** ≈ PyObject_Not: 1, 0, or -1 with an exception. */
export function PyObject_Not(v: Ptr): number {
  const r = PyObject_IsTrue(v);
  return r < 0 ? r : r === 0 ? 1 : 0;
}

// =====================================================================================
// recursion guard (≈ _Py_EnterRecursiveCall); the VM shares the counter through
// setRecursionCounter so that Python frames and C-level recursion add up as in 3.11
// =====================================================================================
/** The counter is the thread state's (pystate.ts): Python frames and C-level recursion add up
 *  as in 3.11. Kept as an accessor object for callers that read or set it. */
export const recursionState = {
  get depth(): number {
    return ts.recursionDepth;
  },
  set depth(v: number) {
    ts.recursionDepth = v;
  },
  get limit(): number {
    return ts.recursionLimit;
  },
  set limit(v: number) {
    ts.recursionLimit = v;
  },
};
/** Raised through a hook so the lead can build RecursionError; default: RecursionError type
 *  looked up lazily. Returns true when the limit is exceeded (exception set). */
function recursionEnter(where: string): boolean {
  if (++ts.recursionDepth > ts.recursionLimit) {
    ts.recursionDepth--;
    PyErr_SetString(recursionErrorType(), `maximum recursion depth exceeded${where}`);
    return true;
  }
  return false;
}
function recursionErrorType(): Ptr {
  return PyExc_RecursionError;
}
/** ≈ Py_EnterRecursiveCall(where): 0, or -1 with RecursionError. Pair with Py_LeaveRecursiveCall. */
export function Py_EnterRecursiveCall(where: string): number {
  return recursionEnter(where) ? -1 : 0;
}
export function Py_LeaveRecursiveCall(): void {
  ts.recursionDepth--;
}

// =====================================================================================
// repr, str, ascii, format
// =====================================================================================

function checkStrResult(res: Ptr, what: string): Ptr {
  if (res === NULL) return NULL;
  if ((I32[(I32[(res + OB_TYPE) >> 2] + TP_FLAGS) >> 2] & Py_TPFLAGS_UNICODE_SUBCLASS) === 0) {
    const name = tpName(res);
    Py_DECREF(res);
    return typeError(`${what} returned non-string (type ${name})`);
  }
  return res;
}

/** The default repr `<T object at 0x...>` (id() is the heap address). New reference. */
export function object_default_repr(o: Ptr): Ptr {
  return PyUnicode_FromString(`<${tpName(o)} object at 0x${o.toString(16)}>`);
}

/** ≈ PyObject_Repr: new reference to a str, or NULL. */
export function PyObject_Repr(v: Ptr): Ptr {
  const f = slotsOfObj(v).tp_repr;
  if (f === undefined) return object_default_repr(v);
  if (recursionEnter(' while getting the repr of an object')) return NULL;
  const res = f(v);
  ts.recursionDepth--;
  return checkStrResult(res, '__repr__');
}

/** ≈ PyObject_Str: new reference to a str, or NULL. */
export function PyObject_Str(v: Ptr): Ptr {
  if (I32[(v + OB_TYPE) >> 2] === PyUnicode_Type) return newRef(v);
  const f = slotsOfObj(v).tp_str;
  if (f === undefined) return PyObject_Repr(v);
  if (recursionEnter(' while getting the str of an object')) return NULL;
  const res = f(v);
  ts.recursionDepth--;
  return checkStrResult(res, '__str__');
}

/** The repr as a JS string (messages); null with an exception on failure. */
export function reprToJs(v: Ptr): string | null {
  const r = PyObject_Repr(v);
  if (r === NULL) return null;
  const s = unicodeToJs(r);
  Py_DECREF(r);
  return s;
}
/** str(v) as a JS string; null with an exception on failure. */
export function strToJs(v: Ptr): string | null {
  const r = PyObject_Str(v);
  if (r === NULL) return null;
  const s = unicodeToJs(r);
  Py_DECREF(r);
  return s;
}

/** ≈ PyObject_ASCII: repr with non-ASCII characters escaped (\xhh, \uhhhh, \Uhhhhhhhh). */
export function PyObject_ASCII(v: Ptr): Ptr {
  const s = reprToJs(v);
  if (s === null) return NULL;
  let out = '';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (c < 128) out += ch;
    else if (c < 256) out += '\\x' + c.toString(16).padStart(2, '0');
    else if (c < 65536) out += '\\u' + c.toString(16).padStart(4, '0');
    else out += '\\U' + c.toString(16).padStart(8, '0');
  }
  return PyUnicode_FromString(out);
}

/** ≈ PyObject_Format(obj, format_spec): format_spec is a str or NULL (= ''). New reference. */
export function PyObject_Format(obj: Ptr, spec: Ptr): Ptr {
  const specJs = spec === NULL ? '' : unicodeToJs(spec);
  const t = I32[(obj + OB_TYPE) >> 2];
  if (specJs === '') {
    if (t === PyUnicode_Type) return newRef(obj);
    if (t === PyLong_Type) return PyObject_Str(obj);
  }
  let res: Ptr;
  if (t === PyLong_Type || t === Py_TYPE_BOOL()) res = formatLong(obj, specJs);
  else if (t === PyFloat_Type) res = formatFloat(obj, specJs);
  else if (t === PyUnicode_Type) res = formatStr(obj, specJs);
  else if (abstractHooks.format !== null) {
    let sp = spec;
    if (sp === NULL) {
      sp = PyUnicode_FromString('');
      if (sp === NULL) return NULL;
      res = abstractHooks.format(obj, sp);
      Py_DECREF(sp);
    } else res = abstractHooks.format(obj, sp);
  } else res = object_format(obj, specJs);
  if (res === NULL) return NULL;
  if ((I32[(I32[(res + OB_TYPE) >> 2] + TP_FLAGS) >> 2] & Py_TPFLAGS_UNICODE_SUBCLASS) === 0) {
    const name = tpName(res);
    Py_DECREF(res);
    return typeError(`__format__ must return a str, not ${name}`);
  }
  return res;
}
function Py_TYPE_BOOL(): Ptr {
  return I32[(Py_True + OB_TYPE) >> 2];
}

/** ≈ object.__format__ (and the built-in types' __format__ for subclasses without an override):
 *  int/float/str subclasses format by value; other objects accept only '' (→ str(self)). */
export function object_format(obj: Ptr, spec: string): Ptr {
  const flags = I32[(I32[(obj + OB_TYPE) >> 2] + TP_FLAGS) >> 2];
  if (flags & Py_TPFLAGS_LONG_SUBCLASS) return formatLong(obj, spec);
  if (flags & Py_TPFLAGS_UNICODE_SUBCLASS) return formatStr(obj, spec);
  if (PyType_IsSubtype(I32[(obj + OB_TYPE) >> 2], PyFloat_Type)) return formatFloat(obj, spec);
  if (spec.length > 0) return typeError(`unsupported format string passed to ${tpName(obj)}.__format__`);
  return PyObject_Str(obj);
}

// =====================================================================================
// iteration
// =====================================================================================

/** ≈ PyIter_Check */
export function PyIter_Check(o: Ptr): boolean {
  return slotsOfObj(o).tp_iternext !== undefined;
}

/** ≈ PyObject_GetIter: new reference to an iterator, or NULL ("'int' object is not iterable"). */
export function PyObject_GetIter(o: Ptr): Ptr {
  const s = slotsOfObj(o);
  const f = s.tp_iter;
  if (f === undefined) {
    if (abstractHooks.seqIterNew !== null && PySequence_Check(o)) return abstractHooks.seqIterNew(o);
    return typeError(`'${tpName(o)}' object is not iterable`);
  }
  const res = f(o);
  if (res !== NULL && slotsOfObj(res).tp_iternext === undefined) {
    const name = tpName(res);
    Py_DECREF(res);
    return typeError(`iter() returned non-iterator of type '${name}'`);
  }
  return res;
}

/** ≈ PyIter_Next: new reference to the next item; NULL without an exception when exhausted
 *  (a StopIteration raised by the iterator is cleared), NULL with one on error. */
export function PyIter_Next(iter: Ptr): Ptr {
  const res = slotsOfObj(iter).tp_iternext!(iter);
  if (res === NULL && PyErr_Occurred() !== NULL && PyErr_ExceptionMatches(PyExc_StopIteration)) PyErr_Clear();
  return res;
}

// =====================================================================================
// length, items, containment
// =====================================================================================

/** ≈ PyObject_Size / PyObject_Length: the length, or -1 with TypeError "object of type 'int'
 *  has no len()". */
export function PyObject_Size(o: Ptr): number {
  const s = slotsOfObj(o);
  if (s.sq_length !== undefined) return s.sq_length(o);
  if (s.mp_length !== undefined) return s.mp_length(o);
  PyErr_SetString(PyExc_TypeError, `object of type '${tpName(o)}' has no len()`);
  return -1;
}
export const PyObject_Length = PyObject_Size;

/** ≈ PySequence_Size */
export function PySequence_Size(o: Ptr): number {
  const s = slotsOfObj(o);
  if (s.sq_length !== undefined) return s.sq_length(o);
  if (s.mp_length !== undefined) {
    PyErr_SetString(PyExc_TypeError, `${tpName(o)} is not a sequence`);
    return -1;
  }
  PyErr_SetString(PyExc_TypeError, `object of type '${tpName(o)}' has no len()`);
  return -1;
}
/** ≈ PyMapping_Size */
export function PyMapping_Size(o: Ptr): number {
  const s = slotsOfObj(o);
  if (s.mp_length !== undefined) return s.mp_length(o);
  if (s.sq_length !== undefined) {
    PyErr_SetString(PyExc_TypeError, `${tpName(o)} is not a mapping`);
    return -1;
  }
  PyErr_SetString(PyExc_TypeError, `object of type '${tpName(o)}' has no len()`);
  return -1;
}

/** ≈ PyObject_LengthHint: len(o) when it has one, else __length_hint__ (through the hook), else
 *  `defaultValue`; -1 with an exception on error. */
export function PyObject_LengthHint(o: Ptr, defaultValue: number): number {
  const s = slotsOfObj(o);
  if (s.sq_length !== undefined || s.mp_length !== undefined) {
    const n = PyObject_Size(o);
    if (n >= 0) return n;
    if (!PyErr_ExceptionMatches(PyExc_TypeError)) return -1;
    PyErr_Clear();
  }
  if (abstractHooks.lengthHint !== null) {
    const h = abstractHooks.lengthHint(o);
    if (h === -2) return defaultValue;
    return h;
  }
  return defaultValue;
}

/** ≈ PySequence_Check: has sq_item and is not a dict (dict subclasses are mappings). */
export function PySequence_Check(o: Ptr): boolean {
  const flags = I32[(I32[(o + OB_TYPE) >> 2] + TP_FLAGS) >> 2];
  if (flags & (1 << 29)) return false; // Py_TPFLAGS_DICT_SUBCLASS
  return slotsOfObj(o).sq_item !== undefined;
}
/** ≈ PyMapping_Check */
export function PyMapping_Check(o: Ptr): boolean {
  return slotsOfObj(o).mp_subscript !== undefined;
}
/** ≈ PyIndex_Check (_PyIndex_Check) */
export function PyIndex_Check(o: Ptr): boolean {
  return slotsOfObj(o).nb_index !== undefined;
}
/** ≈ PyNumber_Check */
export function PyNumber_Check(o: Ptr): boolean {
  const s = slotsOfObj(o);
  return s.nb_index !== undefined || s.nb_int !== undefined || s.nb_float !== undefined;
}

/** ≈ PySequence_GetItem: new reference; a negative index has len() added first. */
export function PySequence_GetItem(o: Ptr, i: number): Ptr {
  const s = slotsOfObj(o);
  if (s.sq_item !== undefined) {
    if (i < 0 && s.sq_length !== undefined) {
      const l = s.sq_length(o);
      if (l < 0) return NULL;
      i += l;
    }
    return s.sq_item(o, i);
  }
  if (s.mp_subscript !== undefined) return typeError(`${tpName(o)} is not a sequence`);
  return typeError(`'${tpName(o)}' object does not support indexing`);
}
/** ≈ PySequence_SetItem (v borrowed; stored with a new reference by the type) */
export function PySequence_SetItem(o: Ptr, i: number, v: Ptr): number {
  const s = slotsOfObj(o);
  if (s.sq_ass_item !== undefined) {
    if (i < 0 && s.sq_length !== undefined) {
      const l = s.sq_length(o);
      if (l < 0) return -1;
      i += l;
    }
    return s.sq_ass_item(o, i, v);
  }
  if (s.mp_ass_subscript !== undefined) PyErr_SetString(PyExc_TypeError, `${tpName(o)} is not a sequence`);
  else PyErr_SetString(PyExc_TypeError, `'${tpName(o)}' object does not support item assignment`);
  return -1;
}
/** ≈ PySequence_DelItem */
export function PySequence_DelItem(o: Ptr, i: number): number {
  const s = slotsOfObj(o);
  if (s.sq_ass_item !== undefined) {
    if (i < 0 && s.sq_length !== undefined) {
      const l = s.sq_length(o);
      if (l < 0) return -1;
      i += l;
    }
    return s.sq_ass_item(o, i, NULL);
  }
  if (s.mp_ass_subscript !== undefined) PyErr_SetString(PyExc_TypeError, `${tpName(o)} is not a sequence`);
  else PyErr_SetString(PyExc_TypeError, `'${tpName(o)}' object doesn't support item deletion`);
  return -1;
}

/** ≈ PyObject_GetItem (o[key]): new reference or NULL. */
export function PyObject_GetItem(o: Ptr, key: Ptr): Ptr {
  const s = slotsOfObj(o);
  if (s.mp_subscript !== undefined) return s.mp_subscript(o, key);
  if (s.sq_item !== undefined) {
    if (slotsOfObj(key).nb_index !== undefined) {
      const i = PyNumber_AsSsize_t(key, PyExc_IndexError);
      if (i === -1 && PyErr_Occurred() !== NULL) return NULL;
      return PySequence_GetItem(o, i);
    }
    return typeError(`sequence index must be integer, not '${tpName(key)}'`);
  }
  if (isType(o)) {
    if (abstractHooks.classGetItem !== null) return abstractHooks.classGetItem(o, key);
    return typeError(`type '${typeName(o)}' is not subscriptable`);
  }
  return typeError(`'${tpName(o)}' object is not subscriptable`);
}

/** ≈ PyObject_SetItem (o[key] = v; v borrowed): 0 or -1. */
export function PyObject_SetItem(o: Ptr, key: Ptr, v: Ptr): number {
  const s = slotsOfObj(o);
  if (s.mp_ass_subscript !== undefined) return s.mp_ass_subscript(o, key, v);
  if (s.sq_ass_item !== undefined) {
    if (slotsOfObj(key).nb_index !== undefined) {
      const i = PyNumber_AsSsize_t(key, PyExc_IndexError);
      if (i === -1 && PyErr_Occurred() !== NULL) return -1;
      return PySequence_SetItem(o, i, v);
    }
    if (s.sq_item !== undefined) {
      PyErr_SetString(PyExc_TypeError, `sequence index must be integer, not '${tpName(key)}'`);
      return -1;
    }
  }
  PyErr_SetString(PyExc_TypeError, `'${tpName(o)}' object does not support item assignment`);
  return -1;
}

/** ≈ PyObject_DelItem (del o[key]): 0 or -1. */
export function PyObject_DelItem(o: Ptr, key: Ptr): number {
  const s = slotsOfObj(o);
  if (s.mp_ass_subscript !== undefined) return s.mp_ass_subscript(o, key, NULL);
  if (s.sq_ass_item !== undefined) {
    if (slotsOfObj(key).nb_index !== undefined) {
      const i = PyNumber_AsSsize_t(key, PyExc_IndexError);
      if (i === -1 && PyErr_Occurred() !== NULL) return -1;
      return PySequence_DelItem(o, i);
    }
    if (s.sq_item !== undefined) {
      PyErr_SetString(PyExc_TypeError, `sequence index must be integer, not '${tpName(key)}'`);
      return -1;
    }
  }
  PyErr_SetString(PyExc_TypeError, `'${tpName(o)}' object doesn't support item deletion`);
  return -1;
}

/** ≈ _PySequence_IterSearch(seq, obj, PY_ITERSEARCH_CONTAINS): 1, 0 or -1. */
function iterSearchContains(seq: Ptr, obj: Ptr): number {
  const it = PyObject_GetIter(seq);
  if (it === NULL) {
    if (PyErr_ExceptionMatches(PyExc_TypeError)) {
      PyErr_SetString(PyExc_TypeError, `argument of type '${tpName(seq)}' is not iterable`);
    }
    return -1;
  }
  for (;;) {
    const item = PyIter_Next(it);
    if (item === NULL) {
      Py_DECREF(it);
      return PyErr_Occurred() !== NULL ? -1 : 0;
    }
    const c = PyObject_RichCompareBool(item, obj, Py_EQ);
    Py_DECREF(item);
    if (c !== 0) {
      Py_DECREF(it);
      return c;
    }
  }
}

/** ≈ PySequence_Contains (`obj in seq`): 1, 0 or -1. */
export function PySequence_Contains(seq: Ptr, obj: Ptr): number {
  const t = I32[(seq + OB_TYPE) >> 2];
  if (t === PySet_Type || t === PyFrozenSet_Type) return set_contains(seq, obj);
  const f = slotsOfObj(seq).sq_contains;
  if (f !== undefined) return f(seq, obj);
  return iterSearchContains(seq, obj);
}

/** ≈ PySequence_Count / PySequence_Index via iteration (for types without their own). */
export function PySequence_Index(seq: Ptr, obj: Ptr): number {
  const it = PyObject_GetIter(seq);
  if (it === NULL) return -1;
  let i = 0;
  for (;;) {
    const item = PyIter_Next(it);
    if (item === NULL) {
      Py_DECREF(it);
      if (PyErr_Occurred() === NULL) PyErr_SetString(valueErrorType(), 'sequence.index(x): x not in sequence');
      return -1;
    }
    const c = PyObject_RichCompareBool(item, obj, Py_EQ);
    Py_DECREF(item);
    if (c !== 0) {
      Py_DECREF(it);
      return c < 0 ? -1 : i;
    }
    i++;
  }
}
function valueErrorType(): Ptr {
  return PyExc_ValueError;
}

// =====================================================================================
// the number protocol
// =====================================================================================

function binopTypeError(v: Ptr, w: Ptr, opName: string): Ptr {
  return typeError(`unsupported operand type(s) for ${opName}: '${tpName(v)}' and '${tpName(w)}'`);
}

/** ≈ binary_op1: the dispatch described at the top. New reference (possibly NotImplemented). */
function binary_op1(v: Ptr, w: Ptr, slotv: binaryfunc | undefined, slotw: binaryfunc | undefined): Ptr {
  const tv = I32[(v + OB_TYPE) >> 2];
  const tw = I32[(w + OB_TYPE) >> 2];
  if (tw === tv || slotw === slotv) slotw = undefined;
  if (slotv !== undefined) {
    if (slotw !== undefined && PyType_IsSubtype(tw, tv)) {
      const x = slotw(v, w);
      if (x !== Py_NotImplemented) return x;
      I32[x >> 2]--;
      slotw = undefined;
    }
    const x = slotv(v, w);
    if (x !== Py_NotImplemented) return x;
    I32[x >> 2]--;
  }
  if (slotw !== undefined) {
    const x = slotw(v, w);
    if (x !== Py_NotImplemented) return x;
    I32[x >> 2]--;
  }
  return newRef(Py_NotImplemented);
}

/** binary_op: binary_op1 or TypeError. */
function binary_op(v: Ptr, w: Ptr, slotv: binaryfunc | undefined, slotw: binaryfunc | undefined, opName: string): Ptr {
  const r = binary_op1(v, w, slotv, slotw);
  if (r === Py_NotImplemented) {
    I32[r >> 2]--;
    return binopTypeError(v, w, opName);
  }
  return r;
}

/** ≈ binary_iop1: in-place slot of v first, then binary_op1. */
function binary_iop1(v: Ptr, w: Ptr, islot: binaryfunc | undefined, slotv: binaryfunc | undefined, slotw: binaryfunc | undefined): Ptr {
  if (islot !== undefined) {
    const x = islot(v, w);
    if (x !== Py_NotImplemented) return x;
    I32[x >> 2]--;
  }
  return binary_op1(v, w, slotv, slotw);
}
function binary_iop(v: Ptr, w: Ptr, islot: binaryfunc | undefined, slotv: binaryfunc | undefined, slotw: binaryfunc | undefined, opName: string): Ptr {
  const r = binary_iop1(v, w, islot, slotv, slotw);
  if (r === Py_NotImplemented) {
    I32[r >> 2]--;
    return binopTypeError(v, w, opName);
  }
  return r;
}

function isExactFloat(o: Ptr): boolean {
  return I32[(o + OB_TYPE) >> 2] === PyFloat_Type;
}
function isExactLong(o: Ptr): boolean {
  return I32[(o + OB_TYPE) >> 2] === PyLong_Type;
}

/** ≈ PyNumber_Add (v + w), with the sequence-concatenation fallback. */
export function PyNumber_Add(v: Ptr, w: Ptr): Ptr {
  const tv = I32[(v + OB_TYPE) >> 2];
  if (tv === I32[(w + OB_TYPE) >> 2]) {
    // same exact built-in type on both sides: its own operation (none of these has a reflected slot)
    if (tv === PyLong_Type) return long_add(v, w);
    if (tv === PyFloat_Type) return float_add(v, w);
    if (tv === PyUnicode_Type) return PyUnicode_Concat(v, w);
    if (tv === PyTuple_Type) return tupleconcat(v, w);
    if (tv === PyList_Type) return list_concat(v, w);
  }
  const sv = slotsOfObj(v);
  const r = binary_op1(v, w, sv.nb_add, slotsOfObj(w).nb_add);
  if (r !== Py_NotImplemented) return r;
  I32[r >> 2]--;
  if (sv.sq_concat !== undefined) return sv.sq_concat(v, w);
  return binopTypeError(v, w, '+');
}
export function PyNumber_Subtract(v: Ptr, w: Ptr): Ptr {
  if (isExactLong(v) && isExactLong(w)) return long_sub(v, w);
  if (isExactFloat(v) && isExactFloat(w)) return float_sub(v, w);
  return binary_op(v, w, slotsOfObj(v).nb_subtract, slotsOfObj(w).nb_subtract, '-');
}

/** ≈ sequence_repeat: seq * n where n must be an index. */
function sequence_repeat(repeat: (o: Ptr, n: number) => Ptr, seq: Ptr, n: Ptr): Ptr {
  if (slotsOfObj(n).nb_index !== undefined) {
    const count = PyNumber_AsSsize_t(n, PyExc_OverflowError);
    if (count === -1 && PyErr_Occurred() !== NULL) return NULL;
    return repeat(seq, count);
  }
  return typeError(`can't multiply sequence by non-int of type '${tpName(n)}'`);
}

/** ≈ PyNumber_Multiply (v * w), with the sequence-repeat fallback on either side. */
export function PyNumber_Multiply(v: Ptr, w: Ptr): Ptr {
  if (isExactLong(v) && isExactLong(w)) return long_mul(v, w);
  if (isExactFloat(v) && isExactFloat(w)) return float_mul(v, w);
  const sv = slotsOfObj(v);
  const sw = slotsOfObj(w);
  const r = binary_op1(v, w, sv.nb_multiply, sw.nb_multiply);
  if (r !== Py_NotImplemented) return r;
  I32[r >> 2]--;
  if (sv.sq_repeat !== undefined) return sequence_repeat(sv.sq_repeat, v, w);
  if (sw.sq_repeat !== undefined) return sequence_repeat(sw.sq_repeat, w, v);
  return binopTypeError(v, w, '*');
}
export function PyNumber_MatrixMultiply(v: Ptr, w: Ptr): Ptr {
  return binary_op(v, w, slotsOfObj(v).nb_matrix_multiply, slotsOfObj(w).nb_matrix_multiply, '@');
}
export function PyNumber_FloorDivide(v: Ptr, w: Ptr): Ptr {
  return binary_op(v, w, slotsOfObj(v).nb_floor_divide, slotsOfObj(w).nb_floor_divide, '//');
}
export function PyNumber_TrueDivide(v: Ptr, w: Ptr): Ptr {
  return binary_op(v, w, slotsOfObj(v).nb_true_divide, slotsOfObj(w).nb_true_divide, '/');
}
export function PyNumber_Remainder(v: Ptr, w: Ptr): Ptr {
  return binary_op(v, w, slotsOfObj(v).nb_remainder, slotsOfObj(w).nb_remainder, '%');
}
export function PyNumber_Divmod(v: Ptr, w: Ptr): Ptr {
  return binary_op(v, w, slotsOfObj(v).nb_divmod, slotsOfObj(w).nb_divmod, 'divmod()');
}
export function PyNumber_Lshift(v: Ptr, w: Ptr): Ptr {
  return binary_op(v, w, slotsOfObj(v).nb_lshift, slotsOfObj(w).nb_lshift, '<<');
}
export function PyNumber_Rshift(v: Ptr, w: Ptr): Ptr {
  return binary_op(v, w, slotsOfObj(v).nb_rshift, slotsOfObj(w).nb_rshift, '>>');
}
export function PyNumber_And(v: Ptr, w: Ptr): Ptr {
  return binary_op(v, w, slotsOfObj(v).nb_and, slotsOfObj(w).nb_and, '&');
}
export function PyNumber_Or(v: Ptr, w: Ptr): Ptr {
  return binary_op(v, w, slotsOfObj(v).nb_or, slotsOfObj(w).nb_or, '|');
}
export function PyNumber_Xor(v: Ptr, w: Ptr): Ptr {
  return binary_op(v, w, slotsOfObj(v).nb_xor, slotsOfObj(w).nb_xor, '^');
}

/** ≈ ternary_op: nb_power dispatch over three operands (z is None for two-argument pow). */
function ternary_op(v: Ptr, w: Ptr, z: Ptr, opName: string, islot: ternaryfunc | undefined): Ptr {
  if (islot !== undefined) {
    const x = islot(v, w, z);
    if (x !== Py_NotImplemented) return x;
    I32[x >> 2]--;
  }
  const tv = I32[(v + OB_TYPE) >> 2];
  const tw = I32[(w + OB_TYPE) >> 2];
  const slotv = slotsOfObj(v).nb_power;
  let slotw = tw !== tv ? slotsOfObj(w).nb_power : undefined;
  if (slotw === slotv) slotw = undefined;
  if (slotv !== undefined) {
    if (slotw !== undefined && PyType_IsSubtype(tw, tv)) {
      const x = slotw(v, w, z);
      if (x !== Py_NotImplemented) return x;
      I32[x >> 2]--;
      slotw = undefined;
    }
    const x = slotv(v, w, z);
    if (x !== Py_NotImplemented) return x;
    I32[x >> 2]--;
  }
  if (slotw !== undefined) {
    const x = slotw(v, w, z);
    if (x !== Py_NotImplemented) return x;
    I32[x >> 2]--;
  }
  if (z !== Py_None) {
    const slotz = slotsOfObj(z).nb_power;
    if (slotz !== undefined && slotz !== slotv && slotz !== slotw) {
      const x = slotz(v, w, z);
      if (x !== Py_NotImplemented) return x;
      I32[x >> 2]--;
    }
    return typeError(`unsupported operand type(s) for ${opName === '**=' ? '**=' : 'pow()'}: '${tpName(v)}', '${tpName(w)}', '${tpName(z)}'`);
  }
  return typeError(`unsupported operand type(s) for ${opName}: '${tpName(v)}' and '${tpName(w)}'`);
}

/** ≈ PyNumber_Power (v ** w, or pow(v, w, z); z = Py_None for two arguments). */
export function PyNumber_Power(v: Ptr, w: Ptr, z: Ptr): Ptr {
  return ternary_op(v, w, z, '** or pow()', undefined);
}
export function PyNumber_InPlacePower(v: Ptr, w: Ptr, z: Ptr): Ptr {
  return ternary_op(v, w, z, '**=', slotsOfObj(v).nb_inplace_power);
}

// ---- in-place forms ----
/** ≈ PyNumber_InPlaceAdd (v += w): nb_inplace_add, nb_add, then sq_inplace_concat / sq_concat. */
export function PyNumber_InPlaceAdd(v: Ptr, w: Ptr): Ptr {
  const tv = I32[(v + OB_TYPE) >> 2];
  if (tv === I32[(w + OB_TYPE) >> 2]) {
    // exact int, str, tuple: no in-place slot, so the plain operation (as binary_iop1 finds it)
    if (tv === PyLong_Type) return long_add(v, w);
    if (tv === PyUnicode_Type) return PyUnicode_Concat(v, w);
    if (tv === PyTuple_Type) return tupleconcat(v, w);
  }
  const sv = slotsOfObj(v);
  const r = binary_iop1(v, w, sv.nb_inplace_add, sv.nb_add, slotsOfObj(w).nb_add);
  if (r !== Py_NotImplemented) return r;
  I32[r >> 2]--;
  if (sv.sq_inplace_concat !== undefined) return sv.sq_inplace_concat(v, w);
  if (sv.sq_concat !== undefined) return sv.sq_concat(v, w);
  return binopTypeError(v, w, '+=');
}
/** ≈ PyNumber_InPlaceMultiply (v *= w) */
export function PyNumber_InPlaceMultiply(v: Ptr, w: Ptr): Ptr {
  const sv = slotsOfObj(v);
  const sw = slotsOfObj(w);
  const r = binary_iop1(v, w, sv.nb_inplace_multiply, sv.nb_multiply, sw.nb_multiply);
  if (r !== Py_NotImplemented) return r;
  I32[r >> 2]--;
  if (sv.sq_inplace_repeat !== undefined) return sequence_repeat(sv.sq_inplace_repeat, v, w);
  if (sv.sq_repeat !== undefined) return sequence_repeat(sv.sq_repeat, v, w);
  if (sw.sq_repeat !== undefined) return sequence_repeat(sw.sq_repeat, w, v);
  return binopTypeError(v, w, '*=');
}
export function PyNumber_InPlaceSubtract(v: Ptr, w: Ptr): Ptr {
  const sv = slotsOfObj(v);
  return binary_iop(v, w, sv.nb_inplace_subtract, sv.nb_subtract, slotsOfObj(w).nb_subtract, '-=');
}
export function PyNumber_InPlaceMatrixMultiply(v: Ptr, w: Ptr): Ptr {
  const sv = slotsOfObj(v);
  return binary_iop(v, w, sv.nb_inplace_matrix_multiply, sv.nb_matrix_multiply, slotsOfObj(w).nb_matrix_multiply, '@=');
}
export function PyNumber_InPlaceFloorDivide(v: Ptr, w: Ptr): Ptr {
  const sv = slotsOfObj(v);
  return binary_iop(v, w, sv.nb_inplace_floor_divide, sv.nb_floor_divide, slotsOfObj(w).nb_floor_divide, '//=');
}
export function PyNumber_InPlaceTrueDivide(v: Ptr, w: Ptr): Ptr {
  const sv = slotsOfObj(v);
  return binary_iop(v, w, sv.nb_inplace_true_divide, sv.nb_true_divide, slotsOfObj(w).nb_true_divide, '/=');
}
export function PyNumber_InPlaceRemainder(v: Ptr, w: Ptr): Ptr {
  const sv = slotsOfObj(v);
  return binary_iop(v, w, sv.nb_inplace_remainder, sv.nb_remainder, slotsOfObj(w).nb_remainder, '%=');
}
export function PyNumber_InPlaceLshift(v: Ptr, w: Ptr): Ptr {
  const sv = slotsOfObj(v);
  return binary_iop(v, w, sv.nb_inplace_lshift, sv.nb_lshift, slotsOfObj(w).nb_lshift, '<<=');
}
export function PyNumber_InPlaceRshift(v: Ptr, w: Ptr): Ptr {
  const sv = slotsOfObj(v);
  return binary_iop(v, w, sv.nb_inplace_rshift, sv.nb_rshift, slotsOfObj(w).nb_rshift, '>>=');
}
export function PyNumber_InPlaceAnd(v: Ptr, w: Ptr): Ptr {
  const sv = slotsOfObj(v);
  return binary_iop(v, w, sv.nb_inplace_and, sv.nb_and, slotsOfObj(w).nb_and, '&=');
}
export function PyNumber_InPlaceOr(v: Ptr, w: Ptr): Ptr {
  const sv = slotsOfObj(v);
  return binary_iop(v, w, sv.nb_inplace_or, sv.nb_or, slotsOfObj(w).nb_or, '|=');
}
export function PyNumber_InPlaceXor(v: Ptr, w: Ptr): Ptr {
  const sv = slotsOfObj(v);
  return binary_iop(v, w, sv.nb_inplace_xor, sv.nb_xor, slotsOfObj(w).nb_xor, '^=');
}

// ---- unary ----
export function PyNumber_Negative(o: Ptr): Ptr {
  const f = slotsOfObj(o).nb_negative;
  if (f !== undefined) return f(o);
  return typeError(`bad operand type for unary -: '${tpName(o)}'`);
}
export function PyNumber_Positive(o: Ptr): Ptr {
  const f = slotsOfObj(o).nb_positive;
  if (f !== undefined) return f(o);
  return typeError(`bad operand type for unary +: '${tpName(o)}'`);
}
export function PyNumber_Invert(o: Ptr): Ptr {
  const f = slotsOfObj(o).nb_invert;
  if (f !== undefined) return f(o);
  return typeError(`bad operand type for unary ~: '${tpName(o)}'`);
}
export function PyNumber_Absolute(o: Ptr): Ptr {
  const f = slotsOfObj(o).nb_absolute;
  if (f !== undefined) return f(o);
  return typeError(`bad operand type for abs(): '${tpName(o)}'`);
}

// ---- conversions ----
/** ≈ PyNumber_Index (operator.index): a new reference to an int, or NULL with TypeError
 *  "'float' object cannot be interpreted as an integer". An int subclass result is accepted
 *  (CPython warns; pymem has no warnings). */
export function PyNumber_Index(o: Ptr): Ptr {
  const t = I32[(o + OB_TYPE) >> 2];
  if (t === PyLong_Type) return newRef(o);
  if (I32[(t + TP_FLAGS) >> 2] & Py_TPFLAGS_LONG_SUBCLASS) return newRef(o);
  const f = slotsOfObj(o).nb_index;
  if (f === undefined) return typeError(`'${tpName(o)}' object cannot be interpreted as an integer`);
  const res = f(o);
  if (res === NULL) return NULL;
  if (I32[(I32[(res + OB_TYPE) >> 2] + TP_FLAGS) >> 2] & Py_TPFLAGS_LONG_SUBCLASS) return res;
  const name = tpName(res);
  Py_DECREF(res);
  return typeError(`__index__ returned non-int (type ${name})`);
}

/** ≈ PyNumber_AsSsize_t(o, exc): the index value of o as a JS number (exact below 2^53). On
 *  overflow of a signed 64-bit integer: with exc = NULL the value is clamped, otherwise `exc`
 *  is raised "cannot fit 'int' into an index-sized integer". -1 with an exception on error. */
export function PyNumber_AsSsize_t(o: Ptr, exc: Ptr): number {
  if (isExactLong(o)) {
    const v = smallValue(o);
    if (v === v) return v;
  }
  const value = PyNumber_Index(o);
  if (value === NULL) return -1;
  let r = smallValue(value);
  if (r !== r) {
    const b = PyLong_AsBigInt(value);
    if (b >= -(1n << 63n) && b < 1n << 63n) r = Number(b);
    else if (exc === NULL) r = b < 0n ? -TWO63 : TWO63 - 1;
    else {
      PyErr_SetString(exc, `cannot fit '${tpName(o)}' into an index-sized integer`);
      Py_DECREF(value);
      return -1;
    }
  }
  Py_DECREF(value);
  return r;
}

function isBytes(o: Ptr): boolean {
  return (I32[(I32[(o + OB_TYPE) >> 2] + TP_FLAGS) >> 2] & Py_TPFLAGS_BYTES_SUBCLASS) !== 0;
}

/** ≈ PyNumber_Long (int(x)): new reference to an exact int, or NULL. */
export function PyNumber_Long(o: Ptr): Ptr {
  const t = I32[(o + OB_TYPE) >> 2];
  if (t === PyLong_Type) return newRef(o);
  const s = slotsOfObj(o);
  if (s.nb_int !== undefined) {
    const res = s.nb_int(o);
    if (res === NULL || I32[(res + OB_TYPE) >> 2] === PyLong_Type) return res;
    if ((I32[(I32[(res + OB_TYPE) >> 2] + TP_FLAGS) >> 2] & Py_TPFLAGS_LONG_SUBCLASS) === 0) {
      const name = tpName(res);
      Py_DECREF(res);
      return typeError(`__int__ returned non-int (type ${name})`);
    }
    const r = _PyLong_Copy(res);
    Py_DECREF(res);
    return r;
  }
  if (s.nb_index !== undefined) {
    const res = PyNumber_Index(o);
    if (res === NULL || I32[(res + OB_TYPE) >> 2] === PyLong_Type) return res;
    const r = _PyLong_Copy(res);
    Py_DECREF(res);
    return r;
  }
  if (abstractHooks.trunc !== null) {
    const r = abstractHooks.trunc(o);
    if (r !== -2) return r;
  }
  if (I32[(t + TP_FLAGS) >> 2] & Py_TPFLAGS_UNICODE_SUBCLASS) return PyLong_FromUnicodeObject(o, 10);
  if (isBytes(o)) return PyLong_FromBytesObject(o, 10);
  return typeError(`int() argument must be a string, a bytes-like object or a real number, not '${tpName(o)}'`);
}

/** ≈ PyNumber_Float (float(x)): new reference to an exact float, or NULL. */
export function PyNumber_Float(o: Ptr): Ptr {
  const t = I32[(o + OB_TYPE) >> 2];
  if (t === PyFloat_Type) return newRef(o);
  const s = slotsOfObj(o);
  if (s.nb_float !== undefined) {
    const res = s.nb_float(o);
    if (res === NULL || I32[(res + OB_TYPE) >> 2] === PyFloat_Type) return res;
    if (!PyType_IsSubtype(I32[(res + OB_TYPE) >> 2], PyFloat_Type)) {
      const name = tpName(res);
      Py_DECREF(res);
      return typeError(`${tpName(o)}.__float__ returned non-float (type ${name})`);
    }
    const val = F64[(res + FLOAT_FVAL) >> 3];
    Py_DECREF(res);
    return PyFloat_FromDouble(val);
  }
  if (s.nb_index !== undefined) {
    const i = PyNumber_Index(o);
    if (i === NULL) return NULL;
    const val = PyLong_AsDouble(i);
    Py_DECREF(i);
    if (val === -1 && PyErr_Occurred() !== NULL) return NULL;
    return PyFloat_FromDouble(val);
  }
  if (PyType_IsSubtype(t, PyFloat_Type)) return PyFloat_FromDouble(F64[(o + FLOAT_FVAL) >> 3]);
  return PyFloat_FromString(o);
}

/** ≈ PyNumber_ToBase (bin/oct/hex): new str or NULL. */
export function PyNumber_ToBase(n: Ptr, base: number): Ptr {
  if (base !== 2 && base !== 8 && base !== 10 && base !== 16) {
    PyErr_SetString(PyExc_SystemError, 'PyNumber_ToBase: base must be 2, 8, 10 or 16');
    return NULL;
  }
  const index = PyNumber_Index(n);
  if (index === NULL) return NULL;
  const res = _PyLong_Format(index, base);
  Py_DECREF(index);
  return res;
}

