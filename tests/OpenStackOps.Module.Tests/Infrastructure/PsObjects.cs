using System.Collections;
using System.Linq;
using System.Management.Automation;

namespace OpenStackOps.Module.Tests.Infrastructure
{
    /// <summary>Reading the objects a pipeline wrote (import with <c>using static</c>).</summary>
    public static class PsObjects
    {
        /// <summary>A property of an output object as text, null when it is null.</summary>
        public static string P(PSObject o, string name) => o.Properties[name].Value?.ToString();

        /// <summary>A list-valued property (a runbook step's Items, say) as the objects in it.</summary>
        public static PSObject[] Items(PSObject o, string name = "Items")
            => ((IEnumerable)PSObject.AsPSObject(o.Properties[name].Value).BaseObject).Cast<object>().Select(PSObject.AsPSObject).ToArray();
    }
}
