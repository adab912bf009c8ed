using OpenStackOps.Node.Shell;

namespace OpenStackOps.Node.Swift
{
    /// <summary>The steps that replace a swift disk, worked out from the node's state (<see cref="SwiftDiskReplacer.PlanAsync"/>).</summary>
    public sealed class SwiftDiskPlan
    {
        private readonly List<SwiftDiskStep> _steps = new List<SwiftDiskStep>();

        internal SwiftDiskPlan(SwiftDiskRequest request, SwiftDiskReplacement result, string target)
        {
            Request = request;
            Result = result;
            Target = target;
        }

        public SwiftDiskRequest Request { get; }
        /// <summary>The result so far (the inspection's findings; the steps that ran).</summary>
        public SwiftDiskReplacement Result { get; }
        /// <summary>"node: mount point", the target each step is approved for.</summary>
        public string Target { get; }
        public IReadOnlyList<SwiftDiskStep> Steps => _steps;

        internal void Add(string action, string description, NodeCommand command) => _steps.Add(new SwiftDiskStep(action, description, command));
    }

    /// <summary>One changing step: what the operator approves (Action), what a failure calls it, the node command.</summary>
    public sealed class SwiftDiskStep
    {
        internal SwiftDiskStep(string action, string description, NodeCommand command)
        {
            Action = action;
            Description = description;
            Command = command;
        }

        public string Action { get; }
        public string Description { get; }
        public NodeCommand Command { get; }
    }
}
