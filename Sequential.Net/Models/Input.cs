using SequentialNet.Layers;

namespace SequentialNet;

/// <summary>
/// An input of a functional model (Keras's <c>keras.Input</c>): a symbolic tensor of a given shape
/// (without the batch axis) that layers are applied to. Its <see cref="Layer"/> is
/// the <see cref="InputLayer"/> a model lists; it also converts to that layer, so it may open a
/// <see cref="Sequential"/>: <c>new Sequential(new Input([784]), new Dense(10))</c>.
/// </summary>
public sealed class Input : KerasTensor
{
    /// <summary>A symbolic input of <paramref name="shape"/>; <paramref name="name"/> names it in Fit's dictionaries (default input_layer, input_layer_1, …).</summary>
    /// <exception cref="ArgumentException">A dimension is not positive.</exception>
    public Input(int[] shape, string? name = null) : this(new InputLayer(shape, name)) { }

    internal Input(InputLayer layer) : base(layer.Shape, layer.Name, null, 0)
    {
        Layer = layer;
        layer.Attach(this);
    }

    /// <summary>The layer this input belongs to.</summary>
    public InputLayer Layer { get; }

    /// <summary>The input's layer, so that an <see cref="Input"/> can open a Sequential model.</summary>
    public static implicit operator InputLayer(Input input) => input.Layer;
}
