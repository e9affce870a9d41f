namespace QuantaProbe.Models.Torch;

/// <summary>
/// torch.save before PyTorch 1.6 (and with _use_new_zipfile_serialization=False) wrote a bare pickle
/// stream, starting with a protocol-2 PROTO opcode and then a magic number, instead of a zip archive.
/// </summary>
internal static class TorchLegacyFormat
{
    public static bool Is(ReadOnlySpan<byte> head) => head.Length >= 2 && head[0] == 0x80 && head[1] <= 5;
}
