using SequentialNet.Backends;

namespace SequentialNet.Layers;

/// <summary>Keras <c>GlobalAveragePooling1D</c>: the mean over the steps of each channel.</summary>
public sealed class GlobalAveragePooling1D(bool keepdims = false, int[]? inputShape = null, string? name = null)
    : GlobalPooling1D(PoolKind.Average, keepdims, inputShape, name);
