// Allocator benchmark, in two parts:
//
//   1. pymem's pymalloc against CPython's own, in C (issue 8): alloc_c.bench.ts's runAllocC, the
//      anchor ../shared/anchors/pymalloc_bench.c built with its build.sh and run alternately
//      with the same workloads on pymem's PyObject_Malloc/PyObject_Free, printed as ratios with
//      issue 8's goals (LIFO 64 B ≤ 1.0, 50k live-set churn ≤ 1.3); skipped with a note where
//      there is no C compiler or libpython. Writes bench/results/alloc_c.{json,md}.
//   2. (benchmark.js) pymalloc vs the raw allocator vs a floor, issue 2's claims (below).
//
//   npm run bench -- alloc            both parts (~5 min for 1, ~4 min for 2)
//   npm run bench -- alloc --quick    short run of both (one round each, fewer samples)
//   options: --rounds N (part 1's rounds, default 3; 1 with --quick)  --no-c (skip part 1)
//            --c-only (skip part 2)  --build-dir DIR (part 1's scratch build directory)
//
// Allocators, all over the same heap (one ArrayBuffer, Int32Array view):
//   floor     a minimal free-list allocator written here: one free list per size class
//             (16-byte classes up to 512) threaded through the blocks, memory carved with a bump
//             pointer from 16 KiB chunks of 1 MiB slabs, the class of a block found in a byte
//             table per 16 KiB chunk. No pools, no headers, no statistics, never gives memory
//             back. What a size-class allocator in JS costs at the least.
//   pymalloc  PyObject_Malloc / PyObject_Free with PYTHONMALLOC=pymalloc (runtime/mem/obmalloc.ts)
//   raw       PyMem_RawMalloc / PyMem_RawFree (runtime/mem/rawmalloc.ts)
//
// Workloads (the shapes of shared/anchors/pymalloc_bench.c and js_floor.mjs):
//   (a) LIFO alloc+free pairs of one size (16, 32, 64, 256, 512 bytes); one block of the size
//       stays allocated, as the interpreter's own objects keep a pool in use. Each new block
//       gets one 4-byte store.
//   (b) 100,000 random sizes 1..512 allocated, then freed in a random order (one round per call).
//   (c) a live set of 50,000 blocks of random sizes 1..512; each operation frees a random slot
//       and allocates a new random size into it.
// Reported: ns per alloc+free pair (benchmark.js mean, ± its relative margin of error), the
// ratios to the floor and pymalloc/raw, the same from the process's CPU time, and the fragmentation of (b) and (c): bytes mapped from
// the OS layer at peak / bytes requested (live) at peak, measured in a separate untimed pass
// from a fresh state.
//
// Each allocator gets its own compiled copy of the workload loops (new Function with a distinct
// source), so every call site in them is monomorphic (performance.md, rule 4).

import { createRequire } from 'node:module';
import os from 'node:os';
import { I32 } from '../runtime/mem/heap.js';
import { osMmap, osPeakMappedBytes, osResetPeak } from '../runtime/mem/os.js';
import { PyObject_Malloc, PyObject_Free, PyMem_RawMalloc, PyMem_RawFree, setAllocatorMode, resetAllocators } from '../runtime/mem/pymem.js';
import { runAllocC, type AllocCResult } from './alloc_c.bench.js';
import { parseFlags } from './lib/stats.js';

interface BenchStats {
  mean: number;
  rme: number;
  sample: number[];
}
interface Bench {
  stats: BenchStats;
  error?: unknown;
  run(): Bench;
}
interface BenchCtor {
  new (name: string, fn: () => void, options?: Record<string, unknown>): Bench;
}
const require = createRequire(import.meta.url);
const Benchmark = require('benchmark') as BenchCtor;

// ---- the floor: a minimal segregated free-list allocator ----

const NCLASSES = 32;
const CHUNK = 16 * 1024;
const SLAB = 1024 * 1024;
const floorHead = new Int32Array(NCLASSES); // free list per class (block addresses, 0 = empty)
const floorBump = new Int32Array(NCLASSES); // next never-used block of the class's chunk
const floorEnd = new Int32Array(NCLASSES);
let floorClass = new Uint8Array(0); // class of each 16 KiB chunk (address >> 14)
let slabNext = 0;
let slabEnd = 0;
let floorMapped = 0;

function floorReset(): void {
  floorHead.fill(0);
  floorBump.fill(0);
  floorEnd.fill(0);
  floorClass = new Uint8Array(I32.length >>> 12);
  slabNext = 0;
  slabEnd = 0;
  floorMapped = 0;
}

function floorAlloc(n: number): number {
  const c = (n - 1) >>> 4;
  const p = floorHead[c];
  if (p !== 0) {
    floorHead[c] = I32[p >> 2];
    return p;
  }
  const q = floorBump[c];
  if (q !== 0 && q < floorEnd[c]) {
    floorBump[c] = q + ((c + 1) << 4);
    return q;
  }
  return floorNewChunk(c);
}
function floorNewChunk(c: number): number {
  if (slabNext === slabEnd) {
    const s = osMmap(SLAB + CHUNK); // room to align the chunks to 16 KiB
    if (s === 0) return 0;
    floorMapped += SLAB + CHUNK;
    slabNext = (s + CHUNK - 1) & ~(CHUNK - 1);
    slabEnd = slabNext + SLAB;
  }
  const chunk = slabNext;
  slabNext += CHUNK;
  floorClass[chunk >>> 14] = c;
  const size = (c + 1) << 4;
  floorBump[c] = chunk + size;
  floorEnd[c] = chunk + CHUNK - size + 1;
  return chunk;
}
function floorFree(p: number): void {
  const c = floorClass[p >>> 14];
  I32[p >> 2] = floorHead[c];
  floorHead[c] = p;
}

// ---- workloads ----

let rs = 0x9e3779b9 | 0;
function xs32(): number {
  rs ^= rs << 13;
  rs ^= rs >>> 17;
  rs ^= rs << 5;
  return rs >>> 0;
}
const RAND_TABLE = 1 << 20;
const BATCH = 100_000;
const LIVE = 50_000;
const randSizes = new Int32Array(RAND_TABLE);
const randSlots = new Int32Array(RAND_TABLE);
for (let i = 0; i < RAND_TABLE; i++) {
  randSizes[i] = 1 + (xs32() % 512);
  randSlots[i] = xs32() % LIVE;
}
const batchOrder = new Int32Array(BATCH);
for (let i = 0; i < BATCH; i++) batchOrder[i] = i;
for (let i = BATCH - 1; i > 0; i--) {
  const j = xs32() % (i + 1);
  const t = batchOrder[i];
  batchOrder[i] = batchOrder[j];
  batchOrder[j] = t;
}
const ptrs = new Int32Array(Math.max(BATCH, LIVE));
const LIFO_PAIRS = 10_000; // per benchmark call
const STEADY_OPS = 10_000; // per benchmark call

interface Workloads {
  lifo(n: number, pairs: number): void;
  batch(round: number): void;
  steadyFill(): void;
  steady(start: number, ops: number): void;
  steadyEmpty(): void;
  /** untimed: peak requested bytes of one batch round / of filling + 200k replacements */
  batchRequested(): number;
  steadyRequested(): number;
}

const WORKLOAD_SRC = `
  return {
    lifo(n, pairs) {
      for (let i = 0; i < pairs; i++) {
        const p = alloc(n);
        H[(p >> 2) + 1] = i;
        free(p);
      }
    },
    batch(round) {
      const base = (round * 7919) % (RAND_TABLE - BATCH);
      for (let i = 0; i < BATCH; i++) {
        const p = alloc(randSizes[base + i]);
        H[(p >> 2) + 1] = i;
        ptrs[i] = p;
      }
      for (let i = 0; i < BATCH; i++) free(ptrs[batchOrder[i]]);
    },
    steadyFill() {
      for (let i = 0; i < LIVE; i++) {
        ptrs[i] = alloc(randSizes[i]);
        H[(ptrs[i] >> 2) + 1] = i;
      }
    },
    steady(start, ops) {
      for (let j = 0; j < ops; j++) {
        const i = start + j;
        const k = i & (RAND_TABLE - 1);
        const slot = randSlots[k];
        free(ptrs[slot]);
        const p = alloc(randSizes[(k * 7 + 3) & (RAND_TABLE - 1)]);
        H[(p >> 2) + 1] = i;
        ptrs[slot] = p;
      }
    },
    steadyEmpty() {
      for (let i = 0; i < LIVE; i++) free(ptrs[i]);
    },
    batchRequested() {
      let live = 0;
      for (let i = 0; i < BATCH; i++) {
        ptrs[i] = alloc(randSizes[i]);
        live += randSizes[i];
      }
      for (let i = 0; i < BATCH; i++) free(ptrs[batchOrder[i]]);
      return live;
    },
    steadyRequested() {
      const sz = new Int32Array(LIVE);
      let live = 0;
      let peak = 0;
      for (let i = 0; i < LIVE; i++) {
        ptrs[i] = alloc(randSizes[i]);
        sz[i] = randSizes[i];
        live += sz[i];
      }
      peak = live;
      for (let i = 0; i < 200000; i++) {
        const k = i & (RAND_TABLE - 1);
        const slot = randSlots[k];
        free(ptrs[slot]);
        live -= sz[slot];
        const n = randSizes[(k * 7 + 3) & (RAND_TABLE - 1)];
        ptrs[slot] = alloc(n);
        sz[slot] = n;
        live += n;
        if (live > peak) peak = live;
      }
      for (let i = 0; i < LIVE; i++) free(ptrs[i]);
      return peak;
    },
  };`;

function makeWorkloads(name: string, alloc: (n: number) => number, free: (p: number) => void): Workloads {
  // the comment gives each copy its own source text, hence its own feedback
  const f = new Function(
    'H', 'alloc', 'free', 'randSizes', 'randSlots', 'batchOrder', 'ptrs', 'RAND_TABLE', 'BATCH', 'LIVE',
    `// workloads for ${name}\n${WORKLOAD_SRC}`,
  );
  return f(I32, alloc, free, randSizes, randSlots, batchOrder, ptrs, RAND_TABLE, BATCH, LIVE) as Workloads;
}

interface Alloc {
  name: string;
  w: Workloads;
  alloc: (n: number) => number;
  free: (p: number) => void;
  mapped: () => number; // bytes mapped at peak since reset
}

function freshState(): void {
  resetAllocators();
  floorReset();
  osResetPeak();
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1];
}

export function main(args: string[]): void {
  let flags: Record<string, string | number | boolean>;
  try {
    flags = parseFlags(args, { quick: 'boolean', rounds: 'number', 'no-c': 'boolean', 'c-only': 'boolean', 'build-dir': 'string' });
  } catch (e) {
    console.error(`alloc: ${(e as Error).message}`);
    process.exit(2);
  }
  const quick = flags.quick === true;
  let cResult: AllocCResult | null = null;
  if (flags['no-c'] !== true) {
    console.log('==== part 1: pymem\'s pymalloc against CPython\'s pymalloc in C (issue 8) ====\n');
    cResult = runAllocC({
      rounds: (flags.rounds as number | undefined) ?? (quick ? 1 : 3),
      quick,
      buildDir: flags['build-dir'] as string | undefined,
      out: 'alloc_c',
      command: `npm run bench -- alloc${args.length > 0 ? ' ' + args.join(' ') : ''}`,
    });
    console.log('');
  }
  if (flags['c-only'] !== true) comparison(quick);
  if (cResult !== null) {
    const f = (x: number | null | undefined) => (x === null || x === undefined ? '—' : x.toFixed(2));
    const l64 = cResult.ratios.lifo64;
    const st = cResult.ratios.steady;
    console.log(
      l64 !== null && st !== null
        ? `\nissue 8 (part 1): pymalloc LIFO 64 B pymem ÷ C ${f(l64)} (≤ 1.0: ${l64 <= 1 ? 'met' : 'NOT met'}), 50k live-set churn ${f(st)} (≤ 1.3: ${st <= 1.3 ? 'met' : 'NOT met'})`
        : `\nissue 8 (part 1): no C comparison: ${cResult.note}`,
    );
  }
}

/** Part 2: floor vs pymalloc vs raw with benchmark.js (issue 2). */
function comparison(quick: boolean): void {
  console.log('==== part 2: floor vs pymalloc vs raw (benchmark.js, issue 2) ====\n');
  setAllocatorMode('pymalloc');
  freshState();
  const allocs: Alloc[] = [
    { name: 'floor', w: makeWorkloads('floor', floorAlloc, floorFree), alloc: floorAlloc, free: floorFree, mapped: () => floorMapped },
    { name: 'pymalloc', w: makeWorkloads('pymalloc', PyObject_Malloc, PyObject_Free), alloc: PyObject_Malloc, free: PyObject_Free, mapped: osPeakMappedBytes },
    { name: 'raw', w: makeWorkloads('raw', PyMem_RawMalloc, PyMem_RawFree), alloc: PyMem_RawMalloc, free: PyMem_RawFree, mapped: osPeakMappedBytes },
  ];
  const options = quick ? { maxTime: 0.25, minSamples: 5 } : { maxTime: 1.5, minSamples: 10 };

  console.log(`pymem allocator benchmark (benchmark.js ${quick ? '--quick' : 'full'} run)`);
  console.log(`node ${process.version}, ${os.cpus()[0]?.model ?? 'cpu?'} x${os.cpus().length}, load average ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}`);
  console.log(`ns per alloc+free pair (benchmark.js mean ± rme, median of ${quick ? 1 : 3} interleaved rounds); ratios from the same run\n`);

  type Row = { label: string; ns: number[]; rme: number[]; cpu: number[] };
  const rows: Row[] = [];
  const rounds = quick ? 1 : 3;
  // each workload: the three allocators one after the other, `rounds` times; per allocator the
  // median of its rounds' benchmark.js means (the machine is shared: interleaving keeps the
  // ratios comparable). Beside benchmark.js's wall-clock mean, the CPU time of the process
  // (process.cpuUsage) over every call benchmark.js made, which neighbours' load disturbs less.
  const cpuNow = () => {
    const u = process.cpuUsage();
    return (u.user + u.system) * 1000;
  };
  const measure = (label: string, perCall: number, setup: (a: Alloc) => void, fn: (a: Alloc) => () => void, teardown: (a: Alloc) => void) => {
    const ns: number[][] = allocs.map(() => []);
    const rme: number[][] = allocs.map(() => []);
    const cpu: number[][] = allocs.map(() => []);
    for (let r = 0; r < rounds; r++) {
      allocs.forEach((a, i) => {
        freshState();
        setup(a);
        const body = fn(a);
        let calls = 0;
        const counted = () => {
          calls++;
          body();
        };
        const c0 = cpuNow();
        const b = new Benchmark(`${label} ${a.name}`, counted, options).run();
        const c1 = cpuNow();
        if (b.error) throw b.error;
        teardown(a);
        ns[i].push((b.stats.mean * 1e9) / perCall);
        rme[i].push(b.stats.rme);
        cpu[i].push((c1 - c0) / (calls * perCall));
      });
    }
    const row: Row = { label, ns: ns.map(median), rme: rme.map(median), cpu: cpu.map(median) };
    rows.push(row);
    const [f, p, r] = row.ns;
    const [cf, cp, cr] = row.cpu;
    console.log(
      `${label.padEnd(26)}` +
        row.ns.map((x, i) => `${x.toFixed(1).padStart(8)} ±${row.rme[i].toFixed(0).padStart(2)}%`).join('') +
        ` | ${(p / f).toFixed(2).padStart(5)} ${(r / f).toFixed(2).padStart(5)} ${(p / r).toFixed(2).padStart(5)}` +
        ` | cpu ${row.cpu.map((x) => x.toFixed(1).padStart(6)).join('')} | ${(cp / cf).toFixed(2).padStart(5)} ${(cr / cf).toFixed(2).padStart(5)} ${(cp / cr).toFixed(2).padStart(5)}`,
    );
  };

  console.log(
    `${'workload'.padEnd(26)}${'floor'.padStart(13)}${'pymalloc'.padStart(13)}${'raw'.padStart(13)}` +
      ` | ${'pm/fl'.padStart(5)} ${'raw/fl'.padStart(5)} ${'pm/raw'.padStart(5)} | cpu ${'floor'.padStart(6)}${'pym'.padStart(6)}${'raw'.padStart(6)} | ${'pm/fl'.padStart(5)} ${'raw/fl'.padStart(5)} ${'pm/raw'.padStart(5)}`,
  );
  for (const n of [16, 32, 64, 256, 512]) {
    let anchor = 0;
    measure(
      `(a) LIFO pair, ${n} B`,
      LIFO_PAIRS,
      (a) => {
        anchor = a.alloc(n);
      },
      (a) => () => a.w.lifo(n, LIFO_PAIRS),
      (a) => a.free(anchor),
    );
  }
  let round = 0;
  measure(
    '(b) 100k random 1..512 B',
    BATCH,
    () => {},
    (a) => () => a.w.batch(round++),
    () => {},
  );
  let opsDone = 0;
  measure(
    '(c) 50k live, replace',
    STEADY_OPS,
    (a) => {
      a.w.steadyFill();
      opsDone = 0;
    },
    (a) => () => {
      a.w.steady(opsDone, STEADY_OPS);
      opsDone += STEADY_OPS;
    },
    (a) => a.w.steadyEmpty(),
  );

  console.log('\nfragmentation: bytes mapped at peak / bytes requested at peak (fresh state, untimed)');
  for (const [label, run] of [
    ['(b) 100k random 1..512 B', (a: Alloc) => a.w.batchRequested()],
    ['(c) 50k live, replace', (a: Alloc) => a.w.steadyRequested()],
  ] as const) {
    const cells: string[] = [];
    for (const a of allocs) {
      freshState();
      const requested = run(a);
      const mapped = a.mapped();
      cells.push(`${a.name} ${(mapped / requested).toFixed(3)} (${(mapped / 2 ** 20).toFixed(1)} MiB / ${(requested / 2 ** 20).toFixed(1)} MiB)`);
    }
    console.log(`${label.padEnd(30)}${cells.join('   ')}`);
  }

  // the claims of issue 2
  const lifo64 = rows.find((r) => r.label.startsWith('(a) LIFO pair, 64 B'))!;
  const smallBeatsRaw = rows.every((r) => r.ns[1] < r.ns[2]);
  const cpuBeatsRaw = rows.every((r) => r.cpu[1] < r.cpu[2]);
  console.log('\nchecks (benchmark.js means; CPU time in brackets):');
  console.log(
    `  pymalloc LIFO 64 B / floor = ${(lifo64.ns[1] / lifo64.ns[0]).toFixed(2)} [${(lifo64.cpu[1] / lifo64.cpu[0]).toFixed(2)}]` +
      ` (<= 2.00: ${lifo64.ns[1] <= 2 * lifo64.ns[0] ? 'yes' : 'NO'} [${lifo64.cpu[1] <= 2 * lifo64.cpu[0] ? 'yes' : 'NO'}])`,
  );
  console.log(
    `  pymalloc faster than raw on every workload: ${smallBeatsRaw ? 'yes' : 'NO'} [${cpuBeatsRaw ? 'yes' : 'NO'}]` +
      ` (pymalloc/raw: ${rows.map((r) => (r.ns[1] / r.ns[2]).toFixed(2)).join(', ')})`,
  );
  console.log(`  median pymalloc/floor over the workloads: ${median(rows.map((r) => r.ns[1] / r.ns[0])).toFixed(2)} [${median(rows.map((r) => r.cpu[1] / r.cpu[0])).toFixed(2)}]`);
}
