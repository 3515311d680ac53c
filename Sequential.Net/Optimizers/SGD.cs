using SequentialNet.Backends;
using SequentialNet.Graph;

namespace SequentialNet.Optimizers;

/// <summary>
/// Stochastic gradient descent with Keras 3's formulas: w −= lr·g; with momentum μ: m = μ·m − lr·g,
/// w += m; Nesterov: w += μ·m − lr·g (after updating m). Default learning rate 0.01.
/// </summary>
public sealed class SGD(double learningRate = 0.01, double momentum = 0.0, bool nesterov = false) : Optimizer(learningRate)
{
    /// <summary>μ in [0, 1].</summary>
    public double Momentum { get; } = momentum is >= 0 and <= 1 ? momentum : throw new ArgumentException($"SGD: expected 0 <= momentum <= 1. Received: {momentum}.", nameof(momentum));
    /// <summary>Whether to use Nesterov momentum.</summary>
    public bool Nesterov { get; } = nesterov;

    /// <inheritdoc/>
    public override string Name => "sgd";
    internal override int SlotCount => Momentum > 0 ? 1 : 0;

    internal override void Step(IBackend backend, ParameterStore store, DeviceBuffer[] slots, ModelState state)
    {
        backend.SgdStep(store.Params, store.Grads, Momentum > 0 ? slots[0] : store.Grads, state.Hyper, (float)Momentum, Nesterov);
        backend.AddToCounter(state.Counters, StateSlots.OptimizerStep, 1);
    }

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig()
    {
        var c = base.GetConfig();
        c["momentum"] = Momentum; c["nesterov"] = Nesterov;
        return c;
    }
}
