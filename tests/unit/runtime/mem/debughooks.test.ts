import { describe, it, expect, beforeEach } from 'vitest';
import { readFileSync } from 'node:fs';
import { resetHeap, U8, DV, MiB } from '../../../../runtime/mem/heap.js';
import {
  setAllocatorMode,
  PyMem_Malloc,
  PyMem_Calloc,
  PyMem_Realloc,
  PyMem_Free,
  PyObject_Malloc,
  PyObject_Free,
  PyMem_RawMalloc,
  PyMem_RawFree,
  PyFatalError,
  checkAllocators,
  getAllocatedBlocks,
  debugCheckFreedMemory,
  setDebugTracebackHook,
} from '../../../../runtime/mem/pymem.js';
import {
  DEBUG_HOOKS,
} from '../../../../runtime/mem/debughooks.js';

const { PYMEM_DEBUG_EXTRA_BYTES, PYMEM_CLEANBYTE, PYMEM_DEADBYTE, PYMEM_FORBIDDENBYTE } = DEBUG_HOOKS;
import { pymallocOwns, pymallocBlockSize, pymallocStats } from '../../../../runtime/mem/obmalloc.js';

const SST = 8;
const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');
/** CPython's report up to and including the "Fatal Python error" line, addresses replaced. */
function cpythonReport(name: string): string {
  const t = fixture(name);
  const end = t.indexOf('\n', t.indexOf('Fatal Python error')) + 1;
  return t.slice(0, end).replace(/0x[0-9a-f]+/g, 'ADDR');
}
function catchFatal(f: () => void): PyFatalError {
  try {
    f();
  } catch (e) {
    if (e instanceof PyFatalError) return e;
    throw e;
  }
  throw new Error('no fatal error');
}
const hex = (p: number) => '0x' + p.toString(16);

describe('debug hooks', () => {
  beforeEach(() => {
    resetHeap(256 * MiB);
    setAllocatorMode('debug');
  });

  it('lays a block out as [size BE][API id][7 x 0xFD] data(0xCD) [8 x 0xFD]', () => {
    const n = 10;
    const p = PyMem_Malloc(n);
    expect(p % 16).toBe(0);
    expect(DV.getUint32(p - 16) * 2 ** 32 + DV.getUint32(p - 12)).toBe(n);
    expect(String.fromCharCode(U8[p - SST])).toBe('m');
    for (let i = 1; i < SST; i++) expect(U8[p - i]).toBe(PYMEM_FORBIDDENBYTE);
    for (let i = 0; i < n; i++) expect(U8[p + i]).toBe(PYMEM_CLEANBYTE);
    for (let i = 0; i < SST; i++) expect(U8[p + n + i]).toBe(PYMEM_FORBIDDENBYTE);
    expect(String.fromCharCode(U8[PyObject_Malloc(1) - SST])).toBe('o');
    expect(String.fromCharCode(U8[PyMem_RawMalloc(1) - SST])).toBe('r');
  });

  it('asks the underlying pymalloc for n + 24 bytes', () => {
    expect(PYMEM_DEBUG_EXTRA_BYTES).toBe(3 * SST);
    const p = PyObject_Malloc(56); // a plain instance: 56 + 24 = 80-byte block
    expect(pymallocOwns(p - 16)).toBe(true);
    expect(pymallocBlockSize(p - 16)).toBe(80);
    // no request can land in the 16-byte class any more (CPython's debug stats have no class 0)
    PyObject_Malloc(0);
    expect(pymallocStats().classes[0].numpools).toBe(0);
    // > 512 - 24 goes to the raw domain, itself debug-wrapped ('r' header inside)
    const q = PyObject_Malloc(500);
    expect(pymallocOwns(q)).toBe(false);
    expect(String.fromCharCode(U8[q - SST])).toBe('o');
    expect(String.fromCharCode(U8[q - 16 - SST])).toBe('r');
    PyObject_Free(q);
    expect(checkAllocators(true)).toBeNull();
  });

  it('fills freed memory with 0xDD, calloc with zeros, realloc growth with 0xCD', () => {
    const p = PyMem_Malloc(40);
    U8.fill(1, p, p + 40);
    PyMem_Free(p);
    for (let i = 16; i < 40 + 24; i++) expect(U8[p - 16 + i]).toBe(PYMEM_DEADBYTE); // past pymalloc's link word
    const c = PyMem_Calloc(5, 8);
    for (let i = 0; i < 40; i++) expect(U8[c + i]).toBe(0);
    U8.fill(7, c, c + 40);
    const r = PyMem_Realloc(c, 300);
    for (let i = 0; i < 40; i++) expect(U8[r + i]).toBe(7);
    for (let i = 40; i < 300; i++) expect(U8[r + i]).toBe(PYMEM_CLEANBYTE);
    for (let i = 0; i < SST; i++) expect(U8[r + 300 + i]).toBe(PYMEM_FORBIDDENBYTE);
    const s = PyMem_Realloc(r, 1000); // big: to the raw domain
    for (let i = 0; i < 40; i++) expect(U8[s + i]).toBe(7);
    PyMem_Free(s);
    expect(checkAllocators(true)).toBeNull();
  });

  it('reports a buffer overrun (bad trailing pad byte) as CPython does', () => {
    const p = PyMem_Malloc(40);
    U8.fill(0x11, p, p + 3);
    U8.fill(0x41, p + 40, p + 42);
    const e = catchFatal(() => PyMem_Free(p));
    expect(e.address).toBe(p);
    expect(e.text).toContain(`p=${hex(p)}`);
    expect(e.text.replace(/0x[0-9a-f]+/g, 'ADDR')).toBe(cpythonReport('debug-overrun-3.11.7.txt'));
    expect(e.func).toBe('_PyMem_DebugRawFree');
    expect(e.reason).toBe('bad trailing pad byte');
  });

  it('reports an underrun (bad leading pad byte)', () => {
    const p = PyMem_Malloc(10);
    U8[p - 1] = 0x41;
    const e = catchFatal(() => PyMem_Free(p));
    expect(e.text.replace(/0x[0-9a-f]+/g, 'ADDR')).toBe(cpythonReport('debug-underrun-3.11.7.txt'));
  });

  it('reports a free through the wrong domain (bad ID)', () => {
    const p = PyMem_Malloc(10);
    const e = catchFatal(() => PyObject_Free(p));
    expect(e.text.replace(/0x[0-9a-f]+/g, 'ADDR')).toBe(cpythonReport('debug-wrong-api-3.11.7.txt'));
    const r = PyMem_RawMalloc(10);
    expect(catchFatal(() => PyMem_Free(r)).reason).toBe("bad ID: Allocated using API 'r', verified using API 'm'");
  });

  it('reports a realloc of a corrupted block', () => {
    const p = PyMem_Malloc(30);
    U8[p + 30] = 0;
    const e = catchFatal(() => PyMem_Realloc(p, 60));
    expect(e.text).toContain('Fatal Python error: _PyMem_DebugRawRealloc: bad trailing pad byte');
  });

  it('reports a double free, with the address', () => {
    for (const [alloc, free] of [
      [PyMem_Malloc, PyMem_Free],
      [PyMem_RawMalloc, PyMem_RawFree],
      [PyObject_Malloc, PyObject_Free],
    ] as const) {
      for (const n of [0, 5, 100, 700]) {
        const p = alloc(n);
        free(p);
        const e = catchFatal(() => free(p));
        expect(e.reason).toMatch(/^double free/);
        expect(e.text).toContain(`p=${hex(p)}`);
        expect(e.address).toBe(p);
      }
    }
  });

  it('reports a write after free when the memory is handed out again', () => {
    const p = PyMem_Malloc(64);
    PyMem_Free(p);
    U8[p + 20] = 0x99; // through a dangling pointer
    const e = catchFatal(() => PyMem_Malloc(64)); // LIFO: gets the same block back
    expect(e.func).toBe('_PyMem_DebugRawAlloc');
    expect(e.reason).toContain('write after free');
    expect(e.reason).toContain(`p+20 (${hex(p + 20)})`);
    expect(e.text).toContain(`Debug memory block at address p=${hex(p)}`);
    expect(e.text).toContain('0x99 *** OUCH');
  });

  it('finds a write after free in a block reused by another size class or allocator', () => {
    const p = PyMem_RawMalloc(2000); // past the raw allocator's tcache: merged back on free
    PyMem_RawFree(p);
    U8[p + 1500] = 1;
    // a bigger raw request gets memory starting at the same chunk and covering the byte
    expect(() => PyMem_RawMalloc(2400)).toThrow(/write after free/);
  });

  it('finds writes after free on demand (debugCheckFreedMemory)', () => {
    const p = PyObject_Malloc(128);
    PyObject_Free(p);
    debugCheckFreedMemory();
    U8[p + 100] = 0;
    expect(() => debugCheckFreedMemory()).toThrow(/write after free/);
  });

  it('does not see a fault where there is none (reuse in all shapes)', () => {
    const live: number[] = [];
    let seed = 12345;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 8);
    for (let i = 0; i < 20000; i++) {
      if (live.length > 0 && rnd() % 3 === 0) {
        const k = rnd() % live.length;
        const [p, d] = [live[k], live[k] & 3];
        live[k] = live[live.length - 1];
        live.pop();
        const q = p & ~3;
        if (d === 0) PyMem_Free(q);
        else if (d === 1) PyObject_Free(q);
        else PyMem_RawFree(q);
      } else {
        const n = rnd() % 1200;
        const d = rnd() % 3;
        const p = d === 0 ? PyMem_Malloc(n) : d === 1 ? PyObject_Malloc(n) : PyMem_RawMalloc(n);
        live.push(p | d);
      }
    }
    debugCheckFreedMemory();
    expect(checkAllocators(true)).toBeNull();
  });

  it('uses the traceback hook (tracemalloc) in the report', () => {
    setDebugTracebackHook((p) => `Memory block allocated at (most recent call first):\n  File "x.py", line ${p % 7}\n\n`);
    try {
      const p = PyMem_Malloc(8);
      U8[p + 8] = 0;
      const e = catchFatal(() => PyMem_Free(p));
      expect(e.text).toContain('Memory block allocated at (most recent call first):');
      expect(e.text).not.toContain('Enable tracemalloc');
    } finally {
      setDebugTracebackHook(null);
    }
  });
});

describe('malloc_debug', () => {
  it('puts every domain on the raw allocator with hooks; pymalloc is unused', () => {
    resetHeap(256 * MiB);
    setAllocatorMode('malloc_debug');
    const p = PyObject_Malloc(56);
    expect(pymallocOwns(p - 16)).toBe(false);
    expect(String.fromCharCode(U8[p - SST])).toBe('o');
    expect(getAllocatedBlocks()).toBe(0);
    expect(catchFatal(() => PyMem_Free(p)).reason).toContain("bad ID: Allocated using API 'o', verified using API 'm'");
  });
});
