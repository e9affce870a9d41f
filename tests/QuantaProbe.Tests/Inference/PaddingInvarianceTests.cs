using QuantaProbe.Export;
using QuantaProbe.Models.Runtime;

namespace QuantaProbe.Tests.Inference;

[Trait("tier", "fast")]
public class PaddingInvarianceTests
{
    [Theory]
    [InlineData("neox-tiny-parallel-f32")]
    [InlineData("neox-tiny-sequential-f16")]
    public void A_sequences_losses_do_not_depend_on_its_batch(string fixture)
    {
        using var temp = new TempFolder();
        ModelExporter.ExportCheckpoint(FixtureReference.Folder(fixture), temp.Path, fixture);
        using var runner = LossRunner.Open(temp.Path);
        var reference = FixtureReference.Load(fixture);
        int[] shortSequence = reference.Sequences[1][..17];
        int[] longSequence = reference.Sequences[0].Concat(reference.Sequences[2]).Concat(reference.Sequences[3]).ToArray();

        var alone = runner.Run([shortSequence])[0];
        var batched = runner.Run([longSequence, shortSequence, reference.Sequences[3][..5]]);

        Assert.Equal(16, alone.Loss.Length);
        Assert.Equal(longSequence.Length - 1, batched[0].Loss.Length);
        Assert.Equal(4, batched[2].Loss.Length);
        for (int t = 0; t < alone.Loss.Length; t++)
        {
            Assert.Equal(alone.Loss[t], batched[1].Loss[t], 1e-5f);
            Assert.Equal(alone.Entropy[t], batched[1].Entropy[t], 1e-5f);
        }
        // The short sequence's prefix of a reference row must still match the reference.
        for (int t = 0; t < alone.Loss.Length; t++)
            Assert.Equal(reference.TokenLosses[1][t], alone.Loss[t], 2e-4f);
    }

    [Fact]
    public void Sequences_shorter_than_two_tokens_have_no_predictions()
    {
        using var temp = new TempFolder();
        ModelExporter.ExportCheckpoint(FixtureReference.Folder("neox-tiny-parallel-bf16"), temp.Path, "m");
        using var runner = LossRunner.Open(temp.Path);

        var results = runner.Run([Array.Empty<int>(), new[] { 5 }, new[] { 5, 6, 7 }]);

        Assert.Empty(results[0].Loss);
        Assert.Empty(results[1].Loss);
        Assert.Equal(2, results[2].Loss.Length);
        Assert.All(results[2].Loss, l => Assert.True(l > 0));
        Assert.All(results[2].Entropy, h => Assert.InRange(h, 0f, MathF.Log(512) + 1e-4f));
    }

    [Fact]
    public void Token_outside_the_vocabulary_is_a_user_error()
    {
        using var temp = new TempFolder();
        ModelExporter.ExportCheckpoint(FixtureReference.Folder("neox-tiny-parallel-bf16"), temp.Path, "m");
        using var runner = LossRunner.Open(temp.Path);
        var e = Assert.Throws<QuantaProbe.Core.QuantaException>(() => runner.Run([new[] { 1, 512 }]));
        Assert.Contains("512", e.Message);
    }
}
