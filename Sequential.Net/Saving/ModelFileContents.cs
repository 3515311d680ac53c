using Newtonsoft.Json.Linq;

namespace SequentialNet.Saving;

/// <summary>What a file holds: a whole model (config, weights, optimizer state) or weights alone.</summary>
internal sealed class ModelFileContents
{
    /// <summary><see cref="ModelFileFormat.ModelContents"/> or <see cref="ModelFileFormat.WeightsContents"/>.</summary>
    public required string Kind { get; init; }
    /// <summary>config.json (model and compile config); null for a weights file.</summary>
    public JObject? Config { get; init; }
    /// <summary>Every weight in Keras order.</summary>
    public required IReadOnlyList<NamedTensor> Weights { get; init; }
    /// <summary>The training state of a compiled model; null otherwise.</summary>
    public OptimizerState? Optimizer { get; init; }
}

/// <summary>
/// The optimizer's state and what makes training continue exactly: the iteration count (also the
/// dropout random step), the model's seed (shuffles and dropout masks) and the slot tensors (Adam's m
/// and v, SGD's momentum), one per slot and trainable weight, slot-major.
/// </summary>
internal sealed record OptimizerState(string ClassName, long Iterations, ulong Seed, string[] SlotNames, IReadOnlyList<NamedTensor> Slots,
    IReadOnlyDictionary<string, float>? Scalars = null);
