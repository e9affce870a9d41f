using System.Diagnostics;
using QuantaProbe.Core;
using QuantaProbe.Models.Runtime;
using QuantaProbe.Ingest.Tokenization;

namespace QuantaProbe.Sampling;

/// <summary>
/// <c>quanta sample</c>: seeded temperature / top-p sampling from a GPT-NeoX model through its
/// next.onnx, written as a JSON Lines corpus. Each document's context is &lt;|endoftext|&gt; (and the
/// prompt, if any); it ends at &lt;|endoftext|&gt; or after the maximum number of tokens. The same
/// options and seed give the same bytes; the file appears complete or not at all.
/// </summary>
public static class SampleStage
{
    public const string EndOfText = "<|endoftext|>";
    public const string SourcePrefix = "sampled/";

    public static SampleResult Run(SampleOptions options, IProgress<SampleProgress>? progress = null, CancellationToken cancel = default)
    {
        options.Validate();
        var tokenizer = HfTokenizer.Load(options.Tokenizer);
        int endOfText = tokenizer.AddedTokenId(EndOfText)
            ?? throw new QuantaException($"{options.Tokenizer}: has no {EndOfText} token to start and end documents; pass the model family's tokenizer.json");
        int[] prompt = options.Prompt is null ? [] : [.. tokenizer.Encode(options.Prompt)];

        using var model = SamplingModel.Resolve(options.Model);
        using var runner = NextLogitsRunner.Open(model.NextOnnxPath, options.Device, options.Threads);
        if (tokenizer.VocabSize > runner.VocabSize)
            throw new QuantaException($"{options.Tokenizer}: has {tokenizer.VocabSize:N0} ids but {options.Model} has a vocabulary of {runner.VocabSize:N0}; pass the model family's tokenizer.json");
        // Ids the tokenizer cannot decode (padding rows of a model's embedding) are never drawn.
        var allowed = Enumerable.Range(0, runner.VocabSize).Select(tokenizer.HasToken).ToArray();
        var sampler = new NucleusSampler(options.Temperature, options.TopP, allowed, options.Model);
        var generator = new DocumentGenerator(runner, sampler, [endOfText, .. prompt], endOfText, options.MaxTokens, options.Seed);

        string source = SourcePrefix + model.Name;
        long tokens = 0;
        int ended = 0;
        var clock = Stopwatch.StartNew();
        AtomicFile.Write(options.Output, stream =>
        {
            var writer = new SampledDocumentWriter(stream, source);
            for (int first = 0; first < options.Documents; first += options.BatchSize)
            {
                int count = Math.Min(options.BatchSize, options.Documents - first);
                var documents = generator.Generate(first, count, cancel, n =>
                {
                    tokens += n;
                    progress?.Report(new SampleProgress(first, options.Documents, tokens));
                });
                foreach (var document in documents)
                {
                    writer.Write(tokenizer.Decode([.. prompt, .. document.Ids]));
                    ended += document.EndedByEndOfText ? 1 : 0;
                }
                progress?.Report(new SampleProgress(first + count, options.Documents, tokens));
            }
        });
        clock.Stop();
        return new SampleResult(Path.GetFullPath(options.Output), model.Name, source, options.Documents, tokens, ended,
            new FileInfo(options.Output).Length, clock.Elapsed.TotalSeconds);
    }
}
