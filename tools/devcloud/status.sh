#!/bin/bash
# One line per service and per node: PID, alive/dead, whether its API (or
# ssh) answers. Exit 0 only if everything is up.
set -uo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
. "$HERE/lib/common.sh"

bad=0
line() { printf '%-18s %-8s %-6s %s\n' "$@"; }
check_svc() {
  local name=$1 pid state extra=""
  pid=$(recorded_pid "$name")
  if [ -z "$pid" ]; then state=missing; bad=1
  elif pid_alive "$pid"; then state=alive
  else state=DEAD; bad=1
  fi
  if [ -n "${API_URL[$name]:-}" ]; then
    if wait_http_quiet "${API_URL[$name]}"; then extra="API ${API_URL[$name]} answers"
    else extra="API ${API_URL[$name]} NOT answering"; bad=1; fi
  elif [ -n "${PORT_OF[$name]:-}" ]; then
    if port_listening "${PORT_OF[$name]}"; then extra="port ${PORT_OF[$name]} listening"
    else extra="port ${PORT_OF[$name]} NOT listening"; bad=1; fi
  fi
  line "$name" "${pid:--}" "$state" "$extra"
}
check_node() {
  local s=$1 out
  if out=$(ssh -F "$W/ssh/config" -o ConnectTimeout=5 "$s" \
        'echo "$(hostname) nova-compute=$(systemctl is-active nova-compute)"' 2>&1); then
    line "node-$s" "" "" "ssh 127.0.0.1:$(node_port "$s") answers: $out"
  else
    line "node-$s" "" "" "ssh 127.0.0.1:$(node_port "$s") FAILS: ${out##*$'\n'}"; bad=1
  fi
}

[ -d "$W/pids" ] || { echo "devcloud: no $W/pids: not up"; exit 1; }
line SERVICE PID STATE DETAIL
for name in $ALL_SERVICES; do check_svc "$name"; done
. "$HERE/lib/short-token.sh"
if [ -f "$W/pids/keystone-short.pid" ]; then
  check_svc keystone-short
  short_token_keystone_answers || { line "" "" "" "API $SHORT_TOKEN_URL NOT answering"; bad=1; }
fi
for s in $NODES; do check_node "$s"; done
# the controller node ctl01 (lib/controller.sh): its sshd and the units its systemctl reports
if [ -f "$W/pids/sshd-$CTL_NODE.pid" ]; then
  check_svc "sshd-$CTL_NODE"
  if out=$(ssh -F "$W/ssh/config" -o ConnectTimeout=5 "$CTL_NODE" \
        'echo "$(hostname): $(systemctl list-units --type=service --no-legend | awk '"'"'{print $1 "=" $3}'"'"' | sed "s/\.service//" | tr "\n" " ")"' 2>&1); then
    line "node-$CTL_NODE" "" "" "ssh 127.0.0.1:$(node_port "$CTL_NODE") answers: $out"
  else
    line "node-$CTL_NODE" "" "" "ssh 127.0.0.1:$(node_port "$CTL_NODE") FAILS: ${out##*$'\n'}"; bad=1
  fi
else
  line "sshd-$CTL_NODE" - missing "(a devcloud brought up before ctl01 existed: up.sh adds it)"
fi
# Swift (swift.sh): its processes, the proxy, the storage nodes over ssh
if ls "$W"/pids/swift-*.pid >/dev/null 2>&1 || [ -f "$W/swift.json" ]; then
  "$HERE/swift.sh" status || bad=1
else
  line swift - missing "(not started: DEVCLOUD_SWIFT=0 or a devcloud from before swift.sh; $HERE/swift.sh up adds it)"
fi
if [ $bad = 0 ]; then echo "devcloud: everything up ($W)"; else echo "devcloud: something is DOWN ($W)"; fi
exit $bad
