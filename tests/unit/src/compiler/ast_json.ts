// Converts the AST JSON of tests/fixtures/compile_fixtures.json (written by
// gen_compile_fixtures.py from python3's ast.parse) into src/ast.ts objects. Kept apart from
// the tests so the same fixtures can later be fed through the real parser instead.

import * as A from '../../../../src/ast.js';

type J = null | boolean | number | string | J[] | { [k: string]: J };

function f64FromHex(hex: string): number {
  const b = new Uint8Array(8);
  for (let i = 0; i < 8; i++) b[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return new DataView(b.buffer).getFloat64(0, false);
}

export function hexBytes(hex: string): Uint8Array {
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}

export function constValueFromJson(j: { [k: string]: J }): A.ConstValue {
  switch (j['$']) {
    case 'None': return null;
    case 'Ellipsis': return A.Ellipsis;
    case 'bool': return j['v'] as boolean;
    case 'int': return BigInt(j['v'] as string);
    case 'float': return f64FromHex(j['v'] as string);
    case 'complex': return { imag: f64FromHex(j['im'] as string) };
    case 'str': return j['v'] as string;
    case 'bytes': return hexBytes(j['v'] as string);
    default: throw new Error('bad constant ' + JSON.stringify(j));
  }
}

export { f64FromHex };

export function astFromJson(j: J): any {
  if (Array.isArray(j)) return j.map(astFromJson);
  if (j === null || typeof j !== 'object') return j;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(j)) {
    if (k === 'value' && j['_type'] === 'Constant') out[k] = constValueFromJson(v as { [k: string]: J });
    else out[k] = astFromJson(v);
  }
  return out;
}
