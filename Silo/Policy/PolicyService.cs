using System.Collections.Concurrent;
using System.Text.Json;
using CustomerActors.Grains.Customers;
using CustomerActors.Grains.Interfaces.Abstractions;
using CustomerActors.Grains.Interfaces.Customers;
using CustomerActors.Grains.Policy;
using CustomerActors.Runtime.Persistence;
using CustomerActors.Runtime.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CustomerActors.Silo.Policy;

/// <summary>The outcome of a policy change request.</summary>
public sealed record PolicyChange(PolicyDocument? Activated, IReadOnlyList<PolicyError> Errors, string? Conflict)
{
    public string? RolloutId => Activated is null ? null : RolloutProgress.IdOf(Activated.Version);
}

/// <summary>
/// The policy lifecycle. Every version is stored; a new version is validated, stored, and swapped in at once
/// without a restart; then every stored customer is re-evaluated in the background, so a downgrade takes
/// effect for idle customers too. At start the newest of the stored versions and the configured file wins,
/// and an unfinished rollout is run again (re-evaluation is idempotent).
/// </summary>
public sealed partial class PolicyService(
    CustomerPolicyProvider provider,
    IDocumentStore documents,
    IGrainStorage storage,
    IGrainFactory grains,
    TimeProvider time,
    ILogger<PolicyService> logger) : BackgroundService
{
    public const string PolicyKind = "customer-policy";
    public const string RolloutKind = "customer-policy-rollout";
    private const int PageSize = 1000;
    private const int Parallelism = 64;

    private readonly ConcurrentDictionary<string, RolloutProgress> _rollouts = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _changes = new(1, 1);
    private CancellationToken _stopping;

    /// <summary>Validates and activates a new version. <paramref name="json"/>'s version must be the active one (the one read).</summary>
    public async Task<PolicyChange> ChangeAsync(string json, CancellationToken cancellationToken)
    {
        var (candidate, errors) = PolicyDocument.Parse(json);
        if (candidate is null)
        {
            return new PolicyChange(null, errors, null);
        }

        await _changes.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var active = provider.Active;
            if (candidate.Version != active.Version)
            {
                return new PolicyChange(null, [], $"the document is based on version {candidate.Version}, but version {active.Version} is active: GET /v1/policy, apply your edit, and PUT again");
            }

            var next = candidate.WithVersion(active.Version + 1);
            if (!await documents.TryAddAsync(PolicyKind, new StoredDocument(next.Version, next.Json, time.GetUtcNow()), cancellationToken).ConfigureAwait(false))
            {
                return new PolicyChange(null, [], $"version {next.Version} was stored by another process meanwhile: GET /v1/policy and try again");
            }

            Activate(next);
            return new PolicyChange(next, [], null);
        }
        finally
        {
            _changes.Release();
        }
    }

    public Task<IReadOnlyList<DocumentVersion>> ListVersionsAsync(CancellationToken cancellationToken) =>
        documents.ListAsync(PolicyKind, 1000, cancellationToken);

    public Task<StoredDocument?> ReadVersionAsync(int version, CancellationToken cancellationToken) =>
        documents.ReadAsync(PolicyKind, version, cancellationToken);

    public async Task<RolloutProgress?> GetRolloutAsync(string id, CancellationToken cancellationToken)
    {
        if (_rollouts.TryGetValue(id, out var progress))
        {
            return progress;
        }

        if (!id.StartsWith('v') || !int.TryParse(id.AsSpan(1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var version))
        {
            return null;
        }

        var stored = await documents.ReadAsync(RolloutKind, version, cancellationToken).ConfigureAwait(false);
        return stored is null ? null : JsonSerializer.Deserialize(stored.Body, SiloJsonContext.Default.RolloutProgress);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        _stopping = stoppingToken;
        var delay = TimeSpan.FromMilliseconds(200);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await SynchronizeAsync(stoppingToken).ConfigureAwait(false);
                return;
            }
            catch (StorageUnavailableException)
            {
                await Task.Delay(delay, time, stoppingToken).ConfigureAwait(false);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(10).Ticks));
            }
        }
    }

    /// <summary>At start: the newest of stored and configured policy wins; an unfinished rollout runs again.</summary>
    private async Task SynchronizeAsync(CancellationToken cancellationToken)
    {
        await _changes.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var configured = provider.Active;
            var stored = await documents.ReadLatestAsync(PolicyKind, cancellationToken).ConfigureAwait(false);
            if (stored is null || stored.Version < configured.Version)
            {
                await documents.TryAddAsync(PolicyKind, new StoredDocument(configured.Version, configured.Json, time.GetUtcNow()), cancellationToken).ConfigureAwait(false);
            }
            else if (stored.Version > configured.Version && PolicyDocument.Parse(stored.Body).Document is { } newer)
            {
                provider.Activate(newer);
                LogActivated(newer.Version, "stored");
            }
        }
        finally
        {
            _changes.Release();
        }

        var active = provider.Active;
        if (await documents.ReadAsync(RolloutKind, active.Version, cancellationToken).ConfigureAwait(false) is null && active.Version > 1)
        {
            StartRollout(active.Version);
        }
    }

    private void Activate(PolicyDocument document)
    {
        provider.Activate(document);
        LogActivated(document.Version, "changed");
        StartRollout(document.Version);
    }

    private void StartRollout(int version)
    {
        var progress = new RolloutProgress
        {
            Id = RolloutProgress.IdOf(version), PolicyVersion = version, Status = "running",
            Customers = 0, Changed = 0, Failed = 0, StartedAt = time.GetUtcNow(),
        };
        _rollouts[progress.Id] = progress;
        _ = Task.Run(() => RolloutAsync(progress, _stopping), CancellationToken.None);
    }

    private async Task RolloutAsync(RolloutProgress progress, CancellationToken cancellationToken)
    {
        long customers = 0, changed = 0, failed = 0;
        var afterKey = "";
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                if (provider.Active.Version != progress.PolicyVersion)
                {
                    Publish(progress with { Status = "superseded", Customers = customers, Changed = changed, Failed = failed, CompletedAt = time.GetUtcNow() });
                    return;
                }

                var page = await storage.ReadStatesAsync(CustomerGrain.TypeName, afterKey, PageSize, cancellationToken).ConfigureAwait(false);
                await Parallel.ForEachAsync(page, new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken }, async (row, _) =>
                {
                    try
                    {
                        if (await grains.GetGrain<ICustomerGrain>(row.Key).ReevaluateAsync().ConfigureAwait(false) > 0)
                        {
                            Interlocked.Increment(ref changed);
                        }
                    }
                    catch (Exception ex) when (ex is StorageUnavailableException or InconsistentStateException)
                    {
                        Interlocked.Increment(ref failed); // catches up at its next event or due time
                    }

                    Interlocked.Increment(ref customers);
                }).ConfigureAwait(false);

                Publish(progress with { Customers = customers, Changed = changed, Failed = failed });
                if (page.Count < PageSize)
                {
                    break;
                }

                afterKey = page[^1].Key;
            }

            var done = progress with { Status = "completed", Customers = customers, Changed = changed, Failed = failed, CompletedAt = time.GetUtcNow() };
            Publish(done);
            await documents.TryAddAsync(RolloutKind, new StoredDocument(done.PolicyVersion, JsonSerializer.Serialize(done, SiloJsonContext.Default.RolloutProgress), time.GetUtcNow()), CancellationToken.None)
                .ConfigureAwait(false);
            LogRolloutCompleted(done.PolicyVersion, customers, changed, failed);
        }
        catch (Exception ex) when (ex is OperationCanceledException or StorageUnavailableException or Runtime.Activation.SiloUnavailableException)
        {
            // Stopping or store down: the rollout runs again at the next start, as it was not recorded complete.
            LogRolloutInterrupted(progress.PolicyVersion, ex.Message);
        }
#pragma warning disable CA1031 // Not hidden: logged, and the rollout's status says failed; it runs again at the next start.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            LogRolloutFailed(progress.PolicyVersion, ex);
            Publish(progress with { Status = "failed", Customers = customers, Changed = changed, Failed = failed, CompletedAt = time.GetUtcNow() });
        }
    }

    private void Publish(RolloutProgress progress) => _rollouts[progress.Id] = progress;

    public override void Dispose()
    {
        _changes.Dispose();
        base.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Policy version {Version} active ({Source})")]
    private partial void LogActivated(int version, string source);

    [LoggerMessage(Level = LogLevel.Information, Message = "Policy version {Version} rolled out: {Customers} customers, {Changed} changed, {Failed} failed")]
    private partial void LogRolloutCompleted(int version, long customers, long changed, long failed);

    [LoggerMessage(Level = LogLevel.Error, Message = "Rollout of policy version {Version} failed")]
    private partial void LogRolloutFailed(int version, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Rollout of policy version {Version} interrupted: {Reason}")]
    private partial void LogRolloutInterrupted(int version, string reason);
}
