// Classes at the C-API level: type(name, bases, dict) through PyObject_Vectorcall of `type`,
// instances, attributes in values blocks, teardown order, refcounts, super, errors — against
// values recorded from CPython 3.11 (tests/fixtures/classes/gen_capi_fixtures.py → capi.json).
import { describe, it, expect, beforeAll } from 'vitest';
import { readFileSync } from 'node:fs';
import { I32 } from '../../../../runtime/mem/heap.js';
import { getAllocatedBlocks, PyObject_Free } from '../../../../runtime/mem/pymem.js';
import {
  type Ptr, NULL, Py_DECREF, Py_INCREF, Py_REFCNT, Py_TYPE, MANAGED_DICT_OFFSET, MANAGED_VALUES_OFFSET, PyObject_New,
} from '../../../../runtime/object.js';
import {
  PyType_Type, PyBaseObject_Type, typeName, newStaticType, TP_MRO, HT_CACHED_KEYS, TP_FLAGS, Py_TPFLAGS_MANAGED_DICT,
  PyType_IsSubtype,
} from '../../../../runtime/typeobject.js';
import { PyErr_Occurred, PyErr_Clear, PyErr_Fetch, pendingMessage } from '../../../../runtime/errors.js';
import { PyObject_GetAttr, PyObject_SetAttr, clearMethodCache, _PyType_Lookup } from '../../../../runtime/typeready.js';
import { PyObject_CallArgs, PyObject_Vectorcall } from '../../../../runtime/call.js';
import { PyUnicode_InternFromString, PyUnicode_FromString, unicodeToJs } from '../../../../runtime/objects/unicodeobject.js';
import { PyTuple_Pack, PyTuple_GET_SIZE, PyTuple_GET_ITEM, PyTuple_New } from '../../../../runtime/objects/tupleobject.js';
import { PyDict_New, PyDict_SetItem, PyDict_Next, DICT_NEXT, PyDict_GET_SIZE, DK_USABLE, DK_NENTRIES } from '../../../../runtime/objects/dictobject.js';
import { PyLong_FromNumber } from '../../../../runtime/objects/longobject.js';
import { PyExc_Exception } from '../../../../runtime/objects/exceptions.js';
import { PyList_Type, clearFreeLists as clearListFL } from '../../../../runtime/objects/listobject.js';
import { clearFreeLists as clearTupleFL } from '../../../../runtime/objects/tupleobject.js';
import { clearFreeLists as clearDictFL } from '../../../../runtime/objects/dictobject.js';
import { clearFreeLists as clearFloatFL } from '../../../../runtime/objects/floatobject.js';
/** what a full gc.collect() empties, and the method cache's names */
function quiesce(): void {
  clearMethodCache();
  clearListFL();
  clearTupleFL();
  clearDictFL();
  clearFloatFL();
}
import { PyLong_Type, PyBool_Type } from '../../../../runtime/objects/longobject.js';
import { PyUnicode_Type } from '../../../../runtime/objects/unicodeobject.js';
import { PyObject_Repr, PyObject_Str, PyObject_RichCompareBool } from '../../../../runtime/abstract.js';
import { Py_None } from '../../../../runtime/objects/noneobject.js';
import { PyCFunction_New } from '../../../../runtime/objects/methodobject.js';
import { dataStackPush, dataStackPop } from '../../../../runtime/pystate.js';
import { METH_O, METH_NOARGS, type MethodDef } from '../../../../runtime/typeobject.js';
import {
  classClear, PySuper_Type, PyObject_GenericGetDict, SHARED_KEYS_MAX_SIZE, HEAPTYPE_BASICSIZE, SHARED_KEYS_SIZE,
  isGenericGetattrType, instanceHasAttr,
} from '../../../../runtime/objects/typeobject_heap.js';
import { PyProperty_Type } from '../../../../runtime/objects/propertyobject.js';
import { _PySys_GetSizeOf } from '../../../../runtime/modules/sysmodule.js';

const life = await import('../../../../runtime/pylifecycle.js');
const fx = JSON.parse(readFileSync(new URL('../../../fixtures/classes/capi.json', import.meta.url), 'utf8'));

function s(x: string): Ptr {
  return PyUnicode_InternFromString(x);
}
/** A dict from [name, value] pairs (values borrowed). New reference. */
function dict(entries: [string, Ptr][]): Ptr {
  const d = PyDict_New();
  for (const [k, v] of entries) {
    const key = s(k);
    PyDict_SetItem(d, key, v);
    Py_DECREF(key);
  }
  return d;
}
/** type(name, bases, dict) through the vectorcall of `type`: new reference or NULL. */
function typeCall(name: string, bases: Ptr[], entries: [string, Ptr][], meta: Ptr = PyType_Type): Ptr {
  const n = PyUnicode_FromString(name);
  const b = bases.length === 0 ? PyTuple_New(0) : PyTuple_Pack(bases.length, ...bases);
  const d = dict(entries);
  const r = PyObject_CallArgs(meta, n, b, d);
  Py_DECREF(n);
  Py_DECREF(b);
  Py_DECREF(d);
  return r;
}
const mod = (): [string, Ptr] => ['__module__', s('m')];
function mk(name: string, bases: Ptr[], entries: [string, Ptr][]): Ptr {
  const t = typeCall(name, bases, entries);
  if (t === NULL) throw new Error(`type(${name}) failed: ${pendingMessage()}`);
  return t;
}
function call(c: Ptr, ...args: Ptr[]): Ptr {
  const r = PyObject_CallArgs(c, ...args);
  if (r === NULL) throw new Error(`call failed: ${pendingMessage()}`);
  return r;
}
/** The pending error as [type name, message] (cleared). */
function takeError(): [string, string] {
  const exc = PyErr_Fetch();
  if (exc === NULL) throw new Error('expected an exception');
  const str = PyObject_Str(exc);
  const r: [string, string] = [typeName(Py_TYPE(exc)), unicodeToJs(str)];
  Py_DECREF(str);
  Py_DECREF(exc);
  return r;
}
function sizeof(o: Ptr): number {
  const n = _PySys_GetSizeOf(o);
  if (n < 0) throw new Error(`getsizeof failed: ${pendingMessage()}`);
  return n;
}
function keys(d: Ptr): string[] {
  const out: string[] = [];
  let pos = 0;
  while ((pos = PyDict_Next(d, pos)) > 0) out.push(unicodeToJs(DICT_NEXT.key));
  return out;
}
function getattr(o: Ptr, name: string): Ptr {
  const n = s(name);
  const r = PyObject_GetAttr(o, n);
  Py_DECREF(n);
  return r;
}
function setattr(o: Ptr, name: string, v: Ptr): number {
  const n = s(name);
  const r = PyObject_SetAttr(o, n, v);
  Py_DECREF(n);
  return r;
}
/** Free a class: break its cycles as the collector would, then drop our reference. */
function drop(cls: Ptr): void {
  classClear(cls);
  Py_DECREF(cls);
}

// a non-GC marker type whose dealloc records its id (attribute teardown order)
const log: number[] = [];
const Marker = newStaticType({
  name: 'Marker', basicsize: 24,
  slots: { tp_dealloc: (o) => { log.push(I32[(o + 16) >> 2]); PyObject_Free(o); } },
});
function marker(id: number): Ptr {
  const o = PyObject_New(Marker);
  I32[(o + 16) >> 2] = id;
  I32[(o + 20) >> 2] = 0;
  return o;
}

beforeAll(() => {
  life.Py_Initialize({ argv: [''], stdout: () => {}, stderr: () => {}, stdin: () => null });
});

describe('class objects', () => {
  it('sizes as CPython (class, instance, __slots__, subclasses of built-ins)', () => {
    const A = mk('A', [], [mod()]);
    expect([sizeof(A), sizeof(A) - 16]).toEqual(fx.class_sizeof);
    expect(HEAPTYPE_BASICSIZE + SHARED_KEYS_SIZE).toBe(fx.class_sizeof[1]);
    const a = call(A);
    expect(sizeof(a)).toBe(fx.instance_sizeof[0]);
    const S0 = mk('S0', [], [mod(), ['__slots__', PyTuple_New(0)]]);
    const S2 = mk('S2', [], [mod(), ['__slots__', PyTuple_Pack(2, s('b'), s('a'))]]);
    const SD = mk('SD', [], [mod(), ['__slots__', PyTuple_Pack(1, s('__dict__'))]]);
    const SW = mk('SW', [], [mod(), ['__slots__', PyTuple_Pack(2, s('__weakref__'), s('z'))]]);
    const insts = [S0, S2, SD, SW].map((c) => call(c));
    expect([...insts.map(sizeof), sizeof(S0) - 16]).toEqual(fx.slots_sizeof);
    expect([S0, S2, SD, SW].map((c) => keys(I32[(c + 64) >> 2]))).toEqual(fx.slots_keys);
    expect([A, S0, S2, SD, SW].map((c) => I32[(c + 32) >> 2])).toEqual(fx.basicsize);
    const E = mk('E', [PyExc_Exception], [mod()]);
    const e = call(E);
    expect([sizeof(e), sizeof(E) - 16, keys(I32[(E + 64) >> 2])]).toEqual(fx.exc);
    const L = mk('L', [PyList_Type], [mod()]);
    const l = call(L);
    // (list.__sizeof__ of a subclass instance is the list file's business: only the class here)
    expect(sizeof(L) - 16).toEqual(fx.list_sub[1]);
    const I = mk('I', [PyLong_Type], [mod()]);
    const i5 = call(I, PyLong_FromNumber(5));
    const ibig = call(I, PyLong_FromNumber(2 ** 40));
    expect([sizeof(i5), sizeof(ibig), sizeof(I) - 16]).toEqual(fx.int_sub);
    for (const o of [a, ...insts, e, l, i5, ibig]) Py_DECREF(o);
    for (const c of [A, S0, S2, SD, SW, E, L, I]) drop(c);
  });

  it('dict contents and order: namespace, slot members, __dict__/__weakref__, __doc__, __hash__', () => {
    const f = PyLong_FromNumber(7);
    const K = mk('K', [], [mod(), ['x', PyLong_FromNumber(1)], ['f', f]]);
    expect(keys(I32[(K + 64) >> 2])).toEqual(fx.keys_plain);
    const KE = mk('KE', [], [mod(), ['__eq__', f]]);
    expect(keys(I32[(KE + 64) >> 2])).toEqual(fx.keys_eq);
    const KS = mk('KS', [K], [mod()]);
    expect(keys(I32[(KS + 64) >> 2])).toEqual(fx.keys_sub);
    expect(_PyType_Lookup(KE, s('__hash__'))).toBe(Py_None);
    drop(KS);
    drop(KE);
    drop(K);
  });

  it('C3 MRO and refcounts of a fresh class (mro tuple + __dict__/__weakref__ descriptors)', () => {
    const A = mk('A', [], [mod()]);
    expect(Py_REFCNT(A)).toBe(4); // ours + __mro__ + 2 descriptors (getrefcount(A) == 5 in CPython)
    const B1 = mk('B1', [A], []);
    const B2 = mk('B2', [A], []);
    const D = mk('D', [B1, B2], []);
    const mro = I32[(D + TP_MRO) >> 2];
    const names: string[] = [];
    for (let i = 0; i < PyTuple_GET_SIZE(mro); i++) names.push(typeName(PyTuple_GET_ITEM(mro, i)));
    expect(names).toEqual(fx.mro_diamond);
    expect(PyType_IsSubtype(D, A) && PyType_IsSubtype(D, PyBaseObject_Type) && !PyType_IsSubtype(A, D)).toBe(true);
    const a = call(A);
    // + tp_base, tp_bases and __mro__ of B1 and B2, D's __mro__, and the instance
    expect(Py_REFCNT(A)).toBe(4 + 2 * 3 + 1 + 1);
    Py_DECREF(a);
    for (const c of [D, B2, B1, A]) drop(c);
  });

  it('errors with CPython messages', () => {
    const P = mk('P', [], []);
    const Q = mk('Q', [], []);
    const X = mk('X', [P, Q], []);
    const Y = mk('Y', [Q, P], []);
    const A = mk('A', [], [mod()]);
    const S2 = mk('S2', [], [mod(), ['__slots__', PyTuple_Pack(2, s('b'), s('a'))]]);
    const e = fx.errors;
    const attempt = (name: string, fn: () => Ptr | number): void => {
      const r = fn();
      expect(r === NULL || r === -1, name).toBe(true);
      expect(takeError(), name).toEqual(e[name]);
    };
    attempt('mro', () => typeCall('Z', [X, Y], []));
    attempt('bool_base', () => typeCall('Z', [PyBool_Type], []));
    attempt('layout', () => typeCall('Z', [PyLong_Type, PyUnicode_Type], []));
    attempt('duplicate', () => typeCall('Z', [A, A], []));
    attempt('slot_conflict', () => typeCall('Z', [], [['__slots__', PyTuple_Pack(1, s('a'))], ['a', PyLong_FromNumber(1)]]));
    attempt('slot_type', () => typeCall('Z', [], [['__slots__', PyTuple_Pack(1, PyLong_FromNumber(1))]]));
    attempt('slot_ident', () => typeCall('Z', [], [['__slots__', PyTuple_Pack(1, s('1a'))]]));
    attempt('slot_int', () => typeCall('Z', [PyLong_Type], [['__slots__', PyTuple_Pack(1, s('a'))]]));
    attempt('slot_dict_twice', () => typeCall('Z', [A], [['__slots__', PyTuple_Pack(1, s('__dict__'))]]));
    attempt('qualname', () => typeCall('Z', [], [['__qualname__', PyLong_FromNumber(3)]]));
    attempt('arg3', () => PyObject_CallArgs(PyType_Type, s('Z'), PyTuple_New(0), PyLong_FromNumber(5)));
    attempt('arg2', () => PyObject_CallArgs(PyType_Type, s('Z'), PyLong_FromNumber(5), PyDict_New()));
    attempt('nargs', () => PyObject_CallArgs(PyType_Type, s('Z'), PyTuple_New(0)));
    attempt('bases_types', () => PyObject_CallArgs(PyType_Type, s('Z'), PyTuple_Pack(1, PyLong_FromNumber(1)), PyDict_New()));
    const a = call(A);
    attempt('no_attr', () => getattr(a, 'nope'));
    attempt('del_no_attr', () => setattr(a, 'nope', NULL));
    const s2 = call(S2);
    attempt('slot_unset', () => getattr(s2, 'a'));
    attempt('slot_no_dict', () => setattr(s2, 'c', PyLong_FromNumber(1)));
    attempt('immutable', () => setattr(PyLong_Type, 'x', PyLong_FromNumber(1)));
    attempt('cls_del', () => setattr(A, 'nope', NULL));
    attempt('init_args', () => PyObject_CallArgs(A, PyLong_FromNumber(1)));
    Py_DECREF(a);
    Py_DECREF(s2);
    for (const c of [S2, A, Y, X, Q, P]) drop(c);
  });
});

describe('instances (3.11 layout: values blocks through shared keys)', () => {
  it('attributes live in the values block; the dict is made on demand in insertion order', () => {
    const A = mk('A', [], [mod()]);
    expect((I32[(A + TP_FLAGS) >> 2] & Py_TPFLAGS_MANAGED_DICT) !== 0).toBe(true);
    const keysObj = I32[(A + HT_CACHED_KEYS) >> 2];
    expect(I32[(keysObj + DK_USABLE) >> 2]).toBe(SHARED_KEYS_MAX_SIZE);
    const a = call(A);
    expect(I32[(keysObj + DK_USABLE) >> 2]).toBe(SHARED_KEYS_MAX_SIZE - 1); // one less per instance
    const v = PyLong_FromNumber(123456);
    expect(Py_REFCNT(v)).toBe(1);
    expect(setattr(a, 'b', v)).toBe(0);
    expect(setattr(a, 'a', v)).toBe(0);
    expect(Py_REFCNT(v)).toBe(3); // one per attribute
    expect(I32[(a + MANAGED_VALUES_OFFSET) >> 2]).not.toBe(NULL);
    expect(I32[(a + MANAGED_DICT_OFFSET) >> 2]).toBe(NULL);
    expect(instanceHasAttr(a, s('a'))).toBe(true);
    expect(instanceHasAttr(a, s('zz'))).toBe(false);
    expect(isGenericGetattrType(A)).toBe(true);
    const got = getattr(a, 'a');
    expect(got).toBe(v);
    Py_DECREF(got);
    const a2 = call(A);
    setattr(a2, 'a', v);
    setattr(a2, 'b', v);
    setattr(a2, 'c', v);
    expect(I32[(keysObj + DK_NENTRIES) >> 2]).toBe(3);
    const d = PyObject_GenericGetDict(a);
    const d2 = PyObject_GenericGetDict(a2);
    expect([keys(d), keys(d2)]).toEqual(fx.vars_order);
    expect(I32[(a + MANAGED_VALUES_OFFSET) >> 2]).toBe(NULL);
    expect(I32[(a + MANAGED_DICT_OFFSET) >> 2]).toBe(d);
    expect(Py_REFCNT(v)).toBe(6);
    // attributes still work through the dict
    setattr(a, 'c', v);
    expect(PyDict_GET_SIZE(d)).toBe(3);
    Py_DECREF(d);
    Py_DECREF(d2);
    Py_DECREF(a);
    Py_DECREF(a2);
    expect(Py_REFCNT(v)).toBe(1);
    Py_DECREF(v);
    drop(A);
  });

  it('teardown: values in shared-key order, __slots__ in member order, then the class reference', () => {
    const A = mk('A', [], [mod()]);
    const first = call(A);
    setattr(first, 'b', Py_None);
    setattr(first, 'a', Py_None); // key order: b, a
    const h = call(A);
    const m1 = marker(1);
    const m2 = marker(2);
    setattr(h, 'a', m1);
    setattr(h, 'b', m2);
    Py_DECREF(m1);
    Py_DECREF(m2);
    log.length = 0;
    const rc = Py_REFCNT(A);
    Py_DECREF(h);
    expect(log).toEqual([2, 1]); // CPython: "del b", "del a" (key-index order)
    expect(Py_REFCNT(A)).toBe(rc - 1);
    const S = mk('S', [], [mod(), ['__slots__', PyTuple_Pack(2, s('y'), s('x'))]]);
    const so = call(S);
    setattr(so, 'y', marker(3));
    setattr(so, 'x', marker(4));
    Py_DECREF(I32[(so + 16) >> 2]); // the markers are owned by the slots now
    Py_DECREF(I32[(so + 24) >> 2]);
    log.length = 0;
    Py_DECREF(so);
    expect(log).toEqual([4, 3]); // sorted member order: x, y
    Py_DECREF(first);
    drop(S);
    drop(A);
  });

  it('more than 30 names move the attributes to a dict', () => {
    const A = mk('A', [], [mod()]);
    const a = call(A);
    for (let i = 0; i < 35; i++) expect(setattr(a, `n${i}`, PyLong_FromNumber(i))).toBe(0);
    expect(I32[(a + MANAGED_VALUES_OFFSET) >> 2]).toBe(NULL);
    const d = I32[(a + MANAGED_DICT_OFFSET) >> 2];
    expect(PyDict_GET_SIZE(d)).toBe(35);
    expect(keys(d).slice(0, 3)).toEqual(['n0', 'n1', 'n2']);
    Py_DECREF(a);
    drop(A);
  });
});

describe('descriptors: super and property', () => {
  const lenDef: MethodDef = { name: 'g', flags: METH_O, fn: (_self: Ptr, o: number) => PyLong_FromNumber(I32[(o + 8) >> 2] === 0 ? 0 : 42) };
  it('super(T, obj) finds the next class in the MRO; getsizeof 56; repr', () => {
    const f = PyCFunction_New(lenDef, NULL, NULL);
    const A = mk('A', [], [mod(), ['val', PyLong_FromNumber(1)]]);
    const B = mk('B', [A], [mod(), ['val', PyLong_FromNumber(2)]]);
    const b = call(B);
    const su = call(PySuper_Type, B, b);
    expect(sizeof(su)).toBe(56);
    const v = getattr(su, 'val');
    expect(unicodeToJs(PyObject_Repr(v))).toBe('1');
    const r = PyObject_Repr(su);
    expect(unicodeToJs(r)).toBe("<super: <class 'B'>, <B object>>");
    expect(PyObject_CallArgs(PySuper_Type, PyLong_FromNumber(1), b)).toBe(NULL);
    expect(takeError()).toEqual(['TypeError', 'super() argument 1 must be a type, not int']);
    expect(PyObject_CallArgs(PySuper_Type, A, PyLong_FromNumber(1))).toBe(NULL);
    expect(takeError()).toEqual(['TypeError', 'super(type, obj): obj must be an instance or subtype of type']);
    for (const o of [v, r, su, b, f]) Py_DECREF(o);
    drop(B);
    drop(A);
  });

  it('property: getter through the class attribute, missing setter message, getsizeof 80', () => {
    const fget = PyCFunction_New(lenDef, NULL, NULL);
    const p = call(PyProperty_Type, fget);
    expect(sizeof(p)).toBe(80);
    const A = mk('A', [], [mod(), ['p', p]]);
    const a = call(A);
    const v = getattr(a, 'p');
    expect(unicodeToJs(PyObject_Repr(v))).toBe('42');
    expect(setattr(a, 'p', v)).toBe(-1);
    expect(takeError()).toEqual(['AttributeError', "property 'p' of 'A' object has no setter"]);
    const cls = getattr(A, 'p');
    expect(cls).toBe(p);
    for (const o of [cls, v, a, p, fget]) Py_DECREF(o);
    drop(A);
  });
});

describe('leaks', () => {
  it('classes, instances, dicts and values blocks are all freed', () => {
    quiesce();
    const before = getAllocatedBlocks();
    for (let round = 0; round < 3; round++) {
      const A = mk('A', [], [mod(), ['k', PyLong_FromNumber(5)]]);
      const B = mk('B', [A], [mod()]);
      const slots = PyTuple_Pack(1, s('q'));
      const S = mk('S', [B], [mod(), ['__slots__', slots]]);
      Py_DECREF(slots);
      const objs = [call(A), call(B), call(S), call(B)];
      setattr(objs[0], 'x', objs[1]);
      const big = PyLong_FromNumber(1000 + round);
      setattr(objs[1], 'y', big);
      Py_DECREF(big);
      setattr(objs[2], 'q', objs[3]);
      const d = PyObject_GenericGetDict(objs[3]);
      Py_DECREF(d);
      const eq = PyObject_RichCompareBool(objs[0], objs[0], 2);
      expect(eq).toBe(1);
      for (const o of objs) Py_DECREF(o);
      drop(S);
      drop(B);
      drop(A);
    }
    quiesce();
    expect(getAllocatedBlocks()).toBe(before);
  });
});
void dataStackPush;
void dataStackPop;
void PyObject_Vectorcall;
void METH_NOARGS;
void Py_INCREF;
void Py_TYPE;
