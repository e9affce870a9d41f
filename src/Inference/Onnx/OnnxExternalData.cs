using QuantaProbe.Core;
using QuantaProbe.Onnx.Proto;

namespace QuantaProbe.Onnx;

/// <summary>The external-data files an ONNX model's initializers reference (paths relative to the model's folder).</summary>
internal static class OnnxExternalData
{
    public static IReadOnlyList<string> Locations(GraphProto graph, string modelPath)
    {
        var locations = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var tensor in graph.Initializer.Where(t => t.DataLocation == TensorProto.Types.DataLocation.External))
        {
            string? location = tensor.ExternalData.FirstOrDefault(e => e.Key == "location")?.Value;
            if (string.IsNullOrEmpty(location) || Path.IsPathRooted(location)
                || location.Replace('\\', '/').Split('/').Contains(".."))
                throw new QuantaException($"{modelPath}: initializer '{tensor.Name}' has external data at '{location}', which is not a path inside the model's folder; re-export the model.");
            locations.Add(location);
        }
        return locations.ToList();
    }

    /// <summary>Copies each referenced file next to the new model (under a temporary name, then renamed).</summary>
    public static void CopyAll(IEnumerable<string> locations, string sourceFolder, string targetFolder)
    {
        if (Path.GetFullPath(sourceFolder) == Path.GetFullPath(targetFolder))
            return;
        foreach (var location in locations)
        {
            string source = Path.Combine(sourceFolder, location);
            if (!File.Exists(source))
                throw new QuantaException($"{source}: external data file not found; keep it beside the .onnx file it belongs to.");
            RegularFile.Require(source);
            string target = Path.Combine(targetFolder, location);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            AtomicFile.Write(target, output =>
            {
                using var input = File.OpenRead(source);
                input.CopyTo(output, 1 << 20);
            });
        }
    }
}
