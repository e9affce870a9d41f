using System.Text.Json.Nodes;
using QuantaProbe.Core;
using QuantaProbe.Export;
using QuantaProbe.Models.NeoX;
using QuantaProbe.Models.Runtime;

namespace QuantaProbe.Tests.Inference;

/// <summary>
/// Config variants without a reference of their own, checked by equivalence: a fixture rewritten
/// so that two configurations must compute the same function.
/// </summary>
[Trait("tier", "fast")]
public class CheckpointVariantTests
{
    private const string Fixture = "neox-tiny-parallel-f32";

    [Fact]
    public void Tied_head_equals_an_untied_head_holding_the_same_matrix()
    {
        using var temp = new TempFolder();
        var tensors = TestCheckpoints.FixtureTensors(Fixture);
        var untied = new Dictionary<string, (long[] Shape, float[] Data)>(tensors) { [NeoXWeightNames.EmbedOut] = tensors[NeoXWeightNames.EmbedIn] };
        var tied = new Dictionary<string, (long[] Shape, float[] Data)>(tensors);
        tied.Remove(NeoXWeightNames.EmbedOut);

        var a = Losses(temp, "untied", untied, c => { });
        var b = Losses(temp, "tied", tied, c => c["tie_word_embeddings"] = true);
        Assert.Equal(a, b);
    }

    [Fact]
    public void Attention_without_biases_equals_attention_with_zero_biases()
    {
        using var temp = new TempFolder();
        var withZeros = TestCheckpoints.FixtureTensors(Fixture);
        var without = new Dictionary<string, (long[] Shape, float[] Data)>(withZeros);
        foreach (var name in withZeros.Keys.Where(n => n.EndsWith("attention.query_key_value.bias") || n.EndsWith("attention.dense.bias")))
        {
            withZeros[name] = (withZeros[name].Shape, new float[withZeros[name].Data.Length]);
            without.Remove(name);
        }

        var a = Losses(temp, "zeros", withZeros, c => { });
        var b = Losses(temp, "none", without, c => c["attention_bias"] = false);
        Assert.Equal(a, b);
    }

    [Theory]
    [InlineData("gelu_new")]
    [InlineData("gelu_fast")]
    public void Tanh_gelu_is_a_close_but_distinct_approximation(string act)
    {
        using var temp = new TempFolder();
        var tensors = TestCheckpoints.FixtureTensors(Fixture);
        var exact = Losses(temp, "exact", tensors, c => { });
        var approx = Losses(temp, act, tensors, c => c["hidden_act"] = act);
        double maxDiff = exact.Zip(approx, (a, b) => Math.Abs(a - b)).Max();
        // The tanh form differs from erf GELU by at most ~5e-4 per activation.
        Assert.InRange(maxDiff, 1e-7, 0.05);
    }

    [Fact]
    public void Weights_that_disagree_with_config_are_a_user_error()
    {
        using var temp = new TempFolder();
        string folder = TestCheckpoints.Write(temp, Fixture, "bad", TestCheckpoints.FixtureTensors(Fixture), c => c["num_hidden_layers"] = 3);
        var e = Assert.Throws<QuantaException>(() => NeoXCheckpoint.Open(folder).Dispose());
        Assert.Contains("gpt_neox.layers.2.", e.Message);

        var extra = TestCheckpoints.FixtureTensors(Fixture);
        extra["gpt_neox.layers.0.attention.mystery"] = ([1], [0f]);
        folder = TestCheckpoints.Write(temp, Fixture, "extra", extra, c => { });
        e = Assert.Throws<QuantaException>(() => NeoXCheckpoint.Open(folder).Dispose());
        Assert.Contains("mystery", e.Message);
    }

    private static float[] Losses(TempFolder temp, string name, Dictionary<string, (long[] Shape, float[] Data)> tensors, Action<JsonObject> editConfig)
    {
        string folder = TestCheckpoints.Write(temp, Fixture, name, tensors, editConfig);
        var exported = ModelExporter.ExportCheckpoint(folder, Path.Combine(temp.Path, "out-" + name), name);
        using var runner = LossRunner.Open(exported.ModelFolder);
        var reference = FixtureReference.Load(Fixture);
        return runner.Run(reference.Sequences.Select(s => (ReadOnlyMemory<int>)s).ToList()).SelectMany(r => r.Loss).ToArray();
    }
}
