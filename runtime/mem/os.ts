// The simulated operating system: mmap/munmap over the part of the heap above the static region.
//
//   STATIC_END (16 MiB) .................................................. heapLimit
//   | free | arena (1 MiB) | arena | gap | large region (pages) | free ...          |
//
// Address space is handed out in 4 KiB pages. A mapping is the lowest free run that fits
// (first fit), and like Linux's mmap it is only page aligned: every mapping starts ONE PAGE
// PAST A 16 KiB BOUNDARY (base % 16 KiB == 4 KiB). That is the case CPython meets in practice
// and what makes its numbers: a 1 MiB arena whose base is not pool-aligned holds 63 pools, not
// 64, and `_debugmallocstats` reports 16,384 "bytes lost to arena alignment" per arena (reference
// §1.1/§1.6). It is also cheap: 1 MiB arenas mapped one after the other keep that alignment
// with no gap between them. The gap skipped to reach the alignment (at most 12 KiB) stays free.
//
// munmap returns the pages to the free runs, merged with free neighbours, so the space is
// reused. The layer counts mapped bytes (the "RSS" of the simulated process): current and
// peak. When nothing fits below the heap limit, osMmap returns NULL (0): the allocators pass
// the NULL up and the VM raises MemoryError; nothing here throws for lack of memory.
//
// Contents: a fresh mapping's bytes are whatever the heap held since resetHeap() (which zeroes
// everything mapped before it): not zeroed on each mmap, since zeroing 1 MiB per arena would cost
// more than the allocations it serves. Nobody relies on it: calloc clears.
//
// The free runs are two sorted Int32Arrays (start page, page count); mappings are few (arenas
// and blocks over 128 KiB), so the linear search and copyWithin insertions cost nothing that
// matters.

import { type Ptr, NULL, STATIC_END, heapLimit, onHeapReset, markHeapUsed, KiB } from './heap.js';
import { shadowClear } from './shadow.js';

export const PAGE_SIZE = 4 * KiB;
const PAGE_SHIFT = 12;
/** mappings start at base % MAP_SKEW_MODULUS === MAP_SKEW (see the top of the file) */
export const MAP_SKEW = PAGE_SIZE;
export const MAP_SKEW_MODULUS = 16 * KiB;
const SKEW_PAGES = MAP_SKEW >>> PAGE_SHIFT;
const SKEW_MOD_PAGES = MAP_SKEW_MODULUS >>> PAGE_SHIFT;

let frStart = new Int32Array(64); // first page of each free run, ascending
let frLen = new Int32Array(64); // pages in each free run
let nfr = 0;

let mappedBytes = 0;
let peakMappedBytes = 0;
let nmappings = 0;
let nmapCalls = 0;
let nunmapCalls = 0;

export function osReset(): void {
  frStart = new Int32Array(64);
  frLen = new Int32Array(64);
  const first = STATIC_END >>> PAGE_SHIFT;
  frStart[0] = first;
  frLen[0] = (heapLimit >>> PAGE_SHIFT) - first;
  nfr = 1;
  mappedBytes = 0;
  peakMappedBytes = 0;
  nmappings = 0;
  nmapCalls = 0;
  nunmapCalls = 0;
}
osReset();
onHeapReset(osReset);

/** Bytes rounded up to whole pages. */
export function pageRound(n: number): number {
  return Math.ceil(n / PAGE_SIZE) * PAGE_SIZE;
}

/** ≈ mmap(NULL, size, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS): `size` bytes rounded up
 *  to pages, at an address with base % 16 KiB == 4 KiB. Returns NULL when no run is free. */
export function osMmap(size: number): Ptr {
  if (!(size > 0) || size > heapLimit) return NULL;
  const npages = Math.ceil(size / PAGE_SIZE);
  for (let i = 0; i < nfr; i++) {
    const s = frStart[i];
    const len = frLen[i];
    const skip = (SKEW_PAGES - (s % SKEW_MOD_PAGES) + SKEW_MOD_PAGES) % SKEW_MOD_PAGES;
    if (skip + npages > len) continue;
    const b = s + skip;
    const after = len - skip - npages;
    // the run becomes [s, b) and [b + npages, s + len); either may be empty
    if (skip === 0 && after === 0) removeRun(i);
    else if (skip === 0) {
      frStart[i] = b + npages;
      frLen[i] = after;
    } else {
      frLen[i] = skip;
      if (after > 0) insertRun(i + 1, b + npages, after);
    }
    const bytes = npages * PAGE_SIZE;
    mappedBytes += bytes;
    if (mappedBytes > peakMappedBytes) peakMappedBytes = mappedBytes;
    nmappings++;
    nmapCalls++;
    const base = b * PAGE_SIZE;
    markHeapUsed(base + bytes);
    shadowClear(base, bytes);
    return base;
  }
  return NULL;
}

/** ≈ munmap(p, size): give back a mapping made by osMmap (same base, same size). Unmapping
 *  something that is not mapped is an interpreter bug and throws. */
export function osMunmap(p: Ptr, size: number): void {
  const npages = Math.ceil(size / PAGE_SIZE);
  const first = p / PAGE_SIZE;
  if (p === NULL || p % PAGE_SIZE !== 0 || npages <= 0 || p < STATIC_END || p + npages * PAGE_SIZE > heapLimit) {
    throw new Error(`pymem bug: osMunmap(${p}, ${size}): not a mapping`);
  }
  // i = first run that starts after `first`
  let lo = 0;
  let hi = nfr;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (frStart[mid] < first) lo = mid + 1;
    else hi = mid;
  }
  const i = lo;
  const end = first + npages;
  if ((i > 0 && frStart[i - 1] + frLen[i - 1] > first) || (i < nfr && frStart[i] < end)) {
    throw new Error(`pymem bug: osMunmap(${p}, ${size}): pages already free`);
  }
  const joinPrev = i > 0 && frStart[i - 1] + frLen[i - 1] === first;
  const joinNext = i < nfr && frStart[i] === end;
  if (joinPrev && joinNext) {
    frLen[i - 1] += npages + frLen[i];
    removeRun(i);
  } else if (joinPrev) {
    frLen[i - 1] += npages;
  } else if (joinNext) {
    frStart[i] = first;
    frLen[i] += npages;
  } else {
    insertRun(i, first, npages);
  }
  mappedBytes -= npages * PAGE_SIZE;
  nmappings--;
  nunmapCalls++;
}

function insertRun(i: number, start: number, len: number): void {
  if (nfr === frStart.length) {
    const s = new Int32Array(nfr * 2);
    const l = new Int32Array(nfr * 2);
    s.set(frStart);
    l.set(frLen);
    frStart = s;
    frLen = l;
  }
  frStart.copyWithin(i + 1, i, nfr);
  frLen.copyWithin(i + 1, i, nfr);
  frStart[i] = start;
  frLen[i] = len;
  nfr++;
}

function removeRun(i: number): void {
  frStart.copyWithin(i, i + 1, nfr);
  frLen.copyWithin(i, i + 1, nfr);
  nfr--;
}

/** Bytes mapped now (the simulated process's RSS from the allocators). */
export function osMappedBytes(): number {
  return mappedBytes;
}
/** Highest osMappedBytes() since the last osReset() or osResetPeak(). */
export function osPeakMappedBytes(): number {
  return peakMappedBytes;
}
export function osResetPeak(): void {
  peakMappedBytes = mappedBytes;
}

export interface OsStats {
  mappedBytes: number;
  peakMappedBytes: number;
  mappings: number;
  mmapCalls: number;
  munmapCalls: number;
  /** free address space below the heap limit, in bytes, and its largest run */
  freeBytes: number;
  largestFreeRun: number;
}
export function osStats(): OsStats {
  let free = 0;
  let largest = 0;
  for (let i = 0; i < nfr; i++) {
    free += frLen[i];
    if (frLen[i] > largest) largest = frLen[i];
  }
  return {
    mappedBytes,
    peakMappedBytes,
    mappings: nmappings,
    mmapCalls: nmapCalls,
    munmapCalls: nunmapCalls,
    freeBytes: free * PAGE_SIZE,
    largestFreeRun: largest * PAGE_SIZE,
  };
}

/** The free runs as [start, end) byte ranges (tests). */
export function osFreeRuns(): [number, number][] {
  const r: [number, number][] = [];
  for (let i = 0; i < nfr; i++) r.push([frStart[i] * PAGE_SIZE, (frStart[i] + frLen[i]) * PAGE_SIZE]);
  return r;
}
