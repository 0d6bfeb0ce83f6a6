// Writing the compiler's code objects into the heap (≈ what marshal.loads / the end of
// compile() do in CPython: _PyCode_New with interned names and merged constants).
//
// Identity is preserved: the compiler hands over merged constants as shared JS objects, and
// every distinct JS Const becomes exactly one heap object (a Map from Const to address for the
// duration of one load). Strings made only of name characters are interned, as 3.11's
// intern_string_constants does; names and local names always are.

import type { CodeUnit, Const, ConstTuple } from './code.js';
import { type Ptr, NULL } from '../../runtime/mem/heap.js';
import { Py_DECREF, Py_INCREF } from '../../runtime/object.js';
import { PyErr_SetString } from '../../runtime/errors.js';
import { PyExc_SystemError } from '../../runtime/objects/exceptions.js';
import { Py_None, Py_Ellipsis } from '../../runtime/objects/noneobject.js';
import { Py_True, Py_False } from '../../runtime/objects/boolobject.js';
import { PyLong_FromBigInt } from '../../runtime/objects/longobject.js';
import { PyFloat_FromDouble } from '../../runtime/objects/floatobject.js';
import { PyUnicode_FromString, PyUnicode_Intern } from '../../runtime/objects/unicodeobject.js';
import { PyBytes_FromJsBytes } from '../../runtime/objects/bytesobject.js';
import { PyTuple_New, PyTuple_SET_ITEM } from '../../runtime/objects/tupleobject.js';
import { PyFrozenSet_New, PySet_Add } from '../../runtime/objects/setobject.js';
import { PyCode_New } from '../../runtime/objects/codeobject.js';

export interface LoadedCode {
  /** the module's code object (new reference) */
  code: Ptr;
  /** the heap objects of `arenaConstants` (borrowed: owned by the code objects) */
  arena: Ptr[];
}

class Loader {
  private readonly objs = new Map<object, Ptr>();
  private readonly strs = new Map<string, Ptr>();

  /** A new reference to the heap object of `c` (created once per distinct Const). */
  obj(c: Const): Ptr {
    const known = this.objs.get(c);
    if (known !== undefined) {
      Py_INCREF(known);
      return known;
    }
    const o = this.make(c);
    if (o === NULL) return NULL;
    this.objs.set(c, o);
    // the map keeps a reference until the load ends
    Py_INCREF(o);
    return o;
  }

  private make(c: Const): Ptr {
    switch (c.kind) {
      case 'None':
        Py_INCREF(Py_None);
        return Py_None;
      case 'Ellipsis':
        Py_INCREF(Py_Ellipsis);
        return Py_Ellipsis;
      case 'bool': {
        const b = c.value ? Py_True : Py_False;
        Py_INCREF(b);
        return b;
      }
      case 'int':
        return PyLong_FromBigInt(c.value);
      case 'float':
        return PyFloat_FromDouble(c.value);
      case 'complex':
        PyErr_SetString(PyExc_SystemError, 'complex constants are not supported by pymem');
        return NULL;
      case 'str':
        return c.interned ? this.name(c.value) : PyUnicode_FromString(c.value);
      case 'bytes':
        return PyBytes_FromJsBytes(c.value);
      case 'tuple':
        return this.tuple(c.items);
      case 'frozenset': {
        const fs = PyFrozenSet_New(NULL);
        if (fs === NULL) return NULL;
        for (const item of c.items) {
          const o = this.obj(item);
          if (o === NULL || PySet_Add(fs, o) < 0) {
            Py_DECREF(fs);
            return NULL;
          }
          Py_DECREF(o);
        }
        return fs;
      }
      case 'code':
        return this.code(c);
    }
  }

  /** an interned str (new reference) */
  name(s: string): Ptr {
    const known = this.strs.get(s);
    if (known !== undefined) {
      Py_INCREF(known);
      return known;
    }
    const raw = PyUnicode_FromString(s);
    if (raw === NULL) return NULL;
    const o = PyUnicode_Intern(raw);
    this.strs.set(s, o);
    Py_INCREF(o);
    return o;
  }

  tuple(items: Const[]): Ptr {
    const t = PyTuple_New(items.length);
    if (t === NULL) return NULL;
    for (let i = 0; i < items.length; i++) {
      const o = this.obj(items[i]);
      if (o === NULL) {
        Py_DECREF(t);
        return NULL;
      }
      PyTuple_SET_ITEM(t, i, o);
    }
    return t;
  }

  /** a tuple of interned names, shared when the compiler shares the tuple object */
  nameTuple(t: ConstTuple): Ptr {
    const known = this.objs.get(t);
    if (known !== undefined) {
      Py_INCREF(known);
      return known;
    }
    const tup = PyTuple_New(t.items.length);
    if (tup === NULL) return NULL;
    for (let i = 0; i < t.items.length; i++) {
      const item = t.items[i];
      const o = item.kind === 'str' ? this.name(item.value) : this.obj(item);
      if (o === NULL) {
        Py_DECREF(tup);
        return NULL;
      }
      PyTuple_SET_ITEM(tup, i, o);
    }
    this.objs.set(t, tup);
    Py_INCREF(tup);
    return tup;
  }

  code(u: CodeUnit): Ptr {
    const consts = this.objs.has(u.co_consts_obj) ? this.obj(u.co_consts_obj) : this.constsTuple(u.co_consts_obj);
    const names = this.nameTuple(u.co_names_obj);
    const lpn = this.nameTuple(u.co_localsplusnames_obj);
    const kinds = PyBytes_FromJsBytes(u.co_localspluskinds);
    const filename = this.filename(u.co_filename);
    const name = this.name(u.co_name);
    const qualname = this.name(u.co_qualname);
    const linetable = PyBytes_FromJsBytes(u.co_linetable);
    const exctable = PyBytes_FromJsBytes(u.co_exceptiontable);
    if ([consts, names, lpn, kinds, filename, name, qualname, linetable, exctable].some((p) => p === NULL)) return NULL;
    return PyCode_New({
      argcount: u.co_argcount,
      posonlyargcount: u.co_posonlyargcount,
      kwonlyargcount: u.co_kwonlyargcount,
      flags: u.co_flags,
      stacksize: u.co_stacksize,
      firstlineno: u.co_firstlineno,
      nlocalsplus: u.co_nlocalsplus,
      nlocals: u.co_nlocals,
      ncellvars: u.co_cellvars.length,
      nfreevars: u.co_freevars.length,
      consts,
      names,
      localsplusnames: lpn,
      localspluskinds: kinds,
      filename,
      name,
      qualname,
      linetable,
      exceptiontable: exctable,
      code: u.co_code,
    });
  }

  private constsTuple(t: ConstTuple): Ptr {
    const tup = this.tuple(t.items);
    if (tup === NULL) return NULL;
    this.objs.set(t, tup);
    Py_INCREF(tup);
    return tup;
  }

  private fname: Ptr = NULL;
  private fnameText = '';
  filename(s: string): Ptr {
    if (this.fname === NULL || this.fnameText !== s) {
      const o = PyUnicode_FromString(s);
      if (o === NULL) return NULL;
      if (this.fname !== NULL) Py_DECREF(this.fname);
      this.fname = o;
      this.fnameText = s;
    }
    Py_INCREF(this.fname);
    return this.fname;
  }

  /** Drop the loader's own references (everything stays alive through the code objects). */
  release(): void {
    for (const o of this.objs.values()) Py_DECREF(o);
    for (const o of this.strs.values()) Py_DECREF(o);
    if (this.fname !== NULL) Py_DECREF(this.fname);
    this.objs.clear();
    this.strs.clear();
  }

  lookup(c: Const): Ptr {
    return this.objs.get(c) ?? NULL;
  }
}

/** Write a compiled module into the heap. Returns NULL (with an exception set) on failure. */
export function loadCode(unit: CodeUnit, arenaConstants: Const[]): LoadedCode | null {
  const l = new Loader();
  const code = l.code(unit);
  if (code === NULL) {
    l.release();
    return null;
  }
  const arena: Ptr[] = [];
  for (const c of arenaConstants) {
    const o = l.lookup(c);
    if (o !== NULL) arena.push(o);
  }
  l.release();
  return { code, arena };
}
