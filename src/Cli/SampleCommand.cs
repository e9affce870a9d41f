using System.CommandLine;
using QuantaProbe.Core.Hub;
using QuantaProbe.Core.Options;
using QuantaProbe.Models.Runtime;
using QuantaProbe.Sampling;
using QuantaProbe.Onnx;

namespace QuantaProbe.Cli;

internal static class SampleCommand
{
    public static Command Create()
    {
        var defaults = new SampleOptions { Model = "", Tokenizer = "", Output = "" };
        var model = new Option<string>("--model") { Description = "An HF GPT-NeoX checkpoint folder (its next.onnx is exported to a temporary folder), or a folder with next.onnx", Required = true };
        var tokenizer = new Option<string>("--tokenizer") { Description = "The family's HF tokenizer.json, or a hub name ORG/NAME[@REVISION] (its cached snapshot's tokenizer.json)", Required = true };
        var output = new Option<string>("--out") { Description = "The .jsonl file to write ({\"text\", \"meta\": {\"source\": \"sampled/<model>\"}} per line)", Required = true };
        var documents = new Option<int>("--documents") { Description = "Documents to generate", DefaultValueFactory = _ => defaults.Documents };
        var maxTokens = new Option<int>("--max-tokens") { Description = "Tokens per document at most; a document also ends at <|endoftext|>", DefaultValueFactory = _ => defaults.MaxTokens };
        var temperature = new Option<double>("--temperature") { Description = "Softmax temperature (> 0)", DefaultValueFactory = _ => defaults.Temperature };
        var topP = new Option<double>("--top-p") { Description = "Nucleus: draw from the smallest set of most probable tokens whose mass reaches p, in (0, 1]", DefaultValueFactory = _ => defaults.TopP };
        var seed = new Option<long>("--seed") { Description = "Seed: the same seed and options give the same file", DefaultValueFactory = _ => defaults.Seed };
        var prompt = new Option<string?>("--prompt") { Description = "Text after <|endoftext|> that starts every document (default: none)" };
        var batch = new Option<int>("--batch") { Description = "Documents generated together (one ONNX run per token for all)", DefaultValueFactory = _ => defaults.BatchSize };
        var runLevel = new CliSettings([RunLevelSettings.Threads, InferenceDeviceSetting.Device, RunLevelSettings.CacheDir]);

        var command = new Command("sample", "Generate a JSON Lines corpus from a model by seeded temperature / top-p sampling")
        {
            model, tokenizer, output, documents, maxTokens, temperature, topP, seed, prompt, batch,
        };
        foreach (var option in runLevel.Options)
            command.Options.Add(option);
        command.SetAction((parse, cancel) => CommandRunner.RunAsync(async ct =>
        {
            var given = runLevel.Read(parse);
            var options = new SampleOptions
            {
                Model = parse.GetValue(model)!,
                Tokenizer = HubLocator.Tokenizer(parse.GetValue(tokenizer)!, baseFolder: null, HubCache.Locate(given.Get(RunLevelSettings.CacheDir))).Path,
                Output = parse.GetValue(output)!,
                Documents = parse.GetValue(documents),
                MaxTokens = parse.GetValue(maxTokens),
                Temperature = parse.GetValue(temperature),
                TopP = parse.GetValue(topP),
                Seed = parse.GetValue(seed),
                Prompt = parse.GetValue(prompt),
                BatchSize = parse.GetValue(batch),
                Threads = given.Get(RunLevelSettings.Threads),
                Device = given.Get(InferenceDeviceSetting.Device),
            };
            var clock = new StageClock();
            var result = await ProgressDisplay.RunAsync("sample", report => Task.Run(() =>
                SampleStage.Run(options, new Progress<SampleProgress>(p => report(p.DocumentsDone, p.DocumentsTotal,
                    $"{p.DocumentsDone:N0}/{p.DocumentsTotal:N0} documents, {p.Tokens:N0} tokens, {clock.Rate(p.Tokens)}")), ct), ct));
            Console.WriteLine($"sample: {result.Documents:N0} documents from {result.ModelName} ({result.Tokens:N0} tokens, "
                + $"{result.Tokens / Math.Max(result.Seconds, 1e-3):N0} tokens/s, {result.EndedByEndOfText:N0} ended by <|endoftext|>), {result.Bytes:N0} bytes");
            StageClock.PrintEnd("sample", complete: true, result.OutputPath);
        }, cancel));
        return command;
    }
}
