#!/usr/bin/env bash
# Benchmark (not a test): a rolling drain at fleet scale, simulated. N servers on N/10 hosts (10 each) are drained
# through the engine Move-ServerLive runs (-ThrottleLimit 10 -ThrottleLimitPerHost 2: five hosts at a time, two
# servers each), against the engine tests' fake nova (tests/OpenStackOps.Tests/Migrations/FakeNova.cs) in process,
# on a virtual clock: every API call takes 40 ms of virtual time, each live migration 20-60 s (one in fifty fails
# and is rolled back), nova's conductor shows the record 200 ms after the 202. The engine's own waits advance the
# virtual clock at once, so hours of drain run in seconds while the poll schedule, and so the API calls, stay those
# of a real drain; CPU and memory are real.
#   benchmarks/fleet-drain.sh                  N = 50 500 5000, each in a fresh process (peak memory is its own)
#   SIZES="50 500" benchmarks/fleet-drain.sh   other sizes
#   BIN=/path/to/FleetDrain benchmarks/fleet-drain.sh   another build (e.g. an older commit's, for before/after)
# Per server: API calls (POSTs, os-migrations listings, server reads), KB of answers the module parsed, the module's
# CPU (the process's CPU less the fake's own, measured on the calling thread around each fake answer), bytes the
# module allocated (likewise); and the process's peak working set (the fake's servers and records included).
# The last lines give each figure per server at N divided by the same at the smallest N: 1.0 or less is linear or better.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
SIZES=${SIZES:-50 500 5000}
BIN=${BIN:-$ROOT/benchmarks/FleetDrain/bin/Release/net10.0/FleetDrain}
if [ -z "${SKIP_BUILD:-}" ] && [ "$BIN" = "$ROOT/benchmarks/FleetDrain/bin/Release/net10.0/FleetDrain" ]; then
  dotnet build "$ROOT/benchmarks/FleetDrain" -c Release -nologo -v q -clp:ErrorsOnly >&2
fi
OUT="$ROOT/out/benchmarks"; mkdir -p "$OUT"
TABLE="$OUT/fleet-drain-$(date +%Y%m%d-%H%M%S).tsv"
{ "$BIN" --header; for n in $SIZES; do "$BIN" "$n"; done; } | tee "$TABLE"
echo "per server, relative to the smallest N:"
awk -F'\t' 'NR==2 { c=$3; k=$7; u=$8; a=$10 }
            NR>2  { printf "  N=%s: calls %.2f, KB received %.2f, module CPU %.2f, module allocations %.2f\n", $1, $3/c, $7/k, $8/u, $10/a }' "$TABLE"
echo "table: $TABLE"
