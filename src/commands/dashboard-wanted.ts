import type { SessionConfig } from '../session/config.js';

type Streams = { stdin: NodeJS.ReadStream; stdout: NodeJS.WriteStream };

/**
 * A dashboard needs keys and a screen: stdin and stdout both TTYs (Ink's raw
 * mode throws otherwise), no --headless, and stdout not taken by --stats-json -.
 * Kept apart from the dashboard so the CLI can ask without loading React.
 */
export function dashboardWanted(cfg: Pick<SessionConfig, 'headless' | 'statsJson'>, io: Streams = process): boolean {
  return !cfg.headless && cfg.statsJson !== '-' && io.stdin.isTTY === true && io.stdout.isTTY === true && typeof io.stdin.setRawMode === 'function';
}
