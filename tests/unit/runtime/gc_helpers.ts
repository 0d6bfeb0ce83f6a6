// Hand-built object graphs for the collector tests: a GC "Node" type with four reference slots
// and a weakref list, a variant with a TS tp_finalize (PEP 442, resurrection possible), and
// builtin-function callbacks that log what they see.
import { I32 } from '../../../runtime/mem/heap.js';
import { type Ptr, NULL, Py_INCREF, Py_DECREF, Py_REFCNT, Py_SET_REFCNT, trashcanBegin, trashcanEnd } from '../../../runtime/object.js';
import { newStaticType, Py_TPFLAGS_HAVE_GC, TP_WEAKLISTOFFSET, type visitproc, METH_O, type MethodDef } from '../../../runtime/typeobject.js';
import { PyObject_GC_New, PyObject_GC_Del, PyObject_GC_Track, PyObject_GC_UnTrack, _PyGC_FINALIZED, _PyGC_SET_FINALIZED } from '../../../runtime/gc.js';
import { clearWeakRefsIfAny } from '../../../runtime/objects/weakrefobject.js';
import { PyCFunction_New } from '../../../runtime/objects/methodobject.js';
import { Py_None } from '../../../runtime/objects/noneobject.js';

export const NSLOTS = 4;
export const NODE_SLOT0 = 16;
export const NODE_ID = 48; // a plain number (not a reference)
export const NODE_WEAKLIST = 56;
export const NODE_BASICSIZE = 64;

export const log: string[] = [];
/** Objects resurrected by finalizers are kept here (owned references). */
export const resurrected: Ptr[] = [];
/** Ids whose finalizer resurrects the object. */
export const resurrectIds = new Set<number>();
/** Ids whose finalizer clears slot 0 (breaks the cycle from inside __del__). */
export const breakIds = new Set<number>();

function slot(o: Ptr, i: number): Ptr {
  return I32[(o + NODE_SLOT0 + 8 * i) >> 2];
}
/** Store `v` (borrowed; INCREFed) in slot i, releasing the old value. */
export function setSlot(o: Ptr, i: number, v: Ptr): void {
  const old = slot(o, i);
  if (v !== NULL) Py_INCREF(v);
  I32[(o + NODE_SLOT0 + 8 * i) >> 2] = v;
  I32[(o + NODE_SLOT0 + 8 * i + 4) >> 2] = 0;
  if (old !== NULL) Py_DECREF(old);
}
export function getSlot(o: Ptr, i: number): Ptr {
  return slot(o, i);
}
export function nodeId(o: Ptr): number {
  return I32[(o + NODE_ID) >> 2];
}

function node_traverse(o: Ptr, visit: visitproc, arg: number): number {
  for (let i = 0; i < NSLOTS; i++) {
    const v = slot(o, i);
    if (v !== NULL) {
      const r = visit(v, arg);
      if (r) return r;
    }
  }
  return 0;
}
function node_clear(o: Ptr): number {
  for (let i = 0; i < NSLOTS; i++) {
    const v = slot(o, i);
    if (v !== NULL) {
      I32[(o + NODE_SLOT0 + 8 * i) >> 2] = 0;
      Py_DECREF(v);
    }
  }
  return 0;
}
function node_teardown(o: Ptr): void {
  clearWeakRefsIfAny(o);
  node_clear(o);
  log.push(`free ${nodeId(o)}`);
  PyObject_GC_Del(o);
}
function node_dealloc(o: Ptr): void {
  PyObject_GC_UnTrack(o);
  if (trashcanBegin(o)) return;
  node_teardown(o);
  trashcanEnd();
}
/** ≈ subtype_dealloc with a finalizer: run it once (refcount back to 1), stop if resurrected. */
function finnode_dealloc(o: Ptr): void {
  PyObject_GC_UnTrack(o);
  if (!_PyGC_FINALIZED(o)) {
    PyObject_GC_Track(o);
    Py_SET_REFCNT(o, 1);
    _PyGC_SET_FINALIZED(o);
    finnode_finalize(o);
    const n = Py_REFCNT(o) - 1;
    Py_SET_REFCNT(o, n);
    if (n !== 0) return; // resurrected
    PyObject_GC_UnTrack(o);
  }
  node_teardown(o);
}
function finnode_finalize(o: Ptr): void {
  const id = nodeId(o);
  log.push(`del ${id}`);
  if (resurrectIds.has(id)) {
    Py_INCREF(o);
    resurrected.push(o);
  }
  if (breakIds.has(id)) setSlot(o, 0, NULL);
}

export const Node = newStaticType({
  name: 'Node',
  basicsize: NODE_BASICSIZE,
  flags: Py_TPFLAGS_HAVE_GC,
  slots: { tp_dealloc: node_dealloc, tp_traverse: node_traverse, tp_clear: node_clear },
});
I32[(Node + TP_WEAKLISTOFFSET) >> 2] = NODE_WEAKLIST;
export const FinNode = newStaticType({
  name: 'FinNode',
  basicsize: NODE_BASICSIZE,
  flags: Py_TPFLAGS_HAVE_GC,
  slots: { tp_dealloc: finnode_dealloc, tp_traverse: node_traverse, tp_clear: node_clear, tp_finalize: finnode_finalize },
});
I32[(FinNode + TP_WEAKLISTOFFSET) >> 2] = NODE_WEAKLIST;

/** A new tracked node (new reference). */
export function node(id: number, fin = false): Ptr {
  const o = PyObject_GC_New(fin ? FinNode : Node);
  I32.fill(0, (o + 16) >> 2, (o + NODE_BASICSIZE) >> 2);
  I32[(o + NODE_ID) >> 2] = id;
  PyObject_GC_Track(o);
  return o;
}

/** A builtin function object that logs `cb <label>: <referent id or dead>` when called with a
 *  weakref (new reference). */
const cbDefs = new Map<string, MethodDef>();
export function logCallback(label: string): Ptr {
  let def = cbDefs.get(label);
  if (def === undefined) {
    def = {
      name: `cb_${label}`,
      flags: METH_O,
      fn: (_self: Ptr, wr: number) => {
        const target = I32[(wr + 16) >> 2];
        log.push(`cb ${label}: ${target === Py_None ? 'dead' : 'alive'}`);
        Py_INCREF(Py_None);
        return Py_None;
      },
    };
    cbDefs.set(label, def);
  }
  return PyCFunction_New(def, NULL, NULL);
}

/** Drop the objects kept by finalizers. */
export function releaseResurrected(): void {
  while (resurrected.length > 0) Py_DECREF(resurrected.pop()!);
}
export function resetLog(): void {
  log.length = 0;
  resurrectIds.clear();
  breakIds.clear();
}
