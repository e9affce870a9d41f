using QuantaProbe.Core;
using QuantaProbe.Core.Contracts;
using QuantaProbe.Core.Parquet;
using QuantaProbe.Gradients;

namespace QuantaProbe.Tests.Contracts;

/// <summary>
/// <see cref="GradientsPartReader.ReadRowsAsync"/>: the sketches of some samples, in the order asked, equal to the rows of
/// the whole read, whichever parts hold them; a sample the parts lack is one clear error.
/// </summary>
[Trait("tier", "fast")]
public class GradientsRowSubsetTests
{
    private const int Dimension = 5;

    [Fact]
    public async Task A_subset_read_equals_those_rows_of_the_whole_read_in_the_order_asked()
    {
        using var tmp = new TempFolder();
        // Three parts; the third holds the lowest sample ids, so part order is not sample order.
        await WritePartAsync(tmp.Path, 0, Enumerable.Range(10, 6));
        await WritePartAsync(tmp.Path, 1, Enumerable.Range(16, 4));
        await WritePartAsync(tmp.Path, 2, Enumerable.Range(0, 10));
        var whole = await GradientsPartReader.ReadAsync(tmp.Path);
        int[] asked = [17, 3, 0, 12, 19, 9];

        var subset = await GradientsPartReader.ReadRowsAsync(tmp.Path, asked);

        Assert.Equal(20, subset.TotalRows);
        Assert.Equal(Dimension, subset.Dimension);
        Assert.Equal(asked.Length, subset.Count);
        for (int i = 0; i < asked.Length; i++)
        {
            int row = Array.IndexOf(whole.SampleIds, asked[i]);
            Assert.Equal(whole.Sketch(row).ToArray(), subset.Sketches.AsSpan(i * Dimension, Dimension).ToArray());
            Assert.Equal(Value(asked[i], 0), subset.Sketches[i * Dimension]);
        }
    }

    [Fact]
    public async Task A_sample_the_parts_lack_is_one_error_naming_the_folder_and_the_fix()
    {
        using var tmp = new TempFolder();
        await WritePartAsync(tmp.Path, 0, Enumerable.Range(0, 4));
        var e = await Assert.ThrowsAsync<QuantaException>(() => GradientsPartReader.ReadRowsAsync(tmp.Path, [1, 7, 8]));
        Assert.Equal($"{tmp.Path}: 2 of the 3 samples asked for are not in its parts; the gradients changed since `quanta decompose` ran: re-run it", e.Message);
    }

    private static float Value(int sample, int j) => sample * 10 + j + 0.5f;

    private static Task WritePartAsync(string folder, long part, IEnumerable<int> samples) =>
        GradientsPartWriter.WriteAsync(folder, part,
            samples.Select(s => new GradientRow(s, s / 3, s % 3, 0.1f * s, Enumerable.Range(0, Dimension).Select(j => Value(s, j)).ToArray())).ToList(),
            new Dictionary<string, string> { [MetadataKeys.Stage] = "gradients" });
}
