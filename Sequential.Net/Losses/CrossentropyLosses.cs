using SequentialNet.Backends;
using SequentialNet.Graph;
using SequentialNet.Graph.Ops;

namespace SequentialNet.Losses;

/// <summary>
/// −Σ t·log p over classes with one-hot (or probability) targets. From probabilities (default) Keras
/// normalizes p and clips it to [1e-7, 1−1e-7]; when the model ends in softmax the two are fused into one
/// stable op on the logits instead, which is what Keras effectively computes without the clipping.
/// </summary>
public sealed class CategoricalCrossentropy(bool fromLogits = false, float labelSmoothing = 0f, string reduction = LossReductions.SumOverBatchSize) : Loss(reduction)
{
    /// <summary>Whether predictions are logits rather than probabilities.</summary>
    public bool FromLogits { get; } = fromLogits;
    /// <summary>Targets become t·(1−s) + s/classes.</summary>
    public float LabelSmoothing { get; } = labelSmoothing is >= 0 and <= 1 ? labelSmoothing
        : throw new ArgumentException($"CategoricalCrossentropy: expected 0 <= labelSmoothing <= 1. Received: {labelSmoothing}.", nameof(labelSmoothing));

    /// <inheritdoc/>
    public override string Name => "categorical_crossentropy";

    internal override Node Emit(GraphBuilder g, Node output, Node labels)
    {
        Node? logits = FromLogits ? output : LogitsBehind<SoftmaxOp>(output);
        if (logits != null) return g.SoftmaxCrossEntropy(logits, labels, sparse: false, LabelSmoothing);
        if (LabelSmoothing != 0)
            throw new NotSupportedException("CategoricalCrossentropy: labelSmoothing needs logits or a softmax output layer.");
        return g.Loss(LossKind.CategoricalCrossentropy, output, labels);
    }

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig() => new() { ["name"] = Name, ["reduction"] = Reduction, ["from_logits"] = FromLogits, ["label_smoothing"] = LabelSmoothing };
}

/// <summary>Categorical cross-entropy with integer class targets (one index per sample).</summary>
public sealed class SparseCategoricalCrossentropy(bool fromLogits = false, string reduction = LossReductions.SumOverBatchSize) : Loss(reduction)
{
    /// <summary>Whether predictions are logits rather than probabilities.</summary>
    public bool FromLogits { get; } = fromLogits;

    /// <inheritdoc/>
    public override string Name => "sparse_categorical_crossentropy";

    /// <inheritdoc/>
    public override bool SparseLabels => true;

    internal override Node Emit(GraphBuilder g, Node output, Node labels)
    {
        Node? logits = FromLogits ? output : LogitsBehind<SoftmaxOp>(output);
        return logits != null
            ? g.SoftmaxCrossEntropy(logits, labels, sparse: true, 0f)
            : g.Loss(LossKind.SparseCategoricalCrossentropy, output, labels);
    }

    internal override void ValidateLabels(Tensor y, int[] outputShape, string argument)
    {
        int classes = outputShape[^1];
        int perSample = Product(outputShape) / classes;
        if (y.RowLength != perSample)
            throw new ArgumentException($"Loss \"{Name}\": expected {argument} to hold one class index per sample, shape (N,){(perSample > 1 ? $" × {perSample}" : "")}. Received: {Tensor.FormatShape(y.Shape)}. (One-hot targets need \"categorical_crossentropy\".)", argument);
        var data = y.Data;
        for (int i = 0; i < data.Length; i++)
        {
            float v = data[i];
            if (v != MathF.Floor(v) || v < 0 || v >= classes)
                throw new ArgumentException($"Loss \"{Name}\": expected integer labels in [0, {classes - 1}] (the model has {classes} outputs). Received: {v} at index {i} of {argument}.", argument);
        }
    }

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig() => new() { ["name"] = Name, ["reduction"] = Reduction, ["from_logits"] = FromLogits };
}

/// <summary>
/// −mean[t·log p + (1−t)·log(1−p)] over the last axis, p clipped to [1e-7, 1−1e-7]. When the model
/// ends in sigmoid it is computed from the logits instead (stable, as Keras does with a sigmoid output).
/// With <c>labelSmoothing</c> s the targets become t·(1 − s) + s/2, as Keras's.
/// </summary>
public sealed class BinaryCrossentropy(bool fromLogits = false, float labelSmoothing = 0f, string reduction = LossReductions.SumOverBatchSize) : Loss(reduction)
{
    /// <summary>Whether predictions are logits rather than probabilities.</summary>
    public bool FromLogits { get; } = fromLogits;

    /// <summary>Targets become t·(1 − s) + s/2.</summary>
    public float LabelSmoothing { get; } = labelSmoothing is >= 0 and <= 1 ? labelSmoothing
        : throw new ArgumentException($"BinaryCrossentropy: expected 0 <= labelSmoothing <= 1. Received: {labelSmoothing}.", nameof(labelSmoothing));

    /// <inheritdoc/>
    public override string Name => "binary_crossentropy";

    internal override Node Emit(GraphBuilder g, Node output, Node labels)
    {
        Node? logits = FromLogits ? output : output.Op is UnaryOp<Sigmoid> ? output.Inputs[0] : null;
        return logits != null
            ? g.Loss(LossKind.BinaryCrossentropyFromLogits, logits, labels, LabelSmoothing)
            : g.Loss(LossKind.BinaryCrossentropy, output, labels, LabelSmoothing);
    }

    // Keras does not check, but a target outside [0, 1] makes t·log p + (1−t)·log(1−p) unbounded below:
    // class indices 0..9 given to this loss would report a negative loss and train towards nonsense.
    internal override void ValidateLabels(Tensor y, int[] outputShape, string argument)
    {
        base.ValidateLabels(y, outputShape, argument);
        RequireProbabilityTargets(y, Name, argument);
    }

    /// <summary>Refuses targets outside [0, 1], naming the first one and its index (the binary losses).</summary>
    internal static void RequireProbabilityTargets(Tensor y, string loss, string argument)
    {
        var data = y.Data;
        for (int i = 0; i < data.Length; i++)
        {
            float v = data[i];
            if (!(v >= 0 && v <= 1))
                throw new ArgumentException($"Loss \"{loss}\": expected targets in [0, 1] (probabilities of the positive class). Received: {v} at index {i} of {argument}. (Class indices need \"sparse_categorical_crossentropy\".)", argument);
        }
    }

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig() => new() { ["name"] = Name, ["reduction"] = Reduction, ["from_logits"] = FromLogits, ["label_smoothing"] = LabelSmoothing };
}
