// The allocator API every other part of the runtime uses (≈ Include/cpython/pymem.h and the
// entry points of Objects/obmalloc.c). Three domains, as CPython:
//   RAW  PyMem_RawMalloc...   the general-purpose allocator (rawmalloc.ts)
//   MEM  PyMem_Malloc...      pymalloc by default (list item arrays, dict values, buffers)
//   OBJ  PyObject_Malloc...   pymalloc by default (objects, dict keys)
// Every function returns 0 (NULL) when memory is exhausted and never throws for that; the
// caller raises MemoryError (PyErr_NoMemory). Contents of new blocks are undefined except for
// the Calloc variants. Free of NULL is a no-op. Size 0 gives a unique non-NULL block.
//
// PLACEHOLDER: until the memory system (issue 2) lands, this is a trivial size-header allocator
// so that the object model can be built against the API. The API (names, signatures, NULL on
// exhaustion) is the contract; the implementation behind it is replaced by os.ts, rawmalloc.ts,
// obmalloc.ts and debughooks.ts.

import { type Ptr, NULL, I32, U8, STATIC_END, heapLimit, onHeapReset } from './heap.js';

let top = STATIC_END;
const freeLists = new Map<number, Ptr[]>();
let liveBlocks = 0;

function placeholderMalloc(n: number): Ptr {
  const size = (Math.max(n, 1) + 15) & ~15;
  const fl = freeLists.get(size);
  if (fl !== undefined && fl.length > 0) {
    liveBlocks++;
    return fl.pop()!;
  }
  const p = top + 16;
  if (p + size > heapLimit) return NULL;
  top = p + size;
  I32[(p - 16) >> 2] = size;
  liveBlocks++;
  return p;
}
function placeholderFree(p: Ptr): void {
  if (p === NULL) return;
  const size = I32[(p - 16) >> 2];
  let fl = freeLists.get(size);
  if (fl === undefined) freeLists.set(size, (fl = []));
  fl.push(p);
  liveBlocks--;
}
function placeholderRealloc(p: Ptr, n: number): Ptr {
  if (p === NULL) return placeholderMalloc(n);
  const old = I32[(p - 16) >> 2];
  if (n <= old) return p;
  const q = placeholderMalloc(n);
  if (q === NULL) return NULL;
  U8.copyWithin(q, p, p + old);
  placeholderFree(p);
  return q;
}
onHeapReset(() => {
  top = STATIC_END;
  freeLists.clear();
  liveBlocks = 0;
});

export function PyObject_Malloc(n: number): Ptr {
  return placeholderMalloc(n);
}
export function PyObject_Calloc(nelem: number, elsize: number): Ptr {
  const n = nelem * elsize;
  const p = placeholderMalloc(n);
  if (p !== NULL) U8.fill(0, p, p + n);
  return p;
}
export function PyObject_Realloc(p: Ptr, n: number): Ptr {
  return placeholderRealloc(p, n);
}
export function PyObject_Free(p: Ptr): void {
  placeholderFree(p);
}

export const PyMem_Malloc = PyObject_Malloc;
export const PyMem_Calloc = PyObject_Calloc;
export const PyMem_Realloc = PyObject_Realloc;
export const PyMem_Free = PyObject_Free;
export const PyMem_RawMalloc = PyObject_Malloc;
export const PyMem_RawCalloc = PyObject_Calloc;
export const PyMem_RawRealloc = PyObject_Realloc;
export const PyMem_RawFree = PyObject_Free;

/** sys.getallocatedblocks(): blocks currently allocated through the MEM and OBJ domains. */
export function getAllocatedBlocks(): number {
  return liveBlocks;
}
