// `python3 -m dis FILE` output for a CodeUnit (≈ Lib/dis.py of 3.11.7: _disassemble_recursive,
// _disassemble_bytes, Instruction._disassemble): line-number column from co_lines (decoded
// from co_linetable), `>>` for jump and exception-handler targets, CACHE units hidden,
// argreprs, the ExceptionTable section, then nested code objects after
// `Disassembly of <code object ...>:`. Addresses come from a callback so the CLI can print
// real heap addresses.

import * as O from '../../runtime/vm/opcode.js';
import type { CodeUnit, Const } from './code.js';
import { floatRepr, strRepr, bytesRepr, complexRepr } from './pyrepr.js';

export type AddressOf = (code: CodeUnit) => string;

export interface LineRange { start: number; end: number; line: number | null }

/** co_lines(): (start, end, line) byte ranges from the 3.11 location table. */
export function coLines(code: CodeUnit): LineRange[] {
  const t = code.co_linetable;
  const out: LineRange[] = [];
  let p = 0, line = code.co_firstlineno, addr = 0;
  const varint = () => {
    let b = t[p++]!;
    let val = b & 63, shift = 0;
    while (b & 64) {
      b = t[p++]!;
      shift += 6;
      val |= (b & 63) << shift;
    }
    return val;
  };
  const svarint = () => {
    const v = varint();
    return v & 1 ? -(v >> 1) : v >> 1;
  };
  while (p < t.length) {
    const first = t[p++]!;
    const kind = (first >> 3) & 15;
    const len = (first & 7) + 1;
    let noLine = false;
    if (kind === 15) noLine = true;
    else if (kind === 13) line += svarint();
    else if (kind === 14) { line += svarint(); varint(); varint(); varint(); }
    else if (kind >= 10) { line += kind - 10; p += 2; }
    else p += 1;
    out.push({ start: addr, end: addr + len * 2, line: noLine ? null : line });
    addr += len * 2;
  }
  return out;
}

export function findLinestarts(code: CodeUnit): Map<number, number> {
  const m = new Map<number, number>();
  let last: number | null = null;
  for (const r of coLines(code)) {
    if (r.line !== null && r.line !== last) {
      last = r.line;
      m.set(r.start, r.line);
    }
  }
  return m;
}

export interface ExceptionEntry { start: number; end: number; target: number; depth: number; lasti: boolean }

export function parseExceptionTable(code: CodeUnit): ExceptionEntry[] {
  const t = code.co_exceptiontable;
  let p = 0;
  const varint = () => {
    let b = t[p++]!;
    let val = b & 63;
    while (b & 64) {
      val <<= 6;
      b = t[p++]!;
      val |= b & 63;
    }
    return val;
  };
  const out: ExceptionEntry[] = [];
  while (p < t.length) {
    const start = varint() * 2;
    const length = varint() * 2;
    const target = varint() * 2;
    const dl = varint();
    out.push({ start, end: start + length, target, depth: dl >> 1, lasti: (dl & 1) === 1 });
  }
  return out;
}

/** Frozenset iteration order for small int-like items (hash = value); other items keep the
 *  order they were inserted in. */
export function frozensetOrder(items: Const[]): Const[] {
  const intLike = items.every((x) => (x.kind === 'int' && x.value >= 0n && x.value < 1n << 60n) || x.kind === 'bool');
  if (!intLike) return items;
  let mask = 7;
  let table: (Const | null)[] = new Array(8).fill(null);
  let fill = 0;
  const hashOf = (x: Const) => (x.kind === 'bool' ? (x.value ? 1n : 0n) : (x as { value: bigint }).value);
  const insert = (tbl: (Const | null)[], m: number, x: Const) => {
    const h = hashOf(x);
    let perturb = h;
    let i = Number(h & BigInt(m));
    for (;;) {
      const probes = i + 9 <= m ? 10 : 1;
      for (let k = 0; k < probes; k++) {
        if (tbl[i + k] === null) { tbl[i + k] = x; return; }
      }
      perturb >>= 5n;
      i = Number((BigInt(i) * 5n + 1n + perturb) & BigInt(m));
    }
  };
  for (const x of items) {
    insert(table, mask, x);
    fill++;
    if (fill * 5 >= mask * 3) {
      let newsize = 8;
      while (newsize <= fill * 4) newsize <<= 1;
      const old = table.filter((y): y is Const => y !== null);
      mask = newsize - 1;
      table = new Array(newsize).fill(null);
      for (const y of old) insert(table, mask, y);
    }
  }
  return table.filter((y): y is Const => y !== null);
}

export function constRepr(c: Const, addr: AddressOf): string {
  switch (c.kind) {
    case 'None': return 'None';
    case 'Ellipsis': return 'Ellipsis';
    case 'bool': return c.value ? 'True' : 'False';
    case 'int': return c.value.toString();
    case 'float': return floatRepr(c.value);
    case 'complex': return complexRepr(c.real, c.imag);
    case 'str': return strRepr(c.value);
    case 'bytes': return bytesRepr(c.value);
    case 'tuple':
      if (c.items.length === 1) return '(' + constRepr(c.items[0]!, addr) + ',)';
      return '(' + c.items.map((x) => constRepr(x, addr)).join(', ') + ')';
    case 'frozenset':
      if (c.items.length === 0) return 'frozenset()';
      return 'frozenset({' + frozensetOrder(c.items).map((x) => constRepr(x, addr)).join(', ') + '})';
    case 'code':
      return `<code object ${c.co_name} at ${addr(c)}, file ${JSON.stringify(c.co_filename)}, line ${c.co_firstlineno}>`;
  }
}

const FORMAT_VALUE_CONVERTERS = ['', 'str', 'repr', 'ascii'];

interface DisInstr { offset: number; op: number; arg: number | null; argrepr: string; startsLine: number | undefined; isJumpTarget: boolean }

function instructions(code: CodeUnit, addr: AddressOf): DisInstr[] {
  const bytes = code.co_code;
  const linestarts = findLinestarts(code);
  const labels = new Set<number>();
  const raw: { offset: number; op: number; arg: number | null }[] = [];
  let ext = 0, caches = 0;
  for (let i = 0; i < bytes.length; i += 2) {
    if (caches) { caches--; continue; }
    const op = bytes[i]!;
    caches = O.CACHE_ENTRIES[op] ?? 0;
    let arg: number | null = null;
    if (op >= O.HAVE_ARGUMENT) {
      arg = bytes[i + 1]! | ext;
      ext = op === O.EXTENDED_ARG ? arg << 8 : 0;
    } else {
      ext = 0;
    }
    raw.push({ offset: i, op, arg });
    if (arg !== null) {
      if (O.HAS_JREL_FORWARD.has(op)) labels.add(i + 2 + arg * 2);
      else if (O.HAS_JREL_BACKWARD.has(op)) labels.add(i + 2 - arg * 2);
    }
  }
  for (const e of parseExceptionTable(code)) if (e.end > e.start) labels.add(e.target);
  return raw.map(({ offset, op, arg }) => {
    let argrepr = '';
    if (arg !== null) {
      if (O.HAS_CONST.has(op)) argrepr = op === O.LOAD_CONST ? constRepr(code.co_consts[arg]!, addr) : '';
      else if (O.HAS_NAME.has(op)) {
        if (op === O.LOAD_GLOBAL) {
          argrepr = code.co_names[arg >> 1]!;
          if (arg & 1) argrepr = 'NULL + ' + argrepr;
        } else argrepr = code.co_names[arg]!;
      } else if (O.HAS_JREL_FORWARD.has(op)) argrepr = 'to ' + (offset + 2 + arg * 2);
      else if (O.HAS_JREL_BACKWARD.has(op)) argrepr = 'to ' + (offset + 2 - arg * 2);
      else if (O.HAS_LOCAL.has(op) || O.HAS_FREE.has(op)) argrepr = code.co_localsplusnames[arg]!;
      else if (O.HAS_COMPARE.has(op)) argrepr = O.CMP_OP[arg]!;
      else if (op === O.FORMAT_VALUE) {
        argrepr = FORMAT_VALUE_CONVERTERS[arg & 3]!;
        if (arg & 4) argrepr += (argrepr ? ', ' : '') + 'with format';
      } else if (op === O.MAKE_FUNCTION) {
        argrepr = O.MAKE_FUNCTION_FLAGS.filter((_, i) => arg & (1 << i)).join(', ');
      } else if (op === O.BINARY_OP) argrepr = O.NB_OPS[arg]![1];
    }
    return { offset, op, arg, argrepr, startsLine: linestarts.get(offset), isJumpTarget: labels.has(offset) };
  });
}

/** Text of dis.disassemble(code) (one code object, no recursion). */
export function disassembleOne(code: CodeUnit, addr: AddressOf): string {
  const lines: string[] = [];
  const linestarts = findLinestarts(code);
  const showLineno = linestarts.size > 0;
  let linenoWidth = 0;
  if (showLineno) {
    const maxl = Math.max(...linestarts.values());
    linenoWidth = maxl >= 1000 ? String(maxl).length : 3;
  }
  const maxoffset = code.co_code.length - 2;
  const offsetWidth = maxoffset >= 10000 ? String(maxoffset).length : 4;
  for (const ins of instructions(code, addr)) {
    if (showLineno && ins.startsLine !== undefined && ins.offset > 0) lines.push('');
    const fields: string[] = [];
    if (linenoWidth) fields.push(ins.startsLine !== undefined ? String(ins.startsLine).padStart(linenoWidth) : ' '.repeat(linenoWidth));
    fields.push('   ');
    fields.push(ins.isJumpTarget ? '>>' : '  ');
    fields.push(String(ins.offset).padStart(offsetWidth));
    fields.push(O.OPNAMES[ins.op]!.padEnd(20));
    if (ins.arg !== null) {
      fields.push(String(ins.arg).padStart(5));
      if (ins.argrepr) fields.push('(' + ins.argrepr + ')');
    }
    lines.push(fields.join(' ').trimEnd());
  }
  const entries = parseExceptionTable(code);
  if (entries.length) {
    lines.push('ExceptionTable:');
    for (const e of entries) lines.push(`  ${e.start} to ${e.end - 2} -> ${e.target} [${e.depth}]${e.lasti ? ' lasti' : ''}`);
  }
  return lines.join('\n') + '\n';
}

let counter = 0;
const autoAddr = new WeakMap<CodeUnit, string>();
function defaultAddr(co: CodeUnit): string {
  let a = autoAddr.get(co);
  if (!a) { a = '0x' + (0x7f0000000000 + (++counter) * 0x100).toString(16); autoAddr.set(co, a); }
  return a;
}

/** What `python3 -m dis FILE` prints for the module code object `code`. */
export function disassemble(code: CodeUnit, addr: AddressOf = defaultAddr): string {
  let out = disassembleOne(code, addr);
  for (const c of code.co_consts) {
    if (c.kind === 'code') {
      out += '\nDisassembly of ' + constRepr(c, addr) + ':\n' + disassemble(c, addr);
    }
  }
  return out;
}
