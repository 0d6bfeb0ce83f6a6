// Loads tests/fixtures/compile_fixtures.json and turns our CodeUnit into the same JSON shape
// (constants numbered by identity in the generator's depth-first order).

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { CodeUnit, Const } from '../../../../src/compiler/code.js';
import { floatRepr } from '../../../../src/compiler/pyrepr.js';
import { frozensetOrder } from '../../../../src/compiler/dis.js';

export interface Snippet { name: string; src: string; ast: any; code: any; dis?: string }

export interface Fixtures {
  filename: string;
  snippets: Snippet[];
  modes: (Snippet & { mode: 'eval' | 'single' })[];
  arena: { name: string; src: string; ast: any; probes: string[]; delta: number[] }[];
  reprs: { floats: [string, string][]; strs: [string, string][]; bytes: [string, string][] };
}

export function loadFixtures(): Fixtures {
  const p = fileURLToPath(new URL('../../../fixtures/compile_fixtures.json', import.meta.url));
  return JSON.parse(readFileSync(p, 'utf8'));
}

function hex(b: Uint8Array): string {
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
}
function f64hex(x: number): string {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setFloat64(0, x, false);
  return hex(b);
}

export class Walker {
  ids = new Map<object, number>();
  ident(o: object): number {
    let i = this.ids.get(o);
    if (i === undefined) { i = this.ids.size; this.ids.set(o, i); }
    return i;
  }
  const(c: Const): any {
    const id = this.ident(c);
    switch (c.kind) {
      case 'tuple': return { $: 'tuple', id, items: c.items.map((x) => this.const(x)) };
      case 'frozenset': return { $: 'frozenset', id, items: frozensetOrder(c.items).map((x) => this.const(x)) };
      case 'code': return { $: 'code', id, code: this.code(c) };
      case 'None': return { $: 'None', id };
      case 'Ellipsis': return { $: 'Ellipsis', id };
      case 'bool': return { $: 'bool', v: c.value, id };
      case 'int': return { $: 'int', v: c.value.toString(), id };
      case 'float': return { $: 'float', v: f64hex(c.value), r: floatRepr(c.value), id };
      case 'complex': return { $: 'complex', re: f64hex(c.real), im: f64hex(c.imag), id };
      case 'str': return { $: 'str', v: c.value, id };
      case 'bytes': return { $: 'bytes', v: hex(c.value), id };
    }
  }
  code(co: CodeUnit): any {
    return {
      co_name: co.co_name,
      co_qualname: co.co_qualname,
      co_firstlineno: co.co_firstlineno,
      co_argcount: co.co_argcount,
      co_posonlyargcount: co.co_posonlyargcount,
      co_kwonlyargcount: co.co_kwonlyargcount,
      co_flags: co.co_flags,
      co_stacksize: co.co_stacksize,
      co_nlocals: co.co_nlocals,
      co_code: hex(co.co_code),
      co_linetable: hex(co.co_linetable),
      co_exceptiontable: hex(co.co_exceptiontable),
      co_names: co.co_names,
      co_names_id: this.ident(co.co_names_obj),
      co_varnames: co.co_varnames,
      co_cellvars: co.co_cellvars,
      co_freevars: co.co_freevars,
      co_consts_id: this.ident(co.co_consts_obj),
      co_consts: co.co_consts.map((c) => this.const(c)),
    };
  }
}

/** Frozenset items compare as sets (our order is insertion order, CPython's is hash order). */
export function normalizeSets(j: any): any {
  if (Array.isArray(j)) return j.map(normalizeSets);
  if (j === null || typeof j !== 'object') return j;
  const out: any = {};
  for (const [k, v] of Object.entries(j)) out[k] = normalizeSets(v);
  if (out.$ === 'frozenset') out.items = [...out.items].sort((a: any, b: any) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));
  return out;
}
