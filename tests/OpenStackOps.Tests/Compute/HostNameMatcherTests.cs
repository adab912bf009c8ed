using OpenStackOps.Compute.Nodes;
using Xunit;

namespace OpenStackOps.Tests.Compute
{
    public class HostNameMatcherTests
    {
        private static readonly string[] Hosts = { "compute-1", "compute-10", "c01.example.com", "c02.example.com", "db.a.example", "db.b.example" };

        [Fact]
        public void ExactNameNeverSelectsALongerOne()
            => Assert.Equal(new[] { "compute-1" }, HostNameMatcher.Resolve("compute-1", Hosts, out _));

        [Fact]
        public void AUniqueShortNameSelectsItsHost()
            => Assert.Equal(new[] { "c01.example.com" }, HostNameMatcher.Resolve("c01", Hosts, out _));

        [Fact]
        public void AnAmbiguousShortNameIsRefusedWithTheCandidates()
        {
            Assert.Empty(HostNameMatcher.Resolve("db", Hosts, out string problem));
            Assert.Contains("db.a.example", problem);
            Assert.Contains("db.b.example", problem);
        }

        [Fact]
        public void AnAmbiguousShortNameGivesItsCandidatesAndAnUnknownOneNone()
        {
            Assert.Empty(HostNameMatcher.Resolve("db", Hosts, out _, out var candidates));
            Assert.Equal(new[] { "db.a.example", "db.b.example" }, candidates);
            Assert.Empty(HostNameMatcher.Resolve("c0", Hosts, out _, out candidates));
            Assert.Empty(candidates);
        }

        [Fact]
        public void AnUnknownNameSaysSo()
        {
            Assert.Empty(HostNameMatcher.Resolve("c0", Hosts, out string problem));
            Assert.Contains("'c0'", problem);
        }
    }
}
