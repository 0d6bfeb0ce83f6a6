// The fast path (grammar/python_tok.ohm over tokens, src/parser/tok_ast.ts) must give exactly
// the AST of the reference path (grammar/python.ohm + to_ast.ts), and must leave every input
// the reference rejects to the reference (so SyntaxErrors stay CPython's). Checked on the AST
// fixtures, the corpus, and seeded mutations of the corpus (as fuzz.test.ts makes them).
import { afterAll, describe, expect, it } from 'vitest';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseNoValidate, setFastPath, fastPathStats } from '../../../../src/parser/parse.js';
import { dump } from '../../../../src/parser/dump.js';

const root = fileURLToPath(new URL('../../../../', import.meta.url));
const N = Number(process.env.PARSER_FUZZ_N ?? 300);
const SEED = Number(process.env.PARSER_FUZZ_SEED ?? 20261122);

function pyFiles(dir: string): string[] {
  const out: string[] = [];
  for (const n of readdirSync(dir)) {
    const p = join(dir, n);
    if (statSync(p).isDirectory()) out.push(...pyFiles(p));
    else if (n.endsWith('.py')) out.push(p);
  }
  return out.sort();
}

type Mode = 'exec' | 'eval';
function run(src: string, fast: boolean, mode: Mode = 'exec'): { out: string; fellBack: boolean } {
  setFastPath(fast);
  let out: string;
  try {
    out = dump(parseNoValidate(src, 'x.py', mode));
  } catch (e) {
    const x = e as { kind?: string; msg?: string; lineno?: number; offset?: number; end_lineno?: number; end_offset?: number };
    out = `ERROR ${x.kind} ${x.msg} ${x.lineno}:${x.offset}-${x.end_lineno}:${x.end_offset}`;
  }
  return { out, fellBack: fast && fastPathStats.lastFallback !== null };
}

afterAll(() => setFastPath(true));

describe('fast path = reference path', () => {
  const fx = JSON.parse(readFileSync(join(root, 'tests/fixtures/ast_fixtures.json'), 'utf8')) as { snippets: { src: string }[] };
  it('every AST snippet: same AST, and the fast path does not fall back', () => {
    const bad: string[] = [];
    for (const [i, c] of fx.snippets.entries()) {
      const slow = run(c.src, false);
      const fast = run(c.src, true);
      if (fast.out !== slow.out) bad.push(`snippet ${i}: ${JSON.stringify(c.src)}\n  fast ${fast.out}\n  slow ${slow.out}`);
      else if (fast.fellBack && !slow.out.startsWith('ERROR')) bad.push(`snippet ${i} fell back: ${JSON.stringify(c.src)} (${String(fastPathStats.lastFallback)})`);
    }
    expect(bad).toEqual([]);
  });
  it('every corpus program: same AST or same error', () => {
    const bad: string[] = [];
    for (const f of pyFiles(join(root, 'tests', 'corpus'))) {
      const src = readFileSync(f, 'utf8');
      const slow = run(src, false);
      const fast = run(src, true);
      if (fast.out !== slow.out) bad.push(`${f}\n  fast ${fast.out.slice(0, 400)}\n  slow ${slow.out.slice(0, 400)}`);
      else if (fast.fellBack && !slow.out.startsWith('ERROR')) bad.push(`${f} fell back (${String(fastPathStats.lastFallback)})`);
    }
    expect(bad).toEqual([]);
  });
  it('eval mode', () => {
    for (const src of ['1 + x', 'a if b else c', 'lambda x: (x, *y)', '[i for i in range(3)]', 'f"{x!r:>{w}}"', 'x := 1', '(yield)', '1,']) {
      expect(run(src, true, 'eval').out).toBe(run(src, false, 'eval').out);
    }
  });
  it(`${N} mutated corpus programs: same AST or same error (seed ${SEED})`, () => {
    const files = pyFiles(join(root, 'tests', 'corpus')).map((f) => readFileSync(f, 'utf8'));
    const rnd = prng(SEED);
    const bad: string[] = [];
    let parsed = 0;
    for (let k = 0; k < N; k++) {
      const base = files[Math.floor(rnd() * files.length)];
      const lines = base.split('\n');
      const start = Math.floor(rnd() * Math.max(1, lines.length - 20));
      const src = mutate(lines.slice(start, start + 25).join('\n') + '\n', rnd);
      const slow = run(src, false);
      const fast = run(src, true);
      if (fast.out !== slow.out) bad.push(`case ${k}: ${JSON.stringify(src)}\n  fast ${fast.out.slice(0, 300)}\n  slow ${slow.out.slice(0, 300)}`);
      if (!slow.out.startsWith('ERROR')) {
        parsed++;
        if (fast.fellBack) bad.push(`case ${k} fell back: ${JSON.stringify(src)} (${String(fastPathStats.lastFallback)})`);
      }
    }
    expect(bad).toEqual([]);
    expect(parsed).toBeGreaterThan(N / 10);
  });
});

/** mulberry32 (as fuzz.test.ts) */
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
      if (s.length < 2) break;
      const i = pick(s.length - 1);
      if (op === 0) s = s.slice(0, i) + s.slice(i + 1);
      else if (op === 1) s = s.slice(0, i) + s[i] + s.slice(i);
      else s = s.slice(0, i) + s[i + 1] + s[i] + s.slice(i + 2);
    } else {
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
