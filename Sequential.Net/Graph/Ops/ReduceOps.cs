using SequentialNet.Backends;

namespace SequentialNet.Graph.Ops;

/// <summary>A scalar: Σx, or the mean when <paramref name="mean"/> (Keras "sum_over_batch_size").</summary>
internal sealed class SumAllOp(bool mean) : Op
{
    public override string Name => mean ? "mean" : "sum";

    public override void Run(IBackend backend, in OpArgs args)
    {
        int n = args.Node.Inputs[0].Size(args.Batch);
        backend.SumAll(args[0], args.Output, mean ? 1f / n : 1f);
    }

    public override void Reference(ReferenceContext ctx, double[][] inputs, double[] output, Node node, int batch)
    {
        double s = 0;
        foreach (double v in inputs[0]) s += v;
        output[0] = mean ? s / inputs[0].Length : s;
    }

    public override Node?[] Backward(GraphBuilder g, Node node, Node dy)
        => [g.Broadcast(dy, node.Inputs[0], 1f, divideBySize: mean)];
}

/// <summary>y = scale·s[0] in every element, shaped like the second input (which is only read for its shape).</summary>
internal sealed class BroadcastScalarOp(float scale, bool divideBySize) : Op
{
    public override string Name => "broadcast";

    private float Factor(int size) => divideBySize ? scale / size : scale;

    public override void Run(IBackend backend, in OpArgs args)
        => backend.BroadcastScalar(args[0], args.Output, Factor(args.Output.Length));

    public override void Reference(ReferenceContext ctx, double[][] inputs, double[] output, Node node, int batch)
    {
        double v = inputs[0][0] * (divideBySize ? (double)scale / output.Length : scale);
        Array.Fill(output, v);
    }

    // y_i = c·s ⇒ ds = c·Σ dy_i, with c = scale (or scale/size, a mean's backward).
    public override Node?[] Backward(GraphBuilder g, Node node, Node dy)
    {
        Node sum = g.Add(new SumAllOp(mean: divideBySize), [dy], [], batched: false);
        return [scale == 1f ? sum : g.Scale(sum, scale), null];
    }
}

/// <summary>
/// A dropout mask shaped like its input: 1/(1−rate) with probability 1−rate, else 0, drawn from Philox
/// at (seed, RNG step, stream). Multiplying by it is the whole dropout op, and its gradient comes free.
/// </summary>
internal sealed class DropoutMaskOp(float rate, uint stream) : Op
{
    public float Rate { get; } = rate;
    public uint Stream { get; } = stream;
    public override string Name => "dropout_mask";

    public override void Run(IBackend backend, in OpArgs args)
        => backend.DropoutMask(args.Output, Rate, args.State.Seed, Stream, args.State.Counters);

    public override void Reference(ReferenceContext ctx, double[][] inputs, double[] output, Node node, int batch)
    {
        double keep = 1.0 / (1.0 - Rate);
        for (int i = 0; i < output.Length; i++)
            output[i] = Philox.Uniform(ctx.Seed, (uint)ctx.RngStep, Stream, (uint)i) >= Rate ? keep : 0;
    }

    public override Node?[] Backward(GraphBuilder g, Node node, Node dy) => [null];
}
