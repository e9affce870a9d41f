namespace QuantaProbe.Core.Contracts;

/// <summary>A run-folder JSON file's record: it carries the schema version it was written under.</summary>
public interface IContract
{
    /// <summary>The version this build writes and reads; a file with another is refused.</summary>
    static abstract int CurrentSchemaVersion { get; }

    int SchemaVersion { get; }
}
