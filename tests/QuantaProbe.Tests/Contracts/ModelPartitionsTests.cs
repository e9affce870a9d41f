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
}
