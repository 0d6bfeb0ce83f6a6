// The cycle collector on hand-built object graphs (lists, dicts, tuples and a TS "Node" type with
// an optional PEP 442 finalizer), checked against what CPython 3.11 does (reference §6, §7).
import { describe, it, expect, beforeEach } from 'vitest';
import { I32 } from '../../../runtime/mem/heap.js';
import { getAllocatedBlocks } from '../../../runtime/mem/pymem.js';
import { type Ptr, NULL, Py_INCREF, Py_DECREF, Py_REFCNT } from '../../../runtime/object.js';
import {
  gcCount, gcThreshold, gcFlags, gcState, GEN_HEAD, gc_collect_impl, gc_list_size, _PyObject_GC_IS_TRACKED, _PyGC_FINALIZED,
  DEBUG_SAVEALL, gcStatCollections, gcStatCollected, gc_freeze, gc_unfreeze, PERMANENT_GENERATION, forEachInGeneration,
} from '../../../runtime/gc.js';
import '../../../runtime/modules/gcmodule.js';
import { PyInit_gc, gcFini } from '../../../runtime/modules/gcmodule.js';
import { PyList_New, PyList_Append, PyList_GET_SIZE, PyList_SetSlice, listFreeListCount } from '../../../runtime/objects/listobject.js';
import { PyDict_New, PyDict_SetItem, dictFreeListCount } from '../../../runtime/objects/dictobject.js';
import { PyTuple_New, PyTuple_SET_ITEM } from '../../../runtime/objects/tupleobject.js';
import { PyLong_FromSsize_t } from '../../../runtime/objects/longobject.js';
import { PyUnicode_FromString } from '../../../runtime/objects/unicodeobject.js';
import { PyFloat_FromDouble, floatFreeListCount } from '../../../runtime/objects/floatobject.js';
import { PyWeakref_NewRef, PyWeakref_GET_OBJECT, _PyWeakref_GetWeakrefCount, weakrefListPtr } from '../../../runtime/objects/weakrefobject.js';
import { Py_None } from '../../../runtime/objects/noneobject.js';
import { PyModule_GetDict } from '../../../runtime/objects/moduleobject.js';
import { PyDict_GetItem } from '../../../runtime/objects/dictobject.js';
import { readyAllStaticTypes } from '../../../runtime/typeready.js';
import { node, setSlot, log, resetLog, resurrectIds, breakIds, releaseResurrected, logCallback, nodeId } from './gc_helpers.js';

readyAllStaticTypes();

function collect(gen = 2): number {
  return gc_collect_impl(gen);
}
function inGeneration(o: Ptr, gen: number): boolean {
  let found = false;
  forEachInGeneration(gen, (x) => {
    if (x === o) found = true;
  });
  return found;
}
function int(v: number): Ptr {
  return PyLong_FromSsize_t(v);
}

let baseline = 0;
beforeEach(() => {
  resetLog();
  collect(2); // empties the free lists too
  baseline = getAllocatedBlocks();
});
function expectBaseline(): void {
  collect(2);
  expect(getAllocatedBlocks()).toBe(baseline);
}

describe('collect() return values (reference §6.4)', () => {
  it('a self-referencing list is 1', () => {
    const l = PyList_New(0);
    PyList_Append(l, l);
    Py_DECREF(l);
    expect(collect()).toBe(1);
    expect(collect()).toBe(0);
    expectBaseline();
  });

  it('a self-referencing dict is 1; two dicts referencing each other are 2', () => {
    const d = PyDict_New();
    const k = PyUnicode_FromString('d');
    PyDict_SetItem(d, k, d);
    Py_DECREF(k);
    Py_DECREF(d);
    expect(collect()).toBe(1);
    const d1 = PyDict_New();
    const d2 = PyDict_New();
    const kp = PyUnicode_FromString('peer');
    PyDict_SetItem(d2, kp, d1);
    PyDict_SetItem(d1, kp, d2);
    Py_DECREF(kp);
    Py_DECREF(d1);
    Py_DECREF(d2);
    expect(collect()).toBe(2);
    expectBaseline();
  });

  it('counts every tracked object only reachable from the garbage (tuple <-> list, ring of 10)', () => {
    const t = PyTuple_New(1);
    const l = PyList_New(0);
    PyTuple_SET_ITEM(t, 0, l);
    PyList_Append(l, t);
    Py_DECREF(t);
    expect(collect()).toBe(2);
    const ring: Ptr[] = [];
    for (let i = 0; i < 10; i++) ring.push(PyList_New(0));
    for (let i = 0; i < 10; i++) PyList_Append(ring[i], ring[(i + 1) % 10]);
    for (const r of ring) Py_DECREF(r);
    expect(collect()).toBe(10);
    expectBaseline();
  });

  it('a reachable cycle survives; dropping the holder makes it collectable', () => {
    const a = node(1);
    const b = node(2);
    setSlot(a, 0, b);
    setSlot(b, 0, a);
    const holder = PyList_New(0);
    PyList_Append(holder, a);
    Py_DECREF(a);
    Py_DECREF(b);
    expect(collect()).toBe(0);
    expect(log).toEqual([]);
    Py_DECREF(holder);
    expect(collect()).toBe(2);
    expect(log.filter((s) => s.startsWith('free')).sort()).toEqual(['free 1', 'free 2']);
    expectBaseline();
  });
});

describe('generations', () => {
  it('collect(g) moves survivors to g+1 and only sees generations <= g', () => {
    const a = node(1);
    setSlot(a, 0, a);
    collect(2); // a survives (it is referenced) into generation 2
    expect(inGeneration(a, 2)).toBe(true);
    Py_DECREF(a);
    expect(collect(0)).toBe(0);
    expect(collect(1)).toBe(0);
    expect(collect(2)).toBe(1);

    const m = node(2);
    setSlot(m, 0, m);
    collect(0);
    expect(inGeneration(m, 1)).toBe(true);
    Py_DECREF(m);
    expect(collect(0)).toBe(0);
    expect(collect(1)).toBe(1);
    expectBaseline();
  });

  it('count bookkeeping: collect(g) zeroes counts 0..g and adds 1 to count g+1', () => {
    collect(2);
    expect([...gcCount]).toEqual([0, 0, 0]);
    collect(0);
    expect([...gcCount]).toEqual([0, 1, 0]);
    collect(0);
    expect([...gcCount]).toEqual([0, 2, 0]);
    collect(1);
    expect([...gcCount]).toEqual([0, 0, 1]);
    const keep: Ptr[] = [];
    for (let i = 0; i < 100; i++) keep.push(PyList_New(0));
    // 80 lists come from the free list? no: a full collection emptied it, so all 100 count
    expect(gcCount[0]).toBe(100);
    for (const k of keep) Py_DECREF(k);
    // 80 go to the free list (not counted), 20 are freed (-20)
    expect(gcCount[0]).toBe(80);
    expect(listFreeListCount()).toBe(80);
    collect(2);
    expect(listFreeListCount()).toBe(0);
    expect([...gcCount]).toEqual([0, 0, 0]);
    expectBaseline();
  });

  it('the automatic collection runs inside the allocation that passes threshold 0', () => {
    const saved = [...gcThreshold];
    gcThreshold[0] = 50;
    try {
      const a = node(1);
      setSlot(a, 0, a);
      const w = PyWeakref_NewRef(a, NULL);
      Py_DECREF(a);
      const before = gcStatCollections[0];
      const keep: Ptr[] = [];
      for (let i = 0; i < 60 && PyWeakref_GET_OBJECT(w) !== Py_None; i++) keep.push(node(100 + i));
      expect(gcStatCollections[0]).toBe(before + 1);
      expect(PyWeakref_GET_OBJECT(w)).toBe(Py_None);
      for (const k of keep) Py_DECREF(k);
      Py_DECREF(w);
      // disabled: no automatic collection
      gcFlags.enabled = false;
      const b = node(2);
      setSlot(b, 0, b);
      const wb = PyWeakref_NewRef(b, NULL);
      Py_DECREF(b);
      for (let i = 0; i < 200; i++) Py_DECREF(node(1000 + i));
      for (let i = 0; i < 200; i++) keep.push(node(1000 + i));
      expect(PyWeakref_GET_OBJECT(wb)).toBe(b);
      gcFlags.enabled = true;
      expect(collect()).toBe(1);
      expect(PyWeakref_GET_OBJECT(wb)).toBe(Py_None);
      Py_DECREF(wb);
      for (const k of keep.splice(0)) Py_DECREF(k);
    } finally {
      gcThreshold.set(saved);
      gcFlags.enabled = true;
    }
    expectBaseline();
  });

  it('freeze moves everything to the permanent generation; unfreeze to generation 2', () => {
    const x = node(1);
    setSlot(x, 0, x);
    gc_freeze();
    expect(inGeneration(x, PERMANENT_GENERATION)).toBe(true);
    Py_DECREF(x);
    expect(collect()).toBe(0);
    const y = node(2);
    setSlot(y, 0, y);
    Py_DECREF(y);
    expect(collect()).toBe(1);
    expect(gc_list_size(GEN_HEAD[PERMANENT_GENERATION])).toBeGreaterThan(0);
    gc_unfreeze();
    expect(gc_list_size(GEN_HEAD[PERMANENT_GENERATION])).toBe(0);
    expect(collect()).toBe(1);
    expectBaseline();
  });
});

describe('PEP 442 finalization on the GC path', () => {
  it('__del__ runs in GC-list order before anything is cleared, once', () => {
    const a = node(1, true);
    const b = node(2, true);
    const c = node(3, true);
    setSlot(a, 0, b);
    setSlot(b, 0, c);
    setSlot(c, 0, a);
    Py_DECREF(a);
    Py_DECREF(b);
    Py_DECREF(c);
    expect(collect()).toBe(3);
    expect(log.slice(0, 3)).toEqual(['del 1', 'del 2', 'del 3']);
    expect(log.filter((s) => s.startsWith('del')).length).toBe(3);
    expectBaseline();
  });

  it('created c, b, a: finalized c, b, a', () => {
    const c = node(3, true);
    const b = node(2, true);
    const a = node(1, true);
    setSlot(a, 0, b);
    setSlot(b, 0, c);
    setSlot(c, 0, a);
    Py_DECREF(a);
    Py_DECREF(b);
    Py_DECREF(c);
    expect(collect()).toBe(3);
    expect(log.slice(0, 3)).toEqual(['del 3', 'del 2', 'del 1']);
    expectBaseline();
  });

  it('resurrection: collect returns 0, the object is finalized and never finalized again', () => {
    const q = node(7, true);
    setSlot(q, 0, q);
    resurrectIds.add(7);
    Py_DECREF(q);
    expect(collect()).toBe(0);
    expect(log).toEqual(['del 7']);
    expect(_PyGC_FINALIZED(q)).toBe(true);
    expect(Py_REFCNT(q)).toBe(2); // self slot + the resurrecting list
    releaseResurrected();
    expect(collect()).toBe(1);
    expect(log).toEqual(['del 7', 'free 7']);
    expectBaseline();
  });

  it('objects freed by refcount during __del__ are not counted', () => {
    const x = node(1, true);
    const y = node(2, true);
    setSlot(x, 0, y);
    setSlot(y, 0, x);
    breakIds.add(1);
    breakIds.add(2);
    Py_DECREF(x);
    Py_DECREF(y);
    expect(collect()).toBe(0);
    expect(log.filter((s) => s.startsWith('del'))).toEqual(['del 1', 'del 2']);
    expectBaseline();
  });

  it('a resurrected object keeps what it reaches alive', () => {
    const p = node(1, true);
    const child = PyList_New(0);
    PyList_Append(child, p);
    setSlot(p, 0, child);
    Py_DECREF(child);
    resurrectIds.add(1);
    Py_DECREF(p);
    expect(collect()).toBe(0);
    expect(PyList_GET_SIZE(child)).toBe(1);
    releaseResurrected();
    expect(collect()).toBe(2);
    expectBaseline();
  });
});

describe('weakrefs in collections (reference §6.3 step 8, §7)', () => {
  it('callbacks of weakrefs outside the garbage run before __del__, newest first, referent gone', () => {
    const o = node(1, true);
    setSlot(o, 0, o);
    const w1 = PyWeakref_NewRef(o, logCallback('first'));
    Py_DECREF(I32[(w1 + 24) >> 2]); // the callback is owned by the weakref now
    const w2 = PyWeakref_NewRef(o, logCallback('second'));
    Py_DECREF(I32[(w2 + 24) >> 2]);
    Py_DECREF(o);
    expect(collect()).toBe(1);
    expect(log.slice(0, 3)).toEqual(['cb second: dead', 'cb first: dead', 'del 1']);
    expect(PyWeakref_GET_OBJECT(w1)).toBe(Py_None);
    Py_DECREF(w1);
    Py_DECREF(w2);
    expectBaseline();
  });

  it('a weakref that is garbage itself never calls its callback: o, the weakref and the callback are 3', () => {
    const o = node(1);
    setSlot(o, 0, o);
    const cb = logCallback('never');
    const w = PyWeakref_NewRef(o, cb);
    Py_DECREF(cb);
    setSlot(o, 1, w);
    Py_DECREF(w);
    Py_DECREF(o);
    expect(collect()).toBe(3);
    expect(log.filter((s) => s.startsWith('cb'))).toEqual([]);
    expectBaseline();
  });

  it('a weakref freed right after its callback counts as collected', () => {
    const o = node(1);
    setSlot(o, 0, o);
    const cb = logCallback('once');
    const w = PyWeakref_NewRef(o, cb);
    Py_DECREF(cb);
    // the only other reference to w is held by a list that the callback... here: nobody; hold it
    // in a dict entry we drop from the callback's point of view by decref after the call
    const holder = PyList_New(0);
    PyList_Append(holder, w);
    Py_DECREF(w);
    Py_DECREF(o);
    expect(collect()).toBe(1);
    expect(log[0]).toBe('cb once: dead');
    PyList_SetSlice(holder, 0, 1, NULL);
    Py_DECREF(holder);
    expectBaseline();
  });

  it('refcount death: basic ref cleared, callbacks newest first, weakref count', () => {
    const o = node(1);
    const basic = PyWeakref_NewRef(o, NULL);
    expect(PyWeakref_NewRef(o, NULL)).toBe(basic);
    Py_DECREF(basic);
    const w1 = PyWeakref_NewRef(o, logCallback('a'));
    Py_DECREF(I32[(w1 + 24) >> 2]);
    const w2 = PyWeakref_NewRef(o, logCallback('b'));
    Py_DECREF(I32[(w2 + 24) >> 2]);
    const w3 = PyWeakref_NewRef(o, logCallback('c'));
    Py_DECREF(I32[(w3 + 24) >> 2]);
    expect(_PyWeakref_GetWeakrefCount(I32[weakrefListPtr(o) >> 2])).toBe(4);
    Py_DECREF(o);
    expect(log).toEqual(['cb c: dead', 'cb b: dead', 'cb a: dead', 'free 1']);
    expect(PyWeakref_GET_OBJECT(basic)).toBe(Py_None);
    for (const w of [basic, w1, w2, w3]) Py_DECREF(w);
    expectBaseline();
  });
});

describe('untracking', () => {
  it('tuples of untracked items are untracked by any collection, one level per pass', () => {
    const inner = PyTuple_New(2);
    PyTuple_SET_ITEM(inner, 0, int(1));
    PyTuple_SET_ITEM(inner, 1, int(2));
    const outer = PyTuple_New(1);
    PyTuple_SET_ITEM(outer, 0, inner);
    expect(_PyObject_GC_IS_TRACKED(inner)).toBe(true);
    collect(0);
    expect(_PyObject_GC_IS_TRACKED(inner)).toBe(false);
    expect(_PyObject_GC_IS_TRACKED(outer)).toBe(true);
    collect(1); // the outer tuple is in generation 1 now
    expect(_PyObject_GC_IS_TRACKED(outer)).toBe(false);
    Py_DECREF(outer);
    expectBaseline();
  });

  it('dicts are untracked only by full collections', () => {
    const d = PyDict_New();
    const k = PyUnicode_FromString('k');
    const l = PyList_New(0);
    PyDict_SetItem(d, k, l);
    expect(_PyObject_GC_IS_TRACKED(d)).toBe(true);
    PyDict_SetItem(d, k, Py_None);
    Py_DECREF(l);
    collect(0);
    collect(1);
    expect(_PyObject_GC_IS_TRACKED(d)).toBe(true);
    collect(2);
    expect(_PyObject_GC_IS_TRACKED(d)).toBe(false);
    Py_DECREF(k);
    Py_DECREF(d);
    expectBaseline();
  });
});

describe('DEBUG_SAVEALL and gc.garbage; free lists', () => {
  it('saves unreachable objects instead of freeing them', () => {
    const m = PyInit_gc();
    const key = PyUnicode_FromString('garbage');
    const garbage = PyDict_GetItem(PyModule_GetDict(m), key);
    Py_DECREF(key);
    gcState.debug = DEBUG_SAVEALL;
    const l = PyList_New(0);
    PyList_Append(l, l);
    Py_DECREF(l);
    const a = node(1);
    setSlot(a, 0, a);
    Py_DECREF(a);
    expect(collect()).toBe(2);
    expect(PyList_GET_SIZE(garbage)).toBe(2);
    expect(collect()).toBe(0);
    gcState.debug = 0;
    PyList_SetSlice(garbage, 0, PyList_GET_SIZE(garbage), NULL);
    expect(collect()).toBe(2);
    Py_DECREF(m);
    gcFini();
    expectBaseline();
    expect(nodeId(a)).toBeDefined();
  });

  it('a full collection empties the float, list, tuple and dict free lists; stats count', () => {
    const f = PyFloat_FromDouble(1.5);
    Py_DECREF(f);
    const l = PyList_New(0);
    Py_DECREF(l);
    const d = PyDict_New();
    Py_DECREF(d);
    expect(floatFreeListCount()).toBeGreaterThan(0);
    expect(dictFreeListCount()).toBeGreaterThan(0);
    const c0 = gcStatCollected[2];
    const l2 = PyList_New(0);
    PyList_Append(l2, l2);
    Py_DECREF(l2);
    collect(1);
    expect(floatFreeListCount()).toBeGreaterThan(0);
    collect(2);
    expect(floatFreeListCount()).toBe(0);
    expect(listFreeListCount()).toBe(0);
    expect(dictFreeListCount()).toBe(0);
    expect(gcStatCollected[2]).toBe(c0);
    expectBaseline();
  });
});

void [Py_INCREF];
