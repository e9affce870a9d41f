using System.CommandLine;
using QuantaProbe.Cli;
using QuantaProbe.Core.Options;
using QuantaProbe.Decompose.Stage;
using QuantaProbe.Export;
using QuantaProbe.Gradients;
using QuantaProbe.Infer;
using QuantaProbe.Ingest;
using QuantaProbe.Report;

namespace QuantaProbe.Tests.Options;

/// <summary>Each stage's command as quanta builds it, beside the settings list of the stage's options record.</summary>
internal static class StageCommands
{
    public static readonly IReadOnlyDictionary<string, (Func<Command> Create, IReadOnlyList<Setting> Settings)> All =
        new Dictionary<string, (Func<Command>, IReadOnlyList<Setting>)>
        {
            ["ingest"] = (IngestCommand.Create, IngestOptions.Settings.All),
            ["export"] = (ExportCommand.Create, ExportOptions.Settings.All),
            ["infer"] = (InferCommand.Create, InferOptions.Settings.All),
            ["gradients"] = (GradientsCommand.Create, GradientsOptions.Settings.All),
            ["decompose"] = (DecomposeCommand.Create, DecomposeOptions.Settings.All),
            ["report"] = (ReportCommand.Create, ReportOptions.Settings.All),
        };

    public static TheoryData<string> Names() => new(All.Keys);

    /// <summary>Runs the stage's command in this process; its exit code and what it wrote to stderr.</summary>
    public static async Task<(int Code, string Err)> RunAsync(string stage, params string[] args)
    {
        var root = new RootCommand { All[stage].Create() };
        var err = new StringWriter();
        var before = Console.Error;
        Console.SetError(err);
        try { return (await root.Parse([stage, .. args]).InvokeAsync(), err.ToString().Trim()); }
        finally { Console.SetError(before); }
    }
}

/// <summary>Tests that swap Console.Error run one at a time.</summary>
[CollectionDefinition("Console", DisableParallelization = true)]
public sealed class ConsoleCollection;
