using SequentialNet.Graph;

namespace SequentialNet.Layers;

/// <summary>Returns its input unchanged (Keras's <c>Identity</c>): a named placeholder in a graph, no op runs.</summary>
public sealed class Identity(string? name = null) : Layer(name)
{
    /// <inheritdoc/>
    public override int[] ComputeOutputShape(int[] inputShape) => inputShape;

    internal override Node Call(LayerContext ctx, Node x) => x;
}
