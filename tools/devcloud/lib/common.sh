# Shared settings and helpers of the devcloud. Sourced by every script here.
# Throw-away credentials of a loopback-only test cloud.

# The sandbox PATH starts with a pyenv python that lacks the OpenStack libs.
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export PYTHONDONTWRITEBYTECODE=1   # keep __pycache__ out of the repo (pylib/)
unset PYTHONPATH OS_CLOUD OS_AUTH_URL OS_USERNAME OS_PASSWORD OS_PROJECT_NAME \
      OS_CLIENT_CONFIG_FILE 2>/dev/null || true

DEVCLOUD_HOME=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
W=${DEVCLOUD_DIR:-/tmp/osops-devcloud}
export DEVCLOUD_DIR=$W

REGION=RegionOne
ADMIN_PASS=osrig-admin      # keystone admin / project admin / domain Default
DEMO_PASS=osrig-demo        # keystone demo / project demo (member role)
SVC_PASS=osrig-service      # nova, placement, neutron, glance, cinder service users
DB_PASS=osrig-db            # MariaDB user openstack@127.0.0.1
RABBIT_PASS=osrig-rabbit    # RabbitMQ user openstack
NODE_PASS=osrig-node        # password of the node user "osops" (ssh, not sudo)
NODE_USER=osops

NODES="c01 c02 c03 c04"      # short names; FQDN = SHORT.example.com
# Spare computes: registered like the others, but nova-compute disabled at rest with SPARE_REASON, so the
# scheduler never picks them; the tests that need a 4th host enable one and disable it again (lib/spare.sh).
SPARE_NODES="c04"
SPARE_REASON="devcloud spare: enabled by the tests that need a 4th host"
is_spare() { case " $SPARE_NODES " in *" ${1%%.*} "*) return 0 ;; *) return 1 ;; esac; }
NODE_DOMAIN=example.com
CTL_NODE=ctl01               # the controller node (lib/controller.sh): ctl01.example.com
STORAGE_NODES="s01 s02 s03"  # Swift storage nodes (lib/swift.sh): s01.example.com ...
# ssh port (127.0.0.1): c01 -> 2201, ctl01 -> 2210, s01 -> 2221
node_port() { case "$1" in ctl01) echo 2210 ;; s*) echo $((2220 + 10#${1#s})) ;; *) echo $((2200 + 10#${1#c})) ;; esac; }
# a storage node's own loopback address (its account/container/object servers and rsync bind there): s01 -> 127.0.0.11
storage_ip() { echo "127.0.0.$((10 + 10#${1#s}))"; }

# service -> TCP port it listens on (127.0.0.1), checked before anything starts
declare -A PORT_OF=(
  [mariadb]=3306 [epmd]=4369 [rabbitmq]=5672 [rabbitmq-dist]=25672
  [keystone]=5000 [placement-api]=8778 [nova-api]=8774 [glance-api]=9292
  [neutron-server]=9696 [cinder-api]=8776
  [sshd-c01]=2201 [sshd-c02]=2202 [sshd-c03]=2203 [sshd-c04]=2204 [sshd-ctl01]=2210
)
# service -> URL that answers once its API is up
declare -A API_URL=(
  [keystone]=http://127.0.0.1:5000/v3 [placement-api]=http://127.0.0.1:8778/
  [nova-api]=http://127.0.0.1:8774/ [glance-api]=http://127.0.0.1:9292/
  [neutron-server]=http://127.0.0.1:9696/ [cinder-api]=http://127.0.0.1:8776/
)
# every process up.sh records, in start order (down.sh stops in reverse)
ALL_SERVICES="mariadb epmd rabbitmq keystone glance-api placement-api nova-conductor
 nova-scheduler nova-api neutron-server cinder-api cinder-scheduler cinder-volume
 sshd-c01 sshd-c02 sshd-c03 sshd-c04 nova-compute-c01 nova-compute-c02 nova-compute-c03 nova-compute-c04"

say()  { echo "devcloud: $*"; }
warn() { echo "devcloud: $*" >&2; }
die()  { echo "devcloud: ERROR: $*" >&2; exit 1; }

# poll_until DESC TIMEOUT_S CMD... : run CMD every 0.5 s until it succeeds; dies naming DESC after TIMEOUT_S.
# $POLL_CHECK, when set, runs between tries (up.sh's wait_for: check_alive, to fail fast when a service died).
poll_until() {
  local desc=$1 to=$2 end; shift 2
  end=$(( $(date +%s) + to ))
  until "$@" >/dev/null 2>&1; do
    [ -z "${POLL_CHECK:-}" ] || "$POLL_CHECK"
    [ "$(date +%s)" -lt "$end" ] || die "timeout after ${to}s waiting for $desc"
    sleep 0.5
  done
}

# pid_alive PID : true if the process exists and is not a zombie (PID 1 of
# this sandbox reaps orphans late, so kill -0 alone is not enough).
pid_alive() {
  local st
  [[ "${1:-}" =~ ^[0-9]+$ ]] || return 1
  st=$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null) || return 1
  [ -n "$st" ] && [ "$st" != Z ] && [ "$st" != X ]
}
recorded_pid() { cat "$W/pids/$1.pid" 2>/dev/null || true; }
svc_alive() { pid_alive "$(recorded_pid "$1")"; }

# The log a human should read when service NAME fails.
svc_log() {
  case "$1" in
    mariadb)          echo "$W/log/mariadb.err" ;;
    nova-compute-c*)  echo "$W/nodes/${1#nova-compute-}/var/log/nova/nova-compute.log" ;;
    sshd-c*|sshd-s*)  echo "$W/log/$1.log" ;;
    keystone|placement-api|nova-api|rabbitmq|epmd) echo "$W/log/$1.out" ;;
    *)                echo "$W/log/$1.log" ;;
  esac
}

# start NAME CMD... : run CMD in its own session (PID == PGID), output to
# log/NAME.out, PID recorded in pids/NAME.pid (down.sh stops that group).
start() {
  local name=$1; shift
  setsid "$@" </dev/null >"$W/log/$name.out" 2>&1 &
  echo $! > "$W/pids/$name.pid"
  disown $! 2>/dev/null || true   # no "Killed" job notices from bash
}

group_alive() {  # any live (non-zombie) process in process group $1?
  ps -e -o pgid=,stat= | awk -v g="$1" '$1==g && $2 !~ /^Z/ {f=1} END{exit !f}'
}

wait_http_quiet() { curl -s -o /dev/null -m 3 "$1"; }

# node helpers ---------------------------------------------------------------
node_fqdn() { echo "${1%%.*}.$NODE_DOMAIN"; }
node_short() { echo "${1%%.*}"; }
node_dir() { echo "$W/nodes/$(node_short "$1")"; }
# node_nsenter SHORT CMD... : run CMD inside node SHORT's mount+UTS namespace
# (anchored by its sshd; its nova-compute keeps it alive if sshd is gone).
node_nsenter() {
  local s=$1 p; shift
  p=$(recorded_pid "sshd-$s")
  pid_alive "$p" || p=$(recorded_pid "nova-compute-$s")
  pid_alive "$p" || { warn "node $s is not running (no sshd or nova-compute alive): run down.sh and up.sh"; return 1; }
  nsenter --target "$p" --mount --uts -- "$@"
}
port_listening() { ss -Hltn "sport = :$1" | grep -q .; }
