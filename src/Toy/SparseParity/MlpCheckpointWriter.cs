using System.Text.Json;
using System.Text.Json.Nodes;
using QuantaProbe.Core;
using QuantaProbe.Models.Safetensors;

namespace QuantaProbe.Toy.SparseParity;

/// <summary>
/// Saves a trained MLP as a checkpoint folder that <c>quanta export</c> reads: model.safetensors with
/// PyTorch nn.Linear tensors (fc1.weight [width, inputs], fc1.bias, fc2.weight [2, width], fc2.bias)
/// and config.json (model_type "sparse_parity_mlp"), written last so its presence means complete.
/// </summary>
public static class MlpCheckpointWriter
{
    public const string ModelType = "sparse_parity_mlp";

    public static bool IsComplete(string folder) =>
        File.Exists(Path.Combine(folder, "config.json")) && File.Exists(Path.Combine(folder, "model.safetensors"));

    public static void Write(string folder, MlpWeights w, SparseParityTask task, long step, JsonObject? training = null)
    {
        Directory.CreateDirectory(folder);
        File.Delete(Path.Combine(folder, "config.json"));
        var fc1 = new float[w.W1.Length];
        for (int i = 0; i < w.Inputs; i++)
            for (int j = 0; j < w.Width; j++)
                fc1[(long)j * w.Inputs + i] = w.W1[(long)i * w.Width + j];
        Float32SafetensorsWriter.Write(Path.Combine(folder, "model.safetensors"),
        [
            ("fc1.weight", [w.Width, w.Inputs], fc1),
            ("fc1.bias", [w.Width], w.B1),
            ("fc2.weight", [MlpWeights.Outputs, w.Width], w.W2),
            ("fc2.bias", [MlpWeights.Outputs], w.B2),
        ]);
        var config = new JsonObject
        {
            ["model_type"] = ModelType,
            ["n_tasks"] = task.Tasks,
            ["n_bits"] = task.Bits,
            ["k"] = task.K,
            ["alpha"] = task.Alpha,
            ["task_seed"] = task.Seed,
            ["hidden_size"] = w.Width,
            ["training_step"] = step,
            ["training"] = training,
        };
        AtomicFile.WriteAllText(Path.Combine(folder, "config.json"), config.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
    }
}
