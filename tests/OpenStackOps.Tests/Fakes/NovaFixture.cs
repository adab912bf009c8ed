using System;
using System.IO;
using System.Net.Http;
using OpenStackOps.Compute;
using OpenStackOps.Http;

namespace OpenStackOps.Tests.Fakes
{
    /// <summary>A ComputeClient wired to a scripted HTTP handler, and the fixtures shaped like Nova's API samples.</summary>
    public sealed class NovaFixture
    {
        public const string Endpoint = "http://nova.test:8774/v2.1";

        public NovaFixture(params string[] tokens)
        {
            Handler = new FakeHttpHandler();
            Tokens = new StaticTokenSource(tokens.Length == 0 ? new[] { "tok-1" } : tokens);
            Calls = new ApiCallCounter();
            Http = new ServiceClient("compute", new Uri(Endpoint), new HttpClient(Handler), Tokens, NullApiLog.Instance,
                Calls, MicroversionHeader.Compute);
            Compute = new ComputeClient(Http);
        }

        public FakeHttpHandler Handler { get; }
        public StaticTokenSource Tokens { get; }
        public ApiCallCounter Calls { get; }
        public ServiceClient Http { get; }
        public ComputeClient Compute { get; }

        /// <summary>The version document of a nova whose newest microversion is <paramref name="max"/>.</summary>
        public void ExpectVersionDocument(string max = "2.93")
            => Handler.Expect("GET", "/v2.1/").Respond(200, VersionDocument(max), requestId: null);

        public static string VersionDocument(string max) =>
            "{\"version\": {\"id\": \"v2.1\", \"status\": \"CURRENT\", \"version\": \"" + max + "\", \"min_version\": \"2.1\"," +
            " \"updated\": \"2013-07-23T11:33:21Z\", \"links\": [{\"href\": \"" + Endpoint + "/\", \"rel\": \"self\"}]," +
            " \"media-types\": [{\"base\": \"application/json\", \"type\": \"application/vnd.openstack.compute+json;version=2.1\"}]}}";

        public static string Load(string name) =>
            File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "nova", name));
    }
}
