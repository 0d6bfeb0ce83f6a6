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

const fx = loadFixtures();

describe("compile() in 'eval' and 'single' modes", () => {
  for (const s of fx.modes) {
    it(s.name, () => {
      const { code } = compile(astFromJson(s.ast), fx.filename, s.mode);
      expect(normalizeSets(new Walker().code(code))).toEqual(normalizeSets(s.code));
    });
  }
});

describe('arenaConstants: the parser arena reference measured with python3', () => {
  // For `NAME = <constant>` at module level, find the constant bound to NAME (LOAD_CONST k;
  // STORE_NAME n) and check that it is listed in arenaConstants exactly when running the
  // script as __main__ showed one more reference than exec(compile(...)).
  for (const a of fx.arena) {
    it(a.name, () => {
      const { code, arenaConstants } = compile(astFromJson(a.ast), fx.filename, 'exec');
      const bc = code.co_code;
      a.probes.forEach((name, k) => {
        let found: unknown = undefined;
        for (let i = 0; i + 2 < bc.length; i += 2) {
          if (bc[i] === 100 && bc[i + 2] === 90 && code.co_names[bc[i + 3]!] === name) found = code.co_consts[bc[i + 1]!];
        }
        expect(found, `constant bound to ${name}`).toBeDefined();
        expect(arenaConstants.filter((c) => c === found).length, name).toBe(a.delta[k]);
      });
    });
  }
});
