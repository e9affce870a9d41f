using QuantaProbe.Models.Gradients;
using QuantaProbe.Models.NeoX;
using QuantaProbe.Models.SparseParity;

namespace QuantaProbe.Models.Runtime;

/// <summary>
/// grad.onnx for a checkpoint of any supported model type: export writes the default sketch's, the
/// gradients stage the variants it needs, both from here (so gradients never re-enter export).
/// </summary>
public static class GradientGraphExport
{
    /// <summary>Folders models/&lt;name&gt;/grad-&lt;setting&gt; hold the grad.onnx of non-default settings.</summary>
    public const string VariantPrefix = "grad-";

    /// <summary>
    /// Writes &lt;modelFolder&gt;/grad.onnx (GPT-NeoX:
    /// <see cref="NeoXExport.ExportGradients(string, string, GradientOptions)"/>; sparse-parity MLP). Returns its path.
    /// </summary>
    public static string Write(string checkpointFolder, string modelFolder, GradientOptions options) =>
        MlpConfig.ModelTypeOf(checkpointFolder) == MlpConfig.ModelType
            ? MlpGradientExport.ExportGradients(checkpointFolder, modelFolder, options)
            : NeoXExport.ExportGradients(checkpointFolder, modelFolder, options);
}
