using SequentialNet.Layers;
using SequentialNet.Losses;
using SequentialNet.Metrics;
using SequentialNet.Optimizers;

namespace SequentialNet.Saving;

/// <summary>The registries the model format resolves class names with.</summary>
internal static class Registries
{
    public static ObjectRegistry<Layer> Layers { get; } = new("layer");
    public static ObjectRegistry<Loss> Losses { get; } = new("loss");
    public static ObjectRegistry<Optimizer> Optimizers { get; } = new("optimizer");
    public static ObjectRegistry<Metric> Metrics { get; } = new("metric");
    public static ObjectRegistry<LearningRateSchedule> Schedules { get; } = new("learning rate schedule");
}
