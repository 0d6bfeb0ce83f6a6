// The `time` module (≈ Modules/timemodule.c): the clocks of SUBSET.md and sleep.
//
// time() / time_ns(): wall clock (CLOCK_REALTIME), nanoseconds from the process's monotonic
// clock added to the wall time read once at start-up. perf_counter() / monotonic() and their
// _ns forms: the monotonic clock (process.hrtime). process_time(): user + system CPU time.
// sleep(secs): blocks the thread (Atomics.wait), after CPython's argument checks.

import { type Ptr, NULL } from '../mem/heap.js';
import { Py_INCREF } from '../object.js';
import { METH_FASTCALL, METH_KEYWORDS, type MethodDef } from '../typeobject.js';
import { PyErr_SetString, PyErr_Occurred, PyErr_SetNone } from '../errors.js';
import { PyExc_TypeError, PyExc_ValueError, PyExc_OverflowError, PyExc_KeyboardInterrupt } from '../objects/exceptions.js';
import { Py_None } from '../objects/noneobject.js';
import { PyLong_FromNumber, PyLong_FromBigInt, PyLong_Check, PyLong_AsDouble } from '../objects/longobject.js';
import { PyFloat_FromDouble, PyFloat_Check, PyFloat_AS_DOUBLE } from '../objects/floatobject.js';
import { PyTuple_GET_SIZE } from '../objects/tupleobject.js';
import { PyModule_New, PyModule_AddFunctions } from '../objects/moduleobject.js';
import { arg, tpName } from './modsupport.js';
import { registerBuiltinModule } from './import.js';
import { flushStdStreams } from './io.js';
import { noteLongRun, ts } from '../pystate.js';

// The wall clock's base is taken at the first call, not when the module loads (a process may load
// the runtime long before it runs a program).
let hrBase = 0n;
let wallBaseNs = -1n;

function nowNs(): bigint {
  if (wallBaseNs < 0n) {
    hrBase = process.hrtime.bigint();
    wallBaseNs = BigInt(Date.now()) * 1_000_000n;
  }
  return wallBaseNs + (process.hrtime.bigint() - hrBase);
}

/** "time.X() takes no arguments (N given)" / "... exactly one argument" as CPython prints. */
function checkArgs(name: string, nargs: number, kwnames: Ptr, n: 0 | 1): boolean {
  if (kwnames !== NULL && PyTuple_GET_SIZE(kwnames) > 0) {
    PyErr_SetString(PyExc_TypeError, `time.${name}() takes no keyword arguments`);
    return false;
  }
  if (nargs !== n) {
    PyErr_SetString(PyExc_TypeError, n === 0 ? `time.${name}() takes no arguments (${nargs} given)` : `time.${name}() takes exactly one argument (${nargs} given)`);
    return false;
  }
  return true;
}

function clock(name: string, read: () => Ptr) {
  return (_m: Ptr, _args: number, nargs: number, kwnames: Ptr): Ptr => (checkArgs(name, nargs, kwnames, 0) ? read() : NULL);
}

function bigToInt(v: bigint): Ptr {
  return v <= 9007199254740991n ? PyLong_FromNumber(Number(v)) : PyLong_FromBigInt(v);
}
function cpuNs(): bigint {
  const u = process.cpuUsage();
  return BigInt(u.user + u.system) * 1000n;
}

function time_sleep(_m: Ptr, args: number, nargs: number, kwnames: Ptr): Ptr {
  if (!checkArgs('sleep', nargs, kwnames, 1)) return NULL;
  noteLongRun();
  const o = arg(args, 0);
  let secs: number;
  if (PyFloat_Check(o)) {
    secs = PyFloat_AS_DOUBLE(o);
    if (secs !== secs) {
      PyErr_SetString(PyExc_ValueError, 'Invalid value NaN (not a number)');
      return NULL;
    }
  } else if (PyLong_Check(o)) {
    secs = PyLong_AsDouble(o);
    if (secs === -1 && PyErr_Occurred() !== NULL) return NULL;
  } else {
    PyErr_SetString(PyExc_TypeError, `'${tpName(o)}' object cannot be interpreted as an integer`);
    return NULL;
  }
  if (Math.abs(secs) * 1e9 > 9.223372036854776e18) {
    PyErr_SetString(PyExc_OverflowError, 'timestamp too large to convert to C _PyTime_t');
    return NULL;
  }
  if (secs < 0) {
    PyErr_SetString(PyExc_ValueError, 'sleep length must be non-negative');
    return NULL;
  }
  flushStdStreams();
  if (secs > 0) {
    // wait on the SIGINT flag itself: the CLI's watcher thread notifies it, so Ctrl-C ends the
    // sleep early with KeyboardInterrupt, as CPython's sleep does (PyErr_CheckSignals)
    Atomics.wait(ts.sigint, 0, 0, secs * 1000);
    if (Atomics.load(ts.sigint, 0) !== 0) {
      Atomics.store(ts.sigint, 0, 0);
      PyErr_SetNone(PyExc_KeyboardInterrupt);
      return NULL;
    }
  }
  Py_INCREF(Py_None);
  return Py_None;
}

const FCK = METH_FASTCALL | METH_KEYWORDS;
export const timeMethods: MethodDef[] = [
  { name: 'time', flags: FCK, fn: clock('time', () => PyFloat_FromDouble(Number(nowNs()) / 1e9)) },
  { name: 'time_ns', flags: FCK, fn: clock('time_ns', () => bigToInt(nowNs())) },
  { name: 'perf_counter', flags: FCK, fn: clock('perf_counter', () => PyFloat_FromDouble(Number(process.hrtime.bigint()) / 1e9)) },
  { name: 'perf_counter_ns', flags: FCK, fn: clock('perf_counter_ns', () => bigToInt(process.hrtime.bigint())) },
  { name: 'monotonic', flags: FCK, fn: clock('monotonic', () => PyFloat_FromDouble(Number(process.hrtime.bigint()) / 1e9)) },
  { name: 'monotonic_ns', flags: FCK, fn: clock('monotonic_ns', () => bigToInt(process.hrtime.bigint())) },
  { name: 'process_time', flags: FCK, fn: clock('process_time', () => PyFloat_FromDouble(Number(cpuNs()) / 1e9)) },
  { name: 'process_time_ns', flags: FCK, fn: clock('process_time_ns', () => bigToInt(cpuNs())) },
  { name: 'sleep', flags: FCK, fn: time_sleep },
];

/** ≈ PyInit_time: a new module. New reference or NULL. */
export function initTime(): Ptr {
  const m = PyModule_New('time');
  if (m === NULL) return NULL;
  if (PyModule_AddFunctions(m, timeMethods) < 0) return NULL;
  return m;
}

registerBuiltinModule('time', initTime);
