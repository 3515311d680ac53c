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

    /// <summary>Host values, row-major. Whoever writes them calls <see cref="Changed"/>.</summary>
    internal float[] Value { get; }

    private static long _versions;

    /// <summary>
    /// Bumped (from one global counter) each time the host values change, so every compiled model that
    /// holds a device copy of this variable (a layer shared by two models) sees that its copy is stale.
    /// </summary>
    internal long Version { get; private set; } = Interlocked.Increment(ref _versions);

    /// <summary>Records that <see cref="Value"/> was written; returns the new version.</summary>
    internal long Changed() => Version = Interlocked.Increment(ref _versions);

    /// <summary>
    /// Serializes host-side copies between any model's device state and the shared host values, so a
    /// model that downloads a shared layer's weights never races one that uploads them.
    /// </summary>
    internal static readonly Lock HostSync = new();

    /// <summary>A copy of the values as a tensor.</summary>
    public Tensor ToTensor() => new((float[])Value.Clone(), Shape);

    /// <inheritdoc/>
    public override string ToString() => $"{Name} {Tensor.FormatShape(Shape)}";
}
