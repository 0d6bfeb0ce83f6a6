// The total reference count that `-X showrefcount` prints (`[N refs, M blocks]`): the sum of
// ob_refcnt over every object in the heap, found by walking the allocators' live blocks (≈ what
// a CPython debug build keeps in _Py_RefTotal, minus the static objects, which pymem leaves out).
// A block holds an object at its start (non-GC types), 16 bytes in (after the PyGC_Head) or 32
// bytes in (managed-dict instances); under the debug hooks every block has a 16-byte prefix. A
// candidate is an object when its ob_type word is a registered type object of the matching kind.

import { type Ptr, I32 as heapI32, heapLimit } from './mem/heap.js';
import { getAllocatorMode, pymallocInUse } from './mem/pymem.js';
import { pymallocForEachLiveBlock } from './mem/obmalloc.js';
import { rawForEachLiveBlock } from './mem/rawmalloc.js';
import { typeById, TP_ID, TP_FLAGS, Py_TPFLAGS_HAVE_GC, Py_TPFLAGS_MANAGED_DICT } from './typeobject.js';

const I32 = heapI32;

function typeFlagsIfType(t: Ptr): number {
  if (t <= 0 || t >= heapLimit || (t & 7) !== 0) return -1;
  const id = I32[(t + TP_ID) >> 2];
  if (id < 0 || id >= typeById.length || typeById[id] !== t) return -1;
  return I32[(t + TP_FLAGS) >> 2];
}

/** Sum of the refcounts of the objects in the heap's live blocks. */
export function heapRefTotal(): number {
  const mode = getAllocatorMode();
  const prefix = mode === 'debug' || mode === 'pymalloc_debug' || mode === 'malloc_debug' ? 16 : 0;
  let total = 0;
  // one object per block: returns its refcount, or -1 when the block holds none
  const objectAt = (p: Ptr, n: number): number => {
    if (n >= 48) {
      const f = typeFlagsIfType(I32[(p + 40) >> 2]);
      if (f !== -1 && (f & Py_TPFLAGS_MANAGED_DICT) !== 0) return I32[(p + 32) >> 2];
    }
    if (n >= 32) {
      const f = typeFlagsIfType(I32[(p + 24) >> 2]);
      if (f !== -1 && (f & Py_TPFLAGS_HAVE_GC) !== 0 && (f & Py_TPFLAGS_MANAGED_DICT) === 0) return I32[(p + 16) >> 2];
    }
    if (n >= 16) {
      const f = typeFlagsIfType(I32[(p + 8) >> 2]);
      if (f !== -1 && (f & Py_TPFLAGS_HAVE_GC) === 0) return I32[p >> 2];
    }
    return -1;
  };
  const visit = (block: Ptr, size: number): void => {
    let r = objectAt(block + prefix, size - prefix);
    // under the debug hooks, a >512-byte object block pymalloc delegated to the raw domain
    // carries two debug headers
    if (r === -1 && prefix !== 0) r = objectAt(block + 2 * prefix, size - 2 * prefix);
    if (r !== -1) total += r;
  };
  if (pymallocInUse()) pymallocForEachLiveBlock(visit);
  rawForEachLiveBlock(visit);
  return total;
}
