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
    /// <summary>A loss reduced over the batch by <paramref name="reduction"/> (see <see cref="Reduction"/>).</summary>
    /// <exception cref="ArgumentException">An unknown reduction.</exception>
    protected Loss(string reduction = LossReductions.SumOverBatchSize) => Reduction = LossReductions.Check(reduction, GetType().Name);

    /// <summary>
    /// How <see cref="Call"/> reduces the per-sample losses, as Keras's <c>reduction</c>: "sum_over_batch_size"
    /// (the default: Σ w·l / number of values), "sum" (Σ w·l), "mean" (as sum_over_batch_size),
    /// "mean_with_sample_weight" (Σ w·l / Σ w) or "none" (the weighted per-sample values). Fit and Evaluate
    /// train and report the per-batch mean, which the first and third are; the others are refused there.
    /// </summary>
    public string Reduction { get; }

    /// <summary>Keras name, e.g. "mean_squared_error".</summary>
    public abstract string Name { get; }

    /// <summary>True when targets are class indices (one per sample) rather than arrays shaped like the output.</summary>
    public virtual bool SparseLabels => false;

    /// <summary>
    /// Emits the per-sample loss of <paramref name="output"/> against <paramref name="labels"/>. When the
    /// model output is a softmax (or sigmoid) and this loss works on probabilities, it fuses with it.
    /// </summary>
    internal Node PerSample(GraphBuilder g, Node output, Node labels)
    {
        if (!LossReductions.IsBatchMean(Reduction))
            throw new NotSupportedException($"Loss \"{Name}\": a model trains on and reports the per-batch mean, so Compile/Fit/Evaluate expected reduction \"sum_over_batch_size\" or \"mean\". Received: reduction=\"{Reduction}\". Use Call(yTrue, yPred) for other reductions.");
        return Emit(g, output, labels);
    }

    /// <summary>The per-sample loss ops (what <see cref="PerSample"/> emits once the reduction is checked).</summary>
    internal abstract Node Emit(GraphBuilder g, Node output, Node labels);

    /// <summary>
    /// The loss of <paramref name="yPred"/> against <paramref name="yTrue"/> reduced by <see cref="Reduction"/>, as
    /// calling a Keras loss object does (<c>loss(y_true, y_pred, sample_weight)</c>): a tensor of one value, or the
    /// per-sample values for "none". Computed in float64 from the same formulas the backends are tested against.
    /// </summary>
    /// <exception cref="ArgumentException">Shapes that do not fit (the message gives both).</exception>
    public Tensor Call(Tensor yTrue, Tensor yPred, Tensor? sampleWeight = null)
        => LossReductions.Reduce(Reduction, StandaloneLoss.PerSample(this, yTrue, yPred), sampleWeight, Name);

    /// <summary>Checks targets against the model output shape before any training runs.</summary>
    internal virtual void ValidateLabels(Tensor y, int[] outputShape, string argument)
    {
        int[] expected = outputShape;
        if (y.RowLength != Product(expected))
            throw new ArgumentException($"Loss \"{Name}\": expected {argument} with shape (N, {string.Join(", ", expected)}) to match the model output. Received: {Tensor.FormatShape(y.Shape)}.", argument);
    }

    /// <summary>Keras-style configuration.</summary>
    public virtual Dictionary<string, object?> GetConfig() => new() { ["name"] = Name, ["reduction"] = Reduction };

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
        ["mean_absolute_percentage_error"] = () => new MeanAbsolutePercentageError(), ["mape"] = () => new MeanAbsolutePercentageError(),
        ["mean_squared_logarithmic_error"] = () => new MeanSquaredLogarithmicError(), ["msle"] = () => new MeanSquaredLogarithmicError(),
        ["log_cosh"] = () => new LogCosh(),   // "logcosh" is the same key
        ["poisson"] = () => new Poisson(), ["hinge"] = () => new Hinge(), ["squared_hinge"] = () => new SquaredHinge(),
        ["kl_divergence"] = () => new KLDivergence(), ["kld"] = () => new KLDivergence(), ["kullback_leibler_divergence"] = () => new KLDivergence(),
        ["categorical_hinge"] = () => new CategoricalHinge(), ["cosine_similarity"] = () => new CosineSimilarity(),
        ["binary_focal_crossentropy"] = () => new BinaryFocalCrossentropy(),
    };

    /// <summary>The loss called <paramref name="name"/>.</summary>
    /// <exception cref="ArgumentException">Unknown name (the message lists the known ones).</exception>
    public static Loss Get(string name) => Names.Get(name);

    private static NameTable<Loss>? s_names;

    /// <summary>Every name of every built-in loss (any letter case; class names too).</summary>
    internal static NameTable<Loss> Names => s_names ??= NameTable<Loss>.From("loss", ByName);

    internal static int Product(int[] shape) => ShapeSize.Of(shape, "Loss");

    /// <summary>The input of a softmax/sigmoid output node, for fusing; null when the output is something else.</summary>
    internal static Node? LogitsBehind<TActivation>(Node output) where TActivation : Op
        => output.Op is TActivation ? output.Inputs[0] : null;
}
