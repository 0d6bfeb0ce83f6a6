// The eval loop (≈ Python/ceval.c of CPython 3.11).
//
// One loop runs every Python frame of a "C-level" call: a Python-to-Python CALL pushes the
// callee's interpreter frame on the data stack and continues in the same loop (no JS
// recursion), RETURN_VALUE pops it and resumes the caller, exactly as 3.11's inlined calls.
// The loop is re-entered (JS recursion) only where CPython re-enters _PyEval_EvalFrameDefault:
// calls from TS code (builtins calling Python, special methods, generators).
//
// Hot state lives in locals: `frame` (interpreter frame address), `co` (its code object),
// `code` (byte address of co_code_adaptive), `pc` (byte offset of the next code unit), `sp`
// (INT32 INDEX of the next free value-stack slot: slots are 8 bytes, the low word holds the
// object address, so a slot is I32[sp - 2] and pushing is `I32[sp] = v; sp += 2`), `lp` (int32
// index of localsplus[0]). They are written back to the frame (F_STACKTOP, F_PREV_INSTR) before
// anything that can look at the frame: calls, raises, generator switches.
//
// Errors: a helper that fails sets the current exception and returns NULL / -1; the case does
// `break` out of the switch, which falls into the unwind code below it (≈ `goto error`).
// Reference discipline is CPython's (Rule 3): LOAD_* push new references, STORE_* steal them,
// arguments are moved into the callee frame, the frame steals the function reference.

import {
  type Ptr, NULL as NULL__i, I32 as heapI32, U8 as heapU8, U16 as heapU16, F64 as heapF64,
} from '../mem/heap.js';
const NULL = NULL__i;
import {
  Py_DECREF, Py_INCREF, Py_XDECREF, Py_XINCREF, Py_TYPE, _Py_Dealloc, setDirectDeallocs, OB_TYPE as OB_TYPE__i, MANAGED_VALUES_OFFSET as MANAGED_VALUES_OFFSET__i, OB_SIZE as OB_SIZE__i,
} from '../object.js';
const MANAGED_VALUES_OFFSET = MANAGED_VALUES_OFFSET__i;
const OB_SIZE = OB_SIZE__i;
const OB_TYPE = OB_TYPE__i;
import {
  slotsOf, typeName, PyType_Check, PyType_IsSubtype, TP_FLAGS as TP_FLAGS__i, Py_TPFLAGS_BASE_EXC_SUBCLASS as Py_TPFLAGS_BASE_EXC_SUBCLASS__i, Py_EQ as Py_EQ__i, TP_VERSION_TAG as TP_VERSION_TAG__i, HT_CACHED_KEYS as HT_CACHED_KEYS__i,
} from '../typeobject.js';
const TP_VERSION_TAG = TP_VERSION_TAG__i;
const HT_CACHED_KEYS = HT_CACHED_KEYS__i;
const TP_FLAGS = TP_FLAGS__i;
const Py_TPFLAGS_BASE_EXC_SUBCLASS = Py_TPFLAGS_BASE_EXC_SUBCLASS__i;
const Py_EQ = Py_EQ__i;
import {
  PyErr_Occurred, PyErr_SetString, PyErr_Fetch, PyErr_Restore, PyErr_ExceptionMatches, PyErr_Clear, PyErr_NoMemory,
  PyErr_SetObject, PyErr_SetNone, PyErr_GivenExceptionMatches, setContextHook,
} from '../errors.js';
import {
  PyExc_NameError as PyExc_NameError__i, PyExc_UnboundLocalError as PyExc_UnboundLocalError__i, PyExc_TypeError as PyExc_TypeError__i, PyExc_SystemError as PyExc_SystemError__i, PyExc_RecursionError as PyExc_RecursionError__i, PyExc_StopIteration as PyExc_StopIteration__i, PyExc_ValueError as PyExc_ValueError__i, PyExc_RuntimeError as PyExc_RuntimeError__i, PyExc_AssertionError as PyExc_AssertionError__i, PyExc_ImportError as PyExc_ImportError__i, PyExc_KeyError as PyExc_KeyError__i, PyExc_AttributeError as PyExc_AttributeError__i, EXC_TRACEBACK as EXC_TRACEBACK__i, EXC_CONTEXT as EXC_CONTEXT__i, EXC_CAUSE as EXC_CAUSE__i, EXC_SUPPRESS_CONTEXT as EXC_SUPPRESS_CONTEXT__i, EXC_ARGS as EXC_ARGS__i, PyExc_KeyboardInterrupt as PyExc_KeyboardInterrupt__i,
} from '../objects/exceptions.js';
const PyExc_NameError = PyExc_NameError__i;
const PyExc_UnboundLocalError = PyExc_UnboundLocalError__i;
const PyExc_TypeError = PyExc_TypeError__i;
const PyExc_SystemError = PyExc_SystemError__i;
const PyExc_RecursionError = PyExc_RecursionError__i;
const PyExc_StopIteration = PyExc_StopIteration__i;
const PyExc_ValueError = PyExc_ValueError__i;
const PyExc_RuntimeError = PyExc_RuntimeError__i;
const PyExc_AssertionError = PyExc_AssertionError__i;
const PyExc_ImportError = PyExc_ImportError__i;
const PyExc_KeyError = PyExc_KeyError__i;
const PyExc_AttributeError = PyExc_AttributeError__i;
const EXC_TRACEBACK = EXC_TRACEBACK__i;
const EXC_CONTEXT = EXC_CONTEXT__i;
const EXC_CAUSE = EXC_CAUSE__i;
const EXC_SUPPRESS_CONTEXT = EXC_SUPPRESS_CONTEXT__i;
const EXC_ARGS = EXC_ARGS__i;
const PyExc_KeyboardInterrupt = PyExc_KeyboardInterrupt__i;
import {
  ts as ts__i, noteLongRun, dataStackPush, dataStackPop, EXC_INFO_VALUE as EXC_INFO_VALUE__i, EXC_INFO_PREVIOUS as EXC_INFO_PREVIOUS__i, EVAL_BREAKER_PERIOD as EVAL_BREAKER_PERIOD__i, DeadlineExceeded,
} from '../pystate.js';
const ts = ts__i;
const EXC_INFO_VALUE = EXC_INFO_VALUE__i;
const EXC_INFO_PREVIOUS = EXC_INFO_PREVIOUS__i;
const EVAL_BREAKER_PERIOD = EVAL_BREAKER_PERIOD__i;
import {
  PyObject_RichCompare, PyObject_RichCompareBool, PyObject_IsTrue, PyObject_GetIter, PyObject_GetItem, PyObject_SetItem, PyObject_DelItem,
  PySequence_Contains, PyNumber_Add, PyNumber_Subtract, PyNumber_Multiply, PyNumber_TrueDivide, PyNumber_FloorDivide,
  PyNumber_Remainder, PyNumber_Power, PyNumber_Lshift, PyNumber_Rshift, PyNumber_And, PyNumber_Or, PyNumber_Xor,
  PyNumber_MatrixMultiply, PyNumber_InPlaceAdd, PyNumber_InPlaceSubtract, PyNumber_InPlaceMultiply,
  PyNumber_InPlaceTrueDivide, PyNumber_InPlaceFloorDivide, PyNumber_InPlaceRemainder, PyNumber_InPlacePower,
  PyNumber_InPlaceLshift, PyNumber_InPlaceRshift, PyNumber_InPlaceAnd, PyNumber_InPlaceOr, PyNumber_InPlaceXor,
  PyNumber_InPlaceMatrixMultiply, PyNumber_Negative, PyNumber_Positive, PyNumber_Invert, PyObject_Repr, PyObject_Str,
  PyObject_ASCII, PyObject_Format, PyObject_Not,
} from '../abstract.js';
import { PyObject_GetAttr, PyObject_SetAttr, _PyType_Lookup } from '../typeready.js';
import { PyObject_Vectorcall, PyObject_Call } from '../call.js';
import {
  Py_None as Py_None__i, Py_NotImplemented as Py_NotImplemented__i,
} from '../objects/noneobject.js';
const Py_None = Py_None__i;
const Py_NotImplemented = Py_NotImplemented__i;
import { Py_True, Py_False } from '../objects/boolobject.js';
import {
  PyLong_FromNumber, long_dealloc, PyLong_AsNumber, PyLong_CheckExact, PyLong_Type as PyLong_Type__i, LONG_DIGITS as LONG_DIGITS__i,
} from '../objects/longobject.js';
const PyLong_Type = PyLong_Type__i;
const LONG_DIGITS = LONG_DIGITS__i;
import {
  PyUnicode_Check, PyUnicode_CheckExact, unicodeToJs, _PyUnicode_JoinArray, unicode_empty as unicode_empty__i, PyUnicode_FromString,
} from '../objects/unicodeobject.js';
const unicode_empty = unicode_empty__i;
import {
  PyTuple_New, PyTuple_GET_SIZE, PyTuple_GET_ITEM, PyTuple_SET_ITEM, PyTuple_Check, PyTuple_CheckExact, _PyTuple_FromArraySteal, TUPLE_ITEMS as TUPLE_ITEMS__i, PySequence_Tuple, PyTuple_Type as PyTuple_Type__i,
} from '../objects/tupleobject.js';
const PyTuple_Type = PyTuple_Type__i;
const TUPLE_ITEMS = TUPLE_ITEMS__i;
import {
  PyList_New, PyList_Append, PyList_CheckExact, PyList_Check, PyList_GET_SIZE, PyList_AsTuple, PyList_Extend, _PyList_FromArraySteal, PySequence_List, LIST_ITEMS as LIST_ITEMS__i, PyList_Type as PyList_Type__i, PyListIter_Type as PyListIter_Type__i, LISTITER_INDEX as LISTITER_INDEX__i, LISTITER_SEQ as LISTITER_SEQ__i,
} from '../objects/listobject.js';
const PyList_Type = PyList_Type__i;
const PyListIter_Type = PyListIter_Type__i;
const LISTITER_INDEX = LISTITER_INDEX__i;
const LISTITER_SEQ = LISTITER_SEQ__i;
const LIST_ITEMS = LIST_ITEMS__i;
import {
  PyDict_New, PyDict_GetItem, PyDict_SetItem, PyDict_DelItem, PyDict_Check, PyDict_CheckExact, PyDict_Update, _PyDict_MergeEx,
  _PyDict_FromItems, MA_KEYS as MA_KEYS__i, DK_VERSION as DK_VERSION__i, DK_INDICES as DK_INDICES__i, DK_LOG2_INDEX_BYTES as DK_LOG2_INDEX_BYTES__i,
} from '../objects/dictobject.js';
const MA_KEYS = MA_KEYS__i;
const DK_VERSION = DK_VERSION__i;
const DK_INDICES = DK_INDICES__i;
const DK_LOG2_INDEX_BYTES = DK_LOG2_INDEX_BYTES__i;
import { PySet_New, PySet_Add, _PySet_Update } from '../objects/setobject.js';
import { PySlice_New } from '../objects/sliceobject.js';
import {
  PyCode_Addr2Line, CO_FLAGS as CO_FLAGS__i, CO_NLOCALSPLUS as CO_NLOCALSPLUS__i, CO_CODE_ADAPTIVE as CO_CODE_ADAPTIVE__i, CO_ARGCOUNT as CO_ARGCOUNT__i, CO_POSONLYARGCOUNT as CO_POSONLYARGCOUNT__i, CO_KWONLYARGCOUNT as CO_KWONLYARGCOUNT__i, CO_LOCALSPLUSNAMES as CO_LOCALSPLUSNAMES__i, CO_NAMES as CO_NAMES__i, CO_CONSTS as CO_CONSTS__i, CO_EXCEPTIONTABLE as CO_EXCEPTIONTABLE__i, CO_NFREEVARS as CO_NFREEVARS__i, CO_VARARGS as CO_VARARGS__i, CO_VARKEYWORDS as CO_VARKEYWORDS__i, CO_OPTIMIZED as CO_OPTIMIZED__i, CO_NAME as CO_NAME__i, CO_QUALNAME as CO_QUALNAME__i, CO_GENERATOR as CO_GENERATOR__i, codeDeallocHooks as codeDeallocHooks__i, CO_STACKSIZE as CO_STACKSIZE__i, CO_FIRSTLINENO as CO_FIRSTLINENO__i, codeName,
} from '../objects/codeobject.js';
const CO_FLAGS = CO_FLAGS__i;
const CO_NLOCALSPLUS = CO_NLOCALSPLUS__i;
const CO_CODE_ADAPTIVE = CO_CODE_ADAPTIVE__i;
const CO_ARGCOUNT = CO_ARGCOUNT__i;
const CO_POSONLYARGCOUNT = CO_POSONLYARGCOUNT__i;
const CO_KWONLYARGCOUNT = CO_KWONLYARGCOUNT__i;
const CO_LOCALSPLUSNAMES = CO_LOCALSPLUSNAMES__i;
const CO_NAMES = CO_NAMES__i;
const CO_CONSTS = CO_CONSTS__i;
const CO_EXCEPTIONTABLE = CO_EXCEPTIONTABLE__i;
const CO_NFREEVARS = CO_NFREEVARS__i;
const CO_VARARGS = CO_VARARGS__i;
const CO_VARKEYWORDS = CO_VARKEYWORDS__i;
const CO_OPTIMIZED = CO_OPTIMIZED__i;
const CO_NAME = CO_NAME__i;
const CO_QUALNAME = CO_QUALNAME__i;
const CO_GENERATOR = CO_GENERATOR__i;
const codeDeallocHooks = codeDeallocHooks__i;
const CO_STACKSIZE = CO_STACKSIZE__i;
const CO_FIRSTLINENO = CO_FIRSTLINENO__i;
import {
  PyFunction_Type as PyFunction_Type__i, PyFunction_New, FUNC_CODE as FUNC_CODE__i, FUNC_GLOBALS as FUNC_GLOBALS__i, FUNC_BUILTINS as FUNC_BUILTINS__i, FUNC_DEFAULTS as FUNC_DEFAULTS__i, FUNC_KWDEFAULTS as FUNC_KWDEFAULTS__i, FUNC_CLOSURE as FUNC_CLOSURE__i, FUNC_ANNOTATIONS as FUNC_ANNOTATIONS__i, FUNC_QUALNAME as FUNC_QUALNAME__i, FUNC_NAME as FUNC_NAME__i, PyCell_New, PyCell_Type as PyCell_Type__i, CELL_REF as CELL_REF__i, PyMethod_Type as PyMethod_Type__i, IM_FUNC as IM_FUNC__i, IM_SELF as IM_SELF__i, codeDocCandidate, funcSetField,
} from '../objects/funcobject.js';
const PyFunction_Type = PyFunction_Type__i;
const FUNC_CODE = FUNC_CODE__i;
const FUNC_GLOBALS = FUNC_GLOBALS__i;
const FUNC_BUILTINS = FUNC_BUILTINS__i;
const FUNC_DEFAULTS = FUNC_DEFAULTS__i;
const FUNC_KWDEFAULTS = FUNC_KWDEFAULTS__i;
const FUNC_CLOSURE = FUNC_CLOSURE__i;
const FUNC_ANNOTATIONS = FUNC_ANNOTATIONS__i;
const FUNC_QUALNAME = FUNC_QUALNAME__i;
const FUNC_NAME = FUNC_NAME__i;
const PyCell_Type = PyCell_Type__i;
const CELL_REF = CELL_REF__i;
const PyMethod_Type = PyMethod_Type__i;
const IM_FUNC = IM_FUNC__i;
const IM_SELF = IM_SELF__i;
import { PyBytes_AS_STRING, PyBytes_GET_SIZE } from '../objects/bytesobject.js';
import {
  F_FUNC as F_FUNC__i, F_GLOBALS as F_GLOBALS__i, F_BUILTINS as F_BUILTINS__i, F_LOCALS as F_LOCALS__i, F_CODE as F_CODE__i, F_FRAME_OBJ as F_FRAME_OBJ__i, F_PREVIOUS as F_PREVIOUS__i, F_PREV_INSTR as F_PREV_INSTR__i, F_STACKTOP as F_STACKTOP__i, F_IS_ENTRY as F_IS_ENTRY__i, F_OWNER as F_OWNER__i, F_LOCALSPLUS as F_LOCALSPLUS__i, frameSize, frameClear, frameGetFrameObject, newTraceback, FRAME_OWNED_BY_THREAD as FRAME_OWNED_BY_THREAD__i,
} from './frame.js';
const F_FUNC = F_FUNC__i;
const F_GLOBALS = F_GLOBALS__i;
const F_BUILTINS = F_BUILTINS__i;
const F_LOCALS = F_LOCALS__i;
const F_CODE = F_CODE__i;
const F_FRAME_OBJ = F_FRAME_OBJ__i;
const F_PREVIOUS = F_PREVIOUS__i;
const F_PREV_INSTR = F_PREV_INSTR__i;
const F_STACKTOP = F_STACKTOP__i;
const F_IS_ENTRY = F_IS_ENTRY__i;
const F_OWNER = F_OWNER__i;
const F_LOCALSPLUS = F_LOCALSPLUS__i;
const FRAME_OWNED_BY_THREAD = FRAME_OWNED_BY_THREAD__i;


import { specializeLoadGlobal, specializeLoadAttr, specializeStoreAttr, specializeLoadMethod, sameInstanceSlot, MISS_BACKOFF as MISS_BACKOFF__i, POLY as POLY__i, polyIndex, polyForget } from './specialize.js';
const POLY = POLY__i;
const MISS_BACKOFF = MISS_BACKOFF__i;
import {
  PyModule_Type as PyModule_Type__i, MD_DICT as MD_DICT__i,
} from '../objects/moduleobject.js';
const PyModule_Type = PyModule_Type__i;
const MD_DICT = MD_DICT__i;
import {
  PyFloat_Type as PyFloat_Type__i, FLOAT_FVAL as FLOAT_FVAL__i, PyFloat_FromDouble, float_dealloc,
} from '../objects/floatobject.js';
const PyFloat_Type = PyFloat_Type__i;
const FLOAT_FVAL = FLOAT_FVAL__i;
import {
  PyRangeIter_Type as PyRangeIter_Type__i,
} from '../objects/rangeobject.js';
const PyRangeIter_Type = PyRangeIter_Type__i;

// The heap views as file-local constants: V8 reads an imported binding through its module
// cell on every use (measured ~2x slower in hot loops than a local const).
const I32 = heapI32;
const U8 = heapU8;
const U16 = heapU16;
const F64 = heapF64;
// ---- opcodes (3.11.7 numbers; keep in sync with runtime/vm/opcode.ts) ----
export const enum Op {
  CACHE = 0, POP_TOP = 1, PUSH_NULL = 2, NOP = 9, UNARY_POSITIVE = 10, UNARY_NEGATIVE = 11, UNARY_NOT = 12,
  UNARY_INVERT = 15, BINARY_SUBSCR = 25, PUSH_EXC_INFO = 35, CHECK_EXC_MATCH = 36, WITH_EXCEPT_START = 49,
  BEFORE_WITH = 53, STORE_SUBSCR = 60, DELETE_SUBSCR = 61, GET_ITER = 68, GET_YIELD_FROM_ITER = 69, PRINT_EXPR = 70,
  LOAD_BUILD_CLASS = 71, LOAD_ASSERTION_ERROR = 74, RETURN_GENERATOR = 75, LIST_TO_TUPLE = 82, RETURN_VALUE = 83,
  IMPORT_STAR = 84, SETUP_ANNOTATIONS = 85, YIELD_VALUE = 86, POP_EXCEPT = 89, STORE_NAME = 90, DELETE_NAME = 91,
  UNPACK_SEQUENCE = 92, FOR_ITER = 93, UNPACK_EX = 94, STORE_ATTR = 95, DELETE_ATTR = 96, STORE_GLOBAL = 97,
  DELETE_GLOBAL = 98, SWAP = 99, LOAD_CONST = 100, LOAD_NAME = 101, BUILD_TUPLE = 102, BUILD_LIST = 103,
  BUILD_SET = 104, BUILD_MAP = 105, LOAD_ATTR = 106, COMPARE_OP = 107, IMPORT_NAME = 108, IMPORT_FROM = 109,
  JUMP_FORWARD = 110, JUMP_IF_FALSE_OR_POP = 111, JUMP_IF_TRUE_OR_POP = 112, POP_JUMP_FORWARD_IF_FALSE = 114,
  POP_JUMP_FORWARD_IF_TRUE = 115, LOAD_GLOBAL = 116, IS_OP = 117, CONTAINS_OP = 118, RERAISE = 119, COPY = 120,
  BINARY_OP = 122, SEND = 123, LOAD_FAST = 124, STORE_FAST = 125, DELETE_FAST = 126,
  POP_JUMP_FORWARD_IF_NOT_NONE = 128, POP_JUMP_FORWARD_IF_NONE = 129, RAISE_VARARGS = 130, MAKE_FUNCTION = 132,
  BUILD_SLICE = 133, JUMP_BACKWARD_NO_INTERRUPT = 134, MAKE_CELL = 135, LOAD_CLOSURE = 136, LOAD_DEREF = 137,
  STORE_DEREF = 138, DELETE_DEREF = 139, JUMP_BACKWARD = 140, CALL_FUNCTION_EX = 142, EXTENDED_ARG = 144,
  LIST_APPEND = 145, SET_ADD = 146, MAP_ADD = 147, LOAD_CLASSDEREF = 148, COPY_FREE_VARS = 149, RESUME = 151,
  FORMAT_VALUE = 155, BUILD_CONST_KEY_MAP = 156, BUILD_STRING = 157, LOAD_METHOD = 160, LIST_EXTEND = 162,
  SET_UPDATE = 163, DICT_MERGE = 164, DICT_UPDATE = 165, PRECALL = 166, CALL = 171, KW_NAMES = 172,
  POP_JUMP_BACKWARD_IF_NOT_NONE = 173, POP_JUMP_BACKWARD_IF_NONE = 174, POP_JUMP_BACKWARD_IF_FALSE = 175,
  POP_JUMP_BACKWARD_IF_TRUE = 176,
}

// inline cache sizes (code units) of the instructions that have them
const CACHE_BINARY_SUBSCR = 4;
const CACHE_STORE_SUBSCR = 1;
const CACHE_UNPACK_SEQUENCE = 1;
const CACHE_STORE_ATTR = 4;
const CACHE_LOAD_ATTR = 4;
const CACHE_COMPARE_OP = 2;
const CACHE_LOAD_GLOBAL = 5;
const CACHE_BINARY_OP = 1;
const CACHE_LOAD_METHOD = 10;
const CACHE_PRECALL = 1;
const CACHE_CALL = 4;

// ---- hooks installed by layers above (modules, classes, generators) ----
export const vmHooks = {
  /** builtins.__build_class__ (classes, issue 6) is looked up in builtins like CPython */
  importName: null as ((name: Ptr, globals: Ptr, fromlist: Ptr, level: number) => Ptr) | null,
  /** sys.displayhook for PRINT_EXPR (the REPL) */
  displayHook: null as ((v: Ptr) => number) | null,
  /** make a generator object from a frame that just ran RETURN_GENERATOR (genobject.ts) */
  makeGenerator: null as ((frame: Ptr) => Ptr) | null,
  /** send into a generator / coroutine for SEND and yield from: returns 0 (yielded: result in out),
   *  1 (returned: result in out) or -1 (error) */
  genSend: null as ((gen: Ptr, v: Ptr, out: Int32Array) => number) | null,
};

// ---- exception tables (decoded lazily per code object; a cache of the heap) ----
const excTables = new Map<Ptr, Int32Array>();
codeDeallocHooks.push((co) => excTables.delete(co));
// _Py_Dealloc calls int's and float's deallocators directly (object.ts)
setDirectDeallocs(PyLong_Type, long_dealloc, PyFloat_Type, float_dealloc);
// the polymorphic LOAD_METHOD entries of the code's sites
codeDeallocHooks.push((co) => polyForget((co + CO_CODE_ADAPTIVE) >> 1, (co + CO_CODE_ADAPTIVE + 2 * I32[(co + 16) >> 2]) >> 1));

function decodeExceptionTable(co: Ptr): Int32Array {
  let t = excTables.get(co);
  if (t !== undefined) return t;
  const bytes = I32[(co + CO_EXCEPTIONTABLE) >> 2];
  let p = PyBytes_AS_STRING(bytes);
  const end = p + PyBytes_GET_SIZE(bytes);
  const out: number[] = [];
  const varint = (): number => {
    let b = U8[p++];
    let v = b & 63;
    while (b & 64) {
      b = U8[p++];
      v = (v << 6) | (b & 63);
    }
    return v;
  };
  while (p < end) {
    const start = varint();
    const length = varint();
    const target = varint();
    const dl = varint();
    out.push(start * 2, (start + length) * 2, target * 2, dl >> 1, dl & 1);
  }
  t = Int32Array.from(out);
  excTables.set(co, t);
  return t;
}

/** Find the handler for the instruction at byte offset `offset`: index into the table or -1. */
function findHandler(table: Int32Array, offset: number): number {
  for (let i = 0; i < table.length; i += 5) {
    if (offset >= table[i] && offset < table[i + 1]) return i;
  }
  return -1;
}

// ---- exception helpers ----
function excField(e: Ptr, off: number): Ptr {
  return I32[(e + off) >> 2];
}
function setExcField(e: Ptr, off: number, v: Ptr): void {
  const old = I32[(e + off) >> 2];
  I32[(e + off) >> 2] = v;
  I32[(e + off + 4) >> 2] = 0;
  Py_XDECREF(old);
}

/** The exception being handled (≈ _PyErr_GetTopmostException), borrowed, or NULL. */
export function topmostException(): Ptr {
  for (let item = ts.excInfo; item !== NULL; item = I32[(item + EXC_INFO_PREVIOUS) >> 2]) {
    const v = I32[(item + EXC_INFO_VALUE) >> 2];
    if (v !== NULL && v !== Py_None) return v;
  }
  return NULL;
}

/** ≈ the context chaining of _PyErr_SetObject: a newly raised `exc` gets the exception being
 *  handled as its __context__ (cycles in the chain are cut). */
function chainContext(exc: Ptr): void {
  const handled = topmostException();
  if (handled === NULL || handled === exc) return;
  // cut a cycle exc -> ... -> exc in handled's context chain (Floyd-free version: bounded walk)
  let o = handled;
  for (let guard = 0; guard < 100000; guard++) {
    const c = excField(o, EXC_CONTEXT);
    if (c === NULL) break;
    if (c === exc) {
      setExcField(o, EXC_CONTEXT, NULL);
      break;
    }
    o = c;
  }
  Py_INCREF(handled);
  setExcField(exc, EXC_CONTEXT, handled);
}
setContextHook(chainContext);

/** Add a traceback entry for `frame` at `lasti` to the exception (≈ PyTraceBack_Here). */
function tracebackHere(exc: Ptr, frame: Ptr, lasti: number): void {
  const fo = frameGetFrameObject(frame);
  if (fo === NULL) {
    PyErr_Clear();
    return;
  }
  const co = I32[(frame + F_CODE) >> 2];
  const old = excField(exc, EXC_TRACEBACK);
  Py_XINCREF(old);
  const tb = newTraceback(old, fo, lasti, PyCode_Addr2Line(co, lasti));
  if (tb === NULL) {
    PyErr_Clear();
    return;
  }
  setExcField(exc, EXC_TRACEBACK, tb);
}

function isExceptionClass(o: Ptr): boolean {
  return PyType_Check(o) && (I32[(o + TP_FLAGS) >> 2] & Py_TPFLAGS_BASE_EXC_SUBCLASS) !== 0;
}
function isExceptionInstance(o: Ptr): boolean {
  return (I32[(Py_TYPE(o) + TP_FLAGS) >> 2] & Py_TPFLAGS_BASE_EXC_SUBCLASS) !== 0;
}

/** ≈ do_raise: `raise exc from cause` (either may be NULL). Returns 0 when the error is set
 *  (goto error), 1 for a bare re-raise (goto exception_unwind: no new traceback entry). */
function doRaise(exc: Ptr, cause: Ptr): number {
  if (exc === NULL) {
    const v = topmostException();
    if (v === NULL) {
      PyErr_SetString(PyExc_RuntimeError, 'No active exception to reraise');
      return 0;
    }
    Py_INCREF(v);
    PyErr_Restore(v);
    return 1;
  }
  let value: Ptr;
  if (isExceptionClass(exc)) {
    value = PyObject_Vectorcall(exc, 0, 0, NULL);
    if (value === NULL) {
      Py_XDECREF(cause);
      Py_DECREF(exc);
      return 0;
    }
    if (!isExceptionInstance(value)) {
      PyErr_SetString(PyExc_TypeError, `calling ${typeName(exc)} should have returned an instance of BaseException, not ${typeName(Py_TYPE(value))}`);
      Py_DECREF(value);
      Py_XDECREF(cause);
      Py_DECREF(exc);
      return 0;
    }
    Py_DECREF(exc);
  } else if (isExceptionInstance(exc)) {
    value = exc;
  } else {
    Py_DECREF(exc);
    Py_XDECREF(cause);
    PyErr_SetString(PyExc_TypeError, 'exceptions must derive from BaseException');
    return 0;
  }
  if (cause !== NULL) {
    let fixed: Ptr;
    if (isExceptionClass(cause)) {
      fixed = PyObject_Vectorcall(cause, 0, 0, NULL);
      Py_DECREF(cause);
      if (fixed === NULL) {
        Py_DECREF(value);
        return 0;
      }
    } else if (isExceptionInstance(cause)) {
      fixed = cause;
    } else if (cause === Py_None) {
      Py_DECREF(cause);
      fixed = NULL;
    } else {
      Py_DECREF(cause);
      Py_DECREF(value);
      PyErr_SetString(PyExc_TypeError, 'exception causes must derive from BaseException');
      return 0;
    }
    setExcField(value, EXC_CAUSE, fixed);
    U8[value + EXC_SUPPRESS_CONTEXT] = 1;
  }
  PyErr_SetObject(Py_TYPE(value), value);
  Py_DECREF(value);
  return 0;
}

// ---- name errors ----
function formatNameError(name: Ptr): void {
  PyErr_SetString(PyExc_NameError, `name '${unicodeToJs(name)}' is not defined`);
  nameErrorHook.set?.(name);
}
/** exceptions.ts attaches NameError.name; set through this hook */
export const nameErrorHook = { set: null as ((name: Ptr) => void) | null };

function unboundLocal(co: Ptr, i: number): void {
  const name = PyTuple_GET_ITEM(I32[(co + CO_LOCALSPLUSNAMES) >> 2], i);
  PyErr_SetString(PyExc_UnboundLocalError, `cannot access local variable '${unicodeToJs(name)}' where it is not associated with a value`);
}
function unboundFree(co: Ptr, i: number): void {
  const name = PyTuple_GET_ITEM(I32[(co + CO_LOCALSPLUSNAMES) >> 2], i);
  PyErr_SetString(PyExc_NameError, `cannot access free variable '${unicodeToJs(name)}' where it is not associated with a value in enclosing scope`);
}

// ---- frames ----
/** Push and initialise a frame for calling `func` (≈ _PyEvalFramePushAndInit). The frame steals
 *  the reference to func and the `argcount` + len(kwnames) argument references at `args`
 *  (released on failure too). Returns the frame or NULL with an exception set. */
function pushFrame(func: Ptr, locals: Ptr, args: number, argcount: number, kwnames: Ptr): Ptr {
  const co = I32[(func + FUNC_CODE) >> 2];
  const size = frameSize(co);
  const f = dataStackPush(size);
  const nkw = kwnames === NULL ? 0 : PyTuple_GET_SIZE(kwnames);
  if (f === NULL) {
    for (let i = 0; i < argcount + nkw; i++) Py_DECREF(I32[(args + 8 * i) >> 2]);
    Py_DECREF(func);
    PyErr_NoMemory();
    return NULL;
  }
  const nlp = I32[(co + CO_NLOCALSPLUS) >> 2];
  I32[(f + F_FUNC) >> 2] = func;
  Py_INCREF(co);
  I32[(f + F_CODE) >> 2] = co;
  I32[(f + F_GLOBALS) >> 2] = I32[(func + FUNC_GLOBALS) >> 2];
  I32[(f + F_BUILTINS) >> 2] = I32[(func + FUNC_BUILTINS) >> 2];
  if (locals !== NULL) Py_INCREF(locals);
  I32[(f + F_LOCALS) >> 2] = locals;
  I32[(f + F_FRAME_OBJ) >> 2] = 0;
  I32[(f + F_PREVIOUS) >> 2] = 0;
  I32[(f + F_PREV_INSTR) >> 2] = -2;
  I32[(f + F_STACKTOP) >> 2] = nlp;
  U8[f + F_IS_ENTRY] = 0;
  U8[f + F_OWNER] = FRAME_OWNED_BY_THREAD;
  const lp = (f + F_LOCALSPLUS) >> 2;
  if (
    kwnames === NULL &&
    argcount === I32[(co + CO_ARGCOUNT) >> 2] &&
    (I32[(co + CO_FLAGS) >> 2] & (CO_VARARGS | CO_VARKEYWORDS)) === 0 &&
    I32[(co + CO_KWONLYARGCOUNT) >> 2] === 0
  ) {
    // ≈ CALL_PY_EXACT_ARGS: the arguments move into the first locals, the rest start empty
    for (let i = 0; i < argcount; i++) I32[lp + 2 * i] = I32[(args + 8 * i) >> 2];
    for (let i = argcount; i < nlp; i++) I32[lp + 2 * i] = 0;
    return f;
  }
  for (let i = 0; i < nlp; i++) I32[lp + 2 * i] = 0;
  if (initializeLocals(func, co, lp, args, argcount, kwnames) < 0) {
    frameClear(f);
    dataStackPop(f);
    return NULL;
  }
  return f;
}

function funcName(func: Ptr): string {
  return unicodeToJs(I32[(func + FUNC_QUALNAME) >> 2]);
}

/** ≈ initialize_locals: bind arguments to parameters with CPython's errors. Steals the argument
 *  references (on error too). */
function initializeLocals(func: Ptr, co: Ptr, lp: number, args: number, argcount: number, kwnames: Ptr): number {
  const flags = I32[(co + CO_FLAGS) >> 2];
  const coArgcount = I32[(co + CO_ARGCOUNT) >> 2];
  const kwonly = I32[(co + CO_KWONLYARGCOUNT) >> 2];
  const posonly = I32[(co + CO_POSONLYARGCOUNT) >> 2];
  const totalArgs = coArgcount + kwonly;
  const names = I32[(co + CO_LOCALSPLUSNAMES) >> 2];
  const nkw = kwnames === NULL ? 0 : PyTuple_GET_SIZE(kwnames);
  let kwdict: Ptr = NULL;
  let i = totalArgs;
  if (flags & CO_VARARGS) i++;
  if (flags & CO_VARKEYWORDS) {
    kwdict = PyDict_New();
    if (kwdict === NULL) return failArgs(args, argcount, nkw, 0);
    I32[lp + 2 * i] = kwdict;
  }
  // positional arguments
  const n = argcount > coArgcount ? coArgcount : argcount;
  for (let j = 0; j < n; j++) I32[lp + 2 * j] = I32[(args + 8 * j) >> 2];
  if (flags & CO_VARARGS) {
    let u: Ptr;
    if (argcount > n) {
      u = _PyTuple_FromArraySteal(args + 8 * n, argcount - n);
    } else {
      u = PyTuple_New(0);
    }
    if (u === NULL) return failArgs(args + 8 * argcount, 0, nkw, 0);
    I32[lp + 2 * totalArgs] = u;
  } else if (argcount > n) {
    // too many positional arguments: reported below after keywords are consumed
    for (let j = n; j < argcount; j++) Py_DECREF(I32[(args + 8 * j) >> 2]);
  }
  // keyword arguments
  for (let k = 0; k < nkw; k++) {
    const keyword = PyTuple_GET_ITEM(kwnames, k);
    const value = I32[(args + 8 * (argcount + k)) >> 2];
    let j = posonly;
    let found = -1;
    for (; j < totalArgs; j++) {
      if (PyTuple_GET_ITEM(names, j) === keyword) {
        found = j;
        break;
      }
    }
    if (found < 0) {
      for (j = posonly; j < totalArgs; j++) {
        const nm = PyTuple_GET_ITEM(names, j);
        const eq = PyObject_RichCompareBool(nm, keyword, Py_EQ);
        if (eq < 0) return failArgs(args + 8 * argcount, 0, nkw, k);
        if (eq > 0) {
          found = j;
          break;
        }
      }
    }
    if (found < 0) {
      if (kwdict === NULL) {
        let posonlyHit = false;
        for (let p = 0; p < posonly; p++) if (PyObject_RichCompareBool(PyTuple_GET_ITEM(names, p), keyword, Py_EQ) > 0) posonlyHit = true;
        if (posonlyHit) {
          PyErr_SetString(PyExc_TypeError, `${funcName(func)}() got some positional-only arguments passed as keyword arguments: '${unicodeToJs(keyword)}'`);
        } else {
          PyErr_SetString(PyExc_TypeError, `${funcName(func)}() got an unexpected keyword argument '${unicodeToJs(keyword)}'`);
        }
        return failArgs(args + 8 * argcount, 0, nkw, k);
      }
      if (PyDict_SetItem(kwdict, keyword, value) < 0) return failArgs(args + 8 * argcount, 0, nkw, k);
      Py_DECREF(value);
      continue;
    }
    if (I32[lp + 2 * found] !== NULL) {
      PyErr_SetString(PyExc_TypeError, `${funcName(func)}() got multiple values for argument '${unicodeToJs(keyword)}'`);
      return failArgs(args + 8 * argcount, 0, nkw, k);
    }
    I32[lp + 2 * found] = value;
  }
  if (argcount > coArgcount && !(flags & CO_VARARGS)) {
    tooManyPositional(func, co, lp, argcount);
    return -1;
  }
  // defaults for missing positionals
  if (argcount < coArgcount) {
    const defaults = I32[(func + FUNC_DEFAULTS) >> 2];
    const defcount = defaults === NULL ? 0 : PyTuple_GET_SIZE(defaults);
    const m = coArgcount - defcount;
    let missing = 0;
    for (let j = argcount; j < m; j++) if (I32[lp + 2 * j] === NULL) missing++;
    if (missing) {
      missingArguments(func, co, lp, argcount, m, true);
      return -1;
    }
    for (let j = n > m ? n - m : 0; j < defcount; j++) {
      if (I32[lp + 2 * (m + j)] === NULL) {
        const d = PyTuple_GET_ITEM(defaults, j);
        Py_INCREF(d);
        I32[lp + 2 * (m + j)] = d;
      }
    }
  }
  // keyword-only defaults
  if (kwonly > 0) {
    let missing = 0;
    const kwdefs = I32[(func + FUNC_KWDEFAULTS) >> 2];
    for (let j = coArgcount; j < totalArgs; j++) {
      if (I32[lp + 2 * j] !== NULL) continue;
      const name = PyTuple_GET_ITEM(names, j);
      if (kwdefs !== NULL) {
        const d = PyDict_GetItem(kwdefs, name);
        if (d !== NULL) {
          Py_INCREF(d);
          I32[lp + 2 * j] = d;
          continue;
        }
      }
      missing++;
    }
    if (missing) {
      missingArguments(func, co, lp, coArgcount, totalArgs, false);
      return -1;
    }
  }
  return 0;
}
function failArgs(args: number, npos: number, nkw: number, from: number): number {
  for (let j = 0; j < npos; j++) Py_DECREF(I32[(args + 8 * j) >> 2]);
  for (let k = from; k < nkw; k++) Py_DECREF(I32[(args + 8 * k) >> 2]);
  return -1;
}
function tooManyPositional(func: Ptr, co: Ptr, lp: number, given: number): void {
  const coArgcount = I32[(co + CO_ARGCOUNT) >> 2];
  const defaults = I32[(func + FUNC_DEFAULTS) >> 2];
  const defcount = defaults === NULL ? 0 : PyTuple_GET_SIZE(defaults);
  let kwonlyGiven = 0;
  const kwonly = I32[(co + CO_KWONLYARGCOUNT) >> 2];
  for (let j = coArgcount; j < coArgcount + kwonly; j++) if (I32[lp + 2 * j] !== NULL) kwonlyGiven++;
  let sig: string;
  const plural = coArgcount !== 1 || defcount > 0;
  if (defcount > 0) {
    sig = `from ${coArgcount - defcount} to ${coArgcount}`;
  } else {
    sig = `${coArgcount}`;
  }
  let kwText = '';
  if (kwonlyGiven) {
    kwText = ` positional argument${given !== 1 ? 's' : ''} (and ${kwonlyGiven} keyword-only argument${kwonlyGiven !== 1 ? 's' : ''})`;
  }
  PyErr_SetString(
    PyExc_TypeError,
    `${funcName(func)}() takes ${sig} positional argument${plural ? 's' : ''} but ${given}${kwText} ${given === 1 && !kwonlyGiven ? 'was' : 'were'} given`,
  );
}
function missingArguments(func: Ptr, co: Ptr, lp: number, start: number, end: number, positional: boolean): void {
  const names = I32[(co + CO_LOCALSPLUSNAMES) >> 2];
  const missing: string[] = [];
  for (let j = start; j < end; j++) if (I32[lp + 2 * j] === NULL) missing.push(`'${unicodeToJs(PyTuple_GET_ITEM(names, j))}'`);
  let list: string;
  if (missing.length === 1) list = missing[0];
  else if (missing.length === 2) list = `${missing[0]} and ${missing[1]}`;
  else list = `${missing.slice(0, -1).join(', ')}, and ${missing[missing.length - 1]}`;
  PyErr_SetString(
    PyExc_TypeError,
    `${funcName(func)}() missing ${missing.length} required ${positional ? 'positional' : 'keyword-only'} argument${missing.length === 1 ? '' : 's'}: ${list}`,
  );
}

/** Leave a frame: release its references and its data-stack space. */
function popFrame(f: Ptr): void {
  frameClear(f);
  dataStackPop(f);
}
/** A frame finished (returned or raised): thread frames are popped; a generator's frame is
 *  cleared in place and the generator marked finished (≈ _PyEvalFrameClearAndPop). */
function leaveFrame(f: Ptr): void {
  if (U8[f + F_OWNER] === FRAME_OWNED_BY_THREAD) {
    popFrame(f);
  } else {
    frameClear(f);
    genFrameDone.v = 1;
  }
}

// ---- calling Python functions ----
/** ≈ _PyFunction_Vectorcall / _PyEval_Vector: called from TS (builtins, slots, call.ts) with
 *  BORROWED arguments. New reference or NULL. */
function function_vectorcall(func: Ptr, args: number, nargs: number, kwnames: Ptr): Ptr {
  const nkw = kwnames === NULL ? 0 : PyTuple_GET_SIZE(kwnames);
  const co = I32[(func + FUNC_CODE) >> 2];
  Py_INCREF(func);
  for (let i = 0; i < nargs + nkw; i++) Py_INCREF(I32[(args + 8 * i) >> 2]);
  const locals = (I32[(co + CO_FLAGS) >> 2] & CO_OPTIMIZED) !== 0 ? NULL : I32[(func + FUNC_GLOBALS) >> 2];
  const f = pushFrame(func, locals, args, nargs, nkw === 0 ? NULL : kwnames);
  if (f === NULL) return NULL;
  return evalEntry(f);
}
slotsOf(PyFunction_Type).ob_vectorcall = function_vectorcall;

/** Run frame `f` (pushed by pushFrame) as an entry frame and pop it. */
function evalEntry(f: Ptr): Ptr {
  U8[f + F_IS_ENTRY] = 1;
  I32[(f + F_PREVIOUS) >> 2] = ts.frame;
  const r = evalFrame(f, false);
  return r;
}

/** ≈ PyEval_EvalCode: run a module-level code object with the given globals and locals. */
export function PyEval_EvalCode(co: Ptr, globals: Ptr, locals: Ptr): Ptr {
  let builtins = PyDict_GetItem(globals, builtinsName);
  if (builtins !== NULL && !PyDict_Check(builtins)) builtins = I32[(builtins + 16) >> 2]; // a module: its md_dict
  if (builtins === NULL) {
    PyErr_SetString(PyExc_KeyError, '__builtins__');
    return NULL;
  }
  const func = PyFunction_New(co, globals, builtins, NULL, NULL);
  if (func === NULL) return NULL;
  const f = pushFrame(func, locals, 0, 0, NULL);
  if (f === NULL) return NULL;
  return evalEntry(f);
}
/** Run `func`'s code with `locals` as its namespace and its own closure (a class body: ≈
 *  _PyEval_Vector(tstate, func, locals, NULL, 0, NULL) in builtin___build_class__). Borrowed
 *  arguments. New reference (the body's result: the __class__ cell or None) or NULL. */
export function evalFunctionWithLocals(func: Ptr, locals: Ptr): Ptr {
  Py_INCREF(func);
  const f = pushFrame(func, locals, 0, 0, NULL);
  if (f === NULL) return NULL;
  return evalEntry(f);
}
let builtinsName: Ptr = NULL;
export function setBuiltinsName(n: Ptr): void {
  builtinsName = n;
}

// ---- recursion ----
function enterRecursivePy(): boolean {
  if (++ts.recursionDepth > ts.recursionLimit) {
    ts.recursionDepth--;
    PyErr_SetString(PyExc_RecursionError, 'maximum recursion depth exceeded');
    return false;
  }
  return true;
}

// ---- the eval breaker ----
let breaker = 0;
/** ≈ eval_breaker handling: a pending SIGINT raises KeyboardInterrupt; a harness deadline
 *  stops the program with a JS error. 0 or -1 (exception set). */
function evalBreaker(): number {
  if (ts.onLongRun !== null) noteLongRun();
  if (ts.interrupt !== 0 || Atomics.load(ts.sigint, 0) !== 0) {
    ts.interrupt = 0;
    Atomics.store(ts.sigint, 0, 0);
    PyErr_SetNone(PyExc_KeyboardInterrupt);
    return -1;
  }
  if (ts.deadline !== 0 && Date.now() > ts.deadline) throw new DeadlineExceeded('program ran past its deadline');
  return 0;
}

/** rangeiter_next (rangeobject.ts), called directly by FOR_ITER */
const rangeiter_next = slotsOf(PyRangeIter_Type).tp_iternext!;

// Dense internal opcode numbers for the dispatch switch: V8 compiles a switch into a jump table
// only when its case labels cover a dense range (CPython's numbers leave holes, and the sparse
// switch measured 2-3x slower per dispatch). OPMAP translates a code unit's opcode byte.
const enum D {
  CACHE = 0,
  NOP,
  RESUME,
  PRECALL,
  LOAD_FAST,
  STORE_FAST,
  DELETE_FAST,
  LOAD_CONST,
  POP_TOP,
  PUSH_NULL,
  COPY,
  SWAP,
  UNARY_POSITIVE,
  UNARY_NEGATIVE,
  UNARY_INVERT,
  UNARY_NOT,
  BINARY_OP,
  COMPARE_OP,
  IS_OP,
  CONTAINS_OP,
  BINARY_SUBSCR,
  STORE_SUBSCR,
  DELETE_SUBSCR,
  GET_ITER,
  FOR_ITER,
  JUMP_FORWARD,
  JUMP_BACKWARD,
  JUMP_BACKWARD_NO_INTERRUPT,
  POP_JUMP_FORWARD_IF_FALSE,
  POP_JUMP_FORWARD_IF_TRUE,
  POP_JUMP_BACKWARD_IF_FALSE,
  POP_JUMP_BACKWARD_IF_TRUE,
  POP_JUMP_FORWARD_IF_NONE,
  POP_JUMP_FORWARD_IF_NOT_NONE,
  POP_JUMP_BACKWARD_IF_NONE,
  POP_JUMP_BACKWARD_IF_NOT_NONE,
  JUMP_IF_FALSE_OR_POP,
  JUMP_IF_TRUE_OR_POP,
  RETURN_VALUE,
  LOAD_GLOBAL,
  STORE_GLOBAL,
  DELETE_GLOBAL,
  LOAD_NAME,
  STORE_NAME,
  DELETE_NAME,
  LOAD_ATTR,
  STORE_ATTR,
  DELETE_ATTR,
  LOAD_METHOD,
  KW_NAMES,
  CALL,
  CALL_FUNCTION_EX,
  MAKE_FUNCTION,
  MAKE_CELL,
  COPY_FREE_VARS,
  LOAD_CLOSURE,
  LOAD_DEREF,
  LOAD_CLASSDEREF,
  STORE_DEREF,
  DELETE_DEREF,
  BUILD_TUPLE,
  BUILD_LIST,
  LIST_TO_TUPLE,
  LIST_EXTEND,
  LIST_APPEND,
  BUILD_SET,
  SET_ADD,
  SET_UPDATE,
  BUILD_MAP,
  BUILD_CONST_KEY_MAP,
  MAP_ADD,
  DICT_UPDATE,
  DICT_MERGE,
  BUILD_SLICE,
  BUILD_STRING,
  FORMAT_VALUE,
  UNPACK_SEQUENCE,
  UNPACK_EX,
  GET_YIELD_FROM_ITER,
  LOAD_ASSERTION_ERROR,
  LOAD_BUILD_CLASS,
  SETUP_ANNOTATIONS,
  PRINT_EXPR,
  IMPORT_NAME,
  IMPORT_FROM,
  IMPORT_STAR,
  RAISE_VARARGS,
  PUSH_EXC_INFO,
  POP_EXCEPT,
  CHECK_EXC_MATCH,
  RERAISE,
  BEFORE_WITH,
  WITH_EXCEPT_START,
  RETURN_GENERATOR,
  YIELD_VALUE,
  SEND,
}
const OPMAP = new Uint8Array(256);
OPMAP[Op.NOP] = D.NOP;
OPMAP[Op.RESUME] = D.RESUME;
OPMAP[Op.PRECALL] = D.PRECALL;
OPMAP[Op.LOAD_FAST] = D.LOAD_FAST;
OPMAP[Op.STORE_FAST] = D.STORE_FAST;
OPMAP[Op.DELETE_FAST] = D.DELETE_FAST;
OPMAP[Op.LOAD_CONST] = D.LOAD_CONST;
OPMAP[Op.POP_TOP] = D.POP_TOP;
OPMAP[Op.PUSH_NULL] = D.PUSH_NULL;
OPMAP[Op.COPY] = D.COPY;
OPMAP[Op.SWAP] = D.SWAP;
OPMAP[Op.UNARY_POSITIVE] = D.UNARY_POSITIVE;
OPMAP[Op.UNARY_NEGATIVE] = D.UNARY_NEGATIVE;
OPMAP[Op.UNARY_INVERT] = D.UNARY_INVERT;
OPMAP[Op.UNARY_NOT] = D.UNARY_NOT;
OPMAP[Op.BINARY_OP] = D.BINARY_OP;
OPMAP[Op.COMPARE_OP] = D.COMPARE_OP;
OPMAP[Op.IS_OP] = D.IS_OP;
OPMAP[Op.CONTAINS_OP] = D.CONTAINS_OP;
OPMAP[Op.BINARY_SUBSCR] = D.BINARY_SUBSCR;
OPMAP[Op.STORE_SUBSCR] = D.STORE_SUBSCR;
OPMAP[Op.DELETE_SUBSCR] = D.DELETE_SUBSCR;
OPMAP[Op.GET_ITER] = D.GET_ITER;
OPMAP[Op.FOR_ITER] = D.FOR_ITER;
OPMAP[Op.JUMP_FORWARD] = D.JUMP_FORWARD;
OPMAP[Op.JUMP_BACKWARD] = D.JUMP_BACKWARD;
OPMAP[Op.JUMP_BACKWARD_NO_INTERRUPT] = D.JUMP_BACKWARD_NO_INTERRUPT;
OPMAP[Op.POP_JUMP_FORWARD_IF_FALSE] = D.POP_JUMP_FORWARD_IF_FALSE;
OPMAP[Op.POP_JUMP_FORWARD_IF_TRUE] = D.POP_JUMP_FORWARD_IF_TRUE;
OPMAP[Op.POP_JUMP_BACKWARD_IF_FALSE] = D.POP_JUMP_BACKWARD_IF_FALSE;
OPMAP[Op.POP_JUMP_BACKWARD_IF_TRUE] = D.POP_JUMP_BACKWARD_IF_TRUE;
OPMAP[Op.POP_JUMP_FORWARD_IF_NONE] = D.POP_JUMP_FORWARD_IF_NONE;
OPMAP[Op.POP_JUMP_FORWARD_IF_NOT_NONE] = D.POP_JUMP_FORWARD_IF_NOT_NONE;
OPMAP[Op.POP_JUMP_BACKWARD_IF_NONE] = D.POP_JUMP_BACKWARD_IF_NONE;
OPMAP[Op.POP_JUMP_BACKWARD_IF_NOT_NONE] = D.POP_JUMP_BACKWARD_IF_NOT_NONE;
OPMAP[Op.JUMP_IF_FALSE_OR_POP] = D.JUMP_IF_FALSE_OR_POP;
OPMAP[Op.JUMP_IF_TRUE_OR_POP] = D.JUMP_IF_TRUE_OR_POP;
OPMAP[Op.RETURN_VALUE] = D.RETURN_VALUE;
OPMAP[Op.LOAD_GLOBAL] = D.LOAD_GLOBAL;
OPMAP[Op.STORE_GLOBAL] = D.STORE_GLOBAL;
OPMAP[Op.DELETE_GLOBAL] = D.DELETE_GLOBAL;
OPMAP[Op.LOAD_NAME] = D.LOAD_NAME;
OPMAP[Op.STORE_NAME] = D.STORE_NAME;
OPMAP[Op.DELETE_NAME] = D.DELETE_NAME;
OPMAP[Op.LOAD_ATTR] = D.LOAD_ATTR;
OPMAP[Op.STORE_ATTR] = D.STORE_ATTR;
OPMAP[Op.DELETE_ATTR] = D.DELETE_ATTR;
OPMAP[Op.LOAD_METHOD] = D.LOAD_METHOD;
OPMAP[Op.KW_NAMES] = D.KW_NAMES;
OPMAP[Op.CALL] = D.CALL;
OPMAP[Op.CALL_FUNCTION_EX] = D.CALL_FUNCTION_EX;
OPMAP[Op.MAKE_FUNCTION] = D.MAKE_FUNCTION;
OPMAP[Op.MAKE_CELL] = D.MAKE_CELL;
OPMAP[Op.COPY_FREE_VARS] = D.COPY_FREE_VARS;
OPMAP[Op.LOAD_CLOSURE] = D.LOAD_CLOSURE;
OPMAP[Op.LOAD_DEREF] = D.LOAD_DEREF;
OPMAP[Op.LOAD_CLASSDEREF] = D.LOAD_CLASSDEREF;
OPMAP[Op.STORE_DEREF] = D.STORE_DEREF;
OPMAP[Op.DELETE_DEREF] = D.DELETE_DEREF;
OPMAP[Op.BUILD_TUPLE] = D.BUILD_TUPLE;
OPMAP[Op.BUILD_LIST] = D.BUILD_LIST;
OPMAP[Op.LIST_TO_TUPLE] = D.LIST_TO_TUPLE;
OPMAP[Op.LIST_EXTEND] = D.LIST_EXTEND;
OPMAP[Op.LIST_APPEND] = D.LIST_APPEND;
OPMAP[Op.BUILD_SET] = D.BUILD_SET;
OPMAP[Op.SET_ADD] = D.SET_ADD;
OPMAP[Op.SET_UPDATE] = D.SET_UPDATE;
OPMAP[Op.BUILD_MAP] = D.BUILD_MAP;
OPMAP[Op.BUILD_CONST_KEY_MAP] = D.BUILD_CONST_KEY_MAP;
OPMAP[Op.MAP_ADD] = D.MAP_ADD;
OPMAP[Op.DICT_UPDATE] = D.DICT_UPDATE;
OPMAP[Op.DICT_MERGE] = D.DICT_MERGE;
OPMAP[Op.BUILD_SLICE] = D.BUILD_SLICE;
OPMAP[Op.BUILD_STRING] = D.BUILD_STRING;
OPMAP[Op.FORMAT_VALUE] = D.FORMAT_VALUE;
OPMAP[Op.UNPACK_SEQUENCE] = D.UNPACK_SEQUENCE;
OPMAP[Op.UNPACK_EX] = D.UNPACK_EX;
OPMAP[Op.GET_YIELD_FROM_ITER] = D.GET_YIELD_FROM_ITER;
OPMAP[Op.LOAD_ASSERTION_ERROR] = D.LOAD_ASSERTION_ERROR;
OPMAP[Op.LOAD_BUILD_CLASS] = D.LOAD_BUILD_CLASS;
OPMAP[Op.SETUP_ANNOTATIONS] = D.SETUP_ANNOTATIONS;
OPMAP[Op.PRINT_EXPR] = D.PRINT_EXPR;
OPMAP[Op.IMPORT_NAME] = D.IMPORT_NAME;
OPMAP[Op.IMPORT_FROM] = D.IMPORT_FROM;
OPMAP[Op.IMPORT_STAR] = D.IMPORT_STAR;
OPMAP[Op.RAISE_VARARGS] = D.RAISE_VARARGS;
OPMAP[Op.PUSH_EXC_INFO] = D.PUSH_EXC_INFO;
OPMAP[Op.POP_EXCEPT] = D.POP_EXCEPT;
OPMAP[Op.CHECK_EXC_MATCH] = D.CHECK_EXC_MATCH;
OPMAP[Op.RERAISE] = D.RERAISE;
OPMAP[Op.BEFORE_WITH] = D.BEFORE_WITH;
OPMAP[Op.WITH_EXCEPT_START] = D.WITH_EXCEPT_START;
OPMAP[Op.RETURN_GENERATOR] = D.RETURN_GENERATOR;
OPMAP[Op.YIELD_VALUE] = D.YIELD_VALUE;
OPMAP[Op.SEND] = D.SEND;

// ---- the loop ----
const outSlot = new Int32Array(1);

/** Run `entry` (an entry frame: is_entry = 1) until it returns. New reference or NULL.
 *
 *  The loop itself is evalLoop. It gives control back here every EVAL_BREAKER_PERIOD backward
 *  jumps or function entries (returning RESTART, with the current frame's state saved in the
 *  frame) and is called again on the same frame. That is for V8: a long-running activation can
 *  only switch to optimized code by on-stack replacement, and V8's OSR code of this large loop
 *  keeps its hot locals (pc, sp, frame...) as tagged values, measured 2-2.5x slower per
 *  instruction than the regularly compiled function that a fresh call picks up. */
export function evalFrame(entry: Ptr, throwing: boolean): Ptr {
  let r = evalLoop(entry, throwing, false);
  while (r === RESTART) r = evalLoop(ts.frame, false, true);
  return r;
}
const RESTART = -1;

function evalLoop(entry: Ptr, throwing: boolean, resume: boolean): Ptr {
  let frame = entry | 0;
  let co = 0;
  let code = 0;
  let pc = 0;
  let sp = 0;
  let lp = 0;
  let instr = 0; // byte offset of the instruction being executed
  let kwnames: Ptr = NULL;
  let pendingError = throwing; // resume with an exception pending (generator throw)
  let addTraceback = true;

  // ≈ start_frame / resume_frame
  if (!resume && !enterRecursivePy()) {
    // the frame was never entered: pop it and propagate
    const prevF = I32[(frame + F_PREVIOUS) >> 2];
    leaveFrame(frame);
    ts.frame = prevF;
    return NULL;
  }
  ts.frame = frame;
  co = (I32[(frame + F_CODE) >> 2]) | 0;
  code = (co + CO_CODE_ADAPTIVE) | 0;
  pc = (I32[(frame + F_PREV_INSTR) >> 2] + 2) | 0;
  instr = (I32[(frame + F_PREV_INSTR) >> 2]) | 0;
  lp = ((frame + F_LOCALSPLUS) >> 2) | 0;
  sp = (lp + 2 * I32[(frame + F_STACKTOP) >> 2]) | 0;

  for (;;) {
    if (pendingError) {
      pendingError = false;
      // fall into the error handling below with the current exception
    } else {
      instr = (pc) | 0;
      let word = U16[(code + pc) >> 1];
      let op = word & 0xff;
      let oparg = word >>> 8;
      pc = (pc + 2) | 0;
      while (op === Op.EXTENDED_ARG) {
        word = U16[(code + pc) >> 1];
        op = word & 0xff;
        oparg = (oparg << 8) | (word >>> 8);
        instr = (pc) | 0;
        pc = (pc + 2) | 0;
      }
      I32[(frame + F_PREV_INSTR) >> 2] = instr;

      switch (OPMAP[op]) {
        case D.NOP:
          continue;
        case D.RESUME:
          if (++breaker >= EVAL_BREAKER_PERIOD) {
            breaker = 0;
            if (evalBreaker() < 0) break;
            // give V8 a fresh activation (see evalFrame): resume after this instruction
            I32[(frame + F_STACKTOP) >> 2] = (sp - lp) >> 1;
            return RESTART;
          }
          continue;

        case D.DELETE_FAST: {
          const old = I32[lp + 2 * oparg];
          if (old === NULL) {
            unboundLocal(co, oparg);
            break;
          }
          I32[lp + 2 * oparg] = 0;
          Py_DECREF(old);
          continue;
        }
        case D.POP_TOP: {
          sp = (sp - 2) | 0;
          const v = I32[sp];
          if (--I32[v >> 2] === 0) _Py_Dealloc(v);
          continue;
        }
        case D.PUSH_NULL:
          I32[sp] = 0;
          sp = (sp + 2) | 0;
          continue;
        case D.COPY: {
          const v = I32[sp - 2 * oparg];
          I32[v >> 2]++;
          I32[sp] = v;
          sp = (sp + 2) | 0;
          continue;
        }
        case D.SWAP: {
          const a = I32[sp - 2];
          I32[sp - 2] = I32[sp - 2 * oparg];
          I32[sp - 2 * oparg] = a;
          continue;
        }

        case D.UNARY_POSITIVE:
        case D.UNARY_NEGATIVE:
        case D.UNARY_INVERT: {
          const v = I32[sp - 2];
          const r = op === Op.UNARY_POSITIVE ? PyNumber_Positive(v) : op === Op.UNARY_NEGATIVE ? PyNumber_Negative(v) : PyNumber_Invert(v);
          Py_DECREF(v);
          I32[sp - 2] = r;
          if (r === NULL) {
            sp = (sp - 2) | 0;
            break;
          }
          continue;
        }
        case D.UNARY_NOT: {
          const v = I32[sp - 2];
          const t = PyObject_IsTrue(v);
          Py_DECREF(v);
          if (t < 0) {
            sp = (sp - 2) | 0;
            break;
          }
          const r = t ? Py_False : Py_True;
          I32[r >> 2]++;
          I32[sp - 2] = r;
          continue;
        }

        case D.STORE_FAST: {
          sp = (sp - 2) | 0;
          const old = I32[lp + 2 * oparg];
          I32[lp + 2 * oparg] = I32[sp];
          if (old !== NULL && --I32[old >> 2] === 0) _Py_Dealloc(old);
          // ≈ STORE_FAST__LOAD_FAST: a LOAD_FAST next runs without a dispatch (fall-through; the
          // LOAD_FAST case reports an unbound local itself)
          const w = U16[(code + pc) >> 1];
          if ((w & 0xff) !== Op.LOAD_FAST) continue;
          instr = (pc) | 0;
          I32[(frame + F_PREV_INSTR) >> 2] = instr;
          oparg = w >>> 8;
          pc = (pc + 2) | 0;
        }
        // falls through
        case D.LOAD_FAST: {
          const v = I32[lp + 2 * oparg];
          if (v === NULL) {
            unboundLocal(co, oparg);
            break;
          }
          I32[v >> 2]++;
          I32[sp] = v;
          sp = (sp + 2) | 0;
          // ≈ LOAD_FAST__LOAD_FAST: a LOAD_FAST right after runs here without a dispatch (an unbound
          // local is left to the normal path, which reports it)
          let w = U16[(code + pc) >> 1];
          if ((w & 0xff) === Op.LOAD_FAST) {
            const v2 = I32[lp + 2 * (w >> 8)];
            if (v2 === NULL) continue;
            I32[v2 >> 2]++;
            I32[sp] = v2;
            sp = (sp + 2) | 0;
            pc = (pc + 2) | 0;
            w = U16[(code + pc) >> 1];
          }
          // a LOAD_CONST next runs without a dispatch (fall-through), and so may its BINARY_OP
          if ((w & 0xff) !== Op.LOAD_CONST) continue;
          instr = (pc) | 0;
          I32[(frame + F_PREV_INSTR) >> 2] = instr;
          oparg = w >>> 8;
          pc = (pc + 2) | 0;
        }
        // falls through
        case D.LOAD_CONST: {
          const v = I32[(I32[(co + CO_CONSTS) >> 2] + TUPLE_ITEMS + 8 * oparg) >> 2];
          const w = U16[(code + pc) >> 1];
          if ((w & 0xff) === Op.BINARY_SUBSCR && I32[(v + OB_TYPE) >> 2] === PyLong_Type) {
            // LOAD_CONST + BINARY_SUBSCR_{LIST,TUPLE}_INT (`a[0]`): a constant index in range of
            // an exact list or tuple on the stack; the constant is never pushed
            const container = I32[sp - 2];
            const ct = I32[(container + OB_TYPE) >> 2];
            const ss = I32[(v + OB_SIZE) >> 2];
            if ((ct === PyList_Type || ct === PyTuple_Type) && (ss === 0 || ss === 1)) {
              const i = ss * I32[(v + LONG_DIGITS) >> 2];
              if (i < I32[(container + OB_SIZE) >> 2]) {
                const item = ct === PyList_Type ? I32[(I32[(container + LIST_ITEMS) >> 2] + 8 * i) >> 2] : I32[(container + TUPLE_ITEMS + 8 * i) >> 2];
                I32[item >> 2]++;
                I32[sp - 2] = item;
                // prev_instr is the BINARY_SUBSCR's, should the container's release run a finalizer
                I32[(frame + F_PREV_INSTR) >> 2] = pc;
                pc = (pc + 2 + 2 * CACHE_BINARY_SUBSCR) | 0;
                if (--I32[container >> 2] === 0) _Py_Dealloc(container);
                continue;
              }
            }
          }
          I32[v >> 2]++;
          I32[sp] = v;
          sp = (sp + 2) | 0;
          // ≈ LOAD_CONST__LOAD_FAST: a LOAD_FAST right after runs here without a dispatch (an unbound
          // local is left to the normal path, which reports it)
          if ((w & 0xff) === Op.LOAD_FAST) {
            const v2 = I32[lp + 2 * (w >> 8)];
            if (v2 !== NULL) {
              I32[v2 >> 2]++;
              I32[sp] = v2;
              sp = (sp + 2) | 0;
              pc = (pc + 2) | 0;
            }
            continue;
          }
          // a BINARY_OP next (`x + 1`) runs without a dispatch (fall-through)
          if ((w & 0xff) !== Op.BINARY_OP) continue;
          instr = (pc) | 0;
          I32[(frame + F_PREV_INSTR) >> 2] = instr;
          oparg = w >>> 8;
          pc = (pc + 2) | 0;
        }
        // falls through
        case D.BINARY_OP: {
          pc = (pc + 2 * CACHE_BINARY_OP) | 0;
          sp = (sp - 2) | 0;
          const rhs = I32[sp];
          const lhs = I32[sp - 2];
          const lt = I32[(lhs + OB_TYPE) >> 2];
          const rt = I32[(rhs + OB_TYPE) >> 2];
          // ≈ BINARY_OP_{ADD,SUBTRACT,MULTIPLY}_{FLOAT,INT}: ints of at most one digit, and floats
          // (also with such an int: float_add & co. convert it exactly), computed here; the result
          // is made before the operands are released, as in 3.11
          let x = 0;
          let kind = 0; // 1 float result, 2 int result
          if (lt === PyLong_Type && rt === PyLong_Type) {
            const sa = I32[(lhs + OB_SIZE) >> 2];
            const sb = I32[(rhs + OB_SIZE) >> 2];
            if (sa >= -1 && sa <= 1 && sb >= -1 && sb <= 1) {
              // one digit: |a|, |b| < 2**30, so int32 arithmetic is exact except for *
              const a = (sa * I32[(lhs + LONG_DIGITS) >> 2]) | 0;
              const b = (sb * I32[(rhs + LONG_DIGITS) >> 2]) | 0;
              kind = 2;
              switch (oparg) {
                case 0: case 13: x = (a + b) | 0; break;
                case 10: case 23: x = (a - b) | 0; break;
                case 5: case 18: x = a * b; if (x > 9007199254740991 || x < -9007199254740991) kind = 0; break;
                case 2: case 15: {
                  // floor division: truncate, then step down when the signs differ and it is inexact
                  if (b === 0) { kind = 0; break; }
                  const q = (a / b) | 0;
                  x = q * b !== a && (a ^ b) < 0 ? (q - 1) | 0 : q;
                  break;
                }
                case 6: case 19: {
                  // Python's modulo takes the divisor's sign
                  if (b === 0) { kind = 0; break; }
                  const m = (a % b) | 0;
                  x = m !== 0 && (m ^ b) < 0 ? (m + b) | 0 : m;
                  break;
                }
                case 1: case 14: x = a & b; break;
                case 7: case 20: x = a | b; break;
                case 12: case 25: x = a ^ b; break;
                case 9: case 22: if (b >= 0) x = a >> (b > 31 ? 31 : b); else kind = 0; break;
                case 11: case 24: if (b !== 0) { x = a / b; kind = 1; } else kind = 0; break;
                default: kind = 0;
              }
            }
          } else if ((lt === PyFloat_Type || lt === PyLong_Type) && (rt === PyFloat_Type || rt === PyLong_Type)) {
            let a = 0;
            let b = 0;
            let ok = true;
            if (lt === PyFloat_Type) a = F64[(lhs + FLOAT_FVAL) >> 3];
            else {
              const sa = I32[(lhs + OB_SIZE) >> 2];
              if (sa >= -1 && sa <= 1) a = sa * I32[(lhs + LONG_DIGITS) >> 2];
              else ok = false;
            }
            if (rt === PyFloat_Type) b = F64[(rhs + FLOAT_FVAL) >> 3];
            else {
              const sb = I32[(rhs + OB_SIZE) >> 2];
              if (sb >= -1 && sb <= 1) b = sb * I32[(rhs + LONG_DIGITS) >> 2];
              else ok = false;
            }
            if (ok) {
              kind = 1;
              switch (oparg) {
                case 0: case 13: x = a + b; break;
                case 10: case 23: x = a - b; break;
                case 5: case 18: x = a * b; break;
                case 11: case 24: if (b !== 0) x = a / b; else kind = 0; break;
                default: kind = 0;
              }
            }
          }
          if (kind !== 0) {
            const r = kind === 1 ? PyFloat_FromDouble(x) : PyLong_FromNumber(x + 0);
            // (ints and floats: _Py_Dealloc calls their deallocators directly)
            if (--I32[lhs >> 2] === 0) _Py_Dealloc(lhs);
            if (--I32[rhs >> 2] === 0) _Py_Dealloc(rhs);
            if (r === NULL) {
              sp = (sp - 2) | 0;
              break;
            }
            // ≈ a STORE_FAST next takes the result without a dispatch
            const w = U16[(code + pc) >> 1];
            if ((w & 0xff) === Op.STORE_FAST) {
              const at = lp + 2 * (w >> 8);
              const old = I32[at];
              I32[at] = r;
              sp = (sp - 2) | 0;
              I32[(frame + F_PREV_INSTR) >> 2] = pc;
              pc = (pc + 2) | 0;
              if (old !== NULL && --I32[old >> 2] === 0) _Py_Dealloc(old);
              continue;
            }
            I32[sp - 2] = r;
            continue;
          }
          const r = binaryOp(oparg, lhs, rhs);
          Py_DECREF(lhs);
          Py_DECREF(rhs);
          I32[sp - 2] = r;
          if (r === NULL) {
            sp = (sp - 2) | 0;
            break;
          }
          continue;
        }
        case D.COMPARE_OP: {
          pc = (pc + 2 * CACHE_COMPARE_OP) | 0;
          sp = (sp - 2) | 0;
          const rhs = I32[sp];
          const lhs = I32[sp - 2];
          const lt = I32[(lhs + OB_TYPE) >> 2];
          if (lt === I32[(rhs + OB_TYPE) >> 2] && (lt === PyFloat_Type || lt === PyLong_Type)) {
            // ≈ COMPARE_OP_{FLOAT,INT}_JUMP: exact floats or one-digit ints; a POP_JUMP_FORWARD_IF_*
            // right after consumes the result without making a bool
            let a = 0;
            let b = 0;
            let ok = true;
            if (lt === PyFloat_Type) {
              a = F64[(lhs + FLOAT_FVAL) >> 3];
              b = F64[(rhs + FLOAT_FVAL) >> 3];
            } else {
              const sa = I32[(lhs + OB_SIZE) >> 2];
              const sb = I32[(rhs + OB_SIZE) >> 2];
              if (sa >= -1 && sa <= 1 && sb >= -1 && sb <= 1) {
                a = sa * I32[(lhs + LONG_DIGITS) >> 2];
                b = sb * I32[(rhs + LONG_DIGITS) >> 2];
              } else ok = false;
            }
            if (ok) {
              let t: boolean;
              switch (oparg) {
                case 0: t = a < b; break;
                case 1: t = a <= b; break;
                case 2: t = a === b; break;
                case 3: t = a !== b; break;
                case 4: t = a > b; break;
                default: t = a >= b;
              }
              if (--I32[lhs >> 2] === 0) _Py_Dealloc(lhs);
              if (--I32[rhs >> 2] === 0) _Py_Dealloc(rhs);
              const w = U16[(code + pc) >> 1];
              const nop = w & 0xff;
              if (nop === Op.POP_JUMP_FORWARD_IF_FALSE) {
                sp = (sp - 2) | 0;
                pc = (pc + (t ? 2 : 2 + 2 * (w >> 8))) | 0;
                continue;
              }
              if (nop === Op.POP_JUMP_FORWARD_IF_TRUE) {
                sp = (sp - 2) | 0;
                pc = (pc + (t ? 2 + 2 * (w >> 8) : 2)) | 0;
                continue;
              }
              const r = t ? Py_True : Py_False;
              I32[r >> 2]++;
              I32[sp - 2] = r;
              continue;
            }
          }
          const r = PyObject_RichCompare(lhs, rhs, oparg);
          Py_DECREF(lhs);
          Py_DECREF(rhs);
          I32[sp - 2] = r;
          if (r === NULL) {
            sp = (sp - 2) | 0;
            break;
          }
          continue;
        }
        case D.IS_OP: {
          sp = (sp - 2) | 0;
          const rhs = I32[sp];
          const lhs = I32[sp - 2];
          const r = (lhs === rhs) !== (oparg === 1) ? Py_True : Py_False;
          I32[r >> 2]++;
          Py_DECREF(lhs);
          Py_DECREF(rhs);
          I32[sp - 2] = r;
          continue;
        }
        case D.CONTAINS_OP: {
          sp = (sp - 2) | 0;
          const rhs = I32[sp];
          const lhs = I32[sp - 2];
          const c = PySequence_Contains(rhs, lhs);
          Py_DECREF(lhs);
          Py_DECREF(rhs);
          if (c < 0) {
            sp = (sp - 2) | 0;
            break;
          }
          const r = (c === 1) !== (oparg === 1) ? Py_True : Py_False;
          I32[r >> 2]++;
          I32[sp - 2] = r;
          continue;
        }

        case D.BINARY_SUBSCR: {
          pc = (pc + 2 * CACHE_BINARY_SUBSCR) | 0;
          sp = (sp - 2) | 0;
          const sub = I32[sp];
          const container = I32[sp - 2];
          if (I32[(sub + OB_TYPE) >> 2] === PyLong_Type) {
            // ≈ BINARY_SUBSCR_{LIST,TUPLE}_INT: an exact list or tuple and a one-digit index
            const ct = I32[(container + OB_TYPE) >> 2];
            const ss = I32[(sub + OB_SIZE) >> 2];
            if ((ct === PyList_Type || ct === PyTuple_Type) && ss >= -1 && ss <= 1) {
              const n = I32[(container + OB_SIZE) >> 2];
              let i = ss * I32[(sub + LONG_DIGITS) >> 2];
              if (i < 0) i += n;
              if (i >= 0 && i < n) {
                const item = ct === PyList_Type ? I32[(I32[(container + LIST_ITEMS) >> 2] + 8 * i) >> 2] : I32[(container + TUPLE_ITEMS + 8 * i) >> 2];
                I32[item >> 2]++;
                I32[sp - 2] = item;
                if (--I32[sub >> 2] === 0) _Py_Dealloc(sub);
                if (--I32[container >> 2] === 0) _Py_Dealloc(container);
                continue;
              }
            }
          }
          const r = PyObject_GetItem(container, sub);
          Py_DECREF(container);
          Py_DECREF(sub);
          I32[sp - 2] = r;
          if (r === NULL) {
            sp = (sp - 2) | 0;
            break;
          }
          continue;
        }
        case D.STORE_SUBSCR: {
          pc = (pc + 2 * CACHE_STORE_SUBSCR) | 0;
          const sub = I32[sp - 2];
          const container = I32[sp - 4];
          const v = I32[sp - 6];
          sp = (sp - 6) | 0;
          if (I32[(container + OB_TYPE) >> 2] === PyList_Type && I32[(sub + OB_TYPE) >> 2] === PyLong_Type) {
            // ≈ STORE_SUBSCR_LIST_INT: the stack's reference to v moves into the list
            const ss = I32[(sub + OB_SIZE) >> 2];
            if (ss >= 0 && ss <= 1) {
              const i = ss * I32[(sub + LONG_DIGITS) >> 2];
              if (i < I32[(container + OB_SIZE) >> 2]) {
                const at = (I32[(container + LIST_ITEMS) >> 2] + 8 * i) >> 2;
                const old = I32[at];
                I32[at] = v;
                if (--I32[sub >> 2] === 0) _Py_Dealloc(sub);
                if (--I32[old >> 2] === 0) _Py_Dealloc(old);
                if (--I32[container >> 2] === 0) _Py_Dealloc(container);
                continue;
              }
            }
          }
          const err = PyObject_SetItem(container, sub, v);
          Py_DECREF(v);
          Py_DECREF(container);
          Py_DECREF(sub);
          if (err < 0) break;
          continue;
        }
        case D.DELETE_SUBSCR: {
          const sub = I32[sp - 2];
          const container = I32[sp - 4];
          sp = (sp - 4) | 0;
          const err = PyObject_DelItem(container, sub);
          Py_DECREF(container);
          Py_DECREF(sub);
          if (err < 0) break;
          continue;
        }

        case D.GET_ITER: {
          const v = I32[sp - 2];
          const it = PyObject_GetIter(v);
          Py_DECREF(v);
          I32[sp - 2] = it;
          if (it === NULL) {
            sp = (sp - 2) | 0;
            break;
          }
          continue;
        }
        case D.JUMP_BACKWARD: {
          pc = (pc - 2 * oparg) | 0;
          if (++breaker >= EVAL_BREAKER_PERIOD) {
            breaker = 0;
            if (evalBreaker() < 0) break;
            // give V8 a fresh activation (see evalFrame): resume at pc
            I32[(frame + F_STACKTOP) >> 2] = (sp - lp) >> 1;
            I32[(frame + F_PREV_INSTR) >> 2] = pc - 2;
            return RESTART;
          }
          // the loop's FOR_ITER runs next without a dispatch (fall-through)
          {
            const w = U16[(code + pc) >> 1];
            if ((w & 0xff) !== Op.FOR_ITER) continue;
            instr = (pc) | 0;
            I32[(frame + F_PREV_INSTR) >> 2] = instr;
            oparg = w >>> 8;
            pc = (pc + 2) | 0;
          }
        }
        // falls through
        case D.FOR_ITER: {
          const it = I32[sp - 2];
          const itt = I32[(it + OB_TYPE) >> 2];
          let next: Ptr = NULL;
          if (itt === PyListIter_Type) {
            // ≈ listiter_next, inline (its end is left to listiter_next below)
            const seq = I32[(it + LISTITER_SEQ) >> 2];
            if (seq !== NULL) {
              const i = I32[(it + LISTITER_INDEX) >> 2];
              if (i < I32[(seq + OB_SIZE) >> 2]) {
                next = I32[(I32[(seq + LIST_ITEMS) >> 2] + 8 * i) >> 2];
                I32[(it + LISTITER_INDEX) >> 2] = i + 1;
                I32[next >> 2]++;
              }
            }
          }
          if (next === NULL) next = itt === PyRangeIter_Type ? rangeiter_next(it) : slotsOf(itt).tp_iternext!(it);
          if (next !== NULL) {
            // ≈ FOR_ITER + STORE_FAST in one step when the loop variable is a plain local
            const w = U16[(code + pc) >> 1];
            if ((w & 0xff) === Op.STORE_FAST) {
              const at = lp + 2 * (w >> 8);
              const old = I32[at];
              I32[at] = next;
              pc = (pc + 2) | 0;
              if (old !== NULL && --I32[old >> 2] === 0) _Py_Dealloc(old);
              continue;
            }
            I32[sp] = next;
            sp = (sp + 2) | 0;
            continue;
          }
          if (PyErr_Occurred() !== NULL) {
            if (!PyErr_ExceptionMatches(PyExc_StopIteration)) break;
            PyErr_Clear();
          }
          sp = (sp - 2) | 0;
          Py_DECREF(it);
          pc = (pc + 2 * oparg) | 0;
          continue;
        }

        case D.JUMP_FORWARD:
          pc = (pc + 2 * oparg) | 0;
          continue;
        case D.JUMP_BACKWARD_NO_INTERRUPT:
          pc = (pc - 2 * oparg) | 0;
          continue;
        case D.POP_JUMP_FORWARD_IF_FALSE:
        case D.POP_JUMP_FORWARD_IF_TRUE:
        case D.POP_JUMP_BACKWARD_IF_FALSE:
        case D.POP_JUMP_BACKWARD_IF_TRUE: {
          sp = (sp - 2) | 0;
          const v = I32[sp];
          let t: number;
          if (v === Py_True) t = 1;
          else if (v === Py_False) t = 0;
          else {
            t = PyObject_IsTrue(v);
            if (t < 0) {
              Py_DECREF(v);
              break;
            }
          }
          Py_DECREF(v);
          const jumpIfTrue = op === Op.POP_JUMP_FORWARD_IF_TRUE || op === Op.POP_JUMP_BACKWARD_IF_TRUE;
          if ((t === 1) === jumpIfTrue) {
            if (op === Op.POP_JUMP_FORWARD_IF_FALSE || op === Op.POP_JUMP_FORWARD_IF_TRUE) pc = (pc + 2 * oparg) | 0;
            else pc = (pc - 2 * oparg) | 0;
          }
          continue;
        }
        case D.POP_JUMP_FORWARD_IF_NONE:
        case D.POP_JUMP_FORWARD_IF_NOT_NONE:
        case D.POP_JUMP_BACKWARD_IF_NONE:
        case D.POP_JUMP_BACKWARD_IF_NOT_NONE: {
          sp = (sp - 2) | 0;
          const v = I32[sp];
          const isNone = v === Py_None;
          Py_DECREF(v);
          const wantNone = op === Op.POP_JUMP_FORWARD_IF_NONE || op === Op.POP_JUMP_BACKWARD_IF_NONE;
          if (isNone === wantNone) {
            if (op === Op.POP_JUMP_FORWARD_IF_NONE || op === Op.POP_JUMP_FORWARD_IF_NOT_NONE) pc = (pc + 2 * oparg) | 0;
            else pc = (pc - 2 * oparg) | 0;
          }
          continue;
        }
        case D.JUMP_IF_FALSE_OR_POP:
        case D.JUMP_IF_TRUE_OR_POP: {
          const v = I32[sp - 2];
          let t: number;
          if (v === Py_True) t = 1;
          else if (v === Py_False) t = 0;
          else {
            t = PyObject_IsTrue(v);
            if (t < 0) break;
          }
          if ((t === 1) === (op === Op.JUMP_IF_TRUE_OR_POP)) {
            pc = (pc + 2 * oparg) | 0;
          } else {
            sp = (sp - 2) | 0;
            Py_DECREF(v);
          }
          continue;
        }

        case D.RETURN_VALUE: {
          sp = (sp - 2) | 0;
          const retval = I32[sp];
          I32[(frame + F_STACKTOP) >> 2] = (sp - lp) >> 1;
          ts.recursionDepth--;
          const isEntry = U8[frame + F_IS_ENTRY] !== 0;
          const prev = I32[(frame + F_PREVIOUS) >> 2];
          leaveFrame(frame);
          ts.frame = prev;
          if (isEntry) return retval;
          // resume the caller
          frame = (prev) | 0;
          co = (I32[(frame + F_CODE) >> 2]) | 0;
          code = (co + CO_CODE_ADAPTIVE) | 0;
          lp = ((frame + F_LOCALSPLUS) >> 2) | 0;
          sp = (lp + 2 * I32[(frame + F_STACKTOP) >> 2]) | 0;
          pc = (I32[(frame + F_PREV_INSTR) >> 2] + 2 + 2 * CACHE_CALL) | 0;
          I32[sp] = retval;
          sp = (sp + 2) | 0;
          continue;
        }

        case D.LOAD_GLOBAL: {
          const c = (code + pc) >> 1; // first cache unit (specialize.ts)
          pc = (pc + 2 * CACHE_LOAD_GLOBAL) | 0;
          let v: Ptr = NULL;
          const kind = U16[c];
          if (kind === 1 || kind === 2) {
            const gk = I32[(I32[(frame + F_GLOBALS) >> 2] + MA_KEYS) >> 2];
            if (I32[(gk + DK_VERSION) >> 2] === (U16[c + 2] | (U16[c + 3] << 16))) {
              if (kind === 1) {
                v = I32[(gk + DK_INDICES + (1 << U8[gk + DK_LOG2_INDEX_BYTES]) + 16 * U16[c + 1] + 8) >> 2];
              } else {
                const bk = I32[(I32[(frame + F_BUILTINS) >> 2] + MA_KEYS) >> 2];
                if (I32[(bk + DK_VERSION) >> 2] === U16[c + 4]) v = I32[(bk + DK_INDICES + (1 << U8[bk + DK_LOG2_INDEX_BYTES]) + 16 * U16[c + 1] + 8) >> 2];
              }
            }
            if (v === NULL) U16[c] = MISS_BACKOFF;
          }
          if (v === NULL) {
            const name = I32[(I32[(co + CO_NAMES) >> 2] + TUPLE_ITEMS + 8 * (oparg >> 1)) >> 2];
            v = PyDict_GetItem(I32[(frame + F_GLOBALS) >> 2], name);
            if (v === NULL) {
              if (PyErr_Occurred() !== NULL) break;
              v = PyDict_GetItem(I32[(frame + F_BUILTINS) >> 2], name);
              if (v === NULL) {
                if (PyErr_Occurred() === NULL) formatNameError(name);
                break;
              }
            }
            specializeLoadGlobal(I32[(frame + F_GLOBALS) >> 2], I32[(frame + F_BUILTINS) >> 2], name, c);
          }
          if (oparg & 1) {
            I32[sp] = 0;
            sp = (sp + 2) | 0;
          }
          I32[v >> 2]++;
          I32[sp] = v;
          sp = (sp + 2) | 0;
          continue;
        }
        case D.STORE_GLOBAL: {
          const name = I32[(I32[(co + CO_NAMES) >> 2] + TUPLE_ITEMS + 8 * oparg) >> 2];
          sp = (sp - 2) | 0;
          const v = I32[sp];
          const err = PyDict_SetItem(I32[(frame + F_GLOBALS) >> 2], name, v);
          Py_DECREF(v);
          if (err < 0) break;
          continue;
        }
        case D.DELETE_GLOBAL: {
          const name = I32[(I32[(co + CO_NAMES) >> 2] + TUPLE_ITEMS + 8 * oparg) >> 2];
          if (PyDict_DelItem(I32[(frame + F_GLOBALS) >> 2], name) < 0) {
            if (PyErr_ExceptionMatches(PyExc_KeyError)) {
              PyErr_Clear();
              formatNameError(name);
            }
            break;
          }
          continue;
        }
        case D.LOAD_NAME: {
          const name = I32[(I32[(co + CO_NAMES) >> 2] + TUPLE_ITEMS + 8 * oparg) >> 2];
          const locals = I32[(frame + F_LOCALS) >> 2];
          if (locals === NULL) {
            PyErr_SetString(PyExc_SystemError, `no locals when loading '${unicodeToJs(name)}'`);
            break;
          }
          let v: Ptr;
          if (PyDict_CheckExact(locals)) {
            v = PyDict_GetItem(locals, name);
            if (v !== NULL) Py_INCREF(v);
            else if (PyErr_Occurred() !== NULL) break;
          } else {
            v = PyObject_GetItem(locals, name);
            if (v === NULL) {
              if (!PyErr_ExceptionMatches(PyExc_KeyError)) break;
              PyErr_Clear();
            }
          }
          if (v === NULL) {
            v = PyDict_GetItem(I32[(frame + F_GLOBALS) >> 2], name);
            if (v === NULL) {
              if (PyErr_Occurred() !== NULL) break;
              v = PyDict_GetItem(I32[(frame + F_BUILTINS) >> 2], name);
              if (v === NULL) {
                if (PyErr_Occurred() === NULL) formatNameError(name);
                break;
              }
            }
            Py_INCREF(v);
          }
          I32[sp] = v;
          sp = (sp + 2) | 0;
          continue;
        }
        case D.STORE_NAME: {
          const name = I32[(I32[(co + CO_NAMES) >> 2] + TUPLE_ITEMS + 8 * oparg) >> 2];
          sp = (sp - 2) | 0;
          const v = I32[sp];
          const locals = I32[(frame + F_LOCALS) >> 2];
          if (locals === NULL) {
            Py_DECREF(v);
            PyErr_SetString(PyExc_SystemError, `no locals found when storing '${unicodeToJs(name)}'`);
            break;
          }
          const err = PyDict_CheckExact(locals) ? PyDict_SetItem(locals, name, v) : PyObject_SetItem(locals, name, v);
          Py_DECREF(v);
          if (err < 0) break;
          continue;
        }
        case D.DELETE_NAME: {
          const name = I32[(I32[(co + CO_NAMES) >> 2] + TUPLE_ITEMS + 8 * oparg) >> 2];
          const locals = I32[(frame + F_LOCALS) >> 2];
          if (PyObject_DelItem(locals, name) < 0) {
            if (PyErr_ExceptionMatches(PyExc_KeyError)) {
              PyErr_Clear();
              formatNameError(name);
            }
            break;
          }
          continue;
        }

        case D.LOAD_ATTR: {
          const c = (code + pc) >> 1;
          pc = (pc + 2 * CACHE_LOAD_ATTR) | 0;
          const owner = I32[sp - 2];
          const kind = U16[c];
          if (kind === 1) {
            // an instance attribute in the values array (the same index in another class that
            // keeps the name there too: sameInstanceSlot)
            const values = I32[(owner + MANAGED_VALUES_OFFSET) >> 2];
            if (
              values !== NULL &&
              (I32[(I32[(owner + OB_TYPE) >> 2] + TP_VERSION_TAG) >> 2] === (U16[c + 1] | (U16[c + 2] << 16)) ||
                sameInstanceSlot(owner, I32[(I32[(co + CO_NAMES) >> 2] + TUPLE_ITEMS + 8 * oparg) >> 2], U16[c + 3], false))
            ) {
              const v = I32[(values + 8 * U16[c + 3]) >> 2];
              if (v !== NULL) {
                I32[v >> 2]++;
                I32[sp - 2] = v;
                if (--I32[owner >> 2] === 0) _Py_Dealloc(owner);
                continue;
              }
            }
            U16[c] = MISS_BACKOFF;
          } else if (kind === 2) {
            // a module attribute
            if (I32[(owner + OB_TYPE) >> 2] === PyModule_Type) {
              const dk = I32[(I32[(owner + MD_DICT) >> 2] + MA_KEYS) >> 2];
              if (I32[(dk + DK_VERSION) >> 2] === (U16[c + 1] | (U16[c + 2] << 16))) {
                const v = I32[(dk + DK_INDICES + (1 << U8[dk + DK_LOG2_INDEX_BYTES]) + 16 * U16[c + 3] + 8) >> 2];
                if (v !== NULL) {
                  I32[v >> 2]++;
                  I32[sp - 2] = v;
                  if (--I32[owner >> 2] === 0) _Py_Dealloc(owner);
                  continue;
                }
              }
            }
            U16[c] = MISS_BACKOFF;
          }
          const name = I32[(I32[(co + CO_NAMES) >> 2] + TUPLE_ITEMS + 8 * oparg) >> 2];
          const r = PyObject_GetAttr(owner, name);
          if (r !== NULL) specializeLoadAttr(owner, name, c);
          Py_DECREF(owner);
          I32[sp - 2] = r;
          if (r === NULL) {
            sp = (sp - 2) | 0;
            break;
          }
          continue;
        }
        case D.STORE_ATTR: {
          const c = (code + pc) >> 1;
          pc = (pc + 2 * CACHE_STORE_ATTR) | 0;
          const owner = I32[sp - 2];
          const v = I32[sp - 4];
          sp = (sp - 4) | 0;
          if (U16[c] === 1) {
            // ≈ STORE_ATTR_INSTANCE_VALUE: the attribute's slot in the instance's values array
            // (the class's shared keys hold the name at that index; a slot of any instance's block)
            const values = I32[(owner + MANAGED_VALUES_OFFSET) >> 2];
            if (
              values !== NULL &&
              (I32[(I32[(owner + OB_TYPE) >> 2] + TP_VERSION_TAG) >> 2] === (U16[c + 1] | (U16[c + 2] << 16)) ||
                sameInstanceSlot(owner, I32[(I32[(co + CO_NAMES) >> 2] + TUPLE_ITEMS + 8 * oparg) >> 2], U16[c + 3], true))
            ) {
              const ix = U16[c + 3];
              const at = (values + 8 * ix) >> 2;
              const old = I32[at];
              I32[at] = v; // the stack's reference moves into the instance
              if (old !== NULL) {
                if (--I32[old >> 2] === 0) _Py_Dealloc(old);
              } else {
                // a new attribute (`self.x = x` in __init__): record the insertion order, as
                // _PyObject_StoreInstanceAttribute does (a byte per attribute before the values)
                const n = (U8[values - 2] + 1) | 0;
                U8[values - 2] = n;
                U8[values - 2 - n] = ix;
              }
              if (--I32[owner >> 2] === 0) _Py_Dealloc(owner);
              continue;
            }
            U16[c] = MISS_BACKOFF;
          }
          const name = I32[(I32[(co + CO_NAMES) >> 2] + TUPLE_ITEMS + 8 * oparg) >> 2];
          const err = PyObject_SetAttr(owner, name, v);
          if (err === 0) specializeStoreAttr(owner, name, c);
          Py_DECREF(v);
          Py_DECREF(owner);
          if (err < 0) break;
          continue;
        }
        case D.DELETE_ATTR: {
          const name = I32[(I32[(co + CO_NAMES) >> 2] + TUPLE_ITEMS + 8 * oparg) >> 2];
          sp = (sp - 2) | 0;
          const owner = I32[sp];
          const err = PyObject_SetAttr(owner, name, NULL);
          Py_DECREF(owner);
          if (err < 0) break;
          continue;
        }
        case D.LOAD_METHOD: {
          const c = (code + pc) >> 1;
          pc = (pc + 2 * CACHE_LOAD_METHOD) | 0;
          const obj = I32[sp - 2];
          const kind = U16[c];
          if (kind !== 0 && kind < 0x100) {
            const tp = I32[(obj + OB_TYPE) >> 2];
            if (kind === 3) {
              // a module attribute: pushed as NULL, attr
              if (tp === PyModule_Type) {
                const dk = I32[(I32[(obj + MD_DICT) >> 2] + MA_KEYS) >> 2];
                if (I32[(dk + DK_VERSION) >> 2] === (U16[c + 3] | (U16[c + 4] << 16))) {
                  const v = I32[(dk + DK_INDICES + (1 << U8[dk + DK_LOG2_INDEX_BYTES]) + 16 * (U16[c + 5] | (U16[c + 6] << 16)) + 8) >> 2];
                  if (v !== NULL) {
                    I32[v >> 2]++;
                    if (--I32[obj >> 2] === 0) _Py_Dealloc(obj);
                    I32[sp - 2] = 0;
                    I32[sp] = v;
                    sp = (sp + 2) | 0;
                    continue;
                  }
                }
              }
            } else if (I32[(tp + TP_VERSION_TAG) >> 2] === (U16[c + 1] | (U16[c + 2] << 16))) {
              // kind 1: the type has no instance dict; kind 2: the instance's values array
              // cannot hold `name` while the class's shared keys keep their version
              if (
                kind === 1 ||
                (I32[(obj + MANAGED_VALUES_OFFSET) >> 2] !== NULL &&
                  I32[(I32[(tp + HT_CACHED_KEYS) >> 2] + DK_VERSION) >> 2] === (U16[c + 3] | (U16[c + 4] << 16)))
              ) {
                const meth = U16[c + 5] | (U16[c + 6] << 16);
                I32[meth >> 2]++;
                I32[sp - 2] = meth;
                I32[sp] = obj;
                sp = (sp + 2) | 0;
                continue;
              }
            }
          }
          if (kind === 3) U16[c] = MISS_BACKOFF;
          else if (kind !== 0) {
            // a site that sees several classes: the class's entry in POLY (specialize.ts)
            const tp = I32[(obj + OB_TYPE) >> 2];
            const ver = I32[(tp + TP_VERSION_TAG) >> 2];
            const h = polyIndex(c, ver);
            if (ver !== 0 && POLY[h] === c && POLY[h + 1] === ver) {
              const kv = POLY[h + 2];
              if (kv === 0 || (I32[(obj + MANAGED_VALUES_OFFSET) >> 2] !== NULL && I32[(I32[(tp + HT_CACHED_KEYS) >> 2] + DK_VERSION) >> 2] === kv)) {
                const meth = POLY[h + 3];
                I32[meth >> 2]++;
                I32[sp - 2] = meth;
                I32[sp] = obj;
                sp = (sp + 2) | 0;
                continue;
              }
            }
            if (kind < 0x100) U16[c] = MISS_BACKOFF;
          }
          const name = I32[(I32[(co + CO_NAMES) >> 2] + TUPLE_ITEMS + 8 * oparg) >> 2];
          // ≈ _PyObject_GetMethod: an unbound method found on the type (with the generic getattr
          // and no instance attribute shadowing it) is pushed with self, creating no bound method
          const meth = getMethod(obj, name);
          if (meth !== NULL || PyErr_Occurred() === NULL) specializeLoadMethod(obj, name, meth, c);
          if (meth !== NULL) {
            I32[sp - 2] = meth;
            I32[sp] = obj;
            sp = (sp + 2) | 0;
            continue;
          }
          if (PyErr_Occurred() !== NULL) {
            Py_DECREF(obj);
            sp = (sp - 2) | 0;
            break;
          }
          const r = PyObject_GetAttr(obj, name);
          Py_DECREF(obj);
          if (r === NULL) {
            sp = (sp - 2) | 0;
            break;
          }
          I32[sp - 2] = 0;
          I32[sp] = r;
          sp = (sp + 2) | 0;
          continue;
        }

        case D.KW_NAMES:
          kwnames = I32[(I32[(co + CO_CONSTS) >> 2] + TUPLE_ITEMS + 8 * oparg) >> 2];
          continue;
        case D.PRECALL: {
          // PRECALL + CALL in one dispatch (3.11 emits them as a pair): the CALL's code unit is read
          // here and its case runs next (fall-through), with prev_instr at the CALL
          pc = (pc + 2 * CACHE_PRECALL) | 0;
          const w = U16[(code + pc) >> 1];
          if ((w & 0xff) !== Op.CALL) continue;
          instr = (pc) | 0;
          I32[(frame + F_PREV_INSTR) >> 2] = instr;
          oparg = w >>> 8;
          pc = (pc + 2) | 0;
        }
        // falls through
        case D.CALL: {
          let isMeth = I32[sp - 2 * (oparg + 2)] !== NULL;
          let func = I32[sp - 2 * (oparg + 1)];
          if (!isMeth && I32[(func + OB_TYPE) >> 2] === PyMethod_Type) {
            const meth = I32[(func + IM_FUNC) >> 2];
            const self = I32[(func + IM_SELF) >> 2];
            Py_INCREF(meth);
            Py_INCREF(self);
            I32[sp - 2 * (oparg + 1)] = self;
            I32[sp - 2 * (oparg + 2)] = meth;
            Py_DECREF(func);
            isMeth = true;
          }
          const totalArgs = oparg + (isMeth ? 1 : 0);
          func = I32[sp - 2 * (totalArgs + 1)];
          const nkw = kwnames === NULL ? 0 : PyTuple_GET_SIZE(kwnames);
          const positional = totalArgs - nkw;
          const kwn = kwnames;
          kwnames = NULL;
          if (I32[(func + OB_TYPE) >> 2] === PyFunction_Type) {
            const fco = I32[(func + FUNC_CODE) >> 2];
            const locals = (I32[(fco + CO_FLAGS) >> 2] & CO_OPTIMIZED) !== 0 ? NULL : I32[(func + FUNC_GLOBALS) >> 2];
            sp = (sp - 2 * totalArgs) | 0;
            const argsAddr = sp << 2;
            sp = (sp - 2 * (isMeth ? 1 : 2)) | 0;
            I32[(frame + F_STACKTOP) >> 2] = (sp - lp) >> 1;
            const nf = pushFrame(func, locals, argsAddr, positional, kwn);
            if (nf === NULL) break;
            // (the caller resumes after the CALL's caches: RETURN_VALUE computes that from prev_instr)
            I32[(nf + F_PREVIOUS) >> 2] = frame;
            frame = (nf) | 0;
            if (!enterRecursivePy()) {
              // RecursionError: pop the new frame, report at the caller's CALL
              const prevF = I32[(frame + F_PREVIOUS) >> 2];
              popFrame(frame);
              frame = (prevF) | 0;
              break;
            }
            ts.frame = frame;
            co = (I32[(frame + F_CODE) >> 2]) | 0;
            code = (co + CO_CODE_ADAPTIVE) | 0;
            lp = ((frame + F_LOCALSPLUS) >> 2) | 0;
            sp = (lp + 2 * I32[(frame + F_STACKTOP) >> 2]) | 0;
            pc = 0;
            // the callee's first instruction is its RESUME: done here unless the eval breaker is due
            if ((U16[code >> 1] & 0xff) === Op.RESUME && breaker < EVAL_BREAKER_PERIOD - 1) {
              breaker = (breaker + 1) | 0;
              pc = 2;
            }
            continue;
          }
          I32[(frame + F_STACKTOP) >> 2] = (sp - lp) >> 1;
          const argsAddr = (sp - 2 * totalArgs) << 2;
          const res = PyObject_Vectorcall(func, argsAddr, positional, kwn);
          Py_DECREF(func);
          for (let i = 0; i < totalArgs; i++) Py_DECREF(I32[(argsAddr >> 2) + 2 * i]);
          sp = (sp - 2 * (totalArgs + (isMeth ? 1 : 2))) | 0;
          if (res === NULL) break;
          I32[sp] = res;
          sp = (sp + 2) | 0;
          pc = (pc + 2 * CACHE_CALL) | 0;
          continue;
        }
        case D.CALL_FUNCTION_EX: {
          let kwargs: Ptr = NULL;
          if (oparg & 1) {
            sp = (sp - 2) | 0;
            kwargs = I32[sp];
          }
          sp = (sp - 2) | 0;
          let callargs = I32[sp];
          sp = (sp - 2) | 0;
          const func = I32[sp];
          if (!PyTuple_CheckExact(callargs)) {
            const t = PySequence_Tuple(callargs);
            if (t === NULL) {
              if (PyErr_ExceptionMatches(PyExc_TypeError) && slotsOf(Py_TYPE(callargs)).tp_iter === undefined && slotsOf(Py_TYPE(callargs)).sq_item === undefined) {
                PyErr_Clear();
                PyErr_SetString(PyExc_TypeError, `${callableName(func)} argument after * must be an iterable, not ${typeName(Py_TYPE(callargs))}`);
              }
              Py_DECREF(callargs);
              Py_XDECREF(kwargs);
              Py_DECREF(func);
              sp = (sp - 2) | 0; // the NULL slot
              break;
            }
            Py_DECREF(callargs);
            callargs = t;
          }
          I32[(frame + F_STACKTOP) >> 2] = (sp - lp) >> 1;
          const res = PyObject_Call(func, callargs, kwargs);
          Py_DECREF(func);
          Py_DECREF(callargs);
          Py_XDECREF(kwargs);
          sp = (sp - 2) | 0; // the NULL (or self) slot below the callable: 3.11 pushes NULL first
          const below = I32[sp];
          Py_XDECREF(below);
          if (res === NULL) break;
          I32[sp] = res;
          sp = (sp + 2) | 0;
          continue;
        }

        case D.MAKE_FUNCTION: {
          sp = (sp - 2) | 0;
          const fco = I32[sp];
          const globals = I32[(frame + F_GLOBALS) >> 2];
          const modname = PyDict_GetItem(globals, dunderName);
          const doc = codeDocCandidate(fco);
          const func = PyFunction_New(fco, globals, I32[(frame + F_BUILTINS) >> 2], modname, doc !== NULL && PyUnicode_Check(doc) ? doc : NULL);
          Py_DECREF(fco);
          if (func === NULL) break;
          if (oparg & 0x08) {
            sp = (sp - 2) | 0;
            funcSetField(func, FUNC_CLOSURE, I32[sp]);
          }
          if (oparg & 0x04) {
            sp = (sp - 2) | 0;
            funcSetField(func, FUNC_ANNOTATIONS, I32[sp]);
          }
          if (oparg & 0x02) {
            sp = (sp - 2) | 0;
            funcSetField(func, FUNC_KWDEFAULTS, I32[sp]);
          }
          if (oparg & 0x01) {
            sp = (sp - 2) | 0;
            funcSetField(func, FUNC_DEFAULTS, I32[sp]);
          }
          I32[sp] = func;
          sp = (sp + 2) | 0;
          continue;
        }

        case D.MAKE_CELL: {
          const initial = I32[lp + 2 * oparg];
          const cell = PyCell_New(initial);
          if (cell === NULL) break;
          Py_XDECREF(initial);
          I32[lp + 2 * oparg] = cell;
          continue;
        }
        case D.COPY_FREE_VARS: {
          const closure = I32[(I32[(frame + F_FUNC) >> 2] + FUNC_CLOSURE) >> 2];
          const offset = I32[(co + CO_NLOCALSPLUS) >> 2] - oparg;
          for (let i = 0; i < oparg; i++) {
            const o = PyTuple_GET_ITEM(closure, i);
            Py_INCREF(o);
            I32[lp + 2 * (offset + i)] = o;
          }
          continue;
        }
        case D.LOAD_CLOSURE: {
          const cell = I32[lp + 2 * oparg];
          if (cell === NULL) {
            unboundLocal(co, oparg);
            break;
          }
          Py_INCREF(cell);
          I32[sp] = cell;
          sp = (sp + 2) | 0;
          continue;
        }
        case D.LOAD_DEREF: {
          const cell = I32[lp + 2 * oparg];
          const v = I32[(cell + CELL_REF) >> 2];
          if (v === NULL) {
            formatUnboundDeref(co, oparg);
            break;
          }
          Py_INCREF(v);
          I32[sp] = v;
          sp = (sp + 2) | 0;
          continue;
        }
        case D.LOAD_CLASSDEREF: {
          const name = PyTuple_GET_ITEM(I32[(co + CO_LOCALSPLUSNAMES) >> 2], oparg);
          const locals = I32[(frame + F_LOCALS) >> 2];
          let v = PyDict_GetItem(locals, name);
          if (v !== NULL) {
            Py_INCREF(v);
          } else {
            if (PyErr_Occurred() !== NULL) break;
            const cell = I32[lp + 2 * oparg];
            v = I32[(cell + CELL_REF) >> 2];
            if (v === NULL) {
              formatUnboundDeref(co, oparg);
              break;
            }
            Py_INCREF(v);
          }
          I32[sp] = v;
          sp = (sp + 2) | 0;
          continue;
        }
        case D.STORE_DEREF: {
          sp = (sp - 2) | 0;
          const v = I32[sp];
          const cell = I32[lp + 2 * oparg];
          const old = I32[(cell + CELL_REF) >> 2];
          I32[(cell + CELL_REF) >> 2] = v;
          Py_XDECREF(old);
          continue;
        }
        case D.DELETE_DEREF: {
          const cell = I32[lp + 2 * oparg];
          const old = I32[(cell + CELL_REF) >> 2];
          if (old === NULL) {
            formatUnboundDeref(co, oparg);
            break;
          }
          I32[(cell + CELL_REF) >> 2] = 0;
          Py_DECREF(old);
          continue;
        }

        case D.BUILD_TUPLE: {
          sp = (sp - 2 * oparg) | 0;
          const t = _PyTuple_FromArraySteal(sp << 2, oparg);
          if (t === NULL) break;
          I32[sp] = t;
          sp = (sp + 2) | 0;
          continue;
        }
        case D.BUILD_LIST: {
          sp = (sp - 2 * oparg) | 0;
          const l = _PyList_FromArraySteal(sp << 2, oparg);
          if (l === NULL) break;
          I32[sp] = l;
          sp = (sp + 2) | 0;
          continue;
        }
        case D.LIST_TO_TUPLE: {
          const l = I32[sp - 2];
          const t = PyList_AsTuple(l);
          Py_DECREF(l);
          I32[sp - 2] = t;
          if (t === NULL) {
            sp = (sp - 2) | 0;
            break;
          }
          continue;
        }
        case D.LIST_EXTEND: {
          sp = (sp - 2) | 0;
          const iterable = I32[sp];
          const list = I32[sp - 2 * oparg];
          const none = PyList_Extend(list, iterable);
          if (none < 0) {
            if (PyErr_ExceptionMatches(PyExc_TypeError) && slotsOf(Py_TYPE(iterable)).tp_iter === undefined && slotsOf(Py_TYPE(iterable)).sq_item === undefined) {
              PyErr_Clear();
              PyErr_SetString(PyExc_TypeError, `Value after * must be an iterable, not ${typeName(Py_TYPE(iterable))}`);
            }
            Py_DECREF(iterable);
            break;
          }
          Py_DECREF(iterable);
          continue;
        }
        case D.LIST_APPEND: {
          sp = (sp - 2) | 0;
          const v = I32[sp];
          const list = I32[sp - 2 * oparg];
          const err = PyList_Append(list, v);
          Py_DECREF(v);
          if (err < 0) break;
          continue;
        }
        case D.BUILD_SET: {
          const set = PySet_New(NULL);
          if (set === NULL) break;
          let err = 0;
          for (let i = oparg; i > 0; i--) {
            const item = I32[sp - 2 * i];
            if (err === 0) err = PySet_Add(set, item);
            Py_DECREF(item);
          }
          sp = (sp - 2 * oparg) | 0;
          if (err < 0) {
            Py_DECREF(set);
            break;
          }
          I32[sp] = set;
          sp = (sp + 2) | 0;
          continue;
        }
        case D.SET_ADD: {
          sp = (sp - 2) | 0;
          const v = I32[sp];
          const set = I32[sp - 2 * oparg];
          const err = PySet_Add(set, v);
          Py_DECREF(v);
          if (err < 0) break;
          continue;
        }
        case D.SET_UPDATE: {
          sp = (sp - 2) | 0;
          const iterable = I32[sp];
          const set = I32[sp - 2 * oparg];
          const err = _PySet_Update(set, iterable);
          Py_DECREF(iterable);
          if (err < 0) break;
          continue;
        }
        case D.BUILD_MAP: {
          // ≈ _PyDict_FromItems(&PEEK(2*oparg), 2, &PEEK(2*oparg - 1), 2, oparg): a str-keys
          // table when every key is a str, presized
          const base = (sp - 4 * oparg) << 2;
          const map = _PyDict_FromItems(base, 2, base + 8, 2, oparg);
          for (let i = 0; i < 2 * oparg; i++) Py_DECREF(I32[sp - 4 * oparg + 2 * i]);
          sp = (sp - 4 * oparg) | 0;
          if (map === NULL) break;
          I32[sp] = map;
          sp = (sp + 2) | 0;
          continue;
        }
        case D.BUILD_CONST_KEY_MAP: {
          const keys = I32[sp - 2];
          const map = _PyDict_FromItems(keys + TUPLE_ITEMS, 1, (sp - 2 - 2 * oparg) << 2, 1, oparg);
          Py_DECREF(keys);
          for (let i = 0; i < oparg; i++) Py_DECREF(I32[sp - 2 - 2 * oparg + 2 * i]);
          sp = (sp - 2 * (oparg + 1)) | 0;
          if (map === NULL) break;
          I32[sp] = map;
          sp = (sp + 2) | 0;
          continue;
        }
        case D.MAP_ADD: {
          sp = (sp - 4) | 0;
          const key = I32[sp];
          const value = I32[sp + 2];
          const map = I32[sp - 2 * oparg];
          const err = PyDict_SetItem(map, key, value);
          Py_DECREF(key);
          Py_DECREF(value);
          if (err < 0) break;
          continue;
        }
        case D.DICT_UPDATE: {
          sp = (sp - 2) | 0;
          const update = I32[sp];
          const dict = I32[sp - 2 * oparg];
          if (PyDict_Update(dict, update) < 0) {
            if (PyErr_ExceptionMatches(PyExc_AttributeError)) {
              PyErr_Clear();
              PyErr_SetString(PyExc_TypeError, `'${typeName(Py_TYPE(update))}' object is not a mapping`);
            }
            Py_DECREF(update);
            break;
          }
          Py_DECREF(update);
          continue;
        }
        case D.DICT_MERGE: {
          sp = (sp - 2) | 0;
          const update = I32[sp];
          const dict = I32[sp - 2 * oparg];
          if (_PyDict_MergeEx(dict, update, 2) < 0) {
            formatKwargsError(I32[sp - 2 * (oparg + 2)], update);
            Py_DECREF(update);
            break;
          }
          Py_DECREF(update);
          continue;
        }
        case D.BUILD_SLICE: {
          let step: Ptr = NULL;
          if (oparg === 3) {
            sp = (sp - 2) | 0;
            step = I32[sp];
          }
          sp = (sp - 2) | 0;
          const stop = I32[sp];
          const start = I32[sp - 2];
          const slice = PySlice_New(start, stop, step);
          Py_DECREF(start);
          Py_DECREF(stop);
          Py_XDECREF(step);
          I32[sp - 2] = slice;
          if (slice === NULL) {
            sp = (sp - 2) | 0;
            break;
          }
          continue;
        }
        case D.BUILD_STRING: {
          sp = (sp - 2 * oparg) | 0;
          const s = _PyUnicode_JoinArray(unicode_empty, sp << 2, oparg);
          for (let i = 0; i < oparg; i++) Py_DECREF(I32[sp + 2 * i]);
          if (s === NULL) break;
          I32[sp] = s;
          sp = (sp + 2) | 0;
          continue;
        }
        case D.FORMAT_VALUE: {
          let spec: Ptr = NULL;
          if ((oparg & 0x04) !== 0) {
            sp = (sp - 2) | 0;
            spec = I32[sp];
          }
          let value = I32[sp - 2];
          const conv = oparg & 0x03;
          if (conv !== 0) {
            const c = conv === 1 ? PyObject_Str(value) : conv === 2 ? PyObject_Repr(value) : PyObject_ASCII(value);
            Py_DECREF(value);
            if (c === NULL) {
              Py_XDECREF(spec);
              sp = (sp - 2) | 0;
              break;
            }
            value = c;
          }
          let result: Ptr;
          if (PyUnicode_CheckExact(value) && spec === NULL) {
            result = value;
          } else {
            result = PyObject_Format(value, spec === NULL ? unicode_empty : spec);
            Py_DECREF(value);
          }
          Py_XDECREF(spec);
          I32[sp - 2] = result;
          if (result === NULL) {
            sp = (sp - 2) | 0;
            break;
          }
          continue;
        }

        case D.UNPACK_SEQUENCE: {
          pc = (pc + 2 * CACHE_UNPACK_SEQUENCE) | 0;
          sp = (sp - 2) | 0;
          const seq = I32[sp];
          if (PyTuple_CheckExact(seq) && PyTuple_GET_SIZE(seq) === oparg) {
            for (let i = oparg - 1; i >= 0; i--) {
              const item = PyTuple_GET_ITEM(seq, i);
              Py_INCREF(item);
              I32[sp] = item;
              sp = (sp + 2) | 0;
            }
            Py_DECREF(seq);
            continue;
          }
          if (PyList_CheckExact(seq) && PyList_GET_SIZE(seq) === oparg) {
            const items = I32[(seq + LIST_ITEMS) >> 2];
            for (let i = oparg - 1; i >= 0; i--) {
              const item = I32[(items + 8 * i) >> 2];
              Py_INCREF(item);
              I32[sp] = item;
              sp = (sp + 2) | 0;
            }
            Py_DECREF(seq);
            continue;
          }
          const n = unpackIterable(seq, oparg, -1, sp);
          Py_DECREF(seq);
          if (n < 0) break;
          sp = (sp + 2 * oparg) | 0;
          continue;
        }
        case D.UNPACK_EX: {
          const before = oparg & 0xff;
          const after = oparg >> 8;
          sp = (sp - 2) | 0;
          const seq = I32[sp];
          const n = unpackIterable(seq, before, after, sp);
          Py_DECREF(seq);
          if (n < 0) break;
          sp = (sp + 2 * (before + after + 1)) | 0;
          continue;
        }

        case D.GET_YIELD_FROM_ITER: {
          const iterable = I32[sp - 2];
          if (vmHooks.genSend !== null && isGeneratorObject(iterable)) continue;
          const it = PyObject_GetIter(iterable);
          Py_DECREF(iterable);
          I32[sp - 2] = it;
          if (it === NULL) {
            sp = (sp - 2) | 0;
            break;
          }
          continue;
        }

        case D.LOAD_ASSERTION_ERROR:
          Py_INCREF(PyExc_AssertionError);
          I32[sp] = PyExc_AssertionError;
          sp = (sp + 2) | 0;
          continue;
        case D.LOAD_BUILD_CLASS: {
          const bc = PyDict_GetItem(I32[(frame + F_BUILTINS) >> 2], buildClassName);
          if (bc === NULL) {
            if (PyErr_Occurred() === NULL) PyErr_SetString(PyExc_NameError, '__build_class__ not found');
            break;
          }
          Py_INCREF(bc);
          I32[sp] = bc;
          sp = (sp + 2) | 0;
          continue;
        }
        case D.SETUP_ANNOTATIONS: {
          const locals = I32[(frame + F_LOCALS) >> 2];
          if (PyDict_GetItem(locals, annotationsName) === NULL) {
            if (PyErr_Occurred() !== NULL) break;
            const d = PyDict_New();
            if (d === NULL) break;
            const err = PyDict_SetItem(locals, annotationsName, d);
            Py_DECREF(d);
            if (err < 0) break;
          }
          continue;
        }
        case D.PRINT_EXPR: {
          sp = (sp - 2) | 0;
          const v = I32[sp];
          const err = vmHooks.displayHook !== null ? vmHooks.displayHook(v) : 0;
          Py_DECREF(v);
          if (err < 0) break;
          continue;
        }
        case D.IMPORT_NAME: {
          const name = I32[(I32[(co + CO_NAMES) >> 2] + TUPLE_ITEMS + 8 * oparg) >> 2];
          sp = (sp - 2) | 0;
          const fromlist = I32[sp];
          const level = I32[sp - 2];
          const lvl = PyLong_AsNumber(level);
          I32[(frame + F_STACKTOP) >> 2] = (sp - lp) >> 1;
          const mod = vmHooks.importName !== null ? vmHooks.importName(name, I32[(frame + F_GLOBALS) >> 2], fromlist, lvl) : (PyErr_SetString(PyExc_ImportError, 'import is not available'), NULL);
          Py_DECREF(fromlist);
          Py_DECREF(level);
          I32[sp - 2] = mod;
          if (mod === NULL) {
            sp = (sp - 2) | 0;
            break;
          }
          continue;
        }
        case D.IMPORT_FROM: {
          const name = I32[(I32[(co + CO_NAMES) >> 2] + TUPLE_ITEMS + 8 * oparg) >> 2];
          const from = I32[sp - 2];
          const r = PyObject_GetAttr(from, name);
          if (r === NULL) {
            if (PyErr_ExceptionMatches(PyExc_AttributeError)) {
              PyErr_Clear();
              const modName = PyObject_GetAttr(from, dunderName);
              const mn = modName !== NULL && PyUnicode_Check(modName) ? unicodeToJs(modName) : '<unknown module name>';
              Py_XDECREF(modName);
              if (modName === NULL) PyErr_Clear();
              PyErr_SetString(PyExc_ImportError, `cannot import name '${unicodeToJs(name)}' from '${mn}' (unknown location)`);
            }
            break;
          }
          I32[sp] = r;
          sp = (sp + 2) | 0;
          continue;
        }
        case D.IMPORT_STAR: {
          PyErr_SetString(PyExc_ImportError, "'import *' is not supported by pymem");
          break;
        }

        case D.RAISE_VARARGS: {
          let cause: Ptr = NULL;
          let exc: Ptr = NULL;
          if (oparg === 2) {
            sp = (sp - 2) | 0;
            cause = I32[sp];
          }
          if (oparg >= 1) {
            sp = (sp - 2) | 0;
            exc = I32[sp];
          }
          I32[(frame + F_STACKTOP) >> 2] = (sp - lp) >> 1;
          if (doRaise(exc, cause) === 1) addTraceback = false;
          break;
        }
        case D.PUSH_EXC_INFO: {
          const value = I32[sp - 2];
          const cur = I32[(ts.excInfo + EXC_INFO_VALUE) >> 2];
          if (cur !== NULL) {
            I32[sp - 2] = cur;
          } else {
            Py_INCREF(Py_None);
            I32[sp - 2] = Py_None;
          }
          Py_INCREF(value);
          I32[sp] = value;
          sp = (sp + 2) | 0;
          I32[(ts.excInfo + EXC_INFO_VALUE) >> 2] = value;
          continue;
        }
        case D.POP_EXCEPT: {
          const old = I32[(ts.excInfo + EXC_INFO_VALUE) >> 2];
          sp = (sp - 2) | 0;
          const v = I32[sp];
          I32[(ts.excInfo + EXC_INFO_VALUE) >> 2] = v === Py_None ? (Py_DECREF(v), NULL) : v;
          Py_XDECREF(old);
          continue;
        }
        case D.CHECK_EXC_MATCH: {
          const right = I32[sp - 2];
          const left = I32[sp - 4];
          if (!checkExceptType(right)) {
            sp = (sp - 2) | 0;
            Py_DECREF(right);
            break;
          }
          const res = excMatches(left, right);
          Py_DECREF(right);
          const b = res ? Py_True : Py_False;
          Py_INCREF(b);
          I32[sp - 2] = b;
          continue;
        }
        case D.RERAISE: {
          sp = (sp - 2) | 0;
          const val = I32[sp];
          if (oparg) {
            // the frame's f_lasti goes back to the instruction that raised first (tracebacks and
            // line numbers use it); the handler search below still starts from this RERAISE,
            // as CPython's exception_unwind uses next_instr, not prev_instr
            const lasti = I32[sp - 2 * oparg];
            I32[(frame + F_PREV_INSTR) >> 2] = PyLong_AsNumber(lasti) * 2;
          }
          PyErr_Restore(val);
          addTraceback = false;
          break;
        }
        case D.BEFORE_WITH: {
          const mgr = I32[sp - 2];
          const enter = lookupSpecial(mgr, enterName);
          if (enter === NULL) {
            if (PyErr_Occurred() === NULL) PyErr_SetString(PyExc_TypeError, `'${typeName(Py_TYPE(mgr))}' object does not support the context manager protocol`);
            break;
          }
          const exit = lookupSpecial(mgr, exitName);
          if (exit === NULL) {
            if (PyErr_Occurred() === NULL) PyErr_SetString(PyExc_TypeError, `'${typeName(Py_TYPE(mgr))}' object does not support the context manager protocol (missed __exit__ method)`);
            Py_DECREF(enter);
            break;
          }
          I32[sp - 2] = exit;
          Py_DECREF(mgr);
          I32[(frame + F_STACKTOP) >> 2] = (sp - lp) >> 1;
          const res = PyObject_Vectorcall(enter, 0, 0, NULL);
          Py_DECREF(enter);
          if (res === NULL) break;
          I32[sp] = res;
          sp = (sp + 2) | 0;
          continue;
        }
        case D.WITH_EXCEPT_START: {
          // stack: exit_func, lasti, prev_exc, val
          const exitFunc = I32[sp - 8];
          const val = I32[sp - 2];
          const tb = excField(val, EXC_TRACEBACK);
          const scratch = dataStackPush(24);
          if (scratch === NULL) {
            PyErr_NoMemory();
            break;
          }
          I32[scratch >> 2] = Py_TYPE(val);
          I32[(scratch + 8) >> 2] = val;
          I32[(scratch + 16) >> 2] = tb === NULL ? Py_None : tb;
          I32[(frame + F_STACKTOP) >> 2] = (sp - lp) >> 1;
          const res = PyObject_Vectorcall(exitFunc, scratch, 3, NULL);
          dataStackPop(scratch);
          if (res === NULL) break;
          I32[sp] = res;
          sp = (sp + 2) | 0;
          continue;
        }

        case D.RETURN_GENERATOR: {
          if (vmHooks.makeGenerator === null) {
            PyErr_SetString(PyExc_SystemError, 'generators are not available');
            break;
          }
          I32[(frame + F_STACKTOP) >> 2] = (sp - lp) >> 1;
          const gen = vmHooks.makeGenerator(frame);
          if (gen === NULL) break;
          // the frame now lives in the generator; this call returns the generator
          ts.recursionDepth--;
          const isEntry = U8[frame + F_IS_ENTRY] !== 0;
          const prev = I32[(frame + F_PREVIOUS) >> 2];
          // the data-stack frame was copied into the generator: release the space only
          dataStackPop(frame);
          ts.frame = prev;
          if (isEntry) return gen;
          frame = (prev) | 0;
          co = (I32[(frame + F_CODE) >> 2]) | 0;
          code = (co + CO_CODE_ADAPTIVE) | 0;
          lp = ((frame + F_LOCALSPLUS) >> 2) | 0;
          sp = (lp + 2 * I32[(frame + F_STACKTOP) >> 2]) | 0;
          pc = (I32[(frame + F_PREV_INSTR) >> 2] + 2 + 2 * CACHE_CALL) | 0;
          I32[sp] = gen;
          sp = (sp + 2) | 0;
          continue;
        }
        case D.YIELD_VALUE: {
          // only in generator frames, which always run as entry frames (genobject.ts)
          sp = (sp - 2) | 0;
          const v = I32[sp];
          I32[(frame + F_STACKTOP) >> 2] = (sp - lp) >> 1;
          ts.recursionDepth--;
          ts.frame = I32[(frame + F_PREVIOUS) >> 2];
          yieldedFlag.v = 1;
          return v;
        }
        case D.SEND: {
          const v = I32[sp - 2];
          const receiver = I32[sp - 4];
          I32[(frame + F_STACKTOP) >> 2] = (sp - lp) >> 1;
          let r: number;
          if (vmHooks.genSend !== null && isGeneratorObject(receiver)) {
            r = vmHooks.genSend(receiver, v, outSlot);
          } else if (v === Py_None && slotsOf(Py_TYPE(receiver)).tp_iternext !== undefined) {
            const res = slotsOf(Py_TYPE(receiver)).tp_iternext!(receiver);
            if (res !== NULL) {
              outSlot[0] = res;
              r = 0;
            } else if (PyErr_Occurred() === NULL || PyErr_ExceptionMatches(PyExc_StopIteration)) {
              outSlot[0] = stopIterationValue();
              r = outSlot[0] === NULL ? -1 : 1;
            } else {
              r = -1;
            }
          } else {
            const res = callMethodOneArg(receiver, sendName, v);
            if (res !== NULL) {
              outSlot[0] = res;
              r = 0;
            } else if (PyErr_ExceptionMatches(PyExc_StopIteration)) {
              outSlot[0] = stopIterationValue();
              r = outSlot[0] === NULL ? -1 : 1;
            } else {
              r = -1;
            }
          }
          Py_DECREF(v);
          if (r < 0) {
            sp = (sp - 2) | 0;
            break;
          }
          if (r === 1) {
            // returned: pop receiver, push the return value, jump
            sp = (sp - 2) | 0;
            Py_DECREF(receiver);
            I32[sp - 2] = outSlot[0];
            pc = (pc + 2 * oparg) | 0;
            continue;
          }
          I32[sp - 2] = outSlot[0];
          continue;
        }

        case D.CACHE:
        default:
          PyErr_SetString(PyExc_SystemError, `unknown opcode ${op}`);
          break;
      }
    }

    // ================= error / unwind (≈ `error:` and `exception_unwind:`) =================
    I32[(frame + F_STACKTOP) >> 2] = (sp - lp) >> 1;
    kwnames = NULL;
    let exc = PyErr_Fetch();
    if (exc === NULL) {
      PyErr_SetString(PyExc_SystemError, 'error return without exception set');
      exc = PyErr_Fetch();
    }
    if (addTraceback) tracebackHere(exc, frame, instr);
    addTraceback = true;
    for (;;) {
      const table = decodeExceptionTable(co);
      const h = findHandler(table, instr);
      if (h >= 0) {
        const depth = table[h + 3];
        const lasti = table[h + 4];
        const target = table[h + 2];
        const level = lp + 2 * I32[(co + CO_NLOCALSPLUS) >> 2] + 2 * depth;
        while (sp > level) {
          sp = (sp - 2) | 0;
          Py_XDECREF(I32[sp]);
        }
        if (lasti) {
          const l = PyLong_FromNumber(I32[(frame + F_PREV_INSTR) >> 2] >> 1);
          if (l === NULL) {
            Py_DECREF(exc);
            exc = PyErr_Fetch();
          }
          I32[sp] = l;
          sp = (sp + 2) | 0;
        }
        I32[sp] = exc;
        sp = (sp + 2) | 0;
        pc = (target) | 0;
        break;
      }
      // no handler: pop the frame (≈ exit_unwind) and continue in the caller
      while (sp > lp + 2 * I32[(co + CO_NLOCALSPLUS) >> 2]) {
        sp = (sp - 2) | 0;
        Py_XDECREF(I32[sp]);
      }
      I32[(frame + F_STACKTOP) >> 2] = (sp - lp) >> 1;
      ts.recursionDepth--;
      const isEntry = U8[frame + F_IS_ENTRY] !== 0;
      const prev = I32[(frame + F_PREVIOUS) >> 2];
      leaveFrame(frame);
      ts.frame = prev;
      if (isEntry) {
        PyErr_Restore(exc);
        return NULL;
      }
      frame = (prev) | 0;
      co = (I32[(frame + F_CODE) >> 2]) | 0;
      code = (co + CO_CODE_ADAPTIVE) | 0;
      lp = ((frame + F_LOCALSPLUS) >> 2) | 0;
      sp = (lp + 2 * I32[(frame + F_STACKTOP) >> 2]) | 0;
      instr = (I32[(frame + F_PREV_INSTR) >> 2]) | 0;
      // the caller's CALL failed: its arguments were already moved; its traceback entry is added
      tracebackHere(exc, frame, instr);
    }
  }
}

/** Set when YIELD_VALUE returned from evalFrame (genobject.ts reads and clears it). */
export const yieldedFlag = { v: 0 };
/** Set when a generator frame finished by an exception (genobject.ts reads and clears it). */
export const genFrameDone = { v: 0 };

let generatorTypes: Ptr[] = [];
export function setGeneratorTypes(types: Ptr[]): void {
  generatorTypes = types;
}
function isGeneratorObject(o: Ptr): boolean {
  const t = Py_TYPE(o);
  for (const g of generatorTypes) if (t === g) return true;
  return false;
}

function stopIterationValue(): Ptr {
  // ≈ _PyGen_FetchStopIterationValue
  if (PyErr_Occurred() === NULL) {
    Py_INCREF(Py_None);
    return Py_None;
  }
  const e = PyErr_Fetch();
  const args = excField(e, EXC_ARGS);
  let v: Ptr = Py_None;
  if (args !== NULL && PyTuple_GET_SIZE(args) > 0) v = PyTuple_GET_ITEM(args, 0);
  Py_INCREF(v);
  Py_DECREF(e);
  return v;
}

function callMethodOneArg(obj: Ptr, name: Ptr, arg: Ptr): Ptr {
  const m = PyObject_GetAttr(obj, name);
  if (m === NULL) return NULL;
  const scratch = dataStackPush(8);
  I32[scratch >> 2] = arg;
  const r = PyObject_Vectorcall(m, scratch, 1, NULL);
  dataStackPop(scratch);
  Py_DECREF(m);
  return r;
}

function formatUnboundDeref(co: Ptr, i: number): void {
  const ncell = I32[(co + CO_NLOCALSPLUS) >> 2] - I32[(co + CO_NFREEVARS) >> 2];
  if (i < ncell) unboundLocal(co, i);
  else unboundFree(co, i);
}

/** ≈ _PyObject_FunctionStr: `module.qualname()` (no module for builtins), else `T object`. */
function callableName(func: Ptr): string {
  const q = lookupAttrJs(func, qualnameName);
  if (q === null) return `${typeName(Py_TYPE(func))} object`;
  const m = lookupAttrJs(func, moduleName);
  if (m !== null && m !== 'builtins') return `${m}.${q}()`;
  return `${q}()`;
}
function lookupAttrJs(o: Ptr, name: Ptr): string | null {
  const v = PyObject_GetAttr(o, name);
  if (v === NULL) {
    PyErr_Clear();
    return null;
  }
  const r = PyUnicode_Check(v) ? unicodeToJs(v) : null;
  Py_DECREF(v);
  return r;
}
function formatKwargsError(func: Ptr, kwargs: Ptr): void {
  if (PyErr_ExceptionMatches(PyExc_AttributeError)) {
    PyErr_Clear();
    PyErr_SetString(PyExc_TypeError, `${callableName(func)} argument after ** must be a mapping, not ${typeName(Py_TYPE(kwargs))}`);
  } else if (PyErr_ExceptionMatches(PyExc_KeyError)) {
    const e = PyErr_Fetch();
    const args = excField(e, EXC_ARGS);
    if (args !== NULL && PyTuple_GET_SIZE(args) === 1 && PyUnicode_Check(PyTuple_GET_ITEM(args, 0))) {
      PyErr_SetString(PyExc_TypeError, `${callableName(func)} got multiple values for keyword argument '${unicodeToJs(PyTuple_GET_ITEM(args, 0))}'`);
      Py_DECREF(e);
    } else {
      PyErr_Restore(e);
    }
  }
}

function checkExceptType(right: Ptr): boolean {
  if (PyTuple_Check(right)) {
    const n = PyTuple_GET_SIZE(right);
    for (let i = 0; i < n; i++) {
      if (!isExceptionClass(PyTuple_GET_ITEM(right, i))) {
        PyErr_SetString(PyExc_TypeError, 'catching classes that do not inherit from BaseException is not allowed');
        return false;
      }
    }
    return true;
  }
  if (!isExceptionClass(right)) {
    PyErr_SetString(PyExc_TypeError, 'catching classes that do not inherit from BaseException is not allowed');
    return false;
  }
  return true;
}
function excMatches(exc: Ptr, right: Ptr): boolean {
  if (PyTuple_Check(right)) {
    const n = PyTuple_GET_SIZE(right);
    for (let i = 0; i < n; i++) if (PyErr_GivenExceptionMatches(exc, PyTuple_GET_ITEM(right, i))) return true;
    return false;
  }
  return PyErr_GivenExceptionMatches(exc, right);
}

/** ≈ _PyObject_LookupSpecial: type attribute bound to obj, or NULL (no error if missing). */
function lookupSpecial(obj: Ptr, name: Ptr): Ptr {
  const res = _PyType_Lookup(Py_TYPE(obj), name);
  if (res === NULL) return NULL;
  const get = slotsOf(Py_TYPE(res)).tp_descr_get;
  if (get === undefined) {
    Py_INCREF(res);
    return res;
  }
  return get(res, obj, Py_TYPE(obj));
}

/** ≈ _PyObject_GetMethod's unbound-method path: returns the function (new ref) when `name`
 *  resolves on the type to a method descriptor (functions, method_descriptor) that an instance
 *  attribute does not shadow; NULL (no error) otherwise — then LOAD_METHOD falls back to getattr. */
const methodLookupHook = { isGeneric: null as ((type: Ptr) => boolean) | null, instanceHas: null as ((obj: Ptr, name: Ptr) => boolean) | null };
export { methodLookupHook };
function getMethod(obj: Ptr, name: Ptr): Ptr {
  const tp = Py_TYPE(obj);
  if (methodLookupHook.isGeneric === null || !methodLookupHook.isGeneric(tp)) return NULL;
  const descr = _PyType_Lookup(tp, name);
  if (descr === NULL) return NULL;
  const dt = Py_TYPE(descr);
  if ((I32[(dt + TP_FLAGS) >> 2] & (1 << 17)) === 0) return NULL; // Py_TPFLAGS_METHOD_DESCRIPTOR
  if (methodLookupHook.instanceHas !== null && methodLookupHook.instanceHas(obj, name)) return NULL;
  Py_INCREF(descr);
  return descr;
}

/** Unpack an iterable into the stack (≈ unpack_iterable). With argcntafter = -1: exactly
 *  `argcnt` items. Items are written so that the first item ends on top. Returns 0 or -1. */
function unpackIterable(v: Ptr, argcnt: number, argcntafter: number, spIdx: number): number {
  const it = PyObject_GetIter(v);
  if (it === NULL) {
    if (PyErr_ExceptionMatches(PyExc_TypeError) && slotsOf(Py_TYPE(v)).tp_iter === undefined && slotsOf(Py_TYPE(v)).sq_item === undefined) {
      PyErr_Clear();
      PyErr_SetString(PyExc_TypeError, `cannot unpack non-iterable ${typeName(Py_TYPE(v))} object`);
    }
    return -1;
  }
  const total = argcntafter < 0 ? argcnt : argcnt + 1 + argcntafter;
  // items land at spIdx + 2*(total-1-i) so that item 0 ends on top
  const slot = (i: number): number => spIdx + 2 * (total - 1 - i);
  let i = 0;
  const next = slotsOf(Py_TYPE(it)).tp_iternext!;
  for (; i < argcnt; i++) {
    const w = next(it);
    if (w === NULL) {
      if (PyErr_Occurred() !== NULL && !PyErr_ExceptionMatches(PyExc_StopIteration)) return unpackFail(it, spIdx, total, i, slot);
      PyErr_Clear();
      if (argcntafter < 0) {
        PyErr_SetString(PyExc_ValueError, `not enough values to unpack (expected ${argcnt}, got ${i})`);
      } else {
        PyErr_SetString(PyExc_ValueError, `not enough values to unpack (expected at least ${argcnt + argcntafter}, got ${i})`);
      }
      return unpackFail(it, spIdx, total, i, slot);
    }
    I32[slot(i)] = w;
  }
  if (argcntafter < 0) {
    const w = next(it);
    if (w === NULL) {
      if (PyErr_Occurred() !== NULL) {
        if (!PyErr_ExceptionMatches(PyExc_StopIteration)) return unpackFail(it, spIdx, total, i, slot);
        PyErr_Clear();
      }
      Py_DECREF(it);
      return 0;
    }
    Py_DECREF(w);
    PyErr_SetString(PyExc_ValueError, `too many values to unpack (expected ${argcnt})`);
    return unpackFail(it, spIdx, total, i, slot);
  }
  const l = PySequence_List(it);
  if (l === NULL) return unpackFail(it, spIdx, total, i, slot);
  I32[slot(i)] = l;
  i++;
  const ll = PyList_GET_SIZE(l);
  if (ll < argcntafter) {
    PyErr_SetString(PyExc_ValueError, `not enough values to unpack (expected at least ${argcnt + argcntafter}, got ${argcnt + ll})`);
    return unpackFail(it, spIdx, total, i, slot);
  }
  const items = I32[(l + LIST_ITEMS) >> 2];
  for (let j = argcntafter; j > 0; j--, i++) {
    I32[slot(i)] = I32[(items + 8 * (ll - j)) >> 2];
  }
  // shrink the list by argcntafter (the items moved to the stack)
  I32[(l + 16) >> 2] = ll - argcntafter;
  Py_DECREF(it);
  return 0;
}
function unpackFail(it: Ptr, _spIdx: number, _total: number, n: number, slot: (i: number) => number): number {
  for (let j = 0; j < n; j++) Py_DECREF(I32[slot(j)]);
  Py_DECREF(it);
  return -1;
}


// ---- binary operators ----
function binaryOp(op: number, a: Ptr, b: Ptr): Ptr {
  switch (op) {
    case 0: return PyNumber_Add(a, b);
    case 1: return PyNumber_And(a, b);
    case 2: return PyNumber_FloorDivide(a, b);
    case 3: return PyNumber_Lshift(a, b);
    case 4: return PyNumber_MatrixMultiply(a, b);
    case 5: return PyNumber_Multiply(a, b);
    case 6: return PyNumber_Remainder(a, b);
    case 7: return PyNumber_Or(a, b);
    case 8: return PyNumber_Power(a, b, Py_None);
    case 9: return PyNumber_Rshift(a, b);
    case 10: return PyNumber_Subtract(a, b);
    case 11: return PyNumber_TrueDivide(a, b);
    case 12: return PyNumber_Xor(a, b);
    case 13: return PyNumber_InPlaceAdd(a, b);
    case 14: return PyNumber_InPlaceAnd(a, b);
    case 15: return PyNumber_InPlaceFloorDivide(a, b);
    case 16: return PyNumber_InPlaceLshift(a, b);
    case 17: return PyNumber_InPlaceMatrixMultiply(a, b);
    case 18: return PyNumber_InPlaceMultiply(a, b);
    case 19: return PyNumber_InPlaceRemainder(a, b);
    case 20: return PyNumber_InPlaceOr(a, b);
    case 21: return PyNumber_InPlacePower(a, b, Py_None);
    case 22: return PyNumber_InPlaceRshift(a, b);
    case 23: return PyNumber_InPlaceSubtract(a, b);
    case 24: return PyNumber_InPlaceTrueDivide(a, b);
    case 25: return PyNumber_InPlaceXor(a, b);
  }
  PyErr_SetString(PyExc_SystemError, `bad BINARY_OP ${op}`);
  return NULL;
}

// ---- interned names used by the loop (set at start-up by pylifecycle.ts) ----
let dunderName: Ptr = NULL;
let buildClassName: Ptr = NULL;
let annotationsName: Ptr = NULL;
let enterName: Ptr = NULL;
let exitName: Ptr = NULL;
let sendName: Ptr = NULL;
let qualnameName: Ptr = NULL;
let moduleName: Ptr = NULL;
export function setEvalNames(n: { name: Ptr; buildClass: Ptr; annotations: Ptr; enter: Ptr; exit: Ptr; send: Ptr; qualname: Ptr; module: Ptr }): void {
  qualnameName = n.qualname;
  moduleName = n.module;
  dunderName = n.name;
  buildClassName = n.buildClass;
  annotationsName = n.annotations;
  enterName = n.enter;
  exitName = n.exit;
  sendName = n.send;
}

