import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { I32 } from '../../../../runtime/mem/heap.js';
import { getAllocatedBlocks } from '../../../../runtime/mem/pymem.js';
import { type Ptr, NULL, Py_REFCNT, Py_INCREF, Py_DECREF, HASH_HI, hashToBigInt, STATIC_REFCNT } from '../../../../runtime/object.js';
import { slotsOf, slotsOfObj, Py_LT, Py_EQ, Py_GT, Py_NE } from '../../../../runtime/typeobject.js';
import { gcCount, _PyObject_GC_IS_TRACKED } from '../../../../runtime/gc.js';
import { PyObject_Hash, PyObject_RichCompareBool, PyObject_GetIter, PyIter_Next } from '../../../../runtime/abstract.js';
import { Py_None } from '../../../../runtime/objects/noneobject.js';
import {
  PyTuple_Type, PyTupleIter_Type, PyTuple_Empty, PyTuple_New, PyTuple_SET_ITEM, PyTuple_GET_ITEM, PyTuple_GET_SIZE,
  PyTuple_Pack, PyTuple_Pack2, PyTuple_Check, PyTuple_CheckExact, PyTuple_GetItem, PyTuple_GetSlice, _PyTuple_Resize,
  tupleFreeListCount, clearFreeLists, tupleFreeListStats, PySequence_Tuple, _PyTuple_FromArray, _PyTuple_MaybeUntrack,
  PyTuple_MAXFREELIST,
} from '../../../../runtime/objects/tupleobject.js';
import { PySlice_New, PySlice_ClearCache } from '../../../../runtime/objects/sliceobject.js';
import { getsizeof, int, fromEnc, repr, takeError, deallocLog, marker, type Enc } from './containers_helpers.js';

const fx = JSON.parse(readFileSync(new URL('../../../fixtures/containers/tuple.json', import.meta.url), 'utf8')) as {
  hashes: [Enc, string][]; sizes: [number, number][]; tuple_from_genexpr_7: number; reprs: [Enc, string][];
};

function tup(...vals: number[]): Ptr {
  const t = PyTuple_New(vals.length);
  vals.forEach((v, i) => PyTuple_SET_ITEM(t, i, int(v)));
  return t;
}
function ints(t: Ptr): number[] {
  const out: number[] = [];
  for (let i = 0; i < PyTuple_GET_SIZE(t); i++) out.push(Number(repr(PyTuple_GET_ITEM(t, i))));
  return out;
}
const S = slotsOf(PyTuple_Type);

describe('tuple layout, singleton, allocation', () => {
  it('getsizeof is 40 + 8n and matches CPython', () => {
    clearFreeLists();
    const base = getAllocatedBlocks();
    for (const [n, size] of fx.sizes) {
      const t = PyTuple_New(n);
      for (let i = 0; i < n; i++) PyTuple_SET_ITEM(t, i, int(i));
      expect(getsizeof(t)).toBe(size);
      expect(size).toBe(40 + 8 * n);
      Py_DECREF(t);
    }
    clearFreeLists();
    expect(getAllocatedBlocks()).toBe(base);
  });

  it('() is a static, untracked singleton', () => {
    const a = PyTuple_New(0);
    expect(a).toBe(PyTuple_Empty);
    expect(Py_REFCNT(a)).toBeGreaterThan(STATIC_REFCNT);
    expect(_PyObject_GC_IS_TRACKED(a)).toBe(false);
    expect(getsizeof(a)).toBe(40);
    Py_DECREF(a);
    expect(PyTuple_Pack(0)).toBe(PyTuple_Empty);
    Py_DECREF(PyTuple_Empty);
  });

  it('PyTuple_New tracks the tuple and zeroes its items', () => {
    const t = PyTuple_New(3);
    expect(_PyObject_GC_IS_TRACKED(t)).toBe(true);
    expect(PyTuple_Check(t) && PyTuple_CheckExact(t)).toBe(true);
    for (let i = 0; i < 3; i++) expect(PyTuple_GET_ITEM(t, i)).toBe(NULL);
    Py_DECREF(t); // NULL items are allowed in dealloc
  });

  it('free lists are LIFO per length, do not count in gen0, and are capped at 2000', () => {
    clearFreeLists();
    const base = getAllocatedBlocks();
    const a = tup(1, 2, 3), b = tup(4, 5, 6);
    const c0 = gcCount[0];
    Py_DECREF(a);
    Py_DECREF(b);
    expect(gcCount[0]).toBe(c0);
    expect(tupleFreeListCount(3)).toBe(2);
    const four = PyTuple_New(4); // a different length never reuses them
    expect(four === a || four === b).toBe(false);
    const c1 = gcCount[0];
    const x = PyTuple_New(3), y = PyTuple_New(3);
    expect(gcCount[0]).toBe(c1);
    expect([x, y]).toEqual([b, a]);
    expect(tupleFreeListCount(3)).toBe(0);
    Py_DECREF(x); Py_DECREF(y); Py_DECREF(four);
    // capacity
    const many: Ptr[] = [];
    for (let i = 0; i < PyTuple_MAXFREELIST + 100; i++) many.push(PyTuple_Pack2(Py_None, Py_None));
    for (const t of many) Py_DECREF(t);
    expect(tupleFreeListCount(2)).toBe(PyTuple_MAXFREELIST);
    // length 20 is kept, 21 is not
    Py_DECREF(PyTuple_New(20));
    Py_DECREF(PyTuple_New(21));
    expect(tupleFreeListCount(20)).toBe(1);
    expect(tupleFreeListCount(21)).toBe(0);
    const stats = tupleFreeListStats();
    expect(stats.length).toBe(20);
    expect(stats[1]).toBe('2000 free 2-sized PyTupleObjects * 40 bytes each =               80,000');
    expect(stats[19]).toBe('  1 free 20-sized PyTupleObjects * 184 bytes each =                  184'.slice(1));
    clearFreeLists();
    expect(tupleFreeListCount(2)).toBe(0);
    expect(getAllocatedBlocks()).toBe(base);
  });

  it('dealloc decrefs items last to first', () => {
    deallocLog.length = 0;
    const t = PyTuple_New(4);
    for (let i = 0; i < 4; i++) PyTuple_SET_ITEM(t, i, marker(i + 1));
    Py_DECREF(t);
    expect(deallocLog).toEqual([4, 3, 2, 1]);
  });

  it('a 1,000,000-deep nest of tuples is freed through the trashcan', () => {
    clearFreeLists();
    const base = getAllocatedBlocks();
    let t = PyTuple_New(0);
    for (let i = 0; i < 1_000_000; i++) {
      const u = PyTuple_New(1);
      PyTuple_SET_ITEM(u, 0, t);
      t = u;
    }
    Py_DECREF(t);
    clearFreeLists();
    expect(getAllocatedBlocks()).toBe(base);
  });
});

describe('tuple hash', () => {
  it('matches CPython for tuples of ints (xxHash lanes)', () => {
    for (const [enc, h] of fx.hashes) {
      const t = fromEnc(enc);
      const lo = PyObject_Hash(t);
      expect(hashToBigInt(lo, HASH_HI[0]).toString(), JSON.stringify(enc)).toBe(h);
      Py_DECREF(t);
    }
  });
});

describe('tuple operations', () => {
  it('repr', () => {
    for (const [enc, r] of fx.reprs) {
      const t = fromEnc(enc);
      expect(repr(t)).toBe(r);
      Py_DECREF(t);
    }
  });

  it('rich comparison is lexicographic', () => {
    const a = tup(1, 2), b = tup(1, 3), c = tup(1, 2, 0), d = tup(1, 2);
    expect(PyObject_RichCompareBool(a, b, Py_LT)).toBe(1);
    expect(PyObject_RichCompareBool(b, a, Py_GT)).toBe(1);
    expect(PyObject_RichCompareBool(a, c, Py_LT)).toBe(1);
    expect(PyObject_RichCompareBool(a, d, Py_EQ)).toBe(1);
    expect(PyObject_RichCompareBool(a, b, Py_NE)).toBe(1);
    expect(PyObject_RichCompareBool(a, b, Py_EQ)).toBe(0);
    for (const t of [a, b, c, d]) Py_DECREF(t);
  });

  it('concat, repeat, contains, item, slices', () => {
    clearFreeLists();
    PySlice_ClearCache();
    const base = getAllocatedBlocks();
    const a = tup(1, 2, 3), b = tup(4, 5);
    const c = S.sq_concat!(a, b);
    expect(ints(c)).toEqual([1, 2, 3, 4, 5]);
    const e = PyTuple_New(0);
    const same = S.sq_concat!(a, e);
    expect(same).toBe(a);
    Py_DECREF(same);
    expect(S.sq_concat!(a, Py_None)).toBe(NULL);
    expect(takeError()).toBe('can only concatenate tuple (not "NoneType") to tuple');
    const r = S.sq_repeat!(b, 3);
    expect(ints(r)).toEqual([4, 5, 4, 5, 4, 5]);
    expect(Py_REFCNT(PyTuple_GET_ITEM(b, 0))).toBeGreaterThanOrEqual(4);
    expect(S.sq_repeat!(b, 0)).toBe(PyTuple_Empty);
    Py_DECREF(PyTuple_Empty);
    const one = S.sq_repeat!(b, 1);
    expect(one).toBe(b);
    Py_DECREF(one);
    const five = int(5), nine = int(9);
    expect(S.sq_contains!(c, five)).toBe(1);
    expect(S.sq_contains!(c, nine)).toBe(0);
    const m1 = int(-1);
    const last = S.mp_subscript!(c, m1);
    expect(repr(last)).toBe('5');
    Py_DECREF(last);
    const i9 = S.mp_subscript!(c, nine);
    expect(i9).toBe(NULL);
    expect(takeError()).toBe('tuple index out of range');
    expect(S.mp_subscript!(c, Py_None)).toBe(NULL);
    expect(takeError()).toBe('tuple indices must be integers or slices, not NoneType');
    // slices
    const sl = (start: Ptr, stop: Ptr, step: Ptr): number[] => {
      const s = PySlice_New(start, stop, step);
      const res = S.mp_subscript!(c, s);
      Py_DECREF(s);
      const v = ints(res);
      Py_DECREF(res);
      return v;
    };
    const i1 = int(1), i2 = int(2), m2 = int(-2);
    expect(sl(i1, NULL, NULL)).toEqual([2, 3, 4, 5]);
    expect(sl(NULL, NULL, m1)).toEqual([5, 4, 3, 2, 1]);
    expect(sl(NULL, NULL, i2)).toEqual([1, 3, 5]);
    expect(sl(m2, NULL, NULL)).toEqual([4, 5]);
    expect(sl(NULL, m2, m2)).toEqual([5]);
    expect(sl(nine, NULL, NULL)).toEqual([]);
    const whole = PySlice_New(NULL, NULL, NULL);
    const w = S.mp_subscript!(c, whole);
    expect(w).toBe(c);
    Py_DECREF(w);
    Py_DECREF(whole);
    const zero = int(0);
    const bad = PySlice_New(NULL, NULL, zero);
    expect(S.mp_subscript!(c, bad)).toBe(NULL);
    expect(takeError()).toBe('slice step cannot be zero');
    Py_DECREF(bad);
    const g = PyTuple_GetSlice(c, 1, 3);
    expect(ints(g)).toEqual([2, 3]);
    Py_DECREF(g);
    for (const o of [a, b, c, e, r, five, nine, m1, i1, i2, m2, zero]) Py_DECREF(o);
    clearFreeLists();
    PySlice_ClearCache();
    expect(getAllocatedBlocks()).toBe(base);
  });

  it('index and count', () => {
    const t = tup(1, 2, 1, 3, 1);
    const one = int(1), seven = int(7), two = int(2);
    const index = S.methods.find((m) => m.name === 'index')!.fn;
    const count = S.methods.find((m) => m.name === 'count')!.fn;
    const args = PyTuple_Pack(3, one, two, seven);
    const argv = args + 24;
    let r = index(t, argv, 1, NULL);
    expect(repr(r)).toBe('0'); Py_DECREF(r);
    r = index(t, argv, 2, NULL); // start 2
    expect(repr(r)).toBe('2'); Py_DECREF(r);
    r = index(t, args + 32 + 8, 1, NULL); // value 7
    expect(r).toBe(NULL);
    expect(takeError()).toBe('tuple.index(x): x not in tuple');
    r = count(t, one, 0, NULL);
    expect(repr(r)).toBe('3'); Py_DECREF(r);
    for (const o of [t, one, seven, two, args]) Py_DECREF(o);
  });

  it('iterator: 48 bytes, yields items, drops the tuple when exhausted', () => {
    clearFreeLists();
    const base = getAllocatedBlocks();
    const t = tup(7, 8);
    const it = PyObject_GetIter(t);
    expect(I32[(it + 8) >> 2]).toBe(PyTupleIter_Type);
    expect(getsizeof(it)).toBe(48);
    expect(_PyObject_GC_IS_TRACKED(it)).toBe(true);
    expect(Py_REFCNT(t)).toBe(2);
    const got: string[] = [];
    for (let x = PyIter_Next(it); x !== NULL; x = PyIter_Next(it)) { got.push(repr(x)); Py_DECREF(x); }
    expect(got).toEqual(['7', '8']);
    expect(Py_REFCNT(t)).toBe(1);
    Py_DECREF(it);
    Py_DECREF(t);
    clearFreeLists();
    expect(getAllocatedBlocks()).toBe(base);
  });

  it('PySequence_Tuple from an iterator starts at 10 and shrinks (tuple(genexpr) of 7 = 96 bytes)', () => {
    clearFreeLists();
    const base = getAllocatedBlocks();
    const src = tup(0, 1, 2, 3, 4, 5, 6);
    const it = PyObject_GetIter(src); // an iterator has no length: hint defaults to 10
    const t = PySequence_Tuple(it);
    expect(ints(t)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(getsizeof(t)).toBe(fx.tuple_from_genexpr_7);
    expect(_PyObject_GC_IS_TRACKED(t)).toBe(true);
    Py_DECREF(t);
    Py_DECREF(it);
    // 25 items through growth 10 -> 25 -> 43, then shrink
    const big = PyTuple_New(25);
    for (let i = 0; i < 25; i++) PyTuple_SET_ITEM(big, i, int(i));
    const it2 = PyObject_GetIter(big);
    const t2 = PySequence_Tuple(it2);
    expect(PyTuple_GET_SIZE(t2)).toBe(25);
    expect(getsizeof(t2)).toBe(40 + 8 * 25);
    const same = PySequence_Tuple(t2);
    expect(same).toBe(t2);
    for (const o of [same, t2, it2, big, src]) Py_DECREF(o);
    clearFreeLists();
    expect(getAllocatedBlocks()).toBe(base);
  });

  it('_PyTuple_Resize, _PyTuple_FromArray, GetItem errors, MaybeUntrack', () => {
    clearFreeLists();
    const base = getAllocatedBlocks();
    let t = tup(1, 2, 3, 4);
    t = _PyTuple_Resize(t, 2);
    expect(ints(t)).toEqual([1, 2]);
    t = _PyTuple_Resize(t, 5);
    expect(PyTuple_GET_SIZE(t)).toBe(5);
    expect(PyTuple_GET_ITEM(t, 4)).toBe(NULL);
    const t2 = _PyTuple_FromArray(t + 24, 2);
    expect(ints(t2)).toEqual([1, 2]);
    expect(PyTuple_GetItem(t2, 2)).toBe(NULL);
    expect(takeError()).toBe('tuple index out of range');
    _PyTuple_MaybeUntrack(t2);
    expect(_PyObject_GC_IS_TRACKED(t2)).toBe(false);
    const nested = PyTuple_Pack(1, t);
    _PyTuple_MaybeUntrack(nested);
    expect(_PyObject_GC_IS_TRACKED(nested)).toBe(true);
    Py_DECREF(nested);
    Py_DECREF(t2);
    Py_DECREF(t);
    clearFreeLists();
    expect(getAllocatedBlocks()).toBe(base);
  });

  it('tuple() through the type vectorcall', () => {
    const vc = S.tp_vectorcall!;
    const e = vc(PyTuple_Type, 0, 0, NULL);
    expect(e).toBe(PyTuple_Empty);
    Py_DECREF(e);
    const src = tup(1, 2);
    const holder = PyTuple_Pack(2, src, src);
    const r = vc(PyTuple_Type, holder + 24, 1, NULL);
    expect(r).toBe(src);
    Py_DECREF(r);
    expect(vc(PyTuple_Type, holder + 24, 2, NULL)).toBe(NULL);
    expect(takeError()).toBe('tuple expected at most 1 argument, got 2');
    Py_DECREF(holder);
    Py_DECREF(src);
    void slotsOfObj; void Py_INCREF;
  });
});
