namespace SequentialNet.Optimizers;

/// <summary>
/// AdamW (Loshchilov &amp; Hutter), Keras 3: <see cref="Adam"/> with decoupled weight decay, default
/// <c>weightDecay</c> 0.004: w ← w − w·wd·lr (after clipping), then the Adam update. PyTorch's AdamW
/// defaults to weight_decay 0.01 and epsilon 1e-8 (added to the bias-corrected √v̂).
/// </summary>
/// <param name="learningRate">lr, default 0.001.</param>
/// <param name="weightDecay">wd, default 0.004; must not be null (Keras requires it).</param>
/// <param name="beta1">β₁, default 0.9.</param>
/// <param name="beta2">β₂, default 0.999.</param>
/// <param name="epsilon">ε, default 1e-7.</param>
/// <param name="clipNorm">Per-variable gradient norm bound; null: off.</param>
/// <param name="clipValue">Elementwise gradient bound; null: off.</param>
/// <param name="globalClipNorm">Bound on the norm of all gradients together; null: off.</param>
/// <param name="amsgrad">Keras <c>amsgrad</c>: divide by the running maximum √v̂ (see <see cref="Adam"/>).</param>
public sealed class AdamW(double learningRate = 1e-3, double? weightDecay = 0.004, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-7,
    double? clipNorm = null, double? clipValue = null, double? globalClipNorm = null, bool amsgrad = false)
    : Adam(learningRate, beta1, beta2, epsilon,
        weightDecay ?? throw new ArgumentException("AdamW: argument `weightDecay` must be a float. Received: weightDecay=null.", nameof(weightDecay)),
        clipNorm, clipValue, globalClipNorm, amsgrad)
{
    /// <summary>
    /// The same optimizer with a learning-rate schedule (evaluated on the device before every step, at the
    /// iterations done) instead of a fixed rate; the other arguments are those of the primary constructor.
    /// </summary>
    public AdamW(LearningRateSchedule learningRate, double? weightDecay = 0.004, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-7,
        double? clipNorm = null, double? clipValue = null, double? globalClipNorm = null, bool amsgrad = false)
        : this(1e-3, weightDecay, beta1, beta2, epsilon, clipNorm, clipValue, globalClipNorm, amsgrad)
        => UseSchedule(learningRate);

    /// <inheritdoc/>
    public override string Name => "adamw";
}
