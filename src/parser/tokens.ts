// The token string matched by grammar/python_tok.ohm: one character per token of the layout
// pre-pass (layout.ts), keywords and operators each with their own character. The table below
// must agree with the legend at the top of grammar/python_tok.ohm.
import { Tok, type Layout } from './layout.js';

export const T_INDENT = 0xe000;
export const T_DEDENT = 0xe001;
export const T_NEWLINE = 0xe002;
export const T_NAME = 0xe003;
export const T_NUMBER = 0xe004;
export const T_STRING = 0xe005;
export const T_FSTRING = 0xe006;

export const KEYWORD_CODE: ReadonlyMap<string, number> = new Map([
  ['def', 0xe010], ['if', 0xe011], ['class', 0xe012], ['for', 0xe013], ['while', 0xe014],
  ['try', 0xe015], ['with', 0xe016],
  ['return', 0xe018], ['pass', 0xe019], ['import', 0xe01a], ['from', 0xe01b], ['raise', 0xe01c],
  ['break', 0xe01d], ['continue', 0xe01e], ['del', 0xe01f], ['assert', 0xe020], ['global', 0xe021],
  ['nonlocal', 0xe022],
  ['False', 0xe028], ['None', 0xe029], ['True', 0xe02a], ['as', 0xe02b], ['async', 0xe02c],
  ['await', 0xe02d], ['elif', 0xe02e], ['else', 0xe02f], ['except', 0xe030], ['finally', 0xe031],
  ['lambda', 0xe032], ['yield', 0xe033],
  ['in', 0xe056], ['or', 0xe057], ['and', 0xe058], ['is', 0xe059], ['not', 0xe05a],
]);

export const OP_CODE: ReadonlyMap<string, number> = new Map([
  ['~', 0xe040], ['+', 0xe041], ['-', 0xe042], ['**', 0xe043], ['*', 0xe044], ['//', 0xe045],
  ['/', 0xe046], ['%', 0xe047], ['@', 0xe048], ['<<', 0xe049], ['>>', 0xe04a], ['&', 0xe04b],
  ['^', 0xe04c], ['|', 0xe04d],
  ['==', 0xe050], ['!=', 0xe051], ['<=', 0xe052], ['>=', 0xe053], ['<', 0xe054], ['>', 0xe055],
  ['+=', 0xe060], ['-=', 0xe061], ['**=', 0xe062], ['*=', 0xe063], ['//=', 0xe064], ['/=', 0xe065],
  ['%=', 0xe066], ['@=', 0xe067], ['&=', 0xe068], ['|=', 0xe069], ['^=', 0xe06a], ['>>=', 0xe06b],
  ['<<=', 0xe06c],
  ['->', 0xe070], [':=', 0xe071], ['...', 0xe072],
  ['(', 40], [')', 41], ['[', 91], [']', 93], ['{', 123], ['}', 125], [':', 58], [',', 44],
  [';', 59], ['.', 46], ['=', 61],
]);

/** Operator / keyword text of a token character (for the AST: operator names). */
export const CODE_TEXT: string[] = [];
for (const [k, v] of KEYWORD_CODE) CODE_TEXT[v] = k;
for (const [k, v] of OP_CODE) CODE_TEXT[v] = k;

// single-character operators: a direct table
const OP1 = new Int32Array(128);
for (const [k, v] of OP_CODE) if (k.length === 1) OP1[k.charCodeAt(0)] = v;

/**
 * The token string of a layout (ENDMARKER left out): character i stands for token i.
 * Returns null when a token has no character (an ERROR token: the slow path reports it).
 */
export function tokenString(L: Layout): string | null {
  const n = L.ntok;
  const codes = new Uint16Array(n);
  const src = L.src;
  let len = 0;
  for (let t = 0; t < n; t++) {
    const s = L.tokStart[t], e = L.tokEnd[t];
    let c: number;
    switch (L.tokKind[t] as Tok) {
      case Tok.NAME: {
        const k = e - s <= 8 ? KEYWORD_CODE.get(src.slice(s, e)) : undefined;
        c = k ?? T_NAME;
        break;
      }
      case Tok.NUMBER: c = T_NUMBER; break;
      case Tok.STRING: {
        // an f-string token has an f/F in its prefix (before the quote)
        c = T_STRING;
        for (let i = s; i < e; i++) {
          const ch = src.charCodeAt(i);
          if (ch === 34 || ch === 39) break;
          if (ch === 102 || ch === 70) { c = T_FSTRING; break; }
        }
        break;
      }
      case Tok.OP:
        if (e - s === 1) c = OP1[src.charCodeAt(s)];
        else c = OP_CODE.get(src.slice(s, e)) ?? 0;
        if (c === 0) return null;
        break;
      case Tok.NEWLINE: c = T_NEWLINE; break;
      case Tok.INDENT: c = T_INDENT; break;
      case Tok.DEDENT: c = T_DEDENT; break;
      case Tok.ENDMARKER:
        if (t !== n - 1) return null;
        continue;
      default:
        return null;
    }
    codes[len++] = c;
  }
  let out = '';
  for (let i = 0; i < len; i += 8192) out += String.fromCharCode.apply(null, codes.subarray(i, Math.min(len, i + 8192)) as unknown as number[]);
  return out;
}
