// CPython 3.11.7 opcode metadata (numbers, names, inline CACHE counts, argument kinds, stack
// effects). The numbers and names are CPython's (checked against python3's `opcode` module by
// tests/unit/src/compiler/opcode.test.ts through the compile fixtures); the VM keeps its own
// `const enum Op` in ceval.ts for speed and must stay in sync with the constants below.
//
// Encoding (3.11): 2-byte code units (opcode, oparg); opcodes < HAVE_ARGUMENT ignore the arg
// byte; EXTENDED_ARG prefixes add 8 high bits each; CACHE_ENTRIES[op] inline CACHE units
// (opcode 0) follow an instruction and are skipped by jumps and by dis. Relative jumps count
// code units from the unit after the jump (jumps have no caches).

export const HAVE_ARGUMENT = 90;
export const OPNAMES: readonly string[] = [
  'CACHE', 'POP_TOP', 'PUSH_NULL', '', '', '', '', '',
  '', 'NOP', 'UNARY_POSITIVE', 'UNARY_NEGATIVE', 'UNARY_NOT', '', '', 'UNARY_INVERT',
  '', '', '', '', '', '', '', '',
  '', 'BINARY_SUBSCR', '', '', '', '', 'GET_LEN', 'MATCH_MAPPING',
  'MATCH_SEQUENCE', 'MATCH_KEYS', '', 'PUSH_EXC_INFO', 'CHECK_EXC_MATCH', 'CHECK_EG_MATCH', '', '',
  '', '', '', '', '', '', '', '',
  '', 'WITH_EXCEPT_START', 'GET_AITER', 'GET_ANEXT', 'BEFORE_ASYNC_WITH', 'BEFORE_WITH', 'END_ASYNC_FOR', '',
  '', '', '', '', 'STORE_SUBSCR', 'DELETE_SUBSCR', '', '',
  '', '', '', '', 'GET_ITER', 'GET_YIELD_FROM_ITER', 'PRINT_EXPR', 'LOAD_BUILD_CLASS',
  '', '', 'LOAD_ASSERTION_ERROR', 'RETURN_GENERATOR', '', '', '', '',
  '', '', 'LIST_TO_TUPLE', 'RETURN_VALUE', 'IMPORT_STAR', 'SETUP_ANNOTATIONS', 'YIELD_VALUE', 'ASYNC_GEN_WRAP',
  'PREP_RERAISE_STAR', 'POP_EXCEPT', 'STORE_NAME', 'DELETE_NAME', 'UNPACK_SEQUENCE', 'FOR_ITER', 'UNPACK_EX', 'STORE_ATTR',
  'DELETE_ATTR', 'STORE_GLOBAL', 'DELETE_GLOBAL', 'SWAP', 'LOAD_CONST', 'LOAD_NAME', 'BUILD_TUPLE', 'BUILD_LIST',
  'BUILD_SET', 'BUILD_MAP', 'LOAD_ATTR', 'COMPARE_OP', 'IMPORT_NAME', 'IMPORT_FROM', 'JUMP_FORWARD', 'JUMP_IF_FALSE_OR_POP',
  'JUMP_IF_TRUE_OR_POP', '', 'POP_JUMP_FORWARD_IF_FALSE', 'POP_JUMP_FORWARD_IF_TRUE', 'LOAD_GLOBAL', 'IS_OP', 'CONTAINS_OP', 'RERAISE',
  'COPY', '', 'BINARY_OP', 'SEND', 'LOAD_FAST', 'STORE_FAST', 'DELETE_FAST', '',
  'POP_JUMP_FORWARD_IF_NOT_NONE', 'POP_JUMP_FORWARD_IF_NONE', 'RAISE_VARARGS', 'GET_AWAITABLE', 'MAKE_FUNCTION', 'BUILD_SLICE', 'JUMP_BACKWARD_NO_INTERRUPT', 'MAKE_CELL',
  'LOAD_CLOSURE', 'LOAD_DEREF', 'STORE_DEREF', 'DELETE_DEREF', 'JUMP_BACKWARD', '', 'CALL_FUNCTION_EX', '',
  'EXTENDED_ARG', 'LIST_APPEND', 'SET_ADD', 'MAP_ADD', 'LOAD_CLASSDEREF', 'COPY_FREE_VARS', '', 'RESUME',
  'MATCH_CLASS', '', '', 'FORMAT_VALUE', 'BUILD_CONST_KEY_MAP', 'BUILD_STRING', '', '',
  'LOAD_METHOD', '', 'LIST_EXTEND', 'SET_UPDATE', 'DICT_MERGE', 'DICT_UPDATE', 'PRECALL', '',
  '', '', '', 'CALL', 'KW_NAMES', 'POP_JUMP_BACKWARD_IF_NOT_NONE', 'POP_JUMP_BACKWARD_IF_NONE', 'POP_JUMP_BACKWARD_IF_FALSE',
  'POP_JUMP_BACKWARD_IF_TRUE', '', '', '', '', '', '', '',
  '', '', '', '', '', '', '', '',
  '', '', '', '', '', '', '', '',
  '', '', '', '', '', '', '', '',
  '', '', '', '', '', '', '', '',
  '', '', '', '', '', '', '', '',
  '', '', '', '', '', '', '', '',
  '', '', '', '', '', '', '', '',
  '', '', '', '', '', '', '', '',
  '', '', '', '', '', '', '', '',
];
export const CACHE_ENTRIES: readonly number[] = [
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  0, 0, 0, 0, 0, 0, 0, 0, 0, 4, 0, 0, 0, 0, 0, 0,
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0,
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 4,
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 4, 2, 0, 0, 0, 0,
  0, 0, 0, 0, 5, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0,
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  10, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 4, 0, 0, 0, 0,
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
];
export const CACHE = 0;
export const POP_TOP = 1;
export const PUSH_NULL = 2;
export const NOP = 9;
export const UNARY_POSITIVE = 10;
export const UNARY_NEGATIVE = 11;
export const UNARY_NOT = 12;
export const UNARY_INVERT = 15;
export const BINARY_SUBSCR = 25;
export const GET_LEN = 30;
export const MATCH_MAPPING = 31;
export const MATCH_SEQUENCE = 32;
export const MATCH_KEYS = 33;
export const PUSH_EXC_INFO = 35;
export const CHECK_EXC_MATCH = 36;
export const CHECK_EG_MATCH = 37;
export const WITH_EXCEPT_START = 49;
export const GET_AITER = 50;
export const GET_ANEXT = 51;
export const BEFORE_ASYNC_WITH = 52;
export const BEFORE_WITH = 53;
export const END_ASYNC_FOR = 54;
export const STORE_SUBSCR = 60;
export const DELETE_SUBSCR = 61;
export const GET_ITER = 68;
export const GET_YIELD_FROM_ITER = 69;
export const PRINT_EXPR = 70;
export const LOAD_BUILD_CLASS = 71;
export const LOAD_ASSERTION_ERROR = 74;
export const RETURN_GENERATOR = 75;
export const LIST_TO_TUPLE = 82;
export const RETURN_VALUE = 83;
export const IMPORT_STAR = 84;
export const SETUP_ANNOTATIONS = 85;
export const YIELD_VALUE = 86;
export const ASYNC_GEN_WRAP = 87;
export const PREP_RERAISE_STAR = 88;
export const POP_EXCEPT = 89;
export const STORE_NAME = 90;
export const DELETE_NAME = 91;
export const UNPACK_SEQUENCE = 92;
export const FOR_ITER = 93;
export const UNPACK_EX = 94;
export const STORE_ATTR = 95;
export const DELETE_ATTR = 96;
export const STORE_GLOBAL = 97;
export const DELETE_GLOBAL = 98;
export const SWAP = 99;
export const LOAD_CONST = 100;
export const LOAD_NAME = 101;
export const BUILD_TUPLE = 102;
export const BUILD_LIST = 103;
export const BUILD_SET = 104;
export const BUILD_MAP = 105;
export const LOAD_ATTR = 106;
export const COMPARE_OP = 107;
export const IMPORT_NAME = 108;
export const IMPORT_FROM = 109;
export const JUMP_FORWARD = 110;
export const JUMP_IF_FALSE_OR_POP = 111;
export const JUMP_IF_TRUE_OR_POP = 112;
export const POP_JUMP_FORWARD_IF_FALSE = 114;
export const POP_JUMP_FORWARD_IF_TRUE = 115;
export const LOAD_GLOBAL = 116;
export const IS_OP = 117;
export const CONTAINS_OP = 118;
export const RERAISE = 119;
export const COPY = 120;
export const BINARY_OP = 122;
export const SEND = 123;
export const LOAD_FAST = 124;
export const STORE_FAST = 125;
export const DELETE_FAST = 126;
export const POP_JUMP_FORWARD_IF_NOT_NONE = 128;
export const POP_JUMP_FORWARD_IF_NONE = 129;
export const RAISE_VARARGS = 130;
export const GET_AWAITABLE = 131;
export const MAKE_FUNCTION = 132;
export const BUILD_SLICE = 133;
export const JUMP_BACKWARD_NO_INTERRUPT = 134;
export const MAKE_CELL = 135;
export const LOAD_CLOSURE = 136;
export const LOAD_DEREF = 137;
export const STORE_DEREF = 138;
export const DELETE_DEREF = 139;
export const JUMP_BACKWARD = 140;
export const CALL_FUNCTION_EX = 142;
export const EXTENDED_ARG = 144;
export const LIST_APPEND = 145;
export const SET_ADD = 146;
export const MAP_ADD = 147;
export const LOAD_CLASSDEREF = 148;
export const COPY_FREE_VARS = 149;
export const RESUME = 151;
export const MATCH_CLASS = 152;
export const FORMAT_VALUE = 155;
export const BUILD_CONST_KEY_MAP = 156;
export const BUILD_STRING = 157;
export const LOAD_METHOD = 160;
export const LIST_EXTEND = 162;
export const SET_UPDATE = 163;
export const DICT_MERGE = 164;
export const DICT_UPDATE = 165;
export const PRECALL = 166;
export const CALL = 171;
export const KW_NAMES = 172;
export const POP_JUMP_BACKWARD_IF_NOT_NONE = 173;
export const POP_JUMP_BACKWARD_IF_NONE = 174;
export const POP_JUMP_BACKWARD_IF_FALSE = 175;
export const POP_JUMP_BACKWARD_IF_TRUE = 176;

/** Opcodes whose arg is a relative forward jump (counted in code units). */
export const HAS_JREL_FORWARD: ReadonlySet<number> = new Set([
  FOR_ITER, JUMP_FORWARD, JUMP_IF_FALSE_OR_POP, JUMP_IF_TRUE_OR_POP, POP_JUMP_FORWARD_IF_FALSE,
  POP_JUMP_FORWARD_IF_TRUE, SEND, POP_JUMP_FORWARD_IF_NOT_NONE, POP_JUMP_FORWARD_IF_NONE,
]);
/** Opcodes whose arg is a relative backward jump. */
export const HAS_JREL_BACKWARD: ReadonlySet<number> = new Set([
  JUMP_BACKWARD_NO_INTERRUPT, JUMP_BACKWARD, POP_JUMP_BACKWARD_IF_NOT_NONE,
  POP_JUMP_BACKWARD_IF_NONE, POP_JUMP_BACKWARD_IF_FALSE, POP_JUMP_BACKWARD_IF_TRUE,
]);
export const HAS_CONST: ReadonlySet<number> = new Set([LOAD_CONST, KW_NAMES]);
export const HAS_NAME: ReadonlySet<number> = new Set([
  STORE_NAME, DELETE_NAME, STORE_ATTR, DELETE_ATTR, STORE_GLOBAL, DELETE_GLOBAL, LOAD_NAME,
  LOAD_ATTR, IMPORT_NAME, IMPORT_FROM, LOAD_GLOBAL, LOAD_METHOD,
]);
export const HAS_LOCAL: ReadonlySet<number> = new Set([LOAD_FAST, STORE_FAST, DELETE_FAST]);
export const HAS_FREE: ReadonlySet<number> = new Set([
  MAKE_CELL, LOAD_CLOSURE, LOAD_DEREF, STORE_DEREF, DELETE_DEREF, LOAD_CLASSDEREF,
]);
export const HAS_COMPARE: ReadonlySet<number> = new Set([COMPARE_OP]);
export const CMP_OP: readonly string[] = ['<', '<=', '==', '!=', '>', '>='];

/** BINARY_OP opargs (NB_*), with dis's operator text. */
export const NB_OPS: readonly (readonly [string, string])[] = [
  ['NB_ADD', '+'], ['NB_AND', '&'], ['NB_FLOOR_DIVIDE', '//'], ['NB_LSHIFT', '<<'],
  ['NB_MATRIX_MULTIPLY', '@'], ['NB_MULTIPLY', '*'], ['NB_REMAINDER', '%'], ['NB_OR', '|'],
  ['NB_POWER', '**'], ['NB_RSHIFT', '>>'], ['NB_SUBTRACT', '-'], ['NB_TRUE_DIVIDE', '/'],
  ['NB_XOR', '^'], ['NB_INPLACE_ADD', '+='], ['NB_INPLACE_AND', '&='],
  ['NB_INPLACE_FLOOR_DIVIDE', '//='], ['NB_INPLACE_LSHIFT', '<<='],
  ['NB_INPLACE_MATRIX_MULTIPLY', '@='], ['NB_INPLACE_MULTIPLY', '*='],
  ['NB_INPLACE_REMAINDER', '%='], ['NB_INPLACE_OR', '|='], ['NB_INPLACE_POWER', '**='],
  ['NB_INPLACE_RSHIFT', '>>='], ['NB_INPLACE_SUBTRACT', '-='], ['NB_INPLACE_TRUE_DIVIDE', '/='],
  ['NB_INPLACE_XOR', '^='],
];

export const FVC_MASK = 0x3, FVC_NONE = 0x0, FVC_STR = 0x1, FVC_REPR = 0x2, FVC_ASCII = 0x3;
export const FVS_HAVE_SPEC = 0x4;
export const MAKE_FUNCTION_FLAGS: readonly string[] = ['defaults', 'kwdefaults', 'annotations', 'closure'];

/**
 * Stack effect of a real (assembled) opcode, as the 3.11 compiler computes it (≈ compile.c
 * stack_effect). `jump`: 0 = fall-through path, 1 = the jump is taken, -1 = the maximum.
 * Returns undefined for an unknown opcode.
 */
export function stackEffect(op: number, oparg: number, jump: number): number | undefined {
  switch (op) {
    case NOP: case EXTENDED_ARG: case RESUME: case CACHE: return 0;
    case POP_TOP: return -1;
    case SWAP: return 0;
    case UNARY_POSITIVE: case UNARY_NEGATIVE: case UNARY_NOT: case UNARY_INVERT: return 0;
    case SET_ADD: case LIST_APPEND: return -1;
    case MAP_ADD: return -2;
    case BINARY_SUBSCR: return -1;
    case STORE_SUBSCR: return -3;
    case DELETE_SUBSCR: return -2;
    case GET_ITER: return 0;
    case PRINT_EXPR: return -1;
    case LOAD_BUILD_CLASS: return 1;
    case RETURN_VALUE: return -1;
    case IMPORT_STAR: return -1;
    case SETUP_ANNOTATIONS: return 0;
    case ASYNC_GEN_WRAP: case YIELD_VALUE: return 0;
    case POP_EXCEPT: return -1;
    case STORE_NAME: return -1;
    case DELETE_NAME: return 0;
    case UNPACK_SEQUENCE: return oparg - 1;
    case UNPACK_EX: return (oparg & 0xff) + (oparg >> 8);
    case FOR_ITER: return jump > 0 ? -1 : 1;
    case SEND: return jump > 0 ? -1 : 0;
    case STORE_ATTR: return -2;
    case DELETE_ATTR: return -1;
    case STORE_GLOBAL: return -1;
    case DELETE_GLOBAL: return 0;
    case LOAD_CONST: return 1;
    case LOAD_NAME: return 1;
    case BUILD_TUPLE: case BUILD_LIST: case BUILD_SET: case BUILD_STRING: return 1 - oparg;
    case BUILD_MAP: return 1 - 2 * oparg;
    case BUILD_CONST_KEY_MAP: return -oparg;
    case LOAD_ATTR: return 0;
    case COMPARE_OP: case IS_OP: case CONTAINS_OP: return -1;
    case CHECK_EXC_MATCH: case CHECK_EG_MATCH: return 0;
    case IMPORT_NAME: return -1;
    case IMPORT_FROM: return 1;
    case JUMP_FORWARD: case JUMP_BACKWARD: case JUMP_BACKWARD_NO_INTERRUPT: return 0;
    case JUMP_IF_TRUE_OR_POP: case JUMP_IF_FALSE_OR_POP: return jump ? 0 : -1;
    case POP_JUMP_BACKWARD_IF_NONE: case POP_JUMP_FORWARD_IF_NONE:
    case POP_JUMP_BACKWARD_IF_NOT_NONE: case POP_JUMP_FORWARD_IF_NOT_NONE:
    case POP_JUMP_FORWARD_IF_FALSE: case POP_JUMP_BACKWARD_IF_FALSE:
    case POP_JUMP_FORWARD_IF_TRUE: case POP_JUMP_BACKWARD_IF_TRUE: return -1;
    case LOAD_GLOBAL: return (oparg & 1) + 1;
    case PREP_RERAISE_STAR: return -1;
    case RERAISE: return -1;
    case PUSH_EXC_INFO: return 1;
    case WITH_EXCEPT_START: return 1;
    case LOAD_FAST: return 1;
    case STORE_FAST: return -1;
    case DELETE_FAST: return 0;
    case RETURN_GENERATOR: return 0;
    case RAISE_VARARGS: return -oparg;
    case PRECALL: return -oparg;
    case KW_NAMES: return 0;
    case CALL: return -1;
    case CALL_FUNCTION_EX: return -2 - ((oparg & 1) !== 0 ? 1 : 0);
    case MAKE_FUNCTION:
      return -((oparg & 1 ? 1 : 0) + (oparg & 2 ? 1 : 0) + (oparg & 4 ? 1 : 0) + (oparg & 8 ? 1 : 0));
    case BUILD_SLICE: return oparg === 3 ? -2 : -1;
    case MAKE_CELL: case COPY_FREE_VARS: return 0;
    case LOAD_CLOSURE: return 1;
    case LOAD_DEREF: case LOAD_CLASSDEREF: return 1;
    case STORE_DEREF: return -1;
    case DELETE_DEREF: return 0;
    case GET_AWAITABLE: return 0;
    case BEFORE_ASYNC_WITH: case BEFORE_WITH: return 1;
    case GET_AITER: return 0;
    case GET_ANEXT: return 1;
    case GET_YIELD_FROM_ITER: return 0;
    case END_ASYNC_FOR: return -2;
    case FORMAT_VALUE: return (oparg & FVS_HAVE_SPEC) ? -1 : 0;
    case LOAD_METHOD: return 1;
    case LOAD_ASSERTION_ERROR: return 1;
    case LIST_TO_TUPLE: return 0;
    case LIST_EXTEND: case SET_UPDATE: case DICT_MERGE: case DICT_UPDATE: return -1;
    case MATCH_CLASS: return -2;
    case GET_LEN: case MATCH_MAPPING: case MATCH_SEQUENCE: case MATCH_KEYS: return 1;
    case COPY: case PUSH_NULL: return 1;
    case BINARY_OP: return -1;
    default: return undefined;
  }
}
