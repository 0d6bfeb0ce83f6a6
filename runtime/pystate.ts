// Thread state (≈ Include/cpython/pystate.h, Python/pystate.c): the data stack that holds
// interpreter frames and argument scratch space, the recursion counter, the handled-exception
// stack (exc_info) and the current frame.
//
// The data stack is a list of chunks in the heap (≈ _PyStackChunk, 3.11): frames are pushed by
// bumping `top`; a frame never spans two chunks; when a chunk is full a new, bigger one is
// allocated and linked. Chunk layout: [0 previous chunk][8 size][16 top when left] then data.
// CPython maps chunks with mmap (_PyObject_VirtualAlloc); pymem uses the raw domain.
//
// exc_info (≈ _PyErr_StackItem): [0 exc_value][8 previous_item]. The thread has a base item in
// the static region; generators embed their own and link it in while they run.

import {
  type Ptr, NULL as NULL__i, I32 as I32__i, staticAlloc,
} from './mem/heap.js';
const NULL = NULL__i;
const I32 = I32__i;
import { PyMem_RawMalloc, PyMem_RawFree } from './mem/pymem.js';

const CHUNK_HEADER = 16;
const MIN_CHUNK = 256 * 1024;

export const ts = {
  /** current data-stack chunk, its end, and the first free byte */
  chunk: NULL as Ptr,
  limit: 0,
  top: 0,
  /** Python-level recursion depth and limit (sys.getrecursionlimit) */
  recursionDepth: 0,
  recursionLimit: 1000,
  /** current interpreter frame (address in the data stack or in a generator), NULL at top level */
  frame: NULL as Ptr,
  /** address of the current _PyErr_StackItem */
  excInfo: NULL as Ptr,
  /** eval breaker (≈ the ceval's eval_breaker): checked every EVAL_BREAKER_PERIOD loop
   *  back-edges. `interrupt` is set when SIGINT arrived (KeyboardInterrupt); `deadline` (ms since
   *  the epoch, 0 = none) lets a harness stop a runaway program. */
  interrupt: 0,
  deadline: 0,
  /** SIGINT arrives on another thread (the CLI's watcher thread): a shared flag that
   *  the eval breaker reads with Atomics. */
  sigint: new Int32Array(new SharedArrayBuffer(4)) as Int32Array<ArrayBufferLike>,
  /** called once, the first time the program runs long enough to meet the eval breaker or
   *  blocks (time.sleep, input): the CLI starts its SIGINT watcher thread there, so that a short
   *  program does not pay for it */
  onLongRun: null as (() => void) | null,
};
/** Run ts.onLongRun once (see there). */
export function noteLongRun(): void {
  const f = ts.onLongRun;
  if (f !== null) {
    ts.onLongRun = null;
    f();
  }
}
export const EVAL_BREAKER_PERIOD = 1 << 16;

/** Thrown (a JS error, not a Python exception) when a harness deadline passes. */
export class DeadlineExceeded extends Error {}

export const EXC_INFO_VALUE = 0;
export const EXC_INFO_PREVIOUS = 8;
export const EXC_INFO_SIZE = 16;
export const baseExcInfo: Ptr = staticAlloc(EXC_INFO_SIZE, 16);
ts.excInfo = baseExcInfo;

function newChunk(minBytes: number): boolean {
  const size = Math.max(MIN_CHUNK, minBytes + CHUNK_HEADER + 64);
  const c = PyMem_RawMalloc(size);
  if (c === NULL) return false;
  I32[c >> 2] = ts.chunk;
  I32[(c + 8) >> 2] = size;
  if (ts.chunk !== NULL) I32[(ts.chunk + 12) >> 2] = ts.top; // remember where the old one stopped
  ts.chunk = c;
  ts.limit = c + size;
  ts.top = c + CHUNK_HEADER;
  return true;
}

/** Reserve `nbytes` (a multiple of 8) on the data stack; returns its address, or NULL when memory
 *  is exhausted (the caller raises MemoryError). Release with dataStackPop(addr) in LIFO order. */
export function dataStackPush(nbytes: number): Ptr {
  if (ts.top + nbytes > ts.limit) {
    if (!newChunk(nbytes)) return NULL;
  }
  const p = ts.top;
  ts.top = p + nbytes;
  return p;
}

/** Release the data-stack space that starts at `p` (and everything pushed after it). */
export function dataStackPop(p: Ptr): void {
  if (p === ts.chunk + CHUNK_HEADER) {
    // the chunk is now empty: go back to the previous one (keep at least one chunk)
    const prev = I32[ts.chunk >> 2];
    if (prev !== NULL) {
      const c = ts.chunk;
      ts.chunk = prev;
      ts.limit = prev + I32[(prev + 8) >> 2];
      ts.top = I32[(prev + 12) >> 2];
      PyMem_RawFree(c);
      return;
    }
  }
  ts.top = p;
}

/** Free every data-stack chunk (interpreter teardown). */
export function dataStackFree(): void {
  while (ts.chunk !== NULL) {
    const prev = I32[ts.chunk >> 2];
    PyMem_RawFree(ts.chunk);
    ts.chunk = prev;
  }
  ts.limit = 0;
  ts.top = 0;
}

/** Make sure the data stack has a chunk (interpreter start-up). */
export function dataStackInit(): void {
  if (ts.chunk === NULL && !newChunk(0)) throw new Error('pymem bug: cannot allocate the data stack');
}
