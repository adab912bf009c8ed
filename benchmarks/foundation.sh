#!/usr/bin/env bash
# Benchmark (not a test): a cold `Import-Module + Connect-OpenStack + first Get-ComputeNode` in a fresh
# process, next to one cold `openstack compute service list`, against the devcloud, alternating the two
# so that machine noise hits both alike. Prints medians and their ratio.
#   benchmarks/foundation.sh [ROUNDS=7]
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
. "$ROOT/benchmarks/osops-pwsh.sh"
ROUNDS=${1:-7}
DEVCLOUD_DIR=${DEVCLOUD_DIR:-/tmp/osops-devcloud}
export OS_CLIENT_CONFIG_FILE=$DEVCLOUD_DIR/clouds.yaml OS_CLOUD=devcloud
SHELL_CMD=(osops_pwsh "Connect-OpenStack -Cloud devcloud -CloudsYamlPath '$DEVCLOUD_DIR/clouds.yaml'; \$n = Get-ComputeNode; if (@(\$n).Count -lt 3) { throw 'expected 3 nodes' }")
CLI_CMD=(env PATH=/usr/sbin:/usr/bin:/sbin:/bin /usr/bin/openstack compute service list --service nova-compute -f value)

osops=() cli=()
"${SHELL_CMD[@]}" >/dev/null; "${CLI_CMD[@]}" >/dev/null   # warm the disk cache for both
for i in $(seq 1 "$ROUNDS"); do
  t=$EPOCHREALTIME; "${SHELL_CMD[@]}" >/dev/null; osops+=("$t:$EPOCHREALTIME")
  t=$EPOCHREALTIME; "${CLI_CMD[@]}" >/dev/null;  cli+=("$t:$EPOCHREALTIME")
done
# In an open session (what an operator at a pwsh prompt feels): one process, connect once, then time each
# Get-ComputeNode with a stopwatch.
warm=$(osops_pwsh "Connect-OpenStack -Cloud devcloud -CloudsYamlPath '$DEVCLOUD_DIR/clouds.yaml'; \$t = foreach (\$i in 1..$ROUNDS) { \$sw = [Diagnostics.Stopwatch]::StartNew(); \$null = Get-ComputeNode; \$sw.Elapsed.TotalSeconds }; \$t -join ' '")
python3 - "${osops[*]}" "${cli[*]}" "$warm" <<'PY'
import statistics, sys
span = lambda s: float(s.split(":")[1]) - float(s.split(":")[0])
a = [span(x) for x in sys.argv[1].split()]
b = [span(x) for x in sys.argv[2].split()]
ma, mb = statistics.median(a), statistics.median(b)
print(f"rounds: {len(a)}")
print(f"OpenStackOps  import+connect+Get-ComputeNode (cold process): median {ma:.2f} s  (min {min(a):.2f}, max {max(a):.2f})")
print(f"openstack compute service list (cold process):               median {mb:.2f} s  (min {min(b):.2f}, max {max(b):.2f})")
print(f"ratio OpenStackOps / openstack CLI: {ma/mb:.2f}")
w = [float(x) for x in sys.argv[3].split()]
mw = statistics.median(w)
print(f"Get-ComputeNode in an open session:                         median {mw:.3f} s  (min {min(w):.3f}, max {max(w):.3f})")
print(f"ratio open-session Get-ComputeNode / openstack CLI: {mw/mb:.3f}  (CLI is {mb/mw:.0f}x slower)")
PY
