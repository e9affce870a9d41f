namespace QuantaProbe.Tests.Hostile;

/// <summary>Broken checkpoint weights, through `quanta export --checkpoint`.</summary>
internal static class SafetensorsCases
{
    private const string Embed = "gpt_neox.embed_in.weight";
    private const string Norm = "gpt_neox.final_layer_norm.weight";
    private const string Qkv = "gpt_neox.layers.0.attention.query_key_value.weight";

    public static readonly HostileCase[] All =
    [
        Weights("safetensors: data_offsets past the end", "outside the", l => l.SetOffsets(Norm, l.Data.Length - 4, l.Data.Length + 252)),
        Weights("safetensors: overlapping tensors", "overlap", l =>
        {
            var (begin, _) = l.Offsets(Embed);
            l.SetOffsets(Norm, begin + 64, begin + 64 + 256);
        }),
        Weights("safetensors: shape of 2^62 elements", "too large", l => l.Tensor(Embed)["shape"] = new System.Text.Json.Nodes.JsonArray(1L << 31, 1L << 31, 4)),
        Weights("safetensors: I64 weight where floats are needed", "is I64", l =>
        {
            // [64] int64 with its own 512 bytes at the end: the header is consistent, the dtype is not a float.
            l.Tensor(Norm)["dtype"] = "I64";
            l.SetOffsets(Norm, l.Data.Length, l.Data.Length + 512);
            l.Data = [.. l.Data, .. new byte[512]];
        }),
        Weights("safetensors: dtype size disagrees with the span", "offsets span", l => l.Tensor(Norm)["dtype"] = "F16"),
        Weights("safetensors: NaN weights (a diverged checkpoint)", "non-finite value", l =>
        {
            // 00 00 C0 7F is a NaN read as F32, and holds a NaN read as F16 or BF16 pairs.
            var (begin, _) = l.Offsets(Norm);
            byte[] nan = [0x00, 0x00, 0xC0, 0x7F];
            nan.CopyTo(l.Data, begin);
        }),
        Weights("safetensors: header length beyond the file", "header claims", l => { }, claimedHeaderLength: 1UL << 40),
        new("safetensors: empty file", w =>
        {
            var checkpoint = w.FixtureCheckpoint();
            var file = Path.Combine(checkpoint, "model.safetensors");
            File.WriteAllBytes(file, []);
            return new HostileInvocation(w.Export(checkpoint), file, "shorter than the 8-byte header", w.UntrustedExport());
        }),
        new("safetensors: right name, wrong shape for config.json", w =>
        {
            var checkpoint = w.FixtureCheckpoint();
            var file = Path.Combine(checkpoint, "model.safetensors");
            SafetensorsLayout.Edit(file, l => l.Tensor(Qkv)["shape"] = new System.Text.Json.Nodes.JsonArray(64, 192));
            return new HostileInvocation(w.Export(checkpoint), file, "config.json implies", w.UntrustedExport());
        }),
        new("safetensors: a tensor is missing", w =>
        {
            var checkpoint = w.FixtureCheckpoint();
            SafetensorsLayout.Edit(Path.Combine(checkpoint, "model.safetensors"), l => l.Header.Remove(Qkv));
            return new HostileInvocation(w.Export(checkpoint), checkpoint, $"'{Qkv}' is missing", w.UntrustedExport());
        }),
        new("safetensors: index names a missing shard", w =>
        {
            var checkpoint = w.FixtureCheckpoint();
            var (_, second) = SafetensorsLayout.Shard(checkpoint);
            File.Delete(Path.Combine(checkpoint, second));
            return new HostileInvocation(w.Export(checkpoint), Path.Combine(checkpoint, second), "not found", w.UntrustedExport());
        }),
        new("safetensors: index puts a tensor in a shard that lacks it", w =>
        {
            var checkpoint = w.FixtureCheckpoint();
            var (first, second) = SafetensorsLayout.Shard(checkpoint);
            SafetensorsLayout.Edit(Path.Combine(checkpoint, second), l => l.Header.Remove(l.Header.First(p => p.Key != "__metadata__").Key));
            return new HostileInvocation(w.Export(checkpoint), Path.Combine(checkpoint, "model.safetensors.index.json"), "does not hold it", w.UntrustedExport());
        }),
    ];

    private static HostileCase Weights(string name, string phrase, Action<SafetensorsLayout> edit, ulong? claimedHeaderLength = null) =>
        new(name, w =>
        {
            var checkpoint = w.FixtureCheckpoint();
            var file = Path.Combine(checkpoint, "model.safetensors");
            var layout = SafetensorsLayout.Read(file);
            edit(layout);
            layout.Write(file, claimedHeaderLength);
            return new HostileInvocation(w.Export(checkpoint), file, phrase, w.UntrustedExport());
        });
}
