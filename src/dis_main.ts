// `pymem -m dis FILE`: print the disassembly of FILE as `python3 -m dis FILE` does
// (≈ Lib/dis.py _test). The code objects are not run, so no heap addresses exist for them: dis.ts
// gives each code object a stable fake address in CPython's style (0x7f...).

import * as fs from 'node:fs';
import { parse } from './parser/parse.js';
import { PySyntaxError, formatSyntaxError } from './parser/syntax_error.js';
import { compile } from './compiler/compile.js';
import { disassemble } from './compiler/dis.js';

const enc = new TextEncoder();

export function disMain(args: string[], out: (b: Uint8Array) => void, err: (b: Uint8Array) => void): number {
  const file = args[0];
  if (file === undefined) {
    err(enc.encode('usage: dis.py [-h] [infile]\ndis.py: error: reading from stdin is not supported by pymem\n'));
    return 2;
  }
  let source: string;
  try {
    source = fs.readFileSync(file, 'utf8');
  } catch {
    err(enc.encode(`usage: dis.py [-h] [infile]\ndis.py: error: argument infile: can't open '${file}': [Errno 2] No such file or directory: '${file}'\n`));
    return 2;
  }
  let tree;
  try {
    tree = parse(source, file, 'exec');
  } catch (e) {
    if (e instanceof PySyntaxError) {
      err(enc.encode('Traceback (most recent call last):\n' + formatSyntaxError(e)));
      return 1;
    }
    throw e;
  }
  const { code } = compile(tree, file, 'exec');
  out(enc.encode(disassemble(code)));
  return 0;
}
