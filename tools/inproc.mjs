// Run a program in this thread from the compiled build (dist/), for profilers that do not follow
// worker threads: node --cpu-prof --stack-size=3900 tools/inproc.mjs prog.py [args...]
import fs from 'node:fs';
import path from 'node:path';
const { runProgram } = await import('../dist/src/run.js');
const file = process.argv[2];
const out = (b) => fs.writeSync(1, b);
const err = (b) => fs.writeSync(2, b);
const r = runProgram({ argv: [file, ...process.argv.slice(3)], source: fs.readFileSync(file, 'utf8'), filename: path.resolve(file), stdout: out, stderr: err });
process.exitCode = r.exitCode;
