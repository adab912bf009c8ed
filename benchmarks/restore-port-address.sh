#!/usr/bin/env bash
# Benchmark (not a test): recovering a lost address as a non-admin member (demo) on an admin-owned shared network,
# where neutron's policy forbids asking for the address. On one /27 subnet, in one run, alternating:
#   sweep: Restore-PortAddress (waves of single creates, losers kept until the address comes up, then deleted);
#   guide: the Operations Guide's loop with the real openstack CLI: 11 x `openstack port create --network N ip-recovery`,
#          check, `openstack port set --name "don't delete"` the winner, `openstack port list | grep ip-recovery` and one
#          `openstack port delete` per port, repeat until found.
# Counts ports created, HTTP requests (the CLI's from its --debug log, keystone included, and neutron only; the
# sweep's from the result's ApiCalls, which excludes the one authentication of Connect-OpenStack) and wall time.
#   benchmarks/restore-port-address.sh [TRIALS=2]
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
. "$ROOT/benchmarks/osops-pwsh.sh"
TRIALS=${1:-2}
W=${DEVCLOUD_DIR:-/tmp/osops-devcloud}
TMP=$(mktemp -d)
osc() { local cloud=$1; shift; env -i HOME="$HOME" PATH=/usr/sbin:/usr/bin:/sbin:/bin OS_CLIENT_CONFIG_FILE="$W/clouds.yaml" OS_CLOUD="$cloud" /usr/bin/openstack "$@"; }
# A demo CLI call whose HTTP requests are counted (urllib3 logs one '"METHOD path HTTP/1.1" status' line per request).
guide_cli() {
  local out
  out=$(osc devcloud-demo --debug "$@" 2>"$TMP/err")
  grep -cE '"(GET|POST|PUT|DELETE|PATCH|HEAD) [^"]* HTTP/1\.1" [0-9]+' "$TMP/err" >>"$TMP/all" || true
  grep -cE ':9696 "(GET|POST|PUT|DELETE|PATCH|HEAD) ' "$TMP/err" >>"$TMP/neutron" || true
  printf '%s\n' "$out"
}
sum() { paste -sd+ "$1" | bc; }

NET="osops-bench-$(head -c4 /dev/urandom | od -An -tx1 | tr -d ' \n')"
PREFIX="100.67.$((RANDOM % 250))."
cleanup() {
  local ids
  ids=$(osc devcloud port list --network "$NET" -f value -c ID 2>/dev/null || true)
  [ -n "$ids" ] && osc devcloud port delete $ids >/dev/null 2>&1 || true
  osc devcloud network delete "$NET" >/dev/null 2>&1 || true
  rm -rf "$TMP"
}
trap cleanup EXIT
osc devcloud network create --share "$NET" -f value -c id >/dev/null
osc devcloud subnet create --network "$NET" --subnet-range "${PREFIX}0/27" --no-dhcp "$NET-v4" -f value -c id >/dev/null
echo "network $NET, subnet ${PREFIX}0/27 (pool ${PREFIX}2-${PREFIX}30: 29 addresses), as member of project demo"

results=()
for trial in $(seq 1 "$TRIALS"); do
  target="${PREFIX}$((2 + RANDOM % 29))"

  # --- sweep (OpenStackOps) ---
  line=$(osops_pwsh "Connect-OpenStack -Cloud devcloud-demo -CloudsYamlPath '$W/clouds.yaml'; \$r = Restore-PortAddress $target -Network $NET -Name bench-sweep-$trial; '{0} {1} {2} {3} {4:0.0}' -f \$r.Strategy, \$r.PortsCreated, \$r.PortsDeleted, \$r.ApiCalls, \$r.DurationSeconds" | tail -1)
  read -r strategy s_created s_deleted s_calls s_secs <<<"$line"
  [ "$strategy" = Sweep ] || { echo "unexpected: $line" >&2; exit 1; }
  osc devcloud port delete "bench-sweep-$trial" >/dev/null

  # --- the guide's loop (openstack CLI), for the same address ---
  : >"$TMP/all"; : >"$TMP/neutron"
  g_created=0 found="" round=0 t0=$EPOCHREALTIME
  while [ -z "$found" ] && [ $round -lt 10 ]; do
    round=$((round + 1))
    for i in {0..10}; do
      out=$(guide_cli port create --network "$NET" ip-recovery -f value -c id -c fixed_ips)
      g_created=$((g_created + 1))
      if [ -z "$found" ] && grep -q "'ip_address': '$target'" <<<"$out"; then found=$(grep -oE '^[0-9a-f-]{36}$' <<<"$out" | head -1); fi
    done
    [ -n "$found" ] && guide_cli port set "$found" --name "don't delete" >/dev/null
    for port in $(guide_cli port list | grep -i ip-recovery | awk '{print $2}'); do guide_cli port delete "$port" >/dev/null; done
  done
  g_secs=$(echo "$EPOCHREALTIME - $t0" | bc)
  [ -n "$found" ] || { echo "guide loop did not find $target in 10 rounds" >&2; }
  [ -n "$found" ] && osc devcloud port delete "$found" >/dev/null
  g_all=$(sum "$TMP/all"); g_neutron=$(sum "$TMP/neutron")
  echo "trial $trial ($target): sweep created $s_created ports, $s_calls API calls, ${s_secs}s | guide created $g_created ports in $round round(s), $g_all HTTP requests ($g_neutron to neutron), ${g_secs}s"
  results+=("$s_created $s_calls $s_secs $g_created $g_all $g_neutron $g_secs")
done

python3 - "${results[@]}" <<'PY'
import statistics, sys
rows = [list(map(float, r.split())) for r in sys.argv[1:]]
col = lambda i: [r[i] for r in rows]
m = lambda i: statistics.mean(col(i))
print(f"\ntrials: {len(rows)} (means)")
print(f"sweep (Restore-PortAddress):  ports created {m(0):5.1f}   API calls {m(1):6.1f}                          time {m(2):6.1f} s")
print(f"guide loop (openstack CLI):   ports created {m(3):5.1f}   HTTP requests {m(4):6.1f} (neutron only {m(5):6.1f})   time {m(6):6.1f} s")
print(f"ratio guide/sweep: ports created {m(3)/m(0):.2f}x, requests {m(4)/m(1):.2f}x (neutron-only {m(5)/m(1):.2f}x), time {m(6)/m(2):.1f}x")
PY
