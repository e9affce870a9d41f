using QuantaProbe.Core;
using QuantaProbe.Export;
using QuantaProbe.Models.Gradients;
using QuantaProbe.Models.Runtime;
using QuantaProbe.Models.SparseParity;
using QuantaProbe.Toy.SparseParity;

namespace QuantaProbe.Tests.Toy;

/// <summary>The exported sparse-parity graphs against an independent double-precision forward and backward.</summary>
[Trait("tier", "fast")]
public class MlpExportTests
{
    private const int Tasks = 5, Bits = 7, Width = 6;

    private static (SparseParityTask Task, MlpWeights Weights, string Checkpoint) Checkpoint(TempFolder temp, float scale = 3f)
    {
        var task = new SparseParityTask(Tasks, Bits, 3, 0.4, 1);
        var w = MlpWeights.Initialize(task.InputWidth, Width, new Random(4));
        foreach (var p in w.Parameters)
            for (int i = 0; i < p.Length; i++)
                p[i] *= scale;
        string folder = temp.Sub("ckpt");
        MlpCheckpointWriter.Write(folder, w, task, step: 12);
        return (task, w, folder);
    }

    private static (int[] Subtasks, byte[] Bits, byte[] Labels, ReadOnlyMemory<int>[] Tokens) Examples(SparseParityTask task, int n)
    {
        var subtasks = new int[n];
        var bits = new byte[n * Bits];
        var labels = new byte[n];
        task.Sample(new Random(2), subtasks, bits, labels);
        var vocabulary = new SparseParityVocabulary(Tasks, Bits);
        var tokens = new ReadOnlyMemory<int>[n];
        for (int i = 0; i < n; i++)
        {
            var t = new int[vocabulary.SequenceLength];
            vocabulary.Encode(subtasks[i], bits.AsSpan(i * Bits, Bits), labels[i], t);
            tokens[i] = t;
        }
        return (subtasks, bits, labels, tokens);
    }

    /// <summary>Loss and gradient in the checkpoint's layout (fc1.weight [w,in], fc1.bias, fc2.weight [2,w], fc2.bias), in double.</summary>
    private static (double Loss, double[] Gradient) Reference(MlpWeights w, int subtask, ReadOnlySpan<byte> bits, int label)
    {
        int d = w.Inputs;
        var x = new double[d];
        x[subtask] = 1;
        for (int j = 0; j < Bits; j++)
            x[Tasks + j] = bits[j];
        var pre = new double[Width];
        var h = new double[Width];
        for (int o = 0; o < Width; o++)
        {
            pre[o] = w.B1[o];
            for (int i = 0; i < d; i++)
                pre[o] += x[i] * w.W1[i * Width + o];
            h[o] = Math.Max(0, pre[o]);
        }
        var z = new double[2];
        for (int c = 0; c < 2; c++)
        {
            z[c] = w.B2[c];
            for (int o = 0; o < Width; o++)
                z[c] += h[o] * w.W2[c * Width + o];
        }
        double lse = Math.Max(z[0], z[1]) + Math.Log(Math.Exp(z[0] - Math.Max(z[0], z[1])) + Math.Exp(z[1] - Math.Max(z[0], z[1])));
        var dz = new[] { Math.Exp(z[0] - lse) - (label == 0 ? 1 : 0), Math.Exp(z[1] - lse) - (label == 1 ? 1 : 0) };
        var dh = new double[Width];
        for (int o = 0; o < Width; o++)
            dh[o] = pre[o] > 0 ? dz[0] * w.W2[o] + dz[1] * w.W2[Width + o] : 0;
        var g = new List<double>();
        for (int o = 0; o < Width; o++)
            for (int i = 0; i < d; i++)
                g.Add(dh[o] * x[i]);
        g.AddRange(dh);
        for (int c = 0; c < 2; c++)
            for (int o = 0; o < Width; o++)
                g.Add(dz[c] * h[o]);
        g.AddRange(dz);
        return (lse - z[label], g.ToArray());
    }

    [Fact]
    public void Loss_onnx_scores_only_the_label_position_and_equals_the_reference()
    {
        using var temp = new TempFolder();
        var (task, w, checkpoint) = Checkpoint(temp);
        var model = ModelExporter.ExportCheckpoint(checkpoint, temp.Sub("model"), "mlp");
        Assert.Equal((Tasks + Bits + 1L) * Width + 2 * (Width + 1), model.Parameters);
        Assert.Equal(model.Parameters, model.NonEmbeddingParameters);
        Assert.Equal(12, model.Step);
        var (subtasks, bits, labels, tokens) = Examples(task, 64);
        using var runner = LossRunner.Open(model.ModelFolder);
        var losses = runner.Run(tokens);
        for (int i = 0; i < tokens.Length; i++)
        {
            Assert.Equal(Bits + 1, losses[i].FirstPosition);
            double expected = Reference(w, subtasks[i], bits.AsSpan(i * Bits, Bits), labels[i]).Loss;
            Assert.Equal(expected, losses[i].Loss.Single(), Math.Max(1e-5, expected * 1e-4));
        }
    }

    [Fact]
    public void Grad_onnx_exact_equals_the_reference_gradient_and_the_sketch_is_its_projection()
    {
        using var temp = new TempFolder();
        var (task, w, checkpoint) = Checkpoint(temp);
        var (subtasks, bits, labels, tokens) = Examples(task, 32);
        var targets = Enumerable.Repeat(Bits + 1, tokens.Length).ToArray();
        using var exact = GradientRunner.Open(ModelExporter.ExportGradients(checkpoint, temp.Sub("exact"), GradientOptions.Exact));
        var sketchOptions = GradientOptions.Sketch(3, 2, seed: 5);
        using var sketch = GradientRunner.Open(ModelExporter.ExportGradients(checkpoint, temp.Sub("sketch"), sketchOptions));
        var rows = exact.Run(tokens, targets);
        var sketches = sketch.Run(tokens, targets);
        Assert.Equal((Tasks + Bits + 1) * Width + 2 * (Width + 1), exact.Dimension);
        var pIn = LinearGradientSink.ProjectionOf(sketchOptions, "fc1", inputSide: true, Tasks + Bits);
        var pOut = LinearGradientSink.ProjectionOf(sketchOptions, "fc1", inputSide: false, Width);
        for (int i = 0; i < tokens.Length; i++)
        {
            var (loss, gradient) = Reference(w, subtasks[i], bits.AsSpan(i * Bits, Bits), labels[i]);
            Assert.Equal(loss, rows[i].Loss, Math.Max(1e-5, loss * 1e-4));
            double scale = gradient.Max(Math.Abs);
            for (int j = 0; j < gradient.Length; j++)
                Assert.True(Math.Abs(gradient[j] - rows[i].Sketch[j]) <= 1e-4 * scale + 1e-7, $"example {i}, entry {j}: {rows[i].Sketch[j]} vs {gradient[j]}");
            // fc1.weight's sketch is P_outᵀ dW P_in, dW = the first Width×inputs entries of the exact row.
            int d = Tasks + Bits;
            for (int a = 0; a < 2; a++)
                for (int b = 0; b < 3; b++)
                {
                    double expected = 0;
                    for (int o = 0; o < Width; o++)
                        for (int ii = 0; ii < d; ii++)
                            expected += pOut[o * 2 + a] * gradient[o * d + ii] * pIn[ii * 3 + b];
                    Assert.Equal(expected, sketches[i].Sketch[a * 3 + b], 1e-4 * scale + 1e-6);
                }
        }
        Assert.Throws<QuantaException>(() => exact.Run([tokens[0]], [3]));   // only the label position is scored
    }

    [Fact]
    public void Very_confident_predictions_keep_a_nonzero_loss_and_gradient()
    {
        using var temp = new TempFolder();
        var (task, _, checkpoint) = Checkpoint(temp, scale: 12f);
        var (_, _, _, tokens) = Examples(task, 256);
        using var runner = GradientRunner.Open(ModelExporter.ExportGradients(checkpoint, temp.Sub("exact"), GradientOptions.Exact));
        var rows = runner.Run(tokens, Enumerable.Repeat(Bits + 1, tokens.Length).ToArray());
        // Below ~6e-8 nats, lse − z_y and p_y − 1 are 0 in float32; the graphs must not be.
        Assert.Contains(rows, r => r.Loss > 0 && r.Loss < 1e-8);
        Assert.All(rows.Where(r => r.Loss > 0), r => Assert.Contains(r.Sketch, v => v != 0));
    }

    [Fact]
    public void Re_exporting_removes_gradient_variants_built_from_the_previous_weights()
    {
        using var temp = new TempFolder();
        var (_, _, checkpoint) = Checkpoint(temp);
        string model = temp.Sub("model");
        ModelExporter.ExportCheckpoint(checkpoint, model, "mlp");
        ModelExporter.ExportGradients(checkpoint, Path.Combine(model, "grad-exact"), GradientOptions.Exact);
        Assert.True(File.Exists(Path.Combine(model, "grad-exact", "grad.onnx")));
        ModelExporter.ExportCheckpoint(checkpoint, model, "mlp");
        Assert.False(Directory.Exists(Path.Combine(model, "grad-exact")));
        Assert.True(File.Exists(Path.Combine(model, ModelExporter.LossOnnxFileName)));
    }

    [Fact]
    public void A_checkpoint_that_does_not_match_its_config_is_refused_with_the_file_named()
    {
        using var temp = new TempFolder();
        var (_, _, checkpoint) = Checkpoint(temp);
        var config = Path.Combine(checkpoint, "config.json");
        File.WriteAllText(config, File.ReadAllText(config).Replace("\"hidden_size\": 6", "\"hidden_size\": 7"));
        var e = Assert.Throws<QuantaException>(() => ModelExporter.ExportCheckpoint(checkpoint, temp.Sub("model"), "mlp"));
        Assert.Contains("model.safetensors", e.Message);
    }
}
