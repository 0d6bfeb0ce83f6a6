import { describe, it, expect, beforeAll } from 'vitest';
import { readFileSync } from 'node:fs';
import { I32, U8 } from '../../../../runtime/mem/heap.js';
import { getAllocatedBlocks } from '../../../../runtime/mem/pymem.js';
import { type Ptr, NULL, Py_DECREF, Py_INCREF, Py_REFCNT, Py_TYPE } from '../../../../runtime/object.js';
import { slotsOf, typeName, TP_BASICSIZE } from '../../../../runtime/typeobject.js';
import { _PyObject_GC_IS_TRACKED, gcCount } from '../../../../runtime/gc.js';
import { PyErr_SetString, PyErr_SetObject, PyErr_Fetch, PyErr_NoMemory, PyErr_Occurred, PyErr_Clear } from '../../../../runtime/errors.js';
import { PyObject_GetAttrString, PyObject_SetAttr, PyObject_GenericGetAttr } from '../../../../runtime/typeready.js';
import { PyObject_CallMethod, PyObject_CallOneArg } from '../../../../runtime/call.js';
import { PyUnicode_FromString, PyUnicode_InternFromString } from '../../../../runtime/objects/unicodeobject.js';
import { PyLong_FromNumber } from '../../../../runtime/objects/longobject.js';
import { Py_None } from '../../../../runtime/objects/noneobject.js';
import { Py_True } from '../../../../runtime/objects/boolobject.js';
import { PyTuple_GET_SIZE } from '../../../../runtime/objects/tupleobject.js';
import {
  PyExc_ValueError, PyExc_KeyError, PyExc_MemoryError, PyExc_AttributeError, PyExc_NameError, PyExc_UnicodeEncodeError,
  PyExc_ZeroDivisionError, EXC_ARGS, EXC_CAUSE, EXC_CONTEXT, EXC_SUPPRESS_CONTEXT, ATTRIBUTEERROR_NAME, ATTRIBUTEERROR_OBJ,
  NAMEERROR_NAME, MEMERRORS_SAVE, memoryErrorFreeListCount, setAttributeErrorContext, setNameErrorName,
  PyException_SetCause, PyException_SetContext,
} from '../../../../runtime/objects/exceptions.js';
import { wire, construct, takeException, reprJs, strJs, excType, leakedBlocks } from './exceptions_helpers.js';

const fx = JSON.parse(readFileSync(new URL('../../../fixtures/traceback/traceback.json', import.meta.url), 'utf8')) as {
  objects: { src: string; type: string; repr: string; str: string; attrs: Record<string, string>; sizeof: number }[];
  objectErrors: { src: string; type: string; message: string }[];
};

beforeAll(() => wire());

function attrRepr(o: Ptr, name: string): string | null {
  const v = PyObject_GetAttrString(o, name);
  if (v === NULL) {
    PyErr_Clear();
    return null;
  }
  const r = reprJs(v);
  Py_DECREF(v);
  return r;
}

describe('exception objects vs CPython 3.11', () => {
  it(`${fx.objects.length} constructed exceptions: type, repr, str, attributes, getsizeof`, () => {
    expect(leakedBlocks(() => {
      for (const c of fx.objects) {
        const e = construct(c.src);
        if (e === NULL) throw new Error(`${c.src}: ${takeException().join(': ')}`);
        expect(typeName(Py_TYPE(e)), c.src).toBe(c.type);
        expect(reprJs(e), c.src).toBe(c.repr);
        expect(strJs(e), c.src).toBe(c.str);
        for (const [name, want] of Object.entries(c.attrs)) expect(attrRepr(e, name), `${c.src}.${name}`).toBe(want);
        expect(I32[(Py_TYPE(e) + TP_BASICSIZE) >> 2] + 16, c.src).toBe(c.sizeof);
        expect(_PyObject_GC_IS_TRACKED(e)).toBe(true);
        Py_DECREF(e);
      }
    })).toBe(0);
  });

  it(`${fx.objectErrors.length} constructor errors have CPython's type and message`, () => {
    expect(leakedBlocks(() => {
      for (const c of fx.objectErrors) {
        const e = construct(c.src);
        expect(e, c.src).toBe(NULL);
        expect(takeException(), c.src).toEqual([c.type, c.message]);
      }
    })).toBe(0);
  });
});

describe('BaseException attributes', () => {
  it('args can be replaced by any iterable and not deleted', () => {
    expect(leakedBlocks(() => {
      const e = construct('ValueError("x")');
      const name = PyUnicode_InternFromString('args');
      const l = construct('ValueError([1, 2])');
      const lst = PyObject_GetAttrString(l, 'args');
      expect(PyObject_SetAttr(e, name, Py_None)).toBe(-1);
      expect(takeException()).toEqual(['TypeError', "'NoneType' object is not iterable"]);
      expect(PyObject_SetAttr(e, name, NULL)).toBe(-1);
      expect(takeException()).toEqual(['TypeError', 'args may not be deleted']);
      expect(reprJs(e)).toBe("ValueError('x')");
      expect(PyObject_SetAttr(e, name, lst)).toBe(0);
      expect(reprJs(e)).toBe('ValueError([1, 2])');
      Py_DECREF(lst);
      Py_DECREF(l);
      Py_DECREF(e);
      Py_DECREF(name);
    })).toBe(0);
  });

  it('__cause__ sets __suppress_context__; __context__ and __cause__ check their values', () => {
    expect(leakedBlocks(() => {
      const e = construct('ValueError("x")');
      const k = construct('KeyError("k")');
      const cause = PyUnicode_InternFromString('__cause__');
      const ctx = PyUnicode_InternFromString('__context__');
      expect(attrRepr(e, '__suppress_context__')).toBe('False');
      expect(attrRepr(e, '__cause__')).toBe('None');
      expect(PyObject_SetAttr(e, cause, k)).toBe(0);
      expect(attrRepr(e, '__suppress_context__')).toBe('True');
      expect(I32[(e + EXC_CAUSE) >> 2]).toBe(k);
      expect(PyObject_SetAttr(e, cause, Py_True)).toBe(-1);
      expect(takeException()).toEqual(['TypeError', 'exception cause must be None or derive from BaseException']);
      expect(PyObject_SetAttr(e, ctx, Py_True)).toBe(-1);
      expect(takeException()).toEqual(['TypeError', 'exception context must be None or derive from BaseException']);
      expect(PyObject_SetAttr(e, ctx, NULL)).toBe(-1);
      expect(takeException()).toEqual(['TypeError', '__context__ may not be deleted']);
      expect(PyObject_SetAttr(e, ctx, k)).toBe(0);
      expect(attrRepr(e, '__context__')).toBe("KeyError('k')");
      expect(PyObject_SetAttr(e, cause, Py_None)).toBe(0);
      expect(I32[(e + EXC_CAUSE) >> 2]).toBe(NULL);
      expect(U8[e + EXC_SUPPRESS_CONTEXT]).toBe(1);
      const sup = PyUnicode_InternFromString('__suppress_context__');
      expect(PyObject_SetAttr(e, sup, PyLong_FromNumber(0))).toBe(-1);
      expect(takeException()).toEqual(['TypeError', 'attribute value type must be bool']);
      const tb = PyUnicode_InternFromString('__traceback__');
      expect(PyObject_SetAttr(e, tb, k)).toBe(-1);
      expect(takeException()).toEqual(['TypeError', '__traceback__ must be a traceback or None']);
      expect(PyObject_SetAttr(e, tb, Py_None)).toBe(0);
      for (const n of [cause, ctx, sup, tb]) Py_DECREF(n);
      Py_DECREF(k);
      Py_DECREF(e);
    })).toBe(0);
  });

  it('add_note keeps a __notes__ list in the instance dict; with_traceback returns self', () => {
    expect(leakedBlocks(() => {
      const e = construct('ValueError("x")');
      const n1 = PyUnicode_FromString('first');
      const r = PyObject_CallMethod(e, 'add_note', n1);
      expect(r).toBe(Py_None);
      Py_DECREF(r);
      expect(PyObject_CallMethod(e, 'add_note', Py_True)).toBe(NULL);
      expect(takeException()).toEqual(['TypeError', "note must be a str, not 'bool'"]);
      expect(attrRepr(e, '__notes__')).toBe("['first']");
      expect(attrRepr(e, '__dict__')).toBe("{'__notes__': ['first']}");
      const w = PyObject_CallMethod(e, 'with_traceback', Py_None);
      expect(w).toBe(e);
      Py_DECREF(w);
      const red = PyObject_CallMethod(e, '__reduce__');
      expect(reprJs(red)).toBe("(<class 'ValueError'>, ('x',), {'__notes__': ['first']})");
      Py_DECREF(red);
      Py_DECREF(n1);
      Py_DECREF(e);
    })).toBe(0);
  });

  it('chains deallocate without recursion (trashcan): 30000 exceptions linked by __context__', () => {
    expect(leakedBlocks(() => {
      let head = construct('ValueError()');
      for (let i = 0; i < 30000; i++) {
        const e = construct('ValueError()');
        PyException_SetContext(e, head); // steals
        head = e;
      }
      Py_DECREF(head);
    })).toBe(0);
  });

  it('traverse visits args, dict, cause and context; clear drops them', () => {
    const e = construct('KeyError("k")');
    const c = construct('ValueError()');
    Py_INCREF(c);
    PyException_SetCause(e, c);
    const seen: Ptr[] = [];
    slotsOf(Py_TYPE(e)).tp_traverse!(e, (o) => (seen.push(o), 0), 0);
    expect(seen).toEqual([I32[(e + EXC_ARGS) >> 2], c]);
    slotsOf(Py_TYPE(e)).tp_clear!(e);
    expect(I32[(e + EXC_ARGS) >> 2]).toBe(NULL);
    expect(Py_REFCNT(c)).toBe(1);
    Py_DECREF(c);
    Py_DECREF(e);
  });
});

describe('normalization through errors.ts', () => {
  it('PyErr_SetString + PyErr_Fetch gives an instance with args (msg,)', () => {
    expect(leakedBlocks(() => {
      PyErr_SetString(PyExc_ZeroDivisionError, 'division by zero');
      const e = PyErr_Fetch();
      expect(Py_TYPE(e)).toBe(PyExc_ZeroDivisionError);
      expect(reprJs(e)).toBe("ZeroDivisionError('division by zero')");
      Py_DECREF(e);
      const key = PyLong_FromNumber(42);
      PyErr_SetObject(PyExc_KeyError, key);
      const k = PyErr_Fetch();
      expect(strJs(k)).toBe('42');
      expect(I32[(I32[(k + EXC_ARGS) >> 2] + 24) >> 2]).toBe(key);
      Py_DECREF(k);
      Py_DECREF(key);
      PyErr_SetString(PyExc_UnicodeEncodeError, "'ascii' codec can't encode character");
      const u = PyErr_Fetch();
      expect(strJs(u)).toBe("'ascii' codec can't encode character");
      Py_DECREF(u);
    })).toBe(0);
  });

  it('MemoryError comes from a free list of 16 preallocated instances', () => {
    expect(memoryErrorFreeListCount()).toBe(MEMERRORS_SAVE);
    const base = getAllocatedBlocks();
    const g0 = gcCount[0];
    PyErr_NoMemory();
    const e = PyErr_Fetch();
    expect(Py_TYPE(e)).toBe(PyExc_MemoryError);
    expect(memoryErrorFreeListCount()).toBe(MEMERRORS_SAVE - 1);
    expect(getAllocatedBlocks()).toBe(base);
    expect(gcCount[0]).toBe(g0);
    expect(PyTuple_GET_SIZE(I32[(e + EXC_ARGS) >> 2])).toBe(0);
    Py_DECREF(e);
    expect(memoryErrorFreeListCount()).toBe(MEMERRORS_SAVE);
    expect(getAllocatedBlocks()).toBe(base);
  });

  it('AttributeError context and NameError name are recorded once', () => {
    expect(leakedBlocks(() => {
      const obj = construct('ValueError()');
      const name = PyUnicode_InternFromString('valeu');
      expect(PyObject_GenericGetAttr(obj, name)).toBe(NULL);
      setAttributeErrorContext(obj, name); // (typeready calls it through attributeErrorContext)
      const e = PyErr_Fetch();
      expect(Py_TYPE(e)).toBe(PyExc_AttributeError);
      expect(I32[(e + ATTRIBUTEERROR_NAME) >> 2]).toBe(name);
      expect(I32[(e + ATTRIBUTEERROR_OBJ) >> 2]).toBe(obj);
      expect(strJs(e)).toBe("'ValueError' object has no attribute 'valeu'");
      Py_DECREF(e);
      PyErr_SetString(PyExc_NameError, "name 'valeu' is not defined");
      setNameErrorName(name);
      const n = PyErr_Fetch();
      expect(I32[(n + NAMEERROR_NAME) >> 2]).toBe(name);
      Py_DECREF(n);
      Py_DECREF(name);
      Py_DECREF(obj);
      expect(PyErr_Occurred()).toBe(NULL);
    })).toBe(0);
  });

  it('calling a subclass-selecting constructor: OSError(2, ...) is a FileNotFoundError', () => {
    const e = construct('OSError(2, "nf")');
    expect(Py_TYPE(e)).toBe(excType('FileNotFoundError'));
    Py_DECREF(e);
    const s = PyUnicode_FromString('only');
    const v = PyObject_CallOneArg(PyExc_ValueError, s);
    expect(strJs(v)).toBe('only');
    Py_DECREF(v);
    Py_DECREF(s);
  });
});
