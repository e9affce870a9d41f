namespace QuantaProbe.Core.Family;

/// <summary>One model of a family: its name, its folder (models/&lt;name&gt; or a checkpoint), its training step if known.</summary>
public sealed record FamilyMember(string Name, string Path, long? Step);
