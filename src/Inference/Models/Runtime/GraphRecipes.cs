using QuantaProbe.Core;
using QuantaProbe.Models.Architectures;
using QuantaProbe.Models.Gradients;
using QuantaProbe.Onnx;

namespace QuantaProbe.Models.Runtime;

/// <summary>The recipe an exported graph names in its metadata (<see cref="ModelGraphRecipe.Kind"/>), with the settings it recorded (a grad.onnx's options).</summary>
internal static class GraphRecipes
{
    public static IGraphRecipe FromMetadata(string kind, IReadOnlyDictionary<string, string> metadata, string modelPath)
    {
        var split = ModelGraphRecipe.SplitKind(kind);
        var architecture = split is { } s ? ModelArchitectures.Find(s.ModelType) : null;
        var graph = architecture is null ? null : ModelGraph.OfKindName(split!.Value.GraphName, () => GradientMetadata.Read(metadata, modelPath).Options);
        return graph is null
            ? throw new QuantaException($"{modelPath}: graph kind '{kind}' is unknown to this version of quanta; export it again (`quanta export --force`).")
            : new ModelGraphRecipe(architecture!, graph);
    }
}
