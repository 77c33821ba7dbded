// Ink 6 turns every line of every frame into styled characters and measures
// it again, with caches that live for one frame. On the dashboard only the
// meters change between frames, so keeping those caches across frames (and
// bounded) takes most of the drawing cost away. Ink's Output is internal: if
// its shape is not what this expects, nothing is changed.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

interface Caches {
  widths: Map<unknown, unknown>;
  blockWidths: Map<unknown, unknown>;
  styledChars: Map<unknown, unknown>;
}
interface OutputLike {
  caches?: Caches;
}

/** Entries kept before the shared caches start over (a few hundred distinct lines are in play). */
const MAX_ENTRIES = 4000;

export async function shareInkFrameCaches(): Promise<boolean> {
  try {
    const index = createRequire(import.meta.url).resolve('ink');
    const mod = (await import(pathToFileURL(join(dirname(index), 'output.js')).href)) as { default?: { prototype: { get?: () => unknown } } };
    const proto = mod.default?.prototype;
    const get = proto?.get;
    if (!proto || typeof get !== 'function') return false;
    let shared: Caches | undefined;
    proto.get = function (this: OutputLike) {
      const own = this.caches;
      if (own && own.styledChars instanceof Map && own.widths instanceof Map && own.blockWidths instanceof Map) {
        if (!shared || shared.styledChars.size + shared.widths.size + shared.blockWidths.size > MAX_ENTRIES) shared = own;
        else this.caches = shared;
      }
      return get.call(this);
    };
    return true;
  } catch {
    return false;
  }
}
