using QuantaProbe.Core.Contracts;
using QuantaProbe.Decompose.GroundTruth;
using QuantaProbe.Decompose.Laws;

namespace QuantaProbe.Decompose.Stage;

/// <summary>
/// The learning-order test with the true subtasks as items (runs whose documents carry one, the toy): each subtask's
/// mean loss under every model of the family, where it is learned along every size's checkpoints and along the sizes,
/// and Spearman ρ of its frequency rank against that — the ground truth the token-type and cluster items are read against.
/// </summary>
internal sealed record SubtaskOrder(IReadOnlyList<FamilyModel> Family, IReadOnlyList<FamilyModel> Series, IReadOnlyList<List<FamilyModel>> StepSeries,
    LearningOrderOptions Options, int Resamples, int Seed)
{
    /// <returns>One correlation per series; null where there is none.</returns>
    public List<LearningOrderCorrelationRecord>? Correlate(int[] subtaskOfDocument, IReadOnlyDictionary<string, DocumentLosses> losses)
    {
        var orderSeries = OrderSeries.Of(StepSeries, Series);
        if (orderSeries.Count == 0)
            return null;
        var curves = SubtaskScaling.Curves(subtaskOfDocument, Family.Select(m => losses[m.Name].Sums).ToList(), Family.Select(m => losses[m.Name].Counts).ToList(),
            Family.Select(m => m.NonEmbeddingParameters).ToList()).OrderBy(c => c.FrequencyRank).ToList();
        var loss = Family.Select((m, j) => (m.Name, Loss: curves.Select(c => c.MeanLoss[j]).ToArray())).ToDictionary(x => x.Name, x => x.Loss, StringComparer.Ordinal);
        return orderSeries.Select(s => ItemLearningOrder.Correlate(s, loss, curves.Count, Options, Resamples, Seed)).ToList();
    }
}
