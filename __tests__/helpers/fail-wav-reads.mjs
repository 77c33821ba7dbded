// Preloaded into the real CLI (NODE_OPTIONS=--import …) by tests: after
// FAIL_WAV_READS_AFTER reads of a .wav file opened for reading, every further
// read of it fails with EIO, as a dying disk or a pulled USB stick does.
import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';

const after = Number(process.env.FAIL_WAV_READS_AFTER ?? 0);
const wavFds = new Map(); // fd → reads so far
const { openSync, readSync, closeSync } = fs;

fs.openSync = function (path, flags, ...rest) {
  const fd = openSync.call(this, path, flags, ...rest);
  if (String(path).endsWith('.wav') && (flags === undefined || flags === 'r')) wavFds.set(fd, 0);
  return fd;
};
fs.readSync = function (fd, ...rest) {
  const n = wavFds.get(fd);
  if (n !== undefined) {
    wavFds.set(fd, n + 1);
    if (n >= after) throw Object.assign(new Error(`EIO: i/o error, read`), { code: 'EIO', errno: -5, syscall: 'read' });
  }
  return readSync.call(this, fd, ...rest);
};
fs.closeSync = function (fd) {
  wavFds.delete(fd);
  return closeSync.call(this, fd);
};
syncBuiltinESMExports(); // the app's `import { readSync } from 'node:fs'` sees these
