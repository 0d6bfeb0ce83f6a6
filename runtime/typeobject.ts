// Type objects (≈ Include/cpython/object.h PyTypeObject, Objects/typeobject.c).
//
// A type object is an object in the heap (static types in the static region, classes in
// pymalloc). Its scalar fields sit at the offsets below. Its slots (tp_dealloc, tp_hash,
// nb_add, ...) are TypeScript functions: the type object's TP_ID field is an index into
// `typeSlots`, the table of every type's slot functions — the heap stores the index, the JS
// table holds the functions (DESIGN.md Rule 1: "a native function lives in the heap as an
// object whose field is an index into a table of TS functions"). For classes the slot record
// is derived from the class's dict (slot_tp_* wrappers that look up dunder methods) and can be
// rebuilt from the heap; it is dropped when the class is freed.
//
//   0  ob_refcnt        24 tp_name (str*)      56 tp_base      88 tp_version_tag (u32)
//   8  ob_type          32 tp_basicsize        64 tp_dict      92 TP_ID (i32, index into typeSlots)
//  16  ob_size          40 tp_itemsize         72 tp_mro       96 tp_weaklistoffset
//                       48 tp_flags            80 tp_bases    104 tp_dictoffset
// 112 tp_subclasses  120 ht_cached_keys  128 ht_name  136 ht_qualname  144 ht_slots  152 ht_module
//
// Static types are STATIC_TYPE_SIZE bytes in the static region and start at refcount 1, counted
// normally (as CPython 3.11's PyVarObject_HEAD_INIT); no program output depends on their counts.

import { type Ptr, NULL, I32 as heapI32, staticAlloc } from './mem/heap.js';

// The heap views as file-local constants: V8 reads an imported binding through its module
// cell on every use (measured ~2x slower in hot loops than a local const).
const I32 = heapI32;
// (object.ts imports this module: the header offset is repeated here so that the type objects
// created at load time never touch a binding of a module that is still loading)
const OB_TYPE = 8;

// ---- layout ----
export const TP_NAME = 24;
export const TP_BASICSIZE = 32;
export const TP_ITEMSIZE = 40;
export const TP_FLAGS = 48;
export const TP_BASE = 56;
export const TP_DICT = 64;
export const TP_MRO = 72;
export const TP_BASES = 80;
export const TP_VERSION_TAG = 88;
export const TP_ID = 92;
export const TP_WEAKLISTOFFSET = 96;
export const TP_DICTOFFSET = 104;
export const TP_SUBCLASSES = 112;
export const HT_CACHED_KEYS = 120;
export const HT_NAME = 128;
export const HT_QUALNAME = 136;
export const HT_SLOTS = 144;
export const HT_MODULE = 152;
/** Bytes reserved for a static type object (CPython's PyTypeObject is 408 + padding). */
export const STATIC_TYPE_SIZE = 416;

// ---- tp_flags (3.11 values) ----
export const Py_TPFLAGS_HAVE_FINALIZE = 1 << 0; // (removed meaning in 3.8+, kept for completeness)
export const Py_TPFLAGS_MANAGED_DICT = 1 << 4;
export const Py_TPFLAGS_SEQUENCE = 1 << 5;
export const Py_TPFLAGS_MAPPING = 1 << 6;
export const Py_TPFLAGS_DISALLOW_INSTANTIATION = 1 << 7;
export const Py_TPFLAGS_IMMUTABLETYPE = 1 << 8;
export const Py_TPFLAGS_HEAPTYPE = 1 << 9;
export const Py_TPFLAGS_BASETYPE = 1 << 10;
export const Py_TPFLAGS_HAVE_VECTORCALL = 1 << 11;
export const Py_TPFLAGS_READY = 1 << 12;
export const Py_TPFLAGS_READYING = 1 << 13;
export const Py_TPFLAGS_HAVE_GC = 1 << 14;
export const Py_TPFLAGS_METHOD_DESCRIPTOR = 1 << 17;
export const Py_TPFLAGS_VALID_VERSION_TAG = 1 << 19;
export const Py_TPFLAGS_IS_ABSTRACT = 1 << 20;
export const Py_TPFLAGS_LONG_SUBCLASS = 1 << 24;
export const Py_TPFLAGS_LIST_SUBCLASS = 1 << 25;
export const Py_TPFLAGS_TUPLE_SUBCLASS = 1 << 26;
export const Py_TPFLAGS_BYTES_SUBCLASS = 1 << 27;
export const Py_TPFLAGS_UNICODE_SUBCLASS = 1 << 28;
export const Py_TPFLAGS_DICT_SUBCLASS = 1 << 29;
export const Py_TPFLAGS_BASE_EXC_SUBCLASS = 1 << 30;
export const Py_TPFLAGS_TYPE_SUBCLASS = 1 << 31;

// ---- rich comparison ops (COMPARE_OP args) ----
export const Py_LT = 0;
export const Py_LE = 1;
export const Py_EQ = 2;
export const Py_NE = 3;
export const Py_GT = 4;
export const Py_GE = 5;

// ---- slot signatures (as CPython's typedefs; Ptr results are new references, NULL = error) ----
export type destructor = (o: Ptr) => void;
export type freefunc = (p: Ptr) => void;
export type unaryfunc = (o: Ptr) => Ptr;
export type binaryfunc = (a: Ptr, b: Ptr) => Ptr;
export type ternaryfunc = (a: Ptr, b: Ptr, c: Ptr) => Ptr;
/** -1 error, else 0/1 (nb_bool) */
export type inquiry = (o: Ptr) => number;
/** -1 error, else the length */
export type lenfunc = (o: Ptr) => number;
export type ssizeargfunc = (o: Ptr, i: number) => Ptr;
/** v NULL = delete; returns 0 or -1 */
export type ssizeobjargproc = (o: Ptr, i: number, v: Ptr) => number;
/** v NULL = delete; returns 0 or -1 */
export type objobjargproc = (o: Ptr, k: Ptr, v: Ptr) => number;
/** sq_contains: -1 error, 0, 1 */
export type objobjproc = (o: Ptr, v: Ptr) => number;
/** returns the LOW 32 bits of the 64-bit hash; the high half is left in HASH_HI[0] (object.ts) */
export type hashfunc = (o: Ptr) => number;
export type richcmpfunc = (a: Ptr, b: Ptr, op: number) => Ptr;
export type getattrofunc = (o: Ptr, name: Ptr) => Ptr;
/** v NULL = delete */
export type setattrofunc = (o: Ptr, name: Ptr, v: Ptr) => number;
export type descrgetfunc = (descr: Ptr, obj: Ptr, type: Ptr) => Ptr;
export type descrsetfunc = (descr: Ptr, obj: Ptr, v: Ptr) => number;
export type initproc = (self: Ptr, args: Ptr, kwds: Ptr) => number;
export type newfunc = (type: Ptr, args: Ptr, kwds: Ptr) => Ptr;
/** GC visit callback: returns non-zero to stop the traversal */
export type visitproc = (o: Ptr, arg: number) => number;
export type traverseproc = (o: Ptr, visit: visitproc, arg: number) => number;
/** Vectorcall: `args` is the heap address of the first of `nargs` 8-byte argument slots (the
 *  caller's stack slots: borrowed), followed by the keyword values named by `kwnames` (a tuple
 *  of str, or NULL). ≈ CPython's vectorcallfunc; the PY_VECTORCALL_ARGUMENTS_OFFSET bit is not used. */
export type vectorcallfunc = (callable: Ptr, args: number, nargs: number, kwnames: Ptr) => Ptr;

/** Method table entry (≈ PyMethodDef). The function's signature depends on flags:
 *  METH_NOARGS (self, NULL) · METH_O (self, arg) · METH_FASTCALL (self, args, nargs) ·
 *  METH_FASTCALL|METH_KEYWORDS (self, args, nargs, kwnames) · METH_VARARGS(|KEYWORDS) (self, argsTuple, kwargsDict). */
export interface MethodDef {
  name: string;
  flags: number;
  fn: (self: Ptr, a: number, b: number, c: Ptr) => Ptr;
  doc?: string;
}
export const METH_VARARGS = 0x0001;
export const METH_KEYWORDS = 0x0002;
export const METH_NOARGS = 0x0004;
export const METH_O = 0x0008;
export const METH_CLASS = 0x0010;
export const METH_STATIC = 0x0020;
export const METH_COEXIST = 0x0040;
export const METH_FASTCALL = 0x0080;

/** Attribute computed by functions (≈ PyGetSetDef). get returns a new reference (NULL = error);
 *  set gets v = NULL for deletion and returns 0 / -1. */
export interface GetSetDef {
  name: string;
  get: (self: Ptr) => Ptr;
  set?: (self: Ptr, v: Ptr) => number;
  doc?: string;
}
/** Plain field at an offset (≈ PyMemberDef). */
export interface MemberDef {
  name: string;
  kind: 'object' | 'object_ex' | 'int' | 'bool';
  offset: number;
  readonly: boolean;
  doc?: string;
}

/** The slot functions of one type. Every field is present (undefined when the type lacks the
 *  slot) so all records share one hidden class. */
export class Slots {
  /** tp_name as a JS string (a cache of the heap's tp_name str; used for messages) */
  name = '';
  tp_dealloc: destructor | undefined = undefined;
  tp_free: freefunc | undefined = undefined;
  tp_repr: unaryfunc | undefined = undefined;
  tp_str: unaryfunc | undefined = undefined;
  tp_hash: hashfunc | undefined = undefined;
  tp_richcompare: richcmpfunc | undefined = undefined;
  tp_iter: unaryfunc | undefined = undefined;
  tp_iternext: unaryfunc | undefined = undefined;
  tp_call: ternaryfunc | undefined = undefined;
  /** vectorcall used when the TYPE itself is called (int(...), list(...)) */
  tp_vectorcall: vectorcallfunc | undefined = undefined;
  /** how INSTANCES of this type are called with the vectorcall convention (≈ the per-object
   *  vectorcall pointer at tp_vectorcall_offset: functions, builtin functions, method
   *  descriptors, bound methods, types). PyObject_Vectorcall prefers it over tp_call. */
  ob_vectorcall: vectorcallfunc | undefined = undefined;
  tp_getattro: getattrofunc | undefined = undefined;
  tp_setattro: setattrofunc | undefined = undefined;
  tp_descr_get: descrgetfunc | undefined = undefined;
  tp_descr_set: descrsetfunc | undefined = undefined;
  tp_init: initproc | undefined = undefined;
  tp_new: newfunc | undefined = undefined;
  tp_traverse: traverseproc | undefined = undefined;
  tp_clear: inquiry | undefined = undefined;
  tp_finalize: destructor | undefined = undefined;
  tp_del: destructor | undefined = undefined;
  tp_is_gc: inquiry | undefined = undefined;

  nb_add: binaryfunc | undefined = undefined;
  nb_subtract: binaryfunc | undefined = undefined;
  nb_multiply: binaryfunc | undefined = undefined;
  nb_remainder: binaryfunc | undefined = undefined;
  nb_divmod: binaryfunc | undefined = undefined;
  nb_power: ternaryfunc | undefined = undefined;
  nb_negative: unaryfunc | undefined = undefined;
  nb_positive: unaryfunc | undefined = undefined;
  nb_absolute: unaryfunc | undefined = undefined;
  nb_bool: inquiry | undefined = undefined;
  nb_invert: unaryfunc | undefined = undefined;
  nb_lshift: binaryfunc | undefined = undefined;
  nb_rshift: binaryfunc | undefined = undefined;
  nb_and: binaryfunc | undefined = undefined;
  nb_xor: binaryfunc | undefined = undefined;
  nb_or: binaryfunc | undefined = undefined;
  nb_int: unaryfunc | undefined = undefined;
  nb_float: unaryfunc | undefined = undefined;
  nb_inplace_add: binaryfunc | undefined = undefined;
  nb_inplace_subtract: binaryfunc | undefined = undefined;
  nb_inplace_multiply: binaryfunc | undefined = undefined;
  nb_inplace_remainder: binaryfunc | undefined = undefined;
  nb_inplace_power: ternaryfunc | undefined = undefined;
  nb_inplace_lshift: binaryfunc | undefined = undefined;
  nb_inplace_rshift: binaryfunc | undefined = undefined;
  nb_inplace_and: binaryfunc | undefined = undefined;
  nb_inplace_xor: binaryfunc | undefined = undefined;
  nb_inplace_or: binaryfunc | undefined = undefined;
  nb_floor_divide: binaryfunc | undefined = undefined;
  nb_true_divide: binaryfunc | undefined = undefined;
  nb_inplace_floor_divide: binaryfunc | undefined = undefined;
  nb_inplace_true_divide: binaryfunc | undefined = undefined;
  nb_index: unaryfunc | undefined = undefined;
  nb_matrix_multiply: binaryfunc | undefined = undefined;
  nb_inplace_matrix_multiply: binaryfunc | undefined = undefined;

  sq_length: lenfunc | undefined = undefined;
  sq_concat: binaryfunc | undefined = undefined;
  sq_repeat: ssizeargfunc | undefined = undefined;
  sq_item: ssizeargfunc | undefined = undefined;
  sq_ass_item: ssizeobjargproc | undefined = undefined;
  sq_contains: objobjproc | undefined = undefined;
  sq_inplace_concat: binaryfunc | undefined = undefined;
  sq_inplace_repeat: ssizeargfunc | undefined = undefined;

  mp_length: lenfunc | undefined = undefined;
  mp_subscript: binaryfunc | undefined = undefined;
  mp_ass_subscript: objobjargproc | undefined = undefined;

  /** tables that PyType_Ready turns into descriptors in tp_dict */
  methods: MethodDef[] = [];
  getsets: GetSetDef[] = [];
  members: MemberDef[] = [];
  /** __doc__ text */
  doc: string | null = null;
  /** the slots this type defines itself (not inherited): PyType_Ready adds slot wrappers
   *  (`__add__`, `__repr__`...) to tp_dict only for these, as CPython's add_operators */
  own: string[] = [];
  /** __sizeof__ for types whose size is not basicsize + ob_size * itemsize (list, dict, set, str...) */
  tp_sizeof: ((o: Ptr) => number) | undefined = undefined;
}

export type SlotName = Exclude<keyof Slots, 'name' | 'methods' | 'getsets' | 'members' | 'doc' | 'own'>;

/** typeSlots[I32[(type + TP_ID) >> 2]] is the type's slot record. */
export const typeSlots: Slots[] = [];
/** The type object of each TP_ID (0 for freed heap types; ids of freed classes are reused). */
export const typeById: Ptr[] = [];
const freeTypeIds: number[] = [];

export function slotsOf(type: Ptr): Slots {
  return typeSlots[I32[(type + TP_ID) >> 2]];
}
/** The slot record of an object's type. */
export function slotsOfObj(o: Ptr): Slots {
  return typeSlots[I32[(I32[(o + OB_TYPE) >> 2] + TP_ID) >> 2]];
}
export function typeName(type: Ptr): string {
  return typeSlots[I32[(type + TP_ID) >> 2]].name;
}
export function typeFlags(type: Ptr): number {
  return I32[(type + TP_FLAGS) >> 2];
}
export function typeHasFlag(type: Ptr, flag: number): boolean {
  return (I32[(type + TP_FLAGS) >> 2] & flag) !== 0;
}
export function typeBasicSize(type: Ptr): number {
  return I32[(type + TP_BASICSIZE) >> 2];
}
export function typeItemSize(type: Ptr): number {
  return I32[(type + TP_ITEMSIZE) >> 2];
}
export function typeBase(type: Ptr): Ptr {
  return I32[(type + TP_BASE) >> 2];
}

/** Give a type object a TP_ID and its slot record. */
export function registerTypeSlots(type: Ptr, slots: Slots): number {
  const id = freeTypeIds.length > 0 ? freeTypeIds.pop()! : typeSlots.length;
  typeSlots[id] = slots;
  typeById[id] = type;
  I32[(type + TP_ID) >> 2] = id;
  return id;
}
/** Drop a freed class's slot record (its TP_ID is reused). */
export function unregisterTypeSlots(type: Ptr): void {
  const id = I32[(type + TP_ID) >> 2];
  typeSlots[id] = new Slots();
  typeById[id] = NULL;
  freeTypeIds.push(id);
}

const SLOT_NAMES = Object.keys(new Slots()).filter(
  (k) => k !== 'name' && k !== 'methods' && k !== 'getsets' && k !== 'members' && k !== 'doc' && k !== 'own',
) as SlotName[];

/** ≈ inherit_slots: copy every slot the type does not define from its base's record.
 *  (tp_new is inherited too; CPython's special cases for hash/richcompare pairs are applied by
 *  the caller for classes.) */
export function inheritSlots(slots: Slots, base: Slots): void {
  const dst = slots as unknown as Record<string, unknown>;
  const src = base as unknown as Record<string, unknown>;
  for (const k of SLOT_NAMES) {
    if (dst[k] === undefined && src[k] !== undefined) dst[k] = src[k];
  }
}

export interface StaticTypeSpec {
  name: string;
  basicsize: number;
  itemsize?: number;
  flags?: number;
  /** NULL only for `object` itself; defaults to `object` */
  base?: Ptr;
  slots?: Partial<Slots>;
  /** the metatype (defaults to `type`) */
  metatype?: Ptr;
}

/** Allocate and register a static type object in the static region (≈ a static PyTypeObject).
 *  Slots missing from the spec are inherited from the base. tp_dict, tp_mro, tp_bases and
 *  tp_name objects are created later by PyType_Ready, once str/tuple/dict exist. */
export function newStaticType(spec: StaticTypeSpec): Ptr {
  const t = staticAlloc(STATIC_TYPE_SIZE, 16);
  const base = spec.base === undefined ? PyBaseObject_Type : spec.base;
  I32[t >> 2] = 1;
  I32[(t + OB_TYPE) >> 2] = spec.metatype ?? PyType_Type;
  I32[(t + TP_BASICSIZE) >> 2] = spec.basicsize;
  I32[(t + TP_ITEMSIZE) >> 2] = spec.itemsize ?? 0;
  I32[(t + TP_FLAGS) >> 2] = (spec.flags ?? 0) | Py_TPFLAGS_IMMUTABLETYPE;
  I32[(t + TP_BASE) >> 2] = base;
  const slots = Object.assign(new Slots(), spec.slots ?? {});
  slots.name = spec.name;
  slots.own = Object.keys(spec.slots ?? {}).filter((k) => (slots as unknown as Record<string, unknown>)[k] !== undefined && SLOT_NAMES.includes(k as SlotName));
  if (base !== NULL) {
    const hadNew = slots.tp_new !== undefined;
    inheritSlots(slots, slotsOf(base));
    // a static type whose base is `object` and which defines no tp_new cannot be instantiated
    // (≈ type_ready_set_new / Py_TPFLAGS_DISALLOW_INSTANTIATION)
    if (!hadNew && base === PyBaseObject_Type) {
      slots.tp_new = undefined;
      I32[(t + TP_FLAGS) >> 2] |= Py_TPFLAGS_DISALLOW_INSTANTIATION;
    }
    // subclass flags are inherited (≈ inherit_special)
    I32[(t + TP_FLAGS) >> 2] |= I32[(base + TP_FLAGS) >> 2] & (0xff << 24);
  }
  registerTypeSlots(t, slots);
  return t;
}

/** ≈ PyType_IsSubtype: walks tp_mro when it exists (a tuple: items at +24), else the tp_base chain. */
export function PyType_IsSubtype(a: Ptr, b: Ptr): boolean {
  if (a === b) return true;
  const mro = I32[(a + TP_MRO) >> 2];
  if (mro !== NULL) {
    const n = I32[(mro + 16) >> 2];
    for (let i = 0; i < n; i++) if (I32[(mro + 24 + 8 * i) >> 2] === b) return true;
    return false;
  }
  for (let t = I32[(a + TP_BASE) >> 2]; t !== NULL; t = I32[(t + TP_BASE) >> 2]) if (t === b) return true;
  return b === PyBaseObject_Type;
}

/** ≈ PyObject_TypeCheck */
export function PyObject_TypeCheck(o: Ptr, type: Ptr): boolean {
  const t = I32[(o + OB_TYPE) >> 2];
  return t === type || PyType_IsSubtype(t, type);
}

// ---- the two roots: `object` and `type` ----
// Created here (not through newStaticType) because each needs the other.
function bootstrapType(name: string, basicsize: number, flags: number): Ptr {
  const t = staticAlloc(STATIC_TYPE_SIZE, 16);
  I32[t >> 2] = 1;
  I32[(t + TP_BASICSIZE) >> 2] = basicsize;
  I32[(t + TP_FLAGS) >> 2] = flags | Py_TPFLAGS_IMMUTABLETYPE;
  const slots = new Slots();
  slots.name = name;
  registerTypeSlots(t, slots);
  return t;
}
/** `object` (≈ PyBaseObject_Type): basicsize 16 */
export const PyBaseObject_Type: Ptr = bootstrapType('object', 16, Py_TPFLAGS_BASETYPE);
/** `type` (≈ PyType_Type): a GC type; instances are classes */
export const PyType_Type: Ptr = bootstrapType(
  'type',
  STATIC_TYPE_SIZE,
  Py_TPFLAGS_BASETYPE | Py_TPFLAGS_HAVE_GC | Py_TPFLAGS_TYPE_SUBCLASS | Py_TPFLAGS_HAVE_VECTORCALL,
);
I32[(PyBaseObject_Type + OB_TYPE) >> 2] = PyType_Type;
I32[(PyType_Type + OB_TYPE) >> 2] = PyType_Type;
I32[(PyType_Type + TP_BASE) >> 2] = PyBaseObject_Type;

export function PyType_Check(o: Ptr): boolean {
  return (I32[(I32[(o + OB_TYPE) >> 2] + TP_FLAGS) >> 2] & Py_TPFLAGS_TYPE_SUBCLASS) !== 0;
}
