using System.Text;
using System.Text.Json.Nodes;

namespace QuantaProbe.Tests.Hostile;

/// <summary>A safetensors file as its header object and data bytes, to edit either and write it back.</summary>
internal sealed class SafetensorsLayout
{
    public JsonObject Header { get; }
    public byte[] Data { get; set; }

    private SafetensorsLayout(JsonObject header, byte[] data)
    {
        Header = header;
        Data = data;
    }

    public static SafetensorsLayout Read(string path)
    {
        var bytes = File.ReadAllBytes(path);
        int length = (int)BitConverter.ToUInt64(bytes, 0);
        var header = JsonNode.Parse(Encoding.UTF8.GetString(bytes, 8, length))!.AsObject();
        return new SafetensorsLayout(header, bytes[(8 + length)..]);
    }

    public JsonObject Tensor(string name) => Header[name]!.AsObject();

    public (long Begin, long End) Offsets(string name)
    {
        var o = Tensor(name)["data_offsets"]!.AsArray();
        return ((long)o[0]!, (long)o[1]!);
    }

    public void SetOffsets(string name, long begin, long end) => Tensor(name)["data_offsets"] = new JsonArray(begin, end);

    public void Write(string path, ulong? claimedHeaderLength = null)
    {
        var header = Encoding.UTF8.GetBytes(Header.ToJsonString());
        using var file = File.Create(path);
        file.Write(BitConverter.GetBytes(claimedHeaderLength ?? (ulong)header.Length));
        file.Write(header);
        file.Write(Data);
    }

    public static void Edit(string path, Action<SafetensorsLayout> edit)
    {
        var layout = Read(path);
        edit(layout);
        layout.Write(path);
    }

    /// <summary>The same tensors split into two shards with an index; returns the shard file names.</summary>
    public static (string First, string Second) Shard(string checkpoint)
    {
        string single = Path.Combine(checkpoint, "model.safetensors");
        var layout = Read(single);
        var names = layout.Header.Select(p => p.Key).Where(k => k != "__metadata__").ToList();
        var shards = new[] { "model-00001-of-00002.safetensors", "model-00002-of-00002.safetensors" };
        var weightMap = new JsonObject();
        for (int s = 0; s < 2; s++)
        {
            var mine = names.Where((_, i) => i % 2 == s).ToList();
            var header = new JsonObject();
            var data = new MemoryStream();
            foreach (var name in mine)
            {
                var (begin, end) = layout.Offsets(name);
                var entry = layout.Tensor(name).DeepClone().AsObject();
                entry["data_offsets"] = new JsonArray(data.Length, data.Length + (end - begin));
                data.Write(layout.Data, (int)begin, (int)(end - begin));
                header[name] = entry;
                weightMap[name] = shards[s];
            }
            new SafetensorsLayout(header, data.ToArray()).Write(Path.Combine(checkpoint, shards[s]));
        }
        File.Delete(single);
        File.WriteAllText(Path.Combine(checkpoint, "model.safetensors.index.json"), new JsonObject { ["metadata"] = new JsonObject(), ["weight_map"] = weightMap }.ToJsonString());
        return (shards[0], shards[1]);
    }
}
