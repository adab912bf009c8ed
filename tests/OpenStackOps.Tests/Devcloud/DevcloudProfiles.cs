using System;
using System.IO;
using OpenStackOps.Configuration;
using Xunit;

namespace OpenStackOps.Tests.Devcloud
{
    /// <summary>The devcloud's clouds.yaml, as tools/devcloud/up.sh writes it.</summary>
    public static class DevcloudProfiles
    {
        public static string Directory => Environment.GetEnvironmentVariable("DEVCLOUD_DIR") ?? "/tmp/osops-devcloud";
        public static string CloudsYaml => Path.Combine(Directory, "clouds.yaml");

        public static CloudProfile Load(string cloud)
        {
            Assert.True(File.Exists(CloudsYaml), $"The devcloud is not up ({CloudsYaml} missing): run tools/devcloud/up.sh or tools/test.sh.");
            return CloudsYamlLoader.Load(cloud, new CloudsYamlSearch { ExplicitFile = CloudsYaml });
        }
    }
}
