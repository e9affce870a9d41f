using System.Text.Json;
using QuantaProbe.Decompose.Scaling;

namespace QuantaProbe.Tests.Decompose;

[Trait("tier", "fast")]
public class ScalingLawFitterTests
{
    private static readonly double[] Sizes = [1e6, 3e6, 1e7, 3e7, 1e8, 3e8, 1e9];

    [Fact]
    public void Recovers_an_exact_law_with_irreducible_loss()
    {
        var loss = Sizes.Select(n => 1.7 + Math.Pow(5.4e4 / n, 0.34)).ToArray();
        var fit = ScalingLawFitter.FitWithIrreducible(Sizes, loss);
        Assert.Equal(0.34, fit.Alpha, 3);
        Assert.Equal(1.7, fit.Irreducible, 3);
        Assert.Equal(5.4e4, fit.Nc, 5.4e4 * 1e-2);
    }

    [Fact]
    public void Recovers_an_exact_pure_law()
    {
        var loss = Sizes.Select(n => Math.Pow(8.8e13 / n, 0.076)).ToArray();
        var fit = ScalingLawFitter.FitPure(Sizes, loss);
        Assert.Equal(0.076, fit.Alpha, 6);
        Assert.Equal(8.8e13, fit.Nc, 8.8e13 * 1e-4);
        Assert.True(fit.ResidualSumOfSquares < 1e-20);
    }

    [Fact]
    public void The_paper_pythia_figures_give_its_alpha()
    {
        // PAPER.md: mean loss (bits) of the first six Pythia sizes; OLS of log L on log N gives α_N = 0.083.
        double[] n = [18_915_328, 85_056_000, 302_311_424, 805_736_448, 1_208_602_624, 2_517_652_480];
        double[] bits = [4.21, 3.67, 3.30, 3.07, 2.98, 2.80];
        // The losses are rounded to 0.01 bit, so α agrees to about ±0.001.
        Assert.InRange(ScalingLawFitter.FitPure(n, bits).Alpha, 0.0815, 0.0845);
    }

    [Fact]
    public void Pythia_lambada_loss_falls_with_size_at_the_final_step()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(SharedData.Root, "reference", "pythia-lambada-by-step.json")));
        var nonEmbedding = new Dictionary<string, double>
        {
            ["pythia-70m"] = 18_915_328, ["pythia-160m"] = 85_056_000, ["pythia-410m"] = 302_311_424, ["pythia-1.4b"] = 1_208_602_624,
            ["pythia-2.8b"] = 2_517_652_480, ["pythia-6.9b"] = 6_444_163_072,
        };
        var points = doc.RootElement.EnumerateArray()
            .Where(e => e.GetProperty("step").GetInt32() == 143000 && nonEmbedding.ContainsKey(e.GetProperty("model").GetString()!))
            .Select(e => (N: nonEmbedding[e.GetProperty("model").GetString()!], L: Math.Log(e.GetProperty("lambada_ppl").GetDouble())))
            .OrderBy(p => p.N).ToArray();
        Assert.Equal(6, points.Length);
        var pure = ScalingLawFitter.FitPure(points.Select(p => p.N).ToArray(), points.Select(p => p.L).ToArray());
        var offset = ScalingLawFitter.FitWithIrreducible(points.Select(p => p.N).ToArray(), points.Select(p => p.L).ToArray());
        Assert.InRange(pure.Alpha, 0.1, 1.0);
        Assert.True(offset.ResidualSumOfSquares <= pure.ResidualSumOfSquares + 1e-12);
        Assert.InRange(offset.Irreducible, 0, points.Min(p => p.L));
    }
}
