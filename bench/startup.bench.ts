// Start-up of issue 8: `pymem -c pass` against `node -e 0` (the goal: ≤ 1.5×, wall-time medians),
// and against the real CPython binary's `python3 -c pass` for information.
//
//   npm run bench -- startup                 20 rounds after 3 warm-up rounds
//   options: --runs N (20)  --warmup N (3)  --out NAME (bench/results/NAME.{json,md}; startup)
//
// Each round runs the three commands once, in an order that rotates every round; each command
// is spawned directly (no wrapper) and timed with process.hrtime around spawnSync. Ratios are
// taken round by round and their median quoted. pymem also runs with PYMEM_TIMING=1, which
// reports the CPU time until its runtime is loaded ("startup") and of Py_Initialize ("init").

import * as fs from 'node:fs';
import * as path from 'node:path';
import { ROOT, pymemCommand, cpythonBinary, cpythonVersion, wallRun, machineInfo, progress, progressDone } from './lib/proc.js';
import { median, min, max, pairRatios, parseFlags, parseTimingLine, markdownTable } from './lib/stats.js';

interface Cmd {
  key: 'pymem' | 'node' | 'python';
  label: string;
  argv: string[];
  env: NodeJS.ProcessEnv;
}

export function main(args: string[]): void {
  let flags: Record<string, string | number | boolean>;
  try {
    flags = parseFlags(args, { runs: 'number', warmup: 'number', out: 'string' });
  } catch (e) {
    console.error(`startup: ${(e as Error).message}`);
    process.exit(2);
  }
  const runs = Math.max(1, Math.floor((flags.runs as number | undefined) ?? 20));
  const warmup = Math.max(0, Math.floor((flags.warmup as number | undefined) ?? 3));
  const outName = (flags.out as string | undefined) ?? 'startup';
  const python = cpythonBinary();
  const machine = machineInfo();
  const cmds: Cmd[] = [
    { key: 'pymem', label: 'pymem -c pass', argv: [...pymemCommand(), '-c', 'pass'], env: { ...process.env, PYMEM_TIMING: '1' } },
    { key: 'node', label: 'node -e 0', argv: [process.execPath, '-e', '0'], env: process.env },
    { key: 'python', label: 'python3.11 -c pass (real binary)', argv: [python, '-c', 'pass'], env: process.env },
  ];
  console.log(`start-up: ${runs} rounds after ${warmup} warm-up, the three commands rotating; wall time (hrtime around spawnSync)`);
  console.log(`pymem: ${cmds[0].argv.join(' ')}`);
  console.log(`machine: ${machine.cpu}, node ${machine.node}, load average ${machine.loadavg}, commit ${machine.commit}\n`);

  const wall: Record<Cmd['key'], number[]> = { pymem: [], node: [], python: [] };
  const phases: Record<string, number>[] = [];
  let failure: string | null = null;
  let failedRounds = 0;
  for (let i = 0; i < warmup + runs; i++) {
    const timed = i >= warmup;
    progress(timed ? `round ${i - warmup + 1}/${runs}` : `warm-up ${i + 1}/${warmup}`);
    const round: Partial<Record<Cmd['key'], number>> = {};
    let ok = true;
    let t: Record<string, number> | null = null;
    for (let k = 0; k < cmds.length; k++) {
      const c = cmds[(i + k) % cmds.length];
      const r = wallRun(c.argv, c.env);
      if (r.status !== 0) {
        ok = false;
        if (failure === null) failure = `${c.label}: exit ${r.status}: ${r.stderr.trim().split('\n').pop() ?? ''}`;
      }
      round[c.key] = r.wall;
      if (c.key === 'pymem') t = parseTimingLine(r.stderr);
    }
    if (!timed) continue;
    // a round where a command failed is not counted (its time says nothing about start-up)
    if (!ok) {
      failedRounds++;
      continue;
    }
    for (const c of cmds) wall[c.key].push(round[c.key]!);
    if (t !== null) phases.push(t);
  }
  progressDone();
  if (failure !== null) failure += ` (${failedRounds} of ${runs} rounds not counted)`;
  const ms = (x: number): string => (x * 1000).toFixed(1);
  const rows: string[][] = [];
  for (const c of cmds) {
    const w = wall[c.key];
    rows.push([c.label, `${ms(median(w))} (${ms(min(w))}–${ms(max(w))})`]);
  }
  const vsNode = pairRatios(wall.pymem, wall.node);
  const vsPy = pairRatios(wall.pymem, wall.python);
  const nodeVsPy = pairRatios(wall.node, wall.python);
  const r = (xs: number[]): string => `${median(xs).toFixed(2)} (${min(xs).toFixed(2)}–${max(xs).toFixed(2)})`;
  const phaseMed = (k: string): number => median(phases.map((p) => p[k]).filter((v) => v !== undefined));
  for (const row of rows) console.log(`${row[0].padEnd(34)} ${row[1]} ms wall`);
  console.log(`${'pymem ÷ node (goal ≤ 1.5)'.padEnd(34)} ${r(vsNode)}  ${median(vsNode) <= 1.5 ? 'met' : 'NOT met'}`);
  console.log(`${'pymem ÷ python3.11'.padEnd(34)} ${r(vsPy)}`);
  console.log(`${'node ÷ python3.11'.padEnd(34)} ${r(nodeVsPy)}`);
  if (phases.length > 0) console.log(`pymem CPU ms (PYMEM_TIMING, medians): until the runtime is loaded ${phaseMed('startup').toFixed(0)}, Py_Initialize ${phaseMed('init').toFixed(0)}, finalize ${phaseMed('finalize').toFixed(0)}`);
  if (failure !== null) console.log(`FAILED: ${failure}`);

  const dir = path.join(ROOT, 'bench', 'results');
  fs.mkdirSync(dir, { recursive: true });
  const json = {
    command: `npm run bench -- startup${args.length > 0 ? ' ' + args.join(' ') : ''}`,
    runs,
    warmup,
    method: 'wall time of each command spawned directly (process.hrtime around spawnSync), the three commands rotating every round; ratios round by round, medians',
    machine,
    pymemCommand: cmds[0].argv.map((a) => a.replace(ROOT + path.sep, '')),
    cpython: { binary: python, version: cpythonVersion() },
    wallSeconds: wall,
    medians: { pymem: median(wall.pymem), node: median(wall.node), python: median(wall.python) },
    ratios: { pymemOverNode: median(vsNode), pymemOverPython: median(vsPy), nodeOverPython: median(nodeVsPy) },
    goalPymemOverNode: 1.5,
    pymemPhasesCpuMsMedian: phases.length > 0 ? { startup: phaseMed('startup'), init: phaseMed('init'), finalize: phaseMed('finalize') } : null,
    failure,
  };
  fs.writeFileSync(path.join(dir, `${outName}.json`), JSON.stringify(json, null, 2) + '\n');
  const md =
    `Command: \`${json.command}\` — ${runs} rounds after ${warmup} warm-up; ${machine.date.slice(0, 16).replace('T', ' ')} UTC, ${machine.cpu}, node ${machine.node}, commit ${machine.commit}, load average ${machine.loadavg}.\n\n` +
    markdownTable(
      ['command', 'wall ms, median (min–max)'],
      [
        ...rows,
        ['**pymem ÷ node** (goal ≤ 1.5)', `**${r(vsNode)}**`],
        ['pymem ÷ python3.11', r(vsPy)],
        ['node ÷ python3.11', r(nodeVsPy)],
      ],
    ) +
    (phases.length > 0
      ? `\npymem's own CPU time (PYMEM_TIMING, medians): ${phaseMed('startup').toFixed(0)} ms of process CPU until its runtime is loaded (node, the bundle and the runtime's loading), Py_Initialize ${phaseMed('init').toFixed(0)} ms, finalize ${phaseMed('finalize').toFixed(0)} ms.\n`
      : '') +
    (failure !== null ? `\nFAILED: ${failure}\n` : '');
  fs.writeFileSync(path.join(dir, `${outName}.md`), md);
  console.log(`wrote bench/results/${outName}.{json,md}`);
}
