import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { I32 } from '../../../../runtime/mem/heap.js';
import { getAllocatedBlocks } from '../../../../runtime/mem/pymem.js';
import { type Ptr, NULL, Py_DECREF, Py_REFCNT } from '../../../../runtime/object.js';
import { slotsOf, Py_EQ } from '../../../../runtime/typeobject.js';
import { gcCount, _PyObject_GC_IS_TRACKED } from '../../../../runtime/gc.js';
import { PyObject_GetIter, PyIter_Next, PyObject_RichCompareBool } from '../../../../runtime/abstract.js';
import { Py_None } from '../../../../runtime/objects/noneobject.js';
import { PyLong_AsSsize_t } from '../../../../runtime/objects/longobject.js';
import { PyUnicode_FromString } from '../../../../runtime/objects/unicodeobject.js';
import { PyTuple_New, PyTuple_Pack, PyTuple_Pack2, clearFreeLists as clearTuples } from '../../../../runtime/objects/tupleobject.js';
import { PyList_New, PyList_Append, clearFreeLists as clearLists } from '../../../../runtime/objects/listobject.js';
import {
  PyDict_Type, PyDict_New, PyDict_SetItem, PyDict_DelItem, PyDict_GetItem, PyDict_GetItemStr, PyDict_Next, DICT_NEXT,
  PyDict_Copy, PyDict_Contains, PyDict_GET_SIZE, _PyDict_FromKeys, PyDict_Keys, clearFreeLists as clearDicts,
  dictFreeListCount, dictKeysFreeListCount, dictFreeListStats, _PyDict_Pop, PyDictKeys_Type, PyDictIterItem_Type,
} from '../../../../runtime/objects/dictobject.js';
import { getsizeof, int, repr, takeError, deallocLog, marker, rng } from './containers_helpers.js';

const fx = JSON.parse(readFileSync(new URL('../../../fixtures/containers/dict.json', import.meta.url), 'utf8'));
const S = slotsOf(PyDict_Type);
const M = (name: string) => S.methods.find((m) => m.name === name)!;

function clearAll(): void {
  clearDicts();
  clearLists();
  clearTuples();
}
function set(d: Ptr, k: number, v: number): void {
  const ko = int(k), vo = int(v);
  expect(PyDict_SetItem(d, ko, vo)).toBe(0);
  Py_DECREF(ko);
  Py_DECREF(vo);
}
function setStr(d: Ptr, k: string, v: number): void {
  const ko = PyUnicode_FromString(k), vo = int(v);
  expect(PyDict_SetItem(d, ko, vo)).toBe(0);
  Py_DECREF(ko);
  Py_DECREF(vo);
}
function keysOf(d: Ptr): number[] {
  const out: number[] = [];
  let pos = 0;
  while ((pos = PyDict_Next(d, pos)) >= 0) out.push(PyLong_AsSsize_t(DICT_NEXT.key));
  return out;
}
function callMeth(name: string, self: Ptr, ...args: Ptr[]): Ptr {
  const m = M(name);
  if (m.flags & 0x0004) return m.fn(self, 0, 0, NULL);
  if (m.flags & 0x0008) return m.fn(self, args[0], 0, NULL);
  const holder = PyTuple_Pack(args.length, ...args);
  const r = m.fn(self, holder + 24, args.length, NULL);
  Py_DECREF(holder);
  return r;
}

describe('dict sizes follow the 3.11 compact dict', () => {
  it('insertion of int and str keys (general 24-byte vs unicode 16-byte entries, index widths)', () => {
    clearAll();
    const base = getAllocatedBlocks();
    const d = PyDict_New();
    expect(getsizeof(d)).toBe(64);
    const got: number[] = [];
    for (let i = 0; i < 1500; i++) { set(d, i, 1); got.push(getsizeof(d)); }
    expect(got).toEqual(fx.int_insert_sizes);
    Py_DECREF(d);
    const s = PyDict_New();
    const gs: number[] = [];
    for (let i = 0; i < 700; i++) { setStr(s, `k${i}`, 1); gs.push(getsizeof(s)); }
    expect(gs).toEqual(fx.str_insert_sizes);
    Py_DECREF(s);
    clearAll();
    expect(getAllocatedBlocks()).toBe(base);
  });

  it('resize quirks: 5 inserts + 4 deletes + 1 insert, str table + int key', () => {
    const d = PyDict_New();
    for (let i = 0; i < 5; i++) set(d, i, i);
    for (let i = 0; i < 4; i++) { const k = int(i); expect(PyDict_DelItem(d, k)).toBe(0); Py_DECREF(k); }
    set(d, 100, 1);
    expect(getsizeof(d)).toBe(fx.five_four_one);
    Py_DECREF(d);
    const e = PyDict_New();
    setStr(e, 'a', 1);
    set(e, 1, 2);
    expect(getsizeof(e)).toBe(fx.str_then_int);
    Py_DECREF(e);
    const f = PyDict_New();
    for (let i = 0; i < 6; i++) setStr(f, `s${i}`, i);
    const before = getsizeof(f);
    set(f, 1, 2);
    expect([before, getsizeof(f)]).toEqual(fx.six_str_then_int);
    Py_DECREF(f);
  });

  it('fromkeys, copy, dict(pairs), update sizes', () => {
    clearAll();
    const base = getAllocatedBlocks();
    for (let n = 0; n < 60; n++) {
      const l = PyList_New(0);
      for (let i = 0; i < n; i++) { const k = int(i); PyList_Append(l, k); Py_DECREF(k); }
      const d1 = _PyDict_FromKeys(PyDict_Type, l, Py_None);
      expect(getsizeof(d1), `fromkeys ${n}`).toBe(fx.fromkeys_sizes[n]);
      const src = PyDict_New();
      for (let i = 0; i < n; i++) set(src, i, 0);
      const d2 = _PyDict_FromKeys(PyDict_Type, src, Py_None);
      expect(getsizeof(d2), `fromkeys(dict) ${n}`).toBe(fx.fromkeys_dict_sizes[n]);
      const c = PyDict_Copy(src);
      expect(getsizeof(c), `copy ${n}`).toBe(fx.copy_sizes[n]);
      const pairs = PyList_New(0);
      for (let i = 0; i < n; i++) { const k = int(i), z = int(0); const t = PyTuple_Pack2(k, z); PyList_Append(pairs, t); for (const o of [t, k, z]) Py_DECREF(o); }
      const holder = PyTuple_Pack(1, pairs);
      const d3 = S.tp_vectorcall!(PyDict_Type, holder + 24, 1, NULL);
      expect(getsizeof(d3), `dict(pairs) ${n}`).toBe(fx.dict_pairs_sizes[n]);
      for (const o of [d3, holder, pairs, c, d2, src, d1, l]) Py_DECREF(o);
    }
    for (let n = 0; n < 40; n++) {
      const a = PyDict_New();
      for (let i = 0; i < 3; i++) set(a, i, 0);
      const b = PyDict_New();
      for (let i = 0; i < n; i++) set(b, i + 100, 0);
      const r = callMeth('update', a, b);
      expect(r).toBe(Py_None);
      Py_DECREF(r);
      expect(getsizeof(a), `update ${n}`).toBe(fx.update_sizes[n]);
      Py_DECREF(a);
      Py_DECREF(b);
    }
    clearAll();
    expect(getAllocatedBlocks()).toBe(base);
  });
});

describe('dict operation sequences', () => {
  it('random set/del/pop/popitem/clear/copy: order and getsizeof equal CPython after every step', () => {
    clearAll();
    const base = getAllocatedBlocks();
    (fx.seqs as [unknown[], number[], number][][]).forEach((ops, si) => {
      let d = PyDict_New();
      ops.forEach(([op, keys, size], oi) => {
        const [name, k] = op as [string, number];
        const where = `seq ${si} op ${oi} ${JSON.stringify(op)}`;
        if (name === 'set') set(d, k, k * 2);
        else if (name === 'del') { const ko = int(k); expect(PyDict_DelItem(d, ko), where).toBe(0); Py_DECREF(ko); }
        else if (name === 'popitem') { const r = callMeth('popitem', d); expect(r, where).not.toBe(NULL); Py_DECREF(r); }
        else if (name === 'pop') { const ko = int(k); const r = _PyDict_Pop(d, ko, Py_None); Py_DECREF(r); Py_DECREF(ko); }
        else if (name === 'clear') Py_DECREF(callMeth('clear', d));
        else if (name === 'copy') { const c = PyDict_Copy(d); Py_DECREF(d); d = c; }
        expect(keysOf(d), where).toEqual(keys);
        expect(getsizeof(d), where).toBe(size);
      });
      Py_DECREF(d);
    });
    clearAll();
    expect(getAllocatedBlocks()).toBe(base);
  });

  it('seeded property test against a JS Map', () => {
    for (const seed of [1, 2, 3]) {
      const r = rng(seed);
      const d = PyDict_New();
      const model = new Map<number, number>();
      for (let step = 0; step < 3000; step++) {
        const k = Math.floor(r() * 200) - 100;
        const op = r();
        const ko = int(k);
        if (op < 0.5) {
          const v = Math.floor(r() * 1000);
          const vo = int(v);
          PyDict_SetItem(d, ko, vo);
          Py_DECREF(vo);
          model.set(k, v);
        } else if (op < 0.8) {
          const rc = PyDict_DelItem(d, ko);
          if (model.has(k)) expect(rc, `seed ${seed} step ${step}`).toBe(0);
          else { expect(rc).toBe(-1); expect(takeError()).toBe(''); }
          model.delete(k);
        } else {
          const v = PyDict_GetItem(d, ko);
          if (model.has(k)) expect(PyLong_AsSsize_t(v), `seed ${seed} step ${step}`).toBe(model.get(k));
          else expect(v).toBe(NULL);
        }
        Py_DECREF(ko);
        expect(PyDict_GET_SIZE(d)).toBe(model.size);
      }
      expect(keysOf(d), `seed ${seed}`).toEqual([...model.keys()]);
      Py_DECREF(d);
    }
  });
});

describe('dict behaviour', () => {
  it('free lists of 80 dicts and 80 keys; LIFO; gen0 untouched; stats line', () => {
    clearAll();
    const base = getAllocatedBlocks();
    const ds: Ptr[] = [];
    for (let i = 0; i < 90; i++) { const d = PyDict_New(); setStr(d, 'x', i); ds.push(d); }
    const c0 = gcCount[0];
    for (const d of ds) Py_DECREF(d);
    expect(dictFreeListCount()).toBe(80);
    expect(dictKeysFreeListCount()).toBe(80);
    expect(gcCount[0]).toBe(c0 - 10);
    expect(dictFreeListStats()).toEqual(['           80 free PyDictObjects * 48 bytes each =                3,840']);
    const a = PyDict_New();
    expect(a).toBe(ds[79]);
    Py_DECREF(a);
    clearAll();
    expect(getAllocatedBlocks()).toBe(base);
  });

  it('tracking: created untracked, tracked when a GC-able key or value is stored', () => {
    const d = PyDict_New();
    expect(_PyObject_GC_IS_TRACKED(d)).toBe(false);
    set(d, 1, 2);
    expect(_PyObject_GC_IS_TRACKED(d)).toBe(false);
    const e = PyTuple_New(0);
    const k = int(5);
    PyDict_SetItem(d, k, e); // () is untracked: still not tracked
    expect(_PyObject_GC_IS_TRACKED(d)).toBe(false);
    const inner = PyDict_New();
    PyDict_SetItem(d, k, inner); // an (untracked) dict may be tracked
    expect(_PyObject_GC_IS_TRACKED(d)).toBe(true);
    const c = PyDict_Copy(d);
    expect(_PyObject_GC_IS_TRACKED(c)).toBe(true);
    for (const o of [c, inner, k, e, d]) Py_DECREF(o);
  });

  it('dealloc decrefs key then value, in insertion order', () => {
    deallocLog.length = 0;
    const d = PyDict_New();
    for (let i = 0; i < 3; i++) {
      const k = marker(10 + i), v = marker(20 + i);
      PyDict_SetItem(d, k, v);
      Py_DECREF(k); Py_DECREF(v);
    }
    Py_DECREF(d);
    expect(deallocLog).toEqual([10, 20, 11, 21, 12, 22]);
  });

  it('repr, equality, get/setdefault/pop errors, str fast path, views and iterators', () => {
    clearAll();
    const base = getAllocatedBlocks();
    const e = PyDict_New();
    expect(repr(e)).toBe(fx.reprs[0]);
    const d = PyDict_New();
    set(d, 1, 2);
    expect(repr(d)).toBe(fx.reprs[1]);
    const k = int(1);
    PyDict_SetItem(d, k, d);
    expect(repr(d)).toBe('{1: {...}}');
    set(d, 1, 2);
    const d2 = PyDict_Copy(d);
    expect(PyObject_RichCompareBool(d, d2, Py_EQ)).toBe(1);
    set(d2, 7, 7);
    expect(PyObject_RichCompareBool(d, d2, Py_EQ)).toBe(0);
    const nine = int(9);
    expect(S.mp_subscript!(d, nine)).toBe(NULL);
    expect(takeError()).toBe('');
    const r = callMeth('get', d, nine);
    expect(r).toBe(Py_None);
    Py_DECREF(r);
    const sd = callMeth('setdefault', d, nine, k);
    expect(sd).toBe(k);
    Py_DECREF(sd);
    expect(PyDict_Contains(d, nine)).toBe(1);
    expect(callMeth('popitem', e)).toBe(NULL);
    expect(takeError()).toBe('popitem(): dictionary is empty');
    expect(S.tp_hash!(d)).toBe(-1);
    expect(takeError()).toBe("unhashable type: 'dict'");
    // str fast path
    const s = PyDict_New();
    setStr(s, 'alpha', 1);
    setStr(s, 'beta', 2);
    const beta = PyUnicode_FromString('beta');
    expect(PyLong_AsSsize_t(PyDict_GetItemStr(s, beta))).toBe(2);
    const gamma = PyUnicode_FromString('gamma');
    expect(PyDict_GetItemStr(s, gamma)).toBe(NULL);
    expect(getsizeof(s)).toBe(184);
    // views and iterators
    const kv = callMeth('keys', d);
    expect(I32[(kv + 8) >> 2]).toBe(PyDictKeys_Type);
    expect(getsizeof(kv)).toBe(40);
    expect(repr(kv)).toBe('dict_keys([1, 9])');
    const iv = callMeth('items', d);
    const it = PyObject_GetIter(iv);
    expect(I32[(it + 8) >> 2]).toBe(PyDictIterItem_Type);
    expect(getsizeof(it)).toBe(72);
    const items: string[] = [];
    for (let x = PyIter_Next(it); x !== NULL; x = PyIter_Next(it)) { items.push(repr(x)); Py_DECREF(x); }
    expect(items).toEqual(['(1, 2)', '(9, 1)']);
    // changing size during iteration
    const it2 = PyObject_GetIter(d);
    const first = PyIter_Next(it2);
    Py_DECREF(first);
    set(d, 55, 5);
    expect(PyIter_Next(it2)).toBe(NULL);
    expect(takeError()).toBe('dictionary changed size during iteration');
    const keysList = PyDict_Keys(d);
    expect(repr(keysList)).toBe('[1, 9, 55]');
    expect(Py_REFCNT(d)).toBe(4); // d + views (2) + iterator
    for (const o of [keysList, it2, it, iv, kv, gamma, beta, s, nine, d2, k, d, e]) Py_DECREF(o);
    clearAll();
    expect(getAllocatedBlocks()).toBe(base);
  });
});
