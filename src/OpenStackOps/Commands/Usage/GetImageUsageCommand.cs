using System.Management.Automation;
using OpenStackOps.Identity;
using OpenStackOps.Infrastructure;
using OpenStackOps.Usage;

namespace OpenStackOps.Commands.Usage
{
    /// <summary>
    /// <para type="synopsis">Gets glance's images with their size, owner and visibility, and how many servers use each: the weekly report's image usage.</para>
    /// <para type="description">Lists every image glance shows (visibility all: public, private, shared and community; an admin sees every project's) and every server of every project, and counts the servers booted from each image. An image that servers still name but glance no longer lists comes with Status missing. Servers booted from a volume are not counted (their image is the volume's). Calls: the pages of the two listings, never one per image or per server. Needs an admin session. Nothing is changed.</para>
    /// <example>
    ///   <code>Get-ImageUsage | Sort-Object SizeBytes -Descending | Select-Object -First 10</code>
    ///   <para>The ten largest images, with how many servers use each.</para>
    /// </example>
    /// <example>
    ///   <code>Get-ImageUsage | Where-Object { $_.ServerCount -eq 0 -and $_.Visibility -eq 'private' }</code>
    ///   <para>Private images no server uses: candidates to clean up.</para>
    /// </example>
    /// <example>
    ///   <code>Get-ImageUsage | ConvertTo-Json | Set-Content ./images.json</code>
    ///   <para>The weekly usage report's image part.</para>
    /// </example>
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "ImageUsage")]
    [OutputType(typeof(ImageUsage))]
    public sealed class GetImageUsageCommand : OpenStackCmdlet
    {
        /// <summary><para type="description">Only images with these names or ids (wildcards allowed).</para></summary>
        [Parameter(Position = 0)]
        [ValidateNotNullOrEmpty]
        public string[]? Name { get; set; }

        protected override void EndProcessing()
        {
            var session = CurrentSession;
            WarnIfNotAdmin("glance and nova show other projects' images and servers only to admins.");
            try
            {
                var image = session.NewServiceClientOrNull("image") ?? throw new EndpointNotFoundException("image", session.Interface, session.Region, "The catalog has no image (glance) endpoint.");
                var query = new ImageUsageQuery(image, session.Compute);
                var patterns = Name?.Select(n => new WildcardPattern(n, WildcardOptions.IgnoreCase)).ToList();
                foreach (var usage in Run(ct => query.ListAsync(ct)))
                {
                    if (patterns != null && !patterns.Any(w => w.IsMatch(usage.Name ?? "") || w.IsMatch(usage.Id ?? ""))) continue;
                    usage.Cloud = session.Cloud;
                    usage.Region = session.Region;
                    WriteObject(usage);
                }
            }
            catch (Exception e) when (!(e is PipelineStoppedException))
            {
                WriteFailure(e, "GlanceListImageUsage", session.Cloud);
            }
        }
    }
}
