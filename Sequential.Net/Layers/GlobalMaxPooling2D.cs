using SequentialNet.Backends;

namespace SequentialNet.Layers;

/// <summary>Keras <c>GlobalMaxPooling2D</c>: the maximum over height and width of each channel.</summary>
public sealed class GlobalMaxPooling2D(bool keepdims = false, int[]? inputShape = null, string? name = null)
    : GlobalPooling2D(PoolKind.Max, keepdims, inputShape, name);
