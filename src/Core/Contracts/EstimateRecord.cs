namespace QuantaProbe.Core.Contracts;

/// <summary>A number with its 95% bootstrap interval [low, high]; null where it could not be computed.</summary>
public sealed record EstimateRecord(double? Value, double?[] Ci)
{
    public static EstimateRecord Of(double value, double low, double high) => new(Finite(value), [Finite(low), Finite(high)]);

    public static double? Finite(double v) => double.IsFinite(v) ? v : null;

    /// <summary>Whether <paramref name="x"/> lies inside the interval (false when it is unknown).</summary>
    public bool Contains(double x) => Ci is [{ } low, { } high] && low <= x && x <= high;
}
