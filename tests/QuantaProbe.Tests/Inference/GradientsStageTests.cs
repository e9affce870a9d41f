using QuantaProbe.Core;
using QuantaProbe.Core.Parquet;
using QuantaProbe.Decompose.Similarity;
using QuantaProbe.Models.Gradients;
using QuantaProbe.Gradients;
using QuantaProbe.Infer;
using QuantaProbe.Gradients.Selection;
using Parquet;

namespace QuantaProbe.Tests.Inference;

[Trait("tier", "slow")]
public class GradientsStageTests
{
    private static async Task<(long[] Docs, int[] Pos, float[] Loss, float[][] Sketch)> ReadAsync(string folder)
    {
        var docs = new List<long>(); var pos = new List<int>(); var loss = new List<float>();
        foreach (var file in Directory.GetFiles(folder, "part-*.parquet").Order())
        {
            await using var reader = await ParquetReader.CreateAsync(file);
            using var g = reader.OpenRowGroupReader(0);
            int n = (int)g.RowCount;
            var d = new long[n]; var p = new int[n]; var l = new float[n];
            await g.ReadAsync<long>(RunSchemas.Gradients.DocId, d.AsMemory(), null, default);
            await g.ReadAsync<int>(RunSchemas.Gradients.Pos, p.AsMemory(), null, default);
            await g.ReadAsync<float>(RunSchemas.Gradients.Loss, l.AsMemory(), null, default);
            docs.AddRange(d); pos.AddRange(p); loss.AddRange(l);
        }
        return (docs.ToArray(), pos.ToArray(), loss.ToArray(), await GradientsPartReader.ReadSketchesAsync(folder));
    }

    [Fact]
    public async Task Gradients_match_the_losses_resume_and_shard_to_the_same_files()
    {
        using var tmp = new TempFolder();
        var run = await SmallRun.CreateAsync(tmp);
        await InferStage.RunAsync(new InferOptions { RunFolder = run });
        var options = new GradientsOptions
        {
            RunFolder = run,
            Model = SmallRun.ModelNames[1],
            Selection = new SelectionOptions { Mode = SelectionMode.Random, Count = 40, Seed = 5 },
            SamplesPerPart = 16,
            Gradient = GradientOptions.Sketch(8, 8, seed: 3),
        };
        var result = await GradientsStage.RunAsync(options);
        Assert.True(result.Complete);
        Assert.Equal(3, result.PartsWritten);
        var (docs, pos, loss, sketches) = await ReadAsync(result.Folder);
        Assert.Equal(40, docs.Length);
        Assert.All(sketches, s => Assert.Equal(sketches[0].Length, s.Length));
        Assert.Contains(sketches, s => s.Any(v => v != 0));

        // grad.onnx's loss at each selected token equals loss.onnx's (two graphs, one model).
        var losses = new Dictionary<(long, int), float>();
        foreach (var part in Directory.GetFiles(Path.Combine(run, "losses", "model=" + SmallRun.ModelNames[1]), "part-*.parquet"))
        {
            var l = await LossesPartReader.ReadAsync(part);
            for (int i = 0; i < l.Losses.Length; i++)
                losses[(l.DocIds[i], l.Positions[i])] = l.Losses[i];
        }
        for (int i = 0; i < docs.Length; i++)
            Assert.Equal(losses[(docs[i], pos[i])], loss[i], 1e-3f);

        var snapshot = Snapshot(result.Folder);
        File.Delete(Path.Combine(result.Folder, "part-00001.parquet"));
        Assert.Equal(1, (await GradientsStage.RunAsync(options)).PartsWritten);
        Assert.Equal(snapshot, Snapshot(result.Folder));

        Directory.Delete(result.Folder, recursive: true);
        Assert.False((await GradientsStage.RunAsync(options with { Shard = new ShardSpec(0, 2) })).Complete);
        Assert.True((await GradientsStage.RunAsync(options with { Shard = new ShardSpec(1, 2) })).Complete);
        Assert.Equal(snapshot, Snapshot(result.Folder));

        // Another projection seed is another measurement: the parts of the old one are redone, not kept as complete.
        var reseeded = await GradientsStage.RunAsync(options with { Gradient = GradientOptions.Sketch(8, 8, seed: 4) });
        Assert.Equal(3, reseeded.PartsWritten);
        Assert.NotEqual((await ReadAsync(result.Folder)).Sketch[0], sketches[0]);

        var e = await Assert.ThrowsAsync<QuantaException>(() => GradientsStage.RunAsync(options with { Selection = options.Selection with { Seed = 6 } }));
        Assert.Contains("use the same settings", e.Message);
    }

    [Fact]
    public async Task Sketch_cosines_correlate_with_exact_gradient_cosines()
    {
        using var tmp = new TempFolder();
        var run = await SmallRun.CreateAsync(tmp, documents: 300, contextLength: 128);
        await InferStage.RunAsync(new InferOptions { RunFolder = run, Models = [SmallRun.ModelNames[1]] });
        var baseOptions = new GradientsOptions
        {
            RunFolder = run,
            Model = SmallRun.ModelNames[1],
            SelectionModel = SmallRun.ModelNames[1],
            // As QDG selects: loss below 1 bit (these small models rarely reach 0.1 nats), no induction tokens.
            Selection = new SelectionOptions { MaxLoss = 0.693, Count = 200, Seed = 0 },
        };
        var exact = await GradientsStage.RunAsync(baseOptions with { Gradient = GradientOptions.Exact });
        var exactRows = (await ReadAsync(exact.Folder)).Sketch;
        Directory.Move(exact.Folder, exact.Folder + "-exact");
        var sketch = await GradientsStage.RunAsync(baseOptions);
        var sketchRows = (await ReadAsync(sketch.Folder)).Sketch;
        Assert.Equal(200, exactRows.Length);

        float[] Cosines(float[][] rows) => Pearson.UpperTriangle(CosineMatrix.Compute(rows.SelectMany(r => r).ToArray(), rows.Length, rows[0].Length), rows.Length);
        double r = Pearson.Correlation(Cosines(exactRows), Cosines(sketchRows));
        Assert.True(r >= 0.95, $"Pearson r = {r:F3} between sketch and exact cosines at the default 16×16 sketch");
    }

    private static SortedDictionary<string, byte[]> Snapshot(string folder) => FolderSnapshot.Of(folder);
}
