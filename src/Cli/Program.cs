using System.CommandLine;
using QuantaProbe.Cli;

var root = new RootCommand("QuantaProbe: the Quantization Model of Neural Scaling, measured on a family of pretrained GPT-NeoX models");
root.Subcommands.Add(IngestCommand.Create());
root.Subcommands.Add(ExportCommand.Create());
root.Subcommands.Add(InferCommand.Create());
root.Subcommands.Add(GradientsCommand.Create());
root.Subcommands.Add(DecomposeCommand.Create());
root.Subcommands.Add(ReportCommand.Create());
root.Subcommands.Add(ToyCommand.Create());
root.Subcommands.Add(RunCommand.Create());
root.Subcommands.Add(SampleCommand.Create());
root.Subcommands.Add(MigrateCommand.Create());
var parse = root.Parse(args);
return ArgumentErrors.Report(parse) ? CommandRunner.UserError : await parse.InvokeAsync();
