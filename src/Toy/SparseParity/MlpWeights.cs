using System.Numerics.Tensors;

namespace QuantaProbe.Toy.SparseParity;

/// <summary>
/// A one-hidden-layer ReLU MLP with 2 logits. <see cref="W1"/> is input-major [inputs, width]
/// (row i is input i's fan-out, so a sparse input is a sum of rows); <see cref="W2"/> is [2, width].
/// </summary>
public sealed class MlpWeights
{
    public int Inputs { get; }
    public int Width { get; }
    public float[] W1 { get; }
    public float[] B1 { get; }
    public float[] W2 { get; }
    public float[] B2 { get; }

    public const int Outputs = 2;

    public MlpWeights(int inputs, int width)
    {
        Inputs = inputs;
        Width = width;
        W1 = new float[(long)inputs * width];
        B1 = new float[width];
        W2 = new float[Outputs * width];
        B2 = new float[Outputs];
    }

    /// <summary>Parameters as the paper counts them: (inputs+1)·width + 2(width+1).</summary>
    public long ParameterCount => ((long)Inputs + 1) * Width + Outputs * ((long)Width + 1);

    /// <summary>PyTorch's nn.Linear default: U(−1/√fan_in, 1/√fan_in) for weights and biases.</summary>
    public static MlpWeights Initialize(int inputs, int width, Random random)
    {
        var w = new MlpWeights(inputs, width);
        Fill(w.W1, 1 / Math.Sqrt(inputs), random);
        Fill(w.B1, 1 / Math.Sqrt(inputs), random);
        Fill(w.W2, 1 / Math.Sqrt(width), random);
        Fill(w.B2, 1 / Math.Sqrt(width), random);
        return w;
    }

    /// <summary>
    /// Pre-activation, hidden activation and the 2 logits of one example: the control bit's row of W1
    /// plus the rows of the set task bits (which follow the <c>Inputs − bits.Length</c> control rows).
    /// </summary>
    public void Forward(int control, ReadOnlySpan<byte> bits, Span<float> pre, Span<float> hidden, Span<float> logits)
    {
        int tasks = Inputs - bits.Length;
        TensorPrimitives.Add(B1, W1.AsSpan(control * Width, Width), pre);
        for (int j = 0; j < bits.Length; j++)
            if (bits[j] != 0)
                TensorPrimitives.Add(pre, W1.AsSpan((tasks + j) * Width, Width), pre);
        TensorPrimitives.Max(pre, 0f, hidden);
        logits[0] = TensorPrimitives.Dot(hidden, W2.AsSpan(0, Width)) + B2[0];
        logits[1] = TensorPrimitives.Dot(hidden, W2.AsSpan(Width, Width)) + B2[1];
    }

    /// <summary>The parameter arrays in a fixed order (for optimisers and checkpoints).</summary>
    public float[][] Parameters => [W1, B1, W2, B2];

    private static void Fill(float[] values, double bound, Random random)
    {
        for (int i = 0; i < values.Length; i++)
            values[i] = (float)((random.NextDouble() * 2 - 1) * bound);
    }
}
