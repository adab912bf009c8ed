using System.Management.Automation;
using OpenStackOps.Database;

namespace OpenStackOps.Commands.Database
{
    /// <summary>
    /// <para type="synopsis">Undoes a Move-ServerDatabaseRecord from its journal: puts the rows' pre-images back.</para>
    /// <para type="description">Reads the journal Move-ServerDatabaseRecord wrote and, in one transaction per database (neutron first if it was committed, then nova), sets ml2_port_bindings.host, ml2_port_binding_levels.host, nova.instances.host and node back to their pre-images. The databases default to the ones the journal names. -WhatIf prints the exact SQL.</para>
    /// <para type="description">What is checked first, in both databases before either is written and again under row locks in each transaction: every column the journal holds must be as the move left it (instances: host, node, display_name, launched_on, vm_state, task_state, deleted; bindings: host, vif_type, vnic_type, profile, vif_details, status; binding levels: host, level, driver, segment_id), no binding or level row of the moved ports may be gone or have appeared, and nova must have recorded no instance action (a reboot, start, stop...) for the moved servers since the move. Otherwise nothing is restored and the error lists every difference (DatabaseRecoveryChangedSinceMove) or the actions (DatabaseRecoveryStartedOnDestination).</para>
    /// <para type="description">What it does not undo: anything nova or libvirt did on the destination. A server restarted there after the move (Move-ServerDatabaseRecord -Restart, or a reboot through the API) runs on the destination: restoring its rows would leave it running there while nova believes it is on the failed host, so restore refuses; move such servers back through nova (Move-ServerLive) once the failed host is repaired. Placement allocations and OVN are not touched by the move, nor by the restore.</para>
    /// <example>
    ///   <code>Restore-ServerDatabaseRecord -JournalPath ./c03.json -DatabaseServer db1 -DatabaseCredential (Get-Credential openstack)</code>
    ///   <para>Puts the servers and their port bindings back on the failed host in the databases.</para>
    /// </example>
    /// </summary>
    [Cmdlet(VerbsData.Restore, "ServerDatabaseRecord", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High, DefaultParameterSetName = CredentialSet)]
    [OutputType(typeof(DatabaseRecoveryResult))]
    public sealed class RestoreServerDatabaseRecordCommand : DatabaseRecoveryCommand
    {
        /// <summary><para type="description">The journal file Move-ServerDatabaseRecord wrote.</para></summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        public string JournalPath { get; set; } = null!;

        protected override void ProcessRecord()
        {
            string path = GetUnresolvedProviderPathFromPSPath(JournalPath);
            try
            {
                if (!File.Exists(path))
                    throw new DatabaseRecoveryException(DatabaseRecoveryError.JournalInvalid, path, $"The journal '{path}' does not exist.");
                var journal = RecoveryJournal.Read(path);
                var target = BuildTarget(journal.NovaDatabase, journal.NeutronDatabase);
                var store = new DatabaseRecoveryStore(target) { Log = Messages.Verbose };
                int allocations = journal.Allocations.Count(a => a.Moved);
                // The allocations moved with the rows go back first; without a session the store refuses, naming Connect-OpenStack.
                if (allocations > 0 && (Session ?? Infrastructure.SessionStore.GetDefault()) != null)
                    store.Placement = new AllocationMover(CurrentSession.Placement);
                var statements = DatabaseRecoveryStore.RestoreStatements(journal, nova: true, neutron: journal.NeutronCommittedAt != null);
                string sql = string.Join(Environment.NewLine, statements.Select(s => s.Display));
                string description = $"Restore {journal.Instances.Count} instance(s) to '{journal.FailedHost}' on {target.Display} from {path} (journal state {journal.State}){(allocations > 0 ? $", putting {allocations} placement allocation(s) back on their providers first" : "")}. SQL:{Environment.NewLine}{sql}";
                if (!ShouldProcess(description, description + Environment.NewLine + "Rewrite these database rows?", "Restore-ServerDatabaseRecord"))
                    return;
                WriteObject(Run(ct => store.RestoreAsync(path, ct)));
            }
            catch (DatabaseRecoveryException e)
            {
                WriteError(Infrastructure.ErrorRecords.FromException(e, null, null)); // a full id: no operation before it
            }
            catch (Http.OpenStackApiException e)
            {
                WriteError(Infrastructure.ErrorRecords.FromException(e, "PlacementMoveAllocations", path)); // reading placement; nothing was restored
            }
        }
    }
}
