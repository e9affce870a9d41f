using System.Text.Json;
using QuantaProbe.Core;
using QuantaProbe.Models.Checkpoints;
using QuantaProbe.Core.Files;

namespace QuantaProbe.Models.SparseParity;

/// <summary>config.json of a sparse-parity MLP checkpoint (model_type "sparse_parity_mlp").</summary>
internal sealed record MlpConfig(int Tasks, int Bits, int HiddenSize, long? TrainingStep)
{
    public const string ModelType = "sparse_parity_mlp";

    public SparseParityVocabulary Vocabulary => new(Tasks, Bits);

    public static MlpConfig Load(string path)
    {
        if (!File.Exists(path))
            throw new QuantaException($"{path}: file not found; a checkpoint folder needs its config.json.");
        RegularFile.Require(path);
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllBytes(path));
            var r = ConfigReader.Of(doc.RootElement, path);
            string type = r.String("model_type");
            if (type != ModelType)
                throw r.Error($"model_type is '{type}', expected '{ModelType}'");
            long? step = r.OptionalLong("training_step");
            return new MlpConfig(r.Int("n_tasks", 1, 1 << 20), r.Int("n_bits", 1, 1 << 16), r.Int("hidden_size", 1, 1 << 20),
                step is < 0 ? throw r.Error($"training_step {step} is negative") : step);
        }
        catch (JsonException e)
        {
            throw new QuantaException($"{path}: not valid JSON ({e.Message}); restore config.json.", e);
        }
    }

    /// <summary>model_type of a checkpoint folder's config.json, or null when it has none.</summary>
    public static string? ModelTypeOf(string checkpointFolder)
    {
        string path = Path.Combine(checkpointFolder, "config.json");
        if (!File.Exists(path))
            return null;
        RegularFile.Require(path);
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllBytes(path));
            return doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("model_type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
        }
        catch (JsonException)
        {
            return null; // the model's own loader reports the broken file
        }
    }
}
