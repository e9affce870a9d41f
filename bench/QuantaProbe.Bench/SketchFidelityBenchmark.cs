using System.Diagnostics;
using QuantaProbe.Core.Family;
using QuantaProbe.Decompose.Similarity;
using QuantaProbe.Export;
using QuantaProbe.Models.Gradients;
using QuantaProbe.Gradients;
using QuantaProbe.Infer;
using QuantaProbe.Gradients.Selection;
using QuantaProbe.Ingest;
using QuantaProbe.Core.Parquet;

namespace QuantaProbe.Bench;

/// <summary>
/// Sketch fidelity: for tokens selected as QDG selects them, the Pearson correlation between the
/// pairwise cosines of sketched gradients and of exact gradients, for several sketch sizes.
/// </summary>
internal static class SketchFidelityBenchmark
{
    private const string Model = "pythia8k-h64-l2";
    private const int Tokens = 200;

    public static async Task<int> RunAsync(string shared, int[] sides)
    {
        var work = Directory.CreateTempSubdirectory("quanta-bench-fidelity-");
        try
        {
            var run = await BenchRun.PrepareAsync(shared, work.FullName, Path.Combine(shared, "models", Model), 300, 128);
            var selection = new SelectionOptions { MaxLoss = 0.693, Count = Tokens, Seed = 0 };
            Console.WriteLine($"model {Model}; {Tokens} tokens of mixed-heldout (first 300 documents, 128 tokens) with loss < 1 bit, induction tokens excluded");

            var options = new GradientsOptions { RunFolder = run, Model = Model, Selection = selection };
            var clock = Stopwatch.StartNew();
            var exact = await Rows(options with { Gradient = GradientOptions.Exact }, run, "exact");
            Console.WriteLine($"exact gradients: K = {exact[0].Length:N0}, {clock.Elapsed.TotalSeconds:F1} s");
            var exactCosines = Cosines(exact);
            foreach (int side in sides)
            {
                clock.Restart();
                var sketch = await Rows(options with { Gradient = GradientOptions.Sketch(side, side) }, run, $"k{side}");
                double r = Pearson.Correlation(exactCosines, Cosines(sketch));
                Console.WriteLine($"sketch {side}x{side}: K = {sketch[0].Length,7:N0}  Pearson r of pairwise cosines vs exact = {r:F4}  ({clock.Elapsed.TotalSeconds:F1} s)");
            }
            return 0;
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    private static float[] Cosines(float[][] rows) =>
        Pearson.UpperTriangle(CosineMatrix.Compute(rows.SelectMany(r => r).ToArray(), rows.Length, rows[0].Length), rows.Length);

    private static async Task<float[][]> Rows(GradientsOptions options, string run, string tag)
    {
        var result = await GradientsStage.RunAsync(options);
        var rows = await GradientsPartReader.ReadSketchesAsync(result.Folder);
        Directory.Move(result.Folder, result.Folder + "-" + tag);
        return rows;
    }
}
