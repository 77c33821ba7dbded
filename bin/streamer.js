#!/usr/bin/env node
// Thin launcher: the product lives in dist/ (built by `npm run build`).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const entry = new URL('../dist/cli.js', import.meta.url);
if (!existsSync(fileURLToPath(entry))) {
  process.stderr.write('streamer: not built yet — run `npm run build` (or `npm install`) first\n');
  process.exit(1);
}
// React's development build checks every render at several times the cost; the dashboard is not a dev tool.
process.env.NODE_ENV ??= 'production';
const { main } = await import(entry.href);
await main(process.argv.slice(2));
