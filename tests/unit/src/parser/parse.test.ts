// parse(): modes, the corpus, the recipe, and the "only PySyntaxError" contract.
import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as ohm from 'ohm-js';
import { parse, PySyntaxError, formatSyntaxError } from '../../../../src/parser/parse.js';
import { dump } from '../../../../src/parser/dump.js';

const root = fileURLToPath(new URL('../../../../', import.meta.url));

function pyFiles(dir: string): string[] {
  const out: string[] = [];
  for (const n of readdirSync(dir)) {
    const p = join(dir, n);
    if (statSync(p).isDirectory()) out.push(...pyFiles(p));
    else if (n.endsWith('.py')) out.push(p);
  }
  return out.sort();
}

describe('corpus', () => {
  it('every program parses, except the syntax-error cases', () => {
    const failed: string[] = [];
    for (const f of pyFiles(join(root, 'tests', 'corpus'))) {
      const src = readFileSync(f, 'utf8');
      const errFile = f.replace(/\.py$/, '.err');
      let expectSyntax = false;
      try {
        const err = readFileSync(errFile, 'utf8');
        expectSyntax = !err.startsWith('Traceback') && /(SyntaxError|IndentationError|TabError): /.test(err);
      } catch { /* no .err */ }
      try {
        parse(src, f);
        if (expectSyntax) failed.push(`${f}: parsed, expected a SyntaxError`);
      } catch (e) {
        if (!(e instanceof PySyntaxError)) throw e;
        if (!expectSyntax) failed.push(`${f}: ${formatSyntaxError(e)}`);
      }
    }
    expect(failed).toEqual([]);
  });
});

describe('modes', () => {
  it('eval returns an Expression', () => {
    expect(dump(parse('1 + x', '<string>', 'eval'))).toBe(
      "Expression(body=BinOp(left=Constant(value=1, lineno=1, col_offset=0, end_lineno=1, end_col_offset=1), op=Add(), right=Name(id='x', ctx=Load(), lineno=1, col_offset=4, end_lineno=1, end_col_offset=5), lineno=1, col_offset=0, end_lineno=1, end_col_offset=5))");
  });
  it('eval rejects statements', () => {
    expect(() => parse('x = 1', '<string>', 'eval')).toThrow(PySyntaxError);
  });
  it('single returns Interactive and rejects two statements', () => {
    expect(parse('x = 1\n', '<stdin>', 'single')._type).toBe('Interactive');
    // CPython: compile('x = 1\ny = 2\n', '<stdin>', 'single')
    let e: unknown;
    try { parse('x = 1\ny = 2\n', '<stdin>', 'single'); } catch (x) { e = x; }
    expect(e).toBeInstanceOf(PySyntaxError);
    expect((e as PySyntaxError).msg).toBe('multiple statements found while compiling a single statement');
  });
  it('accepts CRLF, a BOM, no final newline, and an empty file', () => {
    expect(dump(parse('\ufeffx = 1\r\nif x:\r\n    y\r\n', 'a.py'))).toBe(dump(parse('x = 1\nif x:\n    y\n', 'a.py')));
    expect(dump(parse('x = 1', 'a.py'))).toBe(dump(parse('x = 1\n', 'a.py')));
    expect(dump(parse('', 'a.py'))).toBe('Module(body=[], type_ignores=[])');
    expect(dump(parse('# only a comment\n\n', 'a.py'))).toBe('Module(body=[], type_ignores=[])');
  });
});

describe('recipe', () => {
  it('python.recipe.json is up to date with grammar/python.ohm (npm run gen)', () => {
    const g = ohm.grammar(readFileSync(join(root, 'grammar', 'python.ohm'), 'utf8'));
    const fresh = JSON.parse((g as unknown as { toRecipe(): string }).toRecipe());
    const committed = JSON.parse(readFileSync(join(root, 'src', 'parser', 'python.recipe.json'), 'utf8'));
    expect(committed).toEqual(fresh);
  });
  it('python_tok.recipe.json is up to date with grammar/python_tok.ohm (npm run gen)', () => {
    const g = ohm.grammar(readFileSync(join(root, 'grammar', 'python_tok.ohm'), 'utf8'));
    const fresh = JSON.parse((g as unknown as { toRecipe(): string }).toRecipe());
    const committed = JSON.parse(readFileSync(join(root, 'src', 'parser', 'python_tok.recipe.json'), 'utf8'));
    expect(committed).toEqual(fresh);
  });
});
