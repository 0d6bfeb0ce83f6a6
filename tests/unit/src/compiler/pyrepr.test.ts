// floatRepr / strRepr / bytesRepr against python3's repr() (values in the fixture file).

import { describe, it, expect } from 'vitest';
import { floatRepr, strRepr, bytesRepr } from '../../../../src/compiler/pyrepr.js';
import { f64FromHex, hexBytes } from './ast_json.js';
import { loadFixtures } from './fixtures.js';

const { reprs } = loadFixtures();

describe('Python repr helpers', () => {
  it(`float repr (${reprs.floats.length} values)`, () => {
    const bad = reprs.floats.filter(([h, r]) => floatRepr(f64FromHex(h)) !== r);
    expect(bad.slice(0, 10)).toEqual([]);
  });
  it(`str repr (${reprs.strs.length} values)`, () => {
    const bad = reprs.strs.filter(([s, r]) => strRepr(s) !== r).map(([s, r]) => [s, r, strRepr(s)]);
    expect(bad.slice(0, 10)).toEqual([]);
  });
  it(`bytes repr (${reprs.bytes.length} values)`, () => {
    const bad = reprs.bytes.filter(([h, r]) => bytesRepr(hexBytes(h)) !== r);
    expect(bad.slice(0, 10)).toEqual([]);
  });
});
