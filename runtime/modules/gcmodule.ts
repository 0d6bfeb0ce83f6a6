// The gc module (≈ Modules/gcmodule.c, the part above the collector) and the wiring of the
// collector (runtime/gc.ts) to the types it needs to know about.
//
// Importing this file:
//  - fills runtime/gc.ts `gcHooks`: tuple/dict untracking, the weakref phase
//    (weakrefobject.ts handle_weakrefs), the free lists a full collection empties, gc.garbage,
//    gc.callbacks, stderr for the DEBUG_* messages, the unraisable-error printer;
//  - installs PyObject_ClearWeakRefs in the deallocs' weakref hooks (functions, bound methods,
//    generators, classes and instances) and sets tp_weaklistoffset on the static types whose
//    deallocs clear weakrefs (function, bound method, generator; `type` is set by
//    weakrefobject.ts);
//  - registers `gc` with the import machinery.
//
// gc.garbage and gc.callbacks are lists in the heap owned here; gcFini() (≈ _PyGC_Fini) drops
// them at interpreter shutdown.

import { type Ptr, NULL, I32 } from '../mem/heap.js';
import { OB_TYPE, Py_INCREF, Py_DECREF, Py_XDECREF, Py_TYPE } from '../object.js';
import { typeName, TP_WEAKLISTOFFSET, METH_NOARGS, METH_O, METH_FASTCALL, METH_KEYWORDS, type MethodDef, type visitproc, typeSlots, TP_ID } from '../typeobject.js';
import {
  gcHooks, gcCount, gcThreshold, gcFlags, gcState, gcStatCollections, gcStatCollected, gcStatUncollectable,
  gc_collect_impl, gc_freeze, gc_unfreeze, gc_list_size, GEN_HEAD, PERMANENT_GENERATION, NUM_GENERATIONS,
  forEachInGeneration, _PyObject_IS_GC, _PyObject_GC_IS_TRACKED, _PyGC_FINALIZED, PyObject_GC_UnTrack,
  DEBUG_STATS, DEBUG_COLLECTABLE, DEBUG_UNCOLLECTABLE, DEBUG_SAVEALL, DEBUG_LEAK,
} from '../gc.js';
import { PyErr_SetString, PyErr_Clear, PyErr_Occurred } from '../errors.js';
import { PyExc_ValueError, PyExc_TypeError } from '../objects/exceptions.js';
import { PyTuple_Type, PyTuple_New, PyTuple_SET_ITEM, _PyTuple_MaybeUntrack, _PyObject_GC_MAY_BE_TRACKED, clearFreeLists as clearTupleFreeLists } from '../objects/tupleobject.js';
import { PyDict_Type, PyDict_New, PyDict_SetItem, clearFreeLists as clearDictFreeLists } from '../objects/dictobject.js';
import { PyList_Type, PyList_New, PyList_Append, PyList_GET_SIZE, PyList_GET_ITEM, clearFreeLists as clearListFreeList } from '../objects/listobject.js';
import { clearFreeLists as clearFloatFreeList } from '../objects/floatobject.js';
import { PyLong_FromNumber } from '../objects/longobject.js';
import { PyBool_FromLong } from '../objects/boolobject.js';
import { Py_None } from '../objects/noneobject.js';
import { PyUnicode_FromString } from '../objects/unicodeobject.js';
import { PyModule_New, PyModule_AddFunctions, PyModule_AddObjectRef, PyModule_AddObject } from '../objects/moduleobject.js';
import { PyFunction_Type, FUNC_WEAKREFLIST, PyMethod_Type, weakrefClearHook as funcWeakrefHook } from '../objects/funcobject.js';
import { PyGen_Type, GI_WEAKREFLIST, weakrefClearHook as genWeakrefHook } from '../vm/genobject.js';
import { handle_weakrefs, clearWeakRefsIfAny } from '../objects/weakrefobject.js';
import { PyObject_Vectorcall } from '../call.js';
import { dataStackPush, dataStackPop } from '../pystate.js';
import { PyErr_WriteUnraisable } from '../vm/traceback.js';
import { registerBuiltinModule } from './import.js';
import { parseArgs, ARGV, asCInt, argFailed, arg } from './modsupport.js';
import { writeStderrText } from './io.js';

// ---- gc.garbage / gc.callbacks ----
let garbage: Ptr = NULL;
let callbacks: Ptr = NULL;

/** ≈ _PyGC_Fini: drop gc.garbage and gc.callbacks (interpreter shutdown). */
export function gcFini(): void {
  const g = garbage;
  const c = callbacks;
  garbage = NULL;
  callbacks = NULL;
  Py_XDECREF(g);
  Py_XDECREF(c);
}

/** ≈ _PyDict_MaybeUntrack: untrack an exact dict none of whose keys and values may be tracked. */
function visitMayBeTracked(o: Ptr, _arg: number): number {
  return _PyObject_GC_MAY_BE_TRACKED(o) ? 1 : 0;
}
export function _PyDict_MaybeUntrack(d: Ptr): void {
  if (I32[(d + OB_TYPE) >> 2] !== PyDict_Type || !_PyObject_GC_IS_TRACKED(d)) return;
  // dict_traverse visits exactly what MaybeUntrack looks at: the values, plus the keys of
  // general (non-str) tables
  if (typeSlots[I32[(PyDict_Type + TP_ID) >> 2]].tp_traverse!(d, visitMayBeTracked, 0) !== 0) return;
  PyObject_GC_UnTrack(d);
}

/** ≈ invoke_gc_callback */
function invokeCallbacks(phase: string, generation: number, collected: number, uncollectable: number): void {
  if (callbacks === NULL || PyList_GET_SIZE(callbacks) === 0) return;
  const info = buildInfo(generation, collected, uncollectable);
  if (info === NULL) {
    PyErr_WriteUnraisable(NULL);
    return;
  }
  for (let i = 0; i < PyList_GET_SIZE(callbacks); i++) {
    const cb = PyList_GET_ITEM(callbacks, i);
    Py_INCREF(cb);
    const ph = PyUnicode_FromString(phase);
    let r: Ptr = NULL;
    if (ph !== NULL) {
      const slots = dataStackPush(16);
      I32[slots >> 2] = ph;
      I32[(slots + 4) >> 2] = 0;
      I32[(slots + 8) >> 2] = info;
      I32[(slots + 12) >> 2] = 0;
      r = PyObject_Vectorcall(cb, slots, 2, NULL);
      dataStackPop(slots);
      Py_DECREF(ph);
    }
    if (r === NULL) PyErr_WriteUnraisable(cb);
    else Py_DECREF(r);
    Py_DECREF(cb);
  }
  Py_DECREF(info);
}

/** {'generation': g, 'collected': c, 'uncollectable': u} (≈ Py_BuildValue("{sisnsn}")). */
function buildInfo(generation: number, collected: number, uncollectable: number): Ptr {
  const d = PyDict_New();
  if (d === NULL) return NULL;
  const put = (k: string, v: number): boolean => {
    const key = PyUnicode_FromString(k);
    const val = PyLong_FromNumber(v);
    const ok = key !== NULL && val !== NULL && PyDict_SetItem(d, key, val) === 0;
    Py_XDECREF(key);
    Py_XDECREF(val);
    return ok;
  };
  if (!put('generation', generation) || !put('collected', collected) || !put('uncollectable', uncollectable)) {
    Py_DECREF(d);
    return NULL;
  }
  return d;
}

function appendGarbage(o: Ptr): number {
  if (garbage === NULL) {
    garbage = PyList_New(0);
    if (garbage === NULL) return -1;
  }
  return PyList_Append(garbage, o);
}

// ---- wiring (runs once, at import) ----
gcHooks.tupleType = PyTuple_Type;
gcHooks.dictType = PyDict_Type;
gcHooks.listType = PyList_Type;
gcHooks.tupleMaybeUntrack = _PyTuple_MaybeUntrack;
gcHooks.dictMaybeUntrack = _PyDict_MaybeUntrack;
gcHooks.handleWeakrefs = handle_weakrefs;
gcHooks.clearFreeLists = [clearTupleFreeLists, clearFloatFreeList, clearListFreeList, clearDictFreeLists];
gcHooks.appendGarbage = appendGarbage;
gcHooks.invokeCallbacks = invokeCallbacks;
gcHooks.writeStderr = writeStderrText;
gcHooks.writeUnraisable = (obj: Ptr, msg: string | null) => PyErr_WriteUnraisable(obj, msg === null ? null : `Exception ignored ${msg}`);
gcHooks.clearException = PyErr_Clear;
gcHooks.typeName = (t: Ptr) => {
  const n = typeName(t);
  return n;
};
funcWeakrefHook.clear = clearWeakRefsIfAny;
genWeakrefHook.clear = clearWeakRefsIfAny;
I32[(PyFunction_Type + TP_WEAKLISTOFFSET) >> 2] = FUNC_WEAKREFLIST;
I32[(PyMethod_Type + TP_WEAKLISTOFFSET) >> 2] = 32; // im_weakreflist
I32[(PyGen_Type + TP_WEAKLISTOFFSET) >> 2] = GI_WEAKREFLIST;

// =====================================================================================
// module functions
// =====================================================================================

function none(): Ptr {
  Py_INCREF(Py_None);
  return Py_None;
}

const collectSpec = { fname: 'collect', names: ['generation'], posonly: 0, required: 0, kwonlyFrom: 1 };
/** gc.collect(generation=2) */
function gc_collect(_m: Ptr, args: number, nargs: number, kwnames: Ptr): Ptr {
  if (!parseArgs(collectSpec, args, nargs, kwnames)) return NULL;
  let generation = NUM_GENERATIONS - 1;
  if (ARGV[0] !== NULL) {
    generation = asCInt(ARGV[0]);
    if (argFailed(generation)) return NULL;
  }
  if (generation < 0 || generation >= NUM_GENERATIONS) {
    PyErr_SetString(PyExc_ValueError, 'invalid generation');
    return NULL;
  }
  const n = gc_collect_impl(generation);
  if (PyErr_Occurred() !== NULL) return NULL;
  return PyLong_FromNumber(n);
}
function gc_enable(): Ptr {
  gcFlags.enabled = true;
  return none();
}
function gc_disable(): Ptr {
  gcFlags.enabled = false;
  return none();
}
function gc_isenabled(): Ptr {
  return PyBool_FromLong(gcFlags.enabled);
}
function intTuple(a: number, b: number, c: number): Ptr {
  const t = PyTuple_New(3);
  if (t === NULL) return NULL;
  const vals = [a, b, c];
  for (let i = 0; i < 3; i++) {
    const v = PyLong_FromNumber(vals[i]);
    if (v === NULL) {
      Py_DECREF(t);
      return NULL;
    }
    PyTuple_SET_ITEM(t, i, v);
  }
  return t;
}
function gc_get_count(): Ptr {
  return intTuple(gcCount[0], gcCount[1], gcCount[2]);
}
function gc_get_threshold(): Ptr {
  return intTuple(gcThreshold[0], gcThreshold[1], gcThreshold[2]);
}
/** gc.set_threshold(threshold0[, threshold1[, threshold2]]) (≈ "i|ii:set_threshold") */
function gc_set_threshold(_m: Ptr, args: number, nargs: number, kwnames: Ptr): Ptr {
  if (kwnames !== NULL && I32[(kwnames + 16) >> 2] > 0) {
    PyErr_SetString(PyExc_TypeError, 'set_threshold() takes no keyword arguments');
    return NULL;
  }
  if (nargs < 1 || nargs > 3) {
    PyErr_SetString(PyExc_TypeError, nargs < 1 ? `set_threshold() takes at least 1 argument (${nargs} given)` : `set_threshold() takes at most 3 arguments (${nargs} given)`);
    return NULL;
  }
  const vals: number[] = [];
  for (let i = 0; i < nargs; i++) {
    const v = asCInt(arg(args, i));
    if (argFailed(v)) return NULL;
    vals.push(v);
  }
  for (let i = 0; i < nargs; i++) gcThreshold[i] = vals[i];
  return none();
}
function gc_get_debug(): Ptr {
  return PyLong_FromNumber(gcState.debug);
}
function gc_set_debug(_m: Ptr, flags: Ptr): Ptr {
  const v = asCInt(flags);
  if (argFailed(v)) return NULL;
  gcState.debug = v;
  return none();
}

const getObjectsSpec = { fname: 'get_objects', names: ['generation'], posonly: 0, required: 0, kwonlyFrom: 1 };
let appendTarget: Ptr = NULL;
let appendFailed = false;
function appendUnlessTarget(o: Ptr): void {
  if (appendFailed || o === appendTarget) return;
  if (PyList_Append(appendTarget, o) < 0) appendFailed = true;
}
/** gc.get_objects(generation=None) */
function gc_get_objects(_m: Ptr, args: number, nargs: number, kwnames: Ptr): Ptr {
  if (!parseArgs(getObjectsSpec, args, nargs, kwnames)) return NULL;
  let generation = -1;
  if (ARGV[0] !== NULL && ARGV[0] !== Py_None) {
    generation = asCInt(ARGV[0]);
    if (argFailed(generation)) return NULL;
    if (generation >= NUM_GENERATIONS) {
      PyErr_SetString(PyExc_ValueError, `generation parameter must be less than the number of available generations (${NUM_GENERATIONS})`);
      return NULL;
    }
    if (generation < 0) {
      PyErr_SetString(PyExc_ValueError, 'generation parameter cannot be negative');
      return NULL;
    }
  }
  const result = PyList_New(0);
  if (result === NULL) return NULL;
  appendTarget = result;
  appendFailed = false;
  for (let i = 0; i < NUM_GENERATIONS; i++) {
    if (generation !== -1 && i !== generation) continue;
    forEachInGeneration(i, appendUnlessTarget);
  }
  appendTarget = NULL;
  if (appendFailed) {
    Py_DECREF(result);
    return NULL;
  }
  return result;
}

/** gc.get_stats(): a list of per-generation dicts. */
function gc_get_stats(): Ptr {
  const snap: number[][] = [];
  for (let i = 0; i < NUM_GENERATIONS; i++) snap.push([gcStatCollections[i], gcStatCollected[i], gcStatUncollectable[i]]);
  const result = PyList_New(0);
  if (result === NULL) return NULL;
  for (let i = 0; i < NUM_GENERATIONS; i++) {
    const d = PyDict_New();
    if (d === NULL) {
      Py_DECREF(result);
      return NULL;
    }
    let ok = true;
    (['collections', 'collected', 'uncollectable'] as const).forEach((k, j) => {
      if (!ok) return;
      const key = PyUnicode_FromString(k);
      const val = PyLong_FromNumber(snap[i][j]);
      ok = key !== NULL && val !== NULL && PyDict_SetItem(d, key, val) === 0;
      Py_XDECREF(key);
      Py_XDECREF(val);
    });
    if (!ok || PyList_Append(result, d) < 0) {
      Py_DECREF(d);
      Py_DECREF(result);
      return NULL;
    }
    Py_DECREF(d);
  }
  return result;
}

function gc_is_tracked(_m: Ptr, o: Ptr): Ptr {
  return PyBool_FromLong(_PyObject_IS_GC(o) && _PyObject_GC_IS_TRACKED(o));
}
function gc_is_finalized(_m: Ptr, o: Ptr): Ptr {
  return PyBool_FromLong(_PyObject_IS_GC(o) && _PyGC_FINALIZED(o));
}

// get_referrers: the objects of interest are the call's argument slots
let refArgs = 0;
let refNargs = 0;
function referrersvisit(o: Ptr, _arg: number): number {
  for (let i = 0; i < refNargs; i++) if (I32[(refArgs + 8 * i) >> 2] === o) return 1;
  return 0;
}
let referrersResult: Ptr = NULL;
let referrersFailed = false;
function referrersFor(o: Ptr): void {
  if (referrersFailed || o === referrersResult) return;
  const tr = typeSlots[I32[(Py_TYPE(o) + TP_ID) >> 2]].tp_traverse;
  if (tr !== undefined && tr(o, referrersvisit, 0) !== 0 && PyList_Append(referrersResult, o) < 0) referrersFailed = true;
}
/** gc.get_referrers(*objs) */
function gc_get_referrers(_m: Ptr, args: number, nargs: number, kwnames: Ptr): Ptr {
  if (kwnames !== NULL && I32[(kwnames + 16) >> 2] > 0) {
    PyErr_SetString(PyExc_TypeError, 'get_referrers() takes no keyword arguments');
    return NULL;
  }
  const result = PyList_New(0);
  if (result === NULL) return NULL;
  const saved = [refArgs, refNargs, referrersResult];
  refArgs = args;
  refNargs = nargs;
  referrersResult = result;
  referrersFailed = false;
  for (let i = 0; i < NUM_GENERATIONS; i++) forEachInGeneration(i, referrersFor);
  [refArgs, refNargs, referrersResult] = saved;
  if (referrersFailed) {
    Py_DECREF(result);
    return NULL;
  }
  return result;
}

let referentsResult: Ptr = NULL;
function referentsvisit(o: Ptr, _arg: number): number {
  return PyList_Append(referentsResult, o) < 0 ? 1 : 0;
}
/** gc.get_referents(*objs) */
function gc_get_referents(_m: Ptr, args: number, nargs: number, kwnames: Ptr): Ptr {
  if (kwnames !== NULL && I32[(kwnames + 16) >> 2] > 0) {
    PyErr_SetString(PyExc_TypeError, 'get_referents() takes no keyword arguments');
    return NULL;
  }
  const result = PyList_New(0);
  if (result === NULL) return NULL;
  const saved = referentsResult;
  referentsResult = result;
  let failed = false;
  for (let i = 0; i < nargs && !failed; i++) {
    const o = I32[(args + 8 * i) >> 2];
    if (!_PyObject_IS_GC(o)) continue;
    const tr = typeSlots[I32[(Py_TYPE(o) + TP_ID) >> 2]].tp_traverse;
    if (tr === undefined) continue;
    if (tr(o, referentsvisit, 0) !== 0) failed = true;
  }
  referentsResult = saved;
  if (failed) {
    Py_DECREF(result);
    return NULL;
  }
  return result;
}

function gc_freeze_fn(): Ptr {
  gc_freeze();
  return none();
}
function gc_unfreeze_fn(): Ptr {
  gc_unfreeze();
  return none();
}
function gc_get_freeze_count(): Ptr {
  return PyLong_FromNumber(gc_list_size(GEN_HEAD[PERMANENT_GENERATION]));
}

const noargs = (f: () => Ptr) => (_m: Ptr, _a: number, _b: number, _c: Ptr): Ptr => f();

export const gcMethods: MethodDef[] = [
  { name: 'enable', flags: METH_NOARGS, fn: noargs(gc_enable) },
  { name: 'disable', flags: METH_NOARGS, fn: noargs(gc_disable) },
  { name: 'isenabled', flags: METH_NOARGS, fn: noargs(gc_isenabled) },
  { name: 'set_debug', flags: METH_O, fn: (m: Ptr, o: number) => gc_set_debug(m, o) },
  { name: 'get_debug', flags: METH_NOARGS, fn: noargs(gc_get_debug) },
  { name: 'get_count', flags: METH_NOARGS, fn: noargs(gc_get_count) },
  { name: 'set_threshold', flags: METH_FASTCALL | METH_KEYWORDS, fn: gc_set_threshold },
  { name: 'get_threshold', flags: METH_NOARGS, fn: noargs(gc_get_threshold) },
  { name: 'collect', flags: METH_FASTCALL | METH_KEYWORDS, fn: gc_collect },
  { name: 'get_objects', flags: METH_FASTCALL | METH_KEYWORDS, fn: gc_get_objects },
  { name: 'get_stats', flags: METH_NOARGS, fn: noargs(gc_get_stats) },
  { name: 'is_tracked', flags: METH_O, fn: (m: Ptr, o: number) => gc_is_tracked(m, o) },
  { name: 'is_finalized', flags: METH_O, fn: (m: Ptr, o: number) => gc_is_finalized(m, o) },
  { name: 'get_referrers', flags: METH_FASTCALL | METH_KEYWORDS, fn: gc_get_referrers },
  { name: 'get_referents', flags: METH_FASTCALL | METH_KEYWORDS, fn: gc_get_referents },
  { name: 'freeze', flags: METH_NOARGS, fn: noargs(gc_freeze_fn) },
  { name: 'unfreeze', flags: METH_NOARGS, fn: noargs(gc_unfreeze_fn) },
  { name: 'get_freeze_count', flags: METH_NOARGS, fn: noargs(gc_get_freeze_count) },
];

/** ≈ PyInit_gc: a new module object (gc.garbage and gc.callbacks are created on first import and
 *  shared by later ones). New reference or NULL. */
export function PyInit_gc(): Ptr {
  const m = PyModule_New('gc');
  if (m === NULL) return NULL;
  if (PyModule_AddFunctions(m, gcMethods) < 0) return (Py_DECREF(m), NULL);
  if (garbage === NULL) {
    garbage = PyList_New(0);
    if (garbage === NULL) return (Py_DECREF(m), NULL);
  }
  if (PyModule_AddObjectRef(m, 'garbage', garbage) < 0) return (Py_DECREF(m), NULL);
  if (callbacks === NULL) {
    callbacks = PyList_New(0);
    if (callbacks === NULL) return (Py_DECREF(m), NULL);
  }
  if (PyModule_AddObjectRef(m, 'callbacks', callbacks) < 0) return (Py_DECREF(m), NULL);
  const consts: [string, number][] = [
    ['DEBUG_STATS', DEBUG_STATS], ['DEBUG_COLLECTABLE', DEBUG_COLLECTABLE], ['DEBUG_UNCOLLECTABLE', DEBUG_UNCOLLECTABLE],
    ['DEBUG_SAVEALL', DEBUG_SAVEALL], ['DEBUG_LEAK', DEBUG_LEAK],
  ];
  for (const [k, v] of consts) if (PyModule_AddObject(m, k, PyLong_FromNumber(v)) < 0) return (Py_DECREF(m), NULL);
  return m;
}
registerBuiltinModule('gc', PyInit_gc);

