// Fuzz: mutated corpus programs (characters and tokens deleted, duplicated, swapped) must
// either parse or raise PySyntaxError — never another JS error, never hang. Seeded PRNG; the
// seed and the mutated source are in the failure message. PARSER_FUZZ_N / PARSER_FUZZ_SEED
// override the defaults.
import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, PySyntaxError, formatSyntaxError } from '../../../../src/parser/parse.js';

const root = fileURLToPath(new URL('../../../../', import.meta.url));
const N = Number(process.env.PARSER_FUZZ_N ?? 600);
const SEED = Number(process.env.PARSER_FUZZ_SEED ?? 20261121);
const PER_PARSE_MS = 2000;

function pyFiles(dir: string): string[] {
  const out: string[] = [];
  for (const n of readdirSync(dir)) {
    const p = join(dir, n);
    if (statSync(p).isDirectory()) out.push(...pyFiles(p));
    else if (n.endsWith('.py')) out.push(p);
  }
  return out.sort();
}

/** mulberry32 */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const TOKEN = /[A-Za-z_][A-Za-z0-9_]*|\d+(?:\.\d*)?|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|\*\*=?|\/\/=?|[-+*/%@&|^<>=!:]=|->|\.\.\.|\n[ \t]*|[^\s]/g;

function mutate(src: string, rnd: () => number): string {
  const pick = (n: number) => Math.floor(rnd() * n);
  let s = src;
  const steps = 1 + pick(3);
  for (let k = 0; k < steps; k++) {
    const op = pick(6);
    if (op < 3) {
      // character-level: delete / duplicate / swap
      if (s.length < 2) break;
      const i = pick(s.length - 1);
      if (op === 0) s = s.slice(0, i) + s.slice(i + 1);
      else if (op === 1) s = s.slice(0, i) + s[i] + s.slice(i);
      else s = s.slice(0, i) + s[i + 1] + s[i] + s.slice(i + 2);
    } else {
      // token-level
      const toks = [...s.matchAll(TOKEN)].map((m) => [m.index!, m.index! + m[0].length] as const);
      if (toks.length < 2) break;
      const a = toks[pick(toks.length - 1)];
      const text = s.slice(a[0], a[1]);
      if (op === 3) s = s.slice(0, a[0]) + s.slice(a[1]);
      else if (op === 4) s = s.slice(0, a[1]) + ' ' + text + s.slice(a[1]);
      else {
        const b = toks[pick(toks.length)];
        if (b[0] <= a[1]) continue;
        s = s.slice(0, a[0]) + s.slice(b[0], b[1]) + s.slice(a[1], b[0]) + text + s.slice(b[1]);
      }
    }
  }
  return s;
}

describe('parser fuzz', () => {
  it(`${N} mutated corpus programs parse or raise PySyntaxError (seed ${SEED})`, () => {
    const files = pyFiles(join(root, 'tests', 'corpus')).map((f) => readFileSync(f, 'utf8'));
    const rnd = prng(SEED);
    let syntaxErrors = 0;
    for (let k = 0; k < N; k++) {
      const base = files[Math.floor(rnd() * files.length)];
      // keep each case small and fast: a window of lines
      const lines = base.split('\n');
      const start = Math.floor(rnd() * Math.max(1, lines.length - 20));
      const src = mutate(lines.slice(start, start + 25).join('\n') + '\n', rnd);
      const t0 = performance.now();
      try {
        parse(src, 'fuzz.py');
      } catch (e) {
        if (!(e instanceof PySyntaxError)) {
          throw new Error(`seed ${SEED} case ${k}: ${(e as Error)?.stack ?? e}\n--- source ---\n${src}`);
        }
        syntaxErrors++;
        // the error must be printable
        expect(typeof formatSyntaxError(e)).toBe('string');
        if (e.msg.startsWith('internal parser error')) {
          throw new Error(`seed ${SEED} case ${k}: ${e.msg}\n--- source ---\n${src}`);
        }
      }
      const dt = performance.now() - t0;
      if (dt > PER_PARSE_MS) throw new Error(`seed ${SEED} case ${k}: parse took ${dt.toFixed(0)} ms\n--- source ---\n${src}`);
    }
    // most mutations break the program: the test really exercises the error paths
    expect(syntaxErrors).toBeGreaterThan(N / 4);
  });
});
