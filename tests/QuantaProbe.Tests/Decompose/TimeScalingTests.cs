using QuantaProbe.Core;
using QuantaProbe.Decompose.Laws;
using QuantaProbe.Decompose.Stage;
using QuantaProbe.Run;

namespace QuantaProbe.Tests.Decompose;

[Trait("tier", "fast")]
public class TimeScalingTests
{
    /// <summary>The shared family's schedule: warm-up to 3e-3 over steps 1–60, cosine to 0 at 1,200, never below 1e-4.</summary>
    private static readonly LearningRateSchedule Shared = new()
    {
        Optimizer = "AdamW", WarmupSteps = 60, PeakRate = 3e-3, Decay = LearningRateDecay.Cosine, DecaySteps = 1200, FinalRate = 0, MinRate = 1e-4, TokensPerStep = 1024,
    };

    [Fact]
    public void The_schedule_warms_up_linearly_decays_by_cosine_and_keeps_its_floor()
    {
        Assert.Equal(1e-4, Shared.Rate(1), 15);                 // 3e-3/60 = 5e-5 is under the floor
        Assert.Equal(3e-3 * 30 / 60, Shared.Rate(30), 15);
        Assert.Equal(3e-3, Shared.Rate(60), 15);
        Assert.Equal(1.5e-3, Shared.Rate(630), 12);             // half-way through the cosine
        Assert.Equal(1e-4, Shared.Rate(1200), 15);
        Assert.Equal(1e-4, Shared.Rate(5000), 15);
        double sum = 0;
        for (int t = 1; t <= 400; t++)
            sum += Math.Max(t <= 60 ? 3e-3 * t / 60 : 1.5e-3 * (1 + Math.Cos(Math.PI * (t - 60) / 1140.0)), 1e-4);
        Assert.Equal(sum, Shared.CumulativeRate(400), 12);
        var linear = Shared with { Decay = LearningRateDecay.Linear, MinRate = 0 };
        Assert.Equal(1.5e-3, linear.Rate(630), 12);
    }

    [Theory]
    [InlineData(1.0 / 3, 0.5)]
    [InlineData(0.2, 2.0)]
    public async Task A_known_tau_exponent_is_recovered_with_an_interval(double alpha, double l0)
    {
        using var tmp = new TempFolder();
        long[] steps = [50, 100, 200, 400, 600, 800, 1000, 1200];
        var models = steps.Select(s => new FamilyModel($"m-step{s}", s, 1000, 500)).ToList();
        var random = new Random(1);
        // 200 documents of 50 tokens whose mean loss is 3·τ^-α + L0, with document-level noise.
        var losses = models.ToDictionary(m => m.Name, m =>
        {
            double mean = 3 * Math.Pow(Shared.CumulativeRate(m.Step!.Value), -alpha) + l0;
            var sums = Enumerable.Range(0, 200).Select(_ => 50 * (mean + 0.02 * (random.NextDouble() - 0.5))).ToArray();
            return new DocumentLosses(sums, Enumerable.Repeat(50L, 200).ToArray());
        });
        var record = await TimeScalingSection.RunAsync(tmp.Path, Shared, [models], losses, 200, 0);
        Assert.Equal("complete", record.Status);
        var fit = Assert.Single(record.Sizes);
        Assert.Equal(alpha, fit.Alpha!.Value!.Value, 0.02);
        Assert.True(fit.Alpha.Contains(alpha) || Math.Abs(fit.Alpha.Value!.Value - alpha) < 0.01, $"{alpha} near [{fit.Alpha.Ci[0]}, {fit.Alpha.Ci[1]}]");
        Assert.Equal(l0, fit.IrreducibleLoss!.Value, 0.05);
        Assert.Contains(Math.Abs(alpha - 1.0 / 3) < 0.01 ? "consistent with the paper's 1/3" : "shallower than", fit.Verdict);
        Assert.True(File.Exists(Path.Combine(tmp.Path, "decompose", "time_scaling", "part-00000.parquet")));
    }

    [Fact]
    public async Task Without_a_schedule_the_section_says_how_to_add_one()
    {
        using var tmp = new TempFolder();
        var record = await TimeScalingSection.RunAsync(tmp.Path, null, [], new Dictionary<string, DocumentLosses>(), 10, 0);
        Assert.StartsWith("no learning-rate schedule", record.Status);
        Assert.Empty(record.Sizes);
    }

    [Fact]
    public void The_run_config_reads_the_schedule_and_refuses_one_without_its_peak()
    {
        using var tmp = new TempFolder();
        var path = Path.Combine(tmp.Path, "c.json");
        File.WriteAllText(path, """{"run_folder": "r", "corpus": "c", "tokenizer": "t", "family": ["m"], "schedule": {"optimizer": "AdamW", "warmup_steps": 60, "peak_lr": 3e-3, "decay": "cosine", "decay_steps": 1200, "min_lr": 1e-4, "tokens_per_step": 1024}}""");
        Assert.Equal(Shared, RunConfigReader.Read(path).Decompose.Schedule);
        File.WriteAllText(path, """{"run_folder": "r", "corpus": "c", "tokenizer": "t", "family": ["m"]}""");
        Assert.Null(RunConfigReader.Read(path).Decompose.Schedule);
        File.WriteAllText(path, """{"run_folder": "r", "corpus": "c", "tokenizer": "t", "family": ["m"], "schedule": {"warmup_steps": 60}}""");
        var e = Assert.Throws<QuantaException>(() => RunConfigReader.Read(path));
        Assert.Contains("needs schedule peak_lr", e.Message);
        File.WriteAllText(path, """{"run_folder": "r", "corpus": "c", "tokenizer": "t", "family": ["m"], "schedule": {"peak_lr": 3e-3, "decay_steps": 50, "warmup_steps": 60}}""");
        e = Assert.Throws<QuantaException>(() => RunConfigReader.Read(path));
        Assert.Contains("must be after the warm-up", e.Message);
    }
}
