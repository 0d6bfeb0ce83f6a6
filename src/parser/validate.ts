// The SyntaxErrors CPython 3.11 raises after parsing, from its symbol table (Python/symtable.c)
// and its compiler (Python/compile.c), so that the compiler here can assume a valid tree.
//
// Pass 1, the symbol-table checks, in source order: 'yield' outside function (or inside a
// comprehension), duplicate argument, global/nonlocal declarations that conflict with an
// earlier use, assignment or parameter, nonlocal at module level; then, once every scope is
// known, "no binding for nonlocal" and "nonlocal and global" (CPython's analysis phase).
// Pass 2, the compiler checks, in source order: 'return' outside function, 'break'/'continue'
// outside a loop, misplaced starred expressions, repeated keyword arguments.
// Symbol-table errors win over compiler errors, as in CPython (the symtable is built first).
import type {
  Module, Expression, Interactive, stmt, expr, Pos, arguments as Arguments, comprehension,
} from '../ast.js';
import { PySyntaxError } from './syntax_error.js';
import { normalizeSource } from './layout.js';

type Tree = Module | Expression | Interactive;

class Err {
  private lines: string[];
  constructor(readonly filename: string, source: string) {
    this.lines = normalizeSource(source).split('\n');
  }
  at(msg: string, p: Pos): PySyntaxError {
    const text = (this.lines[p.lineno - 1] ?? '') + '\n';
    const text2 = (this.lines[p.end_lineno - 1] ?? '') + '\n';
    return new PySyntaxError('SyntaxError', msg, this.filename, p.lineno, charsOfBytes(text, p.col_offset) + 1,
      p.end_lineno, charsOfBytes(text2, p.end_col_offset) + 1, text);
  }
}

function charsOfBytes(s: string, bytes: number): number {
  let b = 0, n = 0;
  for (let i = 0; i < s.length && b < bytes; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) b += 1;
    else if (c < 0x800) b += 2;
    else if (c >= 0xd800 && c <= 0xdbff) { b += 4; i++; }
    else b += 3;
    n++;
  }
  return n;
}

// ------------------------------------------------------------------ pass 1: symbol table

const DEF_PARAM = 1, DEF_LOCAL = 2, USE = 4, DEF_ANNOT = 8, DEF_GLOBAL = 16, DEF_NONLOCAL = 32;

interface Scope {
  kind: 'module' | 'function' | 'class' | 'comprehension';
  compKind?: string;
  parent: Scope | null;
  flags: Map<string, number>;
  /** first global/nonlocal statement per name */
  declPos: Map<string, Pos>;
  nonlocals: { name: string; pos: Pos }[];
}

function newScope(kind: Scope['kind'], parent: Scope | null, compKind?: string): Scope {
  return { kind, compKind, parent, flags: new Map(), declPos: new Map(), nonlocals: [] };
}

class Symtable {
  scopes: Scope[] = [];
  cur: Scope;
  constructor(private E: Err) {
    this.cur = newScope('module', null);
    this.scopes.push(this.cur);
  }
  add(name: string, flag: number): void {
    this.cur.flags.set(name, (this.cur.flags.get(name) ?? 0) | flag);
  }
  push(kind: Scope['kind'], compKind?: string): Scope {
    const s = newScope(kind, this.cur, compKind);
    this.scopes.push(s);
    this.cur = s;
    return s;
  }
  pop(): void {
    this.cur = this.cur.parent!;
  }

  stmts(b: stmt[]): void {
    for (const s of b) this.stmt(s);
  }
  stmt(s: stmt): void {
    switch (s._type) {
      case 'FunctionDef':
        this.add(s.name, DEF_LOCAL);
        this.defaults(s.args);
        this.exprs(s.decorator_list);
        this.annotations(s.args);
        if (s.returns) this.expr(s.returns);
        this.push('function');
        this.params(s.args);
        this.stmts(s.body);
        this.pop();
        break;
      case 'ClassDef':
        this.add(s.name, DEF_LOCAL);
        this.exprs(s.bases);
        for (const k of s.keywords) this.expr(k.value);
        this.exprs(s.decorator_list);
        this.push('class');
        this.stmts(s.body);
        this.pop();
        break;
      case 'Return': if (s.value) this.expr(s.value); break;
      case 'Delete': this.exprs(s.targets); break;
      case 'Assign': this.exprs(s.targets); this.expr(s.value); break;
      case 'AugAssign': this.expr(s.target); this.expr(s.value); break;
      case 'AnnAssign':
        if (s.target._type === 'Name') {
          const cur = this.cur.flags.get(s.target.id) ?? 0;
          if (cur & (DEF_GLOBAL | DEF_NONLOCAL) && s.simple) {
            throw this.E.at(`annotated name '${s.target.id}' can't be ${cur & DEF_GLOBAL ? 'global' : 'nonlocal'}`, s);
          }
          this.add(s.target.id, s.simple ? DEF_ANNOT | DEF_LOCAL : DEF_LOCAL);
        } else this.expr(s.target);
        this.expr(s.annotation);
        if (s.value) this.expr(s.value);
        break;
      case 'For': this.expr(s.target); this.expr(s.iter); this.stmts(s.body); this.stmts(s.orelse); break;
      case 'While': case 'If': this.expr(s.test); this.stmts(s.body); this.stmts(s.orelse); break;
      case 'With':
        for (const it of s.items) {
          this.expr(it.context_expr);
          if (it.optional_vars) this.expr(it.optional_vars);
        }
        this.stmts(s.body);
        break;
      case 'Raise': if (s.exc) this.expr(s.exc); if (s.cause) this.expr(s.cause); break;
      case 'Try':
        this.stmts(s.body);
        for (const h of s.handlers) {
          if (h.type) this.expr(h.type);
          if (h.name) this.add(h.name, DEF_LOCAL);
          this.stmts(h.body);
        }
        this.stmts(s.orelse);
        this.stmts(s.finalbody);
        break;
      case 'Assert': this.expr(s.test); if (s.msg) this.expr(s.msg); break;
      case 'Import': case 'ImportFrom':
        for (const a of s.names) {
          if (a.name === '*') continue;
          const n = a.asname ?? a.name.split('.')[0];
          this.add(n, DEF_LOCAL);
        }
        break;
      case 'Global':
        for (const name of s.names) {
          const cur = this.cur.flags.get(name) ?? 0;
          if (cur & (DEF_PARAM | DEF_LOCAL | USE | DEF_ANNOT)) {
            let msg: string;
            if (cur & DEF_PARAM) msg = `name '${name}' is parameter and global`;
            else if (cur & USE) msg = `name '${name}' is used prior to global declaration`;
            else if (cur & DEF_ANNOT) msg = `annotated name '${name}' can't be global`;
            else msg = `name '${name}' is assigned to before global declaration`;
            throw this.E.at(msg, s);
          }
          this.add(name, DEF_GLOBAL);
          if (!this.cur.declPos.has(name)) this.cur.declPos.set(name, s);
        }
        break;
      case 'Nonlocal':
        for (const name of s.names) {
          const cur = this.cur.flags.get(name) ?? 0;
          if (cur & (DEF_PARAM | DEF_LOCAL | USE | DEF_ANNOT)) {
            let msg: string;
            if (cur & DEF_PARAM) msg = `name '${name}' is parameter and nonlocal`;
            else if (cur & USE) msg = `name '${name}' is used prior to nonlocal declaration`;
            else if (cur & DEF_ANNOT) msg = `annotated name '${name}' can't be nonlocal`;
            else msg = `name '${name}' is assigned to before nonlocal declaration`;
            throw this.E.at(msg, s);
          }
          if (this.cur.kind === 'module') throw this.E.at('nonlocal declaration not allowed at module level', s);
          this.add(name, DEF_NONLOCAL);
          if (!this.cur.declPos.has(name)) this.cur.declPos.set(name, s);
          this.cur.nonlocals.push({ name, pos: s });
        }
        break;
      case 'Expr': this.expr(s.value); break;
      default: break;
    }
  }
  defaults(a: Arguments): void {
    this.exprs(a.defaults);
    for (const d of a.kw_defaults) if (d) this.expr(d);
  }
  annotations(a: Arguments): void {
    for (const x of [...a.posonlyargs, ...a.args, ...(a.vararg ? [a.vararg] : []), ...a.kwonlyargs, ...(a.kwarg ? [a.kwarg] : [])]) {
      if (x.annotation) this.expr(x.annotation);
    }
  }
  params(a: Arguments): void {
    const all = [...a.posonlyargs, ...a.args, ...(a.vararg ? [a.vararg] : []), ...a.kwonlyargs, ...(a.kwarg ? [a.kwarg] : [])];
    for (const x of all) {
      if ((this.cur.flags.get(x.arg) ?? 0) & DEF_PARAM) {
        throw this.E.at(`duplicate argument '${x.arg}' in function definition`, x);
      }
      this.add(x.arg, DEF_PARAM);
    }
  }
  exprs(es: (expr | null)[]): void {
    for (const e of es) if (e) this.expr(e);
  }
  comp(kind: string, generators: comprehension[], elts: expr[]): void {
    // the first iterable is evaluated in the enclosing scope
    this.expr(generators[0].iter);
    this.push('comprehension', kind);
    generators.forEach((g, i) => {
      this.expr(g.target);
      if (i > 0) this.expr(g.iter);
      this.exprs(g.ifs);
    });
    this.exprs(elts);
    this.pop();
  }
  expr(e: expr): void {
    switch (e._type) {
      case 'Name':
        this.add(e.id, e.ctx === 'Load' ? USE : DEF_LOCAL);
        break;
      case 'BoolOp': this.exprs(e.values); break;
      case 'NamedExpr': this.expr(e.value); this.namedTarget(e); break;
      case 'BinOp': this.expr(e.left); this.expr(e.right); break;
      case 'UnaryOp': this.expr(e.operand); break;
      case 'Lambda':
        this.defaults(e.args);
        this.push('function');
        this.params(e.args);
        this.expr(e.body);
        this.pop();
        break;
      case 'IfExp': this.expr(e.test); this.expr(e.body); this.expr(e.orelse); break;
      case 'Dict': this.exprs(e.keys); this.exprs(e.values); break;
      case 'Set': this.exprs(e.elts); break;
      case 'ListComp': this.comp('list comprehension', e.generators, [e.elt]); break;
      case 'SetComp': this.comp('set comprehension', e.generators, [e.elt]); break;
      case 'DictComp': this.comp('dict comprehension', e.generators, [e.key, e.value]); break;
      case 'GeneratorExp': this.comp('generator expression', e.generators, [e.elt]); break;
      case 'Yield': case 'YieldFrom': {
        if (e._type === 'Yield' ? e.value : e.value) this.expr(e.value!);
        const k = this.cur.kind;
        if (k === 'comprehension') throw this.E.at(`'yield' inside ${this.cur.compKind}`, e);
        if (k !== 'function') throw this.E.at("'yield' outside function", e);
        break;
      }
      case 'Compare': this.expr(e.left); this.exprs(e.comparators); break;
      case 'Call': this.expr(e.func); this.exprs(e.args); for (const k of e.keywords) this.expr(k.value); break;
      case 'FormattedValue': this.expr(e.value); if (e.format_spec) this.expr(e.format_spec); break;
      case 'JoinedStr': this.exprs(e.values); break;
      case 'Attribute': this.expr(e.value); break;
      case 'Subscript': this.expr(e.value); this.expr(e.slice); break;
      case 'Starred': this.expr(e.value); break;
      case 'List': case 'Tuple': this.exprs(e.elts); break;
      case 'Slice':
        if (e.lower) this.expr(e.lower);
        if (e.upper) this.expr(e.upper);
        if (e.step) this.expr(e.step);
        break;
      default: break;
    }
  }
  namedTarget(e: expr & { _type: 'NamedExpr' }): void {
    // a walrus in a comprehension binds in the enclosing function-like scope
    const t = e.target as expr & { _type: 'Name' };
    let s: Scope = this.cur;
    while (s.kind === 'comprehension' && s.parent) s = s.parent;
    s.flags.set(t.id, (s.flags.get(t.id) ?? 0) | DEF_LOCAL);
  }

  /** ≈ analyze(): nonlocal bindings, global/nonlocal conflicts. */
  analyze(): void {
    for (const s of this.scopes) {
      for (const [name, f] of s.flags) {
        if (f & DEF_GLOBAL && f & DEF_NONLOCAL) throw this.E.at(`name '${name}' is nonlocal and global`, s.declPos.get(name)!);
      }
      for (const nl of s.nonlocals) {
        let p = s.parent;
        let found = false;
        while (p && p.kind !== 'module') {
          if (p.kind === 'function') {
            const f = p.flags.get(nl.name) ?? 0;
            if (f & DEF_GLOBAL) break;
            if (f & (DEF_PARAM | DEF_LOCAL | DEF_NONLOCAL)) { found = true; break; }
          }
          p = p.parent;
        }
        if (!found) throw this.E.at(`no binding for nonlocal '${nl.name}' found`, nl.pos);
      }
    }
  }
}

// ------------------------------------------------------------------ pass 2: compiler checks

class Compiler {
  constructor(private E: Err) {}
  fnDepth = 0;
  loopDepth = 0;

  stmts(b: stmt[]): void {
    for (const s of b) this.stmt(s);
  }
  stmt(s: stmt): void {
    switch (s._type) {
      case 'FunctionDef': {
        this.exprs(s.decorator_list);
        this.args(s.args);
        if (s.returns) this.expr(s.returns);
        const saved = this.loopDepth;
        this.fnDepth++;
        this.loopDepth = 0;
        this.stmts(s.body);
        this.fnDepth--;
        this.loopDepth = saved;
        break;
      }
      case 'ClassDef': {
        this.exprs(s.decorator_list);
        this.elts(s.bases);
        this.keywords(s.keywords);
        const savedF = this.fnDepth, savedL = this.loopDepth;
        this.fnDepth = 0;
        this.loopDepth = 0;
        this.stmts(s.body);
        this.fnDepth = savedF;
        this.loopDepth = savedL;
        break;
      }
      case 'Return':
        if (this.fnDepth === 0) throw this.E.at("'return' outside function", s);
        if (s.value) this.expr(s.value);
        break;
      case 'Delete': this.exprs(s.targets); break;
      case 'Assign':
        for (const t of s.targets) this.target(t);
        this.expr(s.value);
        break;
      case 'AugAssign': this.expr(s.target); this.expr(s.value); break;
      case 'AnnAssign': this.expr(s.target); this.expr(s.annotation); if (s.value) this.expr(s.value); break;
      case 'For':
        this.target(s.target);
        this.expr(s.iter);
        this.loop(s.body);
        this.stmts(s.orelse);
        break;
      case 'While':
        this.expr(s.test);
        this.loop(s.body);
        this.stmts(s.orelse);
        break;
      case 'If': this.expr(s.test); this.stmts(s.body); this.stmts(s.orelse); break;
      case 'With':
        for (const it of s.items) {
          this.expr(it.context_expr);
          if (it.optional_vars) this.target(it.optional_vars);
        }
        this.stmts(s.body);
        break;
      case 'Raise': if (s.exc) this.expr(s.exc); if (s.cause) this.expr(s.cause); break;
      case 'Try':
        this.stmts(s.body);
        for (const h of s.handlers) {
          if (h.type) this.expr(h.type);
          this.stmts(h.body);
        }
        this.stmts(s.orelse);
        this.stmts(s.finalbody);
        break;
      case 'Assert': this.expr(s.test); if (s.msg) this.expr(s.msg); break;
      case 'Expr': this.expr(s.value); break;
      case 'Break':
        if (this.loopDepth === 0) throw this.E.at("'break' outside loop", s);
        break;
      case 'Continue':
        if (this.loopDepth === 0) throw this.E.at("'continue' not properly in loop", s);
        break;
      default: break;
    }
  }
  loop(body: stmt[]): void {
    this.loopDepth++;
    this.stmts(body);
    this.loopDepth--;
  }
  args(a: Arguments): void {
    this.exprs(a.defaults);
    for (const d of a.kw_defaults) if (d) this.expr(d);
  }
  keywords(ks: { arg: string | null; value: expr; lineno: number; col_offset: number; end_lineno: number; end_col_offset: number }[]): void {
    const seen = new Set<string>();
    for (const k of ks) {
      if (k.arg !== null) {
        if (seen.has(k.arg)) throw this.E.at(`keyword argument repeated: ${k.arg}`, k);
        seen.add(k.arg);
      }
    }
    for (const k of ks) this.expr(k.value);
  }
  /** An assignment target: starred only inside a list/tuple, at most one per level. */
  target(t: expr): void {
    if (t._type === 'Starred') throw this.E.at('starred assignment target must be in a list or tuple', t);
    this.storeExpr(t);
  }
  storeExpr(t: expr): void {
    if (t._type === 'List' || t._type === 'Tuple') {
      let seen = false;
      for (const x of t.elts) {
        if (x._type === 'Starred') {
          if (seen) throw this.E.at('multiple starred expressions in assignment', x);
          seen = true;
          this.storeExpr(x.value);
        } else this.storeExpr(x);
      }
      return;
    }
    this.expr(t);
  }
  exprs(es: (expr | null)[]): void {
    for (const e of es) if (e) this.expr(e);
  }
  /** Elements of a display/call, where a starred item is allowed. */
  elts(es: expr[]): void {
    for (const e of es) {
      if (e._type === 'Starred') this.expr(e.value);
      else this.expr(e);
    }
  }
  expr(e: expr): void {
    switch (e._type) {
      case 'Starred':
        throw this.E.at("can't use starred expression here", e);
      case 'BoolOp': this.exprs(e.values); break;
      case 'NamedExpr': this.expr(e.value); break;
      case 'BinOp': this.expr(e.left); this.expr(e.right); break;
      case 'UnaryOp': this.expr(e.operand); break;
      case 'Lambda': {
        this.args(e.args);
        const saved = this.loopDepth;
        this.fnDepth++;
        this.loopDepth = 0;
        this.expr(e.body);
        this.fnDepth--;
        this.loopDepth = saved;
        break;
      }
      case 'IfExp': this.expr(e.test); this.expr(e.body); this.expr(e.orelse); break;
      case 'Dict': this.exprs(e.keys); this.exprs(e.values); break;
      case 'Set': this.elts(e.elts); break;
      case 'ListComp': case 'SetComp': case 'GeneratorExp':
        this.comps(e.generators);
        this.expr(e.elt);
        break;
      case 'DictComp': this.comps(e.generators); this.expr(e.key); this.expr(e.value); break;
      case 'Yield': if (e.value) this.expr(e.value); break;
      case 'YieldFrom': this.expr(e.value); break;
      case 'Compare': this.expr(e.left); this.exprs(e.comparators); break;
      case 'Call':
        this.expr(e.func);
        this.elts(e.args);
        this.keywords(e.keywords);
        break;
      case 'FormattedValue': this.expr(e.value); if (e.format_spec) this.expr(e.format_spec); break;
      case 'JoinedStr': this.exprs(e.values); break;
      case 'Attribute': this.expr(e.value); break;
      case 'Subscript': this.expr(e.value); this.expr(e.slice); break;
      case 'List': case 'Tuple':
        if (e.ctx === 'Load') this.elts(e.elts);
        else this.storeExpr(e);
        break;
      case 'Slice':
        if (e.lower) this.expr(e.lower);
        if (e.upper) this.expr(e.upper);
        if (e.step) this.expr(e.step);
        break;
      default: break;
    }
  }
  comps(gs: comprehension[]): void {
    for (const g of gs) {
      this.storeExpr(g.target);
      this.expr(g.iter);
      this.exprs(g.ifs);
    }
  }
}

/** Raise the first compile-time SyntaxError CPython 3.11 would raise for this tree. */
export function validate(tree: Tree, filename: string, source: string): void {
  const E = new Err(filename, source);
  const st = new Symtable(E);
  if (tree._type === 'Expression') st.expr(tree.body);
  else st.stmts(tree.body);
  st.analyze();
  const c = new Compiler(E);
  if (tree._type === 'Expression') c.expr(tree.body);
  else c.stmts(tree.body);
}
