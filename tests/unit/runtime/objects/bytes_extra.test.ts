// bytes: the methods added after bytesobject.test.ts's fixtures (center/ljust/rjust/zfill,
// expandtabs, partition/rpartition, splitlines, removeprefix/suffix, istitle, translate/maketrans,
// __bytes__) and printf-style `bytes % args`, against CPython 3.11 (tests/fixtures/
// gen_bytes_extra_fixtures.py: results, errors, identity, getsizeof); then end-to-end programs
// (tests/fixtures/bytes_format/*.py: __bytes__, subclasses, bytes(x)) with the interpreter's leak check.
import { describe, it, expect, beforeAll } from 'vitest';
import './strbytes_harness.js'; // first: fixes the module load order (see there)
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PyBytes_Type } from '../../../../runtime/objects/bytesobject.js';
import { type V, type Case, methodMap, runCases } from './strbytes_harness.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const fx = JSON.parse(fs.readFileSync(path.join(HERE, '../../../fixtures/bytes_extra.json'), 'utf8')) as { recvs: V[]; cases: Case[] };

describe('bytes methods and % formatting vs CPython 3.11', () => {
  it(`${fx.cases.length} method/operator cases`, () => {
    const { failures, checked, skipped } = runCases(fx.recvs, fx.cases, methodMap(PyBytes_Type));
    expect(failures.slice(0, 40), `${failures.length} failures`).toEqual([]);
    // skipped: arity checks made by the method wrappers, not by the methods
    expect(checked).toBeGreaterThan(fx.cases.length * 0.99);
    if (skipped.size) console.log('skipped:', Object.fromEntries(skipped));
  });
});

process.env.PYTHONHASHSEED = '0';
const run = await import('../../../../src/run.js');
const life = await import('../../../../runtime/pylifecycle.js');
const DIR = path.join(HERE, '../../../fixtures/bytes_format');

/** Run a program in-process: its stdout and stderr text and exit status. */
function runSource(f: string, source: string): { out: string; err: string; code: number } {
  const out: Uint8Array[] = [];
  const err: Uint8Array[] = [];
  const r = run.runProgram({
    argv: [f], source, filename: f,
    stdout: (b) => out.push(b.slice()), stderr: (b) => err.push(b.slice()), stdin: () => null,
  });
  return { out: Buffer.concat(out).toString(), err: Buffer.concat(err).toString(), code: r.exitCode };
}

describe('bytes programs vs CPython 3.11', () => {
  beforeAll(() => {
    runSource('warmup.py', 'pass\n');
  });
  for (const f of fs.readdirSync(DIR).filter((x) => x.startsWith('bytes_') && x.endsWith('.py')).sort()) {
    it(f, () => {
      const r = runSource(f, fs.readFileSync(path.join(DIR, f), 'utf8'));
      const expected = fs.readFileSync(path.join(DIR, f.replace(/\.py$/, '.out')), 'utf8');
      expect(r.out, r.err).toBe(expected);
      expect(r.code).toBe(0);
      expect(life.leakedBlocks(), 'leaked blocks').toBe(0);
    });
  }
});
