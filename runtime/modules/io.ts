// The program's standard streams (≈ the part of Modules/_io/textio.c, bufferedio.c and
// fileio.c that sys.stdin / sys.stdout / sys.stderr need).
//
// sys.stdout and sys.stderr are objects of a TextIOWrapper-like type, `_io.TextIOWrapper`:
//
//   0 ob_refcnt  8 ob_type  16 fd (i32)  20 flags (i32: CLOSED, LINE_BUFFERING, WRITABLE, READABLE)
//  24 name (str*)  32 encoding (str*)  40 errors (str*)  48 mode (str*)  56.. unused
//  basicsize 192 (CPython's textio struct), a GC type: sys.getsizeof(sys.stdout) == 208.
//
// Text is encoded to UTF-8 straight from the str's bytes in the heap into a per-stream byte
// buffer (≈ the BufferedWriter's 8 KiB buffer; it holds bytes, not Python values, so it lives
// on the JS side like an OS buffer). An ASCII str is one bulk copy. The buffer goes to the
// stream's sink (installed by the CLI: setStdoutSink / setStderrSink) when it is full, on
// flush(), at exit (flushStdStreams), and — for a line-buffered stream — after a write that
// contains a newline. As in CPython: stderr is always line-buffered; stdout is line-buffered
// only when the sink is a terminal, otherwise block-buffered. `print(..., flush=True)` flushes.
//
// Encoding errors follow the stream's `errors`: stdout is 'strict' (a lone surrogate raises
// UnicodeEncodeError before any byte of that str is written), stderr is 'backslashreplace'
// (it becomes the text `\udXXX`).
//
// stdin reads bytes from a reader installed by the CLI (default: fd 0), decodes UTF-8 lines.

import { readSync, writeSync } from 'node:fs';
import { type Ptr, NULL, I32, U8, U16, U32 } from '../mem/heap.js';
import { Py_DECREF, Py_INCREF, Py_TYPE, Py_XDECREF } from '../object.js';
import {
  newStaticType, Py_TPFLAGS_HAVE_GC, type MethodDef, type GetSetDef, type visitproc, METH_NOARGS, METH_O,
  METH_FASTCALL, typeName,
} from '../typeobject.js';
import { PyObject_GC_New, PyObject_GC_Del, PyObject_GC_Track, PyObject_GC_UnTrack } from '../gc.js';
import { PyErr_SetString, PyErr_NoMemory } from '../errors.js';
import { PyExc_TypeError, PyExc_ValueError, PyExc_UnicodeEncodeError, PyExc_OSError } from '../objects/exceptions.js';
import {
  PyUnicode_Check, PyUnicode_FromString, PyUnicode_GET_LENGTH, PyUnicode_KIND, PyUnicode_DATA, PyUnicode_IS_ASCII,
  unicodeToJs, PyUnicode_InternFromString,
} from '../objects/unicodeobject.js';
import { PyLong_FromNumber } from '../objects/longobject.js';
import { Py_None } from '../objects/noneobject.js';
import { Py_True, Py_False } from '../objects/longobject.js';

// ---- layout ----
export const IO_FD = 16;
export const IO_FLAGS = 20;
export const IO_NAME = 24;
export const IO_ENCODING = 32;
export const IO_ERRORS = 40;
export const IO_MODE = 48;
export const TEXTIO_BASICSIZE = 192;

const F_CLOSED = 1;
const F_LINE_BUFFERING = 2;
const F_WRITABLE = 4;
const F_READABLE = 8;
const F_BACKSLASHREPLACE = 16;

// ---- the byte layer (per fd 0, 1, 2) ----
export type Sink = (bytes: Uint8Array) => void;
const BUFSIZE = 8192;
const bufs: Uint8Array[] = [new Uint8Array(0), new Uint8Array(BUFSIZE), new Uint8Array(BUFSIZE)];
const bufPos = new Int32Array(3);
const defaultSink = (fd: number): Sink => (bytes: Uint8Array) => {
  let off = 0;
  while (off < bytes.length) {
    try {
      off += writeSync(fd, bytes, off, bytes.length - off);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EAGAIN') continue;
      throw e;
    }
  }
};
const sinks: Sink[] = [() => undefined, defaultSink(1), defaultSink(2)];
/** Is the sink a terminal (stdout is then line-buffered)? */
const sinkIsTty = [false, false, false];

/** Install where stdout's bytes go (the CLI; tests capture). `isatty` makes stdout line-buffered. */
export function setStdoutSink(sink: Sink, isatty = false): void {
  flushFd(1);
  sinks[1] = sink;
  sinkIsTty[1] = isatty;
  if (stdoutObj !== NULL) setLineBuffering(stdoutObj, isatty);
}
/** Install where stderr's bytes go. stderr is always line-buffered (CPython 3.9+). */
export function setStderrSink(sink: Sink, isatty = false): void {
  flushFd(2);
  sinks[2] = sink;
  sinkIsTty[2] = isatty;
}

/** Source of stdin bytes: returns the next chunk, or null at end of input. */
export type StdinReader = () => Uint8Array | null;
const defaultStdinReader: StdinReader = () => {
  const b = new Uint8Array(65536);
  let n = 0;
  for (;;) {
    try {
      n = readSync(0, b, 0, b.length, null);
      break;
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EAGAIN') continue;
      if (code === 'EOF') return null;
      throw e;
    }
  }
  return n === 0 ? null : b.subarray(0, n);
};
let stdinReader: StdinReader = defaultStdinReader;
let stdinPending: Uint8Array = new Uint8Array(0);
let stdinEof = false;
export function setStdinReader(r: StdinReader): void {
  stdinReader = r;
  stdinLineReader = null;
  stdinPending = new Uint8Array(0);
  stdinEof = false;
}
/** Alternatively a source of whole lines: each call returns the next line with its '\n' (the
 *  last one may lack it), or null at end of input (what the CLI provides). */
let stdinLineReader: (() => string | null) | null = null;
export function setStdinLineReader(r: () => string | null): void {
  stdinLineReader = r;
}

/** Write the buffered bytes of fd to its sink. */
export function flushFd(fd: number): void {
  const n = bufPos[fd];
  if (n === 0) return;
  bufPos[fd] = 0;
  sinks[fd](bufs[fd].slice(0, n));
}
/** Flush stdout then stderr (interpreter exit; before a traceback is printed). */
export function flushStdStreams(): void {
  flushFd(1);
  flushFd(2);
}

function reserve(fd: number, n: number): number {
  if (bufPos[fd] + n > BUFSIZE) flushFd(fd);
  return bufPos[fd];
}

/** Append raw bytes (already encoded) to fd's buffer. */
export function writeBytes(fd: number, src: Uint8Array): void {
  if (src.length >= BUFSIZE) {
    flushFd(fd);
    sinks[fd](src.slice());
    return;
  }
  const p = reserve(fd, src.length);
  bufs[fd].set(src, p);
  bufPos[fd] = p + src.length;
}

const encoder = new TextEncoder();
/** Write a JS string (internal text: tracebacks, _debugmallocstats, warnings) as UTF-8 to fd
 *  (lone surrogates become '?', never an error). Line-buffered streams flush on '\n'. */
export function writeJs(fd: number, s: string): void {
  writeBytes(fd, encoder.encode(s));
  if (lineBuffered(fd) && s.indexOf('\n') >= 0) flushFd(fd);
}
export function writeStderrText(s: string): void {
  writeJs(2, s);
}

function lineBuffered(fd: number): boolean {
  return fd === 2 || sinkIsTty[fd];
}

/** The position of the first lone surrogate in a 2- or 4-byte-kind str's data, or -1. */
function findSurrogate(kind: number, data: number, n: number): number {
  if (kind === 2) {
    const base = data >> 1;
    for (let i = 0; i < n; i++) {
      const c = U16[base + i];
      if (c >= 0xd800 && c <= 0xdfff) return i;
    }
  } else if (kind === 4) {
    const base = data >> 2;
    for (let i = 0; i < n; i++) {
      const c = U32[base + i];
      if (c >= 0xd800 && c <= 0xdfff) return i;
    }
  }
  return -1;
}

const HEX = '0123456789abcdef';

/** Encode the str `s` to UTF-8 into fd's buffer. `backslash`: lone surrogates become `\udXXX`
 *  instead of an error. Returns 0, or -1 with UnicodeEncodeError set (nothing written then). */
export function writeStrToFd(fd: number, s: Ptr, backslash: boolean): number {
  const n = PyUnicode_GET_LENGTH(s);
  if (n === 0) return 0;
  const data = PyUnicode_DATA(s);
  const buf = bufs[fd];
  if (PyUnicode_IS_ASCII(s)) {
    if (n >= BUFSIZE) {
      flushFd(fd);
      sinks[fd](U8.slice(data, data + n));
    } else {
      const p = reserve(fd, n);
      buf.set(U8.subarray(data, data + n), p);
      bufPos[fd] = p + n;
    }
  } else {
    const kind = PyUnicode_KIND(s);
    if (!backslash) {
      const bad = findSurrogate(kind, data, n);
      if (bad >= 0) {
        const c = kind === 2 ? U16[(data >> 1) + bad] : U32[(data >> 2) + bad];
        PyErr_SetString(PyExc_UnicodeEncodeError, `'utf-8' codec can't encode character '\\u${c.toString(16)}' in position ${bad}: surrogates not allowed`);
        return -1;
      }
    }
    let p = bufPos[fd];
    for (let i = 0; i < n; i++) {
      const c = kind === 1 ? U8[data + i] : kind === 2 ? U16[(data >> 1) + i] : U32[(data >> 2) + i];
      if (p + 10 > BUFSIZE) {
        bufPos[fd] = p;
        flushFd(fd);
        p = 0;
      }
      if (c < 0x80) {
        buf[p++] = c;
      } else if (c < 0x800) {
        buf[p++] = 0xc0 | (c >> 6);
        buf[p++] = 0x80 | (c & 0x3f);
      } else if (c < 0x10000) {
        if (c >= 0xd800 && c <= 0xdfff) {
          // backslashreplace (strict was checked above)
          buf[p++] = 92; // '\'
          buf[p++] = 117; // 'u'
          for (let sh = 12; sh >= 0; sh -= 4) buf[p++] = HEX.charCodeAt((c >> sh) & 15);
          continue;
        }
        buf[p++] = 0xe0 | (c >> 12);
        buf[p++] = 0x80 | ((c >> 6) & 0x3f);
        buf[p++] = 0x80 | (c & 0x3f);
      } else {
        buf[p++] = 0xf0 | (c >> 18);
        buf[p++] = 0x80 | ((c >> 12) & 0x3f);
        buf[p++] = 0x80 | ((c >> 6) & 0x3f);
        buf[p++] = 0x80 | (c & 0x3f);
      }
    }
    bufPos[fd] = p;
  }
  return 0;
}

/** Is the str's text containing a '\n'? (for line buffering) */
function strHasNewline(s: Ptr): boolean {
  const n = PyUnicode_GET_LENGTH(s);
  const kind = PyUnicode_KIND(s);
  const data = PyUnicode_DATA(s);
  if (kind === 1) return U8.subarray(data, data + n).indexOf(10) >= 0;
  if (kind === 2) return U16.subarray(data >> 1, (data >> 1) + n).indexOf(10) >= 0;
  return U32.subarray(data >> 2, (data >> 2) + n).indexOf(10) >= 0;
}

// ---- the TextIOWrapper object ----

function textio_dealloc(o: Ptr): void {
  PyObject_GC_UnTrack(o);
  if (o === stdoutObj) stdoutObj = NULL;
  if (o === stderrObj) stderrObj = NULL;
  if (o === stdinObj) stdinObj = NULL;
  if (I32[(o + IO_FLAGS) >> 2] & F_WRITABLE) flushFd(I32[(o + IO_FD) >> 2]);
  Py_XDECREF(I32[(o + IO_NAME) >> 2]);
  Py_XDECREF(I32[(o + IO_ENCODING) >> 2]);
  Py_XDECREF(I32[(o + IO_ERRORS) >> 2]);
  Py_XDECREF(I32[(o + IO_MODE) >> 2]);
  PyObject_GC_Del(o);
}
function textio_traverse(_o: Ptr, _visit: visitproc, _arg: number): number {
  return 0; // only strs (never part of a cycle)
}

function textio_repr(o: Ptr): Ptr {
  return PyUnicode_FromString(
    `<_io.TextIOWrapper name='${unicodeToJs(I32[(o + IO_NAME) >> 2])}' mode='${unicodeToJs(I32[(o + IO_MODE) >> 2])}' encoding='${unicodeToJs(I32[(o + IO_ENCODING) >> 2])}'>`,
  );
}

function checkClosed(o: Ptr): boolean {
  if (I32[(o + IO_FLAGS) >> 2] & F_CLOSED) {
    PyErr_SetString(PyExc_ValueError, 'I/O operation on closed file.');
    return false;
  }
  return true;
}

/** ≈ TextIOWrapper.write(s) for an object of this type: write str `s` (borrowed). Returns 0 or
 *  -1 with an exception. Used by print's fast path. */
export function textioWriteStr(o: Ptr, s: Ptr): number {
  const flags = I32[(o + IO_FLAGS) >> 2];
  if (flags & F_CLOSED) {
    PyErr_SetString(PyExc_ValueError, 'I/O operation on closed file.');
    return -1;
  }
  if ((flags & F_WRITABLE) === 0) {
    PyErr_SetString(unsupportedOperation(), 'not writable');
    return -1;
  }
  const fd = I32[(o + IO_FD) >> 2];
  if (writeStrToFd(fd, s, (flags & F_BACKSLASHREPLACE) !== 0) < 0) return -1;
  if ((flags & F_LINE_BUFFERING || fd === 2) && strHasNewline(s)) flushFd(fd);
  return 0;
}
/** Flush an object of this type (print(flush=True) fast path). */
export function textioFlush(o: Ptr): number {
  if (!checkClosed(o)) return -1;
  const fd = I32[(o + IO_FD) >> 2];
  if (fd !== 0) flushFd(fd);
  return 0;
}
export function isTextIO(o: Ptr): boolean {
  return Py_TYPE(o) === PyTextIOWrapper_Type;
}

function unsupportedOperation(): Ptr {
  return PyExc_OSError;
}

function textio_write(o: Ptr, s: number): Ptr {
  if (!PyUnicode_Check(s)) {
    PyErr_SetString(PyExc_TypeError, `write() argument must be str, not ${typeName(Py_TYPE(s))}`);
    return NULL;
  }
  if (textioWriteStr(o, s) < 0) return NULL;
  return PyLong_FromNumber(PyUnicode_GET_LENGTH(s));
}

function textio_flush(o: Ptr): Ptr {
  if (textioFlush(o) < 0) return NULL;
  Py_INCREF(Py_None);
  return Py_None;
}

/** Read one line from stdin as a JS string including its '\n' (none at EOF); null at EOF
 *  with nothing read. */
export function stdinReadLine(): string | null {
  if (stdinLineReader !== null) return stdinLineReader();
  const chunks: Uint8Array[] = [];
  for (;;) {
    const nl = stdinPending.indexOf(10);
    if (nl >= 0) {
      chunks.push(stdinPending.subarray(0, nl + 1));
      stdinPending = stdinPending.subarray(nl + 1);
      break;
    }
    if (stdinPending.length > 0) chunks.push(stdinPending);
    stdinPending = new Uint8Array(0);
    if (stdinEof) break;
    const next = stdinReader();
    if (next === null || next.length === 0) {
      stdinEof = true;
      break;
    }
    stdinPending = next;
  }
  if (chunks.length === 0) return null;
  let total = 0;
  for (const c of chunks) total += c.length;
  const all = new Uint8Array(total);
  let off = 0;
  for (const c of chunks) {
    all.set(c, off);
    off += c.length;
  }
  return new TextDecoder('utf-8').decode(all);
}

function textio_readline(o: Ptr): Ptr {
  if (!checkClosed(o)) return NULL;
  if ((I32[(o + IO_FLAGS) >> 2] & F_READABLE) === 0) {
    PyErr_SetString(unsupportedOperation(), 'not readable');
    return NULL;
  }
  const line = stdinReadLine();
  return PyUnicode_FromString(line ?? '');
}
function textio_read(o: Ptr, args: number, nargs: number): Ptr {
  if (!checkClosed(o)) return NULL;
  if ((I32[(o + IO_FLAGS) >> 2] & F_READABLE) === 0) {
    PyErr_SetString(unsupportedOperation(), 'not readable');
    return NULL;
  }
  if (nargs > 1) {
    PyErr_SetString(PyExc_TypeError, `read expected at most 1 argument, got ${nargs}`);
    return NULL;
  }
  void args;
  let out = '';
  for (;;) {
    const line = stdinReadLine();
    if (line === null) break;
    out += line;
  }
  return PyUnicode_FromString(out);
}

function boolResult(b: boolean): Ptr {
  const r = b ? Py_True : Py_False;
  Py_INCREF(r);
  return r;
}

const textioMethods: MethodDef[] = [
  { name: 'write', flags: METH_O, fn: (o: Ptr, s: number) => textio_write(o, s) },
  { name: 'flush', flags: METH_NOARGS, fn: (o: Ptr) => textio_flush(o) },
  { name: 'readline', flags: METH_NOARGS, fn: (o: Ptr) => textio_readline(o) },
  { name: 'read', flags: METH_FASTCALL, fn: (o: Ptr, a: number, n: number) => textio_read(o, a, n) },
  { name: 'writable', flags: METH_NOARGS, fn: (o: Ptr) => checkClosed(o) ? boolResult((I32[(o + IO_FLAGS) >> 2] & F_WRITABLE) !== 0) : NULL },
  { name: 'readable', flags: METH_NOARGS, fn: (o: Ptr) => checkClosed(o) ? boolResult((I32[(o + IO_FLAGS) >> 2] & F_READABLE) !== 0) : NULL },
  { name: 'seekable', flags: METH_NOARGS, fn: (o: Ptr) => checkClosed(o) ? boolResult(false) : NULL },
  { name: 'isatty', flags: METH_NOARGS, fn: (o: Ptr) => checkClosed(o) ? boolResult(sinkIsTty[I32[(o + IO_FD) >> 2]]) : NULL },
  { name: 'fileno', flags: METH_NOARGS, fn: (o: Ptr) => PyLong_FromNumber(I32[(o + IO_FD) >> 2]) },
  {
    name: 'close',
    flags: METH_NOARGS,
    fn: (o: Ptr) => {
      if ((I32[(o + IO_FLAGS) >> 2] & F_CLOSED) === 0) {
        if (I32[(o + IO_FLAGS) >> 2] & F_WRITABLE) flushFd(I32[(o + IO_FD) >> 2]);
        I32[(o + IO_FLAGS) >> 2] |= F_CLOSED;
      }
      Py_INCREF(Py_None);
      return Py_None;
    },
  },
];

function strField(off: number) {
  return (o: Ptr): Ptr => {
    const v = I32[(o + off) >> 2];
    Py_INCREF(v);
    return v;
  };
}
const textioGetsets: GetSetDef[] = [
  { name: 'name', get: strField(IO_NAME) },
  { name: 'encoding', get: strField(IO_ENCODING) },
  { name: 'errors', get: strField(IO_ERRORS) },
  { name: 'mode', get: strField(IO_MODE) },
  { name: 'closed', get: (o: Ptr) => boolResult((I32[(o + IO_FLAGS) >> 2] & F_CLOSED) !== 0) },
  { name: 'line_buffering', get: (o: Ptr) => boolResult((I32[(o + IO_FLAGS) >> 2] & F_LINE_BUFFERING) !== 0) },
];

export const PyTextIOWrapper_Type: Ptr = newStaticType({
  name: '_io.TextIOWrapper',
  basicsize: TEXTIO_BASICSIZE,
  flags: Py_TPFLAGS_HAVE_GC,
  slots: {
    tp_dealloc: textio_dealloc,
    tp_traverse: textio_traverse,
    tp_repr: textio_repr,
    methods: textioMethods,
    getsets: textioGetsets,
  },
});

let stdoutObj: Ptr = NULL;
let stderrObj: Ptr = NULL;
let stdinObj: Ptr = NULL;

function setLineBuffering(o: Ptr, on: boolean): void {
  if (on) I32[(o + IO_FLAGS) >> 2] |= F_LINE_BUFFERING;
  else I32[(o + IO_FLAGS) >> 2] &= ~F_LINE_BUFFERING;
}

/** A new TextIOWrapper for fd 0/1/2. New reference or NULL. */
function newStdStream(fd: number, name: string, mode: string, errors: string, flags: number): Ptr {
  const o = PyObject_GC_New(PyTextIOWrapper_Type);
  if (o === NULL) return PyErr_NoMemory();
  I32.fill(0, (o + 16) >> 2, (o + TEXTIO_BASICSIZE) >> 2);
  I32[(o + IO_FD) >> 2] = fd;
  I32[(o + IO_FLAGS) >> 2] = flags;
  const fields: [number, string][] = [[IO_NAME, name], [IO_ENCODING, 'utf-8'], [IO_ERRORS, errors], [IO_MODE, mode]];
  for (const [off, text] of fields) {
    const s = PyUnicode_InternFromString(text);
    if (s === NULL) {
      Py_DECREF(o);
      return NULL;
    }
    I32[(o + off) >> 2] = s;
  }
  PyObject_GC_Track(o);
  return o;
}

/** ≈ create_stdio: make sys.stdin / sys.stdout / sys.stderr (new references, in that order) and
 *  remember them for the fast paths. NULL on failure. */
export function createStdStreams(): [Ptr, Ptr, Ptr] | null {
  const i = newStdStream(0, '<stdin>', 'r', 'strict', F_READABLE);
  if (i === NULL) return null;
  const o = newStdStream(1, '<stdout>', 'w', 'strict', F_WRITABLE | (sinkIsTty[1] ? F_LINE_BUFFERING : 0));
  if (o === NULL) {
    Py_DECREF(i);
    return null;
  }
  const e = newStdStream(2, '<stderr>', 'w', 'backslashreplace', F_WRITABLE | F_LINE_BUFFERING | F_BACKSLASHREPLACE);
  if (e === NULL) {
    Py_DECREF(i);
    Py_DECREF(o);
    return null;
  }
  stdinObj = i;
  stdoutObj = o;
  stderrObj = e;
  return [i, o, e];
}

/** The original sys.stdout / sys.stderr objects (borrowed; NULL once freed). */
export function originalStdout(): Ptr {
  return stdoutObj;
}
export function originalStderr(): Ptr {
  return stderrObj;
}
