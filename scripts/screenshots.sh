#!/bin/sh
# Regenerates docs/receiver.png and docs/sender.png: a receiver and a sender
# dashboard (100×30, in a private tmux server) over a loopback link that loses
# 4 % and delays packets by up to 20 ms on purpose, captured with their
# colours (tmux capture-pane -e), turned into HTML by aha and photographed by
# headless chromium. Needs tmux, aha, chromium and a built tree (npm run build).
# Usage: scripts/screenshots.sh [seconds of history, default 40]
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
secs=${1:-40}
work=$(mktemp -d)
sock="streamer-shots-$$"
port=$((20000 + $$ % 20000))
cleanup() { tmux -L "$sock" kill-server 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT INT TERM
bin="$root/bin/streamer.js"
run() { # name command...
  name=$1; shift
  tmux -L "$sock" new-session -d -s "$name" -x 100 -y 30 -c "$work" "env -u CI -u NO_COLOR TERM=xterm-256color $*"
}
if tmux -L "$sock" has-session 2>/dev/null; then :; fi
run rx node "$bin" receive --port "$port" --sink null --log-file "$work/rx.log"
sleep 1
run tx node "$bin" send --port "$port" --source tone --sim-loss 4 --sim-jitter 20 --log-file "$work/tx.log"
sleep "$secs"
mkdir -p "$root/docs"
for name in rx tx; do
  out=$([ "$name" = rx ] && echo receiver || echo sender)
  tmux -L "$sock" capture-pane -e -p -t "$name" > "$work/$name.ans"
  # 100 columns of DejaVu Sans Mono at 14 px, on the terminal's black.
  aha --black --title "streamer $out" < "$work/$name.ans" \
    | sed 's|<pre>|<pre style="font-family: \x27DejaVu Sans Mono\x27, monospace; font-size: 14px; line-height: 17px; margin: 8px;">|' > "$work/$name.html"
  chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --force-device-scale-factor=1 \
    --window-size=870,530 --screenshot="$root/docs/$out.png" "file://$work/$name.html" 2>/dev/null
  echo "docs/$out.png"
done
tmux -L "$sock" send-keys -t tx q
tmux -L "$sock" send-keys -t rx q
sleep 2
