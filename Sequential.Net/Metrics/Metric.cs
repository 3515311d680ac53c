using SequentialNet.Graph;

namespace SequentialNet.Metrics;

/// <summary>
/// A metric reported during Fit and Evaluate. It emits ops that add per-batch sums into
/// <see cref="Slots"/> consecutive device accumulators; the reported value is computed from
/// those sums (by default the one sum over the epoch divided by the number of samples).
/// As in Keras 3, a metric given to <c>Compile(metrics:)</c> ignores sample and class weights; the same
/// metric given to <c>Compile(weightedMetrics:)</c> is weighted by them: a mean metric (accuracy in every
/// form, top-k, MAE) then reports Σ w·v / Σ w (0 when Σ w = 0, Keras's divide_no_nan), and the confusion
/// metrics (Precision, Recall, AUC) count each element with its sample's weight.
/// A metric object also works on its own, as Keras's: <see cref="UpdateState"/>, <see cref="Result()"/>,
/// <see cref="ResetState"/>. Keras names convert implicitly: <c>metrics: ["accuracy"]</c>.
/// </summary>
public abstract partial class Metric
{
    /// <summary>Name in logs and History, e.g. "accuracy".</summary>
    public abstract string Name { get; }

    /// <summary>Number of consecutive accumulator slots the metric adds into (1 for a per-sample mean).</summary>
    internal virtual int Slots => 1;

    /// <summary>
    /// Sizes the metric's state from the shape of one sample of the output it measures (Keras's metric
    /// <c>build</c>): Compile calls it for every metric before laying out the accumulator slots, and
    /// <see cref="UpdateState"/> before each batch. Metrics whose state depends on the output width (F-beta, R²)
    /// check the shape here and throw a clear error naming the metric, the expected and the received width.
    /// </summary>
    /// <param name="sampleShape">The output shape without the batch axis, e.g. [classes].</param>
    /// <param name="forCompile">True from Compile, where a metric must report a single number per log entry.</param>
    internal virtual void BuildFor(int[] sampleShape, bool forCompile) { }

    /// <summary>
    /// Rows of the output per sample: the product of the sample shape without its last axis (16 for a 4 × 4 image
    /// output, 1 for a vector). A mean metric's values are per row, and Keras reduces each sample's values to
    /// their mean before averaging over samples, so the unweighted count is samples · rows.
    /// </summary>
    internal int RowsPerSample { get; private set; } = 1;

    /// <summary>Records <see cref="RowsPerSample"/> for <paramref name="sampleShape"/>, then <see cref="BuildFor"/>.</summary>
    internal void Prepare(int[] sampleShape, bool forCompile)
    {
        long rows = 1;
        for (int i = 0; i < sampleShape.Length - 1; i++) rows *= sampleShape[i];
        RowsPerSample = checked((int)rows);
        BuildFor(sampleShape, forCompile);
    }

    /// <summary>
    /// True for a per-sample mean (Keras's MeanMetricWrapper: Σ v / N, weighted Σ w·v / Σ w); false for the
    /// confusion metrics, whose result is a ratio of (weighted) counts.
    /// </summary>
    internal virtual bool IsMean => true;

    /// <summary>
    /// The reported value from the metric's accumulated <paramref name="slots"/> after <paramref name="samples"/>
    /// unweighted samples. A mean metric: <see cref="FromMean"/> of the sum over the samples' rows.
    /// </summary>
    internal virtual double Result(ReadOnlySpan<float> slots, int samples) => FromMean(slots[0], (float)samples * RowsPerSample);

    /// <summary>
    /// A mean metric's value from its <paramref name="total"/> Σ w·v and <paramref name="count"/> Σ w (the samples
    /// when unweighted): Keras's Mean, total / count in float32, 0 when count is 0 (divide_no_nan).
    /// </summary>
    internal virtual double FromMean(float total, float count) => count == 0f ? 0.0 : total / count;

    /// <summary>
    /// Emits ops adding this batch's sums into accumulators [<paramref name="index"/>, index + <see cref="Slots"/>).
    /// <paramref name="weights"/>: null for an unweighted metric, else one weight per row of
    /// <paramref name="output"/> seen as (rows, last dimension), each row's sums multiplied by its weight.
    /// </summary>
    internal abstract void Emit(GraphBuilder g, Node output, Node labels, Node? weights, bool sparseLabels, int index);

    /// <summary>
    /// Emits the metric into a compiled graph whose per-sample weight input is <paramref name="sampleWeights"/>:
    /// a metric of <c>Compile(metrics:)</c> ignores it (Keras 3); <see cref="WeightedMetric"/> overrides this.
    /// </summary>
    internal virtual void EmitCompiled(GraphBuilder g, Node output, Node labels, Node? sampleWeights, bool sparseLabels, int index)
        => Emit(g, output, labels, null, sparseLabels, index);

    /// <summary>Checks that <paramref name="weights"/> (when given) has one weight per row of <paramref name="output"/>.</summary>
    internal void RequireRowWeights(Node output, Node? weights)
    {
        int rows = output.InnerSize / Math.Max(1, output.Cols);
        if (weights != null && weights.InnerSize != rows)
            throw new ArgumentException($"Metric \"{Name}\": expected one sample weight per prediction row ({rows} per sample for an output of shape (N, {string.Join(", ", output.Shape)})). Received: {weights.InnerSize} per sample.");
    }

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
        ["mean_squared_error"] = () => new MeanSquaredError(), ["mse"] = () => new MeanSquaredError(),
        ["root_mean_squared_error"] = () => new RootMeanSquaredError(), ["rmse"] = () => new RootMeanSquaredError(),
        ["mean_absolute_percentage_error"] = () => new MeanAbsolutePercentageError(), ["mape"] = () => new MeanAbsolutePercentageError(),
        ["mean_squared_logarithmic_error"] = () => new MeanSquaredLogarithmicError(), ["msle"] = () => new MeanSquaredLogarithmicError(),
        ["cosine_similarity"] = () => new CosineSimilarity(),
        ["logcosh"] = () => new LogCoshError(), ["log_cosh_error"] = () => new LogCoshError(),
        ["top_k_categorical_accuracy"] = () => new TopKCategoricalAccuracy(),
        ["sparse_top_k_categorical_accuracy"] = () => new SparseTopKCategoricalAccuracy(),
        ["precision"] = () => new Precision(), ["recall"] = () => new Recall(), ["auc"] = () => new AUC(),
        ["f1_score"] = () => new F1Score(), ["fbeta_score"] = () => new FBetaScore(), ["r2_score"] = () => new R2Score(),
    };

    /// <summary>The metric called <paramref name="name"/>.</summary>
    /// <exception cref="ArgumentException">Unknown name (the message lists the known ones).</exception>
    public static Metric Get(string name) => (s_names ??= NameTable<Metric>.From("metric", ByName)).Get(name);

    private static NameTable<Metric>? s_names;   // names as Keras resolves them: any case, class names too
}
