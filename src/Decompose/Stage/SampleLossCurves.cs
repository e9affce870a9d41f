using QuantaProbe.Core;
using QuantaProbe.Core.Parquet;
using QuantaProbe.Decompose.Similarity;

namespace QuantaProbe.Decompose.Stage;

/// <summary>
/// Each QDG sample's loss under every size of the family, normalised for <see cref="LossCurveDistance"/>:
/// collected from losses parts as they are read (<see cref="Add"/>), then <see cref="Complete"/>.
/// </summary>
public sealed class SampleLossCurves
{
    private readonly SampleIndex _samples;
    private readonly IReadOnlyList<string> _lossFolders;
    private readonly float[] _curves;

    /// <param name="lossFolders">The losses/ folder of each size, smallest first (named in errors).</param>
    public SampleLossCurves(IReadOnlyList<string> lossFolders, long[] docIds, int[] positions)
    {
        _lossFolders = lossFolders;
        _samples = new SampleIndex(docIds, positions);
        _curves = new float[docIds.Length * lossFolders.Count];
        Array.Fill(_curves, float.NaN);
    }

    public long[] DocIds => _samples.DocIds;
    public int[] Positions => _samples.Positions;

    /// <summary>Takes the samples' losses from one part of size <paramref name="model"/> (an index into the folders).</summary>
    public void Add(int model, LossesPart part) => _samples.Scatter(part, _curves, stride: _lossFolders.Count, offset: model);

    /// <returns>Sample-major: sample i's curve is [i·models, (i+1)·models), normalised.</returns>
    public float[] Complete()
    {
        int models = _lossFolders.Count;
        for (int m = 0; m < models; m++)
            for (int i = 0; i < _samples.Count; i++)
                if (float.IsNaN(_curves[i * models + m]))
                    throw new QuantaException($"{_lossFolders[m]}: has no loss for gradient sample doc_id {DocIds[i]} pos {Positions[i]}; the losses belong to another ingest, re-run `quanta infer`");
        var curves = (float[])_curves.Clone();
        LossCurveDistance.NormalizeInPlace(curves);
        return curves;
    }

    /// <summary>Reads every losses part of every size for the given samples (for a caller without a pass of its own).</summary>
    public static async Task<float[]> ReadAsync(IReadOnlyList<string> lossFolders, long parts, long[] docIds, int[] positions)
    {
        var curves = new SampleLossCurves(lossFolders, docIds, positions);
        for (int m = 0; m < lossFolders.Count; m++)
            for (long p = 0; p < parts; p++)
                curves.Add(m, await RequiredLossesPart.ReadAsync(lossFolders[m], p));
        return curves.Complete();
    }
}
