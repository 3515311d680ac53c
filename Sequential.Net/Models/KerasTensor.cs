namespace SequentialNet;

/// <summary>
/// A symbolic value of a functional model (Keras's <c>KerasTensor</c>): a shape and the layer call that
/// produces it, no numbers. Made by <see cref="Input"/> and by <see cref="Layers.Layer.Apply"/>;
/// <see cref="Model"/>'s constructor walks back from its outputs through these to its inputs.
/// </summary>
public class KerasTensor
{
    private protected KerasTensor(int[] shape, string name, CallNode? producer, int outputIndex)
    {
        ShapeWithoutBatch = shape; Name = name; Producer = producer; OutputIndex = outputIndex;
    }

    internal KerasTensor(CallNode producer, int outputIndex, int[] shape)
        : this(shape, outputIndex == 0 ? producer.Layer.Name : $"{producer.Layer.Name}_{outputIndex}", producer, outputIndex) { }

    internal int[] ShapeWithoutBatch { get; }

    /// <summary>The dimensions after the batch axis, e.g. (28, 28, 1) for a batch of (None, 28, 28, 1).</summary>
    public int[] Shape => (int[])ShapeWithoutBatch.Clone();

    /// <summary>The name of the layer that produced it (with the output index for a second output).</summary>
    public string Name { get; }

    /// <summary>The call that produced it; null for an <see cref="Input"/>.</summary>
    internal CallNode? Producer { get; }

    /// <summary>Which output of <see cref="Producer"/> it is.</summary>
    internal int OutputIndex { get; }

    /// <inheritdoc/>
    public override string ToString() => $"<KerasTensor shape=(None, {string.Join(", ", ShapeWithoutBatch)}), name={Name}>";
}
