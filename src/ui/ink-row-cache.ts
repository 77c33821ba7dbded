// Ink 6 builds every frame as a grid of styled characters and turns each row
// back into a string, diffing the styles of every neighbouring pair of
// cells: on the dashboard that was the largest part of drawing a frame
// (profiled: @alcalzone/ansi-tokenize's styledCharsToString), though only the
// meters' rows change between most frames. This keeps each row's string by
// what was written into it (positions and text, after transforms) and
// rebuilds only rows whose writes changed — the same algorithm as Ink's
// Output.get, row by row. A frame with clipping (overflow="hidden") goes to
// Ink's own code. Ink's Output is internal: if its shape is not what this
// expects, nothing is changed.
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

interface StyledChar {
  type: 'char';
  value: string;
  fullWidth: boolean;
  styles: unknown[];
}
interface Operation {
  type: 'write' | 'clip' | 'unclip';
  x: number;
  y: number;
  text: string;
  transformers: ((line: string, index: number) => string)[];
}
interface OutputLike {
  width: number;
  height: number;
  operations: Operation[];
  caches: { getStyledChars(line: string): StyledChar[]; getStringWidth(text: string): number };
}
type ToString = (chars: StyledChar[]) => string;

/** Rows kept before the cache starts over (a frame has ~30; the meters make a few hundred variants). */
const MAX_ROWS = 2000;

async function loadToString(inkDir: string): Promise<ToString | undefined> {
  const local = join(inkDir, '..', 'node_modules', '@alcalzone', 'ansi-tokenize', 'build', 'index.js');
  const spec = existsSync(local) ? pathToFileURL(local).href : '@alcalzone/ansi-tokenize';
  const mod = (await import(spec)) as { styledCharsToString?: ToString };
  return typeof mod.styledCharsToString === 'function' ? mod.styledCharsToString : undefined;
}

/** One row as Ink's Output.get draws it: blank cells, then each write's characters in order. */
function drawRow(out: OutputLike, pieces: readonly [number, string][], toString: ToString): string {
  const row: (StyledChar | undefined)[] = [];
  for (let x = 0; x < out.width; x++) row.push({ type: 'char', value: ' ', fullWidth: false, styles: [] });
  for (const [x, line] of pieces) {
    let offsetX = x;
    for (const ch of out.caches.getStyledChars(line)) {
      row[offsetX] = ch;
      const w = Math.max(1, out.caches.getStringWidth(ch.value));
      for (let i = 1; i < w; i++) row[offsetX + i] = { type: 'char', value: '', fullWidth: false, styles: ch.styles };
      offsetX += w;
    }
  }
  return toString(row.filter((c): c is StyledChar => c !== undefined)).trimEnd();
}

let patched: Promise<boolean> | undefined;

/** Patches Ink's Output once; true when its rows are cached from now on. */
export function cacheInkRows(): Promise<boolean> {
  patched ??= patch();
  return patched;
}

async function patch(): Promise<boolean> {
  try {
    const index = createRequire(import.meta.url).resolve('ink');
    const mod = (await import(pathToFileURL(join(dirname(index), 'output.js')).href)) as { default?: { prototype: { get?: () => unknown } } };
    const proto = mod.default?.prototype;
    const inkGet = proto?.get;
    const toString = await loadToString(dirname(dirname(index)));
    if (!proto || typeof inkGet !== 'function' || !toString) return false;
    const rows = new Map<string, string>();
    proto.get = function (this: OutputLike) {
      const ops = this.operations;
      if (!Array.isArray(ops) || !this.caches || ops.some((op) => op.type !== 'write')) return inkGet.call(this);
      const pieces: [number, string][][] = Array.from({ length: this.height }, () => []);
      for (const op of ops) {
        const lines = op.text.split('\n');
        for (let i = 0; i < lines.length; i++) {
          const y = op.y + i;
          if (y < 0 || y >= this.height) break; // Ink stops at the first row outside the frame
          let line = lines[i]!;
          for (const t of op.transformers) line = t(line, i);
          pieces[y]!.push([op.x, line]);
        }
      }
      const text = pieces
        .map((p) => {
          const key = p.map(([x, line]) => `${x}\u0000${line}`).join('\u0001');
          let s = rows.get(key);
          if (s === undefined) {
            s = drawRow(this, p, toString);
            if (rows.size >= MAX_ROWS) rows.clear();
            rows.set(key, s);
          }
          return s;
        })
        .join('\n');
      return { output: text, height: this.height };
    };
    return true;
  } catch {
    return false;
  }
}
