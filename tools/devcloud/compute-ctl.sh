#!/bin/bash
# Simulate compute-host failures/recoveries of the devcloud.
#   compute-ctl.sh kill   c01   # SIGKILL its nova-compute: "host died" (systemctl: failed)
#   compute-ctl.sh stop   c01   # graceful stop (as `systemctl stop nova-compute` on the node)
#   compute-ctl.sh start  c01   # start it again inside the node (new PID recorded)
#   compute-ctl.sh revive c01   # hard-reboot the node's ACTIVE servers (see below)
#   compute-ctl.sh status       # PID and state of every node's nova-compute
# kill/stop/start act through the node's own devcloud-compute helper (via
# nsenter), so the node's systemctl/service/status see the same state. start
# ignores a systemd mask set on the node (this is the lab's power switch).
#
# The fake virt driver keeps guests in memory: after kill/stop + start,
# servers still on that host stay ACTIVE in nova, but at the next power-state
# sync (<= 600 s) they get power_state 0 and nova refuses to live-migrate
# them; "revive" hard-reboots them so the new driver knows them again.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
. "$HERE/lib/common.sh"
cmd=${1:-status}; s=$(node_short "${2:-}")

case "$cmd" in
  kill|stop|start)
    [ -n "$s" ] && [ -d "$W/nodes/$s" ] || die "usage: compute-ctl.sh $cmd c01|c02|c03|c04"
    before=$(recorded_pid "nova-compute-$s")
    node_nsenter "$s" "$W/nodes/$s/bin/devcloud-compute" "$cmd"
    state=$(node_nsenter "$s" "$W/nodes/$s/bin/devcloud-compute" state)
    echo "nova-compute-$s: $cmd done (was pid ${before:-none}; now: $state)" ;;
  revive)
    [ -n "$s" ] || die "usage: compute-ctl.sh revive c01"
    . "$W/openrc"
    host=$(node_fqdn "$s")
    for id in $(openstack server list --all-projects --host "$host" -f json |
                jq -r '.[] | select(.Status == "ACTIVE") | .ID'); do
      echo "hard-rebooting $id on $host"
      openstack server reboot --hard --wait "$id"
    done ;;
  status)
    for n in $NODES; do
      st=$(node_nsenter "$n" "$W/nodes/$n/bin/devcloud-compute" state 2>/dev/null || echo "node down")
      echo "nova-compute-$n: $st"
    done ;;
  *) die "usage: compute-ctl.sh kill|stop|start|revive c01 | status" ;;
esac
