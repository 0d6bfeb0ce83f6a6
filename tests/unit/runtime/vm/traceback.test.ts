import { describe, it, expect, beforeAll, afterEach } from 'vitest';
import { readFileSync } from 'node:fs';
import { I32, U8 } from '../../../../runtime/mem/heap.js';
import { type Ptr, NULL, Py_DECREF, Py_INCREF } from '../../../../runtime/object.js';
import { PyErr_SetString, PyErr_Fetch, PyErr_Occurred } from '../../../../runtime/errors.js';
import { PyObject_SetAttr, PyObject_GetAttrString } from '../../../../runtime/typeready.js';
import { PyObject_CallMethod } from '../../../../runtime/call.js';
import { PyUnicode_FromString, PyUnicode_InternFromString } from '../../../../runtime/objects/unicodeobject.js';
import { PyTuple_New, PyTuple_SET_ITEM, tuple_get_empty } from '../../../../runtime/objects/tupleobject.js';
import { PyDict_New, PyDict_SetItem } from '../../../../runtime/objects/dictobject.js';
import { PyBytes_FromJsBytes } from '../../../../runtime/objects/bytesobject.js';
import { PyLong_FromNumber } from '../../../../runtime/objects/longobject.js';
import { Py_None } from '../../../../runtime/objects/noneobject.js';
import { PyCode_New, CO_FAST_LOCAL } from '../../../../runtime/objects/codeobject.js';
import {
  PyExc_NameError, PyExc_ZeroDivisionError, PyException_SetCause, PyException_SetContext, PyException_SetTraceback,
  setNameErrorName,
} from '../../../../runtime/objects/exceptions.js';
import {
  F_CODE, F_GLOBALS, F_BUILTINS, F_PREV_INSTR, F_STACKTOP, F_OWNER, F_FRAME_OBJ, F_FUNC, F_LOCALS, F_PREVIOUS, frameSize,
  frameGetFrameObject, newTraceback, frameClear,
} from '../../../../runtime/vm/frame.js';
import { dataStackPush, dataStackPop } from '../../../../runtime/pystate.js';
import {
  registerSource, unregisterSource, setSegmentParser, getSourceLine, formatChain, suggestionText, calculateSuggestions,
  caretLine, formatFrames, byteOffsetToCharOffset, exitStatusFor, formatException, formatUnraisable, handleSystemExit,
  levenshteinDistance, type ChainItem, type ExcInfo, type FrameInfo, type SegmentParse, type SyntaxInfo, type NotesInfo,
  type SuggestionSource,
} from '../../../../runtime/vm/traceback.js';
import { wire, construct, leakedBlocks } from '../objects/exceptions_helpers.js';
import { parse } from '../../../../src/parser/parse.js';

/** The segment parser the CLI should install (tests may import src/; runtime/ may not): CPython
 *  re-parses the segment as a module; only a single expression statement that is a BinOp or a
 *  Subscript gives anchors. The src parser's col offsets are UTF-8 byte offsets, as CPython's. */
export function realSegmentParser(segment: string): SegmentParse {
  let mod: { body: { _type: string; value?: Record<string, any> }[] };
  try {
    mod = parse(segment.endsWith('\n') ? segment : segment + '\n', '<traceback>', 'exec') as unknown as typeof mod;
  } catch {
    return null;
  }
  if (mod.body.length !== 1 || mod.body[0]._type !== 'Expr') return null;
  const e = mod.body[0].value!;
  if (e._type === 'BinOp') return { kind: 'binop', leftEnd: e.left.end_col_offset, rightStart: e.right.col_offset };
  if (e._type === 'Subscript') return { kind: 'subscript', valueEnd: e.value.end_col_offset, sliceEnd: e.slice.end_col_offset };
  return null;
}

type Num = number | null | '?';
interface FxItem {
  frames: { filename: string; lineno: number; name: string; pos: number[] }[] | null;
  module: string | null;
  qualname: string | null;
  str: string | null;
  notes: NotesInfo;
  suggest: SuggestionSource | null;
  syntax: null | {
    exact: boolean; msg: string | null; filename: string | null; lineno: Num; offset: Num; end_lineno: Num; end_offset: Num; text: string | null;
  };
  link: 'cause' | 'context' | null;
}
interface FxCase { name: string; filename: string; source: string; stderr: string; items: FxItem[]; segments: Record<string, SegmentParse> }
const fx = JSON.parse(readFileSync(new URL('../../../fixtures/traceback/traceback.json', import.meta.url), 'utf8')) as {
  cases: FxCase[];
  suggestions: { name: string; candidates: string[]; suggestion: string | null }[];
};

/** ≈ parse_syntax_error over the fixture's attribute values (null → CPython prints str(exc)). */
function syntaxInfo(s: FxItem['syntax']): SyntaxInfo | null {
  if (s === null) return null;
  if (s.lineno === null || s.lineno === '?') return null;
  if (s.offset === '?') return null;
  const offset = s.offset === null ? -1 : s.offset;
  let endLineno = s.lineno;
  let endOffset = -1;
  if (s.exact) {
    if (s.end_lineno === '?' || s.end_offset === '?') return null;
    endLineno = s.end_lineno === null ? s.lineno : s.end_lineno;
    endOffset = s.end_offset === null ? -1 : s.end_offset;
  }
  return { msg: s.msg, filename: s.filename ?? '<string>', lineno: s.lineno, offset, endLineno, endOffset, text: s.text };
}

function chainOf(c: FxCase): ChainItem[] {
  return c.items.map((it) => {
    const frames: FrameInfo[] | null = it.frames === null ? null : it.frames.map((f) => ({
      filename: f.filename, lineno: f.lineno, name: f.name, line: f.pos[0], endLine: f.pos[1], col: f.pos[2], endCol: f.pos[3],
    }));
    const syntax = syntaxInfo(it.syntax);
    const exc: ExcInfo = {
      frames, module: it.module, qualname: it.qualname, str: it.str, syntax,
      suggestion: syntax === null ? suggestionText(it.suggest) : '', notes: it.notes,
    };
    return { exc, link: it.link };
  });
}

beforeAll(() => wire());
afterEach(() => setSegmentParser(null));

describe('traceback text vs CPython 3.11 (PyErr_Display)', () => {
  it(`${fx.cases.length} programs: frames, carets, collapsing, chains, final lines, suggestions, notes, SyntaxError blocks`, () => {
    const failures: string[] = [];
    for (const c of fx.cases) {
      registerSource(c.filename, c.source);
      setSegmentParser((seg) => {
        if (!(seg in c.segments)) throw new Error(`${c.name}: unexpected segment ${JSON.stringify(seg)}`);
        return c.segments[seg];
      });
      const got = formatChain(chainOf(c));
      if (got !== c.stderr) failures.push(`--- ${c.name}\nexpected:\n${c.stderr}\ngot:\n${got}`);
      unregisterSource(c.filename);
    }
    expect(failures.join('\n')).toBe('');
  });

  it('the real parser (src/parser) as the segment parser gives the same anchors as CPython on every fixture segment', () => {
    const bad: string[] = [];
    for (const c of fx.cases) {
      for (const [seg, want] of Object.entries(c.segments)) {
        const got = realSegmentParser(seg);
        if (JSON.stringify(got) !== JSON.stringify(want)) bad.push(`${c.name}: ${JSON.stringify(seg)} ${JSON.stringify(got)} != ${JSON.stringify(want)}`);
      }
    }
    expect(bad).toEqual([]);
  });

  it('without a segment parser, carets are all ^ (and the whole-line rule still applies)', () => {
    registerSource('m.py', 'x = a / b\n');
    expect(formatFrames([{ filename: 'm.py', lineno: 1, name: '<module>', line: 1, endLine: 1, col: 4, endCol: 9 }]))
      .toBe('  File "m.py", line 1, in <module>\n    x = a / b\n        ^^^^^\n');
    expect(formatFrames([{ filename: 'm.py', lineno: 1, name: '<module>', line: 1, endLine: 1, col: 0, endCol: 9 }]))
      .toBe('  File "m.py", line 1, in <module>\n    x = a / b\n');
    unregisterSource('m.py');
  });
});

describe('pieces', () => {
  it(`calculateSuggestions agrees with CPython on ${fx.suggestions.length} name/candidate sets`, () => {
    const bad: string[] = [];
    for (const s of fx.suggestions) {
      const got = calculateSuggestions(s.candidates, s.name);
      if (got !== s.suggestion) bad.push(`${JSON.stringify(s.name)} in ${JSON.stringify(s.candidates.slice(0, 20))}: ${got} != ${s.suggestion}`);
    }
    expect(bad).toEqual([]);
    expect(fx.suggestions.length).toBeGreaterThanOrEqual(200);
  });

  it('levenshtein: case change costs 1, other edits 2, affixes trimmed', () => {
    const e = new TextEncoder();
    expect(levenshteinDistance(e.encode('value'), e.encode('Value'), 100)).toBe(1);
    expect(levenshteinDistance(e.encode('valeu'), e.encode('value'), 100)).toBe(4);
    expect(levenshteinDistance(e.encode('abc'), e.encode('abc'), 100)).toBe(0);
    expect(levenshteinDistance(e.encode('abc'), e.encode('abcdef'), 100)).toBe(6);
    expect(levenshteinDistance(e.encode('a'), e.encode('zzzzzzzz'), 3)).toBe(4);
  });

  it('byte offsets become character offsets as _PyPegen_byte_offset_to_character_offset', () => {
    expect(byteOffsetToCharOffset('é = 1', 2)).toBe(1);
    expect(byteOffsetToCharOffset('é = 1', 1)).toBe(1); // a partial character counts as one
    expect(byteOffsetToCharOffset('abc', 4)).toBe(4); // the C string's NUL
    expect(byteOffsetToCharOffset('abc', 9)).toBe(4);
    expect(byteOffsetToCharOffset('😀x', 5)).toBe(2);
  });

  it('caret lines: anchors, multi-line ranges, indentation, missing positions', () => {
    setSegmentParser((seg) => (seg === 'a // b' ? { kind: 'binop', leftEnd: 1, rightStart: 5 } : seg === 'd[k]' ? { kind: 'subscript', valueEnd: 1, sliceEnd: 3 } : null));
    expect(caretLine('    return a // b', 2, 2, 11, 17)).toBe('           ~~^^~~\n');
    expect(caretLine('d[k]', 1, 1, 0, 4)).toBe('    ~^^^\n');
    expect(caretLine('x = f(1,   ', 1, 2, 4, 11)).toBe('        ^^^^\n');
    expect(caretLine('f()', 1, 1, 0, 3)).toBe('');
    expect(caretLine('f()', -1, -1, -1, -1)).toBe('');
  });

  it('recursion collapsing: 3 shown, then "repeated N more time(s)"', () => {
    const f = (lineno: number, name = 'f'): FrameInfo => ({ filename: '<x>', lineno, name, line: -1, endLine: -1, col: -1, endCol: -1 });
    expect(formatFrames([f(1), f(2), f(2), f(2), f(2), f(3)])).toBe(
      '  File "<x>", line 1, in f\n' + '  File "<x>", line 2, in f\n'.repeat(3) + '  [Previous line repeated 1 more time]\n  File "<x>", line 3, in f\n');
    expect(formatFrames([f(2), f(2), f(2), f(2), f(2), f(2)])).toBe('  File "<x>", line 2, in f\n'.repeat(3) + '  [Previous line repeated 3 more times]\n');
    expect(formatFrames([f(2), f(2, 'g'), f(2), f(2, 'g')])).toBe(['f', 'g', 'f', 'g'].map((n) => `  File "<x>", line 2, in ${n}\n`).join(''));
    const many = Array.from({ length: 1200 }, (_, i) => f(i + 1));
    expect(formatFrames(many).split('\n').length - 1).toBe(1000);
  });

  it('sources: registered text, universal newlines, <...> names never show source', () => {
    registerSource('s.py', 'a\r\nb\rc\n');
    expect([1, 2, 3, 4].map((n) => getSourceLine('s.py', n))).toEqual(['a', 'b', 'c', null]);
    registerSource('<string>', 'x\n');
    expect(getSourceLine('<string>', 1)).toBe(null);
    unregisterSource('s.py');
    unregisterSource('<string>');
    expect(getSourceLine('/nonexistent/zz.py', 1)).toBe(null);
  });

  it('exit status rules (reference §9.3)', () => {
    expect(exitStatusFor({ kind: 'none' })).toEqual({ status: 0, stderr: '' });
    expect(exitStatusFor({ kind: 'int', value: 263 })).toEqual({ status: 7, stderr: '' });
    expect(exitStatusFor({ kind: 'int', value: -1 })).toEqual({ status: 255, stderr: '' });
    expect(exitStatusFor({ kind: 'other', text: 'message' })).toEqual({ status: 1, stderr: 'message\n' });
  });
});

describe('from heap objects', () => {
  it('handleSystemExit reads SystemExit.code', () => {
    const cases: [string, number, string][] = [
      ['SystemExit()', 0, ''], ['SystemExit(None)', 0, ''], ['SystemExit(3)', 3, ''], ['SystemExit(263)', 7, ''],
      ['SystemExit(-1)', 255, ''], ['SystemExit(True)', 1, ''], ['SystemExit("message")', 1, 'message\n'], ['SystemExit(1, 2)', 1, '(1, 2)\n'],
    ];
    expect(leakedBlocks(() => {
      for (const [src, status, stderr] of cases) {
        const e = construct(src);
        expect(handleSystemExit(e), src).toEqual({ status, stderr });
        Py_DECREF(e);
      }
      const v = construct('ValueError()');
      expect(handleSystemExit(v)).toBe(null);
      Py_DECREF(v);
    })).toBe(0);
  });

  it('formatException: chains without tracebacks, notes, module prefix, cycles', () => {
    expect(leakedBlocks(() => {
      const k = construct('KeyError("port")');
      const c = construct('ValueError("missing")');
      Py_INCREF(k);
      PyException_SetCause(c, k);
      expect(formatException(c)).toBe("KeyError: 'port'\n\nThe above exception was the direct cause of the following exception:\n\nValueError: missing\n");
      const z = construct('ZeroDivisionError("division by zero")');
      Py_INCREF(c);
      PyException_SetContext(z, c);
      const note = PyUnicode_FromString('a note\nsecond line');
      Py_DECREF(PyObject_CallMethod(z, 'add_note', note));
      Py_DECREF(note);
      expect(formatException(z)).toBe("KeyError: 'port'\n\nThe above exception was the direct cause of the following exception:\n\nValueError: missing\n\n" +
        'During handling of the above exception, another exception occurred:\n\nZeroDivisionError: division by zero\na note\nsecond line\n');
      // a cycle: k's context is z
      Py_INCREF(z);
      PyException_SetContext(k, z);
      expect(formatException(z).startsWith("KeyError: 'port'\n")).toBe(true);
      PyException_SetContext(k, NULL); // break the cycle so refcounting frees everything
      Py_DECREF(z);
      Py_DECREF(c);
      Py_DECREF(k);
      const s = construct('SyntaxError("bad thing", ("f.py", 3, 5, "x = (1 +\\n", 3, 8))');
      expect(formatException(s)).toBe('  File "f.py", line 3\n    x = (1 +\n        ^^^\nSyntaxError: bad thing\n');
      Py_DECREF(s);
      const o = construct('OSError(2, "No such file")');
      expect(formatException(o)).toBe('FileNotFoundError: [Errno 2] No such file\n');
      Py_DECREF(o);
      const e = construct('ValueError()');
      expect(formatException(e)).toBe('ValueError\n');
      expect(formatUnraisable(e, Py_None)).toBe('ValueError: \n');
      const where = PyUnicode_FromString('where');
      expect(formatUnraisable(e, where)).toBe("Exception ignored in: 'where'\nValueError: \n");
      Py_DECREF(where);
      Py_DECREF(e);
    })).toBe(0);
    expect(PyErr_Occurred()).toBe(NULL);
  });

  it('tracebacks from frame objects: positions from the code object, NameError suggestions from the frame', () => {
    registerSource('h.py', 'count = 0\ndef f():\n    counter = 1\n    return 1 / cont\n');
    setSegmentParser((seg) => (seg === '1 / cont' ? { kind: 'binop', leftEnd: 1, rightStart: 4 } : null));
    expect(leakedBlocks(() => {
      // code object for f: 2 code units, one location entry (long form): line 4, cols 11..19
      const names = PyTuple_New(1);
      PyTuple_SET_ITEM(names, 0, PyUnicode_InternFromString('counter'));
      const co = PyCode_New({
        argcount: 0, posonlyargcount: 0, kwonlyargcount: 0, flags: 3, stacksize: 1, firstlineno: 2, nlocalsplus: 1, nlocals: 1,
        ncellvars: 0, nfreevars: 0, consts: (Py_INCREF(tuple_get_empty()), tuple_get_empty()), names: (Py_INCREF(tuple_get_empty()), tuple_get_empty()),
        localsplusnames: names, localspluskinds: PyBytes_FromJsBytes([CO_FAST_LOCAL]),
        filename: PyUnicode_FromString('h.py'), name: PyUnicode_InternFromString('f'), qualname: PyUnicode_FromString('f'),
        linetable: PyBytes_FromJsBytes([0x80 | (14 << 3) | 1, 2 << 1, 0, 12, 20]), exceptiontable: PyBytes_FromJsBytes([]),
        code: new Uint8Array(4),
      });
      const globals = PyDict_New();
      const builtins = PyDict_New();
      for (const [d, k] of [[globals, 'count'], [builtins, 'print']] as [Ptr, string][]) {
        const key = PyUnicode_FromString(k);
        PyDict_SetItem(d, key, Py_None);
        Py_DECREF(key);
      }
      const f = dataStackPush(frameSize(co));
      I32.fill(0, f >> 2, (f + frameSize(co)) >> 2);
      I32[(f + F_CODE) >> 2] = co; // (the frame owns this reference)
      I32[(f + F_GLOBALS) >> 2] = globals;
      I32[(f + F_BUILTINS) >> 2] = builtins;
      I32[(f + F_PREV_INSTR) >> 2] = 2;
      I32[(f + F_STACKTOP) >> 2] = 0;
      U8[f + F_OWNER] = 0;
      void F_FRAME_OBJ; void F_FUNC; void F_LOCALS; void F_PREVIOUS;
      const fo = frameGetFrameObject(f);
      const tb = newTraceback(NULL, fo, 2, 4);
      // a ZeroDivisionError there
      PyErr_SetString(PyExc_ZeroDivisionError, 'division by zero');
      const z = PyErr_Fetch();
      expect(PyException_SetTraceback(z, tb)).toBe(0);
      expect(formatException(z)).toBe('Traceback (most recent call last):\n  File "h.py", line 4, in f\n    return 1 / cont\n           ~~^~~~~~\nZeroDivisionError: division by zero\n');
      // a NameError for 'cont' there: locals first ('counter' is too far), then globals ('count')
      PyErr_SetString(PyExc_NameError, "name 'cont' is not defined");
      const cont = PyUnicode_InternFromString('cont');
      setNameErrorName(cont);
      Py_DECREF(cont);
      const n = PyErr_Fetch();
      expect(PyException_SetTraceback(n, tb)).toBe(0);
      expect(formatException(n).split('\n').slice(-2)[0]).toBe("NameError: name 'cont' is not defined. Did you mean: 'count'?");
      Py_DECREF(n);
      Py_DECREF(z);
      Py_DECREF(tb);
      frameClear(f);
      dataStackPop(f);
      Py_DECREF(globals);
      Py_DECREF(builtins);
    })).toBe(0);
    unregisterSource('h.py');
    void PyObject_SetAttr; void PyObject_GetAttrString; void PyLong_FromNumber;
  });
});
