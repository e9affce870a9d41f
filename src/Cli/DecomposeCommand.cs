using System.CommandLine;
using System.Globalization;
using QuantaProbe.Core;
using QuantaProbe.Decompose.Qdg;
using QuantaProbe.Decompose.Stage;

namespace QuantaProbe.Cli;

internal static class DecomposeCommand
{
    public static Command Create()
    {
        var run = new Option<string>("--run") { Description = "The run folder (after infer; QDG also after gradients)", Required = true };
        var seed = new Option<int>("--seed") { Description = "Seed of the bootstraps and of the clustering", DefaultValueFactory = _ => 0 };
        var resamples = new Option<int>("--resamples") { Description = "Bootstrap resamples over documents", DefaultValueFactory = _ => 1000 };
        var ks = new Option<string?>("--k") { Description = "QDG numbers of clusters, comma-separated (default: the paper's 10,20,…,1500)" };
        var referenceK = new Option<int>("--reference-k") { Description = "The k whose clusters are reported and fitted by MLE", DefaultValueFactory = _ => 400 };
        var restarts = new Option<int>("--restarts") { Description = "k-means restarts per k", DefaultValueFactory = _ => 10 };
        var qdgResamples = new Option<int>("--qdg-resamples") { Description = "Bootstrap resamples over samples for the slopes", DefaultValueFactory = _ => 200 };
        var rankRange = new Option<string?>("--rank-range") { Description = "Envelope ranks of the log-log fit, FIRST-LAST (default: the paper's 100–1000 scaled to the largest k)" };
        var curveWeight = new Option<double>("--curve-weight") { Description = "λ: add λ × each pair's loss-curve distance across sizes to the gradient distance (agglomerative only); 0 = gradients alone, as the paper", DefaultValueFactory = _ => 0 };
        var shard = StageClock.ShardOption("classify tokens of");
        var method = new Option<string>("--method") { Description = "QDG clustering: agglomerative (average linkage on the sign-invariant angular distance; recovers planted quanta) or spectral (the paper's)", DefaultValueFactory = _ => "agglomerative" };

        var command = new Command("decompose", "Scaling fits, per-token curves, loss distributions and QDG clusters with their power law → decompose/")
        {
            run, seed, resamples, ks, referenceK, method, curveWeight, restarts, qdgResamples, rankRange, shard,
        };
        command.SetAction((parse, cancel) => CommandRunner.RunAsync(async ct =>
        {
            var qdg = new QdgOptions
            {
                Ks = parse.GetValue(ks) is { } list ? ParseKs(list) : QdgOptions.PaperKs,
                ReferenceK = parse.GetValue(referenceK),
                Method = parse.GetValue(method) switch
                {
                    "agglomerative" => QdgMethod.Agglomerative,
                    "spectral" => QdgMethod.Spectral,
                    var m => throw new QuantaException($"--method {m}: expected agglomerative or spectral"),
                },
                Restarts = parse.GetValue(restarts),
                Resamples = parse.GetValue(qdgResamples),
                RankRange = parse.GetValue(rankRange) is { } range ? ParseRange(range) : null,
                CurveWeight = parse.GetValue(curveWeight),
            };
            var result = await DecomposeStage.RunAsync(new DecomposeOptions
            {
                RunFolder = parse.GetValue(run)!,
                Seed = parse.GetValue(seed),
                Resamples = parse.GetValue(resamples),
                Shard = ShardSpec.Parse(parse.GetValue(shard)),
                Qdg = qdg,
                Progress = line => Console.Error.WriteLine("decompose: " + line),
            }, ct);
            Console.WriteLine($"decompose: {result.TokenScalingPartsWritten} token_scaling parts written");
            StageClock.PrintEnd("decompose", result.Complete, result.SummaryPath);
        }, cancel));
        return command;
    }

    private static int[] ParseKs(string text)
    {
        var parts = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var ks = new int[parts.Length];
        for (int i = 0; i < parts.Length; i++)
            if (!int.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out ks[i]) || ks[i] < 2)
                throw new QuantaException($"--k {text}: expected comma-separated whole numbers of at least 2, e.g. 10,20,50");
        return parts.Length > 0 ? ks : throw new QuantaException("--k is empty: give e.g. 10,20,50");
    }

    private static (int, int) ParseRange(string text)
    {
        var p = text.Split('-');
        if (p.Length == 2 && int.TryParse(p[0], CultureInfo.InvariantCulture, out int first) && int.TryParse(p[1], CultureInfo.InvariantCulture, out int last) && first >= 1 && last > first)
            return (first, last);
        throw new QuantaException($"--rank-range {text}: expected FIRST-LAST with 1 ≤ FIRST < LAST, e.g. 100-1000");
    }
}
