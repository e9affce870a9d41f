using System.Text.Json;
using QuantaProbe.Models.Safetensors;

namespace QuantaProbe.Tests.Inference;

/// <summary>
/// A fixture's independent per-example gradients: reference.json's gradient_samples (sequence,
/// predicted token index, loss), gradient_parameters, gradient_norms, gradient_cosine, and the
/// rows of reference_gradients.safetensors.
/// </summary>
internal sealed record GradientReference(
    int[][] Sequences,
    (int Sequence, int Target, float Loss)[] Samples,
    string[] Parameters,
    double[] Norms,
    double[][] Cosine,
    float[][] Gradients)
{
    public static GradientReference Load(string fixture)
    {
        string folder = FixtureReference.Folder(fixture);
        using var doc = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(folder, "reference.json")));
        var root = doc.RootElement;
        var samples = root.GetProperty("gradient_samples").EnumerateArray()
            .Select(s => (s.GetProperty("sequence").GetInt32(), s.GetProperty("predicted_token_index").GetInt32(), s.GetProperty("loss").GetSingle()))
            .ToArray();

        using var file = SafetensorsFile.Open(Path.Combine(folder, "reference_gradients.safetensors"));
        var shape = file.Get("gradients").Shape;
        float[] flat = file.ReadFloat32("gradients");
        int columns = (int)shape[1];
        var rows = Enumerable.Range(0, (int)shape[0]).Select(r => flat.AsSpan(r * columns, columns).ToArray()).ToArray();

        return new GradientReference(
            FixtureReference.Load(fixture).Sequences,
            samples,
            root.GetProperty("gradient_parameters").EnumerateArray().Select(e => e.GetString()!).ToArray(),
            root.GetProperty("gradient_norms").EnumerateArray().Select(e => e.GetDouble()).ToArray(),
            root.GetProperty("gradient_cosine").EnumerateArray().Select(r => r.EnumerateArray().Select(e => e.GetDouble()).ToArray()).ToArray(),
            rows);
    }

    public List<ReadOnlyMemory<int>> SampleSequences() => Samples.Select(s => (ReadOnlyMemory<int>)Sequences[s.Sequence]).ToList();

    public int[] SampleTargets() => Samples.Select(s => s.Target).ToArray();
}
