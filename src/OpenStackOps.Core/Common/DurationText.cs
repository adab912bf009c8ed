using System.Globalization;

namespace OpenStackOps.Common
{
    /// <summary>
    /// A result's Duration as text, `[d.]hh:mm:ss` to the second: what a table, ConvertTo-Json and Export-Csv show
    /// alike (a TimeSpan property writes fifteen fields to JSON), and what `[TimeSpan]$r.Duration` reads back.
    /// DurationSeconds beside it keeps the exact number for sums and sorting.
    /// </summary>
    internal static class DurationText
    {
        public static string Format(TimeSpan elapsed)
            => TimeSpan.FromSeconds(Math.Round(elapsed.TotalSeconds, MidpointRounding.AwayFromZero)).ToString("c", CultureInfo.InvariantCulture);

        /// <summary>Reads what <see cref="Format"/> writes (or any TimeSpan text); empty is zero.</summary>
        public static TimeSpan Parse(string text)
        {
            if (string.IsNullOrWhiteSpace(text)) return TimeSpan.Zero;
            if (TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var t)) return t;
            throw new ArgumentException($"'{text}' is not a duration: write it as [d.]hh:mm:ss, e.g. 00:01:23.", "value");
        }
    }
}
