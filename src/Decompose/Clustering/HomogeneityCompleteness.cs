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
        var table = new ContingencyTable(clusters, classes);
        int n = table.Count;
        if (n == 0)
            return (1.0, 1.0);
        double hClass = table.Entropy(table.Second.Values), hCluster = table.Entropy(table.First.Values);
        double hClassGivenCluster = -table.Pairs.Sum(p => p.Value / (double)n * Math.Log(p.Value / (double)table.First[p.Key.First]));
        double hClusterGivenClass = -table.Pairs.Sum(p => p.Value / (double)n * Math.Log(p.Value / (double)table.Second[p.Key.Second]));
        double homogeneity = hClass == 0 ? 1.0 : 1 - hClassGivenCluster / hClass;
        double completeness = hCluster == 0 ? 1.0 : 1 - hClusterGivenClass / hCluster;
        return (Math.Clamp(homogeneity, 0, 1), Math.Clamp(completeness, 0, 1));
    }
}
