using SequentialNet.Graph;

namespace SequentialNet.Layers;

/// <summary>Elementwise sum of the inputs (Keras's <c>Add</c>). Apply it to two or more tensors of one shape.</summary>
public sealed class Add(string? name = null) : Merge(name)
{
    private protected override Node Combine(GraphBuilder g, Node[] inputs) => Fold(inputs, g.AddN);
}
