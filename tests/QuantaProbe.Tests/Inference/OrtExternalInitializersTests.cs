using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using QuantaProbe.Core;
using QuantaProbe.Export;
using QuantaProbe.Models;
using QuantaProbe.Models.NeoX;
using QuantaProbe.Onnx;
using QuantaProbe.Models.Runtime;

namespace QuantaProbe.Tests.Inference;

/// <summary>The C API's AddExternalInitializers, reached through the C# package's own API table.</summary>
[Trait("tier", "fast")]
public class OrtExternalInitializersTests
{
    [Fact]
    public void Caller_owned_tensors_are_accepted()
    {
        using var options = new SessionOptions();
        using var value = OrtValue.CreateTensorValueFromMemory(new float[] { 1, 2, 3 }, [3]);
        OrtExternalInitializers.Add(options, [("w", value)], "model.onnx");
    }

    [Fact]
    public void An_error_of_the_runtime_is_one_line_naming_the_model_and_the_runtime_s_reason()
    {
        using var options = new SessionOptions();
        // ONNX Runtime refuses a tensor whose buffer it owns itself.
        using var owned = OrtValue.CreateAllocatedTensorValue(OrtAllocator.DefaultInstance, TensorElementType.Float, [3]);
        var e = Assert.Throws<QuantaException>(() => OrtExternalInitializers.Add(options, [("w", owned)], "/x/loss.onnx"));
        Assert.DoesNotContain('\n', e.Message);
        Assert.StartsWith("/x/loss.onnx: ONNX Runtime refused the checkpoint's weights (", e.Message);
        Assert.Contains("owned by the user", e.Message);
    }

    /// <summary>
    /// The session copies the injected weights while it is created (CPU here; a GPU provider copies
    /// them to the device), so BoundSession releases the bound arrays once the session exists. If a
    /// runtime version kept pointing at them, the poisoned arrays would turn the losses into NaN.
    /// </summary>
    [Fact]
    public void The_session_holds_its_own_copy_once_created()
    {
        const string Fixture = "neox-tiny-parallel-f32";
        using var temp = new TempFolder();
        ModelExporter.ExportCheckpoint(FixtureReference.Folder(Fixture), temp.Path, "m");
        string path = temp.File("loss.onnx");
        var collected = new List<CollectedInitializer>();
        var store = InitializerStore.Collect(collected.Add);
        new ModelGraphRecipe(new NeoXArchitecture(), ModelGraph.Loss).Build(FixtureReference.Folder(Fixture), store);
        var values = collected.Select(i => (i.Name, OrtValue.CreateTensorValueFromMemory(i.Data, i.Dims))).ToList();
        using var options = new SessionOptions();
        OrtExternalInitializers.Add(options, values, path);
        using var session = new InferenceSession(path, options);
        foreach (var initializer in collected)
            Array.Fill(initializer.Data, float.NaN);
        foreach (var (_, value) in values)
            value.Dispose();

        var reference = FixtureReference.Load(Fixture);
        long[] ids = reference.Sequences[0].Select(t => (long)t).ToArray();
        using var idsValue = OrtValue.CreateTensorValueFromMemory(ids, [1, ids.Length]);
        using var maskValue = OrtValue.CreateTensorValueFromMemory(Enumerable.Repeat(1L, ids.Length).ToArray(), [1, ids.Length]);
        using var outputs = session.Run(new RunOptions(), [LossHead.InputIds, LossHead.AttentionMask], [idsValue, maskValue], [LossHead.TokenLoss]);
        var losses = outputs[0].GetTensorDataAsSpan<float>().ToArray();
        for (int t = 0; t < losses.Length; t++)
            Assert.Equal(reference.TokenLosses[0][t], losses[t], 1e-4f);
    }
}
