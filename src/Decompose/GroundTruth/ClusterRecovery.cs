using System.Text.Json.Nodes;
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
    public static JsonObject Score(IReadOnlyDictionary<int, int[]> labelsByK, int[] truth)
    {
        var clustered = labelsByK.Count == 0 ? [] : Enumerable.Range(0, truth.Length).Where(i => labelsByK.Values.First()[i] >= 0).ToArray();
        labelsByK = labelsByK.ToDictionary(p => p.Key, p => clustered.Select(i => p.Value[i]).ToArray());
        truth = clustered.Select(i => truth[i]).ToArray();
        int present = truth.Distinct().Count();
        var byK = new JsonArray();
        foreach (int k in labelsByK.Keys.Order())
            byK.Add(new JsonObject
            {
                ["k"] = k,
                ["ari"] = Math.Round(AdjustedRandIndex.Of(labelsByK[k], truth), 6),
                ["nmi"] = Math.Round(NormalizedMutualInformation.Of(labelsByK[k], truth), 6),
            });
        var trueSizes = RankFrequency.Sizes(truth);
        var result = new JsonObject
        {
            ["samples_scored"] = truth.Length,
            ["subtasks_present"] = present,
            ["true_sizes"] = new JsonArray(trueSizes.Select(s => (JsonNode)s).ToArray()),
            ["true_zipf_exponent_mle"] = trueSizes.Length >= 2 ? TruncatedZipfMle.Exponent(trueSizes) : null,
            ["by_k"] = byK,
        };
        if (labelsByK.Count > 0)
        {
            int k = labelsByK.Keys.OrderBy(k => Math.Abs(k - present)).ThenBy(k => k).First();
            result["k_nearest_present"] = k;
            result["ari_at_k_present"] = AdjustedRandIndex.Of(labelsByK[k], truth);
            result["nmi_at_k_present"] = NormalizedMutualInformation.Of(labelsByK[k], truth);
            var (homogeneity, completeness) = HomogeneityCompleteness.Of(labelsByK[k], truth);
            result["homogeneity_at_k_present"] = Math.Round(homogeneity, 6);
            result["completeness_at_k_present"] = Math.Round(completeness, 6);
            if (truth.Length > 0)
                result["most_frequent_subtask_clusters"] = MostFrequentSubtaskClusters(labelsByK[k], truth);
        }
        return result;
    }

    /// <summary>The most frequent subtask and the sizes of the clusters its samples fall in, largest first.</summary>
    private static JsonObject MostFrequentSubtaskClusters(int[] labels, int[] truth)
    {
        int subtask = truth.GroupBy(t => t).OrderByDescending(g => g.Count()).ThenBy(g => g.Key).First().Key;
        var sizes = Enumerable.Range(0, truth.Length).Where(i => truth[i] == subtask).GroupBy(i => labels[i]).Select(g => g.Count()).OrderDescending();
        return new JsonObject
        {
            ["subtask"] = subtask,
            ["cluster_sizes"] = new JsonArray(sizes.Select(s => (JsonNode)s).ToArray()),
        };
    }
}
