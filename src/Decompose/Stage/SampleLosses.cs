using QuantaProbe.Core;
using QuantaProbe.Core.Contracts;
using QuantaProbe.Core.Parquet;
using G = QuantaProbe.Core.Parquet.RunSchemas.Gradients;

namespace QuantaProbe.Decompose.Stage;

/// <summary>
/// Every family model's loss at each gradient sample of one QDG model (selection.parquet order = sample_id), filled
/// by decompose's one pass over the losses: the cluster items of the learning order are means over these.
/// </summary>
internal sealed class SampleLosses : ILossesConsumer
{
    private readonly SampleIndex _samples;
    private readonly Dictionary<string, float[]> _loss = new(StringComparer.Ordinal);
    private readonly string _selection;

    private SampleLosses(string selection, long[] docIds, int[] positions, IEnumerable<FamilyModel> family)
    {
        _selection = selection;
        _samples = new SampleIndex(docIds, positions);
        foreach (var m in family)
        {
            var loss = new float[docIds.Length];
            Array.Fill(loss, float.NaN);
            _loss[m.Name] = loss;
        }
    }

    public long[] DocIds => _samples.DocIds;
    public int[] Positions => _samples.Positions;

    /// <summary>One collector per gradients/model=&lt;m&gt; folder with a selection.parquet, by model name.</summary>
    public static async Task<Dictionary<string, SampleLosses>> ForGradientFoldersAsync(string runFolder, IReadOnlyList<FamilyModel> family)
    {
        var result = new Dictionary<string, SampleLosses>(StringComparer.Ordinal);
        var root = ModelPartitions.DatasetFolder(runFolder, ModelDataset.Gradients);
        if (!Directory.Exists(root))
            return result;
        foreach (var folder in Directory.GetDirectories(root).Order(StringComparer.Ordinal))
        {
            var selection = Path.Combine(folder, G.SelectionFile);
            if (ModelPartitions.ModelOf(folder) is not { } model || !File.Exists(selection))
                continue;
            await using var columns = await ParquetColumns.OpenAsync(selection, "quanta gradients");
            result[model] = new SampleLosses(selection, await columns.ReadAsync<long>(G.DocId.Name), await columns.ReadAsync<int>(G.Pos.Name), family);
        }
        return result;
    }

    public void BeginPart(long part, IReadOnlyList<DocumentTokens> tokens) { }

    public void Add(FamilyModel model, LossesPart part, string path) => _samples.Scatter(part, _loss[model.Name]);

    /// <summary>Each sample's loss under <paramref name="model"/>; fails in one line where the losses lack a sample.</summary>
    public float[] Of(string model, string lossesFolder)
    {
        var loss = _loss[model];
        int missing = Array.FindIndex(loss, float.IsNaN);
        return missing < 0 ? loss
            : throw new QuantaException($"{lossesFolder}: has no loss for the gradient sample doc_id {DocIds[missing]} pos {Positions[missing]} of {_selection}; the losses belong to another ingest, re-run `quanta infer`");
    }
}
