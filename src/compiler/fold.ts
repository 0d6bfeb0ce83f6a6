// The AST optimizer (≈ CPython 3.11 Python/ast_opt.c, rewritten): constant folding on a copy
// of the tree, before the symbol table is built.
//
// Folded: unary ops on constants (and `not (a is b)` -> `a is not b`, same for in), binary
// ops on constants with CPython's safety limits (ints of at most 128 bits from * ** <<,
// str/bytes repetition up to 4096 items, tuple repetition up to 256 items / 1024 nested
// items, no `%` formatting of str/bytes), tuples of constants, constant subscripts, the right
// operand of `in`/`not in` and the iterable of `for`/comprehensions (list -> tuple, set of
// constants -> frozenset), `__debug__` -> True. Any Python-level error while folding leaves
// the node unfolded. Comparisons and slices are not folded.
//
// Every Constant node gets `_const`: the Const object the parser (or this pass) created.
// Those objects carry `arena: true`: the main script's parser arena holds a reference to each.

import * as A from '../ast.js';
import {
  type Const, type ConstInt, type ConstFloat, type ConstStr, type ConstBytes, type ConstTuple,
  NONE, ELLIPSIS, TRUE, FALSE, mkStr,
} from './code.js';

export type FoldedConstant = A.Constant & { _const: Const };

const MAX_INT_SIZE = 128n;
const MAX_COLLECTION_SIZE = 256;
const MAX_STR_SIZE = 4096;
const MAX_TOTAL_ITEMS = 1024;

/** Deep copy of an AST (the optimizer rewrites nodes in place). */
export function cloneAst<T>(node: T): T {
  if (Array.isArray(node)) return node.map(cloneAst) as T;
  if (node === null || typeof node !== 'object' || node instanceof Uint8Array) return node;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node as Record<string, unknown>)) {
    out[k] = k === 'value' && (node as { _type?: string })._type === 'Constant' ? v : cloneAst(v);
  }
  return out as T;
}

/** The Const object for a parser-level constant value (a new object: the parser's). */
export function constFromValue(v: A.ConstValue): Const {
  if (v === null) return NONE;
  if (v === A.Ellipsis) return ELLIPSIS;
  if (typeof v === 'boolean') return v ? TRUE : FALSE;
  if (typeof v === 'bigint') return { kind: 'int', value: v, arena: true };
  if (typeof v === 'number') return { kind: 'float', value: v, arena: true };
  if (typeof v === 'string') return mkStr(v, true);
  if (v instanceof Uint8Array) return { kind: 'bytes', value: v, arena: true };
  if (typeof v === 'object' && 'imag' in v) return { kind: 'complex', real: 0, imag: v.imag, arena: true };
  throw new Error('unsupported constant value');
}

function arena<T extends Const>(c: T): T {
  if (c.kind !== 'None' && c.kind !== 'Ellipsis' && c.kind !== 'bool' && c.kind !== 'code') {
    (c as { arena?: boolean }).arena = true;
  }
  return c;
}

// ---- Python semantics on constants -------------------------------------------------------

const I = (value: bigint): ConstInt => ({ kind: 'int', value });
const F = (value: number): ConstFloat => ({ kind: 'float', value });

function isIntLike(c: Const): c is ConstInt | (Const & { kind: 'bool' }) {
  return c.kind === 'int' || c.kind === 'bool';
}
function intVal(c: Const): bigint {
  return c.kind === 'bool' ? (c.value ? 1n : 0n) : (c as ConstInt).value;
}
function bitLength(x: bigint): bigint {
  if (x < 0n) x = -x;
  return BigInt(x === 0n ? 0 : x.toString(2).length);
}
/** int -> float, or null on OverflowError. */
function toFloat(c: Const): number | null {
  if (c.kind === 'float') return c.value;
  const v = intVal(c);
  const f = Number(v);
  return Number.isFinite(f) ? f : null;
}
function isNumeric(c: Const): boolean {
  return c.kind === 'int' || c.kind === 'bool' || c.kind === 'float';
}

export function truthy(c: Const): boolean {
  switch (c.kind) {
    case 'None': return false;
    case 'Ellipsis': return true;
    case 'bool': return c.value;
    case 'int': return c.value !== 0n;
    case 'float': return c.value !== 0;
    case 'complex': return c.real !== 0 || c.imag !== 0;
    case 'str': return c.value.length > 0;
    case 'bytes': return c.value.length > 0;
    case 'tuple': case 'frozenset': return c.items.length > 0;
    case 'code': return true;
  }
}

function floorDivBig(a: bigint, b: bigint): bigint {
  const q = a / b;
  return (a % b !== 0n && (a < 0n) !== (b < 0n)) ? q - 1n : q;
}

/** Correctly rounded int / int (≈ long_true_divide) for the sizes that matter here. */
function intTrueDiv(a: bigint, b: bigint): number | null {
  if (b === 0n) return null;
  const lim = 1n << 53n;
  if ((a < 0n ? -a : a) <= lim && (b < 0n ? -b : b) <= lim) return Number(a) / Number(b);
  const neg = (a < 0n) !== (b < 0n);
  let n = a < 0n ? -a : a;
  let d = b < 0n ? -b : b;
  // Scale so the quotient has at least 55 significant bits, keep a sticky bit, round once.
  const shift = 55n - (bitLength(n) - bitLength(d));
  if (shift > 0n) n <<= shift; else d <<= -shift;
  const q = n / d;
  const sticky = n % d !== 0n ? 1n : 0n;
  const qs = (q << 1n) | sticky;
  const r = Number(qs) * Math.pow(2, -Number(shift) - 1);
  if (!Number.isFinite(r)) return null;
  return neg ? -r : r;
}

function floatFloorDiv(vx: number, wx: number): number | null {
  if (wx === 0) return null;
  const mod = vx % wx;
  let div = (vx - mod) / wx;
  if (mod) {
    if ((wx < 0) !== (mod < 0)) div -= 1.0;
  }
  if (div) {
    let fl = Math.floor(div);
    if (div - fl > 0.5) fl += 1.0;
    return fl;
  }
  return (vx / wx) < 0 || Object.is(vx / wx, -0) ? -0.0 : 0.0;
}

function floatMod(vx: number, wx: number): number | null {
  if (wx === 0) return null;
  let mod = vx % wx;
  if (mod) {
    if ((wx < 0) !== (mod < 0)) mod += wx;
  } else {
    mod = wx < 0 || Object.is(wx, -0) ? -0.0 : 0.0;
  }
  return mod;
}

function floatPow(iv: number, iw: number): number | null {
  if (iw === 0) return 1.0;
  if (Number.isNaN(iv)) return iv;
  if (Number.isNaN(iw)) return iv === 1.0 ? 1.0 : iw;
  if (!Number.isFinite(iw)) {
    const a = Math.abs(iv);
    if (a === 1.0) return 1.0;
    if ((iw > 0) === (a > 1.0)) return Math.abs(iw);
    return 0.0;
  }
  if (!Number.isFinite(iv)) return Math.pow(iv, iw);
  if (iv === 0.0) {
    if (iw < 0) return null; // ZeroDivisionError
    return Math.pow(iv, iw);
  }
  if (iv < 0 && iw !== Math.floor(iw)) return null; // complex result: not folded here
  const r = Math.pow(iv, iw);
  if (!Number.isFinite(r)) return null; // OverflowError
  return r;
}

function strLen(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) i++;
    }
    n++;
  }
  return n;
}

function checkComplexity(c: Const, limit: number): number {
  if (c.kind === 'tuple' || c.kind === 'frozenset') {
    limit -= c.items.length;
    for (let i = 0; limit >= 0 && i < c.items.length; i++) limit = checkComplexity(c.items[i]!, limit);
  }
  return limit;
}

function repeatSeq(seq: Const, nC: Const): Const | null {
  const n = intVal(nC);
  if (seq.kind === 'tuple' || seq.kind === 'frozenset') {
    const size = seq.items.length;
    if (size) {
      if (n < 0n || n > BigInt(Math.floor(MAX_COLLECTION_SIZE / size))) return null;
      if (n && checkComplexity(seq, Math.floor(MAX_TOTAL_ITEMS / Number(n))) < 0) return null;
    }
    if (seq.kind === 'frozenset') return null; // TypeError
    const items: Const[] = [];
    for (let i = 0n; i < n; i++) items.push(...seq.items);
    return { kind: 'tuple', items };
  }
  if (seq.kind === 'str') {
    const size = strLen(seq.value);
    if (size && (n < 0n || n > BigInt(Math.floor(MAX_STR_SIZE / size)))) return null;
    return mkStr(n > 0n ? seq.value.repeat(Number(n)) : '');
  }
  if (seq.kind === 'bytes') {
    const size = seq.value.length;
    if (size && (n < 0n || n > BigInt(Math.floor(MAX_STR_SIZE / size)))) return null;
    const k = n > 0n ? Number(n) : 0;
    const out = new Uint8Array(size * k);
    for (let i = 0; i < k; i++) out.set(seq.value, i * size);
    return { kind: 'bytes', value: out };
  }
  return null;
}

function binop(op: A.operator, l: Const, r: Const): Const | null {
  if (isIntLike(l) && isIntLike(r)) {
    const a = intVal(l), b = intVal(r);
    switch (op) {
      case 'Add': return I(a + b);
      case 'Sub': return I(a - b);
      case 'Mult':
        if (a !== 0n && b !== 0n && bitLength(a) + bitLength(b) > MAX_INT_SIZE) return null;
        return I(a * b);
      case 'Div': { const f = intTrueDiv(a, b); return f === null ? null : F(f); }
      case 'FloorDiv': return b === 0n ? null : I(floorDivBig(a, b));
      case 'Mod': return b === 0n ? null : I(a - floorDivBig(a, b) * b);
      case 'Pow':
        if (b < 0n) {
          const fa = toFloat(l), fb = toFloat(r);
          if (fa === null || fb === null) return null;
          const f = floatPow(fa, fb);
          return f === null ? null : F(f);
        }
        if (a !== 0n && b > 0n) {
          const vbits = bitLength(a);
          if (vbits > MAX_INT_SIZE / b) return null;
        }
        return I(a ** b);
      case 'LShift':
        if (b < 0n) return null;
        if (a !== 0n && b !== 0n) {
          if (b > MAX_INT_SIZE || bitLength(a) > MAX_INT_SIZE - b) return null;
        }
        return I(a << b);
      case 'RShift': return b < 0n ? null : I(a >> b);
      case 'BitOr': return l.kind === 'bool' && r.kind === 'bool' ? (a | b ? TRUE : FALSE) : I(a | b);
      case 'BitXor': return l.kind === 'bool' && r.kind === 'bool' ? (a ^ b ? TRUE : FALSE) : I(a ^ b);
      case 'BitAnd': return l.kind === 'bool' && r.kind === 'bool' ? (a & b ? TRUE : FALSE) : I(a & b);
      default: return null;
    }
  }
  if (isNumeric(l) && isNumeric(r)) {
    const a = toFloat(l), b = toFloat(r);
    if (a === null || b === null) return null;
    let v: number | null;
    switch (op) {
      case 'Add': v = a + b; break;
      case 'Sub': v = a - b; break;
      case 'Mult': v = a * b; break;
      case 'Div': v = b === 0 ? null : a / b; break;
      case 'FloorDiv': v = floatFloorDiv(a, b); break;
      case 'Mod': v = floatMod(a, b); break;
      case 'Pow': v = floatPow(a, b); break;
      default: v = null;
    }
    return v === null ? null : F(v);
  }
  switch (op) {
    case 'Add':
      if (l.kind === 'str' && r.kind === 'str') return mkStr(l.value + r.value);
      if (l.kind === 'bytes' && r.kind === 'bytes') {
        const out = new Uint8Array(l.value.length + r.value.length);
        out.set(l.value); out.set(r.value, l.value.length);
        return { kind: 'bytes', value: out };
      }
      if (l.kind === 'tuple' && r.kind === 'tuple') return { kind: 'tuple', items: [...l.items, ...r.items] };
      return null;
    case 'Mult':
      if (isIntLike(l) && (r.kind === 'tuple' || r.kind === 'frozenset' || r.kind === 'str' || r.kind === 'bytes')) return repeatSeq(r, l);
      if (isIntLike(r) && (l.kind === 'tuple' || l.kind === 'frozenset' || l.kind === 'str' || l.kind === 'bytes')) return repeatSeq(l, r);
      return null;
    default:
      return null;
  }
}

function unaryop(op: A.unaryop, v: Const): Const | null {
  if (op === 'Not') return truthy(v) ? FALSE : TRUE;
  if (isIntLike(v)) {
    const x = intVal(v);
    switch (op) {
      case 'USub': return I(-x);
      case 'UAdd': return I(x);
      case 'Invert': return I(-x - 1n);
    }
  }
  if (v.kind === 'float') {
    if (op === 'USub') return F(-v.value);
    if (op === 'UAdd') return F(v.value);
    return null;
  }
  if (v.kind === 'complex') {
    if (op === 'USub') return { kind: 'complex', real: -v.real, imag: -v.imag };
    if (op === 'UAdd') return { kind: 'complex', real: v.real, imag: v.imag };
  }
  return null;
}

function codePoints(s: string): string[] {
  return Array.from(s);
}

function subscript(v: Const, idx: Const): Const | null {
  if (!isIntLike(idx)) return null;
  let i = intVal(idx);
  let len: number;
  if (v.kind === 'tuple') len = v.items.length;
  else if (v.kind === 'str') len = strLen(v.value);
  else if (v.kind === 'bytes') len = v.value.length;
  else return null;
  if (i < 0n) i += BigInt(len);
  if (i < 0n || i >= BigInt(len)) return null;
  const k = Number(i);
  if (v.kind === 'tuple') return v.items[k]!;
  if (v.kind === 'str') return mkStr(codePoints(v.value)[k]!);
  return I(BigInt((v as ConstBytes).value[k]!));
}

// ---- the tree walk ------------------------------------------------------------------------

function constOf(e: A.expr): Const | null {
  return e._type === 'Constant' ? (e as FoldedConstant)._const : null;
}

/** Turn `node` into a Constant holding `c` (≈ ast_opt.c make_const). */
function makeConst(node: A.expr, c: Const | null): void {
  if (c === null) return;
  const n = node as unknown as Record<string, unknown>;
  const pos = { lineno: node.lineno, col_offset: node.col_offset, end_lineno: node.end_lineno, end_col_offset: node.end_col_offset };
  for (const k of Object.keys(n)) delete n[k];
  Object.assign(n, { _type: 'Constant', value: null, kind: null, ...pos, _const: arena(c) });
}

function makeConstTuple(elts: A.expr[]): ConstTuple | null {
  const items: Const[] = [];
  for (const e of elts) {
    const c = constOf(e);
    if (!c) return null;
    items.push(c);
  }
  return { kind: 'tuple', items };
}

function foldIter(arg: A.expr): void {
  if (arg._type === 'List') {
    if (arg.elts.some((e) => e._type === 'Starred')) return;
    const elts = arg.elts, ctx = arg.ctx;
    (arg as unknown as A.Tuple)._type = 'Tuple';
    (arg as unknown as A.Tuple).elts = elts;
    (arg as unknown as A.Tuple).ctx = ctx;
    makeConst(arg, makeConstTuple(elts));
  } else if (arg._type === 'Set') {
    const t = makeConstTuple(arg.elts);
    if (t) makeConst(arg, frozensetOf(t.items));
  }
}

/** A frozenset built from items in order: equal items (by Python ==) keep the first. */
export function frozensetOf(items: Const[]): Const {
  const out: Const[] = [];
  const seen = new Set<string>();
  for (const it of items) {
    const k = hashEqKey(it);
    if (k === null) { out.push(it); continue; }
    if (seen.has(k)) continue;
    seen.add(k);
    out.push(it);
  }
  return { kind: 'frozenset', items: out };
}

/** Key under Python equality for the common hashable constants (1 == 1.0 == True). */
function hashEqKey(c: Const): string | null {
  switch (c.kind) {
    case 'None': return 'N';
    case 'Ellipsis': return 'E';
    case 'bool': return 'n' + (c.value ? '1' : '0');
    case 'int': return 'n' + c.value.toString();
    case 'float':
      if (Number.isInteger(c.value)) return 'n' + BigInt(c.value).toString();
      return Number.isNaN(c.value) ? null : 'f' + c.value.toString();
    case 'str': return 's' + c.value;
    case 'bytes': return 'b' + Array.from(c.value).join(',');
    case 'tuple': {
      const parts = c.items.map(hashEqKey);
      return parts.includes(null) ? null : '(' + parts.join(',') + ')';
    }
    default: return null;
  }
}

// `'%s %r' % (a, b)` -> f'{a!s} {b!r}' (≈ ast_opt.c optimize_format, new in 3.11): only
// %s/%r/%a with optional flags '-', width and precision; anything else is left alone.
function artificialConst(v: string): FoldedConstant {
  return { _type: 'Constant', value: v, kind: null, lineno: -1, col_offset: -1, end_lineno: -1, end_col_offset: -1, _const: mkStr(v, true) };
}

function optimizeFormat(node: A.BinOp, fmt: string, elts: A.expr[]): void {
  const chars = Array.from(fmt);
  const size = chars.length;
  let pos = 0, cnt = 0;
  const seq: A.expr[] = [];
  for (;;) {
    // literal part
    const start = pos;
    let hasPercents = false;
    while (pos < size) {
      if (chars[pos] !== '%') pos++;
      else if (pos + 1 < size && chars[pos + 1] === '%') { hasPercents = true; pos += 2; }
      else break;
    }
    if (pos !== start) {
      let lit = chars.slice(start, pos).join('');
      if (hasPercents) lit = lit.split('%%').join('%');
      seq.push(artificialConst(lit));
    }
    if (pos >= size) break;
    if (cnt >= elts.length) return;
    pos++; // '%'
    const arg = elts[cnt++]!;
    // simple_format_arg_parse
    let flags = 0, width = -1, prec = -1;
    let ch: string | undefined;
    const nextc = () => (pos < size ? chars[pos++] : undefined);
    for (;;) {
      ch = nextc();
      if (ch === undefined) return;
      if (ch === '-') { flags |= 1; continue; }
      if (ch === '+' || ch === ' ' || ch === '#' || ch === '0') { flags |= 2; continue; }
      break;
    }
    if (ch >= '0' && ch <= '9') {
      width = 0;
      while (ch !== undefined && ch >= '0' && ch <= '9') {
        width = width * 10 + (ch.charCodeAt(0) - 48);
        ch = nextc();
        if (ch === undefined) return;
      }
    }
    if (ch === '.') {
      ch = nextc();
      if (ch === undefined) return;
      prec = 0;
      while (ch !== undefined && ch >= '0' && ch <= '9') {
        prec = prec * 10 + (ch.charCodeAt(0) - 48);
        ch = nextc();
        if (ch === undefined) return;
      }
    }
    if (ch !== 's' && ch !== 'r' && ch !== 'a') return;
    let spec = '';
    if (!(flags & 1) && width > 0) spec += '>';
    if (width >= 0) spec += String(width);
    if (prec >= 0) spec += '.' + prec;
    seq.push({
      _type: 'FormattedValue', value: arg, conversion: ch.charCodeAt(0),
      format_spec: spec ? artificialConst(spec) : null,
      lineno: arg.lineno, col_offset: arg.col_offset, end_lineno: arg.end_lineno, end_col_offset: arg.end_col_offset,
    });
  }
  if (cnt < elts.length) return;
  const n = node as unknown as Record<string, unknown>;
  const pos0 = { lineno: node.lineno, col_offset: node.col_offset, end_lineno: node.end_lineno, end_col_offset: node.end_col_offset };
  for (const k of Object.keys(n)) delete n[k];
  Object.assign(n, { _type: 'JoinedStr', values: seq, ...pos0 });
}

function visitExprs(es: (A.expr | null)[]): void {
  for (const e of es) if (e) foldExpr(e);
}

function foldExpr(e: A.expr): void {
  switch (e._type) {
    case 'BoolOp': visitExprs(e.values); break;
    case 'BinOp': {
      foldExpr(e.left); foldExpr(e.right);
      const l = constOf(e.left), r = constOf(e.right);
      if (l && l.kind === 'str' && e.op === 'Mod' && e.right._type === 'Tuple' &&
        !e.right.elts.some((x) => x._type === 'Starred')) {
        optimizeFormat(e, l.value, e.right.elts);
        break;
      }
      if (l && r) makeConst(e, binop(e.op, l, r));
      break;
    }
    case 'UnaryOp': {
      foldExpr(e.operand);
      const v = constOf(e.operand);
      if (v) { makeConst(e, unaryop(e.op, v)); break; }
      const arg = e.operand;
      if (e.op === 'Not' && arg._type === 'Compare' && arg.ops.length === 1) {
        const inv: Partial<Record<A.cmpop, A.cmpop>> = { Is: 'IsNot', IsNot: 'Is', In: 'NotIn', NotIn: 'In' };
        const nop = inv[arg.ops[0]!];
        if (nop) {
          arg.ops[0] = nop;
          const n = e as unknown as Record<string, unknown>;
          for (const k of Object.keys(n)) delete n[k];
          Object.assign(n, arg);
        }
      }
      break;
    }
    case 'Lambda': foldArguments(e.args); foldExpr(e.body); break;
    case 'IfExp': foldExpr(e.test); foldExpr(e.body); foldExpr(e.orelse); break;
    case 'Dict': visitExprs(e.keys); visitExprs(e.values); break;
    case 'Set': visitExprs(e.elts); break;
    case 'ListComp': case 'SetComp': case 'GeneratorExp':
      foldExpr(e.elt); e.generators.forEach(foldComprehension); break;
    case 'DictComp': foldExpr(e.key); foldExpr(e.value); e.generators.forEach(foldComprehension); break;
    case 'Yield': if (e.value) foldExpr(e.value); break;
    case 'YieldFrom': foldExpr(e.value); break;
    case 'Compare': {
      foldExpr(e.left); visitExprs(e.comparators);
      const op = e.ops[e.ops.length - 1];
      if (op === 'In' || op === 'NotIn') foldIter(e.comparators[e.comparators.length - 1]!);
      break;
    }
    case 'Call': foldExpr(e.func); visitExprs(e.args); for (const k of e.keywords) foldExpr(k.value); break;
    case 'FormattedValue': foldExpr(e.value); if (e.format_spec) foldExpr(e.format_spec); break;
    case 'JoinedStr': visitExprs(e.values); break;
    case 'Attribute': foldExpr(e.value); break;
    case 'Subscript': {
      foldExpr(e.value); foldExpr(e.slice);
      const v = constOf(e.value), i = constOf(e.slice);
      if (e.ctx === 'Load' && v && i) makeConst(e, subscript(v, i));
      break;
    }
    case 'Starred': foldExpr(e.value); break;
    case 'Slice':
      if (e.lower) foldExpr(e.lower);
      if (e.upper) foldExpr(e.upper);
      if (e.step) foldExpr(e.step);
      break;
    case 'List': visitExprs(e.elts); break;
    case 'Tuple':
      visitExprs(e.elts);
      if (e.ctx === 'Load') makeConst(e, makeConstTuple(e.elts));
      break;
    case 'Name':
      if (e.ctx === 'Load' && e.id === '__debug__') makeConst(e, TRUE);
      break;
    case 'NamedExpr': foldExpr(e.value); break;
    case 'Constant':
      if (!(e as FoldedConstant)._const) (e as FoldedConstant)._const = constFromValue(e.value);
      break;
    default: throw new Error(`fold: unsupported expression ${(e as A.expr)._type}`);
  }
}

function foldComprehension(g: A.comprehension): void {
  foldExpr(g.target); foldExpr(g.iter); visitExprs(g.ifs);
  foldIter(g.iter);
}

function foldArg(a: A.arg | null): void {
  if (a?.annotation) foldExpr(a.annotation);
}

function foldArguments(a: A.arguments): void {
  a.posonlyargs.forEach(foldArg);
  a.args.forEach(foldArg);
  foldArg(a.vararg);
  a.kwonlyargs.forEach(foldArg);
  visitExprs(a.kw_defaults);
  foldArg(a.kwarg);
  visitExprs(a.defaults);
}

/** The docstring of a body, if its first statement is a str constant expression. */
export function getDocString(body: A.stmt[]): ConstStr | null {
  const s = body[0];
  if (!s || s._type !== 'Expr' || s.value._type !== 'Constant') return null;
  const c = (s.value as FoldedConstant)._const ?? constFromValue(s.value.value);
  return c.kind === 'str' ? c : null;
}

function foldBody(stmts: A.stmt[]): void {
  const hadDoc = getDocString(stmts) !== null;
  stmts.forEach(foldStmt);
  if (!hadDoc && getDocString(stmts) !== null) {
    // A folded constant must not become a docstring: wrap it (≈ astfold_body).
    const st = stmts[0] as A.Expr;
    st.value = {
      _type: 'JoinedStr', values: [st.value],
      lineno: st.lineno, col_offset: st.col_offset, end_lineno: st.end_lineno, end_col_offset: st.end_col_offset,
    };
  }
}

function foldStmt(s: A.stmt): void {
  switch (s._type) {
    case 'FunctionDef':
      foldArguments(s.args); foldBody(s.body); visitExprs(s.decorator_list);
      if (s.returns) foldExpr(s.returns);
      break;
    case 'ClassDef':
      visitExprs(s.bases); for (const k of s.keywords) foldExpr(k.value);
      foldBody(s.body); visitExprs(s.decorator_list);
      break;
    case 'Return': if (s.value) foldExpr(s.value); break;
    case 'Delete': visitExprs(s.targets); break;
    case 'Assign': visitExprs(s.targets); foldExpr(s.value); break;
    case 'AugAssign': foldExpr(s.target); foldExpr(s.value); break;
    case 'AnnAssign': foldExpr(s.target); foldExpr(s.annotation); if (s.value) foldExpr(s.value); break;
    case 'For':
      foldExpr(s.target); foldExpr(s.iter); s.body.forEach(foldStmt); s.orelse.forEach(foldStmt);
      foldIter(s.iter);
      break;
    case 'While': case 'If': foldExpr(s.test); s.body.forEach(foldStmt); s.orelse.forEach(foldStmt); break;
    case 'With':
      for (const it of s.items) { foldExpr(it.context_expr); if (it.optional_vars) foldExpr(it.optional_vars); }
      s.body.forEach(foldStmt);
      break;
    case 'Raise': if (s.exc) foldExpr(s.exc); if (s.cause) foldExpr(s.cause); break;
    case 'Try':
      s.body.forEach(foldStmt);
      for (const h of s.handlers) { if (h.type) foldExpr(h.type); h.body.forEach(foldStmt); }
      s.orelse.forEach(foldStmt); s.finalbody.forEach(foldStmt);
      break;
    case 'Assert': foldExpr(s.test); if (s.msg) foldExpr(s.msg); break;
    case 'Expr': foldExpr(s.value); break;
    case 'Import': case 'ImportFrom': case 'Global': case 'Nonlocal': case 'Pass': case 'Break': case 'Continue': break;
    default: throw new Error(`fold: unsupported statement ${(s as A.stmt)._type}`);
  }
}

/** Fold a (cloned) module in place. */
export function foldModule(mod: A.mod): void {
  switch (mod._type) {
    case 'Module': foldBody(mod.body); break;
    case 'Interactive': mod.body.forEach(foldStmt); break;
    case 'Expression': foldExpr(mod.body); break;
  }
}

export { binop as _binop, unaryop as _unaryop };
export type { ConstStr };
