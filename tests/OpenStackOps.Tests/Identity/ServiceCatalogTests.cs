using System;
using System.Text.Json.Nodes;
using OpenStackOps.Http;
using OpenStackOps.Identity;
using Xunit;

namespace OpenStackOps.Tests.Identity
{
    public class ServiceCatalogTests
    {
        private static ServiceCatalog Catalog(string json = KeystoneFixtures.ProjectScopedToken)
            => ServiceCatalog.Parse((JsonArray)JsonNode.Parse(json)["token"]["catalog"]);

        [Theory]
        [InlineData("compute", "public", "http://controller:8774/v2.1")]
        [InlineData("compute", "internal", "http://controller.internal:8774/v2.1")]
        [InlineData("compute", "admin", "http://controller.admin:8774/v2.1")]
        [InlineData("compute", null, "http://controller:8774/v2.1")]
        [InlineData("compute", "internalURL", "http://controller.internal:8774/v2.1")]
        [InlineData("network", "public", "http://controller:9696/")]
        [InlineData("image", "internal", "http://controller.internal:9292/")]
        [InlineData("placement", "public", "http://controller:8778/")]
        [InlineData("identity", "admin", "http://controller.admin:5000/v3/")]
        public void FindsEndpointsByTypeAndInterface(string type, string iface, string expected)
            => Assert.Equal(new Uri(expected), Catalog().FindEndpoint(type, iface, "RegionOne"));

        [Theory]
        [InlineData("volumev3")]
        [InlineData("block-storage")]
        [InlineData("volume")]
        public void VolumeAliasesFindCinderV3(string type)
            => Assert.Equal(new Uri("http://controller:8776/v3/a6944d763bf64ee6a275f1263fae0352"), Catalog().FindEndpoint(type, "public", null));

        [Fact]
        public void TheAskedTypeBeatsItsAliases()
        {
            var catalog = Catalog("""
                {"token": {"catalog": [
                  {"type": "volume", "name": "cinder", "endpoints": [{"interface": "public", "region_id": "R", "url": "http://c:8776/v1"}]},
                  {"type": "block-storage", "name": "cinderv3", "endpoints": [{"interface": "public", "region_id": "R", "url": "http://c:8776/v3"}]}]}}
                """);
            Assert.Equal(new Uri("http://c:8776/v3"), catalog.FindEndpoint("block-storage", "public", "R"));
            Assert.Equal(new Uri("http://c:8776/v1"), catalog.FindEndpoint("volume", "public", "R"));
            Assert.Equal(new Uri("http://c:8776/v3"), catalog.FindEndpoint("volumev3", "public", "R"));
        }

        [Fact]
        public void AnyRegionWhenNoneIsAskedAndTheAskedOneOtherwise()
        {
            var catalog = Catalog("""
                {"token": {"catalog": [{"type": "compute", "endpoints": [
                  {"interface": "public", "region_id": "RegionOne", "region": "RegionOne", "url": "http://one:8774/v2.1"},
                  {"interface": "public", "region_id": "RegionTwo", "region": "RegionTwo", "url": "http://two:8774/v2.1"}]}]}}
                """);
            Assert.Equal("one", catalog.FindEndpoint("compute", "public", null).Host);
            Assert.Equal("one", catalog.FindEndpoint("compute", "public", "").Host);
            Assert.Equal("two", catalog.FindEndpoint("compute", "public", "RegionTwo").Host);
        }

        [Fact]
        public void NotFoundListsWhatTheCatalogHas()
        {
            var e = Assert.Throws<EndpointNotFoundException>(() => Catalog().FindEndpoint("volumev3", "public", "RegionTwo"));

            Assert.Equal(ApiErrorKind.NotFound, e.Kind);
            Assert.IsAssignableFrom<OpenStackApiException>(e);
            Assert.Equal("volumev3", e.ServiceType);
            Assert.Equal("RegionTwo", e.Region);
            Assert.Contains("no public endpoint for volumev3", e.Message);
            Assert.Contains("block-storage", e.Message);
            Assert.Contains("in region RegionTwo", e.Message);
            Assert.Contains("compute (public, internal, admin in RegionOne)", e.Message);
            Assert.Contains("placement", e.Message);
            Assert.Contains("-Region", e.Message);
        }

        [Fact]
        public void AnUnknownServiceIsNotFound()
        {
            var e = Assert.Throws<EndpointNotFoundException>(() => Catalog().FindEndpoint("baremetal", "public", null));
            Assert.Contains("no public endpoint for baremetal.", e.Message);
            Assert.Contains("network (public, internal, admin in RegionOne)", e.Message);
        }

        [Fact]
        public void AnEmptyCatalogSaysTheTokenIsNotScoped()
        {
            var e = Assert.Throws<EndpointNotFoundException>(() => new ServiceCatalog(Array.Empty<CatalogEntry>()).FindEndpoint("compute", "public", null));
            Assert.Contains("not scoped to a project", e.Message);
        }
    }
}
