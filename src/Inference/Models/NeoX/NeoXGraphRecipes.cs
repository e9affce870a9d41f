using QuantaProbe.Models.Gradients;
using QuantaProbe.Onnx;
using QuantaProbe.Onnx.Proto;

namespace QuantaProbe.Models.NeoX;

/// <summary>A GPT-NeoX graph with one head: loss.onnx, logits.onnx or next.onnx.</summary>
internal sealed record NeoXHeadRecipe(NeoXHead Head) : IGraphRecipe
{
    public const string LossKind = "gpt_neox.loss";
    public const string LogitsKind = "gpt_neox.logits";
    public const string NextLogitsKind = "gpt_neox.next_logits";

    public string Kind => Head switch
    {
        NeoXHead.Loss => LossKind,
        NeoXHead.Logits => LogitsKind,
        NeoXHead.NextLogits => NextLogitsKind,
        _ => throw new ArgumentOutOfRangeException(nameof(Head), Head, null),
    };

    public ModelProto Build(string checkpointFolder, InitializerStore store)
    {
        using var checkpoint = NeoXCheckpoint.Open(checkpointFolder);
        var model = NeoXGraphBuilder.Build(checkpoint, store, Head);
        store.Complete();
        return model;
    }
}

/// <summary>A GPT-NeoX grad.onnx with the given gradient options.</summary>
internal sealed record NeoXGradientRecipe(GradientOptions Options) : IGraphRecipe
{
    public const string GradientKind = "gpt_neox.grad";

    public string Kind => GradientKind;

    public ModelProto Build(string checkpointFolder, InitializerStore store)
    {
        using var checkpoint = NeoXCheckpoint.Open(checkpointFolder);
        var model = NeoXGradientGraphBuilder.Build(checkpoint, store, Options);
        store.Complete();
        return model;
    }
}
