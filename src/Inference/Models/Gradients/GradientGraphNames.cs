namespace QuantaProbe.Models.Gradients;

/// <summary>grad.onnx's inputs and outputs (the ONNX contract in PIPELINE.md).</summary>
internal static class GradientGraphNames
{
    public const string FileName = "grad.onnx";
    public const string InputIds = "input_ids";
    /// <summary>int64 [B]: index p ≥ 1 of the predicted token; the loss is that of predicting input_ids[b,p] from input_ids[b,&lt;p].</summary>
    public const string TargetPosition = "target_position";
    public const string Loss = "loss";
    public const string GradientSketch = "gradient_sketch";
}
