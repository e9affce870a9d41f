using QuantaProbe.Core.Contracts;
using QuantaProbe.Core;
using QuantaProbe.Core.Parquet;

namespace QuantaProbe.Report.Inputs;

/// <summary>A predicted token's losses across the size series, from decompose/token_scaling.</summary>
internal sealed record TokenCurve(long DocId, int Pos, string Kind, float Exponent, float[] Losses)
{
    public float Drop => Losses[0] - Losses[^1];
}

/// <summary>
/// The clearest monogenic and polygenic tokens of decompose/token_scaling: those whose loss drops the
/// most from the smallest to the largest model, one per document so the examples differ.
/// </summary>
internal static class TokenExamples
{
    public sealed record Result(IReadOnlyList<string> Models, IReadOnlyList<TokenCurve> Monogenic, IReadOnlyList<TokenCurve> Polygenic);

    public static string FolderIn(string runFolder) => Path.Combine(RunPaths.DecomposeFolder(runFolder), RunPaths.TokenScaling);

    /// <summary>Null when decompose wrote no token_scaling (a family of one size).</summary>
    public static async Task<Result?> ReadAsync(string runFolder, int perKind)
    {
        var folder = FolderIn(runFolder);
        var files = Directory.Exists(folder) ? Directory.GetFiles(folder, PartFiles.Pattern).Order(StringComparer.Ordinal).ToArray() : [];
        if (files.Length == 0)
            return null;
        string[]? models = null;
        var best = new Dictionary<string, List<TokenCurve>> { ["monogenic"] = [], ["polygenic"] = [] };
        foreach (var file in files)
        {
            await using var part = await ParquetColumns.OpenAsync(file, "quanta decompose");
            var names = part.Metadata.TryGetValue(MetadataKeys.Models, out var m) ? m.Split(',') : part.Names.Where(n => n.StartsWith("loss_", StringComparison.Ordinal)).Select(n => n[5..]).ToArray();
            if (models is not null && !models.SequenceEqual(names))
                throw new QuantaException($"{file}: written for models {string.Join(",", names)}, other parts for {string.Join(",", models)}; re-run `quanta decompose`");
            models = names;
            var docs = await part.ReadAsync<long>("doc_id");
            var positions = await part.ReadAsync<int>("pos");
            var kinds = await part.ReadStringsAsync("kind");
            var exponents = await part.ReadAsync<float>("exponent");
            var losses = new List<float[]>();
            foreach (var name in names)
                losses.Add(await part.ReadAsync<float>("loss_" + name));
            for (int i = 0; i < docs.Length; i++)
            {
                if (!best.TryGetValue(kinds[i], out var list))
                    continue;
                float drop = losses[0][i] - losses[^1][i];
                int same = list.FindIndex(c => c.DocId == docs[i]);
                if (same >= 0 ? list[same].Drop >= drop : list.Count >= perKind && list[^1].Drop >= drop)
                    continue;
                if (same >= 0)
                    list.RemoveAt(same);
                list.Add(new TokenCurve(docs[i], positions[i], kinds[i], exponents[i], losses.Select(l => l[i]).ToArray()));
                list.Sort((a, b) => b.Drop.CompareTo(a.Drop));
                if (list.Count > perKind)
                    list.RemoveAt(list.Count - 1);
            }
        }
        return new Result(models!, best["monogenic"], best["polygenic"]);
    }
}
