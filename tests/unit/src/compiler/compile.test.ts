// Our compiler against CPython 3.11.7, byte for byte, on every fixture snippet: every code
// object's co_code, co_linetable, co_exceptiontable, co_consts (values and identities, i.e.
// merging), co_names, varnames/cellvars/freevars, flags, counts, stacksize, names.

import { describe, it, expect } from 'vitest';
import { compile } from '../../../../src/compiler/compile.js';
import { astFromJson } from './ast_json.js';
import { loadFixtures, Walker, normalizeSets } from './fixtures.js';

const { filename, snippets } = loadFixtures();

describe('compile() matches CPython 3.11 code objects', () => {
  for (const s of snippets) {
    it(s.name, () => {
      const mod = astFromJson(s.ast);
      const { code } = compile(mod, filename, 'exec');
      const ours = normalizeSets(new Walker().code(code));
      expect(ours).toEqual(normalizeSets(s.code));
    });
  }
});
