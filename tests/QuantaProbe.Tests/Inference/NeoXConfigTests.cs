using System.Text.Json;
using QuantaProbe.Core;
using QuantaProbe.Models.NeoX;

namespace QuantaProbe.Tests.Inference;

[Trait("tier", "fast")]
public class NeoXConfigTests
{
    private const string Base = """
        "model_type":"gpt_neox","hidden_size":64,"num_attention_heads":4,"num_hidden_layers":2,
        "intermediate_size":256,"vocab_size":512
        """;

    private static NeoXConfig Parse(string extra) =>
        NeoXConfig.Parse(JsonDocument.Parse("{" + Base + extra + "}").RootElement, "/ckpt/config.json");

    [Fact]
    public void Defaults_follow_huggingface()
    {
        var c = Parse("");
        Assert.Equal(16, c.HeadDim);
        Assert.Equal(4, c.RotaryDims);
        Assert.Equal(10000, c.RotaryBase);
        Assert.True(c.UseParallelResidual);
        Assert.True(c.AttentionBias);
        Assert.False(c.TieWordEmbeddings);
        Assert.Equal(GeluKind.Exact, c.Activation);
        Assert.Null(c.TrainingStep);
    }

    [Fact]
    public void Newer_field_names_are_honoured()
    {
        var c = Parse(""","partial_rotary_factor":0.5,"rope_theta":500,"hidden_act":"gelu_new","attention_bias":false""");
        Assert.Equal(8, c.RotaryDims);
        Assert.Equal(500, c.RotaryBase);
        Assert.Equal(GeluKind.Tanh, c.Activation);
        Assert.False(c.AttentionBias);
    }

    [Theory]
    [InlineData(""","model_type":"llama" """, "model_type")]
    [InlineData(""","hidden_size":0""", "hidden_size")]
    [InlineData(""","hidden_size":63""", "multiple")]
    [InlineData(""","vocab_size":"big" """, "vocab_size")]
    [InlineData(""","rotary_pct":1.5""", "rotary_pct")]
    [InlineData(""","rotary_pct":0.1""", "rotary dimensions")]
    [InlineData(""","layer_norm_eps":-1""", "layer_norm_eps")]
    [InlineData(""","hidden_act":"relu" """, "hidden_act")]
    [InlineData(""","rope_scaling":{"type":"linear","factor":2}""", "rope_scaling")]
    [InlineData(""","num_hidden_layers":100000""", "num_hidden_layers")]
    public void Absurd_or_unsupported_fields_are_user_errors(string extra, string mentioned)
    {
        var e = Assert.Throws<QuantaException>(() => Parse(extra));
        Assert.Contains("/ckpt/config.json", e.Message);
        Assert.Contains(mentioned, e.Message);
    }

    [Fact]
    public void Missing_field_is_named()
    {
        var json = JsonDocument.Parse("""{"model_type":"gpt_neox","hidden_size":64}""").RootElement;
        var e = Assert.Throws<QuantaException>(() => NeoXConfig.Parse(json, "c.json"));
        Assert.Contains("num_attention_heads", e.Message);
    }
}
