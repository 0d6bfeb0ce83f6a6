import { describe, it, expect } from 'vitest';
import './strbytes_harness.js'; // first: fixes the module load order (see there)
import { readFileSync } from 'node:fs';
import { U8 } from '../../../../runtime/mem/heap.js';
import { getAllocatedBlocks, PyObject_Malloc, PyObject_Free } from '../../../../runtime/mem/pymem.js';
import { Py_DECREF, Py_INCREF, Py_REFCNT, Py_TYPE, HASH_HI, hashToBigInt, STATIC_REFCNT } from '../../../../runtime/object.js';
import { _Py_HashBytes, setHashSeed } from '../../../../runtime/pyhash.js';
import {
  PyUnicode_Type, PyUnicode_FromString, PyUnicode_FromCodePoints, unicodeToJs, PyUnicode_Check, PyUnicode_CheckExact,
  PyUnicode_GET_LENGTH, PyUnicode_KIND, PyUnicode_IS_ASCII, PyUnicode_READ_CHAR, unicode_hash, unicode_eq, unicode_sizeof,
  get_latin1_char, unicode_new_empty, unicode_empty, PyUnicode_InternFromString, PyUnicode_Intern, PyUnicode_CHECK_INTERNED,
  internedCount, PyUnicode_New,
} from '../../../../runtime/objects/unicodeobject.js';

const fx = JSON.parse(readFileSync(new URL('../../../fixtures/unicode_hash.json', import.meta.url), 'utf8')) as {
  str: [number[], string, number][];
  bytes: [number[], string, number][];
  seeded: [number, string[]][];
};

function hashOf(o: number): bigint {
  const lo = unicode_hash(o);
  return hashToBigInt(lo, HASH_HI[0]);
}

describe('str basics', () => {
  it('hash() and getsizeof of 1,225 strs of every kind match CPython (PYTHONHASHSEED=0)', () => {
    const base = getAllocatedBlocks();
    expect(fx.str.length).toBeGreaterThanOrEqual(1000);
    for (const [cps, h, size] of fx.str) {
      const o = PyUnicode_FromCodePoints(cps);
      const ctx = `str ${JSON.stringify(cps.slice(0, 8))}… len ${cps.length}`;
      expect(PyUnicode_GET_LENGTH(o), ctx).toBe(cps.length);
      expect(hashOf(o).toString(), ctx).toBe(h);
      expect(hashOf(o).toString(), ctx + ' (cached)').toBe(h);
      expect(unicode_sizeof(o), ctx).toBe(size);
      Py_DECREF(o);
    }
    expect(getAllocatedBlocks()).toBe(base);
  });

  it('bytes hashes (SipHash over raw bytes) match CPython', () => {
    const base = getAllocatedBlocks();
    for (const [bs, h] of fx.bytes) {
      const p = PyObject_Malloc(bs.length + 1);
      U8.set(bs, p);
      expect(hashToBigInt(_Py_HashBytes(p, bs.length), HASH_HI[0]).toString(), `bytes len ${bs.length}`).toBe(h);
      // unaligned input gives the same hash
      const q = PyObject_Malloc(bs.length + 4);
      U8.set(bs, q + 3);
      expect(hashToBigInt(_Py_HashBytes(q + 3, bs.length), HASH_HI[0]).toString()).toBe(h);
      PyObject_Free(p);
      PyObject_Free(q);
    }
    expect(getAllocatedBlocks()).toBe(base);
  });

  it('non-zero PYTHONHASHSEED derives the key with CPython\'s LCG', () => {
    try {
      for (const [seed, hashes] of fx.seeded) {
        setHashSeed(seed);
        const texts = ['a', 'hello world', 'é'.repeat(20), '😀x'];
        texts.forEach((t, i) => {
          const o = PyUnicode_FromString(t);
          // singletons cache their hash: compute from the data directly
          const lo = _Py_HashBytes(o + (PyUnicode_IS_ASCII(o) ? 48 : 72), PyUnicode_GET_LENGTH(o) * PyUnicode_KIND(o));
          expect(hashToBigInt(lo, HASH_HI[0]).toString(), `seed ${seed} ${t}`).toBe(hashes[i]);
          Py_DECREF(o);
        });
        const p = PyObject_Malloc(11);
        U8.set(Buffer.from('abcdefghijk'), p);
        expect(hashToBigInt(_Py_HashBytes(p, 11), HASH_HI[0]).toString()).toBe(hashes[4]);
        PyObject_Free(p);
      }
    } finally {
      setHashSeed(0);
    }
  });

  it('FromString picks the narrowest kind and round-trips through unicodeToJs', () => {
    const base = getAllocatedBlocks();
    const cases: [string, number, number, boolean][] = [
      ['hello', 1, 5, true], ['héllo', 1, 5, false], ['ĀB', 2, 2, false], ['a😀b', 4, 3, false],
      ['\ud800x', 2, 2, false], ['x'.repeat(10000) + 'é', 1, 10001, false], ['ā'.repeat(5000), 2, 5000, false],
      ['😀'.repeat(5000), 4, 5000, false],
    ];
    for (const [s, kind, len, ascii] of cases) {
      const o = PyUnicode_FromString(s);
      expect(PyUnicode_KIND(o)).toBe(kind);
      expect(PyUnicode_GET_LENGTH(o)).toBe(len);
      expect(PyUnicode_IS_ASCII(o)).toBe(ascii);
      expect(unicodeToJs(o)).toBe(s);
      expect(PyUnicode_Check(o)).toBe(true);
      expect(PyUnicode_CheckExact(o)).toBe(true);
      expect(Py_TYPE(o)).toBe(PyUnicode_Type);
      expect(Py_REFCNT(o)).toBe(1);
      Py_DECREF(o);
    }
    const o = PyUnicode_FromString('a😀');
    expect(PyUnicode_READ_CHAR(o, 1)).toBe(0x1f600);
    Py_DECREF(o);
    expect(getAllocatedBlocks()).toBe(base);
  });

  it('the empty str and the 256 latin-1 one-char strs are static singletons', () => {
    const base = getAllocatedBlocks();
    const e = PyUnicode_FromString('');
    expect(e).toBe(unicode_empty);
    expect(unicode_new_empty()).toBe(e);
    expect(PyUnicode_New(0, 0)).toBe(e);
    Py_DECREF(e); Py_DECREF(e); Py_DECREF(e);
    expect(Py_REFCNT(e)).toBe(STATIC_REFCNT);
    for (let c = 0; c < 256; c++) {
      const a = get_latin1_char(c);
      const b = PyUnicode_FromString(String.fromCharCode(c));
      const d = PyUnicode_FromCodePoints([c]);
      expect(b).toBe(a);
      expect(d).toBe(a);
      expect(Py_REFCNT(a)).toBe(STATIC_REFCNT + 3);
      expect(unicode_sizeof(a)).toBe(c < 128 ? 50 : 74);
      Py_DECREF(a); Py_DECREF(b); Py_DECREF(d);
    }
    const x = PyUnicode_FromString('Ā');
    const y = PyUnicode_FromString('Ā');
    expect(y).not.toBe(x);
    expect(getAllocatedBlocks()).toBe(base + 2);
    Py_DECREF(x); Py_DECREF(y);
    expect(getAllocatedBlocks()).toBe(base);
    expect(unicode_sizeof(unicode_empty)).toBe(49);
    expect(hashOf(unicode_empty)).toBe(0n);
  });

  it('unicode_eq compares length, kind and data', () => {
    const base = getAllocatedBlocks();
    const mk = (s: string) => PyUnicode_FromString(s);
    const pairs: [string, string, boolean][] = [
      ['abc', 'abc', true], ['abc', 'abd', false], ['abc', 'ab', false], ['abcdefghij', 'abcdefghij', true],
      ['abcdefghij', 'abcdefghiJ', false], ['é', 'é', true], ['ā', 'ā', true], ['😀😁', '😀😁', true], ['😀😁', '😀😂', false],
    ];
    for (const [x, y, eq] of pairs) {
      const a = mk(x), b = mk(y);
      expect(unicode_eq(a, b), `${x} == ${y}`).toBe(eq);
      Py_DECREF(a); Py_DECREF(b);
    }
    expect(getAllocatedBlocks()).toBe(base);
  });

  it('interning is mortal: no refcount change, removed from the table on dealloc', () => {
    const base = getAllocatedBlocks();
    const n0 = internedCount();
    const a = PyUnicode_InternFromString('spam_and_eggs');
    expect(Py_REFCNT(a)).toBe(1);
    expect(PyUnicode_CHECK_INTERNED(a)).toBe(1);
    const b = PyUnicode_InternFromString('spam_and_eggs');
    expect(b).toBe(a);
    expect(Py_REFCNT(a)).toBe(2);
    let c = PyUnicode_FromString('spam_and_eggs');
    expect(c).not.toBe(a);
    c = PyUnicode_Intern(c); // the fresh copy is freed, the interned one returned
    expect(c).toBe(a);
    expect(Py_REFCNT(a)).toBe(3);
    expect(internedCount()).toBe(n0 + 1);
    Py_DECREF(a); Py_DECREF(a); Py_DECREF(a);
    expect(internedCount()).toBe(n0);
    const d = PyUnicode_InternFromString('spam_and_eggs');
    expect(Py_REFCNT(d)).toBe(1);
    Py_DECREF(d);
    // surrogates are never interned
    const s = PyUnicode_InternFromString('\ud800');
    expect(PyUnicode_CHECK_INTERNED(s)).toBe(0);
    Py_DECREF(s);
    Py_INCREF(unicode_empty); Py_DECREF(unicode_empty);
    expect(getAllocatedBlocks()).toBe(base);
  });
});

describe('str helpers for the VM and the runtime', () => {
  it('PyUnicode_Append grows a sole, unhashed str in place and copies otherwise', async () => {
    const { PyUnicode_Append, PyUnicode_InternInPlace } = await import('../../../../runtime/objects/unicodeobject.js');
    const { PyMem_Malloc, PyMem_Free } = await import('../../../../runtime/mem/pymem.js');
    const { I32 } = await import('../../../../runtime/mem/heap.js');
    const base = getAllocatedBlocks();
    const field = PyMem_Malloc(8);
    I32[field >> 2] = PyUnicode_FromString('ab');
    I32[(field >> 2) + 1] = 0;
    const piece = PyUnicode_FromString('cd');
    for (let i = 0; i < 50; i++) PyUnicode_Append(field, piece);
    let s = I32[field >> 2];
    expect(unicodeToJs(s)).toBe('ab' + 'cd'.repeat(50));
    expect(Py_REFCNT(s)).toBe(1);
    expect(unicode_sizeof(s)).toBe(49 + 102);
    // a shared left operand is not modified
    Py_INCREF(s);
    const shared = s;
    PyUnicode_Append(field, piece);
    s = I32[field >> 2];
    expect(s).not.toBe(shared);
    expect(unicodeToJs(shared)).toBe('ab' + 'cd'.repeat(50));
    Py_DECREF(shared);
    // ASCII += latin-1 makes a new latin-1 str
    const e = PyUnicode_FromString('é');
    PyUnicode_Append(field, e);
    s = I32[field >> 2];
    expect(PyUnicode_IS_ASCII(s)).toBe(false);
    expect(unicodeToJs(s).endsWith('cdé')).toBe(true);
    // += a non-str: TypeError, the field is cleared
    PyUnicode_Append(field, PyUnicode_Type);
    expect(I32[field >> 2]).toBe(0);
    const { PyErr_Occurred, PyErr_Clear, pendingMessage } = await import('../../../../runtime/errors.js');
    expect(PyErr_Occurred()).not.toBe(0);
    expect(pendingMessage()).toBe('can only concatenate str (not "type") to str');
    PyErr_Clear();
    // interning through a field
    const first = PyUnicode_InternFromString('an_identifier');
    I32[field >> 2] = PyUnicode_FromString('an_identifier');
    expect(I32[field >> 2]).not.toBe(first);
    PyUnicode_InternInPlace(field);
    expect(I32[field >> 2]).toBe(first);
    expect(Py_REFCNT(first)).toBe(2);
    Py_DECREF(first); Py_DECREF(first);
    Py_DECREF(piece); Py_DECREF(e);
    PyMem_Free(field);
    expect(getAllocatedBlocks()).toBe(base);
  });

  it('static identifier strs are interned and never freed; the str iterator is 48 bytes with its GC head', async () => {
    const { _PyUnicode_InternStatic, PyUnicodeIter_Type } = await import('../../../../runtime/objects/unicodeobject.js');
    const { slotsOf, typeBasicSize } = await import('../../../../runtime/typeobject.js');
    const base = getAllocatedBlocks();
    const a = _PyUnicode_InternStatic('__init__');
    expect(Py_REFCNT(a)).toBe(STATIC_REFCNT);
    expect(_PyUnicode_InternStatic('__init__')).toBe(a);
    const b = PyUnicode_InternFromString('__init__');
    expect(b).toBe(a);
    Py_DECREF(b);
    expect(typeBasicSize(PyUnicodeIter_Type) + 16).toBe(48);
    const s = PyUnicode_FromString('hé😀');
    const it = slotsOf(PyUnicode_Type).tp_iter!(s);
    const next = slotsOf(PyUnicodeIter_Type).tp_iternext!;
    const got: string[] = [];
    for (let c = next(it); c !== 0; c = next(it)) { got.push(unicodeToJs(c)); Py_DECREF(c); }
    expect(got).toEqual(['h', 'é', '😀']);
    Py_DECREF(it);
    Py_DECREF(s);
    expect(getAllocatedBlocks()).toBe(base);
  });
});
