import { describe, it, expect } from 'vitest';
import { I32 } from '../../../runtime/mem/heap.js';
import { PyObject_Free } from '../../../runtime/mem/pymem.js';
import { Py_DECREF, PyObject_New, Py_REFCNT } from '../../../runtime/object.js';
import { newStaticType, Py_LT, Py_EQ, Py_NE, Py_GT, type Slots } from '../../../runtime/typeobject.js';
import {
  PyNumber_Add, PyNumber_Multiply, PyNumber_Subtract, PyNumber_InPlaceAdd, PyNumber_Power, PyNumber_InPlacePower,
  PyNumber_Negative, PyNumber_Absolute, PyNumber_Invert, PyNumber_Index, PyNumber_AsSsize_t, PyNumber_Long, PyNumber_Float,
  PyObject_RichCompare, PyObject_RichCompareBool, PyObject_Hash, PyObject_IsTrue, PyObject_Repr, PyObject_Str,
  PyObject_GetItem, PyObject_SetItem, PyObject_DelItem, PyObject_Size, PyObject_GetIter, PySequence_Contains,
  PyObject_HashNotImplemented, PyNumber_MatrixMultiply, PyNumber_InPlaceMultiply, PyNumber_ToBase, PyObject_ASCII,
} from '../../../runtime/abstract.js';
import { Py_None, Py_NotImplemented } from '../../../runtime/objects/noneobject.js';
import { Py_True, Py_False } from '../../../runtime/objects/boolobject.js';
import { PyUnicode_FromString } from '../../../runtime/objects/unicodeobject.js';
import { PyExc_OverflowError } from '../../../runtime/objects/exceptions.js';
import { int, flt, take, liveBlocks } from './objects/numbers_helpers.js';

/** A little static type whose slots log their calls. */
const log: string[] = [];
function notImpl(): number {
  I32[Py_NotImplemented >> 2]++;
  return Py_NotImplemented;
}
function mkType(name: string, slots: Partial<Slots>, base?: number): number {
  return newStaticType({ name, basicsize: 16, base, slots: { tp_dealloc: (o) => PyObject_Free(o), ...slots } });
}
const A = mkType('A', {
  nb_add: (a, b) => { log.push('A.add'); return a === b ? int(2) : notImpl(); },
  tp_richcompare: (_a, _b, op) => { log.push(`A.cmp${op}`); return notImpl(); },
});
const B = mkType('B', {
  nb_add: () => { log.push('B.add'); return int(42); },
  tp_richcompare: (_a, _b, op) => { log.push(`B.cmp${op}`); I32[Py_True >> 2]++; return Py_True; },
}, A);
const C = mkType('C', {});
const Seq = mkType('Seq', {
  sq_length: () => 3,
  sq_item: (_o, i) => (i >= 0 && i < 3 ? int(i * 10) : (log.push(`index ${i}`), 0)),
  sq_repeat: (_o, n) => int(n),
  sq_concat: () => int(-1),
});

describe('abstract protocols', () => {
  it('binary ops: a subclass right operand goes first, NotImplemented falls through', () => {
    const a = PyObject_New(A);
    const b = PyObject_New(B);
    log.length = 0;
    expect(take(PyNumber_Add(a, b))).toBe('42');
    expect(log).toEqual(['B.add']); // B is a subclass of A: tried first, and wins
    log.length = 0;
    expect(take(PyNumber_Add(a, a))).toBe('2');
    expect(log).toEqual(['A.add']); // same type: slotw is not tried
    const c = PyObject_New(C);
    expect(take(PyNumber_Add(a, c))).toEqual({ err: 'TypeError', msg: "unsupported operand type(s) for +: 'A' and 'C'" });
    const one = int(1);
    const s = PyUnicode_FromString('x');
    expect(take(PyNumber_Add(one, s))).toEqual({ err: 'TypeError', msg: "unsupported operand type(s) for +: 'int' and 'str'" });
    expect(take(PyNumber_InPlaceAdd(one, Py_None))).toEqual({ err: 'TypeError', msg: "unsupported operand type(s) for +=: 'int' and 'NoneType'" });
    expect(take(PyNumber_Power(one, s, Py_None))).toEqual({ err: 'TypeError', msg: "unsupported operand type(s) for ** or pow(): 'int' and 'str'" });
    expect(take(PyNumber_Power(one, s, one))).toEqual({ err: 'TypeError', msg: "unsupported operand type(s) for pow(): 'int', 'str', 'int'" });
    expect(take(PyNumber_InPlacePower(one, s, Py_None))).toEqual({ err: 'TypeError', msg: "unsupported operand type(s) for **=: 'int' and 'str'" });
    expect(take(PyNumber_MatrixMultiply(one, one))).toEqual({ err: 'TypeError', msg: "unsupported operand type(s) for @: 'int' and 'int'" });
    expect(take(PyNumber_Negative(s))).toEqual({ err: 'TypeError', msg: "bad operand type for unary -: 'str'" });
    expect(take(PyNumber_Absolute(s))).toEqual({ err: 'TypeError', msg: "bad operand type for abs(): 'str'" });
    expect(take(PyNumber_Invert(flt(1.5)))).toEqual({ err: 'TypeError', msg: "bad operand type for unary ~: 'float'" });
    // mixed int/float through the float slots
    expect(take(PyNumber_Subtract(one, flt(0.5)))).toEqual({ f: '3fe0000000000000' });
    for (const o of [a, b, c, one, s]) Py_DECREF(o);
  });

  it('sequence fallbacks for + and *, with index conversion', () => {
    const q = PyObject_New(Seq);
    const three = int(3);
    expect(take(PyNumber_Multiply(q, three))).toBe('3');
    expect(take(PyNumber_Multiply(three, q))).toBe('3');
    expect(take(PyNumber_InPlaceMultiply(q, three))).toBe('3');
    expect(take(PyNumber_Multiply(q, flt(2)))).toEqual({ err: 'TypeError', msg: "can't multiply sequence by non-int of type 'float'" });
    const huge = int(2n ** 70n);
    expect(take(PyNumber_Multiply(q, huge))).toEqual({ err: 'OverflowError', msg: "cannot fit 'int' into an index-sized integer" });
    expect(take(PyNumber_Add(q, three))).toBe('-1');
    for (const o of [q, three, huge]) Py_DECREF(o);
  });

  it('rich comparison: reflected subclass first, identity fallback, TypeError', () => {
    const a = PyObject_New(A);
    const b = PyObject_New(B);
    const c = PyObject_New(C);
    log.length = 0;
    expect(take(PyObject_RichCompare(a, b, Py_LT))).toBe(true);
    expect(log).toEqual([`B.cmp${Py_GT}`]);
    log.length = 0;
    expect(take(PyObject_RichCompare(a, c, Py_EQ))).toBe(false);
    expect(take(PyObject_RichCompare(a, a, Py_EQ))).toBe(true);
    expect(take(PyObject_RichCompare(a, c, Py_NE))).toBe(true);
    expect(take(PyObject_RichCompare(a, c, Py_LT))).toEqual({ err: 'TypeError', msg: "'<' not supported between instances of 'A' and 'C'" });
    log.length = 0;
    expect(PyObject_RichCompareBool(a, a, Py_EQ)).toBe(1); // identity shortcut: no slot call
    expect(log).toEqual([]);
    const nan = flt(NaN);
    expect(PyObject_RichCompareBool(nan, nan, Py_EQ)).toBe(1);
    expect(take(PyObject_RichCompare(nan, nan, Py_EQ))).toBe(false);
    const one = int(1);
    const s = PyUnicode_FromString('1');
    expect(take(PyObject_RichCompare(one, s, Py_GT))).toEqual({ err: 'TypeError', msg: "'>' not supported between instances of 'int' and 'str'" });
    for (const o of [a, b, c, nan, one, s]) Py_DECREF(o);
  });

  it('hash, truth, repr/str defaults and messages', () => {
    const c = PyObject_New(C);
    expect(take(PyObject_Repr(c))).toBe(`<C object at 0x${c.toString(16)}>`);
    expect(take(PyObject_Str(c))).toBe(`<C object at 0x${c.toString(16)}>`);
    expect(PyObject_IsTrue(c)).toBe(1);
    const q = PyObject_New(Seq);
    expect(PyObject_IsTrue(q)).toBe(1);
    const L = mkType('list', { tp_hash: PyObject_HashNotImplemented });
    const l = PyObject_New(L);
    expect(PyObject_Hash(l)).toBe(-1);
    expect(take(0)).toEqual({ err: 'TypeError', msg: "unhashable type: 'list'" });
    const u = PyUnicode_FromString('é☃');
    expect(take(PyObject_ASCII(u))).toBe("'\\xe9\\u2603'");
    for (const o of [c, q, l, u]) Py_DECREF(o);
  });

  it('items, length, iteration and containment with CPython messages', () => {
    const q = PyObject_New(Seq);
    const neg = int(-1);
    expect(take(PyObject_GetItem(q, neg))).toBe('20'); // negative index: len added
    expect(take(PyObject_GetItem(q, flt(1)))).toEqual({ err: 'TypeError', msg: "sequence index must be integer, not 'float'" });
    const one = int(1);
    expect(take(PyObject_GetItem(one, one))).toEqual({ err: 'TypeError', msg: "'int' object is not subscriptable" });
    expect(PyObject_SetItem(one, one, one)).toBe(-1);
    expect(take(0)).toEqual({ err: 'TypeError', msg: "'int' object does not support item assignment" });
    expect(PyObject_DelItem(one, one)).toBe(-1);
    expect(take(0)).toEqual({ err: 'TypeError', msg: "'int' object doesn't support item deletion" });
    expect(PyObject_Size(q)).toBe(3);
    expect(PyObject_Size(one)).toBe(-1);
    expect(take(0)).toEqual({ err: 'TypeError', msg: "object of type 'int' has no len()" });
    expect(take(PyObject_GetIter(one))).toEqual({ err: 'TypeError', msg: "'int' object is not iterable" });
    expect(PySequence_Contains(one, one)).toBe(-1);
    expect(take(0)).toEqual({ err: 'TypeError', msg: "argument of type 'int' is not iterable" });
    for (const o of [q, neg, one]) Py_DECREF(o);
  });

  it('index, int(), float() conversions', () => {
    const before = liveBlocks();
    const f = flt(2.75);
    expect(take(PyNumber_Index(f))).toEqual({ err: 'TypeError', msg: "'float' object cannot be interpreted as an integer" });
    expect(take(PyNumber_Long(f))).toBe('2');
    expect(take(PyNumber_Long(Py_None))).toEqual({
      err: 'TypeError', msg: "int() argument must be a string, a bytes-like object or a real number, not 'NoneType'",
    });
    expect(take(PyNumber_Float(Py_True))).toEqual({ f: '3ff0000000000000' });
    expect(take(PyNumber_Float(Py_None))).toEqual({ err: 'TypeError', msg: "float() argument must be a string or a real number, not 'NoneType'" });
    const s = PyUnicode_FromString(' 12 ');
    expect(take(PyNumber_Long(s))).toBe('12');
    expect(take(PyNumber_Float(s))).toEqual({ f: '4028000000000000' });
    const big = int(2n ** 64n);
    expect(PyNumber_AsSsize_t(big, PyExc_OverflowError)).toBe(-1);
    expect(take(0)).toEqual({ err: 'OverflowError', msg: "cannot fit 'int' into an index-sized integer" });
    expect(PyNumber_AsSsize_t(big, 0)).toBe(2 ** 63 - 1); // clamped
    expect(take(PyNumber_ToBase(big, 16))).toBe('0x10000000000000000');
    expect(take(PyNumber_ToBase(Py_False, 2))).toBe('0b0');
    for (const o of [f, s, big]) Py_DECREF(o);
    expect(liveBlocks()).toBe(before);
    expect(Py_REFCNT(Py_None)).toBeGreaterThan(0);
  });
});
