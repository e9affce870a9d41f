using QuantaProbe.Core.Contracts;
using QuantaProbe.Decompose.Clustering;
using QuantaProbe.Decompose.PowerLaw;

namespace QuantaProbe.Decompose.GroundTruth;

/// <summary>
/// How well QDG's clusters recover planted quanta: for each k, the adjusted Rand index and the
/// normalised mutual information of the clusters against the samples' true subtasks, and the
/// rank-frequency exponent of the true subtasks among the samples (what a perfect QDG would measure).
/// At the k nearest the number of subtasks present it also says why an ARI is low: homogeneity (are
/// clusters single subtasks?), completeness (is each subtask one cluster?) and how the most frequent
/// subtask's samples are spread over clusters.
/// </summary>
public static class ClusterRecovery
{
    /// <param name="labelsByK">Cluster labels per k; samples labelled −1 (not clustered) are left out of the scores.</param>
    public static ClusterRecoveryRecord Score(IReadOnlyDictionary<int, int[]> labelsByK, int[] truth)
    {
        var clustered = labelsByK.Count == 0 ? [] : Enumerable.Range(0, truth.Length).Where(i => labelsByK.Values.First()[i] >= 0).ToArray();
        labelsByK = labelsByK.ToDictionary(p => p.Key, p => clustered.Select(i => p.Value[i]).ToArray());
        truth = clustered.Select(i => truth[i]).ToArray();
        int present = truth.Distinct().Count();
        var byK = labelsByK.Keys.Order().Select(k => new ClusterScoreRecord(k,
            Math.Round(AdjustedRandIndex.Of(labelsByK[k], truth), 6), Math.Round(NormalizedMutualInformation.Of(labelsByK[k], truth), 6))).ToList();
        var trueSizes = RankFrequency.Sizes(truth);
        var result = new ClusterRecoveryRecord(truth.Length, present, trueSizes, trueSizes.Length >= 2 ? TruncatedZipfMle.Exponent(trueSizes) : null, byK);
        if (labelsByK.Count == 0)
            return result;
        int nearest = labelsByK.Keys.OrderBy(k => Math.Abs(k - present)).ThenBy(k => k).First();
        var labels = labelsByK[nearest];
        var (homogeneity, completeness) = HomogeneityCompleteness.Of(labels, truth);
        return result with
        {
            KNearestPresent = nearest,
            AriAtKPresent = AdjustedRandIndex.Of(labels, truth),
            NmiAtKPresent = NormalizedMutualInformation.Of(labels, truth),
            HomogeneityAtKPresent = Math.Round(homogeneity, 6),
            CompletenessAtKPresent = Math.Round(completeness, 6),
            MostFrequentSubtaskClusters = truth.Length > 0 ? MostFrequentSubtaskClusters(labels, truth) : null,
        };
    }

    /// <summary>The most frequent subtask and the sizes of the clusters its samples fall in, largest first.</summary>
    private static SubtaskClustersRecord MostFrequentSubtaskClusters(int[] labels, int[] truth)
    {
        int subtask = truth.GroupBy(t => t).OrderByDescending(g => g.Count()).ThenBy(g => g.Key).First().Key;
        var sizes = Enumerable.Range(0, truth.Length).Where(i => truth[i] == subtask).GroupBy(i => labels[i]).Select(g => g.Count()).OrderDescending();
        return new SubtaskClustersRecord(subtask, sizes.ToArray());
    }
}
