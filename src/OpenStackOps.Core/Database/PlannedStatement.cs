namespace OpenStackOps.Database
{
    /// <summary>
    /// One parameterized statement of a plan, exactly as it is sent: the SQL text holds only @names, the values
    /// travel separately, and <see cref="ExpectedRows"/> is the row count the plan requires (else roll back).
    /// </summary>
    public sealed class PlannedStatement
    {
        public string Database { get; set; } = null!;
        public string Sql { get; set; } = null!;
        public Dictionary<string, string?> Parameters { get; set; } = new Dictionary<string, string?>();
        public int ExpectedRows { get; set; }

        /// <summary>The SQL followed by its parameter values, for -WhatIf and the journal (values are not spliced in).</summary>
        public string Display =>
            Sql + ";  -- " + string.Join(", ", Parameters.Select(p => p.Key + "=" + Show(p.Value))) + $"; expect {ExpectedRows} row(s)";

        public override string ToString() => Display;

        private static string Show(string? v) => v == null ? "NULL" : "'" + v.Replace("'", "''") + "'";
    }
}
