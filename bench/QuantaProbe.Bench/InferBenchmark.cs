using System.Diagnostics;
using System.Globalization;
using System.Numerics.Tensors;
using System.Text.Json;
using Microsoft.ML.OnnxRuntime;
using QuantaProbe.Export;
using QuantaProbe.Models.Architectures;
using QuantaProbe.Models.Runtime;
using QuantaProbe.Ingest.Tokenization;
using QuantaProbe.Onnx;

namespace QuantaProbe.Bench;

/// <summary>
/// Inference throughput of loss.onnx through <see cref="LossRunner"/> (log-softmax and gather in the
/// graph) against the usual recipe, measured in the same process on the same batches: logits.onnx
/// returns [B,T,V] logits to the host, which computes the loss with TensorPrimitives. Then the peak
/// RSS of ours on a corpus of L and of 4L documents, each in a child process of this benchmark.
/// </summary>
internal static class InferBenchmark
{
    /// <summary>Documents are truncated to this many tokens (the shared models' reference figures use 256).</summary>
    private const int ContextLength = 256;
    /// <summary>Batches hold documents of similar length, about this many (padded) tokens each.</summary>
    private const int TokensPerBatch = 2048;
    /// <summary>Both contenders pad a batch to a multiple of this length (loss.onnx's quantaprobe.pad_to_multiple).</summary>
    private const int PadToMultiple = 8;
    /// <summary>Cap on the documents of mixed-heldout.jsonl used by the timed runs (it holds 941).</summary>
    private const int MaxDocuments = 941;
    /// <summary>Timed passes over all batches per contender, interleaved ours/baseline; the figure is their total.</summary>
    private const int Rounds = 2;
    /// <summary>Corpus length L (documents) of the peak-RSS check; the other child reads 4L distinct documents.</summary>
    private const int RssDocuments = 235;
    /// <summary>The RSS children stream the corpus in windows of this many documents (sorted by length within a window).</summary>
    private const int RssWindowDocuments = 128;

    /// <summary>Hidden sub-command: one peak-RSS measurement of ours, in its own process.</summary>
    public const string RssChildCommand = "infer-rss-child";

    private const string CorpusFile = "mixed-heldout.jsonl";

    public static int Run(string shared)
    {
        string checkpoint = BenchRun.LargestModel(Path.Combine(shared, "models"));
        string corpus = Path.Combine(shared, "corpora", CorpusFile);
        var tokenizer = HfTokenizer.Load(Path.Combine(checkpoint, "tokenizer.json"));
        Console.WriteLine($"model: {Path.GetFileName(checkpoint)} (largest in ../shared/models); corpus: {CorpusFile}; cores: {Environment.ProcessorCount}; ONNX Runtime CPU");

        var work = Directory.CreateTempSubdirectory("quanta-bench-infer-");
        try
        {
            var clock = Stopwatch.StartNew();
            ModelExporter.ExportCheckpoint(checkpoint, work.FullName, Path.GetFileName(checkpoint));
            string logitsPath = ModelGraphExport.ExportLogits(checkpoint, work.FullName);
            Console.WriteLine($"exported loss.onnx and logits.onnx in {clock.Elapsed.TotalSeconds:F1} s");

            var documents = ReadDocuments(corpus).Take(MaxDocuments).Select(t => Tokenize(tokenizer, t)).ToList();
            var batches = Batch(Enumerable.Range(0, documents.Count).Where(i => documents[i].Length >= 2), documents);
            long tokens = batches.Sum(b => b.Sum(i => (long)documents[i].Length));
            long predicted = batches.Sum(b => b.Sum(i => (long)documents[i].Length - 1));
            long padded = batches.Sum(b => (long)b.Length * Padded(documents[b[0]].Length));
            Console.WriteLine($"documents: {documents.Count:N0} used (cap {MaxDocuments}), truncated to {ContextLength} tokens: {tokens:N0} tokens, {predicted:N0} predicted; " +
                              $"{batches.Count} batches of <= {TokensPerBatch} padded tokens sorted by length ({100.0 * (padded - tokens) / padded:F1}% padding)");

            using var ours = LossRunner.Open(work.FullName);
            using var baseline = new LogitsBaseline(logitsPath);

            // Warm-up on the largest batch (the first: longest documents), so both arenas are sized up front.
            for (int i = 0; i < 2; i++)
            {
                RunOurs(ours, batches.Take(1), documents);
                RunBaseline(baseline, batches.Take(1), documents);
            }

            double oursSeconds = 0, baselineSeconds = 0;
            float[][] oursLosses = [], baselineLosses = [];
            for (int round = 0; round < Rounds; round++)
            {
                clock.Restart();
                oursLosses = RunOurs(ours, batches, documents);
                oursSeconds += clock.Elapsed.TotalSeconds;
                clock.Restart();
                baselineLosses = RunBaseline(baseline, batches, documents);
                baselineSeconds += clock.Elapsed.TotalSeconds;
            }

            var oursFigure = new Figure(tokens * Rounds, oursSeconds);
            var baselineFigure = new Figure(tokens * Rounds, baselineSeconds);
            Print("BASELINE logits.onnx [B,T,V] to host + TensorPrimitives log-softmax/gather", baselineFigure, baselineFigure);
            Print("OURS loss.onnx via LossRunner (loss + entropy in the graph)", oursFigure, baselineFigure);
            double ratio = oursFigure.TokensPerSecond / baselineFigure.TokensPerSecond;
            Console.WriteLine($"ratio ours/baseline: x{ratio:F2}; target >= x3: {(ratio >= 3 ? "met" : "NOT met")}");

            var (oursMean, baselineMean, maxDiff) = Compare(oursLosses, baselineLosses);
            bool agree = Math.Abs(oursMean - baselineMean) <= 1e-4 && maxDiff <= 1e-3;
            Console.WriteLine($"mean loss over {predicted:N0} predicted tokens: ours {oursMean:F6} nats, baseline {baselineMean:F6} nats " +
                              $"(|diff| {Math.Abs(oursMean - baselineMean):E2}, max per-token |diff| {maxDiff:E2}): {(agree ? "agree" : "DISAGREE")}");
            var first300 = oursLosses.Take(300).SelectMany(l => l).ToArray();
            Console.WriteLine($"mean loss of ours on the first 300 documents: {first300.Average(x => (double)x):F4} nats over {first300.Length:N0} tokens " +
                              "(../shared/models/README.md, PyTorch reference: 4.6586 over 35,676 for step1200)");

            int rssExit = MeasureRss(shared, checkpoint, work.FullName);
            return agree && rssExit == 0 ? 0 : 1;
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    // ---- the two contenders ----

    /// <summary>Per-document token losses from loss.onnx; documents not in any batch get none.</summary>
    private static float[][] RunOurs(LossRunner runner, IEnumerable<int[]> batches, List<int[]> documents)
    {
        var result = new float[documents.Count][];
        Array.Fill(result, []);
        foreach (var batch in batches)
        {
            var losses = runner.Run(batch.Select(i => (ReadOnlyMemory<int>)documents[i]).ToList());
            for (int k = 0; k < batch.Length; k++)
                result[batch[k]] = losses[k].Loss;
        }
        return result;
    }

    private static float[][] RunBaseline(LogitsBaseline baseline, IEnumerable<int[]> batches, List<int[]> documents)
    {
        var result = new float[documents.Count][];
        Array.Fill(result, []);
        foreach (var batch in batches)
        {
            var losses = baseline.Run(batch.Select(i => documents[i]).ToArray());
            for (int k = 0; k < batch.Length; k++)
                result[batch[k]] = losses[k];
        }
        return result;
    }

    /// <summary>The usual recipe: run the decoder to full logits, then log-softmax and gather on the host.</summary>
    private sealed class LogitsBaseline : IDisposable
    {
        private static readonly string[] InputNames = ["input_ids", "attention_mask"];
        private static readonly string[] OutputNames = ["logits"];
        private readonly InferenceSession _session;
        private readonly RunOptions _runOptions = new();

        public LogitsBaseline(string path)
        {
            // LossRunner's session settings and bound weights, so only the head and the host work differ.
            _session = ModelSessions.Create(path, InferenceDevice.Cpu, intraOpThreads: null);
        }

        public float[][] Run(int[][] sequences)
        {
            int batch = sequences.Length, length = Padded(sequences.Max(s => s.Length));
            var ids = new long[batch * length];
            var mask = new long[batch * length];
            for (int b = 0; b < batch; b++)
                for (int t = 0; t < sequences[b].Length; t++)
                    (ids[b * length + t], mask[b * length + t]) = (sequences[b][t], 1);

            using var idsValue = OrtValue.CreateTensorValueFromMemory(ids, [batch, length]);
            using var maskValue = OrtValue.CreateTensorValueFromMemory(mask, [batch, length]);
            using var outputs = _session.Run(_runOptions, InputNames, [idsValue, maskValue], OutputNames);
            var logits = outputs[0];
            int vocab = (int)logits.GetTensorTypeAndShape().Shape[2];

            var result = new float[batch][];
            // Host side on all cores, one sequence per work item: loss_t = logsumexp(z_t) - z_t[next].
            Parallel.For(0, batch, () => new float[vocab], (b, _, scratch) =>
            {
                var all = logits.GetTensorDataAsSpan<float>();
                int n = sequences[b].Length - 1;
                var losses = new float[n];
                for (int t = 0; t < n; t++)
                {
                    var row = all.Slice((b * length + t) * vocab, vocab);
                    float max = TensorPrimitives.Max(row);
                    TensorPrimitives.Subtract(row, max, scratch);
                    TensorPrimitives.Exp(scratch, scratch);
                    float logZ = max + MathF.Log(TensorPrimitives.Sum(scratch));
                    losses[t] = logZ - row[sequences[b][t + 1]];
                }
                result[b] = losses;
                return scratch;
            }, _ => { });
            return result;
        }

        public void Dispose()
        {
            _runOptions.Dispose();
            _session.Dispose();
        }
    }

    // ---- peak RSS of ours on L and 4L documents, each in a child process ----

    private static int MeasureRss(string shared, string checkpoint, string modelFolder)
    {
        var small = RunRssChild(shared, checkpoint, modelFolder, RssDocuments);
        var large = RunRssChild(shared, checkpoint, modelFolder, 4 * RssDocuments);
        if (small is null || large is null)
            return 1;
        foreach (var (docs, r) in new[] { (RssDocuments, small.Value), (4 * RssDocuments, large.Value) })
            Console.WriteLine($"peak RSS of ours, corpus of {docs} documents ({r.Tokens:N0} tokens, {r.Seconds:F1} s, {r.TokensPerSecond:N0} tokens/s, mean loss {r.MeanLoss:F4}): {r.PeakRssBytes / 1048576.0:F1} MiB");
        double ratio = (double)large.Value.PeakRssBytes / small.Value.PeakRssBytes;
        bool flat = ratio <= 1.10;
        Console.WriteLine($"peak RSS ratio 4L/L: x{ratio:F3} (corpus x{(double)large.Value.Tokens / small.Value.Tokens:F2} tokens); must not grow with corpus length (<= x1.10): {(flat ? "met" : "NOT met")}");
        return flat ? 0 : 1;
    }

    private readonly record struct RssResult(long PeakRssBytes, long Tokens, double Seconds, double MeanLoss)
    {
        public double TokensPerSecond => Tokens / Seconds;
    }

    private static RssResult? RunRssChild(string shared, string checkpoint, string modelFolder, int documents)
    {
        try
        {
            var child = BenchChild.Run([RssChildCommand, shared, checkpoint, modelFolder, documents.ToString(CultureInfo.InvariantCulture)]);
            return new RssResult(child.GetLong("peak_rss"), child.GetLong("tokens"), child.Get("seconds"), child.Get("mean_loss"));
        }
        catch (InvalidOperationException e)
        {
            Console.WriteLine($"RSS child for {documents} documents: {e.Message}");
            return null;
        }
    }

    /// <summary>
    /// The child: streams the first <c>documents</c> documents in windows (tokenize, sort by length,
    /// batch, run, keep only the running sum), then prints its peak RSS as one JSON line.
    /// </summary>
    public static int RssChild(string[] args)
    {
        string shared = args[1], checkpoint = args[2], modelFolder = args[3];
        int count = int.Parse(args[4], CultureInfo.InvariantCulture);
        var tokenizer = HfTokenizer.Load(Path.Combine(checkpoint, "tokenizer.json"));
        using var runner = LossRunner.Open(modelFolder);
        runner.WarmUp(TokensPerBatch / ContextLength, ContextLength);

        var clock = Stopwatch.StartNew();
        double sum = 0;
        long tokens = 0, predicted = 0;
        foreach (var window in ReadDocuments(Path.Combine(shared, "corpora", CorpusFile)).Take(count).Chunk(RssWindowDocuments))
        {
            var documents = window.Select(t => Tokenize(tokenizer, t)).ToList();
            foreach (var batch in Batch(Enumerable.Range(0, documents.Count).Where(i => documents[i].Length >= 2), documents))
            {
                var losses = runner.Run(batch.Select(i => (ReadOnlyMemory<int>)documents[i]).ToList());
                foreach (var l in losses)
                {
                    sum += TensorPrimitives.Sum<float>(l.Loss);
                    predicted += l.Loss.Length;
                }
                tokens += batch.Sum(i => (long)documents[i].Length);
            }
        }
        Console.WriteLine(JsonSerializer.Serialize(new
        {
            peak_rss = PeakMemory.PeakRssBytes(),
            tokens,
            seconds = clock.Elapsed.TotalSeconds,
            mean_loss = sum / predicted,
        }));
        return 0;
    }

    // ---- shared helpers ----

    private readonly record struct Figure(long Tokens, double Seconds)
    {
        public double TokensPerSecond => Tokens / Seconds;
    }

    private static void Print(string what, Figure f, Figure baseline) =>
        Console.WriteLine($"{what,-78} {f.TokensPerSecond,10:N0} tokens/s  ({f.Tokens:N0} tokens in {f.Seconds:F2} s)  x{f.TokensPerSecond / baseline.TokensPerSecond:F2}");

    private static int Padded(int length) => (length + PadToMultiple - 1) / PadToMultiple * PadToMultiple;

    private static int[] Tokenize(HfTokenizer tokenizer, string text)
    {
        var ids = new List<int>(ContextLength);
        tokenizer.Encode(text, ids, ContextLength);
        return ids.ToArray();
    }

    /// <summary>Longest first, so the first batch has the largest shape; each batch holds at most TokensPerBatch padded tokens.</summary>
    private static List<int[]> Batch(IEnumerable<int> indices, List<int[]> documents)
    {
        var batches = new List<int[]>();
        var current = new List<int>();
        int width = 0;
        foreach (int i in indices.OrderByDescending(i => documents[i].Length).ThenBy(i => i))
        {
            if (current.Count == 0)
                width = Padded(documents[i].Length);
            else if ((current.Count + 1) * width > TokensPerBatch)
            {
                batches.Add(current.ToArray());
                current.Clear();
                width = Padded(documents[i].Length);
            }
            current.Add(i);
        }
        if (current.Count > 0)
            batches.Add(current.ToArray());
        return batches;
    }

    private static IEnumerable<string> ReadDocuments(string jsonl) =>
        File.ReadLines(jsonl).Where(l => l.Length > 0).Select(l =>
        {
            using var doc = JsonDocument.Parse(l);
            return doc.RootElement.GetProperty("text").GetString()!;
        });

    private static (double OursMean, double BaselineMean, double MaxDiff) Compare(float[][] ours, float[][] baseline)
    {
        double a = 0, b = 0, maxDiff = 0;
        long n = 0;
        for (int d = 0; d < ours.Length; d++)
        {
            if (ours[d].Length != baseline[d].Length)
                throw new InvalidOperationException($"document {d}: {ours[d].Length} losses from ours, {baseline[d].Length} from the baseline");
            for (int t = 0; t < ours[d].Length; t++)
            {
                a += ours[d][t];
                b += baseline[d][t];
                maxDiff = Math.Max(maxDiff, Math.Abs(ours[d][t] - baseline[d][t]));
            }
            n += ours[d].Length;
        }
        return (a / n, b / n, maxDiff);
    }
}
