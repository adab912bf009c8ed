namespace OpenStackOps.Recovery
{
    /// <summary>What an evacuation does to a server's data: it rebuilds the server on another host.</summary>
    public enum DataFate
    {
        /// <summary>Boots from a Cinder volume: the root disk is reattached as it is.</summary>
        KeptBootVolume,
        /// <summary>Ephemeral disk on shared instance storage (the operator says so): the same files are used.</summary>
        KeptSharedStorage,
        /// <summary>Ephemeral disk on the failed host's local storage: rebuilt from the image, everything written since is lost.</summary>
        LostRebuiltFromImage,
    }
}
