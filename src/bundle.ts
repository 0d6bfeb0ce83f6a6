// Entry of the compiled build (tools/build.mjs bundles this file, the CLI and the runtime into
// dist/pymem.cjs). Two ways in:
//
//   dist/boot.cjs       compiles the bundle with its V8 code cache and calls runCli: the runtime
//                       loads and Py_Initialize runs as from the sources.
//   dist/pymem.blob     a V8 start-up snapshot (node --snapshot-blob), built by tools/build.mjs
//                       with snapshotBuild(): the runtime already loaded, the static types
//                       readied, the parser's grammar built, and one program run and finalized.
//                       snapshotMain() puts the heap back and runs the command line.
//
// A snapshot cannot hold the 2 GiB heap buffer (V8 writes an ArrayBuffer's bytes into the blob,
// and reads them back at every start), so snapshotBuild() keeps only the used parts of the heap
// (the static region and the mapped arenas, a few MiB) in a small buffer and points every heap
// view at an empty one; snapshotMain() allocates the heap again, copies the parts back and points
// the views at it. The views are module-level constants in the sources; in the bundle they are
// variables that tools/build.mjs re-points (__pymemBuild.heap, see its heap-views plugin).
//
// The snapshot was made with the default configuration. A command line or environment that
// the runtime reads when it loads (-X heap=, PYMEM_HEAP_LIMIT, PYTHONMALLOC, the parser's
// switches) or -m dis, makes snapshotMain() load the bundle afresh instead (as boot.cjs does).

import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vm from 'node:vm';
import { pathToFileURL } from 'node:url';
import { runCli } from './cli_main.js';

export { runCli };

interface HeapImage {
  img: Uint8Array;
  staticTop: number;
  usedTop: number;
}
// defined by the bundle's preamble (tools/build.mjs): the bundle's own URL (import.meta.url in
// the bundled modules) and the heap-views plugin's save/restore
declare let __pymem_url: string;
declare const __pymemBuild: {
  heap: { save(): HeapImage; restore(h: HeapImage): void };
};

let image: HeapImage | null = null;

/** At build time, in `node --build-snapshot`: load the runtime, run a program (which readies
 *  every static type and builds the token grammar), finalize, and keep the heap's used parts. */
export async function snapshotBuild(): Promise<void> {
  const run = await import('./run.js');
  const parse = await import('./parser/parse.js');
  const noop = (): void => {};
  const r = run.runProgram({ argv: ['-c'], source: 'pass\n', filename: '<string>', stdout: noop, stderr: noop });
  if (r.exitCode !== 0) throw new Error('snapshot: the warm-up program failed');
  parse.tokGrammar();
  image = __pymemBuild.heap.save();
}

/** The snapshot's main function: the `pymem` command line. */
export function snapshotMain(): void {
  const argv = process.argv.slice(1);
  // the bundle and the grammar recipes are next to the blob (--snapshot-blob DIST/pymem.blob)
  const blobArg = process.execArgv.findIndex((a) => a === '--snapshot-blob' || a.startsWith('--snapshot-blob='));
  const blob = blobArg < 0 ? '' : process.execArgv[blobArg].includes('=') ? process.execArgv[blobArg].split('=')[1] : process.execArgv[blobArg + 1];
  const dist = path.dirname(path.resolve(blob));
  __pymem_url = pathToFileURL(path.join(dist, 'pymem.cjs')).href;
  if (image === null || !snapshotFits(argv)) {
    image = null;
    loadFresh(dist).runCli(argv);
    return;
  }
  __pymemBuild.heap.restore(image);
  image = null;
  runCli(argv);
}

/** Whether the snapshot's runtime can run this command line (see the top of this file). */
function snapshotFits(argv: string[]): boolean {
  const env = process.env;
  if ((env.PYTHONMALLOC ?? '') !== '' || env.PYMEM_HEAP_LIMIT !== undefined || env.PYMEM_PARSER_SLOW !== undefined || env.PYMEM_OHM_MEMO !== undefined) return false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '-c' || a === '-' || !a.startsWith('-')) return true;
    if (a === '-m') return false;
    if (a.startsWith('-X')) {
      const opt = a.length > 2 ? a.slice(2) : argv[++i] ?? '';
      if (opt.startsWith('heap')) return false;
    }
  }
  return true;
}

/** The bundle evaluated afresh (its own runtime, loaded under this process's configuration),
 *  with its code cache, as dist/boot.cjs does. */
function loadFresh(dist: string): { runCli: (argv: string[]) => void } {
  const file = path.join(dist, 'pymem.cjs');
  let cachedData: Buffer | undefined;
  try {
    cachedData = fs.readFileSync(file + '.cache');
  } catch {
    cachedData = undefined;
  }
  const script = new vm.Script(fs.readFileSync(file, 'utf8'), { filename: file, cachedData });
  const fn = script.runInThisContext() as (req: NodeRequire, mod: { exports: unknown }, exp: unknown, filename: string, dirname: string) => void;
  const mod = { exports: {} as { runCli: (argv: string[]) => void } };
  fn(require, mod, mod.exports, file, dist);
  return mod.exports;
}
