namespace QuantaProbe.Core.Contracts;

/// <summary>
/// Where a model's part of a per-model dataset lives: DATASET/model=&lt;name&gt;/part-k.parquet, the Hive
/// layout that DuckDB (hive_partitioning), Spark, polars and pyarrow read as one table with a model column.
/// </summary>
public static class ModelPartitions
{
    public const string Key = "model";
    private const string Prefix = Key + "=";

    public static string DatasetFolder(string runFolder, ModelDataset dataset) => dataset switch
    {
        ModelDataset.Losses => Path.Combine(runFolder, RunPaths.Losses),
        ModelDataset.Gradients => Path.Combine(runFolder, RunPaths.Gradients),
        ModelDataset.ContextProbe => Path.Combine(runFolder, RunPaths.Context),
        ModelDataset.Clusters => Path.Combine(runFolder, RunPaths.Decompose, RunPaths.Clusters),
        ModelDataset.RankFrequency => Path.Combine(runFolder, RunPaths.Decompose, RunPaths.RankFrequency),
        ModelDataset.LearningOrder => Path.Combine(runFolder, RunPaths.Decompose, RunPaths.LearningOrder),
        ModelDataset.ClusterOrder => Path.Combine(runFolder, RunPaths.Decompose, RunPaths.ClusterOrder),
        _ => throw new ArgumentOutOfRangeException(nameof(dataset)),
    };

    public static string Folder(string runFolder, ModelDataset dataset, string model) =>
        Path.Combine(DatasetFolder(runFolder, dataset), Prefix + model);

    /// <summary>The model a partition folder holds, or null for a folder of another layout.</summary>
    public static string? ModelOf(string folder)
    {
        string name = Path.GetFileName(Path.TrimEndingDirectorySeparator(folder));
        return name.StartsWith(Prefix, StringComparison.Ordinal) && name.Length > Prefix.Length ? name[Prefix.Length..] : null;
    }

    /// <summary>The per-model folders of the layout before partition folders (DATASET/&lt;name&gt;/), which this version does not read.</summary>
    public static IEnumerable<(string Folder, string Model)> OldLayoutFolders(string runFolder) =>
        Enum.GetValues<ModelDataset>().Select(d => DatasetFolder(runFolder, d)).Where(Directory.Exists)
            .SelectMany(Directory.EnumerateDirectories)
            .Where(f => ModelOf(f) is null && !Path.GetFileName(f).StartsWith('.'))
            .Select(f => (f, Path.GetFileName(f)));

    /// <summary>Refuses a run folder written before the partition layout, naming the command that migrates it.</summary>
    public static void RefuseOldLayout(string runFolder)
    {
        var old = OldLayoutFolders(runFolder).FirstOrDefault();
        if (old.Folder is not null)
            throw new QuantaException($"{old.Folder}: a per-model folder of the old layout (now {Path.Combine(Path.GetDirectoryName(old.Folder)!, Prefix + old.Model)}); run `quanta migrate --run {runFolder}` to rename them, or start a new run folder");
    }

    /// <summary>Renames every old-layout model folder to its partition folder; returns how many it moved.</summary>
    public static int Migrate(string runFolder)
    {
        int moved = 0;
        foreach (var (folder, model) in OldLayoutFolders(runFolder).ToList())
        {
            string target = Path.Combine(Path.GetDirectoryName(folder)!, Prefix + model);
            if (Directory.Exists(target))
                throw new QuantaException($"{folder}: both it and {target} exist; keep one of them (delete the other) and migrate again");
            Directory.Move(folder, target);
            moved++;
        }
        return moved;
    }
}
