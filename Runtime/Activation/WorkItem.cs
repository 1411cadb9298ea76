namespace CustomerActors.Runtime.Activation;

/// <summary>One message in an activation's mailbox.</summary>
internal abstract class WorkItem
{
    /// <summary>Runs the turn on the grain instance; completes when the turn (including its awaits) is over.</summary>
    public abstract Task ExecuteAsync(Grain grain);

    /// <summary>Fails the caller without running the turn.</summary>
    public abstract void Fail(Exception exception);
}

/// <summary>A call through a grain interface, with the caller's task.</summary>
internal sealed class GrainCall<TResult>(Func<Grain, Task<TResult>> call) : WorkItem
{
    private readonly TaskCompletionSource<TResult> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task<TResult> Task => _completion.Task;

    public override async Task ExecuteAsync(Grain grain)
    {
        try
        {
            _completion.TrySetResult(await call(grain).ConfigureAwait(false));
        }
#pragma warning disable CA1031 // The exception is the call's result: it is handed to the caller, not swallowed.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            _completion.TrySetException(ex);
        }
    }

    public override void Fail(Exception exception) => _completion.TrySetException(exception);
}

/// <summary>A request to deactivate, queued behind the calls already in the mailbox.</summary>
internal sealed class DeactivationRequest(DeactivationReason reason, long? onlyIfIdleSince) : WorkItem
{
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public DeactivationReason Reason => reason;

    /// <summary>When set, the activation is kept if a call arrived after this timestamp.</summary>
    public long? OnlyIfIdleSince => onlyIfIdleSince;

    public Task Task => _completion.Task;

    public void Complete() => _completion.TrySetResult();

    public override Task ExecuteAsync(Grain grain) => throw new InvalidOperationException("Deactivation is handled by the activation itself.");

    public override void Fail(Exception exception) => _completion.TrySetResult();
}
