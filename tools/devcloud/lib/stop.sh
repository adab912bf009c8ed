# Stopping the devcloud: used by down.sh and by up.sh when a start fails.
# Only ever signals process groups whose leader PID a devcloud script wrote
# to $W/pids (or $W/run/jobs), plus processes living inside a node's own
# mount namespace (recorded in $W/nodes/SHORT/run/mntns by node-ns.sh).

# stop_groups WAIT_S NAME... : TERM all named recorded groups at once, wait,
# KILL what is left.
stop_groups() {
  local wait_s=$1 name pid i left; shift
  local -a live=() was=()
  for name in "$@"; do
    pid=$(recorded_pid "$name")
    if [[ "$pid" =~ ^[0-9]+$ ]] && group_alive "$pid"; then
      kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
      live+=("$name:$pid"); was+=("$name:$pid")
    fi
  done
  for ((i = 0; i < wait_s * 5 && ${#live[@]} > 0; i++)); do
    left=()
    for name in "${live[@]}"; do group_alive "${name#*:}" && left+=("$name"); done
    live=("${left[@]+"${left[@]}"}")
    [ ${#live[@]} -gt 0 ] && sleep 0.2
  done
  for name in "${live[@]+"${live[@]}"}"; do
    warn "${name%%:*} (pgid ${name#*:}) did not stop on TERM, sending KILL"
    kill -KILL -- "-${name#*:}" 2>/dev/null || true
  done
  for name in "${was[@]+"${was[@]}"}"; do say "stopped ${name%%:*} (pgid ${name#*:})"; done
  for name in "$@"; do rm -f "$W/pids/$name.pid"; done
}

# sweep_node_ns SHORT : every process left in the node's mount namespace
# (ssh sessions, things started from them).
sweep_node_ns() {
  local ns p i; local -a pids=()
  ns=$(cat "$W/nodes/$1/run/mntns" 2>/dev/null) || return 0
  [ -n "$ns" ] && [ "$ns" != "$(readlink /proc/1/ns/mnt)" ] &&
    [ "$ns" != "$(readlink /proc/$$/ns/mnt)" ] || return 0
  for p in /proc/[0-9]*; do
    [ "$(readlink "$p/ns/mnt" 2>/dev/null)" = "$ns" ] && pids+=("${p#/proc/}")
  done
  [ ${#pids[@]} -gt 0 ] || return 0
  kill -TERM "${pids[@]}" 2>/dev/null || true
  for ((i = 0; i < 15; i++)); do
    local alive=0
    for p in "${pids[@]}"; do pid_alive "$p" && alive=1; done
    [ $alive = 0 ] && break; sleep 0.2
  done
  for p in "${pids[@]}"; do pid_alive "$p" && kill -KILL "$p" 2>/dev/null; done
  say "node $1: ${#pids[@]} process(es) of its namespace stopped"
}

# Loop devices the nodes' qemu-nbd attached and nobody detached (their
# mounts died with the namespaces). Registry lines: "LOOPDEV INODE MAJ:MIN";
# a loop is ours only if it still has that backing inode.
detach_loops() {
  local f=${1:-$W/state/loops} dev ino mm
  [ -f "$f" ] || return 0
  while read -r dev ino mm; do
    [ "$(losetup -l -n -O BACK-INO,BACK-MAJ:MIN "$dev" 2>/dev/null | awk '{print $1, $2}')" = "$ino $mm" ] || continue
    partx -d "$dev" >/dev/null 2>&1 || true
    losetup -d "$dev" 2>/dev/null && say "detached $dev (a node disk image, inode $ino)"
  done < "$f"
  rm -f "$f"
}

# /dev/nbd* placeholder nodes created by the nodes' modprobe/qemu-nbd
remove_dev_placeholders() {
  local f=$W/state/dev-placeholders p
  [ -f "$f" ] || return 0
  while read -r p; do
    case "$p" in /dev/nbd*) ;; *) continue ;; esac
    [ -b "$p" ] && [ "$(stat -c %t "$p")" = 2b ] && rm -f "$p"
  done < "$f"
  rm -f "$f"
  rm -rf "$W"/nodes/*/state/nbd "$W"/nodes/*/state/nbd.loaded "$W"/nodes/*/sys/block/nbd* 2>/dev/null || true
}

stop_everything() {
  local f name s computes="" services="" nodes=""
  for f in "$W"/run/jobs/*.pid; do
    [ -e "$f" ] || continue
    name=$(basename "$f" .pid)
    pid=$(cat "$f"); group_alive "$pid" && kill -TERM -- "-$pid" 2>/dev/null
    rm -f "$f"
  done
  for f in "$W"/pids/*.pid; do
    [ -e "$f" ] || continue
    name=$(basename "$f" .pid)
    case "$name" in
      nova-compute-*) computes="$computes $name" ;;
      sshd-*) nodes="$nodes $name" ;;
      mariadb|epmd|rabbitmq) ;;
      *) services="$services $name" ;;
    esac
  done
  # shellcheck disable=SC2086
  { stop_groups 20 $computes; stop_groups 15 $services; stop_groups 10 $nodes; }
  for s in $NODES $CTL_NODE $STORAGE_NODES; do sweep_node_ns "$s"; done
  stop_groups 15 rabbitmq
  stop_groups 5 epmd
  stop_groups 20 mariadb
  detach_loops
  detach_loops "$W/state/swift-loops"    # the Swift storage nodes' disks (lib/swift.sh)
  remove_dev_placeholders
}
