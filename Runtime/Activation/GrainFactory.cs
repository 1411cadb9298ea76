using System.Reflection;
using CustomerActors.Grains.Interfaces.Abstractions;
using CustomerActors.Runtime.Identity;

namespace CustomerActors.Runtime.Activation;

/// <summary>Creates grain references for registered grain interfaces.</summary>
public sealed class GrainFactory(GrainTypeRegistry registry, ActivationCatalog catalog) : IGrainFactory
{
    public TGrainInterface GetGrain<TGrainInterface>(string key)
        where TGrainInterface : IGrainWithStringKey
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        var proxy = DispatchProxy.Create<TGrainInterface, GrainProxy>();
        ((GrainProxy)(object)proxy).Initialize(catalog, new GrainId(registry.TypeNameOf(typeof(TGrainInterface)), key));
        return proxy;
    }
}
