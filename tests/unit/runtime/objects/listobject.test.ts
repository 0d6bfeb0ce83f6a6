import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { I32, F64 } from '../../../../runtime/mem/heap.js';
import { getAllocatedBlocks, PyObject_Free } from '../../../../runtime/mem/pymem.js';
import { type Ptr, NULL, Py_REFCNT, Py_DECREF, PyObject_New } from '../../../../runtime/object.js';
import { slotsOf, newStaticType, Py_LT, Py_EQ } from '../../../../runtime/typeobject.js';
import { gcCount, _PyObject_GC_IS_TRACKED } from '../../../../runtime/gc.js';
import { PyObject_GetIter, PyIter_Next, PyObject_RichCompareBool } from '../../../../runtime/abstract.js';
import { Py_None } from '../../../../runtime/objects/noneobject.js';
import { Py_True, Py_False } from '../../../../runtime/objects/boolobject.js';
import { PyLong_AsSsize_t } from '../../../../runtime/objects/longobject.js';
import { PyUnicode_FromString } from '../../../../runtime/objects/unicodeobject.js';
import { PyTuple_New, PyTuple_SET_ITEM, PyTuple_Pack, clearFreeLists as clearTuples } from '../../../../runtime/objects/tupleobject.js';
import { PySlice_New, PySlice_ClearCache } from '../../../../runtime/objects/sliceobject.js';
import {
  PyList_Type, PyList_New, PyList_Append, PyList_GET_ITEM, PyList_GET_SIZE, PyList_SET_ITEM, PyList_AsTuple,
  PySequence_List, listFreeListCount, clearFreeLists as clearLists, listFreeListStats, PyList_Sort, list_sort_impl,
  PyListIter_Type, PyListRevIter_Type,
} from '../../../../runtime/objects/listobject.js';
import { getsizeof, int, repr, takeError, deallocLog, marker } from './containers_helpers.js';

const fx = JSON.parse(readFileSync(new URL('../../../fixtures/containers/list.json', import.meta.url), 'utf8'));
const S = slotsOf(PyList_Type);
const M = (name: string) => S.methods.find((m) => m.name === name)!.fn;

function clearAll(): void {
  clearLists();
  clearTuples();
  PySlice_ClearCache();
}
function tupleOf(vals: number[]): Ptr {
  const t = PyTuple_New(vals.length);
  vals.forEach((v, i) => PyTuple_SET_ITEM(t, i, int(v)));
  return t;
}
/** list(tuple_of_ints) through the type's vectorcall (exact, even pre-sizing). */
function listOf(vals: number[]): Ptr {
  const t = tupleOf(vals);
  const holder = PyTuple_Pack(1, t);
  const l = S.tp_vectorcall!(PyList_Type, holder + 24, 1, NULL);
  Py_DECREF(holder);
  Py_DECREF(t);
  return l;
}
function values(l: Ptr): number[] {
  const out: number[] = [];
  for (let i = 0; i < PyList_GET_SIZE(l); i++) out.push(PyLong_AsSsize_t(PyList_GET_ITEM(l, i)));
  return out;
}
function call(name: string, self: Ptr, ...args: Ptr[]): Ptr {
  const m = S.methods.find((x) => x.name === name)!;
  if (m.flags === 0x0008) return m.fn(self, args[0], 0, NULL);
  if (m.flags === 0x0004) return m.fn(self, 0, 0, NULL);
  const holder = PyTuple_Pack(args.length, ...args);
  const r = m.fn(self, holder + 24, args.length, NULL);
  Py_DECREF(holder);
  return r;
}
function ok(r: Ptr): void {
  if (r === NULL) throw new Error('unexpected error: ' + takeError());
  Py_DECREF(r);
}

describe('list sizes (getsizeof = 56 + 8 * allocated)', () => {
  it('append growth and pop shrink follow list_resize', () => {
    clearAll();
    const base = getAllocatedBlocks();
    const l = PyList_New(0);
    const sizes: number[] = [];
    for (let i = 0; i < 200; i++) {
      sizes.push(getsizeof(l));
      const v = int(i);
      PyList_Append(l, v);
      Py_DECREF(v);
    }
    expect(sizes).toEqual(fx.append_sizes);
    const shrink: number[] = [];
    while (PyList_GET_SIZE(l) > 0) {
      ok(call('pop', l));
      shrink.push(getsizeof(l));
    }
    expect(shrink).toEqual(fx.pop_sizes);
    Py_DECREF(l);
    clearAll();
    expect(getAllocatedBlocks()).toBe(base);
  });

  it('exact pre-sizing: list(tuple), list(iterator), extend into empty, slices, repeat', () => {
    clearAll();
    const base = getAllocatedBlocks();
    for (let n = 0; n < 30; n++) {
      const vals = Array.from({ length: n }, (_, i) => i);
      const l = listOf(vals);
      expect(getsizeof(l)).toBe(fx.list_tuple_sizes[n]);
      expect(getsizeof(l)).toBe(fx.list_range_sizes[n]);
      // list(iter(l)): no len -> hint from the iterator is unavailable here (the stub abstract gives default 8)
      const e = PyList_New(0);
      const t = tupleOf(vals);
      ok(call('extend', e, t));
      expect(getsizeof(e)).toBe(fx.extend_empty_sizes[n]);
      Py_DECREF(t);
      Py_DECREF(e);
      Py_DECREF(l);
    }
    const src = listOf(Array.from({ length: 20 }, (_, i) => i));
    for (let n = 0; n <= 20; n++) {
      const stop = int(n);
      const sl = PySlice_New(NULL, stop, NULL);
      const r = S.mp_subscript!(src, sl);
      expect(getsizeof(r)).toBe(fx.slice_sizes[n]);
      for (const o of [r, sl, stop]) Py_DECREF(o);
    }
    const three = listOf([1, 2, 3]);
    for (let n = 0; n < 10; n++) {
      const r = S.sq_repeat!(three, n);
      expect(getsizeof(r)).toBe(fx.repeat_sizes[n]);
      expect(values(r).length).toBe(3 * n);
      Py_DECREF(r);
    }
    Py_DECREF(three);
    Py_DECREF(src);
    clearAll();
    expect(getAllocatedBlocks()).toBe(base);
  });
});

describe('list operation sequences match CPython (contents and getsizeof)', () => {
  it('random append/pop/insert/slice/extended-slice/extend/*=/reverse/sort/clear', () => {
    clearAll();
    const base = getAllocatedBlocks();
    const mk = (vals: number[]): Ptr => listOf(vals);
    fx.opseqs.forEach((seq: { init: number[]; ops: [unknown[], number[], number][] }, si: number) => {
      const a = mk(seq.init);
      seq.ops.forEach(([op, after, size], oi) => {
        const where = `seq ${si} op ${oi} ${JSON.stringify(op)}`;
        const [name, ...args] = op as [string, ...unknown[]];
        const I = (x: unknown) => int(x as number);
        let r = 0;
        const tmps: Ptr[] = [];
        const t = (p: Ptr) => { tmps.push(p); return p; };
        switch (name) {
          case 'append': ok(call('append', a, t(I(args[0])))); break;
          case 'pop': ok(call('pop', a, t(I(args[0])))); break;
          case 'insert': ok(call('insert', a, t(I(args[0])), t(I(args[1])))); break;
          case 'setslice': r = S.mp_ass_subscript!(a, t(PySlice_New(t(I(args[0])), t(I(args[1])), NULL)), t(listOf(args[2] as number[]))); break;
          case 'delslice': r = S.mp_ass_subscript!(a, t(PySlice_New(t(I(args[0])), t(I(args[1])), NULL)), NULL); break;
          case 'delext': r = S.mp_ass_subscript!(a, t(PySlice_New(t(I(args[0])), t(I(args[1])), t(I(args[2])))), NULL); break;
          case 'setext': r = S.mp_ass_subscript!(a, t(PySlice_New(t(I(args[0])), t(I(args[1])), t(I(args[2])))), t(listOf(args[3] as number[]))); break;
          case 'extend': ok(call('extend', a, t(listOf(args[0] as number[])))); break;
          case 'imul': ok(S.sq_inplace_repeat!(a, args[0] as number)); break;
          case 'reverse': ok(call('reverse', a)); break;
          case 'sort': expect(PyList_Sort(a)).toBe(0); break;
          case 'clear': ok(call('clear', a)); break;
        }
        expect(r, where).toBe(0);
        for (const p of tmps.reverse()) Py_DECREF(p);
        expect(values(a), where).toEqual(after);
        expect(getsizeof(a), where).toBe(size);
      });
      Py_DECREF(a);
    });
    clearAll();
    expect(getAllocatedBlocks()).toBe(base);
  });
});

// An int-like type that counts "<" comparisons (as the Python fixture's __lt__ does).
let ltCalls = 0;
const CountInt = newStaticType({
  name: 'CountInt', basicsize: 24,
  slots: {
    tp_dealloc: (o) => PyObject_Free(o),
    tp_richcompare: (a, b, op) => {
      if (op === Py_LT) ltCalls++;
      const r = op === Py_LT ? F64[(a + 16) >> 3] < F64[(b + 16) >> 3] : F64[(a + 16) >> 3] === F64[(b + 16) >> 3];
      const o = r ? Py_True : Py_False;
      I32[o >> 2]++;
      return o;
    },
  },
});
function countInt(v: number): Ptr {
  const o = PyObject_New(CountInt);
  F64[(o + 16) >> 3] = v;
  return o;
}

// A callable whose tp_call runs a JS function on its single argument (stands for a lambda).
let keyFn: (a: Ptr) => Ptr = (a) => a;
const KeyFunc = newStaticType({
  name: 'KeyFunc', basicsize: 16,
  slots: { tp_dealloc: (o) => PyObject_Free(o), tp_call: (_c, args) => keyFn(I32[(args + 24) >> 2]) },
});

describe('list.sort (timsort)', () => {
  it('gives the same order with the same number of < calls as CPython', () => {
    clearAll();
    const base = getAllocatedBlocks();
    for (const c of fx.sorts as { vals: number[]; reverse: boolean; lt_calls: number }[]) {
      const l = PyList_New(c.vals.length);
      c.vals.forEach((v, i) => PyList_SET_ITEM(l, i, countInt(v)));
      ltCalls = 0;
      const r = list_sort_impl(l, NULL, c.reverse);
      expect(r).toBe(Py_None);
      Py_DECREF(r);
      const got: number[] = [];
      for (let i = 0; i < PyList_GET_SIZE(l); i++) got.push(F64[(PyList_GET_ITEM(l, i) + 16) >> 3]);
      const want = [...c.vals].sort((a, b) => (c.reverse ? b - a : a - b));
      expect(got).toEqual(want);
      expect(ltCalls, `n=${c.vals.length} reverse=${c.reverse}`).toBe(c.lt_calls);
      Py_DECREF(l);
    }
    clearAll();
    expect(getAllocatedBlocks()).toBe(base);
  });

  it('is stable with key= and reverse=', () => {
    clearAll();
    const base = getAllocatedBlocks();
    const pairs = fx.stable_pairs as [number, number][];
    const build = (): Ptr => {
      const l = PyList_New(pairs.length);
      pairs.forEach(([k, i], j) => PyList_SET_ITEM(l, j, tupleOf([k, i])));
      return l;
    };
    const keyObj = PyObject_New(KeyFunc); // stands for `lambda p: p[0]`
    keyFn = (a: Ptr) => {
      const k = I32[(a + 24) >> 2];
      I32[k >> 2]++;
      return k;
    };
    for (const [rev, want] of [[false, fx.stable_sorted], [true, fx.stable_sorted_rev]] as [boolean, number[][]][]) {
      const l = build();
      const r = list_sort_impl(l, keyObj, rev);
      expect(r).toBe(Py_None);
      Py_DECREF(r);
      const got: number[][] = [];
      for (let i = 0; i < PyList_GET_SIZE(l); i++) {
        const t = PyList_GET_ITEM(l, i);
        got.push([PyLong_AsSsize_t(I32[(t + 24) >> 2]), PyLong_AsSsize_t(I32[(t + 32) >> 2])]);
      }
      expect(got).toEqual(want);
      Py_DECREF(l);
    }
    Py_DECREF(keyObj);
    clearAll();
    expect(getAllocatedBlocks()).toBe(base);
  });

  it('list modified during sort raises ValueError and the items survive', () => {
    const l = listOf([3, 1, 2]);
    const keyObj = PyObject_New(KeyFunc);
    keyFn = (a: Ptr) => {
      const v = int(99);
      PyList_Append(l, v); // the list looks empty during the sort
      Py_DECREF(v);
      I32[a >> 2]++;
      return a;
    };
    expect(list_sort_impl(l, keyObj, false)).toBe(NULL);
    expect(takeError()).toBe('list modified during sort');
    expect(values(l).sort()).toEqual([1, 2, 3]);
    Py_DECREF(l);
    Py_DECREF(keyObj);
  });
});

describe('list behaviour', () => {
  it('free list of 80 shells, LIFO, outside the gen0 count; stats line', () => {
    clearAll();
    const base = getAllocatedBlocks();
    const ls: Ptr[] = [];
    for (let i = 0; i < 100; i++) ls.push(PyList_New(0));
    const c0 = gcCount[0];
    for (const l of ls) Py_DECREF(l);
    expect(gcCount[0]).toBe(c0 - 20); // 80 shells were kept
    expect(listFreeListCount()).toBe(80);
    expect(listFreeListStats()).toEqual(['           80 free PyListObjects * 40 bytes each =                3,200']);
    const c1 = gcCount[0];
    const a = PyList_New(0), b = PyList_New(3);
    expect(gcCount[0]).toBe(c1);
    expect([a, b]).toEqual([ls[79], ls[78]]); // the first 80 freed were kept
    expect(_PyObject_GC_IS_TRACKED(a)).toBe(true);
    Py_DECREF(a); Py_DECREF(b);
    clearAll();
    expect(getAllocatedBlocks()).toBe(base);
  });

  it('dealloc and clear decref last to first', () => {
    deallocLog.length = 0;
    const l = PyList_New(0);
    for (let i = 1; i <= 4; i++) { const m = marker(i); PyList_Append(l, m); Py_DECREF(m); }
    Py_DECREF(l);
    expect(deallocLog).toEqual([4, 3, 2, 1]);
    deallocLog.length = 0;
    const l2 = PyList_New(0);
    for (let i = 1; i <= 3; i++) { const m = marker(i); PyList_Append(l2, m); Py_DECREF(m); }
    ok(call('clear', l2));
    expect(deallocLog).toEqual([3, 2, 1]);
    expect(getsizeof(l2)).toBe(56);
    Py_DECREF(l2);
  });

  it('1,000,000 nested lists are freed through the trashcan', () => {
    clearAll();
    const base = getAllocatedBlocks();
    let l = PyList_New(0);
    for (let i = 0; i < 1_000_000; i++) {
      const u = PyList_New(1);
      PyList_SET_ITEM(u, 0, l);
      l = u;
    }
    Py_DECREF(l);
    clearAll();
    expect(getAllocatedBlocks()).toBe(base);
  });

  it('repr, recursion, compare, contains, index/count/remove errors', () => {
    const l = listOf([1, 2, 3]);
    expect(repr(l)).toBe('[1, 2, 3]');
    PyList_Append(l, l);
    expect(repr(l)).toBe('[1, 2, 3, [...]]');
    ok(call('pop', l));
    const e = PyList_New(0);
    expect(repr(e)).toBe('[]');
    const l2 = listOf([1, 2, 4]);
    expect(PyObject_RichCompareBool(l, l2, Py_LT)).toBe(1);
    expect(PyObject_RichCompareBool(l, l2, Py_EQ)).toBe(0);
    const two = int(2), nine = int(9);
    expect(S.sq_contains!(l, two)).toBe(1);
    expect(S.sq_contains!(l, nine)).toBe(0);
    expect(call('index', l, nine)).toBe(NULL);
    expect(takeError()).toBe('9 is not in list');
    expect(call('remove', l, nine)).toBe(NULL);
    expect(takeError()).toBe('list.remove(x): x not in list');
    const r = call('count', l, two);
    expect(repr(r)).toBe('1');
    Py_DECREF(r);
    expect(call('pop', e)).toBe(NULL);
    expect(takeError()).toBe('pop from empty list');
    expect(call('pop', l, nine)).toBe(NULL);
    expect(takeError()).toBe('pop index out of range');
    expect(S.mp_subscript!(l, nine)).toBe(NULL);
    expect(takeError()).toBe('list index out of range');
    expect(S.mp_ass_subscript!(l, nine, two)).toBe(-1);
    expect(takeError()).toBe('list assignment index out of range');
    const s = PyUnicode_FromString('x');
    expect(S.mp_subscript!(l, s)).toBe(NULL);
    expect(takeError()).toBe('list indices must be integers or slices, not str');
    expect(S.sq_concat!(l, s)).toBe(NULL);
    expect(takeError()).toBe('can only concatenate list (not "str") to list');
    const step2 = int(2);
    const ext = PySlice_New(NULL, NULL, step2);
    expect(S.mp_ass_subscript!(l, ext, e)).toBe(-1);
    expect(takeError()).toBe('attempt to assign sequence of size 0 to extended slice of size 2');
    expect(S.tp_hash!(l)).toBe(-1);
    expect(takeError()).toBe("unhashable type: 'list'");
    const t = PyList_AsTuple(l);
    expect(repr(t)).toBe('(1, 2, 3)');
    for (const o of [t, ext, step2, s, two, nine, l2, e, l]) Py_DECREF(o);
  });

  it('iterators: forward and reversed, 48 bytes, release the list', () => {
    clearAll();
    const base = getAllocatedBlocks();
    const l = listOf([5, 6, 7]);
    const it = PyObject_GetIter(l);
    expect(I32[(it + 8) >> 2]).toBe(PyListIter_Type);
    expect(getsizeof(it)).toBe(48);
    const got: number[] = [];
    for (let x = PyIter_Next(it); x !== NULL; x = PyIter_Next(it)) { got.push(PyLong_AsSsize_t(x)); Py_DECREF(x); }
    expect(got).toEqual([5, 6, 7]);
    expect(Py_REFCNT(l)).toBe(1);
    Py_DECREF(it);
    const rit = M('__reversed__')(l, 0, 0, NULL);
    expect(I32[(rit + 8) >> 2]).toBe(PyListRevIter_Type);
    const back: number[] = [];
    for (let x = PyIter_Next(rit); x !== NULL; x = PyIter_Next(rit)) { back.push(PyLong_AsSsize_t(x)); Py_DECREF(x); }
    expect(back).toEqual([7, 6, 5]);
    Py_DECREF(rit);
    const copy = PySequence_List(l);
    expect(values(copy)).toEqual([5, 6, 7]);
    Py_DECREF(copy);
    Py_DECREF(l);
    clearAll();
    expect(getAllocatedBlocks()).toBe(base);
  });
});
