using Parquet;
using QuantaProbe.Core;
using QuantaProbe.Core.Parquet;

namespace QuantaProbe.Gradients.Selection;

/// <summary>
/// Chooses the tokens whose gradients QDG clusters. Deterministic for a given run, model and
/// options (every shard computes the same list), and returned in (doc_id, pos) order.
/// </summary>
public static class TokenSelector
{
    /// <param name="tokensFolder">The run's tokens/ folder.</param>
    /// <param name="lossesFolder">losses/&lt;selecting model&gt;; its part k covers the documents of tokens part k.</param>
    public static async Task<List<SelectedToken>> SelectAsync(string tokensFolder, string lossesFolder, long parts, SelectionOptions options)
    {
        options.Validate();
        if (options.Mode == SelectionMode.File)
            return await FromFileAsync(options.File!);
        var candidates = new List<SelectedToken>();
        for (long part = 0; part < parts; part++)
        {
            var lossesPath = PartFiles.PathOf(lossesFolder, part);
            if (!System.IO.File.Exists(lossesPath))
                throw new QuantaException($"{lossesPath}: not found; run `quanta infer` for this model (every shard) before selecting tokens");
            var losses = await LossesPartReader.ReadAsync(lossesPath);
            if (options.Mode is SelectionMode.All or SelectionMode.Random)
            {
                for (int i = 0; i < losses.Losses.Length; i++)
                    candidates.Add(new SelectedToken(losses.DocIds[i], losses.Positions[i], losses.Losses[i]));
                continue;
            }
            var tokens = options.ExcludeInduction
                ? (await TokensPartReader.ReadAsync(PartFiles.PathOf(tokensFolder, part))).ToDictionary(d => d.DocId, d => InductionFilter.Predictable(d.TokenIds))
                : null;
            for (int i = 0; i < losses.Losses.Length; i++)
            {
                if (!(losses.Losses[i] < options.MaxLoss))
                    continue;
                if (tokens is not null && tokens.TryGetValue(losses.DocIds[i], out var induction) && induction[losses.Positions[i]])
                    continue;
                candidates.Add(new SelectedToken(losses.DocIds[i], losses.Positions[i], losses.Losses[i]));
            }
        }
        if (options.Mode == SelectionMode.All)
            return candidates;
        if (candidates.Count == 0 && options.Mode == SelectionMode.Random)
            throw new QuantaException($"{lossesFolder}: the losses hold no predicted tokens; ingest documents of at least 2 tokens");
        if (candidates.Count == 0)
            throw new QuantaException($"{lossesFolder}: no token has loss < {options.MaxLoss} nats{(options.ExcludeInduction ? " outside induction trigrams" : "")}; raise --max-loss (small models need the paper's 1 bit: --max-loss 0.693) or select from a larger model");
        return Sample(candidates, options.Count, options.Seed);
    }

    /// <summary>A seeded sample without replacement (partial Fisher–Yates), back in (doc_id, pos) order.</summary>
    internal static List<SelectedToken> Sample(List<SelectedToken> candidates, int count, int seed)
    {
        if (candidates.Count <= count)
            return candidates;
        var random = new Random(seed);
        var pool = candidates.ToArray();
        for (int i = 0; i < count; i++)
        {
            int j = random.Next(i, pool.Length);
            (pool[i], pool[j]) = (pool[j], pool[i]);
        }
        return pool.Take(count).OrderBy(t => t.DocId).ThenBy(t => t.Pos).ToList();
    }

    private static async Task<List<SelectedToken>> FromFileAsync(string path)
    {
        if (!System.IO.File.Exists(path))
            throw new QuantaException($"{path}: selection file not found; give gradients selection_file (--selection-file) an existing Parquet file");
        RegularFile.Require(path);
        try
        {
            await using var reader = await ParquetReader.CreateAsync(path);
            var docField = reader.Schema.DataFields.FirstOrDefault(f => f.Name == "doc_id" && f.ClrType == typeof(long));
            var posField = reader.Schema.DataFields.FirstOrDefault(f => f.Name == "pos" && f.ClrType == typeof(int));
            if (docField is null || posField is null)
                throw new QuantaException($"{path}: a selection file needs columns doc_id (int64) and pos (int32)");
            var result = new List<SelectedToken>();
            for (int g = 0; g < reader.RowGroupCount; g++)
            {
                using var group = reader.OpenRowGroupReader(g);
                var docs = new long[group.RowCount];
                var positions = new int[group.RowCount];
                await group.ReadAsync<long>(docField, docs.AsMemory(), null, default);
                await group.ReadAsync<int>(posField, positions.AsMemory(), null, default);
                for (int i = 0; i < docs.Length; i++)
                    result.Add(new SelectedToken(docs[i], positions[i], float.NaN));
            }
            if (result.Count == 0)
                throw new QuantaException($"{path}: the selection file holds no rows; list the (doc_id, pos) of at least one predicted token");
            return result.Distinct().OrderBy(t => t.DocId).ThenBy(t => t.Pos).ToList();
        }
        catch (Exception e) when (RunPartFile.IsCorruption(e) || e is InvalidCastException)
        {
            throw new QuantaException($"{path}: not a readable selection file, a Parquet file with doc_id (int64) and pos (int32) ({e.Message.Split('\n')[0]}); fix or replace it");
        }
    }
}
