import { Text } from 'ink';
import type { RecorderState } from '../bridge/types.js';
import { useColor } from '../contexts/theme-context.js';
import { fmtBytes, fmtClock } from '../text-format.js';
import { ascii } from '../glyph-text.js';
import { GlyphText } from './GlyphText.js';

// In stand-ins (see ../glyph-text.ts): this row is drawn in every frame.
const IDLE = ascii('○ not recording (r to record, t for a timed recording)');

/** `● REC Recording/x.wav  0:12 / 0:30  1.2 MiB`, or how to start one. */
export function RecordingLine({ state }: { state: RecorderState }) {
  const c = useColor();
  if (!state.recording) {
    return (
      <GlyphText>
        <Text color={c('gray')}>{IDLE}</Text>
      </GlyphText>
    );
  }
  const until = state.untilS === null ? '' : ` / ${fmtClock(state.untilS)}`;
  return (
    <Text wrap="truncate-middle">
      <Text color={c('red')} bold>
        ● REC
      </Text>
      {` ${fmtClock(state.elapsedS)}${until}  ${fmtBytes(state.bytes)}  ${state.path ?? ''}`}
    </Text>
  );
}
