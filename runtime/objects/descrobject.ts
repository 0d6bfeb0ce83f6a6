// Descriptors of built-in types (≈ Objects/descrobject.c) and the slot wrappers
// (≈ the slotdefs table and wrap_* functions of Objects/typeobject.c).
//
//   getset_descriptor / member_descriptor (48 + GC = 64)
//     16 d_type  24 d_name  32 d_qualname  40 d_getset / d_member (index into a JS table)
//   wrapper_descriptor (56 + GC = 72): `int.__add__`
//     40 d_base (index into slotdefs)  48 d_wrapped (unused: the slot is read from d_type)
//   method-wrapper (32 + GC = 48): `(1).__add__`, a wrapper_descriptor bound to an object
//     16 descr  24 self
//
// A slot wrapper calls the slot function of the type it was made for, through a wrap_* adapter
// that converts between the Python calling convention and the slot's signature.

import {
  type Ptr, NULL as NULL__i, I32 as I32__i, U8 as U8__i,
} from '../mem/heap.js';
const NULL = NULL__i;
const I32 = I32__i;
const U8 = U8__i;
import { Py_DECREF, Py_INCREF, Py_TYPE, Py_XDECREF, HASH_HI, hashToBigInt } from '../object.js';
import {
  newStaticType, type GetSetDef, type MemberDef, type SlotName, Py_TPFLAGS_HAVE_GC, PyObject_TypeCheck,
  typeName, slotsOf, type visitproc, Py_LT, Py_LE, Py_EQ, Py_NE, Py_GT, Py_GE,
} from '../typeobject.js';
import { PyObject_GC_New, PyObject_GC_Del, PyObject_GC_Track, PyObject_GC_UnTrack } from '../gc.js';
import { PyErr_SetString, PyErr_NoMemory, PyErr_Occurred, PyErr_SetNone } from '../errors.js';
import { PyExc_TypeError, PyExc_AttributeError, PyExc_StopIteration } from './exceptions.js';
import { PyUnicode_FromString } from './unicodeobject.js';
import { _PyTuple_FromArray } from './tupleobject.js';
import { Py_None } from './noneobject.js';
import { PyLong_FromNumber, PyLong_FromBigInt } from './longobject.js';
import { PyBool_FromLong } from './boolobject.js';
import { D_TYPE, D_NAME, descrInit, descrName, vectorToTupleDict, TUPLE_DICT } from './methodobject.js';

export const D_GETSET = 40;
export const D_MEMBER = 40;
export const D_BASE = 40;
export const MW_DESCR = 16;
export const MW_SELF = 24;

export const getsetDefs: GetSetDef[] = [];
export const memberDefs: MemberDef[] = [];

function descr_dealloc(o: Ptr): void {
  PyObject_GC_UnTrack(o);
  Py_XDECREF(I32[(o + D_TYPE) >> 2]);
  Py_XDECREF(I32[(o + D_NAME) >> 2]);
  Py_XDECREF(I32[(o + 32) >> 2]);
  PyObject_GC_Del(o);
}
function descr_traverse(o: Ptr, visit: visitproc, arg: number): number {
  const t = I32[(o + D_TYPE) >> 2];
  return t !== NULL ? visit(t, arg) : 0;
}
function descr_check(d: Ptr, obj: Ptr): boolean {
  const t = I32[(d + D_TYPE) >> 2];
  if (!PyObject_TypeCheck(obj, t)) {
    PyErr_SetString(PyExc_TypeError, `descriptor '${descrName(d)}' for '${typeName(t)}' objects doesn't apply to a '${typeName(Py_TYPE(obj))}' object`);
    return false;
  }
  return true;
}

function newDescr(type: Ptr, descrType: Ptr, name: string, size: number): Ptr {
  const d = PyObject_GC_New(descrType);
  if (d === NULL) return PyErr_NoMemory();
  I32.fill(0, (d + 16) >> 2, (d + size) >> 2);
  if (!descrInit(d, type, name)) { Py_DECREF(d); return NULL; }
  return d;
}

// ---- getset_descriptor ----
function getset_get(d: Ptr, obj: Ptr, _type: Ptr): Ptr {
  if (obj === NULL) { Py_INCREF(d); return d; }
  if (!descr_check(d, obj)) return NULL;
  return getsetDefs[I32[(d + D_GETSET) >> 2]].get(obj);
}
function getset_set(d: Ptr, obj: Ptr, v: Ptr): number {
  if (!descr_check(d, obj)) return -1;
  const gs = getsetDefs[I32[(d + D_GETSET) >> 2]];
  if (gs.set === undefined) {
    PyErr_SetString(PyExc_AttributeError, `attribute '${gs.name}' of '${typeName(I32[(d + D_TYPE) >> 2])}' objects is not writable`);
    return -1;
  }
  return gs.set(obj, v);
}
function getset_repr(d: Ptr): Ptr {
  return PyUnicode_FromString(`<attribute '${descrName(d)}' of '${typeName(I32[(d + D_TYPE) >> 2])}' objects>`);
}
export const PyGetSetDescr_Type: Ptr = newStaticType({
  name: 'getset_descriptor', basicsize: 48, flags: Py_TPFLAGS_HAVE_GC,
  slots: { tp_dealloc: descr_dealloc, tp_traverse: descr_traverse, tp_descr_get: getset_get, tp_descr_set: getset_set, tp_repr: getset_repr },
});
export function PyDescr_NewGetSet(type: Ptr, gs: GetSetDef): Ptr {
  const d = newDescr(type, PyGetSetDescr_Type, gs.name, 48);
  if (d === NULL) return NULL;
  I32[(d + D_GETSET) >> 2] = getsetDefs.push(gs) - 1;
  PyObject_GC_Track(d);
  return d;
}

// ---- member_descriptor ----
function member_get(d: Ptr, obj: Ptr, _type: Ptr): Ptr {
  if (obj === NULL) { Py_INCREF(d); return d; }
  if (!descr_check(d, obj)) return NULL;
  const m = memberDefs[I32[(d + D_MEMBER) >> 2]];
  const addr = obj + m.offset;
  switch (m.kind) {
    case 'object':
    case 'object_ex': {
      const v = I32[addr >> 2];
      if (v === NULL) {
        if (m.kind === 'object') { Py_INCREF(Py_None); return Py_None; }
        PyErr_SetString(PyExc_AttributeError, `'${typeName(Py_TYPE(obj))}' object has no attribute '${m.name}'`);
        return NULL;
      }
      Py_INCREF(v);
      return v;
    }
    case 'int':
      return PyLong_FromNumber(I32[addr >> 2]);
    case 'bool':
      return PyBool_FromLong(U8[addr]);
  }
}
function member_set(d: Ptr, obj: Ptr, v: Ptr): number {
  if (!descr_check(d, obj)) return -1;
  const m = memberDefs[I32[(d + D_MEMBER) >> 2]];
  if (m.readonly) {
    PyErr_SetString(PyExc_AttributeError, 'readonly attribute');
    return -1;
  }
  if (m.kind !== 'object' && m.kind !== 'object_ex') throw new Error('pymem bug: writable non-object member');
  const addr = obj + m.offset;
  const old = I32[addr >> 2];
  if (v === NULL && m.kind === 'object_ex' && old === NULL) {
    PyErr_SetString(PyExc_AttributeError, m.name);
    return -1;
  }
  if (v !== NULL) Py_INCREF(v);
  I32[addr >> 2] = v;
  I32[(addr >> 2) + 1] = 0;
  Py_XDECREF(old);
  return 0;
}
function member_repr(d: Ptr): Ptr {
  return PyUnicode_FromString(`<member '${descrName(d)}' of '${typeName(I32[(d + D_TYPE) >> 2])}' objects>`);
}
export const PyMemberDescr_Type: Ptr = newStaticType({
  name: 'member_descriptor', basicsize: 48, flags: Py_TPFLAGS_HAVE_GC,
  slots: { tp_dealloc: descr_dealloc, tp_traverse: descr_traverse, tp_descr_get: member_get, tp_descr_set: member_set, tp_repr: member_repr },
});
export function PyDescr_NewMember(type: Ptr, m: MemberDef): Ptr {
  const d = newDescr(type, PyMemberDescr_Type, m.name, 48);
  if (d === NULL) return NULL;
  I32[(d + D_MEMBER) >> 2] = memberDefs.push(m) - 1;
  PyObject_GC_Track(d);
  return d;
}

// ---- slot wrappers ----
/** How a slot wrapper turns Python arguments into a slot call. `fn` is the slot function. */
type WrapKind =
  | 'unary' | 'binary_l' | 'binary_r' | 'ternary' | 'ternary_r' | 'richcmp' | 'hash' | 'len'
  | 'inquiry' | 'objobjproc' | 'objobjarg' | 'delitem' | 'sq_item' | 'sq_ass_item' | 'sq_del_item'
  | 'indexarg' | 'next' | 'call' | 'init' | 'setattr' | 'delattr' | 'descr_get' | 'descr_set'
  | 'descr_delete' | 'del';

export interface SlotDef {
  name: string;
  slot: SlotName;
  kind: WrapKind;
  op?: number;
}

/** ≈ slotdefs (order matters: the first definition of a name wins, as in add_operators). */
export const slotdefs: SlotDef[] = [
  { name: '__getattribute__', slot: 'tp_getattro', kind: 'binary_l' },
  { name: '__setattr__', slot: 'tp_setattro', kind: 'setattr' },
  { name: '__delattr__', slot: 'tp_setattro', kind: 'delattr' },
  { name: '__repr__', slot: 'tp_repr', kind: 'unary' },
  { name: '__hash__', slot: 'tp_hash', kind: 'hash' },
  { name: '__call__', slot: 'tp_call', kind: 'call' },
  { name: '__str__', slot: 'tp_str', kind: 'unary' },
  { name: '__lt__', slot: 'tp_richcompare', kind: 'richcmp', op: Py_LT },
  { name: '__le__', slot: 'tp_richcompare', kind: 'richcmp', op: Py_LE },
  { name: '__eq__', slot: 'tp_richcompare', kind: 'richcmp', op: Py_EQ },
  { name: '__ne__', slot: 'tp_richcompare', kind: 'richcmp', op: Py_NE },
  { name: '__gt__', slot: 'tp_richcompare', kind: 'richcmp', op: Py_GT },
  { name: '__ge__', slot: 'tp_richcompare', kind: 'richcmp', op: Py_GE },
  { name: '__iter__', slot: 'tp_iter', kind: 'unary' },
  { name: '__next__', slot: 'tp_iternext', kind: 'next' },
  { name: '__get__', slot: 'tp_descr_get', kind: 'descr_get' },
  { name: '__set__', slot: 'tp_descr_set', kind: 'descr_set' },
  { name: '__delete__', slot: 'tp_descr_set', kind: 'descr_delete' },
  { name: '__init__', slot: 'tp_init', kind: 'init' },
  { name: '__del__', slot: 'tp_finalize', kind: 'del' },
  { name: '__add__', slot: 'nb_add', kind: 'binary_l' },
  { name: '__radd__', slot: 'nb_add', kind: 'binary_r' },
  { name: '__sub__', slot: 'nb_subtract', kind: 'binary_l' },
  { name: '__rsub__', slot: 'nb_subtract', kind: 'binary_r' },
  { name: '__mul__', slot: 'nb_multiply', kind: 'binary_l' },
  { name: '__rmul__', slot: 'nb_multiply', kind: 'binary_r' },
  { name: '__mod__', slot: 'nb_remainder', kind: 'binary_l' },
  { name: '__rmod__', slot: 'nb_remainder', kind: 'binary_r' },
  { name: '__divmod__', slot: 'nb_divmod', kind: 'binary_l' },
  { name: '__rdivmod__', slot: 'nb_divmod', kind: 'binary_r' },
  { name: '__pow__', slot: 'nb_power', kind: 'ternary' },
  { name: '__rpow__', slot: 'nb_power', kind: 'ternary_r' },
  { name: '__neg__', slot: 'nb_negative', kind: 'unary' },
  { name: '__pos__', slot: 'nb_positive', kind: 'unary' },
  { name: '__abs__', slot: 'nb_absolute', kind: 'unary' },
  { name: '__bool__', slot: 'nb_bool', kind: 'inquiry' },
  { name: '__invert__', slot: 'nb_invert', kind: 'unary' },
  { name: '__lshift__', slot: 'nb_lshift', kind: 'binary_l' },
  { name: '__rlshift__', slot: 'nb_lshift', kind: 'binary_r' },
  { name: '__rshift__', slot: 'nb_rshift', kind: 'binary_l' },
  { name: '__rrshift__', slot: 'nb_rshift', kind: 'binary_r' },
  { name: '__and__', slot: 'nb_and', kind: 'binary_l' },
  { name: '__rand__', slot: 'nb_and', kind: 'binary_r' },
  { name: '__xor__', slot: 'nb_xor', kind: 'binary_l' },
  { name: '__rxor__', slot: 'nb_xor', kind: 'binary_r' },
  { name: '__or__', slot: 'nb_or', kind: 'binary_l' },
  { name: '__ror__', slot: 'nb_or', kind: 'binary_r' },
  { name: '__int__', slot: 'nb_int', kind: 'unary' },
  { name: '__float__', slot: 'nb_float', kind: 'unary' },
  { name: '__iadd__', slot: 'nb_inplace_add', kind: 'binary_l' },
  { name: '__isub__', slot: 'nb_inplace_subtract', kind: 'binary_l' },
  { name: '__imul__', slot: 'nb_inplace_multiply', kind: 'binary_l' },
  { name: '__imod__', slot: 'nb_inplace_remainder', kind: 'binary_l' },
  { name: '__ipow__', slot: 'nb_inplace_power', kind: 'ternary' },
  { name: '__ilshift__', slot: 'nb_inplace_lshift', kind: 'binary_l' },
  { name: '__irshift__', slot: 'nb_inplace_rshift', kind: 'binary_l' },
  { name: '__iand__', slot: 'nb_inplace_and', kind: 'binary_l' },
  { name: '__ixor__', slot: 'nb_inplace_xor', kind: 'binary_l' },
  { name: '__ior__', slot: 'nb_inplace_or', kind: 'binary_l' },
  { name: '__floordiv__', slot: 'nb_floor_divide', kind: 'binary_l' },
  { name: '__rfloordiv__', slot: 'nb_floor_divide', kind: 'binary_r' },
  { name: '__truediv__', slot: 'nb_true_divide', kind: 'binary_l' },
  { name: '__rtruediv__', slot: 'nb_true_divide', kind: 'binary_r' },
  { name: '__ifloordiv__', slot: 'nb_inplace_floor_divide', kind: 'binary_l' },
  { name: '__itruediv__', slot: 'nb_inplace_true_divide', kind: 'binary_l' },
  { name: '__index__', slot: 'nb_index', kind: 'unary' },
  { name: '__matmul__', slot: 'nb_matrix_multiply', kind: 'binary_l' },
  { name: '__rmatmul__', slot: 'nb_matrix_multiply', kind: 'binary_r' },
  { name: '__len__', slot: 'mp_length', kind: 'len' },
  { name: '__getitem__', slot: 'mp_subscript', kind: 'binary_l' },
  { name: '__setitem__', slot: 'mp_ass_subscript', kind: 'objobjarg' },
  { name: '__delitem__', slot: 'mp_ass_subscript', kind: 'delitem' },
  { name: '__len__', slot: 'sq_length', kind: 'len' },
  { name: '__add__', slot: 'sq_concat', kind: 'binary_l' },
  { name: '__mul__', slot: 'sq_repeat', kind: 'indexarg' },
  { name: '__rmul__', slot: 'sq_repeat', kind: 'indexarg' },
  { name: '__getitem__', slot: 'sq_item', kind: 'sq_item' },
  { name: '__setitem__', slot: 'sq_ass_item', kind: 'sq_ass_item' },
  { name: '__delitem__', slot: 'sq_ass_item', kind: 'sq_del_item' },
  { name: '__contains__', slot: 'sq_contains', kind: 'objobjproc' },
  { name: '__iadd__', slot: 'sq_inplace_concat', kind: 'binary_l' },
  { name: '__imul__', slot: 'sq_inplace_repeat', kind: 'indexarg' },
];

// index conversion for sq_* wrappers, provided by abstract.ts (PyNumber_AsSsize_t) via a hook
let asSsize: ((o: Ptr) => number) | null = null;
export function setIndexConverter(f: (o: Ptr) => number): void {
  asSsize = f;
}

function argCount(name: string, want: number, got: number): boolean {
  if (got !== want) {
    PyErr_SetString(PyExc_TypeError, `expected ${want} argument${want === 1 ? '' : 's'}, got ${got}`);
    return false;
  }
  return true;
}
function noneOr(r: number): Ptr {
  if (r < 0) return NULL;
  Py_INCREF(Py_None);
  return Py_None;
}

/** Run slotdef `sd` with slot function `fn` for `self` and vectorcall arguments. New ref or NULL. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function callSlotWrapper(sd: SlotDef, fn: any, self: Ptr, args: number, nargs: number, kwnames: Ptr): Ptr {
  const a0 = nargs > 0 ? I32[args >> 2] : NULL;
  const a1 = nargs > 1 ? I32[(args + 8) >> 2] : NULL;
  if (kwnames !== NULL && sd.kind !== 'call' && sd.kind !== 'init') {
    PyErr_SetString(PyExc_TypeError, `wrapper ${sd.name}() takes no keyword arguments`);
    return NULL;
  }
  switch (sd.kind) {
    case 'unary':
      return argCount(sd.name, 0, nargs) ? fn(self) : NULL;
    case 'binary_l':
      return argCount(sd.name, 1, nargs) ? fn(self, a0) : NULL;
    case 'binary_r':
      return argCount(sd.name, 1, nargs) ? fn(a0, self) : NULL;
    case 'ternary':
      if (nargs < 1 || nargs > 2) {
        PyErr_SetString(PyExc_TypeError, `expected 1 or 2 arguments, got ${nargs}`);
        return NULL;
      }
      return fn(self, a0, nargs === 2 ? a1 : Py_None);
    case 'ternary_r':
      if (nargs < 1 || nargs > 2) {
        PyErr_SetString(PyExc_TypeError, `expected 1 or 2 arguments, got ${nargs}`);
        return NULL;
      }
      return fn(a0, self, nargs === 2 ? a1 : Py_None);
    case 'richcmp':
      return argCount(sd.name, 1, nargs) ? fn(self, a0, sd.op) : NULL;
    case 'hash': {
      if (!argCount(sd.name, 0, nargs)) return NULL;
      const lo = fn(self) | 0;
      const hi = HASH_HI[0];
      if (lo === -1 && hi === -1 && PyErr_Occurred() !== NULL) return NULL;
      return hi === lo >> 31 ? PyLong_FromNumber(lo) : PyLong_FromBigInt(hashToBigInt(lo, hi));
    }
    case 'len': {
      if (!argCount(sd.name, 0, nargs)) return NULL;
      const n = fn(self);
      return n < 0 ? NULL : PyLong_FromNumber(n);
    }
    case 'inquiry': {
      if (!argCount(sd.name, 0, nargs)) return NULL;
      const r = fn(self);
      return r < 0 ? NULL : PyBool_FromLong(r);
    }
    case 'objobjproc': {
      if (!argCount(sd.name, 1, nargs)) return NULL;
      const r = fn(self, a0);
      return r < 0 ? NULL : PyBool_FromLong(r);
    }
    case 'objobjarg':
      return argCount(sd.name, 2, nargs) ? noneOr(fn(self, a0, a1)) : NULL;
    case 'delitem':
      return argCount(sd.name, 1, nargs) ? noneOr(fn(self, a0, NULL)) : NULL;
    case 'indexarg':
    case 'sq_item':
    case 'sq_ass_item':
    case 'sq_del_item': {
      const want = sd.kind === 'sq_ass_item' ? 2 : 1;
      if (!argCount(sd.name, want, nargs)) return NULL;
      const i = asSsize!(a0);
      if (i === -1 && PyErr_Occurred() !== NULL) return NULL;
      if (sd.kind === 'indexarg' || sd.kind === 'sq_item') return fn(self, i);
      return noneOr(fn(self, i, sd.kind === 'sq_ass_item' ? a1 : NULL));
    }
    case 'next': {
      if (!argCount(sd.name, 0, nargs)) return NULL;
      const r = fn(self);
      if (r === NULL && PyErr_Occurred() === NULL) PyErr_SetNone(PyExc_StopIteration);
      return r;
    }
    case 'call':
    case 'init': {
      if (!vectorToTupleDict(args, nargs, kwnames)) return NULL;
      const tuple = TUPLE_DICT[0];
      const kw = TUPLE_DICT[1];
      const r = fn(self, tuple, kw);
      Py_DECREF(tuple);
      Py_XDECREF(kw);
      return sd.kind === 'init' ? noneOr(r) : r;
    }
    case 'setattr':
      return argCount(sd.name, 2, nargs) ? noneOr(fn(self, a0, a1)) : NULL;
    case 'delattr':
      return argCount(sd.name, 1, nargs) ? noneOr(fn(self, a0, NULL)) : NULL;
    case 'descr_get': {
      if (nargs < 1 || nargs > 2) {
        PyErr_SetString(PyExc_TypeError, `expected 1 or 2 arguments, got ${nargs}`);
        return NULL;
      }
      const obj = a0 === Py_None ? NULL : a0;
      const type = nargs === 2 && a1 !== Py_None ? a1 : NULL;
      if (obj === NULL && type === NULL) {
        PyErr_SetString(PyExc_TypeError, '__get__(None, None) is invalid');
        return NULL;
      }
      return fn(self, obj, type);
    }
    case 'descr_set':
      return argCount(sd.name, 2, nargs) ? noneOr(fn(self, a0, a1)) : NULL;
    case 'descr_delete':
      return argCount(sd.name, 1, nargs) ? noneOr(fn(self, a0, NULL)) : NULL;
    case 'del':
      if (!argCount(sd.name, 0, nargs)) return NULL;
      fn(self);
      return PyErr_Occurred() !== NULL ? NULL : noneOr(0);
  }
}

function wrapperSlotFn(d: Ptr): unknown {
  const sd = slotdefs[I32[(d + D_BASE) >> 2]];
  return (slotsOf(I32[(d + D_TYPE) >> 2]) as unknown as Record<string, unknown>)[sd.slot];
}

function wrapperdescr_vectorcall(d: Ptr, args: number, nargs: number, kwnames: Ptr): Ptr {
  const sd = slotdefs[I32[(d + D_BASE) >> 2]];
  if (nargs < 1) {
    PyErr_SetString(PyExc_TypeError, `descriptor '${sd.name}' of '${typeName(I32[(d + D_TYPE) >> 2])}' object needs an argument`);
    return NULL;
  }
  const self = I32[args >> 2];
  if (!descr_check(d, self)) return NULL;
  return callSlotWrapper(sd, wrapperSlotFn(d), self, args + 8, nargs - 1, kwnames);
}
function wrapperdescr_get(d: Ptr, obj: Ptr, _type: Ptr): Ptr {
  if (obj === NULL) { Py_INCREF(d); return d; }
  if (!descr_check(d, obj)) return NULL;
  return PyWrapper_New(d, obj);
}
function wrapperdescr_repr(d: Ptr): Ptr {
  return PyUnicode_FromString(`<slot wrapper '${descrName(d)}' of '${typeName(I32[(d + D_TYPE) >> 2])}' objects>`);
}
export const PyWrapperDescr_Type: Ptr = newStaticType({
  name: 'wrapper_descriptor', basicsize: 56, flags: Py_TPFLAGS_HAVE_GC,
  slots: { tp_dealloc: descr_dealloc, tp_traverse: descr_traverse, ob_vectorcall: wrapperdescr_vectorcall, tp_descr_get: wrapperdescr_get, tp_repr: wrapperdescr_repr },
});
/** ≈ PyDescr_NewWrapper. New reference or NULL. */
export function PyDescr_NewWrapper(type: Ptr, slotdefIndex: number): Ptr {
  const d = newDescr(type, PyWrapperDescr_Type, slotdefs[slotdefIndex].name, 56);
  if (d === NULL) return NULL;
  I32[(d + D_BASE) >> 2] = slotdefIndex;
  PyObject_GC_Track(d);
  return d;
}

// ---- method-wrapper ----
function wrapper_dealloc(o: Ptr): void {
  PyObject_GC_UnTrack(o);
  Py_XDECREF(I32[(o + MW_DESCR) >> 2]);
  Py_XDECREF(I32[(o + MW_SELF) >> 2]);
  PyObject_GC_Del(o);
}
function wrapper_traverse(o: Ptr, visit: visitproc, arg: number): number {
  let r = visit(I32[(o + MW_DESCR) >> 2], arg);
  if (r) return r;
  r = visit(I32[(o + MW_SELF) >> 2], arg);
  return r;
}
function wrapper_vectorcall(w: Ptr, args: number, nargs: number, kwnames: Ptr): Ptr {
  const d = I32[(w + MW_DESCR) >> 2];
  return callSlotWrapper(slotdefs[I32[(d + D_BASE) >> 2]], wrapperSlotFn(d), I32[(w + MW_SELF) >> 2], args, nargs, kwnames);
}
function wrapper_repr(w: Ptr): Ptr {
  const d = I32[(w + MW_DESCR) >> 2];
  const self = I32[(w + MW_SELF) >> 2];
  return PyUnicode_FromString(`<method-wrapper '${descrName(d)}' of ${typeName(Py_TYPE(self))} object at 0x${self.toString(16)}>`);
}
export const PyMethodWrapper_Type: Ptr = newStaticType({
  name: 'method-wrapper', basicsize: 32, flags: Py_TPFLAGS_HAVE_GC,
  slots: { tp_dealloc: wrapper_dealloc, tp_traverse: wrapper_traverse, ob_vectorcall: wrapper_vectorcall, tp_repr: wrapper_repr },
});
export function PyWrapper_New(d: Ptr, self: Ptr): Ptr {
  const w = PyObject_GC_New(PyMethodWrapper_Type);
  if (w === NULL) return PyErr_NoMemory();
  Py_INCREF(d);
  Py_INCREF(self);
  I32[(w + MW_DESCR) >> 2] = d;
  I32[(w + MW_DESCR + 4) >> 2] = 0;
  I32[(w + MW_SELF) >> 2] = self;
  I32[(w + MW_SELF + 4) >> 2] = 0;
  PyObject_GC_Track(w);
  return w;
}
