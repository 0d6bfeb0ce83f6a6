// The simulated heap: one fixed ArrayBuffer holds every Python object (DESIGN.md Rule 1).
//
//   0 ............ 4 KiB       NULL page: address 0 is NULL, nothing lives below STATIC_BASE
//   STATIC_BASE .. STATIC_END   static region: built-in types, None/True/False, small ints,
//                               1-char latin-1 strs, the empty tuple... (bump-allocated, never freed)
//   STATIC_END ... heapLimit    mapped by the simulated OS layer (os.ts): 1 MiB arenas and
//                               page-rounded large regions, handed out by the allocators
//
// A reference is a number: the byte address of the object. Pointer fields are 8 bytes in the
// CPython layouts; the low 32 bits carry the address (the heap is < 2 GiB) and the high word
// stays 0. Fields are read through the typed-array views below, which are module-level
// constants (V8 rule 1 of reference/performance.md: views behind `this.` or in locals cost 2x).
//
// There is ONE buffer for the life of the process, reserved at MAX_HEAP_LIMIT (2 GiB): untouched
// pages of an ArrayBuffer cost no real memory (a resizable buffer measured 2-3x slower per access
// on Node 20). The heap limit (default 1 GiB, -X heap=) is a logical bound that the OS layer
// (os.ts) does not map past. resetHeap() never replaces the buffer or the views: it zeroes what
// was used and runs the reset hooks. So any module may keep the views in its own `const`, and
// hot code SHOULD: `import { I32 as heapI32 } from './heap.js'; const I32 = heapI32;`. V8 reads
// an imported (or exported) binding through its module cell on every use; measured on Node 20,
// an increment loop over the imported I32 took 2.3 ns per element against 1.2 ns through a local
// const copy, and pymalloc's LIFO pair ~10 ns against ~6 ns.

export type Ptr = number;
export const NULL: Ptr = 0;

export const KiB = 1024;
export const MiB = 1024 * 1024;
export const GiB = 1024 * MiB;

export const DEFAULT_HEAP_LIMIT = 1 * GiB;
/** Addresses are read back from Int32Array words (getPtr, the allocators' links), so every
 *  address must stay below 2^31: the heap can be at most 2 GiB. */
export const MAX_HEAP_LIMIT = 2 * GiB;
export const STATIC_BASE = 4 * KiB;
export const STATIC_END = 16 * MiB;

export let heapLimit = initialHeapLimit();

/** The heap limit at load: PYMEM_HEAP_LIMIT (bytes; the CLI's `-X heap=SIZE` sets it before the
 *  runtime loads), rounded down to 64 KiB and kept between 18 MiB and 2 GiB; default 1 GiB. */
function initialHeapLimit(): number {
  const env = typeof process !== 'undefined' ? process.env.PYMEM_HEAP_LIMIT : undefined;
  const v = env === undefined ? NaN : Number(env);
  if (!Number.isFinite(v) || v <= 0) return DEFAULT_HEAP_LIMIT;
  const rounded = Math.floor(v / (64 * KiB)) * 64 * KiB;
  return Math.min(MAX_HEAP_LIMIT, Math.max(STATIC_END + 2 * MiB, rounded));
}
export const buffer = new ArrayBuffer(MAX_HEAP_LIMIT);
export const U8 = new Uint8Array(buffer);
export const I8 = new Int8Array(buffer);
export const U16 = new Uint16Array(buffer);
export const I16 = new Int16Array(buffer);
export const I32 = new Int32Array(buffer);
export const U32 = new Uint32Array(buffer);
export const F64 = new Float64Array(buffer);
export const DV = new DataView(buffer);

let staticTop = STATIC_BASE;
/** Highest address the OS layer has mapped since the last reset (what resetHeap must zero). */
let usedTop = STATIC_END;

/** The OS layer reports each mapping's end here, so that resetHeap() zeroes only what was used. */
export function markHeapUsed(end: number): void {
  if (end > usedTop) usedTop = end;
}

/** Callbacks run after resetHeap() so that layers above (os.ts, allocators, caches) drop their state. */
const resetHooks: (() => void)[] = [];
export function onHeapReset(hook: () => void): void {
  resetHooks.push(hook);
}

/** Start a fresh heap of `limit` bytes, all zero. Everything that pointed into the heap is gone:
 *  only for tests, the conformance harness and the CLI before the interpreter starts. The views
 *  stay the same objects (the used part of the one buffer is zeroed). */
export function resetHeap(limit: number = heapLimit): void {
  if (limit < STATIC_END + 2 * MiB || limit > MAX_HEAP_LIMIT || limit % (64 * KiB) !== 0) {
    throw new RangeError(`heap limit ${limit} must be a multiple of 64 KiB between ${STATIC_END + 2 * MiB} and 2 GiB`);
  }
  U8.fill(0, STATIC_BASE, staticTop);
  U8.fill(0, STATIC_END, usedTop);
  heapLimit = limit;
  staticTop = STATIC_BASE;
  usedTop = STATIC_END;
  for (const hook of resetHooks) hook();
}

/** Bump-allocate `size` bytes of zeroed memory in the static region (never freed).
 *  `align` must be a power of two. Throws (an interpreter bug, not a Python error) when full. */
export function staticAlloc(size: number, align = 16): Ptr {
  const p = (staticTop + align - 1) & ~(align - 1);
  if (p + size > STATIC_END) throw new Error(`pymem bug: static region exhausted (${size} bytes requested)`);
  staticTop = p + size;
  return p;
}

/** Bytes used in the static region so far. */
export function staticUsed(): number {
  return staticTop - STATIC_BASE;
}

export function isStatic(p: Ptr): boolean {
  return p >= STATIC_BASE && p < STATIC_END;
}

// ---- field accessors (8-byte pointer fields: the low word holds the address) ----

export function getPtr(addr: number): Ptr {
  return I32[addr >> 2];
}
export function setPtr(addr: number, v: Ptr): void {
  I32[addr >> 2] = v;
  I32[(addr >> 2) + 1] = 0;
}
/** A signed 8-byte integer field whose value fits in a JS safe integer. */
export function getI64(addr: number): number {
  return I32[(addr >> 2) + 1] * 4294967296 + U32[addr >> 2];
}
export function setI64(addr: number, v: number): void {
  U32[addr >> 2] = v >>> 0;
  I32[(addr >> 2) + 1] = Math.floor(v / 4294967296);
}
export function getF64(addr: number): number {
  return F64[addr >> 3];
}
export function setF64(addr: number, v: number): void {
  F64[addr >> 3] = v;
}

/** memcpy / memset / memmove over the heap, as bulk typed-array operations. */
export function memcpy(dst: Ptr, src: Ptr, n: number): void {
  U8.copyWithin(dst, src, src + n);
}
export const memmove = memcpy; // copyWithin handles overlap
export function memset(dst: Ptr, byte: number, n: number): void {
  U8.fill(byte, dst, dst + n);
}
