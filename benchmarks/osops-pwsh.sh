# Sourced by the benchmarks (after ROOT=): osops_pwsh 'text' runs PowerShell text in the pinned pwsh
# (.config/dotnet-tools.json) with the built module imported; the import failing stops the text.
osops_pwsh() {
  (cd "$ROOT" && dotnet pwsh -NoProfile -NonInteractive -Command \
    "Import-Module '$ROOT/out/OpenStackOps/OpenStackOps.psd1' -ErrorAction Stop; $1")
}
