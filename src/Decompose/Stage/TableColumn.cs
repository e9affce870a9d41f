using Parquet;
using Parquet.Schema;
using QuantaProbe.Core;
using QuantaProbe.Core.Contracts;
using QuantaProbe.Core.Parquet;

namespace QuantaProbe.Decompose.Stage;

/// <summary>One column of a small table decompose writes whole (<see cref="WriteAsync"/>).</summary>
internal abstract class TableColumn
{
    public abstract DataField Field { get; }
    public abstract int Rows { get; }
    public abstract Task WriteAsync(ParquetRowGroupWriter group);

    public static TableColumn Of<T>(string name, T[] values) where T : struct => new Values<T>(new DataField<T>(name), values);

    public static TableColumn Text(string name, string[] values) => new Strings(new DataField<string>(name, false), values);

    /// <summary>Writes the columns as FOLDER/part-00000.parquet (atomically, replacing the previous one).</summary>
    public static async Task WriteAsync(string folder, IReadOnlyList<TableColumn> columns, IReadOnlyDictionary<string, string>? metadata = null)
    {
        if (columns.Select(c => c.Rows).Distinct().Count() > 1)
            throw new ArgumentException("columns of different lengths");
        PartFiles.DeleteStaleTemps(folder, ShardSpec.All);
        await using var writer = await ParquetPartWriter.CreateAsync(folder, 0, new ParquetSchema(columns.Select(c => (Field)c.Field).ToArray()),
            metadata ?? new Dictionary<string, string> { [MetadataKeys.Stage] = "decompose" });
        await writer.WriteRowGroupAsync(async g =>
        {
            foreach (var c in columns)
                await c.WriteAsync(g);
        });
        await writer.CompleteAsync();
    }

    private sealed class Values<T>(DataField<T> dataField, T[] values) : TableColumn where T : struct
    {
        public override DataField Field => dataField;
        public override int Rows => values.Length;
        public override Task WriteAsync(ParquetRowGroupWriter group) => group.WriteAsync(dataField, (ReadOnlyMemory<T>)values);
    }

    private sealed class Strings(DataField<string> dataField, string[] values) : TableColumn
    {
        public override DataField Field => dataField;
        public override int Rows => values.Length;
        public override Task WriteAsync(ParquetRowGroupWriter group) => group.WriteAsync(dataField, values);
    }
}
