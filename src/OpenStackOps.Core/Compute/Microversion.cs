using System.Globalization;

namespace OpenStackOps.Compute
{
    /// <summary>A Nova/Cinder API microversion such as 2.53. Compares numerically (2.9 &lt; 2.10).</summary>
    public readonly struct Microversion : IComparable<Microversion>, IEquatable<Microversion>
    {
        public Microversion(int major, int minor)
        {
            Major = major;
            Minor = minor;
        }

        public int Major { get; }
        public int Minor { get; }

        public static Microversion Parse(string? text)
        {
            if (TryParse(text, out var v)) return v;
            throw new FormatException($"'{text}' is not a microversion like 2.53.");
        }

        public static bool TryParse(string? text, out Microversion version)
        {
            version = default;
            if (string.IsNullOrWhiteSpace(text)) return false;
            var parts = text!.Trim().Split('.');
            if (parts.Length != 2) return false;
            if (!int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int major)) return false;
            if (!int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int minor)) return false;
            version = new Microversion(major, minor);
            return true;
        }

        public static Microversion Min(Microversion a, Microversion b) => a <= b ? a : b;

        public int CompareTo(Microversion other) => Major != other.Major ? Major.CompareTo(other.Major) : Minor.CompareTo(other.Minor);
        public bool Equals(Microversion other) => Major == other.Major && Minor == other.Minor;
        public override bool Equals(object? obj) => obj is Microversion m && Equals(m);
        public override int GetHashCode() => Major * 1000 + Minor;
        public override string ToString() => Major.ToString(CultureInfo.InvariantCulture) + "." + Minor.ToString(CultureInfo.InvariantCulture);

        public static bool operator <(Microversion a, Microversion b) => a.CompareTo(b) < 0;
        public static bool operator >(Microversion a, Microversion b) => a.CompareTo(b) > 0;
        public static bool operator <=(Microversion a, Microversion b) => a.CompareTo(b) <= 0;
        public static bool operator >=(Microversion a, Microversion b) => a.CompareTo(b) >= 0;
        public static bool operator ==(Microversion a, Microversion b) => a.Equals(b);
        public static bool operator !=(Microversion a, Microversion b) => !a.Equals(b);
    }
}
