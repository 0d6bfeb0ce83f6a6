// The allocator API every other part of the runtime uses (≈ Include/cpython/pymem.h and the
// entry points of Objects/obmalloc.c). Three domains, as CPython:
//   RAW  PyMem_RawMalloc...   the general-purpose allocator (rawmalloc.ts)
//   MEM  PyMem_Malloc...      pymalloc by default (list item arrays, dict values, buffers)
//   OBJ  PyObject_Malloc...   pymalloc by default (objects, dict keys)
// Every function returns 0 (NULL) when memory is exhausted and never throws for that; the
// caller raises MemoryError (PyErr_NoMemory). Contents of new blocks are undefined except for
// the Calloc variants. Free of NULL is a no-op. Size 0 gives a unique non-NULL block. Sizes
// are integers >= 0. The debug hooks (and a raw free of something that is not a live block)
// throw PyFatalError (fatal.ts): a fatal error of the runtime, not a Python exception.
//
// PYTHONMALLOC (read once at load; setAllocatorMode() to change it, before anything is
// allocated) chooses what is behind the domains, as CPython 3.11 defines the modes:
//
//   mode             RAW            MEM / OBJ
//   pymalloc         malloc         pymalloc (the default)
//   malloc           malloc         malloc
//   debug            debug(malloc)  debug(pymalloc)       (= pymalloc_debug)
//   pymalloc_debug   debug(malloc)  debug(pymalloc)
//   malloc_debug     debug(malloc)  debug(malloc)
//
// "malloc" is rawmalloc.ts; "debug(x)" is debughooks.ts over x, with API id 'r', 'm' or 'o'.
// pymalloc hands its 0-byte and >512-byte requests to PyMem_RawMalloc (so under 'debug' such a
// block carries two debug headers, as in CPython).
//
// Performance: each entry point is one test of a flag word (ALLOCATOR_FLAGS, an Int32Array: a
// typed-array constant is one compare against a fixed address in optimized code, where a
// module `let` costs a context load, a hole check and a tag check) followed by a direct call of
// a file-local `const` copy of the allocator function (an imported binding is a module-cell load
// plus a call-target check at every call). In the default mode PyObject_Malloc/Free are thus
// pymalloc's own small fast paths (obmalloc.ts, documented at the top of that file), which
// TurboFan inlines into the caller together with the flag test; everything else is out of line.

import { type Ptr, NULL } from './heap.js';
import { osReset } from './os.js';
import { rawMalloc, rawCalloc, rawRealloc, rawFree, rawReset, rawCheck } from './rawmalloc.js';
import {
  pymallocMalloc,
  pymallocCalloc,
  pymallocRealloc,
  pymallocFree,
  pymallocReset,
  pymallocAllocatedBlocks,
  pymallocStatsText,
  pymallocCheck,
  setPymallocRawDomain,
  setNewArenaHook,
  debugAllocatorStatsLine,
} from './obmalloc.js';
import {
  debugMalloc,
  debugCalloc,
  debugRealloc,
  debugFree,
  DEBUG_HOOKS,
  setDebugTracebackHook,
  debugCheckFreedMemory,
} from './debughooks.js';
import { shadowEnable } from './shadow.js';
import { PyFatalError } from './fatal.js';

const { API_RAW, API_MEM, API_OBJ, UNDER_PYMALLOC, UNDER_RAW } = DEBUG_HOOKS;

export { PyFatalError, debugAllocatorStatsLine, setDebugTracebackHook, setNewArenaHook, debugCheckFreedMemory };

export type AllocatorMode = 'pymalloc' | 'malloc' | 'debug' | 'pymalloc_debug' | 'malloc_debug';
export const ALLOCATOR_MODES: readonly AllocatorMode[] = ['pymalloc', 'malloc', 'debug', 'pymalloc_debug', 'malloc_debug'];

// what is behind a domain
const K_PYMALLOC = 0;
const K_RAW = 1;
const K_DEBUG_PYMALLOC = 2;
const K_DEBUG_RAW = 3;

let mode: AllocatorMode = 'pymalloc';
let rawKind = K_RAW; // K_RAW or K_DEBUG_RAW
let objKind = K_PYMALLOC; // the MEM and OBJ domains (always the same allocator in CPython's modes)

/** The entry points' fast-path flags, kept equal to (objKind !== K_PYMALLOC, rawKind !== K_RAW):
 *  ALLOCATOR_FLAGS[0] is 0 while the MEM/OBJ domains are plain pymalloc (no debug hooks, no
 *  tracing): only then may pymalloc's fast paths (obmalloc.ts) be inlined in place of
 *  PyObject_Malloc/PyObject_Free/PyMem_Malloc/PyMem_Free. ALLOCATOR_FLAGS[1] is 0 while the RAW
 *  domain is the plain raw allocator. Read-only outside this file; copy it into a module const. */
export const ALLOCATOR_FLAGS = new Int32Array(32); // 128 bytes: V8 keeps typed arrays of <= 64 bytes
// in the JS heap, where optimized code cannot embed their address; only [0] and [1] are used
const FLAGS = ALLOCATOR_FLAGS;
function syncFlags(): void {
  FLAGS[0] = objKind === K_PYMALLOC ? 0 : 1;
  FLAGS[1] = rawKind === K_RAW ? 0 : 1;
}

// the allocators as file-local constants (see "Performance" above)
const pmMalloc = pymallocMalloc;
const pmCalloc = pymallocCalloc;
const pmRealloc = pymallocRealloc;
const pmFree = pymallocFree;
const rMalloc = rawMalloc;
const rCalloc = rawCalloc;
const rRealloc = rawRealloc;
const rFree = rawFree;

// ---- tracemalloc's hook (≈ the allocator wrappers _tracemalloc installs with PyMem_SetAllocator)
// While tracing, objKind is K_TRACED and the MEM/OBJ calls take the slow path below, which calls
// the allocator that was in place (tracedKind) and reports each block with its requested size.
// Off by default: the pymalloc fast path is untouched. The RAW domain is not traced (CPython's
// data stack and arenas do not go through it either).
const K_TRACED = 4;
let tracedKind = K_PYMALLOC;
/** Set by runtime/modules/tracemallocmodule.ts: a block of `n` requested bytes was allocated at
 *  p / the block at p is being freed. */
export const memoryTraceHooks = {
  alloc: (_p: Ptr, _n: number): void => {},
  free: (_p: Ptr): void => {},
};
/** Turn the tracing wrappers on or off (tracemalloc.start / stop). */
export function setMemoryTracing(on: boolean): void {
  if (on && objKind !== K_TRACED) {
    tracedKind = objKind;
    objKind = K_TRACED;
  } else if (!on && objKind === K_TRACED) {
    objKind = tracedKind;
  }
  syncFlags();
}
export function memoryTracingActive(): boolean {
  return objKind === K_TRACED;
}
function underKind(): number {
  return objKind === K_TRACED ? tracedKind : objKind;
}
function kindMalloc(kind: number, api: number, n: number): Ptr {
  if (kind === K_PYMALLOC) return pymallocMalloc(n);
  if (kind === K_RAW) return rawMalloc(n);
  return debugMalloc(api, kind === K_DEBUG_PYMALLOC ? UNDER_PYMALLOC : UNDER_RAW, n);
}
function kindCalloc(kind: number, api: number, nelem: number, elsize: number): Ptr {
  if (kind === K_PYMALLOC) return pymallocCalloc(nelem, elsize);
  if (kind === K_RAW) return rawCalloc(nelem, elsize);
  return debugCalloc(api, kind === K_DEBUG_PYMALLOC ? UNDER_PYMALLOC : UNDER_RAW, nelem, elsize);
}
function kindRealloc(kind: number, api: number, p: Ptr, n: number): Ptr {
  if (kind === K_PYMALLOC) return pymallocRealloc(p, n);
  if (kind === K_RAW) return rawRealloc(p, n);
  return debugRealloc(api, kind === K_DEBUG_PYMALLOC ? UNDER_PYMALLOC : UNDER_RAW, p, n);
}
function kindFree(kind: number, api: number, p: Ptr): void {
  if (kind === K_PYMALLOC) pymallocFree(p);
  else if (kind === K_RAW) rawFree(p);
  else debugFree(api, kind === K_DEBUG_PYMALLOC ? UNDER_PYMALLOC : UNDER_RAW, p);
}
function tracedMalloc(api: number, n: number): Ptr {
  const p = kindMalloc(tracedKind, api, n);
  if (p !== 0) memoryTraceHooks.alloc(p, n);
  return p;
}
function tracedCalloc(api: number, nelem: number, elsize: number): Ptr {
  const p = kindCalloc(tracedKind, api, nelem, elsize);
  if (p !== 0) memoryTraceHooks.alloc(p, nelem * elsize);
  return p;
}
function tracedRealloc(api: number, p: Ptr, n: number): Ptr {
  const q = kindRealloc(tracedKind, api, p, n);
  if (q !== 0) {
    if (p !== 0) memoryTraceHooks.free(p);
    memoryTraceHooks.alloc(q, n);
  }
  return q;
}
function tracedFree(api: number, p: Ptr): void {
  if (p !== 0) memoryTraceHooks.free(p);
  kindFree(tracedKind, api, p);
}

/** The mode named by a PYTHONMALLOC value; unset or '' means the default; null if unknown. */
export function parseAllocatorMode(value: string | undefined): AllocatorMode | null {
  if (value === undefined || value === '') return 'pymalloc';
  return (ALLOCATOR_MODES as readonly string[]).includes(value) ? (value as AllocatorMode) : null;
}

/** The mode from the environment, or the fatal error CPython reports for an unknown name
 *  (the CLI prints err.text plus "Python runtime state: preinitializing" and exits 1). */
export function allocatorModeFromEnv(env: Record<string, string | undefined> = process.env): AllocatorMode {
  const m = parseAllocatorMode(env.PYTHONMALLOC);
  if (m === null) throw new PyFatalError('preconfig_init_allocator', 'PYTHONMALLOC: unknown allocator', '', 0);
  return m;
}

function configure(m: AllocatorMode): void {
  mode = m;
  const debug = m === 'debug' || m === 'pymalloc_debug' || m === 'malloc_debug';
  rawKind = debug ? K_DEBUG_RAW : K_RAW;
  objKind = m === 'pymalloc' ? K_PYMALLOC : m === 'malloc' ? K_RAW : m === 'malloc_debug' ? K_DEBUG_RAW : K_DEBUG_PYMALLOC;
  syncFlags();
  shadowEnable(debug);
  setPymallocRawDomain(PyMem_RawMalloc, PyMem_RawCalloc, PyMem_RawRealloc, PyMem_RawFree);
}

/** Install the allocators of a PYTHONMALLOC mode. Like PYTHONMALLOC, this is chosen before the
 *  interpreter allocates anything: it starts every allocator fresh (all blocks handed out
 *  earlier are forgotten; the static region is kept). The mode survives resetHeap(). */
export function setAllocatorMode(m: AllocatorMode): void {
  if (parseAllocatorMode(m) === null) throw new Error(`unknown allocator mode ${m}`);
  configure(m);
  resetAllocators();
}

export function getAllocatorMode(): AllocatorMode {
  return mode;
}

/** True when PyObject_Malloc/PyMem_Malloc are plain pymalloc, i.e. when the fast paths
 *  documented in obmalloc.ts may be inlined. */
export function objDomainIsPymalloc(): boolean {
  return objKind === K_PYMALLOC;
}
/** The allocator kind behind the MEM/OBJ domains, ignoring the tracing wrappers. */
function baseObjKind(): number {
  return underKind();
}

/** True when pymalloc serves the MEM/OBJ domains (modes pymalloc, debug, pymalloc_debug). */
export function pymallocInUse(): boolean {
  const k = baseObjKind();
  return k === K_PYMALLOC || k === K_DEBUG_PYMALLOC;
}

/** Drop every block of every allocator and unmap everything (the heap buffer and its static
 *  region are kept). resetHeap() does this too. For tests, benchmarks and the harness. */
export function resetAllocators(): void {
  osReset();
  rawReset();
  pymallocReset();
  shadowEnable(rawKind === K_DEBUG_RAW);
}

configure(parseAllocatorMode(typeof process !== 'undefined' ? process.env.PYTHONMALLOC : undefined) ?? 'pymalloc');

// ---- RAW domain ----

export function PyMem_RawMalloc(n: number): Ptr {
  if (FLAGS[1] === 0) return rMalloc(n);
  return debugMalloc(API_RAW, UNDER_RAW, n);
}
export function PyMem_RawCalloc(nelem: number, elsize: number): Ptr {
  if (FLAGS[1] === 0) return rCalloc(nelem, elsize);
  return debugCalloc(API_RAW, UNDER_RAW, nelem, elsize);
}
export function PyMem_RawRealloc(p: Ptr, n: number): Ptr {
  if (FLAGS[1] === 0) return rRealloc(p, n);
  return debugRealloc(API_RAW, UNDER_RAW, p, n);
}
export function PyMem_RawFree(p: Ptr): void {
  if (FLAGS[1] === 0) rFree(p);
  else debugFree(API_RAW, UNDER_RAW, p);
}

// ---- OBJ domain ----

export function PyObject_Malloc(n: number): Ptr {
  if (FLAGS[0] === 0) return pmMalloc(n);
  return domainMalloc(API_OBJ, n);
}
export function PyObject_Calloc(nelem: number, elsize: number): Ptr {
  if (FLAGS[0] === 0) return pmCalloc(nelem, elsize);
  return domainCalloc(API_OBJ, nelem, elsize);
}
export function PyObject_Realloc(p: Ptr, n: number): Ptr {
  if (FLAGS[0] === 0) return pmRealloc(p, n);
  return domainRealloc(API_OBJ, p, n);
}
export function PyObject_Free(p: Ptr): void {
  if (FLAGS[0] === 0) pmFree(p);
  else domainFree(API_OBJ, p);
}

// ---- MEM domain ----

export function PyMem_Malloc(n: number): Ptr {
  if (FLAGS[0] === 0) return pmMalloc(n);
  return domainMalloc(API_MEM, n);
}
export function PyMem_Calloc(nelem: number, elsize: number): Ptr {
  if (FLAGS[0] === 0) return pmCalloc(nelem, elsize);
  return domainCalloc(API_MEM, nelem, elsize);
}
export function PyMem_Realloc(p: Ptr, n: number): Ptr {
  if (FLAGS[0] === 0) return pmRealloc(p, n);
  return domainRealloc(API_MEM, p, n);
}
export function PyMem_Free(p: Ptr): void {
  if (FLAGS[0] === 0) pmFree(p);
  else domainFree(API_MEM, p);
}

// the MEM/OBJ domains when they are not plain pymalloc
function domainMalloc(api: number, n: number): Ptr {
  if (objKind === K_TRACED) return tracedMalloc(api, n);
  if (objKind === K_RAW) return rawMalloc(n);
  return debugMalloc(api, objKind === K_DEBUG_PYMALLOC ? UNDER_PYMALLOC : UNDER_RAW, n);
}
function domainCalloc(api: number, nelem: number, elsize: number): Ptr {
  if (objKind === K_TRACED) return tracedCalloc(api, nelem, elsize);
  if (objKind === K_RAW) return rawCalloc(nelem, elsize);
  return debugCalloc(api, objKind === K_DEBUG_PYMALLOC ? UNDER_PYMALLOC : UNDER_RAW, nelem, elsize);
}
function domainRealloc(api: number, p: Ptr, n: number): Ptr {
  if (objKind === K_TRACED) return tracedRealloc(api, p, n);
  if (objKind === K_RAW) return rawRealloc(p, n);
  return debugRealloc(api, objKind === K_DEBUG_PYMALLOC ? UNDER_PYMALLOC : UNDER_RAW, p, n);
}
function domainFree(api: number, p: Ptr): void {
  if (objKind === K_TRACED) return tracedFree(api, p);
  if (objKind === K_RAW) rawFree(p);
  else debugFree(api, objKind === K_DEBUG_PYMALLOC ? UNDER_PYMALLOC : UNDER_RAW, p);
}

// ---- statistics ----

/** sys.getallocatedblocks() (≈ _Py_GetAllocatedBlocks): blocks in use in pymalloc's pools plus
 *  the blocks pymalloc handed to the raw domain; 0 when pymalloc is not in use. */
export function getAllocatedBlocks(): number {
  return pymallocInUse() ? pymallocAllocatedBlocks() : 0;
}

/** ≈ _PyObject_DebugMallocStats: pymalloc's report, '' when pymalloc is not in use. */
export function _PyObject_DebugMallocStats(): string {
  return pymallocInUse() ? pymallocStatsText() : '';
}

// CPython's _PyObject_DebugTypeStats order
const TYPE_STATS_ORDER = ['dict', 'float', 'list', 'tuple'];
const statsHooks: { name: string; fn: () => string[]; seq: number }[] = [];

/** A type module registers the lines it adds to sys._debugmallocstats() (its free lists), each
 *  made with debugAllocatorStatsLine(): registerDebugStatsHook('float', () => [...]) or just
 *  registerDebugStatsHook(() => [...]). Hooks named 'dict', 'float', 'list', 'tuple' print in
 *  CPython's order; the others after them, in registration order. Registering a name again
 *  replaces its hook. */
export function registerDebugStatsHook(nameOrFn: string | (() => string[]), maybeFn?: () => string[]): void {
  const name = typeof nameOrFn === 'string' ? nameOrFn : '';
  const fn = typeof nameOrFn === 'function' ? nameOrFn : maybeFn;
  if (fn === undefined) throw new TypeError('registerDebugStatsHook needs a function');
  const i = name === '' ? -1 : statsHooks.findIndex((h) => h.name === name);
  const seq = statsHooks.length;
  if (i >= 0) statsHooks[i] = { name, fn, seq: statsHooks[i].seq };
  else statsHooks.push({ name, fn, seq });
}

/** What sys._debugmallocstats() writes on stderr: pymalloc's report and a blank line (when
 *  pymalloc is in use), then the type modules' free-list lines. */
export function debugMallocStatsText(): string {
  let out = _PyObject_DebugMallocStats();
  if (out !== '') out += '\n';
  const rank = (n: string) => {
    const i = TYPE_STATS_ORDER.indexOf(n);
    return i < 0 ? TYPE_STATS_ORDER.length : i;
  };
  const hooks = [...statsHooks].sort((a, b) => rank(a.name) - rank(b.name) || a.seq - b.seq);
  for (const h of hooks) {
    for (const line of h.fn()) out += line.endsWith('\n') ? line : line + '\n';
  }
  return out;
}

/** Check the allocators' invariants (pool states, arena order, boundary tags, bins); returns
 *  the first violation found, or null. O(heap): for tests and the debug harness. */
export function checkAllocators(deep = false): string | null {
  return pymallocCheck(deep) ?? rawCheck();
}

export { NULL };
