using SequentialNet.Backends;
using SequentialNet.Graph;

namespace SequentialNet.Optimizers;

/// <summary>
/// Stochastic gradient descent with Keras 3's formulas: w −= lr·g; with momentum μ: m = μ·m − lr·g,
/// w += m; Nesterov: w += μ·m − lr·g (after updating m). Default learning rate 0.01. PyTorch's momentum
/// is b = μb + g, w −= lr·b, and its weight_decay is an L2 term (Keras's is decoupled).
/// </summary>
/// <param name="learningRate">lr, default 0.01.</param>
/// <param name="momentum">μ in [0, 1], default 0.</param>
/// <param name="nesterov">Nesterov momentum, default false.</param>
/// <param name="weightDecay">Decoupled weight decay; null: none.</param>
/// <param name="clipNorm">Per-variable gradient norm bound; null: off.</param>
/// <param name="clipValue">Elementwise gradient bound; null: off.</param>
/// <param name="globalClipNorm">Bound on the norm of all gradients together; null: off.</param>
public sealed class SGD(double learningRate = 0.01, double momentum = 0.0, bool nesterov = false,
    double? weightDecay = null, double? clipNorm = null, double? clipValue = null, double? globalClipNorm = null)
    : Optimizer(learningRate, weightDecay, clipNorm, clipValue, globalClipNorm)
{
    /// <summary>
    /// The same optimizer with a learning-rate schedule (evaluated on the device before every step, at the
    /// iterations done) instead of a fixed rate; the other arguments are those of the primary constructor.
    /// </summary>
    public SGD(LearningRateSchedule learningRate, double momentum = 0.0, bool nesterov = false,
        double? weightDecay = null, double? clipNorm = null, double? clipValue = null, double? globalClipNorm = null)
        : this(0.01, momentum, nesterov, weightDecay, clipNorm, clipValue, globalClipNorm)
        => UseSchedule(learningRate);

    /// <summary>μ in [0, 1].</summary>
    public double Momentum { get; } = momentum is >= 0 and <= 1 ? momentum : throw new ArgumentException($"SGD: expected 0 <= momentum <= 1. Received: {momentum}.", nameof(momentum));
    /// <summary>Whether to use Nesterov momentum.</summary>
    public bool Nesterov { get; } = nesterov;

    /// <inheritdoc/>
    public override string Name => "sgd";
    internal override int SlotCount => Momentum > 0 ? 1 : 0;
    internal override string[] SlotNames => Momentum > 0 ? ["momentum"] : [];

    private protected override void Update(IBackend backend, ParameterStore store, DeviceBuffer[] slots, ModelState state)
        => backend.SgdStep(store.Params, store.Grads, Momentum > 0 ? slots[0] : store.Grads, state.Hyper, (float)Momentum, Nesterov);

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig()
    {
        var c = base.GetConfig();
        c["momentum"] = Momentum; c["nesterov"] = Nesterov;
        return c;
    }
}
