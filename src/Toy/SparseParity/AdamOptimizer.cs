namespace QuantaProbe.Toy.SparseParity;

/// <summary>Adam (Kingma &amp; Ba) with PyTorch's defaults β = (0.9, 0.999), ε = 1e-8, no weight decay.</summary>
internal sealed class AdamOptimizer(float[][] parameters, double learningRate)
{
    private const double Beta1 = 0.9, Beta2 = 0.999, Epsilon = 1e-8;
    public const string Name = "Adam";
    /// <summary>The optimizer and its constants, as checkpoints record them.</summary>
    public const string Settings = "adam(0.9,0.999,1e-8)";
    private const float B1 = (float)Beta1, B2 = (float)Beta2;
    private readonly float[][] _m = parameters.Select(p => new float[p.Length]).ToArray();
    private readonly float[][] _v = parameters.Select(p => new float[p.Length]).ToArray();
    private long _step;

    public void Step(float[][] gradients)
    {
        _step++;
        float stepSize = (float)(learningRate * Math.Sqrt(1 - Math.Pow(Beta2, _step)) / (1 - Math.Pow(Beta1, _step)));
        float epsilon = (float)(Epsilon * Math.Sqrt(1 - Math.Pow(Beta2, _step)));
        for (int p = 0; p < parameters.Length; p++)
        {
            Span<float> w = parameters[p], g = gradients[p], m = _m[p], v = _v[p];
            for (int i = 0; i < w.Length; i++)
            {
                float gi = g[i];
                m[i] = B1 * m[i] + (1 - B1) * gi;
                v[i] = B2 * v[i] + (1 - B2) * gi * gi;
                w[i] -= stepSize * m[i] / (MathF.Sqrt(v[i]) + epsilon);
            }
        }
    }
}
