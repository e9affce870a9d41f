using System.Text.Json.Nodes;
using QuantaProbe.Decompose.Clustering;
using QuantaProbe.Decompose.PowerLaw;

namespace QuantaProbe.Decompose.GroundTruth;

/// <summary>
/// How well QDG's clusters recover planted quanta: for each k, the adjusted Rand index and the
/// normalised mutual information of the clusters against the samples' true subtasks, and the
/// rank-frequency exponent of the true subtasks among the samples (what a perfect QDG would measure).
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
        }
        return result;
    }
}
