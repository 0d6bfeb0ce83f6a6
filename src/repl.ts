// The interactive prompt (≈ Python/pythonrun.c PyRun_InteractiveLoop + Lib/codeop.py's notion
// of an incomplete statement): `>>> ` for a new statement, `... ` while one is incomplete;
// expression statements echo their value (compiled in 'single' mode: PRINT_EXPR); an
// exception prints its traceback and the loop goes on; EOF (Ctrl-D) exits with status 0.

import * as readline from 'node:readline';
import { parse } from './parser/parse.js';
import { PySyntaxError, formatSyntaxError } from './parser/syntax_error.js';
import { compile } from './compiler/compile.js';
import { loadCode } from './compiler/load.js';
import { Py_DECREF } from '../runtime/object.js';
import { NULL } from '../runtime/mem/heap.js';
import * as life from '../runtime/pylifecycle.js';

const enc = new TextEncoder();

interface ReplOptions {
  stdout: (b: Uint8Array) => void;
  stderr: (b: Uint8Array) => void;
  malloc?: string;
  showRefcount?: boolean;
  mallocStats?: boolean;
}

/** Messages that mean "the statement goes on": keep reading with the `... ` prompt. */
function isIncomplete(e: PySyntaxError, source: string): boolean {
  const m = e.msg;
  if (/was never closed|unexpected EOF|unterminated triple-quoted/.test(m)) return true;
  if (/^expected an indented block/.test(m) && e.lineno >= source.split('\n').length - 1) return true;
  return false;
}

export async function runRepl(opts: ReplOptions): Promise<number> {
  life.Py_Initialize({ argv: [''], stdout: opts.stdout, stderr: opts.stderr, stdin: () => null, malloc: opts.malloc });
  const main = life.newMainModule(null);
  if (main === NULL) throw new Error('cannot create __main__');
  life.installDisplayHook();
  const rl = readline.createInterface({ input: process.stdin, output: process.stdout, terminal: process.stdin.isTTY === true, prompt: '>>> ' });
  let buffer = '';
  let continuing = false;
  let exitCode = 0;
  const prompt = (p: string): void => {
    life.flushStdout();
    rl.setPrompt(p);
    rl.prompt();
  };
  const runStatement = (source: string): boolean => {
    let tree;
    try {
      tree = parse(source, '<stdin>', 'single');
    } catch (e) {
      if (e instanceof PySyntaxError) {
        opts.stderr(enc.encode(formatSyntaxError(e)));
        return true;
      }
      throw e;
    }
    life.registerSource('<stdin>', source);
    const r = compile(tree, '<stdin>', 'single');
    const loaded = loadCode(r.code, r.arenaConstants);
    if (loaded === null) {
      life.handleUncaught();
      return true;
    }
    const status = life.runInMain(loaded.code, main);
    Py_DECREF(loaded.code);
    if (status !== null) {
      exitCode = status;
      return false;
    }
    return true;
  };
  return await new Promise<number>((resolve) => {
    rl.on('line', (line: string) => {
      if (continuing) {
        if (line.trim() === '') {
          continuing = false;
          const src = buffer;
          buffer = '';
          if (!runStatement(src)) {
            rl.close();
            return;
          }
          prompt('>>> ');
          return;
        }
        buffer += line + '\n';
        prompt('... ');
        return;
      }
      buffer = line + '\n';
      if (line.trim() === '') {
        buffer = '';
        prompt('>>> ');
        return;
      }
      try {
        parse(buffer, '<stdin>', 'single');
        if (/:\s*(#.*)?$/.test(line)) {
          continuing = true;
          prompt('... ');
          return;
        }
      } catch (e) {
        if (e instanceof PySyntaxError && isIncomplete(e, buffer)) {
          continuing = true;
          prompt('... ');
          return;
        }
      }
      const src = buffer;
      buffer = '';
      if (!runStatement(src)) {
        rl.close();
        return;
      }
      prompt('>>> ');
    });
    rl.on('close', () => {
      life.flushStdout();
      const stats = life.Py_Finalize({ showRefcount: opts.showRefcount === true, mallocStats: opts.mallocStats === true });
      if (stats !== null) opts.stderr(enc.encode(stats));
      if (process.stdin.isTTY) process.stdout.write('\n');
      resolve(exitCode);
    });
    prompt('>>> ');
  });
}
