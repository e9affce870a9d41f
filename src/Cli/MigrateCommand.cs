using System.CommandLine;
using QuantaProbe.Core.Contracts;

namespace QuantaProbe.Cli;

internal static class MigrateCommand
{
    public static Command Create()
    {
        var run = new Option<string>("--run") { Description = "A run folder written by an older quanta (per-model folders without model=, JSON files without schema_version)", Required = true };
        var command = new Command("migrate", "Brings an older run folder to this version's layout in place: losses/<model> → losses/model=<model> (and the other per-model datasets), schema_version in its JSON files")
        {
            run,
        };
        command.SetAction((parse, cancel) => CommandRunner.RunAsync(ct =>
        {
            var result = RunFolderMigration.Run(parse.GetValue(run)!);
            Console.WriteLine($"migrate: {result.FoldersRenamed} model folders renamed, {result.FilesStamped} JSON files given a schema_version");
            return Task.CompletedTask;
        }, cancel));
        return command;
    }
}
