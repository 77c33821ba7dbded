// The header's fixed facts, from the config; pure.
import { describeFormat } from '../shared/audio-format.js';
import type { SessionConfig, SinkSpec, SourceSpec } from './bridge/types.js';
import type { DashboardInfo } from './contexts/services-context.js';

export function describeSource(s: SourceSpec): string {
  if (s.kind === 'tone') return `tone ${s.hz} Hz`;
  if (s.kind === 'file') return `file ${s.path}`;
  return 'mic';
}

export function describeSink(s: SinkSpec): string {
  return s.kind === 'file' ? `file ${s.path}` : s.kind;
}

export function dashboardInfo(role: 'sender' | 'receiver', cfg: SessionConfig): DashboardInfo {
  return {
    role,
    protocol: cfg.protocol,
    // receive --sap: where it listens comes from the announcement (the notices say which).
    endpoint: role === 'sender' ? `→ ${cfg.host}:${cfg.port}${cfg.sap ? ' (SAP)' : ''}` : cfg.sap ? `SAP ${cfg.sap.name ? `"${cfg.sap.name}"` : 'any stream'}` : `${cfg.bind}:${cfg.port}`,
    io: role === 'sender' ? describeSource(cfg.source) : describeSink(cfg.sink),
    format: describeFormat(cfg.format, cfg.codec),
    frameMs: cfg.frameMs,
  };
}
