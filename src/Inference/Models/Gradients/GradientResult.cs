namespace QuantaProbe.Models.Gradients;

/// <summary>One example's target-token loss (nats) and its gradient (sketch, or exact gradient) of length K.</summary>
public readonly record struct GradientResult(float Loss, float[] Sketch);
