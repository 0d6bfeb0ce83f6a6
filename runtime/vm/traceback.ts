// Printing exceptions and tracebacks exactly as CPython 3.11 does
// (≈ Python/pythonrun.c PyErr_Display / print_exception_recursive / print_exception,
//  Python/traceback.c tb_printinternal / tb_displayline / print_error_location_carets,
//  Python/suggestions.c, Python/errors.c write_unraisable_exc_file, _Py_HandleSystemExit).
//
// Two layers:
// 1. Pure formatting over plain JS data (FrameInfo, ExcInfo): the frame lines with the
//    stripped source line and the 3.11 caret line, the "[Previous line repeated N more
//    times]" collapsing, the chained-exception separators, the final `{module.}{qualname}:
//    {str}` line, suggestions (Levenshtein over UTF-8 bytes as suggestions.c), notes, and the
//    SyntaxError `File/text/caret` block. These are tested against CPython's own output.
// 2. Collection from the heap: an exception instance → its chain (cause first, cycles guarded
//    by a seen set, as print_exception_cause_and_context) → for each exception its traceback
//    entries (tb_frame → frame object → interpreter frame → code object: co_filename, co_name,
//    the positions of tb_lasti), type name/module, str(), notes, suggestion candidates. The JS
//    data is transient (Rule 1): it lives only while one exception is formatted.
//
// The caret line (PEP 657, 3.11): the instruction's (col, end_col) are UTF-8 byte offsets into
// the source line, converted to characters like _PyPegen_byte_offset_to_character_offset and then
// to columns (East Asian wide/fullwidth characters count 2, as 3.11.7 does). If the
// range is on one line, the segment is re-parsed as an expression (CPython re-runs its parser;
// runtime/ cannot import src/, so the CLI installs a parser with setSegmentParser): a BinOp gets
// `~` under its operands and `^` under the operator, a Subscript `~` under the value and `^` from
// `[` to `]`. Otherwise all `^`. The line is left out when the markers would be plain `^` over
// the whole stripped line. A range spanning lines is highlighted to the last non-blank character
// of its first line.
//
// Source lines come from registerSource (the CLI registers the main script) or, for a real path,
// from the file; filenames like `<string>` never show source, as in CPython.

import { readFileSync } from 'node:fs';
import { type Ptr, NULL, I32, U8 } from '../mem/heap.js';
import { Py_DECREF, Py_TYPE, Py_XDECREF } from '../object.js';
import { slotsOf, typeName, TP_FLAGS, Py_TPFLAGS_HEAPTYPE, Py_TPFLAGS_DICT_SUBCLASS, HT_QUALNAME, PyType_IsSubtype } from '../typeobject.js';
import { PyErr_Clear, PyErr_Occurred, PyErr_Fetch, PyErr_Restore } from '../errors.js';
import {
  EXC_TRACEBACK, EXC_CAUSE, EXC_CONTEXT, EXC_SUPPRESS_CONTEXT, NAMEERROR_NAME, ATTRIBUTEERROR_NAME, ATTRIBUTEERROR_OBJ,
  PyExc_AttributeError, PyExc_NameError, PyExc_SyntaxError, PyExc_SystemExit, PyExceptionInstance_Check,
  setAttributeErrorContext, setNameErrorName,
} from '../objects/exceptions.js';
import { PyUnicode_Check, PyUnicode_CheckExact, PyUnicode_InternFromString, unicodeToJs } from '../objects/unicodeobject.js';
import { PyTuple_GET_ITEM } from '../objects/tupleobject.js';
import { PyList_Check, PyList_GET_SIZE, PyList_GET_ITEM } from '../objects/listobject.js';
import { PyDict_Next, DICT_NEXT } from '../objects/dictobject.js';
import { PyLong_Check, PyLong_AsNumber } from '../objects/longobject.js';
import { Py_None } from '../objects/noneobject.js';
import { PyObject_Str, PyObject_Repr, PySequence_GetItem, PySequence_Size, PyObject_GetIter, PyIter_Next } from '../abstract.js';
import { PyObject_GetAttrString, _PyObject_LookupAttr, attributeErrorContext } from '../typeready.js';
import { nameErrorHook } from './ceval.js';
import { PyObject_CallMethod } from '../call.js';
import { CO_FILENAME, CO_NAME, CO_NLOCALSPLUS, CO_LOCALSPLUSNAMES, codePositions, localKind, CO_FAST_LOCAL } from '../objects/codeobject.js';
import { TB_NEXT, TB_FRAME, TB_LASTI, TB_LINENO, FO_FRAME, F_CODE, F_GLOBALS, F_BUILTINS } from './frame.js';
import { isWideChar } from './east_asian_width.js';

// The suggestions need AttributeError.name/obj and NameError.name: wire the hooks through which
// attribute lookup and the eval loop report them (≈ set_attribute_error_context and the tail of
// format_exc_check_arg). Safe at load time: everything imported above is evaluated by now.
// (_PyExc_Init does the same and also preallocates the MemoryError free list.)
attributeErrorContext.set = setAttributeErrorContext;
nameErrorHook.set = setNameErrorName;

// ======================================================================================
// Sources
// ======================================================================================

/** Registered source texts, split into lines (cache; the CLI registers the main script). */
const sources = new Map<string, string[]>();
const fileCache = new Map<string, string[] | null>();

/** Lines as io.TextIOWrapper reads them (universal newlines), without their terminators. */
function splitLines(text: string): string[] {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const lines = text.split(/\r\n|\r|\n/);
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop(); // EOF right after a newline
  return lines;
}

/** Make `text` the source of `filename` for tracebacks (≈ what CPython reads from the file). */
export function registerSource(filename: string, text: string): void {
  sources.set(filename, splitLines(text));
}
/** Forget a registered source (and any file read for it). */
export function unregisterSource(filename: string): void {
  sources.delete(filename);
  fileCache.delete(filename);
}

/** Line `lineno` (1-based) of `filename`, without its newline (≈ display_source_line's
 *  PyFile_GetLine(-1)), or null when there is no source: `<...>` names, unreadable files, lines
 *  past the end. */
export function getSourceLine(filename: string, lineno: number): string | null {
  if (filename.length > 0 && filename[0] === '<' && filename[filename.length - 1] === '>') return null;
  let lines = sources.get(filename);
  if (lines === undefined) {
    let cached = fileCache.get(filename);
    if (cached === undefined) {
      cached = null;
      try {
        const bytes = readFileSync(filename);
        cached = splitLines(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
      } catch {
        cached = null;
      }
      fileCache.set(filename, cached);
    }
    if (cached === null) return null;
    lines = cached;
  }
  if (lineno < 1 || lineno > lines.length) return null;
  return lines[lineno - 1];
}

// ======================================================================================
// The segment parser hook (BinOp / Subscript anchors)
// ======================================================================================

/** What re-parsing a source segment as a module finds, when its single statement is an
 *  expression statement whose expression is a BinOp or a Subscript. Offsets are UTF-8 byte
 *  offsets within the segment, as CPython's AST col_offset / end_col_offset:
 *  binop: leftEnd = left.end_col_offset, rightStart = right.col_offset;
 *  subscript: valueEnd = value.end_col_offset, sliceEnd = slice.end_col_offset.
 *  null when the segment does not parse, has more than one statement, or is anything else. */
export type SegmentParse =
  | { kind: 'binop'; leftEnd: number; rightStart: number }
  | { kind: 'subscript'; valueEnd: number; sliceEnd: number }
  | null;
let segmentParser: ((segment: string) => SegmentParse) | null = null;
/** Installed by the CLI with the real parser (runtime/ never imports src/). */
export function setSegmentParser(f: ((segment: string) => SegmentParse) | null): void {
  segmentParser = f;
}

// ======================================================================================
// Pure formatting
// ======================================================================================

const utf8 = new TextEncoder();
const utf8dec = new TextDecoder('utf-8');

function codePointLength(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c < 0xdc00 && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d < 0xe000) i++;
    }
    n++;
  }
  return n;
}

/** ≈ _PyPegen_byte_offset_to_character_offset: characters in the first `col` UTF-8 bytes of
 *  `line` (a partial character counts as one replacement character; past the end, the C
 *  code reads the terminating NUL, so len+1 counts one more). */
export function byteOffsetToCharOffset(line: string, col: number): number {
  const b = utf8.encode(line);
  if (col > b.length + 1) col = b.length + 1;
  if (col > b.length) return codePointLength(line) + (col - b.length);
  return codePointLength(utf8dec.decode(b.subarray(0, col)));
}

/** The columns taken by the first `n` characters (wide and fullwidth count 2; positions past
 *  the end count 1). */
function displayWidth(chars: string[], n: number): number {
  let w = n;
  const m = Math.min(n, chars.length);
  for (let i = 0; i < m; i++) if (isWideChar(chars[i].codePointAt(0)!)) w++;
  return w;
}

function isWs(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0c;
}

/** The caret line (with its newline) for the instruction at (line, endLine, col, endCol) of a
 *  traceback entry whose source line (full, unstripped, no newline) is `source`; '' when
 *  CPython prints none (≈ the second half of tb_displayline). */
export function caretLine(source: string, line: number, endLine: number, col: number, endCol: number): string {
  if (line < 0 || endLine < 0 || col < 0 || endCol < 0) return '';
  const chars = Array.from(source);
  let leading = 0;
  while (leading < chars.length && isWs(chars[leading].charCodeAt(0))) leading++;
  const truncation = leading - 4;
  let start = byteOffsetToCharOffset(source, col);
  let end = byteOffsetToCharOffset(source, endCol);
  let left = -1;
  let right = -1;
  let primary = '^';
  let secondary = '^';
  if (line === endLine) {
    const segment = chars.slice(start, end).join('');
    const parsed = segmentParser !== null ? segmentParser(segment) : null;
    if (parsed !== null) {
      // ≈ extract_anchors_from_expr (offsets in the segment's UTF-8 bytes)
      const sb = utf8.encode(segment);
      let la = -1;
      let ra = -1;
      if (parsed.kind === 'binop') {
        for (let i = parsed.leftEnd; i < parsed.rightStart; i++) {
          if (isWs(sb[i])) continue;
          la = i;
          ra = i + 1;
          // a two-character operator (//, **, <<...)
          if (i + 1 < parsed.rightStart && !isWs(sb[i + 1])) ra++;
          // a closing parenthesis of the left operand: keep looking for the operator
          if (i + 1 < parsed.rightStart && sb[i] === 0x29) continue;
          primary = '~';
          secondary = '^';
          break;
        }
      } else {
        la = parsed.valueEnd;
        ra = parsed.sliceEnd + 1;
        // move the anchors to the '[' and past the ']' (spaces, parenthesized values)
        while (la < sb.length && sb[la] !== 0x5b) la++;
        while (ra < sb.length && sb[ra] !== 0x5d) ra++;
        if (ra < sb.length) ra++;
        primary = '~';
        secondary = '^';
      }
      if (la >= 0) {
        left = byteOffsetToCharOffset(segment, la) + start;
        right = byteOffsetToCharOffset(segment, ra) + start;
      }
    }
  } else {
    // highlight up to the last non-blank character of the first line (CPython indexes the
    // UTF-8 text with the character length here)
    const b = utf8.encode(source);
    let i = chars.length;
    while (--i >= 0) if (!isWs(b[i])) break;
    end = i + 1;
  }
  // columns, not characters: East Asian wide and fullwidth characters take two
  start = displayWidth(chars, start);
  end = displayWidth(chars, end);
  if (left !== -1) left = displayWidth(chars, left);
  if (right !== -1) right = displayWidth(chars, right);
  const strippedLen = displayWidth(chars, chars.length) - truncation - 4;
  const special = left !== -1 || right !== -1;
  if (end - start === strippedLen && !special) return '';
  // ≈ print_error_location_carets
  let out = '';
  let offset = truncation;
  while (++offset <= end) {
    if (offset <= start) out += ' ';
    else if (special && left < offset && offset <= right) out += secondary;
    else out += primary;
  }
  return out + '\n';
}

/** One traceback entry. Positions are the instruction's (-1 = unknown), columns in UTF-8 bytes. */
export interface FrameInfo {
  filename: string;
  lineno: number;
  name: string;
  line: number;
  endLine: number;
  col: number;
  endCol: number;
}

/** ≈ tb_displayline: `  File "f", line n, in name`, the stripped source line, the carets. */
export function formatFrame(f: FrameInfo): string {
  let out = `  File "${f.filename}", line ${f.lineno}, in ${f.name}\n`;
  const src = getSourceLine(f.filename, f.lineno);
  if (src === null) return out;
  let i = 0;
  while (i < src.length && isWs(src.charCodeAt(i))) i++;
  out += '    ' + src.slice(i) + '\n';
  return out + caretLine(src, f.line, f.endLine, f.col, f.endCol);
}

export const TB_RECURSIVE_CUTOFF = 3;
/** sys.tracebacklimit's default (PyTraceBack_LIMIT). */
export const PyTraceBack_LIMIT = 1000;

function repeatedLine(cnt: number): string {
  const n = cnt - TB_RECURSIVE_CUTOFF;
  return n > 1 ? `  [Previous line repeated ${n} more times]\n` : `  [Previous line repeated ${n} more time]\n`;
}

/** ≈ tb_printinternal: the entries (oldest first), the last `limit` of them, identical
 *  consecutive entries (same file, line and name) collapsed after 3. */
export function formatFrames(frames: FrameInfo[], limit: number = PyTraceBack_LIMIT): string {
  let out = '';
  let lastFile: string | null = null;
  let lastLine = -1;
  let lastName: string | null = null;
  let cnt = 0;
  for (let k = Math.max(0, frames.length - limit); k < frames.length; k++) {
    const f = frames[k];
    if (lastFile === null || f.filename !== lastFile || lastLine === -1 || f.lineno !== lastLine || lastName === null || f.name !== lastName) {
      if (cnt > TB_RECURSIVE_CUTOFF) out += repeatedLine(cnt);
      lastFile = f.filename;
      lastLine = f.lineno;
      lastName = f.name;
      cnt = 0;
    }
    cnt++;
    if (cnt <= TB_RECURSIVE_CUTOFF) out += formatFrame(f);
  }
  if (cnt > TB_RECURSIVE_CUTOFF) out += repeatedLine(cnt);
  return out;
}

export const TRACEBACK_HEADER = 'Traceback (most recent call last):\n';

/** ≈ PyTraceBack_Print over collected entries. */
export function formatTraceback(frames: FrameInfo[], limit: number = PyTraceBack_LIMIT): string {
  if (limit <= 0) return '';
  return TRACEBACK_HEADER + formatFrames(frames, limit);
}

// ---- suggestions (≈ Python/suggestions.c) ----
const MAX_CANDIDATE_ITEMS = 750;
const MAX_STRING_SIZE = 40;
const MOVE_COST = 2;
const CASE_COST = 1;
const levBuffer = new Int32Array(MAX_STRING_SIZE);

function substitutionCost(a: number, b: number): number {
  if ((a & 31) !== (b & 31)) return MOVE_COST;
  if (a === b) return 0;
  if (a >= 0x41 && a <= 0x5a) a += 32;
  if (b >= 0x41 && b <= 0x5a) b += 32;
  return a === b ? CASE_COST : MOVE_COST;
}

/** ≈ levenshtein_distance: the edit distance between two UTF-8 byte strings, where a case
 *  change costs 1 and anything else 2; maxCost + 1 when it is certainly above maxCost. */
export function levenshteinDistance(a: Uint8Array, b: Uint8Array, maxCost: number): number {
  let as = 0, ae = a.length, bs = 0, be = b.length;
  while (as < ae && bs < be && a[as] === b[bs]) {
    as++;
    bs++;
  }
  while (as < ae && bs < be && a[ae - 1] === b[be - 1]) {
    ae--;
    be--;
  }
  let aSize = ae - as;
  let bSize = be - bs;
  if (aSize === 0 || bSize === 0) return (aSize + bSize) * MOVE_COST;
  if (aSize > MAX_STRING_SIZE || bSize > MAX_STRING_SIZE) return maxCost + 1;
  if (bSize < aSize) {
    const t = a; a = b; b = t;
    const ts = as; as = bs; bs = ts;
    const tz = aSize; aSize = bSize; bSize = tz;
  }
  if ((bSize - aSize) * MOVE_COST > maxCost) return maxCost + 1;
  for (let i = 0, tmp = MOVE_COST; i < aSize; i++, tmp += MOVE_COST) levBuffer[i] = tmp;
  let result = 0;
  for (let bi = 0; bi < bSize; bi++) {
    const code = b[bs + bi];
    let distance = (result = bi * MOVE_COST);
    let minimum = Number.MAX_SAFE_INTEGER;
    for (let i = 0; i < aSize; i++) {
      const substitute = distance + substitutionCost(code, a[as + i]);
      distance = levBuffer[i];
      const insertDelete = Math.min(result, distance) + MOVE_COST;
      result = Math.min(insertDelete, substitute);
      levBuffer[i] = result;
      if (result < minimum) minimum = result;
    }
    if (minimum > maxCost) return maxCost + 1;
  }
  return result;
}

/** ≈ calculate_suggestions: the candidate closest to `name` (first one on ties), or null.
 *  `candidates` in the order CPython sees them (dir() sorted, or dict key order). */
export function calculateSuggestions(candidates: readonly string[], name: string): string | null {
  if (candidates.length >= MAX_CANDIDATE_ITEMS) return null;
  const nameBytes = utf8.encode(name);
  let bestDistance = Number.MAX_SAFE_INTEGER;
  let best: string | null = null;
  for (const item of candidates) {
    if (item === name) continue;
    const itemBytes = utf8.encode(item);
    let maxDistance = Math.trunc(((nameBytes.length + itemBytes.length + 3) * MOVE_COST) / 6);
    maxDistance = Math.min(maxDistance, bestDistance - 1);
    const d = levenshteinDistance(nameBytes, itemBytes, maxDistance);
    if (d > maxDistance) continue;
    if (best === null || d < bestDistance) {
      best = item;
      bestDistance = d;
    }
  }
  return best;
}

/** repr() of a str, as CPython writes it (for ". Did you mean: 'x'?"). */
export function pyStrRepr(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = quote;
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === quote || ch === '\\') out += '\\' + ch;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (c < 0x20 || c === 0x7f) out += '\\x' + c.toString(16).padStart(2, '0');
    else out += ch;
  }
  return out + quote;
}

/** Where a NameError or AttributeError looks for a suggestion. */
export type SuggestionSource =
  | { kind: 'attr'; name: string; candidates: readonly string[] }
  | { kind: 'name'; name: string; locals: readonly string[]; globals: readonly string[]; builtins: readonly string[] };

/** ≈ offer_suggestions_for_attribute_error / _name_error: the ". Did you mean: 'x'?" trailer or ''. */
export function suggestionText(src: SuggestionSource | null): string {
  if (src === null) return '';
  let s: string | null;
  if (src.kind === 'attr') {
    s = calculateSuggestions(src.candidates, src.name);
  } else {
    s = calculateSuggestions(src.locals, src.name);
    if (s === null) s = calculateSuggestions(src.globals, src.name);
    if (s === null) s = calculateSuggestions(src.builtins, src.name);
  }
  return s === null ? '' : `. Did you mean: ${pyStrRepr(s)}?`;
}

// ---- SyntaxError's location block ----

/** What parse_syntax_error reads from a SyntaxError (after the None defaults). */
export interface SyntaxInfo {
  /** str(msg), or null when msg is None */
  msg: string | null;
  filename: string;
  lineno: number;
  /** 1-based character offset, -1 when None */
  offset: number;
  endLineno: number;
  endOffset: number;
  text: string | null;
}

/** ≈ print_exception_file_and_line + print_error_text: `  File "f", line n` and the text with
 *  its caret line (sizes in UTF-8 bytes, as CPython measures them). */
export function formatSyntaxErrorLocation(s: SyntaxInfo): string {
  let out = `  File "${s.filename}", line ${s.lineno}\n`;
  if (s.text === null) return out;
  const bytes = utf8.encode(s.text);
  const lineSize = bytes.length;
  let offset = s.offset;
  let endOffset = s.endOffset;
  if (s.endLineno > s.lineno) endOffset = lineSize;
  if (endOffset > lineSize + 1) endOffset = lineSize + 1;
  const caretRepetitions = endOffset > 0 && endOffset > offset ? endOffset - offset : 1;
  offset--;
  let i = 0;
  while (i < bytes.length && isWs(bytes[i])) {
    i++;
    offset--;
  }
  let len = bytes.length - i;
  if (len > 0 && bytes[bytes.length - 1] === 0x0a) len--;
  if (offset > len) offset = len;
  for (;;) {
    let nl = -1;
    for (let k = i; k < bytes.length; k++) {
      if (bytes[k] === 0x0a) {
        nl = k;
        break;
      }
    }
    if (nl < 0) break;
    let inl = nl - i;
    if (inl >= offset) break;
    inl += 1;
    i += inl;
    len -= inl;
    offset -= inl;
  }
  const rest = bytes.subarray(i);
  out += '    ' + utf8dec.decode(rest);
  if (rest[len] !== 0x0a) out += '\n';
  if (offset < 0) return out;
  return out + '    ' + ' '.repeat(offset) + '^'.repeat(caretRepetitions) + '\n';
}

// ---- one exception ----

/** The notes as print_exception_notes sees them: a sequence (str() of each item, null when it
 *  failed) or the repr of a non-sequence (null when that failed). */
export type NotesInfo = { kind: 'seq'; items: (string | null)[] } | { kind: 'repr'; text: string | null } | null;

/** Everything needed to print one exception of a chain. */
export interface ExcInfo {
  /** traceback entries, oldest first; null when the exception has no traceback */
  frames: FrameInfo[] | null;
  /** the type's __module__ (null when missing or not a str) and qualname */
  module: string | null;
  qualname: string | null;
  /** str(exc); null when it raised */
  str: string | null;
  /** the SyntaxError block (only when parse_syntax_error succeeded) */
  syntax: SyntaxInfo | null;
  /** the suggestion trailer (". Did you mean: 'x'?") or '' */
  suggestion: string;
  notes: NotesInfo;
}

/** ≈ print_exception_message + suggestions + notes: the lines after the traceback. */
export function formatExceptionOnly(e: ExcInfo): string {
  let out = '';
  let msg: string | null;
  let showExtras = true;
  if (e.syntax !== null) {
    out += formatSyntaxErrorLocation(e.syntax);
    msg = e.syntax.msg; // the value printed is now the message (None → nothing after the name)
    showExtras = false; // (suggestions look at the message, not an exception; notes still print)
  } else {
    msg = e.str === null ? '<exception str() failed>' : e.str;
  }
  if (e.module === null) out += '<unknown>.';
  else if (e.module !== 'builtins' && e.module !== '__main__') out += e.module + '.';
  out += e.qualname === null ? '<unknown>' : e.qualname;
  if (msg !== null && (e.syntax !== null || e.str !== null)) {
    if (msg.length !== 0) out += ': ';
    out += msg;
  } else if (msg !== null) {
    out += ': ' + msg; // <exception str() failed>
  }
  if (showExtras) out += e.suggestion;
  out += '\n';
  if (e.notes !== null) {
    if (e.notes.kind === 'repr') {
      out += e.notes.text ?? '<__notes__ repr() failed>'; // (3.11 writes no newline after it)
    } else {
      for (const note of e.notes.items) {
        out += note === null ? '<note str() failed>' : note;
        out += '\n';
      }
    }
  }
  return out;
}

export const CAUSE_MESSAGE = '\nThe above exception was the direct cause of the following exception:\n\n';
export const CONTEXT_MESSAGE = '\nDuring handling of the above exception, another exception occurred:\n\n';

/** One printed exception and the separator printed after it ('cause' / 'context' when the
 *  next exception was raised from / while handling it; null for the last one). */
export interface ChainItem {
  exc: ExcInfo;
  link: 'cause' | 'context' | null;
}

/** ≈ print_exception_recursive's output for a chain in print order. */
export function formatChain(items: readonly ChainItem[], limit: number = PyTraceBack_LIMIT): string {
  let out = '';
  for (const it of items) {
    if (it.exc.frames !== null) out += formatTraceback(it.exc.frames, limit);
    out += formatExceptionOnly(it.exc);
    if (it.link === 'cause') out += CAUSE_MESSAGE;
    else if (it.link === 'context') out += CONTEXT_MESSAGE;
  }
  return out;
}

/** ≈ _Py_HandleSystemExit's decision over plain data: `code` is SystemExit.code. */
export type ExitCode = { kind: 'none' } | { kind: 'int'; value: number } | { kind: 'other'; text: string | null };
export function exitStatusFor(code: ExitCode): { status: number; stderr: string } {
  if (code.kind === 'none') return { status: 0, stderr: '' };
  if (code.kind === 'int') return { status: code.value & 0xff, stderr: '' };
  return { status: 1, stderr: (code.text ?? '') + '\n' };
}

// ======================================================================================
// Collection from the heap
// ======================================================================================

function strOrNull(o: Ptr): string | null {
  const s = PyObject_Str(o);
  if (s === NULL) {
    PyErr_Clear();
    return null;
  }
  const r = unicodeToJs(s);
  Py_DECREF(s);
  return r;
}
function reprOrNull(o: Ptr): string | null {
  const s = PyObject_Repr(o);
  if (s === NULL) {
    PyErr_Clear();
    return null;
  }
  const r = unicodeToJs(s);
  Py_DECREF(s);
  return r;
}

/** Traceback entries of a traceback object (oldest first). */
export function tracebackFrames(tb: Ptr): FrameInfo[] {
  const out: FrameInfo[] = [];
  for (; tb !== NULL; tb = I32[(tb + TB_NEXT) >> 2]) {
    const fo = I32[(tb + TB_FRAME) >> 2];
    const f = I32[(fo + FO_FRAME) >> 2];
    const co = I32[(f + F_CODE) >> 2];
    const lasti = I32[(tb + TB_LASTI) >> 2];
    let line = -1, endLine = -1, col = -1, endCol = -1;
    if (lasti >= 0) {
      const p = codePositions(co);
      const u = lasti >> 1;
      if (4 * u + 3 < p.length) {
        line = p[4 * u];
        endLine = p[4 * u + 1];
        col = p[4 * u + 2];
        endCol = p[4 * u + 3];
      }
    }
    out.push({
      filename: unicodeToJs(I32[(co + CO_FILENAME) >> 2]),
      lineno: I32[(tb + TB_LINENO) >> 2],
      name: unicodeToJs(I32[(co + CO_NAME) >> 2]),
      line, endLine, col, endCol,
    });
  }
  return out;
}

/** ≈ PyType_GetQualName */
function typeQualname(t: Ptr): string | null {
  if ((I32[(t + TP_FLAGS) >> 2] & Py_TPFLAGS_HEAPTYPE) !== 0) {
    const q = I32[(t + HT_QUALNAME) >> 2];
    if (q !== NULL && PyUnicode_Check(q)) return unicodeToJs(q);
    return typeName(t);
  }
  const n = typeName(t);
  return n.slice(n.lastIndexOf('.') + 1);
}
/** type.__module__ as print_exception_message reads it (null: missing or not a str). */
function typeModule(t: Ptr): string | null {
  const m = PyObject_GetAttrString(t, '__module__');
  if (m === NULL) {
    PyErr_Clear();
    return null;
  }
  const r = PyUnicode_Check(m) ? unicodeToJs(m) : null;
  Py_DECREF(m);
  return r;
}

const lookupResult = new Int32Array(1);

/** ≈ print_exception_notes' reading of __notes__. */
function collectNotes(exc: Ptr): NotesInfo {
  const r = PyObject_GetAttrString(exc, '__notes__');
  if (r === NULL) {
    PyErr_Clear();
    return null;
  }
  const t = Py_TYPE(r);
  const isSeq = slotsOf(t).sq_item !== undefined && (I32[(t + TP_FLAGS) >> 2] & Py_TPFLAGS_DICT_SUBCLASS) === 0;
  if (!isSeq) {
    const text = reprOrNull(r);
    Py_DECREF(r);
    return { kind: 'repr', text };
  }
  const items: (string | null)[] = [];
  const n = PySequence_Size(r);
  if (n < 0) PyErr_Clear();
  for (let i = 0; i < n; i++) {
    const note = PySequence_GetItem(r, i);
    if (note === NULL) {
      PyErr_Clear();
      items.push(null);
      continue;
    }
    items.push(strOrNull(note));
    Py_DECREF(note);
  }
  Py_DECREF(r);
  return { kind: 'seq', items };
}

/** JS strings of the items of a list of str (non-str items become '' so they never match). */
function listOfStr(list: Ptr): string[] {
  const out: string[] = [];
  const n = PyList_GET_SIZE(list);
  for (let i = 0; i < n; i++) {
    const it = PyList_GET_ITEM(list, i);
    out.push(PyUnicode_Check(it) ? unicodeToJs(it) : '\u0000');
  }
  return out;
}
function dictKeys(d: Ptr): string[] {
  const out: string[] = [];
  if (d === NULL) return out;
  for (let pos = PyDict_Next(d, 0); pos >= 0; pos = PyDict_Next(d, pos)) {
    const k = DICT_NEXT.key;
    out.push(PyUnicode_Check(k) ? unicodeToJs(k) : '\u0000');
  }
  return out;
}
function compareCodePoints(a: string, b: string): number {
  const ia = a[Symbol.iterator]();
  const ib = b[Symbol.iterator]();
  for (;;) {
    const x = ia.next();
    const y = ib.next();
    if (x.done) return y.done ? 0 : -1;
    if (y.done) return 1;
    const d = x.value.codePointAt(0)! - y.value.codePointAt(0)!;
    if (d !== 0) return d;
  }
}

/** ≈ PyObject_Dir as JS strings (sorted), or null on error. */
function dirOf(obj: Ptr): string[] | null {
  const r = PyObject_CallMethod(obj, '__dir__');
  if (r === NULL) return null;
  const out: string[] = [];
  if (PyList_Check(r)) {
    out.push(...listOfStr(r));
  } else {
    const it = PyObject_GetIter(r);
    if (it === NULL) {
      Py_DECREF(r);
      return null;
    }
    for (let v = PyIter_Next(it); v !== NULL; v = PyIter_Next(it)) {
      out.push(PyUnicode_Check(v) ? unicodeToJs(v) : '\u0000');
      Py_DECREF(v);
    }
    Py_DECREF(it);
    if (PyErr_Occurred() !== NULL) {
      Py_DECREF(r);
      return null;
    }
  }
  Py_DECREF(r);
  return out.sort(compareCodePoints);
}

/** ≈ _Py_Offer_Suggestions' inputs (exact AttributeError / NameError only, as 3.11). */
function collectSuggestion(exc: Ptr): SuggestionSource | null {
  const t = Py_TYPE(exc);
  if (t === PyExc_AttributeError) {
    const name = I32[(exc + ATTRIBUTEERROR_NAME) >> 2];
    const obj = I32[(exc + ATTRIBUTEERROR_OBJ) >> 2];
    if (name === NULL || obj === NULL || !PyUnicode_CheckExact(name)) return null;
    const d = dirOf(obj);
    if (d === null) {
      PyErr_Clear();
      return null;
    }
    return { kind: 'attr', name: unicodeToJs(name), candidates: d };
  }
  if (t === PyExc_NameError) {
    const name = I32[(exc + NAMEERROR_NAME) >> 2];
    let tb = I32[(exc + EXC_TRACEBACK) >> 2];
    if (name === NULL || !PyUnicode_CheckExact(name) || tb === NULL) return null;
    while (I32[(tb + TB_NEXT) >> 2] !== NULL) tb = I32[(tb + TB_NEXT) >> 2];
    const f = I32[(I32[(tb + TB_FRAME) >> 2] + FO_FRAME) >> 2];
    const co = I32[(f + F_CODE) >> 2];
    const locals: string[] = [];
    const n = I32[(co + CO_NLOCALSPLUS) >> 2];
    const names = I32[(co + CO_LOCALSPLUSNAMES) >> 2];
    for (let i = 0; i < n; i++) {
      if ((localKind(co, i) & CO_FAST_LOCAL) !== 0) locals.push(unicodeToJs(PyTuple_GET_ITEM(names, i)));
    }
    return {
      kind: 'name', name: unicodeToJs(name), locals,
      globals: dictKeys(I32[(f + F_GLOBALS) >> 2]), builtins: dictKeys(I32[(f + F_BUILTINS) >> 2]),
    };
  }
  return null;
}

function intAttr(exc: Ptr, name: string, dflt: number | 'fail' | 'missing'): number | 'fail' {
  const v = PyObject_GetAttrString(exc, name);
  if (v === NULL) {
    PyErr_Clear();
    return dflt === 'missing' ? 'fail' : (dflt as number | 'fail');
  }
  let r: number | 'fail';
  if (v === Py_None) r = dflt === 'missing' ? 'fail' : dflt;
  else if (PyLong_Check(v)) r = PyLong_AsNumber(v);
  else r = 'fail';
  Py_DECREF(v);
  return r;
}

/** ≈ parse_syntax_error for an instance with a print_file_and_line attribute; null when CPython
 *  falls back to the plain message. */
function collectSyntax(exc: Ptr): SyntaxInfo | null {
  const pfl = PyUnicode_InternFromString('print_file_and_line');
  if (pfl === NULL) {
    PyErr_Clear();
    return null;
  }
  const found = _PyObject_LookupAttr(exc, pfl, lookupResult);
  Py_DECREF(pfl);
  if (found <= 0) {
    PyErr_Clear();
    return null;
  }
  Py_DECREF(lookupResult[0]);
  const msgObj = PyObject_GetAttrString(exc, 'msg');
  if (msgObj === NULL) {
    PyErr_Clear();
    return null;
  }
  const msg = msgObj === Py_None ? null : strOrNull(msgObj) ?? '<exception str() failed>';
  Py_DECREF(msgObj);
  const fnObj = PyObject_GetAttrString(exc, 'filename');
  if (fnObj === NULL) {
    PyErr_Clear();
    return null;
  }
  const filename = fnObj === Py_None ? '<string>' : strOrNull(fnObj) ?? '';
  Py_DECREF(fnObj);
  const lineno = intAttr(exc, 'lineno', 'fail');
  if (lineno === 'fail') return null;
  const offset = intAttr(exc, 'offset', -1);
  if (offset === 'fail') return null;
  let endLineno: number | 'fail' = lineno;
  let endOffset: number | 'fail' = -1;
  if (Py_TYPE(exc) === PyExc_SyntaxError) {
    endLineno = intAttr(exc, 'end_lineno', lineno);
    if (endLineno === 'fail') return null;
    endOffset = intAttr(exc, 'end_offset', -1);
    if (endOffset === 'fail') return null;
  }
  const textObj = PyObject_GetAttrString(exc, 'text');
  if (textObj === NULL) {
    PyErr_Clear();
    return null;
  }
  const text = textObj === Py_None ? null : PyUnicode_Check(textObj) ? unicodeToJs(textObj) : strOrNull(textObj);
  Py_DECREF(textObj);
  return { msg, filename, lineno, offset, endLineno, endOffset, text };
}
/** The ExcInfo of one exception instance (the pending error state is preserved). */
export function collectException(exc: Ptr): ExcInfo {
  const t = Py_TYPE(exc);
  const tb = I32[(exc + EXC_TRACEBACK) >> 2];
  const frames = tb !== NULL ? tracebackFrames(tb) : null;
  const syntax = collectSyntax(exc);
  return {
    frames,
    module: typeModule(t),
    qualname: typeQualname(t),
    str: syntax !== null ? null : strOrNull(exc),
    syntax,
    suggestion: syntax !== null ? '' : suggestionText(collectSuggestion(exc)),
    notes: collectNotes(exc),
  };
}

/** The chain of `exc` in print order (≈ print_exception_cause_and_context with its seen set). */
export function collectChain(exc: Ptr): ChainItem[] {
  const seen = new Set<Ptr>();
  const items: ChainItem[] = [];
  // iterative form of the recursion: follow cause/context to the first exception printed
  const stack: { exc: Ptr; link: 'cause' | 'context' | null }[] = [];
  let cur = exc;
  let link: 'cause' | 'context' | null = null;
  for (;;) {
    seen.add(cur);
    stack.push({ exc: cur, link });
    if (!PyExceptionInstance_Check(cur)) break;
    const cause = I32[(cur + EXC_CAUSE) >> 2];
    if (cause !== NULL) {
      if (seen.has(cause)) break;
      cur = cause;
      link = 'cause';
      continue;
    }
    if (U8[cur + EXC_SUPPRESS_CONTEXT] !== 0) break;
    const context = I32[(cur + EXC_CONTEXT) >> 2];
    if (context === NULL || seen.has(context)) break;
    cur = context;
    link = 'context';
  }
  for (let i = stack.length - 1; i >= 0; i--) {
    items.push({ exc: collectException(stack[i].exc), link: stack[i].link });
  }
  return items;
}

/** sys.tracebacklimit, when the sys module sets one (installed by the sys module). */
export const tracebackLimitHook = { get: null as (() => number | null) | null };
function currentLimit(): number {
  const l = tracebackLimitHook.get?.() ?? null;
  return l === null ? PyTraceBack_LIMIT : l;
}

/** ≈ PyErr_Display(exc): the text CPython writes to stderr for an uncaught exception.
 *  `exc` is borrowed. The pending exception (if any) is kept. */
export function formatException(exc: Ptr): string {
  const saved = PyErr_Occurred() !== NULL ? PyErr_Fetch() : NULL;
  let out: string;
  if (!PyExceptionInstance_Check(exc)) {
    out = `TypeError: print_exception(): Exception expected for value, ${typeName(Py_TYPE(exc))} found\n`;
  } else {
    out = formatChain(collectChain(exc), currentLimit());
  }
  if (saved !== NULL) PyErr_Restore(saved);
  return out;
}

/** Where printException / PyErr_WriteUnraisable write (the CLI points it at its stderr). */
export const tracebackOutput = { write: null as ((s: string) => void) | null };
function writeStderr(s: string): void {
  if (tracebackOutput.write !== null) tracebackOutput.write(s);
  else process.stderr.write(s);
}

/** ≈ PyErr_Display / sys.excepthook: print an uncaught exception (borrowed) to stderr. */
export function printException(exc: Ptr): void {
  writeStderr(formatException(exc));
}

/** ≈ PyTraceBack_Print: `Traceback (most recent call last):` and the entries of `tb`. */
export function PyTraceBack_Print(tb: Ptr): string {
  return formatTraceback(tracebackFrames(tb), currentLimit());
}

/** ≈ write_unraisable_exc_file: "Exception ignored in: <obj repr>", the traceback, and
 *  `{module.}{qualname}: {str}` (': ' even for an empty str; no chain, notes or suggestions).
 *  `exc` and `obj` are borrowed; obj may be NULL; errMsg replaces "Exception ignored in". */
export function formatUnraisable(exc: Ptr, obj: Ptr, errMsg: string | null = null): string {
  let out = '';
  if (obj !== NULL && obj !== Py_None) {
    out += errMsg !== null ? errMsg + ': ' : 'Exception ignored in: ';
    out += reprOrNull(obj) ?? '<object repr() failed>';
    out += '\n';
  } else if (errMsg !== null) {
    out += errMsg + ':\n';
  }
  const tb = I32[(exc + EXC_TRACEBACK) >> 2];
  if (tb !== NULL) out += PyTraceBack_Print(tb);
  const t = Py_TYPE(exc);
  const mod = typeModule(t);
  if (mod === null) out += '<unknown>';
  else if (mod !== 'builtins' && mod !== '__main__') out += mod + '.';
  out += typeQualname(t) ?? '<unknown>';
  out += ': ' + (strOrNull(exc) ?? '<exception str() failed>');
  return out + '\n';
}

/** ≈ PyErr_WriteUnraisable(obj): print the pending exception as "Exception ignored in: obj"
 *  and clear it (errors in __del__, weakref and gc callbacks). `obj` borrowed, may be NULL. */
export function PyErr_WriteUnraisable(obj: Ptr, errMsg: string | null = null): void {
  const exc = PyErr_Fetch();
  if (exc === NULL) return;
  writeStderr(formatUnraisable(exc, obj, errMsg));
  Py_DECREF(exc);
}

/** ≈ _Py_HandleSystemExit for an exception instance (borrowed): null when it is not a
 *  SystemExit; otherwise the exit status (code None → 0, int → & 0xff, else 1) and what to
 *  write to stderr (str(code) + '\n' for a non-int code). */
export function handleSystemExit(exc: Ptr): { status: number; stderr: string } | null {
  if (!PyType_IsSubtype(Py_TYPE(exc), PyExc_SystemExit)) return null;
  const code = PyObject_GetAttrString(exc, 'code');
  let value = exc;
  if (code === NULL) PyErr_Clear();
  else value = code;
  let r: { status: number; stderr: string };
  if (value === Py_None) {
    r = exitStatusFor({ kind: 'none' });
  } else if (PyLong_Check(value)) {
    const n = PyLong_AsNumber(value);
    // (int)PyLong_AsLong: out of the C long range → -1
    const v = Number.isFinite(n) && Math.abs(n) < 2 ** 63 ? n : -1;
    r = exitStatusFor({ kind: 'int', value: Number(BigInt.asIntN(32, BigInt(Math.trunc(v)))) });
  } else {
    r = exitStatusFor({ kind: 'other', text: strOrNull(value) });
  }
  Py_XDECREF(code);
  return r;
}
