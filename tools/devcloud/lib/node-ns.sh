#!/bin/bash
# Runs as the first process of a node's new mount+UTS namespace (started by
# start_node in nodes.sh via `setsid unshare --mount --uts --propagation private`):
# bind-mounts the node's tree over the paths the Ops Guide uses, sets the
# node's hostname, then becomes its sshd (same PID, recorded by up.sh).
# Usage: node-ns.sh NODE_DIR SSHD_LOG [extra sshd args]
set -euo pipefail
ND=$1 LOG=$2; shift 2

# never let a mount made here leak to the host (unshare did this already)
mount --make-rprivate /

hostname "$(cat "$ND/etc/hostname")"
bind() { mount --bind "$1" "$2"; }
bind "$ND/root"                    /root
bind "$ND/bin"                     /usr/local/sbin
bind "$ND/bin"                     /usr/local/bin
bind "$ND/etc/init"                /etc/init
bind "$ND/etc/init.d"              /etc/init.d
bind "$ND/etc/hosts"               /etc/hosts
bind "$ND/etc/hostname"            /etc/hostname
bind "$ND/etc/nova/nova.conf"      /etc/nova/nova.conf
bind "$ND/etc/nova/nova-compute.conf" /etc/nova/nova-compute.conf
bind "$ND/var/lib/nova"            /var/lib/nova
bind "$ND/var/log/nova"            /var/log/nova
bind "$ND/var/lib/openstackops"    /var/lib/openstackops
bind "$ND/mnt"                     /mnt
bind "$ND/sys/block"               /sys/block
bind "$ND/sys/block"               /sys/class/block

# recorded so down.sh can find every process that lives in this node
readlink /proc/self/ns/mnt > "$ND/run/mntns"

exec /usr/sbin/sshd -D -f "$ND/ssh/sshd_config" -E "$LOG" "$@"
