using System.Text;

namespace QuantaProbe.Core.Family;

/// <summary>
/// The sha256 of a model's weights as export read them: of the weight files of a checkpoint folder
/// (those its weights format names, in ordinal order: a hash of the lines "name sha256"), or of an ONNX
/// decoder file. Parts that later stages write carry it, so a model re-exported from retrained weights
/// redoes them instead of resuming over results of the old weights.
/// </summary>
public static class WeightsFingerprint
{
    /// <summary>The sha256 of one file (an ONNX decoder).</summary>
    public static string OfFile(string file)
    {
        if (!File.Exists(file))
            throw new QuantaException($"{file}: not found; nothing to fingerprint");
        return Sha256File.Of(file);
    }

    /// <summary>The fingerprint of a checkpoint folder's weight files.</summary>
    public static string OfFiles(string folder, IEnumerable<string> files)
    {
        var ordered = files.Order(StringComparer.Ordinal).ToArray();
        if (ordered.Length == 0)
            throw new QuantaException($"{folder}: no weight files to fingerprint; pass a checkpoint folder with its weights");
        var hashes = new StringBuilder();
        foreach (var file in ordered)
            hashes.Append(Path.GetFileName(file)).Append(' ').Append(Sha256File.Of(file)).Append('\n');
        return Sha256File.Of(Encoding.UTF8.GetBytes(hashes.ToString()));
    }
}
