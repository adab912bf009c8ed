using OpenStackOps.Volumes;

namespace OpenStackOps.Database
{
    /// <summary>
    /// The guide's "which volumes were on the failed node" SQL, for when the APIs cannot answer (nova-api down, or
    /// the database path is being used anyway). The guide joins cinder.volumes.instance_uuid, a column cinder no
    /// longer has: attachments live in cinder.volume_attachment since multi-attach, so that is what is joined.
    /// The host is a parameter; schema names are checked identifiers.
    /// </summary>
    public static class VolumeAttachmentQuery
    {
        internal static string Sql(string cinderDatabase, string novaDatabase) =>
            $"SELECT i.uuid, i.display_name, i.host, a.volume_id, a.mountpoint, a.id " +
            $"FROM {DatabaseTarget.Quote(cinderDatabase)}.volume_attachment a " +
            $"JOIN {DatabaseTarget.Quote(cinderDatabase)}.volumes v ON v.id = a.volume_id AND v.deleted = 0 " +
            $"JOIN {DatabaseTarget.Quote(novaDatabase)}.instances i ON i.uuid = a.instance_uuid AND i.deleted = 0 " +
            "WHERE i.host = @host AND a.deleted = 0 AND a.attach_status = 'attached' ORDER BY i.display_name, a.mountpoint";

        public static async Task<IReadOnlyList<VolumeAttachment>> ByHostAsync(DatabaseTarget target, string? cinderDatabase, string host, CancellationToken ct)
        {
            var found = new List<VolumeAttachment>();
            using (var conn = target.Open())
            {
                await conn.OpenAsync(ct).ConfigureAwait(false);
                using (var cmd = conn.CreateCommand())
                {
                    cmd.CommandText = Sql(cinderDatabase ?? "cinder", target.NovaDatabase);
                    cmd.Parameters.AddWithValue("@host", host);
                    using (var reader = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false))
                        while (await reader.ReadAsync(ct).ConfigureAwait(false))
                            found.Add(new VolumeAttachment
                            {
                                ServerId = reader.GetString(0),
                                ServerName = reader.IsDBNull(1) ? null : reader.GetString(1),
                                Host = reader.IsDBNull(2) ? null : reader.GetString(2),
                                VolumeId = reader.GetString(3),
                                Device = reader.IsDBNull(4) ? null : reader.GetString(4),
                                AttachmentId = reader.GetString(5),
                                Source = "database",
                            });
                }
            }
            return found;
        }
    }
}
