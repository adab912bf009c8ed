using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;

namespace OpenStackOps.HelpGen
{
    /// <summary>
    /// The one rule for RELATED LINKS. A cmdlet links to: the cmdlets of its noun family (the same noun, or a noun
    /// that starts with the other: ComputeNode, ComputeNodeConnection, ComputeNodeHealth), the cmdlets its own help
    /// text names, about_OpenStackOps, and every other about_ topic whose text names the cmdlet. Never to itself.
    /// </summary>
    internal sealed class RelatedLinks
    {
        public const string ModuleTopic = "about_OpenStackOps";

        private readonly IReadOnlyList<(string Name, string Noun)> _cmdlets;
        private readonly IReadOnlyDictionary<string, string> _topics; // topic name -> its text

        public RelatedLinks(IEnumerable<(string Name, string Noun)> cmdlets, IReadOnlyDictionary<string, string> topics)
        {
            _cmdlets = cmdlets.OrderBy(c => c.Name, StringComparer.OrdinalIgnoreCase).ToList();
            _topics = topics;
        }

        public IEnumerable<string> For(string name, string noun, string helpText)
        {
            var links = new List<string>();
            foreach (var c in _cmdlets)
                if (c.Name != name && (SameFamily(noun, c.Noun) || Names(helpText, c.Name)))
                    links.Add(c.Name);
            links.Add(ModuleTopic);
            foreach (var topic in _topics.OrderBy(t => t.Key, StringComparer.OrdinalIgnoreCase))
                if (topic.Key != ModuleTopic && Names(topic.Value, name))
                    links.Add(topic.Key);
            return links;
        }

        private static bool SameFamily(string a, string b) =>
            a.StartsWith(b, StringComparison.OrdinalIgnoreCase) || b.StartsWith(a, StringComparison.OrdinalIgnoreCase);

        private static bool Names(string text, string cmdlet) =>
            text != null && Regex.IsMatch(text, @"(?<![\w-])" + Regex.Escape(cmdlet) + @"(?![\w-])", RegexOptions.IgnoreCase);
    }
}
