# The fake compute hosts ("nodes") c01..c03: users, ssh keys, each node's
# file tree under $W/nodes/SHORT (bind-mounted over the guide's paths inside
# the node's own mount namespace by node-ns.sh), its sshd, nodes.json.
# Sourced after common.sh.

# write_node_sshd_config NODE_DIR SHORT LABEL : the sshd_config of a devcloud node (computes and the controller alike)
write_node_sshd_config() {
  cat > "$1/ssh/sshd_config" <<EOF
# sshd of devcloud $3 (runs in the node's mount namespace)
Port $(node_port "$2")
ListenAddress 127.0.0.1
AddressFamily inet
HostKey $W/ssh/hostkeys/$2/ssh_host_ed25519_key
HostKey $W/ssh/hostkeys/$2/ssh_host_rsa_key
PidFile $1/run/sshd.pid
AuthorizedKeysFile $W/ssh/authorized_keys
# the keys live under /tmp (world-writable parent)
StrictModes no
PermitRootLogin prohibit-password
PubkeyAuthentication yes
PasswordAuthentication yes
KbdInteractiveAuthentication no
PermitEmptyPasswords no
# no PAM: pam_loginuid etc. fail in this sandbox; passwords are checked against /etc/shadow
UsePAM no
AllowUsers root $NODE_USER
# older client libraries only sign with ssh-rsa (SHA-1): loopback test rig only
HostKeyAlgorithms +ssh-rsa
PubkeyAcceptedAlgorithms +ssh-rsa
UseDNS no
PrintMotd no
PrintLastLog no
X11Forwarding no
AcceptEnv LANG LC_*
MaxStartups 64:30:128
MaxSessions 32
LoginGraceTime 30
LogLevel VERBOSE
Subsystem sftp internal-sftp
EOF
}

# The non-root node user: password login + passwordless sudo. Idempotent.
ensure_node_user() {
  if ! id "$NODE_USER" >/dev/null 2>&1; then
    useradd -m -s /bin/bash -c "devcloud node operator" "$NODE_USER"
  fi
  echo "$NODE_USER:$NODE_PASS" | chpasswd
  local f=/etc/sudoers.d/osops-devcloud
  if [ ! -f "$f" ]; then
    echo "$NODE_USER ALL=(ALL:ALL) NOPASSWD: ALL" > "$f.tmp"
    chmod 0440 "$f.tmp"
    visudo -cqf "$f.tmp" && mv "$f.tmp" "$f"
  fi
  # mount points the node namespaces bind over (upstart's dir is absent on Debian)
  mkdir -p /etc/init /run/sshd /var/lib/nova /var/log/nova /var/lib/openstackops
  # and the storage nodes' (lib/swift.sh)
  mkdir -p /srv/node /var/cache/swift /var/log/swift /etc/swift
}

# Client keys, per-node host keys, authorized_keys, known_hosts, ssh config.
# Keys survive down.sh/up.sh (only --wipe removes them) so clients can keep them.
ensure_ssh_material() {
  local S=$W/ssh s port
  # 755: sshd reads authorized_keys as the logging-in user (osops); private keys stay 600
  mkdir -p "$S/hostkeys"; chmod 755 "$S"
  [ -f "$S/id_ed25519" ] || ssh-keygen -q -t ed25519 -N '' -C devcloud-client -f "$S/id_ed25519"
  # PEM ("BEGIN RSA PRIVATE KEY") for older client libraries
  [ -f "$S/id_rsa" ] || ssh-keygen -q -t rsa -b 3072 -m PEM -N '' -C devcloud-client-rsa -f "$S/id_rsa"
  cat "$S/id_ed25519.pub" "$S/id_rsa.pub" > "$S/authorized_keys"
  chmod 644 "$S/authorized_keys"
  : > "$S/known_hosts.tmp"
  for s in $NODES $CTL_NODE $STORAGE_NODES; do node_known_hosts_lines "$s" >> "$S/known_hosts.tmp"; done
  mv "$S/known_hosts.tmp" "$S/known_hosts"
  { for s in $NODES $CTL_NODE $STORAGE_NODES; do node_ssh_config_block "$s"; done; } > "$S/config.tmp"
  mv "$S/config.tmp" "$S/config"   # atomic: swift.sh rewrites it on a running devcloud
}

# node_known_hosts_lines SHORT : its host keys (made once) as known_hosts lines for 127.0.0.1 and localhost
node_known_hosts_lines() {
  local S=$W/ssh s=$1 port t h
  port=$(node_port "$s")
  mkdir -p "$S/hostkeys/$s"
  [ -f "$S/hostkeys/$s/ssh_host_ed25519_key" ] ||
    ssh-keygen -q -t ed25519 -N '' -C "root@$(node_fqdn "$s")" -f "$S/hostkeys/$s/ssh_host_ed25519_key"
  [ -f "$S/hostkeys/$s/ssh_host_rsa_key" ] ||
    ssh-keygen -q -t rsa -b 3072 -N '' -C "root@$(node_fqdn "$s")" -f "$S/hostkeys/$s/ssh_host_rsa_key"
  for t in ed25519 rsa; do
    for h in 127.0.0.1 localhost; do
      echo "[$h]:$port $(cut -d' ' -f1,2 "$S/hostkeys/$s/ssh_host_${t}_key.pub")"
    done
  done
}

# node_ssh_config_block SHORT : its entry of $W/ssh/config
node_ssh_config_block() {
  local S=$W/ssh s=$1
  cat <<EOF
Host $s $(node_fqdn "$s")
  HostName 127.0.0.1
  Port $(node_port "$s")
  User root
  IdentityFile $S/id_ed25519
  IdentitiesOnly yes
  UserKnownHostsFile $S/known_hosts
  StrictHostKeyChecking yes
  BatchMode yes
EOF
}

# add_node_ssh_entries SHORT : a node added to a running devcloud: its known_hosts lines and ssh config entry
# appended if missing, every other entry left as it is (also those other tools added)
add_node_ssh_entries() {
  local S=$W/ssh s=$1
  grep -q "^\[127.0.0.1\]:$(node_port "$s") " "$S/known_hosts" 2>/dev/null || node_known_hosts_lines "$s" >> "$S/known_hosts"
  grep -q "^Host $s " "$S/config" 2>/dev/null || node_ssh_config_block "$s" >> "$S/config"
}

# write_node SHORT : the node's tree. Inside its namespace:
#   $ND/root -> /root              $ND/bin -> /usr/local/sbin + /usr/local/bin
#   $ND/etc/init -> /etc/init      $ND/etc/init.d -> /etc/init.d
#   $ND/etc/nova/{nova,nova-compute}.conf -> /etc/nova/...
#   $ND/etc/hosts, hostname -> /etc/...   $ND/var/lib/nova -> /var/lib/nova
#   $ND/var/log/nova -> /var/log/nova     $ND/sys/block -> /sys/block, /sys/class/block
#   $ND/mnt -> /mnt (the guide mounts instance disks there)
#   $ND/var/lib/openstackops -> /var/lib/openstackops (the module's pin and mount records: one set per node)
write_node() {
  local s=$1 ND fq E f
  ND=$W/nodes/$s; fq=$(node_fqdn "$s"); E=$ND/etc
  mkdir -p "$ND"/{root,bin,mnt,run,state/nbd,state/suspended,sys/block,ssh} \
           "$E"/{init,init.d,nova} "$ND"/var/lib/nova/{instances,tmp,buckets,keys} "$ND"/var/log/nova \
           "$ND"/var/lib/openstackops
  : > "$ND/state/journal"
  chgrp adm "$ND/var/log/nova"; chmod 750 "$ND/var/log/nova"   # as Debian's /var/log/nova
  cp /etc/skel/.bashrc /etc/skel/.profile "$ND/root/"

  # nova-compute config, with the paths a real node has. Base = controller
  # nova.conf without DB sections (nova-compute must not see the DBs).
  awk '/^\[/{skip=($0=="[api_database]"||$0=="[database]")} !skip' \
    "$W/etc/nova/nova.conf" > "$E/nova/nova.conf"
  cat > "$E/nova/nova-compute.conf" <<EOF
[DEFAULT]
host = $fq
# fake.FakeDriver: a live migration ends as soon as nova's steps are done. FakeLiveMigrateDriver adds a 5 s "copy"
# to every one (for abort/force-complete, which no devcloud test uses): about 4 min of the whole suite.
compute_driver = fake.FakeDriver
# The compute's instance list reaches the scheduler every 60 s (nova's default 120): the fleet test waits for it (its
# -SchedulerInstanceSyncSeconds, Devcloud.SchedulerInstanceSyncSeconds) after moving an anti-affinity member.
scheduler_instance_sync_interval = 60
state_path = /var/lib/nova
instances_path = /var/lib/nova/instances
# oslo.messaging logs "Connected to AMQP server on ..." at DEBUG: enable
# just that logger so the guide's  grep AMQP /var/log/nova/nova-compute.log  works
default_log_levels = amqp=WARN,amqplib=WARN,boto=WARN,qpid=WARN,sqlalchemy=WARN,suds=INFO,oslo.messaging=INFO,oslo_messaging=INFO,oslo.messaging._drivers.impl_rabbit=DEBUG,iso8601=WARN,requests.packages.urllib3.connectionpool=WARN,urllib3.connectionpool=WARN,websocket=WARN,requests.packages.urllib3.util.retry=WARN,urllib3.util.retry=WARN,keystonemiddleware=WARN,routes.middleware=WARN,stevedore=WARN,taskflow=WARN,keystoneauth=WARN,oslo.cache=INFO,oslo_policy=INFO,dogpile.core.dogpile=INFO,glanceclient=WARN,oslo.privsep.daemon=INFO
[oslo_concurrency]
lock_path = /var/lib/nova/tmp
EOF

  # init files the guide moves away ("mv /etc/init/nova-compute.conf /root/tmp")
  cat > "$E/init/nova-compute.conf" <<'EOF'
# nova-compute - OpenStack Compute worker (upstart job; devcloud node)
description "Nova compute worker"

start on runlevel [2345]
stop on runlevel [!2345]

chdir /var/run
exec start-stop-daemon --start --chuid nova --exec /usr/bin/nova-compute -- --config-file=/etc/nova/nova.conf --config-file=/etc/nova/nova-compute.conf --log-file=/var/log/nova/nova-compute.log
EOF
  for f in nova-compute ssh kmod procps hwclock.sh rsync; do
    [ -e "/etc/init.d/$f" ] && cp -a "/etc/init.d/$f" "$E/init.d/"
  done

  # identity: the UTS namespace gets the FQDN; all node names resolve
  # locally (never ask the sandbox's non-loopback DNS server)
  echo "$fq" > "$E/hostname"
  { cat /etc/hosts; echo "# devcloud nodes"
    for f in $NODES $CTL_NODE; do echo "127.0.0.1 $(node_fqdn "$f") $f"; done; } > "$E/hosts"

  # stand-in commands (first on PATH for root and for sudo's secure_path)
  cp -p "$DEVCLOUD_HOME"/node/* "$ND/bin/"
  for f in start stop status restart; do ln -sf upstart "$ND/bin/$f"; done
  cat > "$ND/bin/devcloud-node.env" <<EOF
DEVCLOUD_DIR=$W
NODE=$fq
SHORT=$s
NODE_DIR=$ND
EOF

  # the node's /sys/block view: the real block devices (absolute links);
  # "modprobe nbd" adds nbd0..N directories here (see node/modprobe)
  for f in /sys/block/*; do ln -sfn "$(readlink -f "$f")" "$ND/sys/block/${f##*/}"; done

  write_node_sshd_config "$ND" "$s" "node $fq"
}

# start_node SHORT : sshd -D in a new mount+UTS namespace, PID recorded as
# sshd-SHORT (setsid -> unshare -> node-ns.sh -> exec sshd keep one PID).
start_node() {
  local s=$1 extra=()
  [ "${DEVCLOUD_BREAK:-}" = "sshd-$s" ] && extra+=(-o BogusOption=yes)
  start "sshd-$s" unshare --mount --uts --propagation private \
    "$DEVCLOUD_HOME/lib/node-ns.sh" "$W/nodes/$s" "$W/log/sshd-$s.log" "${extra[@]}"
}

write_nodes_json() {
  local s first=1
  {
    echo "["
    for s in $NODES; do
      [ $first = 1 ] || echo ","; first=0
      jq -n --arg name "$(node_fqdn "$s")" --arg short "$s" --argjson port "$(node_port "$s")" \
        --arg key "$W/ssh/id_ed25519" --arg rsa "$W/ssh/id_rsa" --arg kh "$W/ssh/known_hosts" \
        --arg pw "$NODE_PASS" --arg user "$NODE_USER" --arg nd "$W/nodes/$s" \
        --arg ed "$(ssh-keygen -lf "$W/ssh/hostkeys/$s/ssh_host_ed25519_key.pub" | cut -d' ' -f2)" \
        --arg rsafp "$(ssh-keygen -lf "$W/ssh/hostkeys/$s/ssh_host_rsa_key.pub" | cut -d' ' -f2)" \
        --arg sshpid "$(recorded_pid "sshd-$s")" \
        '{name: $name, short: $short, host: "127.0.0.1", port: $port,
          users: {
            root: {auth: ["publickey"], password: null, sudo: null},
            ($user): {auth: ["publickey", "password"], password: $pw, sudo: "sudo -n (NOPASSWD: ALL)"}
          },
          keyFile: $key, rsaKeyFile: $rsa, knownHosts: $kh,
          hostKeyFingerprints: {"ssh-ed25519": $ed, "ssh-rsa": $rsafp},
          instancesPath: "/var/lib/nova/instances",
          logFile: "/var/log/nova/nova-compute.log",
          hostInstancesPath: ($nd + "/var/lib/nova/instances"),
          hostLogFile: ($nd + "/var/log/nova/nova-compute.log"),
          sshdPid: ($sshpid | tonumber? // null)}'
    done
    echo "]"
  } | jq . > "$W/nodes.json"
}
