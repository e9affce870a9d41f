using QuantaProbe.Core;
using QuantaProbe.Core.Parquet;
using QuantaProbe.Gradients.Selection;

namespace QuantaProbe.Gradients;

/// <summary>
/// The model input of each selected token: its document's tokens up to and including the
/// predicted one (the target is the last position). Reads each tokens part at most once per call.
/// </summary>
internal static class SampleSequences
{
    public static async Task<int[][]> BuildAsync(IReadOnlyList<SelectedToken> samples, string tokensFolder, int docsPerPart)
    {
        var result = new int[samples.Count][];
        Dictionary<long, int[]>? docs = null;
        long loadedPart = -1;
        foreach (var group in Enumerable.Range(0, samples.Count).GroupBy(i => samples[i].DocId / docsPerPart))
        {
            if (group.Key != loadedPart)
            {
                var path = PartFiles.PathOf(tokensFolder, group.Key);
                docs = (await TokensPartReader.ReadAsync(path)).ToDictionary(d => d.DocId, d => d.TokenIds);
                loadedPart = group.Key;
            }
            foreach (int i in group)
            {
                var s = samples[i];
                if (!docs!.TryGetValue(s.DocId, out var tokens) || s.Pos < 1 || s.Pos >= tokens.Length)
                    throw new QuantaException($"selected token doc_id {s.DocId} pos {s.Pos} is not a predicted token of the ingested documents (pos must be 1..n_tokens-1)");
                result[i] = tokens[..(s.Pos + 1)];
            }
        }
        return result;
    }
}
