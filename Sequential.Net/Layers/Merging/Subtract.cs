using SequentialNet.Graph;

namespace SequentialNet.Layers;

/// <summary>a − b for exactly two tensors of one shape (Keras's <c>Subtract</c>).</summary>
public sealed class Subtract(string? name = null) : Merge(name)
{
    internal override (int Min, int Max) InputArity => (2, 2);

    private protected override Node Combine(GraphBuilder g, Node[] inputs) => g.Binary(new Backends.Sub(), inputs[0], inputs[1]);
}
