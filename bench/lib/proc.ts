// Running commands for the benchmark harness: what "pymem" and "CPython" are, and measuring a
// child process's CPU time.
//
// CPU time (user + system of the child and what it waited for) comes from the kernel's rusage
// as GNU time reports it: `/usr/bin/time -f '%e %U %S %M' -o FILE CMD...` (10 ms resolution,
// plus peak RSS). Node's spawnSync gives no rusage of its own. Where /usr/bin/time is missing,
// `bash -c '"$@"; times >&3'` gives the children's user/system time at 1 ms resolution (no RSS).
// Wall time is measured around spawnSync with process.hrtime (it includes the fork/exec of the
// wrapper, the same for both sides).

import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (bench/lib/../..). */
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Node's stack in KiB for pymem runs: below the 8 MiB thread stack (`ulimit -s`), with room. */
const STACK_KIB = 7600;

/**
 * The command that runs pymem (program and arguments go after it): the ONE place to change.
 * `bin/pymem` when it exists (it runs the precompiled dist/ when that is newer than every
 * source, tsx otherwise), else `node --stack-size=… --import tsx src/cli.ts`.
 * PYMEM_BENCH_CMD overrides it (split at spaces, e.g. `PYMEM_BENCH_CMD="/tmp/snap/bin/pymem"`).
 */
export function pymemCommand(): string[] {
  const env = process.env.PYMEM_BENCH_CMD;
  if (env !== undefined && env.trim() !== '') return env.trim().split(/\s+/);
  const bin = path.join(ROOT, 'bin', 'pymem');
  if (fs.existsSync(bin)) return [bin];
  return [process.execPath, `--stack-size=${STACK_KIB}`, '--import', 'tsx', path.join(ROOT, 'src', 'cli.ts')];
}

let cpython: string | null = null;
/** The real CPython 3.11 binary (never the pyenv shim on PATH, which adds ~0.06 s per start).
 *  PYMEM_BENCH_PYTHON overrides it. */
export function cpythonBinary(): string {
  if (cpython !== null) return cpython;
  const env = process.env.PYMEM_BENCH_PYTHON;
  if (env !== undefined && env !== '') return (cpython = env);
  for (const py of ['python3.11', 'python3']) {
    const r = spawnSync(py, ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8' });
    if (r.status === 0 && r.stdout.trim() !== '') {
      const exe = r.stdout.trim();
      try {
        return (cpython = fs.realpathSync(exe));
      } catch {
        return (cpython = exe);
      }
    }
  }
  throw new Error('no python3 found (set PYMEM_BENCH_PYTHON)');
}

export function cpythonVersion(): string {
  const r = spawnSync(cpythonBinary(), ['-c', 'import sys; print(sys.version.split()[0])'], { encoding: 'utf8' });
  return r.stdout.trim();
}

export interface Measured {
  /** seconds */
  wall: number;
  user: number;
  sys: number;
  cpu: number;
  /** peak RSS in KiB (null when /usr/bin/time is not available) */
  maxrssKiB: number | null;
  /** exit status (null if killed by a signal) */
  status: number | null;
  timedOut: boolean;
  stdout: Buffer;
  stderr: string;
}

const GNU_TIME = '/usr/bin/time';
let gnuTime: boolean | null = null;
export function hasGnuTime(): boolean {
  if (gnuTime === null) {
    const r = spawnSync(GNU_TIME, ['-f', '%e', '-o', '/dev/null', 'true']);
    gnuTime = r.status === 0;
  }
  return gnuTime;
}
export function cpuMethod(): string {
  return hasGnuTime()
    ? "GNU time (`/usr/bin/time -f '%e %U %S %M' -o FILE`): the child's rusage, 10 ms resolution"
    : "bash `times` after the child (children's user+sys, 1 ms resolution; no RSS)";
}

let tmpCounter = 0;

/** Run `cmd` once; measure its CPU time (user + system), wall time and peak RSS. */
export function timedRun(cmd: readonly string[], opts: { env?: NodeJS.ProcessEnv; timeoutSec?: number; input?: string } = {}): Measured {
  const timeout = opts.timeoutSec !== undefined && opts.timeoutSec > 0 ? ['timeout', '--foreground', '--signal=KILL', String(opts.timeoutSec)] : [];
  const env = opts.env ?? process.env;
  const maxBuffer = 512 * 1024 * 1024;
  if (hasGnuTime()) {
    const out = path.join(os.tmpdir(), `pymem-bench-${process.pid}-${tmpCounter++}.time`);
    const t0 = process.hrtime.bigint();
    const r = spawnSync(GNU_TIME, ['-f', '%e %U %S %M', '-o', out, ...timeout, ...cmd], { env, maxBuffer, input: opts.input ?? '' });
    const wall = Number(process.hrtime.bigint() - t0) / 1e9;
    let text = '';
    try {
      text = fs.readFileSync(out, 'utf8');
      fs.unlinkSync(out);
    } catch {
      /* no report: treated as a failed run below */
    }
    const last = text.trim().split('\n').pop() ?? '';
    const [, u, s, m] = last.split(/\s+/).map(Number);
    const status = r.status;
    const timedOut = timeout.length > 0 && (status === 124 || status === 137) && wall >= (opts.timeoutSec ?? 0) * 0.99;
    return {
      wall,
      user: u ?? NaN,
      sys: s ?? NaN,
      cpu: (u ?? NaN) + (s ?? NaN),
      maxrssKiB: Number.isFinite(m) ? m : null,
      status: text.includes('terminated by signal') && !timedOut ? null : status,
      timedOut,
      stdout: r.stdout ?? Buffer.alloc(0),
      stderr: (r.stderr ?? Buffer.alloc(0)).toString('utf8'),
    };
  }
  const t0 = process.hrtime.bigint();
  const r = spawnSync('bash', ['-c', '"$@"; rc=$?; times >&3; exit $rc', 'bench', ...timeout, ...cmd], {
    env,
    maxBuffer,
    stdio: ['pipe', 'pipe', 'pipe', 'pipe'],
    input: opts.input ?? '',
  });
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  const times = (r.output[3] ?? '').toString().trim().split('\n')[1] ?? '';
  const secs = times.split(/\s+/).map((t) => {
    const m = /^(\d+)m([\d.]+)s$/.exec(t);
    return m === null ? NaN : Number(m[1]) * 60 + Number(m[2]);
  });
  const timedOut = timeout.length > 0 && (r.status === 124 || r.status === 137) && wall >= (opts.timeoutSec ?? 0) * 0.99;
  return {
    wall,
    user: secs[0] ?? NaN,
    sys: secs[1] ?? NaN,
    cpu: (secs[0] ?? NaN) + (secs[1] ?? NaN),
    maxrssKiB: null,
    status: r.status,
    timedOut,
    stdout: r.stdout ?? Buffer.alloc(0),
    stderr: (r.stderr ?? Buffer.alloc(0)).toString('utf8'),
  };
}

/** Run `cmd` directly (no wrapper) and measure its wall time in seconds: for start-up, where a
 *  wrapper's own fork/exec would be a visible part of the figure. */
export function wallRun(cmd: readonly string[], env: NodeJS.ProcessEnv = process.env): { wall: number; status: number | null; stdout: string; stderr: string } {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd[0], cmd.slice(1), { env, encoding: 'utf8', input: '' });
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  return { wall, status: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}

/** Machine description for the reports. */
export interface MachineInfo {
  date: string;
  host: string;
  cpu: string;
  memGiB: number;
  node: string;
  loadavg: string;
  commit: string;
}
export function machineInfo(): MachineInfo {
  const cpus = os.cpus();
  // the commit measured: PYMEM_BENCH_COMMIT when PYMEM_BENCH_CMD points at another checkout;
  // otherwise this tree's HEAD, marked when src/, runtime/ or grammar/ have uncommitted changes
  let git = process.env.PYMEM_BENCH_COMMIT ?? '';
  if (git === '') {
    git = spawnSync('git', ['-C', ROOT, 'rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).stdout.trim();
    const dirty = spawnSync('git', ['-C', ROOT, 'status', '--porcelain', '--', 'src', 'runtime', 'grammar'], { encoding: 'utf8' }).stdout.trim();
    if (dirty !== '') git += '+uncommitted';
  }
  return {
    date: new Date().toISOString(),
    host: os.hostname(),
    cpu: `${cpus[0]?.model ?? '?'} x${cpus.length}`,
    memGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    loadavg: os.loadavg().map((x) => x.toFixed(2)).join(' '),
    commit: git,
  };
}

/** A progress line on stderr: rewritten in place on a terminal, one line each otherwise. */
export function progress(text: string): void {
  if (process.stderr.isTTY) process.stderr.write(`\r\x1b[K${text}`);
  else process.stderr.write(text + '\n');
}
export function progressDone(): void {
  if (process.stderr.isTTY) process.stderr.write('\r\x1b[K');
}
