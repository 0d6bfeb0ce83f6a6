// tracemalloc: the size formatting of Statistic lines (values from CPython 3.11.7's
// tracemalloc._format_size) and tracing of requested sizes through runtime/mem/pymem.ts.
import { describe, it, expect } from 'vitest';
import { PyObject_Malloc, PyObject_Free, PyMem_Malloc, PyMem_Realloc, PyMem_Free, memoryTracingActive } from '../../../../runtime/mem/pymem.js';
import { formatSize, tracemallocStart, tracemallocStop, getTracedMemory } from '../../../../runtime/modules/tracemallocmodule.js';
import { PyInit_tracemalloc } from '../../../../runtime/modules/tracemallocmodule.js';
import { readyAllStaticTypes } from '../../../../runtime/typeready.js';

readyAllStaticTypes();

describe('tracemalloc', () => {
  it('_format_size as CPython (ties round to even, 3-digit KiB)', () => {
    const vals = [0, 1, 25, 99.5, 100, 2.5, 10239, 10240, 24800, 25256 / 1003, 24.5, 1048576 * 5.55, 102400, 99.95 * 1024];
    const expected = ['0 B', '1 B', '25 B', '100 B', '100 B', '2 B', '10239 B', '10.0 KiB', '24.2 KiB', '25 B', '24 B', '5683 KiB', '100 KiB', '100.0 KiB'];
    expect(vals.map(formatSize)).toEqual(expected);
  });

  it('traces requested sizes of the MEM and OBJ domains while started, nothing after stop', () => {
    const m = PyInit_tracemalloc();
    expect(m).not.toBe(0);
    expect(memoryTracingActive()).toBe(false);
    tracemallocStart(1);
    expect(memoryTracingActive()).toBe(true);
    const a = PyObject_Malloc(40);
    let b = PyMem_Malloc(1000);
    expect(getTracedMemory()).toEqual([1040, 1040]);
    b = PyMem_Realloc(b, 3000);
    expect(getTracedMemory()).toEqual([3040, 3040]);
    PyObject_Free(a);
    PyMem_Free(b);
    expect(getTracedMemory()).toEqual([0, 3040]);
    tracemallocStop();
    expect(memoryTracingActive()).toBe(false);
    expect(getTracedMemory()).toEqual([0, 0]);
    const c = PyObject_Malloc(16);
    expect(getTracedMemory()).toEqual([0, 0]);
    PyObject_Free(c);
  });
});
