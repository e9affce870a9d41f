
namespace QuantaProbe.Core.Contracts;

/// <summary>What a later stage needs from a complete ingest: where the token parts are and how many.</summary>
public sealed record IngestedRun(string TokensFolder, long Parts, int ContextLength, int DocsPerPart, long Documents)
{
    /// <summary>The run folder's ingest.json; refuses a run folder of the layout before partition folders.</summary>
    public static IngestedRun Open(string runFolder)
    {
        RunFolderLock.RefuseFile(runFolder);
        var manifest = IngestManifest.Read(runFolder);
        ModelPartitions.RefuseOldLayout(runFolder);
        return new IngestedRun(Path.Combine(runFolder, RunPaths.Tokens), manifest.Parts, manifest.ContextLength, manifest.DocsPerPart, manifest.Documents);
    }
}
