using QuantaProbe.Core;
using QuantaProbe.Core.Parquet;
using QuantaProbe.Infer;
using QuantaProbe.Gradients.Selection;

namespace QuantaProbe.Tests.Inference;

[Trait("tier", "slow")]
public class TokenSelectionTests
{
    [Fact]
    public void Induction_marks_tokens_that_complete_an_earlier_trigram()
    {
        int[] tokens = [5, 6, 7, 9, 5, 6, 7, 5, 6, 8, 5, 6, 8];
        var marked = InductionFilter.Predictable(tokens);
        Assert.Equal([6, 12], Enumerable.Range(0, tokens.Length).Where(p => marked[p]));
    }

    [Fact]
    public void Sampling_is_seeded_without_replacement_and_in_document_order()
    {
        var candidates = Enumerable.Range(0, 1000).Select(i => new SelectedToken(i / 10, i % 10 + 1, 0f)).ToList();
        var a = TokenSelector.Sample(candidates, 100, seed: 1);
        Assert.Equal(a, TokenSelector.Sample(candidates, 100, seed: 1));
        Assert.NotEqual(a, TokenSelector.Sample(candidates, 100, seed: 2));
        Assert.Equal(100, a.Distinct().Count());
        Assert.Equal(a.OrderBy(t => t.DocId).ThenBy(t => t.Pos), a);
    }

    [Fact]
    public async Task Low_loss_selection_keeps_only_low_loss_non_induction_tokens()
    {
        using var tmp = new TempFolder();
        var run = await SmallRun.CreateAsync(tmp, documents: 120, contextLength: 128);
        await InferStage.RunAsync(new InferOptions { RunFolder = run, Models = [SmallRun.ModelNames[1]] });
        var tokens = Path.Combine(run, "tokens");
        var losses = Path.Combine(run, "losses", "model=" + SmallRun.ModelNames[1]);
        long parts = PartFiles.Complete(tokens).Count;

        var options = new SelectionOptions { MaxLoss = 0.693, Count = 50, Seed = 3 };
        var selected = await TokenSelector.SelectAsync(tokens, losses, parts, options);
        Assert.Equal(selected, await TokenSelector.SelectAsync(tokens, losses, parts, options));
        Assert.InRange(selected.Count, 1, 50);
        Assert.All(selected, t => Assert.True(t.SelectionLoss < 0.693f));

        var docs = new Dictionary<long, int[]>();
        foreach (var part in Directory.GetFiles(tokens, "part-*.parquet"))
            foreach (var d in await TokensPartReader.ReadAsync(part))
                docs[d.DocId] = d.TokenIds;
        Assert.All(selected, t => Assert.False(InductionFilter.Predictable(docs[t.DocId])[t.Pos]));

        // Without the filter, more tokens qualify (held-out text repeats itself).
        var all = await TokenSelector.SelectAsync(tokens, losses, parts, options with { Count = 100_000 });
        var unfiltered = await TokenSelector.SelectAsync(tokens, losses, parts, options with { Count = 100_000, ExcludeInduction = false });
        Assert.True(unfiltered.Count > all.Count, $"{unfiltered.Count} vs {all.Count}");

        var e = await Assert.ThrowsAsync<QuantaException>(() => TokenSelector.SelectAsync(tokens, losses, parts, options with { MaxLoss = 1e-9 }));
        Assert.Contains("raise --max-loss", e.Message);
    }
}
