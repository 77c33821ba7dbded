import { Text } from 'ink';
import type { Phase } from '../state/dashboard-reducer.js';
import type { DashboardInfo } from '../contexts/services-context.js';
import { useColor } from '../contexts/theme-context.js';
import { fmtClock } from '../text-format.js';

/** `streamer  RECEIVER  running 0:12  TCP 0.0.0.0:5004  sink null  10 ms frames`: what changes first, so 80 columns keep it. */
export function Header({ info, phase, uptimeS }: { info: DashboardInfo; phase: Phase; uptimeS: number }) {
  const c = useColor();
  const role = info.role === 'sender' ? 'SENDER' : 'RECEIVER';
  const io = info.role === 'sender' ? `source ${info.io}` : `sink ${info.io}`;
  return (
    <Text wrap="truncate-end">
      <Text bold>streamer </Text>
      <Text bold inverse color={c(info.role === 'sender' ? 'magenta' : 'cyan')}>
        {` ${role} `}
      </Text>
      {'  '}
      <Text color={c(phase === 'running' ? 'green' : 'yellow')}>{phase}</Text>
      {` ${fmtClock(uptimeS)}  ${info.protocol.toUpperCase()} ${info.endpoint}  ${io}  ${info.frameMs} ms frames`}
    </Text>
  );
}
