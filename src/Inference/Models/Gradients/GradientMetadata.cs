using System.Globalization;
using System.Text.Json;
using QuantaProbe.Core;

namespace QuantaProbe.Models.Gradients;

/// <summary>
/// What grad.onnx records about its `gradient_sketch` in the model's metadata_props, so a reader
/// needs nothing else: grad_kind, mode, K, sketch dimensions and seed, the projection generator,
/// and each parameter's slice of the row.
/// </summary>
internal sealed record GradientMetadata(GradientOptions Options, long Dimension, IReadOnlyList<GradientParameterSlice> Layout)
{
    public const string GradKindKey = "quantaprobe.grad_kind";
    public const string ModeKey = "quantaprobe.gradient_mode";
    public const string DimensionKey = "quantaprobe.gradient_dim";
    public const string KInKey = "quantaprobe.sketch_k_in";
    public const string KOutKey = "quantaprobe.sketch_k_out";
    public const string SeedKey = "quantaprobe.sketch_seed";
    public const string ProjectionKey = "quantaprobe.sketch_projection";
    public const string LayoutKey = "quantaprobe.gradient_layout";

    /// <summary>The gradient of one token's loss (not Bergson's per-position parts of a sequence loss).</summary>
    public const string OneTokenLoss = "one_token_loss";

    public IEnumerable<KeyValuePair<string, string>> Entries()
    {
        static string Text(long v) => v.ToString(CultureInfo.InvariantCulture);
        yield return new(GradKindKey, OneTokenLoss);
        yield return new(ModeKey, Options.Mode == GradientMode.Exact ? "exact" : "sketch");
        yield return new(DimensionKey, Text(Dimension));
        if (Options.Mode == GradientMode.Sketch)
        {
            yield return new(KInKey, Text(Options.KIn));
            yield return new(KOutKey, Text(Options.KOut));
            yield return new(SeedKey, Text(Options.Seed));
            yield return new(ProjectionKey, GaussianProjection.Algorithm);
        }
        yield return new(LayoutKey, JsonSerializer.Serialize(Layout.Select(s => new LayoutEntry(s.Name, s.Offset, s.Length, s.Shape, s.SketchShape))));
    }

    public static GradientMetadata Read(IReadOnlyDictionary<string, string> metadata, string modelPath)
    {
        QuantaException Invalid(string what) => new($"{modelPath}: {what}; it is not a QuantaProbe grad.onnx, re-run `quanta export` with gradients.");
        string Get(string key) => metadata.TryGetValue(key, out var v) ? v : throw Invalid($"metadata '{key}' is missing");
        long Long(string key) => long.TryParse(Get(key), NumberStyles.Integer, CultureInfo.InvariantCulture, out long v) ? v : throw Invalid($"metadata '{key}' is not an integer");

        if (Get(GradKindKey) != OneTokenLoss)
            throw Invalid($"grad_kind is '{Get(GradKindKey)}', expected '{OneTokenLoss}'");
        var options = Get(ModeKey) switch
        {
            "exact" => GradientOptions.Exact,
            "sketch" => GradientOptions.Sketch(checked((int)Long(KInKey)), checked((int)Long(KOutKey)), Long(SeedKey)),
            var m => throw Invalid($"gradient mode '{m}' is unknown"),
        };
        LayoutEntry[] entries;
        try
        {
            entries = JsonSerializer.Deserialize<LayoutEntry[]>(Get(LayoutKey)) ?? throw Invalid("the gradient layout is empty");
        }
        catch (JsonException e)
        {
            throw Invalid($"the gradient layout is not valid JSON ({e.Message})");
        }
        var layout = entries.Select(e => new GradientParameterSlice(e.name, e.offset, e.length, e.shape, e.sketch_shape)).ToList();
        long dimension = Long(DimensionKey);
        if (layout.Sum(s => s.Length) != dimension)
            throw Invalid($"the layout covers {layout.Sum(s => s.Length)} values, K is {dimension}");
        return new GradientMetadata(options, dimension, layout);
    }

    // JSON field names as written in the model (snake_case, stable for non-C# readers).
    private sealed record LayoutEntry(string name, long offset, long length, long[] shape, long[] sketch_shape);
}
