import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { I32 } from '../../../../runtime/mem/heap.js';
import { getAllocatedBlocks } from '../../../../runtime/mem/pymem.js';
import { type Ptr, NULL, Py_DECREF, Py_REFCNT, HASH_HI, hashToBigInt, OB_TYPE } from '../../../../runtime/object.js';
import { slotsOf, slotsOfObj, typeName, Py_EQ, Py_NE, Py_LT, type MethodDef } from '../../../../runtime/typeobject.js';
import { PyErr_Occurred, PyErr_Clear, pendingMessage } from '../../../../runtime/errors.js';
import {
  PyObject_GetIter, PyObject_Hash, PyObject_RichCompare, PySequence_Contains, PyObject_GetItem, PyObject_IsTrue,
  PySequence_GetItem,
} from '../../../../runtime/abstract.js';
import { PyLong_FromBigInt, Py_True, Py_False, smallInt } from '../../../../runtime/objects/longobject.js';
import { PyFloat_FromDouble, clearFreeLists as clearFloatFreeList } from '../../../../runtime/objects/floatobject.js';
import { PyTuple_New, PyTuple_SET_ITEM, clearFreeLists as clearTupleFreeLists } from '../../../../runtime/objects/tupleobject.js';
import { PySlice_New, PySlice_ClearCache } from '../../../../runtime/objects/sliceobject.js';
import { PyUnicode_FromString } from '../../../../runtime/objects/unicodeobject.js';
import { Py_None } from '../../../../runtime/objects/noneobject.js';
import {
  PyRange_Type, PyRangeIter_Type, PyLongRangeIter_Type, PyRange_Check, PyRange_FromNumbers,
} from '../../../../runtime/objects/rangeobject.js';
import { getsizeof, repr } from './containers_helpers.js';

type Res = string | boolean | { err: string };
interface Case {
  args: [string, string, string]; n: string; repr: string; hash: string; bool: boolean; len: Res;
  items: [string, Res][]; slices: Res[]; contains: [string | boolean, boolean][]; index: [string | boolean, Res][];
  count: [string | boolean, string][]; contains_float?: [number, boolean][]; index_float?: [number, Res][];
  count_float?: [number, string][]; iter_type: string; iter_hint: string; iter_first: string[]; iter_hint_after: string;
  rev_type: string; rev_hint: string; rev_first: string[]; list?: string[];
}
const fx = JSON.parse(readFileSync(new URL('../../../fixtures/iterators/range.json', import.meta.url), 'utf8')) as {
  cases: Case[]; eq_subset: [string, string, string][]; eq: [number, number][];
  ctor_errors: [string[], Res][]; misc: Record<string, unknown>;
};

const S = slotsOf(PyRange_Type);

function big(s: string): Ptr {
  const o = PyLong_FromBigInt(BigInt(s));
  if (o === NULL) throw new Error('int alloc failed');
  return o;
}
/** a probe value from the fixture encoding: booleans stay bools, strings are ints */
function probe(v: string | boolean | number): Ptr {
  if (typeof v === 'boolean') {
    const b = v ? Py_True : Py_False;
    I32[b >> 2]++;
    return b;
  }
  if (typeof v === 'number') return PyFloat_FromDouble(v);
  return big(v);
}
/** Take the pending error as "Type: message". */
function takeErr(): string {
  const t = PyErr_Occurred();
  if (t === NULL) throw new Error('expected an exception');
  const m = `${typeName(t)}: ${pendingMessage() ?? ''}`;
  PyErr_Clear();
  return m;
}
/** The result of an operation returning a new reference: its repr, or the error. */
function res(o: Ptr): Res {
  if (o === NULL) return { err: takeErr() };
  const s = repr(o);
  Py_DECREF(o);
  return s;
}
/** Call a type's vectorcall with borrowed args. */
function vcall(type: Ptr, args: Ptr[]): Ptr {
  const t = PyTuple_New(Math.max(args.length, 1));
  args.forEach((a, i) => {
    I32[a >> 2]++;
    PyTuple_SET_ITEM(t, i, a);
  });
  const r = slotsOf(type).tp_vectorcall!(type, t + 24, args.length, NULL);
  Py_DECREF(t);
  return r;
}
function makeRange(args: string[]): Ptr {
  const objs = args.map(big);
  const r = vcall(PyRange_Type, objs);
  objs.forEach(Py_DECREF);
  if (r === NULL) throw new Error('range() failed: ' + takeErr());
  return r;
}
function method(type: Ptr, name: string): MethodDef {
  const m = slotsOf(type).methods.find((d) => d.name === name);
  if (m === undefined) throw new Error('no method ' + name);
  return m;
}
function callMeth(o: Ptr, name: string, arg: Ptr = NULL): Ptr {
  return method(I32[(o + OB_TYPE) >> 2], name).fn(o, arg, 0, NULL);
}
function next(it: Ptr): Ptr {
  return slotsOfObj(it).tp_iternext!(it);
}
function take(it: Ptr, n: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const v = next(it);
    if (v === NULL) {
      expect(PyErr_Occurred()).toBe(NULL);
      break;
    }
    out.push(repr(v));
    Py_DECREF(v);
  }
  return out;
}
function clean(): void {
  clearTupleFreeLists();
  clearFloatFreeList();
  PySlice_ClearCache();
}

describe('range: construction, repr, len, bool, hash against CPython', () => {
  it(`${fx.cases.length} start/stop/step triples`, () => {
    clean();
    const base = getAllocatedBlocks();
    for (const c of fx.cases) {
      const ctx = `range(${c.args.join(', ')})`;
      const r = makeRange(c.args);
      expect(PyRange_Check(r)).toBe(true);
      expect(repr(r), ctx).toBe(c.repr);
      // sq_length returns a JS number: exact below 2^53 (len() of a longer range is approximate)
      const len = S.sq_length!(r);
      const got = len === -1 && PyErr_Occurred() !== NULL ? { err: takeErr() } : len;
      expect(got, ctx).toEqual(typeof c.len === 'string' ? Number(c.len) : c.len);
      expect(PyObject_IsTrue(r) === 1, ctx).toBe(c.bool);
      const lo = PyObject_Hash(r);
      const h = hashToBigInt(lo, HASH_HI[0]);
      if (BigInt(c.n) >= 2n) {
        expect(h.toString(), ctx).toBe(c.hash);
      } else {
        // hash((len, start or None, None)): None hashes by address in 3.11, so compare with the
        // same tuple built here
        const t = PyTuple_New(3);
        PyTuple_SET_ITEM(t, 0, big(c.n));
        PyTuple_SET_ITEM(t, 1, c.n === '0' ? (I32[Py_None >> 2]++, Py_None) : big(c.args[0]));
        PyTuple_SET_ITEM(t, 2, (I32[Py_None >> 2]++, Py_None));
        const tl = PyObject_Hash(t);
        expect(h, ctx).toBe(hashToBigInt(tl, HASH_HI[0]));
        Py_DECREF(t);
      }
      expect(repr(I32[(r + 40) >> 2]), ctx).toBe(c.n);
      expect(Py_REFCNT(r)).toBe(1);
      Py_DECREF(r);
    }
    clean();
    expect(getAllocatedBlocks()).toBe(base);
  });

  it('constructor errors and the one-argument forms', () => {
    for (const [args, expected] of fx.ctor_errors) {
      const objs = args.map((a) => (a === 'None' ? (I32[Py_None >> 2]++, Py_None) : a.startsWith("'") ? PyUnicode_FromString(a.slice(1, -1)) : a.includes('.') ? PyFloat_FromDouble(Number(a)) : big(a)));
      const r = vcall(PyRange_Type, objs);
      objs.forEach(Py_DECREF);
      expect(res(r), args.join(',')).toEqual(expected);
    }
    // keywords
    const kw = PyTuple_New(1);
    PyTuple_SET_ITEM(kw, 0, PyUnicode_FromString('x'));
    const t = PyTuple_New(2);
    PyTuple_SET_ITEM(t, 0, big('1'));
    PyTuple_SET_ITEM(t, 1, big('2'));
    expect(res(S.tp_vectorcall!(PyRange_Type, t + 24, 1, kw))).toEqual(fx.misc.kw);
    // tp_new (range.__new__(range, ...)) gives the same messages
    const empty = PyTuple_New(0);
    expect(res(S.tp_new!(PyRange_Type, empty, NULL))).toEqual({ err: 'TypeError: range expected at least 1 argument, got 0' });
    expect(res(S.tp_new!(PyRange_Type, t, NULL))).toBe('range(1, 2)');
    Py_DECREF(empty);
    Py_DECREF(t);
    Py_DECREF(kw);
    // True converts to the exact int 1 (PyNumber_Index in 3.11 returns an exact int)
    const r = vcall(PyRange_Type, [Py_True, big('5'), Py_True]);
    expect(repr(r)).toBe(fx.misc.repr_true);
    expect(I32[(I32[(r + 16) >> 2] + OB_TYPE) >> 2]).toBe(I32[(smallInt(1) + OB_TYPE) >> 2]);
    Py_DECREF(r);
  });

  it('getsizeof of range and both iterators is 48 (not GC types)', () => {
    const r = PyRange_FromNumbers(0, 3, 1);
    expect(getsizeof(r)).toBe(fx.misc.sizeof_range);
    const it = PyObject_GetIter(r);
    expect(I32[(it + OB_TYPE) >> 2]).toBe(PyRangeIter_Type);
    expect(getsizeof(it)).toBe(fx.misc.sizeof_iter);
    const big2 = makeRange(['0', '18446744073709551616', '1']);
    const lit = PyObject_GetIter(big2);
    expect(I32[(lit + OB_TYPE) >> 2]).toBe(PyLongRangeIter_Type);
    expect(getsizeof(lit)).toBe(fx.misc.sizeof_longiter);
    [r, it, big2, lit].forEach(Py_DECREF);
  });
});

describe('range: indexing, slicing, contains, index, count against CPython', () => {
  it('r[i] for edge indices, r[slice] for 17 slices', () => {
    clean();
    const base = getAllocatedBlocks();
    const slices = [
      [null, null, null], [null, null, '-1'], ['1', null, null], [null, '-1', null], ['2', '5', null], ['-3', null, null],
      ['1', '100', '2'], [null, null, '3'], ['10', '2', '-2'], ['-1', '-100', '-3'], ['0', String(2n ** 70n), null],
      [null, null, String(2n ** 65n)], [String(2n ** 64n), null, '-1'], [String(-(2n ** 64n)), String(2n ** 64n), null],
      ['1', '5', '0'], ['f1.0', '2', null], ['T', null, 'T'],
    ].map((parts: (string | null)[]) => {
      const objs = parts.map((p) => (p === null ? NULL : p === 'T' ? (I32[Py_True >> 2]++, Py_True) : p.startsWith('f') ? PyFloat_FromDouble(Number(p.slice(1))) : big(p)));
      const s = PySlice_New(objs[0], objs[1], objs[2]);
      objs.forEach((o) => o !== NULL && Py_DECREF(o));
      return s;
    });
    for (const c of fx.cases) {
      const ctx = `range(${c.args.join(', ')})`;
      const r = makeRange(c.args);
      for (const [i, expected] of c.items) {
        const k = big(i);
        expect(res(PyObject_GetItem(r, k)), `${ctx}[${i}]`).toEqual(expected);
        Py_DECREF(k);
      }
      slices.forEach((s, j) => expect(res(PyObject_GetItem(r, s)), `${ctx} slice #${j}`).toEqual(c.slices[j]));
      Py_DECREF(r);
    }
    slices.forEach(Py_DECREF);
    clean();
    expect(getAllocatedBlocks()).toBe(base);
  });

  it('in / index / count for ints, bools and floats', () => {
    clean();
    const base = getAllocatedBlocks();
    for (const c of fx.cases) {
      const ctx = `range(${c.args.join(', ')})`;
      const r = makeRange(c.args);
      for (const [v, expected] of c.contains) {
        const o = probe(v);
        expect(PySequence_Contains(r, o), `${String(v)} in ${ctx}`).toBe(expected ? 1 : 0);
        Py_DECREF(o);
      }
      for (const [v, expected] of c.index) {
        const o = probe(v);
        expect(res(callMeth(r, 'index', o)), `${ctx}.index(${String(v)})`).toEqual(expected);
        Py_DECREF(o);
      }
      for (const [v, expected] of c.count) {
        const o = probe(v);
        expect(res(callMeth(r, 'count', o)), `${ctx}.count(${String(v)})`).toEqual(expected);
        Py_DECREF(o);
      }
      for (const [v, expected] of c.contains_float ?? []) {
        const o = probe(v);
        expect(PySequence_Contains(r, o), `${v} in ${ctx}`).toBe(expected ? 1 : 0);
        Py_DECREF(o);
      }
      for (const [v, expected] of c.index_float ?? []) {
        const o = probe(v);
        expect(res(callMeth(r, 'index', o)), `${ctx}.index(${v})`).toEqual(expected);
        Py_DECREF(o);
      }
      for (const [v, expected] of c.count_float ?? []) {
        const o = probe(v);
        expect(res(callMeth(r, 'count', o)), `${ctx}.count(${v})`).toEqual(expected);
        Py_DECREF(o);
      }
      Py_DECREF(r);
    }
    clean();
    expect(getAllocatedBlocks()).toBe(base);
  });

  it('subscript type errors, index of a str, ordering is not supported', () => {
    const r = PyRange_FromNumbers(0, 10, 1);
    const keys = [PyFloat_FromDouble(1), PyUnicode_FromString('a'), (I32[Py_None >> 2]++, Py_None)];
    expect(keys.map((k) => res(S.mp_subscript!(r, k)))).toEqual(fx.misc.subscript_errors);
    expect(res(callMeth(r, 'index', keys[1]))).toEqual(fx.misc.index_str);
    keys.forEach(Py_DECREF);
    const r3 = PyRange_FromNumbers(0, 3, 1);
    const lt = S.tp_richcompare!(r, r3, Py_LT);
    expect(repr(lt)).toBe('NotImplemented');
    Py_DECREF(lt);
    // sq_item through PySequence_GetItem (negative indices get the length added)
    expect(res(PySequence_GetItem(r, -1))).toBe('9');
    expect(res(PySequence_GetItem(r, 10))).toEqual({ err: 'IndexError: range object index out of range' });
    Py_DECREF(r);
    Py_DECREF(r3);
  });
});

describe('range: equality and hash describe the sequence', () => {
  it('== over all pairs of a subset matches CPython', () => {
    const ranges = fx.eq_subset.map(makeRange);
    const eq = new Set(fx.eq.map(([i, j]) => `${i},${j}`));
    for (let i = 0; i < ranges.length; i++) {
      for (let j = 0; j < ranges.length; j++) {
        const e = PyObject_RichCompare(ranges[i], ranges[j], Py_EQ);
        const n = PyObject_RichCompare(ranges[i], ranges[j], Py_NE);
        const want = eq.has(`${i},${j}`);
        expect(e, `${fx.eq_subset[i]} == ${fx.eq_subset[j]}`).toBe(want ? Py_True : Py_False);
        expect(n).toBe(want ? Py_False : Py_True);
        Py_DECREF(e);
        Py_DECREF(n);
        if (want) {
          const h1 = PyObject_Hash(ranges[i]), hi1 = HASH_HI[0];
          const h2 = PyObject_Hash(ranges[j]), hi2 = HASH_HI[0];
          expect([h1, hi1]).toEqual([h2, hi2]);
        }
      }
    }
    ranges.forEach(Py_DECREF);
  });
});

describe('range iterators', () => {
  it('iter() and reversed(): type, __length_hint__, first values match CPython', () => {
    clean();
    const base = getAllocatedBlocks();
    for (const c of fx.cases) {
      const ctx = `range(${c.args.join(', ')})`;
      const r = makeRange(c.args);
      const it = PyObject_GetIter(r);
      expect(typeName(I32[(it + OB_TYPE) >> 2]), ctx).toBe(c.iter_type);
      expect(res(callMeth(it, '__length_hint__')), ctx).toBe(c.iter_hint);
      expect(take(it, 6), ctx).toEqual(c.iter_first);
      expect(res(callMeth(it, '__length_hint__')), ctx).toBe(c.iter_hint_after);
      Py_DECREF(it);
      const rv = callMeth(r, '__reversed__');
      expect(typeName(I32[(rv + OB_TYPE) >> 2]), `reversed(${ctx})`).toBe(c.rev_type);
      expect(res(callMeth(rv, '__length_hint__')), `reversed(${ctx})`).toBe(c.rev_hint);
      expect(take(rv, 6), `reversed(${ctx})`).toEqual(c.rev_first);
      Py_DECREF(rv);
      if (c.list !== undefined) {
        const it2 = PyObject_GetIter(r);
        expect(take(it2, 40), ctx).toEqual(c.list);
        // exhausted iterators stay exhausted
        expect(next(it2)).toBe(NULL);
        expect(PyErr_Occurred()).toBe(NULL);
        Py_DECREF(it2);
      }
      Py_DECREF(r);
    }
    clean();
    expect(getAllocatedBlocks()).toBe(base);
  });

  it('range_iterator yields small ints from the cache and allocates only larger results', () => {
    const r = PyRange_FromNumbers(250, 262, 1);
    const it = PyObject_GetIter(r);
    const base = getAllocatedBlocks();
    for (let v = 250; v < 257; v++) {
      const o = next(it);
      expect(o).toBe(smallInt(v));
      Py_DECREF(o);
    }
    expect(getAllocatedBlocks()).toBe(base);
    const o = next(it);
    expect(repr(o)).toBe('257');
    expect(getAllocatedBlocks()).toBe(base + 1);
    Py_DECREF(o);
    Py_DECREF(it);
    Py_DECREF(r);
  });

  it('values next to the C long limits take the exact path', () => {
    const r = makeRange(['9223372036854775800', '9223372036854775805', '3']);
    const it = PyObject_GetIter(r);
    expect(I32[(it + OB_TYPE) >> 2]).toBe(PyRangeIter_Type);
    expect(take(it, 5)).toEqual(['9223372036854775800', '9223372036854775803']);
    Py_DECREF(it);
    const rv = callMeth(r, '__reversed__');
    expect(I32[(rv + OB_TYPE) >> 2]).toBe(PyRangeIter_Type);
    expect(take(rv, 5)).toEqual(['9223372036854775803', '9223372036854775800']);
    Py_DECREF(rv);
    Py_DECREF(r);
    const r2 = makeRange(['-9223372036854775808', '-9223372036854775805', '1']);
    const it2 = PyObject_GetIter(r2);
    expect(take(it2, 5)).toEqual(['-9223372036854775808', '-9223372036854775807', '-9223372036854775806']);
    Py_DECREF(it2);
    Py_DECREF(r2);
  });

  it('__setstate__ clips the index', () => {
    const r = PyRange_FromNumbers(0, 5, 1);
    const it = PyObject_GetIter(r);
    const three = big('3');
    Py_DECREF(callMeth(it, '__setstate__', three));
    expect(take(it, 5)).toEqual(['3', '4']);
    const neg = big('-7');
    Py_DECREF(callMeth(it, '__setstate__', neg));
    expect(take(it, 1)).toEqual(['0']);
    Py_DECREF(it);
    const lr = makeRange(['0', '18446744073709551616', '1']);
    const lit = PyObject_GetIter(lr);
    Py_DECREF(callMeth(lit, '__setstate__', three));
    expect(take(lit, 2)).toEqual(['3', '4']);
    const huge = big('99999999999999999999999');
    Py_DECREF(callMeth(lit, '__setstate__', huge));
    expect(take(lit, 1)).toEqual([]);
    [three, neg, huge, it, r, lit, lr].forEach(Py_DECREF);
  });

  it('the range iterator does not hold the range', () => {
    const r = PyRange_FromNumbers(0, 1000, 1);
    const it = PyObject_GetIter(r);
    expect(Py_REFCNT(r)).toBe(1);
    Py_DECREF(r);
    expect(take(it, 3)).toEqual(['0', '1', '2']);
    Py_DECREF(it);
  });
});

describe('range: seeded property test against a list model', () => {
  /** Python's slice of a JS array (the model): indices as PySlice_AdjustIndices computes them. */
  function sliceModel(xs: number[], a: number | null, b: number | null, c: number | null): number[] {
    const n = xs.length;
    const step = c ?? 1;
    const adj = (v: number | null, dflt: number): number => {
      if (v === null) return dflt;
      if (v < 0) {
        v += n;
        if (v < 0) v = step < 0 ? -1 : 0;
      } else if (v >= n) v = step < 0 ? n - 1 : n;
      return v;
    };
    const start = adj(a, step < 0 ? n - 1 : 0);
    const stop = adj(b, step < 0 ? -1 : n);
    const out: number[] = [];
    for (let i = start; step > 0 ? i < stop : i > stop; i += step) out.push(xs[i]);
    return out;
  }
  function values(o: Ptr): number[] {
    const it = PyObject_GetIter(o);
    const out: number[] = [];
    for (let v = slotsOfObj(it).tp_iternext!(it); v !== NULL; v = slotsOfObj(it).tp_iternext!(it)) {
      out.push(Number(repr(v)));
      Py_DECREF(v);
    }
    Py_DECREF(it);
    return out;
  }

  it('iteration, len, indexing, slicing and `in` agree with the model (seed 20251121)', () => {
    const seed = 20251121;
    const rnd = ((a: number) => () => {
      a = (a + 0x6d2b79f5) >>> 0;
      let t = Math.imul(a ^ (a >>> 15), a | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    })(seed);
    const int = (lo: number, hi: number): number => lo + Math.floor(rnd() * (hi - lo + 1));
    clean();
    const base = getAllocatedBlocks();
    for (let k = 0; k < 300; k++) {
      const start = int(-30, 30), stop = int(-30, 30);
      let step = int(-7, 7);
      if (step === 0) step = 1;
      const ctx = `seed ${seed}, case ${k}: range(${start}, ${stop}, ${step})`;
      const model: number[] = [];
      for (let v = start; step > 0 ? v < stop : v > stop; v += step) model.push(v);
      const r = PyRange_FromNumbers(start, stop, step);
      expect(values(r), ctx).toEqual(model);
      expect(S.sq_length!(r), ctx).toBe(model.length);
      for (let i = -model.length - 2; i < model.length + 2; i++) {
        const key = PyLong_FromBigInt(BigInt(i));
        const got = res(PyObject_GetItem(r, key));
        Py_DECREF(key);
        const j = i < 0 ? i + model.length : i;
        expect(got, `${ctx}[${i}]`).toEqual(j >= 0 && j < model.length ? String(model[j]) : { err: 'IndexError: range object index out of range' });
      }
      for (let v = -40; v <= 40; v += 3) {
        const o = PyLong_FromBigInt(BigInt(v));
        expect(PySequence_Contains(r, o), `${ctx}: ${v} in`).toBe(model.includes(v) ? 1 : 0);
        Py_DECREF(o);
      }
      for (let q = 0; q < 5; q++) {
        const parts = [rnd() < 0.3 ? null : int(-40, 40), rnd() < 0.3 ? null : int(-40, 40), rnd() < 0.3 ? null : int(-5, 5) || 2];
        const objs = parts.map((p) => (p === null ? NULL : PyLong_FromBigInt(BigInt(p))));
        const s = PySlice_New(objs[0], objs[1], objs[2]);
        objs.forEach((o) => o !== NULL && Py_DECREF(o));
        const sub = PyObject_GetItem(r, s);
        Py_DECREF(s);
        expect(values(sub), `${ctx}[${parts.map((p) => p ?? '').join(':')}]`).toEqual(sliceModel(model, parts[0], parts[1], parts[2]));
        Py_DECREF(sub);
      }
      Py_DECREF(r);
    }
    clean();
    expect(getAllocatedBlocks()).toBe(base);
  });
});
