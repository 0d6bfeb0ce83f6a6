// pymem's pymalloc against CPython's own, in C (issue 8): the anchor program
// ../shared/anchors/pymalloc_bench.c (CPython 3.11's PyObject_Malloc/PyObject_Free from its
// libpython, and glibc) and the same three workloads run here on pymem's PyObject_Malloc /
// PyObject_Free (runtime/mem/pymem.ts, PYTHONMALLOC=pymalloc), as ratios pymem ÷ C.
//
//   npm run bench -- alloc_c              3 rounds of one C run (~65 s) and one pymem run (~30 s)
//   npm run bench -- alloc                runs this too (runAllocC), before its own comparison
//   options: --rounds N (3; the order alternates: C then pymem, pymem then C, ...; each
//            workload's ratio is the median of the round-by-round ratios)   --quick (pymem side
//            1/10 of the iterations; the C side is fixed)   --build-dir DIR (scratch build
//            directory; default $TMPDIR/pymem-anchors-$UID, never committed)   --out NAME (alloc_c)
//
// The anchor is built with its own build.sh, copied into the scratch directory (the shared
// directory is read-only) and run against the libpython of the real CPython binary. Without a C
// compiler or libpython the C side is skipped with a note and pymem's figures are printed alone.
//
// Workloads, exactly as in pymalloc_bench.c (same xorshift64 tables, same sizes, same counts):
//   (a) LIFO pairs of one size (16, 32, 64, 256, 512 B), one block of the size kept allocated,
//       20M pairs a repetition; (b) 100,000 random sizes 1..512 allocated then freed in a random
//       order, 40 rounds a repetition; (c) a 50,000-block live set of random sizes, each step
//       frees a random slot and allocates a random size into it, 10M steps a repetition.
// Figures: ns of CPU time per alloc+free pair, median of 7 repetitions (C: CLOCK_PROCESS_CPUTIME_ID;
// here process.cpuUsage(), after an untimed warm-up so that V8 has compiled the loops and
// pymalloc's slow paths: warmMedian). Each new block gets one store (C: 8 bytes; here one Int32
// word). Issue 8's goals: LIFO 64 B pymem ÷ C ≤ 1.0, (c) live-set churn pymem ÷ C ≤ 1.3.

import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { I32 } from '../runtime/mem/heap.js';
import { PyObject_Malloc, PyObject_Free, setAllocatorMode, resetAllocators } from '../runtime/mem/pymem.js';
import { ROOT, cpythonBinary, machineInfo } from './lib/proc.js';
import { median, parseFlags, markdownTable } from './lib/stats.js';

// file-local constants: imported bindings cost a module-cell load per use in hot loops
const H = I32;
const alloc = PyObject_Malloc;
const free = PyObject_Free;

const REPS = 7;
const RAND_TABLE = 1 << 20;
const BATCH = 100_000;
const LIVE = 50_000;
let LIFO_ITERS = 20_000_000;
let BATCH_ROUNDS = 40;
let STEADY_OPS = 10_000_000;

// ---- the tables of pymalloc_bench.c (xorshift64 from the same seed, same draw order) ----
const randSizes = new Int32Array(RAND_TABLE);
const randSlots = new Int32Array(RAND_TABLE);
const batchOrder = new Int32Array(BATCH);
const ptrs = new Int32Array(Math.max(BATCH, LIVE));
function makeTables(): void {
  const M = (1n << 64n) - 1n;
  let s = 0x9e3779b97f4a7c15n;
  const next = (): bigint => {
    let x = s;
    x ^= (x << 13n) & M;
    x ^= x >> 7n;
    x ^= (x << 17n) & M;
    return (s = x);
  };
  for (let i = 0; i < RAND_TABLE; i++) {
    randSizes[i] = 1 + Number(next() % 512n);
    randSlots[i] = Number(next() % BigInt(LIVE));
  }
  for (let i = 0; i < BATCH; i++) batchOrder[i] = i;
  for (let i = BATCH - 1; i > 0; i--) {
    const j = Number(next() % BigInt(i + 1));
    const t = batchOrder[i];
    batchOrder[i] = batchOrder[j];
    batchOrder[j] = t;
  }
}

const cpuNs = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) * 1000;
};

function lifo(n: number, iters: number): number {
  const anchor = alloc(n); // keeps the pool in use (see pymalloc_bench.c)
  const t0 = cpuNs();
  for (let i = 0; i < iters; i++) {
    const p = alloc(n);
    H[p >> 2] = i;
    free(p);
  }
  const t = (cpuNs() - t0) / iters;
  free(anchor);
  return t;
}

function batch(rounds: number): number {
  const t0 = cpuNs();
  for (let r = 0; r < rounds; r++) {
    const base = (r * 7919) % (RAND_TABLE - BATCH);
    for (let i = 0; i < BATCH; i++) {
      const p = alloc(randSizes[base + i]);
      H[p >> 2] = i;
      ptrs[i] = p;
    }
    for (let i = 0; i < BATCH; i++) free(ptrs[batchOrder[i]]);
  }
  return (cpuNs() - t0) / (BATCH * rounds);
}

function steady(ops: number): number {
  for (let i = 0; i < LIVE; i++) {
    const p = alloc(randSizes[i]);
    H[p >> 2] = i;
    ptrs[i] = p;
  }
  const t0 = cpuNs();
  for (let i = 0; i < ops; i++) {
    const k = i & (RAND_TABLE - 1);
    const slot = randSlots[k];
    free(ptrs[slot]);
    const p = alloc(randSizes[(k * 7 + 3) & (RAND_TABLE - 1)]);
    H[p >> 2] = i;
    ptrs[slot] = p;
  }
  const t = (cpuNs() - t0) / ops;
  for (let i = 0; i < LIVE; i++) free(ptrs[i]);
  return t;
}

const SIZES = [16, 32, 64, 256, 512];
const KEYS = [...SIZES.map((n) => `lifo${n}`), 'batch', 'steady'];
const LABELS: Record<string, string> = {
  ...Object.fromEntries(SIZES.map((n) => [`lifo${n}`, `(a) LIFO pair, ${n} B`])),
  batch: '(b) 100k random 1..512 B, random-order free',
  steady: '(c) 50k live, random replace',
};

/** Warm-up, untimed: three calls at 1/20 of the size (each runs to its end, so every call site
 *  of the loop and of pymalloc's paths has type feedback before V8 optimizes the whole function
 *  instead of only the loop being entered) and one full call; then the median of REPS timed
 *  calls. The C side needs no warm-up. */
function warmMedian(f: (size: number) => number, size: number): number {
  for (let i = 0; i < 3; i++) f(Math.max(1, Math.floor(size / 20)));
  f(size);
  return median(Array.from({ length: REPS }, () => f(size)));
}

function runPymem(): Record<string, number> {
  const out: Record<string, number> = {};
  for (const n of SIZES) {
    resetAllocators();
    out[`lifo${n}`] = warmMedian((k) => lifo(n, k), LIFO_ITERS);
  }
  resetAllocators();
  out.batch = warmMedian(batch, BATCH_ROUNDS);
  resetAllocators();
  out.steady = warmMedian(steady, STEADY_OPS);
  return out;
}

interface CRow {
  pymalloc: number;
  glibc: number;
  loop: number;
}

/** Build the anchor in `dir` (copy of its source and build.sh); returns the binary or a note. */
function buildAnchor(dir: string): { bin: string } | { note: string } {
  const src = process.env.PYMEM_ANCHORS ?? path.resolve(ROOT, '..', 'shared', 'anchors');
  const cFile = path.join(src, 'pymalloc_bench.c');
  if (!fs.existsSync(cFile)) return { note: `no ${cFile}` };
  const cc = spawnSync('gcc', ['--version']);
  if (cc.error !== undefined || cc.status !== 0) return { note: 'no C compiler (gcc) on this machine' };
  fs.mkdirSync(dir, { recursive: true });
  const bin = path.join(dir, 'pymalloc_bench');
  const fresh = fs.existsSync(bin) && fs.statSync(bin).mtimeMs >= fs.statSync(cFile).mtimeMs && fs.readFileSync(path.join(dir, 'pymalloc_bench.c'), 'utf8') === fs.readFileSync(cFile, 'utf8');
  if (fresh) return { bin };
  fs.copyFileSync(cFile, path.join(dir, 'pymalloc_bench.c'));
  fs.copyFileSync(path.join(src, 'build.sh'), path.join(dir, 'build.sh'));
  const r = spawnSync('sh', [path.join(dir, 'build.sh')], { encoding: 'utf8', env: { ...process.env, PYTHON: cpythonBinary() } });
  if (r.status !== 0 || !fs.existsSync(bin)) {
    const why = (r.stderr || r.stdout || '').trim().split('\n').slice(-2).join(' / ');
    return { note: `build failed (no libpython3.11 or headers?): ${why}` };
  }
  return { bin };
}

function runC(bin: string): Record<string, CRow> | string {
  const env = { ...process.env };
  delete env.PYTHONMALLOC;
  const r = spawnSync(bin, [], { encoding: 'utf8', env, timeout: 900_000 });
  if (r.status !== 0) return `pymalloc_bench failed (exit ${r.status}): ${(r.stderr ?? '').trim().split('\n').pop() ?? ''}`;
  const rows: Record<string, CRow> = {};
  for (const line of r.stdout.split('\n')) {
    const nums = line.trim().split(/\s+/).slice(-4).map(Number);
    if (nums.length < 4 || nums.some((x) => !Number.isFinite(x))) continue;
    const [pymalloc, glibc, loop] = nums;
    const a = /^\(a\) LIFO pair, (\d+) bytes/.exec(line);
    if (a !== null) rows[`lifo${a[1]}`] = { pymalloc, glibc, loop };
    else if (line.startsWith('(b)')) rows.batch = { pymalloc, glibc, loop };
    else if (line.startsWith('(c)')) rows.steady = { pymalloc, glibc, loop };
  }
  if (KEYS.some((k) => rows[k] === undefined)) return `could not read pymalloc_bench's output:\n${r.stdout}`;
  return rows;
}

export interface AllocCOptions {
  rounds: number;
  quick: boolean;
  buildDir?: string;
  out: string;
  /** the command line written into the reports */
  command: string;
}

export interface AllocCResult {
  note: string | null;
  /** pymem ÷ C per workload: median of the round-by-round ratios (null without the C side) */
  ratios: Record<string, number | null>;
}

export const ALLOC_C_FLAGS = { rounds: 'number', quick: 'boolean', 'build-dir': 'string', out: 'string' } as const;

/** Run the comparison: `rounds` rounds of the C anchor and of pymem's side, alternating which
 *  goes first; print the table and write bench/results/OUT.{json,md}. */
export function runAllocC(opts: AllocCOptions): AllocCResult {
  const rounds = Math.max(1, Math.floor(opts.rounds));
  const quick = opts.quick;
  LIFO_ITERS = quick ? 2_000_000 : 20_000_000;
  BATCH_ROUNDS = quick ? 4 : 40;
  STEADY_OPS = quick ? 1_000_000 : 10_000_000;
  const uid = typeof process.getuid === 'function' ? process.getuid() : 0;
  const dir = opts.buildDir ?? path.join(os.tmpdir(), `pymem-anchors-${uid}`);
  const outName = opts.out;
  const machine = machineInfo();
  console.log(`pymalloc: pymem (runtime/mem, in this process) against CPython's (shared/anchors/pymalloc_bench.c), ${rounds} round(s), order alternating${quick ? ', pymem side --quick' : ''}`);
  console.log(`machine: ${machine.cpu}, node ${machine.node}, load average ${machine.loadavg}, commit ${machine.commit}`);

  const built = buildAnchor(dir);
  let note: string | null = 'bin' in built ? null : built.note;
  if ('bin' in built) console.log(`anchor: ${built.bin} (built against ${cpythonBinary()}'s libpython)`);
  else console.log(`C side skipped: ${note}`);

  makeTables();
  setAllocatorMode('pymalloc');
  const cRuns: Record<string, CRow>[] = [];
  const jsRuns: Record<string, number>[] = [];
  /** per workload, pymem ÷ C of each round that has both sides */
  const pairs: Record<string, number[]> = Object.fromEntries(KEYS.map((k) => [k, []]));
  for (let r = 0; r < rounds; r++) {
    let c: Record<string, CRow> | null = null;
    const runCSide = () => {
      if (!('bin' in built) || note !== null) return;
      process.stderr.write(`round ${r + 1}/${rounds}: C pymalloc_bench (about 65 s)...\n`);
      const got = runC(built.bin);
      if (typeof got === 'string') {
        note = got;
        console.log(`C side failed: ${got}`);
      } else {
        c = got;
        cRuns.push(got);
      }
    };
    if (r % 2 === 0) runCSide();
    process.stderr.write(`round ${r + 1}/${rounds}: pymem's pymalloc...\n`);
    const js = runPymem();
    jsRuns.push(js);
    if (r % 2 === 1) runCSide();
    if (c !== null) {
      const cr: Record<string, CRow> = c;
      for (const k of KEYS) pairs[k].push(js[k] / cr[k].pymalloc);
      process.stderr.write(
        `round ${r + 1}/${rounds}: LIFO 64 B ${js.lifo64.toFixed(2)} / ${cr.lifo64.pymalloc.toFixed(2)} ns = ${(js.lifo64 / cr.lifo64.pymalloc).toFixed(2)}, ` +
          `churn ${js.steady.toFixed(1)} / ${cr.steady.pymalloc.toFixed(1)} ns = ${(js.steady / cr.steady.pymalloc).toFixed(2)}\n`,
      );
    }
  }

  const f = (x: number | null): string => (x === null || !Number.isFinite(x) ? '—' : x.toFixed(2));
  const rows: string[][] = [];
  const data: Record<string, { pymem: number; cPymalloc: number | null; cGlibc: number | null; cLoop: number | null; ratio: number | null; ratioMin: number | null; ratioMax: number | null; ratios: number[] }> = {};
  const ratios: Record<string, number | null> = {};
  for (const k of KEYS) {
    const js = median(jsRuns.map((x) => x[k]));
    const c = cRuns.length > 0 ? median(cRuns.map((x) => x[k].pymalloc)) : null;
    const g = cRuns.length > 0 ? median(cRuns.map((x) => x[k].glibc)) : null;
    const l = cRuns.length > 0 ? median(cRuns.map((x) => x[k].loop)) : null;
    const pr = pairs[k];
    const ratio = pr.length > 0 ? median(pr) : null;
    const lo = pr.length > 0 ? Math.min(...pr) : null;
    const hi = pr.length > 0 ? Math.max(...pr) : null;
    ratios[k] = ratio;
    data[k] = { pymem: js, cPymalloc: c, cGlibc: g, cLoop: l, ratio, ratioMin: lo, ratioMax: hi, ratios: pr };
    const goal = k === 'lifo64' ? ' (goal ≤ 1.0)' : k === 'steady' ? ' (goal ≤ 1.3)' : '';
    const range = pr.length > 1 ? ` (${f(lo)}–${f(hi)})` : '';
    rows.push([LABELS[k], f(js), f(c), f(ratio) + range + goal, f(g), f(l)]);
  }
  const header = ['workload', 'pymem pymalloc ns', 'CPython pymalloc ns', 'pymem ÷ CPython', 'glibc ns', 'C loop-only ns'];
  console.log('');
  console.log(header.map((h, i) => (i === 0 ? h.padEnd(44) : h.padStart(i === 3 ? 36 : 20))).join(''));
  for (const row of rows) console.log(row.map((c, i) => (i === 0 ? c.padEnd(44) : c.padStart(i === 3 ? 36 : 20))).join(''));
  console.log(`(ns: medians over the rounds; ratio: median of the ${rounds} round-by-round ratios, min–max in brackets)`);
  const l64 = ratios.lifo64;
  const st = ratios.steady;
  if (l64 !== null && st !== null) {
    console.log(`\nissue 8 goals: LIFO 64 B ${f(l64)} ≤ 1.0: ${l64 <= 1 ? 'met' : 'NOT met'}; 50k live-set churn ${f(st)} ≤ 1.3: ${st <= 1.3 ? 'met' : 'NOT met'}`);
  } else console.log(`\nno ratios: ${note}`);

  const dirOut = path.join(ROOT, 'bench', 'results');
  fs.mkdirSync(dirOut, { recursive: true });
  const command = opts.command;
  fs.writeFileSync(
    path.join(dirOut, `${outName}.json`),
    JSON.stringify({ command, rounds, quick, machine, loadavgEnd: machineInfo().loadavg, note, unit: 'ns of CPU time per alloc+free pair, median of 7 repetitions; ratio = median of the round-by-round ratios', workloads: data }, null, 2) + '\n',
  );
  fs.writeFileSync(
    path.join(dirOut, `${outName}.md`),
    `Command: \`${command}\` — ${machine.date.slice(0, 16).replace('T', ' ')} UTC, ${machine.cpu}, node ${machine.node}, commit ${machine.commit}, load average ${machine.loadavg} (at the end: ${machineInfo().loadavg}); ns of CPU time per alloc+free pair, median of ${REPS} repetitions${rounds > 1 ? `, median of ${rounds} rounds (order alternating); the ratio is the median of the round-by-round ratios (min–max)` : ''}.\n\n` +
      markdownTable(header, rows) +
      (note !== null ? `\nC side: ${note}\n` : ''),
  );
  console.log(`wrote bench/results/${outName}.{json,md}`);
  return { note, ratios };
}

export function main(args: string[]): void {
  let flags: Record<string, string | number | boolean>;
  try {
    flags = parseFlags(args, ALLOC_C_FLAGS);
  } catch (e) {
    console.error(`alloc_c: ${(e as Error).message}`);
    process.exit(2);
  }
  runAllocC({
    rounds: (flags.rounds as number | undefined) ?? 3,
    quick: flags.quick === true,
    buildDir: flags['build-dir'] as string | undefined,
    out: (flags.out as string | undefined) ?? 'alloc_c',
    command: `npm run bench -- alloc_c${args.length > 0 ? ' ' + args.join(' ') : ''}`,
  });
}
