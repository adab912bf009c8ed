using System;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using OpenStackOps.Http;
using OpenStackOps.Tests.Fakes;
using OpenStackOps.Tests.Migrations;
using OpenStackOps.Volumes;
using Xunit;

namespace OpenStackOps.Tests.Recovery
{
    /// <summary>Detach, wait available, attach, wait in-use: the exact requests, and what a failure half-way says.</summary>
    public class VolumeReattacherTests
    {
        private const string Server = "c50c8da6-b360-47ce-93d2-f436e625b615";
        private const string Volume = "30f8a023-7b0f-4725-a94c-67008e77dbf4";
        private const string CinderPath = "/v3/p1/volumes/" + Volume;

        private static (NovaFixture nova, VolumeReattacher reattacher) Make() => Make(new VirtualClock());

        private static (NovaFixture nova, VolumeReattacher reattacher) Make(VirtualClock clock)
        {
            var nova = new NovaFixture();
            var cinder = new ServiceClient("volumev3", new Uri("http://nova.test:8776/v3/p1"), new HttpClient(nova.Handler), nova.Tokens,
                NullApiLog.Instance, nova.Calls, MicroversionHeader.Volume);
            var r = new VolumeReattacher(new VolumeAttachmentsApi(nova.Compute), new VolumesApi(cinder), clock);
            return (nova, r);
        }

        private static string VolumeBody(string status, bool attached)
            => "{\"volume\": {\"id\": \"" + Volume + "\", \"name\": \"data\", \"status\": \"" + status + "\", \"attachments\": [" +
               (attached ? "{\"server_id\": \"" + Server + "\", \"device\": \"/dev/vdb\"}" : "") + "]}}";

        private static readonly string Attachments = "{\"volumeAttachments\": [{\"id\": \"" + Volume + "\", \"serverId\": \"" + Server + "\", \"volumeId\": \"" + Volume + "\", \"device\": \"/dev/vdb\"}]}";
        private static VolumeAttachment A => new VolumeAttachment { ServerId = Server, VolumeId = Volume, Device = "/dev/vdb" };

        [Fact]
        public async Task DetachesWaitsAttachesAndWaitsAgain()
        {
            var (nova, reattacher) = Make();
            nova.ExpectVersionDocument();
            nova.Handler.Expect("GET", "/v2.1/servers/" + Server + "/os-volume_attachments").Respond(200, Attachments);
            var detach = nova.Handler.Expect("DELETE", "/v2.1/servers/" + Server + "/os-volume_attachments/" + Volume).Respond(202, null, "req-detach");
            nova.Handler.Expect("GET", CinderPath).Respond(200, VolumeBody("detaching", true));
            nova.Handler.Expect("GET", CinderPath).Respond(200, VolumeBody("available", false));
            var attach = nova.Handler.Expect("POST", "/v2.1/servers/" + Server + "/os-volume_attachments").Respond(200, Attachments.Replace("volumeAttachments\": [", "volumeAttachment\": ").Replace("}]}", "}}"), "req-attach");
            nova.Handler.Expect("GET", CinderPath).Respond(200, VolumeBody("attaching", false));
            nova.Handler.Expect("GET", CinderPath).Respond(200, VolumeBody("in-use", true));

            var result = await reattacher.ReattachAsync(A, CancellationToken.None);

            nova.Handler.AssertAllUsed();
            Assert.Equal("Reattached", result.Status);
            Assert.Equal("in-use", result.VolumeStatus);
            Assert.Equal("req-detach", result.DetachRequestId);
            Assert.Equal("req-attach", result.AttachRequestId);
            OpenStackOps.Tests.Migrations.Json.AssertEqual("{\"volumeAttachment\":{\"volumeId\":\"" + Volume + "\",\"device\":\"/dev/vdb\"}}", attach.Request.Body);
            Assert.Equal("compute 2.93", detach.Request.Header("OpenStack-API-Version"));
        }

        [Fact]
        public async Task AnAttachRefusedAfterTheDetachSaysTheVolumeIsDetachedAndHowToFixIt()
        {
            var (nova, reattacher) = Make();
            nova.ExpectVersionDocument();
            nova.Handler.Expect("GET", "/v2.1/servers/" + Server + "/os-volume_attachments").Respond(200, Attachments);
            nova.Handler.Expect("DELETE", "/v2.1/servers/" + Server + "/os-volume_attachments/" + Volume).Respond(202);
            nova.Handler.Expect("GET", CinderPath).Respond(200, VolumeBody("available", false));
            nova.Handler.Expect("POST", "/v2.1/servers/" + Server + "/os-volume_attachments")
                .Respond(409, "{\"conflictingRequest\": {\"code\": 409, \"message\": \"Cannot 'attach_volume' instance while it is in vm_state error\"}}");

            var result = await reattacher.ReattachAsync(A, CancellationToken.None);

            nova.Handler.AssertAllUsed();
            Assert.Equal("Failed", result.Status);
            Assert.Equal("attach", result.FailedStep);
            Assert.Contains("vm_state error", result.Error);
            Assert.Contains("DETACHED", result.Error);
            Assert.Contains("openstack server add volume " + Server + " " + Volume, result.Error);
        }

        [Fact]
        public async Task AVolumeThatCinderPutsInErrorStopsTheWait()
        {
            var (nova, reattacher) = Make();
            nova.ExpectVersionDocument();
            nova.Handler.Expect("GET", "/v2.1/servers/" + Server + "/os-volume_attachments").Respond(200, Attachments);
            nova.Handler.Expect("DELETE", "/v2.1/servers/" + Server + "/os-volume_attachments/" + Volume).Respond(202);
            nova.Handler.Expect("GET", CinderPath).Respond(200, VolumeBody("error_detaching", true));

            var result = await reattacher.ReattachAsync(A, CancellationToken.None);

            nova.Handler.AssertAllUsed();
            Assert.Equal("Failed", result.Status);
            Assert.Equal("wait-available", result.FailedStep);
            Assert.Contains("error_detaching", result.Error);
        }

        [Fact]
        public async Task OneTimeoutBoundsBothWaitsFromTheStart()
        {
            var clock = new VirtualClock();
            var (nova, reattacher) = Make(clock);
            reattacher.Timeout = TimeSpan.FromSeconds(2);
            nova.ExpectVersionDocument();
            nova.Handler.Expect("GET", "/v2.1/servers/" + Server + "/os-volume_attachments").Respond(200, Attachments);
            nova.Handler.Expect("DELETE", "/v2.1/servers/" + Server + "/os-volume_attachments/" + Volume).Respond(202);
            nova.Handler.Expect("GET", CinderPath).Respond(200, VolumeBody("detaching", true));
            nova.Handler.Expect("GET", CinderPath).Respond(200, VolumeBody("available", false));
            nova.Handler.Expect("POST", "/v2.1/servers/" + Server + "/os-volume_attachments").Respond(200, Attachments.Replace("volumeAttachments\": [", "volumeAttachment\": ").Replace("}]}", "}}"));
            for (int i = 0; i < 3; i++) nova.Handler.Expect("GET", CinderPath).Respond(200, VolumeBody("attaching", false)); // at 1, 2 and 3 s

            var result = await reattacher.ReattachAsync(A, CancellationToken.None);

            nova.Handler.AssertAllUsed();
            Assert.Equal("TimedOut", result.Status);
            Assert.Equal("wait-in-use", result.FailedStep);
            Assert.Equal($"volume {Volume} still attaching after 2 s.", result.Error);
            Assert.Equal(TimeSpan.FromSeconds(3), result.Elapsed);
        }
    }
}
