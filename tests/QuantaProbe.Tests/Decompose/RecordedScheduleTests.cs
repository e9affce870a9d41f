using QuantaProbe.Core;
using QuantaProbe.Decompose.Laws;
using QuantaProbe.Decompose.Stage;

namespace QuantaProbe.Tests.Decompose;

/// <summary>The schedule a run trained here recorded in toy.json is the one time scaling uses when none is given.</summary>
[Trait("tier", "fast")]
public class RecordedScheduleTests
{
    private const string Schedule = """
        "schedule": { "optimizer": "Adam", "warmup_steps": 0, "peak_lr": 0.01, "final_lr": 0.01, "min_lr": 0, "decay": "DECAY", "decay_steps": 30000, "tokens_per_step": 1000 }
        """;

    [Fact]
    public void A_constant_rate_recorded_by_the_toy_gives_tau_proportional_to_steps()
    {
        using var tmp = new TempFolder();
        tmp.File("toy.json", "{ " + Schedule.Replace("DECAY", "constant") + " }");
        var schedule = RecordedSchedule.Read(tmp.Path)!;
        Assert.Equal(LearningRateDecay.Constant, schedule.Decay);
        Assert.Equal(1000, schedule.TokensPerStep);
        Assert.Equal(0.01, schedule.Rate(1));
        Assert.Equal(0.01, schedule.Rate(29_999));
        Assert.Equal(1875 * 0.01, schedule.CumulativeRate(1875), 9);
    }

    [Fact]
    public void No_toy_json_or_no_schedule_in_it_is_no_schedule()
    {
        using var tmp = new TempFolder();
        Assert.Null(RecordedSchedule.Read(tmp.Path));
        tmp.File("toy.json", """{ "toy": "multitask sparse parity" }""");
        Assert.Null(RecordedSchedule.Read(tmp.Path));
    }

    [Theory]
    [InlineData("\"decay\": \"DECAY\"", "\"decay\": \"exponential\"", "schedule.decay")]
    [InlineData("\"peak_lr\": 0.01", "\"peak_lr\": \"high\"", "schedule.peak_lr")]
    [InlineData("\"decay_steps\": 30000", "\"decay_steps\": 0", "schedule")]
    public void A_bad_recorded_schedule_fails_in_one_line_naming_the_file_and_field(string from, string to, string field)
    {
        using var tmp = new TempFolder();
        string path = tmp.File("toy.json", "{ " + Schedule.Replace(from, to).Replace("DECAY", "constant") + " }");
        var e = Assert.Throws<QuantaException>(() => RecordedSchedule.Read(tmp.Path));
        Assert.StartsWith(path + ": field '" + field, e.Message);
        Assert.Contains("re-run `quanta toy`", e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }
}
