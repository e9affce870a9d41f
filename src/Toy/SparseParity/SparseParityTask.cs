using QuantaProbe.Core;

namespace QuantaProbe.Toy.SparseParity;

/// <summary>
/// Multitask sparse parity (Michaud et al. 2023): an input is <see cref="Tasks"/> one-hot control
/// bits and <see cref="Bits"/> uniform task bits; the label is the parity of the <see cref="K"/>
/// task bits that the active control bit's subtask owns. Subtask i (0-based) is drawn with
/// probability ∝ (i+1)^-(α+1), so subtask 0 is the most frequent. Subsets come from the seed
/// and share at most one bit where the bits allow (<see cref="SubsetDraw"/>).
/// </summary>
public sealed class SparseParityTask
{
    public int Tasks { get; }
    public int Bits { get; }
    public int K { get; }
    /// <summary>The Quantization Model's α: frequencies ∝ rank^-(α+1) (the authors' code calls α+1 "alpha").</summary>
    public double Alpha { get; }
    public long Seed { get; }
    /// <summary>Subtask i's K bit indices, ascending.</summary>
    public IReadOnlyList<int[]> Subsets { get; }
    /// <summary>The most bits two subtasks share: 1 (or fewer) unless there are too many subtasks for the bits.</summary>
    public int LargestSharedBits { get; }
    /// <summary>Subtask i's probability.</summary>
    public IReadOnlyList<double> Probabilities { get; }

    private readonly double[] _cumulative;

    public SparseParityTask(int tasks, int bits, int k, double alpha, long seed)
    {
        if (tasks < 1) throw new QuantaException($"--tasks {tasks}: must be at least 1");
        if (bits < 1) throw new QuantaException($"--n {bits}: must be at least 1");
        if (k < 1 || k > bits) throw new QuantaException($"--k {k}: must be between 1 and --n ({bits})");
        if (!(alpha > 0) || double.IsInfinity(alpha)) throw new QuantaException($"--alpha {alpha}: must be a positive number (the paper's main setting is 0.4)");
        Tasks = tasks;
        Bits = bits;
        K = k;
        Alpha = alpha;
        Seed = seed;

        var random = new Random(unchecked((int)(seed * 1_000_003 + 17)));
        var subsets = SubsetDraw.Draw(tasks, bits, k, random);
        Subsets = subsets;
        LargestSharedBits = SubsetDraw.LargestOverlap(subsets);

        var weights = Enumerable.Range(1, tasks).Select(r => Math.Pow(r, -(alpha + 1))).ToArray();
        double total = weights.Sum();
        Probabilities = weights.Select(w => w / total).ToArray();
        _cumulative = new double[tasks];
        double running = 0;
        for (int i = 0; i < tasks; i++)
            _cumulative[i] = running += Probabilities[i];
        _cumulative[^1] = 1.0;
    }

    /// <summary>
    /// The settings and a fingerprint of the drawn subsets, so that data and checkpoints written for
    /// other subsets (another seed, or an older way of drawing them) are never taken as this task's.
    /// </summary>
    public string Signature
    {
        get
        {
            ulong hash = 14695981039346656037UL; // FNV-1a over the subsets' bits
            foreach (var subset in Subsets)
                foreach (int b in subset.Append(-1))
                    hash = (hash ^ (uint)b) * 1099511628211UL;
            return $"tasks={Tasks} n={Bits} k={K} alpha={Alpha.ToString(System.Globalization.CultureInfo.InvariantCulture)} task_seed={Seed} subsets={hash:x16}";
        }
    }

    /// <summary>Input width of the MLP: control bits then task bits.</summary>
    public int InputWidth => Tasks + Bits;

    /// <summary>Fills a batch: each example's subtask, its task bits (0/1) and its label.</summary>
    public void Sample(Random random, Span<int> subtasks, Span<byte> bits, Span<byte> labels)
    {
        for (int b = 0; b < subtasks.Length; b++)
        {
            int task = DrawSubtask(random.NextDouble());
            var row = bits.Slice(b * Bits, Bits);
            for (int j = 0; j < row.Length; j += 32)
            {
                uint word = (uint)random.Next() ^ ((uint)random.Next() << 16);
                for (int t = 0; t < 32 && j + t < row.Length; t++)
                    row[j + t] = (byte)((word >> t) & 1);
            }
            subtasks[b] = task;
            labels[b] = Label(task, row);
        }
    }

    public byte Label(int subtask, ReadOnlySpan<byte> bits)
    {
        int parity = 0;
        foreach (int j in Subsets[subtask])
            parity ^= bits[j];
        return (byte)parity;
    }

    private int DrawSubtask(double u)
    {
        int index = Array.BinarySearch(_cumulative, u);
        return Math.Min(index >= 0 ? index + 1 : ~index, Tasks - 1);
    }
}
