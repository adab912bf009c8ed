using System.Text.Json.Nodes;

namespace OpenStackOps.Compute.Migrations
{
    /// <summary>
    /// The os-migrateLive body for a microversion (nova schemas/migrate_server.py, doc/api_samples/os-migrate-server).
    /// <c>host</c> and <c>block_migration</c> are required keys in every version; <c>host: null</c> lets the scheduler
    /// choose. 2.1-2.24: boolean block_migration plus disk_over_commit; 2.25-2.29: "auto" allowed; 2.30-2.67:
    /// plus force (always false here); 2.68+: force removed.
    /// </summary>
    internal static class LiveMigrateBody
    {
        /// <summary>2.25 dropped disk_over_commit and allowed block_migration "auto".</summary>
        internal static readonly Microversion AutoBlockMigration = ComputeClient.V(25);

        /// <summary>From 2.30 a named host is validated by the scheduler (unless force:true, which we never send).</summary>
        internal static readonly Microversion ValidatedHost = ComputeClient.V(30);

        /// <summary>2.68 removed "force" from the schema: sending it then is a 400.</summary>
        internal static readonly Microversion ForceRemoved = ComputeClient.V(68);

        internal static JsonObject For(Microversion mv, string? host, BlockMigration mode)
        {
            var inner = new JsonObject { ["host"] = host };
            if (mv < AutoBlockMigration)
            {
                // 2.1-2.24: all three keys are required and block_migration must be a boolean.
                inner["block_migration"] = mode == BlockMigration.On;
                inner["disk_over_commit"] = false;
            }
            else
            {
                // 2.25-2.29 and 2.68+ (force removed): host and block_migration "auto"/true/false.
                switch (mode)
                {
                    case BlockMigration.On: inner["block_migration"] = true; break;
                    case BlockMigration.Off: inner["block_migration"] = false; break;
                    default: inner["block_migration"] = "auto"; break;
                }
                // 2.30-2.67 accept "force"; say false out loud, as nova's own 2.30 sample does: the scheduler
                // always checks the host (force:true bypassed it, LP #1411190, and is never sent).
                if (mv >= ValidatedHost && mv < ForceRemoved) inner["force"] = false;
            }
            return new JsonObject { ["os-migrateLive"] = inner };
        }
    }
}
