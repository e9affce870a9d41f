using QuantaProbe.Core.Parquet;

namespace QuantaProbe.Decompose.Stage;

/// <summary>
/// The gradient samples of one selection by (doc_id, pos): where the rows of a losses part land among them, so a
/// collector takes the samples' losses from decompose's pass over the losses.
/// </summary>
internal sealed class SampleIndex
{
    private readonly Dictionary<(long, int), int> _index;

    public SampleIndex(long[] docIds, int[] positions)
    {
        DocIds = docIds;
        Positions = positions;
        _index = new Dictionary<(long, int), int>(docIds.Length);
        for (int i = 0; i < docIds.Length; i++)
            _index[(docIds[i], positions[i])] = i;
    }

    public long[] DocIds { get; }
    public int[] Positions { get; }
    public int Count => DocIds.Length;

    /// <summary>Writes the loss of every row of <paramref name="part"/> that is sample i to target[i·stride + offset].</summary>
    public void Scatter(LossesPart part, float[] target, int stride = 1, int offset = 0)
    {
        for (int r = 0; r < part.Losses.Length; r++)
            if (_index.TryGetValue((part.DocIds[r], part.Positions[r]), out int i))
                target[i * stride + offset] = part.Losses[r];
    }
}
