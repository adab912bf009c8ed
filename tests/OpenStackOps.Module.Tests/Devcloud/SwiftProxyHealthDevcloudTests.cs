using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using OpenStackOps.Module.Tests.Infrastructure;
using Xunit;
using static OpenStackOps.Module.Tests.Infrastructure.PsObjects;
using Cloud = OpenStackOps.Module.Tests.Infrastructure.Devcloud;

namespace OpenStackOps.Module.Tests.Devcloud
{
    /// <summary>
    /// The storage proxy after a "reboot", as Test-ControlPlaneHealth sees it: the devcloud's real swift-proxy (swift.sh,
    /// in ctl01) answers an authenticated account GET, is Down while its process is really stopped, and Up again once
    /// it is started with the same command line.
    /// </summary>
    [Trait("Tier", "Devcloud")]
    public class SwiftProxyHealthDevcloudTests
    {
        [Fact]
        public void TheObjectStoreIsProbedWithAnAccountGetAndIsDownWhileTheProxyIsStopped()
        {
            DevcloudSwift.RequireUp();
            using var host = Cloud.Connected();
            var (_, url) = DevcloudSwift.Login();
            string accountPath = new Uri(url).AbsolutePath.TrimEnd('/');
            Assert.Matches("^/v1/AUTH_[0-9a-f]{32}$", accountPath);

            var r = host.Run("Test-ControlPlaneHealth");
            r.ThrowOnErrors();
            var proxy = r.Output.Single(o => P(o, "Kind") == "Api" && P(o, "Component") == "swift-proxy");
            Assert.Equal("Up", P(proxy, "State"));
            Assert.Equal("127.0.0.1:8080", P(proxy, "Host"));
            Assert.StartsWith($"GET {accountPath}", P(proxy, "Evidence"));     // the admin project's account, authenticated
            Assert.Matches(" answered (200|204) in ", P(proxy, "Evidence"));
            // swift's transaction id is the request id, the one its proxy log has
            Assert.StartsWith("tx", P(proxy, "RequestId"));

            try
            {
                DevcloudSwift.Ctl("stop", "swift-proxy");
                var down = host.Run("Test-ControlPlaneHealth");
                down.ThrowOnErrors();
                var stopped = down.Output.Single(o => P(o, "Component") == "swift-proxy");
                Assert.Equal("Down", P(stopped, "State"));
                Assert.Contains(accountPath, P(stopped, "Evidence"));
                Assert.Equal("False", host.Run("Test-ControlPlaneHealth -Quiet").Output.Single().ToString());
            }
            finally
            {
                DevcloudSwift.Ctl("start", "swift-proxy");
            }
            var again = host.Run("Test-ControlPlaneHealth");
            again.ThrowOnErrors();
            Assert.Equal("Up", P(again.Output.Single(o => P(o, "Component") == "swift-proxy"), "State"));
        }
    }
}
