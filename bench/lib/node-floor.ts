// The least a Node.js process can do for the same stream, as a reference
// line in the CPU benches: `receive PORT` counts datagrams on a dgram socket
// (`receive-clocked PORT`: plus a 10 ms timer, as a sink's clock);
// `send PORT RATE SAMPLES` sends 12+2×SAMPLES-byte datagrams on the same
// drift-free, whole-millisecond timer schedule streamer's pacer uses, on a
// connected socket. What streamer costs above this line is streamer's; below
// it is the runtime's (one event-loop wakeup per datagram).
import dgram from 'node:dgram';
import { performance } from 'node:perf_hooks';

const [mode, portArg, rateArg, samplesArg] = process.argv.slice(2);
const port = Number(portArg);
process.on('SIGINT', () => process.exit(0));
process.on('SIGTERM', () => process.exit(0));

if (mode === 'receive' || mode === 'receive-clocked') {
  const s = dgram.createSocket('udp4');
  let n = 0;
  s.on('message', () => {
    n++;
  });
  s.bind(port);
  // receive-clocked adds what any receiver with a sink has on top: a 10 ms
  // clock that wakes the loop (streamer's null sink pulls on such a clock).
  if (mode === 'receive-clocked') {
    const start = performance.now();
    let ticks = 0;
    const tick = (): void => {
      ticks++;
      setTimeout(tick, Math.ceil(Math.max(0, start + ticks * 10 - performance.now())));
    };
    tick();
  }
  process.on('exit', () => process.stderr.write(`node floor: ${n} datagrams\n`));
} else if (mode === 'send') {
  const intervalMs = (Number(samplesArg) * 1000) / Number(rateArg);
  const packet = Buffer.alloc(12 + 2 * Number(samplesArg));
  const s = dgram.createSocket('udp4');
  s.on('error', () => undefined); // the counter may close first
  s.connect(port, '127.0.0.1', () => {
    const start = performance.now();
    let sent = 0;
    const tick = (): void => {
      const due = Math.floor((performance.now() - start) / intervalMs) + 1;
      while (sent < due) {
        packet.writeUInt16BE(sent & 0xffff, 2);
        s.send(packet);
        sent++;
      }
      setTimeout(tick, Math.ceil(Math.max(0, start + sent * intervalMs - performance.now())));
    };
    tick();
  });
} else {
  process.stderr.write('usage: node-floor.ts receive|receive-clocked PORT | send PORT RATE SAMPLES\n');
  process.exit(2);
}
