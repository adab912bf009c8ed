namespace OpenStackOps.Configuration
{
    /// <summary>The Keystone v3 methods OpenStackOps authenticates with.</summary>
    public enum AuthMethod
    {
        Password,
        ApplicationCredential,
        Token,
    }
}
