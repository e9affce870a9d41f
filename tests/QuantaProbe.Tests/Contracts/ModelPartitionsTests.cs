using QuantaProbe.Core;
using QuantaProbe.Core.Contracts;

namespace QuantaProbe.Tests.Contracts;

[Trait("tier", "fast")]
public sealed class ModelPartitionsTests
{
    [Theory]
    [InlineData(ModelDataset.Losses, "losses/model=m1")]
    [InlineData(ModelDataset.Gradients, "gradients/model=m1")]
    [InlineData(ModelDataset.Clusters, "decompose/clusters/model=m1")]
    [InlineData(ModelDataset.RankFrequency, "decompose/rank_frequency/model=m1")]
    public void EveryPerModelDatasetIsHivePartitioned(ModelDataset dataset, string expected)
    {
        string folder = ModelPartitions.Folder("/run", dataset, "m1");
        Assert.Equal(Path.Combine("/run", expected), folder);
        Assert.Equal("m1", ModelPartitions.ModelOf(folder));
        Assert.Null(ModelPartitions.ModelOf("/run/losses/m1"));
    }

    [Fact]
    public void AnOldLayoutRunFolderIsRefusedInOneLineAndMigrated()
    {
        using var run = new TempFolder();
        Directory.CreateDirectory(Path.Combine(run.Path, "losses", "m1"));
        Directory.CreateDirectory(Path.Combine(run.Path, "decompose", "clusters", "m1"));
        File.WriteAllText(Path.Combine(run.Path, "losses", "m1", "part-00000.parquet"), "x");
        var e = Assert.Throws<QuantaException>(() => ModelPartitions.RefuseOldLayout(run.Path));
        Assert.DoesNotContain('\n', e.Message);
        Assert.Contains("model=m1", e.Message);
        Assert.Contains($"quanta migrate --run {run.Path}", e.Message);

        Assert.Equal(2, ModelPartitions.Migrate(run.Path));
        ModelPartitions.RefuseOldLayout(run.Path);
        Assert.True(File.Exists(Path.Combine(ModelPartitions.Folder(run.Path, ModelDataset.Losses, "m1"), "part-00000.parquet")));
        Assert.True(Directory.Exists(ModelPartitions.Folder(run.Path, ModelDataset.Clusters, "m1")));
    }

    [Fact]
    public void Every_stage_opening_an_old_run_folder_is_refused_and_migrate_makes_it_readable()
    {
        using var run = new TempFolder();
        // ingest.json as quanta wrote it before schema versions, beside an old-layout losses folder.
        File.WriteAllText(RunPaths.IngestManifest(run.Path), """
            {
              "stage": "ingest",
              "tool_version": "0.1.0.0",
              "corpus": "/c.jsonl",
              "corpus_fingerprint": "ab",
              "tokenizer": "/t.json",
              "tokenizer_sha256": "cd",
              "vocab_size": 8192,
              "context_length": 256,
              "docs_per_part": 4096,
              "separator": null,
              "text_column": "text",
              "documents": 400,
              "tokens": 60912,
              "parts": 1
            }
            """);
        Directory.CreateDirectory(Path.Combine(run.Path, "losses", "m1"));
        var e = Assert.Throws<QuantaException>(() => IngestedRun.Open(run.Path));
        Assert.Equal($"{RunPaths.IngestManifest(run.Path)}: field 'schema_version' is missing: written by an older quanta, `quanta migrate --run RUN_FOLDER` updates it; run `quanta ingest --out {run.Path}` (every shard) before this stage", e.Message);

        Assert.Equal(new RunFolderMigration.Result(1, 1), RunFolderMigration.Run(run.Path));
        var opened = IngestedRun.Open(run.Path);
        Assert.Equal((1L, 256, 400L), (opened.Parts, opened.ContextLength, opened.Documents));
        Assert.StartsWith("{\n  \"schema_version\": 1,\n  \"stage\": \"ingest\",", File.ReadAllText(RunPaths.IngestManifest(run.Path)));
        Assert.Equal(new RunFolderMigration.Result(0, 0), RunFolderMigration.Run(run.Path));

        Directory.CreateDirectory(Path.Combine(run.Path, "gradients", "m2"));
        var old = Assert.Throws<QuantaException>(() => IngestedRun.Open(run.Path));
        Assert.StartsWith($"{Path.Combine(run.Path, "gradients", "m2")}: a per-model folder of the old layout", old.Message);
    }
}
