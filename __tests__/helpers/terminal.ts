// A real terminal for dashboard tests: a private tmux server (-L) runs a
// command in a 100×30 pane; send-keys types, capture-pane reads the screen.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import type { TestContext } from 'node:test';
import { sleep } from './cli.js';

/** `join`: read a line the terminal wrapped as one (tmux -J); off to see rows exactly as drawn. */
export function terminal(t: TestContext, cwd: string, command: string, env: NodeJS.ProcessEnv = {}, opts: { join?: boolean } = {}) {
  const sock = `streamer-test-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  const tmux = (...args: string[]) => spawnSync('tmux', ['-L', sock, ...args], { encoding: 'utf8' });
  const vars = Object.entries({ NO_COLOR: '1', ...env }).map(([k, v]) => `${k}=${v ?? ''}`);
  // Ink draws only its last frame where CI is set; a real terminal is what these tests are about.
  const full = `env -u CI -u CONTINUOUS_INTEGRATION ${vars.join(' ')} ${command}`;
  const r = tmux('new-session', '-d', '-s', 'main', '-x', '100', '-y', '30', '-c', cwd, full);
  assert.equal(r.status, 0, r.stderr);
  t.after(() => {
    tmux('kill-server');
    rmSync(join(process.env.TMUX_TMPDIR ?? '/tmp', `tmux-${process.getuid?.() ?? 0}`, sock), { force: true }); // tmux leaves it behind
  });
  /** Every screen read, for checks over the whole run. */
  const screens: string[] = [];
  const screen = (): string => {
    const s = tmux('capture-pane', '-p', ...(opts.join === false ? [] : ['-J']), '-t', 'main').stdout;
    screens.push(s);
    return s;
  };
  const waitFor = async (want: RegExp | ((s: string) => boolean), what: string, timeoutMs = 20_000): Promise<string> => {
    const until = Date.now() + timeoutMs;
    const re = want instanceof RegExp ? want : undefined;
    for (;;) {
      const s = screen();
      if (re ? re.test(s) : (want as (s: string) => boolean)(s)) return s;
      if (Date.now() > until) throw new Error(`timed out waiting for ${what} (${re ?? 'a condition'}); screen:\n${s}`);
      await sleep(200);
    }
  };
  const keys = (...k: string[]) => tmux('send-keys', '-t', 'main', ...k);
  const format = (f: string) => tmux('display-message', '-p', '-t', 'main', f).stdout.trim();
  const resize = (x: number, y: number) => tmux('resize-window', '-t', 'main', '-x', String(x), '-y', String(y));
  /** Kills the terminal under the program (as closing its window or a dropped ssh link does): SIGHUP, and the pty gone. */
  const close = () => tmux('kill-server');
  return { screen, screens, waitFor, keys, format, resize, close };
}

/** `sh -c 'CMD; echo $? > DIR/code; sleep 120'`: the exit code lands in a file, the pane stays to be read. */
export function keepPane(command: string, dir: string): string {
  return `sh -c '${command}; echo $? > ${dir}/code; sleep 120'`;
}

/** The exit code keepPane wrote, once it is there (null past the deadline). */
export async function exitCode(dir: string, timeoutMs: number): Promise<string | null> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (existsSync(join(dir, 'code'))) return readFileSync(join(dir, 'code'), 'utf8').trim();
    await sleep(100);
  }
  return null;
}
