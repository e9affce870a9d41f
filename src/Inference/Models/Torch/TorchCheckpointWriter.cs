using QuantaProbe.Core;
using QuantaProbe.Models.Torch.Pickle;

namespace QuantaProbe.Models.Torch;

/// <summary>One tensor to save: its dtype (F32, F16, BF16, U8, BOOL, …), shape, and row-major little-endian bytes.</summary>
internal sealed record TorchTensorData(string Name, string DType, long[] Shape, byte[] Data);

/// <summary>
/// Writes a state dict as torch.save does (zip format, protocol-2 pickle, stored entries with 64-byte
/// aligned storages): an OrderedDict of _rebuild_tensor_v2 tensors, each over its own storage, atomically.
/// For tests and benchmarks that need a pytorch_model.bin of a given shape.
/// </summary>
internal static class TorchCheckpointWriter
{
    public static void Write(string path, IReadOnlyList<TorchTensorData> tensors, bool forceZip64 = false)
    {
        string top = Path.GetFileNameWithoutExtension(path);
        foreach (var t in tensors)
        {
            int size = TorchStorageType.ByClassName[TorchStorageType.FromDType(t.DType)].ElementSize;
            if (t.Shape.Aggregate(1L, (a, b) => a * b) * size != t.Data.LongLength)
                throw new ArgumentException($"tensor '{t.Name}': {t.DType} {Weights.TensorInfo.FormatShape(t.Shape)} does not hold {t.Data.LongLength} bytes");
        }
        var pickle = StateDictPickle(tensors);
        AtomicFile.Write(path, stream =>
        {
            var zip = new StoredZipWriter(stream, forceZip64);
            zip.Add($"{top}/data.pkl", pickle);
            zip.Add($"{top}/byteorder", "little"u8);
            for (int i = 0; i < tensors.Count; i++)
                zip.Add($"{top}/data/{i}", tensors[i].Data);
            zip.Add($"{top}/version", "3\n"u8);
            zip.Finish();
        });
    }

    private static byte[] StateDictPickle(IReadOnlyList<TorchTensorData> tensors)
    {
        var p = new PickleWriter().Proto().Global("collections", "OrderedDict").EmptyTuple().Reduce().Mark();
        for (int i = 0; i < tensors.Count; i++)
        {
            var t = tensors[i];
            long numel = t.Shape.Aggregate(1L, (a, b) => a * b);
            p.Unicode(t.Name).Global("torch._utils", "_rebuild_tensor_v2").Mark();
            p.Mark().Unicode("storage").Global("torch", TorchStorageType.FromDType(t.DType)).Unicode(i.ToString(System.Globalization.CultureInfo.InvariantCulture)).Unicode("cpu").Int(numel).Tuple().BinPersId();
            p.Int(0).Ints(t.Shape).Ints(RowMajorStrides(t.Shape)).Bool(false);
            p.Global("collections", "OrderedDict").EmptyTuple().Reduce();
            p.Tuple().Reduce();
        }
        return p.SetItems().Stop().ToArray();
    }

    private static long[] RowMajorStrides(long[] shape)
    {
        var strides = new long[shape.Length];
        long stride = 1;
        for (int d = shape.Length - 1; d >= 0; d--)
        {
            strides[d] = stride;
            stride *= shape[d];
        }
        return strides;
    }
}
