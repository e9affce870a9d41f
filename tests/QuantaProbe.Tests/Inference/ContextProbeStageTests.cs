using QuantaProbe.Core;
using QuantaProbe.Core.Contracts;
using QuantaProbe.Core.Parquet;
using QuantaProbe.Decompose.Laws;
using QuantaProbe.Decompose.Stage;
using QuantaProbe.Infer;

namespace QuantaProbe.Tests.Inference;

[Trait("tier", "slow")]
public class ContextProbeStageTests
{
    private static readonly int[] Grid = [1, 2, 4, 8, 16, 40];

    private static InferOptions Options(string run, int targets = 100_000, ShardSpec? shard = null) => new()
    {
        RunFolder = run, BatchTokens = 300, Shard = shard ?? ShardSpec.All,
        ContextProbe = new ContextProbeOptions { Enabled = true, ContextLengths = Grid, Targets = targets, Seed = 5 },
    };

    /// <summary>
    /// A target whose window is its whole prefix (pos = n) gets the loss full-sequence infer gives it (the model is causal);
    /// one with a longer prefix is scored from the n tokens before it only, and its loss differs. Taking every eligible
    /// token, the parts hold every (document, pos ≥ n).
    /// </summary>
    [Fact]
    public async Task Whole_prefix_windows_give_the_full_sequence_loss_and_shorter_windows_cut_the_context()
    {
        using var tmp = new TempFolder();
        var run = await SmallRun.CreateAsync(tmp, documents: 30);
        await InferStage.RunAsync(new InferOptions { RunFolder = run, BatchTokens = 300, Models = [SmallRun.ModelNames[^1]] });
        var result = await ContextProbeStage.RunAsync(Options(run));
        Assert.True(result.Complete);
        Assert.Equal(SmallRun.ModelNames[^1], result.Model);
        Assert.Equal(Grid, result.ContextLengths);

        var full = new Dictionary<(long, int), float>();
        foreach (var path in Directory.GetFiles(ModelPartitions.Folder(run, ModelDataset.Losses, result.Model), PartFiles.Pattern))
        {
            var part = await LossesPartReader.ReadAsync(path);
            for (int i = 0; i < part.Losses.Length; i++)
                full[(part.DocIds[i], part.Positions[i])] = part.Losses[i];
        }
        var tokens = new List<DocumentTokens>();
        foreach (var path in Directory.GetFiles(Path.Combine(run, RunPaths.Tokens), PartFiles.Pattern).Order())
            tokens.AddRange(await TokensPartReader.ReadAsync(path));
        var probe = (await ContextProbeFolder.ReadAsync(run, result.Model))!;
        Assert.Equal(Grid, probe.Select(p => p.ContextLength));
        int wholePrefix = 0, cut = 0, differ = 0;
        foreach (var part in probe)
        {
            int n = part.ContextLength;
            Assert.Equal(tokens.Sum(d => Math.Max(0, d.TokenIds.Length - n)), part.Rows.Length);
            foreach (var row in part.Rows)
            {
                Assert.Equal(tokens.Single(d => d.DocId == row.DocId).TokenIds[row.Pos], row.TokenId);
                if (row.Pos == n)
                {
                    Assert.Equal(full[(row.DocId, row.Pos)], row.Loss, 1e-4f);
                    wholePrefix++;
                }
                else
                {
                    cut++;
                    differ += Math.Abs(full[(row.DocId, row.Pos)] - row.Loss) > 1e-3 ? 1 : 0;
                }
            }
        }
        Assert.True(wholePrefix > 100, $"{wholePrefix} whole-prefix windows");
        Assert.True(differ > 0.9 * cut, $"{differ} of {cut} cut windows differ from the full-context loss");
    }

    [Fact]
    public async Task Parts_resume_and_shards_write_the_same_files_and_new_settings_redo_them()
    {
        using var tmp = new TempFolder();
        var run = await SmallRun.CreateAsync(tmp, documents: 30);
        var folder = ContextProbeFolder.Of(run, SmallRun.ModelNames[^1]);
        Assert.Equal(Grid.Length, (await ContextProbeStage.RunAsync(Options(run, targets: 50))).PartsWritten);
        var snapshot = FolderSnapshot.Of(folder);

        File.Delete(PartFiles.PathOf(folder, 3));
        var again = await ContextProbeStage.RunAsync(Options(run, targets: 50));
        Assert.Equal((1, Grid.Length - 1L), (again.PartsWritten, again.PartsSkipped));
        Assert.Equal(snapshot, FolderSnapshot.Of(folder));

        Directory.Delete(folder, recursive: true);
        Assert.False((await ContextProbeStage.RunAsync(Options(run, targets: 50, shard: new ShardSpec(1, 2)))).Complete);
        var missing = await Assert.ThrowsAsync<QuantaException>(() => ContextProbeFolder.ReadAsync(run, SmallRun.ModelNames[^1]));
        Assert.Contains("part-00000.parquet: not found (context length 1 of the probe's 6)", missing.Message);
        Assert.True((await ContextProbeStage.RunAsync(Options(run, targets: 50, shard: new ShardSpec(0, 2)))).Complete);
        Assert.Equal(snapshot, FolderSnapshot.Of(folder));

        Assert.Equal(Grid.Length, (await ContextProbeStage.RunAsync(Options(run, targets: 60))).PartsWritten);
        Assert.All((await ContextProbeFolder.ReadAsync(run, SmallRun.ModelNames[^1]))!, p => Assert.Equal(60, p.Targets));
    }

    /// <summary>Decompose fits γ on the probe where infer wrote one, by document position where it did not, and says which in summary.json.</summary>
    [Fact]
    public async Task Decompose_records_which_definition_of_H_n_gamma_was_fitted_to()
    {
        using var tmp = new TempFolder();
        var run = await SmallRun.CreateAsync(tmp, documents: 30);
        await InferStage.RunAsync(new InferOptions { RunFolder = run, BatchTokens = 300 });
        var options = new DecomposeOptions { RunFolder = run, Resamples = 20, CorpusExponents = new CorpusExponentOptions { Resamples = 2 } };

        await DecomposeStage.RunAsync(options);
        var gamma = DecomposeSummary.Read(run).CorpusExponents.Gamma!;
        Assert.Equal(ContextEntropyDefinition.DocumentPosition, gamma.Definition);

        var probe = await ContextProbeStage.RunAsync(Options(run, targets: 200));
        await DecomposeStage.RunAsync(options);
        gamma = DecomposeSummary.Read(run).CorpusExponents.Gamma!;
        Assert.Equal((ContextEntropyDefinition.ContextProbe, probe.Model), (gamma.Definition, gamma.Model));
        Assert.Equal(Grid, gamma.Positions);
        var parts = (await ContextProbeFolder.ReadAsync(run, probe.Model))!;
        Assert.Equal(parts.Select(p => p.Rows.Average(r => (double)r.Loss)), gamma.MeanLoss, (a, b) => Math.Abs(a - b) < 1e-9);
        Assert.Equal(parts.Select(p => (long)p.Rows.Length), gamma.Tokens);
        Assert.Contains("H_n from the context probe", DecomposeSummary.Read(run).CorpusExponents.Verdict);
    }

    [Fact]
    public async Task Context_lengths_past_the_runs_context_are_refused_before_any_part()
    {
        using var tmp = new TempFolder();
        var run = await SmallRun.CreateAsync(tmp, documents: 4);
        var options = Options(run) with { ContextProbe = new ContextProbeOptions { Enabled = true, ContextLengths = [1, 64] } };
        var e = await Assert.ThrowsAsync<QuantaException>(() => ContextProbeStage.RunAsync(options));
        Assert.Equal("infer context_lengths (--context-lengths) 1,64: goes past 63, the last position of a document of the run's context_length 64 (ingest.json)", e.Message);
        Assert.False(Directory.Exists(Path.Combine(run, RunPaths.Context)));
    }
}
