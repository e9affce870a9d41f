using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;

namespace QuantaProbe.Core.Contracts;

/// <summary>
/// `quanta migrate`: brings a run folder written before partition folders and schema versions up to
/// date, in place: per-model folders renamed to model=&lt;name&gt; (each rename atomic) and
/// schema_version added to its JSON records (each rewritten atomically after its typed read succeeds).
/// </summary>
public static class RunFolderMigration
{
    public sealed record Result(int FoldersRenamed, int FilesStamped);

    public static Result Run(string runFolder)
    {
        if (!Directory.Exists(runFolder))
            throw new QuantaException($"{runFolder}: run folder not found; pass the folder that `quanta ingest --out` created");
        using var writing = RunFolderLock.Acquire(runFolder, ShardSpec.All);
        int renamed = ModelPartitions.Migrate(runFolder);
        int stamped = Stamp(RunPaths.IngestManifest(runFolder), ContractsJson.Default.IngestManifest)
            + Stamp(RunPaths.FamilyManifest(runFolder), ContractsJson.Default.FamilyFile)
            + Stamp(RunPaths.DecomposeSummary(runFolder), ContractsJson.Default.DecomposeSummary);
        if (Directory.Exists(RunPaths.ModelsFolder(runFolder)))
            stamped += Directory.GetDirectories(RunPaths.ModelsFolder(runFolder)).Sum(m => Stamp(ModelInfo.PathIn(m), ContractsJson.Default.ModelInfo));
        stamped += Directory.GetFiles(runFolder, "run*.json").Where(f => Path.GetFileName(f) == RunPaths.RunFile || Path.GetFileName(f).StartsWith("run.shard-", StringComparison.Ordinal))
            .Sum(f => Stamp(f, RunRecord.Json.RunRecord));
        return new Result(renamed, stamped);
    }

    /// <summary>Adds schema_version (first) to a record written without one; 1 when it did.</summary>
    private static int Stamp<T>(string path, JsonTypeInfo<T> type) where T : IContract
    {
        if (!File.Exists(path))
            return 0;
        string fix = "fix or delete it and re-run the stage that writes it";
        JsonObject old;
        try
        {
            old = JsonNode.Parse(File.ReadAllText(path)) as JsonObject ?? throw new QuantaException($"{path}: not a JSON object; {fix}");
        }
        catch (JsonException e)
        {
            throw new QuantaException($"{path}: not valid JSON ({e.Message.ReplaceLineEndings(" ")}); {fix}");
        }
        if (old.ContainsKey("schema_version"))
            return 0;
        var stamped = new JsonObject { ["schema_version"] = T.CurrentSchemaVersion };
        foreach (var (key, value) in old.ToList())
        {
            old.Remove(key);
            stamped[key] = value;
        }
        string temp = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, "." + Path.GetFileName(path) + ".migrate");
        File.WriteAllText(temp, stamped.ToJsonString());
        try
        {
            ContractFile.Write(path, ContractFile.Read(temp, type, fix), type);
        }
        finally
        {
            File.Delete(temp);
        }
        return 1;
    }
}
