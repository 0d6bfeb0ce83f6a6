// The thread that runs a program for the CLI (src/cli.ts). The main thread stays idle in Node's
// event loop so that it can receive SIGINT while the interpreter runs synchronously here; it
// raises a shared flag that the eval breaker turns into KeyboardInterrupt. A worker also gets a
// stack of our choosing (resourceLimits.stackSizeMb) for CPython's recursion limit of 1000.

import { parentPort, workerData } from 'node:worker_threads';
import * as fs from 'node:fs';
import { makeSink } from './sink.js';

interface WorkerJob {
  argv: string[];
  source: string;
  filename: string;
  stdinIsProgram: boolean;
  showRefcount: boolean;
  mallocStats: boolean;
  sigint: SharedArrayBuffer;
}

const job = workerData as WorkerJob;


const out = makeSink(1);
const err = makeSink(2);
let stdinLines: string[] | null = null;
const stdinReader = (): string | null => {
  if (stdinLines === null) {
    let text = '';
    if (!job.stdinIsProgram) {
      try {
        text = fs.readFileSync(0, 'utf8');
      } catch {
        text = '';
      }
    }
    stdinLines = text.split(/(?<=\n)/).filter((l) => l !== '');
  }
  return stdinLines.length > 0 ? stdinLines.shift()! : null;
};

const life = await import('../runtime/pylifecycle.js');
life.setSigintFlag(new Int32Array(job.sigint));
const run = await import('./run.js');
// PYMEM_TIMING (see cli.ts): process CPU ms until the runtime is loaded in this thread
const startupCpu = process.env.PYMEM_TIMING === '1' ? (process.cpuUsage().user + process.cpuUsage().system) / 1000 : 0;
let exitCode = 70;
try {
  exitCode = run.runProgram({
    argv: job.argv,
    source: job.source,
    filename: job.filename,
    stdout: out.write,
    stderr: (b: Uint8Array) => {
      out.flush();
      err.write(b);
      err.flush();
    },
    stdin: stdinReader,
    showRefcount: job.showRefcount,
    mallocStats: job.mallocStats,
  }).exitCode;
} finally {
  out.flush();
  err.flush();
}
parentPort!.postMessage({ exitCode, phaseTimes: { startup: startupCpu, ...run.phaseTimes } });
