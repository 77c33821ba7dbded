// The layer rules of eslint.config.js bite: each wrong import below is
// reported, and the same import from a layer that may make it is not.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const eslint = new ESLint({ cwd: ROOT });

/** Rule ids ESLint reports for `code` as if it were the file at `path` (the file need not exist). */
async function rulesFor(path: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: `${ROOT}/${path}` });
  return (result?.messages ?? []).map((m) => m.ruleId ?? m.message);
}

const ui = `import { fmtBytes } from '../ui/text-format.js';\nexport const f = fmtBytes;\n`;

test('the session importing the UI is an error', async () => {
  assert.deepEqual(await rulesFor('src/session/probe.ts', ui), ['import/no-restricted-paths']);
});

test('the core importing the session is an error, however the path is spelt', async () => {
  const code = `import type { SessionConfig } from '../../session/config.js';\nexport type C = SessionConfig;\n`;
  assert.deepEqual(await rulesFor('src/audio/playout/probe.ts', code), ['import/no-restricted-paths']);
  const spelt = `import type { SessionConfig } from '../../audio/../session/config.js';\nexport type C = SessionConfig;\n`;
  assert.deepEqual(await rulesFor('src/net/rtp/probe.ts', spelt), ['import/no-restricted-paths']);
});

test('audio and net do not import each other', async () => {
  const code = `import { deserializeRtp } from '../net/rtp/rtp.js';\nexport const d = deserializeRtp;\n`;
  assert.deepEqual(await rulesFor('src/audio/probe.ts', code), ['import/no-restricted-paths']);
});

test('ui/ reaches the session only through ui/bridge/', async () => {
  const code = `import type { Snapshot } from '../../session/session.js';\nexport type S = Snapshot;\n`;
  assert.deepEqual(await rulesFor('src/ui/screens/Probe.tsx', code), ['import/no-restricted-paths']);
  assert.deepEqual(await rulesFor('src/ui/bridge/probe.ts', code), []);
});

test('the allowed direction passes: the session imports the core', async () => {
  const code = `import { LevelMeter } from '../audio/meter.js';\nexport const m = LevelMeter;\n`;
  assert.deepEqual(await rulesFor('src/session/probe.ts', code), []);
});

test('console.* in src is an error', async () => {
  assert.deepEqual(await rulesFor('src/net/probe.ts', `console.log('hi');\n`), ['no-console']);
});
