using System.Text.Json;
using S = QuantaProbe.Core.Parquet.RunSchemas;

namespace QuantaProbe.Core;

/// <summary>What a later stage needs from a complete ingest: where the token parts are and how many.</summary>
public sealed record IngestedRun(string TokensFolder, long Parts, int ContextLength, int DocsPerPart, long Documents)
{
    public static IngestedRun Open(string runFolder)
    {
        var manifest = Path.Combine(runFolder, "ingest.json");
        if (!File.Exists(manifest))
            throw new QuantaException($"{manifest}: not found; run `quanta ingest --out {runFolder}` (every shard) before this stage");
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(manifest));
            var root = doc.RootElement;
            return new IngestedRun(Path.Combine(runFolder, S.Tokens.Folder), root.GetProperty("parts").GetInt64(), root.GetProperty("context_length").GetInt32(), root.GetProperty("docs_per_part").GetInt32(), root.GetProperty("documents").GetInt64());
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new QuantaException($"{manifest}: unreadable ingest manifest ({e.Message}); re-run `quanta ingest`");
        }
    }
}
