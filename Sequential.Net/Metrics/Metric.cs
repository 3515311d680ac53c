using SequentialNet.Graph;

namespace SequentialNet.Metrics;

/// <summary>
/// A metric reported during Fit and Evaluate. It emits ops that add per-batch sums into
/// <see cref="Slots"/> consecutive device accumulators; the reported value is <see cref="Result"/> of
/// those sums (by default the one sum over the epoch divided by the number of samples).
/// Keras names convert implicitly: <c>metrics: ["accuracy"]</c>.
/// </summary>
public abstract class Metric
{
    /// <summary>Name in logs and History, e.g. "accuracy".</summary>
    public abstract string Name { get; }

    /// <summary>Number of consecutive accumulator slots the metric adds into (1 for a per-sample mean).</summary>
    internal virtual int Slots => 1;

    /// <summary>The reported value from the metric's accumulated <paramref name="slots"/> after <paramref name="samples"/> samples.</summary>
    internal virtual double Result(ReadOnlySpan<float> slots, int samples) => slots[0] / Math.Max(1, samples);

    /// <summary>Emits ops adding this batch's sums into accumulators [<paramref name="index"/>, index + <see cref="Slots"/>).</summary>
    internal abstract void Emit(GraphBuilder g, Node output, Node labels, bool sparseLabels, int index);

    /// <summary>argmax(softmax(z)) = argmax(z): read the logits so the training graph need not run the softmax.</summary>
    internal static Node ArgMaxInput(Node output) => output.Op is Graph.Ops.SoftmaxOp ? output.Inputs[0] : output;

    /// <summary>Keras-style configuration (the name, and the constructor arguments of metrics that have any), saved with the model.</summary>
    public virtual Dictionary<string, object?> GetConfig() => new() { ["name"] = Name };

    /// <summary>"max" when larger is better (accuracy), "min" otherwise (errors).</summary>
    public virtual string Direction => "max";

    /// <summary>Looks up a metric by Keras name.</summary>
    public static implicit operator Metric(string name) => Get(name);

    private static readonly Dictionary<string, Func<Metric>> ByName = new(StringComparer.Ordinal)
    {
        ["accuracy"] = () => new Accuracy(), ["acc"] = () => new Accuracy(),
        ["binary_accuracy"] = () => new BinaryAccuracy(),
        ["categorical_accuracy"] = () => new CategoricalAccuracy(),
        ["sparse_categorical_accuracy"] = () => new SparseCategoricalAccuracy(),
        ["mean_absolute_error"] = () => new MeanAbsoluteError(), ["mae"] = () => new MeanAbsoluteError(),
        ["top_k_categorical_accuracy"] = () => new TopKCategoricalAccuracy(),
        ["sparse_top_k_categorical_accuracy"] = () => new SparseTopKCategoricalAccuracy(),
        ["precision"] = () => new Precision(), ["recall"] = () => new Recall(), ["auc"] = () => new AUC(),
    };

    /// <summary>The metric called <paramref name="name"/>.</summary>
    /// <exception cref="ArgumentException">Unknown name (the message lists the known ones).</exception>
    public static Metric Get(string name) => (s_names ??= NameTable<Metric>.From("metric", ByName)).Get(name);

    private static NameTable<Metric>? s_names;   // names as Keras resolves them: any case, class names too
}
