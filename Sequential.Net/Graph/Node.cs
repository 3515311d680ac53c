namespace SequentialNet.Graph;

/// <summary>
/// One value of the static graph. Its shape is <see cref="Shape"/> (the dimensions after the batch axis)
/// preceded by the batch axis when <see cref="Batched"/>; the batch size is bound only when the graph is
/// lowered, so one graph serves every batch size.
/// </summary>
internal sealed class Node
{
    public Node(int id, Op op, Node[] inputs, int[] shape, bool batched, string name)
    {
        Id = id; Op = op; Inputs = inputs; Shape = shape; Batched = batched; Name = name;
        InnerSize = ShapeSize.Of(shape, $"Graph node \"{name}\"");   // once: steps read it without allocating
    }

    public int Id { get; }
    public Op Op { get; }
    public Node[] Inputs { get; }
    /// <summary>Dimensions after the batch axis (all dimensions when not batched).</summary>
    public int[] Shape { get; }
    public bool Batched { get; }
    public string Name { get; }
    /// <summary>True when the value depends on a trainable parameter (so autodiff needs its gradient).</summary>
    public bool RequiresGrad { get; set; }

    /// <summary>Elements per batch row (or in total when not batched).</summary>
    public int InnerSize { get; }

    /// <summary>Last dimension (1 for a scalar or a per-row value).</summary>
    public int Cols => Shape.Length == 0 ? 1 : Shape[^1];

    /// <summary>Number of elements for a given batch size.</summary>
    public int Size(int batch)
    {
        long size = (Batched ? batch : 1) * (long)InnerSize;
        return size <= int.MaxValue ? (int)size
            : throw new ArgumentException($"Graph node \"{Name}\": expected at most {int.MaxValue} values in one buffer. Received: batch {batch} × {InnerSize} values per sample = {size}. Use a smaller batch size.");
    }

    /// <summary>Rows when viewed as a matrix (…, Cols): everything but the last dimension.</summary>
    public int Rows(int batch) => Size(batch) / Math.Max(1, Cols);

    public override string ToString() => $"%{Id} {Name} = {Op.Name}({string.Join(", ", Inputs.Select(i => "%" + i.Id))}) {(Batched ? "[B]" : "")}{Tensor.FormatShape(Shape)}";
}
