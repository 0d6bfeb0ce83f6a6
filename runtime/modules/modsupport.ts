// Argument parsing helpers for the built-in modules (≈ Python/getargs.c, Python/modsupport.c
// and the code Argument Clinic generates), with CPython 3.11's messages.
//
// Functions use the vectorcall convention (typeobject.ts): `args` is the heap address of the
// first of `nargs` 8-byte slots (borrowed references), then the keyword values named by the
// `kwnames` tuple. parseArgs() resolves positional and keyword arguments against a spec into the
// module-level `ARGV` array (no allocation per call); ARGV[i] is 0 (NULL) for a missing
// optional argument.

import { type Ptr, NULL, I32 } from '../mem/heap.js';
import { Py_DECREF, Py_TYPE } from '../object.js';
import { typeName } from '../typeobject.js';
import { PyErr_SetString, PyErr_Occurred } from '../errors.js';
import { PyExc_TypeError, PyExc_OverflowError } from '../objects/exceptions.js';
import { PyTuple_GET_SIZE, PyTuple_GET_ITEM } from '../objects/tupleobject.js';
import { unicodeToJs, unicodeEqualsJs } from '../objects/unicodeobject.js';
import { PyNumber_Index } from '../abstract.js';
import { smallValue, PyLong_AsBigInt } from '../objects/longobject.js';

/** Parsed arguments (borrowed references; NULL = not given). */
export const ARGV = new Int32Array(16);

/** Argument i of a vectorcall (borrowed). */
export function arg(args: number, i: number): Ptr {
  return I32[(args + 8 * i) >> 2];
}

function typeError(msg: string): false {
  PyErr_SetString(PyExc_TypeError, msg);
  return false;
}

/** ≈ _PyArg_CheckPositional: "name expected at least 1 argument, got 0" etc. */
export function checkPositional(name: string, nargs: number, min: number, max: number): boolean {
  if (nargs < min) {
    return typeError(`${name} expected ${min === max ? '' : 'at least '}${min} argument${min === 1 ? '' : 's'}, got ${nargs}`);
  }
  if (nargs > max) {
    return typeError(`${name} expected ${min === max ? '' : 'at most '}${max} argument${max === 1 ? '' : 's'}, got ${nargs}`);
  }
  return true;
}

/** ≈ _PyArg_NoKwnames: "name() takes no keyword arguments". */
export function noKwnames(name: string, kwnames: Ptr): boolean {
  if (kwnames !== NULL && PyTuple_GET_SIZE(kwnames) > 0) return typeError(`${name}() takes no keyword arguments`);
  return true;
}

export interface ArgSpec {
  /** the function name as messages print it ('sum', 'getsizeof') */
  fname: string;
  /** parameter names in order */
  names: readonly string[];
  /** how many of the first parameters are positional-only */
  posonly: number;
  /** how many of the first parameters are required */
  required: number;
  /** parameters from this index on are keyword-only (names.length if none) */
  kwonlyFrom: number;
}

/** ≈ _PyArg_UnpackKeywords (Argument Clinic's parser). Fills ARGV[0..names.length); returns
 *  false with TypeError set on a bad call. */
export function parseArgs(spec: ArgSpec, args: number, nargs: number, kwnames: Ptr): boolean {
  const n = spec.names.length;
  const maxpos = spec.kwonlyFrom;
  for (let i = 0; i < n; i++) ARGV[i] = NULL;
  if (nargs > maxpos) {
    if (maxpos === n) {
      return typeError(`${spec.fname}() takes at most ${maxpos} argument${maxpos === 1 ? '' : 's'} (${nargs} given)`);
    }
    return typeError(`${spec.fname}() takes at most ${maxpos} positional argument${maxpos === 1 ? '' : 's'} (${nargs} given)`);
  }
  for (let i = 0; i < nargs; i++) ARGV[i] = I32[(args + 8 * i) >> 2];
  const nkw = kwnames === NULL ? 0 : PyTuple_GET_SIZE(kwnames);
  if (nargs + nkw > n) {
    // too many in total: CPython reports the count before looking at the names
    return typeError(`${spec.fname}() takes at most ${n} argument${n === 1 ? '' : 's'} (${nargs + nkw} given)`);
  }
  for (let k = 0; k < nkw; k++) {
    const key = PyTuple_GET_ITEM(kwnames, k);
    const idx = findName(spec, key);
    if (idx < 0 || idx < spec.posonly) {
      return typeError(`'${unicodeToJs(key)}' is an invalid keyword argument for ${spec.fname}()`);
    }
    if (idx < nargs) {
      return typeError(`argument for ${spec.fname}() given by name ('${spec.names[idx]}') and position (${idx + 1})`);
    }
    ARGV[idx] = I32[(args + 8 * (nargs + k)) >> 2];
  }
  for (let i = 0; i < spec.required; i++) {
    if (ARGV[i] === NULL) {
      if (i < spec.posonly && nkw === 0) {
        return typeError(`${spec.fname}() takes at least ${spec.required} positional argument${spec.required === 1 ? '' : 's'} (${nargs} given)`);
      }
      return typeError(`${spec.fname}() missing required argument '${spec.names[i]}' (pos ${i + 1})`);
    }
  }
  return true;
}

function findName(spec: ArgSpec, key: Ptr): number {
  for (let i = 0; i < spec.names.length; i++) if (unicodeEqualsJs(key, spec.names[i])) return i;
  return -1;
}

/** ≈ the 'i' converter (C int): the index value of o, or -1 with an exception (check
 *  PyErr_Occurred). Floats and non-integers raise "'float' object cannot be interpreted as an
 *  integer"; out of range raises OverflowError "Python int too large to convert to C int". */
export function asCInt(o: Ptr): number {
  return asBoundedInt(o, 2147483647, 'int');
}
/** ≈ the 'l' converter (C long, 64-bit): exact below 2^53. */
export function asCLong(o: Ptr): number {
  return asBoundedInt(o, 9223372036854775807, 'long');
}

function asBoundedInt(o: Ptr, max: number, cname: string): number {
  const idx = PyNumber_Index(o);
  if (idx === NULL) return -1;
  let v = smallValue(idx);
  if (v !== v) {
    const b = PyLong_AsBigInt(idx);
    Py_DECREF(idx);
    if (b > BigInt(max) || b < -BigInt(max) - 1n) {
      PyErr_SetString(PyExc_OverflowError, `Python int too large to convert to C ${cname}`);
      return -1;
    }
    return Number(b);
  }
  Py_DECREF(idx);
  if (v > max || v < -max - 1) {
    PyErr_SetString(PyExc_OverflowError, `Python int too large to convert to C ${cname}`);
    return -1;
  }
  return v;
}

/** True when the last asCInt/asCLong call failed (it returned -1 with an exception). */
export function argFailed(v: number): boolean {
  return v === -1 && PyErr_Occurred() !== NULL;
}

/** 'name' of an object's type, for messages. */
export function tpName(o: Ptr): string {
  return typeName(Py_TYPE(o));
}
