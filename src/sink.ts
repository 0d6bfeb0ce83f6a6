// Buffered output to a file descriptor, for the program's stdout and stderr (the CLI's main
// thread for -m dis, and the interpreter thread): chunks are kept until 64 KiB or an explicit
// flush, then written with fs.writeSync (a closed pipe ends the writing silently, as EPIPE).

import * as fs from 'node:fs';

export interface Sink {
  write: (b: Uint8Array) => void;
  flush: () => void;
}

export function makeSink(fd: number): Sink {
  const chunks: Uint8Array[] = [];
  let size = 0;
  const flush = (): void => {
    if (size === 0) return;
    const buf = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks);
    chunks.length = 0;
    size = 0;
    let off = 0;
    while (off < buf.length) {
      try {
        off += fs.writeSync(fd, buf, off, buf.length - off);
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code === 'EAGAIN') continue;
        if (code === 'EPIPE') return;
        throw e;
      }
    }
  };
  return {
    write: (b: Uint8Array) => {
      chunks.push(b.slice());
      size += b.length;
      if (size > 1 << 16) flush();
    },
    flush,
  };
}
