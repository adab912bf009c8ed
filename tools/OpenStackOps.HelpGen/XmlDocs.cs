using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace OpenStackOps.HelpGen
{
    /// <summary>
    /// The compiler's XML documentation, read the way the cmdlets write it: in a class summary,
    /// &lt;para type="synopsis"&gt;, &lt;para type="description"&gt; and &lt;example&gt;&lt;code/&gt;&lt;para/&gt;&lt;/example&gt;;
    /// in a parameter's summary, &lt;para type="description"&gt;.
    /// </summary>
    internal sealed class XmlDocs
    {
        private readonly Dictionary<string, XElement> _members;

        public XmlDocs(string path)
        {
            _members = XDocument.Load(path).Descendants("member")
                .Where(m => m.Attribute("name") != null)
                .GroupBy(m => m.Attribute("name").Value)
                .ToDictionary(g => g.Key, g => g.First());
        }

        public XElement Summary(string memberId) =>
            _members.TryGetValue(memberId, out var m) ? m.Element("summary") : null;

        public static IEnumerable<string> Paras(XElement summary, string type) =>
            summary == null
                ? Enumerable.Empty<string>()
                : summary.Elements("para").Where(p => (string)p.Attribute("type") == type).Select(Text);

        public static IEnumerable<(string Code, string Remarks)> Examples(XElement summary) =>
            summary == null
                ? Enumerable.Empty<(string, string)>()
                : summary.Elements("example").Select(e => (Text(e.Element("code")), string.Join("\n", e.Elements("para").Select(Text))));

        /// <summary>Element text with XML-doc markup (see cref, c, code) reduced to plain words, whitespace folded.</summary>
        public static string Text(XElement e)
        {
            if (e == null) return "";
            string text = string.Concat(e.Nodes().Select(n => n is XElement x
                ? (x.Attribute("cref") != null ? x.Attribute("cref").Value.Substring(2).Split('.').Last() : Text(x))
                : n.ToString()));
            text = System.Net.WebUtility.HtmlDecode(text);
            return Regex.Replace(text, @"\s+", " ").Trim();
        }
    }
}
