using SequentialNet.Graph;

namespace SequentialNet;

/// <summary>
/// An activation function usable wherever Keras accepts one: <c>activation: "relu"</c> and
/// <c>activation: Activations.Relu</c> mean the same. Unknown names fail at once, listing the known ones.
/// </summary>
public sealed class ActivationFunction
{
    internal ActivationFunction(string name, Func<GraphBuilder, Node, Node> apply, IReadOnlyDictionary<string, object?>? config = null,
        Func<GraphBuilder, Node, Node, Node, Node>? dense = null)
    {
        Name = name; Apply = apply; Config = config; Dense = dense;
    }

    /// <summary>
    /// Emits f(x·W + b) as one fused Dense op (x, W, b in that order), or null when f cannot be fused because its
    /// gradient needs the pre-activation; a Dense layer then fuses the bias only and applies <see cref="Apply"/>.
    /// </summary>
    internal Func<GraphBuilder, Node, Node, Node, Node>? Dense { get; }

    /// <summary>Arguments beyond the name (leaky_relu's negative_slope), saved with the model; null when there are none.</summary>
    internal IReadOnlyDictionary<string, object?>? Config { get; }

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
