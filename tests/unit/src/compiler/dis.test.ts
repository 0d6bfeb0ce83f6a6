// disassemble() against the text of `python3 -m dis snippet.py` (addresses masked).

import { describe, it, expect } from 'vitest';
import { compile } from '../../../../src/compiler/compile.js';
import { disassemble } from '../../../../src/compiler/dis.js';
import { astFromJson } from './ast_json.js';
import { loadFixtures } from './fixtures.js';

const { filename, snippets } = loadFixtures();

describe('disassemble() matches python3 -m dis', () => {
  for (const s of snippets) {
    if (s.dis === undefined) continue;
    it(s.name, () => {
      const { code } = compile(astFromJson(s.ast), filename, 'exec');
      expect(disassemble(code, () => '0xADDR')).toBe(s.dis);
    });
  }
});
