// Two pure memoizations for Ohm 17's matcher, installed once when the parser loads.
//
// Profiling the token grammar (bench/README.md) showed ~10 % of the time in two helpers that
// Ohm recomputes for every expression it evaluates: `getArity()` of sequences, alternations and
// iterations (a recursive sum over the sub-expressions, asked for by every Seq/Iter/Apply
// evaluation) and `Apply#isSyntactic()` (`ruleName[0] === ruleName[0].toUpperCase()`, asked by
// the space-skipping check before every evaluation). Both depend only on the (immutable)
// parsing expression, so each instance caches its answer. Matching behaviour is unchanged:
// the parser tests run with these in place, and the grammar and recipes are Ohm's own.
import * as ohm from 'ohm-js';

type Fn = (this: object) => unknown;
interface Proto { prototype: Record<string, unknown> }

function memoize(cls: Proto | undefined, method: string, slot: string): void {
  const proto = cls?.prototype;
  const orig = proto?.[method] as Fn | undefined;
  if (!proto || typeof orig !== 'function' || (orig as { memoized?: boolean }).memoized) return;
  const f = function (this: Record<string, unknown>): unknown {
    const v = this[slot];
    if (v !== undefined) return v;
    const r = orig.call(this);
    Object.defineProperty(this, slot, { value: r, enumerable: false, writable: false });
    return r;
  };
  (f as { memoized?: boolean }).memoized = true;
  proto[method] = f;
}

let installed = false;
export function installOhmMemoization(): void {
  if (installed || process.env.PYMEM_OHM_MEMO === '0') return;
  installed = true;
  const P = (ohm as unknown as { pexprs?: Record<string, Proto> }).pexprs;
  if (!P) return;
  for (const name of ['Alt', 'Seq', 'Iter', 'Star', 'Plus', 'Opt', 'Lookahead', 'Lex', 'Extend', 'Splice']) {
    memoize(P[name], 'getArity', '_pymemArity');
  }
  memoize(P.Apply, 'isSyntactic', '_pymemSyntactic');
}
