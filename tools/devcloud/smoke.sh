#!/bin/bash
# Fast check (< 60 s) of a devcloud brought up by up.sh: APIs, compute
# services (the spare c04 up and disabled with its reason), the seeded servers, every node over ssh (root with key and strict
# host key checking, osops with sudo -n, password and RSA-PEM logins), the
# controller node ctl01 (its units active, nova-api.log the real file) and a
# full qemu-nbd connect/mount/read/umount/disconnect round trip on c01.
# Ends with "N passed, N failed"; exit code 0 only if nothing failed.
set -uo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
. "$HERE/lib/common.sh"
[ -f "$W/seed.json" ] || die "no $W/seed.json: run up.sh first"
SEED=$W/seed.json

PASS=0 FAIL=0 T0=$(date +%s.%N)
ok()  { PASS=$((PASS + 1)); echo "  ok    $*"; }
bad() { FAIL=$((FAIL + 1)); echo "  FAIL  $*"; }
check() { local d=$1; shift; if "$@"; then ok "$d"; else bad "$d"; fi; }
el() { awk -v a="$(date +%s.%N)" -v b="$T0" 'BEGIN{printf "%.1f", a-b}'; }

SSH_OPTS=(-o StrictHostKeyChecking=yes -o UserKnownHostsFile="$W/ssh/known_hosts"
          -o IdentitiesOnly=yes -o BatchMode=yes -o ConnectTimeout=5)
node_ssh() {  # node_ssh USER SHORT CMD  (ed25519 key)
  ssh "${SSH_OPTS[@]}" -i "$W/ssh/id_ed25519" -p "$(node_port "$2")" "$1@127.0.0.1" "$3"
}

echo "=== APIs"
TOKEN=$(curl -si -m 10 -H 'Content-Type: application/json' -d "{\"auth\":{\"identity\":{\"methods\":[\"password\"],
  \"password\":{\"user\":{\"name\":\"admin\",\"domain\":{\"id\":\"default\"},\"password\":\"$ADMIN_PASS\"}}},
  \"scope\":{\"project\":{\"name\":\"admin\",\"domain\":{\"id\":\"default\"}}}}}" \
  http://127.0.0.1:5000/v3/auth/tokens | awk -F': ' 'tolower($1)=="x-subject-token"{print $2}' | tr -d '\r')
check "keystone issues an admin token" [ -n "$TOKEN" ]
api() { curl -s -m 15 -H "X-Auth-Token: $TOKEN" "$@"; }
for name in placement-api glance-api nova-api neutron-server cinder-api; do
  code=$(curl -s -o /dev/null -m 5 -w '%{http_code}' "${API_URL[$name]}")
  check "$name answers at ${API_URL[$name]} (HTTP $code)" [ "${code:0:1}" = 2 -o "${code:0:1}" = 3 ]
done

echo "=== compute services and seeded servers"
svcs=$(api -H 'OpenStack-API-Version: compute 2.53' 'http://127.0.0.1:8774/v2.1/os-services?binary=nova-compute')
for s in $NODES; do
  got=$(jq -r --arg h "$(node_fqdn "$s")" '.services[] | select(.host == $h) | "\(.state) \(.status) \(.disabled_reason // "")"' <<< "$svcs")
  if is_spare "$s"; then want="up disabled $SPARE_REASON"; else want="up enabled "; fi
  check "$s: nova-compute service $want ($got)" [ "$got" = "$want" ]
done
servers=$(api -H 'OpenStack-API-Version: compute 2.90' 'http://127.0.0.1:8774/v2.1/servers/detail?all_tenants=1')
while read -r id name host want; do
  got=$(jq -r --arg id "$id" '.servers[] | select(.id == $id) | "\(.status) \(."OS-EXT-SRV-ATTR:host")"' <<< "$servers")
  check "server $name is $want on $host ($got)" [ "$got" = "$want $host" ]
done < <(jq -r '.servers[] | "\(.id) \(.name) \(.host) \(if .name == "c03-batch" then "SHUTOFF" else "ACTIVE" end)"' "$SEED")

echo "=== nodes over ssh"
for s in $NODES; do
  fq=$(node_fqdn "$s")
  out=$(node_ssh root "$s" 'hostname; systemctl is-active nova-compute; grep -c "Connected to AMQP server" /var/log/nova/nova-compute.log; virsh list --all' 2>&1)
  rc=$?
  check "$s: root ssh with key + strict host key checking (rc $rc)" [ $rc -eq 0 ]
  check "$s: hostname is $fq" [ "$(sed -n 1p <<< "$out")" = "$fq" ]
  check "$s: systemctl is-active nova-compute = active" [ "$(sed -n 2p <<< "$out")" = active ]
  n=$(sed -n 3p <<< "$out")
  check "$s: nova-compute.log has $n 'Connected to AMQP server' line(s)" [ "${n:-0}" -gt 0 ]
  want=$(jq -r --arg s "$s" '.servers[] | select(.node == $s) | "\(.instanceName) \(if .status == "SHUTOFF" then "shut off" else "running" end)"' "$SEED" | sort)
  got=$(awk '$2 ~ /^instance-/ {st=$3; for (i = 4; i <= NF; i++) st = st " " $i; print $2, st}' <<< "$out" | sort)
  check "$s: virsh list --all shows its seeded domains ($(echo $want | tr '\n' ' '))" [ "$want" = "$got" ]
  out=$(node_ssh "$NODE_USER" "$s" 'id -un; sudo -n systemctl is-active nova-compute; sudo -n id -u' 2>&1)
  check "$s: osops key login, sudo -n works ($(echo $out))" [ "$(echo $out)" = "$NODE_USER active 0" ]
done

askpass=$(mktemp "$W/tmp/askpass.XXXXXX"); printf '#!/bin/sh\necho %s\n' "$NODE_PASS" > "$askpass"; chmod 700 "$askpass"
out=$(SSH_ASKPASS=$askpass SSH_ASKPASS_REQUIRE=force setsid ssh -o StrictHostKeyChecking=yes \
      -o UserKnownHostsFile="$W/ssh/known_hosts" -o PreferredAuthentications=password \
      -o PubkeyAuthentication=no -o NumberOfPasswordPrompts=1 -p "$(node_port c02)" \
      "$NODE_USER@127.0.0.1" 'hostname' </dev/null 2>&1)
rm -f "$askpass"
check "c02: osops password login ($out)" [ "$out" = "c02.example.com" ]
out=$(ssh "${SSH_OPTS[@]}" -i "$W/ssh/id_rsa" -p "$(node_port c03)" root@127.0.0.1 hostname 2>&1)
check "c03: root login with the RSA PEM key ($out)" [ "$out" = "c03.example.com" ]

echo "=== controller node $CTL_NODE over ssh"
fq=$(node_fqdn "$CTL_NODE")
units=$(awk '{print $1}' "$W/nodes/$CTL_NODE/bin/units" 2>/dev/null | tr '\n' ' ')
out=$(node_ssh root "$CTL_NODE" "hostname; systemctl is-active $units" 2>&1)
rc=$?
check "$CTL_NODE: root ssh with key + strict host key checking (rc $rc)" [ $rc -eq 0 ]
check "$CTL_NODE: hostname is $fq" [ "$(sed -n 1p <<< "$out")" = "$fq" ]
check "$CTL_NODE: systemctl is-active of $(wc -w <<< "$units") units ($units) all active" \
  [ "$(sed -n '2,$p' <<< "$out" | sort -u)" = active ]
out=$(node_ssh "$NODE_USER" "$CTL_NODE" 'sudo -n systemctl is-active nova-api; systemctl status nova-api | sed -n "s/^ *Main PID: \([0-9]*\).*/\1/p"' 2>&1)
check "$CTL_NODE: osops sudo -n systemctl is-active nova-api, status shows the recorded Main PID ($(echo $out))" \
  [ "$(echo $out)" = "active $(recorded_pid nova-api)" ]
# the node's nova-api.log is the file nova-api writes: the request id of an API call made now is in it
rid=$(curl -si -m 15 -H "X-Auth-Token: $TOKEN" http://127.0.0.1:8774/v2.1/os-services |
      awk -F': ' 'tolower($1)=="x-compute-request-id"{print $2}' | tr -d '\r')
n=0
for _ in 1 2 3 4 5; do
  n=$(node_ssh root "$CTL_NODE" "grep -c -- '$rid' /var/log/nova/nova-api.log" 2>/dev/null)
  [ "${n:-0}" -gt 0 ] && break; sleep 1
done
[ -n "$rid" ] && [ "${n:-0}" -gt 0 ]
check "$CTL_NODE: /var/log/nova/nova-api.log has the request id $rid of a call made now ($n line(s))" [ $? -eq 0 ]
same=$(node_ssh root "$CTL_NODE" 'stat -c %i /var/log/nova/nova-conductor.log /var/log/neutron/neutron-server.log' 2>&1 | tr '\n' ' ')
check "$CTL_NODE: its nova-conductor.log and neutron-server.log are the services' files (inodes $same)" \
  [ "$same" = "$(stat -c %i "$W/log/nova-conductor.log" "$W/log/neutron-server.log" | tr '\n' ' ')" ]
out=$(node_ssh root "$CTL_NODE" 'systemctl stop keystone' 2>&1)
check "$CTL_NODE: systemctl stop keystone is refused (shared control plane)" grep -q "refused by the devcloud" <<< "$out"

echo "=== Swift (proxy 127.0.0.1:8080 on $CTL_NODE, storage nodes $STORAGE_NODES)"
if [ -f "$W/swift.json" ]; then
  . "$HERE/lib/swift.sh"
  ep=$(api http://127.0.0.1:5000/v3/auth/catalog | jq -r '.catalog[] | select(.type == "object-store") | .endpoints[] | select(.interface == "public") | .url')
  check "keystone's catalog has object-store at $ep" grep -q "^$SWIFT_PROXY_URL/v1/AUTH_" <<< "$ep"
  obj=smoke-$$-$(date +%s) body="devcloud smoke $(date +%s.%N)"
  printf '%s' "$body" > "$W/tmp/$obj"
  out=$( . "$W/openrc"
    swift upload devcloud-smoke "$W/tmp/$obj" --object-name "$obj" >/dev/null &&
    swift download devcloud-smoke "$obj" -o - &&
    echo && swift stat devcloud-smoke "$obj" | awk '/ETag/{print $2}' &&
    swift delete devcloud-smoke "$obj" >/dev/null && swift delete devcloud-smoke >/dev/null 2>&1; true)
  rm -f "$W/tmp/$obj"
  check "swift CLI: upload, download ($(sed -n 1p <<< "$out")), delete through the proxy" [ "$(sed -n 1p <<< "$out")" = "$body" ]
  check "swift stat: ETag = md5 of the body" [ "$(sed -n 2p <<< "$out")" = "$(printf '%s' "$body" | md5sum | cut -d' ' -f1)" ]
  for s in $STORAGE_NODES; do
    ip=$(storage_ip "$s")
    out=$(node_ssh root "$s" "hostname; for d in $SWIFT_DEVICES; do mountpoint -q /srv/node/\$d && findmnt -n -o FSTYPE /srv/node/\$d; done; curl -s -m 5 http://$ip:${SWIFT_PORT[object]}/recon/unmounted" 2>&1)
    check "$s: hostname $(node_fqdn "$s"), /srv/node/{${SWIFT_DEVICES// /,}} XFS mounts, object server $ip:${SWIFT_PORT[object]} recon says none unmounted ($(echo $out))" \
      [ "$(echo $out)" = "$(node_fqdn "$s") $(for d in $SWIFT_DEVICES; do printf 'xfs '; done)[]" ]
  done
  out=$(node_ssh "$NODE_USER" "$SWIFT_RING_HOST" "sudo -n swift-ring-builder /etc/swift/object.builder" 2>&1 | sed -n 1,2p | tr '\n' ' ')
  check "$SWIFT_RING_HOST: swift-ring-builder /etc/swift/object.builder ($out)" grep -q "$SWIFT_REPLICAS.000000 replicas, .*$(( $(wc -w <<< "$STORAGE_NODES") * $(wc -w <<< "$SWIFT_DEVICES") )) devices" <<< "$out"
else
  echo "  (no $W/swift.json: Swift not started; $HERE/swift.sh up)"
fi

echo "=== qemu-nbd round trip on c01"
read -r uuid name host_path < <(jq -r '[.servers[] | select(.node == "c01" and .project == "admin")][0] | "\(.id) \(.name) \(.disk.hostPath)"' "$SEED")
out=$(node_ssh root c01 "set -e
loaded=\$(ls -d /sys/block/nbd0 2>/dev/null || true)
modprobe nbd max_part=8
dev=''
for d in /sys/block/nbd*; do [ -e \$d/pid ] || { dev=/dev/\${d##*/}; break; }; done
echo dev=\$dev
qemu-nbd -c \$dev -r -f raw /var/lib/nova/instances/$uuid/disk
mkdir -p /mnt/devcloud-smoke
mount -o ro \${dev}p1 /mnt/devcloud-smoke
echo hostname=\$(cat /mnt/devcloud-smoke/etc/hostname)
umount /mnt/devcloud-smoke
qemu-nbd -d \$dev
[ -e /sys/block/\${dev#/dev/}/pid ] && echo still-in-use || echo released
rmdir /mnt/devcloud-smoke
[ -n \"\$loaded\" ] || modprobe -r nbd      # leave the node as smoke found it" 2>&1)
rc=$?
echo "$out" | sed 's/^/    /'
check "c01: nbd round trip exits 0" [ $rc -eq 0 ]
check "c01: read /etc/hostname = $name from the mounted disk" grep -qx "hostname=$name" <<< "$out"
freed() { grep -q " disconnected$" <<< "$out" && grep -qx released <<< "$out"; }
check "c01: qemu-nbd -d printed 'disconnected' and freed /sys/block/nbdN/pid" freed
check "c01: no loop device left on the disk image" [ -z "$(losetup -j "$host_path")" ]

echo
echo "smoke took $(el)s"
echo "$PASS passed, $FAIL failed"
[ "$FAIL" -eq 0 ]
