// What the kernel says about a process and a UDP port, read from /proc (Linux only).
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

let clockTicks: number | undefined;

/** USER_HZ: the unit of utime/stime in /proc/<pid>/stat (100 almost everywhere). */
function ticksPerSecond(): number {
  if (clockTicks === undefined) {
    try {
      clockTicks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      clockTicks = 100;
    }
  }
  return clockTicks;
}

/** User + system CPU seconds a process (all its threads) has used so far. */
export function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) may hold spaces and parentheses: count from the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // fields[0] is field 3 (state); utime and stime are fields 14 and 15.
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  return (utime + stime) / ticksPerSecond();
}

/** Resident set size in bytes. */
export function rssBytes(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) * 1024 : 0;
}

export interface UdpSocketInfo {
  port: number;
  rxQueueBytes: number;
  drops: number;
}

/** Sockets bound to `port` in /proc/net/udp and udp6 (a port can be bound more than once). */
export function udpSockets(port: number): UdpSocketInfo[] {
  const out: UdpSocketInfo[] = [];
  for (const file of ['/proc/net/udp', '/proc/net/udp6']) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      // sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode ref pointer drops
      const local = cols[1];
      if (!local || cols.length < 13) continue;
      if (parseInt(local.slice(local.lastIndexOf(':') + 1), 16) !== port) continue;
      const rx = parseInt((cols[4] ?? '0:0').split(':')[1] ?? '0', 16);
      out.push({ port, rxQueueBytes: rx, drops: Number(cols[cols.length - 1]) });
    }
  }
  return out;
}

/** Datagrams the kernel dropped on `port` because its socket's buffer was full. */
export function udpDrops(port: number): number {
  return udpSockets(port).reduce((sum, s) => sum + s.drops, 0);
}

/** True once something listens on UDP `port`. */
export function udpBound(port: number): boolean {
  return udpSockets(port).length > 0;
}

/** One thread of a process as /proc/<pid>/task/<tid> tells it. */
export interface ThreadSample {
  tid: number;
  /** The thread's name (comm): `node` for the main and worker threads, `V8 DefaultWorke`, `libuv-worker`, … */
  name: string;
  cpuS: number;
  /** Times it gave up the CPU to wait (a wake-up each), and was made to. */
  voluntary: number;
  involuntary: number;
}

/** Every thread of `pid` now; a thread that ends while this reads is left out. */
export function threadSamples(pid: number): ThreadSample[] {
  const out: ThreadSample[] = [];
  let tids: string[];
  try {
    tids = readdirSync(`/proc/${pid}/task`);
  } catch {
    return out;
  }
  for (const t of tids) {
    try {
      const stat = readFileSync(`/proc/${pid}/task/${t}/stat`, 'utf8');
      const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const status = readFileSync(`/proc/${pid}/task/${t}/status`, 'utf8');
      const v = /voluntary_ctxt_switches:\s+(\d+)/.exec(status);
      const nv = /nonvoluntary_ctxt_switches:\s+(\d+)/.exec(status);
      out.push({
        tid: Number(t),
        name,
        cpuS: (Number(fields[11]) + Number(fields[12])) / ticksPerSecond(),
        voluntary: v ? Number(v[1]) : 0,
        involuntary: nv ? Number(nv[1]) : 0,
      });
    } catch {
      // gone
    }
  }
  return out;
}

/** What each thread did between two samples (threads born in between count from zero). */
export function threadDeltas(before: ThreadSample[], after: ThreadSample[]): ThreadSample[] {
  const was = new Map(before.map((s) => [s.tid, s]));
  return after.map((s) => {
    const b = was.get(s.tid);
    return { ...s, cpuS: s.cpuS - (b?.cpuS ?? 0), voluntary: s.voluntary - (b?.voluntary ?? 0), involuntary: s.involuntary - (b?.involuntary ?? 0) };
  });
}
