using QuantaProbe.Core;
using QuantaProbe.Core.Parquet;
using QuantaProbe.Decompose.Similarity;

namespace QuantaProbe.Decompose.Stage;

/// <summary>Each QDG sample's loss under every size of the family, normalised for <see cref="LossCurveDistance"/>.</summary>
public static class SampleLossCurves
{
    /// <returns>Sample-major: sample i's curve is [i·models, (i+1)·models).</returns>
    public static async Task<float[]> ReadAsync(IReadOnlyList<string> lossFolders, long parts, long[] docIds, int[] positions)
    {
        int models = lossFolders.Count;
        var index = new Dictionary<(long, int), int>(docIds.Length);
        for (int i = 0; i < docIds.Length; i++)
            index[(docIds[i], positions[i])] = i;
        var curves = new float[docIds.Length * models];
        Array.Fill(curves, float.NaN);
        for (int m = 0; m < models; m++)
        {
            for (long p = 0; p < parts; p++)
            {
                var part = await RequiredLossesPart.ReadAsync(lossFolders[m], p);
                for (int r = 0; r < part.Losses.Length; r++)
                    if (index.TryGetValue((part.DocIds[r], part.Positions[r]), out int i))
                        curves[i * models + m] = part.Losses[r];
            }
            for (int i = 0; i < docIds.Length; i++)
                if (float.IsNaN(curves[i * models + m]))
                    throw new QuantaException($"{lossFolders[m]}: has no loss for gradient sample doc_id {docIds[i]} pos {positions[i]}; the losses belong to another ingest, re-run `quanta infer`");
        }
        LossCurveDistance.NormalizeInPlace(curves);
        return curves;
    }
}
