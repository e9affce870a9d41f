using System.Text.Json;
using QuantaProbe.Decompose.Qdg;
using QuantaProbe.Decompose.Stage;
using QuantaProbe.Models.Gradients;
using QuantaProbe.Gradients;
using QuantaProbe.Infer;
using QuantaProbe.Gradients.Selection;
using QuantaProbe.Tests.Inference;
using QuantaProbe.Report;
using QuantaProbe.Report.Stage;

namespace QuantaProbe.Tests.Decompose;

[Trait("tier", "slow")]
public class QdgStageTests
{
    [Fact]
    public async Task Decompose_clusters_the_gradient_sketches_writes_rank_frequency_and_reuses_a_finished_result()
    {
        using var tmp = new TempFolder();
        var run = await SmallRun.CreateAsync(tmp);
        await InferStage.RunAsync(new InferOptions { RunFolder = run });
        var gradients = new GradientsOptions
        {
            RunFolder = run,
            Model = SmallRun.ModelNames[1],
            Selection = new SelectionOptions { Mode = SelectionMode.Random, Count = 48, Seed = 2 },
            SamplesPerPart = 16,
            Gradient = GradientOptions.Sketch(8, 8),
        };
        await GradientsStage.RunAsync(gradients with { Shard = new QuantaProbe.Core.ShardSpec(0, 3) });
        var options = new DecomposeOptions { RunFolder = run, Resamples = 50, Qdg = new QdgOptions { Ks = [3, 6, 100], ReferenceK = 5, Resamples = 50 } };

        // Two of three parts missing: QDG waits, and says why.
        var partial = await DecomposeStage.RunAsync(options);
        using (var summary = JsonDocument.Parse(File.ReadAllText(partial.SummaryPath)))
            Assert.StartsWith("incomplete: 16 of 48", summary.RootElement.GetProperty("qdg").GetProperty("models").GetProperty(SmallRun.ModelNames[1]).GetProperty("status").GetString());
        Assert.False(Directory.Exists(Path.Combine(run, "decompose", "clusters")));

        await GradientsStage.RunAsync(gradients);
        var result = await DecomposeStage.RunAsync(options);
        using var doc = JsonDocument.Parse(File.ReadAllText(result.SummaryPath));
        var qdg = doc.RootElement.GetProperty("qdg");
        var model = qdg.GetProperty("models").GetProperty(SmallRun.ModelNames[1]);
        Assert.Equal("complete", model.GetProperty("status").GetString());
        Assert.Equal([3, 6], model.GetProperty("ks").EnumerateArray().Select(k => k.GetInt32()));
        Assert.Equal(6, model.GetProperty("reference_k").GetInt32());
        Assert.Equal(5, model.GetProperty("settings").GetProperty("reference_k").GetInt32());
        Assert.Equal("given", model.GetProperty("settings").GetProperty("reference_k_rule").GetString());
        double alpha = doc.RootElement.GetProperty("scaling_in_parameters").GetProperty("pure").GetProperty("alpha").GetDouble();
        Assert.Equal(-(1 + alpha), qdg.GetProperty("predicted_slope").GetProperty("value").GetDouble(), 9);
        var mle = model.GetProperty("reference_zipf_exponent_mle");
        var ci = mle.GetProperty("ci").EnumerateArray().Select(x => x.GetDouble()).ToArray();
        Assert.True(double.IsFinite(mle.GetProperty("value").GetDouble()) && ci[0] <= ci[1], "the MLE and its bootstrap interval");

        var clusters = Path.Combine(run, "decompose", "clusters", "model=" + SmallRun.ModelNames[1]);
        var k = await ParquetTestReader.ColumnAsync<int>(clusters, "n_clusters");
        var cluster = await ParquetTestReader.ColumnAsync<int>(clusters, "cluster");
        var samples = await ParquetTestReader.ColumnAsync<int>(clusters, "sample_id");
        Assert.Equal(96, k.Length);
        Assert.Equal(Enumerable.Range(0, 48).Concat(Enumerable.Range(0, 48)), samples);
        for (int i = 0; i < k.Length; i++)
            Assert.InRange(cluster[i], 0, k[i] - 1);

        var rf = Path.Combine(run, "decompose", "rank_frequency", "model=" + SmallRun.ModelNames[1]);
        var rfK = await ParquetTestReader.ColumnAsync<int>(rf, "n_clusters");
        var rfSize = await ParquetTestReader.ColumnAsync<int>(rf, "size");
        foreach (int kk in new[] { 3, 6 })
        {
            var sizes = rfSize.Where((_, i) => rfK[i] == kk).ToArray();
            Assert.Equal(48, sizes.Sum());
            Assert.Equal(sizes.OrderDescending(), sizes);
            // cluster 0 is the largest of its k
            Assert.Equal(sizes[0], cluster.Where((c, i) => k[i] == kk && c == 0).Count());
        }
        var envelope = rfSize.Where((_, i) => rfK[i] == 0).ToArray();
        Assert.Equal(6, envelope.Length);
        Assert.True(envelope[0] >= rfSize.Where((_, i) => rfK[i] == 6).First());

        // A rerun with the same settings reuses the stored result byte for byte; new settings recompute.
        var stored = Path.Combine(run, "decompose", "qdg", SmallRun.ModelNames[1] + ".json");
        var before = File.ReadAllBytes(stored);
        var time = File.GetLastWriteTimeUtc(stored);
        await DecomposeStage.RunAsync(options);
        Assert.Equal(before, File.ReadAllBytes(stored));
        Assert.Equal(time, File.GetLastWriteTimeUtc(stored));
        await DecomposeStage.RunAsync(options with { Qdg = options.Qdg with { Ks = [4] } });
        Assert.Equal(48, (await ParquetTestReader.ColumnAsync<int>(clusters, "n_clusters")).Length);

        // No k below the number of samples: said in the summary, not an error.
        var tooFew = await DecomposeStage.RunAsync(options with { Qdg = options.Qdg with { Ks = [48, 100] } });
        using var tooFewSummary = JsonDocument.Parse(File.ReadAllText(tooFew.SummaryPath));
        Assert.StartsWith("only 48 gradients", tooFewSummary.RootElement.GetProperty("qdg").GetProperty("models").GetProperty(SmallRun.ModelNames[1]).GetProperty("status").GetString());
    }

    /// <summary>Above the dense limit: nearest neighbours, recorded in summary.json with the dense subsample, which the report draws.</summary>
    [Fact]
    public async Task Above_the_dense_limit_decompose_clusters_the_nearest_neighbour_graph_and_says_so()
    {
        using var tmp = new TempFolder();
        var run = await SmallRun.CreateAsync(tmp);
        await InferStage.RunAsync(new InferOptions { RunFolder = run });
        await GradientsStage.RunAsync(new GradientsOptions
        {
            RunFolder = run,
            Model = SmallRun.ModelNames[1],
            Selection = new SelectionOptions { Mode = SelectionMode.Random, Count = 48, Seed = 2 },
            Gradient = GradientOptions.Sketch(8, 8),
        });
        var qdg = new QdgOptions { Ks = [3, 6], ReferenceK = 6, Resamples = 20, DenseLimit = 20, Neighbours = 10 };
        var result = await DecomposeStage.RunAsync(new DecomposeOptions { RunFolder = run, Resamples = 20, Qdg = qdg });
        using var doc = JsonDocument.Parse(File.ReadAllText(result.SummaryPath));
        var model = doc.RootElement.GetProperty("qdg").GetProperty("models").GetProperty(SmallRun.ModelNames[1]);
        Assert.Equal("complete", model.GetProperty("status").GetString());
        var similarity = model.GetProperty("similarity");
        Assert.Equal("nearest_neighbours", similarity.GetProperty("kind").GetString());
        Assert.Equal(20, similarity.GetProperty("dense_limit").GetInt32());
        Assert.Equal(10, similarity.GetProperty("neighbours").GetInt32());
        Assert.True(similarity.GetProperty("graph_components").GetInt32() >= 1);
        Assert.Equal(QdgPlan.For(48, model.GetProperty("sketch_dimension").GetInt32(), qdg, inPlace: true).BytesNeeded, similarity.GetProperty("memory_needed_bytes").GetInt64());
        // The subsample is all 48 samples (fewer than 10,000), clustered densely at the k as given.
        var subsample = model.GetProperty("dense_subsample");
        Assert.Equal(48, subsample.GetProperty("samples").GetInt32());
        Assert.Equal([3, 6], subsample.GetProperty("ks").EnumerateArray().Select(k => k.GetInt32()));
        Assert.Equal(6, subsample.GetProperty("envelope").GetArrayLength());

        await ReportStage.RunAsync(new ReportOptions { RunFolder = run });
        string html = File.ReadAllText(Path.Combine(run, "report", "index.html"));
        Assert.Contains("subsample (orange, dotted)", html);

        // Below the limit the same run takes the dense similarity and writes no subsample.
        var dense = await DecomposeStage.RunAsync(new DecomposeOptions { RunFolder = run, Resamples = 20, Qdg = qdg with { DenseLimit = 48 } });
        using var denseDoc = JsonDocument.Parse(File.ReadAllText(dense.SummaryPath));
        var denseModel = denseDoc.RootElement.GetProperty("qdg").GetProperty("models").GetProperty(SmallRun.ModelNames[1]);
        Assert.Equal("dense", denseModel.GetProperty("similarity").GetProperty("kind").GetString());
        Assert.Equal(JsonValueKind.Null, denseModel.GetProperty("similarity").GetProperty("neighbours").ValueKind);
        Assert.False(denseModel.TryGetProperty("dense_subsample", out _));
    }
}
