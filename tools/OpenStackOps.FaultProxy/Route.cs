using System;
using System.Net;

namespace OpenStackOps.FaultProxy
{
    /// <summary>
    /// One listener of the proxy: "nova:18774:http://127.0.0.1:8774". Both ends must be loopback (127.0.0.0/8):
    /// the proxy is a test tool and must never reach, or be reachable from, anything else.
    /// </summary>
    internal sealed class Route
    {
        public string Name { get; private set; }
        public int ListenPort { get; private set; }
        public Uri Target { get; private set; }
        /// <summary>Keystone's route: forwarded without faults, its token responses' catalog pointed at the proxy.</summary>
        public bool RewritesCatalog { get; set; }
        /// <summary>The address clients use for this route: the catalog's URLs of the target are rewritten to it.</summary>
        public string ProxyAuthority => "http://127.0.0.1:" + ListenPort;
        public string TargetAuthority => Target.GetLeftPart(UriPartial.Authority);

        public static Route Parse(string spec)
        {
            var parts = spec.Split(':', 3);
            if (parts.Length != 3 || !int.TryParse(parts[1], out int port) || port <= 0 || port > 65535
                || !Uri.TryCreate(parts[2], UriKind.Absolute, out var target) || target.Scheme != "http")
                throw new ArgumentException($"route '{spec}': expected name:listenPort:http://127.x.y.z:port");
            if (!IPAddress.TryParse(target.Host, out var ip) || !IsLoopback(ip))
                throw new ArgumentException($"route '{spec}': the target must be a loopback address (127.0.0.0/8), not '{target.Host}'");
            return new Route { Name = parts[0], ListenPort = port, Target = new Uri(target.GetLeftPart(UriPartial.Authority)) };
        }

        internal static bool IsLoopback(IPAddress ip)
            => ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork && ip.GetAddressBytes()[0] == 127;
    }
}
