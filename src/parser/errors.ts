import type * as ohm from 'ohm-js';
import type { Layout } from './layout.js';
import { PySyntaxError } from './syntax_error.js';

export interface FailureInfo {
  L: Layout;
  base: number;
  chunkText: string;
  pos: number;
  match: ohm.MatchResult;
}
interface ErrMap {
  errorAtSrc(msg: string, so: number, eo: number, kind?: 'SyntaxError' | 'IndentationError' | 'TabError'): PySyntaxError;
}
export function deriveError(info: FailureInfo, pm: ErrMap): PySyntaxError {
  const o = info.L.procToOrig[info.base + info.pos];
  return pm.errorAtSrc('invalid syntax', o, o + 1);
}
