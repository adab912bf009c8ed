using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using OpenStackOps.Configuration;
using OpenStackOps.Http;
using OpenStackOps.Tests.Fakes;

namespace OpenStackOps.Tests.Identity
{
    /// <summary>
    /// Keystone v3 answers in the shape of keystone's API reference samples (auth-password-project-scoped-response),
    /// with the catalog of a small cloud: six services, each with public, internal and admin endpoints in RegionOne.
    /// </summary>
    public static class KeystoneFixtures
    {
        public const string AuthUrl = "http://keystone.test:5000/v3";
        public const string TokensPath = "/v3/auth/tokens";
        public const string SubjectToken = "gAAAAABl-fixture-token-0001";

        public const string ProjectScopedToken = """
        {
            "token": {
                "methods": ["password"],
                "user": {
                    "domain": {"id": "default", "name": "Default"},
                    "id": "ee4dfb6e5540447cb3741905149d9b6e",
                    "name": "admin",
                    "password_expires_at": null
                },
                "audit_ids": ["3T2dc1CGQxyJsHdDu1xkcw"],
                "expires_at": "2026-11-23T08:06:41.000000Z",
                "issued_at": "2026-11-23T07:06:41.000000Z",
                "project": {
                    "domain": {"id": "default", "name": "Default"},
                    "id": "a6944d763bf64ee6a275f1263fae0352",
                    "name": "admin"
                },
                "is_domain": false,
                "roles": [
                    {"id": "51cc68287d524c759f47c811e6463340", "name": "admin"},
                    {"id": "9fe2ff9ee4384b1894a90878d3e92bab", "name": "member"},
                    {"id": "ae65ad4b1b2a4c1b8d1e2f0a3b4c5d6e", "name": "reader"}
                ],
                "catalog": [
                    {
                        "endpoints": [
                            {"id": "e1", "interface": "public", "region": "RegionOne", "region_id": "RegionOne", "url": "http://controller:8774/v2.1"},
                            {"id": "e2", "interface": "internal", "region": "RegionOne", "region_id": "RegionOne", "url": "http://controller.internal:8774/v2.1"},
                            {"id": "e3", "interface": "admin", "region": "RegionOne", "region_id": "RegionOne", "url": "http://controller.admin:8774/v2.1"}
                        ],
                        "id": "3a6f3a2b1c7d4e0f9a8b7c6d5e4f3a2b", "type": "compute", "name": "nova"
                    },
                    {
                        "endpoints": [
                            {"id": "e4", "interface": "public", "region": "RegionOne", "region_id": "RegionOne", "url": "http://controller:9696"},
                            {"id": "e5", "interface": "internal", "region": "RegionOne", "region_id": "RegionOne", "url": "http://controller.internal:9696"},
                            {"id": "e6", "interface": "admin", "region": "RegionOne", "region_id": "RegionOne", "url": "http://controller.admin:9696"}
                        ],
                        "id": "4b7a4b3c2d8e5f1a0b9c8d7e6f5a4b3c", "type": "network", "name": "neutron"
                    },
                    {
                        "endpoints": [
                            {"id": "e7", "interface": "public", "region": "RegionOne", "region_id": "RegionOne", "url": "http://controller:8776/v3/a6944d763bf64ee6a275f1263fae0352"},
                            {"id": "e8", "interface": "internal", "region": "RegionOne", "region_id": "RegionOne", "url": "http://controller.internal:8776/v3/a6944d763bf64ee6a275f1263fae0352"},
                            {"id": "e9", "interface": "admin", "region": "RegionOne", "region_id": "RegionOne", "url": "http://controller.admin:8776/v3/a6944d763bf64ee6a275f1263fae0352"}
                        ],
                        "id": "5c8b5c4d3e9f6a2b1c0d9e8f7a6b5c4d", "type": "volumev3", "name": "cinderv3"
                    },
                    {
                        "endpoints": [
                            {"id": "e10", "interface": "public", "region": "RegionOne", "region_id": "RegionOne", "url": "http://controller:9292"},
                            {"id": "e11", "interface": "internal", "region": "RegionOne", "region_id": "RegionOne", "url": "http://controller.internal:9292"},
                            {"id": "e12", "interface": "admin", "region": "RegionOne", "region_id": "RegionOne", "url": "http://controller.admin:9292"}
                        ],
                        "id": "6d9c6d5e4f0a7b3c2d1e0f9a8b7c6d5e", "type": "image", "name": "glance"
                    },
                    {
                        "endpoints": [
                            {"id": "e13", "interface": "public", "region": "RegionOne", "region_id": "RegionOne", "url": "http://controller:8778"},
                            {"id": "e14", "interface": "internal", "region": "RegionOne", "region_id": "RegionOne", "url": "http://controller.internal:8778"},
                            {"id": "e15", "interface": "admin", "region": "RegionOne", "region_id": "RegionOne", "url": "http://controller.admin:8778"}
                        ],
                        "id": "7e0d7e6f5a1b8c4d3e2f1a0b9c8d7e6f", "type": "placement", "name": "placement"
                    },
                    {
                        "endpoints": [
                            {"id": "e16", "interface": "public", "region": "RegionOne", "region_id": "RegionOne", "url": "http://controller:5000/v3/"},
                            {"id": "e17", "interface": "internal", "region": "RegionOne", "region_id": "RegionOne", "url": "http://controller.internal:5000/v3/"},
                            {"id": "e18", "interface": "admin", "region": "RegionOne", "region_id": "RegionOne", "url": "http://controller.admin:5000/v3/"}
                        ],
                        "id": "050726f278654128aba89757ae25910c", "type": "identity", "name": "keystone"
                    }
                ]
            }
        }
        """;

        /// <summary>The same token valid from <paramref name="issued"/> to <paramref name="expires"/> (ISO 8601).</summary>
        public static string TokenBody(string expires, string issued = "2026-11-23T07:00:00.000000Z")
            => ProjectScopedToken
                .Replace("2026-11-23T08:06:41.000000Z", expires)
                .Replace("2026-11-23T07:06:41.000000Z", issued);

        public const string Unauthorized = """{"error": {"code": 401, "title": "Unauthorized", "message": "The request you have made requires authentication."}}""";

        public static CloudProfile Password(string password = "pw") => new CloudProfile
        {
            Name = "test",
            Source = "test",
            AuthUrl = new System.Uri(AuthUrl),
            Method = AuthMethod.Password,
            Username = "admin",
            UserDomainName = "Default",
            Password = new Secret(password),
            ProjectName = "admin",
            ProjectDomainName = "Default",
        };
    }

    /// <summary>Keeps every log line, from any thread.</summary>
    public sealed class RecordingLog : IApiLog
    {
        private readonly ConcurrentQueue<string> _lines = new ConcurrentQueue<string>();
        public IReadOnlyList<string> Lines => _lines.ToList();
        public void Verbose(string message) => _lines.Enqueue("VERBOSE: " + message);
        public void Debug(string message) => _lines.Enqueue("DEBUG: " + message);
    }

    /// <summary>A scripted Keystone: the fake handler, an HttpClient on it, a log and a call counter.</summary>
    public sealed class FakeKeystone
    {
        public FakeHttpHandler Handler { get; } = new FakeHttpHandler();
        public RecordingLog Log { get; } = new RecordingLog();
        public ApiCallCounter Calls { get; } = new ApiCallCounter();
        public HttpClient Http { get; }

        public FakeKeystone() => Http = new HttpClient(Handler);

        public FakeHttpHandler.Expectation ExpectToken(string subjectToken = KeystoneFixtures.SubjectToken, string body = KeystoneFixtures.ProjectScopedToken,
            string path = KeystoneFixtures.TokensPath)
            => Handler.Expect("POST", path).Respond(201, body).WithHeader("X-Subject-Token", subjectToken);
    }
}
