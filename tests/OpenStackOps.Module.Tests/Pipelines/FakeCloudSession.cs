using System;
using System.Collections.Generic;
using System.Management.Automation;
using System.Security;
using OpenStackOps.Module.Tests.Infrastructure;
using OpenStackOps.Testing;

namespace OpenStackOps.Module.Tests.Pipelines
{
    /// <summary>A runspace with the module imported and connected to a fresh <see cref="FakeCloud"/>.</summary>
    public sealed class FakeCloudSession : IDisposable
    {
        public FakeCloudSession()
        {
            Cloud = new FakeCloud();
            Cloud.AddServer("web-1", "c01.example.com");
            Cloud.AddServer("web-2", "c01.example.com", "SHUTOFF", "p2");
            Cloud.AddServer("db-1", "c02.example.com");
            Cloud.AddServer("app-1", "compute-1");
            Cloud.AddServer("app-10", "compute-10");
            Host = new PowerShellHost();
            var connect = Connect(FakeCloud.Password);
            connect.ThrowOnErrors();
        }

        public FakeCloud Cloud { get; }
        public PowerShellHost Host { get; }

        public RunResult Connect(string password, string extra = "")
            => Host.Run($"Connect-OpenStack -AuthUrl '{Cloud.AuthUrl}' -Credential $cred -ProjectName admin {extra}",
                new Dictionary<string, object> { ["cred"] = Credential("admin", password) });

        public static PSCredential Credential(string user, string password)
        {
            var secure = new SecureString();
            foreach (char c in password) secure.AppendChar(c);
            return new PSCredential(user, secure);
        }

        public RunResult Run(string script) => Host.Run(script);

        public void Dispose()
        {
            Host.Dispose();
            Cloud.Dispose();
        }
    }
}
