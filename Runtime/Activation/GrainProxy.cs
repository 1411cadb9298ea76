using System.Collections.Concurrent;
using System.Reflection;
using CustomerActors.Runtime.Identity;

namespace CustomerActors.Runtime.Activation;

/// <summary>
/// A grain reference: implements the grain interface and turns each call into a message for the grain's
/// activation. Built on <see cref="DispatchProxy"/>; one invoker per interface method is created once and cached.
/// </summary>
#pragma warning disable CA1852 // DispatchProxy derives a type from this class at run time: it cannot be sealed.
public class GrainProxy : DispatchProxy
#pragma warning restore CA1852
{
    private static readonly ConcurrentDictionary<MethodInfo, Func<ActivationCatalog, GrainId, object?[]?, object>> Invokers = new();
    private static readonly MethodInfo TypedInvoker = typeof(GrainProxy).GetMethod(nameof(InvokeTyped), BindingFlags.NonPublic | BindingFlags.Static)!;

    private ActivationCatalog? _catalog;

    public GrainId GrainId { get; private set; }

    /// <summary>
    /// A reference to <paramref name="grainId"/> of the same generated type as this one: a shallow copy, which shares what
    /// the generated type gives every instance (its interface's methods) and takes its own catalog and grain id.
    /// </summary>
    internal GrainProxy CopyFor(ActivationCatalog catalog, GrainId grainId)
    {
        var copy = (GrainProxy)MemberwiseClone();
        copy._catalog = catalog;
        copy.GrainId = grainId;
        return copy;
    }

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        ArgumentNullException.ThrowIfNull(targetMethod);
        var invoker = Invokers.GetOrAdd(targetMethod, CreateInvoker);
        return invoker(_catalog!, GrainId, args);
    }

    private static Func<ActivationCatalog, GrainId, object?[]?, object> CreateInvoker(MethodInfo method)
    {
        if (method.ReturnType == typeof(Task))
        {
            return (catalog, grainId, args) => catalog.Invoke(grainId, new MethodCall(method, args));
        }

        var resultType = method.ReturnType.GetGenericArguments()[0];
        return (Func<ActivationCatalog, GrainId, object?[]?, object>)TypedInvoker.MakeGenericMethod(resultType).Invoke(null, [method])!;
    }

    private static Func<ActivationCatalog, GrainId, object?[]?, object> InvokeTyped<TResult>(MethodInfo method) =>
        (catalog, grainId, args) => catalog.Invoke(grainId, new MethodCall<TResult>(method, args));
}
