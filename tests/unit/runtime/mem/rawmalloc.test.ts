import { describe, it, expect, beforeEach } from 'vitest';
import { resetHeap, U8, MiB, STATIC_END } from '../../../../runtime/mem/heap.js';
import {
  rawMalloc,
  rawCalloc,
  rawRealloc,
  rawFree,
  rawCheck,
  rawStats,
  rawUsableSize,
  request2size,
  RAWMALLOC,
} from '../../../../runtime/mem/rawmalloc.js';

const { CHUNK_OVERHEAD, MIN_CHUNK, SEGMENT_SIZE, MMAP_THRESHOLD } = RAWMALLOC;
import { osMappedBytes, pageRound } from '../../../../runtime/mem/os.js';
import { PyFatalError } from '../../../../runtime/mem/fatal.js';

function fill(p: number, n: number, b: number) {
  U8.fill(b, p, p + n);
}
function allEq(p: number, n: number, b: number) {
  for (let i = 0; i < n; i++) if (U8[p + i] !== b) return false;
  return true;
}

describe('raw allocator', () => {
  beforeEach(() => resetHeap(128 * MiB));

  it('sizes chunks as max(32, round16(n + 16)) and aligns to 16', () => {
    expect(request2size(0)).toBe(MIN_CHUNK);
    expect(request2size(16)).toBe(MIN_CHUNK);
    expect(request2size(17)).toBe(48);
    expect(request2size(600)).toBe(Math.ceil((600 + CHUNK_OVERHEAD) / 16) * 16);
    for (const n of [0, 1, 15, 16, 17, 100, 513, 4000]) {
      const p = rawMalloc(n);
      expect(p % 16).toBe(0);
      expect(rawUsableSize(p)).toBe(request2size(n) - CHUNK_OVERHEAD);
      expect(rawUsableSize(p)).toBeGreaterThanOrEqual(n);
    }
    expect(rawCheck()).toBeNull();
  });

  it('gives distinct blocks for size 0', () => {
    const a = rawMalloc(0);
    const b = rawMalloc(0);
    expect(a).not.toBe(0);
    expect(b).not.toBe(a);
  });

  it('splits a free chunk and coalesces neighbours on free (sizes past the tcache)', () => {
    const n = 1100;
    const a = rawMalloc(n);
    const b = rawMalloc(n);
    const c = rawMalloc(n);
    const guard = rawMalloc(n);
    expect(b).toBe(a + request2size(n));
    expect(c).toBe(b + request2size(n));
    const before = rawStats().freeChunks;
    rawFree(b);
    expect(rawStats().freeChunks).toBe(before + 1);
    rawFree(a); // merges with b
    expect(rawStats().freeChunks).toBe(before + 1);
    rawFree(c); // merges a+b with c
    expect(rawStats().freeChunks).toBe(before + 1);
    expect(rawCheck()).toBeNull();
    // the merged chunk serves a request that its bin is guaranteed to fit (TLSF rounds a request
    // up to the next bin boundary, 1/16 of the power of two)
    const big = rawMalloc(3 * request2size(n) - 256 - CHUNK_OVERHEAD);
    expect(big).toBe(a);
    rawFree(big);
    rawFree(guard);
    expect(rawCheck()).toBeNull();
    expect(rawStats().blocks).toBe(0);
  });

  it('keeps up to 7 freed chunks per small size in a LIFO cache (tcache)', () => {
    const ps: number[] = [];
    for (let i = 0; i < 10; i++) ps.push(rawMalloc(100));
    const free0 = rawStats().freeChunks;
    for (const p of ps) rawFree(p);
    const s = rawStats();
    expect(s.tcached).toBe(7);
    expect(s.blocks).toBe(0);
    expect(s.freeChunks).toBeLessThanOrEqual(free0 + 3); // the other 3 went back to the bins
    expect(rawCheck()).toBeNull();
    // LIFO: the last chunk cached comes back first
    expect(rawMalloc(100)).toBe(ps[6]);
    expect(rawMalloc(97)).toBe(ps[5]); // the same chunk size (128)
    expect(() => rawFree(ps[4])).toThrow(/double free/); // ps[4] is in the cache: already freed
    const q = rawMalloc(100);
    expect(q).toBe(ps[4]);
    rawFree(q);
    expect(() => rawFree(q)).toThrow(/double free/);
    expect(rawCheck()).toBeNull();
  });

  it('keeps one wholly free segment and returns the others to the OS', () => {
    const n = 60000;
    const ps: number[] = [];
    while (rawStats().segments < 3) ps.push(rawMalloc(n));
    expect(osMappedBytes()).toBe(3 * SEGMENT_SIZE);
    for (const p of ps) rawFree(p);
    expect(rawStats().segments).toBe(1);
    expect(osMappedBytes()).toBe(SEGMENT_SIZE);
    expect(rawCheck()).toBeNull();
  });

  it('maps requests of 128 KiB and more on their own pages and unmaps them on free', () => {
    const p = rawMalloc(MMAP_THRESHOLD);
    expect(osMappedBytes()).toBe(pageRound(MMAP_THRESHOLD + CHUNK_OVERHEAD));
    expect(rawStats().mmappedBlocks).toBe(1);
    fill(p, MMAP_THRESHOLD, 7);
    rawFree(p);
    expect(osMappedBytes()).toBe(0);
    expect(rawCheck()).toBeNull();
  });

  it('reallocs in place when shrinking or when the next chunk is free, else moves', () => {
    const a = rawMalloc(200);
    fill(a, 200, 0x5a);
    const b = rawMalloc(200);
    expect(rawRealloc(a, 50)).toBe(a); // shrink: split off the rest
    expect(rawCheck()).toBeNull();
    expect(allEq(a, 50, 0x5a)).toBe(true);
    expect(rawRealloc(a, 190)).toBe(a); // grow back into the freed remainder
    expect(allEq(a, 50, 0x5a)).toBe(true);
    const moved = rawRealloc(a, 1000); // b is in the way
    expect(moved).not.toBe(a);
    expect(allEq(moved, 50, 0x5a)).toBe(true);
    expect(rawCheck()).toBeNull();
    rawFree(moved);
    rawFree(b);
    expect(rawRealloc(0, 10)).not.toBe(0);
    expect(rawCheck()).toBeNull();
  });

  it('moves blocks between the segments and their own mappings on realloc', () => {
    const a = rawMalloc(1000);
    fill(a, 1000, 3);
    const big = rawRealloc(a, 300000);
    expect(rawStats().mmappedBlocks).toBe(1);
    expect(allEq(big, 1000, 3)).toBe(true);
    const small = rawRealloc(big, 500);
    expect(rawStats().mmappedBlocks).toBe(0);
    expect(allEq(small, 500, 3)).toBe(true);
    expect(rawCheck()).toBeNull();
  });

  it('calloc zeroes', () => {
    const a = rawMalloc(300);
    fill(a, 300, 0xff);
    rawFree(a);
    const b = rawCalloc(30, 10);
    expect(b).toBe(a);
    expect(allEq(b, 300, 0)).toBe(true);
  });

  it('reports a double free and a garbage pointer as fatal errors, like glibc', () => {
    const a = rawMalloc(40);
    rawMalloc(40);
    rawFree(a);
    expect(() => rawFree(a)).toThrow(PyFatalError);
    expect(() => rawFree(a)).toThrow(/double free/);
    expect(() => rawFree(a + 8)).toThrow(/invalid pointer/);
  });

  it('returns NULL when the heap limit is reached, and recovers after frees', () => {
    resetHeap(STATIC_END + 4 * MiB);
    const ps: number[] = [];
    for (;;) {
      const p = rawMalloc(50000);
      if (p === 0) break;
      ps.push(p);
    }
    expect(ps.length).toBeGreaterThan(40);
    for (;;) {
      const p = rawMalloc(MMAP_THRESHOLD * 2); // own mappings fill what segments could not use
      if (p === 0) break;
      ps.push(p);
    }
    expect(rawMalloc(50000)).toBe(0);
    expect(rawRealloc(ps[0], 900000)).toBe(0);
    for (const p of ps) rawFree(p);
    expect(rawMalloc(50000)).not.toBe(0);
    expect(rawCheck()).toBeNull();
  });
});
