using System.Text.Json.Nodes;
using QuantaProbe.Core.Hub;

namespace QuantaProbe.Run;

/// <summary>
/// What run.json records of the inputs a config named on the hub: each reference as written
/// (EleutherAI/pythia-70m@step3000), the commit it resolved to and its snapshot folder. A branch or
/// tag can move to another commit between two invocations of a run; a resume then refuses to mix them.
/// </summary>
internal static class HubInputs
{
    public static JsonArray Of(RunConfig config)
    {
        var list = new JsonArray();
        if (config.TokenizerHub is { } tokenizer)
            list.Add(Entry("tokenizer", tokenizer));
        foreach (var model in config.Family)
            if (model.Hub is { } hub)
                list.Add(Entry("model:" + model.ModelName, hub));
        return list;
    }

    /// <summary>The first reference whose commit differs from the one <paramref name="previous"/> recorded for the same role, as one line; else null.</summary>
    public static string? Moved(JsonObject previous, JsonObject current)
    {
        if (previous["hub"] is not JsonArray before || current["hub"] is not JsonArray now)
            return null;
        var commits = before.OfType<JsonObject>().Where(e => e["role"] is not null && e["commit"] is not null)
            .DistinctBy(e => e["role"]!.GetValue<string>()).ToDictionary(e => e["role"]!.GetValue<string>(), e => e["commit"]!.GetValue<string>());
        foreach (var e in now.OfType<JsonObject>())
        {
            string role = e["role"]!.GetValue<string>(), commit = e["commit"]!.GetValue<string>(), reference = e["reference"]!.GetValue<string>();
            if (commits.TryGetValue(role, out var old) && old != commit)
                return $"{reference}: now resolves to commit {commit}, but this run began with commit {old} (run.json); its results would mix two checkpoints. "
                    + $"Name the commit ({reference.Split('@')[0]}@{old}) in the config to go on, or start a new run folder";
        }
        return null;
    }

    private static JsonObject Entry(string role, HubSnapshot snapshot) => new()
    {
        ["role"] = role,
        ["reference"] = snapshot.Reference.ToString(),
        ["commit"] = snapshot.Commit,
        ["snapshot"] = snapshot.Folder,
        ["cache"] = snapshot.Cache.Root,
    };
}
