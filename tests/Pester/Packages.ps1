# Where a package pinned in Pester.Dependencies.csproj lies in the NuGet cache (after `dotnet build` restored it).
function Get-PinnedPackagePath([string] $Name) {
    $project = [xml](Get-Content -Raw (Join-Path $PSScriptRoot 'Pester.Dependencies.csproj'))
    $pin = $project.Project.ItemGroup.PackageDownload | Where-Object Include -eq $Name
    if (-not $pin) { throw "$Name is not pinned in Pester.Dependencies.csproj" }
    $root = if ($env:NUGET_PACKAGES) { $env:NUGET_PACKAGES } else { Join-Path $HOME '.nuget/packages' }
    $path = Join-Path $root "$($Name.ToLowerInvariant())/$($pin.Version.Trim('[]'))"
    if (-not (Test-Path $path)) { throw "$path is missing: run dotnet build OpenStackOps.sln (it restores $Name)" }
    $path
}
