#!/bin/bash
# Bring up the devcloud: a real OpenStack Zed control plane (Debian 12
# packages) on 127.0.0.1, four fake compute hosts c01..c04.example.com
# (c04 a spare, disabled at rest: lib/spare.sh) that are also SSH nodes (own sshd + mount namespace each), and a small
# seeded estate. Everything lives under $DEVCLOUD_DIR (/tmp/osops-devcloud).
#
# Usage: tools/devcloud/up.sh          (needs tools/devcloud/install.sh once)
# Env:   DEVCLOUD_DIR=/tmp/osops-devcloud
#        DEVCLOUD_SEED=0                 skip seeding (no servers, no seed.json)
#        DEVCLOUD_SWIFT=0                no Swift (tools/devcloud/swift.sh up adds it later)
#        DEVCLOUD_BREAK=SERVICE          test hook: SERVICE gets a broken config
#                                        (e.g. glance-api, nova-compute-c01, sshd-c02)
# Already up: prints "devcloud already up", exit 0. Partially up: refuses
# and says how to recover. On any failure it stops what this run started.
set -Eeuo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
. "$HERE/lib/common.sh"
. "$HERE/lib/configs.sh"
. "$HERE/lib/nodes.sh"
. "$HERE/lib/controller.sh"
. "$HERE/lib/stop.sh"
. "$HERE/lib/state.sh"
. "$HERE/lib/preflight.sh"
. "$HERE/lib/short-token.sh"
. "$HERE/lib/spare.sh"

# ---------------------------------------------------------------- already up?
cloud_state
case "$CLOUD_STATE" in
  up)
    echo "devcloud already up ($W)"
    # brought up before lib/short-token.sh existed: add what the renewal tests need
    if ! svc_alive keystone-short; then start_short_token_keystone; wait_for_short_token_keystone; fi
    # brought up before ctl01 existed (or ctl01 stopped): add the controller node
    if ! svc_alive "sshd-$CTL_NODE"; then
      ensure_ssh_material; bring_up_controller_node
      echo "  added controller node $CTL_NODE (ssh 127.0.0.1:$(node_port "$CTL_NODE"))"
    fi
    # brought up before lib/swift.sh existed (or with DEVCLOUD_SWIFT=0): add Swift ("swift already up" if it is)
    if [ "${DEVCLOUD_SWIFT:-1}" = 1 ]; then
      "$HERE/swift.sh" up | sed 's/^/  /' || { warn "Swift could not be added (above); $HERE/swift.sh status"; exit 1; }
    fi
    # brought up before the spare node c04 existed: add it (registered, disabled at rest)
    add_spare_nodes
    for n in "${DEAD[@]+"${DEAD[@]}"}"; do echo "  note: $n is stopped (tools/devcloud/compute-ctl.sh start ${n#nova-compute-})"; done
    exit 0 ;;
  partial)
    warn "devcloud is PARTIALLY up in $W:"
    warn "  alive:       ${ALIVE[*]-}"
    [ ${#DEAD[@]} -gt 0 ] && warn "  dead:        ${DEAD[*]}"
    [ ${#MISSING[@]} -gt 0 ] && warn "  not started: ${MISSING[*]}"
    [ ${#API_DOWN[@]} -gt 0 ] && warn "  API not answering: ${API_DOWN[*]}"
    warn "recover with:  $HERE/down.sh && $HERE/up.sh     (status: $HERE/status.sh)"
    exit 1 ;;
  stale)
    say "found the state of an earlier run with nothing of it alive: cleaning it up"
    stop_everything ;;
esac

preflight      # packages/binaries, python modules, free ports, node user

# ---------------------------------------------------------------- fresh work dir
# keep ssh/ (client and host keys) so clients can keep trusting the nodes
mkdir -p "$W"
find "$W" -mindepth 1 -maxdepth 1 ! -name ssh -exec rm -rf {} +
mkdir -p "$W"/{etc,log,pids,state,run/jobs,tmp}

ARMED=1
on_exit() {
  local rc=$?
  [ "${ARMED:-0}" = 1 ] && [ $rc -ne 0 ] || return 0
  warn "up.sh FAILED (exit $rc): stopping everything this run started"
  stop_everything >&2 || true
  warn "stopped; logs are kept in $W/log (and $W/nodes/*/var/log/nova)"
}
trap on_exit EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'warn "command failed at up.sh line $LINENO: $BASH_COMMAND"' ERR

: > "$W/timings.log"
T0=$(date +%s.%N); TPREV=$T0
step() {  # step NAME : elapsed since the previous step and since start
  local now; now=$(date +%s.%N)
  awk -v n="$1" -v a="$now" -v p="$TPREV" -v z="$T0" \
    'BEGIN{printf "%-46s +%6.1fs  (t=%6.1fs)\n", n, a-p, a-z}' | tee -a "$W/timings.log"
  TPREV=$now
}

# A service that died since it was started: say which, where its log is.
check_alive() {
  local f name pid log
  for f in "$W"/pids/*.pid; do
    [ -e "$f" ] || continue
    name=$(basename "$f" .pid); pid=$(cat "$f")
    pid_alive "$pid" && continue
    log=$(svc_log "$name")
    warn "$name died during start-up (pid $pid). Its log: $log"
    for l in "$log" "$W/log/$name.out"; do
      [ -s "$l" ] && { warn "--- last lines of $l:"; tail -n 8 "$l" | sed 's/^/    /' >&2; }
    done
    exit 1
  done
}
# wait_for DESC TIMEOUT_S CMD... : poll CMD, failing fast if a service died
wait_for() { POLL_CHECK=check_alive poll_until "$@"; }
# background one-shot jobs (DB syncs): own session, killed on failure
bg_job() { local n=$1; shift; setsid "$@" </dev/null >"$W/log/$n.out" 2>&1 & echo $! > "$W/run/jobs/$n.pid"; }
wait_job() {
  local n=$1 pid; pid=$(cat "$W/run/jobs/$n.pid")
  while pid_alive "$pid"; do check_alive; sleep 0.3; done
  wait "$pid" || die "$n failed; see $W/log/$n.out:$(echo; tail -n 15 "$W/log/$n.out")"
  rm -f "$W/run/jobs/$n.pid"
}
# break_args NAME : extra arguments that break service NAME (DEVCLOUD_BREAK)
break_args() { [ "${DEVCLOUD_BREAK:-}" = "$1" ] && echo "--config-file=$W/etc/broken.conf" || true; }
E=$W/etc

# ================================================================ MariaDB, RabbitMQ
write_mariadb_config
mariadb-install-db --defaults-file="$W/mysql/my.cnf" --skip-test-db >"$W/log/mariadb-install.out" 2>&1
MARIADB_ARGS=(); [ "${DEVCLOUD_BREAK:-}" = mariadb ] && MARIADB_ARGS=(--devcloud-broken-option=1)
start mariadb /usr/sbin/mariadbd --defaults-file="$W/mysql/my.cnf" "${MARIADB_ARGS[@]}"
write_rabbit_config
(
  . "$W/rabbitmq/env.sh"
  # our own epmd in the foreground of its own session, so we know its PID
  start epmd /usr/bin/epmd -address 127.0.0.1 -port 4369
  sleep 0.3
  start rabbitmq /usr/lib/rabbitmq/bin/rabbitmq-server
)
step "mariadb+rabbitmq launched"

# ================================================================ nodes (sshd)
write_openstack_configs
ensure_ssh_material
for s in $NODES; do write_node "$s"; start_node "$s"; done
step "configs written, $(wc -w <<< "$NODES") node sshds launched"

wait_for "mariadb ($W/log/mariadb.err)" 60 mariadb --defaults-file="$W/mysql/my.cnf" -uroot -e 'select 1'
{
  for d in keystone placement nova_api nova nova_cell0 neutron glance cinder; do
    echo "CREATE DATABASE IF NOT EXISTS $d;"
  done
  for h in 127.0.0.1 localhost; do
    echo "CREATE USER IF NOT EXISTS 'openstack'@'$h' IDENTIFIED BY '${DB_PASS}';"
    echo "GRANT ALL PRIVILEGES ON *.* TO 'openstack'@'$h';"
  done
  echo "FLUSH PRIVILEGES;"
} | mariadb --defaults-file="$W/mysql/my.cnf" -uroot
step "mariadb up, databases created"

# ================================================================ keystone
KM=(keystone-manage --config-file "$E/keystone/keystone.conf")
{
  "${KM[@]}" db_sync
  "${KM[@]}" fernet_setup --keystone-user root --keystone-group root
  "${KM[@]}" credential_setup --keystone-user root --keystone-group root
  "${KM[@]}" bootstrap --bootstrap-password "$ADMIN_PASS" --bootstrap-username admin \
    --bootstrap-project-name admin --bootstrap-role-name admin \
    --bootstrap-service-name keystone --bootstrap-region-id "$REGION" \
    --bootstrap-admin-url http://127.0.0.1:5000/v3/ \
    --bootstrap-internal-url http://127.0.0.1:5000/v3/ \
    --bootstrap-public-url http://127.0.0.1:5000/v3/
} >"$W/log/keystone-db.out" 2>&1 || die "keystone db_sync/bootstrap failed; see $W/log/keystone-db.out"
step "keystone db_sync+bootstrap"

# uwsgi http-socket does no keep-alive without saying so: tell clients
UWSGI=(uwsgi --plugins python3 --master --die-on-term --no-orphans --lazy-apps
  --enable-threads --buffer-size 65535 --need-app --add-header "Connection: close")
uwsgi_app() {  # uwsgi_app NAME PORT WSGI_FILE PROCS THREADS ENV...
  local name=$1 port=$2 file=$3 procs=$4 threads=$5; shift 5
  local envs=(); for e in "$@"; do envs+=(--env "$e"); done
  [ "${DEVCLOUD_BREAK:-}" = "$name" ] && file=/nonexistent/devcloud-broken.wsgi
  start "$name" "${UWSGI[@]}" --procname-prefix-spaced "$name" --processes "$procs" --threads "$threads" \
    --http-socket "127.0.0.1:$port" --wsgi-file "$file" "${envs[@]}"
}
uwsgi_app keystone 5000 /usr/bin/keystone-wsgi-public 1 4 OS_KEYSTONE_CONFIG_DIR="$E/keystone"

# schema syncs in parallel with keystone's start-up
bg_job placement-db placement-manage --config-file "$E/placement/placement.conf" db sync
bg_job nova-db bash -c "set -e; N='--config-file $E/nova/nova.conf'
  nova-manage \$N api_db sync
  nova-manage \$N cell_v2 map_cell0 --database_connection '$(DBURL nova_cell0)'
  nova-manage \$N cell_v2 create_cell --name cell1 --verbose
  nova-manage \$N db sync"
bg_job neutron-db neutron-db-manage --config-file "$E/neutron/neutron.conf" \
  --config-file "$E/neutron/ml2_conf.ini" upgrade heads

wait_for "keystone API (log $(svc_log keystone))" 90 curl -sf -o /dev/null -m 3 http://127.0.0.1:5000/v3
step "keystone API answers"

EP="compute:nova:http://127.0.0.1:8774/v2.1;placement:placement:http://127.0.0.1:8778;image:glance:http://127.0.0.1:9292"
EP="$EP;network:neutron:http://127.0.0.1:9696"
EP="$EP;volumev3:cinderv3:http://127.0.0.1:8776/v3/%(project_id)s;block-storage:cinder:http://127.0.0.1:8776/v3/%(project_id)s"
OS_AUTH_URL=http://127.0.0.1:5000/v3 OS_PASSWORD="$ADMIN_PASS" SVC_PASS="$SVC_PASS" \
  DEMO_PASS="$DEMO_PASS" REGION="$REGION" ENDPOINTS="$EP" \
  /usr/bin/python3 "$HERE/lib/catalog.py" >"$W/log/catalog.out" 2>&1 ||
  die "keystone catalog setup failed; see $W/log/catalog.out"
step "keystone users/projects/catalog"
start_short_token_keystone   # tokens of 20 s for the renewal tests (lib/short-token.sh)

glance-manage --config-file "$E/glance/glance-api.conf" db_sync >"$W/log/glance-db.out" 2>&1 ||
  die "glance db_sync failed; see $W/log/glance-db.out"
start glance-api glance-api --config-file "$E/glance/glance-api.conf" \
  --log-file "$W/log/glance-api.log" $(break_args glance-api)
bg_job cinder-db cinder-manage --config-file "$E/cinder/cinder.conf" db sync
step "glance db_sync, glance-api launched"

wait_job placement-db
uwsgi_app placement-api 8778 /usr/bin/placement-api 1 4 OS_PLACEMENT_CONFIG_DIR="$E/placement"
step "placement db sync, placement-api launched"

wait_job nova-db
step "nova api_db/cell0/cell1 db sync"
N=(--config-file "$E/nova/nova.conf")
start nova-conductor nova-conductor "${N[@]}" --log-file "$W/log/nova-conductor.log" $(break_args nova-conductor)
start nova-scheduler nova-scheduler "${N[@]}" --log-file "$W/log/nova-scheduler.log" $(break_args nova-scheduler)
# nova-api: ONE thread per process. eventlet (monkey-patched by nova) runs
# the RPC reply listener in one thread's hub; a call from another uwsgi
# thread never sees its reply (MessagingTimeout after 60 s).
uwsgi_app nova-api 8774 /usr/bin/nova-api-wsgi 2 1 OS_NOVA_CONFIG_DIR="$E/nova" \
  "OS_NOVA_CONFIG_FILES=api-paste.ini;nova.conf;nova-api.conf"
# each node's nova-compute runs inside the node's namespace (/etc/nova,
# /var/lib/nova, /var/log/nova are the node's); the ns exists once sshd listens
for s in $NODES; do
  wait_for "sshd of node $s (log $(svc_log "sshd-$s"))" 30 port_listening "$(node_port "$s")"
  node_nsenter "$s" "$W/nodes/$s/bin/devcloud-compute" start
done
step "nova services launched ($(wc -w <<< "$NODES") computes in their nodes)"

wait_job neutron-db
PYTHONPATH="$HERE/pylib" start neutron-server neutron-server \
  --config-file "$E/neutron/neutron.conf" --config-file "$E/neutron/ml2_conf.ini" \
  --log-file "$W/log/neutron-server.log" $(break_args neutron-server)
wait_job cinder-db
C=(--config-file "$E/cinder/cinder.conf")
for c in cinder-api cinder-scheduler cinder-volume; do
  start "$c" "$c" "${C[@]}" --log-file "$W/log/$c.log" $(break_args "$c")
done
step "neutron-server, cinder launched"

# ================================================================ readiness
for name in placement-api glance-api nova-api neutron-server cinder-api; do
  wait_for "$name API ${API_URL[$name]} (log $(svc_log "$name"))" 240 curl -s -o /dev/null -m 5 "${API_URL[$name]}"
  step "$name API answers"
done

wait_for_short_token_keystone
write_client_files
# every nova-compute registered its compute node -> map the hosts into cell1
MY=(mariadb --defaults-file="$W/mysql/my.cnf" -uroot -N)
NN=$(wc -w <<< "$NODES")
computes_registered() { [ "$("${MY[@]}" -e "select count(*) from nova.compute_nodes where deleted=0")" -ge "$NN" ]; }
wait_for "$NN compute nodes registered (logs $W/nodes/c0*/var/log/nova/nova-compute.log)" 120 computes_registered
nova-manage "${N[@]}" cell_v2 discover_hosts --verbose >"$W/log/discover-hosts.out" 2>&1
providers() { [ "$("${MY[@]}" -e "select count(*) from placement.resource_providers")" -ge "$NN" ]; }
wait_for "$NN placement resource providers" 60 providers
services_up() {
  [ "$("${MY[@]}" -e "select count(*) from nova.services where deleted=0 and \`binary\`='nova-compute'
        and last_seen_up > now() - interval 60 second")" -ge "$NN" ]
}
wait_for "$NN nova-compute services reporting" 60 services_up
step "$NN computes registered, discover_hosts"

write_nodes_json
for s in $NODES; do
  wait_for "ssh to node $s" 20 ssh -F "$W/ssh/config" "$s" true
  grep -q "Connected to AMQP server on" "$W/nodes/$s/var/log/nova/nova-compute.log" ||
    wait_for "AMQP line in $s nova-compute.log" 20 grep -q "Connected to AMQP server on" \
      "$W/nodes/$s/var/log/nova/nova-compute.log"
done
step "nodes answer over ssh, nodes.json"

# the controller node: the control plane's real logs, configs and units over ssh
# (started last: the log files it binds exist now)
bring_up_controller_node
wait_for "ssh to controller node $CTL_NODE (log $W/log/sshd-$CTL_NODE.log)" 20 ssh -F "$W/ssh/config" "$CTL_NODE" true
step "controller node $CTL_NODE answers over ssh"

# Swift (swift.sh: proxy in ctl01, storage nodes s01-s03) beside the seeding, which waits on the APIs
if [ "${DEVCLOUD_SWIFT:-1}" = 1 ]; then
  setsid "$HERE/swift.sh" up </dev/null >"$W/log/swift-up.out" 2>&1 & echo $! > "$W/run/jobs/swift-up.pid"
fi

# ================================================================ seed
if [ "${DEVCLOUD_SEED:-1}" = 1 ]; then
  OS_CLIENT_CONFIG_FILE="$W/clouds.yaml" /usr/bin/python3 "$HERE/lib/seed.py" 2>&1 |
    tee "$W/log/seed.out" || die "seeding failed; see $W/log/seed.out"
  step "seeded (image, flavors, networks, 6 servers, volume)"
  while read -r node uuid local; do
    "$HERE/make-instance-disk.sh" "$node" "$uuid" >/dev/null
    [ "$local" = true ] && "$HERE/make-instance-disk.sh" --local "$node" "$uuid" >/dev/null
  done < <(jq -r '.servers[] | "\(.node) \(.id) \(.diskLocal != null)"' "$W/seed.json")
  step "instance disk images written"
fi
if [ "${DEVCLOUD_SWIFT:-1}" = 1 ]; then
  wait_job swift-up
  grep -E '^swift' "$W/log/swift-up.out" | tail -n 1
  step "swift up (storage nodes s01-s03, proxy on ctl01)"
fi
# the spare node(s) c04: disabled at rest (after seeding, which enables every node it disabled)
park_spare_nodes
step "spare node(s) $SPARE_NODES parked (disabled)"
check_alive
ARMED=0
step "devcloud up"
cat <<EOF

devcloud is up ($W)
  admin:  . $W/openrc        or  OS_CLIENT_CONFIG_FILE=$W/clouds.yaml OS_CLOUD=devcloud
  demo:   . $W/demo-openrc   or  OS_CLOUD=devcloud-demo
  nodes:  $W/nodes.json;  $HERE/node-exec.sh c01 virsh list --all
  controller node: $W/controller.json;  ssh -F $W/ssh/config ctl01 systemctl list-units
  swift:  $W/swift.json, $W/storage-nodes.json;  $HERE/swift.sh status
  seed:   $W/seed.json;   check: $HERE/smoke.sh
EOF
