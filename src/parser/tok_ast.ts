// The fast path's AST builder: walks the concrete syntax tree of a grammar/python_tok.ohm match
// directly (NonterminalNode.ruleName / children / childOffsets, no semantics wrappers) and
// builds the same AST, with the same positions, as to_ast.ts builds from grammar/python.ohm.
//
// Positions: an input index of the token grammar is a token index; each token's start and end
// (line, UTF-8 byte column) are computed once per file (tokenPositions). A node spans from the
// start of its first token to the end of its last, as CPython's nodes do.
//
// Errors: this walker never reports a SyntaxError. Wherever to_ast.ts would throw one (bad
// targets, argument order, bytes/str mixing, escapes...) it throws FALLBACK, and parse.ts
// parses the file again with python.ohm, whose semantics produce CPython's exact message. The
// checks are the same ones, in the same places.
//
// CST layout reminders (Ohm 17): a NonterminalNode has one child per binding of its rule body
// (`~x` binds nothing, `&x`/`x` one, `(a b)*` two IterationNodes: one column per element);
// child offsets are relative to the start of the nearest enclosing rule application, so the
// elements of an IterationNode child of a node at P are at P + it.childOffsets[k].
import type {
  Pos, expr, stmt, arg, arguments as Arguments, keyword, alias, comprehension, withitem,
  ExceptHandler, operator, cmpop, unaryop, Name, ConstValue,
} from '../ast.js';
import { Ellipsis } from '../ast.js';
import type { Layout } from './layout.js';
import {
  identifier, numberValue, decodeEscapes, toStore, exprName, invalidTarget, leftmost, isBitwiseLevel,
  startsWithDisplay, parenthesized,
} from './to_ast.js';
import { CODE_TEXT, T_NAME, T_NUMBER, T_FSTRING } from './tokens.js';

/** Thrown when the fast path must leave this input to the reference parser. */
export const FALLBACK: { readonly fallback: true } = { fallback: true };
function bail(): never {
  throw FALLBACK;
}

interface CNode {
  ruleName?: string;
  children: CNode[];
  childOffsets: number[];
  matchLength: number;
}

// ------------------------------------------------------------------ per-parse context

let TS = '';
let SRC = '';
let TOKS: Int32Array = new Int32Array(0);
let TOKE: Int32Array = new Int32Array(0);
let SL: Int32Array = new Int32Array(0);
let SC: Int32Array = new Int32Array(0);
let EL: Int32Array = new Int32Array(0);
let EC: Int32Array = new Int32Array(0);
/** What the walker needs from parse.ts for f-strings. */
export interface FStringHooks {
  /** The CST of `fBody` matched on an f-string token's body, or null when it does not match. */
  body(text: string): unknown;
  /** A field's expression, parsed as CPython 3.11 does (`(text)`), positioned from the source
   *  indices of its `{` and of the start of its string token. */
  field(text: string, braceSrc: number, tokenSrc: number): expr;
}
const noHooks: FStringHooks = { body: () => bail(), field: () => bail() };
let hooks: FStringHooks = noHooks;

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

/**
 * Set up the walker for one file (or one f-string field): its layout, token string and the
 * f-string hook. Line k (0-based) of the layout is reported as line0 + k, and columns of its
 * first line are shifted by col0 (an f-string field's text, as parse.ts FStringMap).
 */
export function setTokContext(L: Layout, tokens: string, h: FStringHooks, line0 = 1, col0 = 0): void {
  TS = tokens;
  SRC = L.src;
  TOKS = L.tokStart;
  TOKE = L.tokEnd;
  hooks = h;
  const n = L.ntok;
  SL = new Int32Array(n);
  SC = new Int32Array(n);
  EL = new Int32Array(n);
  EC = new Int32Array(n);
  const ls = L.lineStarts;
  const nl = ls.length;
  let ascii = true;
  for (let i = 0; i < SRC.length; i++) if (SRC.charCodeAt(i) >= 128) { ascii = false; break; }
  let a = 0, b = 0;
  for (let t = 0; t < n; t++) {
    const o = TOKS[t];
    while (a + 1 < nl && ls[a + 1] <= o) a++;
    SL[t] = line0 + a;
    SC[t] = (a === 0 ? col0 : 0) + (ascii ? o - ls[a] : utf8Len(SRC.slice(ls[a], o)));
    const o2 = TOKE[t];
    if (b < a) b = a;
    while (b + 1 < nl && ls[b + 1] <= o2) b++;
    EL[t] = line0 + b;
    EC[t] = (b === 0 ? col0 : 0) + (ascii ? o2 - ls[b] : utf8Len(SRC.slice(ls[b], o2)));
  }
}

/** The current context, for a nested walk (an f-string field inside an expression). */
export function saveTokContext(): unknown[] {
  return [TS, SRC, TOKS, TOKE, SL, SC, EL, EC, hooks];
}
export function restoreTokContext(c: unknown[]): void {
  [TS, SRC, TOKS, TOKE, SL, SC, EL, EC, hooks] = c as [string, string, Int32Array, Int32Array, Int32Array,
    Int32Array, Int32Array, Int32Array, FStringHooks];
}

/** Drop the references to the last file. */
export function clearTokContext(): void {
  TS = '';
  SRC = '';
  hooks = noHooks;
}

function at<T extends Pos>(o: Omit<T, keyof Pos>, s: number, e: number): T {
  const r = o as T;
  r.lineno = SL[s];
  r.col_offset = SC[s];
  r.end_lineno = EL[e - 1];
  r.end_col_offset = EC[e - 1];
  return r;
}
function text(t: number): string {
  return SRC.slice(TOKS[t], TOKE[t]);
}
function nameAt(t: number): string {
  return identifier(SRC.slice(TOKS[t], TOKE[t]));
}

// ------------------------------------------------------------------ operators

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

/** Precedence climbing over `unaryOp* primary (binOp unaryOp* primary)*` (as to_ast.ts arith). */
function arith(pre: number[][], prim: Operand[], ops: string[]): expr {
  let i = 0, j = 0;
  const operand = (): Operand => {
    if (j < pre[i].length) {
      const s = pre[i][j++];
      const inner = climb(11);
      const node = at<expr>({ _type: 'UnaryOp', op: UNARY_OPS[CODE_TEXT[TS.charCodeAt(s)]], operand: inner.node } as never, s, inner.e);
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
        node: at<expr>({ _type: 'BinOp', left: left.node, op: BIN_OPS[op], right: right.node } as never, left.s, right.e),
        s: left.s, e: right.e,
      };
    }
    return left;
  };
  return climb(0).node;
}

/** Precedence climbing over `not* bitOr ((or|and|cmp) not* bitOr)*` (as to_ast.ts boolean). */
function boolean(pre: number[][], operands: Operand[], opTexts: string[]): expr {
  let i = 0, j = 0;
  const operand = (minbp: number): Operand => {
    if (j < pre[i].length) {
      const s = pre[i][j++];
      if (minbp > 3) bail();
      const inner = climb(3);
      return { node: at<expr>({ _type: 'UnaryOp', op: 'Not', operand: inner.node } as never, s, inner.e), s, e: inner.e };
    }
    const r = operands[i];
    i++;
    j = 0;
    return r;
  };
  const climb = (minbp: number): Operand => {
    let left = operand(minbp);
    while (i < operands.length) {
      const op = opTexts[i - 1];
      if (op === 'or' || op === 'and') {
        const bp = op === 'or' ? 1 : 2;
        if (bp < minbp) break;
        const values = [left.node];
        let last = left;
        while (i < operands.length && opTexts[i - 1] === op) {
          last = climb(bp + 1);
          values.push(last.node);
        }
        left = {
          node: at<expr>({ _type: 'BoolOp', op: op === 'or' ? 'Or' : 'And', values } as never, left.s, last.e),
          s: left.s, e: last.e,
        };
      } else {
        if (4 < minbp) break;
        const cmpops: cmpop[] = [];
        const comparators: expr[] = [];
        let last = left;
        while (i < operands.length) {
          const o = opTexts[i - 1];
          if (o === 'or' || o === 'and') break;
          cmpops.push(CMP_OPS[o]);
          last = climb(5);
          comparators.push(last.node);
        }
        left = {
          node: at<expr>({ _type: 'Compare', left: left.node, ops: cmpops, comparators } as never, left.s, last.e),
          s: left.s, e: last.e,
        };
      }
    }
    return left;
  };
  return climb(0).node;
}

// ------------------------------------------------------------------ expressions

function optEx(it: CNode, p: number): expr | null {
  return it.children.length > 0 ? ex(it.children[0], p + it.childOffsets[0]) : null;
}

/** `x ("," x)* ","?` as one expression or a Tuple spanning the list. */
function tupleOrSingle(n: CNode, p: number): expr {
  const rest = n.children[2];
  const first = ex(n.children[0], p + n.childOffsets[0]);
  if (rest.children.length === 0 && n.children[3].children.length === 0) return first;
  const elts: expr[] = [first];
  for (let k = 0; k < rest.children.length; k++) elts.push(ex(rest.children[k], p + rest.childOffsets[k]));
  return at<expr>({ _type: 'Tuple', elts, ctx: 'Load' } as never, p, p + n.matchLength);
}
/** The items of `x ("," x)* ...`. */
function listEx(n: CNode, p: number): expr[] {
  const out: expr[] = [ex(n.children[0], p + n.childOffsets[0])];
  const rest = n.children[2];
  for (let k = 0; k < rest.children.length; k++) out.push(ex(rest.children[k], p + rest.childOffsets[k]));
  return out;
}

const T_LAMBDA = 0xe032;

function ex(n: CNode, p: number): expr {
  for (;;) {
    switch (n.ruleName) {
      case 'expr': {
        if (TS.charCodeAt(p) === T_LAMBDA) {
          // "lambda" lambdaParams? ":" expr
          const po = n.children[1];
          const args = po.children.length > 0 ? buildArguments(paramList(po.children[0], p + po.childOffsets[0], lambdaParam)) : emptyArguments();
          return at<expr>({ _type: 'Lambda', args, body: ex(n.children[3], p + n.childOffsets[3]) } as never, p, p + n.matchLength);
        }
        // not* bitOr compTail* condTail?
        const condIt = n.children[3];
        if (condIt.children.length === 0) {
          if (n.children[2].children.length === 0 && n.children[0].children.length === 0) {
            p += n.childOffsets[1];
            n = n.children[1];
            continue;
          }
          return disj(n, p);
        }
        const b = n.children[2].children.length === 0 && n.children[0].children.length === 0
          ? ex(n.children[1], p + n.childOffsets[1]) : disj(n, p);
        const c = condIt.children[0];
        const cp = p + condIt.childOffsets[0];
        const test = ex(c.children[1], cp + c.childOffsets[1]);
        const orelse = ex(c.children[3], cp + c.childOffsets[3]);
        return at<expr>({ _type: 'IfExp', test, body: b, orelse } as never, p, p + n.matchLength);
      }
      case 'disj': {
        if (n.children[2].children.length === 0 && n.children[0].children.length === 0) {
          p += n.childOffsets[1];
          n = n.children[1];
          continue;
        }
        return disj(n, p);
      }
      case 'bitOr': {
        if (n.children[3].children.length === 0 && n.children[0].children.length === 0) {
          return primary(n.children[1], p + n.childOffsets[1], n.children[2], p);
        }
        return bitOr(n, p);
      }
      case 'namedExpr': case 'yieldExpr':
        p += n.childOffsets[0];
        n = n.children[0];
        continue;
      case 'starExprs': case 'starNamedExprs': case 'targets':
        return tupleOrSingle(n, p);
      case 'starred':
        return at<expr>({ _type: 'Starred', value: ex(n.children[1], p + n.childOffsets[1]), ctx: 'Load' } as never, p, p + n.matchLength);
      case 'starTarget': {
        const v = ex(n.children[1], p + n.childOffsets[1]);
        if (n.children[0].children.length === 0) return v;
        return at<expr>({ _type: 'Starred', value: v, ctx: 'Load' } as never, p, p + n.matchLength);
      }
      case 'walrus': {
        const target = at<Name>({ _type: 'Name', id: nameAt(p), ctx: 'Store' }, p, p + 1);
        return at<expr>({ _type: 'NamedExpr', target, value: ex(n.children[2], p + n.childOffsets[2]) } as never, p, p + n.matchLength);
      }
      case 'yieldExpr_from':
        return at<expr>({ _type: 'YieldFrom', value: ex(n.children[2], p + n.childOffsets[2]) } as never, p, p + n.matchLength);
      case 'yieldExpr_plain':
        return at<expr>({ _type: 'Yield', value: optEx(n.children[1], p) } as never, p, p + n.matchLength);
      default:
        return bail();
    }
  }
}

/** The first three bindings of `expr` / `disj`: not* bitOr compTail*. */
function disj(n: CNode, p: number): expr {
  const nots = n.children[0], first = n.children[1], tails = n.children[2];
  const pre: number[][] = [nots.childOffsets.map((o) => p + o)];
  const operands: Operand[] = [];
  const s0 = p + n.childOffsets[1];
  operands.push({ node: ex(first, s0), s: s0, e: s0 + first.matchLength });
  const opTexts: string[] = [];
  for (let k = 0; k < tails.children.length; k++) {
    // (cmpOp | isNot | notIn) not* bitOr
    const t = tails.children[k];
    const tp = p + tails.childOffsets[k];
    const op = t.children[0];
    if (op.ruleName === 'isNot') opTexts.push('is not');
    else if (op.ruleName === 'notIn') opTexts.push('not in');
    else opTexts.push(CODE_TEXT[TS.charCodeAt(tp)]);
    pre.push(t.children[1].childOffsets.map((o) => tp + o));
    const b = t.children[2];
    const s = tp + t.childOffsets[2];
    operands.push({ node: ex(b, s), s, e: s + b.matchLength });
  }
  return boolean(pre, operands, opTexts);
}

/** bitOr: unary* atom trailer* binTail*, binTail: binOp unary* atom trailer*. */
function bitOr(n: CNode, p: number): expr {
  const pre: number[][] = [n.children[0].childOffsets.map((o) => p + o)];
  const prim: Operand[] = [];
  const a0 = n.children[1], t0 = n.children[2];
  const s0 = p + n.childOffsets[1];
  prim.push({ node: primary(a0, s0, t0, p), s: s0, e: primaryEnd(a0, s0, t0, p) });
  const tails = n.children[3];
  const opTexts: string[] = [];
  for (let k = 0; k < tails.children.length; k++) {
    const t = tails.children[k];
    const tp = p + tails.childOffsets[k];
    opTexts.push(CODE_TEXT[TS.charCodeAt(tp)]);
    pre.push(t.children[1].childOffsets.map((o) => tp + o));
    const a = t.children[2];
    const s = tp + t.childOffsets[2];
    prim.push({ node: primary(a, s, t.children[3], tp), s, e: primaryEnd(a, s, t.children[3], tp) });
  }
  return arith(pre, prim, opTexts);
}

function primaryEnd(a: CNode, s: number, trs: CNode, base: number): number {
  const m = trs.children.length;
  if (m === 0) return s + a.matchLength;
  return base + trs.childOffsets[m - 1] + trs.children[m - 1].matchLength;
}

/** An atom at s followed by the trailers `trs` (offsets relative to base). */
function primary(a: CNode, s: number, trs: CNode, base: number): expr {
  let node = atom(a, s, base);
  for (let k = 0; k < trs.children.length; k++) {
    const t = trs.children[k];
    const q = base + trs.childOffsets[k];
    const te = q + t.matchLength;
    switch (t.ruleName) {
      case 'call': {
        const o = t.children[1];
        node = buildCall(node, o.children.length > 0 ? argList(o.children[0], q + o.childOffsets[0]) : [], q, te, s);
        break;
      }
      case 'subscript':
        node = at<expr>({ _type: 'Subscript', value: node, slice: slices(t.children[1], q + t.childOffsets[1]), ctx: 'Load' } as never, s, te);
        break;
      default:
        node = at<expr>({ _type: 'Attribute', value: node, attr: nameAt(q + t.childOffsets[1]), ctx: 'Load' } as never, s, te);
    }
  }
  return node;
}

function comps(it: CNode, p: number): comprehension[] {
  const out: comprehension[] = [];
  for (let k = 0; k < it.children.length; k++) out.push(compFor(it.children[k], p + it.childOffsets[k]));
  return out;
}
function compFor(n: CNode, p: number): comprehension {
  // "for" targets "in" disj ("if" disj)*
  const target = toStore(ex(n.children[1], p + n.childOffsets[1]), 'for');
  const iter = ex(n.children[3], p + n.childOffsets[3]);
  const conds = n.children[5];
  const ifs: expr[] = [];
  for (let k = 0; k < conds.children.length; k++) ifs.push(ex(conds.children[k], p + conds.childOffsets[k]));
  return { _type: 'comprehension', target, iter, ifs, is_async: 0 };
}

/** An atom of bitOr at q: a token, a run of string tokens, or a paren/list/brace atom. */
function atom(c: CNode, q: number, base: number): expr {
  if (c.ruleName !== undefined) {
    const k = c.children[0];
    const r = q + c.childOffsets[0];
    const e = r + k.matchLength;
    switch (k.ruleName) {
      case 'parenAtom_empty':
        return at<expr>({ _type: 'Tuple', elts: [], ctx: 'Load' } as never, r, e);
      case 'parenAtom_yield': {
        const y = ex(k.children[1], r + k.childOffsets[1]);
        parenthesized.add(y);
        return y;
      }
      case 'parenAtom_genexp':
        return at<expr>({
          _type: 'GeneratorExp', elt: ex(k.children[1], r + k.childOffsets[1]), generators: comps(k.children[2], r),
        } as never, r, e);
      case 'parenAtom_tuple': {
        const inner = k.children[1];
        const ie = ex(inner, r + k.childOffsets[1]);
        const isTuple = inner.children[3].children.length > 0 || inner.children[2].children.length > 0;
        if (isTuple) at(ie as never, r, e);
        else if (ie._type === 'Starred') bail();
        parenthesized.add(ie);
        return ie;
      }
      case 'listAtom_comp':
        return at<expr>({
          _type: 'ListComp', elt: ex(k.children[1], r + k.childOffsets[1]), generators: comps(k.children[2], r),
        } as never, r, e);
      case 'listAtom_list': {
        const it = k.children[1];
        const elts = it.children.length > 0 ? listEx(it.children[0], r + it.childOffsets[0]) : [];
        return at<expr>({ _type: 'List', elts, ctx: 'Load' } as never, r, e);
      }
      case 'braceAtom_empty':
        return at<expr>({ _type: 'Dict', keys: [], values: [] } as never, r, e);
      case 'braceAtom_dictcomp': {
        const di = k.children[1];
        const dp = r + k.childOffsets[1];
        const item = di.children[0];
        if (item.ruleName === 'dictItem_dstar') bail();
        const ip = dp + di.childOffsets[0];
        return at<expr>({
          _type: 'DictComp', key: ex(item.children[0], ip + item.childOffsets[0]),
          value: ex(item.children[2], ip + item.childOffsets[2]), generators: comps(k.children[2], r),
        } as never, r, e);
      }
      case 'braceAtom_dict': {
        const keys: (expr | null)[] = [];
        const values: expr[] = [];
        const one = (di: CNode, dp: number): void => {
          const item = di.children[0];
          const ip = dp + di.childOffsets[0];
          if (item.ruleName === 'dictItem_dstar') {
            keys.push(null);
            values.push(ex(item.children[1], ip + item.childOffsets[1]));
          } else {
            keys.push(ex(item.children[0], ip + item.childOffsets[0]));
            values.push(ex(item.children[2], ip + item.childOffsets[2]));
          }
        };
        one(k.children[1], r + k.childOffsets[1]);
        const rest = k.children[3];
        for (let j = 0; j < rest.children.length; j++) one(rest.children[j], r + rest.childOffsets[j]);
        return at<expr>({ _type: 'Dict', keys, values } as never, r, e);
      }
      case 'braceAtom_setcomp':
        return at<expr>({
          _type: 'SetComp', elt: ex(k.children[1], r + k.childOffsets[1]), generators: comps(k.children[2], r),
        } as never, r, e);
      case 'braceAtom_set':
        return at<expr>({ _type: 'Set', elts: listEx(k.children[1], r + k.childOffsets[1]) } as never, r, e);
      default:
        return bail();
    }
  }
  if (c.children !== undefined) {
    // strings: one or more STRING / f-STRING tokens
    const offs = c.childOffsets;
    const s = base + offs[0];
    const e = base + offs[offs.length - 1] + 1;
    return strings(s, e);
  }
  const code = TS.charCodeAt(q);
  let value: ConstValue;
  switch (code) {
    case T_NAME:
      return at<expr>({ _type: 'Name', id: nameAt(q), ctx: 'Load' } as never, q, q + 1);
    case T_NUMBER: value = numberValue(text(q)); break;
    case 0xe029: value = null; break;
    case 0xe02a: value = true; break;
    case 0xe028: value = false; break;
    case 0xe072: value = Ellipsis; break;
    default: return bail();
  }
  return at<expr>({ _type: 'Constant', value, kind: null } as never, q, q + 1);
}

function isRawPrefix(p: string): boolean {
  return p.indexOf('r') >= 0 || p.indexOf('R') >= 0;
}

interface StrPart {
  lit?: string;
  fv?: { value: expr; conversion: number; spec: StrPart[] | null };
}

/** The literal text of an f-string literal part: `{{`/`}}` halved, escapes decoded unless raw. */
function fLiteral(t: string, raw: boolean): string {
  const u = t.replace(/\{\{/g, '{').replace(/\}\}/g, '}');
  return raw ? u : decodeEscapes(u, false);
}

const BLANK = /^[ \t\n\r\u000c]*$/;

/** The parts of an fBody / fSpec iteration (as to_ast.ts fParts); `base` is the rule's start. */
function fParts(it: CNode, base: number, body: string, raw: boolean, bodySrc: number, tokSrc: number, depth: number, out: StrPart[]): void {
  for (let k = 0; k < it.children.length; k++) {
    const c = it.children[k];
    const p = base + it.childOffsets[k];
    if (c.ruleName !== 'fField') {
      // fLit / fSpecLit
      out.push({ lit: fLiteral(body.slice(p, p + c.matchLength), raw) });
      continue;
    }
    // "{" fExpr fEq? fConv? fSpec? "}"
    if (depth >= 2) bail();
    const xs = p + c.childOffsets[1];
    const text = body.slice(xs, xs + c.children[1].matchLength);
    if (BLANK.test(text)) bail();
    const value = hooks.field(text, bodySrc + p, tokSrc);
    const eqIt = c.children[2], convIt = c.children[3], specIt = c.children[4];
    if (eqIt.children.length > 0) {
      const es = p + eqIt.childOffsets[0];
      out.push({ lit: text + body.slice(es, es + eqIt.children[0].matchLength) });
    }
    let conversion = -1;
    if (convIt.children.length > 0) conversion = body.charCodeAt(p + convIt.childOffsets[0] + 1);
    else if (eqIt.children.length > 0 && specIt.children.length === 0) conversion = 114;
    let spec: StrPart[] | null = null;
    if (specIt.children.length > 0) {
      const sp = specIt.children[0];
      spec = [];
      fParts(sp.children[1], p + specIt.childOffsets[0], body, raw, bodySrc, tokSrc, depth + 1, spec);
    }
    out.push({ fv: { value, conversion, spec } });
  }
}

function joined(parts: StrPart[], s: number, e: number, kind: string | null): expr[] {
  const values: expr[] = [];
  let acc: string | null = null;
  const flush = (): void => {
    if (acc !== null && acc.length > 0) values.push(at<expr>({ _type: 'Constant', value: acc, kind } as never, s, e));
    acc = null;
  };
  for (const part of parts) {
    if (part.lit !== undefined) {
      acc = (acc ?? '') + part.lit;
    } else {
      flush();
      const fv = part.fv!;
      const spec = fv.spec ? at<expr>({ _type: 'JoinedStr', values: joined(fv.spec, s, e, kind) } as never, s, e) : null;
      values.push(at<expr>({ _type: 'FormattedValue', value: fv.value, conversion: fv.conversion, format_spec: spec } as never, s, e));
    }
  }
  flush();
  return values;
}

/** Adjacent string tokens [s, e) (as to_ast.ts buildStrings). */
function strings(s: number, e: number): expr {
  let anyBytes = false, anyStr = false, anyF = false;
  const first = SRC.charCodeAt(TOKS[s]);
  const kind = first === 117 || first === 85 ? 'u' : null;
  let str = '';
  let bytesOut: number[] | null = null;
  const parts: StrPart[] = [];
  for (let t = s; t < e; t++) {
    const tok = text(t);
    let q = 0;
    while (tok[q] !== '"' && tok[q] !== '\'') q++;
    const prefix = tok.slice(0, q);
    const qc = tok[q];
    const triple = tok.length - q >= 6 && tok[q + 1] === qc && tok[q + 2] === qc;
    const bs = triple ? q + 3 : q + 1;
    const body = tok.slice(bs, tok.length - (triple ? 3 : 1));
    const raw = q > 0 && isRawPrefix(prefix);
    if (TS.charCodeAt(t) === T_FSTRING) {
      anyF = true;
      anyStr = true;
      const cst = hooks.body(body) as CNode | null;
      if (!cst) bail();
      try {
        fParts(cst.children[0], 0, body, raw, TOKS[t] + bs, TOKS[t], 0, parts);
      } catch (x) {
        if (x === FALLBACK) throw x;
        return bail();
      }
      continue;
    }
    const isBytes = q > 0 && /[bB]/.test(prefix);
    if (isBytes) {
      anyBytes = true;
      for (let k = 0; k < body.length; k++) if (body.charCodeAt(k) >= 128) bail();
    } else anyStr = true;
    let value: string;
    try {
      value = raw ? body : decodeEscapes(body, isBytes);
    } catch {
      return bail();
    }
    if (isBytes) {
      bytesOut ??= [];
      for (let k = 0; k < value.length; k++) bytesOut.push(value.charCodeAt(k) & 0xff);
    } else {
      parts.push({ lit: value });
      str += value;
    }
  }
  if (anyBytes && anyStr) bail();
  if (anyBytes) return at<expr>({ _type: 'Constant', value: new Uint8Array(bytesOut!), kind: null } as never, s, e);
  if (!anyF) return at<expr>({ _type: 'Constant', value: str, kind } as never, s, e);
  return at<expr>({ _type: 'JoinedStr', values: joined(parts, s, e, kind) } as never, s, e);
}

function slices(n: CNode, p: number): expr {
  const rest = n.children[2];
  if (rest.children.length === 0 && n.children[3].children.length === 0) {
    const only = slice(n.children[0], p + n.childOffsets[0]);
    // a lone starred subscript is a 1-tuple: a[*b]
    if (only._type !== 'Starred') return only;
    return at<expr>({ _type: 'Tuple', elts: [only], ctx: 'Load' } as never, p, p + n.matchLength);
  }
  const elts: expr[] = [slice(n.children[0], p + n.childOffsets[0])];
  for (let k = 0; k < rest.children.length; k++) elts.push(slice(rest.children[k], p + rest.childOffsets[k]));
  return at<expr>({ _type: 'Tuple', elts, ctx: 'Load' } as never, p, p + n.matchLength);
}
function slice(c: CNode, q: number): expr {
  switch (c.ruleName) {
    case 'properSlice': {
      // expr? ":" expr? (":" expr?)?
      const st = c.children[4];
      return at<expr>({
        _type: 'Slice', lower: optEx(c.children[0], q), upper: optEx(c.children[2], q),
        step: st.children.length > 0 ? optEx(st.children[0], q) : null,
      } as never, q, q + c.matchLength);
    }
    case 'starred':
      return ex(c, q);
    default:
      // python.ohm's `Slice_slice` takes the ':' of `x:=1`, so it rejects a bare walrus here
      if (c.children[0].ruleName === 'walrus') bail();
      return ex(c, q);
  }
}

// ------------------------------------------------------------------ calls

interface ArgItem {
  kind: 'kw' | 'dstar' | 'star' | 'genexp' | 'plain';
  s: number;
  e: number;
  value: expr;
  name?: string;
}

function argList(n: CNode, p: number): ArgItem[] {
  const out: ArgItem[] = [argItem(n.children[0], p + n.childOffsets[0])];
  const rest = n.children[2];
  for (let k = 0; k < rest.children.length; k++) out.push(argItem(rest.children[k], p + rest.childOffsets[k]));
  return out;
}
function argItem(c: CNode, q: number): ArgItem {
  const e = q + c.matchLength;
  switch (c.ruleName) {
    case 'kwArg':
      return { kind: 'kw', s: q, e, name: nameAt(q), value: ex(c.children[2], q + c.childOffsets[2]) };
    case 'dstarArg':
      return { kind: 'dstar', s: q, e, value: ex(c.children[1], q + c.childOffsets[1]) };
    case 'starArg':
      return { kind: 'star', s: q, e, value: ex(c.children[1], q + c.childOffsets[1]) };
    default: {
      const value = ex(c.children[0], q + c.childOffsets[0]);
      const cf = c.children[1];
      if (cf.children.length === 0) return { kind: 'plain', s: q, e, value };
      return {
        kind: 'genexp', s: q, e,
        value: at<expr>({ _type: 'GeneratorExp', elt: value, generators: comps(cf, q) } as never, q, e),
      };
    }
  }
}

function buildCall(func: expr, items: ArgItem[], ts: number, te: number, s: number): expr {
  const args: expr[] = [];
  const keywords: keyword[] = [];
  let seenKw = false, seenDstar = false;
  for (const it of items) {
    switch (it.kind) {
      case 'plain':
      case 'genexp':
        if (it.kind === 'genexp' && items.length > 1) bail();
        if (seenDstar || seenKw) bail();
        // the sole generator argument spans the call's parentheses
        if (it.kind === 'genexp') at(it.value as never, ts, te);
        args.push(it.value);
        break;
      case 'star':
        if (seenDstar) bail();
        args.push(at<expr>({ _type: 'Starred', value: it.value, ctx: 'Load' } as never, it.s, it.e));
        break;
      case 'kw':
        seenKw = true;
        keywords.push(at<keyword>({ _type: 'keyword', arg: it.name!, value: it.value }, it.s, it.e));
        break;
      case 'dstar':
        seenDstar = true;
        keywords.push(at<keyword>({ _type: 'keyword', arg: null, value: it.value }, it.s, it.e));
        break;
    }
  }
  return at<expr>({ _type: 'Call', func, args, keywords } as never, s, te);
}

// ------------------------------------------------------------------ parameters

interface ParamItem {
  kind: 'slash' | 'star' | 'vararg' | 'kwarg' | 'plain';
  arg?: arg;
  def?: expr | null;
}

function paramList(n: CNode, p: number, one: (n: CNode, p: number) => ParamItem): ParamItem[] {
  const out: ParamItem[] = [one(n.children[0], p + n.childOffsets[0])];
  const rest = n.children[2];
  for (let k = 0; k < rest.children.length; k++) out.push(one(rest.children[k], p + rest.childOffsets[k]));
  return out;
}
function mkArg(t: number, annIt: CNode | null, p: number): arg {
  if (annIt && annIt.children.length > 0) {
    const a = annIt.children[0];
    const ap = p + annIt.childOffsets[0];
    const annotation = ex(a.children[1], ap + a.childOffsets[1]);
    return at<arg>({ _type: 'arg', arg: nameAt(t), annotation }, t, ap + a.matchLength);
  }
  return at<arg>({ _type: 'arg', arg: nameAt(t), annotation: null }, t, t + 1);
}
function param(n: CNode, p: number): ParamItem {
  const c = n.children[0];
  const q = p + n.childOffsets[0];
  switch (c.ruleName) {
    case 'param_kwarg': return { kind: 'kwarg', arg: mkArg(q + c.childOffsets[1], c.children[2], q) };
    case 'param_vararg': return { kind: 'vararg', arg: mkArg(q + c.childOffsets[1], c.children[2], q) };
    case 'param_star': return { kind: 'star' };
    case 'param_slash': return { kind: 'slash' };
    default: return { kind: 'plain', arg: mkArg(q, c.children[1], q), def: optEx(c.children[3], q) };
  }
}
function lambdaParam(n: CNode, p: number): ParamItem {
  const c = n.children[0];
  const q = p + n.childOffsets[0];
  switch (c.ruleName) {
    case 'lambdaParam_kwarg': return { kind: 'kwarg', arg: mkArg(q + c.childOffsets[1], null, q) };
    case 'lambdaParam_vararg': return { kind: 'vararg', arg: mkArg(q + c.childOffsets[1], null, q) };
    case 'lambdaParam_star': return { kind: 'star' };
    case 'lambdaParam_slash': return { kind: 'slash' };
    default: return { kind: 'plain', arg: mkArg(q, null, q), def: optEx(c.children[2], q) };
  }
}

/** As to_ast.ts buildArguments; every error is left to the reference parser. */
function buildArguments(items: ParamItem[]): Arguments {
  const posonlyargs: arg[] = [], args: arg[] = [], kwonlyargs: arg[] = [];
  const defaults: expr[] = [], kw_defaults: (expr | null)[] = [];
  let vararg: arg | null = null, kwarg: arg | null = null;
  let seenSlash = false, seenStar = false, seenDefault = false, seenKwarg = false;
  let bareStar = false;
  for (const it of items) {
    if (seenKwarg) bail();
    switch (it.kind) {
      case 'slash':
        if (seenSlash || seenStar || args.length === 0) bail();
        posonlyargs.push(...args);
        args.length = 0;
        seenSlash = true;
        break;
      case 'star':
      case 'vararg':
        if (seenStar) bail();
        seenStar = true;
        if (it.kind === 'vararg') vararg = it.arg!;
        else bareStar = true;
        break;
      case 'kwarg':
        if (bareStar && kwonlyargs.length === 0) bail();
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
            bail();
          }
        }
        break;
    }
  }
  if (bareStar && kwonlyargs.length === 0) bail();
  return { _type: 'arguments', posonlyargs, args, vararg, kwonlyargs, kw_defaults, kwarg, defaults };
}

function emptyArguments(): Arguments {
  return { _type: 'arguments', posonlyargs: [], args: [], vararg: null, kwonlyargs: [], kw_defaults: [], kwarg: null, defaults: [] };
}

// ------------------------------------------------------------------ statements

type Ends = { end_lineno: number; end_col_offset: number }[];

function compound<T extends Pos>(o: Omit<T, keyof Pos>, s: number, ...blocks: Ends[]): T {
  const r = o as T;
  r.lineno = SL[s];
  r.col_offset = SC[s];
  for (let k = blocks.length - 1; k >= 0; k--) {
    const b = blocks[k];
    if (b.length > 0) {
      const l = b[b.length - 1];
      r.end_lineno = l.end_lineno;
      r.end_col_offset = l.end_col_offset;
      return r;
    }
  }
  return bail();
}

function block(n: CNode, p: number): stmt[] {
  const c = n.children[0];
  const q = p + n.childOffsets[0];
  const out: stmt[] = [];
  if (c.ruleName === 'block_line') {
    simpleStmts(c.children[0], q + c.childOffsets[0], out);
  } else {
    const it = c.children[2];
    for (let k = 0; k < it.children.length; k++) stmtInto(it.children[k], q + it.childOffsets[k], out);
  }
  return out;
}
function optBlock(it: CNode, p: number): stmt[] {
  // an optional elseClause / finallyClause: keyword ":" block
  if (it.children.length === 0) return [];
  const c = it.children[0];
  const q = p + it.childOffsets[0];
  return block(c.children[2], q + c.childOffsets[2]);
}

function stmtInto(n: CNode, p: number, out: stmt[]): void {
  const c = n.children[0];
  const q = p + n.childOffsets[0];
  if (c.ruleName === 'simpleStmts') simpleStmts(c, q, out);
  else out.push(compoundStmt(c, q));
}
function simpleStmts(n: CNode, p: number, out: stmt[]): void {
  out.push(simpleStmt(n.children[0], p + n.childOffsets[0]));
  const rest = n.children[2];
  for (let k = 0; k < rest.children.length; k++) out.push(simpleStmt(rest.children[k], p + rest.childOffsets[k]));
}

function names(n: CNode, p: number, first: number): string[] {
  // kw NAME ("," NAME)*
  const out = [nameAt(p + n.childOffsets[first])];
  const rest = n.children[first + 2];
  for (let k = 0; k < rest.children.length; k++) out.push(nameAt(p + rest.childOffsets[k]));
  return out;
}
function dottedName(n: CNode, p: number): string {
  return names(n, p, 0).join('.');
}
function aliasOf(n: CNode, p: number, name: string): alias {
  // (... ("as" NAME)?): children[1] the "as" column, children[2] the NAME column
  const a = n.children[2];
  const asname = a.children.length > 0 ? nameAt(p + a.childOffsets[0]) : null;
  return at<alias>({ _type: 'alias', name, asname }, p, p + n.matchLength);
}
function dottedAsName(n: CNode, p: number): alias {
  const dn = n.children[0];
  return aliasOf(n, p, dottedName(dn, p + n.childOffsets[0]));
}
function importAsName(n: CNode, p: number): alias {
  return aliasOf(n, p, nameAt(p));
}
function importTargets(n: CNode, p: number): alias[] {
  const c = n.children[0];
  const q = p + n.childOffsets[0];
  if (c.ruleName === 'importTargets_star') return [at<alias>({ _type: 'alias', name: '*', asname: null }, q, q + 1)];
  const o = c.ruleName === 'importTargets_paren' ? 1 : 0;
  const out = [importAsName(c.children[o], q + c.childOffsets[o])];
  const rest = c.children[o + 2];
  for (let k = 0; k < rest.children.length; k++) out.push(importAsName(rest.children[k], q + rest.childOffsets[k]));
  return out;
}
function dotLevel(it: CNode, p: number): number {
  let n = 0;
  for (let k = 0; k < it.children.length; k++) n += TS.charCodeAt(p + it.childOffsets[k]) === 46 ? 1 : 3;
  return n;
}

function simpleStmt(n: CNode, p: number): stmt {
  const c = n.children[0];
  const q = p + n.childOffsets[0];
  const e = q + c.matchLength;
  switch (c.ruleName) {
    case 'exprStmt':
      return exprStmt(c, q);
    case 'returnStmt':
      return at<stmt>({ _type: 'Return', value: optEx(c.children[1], q) } as never, q, e);
    case 'passStmt':
      return at<stmt>({ _type: 'Pass' } as never, q, e);
    case 'breakStmt':
      return at<stmt>({ _type: 'Break' } as never, q, e);
    case 'continueStmt':
      return at<stmt>({ _type: 'Continue' } as never, q, e);
    case 'raiseStmt': {
      const ci = c.children[3];
      return at<stmt>({
        _type: 'Raise', exc: optEx(c.children[1], q), cause: ci.children.length > 0 ? optEx(ci.children[0], q) : null,
      } as never, q, e);
    }
    case 'delStmt': {
      const t = ex(c.children[1], q + c.childOffsets[1]);
      const list = t._type === 'Tuple' && !parenthesized.has(t) ? t.elts : [t];
      for (const x of list) toStore(x, 'del');
      return at<stmt>({ _type: 'Delete', targets: list } as never, q, e);
    }
    case 'assertStmt':
      return at<stmt>({ _type: 'Assert', test: ex(c.children[1], q + c.childOffsets[1]), msg: optEx(c.children[3], q) } as never, q, e);
    case 'globalStmt':
      return at<stmt>({ _type: 'Global', names: names(c, q, 1) } as never, q, e);
    case 'nonlocalStmt':
      return at<stmt>({ _type: 'Nonlocal', names: names(c, q, 1) } as never, q, e);
    case 'importStmt': {
      const out = [dottedAsName(c.children[1], q + c.childOffsets[1])];
      const rest = c.children[3];
      for (let k = 0; k < rest.children.length; k++) out.push(dottedAsName(rest.children[k], q + rest.childOffsets[k]));
      return at<stmt>({ _type: 'Import', names: out } as never, q, e);
    }
    case 'fromImportStmt': {
      const f = c.children[0];
      const r = q + c.childOffsets[0];
      const level = dotLevel(f.children[1], r);
      if (f.ruleName === 'fromImportStmt_named') {
        const module = dottedName(f.children[2], r + f.childOffsets[2]);
        return at<stmt>({ _type: 'ImportFrom', module, names: importTargets(f.children[4], r + f.childOffsets[4]), level } as never, q, e);
      }
      return at<stmt>({ _type: 'ImportFrom', module: null, names: importTargets(f.children[3], r + f.childOffsets[3]), level } as never, q, e);
    }
    default:
      return bail();
  }
}

function exprStmt(n: CNode, p: number): stmt {
  const e = p + n.matchLength;
  const h = ex(n.children[0], p + n.childOffsets[0]);
  const tailOpt = n.children[1];
  if (tailOpt.children.length === 0) return at<stmt>({ _type: 'Expr', value: h } as never, p, e);
  const t = tailOpt.children[0];
  const q = p + tailOpt.childOffsets[0];
  switch (t.ruleName) {
    case 'augTail': {
      const op = AUG_OPS[CODE_TEXT[TS.charCodeAt(q)]];
      if (h._type !== 'Name' && h._type !== 'Attribute' && h._type !== 'Subscript') bail();
      h.ctx = 'Store';
      return at<stmt>({ _type: 'AugAssign', target: h, op, value: ex(t.children[1], q + t.childOffsets[1]) } as never, p, e);
    }
    case 'annTail': {
      const ann = ex(t.children[1], q + t.childOffsets[1]);
      const rhsIt = t.children[2];
      if (h._type !== 'Name' && h._type !== 'Attribute' && h._type !== 'Subscript') bail();
      h.ctx = 'Store';
      const simple = h._type === 'Name' && !parenthesized.has(h) ? 1 : 0;
      let value: expr | null = null;
      if (rhsIt.children.length > 0) {
        const r = rhsIt.children[0];
        const rp = q + rhsIt.childOffsets[0];
        value = ex(r.children[1], rp + r.childOffsets[1]);
      }
      return at<stmt>({ _type: 'AnnAssign', target: h, annotation: ann, value, simple } as never, p, e);
    }
    default: {
      const rhsIt = t.children[0];
      const all: expr[] = [h];
      for (let k = 0; k < rhsIt.children.length; k++) {
        const r = rhsIt.children[k];
        const rp = q + rhsIt.childOffsets[k];
        all.push(ex(r.children[1], rp + r.childOffsets[1]));
      }
      const value = all.pop()!;
      const targets = all;
      if (targets.length === 1) {
        // to_ast.ts: CPython's invalid_named_expression ("Maybe you meant '=='...")
        const t0 = targets[0];
        const a = t0._type === 'Tuple' && !parenthesized.has(t0) && t0.elts.length > 0 ? t0.elts[t0.elts.length - 1] : t0;
        if (invalidTarget(a, 'star') !== null && !(a._type === 'Tuple' && parenthesized.has(a)) && a._type !== 'List'
          && isBitwiseLevel(a) && !startsWithDisplay(a)) {
          if (isBitwiseLevel(leftmost(value))) bail();
        }
      }
      for (const x of targets) {
        if (x._type === 'Yield' || x._type === 'YieldFrom') bail();
        toStore(x);
      }
      return at<stmt>({ _type: 'Assign', targets, value } as never, p, e);
    }
  }
}

function compoundStmt(c: CNode, q: number): stmt {
  switch (c.ruleName) {
    case 'funcDef': return funcDef(c, q);
    case 'classDef': return classDef(c, q);
    case 'ifStmt': {
      // "if" namedExpr ":" block elifClause* elseClause?
      const body = block(c.children[3], q + c.childOffsets[3]);
      let orelse = optBlock(c.children[5], q);
      const elifs = c.children[4];
      for (let k = elifs.children.length - 1; k >= 0; k--) {
        const en = elifs.children[k];
        const ep = q + elifs.childOffsets[k];
        const eb = block(en.children[3], ep + en.childOffsets[3]);
        const node = compound<stmt>({ _type: 'If', test: ex(en.children[1], ep + en.childOffsets[1]), body: eb, orelse } as never, ep, eb, orelse);
        orelse = [node];
      }
      return compound<stmt>({ _type: 'If', test: ex(c.children[1], q + c.childOffsets[1]), body, orelse } as never, q, body, orelse);
    }
    case 'whileStmt': {
      const body = block(c.children[3], q + c.childOffsets[3]);
      const orelse = optBlock(c.children[4], q);
      return compound<stmt>({ _type: 'While', test: ex(c.children[1], q + c.childOffsets[1]), body, orelse } as never, q, body, orelse);
    }
    case 'forStmt': {
      // "for" targets "in" starExprs ":" block elseClause?
      const target = toStore(ex(c.children[1], q + c.childOffsets[1]), 'for');
      const body = block(c.children[5], q + c.childOffsets[5]);
      const orelse = optBlock(c.children[6], q);
      return compound<stmt>({ _type: 'For', target, iter: ex(c.children[3], q + c.childOffsets[3]), body, orelse } as never, q, body, orelse);
    }
    case 'withStmt': {
      const w = c.children[0];
      const r = q + c.childOffsets[0];
      const paren = w.ruleName === 'withStmt_paren';
      const o = paren ? 2 : 1;
      const items = [withItem(w.children[o], r + w.childOffsets[o])];
      const rest = w.children[o + 2];
      for (let k = 0; k < rest.children.length; k++) items.push(withItem(rest.children[k], r + rest.childOffsets[k]));
      const bi = paren ? 8 : 5;
      const body = block(w.children[bi], r + w.childOffsets[bi]);
      return compound<stmt>({ _type: 'With', items, body } as never, q, body);
    }
    case 'tryStmt': {
      const tn = c.children[0];
      const r = q + c.childOffsets[0];
      const body = block(tn.children[2], r + tn.childOffsets[2]);
      if (tn.ruleName === 'tryStmt_finally') {
        const fin = tn.children[3];
        const fp = r + tn.childOffsets[3];
        const finalbody = block(fin.children[2], fp + fin.childOffsets[2]);
        return compound<stmt>({ _type: 'Try', body, handlers: [], orelse: [], finalbody } as never, q, body, finalbody);
      }
      const hs: ExceptHandler[] = [];
      const hi = tn.children[3];
      for (let k = 0; k < hi.children.length; k++) hs.push(exceptClause(hi.children[k], r + hi.childOffsets[k]));
      const orelse = optBlock(tn.children[4], r);
      const finalbody = optBlock(tn.children[5], r);
      return compound<stmt>({ _type: 'Try', body, handlers: hs, orelse, finalbody } as never, q, body, hs, orelse, finalbody);
    }
    case 'decorated': {
      const decs = c.children[0];
      const list: expr[] = [];
      for (let k = 0; k < decs.children.length; k++) {
        const d = decs.children[k];
        const dp = q + decs.childOffsets[k];
        list.push(ex(d.children[1], dp + d.childOffsets[1]));
      }
      const def = c.children[1];
      const dq = q + c.childOffsets[1];
      const s = (def.ruleName === 'funcDef' ? funcDef(def, dq) : classDef(def, dq)) as stmt & { decorator_list: expr[] };
      s.decorator_list = list;
      return s;
    }
    default:
      return bail();
  }
}

function withItem(n: CNode, p: number): withitem {
  const t = n.children[2];
  return {
    _type: 'withitem', context_expr: ex(n.children[0], p + n.childOffsets[0]),
    optional_vars: t.children.length > 0 ? toStore(ex(t.children[0], p + t.childOffsets[0])) : null,
  };
}

function exceptClause(n: CNode, p: number): ExceptHandler {
  // "except" (expr ("as" NAME)?)? ":" block
  const body = block(n.children[5], p + n.childOffsets[5]);
  const nmIt = n.children[3];
  const nm = nmIt.children.length > 0 && nmIt.children[0].children.length > 0 ? nameAt(p + nmIt.children[0].childOffsets[0]) : null;
  return compound<ExceptHandler>({ _type: 'ExceptHandler', type: optEx(n.children[1], p), name: nm, body }, p, body);
}

function funcDef(n: CNode, p: number): stmt {
  // "def" NAME "(" params? ")" ("->" expr)? ":" block
  const po = n.children[3];
  const args = po.children.length > 0 ? buildArguments(paramList(po.children[0], p + po.childOffsets[0], param)) : emptyArguments();
  const returns = optEx(n.children[6], p);
  const body = block(n.children[8], p + n.childOffsets[8]);
  return compound<stmt>({
    _type: 'FunctionDef', name: nameAt(p + n.childOffsets[1]), args, body, decorator_list: [], returns,
  } as never, p, body);
}

function classDef(n: CNode, p: number): stmt {
  // "class" NAME ("(" args? ")")? ":" block
  const bases: expr[] = [];
  const keywords: keyword[] = [];
  const ao = n.children[3];
  if (ao.children.length > 0 && ao.children[0].children.length > 0) {
    const inner = ao.children[0];
    const items = argList(inner.children[0], p + inner.childOffsets[0]);
    const t = p + n.childOffsets[1];
    const fake = at<expr>({ _type: 'Name', id: '', ctx: 'Load' } as never, t, t + 1);
    const call = buildCall(fake, items, p, p + n.matchLength, p) as expr & { args: expr[]; keywords: keyword[] };
    bases.push(...call.args);
    keywords.push(...call.keywords);
  }
  const body = block(n.children[6], p + n.childOffsets[6]);
  return compound<stmt>({ _type: 'ClassDef', name: nameAt(p + n.childOffsets[1]), bases, keywords, body, decorator_list: [] } as never, p, body);
}

// ------------------------------------------------------------------ start rules

/** The statements of a `chunk` match whose first token is token `base`. */
export function chunkStmts(cst: unknown, base: number, out: stmt[]): void {
  const n = cst as CNode;
  const it = n.children[0];
  for (let k = 0; k < it.children.length; k++) stmtInto(it.children[k], base + it.childOffsets[k], out);
}

/** The expression of an `evalInput` / `fstringInput` match. */
export function inputExpr(cst: unknown, base: number): expr {
  const n = cst as CNode;
  return ex(n.children[0], base + n.childOffsets[0]);
}

export { exprName };
