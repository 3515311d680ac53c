using SequentialNet.Backends;

namespace SequentialNet.Graph.Ops;

/// <summary>A value filled with a constant each run (the seed gradient ∂L/∂L = 1).</summary>
internal sealed class ConstantOp(float value) : Op
{
    public override string Name => "constant";

    public override void Run(IBackend backend, in OpArgs args) => backend.Fill(args.Output, value);

    public override void Reference(ReferenceContext ctx, double[][] inputs, double[] output, Node node, int batch)
        => Array.Fill(output, value);
}
