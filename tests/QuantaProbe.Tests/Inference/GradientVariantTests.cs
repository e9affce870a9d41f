using Microsoft.ML.OnnxRuntime;
using QuantaProbe.Models.Gradients;
using QuantaProbe.Models.Architectures;
using QuantaProbe.Models.NeoX;
using QuantaProbe.Onnx;
using QuantaProbe.Onnx.Proto;
using QuantaProbe.Models.Runtime;
using Xunit.Abstractions;
using static QuantaProbe.Tests.Inference.GradientMath;
using DataType = QuantaProbe.Onnx.Proto.TensorProto.Types.DataType;

namespace QuantaProbe.Tests.Inference;

/// <summary>
/// Configurations the fixtures' reference gradients do not cover (tanh GELU, no attention biases,
/// tied head), checked against central finite differences of the exported graph's own loss.
/// </summary>
[Trait("tier", "slow")]
public class GradientVariantTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("neox-tiny-parallel-f32", "gelu_new", false, false)]
    [InlineData("neox-tiny-sequential-f16", "gelu_pytorch_tanh", true, true)]
    public void Exact_gradient_matches_finite_differences(string fixture, string activation, bool attentionBias, bool tied)
    {
        using var temp = new TempFolder();
        var tensors = TestCheckpoints.FixtureTensors(fixture);
        if (!attentionBias)
            foreach (var name in tensors.Keys.Where(n => n.EndsWith("attention.query_key_value.bias") || n.EndsWith("attention.dense.bias")).ToList())
                tensors.Remove(name);
        if (tied)
            tensors.Remove(NeoXWeightNames.EmbedOut);
        void Edit(System.Text.Json.Nodes.JsonObject c)
        {
            c["hidden_act"] = activation;
            c["attention_bias"] = attentionBias;
            c["tie_word_embeddings"] = tied;
        }

        var reference = FixtureReference.Load(fixture);
        List<ReadOnlyMemory<int>> sequences = [reference.Sequences[1]];
        int[] targets = [41];
        GradientResult[] Run(string name, Dictionary<string, (long[] Shape, float[] Data)> weights, out IReadOnlyList<GradientParameterSlice> layout)
        {
            string checkpoint = TestCheckpoints.Write(temp, fixture, name, weights, Edit);
            ModelGraphExport.ExportGradients(checkpoint, Path.Combine(temp.Path, "out-" + name), GradientOptions.Exact);
            using var runner = GradientRunner.Open(Path.Combine(temp.Path, "out-" + name));
            layout = runner.Layout;
            return runner.Run(sequences, targets);
        }

        var exact = Run("base", tensors, out var layout);
        Assert.DoesNotContain(layout, s => s.Name.Contains("attention") && s.Name.EndsWith(".bias") && !attentionBias);

        // Along each parameter's own gradient direction v = g/‖g‖, (L(θ+hv) − L(θ−hv))/2h ≈ ‖g‖.
        const float step = 2.5e-3f;
        double worst = 0;
        foreach (var slice in layout)
        {
            var (shape, data) = tensors[slice.Name];
            var direction = exact[0].Sketch.AsSpan((int)slice.Offset, (int)slice.Length).ToArray();
            double norm = Norm(direction);
            float[] Shifted(float sign) => data.Select((w, i) => w + sign * step * (float)(direction[i] / norm)).ToArray();
            var plus = Run("plus", new(tensors) { [slice.Name] = (shape, Shifted(1)) }, out _);
            var minus = Run("minus", new(tensors) { [slice.Name] = (shape, Shifted(-1)) }, out _);

            double difference = ((double)plus[0].Loss - minus[0].Loss) / (2 * step);
            double error = Math.Abs(difference - norm) / (norm + 1e-2);
            worst = Math.Max(worst, error);
            output.WriteLine($"{slice.Name}: ‖g‖ {norm:F5}, finite difference {difference:F5}, relative error {error:E2}");
        }
        output.WriteLine($"{fixture} {activation} bias={attentionBias} tied={tied}: worst {worst:E2}");
        Assert.True(worst < 5e-4, $"worst relative error {worst:E2}");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Gelu_derivative_matches_the_derivative_of_its_formula(bool tanhForm)
    {
        var kind = tanhForm ? GeluKind.Tanh : GeluKind.Exact;
        var graph = new OnnxGraph(new GraphProto { Name = "gelu_derivative" });
        graph.Input("x", DataType.Float, "n");
        graph.Node("Identity", [NeoXMlpBackward.GeluDerivative(graph, "x", kind)], "y");
        graph.Output("y", DataType.Float, "n");
        byte[] model = Google.Protobuf.MessageExtensions.ToByteArray(OnnxModel.New(graph.Proto));

        float[] x = Enumerable.Range(-50, 101).Select(i => i / 10f).ToArray();
        using var session = new InferenceSession(model);
        using var input = OrtValue.CreateTensorValueFromMemory(x, [x.Length]);
        using var outputs = session.Run(new RunOptions(), ["x"], [input], ["y"]);
        var y = outputs[0].GetTensorDataAsSpan<float>();

        static double Gelu(double v, GeluKind kind) => kind == GeluKind.Exact
            ? 0.5 * v * (1 + Erf(v / Math.Sqrt(2)))
            : 0.5 * v * (1 + Math.Tanh(Math.Sqrt(2 / Math.PI) * (v + 0.044715 * v * v * v)));
        for (int i = 0; i < x.Length; i++)
        {
            const double h = 1e-4;
            double expected = (Gelu(x[i] + h, kind) - Gelu(x[i] - h, kind)) / (2 * h);
            // Float32 tanh/erf near ±1 leave ~2e-6 absolute error in the tails.
            Assert.True(Math.Abs(y[i] - expected) < 1e-5, $"x={x[i]}: {y[i]} vs {expected}");
        }
    }

    /// <summary>erf by its Taylor series, accurate in double to ~1e-10 for |v| ≤ 3.6 (x ≤ 5).</summary>
    private static double Erf(double v)
    {
        double sum = 0, term = v;
        for (int n = 0; n < 200; n++)
        {
            sum += term / (2 * n + 1);
            term *= -v * v / (n + 1);
        }
        return 2 / Math.Sqrt(Math.PI) * sum;
    }
}
