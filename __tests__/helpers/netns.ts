// A network namespace of the test's own, for multicast: `lo` up with multicast
// on and a route for 224.0.0.0/4, nothing else. The host's interfaces are never
// touched; the namespace goes at the end of the test file (and on a failure),
// and processes run inside it through `ip netns exec`. A namespace that cannot
// be made is a failure with the reason, never a skip: CI runs as root.
import { spawnSync } from 'node:child_process';
import { after } from 'node:test';

export interface Netns {
  name: string;
  /** The command prefix that runs a program inside it. */
  prefix: readonly string[];
  /** Runs a command inside it to completion. */
  run(cmd: string, args: string[], opts?: { input?: string | Buffer; timeoutMs?: number }): { code: number | null; stdout: string; stderr: string };
  remove(): void;
}

const made = new Set<string>();
after(() => {
  for (const n of made) spawnSync('ip', ['netns', 'del', n]);
  made.clear();
});
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.once(sig, () => {
    for (const n of made) spawnSync('ip', ['netns', 'del', n]);
    process.exit(130);
  });
}

function ip(args: string[]): void {
  const r = spawnSync('ip', args, { encoding: 'utf8' });
  if (r.error) throw new Error(`cannot run \`ip ${args.join(' ')}\`: ${r.error.message} (install iproute2)`);
  if (r.status !== 0) {
    throw new Error(`\`ip ${args.join(' ')}\` failed (${r.status}): ${r.stderr.trim()} — multicast tests need root (or CAP_NET_ADMIN) to make a network namespace`);
  }
}

/** A fresh namespace named after `label` and this process. */
export function createNetns(label: string): Netns {
  const name = `streamer-${label}-${process.pid}-${made.size}`;
  ip(['netns', 'add', name]);
  made.add(name);
  try {
    ip(['-n', name, 'link', 'set', 'lo', 'up']);
    ip(['-n', name, 'link', 'set', 'lo', 'multicast', 'on']);
    // src: what we send to a group leaves from 127.0.0.1 (lo's address is host-scoped, so it would be 0.0.0.0).
    ip(['-n', name, 'route', 'add', '224.0.0.0/4', 'dev', 'lo', 'src', '127.0.0.1']);
  } catch (err) {
    spawnSync('ip', ['netns', 'del', name]);
    made.delete(name);
    throw err;
  }
  const prefix = ['ip', 'netns', 'exec', name] as const;
  return {
    name,
    prefix,
    run(cmd, args, opts = {}) {
      const r = spawnSync('ip', ['netns', 'exec', name, cmd, ...args], { encoding: 'utf8', input: opts.input, timeout: opts.timeoutMs ?? 60_000 });
      return { code: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
    },
    remove() {
      if (!made.has(name)) return;
      spawnSync('ip', ['netns', 'del', name]);
      made.delete(name);
    },
  };
}
