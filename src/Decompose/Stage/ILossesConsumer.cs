using QuantaProbe.Core.Parquet;

namespace QuantaProbe.Decompose.Stage;

/// <summary>An analysis fed by decompose's one pass over the losses: each part's tokens, then each model's losses of that part.</summary>
internal interface ILossesConsumer
{
    /// <summary>Before the models' losses of <paramref name="part"/>: its documents' tokens.</summary>
    void BeginPart(long part, IReadOnlyList<DocumentTokens> tokens);

    /// <summary>One model's losses of the current part (read from <paramref name="path"/>).</summary>
    void Add(FamilyModel model, LossesPart part, string path);
}
