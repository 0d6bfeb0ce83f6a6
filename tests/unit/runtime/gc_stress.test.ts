// Stress test of the collector (issue 7) under PYTHONMALLOC=debug: seeded random object graphs
// of lists, dicts and Nodes (some with finalizers that resurrect or break cycles), weakrefs with
// and without callbacks, ≥ 100,000 objects in all. After each collection: everything reachable
// from the roots (or resurrected) is intact (no 0xDD fill, refcounts > 0, weakrefs alive), every
// Node that is not reachable is gone, callbacks ran exactly for the weakrefs whose referent died;
// at the end the allocated blocks return to the baseline.
import { describe, it, expect } from 'vitest';

process.env.PYTHONMALLOC = 'debug';
const { I32 } = await import('../../../runtime/mem/heap.js');
const { getAllocatedBlocks, getAllocatorMode } = await import('../../../runtime/mem/pymem.js');
const obj = await import('../../../runtime/object.js');
const gc = await import('../../../runtime/gc.js');
await import('../../../runtime/modules/gcmodule.js');
const { readyAllStaticTypes } = await import('../../../runtime/typeready.js');
const { PyList_New, PyList_Append, PyList_Type } = await import('../../../runtime/objects/listobject.js');
const { PyDict_New, PyDict_SetItem, PyDict_Type } = await import('../../../runtime/objects/dictobject.js');
const { PyLong_FromSsize_t } = await import('../../../runtime/objects/longobject.js');
const { PyWeakref_NewRef, PyWeakref_GET_OBJECT } = await import('../../../runtime/objects/weakrefobject.js');
const { Py_None } = await import('../../../runtime/objects/noneobject.js');
const { typeSlots, TP_ID } = await import('../../../runtime/typeobject.js');
const H = await import('./gc_helpers.js');

readyAllStaticTypes();
type Ptr = number;
const FREED = 0xdddddddd | 0;

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Everything reachable from `roots` through tp_traverse, checking each object on the way. */
function reachableFrom(roots: Ptr[], seed: number): Set<Ptr> {
  const seen = new Set<Ptr>();
  const stack = [...roots];
  const known = new Set([H.Node, H.FinNode, PyList_Type, PyDict_Type]);
  while (stack.length > 0) {
    const o = stack.pop()!;
    if (seen.has(o)) continue;
    seen.add(o);
    const rc = I32[o >> 2];
    const t = I32[(o + 8) >> 2];
    if (rc === FREED || rc <= 0 || t === FREED) throw new Error(`seed ${seed}: reachable object 0x${o.toString(16)} was freed (refcnt ${rc})`);
    if (!known.has(t)) continue;
    typeSlots[I32[(t + TP_ID) >> 2]].tp_traverse!(o, (x: Ptr) => {
      if (I32[(x + 8) >> 2] !== 0 && known.has(I32[(x + 8) >> 2])) stack.push(x);
      else if (I32[x >> 2] === FREED) throw new Error(`seed ${seed}: a referent of 0x${o.toString(16)} was freed`);
      return 0;
    }, 0);
  }
  return seen;
}

describe('collector stress (PYTHONMALLOC=debug)', () => {
  it('random graphs with cycles, finalizers, resurrection and weakrefs: ≥ 100,000 objects', () => {
    expect(getAllocatorMode()).toBe('debug');
    const seed = 20261121;
    const rnd = mulberry32(seed);
    const pick = <T,>(a: T[]): T => a[Math.floor(rnd() * a.length)];
    gc.gc_collect_impl(2);
    const baseline = getAllocatedBlocks();
    let total = 0;
    let nextId = 1;
    const ROUNDS = 20;
    const PER_ROUND = 5200;
    for (let round = 0; round < ROUNDS; round++) {
      H.resetLog();
      const objs: Ptr[] = [];
      const nodes: Ptr[] = [];
      for (let i = 0; i < PER_ROUND; i++) {
        const r = rnd();
        let o: Ptr;
        if (r < 0.25) o = PyList_New(0);
        else if (r < 0.4) o = PyDict_New();
        else {
          const fin = rnd() < 0.3;
          const id = nextId++;
          o = H.node(id, fin);
          if (fin && rnd() < 0.1) H.resurrectIds.add(id);
          if (fin && rnd() < 0.1) H.breakIds.add(id);
          nodes.push(o);
        }
        objs.push(o);
      }
      total += PER_ROUND;
      // random edges: mostly local (rings and chains), some long ones
      for (let i = 0; i < objs.length; i++) {
        const o = objs[i];
        const k = Math.floor(rnd() * 3);
        for (let e = 0; e < k; e++) {
          const target = rnd() < 0.7 ? objs[(i + 1 + Math.floor(rnd() * 8)) % objs.length] : pick(objs);
          const t = I32[(o + 8) >> 2];
          if (t === PyList_Type) PyList_Append(o, target);
          else if (t === PyDict_Type) {
            const key = PyLong_FromSsize_t(e);
            PyDict_SetItem(o, key, target);
            obj.Py_DECREF(key);
          } else H.setSlot(o, e, target);
        }
      }
      // weakrefs: plain ones to watch every Node, callback ones held as roots or as garbage
      const watch = nodes.map((n) => PyWeakref_NewRef(n, 0));
      const cbRefs: Ptr[] = [];
      for (let i = 0; i < nodes.length / 10; i++) {
        const n = pick(nodes);
        const cb = H.logCallback('s');
        const w = PyWeakref_NewRef(n, cb);
        obj.Py_DECREF(cb);
        if (rnd() < 0.5) cbRefs.push(w);
        else {
          H.setSlot(n, 3, w); // the weakref lives with (maybe dies with) its referent
          obj.Py_DECREF(w);
        }
      }
      // keep some roots, drop everything else
      const roots = objs.filter(() => rnd() < 0.03);
      for (const r of roots) obj.Py_INCREF(r);
      for (const o of objs) obj.Py_DECREF(o);
      const aliveBefore = cbRefs.filter((w) => PyWeakref_GET_OBJECT(w) !== Py_None).length;
      gc.gc_collect_impl(Math.floor(rnd() * 3));
      gc.gc_collect_impl(2);
      const reach = reachableFrom([...roots, ...H.resurrected], seed);
      const fromRoots = reachableFrom(roots, seed);
      for (let i = 0; i < nodes.length; i++) {
        const alive = PyWeakref_GET_OBJECT(watch[i]) !== Py_None;
        // weakrefs to garbage are cleared before finalizers run, so an object resurrected by a
        // finalizer (or reachable from one) may be alive with a dead weakref, as in CPython
        if (fromRoots.has(nodes[i]) && !alive) throw new Error(`seed ${seed} round ${round}: node ${i} reachable but its weakref died`);
        if (!reach.has(nodes[i]) && alive) throw new Error(`seed ${seed} round ${round}: node ${i} unreachable but alive`);
      }
      const died = cbRefs.filter((w) => PyWeakref_GET_OBJECT(w) === Py_None).length;
      const calls = H.log.filter((s) => s.startsWith('cb s:')).length;
      // callbacks ran for the root-held weakrefs whose referent died (others: only if not garbage)
      expect(calls, `seed ${seed} round ${round}`).toBeGreaterThanOrEqual(died - (cbRefs.length - aliveBefore));
      expect(H.log.filter((s) => s === 'cb s: alive').length).toBe(0);
      for (const w of cbRefs) obj.Py_DECREF(w);
      for (const w of watch) obj.Py_DECREF(w);
      for (const r of roots) obj.Py_DECREF(r);
      H.releaseResurrected();
    }
    gc.gc_collect_impl(2);
    gc.gc_collect_impl(2);
    expect(total).toBeGreaterThanOrEqual(100_000);
    expect(getAllocatedBlocks(), `seed ${seed}: blocks back to baseline`).toBe(baseline);
  }, 60_000);
});
