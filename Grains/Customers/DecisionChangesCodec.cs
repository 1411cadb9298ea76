using System.Text.Json;
using CustomerActors.Grains.Interfaces.Customers;
using CustomerActors.Runtime.Serialization;

namespace CustomerActors.Grains.Customers;

/// <summary>
/// How one turn's decision changes are journaled: one row, in the compact form of <see cref="CustomerStateCodec"/>
/// (about a tenth of the JSON). Rows written by earlier versions, a JSON array or one JSON change, are still read.
/// </summary>
public static class DecisionChangesCodec
{
    /// <summary>"CD" and the format version.</summary>
    private const uint Version = 0x4344_0001;

    public static byte[] Serialize(IReadOnlyList<DecisionChange> changes)
    {
        ArgumentNullException.ThrowIfNull(changes);
        var writer = CompactWriter.Start(CustomerStateCodec.KnownStrings, Version);
        writer.WriteVarUInt((ulong)changes.Count);
        foreach (var change in changes)
        {
            writer.WriteString(change.Kind);
            writer.WriteString(change.Name);
            writer.WriteString(change.Before);
            writer.WriteString(change.After);
            writer.WriteString(change.Rule);
            writer.WriteString(change.Reason);
            writer.WriteVarInt(change.PolicyVersion);
            writer.WriteTimestamp(change.At);
            writer.WriteDecimalMap(change.Inputs);
        }

        return writer.ToArray();
    }

    public static DecisionChange[] Deserialize(ReadOnlySpan<byte> payload)
    {
        switch (payload.TrimStart(" \t\r\n"u8))
        {
            case [(byte)'[', ..]:
                return JsonSerializer.Deserialize(payload, GrainsJsonContext.Default.DecisionChangeArray)
                    ?? throw new InvalidDataException("A journaled change list is null.");
            case [(byte)'{', ..]:
                return [JsonSerializer.Deserialize(payload, GrainsJsonContext.Default.DecisionChange) ?? throw new InvalidDataException("A journaled change is null.")];
        }

        var reader = new CompactReader(payload, CustomerStateCodec.KnownStrings);
        reader.ExpectHeader(Version, "change list");

        var changes = new DecisionChange[reader.ReadCount()];
        for (var i = 0; i < changes.Length; i++)
        {
            changes[i] = new DecisionChange(
                Kind: reader.ReadRequiredString(),
                Name: reader.ReadRequiredString(),
                Before: reader.ReadString(),
                After: reader.ReadString(),
                Rule: reader.ReadRequiredString(),
                Reason: reader.ReadRequiredString(),
                PolicyVersion: reader.ReadInt32(),
                At: reader.ReadTimestamp(),
                Inputs: new InputMap(reader.ReadDecimalMap()));
        }

        return reader.AtEnd ? changes : throw new InvalidDataException("A change list has trailing bytes.");
    }
}
