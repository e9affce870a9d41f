namespace QuantaProbe.Decompose.Clustering;

/// <summary>The paper's affinity from cosine similarity: A = 1 − arccos(C)/π, in [0, 1].</summary>
public static class Affinity
{
    public static float[] FromCosines(float[] cosines)
    {
        var a = new float[cosines.Length];
        Parallel.For(0, a.Length / 4096 + 1, block =>
        {
            int end = Math.Min(a.Length, (block + 1) * 4096);
            for (int i = block * 4096; i < end; i++)
                a[i] = 1f - MathF.Acos(Math.Clamp(cosines[i], -1f, 1f)) / MathF.PI;
        });
        return a;
    }
}
