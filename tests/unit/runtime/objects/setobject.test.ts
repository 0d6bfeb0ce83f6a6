import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { getAllocatedBlocks } from '../../../../runtime/mem/pymem.js';
import { type Ptr, NULL, Py_DECREF, HASH_HI, hashToBigInt } from '../../../../runtime/object.js';
import { slotsOf, Py_EQ, Py_LE, Py_LT } from '../../../../runtime/typeobject.js';
import { _PyObject_GC_IS_TRACKED } from '../../../../runtime/gc.js';
import { PyObject_GetIter, PyIter_Next, PyObject_RichCompareBool, PyObject_Hash } from '../../../../runtime/abstract.js';
import { Py_True } from '../../../../runtime/objects/boolobject.js';
import { PyLong_AsSsize_t } from '../../../../runtime/objects/longobject.js';
import { PyTuple_Pack, clearFreeLists as clearTuples } from '../../../../runtime/objects/tupleobject.js';
import { PyList_New, PyList_Append, clearFreeLists as clearLists } from '../../../../runtime/objects/listobject.js';
import { PyDict_New, PyDict_SetItem, clearFreeLists as clearDicts } from '../../../../runtime/objects/dictobject.js';
import {
  PySet_Type, PyFrozenSet_Type, PySet_New, PyFrozenSet_New, PySet_Add, PySet_Discard, PySet_Contains, PySet_GET_SIZE,
  _PySet_Update, PySetIter_Type,
} from '../../../../runtime/objects/setobject.js';
import { getsizeof, int, repr, takeError, rng } from './containers_helpers.js';

const fx = JSON.parse(readFileSync(new URL('../../../fixtures/containers/set.json', import.meta.url), 'utf8'));
const S = slotsOf(PySet_Type);
const call = (name: string, self: Ptr, arg: Ptr = NULL): Ptr => S.methods.find((m) => m.name === name)!.fn(self, arg, 0, NULL);

function clearAll(): void {
  clearDicts();
  clearLists();
  clearTuples();
}
function listOf(vals: number[]): Ptr {
  const l = PyList_New(0);
  for (const v of vals) { const o = int(v); PyList_Append(l, o); Py_DECREF(o); }
  return l;
}
function setOf(vals: number[]): Ptr {
  const l = listOf(vals);
  const s = PySet_New(l);
  Py_DECREF(l);
  return s;
}
function items(s: Ptr): number[] {
  const out: number[] = [];
  const it = PyObject_GetIter(s);
  for (let x = PyIter_Next(it); x !== NULL; x = PyIter_Next(it)) { out.push(PyLong_AsSsize_t(x)); Py_DECREF(x); }
  Py_DECREF(it);
  return out;
}

describe('set sizes and table order', () => {
  it('growth by add, and construction from frozenset / list / dict', () => {
    clearAll();
    const base = getAllocatedBlocks();
    const s = PySet_New(NULL);
    const sizes: number[] = [];
    for (let i = 0; i < 400; i++) { const k = int(i * 7 - 900); PySet_Add(s, k); Py_DECREF(k); sizes.push(getsizeof(s)); }
    expect(sizes).toEqual(fx.add_sizes);
    Py_DECREF(s);
    for (let n = 0; n < 40; n++) {
      const vals = Array.from({ length: n }, (_, i) => i);
      const l = listOf(vals);
      const fz = PyFrozenSet_New(l);
      const a = PySet_New(fz);
      expect(getsizeof(a), `set(frozenset) ${n}`).toBe(fx.from_frozenset_sizes[n]);
      const b = PySet_New(l);
      expect(getsizeof(b), `set(list) ${n}`).toBe(fx.from_list_sizes[n]);
      const d = PyDict_New();
      for (const v of vals) { const k = int(v); PyDict_SetItem(d, k, k); Py_DECREF(k); }
      const c = PySet_New(d);
      expect(getsizeof(c), `set(dict) ${n}`).toBe(fx.from_dict_sizes[n]);
      for (const o of [c, d, b, a, fz, l]) Py_DECREF(o);
    }
    clearAll();
    expect(getAllocatedBlocks()).toBe(base);
  });

  it('random add/discard/pop/clear/update sequences: iteration order and getsizeof equal CPython', () => {
    clearAll();
    const base = getAllocatedBlocks();
    (fx.seqs as [unknown[], number[], number][][]).forEach((ops, si) => {
      const s = PySet_New(NULL);
      ops.forEach(([op, want, size], oi) => {
        const [name, arg] = op as [string, unknown];
        const where = `seq ${si} op ${oi} ${name}`;
        if (name === 'add') { const k = int(arg as number); PySet_Add(s, k); Py_DECREF(k); }
        else if (name === 'discard') { const k = int(arg as number); PySet_Discard(s, k); Py_DECREF(k); }
        else if (name === 'pop') { const r = call('pop', s); expect(r, where).not.toBe(NULL); Py_DECREF(r); }
        else if (name === 'clear') Py_DECREF(call('clear', s));
        else { const o = setOf(arg as number[]); expect(_PySet_Update(s, o)).toBe(0); Py_DECREF(o); }
        expect(items(s), where).toEqual(want);
        expect(getsizeof(s), where).toBe(size);
      });
      Py_DECREF(s);
    });
    clearAll();
    expect(getAllocatedBlocks()).toBe(base);
  });

  it('seeded property test against a JS Set', () => {
    for (const seed of [11, 12]) {
      const r = rng(seed);
      const s = PySet_New(NULL);
      const model = new Set<number>();
      for (let step = 0; step < 3000; step++) {
        const k = Math.floor(r() * 300) - 150;
        const ko = int(k);
        const op = r();
        if (op < 0.5) { PySet_Add(s, ko); model.add(k); }
        else if (op < 0.8) { expect(PySet_Discard(s, ko), `seed ${seed} step ${step}`).toBe(model.has(k) ? 1 : 0); model.delete(k); }
        else expect(PySet_Contains(s, ko), `seed ${seed} step ${step}`).toBe(model.has(k) ? 1 : 0);
        Py_DECREF(ko);
        expect(PySet_GET_SIZE(s)).toBe(model.size);
      }
      expect(items(s).sort((a, b) => a - b)).toEqual([...model].sort((a, b) => a - b));
      Py_DECREF(s);
    }
  });
});

describe('set operations', () => {
  it('frozenset hash matches CPython', () => {
    for (const [vals, h] of fx.frozenset_hashes as [number[], string][]) {
      const l = listOf(vals);
      const f = PyFrozenSet_New(l);
      const lo = PyObject_Hash(f);
      expect(hashToBigInt(lo, HASH_HI[0]).toString()).toBe(h);
      for (const o of [f, l]) Py_DECREF(o);
    }
  });

  it('| & - ^ <= < == isdisjoint match CPython (contents in table order and sizes)', () => {
    clearAll();
    const base = getAllocatedBlocks();
    for (const c of fx.algebra) {
      const A = setOf(c.a), B = setOf(c.b);
      const rs = [S.nb_or!(A, B), S.nb_and!(A, B), S.nb_subtract!(A, B), S.nb_xor!(A, B)];
      expect(rs.map(items)).toEqual([c.or, c.and, c.sub, c.xor]);
      expect(rs.map(getsizeof)).toEqual(c.sizes);
      expect(PyObject_RichCompareBool(A, B, Py_LE)).toBe(c.le ? 1 : 0);
      expect(PyObject_RichCompareBool(A, B, Py_LT)).toBe(c.lt ? 1 : 0);
      expect(PyObject_RichCompareBool(A, B, Py_EQ)).toBe(c.eq ? 1 : 0);
      const d = call('isdisjoint', A, B);
      expect(d === Py_True).toBe(c.disjoint);
      for (const o of [d, ...rs, A, B]) Py_DECREF(o);
    }
    clearAll();
    expect(getAllocatedBlocks()).toBe(base);
  });

  it('repr, tracking, errors, iterator size, frozenset() is not a singleton', () => {
    const e = PySet_New(NULL);
    expect(repr(e)).toBe(fx.reprs[0]);
    expect(_PyObject_GC_IS_TRACKED(e)).toBe(true);
    expect(getsizeof(e)).toBe(216);
    const s = setOf([1, 2]);
    expect(repr(s)).toBe(fx.reprs[1]);
    const f0 = PyFrozenSet_New(NULL), f1 = PyFrozenSet_New(NULL);
    expect(f0).not.toBe(f1);
    expect(repr(f0)).toBe(fx.reprs[2]);
    const l3 = listOf([3]);
    const f3 = PyFrozenSet_New(l3);
    expect(repr(f3)).toBe(fx.reprs[3]);
    expect(call('pop', e)).toBe(NULL);
    expect(takeError()).toBe('pop from an empty set');
    const nine = int(9);
    expect(call('remove', s, nine)).toBe(NULL);
    expect(takeError()).toBe('');
    expect(S.tp_hash!(s)).toBe(-1);
    expect(takeError()).toBe("unhashable type: 'set'");
    // a set key is looked up as a frozenset
    const fs = setOf([3]);
    const holder = PySet_New(NULL);
    PySet_Add(holder, f3);
    expect(S.sq_contains!(holder, fs)).toBe(1);
    const it = PyObject_GetIter(s);
    expect(getsizeof(it)).toBe(64);
    expect(slotsOf(PySetIter_Type).tp_iternext).toBeDefined();
    const x = PyIter_Next(it);
    Py_DECREF(x);
    PySet_Add(s, nine);
    expect(PyIter_Next(it)).toBe(NULL);
    expect(takeError()).toBe('Set changed size during iteration');
    const vc = slotsOf(PyFrozenSet_Type).tp_vectorcall!;
    const args = PyTuple_Pack(1, f3);
    const same = vc(PyFrozenSet_Type, args + 24, 1, NULL);
    expect(same).toBe(f3);
    for (const o of [same, args, it, holder, fs, nine, f3, l3, f1, f0, s, e]) Py_DECREF(o);
  });
});
