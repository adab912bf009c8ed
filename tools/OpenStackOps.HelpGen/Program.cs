using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Reflection;

namespace OpenStackOps.HelpGen
{
    /// <summary>OpenStackOps.HelpGen CMDLET_ASSEMBLY XML_DOCS OUTPUT_MAML [ABOUT_TOPICS_DIR]</summary>
    internal static class Program
    {
        private static int Main(string[] args)
        {
            if (args.Length != 3 && args.Length != 4)
            {
                Console.Error.WriteLine("usage: OpenStackOps.HelpGen <OpenStackOps.dll> <OpenStackOps.xml> <out/en-US/OpenStackOps.dll-Help.xml> [<folder of about_*.help.txt>]");
                return 2;
            }
            string assemblyPath = Path.GetFullPath(args[0]);
            string directory = Path.GetDirectoryName(assemblyPath);
            // The engine and its packages sit next to the cmdlet assembly in the build output.
            AppDomain.CurrentDomain.AssemblyResolve += (_, e) =>
            {
                string candidate = Path.Combine(directory, new AssemblyName(e.Name).Name + ".dll");
                return File.Exists(candidate) ? Assembly.LoadFrom(candidate) : null;
            };
            var assembly = Assembly.LoadFrom(assemblyPath);
            var docs = new XmlDocs(args[1]);
            var cmdlets = assembly.GetExportedTypes()
                .Where(t => !t.IsAbstract && t.GetCustomAttribute<CmdletAttribute>() != null)
                .OrderBy(t => t.Name)
                .ToList();
            // about_X.help.txt -> its text: RELATED LINKS point to the topics that name a cmdlet.
            var topics = args.Length < 4 ? new Dictionary<string, string>() : Directory.GetFiles(args[3], "about_*.help.txt")
                .ToDictionary(f => Path.GetFileName(f).Replace(".help.txt", ""), File.ReadAllText);
            if (!topics.ContainsKey(RelatedLinks.ModuleTopic))
                Console.WriteLine($"HelpGen : warning OSOPSHELP: no {RelatedLinks.ModuleTopic}.help.txt, which every cmdlet links to");
            var links = new RelatedLinks(cmdlets.Select(t => t.GetCustomAttribute<CmdletAttribute>())
                .Select(c => (c.VerbName + "-" + c.NounName, c.NounName)), topics);
            var writer = new MamlWriter(docs, links);
            foreach (var type in cmdlets) writer.Add(type);
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(args[2])));
            writer.Save(args[2]);
            foreach (string warning in writer.Warnings)
                Console.WriteLine("HelpGen : warning OSOPSHELP: " + warning); // MSBuild turns this into a build warning
            Console.WriteLine($"HelpGen: {cmdlets.Count} cmdlets -> {args[2]}");
            return 0;
        }
    }
}
