# Dot-sourced by About.Tests.ps1: every error id the module's code can raise, read from the C# sources under
# src/OpenStackOps and from the engine's failures (OpenStackOpsException, by running their Outcome for each value of
# their kind), so about_OpenStackOps_ErrorIds cannot go stale.
# Returns @{ Ids = full ids; Operations = operation prefixes; Outcomes = suffixes of "<Operation><Outcome>";
# Categories = for each id or outcome of an engine failure, the categories the code raises it with }.

# The index after the C# string literal that starts at $i ("...", @"...", $"...{hole}..."), holes scanned as code.
function Skip-CSharpString([string] $t, [int] $i) {
    $verbatim = $false; $interpolated = $false
    while ($t[$i] -eq '$' -or $t[$i] -eq '@') { if ($t[$i] -eq '@') { $verbatim = $true } else { $interpolated = $true }; $i++ }
    $i++ # opening quote
    while ($i -lt $t.Length) {
        $c = $t[$i]
        if (-not $verbatim -and $c -eq '\') { $i += 2; continue }
        if ($c -eq '"') { if ($verbatim -and $t[$i + 1] -eq '"') { $i += 2; continue }; return $i + 1 }
        if ($interpolated -and $c -eq '{') {
            if ($t[$i + 1] -eq '{') { $i += 2; continue }
            $i = Skip-CSharpCode $t ($i + 1) '}'; continue
        }
        $i++
    }
    $i
}

# Scans code from $i to the closing $close at depth 0; returns the index after it.
function Skip-CSharpCode([string] $t, [int] $i, [string] $close) {
    $depth = 0
    while ($i -lt $t.Length) {
        $c = $t[$i]
        if ($c -eq '"' -or (($c -eq '$' -or $c -eq '@') -and $t[$i + 1] -in '"', '$', '@')) { $i = Skip-CSharpString $t $i; continue }
        if ($c -eq "'") { $i = $t.IndexOf("'", $i + 2) + 1; continue }
        if ($c -in '(', '{', '[') { $depth++ } elseif ($c -in ')', '}', ']') { if ($depth -eq 0 -and $c -eq $close) { return $i + 1 }; $depth-- }
        $i++
    }
    $i
}

# The top-level arguments of the call whose '(' is at $open.
function Get-CSharpArgument([string] $t, [int] $open) {
    $arguments = @(); $start = $open + 1; $i = $open + 1; $depth = 0
    while ($i -lt $t.Length) {
        $c = $t[$i]
        if ($c -eq '"' -or (($c -eq '$' -or $c -eq '@') -and $t[$i + 1] -in '"', '$', '@')) { $i = Skip-CSharpString $t $i; continue }
        if ($c -eq "'") { $i = $t.IndexOf("'", $i + 2) + 1; continue }
        if ($c -in '(', '{', '[') { $depth++ }
        elseif ($c -in ')', '}', ']') { if ($depth -eq 0) { return $arguments + $t.Substring($start, $i - $start).Trim() }; $depth-- }
        elseif ($c -eq ',' -and $depth -eq 0) { $arguments += $t.Substring($start, $i - $start).Trim(); $start = $i + 1 }
        $i++
    }
    $arguments
}

# The MigrationOutcome names whose case in the file's `switch (...Outcome)` writes an error (a default that does: every other name).
function Get-ErrorOutcome([string] $t, [string[]] $all) {
    $open = $t.IndexOf('{', $t.IndexOf('switch (result.Outcome)'))
    $body = $t.Substring($open + 1, (Skip-CSharpCode $t ($open + 1) '}') - $open - 2)
    $labelled = @(); $raising = @()
    foreach ($section in [regex]::Matches($body, '((?:\s*(?:case\s+MigrationOutcome\.\w+|default)\s*:)+)((?:(?!case\s+MigrationOutcome|default\s*:).)*)', 'Singleline')) {
        $names = @([regex]::Matches($section.Groups[1].Value, 'MigrationOutcome\.(\w+)') | ForEach-Object { $_.Groups[1].Value })
        $labelled += $names
        if ($section.Groups[2].Value -match 'WriteError') {
            $raising += if ($section.Groups[1].Value -match 'default') { '<default>' } else { $names }
        }
    }
    @($raising | ForEach-Object { if ($_ -eq '<default>') { $all | Where-Object { $_ -notin $labelled } } else { $_ } })
}

function Get-OpenStackOpsErrorId([string] $RepoRoot) {
    $module = Get-Module OpenStackOps
    $assemblies = @([AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -like 'OpenStackOps*' })
    function TypeOf([string] $name) { foreach ($a in $assemblies) { $t = $a.GetType($name); if ($t) { return $t } }; throw "type $name not loaded" }
    function NamesOf([string] $name) { [Enum]::GetNames((TypeOf $name)) }

    $ids = [System.Collections.Generic.HashSet[string]]::new(); $operations = [System.Collections.Generic.HashSet[string]]::new()
    $outcomes = [System.Collections.Generic.HashSet[string]]::new()
    $categories = @{}
    function Add-Category([string] $id, $category) {
        if (-not $categories.ContainsKey($id)) { $categories[$id] = [System.Collections.Generic.HashSet[string]]::new() }
        [void]$categories[$id].Add("$category")
    }
    # "Prefix" + expression: the names the expression can take, from the enums (and the code that chooses them).
    $families = @{}
    # The ids an id expression can give: "Id", cond ? "A" : "B", "Prefix" + expression, or a variable assigned those.
    function Resolve-IdExpression([string] $expr) {
        if ($expr -match '^"(\w+)" \+ (.+)$') {
            $prefix = $Matches[1]; $rest = $Matches[2]
            if (-not $families.ContainsKey($prefix)) { throw "$($file.Name): error ids '$prefix' + $rest are new: teach ErrorIds.ps1 their names" }
            return @(& $families[$prefix] $text $rest | ForEach-Object { $prefix + $_ })
        }
        if ($expr -match '^\w+$') { # a variable: its assignments in this file, or a parameter (its callers hold the ids)
            $assigned = @([regex]::Matches($text, "\b$expr = ([^;]+);") | ForEach-Object { Resolve-IdExpression $_.Groups[1].Value.Trim() })
            if ($assigned.Count -eq 0 -and $text -notmatch "string $expr\b") { throw "$($file.Name): cannot read the id '$expr'" }
            return $assigned
        }
        $branches = if ($expr -match '\?(.*)$') { $Matches[1] } else { $expr } # a condition's own literals are no ids
        $literals = @([regex]::Matches($branches, '(?<![$@])"(\w+)"') | ForEach-Object { $_.Groups[1].Value })
        if ($literals.Count -eq 0) { throw "$($file.Name): cannot read the id expression '$expr'" }
        $literals
    }
    # Every engine failure (a subclass of OpenStackOpsException that gives its own Outcome), built once for each value of
    # the enum its constructor takes first: its Outcome is a whole id, or an outcome after the cmdlet's operation.
    function Add-EngineFailureId {
        $base = TypeOf OpenStackOps.OpenStackOpsException
        foreach ($type in $assemblies | ForEach-Object { $_.GetExportedTypes() } | Where-Object { $_.IsSubclassOf($base) -and -not $_.IsAbstract }) {
            if ($type.GetProperty('Outcome').DeclaringType -ne $type) { continue } # its base's outcomes are its own
            if ($type.Name -eq 'MigrationFailedException') { continue } # a failed result's: read where a cmdlet writes it (Add-MigrationFailureId)
            if ($type.Name -in 'VolumeReattachFailedException', 'ServerRestartFailedException') { Add-ResultFailureId $type; continue }
            $ctor = $type.GetConstructors() | Where-Object { $p = $_.GetParameters(); $p.Count -gt 0 -and $p[0].ParameterType.IsEnum } | Select-Object -First 1
            if (-not $ctor) { throw "$($type.Name) is a new engine failure: teach ErrorIds.ps1 to build it" }
            $parameters = $ctor.GetParameters()
            foreach ($value in [Enum]::GetValues($parameters[0].ParameterType)) {
                $arguments = @($value) + @($parameters | Select-Object -Skip 1 | ForEach-Object { if ($_.ParameterType -eq [string]) { 'x' } else { $null } })
                $failure = $ctor.Invoke([object[]]$arguments)
                if ($failure.IsFullId) { [void]$ids.Add($failure.Outcome) } else { [void]$outcomes.Add($failure.Outcome) }
                Add-Category $failure.Outcome $failure.Category
            }
        }
    }
    # A failed result's own failure, built from a result for each status that is not success: Restore-VolumeAttachment's
    # statuses are the engine's (Core/Volumes) but the one its cmdlet writes no error for; Restart-NodeServer's ERROR or not.
    function Add-ResultFailureId($type) {
        $ctor = $type.GetConstructors()[0]
        $resultType = $ctor.GetParameters()[0].ParameterType
        $statuses = if ($type.Name -eq 'VolumeReattachFailedException') {
            $cmdlet = Get-Content (Join-Path $RepoRoot 'src/OpenStackOps/Commands/Volumes/RestoreVolumeAttachmentCommand.cs') -Raw
            $success = [regex]::Match($cmdlet, 'result\.Status != "(\w+)"').Groups[1].Value
            if (-not $success) { throw 'RestoreVolumeAttachmentCommand no longer says which status is success: teach ErrorIds.ps1' }
            Get-ChildItem (Join-Path $RepoRoot 'src/OpenStackOps.Core/Volumes') -Filter *.cs | Get-Content -Raw |
                ForEach-Object { [regex]::Matches($_, 'Status = "(\w+)"') } | ForEach-Object { $_.Groups[1].Value } | Where-Object { $_ -ne $success } | Sort-Object -Unique
        } else { 'ERROR', 'SHUTOFF' }
        foreach ($status in $statuses) {
            $result = [Activator]::CreateInstance($resultType); $result.Status = $status
            $failure = $ctor.Invoke([object[]]@($result, 'x'))
            $id = if ($failure.IsFullId) { $failure.Outcome } else { 'VolumeReattach' + $failure.Outcome }
            [void]$ids.Add($id); Add-Category $id $failure.Category
        }
    }
    Add-EngineFailureId
    # A failed result written as MigrationFailedException.<Factory>(result) under an operation: the factory's outcome
    # for each MigrationOutcome the file's `switch (result.Outcome)` writes an error for, and for nova's 409.
    function Add-MigrationFailureId([string] $factory, [string] $operation) {
        $type = TypeOf OpenStackOps.Maintenance.MigrationFailedException
        $make = $type.GetMethod($factory, [Reflection.BindingFlags]'NonPublic,Public,Static')
        if (-not $make) { throw "$($file.Name): MigrationFailedException.$factory is new: teach ErrorIds.ps1" }
        $resultType = TypeOf OpenStackOps.Maintenance.MigrationResult
        $outcomeProperty = $resultType.GetProperty('Outcome', [Reflection.BindingFlags]'NonPublic,Instance')
        foreach ($name in Get-ErrorOutcome $text (NamesOf OpenStackOps.Maintenance.MigrationOutcome)) {
            foreach ($status in $null, 400, 409) {
                $result = [Activator]::CreateInstance($resultType)
                $outcomeProperty.SetValue($result, [Enum]::Parse((TypeOf OpenStackOps.Maintenance.MigrationOutcome), $name))
                $result.HttpStatus = $status
                $failure = $make.Invoke($null, @($result))
                [void]$ids.Add($operation + $failure.Outcome)
                Add-Category ($operation + $failure.Outcome) $failure.Category
            }
        }
    }
    $calls = '(?<call>(?:ErrorRecords\.|(?<![\w.]))Make|new ErrorRecord|ErrorRecords\.FromException|WriteFailure|(?<![\w.])Fail)\s*\('
    foreach ($file in Get-ChildItem (Join-Path $RepoRoot 'src/OpenStackOps') -Recurse -Filter *.cs) {
        $text = Get-Content $file.FullName -Raw
        foreach ($m in [regex]::Matches($text, 'protected override string Operation => "(\w+)"')) { [void]$operations.Add($m.Groups[1].Value) }
        foreach ($m in [regex]::Matches($text, $calls)) {
            $arguments = @(Get-CSharpArgument $text ($m.Index + $m.Length - 1))
            if ($arguments[0] -match '^(Exception|string)\s+\w+$') { continue } # the method's own declaration
            $kind = if ($m.Groups['call'].Value -match 'Make$|^new ErrorRecord$') { 'Id' } else { 'Operation' }
            $expr = $arguments[1]
            if ($kind -eq 'Operation') {
                if ($arguments[0] -match '^MigrationFailedException\.(\w+)\(result\)$') {
                    $factory = $Matches[1]
                    if ($expr -match '^"(\w+)"$') { Add-MigrationFailureId $factory $Matches[1] } else { throw "$($file.Name): a failed result under operation ${expr}: give it as a literal" }
                }
                if ($expr -match '^"(\w+)"$') { [void]$operations.Add($Matches[1]) }
                continue # a variable: the operations its callers pass are collected at their calls
            }
            if ($expr -match '^ops\.IsFullId \? ops\.Outcome : operation \+ ops\.Outcome$') { continue } # ErrorRecords' engine failures: Add-EngineFailureId
            if ($expr -match '^operation \+ (.+)$') { # ErrorRecords.FromException: the outcomes
                $suffix = $Matches[1]
                if ($suffix -match '^"(\w+)"$') { [void]$outcomes.Add($Matches[1]) }
                else { throw "$($file.Name): unknown outcome expression '$suffix'" }
                continue
            }
            foreach ($id in Resolve-IdExpression $expr) { [void]$ids.Add($id) }
        }
    }
    @{ Ids = @($ids); Operations = @($operations); Outcomes = @($outcomes); Categories = $categories }
}
