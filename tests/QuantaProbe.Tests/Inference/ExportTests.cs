using QuantaProbe.Core.Family;
using System.Text.Json;
using QuantaProbe.Core;
using QuantaProbe.Export;
using QuantaProbe.Models.Runtime;
using QuantaProbe.Onnx;

namespace QuantaProbe.Tests.Inference;

[Trait("tier", "fast")]
public class ExportTests
{
    [Fact]
    public void Model_json_records_name_step_counts_and_config()
    {
        using var temp = new TempFolder();
        string modelFolder = Path.Combine(temp.Path, "models", "h32");
        var exported = ModelExporter.ExportCheckpoint(Path.Combine(ModelsTableRow.ModelsRoot, "pythia8k-h32-l2-step400"), modelFolder, "h32");

        Assert.Equal(400, exported.Step);
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(modelFolder, "model.json")));
        var root = doc.RootElement;
        Assert.Equal("h32", root.GetProperty("name").GetString());
        Assert.Equal(400, root.GetProperty("step").GetInt64());
        Assert.Equal(549_760, root.GetProperty("parameters").GetInt64());
        Assert.Equal(25_472, root.GetProperty("non_embedding_parameters").GetInt64());
        Assert.Equal("F16", root.GetProperty("weights_dtype").GetString());
        Assert.Equal(8192, root.GetProperty("config").GetProperty("vocab_size").GetInt32());
        Assert.Empty(Directory.GetFiles(modelFolder, "*.tmp"));
        Assert.False(File.Exists(Path.Combine(modelFolder, "loss.onnx.data")));
    }

    [Fact]
    public void Step_comes_from_the_folder_name_when_config_has_none()
    {
        Assert.Equal(143000, ModelExporter.StepFromFolderName("/ckpt/pythia-70m-step143000"));
        Assert.Equal(3000, ModelExporter.StepFromFolderName("/ckpt/step3000/"));
        Assert.Null(ModelExporter.StepFromFolderName("/ckpt/pythia-70m"));
        Assert.Null(ModelExporter.StepFromFolderName("/ckpt/steps"));
    }

    [Fact]
    public void Family_manifest_adds_and_replaces_members()
    {
        using var temp = new TempFolder();
        string manifest = temp.File("family.json");
        FamilyManifest.AddOrUpdate(manifest, new FamilyMember("a", temp.File("models/a"), 100));
        FamilyManifest.AddOrUpdate(manifest, new FamilyMember("b", "/elsewhere/b", null));
        FamilyManifest.AddOrUpdate(manifest, new FamilyMember("a", temp.File("models/a2"), 200));

        var members = FamilyManifest.Read(manifest);
        Assert.Equal(
            [new FamilyMember("a", temp.File("models/a2"), 200), new FamilyMember("b", "/elsewhere/b", null)],
            members);
        Assert.Contains("\"models/a2\"", File.ReadAllText(manifest));
    }

    [Fact]
    public void Family_manifest_with_duplicate_names_is_rejected()
    {
        using var temp = new TempFolder();
        string manifest = temp.File("family.json");
        File.WriteAllText(manifest, """{"models":[{"name":"a","path":"x"},{"name":"a","path":"y"}]}""");
        var e = Assert.Throws<QuantaException>(() => FamilyManifest.Read(manifest));
        Assert.Contains(manifest, e.Message);
    }

    [Fact]
    public void Cuda_request_on_a_cpu_build_is_a_clear_error()
    {
        using var temp = new TempFolder();
        ModelExporter.ExportCheckpoint(FixtureReference.Folder("neox-tiny-parallel-bf16"), temp.Path, "m");
        if (Microsoft.ML.OnnxRuntime.OrtEnv.Instance().GetAvailableProviders().Contains("CUDAExecutionProvider"))
            return; // a GPU build: nothing to check here
        var e = Assert.Throws<QuantaException>(() => LossRunner.Open(temp.Path, InferenceDevice.Cuda).Dispose());
        Assert.Contains("CUDA is not available", e.Message);
        Assert.Contains("-p:OnnxGpu=true", e.Message);
    }
}
