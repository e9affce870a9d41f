namespace QuantaProbe.Decompose.Clustering;

/// <summary>Counts of two labelings of the same items: each pair of labels, and each label of either side.</summary>
internal sealed class ContingencyTable
{
    public int Count { get; }
    public Dictionary<(int First, int Second), int> Pairs { get; } = [];
    public Dictionary<int, int> First { get; } = [];
    public Dictionary<int, int> Second { get; } = [];

    public ContingencyTable(IReadOnlyList<int> first, IReadOnlyList<int> second)
    {
        if (first.Count != second.Count)
            throw new ArgumentException("labelings of different lengths");
        Count = first.Count;
        for (int i = 0; i < Count; i++)
        {
            Pairs[(first[i], second[i])] = Pairs.GetValueOrDefault((first[i], second[i])) + 1;
            First[first[i]] = First.GetValueOrDefault(first[i]) + 1;
            Second[second[i]] = Second.GetValueOrDefault(second[i]) + 1;
        }
    }

    /// <summary>Entropy in nats of a distribution given by counts over <see cref="Count"/> items.</summary>
    public double Entropy(IEnumerable<int> counts) => -counts.Sum(c => c / (double)Count * Math.Log(c / (double)Count));
}
