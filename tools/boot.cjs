// dist/boot.cjs, the entry of the compiled `pymem`
// (bin/pymem; tools/build.mjs copies this file to dist/). It compiles the bundle dist/pymem.cjs with node:vm, handing V8 the code cache
// dist/pymem.cjs.cache that the build made: V8 then deserializes bytecode instead of parsing and
// compiling ~1.7 MB of JavaScript. A cache that does not fit (another Node, other V8 flags, a
// changed bundle) is rejected by V8 itself and the bundle compiles from source.
// PYMEM_WRITE_CODE_CACHE=1 (the build only): write the cache at exit, with every function this
// run compiled.
'use strict';
const fs = require('node:fs');
const vm = require('node:vm');
const path = require('node:path');

const file = path.join(__dirname, 'pymem.cjs');
const cacheFile = file + '.cache';
const source = fs.readFileSync(file, 'utf8');
let cachedData;
try {
  cachedData = fs.readFileSync(cacheFile);
} catch {
  cachedData = undefined;
}
const script = new vm.Script(source, { filename: file, cachedData });
if (process.env.PYMEM_WRITE_CODE_CACHE === '1') {
  process.on('exit', () => {
    fs.writeFileSync(cacheFile, script.createCachedData());
  });
}
const bundle = script.runInThisContext();
const mod = { exports: {} };
bundle(require, mod, mod.exports, file, __dirname);
mod.exports.runCli(process.argv.slice(2));
