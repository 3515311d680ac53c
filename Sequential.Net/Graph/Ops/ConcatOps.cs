using SequentialNet.Backends;

namespace SequentialNet.Graph.Ops;

/// <summary>
/// Concatenation along <see cref="Axis"/> (an index into the node shapes): each input is a (rows, block_i)
/// matrix with block_i = the product of its dimensions from the axis on, copied into its column block of the
/// (rows, Σ block_i) output by one strided copy. A view would save the copies only if the producers wrote
/// into the output's column blocks, which the planner does not do; the copies are O(activations).
/// </summary>
internal sealed class ConcatOp(int axis) : Op
{
    public int Axis { get; } = axis;
    public override string Name => "concat";

    internal static int Block(Node n, int axis)
    {
        int b = 1;
        for (int d = axis; d < n.Shape.Length; d++) b *= n.Shape[d];
        return b;
    }

    public override void Run(IBackend backend, in OpArgs args)
    {
        var node = args.Node;
        int total = Block(node, Axis), rows = node.Size(args.Batch) / Math.Max(1, total), offset = 0;
        for (int i = 0; i < node.Inputs.Length; i++)
        {
            int block = Block(node.Inputs[i], Axis);
            backend.CopyColumns(args[i], args.Output, rows, block, block, 0, total, offset);
            offset += block;
        }
    }

    public override void Reference(ReferenceContext ctx, double[][] inputs, double[] output, Node node, int batch)
    {
        int total = Block(node, Axis), rows = output.Length / Math.Max(1, total), offset = 0;
        for (int i = 0; i < inputs.Length; i++)
        {
            int block = Block(node.Inputs[i], Axis);
            for (int r = 0; r < rows; r++) Array.Copy(inputs[i], r * block, output, r * total + offset, block);
            offset += block;
        }
    }

    // d input_i = the input's column block of dy.
    public override Node?[] Backward(GraphBuilder g, Node node, Node dy)
    {
        var grads = new Node?[node.Inputs.Length];
        int total = Block(node, Axis), offset = 0;
        for (int i = 0; i < grads.Length; i++)
        {
            var x = node.Inputs[i];
            int block = Block(x, Axis);
            if (x.RequiresGrad) grads[i] = g.Add(new SliceColumnsOp(offset, block, total), [dy], x.Shape, x.Batched, "concat_grad");
            offset += block;
        }
        return grads;
    }
}

/// <summary>Columns [offset, offset + cols) of a (rows, stride) matrix: the gradient of <see cref="ConcatOp"/>.</summary>
internal sealed class SliceColumnsOp(int offset, int cols, int stride) : Op
{
    public override string Name => "slice_columns";

    public override void Run(IBackend backend, in OpArgs args)
        => backend.CopyColumns(args[0], args.Output, args.Output.Length / Math.Max(1, cols), cols, stride, offset, cols, 0);

    public override void Reference(ReferenceContext ctx, double[][] inputs, double[] output, Node node, int batch)
    {
        int rows = output.Length / Math.Max(1, cols);
        for (int r = 0; r < rows; r++) Array.Copy(inputs[0], r * stride + offset, output, r * cols, cols);
    }
}
