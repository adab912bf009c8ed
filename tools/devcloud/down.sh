#!/bin/bash
# Stop the devcloud: only the process groups whose PIDs up.sh (or a node's
# systemctl) recorded in $DEVCLOUD_DIR/pids, plus whatever still lives in a
# node's mount namespace; then detach the loop devices the nodes' qemu-nbd
# attached and remove the /dev/nbd* placeholders.
# Usage: tools/devcloud/down.sh [--wipe]     (--wipe also removes $DEVCLOUD_DIR)
set -uo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
. "$HERE/lib/common.sh"
. "$HERE/lib/stop.sh"

wipe=0
case "${1:-}" in --wipe) wipe=1 ;; "") ;; *) die "usage: down.sh [--wipe]" ;; esac
if [ -d "$W" ]; then
  stop_everything
else
  say "no $W: nothing to stop"
fi
if [ $wipe = 1 ]; then rm -rf "$W"; say "removed $W"; fi
say "down"
