using QuantaProbe.Core.Parquet;

namespace QuantaProbe.Tests.Contracts;

/// <summary>The reader puts sketches read in part order into sample_id order in place, row by row.</summary>
[Trait("tier", "fast")]
public class GradientsPartReaderTests
{
    [Fact]
    public void Rows_are_permuted_in_place_into_the_given_order()
    {
        const int rows = 7, dimension = 3;
        var values = new float[rows * dimension];
        for (int i = 0; i < values.Length; i++)
            values[i] = i;
        // Row r takes the row at order[r]: one 3-cycle, one 2-cycle, two fixed rows.
        int[] order = [2, 0, 1, 4, 3, 5, 6];
        GradientsPartReader.PermuteRows(values, order, dimension);
        for (int r = 0; r < rows; r++)
            for (int j = 0; j < dimension; j++)
                Assert.Equal(order[r] * dimension + j, values[r * dimension + j]);
    }
}
