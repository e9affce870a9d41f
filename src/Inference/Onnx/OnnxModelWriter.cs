using QuantaProbe.Core;
using Google.Protobuf;
using QuantaProbe.Inference.Onnx.Proto;

namespace QuantaProbe.Inference.Onnx;

/// <summary>
/// Writes loss.onnx (and its external-data side file, if any) under temporary names, renaming
/// them into place only when complete; loss.onnx appears last, so its presence means done.
/// </summary>
internal static class OnnxModelWriter
{
    // Protobuf messages cannot exceed 2 GiB; keep headroom for the graph itself.
    public const long DefaultExternalThresholdBytes = 2_000_000_000;

    public static string ExternalDataName(string modelPath) => Path.GetFileName(modelPath) + ".data";

    /// <summary>Builds the model with an initializer store chosen by <paramref name="weightBytes"/> and writes it.</summary>
    public static void Write(string modelPath, long weightBytes, Func<InitializerStore, ModelProto> build, long externalThresholdBytes = DefaultExternalThresholdBytes)
    {
        string dataPath = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(modelPath))!, ExternalDataName(modelPath));
        // A stale model must not be paired with a new side file, so remove the completion marker first.
        File.Delete(modelPath);
        if (weightBytes <= externalThresholdBytes)
        {
            ModelProto inline;
            using (var store = InitializerStore.Inline())
                inline = build(store);
            File.Delete(dataPath);
            AtomicFile.Write(modelPath, inline.WriteTo);
            return;
        }

        string dataTemp = AtomicFile.TempPathFor(dataPath);
        ModelProto model;
        try
        {
            using var store = InitializerStore.External(dataTemp, ExternalDataName(modelPath));
            model = build(store);
            store.Complete();
            File.Move(dataTemp, dataPath, overwrite: true);
        }
        catch
        {
            File.Delete(dataTemp);
            throw;
        }
        AtomicFile.Write(modelPath, model.WriteTo);
    }
}
