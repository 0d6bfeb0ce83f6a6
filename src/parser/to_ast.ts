// Ohm semantics -> AST (src/ast.ts), with CPython's positions.
//
// Positions: every action converts its CST interval (indices into the matched text, which is
// one chunk of the marked-up text, or an f-string field) to line / UTF-8 byte column through
// the current `PosMap` (set by parse.ts before evaluating a match). Parenthesized expressions
// keep their inner positions; enclosing nodes span the parentheses (as CPython: `(a+b)*c`
// starts at the `(`), which falls out of using CST intervals of operands.
//
// Precedence: the grammar's `BitOr` and `Disj` are flat chains; `arith` and `boolean` below
// build the trees by precedence climbing. Binding powers (low to high):
//   or 1, and 2, not 3, comparisons 4 (n-ary), | 5, ^ 6, & 7, << >> 8, + - 9, * / // % @ 10,
//   unary + - ~ 11, ** 12 (right-assoc; its right operand may carry unary prefixes).
// A `not` where the precedence forbids it (`a == not b`, `-not a`) is "invalid syntax" at it.
//
// Targets: assignment, for, with-as, del and comprehension targets are parsed as expressions
// and converted here (ctx Store/Del), with CPython's "cannot assign to ..." messages.
import type * as ohm from 'ohm-js';
import type {
  AST, Pos, expr, stmt, arg, arguments as Arguments, keyword, alias, comprehension, withitem,
  ExceptHandler, operator, cmpop, unaryop, Constant, Name, expr_context, ConstValue,
} from '../ast.js';
import { Ellipsis } from '../ast.js';
import { PySyntaxError, type SyntaxErrorKind } from './syntax_error.js';

type N = ohm.Node;

/** Maps indices of the matched input to source positions. */
export interface PosMap {
  /** [lineno, col (UTF-8 bytes)] of the character at input index i. */
  start(i: number): [number, number];
  /** [end_lineno, end_col] of a span whose last character is at input index i - 1. */
  end(i: number): [number, number];
  /** A SyntaxError at input span [s, e). */
  error(msg: string, s: number, e: number, kind?: SyntaxErrorKind): PySyntaxError;
  /** Source index of input index i (for token lookups). */
  srcIndex(i: number): number;
  /** Parse an f-string field's expression text: `exprStart` is its input index. */
  fstringExpr(text: string, braceIdx: number, exprIdx: number, tokenStartIdx: number): expr;
  /** The error CPython reports for a malformed f-string piece. */
  fstringError(msg: string, stringsEndIdx: number): PySyntaxError;
}

let PM: PosMap;
export function setPosMap(pm: PosMap): PosMap {
  const old = PM;
  PM = pm;
  return old;
}

function loc(s: number, e: number): Pos {
  const a = PM.start(s);
  const b = PM.end(e);
  return { lineno: a[0], col_offset: a[1], end_lineno: b[0], end_col_offset: b[1] };
}
function locOf(n: N): Pos {
  return loc(n.source.startIdx, n.source.endIdx);
}
function span(a: Pos, b: Pos): Pos {
  return { lineno: a.lineno, col_offset: a.col_offset, end_lineno: b.end_lineno, end_col_offset: b.end_col_offset };
}
function errNode(msg: string, node: Pos, kind: SyntaxErrorKind = 'SyntaxError'): PySyntaxError {
  // positions of an AST node -> error (offsets are computed by the PosMap from byte columns)
  const e = (PM as SourcePosMapLike).errorAtPos?.(msg, node, kind);
  if (e) return e;
  return new PySyntaxError(kind, msg, '<unknown>', node.lineno, node.col_offset + 1, node.end_lineno, node.end_col_offset + 1, null);
}
interface SourcePosMapLike extends PosMap {
  errorAtPos?(msg: string, p: Pos, kind: SyntaxErrorKind): PySyntaxError;
}

/** Expressions that came from a parenthesized group (for AnnAssign.simple and messages). */
export const parenthesized = new WeakSet<object>();

// ------------------------------------------------------------------ helpers

function opt(n: N): N | null {
  return n.numChildren > 0 ? n.children[0] : null;
}
function optAst<T>(n: N): T | null {
  return n.numChildren > 0 ? (n.children[0].ast() as T) : null;
}
function listItems(n: N): N[] {
  return n.asIteration().children;
}

export function identifier(s: string): string {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) >= 128) return s.normalize('NFKC');
  return s;
}

const BIN_OPS: Record<string, operator> = {
  '+': 'Add', '-': 'Sub', '*': 'Mult', '@': 'MatMult', '/': 'Div', '%': 'Mod', '**': 'Pow',
  '<<': 'LShift', '>>': 'RShift', '|': 'BitOr', '^': 'BitXor', '&': 'BitAnd', '//': 'FloorDiv',
};
const BIN_BP: Record<string, number> = {
  '|': 5, '^': 6, '&': 7, '<<': 8, '>>': 8, '+': 9, '-': 9, '*': 10, '/': 10, '//': 10, '%': 10,
  '@': 10, '**': 12,
};
const UNARY_OPS: Record<string, unaryop> = { '+': 'UAdd', '-': 'USub', '~': 'Invert' };
const CMP_OPS: Record<string, cmpop> = {
  '==': 'Eq', '!=': 'NotEq', '<': 'Lt', '<=': 'LtE', '>': 'Gt', '>=': 'GtE', 'in': 'In',
  'not in': 'NotIn', 'is': 'Is', 'is not': 'IsNot',
};
const AUG_OPS: Record<string, operator> = {
  '+=': 'Add', '-=': 'Sub', '*=': 'Mult', '@=': 'MatMult', '/=': 'Div', '%=': 'Mod', '**=': 'Pow',
  '<<=': 'LShift', '>>=': 'RShift', '|=': 'BitOr', '^=': 'BitXor', '&=': 'BitAnd', '//=': 'FloorDiv',
};

interface Operand { node: expr; s: number; e: number }

/** Precedence climbing over `unaryOp* Primary (binOp unaryOp* Primary)*`. */
function arith(pre: N[][], prim: Operand[], ops: string[]): expr {
  let i = 0, j = 0;
  const operand = (): Operand => {
    if (j < pre[i].length) {
      const p = pre[i][j++];
      const inner = climb(11);
      const s = p.source.startIdx;
      const node: expr = { _type: 'UnaryOp', op: UNARY_OPS[p.sourceString], operand: inner.node, ...loc(s, inner.e) };
      return { node, s, e: inner.e };
    }
    const r = prim[i];
    i++;
    j = 0;
    return r;
  };
  const climb = (minbp: number): Operand => {
    let left = operand();
    while (i < prim.length) {
      const op = ops[i - 1];
      const bp = BIN_BP[op];
      if (bp < minbp) break;
      const right = climb(op === '**' ? 12 : bp + 1);
      left = {
        node: { _type: 'BinOp', left: left.node, op: BIN_OPS[op], right: right.node, ...loc(left.s, right.e) },
        s: left.s, e: right.e,
      };
    }
    return left;
  };
  return climb(0).node;
}

/** Precedence climbing over `not* BitOr ((or|and|cmp) not* BitOr)*`. */
function boolean(pre: N[][], operands: Operand[], opNodes: N[]): expr {
  let i = 0, j = 0;
  const opText = (k: number): string => {
    const t = opNodes[k].sourceString;
    if (t.length > 3 && (t.startsWith('not') || t.startsWith('is'))) return t.startsWith('not') ? 'not in' : 'is not';
    return t;
  };
  const operand = (minbp: number): Operand => {
    if (j < pre[i].length) {
      const p = pre[i][j++];
      if (minbp > 3) throw PM.error('invalid syntax', p.source.startIdx, p.source.endIdx);
      const inner = climb(3);
      const s = p.source.startIdx;
      return { node: { _type: 'UnaryOp', op: 'Not', operand: inner.node, ...loc(s, inner.e) }, s, e: inner.e };
    }
    const r = operands[i];
    i++;
    j = 0;
    return r;
  };
  const climb = (minbp: number): Operand => {
    let left = operand(minbp);
    while (i < operands.length) {
      const op = opText(i - 1);
      if (op === 'or' || op === 'and') {
        const bp = op === 'or' ? 1 : 2;
        if (bp < minbp) break;
        const values = [left.node];
        let last = left;
        while (i < operands.length && opText(i - 1) === op) {
          last = climb(bp + 1);
          values.push(last.node);
        }
        left = {
          node: { _type: 'BoolOp', op: op === 'or' ? 'Or' : 'And', values, ...loc(left.s, last.e) },
          s: left.s, e: last.e,
        };
      } else {
        if (4 < minbp) break;
        const cmpops: cmpop[] = [];
        const comparators: expr[] = [];
        let last = left;
        while (i < operands.length) {
          const o = opText(i - 1);
          if (o === 'or' || o === 'and') break;
          cmpops.push(CMP_OPS[o]);
          last = climb(5);
          comparators.push(last.node);
        }
        left = {
          node: { _type: 'Compare', left: left.node, ops: cmpops, comparators, ...loc(left.s, last.e) },
          s: left.s, e: last.e,
        };
      }
    }
    return left;
  };
  return climb(0).node;
}

// ------------------------------------------------------------------ targets

/** ≈ _PyPegen_get_expr_name */
export function exprName(e: expr): string {
  switch (e._type) {
    case 'Attribute': return 'attribute';
    case 'Subscript': return 'subscript';
    case 'Starred': return 'starred';
    case 'Name': return 'name';
    case 'List': return 'list';
    case 'Tuple': return 'tuple';
    case 'Lambda': return 'lambda';
    case 'Call': return 'function call';
    case 'BoolOp': case 'BinOp': case 'UnaryOp': return 'expression';
    case 'GeneratorExp': return 'generator expression';
    case 'Yield': case 'YieldFrom': return 'yield expression';
    case 'ListComp': return 'list comprehension';
    case 'SetComp': return 'set comprehension';
    case 'DictComp': return 'dict comprehension';
    case 'Dict': return 'dict literal';
    case 'Set': return 'set display';
    case 'JoinedStr': case 'FormattedValue': return 'f-string expression';
    case 'Constant': {
      const v = e.value;
      if (v === null) return 'None';
      if (v === true) return 'True';
      if (v === false) return 'False';
      if (v === Ellipsis) return 'ellipsis';
      return 'literal';
    }
    case 'Compare': return 'comparison';
    case 'IfExp': return 'conditional expression';
    case 'NamedExpr': return 'named expression';
    default: return 'expression';
  }
}

type TargetsType = 'star' | 'for' | 'del';

/** ≈ _PyPegen_get_invalid_target */
export function invalidTarget(e: expr, t: TargetsType): expr | null {
  switch (e._type) {
    case 'List': case 'Tuple':
      for (const x of e.elts) {
        const c = invalidTarget(x, t);
        if (c) return c;
      }
      return null;
    case 'Starred':
      if (t === 'del') return e;
      return invalidTarget(e.value, t);
    case 'Compare':
      if (t === 'for') {
        if (e.ops[0] === 'In') return invalidTarget(e.left, t);
        return null;
      }
      return e;
    case 'Name': case 'Subscript': case 'Attribute':
      return null;
    default:
      return e;
  }
}

function setCtx(e: expr, ctx: expr_context, t: TargetsType): void {
  switch (e._type) {
    case 'Name': case 'Attribute': case 'Subscript':
      e.ctx = ctx;
      return;
    case 'Starred':
      if (t === 'del') break;
      e.ctx = ctx;
      setCtx(e.value, ctx, t);
      return;
    case 'List': case 'Tuple':
      e.ctx = ctx;
      for (const x of e.elts) setCtx(x, ctx, t);
      return;
    default:
      break;
  }
  const bad = invalidTarget(e, t) ?? e;
  throw errNode(`cannot ${t === 'del' ? 'delete' : 'assign to'} ${exprName(bad)}`, bad);
}

export function toStore(e: expr, t: TargetsType = 'star'): expr {
  setCtx(e, t === 'del' ? 'Del' : 'Store', t);
  return e;
}

// ------------------------------------------------------------------ arguments

interface ParamItem {
  kind: 'slash' | 'star' | 'vararg' | 'kwarg' | 'plain';
  node: N;
  arg?: arg;
  def?: expr | null;
}

function buildArguments(items: ParamItem[], closeIdx: number): Arguments {
  const posonlyargs: arg[] = [], args: arg[] = [], kwonlyargs: arg[] = [];
  const defaults: expr[] = [], kw_defaults: (expr | null)[] = [];
  let vararg: arg | null = null, kwarg: arg | null = null;
  let seenSlash = false, seenStar = false, seenDefault = false, seenKwarg = false;
  let bareStar: ParamItem | null = null;
  for (let k = 0; k < items.length; k++) {
    const it = items[k];
    const s = it.node.source.startIdx, e = it.node.source.endIdx;
    if (seenKwarg) throw PM.error('arguments cannot follow var-keyword argument', s, it.kind === 'plain' ? e : s + 1);
    switch (it.kind) {
      case 'slash':
        if (seenSlash) throw PM.error('/ may appear only once', s, e);
        if (seenStar) throw PM.error('/ must be ahead of *', s, e);
        if (args.length === 0) throw PM.error('at least one argument must precede /', s, e);
        posonlyargs.push(...args);
        args.length = 0;
        seenSlash = true;
        break;
      case 'star':
      case 'vararg':
        if (seenStar) throw PM.error('* argument may appear only once', s, s + 1);
        seenStar = true;
        if (it.kind === 'vararg') vararg = it.arg!;
        else bareStar = it;
        break;
      case 'kwarg':
        if (bareStar && kwonlyargs.length === 0) {
          throw PM.error('named arguments must follow bare *', bareStar.node.source.startIdx, bareStar.node.source.endIdx);
        }
        kwarg = it.arg!;
        seenKwarg = true;
        break;
      case 'plain':
        if (seenStar) {
          kwonlyargs.push(it.arg!);
          kw_defaults.push(it.def ?? null);
        } else {
          args.push(it.arg!);
          if (it.def) {
            defaults.push(it.def);
            seenDefault = true;
          } else if (seenDefault) {
            const a = it.arg!;
            throw errNode('non-default argument follows default argument', a);
          }
        }
        break;
    }
  }
  if (bareStar && kwonlyargs.length === 0) {
    throw PM.error('named arguments must follow bare *', bareStar.node.source.startIdx, bareStar.node.source.endIdx);
  }
  void closeIdx;
  return { _type: 'arguments', posonlyargs, args, vararg, kwonlyargs, kw_defaults, kwarg, defaults };
}

function emptyArguments(): Arguments {
  return { _type: 'arguments', posonlyargs: [], args: [], vararg: null, kwonlyargs: [], kw_defaults: [], kwarg: null, defaults: [] };
}

interface ArgItem {
  kind: 'kw' | 'dstar' | 'star' | 'genexp' | 'plain';
  node: N;
  value: expr;
  name?: string;
}

function buildCall(func: expr, items: ArgItem[], trailer: N, s: number): expr {
  const args: expr[] = [];
  const keywords: keyword[] = [];
  let seenKw = false, seenDstar = false;
  for (const it of items) {
    const n = it.node;
    switch (it.kind) {
      case 'plain':
      case 'genexp':
        if (it.kind === 'genexp' && items.length > 1) {
          throw PM.error('Generator expression must be parenthesized', n.source.startIdx, n.source.endIdx);
        }
        // CPython reports these at the last token it read: the call's `)`
        if (seenDstar) throw PM.error('positional argument follows keyword argument unpacking', trailer.source.endIdx - 1, trailer.source.endIdx);
        if (seenKw) throw PM.error('positional argument follows keyword argument', trailer.source.endIdx - 1, trailer.source.endIdx);
        if (it.kind === 'genexp') {
          // the sole generator argument spans the call's parentheses
          const g = it.value as expr & Pos;
          Object.assign(g, loc(trailer.source.startIdx, trailer.source.endIdx));
        }
        args.push(it.value);
        break;
      case 'star':
        if (seenDstar) throw PM.error('iterable argument unpacking follows keyword argument unpacking', n.source.startIdx, n.source.startIdx + 1);
        args.push({ _type: 'Starred', value: it.value, ctx: 'Load', ...locOf(n) });
        break;
      case 'kw':
        seenKw = true;
        keywords.push({ _type: 'keyword', arg: it.name!, value: it.value, ...locOf(n) });
        break;
      case 'dstar':
        seenDstar = true;
        keywords.push({ _type: 'keyword', arg: null, value: it.value, ...locOf(n) });
        break;
    }
  }
  return { _type: 'Call', func, args, keywords, ...loc(s, trailer.source.endIdx) };
}

// ------------------------------------------------------------------ strings

const enc = new TextEncoder();

function isRawPrefix(p: string): boolean {
  return p.indexOf('r') >= 0 || p.indexOf('R') >= 0;
}

/** Decode the body of a (non-f) string literal. */
export function decodeEscapes(body: string, bytes: boolean): string {
  if (body.indexOf('\\') < 0) return body;
  let out = '';
  const n = body.length;
  for (let i = 0; i < n; i++) {
    const c = body[i];
    if (c !== '\\') { out += c; continue; }
    if (i + 1 >= n) { out += '\\'; continue; }
    const d = body[++i];
    switch (d) {
      case '\n': break;
      case '\\': out += '\\'; break;
      case '\'': out += '\''; break;
      case '"': out += '"'; break;
      case 'a': out += '\x07'; break;
      case 'b': out += '\b'; break;
      case 'f': out += '\f'; break;
      case 'n': out += '\n'; break;
      case 'r': out += '\r'; break;
      case 't': out += '\t'; break;
      case 'v': out += '\v'; break;
      case '0': case '1': case '2': case '3': case '4': case '5': case '6': case '7': {
        let v = d.charCodeAt(0) - 48;
        let k = 0;
        while (k < 2 && i + 1 < n && body[i + 1] >= '0' && body[i + 1] <= '7') {
          v = v * 8 + (body.charCodeAt(++i) - 48);
          k++;
        }
        out += String.fromCharCode(bytes ? v & 0xff : v);
        break;
      }
      case 'x': {
        const h = body.slice(i + 1, i + 3);
        if (!/^[0-9a-fA-F]{2}$/.test(h)) throw new EscapeError(`truncated \\xXX escape`, i - 1, i + 1 + (h.match(/^[0-9a-fA-F]*/)![0].length));
        out += String.fromCharCode(parseInt(h, 16));
        i += 2;
        break;
      }
      case 'u': case 'U': {
        if (bytes) { out += '\\' + d; break; }
        const len = d === 'u' ? 4 : 8;
        const h = body.slice(i + 1, i + 1 + len);
        if (!new RegExp(`^[0-9a-fA-F]{${len}}$`).test(h)) {
          throw new EscapeError(`truncated \\${d}${'X'.repeat(len)} escape`, i - 1, i + 1 + (h.match(/^[0-9a-fA-F]*/)![0].length));
        }
        const cp = parseInt(h, 16);
        if (cp > 0x10ffff) throw new EscapeError('illegal Unicode character', i - 1, i + 1 + len);
        out += String.fromCodePoint(cp);
        i += len;
        break;
      }
      case 'N': {
        if (bytes) { out += '\\N'; break; }
        const close = body.indexOf('}', i);
        throw new EscapeError('unknown Unicode character name', i - 1, close < 0 ? n : close + 1);
      }
      default:
        out += '\\' + d;
    }
  }
  return out;
}

class EscapeError extends Error {
  constructor(public reason: string, public s: number, public e: number) {
    super(reason);
  }
}

interface StrPart {
  lit?: string;
  fv?: { value: expr; conversion: number; spec: StrPart[] | null };
}

/** The literal text of an f-string literal part: `{{`/`}}` halved, escapes decoded unless raw. */
function fLiteral(text: string, raw: boolean): string {
  const t = text.replace(/\{\{/g, '{').replace(/\}\}/g, '}');
  return raw ? t : decodeEscapes(t, false);
}

function fParts(parts: N[], raw: boolean, tokenStart: number, depth: number): StrPart[] {
  const out: StrPart[] = [];
  for (const p of parts) {
    if (p.ctorName === 'fLit' || p.ctorName === 'fSpecLit') {
      try {
        out.push({ lit: fLiteral(p.sourceString, raw) });
      } catch (e) {
        if (e instanceof EscapeError) throw PM.error(`(unicode error) 'unicodeescape' codec can't decode bytes in position ${e.s}-${e.e - 1}: ${e.reason}`, tokenStart, tokenStart + 1);
        throw e;
      }
      continue;
    }
    // fField: "{" fExpr fEq? fConv? fSpec? "}"
    const [, fexpr, feq, fconv, fspec] = p.children;
    if (depth >= 2) throw PM.fstringError('f-string: expressions nested too deeply', -1);
    const text = fexpr.sourceString;
    if (/^[ \t\n\r\u000c]*$/.test(text)) throw PM.fstringError('f-string: empty expression not allowed', -1);
    const value = PM.fstringExpr(text, p.source.startIdx, fexpr.source.startIdx, tokenStart);
    const eq = opt(feq);
    if (eq) out.push({ lit: text + eq.sourceString });
    const conv = opt(fconv);
    const spec = opt(fspec);
    let conversion = -1;
    if (conv) conversion = conv.sourceString.charCodeAt(1);
    else if (eq && !spec) conversion = 114;
    const specParts = spec ? fParts(spec.children[1].children, raw, tokenStart, depth + 1) : null;
    out.push({ fv: { value, conversion, spec: specParts } });
  }
  return out;
}

function joined(parts: StrPart[], p: Pos, kind: string | null): expr[] {
  const values: expr[] = [];
  let acc: string | null = null;
  const flush = () => {
    if (acc !== null && acc.length > 0) values.push({ _type: 'Constant', value: acc, kind, ...p });
    acc = null;
  };
  for (const part of parts) {
    if (part.lit !== undefined) {
      acc = (acc ?? '') + part.lit;
    } else {
      flush();
      const fv = part.fv!;
      const spec: expr | null = fv.spec ? { _type: 'JoinedStr', values: joined(fv.spec, p, kind), ...p } : null;
      values.push({ _type: 'FormattedValue', value: fv.value, conversion: fv.conversion, format_spec: spec, ...p });
    }
  }
  flush();
  return values;
}

function buildStrings(node: N, pieces: N[]): expr {
  const p = locOf(node);
  let anyBytes = false, anyStr = false, anyF = false;
  const first = pieces[0].children[0];
  const kind = /^[uU]/.test(first.sourceString) ? 'u' : null;
  const parts: StrPart[] = [];
  let bytesOut: number[] | null = null;
  for (const piece of pieces) {
    const x = piece.children[0];
    const s = x.sourceString;
    const tokStart = x.source.startIdx;
    if (x.ctorName === 'fstringAny') {
      throw PM.fstringError(fstringScanError(x.sourceString), node.source.endIdx);
    }
    if (x.ctorName === 'fstring') {
      anyF = true;
      anyStr = true;
      const prefix = x.children[0].sourceString;
      const body = x.children[1]; // fBody: q (fLit|fField)* q
      parts.push(...fParts(body.children[1].children, isRawPrefix(prefix), tokStart, 0));
      continue;
    }
    // string: strPrefix? (longStr | shortStr)
    let q = 0;
    while (s[q] !== '"' && s[q] !== '\'') q++;
    const prefix = s.slice(0, q);
    const triple = s.startsWith(s[q].repeat(3), q) && s.length - q >= 6;
    const body = triple ? s.slice(q + 3, s.length - 3) : s.slice(q + 1, s.length - 1);
    const isBytes = /[bB]/.test(prefix);
    const raw = isRawPrefix(prefix);
    if (isBytes) {
      anyBytes = true;
      for (let k = 0; k < body.length; k++) {
        if (body.charCodeAt(k) >= 128) {
          throw PM.error('bytes can only contain ASCII literal characters', tokStart, x.source.endIdx);
        }
      }
    } else anyStr = true;
    let value: string;
    try {
      value = raw ? body : decodeEscapes(body, isBytes);
    } catch (e) {
      if (e instanceof EscapeError) {
        const codec = isBytes ? 'unicodeescape' : 'unicodeescape';
        throw PM.error(`(${isBytes ? 'value' : 'unicode'} error) '${codec}' codec can't decode bytes in position ${e.s}-${e.e - 1}: ${e.reason}`, tokStart, x.source.endIdx);
      }
      throw e;
    }
    if (isBytes) {
      bytesOut ??= [];
      for (let k = 0; k < value.length; k++) bytesOut.push(value.charCodeAt(k) & 0xff);
    } else {
      parts.push({ lit: value });
    }
  }
  if (anyBytes && anyStr) throw PM.fstringError('cannot mix bytes and nonbytes literals', node.source.endIdx);
  if (anyBytes) return { _type: 'Constant', value: new Uint8Array(bytesOut!), kind: null, ...p };
  if (!anyF) {
    let v = '';
    for (const part of parts) v += part.lit!;
    return { _type: 'Constant', value: v, kind, ...p };
  }
  return { _type: 'JoinedStr', values: joined(parts, p, kind), ...p };
}

/** Why an f-string token failed the structured rule (≈ 3.11 fstring_find_literal/_expr). */
export function fstringScanError(tok: string): string {
  let q = 0;
  while (tok[q] !== '"' && tok[q] !== '\'') q++;
  const quote = tok[q];
  const triple = tok.startsWith(quote.repeat(3), q) && tok.length - q >= 6;
  const body = triple ? tok.slice(q + 3, tok.length - 3) : tok.slice(q + 1, tok.length - 1);
  let i = 0;
  const n = body.length;
  const scan = (depth: number, inSpec: boolean): string | null => {
    while (i < n) {
      const c = body[i];
      if (c === '\\' && i + 1 < n && body[i + 1] !== '{') { i += 2; continue; }
      if (c === '{') {
        if (!inSpec && body[i + 1] === '{') { i += 2; continue; }
        i++;
        const r = field(depth);
        if (r) return r;
        continue;
      }
      if (c === '}') {
        if (inSpec) return null;
        if (body[i + 1] === '}') { i += 2; continue; }
        return "f-string: single '}' is not allowed";
      }
      i++;
    }
    return null;
  };
  const field = (depth: number): string | null => {
    if (depth >= 2) return 'f-string: expressions nested too deeply';
    const stack: string[] = [];
    const start = i;
    let strQ: string | null = null;
    while (i < n) {
      const c = body[i];
      if (strQ) {
        if (body.startsWith(strQ, i)) { i += strQ.length; strQ = null; continue; }
        if (c === '\\') return 'f-string expression part cannot include a backslash';
        i++;
        continue;
      }
      if (c === '\\') return 'f-string expression part cannot include a backslash';
      if (c === '\'' || c === '"') {
        strQ = body.startsWith(c.repeat(3), i) ? c.repeat(3) : c;
        i += strQ.length;
        continue;
      }
      if (c === '[' || c === '(' || c === '{') {
        if (stack.length >= 200) return 'f-string: too many nested parenthesis';
        stack.push(c);
        i++;
        continue;
      }
      if (c === '#') return "f-string expression part cannot include '#'";
      if (stack.length === 0 && (c === '!' || c === ':' || c === '}' || c === '=' )) {
        if (c === '!' && body[i + 1] === '=') { i += 2; continue; }
        if (c === '=' && (body[i + 1] === '=' || /[=!<>]/.test(body[i - 1] ?? ''))) { i++; continue; }
        break;
      }
      if (c === ']' || c === ')' || c === '}') {
        if (stack.length === 0) return `f-string: unmatched '${c}'`;
        const o = stack.pop()!;
        const want = o === '(' ? ')' : o === '[' ? ']' : '}';
        if (c !== want) return `f-string: closing parenthesis '${c}' does not match opening parenthesis '${o}'`;
        i++;
        continue;
      }
      i++;
    }
    if (strQ) return 'f-string: unterminated string';
    if (stack.length > 0) return "f-string: expecting '}'";
    if (i >= n) {
      if (/^[ \t\n\r\f]*$/.test(body.slice(start, i))) return 'f-string: empty expression not allowed';
      return "f-string: expecting '}'";
    }
    if (/^[ \t\n\r\f]*$/.test(body.slice(start, i))) return 'f-string: empty expression not allowed';
    if (body[i] === '=') {
      i++;
      while (i < n && /[ \t\n\r\f]/.test(body[i])) i++;
    }
    if (body[i] === '!') {
      i++;
      if (i >= n) return "f-string: expecting '}'";
      const conv = body[i];
      if (conv !== 's' && conv !== 'r' && conv !== 'a') return "f-string: invalid conversion character: expected 's', 'r', or 'a'";
      i++;
    }
    if (i >= n) return "f-string: expecting '}'";
    if (body[i] === ':') {
      i++;
      const r = scan(depth + 1, true);
      if (r) return r;
    }
    if (i >= n || body[i] !== '}') return "f-string: expecting '}'";
    i++;
    return null;
  };
  return scan(0, false) ?? 'f-string: invalid syntax';
}

// ------------------------------------------------------------------ numbers

export function numberValue(text: string): ConstValue {
  const t = text.replace(/_/g, '');
  const c1 = t.length > 1 ? t[1].toLowerCase() : '';
  if (t[0] === '0' && (c1 === 'x' || c1 === 'o' || c1 === 'b')) return BigInt(t.toLowerCase());
  const last = t[t.length - 1];
  if (last === 'j' || last === 'J') return { imag: Number(t.slice(0, -1)) };
  if (/[.eE]/.test(t)) return Number(t);
  return BigInt(t);
}

// ------------------------------------------------------------------ statements helpers

function lastEnd(...blocks: (stmt[] | { end_lineno: number; end_col_offset: number }[])[]): { end_lineno: number; end_col_offset: number } {
  for (let k = blocks.length - 1; k >= 0; k--) {
    const b = blocks[k];
    if (b.length > 0) {
      const l = b[b.length - 1];
      return { end_lineno: l.end_lineno, end_col_offset: l.end_col_offset };
    }
  }
  throw new Error('empty block');
}
function startOf(n: N): { lineno: number; col_offset: number } {
  const a = PM.start(n.source.startIdx);
  return { lineno: a[0], col_offset: a[1] };
}

function compoundPos(n: N, ...blocks: (stmt[] | { end_lineno: number; end_col_offset: number }[])[]): Pos {
  return { ...startOf(n), ...lastEnd(...blocks) };
}

/** Leftmost sub-expression reached through unparenthesized chains (for the "Maybe you meant" check). */
export function leftmost(e: expr): expr {
  for (;;) {
    if (parenthesized.has(e)) return e;
    switch (e._type) {
      case 'Tuple': if (e.elts.length > 0) { e = e.elts[0]; continue; } return e;
      case 'Compare': e = e.left; continue;
      case 'BoolOp': e = e.values[0]; continue;
      case 'IfExp': e = e.body; continue;
      default: return e;
    }
  }
}
export function isBitwiseLevel(e: expr): boolean {
  if (parenthesized.has(e)) return true;
  switch (e._type) {
    case 'Compare': case 'BoolOp': case 'IfExp': case 'Lambda': case 'Starred': case 'NamedExpr':
    case 'Yield': case 'YieldFrom':
      return false;
    case 'UnaryOp': return e.op !== 'Not';
    case 'Tuple': return parenthesized.has(e);
    default: return true;
  }
}
export function startsWithDisplay(e: expr): boolean {
  // !(list|tuple|genexp|'True'|'None'|'False') at the start of the first target
  for (;;) {
    if (e._type === 'List' || e._type === 'GeneratorExp') return true;
    if (e._type === 'Tuple' && parenthesized.has(e)) return true;
    if (e._type === 'Constant' && (e.value === null || e.value === true || e.value === false)) return true;
    if (parenthesized.has(e)) return false;
    switch (e._type) {
      case 'BinOp': e = e.left; continue;
      case 'Attribute': case 'Subscript': case 'Call':
        e = e._type === 'Call' ? e.func : e.value; continue;
      default: return false;
    }
  }
}

// ------------------------------------------------------------------ the semantics

export function makeSemantics(g: ohm.Grammar): ohm.Semantics {
  const sem = g.createSemantics();
  sem.addOperation('ast', {
    Chunk(stmts: N) {
      const out: stmt[] = [];
      for (const c of stmts.children) out.push(...(c.ast() as stmt[]));
      return out;
    },
    EvalInput(e: N, _nls: N) {
      return e.ast();
    },
    FStringInput(e: N, _nl: N) {
      return e.ast();
    },
    ErrDisj(e: N, _r: N) {
      return prefixResult(e);
    },
    ErrExpr(e: N, _r: N) {
      return prefixResult(e);
    },
    ErrBitOr(e: N, _r: N) {
      return prefixResult(e);
    },
    ErrStarExprs(e: N, _r: N) {
      return prefixResult(e);
    },
    Stmt(x: N) {
      const r = x.ast();
      return Array.isArray(r) ? r : [r];
    },
    SimpleStmts(list: N, _semi: N, _nl: N) {
      return listItems(list).map((c) => c.ast());
    },
    SimpleStmt_kw(_la: N, x: N) {
      return x.ast();
    },
    ExprStmt(head: N, tailOpt: N) {
      const h = head.ast() as expr;
      const p = locOf(this);
      const tailN = opt(tailOpt);
      if (!tailN) return { _type: 'Expr', value: h, ...p };
      const t = tailN.children[0];
      switch (t.ctorName) {
        case 'ExprStmtTail_aug': {
          const op = AUG_OPS[t.children[0].sourceString];
          if (h._type !== 'Name' && h._type !== 'Attribute' && h._type !== 'Subscript') {
            throw errNode(`'${exprName(h)}' is an illegal expression for augmented assignment`, h);
          }
          h.ctx = 'Store';
          return { _type: 'AugAssign', target: h, op, value: t.children[1].ast(), ...p };
        }
        case 'ExprStmtTail_ann': {
          const ann = t.children[1].ast() as expr;
          const rhs = opt(t.children[2]);
          if (h._type === 'Tuple' || h._type === 'List') {
            throw errNode(`only single target (not ${h._type === 'Tuple' ? 'tuple' : 'list'}) can be annotated`, h);
          }
          if (h._type !== 'Name' && h._type !== 'Attribute' && h._type !== 'Subscript') {
            throw errNode('illegal target for annotation', h);
          }
          h.ctx = 'Store';
          const simple = h._type === 'Name' && !parenthesized.has(h) ? 1 : 0;
          return {
            _type: 'AnnAssign', target: h, annotation: ann,
            value: rhs ? (rhs.children[1].ast() as expr) : null, simple, ...p,
          };
        }
        default: {
          // assign: AssignRhs+
          const rhs = t.children[0].children.map((r) => r.children[1].ast() as expr);
          const all = [h, ...rhs];
          const value = all.pop()!;
          const targets = all;
          if (targets.length === 1) {
            // CPython's invalid_named_expression: `a = b` where `a` (the first target, or the
            // last element of an unparenthesized tuple of targets) can't be assigned
            const t0 = targets[0];
            const a = t0._type === 'Tuple' && !parenthesized.has(t0) && t0.elts.length > 0 ? t0.elts[t0.elts.length - 1] : t0;
            if (invalidTarget(a, 'star') !== null && !(a._type === 'Tuple' && parenthesized.has(a)) && a._type !== 'List'
              && isBitwiseLevel(a) && !startsWithDisplay(a)) {
              const b = leftmost(value);
              if (isBitwiseLevel(b)) {
                throw errNode(`cannot assign to ${exprName(a)} here. Maybe you meant '==' instead of '='?`, a);
              }
            }
          }
          for (const x of targets) {
            if (x._type === 'Yield' || x._type === 'YieldFrom') {
              throw errNode('assignment to yield expression not possible', x);
            }
            toStore(x);
          }
          return { _type: 'Assign', targets, value, ...p };
        }
      }
    },
    ReturnStmt(_kw: N, e: N) {
      return { _type: 'Return', value: optAst<expr>(e), ...locOf(this) };
    },
    RaiseStmt(_kw: N, exc: N, _from: N, cause: N) {
      const c = cause.numChildren > 0 ? opt(cause.children[0]) : null;
      return { _type: 'Raise', exc: optAst<expr>(exc), cause: c ? c.ast() : null, ...locOf(this) };
    },
    PassStmt(_kw: N) {
      return { _type: 'Pass', ...locOf(this) };
    },
    BreakStmt(_kw: N) {
      return { _type: 'Break', ...locOf(this) };
    },
    ContinueStmt(_kw: N) {
      return { _type: 'Continue', ...locOf(this) };
    },
    DelStmt(_kw: N, targets: N) {
      const t = targets.ast() as expr;
      const list = t._type === 'Tuple' && !parenthesized.has(t) ? t.elts : [t];
      for (const x of list) toStore(x, 'del');
      return { _type: 'Delete', targets: list, ...locOf(this) };
    },
    AssertStmt(_kw: N, test: N, _c: N, msg: N) {
      const m = opt(msg);
      return { _type: 'Assert', test: test.ast(), msg: m ? m.ast() : null, ...locOf(this) };
    },
    GlobalStmt(_kw: N, names: N) {
      return { _type: 'Global', names: listItems(names).map((x) => x.ast()), ...locOf(this) };
    },
    NonlocalStmt(_kw: N, names: N) {
      return { _type: 'Nonlocal', names: listItems(names).map((x) => x.ast()), ...locOf(this) };
    },
    ImportStmt(_kw: N, names: N) {
      return { _type: 'Import', names: listItems(names).map((x) => x.ast()), ...locOf(this) };
    },
    DottedAsName(dn: N, _as: N, asname: N) {
      const a = opt(asname);
      return { _type: 'alias', name: dn.ast(), asname: a ? a.ast() : null, ...locOf(this) } as alias;
    },
    DottedName(list: N) {
      return listItems(list).map((x) => x.ast() as string).join('.');
    },
    FromImportStmt_named(_from: N, dots: N, dn: N, _imp: N, targets: N) {
      return { _type: 'ImportFrom', module: dn.ast(), names: targets.ast(), level: dotLevel(dots), ...locOf(this) };
    },
    FromImportStmt_rel(_from: N, dots: N, _imp: N, targets: N) {
      return { _type: 'ImportFrom', module: null, names: targets.ast(), level: dotLevel(dots), ...locOf(this) };
    },
    ImportTargets_paren(_lp: N, list: N, _c: N, _rp: N) {
      return listItems(list).map((x) => x.ast());
    },
    ImportTargets_star(_s: N) {
      return [{ _type: 'alias', name: '*', asname: null, ...locOf(this) }];
    },
    ImportTargets_plain(list: N) {
      return listItems(list).map((x) => x.ast());
    },
    ImportAsName(n: N, _as: N, asname: N) {
      const a = opt(asname);
      return { _type: 'alias', name: n.ast(), asname: a ? a.ast() : null, ...locOf(this) };
    },

    CompoundStmt(_la: N, x: N) {
      return x.ast();
    },
    Decorated(decs: N, def: N) {
      const d = def.ast() as stmt & { decorator_list: expr[] };
      d.decorator_list = decs.children.map((x) => x.ast() as expr);
      return d;
    },
    Decorator(_at: N, e: N, _nl: N) {
      return e.ast();
    },
    FuncDef(_def: N, name: N, _lp: N, params: N, rp: N, _arrow: N, returns: N, _colon: N, block: N) {
      const p = opt(params);
      const args = p ? buildArguments(p.ast() as ParamItem[], rp.source.startIdx) : emptyArguments();
      const r = opt(returns);
      const body = block.ast() as stmt[];
      return {
        _type: 'FunctionDef', name: name.ast(), args, body, decorator_list: [],
        returns: r ? r.ast() : null, ...compoundPos(this, body),
      };
    },
    ClassDef(_cls: N, name: N, _lp: N, argsOpt: N, rp: N, _colon: N, block: N) {
      const bases: expr[] = [];
      const keywords: keyword[] = [];
      const a = argsOpt.numChildren > 0 ? opt(argsOpt.children[0]) : null;
      void rp;
      if (a) {
        const call = buildCall({ _type: 'Name', id: '', ctx: 'Load', ...locOf(name) }, a.ast() as ArgItem[], this, this.source.startIdx) as expr & { args: expr[]; keywords: keyword[] };
        bases.push(...call.args);
        keywords.push(...call.keywords);
      }
      const body = block.ast() as stmt[];
      return { _type: 'ClassDef', name: name.ast(), bases, keywords, body, decorator_list: [], ...compoundPos(this, body) };
    },
    IfStmt(_if: N, test: N, _c: N, block: N, elifs: N, elseOpt: N) {
      const body = block.ast() as stmt[];
      let orelse: stmt[] = [];
      const el = opt(elseOpt);
      if (el) orelse = el.ast() as stmt[];
      const elifNodes = elifs.children;
      for (let k = elifNodes.length - 1; k >= 0; k--) {
        const en = elifNodes[k];
        const eb = en.children[3].ast() as stmt[];
        const node: stmt = {
          _type: 'If', test: en.children[1].ast(), body: eb, orelse, ...compoundPos(en, eb, orelse),
        };
        orelse = [node];
      }
      return { _type: 'If', test: test.ast(), body, orelse, ...compoundPos(this, body, orelse) };
    },
    ElseClause(_else: N, _c: N, block: N) {
      return block.ast();
    },
    WhileStmt(_w: N, test: N, _c: N, block: N, elseOpt: N) {
      const body = block.ast() as stmt[];
      const el = opt(elseOpt);
      const orelse = el ? (el.ast() as stmt[]) : [];
      return { _type: 'While', test: test.ast(), body, orelse, ...compoundPos(this, body, orelse) };
    },
    ForStmt(_for: N, targets: N, _in: N, iter: N, _c: N, block: N, elseOpt: N) {
      const target = toStore(targets.ast() as expr, 'for');
      const body = block.ast() as stmt[];
      const el = opt(elseOpt);
      const orelse = el ? (el.ast() as stmt[]) : [];
      return { _type: 'For', target, iter: iter.ast(), body, orelse, ...compoundPos(this, body, orelse) };
    },
    WithStmt_paren(_w: N, _lp: N, items: N, _comma: N, _rp: N, _c: N, block: N) {
      const body = block.ast() as stmt[];
      return { _type: 'With', items: listItems(items).map((x) => x.ast()), body, ...compoundPos(this, body) };
    },
    WithStmt_plain(_w: N, items: N, _c: N, block: N) {
      const body = block.ast() as stmt[];
      return { _type: 'With', items: listItems(items).map((x) => x.ast()), body, ...compoundPos(this, body) };
    },
    WithItem(e: N, _as: N, target: N) {
      const t = opt(target);
      return { _type: 'withitem', context_expr: e.ast(), optional_vars: t ? toStore(t.ast() as expr) : null } as withitem;
    },
    TryStmt_except(_try: N, _c: N, block: N, handlers: N, elseOpt: N, finOpt: N) {
      const body = block.ast() as stmt[];
      const hs = handlers.children.map((h) => h.ast() as ExceptHandler);
      const el = opt(elseOpt);
      const orelse = el ? (el.ast() as stmt[]) : [];
      const fin = opt(finOpt);
      const finalbody = fin ? (fin.ast() as stmt[]) : [];
      return { _type: 'Try', body, handlers: hs, orelse, finalbody, ...compoundPos(this, body, hs, orelse, finalbody) };
    },
    TryStmt_finally(_try: N, _c: N, block: N, fin: N) {
      const body = block.ast() as stmt[];
      const finalbody = fin.ast() as stmt[];
      return { _type: 'Try', body, handlers: [], orelse: [], finalbody, ...compoundPos(this, body, finalbody) };
    },
    ExceptClause(_exc: N, type: N, _as: N, name: N, _c: N, block: N) {
      const body = block.ast() as stmt[];
      const nm = name.numChildren > 0 ? opt(name.children[0]) : null;
      return {
        _type: 'ExceptHandler', type: optAst<expr>(type), name: nm ? nm.ast() : null, body,
        ...compoundPos(this, body),
      };
    },
    FinallyClause(_f: N, _c: N, block: N) {
      return block.ast();
    },
    Block_indented(_nl: N, _ind: N, stmts: N, _ded: N) {
      const out: stmt[] = [];
      for (const c of stmts.children) out.push(...(c.ast() as stmt[]));
      return out;
    },
    Block_line(s: N) {
      return s.ast();
    },

    Params(list: N, _c: N) {
      return listItems(list).map((x) => x.ast());
    },
    Param_kwarg(_s: N, name: N, ann: N) {
      return { kind: 'kwarg', node: this, arg: mkArg(name, ann) };
    },
    Param_vararg(_s: N, name: N, ann: N) {
      return { kind: 'vararg', node: this, arg: mkArg(name, ann) };
    },
    Param_star(_s: N) {
      return { kind: 'star', node: this };
    },
    Param_slash(_s: N) {
      return { kind: 'slash', node: this };
    },
    Param_plain(name: N, ann: N, _eq: N, def: N) {
      return { kind: 'plain', node: this, arg: mkArg(name, ann), def: optAst<expr>(def) };
    },
    Annotation(_c: N, e: N) {
      return e.ast();
    },
    LambdaParams(list: N, _c: N) {
      return listItems(list).map((x) => x.ast());
    },
    LambdaParam_kwarg(_s: N, name: N) {
      return { kind: 'kwarg', node: this, arg: mkArg(name, null) };
    },
    LambdaParam_vararg(_s: N, name: N) {
      return { kind: 'vararg', node: this, arg: mkArg(name, null) };
    },
    LambdaParam_star(_s: N) {
      return { kind: 'star', node: this };
    },
    LambdaParam_slash(_s: N) {
      return { kind: 'slash', node: this };
    },
    LambdaParam_plain(name: N, _eq: N, def: N) {
      return { kind: 'plain', node: this, arg: mkArg(name, null), def: optAst<expr>(def) };
    },

    // ---------------------------------------------------------------- expressions
    Targets(list: N, comma: N) {
      return tupleOrSingle(this, listItems(list), comma);
    },
    StarTarget(star: N, e: N) {
      const v = e.ast() as expr;
      if (star.numChildren === 0) return v;
      return { _type: 'Starred', value: v, ctx: 'Load', ...locOf(this) };
    },
    StarExprs(list: N, comma: N) {
      return tupleOrSingle(this, listItems(list), comma);
    },
    StarExpr_star(_s: N, e: N) {
      return { _type: 'Starred', value: e.ast(), ctx: 'Load', ...locOf(this) };
    },
    StarNamedExprs(list: N, comma: N) {
      return tupleOrSingle(this, listItems(list), comma);
    },
    StarNamedExpr_star(_s: N, e: N) {
      return { _type: 'Starred', value: e.ast(), ctx: 'Load', ...locOf(this) };
    },
    NamedExpr_walrus(name: N, _op: N, value: N) {
      const target: Name = { _type: 'Name', id: name.ast(), ctx: 'Store', ...locOf(name) };
      return { _type: 'NamedExpr', target, value: value.ast(), ...locOf(this) };
    },
    Expr_cond(body: N, _if: N, test: N, _else: N, orelse: N) {
      const b = body.ast() as expr;
      if (_if.numChildren === 0) return b;
      return {
        _type: 'IfExp', test: test.children[0].ast(), body: b, orelse: orelse.children[0].ast(), ...locOf(this),
      };
    },
    Expr_lambda(_kw: N, params: N, _c: N, body: N) {
      const p = opt(params);
      const args = p ? buildArguments(p.ast() as ParamItem[], _c.source.startIdx) : emptyArguments();
      return { _type: 'Lambda', args, body: body.ast(), ...locOf(this) };
    },
    YieldExpr_from(_y: N, _f: N, e: N) {
      return { _type: 'YieldFrom', value: e.ast(), ...locOf(this) };
    },
    YieldExpr_plain(_y: N, e: N) {
      return { _type: 'Yield', value: optAst<expr>(e), ...locOf(this) };
    },
    Disj(nots: N, first: N, ops: N, nots2: N, rest: N) {
      if (ops.numChildren === 0 && nots.numChildren === 0) return first.ast();
      const pre: N[][] = [nots.children, ...nots2.children.map((x) => x.children)];
      const operands: Operand[] = [first, ...rest.children].map((x) => ({
        node: x.ast() as expr, s: x.source.startIdx, e: x.source.endIdx,
      }));
      return boolean(pre, operands, ops.children);
    },
    BitOr(pre0: N, first: N, ops: N, pres: N, rest: N) {
      if (ops.numChildren === 0 && pre0.numChildren === 0) return first.ast();
      const pre: N[][] = [pre0.children, ...pres.children.map((x) => x.children)];
      const prim: Operand[] = [first, ...rest.children].map((x) => ({
        node: x.ast() as expr, s: x.source.startIdx, e: x.source.endIdx,
      }));
      return arith(pre, prim, ops.children.map((o) => o.sourceString));
    },
    Primary(atom: N, trailers: N) {
      let node = atom.ast() as expr;
      if (trailers.numChildren === 0) return node;
      const s = atom.source.startIdx;
      for (const tr of trailers.children) {
        const t = tr.children[0];
        switch (t.ctorName) {
          case 'Trailer_call': {
            const a = opt(t.children[1]);
            node = buildCall(node, a ? (a.ast() as ArgItem[]) : [], t, s);
            break;
          }
          case 'Trailer_subscript':
            node = { _type: 'Subscript', value: node, slice: t.children[1].ast(), ctx: 'Load', ...loc(s, t.source.endIdx) };
            break;
          default:
            node = { _type: 'Attribute', value: node, attr: t.children[1].ast(), ctx: 'Load', ...loc(s, t.source.endIdx) };
        }
      }
      return node;
    },
    Args(list: N, _c: N) {
      return listItems(list).map((x) => x.ast());
    },
    Arg_keyword(name: N, _eq: N, value: N) {
      return { kind: 'kw', node: this, name: name.ast(), value: value.ast() };
    },
    Arg_dstar(_s: N, value: N) {
      return { kind: 'dstar', node: this, value: value.ast() };
    },
    Arg_star(_s: N, value: N) {
      return { kind: 'star', node: this, value: value.ast() };
    },
    Arg_genexp(elt: N, comps: N) {
      return {
        kind: 'genexp', node: this,
        value: { _type: 'GeneratorExp', elt: elt.ast(), generators: comps.children.map((c) => c.ast()), ...locOf(this) },
      };
    },
    Arg_plain(e: N) {
      return { kind: 'plain', node: this, value: e.ast() };
    },
    Slices(list: N, comma: N) {
      const items = listItems(list);
      if (items.length === 1 && comma.numChildren === 0) {
        const only = items[0].ast() as expr;
        // a lone starred subscript is a 1-tuple: a[*b]
        if (only._type !== 'Starred') return only;
        return { _type: 'Tuple', elts: [only], ctx: 'Load', ...locOf(this) };
      }
      return { _type: 'Tuple', elts: items.map((x) => x.ast()), ctx: 'Load', ...locOf(this) };
    },
    Slice_slice(lower: N, _c1: N, upper: N, _c2: N, step: N) {
      const st = step.numChildren > 0 ? opt(step.children[0]) : null;
      return {
        _type: 'Slice', lower: optAst<expr>(lower), upper: optAst<expr>(upper), step: st ? st.ast() : null,
        ...locOf(this),
      };
    },
    Slice_star(_s: N, e: N) {
      return { _type: 'Starred', value: e.ast(), ctx: 'Load', ...locOf(this) };
    },
    Atom(x: N) {
      switch (x.ctorName) {
        case 'name':
          return { _type: 'Name', id: x.ast(), ctx: 'Load', ...locOf(x) };
        case 'number':
          return { _type: 'Constant', value: numberValue(x.sourceString), kind: null, ...locOf(x) };
        case 'kw_None':
          return { _type: 'Constant', value: null, kind: null, ...locOf(x) };
        case 'kw_True':
          return { _type: 'Constant', value: true, kind: null, ...locOf(x) };
        case 'kw_False':
          return { _type: 'Constant', value: false, kind: null, ...locOf(x) };
        case '_terminal':
          return { _type: 'Constant', value: Ellipsis, kind: null, ...locOf(x) };
        default:
          return x.ast();
      }
    },
    ParenAtom_empty(_l: N, _r: N) {
      return { _type: 'Tuple', elts: [], ctx: 'Load', ...locOf(this) };
    },
    ParenAtom_yield(_l: N, y: N, _r: N) {
      const e = y.ast() as expr;
      parenthesized.add(e);
      return e;
    },
    ParenAtom_genexp(_l: N, elt: N, comps: N, _r: N) {
      return { _type: 'GeneratorExp', elt: elt.ast(), generators: comps.children.map((c) => c.ast()), ...locOf(this) };
    },
    ParenAtom_tuple(_l: N, inner: N, _r: N) {
      const e = inner.ast() as expr;
      const isTuple = inner.children[1].numChildren > 0 || listItems(inner.children[0]).length > 1;
      if (isTuple) {
        Object.assign(e, locOf(this));
      } else if (e._type === 'Starred') {
        throw errNode('cannot use starred expression here', e);
      }
      parenthesized.add(e);
      return e;
    },
    ListAtom_comp(_l: N, elt: N, comps: N, _r: N) {
      return { _type: 'ListComp', elt: elt.ast(), generators: comps.children.map((c) => c.ast()), ...locOf(this) };
    },
    ListAtom_list(_l: N, items: N, _r: N) {
      const it = opt(items);
      let elts: expr[] = [];
      if (it) elts = listItems(it.children[0]).map((x) => x.ast() as expr);
      return { _type: 'List', elts, ctx: 'Load', ...locOf(this) };
    },
    BraceAtom_empty(_l: N, _r: N) {
      return { _type: 'Dict', keys: [], values: [], ...locOf(this) };
    },
    BraceAtom_dictcomp(_l: N, item: N, comps: N, _r: N) {
      const it = item.children[0];
      if (it.ctorName === 'DictItem_dstar') {
        throw PM.error('dict unpacking cannot be used in dict comprehension', it.source.startIdx, it.source.endIdx);
      }
      return {
        _type: 'DictComp', key: it.children[0].ast(), value: it.children[2].ast(),
        generators: comps.children.map((c) => c.ast()), ...locOf(this),
      };
    },
    BraceAtom_dict(_l: N, items: N, _c: N, _r: N) {
      const keys: (expr | null)[] = [];
      const values: expr[] = [];
      for (const x of listItems(items)) {
        const it = x.children[0];
        if (it.ctorName === 'DictItem_dstar') {
          keys.push(null);
          values.push(it.children[1].ast());
        } else {
          keys.push(it.children[0].ast());
          values.push(it.children[2].ast());
        }
      }
      return { _type: 'Dict', keys, values, ...locOf(this) };
    },
    BraceAtom_setcomp(_l: N, elt: N, comps: N, _r: N) {
      return { _type: 'SetComp', elt: elt.ast(), generators: comps.children.map((c) => c.ast()), ...locOf(this) };
    },
    BraceAtom_set(_l: N, items: N, _r: N) {
      return { _type: 'Set', elts: listItems(items.children[0]).map((x) => x.ast()), ...locOf(this) };
    },
    CompFor(_for: N, targets: N, _in: N, iter: N, _ifs: N, conds: N) {
      return {
        _type: 'comprehension', target: toStore(targets.ast() as expr, 'for'), iter: iter.ast(),
        ifs: conds.children.map((c) => c.ast()), is_async: 0,
      } as comprehension;
    },
    Strings(pieces: N) {
      return buildStrings(this, pieces.children);
    },
    name(_s: N, _r: N) {
      return identifier(this.sourceString);
    },
  });
  return sem;
}

function prefixResult(e: N): { node: expr | null; end: number } {
  let node: expr | null = null;
  try {
    node = e.ast() as expr;
  } catch {
    node = null;
  }
  return { node, end: e.source.endIdx };
}

function dotLevel(dots: N): number {
  let n = 0;
  for (const c of dots.sourceString) if (c === '.') n++;
  return n;
}

function mkArg(name: N, ann: N | null): arg {
  const a = ann ? opt(ann) : null;
  const annotation = a ? (a.ast() as expr) : null;
  const p = a ? loc(name.source.startIdx, a.source.endIdx) : locOf(name);
  return { _type: 'arg', arg: name.ast(), annotation, ...p };
}

function tupleOrSingle(self: N, items: N[], comma: N): expr {
  if (items.length === 1 && comma.numChildren === 0) return items[0].ast() as expr;
  return { _type: 'Tuple', elts: items.map((x) => x.ast() as expr), ctx: 'Load', ...locOf(self) };
}

export type { AST, Constant };
