/** @jsxRuntime automatic */ // tsx applies tsconfig.json (src/ only) to src, so tests name their JSX runtime
// The meter drawn in place, through real Ink onto a terminal model: a level
// change is drawn without an Ink frame, lands on the meter's rows and nowhere
// else, and a frame Ink draws later (from an older React state) still shows
// the latest meter. Where the overlay cannot place the rows, the change is
// rendered as before.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { Writable } from 'node:stream';
import { colourRuns, VtScreen } from '../helpers/vt-screen.js';

// Ink draws only its last frame when it thinks it runs in CI (is-in-ci, read once when Ink loads):
// these tests need its terminal path, so CI's variables go before anything loads Ink.
for (const k of Object.keys(process.env)) if (k === 'CI' || k === 'CONTINUOUS_INTEGRATION' || k.startsWith('CI_')) delete process.env[k];
const { render, Box, Text } = await import('ink');
const chalk = (await import('chalk')).default;
const { LevelMeters } = await import('../../src/ui/components/LevelMeters.js');
const { MeterOverlay, meterRows, SYNC_BEGIN } = await import('../../src/ui/meter-overlay.js');
const { ServicesProvider } = await import('../../src/ui/contexts/services-context.js');
const { ThemeProvider } = await import('../../src/ui/contexts/theme-context.js');
const { INK_OPTIONS } = await import('../../src/ui/run-dashboard.js');
const { nextVu, SILENT_VU } = await import('../../src/ui/vu-scale.js');
const { fakes } = await import('./fakes.js');

class FakeTty extends Writable {
  readonly isTTY = true;
  columns = 90;
  rows = 20;
  readonly chunks: string[] = [];
  override _write(c: Buffer, _e: BufferEncoding, cb: () => void): void {
    this.chunks.push(c.toString('utf8'));
    cb();
  }
}

const WIDTH = 80;
const METER_TOP = 2; // the header and the note above it

function setup() {
  chalk.level = 1; // as a 16-colour terminal (the runner sets FORCE_COLOR=0)
  const tty = new FakeTty();
  const overlay = new MeterOverlay(tty as unknown as NodeJS.WriteStream, true);
  const session = Object.assign(new EventEmitter(), { role: 'receiver' as const, snapshot: undefined, saveReplay: () => Promise.reject(new Error('no')) });
  let t = 0;
  const services = { ...fakes().services, session, now: () => t, meterOverlay: overlay };
  function Screen({ note, height }: { note: string; height?: number }) {
    return (
      <Box flexDirection="column" width={WIDTH} height={height}>
        <Text>streamer header</Text>
        <Text color="cyan">{note}</Text>
        <LevelMeters width={WIDTH} />
        <Text>below the meter</Text>
      </Box>
    );
  }
  const tree = (note: string, height?: number) => (
    <ThemeProvider theme={{ color: true }}>
      <ServicesProvider services={services}>
        <Screen note={note} height={height} />
      </ServicesProvider>
    </ThemeProvider>
  );
  const ink = render(tree('first note'), { ...INK_OPTIONS, stdout: overlay.stream, patchConsole: false });
  let vu = { ...SILENT_VU, atMs: 0 };
  return {
    tty,
    overlay,
    ink,
    rerender: (note: string, height?: number) => ink.rerender(tree(note, height)),
    /** The session's level at time `at`; returns the meter state the screen should show. */
    level(peakDbfs: number, rmsDbfs: number, at: number) {
      t = at;
      vu = nextVu(vu, { peakDbfs, rmsDbfs }, at);
      session.emit('levels', { peakDbfs, rmsDbfs });
      return vu;
    },
    frames: () => tty.chunks.filter((c) => c === SYNC_BEGIN).length,
    /** The screen after every write from chunk `from` on (from a clear of the screen, what came before does not matter). */
    screen(from = 0): VtScreen {
      const v = new VtScreen(tty.columns, tty.rows);
      for (const c of tty.chunks.slice(from)) v.write(c);
      return v;
    },
    done() {
      ink.unmount();
      chalk.level = 0;
    },
  };
}

const settle = (ms = 150) => new Promise<void>((r) => setTimeout(r, ms));

/** The meter rows the screen should show for `vu`, as colour runs. */
function expectedRows(vu: Parameters<typeof meterRows>[0]): string[] {
  const v = new VtScreen(WIDTH, 3);
  v.write(meterRows(vu, WIDTH, true, WIDTH, true).join('\r\n'));
  return [0, 1, 2].map((r) => colourRuns(v.cells(r)));
}

function meterOnScreen(v: VtScreen): string[] {
  return [0, 1, 2].map((r) => colourRuns(v.cells(METER_TOP + r, 0, WIDTH)));
}

test('level changes are drawn in place: no Ink frame, the meter rows right, the rest of the screen as it was', async () => {
  const s = setup();
  try {
    await settle();
    assert.ok(s.frames() >= 1, 'Ink drew its first frame');
    // The first change may come as a frame: the meter attaches after React commits, and its
    // place is taken from the next of Ink's writes.
    let shown = s.level(-40, -42, 100);
    await settle();
    const framesBefore = s.frames();
    const shownBefore = s.overlay.shown;
    const before = s.screen().text();
    assert.equal(before[0], 'streamer header');
    assert.deepEqual(meterOnScreen(s.screen()), expectedRows(shown));
    for (const [i, [peak, rms]] of [[-12, -15], [-3, -6], [-30, -33], [-50, -52]].entries()) {
      shown = s.level(peak!, rms!, 100 * (i + 2));
      await settle(30);
      const v = s.screen();
      assert.deepEqual(meterOnScreen(v), expectedRows(shown), `after level ${peak} dBFS`);
      assert.ok(v.line(METER_TOP).endsWith(`${shown.peakDbfs.toFixed(1)} dBFS`), `the bar's figure: ${v.line(METER_TOP)}`);
      for (const r of [0, 1, METER_TOP + 3, METER_TOP + 4]) assert.equal(v.line(r), before[r], `row ${r} untouched`);
    }
    assert.equal(s.frames(), framesBefore, 'no Ink frame for a meter-only change');
    assert.equal(s.overlay.shown - shownBefore, 4);
    // The cursor is back where Ink left it, under the frame.
    assert.deepEqual(s.screen().cursor, { row: METER_TOP + 4, col: 0 });
  } finally {
    s.done();
  }
});

test('a frame Ink draws later (its React state older than the meter) shows the latest meter', async () => {
  const s = setup();
  try {
    await settle();
    s.level(-20, -24, 100); // the first change, a frame (see above): React's state from here on is this one
    await settle();
    const shown = s.overlay.shown;
    const last = s.level(-9, -11, 200);
    await settle(30);
    assert.equal(s.overlay.shown, shown + 1, 'drawn in place');
    const frames = s.frames();
    s.rerender('second note');
    await settle();
    assert.equal(s.frames(), frames + 1, 'the note change is a frame');
    const v = s.screen();
    assert.equal(v.line(1), 'second note');
    assert.deepEqual(meterOnScreen(v), expectedRows(last));
  } finally {
    s.done();
  }
});

test('after the terminal shrinks (Ink clears the screen and its frame ends on its last row), the rows still land on the meter', async () => {
  const s = setup();
  try {
    s.rerender('tall', 19); // as the dashboard: one row short of the terminal
    await settle();
    s.level(-40, -42, 100); // the first change: a frame
    await settle();
    const from = s.tty.chunks.length;
    s.tty.rows = 12;
    s.rerender('shrunk', 11);
    s.tty.emit('resize');
    await settle();
    const cleared = s.tty.chunks.slice(from).findIndex((c) => c.includes('\x1b[2J'));
    assert.ok(cleared >= 0, 'Ink cleared the screen for the smaller frame');
    const shown = s.overlay.shown;
    const vu = s.level(-12, -15, 200);
    await settle(30);
    assert.equal(s.overlay.shown, shown + 1, 'drawn in place');
    const v = s.screen(from + cleared);
    assert.equal(v.line(1), 'shrunk');
    assert.deepEqual(meterOnScreen(v), expectedRows(vu));
    assert.equal(v.line(METER_TOP + 3), 'below the meter');
  } finally {
    s.done();
  }
});

test('a frame as tall as the terminal: the change is rendered by Ink instead, and still shows', async () => {
  const s = setup();
  try {
    await settle();
    s.tty.rows = 6; // the frame is 6 rows: Ink stops ending it in a newline, so the rows cannot be placed from the cursor
    s.tty.emit('resize');
    await settle();
    const frames = s.frames();
    const shownBefore = s.overlay.shown;
    s.level(-12, -15, 100);
    await settle();
    assert.equal(s.overlay.shown, shownBefore, 'not drawn in place');
    assert.ok(s.frames() > frames, 'rendered as a frame');
    assert.match(s.screen().text().join('\n'), /-12\.0 dBFS/);
  } finally {
    s.done();
  }
});

test('once the meter is unmounted nothing more is drawn over the screen', async () => {
  const s = setup();
  try {
    await settle();
    s.level(-12, -15, 100);
    await settle(30);
    s.ink.unmount();
    await settle(30);
    const n = s.tty.chunks.length;
    s.level(-3, -6, 200);
    await settle(30);
    assert.equal(s.tty.chunks.length, n);
  } finally {
    chalk.level = 0;
  }
});
