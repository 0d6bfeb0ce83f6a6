// The current exception (≈ Python/errors.c, the thread state's curexc_* fields).
//
// Convention (STYLE.md "The hot loop", as CPython): a runtime function that fails sets the
// current exception and returns NULL (or -1); the caller propagates. A JS `throw` is an
// interpreter bug, never a Python error.
//
// As in CPython 3.11, PyErr_SetString does not build the exception instance at once: it stores
// the type and the message, and the instance is created (normalized) when someone fetches it.
// That keeps the low floors (int arithmetic raising ZeroDivisionError, the allocator raising
// MemoryError) free of any dependency on str, tuple and exception objects; exceptions.ts
// registers the factory that normalizes.

import { type Ptr, NULL } from './mem/heap.js';
import { Py_DECREF, Py_INCREF, Py_TYPE, Py_XDECREF } from './object.js';
import { PyType_IsSubtype, PyType_Check } from './typeobject.js';
import { setExceptionSetHook } from './gc.js';

/** The pending exception: its type (NULL = none), and either a value object or a message. */
let curType: Ptr = NULL;
let curValue: Ptr = NULL; // a normalized instance, or an argument object (owned), or NULL
let curMsg: string | null = null;
/** true when the pending exception was raised afresh (PyErr_SetString/SetObject) rather than
 *  restored: CPython's _PyErr_SetObject chains the exception being handled as __context__. */
let curFresh = false;
let contextHook: ((exc: Ptr) => void) | null = null;
/** The VM installs the context chaining of _PyErr_SetObject (it knows the exc_info stack). */
export function setContextHook(f: (exc: Ptr) => void): void {
  contextHook = f;
}

/** Builds an exception instance of `type` from `value` (an object or NULL) or `msg`.
 *  Returns a new reference; set by exceptions.ts. */
export type ExceptionFactory = (type: Ptr, value: Ptr, msg: string | null) => Ptr;
let factory: ExceptionFactory | null = null;
export function setExceptionFactory(f: ExceptionFactory): void {
  factory = f;
}
/** Set by exceptions.ts: is `o` an exception instance (BaseException subclass)? */
let isExceptionInstance: (o: Ptr) => boolean = () => false;
export function setExceptionInstanceCheck(f: (o: Ptr) => boolean): void {
  isExceptionInstance = f;
}

setExceptionSetHook(() => curType !== NULL);

/** ≈ PyErr_Occurred: the type of the pending exception (borrowed), or NULL. */
export function PyErr_Occurred(): Ptr {
  return curType;
}

/** ≈ PyErr_SetString: raise `type` with a message (text exactly as CPython prints it). */
export function PyErr_SetString(type: Ptr, msg: string): void {
  PyErr_Clear();
  Py_INCREF(type);
  curType = type;
  curMsg = msg;
  curFresh = true;
}

/** ≈ PyErr_SetObject: raise `type` with `value` (borrowed; an instance of type, or the single
 *  argument for its constructor, or NULL for no arguments). */
export function PyErr_SetObject(type: Ptr, value: Ptr): void {
  if (value !== NULL) Py_INCREF(value);
  PyErr_Clear();
  Py_INCREF(type);
  curType = type;
  curValue = value;
  curFresh = true;
}

/** ≈ PyErr_SetNone */
export function PyErr_SetNone(type: Ptr): void {
  PyErr_SetObject(type, NULL);
}

/** ≈ PyErr_ExceptionMatches */
export function PyErr_ExceptionMatches(type: Ptr): boolean {
  return curType !== NULL && PyErr_GivenExceptionMatches(curType, type);
}

/** ≈ PyErr_GivenExceptionMatches for a type (not a tuple of types) */
export function PyErr_GivenExceptionMatches(given: Ptr, type: Ptr): boolean {
  if (given === NULL) return false;
  const g = PyType_Check(given) ? given : Py_TYPE(given);
  return g === type || PyType_IsSubtype(g, type);
}

/** ≈ PyErr_Clear */
export function PyErr_Clear(): void {
  const t = curType;
  const v = curValue;
  curType = NULL;
  curValue = NULL;
  curMsg = null;
  curFresh = false;
  Py_XDECREF(v);
  Py_XDECREF(t);
}

/** ≈ PyErr_GetRaisedException (3.12 name; in 3.11 PyErr_Fetch + PyErr_NormalizeException):
 *  take the pending exception as a normalized instance (new reference) and clear it; NULL if none. */
export function PyErr_Fetch(): Ptr {
  if (curType === NULL) return NULL;
  const t = curType;
  const v = curValue;
  const m = curMsg;
  const fresh = curFresh;
  curType = NULL;
  curValue = NULL;
  curMsg = null;
  curFresh = false;
  let exc: Ptr;
  if (v !== NULL && isExceptionInstance(v) && PyType_IsSubtype(Py_TYPE(v), t)) {
    exc = v; // already an instance: take over the reference
  } else {
    if (factory === null) throw new Error(`pymem bug: exception raised before exceptions.ts registered its factory (${m ?? ''})`);
    exc = factory(t, v, m);
    Py_XDECREF(v);
    if (exc === NULL) {
      // creating the instance failed: the failure (e.g. MemoryError) is now pending; keep it
      Py_DECREF(t);
      return PyErr_Fetch();
    }
  }
  Py_DECREF(t);
  if (fresh && contextHook !== null) contextHook(exc);
  return exc;
}

/** ≈ PyErr_SetRaisedException: make `exc` (a normalized instance; the reference is stolen) the
 *  pending exception. */
export function PyErr_Restore(exc: Ptr): void {
  PyErr_Clear();
  if (exc === NULL) return;
  const t = Py_TYPE(exc);
  Py_INCREF(t);
  curType = t;
  curValue = exc;
}

/** The pending message, when the exception was set with PyErr_SetString and not yet normalized
 *  (tests and diagnostics only). */
export function pendingMessage(): string | null {
  return curMsg;
}

// The exception types are static objects created by exceptions.ts; MemoryError is needed by
// the lowest floors, so it is reached through a setter to avoid an import cycle at load time.
let memoryErrorType: Ptr = NULL;
export function setMemoryErrorType(t: Ptr): void {
  memoryErrorType = t;
}
/** ≈ PyErr_NoMemory: raise MemoryError; returns NULL for `return PyErr_NoMemory()`. */
export function PyErr_NoMemory(): Ptr {
  if (memoryErrorType === NULL) throw new Error('pymem bug: out of memory before MemoryError exists');
  PyErr_SetNone(memoryErrorType);
  return NULL;
}
