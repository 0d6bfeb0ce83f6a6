import { describe, it, expect } from 'vitest';
import { I32 } from '../../../../runtime/mem/heap.js';
import { Py_REFCNT, Py_TYPE, HASH_HI, hashToBigInt, hashPointer } from '../../../../runtime/object.js';
import { typeName, typeBasicSize, slotsOf } from '../../../../runtime/typeobject.js';
import {
  Py_None, Py_NotImplemented, Py_Ellipsis, PyNone_Type, PyNotImplemented_Type, PyEllipsis_Type, SINGLETON_SIZE,
} from '../../../../runtime/objects/noneobject.js';
import { PyObject_Repr, PyObject_Str, PyObject_IsTrue, PyObject_Hash } from '../../../../runtime/abstract.js';
import { fixtures, take, argSlots, freeSlots, int } from './numbers_helpers.js';

describe('None, NotImplemented, Ellipsis', () => {
  it('are static singletons of 16 bytes, counted normally from 1', () => {
    const m = fixtures().misc.sizeof;
    expect(typeBasicSize(PyNone_Type)).toBe(m.None);
    expect(SINGLETON_SIZE).toBe(m.Ellipsis);
    expect(SINGLETON_SIZE).toBe(m.NotImplemented);
    for (const o of [Py_None, Py_NotImplemented, Py_Ellipsis]) {
      expect(o).toBeGreaterThan(0);
      expect(o).toBeLessThan(16 * 1024 * 1024);
      expect(Py_REFCNT(o)).toBeLessThan(1000);
    }
    expect(Py_TYPE(Py_None)).toBe(PyNone_Type);
    expect(typeName(PyNone_Type)).toBe('NoneType');
    expect(typeName(PyNotImplemented_Type)).toBe('NotImplementedType');
    expect(typeName(PyEllipsis_Type)).toBe('ellipsis');
  });

  it('repr, str, truth and hash', () => {
    expect(take(PyObject_Repr(Py_None))).toBe('None');
    expect(take(PyObject_Str(Py_None))).toBe('None');
    expect(take(PyObject_Repr(Py_NotImplemented))).toBe('NotImplemented');
    expect(take(PyObject_Repr(Py_Ellipsis))).toBe('Ellipsis');
    expect(PyObject_IsTrue(Py_None)).toBe(0);
    expect(PyObject_IsTrue(Py_Ellipsis)).toBe(1);
    expect(PyObject_IsTrue(Py_NotImplemented)).toBe(1);
    for (const o of [Py_None, Py_NotImplemented, Py_Ellipsis]) {
      const lo = PyObject_Hash(o);
      const hi = HASH_HI[0];
      const plo = hashPointer(o);
      expect(hashToBigInt(lo, hi)).toBe(hashToBigInt(plo, HASH_HI[0]));
    }
  });

  it('calling the types returns the singleton and refuses arguments', () => {
    const before = Py_REFCNT(Py_None);
    const r = slotsOf(PyNone_Type).tp_vectorcall!(PyNone_Type, 0, 0, 0);
    expect(r).toBe(Py_None);
    expect(Py_REFCNT(Py_None)).toBe(before + 1);
    I32[Py_None >> 2]--;
    const one = int(1);
    const args = argSlots([one]);
    expect(take(slotsOf(PyNone_Type).tp_vectorcall!(PyNone_Type, args, 1, 0))).toEqual({ err: 'TypeError', msg: 'NoneType takes no arguments' });
    expect(take(slotsOf(PyEllipsis_Type).tp_vectorcall!(PyEllipsis_Type, args, 1, 0))).toEqual({ err: 'TypeError', msg: 'EllipsisType takes no arguments' });
    expect(take(slotsOf(PyNotImplemented_Type).tp_vectorcall!(PyNotImplemented_Type, args, 1, 0))).toEqual({ err: 'TypeError', msg: 'NotImplementedType takes no arguments' });
    freeSlots(args);
  });
});
