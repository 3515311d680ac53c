using SequentialNet.Graph;
using SequentialNet.Graph.Ops;
using SequentialNet.Initializers;

namespace SequentialNet.Layers;

/// <summary>
/// Keras <c>Normalization(axis=-1, mean=None, variance=None)</c>, the StandardScaler of a model:
/// y = (x − mean) / max(√variance, 1e-7) per feature of the last axis. <see cref="Adapt"/> computes the
/// biased mean and variance over every sample and every non-feature axis, in float64 on the host, into
/// the non-trainable weights "mean" and "variance" (saved with the model). Or give both statistics to the
/// constructor (one value for every feature, or one per feature). Only the last axis is supported.
/// </summary>
public sealed class Normalization : Layer
{
    /// <summary>Keras's <c>backend.epsilon()</c>: the smallest standard deviation divided by.</summary>
    public const double Epsilon = 1e-7;

    private readonly double[]? _mean;
    private readonly double[]? _variance;

    /// <summary>Creates the layer; <paramref name="mean"/> and <paramref name="variance"/> are given together or not at all.</summary>
    public Normalization(int axis = -1, double[]? mean = null, double[]? variance = null, int[]? inputShape = null, string? name = null)
        : base(name, inputShape)
    {
        if (axis == 0)
            throw new ArgumentException("Normalization: axis 0 is the batch axis. Expected the feature axis, e.g. axis=-1. Received: axis=0.", nameof(axis));
        if ((mean == null) != (variance == null))
            throw new ArgumentException("Normalization: when setting values directly, both `mean` and `variance` must be set. " +
                $"Received: mean={(mean == null ? "null" : "[…]")} and variance={(variance == null ? "null" : "[…]")}.", mean == null ? nameof(mean) : nameof(variance));
        if (mean != null && variance != null)
        {
            if (mean.Length == 0 || variance.Length == 0 || (mean.Length != variance.Length && mean.Length != 1 && variance.Length != 1))
                throw new ArgumentException($"Normalization: expected mean and variance of one value or one per feature. Received: {mean.Length} and {variance.Length} values.", nameof(mean));
            if (mean.Any(m => !double.IsFinite(m)) || variance.Any(v => !double.IsFinite(v) || v < 0))
                throw new ArgumentException("Normalization: expected finite means and finite, non-negative variances.", nameof(variance));
            _mean = (double[])mean.Clone();
            _variance = (double[])variance.Clone();
        }
        Axis = axis;
    }

    /// <summary>The feature axis (counting the batch axis, as Keras does); it must be the last one.</summary>
    public int Axis { get; }

    /// <summary>Per-feature mean, shape (features,); null before Build.</summary>
    public Variable? Mean { get; private set; }

    /// <summary>Per-feature biased variance, shape (features,); null before Build.</summary>
    public Variable? Variance { get; private set; }

    /// <inheritdoc/>
    public override int[] ComputeOutputShape(int[] inputShape)
    {
        RequireLastAxis(inputShape);
        return inputShape;
    }

    /// <inheritdoc/>
    protected override void BuildCore(int[] inputShape)
    {
        RequireLastAxis(inputShape);
        int features = inputShape[^1];
        if (_mean != null && (_mean.Length is not 1 && _mean.Length != features || _variance!.Length is not 1 && _variance.Length != features))
            throw new ArgumentException($"Layer \"{Name}\" (Normalization): expected mean and variance of 1 or {features} values (the feature count). Received: {_mean.Length} and {_variance!.Length}.");
        Mean = AddWeight("mean", [features], new Zeros(), trainable: false);
        Variance = AddWeight("variance", [features], new Constant(1f), trainable: false);
        if (_mean == null) return;
        for (int j = 0; j < features; j++)
        {
            Mean.Value[j] = (float)_mean[_mean.Length == 1 ? 0 : j];
            Variance.Value[j] = (float)_variance![_variance.Length == 1 ? 0 : j];
        }
    }

    /// <summary>
    /// Keras <c>adapt(data)</c>: sets "mean" and "variance" to the biased per-feature statistics of
    /// <paramref name="data"/> (samples, …, features), computed exactly in float64. Builds the layer if
    /// needed; works before or after Compile (a compiled model uses the new values from its next
    /// Fit/Evaluate/Predict). <paramref name="batchSize"/> is accepted as in Keras (must be &gt; 0); the
    /// statistics do not depend on it.
    /// </summary>
    /// <exception cref="ArgumentException">Empty data, NaN or infinite values, or a feature count unlike the layer's.</exception>
    /// <exception cref="InvalidOperationException">The mean and variance were given to the constructor.</exception>
    public void Adapt(Tensor data, int? batchSize = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (batchSize is <= 0)
            throw new ArgumentException($"Normalization.Adapt: expected batchSize > 0. Received: batchSize={batchSize}.", nameof(batchSize));
        if (_mean != null)
            throw new InvalidOperationException($"Layer \"{Name}\" (Normalization): mean and variance were given to the constructor; Adapt cannot replace them.");
        int[] shape = data.Shape;
        if (shape.Length < 2)
            throw new ArgumentException($"Normalization.Adapt: expected data of shape (samples, …, features). Received: shape {Tensor.FormatShape(shape)}; reshape a single feature to (samples, 1).", nameof(data));
        if (data.Length == 0)
            throw new ArgumentException($"Normalization.Adapt: expected at least one sample with values. Received: empty data of shape {Tensor.FormatShape(shape)}.", nameof(data));
        int features = shape[^1];
        int[]? built = BuiltInputShape;
        if (built != null && built[^1] != features)
            throw new ArgumentException($"Layer \"{Name}\" (Normalization) was built for {built[^1]} features (input shape {Tensor.FormatShape(built)}). Received: data with {features} features (shape {Tensor.FormatShape(shape)}).", nameof(data));
        if (!data.AllFinite())
            throw new ArgumentException("Normalization.Adapt: the data contains NaN or infinite values. Expected finite values.", nameof(data));

        (double[] mean, double[] variance) = Moments(data.Data, features);
        if (built == null) Build(shape[1..]);
        // Every compiled model holding these variables uploads them again before its next call.
        lock (Variable.HostSync)
        {
            for (int j = 0; j < features; j++)
            {
                Mean!.Value[j] = (float)mean[j];
                Variance!.Value[j] = (float)variance[j];
            }
            Mean!.Changed();
            Variance!.Changed();
        }
    }

    /// <summary>Two-pass biased mean and variance per feature of rows of <paramref name="features"/> values, in float64.</summary>
    internal static (double[] Mean, double[] Variance) Moments(ReadOnlySpan<float> values, int features)
    {
        long rows = values.Length / features;
        var mean = new double[features];
        var variance = new double[features];
        for (int i = 0; i < values.Length; i++) mean[i % features] += values[i];
        for (int j = 0; j < features; j++) mean[j] /= rows;
        for (int i = 0; i < values.Length; i++)
        {
            double d = values[i] - mean[i % features];
            variance[i % features] += d * d;
        }
        for (int j = 0; j < features; j++) variance[j] /= rows;
        return (mean, variance);
    }

    internal override Node Call(LayerContext ctx, Node x)
    {
        var g = ctx.Graph;
        Node std = g.Unary(new Backends.Sqrt(), ctx.Param(Variance!));
        Node epsilon = g.Add(new ConstantOp((float)Epsilon), [], std.Shape, batched: false, "epsilon");
        Node denominator = g.Binary(new Backends.Max(), std, epsilon);
        Node centered = g.RowBroadcast(new Backends.Sub(), x, ctx.Param(Mean!));
        return g.RowBroadcast(new Backends.Div(), centered, denominator);
    }

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig()
    {
        var config = base.GetConfig();
        config["axis"] = Axis;
        config["mean"] = _mean == null ? null : (double[])_mean.Clone();
        config["variance"] = _variance == null ? null : (double[])_variance.Clone();
        return config;
    }

    private void RequireLastAxis(int[] inputShape)
    {
        int rank = inputShape.Length;
        int resolved = Axis < 0 ? Axis + rank + 1 : Axis;
        if (rank == 0 || resolved != rank)
            throw new ArgumentException($"Layer \"{Name}\" (Normalization) supports only the last axis as the feature axis (axis=-1 or axis={rank}). Received: axis={Axis} for input shape {Tensor.FormatShape(inputShape)}.");
    }
}
