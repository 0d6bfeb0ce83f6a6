// weakref.ref / proxy at the C-API level (expected texts and sizes from CPython 3.11.7).
import { describe, it, expect, beforeEach } from 'vitest';
import { I32 } from '../../../../runtime/mem/heap.js';
import { getAllocatedBlocks } from '../../../../runtime/mem/pymem.js';
import { type Ptr, NULL, Py_DECREF, Py_INCREF, HASH_HI, hashPointer } from '../../../../runtime/object.js';
import { readyAllStaticTypes } from '../../../../runtime/typeready.js';
import { gc_collect_impl } from '../../../../runtime/gc.js';
import '../../../../runtime/modules/gcmodule.js';
import {
  PyWeakref_NewRef, PyWeakref_NewProxy, PyWeakref_GET_OBJECT, _PyWeakref_RefType, _PyWeakref_ProxyType, weakrefListPtr, WR_NEXT,
} from '../../../../runtime/objects/weakrefobject.js';
import { PyObject_Hash, PyObject_Repr, PyObject_RichCompareBool } from '../../../../runtime/abstract.js';
import { PyObject_Vectorcall } from '../../../../runtime/call.js';
import { PyErr_Occurred, PyErr_Clear, pendingMessage } from '../../../../runtime/errors.js';
import { PyLong_FromSsize_t } from '../../../../runtime/objects/longobject.js';
import { PyList_New } from '../../../../runtime/objects/listobject.js';
import { unicodeToJs } from '../../../../runtime/objects/unicodeobject.js';
import { Py_None } from '../../../../runtime/objects/noneobject.js';
import { slotsOf, Py_EQ } from '../../../../runtime/typeobject.js';
import { node, logCallback, log, resetLog } from '../gc_helpers.js';

readyAllStaticTypes();

function repr(o: Ptr): string {
  const r = PyObject_Repr(o);
  const s = unicodeToJs(r);
  Py_DECREF(r);
  return s;
}
function takeError(): string {
  expect(PyErr_Occurred()).not.toBe(NULL);
  const m = pendingMessage() ?? '';
  PyErr_Clear();
  return m;
}
function listOrder(o: Ptr): Ptr[] {
  const out: Ptr[] = [];
  for (let r = I32[weakrefListPtr(o) >> 2]; r !== NULL; r = I32[(r + WR_NEXT) >> 2]) out.push(r);
  return out;
}

let baseline = 0;
beforeEach(() => {
  resetLog();
  gc_collect_impl(2);
  baseline = getAllocatedBlocks();
});
function expectBaseline(): void {
  gc_collect_impl(2);
  expect(getAllocatedBlocks()).toBe(baseline);
}

describe('weakref.ref', () => {
  it('is 80 bytes with the GC head; deref; shared when callback-less; dead after the referent', () => {
    expect(I32[(_PyWeakref_RefType + 32) >> 2] + 16).toBe(80);
    const o = node(1);
    const r = PyWeakref_NewRef(o, NULL);
    expect(PyWeakref_NewRef(o, Py_None)).toBe(r);
    Py_DECREF(r);
    const got = PyObject_Vectorcall(r, 0, 0, NULL);
    expect(got).toBe(o);
    Py_DECREF(got);
    Py_DECREF(o);
    expect(PyWeakref_GET_OBJECT(r)).toBe(Py_None);
    const none = PyObject_Vectorcall(r, 0, 0, NULL);
    expect(none).toBe(Py_None);
    Py_DECREF(none);
    expect(repr(r)).toBe(`<weakref at 0x${r.toString(16)}; dead>`);
    Py_DECREF(r);
    expectBaseline();
  });

  it("list order: basic ref, basic proxy, then callback refs newest first (getweakrefs)", () => {
    const o = node(1);
    const r1 = PyWeakref_NewRef(o, logCallback('1'));
    Py_DECREF(I32[(r1 + 24) >> 2]);
    const basic = PyWeakref_NewRef(o, NULL);
    const p = PyWeakref_NewProxy(o, NULL);
    const r2 = PyWeakref_NewRef(o, logCallback('2'));
    Py_DECREF(I32[(r2 + 24) >> 2]);
    expect(listOrder(o)).toEqual([basic, p, r2, r1]);
    expect(PyWeakref_NewProxy(o, NULL)).toBe(p);
    Py_DECREF(p);
    Py_DECREF(o);
    expect(log).toEqual(['cb 2: dead', 'cb 1: dead', 'free 1']);
    for (const w of [r1, basic, p, r2]) Py_DECREF(w);
    expectBaseline();
  });

  it('a weakref that dies first never calls back', () => {
    const o = node(1);
    const cb = logCallback('x');
    const r = PyWeakref_NewRef(o, cb);
    Py_DECREF(cb);
    Py_DECREF(r);
    Py_DECREF(o);
    expect(log).toEqual(['free 1']);
    expectBaseline();
  });

  it('hash is the referent\'s, cached; dead uncached refs raise; == compares referents', () => {
    const o = node(1);
    const r = PyWeakref_NewRef(o, NULL);
    const lo = PyObject_Hash(r);
    const hi = HASH_HI[0];
    expect(lo).toBe(hashPointer(o));
    expect(hi).toBe(HASH_HI[0]);
    const cb = logCallback('h');
    const r2 = PyWeakref_NewRef(o, cb);
    Py_DECREF(cb);
    expect(PyObject_RichCompareBool(r, r2, Py_EQ)).toBe(1);
    Py_DECREF(o);
    expect(PyObject_Hash(r)).toBe(lo); // cached
    expect(PyObject_Hash(r2)).toBe(-1);
    expect(takeError()).toBe('weak object has gone away');
    expect(PyObject_RichCompareBool(r, r2, Py_EQ)).toBe(0); // dead: identity
    Py_DECREF(r);
    Py_DECREF(r2);
    expectBaseline();
  });

  it("errors: ints are not weakrefable; calling with arguments", () => {
    const i = PyLong_FromSsize_t(5);
    expect(PyWeakref_NewRef(i, NULL)).toBe(NULL);
    expect(takeError()).toBe("cannot create weak reference to 'int' object");
    const l = PyList_New(0);
    expect(PyWeakref_NewProxy(l, NULL)).toBe(NULL);
    expect(takeError()).toBe("cannot create weak reference to 'list' object");
    const o = node(1);
    const r = PyWeakref_NewRef(o, NULL);
    const args = PyList_New(0); // any address with one 8-byte slot holding a reference
    I32[(args + 24) >> 2] = 0;
    expect(slotsOf(_PyWeakref_RefType).ob_vectorcall!(r, args + 16, 1, NULL)).toBe(NULL);
    expect(takeError()).toBe('weakref expected 0 arguments, got 1');
    for (const x of [i, l, o, r, args]) Py_DECREF(x);
    expectBaseline();
  });
});

describe('weakref.proxy', () => {
  it('repr, unhashable, ReferenceError once dead', () => {
    const o = node(1);
    const p = PyWeakref_NewProxy(o, NULL);
    expect(I32[(p + 8) >> 2]).toBe(_PyWeakref_ProxyType);
    expect(repr(p)).toBe(`<weakproxy at 0x${p.toString(16)} to Node at 0x${o.toString(16)}>`);
    expect(PyObject_Hash(p)).toBe(-1);
    expect(takeError()).toBe("unhashable type: 'weakref.ProxyType'");
    Py_DECREF(o);
    expect(slotsOf(_PyWeakref_ProxyType).nb_bool!(p)).toBe(-1);
    expect(takeError()).toBe('weakly-referenced object no longer exists');
    expect(repr(p)).toBe(`<weakproxy at 0x${p.toString(16)} to NoneType at 0x${Py_None.toString(16)}>`);
    Py_DECREF(p);
    expectBaseline();
  });
});

void Py_INCREF;
