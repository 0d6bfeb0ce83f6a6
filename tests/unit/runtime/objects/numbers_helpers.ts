// Shared helpers for the numbers tests (int, float, bool, None, format, abstract).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { I32, F64 } from '../../../../runtime/mem/heap.js';
import { getAllocatedBlocks } from '../../../../runtime/mem/pymem.js';
import { Py_DECREF, OB_TYPE } from '../../../../runtime/object.js';
import { typeName } from '../../../../runtime/typeobject.js';
import { PyErr_Occurred, PyErr_Clear, pendingMessage } from '../../../../runtime/errors.js';
import { PyLong_FromBigInt, PyLong_Type, longToDecimalJs, PyLong_AsBigInt } from '../../../../runtime/objects/longobject.js';
import { PyFloat_FromDouble, PyFloat_Type, clearFreeLists as clearFloatFreeList } from '../../../../runtime/objects/floatobject.js';
import { PyTuple_Type, PyTuple_GET_SIZE, PyTuple_GET_ITEM, PyTuple_ClearFreeList } from '../../../../runtime/objects/tupleobject.js';
import { unicodeToJs, PyUnicode_Type } from '../../../../runtime/objects/unicodeobject.js';
import { Py_True, Py_False } from '../../../../runtime/objects/boolobject.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Fixtures = Record<string, any>;
let cache: Fixtures | null = null;
export function fixtures(): Fixtures {
  if (cache === null) {
    const p = fileURLToPath(new URL('../../../fixtures/numbers/numbers.json', import.meta.url));
    cache = JSON.parse(readFileSync(p, 'utf8')) as Fixtures;
  }
  return cache;
}

const f64 = new Float64Array(1);
const u8 = new Uint8Array(f64.buffer);
/** 16 hex digits (big-endian IEEE bits, as Python's struct.pack('>d')) → double */
export function fromBits(h: string): number {
  for (let i = 0; i < 8; i++) u8[7 - i] = parseInt(h.slice(2 * i, 2 * i + 2), 16);
  return f64[0];
}
export function toBits(x: number): string {
  f64[0] = x;
  let s = '';
  for (let i = 7; i >= 0; i--) s += u8[i].toString(16).padStart(2, '0');
  return s;
}

export function int(v: bigint | number | string): number {
  const o = PyLong_FromBigInt(BigInt(v));
  if (o === 0) throw new Error('alloc failed');
  return o;
}
export function flt(x: number | string): number {
  return PyFloat_FromDouble(typeof x === 'string' ? fromBits(x) : x);
}

/** Decode a result object the way the fixtures encode results; consumes (DECREFs) `o`.
 *  NULL → {err, msg} of the pending exception (cleared). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function take(o: number): any {
  if (o === 0) return pendingError();
  const t = I32[(o + OB_TYPE) >> 2];
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  let r: any;
  if (o === Py_True) r = true;
  else if (o === Py_False) r = false;
  else if (t === PyLong_Type) r = PyLong_AsBigInt(o).toString();
  else if (t === PyFloat_Type) r = { f: toBits(F64[(o + 16) >> 3]) };
  else if (t === PyUnicode_Type) r = unicodeToJs(o);
  else if (t === PyTuple_Type) {
    r = [];
    for (let i = 0; i < PyTuple_GET_SIZE(o); i++) {
      const it = PyTuple_GET_ITEM(o, i);
      I32[it >> 2]++;
      r.push(take(it));
    }
  } else r = `<${typeName(t)}>`;
  Py_DECREF(o);
  return r;
}

export function pendingError(): { err: string; msg: string } {
  const t = PyErr_Occurred();
  if (t === 0) throw new Error('NULL result without an exception');
  const e = { err: typeName(t), msg: pendingMessage() ?? '' };
  PyErr_Clear();
  return e;
}

void longToDecimalJs;

/** Blocks in use once the free lists are emptied (the leak-check baseline). */
export function liveBlocks(): number {
  clearFloatFreeList();
  PyTuple_ClearFreeList();
  return getAllocatedBlocks();
}

/** Seeded PRNG (mulberry32). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// ---- argument slots for vectorcall/FASTCALL calls (consecutive 8-byte slots, borrowed refs) ----
import { PyMem_Malloc, PyMem_Free } from '../../../../runtime/mem/pymem.js';
export function argSlots(items: number[]): number {
  const p = PyMem_Malloc(8 * Math.max(1, items.length));
  items.forEach((it, i) => {
    I32[(p + 8 * i) >> 2] = it;
    I32[(p + 8 * i + 4) >> 2] = 0;
  });
  return p;
}
export function freeSlots(p: number): void {
  PyMem_Free(p);
}

// ---- test scaffolding: a str repr for error messages when unicodeobject.ts has none yet ----
import { slotsOf } from '../../../../runtime/typeobject.js';
import { PyUnicode_FromString } from '../../../../runtime/objects/unicodeobject.js';
const NONPRINT = /[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Zs}]/u;
export function pyStrRepr(s: string): string {
  const q = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = q;
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === q || ch === '\\') out += '\\' + ch;
    else if (ch === '\t') out += '\\t';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (c < 32 || c === 127) out += '\\x' + c.toString(16).padStart(2, '0');
    else if (c < 128 || (ch !== ' ' && !NONPRINT.test(ch)) || ch === ' ') out += ch;
    else if (c < 256) out += '\\x' + c.toString(16).padStart(2, '0');
    else if (c < 65536) out += '\\u' + c.toString(16).padStart(4, '0');
    else out += '\\U' + c.toString(16).padStart(8, '0');
  }
  return out + q;
}
export function ensureStrRepr(): void {
  const s = slotsOf(PyUnicode_Type);
  if (s.tp_repr === undefined) s.tp_repr = (o: number) => PyUnicode_FromString(pyStrRepr(unicodeToJs(o)));
}
