using QuantaProbe.Core;
using Google.Protobuf;
using QuantaProbe.Onnx.Proto;

namespace QuantaProbe.Onnx;

/// <summary>
/// Reads a model file's metadata_props without parsing its graph, so that a session can learn
/// what to bind before ONNX Runtime loads the model (an imported decoder may hold its weights inline).
/// </summary>
internal static class OnnxMetadataReader
{
    private const int MetadataPropsField = ModelProto.MetadataPropsFieldNumber;

    /// <summary>The key-value metadata of <paramref name="modelPath"/>; empty when the file is not a readable model (ONNX Runtime then says why).</summary>
    public static IReadOnlyDictionary<string, string> Read(string modelPath)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        RegularFile.Require(modelPath);
        try
        {
            using var stream = new FileStream(modelPath, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
            using var input = new CodedInputStream(stream);
            uint tag;
            while ((tag = input.ReadTag()) != 0)
            {
                if (WireFormat.GetTagFieldNumber(tag) == MetadataPropsField && WireFormat.GetTagWireType(tag) == WireFormat.WireType.LengthDelimited)
                {
                    var entry = new StringStringEntryProto();
                    input.ReadMessage(entry);
                    result[entry.Key] = entry.Value;
                }
                else
                {
                    input.SkipLastField();
                }
            }
        }
        catch (InvalidProtocolBufferException)
        {
            result.Clear();
        }
        return result;
    }
}
