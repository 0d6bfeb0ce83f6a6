// The model and checks of the allocator property test (tests/property/allocators.test.ts): long seeded random sequences of malloc / calloc /
// realloc / free (sizes 0..2048, the three domains, every PYTHONMALLOC mode) run against a
// plain model of the live blocks. After every step:
//   - the block returned is non-NULL, 16-byte aligned, and overlaps no other live block
//     (debug blocks with their headers and trailers);
//   - the contents of a block freed or reallocated are what was written into it (every block is
//     filled with its own byte pattern; calloc'd blocks are first checked to be zero);
//   - the allocator that serves each block is the one CPython's rules predict (pymalloc for
//     1..512 bytes in the MEM/OBJ domains, counting the debug hooks' 24 bytes; raw otherwise;
//     a raw block stays raw on realloc);
//   - the statistics add up: sys.getallocatedblocks() equals the live MEM/OBJ blocks, the raw
//     allocator's live count equals the blocks it serves, _debugmallocstats' six byte counts add
//     up to arenas x 1 MiB and its per-class blocks in use to pymalloc's live blocks;
//   - every pool is in exactly one of used / full / empty, consistent with its count, and
//     usable_arenas is sorted with the right fingers (pymallocCheck).
// Every CHECK_ALL steps, and at the end, the deep checks run too: every live block's contents,
// every pool's free list, the raw allocator's boundary tags and bins, the OS mapping count, and
// (debug modes) every freed block still 0xDD.
//
// Default: 5 modes x 4 seeds x 50,000 operations = 1,000,000 operations. More with
// PYMEM_PROPERTY_OPS=N (operations per seed and mode) and PYMEM_PROPERTY_SEEDS=K.

import { resetHeap, U8, MiB } from '../../runtime/mem/heap.js';
import * as M from '../../runtime/mem/pymem.js';
import {
  pymallocOwns,
  pymallocStats,
  pymallocCheck,
  OBMALLOC,
} from '../../runtime/mem/obmalloc.js';

const { ARENA_SIZE, POOL_SIZE } = OBMALLOC;
import {
  rawStats,
  rawCheck,
  rawLiveBlocks,
  RAWMALLOC,
} from '../../runtime/mem/rawmalloc.js';

const { SEGMENT_SIZE } = RAWMALLOC;
import { osMappedBytes, pageRound } from '../../runtime/mem/os.js';

const CHECK_ALL = 5_000;
const STATS_EVERY = 1;
const PARANOID = process.env.PYMEM_PROPERTY_PARANOID === '1'; // deep checks after every step (slow) // the statistics identities after every step

type Domain = 0 | 1 | 2; // raw, mem, obj
const mallocs = [M.PyMem_RawMalloc, M.PyMem_Malloc, M.PyObject_Malloc];
const callocs = [M.PyMem_RawCalloc, M.PyMem_Calloc, M.PyObject_Calloc];
const reallocs = [M.PyMem_RawRealloc, M.PyMem_Realloc, M.PyObject_Realloc];
const frees = [M.PyMem_RawFree, M.PyMem_Free, M.PyObject_Free];

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function run(mode: M.AllocatorMode, seed: number, ops: number): void {
  resetHeap(128 * MiB);
  M.setAllocatorMode(mode);
  const rnd = mulberry32(seed * 7919 + mode.length);
  const debug = mode.includes('debug');
  const pymallocModes = mode === 'pymalloc' || mode === 'debug' || mode === 'pymalloc_debug';
  const extra = debug ? 24 : 0;
  const pad = debug ? 16 : 0; // debug blocks: [p-16, p+n+8)

  // model: live blocks in slots (swap-remove), plus a sorted index of their extents
  const addr: number[] = [];
  const size: number[] = [];
  const dom: Domain[] = [];
  const pat: number[] = [];
  const owned: boolean[] = [];
  const starts: number[] = [];
  const ends: number[] = [];
  let nOwned = 0;
  let nMemObj = 0;
  let step = 0;
  let op = '';
  const fail = (msg: string): never => {
    throw new Error(`allocator property violated: PYTHONMALLOC=${mode} seed=${seed} step=${step} op=${op}: ${msg}`);
  };

  const lo = (p: number) => p - pad;
  const hi = (p: number, n: number) => p + (n === 0 ? 1 : n) + (debug ? 8 : 0);
  const find = (x: number) => {
    let a = 0;
    let b = starts.length;
    while (a < b) {
      const m = (a + b) >>> 1;
      if (starts[m] < x) a = m + 1;
      else b = m;
    }
    return a;
  };
  const insertExtent = (p: number, n: number) => {
    if (p === 0) fail(`NULL for ${n} bytes`);
    if (p % 16 !== 0) fail(`block ${p} not 16-byte aligned`);
    const s = lo(p);
    const e = hi(p, n);
    const i = find(s);
    if (i < starts.length && starts[i] < e) fail(`block [${s}, ${e}) overlaps live block at ${starts[i]}`);
    if (i > 0 && ends[i - 1] > s) fail(`block [${s}, ${e}) overlaps live block [${starts[i - 1]}, ${ends[i - 1]})`);
    starts.splice(i, 0, s);
    ends.splice(i, 0, e);
  };
  const removeExtent = (p: number) => {
    const i = find(lo(p));
    if (starts[i] !== lo(p)) fail(`model lost block ${p}`);
    starts.splice(i, 1);
    ends.splice(i, 1);
  };
  const predictOwned = (d: Domain, n: number) => pymallocModes && d !== 0 && n + extra >= 1 && n + extra <= 512;
  const checkOwner = (p: number, want: boolean) => {
    if (pymallocOwns(p - pad) !== want) fail(`block ${p} (${want ? 'should be' : 'should not be'}) in pymalloc`);
  };
  const verify = (k: number, n: number) => {
    const p = addr[k];
    const b = pat[k];
    for (let i = 0; i < n; i++) if (U8[p + i] !== b) fail(`block ${p}: byte ${i} is ${U8[p + i]}, wrote ${b}`);
  };
  const add = (p: number, n: number, d: Domain, own: boolean) => {
    const b = 1 + Math.floor(rnd() * 255);
    U8.fill(b, p, p + n);
    addr.push(p);
    size.push(n);
    dom.push(d);
    pat.push(b);
    owned.push(own);
    if (own) nOwned++;
    if (d !== 0) nMemObj++;
  };
  const drop = (k: number) => {
    if (owned[k]) nOwned--;
    if (dom[k] !== 0) nMemObj--;
    const last = addr.length - 1;
    addr[k] = addr[last];
    size[k] = size[last];
    dom[k] = dom[last];
    pat[k] = pat[last];
    owned[k] = owned[last];
    addr.pop();
    size.pop();
    dom.pop();
    pat.pop();
    owned.pop();
  };
  const randSize = () => {
    const r = rnd();
    if (r < 0.55) return 1 + Math.floor(rnd() * 512);
    if (r < 0.8) return Math.floor(rnd() * 129);
    return 513 + Math.floor(rnd() * 1536);
  };

  const checkStats = () => {
    const allocated = M.getAllocatedBlocks();
    const wantAllocated = pymallocModes ? nMemObj : 0;
    if (allocated !== wantAllocated) fail(`getAllocatedBlocks() = ${allocated}, model has ${wantAllocated} MEM/OBJ blocks`);
    const rawLive = rawLiveBlocks();
    if (rawLive !== addr.length - nOwned) fail(`raw allocator has ${rawLive} live blocks, model ${addr.length - nOwned}`);
    const err = pymallocCheck(false);
    if (err !== null) fail(err);
    if (pymallocModes) {
      const s = pymallocStats();
      const total = s.allocatedBytes + s.availableBytes + s.numfreepools * POOL_SIZE + s.poolHeaderBytes + s.quantization + s.arenaAlignment;
      if (total !== s.narenas * ARENA_SIZE) fail(`stats add up to ${total}, not ${s.narenas} arenas`);
      let inUse = 0;
      for (const c of s.classes) inUse += c.numblocks;
      if (inUse !== nOwned) fail(`stats show ${inUse} blocks in use, model ${nOwned}`);
    }
  };
  const checkAll = () => {
    for (let k = 0; k < addr.length; k++) verify(k, size[k]);
    const err = pymallocCheck(true) ?? rawCheck();
    if (err !== null) fail(err);
    // the OS maps exactly the arenas, the raw segments and the raw allocator's own mappings
    const s = pymallocStats();
    const r = rawStats();
    let mmapped = 0;
    for (let k = 0; k < addr.length; k++) {
      if (owned[k]) continue;
      const n = size[k] + extra + (debug && dom[k] !== 0 && pymallocModes ? 24 : 0);
      if (n >= 128 * 1024) mmapped += pageRound(n + 16);
    }
    if (osMappedBytes() !== s.narenas * ARENA_SIZE + r.segments * SEGMENT_SIZE + mmapped) fail('mapped bytes do not add up');
    if (debug) M.debugCheckFreedMemory();
  };

  let target = 200;
  for (step = 0; step < ops; step++) {
    if (step % 5000 === 0) target = 20 + Math.floor(rnd() * 2500);
    const r = rnd();
    const n = addr.length;
    const pFree = n === 0 ? 0 : n > target ? 0.6 : 0.3;
    if (r < pFree) {
      op = 'free';
      const k = Math.floor(rnd() * n);
      verify(k, size[k]);
      removeExtent(addr[k]);
      frees[dom[k]](addr[k]);
      drop(k);
    } else if (r < pFree + 0.2 && n > 0) {
      op = 'realloc';
      const k = Math.floor(rnd() * n);
      const m = randSize();
      const old = addr[k];
      const oldSize = size[k];
      const d = dom[k];
      verify(k, oldSize);
      removeExtent(old);
      const p = reallocs[d](old, m);
      if (p === 0) fail(`realloc to ${m} returned NULL`);
      const keep = Math.min(m, oldSize);
      for (let i = 0; i < keep; i++) if (U8[p + i] !== pat[k]) fail(`realloc ${old} -> ${p} lost byte ${i}`);
      insertExtent(p, m);
      const own = owned[k] ? predictOwned(d, m) : false;
      checkOwner(p, own);
      drop(k);
      add(p, m, d, own);
    } else {
      const d = Math.floor(rnd() * 3) as Domain;
      const m = randSize();
      let p: number;
      if (rnd() < 0.15) {
        op = 'calloc';
        const el = 1 + Math.floor(rnd() * 4);
        const cnt = Math.floor(m / el);
        p = callocs[d](cnt, el);
        insertExtent(p, cnt * el);
        for (let i = 0; i < cnt * el; i++) if (U8[p + i] !== 0) fail(`calloc block ${p} byte ${i} not zero`);
        checkOwner(p, predictOwned(d, cnt * el));
        add(p, cnt * el, d, predictOwned(d, cnt * el));
      } else {
        op = 'malloc';
        p = mallocs[d](m);
        insertExtent(p, m);
        checkOwner(p, predictOwned(d, m));
        add(p, m, d, predictOwned(d, m));
      }
    }
    if (step % STATS_EVERY === 0) checkStats();
    if (step % CHECK_ALL === CHECK_ALL - 1) checkAll();
    if (PARANOID && debug) M.debugCheckFreedMemory();
  }
  checkAll();
  op = 'free all';
  while (addr.length > 0) {
    const k = addr.length - 1;
    verify(k, size[k]);
    removeExtent(addr[k]);
    frees[dom[k]](addr[k]);
    drop(k);
  }
  checkStats();
  checkAll();
  if (M.getAllocatedBlocks() !== 0) fail('blocks left after freeing everything');
  if (pymallocStats().narenas > 1) fail('more than one arena kept after freeing everything');
}

