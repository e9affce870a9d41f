using QuantaProbe.Core;

namespace QuantaProbe.Models.Weights;

/// <summary>Refuses weights holding NaN or ±∞ (a diverged or corrupt checkpoint), naming the file and the tensor.</summary>
internal static class NonFiniteCheck
{
    /// <param name="first">Index in the whole tensor of <paramref name="values"/>[0].</param>
    public static void Check(ReadOnlySpan<float> values, long first, string path, string name)
    {
        // One vectorised pass (NaN and ±∞ propagate to the largest magnitude); the element loop only names the culprit.
        if (values.IsEmpty || float.IsFinite(System.Numerics.Tensors.TensorPrimitives.MaxMagnitude(values)))
            return;
        for (int i = 0; i < values.Length; i++)
            if (!float.IsFinite(values[i]))
                throw new QuantaException($"{path}: tensor '{name}' holds a non-finite value ({values[i]} at element {first + i}); the checkpoint diverged or is corrupt, use another checkpoint.");
    }
}
