using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Reflection;
using System.Xml.Linq;

namespace OpenStackOps.HelpGen
{
    /// <summary>Writes the MAML that Get-Help reads for binary cmdlets (one command:command per cmdlet).</summary>
    internal sealed class MamlWriter
    {
        private static readonly XNamespace Msh = "http://msh";
        private static readonly XNamespace Maml = "http://schemas.microsoft.com/maml/2004/10";
        private static readonly XNamespace Command = "http://schemas.microsoft.com/maml/dev/command/2004/10";
        private static readonly XNamespace Dev = "http://schemas.microsoft.com/maml/dev/2004/10";
        private const string AllSets = "__AllParameterSets";

        private readonly XmlDocs _docs;
        private readonly RelatedLinks _links;
        private readonly XElement _root;

        public MamlWriter(XmlDocs docs, RelatedLinks links)
        {
            _docs = docs;
            _links = links;
            _root = new XElement(Msh + "helpItems", new XAttribute("schema", "maml"),
                new XAttribute(XNamespace.Xmlns + "maml", Maml),
                new XAttribute(XNamespace.Xmlns + "command", Command),
                new XAttribute(XNamespace.Xmlns + "dev", Dev));
        }

        public List<string> Warnings { get; } = new List<string>();

        public void Save(string path) => new XDocument(new XDeclaration("1.0", "utf-8", null), _root).Save(path);

        public void Add(Type type)
        {
            var cmdlet = type.GetCustomAttribute<CmdletAttribute>();
            string name = cmdlet.VerbName + "-" + cmdlet.NounName;
            var summary = _docs.Summary("T:" + type.FullName);
            string synopsis = XmlDocs.Paras(summary, "synopsis").FirstOrDefault();
            var description = XmlDocs.Paras(summary, "description").ToList();
            var examples = XmlDocs.Examples(summary).ToList();
            if (string.IsNullOrEmpty(synopsis)) Warnings.Add($"{name} has no <para type=\"synopsis\">");
            if (description.Count == 0) Warnings.Add($"{name} has no <para type=\"description\">");
            if (examples.Count == 0) Warnings.Add($"{name} has no <example>");

            object defaults = NewInstance(type, name);
            var parameters = type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
                .Select(p => (Property: p, Attributes: p.GetCustomAttributes<ParameterAttribute>().ToList()))
                .Where(p => p.Attributes.Count > 0)
                .OrderBy(p => p.Attributes.Min(a => a.Position < 0 ? int.MaxValue : a.Position))
                .ThenBy(p => p.Attributes.Any(a => a.Mandatory) ? 0 : 1)
                .ThenBy(p => p.Property.Name)
                .ToList();

            var sets = parameters.SelectMany(p => p.Attributes.Select(a => a.ParameterSetName)).Where(s => s != AllSets).Distinct().ToList();
            if (sets.Count == 0) sets.Add(AllSets);
            if (!string.IsNullOrEmpty(cmdlet.DefaultParameterSetName) && sets.Remove(cmdlet.DefaultParameterSetName))
                sets.Insert(0, cmdlet.DefaultParameterSetName);

            var syntax = new XElement(Command + "syntax",
                sets.Select(set => new XElement(Command + "syntaxItem",
                    new XElement(Maml + "name", name),
                    parameters
                        .Select(p => (p.Property, Attribute: p.Attributes.FirstOrDefault(a => a.ParameterSetName == set) ?? p.Attributes.FirstOrDefault(a => a.ParameterSetName == AllSets)))
                        .Where(p => p.Attribute != null)
                        .Select(p => Parameter(name, p.Property, new[] { p.Attribute }, defaults)))));

            // Get-Help lists -WhatIf/-Confirm only when the MAML does.
            if (cmdlet.SupportsShouldProcess)
                foreach (var item in syntax.Elements(Command + "syntaxItem"))
                    item.Add(ShouldProcessParameter("WhatIf", "Shows what would happen without changing anything."),
                             ShouldProcessParameter("Confirm", "Asks for confirmation before each change."));

            var outputs = type.GetCustomAttributes<OutputTypeAttribute>().SelectMany(o => o.Type).Where(t => t.Type != null && t.Type != typeof(void)).ToList();
            var inputs = parameters.Where(p => p.Attributes.Any(a => a.ValueFromPipeline || a.ValueFromPipelineByPropertyName)).ToList();

            _root.Add(new XElement(Command + "command",
                new XElement(Command + "details",
                    new XElement(Command + "name", name),
                    new XElement(Command + "verb", cmdlet.VerbName),
                    new XElement(Command + "noun", cmdlet.NounName),
                    new XElement(Maml + "description", Para(synopsis))),
                new XElement(Maml + "description", description.Select(Para)),
                syntax,
                new XElement(Command + "parameters", parameters.Select(p => Parameter(name, p.Property, p.Attributes, defaults)),
                    cmdlet.SupportsShouldProcess ? new[]
                    {
                        ShouldProcessParameter("WhatIf", "Shows what would happen without changing anything."),
                        ShouldProcessParameter("Confirm", "Asks for confirmation before each change."),
                    } : null),
                new XElement(Command + "inputTypes", inputs.Select(p => new XElement(Command + "inputType",
                    new XElement(Dev + "type", new XElement(Maml + "name", QualifiedName(p.Property.PropertyType))),
                    new XElement(Maml + "description", Para($"-{p.Property.Name} binds from the pipeline" +
                        (p.Attributes.Any(a => a.ValueFromPipelineByPropertyName) ? " (also by property name)." : ".")))))),
                new XElement(Command + "returnValues", outputs.Select(o => new XElement(Command + "returnValue",
                    new XElement(Dev + "type", new XElement(Maml + "name", QualifiedName(o.Type))),
                    new XElement(Maml + "description", Para(""))))),
                new XElement(Command + "examples", examples.Select((e, i) => new XElement(Command + "example",
                    new XElement(Maml + "title", $"-------------------------- Example {i + 1} --------------------------"),
                    new XElement(Dev + "code", e.Code),
                    new XElement(Dev + "remarks", Para(e.Remarks))))),
                new XElement(Maml + "relatedLinks", _links.For(name, cmdlet.NounName, HelpText(type, synopsis, description, examples))
                    .Select(link => new XElement(Maml + "navigationLink", new XElement(Maml + "linkText", link), new XElement(Maml + "uri"))))));
        }

        /// <summary>Everything the cmdlet's help says in words: synopsis, description, examples, parameter descriptions.</summary>
        private string HelpText(Type type, string synopsis, IEnumerable<string> description, IEnumerable<(string Code, string Remarks)> examples) =>
            string.Join("\n", new[] { synopsis }.Concat(description)
                .Concat(examples.SelectMany(e => new[] { e.Code, e.Remarks }))
                .Concat(type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
                    .Where(p => p.GetCustomAttributes<ParameterAttribute>().Any())
                    .SelectMany(p => XmlDocs.Paras(_docs.Summary($"P:{p.DeclaringType.FullName}.{p.Name}"), "description"))));

        /// <summary>A fresh cmdlet object, whose parameter properties hold their initializers' values; null if it cannot be made.</summary>
        private object NewInstance(Type type, string name)
        {
            try { return Activator.CreateInstance(type); }
            catch (Exception e)
            {
                Warnings.Add($"{name}: no default values (cannot create it: {e.GetBaseException().Message})");
                return null;
            }
        }

        /// <summary>
        /// The default value Get-Help shows: the property's value on a fresh cmdlet object. A switch shows False
        /// (or True); null, false, empty text or an empty array show None.
        /// </summary>
        internal static string DefaultValue(PropertyInfo property, object instance)
        {
            object value = null;
            if (instance != null && property.GetMethod != null)
            {
                try { value = property.GetValue(instance); }
                catch (TargetInvocationException) { value = null; }
            }
            switch (value)
            {
                case SwitchParameter s: return s.IsPresent ? "True" : "False";
                case null: return property.PropertyType == typeof(SwitchParameter) ? "False" : "None";
                case bool b: return b ? "True" : "None";
                case string text: return text.Length == 0 ? "None" : text;
                case Array array: return array.Length == 0 ? "None" : string.Join(", ", array.Cast<object>());
                case IFormattable f: return f.ToString(null, System.Globalization.CultureInfo.InvariantCulture);
                default: return value.ToString();
            }
        }

        private XElement Parameter(string cmdlet, PropertyInfo property, IEnumerable<ParameterAttribute> attributes, object defaults)
        {
            var list = attributes.ToList();
            string description = XmlDocs.Paras(_docs.Summary($"P:{property.DeclaringType.FullName}.{property.Name}"), "description").FirstOrDefault();
            if (string.IsNullOrEmpty(description)) Warnings.Add($"{cmdlet} -{property.Name} has no <para type=\"description\">");
            bool byValue = list.Any(a => a.ValueFromPipeline);
            bool byName = list.Any(a => a.ValueFromPipelineByPropertyName);
            string pipeline = byValue || byName
                ? "True (" + string.Join(", ", new[] { byValue ? "ByValue" : null, byName ? "ByPropertyName" : null }.Where(s => s != null)) + ")"
                : "False";
            int position = list.Select(a => a.Position).Where(p => p >= 0).DefaultIfEmpty(-1).Min();
            var aliases = property.GetCustomAttribute<AliasAttribute>()?.AliasNames ?? new List<string>();
            bool isSwitch = property.PropertyType == typeof(SwitchParameter);
            string typeName = FriendlyName(property.PropertyType);
            return new XElement(Command + "parameter",
                new XAttribute("required", list.Any(a => a.Mandatory).ToString().ToLowerInvariant()),
                new XAttribute("variableLength", property.PropertyType.IsArray.ToString().ToLowerInvariant()),
                new XAttribute("globbing", (property.GetCustomAttribute<SupportsWildcardsAttribute>() != null).ToString().ToLowerInvariant()),
                new XAttribute("pipelineInput", pipeline),
                new XAttribute("position", position < 0 ? "named" : position.ToString()),
                new XAttribute("aliases", aliases.Count == 0 ? "none" : string.Join(", ", aliases)),
                new XElement(Maml + "name", property.Name),
                new XElement(Maml + "description", Para(description)),
                isSwitch ? null : new XElement(Command + "parameterValue", new XAttribute("required", "true"), new XAttribute("variableLength", "false"), typeName),
                new XElement(Dev + "type", new XElement(Maml + "name", typeName), new XElement(Maml + "uri")),
                new XElement(Dev + "defaultValue", DefaultValue(property, defaults)));
        }

        private static XElement ShouldProcessParameter(string name, string description) =>
            new XElement(Command + "parameter",
                new XAttribute("required", "false"), new XAttribute("variableLength", "false"), new XAttribute("globbing", "false"),
                new XAttribute("pipelineInput", "False"), new XAttribute("position", "named"),
                new XAttribute("aliases", name == "WhatIf" ? "wi" : "cf"),
                new XElement(Maml + "name", name),
                new XElement(Maml + "description", Para(description)),
                new XElement(Dev + "type", new XElement(Maml + "name", "SwitchParameter"), new XElement(Maml + "uri")),
                new XElement(Dev + "defaultValue", "False"));

        /// <summary>The friendly name with its namespace, for INPUTS and OUTPUTS: System.String[], OpenStackOps.Compute.Nodes.ComputeNode.</summary>
        internal static string QualifiedName(Type t)
        {
            var element = t;
            while (element.IsArray) element = element.GetElementType();
            element = Nullable.GetUnderlyingType(element) ?? element;
            return (element.Namespace == null ? "" : element.Namespace + ".") + FriendlyName(t);
        }

        /// <summary>
        /// A type as an operator reads it: Int32 for int and int? (Nullable`1 never shows), String[] for arrays,
        /// the enum's or class's own name, List[String] style for other generics.
        /// </summary>
        internal static string FriendlyName(Type t)
        {
            if (t.IsArray) return FriendlyName(t.GetElementType()) + "[]";
            var underlying = Nullable.GetUnderlyingType(t);
            if (underlying != null) return FriendlyName(underlying);
            if (!t.IsGenericType) return t.Name;
            string name = t.Name.Substring(0, t.Name.IndexOf('`'));
            return name + "[" + string.Join(", ", t.GetGenericArguments().Select(FriendlyName)) + "]";
        }

        private static XElement Para(string text) => new XElement(Maml + "para", text ?? "");
    }
}
