// End-to-end fixture programs: every tests/fixtures/<dir>/<prefix>*.py runs in-process and must
// print CPython 3.11's recorded stdout (the .out file beside it), exit with 0, and leave no heap
// block allocated (the interpreter's leak check). Shared by the *_programs tests.
import { describe, it, expect, beforeAll } from 'vitest';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

process.env.PYTHONHASHSEED = '0';
const run = await import('../src/run.js');
const life = await import('../runtime/pylifecycle.js');

const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');

/** Run a program in-process: its stdout and stderr text and exit status. */
export function runSource(f: string, source: string): { out: string; err: string; code: number } {
  const out: Uint8Array[] = [];
  const err: Uint8Array[] = [];
  const r = run.runProgram({
    argv: [f], source, filename: f,
    stdout: (b) => out.push(b.slice()), stderr: (b) => err.push(b.slice()), stdin: () => null,
  });
  return { out: Buffer.concat(out).toString(), err: Buffer.concat(err).toString(), code: r.exitCode };
}

/** One test per tests/fixtures/<dir>/<prefix>*.py against its .out. */
export function describeFixturePrograms(title: string, dir: string, prefix: string): void {
  const DIR = path.join(FIXTURES, dir);
  describe(title, () => {
    // the first interpreter of a process settles one-time state; leak checks start after it
    beforeAll(() => {
      runSource('warmup.py', 'pass\n');
    });
    for (const f of fs.readdirSync(DIR).filter((x) => x.startsWith(prefix) && x.endsWith('.py')).sort()) {
      it(f, () => {
        const r = runSource(f, fs.readFileSync(path.join(DIR, f), 'utf8'));
        const expected = fs.readFileSync(path.join(DIR, f.replace(/\.py$/, '.out')), 'utf8');
        expect(r.out, r.err).toBe(expected);
        expect(r.code).toBe(0);
        expect(life.leakedBlocks(), 'leaked blocks').toBe(0);
      });
    }
  });
}
