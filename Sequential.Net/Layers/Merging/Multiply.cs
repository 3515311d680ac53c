using SequentialNet.Graph;

namespace SequentialNet.Layers;

/// <summary>Elementwise product of the inputs (Keras's <c>Multiply</c>). Apply it to two or more tensors of one shape.</summary>
public sealed class Multiply(string? name = null) : Merge(name)
{
    private protected override Node Combine(GraphBuilder g, Node[] inputs) => Fold(inputs, (a, b) => g.Binary(new Backends.Mul(), a, b));
}
