namespace OpenStackOps
{
    /// <summary>
    /// The one shape of an engine failure an operator meets: a stable outcome (the end of its error id), a category,
    /// what it is about, what to do. The cmdlets turn it into an ErrorRecord in one place (ErrorRecords).
    /// A base class rather than an interface: every engine failure was a plain Exception subclass, so deriving from
    /// this keeps every catch as it was, and the shape's defaults (no target, no action) live once, here.
    /// </summary>
    public abstract class OpenStackOpsException : Exception
    {
        private string? _action;

        protected OpenStackOpsException(string message, Exception? inner) : base(message, inner) { }

        /// <summary>The end of the error id: the cmdlet puts its operation before it (NovaLiveMigrate + Unreachable) unless <see cref="IsFullId"/>.</summary>
        public abstract string Outcome { get; }

        /// <summary>True when <see cref="Outcome"/> is the whole id: a failure of its own family (DatabaseRecoveryBlocked, PortQuotaExhausted).</summary>
        public virtual bool IsFullId => false;

        public abstract FailureCategory Category { get; }

        /// <summary>What the failure is about (a node, a file, an address). An operation's failure names the cmdlet's target, this only when it has none; a full-id failure names this first.</summary>
        public virtual object? ErrorTarget => null;

        /// <summary>What to do about it, when there is something better to say than the message.</summary>
        public string? RecommendedAction
        {
            get => _action ?? DefaultAction;
            set => _action = value;
        }

        protected virtual string? DefaultAction => null;

        /// <summary>The text of the error's details, when the operator needs more than the message (or an action); null: none.</summary>
        public virtual string? Details => RecommendedAction == null ? null : Message;
    }
}
