namespace QuantaProbe.Models.Torch;

/// <summary>A stored (uncompressed) zip entry: where its bytes start in the file, how many, and their CRC-32.</summary>
internal sealed record ZipEntry(string Name, long DataOffset, long Size, uint Crc32);
