namespace QuantaProbe.Decompose.Synthetic;

/// <summary>
/// Vectors around M random directions whose cluster sizes follow a Zipf law (size ∝ rank^-exponent,
/// at least <c>minSize</c> each), plus isotropic Gaussian noise: the ground truth QDG must recover.
/// </summary>
public static class PlantedClusters
{
    public static (float[] Vectors, int[] Labels) Generate(int clusters, int points, int dims, double exponent, float noise, int seed, int minSize = 3)
    {
        var random = new Random(seed);
        double Normal() => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
        var weights = Enumerable.Range(1, clusters).Select(r => Math.Pow(r, -exponent)).ToArray();
        double total = weights.Sum();
        var sizes = weights.Select(w => Math.Max(minSize, (int)Math.Round(w / total * points))).ToArray();
        var vectors = new float[(long)sizes.Sum() * dims];
        var labels = new int[sizes.Sum()];
        var center = new float[dims];
        int row = 0;
        for (int c = 0; c < clusters; c++)
        {
            for (int j = 0; j < dims; j++)
                center[j] = (float)Normal();
            for (int i = 0; i < sizes[c]; i++, row++)
            {
                for (int j = 0; j < dims; j++)
                    vectors[(long)row * dims + j] = center[j] + noise * (float)Normal();
                labels[row] = c;
            }
        }
        return (vectors, labels);
    }
}
