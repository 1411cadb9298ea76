using System.ComponentModel.DataAnnotations;
using CustomerActors.Runtime.Identity;

namespace CustomerActors.Runtime.Activation;

/// <summary>Activation lifecycle settings, bound from the <c>Runtime</c> configuration section.</summary>
public sealed class GrainRuntimeOptions
{
    public const string SectionName = "Runtime";

    /// <summary>An activation unused for this long is collected (its state is already durable).</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "365.00:00:00")]
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How often the collector looks for idle activations.</summary>
    [Range(typeof(TimeSpan), "00:00:00.005", "1.00:00:00")]
    public TimeSpan CollectionInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Cap on resident activations; beyond it the least recently used are evicted.</summary>
    [Range(1, int.MaxValue)]
    public int MaxActivations { get; set; } = 2_000_000;

    /// <summary>Fixed number of partitions keys are hashed into. Never change on a deployment with stored state.</summary>
    [Range(1, 65_536)]
    public int PartitionCount { get; set; } = PartitionMap.DefaultPartitionCount;

    /// <summary>Longest sleep of the due-time scheduler between looks at storage.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00")]
    public TimeSpan ReminderPollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long a graceful stop waits for activations to finish their queued calls and deactivate.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(30);
}
