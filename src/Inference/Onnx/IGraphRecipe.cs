using QuantaProbe.Onnx.Proto;

namespace QuantaProbe.Onnx;

/// <summary>
/// One kind of graph export writes from a checkpoint folder (a GPT-NeoX head, grad.onnx, the toy
/// MLP's graphs). Export builds it on a placeholder store; session start builds it again on a
/// collecting store, so the weights bound are exactly those the builder declares, transposed and
/// derived by the same code.
/// </summary>
internal interface IGraphRecipe
{
    /// <summary>Recorded in the graph's metadata (<c>quantaprobe.graph</c>, which export writes) so session start finds this recipe again.</summary>
    string Kind { get; }

    /// <summary>
    /// Opens the checkpoint, builds the graph into <paramref name="store"/> and completes the store, then closes the
    /// checkpoint, unless values bound in place point into it: then the store retains it (<see cref="InitializerStore.Retain"/>).
    /// </summary>
    ModelProto Build(string checkpointFolder, InitializerStore store);
}
