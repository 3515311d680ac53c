using SequentialNet.Graph;

namespace SequentialNet.Layers;

/// <summary>
/// Base of the layers that combine several tensors (Keras's <c>Merge</c>): apply them with
/// <c>layer.Apply(a, b, …)</c>. The elementwise ones need inputs of one shape (no broadcasting; the error
/// names both shapes). They have no weights.
/// </summary>
public abstract class Merge : Layer
{
    /// <summary>Stores the name.</summary>
    protected Merge(string? name) : base(name) { }

    internal override (int Min, int Max) InputArity => (2, int.MaxValue);

    internal override void BuildFor(int[][] inputShapes)
    {
        CheckShapes(inputShapes);
        MarkBuilt(inputShapes[0]);
    }

    internal override int[][] OutputShapesFor(int[][] inputShapes)
    {
        CheckShapes(inputShapes);
        return [OutputShape(inputShapes)];
    }

    /// <summary>A merge layer takes several inputs: use <see cref="Layer.Apply"/> with all of them.</summary>
    /// <exception cref="InvalidOperationException">Always.</exception>
    public override int[] ComputeOutputShape(int[] inputShape)
        => throw new InvalidOperationException($"Layer \"{Name}\" ({GetType().Name}) merges several inputs: apply it to all of them with Apply(a, b, …).");

    internal override Node Call(LayerContext ctx, Node x) => throw new InvalidOperationException($"Layer \"{Name}\" ({GetType().Name}) merges several inputs: apply it to all of them with Apply(a, b, …).");

    internal override Node[] CallAll(LayerContext ctx, Node[] inputs) => [Combine(ctx.Graph, inputs)];

    /// <summary>Checks the inputs' shapes; the default wants them all equal.</summary>
    private protected virtual void CheckShapes(int[][] shapes)
    {
        for (int i = 1; i < shapes.Length; i++)
            if (!shapes[i].AsSpan().SequenceEqual(shapes[0]))
                throw new ArgumentException($"Layer \"{Name}\" ({GetType().Name}) expected inputs of the same shape. Received: {string.Join(" and ", shapes.Select(Format))}.");
    }

    /// <summary>The output shape; the default is the (common) input shape.</summary>
    private protected virtual int[] OutputShape(int[][] shapes) => (int[])shapes[0].Clone();

    /// <summary>Emits the ops that combine <paramref name="inputs"/>.</summary>
    private protected abstract Node Combine(GraphBuilder g, Node[] inputs);

    /// <summary>Folds a binary op over the inputs, left to right.</summary>
    private protected static Node Fold(Node[] inputs, Func<Node, Node, Node> op)
    {
        Node result = inputs[0];
        for (int i = 1; i < inputs.Length; i++) result = op(result, inputs[i]);
        return result;
    }

    /// <summary>"(None, 64)", Keras's way of writing a batch shape.</summary>
    private protected static string Format(int[] shape) => "(None, " + string.Join(", ", shape) + ")";
}
