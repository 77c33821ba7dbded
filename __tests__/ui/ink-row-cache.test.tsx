/** @jsxRuntime automatic */ // tsx applies tsconfig.json (src/ only) to src, so tests name their JSX runtime
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import chalk from 'chalk';
import { cacheInkRows } from '../../src/ui/ink-row-cache.js';

interface OutputCtor {
  new (o: { width: number; height: number }): {
    write(x: number, y: number, text: string, o: { transformers: ((s: string, i: number) => string)[] }): void;
    clip(c: { x1?: number; x2?: number; y1?: number; y2?: number }): void;
    unclip(): void;
    get(): { output: string; height: number };
  };
}

async function inkOutput(): Promise<OutputCtor> {
  const index = createRequire(import.meta.url).resolve('ink');
  return ((await import(pathToFileURL(join(dirname(index), 'output.js')).href)) as { default: OutputCtor }).default;
}

/** A small deterministic generator, so a failure can be replayed. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}

// Ink's own, before anything patches it.
const Output = await inkOutput();
const inkGet = Output.prototype.get;

test('Ink still has the Output this caches rows of (else the dashboard silently draws at the old cost)', async () => {
  assert.equal(await cacheInkRows(), true);
});

test('rows drawn from the cache are the very frames Ink draws itself, frame after frame', async () => {
  assert.equal(await cacheInkRows(), true);
  const cachedGet = Output.prototype.get;
  assert.notEqual(cachedGet, inkGet);
  const was = chalk.level;
  chalk.level = 1;
  try {
    const rand = rng(16);
    const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
    const words = ['peak', '█████', '·····', 'loss 4.0 %', '▁▂▃▄▅▆▇█', '──────', '漢字', '✓', 'a\nb', ''];
    const styles = [(s: string) => s, chalk.red, chalk.green.bold, chalk.gray, chalk.inverse];
    const upper = (s: string) => s.toUpperCase();
    const frames: { x: number; y: number; text: string; t: ((s: string, i: number) => string)[] }[][] = [];
    for (let f = 0; f < 200; f++) {
      // Mostly the same writes as the frame before (as on the dashboard), some changed, some out of the frame.
      const prev = frames.at(-1) ?? [];
      const next = prev.filter(() => rand() > 0.2);
      for (let n = Math.floor(rand() * 4); n > 0; n--) {
        next.push({ x: Math.floor(rand() * 44) - 2, y: Math.floor(rand() * 14) - 2, text: pick(styles)(pick(words) + pick(words)), t: rand() < 0.2 ? [upper] : [] });
      }
      frames.push(next);
    }
    for (const [i, ops] of frames.entries()) {
      const draw = (get: typeof inkGet) => {
        const o = new Output({ width: 40, height: 10 });
        for (const op of ops) o.write(op.x, op.y, op.text, { transformers: op.t });
        return get.call(o);
      };
      assert.deepEqual(draw(cachedGet), draw(inkGet), `frame ${i}`);
    }
    // A frame that clips is Ink's to draw.
    const o = new Output({ width: 20, height: 3 });
    o.clip({ x1: 0, x2: 5 });
    o.write(0, 0, 'clipped here and not further', { transformers: [] });
    o.unclip();
    assert.equal(o.get().output.split('\n')[0], 'clipp');
  } finally {
    chalk.level = was;
  }
});
