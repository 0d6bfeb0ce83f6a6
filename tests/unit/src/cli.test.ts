// The `pymem` command follows python3's conventions: argv, -c, a script from stdin, exit
// statuses (sys.exit, SystemExit, uncaught exceptions), where errors go, -X showrefcount, and
// PYTHONMALLOC modes not changing a program's output. Expected outputs were recorded from
// CPython 3.11 by tests/fixtures/cli/gen_cli.py.
import { describe, it, expect } from 'vitest';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const pymem = path.join(root, 'bin', 'pymem');
const fx = JSON.parse(fs.readFileSync(path.join(root, 'tests/fixtures/cli/cli.json'), 'utf8')) as {
  cases: { name: string; args: string[]; stdin: string; files: Record<string, string>; stdout: string; stderr: string; code: number }[];
};

function runPymem(args: string[], opts: { stdin?: string; files?: Record<string, string>; env?: Record<string, string> } = {}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pymem-cli-'));
  try {
    for (const [name, text] of Object.entries(opts.files ?? {})) fs.writeFileSync(path.join(dir, name), text);
    const r = spawnSync(pymem, args, {
      cwd: dir,
      input: opts.stdin ?? '',
      encoding: 'utf8',
      env: { PATH: process.env.PATH ?? '', PYTHONHASHSEED: '0', ...(opts.env ?? {}) },
      timeout: 120_000,
    });
    return { stdout: r.stdout, stderr: r.stderr.split(dir + '/').join('<DIR>/'), code: r.status };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

describe('pymem command line (as python3)', () => {
  for (const c of fx.cases) {
    it(c.name, () => {
      const r = runPymem(c.args, { stdin: c.stdin, files: c.files });
      expect({ stdout: r.stdout, stderr: r.stderr, code: r.code }).toEqual({ stdout: c.stdout, stderr: c.stderr, code: c.code });
    });
  }

  it('-X showrefcount ends stderr with [N refs, M blocks]', () => {
    const r = runPymem(['-X', 'showrefcount', '-c', 'x = [1, 2, 3]\nprint(len(x))']);
    expect(r.stdout).toBe('3\n');
    expect(r.stderr).toMatch(/^\[\d+ refs, \d+ blocks\]\n$/);
    expect(r.code).toBe(0);
  });

  it('every PYTHONMALLOC mode gives the same output', () => {
    const prog = 'd = {str(i) * (i % 7): i for i in range(200)}\nl = sorted(d, key=len)\nprint(len(l), sum(map(len, l)), l[-1], [d[k] for k in l[:3]])\n';
    const outs = ['pymalloc', 'malloc', 'debug', 'pymalloc_debug', 'malloc_debug'].map((m) => runPymem(['-c', prog], { env: { PYTHONMALLOC: m } }));
    for (const o of outs) expect({ stdout: o.stdout, stderr: o.stderr, code: o.code }).toEqual({ stdout: '168 1449 195195195195195195 [196, 1, 8]\n', stderr: '', code: 0 });
  });

  it('-X heap=SIZE limits the heap: running out raises MemoryError, which a program can catch', () => {
    const prog = 'l = []\ntry:\n    while True:\n        l.append("x" * 100000)\nexcept MemoryError:\n    n = len(l)\n    l = None\n    print("caught", 100 < n < 640)\n';
    const r = runPymem(['-X', 'heap=64M', '-c', prog]);
    expect({ stdout: r.stdout, stderr: r.stderr, code: r.code }).toEqual({ stdout: 'caught True\n', stderr: '', code: 0 });
  });

  it('an unknown option is a usage error (exit 2)', () => {
    const r = runPymem(['--no-such-option']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('Unknown option: --no-such-option');
  });
});
