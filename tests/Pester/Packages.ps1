# Where a package pinned in Pester.Dependencies.csproj lies in the NuGet cache (after `dotnet build` restored it).
# A package pinned at several versions ("[13.7.1];[18.1.0]") gives the first unless -Version names another.
function Get-PinnedPackagePath([string] $Name, [string] $Version) {
    $project = [xml](Get-Content -Raw (Join-Path $PSScriptRoot 'Pester.Dependencies.csproj'))
    $pin = $project.Project.ItemGroup.PackageDownload | Where-Object Include -eq $Name
    if (-not $pin) { throw "$Name is not pinned in Pester.Dependencies.csproj" }
    $versions = @($pin.Version -split ';' | ForEach-Object { $_.Trim().Trim('[]') })
    if (-not $Version) { $Version = $versions[0] }
    elseif ($Version -notin $versions) { throw "$Name is pinned at $($versions -join ', '), not $Version" }
    $root = if ($env:NUGET_PACKAGES) { $env:NUGET_PACKAGES } else { Join-Path $HOME '.nuget/packages' }
    $path = Join-Path $root "$($Name.ToLowerInvariant())/$Version"
    if (-not (Test-Path $path)) { throw "$path is missing: run dotnet build OpenStackOps.sln (it restores $Name)" }
    $path
}
