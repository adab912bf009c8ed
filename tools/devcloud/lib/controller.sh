# The controller node ctl01: an SSH node (own sshd on 127.0.0.1:2210, own
# mount+UTS namespace, hostname ctl01.example.com) that sees the devcloud's
# REAL control plane as a Debian controller shows it: the services' own log
# files bind-mounted where Debian's packages write them (/var/log/nova/nova-api.log
# is the very file nova-api writes), their config directories read-only over
# /etc/SERVICE, and a systemctl/service stand-in (tools/devcloud/controller/)
# that answers for the Debian unit names from the recorded PIDs. The PID
# namespace is shared: ps shows the real processes.
# Sourced after common.sh and nodes.sh. Not in ALL_SERVICES (like
# keystone-short): a devcloud brought up before ctl01 existed still counts as
# up, and up.sh adds ctl01 to it.

# CTL_NODE=ctl01 and its port 2210 (node_port) are set in common.sh

# The units ctl01 answers for, one per line:
#   UNIT  PIDNAME  NODE_LOG  HOST_LOG(relative to $W)  RESTARTABLE  DESCRIPTION
# UNIT is Debian 12's unit name; PIDNAME the devcloud's $W/pids/PIDNAME.pid;
# NODE_LOG where Debian's package logs (uwsgi APIs: the logto= of its uwsgi ini,
# which is the process' output; here the uwsgi output file log/NAME.out;
# mariadb cannot create its log-error file and writes to stderr: log/mariadb.out).
# RESTARTABLE=yes: systemctl stop/start/restart really stop and start it (a
# plain oslo service that reconnects on its own and keeps no client
# connections; seconds to restart; cinder-api: an eventlet WSGI server of its
# own, no state, the one API that can be really stopped for the controller
# checks); the others are refused.
ctl_units() {
  cat <<'EOF'
mariadb         mariadb          /var/log/mysql/error.log                 log/mariadb.out                       no  MariaDB 10.11 database server
rabbitmq-server rabbitmq         /var/log/rabbitmq/rabbit@localhost.log   rabbitmq/log/rabbit@localhost.log     no  RabbitMQ Messaging Server
keystone        keystone         /var/log/keystone/keystone.log           log/keystone.out                      no  OpenStack Keystone API (keystone)
glance-api      glance-api       /var/log/glance/glance-api.log           log/glance-api.log                    no  OpenStack Glance Service API (glance-api)
placement-api   placement-api    /var/log/placement/placement-api.log     log/placement-api.out                 no  OpenStack Placement Service API (placement-api)
nova-api        nova-api         /var/log/nova/nova-api.log               log/nova-api.out                      no  OpenStack Nova API (nova-api)
nova-conductor  nova-conductor   /var/log/nova/nova-conductor.log         log/nova-conductor.log                yes OpenStack Nova Conductor (nova-conductor)
nova-scheduler  nova-scheduler   /var/log/nova/nova-scheduler.log         log/nova-scheduler.log                yes OpenStack Nova Scheduler (nova-scheduler)
neutron-api     neutron-server   /var/log/neutron/neutron-server.log      log/neutron-server.log                no  OpenStack Neutron Server (neutron-api)
cinder-api      cinder-api       /var/log/cinder/cinder-api.log           log/cinder-api.log                    yes OpenStack Cinder Api (cinder-api)
cinder-scheduler cinder-scheduler /var/log/cinder/cinder-scheduler.log    log/cinder-scheduler.log              yes OpenStack Cinder Scheduler (cinder-scheduler)
cinder-volume   cinder-volume    /var/log/cinder/cinder-volume.log        log/cinder-volume.log                 no  OpenStack Cinder Volume (cinder-volume)
EOF
}

# write_controller_node : $W/nodes/ctl01 (tree, binds list, sshd_config, stand-ins)
write_controller_node() {
  local s=$CTL_NODE ND fq E unit pidn nlog hlog rest desc d f
  local -A seen=()
  ND=$W/nodes/$s; fq=$(node_fqdn "$s"); E=$ND/etc
  mkdir -p "$ND"/{root,bin,run,state,ssh,var/log} "$E"
  cp /etc/skel/.bashrc /etc/skel/.profile "$ND/root/"
  echo "$fq" > "$E/hostname"
  { cat /etc/hosts; echo "# devcloud nodes"
    for f in $NODES $CTL_NODE; do echo "127.0.0.1 $(node_fqdn "$f") $f"; done; } > "$E/hosts"
  cp -p "$DEVCLOUD_HOME"/controller/* "$ND/bin/"
  ctl_units > "$ND/bin/units"
  cat > "$ND/bin/devcloud-node.env" <<EOF
DEVCLOUD_DIR=$W
NODE=$fq
SHORT=$s
NODE_DIR=$ND
EOF
  # binds: "SOURCE TARGET [ro]", applied in order by lib/controller-ns.sh
  {
    echo "$ND/root /root"
    echo "$ND/bin /usr/local/sbin"
    echo "$ND/bin /usr/local/bin"
    echo "$E/hosts /etc/hosts"
    echo "$E/hostname /etc/hostname"
    # the control plane's configuration where a Debian controller has it
    for d in nova neutron keystone glance cinder placement; do
      [ -d "$W/etc/$d" ] && echo "$W/etc/$d /etc/$d ro"
    done
    # (file binds need the host's file as mount point: only where the package has one)
    [ -e /etc/mysql/my.cnf ] && echo "$W/mysql/my.cnf /etc/mysql/my.cnf ro"
    [ -e /etc/rabbitmq/rabbitmq.conf ] && echo "$W/rabbitmq/rabbitmq.conf /etc/rabbitmq/rabbitmq.conf ro"
    [ -e /etc/rabbitmq/rabbitmq-env.conf ] && echo "$W/rabbitmq/env.sh /etc/rabbitmq/rabbitmq-env.conf ro"
    # each /var/log/PROJECT is the node's own directory (only the controller's
    # logs in it, Debian's owner/mode); each file in it is the service's real log
    while read -r unit pidn nlog hlog rest desc; do
      d=${nlog%/*}
      if [ -z "${seen[$d]:-}" ]; then
        seen[$d]=1
        mkdir -p "$ND$d" "$d"          # $d: the mount point on the host (Debian has no /var/log/mysql here)
        chgrp adm "$ND$d"; chmod 750 "$ND$d"
        echo "$ND$d $d"
      fi
    done < <(ctl_units)
    while read -r unit pidn nlog hlog rest desc; do
      [ -e "$W/$hlog" ] || touch "$W/$hlog"
      : > "$ND$nlog"
      echo "$W/$hlog $nlog"
    done < <(ctl_units)
    # Debian's neutron-api writes neutron-api.log: the same file under both names
    echo "$W/log/neutron-server.log /var/log/neutron/neutron-api.log"
  } > "$ND/binds"
  : > "$ND/var/log/neutron/neutron-api.log"

  write_node_sshd_config "$ND" "$s" "controller node $fq"
}

# start_controller_node : sshd -D in a new mount+UTS namespace, PID recorded
# as sshd-ctl01 (down.sh stops it with the other node sshds).
start_controller_node() {
  local s=$CTL_NODE extra=()
  [ "${DEVCLOUD_BREAK:-}" = "sshd-$s" ] && extra+=(-o BogusOption=yes)
  start "sshd-$s" unshare --mount --uts --propagation private \
    "$DEVCLOUD_HOME/lib/controller-ns.sh" "$W/nodes/$s" "$W/log/sshd-$s.log" "${extra[@]}"
}

# $W/controller.json: how to reach ctl01 and what it shows (nodes.json keeps
# only the compute nodes: tests iterate it)
write_controller_json() {
  local s=$CTL_NODE
  ctl_units | jq -R -s --arg name "$(node_fqdn "$s")" --arg short "$s" --argjson port "$(node_port "$s")" \
    --arg key "$W/ssh/id_ed25519" --arg rsa "$W/ssh/id_rsa" --arg kh "$W/ssh/known_hosts" \
    --arg pw "$NODE_PASS" --arg user "$NODE_USER" --arg w "$W" \
    --arg sshpid "$(recorded_pid "sshd-$s")" \
    '{name: $name, short: $short, host: "127.0.0.1", port: $port,
      users: {root: {auth: ["publickey"]}, ($user): {auth: ["publickey", "password"], password: $pw, sudo: "sudo -n (NOPASSWD: ALL)"}},
      keyFile: $key, rsaKeyFile: $rsa, knownHosts: $kh,
      sshdPid: ($sshpid | tonumber? // null),
      units: [split("\n")[] | select(length > 0) | split(" ") | map(select(length > 0)) |
              {unit: .[0], pidFile: ($w + "/pids/" + .[1] + ".pid"), logFile: .[2], hostLogFile: ($w + "/" + .[3]),
               restartable: (.[4] == "yes")}]}' > "$W/controller.json"
}

# bring_up_controller_node : all of the above, waits for its sshd (up.sh)
bring_up_controller_node() {
  write_controller_node
  start_controller_node
  local i
  for ((i = 0; i < 60; i++)); do port_listening "$(node_port "$CTL_NODE")" && break; sleep 0.5; done
  write_controller_json
}
