using QuantaProbe.Core;
using QuantaProbe.Models.Checkpoints;
using QuantaProbe.Models.NeoX;
using QuantaProbe.Models.SparseParity;

namespace QuantaProbe.Models.Architectures;

/// <summary>
/// The architectures quanta reads, one line each: a checkpoint's config.json model_type picks one, and
/// any other model_type is refused in one line naming the file and the supported types.
/// </summary>
internal static class ModelArchitectures
{
    public static readonly IReadOnlyList<IModelArchitecture> All =
    [
        new NeoXArchitecture(),
        new MlpArchitecture(),
    ];

    /// <summary>The architecture of the checkpoint in <paramref name="checkpointFolder"/>, by its config.json's model_type.</summary>
    public static IModelArchitecture Of(string checkpointFolder)
    {
        if (!Directory.Exists(checkpointFolder))
            throw new QuantaException($"{checkpointFolder}: checkpoint folder not found; pass a folder with config.json and its weights (model.safetensors or pytorch_model.bin).");
        string path = Path.Combine(checkpointFolder, ConfigReader.FileName);
        return ConfigReader.ReadFile(path, root =>
        {
            var config = ConfigReader.Of(root, path);
            string type = config.String("model_type");
            return Find(type) ?? throw config.Error($"model_type is '{type}', which quanta cannot read (supported: {string.Join(", ", All.Select(a => a.ModelType))})");
        });
    }

    /// <summary>The architecture whose model_type is <paramref name="modelType"/>, or null.</summary>
    public static IModelArchitecture? Find(string modelType) => All.FirstOrDefault(a => a.ModelType == modelType);
}
