using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace OpenStackOps.Network
{
    /// <summary>
    /// Strict address parsing and CIDR arithmetic. IPAddress.TryParse alone accepts "10.1" (as 10.0.0.1) or "1":
    /// an operator who typed that meant something else, so only dotted quads and real IPv6 text pass.
    /// </summary>
    public static class IpAddressText
    {
        public static bool TryParseStrict(string? text, [NotNullWhen(true)] out IPAddress? address)
        {
            address = null;
            if (string.IsNullOrWhiteSpace(text)) return false;
            text = text!.Trim();
            if (text.Contains("/") || text.Contains("%")) return false;
            if (text.Contains(":"))
                return IPAddress.TryParse(text, out address) && address.AddressFamily == AddressFamily.InterNetworkV6;
            var parts = text.Split('.');
            if (parts.Length != 4) return false;
            foreach (var p in parts)
            {
                if (p.Length == 0 || p.Length > 3) return false;
                foreach (char c in p) if (c < '0' || c > '9') return false;
                if (int.Parse(p, CultureInfo.InvariantCulture) > 255) return false;
            }
            return IPAddress.TryParse(text, out address) && address.AddressFamily == AddressFamily.InterNetwork;
        }

        /// <summary>The canonical text (neutron writes IPv6 compressed and lower case).</summary>
        public static string Canonical(IPAddress a) => a.ToString().ToLowerInvariant();

        public static bool SameAddress(string? a, string? b)
            => TryParseStrict(a, out var x) && TryParseStrict(b, out var y) && x.Equals(y);

        /// <summary>True when <paramref name="address"/> lies in <paramref name="cidr"/> ("198.51.100.0/28", "2001:db8::/64").</summary>
        public static bool InCidr(IPAddress address, string? cidr)
        {
            if (cidr == null) return false;
            int slash = cidr.IndexOf('/');
            if (slash < 0 || !IPAddress.TryParse(cidr.Substring(0, slash), out var network)) return false;
            if (!int.TryParse(cidr.Substring(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out int prefix)) return false;
            if (network.AddressFamily != address.AddressFamily) return false;
            byte[] a = address.GetAddressBytes(), n = network.GetAddressBytes();
            if (prefix > a.Length * 8) return false;
            for (int i = 0; i < a.Length; i++)
            {
                int bits = Math.Max(0, Math.Min(8, prefix - i * 8));
                int mask = bits == 0 ? 0 : (0xFF << (8 - bits)) & 0xFF;
                if ((a[i] & mask) != (n[i] & mask)) return false;
            }
            return true;
        }

        /// <summary>Compares two addresses of the same family as unsigned big-endian numbers.</summary>
        public static int Compare(IPAddress x, IPAddress y)
        {
            byte[] a = x.GetAddressBytes(), b = y.GetAddressBytes();
            if (a.Length != b.Length) return a.Length.CompareTo(b.Length);
            for (int i = 0; i < a.Length; i++)
                if (a[i] != b[i]) return a[i].CompareTo(b[i]);
            return 0;
        }

        /// <summary>How many addresses lie between start and end inclusive (capped at long.MaxValue for huge IPv6 pools).</summary>
        public static long RangeSize(IPAddress start, IPAddress end)
        {
            byte[] a = start.GetAddressBytes(), b = end.GetAddressBytes();
            if (a.Length != b.Length || Compare(start, end) > 0) return 0;
            // Only the low 8 bytes can matter below long.MaxValue; a difference above them is "huge".
            for (int i = 0; i < a.Length - 8; i++) if (a[i] != b[i]) return long.MaxValue;
            ulong ua = 0, ub = 0;
            for (int i = Math.Max(0, a.Length - 8); i < a.Length; i++) { ua = (ua << 8) | a[i]; ub = (ub << 8) | b[i]; }
            ulong diff = ub - ua;
            return diff >= long.MaxValue ? long.MaxValue : (long)diff + 1;
        }
    }
}
