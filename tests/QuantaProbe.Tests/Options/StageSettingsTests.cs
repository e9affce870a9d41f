using System.Text.Json.Nodes;
using QuantaProbe.Core;
using QuantaProbe.Core.Options;
using QuantaProbe.Gradients;
using QuantaProbe.Infer;
using QuantaProbe.Ingest;
using QuantaProbe.Models.Runtime;
using QuantaProbe.Gradients.Selection;
using QuantaProbe.Report;
using QuantaProbe.Run;
using QuantaProbe.Onnx;

namespace QuantaProbe.Tests.Options;

/// <summary>A stage's flags and its run-config keys come from one settings list, so they cannot drift.</summary>
[Trait("tier", "fast")]
[Collection("Console")]
public class StageSettingsTests
{
    private const string Base = """{"run_folder": "r", "corpus": "c", "tokenizer": "t", "family": ["m"]}""";

    [Theory]
    [MemberData(nameof(StageCommands.Names), MemberType = typeof(StageCommands))]
    public void Every_option_of_a_stage_command_is_a_setting_of_that_stage(string stage)
    {
        var (create, settings) = StageCommands.All[stage];
        var flags = create().Options.Select(o => o.Name).Order().ToList();
        Assert.Equal(settings.Where(s => s.OnCli).Select(s => s.Flag).Order(), flags);
    }

    [Theory]
    [MemberData(nameof(StageCommands.Names), MemberType = typeof(StageCommands))]
    public void Every_setting_of_a_stage_has_a_flag_of_its_config_key(string stage)
    {
        foreach (var setting in StageCommands.All[stage].Settings)
        {
            Assert.Equal("--" + setting.Key.Replace('_', '-'), setting.Flag);
            Assert.False(string.IsNullOrWhiteSpace(setting.Help), setting.Key);
        }
    }

    [Theory]
    [MemberData(nameof(StageCommands.Names), MemberType = typeof(StageCommands))]
    public void Every_config_setting_of_a_stage_is_read_from_its_key(string stage)
    {
        var inConfig = StageCommands.All[stage].Settings.Where(s => s.InConfig).ToList();
        Assert.All(inConfig, s => Assert.Contains(s, RunConfigReader.Settings));
        var config = JsonNode.Parse(Base)!.AsObject();
        foreach (var s in inConfig)
        {
            var section = s.Section is null ? config : (JsonObject)(config[s.Section] ??= new JsonObject());
            section.TryAdd(s.Key, s.DefaultText is { } text ? JsonValue.Create(text) : null);
        }
        using var tmp = new TempFolder();
        // Every key, at its default spelled as on the command line, is known to the reader and reads back.
        var read = RunConfigReader.Read(tmp.File("all.json", config.ToJsonString()));
        Assert.Equal(Values(RunConfigReader.Read(tmp.File("base.json", Base))), Values(read));

        // And a key that is no setting of the stage is refused in the stage's object.
        string? section0 = inConfig.Select(s => s.Section).FirstOrDefault();
        var stray = JsonNode.Parse(Base)!.AsObject();
        (section0 is null ? stray : (JsonObject)(stray[section0] = new JsonObject()))["not_a_setting"] = 1;
        var e = Assert.Throws<QuantaException>(() => RunConfigReader.Read(tmp.File("stray.json", stray.ToJsonString())));
        Assert.Contains($"unknown setting '{(section0 is null ? "" : section0 + ".")}not_a_setting'", e.Message);
    }

    [Theory]
    [InlineData("ingest", "context_length", "0", "0")]
    [InlineData("infer", "batch_tokens", "1", "1")]
    [InlineData("infer", "device", "tpu", "\"tpu\"")]
    [InlineData("infer", "shard", "3/2", "\"3/2\"")]
    [InlineData("infer", "threads", "0", "0")]
    [InlineData("infer", "context_targets", "0", "0")]
    [InlineData("infer", "context_lengths", "3,2", "\"3,2\"")]
    [InlineData("gradients", "select", "best", "\"best\"")]
    [InlineData("gradients", "n", "0", "0")]
    [InlineData("gradients", "max_loss", "-1", "-1")]
    [InlineData("gradients", "k_in", "0", "0")]
    [InlineData("gradients", "batch_tokens", "x", "\"x\"")]
    [InlineData("decompose", "method", "kmeans", "\"kmeans\"")]
    [InlineData("decompose", "k", "1,5", "\"1,5\"")]
    [InlineData("decompose", "rank_range", "5-2", "\"5-2\"")]
    [InlineData("decompose", "curve_weight", "-1", "-1")]
    [InlineData("decompose", "resamples", "0", "0")]
    [InlineData("report", "similarity_samples", "1", "1")]
    public async Task The_same_bad_value_gives_the_same_message_from_the_cli_and_the_config(string stage, string key, string cliValue, string jsonValue)
    {
        var setting = StageCommands.All[stage].Settings.Single(s => s.Key == key);
        using var tmp = new TempFolder();
        string[] required = stage switch
        {
            "ingest" => ["--corpus", tmp.Path, "--tokenizer", SharedData.Tokenizer("pythia-8k"), "--out", tmp.Path],
            "gradients" => ["--run", tmp.Path, "--model", "m"],
            _ => ["--run", tmp.Path],
        };
        var (code, err) = await StageCommands.RunAsync(stage, [.. required, setting.Flag, cliValue]);
        Assert.Equal(1, code);
        Assert.StartsWith("error: ", err);
        string message = err["error: ".Length..];
        Assert.StartsWith($"{setting.Name} {cliValue}: ", message);

        var config = JsonNode.Parse(Base)!.AsObject();
        var section = setting.Section is null ? config : (JsonObject)(config[setting.Section] = new JsonObject());
        section[key] = JsonNode.Parse(jsonValue);
        string path = tmp.File("bad.json", config.ToJsonString());
        var e = Assert.Throws<QuantaException>(() => RunConfigReader.Read(path));
        Assert.Equal($"{path}: {message}; fix the config", e.Message);
    }

    /// <summary>
    /// Every whole-number setting but the seeds is a count or a size: zero, negative and 2^31-1 are refused by the setting
    /// itself, for the CLI and the config alike. A count whose default is 0 (warm-up steps: none) accepts 0.
    /// </summary>
    public static TheoryData<string> Counts => [.. RunConfigReader.Settings.Concat(StageCommands.All.Values.SelectMany(c => c.Settings)).Distinct()
        .Where(s => (s.ValueType == typeof(int) || s.ValueType == typeof(int?) || s.ValueType == typeof(IReadOnlyList<int>)) && !s.Key.EndsWith("seed", StringComparison.Ordinal))
        .Select(s => $"{s.Stage} {s.Key}")];

    [Theory]
    [MemberData(nameof(Counts))]
    public void Every_count_refuses_zero_negative_and_huge_values(string name)
    {
        var setting = RunConfigReader.Settings.Concat(StageCommands.All.Values.SelectMany(c => c.Settings)).First(s => $"{s.Stage} {s.Key}" == name);
        Func<string, object?> parse = setting switch
        {
            Setting<int> s => t => s.Parse(t),
            Setting<int?> s => t => s.Parse(t),
            Setting<IReadOnlyList<int>> s => t => s.Parse(t),
            _ => throw new InvalidOperationException(name),
        };
        var refused = setting is Setting<int> { Default: 0 } ? new[] { "-1", "-3", "2147483647" } : ["0", "-1", "-3", "2147483647"];
        foreach (var value in refused)
        {
            var e = Assert.Throws<QuantaException>(() => parse(value));
            Assert.StartsWith($"{setting.Name} {value}: ", e.Message);
        }
    }

    [Fact]
    public void An_empty_separator_or_path_is_refused_alike_from_the_cli_and_the_config()
    {
        var separator = Assert.Throws<QuantaException>(() => IngestOptions.Settings.Separator.Parse(""));
        Assert.Equal("ingest separator (--separator) \"\": must not be empty (leave it out for one document per file)", separator.Message);
        using var tmp = new TempFolder();
        var path = tmp.File("c.json", Base[..^1] + """, "separator": ""}""");
        Assert.Equal($"{path}: {separator.Message}; fix the config", Assert.Throws<QuantaException>(() => RunConfigReader.Read(path)).Message);
        var empty = tmp.File("e.json", """{"run_folder": "", "corpus": "c", "tokenizer": "t", "family": ["m"]}""");
        Assert.Equal($"{empty}: run_folder \"\": must be a path (a non-empty string); fix the config", Assert.Throws<QuantaException>(() => RunConfigReader.Read(empty)).Message);
    }

    [Fact]
    public async Task Exact_with_a_sketch_width_is_the_same_error_from_the_cli_and_the_config()
    {
        using var tmp = new TempFolder();
        var (code, err) = await StageCommands.RunAsync("gradients", "--run", tmp.Path, "--model", "m", "--exact", "--k-in", "8");
        Assert.Equal(1, code);
        Assert.Equal("error: gradients exact (--exact) true: gradients k_in (--k-in) and gradients k_out (--k-out) do not apply to exact gradients; drop one or the other", err);
        string path = tmp.File("c.json", Base[..^1] + """, "gradients": {"exact": true, "k_in": 8}}""");
        var e = Assert.Throws<QuantaException>(() => RunConfigReader.Read(path));
        Assert.Equal($"{path}: {err["error: ".Length..]}; fix the config", e.Message);
    }

    [Theory]
    [InlineData("low-loss")]
    [InlineData("lowloss")]
    [InlineData("Low-Loss")]
    public void Low_loss_is_spelled_alike_on_the_command_line_and_in_a_config(string word)
    {
        Assert.Equal(SelectionMode.LowLoss, SelectionOptions.Settings.Select.Parse(word));
        using var tmp = new TempFolder();
        var path = tmp.File("c.json", $$$"""{"run_folder": "r", "corpus": "c", "tokenizer": "t", "family": ["m"], "gradients": {"select": "{{{word}}}"}}""");
        Assert.Equal(SelectionMode.LowLoss, RunConfigReader.Read(path).Gradients.Selection.Mode);
    }

    [Fact]
    public void A_stage_and_a_config_share_each_default()
    {
        using var tmp = new TempFolder();
        var config = RunConfigReader.Read(tmp.File("c.json", Base));
        Assert.Equal(2048, InferOptions.Settings.BatchTokens.Default);
        Assert.Equal(new InferOptions { RunFolder = "r" }.BatchTokens, config.InferBatchTokens);
        Assert.Equal(new GradientsOptions { RunFolder = "r", Model = "m" }.BatchTokens, config.Gradients.BatchTokens);
        Assert.Equal(new SelectionOptions(), config.Gradients.Selection);
        Assert.Equal(InferenceDevice.Cpu, config.Device);
        Assert.Equal(new ReportOptions { RunFolder = "r" }.SimilaritySamples, config.ReportSettings.SimilaritySamples);
    }

    [Fact]
    public void Report_false_is_short_for_report_enabled_false()
    {
        using var tmp = new TempFolder();
        Assert.False(RunConfigReader.Read(tmp.File("a.json", Base[..^1] + """, "report": false}""")).Report);
        var read = RunConfigReader.Read(tmp.File("b.json", Base[..^1] + """, "report": {"enabled": false, "clusters": 3}}"""));
        Assert.False(read.Report);
        Assert.Equal(3, read.ReportSettings.ClustersShown);
        Assert.Equal(JsonValue.Create(false)!.ToJsonString(), read.Settings["report"]!["enabled"]!.ToJsonString());
    }

    /// <summary>The settings a config read gave, as text (the records hold lists, compared by reference).</summary>
    private static string Values(RunConfig c) => string.Join(" ",
        c.RunFolder, c.Corpus, c.Tokenizer, c.ContextLength, c.DocumentsPerPart, c.CorpusOptions, c.Device, c.Threads, c.InferBatchTokens,
        c.ContextProbe with { ContextLengths = null }, string.Join(",", c.ContextProbe.ContextLengths ?? []), c.Gradients with { }, c.Decompose.Seed, c.Decompose.Resamples, string.Join(",", c.Decompose.Qdg.Ks), c.Decompose.Qdg with { Ks = [] },
        c.Report, c.ReportSettings, c.Shard, c.ShardWaitHours);
}
