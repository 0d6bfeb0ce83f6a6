// Symbol tables: which names are local, global (explicit/implicit), free or cell in each scope
// (≈ CPython 3.11 Python/symtable.c, rewritten).
//
// Pass 1 walks the AST and records, per block (module, class, function/lambda/comprehension),
// the flags of every name it mentions (DEF_LOCAL, DEF_PARAM, USE, DEF_GLOBAL, ...), in first-
// seen order. Pass 2 (analyze) resolves scopes top-down with the sets of names bound in
// enclosing functions: a name bound in an enclosing function and used here is FREE here and
// becomes a CELL there; class bodies do not make their names visible to nested functions,
// except the implicit `__class__` cell that `super()` / `__class__` in methods ask for.
// Only parameters go to `varnames` here; the compiler adds other locals in first-use order.

import type * as A from '../ast.js';

export const DEF_GLOBAL = 1, DEF_LOCAL = 2, DEF_PARAM = 4, DEF_NONLOCAL = 8, USE = 16,
  DEF_FREE = 32, DEF_FREE_CLASS = 64, DEF_IMPORT = 128, DEF_ANNOT = 256, DEF_COMP_ITER = 512;
export const DEF_BOUND = DEF_LOCAL | DEF_PARAM | DEF_IMPORT;

export const enum Scope { NONE = 0, LOCAL = 1, GLOBAL_EXPLICIT = 2, GLOBAL_IMPLICIT = 3, FREE = 4, CELL = 5 }

export type BlockType = 'module' | 'class' | 'function';

export class SymbolTableEntry {
  symbols = new Map<string, number>();
  scopes = new Map<string, Scope>();
  varnames: string[] = [];
  children: SymbolTableEntry[] = [];
  nested = false;
  generator = false;
  coroutine = false;
  varargs = false;
  varkeywords = false;
  needsClassClosure = false;
  comprehension = false;
  compIterTarget = false;
  compIterExpr = 0;
  free = false;
  childFree = false;
  constructor(readonly name: string, readonly type: BlockType, readonly node: object, readonly lineno: number) {}

  getScope(name: string): Scope {
    return this.scopes.get(name) ?? Scope.NONE;
  }
  getSymbol(name: string): number {
    return this.symbols.get(name) ?? 0;
  }
}

/** Name mangling of `__private` names inside a class (≈ compile.c _Py_Mangle). */
export function mangle(privateName: string | null, name: string): string {
  if (privateName === null || !name.startsWith('__')) return name;
  if (name.endsWith('__') || name.includes('.')) return name;
  const stripped = privateName.replace(/^_+/, '');
  if (stripped === '') return name;
  return '_' + stripped + name;
}

export class SymbolTable {
  readonly entries = new Map<object, SymbolTableEntry>();
  top!: SymbolTableEntry;
  private stack: SymbolTableEntry[] = [];
  private cur!: SymbolTableEntry;
  private privateName: string | null = null;

  static build(mod: A.mod): SymbolTable {
    const st = new SymbolTable();
    st.enter('top', 'module', mod, 0);
    st.top = st.cur;
    switch (mod._type) {
      case 'Module': case 'Interactive': for (const s of mod.body) st.visitStmt(s); break;
      case 'Expression': st.visitExpr(mod.body); break;
    }
    st.exit();
    analyzeBlock(st.top, null, new Set(), new Set());
    return st;
  }

  lookup(node: object): SymbolTableEntry {
    const e = this.entries.get(node);
    if (!e) throw new Error('symtable: no entry for node');
    return e;
  }

  private enter(name: string, type: BlockType, node: object, lineno: number): void {
    const prev = this.stack.length ? this.cur : null;
    const ste = new SymbolTableEntry(name, type, node, lineno);
    if (prev && (prev.nested || prev.type === 'function')) ste.nested = true;
    if (prev) prev.children.push(ste);
    this.entries.set(node, ste);
    this.stack.push(ste);
    this.cur = ste;
  }

  private exit(): void {
    this.stack.pop();
    if (this.stack.length) this.cur = this.stack[this.stack.length - 1]!;
  }

  private addDef(name: string, flag: number, ste: SymbolTableEntry = this.cur): void {
    const mangled = mangle(this.privateName, name);
    let val = ste.symbols.get(mangled) ?? 0;
    if ((flag & DEF_PARAM) && (val & DEF_PARAM)) throw new SyntaxError(`duplicate argument '${name}' in function definition`);
    val |= flag;
    if (ste.compIterTarget) {
      if (val & (DEF_GLOBAL | DEF_NONLOCAL)) throw new SyntaxError(`comprehension inner loop cannot rebind assignment expression target '${name}'`);
      val |= DEF_COMP_ITER;
    }
    ste.symbols.set(mangled, val);
    if (flag & DEF_PARAM) ste.varnames.push(mangled);
    else if (flag & DEF_GLOBAL) {
      // A global declaration anywhere marks the name global in the module too.
      const top = this.stack[0]!;
      top.symbols.set(mangled, (top.symbols.get(mangled) ?? 0) | flag);
    }
  }

  private visitStmts(b: A.stmt[]): void { for (const s of b) this.visitStmt(s); }
  private visitExprs(b: (A.expr | null)[]): void { for (const e of b) if (e) this.visitExpr(e); }

  private visitArgAnnotations(args: A.arguments, returns: A.expr | null): void {
    for (const a of [...args.posonlyargs, ...args.args]) if (a.annotation) this.visitExpr(a.annotation);
    if (args.vararg?.annotation) this.visitExpr(args.vararg.annotation);
    if (args.kwarg?.annotation) this.visitExpr(args.kwarg.annotation);
    for (const a of args.kwonlyargs) if (a.annotation) this.visitExpr(a.annotation);
    if (returns) this.visitExpr(returns);
  }

  private visitParams(args: A.arguments): void {
    for (const a of args.posonlyargs) this.addDef(a.arg, DEF_PARAM);
    for (const a of args.args) this.addDef(a.arg, DEF_PARAM);
    for (const a of args.kwonlyargs) this.addDef(a.arg, DEF_PARAM);
    if (args.vararg) { this.addDef(args.vararg.arg, DEF_PARAM); this.cur.varargs = true; }
    if (args.kwarg) { this.addDef(args.kwarg.arg, DEF_PARAM); this.cur.varkeywords = true; }
  }

  visitStmt(s: A.stmt): void {
    switch (s._type) {
      case 'FunctionDef':
        this.addDef(s.name, DEF_LOCAL);
        this.visitExprs(s.args.defaults);
        this.visitExprs(s.args.kw_defaults);
        this.visitArgAnnotations(s.args, s.returns);
        this.visitExprs(s.decorator_list);
        this.enter(s.name, 'function', s, s.lineno);
        this.visitParams(s.args);
        this.visitStmts(s.body);
        this.exit();
        break;
      case 'ClassDef': {
        this.addDef(s.name, DEF_LOCAL);
        this.visitExprs(s.bases);
        for (const k of s.keywords) this.visitExpr(k.value);
        this.visitExprs(s.decorator_list);
        this.enter(s.name, 'class', s, s.lineno);
        const tmp = this.privateName;
        this.privateName = s.name;
        this.visitStmts(s.body);
        this.privateName = tmp;
        this.exit();
        break;
      }
      case 'Return': if (s.value) this.visitExpr(s.value); break;
      case 'Delete': this.visitExprs(s.targets); break;
      case 'Assign': this.visitExprs(s.targets); this.visitExpr(s.value); break;
      case 'AnnAssign':
        if (s.target._type === 'Name') {
          const cur = this.cur.getSymbol(mangle(this.privateName, s.target.id));
          if ((cur & (DEF_GLOBAL | DEF_NONLOCAL)) && this.cur.type !== 'module' && s.simple) {
            throw new SyntaxError(`annotated name '${s.target.id}' can't be ${cur & DEF_GLOBAL ? 'global' : 'nonlocal'}`);
          }
          if (s.simple) this.addDef(s.target.id, DEF_ANNOT | DEF_LOCAL);
          else if (s.value) this.addDef(s.target.id, DEF_LOCAL);
        } else {
          this.visitExpr(s.target);
        }
        this.visitExpr(s.annotation);
        if (s.value) this.visitExpr(s.value);
        break;
      case 'AugAssign': this.visitExpr(s.target); this.visitExpr(s.value); break;
      case 'For': this.visitExpr(s.target); this.visitExpr(s.iter); this.visitStmts(s.body); this.visitStmts(s.orelse); break;
      case 'While': case 'If': this.visitExpr(s.test); this.visitStmts(s.body); this.visitStmts(s.orelse); break;
      case 'With':
        for (const it of s.items) { this.visitExpr(it.context_expr); if (it.optional_vars) this.visitExpr(it.optional_vars); }
        this.visitStmts(s.body);
        break;
      case 'Raise': if (s.exc) { this.visitExpr(s.exc); if (s.cause) this.visitExpr(s.cause); } break;
      case 'Try':
        this.visitStmts(s.body);
        this.visitStmts(s.orelse);
        for (const h of s.handlers) {
          if (h.type) this.visitExpr(h.type);
          if (h.name) this.addDef(h.name, DEF_LOCAL);
          this.visitStmts(h.body);
        }
        this.visitStmts(s.finalbody);
        break;
      case 'Assert': this.visitExpr(s.test); if (s.msg) this.visitExpr(s.msg); break;
      case 'Import': case 'ImportFrom':
        for (const a of s.names) {
          const name = a.asname ?? a.name;
          const dot = name.indexOf('.');
          const store = dot >= 0 ? name.slice(0, dot) : name;
          if (store !== '*') this.addDef(store, DEF_IMPORT);
          else if (this.cur.type !== 'module') throw new SyntaxError('import * only allowed at module level');
        }
        break;
      case 'Global':
        for (const n of s.names) this.addDef(n, DEF_GLOBAL);
        break;
      case 'Nonlocal':
        for (const n of s.names) this.addDef(n, DEF_NONLOCAL);
        break;
      case 'Expr': this.visitExpr(s.value); break;
      case 'Pass': case 'Break': case 'Continue': break;
      default: throw new Error(`symtable: unsupported statement ${(s as A.stmt)._type}`);
    }
  }

  visitExpr(e: A.expr): void {
    switch (e._type) {
      case 'NamedExpr':
        if (this.cur.compIterExpr > 0) throw new SyntaxError('assignment expression cannot be used in a comprehension iterable expression');
        if (this.cur.comprehension) this.extendNamedExprScope(e.target as A.Name);
        this.visitExpr(e.value);
        this.visitExpr(e.target);
        break;
      case 'BoolOp': this.visitExprs(e.values); break;
      case 'BinOp': this.visitExpr(e.left); this.visitExpr(e.right); break;
      case 'UnaryOp': this.visitExpr(e.operand); break;
      case 'Lambda':
        this.visitExprs(e.args.defaults);
        this.visitExprs(e.args.kw_defaults);
        this.enter('lambda', 'function', e, e.lineno);
        this.visitParams(e.args);
        this.visitExpr(e.body);
        this.exit();
        break;
      case 'IfExp': this.visitExpr(e.test); this.visitExpr(e.body); this.visitExpr(e.orelse); break;
      case 'Dict': this.visitExprs(e.keys); this.visitExprs(e.values); break;
      case 'Set': this.visitExprs(e.elts); break;
      case 'GeneratorExp': this.comprehension(e, 'genexpr', e.generators, e.elt, null); break;
      case 'ListComp': this.comprehension(e, 'listcomp', e.generators, e.elt, null); break;
      case 'SetComp': this.comprehension(e, 'setcomp', e.generators, e.elt, null); break;
      case 'DictComp': this.comprehension(e, 'dictcomp', e.generators, e.key, e.value); break;
      case 'Yield':
        if (e.value) this.visitExpr(e.value);
        this.cur.generator = true;
        break;
      case 'YieldFrom':
        this.visitExpr(e.value);
        this.cur.generator = true;
        break;
      case 'Compare': this.visitExpr(e.left); this.visitExprs(e.comparators); break;
      case 'Call':
        this.visitExpr(e.func);
        this.visitExprs(e.args);
        for (const k of e.keywords) this.visitExpr(k.value);
        break;
      case 'FormattedValue': this.visitExpr(e.value); if (e.format_spec) this.visitExpr(e.format_spec); break;
      case 'JoinedStr': this.visitExprs(e.values); break;
      case 'Constant': break;
      case 'Attribute': this.visitExpr(e.value); break;
      case 'Subscript': this.visitExpr(e.value); this.visitExpr(e.slice); break;
      case 'Starred': this.visitExpr(e.value); break;
      case 'Slice':
        if (e.lower) this.visitExpr(e.lower);
        if (e.upper) this.visitExpr(e.upper);
        if (e.step) this.visitExpr(e.step);
        break;
      case 'Name':
        this.addDef(e.id, e.ctx === 'Load' ? USE : DEF_LOCAL);
        if (e.ctx === 'Load' && this.cur.type === 'function' && e.id === 'super') this.addDef('__class__', USE);
        break;
      case 'List': case 'Tuple': this.visitExprs(e.elts); break;
      default: throw new Error(`symtable: unsupported expression ${(e as A.expr)._type}`);
    }
  }

  private extendNamedExprScope(target: A.Name): void {
    const name = target.id;
    for (let i = this.stack.length - 1; i >= 0; i--) {
      const ste = this.stack[i]!;
      if (ste.comprehension) {
        if (ste.getSymbol(name) & DEF_COMP_ITER) {
          throw new SyntaxError(`assignment expression cannot rebind comprehension iteration variable '${name}'`);
        }
        continue;
      }
      if (ste.type === 'function') {
        if (ste.getSymbol(name) & DEF_GLOBAL) this.addDef(name, DEF_GLOBAL);
        else this.addDef(name, DEF_NONLOCAL);
        this.addDef(name, DEF_LOCAL, ste);
        return;
      }
      if (ste.type === 'module') {
        this.addDef(name, DEF_GLOBAL);
        this.addDef(name, DEF_GLOBAL, ste);
        return;
      }
      throw new SyntaxError('assignment expression within a comprehension cannot be used in a class body');
    }
  }

  private comprehension(e: A.expr, name: string, gens: A.comprehension[], elt: A.expr, value: A.expr | null): void {
    const outer = gens[0]!;
    this.cur.compIterExpr++;
    this.visitExpr(outer.iter);
    this.cur.compIterExpr--;
    this.enter(name, 'function', e, e.lineno);
    const ste = this.cur;
    ste.comprehension = true;
    this.addDef('.0', DEF_PARAM);
    ste.compIterTarget = true;
    this.visitExpr(outer.target);
    ste.compIterTarget = false;
    this.visitExprs(outer.ifs);
    for (let i = 1; i < gens.length; i++) {
      const g = gens[i]!;
      ste.compIterTarget = true;
      this.visitExpr(g.target);
      ste.compIterTarget = false;
      ste.compIterExpr++;
      this.visitExpr(g.iter);
      ste.compIterExpr--;
      this.visitExprs(g.ifs);
    }
    if (value) this.visitExpr(value);
    this.visitExpr(elt);
    ste.generator = e._type === 'GeneratorExp';
    this.exit();
  }
}

function analyzeName(ste: SymbolTableEntry, name: string, flags: number, bound: Set<string> | null,
  local: Set<string>, free: Set<string>, global: Set<string>): void {
  if (flags & DEF_GLOBAL) {
    if (flags & DEF_NONLOCAL) throw new SyntaxError(`name '${name}' is nonlocal and global`);
    ste.scopes.set(name, Scope.GLOBAL_EXPLICIT);
    global.add(name);
    if (bound) bound.delete(name);
    return;
  }
  if (flags & DEF_NONLOCAL) {
    if (!bound) throw new SyntaxError('nonlocal declaration not allowed at module level');
    if (!bound.has(name)) throw new SyntaxError(`no binding for nonlocal '${name}' found`);
    ste.scopes.set(name, Scope.FREE);
    ste.free = true;
    free.add(name);
    return;
  }
  if (flags & DEF_BOUND) {
    ste.scopes.set(name, Scope.LOCAL);
    local.add(name);
    global.delete(name);
    return;
  }
  if (bound && bound.has(name)) {
    ste.scopes.set(name, Scope.FREE);
    ste.free = true;
    free.add(name);
    return;
  }
  if (global.has(name)) {
    ste.scopes.set(name, Scope.GLOBAL_IMPLICIT);
    return;
  }
  if (ste.nested) ste.free = true;
  ste.scopes.set(name, Scope.GLOBAL_IMPLICIT);
}

function analyzeBlock(ste: SymbolTableEntry, bound: Set<string> | null, free: Set<string>, global: Set<string>): void {
  const local = new Set<string>();
  const newglobal = new Set<string>();
  const newfree = new Set<string>();
  const newbound = new Set<string>();
  if (ste.type === 'class') {
    for (const n of global) newglobal.add(n);
    if (bound) for (const n of bound) newbound.add(n);
  }
  for (const [name, flags] of ste.symbols) analyzeName(ste, name, flags, bound, local, free, global);
  if (ste.type !== 'class') {
    if (ste.type === 'function') for (const n of local) newbound.add(n);
    if (bound) for (const n of bound) newbound.add(n);
    for (const n of global) newglobal.add(n);
  } else {
    newbound.add('__class__');
  }
  const allfree = new Set<string>();
  for (const child of ste.children) {
    const tb = new Set(newbound), tf = new Set(newfree), tg = new Set(newglobal);
    analyzeBlock(child, tb, tf, tg);
    for (const n of tf) allfree.add(n);
    if (child.free || child.childFree) ste.childFree = true;
  }
  for (const n of allfree) newfree.add(n);
  if (ste.type === 'function') {
    for (const [name, scope] of ste.scopes) {
      if (scope !== Scope.LOCAL || !newfree.has(name)) continue;
      ste.scopes.set(name, Scope.CELL);
      newfree.delete(name);
    }
  } else if (ste.type === 'class') {
    if (newfree.delete('__class__')) ste.needsClassClosure = true;
  }
  // update_symbols: free names of children that this block doesn't define pass through it.
  for (const name of newfree) {
    const v = ste.symbols.get(name);
    if (v !== undefined) {
      if (ste.type === 'class' && (v & (DEF_BOUND | DEF_GLOBAL))) ste.symbols.set(name, v | DEF_FREE_CLASS);
      continue;
    }
    if (bound && !bound.has(name)) continue;
    ste.symbols.set(name, 0);
    ste.scopes.set(name, Scope.FREE);
  }
  for (const n of newfree) free.add(n);
}
