using SequentialNet.Backends;

namespace SequentialNet.Graph.Ops;

/// <summary>An input, label or parameter: its buffer is bound from outside; nothing runs.</summary>
internal sealed class PlaceholderOp(string kind) : Op
{
    public override string Name => kind;

    public override void Run(IBackend backend, in OpArgs args) { }

    public override void Reference(ReferenceContext ctx, double[][] inputs, double[] output, Node node, int batch)
        => throw new InvalidOperationException($"Placeholder {node.Name} has no value: feed it.");

    public override Node?[] Backward(GraphBuilder g, Node node, Node outputGrad) => [];
}
