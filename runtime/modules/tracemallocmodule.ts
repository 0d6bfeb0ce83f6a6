// The tracemalloc module (≈ Modules/_tracemalloc.c + the Snapshot/Statistic/Traceback/Frame part
// of Lib/tracemalloc.py), one frame per trace (the default traceback limit).
//
// tracemalloc.start() turns on runtime/mem/pymem.ts's tracing wrappers for the MEM and OBJ
// domains: every block then reports its address and REQUESTED size (GC head and managed-dict
// pre-header included, as they are part of the request), together with the line being executed
// (the current interpreter frame's code object and last instruction). Free-list hits allocate
// nothing and are not traced. The trace table is tracemalloc's own bookkeeping (like CPython's C
// hashtables): address → size and location id; locations are (filename, lineno) pairs.
//
// take_snapshot() copies the traces into a raw-domain block owned by the Snapshot object
// ([size i32, location id i32] pairs; the RAW domain is never traced), and
// Snapshot.statistics('lineno' | 'filename' | 'traceback') groups them into Statistic objects
// sorted by size, count, then location, largest first. str(Statistic) is CPython's
// `file:line: size=24.2 KiB, count=1001, average=25 B`.

import { type Ptr, NULL, I32 } from '../mem/heap.js';
import { PyMem_RawMalloc, PyMem_RawFree, memoryTraceHooks, setMemoryTracing, memoryTracingActive } from '../mem/pymem.js';
import { Py_INCREF, Py_DECREF, Py_XDECREF } from '../object.js';
import { newStaticType, Py_TPFLAGS_HAVE_GC, METH_NOARGS, METH_FASTCALL, METH_KEYWORDS, type MethodDef, type visitproc } from '../typeobject.js';
import { PyObject_GC_New, PyObject_GC_Del, PyObject_GC_Track, PyObject_GC_UnTrack } from '../gc.js';
import { PyErr_SetString, PyErr_NoMemory } from '../errors.js';
import { PyExc_RuntimeError, PyExc_ValueError, PyExc_IndexError } from '../objects/exceptions.js';
import { PyObject_Repr } from '../abstract.js';
import { Py_None } from '../objects/noneobject.js';
import { PyBool_FromLong } from '../objects/boolobject.js';
import { PyLong_FromNumber } from '../objects/longobject.js';
import { PyUnicode_FromString, PyUnicode_Check, unicodeToJs } from '../objects/unicodeobject.js';
import { PyTuple_Pack, PyTuple_GET_SIZE } from '../objects/tupleobject.js';
import { PyList_New, PyList_Append } from '../objects/listobject.js';
import { PyModule_New, PyModule_AddFunctions, PyModule_AddObjectRef } from '../objects/moduleobject.js';
import { CO_FILENAME, PyCode_Addr2Line } from '../objects/codeobject.js';
import { F_CODE, F_PREV_INSTR } from '../vm/frame.js';
import { ts } from '../pystate.js';
import { registerBuiltinModule } from './import.js';
import { parseArgs, ARGV, asCInt, argFailed } from './modsupport.js';

// ---- the trace table ----
const traceSize = new Map<Ptr, number>();
const traceLoc = new Map<Ptr, number>();
/** location id → filename / lineno; key "filename\0lineno" → id */
const locFile: string[] = [];
const locLine: number[] = [];
const locIds = new Map<string, number>();
let tracedMemory = 0;
let peakTracedMemory = 0;
let tracebackLimit = 1;

function locationId(file: string, line: number): number {
  const key = file + '\0' + line;
  let id = locIds.get(key);
  if (id === undefined) {
    id = locFile.length;
    locFile.push(file);
    locLine.push(line);
    locIds.set(key, id);
  }
  return id;
}

/** The (filename, lineno) of the line being executed, as a location id. */
function currentLocation(): number {
  const f = ts.frame;
  if (f === NULL) return locationId('<unknown>', 0);
  const co = I32[(f + F_CODE) >> 2];
  if (co === NULL) return locationId('<unknown>', 0);
  const fn = I32[(co + CO_FILENAME) >> 2];
  const file = fn !== NULL && PyUnicode_Check(fn) ? unicodeToJs(fn) : '<unknown>';
  const line = PyCode_Addr2Line(co, I32[(f + F_PREV_INSTR) >> 2]);
  return locationId(file, line < 0 ? 0 : line);
}

function traceAlloc(p: Ptr, n: number): void {
  const old = traceSize.get(p);
  if (old !== undefined) tracedMemory -= old; // a block reused without a free we saw
  traceSize.set(p, n);
  traceLoc.set(p, currentLocation());
  tracedMemory += n;
  if (tracedMemory > peakTracedMemory) peakTracedMemory = tracedMemory;
}
function traceFree(p: Ptr): void {
  const n = traceSize.get(p);
  if (n === undefined) return; // allocated before tracing started
  tracedMemory -= n;
  traceSize.delete(p);
  traceLoc.delete(p);
}

/** ≈ _PyTraceMalloc_Start (also for -X tracemalloc). */
export function tracemallocStart(nframe = 1): void {
  tracebackLimit = nframe;
  if (memoryTracingActive()) return;
  memoryTraceHooks.alloc = traceAlloc;
  memoryTraceHooks.free = traceFree;
  setMemoryTracing(true);
}
/** ≈ _PyTraceMalloc_Stop: stop tracing and drop the traces. */
export function tracemallocStop(): void {
  if (!memoryTracingActive()) return;
  setMemoryTracing(false);
  clearTraces();
}
/** (current, peak) traced bytes; (0, 0) when not tracing (≈ get_traced_memory). */
export function getTracedMemory(): [number, number] {
  return memoryTracingActive() ? [tracedMemory, peakTracedMemory] : [0, 0];
}
function clearTraces(): void {
  traceSize.clear();
  traceLoc.clear();
  tracedMemory = 0;
  peakTracedMemory = 0;
}

function none(): Ptr {
  Py_INCREF(Py_None);
  return Py_None;
}
function getF(o: Ptr, off: number): Ptr {
  return I32[(o + off) >> 2];
}
function setF(o: Ptr, off: number, v: Ptr): void {
  I32[(o + off) >> 2] = v;
  I32[(o + off + 4) >> 2] = 0;
}

// =====================================================================================
// Small object types: Frame, Traceback, Statistic, Snapshot
// =====================================================================================

function objType(name: string, fields: number[], extra: Partial<import('../typeobject.js').Slots>): Ptr {
  const basicsize = 16 + 8 * fields.length;
  const dealloc = (o: Ptr): void => {
    PyObject_GC_UnTrack(o);
    for (const off of fields) {
      const v = getF(o, off);
      setF(o, off, NULL);
      Py_XDECREF(v);
    }
    PyObject_GC_Del(o);
  };
  const traverse = (o: Ptr, visit: visitproc, arg: number): number => {
    for (const off of fields) {
      const v = getF(o, off);
      if (v !== NULL) {
        const r = visit(v, arg);
        if (r) return r;
      }
    }
    return 0;
  };
  return newStaticType({ name, basicsize, flags: Py_TPFLAGS_HAVE_GC, slots: { tp_dealloc: dealloc, tp_traverse: traverse, ...extra } });
}
/** A new object of `type` with its fields (borrowed; INCREFed). */
function newObj(type: Ptr, vals: Ptr[]): Ptr {
  const o = PyObject_GC_New(type);
  if (o === NULL) return PyErr_NoMemory();
  for (let i = 0; i < vals.length; i++) {
    Py_INCREF(vals[i]);
    setF(o, 16 + 8 * i, vals[i]);
  }
  PyObject_GC_Track(o);
  return o;
}

// Frame: [16 filename][24 lineno]
const Frame_Type = objType('tracemalloc.Frame', [16, 24], {
  members: [
    { name: 'filename', kind: 'object', offset: 16, readonly: true },
    { name: 'lineno', kind: 'object', offset: 24, readonly: true },
  ],
  tp_str: (o: Ptr) => PyUnicode_FromString(`${unicodeToJs(getF(o, 16))}:${reprText(getF(o, 24))}`),
  tp_repr: (o: Ptr) => PyUnicode_FromString(`<Frame filename=${reprText(getF(o, 16))} lineno=${reprText(getF(o, 24))}>`),
});
function reprText(o: Ptr): string {
  const r = PyObject_Repr(o);
  if (r === NULL) return '?';
  const s = unicodeToJs(r);
  Py_DECREF(r);
  return s;
}
// Traceback: [16 frames tuple]
const Traceback_Type = objType('tracemalloc.Traceback', [16], {
  sq_length: (o: Ptr) => PyTuple_GET_SIZE(getF(o, 16)),
  sq_item: (o: Ptr, i: number) => {
    const t = getF(o, 16);
    const n = PyTuple_GET_SIZE(t);
    if (i < 0) i += n;
    if (i < 0 || i >= n) {
      PyErr_SetString(PyExc_IndexError, 'tuple index out of range');
      return NULL;
    }
    const f = I32[(t + 24 + 8 * i) >> 2];
    Py_INCREF(f);
    return f;
  },
  tp_str: (o: Ptr) => {
    const t = getF(o, 16);
    const f = I32[(t + 24) >> 2];
    return PyUnicode_FromString(`${unicodeToJs(getF(f, 16))}:${reprText(getF(f, 24))}`);
  },
  tp_repr: (o: Ptr) => PyUnicode_FromString(`<Traceback ${reprText(getF(o, 16))}>`),
});
// Statistic: [16 traceback][24 size][32 count]
const Statistic_Type = objType('tracemalloc.Statistic', [16, 24, 32], {
  members: [
    { name: 'traceback', kind: 'object', offset: 16, readonly: true },
    { name: 'size', kind: 'object', offset: 24, readonly: true },
    { name: 'count', kind: 'object', offset: 32, readonly: true },
  ],
  tp_str: (o: Ptr) => {
    const tb = getF(o, 16);
    const f = I32[(getF(tb, 16) + 24) >> 2];
    const size = Number(reprText(getF(o, 24)));
    const count = Number(reprText(getF(o, 32)));
    let text = `${unicodeToJs(getF(f, 16))}:${reprText(getF(f, 24))}: size=${formatSize(size)}, count=${count}`;
    if (count) text += `, average=${formatSize(size / count)}`;
    return PyUnicode_FromString(text);
  },
  tp_repr: (o: Ptr) => PyUnicode_FromString(`<Statistic traceback=${reprText(getF(o, 16))} size=${reprText(getF(o, 24))} count=${reprText(getF(o, 32))}>`),
});

/** "%.{d}f" as C prints it: exact ties round to even (JS toFixed rounds them up). */
function cFixed(x: number, d: number): string {
  const s = x.toFixed(d);
  const scale = 10 ** d;
  const scaled = x * scale;
  if (scaled / scale === x && Math.abs(scaled - Math.trunc(scaled)) === 0.5) {
    const down = Math.trunc(scaled);
    const even = down % 2 === 0 ? down : down + Math.sign(scaled);
    return (even / scale).toFixed(d);
  }
  return s;
}
/** ≈ tracemalloc._format_size(size, sign=False) */
export function formatSize(size: number): string {
  for (const unit of ['B', 'KiB', 'MiB', 'GiB', 'TiB']) {
    if (Math.abs(size) < 100 && unit !== 'B') return `${cFixed(size, 1)} ${unit}`;
    if (Math.abs(size) < 10 * 1024 || unit === 'TiB') return `${cFixed(size, 0)} ${unit}`;
    size /= 1024;
  }
  return `${size}`;
}

// Snapshot: [16 traceback_limit int][24 traces block (raw, not an object)][32 ntraces]
const SNAP_BLOCK = 24;
const SNAP_COUNT = 32;
function snapshot_free(o: Ptr): void {
  const b = getF(o, SNAP_BLOCK);
  setF(o, SNAP_BLOCK, NULL);
  if (b !== NULL) PyMem_RawFree(b);
}
const statisticsSpec = { fname: 'statistics', names: ['key_type', 'cumulative'], posonly: 0, required: 1, kwonlyFrom: 2 };
function snapshot_statistics(self: Ptr, args: number, nargs: number, kwnames: Ptr): Ptr {
  if (!parseArgs(statisticsSpec, args, nargs, kwnames)) return NULL;
  const kt = ARGV[0];
  const key = PyUnicode_Check(kt) ? unicodeToJs(kt) : null;
  if (key !== 'lineno' && key !== 'filename' && key !== 'traceback') {
    const r = reprText(kt);
    PyErr_SetString(PyExc_ValueError, `unknown key_type: ${r}`);
    return NULL;
  }
  // group the traces by location (by file for 'filename')
  const block = getF(self, SNAP_BLOCK);
  const n = getF(self, SNAP_COUNT);
  const sizes = new Map<string, number>();
  const counts = new Map<string, number>();
  const files = new Map<string, [string, number]>();
  for (let i = 0; i < n; i++) {
    const size = I32[(block + 8 * i) >> 2];
    const loc = I32[(block + 8 * i + 4) >> 2];
    const file = locFile[loc];
    const line = key === 'filename' ? 0 : locLine[loc];
    const k = file + '\0' + line;
    sizes.set(k, (sizes.get(k) ?? 0) + size);
    counts.set(k, (counts.get(k) ?? 0) + 1);
    if (!files.has(k)) files.set(k, [file, line]);
  }
  const keys = [...sizes.keys()];
  keys.sort((a, b) => {
    const sa = sizes.get(a)!, sb = sizes.get(b)!;
    if (sa !== sb) return sb - sa;
    const ca = counts.get(a)!, cb = counts.get(b)!;
    if (ca !== cb) return cb - ca;
    const [fa, la] = files.get(a)!, [fb, lb] = files.get(b)!;
    if (fa !== fb) return fa < fb ? 1 : -1;
    return lb - la;
  });
  const result = PyList_New(0);
  if (result === NULL) return NULL;
  for (const k of keys) {
    const [file, line] = files.get(k)!;
    const st = newStatistic(file, line, sizes.get(k)!, counts.get(k)!);
    if (st === NULL || PyList_Append(result, st) < 0) {
      Py_XDECREF(st);
      Py_DECREF(result);
      return NULL;
    }
    Py_DECREF(st);
  }
  return result;
}
function newStatistic(file: string, line: number, size: number, count: number): Ptr {
  const fn = PyUnicode_FromString(file);
  const ln = PyLong_FromNumber(line);
  const frame = fn !== NULL && ln !== NULL ? newObj(Frame_Type, [fn, ln]) : NULL;
  Py_XDECREF(fn);
  Py_XDECREF(ln);
  if (frame === NULL) return NULL;
  const frames = PyTuple_Pack(1, frame);
  Py_DECREF(frame);
  if (frames === NULL) return NULL;
  const tb = newObj(Traceback_Type, [frames]);
  Py_DECREF(frames);
  if (tb === NULL) return NULL;
  const sz = PyLong_FromNumber(size);
  const ct = PyLong_FromNumber(count);
  const st = sz !== NULL && ct !== NULL ? newObj(Statistic_Type, [tb, sz, ct]) : NULL;
  Py_DECREF(tb);
  Py_XDECREF(sz);
  Py_XDECREF(ct);
  return st;
}
const Snapshot_Type = newStaticType({
  name: 'tracemalloc.Snapshot',
  basicsize: 40,
  flags: Py_TPFLAGS_HAVE_GC,
  slots: {
    tp_dealloc: (o: Ptr) => {
      PyObject_GC_UnTrack(o);
      const lim = getF(o, 16);
      setF(o, 16, NULL);
      Py_XDECREF(lim);
      snapshot_free(o);
      PyObject_GC_Del(o);
    },
    tp_traverse: (o: Ptr, visit: visitproc, arg: number) => (getF(o, 16) !== NULL ? visit(getF(o, 16), arg) : 0),
    members: [{ name: 'traceback_limit', kind: 'object', offset: 16, readonly: true }],
    methods: [{ name: 'statistics', flags: METH_FASTCALL | METH_KEYWORDS, fn: snapshot_statistics }],
  },
});

// =====================================================================================
// module functions
// =====================================================================================
const startSpec = { fname: 'start', names: ['nframe'], posonly: 1, required: 0, kwonlyFrom: 1 };
function tm_start(_m: Ptr, args: number, nargs: number, kwnames: Ptr): Ptr {
  if (!parseArgs(startSpec, args, nargs, kwnames)) return NULL;
  let nframe = 1;
  if (ARGV[0] !== NULL) {
    nframe = asCInt(ARGV[0]);
    if (argFailed(nframe)) return NULL;
  }
  if (nframe < 1 || nframe > 65535) {
    PyErr_SetString(PyExc_ValueError, 'the number of frames must be in range [1; 65535]');
    return NULL;
  }
  tracemallocStart(nframe);
  return none();
}
function tm_take_snapshot(): Ptr {
  if (!memoryTracingActive()) {
    PyErr_SetString(PyExc_RuntimeError, 'the tracemalloc module must be tracing memory allocations to take a snapshot');
    return NULL;
  }
  const n = traceSize.size;
  const block = PyMem_RawMalloc(Math.max(8, 8 * n));
  if (block === NULL) return PyErr_NoMemory();
  let i = 0;
  for (const [p, size] of traceSize) {
    I32[(block + 8 * i) >> 2] = size;
    I32[(block + 8 * i + 4) >> 2] = traceLoc.get(p)!;
    i++;
  }
  const snap = PyObject_GC_New(Snapshot_Type);
  if (snap === NULL) {
    PyMem_RawFree(block);
    return PyErr_NoMemory();
  }
  const lim = PyLong_FromNumber(tracebackLimit);
  setF(snap, 16, lim);
  setF(snap, SNAP_BLOCK, block);
  setF(snap, SNAP_COUNT, n);
  PyObject_GC_Track(snap);
  return snap;
}
function intPair(a: number, b: number): Ptr {
  const x = PyLong_FromNumber(a);
  const y = PyLong_FromNumber(b);
  const t = x !== NULL && y !== NULL ? PyTuple_Pack(2, x, y) : NULL;
  Py_XDECREF(x);
  Py_XDECREF(y);
  return t;
}
const noargs = (f: () => Ptr) => (_m: Ptr): Ptr => f();
const tracemallocMethods: MethodDef[] = [
  { name: 'start', flags: METH_FASTCALL | METH_KEYWORDS, fn: tm_start },
  { name: 'stop', flags: METH_NOARGS, fn: noargs(() => (tracemallocStop(), none())) },
  { name: 'is_tracing', flags: METH_NOARGS, fn: noargs(() => PyBool_FromLong(memoryTracingActive())) },
  { name: 'clear_traces', flags: METH_NOARGS, fn: noargs(() => (memoryTracingActive() && clearTraces(), none())) },
  {
    name: 'get_traced_memory',
    flags: METH_NOARGS,
    fn: noargs(() => (memoryTracingActive() ? intPair(tracedMemory, peakTracedMemory) : intPair(0, 0))),
  },
  { name: 'reset_peak', flags: METH_NOARGS, fn: noargs(() => ((peakTracedMemory = tracedMemory), none())) },
  { name: 'get_traceback_limit', flags: METH_NOARGS, fn: noargs(() => PyLong_FromNumber(tracebackLimit)) },
  { name: 'get_tracemalloc_memory', flags: METH_NOARGS, fn: noargs(() => PyLong_FromNumber(64 * traceSize.size + 32 * locFile.length + 4096)) },
  { name: 'take_snapshot', flags: METH_NOARGS, fn: noargs(tm_take_snapshot) },
];

/** ≈ import tracemalloc: a new module. New reference or NULL. */
export function PyInit_tracemalloc(): Ptr {
  const m = PyModule_New('tracemalloc');
  if (m === NULL) return NULL;
  if (PyModule_AddFunctions(m, tracemallocMethods) < 0) return (Py_DECREF(m), NULL);
  for (const [k, t] of [['Snapshot', Snapshot_Type], ['Statistic', Statistic_Type], ['Traceback', Traceback_Type], ['Frame', Frame_Type]] as [string, Ptr][]) {
    if (PyModule_AddObjectRef(m, k, t) < 0) return (Py_DECREF(m), NULL);
  }
  return m;
}
registerBuiltinModule('tracemalloc', PyInit_tracemalloc);

