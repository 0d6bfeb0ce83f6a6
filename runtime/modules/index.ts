// The built-in modules as the interpreter life cycle sees them (runtime/pylifecycle.ts):
// installing the program's streams, creating builtins + sys + sys.modules at start-up, the
// import and display hooks of the eval loop, and tearing the modules down at exit.
//
// Importing this file registers every built-in module written so far (builtins, sys, math,
// time); other modules (gc, weakref, random, tracemalloc) register themselves with
// import.ts registerBuiltinModule when they are imported.

import { type Ptr, NULL, I32 } from '../mem/heap.js';
import { Py_DECREF, Py_INCREF } from '../object.js';
import { debugMallocStatsText } from '../mem/pymem.js';
import { heapRefTotal } from '../refcount.js';
import { PyErr_SetString, PyErr_Clear } from '../errors.js';
import { PyExc_RuntimeError } from '../objects/exceptions.js';
import { PyObject_Repr, strToJs } from '../abstract.js';
import { PyObject_CallOneArg } from '../call.js';
import { Py_None } from '../objects/noneobject.js';
import { PyUnicode_InternFromString, PyUnicode_FromString, unicode_char } from '../objects/unicodeobject.js';
import { PyDict_SetItem, PyDict_Next, PyDict_Clear, DICT_NEXT, PyDict_GetItem } from '../objects/dictobject.js';
import { PyModule_GetDict, PyModule_AddFunctions, PyModule_Type } from '../objects/moduleobject.js';
import { METH_O, type MethodDef } from '../typeobject.js';
import { PyObject_GetAttr as PyObject_GetAttrRef } from '../typeready.js';
import { vmHooks } from '../vm/ceval.js';
import { tracebackOutput } from '../vm/traceback.js';
import { clearFreeLists as clearFloatFreeList } from '../objects/floatobject.js';
import { clearFreeLists as clearTupleFreeLists } from '../objects/tupleobject.js';
import { clearFreeLists as clearListFreeList } from '../objects/listobject.js';
import { clearFreeLists as clearDictFreeLists } from '../objects/dictobject.js';
import { PySlice_ClearCache } from '../objects/sliceobject.js';
import { setStdoutSink, setStderrSink, setStdinLineReader, flushStdStreams, writeJs, isTextIO, textioWriteStr, type Sink } from './io.js';
import { initBuiltins, finalizeBuiltins, getBuiltinsDict } from './bltinmodule.js';
import { initSys, finalizeSys, setArgv, PySys_GetObject, getSysModule } from './sysmodule.js';
import { PyImport_GetModuleDict, PyImport_ImportModuleLevelObject, clearModuleDict } from './import.js';
import './mathmodule.js';
import './timemodule.js';
import './randommodule.js';
import './gcmodule.js';
import './weakrefmodule.js';
import './tracemallocmodule.js';

export { registerBuiltinModule, PyImport_ImportModule, PyImport_ImportModuleLevelObject } from './import.js';
export { setStdoutSink, setStderrSink, setStdinReader, setStdinLineReader, flushStdStreams, writeStderrText } from './io.js';
export { setArgv, setExecutable, setSysFlags, PySys_GetObject, PySys_SetObject, getSysModule } from './sysmodule.js';
export { getBuiltinsModule, getBuiltinsDict, bltinHooks, PyObject_IsInstance, PyObject_IsSubclass } from './bltinmodule.js';

/** Where the program's stdout / stderr bytes go and where input() reads lines from. */
export function setStreams(stdout: Sink, stderr: Sink, stdin: () => string | null, stdoutIsTty = false): void {
  setStdoutSink(stdout, stdoutIsTty);
  setStderrSink(stderr);
  setStdinLineReader(stdin);
}

/** ≈ pycore_init_builtins + _PySys_Create + init_importlib: builtins, sys, sys.modules, the
 *  VM's import and display hooks. Returns a NEW reference to the builtins module, or NULL. */
export function initInterpreterModules(argv: string[]): Ptr {
  if (setArgv(argv) < 0) return NULL;
  const b = initBuiltins();
  if (b === NULL) return NULL;
  const sys = initSys();
  if (sys === NULL) return NULL;
  const mods = PyImport_GetModuleDict();
  const k = PyUnicode_InternFromString('builtins');
  if (mods === NULL || k === NULL || PyDict_SetItem(mods, k, b) < 0) return NULL;
  Py_DECREF(k);
  if (PyModule_AddFunctions(sys, [displayhookDef]) < 0) return NULL;
  tracebackOutput.write = writeStderr;
  vmHooks.importName = (name: Ptr, globals: Ptr, fromlist: Ptr, level: number): Ptr =>
    PyImport_ImportModuleLevelObject(name, globals, NULL, fromlist === Py_None ? NULL : fromlist, level);
  Py_INCREF(b);
  return b;
}

/** sys.modules['__main__'] = m (borrowed). */
export function registerMainModule(m: Ptr): void {
  const mods = PyImport_GetModuleDict();
  const k = PyUnicode_InternFromString('__main__');
  if (mods !== NULL && k !== NULL) PyDict_SetItem(mods, k, m);
  if (k !== NULL) Py_DECREF(k);
}

/** Flush the program's stdout and stderr buffers. */
export function flushStdout(): void {
  flushStdStreams();
}

/** str(o) as a JS string, or null with an exception set. */
export function objectToStr(o: Ptr): string | null {
  return strToJs(o);
}

/** Text to the program's stderr: through sys.stderr when it was replaced, else straight to fd 2. */
export function writeStderr(s: string): void {
  const f = PySys_GetObject('stderr');
  if (f === NULL || f === Py_None || isTextIO(f)) {
    writeJs(2, s);
    return;
  }
  const u = PyUnicode_FromString(s);
  if (u === NULL) {
    PyErr_Clear();
    writeJs(2, s);
    return;
  }
  const w = PyObject_CallMethodWrite(f, u);
  Py_DECREF(u);
  if (w < 0) {
    PyErr_Clear();
    writeJs(2, s);
  }
}
function PyObject_CallMethodWrite(file: Ptr, s: Ptr): number {
  const name = PyUnicode_InternFromString('write');
  if (name === NULL) return -1;
  const meth = PyObject_GetAttrRef(file, name);
  Py_DECREF(name);
  if (meth === NULL) return -1;
  const r = PyObject_CallOneArg(meth, s);
  Py_DECREF(meth);
  if (r === NULL) return -1;
  Py_DECREF(r);
  return 0;
}

// ---- sys.displayhook (the REPL's PRINT_EXPR) ----

/** ≈ sys_displayhook: None prints nothing; otherwise builtins._ = None, write repr(o) + '\n' to
 *  sys.stdout, builtins._ = o. */
function sys_displayhook(_m: Ptr, o: number): Ptr {
  if (o === Py_None) {
    Py_INCREF(Py_None);
    return Py_None;
  }
  const bd = getBuiltinsDict();
  const under = PyUnicode_InternFromString('_');
  if (under === NULL) return NULL;
  if (bd !== NULL && PyDict_SetItem(bd, under, Py_None) < 0) {
    Py_DECREF(under);
    return NULL;
  }
  const out = PySys_GetObject('stdout');
  if (out === NULL || out === Py_None) {
    Py_DECREF(under);
    PyErr_SetString(PyExc_RuntimeError, 'lost sys.stdout');
    return NULL;
  }
  const r = PyObject_Repr(o);
  if (r === NULL) {
    Py_DECREF(under);
    return NULL;
  }
  let ok = isTextIO(out) ? textioWriteStr(out, r) : PyObject_CallMethodWrite(out, r);
  Py_DECREF(r);
  if (ok === 0) ok = isTextIO(out) ? textioWriteStr(out, unicode_char(10)) : PyObject_CallMethodWrite(out, unicode_char(10));
  if (ok < 0 || (bd !== NULL && PyDict_SetItem(bd, under, o) < 0)) {
    Py_DECREF(under);
    return NULL;
  }
  Py_DECREF(under);
  Py_INCREF(Py_None);
  return Py_None;
}
const displayhookDef: MethodDef = { name: 'displayhook', flags: METH_O, fn: sys_displayhook };

/** PRINT_EXPR calls sys.displayhook(value): 0, or -1 with an exception. */
export function installDisplayHook(): void {
  vmHooks.displayHook = (v: Ptr): number => {
    const hook = PySys_GetObject('displayhook');
    if (hook === NULL) {
      PyErr_SetString(PyExc_RuntimeError, 'lost sys.displayhook');
      return -1;
    }
    const r = PyObject_CallOneArg(hook, v);
    if (r === NULL) return -1;
    Py_DECREF(r);
    return 0;
  };
}

// ---- teardown ----

/** ≈ finalize_modules: clear the modules' dicts (breaking module <-> function cycles) —
 *  __main__ first, then the others, builtins and sys last — and drop sys.modules, sys and
 *  builtins. The streams are flushed first and when they are freed. */
export function finalizeModules(): void {
  flushStdStreams();
  const mods = PyImport_GetModuleDict();
  if (mods !== NULL) {
    const all: Ptr[] = [];
    let pos = 0;
    while ((pos = PyDict_Next(mods, pos)) > 0) {
      const m = DICT_NEXT.value;
      Py_INCREF(m);
      all.push(m);
    }
    const sys = getSysModule();
    const bd = getBuiltinsDict();
    const mainKey = PyUnicode_InternFromString('__main__');
    const main = mainKey === NULL ? NULL : PyDict_GetItem(mods, mainKey);
    if (mainKey !== NULL) Py_DECREF(mainKey);
    const clearModule = (m: Ptr): void => {
      if (I32[(m + 8) >> 2] === PyModule_Type) PyDict_Clear(PyModule_GetDict(m));
    };
    if (main !== NULL) clearModule(main);
    for (const m of all) if (m !== main && m !== sys && PyModule_GetDict(m) !== bd) clearModule(m);
    for (const m of all) Py_DECREF(m);
    clearModuleDict();
    if (bd !== NULL) PyDict_Clear(bd);
    flushStdStreams();
    if (sys !== NULL) PyDict_Clear(PyModule_GetDict(sys));
  }
  finalizeSys();
  finalizeBuiltins();
  flushStdStreams();
}

/** Empty every free list (a full gc.collect does this; also at exit). */
export function clearFreeLists(): void {
  clearFloatFreeList();
  clearTupleFreeLists();
  clearListFreeList();
  clearDictFreeLists();
  PySlice_ClearCache();
}

/** What PYTHONMALLOCSTATS=1 prints at exit (sys._debugmallocstats()'s text). */
export function mallocStatsText(): string {
  return debugMallocStatsText();
}

/** The total reference count for -X showrefcount. CPython's release build has no such total
 *  (it prints nothing); pymem has no heap walk yet, so this is 0 until the memory layer
 *  provides one. */
export function totalRefCount(): number {
  return heapRefTotal();
}
