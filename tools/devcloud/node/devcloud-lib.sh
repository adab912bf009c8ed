# Shared by the stand-in commands of a devcloud node (sourced, not run).
# The stand-ins are copied into $NODE_DIR/bin, which the node's mount
# namespace shows as /usr/local/sbin and /usr/local/bin; devcloud-node.env
# next to them says which node this is.
_DC_BIN=$(cd "$(dirname "$0")" && pwd)
# shellcheck disable=SC1091
. "$_DC_BIN/devcloud-node.env"      # DEVCLOUD_DIR NODE SHORT NODE_DIR
STATE=$NODE_DIR/state
NC_PIDF=$DEVCLOUD_DIR/pids/nova-compute-$SHORT.pid
NC_UNIT=nova-compute.service
NC_DESC="OpenStack Nova Compute (nova-compute)"
NC_CMD=(/usr/bin/nova-compute --config-file=/etc/nova/nova.conf
        --config-file=/etc/nova/nova-compute.conf --log-file=/var/log/nova/nova-compute.log)

is_root() { [ "$(id -u)" = 0 ]; }
pid_alive() {  # exists and is not a zombie
  local st
  [[ "${1:-}" =~ ^[0-9]+$ ]] || return 1
  st=$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null) || return 1
  [ -n "$st" ] && [ "$st" != Z ] && [ "$st" != X ]
}
in_node_ns() { [ "$(readlink /proc/self/ns/mnt)" = "$(cat "$NODE_DIR/run/mntns" 2>/dev/null)" ]; }

nc_pid() { cat "$NC_PIDF" 2>/dev/null || true; }
nc_running() {
  local p; p=$(nc_pid)
  pid_alive "$p" && grep -qa nova-compute "/proc/$p/cmdline" 2>/dev/null
}
# last transition: running | stopped | killed (never started: none)
nc_last() { cat "$STATE/compute.last" 2>/dev/null || echo none; }
nc_since() { cat "$STATE/compute.since" 2>/dev/null || echo ""; }
set_last() { echo "$1" > "$STATE/compute.last"; date +%s > "$STATE/compute.since"; }

# masked state of nova-compute.service: "runtime", "persistent" or ""
nc_masked() {
  if [ -e "$STATE/masked-runtime" ]; then echo runtime
  elif [ -e "$STATE/masked" ]; then echo persistent
  fi
}
nc_enabled() { [ -e "$STATE/disabled" ] && echo disabled || echo enabled; }

# the node's journal (shown by systemctl status)
journal() { echo "$(date '+%b %d %H:%M:%S') $NODE systemd[1]: $*" >> "$STATE/journal"; }

# devcloud-compute does the real work for systemctl/service/upstart
nc_ctl() { "$_DC_BIN/devcloud-compute" "$@"; }

# systemd style "2min 3s ago"
ago() {
  local d=$(( $(date +%s) - $1 )) out
  if   [ $d -lt 60 ];    then out="${d}s"
  elif [ $d -lt 3600 ];  then out="$((d / 60))min $((d % 60))s"
  elif [ $d -lt 86400 ]; then out="$((d / 3600))h $((d % 3600 / 60))min"
  else out="$((d / 86400)) day$([ $((d / 86400)) -gt 1 ] && echo s) $((d % 86400 / 3600))h"
  fi
  echo "$out ago"
}
systemd_ts() { date -d "@$1" '+%a %Y-%m-%d %H:%M:%S %Z'; }

# ---- emulated nbd (see modprobe, qemu-nbd, lsmod) -------------------------
# Per node: $STATE/nbd.loaded (module parameters), $STATE/nbd/nbdN (one file
# per connected device), and the node's /sys/block/nbdN directories.
# /dev is shared by all nodes: /dev/nbdN and /dev/nbdNpK are placeholder
# block nodes (major 43) in the shared /dev, recorded for down.sh; a connected
# device is a bind mount of /dev/loopX(pK) over them, private to the node.
NBD_SYS=$NODE_DIR/sys/block
nbd_loaded() { [ -f "$STATE/nbd.loaded" ]; }
nbd_param() { sed -n "s/^$1=//p" "$STATE/nbd.loaded" 2>/dev/null; }
nbd_index() { [[ "${1:-}" =~ ^/dev/nbd([0-9]+)$ ]] && echo "${BASH_REMATCH[1]}"; }
nbd_present() {  # does DEV exist in this node's view?
  local n; n=$(nbd_index "$1") || return 1
  nbd_loaded && [ "$n" -lt "$(nbd_param nbds_max)" ]
}
dev_placeholder() {  # PATH MINOR
  [ -e "$1" ] && return 0
  mknod -m 660 "$1" b 43 "$2" && chgrp disk "$1" &&
    echo "$1" >> "$DEVCLOUD_DIR/state/dev-placeholders"
}
is_mountpoint() { awk -v p="$1" '$5==p{f=1} END{exit !f}' /proc/self/mountinfo; }
