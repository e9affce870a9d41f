using QuantaProbe.Core;
using Google.Protobuf;
using QuantaProbe.Onnx;
using QuantaProbe.Onnx.Proto;

namespace QuantaProbe.Models.Checkpoints;

/// <summary>
/// Writes a checkpoint's graph with its structure only (<see cref="InitializerStore"/>), atomically.
/// The model's metadata says what session start needs to bind the weights: the recipe, the
/// checkpoint folder (absolute) and the identity of its files at export.
/// </summary>
internal static class OnnxModelWriter
{
    public const string GraphKindKey = "quantaprobe.graph";
    public const string CheckpointKey = "quantaprobe.checkpoint";
    public const string CheckpointFilesKey = "quantaprobe.checkpoint_files";

    public static void Write(string modelPath, IGraphRecipe recipe, string checkpointFolder)
    {
        string folder = Path.GetFullPath(checkpointFolder);
        // Taken before the build, so a checkpoint rewritten during the export is caught at session start.
        string identity = CheckpointIdentity.Of(folder);
        var model = recipe.Build(folder, InitializerStore.Placeholders());
        model.MetadataProps.Add(new StringStringEntryProto { Key = GraphKindKey, Value = recipe.Kind });
        model.MetadataProps.Add(new StringStringEntryProto { Key = CheckpointKey, Value = folder });
        model.MetadataProps.Add(new StringStringEntryProto { Key = CheckpointFilesKey, Value = identity });
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(modelPath))!);
        // An export from before graphs held structure only left the weights in this side file.
        File.Delete(modelPath + ".data");
        AtomicFile.Write(modelPath, model.WriteTo);
    }
}
