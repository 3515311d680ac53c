using SequentialNet.Backends;
using SequentialNet.Graph;

namespace SequentialNet.Optimizers;

/// <summary>
/// Base of the optimizers. The update runs on the backend over the flat parameter buffer, reading the
/// learning rate and step count from device state. Keras names convert implicitly: <c>optimizer: "adam"</c>.
/// </summary>
public abstract class Optimizer
{
    /// <summary>Sets the initial learning rate.</summary>
    protected Optimizer(double learningRate)
    {
        if (!(learningRate > 0) || double.IsInfinity(learningRate))
            throw new ArgumentException($"{GetType().Name}: expected learningRate > 0. Received: {learningRate}.", nameof(learningRate));
        LearningRate = learningRate;
    }

    /// <summary>Keras name, e.g. "adam".</summary>
    public abstract string Name { get; }

    /// <summary>The learning rate used by the next step (callbacks may change it between epochs).</summary>
    public double LearningRate { get; set; }

    /// <summary>Steps taken so far (Keras <c>optimizer.iterations</c>); kept current after each Fit.</summary>
    public long Iterations { get; internal set; }

    /// <summary>Number of flat state buffers (slots) the same size as the parameters: Adam 2, SGD with momentum 1.</summary>
    internal abstract int SlotCount { get; }

    /// <summary>Runs one update; the slots are this optimizer's state buffers for the model being trained.</summary>
    internal abstract void Step(IBackend backend, ParameterStore store, DeviceBuffer[] slots, ModelState state);

    /// <summary>Keras-style configuration.</summary>
    public virtual Dictionary<string, object?> GetConfig() => new() { ["name"] = Name, ["learning_rate"] = LearningRate };

    /// <summary>Looks up an optimizer by Keras name, with Keras's default arguments.</summary>
    public static implicit operator Optimizer(string name) => Get(name);

    private static readonly Dictionary<string, Func<Optimizer>> ByName = new(StringComparer.Ordinal)
    {
        ["adam"] = () => new Adam(), ["sgd"] = () => new SGD(),
    };

    /// <summary>The optimizer called <paramref name="name"/>.</summary>
    /// <exception cref="ArgumentException">Unknown name (the message lists the known ones).</exception>
    public static Optimizer Get(string name)
    {
        if (name != null && ByName.TryGetValue(name.ToLowerInvariant(), out var make)) return make();
        throw new ArgumentException($"Unknown optimizer: \"{name}\". Expected one of: {string.Join(", ", ByName.Keys.Order())}.", nameof(name));
    }
}
