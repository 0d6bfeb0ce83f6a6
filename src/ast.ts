// The AST: node types and fields named exactly as CPython 3.11's `ast` module (Parser/Python.asdl).
// Generated once from python3's ast docstrings, then kept by hand; the subset leaves out async,
// match and except*. Nodes are plain objects tagged by `_type`; they are thrown away after compile.
//
// Positions are CPython's: `lineno`/`end_lineno` 1-based, `col_offset`/`end_col_offset` 0-based
// UTF-8 BYTE offsets into the line (not UTF-16 units), so they compare with ast.dump directly.

/** A literal's value. int -> bigint (always, even small), float -> number, str -> string
 *  (UTF-16; astral chars as surrogate pairs), bytes -> Uint8Array, None -> null, bool ->
 *  boolean, `...` -> the Ellipsis symbol. Imaginary literals are represented as { imag: number }. */
export type ConstValue = null | boolean | bigint | number | string | Uint8Array | typeof Ellipsis | { imag: number };
export const Ellipsis: unique symbol = Symbol('Ellipsis');

export interface Pos {
  lineno: number;
  col_offset: number;
  end_lineno: number;
  end_col_offset: number;
}

export type expr_context = 'Load' | 'Store' | 'Del';
export type boolop = 'And' | 'Or';
export type operator = 'Add' | 'Sub' | 'Mult' | 'MatMult' | 'Div' | 'Mod' | 'Pow' | 'LShift' | 'RShift' | 'BitOr' | 'BitXor' | 'BitAnd' | 'FloorDiv';
export type unaryop = 'Invert' | 'Not' | 'UAdd' | 'USub';
export type cmpop = 'Eq' | 'NotEq' | 'Lt' | 'LtE' | 'Gt' | 'GtE' | 'Is' | 'IsNot' | 'In' | 'NotIn';

export interface FunctionDef extends Pos {
  _type: 'FunctionDef';
  name: string;
  args: arguments;
  body: stmt[];
  decorator_list: expr[];
  returns: expr | null;
}
export interface ClassDef extends Pos {
  _type: 'ClassDef';
  name: string;
  bases: expr[];
  keywords: keyword[];
  body: stmt[];
  decorator_list: expr[];
}
export interface Return extends Pos {
  _type: 'Return';
  value: expr | null;
}
export interface Delete extends Pos {
  _type: 'Delete';
  targets: expr[];
}
export interface Assign extends Pos {
  _type: 'Assign';
  targets: expr[];
  value: expr;
}
export interface AugAssign extends Pos {
  _type: 'AugAssign';
  target: expr;
  op: operator;
  value: expr;
}
export interface AnnAssign extends Pos {
  _type: 'AnnAssign';
  target: expr;
  annotation: expr;
  value: expr | null;
  simple: number;
}
export interface For extends Pos {
  _type: 'For';
  target: expr;
  iter: expr;
  body: stmt[];
  orelse: stmt[];
}
export interface While extends Pos {
  _type: 'While';
  test: expr;
  body: stmt[];
  orelse: stmt[];
}
export interface If extends Pos {
  _type: 'If';
  test: expr;
  body: stmt[];
  orelse: stmt[];
}
export interface With extends Pos {
  _type: 'With';
  items: withitem[];
  body: stmt[];
}
export interface Raise extends Pos {
  _type: 'Raise';
  exc: expr | null;
  cause: expr | null;
}
export interface Try extends Pos {
  _type: 'Try';
  body: stmt[];
  handlers: ExceptHandler[];
  orelse: stmt[];
  finalbody: stmt[];
}
export interface Assert extends Pos {
  _type: 'Assert';
  test: expr;
  msg: expr | null;
}
export interface Import extends Pos {
  _type: 'Import';
  names: alias[];
}
export interface ImportFrom extends Pos {
  _type: 'ImportFrom';
  module: string | null;
  names: alias[];
  level: number | null;
}
export interface Global extends Pos {
  _type: 'Global';
  names: string[];
}
export interface Nonlocal extends Pos {
  _type: 'Nonlocal';
  names: string[];
}
export interface Expr extends Pos {
  _type: 'Expr';
  value: expr;
}
export interface Pass extends Pos {
  _type: 'Pass';
}
export interface Break extends Pos {
  _type: 'Break';
}
export interface Continue extends Pos {
  _type: 'Continue';
}
export type stmt = FunctionDef | ClassDef | Return | Delete | Assign | AugAssign | AnnAssign | For | While | If | With | Raise | Try | Assert | Import | ImportFrom | Global | Nonlocal | Expr | Pass | Break | Continue;

export interface BoolOp extends Pos {
  _type: 'BoolOp';
  op: boolop;
  values: expr[];
}
export interface NamedExpr extends Pos {
  _type: 'NamedExpr';
  target: expr;
  value: expr;
}
export interface BinOp extends Pos {
  _type: 'BinOp';
  left: expr;
  op: operator;
  right: expr;
}
export interface UnaryOp extends Pos {
  _type: 'UnaryOp';
  op: unaryop;
  operand: expr;
}
export interface Lambda extends Pos {
  _type: 'Lambda';
  args: arguments;
  body: expr;
}
export interface IfExp extends Pos {
  _type: 'IfExp';
  test: expr;
  body: expr;
  orelse: expr;
}
export interface Dict extends Pos {
  _type: 'Dict';
  /** null for a `**mapping` item, as CPython's None */
  keys: (expr | null)[];
  values: expr[];
}
export interface Set extends Pos {
  _type: 'Set';
  elts: expr[];
}
export interface ListComp extends Pos {
  _type: 'ListComp';
  elt: expr;
  generators: comprehension[];
}
export interface SetComp extends Pos {
  _type: 'SetComp';
  elt: expr;
  generators: comprehension[];
}
export interface DictComp extends Pos {
  _type: 'DictComp';
  key: expr;
  value: expr;
  generators: comprehension[];
}
export interface GeneratorExp extends Pos {
  _type: 'GeneratorExp';
  elt: expr;
  generators: comprehension[];
}
export interface Yield extends Pos {
  _type: 'Yield';
  value: expr | null;
}
export interface YieldFrom extends Pos {
  _type: 'YieldFrom';
  value: expr;
}
export interface Compare extends Pos {
  _type: 'Compare';
  left: expr;
  ops: cmpop[];
  comparators: expr[];
}
export interface Call extends Pos {
  _type: 'Call';
  func: expr;
  args: expr[];
  keywords: keyword[];
}
export interface FormattedValue extends Pos {
  _type: 'FormattedValue';
  value: expr;
  conversion: number;
  format_spec: expr | null;
}
export interface JoinedStr extends Pos {
  _type: 'JoinedStr';
  values: expr[];
}
export interface Constant extends Pos {
  _type: 'Constant';
  value: ConstValue;
  kind: string | null;
}
export interface Attribute extends Pos {
  _type: 'Attribute';
  value: expr;
  attr: string;
  ctx: expr_context;
}
export interface Subscript extends Pos {
  _type: 'Subscript';
  value: expr;
  slice: expr;
  ctx: expr_context;
}
export interface Starred extends Pos {
  _type: 'Starred';
  value: expr;
  ctx: expr_context;
}
export interface Name extends Pos {
  _type: 'Name';
  id: string;
  ctx: expr_context;
}
export interface List extends Pos {
  _type: 'List';
  elts: expr[];
  ctx: expr_context;
}
export interface Tuple extends Pos {
  _type: 'Tuple';
  elts: expr[];
  ctx: expr_context;
}
export interface Slice extends Pos {
  _type: 'Slice';
  lower: expr | null;
  upper: expr | null;
  step: expr | null;
}
export type expr = BoolOp | NamedExpr | BinOp | UnaryOp | Lambda | IfExp | Dict | Set | ListComp | SetComp | DictComp | GeneratorExp | Yield | YieldFrom | Compare | Call | FormattedValue | JoinedStr | Constant | Attribute | Subscript | Starred | Name | List | Tuple | Slice;

export interface ExceptHandler extends Pos {
  _type: 'ExceptHandler';
  type: expr | null;
  name: string | null;
  body: stmt[];
}
export interface arguments {
  _type: 'arguments';
  posonlyargs: arg[];
  args: arg[];
  vararg: arg | null;
  kwonlyargs: arg[];
  /** one per kwonlyarg; null where it has no default, as CPython's None */
  kw_defaults: (expr | null)[];
  kwarg: arg | null;
  defaults: expr[];
}
export interface arg extends Pos {
  _type: 'arg';
  arg: string;
  annotation: expr | null;
}
export interface keyword extends Pos {
  _type: 'keyword';
  arg: string | null;
  value: expr;
}
export interface alias extends Pos {
  _type: 'alias';
  name: string;
  asname: string | null;
}
export interface withitem {
  _type: 'withitem';
  context_expr: expr;
  optional_vars: expr | null;
}
export interface comprehension {
  _type: 'comprehension';
  target: expr;
  iter: expr;
  ifs: expr[];
  is_async: number;
}

export interface Module {
  _type: 'Module';
  body: stmt[];
}
export interface Interactive {
  _type: 'Interactive';
  body: stmt[];
}
export interface Expression {
  _type: 'Expression';
  body: expr;
}
export type mod = Module | Interactive | Expression;
export type AST = mod | stmt | expr | ExceptHandler | arguments | arg | keyword | alias | withitem | comprehension;
