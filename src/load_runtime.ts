// Loads src/runtime_entry.ts when the command line needs it. From the sources and dist/ this is a
// dynamic import; in the bundle (tools/build.mjs) this module is replaced by a call of the bundled
// runtime's factory.
//
// Why a factory and not esbuild's lazily initialised modules: a module reached by a dynamic import
// is wrapped by esbuild (`__esm`), which makes each of its top-level bindings a variable assigned
// inside the wrapper. V8 then cannot treat the heap views (runtime/mem/heap.ts) and the layout
// constants as constants in optimized code, and every heap access re-checks the view: the eval
// loop ran 25-40% slower (bench/README.md, "The bundle").
export type Runtime = typeof import('./runtime_entry.js');

export function loadRuntime(): Promise<Runtime> {
  return import('./runtime_entry.js');
}
