// Code objects and constants as the compiler hands them to the VM (JS side, before they are
// written into the heap).
//
// Identity matters: CPython merges equal constants across ALL code objects of one compilation
// (≈ compile.c merge_consts_recursive / merge_const_one with _PyCode_ConstantKey), so two
// `257` literals, or two functions' co_consts tuples, are ONE object. Here every Python object
// is one JS object, and merged constants are the same JS object: the VM must create exactly
// one heap object per distinct JS Const object (None/True/False/Ellipsis are the singletons
// below). `co_consts_obj`, `co_names_obj` and `co_localsplusnames_obj` are the tuples as
// objects, because CPython merges them too (a function's co_consts tuple can be the very
// tuple a `(None, 1)` literal evaluates to).

export type Const =
  | ConstNone | ConstEllipsis | ConstBool | ConstInt | ConstFloat | ConstComplex
  | ConstStr | ConstBytes | ConstTuple | ConstFrozenset | CodeUnit;

export interface ConstNone { readonly kind: 'None' }
export interface ConstEllipsis { readonly kind: 'Ellipsis' }
export interface ConstBool { readonly kind: 'bool'; readonly value: boolean }
/** `arena`: the object was created by the parser or the AST optimizer, so the main script's
 *  parser arena keeps one extra reference to it while the script runs (see compile.ts). */
export interface ConstInt { kind: 'int'; value: bigint; arena?: boolean }
export interface ConstFloat { kind: 'float'; value: number; arena?: boolean }
export interface ConstComplex { kind: 'complex'; real: number; imag: number; arena?: boolean }
/** `interned`: CPython interns str constants made only of ASCII letters, digits and '_'
 *  (codeobject.c intern_string_constants); names are always interned. */
export interface ConstStr { kind: 'str'; value: string; interned: boolean; arena?: boolean }
export interface ConstBytes { kind: 'bytes'; value: Uint8Array; arena?: boolean }
export interface ConstTuple { kind: 'tuple'; items: Const[]; arena?: boolean }
/** Items in the order CPython inserts them into the canonical frozenset (the iteration order
 *  of the set built from the literal's items in source order). */
export interface ConstFrozenset { kind: 'frozenset'; items: Const[]; arena?: boolean }

export const NONE: ConstNone = Object.freeze({ kind: 'None' });
export const ELLIPSIS: ConstEllipsis = Object.freeze({ kind: 'Ellipsis' });
export const TRUE: ConstBool = Object.freeze({ kind: 'bool', value: true });
export const FALSE: ConstBool = Object.freeze({ kind: 'bool', value: false });

/** co_flags bits (3.11). */
export const CO_OPTIMIZED = 0x0001;
export const CO_NEWLOCALS = 0x0002;
export const CO_VARARGS = 0x0004;
export const CO_VARKEYWORDS = 0x0008;
export const CO_NESTED = 0x0010;
export const CO_GENERATOR = 0x0020;
export const CO_COROUTINE = 0x0080;
export const CO_ITERABLE_COROUTINE = 0x0100;
export const CO_ASYNC_GENERATOR = 0x0200;

/** co_localspluskinds bits (3.11 pycore_code.h). */
export const CO_FAST_LOCAL = 0x20;
export const CO_FAST_CELL = 0x40;
export const CO_FAST_FREE = 0x80;

export interface CodeUnit {
  readonly kind: 'code';
  co_argcount: number;
  co_posonlyargcount: number;
  co_kwonlyargcount: number;
  co_flags: number;
  co_stacksize: number;
  co_firstlineno: number;
  co_name: string;
  co_qualname: string;
  co_filename: string;
  /** 3.11 wordcode including CACHE units: byte-identical to CPython's co_code. */
  co_code: Uint8Array;
  co_consts: Const[];
  co_names: string[];
  co_localsplusnames: string[];
  co_localspluskinds: Uint8Array;
  co_nlocalsplus: number;
  co_nlocals: number;
  co_varnames: string[];
  co_cellvars: string[];
  co_freevars: string[];
  /** 3.11 location table (Objects/locations.md). */
  co_linetable: Uint8Array;
  /** 3.11 exception table (Objects/exception_handling_notes.txt). */
  co_exceptiontable: Uint8Array;
  /** The tuples as (possibly shared) objects; `.items` mirror the arrays above. */
  co_consts_obj: ConstTuple;
  co_names_obj: ConstTuple;
  co_localsplusnames_obj: ConstTuple;
}

/** True for the str constants CPython interns: ASCII letters, digits and '_' only (the empty
 *  string is a static singleton anyway). */
export function isAllNameChars(s: string): boolean {
  return /^[A-Za-z0-9_]*$/.test(s);
}

export function mkStr(value: string, arena = false): ConstStr {
  const c: ConstStr = { kind: 'str', value, interned: isAllNameChars(value) };
  if (arena) c.arena = true;
  return c;
}

const f64 = new Float64Array(1);
const u8f = new Uint8Array(f64.buffer);
function floatBits(x: number): string {
  f64[0] = x;
  let s = '';
  for (let i = 7; i >= 0; i--) s += u8f[i]!.toString(16).padStart(2, '0');
  return s;
}
function bytesHex(b: Uint8Array): string {
  let s = '';
  for (const x of b) s += x.toString(16).padStart(2, '0');
  return s;
}

let nanCounter = 0;
const nanKeys = new WeakMap<object, string>();

/**
 * Canonical key for merging (≈ _PyCode_ConstantKey): type + value, so 1, 1.0 and True differ,
 * and 0.0 / -0.0 differ; tuples and frozensets by their items' keys; code objects by content.
 * A NaN only equals itself (each NaN object gets its own key).
 */
export function constKey(c: Const): string {
  switch (c.kind) {
    case 'None': return 'N';
    case 'Ellipsis': return 'E';
    case 'bool': return c.value ? 'T' : 'F';
    case 'int': return 'i' + c.value.toString();
    case 'float':
      if (Number.isNaN(c.value)) {
        let k = nanKeys.get(c);
        if (!k) { k = 'fnan' + (nanCounter++); nanKeys.set(c, k); }
        return k;
      }
      return 'f' + floatBits(c.value);
    case 'complex': return 'c' + floatBits(c.real) + floatBits(c.imag);
    case 'str': return 's' + JSON.stringify(c.value);
    case 'bytes': return 'b' + bytesHex(c.value);
    case 'tuple': return '(' + c.items.map(constKey).join(',') + ')';
    case 'frozenset': return '{' + c.items.map(constKey).sort().join(',') + '}';
    case 'code': return codeKey(c);
  }
}

/** Code objects compare equal on these fields in 3.11 (codeobject.c code_richcompare): the
 *  qualname and filename are not compared. */
function codeKey(c: CodeUnit): string {
  return 'C' + JSON.stringify([
    c.co_name, c.co_argcount, c.co_posonlyargcount, c.co_kwonlyargcount, c.co_flags,
    c.co_firstlineno, bytesHex(c.co_code), c.co_consts.map(constKey), c.co_names,
    c.co_localsplusnames, bytesHex(c.co_linetable), bytesHex(c.co_exceptiontable),
  ]);
}
