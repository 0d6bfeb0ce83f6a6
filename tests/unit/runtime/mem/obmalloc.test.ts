import { describe, it, expect, beforeEach } from 'vitest';
import { readFileSync } from 'node:fs';
import { resetHeap, U8, I32, MiB, STATIC_END } from '../../../../runtime/mem/heap.js';
import {
  pymallocMalloc,
  pymallocCalloc,
  pymallocRealloc,
  pymallocFree,
  pymallocOwns,
  pymallocBlockSize,
  pymallocStats,
  pymallocStatsText,
  pymallocCheck,
  pymallocAllocatedBlocks,
  pymallocRawAllocatedBlocks,
  NUMBLOCKS,
  INDEX2SIZE,
  printone,
  debugAllocatorStatsLine,
  OBMALLOC,
} from '../../../../runtime/mem/obmalloc.js';

const { usedpools, POOL_SIZE, POOL_OVERHEAD, ARENA_SIZE, NB_SMALL_SIZE_CLASSES, POOL_REF_COUNT, POOL_FREEBLOCK, POOL_SZIDX, POOL_NEXTOFFSET, POOL_MAXNEXTOFFSET } = OBMALLOC;
import { setAllocatorMode } from '../../../../runtime/mem/pymem.js';
import { osMappedBytes } from '../../../../runtime/mem/os.js';

const poolOf = (p: number) => p & ~(POOL_SIZE - 1);
const field = (pool: number, off: number) => I32[(pool + off) >> 2];

describe('pymalloc geometry', () => {
  it('has 32 classes of 16 bytes and NUMBLOCKS = (16384 - 48) / size', () => {
    expect(NB_SMALL_SIZE_CLASSES).toBe(512 / 16);
    for (let i = 0; i < NB_SMALL_SIZE_CLASSES; i++) {
      expect(INDEX2SIZE(i)).toBe(16 * (i + 1));
      expect(NUMBLOCKS(i)).toBe(Math.floor((POOL_SIZE - POOL_OVERHEAD) / (16 * (i + 1))));
    }
    // the figures of reference §1.1
    expect(NUMBLOCKS(0)).toBe(1021);
    expect(NUMBLOCKS(3)).toBe(255);
    expect(NUMBLOCKS(31)).toBe(31);
    expect((POOL_SIZE - POOL_OVERHEAD) % 512).toBe(464);
  });
});

describe('pymalloc', () => {
  beforeEach(() => {
    resetHeap(256 * MiB);
    setAllocatorMode('pymalloc');
  });

  it('serves class (n-1)>>4, first block at pool+48, carving upward', () => {
    const a = pymallocMalloc(64);
    const pool = poolOf(a);
    expect(a).toBe(pool + POOL_OVERHEAD);
    expect(field(pool, POOL_SZIDX)).toBe(3);
    expect(field(pool, POOL_REF_COUNT)).toBe(1);
    // the free list is just the second block; nextoffset = 48 + 2*size; maxnextoffset = 16384 - size
    expect(field(pool, POOL_FREEBLOCK)).toBe(pool + POOL_OVERHEAD + 64);
    expect(field(pool, POOL_NEXTOFFSET)).toBe(POOL_OVERHEAD + 128);
    expect(field(pool, POOL_MAXNEXTOFFSET)).toBe(POOL_SIZE - 64);
    const b = pymallocMalloc(49);
    expect(b).toBe(a + 64);
    expect(pymallocBlockSize(b)).toBe(64);
    for (const n of [1, 16, 17, 512]) expect(pymallocBlockSize(pymallocMalloc(n))).toBe(((n - 1) >> 4) * 16 + 16);
    expect(pymallocCheck(true)).toBeNull();
  });

  it('reuses the last freed block first (LIFO per pool)', () => {
    const a = pymallocMalloc(32);
    const b = pymallocMalloc(32);
    pymallocFree(a);
    pymallocFree(b);
    expect(pymallocMalloc(32)).toBe(b);
    expect(pymallocMalloc(32)).toBe(a);
  });

  it('delegates 0 and >512 bytes to the raw domain and counts them', () => {
    const z = pymallocMalloc(0);
    const big = pymallocMalloc(513);
    expect(z).not.toBe(0);
    expect(pymallocOwns(z)).toBe(false);
    expect(pymallocOwns(big)).toBe(false);
    expect(pymallocOwns(pymallocMalloc(512))).toBe(true);
    expect(pymallocRawAllocatedBlocks()).toBe(2);
    expect(pymallocAllocatedBlocks()).toBe(3);
    pymallocFree(z);
    pymallocFree(big);
    expect(pymallocRawAllocatedBlocks()).toBe(0);
    pymallocFree(0); // no-op
    expect(pymallocAllocatedBlocks()).toBe(1);
  });

  it('gets 63 pools from an arena whose base is not 16 KiB aligned', () => {
    const ps: number[] = [];
    // one 512-byte block in each class-31 pool: 31 blocks per pool
    for (let i = 0; i < 63 * NUMBLOCKS(31); i++) ps.push(pymallocMalloc(512));
    let s = pymallocStats();
    expect(s.narenas).toBe(1);
    expect(s.numfreepools).toBe(0);
    expect(s.arenaAlignment).toBe(POOL_SIZE);
    ps.push(pymallocMalloc(512)); // pool 64: a second arena
    s = pymallocStats();
    expect(s.narenas).toBe(2);
    expect(s.classes[31].numpools).toBe(64);
    expect(s.numfreepools).toBe(62);
    expect(osMappedBytes()).toBe(2 * ARENA_SIZE);
    expect(pymallocCheck(true)).toBeNull();
  });

  it('moves pools between used, full and empty and keeps the lists right', () => {
    const n = NUMBLOCKS(0);
    const ps: number[] = [];
    for (let i = 0; i < n; i++) ps.push(pymallocMalloc(16));
    const pool = poolOf(ps[0]);
    expect(field(pool, POOL_FREEBLOCK)).toBe(0); // full
    expect(usedpools[0]).toBe(0); // unlinked
    pymallocFree(ps[5]);
    expect(usedpools[0]).toBe(pool); // back at the front
    expect(pymallocCheck(true)).toBeNull();
    for (const p of ps) if (p !== ps[5]) pymallocFree(p);
    expect(field(pool, POOL_REF_COUNT)).toBe(0); // empty: on the arena's free pools
    expect(usedpools[0]).toBe(0);
    expect(pymallocCheck(true)).toBeNull();
    // an empty pool reused for the same class keeps its free list: the last freed block first
    expect(pymallocMalloc(16)).toBe(ps[n - 1]);
    // and for another class it is re-initialised
    pymallocFree(ps[n - 1]);
    expect(pymallocMalloc(100)).toBe(pool + POOL_OVERHEAD);
    expect(field(pool, POOL_SZIDX)).toBe(6);
    expect(pymallocCheck(true)).toBeNull();
  });

  it('gives an arena back when all its pools are free, unless it is the last usable one', () => {
    const perArena = 63 * NUMBLOCKS(31);
    const ps: number[] = [];
    for (let i = 0; i < 3 * perArena; i++) ps.push(pymallocMalloc(500));
    expect(pymallocStats().narenas).toBe(3);
    const freeArena = (a: number) => {
      for (let i = a * perArena; i < (a + 1) * perArena; i++) pymallocFree(ps[i]);
    };
    // arena 1 empties while it is the only usable arena (the last one): it is kept
    freeArena(1);
    let s = pymallocStats();
    expect(s.narenas).toBe(3);
    expect(s.numfreepools).toBe(63);
    // arena 0 empties while arena 1 (63 free pools) sorts after it: it goes back to the OS
    freeArena(0);
    s = pymallocStats();
    expect(s.narenas).toBe(2);
    expect(s.ntimesArenaAllocated - s.narenas).toBe(1); // "arenas reclaimed"
    expect(osMappedBytes()).toBe(2 * ARENA_SIZE);
    freeArena(2);
    s = pymallocStats();
    expect(s.narenas).toBe(1);
    expect(s.narenasHighwater).toBe(3);
    expect(pymallocCheck(true)).toBeNull();
    // the kept arena serves the next allocation without a new mapping
    pymallocMalloc(8);
    expect(pymallocStats().ntimesArenaAllocated).toBe(3);
  });

  it('keeps usable_arenas sorted by free pools (fullest first)', () => {
    const perPool = NUMBLOCKS(31);
    const ps: number[] = [];
    for (let i = 0; i < 3 * 63 * perPool; i++) ps.push(pymallocMalloc(512));
    // free whole pools from arenas 0 and 2 in varying amounts
    const freePools = (arena: number, pools: number) => {
      for (let k = 0; k < pools; k++) {
        for (let j = 0; j < perPool; j++) {
          const idx = (arena * 63 + k) * perPool + j;
          pymallocFree(ps[idx]);
          ps[idx] = 0;
        }
      }
    };
    freePools(2, 5);
    expect(pymallocCheck()).toBeNull();
    freePools(0, 2);
    expect(pymallocCheck()).toBeNull();
    freePools(1, 7);
    expect(pymallocCheck()).toBeNull();
    // the next new pool comes from the fullest arena with a free pool: arena 0 (2 free)
    const p = pymallocMalloc(16);
    const s = pymallocStats();
    expect(s.numfreepools).toBe(5 + 2 + 7 - 1);
    expect(poolOf(p)).toBe(poolOf(ps[63 * perPool * 0 + 2 * perPool]) - POOL_SIZE);
    expect(pymallocCheck(true)).toBeNull();
  });

  it('realloc: in place when shrinking by less than a quarter, else malloc+copy+free', () => {
    const p = pymallocMalloc(100); // 112-byte block
    U8.fill(0x77, p, p + 100);
    expect(pymallocRealloc(p, 112)).toBe(p);
    expect(pymallocRealloc(p, 85)).toBe(p); // 4*85 > 3*112
    const q = pymallocRealloc(p, 84); // 4*84 == 3*112: moves to the 96-byte class
    expect(q).not.toBe(p);
    expect(pymallocBlockSize(q)).toBe(96);
    for (let i = 0; i < 84; i++) expect(U8[q + i]).toBe(0x77);
    const r = pymallocRealloc(q, 2000); // to the raw domain
    expect(pymallocOwns(r)).toBe(false);
    for (let i = 0; i < 84; i++) expect(U8[r + i]).toBe(0x77);
    const s = pymallocRealloc(r, 10); // a raw block stays raw
    expect(pymallocOwns(s)).toBe(false);
    expect(U8[s + 9]).toBe(0x77);
    expect(pymallocRawAllocatedBlocks()).toBe(1);
    expect(pymallocRealloc(0, 30)).not.toBe(0);
    expect(pymallocCheck(true)).toBeNull();
  });

  it('calloc zeroes in both pymalloc and raw', () => {
    const a = pymallocMalloc(200);
    U8.fill(0xee, a, a + 200);
    pymallocFree(a);
    const b = pymallocCalloc(20, 10);
    expect(b).toBe(a);
    for (let i = 0; i < 200; i++) expect(U8[b + i]).toBe(0);
    const c = pymallocCalloc(100, 10);
    expect(pymallocOwns(c)).toBe(false);
    for (let i = 0; i < 1000; i++) expect(U8[c + i]).toBe(0);
  });

  it('returns NULL (no throw) when no arena can be mapped', () => {
    resetHeap(STATIC_END + 2 * MiB);
    const ps: number[] = [];
    for (;;) {
      const p = pymallocMalloc(256);
      if (p === 0) break;
      ps.push(p);
    }
    // one arena of 63 pools fits; the raw fallback then takes what is left
    expect(ps.length).toBeGreaterThanOrEqual(63 * NUMBLOCKS(15));
    expect(pymallocCheck(true)).toBeNull();
    for (const p of ps) pymallocFree(p);
    expect(pymallocAllocatedBlocks()).toBe(0);
  });

  it('the inlinable fast paths documented at the top of obmalloc.ts keep pymalloc consistent', () => {
    const H = I32;
    const { usedpools: up, poolMap: pm } = OBMALLOC;
    const inlineMalloc = (n: number): number => {
      const pool = up[(n - 1) >>> 4];
      if (pool !== 0) {
        const pw = pool >> 2;
        const bp = H[pw + 2];
        const next = H[bp >> 2];
        if (next !== 0) {
          H[pw + 2] = next;
          H[pw]++;
          return bp;
        }
      }
      return pymallocMalloc(n);
    };
    const inlineFree = (p: number): void => {
      if (pm[p >>> 14] === 1) {
        const pw = (p & ~16383) >> 2;
        const last = H[pw + 2];
        const count = H[pw] - 1;
        if (last !== 0 && count !== 0) {
          H[p >> 2] = last;
          H[pw + 2] = p;
          H[pw] = count;
          return;
        }
      }
      pymallocFree(p);
    };
    let seed = 7;
    const rnd = () => (seed = (seed * 1103515245 + 12345) >>> 0) >>> 8;
    const live: number[] = [];
    for (let i = 0; i < 30000; i++) {
      if (live.length > 0 && rnd() % 2 === 0) {
        const k = rnd() % live.length;
        const p = live[k];
        live[k] = live[live.length - 1];
        live.pop();
        if (rnd() % 2 === 0) inlineFree(p);
        else pymallocFree(p);
      } else {
        const n = 1 + (rnd() % 512);
        live.push(rnd() % 2 === 0 ? inlineMalloc(n) : pymallocMalloc(n));
      }
    }
    expect(new Set(live).size).toBe(live.length);
    expect(pymallocAllocatedBlocks()).toBe(live.length);
    expect(pymallocCheck(true)).toBeNull();
  });

  it('stats add up to arenas x 1 MiB', () => {
    const ps: number[] = [];
    for (let i = 0; i < 20000; i++) ps.push(pymallocMalloc(1 + ((i * 7919) % 512)));
    for (let i = 0; i < 20000; i += 3) pymallocFree(ps[i]);
    const s = pymallocStats();
    const total = s.allocatedBytes + s.availableBytes + s.numfreepools * POOL_SIZE + s.poolHeaderBytes + s.quantization + s.arenaAlignment;
    expect(total).toBe(s.narenas * ARENA_SIZE);
    const inUse = s.classes.reduce((a, c) => a + c.numblocks, 0);
    expect(inUse).toBe(pymallocAllocatedBlocks());
    expect(inUse).toBe(20000 - Math.ceil(20000 / 3));
  });
});

describe('_debugmallocstats layout', () => {
  beforeEach(() => {
    resetHeap(256 * MiB);
    setAllocatorMode('pymalloc');
  });

  const fixture = readFileSync(new URL('./fixtures/debugmallocstats-3.11.7.txt', import.meta.url), 'utf8');
  // CPython's pymalloc part ends with the radix tree's "Total" line, before the free-list lines
  const flines = fixture.split('\n');
  const lastLine = flines.findIndex((l, i) => l.startsWith('Total') && flines[i - 1].startsWith('# bytes lost to arena map bot'));
  const cpythonPart = flines.slice(0, lastLine + 1).join('\n') + '\n';
  const cpyTail = cpythonPart.slice(cpythonPart.indexOf('# bytes lost to arena map root'));

  it('prints value lines as printone does', () => {
    expect(printone('# arenas allocated total', 4)).toBe('# arenas allocated total           =                    4\n');
    expect(printone('Total', 4194304)).toBe('Total                              =            4,194,304\n');
    expect(fixture).toContain(debugAllocatorStatsLine('PyDictObject', 8, 48));
    expect(fixture).toContain(debugAllocatorStatsLine('20-sized PyTupleObject', 6, 184));
  });

  it("reproduces CPython's report exactly for the same blocks in use", () => {
    // class by class, fill CPython's number of pools, then free its available blocks spread
    // over those pools (round robin, so that no pool empties)
    const rows = [...cpythonPart.matchAll(/^\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)$/gm)];
    expect(rows.length).toBeGreaterThan(20);
    for (const r of rows) {
      const [szidx, size, pools, , avail] = r.slice(1).map(Number);
      const nb = NUMBLOCKS(szidx);
      const ps: number[] = [];
      for (let k = 0; k < pools * nb; k++) ps.push(pymallocMalloc(size));
      expect(avail).toBeLessThanOrEqual(pools * (nb - 1));
      for (let j = 0; j < avail; j++) pymallocFree(ps[(j % pools) * nb + nb - 1 - Math.floor(j / pools)]);
    }
    const ours = pymallocStatsText();
    expect(ours).toBe(cpythonPart);
    expect(ours.endsWith(cpyTail)).toBe(true);
  });

  it('has the header, omits empty classes, and adds up after frees', () => {
    const ps: number[] = [];
    for (let i = 0; i < 3000; i++) ps.push(pymallocMalloc(40));
    for (let i = 0; i < 3000; i += 2) pymallocFree(ps[i]);
    const text = pymallocStatsText();
    const lines = text.split('\n');
    expect(lines.slice(0, 4)).toEqual(fixture.split('\n').slice(0, 4));
    const rows = lines.filter((l) => /^\s+\d+\s+\d+\s+\d+\s+\d+\s+\d+$/.test(l));
    expect(rows).toEqual([
      `${'2'.padStart(5)} ${'48'.padStart(6)} ${String(Math.ceil(3000 / 340)).padStart(11)} ${'1500'.padStart(15)} ${String(9 * 340 - 1500).padStart(13)}`,
    ]);
    // every value line has the '=' in column 35 and the number right-aligned to column 56
    for (const l of lines.filter((x) => x.includes(' =  '))) {
      expect(l.indexOf('=')).toBe(35);
      expect(l.length).toBe(57);
    }
    const num = (label: string) => Number(lines.find((l) => l.includes(label))!.split('=')[1].replace(/,/g, ''));
    const parts = ['# bytes in allocated blocks', '# bytes in available blocks', 'unused pools * 16384 bytes', '# bytes lost to pool headers', '# bytes lost to quantization', '# bytes lost to arena alignment'];
    const sum = parts.reduce((a, l) => a + num(l), 0);
    expect(sum).toBe(ARENA_SIZE);
  });
});
