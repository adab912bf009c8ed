using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using OpenStackOps.Http;

namespace OpenStackOps.Tests.Fakes
{
    /// <summary>Hands out tokens from a list: the next one after each Invalidate, like a real renewal.</summary>
    public sealed class StaticTokenSource : ITokenSource
    {
        private readonly Queue<string> _next;
        private string _current;

        public StaticTokenSource(params string[] tokens)
        {
            _next = new Queue<string>(tokens);
            _current = _next.Dequeue();
        }

        public List<string> Invalidated { get; } = new List<string>();

        public Task<string> GetTokenAsync(CancellationToken ct) => Task.FromResult(_current);

        public void Invalidate(string token)
        {
            Invalidated.Add(token);
            if (token == _current && _next.Count > 0) _current = _next.Dequeue();
        }
    }
}
