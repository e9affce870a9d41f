using QuantaProbe.Core;
using QuantaProbe.Models.Safetensors;
using QuantaProbe.Models.Weights;
using QuantaProbe.Models.Checkpoints;

namespace QuantaProbe.Tests.Inference;

[Trait("tier", "fast")]
public class SafetensorsFileTests
{
    [Fact]
    public void Reads_f32_f16_and_bf16_as_float32()
    {
        using var temp = new TempFolder();
        string path = temp.File("ok.safetensors");
        var f16 = new[] { (Half)1.5f, (Half)(-2.25f) }.SelectMany(h => BitConverter.GetBytes(h)).ToArray();
        // bf16 is the top half of a float32: 3.0f = 0x40400000, -0.5f = 0xBF000000.
        byte[] bf16 = [0x40, 0x40, 0x00, 0xBF];
        var data = SafetensorsWriter.Floats(1f, 2f, 3f).Concat(f16).Concat(bf16).ToArray();
        SafetensorsWriter.Write(path, """
            {"__metadata__":{"format":"pt"},
             "a":{"dtype":"F32","shape":[3],"data_offsets":[0,12]},
             "h":{"dtype":"F16","shape":[2,1],"data_offsets":[12,16]},
             "b":{"dtype":"BF16","shape":[2],"data_offsets":[16,20]}}
            """, data);

        using var file = SafetensorsFile.Open(path);
        Assert.Equal([1f, 2f, 3f], file.ReadFloat32("a"));
        Assert.Equal([1.5f, -2.25f], file.ReadFloat32("h"));
        Assert.Equal([3f, -0.5f], file.ReadFloat32("b"));
        Assert.Equal([2L, 1L], file.Get("h").Shape);
    }

    public static TheoryData<string, string, int, ulong?> LyingHeaders() => new()
    {
        { "offset past end", """{"a":{"dtype":"F32","shape":[4],"data_offsets":[0,16]}}""", 8, null },
        { "overlap", """{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}""", 12, null },
        { "unknown dtype", """{"a":{"dtype":"Q4","shape":[2],"data_offsets":[0,8]}}""", 8, null },
        { "shape disagrees with byte length", """{"a":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}""", 8, null },
        { "begin after end", """{"a":{"dtype":"F32","shape":[0],"data_offsets":[8,4]}}""", 8, null },
        { "negative dimension", """{"a":{"dtype":"F32","shape":[-2],"data_offsets":[0,8]}}""", 8, null },
        { "shape overflows", """{"a":{"dtype":"F32","shape":[4294967296,4294967296],"data_offsets":[0,8]}}""", 8, null },
        { "header length beyond file", """{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}""", 8, 1UL << 40 },
        { "header length just past file", """{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}""", 8, 1000 },
        { "not json", """{"a": nope""", 8, null },
        { "missing offsets", """{"a":{"dtype":"F32","shape":[2]}}""", 8, null },
    };

    [Theory]
    [MemberData(nameof(LyingHeaders))]
    public void Lying_header_is_rejected_naming_the_file(string why, string header, int dataBytes, ulong? claimedLength)
    {
        using var temp = new TempFolder();
        string path = temp.File("bad.safetensors");
        SafetensorsWriter.Write(path, header, new byte[dataBytes], claimedLength);

        var e = Assert.Throws<QuantaException>(() => SafetensorsFile.Open(path).Dispose());
        Assert.True(e.Message.Contains(path, StringComparison.Ordinal), $"{why}: message does not name the file: {e.Message}");
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void File_shorter_than_length_field_is_rejected()
    {
        using var temp = new TempFolder();
        string path = temp.File("short.safetensors");
        File.WriteAllBytes(path, [1, 2, 3]);
        var e = Assert.Throws<QuantaException>(() => SafetensorsFile.Open(path).Dispose());
        Assert.Contains(path, e.Message);
    }

    [Fact]
    public void Non_float_tensor_is_listed_but_cannot_be_read_as_weights()
    {
        using var temp = new TempFolder();
        string path = temp.File("bool.safetensors");
        SafetensorsWriter.Write(path, """{"mask":{"dtype":"BOOL","shape":[2,2],"data_offsets":[0,4]}}""", [1, 0, 1, 1]);

        using var file = SafetensorsFile.Open(path);
        Assert.Equal("BOOL", file.Get("mask").DType);
        var e = Assert.Throws<QuantaException>(() => file.ReadFloat32("mask"));
        Assert.Contains(path, e.Message);
        Assert.Contains("BOOL", e.Message);
    }

    [Fact]
    public void Sharded_checkpoint_is_read_through_its_index()
    {
        using var temp = new TempFolder();
        SafetensorsWriter.Write(temp.File("model-00001-of-00002.safetensors"), """{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}""", SafetensorsWriter.Floats(7f));
        SafetensorsWriter.Write(temp.File("model-00002-of-00002.safetensors"), """{"b":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}""", SafetensorsWriter.Floats(8f, 9f));
        File.WriteAllText(temp.File("model.safetensors.index.json"), """
            {"metadata":{"total_size":12},"weight_map":{"a":"model-00001-of-00002.safetensors","b":"model-00002-of-00002.safetensors"}}
            """);

        using var weights = WeightsFormats.Open(temp.Path);
        Assert.Equal(["a", "b"], weights.Names.Order());
        Assert.Equal([7f], weights.ReadFloat32("a"));
        Assert.Equal([8f, 9f], weights.ReadFloat32("b"));
    }

    [Fact]
    public void Index_naming_the_wrong_shard_is_rejected()
    {
        using var temp = new TempFolder();
        SafetensorsWriter.Write(temp.File("s1.safetensors"), """{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}""", SafetensorsWriter.Floats(7f));
        SafetensorsWriter.Write(temp.File("s2.safetensors"), """{"b":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}""", SafetensorsWriter.Floats(8f));
        string index = temp.File("model.safetensors.index.json");
        File.WriteAllText(index, """{"weight_map":{"a":"s2.safetensors","b":"s1.safetensors"}}""");

        var e = Assert.Throws<QuantaException>(() => WeightsFormats.Open(temp.Path).Dispose());
        Assert.Contains(index, e.Message);
    }
}
