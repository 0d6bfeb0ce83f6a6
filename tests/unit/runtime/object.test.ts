import { describe, it, expect } from 'vitest';
import { I32 } from '../../../runtime/mem/heap.js';
import { getAllocatedBlocks, PyObject_Free } from '../../../runtime/mem/pymem.js';
import {
  Py_INCREF, Py_DECREF, Py_REFCNT, Py_TYPE, PyObject_New, trashcanBegin, trashcanEnd, TRASHCAN_LIMIT,
  hashPointer, HASH_HI, hashToBigInt, hashFromBigInt, GC_NEXT,
} from '../../../runtime/object.js';
import { newStaticType, PyType_IsSubtype, PyBaseObject_Type, PyType_Type, Py_TPFLAGS_HAVE_GC, slotsOf } from '../../../runtime/typeobject.js';
import { PyObject_GC_New, PyObject_GC_Track, PyObject_GC_UnTrack, PyObject_GC_Del, GEN_HEAD, gcCount, _PyObject_GC_IS_TRACKED } from '../../../runtime/gc.js';

describe('object header and refcounting', () => {
  it('dealloc runs through tp_dealloc when the count reaches zero', () => {
    const freed: number[] = [];
    const T = newStaticType({ name: 'T', basicsize: 24, slots: { tp_dealloc: (o) => { freed.push(o); PyObject_Free(o); } } });
    const before = getAllocatedBlocks();
    const o = PyObject_New(T);
    expect(Py_REFCNT(o)).toBe(1);
    expect(Py_TYPE(o)).toBe(T);
    Py_INCREF(o);
    Py_DECREF(o);
    expect(freed).toEqual([]);
    Py_DECREF(o);
    expect(freed).toEqual([o]);
    expect(getAllocatedBlocks()).toBe(before);
  });

  it('types inherit slots and know their bases', () => {
    const A = newStaticType({ name: 'A', basicsize: 16, slots: { tp_hash: () => 7 } });
    const B = newStaticType({ name: 'B', basicsize: 16, base: A });
    expect(slotsOf(B).tp_hash).toBe(slotsOf(A).tp_hash);
    expect(PyType_IsSubtype(B, A)).toBe(true);
    expect(PyType_IsSubtype(A, B)).toBe(false);
    expect(PyType_IsSubtype(B, PyBaseObject_Type)).toBe(true);
    expect(Py_TYPE(A)).toBe(PyType_Type);
  });

  it('the trashcan frees a 1,000,000-deep chain without deep recursion', () => {
    // Node: [header 16][next 8]; dealloc decrefs next inside the trashcan.
    let deallocs = 0;
    const N = newStaticType({
      name: 'Node', basicsize: 24, flags: Py_TPFLAGS_HAVE_GC,
      slots: {
        tp_dealloc: (o) => {
          PyObject_GC_UnTrack(o);
          if (trashcanBegin(o)) return;
          const next = I32[(o + 16) >> 2];
          if (next !== 0) Py_DECREF(next);
          deallocs++;
          PyObject_GC_Del(o);
          trashcanEnd();
        },
      },
    });
    const before = getAllocatedBlocks();
    let head = 0;
    for (let i = 0; i < 1_000_000; i++) {
      const o = PyObject_GC_New(N);
      I32[(o + 16) >> 2] = head;
      I32[(o + 20) >> 2] = 0;
      PyObject_GC_Track(o);
      head = o;
    }
    Py_DECREF(head);
    expect(deallocs).toBe(1_000_000);
    expect(getAllocatedBlocks()).toBe(before);
    expect(TRASHCAN_LIMIT).toBe(50);
  });

  it('GC tracking keeps generation 0 a consistent circular list', () => {
    const G = newStaticType({ name: 'G', basicsize: 16, flags: Py_TPFLAGS_HAVE_GC });
    const c0 = gcCount[0];
    const objs = [0, 1, 2, 3].map(() => PyObject_GC_New(G));
    expect(gcCount[0]).toBe(c0 + 4);
    for (const o of objs) PyObject_GC_Track(o);
    PyObject_GC_UnTrack(objs[1]);
    expect(_PyObject_GC_IS_TRACKED(objs[1])).toBe(false);
    // walk the list from the head: forward and backward links agree
    const head = GEN_HEAD[0];
    const seen: number[] = [];
    for (let g = I32[head >> 2]; g !== head; g = I32[g >> 2]) {
      expect(I32[I32[g >> 2] + 8 >> 2] & ~3).toBe(g);
      seen.push(g + 16);
    }
    expect(seen.slice(-3)).toEqual([objs[0], objs[2], objs[3]]);
    for (const o of objs) PyObject_GC_UnTrack(o);
    expect(I32[(objs[0] + GC_NEXT) >> 2]).toBe(0);
    for (const o of objs) PyObject_GC_Del(o);
    expect(gcCount[0]).toBe(c0);
  });

  it('64-bit hashes travel as two halves', () => {
    const lo = hashFromBigInt(-2n);
    expect(hashToBigInt(lo, HASH_HI[0])).toBe(-2n);
    const big = 0x123456789abcdefn;
    expect(hashToBigInt(hashFromBigInt(big), HASH_HI[0])).toBe(big);
    const h = hashPointer(0x7f5c_fcd0);
    expect(hashToBigInt(h, HASH_HI[0])).toBe(BigInt.asIntN(64, (0x7f5cfcd0n >> 4n) | ((0x7f5cfcd0n & 15n) << 60n)));
  });
});
