using System.Diagnostics;
using CustomerActors.Grains.Customers;
using CustomerActors.Grains.Interfaces.Customers;
using CustomerActors.Grains.Interfaces.Events;
using CustomerActors.Grains.Policy;

namespace CustomerActors.Benchmarks.Scenarios;

public sealed record CeilingSettings(int Customers, int Events, int WarmupEvents, int BatchSize, int Concurrency, int Seed, int Threads, double StatelessSeconds = 3);

/// <summary>
/// One stage of the ceiling: events/s over the stage's wall time, and the CPU time of the whole process per event
/// (every thread's, the collector's included), so that stages measured with different parallelism compare.
/// </summary>
public sealed record CeilingStage(string Stage, string Work, long Events, double Seconds, double EventsPerSecond, double CpuMicrosecondsPerEvent);

public sealed record CeilingFigures(int Threads, bool ServerCollector, IReadOnlyList<CeilingStage> Stages)
{
    /// <summary>The CPU time per event the machine's cores give at <paramref name="eventsPerSecond"/>.</summary>
    public static double BudgetMicroseconds(int cores, double eventsPerSecond) => Math.Round(cores * 1_000_000 / eventsPerSecond, 1);
}

/// <summary>
/// What ingest could reach on this machine if the platform did only part of its work per event, measured on the ingest
/// scenario's own traffic (same model, seed and batches), each stage in this process on all cores:
/// <list type="bullet">
/// <item><c>transport</c>: the batches posted over HTTP, as <c>ingest</c> posts them, to a <see cref="SinkServer"/> that
/// parses them with the platform's parser and applies nothing (the load generator's share is in it);</item>
/// <item><c>parse</c>: the platform's parser alone;</item>
/// <item><c>evaluate</c>: every event applied to its customer's state by the policy (<see cref="CustomerEvaluator.Apply"/>),
/// states kept decoded in memory, one thread per share of the customers as one activation per customer would;</item>
/// <item><c>grain-work</c>: what a grain call does in memory besides: the stored state decoded before and encoded after
/// each customer's events of a batch, each event's journal form and the turn's change record encoded.</item>
/// </list>
/// No storage, no runtime, no durability: each stage is an upper bound of the platform's ingest, not a figure of it.
/// Every stage first runs a warm-up stream of another seed (not recorded), so the JIT has done its work and, for the
/// policy stages, the customers have a history, as in the series' later ingest runs. The stages that keep no state run
/// their stream again until a few seconds have passed; the policy stages run theirs once (histories grow).
/// </summary>
public static class CeilingScenario
{
    public static async Task<CeilingFigures> RunAsync(CeilingSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var measured = Batches(settings, settings.Seed, settings.Events);
        var warmup = Batches(settings, settings.Seed + 1000, settings.WarmupEvents);
        var parser = new EventBatchParser(new TransactionEventReader(new EventRules(), TimeProvider.System));
        var stages = new List<CeilingStage>();

        // The stages that keep no state run their stream again until this much time has passed, so that a fast stage is
        // not measured over a fraction of a second.
        var statelessAtLeast = TimeSpan.FromSeconds(settings.StatelessSeconds);

        await using (var sink = await SinkServer.StartAsync().ConfigureAwait(false))
        {
            async Task<long> PostAsync(IReadOnlyList<byte[]> batches)
            {
                var ingest = new IngestSettings(sink.Url, settings.Customers, settings.Events, settings.BatchSize, settings.Concurrency, settings.Seed);
                var figures = await IngestScenario.RunAsync(ingest, batches).ConfigureAwait(false);
                return figures.FailedRequests == 0 ? figures.Accepted
                    : throw new InvalidOperationException($"The sink failed {figures.FailedRequests} requests.");
            }

            await PostAsync(warmup).ConfigureAwait(false);
            stages.Add(await MeasureAsync("transport", "HTTP batches parsed by the platform's parser, nothing applied (the generator included)",
                () => PostAsync(measured), statelessAtLeast).ConfigureAwait(false));
        }

        ParseAll(parser, warmup, settings.Threads);
        stages.Add(await MeasureAsync("parse", "the platform's parser alone",
            () => Task.Run(() => ParseAll(parser, measured, settings.Threads)), statelessAtLeast).ConfigureAwait(false));

        var policy = PolicyDocument.Default.Policy;
        var warmShares = Shares(parser, warmup, settings.Threads);
        var shares = Shares(parser, measured, settings.Threads);
        var now = DateTimeOffset.UtcNow;

        // A policy stage: fresh states (one map per thread), the warm-up stream applied to them, then the measured one, once.
        async Task<CeilingStage> PolicyStageAsync<TState>(string stage, string work, Action<Dictionary<string, TState>, string, List<TransactionEvent>> call)
        {
            var states = NewStates<TState>(settings.Threads);
            RunShares(warmShares, (thread, customer, events) => call(states[thread], customer, events));
            return await MeasureAsync(stage, work,
                () => Task.Run(() => RunShares(shares, (thread, customer, events) => call(states[thread], customer, events))), TimeSpan.Zero).ConfigureAwait(false);
        }

        stages.Add(await PolicyStageAsync<CustomerState>("evaluate", "the policy applied to each event, states kept decoded",
            (states, customer, events) => Evaluate(states, customer, events, policy, now)).ConfigureAwait(false));
        stages.Add(await PolicyStageAsync<byte[]>("grain-work", "evaluate, plus the state decoded and encoded per call and the journal forms encoded",
            (states, customer, events) => Call(states, customer, events, policy, now)).ConfigureAwait(false));

        return new CeilingFigures(settings.Threads, System.Runtime.GCSettings.IsServerGC, stages);
    }

    private static IReadOnlyList<byte[]> Batches(CeilingSettings settings, int seed, int events) => IngestScenario.Generate(
        new IngestSettings(new Uri("http://127.0.0.1"), settings.Customers, events, settings.BatchSize, settings.Concurrency, seed), $"ceil{seed}");

    /// <summary>
    /// Runs <paramref name="pass"/> (which returns the events it handled) until <paramref name="atLeast"/> has passed, at
    /// least once, and divides the wall time and the process's CPU time by the events handled. A stage that keeps state
    /// (its customers' histories grow) passes <see cref="TimeSpan.Zero"/>: its stream runs once.
    /// </summary>
    private static async Task<CeilingStage> MeasureAsync(string stage, string work, Func<Task<long>> pass, TimeSpan atLeast)
    {
        using var process = Process.GetCurrentProcess();
        GC.Collect();
        GC.WaitForPendingFinalizers();
        process.Refresh();
        var cpuBefore = process.TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        long events = 0;
        do
        {
            events += await pass().ConfigureAwait(false);
        }
        while (clock.Elapsed < atLeast);

        var seconds = clock.Elapsed.TotalSeconds;
        process.Refresh();
        var cpu = process.TotalProcessorTime - cpuBefore;
        return new CeilingStage(stage, work, events, Math.Round(seconds, 3), Math.Round(events / seconds), Math.Round(cpu.TotalMicroseconds / events, 1));
    }

    /// <summary>Parses every batch on <paramref name="threads"/> threads; the events parsed.</summary>
    private static long ParseAll(EventBatchParser parser, IReadOnlyList<byte[]> batches, int threads)
    {
        var next = -1;
        long events = 0;
        Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, _ =>
        {
            int index;
            while ((index = Interlocked.Increment(ref next)) < batches.Count)
            {
                var (batch, failure) = parser.ParseJson(batches[index], maxEvents: 100_000);
                if (batch is null)
                {
                    throw new InvalidOperationException($"Batch {index} did not parse: {failure?.Message}");
                }

                Interlocked.Add(ref events, batch.Items.Count);
            }
        });
        return events;
    }

    /// <summary>
    /// Each batch's valid events grouped per customer, in order, and the groups dealt to <paramref name="threads"/>
    /// shares by customer (a customer always in the same share): share[thread][batch] lists that thread's customers of
    /// the batch. Done before a stage is measured, as the grouping is not what the stages compare.
    /// </summary>
    private static List<(string Customer, List<TransactionEvent> Events)>[][] Shares(EventBatchParser parser, IReadOnlyList<byte[]> batches, int threads)
    {
        var shares = new List<(string, List<TransactionEvent>)>[threads][];
        for (var thread = 0; thread < threads; thread++)
        {
            shares[thread] = new List<(string, List<TransactionEvent>)>[batches.Count];
        }

        for (var b = 0; b < batches.Count; b++)
        {
            var byCustomer = new Dictionary<string, List<TransactionEvent>>(StringComparer.Ordinal);
            foreach (var item in parser.ParseJson(batches[b], maxEvents: 100_000).Batch!.Items)
            {
                if (item.Event is { } valid)
                {
                    if (!byCustomer.TryGetValue(valid.CustomerId, out var events))
                    {
                        byCustomer[valid.CustomerId] = events = [];
                    }

                    events.Add(valid);
                }
            }

            for (var thread = 0; thread < threads; thread++)
            {
                shares[thread][b] = [];
            }

            foreach (var (customer, events) in byCustomer)
            {
                shares[ShareOf(customer, threads)][b].Add((customer, events));
            }
        }

        return shares;
    }

    internal static int ShareOf(string customer, int threads) => (int)((uint)StringComparer.Ordinal.GetHashCode(customer) % (uint)threads);

    private static Dictionary<string, T>[] NewStates<T>(int threads) =>
        [.. Enumerable.Range(0, threads).Select(_ => new Dictionary<string, T>(StringComparer.Ordinal))];

    /// <summary>Each share on a thread of its own, its customers' calls in batch order; the events applied.</summary>
    private static long RunShares(List<(string Customer, List<TransactionEvent> Events)>[][] shares, Action<int, string, List<TransactionEvent>> call)
    {
        long applied = 0;
        Parallel.For(0, shares.Length, new ParallelOptions { MaxDegreeOfParallelism = shares.Length }, thread =>
        {
            long mine = 0;
            foreach (var batch in shares[thread])
            {
                foreach (var (customer, events) in batch)
                {
                    call(thread, customer, events);
                    mine += events.Count;
                }
            }

            Interlocked.Add(ref applied, mine);
        });
        return applied;
    }

    private static void Evaluate(Dictionary<string, CustomerState> states, string customer, List<TransactionEvent> events, CustomerPolicy policy, DateTimeOffset now)
    {
        if (!states.TryGetValue(customer, out var state))
        {
            states[customer] = state = new CustomerState();
        }

        foreach (var transactionEvent in events)
        {
            CustomerEvaluator.Apply(state, transactionEvent, policy, now);
        }
    }

    /// <summary>One grain call's work in memory: decode the stored state, apply the events, encode what the commit would write.</summary>
    internal static void Call(Dictionary<string, byte[]> stored, string customer, List<TransactionEvent> events, CustomerPolicy policy, DateTimeOffset now)
    {
        var state = stored.TryGetValue(customer, out var bytes) ? CustomerStateCodec.Instance.DeserializeKept(bytes) : new CustomerState();
        var changes = new List<DecisionChange>();
        foreach (var transactionEvent in events)
        {
            changes.AddRange(CustomerEvaluator.Apply(state, transactionEvent, policy, now).Changes);
            _ = TransactionEventCodec.Serialize(transactionEvent);
        }

        if (changes.Count > 0)
        {
            state.ChangeCount += changes.Count;
            _ = DecisionChangesCodec.Serialize(changes);
        }

        stored[customer] = CustomerStateCodec.Instance.Serialize(state);
    }
}
