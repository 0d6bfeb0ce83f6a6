// None, NotImplemented and Ellipsis (≈ Objects/object.c _Py_NoneStruct / _Py_NotImplementedStruct,
// Objects/sliceobject.c _Py_EllipsisObject).
//
// Each is the only instance of its type: a bare object header in the static region.
//
//   0 ob_refcnt   (starts at 1 and is counted normally, as in 3.11 — reference §4.1)
//   8 ob_type     NoneType / NotImplementedType / ellipsis
//
// sys.getsizeof of each is 16 (basicsize, not a GC type). Their hash is the default pointer
// hash (3.11; None got a constant hash only in 3.12). None is false; NotImplemented and
// Ellipsis are true (3.11 warns for NotImplemented in a boolean context; pymem has no warnings).
// Calling the types (`type(None)()`) returns the singleton and accepts no arguments.
//
// This module only depends on the object core, so every other module can import it.

import {
  type Ptr, NULL as NULL__i, I32 as I32__i, staticAlloc,
} from '../mem/heap.js';
const NULL = NULL__i;
const I32 = I32__i;
import { OB_TYPE, hashPointer } from '../object.js';
import { newStaticType } from '../typeobject.js';
import { PyErr_SetString } from '../errors.js';
import { PyExc_TypeError } from './exceptions.js';
import { PyUnicode_FromString } from './unicodeobject.js';

/** The bytes of each singleton (and the basicsize of their types). */
export const SINGLETON_SIZE = 16;

function noArgs(name: string, singleton: () => Ptr) {
  return (_type: Ptr, _args: number, nargs: number, kwnames: Ptr): Ptr => {
    // kwnames is a tuple of str: a non-NULL kwnames with items means keyword arguments were given
    if (nargs !== 0 || (kwnames !== NULL && I32[(kwnames + 16) >> 2] !== 0)) {
      PyErr_SetString(PyExc_TypeError, `${name} takes no arguments`);
      return NULL;
    }
    const o = singleton();
    I32[o >> 2]++;
    return o;
  };
}

// ---- None ----
/** ≈ none_repr: new reference to 'None' */
function none_repr(_o: Ptr): Ptr {
  return PyUnicode_FromString('None');
}
/** ≈ none_bool */
function none_bool(_o: Ptr): number {
  return 0;
}
function singleton_hash(o: Ptr): number {
  return hashPointer(o);
}
/** Singletons are never deallocated (their refcount never reaches 0 unless a refcount bug
 *  does it — which CPython reports as a fatal error). */
function none_dealloc(_o: Ptr): void {
  throw new Error('pymem bug: deallocating None');
}

/** `NoneType` (≈ _PyNone_Type) */
export const PyNone_Type: Ptr = newStaticType({
  name: 'NoneType',
  basicsize: SINGLETON_SIZE,
  slots: {
    tp_dealloc: none_dealloc,
    tp_repr: none_repr,
    tp_hash: singleton_hash,
    nb_bool: none_bool,
    tp_vectorcall: noArgs('NoneType', () => Py_None),
  },
});

function newSingleton(type: Ptr): Ptr {
  const o = staticAlloc(SINGLETON_SIZE, 16);
  I32[o >> 2] = 1;
  I32[(o + OB_TYPE) >> 2] = type;
  return o;
}

/** None (≈ Py_None). A borrowed reference: INCREF it when handing it out (Py_RETURN_NONE). */
export const Py_None: Ptr = newSingleton(PyNone_Type);

// ---- NotImplemented ----
function notimplemented_repr(_o: Ptr): Ptr {
  return PyUnicode_FromString('NotImplemented');
}
function notimplemented_dealloc(_o: Ptr): void {
  throw new Error('pymem bug: deallocating NotImplemented');
}
/** `NotImplementedType` (≈ _PyNotImplemented_Type) */
export const PyNotImplemented_Type: Ptr = newStaticType({
  name: 'NotImplementedType',
  basicsize: SINGLETON_SIZE,
  slots: {
    tp_dealloc: notimplemented_dealloc,
    tp_repr: notimplemented_repr,
    tp_hash: singleton_hash,
    tp_vectorcall: noArgs('NotImplementedType', () => Py_NotImplemented),
  },
});
/** NotImplemented (≈ Py_NotImplemented); borrowed — INCREF when returning it. */
export const Py_NotImplemented: Ptr = newSingleton(PyNotImplemented_Type);

// ---- Ellipsis ----
function ellipsis_repr(_o: Ptr): Ptr {
  return PyUnicode_FromString('Ellipsis');
}
function ellipsis_dealloc(_o: Ptr): void {
  throw new Error('pymem bug: deallocating Ellipsis');
}
/** `ellipsis` (≈ PyEllipsis_Type); its constructor's messages say 'EllipsisType' as CPython's do */
export const PyEllipsis_Type: Ptr = newStaticType({
  name: 'ellipsis',
  basicsize: SINGLETON_SIZE,
  slots: {
    tp_dealloc: ellipsis_dealloc,
    tp_repr: ellipsis_repr,
    tp_hash: singleton_hash,
    tp_vectorcall: noArgs('EllipsisType', () => Py_Ellipsis),
  },
});
/** Ellipsis / `...` (≈ Py_Ellipsis); borrowed. */
export const Py_Ellipsis: Ptr = newSingleton(PyEllipsis_Type);

/** Py_RETURN_NONE: a new reference to None. */
export function Py_NewNone(): Ptr {
  I32[Py_None >> 2]++;
  return Py_None;
}
/** Py_RETURN_NOTIMPLEMENTED: a new reference to NotImplemented. */
export function Py_NewNotImplemented(): Ptr {
  I32[Py_NotImplemented >> 2]++;
  return Py_NotImplemented;
}
