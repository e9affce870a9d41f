using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using QuantaProbe.Onnx;
using QuantaProbe.Onnx.Proto;
using DataType = QuantaProbe.Onnx.Proto.TensorProto.Types.DataType;

namespace QuantaProbe.Tests.Inference;

/// <summary>
/// The loss head over vocabulary slices (online log-sum-exp) against a float64 cross-entropy and entropy computed
/// here, with logits spread so that later slices raise the running maximum, targets in every slice, and padding.
/// </summary>
[Trait("tier", "fast")]
public class SlicedLossHeadTests
{
    [Fact]
    public void Pythias_vocabulary_takes_thirteen_near_equal_slices_and_the_embedded_one_slice()
    {
        var slices = LossHead.Slices(50304);
        Assert.Equal(13, slices.Count);
        Assert.Equal(0, slices[0].Offset);
        Assert.Equal(50304, slices[^1].Offset + slices[^1].Width);
        for (int i = 1; i < slices.Count; i++)
            Assert.Equal(slices[i - 1].Offset + slices[i - 1].Width, slices[i].Offset);
        Assert.All(slices, s => Assert.InRange(s.Width, 3869, 3870));
        Assert.Single(LossHead.Slices(8192));
        Assert.Equal(3, LossHead.Slices(8193).Count);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(7)]
    public void Sliced_head_gives_the_cross_entropy_and_entropy_of_the_whole_vocabulary(int sliceCount)
    {
        const int batch = 2, length = 6, vocabulary = 23;
        var random = new Random(5);
        var logits = new float[batch * (length - 1) * vocabulary];
        for (int i = 0; i < logits.Length; i++)
            logits[i] = (float)(random.NextDouble() * 8 - 4) + (i % vocabulary) * 0.4f;  // later tokens larger: the maximum moves
        long[] ids = new long[batch * length];
        for (int i = 0; i < ids.Length; i++)
            ids[i] = (i * 7 + 3) % vocabulary;
        long[] mask = Enumerable.Repeat(1L, ids.Length).ToArray();
        mask[^1] = mask[^2] = 0;

        var g = new OnnxGraph(new GraphProto { Name = "sliced_head" });
        g.Input(LossHead.InputIds, DataType.Int64, "batch", "sequence");
        g.Input(LossHead.AttentionMask, DataType.Int64, "batch", "sequence");
        g.Input("logits", DataType.Float, "batch", "predictions", vocabulary.ToString());
        var slices = Enumerable.Range(0, sliceCount)
            .Select(i => ((long)vocabulary * i / sliceCount, (long)vocabulary * (i + 1) / sliceCount - (long)vocabulary * i / sliceCount)).ToList();
        LossHead.Append(g, "logits", slices, (input, offset, width) => g.Slice(input, axis: 2, start: offset, end: offset + width));
        using var session = new InferenceSession(OnnxModel.New(g.Proto).ToByteArray());
        using var idsValue = OrtValue.CreateTensorValueFromMemory(ids, [batch, length]);
        using var maskValue = OrtValue.CreateTensorValueFromMemory(mask, [batch, length]);
        using var logitsValue = OrtValue.CreateTensorValueFromMemory(logits, [batch, length - 1, vocabulary]);
        using var runOptions = new RunOptions();
        using var outputs = session.Run(runOptions, [LossHead.InputIds, LossHead.AttentionMask, "logits"], [idsValue, maskValue, logitsValue],
            [LossHead.TokenLoss, LossHead.TokenEntropy]);
        var loss = outputs[0].GetTensorDataAsSpan<float>().ToArray();
        var entropy = outputs[1].GetTensorDataAsSpan<float>().ToArray();

        for (int b = 0; b < batch; b++)
            for (int t = 0; t < length - 1; t++)
            {
                int row = b * (length - 1) + t;
                var z = logits.AsSpan(row * vocabulary, vocabulary).ToArray().Select(v => (double)v).ToArray();
                double max = z.Max(), lse = max + Math.Log(z.Sum(v => Math.Exp(v - max)));
                double expectedEntropy = lse - z.Sum(v => Math.Exp(v - lse) * v);
                bool valid = mask[b * length + t + 1] == 1;
                double expectedLoss = lse - z[ids[b * length + t + 1]];
                Assert.Equal(valid ? expectedLoss : 0, loss[row], 4);
                Assert.Equal(valid ? expectedEntropy : 0, entropy[row], 4);
            }
    }
}
