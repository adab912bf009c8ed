using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using OpenStackOps.Http;
using Xunit;

namespace OpenStackOps.Tests.Http
{
    public class MarkerPagerTests
    {
        /// <summary>A listing served from canned bodies by the marker asked for, recording every marker.</summary>
        private sealed class Pages
        {
            private readonly Dictionary<string, string> _byMarker = new Dictionary<string, string>();
            public List<string> Asked { get; } = new List<string>();

            public Pages On(string marker, string body)
            {
                _byMarker[marker ?? ""] = body;
                return this;
            }

            public Task<ApiResponse> Get(string marker)
            {
                Asked.Add(marker);
                Assert.True(Asked.Count <= 10, "the pager kept asking: " + string.Join(",", Asked));
                return Task.FromResult(new ApiResponse(200, JsonNode.Parse(_byMarker[marker ?? ""]), "req-1", null));
            }
        }

        private static string[] Ids(IEnumerable<JsonNode> items) => items.Select(i => i.Str("id")).ToArray();

        [Fact]
        public async Task NovaPagesAreFollowedByTheLastIdUntilAPageHasNoNextLink()
        {
            var pages = new Pages()
                .On(null, "{\"servers\":[{\"id\":\"a\"},{\"id\":\"b\"}],\"servers_links\":[{\"rel\":\"next\",\"href\":\"http://x/servers?marker=b\"}]}")
                .On("b", "{\"servers\":[{\"id\":\"c\"}]}");

            var items = await MarkerPager.ReadAllAsync(pages.Get, "servers", MarkerPager.LastItemWhenNextLink("servers_links"), CancellationToken.None);

            Assert.Equal(new[] { "a", "b", "c" }, Ids(items));
            Assert.Equal(new[] { null, "b" }, pages.Asked);
        }

        [Fact]
        public async Task AnEmptyPageEndsTheListingEvenWithANextLink()
        {
            var pages = new Pages()
                .On(null, "{\"servers\":[{\"id\":\"a\"}],\"servers_links\":[{\"rel\":\"next\",\"href\":\"http://x/servers?marker=a\"}]}")
                .On("a", "{\"servers\":[],\"servers_links\":[{\"rel\":\"next\",\"href\":\"http://x/servers?marker=z\"}]}");

            var items = await MarkerPager.ReadAllAsync(pages.Get, "servers", MarkerPager.LastItemWhenNextLink("servers_links"), CancellationToken.None);

            Assert.Equal(new[] { "a" }, Ids(items));
            Assert.Equal(2, pages.Asked.Count);
        }

        [Fact]
        public async Task AFirstPageWithoutItemsIsAnEmptyListing()
        {
            var pages = new Pages().On(null, "{\"images\":[],\"next\":\"/v2/images?marker=q\"}");
            var items = await MarkerPager.ReadAllAsync(pages.Get, "images", MarkerPager.FromNextPath(), CancellationToken.None);
            Assert.Empty(items);
            Assert.Single(pages.Asked);
        }

        [Fact]
        public async Task APageThatNamesTheMarkerItWasAskedWithEndsTheListing()
        {
            // A broken service answers the page after "b" with a "next" that points at "b" again.
            var pages = new Pages()
                .On(null, "{\"images\":[{\"id\":\"a\"},{\"id\":\"b\"}],\"next\":\"/v2/images?limit=2&marker=b\"}")
                .On("b", "{\"images\":[{\"id\":\"c\"}],\"next\":\"/v2/images?limit=2&marker=b\"}");

            var items = await MarkerPager.ReadAllAsync(pages.Get, "images", MarkerPager.FromNextPath(), CancellationToken.None);

            Assert.Equal(new[] { "a", "b", "c" }, Ids(items));
            Assert.Equal(new[] { null, "b" }, pages.Asked);
        }

        [Fact]
        public async Task PagesThatPointBackAtAnEarlierMarkerEndTheListing()
        {
            var pages = new Pages()
                .On(null, "{\"networks\":[{\"id\":\"a\"}],\"networks_links\":[{\"rel\":\"next\",\"href\":\"http://x/v2.0/networks?marker=a\"}]}")
                .On("a", "{\"networks\":[{\"id\":\"b\"}],\"networks_links\":[{\"rel\":\"previous\",\"href\":\"http://x/v2.0/networks?marker=q\"},{\"rel\":\"next\",\"href\":\"http://x/v2.0/networks?marker=b\"}]}")
                .On("b", "{\"networks\":[{\"id\":\"c\"}],\"networks_links\":[{\"rel\":\"next\",\"href\":\"http://x/v2.0/networks?marker=a\"}]}");

            var items = await MarkerPager.ReadAllAsync(pages.Get, "networks", MarkerPager.FromNextLink("networks_links"), CancellationToken.None);

            Assert.Equal(new[] { "a", "b", "c" }, Ids(items));
            Assert.Equal(new[] { null, "a", "b" }, pages.Asked);
        }

        [Fact]
        public async Task ALastPageWithoutANextLinkIsNotFollowed()
        {
            var pages = new Pages().On(null, "{\"flavors\":[{\"id\":\"1\"},{\"id\":\"2\"}],\"flavors_links\":[{\"rel\":\"previous\",\"href\":\"http://x/flavors?marker=0\"}]}");
            var items = await MarkerPager.ReadAllAsync(pages.Get, "flavors", MarkerPager.LastItemWhenNextLink("flavors_links"), CancellationToken.None);
            Assert.Equal(new[] { "1", "2" }, Ids(items));
            Assert.Single(pages.Asked);
        }

        [Fact]
        public async Task SinglePageAsksOnceWhateverThePageSays()
        {
            var pages = new Pages().On(null, "{\"migrations\":[{\"id\":\"1\",\"uuid\":\"u1\"}],\"migrations_links\":[{\"rel\":\"next\",\"href\":\"http://x/os-migrations?marker=u1\"}]}");
            var items = await MarkerPager.ReadAllAsync(pages.Get, "migrations", MarkerPager.SinglePage, CancellationToken.None);
            Assert.Single(items);
            Assert.Single(pages.Asked);
        }

        [Theory]
        [InlineData("http://x/v2/images?limit=2&marker=a%2Fb", "a/b")]
        [InlineData("/v2/images?marker=abc", "abc")]
        [InlineData("/v2/images?limit=2", null)]
        [InlineData("/v2/images", null)]
        [InlineData(null, null)]
        public void MarkerOfReadsTheMarkerParameter(string next, string expected)
            => Assert.Equal(expected, MarkerPager.MarkerOf(next));
    }
}
