// Interpreter frames, frame objects and tracebacks (≈ Include/internal/pycore_frame.h,
// Python/frame.c, Objects/frameobject.c, Python/traceback.c).
//
// An interpreter frame (≈ _PyInterpreterFrame, 72 bytes + 8 per localsplus slot) lives on the
// data stack (pystate.ts), inside a generator, or inside a frame object that took it over:
//
//    0 f_func (strong)    8 f_globals (borrowed)  16 f_builtins (borrowed)  24 f_locals (strong)
//   32 f_code (strong)   40 frame_obj (strong)   48 previous (frame address)
//   56 prev_instr: byte offset in co_code of the last instruction started (-2 before the first)
//   64 stacktop: slots in use in localsplus (locals + cells + frees + value stack)
//   68 is_entry (u8)  69 owner (u8: 0 thread, 1 generator, 2 frame object)
//   72 localsplus[nlocalsplus + stacksize]
//
// Frame objects (PyFrameObject: 48 + the embedded interpreter frame; GC; getsizeof
// 136 + 8·(nlocalsplus + stacksize)) are made only on demand: tracebacks, sys._getframe.
//     16 f_back (strong, only once the frame object owns its frame)  24 f_frame (address)
//     32 f_trace  40 f_lineno (i32)  48 _f_frame_data (room for a whole interpreter frame)
// When an interpreter frame whose frame object is still referenced exits, the frame object
// takes it over (≈ take_ownership): the frame is copied into _f_frame_data, f_back is set, and
// the locals stay alive as long as the frame object does (e.g. through a traceback).
//
// Traceback objects (PyTracebackObject, 40 + GC = 56): 16 tb_next  24 tb_frame  32 tb_lasti  36 tb_lineno

import {
  type Ptr, NULL as NULL__i, I32 as I32__i, U8 as U8__i,
} from '../mem/heap.js';
const NULL = NULL__i;
const I32 = I32__i;
const U8 = U8__i;
import { Py_DECREF, Py_INCREF, Py_XDECREF, Py_REFCNT } from '../object.js';
import {
  newStaticType, Py_TPFLAGS_HAVE_GC as Py_TPFLAGS_HAVE_GC__i, type visitproc, type GetSetDef,
} from '../typeobject.js';
const Py_TPFLAGS_HAVE_GC = Py_TPFLAGS_HAVE_GC__i;
import { PyObject_GC_NewVar, PyObject_GC_New, PyObject_GC_Del, PyObject_GC_Track, PyObject_GC_UnTrack, _PyObject_GC_IS_TRACKED } from '../gc.js';
import { PyErr_NoMemory } from '../errors.js';
import { PyUnicode_FromString, unicodeToJs } from '../objects/unicodeobject.js';
import { PyLong_FromNumber } from '../objects/longobject.js';
import {
  Py_None as Py_None__i,
} from '../objects/noneobject.js';
const Py_None = Py_None__i;
import {
  CO_NLOCALSPLUS as CO_NLOCALSPLUS__i, CO_STACKSIZE as CO_STACKSIZE__i, CO_FILENAME as CO_FILENAME__i, CO_NAME as CO_NAME__i, PyCode_Addr2Line,
} from '../objects/codeobject.js';
const CO_NLOCALSPLUS = CO_NLOCALSPLUS__i;
const CO_STACKSIZE = CO_STACKSIZE__i;
const CO_FILENAME = CO_FILENAME__i;
const CO_NAME = CO_NAME__i;

export const F_FUNC = 0;
export const F_GLOBALS = 8;
export const F_BUILTINS = 16;
export const F_LOCALS = 24;
export const F_CODE = 32;
export const F_FRAME_OBJ = 40;
export const F_PREVIOUS = 48;
export const F_PREV_INSTR = 56;
export const F_STACKTOP = 64;
export const F_IS_ENTRY = 68;
export const F_OWNER = 69;
export const F_LOCALSPLUS = 72;
export const FRAME_HEADER = 72;

export const FRAME_OWNED_BY_THREAD = 0;
export const FRAME_OWNED_BY_GENERATOR = 1;
export const FRAME_OWNED_BY_FRAME_OBJECT = 2;

export const FO_BACK = 16;
export const FO_FRAME = 24;
export const FO_TRACE = 32;
export const FO_LINENO = 40;
export const FO_DATA = 48;

export const TB_NEXT = 16;
export const TB_FRAME = 24;
export const TB_LASTI = 32;
export const TB_LINENO = 36;

/** Bytes of an interpreter frame for code object `co`. */
export function frameSize(co: Ptr): number {
  return FRAME_HEADER + 8 * (I32[(co + CO_NLOCALSPLUS) >> 2] + I32[(co + CO_STACKSIZE) >> 2]);
}

/** ≈ _PyFrame_Clear's reference release: decref the localsplus slots in use, f_locals,
 *  f_func and f_code (the frame object link is handled by the caller). */
export function frameClearLocals(f: Ptr): void {
  const n = I32[(f + F_STACKTOP) >> 2];
  for (let i = 0; i < n; i++) {
    const a = f + F_LOCALSPLUS + 8 * i;
    const v = I32[a >> 2];
    if (v !== NULL) {
      I32[a >> 2] = 0;
      Py_DECREF(v);
    }
  }
  I32[(f + F_STACKTOP) >> 2] = 0;
  Py_XDECREF(I32[(f + F_LOCALS) >> 2]);
  I32[(f + F_LOCALS) >> 2] = 0;
  Py_XDECREF(I32[(f + F_FUNC) >> 2]);
  I32[(f + F_FUNC) >> 2] = 0;
  Py_DECREF(I32[(f + F_CODE) >> 2]);
}

/** ≈ _PyFrame_Clear for a frame owned by the thread or a generator that is finishing. If a frame
 *  object still references it from elsewhere, the frame object takes the frame over. */
export function frameClear(f: Ptr): void {
  const fo = I32[(f + F_FRAME_OBJ) >> 2];
  if (fo !== NULL) {
    I32[(f + F_FRAME_OBJ) >> 2] = 0;
    if (Py_REFCNT(fo) > 1) {
      takeOwnership(fo, f);
      Py_DECREF(fo);
      return;
    }
    Py_DECREF(fo);
  }
  frameClearLocals(f);
}

/** ≈ take_ownership: copy the frame into the frame object and link f_back. */
function takeOwnership(fo: Ptr, f: Ptr): void {
  const co = I32[(f + F_CODE) >> 2];
  const size = frameSize(co);
  const dst = fo + FO_DATA;
  U8.copyWithin(dst, f, f + size);
  I32[(fo + FO_FRAME) >> 2] = dst;
  U8[dst + F_OWNER] = FRAME_OWNED_BY_FRAME_OBJECT;
  I32[(dst + F_PREVIOUS) >> 2] = 0;
  I32[(fo + FO_LINENO) >> 2] = PyCode_Addr2Line(co, I32[(f + F_PREV_INSTR) >> 2]);
  // f_back: the previous frame's frame object (created if needed), as CPython does
  const prev = I32[(f + F_PREVIOUS) >> 2];
  if (prev !== NULL && I32[(fo + FO_BACK) >> 2] === NULL) {
    const back = frameGetFrameObject(prev);
    if (back !== NULL) {
      Py_INCREF(back);
      I32[(fo + FO_BACK) >> 2] = back;
    }
  }
  if (!_PyObject_GC_IS_TRACKED(fo)) PyObject_GC_Track(fo);
}

function frame_dealloc(fo: Ptr): void {
  PyObject_GC_UnTrack(fo);
  const f = I32[(fo + FO_FRAME) >> 2];
  if (f === fo + FO_DATA && U8[f + F_OWNER] === FRAME_OWNED_BY_FRAME_OBJECT) {
    frameClearLocals(f);
  }
  Py_XDECREF(I32[(fo + FO_BACK) >> 2]);
  Py_XDECREF(I32[(fo + FO_TRACE) >> 2]);
  PyObject_GC_Del(fo);
}
function frame_traverse(fo: Ptr, visit: visitproc, arg: number): number {
  const back = I32[(fo + FO_BACK) >> 2];
  if (back !== NULL) {
    const r = visit(back, arg);
    if (r) return r;
  }
  const f = I32[(fo + FO_FRAME) >> 2];
  if (f !== fo + FO_DATA || U8[f + F_OWNER] !== FRAME_OWNED_BY_FRAME_OBJECT) return 0;
  return frameTraverse(f, visit, arg);
}
/** Visit the references an interpreter frame owns (frame objects and generators use it). */
export function frameTraverse(f: Ptr, visit: visitproc, arg: number): number {
  for (const off of [F_FUNC, F_CODE, F_LOCALS]) {
    const v = I32[(f + off) >> 2];
    if (v !== NULL) {
      const r = visit(v, arg);
      if (r) return r;
    }
  }
  const n = I32[(f + F_STACKTOP) >> 2];
  for (let i = 0; i < n; i++) {
    const v = I32[(f + F_LOCALSPLUS + 8 * i) >> 2];
    if (v !== NULL) {
      const r = visit(v, arg);
      if (r) return r;
    }
  }
  return 0;
}
function frame_clear(fo: Ptr): number {
  const f = I32[(fo + FO_FRAME) >> 2];
  if (f === fo + FO_DATA && U8[f + F_OWNER] === FRAME_OWNED_BY_FRAME_OBJECT) {
    const n = I32[(f + F_STACKTOP) >> 2];
    for (let i = 0; i < n; i++) {
      const a = f + F_LOCALSPLUS + 8 * i;
      const v = I32[a >> 2];
      if (v !== NULL) {
        I32[a >> 2] = 0;
        Py_DECREF(v);
      }
    }
    I32[(f + F_STACKTOP) >> 2] = 0;
  }
  return 0;
}

/** f_lineno of a frame object: live frames compute it from prev_instr. */
export function frameObjectLineno(fo: Ptr): number {
  const f = I32[(fo + FO_FRAME) >> 2];
  if (U8[f + F_OWNER] === FRAME_OWNED_BY_FRAME_OBJECT) return I32[(fo + FO_LINENO) >> 2];
  return PyCode_Addr2Line(I32[(f + F_CODE) >> 2], I32[(f + F_PREV_INSTR) >> 2]);
}

const frameGetSets: GetSetDef[] = [
  { name: 'f_lineno', get: (fo: Ptr) => PyLong_FromNumber(frameObjectLineno(fo)) },
  { name: 'f_code', get: (fo: Ptr) => { const c = I32[(I32[(fo + FO_FRAME) >> 2] + F_CODE) >> 2]; Py_INCREF(c); return c; } },
  { name: 'f_globals', get: (fo: Ptr) => { const g = I32[(I32[(fo + FO_FRAME) >> 2] + F_GLOBALS) >> 2]; Py_INCREF(g); return g; } },
  { name: 'f_builtins', get: (fo: Ptr) => { const g = I32[(I32[(fo + FO_FRAME) >> 2] + F_BUILTINS) >> 2]; Py_INCREF(g); return g; } },
  {
    name: 'f_back',
    get: (fo: Ptr) => {
      const back = frameObjectBack(fo);
      const r = back === NULL ? Py_None : back;
      Py_INCREF(r);
      return r;
    },
  },
];
/** The calling frame's frame object (borrowed; created on demand), or NULL. */
export function frameObjectBack(fo: Ptr): Ptr {
  const stored = I32[(fo + FO_BACK) >> 2];
  if (stored !== NULL) return stored;
  const f = I32[(fo + FO_FRAME) >> 2];
  if (U8[f + F_OWNER] === FRAME_OWNED_BY_FRAME_OBJECT) return NULL;
  const prev = I32[(f + F_PREVIOUS) >> 2];
  return prev === NULL ? NULL : frameGetFrameObject(prev);
}

function frame_repr(fo: Ptr): Ptr {
  const f = I32[(fo + FO_FRAME) >> 2];
  const co = I32[(f + F_CODE) >> 2];
  return PyUnicode_FromString(
    `<frame at 0x${fo.toString(16)}, file '${unicodeToJs(I32[(co + CO_FILENAME) >> 2])}', line ${frameObjectLineno(fo)}, code ${unicodeToJs(I32[(co + CO_NAME) >> 2])}>`,
  );
}

export const PyFrame_Type: Ptr = newStaticType({
  name: 'frame',
  basicsize: FO_DATA + FRAME_HEADER,
  itemsize: 8,
  flags: Py_TPFLAGS_HAVE_GC,
  slots: {
    tp_dealloc: frame_dealloc,
    tp_traverse: frame_traverse,
    tp_clear: frame_clear,
    tp_repr: frame_repr,
    getsets: frameGetSets,
    tp_sizeof: (fo: Ptr) => {
      const co = I32[(I32[(fo + FO_FRAME) >> 2] + F_CODE) >> 2];
      return FO_DATA + FRAME_HEADER + 8 * (I32[(co + CO_NLOCALSPLUS) >> 2] + I32[(co + CO_STACKSIZE) >> 2]);
    },
  },
});

/** ≈ _PyFrame_GetFrameObject: the frame object of interpreter frame `f`, made on first use.
 *  Borrowed reference (the interpreter frame owns it), or NULL with MemoryError. */
export function frameGetFrameObject(f: Ptr): Ptr {
  const existing = I32[(f + F_FRAME_OBJ) >> 2];
  if (existing !== NULL) return existing;
  const co = I32[(f + F_CODE) >> 2];
  const fo = PyObject_GC_NewVar(PyFrame_Type, I32[(co + CO_NLOCALSPLUS) >> 2] + I32[(co + CO_STACKSIZE) >> 2]);
  if (fo === NULL) return PyErr_NoMemory();
  I32.fill(0, (fo + 16) >> 2, (fo + FO_DATA) >> 2);
  I32[(fo + FO_FRAME) >> 2] = f;
  I32[(f + F_FRAME_OBJ) >> 2] = fo;
  // (not tracked while the thread owns the frame: its contents are the frame's, as CPython)
  return fo;
}

// ---- tracebacks ----
function tb_dealloc(tb: Ptr): void {
  PyObject_GC_UnTrack(tb);
  Py_XDECREF(I32[(tb + TB_NEXT) >> 2]);
  Py_XDECREF(I32[(tb + TB_FRAME) >> 2]);
  PyObject_GC_Del(tb);
}
function tb_traverse(tb: Ptr, visit: visitproc, arg: number): number {
  for (const off of [TB_NEXT, TB_FRAME]) {
    const v = I32[(tb + off) >> 2];
    if (v !== NULL) {
      const r = visit(v, arg);
      if (r) return r;
    }
  }
  return 0;
}
function tb_clear(tb: Ptr): number {
  for (const off of [TB_NEXT, TB_FRAME]) {
    const v = I32[(tb + off) >> 2];
    if (v !== NULL) {
      I32[(tb + off) >> 2] = 0;
      Py_DECREF(v);
    }
  }
  return 0;
}
export const PyTraceBack_Type: Ptr = newStaticType({
  name: 'traceback',
  basicsize: 40,
  flags: Py_TPFLAGS_HAVE_GC,
  slots: {
    tp_dealloc: tb_dealloc,
    tp_traverse: tb_traverse,
    tp_clear: tb_clear,
    getsets: [
      { name: 'tb_next', get: (tb: Ptr) => { const v = I32[(tb + TB_NEXT) >> 2] || Py_None; Py_INCREF(v); return v; } },
      { name: 'tb_frame', get: (tb: Ptr) => { const v = I32[(tb + TB_FRAME) >> 2]; Py_INCREF(v); return v; } },
      { name: 'tb_lineno', get: (tb: Ptr) => PyLong_FromNumber(I32[(tb + TB_LINENO) >> 2]) },
      { name: 'tb_lasti', get: (tb: Ptr) => PyLong_FromNumber(I32[(tb + TB_LASTI) >> 2]) },
    ],
  },
});

/** ≈ PyTraceBack_Here's object: a new traceback entry for frame object `fo` (borrowed) at byte
 *  offset `lasti`, in front of `next` (stolen; may be NULL). New reference or NULL. */
export function newTraceback(next: Ptr, fo: Ptr, lasti: number, lineno: number): Ptr {
  const tb = PyObject_GC_New(PyTraceBack_Type);
  if (tb === NULL) {
    Py_XDECREF(next);
    return PyErr_NoMemory();
  }
  I32[(tb + TB_NEXT) >> 2] = next;
  I32[(tb + TB_NEXT + 4) >> 2] = 0;
  Py_INCREF(fo);
  I32[(tb + TB_FRAME) >> 2] = fo;
  I32[(tb + TB_FRAME + 4) >> 2] = 0;
  I32[(tb + TB_LASTI) >> 2] = lasti;
  I32[(tb + TB_LINENO) >> 2] = lineno;
  PyObject_GC_Track(tb);
  return tb;
}
