using SequentialNet.Backends;

namespace SequentialNet.Layers;

/// <summary>Keras <c>GlobalAveragePooling2D</c>: the mean over height and width of each channel.</summary>
public sealed class GlobalAveragePooling2D(bool keepdims = false, int[]? inputShape = null, string? name = null)
    : GlobalPooling2D(PoolKind.Average, keepdims, inputShape, name);
