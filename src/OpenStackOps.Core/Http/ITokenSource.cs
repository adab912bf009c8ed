namespace OpenStackOps.Http
{
    /// <summary>Hands out a valid token; renews it before it expires and after the cloud refuses it.</summary>
    public interface ITokenSource
    {
        Task<string> GetTokenAsync(CancellationToken cancellationToken);

        /// <summary>The cloud answered 401 to <paramref name="token"/>: drop it so the next call authenticates again.</summary>
        void Invalidate(string token);
    }
}
