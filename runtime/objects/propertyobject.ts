// property (≈ Objects/descrobject.c property_*; CPython keeps it in descrobject.c).
//
//   PyPropertyObject (64 + GC 16 = getsizeof 80):
//     16 prop_get  24 prop_set  32 prop_del  40 prop_doc  48 prop_name  56 getter_doc (i32)
//
// A data descriptor: __get__ calls fget(obj) (the property itself when accessed on the class),
// __set__/__delete__ call fset(obj, value) / fdel(obj); a missing function raises
// AttributeError "property 'x' of 'C' object has no setter" (3.11 wording). getter/setter/
// deleter return a copy made by calling type(self)(fget, fset, fdel, doc) and keep the name
// given by __set_name__. When no doc is given, the getter's __doc__ is used (getter_doc = 1).

import { type Ptr, NULL, I32 } from '../mem/heap.js';
import { Py_DECREF, Py_INCREF, Py_XDECREF, Py_XINCREF, Py_TYPE } from '../object.js';
import {
  newStaticType, Py_TPFLAGS_HAVE_GC, Py_TPFLAGS_BASETYPE, METH_O, METH_FASTCALL, type visitproc, typeName, TP_FLAGS,
  Py_TPFLAGS_HEAPTYPE, HT_QUALNAME,
} from '../typeobject.js';
import { PyObject_GC_Del, PyObject_GC_UnTrack, PyType_GenericAlloc } from '../gc.js';
import { PyErr_SetString, PyErr_NoMemory, PyErr_ExceptionMatches, PyErr_Clear } from '../errors.js';
import { PyExc_AttributeError, PyExc_TypeError } from './exceptions.js';
import { PyUnicode_FromString, PyUnicode_InternFromString, unicodeToJs } from './unicodeobject.js';
import { PyTuple_GET_SIZE, PyTuple_GET_ITEM } from './tupleobject.js';
import { PyDict_GetItem, PyDict_Next, DICT_NEXT, PyDict_GET_SIZE } from './dictobject.js';
import { Py_None } from './noneobject.js';
import { PyBool_FromLong } from './boolobject.js';
import { PyObject_CallOneArg, PyObject_Vectorcall } from '../call.js';
import { PyObject_GetAttr, PyObject_SetAttr } from '../typeready.js';
import { PyObject_IsTrue, PyObject_Repr } from '../abstract.js';
import { dataStackPush, dataStackPop } from '../pystate.js';

export const PROP_GET = 16;
export const PROP_SET = 24;
export const PROP_DEL = 32;
export const PROP_DOC = 40;
export const PROP_NAME = 48;
export const PROP_GETTER_DOC = 56;
export const PROPERTY_BASICSIZE = 64;
const PROP_FIELDS = [PROP_GET, PROP_SET, PROP_DEL, PROP_DOC, PROP_NAME];

function field(o: Ptr, off: number): Ptr {
  return I32[(o + off) >> 2];
}
/** Store `v` (stolen) into a field, releasing the old value afterwards. */
function setRef(o: Ptr, off: number, v: Ptr): void {
  const old = I32[(o + off) >> 2];
  I32[(o + off) >> 2] = v;
  I32[(o + off + 4) >> 2] = 0;
  Py_XDECREF(old);
}

let docName: Ptr = NULL;
function s__doc__(): Ptr {
  if (docName === NULL) docName = PyUnicode_InternFromString('__doc__');
  return docName;
}

function property_dealloc(self: Ptr): void {
  PyObject_GC_UnTrack(self);
  for (const off of PROP_FIELDS) Py_XDECREF(field(self, off));
  const free = slotsFree(self);
  free(self);
}
function slotsFree(self: Ptr): (o: Ptr) => void {
  // a subclass instance is freed by subtype_dealloc's base call: same GC block
  void self;
  return PyObject_GC_Del;
}
function property_traverse(self: Ptr, visit: visitproc, arg: number): number {
  for (const off of PROP_FIELDS) {
    const v = field(self, off);
    if (v !== NULL) {
      const r = visit(v, arg);
      if (r) return r;
    }
  }
  return 0;
}
function property_clear(self: Ptr): number {
  const d = field(self, PROP_DOC);
  if (d !== NULL) setRef(self, PROP_DOC, NULL);
  return 0;
}

/** The qualname of an object's type, as PyType_GetQualName gives it (heap types: __qualname__). */
function typeQualname(o: Ptr): string {
  const t = Py_TYPE(o);
  if ((I32[(t + TP_FLAGS) >> 2] & Py_TPFLAGS_HEAPTYPE) !== 0) {
    const q = I32[(t + HT_QUALNAME) >> 2];
    if (q !== NULL) return unicodeToJs(q);
  }
  return typeName(t);
}
function pyRepr(o: Ptr): string {
  const r = PyObject_Repr(o);
  if (r === NULL) {
    PyErr_Clear();
    return '?';
  }
  const s = unicodeToJs(r);
  Py_DECREF(r);
  return s;
}

/** ≈ property_descr_get */
function property_descr_get(self: Ptr, obj: Ptr, _type: Ptr): Ptr {
  if (obj === NULL || obj === Py_None) {
    Py_INCREF(self);
    return self;
  }
  const fget = field(self, PROP_GET);
  if (fget === NULL) {
    const name = field(self, PROP_NAME);
    const q = typeQualname(obj);
    if (name !== NULL) PyErr_SetString(PyExc_AttributeError, `property ${pyRepr(name)} of '${q}' object has no getter`);
    else PyErr_SetString(PyExc_AttributeError, `property of '${q}' object has no getter`);
    return NULL;
  }
  return PyObject_CallOneArg(fget, obj);
}

/** ≈ property_descr_set (value NULL = delete) */
function property_descr_set(self: Ptr, obj: Ptr, value: Ptr): number {
  const func = value === NULL ? field(self, PROP_DEL) : field(self, PROP_SET);
  if (func === NULL) {
    const what = value === NULL ? 'deleter' : 'setter';
    const name = field(self, PROP_NAME);
    if (obj !== NULL && name !== NULL) {
      PyErr_SetString(PyExc_AttributeError, `property ${pyRepr(name)} of '${typeQualname(obj)}' object has no ${what}`);
    } else if (obj !== NULL) {
      PyErr_SetString(PyExc_AttributeError, `property of '${typeQualname(obj)}' object has no ${what}`);
    } else {
      PyErr_SetString(PyExc_AttributeError, `property has no ${what}`);
    }
    return -1;
  }
  let res: Ptr;
  if (value === NULL) {
    res = PyObject_CallOneArg(func, obj);
  } else {
    const scratch = dataStackPush(16);
    if (scratch === NULL) {
      PyErr_NoMemory();
      return -1;
    }
    I32[scratch >> 2] = obj;
    I32[(scratch + 4) >> 2] = 0;
    I32[(scratch + 8) >> 2] = value;
    I32[(scratch + 12) >> 2] = 0;
    res = PyObject_Vectorcall(func, scratch, 2, NULL);
    dataStackPop(scratch);
  }
  if (res === NULL) return -1;
  Py_DECREF(res);
  return 0;
}

/** ≈ property_init_impl: fget, fset, fdel, doc (borrowed; None counts as absent). 0 / -1. */
function propertyInitImpl(self: Ptr, fget: Ptr, fset: Ptr, fdel: Ptr, doc: Ptr): number {
  if (fget === Py_None) fget = NULL;
  if (fset === Py_None) fset = NULL;
  if (fdel === Py_None) fdel = NULL;
  Py_XINCREF(fget);
  setRef(self, PROP_GET, fget);
  Py_XINCREF(fset);
  setRef(self, PROP_SET, fset);
  Py_XINCREF(fdel);
  setRef(self, PROP_DEL, fdel);
  setRef(self, PROP_DOC, NULL);
  setRef(self, PROP_NAME, NULL);
  I32[(self + PROP_GETTER_DOC) >> 2] = 0;
  let propDoc: Ptr = NULL;
  if (doc !== NULL && doc !== Py_None) {
    propDoc = doc;
    Py_INCREF(propDoc);
  } else if (fget !== NULL) {
    propDoc = PyObject_GetAttr(fget, s__doc__());
    if (propDoc === NULL) {
      if (!PyErr_ExceptionMatches(PyExc_AttributeError)) return -1;
      PyErr_Clear();
    } else {
      if (Py_TYPE(self) !== PyProperty_Type && propDoc === Py_None) {
        Py_DECREF(propDoc);
        propDoc = NULL;
      }
      if (propDoc !== NULL) I32[(self + PROP_GETTER_DOC) >> 2] = 1;
    }
  }
  if (Py_TYPE(self) === PyProperty_Type) {
    setRef(self, PROP_DOC, propDoc);
  } else {
    if (propDoc === NULL) {
      propDoc = Py_None;
      Py_INCREF(propDoc);
    }
    const err = PyObject_SetAttr(self, s__doc__(), propDoc);
    Py_DECREF(propDoc);
    if (err < 0) return -1;
  }
  return 0;
}

const KWNAMES = ['fget', 'fset', 'fdel', 'doc'];
/** ≈ property.__init__(fget=None, fset=None, fdel=None, doc=None) */
function property_init(self: Ptr, args: Ptr, kwds: Ptr): number {
  const n = args === NULL ? 0 : PyTuple_GET_SIZE(args);
  const nkw = kwds === NULL ? 0 : PyDict_GET_SIZE(kwds);
  if (n + nkw > 4) {
    PyErr_SetString(PyExc_TypeError, `property() takes at most 4 arguments (${n + nkw} given)`);
    return -1;
  }
  const vals = [NULL, NULL, NULL, NULL];
  for (let i = 0; i < n; i++) vals[i] = PyTuple_GET_ITEM(args, i);
  if (nkw > 0) {
    let pos = 0;
    while ((pos = PyDict_Next(kwds, pos)) >= 0) {
      const k = unicodeToJs(DICT_NEXT.key);
      const idx = KWNAMES.indexOf(k);
      if (idx < 0) {
        PyErr_SetString(PyExc_TypeError, `'${k}' is an invalid keyword argument for property()`);
        return -1;
      }
      if (idx < n) {
        PyErr_SetString(PyExc_TypeError, `argument for property() given by name ('${k}') and position (${idx + 1})`);
        return -1;
      }
      vals[idx] = DICT_NEXT.value;
    }
  }
  return propertyInitImpl(self, vals[0], vals[1], vals[2], vals[3]);
}

/** ≈ property_copy: type(old)(fget, fset, fdel, doc) with one function replaced; keeps the name. */
function propertyCopy(old: Ptr, get: Ptr, set: Ptr, del: Ptr): Ptr {
  const type = Py_TYPE(old);
  if (get === NULL || get === Py_None) get = field(old, PROP_GET) !== NULL ? field(old, PROP_GET) : Py_None;
  if (set === NULL || set === Py_None) set = field(old, PROP_SET) !== NULL ? field(old, PROP_SET) : Py_None;
  if (del === NULL || del === Py_None) del = field(old, PROP_DEL) !== NULL ? field(old, PROP_DEL) : Py_None;
  let doc: Ptr;
  if (I32[(old + PROP_GETTER_DOC) >> 2] !== 0 && get !== Py_None) doc = Py_None;
  else doc = field(old, PROP_DOC) !== NULL ? field(old, PROP_DOC) : Py_None;
  const scratch = dataStackPush(32);
  if (scratch === NULL) return PyErr_NoMemory();
  const args = [get, set, del, doc];
  for (let i = 0; i < 4; i++) {
    I32[(scratch + 8 * i) >> 2] = args[i];
    I32[(scratch + 8 * i + 4) >> 2] = 0;
  }
  const nw = PyObject_Vectorcall(type, scratch, 4, NULL);
  dataStackPop(scratch);
  if (nw === NULL) return NULL;
  if (Py_TYPE(nw) === PyProperty_Type || isPropertySubtype(Py_TYPE(nw))) {
    const name = field(old, PROP_NAME);
    Py_XINCREF(name);
    setRef(nw, PROP_NAME, name);
  }
  return nw;
}
import { PyType_IsSubtype } from '../typeobject.js';
function isPropertySubtype(t: Ptr): boolean {
  return PyType_IsSubtype(t, PyProperty_Type);
}

function memberGetter(off: number): (self: Ptr) => Ptr {
  return (self: Ptr): Ptr => {
    const v = field(self, off);
    const r = v === NULL ? Py_None : v;
    Py_INCREF(r);
    return r;
  };
}

/** ≈ property.__isabstractmethod__: any of the functions' __isabstractmethod__ is true. */
function property_isabstract(self: Ptr): Ptr {
  const name = PyUnicode_InternFromString('__isabstractmethod__');
  if (name === NULL) return NULL;
  for (const off of [PROP_GET, PROP_SET, PROP_DEL]) {
    const f = field(self, off);
    if (f === NULL) continue;
    const v = PyObject_GetAttr(f, name);
    if (v === NULL) {
      if (!PyErr_ExceptionMatches(PyExc_AttributeError)) {
        Py_DECREF(name);
        return NULL;
      }
      PyErr_Clear();
      continue;
    }
    const t = PyObject_IsTrue(v);
    Py_DECREF(v);
    if (t !== 0) {
      Py_DECREF(name);
      return t < 0 ? NULL : PyBool_FromLong(1);
    }
  }
  Py_DECREF(name);
  return PyBool_FromLong(0);
}

export const PyProperty_Type: Ptr = newStaticType({
  name: 'property',
  basicsize: PROPERTY_BASICSIZE,
  flags: Py_TPFLAGS_HAVE_GC | Py_TPFLAGS_BASETYPE,
  slots: {
    tp_dealloc: property_dealloc,
    tp_traverse: property_traverse,
    tp_clear: property_clear,
    tp_descr_get: property_descr_get,
    tp_descr_set: property_descr_set,
    tp_init: property_init,
    tp_new: (type: Ptr): Ptr => {
      const o = PyType_GenericAlloc(type, 0);
      return o === NULL ? PyErr_NoMemory() : o;
    },
    methods: [
      { name: 'getter', flags: METH_O, fn: (self: Ptr, f: number): Ptr => propertyCopy(self, f, NULL, NULL), doc: 'Descriptor to obtain a copy of the property with a different getter.' },
      { name: 'setter', flags: METH_O, fn: (self: Ptr, f: number): Ptr => propertyCopy(self, NULL, f, NULL), doc: 'Descriptor to obtain a copy of the property with a different setter.' },
      { name: 'deleter', flags: METH_O, fn: (self: Ptr, f: number): Ptr => propertyCopy(self, NULL, NULL, f), doc: 'Descriptor to obtain a copy of the property with a different deleter.' },
      {
        name: '__set_name__',
        flags: METH_FASTCALL,
        fn: (self: Ptr, args: number, nargs: number): Ptr => {
          if (nargs !== 2) {
            PyErr_SetString(PyExc_TypeError, `__set_name__() takes 2 positional arguments but ${nargs} were given`);
            return NULL;
          }
          const name = I32[(args + 8) >> 2];
          Py_INCREF(name);
          setRef(self, PROP_NAME, name);
          Py_INCREF(Py_None);
          return Py_None;
        },
        doc: 'Method to set name of a property.',
      },
    ],
    getsets: [
      { name: 'fget', get: memberGetter(PROP_GET) },
      { name: 'fset', get: memberGetter(PROP_SET) },
      { name: 'fdel', get: memberGetter(PROP_DEL) },
      {
        name: '__doc__',
        get: memberGetter(PROP_DOC),
        set: (self: Ptr, v: Ptr): number => {
          Py_XINCREF(v);
          setRef(self, PROP_DOC, v);
          return 0;
        },
      },
      { name: '__isabstractmethod__', get: property_isabstract },
    ],
    doc: 'Property attribute.\n\n  fget\n    function to be used for getting an attribute value\n  fset\n    function to be used for setting an attribute value\n  fdel\n    function to be used for del\'ing an attribute\n  doc\n    docstring\n\nTypical use is to define a managed attribute x:\n\nclass C(object):\n    def getx(self): return self._x\n    def setx(self, value): self._x = value\n    def delx(self): del self._x\n    x = property(getx, setx, delx, "I\'m the \'x\' property.")\n\nDecorators make defining new properties or modifying existing ones easy:\n\nclass C(object):\n    @property\n    def x(self):\n        "I am the \'x\' property."\n        return self._x\n    @x.setter\n    def x(self, value):\n        self._x = value\n    @x.deleter\n    def x(self):\n        del self._x',
  },
});
void PyUnicode_FromString;
void PyDict_GetItem;
