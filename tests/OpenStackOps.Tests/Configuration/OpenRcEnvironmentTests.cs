using System;
using System.Collections.Generic;
using OpenStackOps.Configuration;
using Xunit;

namespace OpenStackOps.Tests.Configuration
{
    public class OpenRcEnvironmentTests
    {
        private static Func<string, string> Env(params (string Name, string Value)[] vars)
        {
            var d = new Dictionary<string, string>();
            foreach (var (n, v) in vars) d[n] = v;
            return n => d.TryGetValue(n, out var v) ? v : null;
        }

        [Fact]
        public void NoAuthUrlMeansNoOpenrc()
        {
            Assert.Null(OpenRcEnvironment.FromEnvironment(Env(("OS_USERNAME", "admin"), ("OS_PASSWORD", "x"))));
            Assert.Null(OpenRcEnvironment.FromEnvironment(Env(("OS_AUTH_URL", ""))));
        }

        [Fact]
        public void MapsAV3PasswordOpenrc()
        {
            var p = OpenRcEnvironment.FromEnvironment(Env(
                ("OS_AUTH_URL", "https://keystone.test:5000/v3"),
                ("OS_AUTH_TYPE", "password"),
                ("OS_USERNAME", "admin"),
                ("OS_PASSWORD", "pw"),
                ("OS_PROJECT_NAME", "admin"),
                ("OS_USER_DOMAIN_NAME", "Default"),
                ("OS_PROJECT_DOMAIN_ID", "default"),
                ("OS_REGION_NAME", "RegionOne"),
                ("OS_INTERFACE", "public"),
                ("OS_IDENTITY_API_VERSION", "3"),
                ("OS_CACERT", "/etc/ssl/ca.pem")));

            Assert.Equal("environment", p.Name);
            Assert.Contains("OS_AUTH_URL", p.Source);
            Assert.Equal(AuthMethod.Password, p.Method);
            Assert.Equal("https://keystone.test:5000/v3", p.AuthUrl.ToString());
            Assert.Equal("admin", p.Username);
            Assert.Equal("pw", p.Password.Reveal());
            Assert.Equal("admin", p.ProjectName);
            Assert.Equal("Default", p.UserDomainName);
            Assert.Equal("default", p.ProjectDomainId);
            Assert.Equal("RegionOne", p.Region);
            Assert.Equal("public", p.Interface);
            Assert.Equal("/etc/ssl/ca.pem", p.CACertificatePath);
            Assert.False(p.SkipCertificateCheck);
        }

        [Fact]
        public void MapsIdsTenantsAndLegacyEndpointType()
        {
            var p = OpenRcEnvironment.FromEnvironment(Env(
                ("OS_AUTH_URL", "http://keystone.test:5000/v3"),
                ("OS_USER_ID", "u-1"),
                ("OS_PASSWORD", "pw"),
                ("OS_TENANT_ID", "t-1"),
                ("OS_TENANT_NAME", "tenant"),
                ("OS_USER_DOMAIN_ID", "ud"),
                ("OS_PROJECT_DOMAIN_NAME", "PD"),
                ("OS_DOMAIN_NAME", "D"),
                ("OS_DOMAIN_ID", "d-1"),
                ("OS_ENDPOINT_TYPE", "internalURL"),
                ("OS_INSECURE", "1")));

            Assert.Equal("u-1", p.UserId);
            Assert.Equal("t-1", p.ProjectId);
            Assert.Equal("tenant", p.ProjectName);
            Assert.Equal("ud", p.UserDomainId);
            Assert.Equal("PD", p.ProjectDomainName);
            Assert.Equal("D", p.DomainName);
            Assert.Equal("d-1", p.DomainId);
            Assert.Equal("internal", p.Interface);
            Assert.True(p.SkipCertificateCheck);
        }

        [Fact]
        public void ProjectVariablesWinOverTenantOnes()
        {
            var p = OpenRcEnvironment.FromEnvironment(Env(("OS_AUTH_URL", "http://k/v3"), ("OS_USERNAME", "u"), ("OS_PASSWORD", "p"),
                ("OS_PROJECT_NAME", "project"), ("OS_TENANT_NAME", "tenant"), ("OS_INTERFACE", "adminURL"), ("OS_INSECURE", "true")));
            Assert.Equal("project", p.ProjectName);
            Assert.Equal("admin", p.Interface);
            Assert.True(p.SkipCertificateCheck);
        }

        [Fact]
        public void MapsApplicationCredentials()
        {
            var byId = OpenRcEnvironment.FromEnvironment(Env(("OS_AUTH_URL", "http://k/v3"), ("OS_AUTH_TYPE", "v3applicationcredential"),
                ("OS_APPLICATION_CREDENTIAL_ID", "ac-1"), ("OS_APPLICATION_CREDENTIAL_SECRET", "sec")));
            var byName = OpenRcEnvironment.FromEnvironment(Env(("OS_AUTH_URL", "http://k/v3"),
                ("OS_APPLICATION_CREDENTIAL_NAME", "mon"), ("OS_APPLICATION_CREDENTIAL_SECRET", "sec"), ("OS_USERNAME", "monitor")));

            Assert.Equal(AuthMethod.ApplicationCredential, byId.Method);
            Assert.Equal("ac-1", byId.ApplicationCredentialId);
            Assert.Equal("sec", byId.ApplicationCredentialSecret.Reveal());
            Assert.Equal(AuthMethod.ApplicationCredential, byName.Method); // inferred: no OS_AUTH_TYPE, no password
            Assert.Equal("mon", byName.ApplicationCredentialName);
            Assert.Equal("monitor", byName.Username);
        }

        [Fact]
        public void MapsATokenAndDefaultsToPublic()
        {
            var p = OpenRcEnvironment.FromEnvironment(Env(("OS_AUTH_URL", "http://k/v3"), ("OS_AUTH_TYPE", "v3token"), ("OS_TOKEN", "gAAAA"),
                ("OS_PROJECT_ID", "p-1")));
            Assert.Equal(AuthMethod.Token, p.Method);
            Assert.Equal("gAAAA", p.Token.Reveal());
            Assert.Equal("p-1", p.ProjectId);
            Assert.Equal("public", p.Interface);
            Assert.Null(p.Region);
        }

        [Fact]
        public void AMissingPasswordNamesTheVariable()
        {
            var e = Assert.Throws<ConfigurationException>(() => OpenRcEnvironment.FromEnvironment(Env(("OS_AUTH_URL", "http://k/v3"), ("OS_USERNAME", "admin"))));
            Assert.Equal(ConfigurationError.MissingSetting, e.Reason);
            Assert.Equal("OS_PASSWORD", e.Target);
            Assert.Contains("OS_PASSWORD", e.Message);
        }

        [Fact]
        public void RefusesV2AndUnknownAuthTypes()
        {
            var v2 = Assert.Throws<ConfigurationException>(() => OpenRcEnvironment.FromEnvironment(Env(("OS_AUTH_URL", "http://k:5000/v2.0"),
                ("OS_USERNAME", "u"), ("OS_PASSWORD", "p"), ("OS_IDENTITY_API_VERSION", "2"))));
            var saml = Assert.Throws<ConfigurationException>(() => OpenRcEnvironment.FromEnvironment(Env(("OS_AUTH_URL", "http://k/v3"),
                ("OS_AUTH_TYPE", "v3samlpassword"), ("OS_USERNAME", "u"), ("OS_PASSWORD", "S3cr3t-p4ss-X"))));
            var url = Assert.Throws<ConfigurationException>(() => OpenRcEnvironment.FromEnvironment(Env(("OS_AUTH_URL", "keystone:5000"),
                ("OS_USERNAME", "u"), ("OS_PASSWORD", "p"))));

            Assert.Equal(ConfigurationError.UnsupportedIdentityVersion, v2.Reason);
            Assert.Equal(ConfigurationError.UnsupportedAuthType, saml.Reason);
            Assert.Contains("v3samlpassword", saml.Message);
            Assert.DoesNotContain("S3cr3t-p4ss-X", saml.Message);
            Assert.Equal(ConfigurationError.InvalidSetting, url.Reason);
            Assert.Equal("OS_AUTH_URL", url.Target);
        }
    }
}
