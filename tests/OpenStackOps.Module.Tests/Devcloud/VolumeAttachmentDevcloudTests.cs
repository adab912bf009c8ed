using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Security;
using OpenStackOps.Module.Tests.Infrastructure;
using Xunit;
using static OpenStackOps.Module.Tests.Infrastructure.PsObjects;

namespace OpenStackOps.Module.Tests.Devcloud
{
    /// <summary>Get-NodeVolumeAttachment through the APIs and through the guide's SQL join, on the devcloud's seeded volume.</summary>
    [Trait("Tier", "Devcloud")]
    public class VolumeAttachmentDevcloudTests
    {
        private static Dictionary<string, object> Db()
        {
            var secure = new SecureString();
            foreach (char c in "osrig-db") secure.AppendChar(c);
            return new Dictionary<string, object> { ["dbcred"] = new PSCredential("openstack", secure) };
        }

        [Fact]
        public void TheApisAndTheDatabaseJoinSeeTheSameAttachments()
        {
            Infrastructure.Devcloud.RequireUp();
            using var host = new PowerShellHost();
            host.Run(Infrastructure.Devcloud.ConnectScript).ThrowOnErrors();
            string[] expected = Infrastructure.Devcloud.Sql(
                "select concat(a.instance_uuid, ' ', a.volume_id) from cinder.volume_attachment a join nova.instances i on i.uuid = a.instance_uuid " +
                "where i.host = 'c02.example.com' and i.deleted = 0 and a.deleted = 0 and a.attach_status = 'attached' order by 1");
            Assert.NotEmpty(expected); // the seed attaches c02-app-data to c02-app

            var api = host.Run("Get-NodeVolumeAttachment c02");
            api.ThrowOnErrors();
            var db = host.Run("Get-NodeVolumeAttachment c02.example.com -DatabaseServer 127.0.0.1 -DatabaseCredential $dbcred", Db());
            db.ThrowOnErrors();

            Assert.Equal(expected, api.Output.Select(o => P(o, "ServerId") + " " + P(o, "VolumeId")).OrderBy(x => x));
            Assert.Equal(expected, db.Output.Select(o => P(o, "ServerId") + " " + P(o, "VolumeId")).OrderBy(x => x));
            Assert.All(db.Output, o => Assert.Equal("database", P(o, "Source")));
            Assert.All(api.Output, o => Assert.Equal("api", P(o, "Source")));
            Assert.DoesNotContain("osrig-db", db.AllText);
        }

        [Fact]
        public void AHostileHostNameIsOnlyEverAValue()
        {
            Infrastructure.Devcloud.RequireUp();
            using var host = new PowerShellHost();
            var r = host.Run("Get-NodeVolumeAttachment \"c02.example.com' OR '1'='1\" -DatabaseServer 127.0.0.1 -DatabaseCredential $dbcred", Db());
            r.ThrowOnErrors();
            Assert.Empty(r.Output);
            r = host.Run("Get-NodeVolumeAttachment c02 -DatabaseServer 127.0.0.1 -DatabaseCredential $dbcred -CinderDatabase 'cinder`; drop table x'", Db());
            Assert.Equal("DatabaseTargetInvalid,OpenStackOps.Commands.Volumes.GetNodeVolumeAttachmentCommand", Assert.Single(r.AllErrors).FullyQualifiedErrorId);
        }
    }
}
