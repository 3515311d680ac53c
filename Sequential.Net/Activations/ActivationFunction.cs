using SequentialNet.Graph;

namespace SequentialNet;

/// <summary>
/// An activation function usable wherever Keras accepts one: <c>activation: "relu"</c> and
/// <c>activation: Activations.Relu</c> mean the same. Unknown names fail at once, listing the known ones.
/// </summary>
public sealed class ActivationFunction
{
    internal ActivationFunction(string name, Func<GraphBuilder, Node, Node> apply)
    {
        Name = name; Apply = apply;
    }

    /// <summary>Keras name, e.g. "relu".</summary>
    public string Name { get; }

    /// <summary>Emits the activation's ops.</summary>
    internal Func<GraphBuilder, Node, Node> Apply { get; }

    /// <summary>True for softmax, which a cross-entropy loss fuses with.</summary>
    internal bool IsSoftmax => Name == "softmax";

    /// <summary>True for linear (no op emitted).</summary>
    internal bool IsLinear => Name == "linear";

    /// <summary>Looks a name up in <see cref="Activations"/>.</summary>
    public static implicit operator ActivationFunction(string name) => Activations.Get(name);

    /// <inheritdoc/>
    public override string ToString() => Name;
}
