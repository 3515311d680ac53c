using SequentialNet.Backends;
using SequentialNet.Graph;

namespace SequentialNet.Losses;

/// <summary>
/// Focal binary cross-entropy (Keras <c>BinaryFocalCrossentropy</c>, Lin et al. 2018): mean over the last axis of
/// w·(1 − p_t)^γ·bce(y, p), where p_t = y·p + (1 − y)·(1 − p), bce clips p to [1e-7, 1 − 1e-7], and
/// w = y·α + (1 − y)·(1 − α) when <see cref="ApplyClassBalancing"/> is set (else 1). Targets are smoothed first
/// to y·(1 − s) + s/2; with <see cref="FromLogits"/> p = sigmoid(ŷ), as Keras computes it.
/// </summary>
public sealed class BinaryFocalCrossentropy : Loss
{
    /// <summary>A focal cross-entropy with Keras's parameters and defaults.</summary>
    /// <exception cref="ArgumentException">alpha or labelSmoothing outside [0, 1], or gamma below 0.</exception>
    /// <exception cref="NotSupportedException">An axis other than −1.</exception>
    public BinaryFocalCrossentropy(bool applyClassBalancing = false, float alpha = 0.25f, float gamma = 2f, bool fromLogits = false,
        float labelSmoothing = 0f, int axis = -1, string reduction = LossReductions.SumOverBatchSize) : base(reduction)
    {
        ApplyClassBalancing = applyClassBalancing;
        Alpha = alpha is >= 0 and <= 1 ? alpha : throw new ArgumentException($"BinaryFocalCrossentropy: expected 0 <= alpha <= 1. Received: alpha={alpha}.", nameof(alpha));
        Gamma = gamma >= 0 ? gamma : throw new ArgumentException($"BinaryFocalCrossentropy: expected gamma >= 0. Received: gamma={gamma}.", nameof(gamma));
        FromLogits = fromLogits;
        LabelSmoothing = labelSmoothing is >= 0 and <= 1 ? labelSmoothing
            : throw new ArgumentException($"BinaryFocalCrossentropy: expected 0 <= labelSmoothing <= 1. Received: {labelSmoothing}.", nameof(labelSmoothing));
        Axis = axis == -1 ? axis
            : throw new NotSupportedException($"BinaryFocalCrossentropy: expected axis=-1 (other axes are not supported). Received: axis={axis}.");
    }

    /// <summary>Whether each term is weighted by α (class 1) or 1 − α (class 0).</summary>
    public bool ApplyClassBalancing { get; }
    /// <summary>Weight of class 1 under class balancing.</summary>
    public float Alpha { get; }
    /// <summary>Focusing exponent: 0 gives plain binary cross-entropy.</summary>
    public float Gamma { get; }
    /// <summary>Whether predictions are logits rather than probabilities.</summary>
    public bool FromLogits { get; }
    /// <summary>Targets become y·(1 − s) + s/2.</summary>
    public float LabelSmoothing { get; }
    /// <summary>The axis the mean is taken over: −1.</summary>
    public int Axis { get; }

    /// <inheritdoc/>
    public override string Name => "binary_focal_crossentropy";

    internal override Node Emit(GraphBuilder g, Node output, Node labels)
        => g.Loss(FromLogits ? LossKind.BinaryFocalCrossentropyFromLogits : LossKind.BinaryFocalCrossentropy, output, labels,
            new LossParams(LabelSmoothing, Gamma, Alpha, ApplyClassBalancing));

    internal override void ValidateLabels(Tensor y, int[] outputShape, string argument)
    {
        base.ValidateLabels(y, outputShape, argument);
        BinaryCrossentropy.RequireProbabilityTargets(y, Name, argument);
    }

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig() => new()
    {
        ["name"] = Name, ["reduction"] = Reduction, ["apply_class_balancing"] = ApplyClassBalancing, ["alpha"] = Alpha,
        ["gamma"] = Gamma, ["from_logits"] = FromLogits, ["label_smoothing"] = LabelSmoothing, ["axis"] = Axis,
    };
}
