// The debug hooks of PYTHONMALLOC=debug / pymalloc_debug / malloc_debug (≈ the debug allocator
// of Objects/obmalloc.c, _PyMem_DebugRawAlloc and friends, 3.11 layout on 64-bit).
//
// Each domain's allocator is wrapped: a request of n bytes asks the underlying allocator for
// n + 24 bytes (so a 56-byte object becomes an 80-byte pymalloc request, as in CPython) and lays
// them out as
//
//   q+0   [SSSS SSSS]  n, 8 bytes big-endian (easy to read in a dump)
//   q+8   [I]          API id: 'r' raw, 'm' mem, 'o' object domain
//   q+9   [FFF FFFF]   7 forbidden bytes (0xFD)
//   q+16  [CCCC ...]   the n bytes handed out (p = q + 16), filled with 0xCD on malloc/realloc
//   q+16+n [FFFF FFFF] 8 forbidden bytes
//
// Free checks the API id (freeing through the wrong domain is a "bad ID"), the leading and
// trailing forbidden bytes (buffer under/overrun), fills the whole block with 0xDD, then frees
// it. Realloc checks the same, and the bytes it grows by are 0xCD.
//
// Beyond CPython, which cannot see them, two more faults are caught with the shadow map
// (shadow.ts): freeing a block that was already freed (double free), and a write into a freed
// block, found when its memory is handed out again and the 0xDD bytes have changed
// ("write after free").
//
// Every fault throws PyFatalError with CPython's report: the block dump of
// _PyObject_DebugDumpAddress (address, API, size, pad bytes with "*** OUCH", "Data at p"), the
// tracemalloc line, and "Fatal Python error: _PyMem_DebugRawFree: bad trailing pad byte".

import { type Ptr, NULL, heapLimit, U8 as heapU8, DV as heapDV } from './heap.js';
import { pymallocMalloc, pymallocRealloc, pymallocFree } from './obmalloc.js';
import { rawMalloc, rawRealloc, rawFree } from './rawmalloc.js';
import { SH, shadowOn, SHADOW_NONE, SHADOW_HEAD, SHADOW_DEAD } from './shadow.js';
import { PyFatalError, fmtPtr } from './fatal.js';

const B = heapU8;
const DV = heapDV;

const SST = 8;
const PYMEM_DEBUG_EXTRA_BYTES = 3 * SST;
const PYMEM_CLEANBYTE = 0xcd;
const PYMEM_DEADBYTE = 0xdd;
const PYMEM_FORBIDDENBYTE = 0xfd;

const API_RAW = 0x72; // 'r'
const API_MEM = 0x6d; // 'm'
const API_OBJ = 0x6f; // 'o'

/** The allocator under the hooks: pymalloc (mem/obj domains of 'debug') or raw malloc. */
const UNDER_PYMALLOC = 0;
const UNDER_RAW = 1;

/** Largest n accepted (PY_SSIZE_T_MAX - extra in C; here what fits below 2^31). */
const MAX_REQUEST = 2 ** 31 - 1 - PYMEM_DEBUG_EXTRA_BYTES;

const FN_ALLOC = '_PyMem_DebugRawAlloc';
const FN_FREE = '_PyMem_DebugRawFree';
const FN_REALLOC = '_PyMem_DebugRawRealloc';

let tracebackHook: ((p: Ptr) => string) | null = null;
/** tracemalloc installs a function giving "Memory block allocated at (most recent call first):"
 *  text for p (or ''); without one the dump says "Enable tracemalloc ...". */
export function setDebugTracebackHook(fn: ((p: Ptr) => string) | null): void {
  tracebackHook = fn;
}

function underMalloc(under: number, n: number): Ptr {
  return under === UNDER_PYMALLOC ? pymallocMalloc(n) : rawMalloc(n);
}
function underRealloc(under: number, q: Ptr, n: number): Ptr {
  return under === UNDER_PYMALLOC ? pymallocRealloc(q, n) : rawRealloc(q, n);
}
function underFree(under: number, q: Ptr): void {
  if (under === UNDER_PYMALLOC) pymallocFree(q);
  else rawFree(q);
}

function writeSize(q: number, n: number): void {
  DV.setUint32(q, Math.floor(n / 4294967296));
  DV.setUint32(q + 4, n >>> 0);
}
function readSize(q: number): number {
  if (q < 0 || q + 8 > heapLimit) return 0;
  return DV.getUint32(q) * 4294967296 + DV.getUint32(q + 4);
}

/** Write the header and trailer of a debug block at q holding n bytes; return p = q + 16. */
function decorate(api: number, q: number, n: number): Ptr {
  writeSize(q, n);
  B[q + SST] = api;
  B.fill(PYMEM_FORBIDDENBYTE, q + SST + 1, q + 2 * SST);
  const tail = q + 2 * SST + n;
  B.fill(PYMEM_FORBIDDENBYTE, tail, tail + SST);
  return q + 2 * SST;
}

/** ≈ _PyMem_DebugRawAlloc (malloc). */
export function debugMalloc(api: number, under: number, nbytes: number): Ptr {
  if (!(nbytes <= MAX_REQUEST)) return NULL;
  const total = nbytes + PYMEM_DEBUG_EXTRA_BYTES;
  const q = underMalloc(under, total);
  if (q === NULL) return NULL;
  if (shadowOn) checkFreedGranules(q, total);
  const p = decorate(api, q, nbytes);
  if (nbytes > 0) B.fill(PYMEM_CLEANBYTE, p, p + nbytes);
  return p;
}

/** ≈ _PyMem_DebugRawAlloc (calloc). The block is taken with malloc so that the shadow check can
 *  see the old bytes, then cleared: the same result as the underlying calloc. */
export function debugCalloc(api: number, under: number, nelem: number, elsize: number): Ptr {
  const nbytes = nelem * elsize;
  if (!(nbytes <= MAX_REQUEST)) return NULL;
  const total = nbytes + PYMEM_DEBUG_EXTRA_BYTES;
  const q = underMalloc(under, total);
  if (q === NULL) return NULL;
  if (shadowOn) checkFreedGranules(q, total);
  const p = decorate(api, q, nbytes);
  B.fill(0, p, p + nbytes);
  return p;
}

/** ≈ _PyMem_DebugRawFree. */
export function debugFree(api: number, under: number, p: Ptr): void {
  if (p === NULL) return;
  const q = p - 2 * SST;
  if (shadowOn && q >= 0 && SH[q >>> 4] !== SHADOW_NONE) doubleFree(FN_FREE, p);
  checkAddress(FN_FREE, api, p);
  const total = readSize(q) + PYMEM_DEBUG_EXTRA_BYTES;
  B.fill(PYMEM_DEADBYTE, q, q + total);
  if (shadowOn) markFreed(q, total);
  underFree(under, q);
}

const ERASED_SIZE = 64;
// the bytes erased by a realloc, one buffer per nesting level (pymalloc's realloc of a block it
// gave to the raw domain re-enters debugRealloc for the raw domain's own header)
const saveStack = [new Uint8Array(2 * ERASED_SIZE), new Uint8Array(2 * ERASED_SIZE), new Uint8Array(2 * ERASED_SIZE)];
let saveDepth = 0;

/** ≈ _PyMem_DebugRawRealloc. */
export function debugRealloc(api: number, under: number, p: Ptr, nbytes: number): Ptr {
  if (p === NULL) return debugMalloc(api, under, nbytes);
  const oldHead = p - 2 * SST;
  if (shadowOn && oldHead >= 0 && SH[oldHead >>> 4] !== SHADOW_NONE) doubleFree(FN_REALLOC, p);
  checkAddress(FN_REALLOC, api, p);
  let head = oldHead;
  const original = readSize(head);
  if (!(nbytes <= MAX_REQUEST)) return NULL;
  const total = nbytes + PYMEM_DEBUG_EXTRA_BYTES;
  let data = p;
  const tail = data + original;
  const save = saveStack[saveDepth++];
  // mark the header, the trailer and up to ERASED_SIZE bytes at each end as dead, keeping a copy
  if (original <= 2 * ERASED_SIZE) {
    save.set(B.subarray(data, data + original));
    B.fill(PYMEM_DEADBYTE, head, head + original + PYMEM_DEBUG_EXTRA_BYTES);
  } else {
    save.set(B.subarray(data, data + ERASED_SIZE));
    B.fill(PYMEM_DEADBYTE, head, head + ERASED_SIZE + 2 * SST);
    save.set(B.subarray(tail - ERASED_SIZE, tail), ERASED_SIZE);
    B.fill(PYMEM_DEADBYTE, tail - ERASED_SIZE, tail + SST);
  }
  let r: Ptr;
  try {
    r = underRealloc(under, head, total);
  } finally {
    saveDepth--;
  }
  let n = nbytes;
  if (r === NULL) n = original;
  else {
    head = r;
    if (shadowOn) {
      // in place, the block may have grown over freed memory: check it. Moved, the underlying
      // realloc has already copied the data over the new block: only forget the old marks.
      if (r === oldHead) checkFreedGranules(r, total);
      else SH.fill(SHADOW_NONE, r >>> 4, (r + total + 15) >>> 4);
      if (r !== oldHead) {
        // the old block was freed inside realloc: make it a freed debug block too
        const oldTotal = original + PYMEM_DEBUG_EXTRA_BYTES;
        B.fill(PYMEM_DEADBYTE, oldHead + 2 * SST, oldHead + oldTotal);
        markFreed(oldHead, oldTotal);
      }
    }
  }
  data = decorate(api, head, n);
  // restore the saved bytes
  if (original <= 2 * ERASED_SIZE) {
    B.set(save.subarray(0, Math.min(n, original)), data);
  } else {
    const i = original - ERASED_SIZE;
    B.set(save.subarray(0, Math.min(n, ERASED_SIZE)), data);
    if (n > i) B.set(save.subarray(ERASED_SIZE, ERASED_SIZE + Math.min(n - i, ERASED_SIZE)), data + i);
  }
  if (r === NULL) return NULL;
  if (n > original) B.fill(PYMEM_CLEANBYTE, data + original, data + n);
  return data;
}

// ---- checks ----

function byteAt(i: number): number {
  return i >= 0 && i < heapLimit ? B[i] : -1;
}
function hex2(b: number): string {
  return b < 0 ? '??' : b.toString(16).padStart(2, '0');
}
function apiChar(id: number): string {
  return id < 0 ? '?' : String.fromCharCode(id);
}

/** ≈ _PyMem_DebugCheckAddress: API id, leading pad, trailing pad. */
function checkAddress(func: string, api: number, p: Ptr): void {
  const id = byteAt(p - SST);
  if (id !== api) {
    fatal(func, `bad ID: Allocated using API '${apiChar(id)}', verified using API '${apiChar(api)}'`, p);
  }
  for (let i = SST - 1; i >= 1; i--) {
    if (byteAt(p - i) !== PYMEM_FORBIDDENBYTE) fatal(func, 'bad leading pad byte', p);
  }
  const tail = p + readSize(p - 2 * SST);
  for (let i = 0; i < SST; i++) {
    if (byteAt(tail + i) !== PYMEM_FORBIDDENBYTE) fatal(func, 'bad trailing pad byte', p);
  }
}

function fatal(func: string, reason: string, p: Ptr): never {
  throw new PyFatalError(func, reason, debugDumpAddress(p), p);
}

function tracebackText(p: Ptr): string {
  if (tracebackHook !== null) return tracebackHook(p);
  return 'Enable tracemalloc to get the memory block allocation traceback\n\n';
}

/** ≈ _PyObject_DebugDumpAddress: what CPython prints about the debug block p. */
export function debugDumpAddress(p: Ptr): string {
  let out = `Debug memory block at address p=${fmtPtr(p)}:`;
  if (p === NULL) return out + '\n';
  out += ` API '${apiChar(byteAt(p - SST))}'\n`;
  const nbytes = readSize(p - 2 * SST);
  out += `    ${nbytes} bytes originally requested\n`;
  out += `    The ${SST - 1} pad bytes at p-${SST - 1} are `;
  let ok = true;
  for (let i = 1; i <= SST - 1; i++) if (byteAt(p - i) !== PYMEM_FORBIDDENBYTE) ok = false;
  if (ok) out += 'FORBIDDENBYTE, as expected.\n';
  else {
    out += `not all FORBIDDENBYTE (0x${hex2(PYMEM_FORBIDDENBYTE)}):\n`;
    for (let i = SST - 1; i >= 1; i--) {
      const b = byteAt(p - i);
      out += `        at p-${i}: 0x${hex2(b)}${b !== PYMEM_FORBIDDENBYTE ? ' *** OUCH' : ''}\n`;
    }
    out +=
      '    Because memory is corrupted at the start, the count of bytes requested\n' +
      '       may be bogus, and checking the trailing pad bytes may segfault.\n';
  }
  const tail = p + nbytes;
  out += `    The ${SST} pad bytes at tail=${fmtPtr(tail)} are `;
  ok = true;
  for (let i = 0; i < SST; i++) if (byteAt(tail + i) !== PYMEM_FORBIDDENBYTE) ok = false;
  if (ok) out += 'FORBIDDENBYTE, as expected.\n';
  else {
    out += `not all FORBIDDENBYTE (0x${hex2(PYMEM_FORBIDDENBYTE)}):\n`;
    for (let i = 0; i < SST; i++) {
      const b = byteAt(tail + i);
      out += `        at tail+${i}: 0x${hex2(b)}${b !== PYMEM_FORBIDDENBYTE ? ' *** OUCH' : ''}\n`;
    }
  }
  if (nbytes > 0) out += '    Data at p:' + dataBytes(p, tail) + '\n';
  out += '\n';
  return out + tracebackText(p);
}

/** " xx xx ..." : up to 8 bytes from q, then " ..." and the last 8 before tail. */
function dataBytes(q: number, tail: number): string {
  let s = '';
  let i = 0;
  while (q < tail && i < 8) {
    s += ' ' + hex2(byteAt(q));
    i++;
    q++;
  }
  if (q < tail) {
    if (tail - q > 8) {
      s += ' ...';
      q = tail - 8;
    }
    while (q < tail) s += ' ' + hex2(byteAt(q++));
  }
  return s;
}

/** p's block was already freed by the debug hooks (its header granule is marked in the shadow). */
function doubleFree(func: string, p: Ptr): never {
  let dump = `Debug memory block at address p=${fmtPtr(p)}: already freed\n`;
  dump += `    Data at p:${dataBytes(p, p + 8)}\n\n`;
  dump += tracebackText(p);
  throw new PyFatalError(func, `double free: the block at p=${fmtPtr(p)} was already freed`, dump, p);
}

/** Mark the freed debug block [q, q + total) in the shadow map: its header granule, and every
 *  granule wholly inside its data and trailer (all 0xDD now). */
function markFreed(q: number, total: number): void {
  SH[q >>> 4] = SHADOW_HEAD;
  SH.fill(SHADOW_DEAD, (q + 2 * SST) >>> 4, (q + total) >>> 4);
}

/** [q, q + total) was just handed out by the underlying allocator: every granule of it that
 *  was freed memory must still be all 0xDD; then forget about it. */
function checkFreedGranules(q: number, total: number): void {
  const g0 = q >>> 4;
  const g1 = (q + total + 15) >>> 4;
  for (let g = g0; g < g1; g++) {
    if (SH[g] === SHADOW_DEAD) {
      const a = g << 4;
      for (let k = 0; k < 16; k++) if (B[a + k] !== PYMEM_DEADBYTE) writeAfterFree(a, a + k);
    }
  }
  SH.fill(SHADOW_NONE, g0, g1);
}

/** Scan every freed debug block for modified bytes (e.g. at interpreter exit, in tests). */
export function debugCheckFreedMemory(): void {
  if (!shadowOn) return;
  let g = SH.indexOf(SHADOW_DEAD);
  while (g >= 0) {
    const a = g << 4;
    for (let k = 0; k < 16; k++) if (B[a + k] !== PYMEM_DEADBYTE) writeAfterFree(a, a + k);
    g = SH.indexOf(SHADOW_DEAD, g + 1);
  }
}

function writeAfterFree(granule: number, at: number): never {
  // the freed block: the nearest header granule below
  let g = granule >>> 4;
  while (g > 0 && SH[g] === SHADOW_DEAD) g--;
  const p = SH[g] === SHADOW_HEAD ? (g << 4) + 2 * SST : granule;
  const off = at - p;
  let dump = `Debug memory block at address p=${fmtPtr(p)}: freed, its bytes should all be DEADBYTE (0x${hex2(PYMEM_DEADBYTE)})\n`;
  dump += `    The 16 bytes at p+${granule - p} are not all DEADBYTE:\n`;
  for (let k = 0; k < 16; k++) {
    const b = B[granule + k];
    dump += `        at p+${granule - p + k}: 0x${hex2(b)}${b !== PYMEM_DEADBYTE ? ' *** OUCH' : ''}\n`;
  }
  dump += '\n' + tracebackText(p);
  throw new PyFatalError(
    FN_ALLOC,
    `write after free: byte at p+${off} (${fmtPtr(at)}) was modified after the block at p=${fmtPtr(p)} was freed`,
    dump,
    p,
  );
}

/** The constants above, for other modules and tests. (They are not exported one by one: V8
 *  reads an exported module binding through its module cell on every use, which made the fast
 *  paths ~1.5x slower than with file-local constants. Copy what you use into a local const.) */
export const DEBUG_HOOKS = Object.freeze({
  SST,
  PYMEM_DEBUG_EXTRA_BYTES,
  PYMEM_CLEANBYTE,
  PYMEM_DEADBYTE,
  PYMEM_FORBIDDENBYTE,
  API_RAW,
  API_MEM,
  API_OBJ,
  UNDER_PYMALLOC,
  UNDER_RAW,
});
