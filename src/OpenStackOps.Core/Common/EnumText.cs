namespace OpenStackOps.Common
{
    /// <summary>Sets a result's text status from its name (test data, a saved result): a wrong name lists the right ones.</summary>
    internal static class EnumText
    {
        public static T Parse<T>(string name, string property) where T : struct
        {
            if (name != null && Enum.GetNames(typeof(T)).FirstOrDefault(n => string.Equals(n, name.Trim(), StringComparison.OrdinalIgnoreCase)) is string found)
                return (T)Enum.Parse(typeof(T), found);
            throw new ArgumentException($"'{name}' is not a {property}: use one of {string.Join(", ", Enum.GetNames(typeof(T)))}.", property);
        }
    }
}
