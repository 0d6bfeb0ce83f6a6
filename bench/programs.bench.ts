// The program suite of issue 8: every program in bench/programs/ under pymem and under the real
// CPython binary, alternating the two, with CPU-time medians and ratios.
//
//   npm run bench -- programs                      default sizes, 5 runs each (+1 warm-up)
//   npm run bench -- programs --size small         the small sizes of expected/NAME.ARG.out
//   options: --runs N (5)  --warmup N (1)  --only a,b  --timeout SEC (1200 per run)
//            --out NAME (bench/results/NAME.{json,md,svg}; default programs, programs-small,
//            or programs-partial with --only)
//
// Method (reference/performance.md §0): the machine is shared and noisy, so the figure is CPU
// time (user + system of the child, see bench/lib/proc.ts), pymem and CPython alternate run by
// run (the order flips every pair), the ratio of a program is the median of the pair-by-pair
// ratios, and the suite's figure is the geometric mean of those. Every run's stdout is compared
// with the expected output; a mismatch is reported and the program marked wrong (its timing is
// still shown). pymem runs with PYMEM_TIMING=1, so its parse, compile and run CPU times are
// reported separately (from the `pymem-timing` line on stderr).

import * as fs from 'node:fs';
import * as path from 'node:path';
import { ROOT, pymemCommand, cpythonBinary, cpythonVersion, timedRun, machineInfo, progress, progressDone, cpuMethod, type Measured } from './lib/proc.js';
import { median, geomean, min, max, pairRatios, compareOutput, parseTimingLine, parseFlags, markdownTable, barChartSvg, type OutputCheck } from './lib/stats.js';

const PROGRAMS = path.join(ROOT, 'bench', 'programs');
const RESULTS = path.join(ROOT, 'bench', 'results');

export interface Program {
  name: string;
  file: string;
  /** the size argument (null = the program's default size) */
  arg: string | null;
  expected: Buffer;
}

/** The programs of bench/programs with their expected outputs at the given size. */
export function listPrograms(size: 'small' | 'default'): Program[] {
  const expectedDir = path.join(PROGRAMS, 'expected');
  const outs = fs.readdirSync(expectedDir);
  const progs: Program[] = [];
  for (const f of fs.readdirSync(PROGRAMS).sort()) {
    if (!f.endsWith('.py')) continue;
    const name = f.slice(0, -3);
    let arg: string | null = null;
    let out: string | undefined;
    if (size === 'default') out = outs.find((o) => o === `${name}.default.out`);
    else {
      out = outs.find((o) => o.startsWith(name + '.') && o.endsWith('.out') && /^\d+$/.test(o.slice(name.length + 1, -4)));
      if (out !== undefined) arg = out.slice(name.length + 1, -4);
    }
    if (out === undefined) {
      console.error(`${name}: no expected output for size ${size}; skipped`);
      continue;
    }
    progs.push({ name, file: path.join(PROGRAMS, f), arg, expected: fs.readFileSync(path.join(expectedDir, out)) });
  }
  return progs;
}

interface Side {
  cpu: number[];
  wall: number[];
  rssMiB: number[];
  /** pymem only: the phases of each run, CPU ms */
  timing: Record<string, number>[];
  /** runs whose output differed, and the first difference */
  wrongRuns: number;
  firstDiff: OutputCheck | null;
  /** a run that did not finish normally (non-zero exit, signal, timeout): the reason */
  failure: string | null;
}

interface ProgramResult {
  name: string;
  arg: string | null;
  pymem: Side;
  cpython: Side;
  /** median of pair-by-pair ratios pymem / CPython (CPU time); null when pymem has no time */
  ratio: number | null;
  ratioMin: number | null;
  ratioMax: number | null;
  ratioOfMedians: number | null;
  status: 'ok' | 'wrong' | 'failed';
}

const newSide = (): Side => ({ cpu: [], wall: [], rssMiB: [], timing: [], wrongRuns: 0, firstDiff: null, failure: null });

function record(side: Side, m: Measured, expected: Buffer, timed: boolean, isPymem: boolean): void {
  if (m.timedOut) side.failure = `timed out after ${m.wall.toFixed(0)} s`;
  else if (m.status !== 0) {
    const last = m.stderr.split('\n').filter((l) => l.trim() !== '' && !l.startsWith('pymem-timing ')).pop() ?? '';
    side.failure = `exit ${m.status === null ? 'by signal' : m.status}${last !== '' ? ': ' + last.slice(0, 160) : ''}`;
  }
  const check = compareOutput(m.stdout, expected);
  if (!check.equal) {
    side.wrongRuns++;
    if (side.firstDiff === null) side.firstDiff = check;
  }
  if (!timed || side.failure !== null) return;
  side.cpu.push(m.cpu);
  side.wall.push(m.wall);
  if (m.maxrssKiB !== null) side.rssMiB.push(m.maxrssKiB / 1024);
  if (isPymem) {
    const t = parseTimingLine(m.stderr);
    if (t !== null) side.timing.push(t);
  }
}

const s3 = (x: number | null | undefined): string => (x === null || x === undefined || !Number.isFinite(x) ? '—' : x.toFixed(3));
const s2 = (x: number | null | undefined): string => (x === null || x === undefined || !Number.isFinite(x) ? '—' : x.toFixed(2));
const s0 = (x: number | null | undefined): string => (x === null || x === undefined || !Number.isFinite(x) ? '—' : x.toFixed(0));

function phaseMedian(side: Side, key: string): number | null {
  const xs = side.timing.map((t) => t[key]).filter((v) => v !== undefined && Number.isFinite(v));
  return xs.length === 0 ? null : median(xs);
}

export async function main(args: string[]): Promise<void> {
  let flags: Record<string, string | number | boolean>;
  try {
    flags = parseFlags(args, { runs: 'number', warmup: 'number', size: 'string', only: 'string', timeout: 'number', out: 'string' });
  } catch (e) {
    console.error(`programs: ${(e as Error).message}`);
    process.exit(2);
  }
  const runs = Math.max(1, Math.floor((flags.runs as number | undefined) ?? 5));
  const warmup = Math.max(0, Math.floor((flags.warmup as number | undefined) ?? 1));
  const size = ((flags.size as string | undefined) ?? 'default') as 'small' | 'default';
  if (size !== 'small' && size !== 'default') {
    console.error('programs: --size is small or default');
    process.exit(2);
  }
  const timeoutSec = (flags.timeout as number | undefined) ?? 1200;
  const only = flags.only === undefined ? null : String(flags.only).split(',').map((s) => s.trim()).filter((s) => s !== '');
  let progs = listPrograms(size);
  if (only !== null) {
    const unknown = only.filter((n) => !progs.some((p) => p.name === n));
    if (unknown.length > 0) {
      console.error(`programs: unknown program(s) ${unknown.join(', ')} (known: ${progs.map((p) => p.name).join(', ')})`);
      process.exit(2);
    }
    progs = progs.filter((p) => only.includes(p.name));
  }
  const outName = (flags.out as string | undefined) ?? (only !== null ? 'programs-partial' : size === 'small' ? 'programs-small' : 'programs');

  const pymem = pymemCommand();
  const python = cpythonBinary();
  const machine = machineInfo();
  const pyVersion = cpythonVersion();
  const pymemEnv = { ...process.env, PYMEM_TIMING: '1' };
  const pyEnv = { ...process.env };
  delete pyEnv.PYTHONMALLOC;
  const command = `npm run bench -- programs${args.length > 0 ? ' ' + args.join(' ') : ''}`;

  console.log(`pymem program suite: ${progs.length} programs, size ${size}, ${runs} run(s) each after ${warmup} warm-up, alternating`);
  console.log(`pymem:   ${pymem.join(' ')}`);
  console.log(`CPython: ${python} (${pyVersion})`);
  console.log(`machine: ${machine.cpu}, ${machine.memGiB} GiB, node ${machine.node}, load average ${machine.loadavg}, commit ${machine.commit}`);
  console.log(`CPU time: ${cpuMethod()}\n`);

  const results: ProgramResult[] = [];
  const t0 = Date.now();
  progs.forEach((p, pi) => {
    const argv = p.arg === null ? [p.file] : [p.file, p.arg];
    const pm = newSide();
    const cp = newSide();
    const tag = `[${pi + 1}/${progs.length} ${p.name}${p.arg !== null ? ' ' + p.arg : ''}]`;
    const total = warmup + runs;
    for (let i = 0; i < total; i++) {
      const timed = i >= warmup;
      const what = timed ? `run ${i - warmup + 1}/${runs}` : `warm-up ${i + 1}/${warmup}`;
      // the order flips every pair, so a drift in the machine's load hits both sides alike
      const order: ('pymem' | 'cpython')[] = i % 2 === 0 ? ['pymem', 'cpython'] : ['cpython', 'pymem'];
      for (const who of order) {
        if (who === 'pymem') {
          if (pm.failure !== null) continue; // it crashed or timed out once: no more time on it
          progress(`${tag} ${what}: pymem...   (${((Date.now() - t0) / 1000).toFixed(0)} s so far)`);
          const m = timedRun([...pymem, ...argv], { env: pymemEnv, timeoutSec });
          record(pm, m, p.expected, timed, true);
        } else {
          if (cp.failure !== null) continue;
          progress(`${tag} ${what}: CPython... (${((Date.now() - t0) / 1000).toFixed(0)} s so far)`);
          const m = timedRun([python, ...argv], { env: pyEnv, timeoutSec });
          record(cp, m, p.expected, timed, false);
        }
      }
    }
    progressDone();
    const pairs = pairRatios(pm.cpu, cp.cpu);
    const ratio = pairs.length > 0 ? median(pairs) : null;
    const r: ProgramResult = {
      name: p.name,
      arg: p.arg,
      pymem: pm,
      cpython: cp,
      ratio,
      ratioMin: pairs.length > 0 ? min(pairs) : null,
      ratioMax: pairs.length > 0 ? max(pairs) : null,
      ratioOfMedians: pm.cpu.length > 0 && cp.cpu.length > 0 ? median(pm.cpu) / median(cp.cpu) : null,
      status: pm.failure !== null || pm.cpu.length === 0 ? 'failed' : pm.wrongRuns > 0 ? 'wrong' : 'ok',
    };
    results.push(r);
    const note = r.status === 'failed' ? `  FAILED: ${pm.failure}` : r.status === 'wrong' ? `  WRONG OUTPUT (${pm.wrongRuns} run(s); line ${pm.firstDiff?.line}: expected ${JSON.stringify(pm.firstDiff?.expected)}, got ${JSON.stringify(pm.firstDiff?.actual)})` : '';
    const cpNote = cp.failure !== null ? `  (CPython failed: ${cp.failure})` : cp.wrongRuns > 0 ? '  (CPython output differs from expected!)' : '';
    console.log(
      `${p.name.padEnd(14)} CPython ${s3(median(cp.cpu)).padStart(7)} s   pymem ${s3(median(pm.cpu)).padStart(8)} s   ratio ${s2(ratio).padStart(6)}` +
        `   (parse ${s0(phaseMedian(pm, 'parse'))} ms, compile ${s0(phaseMedian(pm, 'compile'))} ms, run ${s0(phaseMedian(pm, 'run'))} ms)${note}${cpNote}`,
    );
  });

  const okRatios = results.filter((r) => r.status === 'ok' && r.ratio !== null).map((r) => r.ratio!);
  const timedRatios = results.filter((r) => r.ratio !== null).map((r) => r.ratio!);
  const gm = geomean(okRatios);
  const gmTimed = geomean(timedRatios);
  const notOk = results.filter((r) => r.status !== 'ok');
  const worst = results.reduce<ProgramResult | null>((w, r) => (r.ratio !== null && (w === null || r.ratio > (w.ratio ?? 0)) ? r : w), null);
  const allOk = notOk.length === 0 && results.length === progs.length;
  console.log('');
  console.log(`geometric mean of pymem ÷ CPython: ${s2(gm)} over ${okRatios.length} program(s) with correct output` + (timedRatios.length !== okRatios.length ? ` (${s2(gmTimed)} over all ${timedRatios.length} timed)` : ''));
  if (notOk.length > 0) console.log(`not counted: ${notOk.map((r) => `${r.name} (${r.status})`).join(', ')}`);
  console.log(`issue 8 goals: every output correct: ${allOk ? 'yes' : 'NO'}; geomean ≤ 2.0: ${gm <= 2 && allOk ? 'yes' : 'NO'}; no program above 3.0: ${worst !== null && (worst.ratio ?? Infinity) <= 3 && allOk ? 'yes' : `NO (worst ${worst?.name} ${s2(worst?.ratio)})`}`);
  console.log(`total ${((Date.now() - t0) / 1000).toFixed(0)} s; load average at the end ${machineInfo().loadavg}`);

  // ---- files ----
  fs.mkdirSync(RESULTS, { recursive: true });
  const json = {
    command,
    size,
    runs,
    warmup,
    timeoutSec,
    method: `CPU time (user+sys) of each child; ${cpuMethod()}; pymem and CPython alternate, order flipped every pair; ratio = median of pair-by-pair ratios; suite figure = geometric mean over programs with correct output`,
    machine,
    loadavgEnd: machineInfo().loadavg,
    pymemCommand: pymem.map((a) => a.replace(ROOT + path.sep, '')),
    cpython: { binary: python, version: pyVersion },
    geomean: Number.isFinite(gm) ? gm : null,
    geomeanAllTimed: Number.isFinite(gmTimed) ? gmTimed : null,
    programs: results.map((r) => ({
      name: r.name,
      arg: r.arg,
      status: r.status,
      ratio: r.ratio,
      ratioMin: r.ratioMin,
      ratioMax: r.ratioMax,
      ratioOfMedians: r.ratioOfMedians,
      pymem: {
        cpuMedian: r.pymem.cpu.length > 0 ? median(r.pymem.cpu) : null,
        cpu: r.pymem.cpu,
        wall: r.pymem.wall.map((w) => Number(w.toFixed(4))),
        rssMiB: r.pymem.rssMiB.map((x) => Number(x.toFixed(1))),
        phasesMsMedian: Object.fromEntries(['startup', 'init', 'parse', 'compile', 'run', 'finalize'].map((k) => [k, phaseMedian(r.pymem, k)])),
        wrongRuns: r.pymem.wrongRuns,
        firstDiff: r.pymem.firstDiff,
        failure: r.pymem.failure,
      },
      cpython: {
        cpuMedian: r.cpython.cpu.length > 0 ? median(r.cpython.cpu) : null,
        cpu: r.cpython.cpu,
        wall: r.cpython.wall.map((w) => Number(w.toFixed(4))),
        rssMiB: r.cpython.rssMiB.map((x) => Number(x.toFixed(1))),
        wrongRuns: r.cpython.wrongRuns,
        failure: r.cpython.failure,
      },
    })),
  };
  fs.writeFileSync(path.join(RESULTS, `${outName}.json`), JSON.stringify(json, null, 2) + '\n');

  const rows = results.map((r) => {
    const st = r.status === 'ok' ? 'ok' : r.status === 'wrong' ? `**wrong** (line ${r.pymem.firstDiff?.line})` : `**failed**: ${r.pymem.failure ?? 'no time'}`;
    return [
      r.name,
      r.arg ?? 'default',
      s3(r.cpython.cpu.length > 0 ? median(r.cpython.cpu) : null),
      s3(r.pymem.cpu.length > 0 ? median(r.pymem.cpu) : null),
      r.ratio === null ? '—' : `**${s2(r.ratio)}** (${s2(r.ratioMin)}–${s2(r.ratioMax)})`,
      `${s0(phaseMedian(r.pymem, 'startup'))} / ${s0(phaseMedian(r.pymem, 'parse'))} / ${s0(phaseMedian(r.pymem, 'compile'))} / ${s0(phaseMedian(r.pymem, 'run'))}`,
      `${s0(r.pymem.rssMiB.length > 0 ? median(r.pymem.rssMiB) : null)} / ${s0(r.cpython.rssMiB.length > 0 ? median(r.cpython.rssMiB) : null)}`,
      st,
    ];
  });
  const md =
    `Command: \`${command}\` — ${results.length} programs, size ${size}, ${runs} alternating run(s) each after ${warmup} warm-up; ` +
    `${machine.date.slice(0, 16).replace('T', ' ')} UTC, ${machine.cpu}, node ${machine.node}, CPython ${pyVersion} (real binary), commit ${machine.commit}, ` +
    `load average ${machine.loadavg} at the start and ${json.loadavgEnd} at the end.\n\n` +
    markdownTable(
      ['program', 'arg', 'CPython CPU s', 'pymem CPU s', 'pymem ÷ CPython (min–max)', 'pymem startup / parse / compile / run, CPU ms', 'peak RSS MiB pymem / CPython', 'output'],
      rows,
    ) +
    `\nGeometric mean of pymem ÷ CPython: **${s2(gm)}** over ${okRatios.length} program(s) with correct output` +
    (notOk.length > 0 ? `; not counted: ${notOk.map((r) => `${r.name} (${r.status})`).join(', ')}` : '') +
    `. CPU s = median user+sys of the whole process; ratio = median of the pair-by-pair ratios. ` +
    `"startup" = the pymem process's CPU until its interpreter thread has loaded the runtime (node + tsx + module imports, in both threads today).\n`;
  fs.writeFileSync(path.join(RESULTS, `${outName}.md`), md);

  const svg = barChartSvg(
    results.map((r) => ({
      label: r.name,
      value: r.ratio,
      bad: r.status !== 'ok',
      note: r.status === 'failed' ? (r.ratio === null ? `failed: ${(r.pymem.failure ?? '').slice(0, 60)}` : 'failed') : r.status === 'wrong' ? 'wrong output' : undefined,
    })),
    {
      title: `pymem ÷ CPython ${pyVersion}, CPU time (size ${size}; geometric mean ${s2(gm)})`,
      marks: [
        { value: 2, label: 'goal: geomean 2×' },
        { value: 3, label: 'max 3×' },
      ],
      axis: `median of ${runs} alternating pair(s), log scale; ${machine.date.slice(0, 10)}, commit ${machine.commit}`,
    },
  );
  fs.writeFileSync(path.join(RESULTS, `${outName}.svg`), svg);
  console.log(`wrote bench/results/${outName}.{json,md,svg}`);
}
