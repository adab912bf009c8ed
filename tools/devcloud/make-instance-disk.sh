#!/bin/bash
# Create (or refresh) a real raw disk image for a server on a devcloud node,
# at the node's /var/lib/nova/instances/UUID/disk (host path
# $DEVCLOUD_DIR/nodes/SHORT/var/lib/nova/instances/UUID/disk).
#
#   make-instance-disk.sh [--local] [--qcow2] [--size MIB] [--name NAME] NODE UUID [/guest/path=CONTENT ...]
#
# disk:       MBR partition table, one ext4 partition (label cloudimg-rootfs,
#             sectors 2048..end) with /etc/hostname (server name), /etc/os-release,
#             /var/log/messages, /var/lib/cloud/data/instance-id (UUID)
# --local:    disk.local instead: no partition table, whole-device ext4
#             labelled ephemeral0 (as nova formats ephemeral disks), /data/README
# --qcow2:    as nova's default image backend lays it out: the image becomes a raw base file under
#             /var/lib/nova/instances/_base/ and disk a qcow2 overlay on it (backing path as the node sees it).
#             Without --qcow2 that base file is removed.
# Extra files: /guest/path=CONTENT (one line; later pairs override earlier ones).
# NODE: c01 or c01.example.com. NAME defaults to the server's name in nova.
# The filesystem is built with mkfs.ext4 -d (no loop device, no mount).
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
. "$HERE/lib/common.sh"

local_disk=0 qcow2=0 size=16 name=""
while [ $# -gt 0 ]; do
  case "$1" in
    --local) local_disk=1 ;;
    --qcow2) qcow2=1 ;;
    --size) size=$2; shift ;;
    --name) name=$2; shift ;;
    -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
    -*) die "unknown option $1" ;;
    *) break ;;
  esac
  shift
done
[ $# -ge 2 ] || die "usage: make-instance-disk.sh [--local] [--size MIB] [--name NAME] NODE UUID [/path=CONTENT ...]"
s=$(node_short "$1") uuid=$2; shift 2
[[ "$uuid" =~ ^[0-9a-f-]{36}$ ]] || die "not a UUID: $uuid"
ND=$W/nodes/$s
[ -d "$ND" ] || die "no node $s under $W (is the devcloud up?)"
if [ -z "$name" ]; then
  name=$(mariadb --defaults-file="$W/mysql/my.cnf" -uroot -N -e \
    "select display_name from nova.instances where uuid='$uuid' and deleted=0" 2>/dev/null || true)
  [ -n "$name" ] || name=$uuid
fi

dir=$ND/var/lib/nova/instances/$uuid
mkdir -p "$dir" "$W/tmp"
stage=$(mktemp -d "$W/tmp/disk.XXXXXX")
img=$dir/disk; [ $local_disk = 1 ] && img=$dir/disk.local
tmp=$img.tmp.$$
trap 'rm -rf "$stage" "$tmp"' EXIT

put() {  # put /guest/path CONTENT
  mkdir -p "$stage$(dirname "$1")"
  printf '%s\n' "$2" > "$stage$1"
}
if [ $local_disk = 1 ]; then
  put /data/README "ephemeral disk (disk.local) of $name ($uuid)"
else
  now=$(date '+%b %e %H:%M:%S')
  put /etc/hostname "$name"
  put /etc/os-release 'NAME="CirrOS"
VERSION="0.6.2"
ID=cirros
PRETTY_NAME="CirrOS 0.6.2 (devcloud fake)"'
  put /var/lib/cloud/data/instance-id "$uuid"
  put /var/log/messages "$now $name syslog.info syslogd started: BusyBox v1.36.1
$now $name kern.info kernel: Linux version 5.15.0-71-generic (devcloud fake guest)
$now $name daemon.info cloud-init: instance-id $uuid
$now $name authpriv.info sshd[412]: Server listening on 0.0.0.0 port 22.
$now $name user.notice root: devcloud disk image of $name on $(node_fqdn "$s")"
fi
for kv in "$@"; do
  [[ "$kv" == /*=* ]] || die "extra file must be /guest/path=CONTENT, got: $kv"
  put "${kv%%=*}" "${kv#*=}"
done

truncate -s "${size}M" "$tmp"
if [ $local_disk = 1 ]; then
  mkfs.ext4 -q -F -L ephemeral0 -d "$stage" "$tmp"
else
  printf 'label: dos\nstart=2048, type=83, bootable\n' | sfdisk -q "$tmp"
  mkfs.ext4 -q -F -L cloudimg-rootfs -E offset=$((2048 * 512)) -d "$stage" "$tmp" "$((size - 1))M"
fi
base_name=osops-$uuid
if [ $local_disk = 1 ]; then base_name=$base_name-local; fi
base=$ND/var/lib/nova/instances/_base/$base_name
if [ $qcow2 = 1 ]; then
  mkdir -p "$(dirname "$base")"
  mv "$tmp" "$base"
  # -u: the backing path is the node's view (/var/lib/nova/...), which does not resolve here.
  qemu-img create -q -f qcow2 -u -F raw -b "/var/lib/nova/instances/_base/$base_name" "$tmp" "${size}M"
else
  rm -f "$base"
fi
mv "$tmp" "$img"
echo "$img"
