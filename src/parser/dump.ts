// `dump(node)`: our AST printed exactly as CPython 3.11's
// `ast.dump(node, include_attributes=True)` prints its own (fields in `_fields` order, optional
// fields left out when None, then the position attributes; constants as Python's repr).
// The AST fixtures in tests/fixtures/ast_fixtures.json were made by python3 with that call.
import type { AST, ConstValue } from '../ast.js';
import { Ellipsis } from '../ast.js';

const FIELDS: Record<string, string[]> = {
  FunctionDef: ['name', 'args', 'body', 'decorator_list', 'returns', 'type_comment'],
  ClassDef: ['name', 'bases', 'keywords', 'body', 'decorator_list'],
  Return: ['value'],
  Delete: ['targets'],
  Assign: ['targets', 'value', 'type_comment'],
  AugAssign: ['target', 'op', 'value'],
  AnnAssign: ['target', 'annotation', 'value', 'simple'],
  For: ['target', 'iter', 'body', 'orelse', 'type_comment'],
  While: ['test', 'body', 'orelse'],
  If: ['test', 'body', 'orelse'],
  With: ['items', 'body', 'type_comment'],
  Raise: ['exc', 'cause'],
  Try: ['body', 'handlers', 'orelse', 'finalbody'],
  Assert: ['test', 'msg'],
  Import: ['names'],
  ImportFrom: ['module', 'names', 'level'],
  Global: ['names'],
  Nonlocal: ['names'],
  Expr: ['value'],
  Pass: [],
  Break: [],
  Continue: [],
  BoolOp: ['op', 'values'],
  NamedExpr: ['target', 'value'],
  BinOp: ['left', 'op', 'right'],
  UnaryOp: ['op', 'operand'],
  Lambda: ['args', 'body'],
  IfExp: ['test', 'body', 'orelse'],
  Dict: ['keys', 'values'],
  Set: ['elts'],
  ListComp: ['elt', 'generators'],
  SetComp: ['elt', 'generators'],
  DictComp: ['key', 'value', 'generators'],
  GeneratorExp: ['elt', 'generators'],
  Yield: ['value'],
  YieldFrom: ['value'],
  Compare: ['left', 'ops', 'comparators'],
  Call: ['func', 'args', 'keywords'],
  FormattedValue: ['value', 'conversion', 'format_spec'],
  JoinedStr: ['values'],
  Constant: ['value', 'kind'],
  Attribute: ['value', 'attr', 'ctx'],
  Subscript: ['value', 'slice', 'ctx'],
  Starred: ['value', 'ctx'],
  Name: ['id', 'ctx'],
  List: ['elts', 'ctx'],
  Tuple: ['elts', 'ctx'],
  Slice: ['lower', 'upper', 'step'],
  ExceptHandler: ['type', 'name', 'body'],
  arguments: ['posonlyargs', 'args', 'vararg', 'kwonlyargs', 'kw_defaults', 'kwarg', 'defaults'],
  arg: ['arg', 'annotation', 'type_comment'],
  keyword: ['arg', 'value'],
  alias: ['name', 'asname'],
  withitem: ['context_expr', 'optional_vars'],
  comprehension: ['target', 'iter', 'ifs', 'is_async'],
  Module: ['body', 'type_ignores'],
  Interactive: ['body'],
  Expression: ['body'],
};
const NO_ATTRIBUTES = new Set(['arguments', 'withitem', 'comprehension', 'Module', 'Interactive', 'Expression']);
/** Fields whose value is an operator/context name printed as `Name()`. */
const ENUM_FIELDS = new Set(['op', 'ctx']);

/** Python's repr() of a str. */
export function pyStrRepr(s: string): string {
  const quote = s.includes('\'') && !s.includes('"') ? '"' : '\'';
  let out = quote;
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (ch === quote || ch === '\\') out += '\\' + ch;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (cp < 0x20 || cp === 0x7f) out += '\\x' + cp.toString(16).padStart(2, '0');
    else if (cp < 0x7f) out += ch;
    else if (!isPrintable(ch)) {
      if (cp <= 0xff) out += '\\x' + cp.toString(16).padStart(2, '0');
      else if (cp <= 0xffff) out += '\\u' + cp.toString(16).padStart(4, '0');
      else out += '\\U' + cp.toString(16).padStart(8, '0');
    } else out += ch;
  }
  return out + quote;
}
const NON_PRINTABLE = /^[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Zs}]$/u;
function isPrintable(ch: string): boolean {
  return ch === ' ' || !NON_PRINTABLE.test(ch);
}

/** Python's repr() of bytes. */
export function pyBytesRepr(b: Uint8Array): string {
  let hasSq = false, hasDq = false;
  for (const x of b) {
    if (x === 39) hasSq = true;
    if (x === 34) hasDq = true;
  }
  const quote = hasSq && !hasDq ? '"' : '\'';
  let out = 'b' + quote;
  for (const x of b) {
    const ch = String.fromCharCode(x);
    if (ch === quote || ch === '\\') out += '\\' + ch;
    else if (x === 9) out += '\\t';
    else if (x === 10) out += '\\n';
    else if (x === 13) out += '\\r';
    else if (x < 32 || x >= 127) out += '\\x' + x.toString(16).padStart(2, '0');
    else out += ch;
  }
  return out + quote;
}

/** Python's repr() of a float. */
export function pyFloatRepr(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const [mant, expS] = x.toExponential().split('e');
  const exp = Number(expS);
  const neg = mant.startsWith('-');
  const digits = mant.replace('-', '').replace('.', '');
  let out: string;
  if (exp >= -5 && exp < 16) {
    // fixed notation ('r' format uses repr style: scientific when exp < -4 or exp >= 16)
    if (exp < -4) {
      out = sci(digits, exp);
    } else if (exp < 0) {
      out = '0.' + '0'.repeat(-exp - 1) + digits;
    } else if (digits.length <= exp + 1) {
      out = digits + '0'.repeat(exp + 1 - digits.length) + '.0';
    } else {
      out = digits.slice(0, exp + 1) + '.' + digits.slice(exp + 1);
    }
  } else {
    out = sci(digits, exp);
  }
  return (neg ? '-' : '') + out;
}
function sci(digits: string, exp: number): string {
  const m = digits.length > 1 ? digits[0] + '.' + digits.slice(1) : digits;
  const e = Math.abs(exp);
  return `${m}e${exp < 0 ? '-' : '+'}${e < 10 ? '0' + e : e}`;
}

export function constRepr(v: ConstValue): string {
  if (v === null) return 'None';
  if (v === true) return 'True';
  if (v === false) return 'False';
  if (v === Ellipsis) return 'Ellipsis';
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'number') return pyFloatRepr(v);
  if (typeof v === 'string') return pyStrRepr(v);
  if (v instanceof Uint8Array) return pyBytesRepr(v);
  if (typeof v === 'object' && 'imag' in v) {
    let r = pyFloatRepr(v.imag);
    if (r.endsWith('.0')) r = r.slice(0, -2);
    if (!Number.isFinite(v.imag)) return r + 'j';
    return r + 'j';
  }
  return String(v);
}

function fmt(value: unknown, field: string | null): string {
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    return '[' + value.map((x) => fmt(x, null)).join(', ') + ']';
  }
  if (value === null) return 'None';
  if (typeof value === 'object' && value !== null && '_type' in value) return dumpNode(value as AST);
  void field;
  if (typeof value === 'string') return pyStrRepr(value);
  if (typeof value === 'number') return String(value);
  return String(value);
}

function dumpNode(node: AST): string {
  const t = node._type;
  const rec = node as unknown as Record<string, unknown>;
  const args: string[] = [];
  for (const f of FIELDS[t]) {
    if (t === 'Module' && f === 'type_ignores') {
      args.push('type_ignores=[]');
      continue;
    }
    const v = rec[f];
    if (t === 'Constant' && f === 'value') {
      args.push(`value=${constRepr(v as ConstValue)}`);
      continue;
    }
    if (v === null || v === undefined) continue;
    if (ENUM_FIELDS.has(f)) {
      args.push(`${f}=${v as string}()`);
      continue;
    }
    if (f === 'ops') {
      args.push(`ops=[${(v as string[]).map((o) => o + '()').join(', ')}]`);
      continue;
    }
    args.push(`${f}=${fmt(v, f === 'value' ? 'node' : f)}`);
  }
  if (!NO_ATTRIBUTES.has(t)) {
    for (const a of ['lineno', 'col_offset', 'end_lineno', 'end_col_offset']) {
      const v = rec[a];
      if (v === null || v === undefined) continue;
      args.push(`${a}=${v as number}`);
    }
  }
  return `${t}(${args.join(', ')})`;
}

/** ast.dump(node, include_attributes=True) */
export function dump(node: AST): string {
  return dumpNode(node);
}
