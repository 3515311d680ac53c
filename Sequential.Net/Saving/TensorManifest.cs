using Newtonsoft.Json.Linq;

namespace SequentialNet.Saving;

/// <summary>
/// The manifest of a data entry (weights.bin, optimizer.bin): dtype, byte order and, per tensor, its name,
/// shape, byte offset and CRC-32. Tensors are packed back to back in manifest order, so offsets are
/// redundant on purpose: a reader checks them and catches a manifest that does not fit its data.
/// </summary>
internal static class TensorManifest
{
    public const string DType = "float32";
    public const string ByteOrder = "little";

    /// <summary>Adds dtype, byte_order and tensors (with offsets and CRCs) for <paramref name="tensors"/> to <paramref name="into"/>.</summary>
    public static JObject Describe(IReadOnlyList<NamedTensor> tensors, JObject? into = null)
    {
        var list = new JArray();
        long offset = 0;
        foreach (var t in tensors)
        {
            list.Add(new JObject
            {
                ["name"] = t.Name, ["shape"] = new JArray(t.Shape), ["offset"] = offset, ["crc32"] = FloatBytes.Crc(t.Data),
            });
            offset += t.Data.Length * 4L;
        }
        into ??= [];
        into["dtype"] = DType;
        into["byte_order"] = ByteOrder;
        into["tensors"] = list;
        return into;
    }

    /// <summary>Total bytes of <paramref name="tensors"/> in a data entry.</summary>
    public static long TotalBytes(IReadOnlyList<NamedTensor> tensors) => tensors.Sum(t => t.Data.Length * 4L);

    /// <summary>
    /// Reads a manifest's tensor list one element at a time (<see cref="Add"/>, as <see cref="BoundedJsonReader"/>
    /// streams it), checking each entry's shape and that offsets are contiguous; <see cref="Finish"/> checks
    /// dtype and byte order.
    /// </summary>
    internal sealed class Reader(string where)
    {
        private readonly List<TensorEntry> _tensors = [];

        /// <summary>Bytes of all tensors read so far.</summary>
        public long TotalBytes { get; private set; }

        public void Add(JToken item, int index)
        {
            string at = $"{where}: tensors[{index}]";
            var entry = ReadEntry(item, at);
            if (entry.Offset != TotalBytes)
                throw new FormatProblem($"{at} (\"{entry.Name}\"): expected offset {TotalBytes} (tensors are packed in order). Received: {entry.Offset}.");
            TotalBytes += entry.Bytes;
            _tensors.Add(entry);
        }

        public List<TensorEntry> Finish(JObject head, StreamedArray tensors)
        {
            string dtype = Json.String(head, "dtype", where), order = Json.String(head, "byte_order", where);
            if (dtype != DType || order != ByteOrder)
                throw new FormatProblem($"{where}: expected dtype \"{DType}\" and byte_order \"{ByteOrder}\". Received: \"{dtype}\", \"{order}\".");
            if (tensors.Count < 0)
                throw new FormatProblem($"{where}: expected a field \"tensors\". Received: fields {string.Join(", ", head.Properties().Select(p => p.Name).Take(20))}.");
            return _tensors;
        }
    }

    private static TensorEntry ReadEntry(JToken token, string at)
    {
        string name = Json.String(token, "name", at);
        int[] shape = Json.Shape(Json.Array(token, "shape", at), $"{at}.shape");
        long count = 1;
        foreach (int d in shape)
        {
            count *= d;
            if (count > Array.MaxLength) throw new FormatProblem($"{at} (\"{name}\"): expected at most {Array.MaxLength} elements. Received: shape {Tensor.FormatShape(shape)}.");
        }
        long offset = Json.Long(token, "offset", at, 0);
        uint crc = (uint)Json.Long(token, "crc32", at, 0, uint.MaxValue);
        return new TensorEntry(name, shape, offset, crc);
    }
}
