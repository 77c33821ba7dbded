import { Text } from 'ink';
import type { Phase } from '../state/dashboard-reducer.js';
import type { DashboardInfo } from '../contexts/services-context.js';
import { useColor } from '../contexts/theme-context.js';
import { fitParts, fmtClock } from '../text-format.js';

/**
 * `streamer  RECEIVER  running 0:12  TCP 0.0.0.0:5004  sink null  10 ms frames`:
 * what changes first; the source/sink and the frame size go, last first, when
 * `width` is too narrow for them (80 columns keep the sender's tone).
 */
export function Header({ info, phase, uptimeS, width, demo = false }: { info: DashboardInfo; phase: Phase; uptimeS: number; width: number; demo?: boolean }) {
  const c = useColor();
  const role = info.role === 'sender' ? 'SENDER' : 'RECEIVER';
  const lead = `streamer  ${role}   `; // as drawn below: the role padded by a space each side, inverse
  const io = info.role === 'sender' ? `source ${info.io}` : `sink ${info.io}`;
  const [, ...rest] = fitParts(
    [`${phase} ${fmtClock(uptimeS)}`, ...(demo ? ['demo (v: other end)'] : []), `${info.protocol.toUpperCase()} ${info.endpoint}`, io, `${info.frameMs} ms frames`],
    width - lead.length,
    demo ? 3 : 2,
  );
  return (
    <Text wrap="truncate-end">
      <Text bold>streamer </Text>
      <Text bold inverse color={c(info.role === 'sender' ? 'magenta' : 'cyan')}>
        {` ${role} `}
      </Text>
      {'  '}
      <Text color={c(phase === 'running' ? 'green' : 'yellow')}>{phase}</Text>
      {` ${fmtClock(uptimeS)}`}
      {rest.map((p) => `  ${p}`).join('')}
    </Text>
  );
}
