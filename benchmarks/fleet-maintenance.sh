#!/usr/bin/env bash
# Benchmark (not a test): a whole fleet's rolling maintenance, simulated (issue #18 point 5). 50 hosts, 1000 servers
# (1-4 GiB each, twenty anti-affinity groups of three), maintained through FleetMaintenanceRunner (what
# Invoke-FleetMaintenance runs) with at most N nodes out at once, N = 1 3 5 side by side in one run, each in its own
# process. Live migrations go over HTTP to the engine tests' fake nova (40 ms per call, 20-60 s per migration, one in
# fifty rolled back and tried once more); placement, os-services and server groups are served in memory by
# FakeFleetCloud, which counts the calls the real NovaFleetCloud sends for each read (services, hypervisors, providers,
# 2 per node, server and group pages), disable, enable and listing, and charges their 40 ms each. Each node's
# maintenance takes 10 virtual minutes, a wave's nodes at once; the check is immediate. Everything runs on a virtual clock.
#   benchmarks/fleet-maintenance.sh            N = 1 3 5 on 50 hosts / 1000 servers
#   NS="1 2" HOSTS=20 SERVERS=400 benchmarks/fleet-maintenance.sh
# Columns: waves; virtual hours in total and with a migration running; API calls per server (nova's over HTTP, the
# rest counted), live migrations per server (>1: early waves can only use nodes not yet maintained, so some servers
# move twice); per-host slot busy: for each node drain, the time one of its migrations ran over the time from its
# first move's start to its last's end (1.0 = nova's per-host limit of one live migration kept busy all the time), the
# mean and the lowest; the most migrations seen at once from one host (nova's limit is 1); outcomes.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
NS=${NS:-1 3 5}; HOSTS=${HOSTS:-50}; SERVERS=${SERVERS:-1000}
BIN=${BIN:-$ROOT/benchmarks/FleetDrain/bin/Release/net10.0/FleetDrain}
if [ -z "${SKIP_BUILD:-}" ]; then dotnet build "$ROOT/benchmarks/FleetDrain" -c Release -nologo -v q -clp:ErrorsOnly >&2; fi
OUT="$ROOT/out/benchmarks"; mkdir -p "$OUT"
TABLE="$OUT/fleet-maintenance-$(date +%Y%m%d-%H%M%S).tsv"
{ "$BIN" --fleet-header; for n in $NS; do "$BIN" --fleet "$n" "$HOSTS" "$SERVERS"; done; } | tee "$TABLE"
echo "relative to N=$(echo $NS | cut -d' ' -f1):"
awk -F'\t' 'NR==2 { t=$5; c=$9 } NR>2 { printf "  N=%s: virtual time %.2fx, calls per server %.2fx\n", $1, $5/t, $9/c }' "$TABLE"
echo "table: $TABLE"
