// Code objects (≈ Objects/codeobject.c, Include/cpython/code.h 3.11).
//
// PyCodeObject, 184 bytes + 2 per code unit (the bytecode is stored inline, as 3.11's
// co_code_adaptive); not a GC object. getsizeof = round_up_8(184 + len(co_code)).
//
//    0 ob_refcnt   8 ob_type   16 ob_size (number of 2-byte code units)
//   24 co_consts (tuple)        32 co_names (tuple)        40 co_exceptiontable (bytes)
//   48 co_flags (i32)   52 co_warmup (i16)   54 _co_linearray_entry_size (i16)
//   56 co_argcount  60 co_posonlyargcount  64 co_kwonlyargcount  68 co_stacksize
//   72 co_firstlineno  76 co_nlocalsplus  80 co_nlocals  84 co_nplaincellvars
//   88 co_ncellvars  92 co_nfreevars                     (all i32)
//   96 co_localsplusnames (tuple)   104 co_localspluskinds (bytes)
//  112 co_filename (str)  120 co_name (str)  128 co_qualname (str)  136 co_linetable (bytes)
//  144 co_weakreflist  152 _co_code  160 _co_linearray  168 _co_firsttraceable  176 co_extra
//  184 co_code_adaptive: the wordcode, 2 bytes per unit (opcode, oparg), CACHE units included
//
// The VM reads instructions straight from co_code_adaptive (U16 per unit: op = w & 0xff,
// arg = w >> 8). Positions (for tracebacks) are decoded from co_linetable (3.11 location
// table format, Objects/locations.md).

import {
  type Ptr, NULL as NULL__i, I32 as I32__i, U8 as U8__i, I16 as I16__i,
} from '../mem/heap.js';
const NULL = NULL__i;
const I32 = I32__i;
const U8 = U8__i;
const I16 = I16__i;
import { Py_XDECREF, Py_INCREF, PyObject_NewVar } from '../object.js';
import { newStaticType, type GetSetDef } from '../typeobject.js';
import { PyLong_FromNumber } from './longobject.js';
import { PyObject_Free } from '../mem/pymem.js';
import { PyErr_NoMemory } from '../errors.js';
import { CACHE_ENTRIES } from '../vm/opcode.js';
import { PyUnicode_FromString, unicodeToJs } from './unicodeobject.js';
import { PyBytes_AS_STRING, PyBytes_GET_SIZE, PyBytes_FromJsBytes } from './bytesobject.js';
import { PyTuple_GET_SIZE, PyTuple_GET_ITEM, PyTuple_New, PyTuple_SET_ITEM } from './tupleobject.js';

export const CO_CONSTS = 24;
export const CO_NAMES = 32;
export const CO_EXCEPTIONTABLE = 40;
export const CO_FLAGS = 48;
export const CO_WARMUP = 52;
export const CO_ARGCOUNT = 56;
export const CO_POSONLYARGCOUNT = 60;
export const CO_KWONLYARGCOUNT = 64;
export const CO_STACKSIZE = 68;
export const CO_FIRSTLINENO = 72;
export const CO_NLOCALSPLUS = 76;
export const CO_NLOCALS = 80;
export const CO_NPLAINCELLVARS = 84;
export const CO_NCELLVARS = 88;
export const CO_NFREEVARS = 92;
export const CO_LOCALSPLUSNAMES = 96;
export const CO_LOCALSPLUSKINDS = 104;
export const CO_FILENAME = 112;
export const CO_NAME = 120;
export const CO_QUALNAME = 128;
export const CO_LINETABLE = 136;
export const CO_WEAKREFLIST = 144;
export const CO_CODE_ADAPTIVE = 184;
export const CODE_BASICSIZE = 184;

// co_flags
export const CO_OPTIMIZED = 0x0001;
export const CO_NEWLOCALS = 0x0002;
export const CO_VARARGS = 0x0004;
export const CO_VARKEYWORDS = 0x0008;
export const CO_NESTED = 0x0010;
export const CO_GENERATOR = 0x0020;
// co_localspluskinds
export const CO_FAST_LOCAL = 0x20;
export const CO_FAST_CELL = 0x40;
export const CO_FAST_FREE = 0x80;

const OBJECT_FIELDS = [CO_CONSTS, CO_NAMES, CO_EXCEPTIONTABLE, CO_LOCALSPLUSNAMES, CO_LOCALSPLUSKINDS, CO_FILENAME, CO_NAME, CO_QUALNAME, CO_LINETABLE];

/** JS-side decoded caches (Rule 1: rebuildable from the heap, dropped on dealloc). */
const positionsCache = new Map<Ptr, Int32Array>();
export const codeDeallocHooks: ((co: Ptr) => void)[] = [];

function code_dealloc(co: Ptr): void {
  for (const h of codeDeallocHooks) h(co);
  positionsCache.delete(co);
  for (const off of OBJECT_FIELDS) Py_XDECREF(I32[(co + off) >> 2]);
  PyObject_Free(co);
}

function code_repr(co: Ptr): Ptr {
  const name = unicodeToJs(I32[(co + CO_NAME) >> 2]);
  const file = unicodeToJs(I32[(co + CO_FILENAME) >> 2]);
  return PyUnicode_FromString(`<code object ${name} at 0x${co.toString(16)}, file "${file}", line ${I32[(co + CO_FIRSTLINENO) >> 2]}>`);
}

function objField(name: string, off: number): GetSetDef {
  return {
    name,
    get: (co: Ptr) => {
      const v = I32[(co + off) >> 2];
      Py_INCREF(v);
      return v;
    },
  };
}
function intField(name: string, off: number): GetSetDef {
  return { name, get: (co: Ptr) => PyLong_FromNumber(I32[(co + off) >> 2]) };
}
/** co_varnames / co_cellvars / co_freevars: the localsplus names of one kind, as a tuple. */
function namesOfKind(name: string, want: (kind: number) => boolean): GetSetDef {
  return {
    name,
    get: (co: Ptr) => {
      const n = I32[(co + CO_NLOCALSPLUS) >> 2];
      const picked: Ptr[] = [];
      for (let i = 0; i < n; i++) if (want(localKind(co, i))) picked.push(localName(co, i));
      const t = PyTuple_New(picked.length);
      if (t === NULL) return NULL;
      picked.forEach((p, i) => {
        Py_INCREF(p);
        PyTuple_SET_ITEM(t, i, p);
      });
      return t;
    },
  };
}
const codeGetSets: GetSetDef[] = [
  objField('co_consts', CO_CONSTS),
  objField('co_names', CO_NAMES),
  objField('co_filename', CO_FILENAME),
  objField('co_name', CO_NAME),
  objField('co_qualname', CO_QUALNAME),
  objField('co_linetable', CO_LINETABLE),
  objField('co_exceptiontable', CO_EXCEPTIONTABLE),
  intField('co_flags', CO_FLAGS),
  intField('co_argcount', CO_ARGCOUNT),
  intField('co_posonlyargcount', CO_POSONLYARGCOUNT),
  intField('co_kwonlyargcount', CO_KWONLYARGCOUNT),
  intField('co_stacksize', CO_STACKSIZE),
  intField('co_firstlineno', CO_FIRSTLINENO),
  intField('co_nlocals', CO_NLOCALS),
  namesOfKind('co_varnames', (k) => (k & CO_FAST_LOCAL) !== 0),
  namesOfKind('co_cellvars', (k) => (k & CO_FAST_CELL) !== 0),
  namesOfKind('co_freevars', (k) => (k & CO_FAST_FREE) !== 0),
  {
    name: 'co_code',
    get: (co: Ptr) => {
      // the bytecode as CPython shows it (≈ _PyCode_GetCode): the eval loop keeps its inline
      // caches in the CACHE units of co_code_adaptive; co_code shows them zeroed
      const n = I32[(co + 16) >> 2];
      const bytes = U8.slice(co + CO_CODE_ADAPTIVE, co + CO_CODE_ADAPTIVE + 2 * n);
      for (let i = 0; i < n; ) {
        const caches = CACHE_ENTRIES[bytes[2 * i]] ?? 0;
        i++;
        for (let j = 0; j < caches && i < n; j++, i++) bytes[2 * i] = bytes[2 * i + 1] = 0;
      }
      return PyBytes_FromJsBytes(bytes);
    },
  },
];

export const PyCode_Type: Ptr = newStaticType({
  name: 'code',
  basicsize: CODE_BASICSIZE,
  itemsize: 2,
  slots: {
    tp_dealloc: code_dealloc,
    tp_repr: code_repr,
    getsets: codeGetSets,
    tp_sizeof: (co: Ptr) => (CODE_BASICSIZE + 2 * I32[(co + 16) >> 2] + 7) & ~7,
  },
});

export interface CodeSpec {
  argcount: number;
  posonlyargcount: number;
  kwonlyargcount: number;
  flags: number;
  stacksize: number;
  firstlineno: number;
  nlocalsplus: number;
  nlocals: number;
  ncellvars: number;
  nfreevars: number;
  /** all objects: new references, stolen by PyCode_New */
  consts: Ptr;
  names: Ptr;
  localsplusnames: Ptr;
  localspluskinds: Ptr;
  filename: Ptr;
  name: Ptr;
  qualname: Ptr;
  linetable: Ptr;
  exceptiontable: Ptr;
  code: Uint8Array;
}

/** ≈ PyCode_New (3.11 _PyCode_New): steals the object fields of `spec`. New reference or NULL. */
export function PyCode_New(spec: CodeSpec): Ptr {
  const nunits = spec.code.length >> 1;
  const co = PyObject_NewVar(PyCode_Type, nunits);
  if (co === NULL) {
    for (const p of [spec.consts, spec.names, spec.localsplusnames, spec.localspluskinds, spec.filename, spec.name, spec.qualname, spec.linetable, spec.exceptiontable]) Py_XDECREF(p);
    return PyErr_NoMemory();
  }
  I32.fill(0, (co + 24) >> 2, (co + CODE_BASICSIZE) >> 2);
  const set = (off: number, v: Ptr) => {
    I32[(co + off) >> 2] = v;
    I32[(co + off + 4) >> 2] = 0;
  };
  set(CO_CONSTS, spec.consts);
  set(CO_NAMES, spec.names);
  set(CO_EXCEPTIONTABLE, spec.exceptiontable);
  I32[(co + CO_FLAGS) >> 2] = spec.flags;
  I16[(co + CO_WARMUP) >> 1] = 0;
  I32[(co + CO_ARGCOUNT) >> 2] = spec.argcount;
  I32[(co + CO_POSONLYARGCOUNT) >> 2] = spec.posonlyargcount;
  I32[(co + CO_KWONLYARGCOUNT) >> 2] = spec.kwonlyargcount;
  I32[(co + CO_STACKSIZE) >> 2] = spec.stacksize;
  I32[(co + CO_FIRSTLINENO) >> 2] = spec.firstlineno;
  I32[(co + CO_NLOCALSPLUS) >> 2] = spec.nlocalsplus;
  I32[(co + CO_NLOCALS) >> 2] = spec.nlocals;
  I32[(co + CO_NCELLVARS) >> 2] = spec.ncellvars;
  I32[(co + CO_NFREEVARS) >> 2] = spec.nfreevars;
  set(CO_LOCALSPLUSNAMES, spec.localsplusnames);
  set(CO_LOCALSPLUSKINDS, spec.localspluskinds);
  set(CO_FILENAME, spec.filename);
  set(CO_NAME, spec.name);
  set(CO_QUALNAME, spec.qualname);
  set(CO_LINETABLE, spec.linetable);
  U8.set(spec.code, co + CO_CODE_ADAPTIVE);
  return co;
}

export function PyCode_Check(o: Ptr): boolean {
  return I32[(o + 8) >> 2] === PyCode_Type;
}
export function codeName(co: Ptr): string {
  return unicodeToJs(I32[(co + CO_NAME) >> 2]);
}
export function codeFilename(co: Ptr): string {
  return unicodeToJs(I32[(co + CO_FILENAME) >> 2]);
}
/** The name of local slot i (borrowed str). */
export function localName(co: Ptr, i: number): Ptr {
  return PyTuple_GET_ITEM(I32[(co + CO_LOCALSPLUSNAMES) >> 2], i);
}
export function localKind(co: Ptr, i: number): number {
  return U8[PyBytes_AS_STRING(I32[(co + CO_LOCALSPLUSKINDS) >> 2]) + i];
}
export function codeNameAt(co: Ptr, i: number): Ptr {
  return PyTuple_GET_ITEM(I32[(co + CO_NAMES) >> 2], i);
}
export function codeConstAt(co: Ptr, i: number): Ptr {
  return PyTuple_GET_ITEM(I32[(co + CO_CONSTS) >> 2], i);
}
export function codeNUnits(co: Ptr): number {
  return I32[(co + 16) >> 2];
}
export function codeConstsCount(co: Ptr): number {
  return PyTuple_GET_SIZE(I32[(co + CO_CONSTS) >> 2]);
}

// ---- positions (≈ _PyCode_InitAddressRange / PyCode_Addr2Location over the 3.11 table) ----
/** Decoded positions: 4 int32 per code unit (line, endLine, col, endCol; -1 = none). */
export function codePositions(co: Ptr): Int32Array {
  let p = positionsCache.get(co);
  if (p !== undefined) return p;
  const n = codeNUnits(co);
  p = new Int32Array(4 * n).fill(-1);
  const lt = I32[(co + CO_LINETABLE) >> 2];
  const base = PyBytes_AS_STRING(lt);
  const end = base + PyBytes_GET_SIZE(lt);
  let pos = base;
  let line = I32[(co + CO_FIRSTLINENO) >> 2];
  let unit = 0;
  const readVarint = (): number => {
    let b = U8[pos++];
    let val = b & 63;
    let shift = 0;
    while (b & 64) {
      b = U8[pos++];
      shift += 6;
      val |= (b & 63) << shift;
    }
    return val;
  };
  const readSVarint = (): number => {
    const u = readVarint();
    return u & 1 ? -(u >> 1) : u >> 1;
  };
  while (pos < end) {
    const first = U8[pos++];
    const code = (first >> 3) & 15;
    const length = (first & 7) + 1;
    let l = -1, el = -1, c = -1, ec = -1;
    if (code === 15) {
      // no location
    } else if (code === 14) {
      line += readSVarint();
      l = line;
      el = line + readVarint();
      c = readVarint() - 1;
      ec = readVarint() - 1;
    } else if (code === 13) {
      line += readSVarint();
      l = el = line;
    } else if (code === 10 || code === 11 || code === 12) {
      line += code - 10;
      l = el = line;
      c = U8[pos++];
      ec = U8[pos++];
    } else {
      // short form: code 0..9
      const second = U8[pos++];
      l = el = line;
      c = code * 8 + ((second >> 4) & 7);
      ec = c + (second & 15);
    }
    for (let k = 0; k < length && unit < n; k++, unit++) {
      p[4 * unit] = l;
      p[4 * unit + 1] = el;
      p[4 * unit + 2] = c;
      p[4 * unit + 3] = ec;
    }
  }
  positionsCache.set(co, p);
  return p;
}

/** ≈ PyCode_Addr2Line: the line of the instruction at byte offset `offset` (-1 if none). */
export function PyCode_Addr2Line(co: Ptr, offset: number): number {
  if (offset < 0) return I32[(co + CO_FIRSTLINENO) >> 2];
  const p = codePositions(co);
  const u = offset >> 1;
  return u < p.length / 4 ? p[4 * u] : -1;
}

