// Conformance under PYTHONMALLOC=debug, with the leak check: every corpus program gives the same
// output as with the default allocator (the debug hooks would stop the run with a fatal error on
// a buffer overrun, a double free or a write after free), and after the interpreter is torn
// down every heap block allocated since start-up is freed again.
import { describe, it, expect } from 'vitest';
import { loadCorpus, loadKnownFailures, runCase, compare } from './corpus_runner.js';

process.env.PYTHONHASHSEED = '0';
process.env.PYTHONMALLOC = 'debug'; // read when the runtime loads, as CPython reads it at start-up
const run = await import('../src/run.js');
const life = await import('../runtime/pylifecycle.js');

const cases = loadCorpus();
const known = loadKnownFailures();

describe('corpus under PYTHONMALLOC=debug, with the leak check', () => {
  for (const c of cases) {
    const reason = known.get(c.rel);
    const body = (): void => {
      const o = runCase(run, life, c);
      const problem = compare(c, o) ?? (o.leaked !== 0 ? `${o.leaked} heap blocks leaked after teardown` : null);
      expect(problem, `${c.rel}\n${problem ?? ''}`).toBeNull();
    };
    if (reason !== undefined) it.fails(`${c.rel} (known failure: ${reason})`, body);
    else it(c.rel, body);
  }
});
