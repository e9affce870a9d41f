namespace QuantaProbe.Core.Contracts;

/// <summary>models/family.json: the family's models; paths under its folder are relative to it.</summary>
public sealed record FamilyFile(int SchemaVersion, IReadOnlyList<FamilyEntry> Models) : IContract
{
    public static int CurrentSchemaVersion => 1;
}

public sealed record FamilyEntry(string Name, string Path, long? Step);
