# The tier's JUnit XML, written from Invoke-Pester's result. Pester's own writer stops half-way, leaving a cut file
# and no report, when a failure message holds a character XML cannot carry (an ANSI colour code from a command's
# output did, in a CI run): here such characters are dropped or shown as \xNN, so a red test is always reported.
function ConvertTo-XmlSafeText([string] $Text) {
    $plain = [regex]::Replace($Text, "`e\[[0-9;?]*[A-Za-z]", '')
    -join ($plain.ToCharArray() | ForEach-Object {
            if ([System.Xml.XmlConvert]::IsXmlChar($_)) { $_ } else { '\x{0:X2}' -f [int]$_ }
        })
}

function Export-TierJUnit {
    param(
        [Parameter(Mandatory)] $Result,
        [Parameter(Mandatory)] [string] $Path
    )
    $settings = [System.Xml.XmlWriterSettings]@{ Indent = $true; Encoding = [System.Text.UTF8Encoding]::new($false) }
    $writer = [System.Xml.XmlWriter]::Create($Path, $settings)
    try {
        $writer.WriteStartElement('testsuites')
        foreach ($container in $Result.Containers) {
            $file = "$($container.Item)"
            $writer.WriteStartElement('testsuite')
            $writer.WriteAttributeString('name', $file)
            # Tests left out by the tier's tag filter are not part of this run: not written, as Pester does.
            foreach ($test in $container.Blocks | ForEach-Object { Get-TierTest $_ } | Where-Object ShouldRun) {
                Write-TierTestCase $writer $test.ExpandedPath $file $test.Result $test.Duration (Get-TierTestError $test)
            }
            # A file that failed outside any test (a parse error, a broken BeforeAll) has no failed test to say so.
            $outside = @($container.ErrorRecord) + @($container.Blocks | ForEach-Object { Get-TierBlock $_ } | ForEach-Object { $_.ErrorRecord })
            if ($container.Result -eq 'Failed' -and @($outside | Where-Object { $_ }).Count) {
                Write-TierTestCase $writer "$file (outside any test)" $file 'Failed' $container.Duration $outside
            }
            $writer.WriteEndElement()
        }
        $writer.WriteEndElement()
    }
    finally { $writer.Dispose() }
}

# A test failed by its block's BeforeAll carries no error itself: the nearest block's error says why.
function Get-TierTestError($Test) {
    if (@($Test.ErrorRecord).Count) { return $Test.ErrorRecord }
    for ($b = $Test.Block; $b; $b = $b.Parent) { if (@($b.ErrorRecord).Count) { return $b.ErrorRecord } }
}

function Get-TierTest($Block) { $Block.Tests; foreach ($b in $Block.Blocks) { Get-TierTest $b } }
function Get-TierBlock($Block) { $Block; foreach ($b in $Block.Blocks) { Get-TierBlock $b } }

function Write-TierTestCase([System.Xml.XmlWriter] $Writer, [string] $Name, [string] $File, [string] $Outcome, [timespan] $Duration, $Errors) {
    $Writer.WriteStartElement('testcase')
    $Writer.WriteAttributeString('name', (ConvertTo-XmlSafeText $Name))
    $Writer.WriteAttributeString('classname', $File)
    $Writer.WriteAttributeString('status', $Outcome)
    $Writer.WriteAttributeString('time', $Duration.TotalSeconds.ToString('0.000', [cultureinfo]::InvariantCulture))
    switch ($Outcome) {
        'Failed' {
            $errs = @($Errors | Where-Object { $_ })
            $message = if ($errs.Count) { $errs[0].Exception.Message } else { 'failed without an error record' }
            $Writer.WriteStartElement('failure')
            $Writer.WriteAttributeString('message', (ConvertTo-XmlSafeText $message))
            $Writer.WriteString((ConvertTo-XmlSafeText (($errs | ForEach-Object { "$($_.Exception.Message)`n$($_.ScriptStackTrace)" }) -join "`n`n")))
            $Writer.WriteEndElement()
        }
        { $_ -in 'Skipped', 'NotRun', 'Inconclusive' } {
            $Writer.WriteStartElement('skipped')
            $Writer.WriteEndElement()
        }
    }
    $Writer.WriteEndElement()
}
