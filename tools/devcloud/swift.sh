#!/bin/bash
# The devcloud's Swift (lib/swift.sh): a proxy on 127.0.0.1:8080 (in ctl01, the ring host) and
# three storage nodes s01-s03 (ssh 127.0.0.1:2221-2223, servers on 127.0.0.11-13).
# Additive: works on a running devcloud without restarting anything else.
#
#   swift.sh up                 build and start it (idempotent: "swift already up")
#   swift.sh down               stop its processes, sweep the storage nodes, detach their loop devices
#   swift.sh status             one line per process and node; exit 1 if anything is down
#   swift.sh stop NAME...       stop recorded Swift processes (e.g. swift-proxy, swift-object-s02)
#   swift.sh start NAME...      start them again with the same command line (new PID recorded)
#   swift.sh fail-disk NODE DEV     a disk dies: unmount /srv/node/DEV in NODE, detach its loop device,
#                                   remove the image (the node's fstab entry stays, as on a real node)
#   swift.sh new-disk NODE DEV      a blank replacement disk: fresh sparse image + loop device (printed)
#   swift.sh restore-disk NODE DEV  the lab's undo (tests' cleanup): whatever state the device is in, leave it mounted
#                                   as the node's fstab says, on an XFS disk labelled NODE-DEV (a fresh one if needed)
#
# Needs install.sh's swift-* and xfsprogs packages and a running devcloud (up.sh; under the lock).
set -Eeuo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
. "$HERE/lib/common.sh"
. "$HERE/lib/nodes.sh"
. "$HERE/lib/stop.sh"
. "$HERE/lib/swift.sh"

swift_preflight() {
  local b bad=()
  for b in swift-proxy-server swift-account-server swift-container-server swift-object-server \
           swift-object-replicator swift-ring-builder mkfs.xfs rsync; do
    command -v "$b" >/dev/null || bad+=("$b")
  done
  [ ${#bad[@]} -eq 0 ] || die "missing: ${bad[*]} (packages swift-proxy swift-account swift-container swift-object xfsprogs rsync): run $HERE/install.sh"
  grep -qw xfs /proc/filesystems || modprobe xfs 2>/dev/null || die "this kernel has no XFS"
  local s ip k
  port_listening "$SWIFT_PROXY_PORT" && die "port $SWIFT_PROXY_PORT (swift-proxy) is already in use: $(ss -Hltnp "sport = :$SWIFT_PROXY_PORT" | awk '{print $4, $6}' | head -1)"
  for s in $STORAGE_NODES; do
    port_listening "$(node_port "$s")" && die "port $(node_port "$s") (sshd-$s) is already in use"
    ip=$(storage_ip "$s")
    for k in "${SWIFT_PORT[@]}" "$SWIFT_RSYNC_PORT"; do
      swift_listening "$ip" "$k" && die "$ip:$k (storage node $s) is already in use"
    done
  done
  return 0
}

T0=$(date +%s.%N); TPREV=$T0
step() {  # as up.sh's: elapsed since the previous step and since start, also in $W/timings.log
  local now; now=$(date +%s.%N)
  awk -v n="swift: $1" -v a="$now" -v p="$TPREV" -v z="$T0" \
    'BEGIN{printf "%-46s +%6.1fs  (t=%6.1fs)\n", n, a-p, a-z}' | tee -a "$W/timings.log"
  TPREV=$now
}

swift_up() {
  local t0 s p n
  t0=$(date +%s.%N)
  swift_state
  case "$SWIFT_STATE" in
    up) echo "swift already up ($SWIFT_PROXY_URL, storage nodes $STORAGE_NODES)"; return 0 ;;
    partial) die "swift is PARTIALLY up (dead or missing: ${SWIFT_DEAD[*]}): $HERE/swift.sh down && $HERE/swift.sh up  (or swift.sh start NAME)" ;;
  esac
  svc_alive "sshd-$CTL_NODE" || die "the controller node $CTL_NODE is not running: run up.sh first"
  curl -sf -o /dev/null -m 5 http://127.0.0.1:5000/v3 || die "keystone does not answer: run up.sh first"
  swift_preflight
  swift_clean_state
  ARMED=1
  trap 'rc=$?; if [ "${ARMED:-0}" = 1 ] && [ $rc -ne 0 ]; then warn "swift.sh up FAILED (exit $rc): stopping what it started"; swift_down >&2 || true; fi' EXIT

  ensure_ssh_material                    # adds the storage nodes' host keys, known_hosts, ssh config
  swift_catalog &                        # keystone: swift user, object-store endpoints
  local catpid=$!
  for s in $STORAGE_NODES; do swift_node_write "$s"; swift_node_start "$s"; done
  swift_proxy_write
  step "storage node sshds launched, configs"
  swift_rings_build
  step "rings built on $SWIFT_RING_HOST"
  for s in $STORAGE_NODES; do swift_disks_make "$s"; done
  step "6 XFS loop disks made"
  for s in $STORAGE_NODES; do
    poll_until "sshd of storage node $s (log $W/log/sshd-$s.log)" 30 port_listening "$(node_port "$s")"
    swift_node_mount "$s"
    for p in $(swift_node_procs); do swift_start "swift-$p-$s"; done
  done
  step "disks mounted, storage servers launched"
  wait "$catpid" || die "keystone catalog (object-store) failed; see $W/log/swift-catalog.out"
  swift_ring_host_bind
  swift_start swift-proxy
  for s in $STORAGE_NODES; do
    for k in object container account; do
      poll_until "swift-$k-$s on $(storage_ip "$s"):${SWIFT_PORT[$k]} (log $W/log/swift-$k-$s.out)" 60 \
        curl -sf -m 2 "http://$(storage_ip "$s"):${SWIFT_PORT[$k]}/healthcheck"
    done
    poll_until "ssh to storage node $s" 20 ssh -F "$W/ssh/config" "$s" true
  done
  step "storage servers answer, nodes over ssh"
  poll_until "swift-proxy on $SWIFT_PROXY_URL (log $W/log/swift-proxy.out)" 60 curl -sf -m 2 "$SWIFT_PROXY_URL/healthcheck"
  step "swift-proxy answers"
  for n in $(swift_all_procs); do svc_alive "$n" || die "$n died during start-up; its log: $W/log/$n.out"; done
  swift_json
  ARMED=0
  awk -v a="$(date +%s.%N)" -v b="$t0" 'BEGIN{printf "swift up in %.1f s: proxy %s (ctl01), storage nodes", a-b, "'"$SWIFT_PROXY_URL"'"}'
  for s in $STORAGE_NODES; do printf ' %s=%s' "$s" "$(storage_ip "$s")"; done
  echo "; $W/swift.json, $W/storage-nodes.json"
}

# remove what an earlier (dead) Swift left behind: loops, node trees
swift_clean_state() {
  detach_loops "$W/state/swift-loops"
  local s; for s in $STORAGE_NODES; do rm -rf "${W:?}/nodes/$s"; done
  rm -f "$W/swift.json" "$W/storage-nodes.json"
}

swift_down() {
  local procs=() n s
  for n in $(swift_all_procs); do case "$n" in sshd-*) ;; *) procs+=("$n") ;; esac; done
  stop_groups 10 "${procs[@]}"
  for s in $STORAGE_NODES; do stop_groups 10 "sshd-$s"; sweep_node_ns "$s"; done
  detach_loops "$W/state/swift-loops"
  rm -f "$W/swift.json" "$W/storage-nodes.json"
}

swift_status() {
  local bad=0 n pid st s out
  line() { printf '%-30s %-8s %-6s %s\n' "$@"; }
  for n in $(swift_all_procs); do
    pid=$(recorded_pid "$n")
    if [ -z "$pid" ]; then st=missing; bad=1; elif pid_alive "$pid"; then st=alive; else st=DEAD; bad=1; fi
    line "$n" "${pid:--}" "$st" ""
  done
  if curl -sf -o /dev/null -m 3 "$SWIFT_PROXY_URL/healthcheck"; then line swift-proxy-api "" "" "$SWIFT_PROXY_URL/healthcheck answers"
  else line swift-proxy-api "" "" "$SWIFT_PROXY_URL/healthcheck NOT answering"; bad=1; fi
  for s in $STORAGE_NODES; do
    if out=$(ssh -F "$W/ssh/config" -o ConnectTimeout=5 "$s" \
        'echo "$(hostname) mounted: $(for d in /srv/node/*; do mountpoint -q $d && printf "%s " ${d##*/}; done)"' 2>&1); then
      line "node-$s" "" "" "ssh 127.0.0.1:$(node_port "$s") answers: $out"
    else
      line "node-$s" "" "" "ssh 127.0.0.1:$(node_port "$s") FAILS: ${out##*$'\n'}"; bad=1
    fi
  done
  return $bad
}

# a disk of NODE dies: its mount goes, its loop device and image go (the fstab entry stays). The account and
# container servers keep their sqlite databases open: on a pulled disk those handles fail; here they would keep the
# lazily unmounted file system (and its label) alive, so the node's db servers are restarted, as after a real
# disk failure, and the loop device is gone when this returns.
swift_fail_disk() {
  local s=$1 d=$2 p img dev i n
  p=$(swift_ns_pid "$s") || die "storage node $s is not running"
  img=$W/nodes/$s/disks/$d.img
  nsenter --target "$p" --mount -- sh -c "mountpoint -q /srv/node/$d && umount -l /srv/node/$d; true"
  for dev in $(losetup -l -n -O NAME,BACK-FILE | awk -v f="$img" 'index($0, f) {print $1}'); do losetup -d "$dev" 2>/dev/null || true; done
  for n in account container account-replicator container-replicator; do
    swift_stop "swift-$n-$s" >/dev/null; swift_start "swift-$n-$s"
  done
  rm -f "$img"
  for ((i = 0; i < 50; i++)); do
    [ -z "$(losetup -l -n -O NAME,BACK-FILE | awk -v f="$img" 'index($0, f)')" ] && break; sleep 0.3
  done
  [ -z "$(losetup -l -n -O NAME,BACK-FILE | awk -v f="$img" 'index($0, f)')" ] ||
    warn "the old loop device of $s/$d is still held by: $(losetup -l -n -O NAME,BACK-FILE | awk -v f="$img" 'index($0, f) {print $1}')"
  for n in account container; do
    poll_until "swift-$n-$s" 60 curl -sf -m 2 "http://$(storage_ip "$s"):${SWIFT_PORT[$n]}/healthcheck"
  done
  echo "storage node $s: disk $d failed (unmounted, loop device detached, $img removed; its db servers restarted)"
}

# a blank replacement disk for NODE DEV: prints its device
swift_new_disk() {
  local s=$1 d=$2 img
  img=$W/nodes/$s/disks/$d.img
  [ -e "$img" ] && die "$img exists (fail-disk first)"
  truncate -s "${SWIFT_DISK_MIB}M" "$img"
  swift_loop_attach "$img"
}

swift_restore_disk() {
  local s=$1 d=$2 p img dev
  p=$(swift_ns_pid "$s") || die "storage node $s is not running"
  if nsenter --target "$p" --mount -- mountpoint -q "/srv/node/$d"; then echo "storage node $s: /srv/node/$d is mounted"; return 0; fi
  img=$W/nodes/$s/disks/$d.img
  [ -e "$img" ] || truncate -s "${SWIFT_DISK_MIB}M" "$img"
  dev=$(losetup -n -O NAME -j "$img" 2>/dev/null | head -1)
  [ -n "$dev" ] || dev=$(swift_loop_attach "$img")
  [ "$(blkid -o value -s LABEL "$dev" 2>/dev/null)" = "$s-$d" ] || mkfs.xfs -q -f -L "$s-$d" "$dev"
  nsenter --target "$p" --mount -- sh -c "mount /srv/node/$d && chown swift:swift /srv/node/$d" || die "mounting /srv/node/$d on $s failed"
  echo "storage node $s: /srv/node/$d mounted again from $dev"
}

cmd=${1:-}; shift || true
case "$cmd" in
  up)     swift_up ;;
  down)   swift_down; say "swift down" ;;
  status) swift_status ;;
  stop)   [ $# -gt 0 ] || die "usage: swift.sh stop NAME..."; swift_stop "$@" ;;
  start)  [ $# -gt 0 ] || die "usage: swift.sh start NAME..."
          for n in "$@"; do
            svc_alive "$n" && { echo "$n already running (pid $(recorded_pid "$n"))"; continue; }
            swift_start "$n"
            case "$n" in
              swift-proxy) poll_until "swift-proxy on $SWIFT_PROXY_URL (log $W/log/swift-proxy.out)" 60 \
                             curl -sf -m 2 "$SWIFT_PROXY_URL/healthcheck" ;;
              sshd-*|swift-rsyncd-*|swift-*-replicator-*|swift-*-updater-*) ;;
              swift-*-s*) k=${n#swift-}; k=${k%-*}; s=${n##*-}
                          poll_until "$n" 60 curl -sf -m 2 "http://$(storage_ip "$s"):${SWIFT_PORT[$k]}/healthcheck" ;;
            esac
            echo "started $n (pid $(recorded_pid "$n"))"
          done ;;
  fail-disk) [ $# -eq 2 ] || die "usage: swift.sh fail-disk NODE DEV"; swift_fail_disk "$@" ;;
  new-disk)  [ $# -eq 2 ] || die "usage: swift.sh new-disk NODE DEV"; swift_new_disk "$@" ;;
  restore-disk) [ $# -eq 2 ] || die "usage: swift.sh restore-disk NODE DEV"; swift_restore_disk "$@" ;;
  *) die "usage: swift.sh up|down|status|stop NAME...|start NAME...|fail-disk NODE DEV|new-disk NODE DEV|restore-disk NODE DEV" ;;
esac
