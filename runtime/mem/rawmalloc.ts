// The raw allocator: what `malloc`/`calloc`/`realloc`/`free` are to CPython. It serves the RAW
// domain (PyMem_RawMalloc...), pymalloc's requests of 0 bytes and over 512 bytes, and every
// domain under PYTHONMALLOC=malloc. It is also the baseline of bench/alloc.bench.ts.
//
// A general-purpose allocator with boundary tags, splitting and coalescing, and segregated
// free lists searched through bitmaps (the TLSF scheme: O(1) malloc and free, good fit).
//
// Chunks (every address 16-byte aligned):
//
//   c+0   prev_size   size of the previous chunk, valid only while that chunk is free (footer)
//   c+8   head        chunk size (multiple of 16, >= 32) | CINUSE 1 | PINUSE 2 | MMAPPED 4
//   c+12  (unused)
//   c+16  user data   p = c + 16 is what malloc returns; usable size = chunk size - 16
//         free chunk: c+16 fd, c+20 bk (doubly linked list of its bin)
//
// A request of n bytes takes a chunk of max(32, round16(n + 16)) bytes. Two free chunks are never
// neighbours (free merges with both). PINUSE in a chunk's head says whether the chunk before it
// is in use, so free finds the previous chunk through its footer only when it must merge.
//
// Memory comes from the OS layer in 1 MiB segments:
//
//   seg+0 [first chunk ... chunks ...][fence: 16 bytes, head = 16 | CINUSE]  seg + 1 MiB
//
// The first chunk always has PINUSE set and the fence is never free, so merging stops at the
// segment's ends. A segment that becomes wholly free is returned to the OS, except when it is
// the only one (kept, so that a program allocating and freeing one block does not map and unmap
// a segment every time). Requests of MMAP_THRESHOLD (128 KiB, glibc's default) or more get a
// page-rounded mapping of their own (head has MMAPPED), unmapped by free.
//
// Bins (TLSF): chunk sizes below 256 have one bin per 16-byte size (fl 0, sl = size/16); above,
// fl = floor(log2(size)) - 7 and 16 bins (sl) split each power of two. A request is rounded up
// to the next bin boundary, and the first non-empty bin at or above it (two bitmaps, ctz) is
// guaranteed to hold a chunk big enough; the chunk is split if what remains is >= 32 bytes.
//
// A per-size cache in front (glibc's tcache): a freed chunk of up to 1040 bytes is first kept,
// still marked in use (plus TCACHED), on a LIFO list of its exact size, at most TCACHE_COUNT (7,
// glibc's default) per size; malloc of that size pops it back. So an alloc/free pair of one
// size costs a push and a pop, and the splitting and merging happen only past the cache.
//
// Errors: free/realloc of something that is not a live chunk (double free, garbage pointer) is
// reported as glibc does ("free(): double free detected", abort) through PyFatalError.

import { type Ptr, NULL, onHeapReset, heapLimit, U8 as heapU8, I32 as heapI32 } from './heap.js';
import { osMmap, osMunmap, pageRound } from './os.js';
import { shadowOn, shadowClear } from './shadow.js';
import { PyFatalError, fmtPtr } from './fatal.js';

const H = heapI32;
const B = heapU8;

const RAW_ALIGNMENT = 16;
const CHUNK_OVERHEAD = 16;
const MIN_CHUNK = 32;
const SEGMENT_SIZE = 1024 * 1024;
const MMAP_THRESHOLD = 128 * 1024;
const FENCE_SIZE = 16;

const CINUSE = 1;
const PINUSE = 2;
const MMAPPED = 4;
const TCACHED = 8; // in use as far as the boundary tags go, but parked in the tcache
const FLAGS = 15;

const TCACHE_MAX_CHUNK = 1040; // chunk sizes 32..1040: 64 lists, indexed by size >> 4
const TCACHE_BINS = (TCACHE_MAX_CHUNK >>> 4) + 1;
const TCACHE_COUNT = 7;

// word offsets from c >> 2
const W_PREVSIZE = 0;
const W_HEAD = 2;
const W_FD = 4;
const W_BK = 5;

const SL_LOG2 = 4;
const SL_COUNT = 1 << SL_LOG2;
const SMALL_LIMIT = 256; // 1 << (SL_LOG2 + 4)
const FL_COUNT = 24; // sizes < 2^31
const BIN_COUNT = FL_COUNT * SL_COUNT;

const bins = new Int32Array(BIN_COUNT); // head chunk of each bin, 0 = empty
const slMap = new Int32Array(FL_COUNT); // bit sl set: bins[fl*16+sl] non-empty
let flMap = 0; // bit fl set: slMap[fl] != 0

let segBases = new Int32Array(16); // live segments, unordered
let nseg = 0;

const tcache = new Int32Array(TCACHE_BINS); // chunk address per exact size (size >> 4), 0 = none
const tcacheCount = new Int32Array(TCACHE_BINS);
// counters, in a typed array: increments of module-level `let`s measured ~2x dearer on the fast path
const RS = new Int32Array(4);
const RS_LIVE = 0; // chunks handed out and not freed (segments and mmapped)
const RS_BYTES = 1; // their chunk sizes
const RS_TCACHED = 2; // chunks parked in the tcache
const RS_MMAPPED = 3; // live chunks with a mapping of their own

export function rawReset(): void {
  bins.fill(0);
  slMap.fill(0);
  flMap = 0;
  segBases = new Int32Array(16);
  nseg = 0;
  tcache.fill(0);
  tcacheCount.fill(0);
  RS.fill(0);
}
onHeapReset(rawReset);

/** Chunk size for a request of n bytes. */
export function request2size(n: number): number {
  const s = (n + CHUNK_OVERHEAD + 15) & ~15;
  return s < MIN_CHUNK ? MIN_CHUNK : s;
}

function ctz(x: number): number {
  return 31 - Math.clz32(x & -x);
}

// ---- bins ----

function binIndex(size: number): number {
  if (size < SMALL_LIMIT) return size >>> 4;
  const t = 31 - Math.clz32(size);
  return ((t - 7) << SL_LOG2) | ((size >>> (t - SL_LOG2)) & (SL_COUNT - 1));
}

function insertFree(c: number, size: number): void {
  const i = binIndex(size);
  const head = bins[i];
  const cw = c >> 2;
  H[cw + W_FD] = head;
  H[cw + W_BK] = 0;
  if (head !== 0) H[(head >> 2) + W_BK] = c;
  bins[i] = c;
  const fl = i >>> SL_LOG2;
  slMap[fl] |= 1 << (i & (SL_COUNT - 1));
  flMap |= 1 << fl;
}

function unlinkFree(c: number, size: number): void {
  const cw = c >> 2;
  const fd = H[cw + W_FD];
  const bk = H[cw + W_BK];
  if (fd !== 0) H[(fd >> 2) + W_BK] = bk;
  if (bk !== 0) H[(bk >> 2) + W_FD] = fd;
  else {
    const i = binIndex(size);
    bins[i] = fd;
    if (fd === 0) {
      const fl = i >>> SL_LOG2;
      const m = slMap[fl] & ~(1 << (i & (SL_COUNT - 1)));
      slMap[fl] = m;
      if (m === 0) flMap &= ~(1 << fl);
    }
  }
}

/** Take a free chunk of at least `size` bytes out of its bin, or return 0. */
function findFree(size: number): number {
  let fl: number;
  let sl: number;
  if (size < SMALL_LIMIT) {
    fl = 0;
    sl = size >>> 4;
  } else {
    // round up to the next bin boundary so any chunk of the bin found fits
    const t = 31 - Math.clz32(size);
    const r = size + (1 << (t - SL_LOG2)) - 1;
    const t2 = 31 - Math.clz32(r);
    fl = t2 - 7;
    sl = (r >>> (t2 - SL_LOG2)) & (SL_COUNT - 1);
    if (fl >= FL_COUNT) return 0;
  }
  let bits = slMap[fl] & (~0 << sl);
  if (bits === 0) {
    const fbits = flMap & (~0 << (fl + 1));
    if (fbits === 0) return 0;
    fl = ctz(fbits);
    bits = slMap[fl];
  }
  sl = ctz(bits);
  const i = (fl << SL_LOG2) | sl;
  const c = bins[i];
  // pop the head of the bin
  const fd = H[(c >> 2) + W_FD];
  bins[i] = fd;
  if (fd !== 0) H[(fd >> 2) + W_BK] = 0;
  else {
    const m = slMap[fl] & ~(1 << sl);
    slMap[fl] = m;
    if (m === 0) flMap &= ~(1 << fl);
  }
  return c;
}

// ---- segments ----

function newSegment(): number {
  const base = osMmap(SEGMENT_SIZE);
  if (base === NULL) return 0;
  if (nseg === segBases.length) {
    const a = new Int32Array(nseg * 2);
    a.set(segBases);
    segBases = a;
  }
  segBases[nseg++] = base;
  const size = SEGMENT_SIZE - FENCE_SIZE;
  const bw = base >> 2;
  H[bw + W_PREVSIZE] = 0;
  H[bw + W_HEAD] = size | PINUSE;
  const fw = (base + size) >> 2;
  H[fw + W_PREVSIZE] = size;
  H[fw + W_HEAD] = FENCE_SIZE | CINUSE;
  return base;
}

function segmentIndex(base: number): number {
  for (let i = 0; i < nseg; i++) if (segBases[i] === base) return i;
  return -1;
}

// ---- malloc / free ----

/** ≈ malloc(n): n >= 0 bytes, 16-byte aligned, or NULL when the heap limit is reached. */
export function rawMalloc(n: number): Ptr {
  if (n <= TCACHE_MAX_CHUNK - CHUNK_OVERHEAD) {
    const size = n < MIN_CHUNK - CHUNK_OVERHEAD ? MIN_CHUNK : (n + CHUNK_OVERHEAD + 15) & ~15;
    const ti = size >>> 4;
    const t = tcache[ti];
    if (t !== 0) {
      const tw = t >> 2;
      tcache[ti] = H[tw + W_FD];
      tcacheCount[ti]--;
      H[tw + W_HEAD] &= ~TCACHED;
      RS[RS_TCACHED]--;
      RS[RS_LIVE]++;
      RS[RS_BYTES] += size;
      return t + CHUNK_OVERHEAD;
    }
  }
  return mallocFromBins(n);
}

/** malloc past the tcache: a chunk from the bins (split), a new segment, or a mapping. */
function mallocFromBins(n: number): Ptr {
  if (!(n < MMAP_THRESHOLD)) return mmapChunk(n); // also NaN
  const size = n < MIN_CHUNK - CHUNK_OVERHEAD ? MIN_CHUNK : (n + CHUNK_OVERHEAD + 15) & ~15;
  let c = findFree(size);
  if (c === 0) {
    c = newSegment();
    if (c === 0) return NULL;
  }
  const cw = c >> 2;
  const head = H[cw + W_HEAD];
  const csize = head & ~FLAGS;
  const rem = csize - size;
  if (rem >= MIN_CHUNK) {
    H[cw + W_HEAD] = size | (head & PINUSE) | CINUSE;
    const r = c + size;
    if (shadowOn) shadowClear(r, 32);
    const rw = r >> 2;
    H[rw + W_HEAD] = rem | PINUSE;
    H[(r + rem) >> 2] = rem; // footer (next chunk's prev_size); its PINUSE is already clear
    insertFree(r, rem);
    RS[RS_BYTES] += size;
  } else {
    H[cw + W_HEAD] = head | CINUSE;
    H[((c + csize) >> 2) + W_HEAD] |= PINUSE;
    RS[RS_BYTES] += csize;
  }
  RS[RS_LIVE]++;
  return c + CHUNK_OVERHEAD;
}

function mmapChunk(n: number): Ptr {
  if (!(n < 2 ** 31 - 2 * MMAP_THRESHOLD)) return NULL;
  const total = pageRound(n + CHUNK_OVERHEAD);
  const c = osMmap(total);
  if (c === NULL) return NULL;
  const cw = c >> 2;
  H[cw + W_PREVSIZE] = 0;
  H[cw + W_HEAD] = total | MMAPPED | CINUSE | PINUSE;
  RS[RS_LIVE]++;
  RS[RS_MMAPPED]++;
  RS[RS_BYTES] += total;
  return c + CHUNK_OVERHEAD;
}

function badPointer(what: string, p: Ptr): never {
  throw new PyFatalError('', `${what}`, '', p, true);
}

/** Check that p is the user pointer of a live chunk; return its head word. */
function liveHead(p: Ptr, fn: string): number {
  if ((p & 15) !== 0 || p < 16 || p >= heapLimit) badPointer(`${fn}(): invalid pointer`, p);
  const head = H[((p - CHUNK_OVERHEAD) >> 2) + W_HEAD];
  if ((head & (CINUSE | TCACHED)) !== CINUSE) badPointer(`${fn}(): double free detected (${fmtPtr(p)})`, p);
  const size = head & ~FLAGS;
  if (size < MIN_CHUNK || p - CHUNK_OVERHEAD + size > heapLimit) badPointer(`${fn}(): invalid size`, p);
  return head;
}

/** ≈ free(p); free(NULL) does nothing. */
export function rawFree(p: Ptr): void {
  if (p === NULL) return;
  const c = p - CHUNK_OVERHEAD;
  const head = H[(c >> 2) + W_HEAD];
  const size = head & ~FLAGS;
  // a live chunk of a tcache size: park it (the full checks are in freeSlow)
  if ((head & (CINUSE | TCACHED | MMAPPED)) === CINUSE && size - MIN_CHUNK <= TCACHE_MAX_CHUNK - MIN_CHUNK && (p & 15) === 0 && size >= MIN_CHUNK) {
    const ti = size >>> 4;
    if (tcacheCount[ti] < TCACHE_COUNT) {
      const cw = c >> 2;
      H[cw + W_HEAD] = head | TCACHED;
      H[cw + W_FD] = tcache[ti];
      tcache[ti] = c;
      tcacheCount[ti]++;
      RS[RS_TCACHED]++;
      RS[RS_LIVE]--;
      RS[RS_BYTES] -= size;
      return;
    }
  }
  freeSlow(p);
}

function freeSlow(p: Ptr): void {
  const c = p - CHUNK_OVERHEAD;
  const head = liveHead(p, 'free');
  const size = head & ~FLAGS;
  RS[RS_LIVE]--;
  RS[RS_BYTES] -= size;
  // clear CINUSE in this chunk's own head even if it merges into the previous chunk, so a
  // second free of p is seen as one
  H[(c >> 2) + W_HEAD] = head & ~CINUSE;
  if ((head & MMAPPED) !== 0) {
    RS[RS_MMAPPED]--;
    osMunmap(c, size);
    return;
  }
  freeChunk(c, size, head);
}

/** Put chunk c (in use, `size` bytes, head word `head`) back, merging with free neighbours. */
function freeChunk(c: number, size: number, head: number): void {
  const next = c + size;
  const nhead = H[(next >> 2) + W_HEAD];
  if ((nhead & CINUSE) === 0) {
    const nsize = nhead & ~FLAGS;
    unlinkFree(next, nsize);
    size += nsize;
  }
  if ((head & PINUSE) === 0) {
    const psize = H[c >> 2];
    c -= psize;
    unlinkFree(c, psize);
    size += psize;
  }
  const cw = c >> 2;
  H[cw + W_HEAD] = size | PINUSE;
  const end = c + size;
  H[end >> 2] = size;
  H[(end >> 2) + W_HEAD] &= ~PINUSE;
  if (size === SEGMENT_SIZE - FENCE_SIZE && nseg > 1) {
    const i = segmentIndex(c);
    if (i >= 0) {
      segBases[i] = segBases[--nseg];
      osMunmap(c, SEGMENT_SIZE);
      return;
    }
  }
  insertFree(c, size);
}

/** ≈ calloc(nelem, elsize): zeroed. */
export function rawCalloc(nelem: number, elsize: number): Ptr {
  const n = nelem * elsize;
  const p = rawMalloc(n);
  if (p !== NULL) B.fill(0, p, p + n);
  return p;
}

/** ≈ realloc(p, n): in place when the chunk can shrink, or grow into a free neighbour;
 *  otherwise malloc + copy + free. NULL (p untouched) when memory is exhausted. */
export function rawRealloc(p: Ptr, n: number): Ptr {
  if (p === NULL) return rawMalloc(n);
  const c = p - CHUNK_OVERHEAD;
  const cw = c >> 2;
  const head = liveHead(p, 'realloc');
  const size = head & ~FLAGS;
  if ((head & MMAPPED) !== 0) {
    if (n >= MMAP_THRESHOLD && pageRound(n + CHUNK_OVERHEAD) === size) return p;
    return moveBlock(p, n, size - CHUNK_OVERHEAD);
  }
  if (n >= MMAP_THRESHOLD) return moveBlock(p, n, size - CHUNK_OVERHEAD);
  const want = request2size(n);
  if (want <= size) {
    const rem = size - want;
    if (rem >= MIN_CHUNK) {
      H[cw + W_HEAD] = want | (head & PINUSE) | CINUSE;
      const r = c + want;
      if (shadowOn) shadowClear(r, 32);
      H[(r >> 2) + W_HEAD] = rem | PINUSE | CINUSE;
      RS[RS_BYTES] -= rem;
      freeChunk(r, rem, rem | PINUSE | CINUSE);
    }
    return p;
  }
  const next = c + size;
  const nhead = H[(next >> 2) + W_HEAD];
  if ((nhead & CINUSE) === 0 && size + (nhead & ~FLAGS) >= want) {
    const nsize = nhead & ~FLAGS;
    unlinkFree(next, nsize);
    const total = size + nsize;
    const rem = total - want;
    if (rem >= MIN_CHUNK) {
      H[cw + W_HEAD] = want | (head & PINUSE) | CINUSE;
      const r = c + want;
      if (shadowOn) shadowClear(r, 32);
      H[(r >> 2) + W_HEAD] = rem | PINUSE;
      H[(r + rem) >> 2] = rem;
      insertFree(r, rem);
      RS[RS_BYTES] += want - size;
    } else {
      H[cw + W_HEAD] = total | (head & PINUSE) | CINUSE;
      H[((c + total) >> 2) + W_HEAD] |= PINUSE;
      RS[RS_BYTES] += total - size;
    }
    return p;
  }
  return moveBlock(p, n, size - CHUNK_OVERHEAD);
}

function moveBlock(p: Ptr, n: number, usable: number): Ptr {
  const q = rawMalloc(n);
  if (q === NULL) return NULL;
  B.copyWithin(q, p, p + (n < usable ? n : usable));
  rawFree(p);
  return q;
}

// ---- introspection ----

/** Usable bytes of the live block p (>= what was asked for). */
export function rawUsableSize(p: Ptr): number {
  return (H[((p - CHUNK_OVERHEAD) >> 2) + W_HEAD] & ~FLAGS) - CHUNK_OVERHEAD;
}

/** Blocks handed out and not freed (O(1)). */
export function rawLiveBlocks(): number {
  return RS[RS_LIVE];
}

export interface RawStats {
  blocks: number;
  /** freed chunks parked in the tcache (still in use as far as the segments go) */
  tcached: number;
  chunkBytes: number;
  mmappedBlocks: number;
  segments: number;
  freeChunks: number;
  freeBytes: number;
}

export function rawStats(): RawStats {
  let freeChunks = 0;
  let freeBytes = 0;
  for (let i = 0; i < BIN_COUNT; i++) {
    for (let c = bins[i]; c !== 0; c = H[(c >> 2) + W_FD]) {
      freeChunks++;
      freeBytes += H[(c >> 2) + W_HEAD] & ~FLAGS;
    }
  }
  return { blocks: RS[RS_LIVE], tcached: RS[RS_TCACHED], chunkBytes: RS[RS_BYTES], mmappedBlocks: RS[RS_MMAPPED], segments: nseg, freeChunks, freeBytes };
}

/** Walk every segment and bin and check the invariants; return a description of the first
 *  violation, or null. (Tests; O(heap).) */
export function rawCheck(): string | null {
  let inUse = 0;
  let inUseBytes = 0;
  let freeInSegs = 0;
  let tcachedSeen = 0;
  for (let s = 0; s < nseg; s++) {
    const base = segBases[s];
    const end = base + SEGMENT_SIZE - FENCE_SIZE;
    let c = base;
    let prevFree = false;
    let prevSize = 0;
    let first = true;
    while (c < end) {
      const head = H[(c >> 2) + W_HEAD];
      const size = head & ~FLAGS;
      if (size < MIN_CHUNK || (size & 15) !== 0 || c + size > end) return `segment ${fmtPtr(base)}: chunk ${fmtPtr(c)} has bad size ${size}`;
      if ((head & MMAPPED) !== 0) return `chunk ${fmtPtr(c)} in a segment is marked MMAPPED`;
      const pin = (head & PINUSE) !== 0;
      if (first ? !pin : pin === prevFree) return `chunk ${fmtPtr(c)}: PINUSE=${pin} but previous chunk free=${prevFree}`;
      const free = (head & CINUSE) === 0;
      if (free) {
        if (prevFree) return `two free chunks side by side at ${fmtPtr(c)}`;
        if (H[(c + size) >> 2] !== size) return `free chunk ${fmtPtr(c)}: footer ${H[(c + size) >> 2]} != ${size}`;
        // must be in its bin
        let found = false;
        for (let q = bins[binIndex(size)]; q !== 0; q = H[(q >> 2) + W_FD]) if (q === c) found = true;
        if (!found) return `free chunk ${fmtPtr(c)} (${size} bytes) is not in its bin`;
        freeInSegs++;
      } else if ((head & TCACHED) !== 0) {
        tcachedSeen++;
      } else {
        inUse++;
        inUseBytes += size;
      }
      if (!first && !pin && H[c >> 2] !== prevSize) return `chunk ${fmtPtr(c)}: prev_size wrong`;
      prevFree = free;
      prevSize = size;
      first = false;
      c += size;
    }
    if (c !== end) return `segment ${fmtPtr(base)}: chunks overrun the fence`;
    const fhead = H[(end >> 2) + W_HEAD];
    if ((fhead & ~FLAGS) !== FENCE_SIZE || (fhead & CINUSE) === 0) return `segment ${fmtPtr(base)}: fence damaged`;
    if (((fhead & PINUSE) !== 0) === prevFree) return `segment ${fmtPtr(base)}: fence PINUSE wrong`;
  }
  let binned = 0;
  for (let i = 0; i < BIN_COUNT; i++) {
    const fl = i >>> SL_LOG2;
    const bit = (slMap[fl] >>> (i & (SL_COUNT - 1))) & 1;
    if ((bins[i] !== 0) !== (bit === 1)) return `bin ${i}: bitmap says ${bit} but head is ${bins[i]}`;
    let prev = 0;
    for (let c = bins[i]; c !== 0; c = H[(c >> 2) + W_FD]) {
      if (H[(c >> 2) + W_BK] !== prev) return `bin ${i}: bk link of ${fmtPtr(c)} broken`;
      if (binIndex(H[(c >> 2) + W_HEAD] & ~FLAGS) !== i) return `chunk ${fmtPtr(c)} in wrong bin ${i}`;
      prev = c;
      binned++;
    }
  }
  for (let fl = 0; fl < FL_COUNT; fl++) {
    if ((slMap[fl] !== 0) !== (((flMap >>> fl) & 1) === 1)) return `first-level bitmap wrong at ${fl}`;
  }
  let inTcache = 0;
  for (let i = 0; i < TCACHE_BINS; i++) {
    let k = 0;
    for (let c = tcache[i]; c !== 0; c = H[(c >> 2) + W_FD]) {
      const head = H[(c >> 2) + W_HEAD];
      if ((head & ~FLAGS) !== i << 4 || (head & (CINUSE | TCACHED)) !== (CINUSE | TCACHED)) return `tcache[${i}]: bad chunk ${fmtPtr(c)}`;
      if (++k > TCACHE_COUNT) return `tcache[${i}] too long`;
    }
    if (k !== tcacheCount[i]) return `tcache[${i}]: count ${tcacheCount[i]} but ${k} chunks`;
    inTcache += k;
  }
  if (inTcache !== RS[RS_TCACHED] || tcachedSeen !== RS[RS_TCACHED]) return `tcache holds ${inTcache}, segments show ${tcachedSeen}, count ${RS[RS_TCACHED]}`;
  if (binned !== freeInSegs) return `${binned} chunks in bins but ${freeInSegs} free chunks in segments`;
  if (inUse + RS[RS_MMAPPED] !== RS[RS_LIVE]) return `live blocks ${RS[RS_LIVE]} != ${inUse} in segments + ${RS[RS_MMAPPED]} mmapped`;
  void inUseBytes;
  return null;
}

/** The constants above, for other modules and tests. (They are not exported one by one: V8
 *  reads an exported module binding through its module cell on every use, which made the fast
 *  paths ~1.5x slower than with file-local constants. Copy what you use into a local const.) */
export const RAWMALLOC = Object.freeze({
  RAW_ALIGNMENT,
  CHUNK_OVERHEAD,
  MIN_CHUNK,
  SEGMENT_SIZE,
  MMAP_THRESHOLD,
});

/** Call `cb(p, usableSize)` for every live chunk of the segments (tcached chunks excluded).
 *  Chunks with a mapping of their own (>= 128 KiB) are not visited. For heap walks. */
export function rawForEachLiveBlock(cb: (p: Ptr, size: number) => void): void {
  for (let s = 0; s < nseg; s++) {
    const base = segBases[s];
    const end = base + SEGMENT_SIZE - FENCE_SIZE;
    for (let c = base; c < end; ) {
      const head = H[(c >> 2) + W_HEAD];
      const size = head & ~FLAGS;
      if (size < MIN_CHUNK) break;
      if ((head & CINUSE) !== 0 && (head & TCACHED) === 0) cb(c + CHUNK_OVERHEAD, size - CHUNK_OVERHEAD);
      c += size;
    }
  }
}
