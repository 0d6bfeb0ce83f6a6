// The eval loop's inline caches and fast paths (runtime/vm/ceval.ts, specialize.ts) against
// CPython 3.11's output (tests/fixtures/vm_caches/*.py, recorded by gen_expected.sh there), each
// followed by the interpreter's leak check (allocated blocks back to the baseline).
import { describe, it, expect, beforeAll } from 'vitest';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

process.env.PYTHONHASHSEED = '0';
const run = await import('../../../../src/run.js');
const life = await import('../../../../runtime/pylifecycle.js');

const DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../../fixtures/vm_caches');

function runSource(f: string, source: string): { out: string; err: string; code: number } {
  const out: Uint8Array[] = [];
  const err: Uint8Array[] = [];
  const r = run.runProgram({
    argv: [f], source, filename: f,
    stdout: (b) => out.push(b.slice()), stderr: (b) => err.push(b.slice()), stdin: () => null,
  });
  return { out: Buffer.concat(out).toString(), err: Buffer.concat(err).toString(), code: r.exitCode };
}

describe('eval-loop caches and fast paths vs CPython 3.11', () => {
  beforeAll(() => {
    runSource('warmup.py', 'pass\n');
  });
  for (const f of fs.readdirSync(DIR).filter((x) => x.startsWith('caches_') && x.endsWith('.py')).sort()) {
    it(f, () => {
      const r = runSource(f, fs.readFileSync(path.join(DIR, f), 'utf8'));
      const expected = fs.readFileSync(path.join(DIR, f.replace(/\.py$/, '.out')), 'utf8');
      expect(r.out, r.err).toBe(expected);
      expect(r.code).toBe(0);
      expect(life.leakedBlocks(), 'leaked blocks').toBe(0);
    });
  }
});
