using CustomerActors.Grains.Interfaces.Abstractions;
using Microsoft.Extensions.DependencyInjection;

namespace CustomerActors.Runtime.Activation;

/// <summary>A registered grain: the interface callers use, its type name in grain ids, and the class that implements it.</summary>
public sealed record GrainRegistration(Type Interface, string TypeName, Type Implementation);

/// <summary>Maps grain interfaces to grain type names and creates grain instances.</summary>
public sealed class GrainTypeRegistry
{
    private readonly Dictionary<Type, GrainRegistration> _byInterface = [];
    private readonly Dictionary<string, (GrainRegistration Registration, ObjectFactory Factory)> _byTypeName = new(StringComparer.Ordinal);

    public GrainTypeRegistry(IEnumerable<GrainRegistration> registrations)
    {
        foreach (var registration in registrations)
        {
            Validate(registration);
            _byInterface.Add(registration.Interface, registration);
            _byTypeName.Add(registration.TypeName, (registration, ActivatorUtilities.CreateFactory(registration.Implementation, [typeof(IGrainContext)])));
        }
    }

    public string TypeNameOf(Type grainInterface) =>
        _byInterface.TryGetValue(grainInterface, out var registration)
            ? registration.TypeName
            : throw new InvalidOperationException($"No grain implements {grainInterface.Name}; register it with AddGrain<{grainInterface.Name}, TGrain>(...).");

    internal Grain CreateInstance(IServiceProvider services, string typeName, IGrainContext context) =>
        (Grain)_byTypeName[typeName].Factory(services, [context]);

    private static void Validate(GrainRegistration registration)
    {
        if (!registration.Interface.IsInterface || !typeof(IGrainWithStringKey).IsAssignableFrom(registration.Interface))
        {
            throw new ArgumentException($"{registration.Interface.Name} must be an interface deriving from IGrainWithStringKey.");
        }

        if (!typeof(Grain).IsAssignableFrom(registration.Implementation) || !registration.Interface.IsAssignableFrom(registration.Implementation))
        {
            throw new ArgumentException($"{registration.Implementation.Name} must derive from Grain and implement {registration.Interface.Name}.");
        }

        // Like Orleans, every grain method is asynchronous: the call is queued and answered later.
        foreach (var method in registration.Interface.GetMethods().Concat(registration.Interface.GetInterfaces().SelectMany(i => i.GetMethods())))
        {
            if (method.ReturnType != typeof(Task) && !(method.ReturnType.IsGenericType && method.ReturnType.GetGenericTypeDefinition() == typeof(Task<>)))
            {
                throw new ArgumentException($"{registration.Interface.Name}.{method.Name} must return Task or Task<T>.");
            }

            if (method.GetParameters().Any(p => p.ParameterType.IsByRef))
            {
                throw new ArgumentException($"{registration.Interface.Name}.{method.Name} must not have ref or out parameters.");
            }
        }
    }
}
