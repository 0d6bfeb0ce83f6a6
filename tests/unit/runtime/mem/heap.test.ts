import { describe, it, expect } from 'vitest';
import {
  resetHeap,
  staticAlloc,
  heapLimit,
  U8,
  I32,
  buffer,
  MAX_HEAP_LIMIT,
  STATIC_END,
  MiB,
} from '../../../../runtime/mem/heap.js';
import { osMmap } from '../../../../runtime/mem/os.js';

describe('heap', () => {
  it('keeps one buffer and the same views across resets, and zeroes what was used', () => {
    const views = [buffer, U8, I32];
    resetHeap(64 * MiB);
    const s = staticAlloc(64);
    U8.fill(0xab, s, s + 64);
    const m = osMmap(MiB);
    U8.fill(0xcd, m, m + MiB);
    resetHeap(128 * MiB);
    expect(buffer === views[0] && U8 === views[1] && I32 === views[2]).toBe(true); // identity, not contents
    expect(heapLimit).toBe(128 * MiB);
    expect(U8.subarray(s, s + 64).some((b) => b !== 0)).toBe(false);
    expect(U8.subarray(m, m + MiB).some((b) => b !== 0)).toBe(false);
    expect(staticAlloc(16)).toBe(s); // the static region starts again
  });

  it('accepts limits up to 2 GiB (addresses stay positive int32)', () => {
    expect(buffer.byteLength).toBe(MAX_HEAP_LIMIT);
    expect(MAX_HEAP_LIMIT - 1).toBe((MAX_HEAP_LIMIT - 1) | 0);
    expect(() => resetHeap(MAX_HEAP_LIMIT + 64 * 1024)).toThrow(RangeError);
    expect(() => resetHeap(STATIC_END)).toThrow(RangeError);
    resetHeap(MAX_HEAP_LIMIT);
    expect(heapLimit).toBe(MAX_HEAP_LIMIT);
    resetHeap(64 * MiB);
  });
});
