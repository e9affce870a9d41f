using System.Text.Json.Nodes;
using QuantaProbe.Models.Checkpoints;

namespace QuantaProbe.Models.SparseParity;

/// <summary>config.json of a sparse-parity MLP checkpoint (model_type "sparse_parity_mlp").</summary>
internal sealed record MlpConfig(int Tasks, int Bits, int HiddenSize, long? TrainingStep)
{
    public const string ModelType = "sparse_parity_mlp";

    public SparseParityVocabulary Vocabulary => new(Tasks, Bits);

    public static MlpConfig Load(string path) => ConfigReader.ReadFile(path, root =>
    {
        var r = ConfigReader.Of(root, path);
        string type = r.String("model_type");
        if (type != ModelType)
            throw r.Error($"model_type is '{type}', expected '{ModelType}'");
        long? step = r.OptionalLong("training_step");
        return new MlpConfig(r.Int("n_tasks", 1, 1 << 20), r.Int("n_bits", 1, 1 << 16), r.Int("hidden_size", 1, 1 << 20),
            step is < 0 ? throw r.Error($"training_step {step} is negative") : step);
    });

    /// <summary>The config as model.json records it.</summary>
    public JsonObject Summary() => new()
    {
        ["model_type"] = ModelType,
        ["n_tasks"] = Tasks,
        ["n_bits"] = Bits,
        ["hidden_size"] = HiddenSize,
    };
}
