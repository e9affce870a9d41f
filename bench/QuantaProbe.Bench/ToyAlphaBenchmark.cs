using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using QuantaProbe.Decompose.Scaling;
using QuantaProbe.Decompose.GroundTruth;
using QuantaProbe.Toy.SparseParity;

namespace QuantaProbe.Bench;

/// <summary>
/// `bench -- toy-alpha [CONFIG ...]`: why the sparse-parity toy's mean-loss exponent α_N differs from
/// the theory's α. Each CONFIG (e.g. <c>tasks=32,alpha=0.4,steps=30000</c>; unset keys take the toy's
/// defaults) trains the toy's MLPs as <c>quanta toy sparse-parity</c> does (same seeds; on one thread, so a
/// batch's gradients are summed in another order and the figures differ slightly from the toy's), and
/// scores every subtask on its own fresh examples at 1/8, 1/4, 1/2 and all of the steps, so the
/// expected loss L = Σ p_k L_k has no sampling noise from the subtask mix. It prints, per width, L and
/// the subtasks learned, then α_N (the pipeline's pure power law over all widths) beside three
/// readings of the Quantization Model: how the learned count n grows with N, the α_N that n implies
/// with this toy's finite number of subtasks (L ∝ Σ_{k>n} p_k over k ≤ tasks), and the α_N the same n
/// would give if the Zipf tail went on for ever (the theory's setting, where α_N = α·d ln n/d ln N).
/// </summary>
internal static class ToyAlphaBenchmark
{
    /// <summary>Fresh examples per subtask at each evaluation.</summary>
    private const int EvalPerSubtask = 400;
    private static readonly double[] EvalFractions = [0.125, 0.25, 0.5, 1.0];

    /// <summary>The configurations run when none is given: α ∈ {0.2, 0.4, 0.8} with the paper's 500 subtasks and with 32.</summary>
    private static readonly string[] DefaultConfigs =
        ["tasks=500,alpha=0.2", "tasks=500,alpha=0.4", "tasks=500,alpha=0.8", "tasks=32,alpha=0.2", "tasks=32,alpha=0.4", "tasks=32,alpha=0.8"];

    private const int ConcurrentConfigs = 3;

    private sealed record Row(string Config, double Alpha, double? Paper, double AlphaN, double AlphaNHalfSteps, double LearnedExponent, double Truncated, double Infinite, double LargestLearned, int Tasks, double Minutes);

    public static int Run(IReadOnlyList<string> configs)
    {
        var list = configs.Count == 0 ? DefaultConfigs : configs;
        var options = list.Select(c => Parse(c) with { Threads = 1 }).ToArray(); // every config checked before any training
        var results = new (Row Row, string Text)[list.Count];
        // Configs run side by side, each trainer on one thread: on a busy 2-core machine this finishes
        // the sweep sooner than one config at a time on two threads, and a config's figures do not
        // depend on what runs beside it.
        Parallel.ForEach(Partitioner.Create(Enumerable.Range(0, list.Count), EnumerablePartitionerOptions.NoBuffering),
            new ParallelOptions { MaxDegreeOfParallelism = ConcurrentConfigs }, i =>
        {
            results[i] = RunConfig(list[i], options[i]);
            Console.Error.WriteLine($"done: {list[i]}");
        });
        foreach (var (_, text) in results)
            Console.WriteLine(text);
        Console.WriteLine("| config | α | α_N measured | α_N at half the steps | n ∝ N^x: x | α_N from n, finite tasks | α_N from n, endless tail | largest width learns (n_eff) | paper's α_N | minutes |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|---|---|");
        foreach (var (r, _) in results)
            Console.WriteLine($"| {r.Config} | {r.Alpha:0.##} | {r.AlphaN:F2} | {r.AlphaNHalfSteps:F2} | {r.LearnedExponent:F2} | {r.Truncated:F2} | {r.Infinite:F2} | {r.LargestLearned:F1} of {r.Tasks} | {(r.Paper is { } p ? p.ToString("F2", CultureInfo.InvariantCulture) : "–")} | {r.Minutes:F1} |");
        return 0;
    }

    private static (Row Row, string Text) RunConfig(string label, ToyOptions o)
    {
        var text = new StringWriter();
        var clock = Stopwatch.StartNew();
        var task = new SparseParityTask(o.Tasks, o.Bits, o.K, o.Alpha, o.Seed);
        var (evalSubtasks, evalBits, evalLabels) = EvalSet(task, o.Seed);
        var widths = o.Widths.Order().ToArray();
        var parameters = new double[widths.Length];
        var losses = new double[EvalFractions.Length][][]; // [evaluation][width][subtask]
        for (int e = 0; e < losses.Length; e++)
            losses[e] = new double[widths.Length][];
        var trainSeconds = new double[widths.Length];

        for (int i = 0; i < widths.Length; i++)
        {
            var weights = MlpWeights.Initialize(task.InputWidth, widths[i], new Random(StableSeed.Of(o.Seed, widths[i], 0x1417)));
            var trainer = new MlpTrainer(task, weights, o.BatchSize, o.LearningRate, o.Threads ?? Environment.ProcessorCount);
            var random = new Random(StableSeed.Of(o.Seed, widths[i], 0xBA7C));
            var start = Stopwatch.StartNew();
            int e = 0;
            for (int step = 1; step <= o.Steps; step++)
            {
                trainer.Step(random);
                while (e < EvalFractions.Length && step == (int)Math.Round(o.Steps * EvalFractions[e]))
                    losses[e++][i] = PerSubtaskLoss(task, weights, evalSubtasks, evalBits, evalLabels);
            }
            trainSeconds[i] = start.Elapsed.TotalSeconds;
            parameters[i] = weights.ParameterCount;
        }

        var p = task.Probabilities;
        double[] Expected(double[][] byWidth) => byWidth.Select(l => l.Select((x, k) => p[k] * x).Sum()).ToArray();
        var final = losses[^1];
        var learned = final.Select(l => l.Count(x => x < SubtaskScaling.LearnedBelowNats)).ToArray();
        // Effective count: each subtask counts by the share of its chance-level loss that is gone.
        var effective = final.Select(l => l.Sum(x => Math.Clamp(1 - x / Math.Log(2), 0, 1))).ToArray();

        text.WriteLine($"{label}: tasks {o.Tasks}, n {o.Bits}, k {o.K}, α {o.Alpha}, {o.Steps:N0} steps of {o.BatchSize:N0} at lr {o.LearningRate}, seed {o.Seed}; L = Σ p_k L_k from {EvalPerSubtask} fresh examples per subtask");
        text.WriteLine($"  {"width",5} {"N",7} {"L@1/8",7} {"L@1/4",7} {"L@1/2",7} {"L",7} {"learned",7} {"n_eff",6} {"train s",7}");
        var expected = losses.Select(Expected).ToArray();
        for (int i = 0; i < widths.Length; i++)
            text.WriteLine($"  {widths[i],5} {parameters[i],7} {expected[0][i],7:F4} {expected[1][i],7:F4} {expected[2][i],7:F4} {expected[3][i],7:F4} {learned[i],7} {effective[i],6:F1} {trainSeconds[i],7:F1}");

        var alphaN = expected.Select(l => ScalingLawFitter.FitPure(parameters, l).Alpha).ToArray();
        double learnedExponent = Slope(parameters, effective);
        double truncated = ScalingLawFitter.FitPure(parameters, effective.Select(n => Tail(o.Alpha, n, o.Tasks)).ToArray()).Alpha;
        double infinite = ScalingLawFitter.FitPure(parameters, effective.Select(n => Tail(o.Alpha, n, int.MaxValue)).ToArray()).Alpha;
        var unsaturated = Enumerable.Range(0, widths.Length).Where(i => effective[i] <= o.Tasks / 4.0).ToArray();
        double? alphaNUnsaturated = unsaturated.Length >= 2
            ? ScalingLawFitter.FitPure(unsaturated.Select(i => parameters[i]).ToArray(), unsaturated.Select(i => expected[^1][i]).ToArray()).Alpha : null;
        double? paper = PaperReference.AlphaN(o.Alpha);
        text.WriteLine($"  α_N (pure power law over all widths) after 1/8, 1/4, 1/2, all steps: {string.Join(", ", alphaN.Select(a => a.ToString("F3", CultureInfo.InvariantCulture)))}; theory α = {o.Alpha}, paper {(paper is { } v ? v.ToString("F2", CultureInfo.InvariantCulture) : "–")}");
        text.WriteLine($"  α_N over the widths whose n_eff ≤ tasks/4 ({unsaturated.Length} widths): {(alphaNUnsaturated is { } u ? u.ToString("F3", CultureInfo.InvariantCulture) : "too few")}");
        text.WriteLine($"  learned count n_eff ∝ N^{learnedExponent:F3} (the theory needs 1); the quanta model with these n: α_N {truncated:F3} with {o.Tasks} subtasks, {infinite:F3} with an endless Zipf tail (= α·{infinite / o.Alpha:F2})");
        return (new Row(label, o.Alpha, paper, alphaN[^1], alphaN[2], learnedExponent, truncated, infinite, effective[^1], o.Tasks, clock.Elapsed.TotalMinutes), text.ToString());
    }

    /// <summary>
    /// The unlearned mass of a Zipf law over subtasks 1…<paramref name="tasks"/> once the first
    /// <paramref name="n"/> (fractional: the next one partly) are learned, unnormalised (the fit's slope
    /// does not depend on the constant). For an endless tail the sum past 10⁶ is the integral's.
    /// </summary>
    private static double Tail(double alpha, double n, int tasks)
    {
        double s = alpha + 1;
        int last = Math.Min(tasks, 1_000_000);
        int full = (int)Math.Floor(n);
        double sum = 0;
        for (int k = last; k > full; k--)
            sum += Math.Pow(k, -s);
        if (tasks > last)
            sum += Math.Pow(last + 0.5, 1 - s) / (s - 1);
        if (full < last)
            sum -= (n - full) * Math.Pow(full + 1, -s);
        return Math.Max(sum, 1e-300);
    }

    private static double Slope(double[] x, double[] y)
    {
        var points = Enumerable.Range(0, x.Length).Where(i => y[i] > 0).ToArray();
        return points.Length < 2 ? double.NaN
            : MathNet.Numerics.Fit.Line(points.Select(i => Math.Log(x[i])).ToArray(), points.Select(i => Math.Log(y[i])).ToArray()).B;
    }

    private static double[] PerSubtaskLoss(SparseParityTask task, MlpWeights weights, int[] subtasks, byte[] bits, byte[] labels)
    {
        var each = MlpEvaluator.Losses(task, weights, subtasks, bits, labels);
        var mean = new double[task.Tasks];
        for (int i = 0; i < each.Length; i++)
            mean[subtasks[i]] += each[i] / (double)EvalPerSubtask;
        return mean;
    }

    /// <summary><see cref="EvalPerSubtask"/> uniform task-bit patterns per subtask, from a seed the training never uses.</summary>
    private static (int[] Subtasks, byte[] Bits, byte[] Labels) EvalSet(SparseParityTask task, long seed)
    {
        int count = task.Tasks * EvalPerSubtask;
        var subtasks = new int[count];
        var bits = new byte[count * task.Bits];
        var labels = new byte[count];
        var random = new Random(StableSeed.Of(seed, 0xE7A1));
        for (int i = 0; i < count; i++)
        {
            subtasks[i] = i / EvalPerSubtask;
            var row = bits.AsSpan(i * task.Bits, task.Bits);
            for (int j = 0; j < row.Length; j++)
                row[j] = (byte)random.Next(2);
            labels[i] = task.Label(subtasks[i], row);
        }
        return (subtasks, bits, labels);
    }

    /// <summary>Parses <c>key=value,…</c> over the toy's defaults: tasks, n, alpha, steps, batch, lr, seed, widths (FROM:TO:COUNT or a/b/c…).</summary>
    private static ToyOptions Parse(string config)
    {
        var o = new ToyOptions { RunFolder = "" };
        foreach (var pair in config.Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            var (key, value) = (pair.Split('=')[0], pair.Split('=').ElementAtOrDefault(1) ?? "");
            var inv = CultureInfo.InvariantCulture;
            o = key switch
            {
                "tasks" => o with { Tasks = int.Parse(value, inv) },
                "n" => o with { Bits = int.Parse(value, inv) },
                "alpha" => o with { Alpha = double.Parse(value, inv) },
                "steps" => o with { Steps = int.Parse(value, inv) },
                "batch" => o with { BatchSize = int.Parse(value, inv) },
                "lr" => o with { LearningRate = double.Parse(value, inv) },
                "seed" => o with { Seed = long.Parse(value, inv) },
                "widths" => o with { Widths = ParseWidths(value) },
                _ => throw new ArgumentException($"toy-alpha config '{config}': unknown key '{key}' (tasks, n, alpha, steps, batch, lr, seed, widths)"),
            };
        }
        o.Validate();
        return o;
    }

    /// <summary>FROM:TO:COUNT (log-spaced), or the widths separated by '/'.</summary>
    private static IReadOnlyList<int> ParseWidths(string value)
    {
        var inv = CultureInfo.InvariantCulture;
        var range = value.Split(':');
        return range.Length == 3
            ? ToyOptions.LogSpaced(int.Parse(range[0], inv), int.Parse(range[1], inv), int.Parse(range[2], inv))
            : value.Split('/').Select(s => int.Parse(s, inv)).ToArray();
    }
}
