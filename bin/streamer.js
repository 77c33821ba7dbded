#!/usr/bin/env node
// Thin launcher: the product lives in dist/ (built by `npm run build`).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const entry = new URL('../dist/cli.js', import.meta.url);
if (!existsSync(fileURLToPath(entry))) {
  process.stderr.write('streamer: not built yet — run `npm run build` (or `npm install`) first\n');
  process.exit(1);
}
// Before the program loads: V8's memory reducer is armed at start-up and would
// spend ~80 ms of CPU mid-stream for a few MB (dist/session/gc-tuning.js).
const { holdMemoryReducer } = await import(new URL('../dist/session/gc-tuning.js', import.meta.url).href);
holdMemoryReducer();
// React's development build checks every render at several times the cost; the dashboard is not a dev tool.
process.env.NODE_ENV ??= 'production';
const { main } = await import(entry.href);
await main(process.argv.slice(2));
