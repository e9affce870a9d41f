using QuantaProbe.Models.Checkpoints;
using QuantaProbe.Models.Gradients;

namespace QuantaProbe.Models.SparseParity;

/// <summary>grad.onnx of a sparse-parity MLP checkpoint (dispatched to by <see cref="Runtime.GradientGraphExport"/>).</summary>
internal static class MlpGradientExport
{
    public static string ExportGradients(string checkpointFolder, string modelFolder, GradientOptions options)
    {
        options.Validate();
        string path = Path.GetFullPath(Path.Combine(modelFolder, GradientGraphNames.FileName));
        OnnxModelWriter.Write(path, new MlpGradientRecipe(options), checkpointFolder);
        return path;
    }
}
