using System.Management.Automation;

namespace OpenStackOps.Module.Tests.Infrastructure
{
    /// <summary>Reading the objects a pipeline wrote (import with <c>using static</c>).</summary>
    public static class PsObjects
    {
        /// <summary>A property of an output object as text, null when it is null.</summary>
        public static string P(PSObject o, string name) => o.Properties[name].Value?.ToString();
    }
}
