// enumerate, reversed (enumobject.ts), zip/map/filter (bltiniterobject.ts) and the sequence and
// callable iterators (iterobject.ts), against fixtures from CPython 3.11.
import { describe, it, expect, beforeAll } from 'vitest';
import { readFileSync } from 'node:fs';
import { I32 } from '../../../../runtime/mem/heap.js';
import { getAllocatedBlocks } from '../../../../runtime/mem/pymem.js';
import { type Ptr, NULL, Py_DECREF, Py_INCREF, Py_REFCNT, OB_TYPE, PyObject_New } from '../../../../runtime/object.js';
import { newStaticType, slotsOf, slotsOfObj, typeName, METH_FASTCALL, METH_NOARGS, type MethodDef } from '../../../../runtime/typeobject.js';
import { PyObject_Free } from '../../../../runtime/mem/pymem.js';
import { gcCount, _PyObject_GC_IS_TRACKED, PyObject_GC_UnTrack } from '../../../../runtime/gc.js';
import { PyErr_Occurred, PyErr_Clear, PyErr_SetString, pendingMessage } from '../../../../runtime/errors.js';
import { PyExc_IndexError, PyExc_KeyError, PyExc_StopIteration } from '../../../../runtime/objects/exceptions.js';
import { PyObject_GetIter, PyObject_Repr } from '../../../../runtime/abstract.js';
import { PyObject_Vectorcall } from '../../../../runtime/call.js';
import { PyLong_FromBigInt, PyLong_FromNumber, PyLong_Type, PyBool_Type, Py_True } from '../../../../runtime/objects/longobject.js';
import { PyFloat_FromDouble, clearFreeLists as clearFloatFreeList } from '../../../../runtime/objects/floatobject.js';
import {
  PyTuple_New, PyTuple_SET_ITEM, _PyTuple_FromArray, clearFreeLists as clearTupleFreeLists,
} from '../../../../runtime/objects/tupleobject.js';
import { PyList_New, PyList_SET_ITEM, PySequence_List, clearFreeLists as clearListFreeList } from '../../../../runtime/objects/listobject.js';
import { PyDict_New, PyDict_SetItem, clearFreeLists as clearDictFreeLists } from '../../../../runtime/objects/dictobject.js';
import { PySet_New } from '../../../../runtime/objects/setobject.js';
import { PyUnicode_FromString, unicodeToJs } from '../../../../runtime/objects/unicodeobject.js';
import { Py_None } from '../../../../runtime/objects/noneobject.js';
import { PyCFunction_New } from '../../../../runtime/objects/methodobject.js';
import { PyRange_FromNumbers } from '../../../../runtime/objects/rangeobject.js';
import { PyEnum_Type, PyReversed_Type } from '../../../../runtime/objects/enumobject.js';
import { PyZip_Type, PyMap_Type, PyFilter_Type } from '../../../../runtime/objects/bltiniterobject.js';
import { PySeqIter_Type, PyCallIter_Type, PyCallIter_New } from '../../../../runtime/objects/iterobject.js';
import { getsizeof } from './containers_helpers.js';
import { wire } from './exceptions_helpers.js';

type Res = string | { err: string };
const fx = JSON.parse(readFileSync(new URL('../../../fixtures/iterators/iter.json', import.meta.url), 'utf8')) as {
  sizes: Record<string, number>;
  enumerate: [string, string | boolean | null, Res][];
  reversed: [string, Res][];
  reversed_hint: [string, Res][];
  zip: [number[][], Res, Res][];
  map: [number[][], Res][];
  filter: { none: Res; bool: Res };
  errors: Record<string, Res>;
  reuse: { enumerate: boolean[]; zip: boolean[]; refcounts: number[] };
  seqiter: { list: Res; hint: Res };
  calliter: Res;
};

// ---- a type with only __getitem__ (sq_item) that raises IndexError past n: `Seq` ----
// layout: 16 n (int32)
const Seq = newStaticType({
  name: 'Seq',
  basicsize: 24,
  slots: {
    tp_dealloc: (o) => PyObject_Free(o),
    sq_item: (o, i) => {
      if (i >= I32[(o + 16) >> 2]) {
        PyErr_SetString(PyExc_IndexError, String(i));
        return NULL;
      }
      return PyLong_FromNumber(i * 10);
    },
  },
});
function seq(n: number): Ptr {
  const o = PyObject_New(Seq);
  I32[(o + 16) >> 2] = n;
  I32[(o + 20) >> 2] = 0;
  return o;
}
// the same with a length, raising KeyError at index 1 (errors other than IndexError propagate)
const SeqLen = newStaticType({
  name: 'SeqLen',
  basicsize: 24,
  slots: {
    tp_dealloc: (o) => PyObject_Free(o),
    sq_length: (o) => I32[(o + 16) >> 2],
    sq_item: (o, i) => {
      if (i === 1 && I32[(o + 20) >> 2] === 0) {
        I32[(o + 20) >> 2] = 1; // only once
        PyErr_SetString(PyExc_KeyError, 'k');
        return NULL;
      }
      if (i === 3) {
        PyErr_SetString(PyExc_StopIteration, '');
        return NULL;
      }
      return PyLong_FromNumber(i);
    },
  },
});

// `lambda *a: a` as a builtin function
const packDef: MethodDef = { name: 'pack', flags: METH_FASTCALL, fn: (_s, args, nargs) => _PyTuple_FromArray(args, nargs) };
// a function returning 1, 2, 3, ... (for iter(f, sentinel))
let counter = 0;
const countDef: MethodDef = { name: 'count', flags: METH_NOARGS, fn: () => PyLong_FromNumber(++counter) };
const stopDef: MethodDef = {
  name: 'stopper', flags: METH_NOARGS,
  fn: () => {
    if (++counter > 2) {
      PyErr_SetString(PyExc_StopIteration, '');
      return NULL;
    }
    return PyLong_FromNumber(counter);
  },
};

beforeAll(() => {
  wire();
});

function ints(xs: number[]): Ptr {
  const l = PyList_New(xs.length);
  xs.forEach((x, i) => PyList_SET_ITEM(l, i, PyLong_FromNumber(x)));
  return l;
}
function str(s: string): Ptr {
  return PyUnicode_FromString(s);
}
function big(s: string): Ptr {
  return PyLong_FromBigInt(BigInt(s));
}
function newRef(o: Ptr): Ptr {
  Py_INCREF(o);
  return o;
}
function reprJs(o: Ptr): string {
  const r = PyObject_Repr(o);
  if (r === NULL) throw new Error('repr failed: ' + pendingMessage());
  const s = unicodeToJs(r);
  Py_DECREF(r);
  return s;
}
function takeErr(): string {
  const t = PyErr_Occurred();
  if (t === NULL) throw new Error('expected an exception');
  const m = `${typeName(t)}: ${pendingMessage() ?? ''}`;
  PyErr_Clear();
  return m;
}
/** the repr of a new reference (released), or the pending error */
function res(o: Ptr): Res {
  if (o === NULL) return { err: takeErr() };
  const s = reprJs(o);
  Py_DECREF(o);
  return s;
}
/** list(o) of a new reference (o released), as a result */
function listRes(o: Ptr): Res {
  if (o === NULL) return { err: takeErr() };
  const l = PySequence_List(o);
  Py_DECREF(o);
  return res(l);
}
/** callable(*pos, **kw) — all arguments are new references, released here. */
function call(callable: Ptr, pos: Ptr[], kw: [string, Ptr][] = []): Ptr {
  const n = pos.length + kw.length;
  const t = PyTuple_New(Math.max(n, 1));
  pos.forEach((a, i) => PyTuple_SET_ITEM(t, i, a));
  kw.forEach(([, v], i) => PyTuple_SET_ITEM(t, pos.length + i, v));
  let kwnames: Ptr = NULL;
  if (kw.length > 0) {
    kwnames = PyTuple_New(kw.length);
    kw.forEach(([k], i) => PyTuple_SET_ITEM(kwnames, i, str(k)));
  }
  const r = PyObject_Vectorcall(callable, t + 24, pos.length, kwnames);
  if (kwnames !== NULL) Py_DECREF(kwnames);
  Py_DECREF(t);
  return r;
}
/** type.__new__(type, *pos, **kw) through tp_new; arguments are new references. */
function tpNew(type: Ptr, pos: Ptr[], kw: [string, Ptr][] = []): Ptr {
  const t = PyTuple_New(pos.length);
  pos.forEach((a, i) => PyTuple_SET_ITEM(t, i, a));
  let d: Ptr = NULL;
  if (kw.length > 0) {
    d = PyDict_New();
    for (const [k, v] of kw) {
      const key = str(k);
      PyDict_SetItem(d, key, v);
      Py_DECREF(key);
      Py_DECREF(v);
    }
  }
  const r = slotsOf(type).tp_new!(type, t, d);
  Py_DECREF(t);
  if (d !== NULL) Py_DECREF(d);
  return r;
}
function next(it: Ptr): Ptr {
  return slotsOfObj(it).tp_iternext!(it);
}
function meth(o: Ptr, name: string, arg: Ptr = NULL): Ptr {
  const m = slotsOf(I32[(o + OB_TYPE) >> 2]).methods.find((d) => d.name === name)!;
  return m.fn(o, arg, 0, NULL);
}
function clean(): void {
  clearTupleFreeLists();
  clearFloatFreeList();
  clearListFreeList();
  clearDictFreeLists();
}
/** Run body twice; the second run must leave the allocated block count unchanged. */
function noLeak(body: () => void): void {
  body();
  clean();
  const base = getAllocatedBlocks();
  body();
  clean();
  expect(getAllocatedBlocks()).toBe(base);
}

const SEQS: Record<string, () => Ptr> = {
  list: () => ints([1, 2, 3]),
  tuple: () => { const t = PyTuple_New(2); PyTuple_SET_ITEM(t, 0, PyLong_FromNumber(4)); PyTuple_SET_ITEM(t, 1, PyLong_FromNumber(5)); return t; },
  str: () => str('abc'),
  empty: () => ints([]),
  range: () => PyRange_FromNumbers(3, 9, 2),
  seq: () => seq(4),
};

describe('sizes', () => {
  it('getsizeof of every iterator type matches CPython', () => {
    const objs: [string, Ptr][] = [
      ['enumerate', call(PyEnum_Type, [ints([])])],
      ['reversed', call(PyReversed_Type, [SEQS.tuple()])],
      ['zip', call(PyZip_Type, [])],
      ['map', call(PyMap_Type, [newRef(PyLong_Type), ints([])])],
      ['filter', call(PyFilter_Type, [newRef(Py_None), ints([])])],
      ['iterator', (() => { const q = seq(1); const it = PyObject_GetIter(q); Py_DECREF(q); return it; })()],
      ['callable_iterator', PyCallIter_New(PyLong_Type, Py_None)],
    ];
    for (const [name, o] of objs) {
      expect(o, name).not.toBe(NULL);
      expect(getsizeof(o), name).toBe(fx.sizes[name]);
      expect(_PyObject_GC_IS_TRACKED(o), name).toBe(true);
      Py_DECREF(o);
    }
  });
});

describe('enumerate', () => {
  it(`${fx.enumerate.length} sequences x starts match CPython`, () => {
    noLeak(() => {
      for (const [name, start, expected] of fx.enumerate) {
        const args = [SEQS[name]()];
        if (start !== null) args.push(typeof start === 'boolean' ? newRef(Py_True) : big(start));
        expect(listRes(call(PyEnum_Type, args)), `enumerate(${name}, ${String(start)})`).toEqual(expected);
      }
    });
  });

  it('keyword forms and errors match CPython', () => {
    const E = PyEnum_Type;
    const cases: [string, () => Ptr][] = [
      ['enumerate()', () => call(E, [])],
      ['enumerate([], 1, 2)', () => call(E, [ints([]), big('1'), big('2')])],
      ['enumerate([], x=2)', () => call(E, [ints([])], [['x', big('2')]])],
      ['enumerate(x=2)', () => call(E, [], [['x', big('2')]])],
      ['enumerate([], start=2, x=1)', () => call(E, [ints([])], [['start', big('2')], ['x', big('1')]])],
      ['enumerate(start=2, x=[5])', () => call(E, [], [['start', big('2')], ['x', ints([5])]])],
      ['enumerate(x=2, start=[5])', () => call(E, [], [['x', big('2')], ['start', ints([5])]])],
      ['enumerate([], start=2.0)', () => call(E, [ints([])], [['start', PyFloat_FromDouble(2)]])],
      ['enumerate(5)', () => call(E, [big('5')])],
      ['enumerate.__new__(enumerate)', () => tpNew(E, [])],
      ['enumerate.__new__(enumerate, [], 1, 2)', () => tpNew(E, [ints([]), big('1'), big('2')])],
      ['enumerate.__new__(enumerate, [], sequence=1)', () => tpNew(E, [ints([])], [['sequence', big('1')]])],
      ['enumerate.__new__(enumerate, [], iterable=1)', () => tpNew(E, [ints([])], [['iterable', big('1')]])],
    ];
    for (const [src, f] of cases) expect(res(f()), src).toEqual(fx.errors[src]);
    expect(listRes(call(E, [], [['start', big('2')], ['iterable', ints([5])]]))).toBe(fx.errors['list(enumerate(start=2, iterable=[5]))']);
    expect(listRes(call(E, [], [['iterable', ints([5])]]))).toBe(fx.errors['list(enumerate(iterable=[5]))']);
  });

  it('reuses its result tuple while nobody else holds it (id reuse and refcounts as CPython)', () => {
    const e = call(PyEnum_Type, [str('abc')]);
    const a = next(e);
    const ida = a;
    Py_DECREF(a);
    const b = next(e);
    expect(b === ida).toBe(fx.reuse.enumerate[0]);
    const c = next(e);
    expect(c !== b).toBe(fx.reuse.enumerate[1]);
    Py_DECREF(b);
    Py_DECREF(c);
    // a result untracked by a collection is tracked again when it is refilled
    const t = next(e); // exhausted: NULL
    expect(t).toBe(NULL);
    Py_DECREF(e);
    // sys.getrefcount(t) of the first result = refcount + 1 (the argument): the variable and
    // the enumerate object hold it
    const e1 = call(PyEnum_Type, [str('ab')]);
    const first = next(e1);
    expect(Py_REFCNT(first) + 1).toBe(fx.reuse.refcounts[0]);
    Py_DECREF(first);
    Py_DECREF(e1);
    const e2 = call(PyEnum_Type, [str('ab')]);
    const r1 = next(e2);
    PyObject_GC_UnTrack(r1);
    Py_DECREF(r1);
    const r2 = next(e2);
    expect(r2).toBe(r1);
    expect(_PyObject_GC_IS_TRACKED(r2)).toBe(true);
    Py_DECREF(r2);
    Py_DECREF(e2);
  });

  it('a result tuple reuse does not touch gen0; a fresh one is a tuple allocation', () => {
    const e = call(PyEnum_Type, [ints([1, 2, 3, 4])]);
    const a = next(e);
    Py_DECREF(a);
    const c0 = gcCount[0];
    const b = next(e);
    expect(gcCount[0]).toBe(c0);
    Py_DECREF(b);
    Py_DECREF(e);
  });

  it('indices cross the 32-bit boundaries exactly', () => {
    for (const start of [2n ** 31n - 2n, 2n ** 32n - 2n, -2n, -(2n ** 31n) - 1n, 2n ** 53n - 1n]) {
      const e = call(PyEnum_Type, [str('abc'), big(String(start))]);
      const got: string[] = [];
      for (let t = next(e); t !== NULL; t = next(e)) {
        got.push(reprJs(t));
        Py_DECREF(t);
      }
      expect(got).toEqual(['a', 'b', 'c'].map((ch, i) => `(${start + BigInt(i)}, '${ch}')`));
      Py_DECREF(e);
    }
  });

  it('counts past PY_SSIZE_T_MAX with int objects', () => {
    const e = call(PyEnum_Type, [str('abc'), big('9223372036854775806')]);
    const got: string[] = [];
    for (let t = next(e); t !== NULL; t = next(e)) {
      got.push(reprJs(t));
      Py_DECREF(t);
    }
    expect(got).toEqual(["(9223372036854775806, 'a')", "(9223372036854775807, 'b')", "(9223372036854775808, 'c')"]);
    Py_DECREF(e);
  });
});

describe('reversed', () => {
  it('sequences, __reversed__ and errors match CPython', () => {
    noLeak(() => {
      for (const [name, expected] of fx.reversed) {
        expect(listRes(call(PyReversed_Type, [SEQS[name]()])), `reversed(${name})`).toEqual(expected);
      }
    });
    // list and range have __reversed__: their own iterators
    const rl = call(PyReversed_Type, [ints([1])]);
    expect(typeName(I32[(rl + OB_TYPE) >> 2])).toBe('list_reverseiterator');
    Py_DECREF(rl);
    const rr = call(PyReversed_Type, [PyRange_FromNumbers(0, 3, 1)]);
    expect(typeName(I32[(rr + OB_TYPE) >> 2])).toBe('range_iterator');
    Py_DECREF(rr);
    const cases: [string, () => Ptr][] = [
      ['reversed()', () => call(PyReversed_Type, [])],
      ['reversed(1, 2)', () => call(PyReversed_Type, [big('1'), big('2')])],
      ['reversed([], x=1)', () => call(PyReversed_Type, [ints([])], [['x', big('1')]])],
      ['reversed(5)', () => call(PyReversed_Type, [big('5')])],
      ['reversed({1})', () => { const l = ints([1]); const s = PySet_New(l); Py_DECREF(l); return call(PyReversed_Type, [s]); }],
      ['reversed.__new__(reversed)', () => tpNew(PyReversed_Type, [])],
    ];
    for (const [src, f] of cases) expect(res(f()), src).toEqual(fx.errors[src]);
  });

  it('__length_hint__ and the end of iteration', () => {
    const r = call(PyReversed_Type, [SEQS.tuple()]);
    expect(typeName(I32[(r + OB_TYPE) >> 2])).toBe('reversed');
    expect(res(meth(r, '__length_hint__'))).toBe('2');
    Py_DECREF(next(r));
    expect(res(meth(r, '__length_hint__'))).toBe('1');
    Py_DECREF(next(r));
    expect(next(r)).toBe(NULL);
    expect(PyErr_Occurred()).toBe(NULL);
    expect(res(meth(r, '__length_hint__'))).toBe('0');
    expect(I32[(r + 24) >> 2]).toBe(NULL); // the sequence was released
    Py_DECREF(r);
    for (const [name, expected] of fx.reversed_hint) {
      const rr = call(PyReversed_Type, [name === 'tuple' ? (() => { const t = PyTuple_New(3); for (let i = 0; i < 3; i++) PyTuple_SET_ITEM(t, i, PyLong_FromNumber(i + 1)); return t; })() : str('ab')]);
      expect(res(meth(rr, '__length_hint__'))).toEqual(expected);
      Py_DECREF(rr);
    }
  });
});

describe('zip', () => {
  it(`${fx.zip.length} length combinations, with and without strict=True`, () => {
    noLeak(() => {
      for (const [lists, plain, strict] of fx.zip) {
        const ctx = `zip(${JSON.stringify(lists)})`;
        expect(listRes(call(PyZip_Type, lists.map(ints))), ctx).toEqual(plain);
        expect(listRes(call(PyZip_Type, lists.map(ints), [['strict', newRef(Py_True)]])), ctx + ' strict').toEqual(strict);
      }
    });
  });

  it('errors match CPython', () => {
    const cases: [string, () => Ptr][] = [
      ['zip(x=1)', () => call(PyZip_Type, [], [['x', big('1')]])],
      ['zip([], strict=1, x=2)', () => call(PyZip_Type, [ints([])], [['strict', big('1')], ['x', big('2')]])],
      ['zip(1)', () => call(PyZip_Type, [big('1')])],
      ['zip([], 1)', () => call(PyZip_Type, [ints([]), big('1')])],
    ];
    for (const [src, f] of cases) expect(res(f()), src).toEqual(fx.errors[src]);
  });

  it('reuses its result tuple while nobody else holds it', () => {
    const z = call(PyZip_Type, [str('abc'), str('def')]);
    const a = next(z);
    const ida = a;
    Py_DECREF(a);
    const b = next(z);
    expect(b === ida).toBe(fx.reuse.zip[0]);
    const c = next(z);
    expect(c !== b).toBe(fx.reuse.zip[1]);
    Py_DECREF(b);
    Py_DECREF(c);
    Py_DECREF(z);
    const z1 = call(PyZip_Type, [str('ab')]);
    const first = next(z1);
    expect(Py_REFCNT(first) + 1).toBe(fx.reuse.refcounts[1]);
    Py_DECREF(first);
    Py_DECREF(z1);
  });
});

describe('map and filter', () => {
  it('map(lambda *a: a, ...) matches CPython (1 to 7 iterables)', () => {
    const pack = PyCFunction_New(packDef, NULL, NULL);
    noLeak(() => {
      for (const [lists, expected] of fx.map) {
        expect(listRes(call(PyMap_Type, [newRef(pack), ...lists.map(ints)])), JSON.stringify(lists)).toEqual(expected);
      }
    });
    Py_DECREF(pack);
  });

  it('filter(None, ...) and filter(bool, ...) match CPython; a predicate is called', () => {
    const items = (): Ptr => {
      const vals = [
        PyLong_FromNumber(0), PyLong_FromNumber(1), str(''), str('a'), newRef(Py_None), ints([]), ints([0]),
        PyFloat_FromDouble(0), PyFloat_FromDouble(2.5), PyTuple_New(0), (() => { const t = PyTuple_New(1); PyTuple_SET_ITEM(t, 0, PyLong_FromNumber(0)); return t; })(),
      ];
      const l = PyList_New(vals.length);
      vals.forEach((v, i) => PyList_SET_ITEM(l, i, v));
      return l;
    };
    noLeak(() => {
      expect(listRes(call(PyFilter_Type, [newRef(Py_None), items()]))).toEqual(fx.filter.none);
      expect(listRes(call(PyFilter_Type, [newRef(PyBool_Type), items()]))).toEqual(fx.filter.bool);
      // int as a predicate: int('0') is falsy
      const l = PyList_New(3);
      ['0', '7', '00'].forEach((s, i) => PyList_SET_ITEM(l, i, str(s)));
      expect(listRes(call(PyFilter_Type, [newRef(PyLong_Type), l]))).toBe("['7']");
    });
  });

  it('errors match CPython', () => {
    const cases: [string, () => Ptr][] = [
      ['map()', () => call(PyMap_Type, [])],
      ['map(len)', () => call(PyMap_Type, [newRef(PyLong_Type)])],
      ['map(len, [], x=1)', () => call(PyMap_Type, [newRef(PyLong_Type), ints([])], [['x', big('1')]])],
      ['map(len, 1)', () => call(PyMap_Type, [newRef(PyLong_Type), big('1')])],
      ['map.__new__(map, len)', () => tpNew(PyMap_Type, [newRef(PyLong_Type)])],
      ['filter()', () => call(PyFilter_Type, [])],
      ['filter(None)', () => call(PyFilter_Type, [newRef(Py_None)])],
      ['filter(None, [], [])', () => call(PyFilter_Type, [newRef(Py_None), ints([]), ints([])])],
      ['filter(None, [], x=1)', () => call(PyFilter_Type, [newRef(Py_None), ints([])], [['x', big('1')]])],
      ['filter(None, 5)', () => call(PyFilter_Type, [newRef(Py_None), big('5')])],
      ['filter.__new__(filter, len)', () => tpNew(PyFilter_Type, [newRef(PyLong_Type)])],
    ];
    for (const [src, f] of cases) expect(res(f()), src).toEqual(fx.errors[src]);
    expect(listRes(call(PyMap_Type, [big('5'), ints([1])]))).toEqual(fx.errors['list(map(5, [1]))']);
  });

  it('deeply nested filters are freed without recursion (trashcan)', () => {
    let f = ints([1]);
    for (let i = 0; i < 100000; i++) f = call(PyFilter_Type, [newRef(Py_None), f]);
    Py_DECREF(f);
  });
});

describe('sequence and callable iterators', () => {
  it('iter() of an object with only __getitem__ uses the sequence iterator', () => {
    noLeak(() => {
      const q = seq(5);
      const it = PyObject_GetIter(q);
      Py_DECREF(q);
      expect(I32[(it + OB_TYPE) >> 2]).toBe(PySeqIter_Type);
      expect(res(meth(it, '__length_hint__'))).toEqual(fx.seqiter.hint);
      expect(listRes(it)).toEqual(fx.seqiter.list);
    });
  });

  it('errors other than IndexError propagate and leave the iterator usable; StopIteration ends it', () => {
    const o = PyObject_New(SeqLen);
    I32[(o + 16) >> 2] = 5;
    I32[(o + 20) >> 2] = 0;
    const it = PyObject_GetIter(o);
    Py_DECREF(o);
    expect(res(next(it))).toBe('0');
    expect(res(next(it))).toEqual({ err: "KeyError: k" });
    expect(res(meth(it, '__length_hint__'))).toBe('4');
    expect(res(next(it))).toBe('1');
    expect(res(next(it))).toBe('2');
    expect(next(it)).toBe(NULL); // StopIteration from __getitem__
    expect(PyErr_Occurred()).toBe(NULL);
    expect(res(meth(it, '__length_hint__'))).toBe('0');
    expect(next(it)).toBe(NULL);
    Py_DECREF(it);
  });

  it('iter(callable, sentinel) stops at the sentinel or at StopIteration', () => {
    noLeak(() => {
      counter = 0;
      const f = PyCFunction_New(countDef, NULL, NULL);
      const four = PyLong_FromNumber(4);
      const it = PyCallIter_New(f, four);
      Py_DECREF(f);
      Py_DECREF(four);
      expect(I32[(it + OB_TYPE) >> 2]).toBe(PyCallIter_Type);
      expect(listRes(newRef(it))).toEqual(fx.calliter);
      // exhausted: the callable and the sentinel were released
      expect(I32[(it + 16) >> 2]).toBe(NULL);
      expect(next(it)).toBe(NULL);
      Py_DECREF(it);
      counter = 0;
      const g = PyCFunction_New(stopDef, NULL, NULL);
      const it2 = PyCallIter_New(g, Py_None);
      Py_DECREF(g);
      expect(listRes(it2)).toBe('[1, 2]');
    });
  });
});

