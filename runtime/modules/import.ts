// Importing built-in modules (≈ the part of Python/import.c pymem needs: no files, no
// packages — SUBSET.md imports only the built-in modules).
//
// Each built-in module registers an init function (registerBuiltinModule). The first import of
// a name calls it and caches the module in sys.modules (a dict owned here and exposed as
// `sys.modules`); later imports find it there, so a program that replaces or deletes
// sys.modules['x'] sees CPython's behaviour. Unknown names raise ModuleNotFoundError
// "No module named 'x'".

import { type Ptr, NULL } from '../mem/heap.js';
import { Py_DECREF, Py_INCREF, Py_XDECREF } from '../object.js';
import { PyErr_SetString, PyErr_SetObject } from '../errors.js';
import { PyExc_ModuleNotFoundError, PyExc_ImportError, PyExc_ValueError, PyExc_KeyError, PyExc_TypeError } from '../objects/exceptions.js';
import { PyUnicode_FromString, PyUnicode_Check, unicodeToJs } from '../objects/unicodeobject.js';
import { PyDict_New, PyDict_GetItem, PyDict_SetItem } from '../objects/dictobject.js';
import { PyObject_IsTrue } from '../abstract.js';
import { PyModule_AddObjectRef, moduleOrigins } from '../objects/moduleobject.js';

/** Module init functions: return a NEW reference to a fresh module, or NULL with an exception. */
const inittab = new Map<string, () => Ptr>();
/** Modules that CPython loads from a file (extension modules such as math): their __file__. */
const moduleFiles = new Map<string, string>();

/** ≈ PyImport_AppendInittab: make `import name` create the module with `init`. `file` is the
 *  module's __file__ in CPython 3.11.7 on this machine when it is not compiled into the
 *  interpreter (math is lib-dynload/math.cpython-311-x86_64-linux-gnu.so): the module then
 *  gets that __file__ and repr, and is not listed in sys.builtin_module_names. */
export function registerBuiltinModule(name: string, init: () => Ptr, file?: string): void {
  inittab.set(name, init);
  if (file !== undefined) moduleFiles.set(name, file);
  else moduleFiles.delete(name);
}
/** Names of the registered modules compiled into CPython, sorted (sys.builtin_module_names). */
export function builtinModuleNames(): string[] {
  return [...inittab.keys()].filter((n) => !moduleFiles.has(n)).sort();
}
/** The CPython 3.11.7 lib-dynload path of an extension module on this machine. */
export function libDynload(name: string): string {
  return `/root/.pyenv/versions/3.11.7/lib/python3.11/lib-dynload/${name}.cpython-311-x86_64-linux-gnu.so`;
}

let modules: Ptr = NULL;
/** sys.modules (borrowed), created on first use. NULL on MemoryError. */
export function PyImport_GetModuleDict(): Ptr {
  if (modules === NULL) modules = PyDict_New();
  return modules;
}
/** Drop sys.modules (interpreter teardown): the modules die with their last reference. */
export function clearModuleDict(): void {
  const m = modules;
  modules = NULL;
  Py_XDECREF(m);
}

/** ≈ import_find_and_load for a built-in module: sys.modules[name], else run its init and cache
 *  it. `name` is a str. New reference, or NULL with ModuleNotFoundError. */
export function importModuleObject(name: Ptr): Ptr {
  const mods = PyImport_GetModuleDict();
  if (mods === NULL) return NULL;
  const cached = PyDict_GetItem(mods, name);
  if (cached !== NULL) {
    Py_INCREF(cached);
    return cached;
  }
  const js = unicodeToJs(name);
  const init = inittab.get(js);
  if (init === undefined) {
    notFound(js);
    return NULL;
  }
  const m = init();
  if (m === NULL) return NULL;
  const file = moduleFiles.get(js);
  if (file !== undefined) {
    const f = PyUnicode_FromString(file);
    if (f === NULL || PyModule_AddObjectRef(m, '__file__', f) < 0) {
      Py_XDECREF(f);
      Py_DECREF(m);
      return NULL;
    }
    Py_DECREF(f);
    moduleOrigins.set(m, file);
  }
  if (PyDict_SetItem(mods, name, m) < 0) {
    Py_DECREF(m);
    return NULL;
  }
  return m;
}

function notFound(name: string, msg = `No module named '${name}'`): void {
  const m = PyUnicode_FromString(msg);
  if (m === NULL) return;
  PyErr_SetObject(PyExc_ModuleNotFoundError, m);
  Py_DECREF(m);
}

/** ≈ PyImport_ImportModule(name) with a JS name. New reference or NULL. */
export function PyImport_ImportModule(name: string): Ptr {
  const n = PyUnicode_FromString(name);
  if (n === NULL) return NULL;
  const r = PyImport_ImportModuleLevelObject(n, NULL, NULL, NULL, 0);
  Py_DECREF(n);
  return r;
}

/** ≈ PyImport_ImportModuleLevelObject (what `import x` / `from x import y` / __import__ do):
 *  returns the top-level module for `import a.b` (fromlist empty), else the named module.
 *  All arguments borrowed; globals/fromlist may be NULL. New reference or NULL. */
export function PyImport_ImportModuleLevelObject(name: Ptr, globals: Ptr, _locals: Ptr, fromlist: Ptr, level: number): Ptr {
  if (!PyUnicode_Check(name)) {
    PyErr_SetString(PyExc_TypeError, 'module name must be a string');
    return NULL;
  }
  if (level < 0) {
    PyErr_SetString(PyExc_ValueError, 'level must be >= 0');
    return NULL;
  }
  const js = unicodeToJs(name);
  if (level > 0) {
    // no packages: a relative import never has a parent
    if (globals === NULL || (!dictHasString(globals, '__package__') && !dictHasString(globals, '__name__'))) {
      const k = PyUnicode_FromString("'__name__' not in globals");
      if (k !== NULL) {
        PyErr_SetObject(PyExc_KeyError, k);
        Py_DECREF(k);
      }
      return NULL;
    }
    PyErr_SetString(PyExc_ImportError, 'attempted relative import with no known parent package');
    return NULL;
  }
  if (js.length === 0) {
    PyErr_SetString(PyExc_ValueError, 'Empty module name');
    return NULL;
  }
  const dot = js.indexOf('.');
  if (dot < 0) return importModuleObject(name);
  // a dotted name: the first component must be a package, and built-in modules are not
  const head = PyUnicode_FromString(js.slice(0, dot));
  if (head === NULL) return NULL;
  const top = importModuleObject(head);
  Py_DECREF(head);
  if (top === NULL) return NULL;
  Py_DECREF(top);
  notFound(js, `No module named '${js}'; '${js.slice(0, dot)}' is not a package`);
  void fromlist;
  return NULL;
}

/** Does `fromlist` ask for names (a non-empty sequence)? */
export function fromlistIsTrue(fromlist: Ptr): number {
  return fromlist === NULL ? 0 : PyObject_IsTrue(fromlist);
}

/** Does dict `d` have the key `s`? (no error) */
function dictHasString(d: Ptr, s: string): boolean {
  const k = PyUnicode_FromString(s);
  if (k === NULL) return false;
  const r = PyDict_GetItem(d, k) !== NULL;
  Py_DECREF(k);
  return r;
}
