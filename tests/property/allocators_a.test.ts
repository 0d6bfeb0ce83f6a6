// Property test of the memory system: long seeded random sequences of malloc / calloc /
// realloc / free (sizes 0..2048, the three domains, every PYTHONMALLOC mode) run against a
// plain model of the live blocks. After every step:
//   - the block returned is non-NULL, 16-byte aligned, and overlaps no other live block
//     (debug blocks with their headers and trailers);
//   - the contents of a block freed or reallocated are what was written into it (every block is
//     filled with its own byte pattern; calloc'd blocks are first checked to be zero);
//   - the allocator that serves each block is the one CPython's rules predict (pymalloc for
//     1..512 bytes in the MEM/OBJ domains, counting the debug hooks' 24 bytes; raw otherwise;
//     a raw block stays raw on realloc);
//   - the statistics add up: sys.getallocatedblocks() equals the live MEM/OBJ blocks, the raw
//     allocator's live count equals the blocks it serves, _debugmallocstats' six byte counts add
//     up to arenas x 1 MiB and its per-class blocks in use to pymalloc's live blocks;
//   - every pool is in exactly one of used / full / empty, consistent with its count, and
//     usable_arenas is sorted with the right fingers (pymallocCheck).
// Every CHECK_ALL steps, and at the end, the deep checks run too: every live block's contents,
// every pool's free list, the raw allocator's boundary tags and bins, the OS mapping count, and
// (debug modes) every freed block still 0xDD.
//
// Default: 5 modes x 4 seeds x 50,000 operations = 1,000,000 operations, split over two files
// (allocators_a: seeds 1, 3, 5...; allocators_b: seeds 2, 4, 6...) so that vitest runs them on
// two workers. More with PYMEM_PROPERTY_OPS=N (operations per seed and mode) and
// PYMEM_PROPERTY_SEEDS=K (seeds per mode, over both files).

import { describe, it } from 'vitest';
import { ALLOCATOR_MODES } from '../../runtime/mem/pymem.js';
import { run } from './allocator_model.js';

const OPS = Number(process.env.PYMEM_PROPERTY_OPS ?? 50_000);
const NSEEDS = Number(process.env.PYMEM_PROPERTY_SEEDS ?? 4);
const FILE_PARITY = 1; // this file runs the odd seeds

describe.each(ALLOCATOR_MODES)('allocators against a model, PYTHONMALLOC=%s', (mode) => {
  const seeds = Array.from({ length: NSEEDS }, (_, i) => i + 1).filter((seed) => seed % 2 === FILE_PARITY);
  it.each(seeds)(`seed %i: ${OPS} operations`, (seed) => {
    run(mode, seed, OPS);
  });
});
