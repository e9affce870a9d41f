using QuantaProbe.Core;
using QuantaProbe.Decompose.Qdg;
using QuantaProbe.Models.Gradients;
using QuantaProbe.Gradients.Selection;
using QuantaProbe.Run;

namespace QuantaProbe.Tests.Run;

[Trait("tier", "fast")]
public class RunConfigReaderTests
{
    [Fact]
    public void Json_config_resolves_paths_against_its_folder_and_fills_every_stage()
    {
        using var tmp = new TempFolder();
        var config = RunConfigReader.Read(SmallRunConfig.Write(tmp.Path));
        Assert.Equal(Path.Combine(tmp.Path, "run"), config.RunFolder);
        Assert.Equal(Path.Combine(tmp.Path, "corpus.jsonl"), config.Corpus);
        Assert.Equal(64, config.ContextLength);
        Assert.Equal(16, config.DocumentsPerPart);
        Assert.Equal(SmallRunConfig.Models, config.Family.Select(m => m.ModelName));
        Assert.Equal(SelectionMode.Random, config.Gradients.Selection.Mode);
        Assert.Equal(96, config.Gradients.Selection.Count);
        Assert.Equal(GradientOptions.Sketch(4, 4, 0), config.Gradients.Gradient);
        Assert.Equal([2, 4, 8], config.Decompose.Qdg.Ks);
        Assert.Equal(4, config.Decompose.Qdg.ReferenceK);
        Assert.Equal(QdgMethod.Agglomerative, config.Decompose.Qdg.Method);
        Assert.True(config.Report);
    }

    [Fact]
    public void Yaml_config_reads_the_same_as_json()
    {
        using var tmp = new TempFolder();
        var yaml = tmp.File("run.yaml", """
            run_folder: out/run
            corpus: corpus.jsonl
            tokenizer: tok/tokenizer.json
            context_length: 128
            family:
              - models/a
              - { checkpoint: models/b, name: bee, step: 300 }
            device: cpu
            gradients:
              max_loss: 0.693
              n: 500
              exact: true
            decompose:
              k: [10, 20]
              method: spectral
              rank_range: [1, 8]
            report: false
            """);
        // Folders that exist: a missing "models/a" would read as the hub name models/a.
        tmp.Sub("models/a");
        tmp.Sub("models/b");
        var config = RunConfigReader.Read(yaml);
        Assert.Equal(Path.Combine(tmp.Path, "out", "run"), config.RunFolder);
        Assert.Equal(128, config.ContextLength);
        Assert.Equal(["a", "bee"], config.Family.Select(m => m.ModelName));
        Assert.Equal(300, config.Family[1].Step);
        Assert.Equal(0.693, config.Gradients.Selection.MaxLoss);
        Assert.Equal(500, config.Gradients.Selection.Count);
        Assert.Equal(GradientOptions.Exact, config.Gradients.Gradient);
        Assert.Equal([10, 20], config.Decompose.Qdg.Ks);
        Assert.Equal(QdgMethod.Spectral, config.Decompose.Qdg.Method);
        Assert.Equal((1, 8), config.Decompose.Qdg.RankRange);
        Assert.False(config.Report);
    }

    [Fact]
    public void Infer_reads_the_context_probe()
    {
        using var tmp = new TempFolder();
        var path = Path.Combine(tmp.Path, "c.json");
        File.WriteAllText(path, """{"run_folder": "r", "corpus": "c", "tokenizer": "t", "family": ["m"], "infer": {"context_probe": true, "context_lengths": [1, 4, 16], "context_targets": 500, "context_seed": 3}}""");
        var probe = RunConfigReader.Read(path).ContextProbe;
        Assert.Equal((true, 500, 3), (probe.Enabled, probe.Targets, probe.Seed));
        Assert.Equal([1, 4, 16], probe.ContextLengths!);
        File.WriteAllText(path, """{"run_folder": "r", "corpus": "c", "tokenizer": "t", "family": ["m"]}""");
        probe = RunConfigReader.Read(path).ContextProbe;
        Assert.Equal((false, null, 2000, 0), (probe.Enabled, probe.ContextLengths, probe.Targets, probe.Seed));
    }

    [Fact]
    public void Decompose_reads_the_loss_curve_weight()
    {
        using var tmp = new TempFolder();
        var path = Path.Combine(tmp.Path, "c.json");
        File.WriteAllText(path, """{"run_folder": "r", "corpus": "c", "tokenizer": "t", "family": ["m"], "decompose": {"curve_weight": 0.15}}""");
        Assert.Equal(0.15, RunConfigReader.Read(path).Decompose.Qdg.CurveWeight);
        File.WriteAllText(path, """{"run_folder": "r", "corpus": "c", "tokenizer": "t", "family": ["m"]}""");
        Assert.Equal(0, RunConfigReader.Read(path).Decompose.Qdg.CurveWeight);
    }

    [Theory]
    [InlineData("""{"run_folder": "r", "corpus": "c", "tokenizer": "t", "family": ["m"], "contxt_length": 5}""", "unknown setting 'contxt_length'")]
    [InlineData("""{"run_folder": "r", "corpus": "c", "tokenizer": "t", "family": ["m"], "gradients": {"nn": 5}}""", "unknown setting 'gradients.nn'")]
    [InlineData("""{"run_folder": "r", "corpus": "c", "tokenizer": "t", "family": []}""", "'family' is empty")]
    [InlineData("""{"run_folder": "r", "corpus": "c", "tokenizer": "t"}""", "'family' is required")]
    [InlineData("""{"corpus": "c", "tokenizer": "t", "family": ["m"]}""", "'run_folder' is required")]
    [InlineData("""{"run_folder": "r", "corpus": "c", "tokenizer": "t", "family": ["m"], "context_length": "long"}""", "ingest context_length (--context-length) long: must be a whole number")]
    [InlineData("""{"run_folder": "r", "corpus": "c", "tokenizer": "t", "family": ["m"], "context_length": 0}""", "ingest context_length (--context-length) 0: must be between 2 and 1048576")]
    [InlineData("""{"run_folder": "r", "corpus": "c", "tokenizer": "t", "family": [{"checkpoint": "a", "onnx": "b"}]}""", "'family[0]' needs exactly one")]
    [InlineData("""{"run_folder": "r", "corpus": "c", "tokenizer": "t", "family": ["m"], "device": "tpu"}""", "device (--device) tpu: must be cpu or cuda")]
    [InlineData("""{"run_folder": "r", "corpus": "c", "tokenizer": "t", "family": ["m"], "decompose": {"k": [1]}}""", "decompose k (--k) [1]: must be at most 1000 whole numbers between 2 and 100000")]
    [InlineData("""{"run_folder": "r", "corpus": "c", "tokenizer": "t", "family": ["m"], "decompose": {"rank_range": [5, 2]}}""", "decompose rank_range (--rank-range) [5,2]: must have 1 ≤ FIRST < LAST")]
    [InlineData("""{"run_folder": "r", "corpus": "c", "tokenizer": "t", "family": ["m"], "decompose": {"curve_weight": -1}}""", "decompose curve_weight (--curve-weight) -1: must be zero or a positive number")]
    [InlineData("""{"run_folder": "r", "corpus": "c", "tokenizer": "t", "family": ["m"], "decompose": {"curve_weight": 0.1, "method": "spectral"}}""", "decompose curve_weight (--curve-weight) 0.1: works with decompose method (--method) agglomerative only")]
    [InlineData("""{"run_folder": "r", "corpus": "c", "tokenizer": "t", "family": ["m"], "gradients": {"exact": true, "k_in": 8}}""", "gradients exact (--exact) true: gradients k_in (--k-in) and gradients k_out (--k-out) do not apply")]
    [InlineData("""{"run_folder": "r", """, "not valid JSON")]
    [InlineData("""[1, 2]""", "must be an object of settings")]
    public void Bad_configs_name_the_file_and_the_setting(string json, string expected)
    {
        using var tmp = new TempFolder();
        var path = tmp.File("bad.json", json);
        var e = Assert.Throws<QuantaException>(() => RunConfigReader.Read(path));
        Assert.Contains(expected, e.Message);
        Assert.StartsWith(path, e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void Missing_config_says_what_to_pass()
    {
        var e = Assert.Throws<QuantaException>(() => RunConfigReader.Read("/nonexistent/run.json"));
        Assert.Equal("/nonexistent/run.json: run config not found; pass a JSON or YAML file such as configs/demo.json", e.Message);
    }
}
