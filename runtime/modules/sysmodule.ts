// The `sys` module (≈ Python/sysmodule.c, plus the namespace type of Objects/namespaceobject.c
// for sys.implementation).
//
// initSys() builds the module once: the functions below, the standard streams (io.ts), the
// struct sequences version_info / flags / float_info / int_info / hash_info (structseq.ts),
// sys.modules (import.ts), argv (set by the CLI with setArgv), and the constants. Values are
// those of CPython 3.11.7 on this machine, so a program printing sys.version or
// sys.implementation prints what CPython prints. sys.implementation.name is 'cpython' for that
// reason: pymem's promise is CPython's output, and no program in the corpus distinguishes.
//
// getsizeof (≈ _PySys_GetSizeOf): type(o).__sizeof__ looked up and called like any method (so a
// class's own __sizeof__ counts), the result must be a non-negative int, then the pre-header is
// added: 16 for a GC type's PyGC_Head, 16 more for a type with a managed dict (instances of
// classes). object.__sizeof__ of the built-in types is Slots.tp_sizeof, else basicsize +
// itemsize·|ob_size| (bltinmodule.ts object_sizeof).
//
// getrefcount returns ob_refcnt as is: the argument is the caller's stack slot, as in CPython,
// so the count already includes the reference the call holds.

import { type Ptr, NULL, I32 } from '../mem/heap.js';
import { Py_DECREF, Py_INCREF, Py_TYPE, Py_XDECREF, Py_REFCNT } from '../object.js';
import {
  newStaticType, slotsOfObj, typeName, TP_FLAGS, TP_DICTOFFSET, Py_TPFLAGS_HAVE_GC, Py_TPFLAGS_MANAGED_DICT,
  Py_TPFLAGS_BASETYPE, METH_FASTCALL, METH_KEYWORDS, type MethodDef, type visitproc,
} from '../typeobject.js';
import { PyObject_GC_New, PyObject_GC_Del, PyObject_GC_Track, PyObject_GC_UnTrack } from '../gc.js';
import { PyErr_SetString, PyErr_SetObject, PyErr_Occurred, PyErr_ExceptionMatches, PyErr_Clear } from '../errors.js';
import { PyExc_TypeError, PyExc_ValueError, PyExc_RecursionError, PyExc_SystemExit, PyExc_OverflowError, EXC_TRACEBACK } from '../objects/exceptions.js';
import { PyObject_Repr, PyObject_GetIter, PyIter_Next, recursionState } from '../abstract.js';
import { PyObject_CallNoArgs } from '../call.js';
import { PyType_Ready, _PyType_Lookup } from '../typeready.js';
import { Py_None } from '../objects/noneobject.js';
import { PyLong_FromNumber, PyLong_FromBigInt, PyLong_Check, smallValue, PyLong_AsBigInt, maxStrDigits, setMaxStrDigits, Py_True, Py_False } from '../objects/longobject.js';
import { PyFloat_FromDouble, PyFloat_Type } from '../objects/floatobject.js';
import { PyUnicode_FromString, PyUnicode_InternFromString, PyUnicode_CheckExact, PyUnicode_Check, PyUnicode_Intern, unicodeToJs } from '../objects/unicodeobject.js';
import { PyTuple_New, PyTuple_SET_ITEM, PyTuple_GET_SIZE } from '../objects/tupleobject.js';
import { PyList_New, PyList_SET_ITEM } from '../objects/listobject.js';
import { PyDict_New, PyDict_GetItem, PyDict_SetItem } from '../objects/dictobject.js';
import { PyModule_New, PyModule_AddObjectRef, PyModule_AddFunctions, PyModule_GetDict } from '../objects/moduleobject.js';
import { PyStructSequence_NewType, PyStructSequence_FromItems } from '../objects/structseq.js';
import { getAllocatedBlocks, debugMallocStatsText } from '../mem/pymem.js';
import { ts, EXC_INFO_VALUE, EXC_INFO_PREVIOUS } from '../pystate.js';
import { F_PREVIOUS, frameGetFrameObject } from '../vm/frame.js';
import { arg, checkPositional, parseArgs, asCInt, argFailed, tpName, ARGV, type ArgSpec } from './modsupport.js';
import { createStdStreams, flushFd, writeJs } from './io.js';
import { registerBuiltinModule, builtinModuleNames, PyImport_GetModuleDict } from './import.js';

// ---- CPython 3.11.7's identity on this machine ----
export const PY_VERSION = '3.11.7 (main, May  9 2026, 07:35:25) [GCC 12.2.0]';
export const PY_VERSION_INFO = [3, 11, 7, 'final', 0] as const;
export const PY_HEXVERSION = 0x030b07f0;
export const PY_API_VERSION = 1013;

function typeError(msg: string): Ptr {
  PyErr_SetString(PyExc_TypeError, msg);
  return NULL;
}
function newRef(o: Ptr): Ptr {
  I32[o >> 2]++;
  return o;
}
function none(): Ptr {
  return newRef(Py_None);
}

/** ≈ clinic's METH_O / METH_NOARGS checks with the module-qualified name CPython prints. */
function exactArgs(name: string, nargs: number, kwnames: Ptr, n: 0 | 1): boolean {
  if (kwnames !== NULL && PyTuple_GET_SIZE(kwnames) > 0) {
    PyErr_SetString(PyExc_TypeError, `sys.${name}() takes no keyword arguments`);
    return false;
  }
  if (nargs !== n) {
    PyErr_SetString(PyExc_TypeError, n === 0 ? `sys.${name}() takes no arguments (${nargs} given)` : `sys.${name}() takes exactly one argument (${nargs} given)`);
    return false;
  }
  return true;
}

// =====================================================================================
// functions
// =====================================================================================

function sys_getrefcount(_m: Ptr, args: number, nargs: number, kwnames: Ptr): Ptr {
  if (!exactArgs('getrefcount', nargs, kwnames, 1)) return NULL;
  return PyLong_FromNumber(Py_REFCNT(arg(args, 0)));
}

/** ≈ _PySys_GetSizeOf: the size in bytes, or -1 with an exception. */
export function _PySys_GetSizeOf(o: Ptr): number {
  const method = lookupSizeof(o);
  if (method === NULL) {
    if (PyErr_Occurred() === NULL) PyErr_SetString(PyExc_TypeError, `Type ${typeName(Py_TYPE(o))} doesn't define __sizeof__`);
    return -1;
  }
  const res = PyObject_CallNoArgs(method);
  Py_DECREF(method);
  if (res === NULL) return -1;
  if (!PyLong_Check(res)) {
    Py_DECREF(res);
    PyErr_SetString(PyExc_TypeError, 'an integer is required');
    return -1;
  }
  let size = smallValue(res);
  if (size !== size) {
    const b = PyLong_AsBigInt(res);
    Py_DECREF(res);
    if (b < 0n) {
      PyErr_SetString(PyExc_ValueError, '__sizeof__() should return >= 0');
      return -1;
    }
    PyErr_SetString(PyExc_OverflowError, 'Python int too large to convert to C ssize_t');
    return -1;
  }
  Py_DECREF(res);
  if (size < 0) {
    PyErr_SetString(PyExc_ValueError, '__sizeof__() should return >= 0');
    return -1;
  }
  const flags = I32[(Py_TYPE(o) + TP_FLAGS) >> 2];
  if (flags & Py_TPFLAGS_HAVE_GC) size += 16;
  if (flags & Py_TPFLAGS_MANAGED_DICT) size += 16;
  return size;
}

let sizeofName: Ptr = NULL;
/** type(o).__sizeof__ bound to o (new reference), NULL (no error) when missing. */
function lookupSizeof(o: Ptr): Ptr {
  if (sizeofName === NULL) {
    sizeofName = PyUnicode_InternFromString('__sizeof__');
    if (sizeofName === NULL) return NULL;
  }
  const t = Py_TYPE(o);
  const d = _PyType_Lookup(t, sizeofName);
  if (d === NULL) return NULL;
  const get = slotsOfObj(d).tp_descr_get;
  if (get === undefined) return newRef(d);
  Py_INCREF(d);
  const r = get(d, o, t);
  Py_DECREF(d);
  return r;
}

const getsizeofSpec: ArgSpec = { fname: 'getsizeof', names: ['object', 'default'], posonly: 0, required: 1, kwonlyFrom: 2 };
function sys_getsizeof(_m: Ptr, args: number, nargs: number, kwnames: Ptr): Ptr {
  if (!parseArgs(getsizeofSpec, args, nargs, kwnames)) return NULL;
  const o = ARGV[0];
  const dflt = ARGV[1];
  const size = _PySys_GetSizeOf(o);
  if (size === -1 && PyErr_Occurred() !== NULL) {
    if (dflt !== NULL && PyErr_ExceptionMatches(PyExc_TypeError)) {
      PyErr_Clear();
      return newRef(dflt);
    }
    return NULL;
  }
  return PyLong_FromNumber(size);
}

function sys_intern(_m: Ptr, args: number, nargs: number, kwnames: Ptr): Ptr {
  if (!exactArgs('intern', nargs, kwnames, 1)) return NULL;
  const s = arg(args, 0);
  if (!PyUnicode_Check(s)) return typeError(`intern() argument must be str, not ${tpName(s)}`);
  if (!PyUnicode_CheckExact(s)) return typeError(`can't intern ${tpName(s)}`);
  Py_INCREF(s); // PyUnicode_Intern steals its argument and returns a new reference
  return PyUnicode_Intern(s);
}

function sys_getrecursionlimit(_m: Ptr, _args: number, nargs: number, kwnames: Ptr): Ptr {
  if (!exactArgs('getrecursionlimit', nargs, kwnames, 0)) return NULL;
  return PyLong_FromNumber(ts.recursionLimit);
}

function sys_setrecursionlimit(_m: Ptr, args: number, nargs: number, kwnames: Ptr): Ptr {
  if (!exactArgs('setrecursionlimit', nargs, kwnames, 1)) return NULL;
  const o = arg(args, 0);
  if (Py_TYPE(o) === PyFloat_Type) return typeError("'float' object cannot be interpreted as an integer");
  const v = asCInt(o);
  if (argFailed(v)) return NULL;
  if (v < 1) {
    PyErr_SetString(PyExc_ValueError, 'recursion limit must be greater or equal than 1');
    return NULL;
  }
  const depth = ts.recursionDepth;
  if (depth >= v) {
    PyErr_SetString(PyExc_RecursionError, `cannot set the recursion limit to ${v} at the recursion depth ${depth}: the limit is too low`);
    return NULL;
  }
  setRecursionLimit(v);
  return none();
}

/** Set the recursion limit everywhere it is read (the VM's thread state and abstract.ts). */
export function setRecursionLimit(v: number): void {
  ts.recursionLimit = v;
  recursionState.limit = v;
}

function sys_getallocatedblocks(_m: Ptr, _args: number, nargs: number, kwnames: Ptr): Ptr {
  if (!exactArgs('getallocatedblocks', nargs, kwnames, 0)) return NULL;
  return PyLong_FromNumber(getAllocatedBlocks());
}

function sys__debugmallocstats(_m: Ptr, _args: number, nargs: number, kwnames: Ptr): Ptr {
  if (!exactArgs('_debugmallocstats', nargs, kwnames, 0)) return NULL;
  // CPython writes to the C-level stderr, after whatever sys.stderr buffered
  flushFd(2);
  writeJs(2, debugMallocStatsText());
  flushFd(2);
  return none();
}

function sys_exit(_m: Ptr, args: number, nargs: number, kwnames: Ptr): Ptr {
  if (kwnames !== NULL && PyTuple_GET_SIZE(kwnames) > 0) return typeError('exit() takes no keyword arguments');
  if (!checkPositional('exit', nargs, 0, 1)) return NULL;
  PyErr_SetObject(PyExc_SystemExit, nargs > 0 ? arg(args, 0) : NULL);
  return NULL;
}

function sys__getframe(_m: Ptr, args: number, nargs: number, kwnames: Ptr): Ptr {
  if (kwnames !== NULL && PyTuple_GET_SIZE(kwnames) > 0) return typeError('_getframe() takes no keyword arguments');
  if (!checkPositional('_getframe', nargs, 0, 1)) return NULL;
  let depth = 0;
  if (nargs > 0) {
    depth = asCInt(arg(args, 0));
    if (argFailed(depth)) return NULL;
  }
  let f = ts.frame;
  while (depth > 0 && f !== NULL) {
    f = I32[(f + F_PREVIOUS) >> 2];
    depth--;
  }
  if (f === NULL) {
    PyErr_SetString(PyExc_ValueError, 'call stack is not deep enough');
    return NULL;
  }
  const fo = frameGetFrameObject(f);
  return fo === NULL ? NULL : newRef(fo);
}

/** ≈ _PyErr_GetTopmostException: the exception being handled (borrowed), or NULL. */
function topmostException(): Ptr {
  let item = ts.excInfo;
  while (item !== NULL) {
    const v = I32[(item + EXC_INFO_VALUE) >> 2];
    if (v !== NULL && v !== Py_None) return v;
    item = I32[(item + EXC_INFO_PREVIOUS) >> 2];
  }
  return NULL;
}

function sys_exc_info(_m: Ptr, _args: number, nargs: number, kwnames: Ptr): Ptr {
  if (!exactArgs('exc_info', nargs, kwnames, 0)) return NULL;
  const e = topmostException();
  const t = PyTuple_New(3);
  if (t === NULL) return NULL;
  if (e === NULL) {
    for (let i = 0; i < 3; i++) PyTuple_SET_ITEM(t, i, none());
  } else {
    PyTuple_SET_ITEM(t, 0, newRef(Py_TYPE(e)));
    PyTuple_SET_ITEM(t, 1, newRef(e));
    const tb = I32[(e + EXC_TRACEBACK) >> 2];
    PyTuple_SET_ITEM(t, 2, newRef(tb === NULL ? Py_None : tb));
  }
  return t;
}

function sys_exception(_m: Ptr, _args: number, nargs: number, kwnames: Ptr): Ptr {
  if (!exactArgs('exception', nargs, kwnames, 0)) return NULL;
  const e = topmostException();
  return newRef(e === NULL ? Py_None : e);
}

function strResult(s: string) {
  return (_m: Ptr, _args: number, nargs: number, kwnames: Ptr): Ptr => (exactArgs('getdefaultencoding', nargs, kwnames, 0) ? PyUnicode_FromString(s) : NULL);
}

function sys_get_int_max_str_digits(_m: Ptr, _args: number, nargs: number, kwnames: Ptr): Ptr {
  if (!exactArgs('get_int_max_str_digits', nargs, kwnames, 0)) return NULL;
  return PyLong_FromNumber(maxStrDigits);
}
const setDigitsSpec: ArgSpec = { fname: 'set_int_max_str_digits', names: ['maxdigits'], posonly: 0, required: 1, kwonlyFrom: 1 };
function sys_set_int_max_str_digits(_m: Ptr, args: number, nargs: number, kwnames: Ptr): Ptr {
  if (!parseArgs(setDigitsSpec, args, nargs, kwnames)) return NULL;
  const v = asCInt(ARGV[0]);
  if (argFailed(v)) return NULL;
  if (v !== 0 && v < 640) {
    PyErr_SetString(PyExc_ValueError, 'maxdigits must be 0 or larger than 640');
    return NULL;
  }
  setMaxStrDigits(v);
  return none();
}

const FCK = METH_FASTCALL | METH_KEYWORDS;
export const sysMethods: MethodDef[] = [
  { name: '_debugmallocstats', flags: FCK, fn: sys__debugmallocstats },
  { name: '_getframe', flags: FCK, fn: sys__getframe },
  { name: 'exc_info', flags: FCK, fn: sys_exc_info },
  { name: 'exception', flags: FCK, fn: sys_exception },
  { name: 'exit', flags: FCK, fn: sys_exit },
  { name: 'getallocatedblocks', flags: FCK, fn: sys_getallocatedblocks },
  { name: 'getdefaultencoding', flags: FCK, fn: strResult('utf-8') },
  { name: 'getfilesystemencoding', flags: FCK, fn: strResult('utf-8') },
  { name: 'get_int_max_str_digits', flags: FCK, fn: sys_get_int_max_str_digits },
  { name: 'getrecursionlimit', flags: FCK, fn: sys_getrecursionlimit },
  { name: 'getrefcount', flags: FCK, fn: sys_getrefcount },
  { name: 'getsizeof', flags: FCK, fn: sys_getsizeof },
  { name: 'intern', flags: FCK, fn: sys_intern },
  { name: 'set_int_max_str_digits', flags: FCK, fn: sys_set_int_max_str_digits },
  { name: 'setrecursionlimit', flags: FCK, fn: sys_setrecursionlimit },
];

// =====================================================================================
// struct sequences and the namespace type
// =====================================================================================

export const VersionInfo_Type = PyStructSequence_NewType('sys.version_info', ['major', 'minor', 'micro', 'releaselevel', 'serial']);
export const Flags_Type = PyStructSequence_NewType('sys.flags', [
  'debug', 'inspect', 'interactive', 'optimize', 'dont_write_bytecode', 'no_user_site', 'no_site', 'ignore_environment',
  'verbose', 'bytes_warning', 'quiet', 'hash_randomization', 'isolated', 'dev_mode', 'utf8_mode', 'warn_default_encoding',
  'safe_path', 'int_max_str_digits',
]);
export const FloatInfo_Type = PyStructSequence_NewType('sys.float_info', [
  'max', 'max_exp', 'max_10_exp', 'min', 'min_exp', 'min_10_exp', 'dig', 'mant_dig', 'epsilon', 'radix', 'rounds',
]);
export const IntInfo_Type = PyStructSequence_NewType('sys.int_info', ['bits_per_digit', 'sizeof_digit', 'default_max_str_digits', 'str_digits_check_threshold']);
export const HashInfo_Type = PyStructSequence_NewType('sys.hash_info', ['width', 'modulus', 'inf', 'nan', 'imag', 'algorithm', 'hash_bits', 'seed_bits', 'cutoff']);

//   types.SimpleNamespace (≈ _PyNamespaceObject): 16 ns_dict (dict*); basicsize 24, GC.
const NS_DICT = 16;
function namespace_dealloc(o: Ptr): void {
  PyObject_GC_UnTrack(o);
  Py_XDECREF(I32[(o + NS_DICT) >> 2]);
  PyObject_GC_Del(o);
}
function namespace_traverse(o: Ptr, visit: visitproc, a: number): number {
  const d = I32[(o + NS_DICT) >> 2];
  return d !== NULL ? visit(d, a) : 0;
}
function namespace_clear(o: Ptr): number {
  const d = I32[(o + NS_DICT) >> 2];
  if (d !== NULL) {
    I32[(o + NS_DICT) >> 2] = 0;
    Py_DECREF(d);
  }
  return 0;
}
function namespace_repr(o: Ptr): Ptr {
  const name = Py_TYPE(o) === Namespace_Type ? 'namespace' : typeName(Py_TYPE(o));
  const d = I32[(o + NS_DICT) >> 2];
  const it = PyObject_GetIter(d);
  if (it === NULL) return NULL;
  const parts: string[] = [];
  for (;;) {
    const k = PyIter_Next(it);
    if (k === NULL) break;
    const v = PyDict_GetItem(d, k);
    if (PyUnicode_Check(k) && v !== NULL) {
      const r = PyObject_Repr(v);
      if (r === NULL) {
        Py_DECREF(k);
        Py_DECREF(it);
        return NULL;
      }
      parts.push(`${unicodeToJs(k)}=${unicodeToJs(r)}`);
      Py_DECREF(r);
    }
    Py_DECREF(k);
  }
  Py_DECREF(it);
  if (PyErr_Occurred() !== NULL) return NULL;
  return PyUnicode_FromString(`${name}(${parts.join(', ')})`);
}
export const Namespace_Type: Ptr = newStaticType({
  name: 'types.SimpleNamespace',
  basicsize: 24,
  flags: Py_TPFLAGS_HAVE_GC | Py_TPFLAGS_BASETYPE,
  slots: { tp_dealloc: namespace_dealloc, tp_traverse: namespace_traverse, tp_clear: namespace_clear, tp_repr: namespace_repr },
});
I32[(Namespace_Type + TP_DICTOFFSET) >> 2] = NS_DICT;

/** A new namespace object holding `dict` (stolen). New reference or NULL. */
export function _PyNamespace_New(dict: Ptr): Ptr {
  if (dict === NULL) return NULL;
  const o = PyObject_GC_New(Namespace_Type);
  if (o === NULL) {
    Py_DECREF(dict);
    return NULL;
  }
  I32[(o + NS_DICT) >> 2] = dict;
  I32[(o + NS_DICT + 4) >> 2] = 0;
  PyObject_GC_Track(o);
  return o;
}

// =====================================================================================
// configuration set by the CLI before (or after) initSys
// =====================================================================================

let argvJs: string[] = [''];
let executable = '';
/** sys.flags values, in field order (the CLI may change them with setSysFlags). */
const flagValues: Record<string, number | boolean> = {
  debug: 0, inspect: 0, interactive: 0, optimize: 0, dont_write_bytecode: 0, no_user_site: 0, no_site: 0,
  ignore_environment: 0, verbose: 0, bytes_warning: 0, quiet: 0, hash_randomization: 0, isolated: 0, dev_mode: false,
  utf8_mode: 0, warn_default_encoding: 0, safe_path: false, int_max_str_digits: -1,
};

/** sys.argv as the CLI computed it ([script, args...], or ['-c', ...], or [''] for the REPL). */
export function setArgv(argv: string[]): number {
  argvJs = argv.length === 0 ? [''] : [...argv];
  if (sysModule === NULL) return 0;
  const l = makeArgv();
  if (l === NULL) return -1;
  const r = PyModule_AddObjectRef(sysModule, 'argv', l);
  Py_DECREF(l);
  return r;
}
export function setExecutable(path: string): void {
  executable = path;
}
export function setSysFlags(flags: Partial<Record<string, number | boolean>>): void {
  Object.assign(flagValues, flags);
}

function makeArgv(): Ptr {
  const l = PyList_New(argvJs.length);
  if (l === NULL) return NULL;
  for (let i = 0; i < argvJs.length; i++) {
    const s = PyUnicode_FromString(argvJs[i]);
    if (s === NULL) {
      Py_DECREF(l);
      return NULL;
    }
    PyList_SET_ITEM(l, i, s);
  }
  return l;
}

// =====================================================================================
// the module
// =====================================================================================

let sysModule: Ptr = NULL;
/** Interned attribute names for PySys_GetObject (a cache of strs kept while sys lives). */
const attrNames = new Map<string, Ptr>();

/** The sys module (borrowed), NULL before initSys. */
export function getSysModule(): Ptr {
  return sysModule;
}

/** ≈ PySys_GetObject: sys.<name> (borrowed), or NULL without an exception. */
export function PySys_GetObject(name: string): Ptr {
  if (sysModule === NULL) return NULL;
  let k = attrNames.get(name);
  if (k === undefined) {
    k = PyUnicode_InternFromString(name);
    if (k === NULL) {
      PyErr_Clear();
      return NULL;
    }
    attrNames.set(name, k);
  }
  return PyDict_GetItem(PyModule_GetDict(sysModule), k);
}
/** ≈ PySys_SetObject: sys.<name> = v (borrowed). 0 or -1. */
export function PySys_SetObject(name: string, v: Ptr): number {
  if (sysModule === NULL) return -1;
  return PyModule_AddObjectRef(sysModule, name, v);
}

function pyStr(s: string): Ptr {
  return PyUnicode_FromString(s);
}
function pyInt(n: number): Ptr {
  return PyLong_FromNumber(n);
}
function pyFlag(v: number | boolean): Ptr {
  if (typeof v === 'boolean') return newRef(v ? Py_True : Py_False);
  return PyLong_FromNumber(v);
}

function versionInfo(): Ptr {
  return PyStructSequence_FromItems(VersionInfo_Type, [pyInt(3), pyInt(11), pyInt(7), pyStr('final'), pyInt(0)]);
}

/** ≈ _PySys_Create: build the sys module (once). Returns it (borrowed: kept until finalizeSys)
 *  or NULL with an exception. */
export function initSys(): Ptr {
  if (sysModule !== NULL) return sysModule;
  for (const t of [VersionInfo_Type, Flags_Type, FloatInfo_Type, IntInfo_Type, HashInfo_Type, Namespace_Type]) {
    if (PyType_Ready(t) < 0) return NULL;
  }
  const m = PyModule_New('sys');
  if (m === NULL) return NULL;
  if (PyModule_AddFunctions(m, sysMethods) < 0) {
    Py_DECREF(m);
    return NULL;
  }
  const items: [string, Ptr][] = [];
  const streams = createStdStreams();
  if (streams === null) {
    Py_DECREF(m);
    return NULL;
  }
  const [sin, sout, serr] = streams;
  items.push(['stdin', sin], ['stdout', sout], ['stderr', serr]);
  items.push(['__stdin__', newRef(sin)], ['__stdout__', newRef(sout)], ['__stderr__', newRef(serr)]);
  const mods = PyImport_GetModuleDict();
  items.push(['modules', mods === NULL ? NULL : newRef(mods)]);
  items.push(['argv', makeArgv()]);
  items.push(['orig_argv', makeArgv()]);
  items.push(['path', PyList_New(0)]);
  items.push(['warnoptions', PyList_New(0)]);
  items.push(['version', pyStr(PY_VERSION)]);
  items.push(['version_info', versionInfo()]);
  items.push(['hexversion', pyInt(PY_HEXVERSION)]);
  items.push(['api_version', pyInt(PY_API_VERSION)]);
  items.push(['maxsize', PyLong_FromBigInt((1n << 63n) - 1n)]);
  items.push(['maxunicode', pyInt(0x10ffff)]);
  items.push(['byteorder', pyStr('little')]);
  items.push(['platform', pyStr('linux')]);
  items.push(['executable', pyStr(executable)]);
  items.push(['float_repr_style', pyStr('short')]);
  items.push(['dont_write_bytecode', newRef(Py_False)]);
  const names = builtinModuleNames();
  const bmn = PyTuple_New(names.length);
  if (bmn !== NULL) names.forEach((n, i) => PyTuple_SET_ITEM(bmn, i, pyStr(n)));
  items.push(['builtin_module_names', bmn]);
  items.push(['flags', PyStructSequence_FromItems(Flags_Type, Object.values(flagValues).map(pyFlag))]);
  items.push([
    'float_info',
    PyStructSequence_FromItems(FloatInfo_Type, [
      PyFloat_FromDouble(Number.MAX_VALUE), pyInt(1024), pyInt(308), PyFloat_FromDouble(2.2250738585072014e-308), pyInt(-1021),
      pyInt(-307), pyInt(15), pyInt(53), PyFloat_FromDouble(Number.EPSILON), pyInt(2), pyInt(1),
    ]),
  ]);
  items.push(['int_info', PyStructSequence_FromItems(IntInfo_Type, [pyInt(30), pyInt(4), pyInt(4300), pyInt(640)])]);
  items.push([
    'hash_info',
    PyStructSequence_FromItems(HashInfo_Type, [
      pyInt(64), PyLong_FromBigInt((1n << 61n) - 1n), pyInt(314159), pyInt(0), pyInt(1000003), pyStr('siphash13'), pyInt(64), pyInt(128), pyInt(0),
    ]),
  ]);
  // sys.implementation: namespace(name='cpython', cache_tag='cpython-311', version=..., hexversion=..., _multiarch=...)
  const implDict = PyDict_New();
  if (implDict !== NULL) {
    const pairs: [string, Ptr][] = [
      ['name', pyStr('cpython')], ['cache_tag', pyStr('cpython-311')], ['version', versionInfo()],
      ['hexversion', pyInt(PY_HEXVERSION)], ['_multiarch', pyStr('x86_64-linux-gnu')],
    ];
    for (const [k, v] of pairs) {
      const ks = PyUnicode_InternFromString(k);
      if (ks !== NULL && v !== NULL) PyDict_SetItem(implDict, ks, v);
      Py_XDECREF(ks);
      Py_XDECREF(v);
    }
  }
  items.push(['implementation', _PyNamespace_New(implDict)]);
  let ok = true;
  for (const [name, v] of items) {
    if (v === NULL || PyModule_AddObjectRef(m, name, v) < 0) ok = false;
    Py_XDECREF(v);
  }
  if (!ok) {
    Py_DECREF(m);
    return NULL;
  }
  sysModule = m;
  if (mods !== NULL) {
    const k = PyUnicode_InternFromString('sys');
    if (k !== NULL) {
      PyDict_SetItem(mods, k, m);
      Py_DECREF(k);
    }
  }
  return m;
}

/** Drop the sys module (interpreter teardown; after the streams were flushed). */
export function finalizeSys(): void {
  const m = sysModule;
  sysModule = NULL;
  Py_XDECREF(m);
  for (const k of attrNames.values()) Py_DECREF(k);
  attrNames.clear();
  const s = sizeofName;
  sizeofName = NULL;
  Py_XDECREF(s);
}

registerBuiltinModule('sys', () => {
  const m = initSys();
  if (m !== NULL) Py_INCREF(m);
  return m;
});
