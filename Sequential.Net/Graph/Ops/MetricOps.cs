using SequentialNet.Backends;

namespace SequentialNet.Graph.Ops;

/// <summary>acc[index] += rows whose target class is in the top k predictions (top-k accuracy metrics).</summary>
internal sealed class CountTopKOp(int index, int k, bool sparse) : Op
{
    public override string Name => $"count_top_k[{index}]";
    public override bool HasSideEffects => true;

    public override void Run(IBackend backend, in OpArgs args)
    {
        Node p = args.Node.Inputs[0];
        backend.CountTopK(args[0], args[1], args.State.Accumulators, index, p.Rows(args.Batch), p.Cols, k, sparse);
    }

    public override void Reference(ReferenceContext ctx, double[][] inputs, double[] output, Node node, int batch) { }
}

/// <summary>acc[index + 4i ..] += (TP, FP, TN, FN) at each of <c>count</c> thresholds over all elements (precision, recall, AUC).</summary>
internal sealed class CountThresholdsOp(int index, int count, float first, float last) : Op
{
    public override string Name => $"count_thresholds[{index}]";
    public override bool HasSideEffects => true;

    public override void Run(IBackend backend, in OpArgs args)
    {
        Node p = args.Node.Inputs[0];
        backend.CountThresholds(args[0], args[1], args.State.Accumulators, index, p.Size(args.Batch), count, first, last);
    }

    public override void Reference(ReferenceContext ctx, double[][] inputs, double[] output, Node node, int batch) { }
}
