using SequentialNet.Backends;

namespace SequentialNet.Graph.Ops;

/// <summary>
/// y = x with its axes permuted: output axis k is input axis <see cref="Perm"/>[k] (indices into the node shape;
/// a batched node keeps its batch axis first). The gradient is the inverse permutation.
/// </summary>
internal sealed class PermuteOp(int[] perm) : Op
{
    public int[] Perm { get; } = perm;
    public override string Name => "permute";

    /// <summary>The full source dimensions and permutation, with the batch axis in front when batched.</summary>
    private (int[] Dims, int[] Perm) Full(Node x, int batch)
        => x.Batched ? ([batch, .. x.Shape], [0, .. Perm.Select(p => p + 1)]) : (x.Shape, Perm);

    public override void Run(IBackend backend, in OpArgs args)
    {
        var (dims, perm) = Full(args.Node.Inputs[0], args.Batch);
        backend.Permute(args[0], args.Output, dims, perm);
    }

    public override void Reference(ReferenceContext ctx, double[][] inputs, double[] output, Node node, int batch)
    {
        var (dims, perm) = Full(node.Inputs[0], batch);
        int rank = dims.Length;
        var strides = new int[rank];
        for (int k = rank - 1, s = 1; k >= 0; k--) { strides[k] = s; s *= dims[k]; }
        for (int i = 0; i < output.Length; i++)
        {
            int rest = i, from = 0;
            for (int k = rank - 1; k >= 0; k--) { from += rest % dims[perm[k]] * strides[perm[k]]; rest /= dims[perm[k]]; }
            output[i] = inputs[0][from];
        }
    }

    public override Node?[] Backward(GraphBuilder g, Node node, Node dy)
    {
        var inverse = new int[Perm.Length];
        for (int k = 0; k < Perm.Length; k++) inverse[Perm[k]] = k;
        return [g.Permute(dy, inverse)];
    }
}
