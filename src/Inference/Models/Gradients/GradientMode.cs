namespace QuantaProbe.Models.Gradients;

/// <summary>What grad.onnx's `gradient_sketch` holds for each parameter.</summary>
public enum GradientMode
{
    /// <summary>The full per-example gradient, flattened row-major in HF shape (K = number of parameters).</summary>
    Exact,

    /// <summary>Per linear layer the Kronecker sketch (Δ P_out)ᵀ(X P_in), k_out×k_in; per bias (Σ_t Δ_t) P_out.</summary>
    Sketch,
}
