using QuantaProbe.Decompose.Clustering;
using QuantaProbe.Decompose.GroundTruth;

namespace QuantaProbe.Tests.Decompose;

[Trait("tier", "fast")]
public class ClusterRecoveryTests
{
    // Values from scikit-learn's homogeneity_completeness_v_measure(labels_true, labels_pred).
    [Theory]
    [InlineData(new[] { 0, 0, 1, 1 }, new[] { 1, 1, 0, 0 }, 1.0, 1.0)]
    [InlineData(new[] { 0, 0, 1, 1 }, new[] { 0, 0, 0, 0 }, 0.0, 1.0)]
    [InlineData(new[] { 0, 0, 1, 1 }, new[] { 0, 1, 2, 3 }, 1.0, 0.5)]
    [InlineData(new[] { 0, 0, 1, 2 }, new[] { 0, 0, 1, 1 }, 0.666667, 1.0)]
    [InlineData(new[] { 0, 0, 1, 1 }, new[] { 0, 0, 1, 2 }, 1.0, 0.666667)]
    public void Homogeneity_and_completeness_match_scikit_learn(int[] truth, int[] clusters, double homogeneity, double completeness)
    {
        var (h, c) = HomogeneityCompleteness.Of(clusters, truth);
        Assert.Equal(homogeneity, h, 5);
        Assert.Equal(completeness, c, 5);
    }

    [Fact]
    public void A_split_frequent_subtask_shows_as_low_completeness_with_full_homogeneity()
    {
        // Subtask 0 (60 samples) split in two clusters of 40 and 20; subtasks 1 and 2 whole.
        int[] truth = [.. Enumerable.Repeat(0, 60), .. Enumerable.Repeat(1, 25), .. Enumerable.Repeat(2, 15)];
        int[] labels = [.. Enumerable.Repeat(5, 40), .. Enumerable.Repeat(6, 20), .. Enumerable.Repeat(7, 25), .. Enumerable.Repeat(8, 15)];
        var score = ClusterRecovery.Score(new Dictionary<int, int[]> { [3] = labels, [4] = labels }, truth);
        Assert.Equal(3, score.KNearestPresent);
        Assert.Equal(1.0, score.HomogeneityAtKPresent!.Value, 6);
        Assert.True(score.CompletenessAtKPresent < 0.85);
        Assert.Equal(0, score.MostFrequentSubtaskClusters!.Subtask);
        Assert.Equal([40, 20], score.MostFrequentSubtaskClusters!.ClusterSizes);
    }
}
