#!/usr/bin/env bash
# Benchmark (not a test; not in tools/test.sh): the guide's daily check and weekly usage report on the devcloud with
# N extra servers (default 50, the fake driver's, created here and deleted after), answered side by side in one run:
#   module: Find-ServerProblem, Get-ProjectQuotaUsage, Get-NodeCapacity, Get-ImageUsage, Get-LargestServer,
#           Get-NetworkIpAvailability in one pwsh session (API calls from the session's counter, wall time each);
#   CLI:    the same questions with the openstack CLI as the guide asks them (API calls counted from --debug's
#           "REQ: curl" lines plus its "Making authentication request" lines: keystoneauth logs the token POST of each
#           process without a REQ line; the listings that drive the loops included; wall time each).
# Calls grow with pages, not with servers: the module's questions are also asked before the N servers exist
# (module-before) and, with them, with nova's server pages cut to PAGE (default 10) servers (module-pages).
# The daily check's CLI answer needs a placement call per server (resource provider allocation show) to find an
# allocation on the wrong node; the module reads one call per node. Quotas: nova's for the admin project are raised
# for the run (instances, cores, ram) and put back after.
#   flock -o /tmp/osops-devcloud-tests.lock benchmarks/daily-check.sh      (the devcloud is shared: hold its lock)
#   N=100 flock -o /tmp/osops-devcloud-tests.lock benchmarks/daily-check.sh
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
. "$ROOT/benchmarks/osops-pwsh.sh"
W=${DEVCLOUD_DIR:-/tmp/osops-devcloud}
N=${N:-50}
PAGE=${PAGE:-10}
export OS_CLIENT_CONFIG_FILE="$W/clouds.yaml" OS_CLOUD=devcloud OS_COMPUTE_API_VERSION=2.90
PREFIX="osops-bench-$(date +%s)"
OUT="$ROOT/out/benchmarks"; mkdir -p "$OUT"
TABLE="$OUT/daily-check-$(date +%Y%m%d-%H%M%S).tsv"

read -r Q_INSTANCES Q_CORES Q_RAM < <(openstack quota show admin -f json | jq -r '"\(.instances) \(.cores) \(.ram)"')
cleanup() {
  ids=$(openstack server list --all-projects --name "^$PREFIX" -f value -c ID || true)
  [ -n "$ids" ] && openstack server delete --wait $ids || true
  openstack quota set --instances "$Q_INSTANCES" --cores "$Q_CORES" --ram "$Q_RAM" admin || true
}
trap cleanup EXIT

# The module's answers, in one pwsh session (a first call warms the session up, not counted): module_pass SIDE [PAGESIZE]
module_pass() {
  osops_pwsh "Connect-OpenStack -Cloud devcloud -CloudsYamlPath '$W/clouds.yaml'; \$s = Get-OpenStackSession
    if ('${2:-}') { \$s.GetType().GetProperty('Compute', [Reflection.BindingFlags]'NonPublic,Instance').GetValue(\$s).Servers.PageSize = [int]'${2:-0}' }
    \$null = Get-ComputeNode
    foreach (\$q in 'Find-ServerProblem', 'Get-ProjectQuotaUsage', 'Get-NodeCapacity', 'Get-ImageUsage', 'Get-LargestServer -Top 10', 'Get-NetworkIpAvailability') {
      \$before = \$s.ApiCalls; \$t = [Diagnostics.Stopwatch]::StartNew()
      \$null = Invoke-Expression \$q
      @('$1', (\$q -split ' ')[0], (\$s.ApiCalls - \$before), ('{0:0.00}' -f \$t.Elapsed.TotalSeconds)) -join [char]9 }" | tr -d '\r'
}
BEFORE=$(openstack server list --all-projects -f value -c ID | wc -l)
module_pass module-before > "$TABLE.before"
openstack quota set --instances $((Q_INSTANCES + N)) --cores $((Q_CORES + N)) --ram $((Q_RAM + N * 512)) admin
echo "creating $N servers ($PREFIX-*)" >&2
openstack server create --flavor m1.tiny --image cirros-fake --network public --min "$N" --max "$N" "$PREFIX" >/dev/null
# Boots take a while on a loaded shared machine (2026-12-07, load average 20 on 2 cores: 16 of 50 ACTIVE after 6 min),
# so the wait is bounded by BOOT_WAIT (default 30 s per server) and ends early on a server in ERROR.
BOOT_WAIT=${BOOT_WAIT:-$((N * 30))}
t_boot=$(date +%s)
while :; do
  states=$(openstack server list --all-projects --name "^$PREFIX" -f value -c Status)
  active=$(grep -c '^ACTIVE$' <<<"$states" || true)
  [ "$active" -ge "$N" ] && break
  grep -q '^ERROR$' <<<"$states" && { echo "a server went to ERROR while booting ($active of $N ACTIVE)" >&2; exit 1; }
  [ $(( $(date +%s) - t_boot )) -ge "$BOOT_WAIT" ] && { echo "only $active of $N servers became ACTIVE in $BOOT_WAIT s" >&2; exit 1; }
  sleep 5
done
echo "$N servers ACTIVE in $(( $(date +%s) - t_boot )) s" >&2
SERVERS=$(openstack server list --all-projects -f value -c ID | wc -l)
echo "servers in the cloud: $SERVERS" >&2

# calls and seconds of one CLI question: cli NAME 'commands' (a shell snippet of openstack calls; each with --debug)
cli() {
  local start end log=$OUT/cli-$1.log
  start=$(date +%s.%N)
  bash -c "$2" >"$log" 2>&1
  end=$(date +%s.%N)
  printf 'cli\t%s\t%s\t%.2f\n' "$1" "$(( $(grep -c 'REQ: curl' "$log") + $(grep -c 'Making authentication request' "$log") ))" "$(echo "$end - $start" | bc)"
}
D=--debug
{
  printf 'side\tquestion\tcalls\tseconds\n'
  cat "$TABLE.before"
  module_pass module
  module_pass module-pages "$PAGE"
  cli Find-ServerProblem "
    openstack $D server list --all-projects --long -f json
    for st in running pre-migrating migrating post-migrating queued accepted confirming error; do openstack $D server migration list --status \$st -f json; done
    openstack $D compute service list --service nova-compute -f json
    for id in \$(openstack $D server list --all-projects --status ERROR -f value -c ID); do openstack $D server show \$id -f json; done
    openstack $D --os-placement-api-version 1.28 resource provider list -f json
    for id in \$(openstack $D server list --all-projects -f value -c ID); do openstack $D --os-placement-api-version 1.28 resource provider allocation show \$id -f json; done"
  cli Get-ProjectQuotaUsage "
    for p in \$(openstack $D project list -f value -c ID); do
      openstack $D quota list --detail --compute --project \$p -f json; openstack $D quota list --detail --network --project \$p -f json
      . '$W/openrc'; cinder --debug quota-usage \$p; done"
  cli Get-NodeCapacity "
    for rp in \$(openstack $D --os-placement-api-version 1.28 resource provider list -f value -c uuid); do
      openstack $D --os-placement-api-version 1.28 resource provider inventory list \$rp -f json
      openstack $D --os-placement-api-version 1.28 resource provider usage show \$rp -f json; done"
  cli Get-ImageUsage "openstack $D image list --long -f json; openstack $D server list --all-projects --long -f json"
  cli Get-LargestServer "openstack $D server list --all-projects --long -f json; openstack $D flavor list --all -f json"
  cli Get-NetworkIpAvailability "openstack $D ip availability list -f json"
} | tee "$TABLE"
rm -f "$TABLE.before"
echo "servers: $SERVERS (N=$N created for the run; $BEFORE before); module-pages: nova's server pages of $PAGE"
awk -F'\t' 'NR > 1 { key=$2; if ($1 == "module") { mc[key]=$3; ms[key]=$4 } else if ($1 == "module-before") { mb[key]=$3 } else if ($1 == "module-pages") { mp[key]=$3 } else { cc[key]=$3; cs[key]=$4 } }
  END { for (k in mc) printf "  %-26s calls CLI/module %5.1f (%s/%s)   time CLI/module %5.1f (%.1f s/%.2f s)   module calls before/with servers/pages of '"$PAGE"': %s/%s/%s\n", k, cc[k]/mc[k], cc[k], mc[k], cs[k]/ms[k], cs[k], ms[k], mb[k], mc[k], mp[k] }' "$TABLE"
echo "table: $TABLE"
