// Interpreter start-up and teardown (≈ Python/pylifecycle.c, Python/pythonrun.c).
//
// Importing this module loads every runtime module, which creates the static objects (types,
// small ints, one-character strings...) in the static region. Py_Initialize then readies the
// static types, wires the hooks that let lower floors reach higher ones without import cycles,
// and creates builtins, sys and sys.modules. Py_Finalize tears everything down so that, for a
// program without leaks, allocated blocks and refcounts return to their baseline — the
// conformance harness checks that after every program.

import { type Ptr, NULL, I32 } from './mem/heap.js';
import { getAllocatedBlocks } from './mem/pymem.js';
import { Py_DECREF, Py_INCREF, Py_XDECREF, Py_TYPE, PyObject_New } from './object.js';
import { typeName, PyBaseObject_Type } from './typeobject.js';
import { PyErr_Fetch, PyErr_Occurred, PyErr_Restore, PyErr_Clear, PyErr_GivenExceptionMatches, PyErr_NoMemory, PyErr_ExceptionMatches, PyErr_SetObject } from './errors.js';
import {
  readyAllStaticTypes, setKeyErrorType, setPlainObjectAlloc, setStaticMethodWrap, clearMethodCache,
} from './typeready.js';
import { setKwnamesToDict } from './objects/methodobject.js';
import { setIndexConverter } from './objects/descrobject.js';
import { dictItemsHook } from './call.js';
import { dataStackInit, dataStackFree, ts, baseExcInfo, EXC_INFO_VALUE } from './pystate.js';
import { PyExc_KeyError, PyExc_SystemExit, PyExc_IndexError, PyExc_KeyboardInterrupt, PyExc_AttributeError, _PyExc_Init, _PyExc_Fini } from './objects/exceptions.js';
import { PyUnicode_InternFromString, _PyUnicode_InternStatic, PyUnicode_Check, unicodeToJs } from './objects/unicodeobject.js';
import { PyTuple_New, PyTuple_SET_ITEM, PyTuple_GET_SIZE, PyTuple_GET_ITEM, TUPLE_ITEMS } from './objects/tupleobject.js';
import {
  PyDict_New, PyDict_SetItem, PyDict_Size, PyDict_Next, DICT_NEXT, PyDict_Type, _PyDict_FromItems, PyDict_Contains, dictHooks,
} from './objects/dictobject.js';
import { lookupSpecial } from './modules/bltinmodule.js';
import { PyObject_CallOneArg, PyObject_CallNoArgs } from './call.js';
import { PyObject_GetAttrString } from './typeready.js';
import { PyObject_GetIter, PyIter_Next, PyObject_GetItem } from './abstract.js';
import { PyNumber_AsSsize_t } from './abstract.js';
import { PyStaticMethod_New, dictSizeRef, dictTypeRef, annotationsFromTuple } from './objects/funcobject.js';
import { PyModule_New, PyModule_GetDict, PyModule_AddObjectRef } from './objects/moduleobject.js';
import { PyEval_EvalCode, setBuiltinsName, setEvalNames } from './vm/ceval.js';
import './vm/genobject.js';
import { PyLong_AsNumber, PyLong_Check } from './objects/longobject.js';
import { Py_None } from './objects/noneobject.js';
import * as mods from './modules/index.js';
import './modules/classhooks.js';
import { finalizeHeapTypes } from './objects/typeobject_heap.js';
import * as tb from './vm/traceback.js';
import { finalizeAtExit, finalizeGCState } from './modules/shutdown.js';
import { PyImport_GetModuleDict } from './modules/import.js';
import { flushStdStreams } from './modules/io.js';
import { forEachInGeneration, PERMANENT_GENERATION } from './gc.js';
import { OB_TYPE } from './object.js';
import { TP_FLAGS, Py_TPFLAGS_HEAPTYPE, slotsOf } from './typeobject.js';

export interface InitConfig {
  argv: string[];
  stdout: (b: Uint8Array) => void;
  stderr: (b: Uint8Array) => void;
  stdin: () => string | null;
  malloc?: string;
}

let initialized = false;
let builtinsModule: Ptr = NULL;
let baselineBlocks = 0;

function kwnamesToDict(values: number, kwnames: Ptr): Ptr {
  const d = PyDict_New();
  if (d === NULL) return NULL;
  const n = PyTuple_GET_SIZE(kwnames);
  for (let i = 0; i < n; i++) {
    if (PyDict_SetItem(d, PyTuple_GET_ITEM(kwnames, i), I32[(values + 8 * i) >> 2]) < 0) {
      Py_DECREF(d);
      return NULL;
    }
  }
  return d;
}

/** kwargs dict -> kwnames tuple, values written (borrowed) at `values`. */
function unpackKwargs(kwargs: Ptr, values: number): Ptr {
  const n = PyDict_Size(kwargs);
  const names = PyTuple_New(n);
  if (names === NULL) return NULL;
  let pos = 0;
  let i = 0;
  while ((pos = PyDict_Next(kwargs, pos)) > 0) {
    Py_INCREF(DICT_NEXT.key);
    PyTuple_SET_ITEM(names, i, DICT_NEXT.key);
    I32[(values + 8 * i) >> 2] = DICT_NEXT.value;
    I32[(values + 8 * i + 4) >> 2] = 0;
    i++;
  }
  return names;
}

/** d[key] missed on a dict subclass: call its __missing__ (≈ dict_subscript). -2 = none. */
function dictMissing(mp: Ptr, key: Ptr): Ptr {
  const m = lookupSpecial(mp, '__missing__');
  if (m === NULL) return PyErr_Occurred() !== NULL ? NULL : -2;
  const r = PyObject_CallOneArg(m, key);
  Py_DECREF(m);
  return r;
}

/** dict.update / dict(mapping) / {**m} from a non-dict mapping: b.keys() then b[key]
 *  (≈ dict_merge's generic branch). override 0 keep, 1 replace, 2 KeyError on a duplicate.
 *  -2 when `b` has no keys() (the caller then treats it as a sequence of pairs). */
function dictMergeMapping(a: Ptr, b: Ptr, override: number): number {
  const keysMeth = PyObject_GetAttrString(b, 'keys');
  if (keysMeth === NULL) {
    if (!PyErr_ExceptionMatches(PyExc_AttributeError)) return -1;
    PyErr_Clear();
    return -2;
  }
  const keys = PyObject_CallNoArgs(keysMeth);
  Py_DECREF(keysMeth);
  if (keys === NULL) return -1;
  const it = PyObject_GetIter(keys);
  Py_DECREF(keys);
  if (it === NULL) return -1;
  for (;;) {
    const key = PyIter_Next(it);
    if (key === NULL) break;
    if (override !== 1) {
      const has = PyDict_Contains(a, key);
      if (has < 0) {
        Py_DECREF(key);
        Py_DECREF(it);
        return -1;
      }
      if (has === 1) {
        if (override === 2) {
          PyErr_SetObject(PyExc_KeyError, key);
          Py_DECREF(key);
          Py_DECREF(it);
          return -1;
        }
        Py_DECREF(key);
        continue;
      }
    }
    const value = PyObject_GetItem(b, key);
    const st = value === NULL ? -1 : PyDict_SetItem(a, key, value);
    Py_XDECREF(value);
    Py_DECREF(key);
    if (st < 0) {
      Py_DECREF(it);
      return -1;
    }
  }
  Py_DECREF(it);
  return PyErr_Occurred() !== NULL ? -1 : 0;
}

let hooksWired = false;
function wireHooks(): void {
  if (hooksWired) return;
  hooksWired = true;
  setKwnamesToDict(kwnamesToDict);
  dictItemsHook.unpack = unpackKwargs;
  dictItemsHook.size = PyDict_Size;
  dictSizeRef.f = PyDict_Size;
  setKeyErrorType(PyExc_KeyError);
  setIndexConverter((o: Ptr) => PyNumber_AsSsize_t(o, PyExc_IndexError));
  setPlainObjectAlloc(() => {
    const o = PyObject_New(PyBaseObject_Type);
    return o === NULL ? PyErr_NoMemory() : o;
  });
  setStaticMethodWrap(PyStaticMethod_New);
  dictHooks.missing = dictMissing;
  dictHooks.mergeMapping = dictMergeMapping;
  dictTypeRef.t = PyDict_Type;
  annotationsFromTuple.f = (t: Ptr): Ptr => {
    const n = PyTuple_GET_SIZE(t);
    return _PyDict_FromItems(t + TUPLE_ITEMS, 2, t + TUPLE_ITEMS + 8, 2, n >> 1);
  };
  readyAllStaticTypes();
  setBuiltinsName(_PyUnicode_InternStatic('__builtins__'));
  setEvalNames({
    name: _PyUnicode_InternStatic('__name__'),
    buildClass: _PyUnicode_InternStatic('__build_class__'),
    annotations: _PyUnicode_InternStatic('__annotations__'),
    enter: _PyUnicode_InternStatic('__enter__'),
    exit: _PyUnicode_InternStatic('__exit__'),
    send: _PyUnicode_InternStatic('send'),
    qualname: _PyUnicode_InternStatic('__qualname__'),
    module: _PyUnicode_InternStatic('__module__'),
  });
}

/** ≈ Py_InitializeFromConfig. */
export function Py_Initialize(cfg: InitConfig): void {
  if (initialized) throw new Error('pymem bug: Py_Initialize called twice');
  wireHooks();
  ts.recursionDepth = 0;
  ts.frame = NULL;
  ts.excInfo = baseExcInfo;
  // the baseline is taken from a canonical state: no cached names, empty free lists (what
  // teardown leaves), so that a program without leaks ends exactly at the baseline
  clearMethodCache();
  mods.clearFreeLists();
  baselineBlocks = getAllocatedBlocks();
  dataStackInit();
  if (_PyExc_Init() < 0) throw new Error('pymem bug: cannot initialise the exception types');
  mods.setStreams(cfg.stdout, cfg.stderr, cfg.stdin);
  builtinsModule = mods.initInterpreterModules(cfg.argv);
  if (builtinsModule === NULL) throw new Error(`pymem bug: cannot create the builtins module: ${describePending()}`);
  initialized = true;
}

function describePending(): string {
  const e = PyErr_Fetch();
  if (e === NULL) return 'no exception';
  return typeName(Py_TYPE(e));
}

/** A fresh `__main__` module with __builtins__ and __file__. New reference or NULL. */
export function newMainModule(filename: string | null): Ptr {
  const m = PyModule_New('__main__');
  if (m === NULL) return NULL;
  if (PyModule_AddObjectRef(m, '__builtins__', builtinsModule) < 0) {
    Py_DECREF(m);
    return NULL;
  }
  if (filename !== null && filename !== '<string>' && filename !== '<stdin>') {
    const f = PyUnicode_InternFromString(filename);
    if (f === NULL || PyModule_AddObjectRef(m, '__file__', f) < 0) {
      Py_DECREF(m);
      return NULL;
    }
    Py_DECREF(f);
    if (PyModule_AddObjectRef(m, '__cached__', Py_None) < 0) {
      Py_DECREF(m);
      return NULL;
    }
  }
  mods.registerMainModule(m);
  return m;
}

/** Run a module code object in __main__; print an uncaught exception; return the exit status. */
export function runMainCode(code: Ptr, main: Ptr): number {
  const globals = PyModule_GetDict(main);
  const r = PyEval_EvalCode(code, globals, globals);
  Py_DECREF(main);
  if (r !== NULL) {
    Py_DECREF(r);
    return 0;
  }
  return handleUncaught();
}

/** ≈ PyErr_Print / handle_system_exit: print the pending exception (or obey SystemExit) and
 *  return the exit status. */
export function handleUncaught(): number {
  const exc = PyErr_Fetch();
  if (exc === NULL) return 0;
  mods.flushStdout();
  if (PyErr_GivenExceptionMatches(exc, PyExc_SystemExit)) {
    const status = systemExitStatus(exc);
    Py_DECREF(exc);
    return status;
  }
  tb.printException(exc);
  // an uncaught KeyboardInterrupt ends the process by SIGINT (exit status 130), as CPython's
  // _Py_HandleSigint / exit_sigint: the caller sees EXIT_KEYBOARD_INTERRUPT
  const interrupted = PyErr_GivenExceptionMatches(exc, PyExc_KeyboardInterrupt);
  Py_DECREF(exc);
  return interrupted ? EXIT_KEYBOARD_INTERRUPT : 1;
}
/** The exit status of a program ended by an uncaught KeyboardInterrupt. */
export const EXIT_KEYBOARD_INTERRUPT = 130;

/** Share the SIGINT flag of the thread that receives signals (the CLI's main thread). */
export function setSigintFlag(flag: Int32Array): void {
  ts.sigint = flag;
}
/** A function to run once when the program first runs long or blocks (pystate.ts onLongRun). */
export function setLongRunHook(f: (() => void) | null): void {
  ts.onLongRun = f;
}

/** ≈ _Py_HandleSystemExit: code None -> 0, int -> its low 8 bits, anything else printed -> 1. */
function systemExitStatus(exc: Ptr): number {
  const r = tb.handleSystemExit(exc);
  if (r === null) return 1;
  if (r.stderr !== '') mods.writeStderr(r.stderr);
  return r.status;
}

/** Run a code object in __main__ for the REPL: null to go on, or an exit status (SystemExit). */
export function runInMain(code: Ptr, main: Ptr): number | null {
  const globals = PyModule_GetDict(main);
  const r = PyEval_EvalCode(code, globals, globals);
  if (r !== NULL) {
    Py_DECREF(r);
    return null;
  }
  const exc = PyErr_Fetch();
  if (exc === NULL) return null;
  if (PyErr_GivenExceptionMatches(exc, PyExc_SystemExit)) {
    mods.flushStdout();
    const status = systemExitStatus(exc);
    Py_DECREF(exc);
    return status;
  }
  PyErr_Restore(exc);
  handleUncaught();
  return null;
}

/** PRINT_EXPR in the REPL: sys.displayhook. */
export function installDisplayHook(): void {
  mods.installDisplayHook();
}

export function registerSource(filename: string, source: string): void {
  tb.registerSource(filename, source);
}
export function flushStdout(): void {
  mods.flushStdout();
}

/** ≈ Py_FinalizeEx: tear everything down. Returns the text to print for -X showrefcount /
 *  PYTHONMALLOCSTATS (or null). */
export function Py_Finalize(opts: { showRefcount: boolean; mallocStats: boolean }): string | null {
  if (!initialized) return null;
  initialized = false;
  // the handled-exception state and the main module
  const cur = I32[(baseExcInfo + EXC_INFO_VALUE) >> 2];
  if (cur !== NULL) {
    I32[(baseExcInfo + EXC_INFO_VALUE) >> 2] = 0;
    Py_DECREF(cur);
  }
  PyErr_Clear();
  finalizeAtExit();
  mods.finalizeModules();
  _PyExc_Fini();
  finalizeHeapTypes();
  const b = builtinsModule;
  builtinsModule = NULL;
  Py_DECREF(b);
  clearMethodCache();
  finalizeGCState();
  mods.clearFreeLists();
  mods.flushStdout();
  dataStackFree();
  let out = '';
  if (opts.mallocStats) out += mods.mallocStatsText();
  if (opts.showRefcount) out += `[${mods.totalRefCount()} refs, ${getAllocatedBlocks()} blocks]\n`;
  return out === '' ? null : out;
}

/** Modules whose state can make interpreter teardown do something a program can see:
 *  gc.callbacks and debug output, weakref callbacks and finalizers, atexit, tracemalloc. */
const SHUTDOWN_OBSERVABLE = new Set(['gc', 'weakref', '_weakref', 'atexit', 'tracemalloc']);

/** For the CLI, whose process ends right after: when nothing that teardown runs could show
 *  (no object of a class defined by the program, nothing with a finalizer such as a suspended
 *  generator, none of SHUTDOWN_OBSERVABLE imported), only flush the standard streams and skip
 *  Py_Finalize's collections and module clearing. CPython's teardown would print nothing and
 *  end with the same exit status; -X showrefcount and PYTHONMALLOCSTATS need the full one.
 *  Returns false (and does nothing) when the full Py_Finalize is needed. */
export function Py_FinalizeFast(): boolean {
  if (!initialized) return false;
  const modules = PyImport_GetModuleDict();
  if (modules !== NULL) {
    let pos = 0;
    while ((pos = PyDict_Next(modules, pos)) > 0) {
      if (PyUnicode_Check(DICT_NEXT.key) && SHUTDOWN_OBSERVABLE.has(unicodeToJs(DICT_NEXT.key))) return false;
    }
  }
  let observable = false;
  const check = (o: Ptr): void => {
    const t = I32[(o + OB_TYPE) >> 2];
    if ((I32[(t + TP_FLAGS) >> 2] & Py_TPFLAGS_HEAPTYPE) !== 0) observable = true;
    const sl = slotsOf(t);
    if (sl.tp_finalize !== undefined || sl.tp_del !== undefined) observable = true;
  };
  for (let gen = 0; gen <= PERMANENT_GENERATION && !observable; gen++) forEachInGeneration(gen, check);
  if (observable) return false;
  initialized = false;
  flushStdStreams();
  return true;
}

/** After a JS exception escaped the interpreter (a pymem bug), forget the half-finished run so
 *  the next program can start (the harness keeps going; the leak count shows the damage). */
export function resetAfterInternalError(): void {
  initialized = false;
  builtinsModule = NULL;
  PyErr_Clear();
  ts.recursionDepth = 0;
  ts.frame = NULL;
  ts.excInfo = baseExcInfo;
  I32[(baseExcInfo + EXC_INFO_VALUE) >> 2] = 0;
  dataStackFree();
}

/** Stop any program still running at `t` (ms since the epoch; 0 = no deadline). */
export function setDeadline(t: number): void {
  ts.deadline = t;
}

/** Blocks allocated above the state right after start-up hooks were wired (leak check). */
export function leakedBlocks(): number {
  return getAllocatedBlocks() - baselineBlocks;
}

