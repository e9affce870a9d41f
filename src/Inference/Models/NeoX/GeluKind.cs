namespace QuantaProbe.Models.NeoX;

internal enum GeluKind
{
    /// <summary>HF "gelu": 0.5·x·(1 + erf(x/√2)).</summary>
    Exact,
    /// <summary>HF "gelu_new", "gelu_fast", "gelu_pytorch_tanh": 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))).</summary>
    Tanh,
}
