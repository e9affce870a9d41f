using QuantaProbe.Core.Parquet;

namespace QuantaProbe.Decompose.Stage;

/// <summary>
/// The corpus exponents' share of the losses pass: the documents' tokens (up to a budget, for β) and the best
/// model's loss at every context position of every document (for H_n and its bootstrap over documents).
/// </summary>
internal sealed class CorpusCollector(string bestModel, string? bestWeightsSha256, long maxTokens) : ILossesConsumer
{
    private long _tokens;

    public string BestModel => bestModel;
    /// <summary>The best model's weights, which a context probe must have been written with.</summary>
    public string? BestWeightsSha256 => bestWeightsSha256;
    /// <summary>Documents in order, whole, until the token budget is spent.</summary>
    public List<int[]> Documents { get; } = [];
    /// <summary>Per document of the best model's losses: loss by position (index = pos, NaN where not scored).</summary>
    public List<float[]> PositionLosses { get; } = [];

    public void BeginPart(long part, IReadOnlyList<DocumentTokens> tokens)
    {
        foreach (var doc in tokens)
            if (_tokens < maxTokens && doc.TokenIds.Length > 0)
            {
                Documents.Add(doc.TokenIds);
                _tokens += doc.TokenIds.Length;
            }
    }

    public void Add(FamilyModel model, LossesPart part, string path)
    {
        if (model.Name != bestModel)
            return;
        var byDoc = new Dictionary<long, float[]>();
        for (int r = 0; r < part.Losses.Length; r++)
        {
            long d = part.DocIds[r];
            if (!byDoc.TryGetValue(d, out var losses))
                byDoc[d] = losses = [];
            int pos = part.Positions[r];
            if (pos >= losses.Length)
            {
                int old = losses.Length;
                Array.Resize(ref losses, Math.Max(pos + 1, 2 * old));
                Array.Fill(losses, float.NaN, old, losses.Length - old);
                byDoc[d] = losses;
            }
            losses[pos] = part.Losses[r];
        }
        foreach (var d in byDoc.Keys.Order())
            PositionLosses.Add(byDoc[d]);
    }
}
