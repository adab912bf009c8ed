using System.Text.Json.Nodes;

namespace OpenStackOps.Http
{
    /// <summary>A successful API answer: status, parsed JSON body (null when empty) and the request id.</summary>
    public sealed class ApiResponse
    {
        public ApiResponse(int statusCode, JsonNode? body, string? requestId, string? location)
        {
            StatusCode = statusCode;
            Body = body;
            RequestId = requestId;
            Location = location;
        }

        public int StatusCode { get; }
        public JsonNode? Body { get; }
        public string? RequestId { get; }
        /// <summary>The Location header, which some actions (evacuate, create) use to point at the result.</summary>
        public string? Location { get; }
    }
}
