// Shared helpers for the exception and traceback tests: interpreter wiring without the VM, and a
// tiny Python-literal reader that builds heap objects for constructor calls like
// `OSError(2, "nf", "a.txt")` or `NameError("m", name="x")`.
import { I32 } from '../../../../runtime/mem/heap.js';
import { type Ptr, NULL, Py_DECREF, Py_INCREF, Py_TYPE } from '../../../../runtime/object.js';
import { typeName } from '../../../../runtime/typeobject.js';
import {
  readyAllStaticTypes, setKeyErrorType, setPlainObjectAlloc,
} from '../../../../runtime/typeready.js';
import { setKwnamesToDict } from '../../../../runtime/objects/methodobject.js';
import { dictItemsHook, PyObject_Call } from '../../../../runtime/call.js';
import { dataStackInit } from '../../../../runtime/pystate.js';
import { PyErr_Fetch, pendingMessage } from '../../../../runtime/errors.js';
import { PyDict_New, PyDict_SetItem, PyDict_Size, PyDict_Next, DICT_NEXT } from '../../../../runtime/objects/dictobject.js';
import { PyTuple_New, PyTuple_SET_ITEM, PyTuple_GET_SIZE, PyTuple_GET_ITEM } from '../../../../runtime/objects/tupleobject.js';
import { PyList_New, PyList_SET_ITEM } from '../../../../runtime/objects/listobject.js';
import { PyUnicode_FromString, unicodeToJs } from '../../../../runtime/objects/unicodeobject.js';
import { PyLong_FromBigInt } from '../../../../runtime/objects/longobject.js';
import { PyFloat_FromDouble } from '../../../../runtime/objects/floatobject.js';
import { PyBytes_FromJsBytes } from '../../../../runtime/objects/bytesobject.js';
import { Py_None } from '../../../../runtime/objects/noneobject.js';
import { Py_True, Py_False } from '../../../../runtime/objects/boolobject.js';
import { PyObject_Repr, PyObject_Str } from '../../../../runtime/abstract.js';
import { builtinExceptionTypes, PyExc_KeyError, _PyExc_Init } from '../../../../runtime/objects/exceptions.js';
import '../../../../runtime/objects/funcobject.js';
import '../../../../runtime/objects/descrobject.js';

let wired = false;
/** The part of Py_Initialize these tests need (types ready, hooks, data stack, exception state). */
export function wire(): void {
  if (wired) return;
  wired = true;
  const kwnamesToDict = (values: number, kwnames: Ptr): Ptr => {
    const d = PyDict_New();
    for (let i = 0; i < PyTuple_GET_SIZE(kwnames); i++) PyDict_SetItem(d, PyTuple_GET_ITEM(kwnames, i), I32[(values + 8 * i) >> 2]);
    return d;
  };
  setKwnamesToDict(kwnamesToDict);
  dictItemsHook.size = PyDict_Size;
  dictItemsHook.unpack = (kwargs: Ptr, values: number): Ptr => {
    const names = PyTuple_New(PyDict_Size(kwargs));
    let i = 0;
    for (let pos = PyDict_Next(kwargs, 0); pos >= 0; pos = PyDict_Next(kwargs, pos)) {
      Py_INCREF(DICT_NEXT.key);
      PyTuple_SET_ITEM(names, i, DICT_NEXT.key);
      I32[(values + 8 * i) >> 2] = DICT_NEXT.value;
      I32[(values + 8 * i + 4) >> 2] = 0;
      i++;
    }
    return names;
  };
  setKeyErrorType(PyExc_KeyError);
  setPlainObjectAlloc(() => NULL);
  readyAllStaticTypes();
  dataStackInit();
  if (_PyExc_Init() < 0) throw new Error('_PyExc_Init failed');
}

export function excType(name: string): Ptr {
  const t = builtinExceptionTypes.find((x) => typeName(x) === name);
  if (t === undefined) throw new Error('no exception type ' + name);
  return t;
}

export function js(o: Ptr): string {
  return unicodeToJs(o);
}
export function reprJs(o: Ptr): string {
  const r = PyObject_Repr(o);
  if (r === NULL) throw new Error('repr failed: ' + pendingMessage());
  const s = unicodeToJs(r);
  Py_DECREF(r);
  return s;
}
export function strJs(o: Ptr): string {
  const r = PyObject_Str(o);
  if (r === NULL) throw new Error('str failed: ' + pendingMessage());
  const s = unicodeToJs(r);
  Py_DECREF(r);
  return s;
}

// ---- a reader for the literal subset used by the fixtures ----
class Reader {
  i = 0;
  constructor(readonly s: string) {}
  ws(): void {
    while (this.s[this.i] === ' ') this.i++;
  }
  peek(): string {
    this.ws();
    return this.s[this.i];
  }
  eat(c: string): void {
    this.ws();
    if (this.s[this.i] !== c) throw new Error(`expected ${c} at ${this.i} in ${this.s}`);
    this.i++;
  }
  ident(): string {
    this.ws();
    const m = /^[A-Za-z_][A-Za-z_0-9]*/.exec(this.s.slice(this.i));
    if (m === null) throw new Error('identifier expected in ' + this.s);
    this.i += m[0].length;
    return m[0];
  }
  str(): string | number[] {
    let bytes = false;
    if (this.s[this.i] === 'b') {
      bytes = true;
      this.i++;
    }
    const q = this.s[this.i++];
    let out = '';
    for (;;) {
      const c = this.s[this.i++];
      if (c === q) break;
      if (c !== '\\') {
        out += c;
        continue;
      }
      const e = this.s[this.i++];
      if (e === 'n') out += '\n';
      else if (e === 't') out += '\t';
      else if (e === 'x') { out += String.fromCodePoint(parseInt(this.s.slice(this.i, this.i + 2), 16)); this.i += 2; }
      else if (e === 'u') { out += String.fromCodePoint(parseInt(this.s.slice(this.i, this.i + 4), 16)); this.i += 4; }
      else if (e === 'U') { out += String.fromCodePoint(parseInt(this.s.slice(this.i, this.i + 8), 16)); this.i += 8; }
      else out += e;
    }
    return bytes ? Array.from(out, (ch) => ch.charCodeAt(0)) : out;
  }
  /** A value: new reference. */
  value(): Ptr {
    const c = this.peek();
    if (c === '"' || c === "'" || (c === 'b' && (this.s[this.i + 1] === '"' || this.s[this.i + 1] === "'"))) {
      const v = this.str();
      return typeof v === 'string' ? PyUnicode_FromString(v) : PyBytes_FromJsBytes(v);
    }
    if (c === '(' || c === '[') {
      const close = c === '(' ? ')' : ']';
      this.i++;
      const items: Ptr[] = [];
      while (this.peek() !== close) {
        items.push(this.value());
        if (this.peek() === ',') this.i++;
      }
      this.i++;
      const t = c === '(' ? PyTuple_New(items.length) : PyList_New(items.length);
      items.forEach((x, k) => (c === '(' ? PyTuple_SET_ITEM(t, k, x) : PyList_SET_ITEM(t, k, x)));
      return t;
    }
    const m = /^-?[0-9][0-9.]*/.exec(this.s.slice(this.i));
    if (m !== null) {
      this.i += m[0].length;
      return m[0].includes('.') ? PyFloat_FromDouble(Number(m[0])) : PyLong_FromBigInt(BigInt(m[0]));
    }
    const id = this.ident();
    const k = id === 'None' ? Py_None : id === 'True' ? Py_True : id === 'False' ? Py_False : NULL;
    if (k === NULL) throw new Error('unknown name ' + id);
    Py_INCREF(k);
    return k;
  }
}

/** Evaluate `Type(args..., kw=...)` with the runtime: the new instance, or NULL with the error set. */
export function construct(src: string): Ptr {
  const r = new Reader(src);
  const t = excType(r.ident());
  r.eat('(');
  const args: Ptr[] = [];
  const kw: [string, Ptr][] = [];
  while (r.peek() !== ')') {
    const save = r.i;
    const m = /^\s*([A-Za-z_][A-Za-z_0-9]*)\s*=(?!=)/.exec(src.slice(r.i));
    if (m !== null && !['None', 'True', 'False'].includes(m[1])) {
      r.i += m[0].length;
      kw.push([m[1], r.value()]);
    } else {
      r.i = save;
      args.push(r.value());
    }
    if (r.peek() === ',') r.i++;
  }
  const tuple = PyTuple_New(args.length);
  args.forEach((a, i) => PyTuple_SET_ITEM(tuple, i, a));
  let kwargs: Ptr = NULL;
  if (kw.length > 0) {
    kwargs = PyDict_New();
    for (const [k, v] of kw) {
      const key = PyUnicode_FromString(k);
      PyDict_SetItem(kwargs, key, v);
      Py_DECREF(key);
      Py_DECREF(v);
    }
  }
  const e = PyObject_Call(t, tuple, kwargs);
  Py_DECREF(tuple);
  if (kwargs !== NULL) Py_DECREF(kwargs);
  return e;
}

/** Take the pending exception as (type name, str). */
export function takeException(): [string, string] {
  const e = PyErr_Fetch();
  if (e === NULL) throw new Error('no exception pending');
  const r: [string, string] = [typeName(Py_TYPE(e)), strJs(e)];
  Py_DECREF(e);
  return r;
}

import { getAllocatedBlocks } from '../../../../runtime/mem/pymem.js';
/** Run `body` twice and return the blocks it leaked the second time (the first run fills caches
 *  that legitimately stay: interned names, the type attribute cache). */
export function leakedBlocks(body: () => void): number {
  body();
  const base = getAllocatedBlocks();
  body();
  return getAllocatedBlocks() - base;
}
