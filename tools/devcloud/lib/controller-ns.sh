#!/bin/bash
# Runs as the first process of the controller node's new mount+UTS namespace
# (started by start_controller_node in controller.sh via `setsid unshare
# --mount --uts --propagation private`): applies NODE_DIR/binds ("SOURCE
# TARGET [ro]" per line, in order: a directory first, then files into it),
# sets the hostname, then becomes the node's sshd (same PID, recorded by up.sh).
# Usage: controller-ns.sh NODE_DIR SSHD_LOG [extra sshd args]
set -euo pipefail
ND=$1 LOG=$2; shift 2

mount --make-rprivate /
hostname "$(cat "$ND/etc/hostname")"
while read -r src dst mode; do
  [ -n "$src" ] || continue
  mount --bind "$src" "$dst"
  [ "${mode:-}" = ro ] && mount -o remount,bind,ro "$dst"
done < "$ND/binds"

# recorded so down.sh can find every process that lives in this node
readlink /proc/self/ns/mnt > "$ND/run/mntns"

exec /usr/sbin/sshd -D -f "$ND/ssh/sshd_config" -E "$LOG" "$@"
