namespace CustomerActors.Grains.Interfaces.Abstractions;

/// <summary>Marker for every grain interface; a grain is reached only through an interface that derives from it.</summary>
public interface IGrain;

/// <summary>A grain identified by a string key (for example a customer number).</summary>
public interface IGrainWithStringKey : IGrain;
