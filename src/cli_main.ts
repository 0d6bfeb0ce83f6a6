// The `pymem` command (≈ Modules/main.c): the conventions of `python3`. src/cli.ts runs it from
// the sources and dist/; it is also the entry of the bundled build (tools/build.mjs).
//
//   pymem FILE [ARGS]      run a script (path as given; sys.argv = [FILE, ARGS...])
//   pymem -c CODE [ARGS]   run CODE (sys.argv[0] = '-c')
//   pymem -m dis FILE      disassemble FILE like `python3 -m dis FILE`
//   pymem                  REPL when stdin is a terminal, else read the program from stdin
//   -X showrefcount        print "[N refs, M blocks]" to stderr at exit
//   -X heap=SIZE           heap limit (e.g. 256M, 2G; default 1G)
//   env PYTHONHASHSEED (default 0 here), PYTHONMALLOC, PYTHONMALLOCSTATS
//   env PYMEM_TIMING=1     print "pymem-timing startup=… init=… parse=… compile=… run=… finalize=…"
//                          (CPU ms; startup = the whole process until the runtime is loaded) to
//                          stderr at exit, for bench/programs.bench.ts
//
// Exit status: 0, 1 for an uncaught exception, SystemExit's code, 2 for usage errors, 70 for
// an internal error of pymem (a bug: one line on stderr, never a JS stack trace), 130 after
// KeyboardInterrupt.

import * as fs from 'node:fs';
import { makeSink, type Sink } from './sink.js';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { loadRuntime } from './load_runtime.js';

export interface Args {
  mode: 'file' | 'command' | 'module' | 'stdin' | 'repl';
  target: string;
  rest: string[];
  xopts: Map<string, string>;
}

const USAGE = `usage: pymem [option] ... [-c cmd | -m mod | file | -] [arg] ...
Options:
-c cmd : program passed in as string (terminates option list)
-h     : print this help message and exit
-m mod : run library module as a script (only 'dis' is available)
-X opt : showrefcount | heap=SIZE
file   : program read from script file
-      : program read from stdin (default; interactive mode if a tty)
`;

export function parseArgs(argv: string[]): Args | number {
  const xopts = new Map<string, string>();
  let i = 0;
  while (i < argv.length) {
    const a = argv[i];
    if (a === '-c') {
      if (i + 1 >= argv.length) {
        process.stderr.write('Argument expected for the -c option\n' + USAGE.split('\n')[0] + '\n');
        return 2;
      }
      return { mode: 'command', target: argv[i + 1], rest: argv.slice(i + 2), xopts };
    }
    if (a === '-m') {
      if (i + 1 >= argv.length) {
        process.stderr.write('Argument expected for the -m option\n' + USAGE.split('\n')[0] + '\n');
        return 2;
      }
      return { mode: 'module', target: argv[i + 1], rest: argv.slice(i + 2), xopts };
    }
    if (a.startsWith('-X')) {
      // `-X opt` or `-Xopt`; opt is NAME or NAME=VALUE
      const opt = a.length > 2 ? a.slice(2) : argv[i + 1] ?? '';
      const eq = opt.indexOf('=');
      xopts.set(eq < 0 ? opt : opt.slice(0, eq), eq < 0 ? '' : opt.slice(eq + 1));
      i += a.length > 2 ? 1 : 2;
      continue;
    }
    if (a === '-h' || a === '--help') {
      process.stdout.write(USAGE);
      return 0;
    }
    if (a === '-V' || a === '--version') {
      process.stdout.write('Python 3.11.7\n');
      return 0;
    }
    if (a === '-') return { mode: 'stdin', target: '-', rest: argv.slice(i + 1), xopts };
    if (a.startsWith('-') && a.length > 1) {
      process.stderr.write(`Unknown option: ${a}\n${USAGE.split('\n')[0]}\nTry \`pymem -h' for more information.\n`);
      return 2;
    }
    return { mode: 'file', target: a, rest: argv.slice(i + 1), xopts };
  }
  return { mode: process.stdin.isTTY ? 'repl' : 'stdin', target: '', rest: [], xopts };
}

function parseSize(s: string): number | null {
  const m = /^(\d+)([KMG]?)i?B?$/i.exec(s.trim());
  if (m === null) return null;
  const unit = m[2].toUpperCase();
  const mult = unit === 'K' ? 1024 : unit === 'M' ? 1024 ** 2 : unit === 'G' ? 1024 ** 3 : 1;
  return Number(m[1]) * mult;
}


interface Job {
  argv: string[];
  source: string;
  filename: string;
  stdinIsProgram: boolean;
  showRefcount: boolean;
  mallocStats: boolean;
}

/** PYMEM_TIMING=1: CPU ms of each phase (src/run.ts), and of the process until the runtime is loaded. */
type PhaseTimes = { startup: number; init: number; parse: number; compile: number; run: number; finalize: number };
let phases: PhaseTimes | null = null;

// The SIGINT watcher. The program runs synchronously on this thread, so Node's event loop here
// cannot see a signal until it ends; a helper thread can. Node delivers no signals to
// process.on('SIGINT') in a worker, but libuv watches signals for any event loop, and the
// worker reaches libuv's signal handle through process.binding('signal_wrap') (deprecated, still
// present in Node 20-22; the warning is silenced). On SIGINT it raises the shared flag that the
// eval breaker turns into KeyboardInterrupt. The thread starts when the program first runs
// long (pystate.ts onLongRun: the eval breaker's first check, time.sleep, input()), boots in
// parallel with the program (a worker costs ~40-60 ms of CPU, which a short program no longer
// pays) and is unref'd: it never keeps the process alive. Until it is up (or where the binding is missing),
// SIGINT keeps its default action and ends the process with status 130, without a traceback.
const SIGINT_WATCHER = `
const { workerData } = require('node:worker_threads');
const flag = new Int32Array(workerData);
process.emitWarning = () => {};
try {
  const { Signal } = process.binding('signal_wrap');
  const s = new Signal();
  s.onsignal = () => { Atomics.store(flag, 0, 1); Atomics.notify(flag, 0); };
  s.start(2);
} catch {}
`;

function startSigintWatcher(flag: SharedArrayBuffer): Worker | null {
  try {
    const w = new Worker(SIGINT_WATCHER, { eval: true, workerData: flag, execArgv: [], stdout: false, stderr: false, resourceLimits: { stackSizeMb: 1 } });
    w.unref();
    w.on('error', () => {});
    return w;
  } catch {
    return null;
  }
}

/** Run a program on this thread (≈ pymain_run_python). An uncaught KeyboardInterrupt ends the
 *  process by SIGINT, as CPython does (exit status 130 in the shell). */
async function runJob(job: Job, out: Sink, err: Sink): Promise<number> {
  const sigint = new SharedArrayBuffer(4);
  // the watcher thread starts when the program first runs long enough to meet the eval breaker
  // (65,536 backward jumps or calls) or blocks in time.sleep / input(): a short program does not
  // pay for its ~60 ms of CPU (until then SIGINT ends the process with status 130, no traceback)
  const watcher: { w: Worker | null } = { w: null };
  // the runtime reads the heap limit, PYTHONMALLOC and the hash seed when it loads
  const { run, life } = await loadRuntime();
  const timing = process.env.PYMEM_TIMING === '1';
  const cpu = process.cpuUsage();
  const startup = (cpu.user + cpu.system) / 1000;
  life.setSigintFlag(new Int32Array(sigint));
  life.setLongRunHook(() => {
    watcher.w = startSigintWatcher(sigint);
  });
  let stdinLines: string[] | null = null;
  const stdin = (): string | null => {
    if (stdinLines === null) {
      const text = job.stdinIsProgram ? '' : readStdinSync();
      stdinLines = text.split(/(?<=\n)/).filter((l) => l !== '');
    }
    return stdinLines.length > 0 ? stdinLines.shift()! : null;
  };
  const exitCode = run.runProgram({
    argv: job.argv,
    source: job.source,
    filename: job.filename,
    stdout: out.write,
    stderr: (b: Uint8Array) => {
      out.flush();
      err.write(b);
      err.flush();
    },
    stdin,
    showRefcount: job.showRefcount,
    mallocStats: job.mallocStats,
    fastExit: true,
  }).exitCode;
  if (timing) phases = { startup, ...run.phaseTimes };
  if (exitCode === 130) {
    out.flush();
    err.flush();
    // the watcher's signal handle must go before SIGINT's default action can end the process
    if (watcher.w !== null) await watcher.w.terminate();
    process.kill(process.pid, 'SIGINT');
    await new Promise(() => {});
  }
  return exitCode;
}

function readStdinSync(): string {
  try {
    return fs.readFileSync(0, 'utf8');
  } catch {
    return '';
  }
}

async function main(argv: string[]): Promise<number> {
  const parsed = parseArgs(argv);
  if (typeof parsed === 'number') return parsed;
  const heap = parsed.xopts.get('heap');
  if (heap !== undefined) {
    const n = parseSize(heap);
    if (n === null) {
      process.stderr.write(`pymem: invalid -X heap value: ${heap}\n`);
      return 2;
    }
    process.env.PYMEM_HEAP_LIMIT = String(n);
  }
  if (process.env.PYTHONHASHSEED === undefined) process.env.PYTHONHASHSEED = '0';
  // (the runtime is loaded below, after this: it reads the heap limit and hash seed when it loads)
  if (process.env.PYMEM_TIMING === '1') {
    process.on('exit', () => {
      if (phases === null) return;
      const t = phases;
      const f = (x: number): string => x.toFixed(1);
      process.stderr.write(
        `pymem-timing startup=${f(t.startup)} init=${f(t.init)} parse=${f(t.parse)} compile=${f(t.compile)} run=${f(t.run)} finalize=${f(t.finalize)}\n`,
      );
    });
  }
  const out = makeSink(1);
  const err = makeSink(2);
  const stderrWrite = (b: Uint8Array): void => {
    out.flush();
    err.write(b);
    err.flush();
  };
  const common = {
    stdout: out.write,
    stderr: stderrWrite,
    malloc: process.env.PYTHONMALLOC,
    showRefcount: parsed.xopts.has('showrefcount'),
    mallocStats: process.env.PYTHONMALLOCSTATS !== undefined && process.env.PYTHONMALLOCSTATS !== '',
  };
  const jobCommon = { showRefcount: common.showRefcount, mallocStats: common.mallocStats };
  try {
    switch (parsed.mode) {
      case 'file': {
        let source: string;
        try {
          source = fs.readFileSync(parsed.target, 'utf8');
        } catch (e) {
          const code = (e as NodeJS.ErrnoException).code;
          const msg = code === 'ENOENT' ? 'No such file or directory' : code === 'EISDIR' ? 'Is a directory' : String(e);
          const errno = code === 'ENOENT' ? 2 : code === 'EISDIR' ? 21 : 1;
          process.stderr.write(`pymem: can't open file '${path.resolve(parsed.target)}': [Errno ${errno}] ${msg}\n`);
          return 2;
        }
        // CPython 3.9+ makes the main script's path absolute for __file__, code objects and
        // tracebacks; sys.argv[0] stays as given
        return await runJob({ ...jobCommon, argv: [parsed.target, ...parsed.rest], source, filename: path.resolve(parsed.target), stdinIsProgram: false }, out, err);
      }
      case 'command':
        return await runJob({ ...jobCommon, argv: ['-c', ...parsed.rest], source: parsed.target + '\n', filename: '<string>', stdinIsProgram: false }, out, err);
      case 'stdin': {
        const source = readStdinSync();
        return await runJob({ ...jobCommon, argv: [parsed.target === '-' ? '-' : '', ...parsed.rest], source, filename: '<stdin>', stdinIsProgram: true }, out, err);
      }
      case 'module': {
        if (parsed.target !== 'dis') {
          process.stderr.write(`pymem: No module named ${parsed.target}\n`);
          return 1;
        }
        const { dis } = await loadRuntime();
        return dis.disMain(parsed.rest, out.write, stderrWrite);
      }
      case 'repl': {
        // interactive: no buffering between the program and the terminal
        const { repl } = await loadRuntime();
        return await repl.runRepl({
          ...common,
          stdout: (b: Uint8Array) => { fs.writeSync(1, b); },
          stderr: (b: Uint8Array) => { fs.writeSync(2, b); },
        });
      }
    }
  } finally {
    out.flush();
    err.flush();
  }
}

/** Run the command line `argv` (without node and the script) and set the process's exit code. */
export function runCli(argv: string[]): void {
  main(argv).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      const msg = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
      process.stderr.write(`pymem: internal error (this is a bug in pymem, not in your program): ${msg.split('\n')[0]}\n`);
      if (process.env.PYMEM_DEBUG) process.stderr.write(String((e as Error).stack) + '\n');
      process.exitCode = 70;
    },
  );
}
