// Shadow map of freed memory, used only by the debug hooks (PYTHONMALLOC=debug...).
//
// One byte per 16-byte granule of the heap says whether the granule belongs to a block that the
// debug hooks freed and filled with PYMEM_DEADBYTE (0xDD):
//
//   SHADOW_NONE   nothing known (live memory, allocator metadata, never used)
//   SHADOW_HEAD   the first granule of a freed debug block (its size/API-id header; the
//                 underlying allocator writes its free-list link there, so it is not checked)
//   SHADOW_DEAD   a granule wholly inside the freed block's data + trailer: all 16 bytes are
//                 0xDD, and nothing may write them until the memory is handed out again
//
// When an allocator hands the memory out again, the debug hooks check that every SHADOW_DEAD
// granule of the new block still holds 0xDD (otherwise something wrote through a dangling
// pointer: "write after free") and clear the marks. A free of a block whose head granule is
// SHADOW_HEAD is a double free.
//
// The allocators write their own metadata into free memory in a few places; each such place
// clears the shadow first (only when it is active, on slow paths): a new OS mapping
// (os.ts), a pool (re)initialised for another size class (obmalloc.ts), the header written
// where a free chunk is split (rawmalloc.ts). Everywhere else the allocators only touch the
// first 16 bytes of a free block (its SHADOW_HEAD granule) or their own chunk headers, which
// are never inside a debug block's data.
//
// The map costs heapLimit/16 bytes of address space (64 MiB for 1 GiB), allocated only while
// debug hooks are installed; untouched pages of it cost no memory.

import { heapLimit, onHeapReset } from './heap.js';

export const SHADOW_NONE = 0;
export const SHADOW_HEAD = 1;
export const SHADOW_DEAD = 2;

/** true while the debug hooks are installed (set by pymem.ts through shadowEnable). */
export let shadowOn = false;
/** the map: SH[addr >> 4] describes the granule [addr & ~15, (addr & ~15) + 16). */
export let SH = new Uint8Array(0);

export function shadowEnable(on: boolean): void {
  shadowOn = on;
  SH = on ? new Uint8Array(heapLimit >>> 4) : new Uint8Array(0);
}

/** Forget what is known about [p, p + n) (rounded out to granules). */
export function shadowClear(p: number, n: number): void {
  if (shadowOn) SH.fill(SHADOW_NONE, p >>> 4, (p + n + 15) >>> 4);
}

onHeapReset(() => {
  if (shadowOn) SH = new Uint8Array(heapLimit >>> 4);
});
