// The SyntaxError for a failed match, worded and positioned as CPython 3.11 reports it.
//
// CPython's parser fails once, then re-parses with extra `invalid_*` rules that produce the
// specific messages (Grammar/python.gram); the generic "invalid syntax" points at the last
// token the first pass read. Here the failure point is Ohm's rightmost failure position, mapped
// to the pre-pass's token list, and a handful of rules look at the tokens around it — re-using
// the grammar (start rules ErrDisj / ErrExpr / ErrBitOr / ErrStarExprs match the longest
// expression at a position) where a message needs an expression's extent. These rules are our
// own, written from the messages and positions CPython produces (tests/fixtures/
// syntax_error_fixtures.json); the common cases are covered, rarer ones fall back to
// "invalid syntax" at the failing token.
import type * as ohm from 'ohm-js';
import { Tok, type Layout } from './layout.js';
import { PySyntaxError, type SyntaxErrorKind } from './syntax_error.js';
import type { expr } from '../ast.js';

export interface FailureInfo {
  L: Layout;
  /** Offset of the matched chunk in L.text. */
  base: number;
  chunkText: string;
  /** Rightmost failure position, relative to the chunk. */
  pos: number;
  match: ohm.MatchResult;
}

export interface ErrMap {
  filename: string;
  errorAtSrc(msg: string, so: number, eo: number, kind?: SyntaxErrorKind): PySyntaxError;
}

/** Parses a prefix of L.text starting at a token (installed by parse.ts). */
export type PrefixParser = (rule: 'ErrDisj' | 'ErrExpr' | 'ErrBitOr' | 'ErrStarExprs', procStart: number) =>
  { node: expr | null; endProc: number } | null;

let prefixParser: PrefixParser | null = null;
export function setPrefixParser(p: PrefixParser): void {
  prefixParser = p;
}

const COMPOUND = new Set(['if', 'elif', 'else', 'while', 'for', 'try', 'except', 'finally', 'with', 'def', 'class']);
const OPEN = new Set(['(', '[', '{']);
const CLOSE = new Set([')', ']', '}']);

class Toks {
  constructor(readonly L: Layout) {}
  kind(t: number): Tok { return this.L.tokKind[t] as Tok; }
  text(t: number): string { return this.L.src.slice(this.L.tokStart[t], this.L.tokEnd[t]); }
  start(t: number): number { return this.L.tokStart[t]; }
  end(t: number): number { return this.L.tokEnd[t]; }
  proc(t: number): number { return this.L.tokProc[t]; }
  get n(): number { return this.L.ntok; }
  isOp(t: number, s: string): boolean { return t >= 0 && t < this.n && this.kind(t) === Tok.OP && this.text(t) === s; }
  isName(t: number, s?: string): boolean { return t >= 0 && t < this.n && this.kind(t) === Tok.NAME && (s === undefined || this.text(t) === s); }
  /** First token of the logical line containing token t. */
  lineStart(t: number): number {
    let k = t;
    while (k > 0) {
      const kk = this.kind(k - 1);
      if (kk === Tok.NEWLINE || kk === Tok.INDENT || kk === Tok.DEDENT) break;
      k--;
    }
    return k;
  }
  /** Bracket depth just before token t, counted from the start of its logical line. */
  depthBefore(t: number): number {
    let d = 0;
    for (let k = this.lineStart(t); k < t; k++) {
      if (this.kind(k) !== Tok.OP) continue;
      const s = this.text(k);
      if (OPEN.has(s)) d++;
      else if (CLOSE.has(s)) d--;
    }
    return d;
  }
}

/** The token at (or after) a position of L.text. */
function tokenAtProc(L: Layout, proc: number): number {
  let lo = 0, hi = L.ntok;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (L.tokProc[mid] < proc) lo = mid + 1; else hi = mid;
  }
  // a failure inside a token (e.g. in a string or number) belongs to that token
  if (lo > 0 && L.tokProc[lo - 1] < proc && L.tokProc[lo - 1] + (L.tokEnd[lo - 1] - L.tokStart[lo - 1]) > proc) return lo - 1;
  return lo;
}

function tokenError(T: Toks, pm: ErrMap, msg: string, t: number, kind: SyntaxErrorKind = 'SyntaxError'): PySyntaxError {
  if (t >= T.n) {
    const e = pm.errorAtSrc(msg, T.L.src.length, T.L.src.length, kind);
    return e;
  }
  const k = T.kind(t);
  if (k === Tok.NEWLINE || k === Tok.ENDMARKER || k === Tok.DEDENT || k === Tok.INDENT) {
    return pm.errorAtSrc(msg, T.start(t), T.start(t), kind);
  }
  return pm.errorAtSrc(msg, T.start(t), T.end(t), kind);
}

function rangeError(T: Toks, pm: ErrMap, msg: string, so: number, eo: number): PySyntaxError {
  void T;
  return pm.errorAtSrc(msg, so, eo);
}

/** Token index whose source start is `o` (or the first after it). */
function tokenAtSrc(L: Layout, o: number): number {
  let lo = 0, hi = L.ntok;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (L.tokStart[mid] < o) lo = mid + 1; else hi = mid;
  }
  return lo;
}

function prefix(rule: 'ErrDisj' | 'ErrExpr' | 'ErrBitOr' | 'ErrStarExprs', T: Toks, t: number) {
  if (!prefixParser || t >= T.n) return null;
  return prefixParser(rule, T.proc(t));
}
/** Source end of a prefix parse. */
function srcEnd(L: Layout, endProc: number): number {
  return L.procToOrig[endProc - 1] + 1;
}

/** Start token of the element/expression that ends just before token t (same bracket level). */
function elementStart(T: Toks, t: number): number {
  let d = 0;
  const ls = T.lineStart(t);
  for (let k = t - 1; k >= ls; k--) {
    if (T.kind(k) === Tok.OP) {
      const s = T.text(k);
      if (CLOSE.has(s)) d++;
      else if (OPEN.has(s)) {
        if (d === 0) return k + 1;
        d--;
      } else if (d === 0 && (s === ',' || s === '=' || s === ':' || s === ';' || s.endsWith('=') && s !== '==' && s !== '<=' && s !== '>=' && s !== '!=')) {
        return k + 1;
      }
    } else if (d === 0 && T.kind(k) === Tok.NAME && ['return', 'yield', 'if', 'elif', 'while', 'for', 'in', 'assert', 'del', 'raise', 'from', 'else', 'with', 'lambda'].includes(T.text(k))) {
      if (T.text(k) === 'if' || T.text(k) === 'else') {
        // part of a conditional expression when something precedes it on the line
        if (k > ls) continue;
      }
      return k + 1;
    }
  }
  return ls;
}

function startsExpression(T: Toks, t: number): boolean {
  if (t >= T.n) return false;
  const k = T.kind(t);
  if (k === Tok.NUMBER || k === Tok.STRING) return true;
  if (k === Tok.NAME) {
    const s = T.text(t);
    if (['not', 'lambda', 'None', 'True', 'False', 'await'].includes(s)) return true;
    return !KEYWORDS.has(s);
  }
  if (k === Tok.OP) return ['(', '[', '{', '-', '+', '~', '...'].includes(T.text(t));
  return false;
}
const KEYWORDS = new Set(['False', 'None', 'True', 'and', 'as', 'assert', 'async', 'await', 'break', 'class',
  'continue', 'def', 'del', 'elif', 'else', 'except', 'finally', 'for', 'from', 'global', 'if', 'import', 'in',
  'is', 'lambda', 'nonlocal', 'not', 'or', 'pass', 'raise', 'return', 'try', 'while', 'with', 'yield']);

function expectedColon(info: FailureInfo): boolean {
  try {
    const fails = (info.match as unknown as { getRightmostFailures(): { getText(): string }[] }).getRightmostFailures();
    return fails.some((f) => f.getText() === ':');
  } catch {
    return false;
  }
}

function exprNameOf(e: expr): string {
  // ≈ _PyPegen_get_expr_name, for the messages below
  switch (e._type) {
    case 'Call': return 'function call';
    case 'Constant': {
      const v = e.value;
      if (v === null) return 'None';
      if (v === true) return 'True';
      if (v === false) return 'False';
      if (typeof v === 'symbol') return 'ellipsis';
      return 'literal';
    }
    case 'Compare': return 'comparison';
    case 'BinOp': case 'UnaryOp': case 'BoolOp': return 'expression';
    case 'Attribute': return 'attribute';
    case 'Subscript': return 'subscript';
    case 'List': return 'list';
    case 'Tuple': return 'tuple';
    case 'Dict': return 'dict literal';
    case 'Set': return 'set display';
    case 'JoinedStr': return 'f-string expression';
    case 'Lambda': return 'lambda';
    case 'IfExp': return 'conditional expression';
    case 'ListComp': return 'list comprehension';
    case 'GeneratorExp': return 'generator expression';
    default: return 'expression';
  }
}

export function deriveError(info: FailureInfo, pm: ErrMap): PySyntaxError {
  const L = info.L;
  const T = new Toks(L);
  const t = tokenAtProc(L, info.base + info.pos);
  const kindT = t < T.n ? T.kind(t) : Tok.ENDMARKER;

  // 1. unexpected indent
  if (kindT === Tok.INDENT) {
    const next = t + 1 < T.n ? T.start(t + 1) : T.start(t);
    const e = pm.errorAtSrc('unexpected indent', next, next, 'IndentationError');
    e.offset -= 1;
    e.end_offset = -1;
    return e;
  }

  // 2. expected an indented block
  if (t >= 2 && T.kind(t - 1) === Tok.NEWLINE && T.isOp(t - 2, ':')) {
    const h = T.lineStart(t - 2);
    const kw = T.text(h);
    if (COMPOUND.has(kw)) {
      const line = lineOfSrc(L, T.start(h));
      const what = kw === 'def' ? 'function definition' : kw === 'class' ? 'class definition' : `'${kw}' statement`;
      return tokenError(T, pm, `expected an indented block after ${what} on line ${line}`, t, 'IndentationError');
    }
  }

  const ls = t < T.n ? T.lineStart(t) : 0;
  const first = ls < T.n ? T.text(ls) : '';
  const depth = t < T.n ? T.depthBefore(t) : 0;

  // 3. expected ':'
  if (COMPOUND.has(first) && depth === 0 && t > ls) {
    const forced = first === 'def' || first === 'class' || first === 'for' || first === 'try' || first === 'finally' || first === 'else';
    if ((kindT === Tok.NEWLINE || forced) && expectedColon(info)) {
      return tokenError(T, pm, "expected ':'", t);
    }
  }

  // 4. print "x"
  if ((first === 'print' || first === 'exec') && t === ls + 1 && !T.isOp(t, '(') && T.kind(ls) === Tok.NAME) {
    const r = prefix('ErrStarExprs', T, t);
    if (r) return rangeError(T, pm, `Missing parentheses in call to '${first}'. Did you mean ${first}(...)?`, T.start(ls), srcEnd(L, r.endProc));
  }

  // 5. '=' where an expression was expected
  if (T.isOp(t, '=')) {
    if (depth > 0) {
      const s = elementStart(T, t);
      if (s < t) {
        const open = s - 1;
        const inCall = open >= 0 && T.isOp(open, '(') || T.isOp(open, ',');
        if (first === 'def' && T.kind(t - 1) === Tok.NAME && (T.isOp(t - 2, '**') || T.isOp(t - 2, '*'))) {
          const which = T.isOp(t - 2, '**') ? 'var-keyword' : 'var-positional';
          return tokenError(T, pm, `${which} argument cannot have default value`, t);
        }
        if (inCall && s === t - 1 && T.kind(s) === Tok.NAME && ['True', 'False', 'None'].includes(T.text(s))) {
          return rangeError(T, pm, `cannot assign to ${T.text(s)}`, T.start(s), T.end(t));
        }
        if (inCall && first !== 'def' && first !== 'lambda') {
          return rangeError(T, pm, 'expression cannot contain assignment, perhaps you meant "=="?', T.start(s), T.end(t));
        }
      }
    } else if (first === 'if' || first === 'elif' || first === 'while') {
      const a = prefix('ErrBitOr', T, ls + 1);
      const b = prefix('ErrBitOr', T, t + 1);
      if (a && a.node && b && tokenAtProc(L, a.endProc) === t) {
        if (a.node._type === 'Name') {
          return rangeError(T, pm, "invalid syntax. Maybe you meant '==' or ':=' instead of '='?", T.start(ls + 1), srcEnd(L, b.endProc));
        }
        return rangeError(T, pm, `cannot assign to ${exprNameOf(a.node)} here. Maybe you meant '==' instead of '='?`, T.start(ls + 1), srcEnd(L, a.endProc));
      }
    }
  }

  // 6. two expressions in a row inside brackets: "Perhaps you forgot a comma?"
  if (depth > 0 && startsExpression(T, t)) {
    const s = elementStart(T, t);
    if (s < t && !(t === s + 1 && T.kind(s) === Tok.NAME && T.kind(t) === Tok.STRING)) {
      const a = prefix('ErrDisj', T, s);
      if (a && tokenAtProc(L, a.endProc) === t) {
        const b = prefix('ErrExpr', T, t);
        if (b) return rangeError(T, pm, 'invalid syntax. Perhaps you forgot a comma?', T.start(s), srcEnd(L, b.endProc));
      }
    }
  }

  // 7. "expected 'else' after 'if' expression"
  if (!T.isName(t, 'else') && !T.isOp(t, ':')) {
    // the nearest `if` before t at the same bracket level, on the same logical line
    let d = 0;
    for (let k = t - 1; k > ls; k--) {
      if (T.kind(k) === Tok.OP) {
        const s = T.text(k);
        if (CLOSE.has(s)) d++;
        else if (OPEN.has(s)) { if (d === 0) break; d--; }
        else if (d === 0 && (s === ',' || s === '=')) break;
        continue;
      }
      if (d === 0 && T.isName(k, 'else')) break;
      if (d === 0 && T.isName(k, 'if')) {
        const s = elementStart(T, k);
        if (s >= k) break;
        const a = prefix('ErrDisj', T, s);
        const b = prefix('ErrDisj', T, k + 1);
        if (a && b && tokenAtProc(L, a.endProc) === k && tokenAtProc(L, b.endProc) === t) {
          return rangeError(T, pm, "expected 'else' after 'if' expression", T.start(s), srcEnd(L, b.endProc));
        }
        break;
      }
    }
  }

  // 8. try: without except/finally
  if (t > 0 && T.kind(t - 1) === Tok.DEDENT && !T.isName(t, 'except') && !T.isName(t, 'finally')) {
    // find the block opener this DEDENT closes
    let depthB = 0;
    for (let k = t - 1; k >= 0; k--) {
      const kk = T.kind(k);
      if (kk === Tok.DEDENT) depthB++;
      else if (kk === Tok.INDENT) {
        depthB--;
        if (depthB === 0) {
          const opener = T.lineStart(k - 2 >= 0 ? k - 2 : 0);
          if (T.isName(opener, 'try')) return tokenError(T, pm, "expected 'except' or 'finally' block", t);
          break;
        }
      }
    }
  }

  // 9. from x import a,
  if (kindT === Tok.NEWLINE && first === 'from' && T.isOp(t - 1, ',') && depth === 0) {
    return tokenError(T, pm, 'trailing comma not allowed without surrounding parentheses', t);
  }

  // 10. {1: }
  if (depth > 0 && (T.isOp(t, '}') || T.isOp(t, ',')) && T.isOp(t - 1, ':')) {
    return tokenError(T, pm, "expression expected after dictionary key and ':'", t - 1);
  }

  return tokenError(T, pm, 'invalid syntax', t);
}

function lineOfSrc(L: Layout, o: number): number {
  const ls = L.lineStarts;
  let lo = 0, hi = ls.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (ls[mid] <= o) lo = mid; else hi = mid - 1;
  }
  return lo + 1;
}

export { tokenAtSrc };
