using QuantaProbe.Core;
using QuantaProbe.Models.Gradients;
using QuantaProbe.Models.NeoX;
using QuantaProbe.Onnx;
using QuantaProbe.Models.SparseParity;

namespace QuantaProbe.Models.Runtime;

/// <summary>The recipe an exported graph names in its metadata, with the settings it recorded (a grad.onnx's options).</summary>
internal static class GraphRecipes
{
    public static IGraphRecipe FromMetadata(string kind, IReadOnlyDictionary<string, string> metadata, string modelPath)
    {
        GradientOptions Options() => GradientMetadata.Read(metadata, modelPath).Options;
        return kind switch
        {
            NeoXHeadRecipe.LossKind => new NeoXHeadRecipe(NeoXHead.Loss),
            NeoXHeadRecipe.LogitsKind => new NeoXHeadRecipe(NeoXHead.Logits),
            NeoXHeadRecipe.NextLogitsKind => new NeoXHeadRecipe(NeoXHead.NextLogits),
            NeoXGradientRecipe.GradientKind => new NeoXGradientRecipe(Options()),
            MlpLossRecipe.LossKind => new MlpLossRecipe(),
            MlpGradientRecipe.GradientKind => new MlpGradientRecipe(Options()),
            _ => throw new QuantaException($"{modelPath}: graph kind '{kind}' is unknown to this version of quanta; export it again (`quanta export --force`)."),
        };
    }
}
