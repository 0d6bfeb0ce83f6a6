// Conformance: every corpus program, default allocator. The leak check under
// PYTHONMALLOC=debug is tests/corpus_debug.test.ts (a separate worker: the allocator mode is
// chosen when the runtime loads, as CPython reads PYTHONMALLOC at start-up).
import { describe, it, expect, afterAll } from 'vitest';
import { loadCorpus, loadKnownFailures, runCase, compare } from './corpus_runner.js';

process.env.PYTHONHASHSEED = '0';
const run = await import('../src/run.js');
const life = await import('../runtime/pylifecycle.js');

const cases = loadCorpus();
const known = loadKnownFailures();
const table = new Map<string, { pass: number; total: number }>();

describe('corpus (CPython 3.11 conformance)', () => {
  for (const c of cases) {
    const reason = known.get(c.rel);
    const row = table.get(c.area) ?? { pass: 0, total: 0 };
    table.set(c.area, row);
    row.total++;
    const body = (): void => {
      const problem = compare(c, runCase(run, life, c));
      if (problem === null) row.pass++;
      expect(problem, `${c.rel}\n${problem ?? ''}`).toBeNull();
    };
    if (reason !== undefined) it.fails(`${c.rel} (known failure: ${reason})`, body);
    else it(c.rel, body);
  }
  afterAll(() => {
    const lines = ['', 'corpus: passed / total per area'];
    let p = 0;
    let t = 0;
    for (const [area, r] of [...table].sort()) {
      lines.push(`  ${area.padEnd(10)} ${String(r.pass).padStart(4)} / ${r.total}`);
      p += r.pass;
      t += r.total;
    }
    lines.push(`  ${'all'.padEnd(10)} ${String(p).padStart(4)} / ${t}`);
    console.log(lines.join('\n'));
  });
});
