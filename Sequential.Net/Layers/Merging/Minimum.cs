using SequentialNet.Graph;

namespace SequentialNet.Layers;

/// <summary>Elementwise minimum of the inputs (Keras's <c>Minimum</c>); the gradient goes to the smaller input (the first on a tie). Apply it to two or more tensors of one shape.</summary>
public sealed class Minimum(string? name = null) : Merge(name)
{
    private protected override Node Combine(GraphBuilder g, Node[] inputs) => Fold(inputs, (a, b) => g.Binary(new Backends.Min(), a, b));
}
