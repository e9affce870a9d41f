using System.Text.Json;

namespace QuantaProbe.Tests.Inference;

/// <summary>A fixture's reference.json: token sequences and the independent PyTorch token losses.</summary>
internal sealed record FixtureReference(int[][] Sequences, float[][] TokenLosses)
{
    public static string Folder(string fixture) => Path.Combine(SharedData.Root, "fixtures", fixture);

    public static FixtureReference Load(string fixture)
    {
        using var doc = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(Folder(fixture), "reference.json")));
        var root = doc.RootElement;
        return new FixtureReference(
            root.GetProperty("sequences").EnumerateArray().Select(s => s.EnumerateArray().Select(e => e.GetInt32()).ToArray()).ToArray(),
            root.GetProperty("token_losses").EnumerateArray().Select(s => s.EnumerateArray().Select(e => e.GetSingle()).ToArray()).ToArray());
    }
}
