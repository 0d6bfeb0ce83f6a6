// compile(): AST -> CodeUnit tree, CPython 3.11's way: copy + constant-fold the tree
// (fold.ts), build the symbol table (symtable.ts), generate and assemble code
// (codegen.ts, assemble.ts).
//
// arenaConstants — the rule, derived with python3 (tests/fixtures: sys.getrefcount runs):
//   `x = 257; y = 257` -> getrefcount(x) == 5 (x, y, co_consts, +1, argument); three `1000`
//   literals -> still +1; `t = (1, 2)` folded -> +1; `[1000, 2000, 3000]` (a tuple made by the
//   compiler for BUILD_LIST/LIST_EXTEND) -> +0; `x in {1000, 2000}` (frozensets are rebuilt
//   by the constant merger) -> +0; `l = [5000, 6000, 7000]; t = (5000, 6000, 7000)` -> t +0
//   (the compiler's tuple came first and became the canonical one), in the other order +1.
//   So: the parser arena holds one reference to the object of every literal occurrence and
//   every folded constant, but only ONE of those objects can be the canonical merged
//   constant; a canonical constant gets exactly +1 if it is such a parser/optimizer object,
//   and +0 if the compiler made it (display tuples, frozensets, KW_NAMES and const-key
//   tuples, co_consts/co_names tuples, code objects). The other occurrences' objects are
//   distinct objects that nothing else references. `arenaConstants` lists each canonical
//   arena constant once. Names (identifiers) are left out: their counts depend on CPython
//   internals. str caveat: CPython interns all-name-char str constants when the code object
//   is created; if an equal interned str already exists (a name, a builtin identifier), the
//   constant is replaced by that one and the arena's reference stays on the discarded object.

import type * as A from '../ast.js';
import type { CodeUnit, Const } from './code.js';
import { cloneAst, foldModule } from './fold.js';
import { SymbolTable } from './symtable.js';
import { Compiler } from './codegen.js';

export interface CompileResult {
  code: CodeUnit;
  /** Canonical constants that carry the parser arena's extra reference (see above). */
  arenaConstants: Const[];
}

export function compile(mod: A.Module | A.Expression | A.Interactive, filename: string, mode: 'exec' | 'eval' | 'single'): CompileResult {
  const want = mode === 'exec' ? 'Module' : mode === 'eval' ? 'Expression' : 'Interactive';
  if (mod._type !== want) throw new Error(`compile: mode '${mode}' needs a ${want} node, got ${mod._type}`);
  const tree = cloneAst(mod);
  foldModule(tree);
  const st = SymbolTable.build(tree);
  const c = new Compiler(st, filename);
  const code = c.compileMod(tree);
  const arenaConstants: Const[] = [];
  const seen = new Set<Const>();
  const walk = (x: Const) => {
    if (seen.has(x)) return;
    seen.add(x);
    if ((x as { arena?: boolean }).arena) arenaConstants.push(x);
    if (x.kind === 'tuple' || x.kind === 'frozenset') x.items.forEach(walk);
    else if (x.kind === 'code') x.co_consts.forEach(walk);
  };
  walk(code);
  return { code, arenaConstants };
}
