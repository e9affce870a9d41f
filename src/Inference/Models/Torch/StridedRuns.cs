using System.Buffers;

namespace QuantaProbe.Models.Torch;

/// <summary>
/// Walks a strided view of a storage in row-major order as runs of element bytes: one run (in
/// chunks) where the view is contiguous, rows where only the last dimension is, and small gathered
/// batches of single elements otherwise (e.g. a column-major matrix).
/// </summary>
internal static class StridedRuns
{
    /// <param name="firstElement">Row-major index of the run's first element in the tensor.</param>
    public delegate void Visitor(ReadOnlySpan<byte> bytes, long firstElement);

    private const int ChunkElements = 1 << 22;
    private const int GatherElements = 4096;

    public static void Visit(MappedFile file, long storageStart, TorchTensorView view, Visitor visitor)
    {
        long count = view.ElementCount;
        if (count == 0)
            return;
        int size = view.Storage.Type.ElementSize;
        long start = storageStart + view.Offset * size;
        int dims = view.Shape.Length;
        if (IsContiguous(view))
        {
            Run(file, start, count, 0, size, visitor);
            return;
        }

        long rowLength = view.Shape[dims - 1], rowStride = view.Strides[dims - 1];
        var index = new long[Math.Max(dims - 1, 0)];
        var gathered = rowStride == 1 ? null : ArrayPool<byte>.Shared.Rent(GatherElements * size);
        try
        {
            for (long first = 0; first < count; first += rowLength)
            {
                long rowStart = start;
                for (int d = 0; d < index.Length; d++)
                    rowStart += index[d] * view.Strides[d] * size;
                if (gathered is null)
                    Run(file, rowStart, rowLength, first, size, visitor);
                else
                    Gather(file, rowStart, rowLength, rowStride * size, first, size, gathered, visitor);
                Next(index, view.Shape);
            }
        }
        finally
        {
            if (gathered is not null)
                ArrayPool<byte>.Shared.Return(gathered);
        }
    }

    public static bool IsContiguous(TorchTensorView view)
    {
        long expected = 1;
        for (int d = view.Shape.Length - 1; d >= 0; d--)
        {
            if (view.Shape[d] != 1 && view.Strides[d] != expected)
                return false;
            expected *= view.Shape[d];
        }
        return true;
    }

    private static void Run(MappedFile file, long start, long count, long first, int size, Visitor visitor)
    {
        for (long done = 0; done < count; done += ChunkElements)
        {
            int n = (int)Math.Min(ChunkElements, count - done);
            visitor(file.Span(start + done * size, n * size), first + done);
        }
    }

    private static void Gather(MappedFile file, long start, long count, long strideBytes, long first, int size, byte[] buffer, Visitor visitor)
    {
        for (long done = 0; done < count; done += GatherElements)
        {
            int n = (int)Math.Min(GatherElements, count - done);
            for (int i = 0; i < n; i++)
                file.Span(start + (done + i) * strideBytes, size).CopyTo(buffer.AsSpan(i * size, size));
            visitor(buffer.AsSpan(0, n * size), first + done);
        }
    }

    /// <summary>Advances the index over all but the last dimension, last dimension fastest.</summary>
    private static void Next(long[] index, long[] shape)
    {
        for (int d = index.Length - 1; d >= 0; d--)
        {
            if (++index[d] < shape[d])
                return;
            index[d] = 0;
        }
    }
}
