// Fatal errors of the runtime (≈ Py_FatalError, and the C library's own aborts).
//
// A fatal error is not a Python exception: CPython prints a report on stderr and aborts the
// process (exit status 134 from a shell, SIGABRT). Here it is a JS exception of its own class,
// thrown by the memory system when the debug hooks find a corrupted block, or when a raw free
// is handed something that is not a live block. The CLI prints `err.text`, then
// "Python runtime state: initialized", a blank line and the Python traceback
// ("Current thread 0x... (most recent call first):"), and exits as CPython does.
//
// `text` is exactly what CPython writes before that runtime-state line, e.g.
//
//   Debug memory block at address p=0x1004850: API 'm'
//       10 bytes originally requested
//       ...
//
//   Enable tracemalloc to get the memory block allocation traceback
//
//   Fatal Python error: _PyMem_DebugRawFree: bad trailing pad byte

export class PyFatalError extends Error {
  /** The C function CPython names in the report ("_PyMem_DebugRawFree"), or '' */
  readonly func: string;
  /** The reason ("bad trailing pad byte") */
  readonly reason: string;
  /** Everything printed before the "Fatal Python error" line (the block dump), may be '' */
  readonly dump: string;
  /** The address of the block concerned (0 when there is none) */
  readonly address: number;
  /** The full report, newline-terminated, as CPython prints it on stderr */
  readonly text: string;

  constructor(func: string, reason: string, dump: string, address: number, libcStyle = false) {
    const line = libcStyle ? reason : `Fatal Python error: ${func ? func + ': ' : ''}${reason}`;
    super(line);
    this.name = 'PyFatalError';
    this.func = func;
    this.reason = reason;
    this.dump = dump;
    this.address = address;
    this.text = dump + line + '\n';
  }
}

/** %p as glibc prints it. */
export function fmtPtr(p: number): string {
  return p === 0 ? '(nil)' : '0x' + p.toString(16);
}
