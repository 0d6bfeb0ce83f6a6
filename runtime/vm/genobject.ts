// Generators (≈ Objects/genobject.c, CPython 3.11).
//
//   generator (PyGenObject, 152 + 8·(nlocalsplus + stacksize) + GC 16; getsizeof 168 + 8·n)
//     16 gi_code  24 gi_weakreflist  32 gi_name  40 gi_qualname
//     48 gi_exc_state (exc_value 8, previous_item 8)  64 gi_origin_or_finalizer
//     72 gi_hooks_inited  73 gi_closed  74 gi_running_async  75 gi_frame_state (i8)
//     80 gi_iframe: the generator's interpreter frame, embedded (frame.ts layout)
//
// RETURN_GENERATOR (the first instruction of a generator function) moves the frame into a new
// generator object; each send/next links that frame under the current one, makes the
// generator's exc_state the current exc_info, and runs the eval loop on it (re-entering
// evalFrame, as gen_send_ex2 re-enters _PyEval_EvalFrame). YIELD_VALUE returns from the loop
// with the frame suspended; RETURN_VALUE or an exception completes it.

import {
  type Ptr, NULL as NULL__i, I32 as I32__i, U8 as U8__i, I8 as I8__i,
} from '../mem/heap.js';
const NULL = NULL__i;
const I32 = I32__i;
const U8 = U8__i;
const I8 = I8__i;
import { Py_DECREF, Py_INCREF, Py_XDECREF, Py_TYPE } from '../object.js';
import {
  newStaticType, Py_TPFLAGS_HAVE_GC as Py_TPFLAGS_HAVE_GC__i, type visitproc, typeName, METH_O as METH_O__i, METH_NOARGS as METH_NOARGS__i, METH_FASTCALL as METH_FASTCALL__i,
} from '../typeobject.js';
const Py_TPFLAGS_HAVE_GC = Py_TPFLAGS_HAVE_GC__i;
const METH_O = METH_O__i;
const METH_NOARGS = METH_NOARGS__i;
const METH_FASTCALL = METH_FASTCALL__i;
import { PyObject_GC_NewVar, PyObject_GC_Del, PyObject_GC_Track, PyObject_GC_UnTrack, _PyGC_FINALIZED, _PyGC_SET_FINALIZED } from '../gc.js';
import { PyErr_SetString, PyErr_SetNone, PyErr_Occurred, PyErr_ExceptionMatches, PyErr_Fetch, PyErr_Restore, PyErr_Clear, PyErr_NoMemory, PyErr_SetObject } from '../errors.js';
import {
  PyExc_TypeError as PyExc_TypeError__i, PyExc_ValueError as PyExc_ValueError__i, PyExc_StopIteration as PyExc_StopIteration__i, PyExc_RuntimeError as PyExc_RuntimeError__i, PyExc_GeneratorExit as PyExc_GeneratorExit__i, PyExc_AttributeError as PyExc_AttributeError__i, EXC_CAUSE as EXC_CAUSE__i, EXC_CONTEXT as EXC_CONTEXT__i, EXC_SUPPRESS_CONTEXT as EXC_SUPPRESS_CONTEXT__i,
} from '../objects/exceptions.js';
const PyExc_TypeError = PyExc_TypeError__i;
const PyExc_ValueError = PyExc_ValueError__i;
const PyExc_StopIteration = PyExc_StopIteration__i;
const PyExc_RuntimeError = PyExc_RuntimeError__i;
const PyExc_GeneratorExit = PyExc_GeneratorExit__i;
const PyExc_AttributeError = PyExc_AttributeError__i;
const EXC_CAUSE = EXC_CAUSE__i;
const EXC_CONTEXT = EXC_CONTEXT__i;
const EXC_SUPPRESS_CONTEXT = EXC_SUPPRESS_CONTEXT__i;
import { PyUnicode_FromString, unicodeToJs } from '../objects/unicodeobject.js';
import {
  Py_None as Py_None__i,
} from '../objects/noneobject.js';
const Py_None = Py_None__i;
import { PyBool_FromLong } from '../objects/boolobject.js';
import { PyObject_CallMethod } from '../call.js';
import { PyObject_GetAttr } from '../typeready.js';
import {
  ts as ts__i, EXC_INFO_PREVIOUS as EXC_INFO_PREVIOUS__i,
} from '../pystate.js';
const ts = ts__i;
const EXC_INFO_PREVIOUS = EXC_INFO_PREVIOUS__i;
import {
  CO_NLOCALSPLUS as CO_NLOCALSPLUS__i, CO_STACKSIZE as CO_STACKSIZE__i, CO_CODE_ADAPTIVE as CO_CODE_ADAPTIVE__i,
} from '../objects/codeobject.js';
const CO_NLOCALSPLUS = CO_NLOCALSPLUS__i;
const CO_STACKSIZE = CO_STACKSIZE__i;
const CO_CODE_ADAPTIVE = CO_CODE_ADAPTIVE__i;
import {
  FUNC_NAME as FUNC_NAME__i, FUNC_QUALNAME as FUNC_QUALNAME__i,
} from '../objects/funcobject.js';
const FUNC_NAME = FUNC_NAME__i;
const FUNC_QUALNAME = FUNC_QUALNAME__i;
import {
  F_CODE as F_CODE__i, F_FUNC as F_FUNC__i, F_PREVIOUS as F_PREVIOUS__i, F_PREV_INSTR as F_PREV_INSTR__i, F_STACKTOP as F_STACKTOP__i, F_IS_ENTRY as F_IS_ENTRY__i, F_OWNER as F_OWNER__i, F_LOCALSPLUS as F_LOCALSPLUS__i, F_FRAME_OBJ as F_FRAME_OBJ__i, FRAME_OWNED_BY_GENERATOR as FRAME_OWNED_BY_GENERATOR__i, frameSize, frameClear, frameTraverse, frameGetFrameObject,
} from './frame.js';
const F_CODE = F_CODE__i;
const F_FUNC = F_FUNC__i;
const F_PREVIOUS = F_PREVIOUS__i;
const F_PREV_INSTR = F_PREV_INSTR__i;
const F_STACKTOP = F_STACKTOP__i;
const F_IS_ENTRY = F_IS_ENTRY__i;
const F_OWNER = F_OWNER__i;
const F_LOCALSPLUS = F_LOCALSPLUS__i;
const F_FRAME_OBJ = F_FRAME_OBJ__i;
const FRAME_OWNED_BY_GENERATOR = FRAME_OWNED_BY_GENERATOR__i;
import {
  evalFrame, vmHooks as vmHooks__i, yieldedFlag as yieldedFlag__i, genFrameDone as genFrameDone__i, setGeneratorTypes,
} from './ceval.js';
const vmHooks = vmHooks__i;
const yieldedFlag = yieldedFlag__i;
const genFrameDone = genFrameDone__i;

export const GI_CODE = 16;
export const GI_WEAKREFLIST = 24;
export const GI_NAME = 32;
export const GI_QUALNAME = 40;
export const GI_EXC_STATE = 48;
export const GI_ORIGIN = 64;
export const GI_CLOSED = 73;
export const GI_FRAME_STATE = 75;
export const GI_IFRAME = 80;
export const GEN_BASICSIZE = 152;

export const FRAME_CREATED = -2;
export const FRAME_SUSPENDED = -1;
export const FRAME_EXECUTING = 0;
export const FRAME_COMPLETED = 1;
export const FRAME_CLEARED = 4;

function state(g: Ptr): number {
  return I8[g + GI_FRAME_STATE];
}
function setState(g: Ptr, s: number): void {
  I8[g + GI_FRAME_STATE] = s;
}

/** RETURN_GENERATOR: a new generator owning a copy of `frame` (whose references move into it). */
function makeGenerator(frame: Ptr): Ptr {
  const co = I32[(frame + F_CODE) >> 2];
  const n = I32[(co + CO_NLOCALSPLUS) >> 2] + I32[(co + CO_STACKSIZE) >> 2];
  const g = PyObject_GC_NewVar(PyGen_Type, n);
  if (g === NULL) return PyErr_NoMemory();
  // (word loops, not fill/copyWithin: for these few words a typed-array builtin call costs more)
  for (let a = (g + 16) >> 2, e = (g + GI_IFRAME) >> 2; a < e; a++) I32[a] = 0;
  Py_INCREF(co);
  I32[(g + GI_CODE) >> 2] = co;
  const func = I32[(frame + F_FUNC) >> 2];
  const name = I32[(func + FUNC_NAME) >> 2];
  const qualname = I32[(func + FUNC_QUALNAME) >> 2];
  Py_INCREF(name);
  Py_INCREF(qualname);
  I32[(g + GI_NAME) >> 2] = name;
  I32[(g + GI_QUALNAME) >> 2] = qualname;
  const gf = g + GI_IFRAME;
  for (let a = gf >> 2, b = frame >> 2, e = (frame + frameSize(co)) >> 2; b < e; a++, b++) I32[a] = I32[b];
  U8[gf + F_OWNER] = FRAME_OWNED_BY_GENERATOR;
  I32[(gf + F_PREVIOUS) >> 2] = 0;
  I32[(gf + F_FRAME_OBJ) >> 2] = 0;
  setState(g, FRAME_CREATED);
  PyObject_GC_Track(g);
  return g;
}

/** ≈ gen_send_ex2: resume `g` with `arg` (borrowed; NULL = None) or with the pending exception
 *  (exc). Returns 0 (yielded), 1 (returned) or -1 (error); the value is in out[0]. */
function genSendEx2(g: Ptr, arg: Ptr, out: Int32Array, exc: boolean, closing: boolean): number {
  const st = state(g);
  if (st === FRAME_CREATED && arg !== NULL && arg !== Py_None && !exc) {
    PyErr_SetString(PyExc_TypeError, "can't send non-None value to a just-started generator");
    return -1;
  }
  if (st === FRAME_EXECUTING) {
    PyErr_SetString(PyExc_ValueError, 'generator already executing');
    return -1;
  }
  if (st >= FRAME_COMPLETED) {
    if (exc && !closing) return -1; // the exception stays set
    Py_INCREF(Py_None);
    out[0] = Py_None;
    return 1;
  }
  const f = g + GI_IFRAME;
  const v = arg === NULL ? Py_None : arg;
  Py_INCREF(v);
  const top = I32[(f + F_STACKTOP) >> 2];
  I32[(f + F_LOCALSPLUS + 8 * top) >> 2] = v;
  I32[(f + F_STACKTOP) >> 2] = top + 1;
  // link the generator's exc_state in
  const item = g + GI_EXC_STATE;
  I32[(item + EXC_INFO_PREVIOUS) >> 2] = ts.excInfo;
  ts.excInfo = item;
  U8[f + F_IS_ENTRY] = 1;
  I32[(f + F_PREVIOUS) >> 2] = ts.frame;
  setState(g, FRAME_EXECUTING);
  yieldedFlag.v = 0;
  genFrameDone.v = 0;
  const result = evalFrame(f, exc);
  ts.excInfo = I32[(item + EXC_INFO_PREVIOUS) >> 2];
  I32[(item + EXC_INFO_PREVIOUS) >> 2] = 0;
  if (yieldedFlag.v) {
    yieldedFlag.v = 0;
    setState(g, FRAME_SUSPENDED);
    out[0] = result;
    return 0;
  }
  genFrameDone.v = 0;
  setState(g, FRAME_CLEARED);
  if (result !== NULL) {
    out[0] = result;
    return 1;
  }
  // PEP 479: StopIteration escaping the generator becomes RuntimeError
  if (PyErr_ExceptionMatches(PyExc_StopIteration)) {
    const e = PyErr_Fetch();
    PyErr_SetString(PyExc_RuntimeError, 'generator raised StopIteration');
    const r = PyErr_Fetch();
    Py_INCREF(e);
    setField(r, EXC_CAUSE, e);
    setField(r, EXC_CONTEXT, e);
    U8[r + EXC_SUPPRESS_CONTEXT] = 1;
    PyErr_Restore(r);
  }
  return -1;
}
function setField(o: Ptr, off: number, v: Ptr): void {
  const old = I32[(o + off) >> 2];
  I32[(o + off) >> 2] = v;
  I32[(o + off + 4) >> 2] = 0;
  Py_XDECREF(old);
}

const out = new Int32Array(1);

/** tp_iternext: NULL without an exception when the generator returns None. */
function gen_iternext(g: Ptr): Ptr {
  const r = genSendEx2(g, NULL, out, false, false);
  if (r === 0) return out[0];
  if (r === 1) {
    if (out[0] !== Py_None) {
      // return value: StopIteration(value)
      PyErr_SetObject(PyExc_StopIteration, out[0]);
    }
    Py_DECREF(out[0]);
  }
  return NULL;
}

/** gen.send(v) */
function gen_send(g: Ptr, v: number): Ptr {
  const r = genSendEx2(g, v, out, false, false);
  if (r === 0) return out[0];
  if (r === 1) {
    if (out[0] === Py_None) PyErr_SetNone(PyExc_StopIteration);
    else PyErr_SetObject(PyExc_StopIteration, out[0]);
    Py_DECREF(out[0]);
  }
  return NULL;
}

/** SEND / yield from into a generator: 0 yielded, 1 returned, -1 error; value in o[0]. */
function genSendForVm(g: Ptr, v: Ptr, o: Int32Array): number {
  return genSendEx2(g, v, o, false, false);
}

/** ≈ _PyGen_yf: the subiterator a suspended `yield from` delegates to (new ref) or NULL. */
function genYf(g: Ptr): Ptr {
  const st = state(g);
  if (st >= FRAME_CLEARED || st === FRAME_CREATED) return NULL;
  const f = g + GI_IFRAME;
  const co = I32[(f + F_CODE) >> 2];
  const next = I32[(f + F_PREV_INSTR) >> 2] + 2;
  const w = U8[co + CO_CODE_ADAPTIVE + next] | (U8[co + CO_CODE_ADAPTIVE + next + 1] << 8);
  if ((w & 0xff) !== 151 /* RESUME */ || w >> 8 < 2) return NULL;
  const top = I32[(f + F_STACKTOP) >> 2];
  const yf = I32[(f + F_LOCALSPLUS + 8 * (top - 1)) >> 2];
  Py_INCREF(yf);
  return yf;
}

function genCloseIter(yf: Ptr): number {
  if (Py_TYPE(yf) === PyGen_Type) {
    const r = gen_close(yf, 0);
    if (r === NULL) return -1;
    Py_DECREF(r);
    return 0;
  }
  const closeName = PyObject_GetAttrOpt(yf, 'close');
  if (closeName === NULL) return PyErr_Occurred() !== NULL ? -1 : 0;
  Py_DECREF(closeName);
  const r = PyObject_CallMethod(yf, 'close');
  if (r === NULL) return -1;
  Py_DECREF(r);
  return 0;
}
function PyObject_GetAttrOpt(o: Ptr, name: string): Ptr {
  const n = PyUnicode_FromString(name);
  const r = PyObject_GetAttr(o, n);
  Py_DECREF(n);
  if (r === NULL && PyErr_ExceptionMatches(PyExc_AttributeError)) PyErr_Clear();
  return r;
}

/** gen.close() */
function gen_close(g: Ptr, _unused: number): Ptr {
  const st = state(g);
  if (st === FRAME_CREATED) {
    setState(g, FRAME_COMPLETED);
    clearGenFrame(g);
    Py_INCREF(Py_None);
    return Py_None;
  }
  if (st >= FRAME_COMPLETED) {
    Py_INCREF(Py_None);
    return Py_None;
  }
  let err = 0;
  const yf = genYf(g);
  if (yf !== NULL) {
    setState(g, FRAME_EXECUTING);
    err = genCloseIter(yf);
    setState(g, FRAME_SUSPENDED);
    Py_DECREF(yf);
  }
  if (err === 0) PyErr_SetNone(PyExc_GeneratorExit);
  const r = genSendEx2(g, Py_None, out, true, true);
  if (r === 0) {
    Py_DECREF(out[0]);
    PyErr_SetString(PyExc_RuntimeError, 'generator ignored GeneratorExit');
    return NULL;
  }
  if (r === 1) {
    Py_DECREF(out[0]);
    Py_INCREF(Py_None);
    return Py_None;
  }
  if (PyErr_ExceptionMatches(PyExc_StopIteration) || PyErr_ExceptionMatches(PyExc_GeneratorExit)) {
    PyErr_Clear();
    Py_INCREF(Py_None);
    return Py_None;
  }
  return NULL;
}

/** gen.throw(typ[, val[, tb]]) */
function gen_throw(g: Ptr, args: number, nargs: number): Ptr {
  if (nargs < 1 || nargs > 3) {
    PyErr_SetString(PyExc_TypeError, `throw expected at least 1 argument, got ${nargs}`);
    return NULL;
  }
  const typ = I32[args >> 2];
  const val = nargs > 1 ? I32[(args + 8) >> 2] : NULL;
  // normalise like _gen_throw: a class (instantiated with val) or an instance
  let exc: Ptr;
  if (isExcClass(typ)) {
    if (val !== NULL && val !== Py_None && isExcInstance(val)) {
      Py_INCREF(val);
      exc = val;
    } else {
      PyErr_SetObject(typ, val === Py_None ? NULL : val);
      exc = PyErr_Fetch();
      if (exc === NULL) return NULL;
    }
  } else if (isExcInstance(typ)) {
    if (val !== NULL && val !== Py_None) {
      PyErr_SetString(PyExc_TypeError, 'instance exception may not have a separate value');
      return NULL;
    }
    Py_INCREF(typ);
    exc = typ;
  } else {
    PyErr_SetString(PyExc_TypeError, `exceptions must be classes or instances deriving from BaseException, not ${typeName(Py_TYPE(typ))}`);
    return NULL;
  }
  const yf = genYf(g);
  if (yf !== NULL) {
    // delegate to the subiterator
    let ret: Ptr;
    setState(g, FRAME_EXECUTING);
    if (Py_TYPE(yf) === PyGen_Type) {
      PyErr_Restore(exc);
      ret = finishThrow(yf);
    } else {
      const meth = PyObject_GetAttrOpt(yf, 'throw');
      if (meth === NULL) {
        setState(g, FRAME_SUSPENDED);
        Py_DECREF(yf);
        if (PyErr_Occurred() !== NULL) {
          Py_DECREF(exc);
          return NULL;
        }
        PyErr_Restore(exc);
        return finishThrow(g);
      }
      Py_DECREF(meth);
      ret = PyObject_CallMethod(yf, 'throw', exc);
      Py_DECREF(exc);
    }
    setState(g, FRAME_SUSPENDED);
    Py_DECREF(yf);
    if (ret !== NULL) return ret;
    // the subiterator finished: resume this generator with its result or exception
    const f = g + GI_IFRAME;
    if (PyErr_ExceptionMatches(PyExc_StopIteration)) {
      // ≈ gen_send_ex with the StopIteration value: pop yf, advance past SEND
      const e = PyErr_Fetch();
      const v = stopValue(e);
      Py_DECREF(e);
      const top = I32[(f + F_STACKTOP) >> 2];
      const oldYf = I32[(f + F_LOCALSPLUS + 8 * (top - 1)) >> 2];
      I32[(f + F_STACKTOP) >> 2] = top - 1;
      Py_DECREF(oldYf);
      // jump over the SEND (its oparg is the distance): prev_instr is the YIELD_VALUE after SEND
      const co = I32[(f + F_CODE) >> 2];
      const sendAt = I32[(f + F_PREV_INSTR) >> 2] - 2;
      const sendArg = U8[co + CO_CODE_ADAPTIVE + sendAt + 1];
      I32[(f + F_PREV_INSTR) >> 2] = sendAt + 2 * sendArg;
      const r = genSendEx2(g, v, out, false, false);
      Py_DECREF(v);
      return finishSend(r);
    }
    return finishThrow(g);
  }
  PyErr_Restore(exc);
  return finishThrow(g);
}
function stopValue(e: Ptr): Ptr {
  const args = I32[(e + 24) >> 2];
  let v = Py_None;
  if (args !== NULL && I32[(args + 16) >> 2] > 0) v = I32[(args + 24) >> 2];
  Py_INCREF(v);
  return v;
}
function finishThrow(g: Ptr): Ptr {
  const r = genSendEx2(g, Py_None, out, true, false);
  return finishSend(r);
}
function finishSend(r: number): Ptr {
  if (r === 0) return out[0];
  if (r === 1) {
    if (out[0] === Py_None) PyErr_SetNone(PyExc_StopIteration);
    else PyErr_SetObject(PyExc_StopIteration, out[0]);
    Py_DECREF(out[0]);
  }
  return NULL;
}
function isExcClass(o: Ptr): boolean {
  return Py_TYPE(o) !== NULL && (I32[(o + 48) >> 2] & (1 << 30)) !== 0 && (I32[(Py_TYPE(o) + 48) >> 2] & (1 << 31)) !== 0;
}
function isExcInstance(o: Ptr): boolean {
  return (I32[(Py_TYPE(o) + 48) >> 2] & (1 << 30)) !== 0;
}

function clearGenFrame(g: Ptr): void {
  const f = g + GI_IFRAME;
  if (U8[f + F_OWNER] === FRAME_OWNED_BY_GENERATOR && I32[(f + F_CODE) >> 2] !== NULL && state(g) !== FRAME_CLEARED) {
    frameClear(f);
    I32[(f + F_CODE) >> 2] = 0;
  }
  setState(g, FRAME_CLEARED);
}

/** tp_finalize (≈ _PyGen_Finalize): close a suspended generator. */
function gen_finalize(g: Ptr): void {
  // (an unstarted generator is "closed" too: gen_close clears its frame, as 3.11 does)
  if (state(g) >= FRAME_COMPLETED) return;
  const saved = PyErr_Fetch();
  const r = gen_close(g, 0);
  if (r === NULL) unraisableHook.write?.(g);
  else Py_DECREF(r);
  PyErr_Clear();
  if (saved !== NULL) PyErr_Restore(saved);
}
/** prints "Exception ignored in: <generator ...>" (traceback.ts installs it) */
export const unraisableHook = { write: null as ((obj: Ptr) => void) | null };

function gen_dealloc(g: Ptr): void {
  PyObject_GC_UnTrack(g);
  weakrefClearHook.clear?.(g);
  if (!_PyGC_FINALIZED(g) && state(g) < FRAME_COMPLETED) {
    _PyGC_SET_FINALIZED(g);
    // resurrect for the finalizer (≈ PyObject_CallFinalizerFromDealloc)
    I32[g >> 2] = 1;
    gen_finalize(g);
    if (--I32[g >> 2] !== 0) {
      PyObject_GC_Track(g);
      return; // resurrected
    }
  }
  if (state(g) !== FRAME_CLEARED) {
    const f = g + GI_IFRAME;
    if (I32[(f + F_CODE) >> 2] !== NULL) frameClear(f);
    setState(g, FRAME_CLEARED);
  }
  Py_XDECREF(I32[(g + GI_CODE) >> 2]);
  Py_XDECREF(I32[(g + GI_NAME) >> 2]);
  Py_XDECREF(I32[(g + GI_QUALNAME) >> 2]);
  Py_XDECREF(I32[(g + GI_EXC_STATE) >> 2]);
  PyObject_GC_Del(g);
}
export const weakrefClearHook = { clear: null as ((o: Ptr) => void) | null };

function gen_traverse(g: Ptr, visit: visitproc, arg: number): number {
  for (const off of [GI_CODE, GI_NAME, GI_QUALNAME, GI_EXC_STATE]) {
    const v = I32[(g + off) >> 2];
    if (v !== NULL) {
      const r = visit(v, arg);
      if (r) return r;
    }
  }
  if (state(g) < FRAME_CLEARED) return frameTraverse(g + GI_IFRAME, visit, arg);
  return 0;
}

function gen_repr(g: Ptr): Ptr {
  return PyUnicode_FromString(`<generator object ${unicodeToJs(I32[(g + GI_QUALNAME) >> 2])} at 0x${g.toString(16)}>`);
}

export const PyGen_Type: Ptr = newStaticType({
  name: 'generator',
  basicsize: GEN_BASICSIZE,
  itemsize: 8,
  flags: Py_TPFLAGS_HAVE_GC,
  slots: {
    tp_dealloc: gen_dealloc,
    tp_traverse: gen_traverse,
    tp_repr: gen_repr,
    tp_iter: (g: Ptr) => {
      Py_INCREF(g);
      return g;
    },
    tp_iternext: gen_iternext,
    tp_finalize: gen_finalize,
    methods: [
      { name: 'send', flags: METH_O, fn: (g: Ptr, v: number) => gen_send(g, v) },
      { name: 'throw', flags: METH_FASTCALL, fn: (g: Ptr, args: number, nargs: number) => gen_throw(g, args, nargs) },
      { name: 'close', flags: METH_NOARGS, fn: (g: Ptr) => gen_close(g, 0) },
    ],
    getsets: [
      { name: '__name__', get: (g: Ptr) => { const v = I32[(g + GI_NAME) >> 2]; Py_INCREF(v); return v; } },
      { name: '__qualname__', get: (g: Ptr) => { const v = I32[(g + GI_QUALNAME) >> 2]; Py_INCREF(v); return v; } },
      { name: 'gi_code', get: (g: Ptr) => { const v = I32[(g + GI_CODE) >> 2]; Py_INCREF(v); return v; } },
      { name: 'gi_running', get: (g: Ptr) => PyBool_FromLong(state(g) === FRAME_EXECUTING) },
      { name: 'gi_suspended', get: (g: Ptr) => PyBool_FromLong(state(g) === FRAME_SUSPENDED) },
      {
        name: 'gi_frame',
        get: (g: Ptr) => {
          if (state(g) >= FRAME_COMPLETED) {
            Py_INCREF(Py_None);
            return Py_None;
          }
          const fo = frameGetFrameObject(g + GI_IFRAME);
          if (fo !== NULL) Py_INCREF(fo);
          return fo;
        },
      },
      {
        name: 'gi_yieldfrom',
        get: (g: Ptr) => {
          const yf = genYf(g);
          if (yf === NULL) {
            Py_INCREF(Py_None);
            return Py_None;
          }
          return yf;
        },
      },
    ],
    tp_sizeof: (g: Ptr) => {
      const co = I32[(g + GI_CODE) >> 2];
      return GEN_BASICSIZE + 8 * (I32[(co + CO_NLOCALSPLUS) >> 2] + I32[(co + CO_STACKSIZE) >> 2]);
    },
  },
});

vmHooks.makeGenerator = makeGenerator;
vmHooks.genSend = genSendForVm;
setGeneratorTypes([PyGen_Type]);

