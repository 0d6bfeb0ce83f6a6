// The conformance harness's engine: runs every program of tests/corpus (a copy of
// ../shared/corpus) in-process and compares with CPython 3.11's recorded output, as the corpus
// README says: stdout byte for byte; in errors/ also stderr and the exit status; elsewhere the
// exit status must be 0. Programs not yet expected to pass are listed in
// tests/known_failures.txt (`area/name.py  reason`); they still run, and a known failure that
// starts passing fails the run so the list only shrinks.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

export const CORPUS = path.join(path.dirname(fileURLToPath(import.meta.url)), 'corpus');

export interface CorpusCase {
  area: string;
  name: string;
  rel: string;
  source: string;
  expectedOut: Buffer;
  expectedErr: Buffer | null;
  expectedCode: number;
}

export function loadCorpus(): CorpusCase[] {
  const cases: CorpusCase[] = [];
  for (const area of fs.readdirSync(CORPUS).sort()) {
    const dir = path.join(CORPUS, area);
    if (!fs.statSync(dir).isDirectory()) continue;
    for (const f of fs.readdirSync(dir).sort()) {
      if (!f.endsWith('.py')) continue;
      const name = f.slice(0, -3);
      const base = path.join(dir, name);
      const errFile = base + '.err';
      const codeFile = base + '.code';
      cases.push({
        area,
        name,
        rel: `${area}/${f}`,
        source: fs.readFileSync(base + '.py', 'utf8'),
        expectedOut: fs.readFileSync(base + '.out'),
        expectedErr: fs.existsSync(errFile) ? fs.readFileSync(errFile) : null,
        expectedCode: fs.existsSync(codeFile) ? Number(fs.readFileSync(codeFile, 'utf8').trim()) : 0,
      });
    }
  }
  return cases;
}

/** known_failures.txt: `area/name.py  reason` per line; `#` comments. */
export function loadKnownFailures(): Map<string, string> {
  const file = path.join(path.dirname(CORPUS), 'known_failures.txt');
  const m = new Map<string, string>();
  if (!fs.existsSync(file)) return m;
  for (const raw of fs.readFileSync(file, 'utf8').split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const sp = line.search(/\s/);
    const key = sp < 0 ? line : line.slice(0, sp);
    const reason = sp < 0 ? '' : line.slice(sp).trim();
    m.set(key, reason);
  }
  return m;
}

export interface Outcome {
  stdout: Buffer;
  stderr: Buffer;
  exitCode: number;
  leaked: number;
  internalError: string | null;
}

/** A program that runs longer than this (wall time) is stopped and fails. */
const DEADLINE_MS = 60_000;

type RunModule = typeof import('../src/run.js');
type LifeModule = typeof import('../runtime/pylifecycle.js');

/** Run one corpus program in this process (the runtime modules are loaded once per worker). */
export function runCase(run: RunModule, life: LifeModule, c: CorpusCase): Outcome {
  const out: Uint8Array[] = [];
  const err: Uint8Array[] = [];
  let exitCode = -1;
  let internalError: string | null = null;
  life.setDeadline(Date.now() + DEADLINE_MS);
  try {
    exitCode = run.runProgram({
      argv: [c.rel],
      source: c.source,
      filename: c.rel,
      stdout: (b) => out.push(b.slice()),
      stderr: (b) => err.push(b.slice()),
      stdin: () => null,
    }).exitCode;
  } catch (e) {
    internalError = e instanceof Error ? `${e.name}: ${e.message}\n${e.stack ?? ''}` : String(e);
    life.resetAfterInternalError();
  }
  life.setDeadline(0);
  return {
    stdout: Buffer.concat(out),
    stderr: Buffer.concat(err),
    exitCode,
    leaked: life.leakedBlocks(),
    internalError,
  };
}

/** A description of what differs, or null when the program passes. */
export function compare(c: CorpusCase, o: Outcome): string | null {
  if (o.internalError !== null) return `internal error: ${o.internalError.split('\n').slice(0, 6).join('\n')}`;
  const problems: string[] = [];
  if (!o.stdout.equals(c.expectedOut)) problems.push(`stdout differs:\n${diff(c.expectedOut.toString(), o.stdout.toString())}`);
  if (c.expectedErr !== null) {
    if (!o.stderr.equals(c.expectedErr)) problems.push(`stderr differs:\n${diff(c.expectedErr.toString(), o.stderr.toString())}`);
  }
  if (o.exitCode !== c.expectedCode) problems.push(`exit status ${o.exitCode}, expected ${c.expectedCode}${c.expectedErr === null && o.stderr.length ? `\nstderr:\n${o.stderr.toString().slice(0, 2000)}` : ''}`);
  return problems.length ? problems.join('\n') : null;
}

function diff(expected: string, actual: string): string {
  const e = expected.split('\n');
  const a = actual.split('\n');
  const lines: string[] = [];
  const n = Math.max(e.length, a.length);
  for (let i = 0; i < n && lines.length < 12; i++) {
    if (e[i] !== a[i]) lines.push(`  line ${i + 1}: expected ${JSON.stringify(e[i] ?? '<none>')}\n           actual   ${JSON.stringify(a[i] ?? '<none>')}`);
  }
  return lines.join('\n');
}
