#!/usr/bin/env bash
# The run command: installs the packages, builds the module, brings the local development cloud up
# (unless it is up already) and runs examples/quickstart.ps1 against it in pwsh (pinned in .config/dotnet-tools.json,
# installed by `dotnet tool restore`). The devcloud stays up for you to explore: `dotnet pwsh`, then
# Import-Module ./out/OpenStackOps/OpenStackOps.psd1; stop it with tools/devcloud/down.sh.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
export DEVCLOUD_DIR=${DEVCLOUD_DIR:-/tmp/osops-devcloud}
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

bash tools/devcloud/install.sh
if ! bash tools/devcloud/status.sh >/dev/null 2>&1; then
  bash tools/devcloud/up.sh >/tmp/osops-devcloud-up.log 2>&1 &
  UP=$!
fi
dotnet tool restore >/dev/null
dotnet build OpenStackOps.sln -c Release -nologo -v q -clp:ErrorsOnly
if [ -n "${UP:-}" ] && ! wait "$UP"; then
  tail -30 /tmp/osops-devcloud-up.log >&2
  echo "the devcloud did not come up: see /tmp/osops-devcloud-up.log" >&2
  exit 1
fi
# out/ on PSModulePath: the script's first OpenStackOps cmdlet imports the module, as an installed one would.
export PSModulePath="$ROOT/out${PSModulePath:+:$PSModulePath}"
exec dotnet pwsh -NoProfile -NonInteractive -File examples/quickstart.ps1 "$@"
