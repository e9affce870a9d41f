using QuantaProbe.Core.Contracts;
using System.Text.Json;
using QuantaProbe.Core;
using QuantaProbe.Core.Family;
using QuantaProbe.Models.Gradients;
using QuantaProbe.Models.Architectures;

namespace QuantaProbe.Gradients;

/// <summary>
/// Where the grad.onnx for a gradient setting lives: models/&lt;name&gt;/grad.onnx for the default
/// sketch (export writes it), models/&lt;name&gt;/grad-&lt;setting&gt;/grad.onnx otherwise, exported on
/// first use from the checkpoint that model.json names.
/// </summary>
internal static class GradientModelFile
{
    public static string Ensure(FamilyMember model, GradientOptions options)
    {
        var path = PathOf(model.Path, options);
        var folder = Path.GetDirectoryName(path)!;
        if (File.Exists(path))
            return path;
        var info = ModelInfo.PathIn(model.Path);
        string? source = ModelInfo.TryRead(model.Path)?.Source;
        if (source is null || !Directory.Exists(source))
            throw new QuantaException($"{path}: not found, and {info} names no checkpoint folder to export it from; gradients need the model's checkpoint folder (`quanta export --checkpoint DIR`)");
        return ModelGraphExport.ExportGradients(source, folder, options);
    }

    public static string PathOf(string modelFolder, GradientOptions options) =>
        Path.Combine(options == GradientOptions.Sketch() ? modelFolder : Path.Combine(modelFolder, ModelGraphExport.GradientVariantPrefix + Setting(options)), ModelGraphExport.GradOnnxFileName);

    public static string Setting(GradientOptions o) => o.Mode == GradientMode.Exact ? "exact" : $"k{o.KIn}x{o.KOut}-seed{o.Seed}";
}
