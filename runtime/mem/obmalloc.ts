// pymalloc: CPython 3.11's small-object allocator (≈ Objects/obmalloc.c), 64-bit Linux geometry.
//
// Requests of 1..512 bytes are served from 32 size classes of 16 bytes (class i holds blocks of
// (i+1)*16 bytes; a request of n bytes has class (n-1) >> 4). Blocks live in 16 KiB pools, pools
// in 1 MiB arenas mapped from the OS layer. 0-byte requests and requests over 512 bytes are
// passed to the raw domain (and counted in raw_allocated_blocks, as CPython does).
//
// Pool header, 48 bytes at the start of every pool, in the heap, with CPython's fields:
//
//   +0  ref.count       blocks handed out from this pool (a uint in an 8-byte union)
//   +8  freeblock       head of the pool's free-block list (the link is the block's first word)
//   +16 nextpool        usedpools list (doubly linked) / arena freepools list (singly linked)
//   +24 prevpool
//   +32 arenaindex      index of the arena object
//   +36 szidx           size class
//   +40 nextoffset      offset of the next never-used block ("carving" is lazy)
//   +44 maxnextoffset   last offset at which a whole block still fits (16384 - size)
//
// Pointer fields are 8 bytes wide as in C; only their low 32-bit word is read and written on
// the hot paths (addresses are < 2^31, heap.ts).
//
// A pool is in exactly one state: USED (some blocks free, some allocated: on usedpools[szidx]),
// FULL (freeblock == NULL: on no list), EMPTY (count == 0: on its arena's freepools list). An
// arena's never-carved pools are counted in its nfreepools too.
//
// Allocator metadata outside the heap lives in module-level typed arrays (no JS object per
// pool or arena): usedpools[32] holds the head pool of each class (0 = none; CPython's
// sentinel trick is not needed with a NULL-terminated list), the arena objects are parallel
// Int32Arrays indexed by arena index (grown 16, 32, 64, ... like CPython's `allarenas`), with
// -1 as the NULL arena. `usable_arenas` is kept sorted by nfreepools ascending with the
// nfp2lasta[] fingers. A completely free arena is unmapped unless it is the last one of
// usable_arenas (3.9+, bpo-37257).
//
// address_in_range: instead of CPython's 3-level radix tree, `poolMap` is a Uint8Array with one
// byte per 16 KiB of heap, set to 1 for every pool of every live arena. It answers the same
// question for every pointer the runtime can hold (raw blocks never share a 16 KiB window with a
// pool: the OS layer never overlaps mappings, and arena bytes outside pools are never handed
// out). `_debugmallocstats` still prints the radix tree's counts, computed from the arena
// addresses as CPython 3.11 would.
//
// Arenas come from osMmap, whose bases are 4 KiB past a 16 KiB boundary, as CPython usually
// gets from Linux: the first pool starts at the next 16 KiB boundary and an arena has 63 pools
// (ntotalpools), 16384 bytes lost to arena alignment.
//
// ---------------------------------------------------------------------------------------------
// THE FAST PATHS (what the eval loop may inline; H is the heap's Int32Array, pointers in bytes).
//
// pymallocMalloc, pymallocMallocClass and pymallocFree are themselves only these fast paths
// plus calls (about 150-170 bytes of bytecode each, constants written as literals through const
// enums), so TurboFan inlines them, and PyObject_Malloc/PyObject_Free (pymem.ts: one flag test
// and a call), where its budget allows. A hand-inlined copy (the eval loop) decides before it
// writes anything and leaves every other case to the exported function, which redoes it from
// the start:
//
//   allocate n bytes, 1 <= n <= 512 (for a constant n, (n - 1) >>> 4 is the class):
//     const pool = usedpools[(n - 1) >>> 4];         // head of the class's used pools, 0 if none
//     if (pool !== 0) {
//       const pw = pool >> 2;
//       const bp = H[pw + 2];                        // freeblock (never 0 on a used pool)
//       const next = H[bp >> 2];                     // the block's link word
//       if (next !== 0) {                            // not the last free block of the pool
//         H[pw + 2] = next;
//         H[pw]++;                                   // ref.count
//         return bp;
//       }
//     }
//     return pymallocMalloc(n);                      // carve, unlink a full pool, new pool...
//                                                    // (or pymallocMallocClass(szidx))
//   free p (p !== 0):
//     if (poolMap[p >>> 14] === 1) {                 // a pymalloc block
//       const pw = (p & ~16383) >> 2;
//       const last = H[pw + 2];
//       const count = H[pw] - 1;
//       if (last !== 0 && count !== 0) {             // the pool stays a used pool
//         H[p >> 2] = last;                          // push on its free list (LIFO)
//         H[pw + 2] = p;
//         H[pw] = count;
//         return;
//       }
//     }
//     pymallocFree(p);                               // was full / now empty / not pymalloc's
//
// These are only valid while the MEM/OBJ domains are plain pymalloc: pymem.ts's
// ALLOCATOR_FLAGS[0] === 0 (objDomainIsPymalloc()); otherwise call PyObject_Malloc/Free.
// usedpools and poolMap are OBMALLOC.usedpools / OBMALLOC.poolMap, ALLOCATOR_FLAGS an
// Int32Array of 32: copy them (and the heap's I32) into module-level consts of the inlining
// module, and write the numbers as literals: V8 reads an imported or exported binding through
// its module cell on every use (measured: the LIFO pair went from ~6 to ~10 ns when this file's
// own hot constants were exported). Typed arrays of 64 bytes or less live in V8's heap, where
// optimized code cannot embed their address: keep such flag/state arrays larger than that.
// ---------------------------------------------------------------------------------------------

import { type Ptr, NULL, onHeapReset, MAX_HEAP_LIMIT, I32 as heapI32, U8 as heapU8 } from './heap.js';
import { osMmap, osMunmap } from './os.js';
import { shadowOn, shadowClear } from './shadow.js';
import { rawMalloc, rawCalloc, rawRealloc, rawFree } from './rawmalloc.js';

const H = heapI32;
const B = heapU8;

const ALIGNMENT = 16;
const ALIGNMENT_SHIFT = 4;
const SMALL_REQUEST_THRESHOLD = 512;
const NB_SMALL_SIZE_CLASSES = SMALL_REQUEST_THRESHOLD >> ALIGNMENT_SHIFT; // 32
const POOL_BITS = 14;
const POOL_SIZE = 1 << POOL_BITS; // 16 KiB
const POOL_SIZE_MASK = POOL_SIZE - 1;
const ARENA_BITS = 20;
const ARENA_SIZE = 1 << ARENA_BITS; // 1 MiB
const POOL_OVERHEAD = 48;
const MAX_POOLS_IN_ARENA = ARENA_SIZE / POOL_SIZE; // 64
const INITIAL_ARENA_OBJECTS = 16;
const DUMMY_SIZE_IDX = 0xffff;

// pool header: byte offsets (CPython's struct pool_header) ...
const POOL_REF_COUNT = 0;
const POOL_FREEBLOCK = 8;
const POOL_NEXTPOOL = 16;
const POOL_PREVPOOL = 24;
const POOL_ARENAINDEX = 32;
const POOL_SZIDX = 36;
const POOL_NEXTOFFSET = 40;
const POOL_MAXNEXTOFFSET = 44;
// ... and the same as Int32Array word offsets from pool >> 2. A const enum: tsc and esbuild
// write its members as literals, where a module `const` is a context-slot load in the bytecode
// (TurboFan folds it, but the bytecode counts against the inlining budget of every caller).
const enum P {
  COUNT = 0,
  FREEBLOCK = 2,
  NEXT = 4,
  PREV = 6,
  ARENA = 8,
  SZIDX = 9,
  NEXTOFFSET = 10,
  MAXNEXTOFFSET = 11,
}
/** The fast paths' other numbers, as literals for the same reason. */
const enum K {
  ALIGNMENT_SHIFT = 4,
  SMALL_REQUEST_THRESHOLD = 512,
  POOL_BITS = 14,
  /** ~(POOL_SIZE - 1) >> 2: a block's word index to its pool's */
  POOL_WORD_MASK = -4096,
}

// radix tree of CPython 3.11 on 64-bit (ADDRESS_BITS 64, 15/15/14 bits below ARENA_BITS)
const ARENA_MAP_ROOT_BYTES = 262144; // 2^15 pointers
const ARENA_MAP_MID_BYTES = 262144; // 2^15 pointers
const ARENA_MAP_BOT_BYTES = 131072; // 2^14 arena_coverage_t (2 x int32)

export function INDEX2SIZE(szidx: number): number {
  return (szidx + 1) << ALIGNMENT_SHIFT;
}
/** Blocks in a pool of class szidx: (16384 - 48) / size. */
export function NUMBLOCKS(szidx: number): number {
  return Math.floor((POOL_SIZE - POOL_OVERHEAD) / INDEX2SIZE(szidx));
}

/** usedpools[szidx]: first pool of the class's used list, 0 when none. */
const usedpools = new Int32Array(NB_SMALL_SIZE_CLASSES);
/** one byte per 16 KiB of heap: 1 = a pool of a live arena (address_in_range). */
const poolMap = new Uint8Array(MAX_HEAP_LIMIT >>> POOL_BITS);

// arena objects (struct arena_object), index -> field; -1 = NULL arena
let maxarenas = 0;
let arAddress = new Int32Array(0); // 0: slot not associated with an arena
let arPoolAddress = new Int32Array(0); // next never-carved pool
let arNfreepools = new Int32Array(0);
let arNtotalpools = new Int32Array(0);
let arFreepools = new Int32Array(0); // singly linked through pool nextpool
let arNextarena = new Int32Array(0);
let arPrevarena = new Int32Array(0);
let unusedArenaObjects = -1;
let usableArenas = -1;
/** nfp2lasta[nfp]: the last arena in usable_arenas with nfp free pools, -1 if none. */
const nfp2lasta = new Int32Array(MAX_POOLS_IN_ARENA + 1).fill(-1);

let narenasCurrentlyAllocated = 0;
let ntimesArenaAllocated = 0;
let narenasHighwater = 0;
let rawAllocatedBlocks = 0;
let arenaMapMidKeys = new Set<number>();
let arenaMapBotKeys = new Set<number>();

// where pymalloc sends 0-byte and >512-byte requests: the raw domain (debug-wrapped or not;
// pymem.ts sets these when PYTHONMALLOC changes)
let fbMalloc: (n: number) => Ptr = rawMalloc;
let fbCalloc: (nelem: number, elsize: number) => Ptr = rawCalloc;
let fbRealloc: (p: Ptr, n: number) => Ptr = rawRealloc;
let fbFree: (p: Ptr) => void = rawFree;

/** Route pymalloc's delegated requests (0 bytes, > 512 bytes) to the raw domain's functions. */
export function setPymallocRawDomain(
  m: (n: number) => Ptr,
  c: (nelem: number, elsize: number) => Ptr,
  r: (p: Ptr, n: number) => Ptr,
  f: (p: Ptr) => void,
): void {
  fbMalloc = m;
  fbCalloc = c;
  fbRealloc = r;
  fbFree = f;
}

let newArenaHook: (() => void) | null = null;
/** PYTHONMALLOCSTATS: CPython prints the statistics each time it is about to map a new arena. */
export function setNewArenaHook(fn: (() => void) | null): void {
  newArenaHook = fn;
}

export function pymallocReset(): void {
  usedpools.fill(0);
  poolMap.fill(0);
  maxarenas = 0;
  arAddress = new Int32Array(0);
  arPoolAddress = new Int32Array(0);
  arNfreepools = new Int32Array(0);
  arNtotalpools = new Int32Array(0);
  arFreepools = new Int32Array(0);
  arNextarena = new Int32Array(0);
  arPrevarena = new Int32Array(0);
  unusedArenaObjects = -1;
  usableArenas = -1;
  nfp2lasta.fill(-1);
  narenasCurrentlyAllocated = 0;
  ntimesArenaAllocated = 0;
  narenasHighwater = 0;
  rawAllocatedBlocks = 0;
  arenaMapMidKeys = new Set();
  arenaMapBotKeys = new Set();
}
onHeapReset(pymallocReset);

// ---- allocation ----

/** ≈ _PyObject_Malloc: pymalloc for 1..512 bytes, the raw domain otherwise. NULL on exhaustion.
 *  Kept small for inlining: a pool running out of free blocks (poolExtend), a class without a
 *  used pool (allocateFromNewPool) and the raw domain are calls. */
export function pymallocMalloc(nbytes: number): Ptr {
  if (nbytes <= K.SMALL_REQUEST_THRESHOLD && nbytes > 0) {
    const size = (nbytes - 1) >> K.ALIGNMENT_SHIFT;
    const pool = usedpools[size];
    if (pool !== 0) {
      const pw = pool >> 2;
      const bp = H[pw + P.FREEBLOCK];
      const next = H[bp >> 2];
      H[pw]++;
      if (next !== 0) H[pw + P.FREEBLOCK] = next;
      else poolExtend(pool, size);
      return bp;
    }
    const bp = allocateFromNewPool(size);
    if (bp !== 0) return bp;
  }
  return mallocRaw(nbytes);
}

/** A block of size class `szidx` (0..31: blocks of (szidx+1)*16 bytes), for a caller that has
 *  classed a fixed size already; with a constant argument it inlines to the free-list pop. */
export function pymallocMallocClass(szidx: number): Ptr {
  const pool = usedpools[szidx];
  if (pool !== 0) {
    const pw = pool >> 2;
    const bp = H[pw + P.FREEBLOCK];
    const next = H[bp >> 2];
    H[pw]++;
    if (next !== 0) H[pw + P.FREEBLOCK] = next;
    else poolExtend(pool, szidx);
    return bp;
  }
  const bp = allocateFromNewPool(szidx);
  if (bp !== 0) return bp;
  return mallocRaw((szidx + 1) << K.ALIGNMENT_SHIFT);
}

/** pymalloc hands 0-byte and >512-byte requests (and small ones when no arena can be mapped)
 *  to the raw domain, counting the blocks. */
function mallocRaw(nbytes: number): Ptr {
  const p = fbMalloc(nbytes);
  if (p !== NULL) rawAllocatedBlocks++;
  return p;
}

/** ≈ _PyObject_Calloc. */
export function pymallocCalloc(nelem: number, elsize: number): Ptr {
  const nbytes = nelem * elsize;
  if (nbytes > 0 && nbytes <= SMALL_REQUEST_THRESHOLD) {
    const bp = pymallocAllocSmall(nbytes);
    if (bp !== NULL) {
      if (nbytes <= 128) {
        // word stores (a typed-array fill is a runtime call, slower at these sizes)
        const wEnd = (bp + nbytes) >> 2;
        for (let w = bp >> 2; w < wEnd; w++) H[w] = 0;
        for (let b = bp + (nbytes & ~3); b < bp + nbytes; b++) B[b] = 0;
      } else B.fill(0, bp, bp + nbytes);
      return bp;
    }
  }
  const p = fbCalloc(nelem, elsize);
  if (p !== NULL) rawAllocatedBlocks++;
  return p;
}

/** pymalloc_alloc: a block for 1..512 bytes, or NULL (no arena could be mapped). */
function pymallocAllocSmall(nbytes: number): Ptr {
  const size = (nbytes - 1) >>> ALIGNMENT_SHIFT;
  const pool = usedpools[size];
  if (pool !== 0) {
    const pw = pool >> 2;
    H[pw]++;
    const bp = H[pw + P.FREEBLOCK];
    const next = H[bp >> 2];
    if (next !== 0) H[pw + P.FREEBLOCK] = next;
    else poolExtend(pool, size);
    return bp;
  }
  return allocateFromNewPool(size);
}

/** ≈ pymalloc_pool_extend: the used pool's free list just ran out. Carve the next never-used
 *  block, or, when the pool has none left, it is full: unlink it from usedpools. */
function poolExtend(pool: number, size: number): void {
  const pw = pool >> 2;
  const off = H[pw + P.NEXTOFFSET];
  if (off <= H[pw + P.MAXNEXTOFFSET]) {
    const nb = pool + off;
    H[pw + P.FREEBLOCK] = nb;
    H[pw + P.NEXTOFFSET] = off + ((size + 1) << K.ALIGNMENT_SHIFT);
    H[nb >> 2] = 0;
    return;
  }
  // full: unlink it from usedpools; it is the list's head (allocation takes the head pool)
  H[pw + P.FREEBLOCK] = 0;
  const next = H[pw + P.NEXT];
  usedpools[size] = next;
  if (next !== 0) H[(next >> 2) + P.PREV] = 0;
}

/** ≈ allocate_from_new_pool: usedpools[size] is empty. */
function allocateFromNewPool(size: number): Ptr {
  let ua = usableArenas;
  if (ua === -1) {
    ua = newArena();
    if (ua === -1) return NULL;
    usableArenas = ua;
    arNextarena[ua] = -1;
    arPrevarena[ua] = -1;
    nfp2lasta[arNfreepools[ua]] = ua;
  }
  // the arena's nfreepools drops by one: fix the fingers
  const nf = arNfreepools[ua];
  if (nfp2lasta[nf] === ua) nfp2lasta[nf] = -1;
  if (nf > 1) nfp2lasta[nf - 1] = ua;

  let pool = arFreepools[ua];
  if (pool !== 0) {
    arFreepools[ua] = H[(pool >> 2) + P.NEXT];
  } else {
    // carve a never-used pool
    pool = arPoolAddress[ua];
    const pw = pool >> 2;
    H[pw + P.ARENA] = ua;
    H[pw + P.SZIDX] = DUMMY_SIZE_IDX;
    arPoolAddress[ua] = pool + POOL_SIZE;
  }
  if (--arNfreepools[ua] === 0) {
    // the arena is completely allocated: unlink it from usable_arenas
    const next = arNextarena[ua];
    usableArenas = next;
    if (next !== -1) arPrevarena[next] = -1;
  }

  // front-link to usedpools (the list is empty)
  const pw = pool >> 2;
  H[pw + P.NEXT] = 0;
  H[pw + P.PREV] = 0;
  usedpools[size] = pool;
  H[pw + P.COUNT] = 1;
  if (H[pw + P.SZIDX] === size) {
    // it last held blocks of this class: header and free list are still set up
    const bp = H[pw + P.FREEBLOCK];
    H[pw + P.FREEBLOCK] = H[bp >> 2];
    return bp;
  }
  // initialise the header: the first block is returned, the second is the free list
  if (shadowOn) shadowClear(pool, POOL_SIZE);
  const bsize = (size + 1) << ALIGNMENT_SHIFT;
  H[pw + 1] = 0; // high words of the 8-byte fields
  H[pw + 3] = 0;
  H[pw + 5] = 0;
  H[pw + 7] = 0;
  H[pw + P.ARENA] = ua;
  H[pw + P.SZIDX] = size;
  H[pw + P.NEXTOFFSET] = POOL_OVERHEAD + (bsize << 1);
  H[pw + P.MAXNEXTOFFSET] = POOL_SIZE - bsize;
  const bp = pool + POOL_OVERHEAD;
  const fb = bp + bsize;
  H[pw + P.FREEBLOCK] = fb;
  H[fb >> 2] = 0;
  return bp;
}

/** ≈ new_arena: a slot from unused_arena_objects (growing the array), and 1 MiB from the OS. */
function newArena(): number {
  if (newArenaHook !== null) newArenaHook();
  if (unusedArenaObjects === -1) {
    const numarenas = maxarenas === 0 ? INITIAL_ARENA_OBJECTS : maxarenas << 1;
    const grow = (a: Int32Array) => {
      const b = new Int32Array(numarenas);
      b.set(a);
      return b;
    };
    arAddress = grow(arAddress);
    arPoolAddress = grow(arPoolAddress);
    arNfreepools = grow(arNfreepools);
    arNtotalpools = grow(arNtotalpools);
    arFreepools = grow(arFreepools);
    arNextarena = grow(arNextarena);
    arPrevarena = grow(arPrevarena);
    for (let i = maxarenas; i < numarenas; i++) {
      arAddress[i] = 0;
      arNextarena[i] = i < numarenas - 1 ? i + 1 : -1;
    }
    unusedArenaObjects = maxarenas;
    maxarenas = numarenas;
  }
  const a = unusedArenaObjects;
  const address = osMmap(ARENA_SIZE);
  if (address === NULL) return -1; // the slot stays on unused_arena_objects
  unusedArenaObjects = arNextarena[a];
  arenaMapMarkUsed(address);
  arAddress[a] = address;
  ++narenasCurrentlyAllocated;
  ++ntimesArenaAllocated;
  if (narenasCurrentlyAllocated > narenasHighwater) narenasHighwater = narenasCurrentlyAllocated;
  arFreepools[a] = 0;
  let poolAddress = address;
  let nfp = MAX_POOLS_IN_ARENA;
  const excess = address & POOL_SIZE_MASK;
  if (excess !== 0) {
    --nfp;
    poolAddress += POOL_SIZE - excess;
  }
  arPoolAddress[a] = poolAddress;
  arNfreepools[a] = nfp;
  arNtotalpools[a] = nfp;
  poolMap.fill(1, poolAddress >>> POOL_BITS, (poolAddress >>> POOL_BITS) + nfp);
  return a;
}

/** The radix-tree nodes CPython 3.11 would create for an arena at `base` (never freed). */
function arenaMapMarkUsed(base: number): void {
  const mark = (addr: number) => {
    arenaMapMidKeys.add(Math.floor(addr / 2 ** 49)); // top 15 bits of a 64-bit address
    arenaMapBotKeys.add(Math.floor(addr / 2 ** 34)); // top 30 bits
  };
  mark(base);
  if ((base & (ARENA_SIZE - 1)) !== 0) mark(base + ARENA_SIZE);
}

// ---- free ----

/** ≈ _PyObject_Free: free(NULL) does nothing; blocks not in an arena go to the raw domain.
 *  Kept small for inlining: a pool that was full (insertToUsedpool) or is now empty
 *  (insertToFreepool) and raw blocks are calls. */
export function pymallocFree(p: Ptr): void {
  if (poolMap[p >>> K.POOL_BITS] === 1) {
    const pw = (p >> 2) & K.POOL_WORD_MASK;
    const lastfree = H[pw + P.FREEBLOCK];
    const count = (H[pw] - 1) | 0;
    H[p >> 2] = lastfree;
    H[pw + P.FREEBLOCK] = p;
    H[pw] = count;
    if (lastfree === 0) insertToUsedpool(pw << 2); // it was full
    else if (count === 0) insertToFreepool(pw << 2); // it is empty
    return;
  }
  if (p !== 0) freeRaw(p);
}

function freeRaw(p: Ptr): void {
  fbFree(p);
  rawAllocatedBlocks--;
}

/** A full pool got a free block: link it at the front of its class's used list. */
function insertToUsedpool(pool: number): void {
  const pw = pool >> 2;
  const size = H[pw + P.SZIDX];
  const head = usedpools[size];
  H[pw + P.NEXT] = head;
  H[pw + P.PREV] = 0;
  if (head !== 0) H[(head >> 2) + P.PREV] = pool;
  usedpools[size] = pool;
}

/** ≈ insert_to_freepool: the pool is now empty. Move it to its arena's free pools and keep
 *  usable_arenas sorted, or give the arena back to the OS when all its pools are free. */
function insertToFreepool(pool: number): void {
  const pw = pool >> 2;
  const next = H[pw + P.NEXT];
  const prev = H[pw + P.PREV];
  if (prev !== 0) H[(prev >> 2) + P.NEXT] = next;
  else usedpools[H[pw + P.SZIDX]] = next;
  if (next !== 0) H[(next >> 2) + P.PREV] = prev;

  const ao = H[pw + P.ARENA];
  H[pw + P.NEXT] = arFreepools[ao];
  arFreepools[ao] = pool;
  let nf = arNfreepools[ao];
  // if ao was the rightmost arena with nf free pools, the finger moves left (or goes)
  const lastnf = nfp2lasta[nf];
  if (lastnf === ao) {
    const p = arPrevarena[ao];
    nfp2lasta[nf] = p !== -1 && arNfreepools[p] === nf ? p : -1;
  }
  arNfreepools[ao] = ++nf;

  // Case 1: the arena is wholly free and not the last usable one: give it back
  if (nf === arNtotalpools[ao] && arNextarena[ao] !== -1) {
    const pa = arPrevarena[ao];
    const na = arNextarena[ao];
    if (pa === -1) usableArenas = na;
    else arNextarena[pa] = na;
    if (na !== -1) arPrevarena[na] = pa;
    arNextarena[ao] = unusedArenaObjects;
    unusedArenaObjects = ao;
    const address = arAddress[ao];
    const firstPool = (address + POOL_SIZE_MASK) & ~POOL_SIZE_MASK;
    poolMap.fill(0, firstPool >>> POOL_BITS, (firstPool >>> POOL_BITS) + arNtotalpools[ao]);
    osMunmap(address, ARENA_SIZE);
    arAddress[ao] = 0;
    --narenasCurrentlyAllocated;
    return;
  }
  // Case 2: the arena was full: it goes to the front of usable_arenas
  if (nf === 1) {
    arNextarena[ao] = usableArenas;
    arPrevarena[ao] = -1;
    if (usableArenas !== -1) arPrevarena[usableArenas] = ao;
    usableArenas = ao;
    if (nfp2lasta[1] === -1) nfp2lasta[1] = ao;
    return;
  }
  // keep the list sorted by nfreepools
  if (nfp2lasta[nf] === -1) nfp2lasta[nf] = ao;
  // Case 3: it was the rightmost with its old count: still in order
  if (ao === lastnf) return;
  // Case 4: move it to just after lastnf (the last arena with the old count)
  const pa = arPrevarena[ao];
  const na = arNextarena[ao];
  if (pa !== -1) arNextarena[pa] = na;
  else usableArenas = na;
  arPrevarena[na] = pa;
  arPrevarena[ao] = lastnf;
  const after = arNextarena[lastnf];
  arNextarena[ao] = after;
  if (after !== -1) arPrevarena[after] = ao;
  arNextarena[lastnf] = ao;
}

// ---- realloc ----

/** ≈ _PyObject_Realloc: a pymalloc block shrinking by less than a quarter stays in place;
 *  otherwise malloc + copy + free. A raw block stays in the raw domain (raw realloc). */
export function pymallocRealloc(p: Ptr, nbytes: number): Ptr {
  if (p === NULL) return pymallocMalloc(nbytes);
  if (poolMap[p >>> POOL_BITS] === 1) {
    const pool = p & ~POOL_SIZE_MASK;
    let size = INDEX2SIZE(H[(pool >> 2) + P.SZIDX]);
    if (nbytes <= size) {
      if (4 * nbytes > 3 * size) return p;
      size = nbytes;
    }
    const bp = pymallocMalloc(nbytes);
    if (bp !== NULL) {
      if (size <= 128) {
        // word copies (a typed-array copyWithin is a runtime call, slower at these sizes)
        const n = size >> 2;
        for (let i = 0, d = bp >> 2, s = p >> 2; i < n; i++) H[d + i] = H[s + i];
        for (let b = size & ~3; b < size; b++) B[bp + b] = B[p + b];
      } else B.copyWithin(bp, p, p + size);
      pymallocFree(p);
    }
    return bp;
  }
  return fbRealloc(p, nbytes);
}

// ---- introspection ----

/** address_in_range: is p a block of a pymalloc pool? */
export function pymallocOwns(p: Ptr): boolean {
  return poolMap[p >>> POOL_BITS] === 1;
}

/** Block size of the pymalloc block p (its class size). */
export function pymallocBlockSize(p: Ptr): number {
  return INDEX2SIZE(H[((p & ~POOL_SIZE_MASK) >> 2) + P.SZIDX]);
}

/** ≈ _Py_GetAllocatedBlocks: blocks in use in all pools + blocks pymalloc delegated to raw. */
export function pymallocAllocatedBlocks(): number {
  let n = rawAllocatedBlocks;
  for (let a = 0; a < maxarenas; a++) {
    const address = arAddress[a];
    if (address === 0) continue;
    const end = arPoolAddress[a];
    for (let base = (address + POOL_SIZE_MASK) & ~POOL_SIZE_MASK; base < end; base += POOL_SIZE) n += H[base >> 2];
  }
  return n;
}

export function pymallocRawAllocatedBlocks(): number {
  return rawAllocatedBlocks;
}

export interface SizeClassStats {
  szidx: number;
  size: number;
  numpools: number;
  numblocks: number;
  numfreeblocks: number;
}

export interface PymallocStats {
  classes: SizeClassStats[]; // all 32, including empty ones
  narenas: number;
  ntimesArenaAllocated: number;
  narenasHighwater: number;
  numfreepools: number;
  allocatedBytes: number;
  availableBytes: number;
  poolHeaderBytes: number;
  quantization: number;
  arenaAlignment: number;
  arenaMapMidCount: number;
  arenaMapBotCount: number;
}

/** The numbers of _PyObject_DebugMallocStats, from a walk over every arena's carved pools. */
export function pymallocStats(): PymallocStats {
  const classes: SizeClassStats[] = [];
  for (let i = 0; i < NB_SMALL_SIZE_CLASSES; i++) {
    classes.push({ szidx: i, size: INDEX2SIZE(i), numpools: 0, numblocks: 0, numfreeblocks: 0 });
  }
  let narenas = 0;
  let numfreepools = 0;
  let arenaAlignment = 0;
  for (let a = 0; a < maxarenas; a++) {
    let base = arAddress[a];
    if (base === 0) continue;
    narenas++;
    numfreepools += arNfreepools[a];
    if ((base & POOL_SIZE_MASK) !== 0) {
      arenaAlignment += POOL_SIZE;
      base = (base & ~POOL_SIZE_MASK) + POOL_SIZE;
    }
    for (; base < arPoolAddress[a]; base += POOL_SIZE) {
      const pw = base >> 2;
      const count = H[pw + P.COUNT];
      if (count === 0) continue;
      const c = classes[H[pw + P.SZIDX]];
      c.numpools++;
      c.numblocks += count;
      c.numfreeblocks += NUMBLOCKS(c.szidx) - count;
    }
  }
  let allocatedBytes = 0;
  let availableBytes = 0;
  let poolHeaderBytes = 0;
  let quantization = 0;
  for (const c of classes) {
    allocatedBytes += c.numblocks * c.size;
    availableBytes += c.numfreeblocks * c.size;
    poolHeaderBytes += c.numpools * POOL_OVERHEAD;
    quantization += c.numpools * ((POOL_SIZE - POOL_OVERHEAD) % c.size);
  }
  return {
    classes,
    narenas,
    ntimesArenaAllocated,
    narenasHighwater,
    numfreepools,
    allocatedBytes,
    availableBytes,
    poolHeaderBytes,
    quantization,
    arenaAlignment,
    arenaMapMidCount: arenaMapMidKeys.size,
    arenaMapBotCount: arenaMapBotKeys.size,
  };
}

/** ≈ printone: message padded to 35 columns, '=', the value with thousands commas in 21. */
export function printone(msg: string, value: number): string {
  return msg.padEnd(35) + '=' + value.toLocaleString('en-US').padStart(21) + '\n';
}

/** ≈ _PyDebugAllocatorStats: one free-list line, e.g.
 *  "            8 free PyDictObjects * 48 bytes each =                  384". Type modules use
 *  it in the hooks they register with pymem.ts registerDebugStatsHook. */
export function debugAllocatorStatsLine(blockName: string, numBlocks: number, sizeofBlock: number): string {
  const buf1 = `${numBlocks} free ${blockName}s * ${sizeofBlock} bytes each`;
  return printone(buf1.padStart(48) + ' ', numBlocks * sizeofBlock);
}

/** ≈ _PyObject_DebugMallocStats: the pymalloc part of sys._debugmallocstats(), CPython's layout. */
export function pymallocStatsText(): string {
  const s = pymallocStats();
  let out = `Small block threshold = ${SMALL_REQUEST_THRESHOLD}, in ${NB_SMALL_SIZE_CLASSES} size classes.\n`;
  out += '\n';
  out += 'class   size   num pools   blocks in use  avail blocks\n';
  out += '-----   ----   ---------   -------------  ------------\n';
  for (const c of s.classes) {
    if (c.numpools === 0) continue;
    out +=
      String(c.szidx).padStart(5) +
      ' ' +
      String(c.size).padStart(6) +
      ' ' +
      String(c.numpools).padStart(11) +
      ' ' +
      String(c.numblocks).padStart(15) +
      ' ' +
      String(c.numfreeblocks).padStart(13) +
      '\n';
  }
  out += '\n';
  out += printone('# arenas allocated total', s.ntimesArenaAllocated);
  out += printone('# arenas reclaimed', s.ntimesArenaAllocated - s.narenas);
  out += printone('# arenas highwater mark', s.narenasHighwater);
  out += printone('# arenas allocated current', s.narenas);
  out += printone(`${s.narenas} arenas * ${ARENA_SIZE} bytes/arena`, s.narenas * ARENA_SIZE);
  out += '\n';
  const unused = s.numfreepools * POOL_SIZE;
  const total = s.allocatedBytes + s.availableBytes + unused + s.poolHeaderBytes + s.quantization + s.arenaAlignment;
  out += printone('# bytes in allocated blocks', s.allocatedBytes);
  out += printone('# bytes in available blocks', s.availableBytes);
  out += printone(`${s.numfreepools} unused pools * ${POOL_SIZE} bytes`, unused);
  out += printone('# bytes lost to pool headers', s.poolHeaderBytes);
  out += printone('# bytes lost to quantization', s.quantization);
  out += printone('# bytes lost to arena alignment', s.arenaAlignment);
  out += printone('Total', total);
  out += '\n';
  out += 'arena map counts\n';
  out += printone('# arena map mid nodes', s.arenaMapMidCount);
  out += printone('# arena map bot nodes', s.arenaMapBotCount);
  out += '\n';
  const mid = ARENA_MAP_MID_BYTES * s.arenaMapMidCount;
  const bot = ARENA_MAP_BOT_BYTES * s.arenaMapBotCount;
  out += printone('# bytes lost to arena map root', ARENA_MAP_ROOT_BYTES);
  out += printone('# bytes lost to arena map mid', mid);
  out += printone('# bytes lost to arena map bot', bot);
  out += printone('Total', ARENA_MAP_ROOT_BYTES + mid + bot);
  return out;
}

// ---- consistency check (tests) ----

let markStamp = 0;
const checkLastSeen = new Int32Array(MAX_POOLS_IN_ARENA + 1);
let marks = new Uint32Array(0);

/** Check pymalloc's invariants: every carved pool in exactly one state (used list / full /
 *  arena free list) consistent with its count and free list, usable_arenas sorted with correct
 *  fingers, arena counters. `deep` also walks every used pool's free list and the pool map.
 *  Returns a description of the first violation, or null. */
export function pymallocCheck(deep = false): string | null {
  if (marks.length !== poolMap.length) marks = new Uint32Array(poolMap.length);
  const stamp = ++markStamp;
  // used lists
  for (let c = 0; c < NB_SMALL_SIZE_CLASSES; c++) {
    let prev = 0;
    for (let pool = usedpools[c]; pool !== 0; pool = H[(pool >> 2) + P.NEXT]) {
      const pw = pool >> 2;
      if (poolMap[pool >>> POOL_BITS] !== 1 || (pool & POOL_SIZE_MASK) !== 0) return `usedpools[${c}] holds ${pool}, not a pool`;
      if (marks[pool >>> POOL_BITS] === stamp) return `pool ${pool} is twice in the used lists`;
      marks[pool >>> POOL_BITS] = stamp;
      if (H[pw + P.PREV] !== prev) return `pool ${pool}: prevpool ${H[pw + P.PREV]} != ${prev}`;
      if (H[pw + P.SZIDX] !== c) return `pool ${pool} of class ${H[pw + P.SZIDX]} in usedpools[${c}]`;
      if (H[pw + P.COUNT] <= 0 || H[pw + P.COUNT] >= NUMBLOCKS(c) + 1) return `used pool ${pool} has count ${H[pw + P.COUNT]}`;
      if (H[pw + P.FREEBLOCK] === 0) return `used pool ${pool} has no free block`;
      prev = pool;
    }
  }
  // arenas
  let live = 0;
  for (let a = 0; a < maxarenas; a++) {
    const address = arAddress[a];
    if (address === 0) continue;
    live++;
    const first = (address + POOL_SIZE_MASK) & ~POOL_SIZE_MASK;
    const ntotal = arNtotalpools[a];
    if (ntotal !== (first === address ? 64 : 63)) return `arena ${a}: ntotalpools ${ntotal}`;
    const end = first + ntotal * POOL_SIZE;
    const pa = arPoolAddress[a];
    if (pa < first || pa > end || ((pa - first) & POOL_SIZE_MASK) !== 0) return `arena ${a}: pool_address ${pa}`;
    let nfree = (end - pa) / POOL_SIZE;
    for (let pool = arFreepools[a]; pool !== 0; pool = H[(pool >> 2) + P.NEXT]) {
      if (pool < first || pool >= pa || (pool & POOL_SIZE_MASK) !== 0) return `arena ${a}: free pool ${pool} outside its carved pools`;
      if (marks[pool >>> POOL_BITS] === stamp) return `pool ${pool} on a used list and a free list (or twice)`;
      marks[pool >>> POOL_BITS] = stamp;
      if (H[(pool >> 2) + P.COUNT] !== 0) return `free pool ${pool} has count ${H[(pool >> 2) + P.COUNT]}`;
      nfree++;
    }
    if (nfree !== arNfreepools[a]) return `arena ${a}: nfreepools ${arNfreepools[a]} but ${nfree} free`;
    for (let pool = first; pool < pa; pool += POOL_SIZE) {
      const pw = pool >> 2;
      if (H[pw + P.ARENA] !== a) return `pool ${pool}: arenaindex ${H[pw + P.ARENA]} != ${a}`;
      const count = H[pw + P.COUNT];
      const marked = marks[pool >>> POOL_BITS] === stamp;
      if (count === 0) {
        if (!marked) return `empty pool ${pool} is on no free list`;
        continue;
      }
      const sz = H[pw + P.SZIDX];
      if (sz < 0 || sz >= NB_SMALL_SIZE_CLASSES) return `pool ${pool}: szidx ${sz}`;
      const full = H[pw + P.FREEBLOCK] === 0;
      if (full) {
        if (marked) return `full pool ${pool} is on a list`;
        if (count !== NUMBLOCKS(sz)) return `full pool ${pool} has count ${count} != ${NUMBLOCKS(sz)}`;
      } else if (!marked) return `used pool ${pool} (count ${count}) is not on usedpools[${sz}]`;
      if (deep && !full) {
        const bsize = INDEX2SIZE(sz);
        let nfb = 0;
        for (let b = H[pw + P.FREEBLOCK]; b !== 0; b = H[b >> 2]) {
          if (b < pool + POOL_OVERHEAD || b >= pool + H[pw + P.NEXTOFFSET] || (b - pool - POOL_OVERHEAD) % bsize !== 0) {
            return `pool ${pool}: free block ${b} off the block grid`;
          }
          if (++nfb > NUMBLOCKS(sz)) return `pool ${pool}: free list cycles`;
        }
        const carved = (H[pw + P.NEXTOFFSET] - POOL_OVERHEAD) / bsize;
        if (count + nfb !== carved) return `pool ${pool}: count ${count} + free ${nfb} != carved ${carved}`;
      }
    }
  }
  if (live !== narenasCurrentlyAllocated) return `narenas ${narenasCurrentlyAllocated} but ${live} arenas`;
  // usable_arenas: every arena with free pools, sorted ascending, fingers right
  let n = 0;
  let prevA = -1;
  const lastSeen = checkLastSeen.fill(-1);
  for (let a = usableArenas; a !== -1; a = arNextarena[a]) {
    if (arAddress[a] === 0) return `usable arena ${a} has no memory`;
    if (arPrevarena[a] !== prevA) return `usable arena ${a}: prevarena ${arPrevarena[a]} != ${prevA}`;
    const nf = arNfreepools[a];
    if (nf === 0) return `usable arena ${a} has no free pool`;
    if (prevA !== -1 && arNfreepools[prevA] > nf) return `usable_arenas not sorted at arena ${a}`;
    lastSeen[nf] = a;
    prevA = a;
    if (++n > maxarenas) return 'usable_arenas cycles';
  }
  for (let a = 0; a < maxarenas; a++) {
    if (arAddress[a] !== 0 && arNfreepools[a] > 0) n--;
  }
  if (n !== 0) return 'usable_arenas does not hold exactly the arenas with free pools';
  for (let nf = 0; nf <= MAX_POOLS_IN_ARENA; nf++) {
    if (nfp2lasta[nf] !== lastSeen[nf]) return `nfp2lasta[${nf}] = ${nfp2lasta[nf]}, expected ${lastSeen[nf]}`;
  }
  if (deep) {
    let mapped = 0;
    for (let i = 0; i < poolMap.length; i++) mapped += poolMap[i];
    let total = 0;
    for (let a = 0; a < maxarenas; a++) if (arAddress[a] !== 0) total += arNtotalpools[a];
    if (mapped !== total) return `pool map marks ${mapped} pools, arenas hold ${total}`;
  }
  return null;
}

/** The constants above, for other modules and tests. (They are not exported one by one: V8
 *  reads an exported module binding through its module cell on every use, which made the fast
 *  paths ~1.5x slower than with file-local constants. Copy what you use into a local const.) */
export const OBMALLOC = Object.freeze({
  ALIGNMENT,
  ALIGNMENT_SHIFT,
  SMALL_REQUEST_THRESHOLD,
  NB_SMALL_SIZE_CLASSES,
  POOL_BITS,
  POOL_SIZE,
  ARENA_BITS,
  ARENA_SIZE,
  POOL_OVERHEAD,
  MAX_POOLS_IN_ARENA,
  INITIAL_ARENA_OBJECTS,
  POOL_REF_COUNT,
  POOL_FREEBLOCK,
  POOL_NEXTPOOL,
  POOL_PREVPOOL,
  POOL_ARENAINDEX,
  POOL_SZIDX,
  POOL_NEXTOFFSET,
  POOL_MAXNEXTOFFSET,
  ARENA_MAP_ROOT_BYTES,
  ARENA_MAP_MID_BYTES,
  ARENA_MAP_BOT_BYTES,
  usedpools,
  poolMap,
});

/** Call `cb(block, blockSize)` for every block pymalloc has handed out and not taken back
 *  (heap walks: -X showrefcount's total). Walks every arena's carved pools; a pool's free blocks
 *  are its free list (the uncarved tail is not counted). */
export function pymallocForEachLiveBlock(cb: (block: Ptr, size: number) => void): void {
  const free = new Set<number>();
  for (let a = 0; a < maxarenas; a++) {
    const address = arAddress[a];
    if (address === 0) continue;
    const first = (address + POOL_SIZE_MASK) & ~POOL_SIZE_MASK;
    const pa = arPoolAddress[a];
    for (let pool = first; pool < pa; pool += POOL_SIZE) {
      const pw = pool >> 2;
      if (H[pw + P.COUNT] === 0) continue;
      const bsize = INDEX2SIZE(H[pw + P.SZIDX]);
      free.clear();
      for (let b = H[pw + P.FREEBLOCK]; b !== 0; b = H[b >> 2]) free.add(b);
      const end = pool + H[pw + P.NEXTOFFSET];
      for (let b = pool + POOL_OVERHEAD; b + bsize <= end; b += bsize) if (!free.has(b)) cb(b, bsize);
    }
  }
}
