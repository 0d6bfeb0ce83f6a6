// `npm run build` (and `npm install`, through "prepare"): everything that can be prepared before a
// run, so that `pymem` compiles nothing per run that could be compiled here.
//
//   1. tsc: src/ and runtime/ to plain JavaScript in dist/ (const enums inlined). dist/src/cli.js
//      is runnable as is (tools, tests and profiling use dist/src/run.js).
//   2. esbuild: the same JavaScript (and ohm-js) bundled into ONE script, dist/pymem.cjs: loading
//      ~100 ES modules cost ~150 ms of resolution and module compilation per start. The bundle is
//      a function expression that dist/boot.cjs compiles with node:vm, so that it can carry…
//   3. …a V8 code cache, dist/pymem.cjs.cache: bytecode of every function that `pymem -c pass`
//      and a small warm-up program run, produced by running them here with the exact V8 flags of
//      bin/pymem (V8 rejects a cache made under other flags or another V8; boot.cjs then compiles
//      from source, only slower).
//   4. the grammar recipes next to the compiled parser and next to the bundle; the stamp.
//
// bin/pymem runs dist/boot.cjs when the stamp is newer than every source file, and the
// TypeScript sources through tsx otherwise, so a stale build is never used.
import { execFileSync } from 'node:child_process';
import { copyFileSync, readdirSync, readFileSync, writeFileSync, mkdirSync, rmSync, existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
rmSync(dist, { recursive: true, force: true });
execFileSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(root, 'tsconfig.build.json')], { stdio: 'inherit' });
const parserOut = join(dist, 'src', 'parser');
mkdirSync(parserOut, { recursive: true });
for (const f of readdirSync(join(root, 'src', 'parser'))) {
  if (f.endsWith('.json')) {
    copyFileSync(join(root, 'src', 'parser', f), join(parserOut, f));
    // the bundle's import.meta.url is dist/pymem.cjs: parse.ts finds the recipes beside it
    copyFileSync(join(root, 'src', 'parser', f), join(dist, f));
  }
}

// Node built-in modules needed only now and then: required when first used instead of when the
// bundle loads (~20 ms for node:crypto; node:worker_threads and node:vm are rarely used). Each maps to the names the sources import from it.
const LAZY = {
  'node:crypto': ['createHash', 'randomFillSync', 'randomBytes', 'getRandomValues'],
  'node:worker_threads': ['Worker'],
  'node:vm': ['Script'],
};
const lazyBuiltins = {
  name: 'lazy-builtins',
  setup(build) {
    build.onResolve({ filter: /^node:(crypto|worker_threads|vm)$/ }, (a) => (a.namespace === 'lazy' ? { path: a.path, external: true } : { path: a.path, namespace: 'lazy' }));
    build.onLoad({ filter: /.*/, namespace: 'lazy' }, (a) => ({
      contents:
        `let m = null;\nconst get = () => (m ??= require('${a.path}'));\n` +
        // plain functions, so that they work with and without `new`
        LAZY[a.path].map((n) => `export function ${n}(...a) { return new.target ? new (get().${n})(...a) : get().${n}(...a); }\n`).join(''),
      loader: 'js',
    }));
  },
};

// The bundle is made of two esbuild bundles in one script:
//   - the runtime (src/runtime_entry.js: the runner, the lifecycle hooks, `-m dis`, the REPL, the
//     parser and ohm-js), scope-hoisted into the body of one factory function, __pymemRuntime(),
//     called once, when the command line has read its arguments and environment (the runtime
//     reads the heap limit, PYTHONMALLOC and the hash seed when it loads);
//   - the command line (src/cli_main.js), whose src/load_runtime.js calls that factory.
// Bundled together, esbuild would have wrapped every runtime module in a lazy initialiser (the
// CLI imports the runtime dynamically) and made each top-level binding a variable assigned in it;
// as it is, a module-level binding is assigned once where it is declared, which V8 treats as a
// constant in optimized code (the heap views above all: 25-40% of the eval loop's time).
// The result is a function expression (banner/footer) that dist/boot.cjs compiles with node:vm.
const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  minifyWhitespace: true,
  minifySyntax: true,
  define: { 'import.meta.url': '__pymem_url' },
  logLevel: 'warning',
  write: false,
};
const runtimeLoader = {
  name: 'runtime-loader',
  setup(build) {
    build.onLoad({ filter: /[\\/]dist[\\/]src[\\/]load_runtime\.js$/ }, () => ({
      contents: 'export function loadRuntime() { return Promise.resolve(__pymemRuntime()); }\n',
      loader: 'js',
    }));
  },
};
const runtimeOut = await esbuild.build({ ...common, entryPoints: [join(dist, 'src', 'runtime_entry.js')], plugins: [lazyBuiltins] });
const cliOut = await esbuild.build({ ...common, entryPoints: [join(dist, 'src', 'cli_main.js')], plugins: [lazyBuiltins, runtimeLoader] });
const runtimeText = runtimeOut.outputFiles[0].text;
if (/\b__esm\(/.test(runtimeText)) throw new Error('tools/build.mjs: a runtime module is lazily initialised (__esm): is there a dynamic import in the runtime?');
writeFileSync(
  join(dist, 'pymem.cjs'),
  '(function (require, module, exports, __filename, __dirname) {\n' +
    "let __pymem_url = require('node:url').pathToFileURL(__filename).href;\n" +
    'let __pymemRuntimeExports = null;\n' +
    'function __pymemRuntime() {\n' +
    '  if (__pymemRuntimeExports !== null) return __pymemRuntimeExports;\n' +
    '  const module = { exports: {} };\n' +
    '  (function (module, exports) {\n' +
    runtimeText +
    '\n  })(module, module.exports);\n' +
    '  return (__pymemRuntimeExports = module.exports);\n' +
    '}\n' +
    cliOut.outputFiles[0].text +
    '\n})',
);
copyFileSync(join(root, 'tools', 'boot.cjs'), join(dist, 'boot.cjs'));

// The V8 flags of bin/pymem (read from it, so they cannot drift): a code cache made under
// other flags is rejected.
const flags = /^v8flags="([^"]*)"/m.exec(readFileSync(join(root, 'bin', 'pymem'), 'utf8'));
if (flags === null) throw new Error('tools/build.mjs: bin/pymem has no v8flags="..." line');
const v8flags = flags[1].split(' ').filter((f) => f !== '');
// the runtime reads these when it loads: the cache is made without them
const cleanEnv = { ...process.env, PYTHONHASHSEED: '0' };
for (const k of ['PYTHONMALLOC', 'PYMEM_HEAP_LIMIT', 'PYMEM_PARSER_SLOW', 'PYMEM_OHM_MEMO', 'PYMEM_TIMING']) delete cleanEnv[k];

// The code cache (for boot.cjs).
const warmup = join(root, 'tools', 'cache_warmup.py');
for (const args of [['-c', 'pass'], [warmup]]) {
  // each run adds the functions it compiled to the cache (boot.cjs starts from the last one)
  execFileSync(process.execPath, [...v8flags, join(dist, 'boot.cjs'), ...args], {
    env: { ...cleanEnv, PYMEM_WRITE_CODE_CACHE: '1' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}
if (!existsSync(join(dist, 'pymem.cjs.cache'))) throw new Error('tools/build.mjs: no code cache was written');

writeFileSync(join(dist, '.stamp'), new Date().toISOString() + '\n');
