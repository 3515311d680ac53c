namespace SequentialNet;

/// <summary>
/// A named weight of a layer (Keras <c>layer.weights</c>): a shape, a host copy of its values, and whether
/// the optimizer trains it. While a model is compiled the live copy is on the backend; the model keeps
/// this host copy current whenever user code can observe it (after Fit, on GetWeights, on Save).
/// </summary>
public sealed class Variable
{
    internal Variable(string name, int[] shape, float[] value, bool trainable)
    {
        Name = name; Shape = shape; Value = value; Trainable = trainable;
    }

    /// <summary>Path-like name, e.g. <c>dense_1/kernel</c>.</summary>
    public string Name { get; internal set; }

    /// <summary>Dimensions, e.g. a Dense kernel is (input_dim, units).</summary>
    public int[] Shape { get; }

    /// <summary>Whether gradients update it.</summary>
    public bool Trainable { get; }

    /// <summary>Number of elements.</summary>
    public int Length => Value.Length;

    /// <summary>Host values, row-major.</summary>
    internal float[] Value { get; }

    /// <summary>A copy of the values as a tensor.</summary>
    public Tensor ToTensor() => new((float[])Value.Clone(), Shape);

    /// <inheritdoc/>
    public override string ToString() => $"{Name} {Tensor.FormatShape(Shape)}";
}
