// SyntaxError / IndentationError / TabError as data, and the text CPython 3.11 prints for one
// raised while compiling the main script (reference/cpython311.md §9.2; ≈ Python/pythonrun.c
// print_exception for SyntaxError + print_error_text, re-implemented from their behaviour).
//
// The attributes are CPython's: `lineno`/`end_lineno` 1-based; `offset`/`end_offset` 1-based
// character offsets into `text` (0 or -1 when CPython has none); `text` the source line
// (usually with its '\n').

export type SyntaxErrorKind = 'SyntaxError' | 'IndentationError' | 'TabError';

export class PySyntaxError extends Error {
  kind: SyntaxErrorKind;
  msg: string;
  filename: string;
  lineno: number;
  offset: number;
  end_lineno: number;
  end_offset: number;
  text: string | null;

  constructor(kind: SyntaxErrorKind, msg: string, filename: string, lineno: number, offset: number,
    end_lineno: number, end_offset: number, text: string | null) {
    super(`${kind}: ${msg} (${filename}, line ${lineno})`);
    this.name = 'PySyntaxError';
    this.kind = kind;
    this.msg = msg;
    this.filename = filename;
    this.lineno = lineno;
    this.offset = offset;
    this.end_lineno = end_lineno;
    this.end_offset = end_offset;
    this.text = text;
  }
}

const enc = new TextEncoder();
const dec = new TextDecoder();

function toByteOffset(text: string, off: number): number {
  if (off <= 0) return off;
  let b = 0, n = 0;
  for (const ch of text) {
    if (n >= off - 1) break;
    const cp = ch.codePointAt(0)!;
    b += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    n++;
  }
  return b + (off - 1 - n) + 1;
}

/** The caret block CPython prints under `  File ..., line N` (source line + carets), or ''. */
export function formatErrorText(text: string, offsetIn: number, endOffsetIn: number,
  lineno: number, endLineno: number): string {
  // ≈ print_exception: a multi-line range highlights to the end of the first line; carets are
  // limited to the line's size (+1). Sizes here are UTF-8 bytes, as CPython measures them.
  const bytes = enc.encode(text);
  const lineSize = bytes.length;
  // offsets are in characters; the printing works on the UTF-8 text (as CPython 3.11, which
  // converts them to byte offsets first)
  let offset = toByteOffset(text, offsetIn);
  let endOffset = toByteOffset(text, endOffsetIn);
  if (endLineno > lineno) endOffset = lineSize;
  if (endOffset > lineSize + 1) endOffset = lineSize + 1;
  // ≈ print_error_text
  const caretRepetitions = endOffset > 0 && endOffset > offset ? endOffset - offset : 1;
  offset--;
  let i = 0;
  while (i < bytes.length && (bytes[i] === 0x20 || bytes[i] === 0x09 || bytes[i] === 0x0c)) {
    i++;
    offset--;
  }
  let len = bytes.length - i;
  if (len > 0 && bytes[bytes.length - 1] === 0x0a) len--;
  if (offset > len) offset = len;
  for (;;) {
    let nl = -1;
    for (let k = i; k < bytes.length; k++) if (bytes[k] === 0x0a) { nl = k; break; }
    if (nl < 0) break;
    let inl = nl - i;
    if (inl >= offset) break;
    inl += 1;
    i += inl;
    len -= inl;
    offset -= inl;
  }
  const rest = bytes.subarray(i);
  let out = '    ' + dec.decode(rest);
  if (rest[len] !== 0x0a) out += '\n';
  if (offset < 0) return out;
  out += '    ' + ' '.repeat(Math.max(0, offset)) + '^'.repeat(caretRepetitions) + '\n';
  return out;
}

/** Exactly what CPython 3.11 writes to stderr when compiling the main script raises `e`. */
export function formatSyntaxError(e: PySyntaxError): string {
  let out = `  File "${e.filename}", line ${e.lineno}\n`;
  // CPython reads end positions only from a plain SyntaxError (IndentationError and TabError
  // print a single caret)
  const plain = e.kind === 'SyntaxError';
  if (e.text !== null) {
    out += formatErrorText(e.text, e.offset, plain ? e.end_offset : -1, e.lineno, plain ? e.end_lineno : e.lineno);
  }
  out += `${e.kind}: ${e.msg}\n`;
  return out;
}
