using SequentialNet.Graph;

namespace SequentialNet.Layers;

/// <summary>Elementwise mean of the inputs (Keras's <c>Average</c>). Apply it to two or more tensors of one shape.</summary>
public sealed class Average(string? name = null) : Merge(name)
{
    private protected override Node Combine(GraphBuilder g, Node[] inputs) => g.Scale(Fold(inputs, g.AddN), 1f / inputs.Length);
}
