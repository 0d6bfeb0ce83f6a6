// The parser's entry point: source text -> AST (src/ast.ts) or a PySyntaxError.
//
//   normalizeSource -> layout() pre-pass (markers, tokens, tokenizer error)
//   -> one Ohm match per top-level chunk (start rule `Chunk`), semantics -> statements
//   -> validate() (the checks CPython makes in its compiler/symtable).
//
// Matching one top-level statement at a time keeps Ohm's memo table small (a whole-file
// match retained ~600 MiB on 10k lines). The grammar is loaded from the committed recipe
// python.recipe.json (`npm run gen`), which is ~20x faster than compiling grammar/python.ohm.
//
// Which error wins follows CPython 3.11 (Parser/pegen.c, pegen_errors.c): the tokenizer runs
// lazily, so a tokenizer error is reported when the parser reaches it; when the parser fails
// first, CPython tokenizes the rest of the file and an exception-raising tokenizer error
// (unterminated string, invalid character, bad number, unmatched bracket) replaces the parser's
// error, and an unclosed bracket at EOF replaces it when the bracket's line is earlier than
// the error's — except for "unexpected indent", reported as is.
import * as ohm from 'ohm-js';
import { readFileSync } from 'node:fs';
import type { Module, Expression, Interactive, expr, stmt, Pos } from '../ast.js';
import { layout, normalizeSource, type Layout, type TokError } from './layout.js';
import { makeSemantics, setPosMap, type PosMap } from './to_ast.js';
import { PySyntaxError, type SyntaxErrorKind } from './syntax_error.js';
import { deriveError, setPrefixParser, type FailureInfo } from './errors.js';
import { validate } from './validate.js';
import { tokenString } from './tokens.js';
import { installOhmMemoization } from './ohm_speed.js';
import { setTokContext, type FStringHooks, clearTokContext, saveTokContext, restoreTokContext, chunkStmts, inputExpr } from './tok_ast.js';

export { PySyntaxError, formatSyntaxError } from './syntax_error.js';

// Parts of Ohm's API that its typings leave out.
const makeRecipe = (ohm as unknown as { makeRecipe(recipe: unknown): ohm.Grammar }).makeRecipe;
function failurePos(m: ohm.MatchResult): number {
  return (m as unknown as { getRightmostFailurePosition(): number }).getRightmostFailurePosition();
}

let G: ohm.Grammar | null = null;
let S: ohm.Semantics | null = null;

/** The grammar, loaded once per process from the precompiled recipe. */
export function grammar(): ohm.Grammar {
  if (!G) {
    const text = readFileSync(new URL('./python.recipe.json', import.meta.url), 'utf8');
    const g = makeRecipe(JSON.parse(text));
    S = makeSemantics(g);
    G = g;
  }
  return G!;
}
function semantics(): ohm.Semantics {
  grammar();
  return S!;
}

installOhmMemoization();

let TG: ohm.Grammar | null = null;
/** The token grammar of the fast path (grammar/python_tok.ohm), from its recipe. */
export function tokGrammar(): ohm.Grammar {
  if (!TG) {
    const text = readFileSync(new URL('./python_tok.recipe.json', import.meta.url), 'utf8');
    TG = makeRecipe(JSON.parse(text));
  }
  return TG!;
}

const enc = new TextEncoder();

function utf8Len(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff) { n += 4; i++; }
    else n += 3;
  }
  return n;
}
/** Number of code points in s. */
function cpLen(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) i++;
    n++;
  }
  return n;
}
/** Characters (code points) in the first `bytes` UTF-8 bytes of s. */
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
  return n + Math.max(0, bytes - b);
}

/** Source positions for one parse of a file (or of a string given to compile()). */
export class SourceMap implements PosMap {
  readonly L: Layout;
  readonly filename: string;
  base = 0;
  private lastLine = 0; // cache for lineOf
  private ascii: Int8Array; // per line: 1 ascii, 0 not, -1 unknown

  constructor(L: Layout, filename: string) {
    this.L = L;
    this.filename = filename;
    this.ascii = new Int8Array(L.lineStarts.length).fill(-1);
  }

  /** 0-based line index of a source index. */
  lineIdx(o: number): number {
    const ls = this.L.lineStarts;
    let k = this.lastLine;
    if (ls[k] <= o && (k + 1 >= ls.length || ls[k + 1] > o)) return k;
    if (k + 1 < ls.length && ls[k + 1] <= o && (k + 2 >= ls.length || ls[k + 2] > o)) {
      this.lastLine = k + 1;
      return k + 1;
    }
    let lo = 0, hi = ls.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (ls[mid] <= o) lo = mid; else hi = mid - 1;
    }
    this.lastLine = lo;
    return lo;
  }
  lineCol(o: number): [number, number] {
    const k = this.lineIdx(o);
    const ls = this.L.lineStarts[k];
    let a = this.ascii[k];
    if (a < 0) {
      const end = k + 1 < this.L.lineStarts.length ? this.L.lineStarts[k + 1] : this.L.src.length;
      a = 1;
      for (let i = ls; i < end; i++) if (this.L.src.charCodeAt(i) >= 128) { a = 0; break; }
      this.ascii[k] = a;
    }
    return [k + 1, a ? o - ls : utf8Len(this.L.src.slice(ls, o))];
  }
  /** 1-based character offset of source index o in its line. */
  charOffset(o: number): number {
    const k = this.lineIdx(o);
    return cpLen(this.L.src.slice(this.L.lineStarts[k], o)) + 1;
  }
  lineText(lineno: number): string {
    const ls = this.L.lineStarts;
    const s = ls[lineno - 1] ?? this.L.src.length;
    const e = lineno < ls.length ? ls[lineno] : this.L.src.length;
    let t = this.L.src.slice(s, e);
    if (!t.endsWith('\n')) t += '\n';
    return t;
  }

  srcIndex(i: number): number {
    return this.L.procToOrig[this.base + i];
  }
  start(i: number): [number, number] {
    return this.lineCol(this.L.procToOrig[this.base + i]);
  }
  end(i: number): [number, number] {
    if (i <= 0) return this.start(0);
    return this.lineCol(this.L.procToOrig[this.base + i - 1] + 1);
  }
  /** An error spanning source indices [so, eo). */
  errorAtSrc(msg: string, so: number, eo: number, kind: SyntaxErrorKind = 'SyntaxError'): PySyntaxError {
    const lineno = this.lineIdx(so) + 1;
    const endLineno = this.lineIdx(Math.max(so, eo)) + 1;
    return new PySyntaxError(kind, msg, this.filename, lineno, this.charOffset(so), endLineno,
      this.charOffset(Math.max(so, eo)), this.lineText(lineno));
  }
  error(msg: string, s: number, e: number, kind: SyntaxErrorKind = 'SyntaxError'): PySyntaxError {
    const so = this.L.procToOrig[this.base + s];
    const eo = e > s ? this.L.procToOrig[this.base + e - 1] + 1 : so;
    return this.errorAtSrc(msg, so, eo, kind);
  }
  errorAtPos(msg: string, p: Pos, kind: SyntaxErrorKind): PySyntaxError {
    const t1 = this.lineText(p.lineno);
    const t2 = this.lineText(p.end_lineno);
    return new PySyntaxError(kind, msg, this.filename, p.lineno, charsOfBytes(t1, p.col_offset) + 1,
      p.end_lineno, charsOfBytes(t2, p.end_col_offset) + 1, t1);
  }
  fstringError(msg: string, stringsEndIdx: number): PySyntaxError {
    // CPython raises these without a location: the last token fetched, i.e. the one after
    // the string atom.
    const L = this.L;
    const o = stringsEndIdx >= 0 ? L.procToOrig[this.base + stringsEndIdx - 1] + 1 : this.curStringsEnd;
    let t = 0;
    while (t < L.ntok && L.tokStart[t] < o) t++;
    const at = t < L.ntok ? L.tokStart[t] : L.src.length;
    const lineno = this.lineIdx(at) + 1;
    const off = this.charOffset(at);
    return new PySyntaxError('SyntaxError', msg, this.filename, lineno, off, lineno, off, this.lineText(lineno));
  }
  curStringsEnd = 0;

  fstringExpr(text: string, braceIdx: number, exprIdx: number, tokenStartIdx: number): expr {
    void exprIdx;
    return this.fstringExprAtSrc(text, this.L.procToOrig[this.base + braceIdx], this.L.procToOrig[this.base + tokenStartIdx]);
  }
  /** A field's expression whose `{` is at source index braceO, in the string token at tokO. */
  fstringExprAtSrc(text: string, braceO: number, tokO: number): expr {
    const L = this.L;
    const [tokLine, tokCol] = this.lineCol(tokO);
    const src = L.src;
    let lines = 0;
    let lastNl = -1;
    for (let k = tokO; k < braceO; k++) if (src.charCodeAt(k) === 10) { lines++; lastNl = k; }
    let newlineAfterBrace = true;
    for (let k = braceO + 1; k < src.length; k++) {
      const c = src[k];
      if (c === '}' || c === '\n') break;
      if (c !== ' ' && c !== '\t' && c !== '\f') { newlineAfterBrace = false; break; }
    }
    let cols = 0;
    if (!newlineAfterBrace) cols = lastNl >= 0 ? utf8Len(src.slice(lastNl + 1, braceO)) : utf8Len(src.slice(tokO, braceO));
    const startCol = lines === 0 ? tokCol + cols : cols;
    return parseFStringExpr(text, tokLine + lines, startCol, this.filename);
  }
}

/** Position map for the text `(expr)` of an f-string field (≈ 3.11 fstring_compile_expr). */
class FStringMap implements PosMap {
  base = 0;
  readonly L: Layout;
  readonly line0: number;
  readonly col0: number;
  readonly filename: string;
  constructor(L: Layout, line0: number, col0: number, filename: string) {
    this.L = L;
    this.line0 = line0;
    this.col0 = col0;
    this.filename = filename;
  }
  private lc(o: number): [number, number] {
    const ls = this.L.lineStarts;
    let k = 0;
    while (k + 1 < ls.length && ls[k + 1] <= o) k++;
    const col = utf8Len(this.L.src.slice(ls[k], o));
    return k === 0 ? [this.line0, this.col0 + col] : [this.line0 + k, col];
  }
  srcIndex(i: number): number {
    return this.L.procToOrig[this.base + i];
  }
  start(i: number): [number, number] {
    return this.lc(this.L.procToOrig[this.base + i]);
  }
  end(i: number): [number, number] {
    return this.lc(this.L.procToOrig[Math.max(0, this.base + i - 1)] + 1);
  }
  errorAtSrc(msg: string, so: number, eo: number, kind: SyntaxErrorKind = 'SyntaxError'): PySyntaxError {
    const ls = this.L.lineStarts;
    let k = 0;
    while (k + 1 < ls.length && ls[k + 1] <= so) k++;
    let k2 = k;
    while (k2 + 1 < ls.length && ls[k2 + 1] <= eo) k2++;
    const line = this.L.src.slice(ls[k], k + 1 < ls.length ? ls[k + 1] : this.L.src.length);
    return new PySyntaxError(kind, msg.startsWith('f-string') ? msg : 'f-string: ' + msg, this.filename,
      this.line0 + k, cpLen(this.L.src.slice(ls[k], so)) + 1, this.line0 + k2,
      cpLen(this.L.src.slice(ls[k2], eo)) + 1, line.endsWith('\n') ? line : line + '\n');
  }
  error(msg: string, s: number, e: number, kind: SyntaxErrorKind = 'SyntaxError'): PySyntaxError {
    const so = this.L.procToOrig[this.base + s];
    const eo = e > s ? this.L.procToOrig[this.base + e - 1] + 1 : so;
    return this.errorAtSrc(msg, so, eo, kind);
  }
  errorAtPos(msg: string, p: Pos, kind: SyntaxErrorKind): PySyntaxError {
    // convert back from absolute positions to the sub-text
    const toSrc = (line: number, col: number): number => {
      const k = line - this.line0;
      const ls = this.L.lineStarts[Math.max(0, Math.min(k, this.L.lineStarts.length - 1))];
      let b = k === 0 ? col - this.col0 : col;
      let i = ls;
      while (b > 0 && i < this.L.src.length) { b -= utf8Len(this.L.src[i]); i++; }
      return i;
    };
    return this.errorAtSrc(msg, toSrc(p.lineno, p.col_offset), toSrc(p.end_lineno, p.end_col_offset), kind);
  }
  fstringError(msg: string): PySyntaxError {
    return this.errorAtSrc(msg, 0, 0);
  }
  fstringExpr(text: string, braceIdx: number, _exprIdx: number, _tok: number): expr {
    // a nested field inside a field's format spec is parsed by the enclosing SourceMap;
    // nested f-strings inside an expression land here
    return this.fstringExprAtSrc(text, this.L.procToOrig[this.base + braceIdx]);
  }
  fstringExprAtSrc(text: string, braceO: number): expr {
    const [line, col] = this.lc(braceO);
    return parseFStringExpr(text, line, col, this.filename);
  }
}

function parseFStringExpr(text: string, line0: number, col0: number, filename: string): expr {
  const sub = '(' + text + ')';
  const L = layout(sub);
  const pm = new FStringMap(L, line0, col0, filename);
  if (fastPathEnabled && !L.tokErr) {
    const r = fastFStringExpr(L, pm, line0, col0);
    if (r) return r;
  }
  const old = setPosMap(pm);
  try {
    if (L.tokErr) throw tokErrToPy(L.tokErr, pm, 'f-string: ');
    const m = grammar().match(L.text, 'FStringInput');
    if (m.failed()) {
      throw failureError(L, pm, m, 0, null, 'f-string: ');
    }
    return semantics()(m).ast() as expr;
  } finally {
    setPosMap(old);
  }
}

function tokErrToPy(t: TokError, pm: { filename: string }, prefix = ''): PySyntaxError {
  return new PySyntaxError(t.kind, prefix + t.msg, pm.filename, t.lineno, t.offset, t.end_lineno, t.end_offset, t.text);
}

function failureError(L: Layout, pm: SourceMap | FStringMap, m: ohm.MatchResult, base: number,
  chunkText: string | null, prefix: string): PySyntaxError {
  const text = chunkText ?? L.text;
  const info: FailureInfo = { L, base, chunkText: text, pos: failurePos(m), match: m };
  const chunkEnd = base + text.length;
  setPrefixParser((rule, procStart) => {
    if (procStart >= chunkEnd) return null;
    const m2 = grammar().match(L.text.slice(procStart, chunkEnd), rule);
    if (m2.failed()) return null;
    const oldBase = pm.base;
    pm.base = procStart;
    const old = setPosMap(pm);
    try {
      const r = semantics()(m2).ast() as { node: expr | null; end: number };
      return { node: r.node, endProc: procStart + r.end };
    } catch {
      return null;
    } finally {
      pm.base = oldBase;
      setPosMap(old);
    }
  });
  const e = deriveError(info, pm);
  if (prefix && !e.msg.startsWith('f-string')) e.msg = prefix + e.msg;
  return e;
}

/** Parse `source`; throws PySyntaxError (and only that) on any error. */
export function parse(source: string, filename: string, mode: 'exec'): Module;
export function parse(source: string, filename: string, mode: 'eval'): Expression;
export function parse(source: string, filename: string, mode: 'single'): Interactive;
export function parse(source: string, filename: string, mode?: 'exec' | 'eval' | 'single'): Module | Expression | Interactive;
export function parse(source: string, filename: string, mode: 'exec' | 'eval' | 'single' = 'exec'): Module | Expression | Interactive {
  try {
    const tree = parseNoValidate(source, filename, mode);
    validate(tree, filename, source);
    return tree;
  } catch (e) {
    if (e instanceof PySyntaxError) throw e;
    // An internal failure must still come out as a SyntaxError the CLI can print.
    const err = new PySyntaxError('SyntaxError', `internal parser error: ${(e as Error)?.message ?? String(e)}`,
      filename, 1, 0, 1, 0, null);
    throw err;
  }
}

/** Parse without the compile-time checks of validate.ts. */
export function parseNoValidate(source: string, filename: string, mode: 'exec' | 'eval' | 'single' = 'exec'): Module | Expression | Interactive {
  const src = normalizeSource(source);
  const L = layout(src, mode === 'eval');
  const pm = new SourceMap(L, filename);
  if (fastPathEnabled) {
    const tree = fastParse(L, pm, mode);
    if (tree) return tree;
  }
  return slowParse(L, pm, mode);
}

/** Whether parse() tries the token grammar first (tests switch it off to compare). */
let fastPathEnabled = process.env.PYMEM_PARSER_SLOW !== '1';
export function setFastPath(on: boolean): void {
  fastPathEnabled = on;
}
/** For tests: why the fast path last gave up (FALLBACK, or an error it caught). */
export const fastPathStats: { lastFallback: unknown } = { lastFallback: null };

/**
 * The fast path: match the token string (tokens.ts) with grammar/python_tok.ohm, one chunk at a
 * time, and build the AST by walking the CST (tok_ast.ts). Returns null whenever the file has a
 * tokenizer error, a chunk does not match, or the walk meets anything to_ast.ts would reject:
 * the caller then parses with grammar/python.ohm, which yields CPython's SyntaxError (errors
 * are rare, so they may cost a second parse).
 */
export function fastParse(L: Layout, pm: SourceMap, mode: 'exec' | 'eval' | 'single'): Module | Expression | Interactive | null {
  fastPathStats.lastFallback = null;
  if (L.tokErr) { fastPathStats.lastFallback = 'tokenizer error'; return null; }
  const ts = tokenString(L);
  if (ts === null) { fastPathStats.lastFallback = 'token'; return null; }
  const tg = tokGrammar();
  setTokContext(L, ts, fstringHooks(pm));
  try {
    if (mode === 'eval') {
      const m = tg.match(ts, 'evalInput');
      if (m.failed()) { fastPathStats.lastFallback = 'no match'; return null; }
      return { _type: 'Expression', body: inputExpr(cstOf(m), 0) };
    }
    const body: stmt[] = [];
    const chunks = L.chunks;
    let t = tokenAtProcIndex(L, chunks[0]);
    for (let k = 0; k + 1 < chunks.length; k++) {
      const u = tokenAtProcIndex(L, chunks[k + 1]);
      const m = tg.match(ts.slice(t, u), 'chunk');
      if (m.failed()) { fastPathStats.lastFallback = 'no match'; return null; }
      chunkStmts(cstOf(m), t, body);
      t = u;
    }
    if (mode === 'single') {
      if (body.length > 1) return null;
      return { _type: 'Interactive', body };
    }
    return { _type: 'Module', body };
  } catch (e) {
    // FALLBACK, a SyntaxError from an f-string, or an internal error: the reference decides
    fastPathStats.lastFallback = e;
    return null;
  } finally {
    clearTokContext();
  }
}

function cstOf(m: ohm.MatchResult): unknown {
  return (m as unknown as { _cst: unknown })._cst;
}

/** First token whose index in L.text is >= proc (ntok - 1, the ENDMARKER, past the end). */
function tokenAtProcIndex(L: Layout, proc: number): number {
  let lo = 0, hi = L.ntok;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (L.tokProc[mid] < proc) lo = mid + 1; else hi = mid;
  }
  return lo;
}

/** An f-string field's expression by the fast path (null: let python.ohm decide). */
function fastFStringExpr(L: Layout, pm: FStringMap, line0: number, col0: number): expr | null {
  const ts = tokenString(L);
  if (ts === null) return null;
  const m = tokGrammar().match(ts, 'fstringInput');
  if (m.failed()) return null;
  const saved = saveTokContext();
  try {
    setTokContext(L, ts, fstringHooks(pm), line0, col0);
    return inputExpr(cstOf(m), 0);
  } catch {
    return null;
  } finally {
    restoreTokContext(saved);
  }
}

/** f-strings in the fast path: bodies matched with python_tok.ohm's `fBody`, fields parsed as
 *  parseFStringExpr does (fast path first). */
function fstringHooks(pm: SourceMap | FStringMap): FStringHooks {
  return {
    body(text: string): unknown {
      const m = tokGrammar().match(text, 'fBody');
      return m.failed() ? null : cstOf(m);
    },
    field(text: string, braceSrc: number, tokenSrc: number): expr {
      return pm.fstringExprAtSrc(text, braceSrc, tokenSrc);
    },
  };
}

function slowParse(L: Layout, pm: SourceMap, mode: 'exec' | 'eval' | 'single'): Module | Expression | Interactive {
  const g = grammar();
  const sem = semantics();
  const old = setPosMap(pm);
  try {
    if (mode === 'eval') {
      pm.base = 0;
      const m = g.match(L.text, 'EvalInput');
      if (m.failed()) throw chooseError(L, pm, failureError(L, pm, m, 0, null, ''), failurePos(m));
      const body = sem(m).ast() as expr;
      if (L.tokErr) throw tokErrToPy(L.tokErr, pm);
      return { _type: 'Expression', body };
    }
    const body: stmt[] = [];
    const chunks = L.chunks;
    for (let k = 0; k + 1 < chunks.length; k++) {
      const a = chunks[k], b = chunks[k + 1];
      pm.base = a;
      const text = L.text.slice(a, b);
      const m = g.match(text, 'Chunk');
      if (m.failed()) {
        const fpos = a + failurePos(m);
        throw chooseError(L, pm, failureError(L, pm, m, a, text, ''), fpos);
      }
      let stmts: stmt[];
      try {
        stmts = sem(m).ast() as stmt[];
      } catch (e) {
        if (e instanceof PySyntaxError) throw chooseError(L, pm, e, -1);
        throw e;
      }
      for (const s of stmts) body.push(s);
    }
    if (L.tokErr) throw tokErrToPy(L.tokErr, pm);
    if (mode === 'single') {
      if (body.length > 1) {
        const s = body[1];
        throw pm.errorAtPos('multiple statements found while compiling a single statement', s, 'SyntaxError');
      }
      return { _type: 'Interactive', body };
    }
    return { _type: 'Module', body };
  } finally {
    setPosMap(old);
  }
}

/** Decide between the parser's error and a tokenizer error (see the header). */
function chooseError(L: Layout, pm: SourceMap, e: PySyntaxError, failProcPos: number): PySyntaxError {
  const t = L.tokErr;
  if (!t) return e;
  if (failProcPos >= 0 && failProcPos >= L.text.length) {
    // the parser needed the next token: it is the tokenizer's error
    return tokErrToPy(t, pm);
  }
  if (e.kind === 'IndentationError' && (e.msg === 'unexpected indent' || e.msg === 'unexpected unindent')) return e;
  if (t.hard) return tokErrToPy(t, pm);
  const ob = L.openBrackets;
  if (ob.length > 0) {
    const open = ob[ob.length - 1];
    // CPython compares with the line of the last token its parser read
    const errLine = failProcPos >= 0 ? pm.lineIdx(L.procToOrig[Math.min(failProcPos, L.text.length)]) + 1 : e.lineno;
    if (errLine > open.lineno) {
      const err = pm.errorAtSrc(`'${open.ch}' was never closed`, open.pos, open.pos + 1);
      err.end_offset = 0;
      return err;
    }
  }
  return e;
}
