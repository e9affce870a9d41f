using QuantaProbe.Core.Contracts;
using System.Text.Json;
using QuantaProbe.Core;
using QuantaProbe.Core.Family;
using QuantaProbe.Models.Architectures;

namespace QuantaProbe.Sampling;

/// <summary>
/// The next.onnx that `--model` names: a next.onnx file, a folder holding one, or an HF checkpoint
/// folder whose sampling graph is exported into a temporary folder deleted on dispose (the export takes
/// about as long as loading the weights, and a run folder stays free of side effects).
/// </summary>
internal sealed class SamplingModel : IDisposable
{
    private readonly string? _temporaryFolder;

    public string NextOnnxPath { get; }
    /// <summary>The model's name: model.json's name, else its folder's name.</summary>
    public string Name { get; }

    private SamplingModel(string nextOnnxPath, string name, string? temporaryFolder)
    {
        NextOnnxPath = nextOnnxPath;
        Name = name;
        _temporaryFolder = temporaryFolder;
    }

    public static SamplingModel Resolve(string model)
    {
        string full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(model));
        if (File.Exists(full))
        {
            if (!full.EndsWith(".onnx", StringComparison.OrdinalIgnoreCase))
                throw new QuantaException($"{model}: not an .onnx file; pass a checkpoint folder (config.json + model.safetensors) or a next.onnx");
            return new SamplingModel(full, NameOf(Path.GetDirectoryName(full)!), null);
        }
        if (!Directory.Exists(full))
            throw new QuantaException($"{model}: model not found; pass a checkpoint folder (config.json + model.safetensors) or a folder with next.onnx");
        string next = Path.Combine(full, ModelGraphExport.NextLogitsOnnxFileName);
        if (File.Exists(next))
            return new SamplingModel(next, NameOf(full), null);
        if (!File.Exists(Path.Combine(full, "config.json")))
            throw new QuantaException($"{model}: has neither next.onnx nor config.json; pass an HF checkpoint folder (config.json + model.safetensors)");

        string temporary = Directory.CreateTempSubdirectory("quanta-sample-").FullName;
        try
        {
            return new SamplingModel(ModelGraphExport.ExportNextLogits(full, temporary), NameOf(full), temporary);
        }
        catch
        {
            Directory.Delete(temporary, recursive: true);
            throw;
        }
    }

    private static string NameOf(string folder)
    {
        string? name = ModelInfo.TryRead(folder)?.Name;
        return string.IsNullOrEmpty(name) ? Path.GetFileName(folder) : name;
    }

    public void Dispose()
    {
        if (_temporaryFolder is not null && Directory.Exists(_temporaryFolder))
            Directory.Delete(_temporaryFolder, recursive: true);
    }
}
