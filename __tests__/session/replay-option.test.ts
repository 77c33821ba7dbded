// A session keeps the replay ring only where something can save it: the
// dashboard's `s`. Headless sessions ({ replay: false }) copy nothing into it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { silentLogger } from '../../src/logging/logger.js';
import type { SessionConfig } from '../../src/session/config.js';
import { ReceiveSession } from '../../src/session/session.js';
import { tmpDir } from '../helpers/cli.js';

function config(): SessionConfig {
  return { format: { rate: 44100, channels: 1 }, sink: { kind: 'null' }, jitter: { mode: 'fixed', ms: 40 }, recordDir: tmpDir(), codec: 'l16' } as unknown as SessionConfig;
}

test('a headless session keeps no replay ring: saving one says so; a dashboard session keeps one', async () => {
  const headless = new ReceiveSession(config(), silentLogger(), { replay: false });
  await assert.rejects(headless.saveReplay(), /^Error: replay: this session keeps none/);
  const shown = new ReceiveSession(config(), silentLogger());
  await assert.rejects(shown.saveReplay(), /replay: nothing has played yet/);
});
