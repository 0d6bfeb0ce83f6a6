// The caret anchors of 3.11 tracebacks need the failing source segment parsed as an
// expression (CPython re-parses it). runtime/ cannot import the parser, so the front end
// installs this parser into runtime/vm/traceback.ts.

import { parse } from './parser/parse.js';
import type { expr } from './ast.js';
import { setSegmentParser, type SegmentParse } from '../runtime/vm/traceback.js';

export function segmentParser(segment: string): SegmentParse {
  let mod;
  try {
    mod = parse(segment.endsWith('\n') ? segment : segment + '\n', '<traceback>', 'exec');
  } catch {
    return null;
  }
  if (mod.body.length !== 1 || mod.body[0]._type !== 'Expr') return null;
  const e: expr = mod.body[0].value;
  if (e._type === 'BinOp') return { kind: 'binop', leftEnd: e.left.end_col_offset, rightStart: e.right.col_offset };
  if (e._type === 'Subscript') return { kind: 'subscript', valueEnd: e.value.end_col_offset, sliceEnd: e.slice.end_col_offset };
  return null;
}

export function installSegmentParser(): void {
  setSegmentParser(segmentParser);
}
