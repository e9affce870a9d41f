namespace QuantaProbe.Decompose.GroundTruth;

/// <summary>One subtask's curve over the family: its frequency, its mean loss per model, where it is learned.</summary>
public sealed record SubtaskCurve(int Subtask, int FrequencyRank, long Examples, double[] MeanLoss, long? LearnedAtParameters, double DropShare);

/// <summary>
/// Per-subtask loss across model sizes, for data with planted quanta: a subtask is learned at the
/// smallest size whose mean loss on it is below <see cref="LearnedBelowNats"/>; the Quantization Model
/// predicts that subtasks are learned in order of frequency (Spearman ρ between frequency rank and
/// that size) and abruptly (the largest single drop between consecutive sizes, as a share of the whole).
/// </summary>
public static class SubtaskScaling
{
    public const double LearnedBelowNats = 0.1;

    /// <param name="subtaskOfDocument">True subtask per document (index = doc_id).</param>
    /// <param name="lossSums">Per model (in size order), the summed loss of each document; <paramref name="counts"/> the scored tokens.</param>
    public static IReadOnlyList<SubtaskCurve> Curves(int[] subtaskOfDocument, IReadOnlyList<double[]> lossSums, IReadOnlyList<long[]> counts, IReadOnlyList<long> parameters)
    {
        int subtasks = subtaskOfDocument.Length == 0 ? 0 : subtaskOfDocument.Max() + 1;
        var examples = new long[subtasks];
        foreach (int s in subtaskOfDocument)
            examples[s]++;
        var frequencyRank = new int[subtasks];
        var order = Enumerable.Range(0, subtasks).OrderByDescending(s => examples[s]).ThenBy(s => s).ToArray();
        for (int r = 0; r < order.Length; r++)
            frequencyRank[order[r]] = r + 1;

        int models = lossSums.Count;
        var sum = new double[subtasks, models];
        var n = new long[subtasks, models];
        for (int m = 0; m < models; m++)
            for (int d = 0; d < subtaskOfDocument.Length; d++)
            {
                sum[subtaskOfDocument[d], m] += lossSums[m][d];
                n[subtaskOfDocument[d], m] += counts[m][d];
            }

        var curves = new List<SubtaskCurve>();
        for (int s = 0; s < subtasks; s++)
        {
            if (examples[s] == 0)
                continue;
            var mean = Enumerable.Range(0, models).Select(m => n[s, m] == 0 ? double.NaN : sum[s, m] / n[s, m]).ToArray();
            int learned = Array.FindIndex(mean, l => l < LearnedBelowNats);
            double range = mean.Where(double.IsFinite).DefaultIfEmpty(0).Max() - mean.Where(double.IsFinite).DefaultIfEmpty(0).Min();
            double biggestDrop = Enumerable.Range(1, Math.Max(0, models - 1)).Select(m => mean[m - 1] - mean[m]).Where(double.IsFinite).DefaultIfEmpty(0).Max();
            curves.Add(new SubtaskCurve(s, frequencyRank[s], examples[s], mean, learned >= 0 ? parameters[learned] : null, range > 0 ? biggestDrop / range : 0));
        }
        return curves;
    }

    /// <summary>Spearman ρ between frequency rank and the size where each subtask is learned (never learned ranks last).</summary>
    public static double OrderCorrelation(IReadOnlyList<SubtaskCurve> curves) =>
        SpearmanCorrelation.Of(curves.Select(c => (double)c.FrequencyRank).ToList(),
            curves.Select(c => c.LearnedAtParameters is long p ? p : double.PositiveInfinity).ToList());
}
