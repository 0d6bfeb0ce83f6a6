import { describe, it, expect, beforeEach } from 'vitest';
import { resetHeap, STATIC_END, MiB, KiB, heapLimit } from '../../../../runtime/mem/heap.js';
import {
  osMmap,
  osMunmap,
  osMappedBytes,
  osPeakMappedBytes,
  osResetPeak,
  osStats,
  osFreeRuns,
  PAGE_SIZE,
  MAP_SKEW,
  MAP_SKEW_MODULUS,
} from '../../../../runtime/mem/os.js';

describe('simulated OS layer', () => {
  beforeEach(() => resetHeap(64 * MiB));

  it('maps page-rounded regions one page past a 16 KiB boundary, above the static region', () => {
    const a = osMmap(1);
    const b = osMmap(5000);
    const c = osMmap(MiB);
    for (const p of [a, b, c]) {
      expect(p).toBeGreaterThanOrEqual(STATIC_END);
      expect(p % PAGE_SIZE).toBe(0);
      expect(p % MAP_SKEW_MODULUS).toBe(MAP_SKEW);
    }
    expect(b).toBeGreaterThanOrEqual(a + PAGE_SIZE);
    expect(c).toBeGreaterThanOrEqual(b + 2 * PAGE_SIZE);
    expect(osMappedBytes()).toBe(PAGE_SIZE + 2 * PAGE_SIZE + MiB);
  });

  it('packs consecutive 1 MiB mappings without gaps (each keeps the 4 KiB skew)', () => {
    const a = osMmap(MiB);
    const b = osMmap(MiB);
    expect(b).toBe(a + MiB);
  });

  it('counts current and peak mapped bytes', () => {
    const a = osMmap(3 * PAGE_SIZE);
    const b = osMmap(10 * PAGE_SIZE);
    expect(osMappedBytes()).toBe(13 * PAGE_SIZE);
    osMunmap(b, 10 * PAGE_SIZE);
    expect(osMappedBytes()).toBe(3 * PAGE_SIZE);
    expect(osPeakMappedBytes()).toBe(13 * PAGE_SIZE);
    osResetPeak();
    expect(osPeakMappedBytes()).toBe(3 * PAGE_SIZE);
    osMunmap(a, 3 * PAGE_SIZE);
    expect(osMappedBytes()).toBe(0);
    expect(osStats().mappings).toBe(0);
  });

  it('reuses unmapped space and merges free runs back together', () => {
    const runs0 = osFreeRuns();
    const a = osMmap(MiB);
    const b = osMmap(MiB);
    const c = osMmap(MiB);
    osMunmap(b, MiB);
    expect(osMmap(MiB)).toBe(b); // first fit: the hole
    osMunmap(a, MiB);
    osMunmap(b, MiB);
    osMunmap(c, MiB);
    expect(osFreeRuns()).toEqual(runs0);
  });

  it('returns NULL, never throws, when no run is large enough', () => {
    resetHeap(STATIC_END + 2 * MiB);
    expect(heapLimit - STATIC_END).toBe(2 * MiB);
    const a = osMmap(MiB);
    expect(a).not.toBe(0);
    expect(osMmap(MiB)).toBe(0); // 1 MiB - 4 KiB of skew left
    expect(osMmap(2 * MiB)).toBe(0);
    expect(osMmap(heapLimit * 2)).toBe(0);
    expect(osMmap(64 * KiB)).not.toBe(0);
  });

  it('rejects unmapping what is not mapped (an interpreter bug)', () => {
    const a = osMmap(MiB);
    expect(() => osMunmap(a + 123, PAGE_SIZE)).toThrow(/not a mapping/);
    osMunmap(a, MiB);
    expect(() => osMunmap(a, MiB)).toThrow(/already free/);
  });

  it('starts fresh after resetHeap', () => {
    osMmap(MiB);
    resetHeap(64 * MiB);
    expect(osMappedBytes()).toBe(0);
    expect(osFreeRuns()).toEqual([[STATIC_END, 64 * MiB]]);
  });
});
