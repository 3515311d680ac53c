using SequentialNet.Graph;

namespace SequentialNet.Layers;

/// <summary>Elementwise maximum of the inputs (Keras's <c>Maximum</c>); the gradient goes to the larger input (the first on a tie). Apply it to two or more tensors of one shape.</summary>
public sealed class Maximum(string? name = null) : Merge(name)
{
    private protected override Node Combine(GraphBuilder g, Node[] inputs) => Fold(inputs, (a, b) => g.Binary(new Backends.Max(), a, b));
}
