using System.Text.Json.Nodes;
using QuantaProbe.Models.NeoX;
using QuantaProbe.Models.Safetensors;

namespace QuantaProbe.Tests.Inference;

/// <summary>Rewritten fixture checkpoints: a fixture's tensors (as float32) and config, edited, written as F32 safetensors.</summary>
internal static class TestCheckpoints
{
    public static Dictionary<string, (long[] Shape, float[] Data)> FixtureTensors(string fixture)
    {
        using var checkpoint = NeoXCheckpoint.Open(FixtureReference.Folder(fixture));
        return checkpoint.ParameterNames.ToDictionary(n => n, n => (checkpoint.Weights.Info(n).Shape, checkpoint.Weights.ReadFloat32(n)));
    }

    /// <summary>Writes &lt;temp&gt;/&lt;name&gt;/{config.json, model.safetensors} from the fixture's config, edited.</summary>
    public static string Write(TempFolder temp, string fixture, string name, Dictionary<string, (long[] Shape, float[] Data)> tensors, Action<JsonObject> editConfig)
    {
        string folder = Path.Combine(temp.Path, name);
        Directory.CreateDirectory(folder);
        var config = JsonNode.Parse(File.ReadAllText(Path.Combine(FixtureReference.Folder(fixture), "config.json")))!.AsObject();
        editConfig(config);
        File.WriteAllText(Path.Combine(folder, "config.json"), config.ToJsonString());

        Float32SafetensorsWriter.Write(Path.Combine(folder, "model.safetensors"), tensors.Select(t => (t.Key, t.Value.Shape, t.Value.Data)).ToList());
        return folder;
    }
}
