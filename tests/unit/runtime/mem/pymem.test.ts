import { describe, it, expect, beforeEach } from 'vitest';
import { resetHeap, U8, MiB, STATIC_END } from '../../../../runtime/mem/heap.js';
import * as M from '../../../../runtime/mem/pymem.js';
import { pymallocOwns, pymallocStats } from '../../../../runtime/mem/obmalloc.js';
import { osMappedBytes } from '../../../../runtime/mem/os.js';

const domains = [
  ['raw', M.PyMem_RawMalloc, M.PyMem_RawCalloc, M.PyMem_RawRealloc, M.PyMem_RawFree],
  ['mem', M.PyMem_Malloc, M.PyMem_Calloc, M.PyMem_Realloc, M.PyMem_Free],
  ['obj', M.PyObject_Malloc, M.PyObject_Calloc, M.PyObject_Realloc, M.PyObject_Free],
] as const;

describe('PYTHONMALLOC modes', () => {
  it('parses the names CPython accepts', () => {
    expect(M.parseAllocatorMode(undefined)).toBe('pymalloc');
    expect(M.parseAllocatorMode('')).toBe('pymalloc');
    for (const m of M.ALLOCATOR_MODES) expect(M.parseAllocatorMode(m)).toBe(m);
    expect(M.parseAllocatorMode('foo')).toBeNull();
    expect(M.allocatorModeFromEnv({ PYTHONMALLOC: 'malloc_debug' })).toBe('malloc_debug');
    expect(() => M.allocatorModeFromEnv({ PYTHONMALLOC: 'foo' })).toThrow(
      'Fatal Python error: preconfig_init_allocator: PYTHONMALLOC: unknown allocator',
    );
  });

  it('routes the domains as CPython does', () => {
    const owner = (mode: M.AllocatorMode) => {
      resetHeap(64 * MiB);
      M.setAllocatorMode(mode);
      const debug = mode.includes('debug');
      const off = debug ? 16 : 0;
      return domains.map(([, malloc]) => pymallocOwns(malloc(24) - off));
    };
    expect(owner('pymalloc')).toEqual([false, true, true]);
    expect(owner('malloc')).toEqual([false, false, false]);
    expect(owner('debug')).toEqual([false, true, true]);
    expect(owner('pymalloc_debug')).toEqual([false, true, true]);
    expect(owner('malloc_debug')).toEqual([false, false, false]);
    expect(M.getAllocatorMode()).toBe('malloc_debug');
    expect(M.pymallocInUse()).toBe(false);
    M.setAllocatorMode('pymalloc');
    expect(M.objDomainIsPymalloc()).toBe(true);
  });
});

describe.each(M.ALLOCATOR_MODES)('allocator contract under PYTHONMALLOC=%s', (mode) => {
  beforeEach(() => {
    resetHeap(64 * MiB);
    M.setAllocatorMode(mode);
  });

  it('free(NULL) is a no-op; size 0 gives unique non-NULL blocks; realloc(NULL) mallocs', () => {
    for (const [, malloc, calloc, realloc, free] of domains) {
      free(0);
      const a = malloc(0);
      const b = malloc(0);
      const c = calloc(0, 8);
      expect(a).not.toBe(0);
      expect(new Set([a, b, c]).size).toBe(3);
      const d = realloc(0, 10);
      expect(d).not.toBe(0);
      for (const p of [a, b, c, d]) free(p);
    }
    expect(M.checkAllocators(true)).toBeNull();
  });

  it('keeps contents across realloc in every domain', () => {
    for (const [, malloc, , realloc, free] of domains) {
      let p = malloc(10);
      U8.fill(0x3c, p, p + 10);
      for (const n of [10, 100, 600, 5000, 300000, 20, 3]) {
        p = realloc(p, n);
        for (let i = 0; i < Math.min(n, 10); i++) expect(U8[p + i]).toBe(0x3c);
      }
      free(p);
    }
    expect(M.checkAllocators(true)).toBeNull();
  });

  it('returns NULL on exhaustion in every domain and never throws', () => {
    resetHeap(STATIC_END + 4 * MiB);
    for (const [, malloc, calloc, realloc, free] of domains) {
      const ps: number[] = [];
      for (const n of [100000, 3000, 200, 16]) {
        for (;;) {
          const p = malloc(n);
          if (p === 0) break;
          ps.push(p);
        }
      }
      expect(malloc(64 * MiB)).toBe(0);
      expect(calloc(1 << 20, 1 << 10)).toBe(0);
      expect(realloc(ps[0], 64 * MiB)).toBe(0);
      expect(malloc(2 ** 40)).toBe(0);
      for (const p of ps) free(p);
    }
    expect(M.checkAllocators(true)).toBeNull();
  });
});

describe('statistics and reset', () => {
  beforeEach(() => {
    resetHeap(64 * MiB);
    M.setAllocatorMode('pymalloc');
  });

  it('getAllocatedBlocks counts pymalloc blocks and its raw delegations, 0 under malloc', () => {
    const base = M.getAllocatedBlocks();
    const a = M.PyObject_Malloc(30);
    const b = M.PyMem_Malloc(3000);
    M.PyMem_RawMalloc(30); // raw domain: not counted
    expect(M.getAllocatedBlocks()).toBe(base + 2);
    M.PyObject_Free(a);
    M.PyMem_Free(b);
    expect(M.getAllocatedBlocks()).toBe(base);
    M.setAllocatorMode('malloc');
    M.PyObject_Malloc(30);
    expect(M.getAllocatedBlocks()).toBe(0);
  });

  it('resetHeap and resetAllocators start every allocator fresh, keeping the mode', () => {
    M.setAllocatorMode('debug');
    for (let i = 0; i < 1000; i++) M.PyObject_Malloc(i);
    expect(osMappedBytes()).toBeGreaterThan(0);
    resetHeap(64 * MiB);
    expect(M.getAllocatorMode()).toBe('debug');
    expect(osMappedBytes()).toBe(0);
    expect(M.getAllocatedBlocks()).toBe(0);
    expect(pymallocStats().ntimesArenaAllocated).toBe(0);
    const p = M.PyObject_Malloc(10);
    expect(U8[p - 8]).toBe('o'.charCodeAt(0));
    M.resetAllocators();
    expect(M.getAllocatedBlocks()).toBe(0);
    expect(M.PyObject_Malloc(10)).toBe(p); // the same first block again
  });

  it('prints the type modules\' free-list lines after pymalloc\'s report, in CPython\'s order', () => {
    M.registerDebugStatsHook('tuple', () => [M.debugAllocatorStatsLine('1-sized PyTupleObject', 4, 32)]);
    M.registerDebugStatsHook('dict', () => [M.debugAllocatorStatsLine('PyDictObject', 8, 48)]);
    M.registerDebugStatsHook('float', () => [M.debugAllocatorStatsLine('PyFloatObject', 4, 24)]);
    M.PyObject_Malloc(8); // an arena, so the radix tree has its nodes
    const text = M.debugMallocStatsText();
    expect(text.startsWith('Small block threshold = 512, in 32 size classes.\n')).toBe(true);
    expect(text.endsWith(
      'Total                              =              655,360\n\n' +
        '            8 free PyDictObjects * 48 bytes each =                  384\n' +
        '           4 free PyFloatObjects * 24 bytes each =                   96\n' +
        '   4 free 1-sized PyTupleObjects * 32 bytes each =                  128\n',
    )).toBe(true);
    M.setAllocatorMode('malloc');
    expect(M.debugMallocStatsText().startsWith('            8 free PyDictObjects')).toBe(true);
  });

  it('accepts an unnamed stats hook, printed after the named ones', () => {
    M.registerDebugStatsHook(() => ['zz unnamed line']);
    M.registerDebugStatsHook('dict', () => [M.debugAllocatorStatsLine('PyDictObject', 1, 48)]);
    const text = M.debugMallocStatsText();
    expect(text.indexOf('zz unnamed line\n')).toBeGreaterThan(text.indexOf('PyDictObjects'));
    expect(() => M.registerDebugStatsHook('x')).toThrow(TypeError);
  });

  it('calls the new-arena hook before each arena (PYTHONMALLOCSTATS)', () => {
    const reports: string[] = [];
    M.setNewArenaHook(() => reports.push(M._PyObject_DebugMallocStats()));
    try {
      for (let i = 0; i < 3000; i++) M.PyObject_Malloc(500);
    } finally {
      M.setNewArenaHook(null);
    }
    expect(reports.length).toBe(Math.ceil(3000 / 31 / 63));
    expect(reports[1]).toContain('# arenas allocated current         =                    1');
  });
});
