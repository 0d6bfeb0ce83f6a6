// AST -> basic blocks of instructions (≈ CPython 3.11 Python/compile.c, the code generator
// half, rewritten). One visitor; every construct emits exactly the instruction sequence,
// pseudo-instructions (SETUP_FINALLY/SETUP_CLEANUP/SETUP_WITH/POP_BLOCK, virtual JUMP and
// POP_JUMP_IF_*) and source locations that 3.11's compiler emits, because the flow-graph
// optimizer and assembler (assemble.ts) must see the same graph to produce the same bytes.
//
// Locations: each unit keeps a current location (lineno, col, end_lineno, end_col) set from
// the statement / expression being compiled; "artificial" instructions get lineno -1 and
// inherit a location later (propagate_line_numbers).
//
// Constants are merged across the whole compilation through one cache keyed by constKey
// (≈ merge_consts_recursive), so equal constants are one object in every code object.

import type * as A from '../ast.js';
import * as O from '../../runtime/vm/opcode.js';
import {
  type Const, type CodeUnit, type ConstTuple, type ConstStr, NONE, constKey, mkStr,
} from './code.js';
import { SymbolTable, SymbolTableEntry, Scope, mangle, DEF_IMPORT } from './symtable.js';
import { type FoldedConstant, getDocString, frozensetOf } from './fold.js';
import { assemble } from './assemble.js';

// Pseudo-instructions (never in the final code).
export const SETUP_FINALLY = -1, SETUP_CLEANUP = -2, SETUP_WITH = -3, POP_BLOCK = -4, JUMP = -5,
  JUMP_NO_INTERRUPT = -6, POP_JUMP_IF_FALSE = -7, POP_JUMP_IF_TRUE = -8, POP_JUMP_IF_NONE = -9,
  POP_JUMP_IF_NOT_NONE = -10;

export interface Instr {
  op: number;
  arg: number;
  target: Block | null;
  except: Block | null;
  lineno: number;
  endLineno: number;
  col: number;
  endCol: number;
}

export class Block {
  instrs: Instr[] = [];
  next: Block | null = null;
  exceptStack: Block[] | null = null;
  predecessors = 0;
  startdepth = -(2 ** 31);
  offset = 0;
  nofallthrough = false;
  preserveLasti = false;
  visited = false;
  exit = false;
  ret = false;
}

export function isVirtualJump(op: number): boolean {
  return op === JUMP || op === JUMP_NO_INTERRUPT || op === POP_JUMP_IF_NONE || op === POP_JUMP_IF_NOT_NONE ||
    op === POP_JUMP_IF_FALSE || op === POP_JUMP_IF_TRUE;
}
export function isJump(i: Instr): boolean {
  return isVirtualJump(i.op) || O.HAS_JREL_FORWARD.has(i.op) || O.HAS_JREL_BACKWARD.has(i.op);
}
export function isBlockPush(i: Instr): boolean {
  return i.op === SETUP_FINALLY || i.op === SETUP_WITH || i.op === SETUP_CLEANUP;
}

export const enum ScopeType { MODULE, CLASS, FUNCTION, LAMBDA, COMPREHENSION }

const enum FB { WHILE_LOOP, FOR_LOOP, TRY_EXCEPT, FINALLY_TRY, FINALLY_END, WITH, HANDLER_CLEANUP, POP_VALUE, EXCEPTION_HANDLER }

interface FBlock {
  type: FB;
  block: Block | null;
  exit: Block | null;
  datum: unknown;
}

const STACK_USE_GUIDELINE = 30;

export class Unit {
  consts = new Map<string, number>();
  constList: Const[] = [];
  names = new Map<string, number>();
  varnames = new Map<string, number>();
  cellvars = new Map<string, number>();
  freevars = new Map<string, number>();
  privateName: string | null = null;
  argcount = 0;
  posonlyargcount = 0;
  kwonlyargcount = 0;
  blocks: Block[] = [];
  curblock!: Block;
  fblocks: FBlock[] = [];
  lineno: number;
  col = 0;
  endLineno: number;
  endCol = 0;
  needNewImplicitBlock = false;
  qualname: string | null = null;
  constructor(readonly ste: SymbolTableEntry, readonly name: string, readonly scopeType: ScopeType, public firstlineno: number) {
    this.lineno = firstlineno;
    this.endLineno = firstlineno;
  }
}

type Loc = [number, number, number, number];

export class Compiler {
  readonly constCache = new Map<string, Const>();
  private stack: Unit[] = [];
  u!: Unit;
  private interactive = false;
  private nestlevel = 0;

  constructor(readonly st: SymbolTable, readonly filename: string) {}

  // ---- constants -------------------------------------------------------------------------

  /** ≈ merge_consts_recursive: the canonical object for `o`. */
  mergeConst(o: Const): Const {
    if (o.kind === 'None' || o.kind === 'Ellipsis') return o;
    const key = constKey(o);
    const t = this.constCache.get(key);
    if (t) return t;
    this.constCache.set(key, o);
    if (o.kind === 'tuple') {
      for (let i = 0; i < o.items.length; i++) {
        const u = this.mergeConst(o.items[i]!);
        if (u !== o.items[i]) o.items[i] = u;
      }
    } else if (o.kind === 'frozenset') {
      if (o.items.length === 0) return o;
      const fresh: Const = { kind: 'frozenset', items: o.items.map((x) => this.mergeConst(x)) };
      this.constCache.set(key, fresh);
      return fresh;
    }
    return o;
  }

  /** ≈ merge_const_one: register a compiler-made object (names tuple, consts tuple...). */
  mergeConstOne<T extends Const>(o: T): T {
    const key = constKey(o);
    const t = this.constCache.get(key);
    if (t) return t as T;
    this.constCache.set(key, o);
    return o;
  }

  addConst(o: Const): number {
    const canon = this.mergeConst(o);
    const key = constKey(canon);
    let idx = this.u.consts.get(key);
    if (idx === undefined) {
      idx = this.u.consts.size;
      this.u.consts.set(key, idx);
      this.u.constList.push(canon);
    }
    return idx;
  }

  private static addO(dict: Map<string, number>, name: string): number {
    let v = dict.get(name);
    if (v === undefined) {
      v = dict.size;
      dict.set(name, v);
    }
    return v;
  }

  // ---- instructions ----------------------------------------------------------------------

  newBlock(): Block {
    const b = new Block();
    this.u.blocks.push(b);
    return b;
  }

  useNextBlock(b: Block): Block {
    this.u.curblock.next = b;
    this.u.curblock = b;
    this.u.needNewImplicitBlock = false;
    return b;
  }

  private addInstr(op: number, arg: number, target: Block | null, loc: Loc): void {
    const u = this.u;
    if (u.needNewImplicitBlock) this.useNextBlock(this.newBlock());
    const b = u.curblock;
    const i: Instr = { op, arg, target, except: null, lineno: loc[0], endLineno: loc[1], col: loc[2], endCol: loc[3] };
    b.instrs.push(i);
    if (op === O.RETURN_VALUE) b.ret = true;
    if (isJump(i) || op === O.RETURN_VALUE || op === O.RAISE_VARARGS || op === O.RERAISE) u.needNewImplicitBlock = true;
  }

  private loc(): Loc {
    const u = this.u;
    return [u.lineno, u.endLineno, u.col, u.endCol];
  }

  addop(op: number, arg = 0): void {
    this.addInstr(op, arg, null, this.loc());
  }
  addopNoline(op: number, arg = 0): void {
    this.addInstr(op, arg, null, [-1, 0, 0, 0]);
  }
  addopJ(op: number, target: Block): void {
    this.addInstr(op, 0, target, this.loc());
  }
  addopJNoline(op: number, target: Block): void {
    this.addInstr(op, 0, target, [-1, 0, 0, 0]);
  }
  loadConst(o: Const): void {
    this.addop(O.LOAD_CONST, this.addConst(o));
  }
  addopName(op: number, name: string): void {
    this.addop(op, Compiler.addO(this.u.names, mangle(this.u.privateName, name)));
  }

  setLoc(n: A.Pos): void {
    const u = this.u;
    u.lineno = n.lineno; u.col = n.col_offset; u.endLineno = n.end_lineno; u.endCol = n.end_col_offset;
  }
  unsetLoc(): void {
    const u = this.u;
    u.lineno = -1; u.col = -1; u.endLineno = -1; u.endCol = -1;
  }
  private saveLoc(): Loc { return this.loc(); }
  private restoreLoc(l: Loc): void {
    const u = this.u;
    [u.lineno, u.endLineno, u.col, u.endCol] = l;
  }

  // ---- scopes ----------------------------------------------------------------------------

  enterScope(name: string, scopeType: ScopeType, key: object, lineno: number): void {
    const ste = this.st.lookup(key);
    const u = new Unit(ste, name, scopeType, lineno);
    ste.varnames.forEach((v, i) => u.varnames.set(v, i));
    const sortedNames = [...ste.symbols.keys()].sort(cmpStr);
    for (const n of sortedNames) if (ste.getScope(n) === Scope.CELL) u.cellvars.set(n, u.cellvars.size);
    if (ste.needsClassClosure) u.cellvars.set('__class__', 0);
    let off = u.cellvars.size;
    for (const n of sortedNames) {
      if (ste.getScope(n) === Scope.FREE || (ste.getSymbol(n) & 64 /* DEF_FREE_CLASS */)) u.freevars.set(n, off++);
    }
    if (this.u) {
      this.stack.push(this.u);
      u.privateName = this.u.privateName;
    }
    this.u = u;
    this.nestlevel++;
    const block = this.newBlock();
    u.curblock = block;
    if (scopeType === ScopeType.MODULE) u.lineno = 0;
    else this.setQualname();
    this.addop(O.RESUME, 0);
    if (scopeType === ScopeType.MODULE) u.lineno = -1;
  }

  exitScope(): void {
    this.nestlevel--;
    const p = this.stack.pop();
    this.u = p as Unit;
  }

  private setQualname(): void {
    const u = this.u;
    let base: string | null = null;
    if (this.stack.length > 1) {
      const parent = this.stack[this.stack.length - 1]!;
      let forceGlobal = false;
      if (u.scopeType === ScopeType.FUNCTION || u.scopeType === ScopeType.CLASS) {
        const m = mangle(parent.privateName, u.name);
        if (parent.ste.getScope(m) === Scope.GLOBAL_EXPLICIT) forceGlobal = true;
      }
      if (!forceGlobal) {
        if (parent.scopeType === ScopeType.FUNCTION || parent.scopeType === ScopeType.LAMBDA) base = parent.qualname + '.<locals>';
        else base = parent.qualname;
      }
    }
    u.qualname = base !== null ? base + '.' + u.name : u.name;
  }

  // ---- frame blocks ----------------------------------------------------------------------

  private pushFblock(type: FB, block: Block | null, exit: Block | null, datum: unknown): void {
    if (this.u.fblocks.length >= 20) throw new SyntaxError('too many statically nested blocks');
    this.u.fblocks.push({ type, block, exit, datum });
  }
  private popFblock(): void {
    this.u.fblocks.pop();
  }

  private callExitWithNones(): void {
    this.loadConst(NONE); this.loadConst(NONE); this.loadConst(NONE);
    this.addop(O.PRECALL, 2);
    this.addop(O.CALL, 2);
  }

  private addYieldFrom(isAwait: boolean): void {
    const start = this.newBlock(), resume = this.newBlock(), exit = this.newBlock();
    this.useNextBlock(start);
    this.addopJ(O.SEND, exit);
    this.useNextBlock(resume);
    this.addop(O.YIELD_VALUE);
    this.addop(O.RESUME, isAwait ? 3 : 2);
    this.addopJ(JUMP_NO_INTERRUPT, start);
    this.useNextBlock(exit);
  }

  private popExceptAndReraise(): void {
    this.addop(O.COPY, 3);
    this.addop(O.POP_EXCEPT);
    this.addop(O.RERAISE, 1);
  }

  private unwindFblock(info: FBlock, preserveTos: boolean): void {
    switch (info.type) {
      case FB.WHILE_LOOP: case FB.EXCEPTION_HANDLER: return;
      case FB.FOR_LOOP:
        if (preserveTos) this.addop(O.SWAP, 2);
        this.addop(O.POP_TOP);
        return;
      case FB.TRY_EXCEPT:
        this.addop(POP_BLOCK);
        return;
      case FB.FINALLY_TRY:
        this.addop(POP_BLOCK);
        if (preserveTos) this.pushFblock(FB.POP_VALUE, null, null, null);
        this.visitStmts(info.datum as A.stmt[]);
        if (preserveTos) this.popFblock();
        this.unsetLoc();
        return;
      case FB.FINALLY_END:
        if (preserveTos) this.addop(O.SWAP, 2);
        this.addop(O.POP_TOP);
        if (preserveTos) this.addop(O.SWAP, 2);
        this.addop(POP_BLOCK);
        this.addop(O.POP_EXCEPT);
        return;
      case FB.WITH:
        this.setLoc(info.datum as A.stmt);
        this.addop(POP_BLOCK);
        if (preserveTos) this.addop(O.SWAP, 2);
        this.callExitWithNones();
        this.addop(O.POP_TOP);
        this.unsetLoc();
        return;
      case FB.HANDLER_CLEANUP:
        if (info.datum) this.addop(POP_BLOCK);
        if (preserveTos) this.addop(O.SWAP, 2);
        this.addop(POP_BLOCK);
        this.addop(O.POP_EXCEPT);
        if (info.datum) {
          this.loadConst(NONE);
          this.nameop(info.datum as string, 'Store');
          this.nameop(info.datum as string, 'Del');
        }
        return;
      case FB.POP_VALUE:
        if (preserveTos) this.addop(O.SWAP, 2);
        this.addop(O.POP_TOP);
        return;
    }
  }

  /** Unwind the frame-block stack; stops at the first loop when `wantLoop`. */
  private unwindFblockStack(preserveTos: boolean, wantLoop: boolean): FBlock | null {
    const u = this.u;
    if (u.fblocks.length === 0) return null;
    const top = u.fblocks[u.fblocks.length - 1]!;
    if (wantLoop && (top.type === FB.WHILE_LOOP || top.type === FB.FOR_LOOP)) return top;
    u.fblocks.pop();
    this.unwindFblock(top, preserveTos);
    const r = this.unwindFblockStack(preserveTos, wantLoop);
    u.fblocks.push(top);
    return r;
  }

  // ---- module / bodies -------------------------------------------------------------------

  compileMod(mod: A.mod): CodeUnit {
    this.enterScope('<module>', ScopeType.MODULE, mod, 1);
    this.u.lineno = 1;
    let addNone = true;
    switch (mod._type) {
      case 'Module': this.body(mod.body); break;
      case 'Interactive':
        if (findAnn(mod.body)) this.addop(O.SETUP_ANNOTATIONS);
        this.interactive = true;
        this.visitStmts(mod.body);
        break;
      case 'Expression':
        this.visitExpr(mod.body);
        addNone = false;
        break;
    }
    const co = assemble(this, addNone);
    this.exitScope();
    return co;
  }

  private body(stmts: A.stmt[]): void {
    let i = 0;
    if (this.u.scopeType === ScopeType.MODULE && stmts.length) this.setLoc(stmts[0]!);
    if (findAnn(stmts)) this.addop(O.SETUP_ANNOTATIONS);
    if (!stmts.length) return;
    const doc = getDocString(stmts);
    if (doc) {
      i = 1;
      this.visitExpr((stmts[0] as A.Expr).value);
      this.unsetLoc();
      this.nameop('__doc__', 'Store');
    }
    for (; i < stmts.length; i++) this.visitStmt(stmts[i]!);
  }

  visitStmts(stmts: A.stmt[]): void {
    for (const s of stmts) this.visitStmt(s);
  }

  // ---- names -----------------------------------------------------------------------------

  private getRefType(name: string): Scope {
    if (this.u.scopeType === ScopeType.CLASS && name === '__class__') return Scope.CELL;
    const s = this.u.ste.getScope(name);
    if (s === Scope.NONE) throw new Error(`compiler: unknown scope for name ${name} in ${this.u.name}`);
    return s;
  }

  nameop(name: string, ctx: A.expr_context): void {
    const u = this.u;
    const m = mangle(u.privateName, name);
    const scope = u.ste.getScope(m);
    let dict = u.names;
    let optype: 'fast' | 'global' | 'deref' | 'name' = 'name';
    switch (scope) {
      case Scope.FREE: dict = u.freevars; optype = 'deref'; break;
      case Scope.CELL: dict = u.cellvars; optype = 'deref'; break;
      case Scope.LOCAL: if (u.ste.type === 'function') optype = 'fast'; break;
      case Scope.GLOBAL_IMPLICIT: if (u.ste.type === 'function') optype = 'global'; break;
      case Scope.GLOBAL_EXPLICIT: optype = 'global'; break;
      default: break;
    }
    let op: number;
    switch (optype) {
      case 'deref':
        op = ctx === 'Load' ? (u.ste.type === 'class' ? O.LOAD_CLASSDEREF : O.LOAD_DEREF)
          : ctx === 'Store' ? O.STORE_DEREF : O.DELETE_DEREF;
        break;
      case 'fast':
        op = ctx === 'Load' ? O.LOAD_FAST : ctx === 'Store' ? O.STORE_FAST : O.DELETE_FAST;
        this.addop(op, Compiler.addO(u.varnames, m));
        return;
      case 'global':
        op = ctx === 'Load' ? O.LOAD_GLOBAL : ctx === 'Store' ? O.STORE_GLOBAL : O.DELETE_GLOBAL;
        break;
      default:
        op = ctx === 'Load' ? O.LOAD_NAME : ctx === 'Store' ? O.STORE_NAME : O.DELETE_NAME;
    }
    let arg = Compiler.addO(dict, m);
    if (op === O.LOAD_GLOBAL) arg <<= 1;
    this.addop(op, arg);
  }

  // ---- functions and classes -------------------------------------------------------------

  private makeClosure(co: CodeUnit, flags: number): void {
    if (co.co_freevars.length) {
      for (const name of co.co_freevars) {
        const reftype = this.getRefType(name);
        const arg = reftype === Scope.CELL ? this.u.cellvars.get(name) : this.u.freevars.get(name);
        if (arg === undefined) throw new Error(`compiler: closure lookup failed for ${name}`);
        this.addop(O.LOAD_CLOSURE, arg);
      }
      flags |= 0x08;
      this.addop(O.BUILD_TUPLE, co.co_freevars.length);
    }
    this.loadConst(co);
    this.addop(O.MAKE_FUNCTION, flags);
  }

  private applyDecorators(decos: A.expr[]): void {
    const saved = this.saveLoc();
    for (let i = decos.length - 1; i >= 0; i--) {
      this.setLoc(decos[i]!);
      this.addop(O.PRECALL, 0);
      this.addop(O.CALL, 0);
    }
    this.restoreLoc(saved);
  }

  private kwonlyDefaults(args: A.arguments): boolean {
    const keys: Const[] = [];
    args.kwonlyargs.forEach((a, i) => {
      const d = args.kw_defaults[i];
      if (d) {
        keys.push(mkStr(mangle(this.u.privateName, a.arg)));
        this.visitExpr(d);
      }
    });
    if (keys.length) {
      this.loadConst({ kind: 'tuple', items: keys });
      this.addop(O.BUILD_CONST_KEY_MAP, keys.length);
      return true;
    }
    return false;
  }

  private argAnnotation(id: string, ann: A.expr | null, count: { n: number }): void {
    if (!ann) return;
    this.loadConst(mkStr(mangle(this.u.privateName, id)));
    if (ann._type === 'Starred') {
      this.visitExpr(ann.value);
      this.addop(O.UNPACK_SEQUENCE, 1);
    } else {
      this.visitExpr(ann);
    }
    count.n += 2;
  }

  private annotations(args: A.arguments, returns: A.expr | null): boolean {
    const count = { n: 0 };
    for (const a of args.args) this.argAnnotation(a.arg, a.annotation, count);
    for (const a of args.posonlyargs) this.argAnnotation(a.arg, a.annotation, count);
    if (args.vararg?.annotation) this.argAnnotation(args.vararg.arg, args.vararg.annotation, count);
    for (const a of args.kwonlyargs) this.argAnnotation(a.arg, a.annotation, count);
    if (args.kwarg?.annotation) this.argAnnotation(args.kwarg.arg, args.kwarg.annotation, count);
    this.argAnnotation('return', returns, count);
    if (count.n) {
      this.addop(O.BUILD_TUPLE, count.n);
      return true;
    }
    return false;
  }

  private defaultArguments(args: A.arguments): number {
    let flags = 0;
    if (args.defaults.length > 0) {
      for (const d of args.defaults) this.visitExpr(d);
      this.addop(O.BUILD_TUPLE, args.defaults.length);
      flags |= 0x01;
    }
    if (args.kwonlyargs.length && this.kwonlyDefaults(args)) flags |= 0x02;
    return flags;
  }

  private functionDef(s: A.FunctionDef): void {
    for (const d of s.decorator_list) this.visitExpr(d);
    const firstlineno = s.decorator_list.length ? s.decorator_list[0]!.lineno : s.lineno;
    let flags = this.defaultArguments(s.args);
    if (this.annotations(s.args, s.returns)) flags |= 0x04;
    this.enterScope(s.name, ScopeType.FUNCTION, s, firstlineno);
    const doc = getDocString(s.body);
    this.addConst(doc ?? NONE);
    this.u.argcount = s.args.args.length;
    this.u.posonlyargcount = s.args.posonlyargs.length;
    this.u.kwonlyargcount = s.args.kwonlyargs.length;
    for (let i = doc ? 1 : 0; i < s.body.length; i++) this.visitStmt(s.body[i]!);
    const co = assemble(this, true);
    this.exitScope();
    this.makeClosure(co, flags);
    this.applyDecorators(s.decorator_list);
    this.nameop(s.name, 'Store');
  }

  private classDef(s: A.ClassDef): void {
    for (const d of s.decorator_list) this.visitExpr(d);
    const firstlineno = s.decorator_list.length ? s.decorator_list[0]!.lineno : s.lineno;
    this.enterScope(s.name, ScopeType.CLASS, s, firstlineno);
    this.u.privateName = s.name;
    this.nameop('__name__', 'Load');
    this.nameop('__module__', 'Store');
    this.loadConst(mkStr(this.u.qualname!));
    this.nameop('__qualname__', 'Store');
    this.body(s.body);
    this.unsetLoc();
    if (this.u.ste.needsClassClosure) {
      const i = this.u.cellvars.get('__class__')!;
      this.addop(O.LOAD_CLOSURE, i);
      this.addop(O.COPY, 1);
      this.nameop('__classcell__', 'Store');
    } else {
      this.loadConst(NONE);
    }
    this.addop(O.RETURN_VALUE);
    const co = assemble(this, true);
    this.exitScope();
    this.addop(O.PUSH_NULL);
    this.addop(O.LOAD_BUILD_CLASS);
    this.makeClosure(co, 0);
    this.loadConst(mkStr(s.name));
    this.callHelper(2, s.bases, s.keywords);
    this.applyDecorators(s.decorator_list);
    this.nameop(s.name, 'Store');
  }

  private lambda(e: A.Lambda): void {
    const flags = this.defaultArguments(e.args);
    this.enterScope('<lambda>', ScopeType.LAMBDA, e, e.lineno);
    this.addConst(NONE);
    this.u.argcount = e.args.args.length;
    this.u.posonlyargcount = e.args.posonlyargs.length;
    this.u.kwonlyargcount = e.args.kwonlyargs.length;
    this.visitExpr(e.body);
    let co: CodeUnit;
    if (this.u.ste.generator) {
      co = assemble(this, false);
    } else {
      this.addop(O.RETURN_VALUE);
      co = assemble(this, true);
    }
    this.exitScope();
    this.makeClosure(co, flags);
  }

  // ---- statements ------------------------------------------------------------------------

  visitStmt(s: A.stmt): void {
    this.setLoc(s);
    switch (s._type) {
      case 'FunctionDef': return this.functionDef(s);
      case 'ClassDef': return this.classDef(s);
      case 'Return': return this.returnStmt(s);
      case 'Delete': for (const t of s.targets) this.visitExpr(t); return;
      case 'Assign': {
        const n = s.targets.length;
        this.visitExpr(s.value);
        s.targets.forEach((t, i) => {
          if (i < n - 1) this.addop(O.COPY, 1);
          this.visitExpr(t);
        });
        return;
      }
      case 'AugAssign': return this.augassign(s);
      case 'AnnAssign': return this.annassign(s);
      case 'For': return this.forStmt(s);
      case 'While': return this.whileStmt(s);
      case 'If': return this.ifStmt(s);
      case 'Raise': {
        let n = 0;
        if (s.exc) {
          this.visitExpr(s.exc); n++;
          if (s.cause) { this.visitExpr(s.cause); n++; }
        }
        this.addop(O.RAISE_VARARGS, n);
        return;
      }
      case 'Try': return s.finalbody.length ? this.tryFinally(s) : this.tryExcept(s);
      case 'Assert': return this.assertStmt(s);
      case 'Import': return this.importStmt(s);
      case 'ImportFrom': return this.fromImport(s);
      case 'Global': case 'Nonlocal': return;
      case 'Expr': return this.exprStmt(s.value);
      case 'Pass': this.addop(O.NOP); return;
      case 'Break': return this.breakStmt();
      case 'Continue': return this.continueStmt();
      case 'With': return this.withStmt(s, 0);
      default: throw new Error(`compiler: unsupported statement ${(s as A.stmt)._type}`);
    }
  }

  private exprStmt(value: A.expr): void {
    if (this.interactive && this.nestlevel <= 1) {
      this.visitExpr(value);
      this.addop(O.PRINT_EXPR);
      return;
    }
    if (value._type === 'Constant') {
      this.addop(O.NOP);
      return;
    }
    this.visitExpr(value);
    this.unsetLoc();
    this.addop(O.POP_TOP);
  }

  private returnStmt(s: A.Return): void {
    const preserveTos = s.value !== null && s.value._type !== 'Constant';
    if (this.u.ste.type !== 'function') throw new SyntaxError("'return' outside function");
    if (preserveTos) {
      this.visitExpr(s.value!);
    } else if (s.value) {
      this.setLoc(s.value);
      this.addop(O.NOP);
    }
    if (!s.value || s.value.lineno !== s.lineno) {
      this.setLoc(s);
      this.addop(O.NOP);
    }
    this.unwindFblockStack(preserveTos, false);
    if (!s.value) this.loadConst(NONE);
    else if (!preserveTos) this.loadConst((s.value as FoldedConstant)._const);
    this.addop(O.RETURN_VALUE);
  }

  private breakStmt(): void {
    const saved = this.saveLoc();
    this.addop(O.NOP);
    const loop = this.unwindFblockStack(false, true);
    if (!loop) {
      this.restoreLoc(saved);
      throw new SyntaxError("'break' outside loop");
    }
    this.unwindFblock(loop, false);
    this.addopJ(JUMP, loop.exit!);
  }

  private continueStmt(): void {
    const saved = this.saveLoc();
    this.addop(O.NOP);
    const loop = this.unwindFblockStack(false, true);
    if (!loop) {
      this.restoreLoc(saved);
      throw new SyntaxError("'continue' not properly in loop");
    }
    this.addopJ(JUMP, loop.block!);
  }

  private ifStmt(s: A.If): void {
    const end = this.newBlock();
    const next = s.orelse.length ? this.newBlock() : end;
    this.jumpIf(s.test, next, false);
    this.visitStmts(s.body);
    if (s.orelse.length) {
      this.addopJNoline(JUMP, end);
      this.useNextBlock(next);
      this.visitStmts(s.orelse);
    }
    this.useNextBlock(end);
  }

  private forStmt(s: A.For): void {
    const start = this.newBlock(), body = this.newBlock(), cleanup = this.newBlock(), end = this.newBlock();
    this.pushFblock(FB.FOR_LOOP, start, end, null);
    this.visitExpr(s.iter);
    this.addop(O.GET_ITER);
    this.useNextBlock(start);
    this.addopJ(O.FOR_ITER, cleanup);
    this.useNextBlock(body);
    this.visitExpr(s.target);
    this.visitStmts(s.body);
    this.unsetLoc();
    this.addopJ(JUMP, start);
    this.useNextBlock(cleanup);
    this.popFblock();
    this.visitStmts(s.orelse);
    this.useNextBlock(end);
  }

  private whileStmt(s: A.While): void {
    const loop = this.newBlock(), body = this.newBlock(), anchor = this.newBlock(), end = this.newBlock();
    this.useNextBlock(loop);
    this.pushFblock(FB.WHILE_LOOP, loop, end, null);
    this.jumpIf(s.test, anchor, false);
    this.useNextBlock(body);
    this.visitStmts(s.body);
    this.setLoc(s);
    this.jumpIf(s.test, body, true);
    this.popFblock();
    this.useNextBlock(anchor);
    this.visitStmts(s.orelse);
    this.useNextBlock(end);
  }

  private tryFinally(s: A.Try): void {
    const body = this.newBlock(), end = this.newBlock(), exit = this.newBlock(), cleanup = this.newBlock();
    this.addopJ(SETUP_FINALLY, end);
    this.useNextBlock(body);
    this.pushFblock(FB.FINALLY_TRY, body, end, s.finalbody);
    if (s.handlers.length) this.tryExcept(s);
    else this.visitStmts(s.body);
    this.addopNoline(POP_BLOCK);
    this.popFblock();
    this.visitStmts(s.finalbody);
    this.addopJNoline(JUMP, exit);
    this.useNextBlock(end);
    this.unsetLoc();
    this.addopJ(SETUP_CLEANUP, cleanup);
    this.addop(O.PUSH_EXC_INFO);
    this.pushFblock(FB.FINALLY_END, end, null, null);
    this.visitStmts(s.finalbody);
    this.popFblock();
    this.addop(O.RERAISE, 0);
    this.useNextBlock(cleanup);
    this.popExceptAndReraise();
    this.useNextBlock(exit);
  }

  private tryExcept(s: A.Try): void {
    const body = this.newBlock();
    let except = this.newBlock();
    const end = this.newBlock(), cleanup = this.newBlock();
    this.addopJ(SETUP_FINALLY, except);
    this.useNextBlock(body);
    this.pushFblock(FB.TRY_EXCEPT, body, null, null);
    this.visitStmts(s.body);
    this.popFblock();
    this.addopNoline(POP_BLOCK);
    if (s.orelse.length) this.visitStmts(s.orelse);
    this.addopJNoline(JUMP, end);
    const n = s.handlers.length;
    this.useNextBlock(except);
    this.unsetLoc();
    this.addopJ(SETUP_CLEANUP, cleanup);
    this.addop(O.PUSH_EXC_INFO);
    this.pushFblock(FB.EXCEPTION_HANDLER, null, null, null);
    for (let i = 0; i < n; i++) {
      const h = s.handlers[i]!;
      this.setLoc(h);
      if (!h.type && i < n - 1) throw new SyntaxError("default 'except:' must be last");
      except = this.newBlock();
      if (h.type) {
        this.visitExpr(h.type);
        this.addop(O.CHECK_EXC_MATCH);
        this.addopJ(POP_JUMP_IF_FALSE, except);
      }
      if (h.name) {
        const cleanupEnd = this.newBlock(), cleanupBody = this.newBlock();
        this.nameop(h.name, 'Store');
        this.addopJ(SETUP_CLEANUP, cleanupEnd);
        this.useNextBlock(cleanupBody);
        this.pushFblock(FB.HANDLER_CLEANUP, cleanupBody, null, h.name);
        this.visitStmts(h.body);
        this.popFblock();
        this.unsetLoc();
        this.addop(POP_BLOCK);
        this.addop(POP_BLOCK);
        this.addop(O.POP_EXCEPT);
        this.loadConst(NONE);
        this.nameop(h.name, 'Store');
        this.nameop(h.name, 'Del');
        this.addopJ(JUMP, end);
        this.useNextBlock(cleanupEnd);
        this.unsetLoc();
        this.loadConst(NONE);
        this.nameop(h.name, 'Store');
        this.nameop(h.name, 'Del');
        this.addop(O.RERAISE, 1);
      } else {
        const cleanupBody = this.newBlock();
        this.addop(O.POP_TOP);
        this.useNextBlock(cleanupBody);
        this.pushFblock(FB.HANDLER_CLEANUP, cleanupBody, null, null);
        this.visitStmts(h.body);
        this.popFblock();
        this.unsetLoc();
        this.addop(POP_BLOCK);
        this.addop(O.POP_EXCEPT);
        this.addopJ(JUMP, end);
      }
      this.useNextBlock(except);
    }
    this.unsetLoc();
    this.popFblock();
    this.addop(O.RERAISE, 0);
    this.useNextBlock(cleanup);
    this.popExceptAndReraise();
    this.useNextBlock(end);
  }

  private withExceptFinish(cleanup: Block): void {
    this.unsetLoc();
    const exit = this.newBlock();
    this.addopJ(POP_JUMP_IF_TRUE, exit);
    this.addop(O.RERAISE, 2);
    this.useNextBlock(cleanup);
    this.popExceptAndReraise();
    this.useNextBlock(exit);
    this.addop(O.POP_TOP);
    this.addop(POP_BLOCK);
    this.addop(O.POP_EXCEPT);
    this.addop(O.POP_TOP);
    this.addop(O.POP_TOP);
  }

  private withStmt(s: A.With, pos: number): void {
    const item = s.items[pos]!;
    const block = this.newBlock(), final = this.newBlock(), exit = this.newBlock(), cleanup = this.newBlock();
    this.visitExpr(item.context_expr);
    this.addop(O.BEFORE_WITH);
    this.addopJ(SETUP_WITH, final);
    this.useNextBlock(block);
    this.pushFblock(FB.WITH, block, final, s);
    if (item.optional_vars) this.visitExpr(item.optional_vars);
    else this.addop(O.POP_TOP);
    pos++;
    if (pos === s.items.length) this.visitStmts(s.body);
    else this.withStmt(s, pos);
    this.unsetLoc();
    this.addop(POP_BLOCK);
    this.popFblock();
    this.setLoc(s);
    this.callExitWithNones();
    this.addop(O.POP_TOP);
    this.addopJ(JUMP, exit);
    this.useNextBlock(final);
    this.addopJ(SETUP_CLEANUP, cleanup);
    this.addop(O.PUSH_EXC_INFO);
    this.addop(O.WITH_EXCEPT_START);
    this.withExceptFinish(cleanup);
    this.useNextBlock(exit);
  }

  private importAs(name: string, asname: string): void {
    let dot = name.indexOf('.');
    if (dot !== -1) {
      for (;;) {
        const pos = dot + 1;
        dot = name.indexOf('.', pos);
        const attr = name.slice(pos, dot !== -1 ? dot : undefined);
        this.addop(O.IMPORT_FROM, Compiler.addO(this.u.names, attr));
        if (dot === -1) break;
        this.addop(O.SWAP, 2);
        this.addop(O.POP_TOP);
      }
      this.nameop(asname, 'Store');
      this.addop(O.POP_TOP);
      return;
    }
    this.nameop(asname, 'Store');
  }

  private importStmt(s: A.Import): void {
    for (const alias of s.names) {
      this.loadConst({ kind: 'int', value: 0n });
      this.loadConst(NONE);
      this.addopName(O.IMPORT_NAME, alias.name);
      if (alias.asname) {
        this.importAs(alias.name, alias.asname);
      } else {
        const dot = alias.name.indexOf('.');
        this.nameop(dot !== -1 ? alias.name.slice(0, dot) : alias.name, 'Store');
      }
    }
  }

  private fromImport(s: A.ImportFrom): void {
    this.loadConst({ kind: 'int', value: BigInt(s.level ?? 0) });
    const names: ConstTuple = { kind: 'tuple', items: s.names.map((a) => mkStr(a.name)) };
    this.loadConst(names);
    this.addopName(O.IMPORT_NAME, s.module ?? '');
    for (let i = 0; i < s.names.length; i++) {
      const alias = s.names[i]!;
      if (i === 0 && alias.name.startsWith('*')) {
        this.addop(O.IMPORT_STAR);
        return;
      }
      this.addopName(O.IMPORT_FROM, alias.name);
      this.nameop(alias.asname ?? alias.name, 'Store');
    }
    this.addop(O.POP_TOP);
  }

  private assertStmt(s: A.Assert): void {
    const end = this.newBlock();
    this.jumpIf(s.test, end, true);
    this.addop(O.LOAD_ASSERTION_ERROR);
    if (s.msg) {
      this.visitExpr(s.msg);
      this.addop(O.PRECALL, 0);
      this.addop(O.CALL, 0);
    }
    this.addop(O.RAISE_VARARGS, 1);
    this.useNextBlock(end);
  }

  private augassign(s: A.AugAssign): void {
    const e = s.target;
    const saved = this.saveLoc();
    this.setLoc(e);
    switch (e._type) {
      case 'Attribute':
        this.visitExpr(e.value);
        this.addop(O.COPY, 1);
        this.updateStartLocationToMatchAttr(e);
        this.addopName(O.LOAD_ATTR, e.attr);
        break;
      case 'Subscript':
        this.visitExpr(e.value);
        this.visitExpr(e.slice);
        this.addop(O.COPY, 2);
        this.addop(O.COPY, 2);
        this.addop(O.BINARY_SUBSCR);
        break;
      case 'Name':
        this.nameop(e.id, 'Load');
        break;
      default: throw new Error('invalid node type for augmented assignment');
    }
    this.restoreLoc(saved);
    this.visitExpr(s.value);
    this.addop(O.BINARY_OP, binopArg(s.op, true));
    this.setLoc(e);
    switch (e._type) {
      case 'Attribute':
        this.updateStartLocationToMatchAttr(e);
        this.addop(O.SWAP, 2);
        this.addopName(O.STORE_ATTR, e.attr);
        break;
      case 'Subscript':
        this.addop(O.SWAP, 3);
        this.addop(O.SWAP, 2);
        this.addop(O.STORE_SUBSCR);
        break;
      case 'Name':
        this.nameop(e.id, 'Store');
        break;
    }
  }

  private checkAnnExpr(e: A.expr): void {
    this.visitExpr(e);
    this.addop(O.POP_TOP);
  }

  private checkAnnSubscr(e: A.expr): void {
    if (e._type === 'Slice') {
      if (e.lower) this.checkAnnExpr(e.lower);
      if (e.upper) this.checkAnnExpr(e.upper);
      if (e.step) this.checkAnnExpr(e.step);
    } else if (e._type === 'Tuple') {
      for (const x of e.elts) this.checkAnnSubscr(x);
    } else {
      this.checkAnnExpr(e);
    }
  }

  private annassign(s: A.AnnAssign): void {
    const targ = s.target;
    if (s.value) {
      this.visitExpr(s.value);
      this.visitExpr(targ);
    }
    const moduleOrClass = this.u.scopeType === ScopeType.MODULE || this.u.scopeType === ScopeType.CLASS;
    switch (targ._type) {
      case 'Name':
        if (s.simple && moduleOrClass) {
          this.visitExpr(s.annotation);
          this.addopName(O.LOAD_NAME, '__annotations__');
          this.loadConst(mkStr(mangle(this.u.privateName, targ.id)));
          this.addop(O.STORE_SUBSCR);
        }
        break;
      case 'Attribute':
        if (!s.value) this.checkAnnExpr(targ.value);
        break;
      case 'Subscript':
        if (!s.value) {
          this.checkAnnExpr(targ.value);
          this.checkAnnSubscr(targ.slice);
        }
        break;
      default: throw new Error('invalid node type for annotated assignment');
    }
    if (!s.simple && moduleOrClass) this.checkAnnExpr(s.annotation);
  }

  // ---- expressions -----------------------------------------------------------------------

  visitExpr(e: A.expr): void {
    const saved = this.saveLoc();
    this.setLoc(e);
    this.visitExpr1(e);
    this.restoreLoc(saved);
  }

  private visitExpr1(e: A.expr): void {
    switch (e._type) {
      case 'NamedExpr':
        this.visitExpr(e.value);
        this.addop(O.COPY, 1);
        this.visitExpr(e.target);
        return;
      case 'BoolOp': return this.boolop(e);
      case 'BinOp':
        this.visitExpr(e.left);
        this.visitExpr(e.right);
        this.addop(O.BINARY_OP, binopArg(e.op, false));
        return;
      case 'UnaryOp':
        this.visitExpr(e.operand);
        this.addop(e.op === 'Invert' ? O.UNARY_INVERT : e.op === 'Not' ? O.UNARY_NOT : e.op === 'UAdd' ? O.UNARY_POSITIVE : O.UNARY_NEGATIVE);
        return;
      case 'Lambda': return this.lambda(e);
      case 'IfExp': {
        const end = this.newBlock(), next = this.newBlock();
        this.jumpIf(e.test, next, false);
        this.visitExpr(e.body);
        this.addopJNoline(JUMP, end);
        this.useNextBlock(next);
        this.visitExpr(e.orelse);
        this.useNextBlock(end);
        return;
      }
      case 'Dict': return this.dict(e);
      case 'Set': this.starunpackHelper(e.elts, 0, O.BUILD_SET, O.SET_ADD, O.SET_UPDATE, false); return;
      case 'GeneratorExp': return this.comprehension(e, 'genexp', '<genexpr>', e.generators, e.elt, null);
      case 'ListComp': return this.comprehension(e, 'list', '<listcomp>', e.generators, e.elt, null);
      case 'SetComp': return this.comprehension(e, 'set', '<setcomp>', e.generators, e.elt, null);
      case 'DictComp': return this.comprehension(e, 'dict', '<dictcomp>', e.generators, e.key, e.value);
      case 'Yield':
        if (this.u.ste.type !== 'function') throw new SyntaxError("'yield' outside function");
        if (e.value) this.visitExpr(e.value);
        else this.loadConst(NONE);
        this.addop(O.YIELD_VALUE);
        this.addop(O.RESUME, 1);
        return;
      case 'YieldFrom':
        if (this.u.ste.type !== 'function') throw new SyntaxError("'yield' outside function");
        this.visitExpr(e.value);
        this.addop(O.GET_YIELD_FROM_ITER);
        this.loadConst(NONE);
        this.addYieldFrom(false);
        return;
      case 'Compare': return this.compare(e);
      case 'Call': return this.call(e);
      case 'Constant': this.loadConst((e as FoldedConstant)._const); return;
      case 'JoinedStr': return this.joinedStr(e);
      case 'FormattedValue': {
        this.visitExpr(e.value);
        let oparg: number;
        switch (e.conversion) {
          case 115: oparg = O.FVC_STR; break;
          case 114: oparg = O.FVC_REPR; break;
          case 97: oparg = O.FVC_ASCII; break;
          case -1: oparg = O.FVC_NONE; break;
          default: throw new Error(`Unrecognized conversion character ${e.conversion}`);
        }
        if (e.format_spec) {
          this.visitExpr(e.format_spec);
          oparg |= O.FVS_HAVE_SPEC;
        }
        this.addop(O.FORMAT_VALUE, oparg);
        return;
      }
      case 'Attribute':
        this.visitExpr(e.value);
        this.updateStartLocationToMatchAttr(e);
        this.addopName(e.ctx === 'Load' ? O.LOAD_ATTR : e.ctx === 'Store' ? O.STORE_ATTR : O.DELETE_ATTR, e.attr);
        return;
      case 'Subscript':
        this.visitExpr(e.value);
        this.visitExpr(e.slice);
        this.addop(e.ctx === 'Load' ? O.BINARY_SUBSCR : e.ctx === 'Store' ? O.STORE_SUBSCR : O.DELETE_SUBSCR);
        return;
      case 'Starred':
        throw new SyntaxError(e.ctx === 'Store' ? 'starred assignment target must be in a list or tuple' : "can't use starred expression here");
      case 'Slice': {
        let n = 2;
        if (e.lower) this.visitExpr(e.lower); else this.loadConst(NONE);
        if (e.upper) this.visitExpr(e.upper); else this.loadConst(NONE);
        if (e.step) { n++; this.visitExpr(e.step); }
        this.addop(O.BUILD_SLICE, n);
        return;
      }
      case 'Name': return this.nameop(e.id, e.ctx);
      case 'List':
        if (e.ctx === 'Store') return this.assignmentHelper(e.elts);
        if (e.ctx === 'Load') { this.starunpackHelper(e.elts, 0, O.BUILD_LIST, O.LIST_APPEND, O.LIST_EXTEND, false); return; }
        for (const x of e.elts) this.visitExpr(x);
        return;
      case 'Tuple':
        if (e.ctx === 'Store') return this.assignmentHelper(e.elts);
        if (e.ctx === 'Load') { this.starunpackHelper(e.elts, 0, O.BUILD_LIST, O.LIST_APPEND, O.LIST_EXTEND, true); return; }
        for (const x of e.elts) this.visitExpr(x);
        return;
      default: throw new Error(`compiler: unsupported expression ${(e as A.expr)._type}`);
    }
  }

  private updateStartLocationToMatchAttr(attr: A.Attribute): void {
    const u = this.u;
    if (u.lineno !== attr.end_lineno) {
      u.lineno = attr.end_lineno;
      const len = Array.from(attr.attr).length;
      if (len <= attr.end_col_offset) {
        u.col = attr.end_col_offset - len;
      } else {
        u.col = -1;
        u.endCol = -1;
      }
      u.endLineno = Math.max(u.lineno, u.endLineno);
      if (u.lineno === u.endLineno) u.endCol = Math.max(u.col, u.endCol);
    }
  }

  private boolop(e: A.BoolOp): void {
    const jumpi = e.op === 'And' ? O.JUMP_IF_FALSE_OR_POP : O.JUMP_IF_TRUE_OR_POP;
    const end = this.newBlock();
    const n = e.values.length - 1;
    for (let i = 0; i < n; i++) {
      this.visitExpr(e.values[i]!);
      this.addopJ(jumpi, end);
      this.useNextBlock(this.newBlock());
    }
    this.visitExpr(e.values[n]!);
    this.useNextBlock(end);
  }

  private compareOp(op: A.cmpop): void {
    switch (op) {
      case 'Eq': return this.addop(O.COMPARE_OP, 2);
      case 'NotEq': return this.addop(O.COMPARE_OP, 3);
      case 'Lt': return this.addop(O.COMPARE_OP, 0);
      case 'LtE': return this.addop(O.COMPARE_OP, 1);
      case 'Gt': return this.addop(O.COMPARE_OP, 4);
      case 'GtE': return this.addop(O.COMPARE_OP, 5);
      case 'Is': return this.addop(O.IS_OP, 0);
      case 'IsNot': return this.addop(O.IS_OP, 1);
      case 'In': return this.addop(O.CONTAINS_OP, 0);
      case 'NotIn': return this.addop(O.CONTAINS_OP, 1);
    }
  }

  private compare(e: A.Compare): void {
    this.visitExpr(e.left);
    const n = e.ops.length - 1;
    if (n === 0) {
      this.visitExpr(e.comparators[0]!);
      this.compareOp(e.ops[0]!);
      return;
    }
    const cleanup = this.newBlock();
    for (let i = 0; i < n; i++) {
      this.visitExpr(e.comparators[i]!);
      this.addop(O.SWAP, 2);
      this.addop(O.COPY, 2);
      this.compareOp(e.ops[i]!);
      this.addopJ(O.JUMP_IF_FALSE_OR_POP, cleanup);
    }
    this.visitExpr(e.comparators[n]!);
    this.compareOp(e.ops[n]!);
    const end = this.newBlock();
    this.addopJNoline(JUMP, end);
    this.useNextBlock(cleanup);
    this.addop(O.SWAP, 2);
    this.addop(O.POP_TOP);
    this.useNextBlock(end);
  }

  jumpIf(e: A.expr, next: Block, cond: boolean): void {
    switch (e._type) {
      case 'UnaryOp':
        if (e.op === 'Not') return this.jumpIf(e.operand, next, !cond);
        break;
      case 'BoolOp': {
        const s = e.values;
        const n = s.length - 1;
        const cond2 = e.op === 'Or';
        let next2 = next;
        if (cond2 !== cond) next2 = this.newBlock();
        for (let i = 0; i < n; i++) this.jumpIf(s[i]!, next2, cond2);
        this.jumpIf(s[n]!, next, cond);
        if (next2 !== next) this.useNextBlock(next2);
        return;
      }
      case 'IfExp': {
        const end = this.newBlock(), next2 = this.newBlock();
        this.jumpIf(e.test, next2, false);
        this.jumpIf(e.body, next, cond);
        this.addopJNoline(JUMP, end);
        this.useNextBlock(next2);
        this.jumpIf(e.orelse, next, cond);
        this.useNextBlock(end);
        return;
      }
      case 'Compare': {
        this.setLoc(e);
        const n = e.ops.length - 1;
        if (n > 0) {
          const cleanup = this.newBlock();
          this.visitExpr(e.left);
          for (let i = 0; i < n; i++) {
            this.visitExpr(e.comparators[i]!);
            this.addop(O.SWAP, 2);
            this.addop(O.COPY, 2);
            this.compareOp(e.ops[i]!);
            this.addopJ(POP_JUMP_IF_FALSE, cleanup);
          }
          this.visitExpr(e.comparators[n]!);
          this.compareOp(e.ops[n]!);
          this.addopJ(cond ? POP_JUMP_IF_TRUE : POP_JUMP_IF_FALSE, next);
          const end = this.newBlock();
          this.addopJNoline(JUMP, end);
          this.useNextBlock(cleanup);
          this.addop(O.POP_TOP);
          if (!cond) this.addopJNoline(JUMP, next);
          this.useNextBlock(end);
          return;
        }
        break;
      }
      default: break;
    }
    this.visitExpr(e);
    this.addopJ(cond ? POP_JUMP_IF_TRUE : POP_JUMP_IF_FALSE, next);
  }

  private starunpackHelper(elts: A.expr[], pushed: number, build: number, add: number, extend: number, tuple: boolean): void {
    const n = elts.length;
    if (n > 2 && elts.every((x) => x._type === 'Constant')) {
      const items = elts.map((x) => (x as FoldedConstant)._const);
      if (tuple && !pushed) {
        this.loadConst({ kind: 'tuple', items });
      } else {
        const folded: Const = add === O.SET_ADD ? frozensetOf(items) : { kind: 'tuple', items };
        this.addop(build, pushed);
        this.loadConst(folded);
        this.addop(extend, 1);
        if (tuple) this.addop(O.LIST_TO_TUPLE);
      }
      return;
    }
    const big = n + pushed > STACK_USE_GUIDELINE;
    const seenStar = elts.some((x) => x._type === 'Starred');
    if (!seenStar && !big) {
      for (const x of elts) this.visitExpr(x);
      this.addop(tuple ? O.BUILD_TUPLE : build, n + pushed);
      return;
    }
    let built = false;
    if (big) {
      this.addop(build, pushed);
      built = true;
    }
    elts.forEach((x, i) => {
      if (x._type === 'Starred') {
        if (!built) {
          this.addop(build, i + pushed);
          built = true;
        }
        this.visitExpr(x.value);
        this.addop(extend, 1);
      } else {
        this.visitExpr(x);
        if (built) this.addop(add, 1);
      }
    });
    if (tuple) this.addop(O.LIST_TO_TUPLE);
  }

  private assignmentHelper(elts: A.expr[]): void {
    const n = elts.length;
    let seenStar = false;
    elts.forEach((x, i) => {
      if (x._type === 'Starred' && !seenStar) {
        if (i >= 1 << 8 || n - i - 1 >= (2 ** 31 - 1) >> 8) throw new SyntaxError('too many expressions in star-unpacking assignment');
        this.addop(O.UNPACK_EX, i + ((n - i - 1) << 8));
        seenStar = true;
      } else if (x._type === 'Starred') {
        throw new SyntaxError('multiple starred expressions in assignment');
      }
    });
    if (!seenStar) this.addop(O.UNPACK_SEQUENCE, n);
    for (const x of elts) this.visitExpr(x._type === 'Starred' ? x.value : x);
  }

  private subdict(e: A.Dict, begin: number, end: number): void {
    const n = end - begin;
    const big = n * 2 > STACK_USE_GUIDELINE;
    const keys = e.keys.slice(begin, end);
    if (n > 1 && !big && keys.every((k) => k !== null && k._type === 'Constant')) {
      for (let i = begin; i < end; i++) this.visitExpr(e.values[i]!);
      this.loadConst({ kind: 'tuple', items: keys.map((k) => (k as FoldedConstant)._const) });
      this.addop(O.BUILD_CONST_KEY_MAP, n);
      return;
    }
    if (big) this.addop(O.BUILD_MAP, 0);
    for (let i = begin; i < end; i++) {
      this.visitExpr(e.keys[i]!);
      this.visitExpr(e.values[i]!);
      if (big) this.addop(O.MAP_ADD, 1);
    }
    if (!big) this.addop(O.BUILD_MAP, n);
  }

  private dict(e: A.Dict): void {
    const n = e.values.length;
    let haveDict = false;
    let elements = 0;
    for (let i = 0; i < n; i++) {
      const isUnpacking = e.keys[i] === null;
      if (isUnpacking) {
        if (elements) {
          this.subdict(e, i - elements, i);
          if (haveDict) this.addop(O.DICT_UPDATE, 1);
          haveDict = true;
          elements = 0;
        }
        if (!haveDict) {
          this.addop(O.BUILD_MAP, 0);
          haveDict = true;
        }
        this.visitExpr(e.values[i]!);
        this.addop(O.DICT_UPDATE, 1);
      } else if (elements * 2 > STACK_USE_GUIDELINE) {
        this.subdict(e, i - elements, i + 1);
        if (haveDict) this.addop(O.DICT_UPDATE, 1);
        haveDict = true;
        elements = 0;
      } else {
        elements++;
      }
    }
    if (elements) {
      this.subdict(e, n - elements, n);
      if (haveDict) this.addop(O.DICT_UPDATE, 1);
      haveDict = true;
    }
    if (!haveDict) this.addop(O.BUILD_MAP, 0);
  }

  private isImportOriginated(e: A.expr): boolean {
    if (e._type !== 'Name') return false;
    return (this.st.top.getSymbol(e.id) & DEF_IMPORT) !== 0;
  }

  private maybeOptimizeMethodCall(e: A.Call): boolean {
    const meth = e.func;
    if (meth._type !== 'Attribute' || meth.ctx !== 'Load') return false;
    if (this.isImportOriginated(meth.value)) return false;
    const argsl = e.args.length, kwdsl = e.keywords.length;
    if (argsl + kwdsl + (kwdsl !== 0 ? 1 : 0) >= STACK_USE_GUIDELINE) return false;
    if (e.args.some((a) => a._type === 'Starred')) return false;
    if (e.keywords.some((k) => k.arg === null)) return false;
    this.visitExpr(meth.value);
    this.setLoc(meth);
    this.updateStartLocationToMatchAttr(meth);
    this.addopName(O.LOAD_METHOD, meth.attr);
    for (const a of e.args) this.visitExpr(a);
    if (kwdsl) {
      for (const k of e.keywords) this.visitExpr(k.value);
      this.kwNames(e.keywords);
    }
    this.setLoc(e);
    this.updateStartLocationToMatchAttr(meth);
    this.addop(O.PRECALL, argsl + kwdsl);
    this.addop(O.CALL, argsl + kwdsl);
    return true;
  }

  private validateKeywords(keywords: A.keyword[]): void {
    for (let i = 0; i < keywords.length; i++) {
      const k = keywords[i]!;
      if (k.arg === null) continue;
      for (let j = i + 1; j < keywords.length; j++) {
        if (keywords[j]!.arg === k.arg) throw new SyntaxError(`keyword argument repeated: ${k.arg}`);
      }
    }
  }

  private call(e: A.Call): void {
    this.validateKeywords(e.keywords);
    if (this.maybeOptimizeMethodCall(e)) return;
    this.setLoc(e.func);
    this.addop(O.PUSH_NULL);
    this.setLoc(e);
    this.visitExpr(e.func);
    this.callHelper(0, e.args, e.keywords);
  }

  private kwNames(keywords: A.keyword[]): void {
    const names: ConstTuple = { kind: 'tuple', items: keywords.map((k) => mkStr(k.arg!)) };
    this.addop(O.KW_NAMES, this.addConst(names));
  }

  private subkwargs(keywords: A.keyword[], begin: number, end: number): void {
    const n = end - begin;
    const big = n * 2 > STACK_USE_GUIDELINE;
    if (n > 1 && !big) {
      for (let i = begin; i < end; i++) this.visitExpr(keywords[i]!.value);
      this.loadConst({ kind: 'tuple', items: keywords.slice(begin, end).map((k) => mkStr(k.arg!)) });
      this.addop(O.BUILD_CONST_KEY_MAP, n);
      return;
    }
    if (big) this.addopNoline(O.BUILD_MAP, 0);
    for (let i = begin; i < end; i++) {
      const kw = keywords[i]!;
      this.loadConst(mkStr(kw.arg!));
      this.visitExpr(kw.value);
      if (big) this.addopNoline(O.MAP_ADD, 1);
    }
    if (!big) this.addop(O.BUILD_MAP, n);
  }

  private callHelper(n: number, args: A.expr[], keywords: A.keyword[]): void {
    this.validateKeywords(keywords);
    const nelts = args.length, nkwelts = keywords.length;
    const exCall = nelts + nkwelts * 2 > STACK_USE_GUIDELINE || args.some((a) => a._type === 'Starred') ||
      keywords.some((k) => k.arg === null);
    if (!exCall) {
      for (const a of args) this.visitExpr(a);
      if (nkwelts) {
        for (const k of keywords) this.visitExpr(k.value);
        this.kwNames(keywords);
      }
      this.addop(O.PRECALL, n + nelts + nkwelts);
      this.addop(O.CALL, n + nelts + nkwelts);
      return;
    }
    if (n === 0 && nelts === 1 && args[0]!._type === 'Starred') {
      this.visitExpr((args[0] as A.Starred).value);
    } else {
      this.starunpackHelper(args, n, O.BUILD_LIST, O.LIST_APPEND, O.LIST_EXTEND, true);
    }
    if (nkwelts) {
      let haveDict = false;
      let nseen = 0;
      for (let i = 0; i < nkwelts; i++) {
        const kw = keywords[i]!;
        if (kw.arg === null) {
          if (nseen) {
            this.subkwargs(keywords, i - nseen, i);
            if (haveDict) this.addop(O.DICT_MERGE, 1);
            haveDict = true;
            nseen = 0;
          }
          if (!haveDict) {
            this.addop(O.BUILD_MAP, 0);
            haveDict = true;
          }
          this.visitExpr(kw.value);
          this.addop(O.DICT_MERGE, 1);
        } else {
          nseen++;
        }
      }
      if (nseen) {
        this.subkwargs(keywords, nkwelts - nseen, nkwelts);
        if (haveDict) this.addop(O.DICT_MERGE, 1);
      }
    }
    this.addop(O.CALL_FUNCTION_EX, nkwelts > 0 ? 1 : 0);
  }

  private joinedStr(e: A.JoinedStr): void {
    const n = e.values.length;
    if (n > STACK_USE_GUIDELINE) {
      this.loadConst(mkStr(''));
      this.addopName(O.LOAD_METHOD, 'join');
      this.addop(O.BUILD_LIST, 0);
      for (const v of e.values) {
        this.visitExpr(v);
        this.addop(O.LIST_APPEND, 1);
      }
      this.addop(O.PRECALL, 1);
      this.addop(O.CALL, 1);
    } else {
      for (const v of e.values) this.visitExpr(v);
      if (n !== 1) this.addop(O.BUILD_STRING, n);
    }
  }

  private comprehensionGenerator(gens: A.comprehension[], genIndex: number, depth: number, elt: A.expr, val: A.expr | null, type: CompType): void {
    let start: Block | null = this.newBlock();
    const ifCleanup = this.newBlock(), anchor = this.newBlock();
    const gen = gens[genIndex]!;
    if (genIndex === 0) {
      this.u.argcount = 1;
      this.addop(O.LOAD_FAST, 0);
    } else {
      let elts: A.expr[] | null = null;
      if (gen.iter._type === 'List' || gen.iter._type === 'Tuple') elts = gen.iter.elts;
      if (elts && elts.length === 1 && elts[0]!._type !== 'Starred') {
        this.visitExpr(elts[0]!);
        start = null;
      }
      if (start) {
        this.visitExpr(gen.iter);
        this.addop(O.GET_ITER);
      }
    }
    if (start) {
      depth++;
      this.useNextBlock(start);
      this.addopJ(O.FOR_ITER, anchor);
    }
    this.visitExpr(gen.target);
    for (const cond of gen.ifs) this.jumpIf(cond, ifCleanup, false);
    if (++genIndex < gens.length) this.comprehensionGenerator(gens, genIndex, depth, elt, val, type);
    if (genIndex >= gens.length) {
      switch (type) {
        case 'genexp':
          this.visitExpr(elt);
          this.addop(O.YIELD_VALUE);
          this.addop(O.RESUME, 1);
          this.addop(O.POP_TOP);
          break;
        case 'list':
          this.visitExpr(elt);
          this.addop(O.LIST_APPEND, depth + 1);
          break;
        case 'set':
          this.visitExpr(elt);
          this.addop(O.SET_ADD, depth + 1);
          break;
        case 'dict':
          this.visitExpr(elt);
          this.visitExpr(val!);
          this.addop(O.MAP_ADD, depth + 1);
          break;
      }
    }
    this.useNextBlock(ifCleanup);
    if (start) {
      this.addopJ(JUMP, start);
      this.useNextBlock(anchor);
    }
  }

  private comprehension(e: A.expr, type: CompType, name: string, gens: A.comprehension[], elt: A.expr, val: A.expr | null): void {
    const outermost = gens[0]!;
    this.enterScope(name, ScopeType.COMPREHENSION, e, e.lineno);
    this.setLoc(e);
    if (type !== 'genexp') this.addop(type === 'list' ? O.BUILD_LIST : type === 'set' ? O.BUILD_SET : O.BUILD_MAP, 0);
    this.comprehensionGenerator(gens, 0, 0, elt, val, type);
    if (type !== 'genexp') this.addop(O.RETURN_VALUE);
    const co = assemble(this, true);
    this.exitScope();
    this.makeClosure(co, 0);
    this.visitExpr(outermost.iter);
    this.addop(O.GET_ITER);
    this.addop(O.PRECALL, 0);
    this.addop(O.CALL, 0);
  }
}

type CompType = 'genexp' | 'list' | 'set' | 'dict';

function cmpStr(a: string, b: string): number {
  // Python sorts str by code point.
  const ca = Array.from(a), cb = Array.from(b);
  for (let i = 0; i < Math.min(ca.length, cb.length); i++) {
    const x = ca[i]!.codePointAt(0)!, y = cb[i]!.codePointAt(0)!;
    if (x !== y) return x - y;
  }
  return ca.length - cb.length;
}

const BINOP_ORDER: A.operator[] = ['Add', 'BitAnd', 'FloorDiv', 'LShift', 'MatMult', 'Mult', 'Mod', 'BitOr', 'Pow', 'RShift', 'Sub', 'Div', 'BitXor'];
function binopArg(op: A.operator, inplace: boolean): number {
  return BINOP_ORDER.indexOf(op) + (inplace ? 13 : 0);
}

function findAnn(stmts: A.stmt[]): boolean {
  for (const st of stmts) {
    switch (st._type) {
      case 'AnnAssign': return true;
      case 'For': case 'While': case 'If':
        if (findAnn(st.body) || findAnn(st.orelse)) return true;
        break;
      case 'With':
        if (findAnn(st.body)) return true;
        break;
      case 'Try':
        for (const h of st.handlers) if (findAnn(h.body)) return true;
        if (findAnn(st.body) || findAnn(st.finalbody) || findAnn(st.orelse)) return true;
        break;
      default: break;
    }
  }
  return false;
}

export type { ConstStr };
