#!/usr/bin/env bash
# Benchmark (not a test): draining one host of N servers on the devcloud, three ways side by side in one run:
#   1. the module:  $servers | Move-ServerLive -Destination c03 -ThrottleLimit T      (c02 -> c03)
#   2. the floor:   benchmarks/RawLiveMigration, plain HttpClient, same concurrency    (c03 -> c02)
#   3. the guide:   one `openstack server migrate --live-migration --host ... --wait` per server, in turn (c02 -> c03)
# Wall time and API calls of each (the CLI's calls counted from its --debug REQ lines, keystone included).
#   benchmarks/live-migration.sh                 N=20 T=1, nova's default of one live migration per source host
#   LIMIT=0 T=20 benchmarks/live-migration.sh    nova-compute on c02/c03 restarted with max_concurrent_live_migrations=LIMIT
#                                                (0 = unlimited) for the run, and restored afterwards
# The devcloud's fake.FakeDriver migrates as soon as nova's steps are done (until session 9 FakeLiveMigrateDriver added a
# 5 s "memory copy" to each, in the figures of earlier sessions), so nova's own time is the floor.
# Each phase also reports the machine's busy CPU-seconds: on a small machine the control plane (neutron-server above
# all: nova asks it ~37 questions per live migration) runs out of CPU before the client matters.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
. "$ROOT/benchmarks/osops-pwsh.sh"
N=${N:-20} T=${T:-1} LIMIT=${LIMIT:-}
W=${DEVCLOUD_DIR:-/tmp/osops-devcloud}
export DEVCLOUD_DIR=$W
OS=(env -u PYTHONPATH PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin OS_CLIENT_CONFIG_FILE="$W/clouds.yaml" OS_CLOUD=devcloud /usr/bin/openstack)
PREFIX="bench-lm-$$"
RESULTS="$ROOT/out/benchmarks"; mkdir -p "$RESULTS"
log() { echo "$(date +%T) $*" >&2; }
# Busy CPU-seconds of the whole machine so far (/proc/stat, all cores): what each phase cost the cloud's control plane.
busy() { awk -v hz="$(getconf CLK_TCK)" '/^cpu /{print ($2+$3+$4+$7+$8+$9) / hz; exit}' /proc/stat; }
NCPU=$(nproc)
phase_cpu() { python3 -c "import sys; b0,b1,w=map(float,sys.argv[1:]); print(f'{b1-b0:.0f} CPU-s busy in {w:.0f} s ({(b1-b0)/w/$NCPU*100:.0f}% of $NCPU cores)')" "$@"; }

reconfigure() {  # reconfigure LIMIT|restore : restart c02/c03's nova-compute with the setting, revive their servers
  for s in c02 c03; do
    conf="$W/nodes/$s/etc/nova/nova-compute.conf"
    # Written in place: the node sees this file through a bind mount of its inode (sed -i or mv would give the
    # path a new inode that the node never sees).
    if [ "$1" = restore ]; then cat "$conf.bench-orig" > "$conf"; rm -f "$conf.bench-orig"
    else
      cp "$conf" "$conf.bench-orig"; sed "/^\[DEFAULT\]/a max_concurrent_live_migrations = $1" "$conf.bench-orig" > "$conf"
      # ssh hands the remote shell one line: quote the pattern inside it.
      bash "$ROOT/tools/devcloud/node-exec.sh" "$s" "grep -q 'max_concurrent_live_migrations = $1' /etc/nova/nova-compute.conf" ||
        { echo "node $s does not see max_concurrent_live_migrations = $1 in its /etc/nova/nova-compute.conf" >&2; exit 1; }
    fi
    bash "$ROOT/tools/devcloud/compute-ctl.sh" stop "$s" >/dev/null
    bash "$ROOT/tools/devcloud/compute-ctl.sh" start "$s" >/dev/null
  done
  for i in $(seq 60); do
    up=$("${OS[@]}" compute service list --service nova-compute -f value -c Host -c State | grep -cE "^c0[23].* up$" || true)
    [ "$up" = 2 ] && break; sleep 2
  done
  # The fake driver forgot its guests: hard-reboot the ACTIVE ones so nova can migrate them again.
  for s in c02 c03; do bash "$ROOT/tools/devcloud/compute-ctl.sh" revive "$s" >/dev/null; done
}

QUOTA=""
cleanup() {
  log "deleting the $PREFIX servers"
  ids=$("${OS[@]}" server list --all-projects --name "^$PREFIX" -f value -c ID || true)
  [ -n "$ids" ] && "${OS[@]}" server delete --wait $ids || true
  [ -n "$QUOTA" ] && "${OS[@]}" quota set $QUOTA admin || true
  [ -n "$LIMIT" ] && [ -e "$W/nodes/c02/etc/nova/nova-compute.conf.bench-orig" ] && { log "restoring nova-compute settings"; reconfigure restore; }
}
trap cleanup EXIT

if [ -n "$LIMIT" ]; then log "nova-compute on c02/c03: max_concurrent_live_migrations = $LIMIT"; reconfigure "$LIMIT"; fi

# The admin project's default quota (10 instances) is below N: raise it for the run, put it back afterwards.
QUOTA=$("${OS[@]}" quota show admin -f json | python3 -c "import json,sys; q=json.load(sys.stdin); print(f\"--instances {q['instances']} --cores {q['cores']} --ram {q['ram']}\")")
"${OS[@]}" quota set --instances $((N + 20)) --cores $((N + 40)) --ram $(((N + 40) * 512)) admin

log "creating $N servers on c02"
"${OS[@]}" server create --flavor m1.tiny --image cirros-fake --network public \
  --availability-zone nova:c02.example.com --min "$N" --max "$N" "$PREFIX" -f value -c id >/dev/null
for i in $(seq 120); do
  active=$("${OS[@]}" server list --all-projects --name "^$PREFIX" --status ACTIVE -f value -c ID | wc -l)
  [ "$active" -ge "$N" ] && break; sleep 2
done
[ "$active" -ge "$N" ] || { echo "only $active of $N servers became ACTIVE" >&2; exit 1; }
IDS=$("${OS[@]}" server list --all-projects --name "^$PREFIX" -f value -c ID | tr '\n' ' ')

log "1/3 Move-ServerLive c02 -> c03, throttle $T"
b0=$(busy); w0=$EPOCHREALTIME
osops_pwsh "
  Connect-OpenStack -Cloud devcloud -CloudsYamlPath '$W/clouds.yaml'
  \$servers = @(Get-NodeServer c02 | Where-Object Name -like '$PREFIX*')
  \$before = (Get-OpenStackSession).ApiCalls
  \$sw = [Diagnostics.Stopwatch]::StartNew()
  \$r = @(\$servers | Move-ServerLive -Destination c03 -ThrottleLimit $T)
  \$sec = \$sw.Elapsed.TotalSeconds
  \$calls = (Get-OpenStackSession).ApiCalls - \$before
  \$bad = @(\$r | Where-Object Status -ne Completed).Count
  'module: {0} servers, {1} failed, {2:F1} s, {3} API calls' -f \$r.Count, \$bad, \$sec, \$calls
" | tee "$RESULTS/live-migration-module.txt" | tail -1

echo "module: $(phase_cpu "$b0" "$(busy)" "$(python3 -c "print($EPOCHREALTIME - $w0)")")" | tee "$RESULTS/live-migration-module-cpu.txt"
log "2/3 raw HTTP c03 -> c02, concurrency $T"
b0=$(busy); w0=$EPOCHREALTIME
( set -a; . "$W/openrc"; set +a
  dotnet "$ROOT/benchmarks/RawLiveMigration/bin/Release/net10.0/RawLiveMigration.dll" c02.example.com "$T" $IDS ) \
  | tee "$RESULTS/live-migration-raw.txt" | tail -1

echo "raw: $(phase_cpu "$b0" "$(busy)" "$(python3 -c "print($EPOCHREALTIME - $w0)")")" | tee "$RESULTS/live-migration-raw-cpu.txt"
log "3/3 the guide's procedure with the openstack CLI, c02 -> c03, one server after another"
b0=$(busy)
t0=$EPOCHREALTIME; calls=0; bad=0
for id in $IDS; do
  out=$("${OS[@]}" --debug --os-compute-api-version 2.30 server migrate --live-migration --host c03.example.com --wait "$id" 2>&1) || bad=$((bad + 1))
  calls=$((calls + $(grep -c "^REQ: curl" <<<"$out" || true)))
done
t1=$EPOCHREALTIME
cli_sec=$(python3 -c "print(f'{$t1 - $t0:.1f}')")
echo "cli: $N servers, $bad failed, $cli_sec s, $calls API calls" | tee "$RESULTS/live-migration-cli.txt"
echo "cli: $(phase_cpu "$b0" "$(busy)" "$cli_sec")" | tee "$RESULTS/live-migration-cli-cpu.txt"
on_c03=$("${OS[@]}" server list --all-projects --name "^$PREFIX" --host c03.example.com -f value -c ID | wc -l)
echo "cli: $on_c03 of $N servers on c03 afterwards"

python3 - "$RESULTS" "$N" "$T" "${LIMIT:-1 (nova default)}" <<'PY'
import re, sys
d, n, t, limit = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
def read(name):
    line = open(f"{d}/live-migration-{name}.txt").read().strip().splitlines()[-1]
    m = re.search(r"(\d+) failed, ([\d.]+) s, (\d+) API calls", line)
    return int(m.group(1)), float(m.group(2)), int(m.group(3))
mod, raw, cli = read("module"), read("raw"), read("cli")
print(f"\n{n} servers, throttle {t}, nova-compute max_concurrent_live_migrations {limit}")
for name, (bad, sec, calls) in (("Move-ServerLive", mod), ("raw HTTP floor", raw), ("openstack CLI, guide", cli)):
    print(f"  {name:<22} {sec:7.1f} s  {calls:5d} API calls  {calls / n:5.1f} per server  {bad} failed")
print(f"  CLI / module wall time:   {cli[1] / mod[1]:.1f}x")
print(f"  module / raw wall time:   {mod[1] / raw[1]:.2f}x")
print(f"  module API calls/server:  {mod[2] / n:.1f}  (raw {raw[2] / n:.1f}, CLI {cli[2] / n:.1f})")
for name in ("module", "raw", "cli"):
    print(f"  machine CPU, {name:<7} {open(f'{d}/live-migration-{name}-cpu.txt').read().split(': ', 1)[1].strip()}")
PY
