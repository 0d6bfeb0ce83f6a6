// bytes: the methods added after bytesobject.test.ts's fixtures (center/ljust/rjust/zfill,
// expandtabs, partition/rpartition, splitlines, removeprefix/suffix, istitle, translate/maketrans,
// __bytes__) and printf-style `bytes % args`, against CPython 3.11 (tests/fixtures/
// gen_bytes_extra_fixtures.py: results, errors, identity, getsizeof); then end-to-end programs
// (tests/fixtures/bytes_format/*.py: __bytes__, subclasses, bytes(x)) with the interpreter's leak check.
import { describe, it, expect } from 'vitest';
import './strbytes_harness.js'; // first: fixes the module load order (see there)
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PyBytes_Type } from '../../../../runtime/objects/bytesobject.js';
import { type V, type Case, methodMap, runCases } from './strbytes_harness.js';
import { describeFixturePrograms } from '../../../fixture_programs.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const fx = JSON.parse(fs.readFileSync(path.join(HERE, '../../../fixtures/bytes_extra.json'), 'utf8')) as { recvs: V[]; cases: Case[] };

describe('bytes methods and % formatting vs CPython 3.11', () => {
  it(`${fx.cases.length} method/operator cases`, () => {
    const { failures, checked, skipped } = runCases(fx.recvs, fx.cases, methodMap(PyBytes_Type));
    expect(failures.slice(0, 40), `${failures.length} failures`).toEqual([]);
    // skipped: arity checks made by the method wrappers, not by the methods
    expect(checked).toBeGreaterThan(fx.cases.length * 0.99);
    if (skipped.size) console.log('skipped:', Object.fromEntries(skipped));
  });
});

describeFixturePrograms('bytes programs vs CPython 3.11', 'bytes_format', 'bytes_');
