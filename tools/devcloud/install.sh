#!/bin/bash
# Install what the devcloud needs from the Debian 12 (bookworm) mirror, and
# create the node user. Idempotent: a re-run only installs what is missing.
#   install.sh          everything (the devcloud and every test tier)
#   install.sh --unit   only what the tiers without a devcloud need (tools/test.sh with OSOPS_TIERS=unit):
#                       swift-ring-builder (package swift) for the Swift ring engine tests
# Packages must not start services: policy-rc.d exits 101 (there is no
# systemd here either). Log: $DEVCLOUD_INSTALL_LOG (/tmp/osops-devcloud-install.log).
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
. "$HERE/lib/common.sh"
. "$HERE/lib/nodes.sh"
export DEBIAN_FRONTEND=noninteractive
LOG=${DEVCLOUD_INSTALL_LOG:-/tmp/osops-devcloud-install.log}
t0=$(date +%s)
[ "$(id -u)" = 0 ] || die "install.sh must run as root"

# nova-compute needs a "nova-compute-hypervisor": nova-compute-ironic is the
# lightest provider (no qemu/libvirt daemons); its driver is never used.
PKGS=(
  mariadb-server rabbitmq-server
  keystone placement-api
  nova-api nova-conductor nova-scheduler nova-compute nova-compute-ironic
  neutron-server glance-api
  cinder-api cinder-scheduler cinder-volume
  swift swift-proxy swift-account swift-container swift-object xfsprogs rsync python3-swiftclient
  uwsgi-plugin-python3
  python3-openstackclient python3-novaclient python3-glanceclient
  python3-neutronclient python3-cinderclient python3-osc-placement
  python3-openstacksdk python3-keystoneclient python3-pymysql
  openssh-server openssh-client sudo
  util-linux mount fdisk e2fsprogs kmod qemu-utils
  iproute2 procps jq curl
)

# the tiers that need no devcloud: the Swift ring engine tests run the real swift-ring-builder
UNIT_PKGS=(swift)
UNIT_ONLY=0
case "${1:-}" in
  --unit) UNIT_ONLY=1; PKGS=("${UNIT_PKGS[@]}") ;;
  "") ;;
  *) die "usage: install.sh [--unit]" ;;
esac

# 1. maintainer scripts must not start daemons
if [ ! -x /usr/sbin/policy-rc.d ] || ! grep -q 'exit 101' /usr/sbin/policy-rc.d; then
  printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d
  chmod 0755 /usr/sbin/policy-rc.d
fi

# 2. debconf: no dbconfig-common, no endpoint registration, no auto-config
{
  for p in keystone nova-common nova-api neutron-common glance-common cinder-common placement-common; do
    for q in dbconfig-install dbconfig-upgrade dbconfig-remove; do echo "$p $p/$q boolean false"; done
  done
  echo "keystone keystone/configure_db boolean false"
  echo "keystone keystone/create-admin-tenant boolean false"
  echo "keystone keystone/register-endpoint boolean false"
  for s in nova neutron glance cinder placement; do
    echo "$s-common $s/configure_db boolean false"
    echo "$s-common $s/configure_ksat boolean false"
    echo "$s-common $s/configure_rabbit boolean false"
    echo "$s-api $s/configure_api-endpoint boolean false"
  done
  echo "nova-api novaapi/configure_db boolean false"
  echo "nova-common nova/configure_neutron boolean false"
  echo "nova-common nova/configure_placement boolean false"
  echo "neutron-common neutron/configure_nova boolean false"
} | debconf-set-selections

installed() { dpkg-query -W -f='${Status}\n' "$1" 2>/dev/null | grep -q '^install ok installed$'; }
missing=()
for p in "${PKGS[@]}"; do installed "$p" || missing+=("$p"); done

if [ ${#missing[@]} -gt 0 ]; then
  # 3. package lists (once per 6 h)
  stamp=/var/lib/apt/periodic/osops-devcloud-update-stamp
  if [ ! -f "$stamp" ] || [ -n "$(find "$stamp" -mmin +360 2>/dev/null)" ]; then
    apt-get update >>"$LOG" 2>&1 || die "apt-get update failed; see $LOG"
    mkdir -p "$(dirname "$stamp")"; touch "$stamp"
  fi
  say "installing ${#missing[@]} package(s): ${missing[*]} (log: $LOG)"
  if ! apt-get install -y --no-install-recommends \
       -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold \
       "${missing[@]}" >>"$LOG" 2>&1; then
    nocand=()
    for p in "${missing[@]}"; do
      apt-cache policy "$p" 2>/dev/null | grep -q 'Candidate: [^(]' || nocand+=("$p")
    done
    tail -n 20 "$LOG" >&2
    [ ${#nocand[@]} -gt 0 ] && die "package(s) not available from the mirror: ${nocand[*]} (log: $LOG)"
    die "apt-get install failed for: ${missing[*]} (log: $LOG)"
  fi
  failed=()
  for p in "${missing[@]}"; do installed "$p" || failed+=("$p"); done
  [ ${#failed[@]} -eq 0 ] || die "not installed after apt-get: ${failed[*]} (log: $LOG)"
else
  say "all ${#PKGS[@]} packages already installed"
fi

if [ "$UNIT_ONLY" = 1 ]; then say "install.sh --unit done in $(( $(date +%s) - t0 )) s (log: $LOG)"; exit 0; fi

# 4. node user osops (password + passwordless sudo), mount points of the nodes
ensure_node_user

# 5. maintainer scripts should not have left daemons (policy-rc.d). Report only.
[ -d "$W/pids" ] || ps -eo pid,args | grep -E '[m]ariadbd|[b]eam.smp|[u]wsgi|/usr/bin/(nova|neutron|glance|cinder|swift)-' || true

say "install.sh done in $(( $(date +%s) - t0 )) s (log: $LOG)"
