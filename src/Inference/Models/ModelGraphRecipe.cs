using QuantaProbe.Onnx;
using QuantaProbe.Onnx.Proto;

namespace QuantaProbe.Models;

/// <summary>One graph of an architecture, as export writes it and session start rebuilds it to bind the weights.</summary>
internal sealed record ModelGraphRecipe(IModelArchitecture Architecture, ModelGraph Graph) : IGraphRecipe
{
    /// <summary>model_type, a dot, then the graph (gpt_neox.loss, sparse_parity_mlp.grad).</summary>
    public string Kind => Architecture.ModelType + "." + Graph.KindName;

    /// <summary>The model_type and graph name of a recorded <see cref="Kind"/>, or null when it has no dot.</summary>
    public static (string ModelType, string GraphName)? SplitKind(string kind)
    {
        int dot = kind.IndexOf('.', StringComparison.Ordinal);
        return dot > 0 ? (kind[..dot], kind[(dot + 1)..]) : null;
    }

    public ModelProto Build(string checkpointFolder, InitializerStore store)
    {
        IModelCheckpoint? checkpoint = Architecture.Open(checkpointFolder);
        try
        {
            var model = checkpoint.Build(Graph, store);
            store.Complete();
            if (store.BindsInPlace)
            {
                store.Retain(checkpoint);
                checkpoint = null;
            }
            return model;
        }
        finally
        {
            checkpoint?.Dispose();
        }
    }
}
