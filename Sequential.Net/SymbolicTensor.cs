using SequentialNet.Graph;
using SequentialNet.Layers;

namespace SequentialNet;

/// <summary>
/// A value of the model's static graph as a custom layer sees it in <see cref="Layer.Call(SymbolicTensor, bool)"/>
/// (Keras's symbolic <c>KerasTensor</c>): no numbers, only a shape and the ops that produce it. Each op
/// below emits one graph op whose gradient is already defined, so a layer written with them trains on
/// every backend with no further code. <see cref="Shape"/> excludes the batch axis of batched values;
/// a weight (<see cref="Weight"/>) has no batch axis.
/// </summary>
public sealed class SymbolicTensor
{
    internal SymbolicTensor(LayerContext context, Node node)
    {
        Context = context; Node = node;
    }

    internal LayerContext Context { get; }
    internal Node Node { get; }

    /// <summary>Dimensions after the batch axis (all dimensions of a weight).</summary>
    public int[] Shape => (int[])Node.Shape.Clone();

    /// <summary>True for per-sample values (the layer's inputs and what is computed from them); false for weights.</summary>
    public bool HasBatchAxis => Node.Batched;

    /// <summary>The weight <paramref name="variable"/> as a symbolic value of this graph (no batch axis).</summary>
    public SymbolicTensor Weight(Variable variable)
    {
        ArgumentNullException.ThrowIfNull(variable);
        return new(Context, Context.Param(variable));
    }

    /// <summary>x·W over the last axis: (…, in)·(in, out) → (…, out), as Dense does.</summary>
    /// <exception cref="InvalidOperationException">W is not 2-D or its first dimension is not the last of x.</exception>
    public SymbolicTensor MatMul(Variable kernel)
    {
        ArgumentNullException.ThrowIfNull(kernel);
        if (kernel.Shape.Length != 2 || kernel.Shape[0] != Node.Cols)
            throw new InvalidOperationException($"MatMul: expected a kernel of shape ({Node.Cols}, units) for an input of shape {Tensor.FormatShape(Node.Shape)}. Received: {kernel.Name} {Tensor.FormatShape(kernel.Shape)}.");
        return With(Context.Graph.MatMul(Node, Context.Param(kernel)));
    }

    /// <summary>x·W with W a symbolic weight value (from <see cref="Weight"/> and ops on it): (…, in)·(in, out) → (…, out).</summary>
    /// <exception cref="InvalidOperationException">W has a batch axis, is not 2-D, or its first dimension is not the last of x.</exception>
    public SymbolicTensor MatMul(SymbolicTensor kernel)
    {
        ArgumentNullException.ThrowIfNull(kernel);
        Pair(this, kernel);
        if (kernel.Node.Batched || kernel.Node.Shape.Length != 2 || kernel.Node.Shape[0] != Node.Cols)
            throw new InvalidOperationException($"MatMul: expected a weight value of shape ({Node.Cols}, units) for an input of shape {Tensor.FormatShape(Node.Shape)}. Received: {kernel}.");
        return With(Context.Graph.MatMul(Node, kernel.Node));
    }

    /// <summary>Adds a 1-D <paramref name="bias"/> to every row (its length must be the last dimension).</summary>
    public SymbolicTensor Add(Variable bias)
    {
        ArgumentNullException.ThrowIfNull(bias);
        return With(Context.Graph.BiasAdd(Node, Context.Param(bias)));
    }

    /// <summary>Applies an activation: <c>x.Apply("relu")</c>.</summary>
    public SymbolicTensor Apply(ActivationFunction activation)
    {
        ArgumentNullException.ThrowIfNull(activation);
        return With(activation.Apply(Context.Graph, Node));
    }

    /// <summary>Softmax over the last axis.</summary>
    public SymbolicTensor Softmax() => With(Context.Graph.Softmax(Node));

    /// <summary>Reshapes each sample (the batch axis stays) to <paramref name="shape"/>, which holds as many values.</summary>
    public SymbolicTensor Reshape(params int[] shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        foreach (int d in shape)
            if (d <= 0) throw new InvalidOperationException($"Reshape: expected every dimension > 0. Received: {Tensor.FormatShape(shape)}.");
        return With(Context.Graph.Reshape(Node, (int[])shape.Clone()));
    }

    /// <summary>Elementwise sum of two values of the same shape.</summary>
    public static SymbolicTensor operator +(SymbolicTensor a, SymbolicTensor b) => Pair(a, b).With(a.Context.Graph.Binary(new Backends.Add(), a.Node, b.Node));

    /// <summary>Elementwise difference of two values of the same shape.</summary>
    public static SymbolicTensor operator -(SymbolicTensor a, SymbolicTensor b) => Pair(a, b).With(a.Context.Graph.Binary(new Backends.Sub(), a.Node, b.Node));

    /// <summary>Elementwise product of two values of the same shape.</summary>
    public static SymbolicTensor operator *(SymbolicTensor a, SymbolicTensor b) => Pair(a, b).With(a.Context.Graph.Binary(new Backends.Mul(), a.Node, b.Node));

    /// <summary>Every element times a constant.</summary>
    public static SymbolicTensor operator *(SymbolicTensor x, float alpha) => NotNull(x).With(x.Context.Graph.Scale(x.Node, alpha));

    /// <summary>Every element times a constant.</summary>
    public static SymbolicTensor operator *(float alpha, SymbolicTensor x) => x * alpha;

    /// <inheritdoc/>
    public override string ToString() => $"SymbolicTensor(shape={Tensor.FormatShape(Node.Shape)}{(Node.Batched ? ", batched" : "")})";

    private SymbolicTensor With(Node node) => new(Context, node);

    private static SymbolicTensor NotNull(SymbolicTensor? x) => x ?? throw new ArgumentNullException(nameof(x));

    private static SymbolicTensor Pair(SymbolicTensor? a, SymbolicTensor? b)
    {
        NotNull(a); NotNull(b);
        if (!ReferenceEquals(a!.Context, b!.Context))
            throw new InvalidOperationException("Expected two SymbolicTensors of the same graph. Received: tensors from different Call invocations (keep no SymbolicTensor between calls).");
        return a;
    }
}
