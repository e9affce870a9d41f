using Parquet.Schema;
using QuantaProbe.Core.Contracts;
using S = QuantaProbe.Core.Parquet.RunSchemas;

namespace QuantaProbe.Core.Parquet;

/// <summary>
/// One target of the context probe: the token at <see cref="Pos"/> of document <see cref="DocId"/>, predicted from exactly the
/// <see cref="ContextLength"/> tokens before it (a window cut out of the document, so nothing earlier is seen).
/// </summary>
public readonly record struct ContextProbeTarget(int ContextLength, long DocId, int Pos, int TokenId, float Loss, float Entropy);

/// <summary>One part of context/model=&lt;m&gt;: the targets of one context length, and the probe's settings it was written with.</summary>
public sealed record ContextProbePart(string Model, int ContextLength, IReadOnlyList<int> ContextLengths, int Targets, int Seed, string WeightsSha256, ContextProbeTarget[] Rows);

/// <summary>
/// Reads a context probe part. A missing column or metadata key, or a row of another context length, is one line naming the
/// file and the fix (write it again); no field is defaulted.
/// </summary>
public static class ContextProbePartReader
{
    public const string WrittenBy = "quanta infer --run RUN --context-probe";

    public static async Task<ContextProbePart> ReadAsync(string path)
    {
        await using var reader = await RunPartFile.OpenAsync(path, WrittenBy);
        string Fix(string what) => $"{path}: {what}; delete it and re-run `{WrittenBy}`";
        foreach (var field in S.Context.Schema.DataFields)
            if (reader.Schema.DataFields.FirstOrDefault(f => f.Name == field.Name) is not { } found)
                throw new QuantaException(Fix($"column '{field.Name}' is missing"));
            else if (found.ClrType != field.ClrType || found.IsNullable)
                throw new QuantaException(Fix($"column '{field.Name}' is {found.ClrType.Name}{(found.IsNullable ? "?" : "")}, not {field.ClrType.Name}"));
        string Key(string key) => reader.CustomMetadata.TryGetValue(key, out var v) && v.Length > 0 ? v : throw new QuantaException(Fix($"metadata key '{key}' is missing"));
        int Int(string key) => int.TryParse(Key(key), out int v) ? v : throw new QuantaException(Fix($"metadata key '{key}' is not a whole number"));
        int n = Int(MetadataKeys.ProbeContextLength);
        var grid = Key(MetadataKeys.ProbeContextLengths).Split(',').Select(t => int.TryParse(t, out int v) && v >= 1 ? v
            : throw new QuantaException(Fix($"metadata key '{MetadataKeys.ProbeContextLengths}' is not a list of context lengths"))).ToList();
        if (!grid.Contains(n))
            throw new QuantaException(Fix($"context length {n} is not in its own grid {Key(MetadataKeys.ProbeContextLengths)}"));
        var rows = new ContextProbeTarget[reader.Metadata?.NumRows ?? 0];
        try
        {
            int at = 0;
            for (int g = 0; g < reader.RowGroupCount; g++)
            {
                using var group = reader.OpenRowGroupReader(g);
                int count = checked((int)group.RowCount);
                async Task<T[]> Column<T>(DataField field) where T : struct
                {
                    var values = new T[count];
                    await group.ReadAsync<T>(reader.Schema.DataFields.First(f => f.Name == field.Name), values.AsMemory(), null, default);
                    return values;
                }
                var lengths = await Column<int>(S.Context.ContextLength);
                var docs = await Column<long>(S.Context.DocId);
                var positions = await Column<int>(S.Context.Pos);
                var tokens = await Column<int>(S.Context.TokenId);
                var losses = await Column<float>(S.Context.Loss);
                var entropies = await Column<float>(S.Context.Entropy);
                for (int i = 0; i < count; i++)
                    rows[at + i] = lengths[i] == n && positions[i] >= n
                        ? new ContextProbeTarget(lengths[i], docs[i], positions[i], tokens[i], losses[i], entropies[i])
                        : throw new QuantaException(Fix($"row {at + i} has context length {lengths[i]} at pos {positions[i]} in the part of n = {n}"));
                at += count;
            }
        }
        catch (Exception e) when (RunPartFile.IsCorruption(e))
        {
            throw RunPartFile.Unreadable(path, WrittenBy, e);
        }
        return new ContextProbePart(Key(MetadataKeys.Model), n, grid, Int(MetadataKeys.ProbeTargets), Int(MetadataKeys.ProbeSeed), Key(MetadataKeys.WeightsSha256), rows);
    }
}
