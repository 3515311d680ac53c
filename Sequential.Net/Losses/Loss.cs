using SequentialNet.Backends;
using SequentialNet.Graph;
using SequentialNet.Graph.Ops;

namespace SequentialNet.Losses;

/// <summary>
/// A loss: per-sample values reduced by the mean over the batch (Keras "sum_over_batch_size").
/// Keras names convert implicitly: <c>loss: "sparse_categorical_crossentropy"</c>; names are resolved as
/// Keras resolves them (<see cref="NameTable{T}"/>: "mse", "MSE", "mean_squared_error", "MeanSquaredError").
/// </summary>
public abstract class Loss
{
    /// <summary>Keras name, e.g. "mean_squared_error".</summary>
    public abstract string Name { get; }

    /// <summary>True when targets are class indices (one per sample) rather than arrays shaped like the output.</summary>
    public virtual bool SparseLabels => false;

    /// <summary>
    /// Emits the per-sample loss of <paramref name="output"/> against <paramref name="labels"/>. When the
    /// model output is a softmax (or sigmoid) and this loss works on probabilities, it fuses with it.
    /// </summary>
    internal abstract Node PerSample(GraphBuilder g, Node output, Node labels);

    /// <summary>Checks targets against the model output shape before any training runs.</summary>
    internal virtual void ValidateLabels(Tensor y, int[] outputShape, string argument)
    {
        int[] expected = outputShape;
        if (y.RowLength != Product(expected))
            throw new ArgumentException($"Loss \"{Name}\": expected {argument} with shape (N, {string.Join(", ", expected)}) to match the model output. Received: {Tensor.FormatShape(y.Shape)}.", argument);
    }

    /// <summary>Keras-style configuration.</summary>
    public virtual Dictionary<string, object?> GetConfig() => new() { ["name"] = Name };

    /// <summary>Looks up a loss by Keras name.</summary>
    public static implicit operator Loss(string name) => Get(name);

    private static readonly Dictionary<string, Func<Loss>> ByName = new(StringComparer.Ordinal)
    {
        ["sparse_categorical_crossentropy"] = () => new SparseCategoricalCrossentropy(),
        ["categorical_crossentropy"] = () => new CategoricalCrossentropy(),
        ["binary_crossentropy"] = () => new BinaryCrossentropy(), ["bce"] = () => new BinaryCrossentropy(),
        ["mean_squared_error"] = () => new MeanSquaredError(), ["mse"] = () => new MeanSquaredError(),
        ["mean_absolute_error"] = () => new MeanAbsoluteError(), ["mae"] = () => new MeanAbsoluteError(),
        ["huber"] = () => new Huber(),
    };

    /// <summary>The loss called <paramref name="name"/>.</summary>
    /// <exception cref="ArgumentException">Unknown name (the message lists the known ones).</exception>
    public static Loss Get(string name) => Names.Get(name);

    private static NameTable<Loss>? s_names;

    /// <summary>Every name of every built-in loss (any letter case; class names too).</summary>
    internal static NameTable<Loss> Names => s_names ??= NameTable<Loss>.From("loss", ByName);

    internal static int Product(int[] shape)
    {
        int n = 1; foreach (int d in shape) n *= d;
        return n;
    }

    /// <summary>The input of a softmax/sigmoid output node, for fusing; null when the output is something else.</summary>
    internal static Node? LogitsBehind<TActivation>(Node output) where TActivation : Op
        => output.Op is TActivation ? output.Inputs[0] : null;
}
