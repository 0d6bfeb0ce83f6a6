import { describe, it, expect } from 'vitest';
import { Py_DECREF } from '../../../../runtime/object.js';
import { formatFloatJs, formatLongJs, formatStrJs, parseFormatSpec } from '../../../../runtime/objects/format.js';
import { PyObject_Format } from '../../../../runtime/abstract.js';
import { PyUnicode_FromString } from '../../../../runtime/objects/unicodeobject.js';
import { Py_True, Py_False } from '../../../../runtime/objects/boolobject.js';
import { PyOS_double_to_string } from '../../../../runtime/pystrtod.js';
import { fixtures, fromBits, int, flt, take, pendingError, liveBlocks } from './numbers_helpers.js';

type Want = { ok?: string; err?: string; msg?: string };
const expected = (w: Want) => (w.ok !== undefined ? w.ok : { err: w.err, msg: w.msg });
const js = (r: string | null) => (r === null ? pendingError() : r);

describe('format spec mini-language', () => {
  it('floats: every spec x every value equals CPython (~10k cases)', () => {
    let n = 0;
    for (const [bits, spec, want] of fixtures().float_format as [string, string, Want][]) {
      const x = fromBits(bits);
      const got = spec === '' ? PyOS_double_to_string(x, 'r', 0, 2) : js(formatFloatJs(x, spec));
      expect(got, `format(${x}, ${JSON.stringify(spec)})`).toEqual(expected(want));
      n++;
    }
    expect(n).toBeGreaterThan(9000);
  });

  it('ints (and bools): every spec equals CPython', () => {
    const before = liveBlocks();
    for (const [v, isBool, spec, want] of fixtures().int_format as [string, boolean, string, Want][]) {
      const o = isBool ? (v === '1' ? Py_True : Py_False) : int(v);
      const s = PyUnicode_FromString(spec);
      const got = take(PyObject_Format(o, s));
      expect(got, `format(${isBool ? (v === '1' ? 'True' : 'False') : v}, ${JSON.stringify(spec)})`).toEqual(expected(want));
      Py_DECREF(s);
      if (!isBool) Py_DECREF(o);
    }
    expect(liveBlocks()).toBe(before);
  });

  it('strs: every spec equals CPython', () => {
    for (const [v, spec, want] of fixtures().str_format as [string, string, Want][]) {
      expect(js(formatStrJs(v, spec)), `format(${JSON.stringify(v)}, ${JSON.stringify(spec)})`).toEqual(expected(want));
      const o = PyUnicode_FromString(v);
      const s = PyUnicode_FromString(spec);
      expect(take(PyObject_Format(o, s))).toEqual(expected(want));
      Py_DECREF(o);
      Py_DECREF(s);
    }
  });

  it('parses fill, align, sign, z, #, 0, width, grouping, precision, type', () => {
    expect(parseFormatSpec('*^+z#015,.3f', '', '>', 'float')).toEqual({
      fill: '*', align: '^', sign: '+', noNeg0: true, alternate: true, width: 15, thousands: 1, precision: 3, type: 'f',
    });
    expect(parseFormatSpec('010', 'd', '>', 'int')).toMatchObject({ fill: '0', align: '=', width: 10 });
    expect(formatLongJs(int(5), 'x')).toBe('5');
    const f = flt(2.5);
    const s = PyUnicode_FromString('.0f');
    expect(take(PyObject_Format(f, s))).toBe('2');
    Py_DECREF(f);
    Py_DECREF(s);
  });
});
