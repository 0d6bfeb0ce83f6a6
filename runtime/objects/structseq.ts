// Struct sequences: named-tuple-like static types such as sys.version_info, sys.flags,
// sys.float_info (≈ Objects/structseq.c).
//
// A struct sequence type is a static subclass of tuple with a member descriptor per field
// (`.major` reads item 0). Instances are tuples: [header 24 incl. ob_size][ob_item 8·n] + GC head,
// so indexing, slicing, comparison, hashing and iteration are tuple's, and
// sys.getsizeof(sys.version_info) == 40 + 8·5 == 80 as in CPython. pymem only needs struct
// sequences whose fields are all visible (n_fields == n_sequence_fields), so tuple's dealloc
// (items last to first, then tp_free since the type is not exactly tuple) is reused as is.
// The types cannot be instantiated from Python ("cannot create 'sys.flags' instances"), as
// CPython's sys types.
//
// repr: `sys.version_info(major=3, minor=11, micro=7, releaselevel='final', serial=0)`.

import { type Ptr, NULL, I32 } from '../mem/heap.js';
import { Py_DECREF, Py_XDECREF, Py_TYPE, Py_ReprEnter, Py_ReprLeave } from '../object.js';
import { newStaticType, slotsOf, typeName, Py_TPFLAGS_DISALLOW_INSTANTIATION, Py_TPFLAGS_HAVE_GC, Py_TPFLAGS_TUPLE_SUBCLASS, type MemberDef } from '../typeobject.js';
import { PyErr_NoMemory } from '../errors.js';
import { PyObject_GC_NewVar, PyObject_GC_Track } from '../gc.js';
import { PyTuple_Type, TUPLE_ITEMS } from './tupleobject.js';
import { PyObject_Repr } from '../abstract.js';
import { PyUnicode_FromString, unicodeToJs } from './unicodeobject.js';

/** The field names of each struct sequence type (a JS cache of the member descriptors' names,
 *  which live in the type's dict once PyType_Ready has run). */
const fieldNames = new Map<Ptr, readonly string[]>();

function structseq_repr(o: Ptr): Ptr {
  const t = Py_TYPE(o);
  const names = fieldNames.get(t) ?? [];
  if (Py_ReprEnter(o) !== 0) return PyUnicode_FromString(`${typeName(t)}(...)`);
  let out = `${typeName(t)}(`;
  const n = I32[(o + 16) >> 2];
  for (let i = 0; i < n; i++) {
    const r = PyObject_Repr(I32[(o + TUPLE_ITEMS + 8 * i) >> 2]);
    if (r === NULL) {
      Py_ReprLeave(o);
      return NULL;
    }
    out += `${i > 0 ? ', ' : ''}${names[i] ?? `f${i}`}=${unicodeToJs(r)}`;
    Py_DECREF(r);
  }
  Py_ReprLeave(o);
  return PyUnicode_FromString(out + ')');
}

/** ≈ PyStructSequence_NewType: a static tuple subclass named `name` ('sys.flags') with one
 *  read-only member per field. Call at module load time (the type lives in the static region);
 *  run PyType_Ready on it before use if the static types were readied already. */
export function PyStructSequence_NewType(name: string, fields: readonly string[], doc: string | null = null): Ptr {
  const members: MemberDef[] = fields.map((f, i) => ({ name: f, kind: 'object', offset: TUPLE_ITEMS + 8 * i, readonly: true }));
  const t = newStaticType({
    name,
    basicsize: 24,
    itemsize: 8,
    base: PyTuple_Type,
    flags: Py_TPFLAGS_HAVE_GC | Py_TPFLAGS_TUPLE_SUBCLASS | Py_TPFLAGS_DISALLOW_INSTANTIATION, // not a base type
    slots: { tp_repr: structseq_repr, members, doc },
  });
  const s = slotsOf(t);
  s.tp_new = undefined;
  s.tp_vectorcall = undefined;
  fieldNames.set(t, fields);
  return t;
}

/** ≈ PyStructSequence_New + PyStructSequence_SET_ITEM: a tracked instance of `type` holding
 *  `items` (STOLEN references). New reference, or NULL when an item is NULL (an exception is
 *  then set by whoever failed to make it) or memory is exhausted; the items are released then. */
export function PyStructSequence_FromItems(type: Ptr, items: Ptr[]): Ptr {
  const n = items.length;
  const o = items.includes(NULL) ? NULL : PyObject_GC_NewVar(type, n);
  if (o === NULL) {
    const failed = items.includes(NULL);
    for (const it of items) Py_XDECREF(it);
    return failed ? NULL : PyErr_NoMemory();
  }
  I32[(o + 16) >> 2] = n;
  I32[(o + 20) >> 2] = 0;
  for (let i = 0; i < n; i++) {
    I32[(o + TUPLE_ITEMS + 8 * i) >> 2] = items[i];
    I32[(o + TUPLE_ITEMS + 8 * i + 4) >> 2] = 0;
  }
  PyObject_GC_Track(o);
  return o;
}
