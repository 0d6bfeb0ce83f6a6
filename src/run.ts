// Running a Python program end to end: source -> AST -> code objects in the heap -> eval loop,
// with CPython's conventions for errors and exit status (≈ Python/pythonrun.c
// _PyRun_SimpleFileObject, Modules/main.c pymain_run_python). Used by the CLI and, in-process,
// by the conformance harness.

import { parse } from './parser/parse.js';
import { PySyntaxError, formatSyntaxError } from './parser/syntax_error.js';
import { compile } from './compiler/compile.js';
import { loadCode } from './compiler/load.js';
import { Py_DECREF, Py_INCREF } from '../runtime/object.js';
import { NULL } from '../runtime/mem/heap.js';
import * as life from '../runtime/pylifecycle.js';
import { installSegmentParser } from './segments.js';

installSegmentParser();

export interface RunOptions {
  /** sys.argv: argv[0] is the script path as given ('-c' for -c) */
  argv: string[];
  /** the program text and the filename shown in tracebacks */
  source: string;
  filename: string;
  /** write sinks for the program's stdout and stderr */
  stdout: (b: Uint8Array) => void;
  stderr: (b: Uint8Array) => void;
  /** stdin lines (input()); null = empty */
  stdin?: () => string | null;
  /** PYTHONMALLOC */
  malloc?: string;
  /** -X showrefcount */
  showRefcount?: boolean;
  /** PYTHONMALLOCSTATS */
  mallocStats?: boolean;
  /** the process ends after this program (the CLI): skip teardown when nothing it runs could
   *  be seen (life.Py_FinalizeFast) */
  fastExit?: boolean;
}

export interface RunResult {
  exitCode: number;
}

/** CPU time (user + system, ms) of each phase of the last runProgram; the CLI prints it to stderr
 *  when PYMEM_TIMING=1 (bench/programs.bench.ts reads it). Filled only with PYMEM_TIMING=1 (the
 *  first process.cpuUsage() costs a few ms, which matters to start-up). */
export const phaseTimes = { init: 0, parse: 0, compile: 0, run: 0, finalize: 0 };
let timing = false; // read by each runProgram (not at load: the environment may change before a run)
const cpuMs = (): number => {
  if (!timing) return 0;
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

const enc = new TextEncoder();

/** Run a whole program: returns its exit status. Never throws for a Python-level error; a JS
 *  exception escaping here is a pymem bug (the CLI reports it and exits 70). */
export function runProgram(opts: RunOptions): RunResult {
  timing = process.env.PYMEM_TIMING === '1';
  const t0 = cpuMs();
  life.Py_Initialize({
    argv: opts.argv,
    stdout: opts.stdout,
    stderr: opts.stderr,
    stdin: opts.stdin ?? (() => null),
    malloc: opts.malloc,
  });
  phaseTimes.init = cpuMs() - t0;
  let exitCode = 0;
  try {
    exitCode = runSource(opts.source, opts.filename, opts.stderr);
  } finally {
    const t1 = cpuMs();
    const full = opts.showRefcount === true || opts.mallocStats === true || opts.fastExit !== true || !life.Py_FinalizeFast();
    const stats = full ? life.Py_Finalize({ showRefcount: opts.showRefcount === true, mallocStats: opts.mallocStats === true }) : null;
    if (stats !== null) opts.stderr(enc.encode(stats));
    phaseTimes.finalize = cpuMs() - t1;
  }
  return { exitCode };
}

/** Compile and run `source` as the __main__ module of an initialised interpreter. Returns the
 *  exit status (1 for an uncaught exception or a syntax error). */
export function runSource(source: string, filename: string, stderr: (b: Uint8Array) => void): number {
  life.registerSource(filename, source);
  phaseTimes.parse = phaseTimes.compile = phaseTimes.run = 0;
  let t = cpuMs();
  let tree;
  try {
    tree = parse(source, filename, 'exec');
  } catch (e) {
    if (e instanceof PySyntaxError) {
      life.flushStdout();
      stderr(enc.encode(formatSyntaxError(e)));
      return 1;
    }
    throw e;
  }
  phaseTimes.parse = cpuMs() - t;
  t = cpuMs();
  const result = compile(tree, filename, 'exec');
  const loaded = loadCode(result.code, result.arenaConstants);
  phaseTimes.compile = cpuMs() - t;
  if (loaded === null) return life.handleUncaught();
  const main = life.newMainModule(filename);
  if (main === NULL) {
    Py_DECREF(loaded.code);
    return life.handleUncaught();
  }
  // the parser arena keeps one reference to each literal while the script runs (reference §0.8)
  for (const o of loaded.arena) Py_INCREF(o);
  t = cpuMs();
  const status = life.runMainCode(loaded.code, main);
  phaseTimes.run = cpuMs() - t;
  for (const o of loaded.arena) Py_DECREF(o);
  Py_DECREF(loaded.code);
  return status;
}
