// The AST (node types, fields, positions) equals CPython 3.11's, snippet by snippet:
// tests/fixtures/ast_fixtures.json holds python3's ast.dump(..., include_attributes=True)
// (regenerate with `python3 tests/fixtures/gen_ast_fixtures.py`).
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
// ast.parse() does not run the compiler's checks, so neither does parseNoValidate()
import { parseNoValidate as parse } from '../../../../src/parser/parse.js';
import { dump } from '../../../../src/parser/dump.js';

interface Fixtures {
  python: string;
  snippets: { src: string; dump: string }[];
  corpus: { file: string; dump: string }[];
}
const root = new URL('../../../../', import.meta.url);
const fx = JSON.parse(readFileSync(new URL('tests/fixtures/ast_fixtures.json', root), 'utf8')) as Fixtures;

describe('AST equals CPython ast.dump(include_attributes=True)', () => {
  it('has at least 300 snippets from CPython 3.11', () => {
    expect(fx.python.startsWith('3.11')).toBe(true);
    expect(fx.snippets.length).toBeGreaterThanOrEqual(300);
  });
  for (const [i, c] of fx.snippets.entries()) {
    it(`snippet ${i}: ${JSON.stringify(c.src.length > 60 ? c.src.slice(0, 60) + '…' : c.src)}`, () => {
      expect(dump(parse(c.src, 'snippet.py'))).toBe(c.dump);
    });
  }
  for (const c of fx.corpus) {
    it(`corpus ${c.file}`, () => {
      const src = readFileSync(new URL(c.file, root), 'utf8');
      expect(dump(parse(src, c.file))).toBe(c.dump);
    });
  }
});
