# Checks before up.sh starts anything: installed packages, free ports, the
# node user. Sourced after common.sh and nodes.sh.

# path | package | what needs it
PREREQS="
/usr/sbin/mariadbd|mariadb-server|mariadb
/usr/bin/mariadb|mariadb-client|mariadb
/usr/lib/rabbitmq/bin/rabbitmq-server|rabbitmq-server|rabbitmq
/usr/bin/epmd|erlang-base|epmd
/usr/lib/uwsgi/plugins/python3_plugin.so|uwsgi-plugin-python3|keystone, placement-api, nova-api
/usr/bin/keystone-wsgi-public|keystone|keystone
/usr/bin/placement-api|placement-api|placement-api
/usr/bin/nova-api-wsgi|nova-api|nova-api
/usr/bin/nova-conductor|nova-conductor|nova-conductor
/usr/bin/nova-scheduler|nova-scheduler|nova-scheduler
/usr/bin/nova-compute|nova-compute|nova-compute-c01..c03
/usr/bin/neutron-server|neutron-server|neutron-server
/usr/bin/glance-api|glance-api|glance-api
/usr/bin/cinder-api|cinder-api|cinder-api
/usr/bin/cinder-scheduler|cinder-scheduler|cinder-scheduler
/usr/bin/cinder-volume|cinder-volume|cinder-volume
/usr/sbin/sshd|openssh-server|sshd-c01..c03
/usr/bin/ssh-keygen|openssh-client|node ssh keys
/usr/bin/sudo|sudo|node user osops
/usr/sbin/losetup|mount|qemu-nbd stand-in
/usr/bin/partx|util-linux|qemu-nbd stand-in
/usr/bin/nsenter|util-linux|nodes
/usr/sbin/sfdisk|fdisk|instance disk images
/usr/sbin/mkfs.ext4|e2fsprogs|instance disk images
/usr/bin/qemu-img|qemu-utils|qcow2 instance disks, qemu-nbd stand-in
/usr/bin/ss|iproute2|port checks
/usr/bin/jq|jq|nodes.json, seed.json
/usr/bin/curl|curl|API checks
/usr/bin/openstack|python3-openstackclient|clients
"
# Swift (swift.sh; up.sh with DEVCLOUD_SWIFT=0 does not need them)
PREREQS_SWIFT="
/usr/bin/swift-proxy-server|swift-proxy|swift-proxy
/usr/bin/swift-account-server|swift-account|storage nodes s01..s03
/usr/bin/swift-container-server|swift-container|storage nodes s01..s03
/usr/bin/swift-object-server|swift-object|storage nodes s01..s03
/usr/bin/swift-ring-builder|swift|rings
/usr/sbin/mkfs.xfs|xfsprogs|storage node disks
/usr/bin/rsync|rsync|swift replication
/usr/bin/swift|python3-swiftclient|swift CLI (smoke.sh)
"
if [ "${DEVCLOUD_SWIFT:-1}" = 1 ]; then PREREQS="$PREREQS$PREREQS_SWIFT"; fi

preflight() {
  local line path pkg what bad=() name port users
  while IFS='|' read -r path pkg what; do
    [ -n "$path" ] || continue
    # DEVCLOUD_PRETEND_MISSING=PATH: test hook for this error path
    if [ ! -e "$path" ] || [ "$path" = "${DEVCLOUD_PRETEND_MISSING:-}" ]; then
      bad+=("$what: $path is missing (package $pkg)")
    fi
  done <<< "$PREREQS"
  /usr/bin/python3 -c 'import openstack, pymysql, keystoneclient' 2>/dev/null ||
    bad+=("seeding/virsh: python modules missing (packages python3-openstacksdk python3-pymysql python3-keystoneclient)")
  if [ ${#bad[@]} -gt 0 ]; then
    warn "cannot start, missing packages:"
    for line in "${bad[@]}"; do warn "  $line"; done
    die "run $DEVCLOUD_HOME/install.sh (its log: ${DEVCLOUD_INSTALL_LOG:-/tmp/osops-devcloud-install.log})"
  fi

  for name in "${!PORT_OF[@]}"; do
    port=${PORT_OF[$name]}
    users=$(ss -Hltnp "sport = :$port" 2>/dev/null)
    [ -n "$users" ] || continue
    bad+=("port $port needed by $name (log: $(svc_log "${name%-dist}")) is already in use: $(echo "$users" | awk '{print $4, $6}' | head -1)")
  done
  if [ ${#bad[@]} -gt 0 ]; then
    for line in "${bad[@]}"; do warn "$line"; done
    die "free the port(s) above (or stop whatever holds them) and run up.sh again; nothing was started"
  fi
  ensure_node_user
}
