// Shared helpers for the str/bytes fixture tests (not a test file itself).
// floatobject first: it reads longobject's PyHASH_MODULUS at load time, which an import cycle
// starting from unicodeobject would leave undefined.
import '../../../../runtime/objects/floatobject.js';
import { expect } from 'vitest';
import { I32 } from '../../../../runtime/mem/heap.js';
import { getAllocatedBlocks, PyMem_Malloc, PyMem_Free } from '../../../../runtime/mem/pymem.js';
import { Py_DECREF, Py_INCREF, OB_TYPE, HASH_HI, hashToBigInt } from '../../../../runtime/object.js';
import { slotsOf, typeName, type MethodDef, METH_NOARGS, METH_O, METH_FASTCALL, METH_KEYWORDS, Py_LT, Py_LE, Py_EQ, Py_NE, Py_GT, Py_GE } from '../../../../runtime/typeobject.js';
import { PyErr_Occurred, PyErr_Clear, PyErr_Fetch, pendingMessage } from '../../../../runtime/errors.js';
import {
  PyNumber_Add, PyNumber_Multiply, PyNumber_Remainder, PySequence_Contains, PyObject_GetItem, PyObject_RichCompare,
  PyObject_Repr, PyObject_Str, PyObject_Hash, PyObject_Size, PyObject_GetIter, PyIter_Next,
} from '../../../../runtime/abstract.js';
import { PyLong_FromBigInt, PyLong_AsBigInt, PyLong_Check, PyLong_Type } from '../../../../runtime/objects/longobject.js';
import { PyBool_FromLong } from '../../../../runtime/objects/boolobject.js';
import { Py_True, Py_False } from '../../../../runtime/objects/longobject.js';
import { Py_None } from '../../../../runtime/objects/noneobject.js';
import { PyFloat_FromDouble, PyFloat_Type, PyFloat_AS_DOUBLE, clearFreeLists as floatClear } from '../../../../runtime/objects/floatobject.js';
import { PyTuple_New, PyTuple_SET_ITEM, PyTuple_Type, PyTuple_ClearFreeList } from '../../../../runtime/objects/tupleobject.js';
import { PyList_New, PyList_SET_ITEM, PyList_Type, PyList_ClearFreeList, LIST_ITEMS, LIST_ALLOCATED } from '../../../../runtime/objects/listobject.js';
import { PyDict_New, PyDict_SetItem, PyDict_Next, DICT_NEXT, PyDict_Type, PyDict_ClearFreeList } from '../../../../runtime/objects/dictobject.js';
import { PySlice_New, PySlice_ClearCache } from '../../../../runtime/objects/sliceobject.js';
import { PyBytes_FromJsBytes, PyBytes_Type, bytesAsU8, bytes_sizeof } from '../../../../runtime/objects/bytesobject.js';
import {
  PyUnicode_Type, PyUnicode_FromCodePoints, PyUnicode_GET_LENGTH, PyUnicode_READ_CHAR, unicode_sizeof, unicode_repr,
  unicode_ascii_escape, unicodeToJs,
} from '../../../../runtime/objects/unicodeobject.js';


export type V = Record<string, unknown>;
export class Skip extends Error {}

/** Build an object from its tagged encoding (new reference). */
export function dec(v: V): number {
  if ('s' in v) return PyUnicode_FromCodePoints(v.s as number[]);
  if ('i' in v) return PyLong_FromBigInt(BigInt(v.i as string));
  if ('B' in v) return PyBool_FromLong(v.B ? 1 : 0);
  if ('N' in v) { Py_INCREF(Py_None); return Py_None; }
  if ('f' in v) return PyFloat_FromDouble(Number(v.f));
  if ('y' in v) return PyBytes_FromJsBytes(v.y as number[]);
  if ('t' in v) {
    const items = v.t as V[];
    const t = PyTuple_New(items.length);
    items.forEach((x, i) => PyTuple_SET_ITEM(t, i, dec(x)));
    return t;
  }
  if ('l' in v) {
    const items = v.l as V[];
    const l = PyList_New(items.length);
    items.forEach((x, i) => PyList_SET_ITEM(l, i, dec(x)));
    return l;
  }
  if ('d' in v) {
    const d = PyDict_New();
    for (const [k, x] of v.d as [V, V][]) {
      const ko = dec(k), xo = dec(x);
      PyDict_SetItem(d, ko, xo);
      Py_DECREF(ko); Py_DECREF(xo);
    }
    return d;
  }
  if ('range' in v) {
    const items = v.range as number[];
    const l = PyList_New(items.length);
    items.forEach((x, i) => PyList_SET_ITEM(l, i, PyLong_FromBigInt(BigInt(x))));
    return l;
  }
  if ('slice' in v) {
    const [a, b, c] = (v.slice as V[]).map(dec);
    const s = PySlice_New(a, b, c ?? Py_None);
    Py_DECREF(a); Py_DECREF(b); if (c !== undefined) Py_DECREF(c);
    return s;
  }
  throw new Skip('needs ' + Object.keys(v)[0]);
}

/** Encode an object as the fixture does (for comparison). */
export function enc(o: number): unknown {
  const t = I32[(o + OB_TYPE) >> 2];
  if (o === Py_None) return { N: 0 };
  if (o === Py_True || o === Py_False) return { B: o === Py_True };
  if (t === PyUnicode_Type) {
    const n = PyUnicode_GET_LENGTH(o);
    const cps: number[] = [];
    for (let i = 0; i < n; i++) cps.push(PyUnicode_READ_CHAR(o, i));
    return { s: cps };
  }
  if (t === PyLong_Type || PyLong_Check(o)) return { i: PyLong_AsBigInt(o).toString() };
  if (t === PyFloat_Type) return { f: String(PyFloat_AS_DOUBLE(o)) };
  if (t === PyBytes_Type) return { y: Array.from(bytesAsU8(o)) };
  if (t === PyTuple_Type) {
    const n = I32[(o + 16) >> 2];
    const r: unknown[] = [];
    for (let i = 0; i < n; i++) r.push(enc(I32[(o + 24 + 8 * i) >> 2]));
    return { t: r };
  }
  if (t === PyList_Type) {
    const n = I32[(o + 16) >> 2];
    const items = I32[(o + LIST_ITEMS) >> 2];
    const r: unknown[] = [];
    for (let i = 0; i < n; i++) r.push(enc(I32[(items + 8 * i) >> 2]));
    return { l: r, cap: I32[(o + LIST_ALLOCATED) >> 2] };
  }
  if (t === PyDict_Type) {
    const r: unknown[] = [];
    for (let pos = PyDict_Next(o, 0); pos >= 0; pos = PyDict_Next(o, pos)) r.push([enc(DICT_NEXT.key), enc(DICT_NEXT.value)]);
    return { d: r };
  }
  return { unknown: typeName(t) };
}

export function sizeOf(o: number): number | undefined {
  const t = I32[(o + OB_TYPE) >> 2];
  if (t === PyUnicode_Type) return unicode_sizeof(o);
  if (t === PyList_Type) return 56 + 8 * I32[(o + LIST_ALLOCATED) >> 2];
  if (t === PyBytes_Type) return bytes_sizeof(o);
  return undefined;
}

export function errOf(): [string, string | null] {
  const t = PyErr_Occurred();
  expect(t, 'an exception is set').not.toBe(0);
  const name = typeName(t);
  let msg = pendingMessage();
  if (msg === null) {
    // raised with an object (KeyError(key), UnicodeEncodeError(...)): normalize and take str(exc)
    const exc = PyErr_Fetch();
    const s = exc === 0 ? 0 : PyObject_Str(exc);
    if (s !== 0) {
      msg = unicodeToJs(s);
      Py_DECREF(s);
    }
    if (exc !== 0) Py_DECREF(exc);
  }
  PyErr_Clear();
  return [name, msg];
}

export function methodMap(type: number): Map<string, MethodDef> {
  return new Map(slotsOf(type).methods.map((m) => [m.name, m]));
}

export function callMethod(methods: Map<string, MethodDef>, self: number, name: string, args: number[], kw: [string, number][]): number {
  const m = methods.get(name);
  if (m === undefined) throw new Skip('no method ' + name);
  const n = args.length + kw.length;
  const buf = PyMem_Malloc(8 * n + 8);
  [...args, ...kw.map((k) => k[1])].forEach((a, i) => { I32[(buf + 8 * i) >> 2] = a; I32[(buf + 8 * i + 4) >> 2] = 0; });
  let kwnames = 0;
  try {
    if (m.flags & METH_NOARGS) {
      if (n !== 0) throw new Skip('lead checks METH_NOARGS arity');
      return m.fn(self, 0, 0, 0);
    }
    if (m.flags & METH_O) {
      if (args.length !== 1 || kw.length) throw new Skip('lead checks METH_O arity');
      return m.fn(self, args[0], 0, 0);
    }
    if (kw.length) {
      if (!(m.flags & METH_KEYWORDS)) throw new Skip('lead rejects keywords');
      kwnames = PyTuple_New(kw.length);
      kw.forEach(([k], i) => PyTuple_SET_ITEM(kwnames, i, PyUnicode_FromCodePoints(Array.from(k, (c) => c.codePointAt(0)!))));
    }
    return m.fn(self, buf, args.length, kwnames);
  } finally {
    if (kwnames) Py_DECREF(kwnames);
    PyMem_Free(buf);
  }
}

export function callOp(self: number, op: string, a: number): number {
  switch (op) {
    case 'add': return PyNumber_Add(self, a);
    case 'mul': return PyNumber_Multiply(self, a);
    case 'mod': return PyNumber_Remainder(self, a);
    case 'contains': { const r = PySequence_Contains(self, a); return r < 0 ? 0 : PyBool_FromLong(r); }
    case 'getitem': return PyObject_GetItem(self, a);
    case 'lt': return PyObject_RichCompare(self, a, Py_LT);
    case 'le': return PyObject_RichCompare(self, a, Py_LE);
    case 'eq': return PyObject_RichCompare(self, a, Py_EQ);
    case 'ne': return PyObject_RichCompare(self, a, Py_NE);
    case 'gt': return PyObject_RichCompare(self, a, Py_GT);
    case 'ge': return PyObject_RichCompare(self, a, Py_GE);
    case 'repr': return PyObject_Repr(self);
    case 'len': { const n = PyObject_Size(self); return n < 0 ? 0 : PyLong_FromBigInt(BigInt(n)); }
    case 'hash': { const lo = PyObject_Hash(self); return PyLong_FromBigInt(hashToBigInt(lo, HASH_HI[0])); }
    case 'iter': {
      const it = PyObject_GetIter(self);
      const items: number[] = [];
      for (let x = PyIter_Next(it); x !== 0; x = PyIter_Next(it)) items.push(x);
      Py_DECREF(it);
      const l = PyList_New(items.length);
      items.forEach((x, i) => PyList_SET_ITEM(l, i, x));
      return l;
    }
  }
  throw new Error('unknown op ' + op);
}

export function clearFreeLists(): void {
  PyList_ClearFreeList();
  PyTuple_ClearFreeList();
  PyDict_ClearFreeList();
  floatClear();
  PySlice_ClearCache();
}


export type Case = [number, string, V[], [string, V][], V];

/** Run fixture cases [receiver index, method or op:..., args, kwargs, expected] against `methods`;
 *  returns the failure messages (empty = all passed) and checks for leaks. */
export function runCases(recvEnc: V[], cases: Case[], methods: Map<string, MethodDef>): { failures: string[]; checked: number; skipped: Map<string, number> } {
  clearFreeLists();
  const base = getAllocatedBlocks();
  const recvs = recvEnc.map(dec);
  let checked = 0;
  const failures: string[] = [];
  const skipped = new Map<string, number>();
  for (const [ri, meth, argsEnc, kwEnc, expected] of cases) {
    const self = recvs[ri];
    const label = `${JSON.stringify(recvEnc[ri])}.${meth}(${JSON.stringify(argsEnc)} ${JSON.stringify(kwEnc)})`;
    let args: number[] = [];
    let kw: [string, number][] = [];
    try {
      args = argsEnc.map(dec);
      kw = kwEnc.map(([k, v]) => [k, dec(v)]);
      const r = meth.startsWith('op:') ? callOp(self, meth.slice(3), args[0] ?? 0) : callMethod(methods, self, meth, args, kw);
      if ('err' in expected) {
        expect(r, label + ' should fail').toBe(0);
        const [t, msg] = errOf();
        const [et, emsg] = expected.err as [string, string];
        expect(t, label).toBe(et);
        if (msg !== null) expect(msg, label).toBe(emsg);
      } else {
        if (r === 0) {
          const [t, msg] = errOf();
          expect.fail(`${label} raised ${t}: ${msg}`);
        }
        const got = enc(r) as V;
        // list(iter(x)) in the generator grows by appends; only the items matter here
        if (meth === 'op:iter') delete got.cap, delete (expected.ok as V).cap;
        expect(got, label).toEqual(expected.ok);
        // a one-character ASCII str literal in the generator is the compiler's interned constant,
        // not the latin-1 singleton (reference §4.2), so identity is only comparable otherwise
        const r0 = (recvEnc[ri].s ?? recvEnc[ri].y) as number[];
        const oneAsciiStr = recvEnc[ri].s !== undefined && r0.length === 1 && r0[0] < 128;
        if (expected.same !== undefined && !oneAsciiStr) expect(r === self, label + ' identity').toBe(expected.same);
        if (expected.size !== undefined && meth !== 'op:iter') expect(sizeOf(r), label + ' getsizeof').toBe(expected.size);
        Py_DECREF(r);
      }
      checked++;
    } catch (e) {
      if (e instanceof Skip) skipped.set(e.message, (skipped.get(e.message) ?? 0) + 1);
      else {
        failures.push(label + ': ' + String((e as Error).message).split('\n')[0]);
        if (PyErr_Occurred()) PyErr_Clear();
      }
    } finally {
      for (const a of args) Py_DECREF(a);
      for (const [, v] of kw) Py_DECREF(v);
    }
  }
  for (const r of recvs) Py_DECREF(r);
  clearFreeLists();
  if (getAllocatedBlocks() !== base) failures.push(`leak: ${getAllocatedBlocks() - base} blocks`);
  return { failures, checked, skipped };
}
