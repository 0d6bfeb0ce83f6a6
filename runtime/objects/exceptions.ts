// The built-in exception types (≈ Objects/exceptions.c): static type objects with CPython
// 3.11's instance layouts. Instances are GC objects:
//
//   PyBaseExceptionObject (72 bytes + 16 GC head = getsizeof 88)
//     0 ob_refcnt  8 ob_type  16 dict  24 args  32 notes  40 traceback  48 context  56 cause
//    64 suppress_context (char)
//   StopIteration / SystemExit: + 72 value / code          (80)
//   NameError: + 72 name  · AttributeError: + 72 obj, 80 name    (80 / 88)
//   ImportError: + 72 msg, 80 name, 88 path                      (96)
//   OSError: + 72 myerrno, 80 strerror, 88 filename, 96 filename2, 104 written   (112)
//   SyntaxError: + 72 msg, 80 filename, 88 lineno, 96 offset, 104 text, 112 end_lineno,
//                120 end_offset, 128 print_file_and_line             (136)
//
// The instance behaviour (new/init, args, str/repr, traverse/clear/dealloc, __cause__ and
// friends) is attached by exceptions_impl once str, tuple and dict exist.

import { type Ptr, NULL } from '../mem/heap.js';
import { newStaticType, Py_TPFLAGS_BASETYPE, Py_TPFLAGS_HAVE_GC, Py_TPFLAGS_BASE_EXC_SUBCLASS } from '../typeobject.js';
import { setMemoryErrorType } from '../errors.js';

export const EXC_DICT = 16;
export const EXC_ARGS = 24;
export const EXC_NOTES = 32;
export const EXC_TRACEBACK = 40;
export const EXC_CONTEXT = 48;
export const EXC_CAUSE = 56;
export const EXC_SUPPRESS_CONTEXT = 64;
export const EXC_VALUE = 72; // StopIteration.value, SystemExit.code
export const NAMEERROR_NAME = 72;
export const ATTRIBUTEERROR_OBJ = 72;
export const ATTRIBUTEERROR_NAME = 80;
export const SYNTAXERROR_MSG = 72;

/** Every built-in exception type, in definition order (bases before subclasses). */
export const builtinExceptionTypes: Ptr[] = [];

function excType(name: string, base: Ptr, basicsize: number): Ptr {
  const t = newStaticType({
    name,
    basicsize,
    base: base === NULL ? undefined : base,
    flags: Py_TPFLAGS_BASETYPE | Py_TPFLAGS_HAVE_GC | Py_TPFLAGS_BASE_EXC_SUBCLASS,
  });
  builtinExceptionTypes.push(t);
  return t;
}

export const PyExc_BaseException = excType('BaseException', NULL, 72);
export const PyExc_Exception = excType('Exception', PyExc_BaseException, 72);
export const PyExc_GeneratorExit = excType('GeneratorExit', PyExc_BaseException, 72);
export const PyExc_KeyboardInterrupt = excType('KeyboardInterrupt', PyExc_BaseException, 72);
export const PyExc_SystemExit = excType('SystemExit', PyExc_BaseException, 80);
export const PyExc_ArithmeticError = excType('ArithmeticError', PyExc_Exception, 72);
export const PyExc_AssertionError = excType('AssertionError', PyExc_Exception, 72);
export const PyExc_AttributeError = excType('AttributeError', PyExc_Exception, 88);
export const PyExc_BufferError = excType('BufferError', PyExc_Exception, 72);
export const PyExc_EOFError = excType('EOFError', PyExc_Exception, 72);
export const PyExc_ImportError = excType('ImportError', PyExc_Exception, 96);
export const PyExc_LookupError = excType('LookupError', PyExc_Exception, 72);
export const PyExc_MemoryError = excType('MemoryError', PyExc_Exception, 72);
export const PyExc_NameError = excType('NameError', PyExc_Exception, 80);
export const PyExc_OSError = excType('OSError', PyExc_Exception, 112);
export const PyExc_ReferenceError = excType('ReferenceError', PyExc_Exception, 72);
export const PyExc_RuntimeError = excType('RuntimeError', PyExc_Exception, 72);
export const PyExc_StopAsyncIteration = excType('StopAsyncIteration', PyExc_Exception, 72);
export const PyExc_StopIteration = excType('StopIteration', PyExc_Exception, 80);
export const PyExc_SyntaxError = excType('SyntaxError', PyExc_Exception, 136);
export const PyExc_SystemError = excType('SystemError', PyExc_Exception, 72);
export const PyExc_TypeError = excType('TypeError', PyExc_Exception, 72);
export const PyExc_ValueError = excType('ValueError', PyExc_Exception, 72);
export const PyExc_Warning = excType('Warning', PyExc_Exception, 72);
export const PyExc_FloatingPointError = excType('FloatingPointError', PyExc_ArithmeticError, 72);
export const PyExc_OverflowError = excType('OverflowError', PyExc_ArithmeticError, 72);
export const PyExc_ZeroDivisionError = excType('ZeroDivisionError', PyExc_ArithmeticError, 72);
export const PyExc_BytesWarning = excType('BytesWarning', PyExc_Warning, 72);
export const PyExc_DeprecationWarning = excType('DeprecationWarning', PyExc_Warning, 72);
export const PyExc_EncodingWarning = excType('EncodingWarning', PyExc_Warning, 72);
export const PyExc_FutureWarning = excType('FutureWarning', PyExc_Warning, 72);
export const PyExc_ImportWarning = excType('ImportWarning', PyExc_Warning, 72);
export const PyExc_PendingDeprecationWarning = excType('PendingDeprecationWarning', PyExc_Warning, 72);
export const PyExc_ResourceWarning = excType('ResourceWarning', PyExc_Warning, 72);
export const PyExc_RuntimeWarning = excType('RuntimeWarning', PyExc_Warning, 72);
export const PyExc_SyntaxWarning = excType('SyntaxWarning', PyExc_Warning, 72);
export const PyExc_UnicodeWarning = excType('UnicodeWarning', PyExc_Warning, 72);
export const PyExc_UserWarning = excType('UserWarning', PyExc_Warning, 72);
export const PyExc_BlockingIOError = excType('BlockingIOError', PyExc_OSError, 112);
export const PyExc_ChildProcessError = excType('ChildProcessError', PyExc_OSError, 112);
export const PyExc_ConnectionError = excType('ConnectionError', PyExc_OSError, 112);
export const PyExc_FileExistsError = excType('FileExistsError', PyExc_OSError, 112);
export const PyExc_FileNotFoundError = excType('FileNotFoundError', PyExc_OSError, 112);
export const PyExc_InterruptedError = excType('InterruptedError', PyExc_OSError, 112);
export const PyExc_IsADirectoryError = excType('IsADirectoryError', PyExc_OSError, 112);
export const PyExc_NotADirectoryError = excType('NotADirectoryError', PyExc_OSError, 112);
export const PyExc_PermissionError = excType('PermissionError', PyExc_OSError, 112);
export const PyExc_ProcessLookupError = excType('ProcessLookupError', PyExc_OSError, 112);
export const PyExc_TimeoutError = excType('TimeoutError', PyExc_OSError, 112);
export const PyExc_IndentationError = excType('IndentationError', PyExc_SyntaxError, 136);
export const PyExc_IndexError = excType('IndexError', PyExc_LookupError, 72);
export const PyExc_KeyError = excType('KeyError', PyExc_LookupError, 72);
export const PyExc_ModuleNotFoundError = excType('ModuleNotFoundError', PyExc_ImportError, 96);
export const PyExc_NotImplementedError = excType('NotImplementedError', PyExc_RuntimeError, 72);
export const PyExc_RecursionError = excType('RecursionError', PyExc_RuntimeError, 72);
export const PyExc_UnboundLocalError = excType('UnboundLocalError', PyExc_NameError, 80);
export const PyExc_UnicodeError = excType('UnicodeError', PyExc_ValueError, 72);
export const PyExc_BrokenPipeError = excType('BrokenPipeError', PyExc_ConnectionError, 112);
export const PyExc_ConnectionAbortedError = excType('ConnectionAbortedError', PyExc_ConnectionError, 112);
export const PyExc_ConnectionRefusedError = excType('ConnectionRefusedError', PyExc_ConnectionError, 112);
export const PyExc_ConnectionResetError = excType('ConnectionResetError', PyExc_ConnectionError, 112);
export const PyExc_TabError = excType('TabError', PyExc_IndentationError, 136);
export const PyExc_UnicodeDecodeError = excType('UnicodeDecodeError', PyExc_UnicodeError, 112);
export const PyExc_UnicodeEncodeError = excType('UnicodeEncodeError', PyExc_UnicodeError, 112);
export const PyExc_UnicodeTranslateError = excType('UnicodeTranslateError', PyExc_UnicodeError, 112);

setMemoryErrorType(PyExc_MemoryError);
