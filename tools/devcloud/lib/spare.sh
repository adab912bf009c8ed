# Spare compute nodes (SPARE_NODES in common.sh, today c04): SSH nodes with a nova-compute like c01-c03, whose
# nova-compute service is disabled at rest with SPARE_REASON, so nothing is scheduled there and the tests written for
# three computes keep placing their servers on c01-c03. A test that needs a 4th host enables it and disables it again
# (with the same reason) in its finally. Sourced after common.sh, nodes.sh.
#
#   park_spare_nodes   disable every spare's nova-compute service with SPARE_REASON (up.sh, after seeding)
#   add_spare_nodes    bring up every spare not running yet in an already running devcloud (up.sh's "already up"
#                      path; idempotent): node tree, sshd, nova-compute, cell mapping, parked, nodes.json

_spare_mysql() { mariadb --defaults-file="$W/mysql/my.cnf" -uroot -N -e "$1"; }


park_spare_nodes() {   # park_spare_nodes [SHORT...] (default: every spare)
  local s
  for s in ${*:-$SPARE_NODES}; do
    (. "$W/openrc"
     openstack compute service set --disable --disable-reason "$SPARE_REASON" "$(node_fqdn "$s")" nova-compute) ||
      die "could not disable the spare node $s's nova-compute"
    say "spare node $s: nova-compute disabled ($SPARE_REASON)"
  done
}

_spare_registered() { [ "$(_spare_mysql "select count(*) from nova.compute_nodes where deleted=0 and host='$1'")" -ge 1 ]; }
_spare_mapped() { [ "$(_spare_mysql "select count(*) from nova_api.host_mappings where host='$1'")" -ge 1 ]; }
_spare_provider() { [ "$(_spare_mysql "select count(*) from placement.resource_providers where name='$1'")" -ge 1 ]; }
_spare_reporting() {
  [ "$(_spare_mysql "select count(*) from nova.services where deleted=0 and host='$1' and \`binary\`='nova-compute'
        and last_seen_up > now() - interval 60 second")" -ge 1 ]
}

# _spare_in_nodes_json SHORT : its object appended to $W/nodes.json if missing (the other entries kept as they are)
_spare_in_nodes_json() {
  local s=$1 old
  jq -e --arg s "$s" 'any(.[]; .short == $s)' "$W/nodes.json" >/dev/null 2>&1 && return 0
  old=$(cat "$W/nodes.json" 2>/dev/null || echo '[]')
  NODES=$s write_nodes_json
  jq -s '.[0] + .[1]' <(echo "$old") "$W/nodes.json" > "$W/nodes.json.tmp" && mv "$W/nodes.json.tmp" "$W/nodes.json"
}

add_spare_nodes() {
  local s fq f added=""
  for s in $SPARE_NODES; do
    # running (also when something rewrote the ssh files since): make sure its ssh entries are there
    if svc_alive "sshd-$s"; then add_node_ssh_entries "$s"; _spare_in_nodes_json "$s"; continue; fi
    fq=$(node_fqdn "$s")
    port_listening "$(node_port "$s")" && die "port $(node_port "$s") of spare node $s is taken by another process"
    add_node_ssh_entries "$s"                 # its host keys, known_hosts lines and ssh config entry (appended)
    write_node "$s"
    start_node "$s"
    poll_until "sshd of spare node $s (log $W/log/sshd-$s.log)" 30 port_listening "$(node_port "$s")"
    node_nsenter "$s" "$W/nodes/$s/bin/devcloud-compute" start
    poll_until "$fq registered by its nova-compute (log $W/nodes/$s/var/log/nova/nova-compute.log)" 120 _spare_registered "$fq"
    nova-manage --config-file "$W/etc/nova/nova.conf" cell_v2 discover_hosts --verbose >>"$W/log/discover-hosts.out" 2>&1 ||
      die "nova-manage cell_v2 discover_hosts failed; see $W/log/discover-hosts.out"
    poll_until "$fq mapped to cell1" 30 _spare_mapped "$fq"
    poll_until "placement resource provider $fq" 60 _spare_provider "$fq"
    poll_until "$fq's nova-compute reporting" 60 _spare_reporting "$fq"
    park_spare_nodes "$s"
    # the other nodes' /etc/hosts (bind-mounted files: appended in place) learn the new name
    for f in "$W"/nodes/*/etc/hosts; do
      grep -q " $fq " "$f" || echo "127.0.0.1 $fq $s" >> "$f"
    done
    poll_until "ssh to spare node $s" 20 ssh -F "$W/ssh/config" "$s" true
    _spare_in_nodes_json "$s"
    added="$added $s"
  done
  [ -n "$added" ] || return 0
  echo "  added spare node(s)$added (nova-compute disabled: $SPARE_REASON)"
}
