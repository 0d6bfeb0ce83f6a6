// The indentation pre-pass: one scan over the source that does the work of CPython's
// tokenizer (Parser/tokenizer.c) which a PEG grammar over characters cannot do by itself,
// and hands Ohm a text it can match without any state.
//
// What it produces (Layout):
// - `text`: the source with three private-use marker characters inserted, every original
//   character kept: INDENT / DEDENT before the first token of a logical line whose
//   indentation grows / shrinks (one DEDENT per closed block), NEWLINE where a logical line
//   ends (just before its '\n', or at the end of the file). Nothing is inserted inside
//   brackets or after a backslash continuation, so those lines join for free.
// - `procToOrig`: for each index of `text`, the index in the source (markers map to the
//   source index they were inserted at). Positions reported to users are always source ones.
// - `chunks`: where each top-level statement starts in `text`, so parse.ts can match one
//   statement at a time (a new chunk starts at a column-0 logical line that is not
//   else/elif/except/finally and does not follow a decorator line).
// - the token list (kind, start, end in source indices) for the error heuristics of
//   syntax_error.ts.
// - `tokErr`: the first error the tokenizer would report, and where scanning stopped.
//   `text` ends there. CPython's tokenizer runs lazily, so which error wins depends on how far
//   the parser got; parse.ts applies that rule (see `hard` below and parse.ts).
//
// Tokenizer behaviour followed here (3.11): tabs advance to the next multiple of 8 and a
// second "alternate" column with tab size 1 detects ambiguous indentation (TabError); blank
// and comment-only lines are ignored; a dedent must land on an enclosing indentation level;
// strings end at the first unescaped matching quote (f-strings too); numbers are checked
// as CPython checks them (underscores, leading zeros, "invalid decimal literal"...);
// identifiers may use Unicode XID characters and are NFKC-normalized by to_ast.ts.

export const INDENT = '\uE000';
export const DEDENT = '\uE001';
export const NEWLINE = '\uE002';

export const enum Tok {
  NAME = 1,
  NUMBER = 2,
  STRING = 3,
  OP = 4,
  NEWLINE = 5,
  INDENT = 6,
  DEDENT = 7,
  ENDMARKER = 8,
  ERROR = 9,
}

export type ErrKind = 'SyntaxError' | 'IndentationError' | 'TabError';

/** A tokenizer error, positioned as CPython reports it. */
export interface TokError {
  kind: ErrKind;
  msg: string;
  lineno: number;
  /** 1-based, in characters (CPython's SyntaxError.offset). */
  offset: number;
  end_lineno: number;
  end_offset: number;
  /** The `text` attribute CPython gives this error (null when none). */
  text: string | null;
  /** Errors CPython's tokenizer raises as exceptions: they win over a parser error found
   *  earlier in the file (CPython tokenizes the rest of the file before reporting). The others
   *  (bad dedent, TabError, `\` not followed by newline, EOF inside brackets, a stray `$`)
   *  only surface when the parser reaches them. */
  hard: boolean;
  /** Source index at which the tokenizer stopped. */
  pos: number;
  /** For an EOF inside brackets: the innermost open bracket (for "'(' was never closed"). */
  openBracket?: { ch: string; pos: number; lineno: number };
}

export interface Layout {
  /** The source, newlines normalized to '\n'. */
  src: string;
  /** The marked-up text given to Ohm (ends where the first tokenizer error stopped scanning). */
  text: string;
  procToOrig: Int32Array;
  /** Source index of the start of each line; lineStarts[0] = 0 (line 1). */
  lineStarts: number[];
  /** Start offsets in `text` of each top-level chunk, then text.length. */
  chunks: number[];
  tokErr: TokError | null;
  /** Brackets still open where scanning stopped. */
  openBrackets: { ch: string; pos: number; lineno: number }[];
  ntok: number;
  tokKind: Uint8Array;
  tokStart: Int32Array;
  tokEnd: Int32Array;
  /** For each token, the index in `text` of its first character (markers: of the marker). */
  tokProc: Int32Array;
}

const CH_TAB = 9, CH_NL = 10, CH_FF = 12, CH_SP = 32, CH_HASH = 35, CH_BSLASH = 92;

const ID_START = /[\p{XID_Start}_]/u;
const ID_CONT = /[\p{XID_Continue}]/u;
const NON_PRINTABLE = /^[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Zs}]$/u;

function isAsciiIdStart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95;
}
function isAsciiIdCont(c: number): boolean {
  return isAsciiIdStart(c) || (c >= 48 && c <= 57);
}
function isPotentialIdStart(c: number): boolean {
  return isAsciiIdStart(c) || c >= 128;
}
function isPotentialIdChar(c: number): boolean {
  return isAsciiIdCont(c) || c >= 128;
}
function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

const OPERATORS3 = new Set(['**=', '//=', '>>=', '<<=', '...', '!=']);
const OPERATORS2 = new Set([
  '!=', '%=', '&=', '**', '*=', '+=', '-=', '->', '//', '/=', ':=', '<<', '<=', '==', '>=',
  '>>', '@=', '^=', '|=',
]);
const OPERATORS1 = new Set('%&()*+,-./:;<=>@[]^{|}~'.split(''));

/** Normalize newlines the way CPython's file reading does, and drop a UTF-8 BOM. */
export function normalizeSource(source: string): string {
  let s = source;
  if (s.charCodeAt(0) === 0xfeff) s = s.slice(1);
  if (s.indexOf('\r') >= 0) s = s.replace(/\r\n?/g, '\n');
  return s;
}

export class LayoutBuilder {
  readonly src: string;
  readonly lineStarts: number[] = [0];
  private readonly evalMode: boolean;

  // token arrays (grown by doubling)
  private cap = 256;
  ntok = 0;
  tokKind = new Uint8Array(256);
  tokStart = new Int32Array(256);
  tokEnd = new Int32Array(256);
  /** Marker insertions: source index -> marker string (in order). */
  private insPos: number[] = [];
  private insStr: string[] = [];
  private insTok: number[] = []; // token index of each insertion's first marker
  /** Token index at which each chunk starts (in `chunkTok`). */
  private chunkTok: number[] = [];
  tokErr: TokError | null = null;
  brackets: { ch: string; pos: number; lineno: number }[] = [];

  constructor(src: string, evalMode: boolean) {
    this.src = src;
    this.evalMode = evalMode;
    for (let i = 0; i < src.length; i++) if (src.charCodeAt(i) === CH_NL) this.lineStarts.push(i + 1);
  }

  lineOf(pos: number): number {
    const ls = this.lineStarts;
    let lo = 0, hi = ls.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (ls[mid] <= pos) lo = mid; else hi = mid - 1;
    }
    return lo + 1;
  }
  /** 1-based character offset of `pos` in its line (astral characters count once). */
  charOffset(pos: number): number {
    const ls = this.lineStarts[this.lineOf(pos) - 1];
    let n = 0;
    for (let i = ls; i < pos; i++) {
      const c = this.src.charCodeAt(i);
      if (c >= 0xdc00 && c <= 0xdfff && i > ls) {
        const p = this.src.charCodeAt(i - 1);
        if (p >= 0xd800 && p <= 0xdbff) continue;
      }
      n++;
    }
    return n + 1;
  }
  lineText(lineno: number, withNewline = true): string {
    const s = this.lineStarts[lineno - 1] ?? this.src.length;
    let e = this.src.indexOf('\n', s);
    if (e < 0) e = this.src.length; else if (withNewline) e++;
    return this.src.slice(s, e);
  }
  /** Number of lines as CPython's tokenizer counts them at EOF. */
  lineCount(): number {
    const n = this.lineStarts.length;
    return this.src.length > 0 && this.src.charCodeAt(this.src.length - 1) === CH_NL ? n - 1 : n;
  }

  private push(kind: Tok, start: number, end: number): void {
    if (this.ntok === this.cap) {
      this.cap *= 2;
      const k = new Uint8Array(this.cap); k.set(this.tokKind); this.tokKind = k;
      const s = new Int32Array(this.cap); s.set(this.tokStart); this.tokStart = s;
      const e = new Int32Array(this.cap); e.set(this.tokEnd); this.tokEnd = e;
    }
    this.tokKind[this.ntok] = kind;
    this.tokStart[this.ntok] = start;
    this.tokEnd[this.ntok] = end;
    this.ntok++;
  }
  private mark(pos: number, marker: string, kind: Tok): void {
    const n = this.insPos.length;
    if (n > 0 && this.insPos[n - 1] === pos) this.insStr[n - 1] += marker;
    else {
      this.insPos.push(pos);
      this.insStr.push(marker);
      this.insTok.push(this.ntok);
    }
    this.push(kind, pos, pos);
  }

  /** Record the first tokenizer error; scanning stops. */
  private fail(kind: ErrKind, msg: string, pos: number, offset: number, endOffset: number,
    hard: boolean, opts: { lineno?: number; endLineno?: number; text?: string | null } = {}): void {
    const lineno = opts.lineno ?? this.lineOf(pos);
    this.tokErr = {
      kind, msg, lineno, offset, end_lineno: opts.endLineno ?? lineno, end_offset: endOffset,
      text: opts.text !== undefined ? opts.text : this.lineText(lineno), hard, pos,
    };
  }
  private syntaxErrorAt(msg: string, pos: number, endPos?: number): void {
    const off = this.charOffset(pos);
    this.fail('SyntaxError', msg, pos, off, endPos === undefined ? off : this.charOffset(endPos), true);
  }
  /** ≈ tokenizer.c syntaxerror(): the offset is the number of characters before `cur`. */
  private syntaxErrorCur(msg: string, cur: number): void {
    const off = this.charOffset(cur) - 1;
    this.fail('SyntaxError', msg, cur, off, off, true);
  }

  run(): void {
    const src = this.src;
    const n = src.length;
    const indstack = [0];
    const altstack = [0];
    let pos = 0;
    let atBol = true;
    let lineHasTokens = false; // the current logical line has a token
    let firstTokOfLine = -1;   // token index of the first token of the current logical line
    let prevLineDecorator = false;
    let contLine = false;      // after a backslash continuation
    const brackets = this.brackets;

    scan: while (true) {
      // ---- beginning of a physical line: indentation
      if (atBol) {
        atBol = false;
        let col = 0, altcol = 0, p = pos;
        for (; p < n; p++) {
          const c = src.charCodeAt(p);
          if (c === CH_SP) { col++; altcol++; }
          else if (c === CH_TAB) { col = (Math.floor(col / 8) + 1) * 8; altcol++; }
          else if (c === CH_FF) { col = 0; altcol = 0; }
          else break;
        }
        pos = p;
        const c = p < n ? src.charCodeAt(p) : -1;
        const blank = c === CH_HASH || c === CH_NL || c === -1 || (c === CH_BSLASH && src.charCodeAt(p + 1) === CH_NL && false);
        if (!blank && brackets.length === 0 && !contLine) {
          const top = indstack[indstack.length - 1];
          if (col === top) {
            if (altcol !== altstack[altstack.length - 1]) { this.tabError(pos); break scan; }
          } else if (col > top) {
            if (altcol <= altstack[altstack.length - 1]) { this.tabError(pos); break scan; }
            indstack.push(col);
            altstack.push(altcol);
            this.mark(pos, INDENT, Tok.INDENT);
          } else {
            let ndedent = 0;
            while (indstack.length > 1 && col < indstack[indstack.length - 1]) {
              indstack.pop();
              altstack.pop();
              ndedent++;
            }
            if (col !== indstack[indstack.length - 1]) {
              const lineno = this.lineOf(pos);
              const text = this.lineText(lineno);
              // CPython: offset = end of the line (+1), end_offset = -1
              const lineLen = [...text.replace(/\n$/, '')].length;
              this.fail('IndentationError', 'unindent does not match any outer indentation level', pos,
                lineLen + 1, -1, false, { text });
              break scan;
            }
            if (altcol !== altstack[altstack.length - 1]) { this.tabError(pos); break scan; }
            for (let i = 0; i < ndedent; i++) this.mark(pos, DEDENT, Tok.DEDENT);
          }
          if (indstack.length === 1) this.startChunkMaybe(pos, prevLineDecorator);
        }
        contLine = false;
      }

      // ---- skip blanks
      while (pos < n) {
        const c = src.charCodeAt(pos);
        if (c === CH_SP || c === CH_TAB || c === CH_FF) pos++;
        else break;
      }
      if (pos >= n) break;
      let c = src.charCodeAt(pos);

      if (c === CH_HASH) {
        const e = src.indexOf('\n', pos);
        pos = e < 0 ? n : e;
        continue;
      }
      if (c === CH_NL) {
        if (brackets.length === 0 && lineHasTokens) {
          this.mark(pos, NEWLINE, Tok.NEWLINE);
          lineHasTokens = false;
          prevLineDecorator = src.charCodeAt(this.tokStart[firstTokOfLine]) === 64; // '@'
        }
        pos++;
        atBol = true;
        continue;
      }
      if (c === CH_BSLASH) {
        const d = src.charCodeAt(pos + 1);
        if (d === CH_NL) {
          pos += 2;
          contLine = true;
          atBol = true; // indentation of the next line is not checked (contLine)
          if (pos >= n) {
            // backslash-newline at EOF: "unexpected EOF while parsing"
            this.eofError(pos);
            break;
          }
          continue;
        }
        if (pos + 1 >= n) { this.eofError(pos + 1); break; }
        // CPython: E_LINECONT, reported only when the parser reaches it
        const off = this.charOffset(pos + 1);
        const lineno = this.lineOf(pos);
        this.fail('SyntaxError', 'unexpected character after line continuation character', pos, off, 0,
          false, { text: this.lineText(lineno) });
        this.push(Tok.ERROR, pos, pos + 1);
        break;
      }

      // ---- a token
      const start = pos;
      if (!lineHasTokens) {
        lineHasTokens = true;
        firstTokOfLine = this.ntok;
      }
      if (isPotentialIdStart(c)) {
        // identifier, or string prefix
        let p = pos + 1;
        while (p < n && isPotentialIdChar(src.charCodeAt(p))) p++;
        const q = p < n ? src.charCodeAt(p) : -1;
        if ((q === 34 || q === 39) && p - pos <= 2 && isStringPrefix(src.slice(pos, p))) {
          const e = this.scanString(pos, p);
          if (e < 0) break;
          pos = e;
          continue;
        }
        // verify identifier (non-ASCII)
        let ascii = true;
        for (let i = pos; i < p; i++) if (src.charCodeAt(i) >= 128) { ascii = false; break; }
        if (!ascii) {
          const bad = this.firstInvalidIdChar(pos, p);
          if (bad >= 0) {
            const cp = src.codePointAt(bad)!;
            const ch = String.fromCodePoint(cp);
            const hex = cp.toString(16).toUpperCase().padStart(4, '0');
            const msg = NON_PRINTABLE.test(ch)
              ? `invalid non-printable character U+${hex}`
              : `invalid character '${ch}' (U+${hex})`;
            this.syntaxErrorAt(msg, bad);
            break;
          }
        }
        this.push(Tok.NAME, pos, p);
        pos = p;
        continue;
      }
      if (isDigit(c) || (c === 46 && isDigit(src.charCodeAt(pos + 1)))) {
        const e = this.scanNumber(pos);
        if (e < 0) break;
        this.push(Tok.NUMBER, pos, e);
        pos = e;
        continue;
      }
      if (c === 34 || c === 39) {
        const e = this.scanString(pos, pos);
        if (e < 0) break;
        pos = e;
        continue;
      }
      // operators
      const s3 = src.slice(pos, pos + 3);
      let len = 0;
      if (OPERATORS3.has(s3) && s3.length === 3) len = 3;
      else if (OPERATORS2.has(s3.slice(0, 2))) len = 2;
      else if (OPERATORS1.has(s3[0])) len = 1;
      if (len === 0) {
        // '$', '?', '!', '`' or a control character: an ERRORTOKEN, "invalid syntax" when reached
        const off = this.charOffset(pos);
        const lineno = this.lineOf(pos);
        this.fail('SyntaxError', 'invalid syntax', pos, off, off + 1, false, { text: this.lineText(lineno) });
        this.push(Tok.ERROR, pos, pos + 1);
        break;
      }
      if (len === 1) {
        c = src.charCodeAt(pos);
        if (c === 40 || c === 91 || c === 123) {
          if (brackets.length >= 200) {
            this.syntaxErrorAt('too many nested parentheses', pos);
            break;
          }
          brackets.push({ ch: src[pos], pos, lineno: this.lineOf(pos) });
        } else if (c === 41 || c === 93 || c === 125) {
          const close = src[pos];
          if (brackets.length === 0) {
            this.syntaxErrorAt(`unmatched '${close}'`, pos);
            break;
          }
          const open = brackets[brackets.length - 1];
          const want = open.ch === '(' ? ')' : open.ch === '[' ? ']' : '}';
          if (close !== want) {
            const here = this.lineOf(pos);
            const msg = open.lineno !== here
              ? `closing parenthesis '${close}' does not match opening parenthesis '${open.ch}' on line ${open.lineno}`
              : `closing parenthesis '${close}' does not match opening parenthesis '${open.ch}'`;
            this.syntaxErrorAt(msg, pos);
            break;
          }
          brackets.pop();
        }
      }
      this.push(Tok.OP, start, start + len);
      pos += len;
    }

    if (!this.tokErr) {
      // End of file.
      if (brackets.length > 0) {
        this.eofError(n);
      } else {
        if (lineHasTokens) this.mark(n, NEWLINE, Tok.NEWLINE);
        for (let i = 1; i < indstack.length; i++) this.mark(n, DEDENT, Tok.DEDENT);
        this.push(Tok.ENDMARKER, n, n);
      }
    }
    this.tokPosEnd = this.tokErr ? this.tokErr.pos : n;
  }
  tokPosEnd = 0;

  private tabError(pos: number): void {
    const lineno = this.lineOf(pos);
    this.fail('TabError', 'inconsistent use of tabs and spaces in indentation', pos, 1, 0, false,
      { text: this.lineText(lineno) });
  }
  private eofError(pos: number): void {
    const brackets = this.brackets;
    if (brackets.length > 0) {
      const open = brackets[brackets.length - 1];
      const lineno = open.lineno;
      this.fail('SyntaxError', `'${open.ch}' was never closed`, pos, this.charOffset(open.pos), 0, false,
        { lineno, text: this.lineText(lineno) });
      this.tokErr!.openBracket = open;
    } else {
      const lineno = this.lineCount();
      const text = this.lineText(lineno);
      this.fail('SyntaxError', 'unexpected EOF while parsing', pos, [...text.replace(/\n$/, '')].length + 1, -1, false,
        { lineno, text });
    }
  }

  private firstInvalidIdChar(s: number, e: number): number {
    const src = this.src;
    let first = true;
    for (let i = s; i < e;) {
      const cp = src.codePointAt(i)!;
      const ch = String.fromCodePoint(cp);
      const ok = first ? ID_START.test(ch) : ID_CONT.test(ch);
      if (!ok) {
        // CPython checks the NFKC form's validity too; XID is closed under NFKC, so this holds.
        return i;
      }
      first = false;
      i += cp > 0xffff ? 2 : 1;
    }
    return -1;
  }

  private startChunkMaybe(pos: number, prevDecorator: boolean): void {
    if (prevDecorator) return;
    const src = this.src;
    let e = pos;
    while (e < src.length && isAsciiIdCont(src.charCodeAt(e))) e++;
    const w = src.slice(pos, e);
    if (w === 'else' || w === 'elif' || w === 'except' || w === 'finally') return;
    this.chunkTok.push(this.ntok);
    this.chunkPos.push(pos);
  }
  chunkPos: number[] = [];

  /** Scan a string literal starting at `start` (prefix) whose quote is at `q`. */
  private scanString(start: number, q: number): number {
    const src = this.src;
    const n = src.length;
    const quote = src.charCodeAt(q);
    let p = q + 1;
    let triple = false;
    if (src.charCodeAt(p) === quote && src.charCodeAt(p + 1) === quote) {
      triple = true;
      p += 2;
    }
    for (;;) {
      if (p >= n) {
        if (triple) {
          this.fail('SyntaxError', `unterminated triple-quoted string literal (detected at line ${this.lineCount()})`,
            start, this.charOffset(start), this.charOffset(start), true, { lineno: this.lineOf(start) });
        } else {
          this.unterminated(start, p);
        }
        return -1;
      }
      const c = src.charCodeAt(p);
      if (c === quote) {
        if (!triple) { p++; break; }
        if (src.charCodeAt(p + 1) === quote && src.charCodeAt(p + 2) === quote) { p += 3; break; }
        p++;
        continue;
      }
      if (c === CH_NL && !triple) {
        this.unterminated(start, p);
        return -1;
      }
      if (c === CH_BSLASH) {
        if (p + 1 >= n) { p++; continue; }
        p += 2;
        continue;
      }
      p++;
    }
    this.push(Tok.STRING, start, p);
    return p;
  }

  private unterminated(start: number, p: number): void {
    const lineno = this.lineOf(start);
    const detected = this.lineOf(Math.min(p, this.src.length));
    const off = this.charOffset(start);
    // CPython's text for this error is the line without its newline
    this.fail('SyntaxError', `unterminated string literal (detected at line ${detected})`, start, off, off, true,
      { lineno, text: this.lineText(lineno, false) });
  }

  /** Scan a number at `pos`; returns its end, or -1 after recording an error. */
  private scanNumber(pos: number): number {
    const src = this.src;
    let p = pos;
    const c0 = src.charCodeAt(p);
    const digitsTail = (isOk: (c: number) => boolean, kind: string): number => {
      // after at least one digit: ('_'? digit)*
      for (;;) {
        const c = src.charCodeAt(p);
        if (isOk(c)) { p++; continue; }
        if (c === 95) {
          if (isOk(src.charCodeAt(p + 1))) { p += 2; continue; }
          this.syntaxErrorCur(`invalid ${kind} literal`, p + 1);
          return -1;
        }
        return p;
      }
    };
    const endCheck = (kind: string): number => {
      // verify_end_of_number: a number may not run into an identifier character
      const c = src.charCodeAt(p);
      if (p < src.length && isPotentialIdChar(c)) {
        for (const kw of ['and', 'else', 'for', 'if', 'in', 'is', 'not', 'or']) {
          if (src.startsWith(kw, p)) return p; // allowed (DeprecationWarning in CPython)
        }
        this.syntaxErrorCur(`invalid ${kind} literal`, p);
        return -1;
      }
      return p;
    };
    if (c0 === 48 /* 0 */ && p + 1 < src.length) {
      const x = src.charCodeAt(p + 1) | 0x20;
      if (x === 0x78 || x === 0x6f || x === 0x62) {
        const kind = x === 0x78 ? 'hexadecimal' : x === 0x6f ? 'octal' : 'binary';
        const isHex = (c: number) => isDigit(c) || ((c | 0x20) >= 97 && (c | 0x20) <= 102);
        const isOct = (c: number) => c >= 48 && c <= 55;
        const isBin = (c: number) => c === 48 || c === 49;
        const ok = x === 0x78 ? isHex : x === 0x6f ? isOct : isBin;
        p += 2;
        let any = false;
        for (;;) {
          let c = src.charCodeAt(p);
          if (c === 95) { p++; c = src.charCodeAt(p); }
          if (!ok(c)) {
            if (x !== 0x78 && isDigit(c)) {
              this.syntaxErrorCur(`invalid digit '${src[p]}' in ${kind} literal`, p + 1);
              return -1;
            }
            if (!any || src.charCodeAt(p - 1) === 95) {
              this.syntaxErrorCur(`invalid ${kind} literal`, p);
              return -1;
            }
            break;
          }
          any = true;
          while (ok(src.charCodeAt(p))) p++;
        }
        return endCheck(kind);
      }
    }
    // decimal / float / imaginary
    let isFloat = false;
    if (c0 === 46) {
      isFloat = true;
      p++;
      if (digitsTail(isDigit, 'decimal') < 0) return -1;
    } else {
      const leadingZero = c0 === 48;
      p++;
      if (digitsTail(isDigit, 'decimal') < 0) return -1;
      if (leadingZero) {
        // all zeros is fine; otherwise only a float/imaginary may have leading zeros
        const text = src.slice(pos, p).replace(/_/g, '');
        const c = src.charCodeAt(p);
        const floaty = c === 46 || (c | 0x20) === 0x65 || (c | 0x20) === 0x6a;
        if (/[1-9]/.test(text) && !floaty) {
          const off = this.charOffset(pos);
          let z = pos;
          while (src.charCodeAt(z) === 48 || (src.charCodeAt(z) === 95 && src.charCodeAt(z + 1) === 48) || (src.charCodeAt(z) === 95 && z > pos)) {
            if (src.charCodeAt(z) === 95 && src.charCodeAt(z + 1) !== 48) { z++; break; }
            z++;
          }
          this.fail('SyntaxError',
            'leading zeros in decimal integer literals are not permitted; use an 0o prefix for octal integers',
            pos, off, this.charOffset(z), true);
          return -1;
        }
      }
      if (src.charCodeAt(p) === 46) {
        isFloat = true;
        p++;
        if (isDigit(src.charCodeAt(p))) {
          p++;
          if (digitsTail(isDigit, 'decimal') < 0) return -1;
        }
      }
    }
    if ((src.charCodeAt(p) | 0x20) === 0x65) {
      // exponent
      const save = p;
      p++;
      if (src.charCodeAt(p) === 43 || src.charCodeAt(p) === 45) {
        p++;
        if (!isDigit(src.charCodeAt(p))) {
          this.syntaxErrorCur('invalid decimal literal', p);
          return -1;
        }
      } else if (!isDigit(src.charCodeAt(p))) {
        // "1e" / "1else": back up; endCheck decides
        p = save;
        return endCheck('decimal');
      }
      p++;
      if (digitsTail(isDigit, 'decimal') < 0) return -1;
      isFloat = true;
    }
    if ((src.charCodeAt(p) | 0x20) === 0x6a) {
      p++;
      return endCheck('imaginary');
    }
    void isFloat;
    return endCheck('decimal');
  }

  build(): Layout {
    const src = this.src;
    const end = this.tokPosEnd;
    // assemble text
    const parts: string[] = [];
    let last = 0;
    const insPos = this.insPos, insStr = this.insStr;
    let extra = 0;
    for (let i = 0; i < insStr.length; i++) extra += insStr[i].length;
    const procToOrig = new Int32Array(end + extra + 1);
    let o = 0;
    const tokProc = new Int32Array(this.ntok);
    // map token -> proc: tokens before an insertion point shift by the markers so far
    let shift = 0;
    let ti = 0;
    for (let i = 0; i < insPos.length; i++) {
      const ip = Math.min(insPos[i], end);
      parts.push(src.slice(last, ip));
      for (let k = last; k < ip; k++) procToOrig[o++] = k;
      // tokens that start before ip (and are not this insertion's markers)
      while (ti < this.ntok && ti < this.insTok[i]) { tokProc[ti] = this.tokStart[ti] + shift; ti++; }
      const m = insStr[i];
      for (let k = 0; k < m.length; k++) {
        procToOrig[o++] = ip;
        if (ti < this.ntok) { tokProc[ti] = ip + shift + k; ti++; }
      }
      parts.push(m);
      shift += m.length;
      last = ip;
    }
    parts.push(src.slice(last, end));
    for (let k = last; k < end; k++) procToOrig[o++] = k;
    procToOrig[o] = end;
    while (ti < this.ntok) { tokProc[ti] = this.tokStart[ti] + shift; ti++; }
    const text = parts.join('');
    // chunk starts in text
    const chunks: number[] = [0];
    for (let i = 0; i < this.chunkPos.length; i++) {
      const t = this.chunkTok[i];
      let pp: number;
      if (t < this.ntok) pp = tokProc[t];
      else continue;
      // tokProc of the first token of the line; skip markers (they belong to the previous chunk)
      while (pp < text.length && text.charCodeAt(pp) >= 0xe000 && text.charCodeAt(pp) <= 0xe002) pp++;
      if (pp > chunks[chunks.length - 1]) chunks.push(pp);
    }
    chunks.push(text.length);
    return {
      src, text, procToOrig, lineStarts: this.lineStarts, chunks, tokErr: this.tokErr,
      openBrackets: this.brackets.slice(),
      ntok: this.ntok, tokKind: this.tokKind, tokStart: this.tokStart, tokEnd: this.tokEnd, tokProc,
    };
  }
}

function isStringPrefix(p: string): boolean {
  switch (p.toLowerCase()) {
    case 'r': case 'u': case 'b': case 'br': case 'rb': case 'f': case 'fr': case 'rf':
      return true;
    default:
      return false;
  }
}

/** Run the pre-pass over normalized source. */
export function layout(src: string, evalMode = false): Layout {
  const b = new LayoutBuilder(src, evalMode);
  b.run();
  return b.build();
}
