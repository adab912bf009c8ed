# A real Swift (Debian 12's swift 2.30 packages) in the devcloud:
#  - the proxy (swift-proxy-server, keystoneauth + authtoken) on 127.0.0.1:8080, in the
#    object-store entry of keystone's catalog; it runs inside the controller node ctl01's
#    mount namespace, where /etc/swift is $W/nodes/ctl01/etc/swift;
#  - ctl01 is the RING HOST: the builder files are ctl01:/etc/swift/{account,container,object}.builder
#    (host path $W/nodes/ctl01/etc/swift), the rings built there are copied to every storage node;
#  - three storage nodes s01/s02/s03.example.com: SSH nodes like c01-c03 (sshd on 127.0.0.1:2221-2223,
#    own mount+UTS namespace via lib/controller-ns.sh and a binds list), each with its own loopback
#    address 127.0.0.11-13 on which its account (6202), container (6201), object (6200) servers
#    and its rsync daemon (873) listen, two disks d1/d2 = loop devices with XFS (label sNN-dN) mounted
#    by the node's /etc/fstab under /srv/node/dN, and the three replicators.
# Every process: setsid, PID in $W/pids/NAME.pid (down.sh stops them; the storage nodes'
# namespaces are swept like the others). Loop devices: $W/state/swift-loops.
# Sourced after common.sh, nodes.sh, stop.sh.

SWIFT_PROXY_URL=http://127.0.0.1:8080
SWIFT_PROXY_PORT=8080
SWIFT_PART_POWER=6          # 64 partitions
SWIFT_REPLICAS=3
SWIFT_MIN_PART_HOURS=0      # devcloud: rebalances are never held back (ring tests may set their own)
SWIFT_DEVICES="d1 d2"       # per storage node
SWIFT_DISK_MIB=320          # mkfs.xfs of xfsprogs 6.1 refuses filesystems under 300 MB
SWIFT_WEIGHT=100
SWIFT_HASH_PREFIX=osrig-devcloud-prefix
SWIFT_HASH_SUFFIX=osrig-devcloud-suffix
# port of each storage server on a storage node's address (swift 2.30 defaults)
declare -A SWIFT_PORT=([object]=6200 [container]=6201 [account]=6202)
SWIFT_RSYNC_PORT=873
SWIFT_RING_HOST=$CTL_NODE
SWIFT_RING_DIR=$W/nodes/$CTL_NODE/etc/swift      # = /etc/swift on ctl01

swift_node_procs() {  # the processes of one storage node, in start order
  echo rsyncd account container object account-replicator container-replicator object-replicator container-updater
}
# every recorded Swift process (pid names), start order
swift_all_procs() {
  local s p
  for s in $STORAGE_NODES; do
    echo "sshd-$s"
    for p in $(swift_node_procs); do echo "swift-$p-$s"; done
  done
  echo swift-proxy
}

swift_ns_pid() {  # the PID anchoring node $1's mount namespace (its sshd)
  local p; p=$(recorded_pid "sshd-$1")
  pid_alive "$p" && echo "$p"
}

# swift_node_write SHORT : the node's tree, configs, fstab, binds list, sshd_config
swift_node_write() {
  local s=$1 ND fq E ip f d i
  ND=$W/nodes/$s; fq=$(node_fqdn "$s"); E=$ND/etc; ip=$(storage_ip "$s")
  mkdir -p /srv/node /var/cache/swift /var/log/swift /etc/swift /var/lib/openstackops   # the mount points the binds need
  mkdir -p "$ND"/{root,bin,run,state,ssh,disks,srv/node,var/cache/swift,var/lib/openstackops,var/log/swift} "$E/swift"
  chown swift:swift "$ND/srv/node" "$ND/var/cache/swift"
  chgrp adm "$ND/var/log/swift"; chmod 750 "$ND/var/log/swift"
  cp /etc/skel/.bashrc /etc/skel/.profile "$ND/root/"
  echo "$fq" > "$E/hostname"
  { cat /etc/hosts; echo "# devcloud nodes"
    for f in $NODES $CTL_NODE $STORAGE_NODES; do echo "127.0.0.1 $(node_fqdn "$f") $f"; done; } > "$E/hosts"
  cat > "$ND/bin/devcloud-node.env" <<EOF
DEVCLOUD_DIR=$W
NODE=$fq
SHORT=$s
NODE_DIR=$ND
STORAGE_IP=$ip
EOF
  # the node's fstab: each swift device by its label, where the ring expects it
  {
    echo "# /etc/fstab of devcloud storage node $fq: the swift devices (XFS, whole disk, by label)"
    for d in $SWIFT_DEVICES; do echo "LABEL=$s-$d /srv/node/$d xfs noatime,nofail 0 0"; done
  } > "$E/fstab"

  swift_common_conf "$E/swift/swift.conf"
  local kind
  for kind in account container object; do
    {
      cat <<EOF
# $kind server of devcloud storage node $fq
[DEFAULT]
bind_ip = $ip
bind_port = ${SWIFT_PORT[$kind]}
# one worker, as in production a forked one: only a forked worker drops to "user" (swift); with workers = 0 the
# server runs as root and creates root-owned partition directories and .lock files, on which the replicators
# (which do drop to swift) fail with EACCES, so no partition was ever replicated (a replaced disk never refilled)
workers = 1
user = swift
swift_dir = /etc/swift
devices = /srv/node
mount_check = true
log_name = $kind-server-$s
log_level = INFO
recon_cache_path = /var/cache/swift

[pipeline:main]
pipeline = healthcheck recon $kind-server

[app:$kind-server]
use = egg:swift#$kind

[filter:healthcheck]
use = egg:swift#healthcheck

[filter:recon]
use = egg:swift#recon
recon_cache_path = /var/cache/swift

[$kind-replicator]
# devcloud: short passes so a replaced disk refills within seconds
interval = 5
EOF
      [ "$kind" = object ] && cat <<EOF
reclaim_age = 604800
rsync_timeout = 30
rsync_module = {replication_ip}::object

[object-auditor]

[object-updater]
EOF
      [ "$kind" = container ] && printf '\n[container-updater]\n# swift'"'"'s own interval (300 s): at 5 s its forked passes took most of a core of the 2-core test machine\n\n[container-auditor]\n\n[container-sync]\n'
      [ "$kind" = account ] && printf '\n[account-auditor]\n\n[account-reaper]\n'
    } > "$E/swift/$kind-server.conf"
  done
  cat > "$E/rsyncd.conf" <<EOF
# rsync daemon of devcloud storage node $fq (swift replication)
uid = swift
gid = swift
use chroot = yes
address = $ip
port = $SWIFT_RSYNC_PORT
pid file = $ND/run/rsyncd.pid
log file = $W/log/swift-rsyncd-$s.log
EOF
  for kind in account container object; do
    cat >> "$E/rsyncd.conf" <<EOF

[$kind]
max connections = 8
path = /srv/node/
read only = false
lock file = $ND/run/rsync-$kind.lock
EOF
  done

  # binds: "SOURCE TARGET [ro]" (applied by lib/controller-ns.sh in the node's new namespace)
  {
    echo "$ND/root /root"
    echo "$ND/bin /usr/local/sbin"
    echo "$ND/bin /usr/local/bin"
    echo "$E/hosts /etc/hosts"
    echo "$E/hostname /etc/hostname"
    echo "$E/fstab /etc/fstab"
    echo "$E/swift /etc/swift"
    echo "$ND/srv/node /srv/node"
    echo "$ND/var/cache/swift /var/cache/swift"
    echo "$ND/var/log/swift /var/log/swift"
    echo "$ND/var/lib/openstackops /var/lib/openstackops"
  } > "$ND/binds"
  write_node_sshd_config "$ND" "$s" "storage node $fq"
}

swift_common_conf() {  # swift.conf (the same on every node and on the proxy)
  cat > "$1" <<EOF
# devcloud swift.conf (identical on ctl01 and every storage node)
[swift-hash]
swift_hash_path_prefix = $SWIFT_HASH_PREFIX
swift_hash_path_suffix = $SWIFT_HASH_SUFFIX

[storage-policy:0]
name = Policy-0
default = yes
EOF
}

# The proxy's config (ctl01:/etc/swift/proxy-server.conf)
swift_proxy_write() {
  mkdir -p "$SWIFT_RING_DIR" /var/cache/swift /srv/node
  swift_common_conf "$SWIFT_RING_DIR/swift.conf"
  cat > "$SWIFT_RING_DIR/proxy-server.conf" <<EOF
# swift proxy of the devcloud (runs in ctl01's mount namespace; /etc/swift = $SWIFT_RING_DIR)
[DEFAULT]
bind_ip = 127.0.0.1
bind_port = $SWIFT_PROXY_PORT
workers = 0
user = swift
swift_dir = /etc/swift
log_name = proxy-server
log_level = INFO

[pipeline:main]
pipeline = catch_errors gatekeeper healthcheck proxy-logging listing_formats bulk authtoken keystoneauth copy slo dlo proxy-logging proxy-server

[app:proxy-server]
use = egg:swift#proxy
account_autocreate = true
# devcloud: a stopped storage server is noticed quickly
conn_timeout = 1
node_timeout = 10
error_suppression_interval = 5

[filter:authtoken]
paste.filter_factory = keystonemiddleware.auth_token:filter_factory
www_authenticate_uri = http://127.0.0.1:5000
auth_url = http://127.0.0.1:5000
auth_type = password
project_domain_name = Default
user_domain_name = Default
project_name = service
username = swift
password = $SVC_PASS
region_name = $REGION
delay_auth_decision = True
service_token_roles_required = true

[filter:keystoneauth]
use = egg:swift#keystoneauth
operator_roles = admin, member
reseller_admin_role = ResellerAdmin

[filter:catch_errors]
use = egg:swift#catch_errors
[filter:gatekeeper]
use = egg:swift#gatekeeper
[filter:healthcheck]
use = egg:swift#healthcheck
[filter:proxy-logging]
use = egg:swift#proxy_logging
[filter:listing_formats]
use = egg:swift#listing_formats
[filter:bulk]
use = egg:swift#bulk
[filter:copy]
use = egg:swift#copy
[filter:slo]
use = egg:swift#slo
[filter:dlo]
use = egg:swift#dlo
EOF
}

# swift_rings_build : the three builders on the ring host, every storage node's devices
# (region 1, zone = node number, its address and the server's port, weight 100, meta = node),
# rebalanced, the rings written; then copied to every storage node. What
# `swift-ring-builder X.builder create 6 3 0; ... add --region 1 --zone Z --ip IP --port P --device dN
# --weight 100 --meta sNN; ... rebalance` does, in one python process (21 CLI runs took ~25 s here).
swift_rings_build() {
  local s specs=""
  for s in $STORAGE_NODES; do specs="$specs $s:$((10#${s#s})):$(storage_ip "$s")"; done
  DIR=$SWIFT_RING_DIR PP=$SWIFT_PART_POWER REP=$SWIFT_REPLICAS MPH=$SWIFT_MIN_PART_HOURS \
  NODES="$specs" DEVS="$SWIFT_DEVICES" WEIGHT=$SWIFT_WEIGHT \
  PORTS="account:${SWIFT_PORT[account]} container:${SWIFT_PORT[container]} object:${SWIFT_PORT[object]}" \
  /usr/bin/python3 - >"$W/log/swift-rings.out" 2>&1 <<'PY' || die "building the rings failed; see $W/log/swift-rings.out"
import os
from swift.common.ring import RingBuilder
e = os.environ
for spec in e['PORTS'].split():
    kind, port = spec.split(':')
    b = RingBuilder(int(e['PP']), float(e['REP']), int(e['MPH']))
    for node in e['NODES'].split():
        short, zone, ip = node.split(':')
        for dev in e['DEVS'].split():
            # replication_ip/port as `swift-ring-builder add` sets them (else the CLI calls the ring file obsolete)
            b.add_dev({'region': 1, 'zone': int(zone), 'ip': ip, 'port': int(port), 'device': dev,
                       'replication_ip': ip, 'replication_port': int(port),
                       'weight': float(e['WEIGHT']), 'meta': short})
    parts, balance, removed = b.rebalance()
    path = os.path.join(e['DIR'], kind)
    b.save(path + '.builder')
    b.get_ring().save(path + '.ring.gz')
    print('%s: %d devices, reassigned %d partitions, balance %.2f' % (kind, len(b.devs), parts, balance))
PY
  for s in $STORAGE_NODES; do cp "$SWIFT_RING_DIR"/*.ring.gz "$W/nodes/$s/etc/swift/"; done
}

# swift_disks_make SHORT : one sparse file + loop device + XFS per device; mounted by the node's
# fstab (mount -a inside the node), owned by swift. Loop devices recorded in $W/state/swift-loops.
swift_disks_make() {
  local s=$1 ND d img dev
  ND=$W/nodes/$s
  for d in $SWIFT_DEVICES; do
    img=$ND/disks/$d.img
    rm -f "$img"; truncate -s "${SWIFT_DISK_MIB}M" "$img"
    dev=$(swift_loop_attach "$img")
    mkfs.xfs -q -f -L "$s-$d" "$dev" >>"$W/log/swift-mkfs.out" 2>&1 ||
      die "mkfs.xfs on $dev ($img) failed; see $W/log/swift-mkfs.out"
    mkdir -p "$ND/srv/node/$d"
  done
}

swift_loop_attach() {  # swift_loop_attach FILE -> prints the loop device, records it
  local dev
  dev=$(losetup -f --show "$1") || die "losetup -f --show $1 failed"
  mkdir -p "$W/state"
  echo "$dev $(losetup -l -n -O BACK-INO,BACK-MAJ:MIN "$dev" | awk '{print $1, $2}')" >> "$W/state/swift-loops"
  echo "$dev"
}

swift_node_mount() {  # mount -a inside node SHORT, then chown the device roots to swift
  local s=$1 p d
  p=$(swift_ns_pid "$s") || die "storage node $s is not running"
  nsenter --target "$p" --mount --uts -- sh -c 'mount -a && for d in /srv/node/*; do mountpoint -q "$d" && chown swift:swift "$d"; done; true' ||
    die "mount -a on storage node $s failed"
  for d in $SWIFT_DEVICES; do
    nsenter --target "$p" --mount -- mountpoint -q "/srv/node/$d" || die "storage node $s: /srv/node/$d is not mounted after mount -a"
  done
}

swift_node_start() {  # the node's sshd (its namespace)
  local s=$1 extra=()
  [ "${DEVCLOUD_BREAK:-}" = "sshd-$s" ] && extra+=(-o BogusOption=yes)
  start "sshd-$s" unshare --mount --uts --propagation private \
    "$DEVCLOUD_HOME/lib/controller-ns.sh" "$W/nodes/$s" "$W/log/sshd-$s.log" "${extra[@]}"
}

# swift_cmd NAME : the command line of recorded Swift process NAME (as it runs in its node)
swift_cmd() {
  local name=$1 s kind
  case "$name" in
    swift-proxy) echo "swift-proxy-server /etc/swift/proxy-server.conf --verbose" ;;
    swift-rsyncd-s*) s=${name#swift-rsyncd-}; echo "rsync --daemon --no-detach --config=$W/nodes/$s/etc/rsyncd.conf" ;;
    swift-*-replicator-s*|swift-*-updater-s*) s=${name##*-}; kind=${name#swift-}; kind=${kind%%-*}
                         local daemon=${name#swift-}; daemon=${daemon%-*}
                         echo "swift-$daemon /etc/swift/$kind-server.conf --verbose" ;;
    swift-*-s*) s=${name##*-}; kind=${name#swift-}; kind=${kind%-*}
                echo "swift-$kind-server /etc/swift/$kind-server.conf --verbose" ;;
    *) return 1 ;;
  esac
}
swift_node_of() {  # the node a Swift process runs in
  case "$1" in swift-proxy) echo "$SWIFT_RING_HOST" ;; *) echo "${1##*-}" ;; esac
}

# swift_start NAME : start recorded Swift process NAME in its node's namespace (own session,
# PID in $W/pids/NAME.pid, output in $W/log/NAME.out). Also how a stopped one is started again.
swift_start() {
  local name=$1 node p cmd
  node=$(swift_node_of "$name"); cmd=$(swift_cmd "$name") || die "unknown swift process $name"
  p=$(swift_ns_pid "$node") || die "node $node is not running (no sshd-$node)"
  # shellcheck disable=SC2086
  start "$name" nsenter --target "$p" --mount --uts -- $cmd
}

swift_stop() {  # swift_stop NAME... : TERM (KILL after 10 s) the recorded groups
  stop_groups 10 "$@"
}

# ctl01's /etc/swift: bound into its running namespace (idempotent)
swift_ring_host_bind() {
  local p
  p=$(swift_ns_pid "$SWIFT_RING_HOST") || die "controller node $SWIFT_RING_HOST is not running: run up.sh first"
  mkdir -p /etc/swift
  if ! nsenter --target "$p" --mount -- sh -c 'cat /proc/self/mountinfo' | awk '{print $5}' | grep -qx /etc/swift; then
    nsenter --target "$p" --mount -- mount --bind "$SWIFT_RING_DIR" /etc/swift
  fi
}

swift_catalog() {  # keystone: service user swift, object-store service + endpoints (idempotent)
  OS_AUTH_URL=http://127.0.0.1:5000/v3 OS_PASSWORD="$ADMIN_PASS" SVC_PASS="$SVC_PASS" \
    DEMO_PASS="$DEMO_PASS" REGION="$REGION" SERVICE_USERS=swift \
    ENDPOINTS="object-store:swift:$SWIFT_PROXY_URL/v1/AUTH_%(project_id)s" \
    /usr/bin/python3 "$DEVCLOUD_HOME/lib/catalog.py" >"$W/log/swift-catalog.out" 2>&1 ||
    die "keystone catalog (object-store) failed; see $W/log/swift-catalog.out"
}

swift_json() {  # $W/storage-nodes.json (one object per storage node) and $W/swift.json
  local s first=1 d devs
  {
    echo "["
    for s in $STORAGE_NODES; do
      [ $first = 1 ] || echo ","; first=0
      devs=$(for d in $SWIFT_DEVICES; do
        jq -n --arg d "$d" --arg s "$s" --arg img "$W/nodes/$s/disks/$d.img" \
          --arg loop "$(losetup -n -O NAME -j "$W/nodes/$s/disks/$d.img" 2>/dev/null | head -1)" \
          --argjson mib "$SWIFT_DISK_MIB" --argjson w "$SWIFT_WEIGHT" \
          '{name: $d, mountPoint: ("/srv/node/" + $d), fstabSpec: ("LABEL=" + $s + "-" + $d), label: ($s + "-" + $d),
            fsType: "xfs", backingFile: $img, loopDevice: (if $loop == "" then null else $loop end),
            sizeMiB: $mib, weight: $w}'
      done | jq -s .)
      jq -n --arg name "$(node_fqdn "$s")" --arg short "$s" --argjson port "$(node_port "$s")" \
        --arg key "$W/ssh/id_ed25519" --arg rsa "$W/ssh/id_rsa" --arg kh "$W/ssh/known_hosts" \
        --arg pw "$NODE_PASS" --arg user "$NODE_USER" --arg nd "$W/nodes/$s" \
        --arg ed "$(ssh-keygen -lf "$W/ssh/hostkeys/$s/ssh_host_ed25519_key.pub" | cut -d' ' -f2)" \
        --arg rsafp "$(ssh-keygen -lf "$W/ssh/hostkeys/$s/ssh_host_rsa_key.pub" | cut -d' ' -f2)" \
        --arg sshpid "$(recorded_pid "sshd-$s")" --arg ip "$(storage_ip "$s")" \
        --argjson zone "$((10#${s#s}))" --argjson devs "$devs" \
        --argjson op "${SWIFT_PORT[object]}" --argjson cp "${SWIFT_PORT[container]}" --argjson ap "${SWIFT_PORT[account]}" \
        --argjson rp "$SWIFT_RSYNC_PORT" \
        '{name: $name, short: $short, host: "127.0.0.1", port: $port,
          users: {
            root: {auth: ["publickey"], password: null, sudo: null},
            ($user): {auth: ["publickey", "password"], password: $pw, sudo: "sudo -n (NOPASSWD: ALL)"}
          },
          keyFile: $key, rsaKeyFile: $rsa, knownHosts: $kh,
          hostKeyFingerprints: {"ssh-ed25519": $ed, "ssh-rsa": $rsafp},
          sshdPid: ($sshpid | tonumber? // null),
          storageIp: $ip, region: 1, zone: $zone,
          ports: {object: $op, container: $cp, account: $ap, rsync: $rp},
          swiftDir: "/etc/swift", devicesPath: "/srv/node", fstab: "/etc/fstab",
          hostDir: $nd, devices: $devs}'
    done
    echo "]"
  } | jq . > "$W/storage-nodes.json"
  jq -n --arg url "$SWIFT_PROXY_URL" --arg w "$W" --arg rh "$SWIFT_RING_HOST" --arg rhf "$(node_fqdn "$SWIFT_RING_HOST")" \
    --arg rd "$SWIFT_RING_DIR" --argjson pp "$SWIFT_PART_POWER" --argjson rep "$SWIFT_REPLICAS" \
    --argjson mph "$SWIFT_MIN_PART_HOURS" --arg nodes "$STORAGE_NODES" \
    '{proxy: {url: $url, endpoint: ($url + "/v1/AUTH_%(project_id)s"), node: $rh,
              pidFile: ($w + "/pids/swift-proxy.pid"), log: ($w + "/log/swift-proxy.out"),
              config: "/etc/swift/proxy-server.conf",
              restart: ("tools/devcloud/swift.sh start swift-proxy")},
      ringHost: {node: $rh, name: $rhf, swiftDir: "/etc/swift", hostSwiftDir: $rd,
                 builders: {account: "/etc/swift/account.builder", container: "/etc/swift/container.builder",
                            object: "/etc/swift/object.builder"},
                 rings: ["account.ring.gz", "container.ring.gz", "object.ring.gz"]},
      partPower: $pp, replicas: $rep, minPartHours: $mph,
      storageNodes: ($nodes | split(" ")), storageNodesFile: ($w + "/storage-nodes.json")}' > "$W/swift.json"
}

# swift_up : the whole Swift, onto a devcloud whose control plane and ctl01 are up. Idempotent:
# a Swift that is already up is left alone (exit 0); a partial one is refused.
swift_state() {  # SWIFT_STATE: up | none | partial ; SWIFT_DEAD: names
  local n any=0 all=1
  SWIFT_DEAD=()
  for n in $(swift_all_procs); do
    if svc_alive "$n"; then any=1; else all=0; SWIFT_DEAD+=("$n"); fi
  done
  if [ $all = 1 ]; then SWIFT_STATE=up; elif [ $any = 0 ]; then SWIFT_STATE=none; else SWIFT_STATE=partial; fi
}

swift_listening() {  # swift_listening IP PORT
  ss -Hltn "src $1:$2" 2>/dev/null | grep -q .
}
