using System.Globalization;
using System.Text.RegularExpressions;

namespace OpenStackOps.Swift
{
    /// <summary>
    /// Reads what swift-ring-builder 2.30 prints: the builder's description (<c>swift-ring-builder X.builder</c>) and
    /// the outcome of a rebalance. The device table is fixed-format (cli/ringbuilder.py's _make_display_device_table):
    /// id region zone ip:port replication-ip:port name weight partitions balance, then a 5-wide flags column and meta.
    /// </summary>
    public static class RingBuilderOutput
    {
        private static readonly Regex Header = new Regex(@"^(?<file>.+), build version (?<v>\d+)", RegexOptions.CultureInvariant);
        private static readonly Regex Summary = new Regex(
            @"^(?<parts>\d+) partitions, (?<replicas>[\d.]+) replicas, (?<regions>\d+) regions, (?<zones>\d+) zones, (?<devs>\d+) devices, (?<balance>-?[\d.]+) balance(, (?<disp>-?[\d.]+) dispersion)?",
            RegexOptions.CultureInvariant);
        private static readonly Regex MinPart = new Regex(@"reassigned is (?<hours>\d+) \((?<left>[^)]*) remaining\)", RegexOptions.CultureInvariant);
        private static readonly Regex RingFile = new Regex(@"^Ring file .* (?<state>is up-to-date|is obsolete|not found|is invalid)", RegexOptions.CultureInvariant);
        private static readonly Regex DeviceLine = new Regex(
            @"^\s*(?<id>\d+)\s+(?<region>\d+)\s+(?<zone>\d+)\s+(?<ip>\[[^\]]+\]|[^\s\[\]]+):(?<port>\d+)\s+(?<rip>\[[^\]]+\]|[^\s\[\]]+):(?<rport>\d+)\s+(?<name>\S+)\s+(?<weight>-?[\d.]+)\s+(?<parts>\d+)\s+(?<balance>-?[\d.]+)(?<rest>.*)$",
            RegexOptions.CultureInvariant);
        private static readonly Regex Reassigned = new Regex(@"Reassigned (?<n>\d+) \([\d.]+%\) partitions\. Balance is now (?<balance>-?[\d.]+)\.\s+Dispersion is now (?<disp>-?[\d.]+)", RegexOptions.CultureInvariant);
        private static readonly Regex HeldBack = new Regex(@"must be at least min_part_hours: (?<hours>\d+) hours \((?<left>[^)]*) remaining\)", RegexOptions.CultureInvariant);

        /// <summary>The ring description; throws FormatException when the text is not swift-ring-builder's.</summary>
        public static SwiftRing ParseDescription(string ring, string text)
        {
            var result = new SwiftRing { Ring = ring };
            bool header = false, summary = false, table = false;
            foreach (var raw in text.Replace("\r", "").Split('\n'))
            {
                string line = raw;
                Match m;
                if (!header && (m = Header.Match(line)).Success)
                {
                    header = true;
                    result.BuildVersion = int.Parse(m.Groups["v"].Value, CultureInfo.InvariantCulture);
                }
                else if (!summary && (m = Summary.Match(line)).Success)
                {
                    summary = true;
                    result.Partitions = Int(m, "parts");
                    result.Replicas = Num(m, "replicas");
                    result.Regions = Int(m, "regions");
                    result.Zones = Int(m, "zones");
                    result.DeviceCount = Int(m, "devs");
                    result.Balance = Num(m, "balance");
                    if (m.Groups["disp"].Success) result.Dispersion = Num(m, "disp");
                }
                else if ((m = MinPart.Match(line)).Success)
                {
                    result.MinPartHours = Int(m, "hours");
                    result.MinPartTimeLeft = ParseTimeDelta(m.Groups["left"].Value);
                }
                else if ((m = RingFile.Match(line)).Success)
                {
                    string s = m.Groups["state"].Value;
                    result.RingFileState = s == "is up-to-date" ? "up-to-date" : s == "is obsolete" ? "obsolete" : s == "not found" ? "missing" : "invalid";
                }
                else if (line.StartsWith("Devices:", StringComparison.Ordinal))
                {
                    table = true;
                }
                else if (table && (m = DeviceLine.Match(line)).Success)
                {
                    result.Devices.Add(ParseDevice(ring, m));
                }
                else if (table && line.Trim().Length > 0)
                {
                    table = false; // the notes after the table (partition power increase)
                }
            }
            if (!header || !summary)
                throw new FormatException($"Not a swift-ring-builder description of the {ring} ring: {FirstLine(text)}");
            return result;
        }

        private static SwiftRingDevice ParseDevice(string ring, Match m)
        {
            // After the balance: one space, the flags right-aligned in 5 columns, one space, then meta (which may hold spaces).
            string rest = m.Groups["rest"].Value;
            string flags = rest.Length >= 6 ? rest.Substring(1, 5).Trim() : rest.Trim();
            string meta = rest.Length > 7 ? rest.Substring(7) : "";
            return new SwiftRingDevice
            {
                Ring = ring,
                Id = Int(m, "id"),
                Region = Int(m, "region"),
                Zone = Int(m, "zone"),
                Ip = Unbracket(m.Groups["ip"].Value),
                Port = Int(m, "port"),
                ReplicationIp = Unbracket(m.Groups["rip"].Value),
                ReplicationPort = Int(m, "rport"),
                Device = m.Groups["name"].Value,
                Weight = Num(m, "weight"),
                Partitions = Int(m, "parts"),
                Balance = Num(m, "balance"),
                Flags = flags,
                Meta = meta,
            };
        }

        /// <summary>What one <c>swift-ring-builder X.builder rebalance</c> did, from its exit code and output.</summary>
        public static SwiftRebalanceResult ParseRebalance(string ring, int exitCode, string output, DateTimeOffset now)
        {
            var r = new SwiftRebalanceResult { Ring = ring, ExitCode = exitCode, Output = output.Trim() };
            var m = Reassigned.Match(output);
            if (m.Success)
            {
                // Written (exit 0, or 1 with a note about dispersion or balance: the ring file was saved all the same).
                r.Status = SwiftRebalanceResult.Rebalanced;
                r.PartitionsReassigned = Int(m, "n");
                r.Balance = Num(m, "balance");
                r.Dispersion = Num(m, "disp");
                r.Message = $"{r.PartitionsReassigned} partition(s) reassigned, balance {r.Balance:0.00}, dispersion {r.Dispersion:0.00}"
                    + (exitCode == 1 ? " (swift-ring-builder's note: " + Note(output) + ")" : "");
                return r;
            }
            var h = HeldBack.Match(output);
            if (exitCode == 1 && h.Success)
            {
                r.Status = SwiftRebalanceResult.HeldBack;
                r.MinPartHours = Int(h, "hours");
                r.TimeLeft = ParseTimeDelta(h.Groups["left"].Value);
                r.PossibleAt = now + r.TimeLeft;
                r.Message = $"held back by min_part_hours ({r.MinPartHours} h: no partition may move again until {r.TimeLeft} after the last rebalance), " +
                            $"so the ring file was not written; the rebalance can be done from {r.PossibleAt:yyyy-MM-dd HH:mm:ss} UTC";
                return r;
            }
            if (exitCode == 1)
            {
                r.Status = SwiftRebalanceResult.NotNeeded;
                r.Message = "swift-ring-builder wrote nothing: " + Note(output);
                return r;
            }
            r.Status = SwiftRebalanceResult.Failed;
            r.Message = "swift-ring-builder refused the rebalance (exit " + exitCode + "): " + Note(output);
            return r;
        }

        /// <summary>Python's str(timedelta): "0:59:40", "1 day, 2:03:04", "3 days, 0:00:00.500000".</summary>
        public static TimeSpan ParseTimeDelta(string text)
        {
            var m = Regex.Match(text.Trim(), @"^(?:(?<d>-?\d+) days?, )?(?<h>\d+):(?<m>\d\d):(?<s>\d\d(?:\.\d+)?)$", RegexOptions.CultureInvariant);
            if (!m.Success) throw new FormatException($"'{text}' is not a time as swift-ring-builder prints it.");
            int days = m.Groups["d"].Success ? int.Parse(m.Groups["d"].Value, CultureInfo.InvariantCulture) : 0;
            return TimeSpan.FromDays(days) + TimeSpan.FromHours(int.Parse(m.Groups["h"].Value, CultureInfo.InvariantCulture))
                   + TimeSpan.FromMinutes(int.Parse(m.Groups["m"].Value, CultureInfo.InvariantCulture))
                   + TimeSpan.FromSeconds(double.Parse(m.Groups["s"].Value, CultureInfo.InvariantCulture));
        }

        /// <summary>The meaningful lines of swift-ring-builder's output, without its dashed rules, on one line.</summary>
        internal static string Note(string output)
        {
            var lines = new List<string>();
            foreach (var l in output.Replace("\r", "").Split('\n'))
            {
                string t = l.Trim();
                if (t.Length == 0 || t.Trim('-').Length == 0 || t.StartsWith("Traceback", StringComparison.Ordinal)) continue;
                lines.Add(t);
            }
            string s = string.Join(" ", lines);
            return s.Length == 0 ? "(no output)" : s.Length > 600 ? s.Substring(0, 600) + "…" : s;
        }

        private static string FirstLine(string text)
        {
            string t = text.Trim();
            int nl = t.IndexOf('\n');
            t = nl < 0 ? t : t.Substring(0, nl);
            return t.Length == 0 ? "(no output)" : t;
        }

        private static string Unbracket(string ip) => ip.StartsWith("[", StringComparison.Ordinal) && ip.EndsWith("]", StringComparison.Ordinal) ? ip.Substring(1, ip.Length - 2) : ip;
        private static int Int(Match m, string g) => int.Parse(m.Groups[g].Value, CultureInfo.InvariantCulture);
        private static double Num(Match m, string g) => double.Parse(m.Groups[g].Value, CultureInfo.InvariantCulture);
    }
}
