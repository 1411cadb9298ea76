using System.Collections.Concurrent;
using System.Diagnostics;
using CustomerActors.Grains.Customers;
using CustomerActors.Grains.Interfaces.Customers;
using CustomerActors.Grains.Policy;
using CustomerActors.Runtime.Storage;

namespace CustomerActors.Silo.Policy;

/// <summary>
/// What-if before activation: evaluates every stored customer with the active and with a candidate policy at
/// the same moment and counts what would differ. Reads stored state only; changes nothing.
/// </summary>
public sealed class PolicyDryRun(IGrainStorage storage, CustomerPolicyProvider provider, TimeProvider time)
{
    public const int MaxExamples = 20;
    private const int PageSize = 2000;

    public async Task<DryRunReport> RunAsync(PolicyDocument candidate, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        var started = Stopwatch.GetTimestamp();
        var active = provider.Current;
        var now = time.GetUtcNow();
        var counts = new ConcurrentDictionary<(string Decision, string? From, string? To), Counter>();
        long customers = 0;
        var afterKey = "";
        while (true)
        {
            var page = await storage.ReadStatesAsync(CustomerGrain.TypeName, afterKey, PageSize, cancellationToken).ConfigureAwait(false);
            Parallel.ForEach(page, new ParallelOptions { CancellationToken = cancellationToken }, row =>
            {
                var current = Evaluate(row.Payload, active, now);
                var proposed = Evaluate(row.Payload, candidate.Policy, now);
                Compare("tiers", current.Tiers, proposed.Tiers, row.Key, counts);
                Compare("tags", current.Tags, proposed.Tags, row.Key, counts);
                Compare("riskFlags", current.RiskFlags, proposed.RiskFlags, row.Key, counts);
                Interlocked.Increment(ref customers);
            });

            if (page.Count < PageSize)
            {
                break;
            }

            afterKey = page[^1].Key;
        }

        var changes = counts
            .GroupBy(c => c.Key.Decision, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .ToDictionary(
                g => g.Key,
                g => (IReadOnlyList<ChangeCount>)[.. g.OrderByDescending(c => c.Value.Count).Select(c => c.Value.ToChange(c.Key.From, c.Key.To))],
                StringComparer.Ordinal);
        return new DryRunReport(active.Version, candidate.Version, now, customers, changes, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    }

    private static CustomerState Evaluate(byte[] payload, CustomerPolicy policy, DateTimeOffset now)
    {
        var state = CustomerStateCodec.Instance.Deserialize(payload);
        CustomerEvaluator.Evaluate(state, policy, now, CustomerEvaluator.PolicyReason);
        return state;
    }

    private static void Compare(string kind, Dictionary<string, Decision> current, Dictionary<string, Decision> proposed, string customer,
        ConcurrentDictionary<(string, string?, string?), Counter> counts)
    {
        foreach (var name in current.Keys.Union(proposed.Keys))
        {
            var from = current.GetValueOrDefault(name)?.Value;
            var to = proposed.GetValueOrDefault(name)?.Value;
            if (from != to)
            {
                counts.GetOrAdd(($"{kind}.{name}", from, to), _ => new Counter()).Add(customer);
            }
        }
    }

    private sealed class Counter
    {
        private readonly List<string> _examples = [];
        private long _count;

        public long Count => Interlocked.Read(ref _count);

        public void Add(string customer)
        {
            Interlocked.Increment(ref _count);
            lock (_examples)
            {
                if (_examples.Count < MaxExamples)
                {
                    _examples.Add(customer);
                }
            }
        }

        public ChangeCount ToChange(string? from, string? to)
        {
            lock (_examples)
            {
                return new ChangeCount(from, to, Count, [.. _examples.Order(StringComparer.Ordinal)]);
            }
        }
    }
}
