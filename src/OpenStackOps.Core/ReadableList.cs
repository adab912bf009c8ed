using System.Collections.ObjectModel;

namespace OpenStackOps
{
    /// <summary>
    /// The list type of every multi-valued property an operator sees (addresses, host names, problems...). It is a
    /// read-only list to PowerShell (indexing, -contains, -join, ConvertTo-Json arrays, Export-Clixml lists) and it
    /// prints as its items joined by ", ", so Export-Csv writes "10.0.0.5, 2001:db8::5" rather than System.String[].
    /// </summary>
    public sealed class ReadableList<T> : ReadOnlyCollection<T>
    {
        public ReadableList() : base(new List<T>()) { }
        public ReadableList(IEnumerable<T>? items) : base((items ?? Enumerable.Empty<T>()).ToList()) { }

        public static readonly ReadableList<T> Empty = new ReadableList<T>();

        public static implicit operator ReadableList<T>(T[] items) => new ReadableList<T>(items);
        public static implicit operator ReadableList<T>(List<T> items) => new ReadableList<T>(items);

        public override string ToString() => string.Join(", ", this.Select(i => i?.ToString()));
    }
}
