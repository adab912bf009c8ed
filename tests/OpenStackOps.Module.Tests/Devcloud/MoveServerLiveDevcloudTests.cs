using System.Linq;
using System.Management.Automation;
using OpenStackOps.Module.Tests.Infrastructure;
using Xunit;
using static OpenStackOps.Module.Tests.Infrastructure.PsObjects;

namespace OpenStackOps.Module.Tests.Devcloud
{
    /// <summary>Move-ServerLive against the real nova of the devcloud (fake.FakeDriver: a migration takes nova's own steps).</summary>
    [Trait("Tier", "Devcloud")]
    public class MoveServerLiveDevcloudTests
    {
        private static string HostInDb(string id) => Infrastructure.Devcloud.Sql($"select host from nova.instances where uuid='{id}'").Single();

        [Fact]
        public void DrainsAHostToAnotherAndBringsEveryServerBack()
        {
            using var host = Infrastructure.Devcloud.Connected();
            var before = host.Run("Get-NodeServer c02 | Where-Object Status -eq ACTIVE");
            before.ThrowOnErrors();
            var ids = before.Output.Select(o => P(o, "Id")).ToList();
            Assert.True(ids.Count >= 2, "the devcloud seeds at least two ACTIVE servers on c02");

            var drain = host.Run("$global:drain = Get-NodeServer c02 | Where-Object Status -eq ACTIVE | Move-ServerLive -Destination c03; $global:drain");
            drain.ThrowOnErrors();
            Assert.Equal(ids.OrderBy(x => x), drain.Output.Select(o => P(o, "ServerId")).OrderBy(x => x));
            Assert.All(drain.Output, o => Assert.Equal("Completed", P(o, "Status")));
            Assert.All(drain.Output, o => Assert.Equal("c03.example.com", P(o, "FinalHost")));
            Assert.All(drain.Output, o => Assert.NotNull(P(o, "MigrationId")));
            Assert.All(ids, id => Assert.Equal("c03.example.com", HostInDb(id)));
            Assert.NotEmpty(drain.Progress);

            // Resumable: nothing ACTIVE is left on c02, so running the drain again moves nothing.
            var again = host.Run("Get-NodeServer c02 | Where-Object Status -eq ACTIVE | Move-ServerLive -Destination c03");
            again.ThrowOnErrors();
            Assert.Empty(again.Output);

            // Reversible: the results go back where they came from.
            var back = host.Run("$global:drain | Move-ServerLive");
            back.ThrowOnErrors();
            Assert.All(back.Output, o => Assert.Equal("Completed", P(o, "Status")));
            Assert.All(back.Output, o => Assert.Equal("c02.example.com", P(o, "FinalHost")));
            Assert.All(ids, id => Assert.Equal("c02.example.com", HostInDb(id)));
        }

        [Fact]
        public void ADestinationThatCannotTakeTheServersLeavesThemActiveOnTheSourceAndSaysSo()
        {
            using var host = Infrastructure.Devcloud.Connected();
            try
            {
                host.Run("Disable-ComputeNode c03 -Reason 'osops test: refuse migrations'").ThrowOnErrors();
                var r = host.Run("Get-NodeServer c02 | Where-Object Status -eq ACTIVE | Move-ServerLive -Destination c03");
                Assert.NotEmpty(r.Output);
                Assert.All(r.Output, o => Assert.Contains(P(o, "Status"), new[] { "RolledBack", "Failed" }));
                Assert.All(r.Output, o => Assert.False(string.IsNullOrEmpty(P(o, "Error")), "nova's reason is reported"));
                Assert.Equal(r.Output.Count, r.Errors.Count);
                Assert.All(r.Errors, e => Assert.StartsWith("NovaLiveMigrate", e.FullyQualifiedErrorId));
                foreach (var o in r.Output)
                {
                    string id = P(o, "ServerId");
                    Assert.Equal("c02.example.com", HostInDb(id));
                    Assert.Equal("active", Infrastructure.Devcloud.Sql($"select vm_state from nova.instances where uuid='{id}'").Single());
                }
            }
            finally
            {
                host.Run("Enable-ComputeNode c03");
            }
        }
    }
}
