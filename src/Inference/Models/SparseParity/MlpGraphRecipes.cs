using QuantaProbe.Models.Gradients;
using QuantaProbe.Onnx;
using QuantaProbe.Onnx.Proto;

namespace QuantaProbe.Models.SparseParity;

/// <summary>A sparse-parity MLP's loss.onnx.</summary>
internal sealed record MlpLossRecipe : IGraphRecipe
{
    public const string LossKind = MlpConfig.ModelType + ".loss";

    public string Kind => LossKind;

    public ModelProto Build(string checkpointFolder, InitializerStore store)
    {
        using var checkpoint = MlpCheckpoint.Open(checkpointFolder);
        var model = MlpLossGraphBuilder.Build(checkpoint, store);
        store.Complete();
        return model;
    }
}

/// <summary>A sparse-parity MLP's grad.onnx with the given gradient options.</summary>
internal sealed record MlpGradientRecipe(GradientOptions Options) : IGraphRecipe
{
    public const string GradientKind = MlpConfig.ModelType + ".grad";

    public string Kind => GradientKind;

    public ModelProto Build(string checkpointFolder, InitializerStore store)
    {
        using var checkpoint = MlpCheckpoint.Open(checkpointFolder);
        var model = MlpGradientGraphBuilder.Build(checkpoint, store, Options);
        store.Complete();
        return model;
    }
}
