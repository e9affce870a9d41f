using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using QuantaProbe.Models.Torch;

namespace QuantaProbe.Tests.Hostile;

/// <summary>
/// Seeded mutations of a torch.save archive: of its data.pkl (re-zipped with valid CRCs, so the pickle
/// machine sees every mutation), or of its zip structure in place (end records, central directory,
/// local headers; the pickle and storages untouched).
/// </summary>
internal sealed class TorchArchiveMutator
{
    private static readonly byte[] Opcodes = "().0123NJKMXGtla]}eusdcRbQqrhj"u8.ToArray().Concat(new byte[] { 0x80, 0x85, 0x86, 0x87, 0x88, 0x89, 0x8a, 0x8b, 0x8c, 0x81, 0x94, 0x95, 0x00, 0xFF, (byte)'i', (byte)'I', (byte)'S' }).ToArray();
    private static readonly string[] Globals = ["os\nsystem\n", "builtins\neval\n", "__builtin__\ngetattr\n", "torch\nload\n", "torch._utils\n_rebuild_qtensor\n", "torch\nFloatStorage\n", "collections\nOrderedDict\n", "torch._utils\n_rebuild_parameter\n", "\n\n"];
    private static readonly long[] Edges = [0, 1, 0x7F, 0x80, 0xFF, 0xFFFF, 0x7FFFFFFF, 0x80000000, 0xFFFFFFFF, long.MaxValue, -1];

    private readonly byte[] _original;
    private readonly List<(string Name, byte[] Data)> _entries;
    private readonly byte[] _pickle;
    private readonly string _pickleName;

    public TorchArchiveMutator(byte[] original)
    {
        _original = original;
        using var zip = new ZipArchive(new MemoryStream(original), ZipArchiveMode.Read);
        _entries = zip.Entries.Select(e =>
        {
            using var s = e.Open();
            var copy = new MemoryStream();
            s.CopyTo(copy);
            return (e.FullName, copy.ToArray());
        }).ToList();
        var pickle = _entries.Single(e => e.Name.EndsWith("/data.pkl", StringComparison.Ordinal));
        (_pickleName, _pickle) = pickle;
    }

    public (byte[] Bytes, string What) MutatePickle(Random random)
    {
        var p = (byte[])_pickle.Clone();
        string what;
        switch (random.Next(9))
        {
            case 0:
            {
                int at = random.Next(p.Length);
                p[at] = (byte)random.Next(256);
                what = $"byte {at} → {p[at]:x2}";
                break;
            }
            case 1:
            {
                int at = random.Next(p.Length);
                p[at] ^= (byte)(1 << random.Next(8));
                what = $"bit flipped at {at}";
                break;
            }
            case 2:
            {
                int at = RandomOccurrence(p, (byte)random.Next(3) switch { 0 => (byte)'K', 1 => (byte)'M', _ => (byte)'X' }, random);
                long edge = Edges[random.Next(Edges.Length)];
                int width = p[at] == 'K' ? 1 : p[at] == 'M' ? 2 : 4;
                for (int i = 0; i < width && at + 1 + i < p.Length; i++)
                    p[at + 1 + i] = (byte)(edge >> (8 * i));
                what = $"operand of {(char)p[at]} at {at} → {edge}";
                break;
            }
            case 3:
            {
                int at = random.Next(p.Length);
                int count = Math.Min(p.Length - at, random.Next(1, 9));
                p = [.. p.AsSpan(0, at), .. p.AsSpan(at + count)];
                what = $"deleted {count} bytes at {at}";
                break;
            }
            case 4:
            {
                int at = random.Next(p.Length + 1);
                byte op = Opcodes[random.Next(Opcodes.Length)];
                p = [.. p.AsSpan(0, at), op, .. p.AsSpan(at)];
                what = $"inserted opcode {op:x2} at {at}";
                break;
            }
            case 5:
            {
                int keep = random.Next(p.Length);
                p = p[..keep];
                what = $"truncated to {keep}";
                break;
            }
            case 6:
            {
                int at = RandomOccurrence(p, (byte)'c', random);
                int end = Array.IndexOf(p, (byte)'\n', Math.Min(at + 1, p.Length - 1));
                end = end < 0 ? at : Array.IndexOf(p, (byte)'\n', end + 1);
                string global = Globals[random.Next(Globals.Length)];
                p = [.. p.AsSpan(0, at + 1), .. Encoding.ASCII.GetBytes(global), .. p.AsSpan(Math.Max(end + 1, at + 1))];
                what = $"GLOBAL at {at} → {global.Replace('\n', ' ')}";
                break;
            }
            case 7:
            {
                int from = random.Next(p.Length), count = Math.Min(p.Length - from, random.Next(1, 40)), at = random.Next(p.Length + 1);
                p = [.. p.AsSpan(0, at), .. p.AsSpan(from, count), .. p.AsSpan(at)];
                what = $"copied {count} bytes from {from} to {at}";
                break;
            }
            default:
            {
                int at = RandomOccurrence(p, (byte)random.Next(2) switch { 0 => (byte)'h', _ => (byte)'q' }, random);
                if (at + 1 < p.Length)
                    p[at + 1] = (byte)random.Next(256);
                what = $"memo index at {at} → {(at + 1 < p.Length ? p[at + 1] : -1)}";
                break;
            }
        }
        return (Zip(p), "data.pkl: " + what);
    }

    /// <summary>Mutates the zip records in place: the end record(s), a central directory entry or a local header.</summary>
    public (byte[] Bytes, string What) MutateDirectory(Random random)
    {
        var bytes = (byte[])_original.Clone();
        var headers = Occurrences(bytes, "PK\x03\x04"u8);
        var central = Occurrences(bytes, "PK\x01\x02"u8);
        var ends = Occurrences(bytes, "PK\x05\x06"u8).Concat(Occurrences(bytes, "PK\x06\x06"u8)).Concat(Occurrences(bytes, "PK\x06\x07"u8)).ToList();
        int kind = random.Next(4);
        if (kind == 3)
        {
            int keep = random.Next(bytes.Length);
            return (bytes[..keep], $"truncated to {keep}");
        }
        var starts = kind == 0 ? ends : kind == 1 ? central : headers;
        int record = starts[random.Next(starts.Count)];
        int length = kind == 0 ? 56 : kind == 1 ? 46 : 30;
        int at = record + random.Next(Math.Min(length, bytes.Length - record));
        string where = (kind == 0 ? "end record" : kind == 1 ? "central entry" : "local header") + $" at {record}, byte {at - record}";
        switch (random.Next(4))
        {
            case 0:
                bytes[at] ^= (byte)(1 << random.Next(8));
                return (bytes, where + ": bit flip");
            case 1:
                bytes[at] = (byte)random.Next(256);
                return (bytes, where + ": random byte");
            case 2:
            {
                int width = new[] { 2, 4, 8 }[random.Next(3)];
                if (at + width > bytes.Length) return (bytes, where + ": unchanged");
                long value = random.Next(3) switch { 0 => Edges[random.Next(Edges.Length)], 1 => bytes.Length + random.Next(-64, 65), _ => (long)BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(at, 4)) + random.Next(-70, 71) };
                for (int i = 0; i < width; i++)
                    bytes[at + i] = (byte)(value >> (8 * i));
                return (bytes, where + $": {width}-byte field → {value}");
            }
            default:
            {
                int width = random.Next(1, 5);
                if (at + width > bytes.Length) return (bytes, where + ": unchanged");
                for (int i = 0; i < width; i++)
                    bytes[at + i] = 0xFF;
                return (bytes, where + $": {width} bytes → FF");
            }
        }
    }

    /// <summary>The same entries in an archive whose every record is zip64.</summary>
    public byte[] Zip64Copy() => Zip(_pickle, forceZip64: true);

    private byte[] Zip(byte[] pickle, bool forceZip64 = false)
    {
        var stream = new MemoryStream();
        var zip = new StoredZipWriter(stream, forceZip64);
        foreach (var (name, data) in _entries)
            zip.Add(name, name == _pickleName ? pickle : data);
        zip.Finish();
        return stream.ToArray();
    }

    private static int RandomOccurrence(byte[] bytes, byte value, Random random)
    {
        var all = Enumerable.Range(0, bytes.Length).Where(i => bytes[i] == value).ToList();
        return all.Count == 0 ? random.Next(bytes.Length) : all[random.Next(all.Count)];
    }

    private static List<int> Occurrences(byte[] bytes, ReadOnlySpan<byte> signature)
    {
        var found = new List<int>();
        for (int at = bytes.AsSpan().IndexOf(signature); at >= 0;)
        {
            found.Add(at);
            int next = bytes.AsSpan(at + 1).IndexOf(signature);
            at = next < 0 ? -1 : at + 1 + next;
        }
        return found;
    }
}
