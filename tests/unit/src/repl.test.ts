// The interactive prompt, driven through a real pseudo-terminal (tmux): prompts `>>> ` and
// `... `, values of expression statements echoed, a compound statement finished by an empty
// line, and an exception printed without ending the session.
import { describe, it, expect } from 'vitest';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const pymem = path.join(root, 'bin', 'pymem');
const hasTmux = spawnSync('tmux', ['-V']).status === 0;

function tmux(...args: string[]): string {
  const r = spawnSync('tmux', args, { encoding: 'utf8' });
  return r.stdout;
}
function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}
function waitFor(session: string, text: string, timeoutMs: number): string {
  const end = Date.now() + timeoutMs;
  let screen = '';
  while (Date.now() < end) {
    screen = tmux('capture-pane', '-p', '-t', session);
    if (screen.includes(text)) return screen;
    sleep(200);
  }
  return screen;
}

describe('REPL through a pseudo-terminal', () => {
  it.runIf(hasTmux)('shows prompts, echoes values and survives an exception', () => {
    const session = `pymem-repl-${process.pid}`;
    tmux('new-session', '-d', '-s', session, '-x', '120', '-y', '40', `PYTHONHASHSEED=0 ${pymem}`);
    try {
      // (tmux's capture-pane drops trailing spaces, so prompts are matched without theirs)
      expect(waitFor(session, '>>>', 120_000)).toContain('>>>');
      const send = (line: string): void => {
        tmux('send-keys', '-t', session, '-l', line);
        tmux('send-keys', '-t', session, 'Enter');
      };
      send('1 + 2');
      expect(waitFor(session, '3\n>>>', 30_000)).toMatch(/>>> 1 \+ 2\n3\n>>>/);
      send('def f(x):');
      expect(waitFor(session, '...', 30_000)).toMatch(/>>> def f\(x\):\n\.\.\./);
      send('    return x * 2');
      send('');
      send('f(21)');
      expect(waitFor(session, '42', 30_000)).toContain('42');
      send('1/0');
      const afterError = waitFor(session, 'ZeroDivisionError: division by zero', 30_000);
      expect(afterError).toContain('Traceback (most recent call last):');
      expect(afterError).toContain('ZeroDivisionError: division by zero');
      send('"still " + "alive"');
      expect(waitFor(session, "'still alive'", 30_000)).toContain("'still alive'");
      send('None');
      send('[x * x for x in range(4)]');
      const last = waitFor(session, '[0, 1, 4, 9]', 30_000);
      expect(last).toContain('[0, 1, 4, 9]');
      expect(last).not.toMatch(/^None$/m);
    } finally {
      tmux('kill-session', '-t', session);
    }
  });
});
