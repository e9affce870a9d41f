using System.Diagnostics;
using System.Numerics.Tensors;
using QuantaProbe.Core;
using QuantaProbe.Core.Family;
using QuantaProbe.Decompose.Similarity;
using QuantaProbe.Models.Gradients;
using QuantaProbe.Gradients;
using QuantaProbe.Infer;
using QuantaProbe.Models.Runtime;
using QuantaProbe.Gradients.Selection;
using QuantaProbe.Core.Contracts;
using QuantaProbe.Onnx;
using QuantaProbe.Core.Parquet;

namespace QuantaProbe.Bench;

/// <summary>
/// From N selected tokens to their N×N gradient-cosine matrix, on the largest shared model:
/// ours (<c>quanta gradients</c>' sketches, computed once and stored, then the cosine matrix)
/// against the paper's procedure in the same process (exact gradients that are never stored:
/// a double loop over blocks of tokens recomputes block j's gradients for every block i ≤ j, and
/// a BLAS-class product, ONNX Runtime's SGEMM, gives each block of cosines). Also reported: what the
/// exact gradients would cost if computed once and kept (N·D floats), from the same measurements.
/// </summary>
internal static class GradientsBenchmark
{
    /// <summary>The paper's reference code recomputes gradients in blocks of this many tokens.</summary>
    private const int BlockSize = 250;
    private const int Documents = 941;
    private const int ContextLength = 256;
    private const double OneBit = 0.6931471805599453;

    public static async Task<int> RunAsync(string shared, int count)
    {
        string checkpoint = BenchRun.LargestModel(Path.Combine(shared, "models"));
        string name = Path.GetFileName(checkpoint);
        var work = Directory.CreateTempSubdirectory("quanta-bench-gradients-");
        try
        {
            var run = await BenchRun.PrepareAsync(shared, work.FullName, checkpoint, Documents, ContextLength);
            var member = FamilyManifest.Read(Path.Combine(run, "models", FamilyManifest.FileName)).Single();
            var selection = new SelectionOptions { MaxLoss = OneBit, Count = count, Seed = 0 };
            var options = new GradientsOptions { RunFolder = run, Model = name, SelectionModel = name, Selection = selection };
            // Both grad.onnx files exist before the clocks start: exporting is not part of either contender.
            GradientModelFile.Ensure(member, options.Gradient);
            string exactPath = GradientModelFile.Ensure(member, GradientOptions.Exact);
            long rssSetup = PeakMemory.PeakRssBytes();

            var clock = Stopwatch.StartNew();
            var result = await GradientsStage.RunAsync(options);
            double oursGradients = clock.Elapsed.TotalSeconds;
            var sketches = await GradientsPartReader.ReadSketchesAsync(result.Folder);
            int n = sketches.Length, k = sketches[0].Length;
            clock.Restart();
            var oursCosines = CosineMatrix.Compute(sketches.SelectMany(s => s).ToArray(), n, k);
            double oursCosine = clock.Elapsed.TotalSeconds;
            long rssOurs = PeakMemory.PeakRssBytes();
            Console.WriteLine($"model {name} (largest in ../shared/models); {n:N0} tokens of mixed-heldout (first {Documents} documents, {ContextLength} tokens) with loss < 1 bit, induction tokens excluded; {Environment.ProcessorCount} cores, ONNX Runtime CPU");
            if (n < count)
                Console.WriteLine($"(only {n:N0} tokens qualified of the {count:N0} asked)");
            double ours = oursGradients + oursCosine;
            Console.WriteLine($"ours:     sketches K = {k:N0}: gradients {oursGradients:F1} s ({n / oursGradients:F1} grads/s), cosine matrix {oursCosine:F2} s; total {ours:F1} s");

            var ingested = IngestedRun.Open(run);
            var selected = await TokenSelector.SelectAsync(ingested.TokensFolder, ModelPartitions.Folder(run, ModelDataset.Losses, name), ingested.Parts, selection);
            var sequences = await SampleSequences.BuildAsync(selected, ingested.TokensFolder, ingested.DocsPerPart);
            var baseline = PaperProcedure(exactPath, sequences, options.BatchTokens);
            long rssBaseline = PeakMemory.PeakRssBytes();
            double paper = baseline.GradientSeconds + baseline.ProductSeconds;
            double onceSeconds = baseline.FirstPassGradientSeconds + baseline.ProductSeconds;
            Console.WriteLine($"baseline: exact gradients D = {baseline.Dimension:N0}, blocks of {BlockSize}: {baseline.GradientsComputed:N0} gradient computations {baseline.GradientSeconds:F1} s, cosine blocks {baseline.ProductSeconds:F1} s; total {paper:F1} s ({n / paper:F2} grads/s)");
            Console.WriteLine($"speed-up vs the paper's procedure: x{paper / ours:F1} (target >= 10)");
            Console.WriteLine($"exact gradients computed once and kept instead ({(double)n * baseline.Dimension * 4 / 1e9:F1} GB of RAM): {onceSeconds:F1} s from the same measurements; ours is x{onceSeconds / ours:F1} faster");
            Console.WriteLine($"agreement: Pearson r of the {n * (n - 1L) / 2:N0} pairwise cosines, sketch vs exact = {Pearson.Correlation(Pearson.UpperTriangle(oursCosines, n), Pearson.UpperTriangle(baseline.Cosines, n)):F4}");
            Console.WriteLine($"memory: sketches N·K = {(double)n * k * 4 / 1048576:F1} MiB (+ N² cosines {(double)n * n * 4 / 1048576:F1} MiB); exact N·D would be {(double)n * baseline.Dimension * 4 / 1048576:N0} MiB; the baseline holds 2 blocks, {2.0 * BlockSize * baseline.Dimension * 4 / 1048576:N0} MiB");
            Console.WriteLine($"peak RSS: after set-up {PeakMemory.MiB(rssSetup)}, after ours {PeakMemory.MiB(rssOurs)} (+{PeakMemory.MiB(rssOurs - rssSetup)}), after the baseline {PeakMemory.MiB(rssBaseline)}");
            return 0;
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    private sealed record Baseline(float[] Cosines, int Dimension, long GradientsComputed, double GradientSeconds, double FirstPassGradientSeconds, double ProductSeconds);

    private static Baseline PaperProcedure(string exactPath, int[][] sequences, int batchTokens)
    {
        int n = sequences.Length;
        using var runner = GradientRunner.Open(exactPath);
        using var product = new MatrixProduct(transposeB: true);
        int d = runner.Dimension;
        var cosines = new float[(long)n * n];
        var gradientClock = new Stopwatch();
        var productClock = new Stopwatch();
        double firstPass = 0;
        long computed = 0;
        var left = new float[(long)BlockSize * d];
        var right = new float[(long)BlockSize * d];
        var tile = new float[BlockSize * BlockSize];
        for (int i0 = 0; i0 < n; i0 += BlockSize)
        {
            int iCount = Math.Min(BlockSize, n - i0);
            double before = gradientClock.Elapsed.TotalSeconds;
            computed += ExactBlock(runner, sequences, i0, iCount, left, d, batchTokens, gradientClock);
            firstPass += gradientClock.Elapsed.TotalSeconds - before;
            for (int j0 = i0; j0 < n; j0 += BlockSize)
            {
                int jCount = Math.Min(BlockSize, n - j0);
                float[] other = left;
                if (j0 != i0)
                {
                    computed += ExactBlock(runner, sequences, j0, jCount, right, d, batchTokens, gradientClock);
                    other = right;
                }
                productClock.Start();
                product.Multiply(left.AsMemory(0, iCount * d), other.AsMemory(0, jCount * d), tile.AsMemory(0, iCount * jCount), iCount, jCount, d);
                for (int i = 0; i < iCount; i++)
                    for (int j = 0; j < jCount; j++)
                    {
                        float c = Math.Clamp(tile[i * jCount + j], -1f, 1f);
                        cosines[(long)(i0 + i) * n + j0 + j] = c;
                        cosines[(long)(j0 + j) * n + i0 + i] = c;
                    }
                productClock.Stop();
            }
        }
        return new Baseline(cosines, d, computed, gradientClock.Elapsed.TotalSeconds, firstPass, productClock.Elapsed.TotalSeconds);
    }

    /// <summary>Exact, normalised gradients of samples [first, first+count) into rows of <paramref name="block"/>.</summary>
    private static int ExactBlock(GradientRunner runner, int[][] sequences, int first, int count, float[] block, int d, int batchTokens, Stopwatch clock)
    {
        clock.Start();
        foreach (var batch in LengthBatcher.Batches(Enumerable.Range(first, count).Select(i => sequences[i].Length).ToArray(), batchTokens))
        {
            var results = runner.Run(batch.Select(i => (ReadOnlyMemory<int>)sequences[first + i]).ToArray(), batch.Select(i => sequences[first + i].Length - 1).ToArray());
            for (int b = 0; b < batch.Length; b++)
            {
                var row = block.AsSpan(batch[b] * d, d);
                results[b].Sketch.CopyTo(row);
                float norm = TensorPrimitives.Norm(row);
                if (norm > 0)
                    TensorPrimitives.Divide(row, norm, row);
            }
        }
        clock.Stop();
        return count;
    }
}
