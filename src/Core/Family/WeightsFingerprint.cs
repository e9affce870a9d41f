using System.Text;

namespace QuantaProbe.Core.Family;

/// <summary>
/// The sha256 of a model's weights as export read them: of every *.safetensors file of a checkpoint
/// folder (in ordinal order, a hash of the files' hashes), or of an ONNX decoder file. Parts that
/// later stages write carry it, so a model re-exported from retrained weights redoes them instead of
/// resuming over results of the old weights.
/// </summary>
public static class WeightsFingerprint
{
    public static string Of(string source)
    {
        if (File.Exists(source))
            return Sha256File.Of(source);
        var files = Directory.Exists(source)
            ? Directory.GetFiles(source, "*.safetensors").Order(StringComparer.Ordinal).ToArray()
            : [];
        if (files.Length == 0)
            throw new QuantaException($"{source}: no *.safetensors weights to fingerprint; pass a checkpoint folder with model.safetensors");
        var hashes = new StringBuilder();
        foreach (var file in files)
            hashes.Append(Path.GetFileName(file)).Append(' ').Append(Sha256File.Of(file)).Append('\n');
        return Sha256File.Of(Encoding.UTF8.GetBytes(hashes.ToString()));
    }
}
