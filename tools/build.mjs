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
import { copyFileSync, readdirSync, readFileSync, writeFileSync, mkdirSync, rmSync, existsSync, statSync } from 'node:fs';
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
// bundle loads (~20 ms for node:crypto; node:worker_threads and node:vm are also better left out
// of the start-up snapshot). Each maps to the names the sources import from it.
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

// Heap views (runtime/mem/heap.ts's buffer and typed arrays, and every module's `const X = heapY;`
// copy of one) are constants in the sources. In the bundle they become variables that can be
// pointed at another buffer: the start-up snapshot keeps the heap's used parts in a small buffer
// (src/bundle.ts). heap.js gets save() and restore(); each copy registers how to re-read itself.
const HEAP_VIEWS = ['buffer', 'U8', 'I8', 'U16', 'I16', 'I32', 'U32', 'F64', 'DV'];
const heapViews = {
  name: 'heap-views',
  setup(build) {
    build.onLoad({ filter: /[\\/]dist[\\/](runtime|src)[\\/].*\.js$/ }, async (a) => {
      let text = await readFile(a.path, 'utf8');
      if (/[\\/]runtime[\\/]mem[\\/]heap\.js$/.test(a.path)) {
        for (const v of HEAP_VIEWS) {
          const before = text;
          text = text.replace(new RegExp(`^export const ${v} = `, 'm'), `export let ${v} = `);
          if (text === before) throw new Error(`heap-views: heap.js has no "export const ${v} = "`);
        }
        text += `
function __pymemRebind(nb) {
  buffer = nb; U8 = new Uint8Array(nb); I8 = new Int8Array(nb); U16 = new Uint16Array(nb); I16 = new Int16Array(nb);
  I32 = new Int32Array(nb); U32 = new Uint32Array(nb); F64 = new Float64Array(nb); DV = new DataView(nb);
  for (const f of __pymemBuild.rebinders) f();
}
__pymemBuild.heap = {
  save() {
    const img = new Uint8Array(staticTop + (usedTop - STATIC_END));
    img.set(U8.subarray(0, staticTop), 0);
    img.set(U8.subarray(STATIC_END, usedTop), staticTop);
    const h = { img, staticTop, usedTop };
    __pymemRebind(new ArrayBuffer(0));
    return h;
  },
  restore(h) {
    const nb = new ArrayBuffer(MAX_HEAP_LIMIT);
    const u8 = new Uint8Array(nb);
    u8.set(h.img.subarray(0, h.staticTop), 0);
    u8.set(h.img.subarray(h.staticTop), STATIC_END);
    __pymemRebind(nb);
  },
};
`;
        return { contents: text, loader: 'js' };
      }
      // the local names this module gives the views it imports from heap.js ...
      const aliases = new Set();
      for (const m of text.matchAll(/^import \{([^}]*)\} from '[^']*\bheap\.js';$/gm)) {
        for (const spec of m[1].split(',')) {
          const [imported, local] = spec.trim().split(/\s+as\s+/);
          if (HEAP_VIEWS.includes(imported) && local !== undefined) aliases.add(local);
        }
      }
      if (aliases.size === 0) return undefined;
      // ... and its module-level copies of them, `const X = alias;`
      const re = new RegExp(`^const (\\w+) = (${[...aliases].join('|')});$`, 'gm');
      text = text.replace(re, (_m, name, src) => `var ${name} = ${src}; __pymemBuild.rebinders.push(() => { ${name} = ${src}; });`);
      return { contents: text, loader: 'js' };
    });
  },
};

// The bundle: esbuild's CommonJS output wrapped in a function expression, which boot.cjs compiles
// with node:vm and the snapshot entry embeds. The preamble defines what the bundled modules
// expect: import.meta.url (parse.ts finds the grammar recipes beside the bundle) and __pymemBuild.
await esbuild.build({
  entryPoints: [join(dist, 'src', 'bundle.js')],
  outfile: join(dist, 'pymem.cjs'),
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  minifyWhitespace: true,
  minifySyntax: true,
  define: { 'import.meta.url': '__pymem_url' },
  banner: {
    js:
      '(function (require, module, exports, __filename, __dirname) {\n' +
      "let __pymem_url = require('node:url').pathToFileURL(__filename).href;\n" +
      'const __pymemBuild = { rebinders: [], heap: null };',
  },
  footer: { js: '})' },
  plugins: [lazyBuiltins, heapViews],
  logLevel: 'warning',
});
copyFileSync(join(root, 'tools', 'boot.cjs'), join(dist, 'boot.cjs'));

// The V8 flags of bin/pymem (read from it, so they cannot drift): a code cache or a snapshot
// made under other flags is rejected.
const flags = /^v8flags="([^"]*)"/m.exec(readFileSync(join(root, 'bin', 'pymem'), 'utf8'));
if (flags === null) throw new Error('tools/build.mjs: bin/pymem has no v8flags="..." line');
const v8flags = flags[1].split(' ').filter((f) => f !== '');
// the runtime reads these when it loads: the cache and the snapshot are made without them
const cleanEnv = { ...process.env, PYTHONHASHSEED: '0' };
for (const k of ['PYTHONMALLOC', 'PYMEM_HEAP_LIMIT', 'PYMEM_PARSER_SLOW', 'PYMEM_OHM_MEMO', 'PYMEM_TIMING']) delete cleanEnv[k];

// The code cache (for boot.cjs, and for the snapshot's fallback).
const warmup = join(root, 'tools', 'cache_warmup.py');
for (const args of [['-c', 'pass'], [warmup]]) {
  // each run adds the functions it compiled to the cache (boot.cjs starts from the last one)
  execFileSync(process.execPath, [...v8flags, join(dist, 'boot.cjs'), ...args], {
    env: { ...cleanEnv, PYMEM_WRITE_CODE_CACHE: '1' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}
if (!existsSync(join(dist, 'pymem.cjs.cache'))) throw new Error('tools/build.mjs: no code cache was written');

// The start-up snapshot: the bundle and a driver in one script (node --build-snapshot takes one
// file that may require only Node's built-in modules). SharedArrayBuffer does not exist while a
// snapshot is built; the runtime makes two at load (pystate's SIGINT flag, replaced by the CLI;
// time.sleep's, made lazily), so a plain ArrayBuffer stands in for it until the snapshot is taken.
const entry = join(dist, 'snapshot_entry.cjs');
writeFileSync(
  entry,
  "'use strict';\n" +
    'const __pymemBundle = ' + readFileSync(join(dist, 'pymem.cjs'), 'utf8') + ';\n' +
    `const hadSab = typeof SharedArrayBuffer !== 'undefined';
if (!hadSab) globalThis.SharedArrayBuffer = ArrayBuffer;
const mod = { exports: {} };
__pymemBundle(require, mod, mod.exports, ${JSON.stringify(join(dist, 'pymem.cjs'))}, ${JSON.stringify(dist)});
mod.exports.snapshotBuild().then(() => {
  if (!hadSab) delete globalThis.SharedArrayBuffer;
  require('node:v8').startupSnapshot.setDeserializeMainFunction(() => mod.exports.snapshotMain());
});
`,
);
const blob = join(dist, 'pymem.blob');
try {
  execFileSync(process.execPath, [...v8flags, '--snapshot-blob', blob, '--build-snapshot', entry], { env: cleanEnv, stdio: ['ignore', 'inherit', 'inherit'] });
  // a heap view that the plugin missed would have taken the whole 2 GiB heap into the blob
  const size = statSync(blob).size;
  if (size > 64 * 1024 * 1024) throw new Error(`the snapshot is ${size} bytes: a heap view was not re-pointed`);
  // bin/pymem uses the blob only with the node binary that made it
  writeFileSync(join(dist, 'pymem.blob.node'), `${process.execPath} ${Math.floor(statSync(process.execPath).mtimeMs / 1000)}\n`);
} catch (e) {
  // no snapshot (an older Node, or an error above): bin/pymem runs boot.cjs
  rmSync(blob, { force: true });
  process.stderr.write(`tools/build.mjs: no start-up snapshot: ${e.message}\n`);
}
rmSync(entry, { force: true });
writeFileSync(join(dist, '.stamp'), new Date().toISOString() + '\n');
