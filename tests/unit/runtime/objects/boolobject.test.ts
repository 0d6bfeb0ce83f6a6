import { describe, it, expect } from 'vitest';
import { Py_REFCNT, Py_DECREF, HASH_HI, hashToBigInt } from '../../../../runtime/object.js';
import { PyType_IsSubtype, typeName, slotsOf, typeHasFlag, Py_TPFLAGS_LONG_SUBCLASS, Py_TPFLAGS_BASETYPE } from '../../../../runtime/typeobject.js';
import { Py_True, Py_False, PyBool_Type, PyBool_FromLong, PyBool_Check } from '../../../../runtime/objects/boolobject.js';
import { PyLong_Type, long_sizeof, PyLong_Check, compactValue } from '../../../../runtime/objects/longobject.js';
import {
  PyObject_Repr, PyObject_Str, PyObject_Hash, PyNumber_And, PyNumber_Or, PyNumber_Xor, PyNumber_Add, PyNumber_Invert,
  PyNumber_Negative, PyObject_IsTrue,
} from '../../../../runtime/abstract.js';
import { Py_None } from '../../../../runtime/objects/noneobject.js';
import { fixtures, take, int, flt, argSlots, freeSlots, liveBlocks } from './numbers_helpers.js';

describe('bool', () => {
  it('is a final int subclass whose two instances are PyLongObjects', () => {
    expect(PyType_IsSubtype(PyBool_Type, PyLong_Type)).toBe(true);
    expect(typeHasFlag(PyBool_Type, Py_TPFLAGS_LONG_SUBCLASS)).toBe(true);
    expect(typeHasFlag(PyBool_Type, Py_TPFLAGS_BASETYPE)).toBe(false);
    expect(typeName(PyBool_Type)).toBe('bool');
    expect(PyLong_Check(Py_True)).toBe(true);
    expect(PyBool_Check(Py_True) && PyBool_Check(Py_False)).toBe(true);
    expect(compactValue(Py_True)).toBe(1);
    expect(compactValue(Py_False)).toBe(0);
    expect(long_sizeof(Py_True)).toBe(fixtures().misc.sizeof.True);
    expect(long_sizeof(Py_False)).toBe(fixtures().misc.sizeof.False);
    expect(Py_REFCNT(Py_True)).toBeLessThan(1000);
  });

  it('PyBool_FromLong hands out new references', () => {
    const n = Py_REFCNT(Py_True);
    expect(PyBool_FromLong(5)).toBe(Py_True);
    expect(PyBool_FromLong(0)).toBe(Py_False);
    expect(Py_REFCNT(Py_True)).toBe(n + 1);
    Py_DECREF(Py_True);
    Py_DECREF(Py_False);
  });

  it('repr/str, hash 1/0, & | ^ stay bool, arithmetic is int', () => {
    const before = liveBlocks();
    expect(take(PyObject_Repr(Py_True))).toBe('True');
    expect(take(PyObject_Str(Py_False))).toBe('False');
    let lo = PyObject_Hash(Py_True);
    expect(hashToBigInt(lo, HASH_HI[0])).toBe(BigInt(fixtures().misc.hash_true));
    lo = PyObject_Hash(Py_False);
    expect(hashToBigInt(lo, HASH_HI[0])).toBe(0n);
    expect(take(PyNumber_And(Py_True, Py_True))).toBe(true);
    expect(take(PyNumber_Or(Py_True, Py_False))).toBe(true);
    expect(take(PyNumber_Xor(Py_True, Py_True))).toBe(false);
    const one = int(1);
    expect(take(PyNumber_And(Py_True, one))).toBe('1');
    expect(take(PyNumber_Or(one, Py_False))).toBe('1');
    expect(take(PyNumber_Add(Py_True, Py_True))).toBe('2');
    expect(take(PyNumber_Invert(Py_True))).toBe('-2');
    expect(take(PyNumber_Negative(Py_True))).toBe('-1');
    Py_DECREF(one);
    expect(liveBlocks()).toBe(before);
  });

  it('bool(x)', () => {
    const vc = slotsOf(PyBool_Type).tp_vectorcall!;
    expect(take(vc(PyBool_Type, 0, 0, 0))).toBe(false);
    for (const [o, want] of [[int(0), false], [int(7), true], [flt(0), false], [flt(-0.5), true], [Py_None, false]] as [number, boolean][]) {
      const args = argSlots([o]);
      expect(take(vc(PyBool_Type, args, 1, 0))).toBe(want);
      expect(PyObject_IsTrue(o)).toBe(want ? 1 : 0);
      freeSlots(args);
      if (o !== Py_None) Py_DECREF(o);
    }
    const args = argSlots([Py_None, Py_None]);
    expect(take(vc(PyBool_Type, args, 2, 0))).toEqual({ err: 'TypeError', msg: 'bool expected at most 1 argument, got 2' });
    freeSlots(args);
  });
});
