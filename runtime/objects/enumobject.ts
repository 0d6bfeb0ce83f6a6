// enumerate and reversed (≈ Objects/enumobject.c, CPython 3.11).
//
// enumobject (GC, subclassable; getsizeof 16 + 56 = 72):
//        -16  [ PyGC_Head   ]
//   en ->  0  [ ob_refcnt   ]  8 [ ob_type ]
//         16  [ en_index    ]   Py_ssize_t: the next index while it fits
//         24  [ en_sit      ]   owned: the underlying iterator
//         32  [ en_result   ]   owned: the (index, item) tuple that is handed out again
//         40  [ en_longindex]   owned or NULL: the next index once it passed PY_SSIZE_T_MAX
//         48  [ one         ]   borrowed: the int 1
//
//   next(): item = next(en_sit); index = int(en_index++). If nobody else holds en_result
//   (refcount 1) the same tuple is refilled and returned (its old items released, and it is
//   tracked again if a collection had untracked it), so `for i, x in enumerate(...)` allocates
//   no tuple per step and id() of consecutive results repeats — as in CPython. Otherwise a new
//   2-tuple. An index reaching PY_SSIZE_T_MAX switches to int objects (en_longindex).
//   Allocated with PyType_GenericAlloc, so it is tracked from the start.
//
// reversedobject (GC, subclassable; getsizeof 16 + 32 = 48):
//         16  [ index ]   Py_ssize_t: the next index to read, -1 when done
//         24  [ seq   ]   owned; NULL when exhausted
//
//   reversed(seq) calls type(seq).__reversed__ when there is one (None means "not reversible");
//   otherwise seq must be a sequence with a length: next() reads seq[index--] until index < 0;
//   an IndexError or StopIteration from seq ends the iteration.

import { type Ptr, NULL, I32 as heapI32, U32 as heapU32, onHeapReset } from '../mem/heap.js';
import { OB_TYPE, Py_DECREF, Py_XDECREF, Py_INCREF } from '../object.js';
import {
  newStaticType, slotsOf, slotsOfObj, typeName, Py_TPFLAGS_HAVE_GC, Py_TPFLAGS_BASETYPE, METH_NOARGS, METH_O,
  type visitproc,
} from '../typeobject.js';
import { PyType_GenericAlloc, PyObject_GC_Track, PyObject_GC_UnTrack, PyObject_GC_Del, _PyObject_GC_IS_TRACKED } from '../gc.js';
import { PyErr_SetString, PyErr_Occurred, PyErr_ExceptionMatches, PyErr_Clear } from '../errors.js';
import { PyExc_TypeError, PyExc_IndexError, PyExc_StopIteration } from './exceptions.js';
import { PyObject_GetIter, PyNumber_Index, PySequence_Check, PySequence_Size, PySequence_GetItem, PyNumber_AsSsize_t } from '../abstract.js';
import { PyObject_CallNoArgs } from '../call.js';
import { _PyType_Lookup } from '../typeready.js';
import {
  PyLong_Type, PyLong_FromNumber, PyLong_FromBigInt, PyLong_AsBigInt, smallValue, _PyLong_Copy, long_add, smallInt,
} from './longobject.js';
import { Py_None } from './noneobject.js';
import { _PyUnicode_InternStatic, unicodeToJs, unicodeEqualsJs } from './unicodeobject.js';
import { PyTuple_New, PyTuple_SET_ITEM, PyTuple_Pack2 } from './tupleobject.js';
import { PyDict_Next, DICT_NEXT } from './dictobject.js';
// the heap views as local consts (imported bindings cost ~2x per access: heap.ts)
const I32 = heapI32;
const U32 = heapU32;

// ---- layout ----
export const EN_INDEX = 16;
export const EN_SIT = 24;
export const EN_RESULT = 32;
export const EN_LONGINDEX = 40;
export const EN_ONE = 48;
export const ENUM_BASICSIZE = 56;
export const RO_INDEX = 16;
export const RO_SEQ = 24;
export const REVERSED_BASICSIZE = 32;

const TWO32 = 4294967296;
const PY_SSIZE_T_MAX = (1n << 63n) - 1n;
const ONE = smallInt(1);

function newRef(o: Ptr): Ptr {
  I32[o >> 2]++;
  return o;
}
function setField(o: Ptr, off: number, v: Ptr): void {
  I32[(o + off) >> 2] = v;
  I32[(o + off + 4) >> 2] = 0;
}
function typeError(msg: string): Ptr {
  PyErr_SetString(PyExc_TypeError, msg);
  return NULL;
}
/** Number of entries of a kwargs dict (NULL allowed). */
function dictSize(d: Ptr): number {
  return d === NULL ? 0 : I32[(d + 16) >> 2];
}

/** PyNumber_Index as 3.11 has it: an EXACT int (bool and other int subclasses are copied). */
function indexExact(o: Ptr): Ptr {
  const r = PyNumber_Index(o);
  if (r === NULL || I32[(r + OB_TYPE) >> 2] === PyLong_Type) return r;
  const c = _PyLong_Copy(r);
  Py_DECREF(r);
  return c;
}

// =====================================================================================
// enumerate
// =====================================================================================

/** ≈ enum_new_impl: enumerate(iterable, start) for `type` (enumerate or a subclass); `start`
 *  may be NULL. New (tracked) reference or NULL. */
function enum_new_impl(type: Ptr, iterable: Ptr, start: Ptr): Ptr {
  const en = PyType_GenericAlloc(type, 0);
  if (en === NULL) return NULL;
  if (start !== NULL) {
    const s = indexExact(start);
    if (s === NULL) {
      Py_DECREF(en);
      return NULL;
    }
    const v = smallValue(s);
    if (v === v) {
      setIndex(en, v);
      Py_DECREF(s);
    } else {
      const b = PyLong_AsBigInt(s);
      if (b <= PY_SSIZE_T_MAX && b >= -PY_SSIZE_T_MAX - 1n) {
        setIndexBig(en, b);
        Py_DECREF(s);
      } else {
        // does not fit a Py_ssize_t: count with int objects from the start
        setIndexBig(en, PY_SSIZE_T_MAX);
        setField(en, EN_LONGINDEX, s);
      }
    }
  }
  const sit = PyObject_GetIter(iterable);
  if (sit === NULL) {
    Py_DECREF(en);
    return NULL;
  }
  setField(en, EN_SIT, sit);
  const result = PyTuple_Pack2(Py_None, Py_None);
  if (result === NULL) {
    Py_DECREF(en);
    return NULL;
  }
  setField(en, EN_RESULT, result);
  setField(en, EN_ONE, ONE);
  return en;
}

function setIndex(en: Ptr, v: number): void {
  U32[(en + EN_INDEX) >> 2] = v >>> 0;
  I32[(en + EN_INDEX + 4) >> 2] = Math.floor(v / TWO32);
}
function setIndexBig(en: Ptr, v: bigint): void {
  U32[(en + EN_INDEX) >> 2] = Number(v & 0xffffffffn);
  I32[(en + EN_INDEX + 4) >> 2] = Number(BigInt.asIntN(32, v >> 32n));
}

/** ≈ check_keyword: the keyword at `index` of kwnames must be `name`. */
function checkKeyword(kwnames: Ptr, index: number, name: string): boolean {
  const kw = I32[(kwnames + 24 + 8 * index) >> 2];
  if (!unicodeEqualsJs(kw, name)) {
    typeError(`'${unicodeToJs(kw)}' is an invalid keyword argument for enumerate()`);
    return false;
  }
  return true;
}

/** ≈ enum_vectorcall: enumerate(iterable, start=0) with CPython's hand-written argument checks. */
function enum_vectorcall(type: Ptr, args: number, nargs: number, kwnames: Ptr): Ptr {
  const nkw = kwnames === NULL ? 0 : I32[(kwnames + 16) >> 2];
  const arg0 = I32[args >> 2];
  const arg1 = I32[(args + 8) >> 2];
  if (nargs + nkw === 2) {
    if (nkw === 1) {
      if (!checkKeyword(kwnames, 0, 'start')) return NULL;
    } else if (nkw === 2) {
      if (unicodeEqualsJs(I32[(kwnames + 24) >> 2], 'start')) {
        if (!checkKeyword(kwnames, 1, 'iterable')) return NULL;
        return enum_new_impl(type, arg1, arg0);
      }
      if (!checkKeyword(kwnames, 0, 'iterable') || !checkKeyword(kwnames, 1, 'start')) return NULL;
    }
    return enum_new_impl(type, arg0, arg1);
  }
  if (nargs + nkw === 1) {
    if (nkw === 1 && !checkKeyword(kwnames, 0, 'iterable')) return NULL;
    return enum_new_impl(type, arg0, NULL);
  }
  if (nargs === 0) return typeError("enumerate() missing required argument 'iterable'");
  return typeError(`enumerate() takes at most 2 arguments (${nargs + nkw} given)`);
}

/** ≈ enum_new (tp_new, Argument Clinic's parser for (iterable, start=0)). */
function enum_new(type: Ptr, args: Ptr, kwds: Ptr): Ptr {
  const nargs = I32[(args + 16) >> 2];
  const nkw = dictSize(kwds);
  if (nargs + nkw > 2) return typeError(`enumerate() takes at most 2 arguments (${nargs + nkw} given)`);
  let iterable: Ptr = nargs > 0 ? I32[(args + 24) >> 2] : NULL;
  let start: Ptr = nargs > 1 ? I32[(args + 32) >> 2] : NULL;
  if (nkw > 0) {
    for (let pos = PyDict_Next(kwds, 0); pos >= 0; pos = PyDict_Next(kwds, pos)) {
      const key = DICT_NEXT.key;
      const idx = unicodeEqualsJs(key, 'iterable') ? 0 : unicodeEqualsJs(key, 'start') ? 1 : -1;
      if (idx < 0) return typeError(`'${unicodeToJs(key)}' is an invalid keyword argument for enumerate()`);
      if (idx < nargs) return typeError(`argument for enumerate() given by name ('${idx === 0 ? 'iterable' : 'start'}') and position (${idx + 1})`);
      if (idx === 0) iterable = DICT_NEXT.value;
      else start = DICT_NEXT.value;
    }
  }
  if (iterable === NULL) return typeError("enumerate() missing required argument 'iterable' (pos 1)");
  return enum_new_impl(type, iterable, start);
}

/** ≈ enum_dealloc */
function enum_dealloc(en: Ptr): void {
  PyObject_GC_UnTrack(en);
  Py_XDECREF(I32[(en + EN_SIT) >> 2]);
  Py_XDECREF(I32[(en + EN_RESULT) >> 2]);
  Py_XDECREF(I32[(en + EN_LONGINDEX) >> 2]);
  slotsOfObj(en).tp_free!(en);
}

/** ≈ enum_traverse */
function enum_traverse(en: Ptr, visit: visitproc, arg: number): number {
  let r: number;
  const sit = I32[(en + EN_SIT) >> 2];
  if (sit !== NULL && (r = visit(sit, arg)) !== 0) return r;
  const result = I32[(en + EN_RESULT) >> 2];
  if (result !== NULL && (r = visit(result, arg)) !== 0) return r;
  const li = I32[(en + EN_LONGINDEX) >> 2];
  if (li !== NULL && (r = visit(li, arg)) !== 0) return r;
  return 0;
}

/** Put (index, item) into the result: refill the cached tuple when enumerate holds the only
 *  reference, else a new tuple. STEALS index and item. New reference or NULL. */
function enum_result(en: Ptr, index: Ptr, item: Ptr): Ptr {
  let result = I32[(en + EN_RESULT) >> 2];
  if (I32[result >> 2] === 1) {
    I32[result >> 2]++;
    const oldIndex = I32[(result + 24) >> 2];
    const oldItem = I32[(result + 32) >> 2];
    PyTuple_SET_ITEM(result, 0, index);
    PyTuple_SET_ITEM(result, 1, item);
    Py_DECREF(oldIndex);
    Py_DECREF(oldItem);
    // a collection may have untracked the cached tuple: it holds new items now
    if (!_PyObject_GC_IS_TRACKED(result)) PyObject_GC_Track(result);
    return result;
  }
  result = PyTuple_New(2);
  if (result === NULL) {
    Py_DECREF(index);
    Py_DECREF(item);
    return NULL;
  }
  PyTuple_SET_ITEM(result, 0, index);
  PyTuple_SET_ITEM(result, 1, item);
  return result;
}

/** ≈ enum_next_long: the index is counted with int objects. STEALS item. */
function enum_next_long(en: Ptr, item: Ptr): Ptr {
  if (I32[(en + EN_LONGINDEX) >> 2] === NULL) {
    const li = PyLong_FromBigInt(PY_SSIZE_T_MAX);
    if (li === NULL) {
      Py_DECREF(item);
      return NULL;
    }
    setField(en, EN_LONGINDEX, li);
  }
  const nextIndex = I32[(en + EN_LONGINDEX) >> 2];
  const steppedUp = long_add(nextIndex, I32[(en + EN_ONE) >> 2]);
  if (steppedUp === NULL) {
    Py_DECREF(item);
    return NULL;
  }
  setField(en, EN_LONGINDEX, steppedUp);
  return enum_result(en, nextIndex, item);
}

/** ≈ enum_next (tp_iternext): a (index, item) tuple, or NULL at the end / on error. */
function enum_next(en: Ptr): Ptr {
  const it = I32[(en + EN_SIT) >> 2];
  const item = slotsOfObj(it).tp_iternext!(it);
  if (item === NULL) return NULL;
  const p = (en + EN_INDEX) >> 2;
  const lo32 = I32[p], hi = I32[p + 1];
  let index: Ptr;
  if (hi === 0 && lo32 >= 0 && lo32 < 0x7fffffff) {
    // common case: 0 <= index < 2^31 - 1 (int32 reads and writes only)
    index = PyLong_FromNumber(lo32);
    if (index === NULL) {
      Py_DECREF(item);
      return NULL;
    }
    I32[p] = lo32 + 1;
    return enum_result(en, index, item);
  }
  const lo = U32[p];
  if (hi === 0x7fffffff && lo === 0xffffffff) return enum_next_long(en, item);
  if (hi >= -0x200000 && hi < 0x200000) {
    index = PyLong_FromNumber(hi * TWO32 + lo);
  } else {
    index = PyLong_FromBigInt((BigInt(hi) << 32n) | BigInt(lo));
  }
  if (index === NULL) {
    Py_DECREF(item);
    return NULL;
  }
  if (lo !== 0xffffffff) U32[p] = lo + 1;
  else {
    U32[p] = 0;
    I32[p + 1] = hi + 1;
  }
  return enum_result(en, index, item);
}

/** ≈ enum_reduce: (type(en), (en_sit, index)). */
function enum_reduce(en: Ptr): Ptr {
  let index = I32[(en + EN_LONGINDEX) >> 2];
  if (index !== NULL) Py_INCREF(index);
  else {
    const p = (en + EN_INDEX) >> 2;
    index = PyLong_FromBigInt((BigInt(I32[p + 1]) << 32n) | BigInt(U32[p]));
    if (index === NULL) return NULL;
  }
  const inner = PyTuple_Pack2(I32[(en + EN_SIT) >> 2], index);
  Py_DECREF(index);
  if (inner === NULL) return NULL;
  const r = PyTuple_Pack2(I32[(en + OB_TYPE) >> 2], inner);
  Py_DECREF(inner);
  return r;
}

// =====================================================================================
// reversed
// =====================================================================================

let reversedName: Ptr = NULL;
onHeapReset(() => {
  reversedName = NULL;
});

/** ≈ _PyObject_LookupSpecial(o, '__reversed__'): the bound method (new reference), or NULL
 *  with no exception when the type has none (NULL with one if binding failed). */
function lookupReversed(o: Ptr): Ptr {
  if (reversedName === NULL) reversedName = _PyUnicode_InternStatic('__reversed__');
  const t = I32[(o + OB_TYPE) >> 2];
  const d = _PyType_Lookup(t, reversedName);
  if (d === NULL) return NULL;
  const get = slotsOfObj(d).tp_descr_get;
  if (get === undefined) return newRef(d);
  Py_INCREF(d);
  const r = get(d, o, t);
  Py_DECREF(d);
  return r;
}

/** ≈ reversed_new_impl: reversed(seq) for `type`. New reference or NULL. */
function reversed_new_impl(type: Ptr, seq: Ptr): Ptr {
  const meth = lookupReversed(seq);
  if (meth === Py_None) {
    Py_DECREF(meth);
    return typeError(`'${typeName(I32[(seq + OB_TYPE) >> 2])}' object is not reversible`);
  }
  if (meth !== NULL) {
    const res = PyObject_CallNoArgs(meth);
    Py_DECREF(meth);
    return res;
  }
  if (PyErr_Occurred() !== NULL) return NULL;
  if (!PySequence_Check(seq)) return typeError(`'${typeName(I32[(seq + OB_TYPE) >> 2])}' object is not reversible`);
  const n = PySequence_Size(seq);
  if (n === -1) return NULL;
  const ro = PyType_GenericAlloc(type, 0);
  if (ro === NULL) return NULL;
  setRoIndex(ro, n - 1);
  setField(ro, RO_SEQ, newRef(seq));
  return ro;
}

function roIndex(ro: Ptr): number {
  return I32[(ro + RO_INDEX + 4) >> 2] * TWO32 + U32[(ro + RO_INDEX) >> 2];
}
function setRoIndex(ro: Ptr, v: number): void {
  U32[(ro + RO_INDEX) >> 2] = v >>> 0;
  I32[(ro + RO_INDEX + 4) >> 2] = Math.floor(v / TWO32);
}

/** ≈ reversed_vectorcall */
function reversed_vectorcall(type: Ptr, args: number, nargs: number, kwnames: Ptr): Ptr {
  if (kwnames !== NULL && I32[(kwnames + 16) >> 2] !== 0) return typeError('reversed() takes no keyword arguments');
  if (nargs !== 1) return typeError(`reversed expected 1 argument, got ${nargs}`);
  return reversed_new_impl(type, I32[args >> 2]);
}

/** ≈ reversed_new (tp_new) */
function reversed_new(type: Ptr, args: Ptr, kwds: Ptr): Ptr {
  if ((type === PyReversed_Type || slotsOf(type).tp_init === slotsOf(PyReversed_Type).tp_init) && dictSize(kwds) !== 0) {
    return typeError('reversed() takes no keyword arguments');
  }
  const nargs = I32[(args + 16) >> 2];
  if (nargs !== 1) return typeError(`reversed expected 1 argument, got ${nargs}`);
  return reversed_new_impl(type, I32[(args + 24) >> 2]);
}

/** ≈ reversed_dealloc */
function reversed_dealloc(ro: Ptr): void {
  PyObject_GC_UnTrack(ro);
  Py_XDECREF(I32[(ro + RO_SEQ) >> 2]);
  slotsOfObj(ro).tp_free!(ro);
}

/** ≈ reversed_traverse */
function reversed_traverse(ro: Ptr, visit: visitproc, arg: number): number {
  const seq = I32[(ro + RO_SEQ) >> 2];
  return seq !== NULL ? visit(seq, arg) : 0;
}

/** ≈ reversed_next: seq[index--]; NULL at the end (the sequence is released then). */
function reversed_next(ro: Ptr): Ptr {
  const index = roIndex(ro);
  if (index >= 0) {
    const item = PySequence_GetItem(I32[(ro + RO_SEQ) >> 2], index);
    if (item !== NULL) {
      setRoIndex(ro, index - 1);
      return item;
    }
    if (PyErr_ExceptionMatches(PyExc_IndexError) || PyErr_ExceptionMatches(PyExc_StopIteration)) PyErr_Clear();
  }
  setRoIndex(ro, -1);
  const seq = I32[(ro + RO_SEQ) >> 2];
  if (seq !== NULL) {
    setField(ro, RO_SEQ, NULL);
    Py_DECREF(seq);
  }
  return NULL;
}

/** ≈ reversed_len (__length_hint__) */
function reversed_len(ro: Ptr): Ptr {
  const seq = I32[(ro + RO_SEQ) >> 2];
  if (seq === NULL) return PyLong_FromNumber(0);
  const seqsize = PySequence_Size(seq);
  if (seqsize === -1) return NULL;
  const position = roIndex(ro) + 1;
  return PyLong_FromNumber(seqsize < position ? 0 : position);
}

/** ≈ reversed_setstate (__setstate__): the index clipped to [-1, len - 1]. */
function reversed_setstate(ro: Ptr, state: Ptr): Ptr {
  if ((I32[(I32[(state + OB_TYPE) >> 2] + 48) >> 2] & (1 << 24)) === 0) {
    return typeError(`an integer is required`);
  }
  let index = PyNumber_AsSsize_t(state, NULL);
  if (index === -1 && PyErr_Occurred() !== NULL) return NULL;
  const seq = I32[(ro + RO_SEQ) >> 2];
  if (seq !== NULL) {
    const n = PySequence_Size(seq);
    if (n < 0) return NULL;
    if (index < -1) index = -1;
    else if (index > n - 1) index = n - 1;
    setRoIndex(ro, index);
  }
  return newRef(Py_None);
}


function selfIter(o: Ptr): Ptr {
  I32[o >> 2]++;
  return o;
}

// ---- the types ----

export const PyEnum_Type: Ptr = newStaticType({
  name: 'enumerate',
  basicsize: ENUM_BASICSIZE,
  flags: Py_TPFLAGS_HAVE_GC | Py_TPFLAGS_BASETYPE,
  slots: {
    tp_dealloc: enum_dealloc,
    tp_traverse: enum_traverse,
    tp_iter: selfIter,
    tp_iternext: enum_next,
    tp_new: enum_new,
    tp_vectorcall: enum_vectorcall,
    tp_free: PyObject_GC_Del,
    methods: [{ name: '__reduce__', flags: METH_NOARGS, fn: enum_reduce, doc: 'Return state information for pickling.' }],
    doc:
      'Return an enumerate object.\n\n  iterable\n    an object supporting iteration\n\n' +
      'The enumerate object yields pairs containing a count (from start, which\n' +
      'defaults to zero) and a value yielded by the iterable argument.\n\n' +
      'enumerate is useful for obtaining an indexed list:\n    (0, seq[0]), (1, seq[1]), (2, seq[2]), ...',
  },
});

export const PyReversed_Type: Ptr = newStaticType({
  name: 'reversed',
  basicsize: REVERSED_BASICSIZE,
  flags: Py_TPFLAGS_HAVE_GC | Py_TPFLAGS_BASETYPE,
  slots: {
    tp_dealloc: reversed_dealloc,
    tp_traverse: reversed_traverse,
    tp_iter: selfIter,
    tp_iternext: reversed_next,
    tp_new: reversed_new,
    tp_vectorcall: reversed_vectorcall,
    tp_free: PyObject_GC_Del,
    methods: [
      { name: '__length_hint__', flags: METH_NOARGS, fn: reversed_len, doc: 'Private method returning an estimate of len(list(it)).' },
      { name: '__setstate__', flags: METH_O, fn: reversed_setstate, doc: 'Set state information for unpickling.' },
    ],
    doc: 'Return a reverse iterator over the values of the given sequence.',
  },
});
