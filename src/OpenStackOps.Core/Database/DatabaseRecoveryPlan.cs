namespace OpenStackOps.Database
{
    /// <summary>
    /// What a database recovery of a failed compute node would change: the rows as they are now (pre-images),
    /// the exact statements per database, and any problem that blocks it.
    /// </summary>
    public sealed class DatabaseRecoveryPlan
    {
        public string FailedHost { get; set; } = null!;
        public string Destination { get; set; } = null!;
        public string? DestinationNode { get; set; }
        public string NovaDatabase { get; set; } = null!;
        public string NeutronDatabase { get; set; } = null!;
        public string? DatabaseServer { get; set; }
        public DateTimeOffset PlannedAt { get; set; }
        /// <summary>The highest nova.instance_actions id when the rows were read (see <see cref="RecoveryJournal.InstanceActionMark"/>).</summary>
        public long InstanceActionMark { get; set; }

        public List<InstanceRow> Instances { get; set; } = new List<InstanceRow>();
        public List<PortRow> Ports { get; set; } = new List<PortRow>();
        /// <summary>Pre-images of the bindings that move (host = failed host).</summary>
        public List<PortBindingRow> Bindings { get; set; } = new List<PortBindingRow>();
        /// <summary>Pre-images of the binding levels that move.</summary>
        public List<PortBindingLevelRow> Levels { get; set; } = new List<PortBindingLevelRow>();
        /// <summary>Ports of these instances that are unbound (host ''): left as they are.</summary>
        public List<string> UnboundPorts { get; set; } = new List<string>();

        public List<PlannedStatement> NovaStatements { get; set; } = new List<PlannedStatement>();
        public List<PlannedStatement> NeutronStatements { get; set; } = new List<PlannedStatement>();
        /// <summary>The servers' placement allocations that move with the rows (empty when placement is not asked).</summary>
        public List<AllocationMove> Allocations { get; set; } = new List<AllocationMove>();
        public List<RecoveryProblem> Problems { get; set; } = new List<RecoveryProblem>();
        public List<string> Warnings { get; set; } = new List<string>();

        public bool IsBlocked => Problems.Count > 0;
        public bool IsEmpty => Instances.Count == 0;
        public int InstanceCount => Instances.Count;
        public int BindingCount => Bindings.Count;
        public int LevelCount => Levels.Count;
        public int AllocationCount => Allocations.Count;

        /// <summary>Every statement, database by database, as -WhatIf shows them.</summary>
        public IEnumerable<PlannedStatement> Statements => NovaStatements.Concat(NeutronStatements);

        public string SqlText => string.Join(Environment.NewLine, Statements.Select(s => s.Display));

        /// <summary>The placement calls, one line per server, as -WhatIf shows them.</summary>
        public string PlacementText => string.Join(Environment.NewLine, Allocations.Select(a => a.Display));
    }
}
