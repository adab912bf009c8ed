using System.Diagnostics.CodeAnalysis;

namespace OpenStackOps.Configuration
{
    /// <summary>
    /// A password, application-credential secret or token. Prints as asterisks so that it cannot reach
    /// verbose output, errors or logs by accident; only <see cref="Reveal"/> gives the value, for the wire.
    /// </summary>
    public sealed class Secret
    {
        private readonly string _value;

        public Secret(string value) => _value = value ?? throw new ArgumentNullException(nameof(value));

        public string Reveal() => _value;
        public bool IsEmpty => _value.Length == 0;
        public override string ToString() => "********";

        [return: NotNullIfNotNull("value")]
        public static Secret? FromNullable(string? value) => value == null ? null : new Secret(value);
    }
}
