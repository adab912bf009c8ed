using System.Management.Automation.Runspaces;
using System.Runtime.CompilerServices;
using OpenStackOps.Sessions;

namespace OpenStackOps.Infrastructure
{
    /// <summary>The default session of each runspace: set by Connect-OpenStack, used when -Session is not given.</summary>
    internal static class SessionStore
    {
        private sealed class Holder
        {
            public OpenStackSession? Session;
        }

        private static readonly ConditionalWeakTable<Runspace, Holder> Defaults = new ConditionalWeakTable<Runspace, Holder>();

        public static OpenStackSession? GetDefault()
        {
            var runspace = Runspace.DefaultRunspace;
            return runspace != null && Defaults.TryGetValue(runspace, out var h) ? h.Session : null;
        }

        public static void SetDefault(OpenStackSession? session)
        {
            var runspace = Runspace.DefaultRunspace;
            if (runspace == null) return;
            Defaults.GetOrCreateValue(runspace).Session = session;
        }
    }
}
