using System.CommandLine;
using System.Globalization;
using QuantaProbe.Core;
using QuantaProbe.Toy.SparseParity;

namespace QuantaProbe.Cli;

/// <summary><c>quanta toy sparse-parity</c>: a family with known quanta, ready for infer, gradients and decompose.</summary>
internal static class ToyCommand
{
    public static Command Create()
    {
        var defaults = new ToyOptions { RunFolder = "" };
        var outFolder = new Option<string>("--out") { Description = "The run folder to create or resume", Required = true };
        var paper = new Option<bool>("--paper") { Description = "The paper's main setting (500 subtasks, n 100, 30 widths 10…500, 2·10⁵ steps of 20,000, lr 1e-3): for a big machine; other flags override it" };
        var tasks = new Option<int?>("--tasks") { Description = $"Number of subtasks (default {defaults.Tasks})" };
        var bits = new Option<int?>("--n") { Description = $"Task bits per example (default {defaults.Bits})" };
        var k = new Option<int?>("--k") { Description = $"Bits in each subtask's parity (default {defaults.K})" };
        var alpha = new Option<double?>("--alpha") { Description = $"Subtask frequencies ∝ rank^-(α+1) (default {defaults.Alpha}; the authors' code calls α+1 'alpha')" };
        var widths = new Option<string?>("--widths") { Description = $"Comma-separated hidden widths, or FROM:TO:COUNT log-spaced (default {string.Join(",", defaults.Widths)})" };
        var steps = new Option<int?>("--steps") { Description = $"Adam steps per model, each on a fresh batch (default {defaults.Steps:N0})" };
        var batch = new Option<int?>("--batch") { Description = $"Examples per step (default {defaults.BatchSize:N0})" };
        var lr = new Option<double?>("--lr") { Description = $"Adam learning rate (default {defaults.LearningRate}; the paper's is 1e-3 with 20,000-example batches)" };
        var samples = new Option<int?>("--samples") { Description = $"Evaluation examples written as documents (default {defaults.Samples:N0})" };
        var seed = new Option<long>("--seed") { Description = "Seed of the subtask bits, the data and the training", DefaultValueFactory = _ => 0 };
        var threads = new Option<int?>("--threads") { Description = "Training threads (default: all cores)" };
        var checkpoints = new Option<int?>("--checkpoints") { Description = $"Earlier checkpoints per width, at steps/2, steps/4, … (default {defaults.Checkpoints}; 0: final models only): time scaling and the learning order along steps use them" };

        var sparseParity = new Command("sparse-parity", "Multitask sparse parity (Michaud et al. 2023): generate data, train MLPs of several widths, export them as a family")
        {
            outFolder, paper, tasks, bits, k, alpha, widths, steps, batch, lr, samples, seed, threads, checkpoints,
        };
        sparseParity.SetAction((parse, cancel) => CommandRunner.RunAsync(async ct =>
        {
            string run = parse.GetValue(outFolder)!;
            var options = parse.GetValue(paper) ? ToyOptions.Paper(run) : new ToyOptions { RunFolder = run };
            options = options with
            {
                Tasks = parse.GetValue(tasks) ?? options.Tasks,
                Bits = parse.GetValue(bits) ?? options.Bits,
                K = parse.GetValue(k) ?? options.K,
                Alpha = parse.GetValue(alpha) ?? options.Alpha,
                Widths = parse.GetValue(widths) is string w ? ParseWidths(w) : options.Widths,
                Steps = parse.GetValue(steps) ?? options.Steps,
                BatchSize = parse.GetValue(batch) ?? options.BatchSize,
                LearningRate = parse.GetValue(lr) ?? options.LearningRate,
                Samples = parse.GetValue(samples) ?? options.Samples,
                Seed = parse.GetValue(seed),
                Threads = parse.GetValue(threads),
                Checkpoints = parse.GetValue(checkpoints) ?? options.Checkpoints,
            };
            var clock = new StageClock();
            var result = await ProgressDisplay.RunAsync("toy", report =>
                SparseParityToy.RunAsync(options, new Progress<ToyProgress>(p => report(p.Done, p.Total, $"{p.Phase}: {p.Done:N0}/{p.Total:N0}")), ct));
            foreach (var m in result.Models)
                Console.WriteLine($"  {m.Name}: {m.Parameters:N0} parameters, final training loss {m.FinalTrainLoss:F4} nats{(m.Skipped ? " (already trained)" : $", {m.TrainSeconds:F1} s")}");
            if (result.LargestSharedBits > 1)
                Console.WriteLine($"toy: some subtasks share {result.LargestSharedBits} bits (too many subtasks for --n {options.Bits}); their gradients may look alike: raise --n or lower --tasks");
            string largest = result.Models.MaxBy(m => m.Width)!.Name;
            Console.WriteLine($"toy: {result.Models.Count} models{(options.CheckpointSteps.Count > 0 ? $", each also at steps {string.Join(",", options.CheckpointSteps)}," : "")} in {Path.Combine(run, "models")} ({clock.Elapsed.TotalSeconds:F1} s). Next:");
            Console.WriteLine($"  quanta infer --run {run}");
            Console.WriteLine($"  quanta gradients --run {run} --model {largest} --select-model {largest} --exact");
            Console.WriteLine($"  quanta decompose --run {run} --k {string.Join(",", options.QdgKs())} --reference-k {options.Tasks} --rank-range {options.QdgRankRange.First}-{options.QdgRankRange.Last} --curve-weight {ToyOptions.QdgCurveWeight.ToString(System.Globalization.CultureInfo.InvariantCulture)}");
        }, cancel));

        return new Command("toy", "Models with known quanta, to check QuantaProbe's answers against the truth") { sparseParity };
    }

    private static IReadOnlyList<int> ParseWidths(string text)
    {
        var parts = text.Split(':');
        try
        {
            if (parts.Length == 3)
                return ToyOptions.LogSpaced(int.Parse(parts[0], CultureInfo.InvariantCulture), int.Parse(parts[1], CultureInfo.InvariantCulture), int.Parse(parts[2], CultureInfo.InvariantCulture));
            return text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToList();
        }
        catch (FormatException)
        {
            throw new QuantaException($"--widths {text}: give comma-separated integers (8,16,32) or FROM:TO:COUNT (10:500:30)");
        }
    }
}
