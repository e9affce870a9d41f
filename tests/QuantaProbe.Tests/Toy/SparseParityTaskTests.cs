using QuantaProbe.Core;
using QuantaProbe.Toy.SparseParity;

namespace QuantaProbe.Tests.Toy;

[Trait("tier", "fast")]
public class SparseParityTaskTests
{
    [Fact]
    public void Labels_are_the_parity_of_the_subtask_bits_and_subtasks_follow_the_zipf_law()
    {
        var task = new SparseParityTask(tasks: 10, bits: 12, k: 3, alpha: 0.4, seed: 5);
        const int n = 100_000;
        var subtasks = new int[n];
        var bits = new byte[n * 12];
        var labels = new byte[n];
        task.Sample(new Random(1), subtasks, bits, labels);
        for (int i = 0; i < n; i++)
            Assert.Equal(task.Subsets[subtasks[i]].Aggregate(0, (p, j) => p ^ bits[i * 12 + j]), labels[i]);
        var counts = new int[10];
        foreach (int s in subtasks)
            counts[s]++;
        double norm = Enumerable.Range(1, 10).Sum(r => Math.Pow(r, -1.4));
        for (int s = 0; s < 10; s++)
            Assert.InRange(counts[s] / (double)n, Math.Pow(s + 1, -1.4) / norm - 0.006, Math.Pow(s + 1, -1.4) / norm + 0.006);
        Assert.InRange(bits.Average(b => (double)b), 0.49, 0.51);
        Assert.All(task.Subsets, s => Assert.Equal(3, s.Distinct().Count()));
    }

    [Fact]
    public void The_seed_fixes_the_subsets()
    {
        var a = new SparseParityTask(20, 30, 3, 0.4, 7);
        var b = new SparseParityTask(20, 30, 3, 0.4, 7);
        var c = new SparseParityTask(20, 30, 3, 0.4, 8);
        Assert.Equal(a.Subsets.SelectMany(s => s), b.Subsets.SelectMany(s => s));
        Assert.NotEqual(a.Subsets.SelectMany(s => s), c.Subsets.SelectMany(s => s));
    }

    [Theory]
    [InlineData(32, 20, 3)]     // the 2-core default: random draws share two bits in about one pair of 22
    [InlineData(500, 100, 3)]   // the paper's settings
    [InlineData(40, 12, 2)]
    public void Two_subtasks_share_at_most_one_bit(int tasks, int bits, int k)
    {
        var task = new SparseParityTask(tasks, bits, k, 0.4, 3);
        for (int i = 0; i < tasks; i++)
            for (int j = 0; j < i; j++)
                Assert.True(task.Subsets[i].Intersect(task.Subsets[j]).Count() <= 1, $"subtasks {j} and {i} share more than one bit");
        Assert.Equal(1, task.LargestSharedBits);
        Assert.All(task.Subsets, s => Assert.Equal(k, s.Distinct().Count()));
    }

    [Fact]
    public void Too_many_subtasks_for_the_bits_share_as_few_as_they_can_and_say_so()
    {
        // Six bits hold at most four triples that pairwise share one bit.
        var task = new SparseParityTask(12, 6, 3, 0.4, 0);
        Assert.Equal(2, task.LargestSharedBits);
        Assert.All(task.Subsets, s => Assert.Equal(3, s.Distinct().Count()));
        Assert.All(task.Subsets.Take(2).Skip(1), s => Assert.True(s.Intersect(task.Subsets[0]).Count() <= 1));
    }

    [Fact]
    public void The_signature_changes_with_the_subsets()
    {
        var a = new SparseParityTask(20, 30, 3, 0.4, 7);
        Assert.Equal(a.Signature, new SparseParityTask(20, 30, 3, 0.4, 7).Signature);
        Assert.NotEqual(a.Signature, new SparseParityTask(20, 30, 3, 0.4, 8).Signature);
        Assert.Contains("subsets=", a.Signature);
    }

    [Theory]
    [InlineData(0, 10, 3, 0.4)]
    [InlineData(5, 10, 11, 0.4)]
    [InlineData(5, 10, 3, 0)]
    public void Bad_settings_are_refused(int tasks, int bits, int k, double alpha) =>
        Assert.Throws<QuantaException>(() => new SparseParityTask(tasks, bits, k, alpha, 0));

    [Fact]
    public void Training_learns_the_most_frequent_subtask()
    {
        var task = new SparseParityTask(4, 8, 2, 0.4, 0);
        var weights = MlpWeights.Initialize(task.InputWidth, 32, new Random(0));
        var trainer = new MlpTrainer(task, weights, 256, 0.01, 2);
        var random = new Random(3);
        double first = trainer.Step(random), last = 0;
        for (int s = 0; s < 1500; s++)
            last = trainer.Step(random);
        Assert.InRange(first, 0.6, 0.8);        // chance: ln 2
        var subtasks = Enumerable.Repeat(0, 200).ToArray();
        var bits = new byte[200 * 8];
        var labels = new byte[200];
        var r = new Random(9);
        for (int i = 0; i < 200; i++)
        {
            for (int j = 0; j < 8; j++)
                bits[i * 8 + j] = (byte)r.Next(2);
            labels[i] = task.Label(0, bits.AsSpan(i * 8, 8));
        }
        Assert.True(MlpEvaluator.Losses(task, weights, subtasks, bits, labels).Average() < 0.05, $"final batch loss {last:F3}");
    }
}
