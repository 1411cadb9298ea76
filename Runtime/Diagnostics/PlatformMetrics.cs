using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using CustomerActors.Runtime.Activation;

namespace CustomerActors.Runtime.Diagnostics;

/// <summary>
/// The platform's one <see cref="Meter"/> (<c>CustomerActors</c>): events in by source and outcome, dead
/// letters, broker acks, outbox backlog per publisher, storage commit latency, resident activations and (on Linux) the
/// bytes the process has read from and written to storage devices.
/// Exported at <c>/metrics</c> by the gateway and readable with <c>dotnet-counters monitor -n CustomerActors.Gateway --counters CustomerActors</c>.
/// </summary>
public sealed class PlatformMetrics
{
    public const string MeterName = "CustomerActors";

    private readonly ConcurrentDictionary<string, long> _outboxBacklog = new(StringComparer.Ordinal);
    private readonly Counter<long> _accepted;
    private readonly Counter<long> _duplicates;
    private readonly Counter<long> _rejected;
    private readonly Counter<long> _deadLettered;
    private readonly Counter<long> _acks;
    private readonly Counter<long> _published;
    private readonly Histogram<double> _commitDuration;
    private readonly Histogram<long> _commitBatchSize;

    public PlatformMetrics(IMeterFactory meterFactory, ActivationCatalog activations)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        ArgumentNullException.ThrowIfNull(activations);
        var meter = meterFactory.Create(MeterName);
        _accepted = meter.CreateCounter<long>("customeractors.events.accepted", "{event}", "Events applied for the first time (tag source: http | rabbitmq).");
        _duplicates = meter.CreateCounter<long>("customeractors.events.duplicates", "{event}", "Events delivered again and recognised by their event id.");
        _rejected = meter.CreateCounter<long>("customeractors.events.rejected", "{event}", "Events that failed validation.");
        _deadLettered = meter.CreateCounter<long>("customeractors.messages.dead_lettered", "{message}", "Broker messages sent to the dead-letter queue (tag reason: not_json | invalid_event | processing_failed).");
        _acks = meter.CreateCounter<long>("customeractors.messages.acked", "{message}", "Broker messages acknowledged after their effects were durable.");
        _published = meter.CreateCounter<long>("customeractors.outbox.published", "{message}", "Outbox messages confirmed by a publisher (tag publisher).");
        _commitDuration = meter.CreateHistogram("customeractors.storage.commit.duration", "ms", "Time to commit one group-commit transaction.",
            tags: null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.25, 0.5, 1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 4096] });
        _commitBatchSize = meter.CreateHistogram("customeractors.storage.commit.writes", "{write}", "Grain state writes committed in one transaction.",
            tags: null, advice: new InstrumentAdvice<long> { HistogramBucketBoundaries = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096] });
        meter.CreateObservableGauge("customeractors.outbox.backlog", ObserveBacklog, "{message}", "Committed outbox messages a publisher has not yet published (tag publisher).");
        meter.CreateObservableUpDownCounter("customeractors.activations", () => (long)activations.Count, "{activation}", "Resident grain activations.");
        if (ProcessDiskIo.Read() is not null)
        {
            meter.CreateObservableCounter("process.disk.io", ObserveDiskIo, "By",
                "Bytes this process caused to be read from and written to storage devices (tag disk.io.direction: read | write; Linux).");
        }
    }

    public void EventsIngested(string source, int accepted, int duplicates, int rejected)
    {
        var tag = new KeyValuePair<string, object?>("source", source);
        Add(_accepted, accepted, tag);
        Add(_duplicates, duplicates, tag);
        Add(_rejected, rejected, tag);
    }

    public void DeadLettered(string reason) => _deadLettered.Add(1, new KeyValuePair<string, object?>("reason", reason));

    public void Acked(int messages) => Add(_acks, messages, new KeyValuePair<string, object?>("source", "rabbitmq"));

    public void Published(string publisher, int messages) => Add(_published, messages, new KeyValuePair<string, object?>("publisher", publisher));

    public void OutboxBacklog(string publisher, long messages) => _outboxBacklog[publisher] = Math.Max(0, messages);

    public void Committed(int writes, TimeSpan duration)
    {
        _commitDuration.Record(duration.TotalMilliseconds);
        _commitBatchSize.Record(writes);
    }

    private IEnumerable<Measurement<long>> ObserveBacklog() =>
        _outboxBacklog.Select(p => new Measurement<long>(p.Value, new KeyValuePair<string, object?>("publisher", p.Key)));

    private static IEnumerable<Measurement<long>> ObserveDiskIo() => ProcessDiskIo.Read() is { } io
        ?
        [
            new(io.ReadBytes, new KeyValuePair<string, object?>("disk.io.direction", "read")),
            new(io.WrittenBytes, new KeyValuePair<string, object?>("disk.io.direction", "write")),
        ]
        : [];

    private static void Add(Counter<long> counter, int value, KeyValuePair<string, object?> tag)
    {
        if (value > 0)
        {
            counter.Add(value, tag);
        }
    }
}
