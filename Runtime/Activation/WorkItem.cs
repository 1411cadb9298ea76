using System.Reflection;

namespace CustomerActors.Runtime.Activation;

/// <summary>One message in an activation's mailbox.</summary>
/// <remarks>
/// A turn is started by <see cref="Start"/> and awaited by the activation itself, which then hands its outcome to
/// <see cref="Complete"/>: no async method of the message's own stays alive for the turn. A call waiting for its commit
/// keeps everything it holds alive through the collections meanwhile, so each object per call in flight is copied again
/// by each of them.
/// </remarks>
internal interface IWorkItem
{
    /// <summary>Starts the turn on the grain instance and returns its task: the turn lasts until that task completes.</summary>
    Task Start(Grain grain);

    /// <summary>Hands the completed turn's result or exception to the caller.</summary>
    void Complete(Task turn);

    /// <summary>Fails the caller without running the turn, or when the turn could not start.</summary>
    void Fail(Exception exception);
}

/// <summary>A call through a grain interface: the message and the caller's task in one object.</summary>
internal abstract class GrainCall<TResult>() : TaskCompletionSource<TResult>(TaskCreationOptions.RunContinuationsAsynchronously), IWorkItem
{
    public abstract Task Start(Grain grain);

    public void Complete(Task turn)
    {
        if (turn.IsCompletedSuccessfully)
        {
            TrySetResult(ResultOf(turn));
        }
        else if (turn.IsCanceled)
        {
            TrySetCanceled();
        }
        else
        {
            TrySetException(turn.Exception!.InnerExceptions);
        }
    }

    public void Fail(Exception exception) => TrySetException(exception);

    /// <summary>The result of a turn that completed successfully.</summary>
    protected virtual TResult ResultOf(Task turn) => ((Task<TResult>)turn).Result;
}

/// <summary>A call given as a delegate over the grain instance.</summary>
internal sealed class DelegateCall<TResult>(Func<Grain, Task<TResult>> call) : GrainCall<TResult>
{
    public override Task Start(Grain grain) => call(grain);
}

/// <summary>A call of a grain interface's method returning <see cref="Task{TResult}"/>, with the reference's arguments.</summary>
internal sealed class MethodCall<TResult>(MethodInfo method, object?[]? args) : GrainCall<TResult>
{
    public override Task Start(Grain grain) => MethodCall.Invoke(method, grain, args);
}

/// <summary>A call of a grain interface's method returning <see cref="Task"/>; the caller's task completes with true.</summary>
internal sealed class MethodCall(MethodInfo method, object?[]? args) : GrainCall<bool>
{
    public override Task Start(Grain grain) => Invoke(method, grain, args);

    protected override bool ResultOf(Task turn) => true;

    internal static Task Invoke(MethodInfo method, Grain grain, object?[]? args) =>
        (Task)method.Invoke(grain, BindingFlags.DoNotWrapExceptions, binder: null, args, culture: null)!;
}

/// <summary>A request to deactivate, queued behind the calls already in the mailbox.</summary>
internal sealed class DeactivationRequest(DeactivationReason reason, long? onlyIfIdleSince) : IWorkItem
{
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public DeactivationReason Reason => reason;

    /// <summary>When set, the activation is kept if a call arrived after this timestamp.</summary>
    public long? OnlyIfIdleSince => onlyIfIdleSince;

    public Task Task => _completion.Task;

    public void Complete() => _completion.TrySetResult();

    public Task Start(Grain grain) => throw new InvalidOperationException("Deactivation is handled by the activation itself.");

    public void Complete(Task turn) => Complete();

    public void Fail(Exception exception) => _completion.TrySetResult();
}
