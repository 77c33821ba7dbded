// The level meter drawn in place. Nearly every dashboard frame (9 in 10)
// changes only the meter's rows, and each used to be a whole React render,
// Yoga layout and Ink frame (BENCHMARKS.md "Dashboard cost": most of the
// dashboard's CPU over headless). Now the meter's rows are written straight
// to the terminal where Ink's last frame put them, the cursor saved and put
// back around them, and Ink draws only when something else changes. Ink's
// own frames carry the latest meter too: every write Ink makes to the
// terminal is followed, within the same write (inside its synchronized-update
// pair when it uses one), by the meter's rows, so a frame drawn from an older
// React state never shows an older meter.
//
// Positions are relative to where Ink leaves the cursor: the start of the row
// under its frame (a frame shorter than the terminal ends in a newline, and
// the dashboard keeps one row spare), or its last row when Ink cleared the
// screen first (the first frame after the terminal shrank). So the rows land
// right wherever the frame starts. Where that cannot be relied on (nothing drawn yet, a frame as
// tall as the terminal, a resize Ink has not drawn yet), `show` returns false
// and the meter renders through React as before.
import type { DOMElement } from 'ink';
import { fmtDb } from './text-format.js';
import { scaleLine, vuCells, type VuState } from './vu-scale.js';

const SGR = { green: '\x1b[32m', yellow: '\x1b[33m', red: '\x1b[31m', gray: '\x1b[90m' } as const;
const FG_OFF = '\x1b[39m';
const SAVE = '\x1b7';
const RESTORE = '\x1b8';
/** Ink's synchronized-update pair (DEC mode 2026), each written on its own. */
export const SYNC_BEGIN = '\x1b[?2026h';
export const SYNC_END = '\x1b[?2026l';
/** In Ink's writes: a frame drawn after clearing the screen (its first after shrinking) ends on its last row, not under it… */
const CLEAR_SCREEN = '\x1b[2J';
/** …and one drawn over the previous frame (log-update erases its lines first) ends under it. */
const ERASE_LINE = '\x1b[2K';

export type MeterColor = keyof typeof SGR;
/** Some cells of a row: text in a colour, or plain (undefined). */
export type Run = readonly [text: string, color: MeterColor | undefined];

/** Label column plus ` -60.0 dBFS` after the bar. */
export const METER_CHROME = 5 + 12;

/**
 * A row of `runs` as the terminal gets it, `cells` columns exactly: shorter
 * is padded with blanks (over what the previous row left), longer is cut as
 * Ink's truncate-end cuts (the last cell an ellipsis). One column a
 * character: the meter's glyphs are all single-width.
 */
export function paintRow(runs: readonly Run[], cells: number, color: boolean): string {
  let out = '';
  let used = 0;
  let total = 0;
  for (const [text] of runs) total += text.length;
  const room = total > cells ? cells - 1 : cells;
  for (const [text, c] of runs) {
    if (used >= room) break;
    const part = text.length > room - used ? text.slice(0, room - used) : text;
    if (part.length === 0) continue;
    out += color && c ? `${SGR[c]}${part}${FG_OFF}` : part;
    used += part.length;
  }
  if (total > cells && cells > 0) {
    out += '…';
    used++;
  }
  return used < cells ? out + ' '.repeat(cells - used) : out;
}

/** `peak ██████████████····│··· -6.0 dBFS`: the runs of one bar `bar` cells wide (as VuMeter draws it). */
export function vuRuns(label: string, dbfs: number, holdDbfs: number | undefined, bar: number): Run[] {
  const v = vuCells(dbfs, holdDbfs, bar);
  const runs: Run[] = [
    [label.padEnd(5), undefined],
    ['█'.repeat(v.green), 'green'],
    ['█'.repeat(v.yellow), 'yellow'],
    ['█'.repeat(v.red), 'red'],
    ['·'.repeat(v.restBefore), 'gray'],
  ];
  if (v.hold) runs.push(['│', v.hold]);
  runs.push(['·'.repeat(v.restAfter), 'gray'], [` ${fmtDb(dbfs).padStart(6)} dBFS`, undefined]);
  return runs;
}

/** The bar's width in a meter `width` columns wide. */
export const meterBar = (width: number): number => Math.max(10, width - METER_CHROME);

/** The scale under the bar and the held peak's figure (LevelMeters' third row). */
export function scaleRuns(holdDbfs: number, bar: number): Run[] {
  return [[`${' '.repeat(5)}${scaleLine(bar).padEnd(bar)}  hold ${fmtDb(holdDbfs)}`, 'gray']];
}

/** LevelMeters' rows for `vu`, `cells` columns each: peak, RMS, and the scale unless left out. */
export function meterRows(vu: VuState, width: number, scale: boolean, cells: number, color: boolean): string[] {
  const bar = meterBar(width);
  const rows = [vuRuns('peak', vu.peakDbfs, vu.holdDbfs, bar), vuRuns('rms', vu.rmsDbfs, undefined, bar)];
  if (scale) rows.push(scaleRuns(vu.holdDbfs, bar));
  return rows.map((r) => paintRow(r, cells, color));
}

/** The meter's rows for a box `cells` columns wide. */
export type MeterPainter = (cells: number) => string[];

/** What the meter component needs of the overlay (absent: it always renders through React). */
export interface MeterOverlayService {
  /** The meter's box: its rows go over every Ink write from now until the function returned is called. */
  attach(node: () => DOMElement | null): () => void;
  /** The meter changed: draws it now, in place; false when it cannot (then render it). */
  show(paint: MeterPainter): boolean;
}

interface Place {
  /** Frame rows from the meter's top row to the row under the frame, where Ink leaves the cursor. */
  up: number;
  x: number;
  width: number;
  height: number;
  /** The terminal's size when Ink drew the frame. */
  columns: number;
  rows: number;
}

/** Where `el` is in its Ink frame, or undefined when the frame fills the terminal (Ink then stops ending it in a newline). */
function placeOf(el: DOMElement, terminalRows: number): Omit<Place, 'columns' | 'rows'> | undefined {
  const own = el.yogaNode;
  if (!own) return undefined;
  let x = 0;
  let y = 0;
  let root: DOMElement = el;
  for (let n: DOMElement | undefined = el; n; n = n.parentNode) {
    if (!n.yogaNode) continue;
    x += n.yogaNode.getComputedLeft();
    y += n.yogaNode.getComputedTop();
    root = n;
  }
  const frameHeight = root.yogaNode?.getComputedHeight() ?? Infinity;
  if (!(frameHeight < terminalRows)) return undefined;
  return { up: frameHeight - y, x, width: own.getComputedWidth(), height: own.getComputedHeight() };
}

/**
 * Between Ink and the terminal. `stream` is what Ink is given to draw on (the
 * terminal, with each of Ink's writes followed by the meter); `show` draws the
 * meter alone between frames.
 */
export class MeterOverlay implements MeterOverlayService {
  readonly stream: NodeJS.WriteStream;
  private node: (() => DOMElement | null) | undefined;
  private paint: MeterPainter | undefined;
  private place: Place | undefined;
  private inSync = false;
  /** Ink's last frame left the cursor on its last row (see CLEAR_SCREEN). */
  private onLastRow = false;
  /** Meter redraws written between Ink's frames. */
  shown = 0;

  /** `color`: whether the terminal shows colour as Ink draws it (false: the rows go without SGR codes, as Ink's would). */
  constructor(
    private readonly out: NodeJS.WriteStream,
    private readonly color = true,
  ) {
    const write = (chunk: unknown, ...rest: unknown[]): boolean =>
      (out.write as (c: unknown, ...r: unknown[]) => boolean)(typeof chunk === 'string' ? this.withMeter(chunk) : chunk, ...rest);
    this.stream = new Proxy(out, {
      get(target, prop) {
        if (prop === 'write') return write;
        const v: unknown = Reflect.get(target, prop, target);
        return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
      },
    });
  }

  attach(node: () => DOMElement | null): () => void {
    this.node = node;
    this.place = undefined;
    return () => {
      if (this.node !== node) return;
      this.node = undefined;
      this.paint = undefined;
      this.place = undefined;
    };
  }

  show(paint: MeterPainter): boolean {
    this.paint = paint;
    const p = this.place;
    if (!p || !this.node || p.columns !== this.out.columns || p.rows !== this.out.rows) return false;
    this.out.write(this.sequence(p, paint));
    this.shown++;
    return true;
  }

  /** Ink's write, with the meter after it (a frame's: inside its synchronized update); where the meter is, as of this frame. */
  private withMeter(chunk: string): string {
    if (chunk.includes(CLEAR_SCREEN)) this.onLastRow = true;
    else if (chunk.includes(ERASE_LINE)) this.onLastRow = false;
    if (!this.node) return chunk;
    if (chunk === SYNC_BEGIN) {
      this.inSync = true;
      return chunk;
    }
    const closing = chunk === SYNC_END;
    if (closing) this.inSync = false;
    else if (this.inSync) return chunk;
    const el = this.node();
    const at = el ? placeOf(el, this.out.rows) : undefined;
    this.place = at ? { ...at, up: at.up - (this.onLastRow ? 1 : 0), columns: this.out.columns, rows: this.out.rows } : undefined;
    if (!this.place || !this.paint) return chunk;
    const seq = this.sequence(this.place, this.paint);
    return closing ? seq + chunk : chunk + seq;
  }

  /** The meter's rows, each from the saved cursor (the row under the frame) up to its own row. */
  private sequence(p: Place, paint: MeterPainter): string {
    const rows = paint(p.width).slice(0, p.height);
    if (!this.color) for (let i = 0; i < rows.length; i++) rows[i] = rows[i]!.replace(/\x1b\[\d+m/g, '');
    let s = SAVE;
    rows.forEach((row, i) => {
      const up = p.up - i;
      if (up <= 0) return;
      s += `${i === 0 ? '' : RESTORE}\x1b[${up}A\r${p.x > 0 ? `\x1b[${p.x}C` : ''}${row}`;
    });
    return s + RESTORE;
  }
}
