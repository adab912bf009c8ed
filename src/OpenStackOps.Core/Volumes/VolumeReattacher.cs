using OpenStackOps.Http;
using OpenStackOps.Maintenance;

namespace OpenStackOps.Volumes
{
    /// <summary>
    /// The guide's reattachment after a node recovery: detach through nova, wait until cinder says available,
    /// attach again, wait until cinder says in-use on that server. A failure after the detach says plainly that
    /// the volume is now detached and how to attach it, never silently.
    /// </summary>
    public sealed class VolumeReattacher
    {
        private readonly VolumeAttachmentsApi _nova;
        private readonly VolumesApi _cinder;
        private readonly IWaitClock? _clock;

        public VolumeReattacher(VolumeAttachmentsApi nova, VolumesApi cinder, IWaitClock? clock = null)
        {
            _nova = nova;
            _cinder = cinder;
            _clock = clock;
        }

        public TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(5);
        public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);
        /// <summary>Called with each step's name as it starts (for progress bars).</summary>
        public Action<string>? OnStep { get; set; }

        public async Task<VolumeReattachResult> ReattachAsync(VolumeAttachment a, CancellationToken ct)
        {
            var result = new VolumeReattachResult
            {
                Cloud = a.Cloud, ServerId = a.ServerId, ServerName = a.ServerName, VolumeId = a.VolumeId, Device = a.Device,
            };
            var wait = new BoundedWait(_clock, Timeout, PollInterval);
            string step = "detach";
            bool detached = false;
            try
            {
                OnStep?.Invoke(step);
                var attached = await _nova.ListAsync(a.ServerId, ct).ConfigureAwait(false);
                if (attached.Any(x => string.Equals(x.VolumeId, a.VolumeId, StringComparison.OrdinalIgnoreCase)))
                    result.DetachRequestId = await _nova.DetachAsync(a.ServerId, a.VolumeId, ct).ConfigureAwait(false);

                step = "wait-available";
                OnStep?.Invoke(step);
                if (!await WaitAsync(a, v => v.Status == "available", wait, result, ct).ConfigureAwait(false)) return result;
                detached = true;

                step = "attach";
                OnStep?.Invoke(step);
                result.AttachRequestId = await _nova.AttachAsync(a.ServerId, a.VolumeId, a.Device, ct).ConfigureAwait(false);

                step = "wait-in-use";
                OnStep?.Invoke(step);
                if (!await WaitAsync(a, v => v.Status == "in-use" && v.AttachedServerIds.Contains(a.ServerId, StringComparer.OrdinalIgnoreCase), wait, result, ct).ConfigureAwait(false)) return result;
                result.Status = "Reattached";
                result.Message = $"detached and attached again to {a.ServerName ?? a.ServerId}";
                return result;
            }
            catch (OpenStackApiException e)
            {
                result.Status = "Failed";
                result.FailedStep = step;
                result.Error = e.Message + (detached ? $" The volume is DETACHED now: attach it with `openstack server add volume {a.ServerId} {a.VolumeId}`." : "");
                return result;
            }
            finally
            {
                result.Elapsed = wait.Elapsed;
                if (result.FailedStep == null && result.Status != "Reattached" && result.Status != null) result.FailedStep = step;
            }
        }

        /// <summary>Polls cinder until <paramref name="done"/>, an error state, or the reattachment's time is up; false (with the result saying why) unless done.</summary>
        private async Task<bool> WaitAsync(VolumeAttachment a, Func<VolumeState, bool> done, BoundedWait wait, VolumeReattachResult result, CancellationToken ct)
        {
            var (v, _) = await wait.UntilAsync(c => _cinder.GetAsync(a.VolumeId, c), x => done(x) || IsError(x), ct).ConfigureAwait(false);
            result.VolumeStatus = v.Status;
            if (done(v)) return true;
            if (IsError(v))
            {
                result.Status = "Failed";
                result.Error = $"cinder put volume {a.VolumeId} in {v.Status}. See `openstack volume show {a.VolumeId}` and the cinder-volume log.";
            }
            else
            {
                result.Status = "TimedOut";
                result.Error = $"volume {a.VolumeId} still {v.Status} after {(int)Timeout.TotalSeconds} s.";
            }
            return false;
        }

        private static bool IsError(VolumeState v) => v.Status == "error" || v.Status == "error_detaching" || v.Status == "error_attaching";
    }
}
