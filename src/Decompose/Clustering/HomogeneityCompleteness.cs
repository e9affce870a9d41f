namespace QuantaProbe.Decompose.Clustering;

/// <summary>
/// Homogeneity and completeness of a clustering against true classes (Rosenberg &amp; Hirschberg 2007,
/// scikit-learn's <c>homogeneity_completeness_v_measure</c>): homogeneity 1 − H(class|cluster)/H(class)
/// is 1 when every cluster holds one class; completeness 1 − H(cluster|class)/H(cluster) is 1 when every
/// class lies in one cluster. Together they say whether a low ARI comes from mixed clusters or split classes.
/// </summary>
public static class HomogeneityCompleteness
{
    public static (double Homogeneity, double Completeness) Of(IReadOnlyList<int> clusters, IReadOnlyList<int> classes)
    {
        if (clusters.Count != classes.Count)
            throw new ArgumentException("labelings of different lengths");
        int n = clusters.Count;
        if (n == 0)
            return (1.0, 1.0);
        var joint = new Dictionary<(int Cluster, int Class), int>();
        var clusterSizes = new Dictionary<int, int>();
        var classSizes = new Dictionary<int, int>();
        for (int i = 0; i < n; i++)
        {
            joint[(clusters[i], classes[i])] = joint.GetValueOrDefault((clusters[i], classes[i])) + 1;
            clusterSizes[clusters[i]] = clusterSizes.GetValueOrDefault(clusters[i]) + 1;
            classSizes[classes[i]] = classSizes.GetValueOrDefault(classes[i]) + 1;
        }
        double Entropy(IEnumerable<int> counts) => -counts.Sum(c => c / (double)n * Math.Log(c / (double)n));
        double hClass = Entropy(classSizes.Values), hCluster = Entropy(clusterSizes.Values);
        double hClassGivenCluster = -joint.Sum(p => p.Value / (double)n * Math.Log(p.Value / (double)clusterSizes[p.Key.Cluster]));
        double hClusterGivenClass = -joint.Sum(p => p.Value / (double)n * Math.Log(p.Value / (double)classSizes[p.Key.Class]));
        double homogeneity = hClass == 0 ? 1.0 : 1 - hClassGivenCluster / hClass;
        double completeness = hCluster == 0 ? 1.0 : 1 - hClusterGivenClass / hCluster;
        return (Math.Clamp(homogeneity, 0, 1), Math.Clamp(completeness, 0, 1));
    }
}
