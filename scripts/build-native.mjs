#!/usr/bin/env node
// `npm install` step: builds the optional batch UDP reader (native/recv, Linux
// only) with the node-gyp npm ships, against the Node headers already on this
// machine. It never fails the install and never downloads anything: without a
// compiler, python, or local headers it says so in one line and streamer uses
// Node's dgram instead (README "Receive path"). Full output: native/recv/build.log.
import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const dir = join(root, 'native', 'recv');
const say = (line) => process.stderr.write(`streamer: ${line}\n`);

function skip(why) {
  say(`native receive path not built (${why}); Node's dgram will be used`);
  process.exit(0);
}

if (process.platform !== 'linux') skip(`${process.platform} has no recvmmsg`);
if (process.env.STREAMER_RECV === 'dgram') skip('STREAMER_RECV=dgram');

// Headers: the npm config's nodedir, else the ones installed beside this node (/usr/include/node for
// /usr/bin/node). Never let node-gyp fetch a tarball.
const hasHeaders = (d) => d && existsSync(join(d, 'include', 'node', 'node_api.h')) && existsSync(join(d, 'include', 'node', 'common.gypi'));
const nodedir = [process.env.npm_config_nodedir, resolve(dirname(process.execPath), '..')].find(hasHeaders);
if (!nodedir) skip(`no Node headers beside ${process.execPath}`);

// The node-gyp npm runs scripts with, else the one inside npm.
const gyp = [process.env.npm_config_node_gyp, join(dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js')].find(
  (p) => p && existsSync(p),
);
if (!gyp) skip('node-gyp not found');

const r = spawnSync(process.execPath, [gyp, 'rebuild', `--nodedir=${nodedir}`], {
  cwd: dir,
  encoding: 'utf8',
  timeout: 300_000,
  env: { ...process.env, npm_config_nodedir: nodedir },
});
writeFileSync(join(dir, 'build.log'), `${r.stdout ?? ''}${r.stderr ?? ''}${r.error ? String(r.error) : ''}`);
if (r.status !== 0 || !existsSync(join(dir, 'build', 'Release', 'streamer_recv.node'))) {
  // The line that says what went wrong (a missing compiler or python), not node-gyp's stack or a traceback.
  const lines = `${r.stderr ?? ''}`.split('\n').filter((l) => !/^gyp (info|ERR! (stack|System|command|cwd|node|not ok))|^\s+File "/.test(l));
  const pick = (re) => lines.find((l) => re.test(l));
  const line = pick(/No such file|not found|Error:|error:/) ?? pick(/python/i) ?? lines.find((l) => l.startsWith('gyp ERR!'));
  skip(`node-gyp failed: ${(line ?? r.error?.message ?? `exit ${r.status}`).replace(/^gyp ERR! /, '').trim().slice(0, 120)}; see native/recv/build.log`);
}
say('native receive path built (recvmmsg with kernel timestamps)');
