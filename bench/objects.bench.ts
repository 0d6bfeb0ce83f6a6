// Object model benchmark (benchmark.js): what creating and freeing common objects costs in
// pymem's heap, through the same C-API functions the VM uses.
//
//   npm run bench -- objects           full run
//   npm run bench -- objects --quick   fewer samples
//
// Each case creates one object and drops its last reference (so it goes through its type's
// dealloc and back to its free list or pymalloc), in a loop of OPS iterations per sample:
//   int        PyLong_FromNumber(1000 + k) + DECREF        (outside the small-int cache: 32-byte block)
//   float      PyFloat_FromDouble + DECREF                  (float free list of 100)
//   tuple2     PyTuple_Pack2(a, b) + DECREF                 (tuple free list for length 2)
//   list3      PyList_New(3) + 3 SET_ITEM + DECREF          (list free list + 24-byte items array)
//   dict       {str: int} x 3 through PyDict_SetItem + DECREF (dict free list + keys object)
//   lookup     PyDict_GetItem(d, str) on a 100-key dict with str keys (no allocation)
// Reported: ns per operation (benchmark.js mean and its relative margin of error) and the CPU
// time of the whole case divided by its operations.

import { createRequire } from 'node:module';
import os from 'node:os';
import '../runtime/pylifecycle.js';
import { readyAllStaticTypes } from '../runtime/typeready.js';
import { Py_DECREF, Py_INCREF } from '../runtime/object.js';
import { PyLong_FromNumber } from '../runtime/objects/longobject.js';
import { PyFloat_FromDouble } from '../runtime/objects/floatobject.js';
import { PyTuple_Pack2 } from '../runtime/objects/tupleobject.js';
import { PyList_New, PyList_SET_ITEM } from '../runtime/objects/listobject.js';
import { PyDict_New, PyDict_SetItem, PyDict_GetItem } from '../runtime/objects/dictobject.js';
import { PyUnicode_InternFromString } from '../runtime/objects/unicodeobject.js';
import { Py_None } from '../runtime/objects/noneobject.js';

interface Bench {
  stats: { mean: number; rme: number };
  run(): Bench;
}
const require = createRequire(import.meta.url);
const Benchmark = require('benchmark') as new (name: string, fn: () => void, options?: Record<string, unknown>) => Bench;

const OPS = 1000;

export function main(args: string[]): void {
  const quick = args.includes('--quick');
  readyAllStaticTypes();
  const keys = Array.from({ length: 100 }, (_, i) => PyUnicode_InternFromString(`key${i}`));
  const big = PyDict_New();
  for (const k of keys) PyDict_SetItem(big, k, Py_None);
  const a = PyLong_FromNumber(7);
  const b = PyLong_FromNumber(8);
  let sink = 0;

  const cases: [string, () => void][] = [
    ['int (1000..1999) create+free', () => {
      for (let k = 0; k < OPS; k++) Py_DECREF(PyLong_FromNumber(1000 + k));
    }],
    ['float create+free', () => {
      for (let k = 0; k < OPS; k++) Py_DECREF(PyFloat_FromDouble(k + 0.5));
    }],
    ['2-tuple create+free', () => {
      for (let k = 0; k < OPS; k++) Py_DECREF(PyTuple_Pack2(a, b));
    }],
    ['3-element list create+free', () => {
      for (let k = 0; k < OPS; k++) {
        const l = PyList_New(3);
        for (let i = 0; i < 3; i++) {
          Py_INCREF(a);
          PyList_SET_ITEM(l, i, a);
        }
        Py_DECREF(l);
      }
    }],
    ['small dict (3 str keys) create+free', () => {
      for (let k = 0; k < OPS; k++) {
        const d = PyDict_New();
        PyDict_SetItem(d, keys[0], a);
        PyDict_SetItem(d, keys[1], b);
        PyDict_SetItem(d, keys[2], a);
        Py_DECREF(d);
      }
    }],
    ['dict lookup, str key (100 keys)', () => {
      for (let k = 0; k < OPS; k++) sink += PyDict_GetItem(big, keys[k % 100]);
    }],
  ];

  console.log(`objects benchmark: ${os.cpus()[0]?.model ?? 'cpu'}, load ${os.loadavg().map((x) => x.toFixed(1)).join(' ')}, node ${process.version}`);
  console.log('case                                     ns/op (mean ± rme)   ns/op (CPU time)');
  for (const [name, fn] of cases) {
    const bench = new Benchmark(name, fn, { minSamples: quick ? 5 : 40, maxTime: quick ? 0.5 : 3 });
    const cpu0 = process.cpuUsage();
    const t0 = Date.now();
    bench.run();
    const cpuUs = process.cpuUsage(cpu0);
    const runs = Math.max(1, Math.round((Date.now() - t0) / 1000 / bench.stats.mean));
    const nsMean = (bench.stats.mean * 1e9) / OPS;
    const nsCpu = ((cpuUs.user + cpuUs.system) * 1000) / (runs * OPS);
    console.log(`${name.padEnd(40)} ${nsMean.toFixed(1).padStart(8)} ± ${bench.stats.rme.toFixed(1).padStart(4)}%   ${nsCpu.toFixed(1).padStart(10)}`);
  }
  if (sink === 42) console.log('');
}
