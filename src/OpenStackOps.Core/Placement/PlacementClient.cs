using OpenStackOps.Http;

namespace OpenStackOps.Placement
{
    /// <summary>
    /// Placement: the providers and what each holds, and one consumer's allocations read and replaced (the database
    /// path moves a server's allocation with its rows). Reading a provider's allocations costs one call per
    /// provider, so checks that need every allocation grow with the hosts, not with the servers.
    /// </summary>
    public sealed class PlacementClient
    {
        public PlacementClient(ServiceClient http) => Http = http;

        public ServiceClient Http { get; }

        /// <summary>GET /resource_providers (1.0: one page, placement does not page providers).</summary>
        public async Task<IReadOnlyList<ResourceProvider>> ListProvidersAsync(CancellationToken ct)
        {
            var response = await Http.GetAsync("resource_providers", ct).ConfigureAwait(false);
            var providers = new List<ResourceProvider>();
            foreach (var p in response.Body.Arr("resource_providers") ?? new System.Text.Json.Nodes.JsonArray())
                providers.Add(new ResourceProvider { Uuid = p.Str("uuid")!, Name = p.Str("name") });
            return providers;
        }

        /// <summary>
        /// A provider's inventories and usages (GET …/inventories and …/usages): what it has, what is reserved,
        /// the allocation ratios and what is allocated, per resource class.
        /// </summary>
        public async Task<IReadOnlyList<ResourceCapacity>> GetCapacityAsync(ResourceProvider provider, CancellationToken ct)
        {
            string root = "resource_providers/" + Json.Escape(provider.Uuid);
            var inventories = await Http.GetAsync(root + "/inventories", ct).ConfigureAwait(false);
            var usages = await Http.GetAsync(root + "/usages", ct).ConfigureAwait(false);
            var used = usages.Body?["usages"] as System.Text.Json.Nodes.JsonObject;
            var found = new List<ResourceCapacity>();
            if (inventories.Body?["inventories"] is System.Text.Json.Nodes.JsonObject byClass)
                foreach (var c in byClass)
                    found.Add(new ResourceCapacity
                    {
                        ResourceClass = c.Key,
                        Total = c.Value.Long("total") ?? 0,
                        Reserved = c.Value.Long("reserved") ?? 0,
                        AllocationRatio = c.Value?["allocation_ratio"]?.GetValue<double>() ?? 1.0,
                        MaxUnit = c.Value.Long("max_unit") ?? 0,
                        Used = used?[c.Key]?.GetValue<long>() ?? 0,
                    });
            return found;
        }

        /// <summary>GET /resource_providers/{uuid}/allocations: every consumer's share on that provider.</summary>
        public async Task<IReadOnlyList<ConsumerAllocation>> ListProviderAllocationsAsync(ResourceProvider provider, CancellationToken ct)
        {
            var response = await Http.GetAsync("resource_providers/" + Json.Escape(provider.Uuid) + "/allocations", ct).ConfigureAwait(false);
            var found = new List<ConsumerAllocation>();
            if (response.Body?["allocations"] is System.Text.Json.Nodes.JsonObject byConsumer)
                foreach (var consumer in byConsumer)
                {
                    var resources = new Dictionary<string, long>();
                    if (consumer.Value?["resources"] is System.Text.Json.Nodes.JsonObject r)
                        foreach (var kv in r) resources[kv.Key] = kv.Value?.GetValue<long>() ?? 0;
                    found.Add(new ConsumerAllocation { ConsumerUuid = consumer.Key, ProviderUuid = provider.Uuid, ProviderName = provider.Name, Resources = resources });
                }
            return found;
        }

        /// <summary>The microversion of the consumer calls: 1.28 adds consumer generations, so a PUT cannot overwrite a change it did not see.</summary>
        public const string ConsumerGenerationVersion = "1.28";

        /// <summary>GET /allocations/{consumer} (1.28): every provider's share of one consumer, with its generation.</summary>
        public async Task<ConsumerAllocations> GetConsumerAllocationsAsync(string consumer, CancellationToken ct)
        {
            var r = await Http.GetAsync("allocations/" + Json.Escape(consumer), ct, ConsumerGenerationVersion).ConfigureAwait(false);
            var found = new ConsumerAllocations
            {
                ConsumerUuid = consumer, ProjectId = r.Body.Str("project_id"), UserId = r.Body.Str("user_id"),
                ConsumerGeneration = r.Body.Long("consumer_generation"),
            };
            if (r.Body?["allocations"] is System.Text.Json.Nodes.JsonObject byProvider)
                foreach (var p in byProvider)
                {
                    var resources = new Dictionary<string, long>();
                    if (p.Value?["resources"] is System.Text.Json.Nodes.JsonObject res)
                        foreach (var kv in res) resources[kv.Key] = kv.Value?.GetValue<long>() ?? 0;
                    found.Providers[p.Key] = resources;
                }
            return found;
        }

        /// <summary>
        /// PUT /allocations/{consumer} (1.28): replaces the consumer's allocations with <paramref name="providers"/>, quoting
        /// <paramref name="consumerGeneration"/>; placement answers 409 (an <see cref="OpenStackApiException"/> of kind
        /// Conflict) when the consumer changed since it was read, or when a provider lacks the room.
        /// </summary>
        public Task PutConsumerAllocationsAsync(string consumer, IDictionary<string, Dictionary<string, long>> providers,
            string? projectId, string? userId, long? consumerGeneration, CancellationToken ct)
        {
            var allocations = new System.Text.Json.Nodes.JsonObject();
            foreach (var p in providers)
            {
                var resources = new System.Text.Json.Nodes.JsonObject();
                foreach (var r in p.Value) resources[r.Key] = r.Value;
                allocations[p.Key] = new System.Text.Json.Nodes.JsonObject { ["resources"] = resources };
            }
            var body = new System.Text.Json.Nodes.JsonObject
            {
                ["allocations"] = allocations, ["project_id"] = projectId, ["user_id"] = userId, ["consumer_generation"] = consumerGeneration,
            };
            return Http.PutAsync("allocations/" + Json.Escape(consumer), body, ct, ConsumerGenerationVersion, 204);
        }
    }
}
