using SequentialNet.Backends;

namespace SequentialNet.Graph.Ops;

/// <summary>
/// acc[index] += scale·Σx: loss and metric running sums kept on the device. With <paramref name="perRow"/>
/// the scale is also multiplied by the batch rows (a per-batch scalar, such as a regularization penalty,
/// counted once per sample so that dividing by the samples seen averages it over batches).
/// </summary>
internal sealed class AccumulateOp(int index, float scale, bool perRow = false) : Op
{
    public int Index { get; } = index;
    public override string Name => $"accumulate[{Index}]";
    public override bool HasSideEffects => true;

    public override void Run(IBackend backend, in OpArgs args)
        => backend.AccumulateSum(args[0], args.State.Accumulators, Index, perRow ? scale * args.Batch : scale);

    public override void Reference(ReferenceContext ctx, double[][] inputs, double[] output, Node node, int batch) { }
}

/// <summary>dst = src, used where a gradient must land in a fixed buffer but was computed elsewhere.</summary>
internal sealed class CopyOp : Op
{
    public override string Name => "copy";

    public override void Run(IBackend backend, in OpArgs args) => backend.Copy(args[0], args.Output);

    public override void Reference(ReferenceContext ctx, double[][] inputs, double[] output, Node node, int batch)
        => Array.Copy(inputs[0], output, output.Length);
}

/// <summary>
/// The optimizer's update over the flat parameter buffer. Its inputs are the gradient nodes, only so
/// that the planner keeps them alive and orders the step after them; the flat buffers are bound directly.
/// </summary>
internal sealed class OptimizerStepOp(Optimizers.Optimizer optimizer, ParameterStore store, DeviceBuffer[] slots) : Op
{
    public override string Name => $"{optimizer.Name}_step";
    public override bool HasSideEffects => true;

    public override void Run(IBackend backend, in OpArgs args) => optimizer.Step(backend, store, slots, args.State);

    public override void Reference(ReferenceContext ctx, double[][] inputs, double[] output, Node node, int batch) { }
}
