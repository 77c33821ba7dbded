// Checks made before a session starts, so that what the flags ask for and
// cannot be had fails at once, in one line, with exit 1 — not minutes later,
// and not with exit 0 after the screen closed: the log file, a --sink file:
// and a --record path must be writable. One rule for every file we write:
// its directory must already exist (as for any Unix tool); only --record-dir
// is made when missing (SPEC §5). Probes really create (and remove) a file,
// because permission bits do not tell root about a read-only mount.
import { closeSync, mkdirSync, openSync, statSync, unlinkSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { SessionConfig } from '../session/config.js';
import { describeSystemError, errorCode, UserError } from '../shared/errors.js';

/** Why `path` could not be written as a file, or undefined when it can. Leaves no new file behind. */
export function fileProblem(path: string): string | undefined {
  const abs = resolve(path);
  try {
    if (statSync(abs).isDirectory()) return 'it is a directory';
    closeSync(openSync(abs, 'r+'));
    return undefined;
  } catch (err) {
    if (errorCode(err) !== 'ENOENT') return describeSystemError(err);
  }
  try {
    closeSync(openSync(abs, 'wx'));
    unlinkSync(abs);
    return undefined;
  } catch (err) {
    if (errorCode(err) === 'ENOENT') return `directory ${dirname(abs)} does not exist`;
    return describeSystemError(err);
  }
}

/** Why files could not be made in `dir` (created when missing), or undefined when they can. */
export function dirProblem(dir: string): string | undefined {
  const abs = resolve(dir);
  try {
    mkdirSync(abs, { recursive: true });
  } catch (err) {
    return describeSystemError(err);
  }
  return fileProblem(join(abs, `.streamer-probe-${process.pid}`));
}

export function checkStart(cfg: SessionConfig, role: 'send' | 'receive' | 'demo'): void {
  const log = fileProblem(cfg.log.file);
  if (log) throw new UserError(`cannot write the log file ${cfg.log.file}: ${log} — choose another --log-file`, 1);
  if (role !== 'send' && cfg.sink.kind === 'file') {
    const why = fileProblem(cfg.sink.path);
    if (why) throw new UserError(`cannot write --sink file:${cfg.sink.path}: ${why}`, 1);
  }
  if (cfg.record.atStart) {
    const path = cfg.record.path;
    const why = path === undefined ? dirProblem(cfg.recordDir) : fileProblem(path);
    if (why) {
      const what = path === undefined ? `in --record-dir ${cfg.recordDir}` : `to ${path}`;
      throw new UserError(`cannot record ${what}: ${why}`, 1);
    }
  }
}
