// Everything the command line loads after it has read its arguments and environment (the
// runtime reads the heap limit, PYTHONMALLOC and the hash seed when it loads): the runner, the
// lifecycle hooks, `-m dis` and the REPL. src/load_runtime.ts loads it; tools/build.mjs bundles it
// as one scope-hoisted factory that the command-line part of the bundle calls.
export * as run from './run.js';
export * as life from '../runtime/pylifecycle.js';
export * as dis from './dis_main.js';
export * as repl from './repl.js';
