using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace OpenStackOps.Http
{
    /// <summary>Tolerant readers for API JSON: a missing key or a null gives the default, never an exception.</summary>
    public static class Json
    {
        public static string? Str(this JsonNode? node, string key)
        {
            var v = node?[key];
            if (v == null) return null;
            switch (v.GetValueKind())
            {
                case JsonValueKind.String: return (string?)v;
                case JsonValueKind.Number:
                case JsonValueKind.True:
                case JsonValueKind.False: return v.ToJsonString();
                default: return null;
            }
        }

        public static int? Int(this JsonNode? node, string key)
        {
            var v = node?[key];
            if (v == null) return null;
            if (v.GetValueKind() == JsonValueKind.Number) return (int)v.GetValue<double>();
            if (v.GetValueKind() == JsonValueKind.String && int.TryParse((string?)v, NumberStyles.Integer, CultureInfo.InvariantCulture, out int i)) return i;
            return null;
        }

        public static long? Long(this JsonNode? node, string key)
        {
            var v = node?[key];
            if (v == null) return null;
            if (v.GetValueKind() == JsonValueKind.Number) return (long)v.GetValue<double>();
            if (v.GetValueKind() == JsonValueKind.String && long.TryParse((string?)v, NumberStyles.Integer, CultureInfo.InvariantCulture, out long l)) return l;
            return null;
        }

        public static bool? Bool(this JsonNode? node, string key)
        {
            var v = node?[key];
            if (v == null) return null;
            switch (v.GetValueKind())
            {
                case JsonValueKind.True: return true;
                case JsonValueKind.False: return false;
                case JsonValueKind.String: return bool.TryParse((string?)v, out bool b) ? b : (bool?)null;
                default: return null;
            }
        }

        /// <summary>Nova writes "2026-11-23T07:06:41.000000" (no zone, UTC) or with "Z"/offset; all are UTC.</summary>
        public static DateTimeOffset? Date(this JsonNode? node, string key)
        {
            string? s = node.Str(key);
            if (string.IsNullOrEmpty(s)) return null;
            if (DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture,
                    DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var d))
                return d;
            return null;
        }

        public static JsonArray? Arr(this JsonNode? node, string key) => node?[key] as JsonArray;

        public static string Escape(string? pathSegment) => Uri.EscapeDataString(pathSegment ?? "");
    }
}
