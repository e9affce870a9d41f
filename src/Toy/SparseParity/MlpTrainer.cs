using System.Numerics.Tensors;

namespace QuantaProbe.Toy.SparseParity;

/// <summary>
/// Trains an <see cref="MlpWeights"/> on fresh sparse-parity batches (mean cross-entropy, Adam).
/// Inputs are sparse (one control bit, about half the task bits), so the first layer's forward is a
/// sum of W1 rows and its backward a scatter-add into them. The batch is split across threads,
/// each with its own gradient buffers, summed before the optimiser step.
/// </summary>
public sealed class MlpTrainer
{
    private readonly SparseParityTask _task;
    private readonly MlpWeights _w;
    private readonly AdamOptimizer _adam;
    private readonly int _batch;
    private readonly int _chunks;
    private readonly float[][][] _chunkGradients;
    private readonly float[][] _gradients;
    private readonly int[] _subtasks;
    private readonly byte[] _bits;
    private readonly byte[] _labels;
    private readonly double[] _chunkLoss;

    public MlpTrainer(SparseParityTask task, MlpWeights weights, int batchSize, double learningRate, int threads)
    {
        _task = task;
        _w = weights;
        _batch = batchSize;
        _chunks = Math.Max(1, Math.Min(threads, batchSize / 64));
        _adam = new AdamOptimizer(weights.Parameters, learningRate);
        _chunkGradients = Enumerable.Range(0, _chunks).Select(_ => weights.Parameters.Select(p => new float[p.Length]).ToArray()).ToArray();
        _gradients = weights.Parameters.Select(p => new float[p.Length]).ToArray();
        _subtasks = new int[batchSize];
        _bits = new byte[batchSize * task.Bits];
        _labels = new byte[batchSize];
        _chunkLoss = new double[_chunks];
    }

    /// <summary>One step on a fresh batch drawn from <paramref name="random"/>; returns the batch's mean loss (nats).</summary>
    public double Step(Random random)
    {
        _task.Sample(random, _subtasks, _bits, _labels);
        Parallel.For(0, _chunks, new ParallelOptions { MaxDegreeOfParallelism = _chunks }, Chunk);
        for (int p = 0; p < _gradients.Length; p++)
        {
            var sum = _gradients[p];
            Array.Copy(_chunkGradients[0][p], sum, sum.Length);
            for (int c = 1; c < _chunks; c++)
                TensorPrimitives.Add(sum, _chunkGradients[c][p], sum);
            TensorPrimitives.Multiply(sum, 1f / _batch, sum);
        }
        _adam.Step(_gradients);
        return _chunkLoss.Sum() / _batch;
    }

    private void Chunk(int chunk)
    {
        int from = (int)((long)_batch * chunk / _chunks), to = (int)((long)_batch * (chunk + 1) / _chunks);
        var grads = _chunkGradients[chunk];
        foreach (var g in grads)
            Array.Clear(g);
        var (dW1, dB1, dW2, dB2) = (grads[0], grads[1], grads[2], grads[3]);
        int width = _w.Width, bits = _task.Bits, tasks = _task.Tasks;
        var pre = new float[width];
        var hidden = new float[width];
        var dHidden = new float[width];
        Span<float> logits = stackalloc float[2];
        double loss = 0;
        for (int b = from; b < to; b++)
        {
            var row = _bits.AsSpan(b * bits, bits);
            int control = _subtasks[b];
            _w.Forward(control, row, pre, hidden, logits);
            // Cross-entropy on 2 logits: d loss/d z = softmax − onehot(label).
            float max = MathF.Max(logits[0], logits[1]);
            float e0 = MathF.Exp(logits[0] - max), e1 = MathF.Exp(logits[1] - max);
            float logSum = max + MathF.Log(e0 + e1);
            int label = _labels[b];
            loss += logSum - logits[label];
            float d0 = e0 / (e0 + e1) - (label == 0 ? 1 : 0);
            float d1 = e1 / (e0 + e1) - (label == 1 ? 1 : 0);
            dB2[0] += d0;
            dB2[1] += d1;
            TensorPrimitives.MultiplyAdd(hidden, d0, dW2.AsSpan(0, width), dW2.AsSpan(0, width));
            TensorPrimitives.MultiplyAdd(hidden, d1, dW2.AsSpan(width, width), dW2.AsSpan(width, width));
            TensorPrimitives.Multiply(_w.W2.AsSpan(0, width), d0, dHidden);
            TensorPrimitives.MultiplyAdd(_w.W2.AsSpan(width, width), d1, dHidden, dHidden);
            for (int j = 0; j < width; j++)
                if (!(pre[j] > 0))
                    dHidden[j] = 0;
            TensorPrimitives.Add(dB1, dHidden, dB1);
            AddRow(dW1, control, width, dHidden);
            for (int j = 0; j < bits; j++)
                if (row[j] != 0)
                    AddRow(dW1, tasks + j, width, dHidden);
        }
        _chunkLoss[chunk] = loss;
    }

    private static void AddRow(float[] matrix, int row, int width, ReadOnlySpan<float> values)
    {
        var target = matrix.AsSpan(row * width, width);
        TensorPrimitives.Add(target, values, target);
    }
}
