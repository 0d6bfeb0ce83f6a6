// Shared helpers for the container tests (tuple, list, dict, set, range, slice, iterators).
import { I32 } from '../../../../runtime/mem/heap.js';
import { PyObject_Free } from '../../../../runtime/mem/pymem.js';
import { type Ptr, NULL, OB_TYPE, PyObject_New } from '../../../../runtime/object.js';
import { newStaticType, slotsOfObj, Py_TPFLAGS_HAVE_GC } from '../../../../runtime/typeobject.js';
import { PyErr_Occurred, PyErr_Clear, pendingMessage } from '../../../../runtime/errors.js';
import { PyLong_FromSsize_t } from '../../../../runtime/objects/longobject.js';
import { unicodeToJs } from '../../../../runtime/objects/unicodeobject.js';
import { PyObject_Repr } from '../../../../runtime/abstract.js';
import { PyTuple_New, PyTuple_SET_ITEM } from '../../../../runtime/objects/tupleobject.js';

/** sys.getsizeof: __sizeof__ (tp_sizeof, else basicsize) + 16 for GC types. */
export function getsizeof(o: Ptr): number {
  const tp = I32[(o + OB_TYPE) >> 2];
  const s = slotsOfObj(o);
  const base = s.tp_sizeof !== undefined ? s.tp_sizeof(o) : I32[(tp + 32) >> 2] + I32[(tp + 40) >> 2] * Math.abs(I32[(o + 16) >> 2]);
  return base + ((I32[(tp + 48) >> 2] & Py_TPFLAGS_HAVE_GC) !== 0 ? 16 : 0);
}

/** A new int (new reference) from a JS number (|v| < 2^53). */
export function int(v: number): Ptr {
  const o = PyLong_FromSsize_t(v);
  if (o === NULL) throw new Error('int alloc failed');
  return o;
}

/** Build a tuple from fixture encoding: ints as decimal strings, tuples as {t: [...]}. New ref. */
export type Enc = string | { t: Enc[] };
export function fromEnc(e: Enc): Ptr {
  if (typeof e === 'string') return int(Number(e));
  const t = PyTuple_New(e.t.length);
  e.t.forEach((x, i) => PyTuple_SET_ITEM(t, i, fromEnc(x)));
  return t;
}

/** repr(o) as a JS string. */
export function repr(o: Ptr): string {
  const r = PyObject_Repr(o);
  if (r === NULL) throw new Error('repr failed: ' + pendingMessage());
  const s = unicodeToJs(r);
  decref(r);
  return s;
}

import { Py_DECREF } from '../../../../runtime/object.js';
export function decref(o: Ptr): void {
  Py_DECREF(o);
}

/** Take the pending error message (and clear it); throws when none is set. */
export function takeError(): string {
  if (PyErr_Occurred() === NULL) throw new Error('expected an exception');
  const m = pendingMessage() ?? '';
  PyErr_Clear();
  return m;
}

/** A non-GC "marker" type whose dealloc appends its id to `log` (ids stored at +16). */
export const deallocLog: number[] = [];
export const Marker = newStaticType({
  name: 'Marker', basicsize: 24,
  slots: { tp_dealloc: (o) => { deallocLog.push(I32[(o + 16) >> 2]); PyObject_Free(o); } },
});
export function marker(id: number): Ptr {
  const o = PyObject_New(Marker);
  I32[(o + 16) >> 2] = id;
  I32[(o + 20) >> 2] = 0;
  return o;
}

/** Deterministic PRNG (mulberry32). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
