using System.Text.Json;
using QuantaProbe.Core;
using QuantaProbe.Core.Parquet;
using QuantaProbe.Export;
using QuantaProbe.Infer;
using QuantaProbe.Models.Runtime;
using QuantaProbe.Ingest;

namespace QuantaProbe.Tests.Inference;

[Trait("tier", "slow")]
public class InferStageTests
{
    private static readonly string[] ModelNames = SmallRun.ModelNames;

    [Fact]
    public async Task Losses_equal_the_runner_on_each_document_and_resume_and_shards_give_the_same_files()
    {
        using var tmp = new TempFolder();
        var run = await SmallRun.CreateAsync(tmp);
        var result = await InferStage.RunAsync(new InferOptions { RunFolder = run, BatchTokens = 300 });
        Assert.True(result.Complete);
        Assert.Equal(8, result.PartsWritten);

        var folder = Path.Combine(run, "losses", "model=" + ModelNames[0]);
        var docIds = await ParquetTestReader.ColumnAsync<long>(folder, "doc_id");
        var positions = await ParquetTestReader.ColumnAsync<int>(folder, "pos");
        var losses = await ParquetTestReader.ColumnAsync<float>(folder, "loss");
        var tokens = new List<DocumentTokens>();
        foreach (var part in Directory.GetFiles(Path.Combine(run, "tokens"), "part-*.parquet").Order())
            tokens.AddRange(await TokensPartReader.ReadAsync(part));
        Assert.Equal(tokens.Sum(d => Math.Max(0, d.TokenIds.Length - 1)), losses.Length);
        Assert.All(positions, p => Assert.True(p >= 1));

        using var runner = LossRunner.Open(Path.Combine(run, "models", ModelNames[0]));
        int row = 0;
        foreach (var doc in tokens.Where(d => d.TokenIds.Length >= 2))
        {
            var alone = runner.Run([doc.TokenIds])[0].Loss;
            for (int t = 0; t < alone.Length; t++, row++)
            {
                Assert.Equal(doc.DocId, docIds[row]);
                Assert.Equal(t + 1, positions[row]);
                Assert.Equal(alone[t], losses[row], 1e-4f);
            }
        }

        // Resume: a lost part is redone, the rest skipped, the files are the same bytes.
        var snapshot = Snapshot(Path.Combine(run, "losses"));
        File.Delete(Path.Combine(folder, "part-00002.parquet"));
        var again = await InferStage.RunAsync(new InferOptions { RunFolder = run, BatchTokens = 300 });
        Assert.Equal(1, again.PartsWritten);
        Assert.Equal(snapshot, Snapshot(Path.Combine(run, "losses")));

        // Shards: two separate runs write the same files as the unsharded run.
        Directory.Delete(Path.Combine(run, "losses"), recursive: true);
        Assert.False((await InferStage.RunAsync(new InferOptions { RunFolder = run, BatchTokens = 300, Shard = new ShardSpec(1, 2) })).Complete);
        Assert.True((await InferStage.RunAsync(new InferOptions { RunFolder = run, BatchTokens = 300, Shard = new ShardSpec(0, 2) })).Complete);
        Assert.Equal(snapshot, Snapshot(Path.Combine(run, "losses")));
    }

    [Fact]
    public async Task Missing_ingest_and_unknown_model_are_one_line_errors()
    {
        using var tmp = new TempFolder();
        var e = await Assert.ThrowsAsync<QuantaException>(() => InferStage.RunAsync(new InferOptions { RunFolder = tmp.Path }));
        Assert.Contains("ingest.json: not found", e.Message);

        var run = await SmallRun.CreateAsync(tmp);
        e = await Assert.ThrowsAsync<QuantaException>(() => InferStage.RunAsync(new InferOptions { RunFolder = run, Models = ["nope"] }));
        Assert.Contains("no model named 'nope'", e.Message);
        Assert.False(Directory.Exists(Path.Combine(run, "losses")));
    }

    [Fact]
    public void Length_batches_respect_the_budget_and_cover_every_scorable_sequence()
    {
        var random = new Random(7);
        var lengths = Enumerable.Range(0, 500).Select(_ => random.Next(0, 300)).ToArray();
        var batches = LengthBatcher.Batches(lengths, 1024);
        Assert.Equal(lengths.Select((l, i) => (l, i)).Where(x => x.l >= 2).Select(x => x.i).Order(), batches.SelectMany(b => b).Order());
        Assert.All(batches, b => Assert.True(b.Length == 1 || b.Length * b.Max(i => lengths[i]) <= 1024));
        // Similar lengths share a batch: padding is small.
        long padded = batches.Sum(b => (long)b.Length * b.Max(i => lengths[i]));
        long real = batches.Sum(b => b.Sum(i => (long)lengths[i]));
        Assert.True(padded < real * 1.1, $"padding {padded} vs {real}");
    }

    private static SortedDictionary<string, byte[]> Snapshot(string folder) => FolderSnapshot.Of(folder);
}
