namespace QuantaProbe.Tests.Hostile;

/// <summary>Broken ONNX files: loss.onnx (`quanta infer`), grad.onnx (`quanta gradients`), next.onnx (`quanta sample`), decoders (`quanta export --onnx`).</summary>
internal static class OnnxCases
{
    private const string Model = BaseRun.Model;

    public static readonly HostileCase[] All =
    [
        LossOnnx("loss.onnx: truncated", bytes => bytes[..(bytes.Length / 3)]),
        LossOnnx("loss.onnx: random bytes", bytes => RandomBytes(bytes.Length, seed: 1)),
        LossOnnx("loss.onnx: a text file", _ => "this is not a model\n"u8.ToArray()),
        GradOnnx("grad.onnx: truncated", bytes => bytes[..(bytes.Length / 2)]),
        GradOnnx("grad.onnx: a text file", _ => "version https://git-lfs.github.com/spec/v1\noid sha256:0\nsize 12\n"u8.ToArray()),
        NextOnnx("next.onnx: truncated", bytes => bytes[..(bytes.Length / 2)]),
        NextOnnx("next.onnx: random bytes", bytes => RandomBytes(4096, seed: 2)),
        new("export --onnx: a decoder without a logits output", w =>
        {
            // loss.onnx is a valid ONNX model whose outputs are token_loss and token_entropy.
            var run = w.ScoredRun();
            var decoder = Path.Combine(w.Root, "decoder", "model.onnx");
            Directory.CreateDirectory(Path.GetDirectoryName(decoder)!);
            File.Copy(Path.Combine(run, "models", Model, "loss.onnx"), decoder);
            return new HostileInvocation(["export", "--onnx", decoder, "--name", "imported", "--out", Path.Combine(run, "models")], decoder, "logits",
                [Path.Combine(run, "models", "imported", "model.json"), Path.Combine(run, "models", "imported", "loss.onnx")]);
        }),
        new("export --onnx: random bytes", w =>
        {
            var decoder = w.Write("decoder/model.onnx", RandomBytes(10_000, seed: 3));
            return new HostileInvocation(["export", "--onnx", decoder, "--name", "imported", "--out", w.PathOf("run/models")], decoder, null,
                [w.PathOf("run/models/imported/model.json"), w.PathOf("run/models/family.json")]);
        }),
    ];

    public static byte[] RandomBytes(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    private static HostileCase LossOnnx(string name, Func<byte[], byte[]> breakIt) =>
        new(name, w =>
        {
            var run = w.ScoredRun();
            Directory.Delete(Path.Combine(run, "losses"), recursive: true);
            var file = Path.Combine(run, "models", Model, "loss.onnx");
            File.WriteAllBytes(file, breakIt(File.ReadAllBytes(file)));
            return new HostileInvocation(["infer", "--run", run, "--threads", "1"], file, "quanta export",
                [Path.Combine(run, "losses", "model=" + Model, "part-00000.parquet")]);
        });

    private static HostileCase GradOnnx(string name, Func<byte[], byte[]> breakIt) =>
        new(name, w =>
        {
            var run = w.ScoredRun();
            Directory.Delete(Path.Combine(run, "gradients"), recursive: true);
            var file = Path.Combine(run, "models", Model, "grad.onnx");
            File.WriteAllBytes(file, breakIt(File.ReadAllBytes(file)));
            return new HostileInvocation(["gradients", "--run", run, "--model", Model, "--select", "all", "--n", "16", "--threads", "1"], file, "quanta export",
                [Path.Combine(run, "gradients", "model=" + Model, "part-00000.parquet")]);
        });

    private static HostileCase NextOnnx(string name, Func<byte[], byte[]> breakIt) =>
        new(name, w =>
        {
            var folder = Path.Combine(w.Root, "sampler");
            Directory.CreateDirectory(folder);
            var file = Path.Combine(folder, "next.onnx");
            File.WriteAllBytes(file, breakIt(NextOnnxBytes(w)));
            var output = w.PathOf("sampled.jsonl");
            return new HostileInvocation(["sample", "--model", folder, "--tokenizer", HostileWorkspace.Tokenizer, "--out", output, "--documents", "2", "--max-tokens", "4"],
                file, null, [output]);
        });

    /// <summary>A real next.onnx, exported by the library into the workspace.</summary>
    private static byte[] NextOnnxBytes(HostileWorkspace w)
    {
        var folder = Path.Combine(w.Root, "next-export");
        var path = QuantaProbe.Models.Architectures.ModelGraphExport.ExportNextLogits(Path.Combine(SharedData.Root, "models", Model), folder);
        return File.ReadAllBytes(path);
    }
}
