namespace QuantaProbe.Models.Weights;

/// <summary>
/// Checks every parameter once, as a session's read would (without converting it), so that export refuses a weight of the wrong dtype or a
/// non-finite value (a diverged checkpoint) with its one-line error, not the first infer hours later:
/// exported graphs hold no weights, so nothing else reads them at export.
/// </summary>
internal static class WeightsValidation
{
    public static void CheckReadable(ICheckpointWeights weights, IEnumerable<string> parameterNames)
    {
        foreach (var name in parameterNames)
            weights.CheckFloatWeight(name);
    }
}
