using QuantaProbe.Models.Gradients;
using QuantaProbe.Onnx;
using QuantaProbe.Models.Checkpoints;

namespace QuantaProbe.Models.NeoX;

/// <summary>
/// Writes extra graphs of an HF GPT-NeoX checkpoint beside loss.onnx (which
/// the export stage (<c>ModelExporter.ExportCheckpoint</c>) writes):
/// the same body, another head (<see cref="NeoXHead"/>).
/// </summary>
public static class NeoXExport
{
    public const string LogitsOnnxFileName = "logits.onnx";
    public const string NextLogitsOnnxFileName = NextLogitsHead.FileName;
    public const string GradOnnxFileName = GradientGraphNames.FileName;

    /// <summary>
    /// Writes &lt;modelFolder&gt;/logits.onnx: inputs input_ids, attention_mask int64 [B,T] (right
    /// padding), output `logits` float32 [B,T,V] for every position. Written atomically; like every
    /// exported graph it holds structure only, its weights are bound from the checkpoint at session start. Returns its path.
    /// </summary>
    public static string ExportLogits(string checkpointFolder, string modelFolder) =>
        ExportGraph(checkpointFolder, modelFolder, NeoXHead.Logits);

    /// <summary>
    /// Writes &lt;modelFolder&gt;/next.onnx, the sampling graph: inputs input_ids, attention_mask int64
    /// [B,T] (right padding), output `next_logits` float32 [B,V], each row's logits for the token after
    /// its last unmasked one (the gather happens inside the graph). Written atomically. Returns its path.
    /// </summary>
    public static string ExportNextLogits(string checkpointFolder, string modelFolder) =>
        ExportGraph(checkpointFolder, modelFolder, NeoXHead.NextLogits);

    /// <summary>
    /// Writes &lt;modelFolder&gt;/grad.onnx: inputs input_ids int64 [B,T] (right padding allowed) and
    /// target_position int64 [B] (p ≥ 1); outputs `loss` [B], the loss of predicting input_ids[b,p]
    /// from the tokens before it, and `gradient_sketch` [B,K], that loss's gradient with respect to
    /// every linear weight and bias (no LayerNorms, no embeddings), exact or sketched per
    /// <paramref name="options"/>; the layout, mode, sketch dimensions and seed are in the model's
    /// metadata. Written atomically, structure only (the weights and projections are bound at session start). Returns its path.
    /// </summary>
    public static string ExportGradients(string checkpointFolder, string modelFolder, GradientOptions options)
    {
        options.Validate();
        string path = Path.GetFullPath(Path.Combine(modelFolder, GradientGraphNames.FileName));
        OnnxModelWriter.Write(path, new NeoXGradientRecipe(options), checkpointFolder);
        return path;
    }

    /// <summary>The file name of the graph with the given head.</summary>
    public static string FileName(NeoXHead head) => head switch
    {
        NeoXHead.Loss => LossHead.FileName,
        NeoXHead.Logits => LogitsOnnxFileName,
        NeoXHead.NextLogits => NextLogitsOnnxFileName,
        _ => throw new ArgumentOutOfRangeException(nameof(head), head, null),
    };

    internal static string ExportGraph(string checkpointFolder, string modelFolder, NeoXHead head)
    {
        string path = Path.GetFullPath(Path.Combine(modelFolder, FileName(head)));
        OnnxModelWriter.Write(path, new NeoXHeadRecipe(head), checkpointFolder);
        return path;
    }
}
