namespace QuantaProbe.Decompose.Clustering;

/// <summary>The paper's affinity from cosine similarity: A = 1 − arccos(C)/π, in [0, 1].</summary>
public static class Affinity
{
    public static float[] FromCosines(float[] cosines)
    {
        var a = (float[])cosines.Clone();
        FromCosinesInPlace(a);
        return a;
    }

    /// <summary>Replaces each cosine by its affinity (saves an N×N copy).</summary>
    public static void FromCosinesInPlace(float[] a)
    {
        Parallel.For(0, a.Length / 4096 + 1, block =>
        {
            int end = Math.Min(a.Length, (block + 1) * 4096);
            for (int i = block * 4096; i < end; i++)
                a[i] = 1f - MathF.Acos(Math.Clamp(a[i], -1f, 1f)) / MathF.PI;
        });
    }

    /// <summary>
    /// Replaces each cosine by the sign-invariant angular distance arccos(|C|)/π ∈ [0, ½]: one minus the
    /// paper's affinity, except that a gradient and its negative count as the same direction (a
    /// one-token loss gradient flips sign with the side the prediction errs on, through the same weights).
    /// </summary>
    public static void SignInvariantDistanceInPlace(float[] a)
    {
        Parallel.For(0, a.Length / 4096 + 1, block =>
        {
            int end = Math.Min(a.Length, (block + 1) * 4096);
            for (int i = block * 4096; i < end; i++)
                a[i] = MathF.Acos(Math.Min(MathF.Abs(a[i]), 1f)) / MathF.PI;
        });
    }
}
