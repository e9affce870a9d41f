using QuantaProbe.Core.Contracts;
using Parquet.Schema;
using QuantaProbe.Core;
using QuantaProbe.Core.Parquet;
using QuantaProbe.Decompose.TokenScaling;

namespace QuantaProbe.Decompose.Stage;

/// <summary>
/// decompose/token_scaling/part-k: per predicted token, its loss under each model of the size
/// series (columns loss_&lt;model&gt;), its fitted exponent, its kind, and the non-embedding size of
/// the model after a monogenic drop. One part per tokens part; the models' losses parts align row by row.
/// </summary>
internal static class TokenScalingWriter
{
    /// <param name="parts">Part <paramref name="part"/> of each series model's losses, read from <paramref name="lossesFolders"/>.</param>
    public static async Task<Dictionary<TokenCurveKind, long>> WriteAsync(string folder, long part, IReadOnlyList<FamilyModel> series, IReadOnlyList<LossesPart> parts,
        IReadOnlyList<string> lossesFolders, TokenCurveClassifier classifier)
    {
        int rows = parts[0].Losses.Length;
        for (int m = 1; m < parts.Count; m++)
            if (parts[m].Losses.Length != rows || !parts[m].DocIds.AsSpan().SequenceEqual(parts[0].DocIds) || !parts[m].Positions.AsSpan().SequenceEqual(parts[0].Positions))
                throw new QuantaException($"{PartFiles.PathOf(lossesFolders[m], part)}: rows differ from {PartFiles.PathOf(lossesFolders[0], part)}; re-run `quanta infer` for both models on the same tokens");

        var exponents = new float[rows];
        var kinds = new string[rows];
        var drops = new long?[rows];
        var counts = Enum.GetValues<TokenCurveKind>().ToDictionary(k => k, _ => 0L);
        var curve = new float[parts.Count];
        for (int i = 0; i < rows; i++)
        {
            for (int m = 0; m < parts.Count; m++)
                curve[m] = parts[m].Losses[i];
            var c = classifier.Classify(curve);
            exponents[i] = (float)c.Exponent;
            kinds[i] = c.Kind.ToString().ToLowerInvariant();
            drops[i] = c.DropIndex >= 0 ? series[c.DropIndex].NonEmbeddingParameters : null;
            counts[c.Kind]++;
        }

        var docId = new DataField<long>("doc_id");
        var pos = new DataField<int>("pos");
        var lossFields = series.Select(m => new DataField<float>("loss_" + m.Name)).ToArray();
        var exponent = new DataField<float>("exponent");
        var kind = new DataField<string>("kind", false);
        var drop = new DataField<long?>("drop_non_embedding_parameters");
        var schema = new ParquetSchema(new Field[] { docId, pos }.Concat(lossFields).Concat(new Field[] { exponent, kind, drop }));
        var metadata = new Dictionary<string, string> { [MetadataKeys.Stage] = "decompose", [MetadataKeys.Models] = string.Join(",", series.Select(m => m.Name)) };
        await using var writer = await ParquetPartWriter.CreateAsync(folder, part, schema, metadata);
        await writer.WriteRowGroupAsync(async g =>
        {
            await g.WriteAsync(docId, (ReadOnlyMemory<long>)parts[0].DocIds);
            await g.WriteAsync(pos, (ReadOnlyMemory<int>)parts[0].Positions);
            for (int m = 0; m < parts.Count; m++)
                await g.WriteAsync(lossFields[m], (ReadOnlyMemory<float>)parts[m].Losses);
            await g.WriteAsync(exponent, (ReadOnlyMemory<float>)exponents);
            await g.WriteAsync(kind, kinds);
            await g.WriteAsync(drop, (ReadOnlyMemory<long?>)drops);
        });
        await writer.CompleteAsync();
        return counts;
    }
}
