// Parser speed (issue 4): parse time per 1,000 lines on a generated 10,000-line program and on
// the corpus, grammar load from the precompiled recipe vs from grammar/python.ohm, and process
// start-to-AST for a 20-line file. Run: npx tsx bench/parse.bench.ts (or npm run bench -- parse).
// Goal: >= 10,000 lines/s and grammar load <= 30 ms. Results and machine: bench/README.md.
// parse() takes the fast path (grammar/python_tok.ohm over tokens); the same files are also
// parsed with the reference path alone (grammar/python.ohm, setFastPath(false)) in the same run,
// so the speed-up is a ratio measured under the same machine load.
import { readFileSync, readdirSync, statSync, writeFileSync, mkdtempSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');

/** A deterministic 10,000-line program in the subset (classes, functions, loops, f-strings...). */
export function generateProgram(lines: number): string {
  const out: string[] = [];
  let i = 0;
  for (;;) {
    const n = i++;
    const unit = [
      `class Node${n}(Base, metaclass=Meta):`,
      `    """Node number ${n}."""`,
      `    limit = ${n} * 2 + 1`,
      ``,
      `    def __init__(self, value, *args, key=None, **kwargs):`,
      `        self.value = value`,
      `        self.items = [x * 2 for x in range(${n % 50}) if x % 3 != 0]`,
      `        self.table = {'a': 1, "b": [1, 2, 3], 'c': (4, 5)}`,
      `        super().__init__(*args, **kwargs)`,
      ``,
      `    def compute(self, a, b=2.5, /, c=-1):`,
      `        total = 0`,
      `        for i, item in enumerate(self.items):`,
      `            if item > a and not (item < b or item == c):`,
      `                total += item ** 2 - (a + b) * c // 3`,
      `            elif item is None:`,
      `                continue`,
      `            else:`,
      `                total -= 1`,
      `        while total > 1000:`,
      `            total //= 2`,
      `        try:`,
      `            result = self.table['a'] / total`,
      `        except (ZeroDivisionError, KeyError) as exc:`,
      `            result = None`,
      `        finally:`,
      `            pass`,
      `        return f"{self.value!r}: {total:>10} {result}"`,
      ``,
      `def helper${n}(xs, f=lambda v: v + 1):`,
      `    with open_thing(xs) as handle, other() as o:`,
      `        data = [f(v) for v in xs[1:-1:2]]`,
      `    return sorted(data, key=lambda t: (t[0], -t[1]), reverse=True)`,
      ``,
      `value${n} = helper${n}([1, 2, 3, 4, 5]) if ${n} % 2 else {k: v for k, v in zip("abc", range(3))}`,
      `print(value${n}, Node${n}(${n}).compute(1, 2), sep=', ', end='\\n')`,
      ``,
    ];
    if (out.length + unit.length > lines) break;
    out.push(...unit);
  }
  // pad with simple statements to exactly `lines` lines
  for (let k = 0; out.length < lines; k++) out.push(`pad${k} = [${k}, ${k} + 1, 'x' * ${k % 7}]`);
  return out.join('\n') + '\n';
}

function corpusFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...corpusFiles(p));
    else if (name.endsWith('.py')) out.push(p);
  }
  return out.sort();
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1];
}

/** Median wall and CPU ms of runs 2..n of f(). */
function measure(n: number, f: () => void): { wall: number; cpu: number } {
  const walls: number[] = [];
  const cpus: number[] = [];
  for (let r = 0; r < n; r++) {
    const s = performance.now();
    const c = process.cpuUsage();
    f();
    const cu = process.cpuUsage(c);
    walls.push(performance.now() - s);
    cpus.push((cu.user + cu.system) / 1000);
  }
  return { wall: median(walls.slice(1)), cpu: median(cpus.slice(1)) };
}

export async function main(): Promise<void> {
  const t0 = performance.now();
  const { grammar, tokGrammar, parse, PySyntaxError, setFastPath } = await import('../src/parser/parse.js');
  const tImport = performance.now() - t0;
  const t1 = performance.now();
  grammar();
  tokGrammar();
  const tRecipe = performance.now() - t1;

  const ohm = await import('ohm-js');
  const t2 = performance.now();
  ohm.grammar(readFileSync(join(root, 'grammar', 'python.ohm'), 'utf8'));
  const tOhm = performance.now() - t2;

  // generated 10,000-line program
  const big = generateProgram(10_000);
  const bigM = measure(6, () => parse(big, 'big.py'));
  const bigMs = bigM.wall;
  const bigCpu = bigM.cpu;

  // the corpus (files that are not syntax-error cases)
  const files = corpusFiles(join(root, 'tests', 'corpus'));
  const sources: string[] = [];
  let corpusLines = 0;
  for (const f of files) {
    const src = readFileSync(f, 'utf8');
    try {
      parse(src, f);
      sources.push(src);
      corpusLines += src.split('\n').length - (src.endsWith('\n') ? 1 : 0);
    } catch (e) {
      if (!(e instanceof PySyntaxError)) throw e;
    }
  }
  const corpusM = measure(6, () => { for (const src of sources) parse(src, 'c.py'); });
  const corpusMs = corpusM.wall;
  const corpusCpu = corpusM.cpu;

  // the same inputs through the reference path alone (what parse() did before the fast path)
  setFastPath(false);
  const bigRef = measure(3, () => parse(big, 'big.py'));
  const corpusRef = measure(3, () => { for (const src of sources) parse(src, 'c.py'); });
  setFastPath(true);

  // process start to AST for a 20-line file, in a fresh process
  const dir = mkdtempSync(join(tmpdir(), 'pymem-parse-'));
  const small = join(dir, 'small.py');
  writeFileSync(small, generateProgram(20));
  const probe = join(root, 'bench', '.parse_probe.ts');
  writeFileSync(probe, [
    `const t0 = performance.now();`,
    `const { parse, grammar, tokGrammar } = await import('../src/parser/parse.js');`,
    `const t1 = performance.now();`,
    `grammar();`,
    `tokGrammar();`,
    `const t2 = performance.now();`,
    `parse(require_fs().readFileSync(process.argv[2], 'utf8'), 'small.py');`,
    `const t3 = performance.now();`,
    `function require_fs() { return process.getBuiltinModule ? process.getBuiltinModule('fs') : globalThis.__fs; }`,
    `console.log(JSON.stringify({ sinceStart: t3, imports: t1 - t0, recipe: t2 - t1, parse: t3 - t2 }));`,
  ].join('\n'));
  const starts: { sinceStart: number; imports: number; recipe: number; parse: number; wall: number }[] = [];
  try {
    for (let r = 0; r < 3; r++) {
      const w = performance.now();
      const outp = execFileSync(process.execPath, ['--import', 'tsx', '--import', 'data:text/javascript,import fs from "node:fs"; globalThis.__fs = fs;', probe, small], { cwd: root, encoding: 'utf8' });
      const wall = performance.now() - w;
      starts.push({ ...JSON.parse(outp.trim().split('\n').pop()!), wall });
    }
  } finally {
    writeFileSync(probe, '');
    (await import('node:fs')).rmSync(probe);
  }
  const st = starts.sort((a, b) => a.wall - b.wall)[1];

  const f = (x: number) => x.toFixed(1);
  console.log(`parser benchmark (node ${process.version}, ${process.platform} ${process.arch})`);
  console.log(`  import parse.ts + ohm-js           ${f(tImport)} ms`);
  console.log(`  grammar load from recipes          ${f(tRecipe)} ms   (python.ohm + python_tok.ohm; goal <= 30 ms)`);
  console.log(`  grammar build from python.ohm      ${f(tOhm)} ms`);
  console.log(`  generated program, 10,000 lines    ${f(bigMs)} ms = ${f(bigMs / 10)} ms per 1,000 lines = ${Math.round(10_000 / (bigMs / 1000))} lines/s   (goal >= 10,000 lines/s)`);
  console.log(`      (CPU time ${f(bigCpu)} ms = ${Math.round(10_000 / (bigCpu / 1000))} lines per CPU-second, GC threads included)`);
  console.log(`  corpus, ${sources.length} files, ${corpusLines} lines     ${f(corpusMs)} ms = ${f(corpusMs / (corpusLines / 1000))} ms per 1,000 lines = ${Math.round(corpusLines / (corpusMs / 1000))} lines/s`);
  console.log(`      (CPU time ${f(corpusCpu)} ms = ${Math.round(corpusLines / (corpusCpu / 1000))} lines per CPU-second)`);
  console.log(`  reference path only (python.ohm), same run:`);
  console.log(`      generated program ${f(bigRef.wall)} ms = ${Math.round(10_000 / (bigRef.wall / 1000))} lines/s (CPU ${Math.round(10_000 / (bigRef.cpu / 1000))} lines/CPU-s); fast path is ${(bigRef.cpu / bigCpu).toFixed(1)}x in CPU time, ${(bigRef.wall / bigMs).toFixed(1)}x wall`);
  console.log(`      corpus            ${f(corpusRef.wall)} ms = ${Math.round(corpusLines / (corpusRef.wall / 1000))} lines/s (CPU ${Math.round(corpusLines / (corpusRef.cpu / 1000))} lines/CPU-s); fast path is ${(corpusRef.cpu / corpusCpu).toFixed(1)}x in CPU time, ${(corpusRef.wall / corpusMs).toFixed(1)}x wall`);
  console.log(`  load average during the run: ${(await import('node:os')).loadavg().map((x) => x.toFixed(1)).join(' ')} (${(await import('node:os')).cpus().length} CPUs)`);
  console.log(`  20-line file, fresh process: start-to-AST ${f(st.sinceStart)} ms (node+tsx start, imports ${f(st.imports)} ms, recipe ${f(st.recipe)} ms, parse ${f(st.parse)} ms); wall ${f(st.wall)} ms`);
}

if (process.argv[1]?.endsWith('parse.bench.ts')) await main();
