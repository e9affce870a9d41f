using QuantaProbe.Core;
using QuantaProbe.Core.Contracts;
using QuantaProbe.Core.Parquet;
using S = QuantaProbe.Core.Parquet.RunSchemas;

namespace QuantaProbe.Gradients.Selection;

/// <summary>
/// Checks a user's selection file against the run before it is kept: every (doc_id, pos) must be a
/// predicted token of an ingested document (pos 1 … n_tokens − 1), else the error names the file.
/// </summary>
internal static class SelectionRange
{
    public static async Task CheckAsync(IReadOnlyList<SelectedToken> samples, string runFolder, IngestedRun run, string selectionFile)
    {
        var documents = Path.Combine(runFolder, S.Documents.Folder);
        foreach (var group in samples.GroupBy(s => s.DocId < 0 ? -1 : s.DocId / run.DocsPerPart))
        {
            if (group.Key < 0 || group.Key >= run.Parts)
                throw OutOfRange(selectionFile, group.First(), run);
            await using var columns = await ParquetColumns.OpenAsync(PartFiles.PathOf(documents, group.Key), "quanta ingest");
            var ids = await columns.ReadAsync<long>(S.Documents.DocId.Name);
            var counts = await columns.ReadAsync<int>(S.Documents.NTokens.Name);
            var tokens = ids.Zip(counts).ToDictionary(d => d.First, d => d.Second);
            foreach (var token in group)
                if (!tokens.TryGetValue(token.DocId, out int n) || token.Pos < 1 || token.Pos >= n)
                    throw OutOfRange(selectionFile, token, run, tokens.ContainsKey(token.DocId) ? n : null);
        }
    }

    private static QuantaException OutOfRange(string file, SelectedToken token, IngestedRun run, int? tokens = null) =>
        new($"{file}: row doc_id {token.DocId} pos {token.Pos} is not a predicted token of the run "
            + $"(doc_id 0…{run.Documents - 1}, pos 1…n_tokens − 1{(tokens is { } n ? $"; that document has {n} tokens" : "")}); fix the selection file");
}
