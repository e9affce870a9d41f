using System.IO.Compression;
using System.Runtime.InteropServices;
using QuantaProbe.Core;
using QuantaProbe.Models.Safetensors;
using QuantaProbe.Models.Torch;
using QuantaProbe.Models.Weights;
using static QuantaProbe.Models.NeoX.NeoXWeightNames;
using QuantaProbe.Models.Checkpoints;

namespace QuantaProbe.Tests.Inference;

/// <summary>
/// pytorch_model.bin read against the same weights as safetensors (the fixtures were written by
/// torch.save from the safetensors fixtures' tensors), and the writer against the fixtures.
/// </summary>
[Trait("tier", "fast")]
public class TorchCheckpointTests
{
    public static TheoryData<string, string> Pairs => new()
    {
        { "neox-tiny-torch-f16", "neox-tiny-sequential-f16" },
        { "neox-tiny-torch-sharded-bf16", "neox-tiny-parallel-bf16" },
        { "neox-tiny-torch-views-f32", "neox-tiny-parallel-f32" },
    };

    [Theory]
    [MemberData(nameof(Pairs))]
    public void Every_tensor_equals_the_safetensors_one(string torchFixture, string safetensorsFixture)
    {
        using var torch = WeightsFormats.Open(FixtureReference.Folder(torchFixture));
        using var safetensors = WeightsFormats.Open(FixtureReference.Folder(safetensorsFixture));
        Assert.All(torch.Files, f => Assert.EndsWith(".bin", f));

        var parameters = safetensors.Names.Where(n => !IsIgnoredBuffer(n)).Order().ToList();
        Assert.Equal(parameters, torch.Names.Where(n => !IsIgnoredBuffer(n)).Order());
        foreach (var name in parameters)
        {
            Assert.Equal(safetensors.Info(name).DType, torch.Info(name).DType);
            Assert.Equal(safetensors.Info(name).Shape, torch.Info(name).Shape);
            Assert.Equal(safetensors.ReadFloat32(name), torch.ReadFloat32(name));
        }
    }

    [Fact]
    public void Pythia_buffers_are_listed_with_their_dtypes()
    {
        using var torch = WeightsFormats.Open(FixtureReference.Folder("neox-tiny-torch-f16"));
        Assert.Equal("BOOL", torch.Info(Layer(0, "attention.bias")).DType);
        Assert.Equal([1L, 1, 128, 128], torch.Info(Layer(0, "attention.bias")).Shape);
        Assert.Equal("F32", torch.Info(Layer(0, "attention.masked_bias")).DType);
        Assert.Empty(torch.Info(Layer(0, "attention.masked_bias")).Shape);
        var e = Assert.Throws<QuantaException>(() => torch.ReadFloat32(Layer(0, "attention.bias")));
        Assert.Contains("is BOOL", e.Message);
        Assert.Contains("pytorch_model.bin", e.Message);
    }

    [Fact]
    public void The_writer_reproduces_the_torch_save_fixture()
    {
        using var temp = new TempFolder();
        string folder = FixtureReference.Folder("neox-tiny-torch-f16");
        string written = temp.File("pytorch_model.bin");
        using (var source = WeightsFormats.Open(FixtureReference.Folder("neox-tiny-sequential-f16")))
            TorchCheckpointWriter.Write(written, TorchTestCheckpoints.WithPythiaBuffers(source, layers: 3, rotaryDims: 16, rotaryBase: 500, maxPositions: 128, maskDType: "BOOL"));

        using var expected = TorchCheckpointFile.Open(Path.Combine(folder, "pytorch_model.bin"));
        using var actual = TorchCheckpointFile.Open(written);
        Assert.Equal(expected.Names.Order(), actual.Names.Order());
        foreach (var name in expected.Names)
        {
            Assert.Equal(expected.Info(name), actual.Info(name), (a, b) => a.DType == b.DType && a.Shape.SequenceEqual(b.Shape));
            if (name.EndsWith("inv_freq", StringComparison.Ordinal))
                Assert.Equal(expected.ReadFloat32(name), actual.ReadFloat32(name), (a, b) => Math.Abs(a - b) <= 1e-6f * Math.Abs(a));
            else
                Assert.Equal(expected.ReadBytes(name), actual.ReadBytes(name));
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Written_archives_are_zip_files_another_reader_accepts(bool zip64)
    {
        using var temp = new TempFolder();
        string path = temp.File("state.bin");
        byte[] halves = MemoryMarshal.AsBytes(new Half[] { (Half)1.5f, (Half)(-2f), (Half)0.25f, (Half)8f, (Half)3f, (Half)(-0.5f) }.AsSpan()).ToArray();
        TorchCheckpointWriter.Write(path, [new("w", "F16", [2, 3], halves), new("mask", "U8", [1, 1, 2, 2], [1, 0, 1, 1])], zip64);

        using (var archive = ZipFile.OpenRead(path))
        {
            Assert.Equal(["state/byteorder", "state/data.pkl", "state/data/0", "state/data/1", "state/version"], archive.Entries.Select(e => e.FullName).Order());
            using var stream = archive.GetEntry("state/data/0")!.Open();
            var copy = new MemoryStream();
            stream.CopyTo(copy);
            Assert.Equal(halves, copy.ToArray());
        }
        using var file = TorchCheckpointFile.Open(path);
        Assert.Equal([1.5f, -2f, 0.25f, 8f, 3f, -0.5f], file.ReadFloat32("w"));
        Assert.Equal(new TensorInfo("mask", "U8", [1, 1, 2, 2]), file.Info("mask"), (a, b) => a.DType == b.DType && a.Shape.SequenceEqual(b.Shape));
        Assert.Equal([1, 0, 1, 1], file.ReadBytes("mask"));
    }

    [Fact]
    public void A_folder_with_both_formats_reads_safetensors()
    {
        using var temp = new TempFolder();
        File.Copy(Path.Combine(FixtureReference.Folder("neox-tiny-sequential-f16"), "model.safetensors"), temp.File("model.safetensors"));
        File.Copy(Path.Combine(FixtureReference.Folder("neox-tiny-torch-f16"), "pytorch_model.bin"), temp.File("pytorch_model.bin"));

        Assert.IsType<SafetensorsFormat>(WeightsFormats.Of(temp.Path));
        using var weights = WeightsFormats.Open(temp.Path);
        Assert.Equal([temp.File("model.safetensors")], weights.Files);
        Assert.DoesNotContain(weights.Names, n => n.EndsWith(".attention.bias", StringComparison.Ordinal));
    }

    [Fact]
    public void A_folder_without_weights_names_both_formats()
    {
        using var temp = new TempFolder();
        var e = Assert.Throws<QuantaException>(() => WeightsFormats.Open(temp.Path));
        Assert.StartsWith(temp.Path + ":", e.Message);
        Assert.Contains("model.safetensors", e.Message);
        Assert.Contains("pytorch_model.bin", e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void The_legacy_format_is_refused_with_how_to_re_save()
    {
        string path = Path.Combine(SharedData.Root, "fixtures", "hostile-torch", "legacy-format.bin");
        var e = Assert.Throws<QuantaException>(() => TorchCheckpointFile.Open(path).Dispose());
        Assert.StartsWith(path + ":", e.Message);
        Assert.Contains("pre-1.6", e.Message);
        Assert.Contains("torch.save it again", e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    /// <summary>The recipe run folders' model.json were written with: "name sha256\n" per *.safetensors file, hashed.</summary>
    [Fact]
    public void Fingerprints_keep_the_safetensors_recipe_and_hash_the_bin_files()
    {
        static string Recipe(IEnumerable<string> files) => Sha256File.Of(System.Text.Encoding.UTF8.GetBytes(
            string.Concat(files.Order(StringComparer.Ordinal).Select(f => $"{Path.GetFileName(f)} {Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(f)))}\n"))));

        string safetensors = FixtureReference.Folder("neox-tiny-parallel-f32");
        Assert.Equal(Recipe(Directory.GetFiles(safetensors, "*.safetensors")), WeightsFormats.Fingerprint(safetensors));
        string sharded = FixtureReference.Folder("neox-tiny-torch-sharded-bf16");
        Assert.Equal(Recipe(Directory.GetFiles(sharded, "*.bin")), WeightsFormats.Fingerprint(sharded));
    }

    [Fact]
    public void A_sharded_index_naming_the_wrong_shard_is_refused()
    {
        using var temp = new TempFolder();
        string source = FixtureReference.Folder("neox-tiny-torch-sharded-bf16");
        foreach (var file in Directory.GetFiles(source, "*.bin"))
            File.Copy(file, Path.Combine(temp.Path, Path.GetFileName(file)));
        string index = temp.File("pytorch_model.bin.index.json", File.ReadAllText(Path.Combine(source, "pytorch_model.bin.index.json"))
            .Replace("\"gpt_neox.embed_in.weight\": \"pytorch_model-00001-of-00002.bin\"", "\"gpt_neox.embed_in.weight\": \"pytorch_model-00002-of-00002.bin\""));
        var e = Assert.Throws<QuantaException>(() => WeightsFormats.Open(temp.Path).Dispose());
        Assert.StartsWith(index + ":", e.Message);
        Assert.Contains("gpt_neox.embed_in.weight", e.Message);
    }
}
