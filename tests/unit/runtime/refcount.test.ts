// The heap walk behind `-X showrefcount`: the total follows every new reference and every new
// object, and drops back when they go away.
import { describe, it, expect } from 'vitest';
import '../../../runtime/pylifecycle.js';
import { heapRefTotal } from '../../../runtime/refcount.js';
import { Py_INCREF, Py_DECREF } from '../../../runtime/object.js';
import { PyList_New } from '../../../runtime/objects/listobject.js';
import { PyLong_FromNumber } from '../../../runtime/objects/longobject.js';
import { PyDict_New } from '../../../runtime/objects/dictobject.js';

describe('heapRefTotal', () => {
  it('counts the references held on heap objects', () => {
    const base = heapRefTotal();
    const l = PyList_New(0); // GC object
    const n = PyLong_FromNumber(123456789); // non-GC object
    const d = PyDict_New();
    expect(heapRefTotal()).toBe(base + 3);
    Py_INCREF(l);
    Py_INCREF(n);
    Py_INCREF(n);
    expect(heapRefTotal()).toBe(base + 6);
    Py_DECREF(l);
    Py_DECREF(l);
    Py_DECREF(n);
    Py_DECREF(n);
    Py_DECREF(n);
    Py_DECREF(d);
    expect(heapRefTotal()).toBe(base);
  });
});
