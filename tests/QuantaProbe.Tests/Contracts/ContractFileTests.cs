using System.Text.Json.Nodes;
using QuantaProbe.Core;
using QuantaProbe.Core.Contracts;
using QuantaProbe.Core.Family;

namespace QuantaProbe.Tests.Contracts;

[Trait("tier", "fast")]
public sealed class ContractFileTests
{
    private static IngestManifest Ingest() => new()
    {
        SchemaVersion = 1, Stage = "ingest", ToolVersion = "0.1.0.0", Corpus = "/c.jsonl", CorpusFingerprint = "ab", Tokenizer = "/t.json", TokenizerSha256 = "cd",
        VocabSize = 8192, ContextLength = 256, DocsPerPart = 4096, Separator = null, TextColumn = "text", Documents = 400, Tokens = 60912, Parts = 1,
    };

    private static ModelInfo Model() => new(1, "m", 100, "/src", "ff", "loss.onnx", 2890496, 793344, "F16",
        new JsonObject { ["model_type"] = "gpt_neox", ["layer_norm_eps"] = 1e-5 });

    private static DecomposeSummary Summary() => new()
    {
        SchemaVersion = 2, Stage = "decompose", ToolVersion = "0.1.0.0", Seed = 0, BootstrapResamples = 1000, Documents = 400,
        Models = [new SummaryModel("m", 100, 10, 5, 60, 4.93, [4.9, 4.95], null, [])], DuplicateWeights = [],
        ScalingInParameters = new SeriesFitRecord("non_embedding_parameters", ["a", "b"], [1, 2], [3, 2.5], [[2.9, 3.1], [2.4, 2.6]],
            new PureFitRecord("L = (Nc/N)^alpha", 0.08, [0.07, 0.09], 5.8e26, 0.005)),
        ScalingInSteps = [], TokenKinds = new Dictionary<string, long> { ["flat"] = 3 },
        LossDistributions = new Dictionary<string, LossDistributionRecord> { ["m"] = new([0, 1], [0.5], [0.25], 0, 0.1) },
        Qdg = new QdgSectionRecord(Status: "none"),
        TimeScaling = new TimeScalingRecord("no learning-rate schedule", null, 1.0 / 3, "paper", []),
        LearningOrder = new LearningOrderRecord("complete", "predicted token type", 20, 0.5, 0.1, 3, 90, null, [], null, null, 0, [], "verdict", new Dictionary<string, ClusterOrderRecord>()),
        CorpusExponents = new CorpusExponentsRecord("no document has two tokens: no co-occurrence", null, null, null, null, [new("TinyStories", 0.88, 0.325, 0.185)], "not enough data"),
    };

    [Fact]
    public void IngestManifestRoundTripsWithSchemaVersionFirst()
    {
        using var run = new TempFolder();
        Ingest().Write(run.Path);
        Assert.Equal(Ingest(), IngestManifest.Read(run.Path));
        string text = File.ReadAllText(RunPaths.IngestManifest(run.Path));
        Assert.StartsWith("{\n  \"schema_version\": 1,\n  \"stage\": \"ingest\",\n  \"tool_version\": \"0.1.0.0\",", text);
        Assert.Contains("\"separator\": null,", text);
        Assert.Contains("\"docs_per_part\": 4096,", text);
    }

    [Fact]
    public void ModelInfoRoundTripsAndKeepsNumberFormatting()
    {
        using var folder = new TempFolder();
        Model().Write(folder.Path);
        var read = ModelInfo.Read(folder.Path);
        Assert.Equal(Model() with { Config = null }, read with { Config = null });
        string text = File.ReadAllText(ModelInfo.PathIn(folder.Path));
        Assert.Contains("\"weights_sha256\": \"ff\",", text);
        Assert.Contains("\"non_embedding_parameters\": 793344,", text);
        Assert.Contains("\"layer_norm_eps\": 1E-05", text);
        Assert.DoesNotContain("\"hub\"", text);
    }

    [Fact]
    public void FamilyManifestRoundTrips()
    {
        using var folder = new TempFolder();
        string path = Path.Combine(folder.Path, RunPaths.FamilyFile);
        FamilyManifest.AddOrUpdate(path, new FamilyMember("a", Path.Combine(folder.Path, "a"), 3));
        FamilyManifest.AddOrUpdate(path, new FamilyMember("b", Path.Combine(folder.Path, "b"), null));
        Assert.Equal([new FamilyMember("a", Path.Combine(folder.Path, "a"), 3), new FamilyMember("b", Path.Combine(folder.Path, "b"), null)], FamilyManifest.Read(path));
        Assert.StartsWith("{\n  \"schema_version\": 1,\n  \"models\": [\n    {\n      \"name\": \"a\",\n      \"path\": \"a\",\n      \"step\": 3\n", File.ReadAllText(path));
    }

    [Fact]
    public void DecomposeSummaryRoundTripsAndOmitsAbsentSections()
    {
        using var run = new TempFolder();
        Summary().Write(run.Path);
        var read = DecomposeSummary.Read(run.Path);
        Assert.Equal(4.93, read.Models[0].MeanLoss);
        Assert.Equal([2.4, 2.6], read.ScalingInParameters!.MeanLossCi[1]);
        Assert.Equal(0.1, read.LossDistributions["m"].ShareBelowOneBit);
        string text = File.ReadAllText(RunPaths.DecomposeSummary(run.Path));
        Assert.Contains("\"share_below_0.1_nats\": 0,", text);
        Assert.Contains("\"share_below_1_bit\": 0.1", text);
        Assert.Contains("\"same_weights_as\": []", text);
        Assert.DoesNotContain("with_irreducible", text);
        Assert.DoesNotContain("ground_truth", text);
    }

    private static QdgModelResult QdgResult() => new(QdgModelEntry.Complete,
        new QdgSettingsRecord("agglomerative", [3, 6], 6, "given", 10, 0, 30, null, 20000, 50, 0, null, 48, 64, "AB", true),
        "agglomerative", 48, 0, 64, [3, 6], [1, 4], new ResampledEstimateRecord(-1.25, [-1.5, -1.1], 30), 6, -1.8,
        new ResampledEstimateRecord(1.12, [1.07, 1.13], 30), EstimateRecord.Of(-1.12, -1.13, -1.07), [20, 12, 8], 0.25, 0.5,
        new QdgSimilarityRecord("dense", 20000, null, null, 18432), GroundTruth: new ClusterRecoveryRecord(48, 3, [24, 16, 8], null, [new(3, 0.9, 0.85)], 3, 0.9, 0.85, 1, 0.8, new(0, [24])));

    /// <summary>A toy run's summary: a complete QDG entry beside one that did not run, and the ground-truth section.</summary>
    private static DecomposeSummary ToySummary() => Summary() with
    {
        Qdg = new QdgSectionRecord(new PredictedSlopeRecord(-1.4, [-1.5, -1.3], 0.4), Models: new Dictionary<string, QdgModelEntry>
        {
            ["m"] = QdgModelEntry.Of(QdgResult()),
            ["n"] = QdgModelEntry.NotRun("incomplete: 3 of 48 gradients"),
        }),
        GroundTruth = new GroundTruthRecord
        {
            Subtasks = 3, LearnedBelowNats = 0.1, SubtasksLearnedByLargest = 2, SpearmanFrequencyRankVsLearnedSize = 1, MedianDropShare = null,
            MeasuredAlphaN = new MeasuredAlphaNRecord(EstimateRecord.Of(0.4, 0.3, 0.5), null), Theory = new ToyTheoryRecord(0.4, -1.4),
            BySubtask = [new SubtaskLearningRecord(0, 1, 24, 1000, 0.75), new SubtaskLearningRecord(2, 3, 8, null, 0.1)],
        },
    };

    [Fact]
    public void QdgAndGroundTruthSectionsRoundTripInTheirWrittenShape()
    {
        using var run = new TempFolder();
        ToySummary().Write(run.Path);
        string text = File.ReadAllText(RunPaths.DecomposeSummary(run.Path));
        var read = DecomposeSummary.Read(run.Path);
        var entry = read.Qdg.Models!["m"].Result!;
        Assert.Equal(-1.25, entry.EnvelopeSlope.Value);
        Assert.Equal([3, 6], entry.Settings.Ks);
        Assert.Equal(0.9, entry.GroundTruth!.ByK[0].Ari);
        Assert.Null(read.Qdg.Models["n"].Result);
        Assert.Equal("incomplete: 3 of 48 gradients", read.Qdg.Models["n"].Status);
        Assert.Equal(1000, read.GroundTruth!.BySubtask[0].LearnedAtParameters);
        Assert.Contains("\"n\": {\n        \"status\": \"incomplete: 3 of 48 gradients\"\n      }", text);
        Assert.Contains("\"true_zipf_exponent_mle\": null,", text);
        Assert.Contains("\"median_drop_share\": null,", text);
        Assert.Contains("\"with_irreducible\": null", text);
        Assert.DoesNotContain("dense_subsample", text);
        Assert.DoesNotContain("\"paper\": {", text);
        read.Write(run.Path);
        Assert.Equal(text, File.ReadAllText(RunPaths.DecomposeSummary(run.Path)));
    }

    [Theory]
    [InlineData("\"envelope_slope\": {", "\"envelope_slop\": {", "'envelope_slope' is missing (in qdg.models.m)")]
    [InlineData("\"reference_k\": 6,\n        \"reference_slope_ols\"", "\"reference_k\": \"6\",\n        \"reference_slope_ols\"", "field 'qdg.models.m.reference_k' is null or of the wrong type")]
    [InlineData("\"status\": \"incomplete: 3 of 48 gradients\"", "\"state\": \"incomplete\"", "'status' is missing (in qdg.models.n)")]
    [InlineData("\"subtasks\": 3,", "\"subtasks\": \"3\",", "field 'ground_truth.subtasks' is null or of the wrong type")]
    [InlineData("\"learned_at_parameters\": 1000,", "\"learned_at_parameter\": 1000,", "'learned_at_parameters' is missing (in ground_truth.by_subtask[0])")]
    public void AMissingOrMistypedQdgOrGroundTruthFieldFailsInOneLineNamingIt(string from, string to, string field)
    {
        using var run = new TempFolder();
        ToySummary().Write(run.Path);
        string path = RunPaths.DecomposeSummary(run.Path);
        string text = File.ReadAllText(path);
        Assert.Contains(from, text);
        File.WriteAllText(path, text.Replace(from, to));
        var e = Assert.Throws<QuantaException>(() => DecomposeSummary.Read(run.Path));
        Assert.DoesNotContain('\n', e.Message);
        Assert.StartsWith(path + ": ", e.Message);
        Assert.Contains(field, e.Message);
        Assert.EndsWith($"; re-run `quanta decompose --run {run.Path}`", e.Message);
    }

    [Fact]
    public void RunRecordRoundTripsKeepingNonAsciiAndOmittingWhatIsNotYetKnown()
    {
        using var run = new TempFolder();
        string path = Path.Combine(run.Path, RunPaths.RunFile);
        var record = new RunRecord(1, new ToolRecord("quanta", "0.1.0", ".NET 10", "1.31", "Debian", "X64", 2), "/c/demo.json",
            new JsonObject { ["run_folder"] = "../runs/démo" }, new DeviceRecord("cpu"), "0/1", false,
            [new InvocationRecord("2026-12-05T15:15:51Z", "vm", new Dictionary<string, StageRecord> { ["ingest"] = new(4.312, "400 documents → tokens/") })]);
        record.Write(path);
        var read = RunRecord.Read(path);
        Assert.Equal(4.312, read.Invocations[0].Stages["ingest"].Seconds);
        Assert.Equal("../runs/démo", read.Config["run_folder"]!.GetValue<string>());
        string text = File.ReadAllText(path);
        Assert.StartsWith("{\n  \"schema_version\": 1,\n  \"tool\": {\n    \"name\": \"quanta\",", text);
        Assert.Contains("400 documents → tokens/", text);
        Assert.Contains("\"device\": {\n    \"requested\": \"cpu\"\n  },", text);
        Assert.DoesNotContain("ended_utc", text);
        Assert.DoesNotContain("\"inputs\"", text);
    }

    [Theory]
    [InlineData("ingest.json", "\"parts\": 1", "\"partz\": 1", "'parts'")]
    [InlineData("ingest.json", "\"documents\": 400", "\"documents\": \"many\"", "'documents'")]
    [InlineData("ingest.json", "\"schema_version\": 1", "\"schema_version\": 2", "'schema_version'")]
    [InlineData("model.json", "\"parameters\": 2890496", "\"params\": 2890496", "'parameters'")]
    [InlineData("model.json", "\"name\": \"m\"", "\"name\": null", "'name'")]
    [InlineData("decompose/summary.json", "\"mean_loss\": 4.93", "\"mean_los\": 4.93", "'mean_loss'")]
    [InlineData("models/family.json", "\"path\": \"a\"", "\"folder\": \"a\"", "'path'")]
    [InlineData("models/family.json", "\"step\": 3", "\"step\": \"3\"", "'models[0].step'")]
    [InlineData("run.json", "\"shard\": \"0/1\"", "\"shards\": \"0/1\"", "'shard'")]
    [InlineData("run.json", "\"complete\": false", "\"complete\": \"no\"", "'complete'")]
    [InlineData("decompose/summary.json", "\"qdg\": {", "\"qdgs\": {", "'qdg'")]
    [InlineData("decompose/summary.json", "\"time_scaling\": {", "\"time_scalin\": {", "'time_scaling'")]
    [InlineData("decompose/summary.json", "\"min_count\": 20", "\"min_count\": \"20\"", "'learning_order.min_count'")]
    public void AMissingOrMistypedFieldFailsWithOneLineNamingFileAndField(string file, string from, string to, string field)
    {
        using var run = new TempFolder();
        Ingest().Write(run.Path);
        Model().Write(run.Path);
        Summary().Write(run.Path);
        FamilyManifest.AddOrUpdate(RunPaths.FamilyManifest(run.Path), new FamilyMember("a", Path.Combine(run.Path, RunPaths.Models, "a"), 3));
        new RunRecord(1, new ToolRecord("quanta", "0.1.0", ".NET 10", "1.31", "Debian", "X64", 2), "/c.json", [], new DeviceRecord("cpu"), "0/1", false, [])
            .Write(Path.Combine(run.Path, RunPaths.RunFile));
        string path = Path.Combine(run.Path, file);
        File.WriteAllText(path, File.ReadAllText(path).Replace(from, to));
        Action read = file switch
        {
            "ingest.json" => () => IngestManifest.Read(run.Path),
            "model.json" => () => ModelInfo.Read(run.Path),
            "models/family.json" => () => FamilyManifest.Read(path),
            "run.json" => () => RunRecord.Read(path),
            _ => () => DecomposeSummary.Read(run.Path),
        };
        var e = Assert.Throws<QuantaException>(read);
        Assert.DoesNotContain('\n', e.Message);
        Assert.StartsWith(path + ": ", e.Message);
        Assert.Contains(field, e.Message);
        Assert.Matches("; (run `quanta ingest|export the model again|re-run `quanta decompose|fix the family manifest|delete it to start a fresh record)", e.Message);
    }
}
