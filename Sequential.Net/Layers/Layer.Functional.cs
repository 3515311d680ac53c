using SequentialNet.Graph;

namespace SequentialNet.Layers;

// The functional API: a layer applied to symbolic tensors records a call node (Keras's layer(x)).
public abstract partial class Layer
{
    /// <summary>
    /// Applies the layer to symbolic tensors (Keras's <c>layer(x)</c> or <c>layer([a, b])</c>): the layer is
    /// built for their shapes now, and the call is recorded so that a <see cref="Model"/> made from
    /// <see cref="Input"/>s to the result runs it. A layer applied twice shares its weights. Returns the
    /// layer's output; use <see cref="ApplyAll"/> for a layer (a model) with several outputs.
    /// </summary>
    /// <exception cref="ArgumentException">Wrong number of inputs, or inputs the layer cannot take (the message names the layer and the shapes).</exception>
    public KerasTensor Apply(params KerasTensor[] inputs)
    {
        var outputs = ApplyAll(inputs);
        if (outputs.Length != 1)
            throw new InvalidOperationException($"Layer \"{Name}\" ({GetType().Name}) has {outputs.Length} outputs. Use ApplyAll to receive them all.");
        return outputs[0];
    }

    /// <summary>Applies the layer to symbolic tensors and returns every output, in order (see <see cref="Apply"/>).</summary>
    public KerasTensor[] ApplyAll(params KerasTensor[] inputs) => CallNode.Record(this, inputs).Outputs;

    /// <summary>How many inputs a call takes: one for most layers, two or more for merge layers.</summary>
    internal virtual (int Min, int Max) InputArity => (1, 1);

    /// <summary>Builds the layer for a call on inputs of <paramref name="inputShapes"/> (each without the batch axis).</summary>
    internal virtual void BuildFor(int[][] inputShapes) => Build(inputShapes[0]);

    /// <summary>The output shapes of a call on inputs of <paramref name="inputShapes"/>.</summary>
    internal virtual int[][] OutputShapesFor(int[][] inputShapes) => [ComputeOutputShape((int[])inputShapes[0].Clone())];

    /// <summary>Emits the ops of one call on <paramref name="inputs"/>; returns the output nodes.</summary>
    internal virtual Node[] CallAll(LayerContext ctx, Node[] inputs) => [Call(ctx, inputs[0])];

    /// <summary>Marks a layer without weights as built (a merge layer takes many shapes).</summary>
    private protected void MarkBuilt(int[] inputShape) => _builtInputShape ??= (int[])inputShape.Clone();
}
