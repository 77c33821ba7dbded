// What the screens may know of the session and the core: value types, and the
// one constant they read. Everything that runs (sockets, audio, the recorder)
// is behind RemoteSession, in the worker thread; lint keeps the rest of ui/
// from importing the session or the core directly.
export type { Snapshot } from '../../session/session.js';
export type { SenderSnapshot, RemoteSecond } from '../../session/sender.js';
export type { ReceiverSnapshot, SecondGaps } from '../../session/receiver-snapshot.js';
export type { Protocol, SessionConfig, SinkSpec, SourceSpec } from '../../session/config.js';
export type { FlashLevel } from '../../session/runner.js';
export type { Level } from '../../audio/meter.js';
export type { RecorderState } from '../../audio/record/recorder.js';
export type { ReplaySaved } from '../../audio/record/replay.js';
export type { GlitchCounts } from '../../net/quality/glitches.js';
export type { JitterHistogram } from '../../net/quality/jitter-histogram.js';
export type { LossBursts } from '../../net/quality/loss-bursts.js';
export type { MosBand } from '../../net/quality/emodel.js';
export { mosBand } from '../../net/quality/emodel.js';
export { describeBursts } from '../../net/quality/loss-bursts.js';
export { DBFS_FLOOR } from '../../audio/meter.js';
