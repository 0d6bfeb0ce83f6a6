// What interpreter shutdown does to the program's objects, in CPython 3.11's order
// (≈ the part of Python/pylifecycle.c Py_FinalizeEx from the atexit callbacks through
// finalize_modules). Py_Finalize (runtime/pylifecycle.ts) calls finalizeAtExit() first, then
// drops sys/builtins and the runtime's own references, then finalizeGCState().
//
// Reproduced (observable in finalize/exit_order and friends):
//  1. atexit callbacks: weakref.finalize's exit function (atexit=True finalizers, newest first,
//     the collector disabled meanwhile).
//  2. flush stdout/stderr.
//  3. PyGC_Collect(): a full collection with gc.callbacks, only if gc is enabled, while
//     __main__ is still alive. (It also reorders the survivors — e.g. the items of a list end up
//     after the list, last item first — which decides the later __del__ order.)
//  4. finalize_modules:
//     a. builtins._ = None; sys.path, argv, ps1, ps2, last_type, last_value, last_traceback,
//        path_hooks, path_importer_cache, meta_path, __interactivehook__ = None; sys.stdin/
//        stdout/stderr restored from sys.__stdin__/... (None when absent);
//     b. every sys.modules value set to None in insertion order (a module referenced only from
//        sys.modules — __main__ — dies here; its dict lives on while functions reference it);
//     c. sys.modules cleared;
//     d. _PyGC_CollectNoFail(): the module dict cycles are collected, __del__ in GC-list order;
//     e. (CPython then wipes the globals of modules still alive, newest import first, through
//        weakrefs kept in step b. pymem's module objects have no weakref support, so this step
//        is left out: after step d only sys and builtins are normally alive, and those are
//        skipped by CPython too);
//     f. the sys dict, then the builtins dict, are wiped with _PyModule_ClearDict (names with a
//        single leading underscore first, then the rest except __builtins__, in insertion order);
//     g. sys.modules dropped; _PyGC_CollectNoFail() once more.
// Not reproduced: restoring the builtins dict from its start-up copy (pymem keeps none).

import { type Ptr, NULL, I32 } from '../mem/heap.js';
import { Py_INCREF, Py_DECREF } from '../object.js';
import { PyGC_Collect, _PyGC_CollectNoFail } from '../gc.js';
import { PyErr_Fetch, PyErr_Restore, PyErr_Clear } from '../errors.js';
import { Py_None } from '../objects/noneobject.js';
import { PyUnicode_InternFromString, PyUnicode_Check, unicodeToJs } from '../objects/unicodeobject.js';
import { PyDict_SetItem, PyDict_GetItem, PyDict_Next, PyDict_Clear, DICT_NEXT } from '../objects/dictobject.js';
import { PyModule_GetDict, PyModule_Type } from '../objects/moduleobject.js';
import { OB_TYPE } from '../object.js';
import { getSysModule } from './sysmodule.js';
import { getBuiltinsDict } from './bltinmodule.js';
import { PyImport_GetModuleDict, clearModuleDict } from './import.js';
import { flushStdStreams } from './io.js';
import { finalizeExitfunc, finalizeRegistryFini } from './weakrefmodule.js';
import { gcFini } from './gcmodule.js';
import { tracemallocStop } from './tracemallocmodule.js';

function setItemString(d: Ptr, name: string, v: Ptr): void {
  const k = PyUnicode_InternFromString(name);
  if (k === NULL) {
    PyErr_Clear();
    return;
  }
  if (PyDict_SetItem(d, k, v) < 0) PyErr_Clear();
  Py_DECREF(k);
}
function getItemString(d: Ptr, name: string): Ptr {
  const k = PyUnicode_InternFromString(name);
  if (k === NULL) {
    PyErr_Clear();
    return NULL;
  }
  const v = PyDict_GetItem(d, k);
  Py_DECREF(k);
  return v;
}

/** ≈ _PyModule_ClearDict: set the values to None — names with one leading underscore first,
 *  then every name except __builtins__ — in insertion order. */
export function _PyModule_ClearDict(d: Ptr): void {
  for (let pass = 0; pass < 2; pass++) {
    let pos = 0;
    while ((pos = PyDict_Next(d, pos)) > 0) {
      const key = DICT_NEXT.key;
      const value = DICT_NEXT.value;
      if (value === Py_None || !PyUnicode_Check(key)) continue;
      const s = unicodeToJs(key);
      const single = s.length > 0 && s[0] === '_' && s[1] !== '_';
      if (pass === 0 ? single : s !== '__builtins__') {
        Py_INCREF(key);
        if (PyDict_SetItem(d, key, Py_None) < 0) PyErr_Clear();
        Py_DECREF(key);
      }
    }
  }
}

/** ≈ finalize_modules_delete_special */
function deleteSpecial(sysdict: Ptr, builtins: Ptr): void {
  if (builtins !== NULL) setItemString(builtins, '_', Py_None);
  if (sysdict === NULL) return;
  for (const n of ['path', 'argv', 'ps1', 'ps2', 'last_type', 'last_value', 'last_traceback', 'path_hooks', 'path_importer_cache', 'meta_path', '__interactivehook__']) {
    setItemString(sysdict, n, Py_None);
  }
  for (const [name, orig] of [['stdin', '__stdin__'], ['stdout', '__stdout__'], ['stderr', '__stderr__']]) {
    const v = getItemString(sysdict, orig);
    setItemString(sysdict, name, v === NULL ? Py_None : v);
  }
}

/** ≈ Py_FinalizeEx from _PyAtExit_Call through finalize_modules (see the top of the file). */
export function finalizeAtExit(): void {
  // 1. atexit: weakref.finalize
  finalizeExitfunc();
  // 2. flush
  flushStdStreams();
  // 3. collect while __main__ is alive
  PyGC_Collect(PyErr_Fetch, PyErr_Restore);
  // 4. finalize_modules
  const sys = getSysModule();
  const sysdict = sys === NULL ? NULL : PyModule_GetDict(sys);
  const builtins = getBuiltinsDict();
  deleteSpecial(sysdict, builtins);
  const modules = PyImport_GetModuleDict();
  if (modules !== NULL) {
    let pos = 0;
    while ((pos = PyDict_Next(modules, pos)) > 0) {
      if (I32[(DICT_NEXT.value + OB_TYPE) >> 2] !== PyModule_Type) continue;
      const key = DICT_NEXT.key;
      Py_INCREF(key);
      if (PyDict_SetItem(modules, key, Py_None) < 0) PyErr_Clear();
      Py_DECREF(key);
    }
    PyDict_Clear(modules);
  }
  _PyGC_CollectNoFail();
  if (sysdict !== NULL) _PyModule_ClearDict(sysdict);
  if (builtins !== NULL) _PyModule_ClearDict(builtins);
  clearModuleDict();
  _PyGC_CollectNoFail();
  flushStdStreams();
}

/** ≈ _PyGC_Fini plus the module-level state of gc, weakref.finalize and tracemalloc: called at
 *  the very end of Py_Finalize (after sys and builtins are gone). */
export function finalizeGCState(): void {
  tracemallocStop();
  finalizeRegistryFini();
  gcFini();
}


