using Parquet.Schema;
using QuantaProbe.Core;
using QuantaProbe.Core.Contracts;
using QuantaProbe.Core.Parquet;
using S = QuantaProbe.Core.Parquet.RunSchemas;

namespace QuantaProbe.Tests.Contracts;

[Trait("tier", "fast")]
public class ContextProbePartReaderTests
{
    private static Dictionary<string, string> Metadata() => new()
    {
        [MetadataKeys.Model] = "m", [MetadataKeys.WeightsSha256] = "abc", [MetadataKeys.ProbeContextLength] = "4",
        [MetadataKeys.ProbeContextLengths] = "1,4,9", [MetadataKeys.ProbeTargets] = "2", [MetadataKeys.ProbeSeed] = "0",
    };

    private static async Task<string> WriteAsync(string folder, DataField[] fields, Dictionary<string, string> metadata, int n = 4)
    {
        await using var writer = await ParquetPartWriter.CreateAsync(folder, 1, new ParquetSchema(fields), metadata);
        await writer.WriteRowGroupAsync(async g =>
        {
            foreach (var f in fields)
                await (f.Name switch
                {
                    "context_length" => g.WriteAsync(S.Context.ContextLength, new ReadOnlyMemory<int>([n, n])),
                    "doc_id" => g.WriteAsync(S.Context.DocId, new ReadOnlyMemory<long>([3, 7])),
                    "pos" => g.WriteAsync(S.Context.Pos, new ReadOnlyMemory<int>([5, 9])),
                    "token_id" => g.WriteAsync(S.Context.TokenId, new ReadOnlyMemory<int>([11, 12])),
                    "loss" => g.WriteAsync(S.Context.Loss, new ReadOnlyMemory<float>([1.5f, 2.5f])),
                    _ => g.WriteAsync(S.Context.Entropy, new ReadOnlyMemory<float>([0.5f, 0.25f])),
                });
        });
        await writer.CompleteAsync();
        return PartFiles.PathOf(folder, 1);
    }

    [Fact]
    public async Task A_complete_part_reads_back_row_for_row()
    {
        using var tmp = new TempFolder();
        var part = await ContextProbePartReader.ReadAsync(await WriteAsync(tmp.Path, S.Context.Schema.DataFields, Metadata()));
        Assert.Equal(("m", 4, 2, 0, "abc"), (part.Model, part.ContextLength, part.Targets, part.Seed, part.WeightsSha256));
        Assert.Equal([1, 4, 9], part.ContextLengths);
        Assert.Equal([new ContextProbeTarget(4, 3, 5, 11, 1.5f, 0.5f), new ContextProbeTarget(4, 7, 9, 12, 2.5f, 0.25f)], part.Rows);
    }

    [Theory]
    [InlineData("entropy")]
    [InlineData("loss")]
    [InlineData("context_length")]
    public async Task A_missing_column_is_one_line_naming_the_file_and_the_column(string column)
    {
        using var tmp = new TempFolder();
        var path = await WriteAsync(tmp.Path, S.Context.Schema.DataFields.Where(f => f.Name != column).ToArray(), Metadata());
        var e = await Assert.ThrowsAsync<QuantaException>(() => ContextProbePartReader.ReadAsync(path));
        Assert.Equal($"{path}: column '{column}' is missing; delete it and re-run `quanta infer --run RUN --context-probe`", e.Message);
    }

    [Fact]
    public async Task A_missing_metadata_key_or_a_row_of_another_length_is_refused()
    {
        using var tmp = new TempFolder();
        var metadata = Metadata();
        metadata.Remove(MetadataKeys.ProbeContextLengths);
        var path = await WriteAsync(tmp.Path, S.Context.Schema.DataFields, metadata);
        var e = await Assert.ThrowsAsync<QuantaException>(() => ContextProbePartReader.ReadAsync(path));
        Assert.Equal($"{path}: metadata key '{MetadataKeys.ProbeContextLengths}' is missing; delete it and re-run `quanta infer --run RUN --context-probe`", e.Message);

        path = await WriteAsync(tmp.Sub("other"), S.Context.Schema.DataFields, Metadata(), n: 9);
        e = await Assert.ThrowsAsync<QuantaException>(() => ContextProbePartReader.ReadAsync(path));
        Assert.Equal($"{path}: row 0 has context length 9 at pos 5 in the part of n = 4; delete it and re-run `quanta infer --run RUN --context-probe`", e.Message);
    }
}
