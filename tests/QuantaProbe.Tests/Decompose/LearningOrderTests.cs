using QuantaProbe.Core.Parquet;
using QuantaProbe.Decompose.Laws;
using QuantaProbe.Decompose.Stage;

namespace QuantaProbe.Tests.Decompose;

[Trait("tier", "fast")]
public class LearningOrderTests
{
    [Theory]
    [InlineData(new[] { 5.0, 4.9, 3.0, 1.0 }, 2)]   // threshold 3.0: reached at index 2
    [InlineData(new[] { 5.0, 2.0, 1.5, 1.0 }, 1)]
    [InlineData(new[] { 5.0, 4.95, 4.96 }, -1)]      // a drop under 0.1 nats is not learning
    [InlineData(new[] { 1.0, 2.0 }, -1)]             // rising
    public void An_item_is_learned_where_it_has_made_half_its_own_drop(double[] curve, int expected) =>
        Assert.Equal(expected, LearnedAt.Index(curve, 0.5, 0.1));

    /// <summary>
    /// 40 items with Zipf frequencies. Along the small size's 6 checkpoints item i (rank i+1) is learned at checkpoint
    /// ⌊i/8⌋+1 (frequent first); across sizes items 20–29 are learned by the middle size, 30–39 by the largest;
    /// item 15 is worse under the largest size than under the next. All of it is recovered.
    /// </summary>
    [Fact]
    public async Task A_known_learning_order_and_an_inverse_scaling_item_are_recovered()
    {
        using var tmp = new TempFolder();
        const int Items = 40;
        var steps = Enumerable.Range(1, 6).Select(s => new FamilyModel($"small-step{s * 100}", s * 100, 100, 10)).ToList();
        var sizes = new[] { steps[^1], new FamilyModel("mid", 600, 200, 20), new FamilyModel("large", 600, 400, 40) };
        var family = steps.Concat(sizes.Skip(1)).ToList();
        // Documents of one token type each, so that a token's frequency is its document's length: token i occurs ⌈2000/(i+1)⌉ times.
        var docs = Enumerable.Range(0, Items).Select(i => new DocumentTokens(i, Enumerable.Repeat(i, 1 + (int)Math.Ceiling(2000.0 / (i + 1))).ToArray())).ToList();
        var collector = LearningOrderSection.Collector(sizes, family);
        collector.BeginPart(0, docs);
        var random = new Random(3);
        foreach (var m in family)
        {
            var rows = docs.SelectMany(d => Enumerable.Range(1, d.TokenIds.Length - 1).Select(p => (d.DocId, Pos: p))).ToArray();
            float Loss(long doc)
            {
                int i = (int)doc, s = steps.IndexOf(m);
                double mean = m.Name switch
                {
                    "mid" => i < 30 ? 1.0 : 3.0,
                    "large" => i == 15 ? 2.0 : 1.0,
                    _ => s >= i / 8 + 1 ? (i < 20 ? 1.0 : 3.0) : 5.0,
                };
                return (float)(mean + 0.05 * (random.NextDouble() - 0.5));
            }
            collector.Add(m, new LossesPart(rows.Select(r => r.DocId).ToArray(), rows.Select(r => r.Pos).ToArray(), rows.Select(r => Loss(r.DocId)).ToArray()), "losses");
        }
        var record = await LearningOrderSection.RunAsync(tmp.Path, new LearningOrderOptions { MinCount = 20 }, collector, family, sizes, [steps], 200, 0);

        Assert.Equal(Items, record.ItemCount);
        var bySteps = record.Correlations[0];
        Assert.Equal("step", bySteps.Variable);
        Assert.True(bySteps.Spearman!.Value > 0.9, $"ρ over steps {bySteps.Spearman.Value}");
        Assert.True(bySteps.Spearman.Ci[0] > 0.8);
        var bySize = record.Correlations[1];
        Assert.Equal("non_embedding_parameters", bySize.Variable);
        Assert.Equal(20, bySize.ItemsLearned);
        Assert.True(bySize.Spearman!.Value > 0.8, $"ρ over sizes {bySize.Spearman.Value}");
        Assert.Contains("frequent items are learned first", record.Verdict);
        var inverse = Assert.Single(record.InverseScaling);
        Assert.Equal(15, inverse.TokenId);
        Assert.Equal(16, inverse.FrequencyRank);
        Assert.Equal(1.0, inverse.Increase.Value!.Value, 0.05);
        Assert.Equal(3, inverse.Contexts.Count);
        Assert.True(record.ZipfExponent!.Value > 0.8);
        Assert.InRange(record.ZipfExponent.Value!.Value, record.ZipfExponent.Ci[0]!.Value, record.ZipfExponent.Ci[1]!.Value);

        var learned = await ParquetTestReader.ColumnAsync<double>(Path.Combine(tmp.Path, "decompose", "learned_at"), "learned_at");
        var tokens = await ParquetTestReader.ColumnAsync<int>(Path.Combine(tmp.Path, "decompose", "learned_at"), "token_id");
        for (int i = 0; i < Items; i++)
            Assert.Equal((i / 8 + 2) * 100.0, learned[Array.IndexOf(tokens, i)]);
        var losses = await ParquetTestReader.ColumnAsync<double>(Path.Combine(tmp.Path, "decompose", "learning_order", "model=large"), "mean_loss");
        Assert.Equal(Items, losses.Length);
    }
}
