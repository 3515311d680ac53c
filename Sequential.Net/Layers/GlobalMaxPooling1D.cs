using SequentialNet.Backends;

namespace SequentialNet.Layers;

/// <summary>Keras <c>GlobalMaxPooling1D</c>: the maximum over the steps of each channel.</summary>
public sealed class GlobalMaxPooling1D(bool keepdims = false, int[]? inputShape = null, string? name = null)
    : GlobalPooling1D(PoolKind.Max, keepdims, inputShape, name);
