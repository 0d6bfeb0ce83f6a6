import { describe, it, expect } from 'vitest';
import { I32 } from '../../../../runtime/mem/heap.js';
import { Py_DECREF, Py_REFCNT, STATIC_REFCNT, HASH_HI, hashToBigInt } from '../../../../runtime/object.js';
import { slotsOfObj, Py_LT, Py_LE, Py_EQ, Py_NE, Py_GT, Py_GE } from '../../../../runtime/typeobject.js';
import {
  PyLong_FromNumber, PyLong_FromBigInt, PyLong_AsBigInt, PyLong_AsNumber, isCompact, compactValue, smallInt, long_sizeof,
  PyLong_FromUnicodeObject, long_to_decimal_string, long_vectorcall, PyLong_Type, _PyLong_Format,
} from '../../../../runtime/objects/longobject.js';
import {
  PyNumber_Add, PyNumber_Subtract, PyNumber_Multiply, PyNumber_FloorDivide, PyNumber_Remainder, PyNumber_Lshift,
  PyNumber_Rshift, PyNumber_And, PyNumber_Or, PyNumber_Xor, PyNumber_TrueDivide, PyNumber_Divmod, PyNumber_Power,
  PyNumber_Negative, PyNumber_Invert, PyNumber_Absolute, PyObject_RichCompare, PyObject_Hash, PyNumber_Float,
} from '../../../../runtime/abstract.js';
import { Py_None } from '../../../../runtime/objects/noneobject.js';
import { PyUnicode_FromString } from '../../../../runtime/objects/unicodeobject.js';
import { fixtures, int, take, liveBlocks, rng, toBits, fromBits, argSlots, freeSlots, ensureStrRepr } from './numbers_helpers.js';

ensureStrRepr();

const binop: Record<string, (a: number, b: number) => number> = {
  '+': PyNumber_Add, '-': PyNumber_Subtract, '*': PyNumber_Multiply, '//': PyNumber_FloorDivide, '%': PyNumber_Remainder,
  '<<': PyNumber_Lshift, '>>': PyNumber_Rshift, '&': PyNumber_And, '|': PyNumber_Or, '^': PyNumber_Xor, '/': PyNumber_TrueDivide,
  divmod: PyNumber_Divmod, pow: (a, b) => PyNumber_Power(a, b, Py_None),
};

describe('int', () => {
  it('small ints are static, cached and compact', () => {
    for (let v = -5; v <= 256; v++) {
      const o = PyLong_FromNumber(v);
      expect(o).toBe(smallInt(v));
      expect(Py_REFCNT(o)).toBeGreaterThan(STATIC_REFCNT - 10);
      expect(isCompact(o)).toBe(true);
      expect(compactValue(o)).toBe(v);
      Py_DECREF(o);
    }
    // results in the range are the cached objects
    const a = int(1000);
    const b = int(-744);
    const s = PyNumber_Add(a, b);
    expect(s).toBe(smallInt(256));
    const t = PyNumber_Add(s, PyLong_FromNumber(1));
    expect(t).not.toBe(smallInt(256));
    expect(take(t)).toBe('257');
    Py_DECREF(s);
    Py_DECREF(a);
    Py_DECREF(b);
    // int('256') is the small int, parsing goes through the cache too
    const str = PyUnicode_FromString('256');
    const p = PyLong_FromUnicodeObject(str, 10);
    expect(p).toBe(smallInt(256));
    Py_DECREF(p);
    Py_DECREF(str);
  });

  it('getsizeof matches CPython for many sizes', () => {
    const before = liveBlocks();
    for (const [v, size] of fixtures().int_sizeof as [string, number][]) {
      const o = int(v);
      expect(long_sizeof(o), v).toBe(size);
      Py_DECREF(o);
    }
    expect(liveBlocks()).toBe(before);
  });

  it('BigInt round trip and JS number conversion', () => {
    const r = rng(7);
    for (let i = 0; i < 2000; i++) {
      const bits = Math.floor(r() * 400);
      let v = 0n;
      for (let k = 0; k < bits; k += 20) v = (v << 20n) | BigInt(Math.floor(r() * 2 ** 20));
      if (r() < 0.5) v = -v;
      const o = int(v);
      expect(PyLong_AsBigInt(o), `seed 7 #${i}`).toBe(v);
      if (v >= -(2n ** 53n) && v <= 2n ** 53n) expect(PyLong_AsNumber(o)).toBe(Number(v));
      Py_DECREF(o);
    }
  });

  it('hash of >1000 ints equals CPython', () => {
    for (const [v, h] of fixtures().int_hash as [string, string][]) {
      const o = int(v);
      const lo = PyObject_Hash(o);
      expect(hashToBigInt(lo, HASH_HI[0]).toString(), v).toBe(h);
      Py_DECREF(o);
    }
  });

  it('binary operators match CPython fixtures (floor div, mod, shifts, pow, true division, comparisons)', () => {
    const before = liveBlocks();
    const ops = [Py_LT, Py_LE, Py_EQ, Py_NE, Py_GT, Py_GE];
    let n = 0;
    for (const [op, as, bs, expected] of fixtures().int_binops as [string, string, string, unknown][]) {
      const a = int(as);
      const b = int(bs);
      let got: unknown;
      if (op === 'cmp') got = ops.map((o) => take(PyObject_RichCompare(a, b, o)));
      else got = take(binop[op](a, b));
      expect(got, `${as} ${op} ${bs}`).toEqual(expected);
      Py_DECREF(a);
      Py_DECREF(b);
      n++;
    }
    expect(n).toBeGreaterThan(10000);
    expect(liveBlocks()).toBe(before);
  });

  it('operators agree with BigInt on random values (property test)', () => {
    const seed = 424242;
    const r = rng(seed);
    const before = liveBlocks();
    const rand = (): bigint => {
      const kind = r();
      let v: bigint;
      if (kind < 0.4) v = BigInt(Math.floor(r() * 2 ** 31) - 2 ** 30);
      else if (kind < 0.7) v = BigInt(Math.floor(r() * 2 ** 53)) - 2n ** 52n;
      else {
        v = 0n;
        const words = 1 + Math.floor(r() * 12);
        for (let k = 0; k < words; k++) v = (v << 32n) | BigInt(Math.floor(r() * 2 ** 32));
        if (r() < 0.5) v = -v;
      }
      return v;
    };
    const fdiv = (x: bigint, y: bigint) => {
      const q = x / y;
      return (x % y !== 0n) && ((x % y < 0n) !== (y < 0n)) ? q - 1n : q;
    };
    for (let i = 0; i < 1500; i++) {
      const x = rand();
      const y = rand();
      const a = int(x);
      const b = int(y);
      const msg = `seed ${seed} #${i}: ${x} ${y}`;
      expect(take(PyNumber_Add(a, b)), msg).toBe((x + y).toString());
      expect(take(PyNumber_Subtract(a, b)), msg).toBe((x - y).toString());
      expect(take(PyNumber_Multiply(a, b)), msg).toBe((x * y).toString());
      expect(take(PyNumber_And(a, b)), msg).toBe((x & y).toString());
      expect(take(PyNumber_Or(a, b)), msg).toBe((x | y).toString());
      expect(take(PyNumber_Xor(a, b)), msg).toBe((x ^ y).toString());
      expect(take(PyNumber_Negative(a)), msg).toBe((-x).toString());
      expect(take(PyNumber_Invert(a)), msg).toBe((-x - 1n).toString());
      expect(take(PyNumber_Absolute(a)), msg).toBe((x < 0n ? -x : x).toString());
      if (y !== 0n) {
        const q = fdiv(x, y);
        expect(take(PyNumber_FloorDivide(a, b)), msg).toBe(q.toString());
        expect(take(PyNumber_Remainder(a, b)), msg).toBe((x - q * y).toString());
        expect(take(PyNumber_Divmod(a, b)), msg).toEqual([q.toString(), (x - q * y).toString()]);
      }
      const sh = BigInt(Math.floor(r() * 100));
      const s = int(sh);
      expect(take(PyNumber_Lshift(a, s)), msg).toBe((x << sh).toString());
      expect(take(PyNumber_Rshift(a, s)), msg).toBe((x >> sh).toString());
      Py_DECREF(s);
      const c = take(PyObject_RichCompare(a, b, Py_LT));
      expect(c, msg).toBe(x < y);
      Py_DECREF(a);
      Py_DECREF(b);
    }
    expect(liveBlocks()).toBe(before);
  });

  it('digit arithmetic at digit boundaries (all-ones, powers of two, one-digit divisors, 30-bit shifts)', () => {
    const before = liveBlocks();
    const vals: bigint[] = [];
    for (const k of [29, 30, 31, 53, 59, 60, 61, 89, 90, 91, 150]) {
      const p = 1n << BigInt(k);
      for (const v of [p - 1n, p, p + 1n]) vals.push(v, -v);
    }
    const fdiv = (x: bigint, y: bigint) => {
      const q = x / y;
      return (x % y !== 0n) && ((x % y < 0n) !== (y < 0n)) ? q - 1n : q;
    };
    for (const x of vals) {
      const a = int(x);
      for (const y of vals) {
        const b = int(y);
        const msg = `${x} ${y}`;
        expect(take(PyNumber_Add(a, b)), msg).toBe((x + y).toString());
        expect(take(PyNumber_Subtract(a, b)), msg).toBe((x - y).toString());
        expect(take(PyNumber_Multiply(a, b)), msg).toBe((x * y).toString());
        expect(take(PyNumber_And(a, b)), msg).toBe((x & y).toString());
        expect(take(PyNumber_Or(a, b)), msg).toBe((x | y).toString());
        expect(take(PyNumber_Xor(a, b)), msg).toBe((x ^ y).toString());
        Py_DECREF(b);
      }
      for (const y of [1n, -1n, 2n, -3n, 7n, 1000003n, (1n << 30n) - 1n, -((1n << 30n) - 1n)]) {
        const b = int(y);
        const q = fdiv(x, y);
        expect(take(PyNumber_FloorDivide(a, b)), `${x} // ${y}`).toBe(q.toString());
        expect(take(PyNumber_Remainder(a, b)), `${x} % ${y}`).toBe((x - q * y).toString());
        Py_DECREF(b);
      }
      for (const sh of [0n, 1n, 29n, 30n, 31n, 59n, 60n, 61n, 90n, 149n, 150n, 151n, 200n]) {
        const s = int(sh);
        expect(take(PyNumber_Lshift(a, s)), `${x} << ${sh}`).toBe((x << sh).toString());
        expect(take(PyNumber_Rshift(a, s)), `${x} >> ${sh}`).toBe((x >> sh).toString());
        Py_DECREF(s);
      }
      Py_DECREF(a);
    }
    expect(liveBlocks()).toBe(before);
  });

  it('pow with a modulus matches CPython', () => {
    for (const [a, b, m, expected] of fixtures().int_powmod as [string, string, string, unknown][]) {
      const A = int(a);
      const B = int(b);
      const M = int(m);
      expect(take(PyNumber_Power(A, B, M)), `pow(${a}, ${b}, ${m})`).toEqual(expected);
      Py_DECREF(A);
      Py_DECREF(B);
      Py_DECREF(M);
    }
  });

  it('true division of big ints is correctly rounded', () => {
    for (const [a, b, expected] of fixtures().int_truediv as [string, string, unknown][]) {
      const A = int(a);
      const B = int(b);
      const r = take(PyNumber_TrueDivide(A, B));
      if (typeof expected === 'string') expect(r, `${a} / ${b}`).toEqual({ f: expected });
      else expect(r, `${a} / ${b}`).toEqual(expected);
      Py_DECREF(A);
      Py_DECREF(B);
    }
  });

  it('unary operations, bit_length/bit_count, float(), bin/oct/hex, round', () => {
    const s = slotsOfObj(smallInt(0));
    const meth = (name: string) => s.methods.find((m) => m.name === name)!.fn;
    for (const row of fixtures().int_unary as unknown[][]) {
      const [v, neg, inv, abs, bl, bc, fb, bn, oc, hx, r1, r3] = row as [string, string, string, string, number, number, string | null, string, string, string, string, string];
      const o = int(v);
      expect(take(PyNumber_Negative(o))).toBe(neg);
      expect(take(PyNumber_Invert(o))).toBe(inv);
      expect(take(PyNumber_Absolute(o))).toBe(abs);
      expect(take(meth('bit_length')(o, 0, 0, 0))).toBe(String(bl));
      expect(take(meth('bit_count')(o, 0, 0, 0))).toBe(String(bc));
      if (fb !== null) expect(take(PyNumber_Float(o))).toEqual({ f: fb });
      expect(take(_PyLong_Format(o, 2))).toBe(bn);
      expect(take(_PyLong_Format(o, 8))).toBe(oc);
      expect(take(_PyLong_Format(o, 16))).toBe(hx);
      for (const [nd, want] of [[-1, r1], [-3, r3]] as [number, string][]) {
        const n = PyLong_FromNumber(nd);
        const args = argSlots([n]);
        expect(take(meth('__round__')(o, args, 1, 0)), `round(${v}, ${nd})`).toBe(want);
        freeSlots(args);
        Py_DECREF(n);
      }
      Py_DECREF(o);
    }
  });

  it('int(str, base) accepts and rejects exactly what CPython does', () => {
    const before = liveBlocks();
    for (const [s, base, expected] of fixtures().int_parse as [string, number, { ok?: string; err?: string; msg?: string }][]) {
      const str = PyUnicode_FromString(s);
      const b = PyLong_FromNumber(base);
      // int(s, base) through the type's vectorcall: args are two heap slots
      const args = argSlots([str, b]);
      const r = take(long_vectorcall(PyLong_Type, args, 2, 0));
      freeSlots(args);
      const got = r;
      expect(got, JSON.stringify([s.slice(0, 50), base])).toEqual(expected.ok !== undefined ? expected.ok : { err: expected.err, msg: expected.msg });
      Py_DECREF(str);
      Py_DECREF(b);
    }
    expect(liveBlocks()).toBe(before);
  });

  it('str(int) obeys the 4300-digit limit', () => {
    const cases = fixtures().int_str_limit as { ok?: string; err?: string; msg?: string }[];
    const vals = [10n ** 4300n, 10n ** 4299n, -(10n ** 4299n), 10n ** 5000n];
    vals.forEach((v, i) => {
      const o = int(v);
      const r = take(long_to_decimal_string(o));
      expect(r).toEqual(cases[i].ok !== undefined ? cases[i].ok : { err: cases[i].err, msg: cases[i].msg });
      Py_DECREF(o);
    });
  });

  it('errors use CPython messages', () => {
    const a = int(1);
    const z = int(0);
    const m = int(-1);
    expect(take(PyNumber_FloorDivide(a, z))).toEqual({ err: 'ZeroDivisionError', msg: 'integer division or modulo by zero' });
    expect(take(PyNumber_Remainder(a, z))).toEqual({ err: 'ZeroDivisionError', msg: 'integer modulo by zero' });
    expect(take(PyNumber_TrueDivide(a, z))).toEqual({ err: 'ZeroDivisionError', msg: 'division by zero' });
    expect(take(PyNumber_Lshift(a, m))).toEqual({ err: 'ValueError', msg: 'negative shift count' });
    expect(take(PyNumber_Power(z, m, Py_None))).toEqual({ err: 'ZeroDivisionError', msg: '0.0 cannot be raised to a negative power' });
    expect(take(PyNumber_Power(int(2), m, Py_None))).toEqual({ f: toBits(0.5) });
    expect(fromBits(toBits(0.5))).toBe(0.5);
  });
});

