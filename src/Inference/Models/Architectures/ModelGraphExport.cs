using QuantaProbe.Models.Checkpoints;
using QuantaProbe.Models.Gradients;
using QuantaProbe.Onnx;

namespace QuantaProbe.Models.Architectures;

/// <summary>
/// Writes a checkpoint's graphs into a model folder, for whichever architecture its config.json names:
/// atomically, structure only (the weights are bound from the checkpoint at session start). Export writes
/// loss.onnx and the default grad.onnx, the gradients stage its variants, sampling next.onnx.
/// </summary>
public static class ModelGraphExport
{
    public const string LogitsOnnxFileName = ModelGraph.LogitsFileName;
    public const string NextLogitsOnnxFileName = NextLogitsHead.FileName;
    public const string GradOnnxFileName = GradientGraphNames.FileName;

    /// <summary>Folders models/&lt;name&gt;/grad-&lt;setting&gt; hold the grad.onnx of non-default settings.</summary>
    public const string GradientVariantPrefix = "grad-";

    /// <summary>
    /// Writes &lt;modelFolder&gt;/logits.onnx: inputs input_ids, attention_mask int64 [B,T] (right
    /// padding), output `logits` float32 [B,T,V] for every position. Returns its path.
    /// </summary>
    public static string ExportLogits(string checkpointFolder, string modelFolder) =>
        Export(checkpointFolder, modelFolder, ModelGraph.Logits);

    /// <summary>
    /// Writes &lt;modelFolder&gt;/next.onnx, the sampling graph: inputs input_ids, attention_mask int64
    /// [B,T] (right padding), output `next_logits` float32 [B,V], each row's logits for the token after
    /// its last unmasked one (the gather happens inside the graph). Returns its path.
    /// </summary>
    public static string ExportNextLogits(string checkpointFolder, string modelFolder) =>
        Export(checkpointFolder, modelFolder, ModelGraph.NextLogits);

    /// <summary>
    /// Writes &lt;modelFolder&gt;/grad.onnx: inputs input_ids int64 [B,T] (right padding allowed) and
    /// target_position int64 [B] (p ≥ 1); outputs `loss` [B], the loss of predicting input_ids[b,p]
    /// from the tokens before it, and `gradient_sketch` [B,K], that loss's gradient with respect to
    /// the architecture's linear weights and biases, exact or sketched per <paramref name="options"/>;
    /// the layout, mode, sketch dimensions and seed are in the model's metadata. Returns its path.
    /// </summary>
    public static string ExportGradients(string checkpointFolder, string modelFolder, GradientOptions options)
    {
        options.Validate();
        return Export(checkpointFolder, modelFolder, ModelGraph.Gradients(options));
    }

    private static string Export(string checkpointFolder, string modelFolder, ModelGraph graph) =>
        Export(ModelArchitectures.Of(checkpointFolder), checkpointFolder, modelFolder, graph);

    /// <summary>Writes &lt;modelFolder&gt;/<see cref="ModelGraph.FileName"/> of a checkpoint whose architecture is known. Returns its path.</summary>
    internal static string Export(IModelArchitecture architecture, string checkpointFolder, string modelFolder, ModelGraph graph)
    {
        string path = Path.GetFullPath(Path.Combine(modelFolder, graph.FileName));
        OnnxModelWriter.Write(path, new ModelGraphRecipe(architecture, graph), checkpointFolder);
        return path;
    }
}
